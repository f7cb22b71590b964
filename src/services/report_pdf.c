/* report_pdf.c - a report document as a PDF (see report_doc.h), with cairo
 * and pango as the certificates are (services/certificate.c): A4, each
 * section from a new page in its orientation, a running header (the unit,
 * year, targets and date) and "Trang X/Y" at the foot of every page, tables
 * that continue on the next page under their repeated header, and the charts
 * drawn as the workbook's: the rates as columns, the target as a red line.
 *
 * The document is set twice: once to count the pages, once for real with the
 * count in the footers (both passes lay out the same text with the same
 * fonts, so they break pages at the same places). */
#include <cairo-pdf.h>
#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#include "services/report_doc.h"

#define A4_W 595.28
#define A4_H 841.89
#define MARGIN 34.0
#define HEADER_H 20.0 /* the running header and its rule, above the content */
#define FOOTER_H 18.0
#define PAD 2.6 /* inside table cells */
#define TABLE_PT 7.6
#define BODY_PT 9.6
#define FONT "Liberation Sans,DejaVu Sans,sans-serif"

#define COLOUR_TEXT 0x1A1A1A
#define COLOUR_MUTED 0x595959
#define COLOUR_RULE 0xA6A6A6
#define COLOUR_HEAD_FILL 0xD9E2F3
#define COLOUR_GROUP_FILL 0xEDEDED
#define COLOUR_BAR 0x4472C4
#define COLOUR_TARGET 0xC00000
#define COLOUR_GRID 0xD9D9D9

typedef struct pdf {
  const rd_doc *d;
  cairo_surface_t *surface;
  cairo_t *cr;
  PangoContext *pc;
  const rd_sheet *sheet;
  double pw, ph;      /* the page */
  double x0, x1;      /* the content's left and right */
  double top, bottom; /* the content's top and bottom on every page */
  double y;           /* where the next block goes */
  int page, total;    /* total: 0 while counting */
  int dry;            /* counting the pages: lay out, measure, draw nothing */
} pdf;

static void colour(cairo_t *cr, unsigned rgb) {
  cairo_set_source_rgb(cr, ((rgb >> 16) & 0xFF) / 255.0, ((rgb >> 8) & 0xFF) / 255.0,
                       (rgb & 0xFF) / 255.0);
}

enum { F_BOLD = 1, F_ITALIC = 2, F_ONE_LINE = 4 };

/* A layout of text width wide (<= 0: unbounded), wrapped at words, or on one
 * line cut with an ellipsis (F_ONE_LINE). */
static PangoLayout *text_layout(pdf *p, const char *text, double size, int flags, double width,
                                PangoAlignment align) {
  PangoLayout *l = pango_layout_new(p->pc);
  PangoFontDescription *fd = pango_font_description_from_string(FONT);
  pango_font_description_set_weight(fd, (flags & F_BOLD) ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_style(fd,
                                   (flags & F_ITALIC) ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
  pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
  pango_layout_set_font_description(l, fd);
  pango_font_description_free(fd);
  if (width > 0) {
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    if (flags & F_ONE_LINE) {
      pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
      pango_layout_set_height(l, -1);
    } else {
      pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    }
  }
  pango_layout_set_alignment(l, align);
  pango_layout_set_text(l, text ? text : "", -1);
  return l;
}

static double height_of(PangoLayout *l) {
  int w, h;
  pango_layout_get_size(l, &w, &h);
  return (double)h / PANGO_SCALE;
}

static double width_of(PangoLayout *l) {
  int w, h;
  pango_layout_get_size(l, &w, &h);
  return (double)w / PANGO_SCALE;
}

static void show(pdf *p, PangoLayout *l, double x, double y, unsigned rgb) {
  if (p->dry) return;
  colour(p->cr, rgb);
  cairo_move_to(p->cr, x, y);
  pango_cairo_show_layout(p->cr, l);
}

/* Draws text at (x, y) width wide and returns its height. */
static double put(pdf *p, const char *text, double size, int flags, double x, double y,
                  double width, PangoAlignment align, unsigned rgb) {
  PangoLayout *l = text_layout(p, text, size, flags, width, align);
  show(p, l, x, y, rgb);
  double h = height_of(l);
  g_object_unref(l);
  return h;
}

static void hline(pdf *p, double x0, double x1, double y, double w, unsigned rgb) {
  if (p->dry) return;
  colour(p->cr, rgb);
  cairo_set_line_width(p->cr, w);
  cairo_move_to(p->cr, x0, y);
  cairo_line_to(p->cr, x1, y);
  cairo_stroke(p->cr);
}

/* ------------------------------------------------------------ pages */

static void new_page(pdf *p) {
  if (p->page) cairo_show_page(p->cr);
  p->page++;
  int land = p->sheet && p->sheet->landscape;
  p->pw = land ? A4_H : A4_W;
  p->ph = land ? A4_W : A4_H;
  cairo_pdf_surface_set_size(p->surface, p->pw, p->ph);
  p->x0 = MARGIN;
  p->x1 = p->pw - MARGIN;
  p->top = MARGIN + HEADER_H;
  p->bottom = p->ph - MARGIN - FOOTER_H;
  p->y = p->top;
  /* the running header: what the report is, left; the section, right */
  double w = p->x1 - p->x0;
  put(p, p->d->header, 7.5, F_ONE_LINE, p->x0, MARGIN, w * 0.74, PANGO_ALIGN_LEFT, COLOUR_MUTED);
  if (p->sheet)
    put(p, p->sheet->name, 7.5, F_ONE_LINE | F_BOLD, p->x0 + w * 0.75, MARGIN, w * 0.25,
        PANGO_ALIGN_RIGHT, COLOUR_MUTED);
  hline(p, p->x0, p->x1, MARGIN + 12, 0.5, COLOUR_RULE);
  char foot[64];
  if (p->total)
    snprintf(foot, sizeof foot, "Trang %d/%d", p->page, p->total);
  else
    snprintf(foot, sizeof foot, "Trang %d", p->page);
  put(p, foot, 7.5, 0, p->x0, p->ph - MARGIN - 9, w, PANGO_ALIGN_CENTER, COLOUR_MUTED);
}

/* Room for h more points on this page, else a new page. */
static void need(pdf *p, double h) {
  if (p->y + h > p->bottom && p->y > p->top) new_page(p);
}

/* ------------------------------------------------------------ text blocks */

static void text_block(pdf *p, const char *text, double size, int flags, PangoAlignment align,
                       unsigned rgb, double before, double after) {
  double w = p->x1 - p->x0;
  PangoLayout *l = text_layout(p, text, size, flags, w, align);
  if (align == PANGO_ALIGN_LEFT && !(flags & F_BOLD)) pango_layout_set_justify(l, TRUE);
  double h = height_of(l);
  need(p, before + h);
  if (p->y > p->top) p->y += before;
  show(p, l, p->x0, p->y, rgb);
  g_object_unref(l);
  p->y += h + after;
}

/* ------------------------------------------------------------ tables */

typedef struct cols {
  int n;
  double x[65], w[64]; /* x[i]: left edge of column i; x[n]: the right edge */
} cols;

static void table_cols(pdf *p, const rd_table *t, cols *c) {
  c->n = t->ncols < 64 ? t->ncols : 64;
  double sum = 0;
  for (int i = 0; i < c->n; i++) sum += t->cols[i].width;
  double w = p->x1 - p->x0, x = p->x0;
  for (int i = 0; i < c->n; i++) {
    c->x[i] = x;
    c->w[i] = w * t->cols[i].width / (sum > 0 ? sum : 1);
    x += c->w[i];
  }
  c->x[c->n] = x;
}

static int numeric(const rd_cell *cell) {
  return cell->kind == RD_INT || cell->kind == RD_RATE || cell->kind == RD_GAP ||
         cell->kind == RD_NUMBER || cell->kind == RD_YEAR;
}

static void cell_box(pdf *p, double x, double y, double w, double h, unsigned fill) {
  if (p->dry) return;
  if (fill) {
    colour(p->cr, fill);
    cairo_rectangle(p->cr, x, y, w, h);
    cairo_fill(p->cr);
  }
  colour(p->cr, COLOUR_RULE);
  cairo_set_line_width(p->cr, 0.4);
  cairo_rectangle(p->cr, x, y, w, h);
  cairo_stroke(p->cr);
}

static double header_height(pdf *p, const rd_table *t, const cols *c) {
  double h = 0;
  for (int i = 0; i < c->n; i++) {
    PangoLayout *l =
        text_layout(p, t->cols[i].head, TABLE_PT, F_BOLD, c->w[i] - 2 * PAD, PANGO_ALIGN_CENTER);
    double lh = height_of(l);
    g_object_unref(l);
    if (lh > h) h = lh;
  }
  return h + 2 * PAD;
}

static void draw_header(pdf *p, const rd_table *t, const cols *c, double h) {
  for (int i = 0; i < c->n; i++) {
    cell_box(p, c->x[i], p->y, c->w[i], h, COLOUR_HEAD_FILL);
    PangoLayout *l =
        text_layout(p, t->cols[i].head, TABLE_PT, F_BOLD, c->w[i] - 2 * PAD, PANGO_ALIGN_CENTER);
    show(p, l, c->x[i] + PAD, p->y + (h - height_of(l)) / 2, COLOUR_TEXT);
    g_object_unref(l);
  }
  p->y += h;
}

/* The vertical rules of the rows from y0 to y1 (one stroke for the whole run of rows,
 * not a box per cell: the PDF stays small and fast to write); a group heading from
 * group_top on has only the outer ones. */
static void column_rules(pdf *p, const cols *c, double y0, double group_top, double y1) {
  if (p->dry || y1 <= y0) return;
  double body_end = group_top >= 0 ? group_top : y1;
  colour(p->cr, COLOUR_RULE);
  cairo_set_line_width(p->cr, 0.4);
  for (int i = 0; i <= c->n; i++) {
    int outer = i == 0 || i == c->n;
    double end = outer ? y1 : body_end;
    if (end <= y0) continue;
    cairo_move_to(p->cr, c->x[i], y0);
    cairo_line_to(p->cr, c->x[i], end);
  }
  cairo_stroke(p->cr);
}

static void draw_table(pdf *p, const rd_table *t) {
  cols c;
  table_cols(p, t, &c);
  double hh = header_height(p, t, &c);
  need(p, hh + 3 * (TABLE_PT + 2 * PAD)); /* a header never ends a page alone */
  draw_header(p, t, &c, hh);
  double top = p->y, group_top = -1; /* where the current run of rows started */
  PangoLayout *l[64];
  char buf[64];
  for (size_t r = 0; r < t->nrows; r++) {
    const rd_cell *cells = rd_cell_at(t, r, 0);
    int fl = t->flags[r];
    double h = 0;
    if (fl & RD_ROW_GROUP) {
      l[0] = text_layout(p, cells[0].kind == RD_TEXT ? cells[0].s : "", TABLE_PT, F_BOLD,
                         c.x[c.n] - c.x[0] - 2 * PAD, PANGO_ALIGN_LEFT);
      h = height_of(l[0]) + 2 * PAD;
    } else {
      for (int i = 0; i < c.n; i++) {
        const char *text = rd_cell_text(&cells[i], buf, sizeof buf);
        l[i] = text_layout(p, text, TABLE_PT, (fl & RD_ROW_BOLD) ? F_BOLD : 0, c.w[i] - 2 * PAD,
                           numeric(&cells[i]) ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
        double lh = height_of(l[i]);
        if (lh > h) h = lh;
      }
      h += 2 * PAD;
    }
    if (p->y + h > p->bottom) { /* the rest under the header repeated */
      column_rules(p, &c, top, group_top, p->y);
      new_page(p);
      draw_header(p, t, &c, hh);
      top = p->y;
      group_top = -1;
    }
    if (fl & RD_ROW_GROUP) {
      if (!p->dry) {
        colour(p->cr, COLOUR_GROUP_FILL);
        cairo_rectangle(p->cr, c.x[0], p->y, c.x[c.n] - c.x[0], h);
        cairo_fill(p->cr);
      }
      column_rules(p, &c, top, group_top, p->y); /* no column rules across the heading */
      group_top = p->y;
      show(p, l[0], c.x[0] + PAD, p->y + PAD, COLOUR_TEXT);
      g_object_unref(l[0]);
    } else {
      if (group_top >= 0) {
        top = p->y;
        group_top = -1;
      }
      for (int i = 0; i < c.n; i++) {
        show(p, l[i], c.x[i] + PAD, p->y + PAD, COLOUR_TEXT);
        g_object_unref(l[i]);
      }
    }
    p->y += h;
    hline(p, c.x[0], c.x[c.n], p->y, 0.4, COLOUR_RULE);
  }
  column_rules(p, &c, top, group_top, p->y);
  p->y += 10;
}

/* ------------------------------------------------------------ charts */

#define CHART_PLOT_H 130.0
#define CHART_LABEL_H 56.0
#define CHART_AXIS_W 30.0

static double cell_value(const rd_table *t, size_t row, int col) {
  const rd_cell *c = rd_cell_at(t, row, col);
  return c->kind == RD_EMPTY || c->kind == RD_TEXT ? NAN : c->v;
}

/* One chart of rows [from, from + n) of the chart's range. */
static void draw_chart_part(pdf *p, const rd_chart *ch, size_t from, size_t n, int part,
                            int parts) {
  const rd_table *t = ch->table;
  double title_h = 16, legend_h = 16;
  double total = title_h + CHART_PLOT_H + CHART_LABEL_H + legend_h + 12;
  need(p, total);
  if (p->dry) {
    p->y += total;
    return;
  }
  cairo_t *cr = p->cr;
  double w = p->x1 - p->x0;
  char title[512];
  if (parts > 1)
    snprintf(title, sizeof title, "%s (%d/%d)", ch->title ? ch->title : "", part, parts);
  else
    snprintf(title, sizeof title, "%s", ch->title ? ch->title : "");
  put(p, title, 9.5, F_BOLD, p->x0, p->y, w, PANGO_ALIGN_CENTER, COLOUR_TEXT);
  double px0 = p->x0 + CHART_AXIS_W, px1 = p->x1 - 6;
  double py0 = p->y + title_h + 4, py1 = py0 + CHART_PLOT_H;
  /* grid and axis labels: 0% .. 100% */
  for (int k = 0; k <= 5; k++) {
    double y = py1 - CHART_PLOT_H * k / 5.0;
    hline(p, px0, px1, y, k ? 0.4 : 0.8, k ? COLOUR_GRID : COLOUR_RULE);
    char lab[16];
    snprintf(lab, sizeof lab, "%d%%", k * 20);
    PangoLayout *l = text_layout(p, lab, 7, 0, CHART_AXIS_W - 4, PANGO_ALIGN_RIGHT);
    show(p, l, p->x0, y - height_of(l) / 2, COLOUR_MUTED);
    g_object_unref(l);
  }
  double slot = (px1 - px0) / (double)(n ? n : 1);
  double bar = slot * 0.62;
  char buf[64];
  for (size_t i = 0; i < n; i++) {
    size_t r = ch->row0 + from + i;
    double v = cell_value(t, r, ch->val_col);
    double cx = px0 + slot * ((double)i + 0.5);
    if (!isnan(v)) {
      double vv = v < 0 ? 0 : v > 1 ? 1 : v;
      colour(cr, COLOUR_BAR);
      cairo_rectangle(cr, cx - bar / 2, py1 - vv * CHART_PLOT_H, bar, vv * CHART_PLOT_H);
      cairo_fill(cr);
      if (n <= 24) { /* the value above its bar, as the workbook's labels */
        PangoLayout *l =
            text_layout(p, rd_fmt_rate(v, 0, buf, sizeof buf), 6.5, 0, -1, PANGO_ALIGN_LEFT);
        show(p, l, cx - width_of(l) / 2, py1 - vv * CHART_PLOT_H - height_of(l) - 1, COLOUR_TEXT);
        g_object_unref(l);
      }
    }
    /* the category under the axis, slanted when there are many */
    const rd_cell *cat = rd_cell_at(t, r, ch->cat_col);
    const char *name = rd_cell_text(cat, buf, sizeof buf);
    if (n <= 8) {
      PangoLayout *l = text_layout(p, name, 7, 0, slot - 2, PANGO_ALIGN_CENTER);
      pango_layout_set_height(l, -3 * PANGO_SCALE);
      pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
      show(p, l, cx - (slot - 2) / 2, py1 + 3, COLOUR_TEXT);
      g_object_unref(l);
    } else {
      double lw = CHART_LABEL_H / sin(M_PI / 3) - 4;
      PangoLayout *l = text_layout(p, name, 6.5, F_ONE_LINE, lw, PANGO_ALIGN_RIGHT);
      double lh = height_of(l);
      cairo_save(cr);
      cairo_translate(cr, cx + lh * 0.3, py1 + 3);
      cairo_rotate(cr, -M_PI / 3);
      show(p, l, -lw, -lh / 2, COLOUR_TEXT);
      cairo_restore(cr);
      g_object_unref(l);
    }
  }
  /* the target: a line through the middle of each slot, as Excel draws it */
  if (ch->target_col >= 0) {
    colour(cr, COLOUR_TARGET);
    cairo_set_line_width(cr, 1.6);
    int open = 0;
    for (size_t i = 0; i < n; i++) {
      double v = cell_value(t, ch->row0 + from + i, ch->target_col);
      double cx = px0 + slot * ((double)i + 0.5);
      if (isnan(v)) {
        open = 0;
        continue;
      }
      double y = py1 - (v < 0 ? 0 : v > 1 ? 1 : v) * CHART_PLOT_H;
      if (n == 1 || ch->markers) { /* a short level mark across the slot */
        cairo_move_to(cr, cx - slot * 0.45, y);
        cairo_line_to(cr, cx + slot * 0.45, y);
      } else if (open) {
        cairo_line_to(cr, cx, y);
      } else {
        cairo_move_to(cr, cx, y);
      }
      open = 1;
    }
    cairo_stroke(cr);
  }
  /* the legend */
  double ly = py1 + CHART_LABEL_H + 4;
  PangoLayout *a = text_layout(p, ch->value_name, 7.5, 0, -1, PANGO_ALIGN_LEFT);
  PangoLayout *b =
      ch->target_col >= 0 ? text_layout(p, ch->target_name, 7.5, 0, -1, PANGO_ALIGN_LEFT) : NULL;
  double total_w = 14 + width_of(a) + (b ? 30 + 14 + width_of(b) : 0);
  double lx = p->x0 + (w - total_w) / 2;
  colour(cr, COLOUR_BAR);
  cairo_rectangle(cr, lx, ly + 2, 9, 7);
  cairo_fill(cr);
  show(p, a, lx + 14, ly, COLOUR_TEXT);
  if (b) {
    double bx = lx + 14 + width_of(a) + 30;
    colour(cr, COLOUR_TARGET);
    cairo_set_line_width(cr, 1.6);
    if (ch->markers) cairo_set_line_width(cr, 3);
    cairo_move_to(cr, bx, ly + 5.5);
    cairo_line_to(cr, bx + 11, ly + 5.5);
    cairo_stroke(cr);
    show(p, b, bx + 14, ly, COLOUR_TEXT);
    g_object_unref(b);
  }
  g_object_unref(a);
  p->y += total;
}

static void draw_chart(pdf *p, const rd_chart *ch) {
  if (!ch->nrows) return;
  size_t per = p->sheet && p->sheet->landscape ? 42 : 26;
  int parts = (int)((ch->nrows + per - 1) / per);
  size_t each = (ch->nrows + (size_t)parts - 1) / (size_t)parts; /* even parts */
  for (int k = 0; k < parts; k++) {
    size_t from = (size_t)k * each;
    size_t n = from + each > ch->nrows ? ch->nrows - from : each;
    draw_chart_part(p, ch, from, n, k + 1, parts);
  }
}

/* ------------------------------------------------------------ the document */

static void draw_doc(pdf *p) {
  for (const rd_sheet *s = p->d->first; s; s = s->next) {
    p->sheet = s;
    new_page(p);
    for (const rd_block *b = s->first; b; b = b->next) {
      switch (b->kind) {
        case RB_TITLE:
          text_block(p, b->text, 14, F_BOLD, PANGO_ALIGN_CENTER, COLOUR_TEXT, 0, 4);
          break;
        case RB_SUBTITLE:
          text_block(p, b->text, 11.5, F_BOLD, PANGO_ALIGN_CENTER, COLOUR_TEXT, 0, 8);
          break;
        case RB_HEADING:
          need(p, 60); /* a heading stays with what follows */
          text_block(p, b->text, 10.5, F_BOLD, PANGO_ALIGN_LEFT, 0x1F3864, 8, 4);
          break;
        case RB_PARA:
          text_block(p, b->text, BODY_PT, 0, PANGO_ALIGN_LEFT, COLOUR_TEXT, 0, 4);
          break;
        case RB_NOTE:
          text_block(p, b->text, 7.8, F_ITALIC, PANGO_ALIGN_LEFT, COLOUR_MUTED, 0, 3);
          break;
        case RB_TABLE: draw_table(p, b->table); break;
        case RB_CHART: draw_chart(p, b->chart); break;
        case RB_BREAK:
          if (p->y > p->top) new_page(p);
          break;
      }
    }
  }
  cairo_show_page(p->cr);
}

static cairo_status_t discard(void *closure, const unsigned char *data, unsigned int length) {
  (void)closure;
  (void)data;
  (void)length;
  return CAIRO_STATUS_SUCCESS;
}

static cairo_status_t to_file(void *closure, const unsigned char *data, unsigned int length) {
  return fwrite(data, 1, length, closure) == length ? CAIRO_STATUS_SUCCESS
                                                    : CAIRO_STATUS_WRITE_ERROR;
}

/* One pass over the document into out (NULL: counting only). */
static cairo_status_t pass(const rd_doc *d, FILE *out, int total, int *pages) {
  pdf p = {.d = d, .total = total, .dry = out == NULL};
  p.surface = out ? cairo_pdf_surface_create_for_stream(to_file, out, A4_W, A4_H)
                  : cairo_pdf_surface_create_for_stream(discard, NULL, A4_W, A4_H);
  if (d->title) cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_TITLE, d->title);
  cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_CREATOR, "hoctap");
  p.cr = cairo_create(p.surface);
  /* a font map of our own: nothing shared with other threads rendering */
  PangoFontMap *fonts = pango_cairo_font_map_new();
  p.pc = pango_font_map_create_context(fonts);
  cairo_font_options_t *fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(p.pc, fo);
  cairo_font_options_destroy(fo);
  pango_context_set_round_glyph_positions(p.pc, FALSE);
  pango_context_set_language(p.pc, pango_language_from_string("vi"));
  pango_cairo_update_context(p.cr, p.pc);
  draw_doc(&p);
  cairo_status_t cs = cairo_status(p.cr);
  cairo_destroy(p.cr);
  cairo_surface_finish(p.surface);
  if (cs == CAIRO_STATUS_SUCCESS) cs = cairo_surface_status(p.surface);
  cairo_surface_destroy(p.surface);
  g_object_unref(p.pc);
  g_object_unref(fonts);
  *pages = p.page;
  return cs;
}

int rd_write_pdf(const rd_doc *d, const char *path, int *pages, ht_err *err) {
  int counted = 0, written = 0;
  cairo_status_t cs = pass(d, NULL, 0, &counted);
  if (cs != CAIRO_STATUS_SUCCESS)
    return ht_err_set(err, HT_ERR, "cannot lay out the PDF: %s", cairo_status_to_string(cs));
  FILE *f = fopen(path, "wb");
  if (!f) return ht_err_set(err, HT_EIO, "cannot create %s: %m", path);
  cs = pass(d, f, counted, &written);
  int closed = fclose(f);
  if (cs != CAIRO_STATUS_SUCCESS)
    return ht_err_set(err, HT_EIO, "cannot write the PDF %s: %s", path, cairo_status_to_string(cs));
  if (closed != 0) return ht_err_set(err, HT_EIO, "cannot write the PDF %s: %m", path);
  if (pages) *pages = written;
  return HT_OK;
}
