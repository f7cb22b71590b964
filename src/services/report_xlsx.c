/* report_xlsx.c - a report document as an Excel workbook (see report_doc.h):
 * one sheet per section, tables with a bold shaded header (kept in view),
 * numbers as numbers (rates with a % format, so a reader may compute with
 * them), and each chart as a native Excel chart of the table's cells: the
 * rates as columns, the target as a line (io/xlsx_chart.h). The whole
 * workbook is built in memory (a report is a few thousand rows at most),
 * which the charts, merged cells and row heights need. */
#include <math.h>
#include <string.h>
#include <xlsxwriter.h>

#include "io/xlsx_chart.h"
#include "services/report_doc.h"

#define PX_PER_ROW 20 /* the default row height in pixels */
#define LINE_PT 15.0  /* the height of one line of 11 pt text, in points */
#define CHART_H 380   /* pixels */
#define CHART_W_MIN 520
#define CHART_W_MAX 2600
#define CHART_W_PER_BAR 24
#define PARA_SPAN_MIN 60.0 /* characters a paragraph spans at least */

enum { ST_PLAIN, ST_BOLD, ST_GROUP, ST_COUNT };

typedef struct xw {
  lxw_workbook *wb;
  lxw_error error;
  lxw_format *cell[RD_KINDS][ST_COUNT][2]; /* [kind][style][wrap] */
  lxw_format *title, *subtitle, *heading, *para, *note, *th;
} xw;

static void keep(xw *x, lxw_error e) {
  if (e && !x->error) x->error = e;
}

static lxw_format *fmt_new(xw *x) {
  lxw_format *f = workbook_add_format(x->wb);
  if (!f) keep(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
  return f;
}

static const char *num_format(rd_kind k) {
  switch (k) {
    case RD_INT: return "#,##0";
    case RD_RATE: return "0.0%";
    case RD_GAP: return "+0.0%;-0.0%;0.0%";
    case RD_YEAR: return "0";
    default: return NULL;
  }
}

/* The format of a cell of kind k in a row of style st (made on first use). */
static lxw_format *cell_format(xw *x, rd_kind k, int st, int wrap) {
  lxw_format **slot = &x->cell[k][st][wrap ? 1 : 0];
  if (*slot) return *slot;
  lxw_format *f = fmt_new(x);
  if (!f) return NULL;
  format_set_border(f, LXW_BORDER_THIN);
  format_set_border_color(f, 0xBFBFBF);
  format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
  const char *nf = num_format(k);
  if (nf) format_set_num_format(f, nf);
  if (wrap) format_set_text_wrap(f);
  if (st == ST_BOLD || st == ST_GROUP) format_set_bold(f);
  if (st == ST_GROUP) format_set_bg_color(f, 0xEDEDED);
  *slot = f;
  return f;
}

static void make_formats(xw *x) {
  if ((x->title = fmt_new(x))) {
    format_set_bold(x->title);
    format_set_font_size(x->title, 14);
  }
  if ((x->subtitle = fmt_new(x))) {
    format_set_bold(x->subtitle);
    format_set_font_size(x->subtitle, 12);
  }
  if ((x->heading = fmt_new(x))) {
    format_set_bold(x->heading);
    format_set_font_color(x->heading, 0x1F3864);
  }
  if ((x->para = fmt_new(x))) {
    format_set_text_wrap(x->para);
    format_set_align(x->para, LXW_ALIGN_VERTICAL_TOP);
  }
  if ((x->note = fmt_new(x))) {
    format_set_italic(x->note);
    format_set_font_color(x->note, 0x595959);
    format_set_text_wrap(x->note);
    format_set_align(x->note, LXW_ALIGN_VERTICAL_TOP);
  }
  if ((x->th = fmt_new(x))) {
    format_set_bold(x->th);
    format_set_text_wrap(x->th);
    format_set_align(x->th, LXW_ALIGN_CENTER);
    format_set_align(x->th, LXW_ALIGN_VERTICAL_CENTER);
    format_set_bg_color(x->th, 0xD9E2F3);
    format_set_border(x->th, LXW_BORDER_THIN);
    format_set_border_color(x->th, 0x8EA9DB);
  }
}

/* Lines text takes in a box width characters wide (word wrap, roughly:
 * code points counted, a little slack for word breaks). */
static int lines_in(const char *text, double width) {
  if (!text || !*text) return 1;
  int lines = 0;
  double usable = width > 4 ? width - 1.5 : 3;
  for (const char *p = text; p;) {
    const char *nl = strchr(p, '\n');
    size_t n = 0;
    for (const char *q = p; *q && q != nl; q++) n += ((unsigned char)*q & 0xC0) != 0x80;
    int l = (int)ceil((double)n * 0.95 / usable); /* letters are narrower than '0' */
    lines += l < 1 ? 1 : l;
    p = nl ? nl + 1 : NULL;
  }
  return lines;
}

/* The sheet's column widths: per column the widest of its tables. */
typedef struct layout {
  int ncols;
  double width[64];
  double total; /* of the first ncols columns */
} layout;

static void sheet_layout(const rd_sheet *s, layout *l) {
  memset(l, 0, sizeof *l);
  for (const rd_block *b = s->first; b; b = b->next) {
    if (b->kind != RB_TABLE) continue;
    const rd_table *t = b->table;
    for (int c = 0; c < t->ncols && c < 64; c++)
      if (t->cols[c].width > l->width[c]) l->width[c] = t->cols[c].width;
    if (t->ncols > l->ncols) l->ncols = t->ncols < 64 ? t->ncols : 64;
  }
  if (!l->ncols) { /* text only: a page-wide column */
    l->ncols = 1;
    l->width[0] = 110;
  }
  for (int c = 0; c < l->ncols; c++) l->total += l->width[c];
}

/* A text block over the first columns, merged so that it wraps across them. */
static lxw_row_t text_block(xw *x, lxw_worksheet *ws, const layout *l, lxw_row_t row,
                            const char *text, lxw_format *f, double width_scale) {
  int span = 0;
  double w = 0;
  while (span < l->ncols && w < PARA_SPAN_MIN) w += l->width[span++];
  if (span < l->ncols) { /* a paragraph as wide as the tables, when they are wide */
    span = l->ncols;
    w = l->total;
  }
  if (span > 1)
    keep(x, worksheet_merge_range(ws, row, 0, row, (lxw_col_t)(span - 1), text, f));
  else
    keep(x, worksheet_write_string(ws, row, 0, text, f));
  int lines = lines_in(text, w * width_scale);
  if (lines > 1 || f == x->para || f == x->note)
    keep(x, worksheet_set_row(ws, row, LINE_PT * lines + 2, NULL));
  return row + 1;
}

static void write_cell(xw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const rd_cell *c,
                       int st, int wrap) {
  lxw_format *f = cell_format(x, (rd_kind)c->kind, st, wrap);
  switch (c->kind) {
    case RD_TEXT: keep(x, worksheet_write_string(ws, row, col, c->s, f)); break;
    case RD_INT:
    case RD_RATE:
    case RD_GAP:
    case RD_NUMBER:
    case RD_YEAR: keep(x, worksheet_write_number(ws, row, col, c->v, f)); break;
    default: keep(x, worksheet_write_blank(ws, row, col, f));
  }
}

/* Where a table's rows went: the chart of it points at them. */
typedef struct placed {
  const rd_table *t;
  lxw_row_t header_row, first_row; /* the header, the first data row */
} placed;

static lxw_row_t write_table(xw *x, lxw_worksheet *ws, const layout *lay, const rd_table *t,
                             lxw_row_t row, int *frozen, placed *where) {
  where->t = t;
  where->header_row = row;
  int head_lines = 1;
  for (int c = 0; c < t->ncols; c++) {
    keep(x, worksheet_write_string(ws, row, (lxw_col_t)c, t->cols[c].head ? t->cols[c].head : "",
                                   x->th));
    int l = lines_in(t->cols[c].head, c < 64 ? lay->width[c] : t->cols[c].width);
    if (l > head_lines) head_lines = l;
  }
  keep(x, worksheet_set_row(ws, row, LINE_PT * head_lines + 3, NULL));
  if (t->freeze && !*frozen) {
    worksheet_freeze_panes(ws, row + 1, (lxw_col_t)t->freeze_cols);
    *frozen = 1;
  }
  row++;
  where->first_row = row;
  for (size_t r = 0; r < t->nrows; r++, row++) {
    const rd_cell *cells = rd_cell_at(t, r, 0);
    int fl = t->flags[r];
    if (fl & RD_ROW_GROUP) {
      lxw_format *f = cell_format(x, RD_TEXT, ST_GROUP, 0);
      const char *text = cells[0].kind == RD_TEXT ? cells[0].s : "";
      if (t->ncols > 1)
        keep(x, worksheet_merge_range(ws, row, 0, row, (lxw_col_t)(t->ncols - 1), text, f));
      else
        keep(x, worksheet_write_string(ws, row, 0, text, f));
      continue;
    }
    int st = (fl & RD_ROW_BOLD) ? ST_BOLD : ST_PLAIN, lines = 1;
    for (int c = 0; c < t->ncols; c++) {
      write_cell(x, ws, row, (lxw_col_t)c, &cells[c], st, t->cols[c].wrap);
      if (t->cols[c].wrap && cells[c].kind == RD_TEXT) {
        int l = lines_in(cells[c].s, c < 64 ? lay->width[c] : t->cols[c].width);
        if (l > lines) lines = l;
      }
    }
    if (lines > 1) keep(x, worksheet_set_row(ws, row, LINE_PT * lines + 2, NULL));
  }
  return row;
}

/* The chart of c, whose table was written at where, inserted at (row, col). */
static void insert_chart(xw *x, lxw_worksheet *ws, const char *sheet, const rd_chart *c,
                         const placed *where, lxw_row_t row, lxw_col_t col) {
  lxw_chart *chart = workbook_add_chart(x->wb, LXW_CHART_COLUMN);
  if (!chart) {
    keep(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
    return;
  }
  lxw_row_t r0 = where->first_row + (lxw_row_t)c->row0;
  lxw_row_t r1 = r0 + (lxw_row_t)c->nrows - 1;
  lxw_chart_series *bars = chart_add_series(chart, NULL, NULL);
  chart_series_set_categories(bars, sheet, r0, (lxw_col_t)c->cat_col, r1, (lxw_col_t)c->cat_col);
  chart_series_set_values(bars, sheet, r0, (lxw_col_t)c->val_col, r1, (lxw_col_t)c->val_col);
  chart_series_set_name(bars, c->value_name ? c->value_name : "");
  lxw_chart_fill fill = {.color = 0x4472C4};
  chart_series_set_fill(bars, &fill);
  if (c->nrows <= 24) {
    chart_series_set_labels(bars);
    chart_series_set_labels_num_format(bars, "0.0%");
    lxw_chart_font small = {.size = 8};
    chart_series_set_labels_font(bars, &small);
  }
  if (c->target_col >= 0) {
    lxw_chart_series *target = chart_add_series(chart, NULL, NULL);
    chart_series_set_categories(target, sheet, r0, (lxw_col_t)c->cat_col, r1,
                                (lxw_col_t)c->cat_col);
    chart_series_set_values(target, sheet, r0, (lxw_col_t)c->target_col, r1,
                            (lxw_col_t)c->target_col);
    chart_series_set_name(target, c->target_name ? c->target_name : "");
    if (c->markers) { /* xlsx_chart.h: a series without a line gets dash marks of its fill */
      lxw_chart_line none = {.none = LXW_TRUE};
      lxw_chart_fill red = {.color = 0xC00000};
      chart_series_set_line(target, &none);
      chart_series_set_fill(target, &red);
    } else {
      lxw_chart_line line = {.color = 0xC00000, .width = 2.25};
      chart_series_set_line(target, &line);
    }
  }
  if (c->title) {
    chart_title_set_name(chart, c->title);
    lxw_chart_font tf = {.size = 12, .bold = 1};
    chart_title_set_name_font(chart, &tf);
  }
  chart_axis_set_min(chart->y_axis, 0);
  chart_axis_set_max(chart->y_axis, 1);
  chart_axis_set_major_unit(chart->y_axis, 0.2);
  chart_axis_set_num_format(chart->y_axis, "0%");
  lxw_chart_font cats = {.size = 8, .rotation = c->nrows > 8 ? -60 : 0};
  chart_axis_set_num_font(chart->x_axis, &cats);
  chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
  double w = 140 + CHART_W_PER_BAR * (double)c->nrows;
  if (w < CHART_W_MIN) w = CHART_W_MIN;
  if (w > CHART_W_MAX) w = CHART_W_MAX;
  lxw_chart_options o = {.x_offset = 4,
                         .y_offset = 4,
                         .x_scale = w / 480.0,
                         .y_scale = (double)CHART_H / 288.0,
                         .object_position = LXW_OBJECT_MOVE_DONT_SIZE};
  keep(x, worksheet_insert_chart_opt(ws, row, col, chart, &o));
}

static void write_sheet(xw *x, const rd_sheet *s) {
  lxw_worksheet *ws = workbook_add_worksheet(x->wb, s->name);
  if (!ws) {
    keep(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
    return;
  }
  layout l;
  sheet_layout(s, &l);
  for (int c = 0; c < l.ncols; c++)
    keep(x, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, l.width[c], NULL));
  worksheet_set_paper(ws, 9); /* A4 */
  if (s->landscape) worksheet_set_landscape(ws);
  worksheet_fit_to_pages(ws, 1, 0);
  lxw_row_t row = 0;
  int frozen = 0;
  placed last = {0};
  lxw_row_t page_breaks[1001];
  size_t nbreaks = 0;
  int beside = 0;
  for (const rd_block *b = s->first; b; b = b->next) {
    switch (b->kind) {
      case RB_TITLE:
        keep(x, worksheet_write_string(ws, row, 0, b->text, x->title));
        keep(x, worksheet_set_row(ws, row, 21, NULL));
        row++;
        break;
      case RB_SUBTITLE:
        keep(x, worksheet_write_string(ws, row, 0, b->text, x->subtitle));
        keep(x, worksheet_set_row(ws, row, 18, NULL));
        row++;
        break;
      case RB_HEADING:
        row++; /* a blank row before a heading */
        keep(x, worksheet_write_string(ws, row++, 0, b->text, x->heading));
        break;
      case RB_PARA: row = text_block(x, ws, &l, row, b->text, x->para, 1.0); break;
      case RB_NOTE: row = text_block(x, ws, &l, row, b->text, x->note, 1.0); break;
      case RB_TABLE:
        row = write_table(x, ws, &l, b->table, row, &frozen, &last);
        row++; /* a blank row after a table */
        break;
      case RB_BREAK: {
        if (row > 0 && nbreaks < 1000) page_breaks[nbreaks++] = row + 1;
        row += 2;
        break;
      }
      case RB_CHART: {
        const rd_chart *c = b->chart;
        if (!c->nrows || last.t != c->table) break;
        if (c->beside) {
          insert_chart(x, ws, s->name, c, &last, last.header_row, (lxw_col_t)(c->table->ncols + 1));
          beside = 1;
        } else {
          insert_chart(x, ws, s->name, c, &last, row, 0);
          row += CHART_H / PX_PER_ROW + 2;
        }
        break;
      }
    }
  }
  /* a chart beside a table is for the screen: the printout keeps to the tables (the PDF
   * report is the one to print) */
  if (beside && row > 0) keep(x, worksheet_print_area(ws, 0, 0, row - 1, (lxw_col_t)(l.ncols - 1)));
  if (nbreaks) {
    page_breaks[nbreaks] = 0; /* the list ends with 0 */
    keep(x, worksheet_set_h_pagebreaks(ws, page_breaks));
  }
}

int rd_write_xlsx(const rd_doc *d, const char *path, ht_err *err) {
  lxw_workbook_options options = {.constant_memory = LXW_FALSE, .tmpdir = NULL};
  xw x = {0};
  x.wb = workbook_new_opt(path, &options);
  if (!x.wb) return ht_err_set(err, HT_EIO, "cannot create the workbook %s", path);
  lxw_doc_properties props = {.title = (char *)(d->title ? d->title : ""),
                              .author = "hoctap",
                              .comments = (char *)(d->header ? d->header : "")};
  workbook_set_properties(x.wb, &props);
  make_formats(&x);
  for (const rd_sheet *s = d->first; s; s = s->next) write_sheet(&x, s);
  lxw_error e = workbook_close(x.wb);
  lxw_error first = x.error ? x.error : e;
  if (first) return ht_err_set(err, HT_EIO, "cannot write the workbook: %s", lxw_strerror(first));
  return xlsx_chart_last_series_as_line(path, NULL, err);
}
