/* report_doc.c - the format-independent report document (see report_doc.h). */
#include "services/report_doc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rd_doc_init(rd_doc *d) {
  memset(d, 0, sizeof *d);
  arena_init(&d->mem, 0);
}

void rd_doc_free(rd_doc *d) {
  for (rd_table *t = d->tables; t; t = t->next_owned) {
    free(t->cells);
    free(t->flags);
  }
  arena_free(&d->mem);
  memset(d, 0, sizeof *d);
}

rd_sheet *rd_sheet_add(rd_doc *d, const char *name, int landscape) {
  rd_sheet *s = arena_calloc(&d->mem, sizeof *s);
  s->name = arena_strdup(&d->mem, name);
  s->landscape = landscape;
  if (d->last)
    d->last->next = s;
  else
    d->first = s;
  d->last = s;
  d->nsheets++;
  return s;
}

static rd_block *block(rd_doc *d, rd_sheet *s, rb_kind kind, const char *text) {
  rd_block *b = arena_calloc(&d->mem, sizeof *b);
  b->kind = kind;
  b->text = text ? arena_strdup(&d->mem, text) : NULL;
  if (s->last)
    s->last->next = b;
  else
    s->first = b;
  s->last = b;
  return b;
}

void rd_title(rd_doc *d, rd_sheet *s, const char *text) {
  block(d, s, RB_TITLE, text);
}

void rd_subtitle(rd_doc *d, rd_sheet *s, const char *text) {
  block(d, s, RB_SUBTITLE, text);
}

void rd_heading(rd_doc *d, rd_sheet *s, const char *text) {
  block(d, s, RB_HEADING, text);
}

void rd_para(rd_doc *d, rd_sheet *s, const char *text) {
  block(d, s, RB_PARA, text);
}

void rd_note(rd_doc *d, rd_sheet *s, const char *text) {
  block(d, s, RB_NOTE, text);
}

void rd_break(rd_doc *d, rd_sheet *s) {
  block(d, s, RB_BREAK, NULL);
}

rd_table *rd_table_add(rd_doc *d, rd_sheet *s, int ncols) {
  rd_table *t = arena_calloc(&d->mem, sizeof *t);
  t->ncols = ncols;
  t->cols = arena_calloc(&d->mem, (size_t)ncols * sizeof *t->cols);
  for (int i = 0; i < ncols; i++) t->cols[i].width = 10;
  t->next_owned = d->tables;
  d->tables = t;
  block(d, s, RB_TABLE, NULL)->table = t;
  return t;
}

void rd_col_set(rd_table *t, int col, const char *head, double width, int wrap) {
  t->cols[col].head = head;
  t->cols[col].width = width;
  t->cols[col].wrap = wrap;
}

rd_cell *rd_row(rd_table *t, int flags) {
  if (t->nrows == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 16;
    rd_cell *cells = realloc(t->cells, cap * (size_t)t->ncols * sizeof *cells);
    uint8_t *fl = realloc(t->flags, cap);
    if (!cells || !fl) abort(); /* as the arena: out of memory is not recoverable here */
    t->cells = cells;
    t->flags = fl;
    t->cap = cap;
  }
  rd_cell *row = &t->cells[t->nrows * (size_t)t->ncols];
  memset(row, 0, (size_t)t->ncols * sizeof *row);
  t->flags[t->nrows] = (uint8_t)flags;
  t->nrows++;
  return row;
}

void rd_set_text(rd_cell *c, const char *s) {
  c->kind = s && *s ? RD_TEXT : RD_EMPTY;
  c->s = s;
}

static void set_num(rd_cell *c, rd_kind kind, double v) {
  c->kind = isnan(v) ? RD_EMPTY : (uint8_t)kind;
  c->v = v;
}

void rd_set_int(rd_cell *c, double v) {
  set_num(c, RD_INT, v);
}

/* Rates and gaps are kept to six decimals, as the dashboard API gives them
 * (h_dashboard.c), so a workbook's cell equals the API's figure exactly. */
static double api_precision(double v) {
  return isnan(v) ? v : round(v * 1e6) / 1e6;
}

void rd_set_rate(rd_cell *c, double v) {
  set_num(c, RD_RATE, api_precision(v));
}

void rd_set_gap(rd_cell *c, double v) {
  set_num(c, RD_GAP, api_precision(v));
}

void rd_set_number(rd_cell *c, double v) {
  set_num(c, RD_NUMBER, v);
}

void rd_set_year(rd_cell *c, int year) {
  set_num(c, RD_YEAR, year ? year : NAN);
}

rd_chart *rd_chart_add(rd_doc *d, rd_sheet *s, const char *title, const rd_table *t, size_t row0,
                       size_t nrows, int cat_col, int val_col, int target_col) {
  rd_chart *c = arena_calloc(&d->mem, sizeof *c);
  c->title = title ? arena_strdup(&d->mem, title) : NULL;
  c->table = t;
  c->row0 = row0;
  c->nrows = nrows;
  c->cat_col = cat_col;
  c->val_col = val_col;
  c->target_col = target_col;
  c->value_name = t->cols[val_col].head;
  c->target_name = target_col >= 0 ? t->cols[target_col].head : NULL;
  block(d, s, RB_CHART, NULL)->chart = c;
  return c;
}

/* ------------------------------------------------------------ numbers */

double rd_round_tenth_percent(double fraction) {
  /* 1e-9 absorbs the binary error of fractions such as 0.7245 (= 72.45%) */
  double p = fraction * 1000;
  return (p < 0 ? -floor(-p + 0.5 + 1e-9) : floor(p + 0.5 + 1e-9)) / 10;
}

/* "72.4" -> "72,4"; trim drops ",0". */
static void tenths(double v, int trim, char *buf, size_t size) {
  double r = fabs(v);
  long long whole = (long long)floor(r + 1e-9);
  int tenth = (int)llround((r - (double)whole) * 10);
  if (tenth == 10) {
    whole++;
    tenth = 0;
  }
  if (trim && tenth == 0)
    snprintf(buf, size, "%lld", whole);
  else
    snprintf(buf, size, "%lld,%d", whole, tenth);
}

char *rd_fmt_rate(double fraction, int trim, char *buf, size_t size) {
  if (isnan(fraction)) {
    snprintf(buf, size, "–");
    return buf;
  }
  double p = rd_round_tenth_percent(fraction);
  char t[48];
  tenths(p, trim, t, sizeof t);
  snprintf(buf, size, "%s%s%%", p < 0 ? "−" : "", t);
  return buf;
}

char *rd_fmt_gap(double fraction, char *buf, size_t size) {
  if (isnan(fraction)) {
    snprintf(buf, size, "–");
    return buf;
  }
  double p = rd_round_tenth_percent(fraction);
  char t[48];
  tenths(p, 0, t, sizeof t);
  snprintf(buf, size, "%s%s%%", p > 0 ? "+" : p < 0 ? "−" : "", t);
  return buf;
}

char *rd_fmt_int(double v, char *buf, size_t size) {
  if (isnan(v)) {
    snprintf(buf, size, "–");
    return buf;
  }
  long long n = llround(v);
  char digits[32];
  int len = snprintf(digits, sizeof digits, "%lld", n < 0 ? -n : n);
  char out[48];
  size_t k = 0;
  if (n < 0) out[k++] = '-';
  for (int i = 0; i < len; i++) {
    if (i && (len - i) % 3 == 0) out[k++] = '.';
    out[k++] = digits[i];
  }
  out[k] = 0;
  snprintf(buf, size, "%s", out);
  return buf;
}

char *rd_fmt_number(double v, char *buf, size_t size) {
  if (isnan(v)) {
    snprintf(buf, size, "–");
    return buf;
  }
  if (v == floor(v) && fabs(v) < 1e15) return rd_fmt_int(v, buf, size);
  snprintf(buf, size, "%.10g", v);
  for (char *p = buf; *p; p++)
    if (*p == '.') *p = ',';
  return buf;
}

const char *rd_cell_text(const rd_cell *c, char *buf, size_t size) {
  switch (c->kind) {
    case RD_TEXT: return c->s;
    case RD_INT: return rd_fmt_int(c->v, buf, size);
    case RD_RATE: return rd_fmt_rate(c->v, 0, buf, size);
    case RD_GAP: return rd_fmt_gap(c->v, buf, size);
    case RD_NUMBER: return rd_fmt_number(c->v, buf, size);
    case RD_YEAR: snprintf(buf, size, "%d", (int)c->v); return buf;
    default: return "";
  }
}
