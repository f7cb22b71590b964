/* pdf_doc.c - blocks flowing over PDF pages with cairo and pango (see pdf_doc.h). */
#include "io/pdf_doc.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#define MM (72.0 / 25.4)
#define FOOTER_SIZE 7.5
#define COLOUR_GRID 0x8C8C8C
#define COLOUR_HEAD_FILL 0xE8E4DC
#define COLOUR_SHADE_FILL 0xF3F1EC
#define COLOUR_FOOTER 0x595959

typedef enum { B_TEXT, B_SPACE, B_RULE, B_BREAK, B_TABLE } block_kind;

typedef struct row {
  int flags;
  const char **cells;
  struct row *next;
} row;

typedef struct block {
  block_kind kind;
  const char *text;
  pdfd_style st;
  double amount, to, width; /* space: points; rule: from, to and line width */
  uint32_t colour;
  int ncols, tflags;
  pdfd_col *cols;
  row *first, *last;
  struct block *next;
} block;

struct pdfd {
  arena a;
  double pw, ph, margin, body;
  const char *font, *title, *footer_left, *footer_pages, *watermark;
  uint32_t watermark_colour;
  block *first, *last, *table;
};

pdfd *pdfd_new(pdfd_paper paper, double margin_mm, const char *font, double body_size) {
  arena a;
  arena_init(&a, 0);
  pdfd *d = arena_calloc(&a, sizeof *d);
  d->a = a;
  d->pw = (paper == PDFD_A5 ? 148 : 210) * MM;
  d->ph = (paper == PDFD_A5 ? 210 : 297) * MM;
  d->margin = margin_mm * MM;
  d->body = body_size > 0 ? body_size : 10;
  d->font = arena_strdup(&d->a, font && *font ? font : "DejaVu Sans,sans-serif");
  return d;
}

void pdfd_free(pdfd *d) {
  if (!d) return;
  arena a = d->a; /* the document lives in its own arena */
  arena_free(&a);
}

double pdfd_text_width(const pdfd *d) {
  return d->pw - 2 * d->margin;
}

static const char *copy(pdfd *d, const char *s) {
  return arena_strdup(&d->a, s ? s : "");
}

void pdfd_title(pdfd *d, const char *title) {
  d->title = copy(d, title);
}

void pdfd_footer(pdfd *d, const char *left, const char *pages) {
  d->footer_left = copy(d, left);
  d->footer_pages = pages ? copy(d, pages) : NULL;
}

void pdfd_watermark(pdfd *d, const char *text, uint32_t colour) {
  d->watermark = text && *text ? copy(d, text) : NULL;
  d->watermark_colour = colour;
}

static block *add(pdfd *d, block_kind kind) {
  block *b = arena_calloc(&d->a, sizeof *b);
  b->kind = kind;
  if (d->last)
    d->last->next = b;
  else
    d->first = b;
  d->last = b;
  d->table = NULL;
  return b;
}

void pdfd_text(pdfd *d, const char *text, const pdfd_style *st) {
  block *b = add(d, B_TEXT);
  b->text = copy(d, text);
  if (st) b->st = *st;
}

void pdfd_space(pdfd *d, double points) {
  add(d, B_SPACE)->amount = points;
}

void pdfd_rule(pdfd *d, double from, double to, double width, uint32_t colour) {
  block *b = add(d, B_RULE);
  b->amount = from >= 0 && from < to && to <= 1 ? from : 0;
  b->to = from >= 0 && from < to && to <= 1 ? to : 1;
  b->width = width > 0 ? width : 0.6;
  b->colour = colour;
}

void pdfd_page_break(pdfd *d) {
  add(d, B_BREAK);
}

void pdfd_table(pdfd *d, int ncols, const pdfd_col *cols, int flags, const pdfd_style *st) {
  block *b = add(d, B_TABLE);
  b->ncols = ncols < 1 ? 1 : ncols > PDFD_MAX_COLS ? PDFD_MAX_COLS : ncols;
  b->cols = arena_calloc(&d->a, (size_t)b->ncols * sizeof *b->cols);
  for (int i = 0; i < b->ncols; i++) b->cols[i] = cols ? cols[i] : (pdfd_col){1, PDFD_LEFT};
  b->tflags = flags;
  if (st)
    b->st = *st;
  else if (flags & PDFD_GRID)
    b->st.size = d->body * 0.9;
  d->table = b;
}

void pdfd_row(pdfd *d, int flags, const char *const *cells) {
  block *b = d->table;
  if (!b) return;
  row *r = arena_calloc(&d->a, sizeof *r);
  r->flags = flags;
  r->cells = arena_calloc(&d->a, (size_t)b->ncols * sizeof *r->cells);
  for (int i = 0; i < b->ncols; i++) r->cells[i] = copy(d, cells ? cells[i] : NULL);
  if (b->last)
    b->last->next = r;
  else
    b->first = r;
  b->last = r;
}

const char *pdfd_escape(arena *a, const char *text) {
  char *e = g_markup_escape_text(text ? text : "", -1);
  const char *out = arena_strdup(a, e);
  g_free(e);
  return out;
}

/* ------------------------------------------------------------ rendering */

typedef struct pass {
  pdfd *d;
  cairo_t *cr;
  PangoContext *pc;
  int page, total, open;      /* open: a page is started */
  int counting;               /* the first pass: lay out, draw no text */
  PangoFontDescription *font; /* the document's font, parsed once */
  double y, top, bottom, x0, width;
  int rc;
  ht_err *err;
} pass;

static void colour(cairo_t *cr, uint32_t rgb) {
  cairo_set_source_rgb(cr, ((rgb >> 16) & 0xFF) / 255.0, ((rgb >> 8) & 0xFF) / 255.0,
                       (rgb & 0xFF) / 255.0);
}

static PangoAlignment alignment(int align) {
  return align == PDFD_CENTER  ? PANGO_ALIGN_CENTER
         : align == PDFD_RIGHT ? PANGO_ALIGN_RIGHT
                               : PANGO_ALIGN_LEFT;
}

/* A layout of text width wide in style st (a bad text records the error and
 * gives an empty layout, so the pass goes on and fails at its end). */
static PangoLayout *layout(pass *p, const char *text, const pdfd_style *st, int bold, int markup,
                           double width) {
  PangoLayout *l = pango_layout_new(p->pc);
  PangoFontDescription *fd = pango_font_description_copy_static(p->font);
  pango_font_description_set_weight(fd,
                                    (st->bold || bold) ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_style(fd, st->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
  pango_font_description_set_absolute_size(fd,
                                           (st->size > 0 ? st->size : p->d->body) * PANGO_SCALE);
  pango_layout_set_font_description(l, fd);
  pango_font_description_free(fd);
  pango_layout_set_width(l, (int)(width * PANGO_SCALE));
  pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment(l, alignment(st->align));
  const char *bad = NULL;
  if (!g_utf8_validate(text, -1, NULL))
    bad = "is not UTF-8";
  else if (markup && !pango_parse_markup(text, -1, 0, NULL, NULL, NULL, NULL))
    bad = "is not valid markup";
  if (bad) {
    if (p->rc == HT_OK)
      p->rc = ht_err_set(p->err, HT_EINVAL, "a text of the document %s: '%.60s'", bad,
                         g_utf8_validate(text, -1, NULL) ? text : "?");
    return l;
  }
  if (markup)
    pango_layout_set_markup(l, text, -1);
  else
    pango_layout_set_text(l, text, -1);
  return l;
}

static double height_of(PangoLayout *l) {
  int w, h;
  pango_layout_get_size(l, &w, &h);
  return (double)h / PANGO_SCALE;
}

static void show(pass *p, PangoLayout *l, double x, double y, uint32_t rgb) {
  if (p->counting) return; /* the layout's size is all the first pass needs */
  colour(p->cr, rgb);
  cairo_move_to(p->cr, x, y);
  pango_cairo_show_layout(p->cr, l);
}

static void watermark(pass *p) {
  const pdfd *d = p->d;
  if (!d->watermark) return;
  pdfd_style st = {.size = d->pw / 7, .bold = 1, .align = PDFD_CENTER};
  PangoLayout *l = layout(p, d->watermark, &st, 1, 0, d->pw * 1.2);
  cairo_save(p->cr);
  cairo_translate(p->cr, d->pw / 2, d->ph / 2);
  cairo_rotate(p->cr, -atan2(d->ph, d->pw));
  uint32_t c = d->watermark_colour;
  cairo_set_source_rgba(p->cr, ((c >> 16) & 0xFF) / 255.0, ((c >> 8) & 0xFF) / 255.0,
                        (c & 0xFF) / 255.0, 0.22);
  cairo_move_to(p->cr, -d->pw * 0.6, -height_of(l) / 2);
  pango_cairo_show_layout(p->cr, l);
  cairo_restore(p->cr);
  g_object_unref(l);
}

static void start_page(pass *p) {
  p->page++;
  p->open = 1;
  p->y = p->top;
  cairo_set_source_rgb(p->cr, 1, 1, 1);
  cairo_paint(p->cr);
  watermark(p);
}

static void end_page(pass *p) {
  const pdfd *d = p->d;
  pdfd_style st = {.size = FOOTER_SIZE};
  double fy = d->ph - d->margin + FOOTER_SIZE * 0.6;
  if (d->footer_left && *d->footer_left) {
    PangoLayout *l = layout(p, d->footer_left, &st, 0, 0, p->width * 0.72);
    show(p, l, p->x0, fy, COLOUR_FOOTER);
    g_object_unref(l);
  }
  if (d->footer_pages) {
    strbuf text = STRBUF_INIT;
    for (const char *s = d->footer_pages; *s; s++) {
      if (!strncmp(s, "{page}", 6)) {
        strbuf_printf(&text, "%d", p->page);
        s += 5;
      } else if (!strncmp(s, "{pages}", 7)) {
        strbuf_printf(&text, "%d", p->total ? p->total : p->page);
        s += 6;
      } else {
        strbuf_putc(&text, *s);
      }
    }
    st.align = PDFD_RIGHT;
    PangoLayout *l = layout(p, strbuf_cstr(&text), &st, 0, 0, p->width * 0.26);
    strbuf_free(&text);
    show(p, l, p->x0 + p->width * 0.74, fy, COLOUR_FOOTER);
    g_object_unref(l);
  }
  cairo_show_page(p->cr);
  p->open = 0;
}

static void new_page(pass *p) {
  if (p->open) end_page(p);
  start_page(p);
}

/* Room for h more points on this page, else a new page. */
static void need(pass *p, double h) {
  if (p->y + h > p->bottom && p->y > p->top) new_page(p);
}

static void draw_text(pass *p, const block *b) {
  PangoLayout *l = layout(p, b->text, &b->st, 0, b->st.markup, p->width);
  double h = height_of(l);
  need(p, b->st.before + h + b->st.keep);
  p->y += p->y > p->top ? b->st.before : 0;
  show(p, l, p->x0, p->y, b->st.colour);
  p->y += h + b->st.after;
  g_object_unref(l);
}

/* ------------------------------------------------------------ tables */

typedef struct cells {
  PangoLayout **l;
  double h;
} cells;

static void row_layouts(pass *p, const block *b, const row *r, const double *w, double pad_x,
                        double pad_y, cells *out) {
  out->h = 0;
  for (int c = 0; c < b->ncols; c++) {
    pdfd_style st = b->st;
    st.align = b->cols[c].align;
    int bold = (r->flags & (PDFD_ROW_HEADER | PDFD_ROW_BOLD)) != 0;
    if ((r->flags & PDFD_ROW_HEADER) && (b->tflags & PDFD_GRID)) st.align = PDFD_CENTER;
    out->l[c] = layout(p, r->cells[c], &st, bold, (b->tflags & PDFD_TABLE_MARKUP) != 0,
                       fmax(w[c] - 2 * pad_x, 4));
    out->h = fmax(out->h, height_of(out->l[c]) + 2 * pad_y);
  }
}

static void free_row(const block *b, cells *c) {
  for (int i = 0; i < b->ncols; i++)
    if (c->l[i]) g_object_unref(c->l[i]);
}

static void draw_row(pass *p, const block *b, const row *r, const double *w, double pad_x,
                     double pad_y, cells *c) {
  int grid = (b->tflags & PDFD_GRID) != 0;
  uint32_t fill = (r->flags & PDFD_ROW_HEADER) && grid ? COLOUR_HEAD_FILL
                  : (r->flags & PDFD_ROW_SHADED)       ? COLOUR_SHADE_FILL
                                                       : 0xFFFFFF;
  double x = p->x0;
  for (int i = 0; i < b->ncols; i++) {
    if (fill != 0xFFFFFF) {
      colour(p->cr, fill);
      cairo_rectangle(p->cr, x, p->y, w[i], c->h);
      cairo_fill(p->cr);
    }
    if (grid) {
      colour(p->cr, COLOUR_GRID);
      cairo_set_line_width(p->cr, 0.5);
      cairo_rectangle(p->cr, x, p->y, w[i], c->h);
      cairo_stroke(p->cr);
    }
    /* header cells in the grid centred vertically too */
    double dy =
        grid && (r->flags & PDFD_ROW_HEADER) ? (c->h - 2 * pad_y - height_of(c->l[i])) / 2 : 0;
    show(p, c->l[i], x + pad_x, p->y + pad_y + dy, b->st.colour);
    x += w[i];
  }
  p->y += c->h;
}

static void draw_table(pass *p, const block *b) {
  int grid = (b->tflags & PDFD_GRID) != 0;
  double pad_x = grid ? 3 : 2, pad_y = grid ? 2.2 : 1.2;
  double w[PDFD_MAX_COLS], total = 0;
  for (int i = 0; i < b->ncols; i++) total += b->cols[i].width > 0 ? b->cols[i].width : 1;
  for (int i = 0; i < b->ncols; i++)
    w[i] = p->width * (b->cols[i].width > 0 ? b->cols[i].width : 1) / total;
  PangoLayout *lay[PDFD_MAX_COLS];
  cells c = {lay, 0};
  /* the header rows: the leading rows flagged so */
  const row *body = b->first;
  double head_h = 0;
  while (body && (body->flags & PDFD_ROW_HEADER)) {
    row_layouts(p, b, body, w, pad_x, pad_y, &c);
    head_h += c.h;
    free_row(b, &c);
    body = body->next;
  }
  int header_drawn = 0;
  for (const row *r = body; r || !header_drawn; r = r ? r->next : NULL) {
    double h = 0;
    if (r) {
      row_layouts(p, b, r, w, pad_x, pad_y, &c);
      h = c.h;
    }
    /* a new page when this row (and, at the start, the header) does not fit */
    if (p->y + h + (header_drawn ? 0 : head_h) > p->bottom && p->y > p->top) {
      new_page(p);
      header_drawn = 0;
    }
    if (!header_drawn) {
      for (const row *hr = b->first; hr != body; hr = hr->next) {
        cells hc = {(PangoLayout *[PDFD_MAX_COLS]){0}, 0};
        row_layouts(p, b, hr, w, pad_x, pad_y, &hc);
        draw_row(p, b, hr, w, pad_x, pad_y, &hc);
        free_row(b, &hc);
      }
      header_drawn = 1;
    }
    if (!r) break;
    draw_row(p, b, r, w, pad_x, pad_y, &c);
    free_row(b, &c);
  }
}

static void draw_blocks(pass *p) {
  start_page(p);
  for (const block *b = p->d->first; b; b = b->next) {
    switch (b->kind) {
      case B_TEXT: draw_text(p, b); break;
      case B_SPACE:
        if (p->y > p->top) p->y = fmin(p->y + b->amount, p->bottom);
        break;
      case B_RULE: {
        need(p, 4);
        colour(p->cr, b->colour);
        cairo_set_line_width(p->cr, b->width);
        cairo_move_to(p->cr, p->x0 + p->width * b->amount, p->y + 2);
        cairo_line_to(p->cr, p->x0 + p->width * b->to, p->y + 2);
        cairo_stroke(p->cr);
        p->y += 4;
        break;
      }
      case B_BREAK:
        if (p->y > p->top) new_page(p);
        break;
      case B_TABLE: draw_table(p, b); break;
    }
  }
  end_page(p);
}

static cairo_status_t discard(void *closure, const unsigned char *data, unsigned int length) {
  (void)closure;
  (void)data;
  (void)length;
  return CAIRO_STATUS_SUCCESS;
}

static cairo_status_t append(void *closure, const unsigned char *data, unsigned int length) {
  strbuf_append(closure, (const char *)data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* One pass: into out (NULL: counting, the bytes discarded). */
static int run_pass(pdfd *d, strbuf *out, int total, int *pages, ht_err *err) {
  cairo_surface_t *surface =
      cairo_pdf_surface_create_for_stream(out ? append : discard, out, d->pw, d->ph);
  if (d->title && g_utf8_validate(d->title, -1, NULL))
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, d->title);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "hoctap");
  pass p = {.d = d, .total = total, .counting = out == NULL, .err = err, .rc = HT_OK};
  p.cr = cairo_create(surface);
  PangoFontMap *fonts = pango_cairo_font_map_new(); /* our own: threads render at once */
  p.pc = pango_font_map_create_context(fonts);
  cairo_font_options_t *fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(p.pc, fo);
  cairo_font_options_destroy(fo);
  pango_context_set_round_glyph_positions(p.pc, FALSE);
  pango_context_set_language(p.pc, pango_language_from_string("vi"));
  pango_cairo_update_context(p.cr, p.pc);
  p.font = pango_font_description_from_string(d->font);
  p.x0 = d->margin;
  p.width = d->pw - 2 * d->margin;
  p.top = d->margin;
  p.bottom = d->ph - d->margin - FOOTER_SIZE * 1.2;
  draw_blocks(&p);
  cairo_status_t cs = cairo_status(p.cr);
  cairo_destroy(p.cr);
  cairo_surface_finish(surface);
  if (cs == CAIRO_STATUS_SUCCESS) cs = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  pango_font_description_free(p.font);
  g_object_unref(p.pc);
  g_object_unref(fonts);
  if (pages) *pages = p.page;
  if (p.rc == HT_OK && cs != CAIRO_STATUS_SUCCESS)
    p.rc = ht_err_set(err, HT_ERR, "cannot write the PDF: %s", cairo_status_to_string(cs));
  return p.rc;
}

int pdfd_render(pdfd *d, strbuf *out, int *pages, ht_err *err) {
  size_t start = out->len;
  int total = 0;
  int rc = run_pass(d, NULL, 0, &total, err);
  if (rc == HT_OK) rc = run_pass(d, out, total, pages, err);
  if (rc != HT_OK) {
    out->len = start;
    if (out->data) out->data[start] = 0;
  }
  return rc;
}
