/*
 * pdf_doc.h - a PDF of blocks that flow over portrait pages (cairo + pango):
 * paragraphs, vertical space, rules and tables. A table's header rows repeat
 * on every page it continues on and a row is never split (one taller than a
 * page is cut at its foot); a table without the grid lays out side-by-side
 * text (a letterhead, a signature block, a list of labels and values). Every page gets a footer (a
 * text on the left, "page N of M" in the caller's words on the right) and may get a watermark
 * across it. Formats only: the caller gives every word.
 *
 * Text is UTF-8 and set by pango, so Vietnamese is shaped by the font and
 * pdftotext reads it back in NFC; "\n" breaks a line. A paragraph with
 * .markup, or a table with PDFD_TABLE_MARKUP, is pango markup (<b>, <i>, <span size=...>): escape
 * what is not markup with pdfd_escape().
 *
 * Usage: pdfd_new(), then blocks in order, pdfd_render() (may be called
 * once), pdfd_free(). The document copies every string it is given.
 * Rendering sets the document twice, once to count its pages and once with
 * the count in the footers; both passes break pages at the same places.
 * Thread safety: no globals; each render has its own font map.
 */
#ifndef HOCTAP_IO_PDF_DOC_H
#define HOCTAP_IO_PDF_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/strbuf.h"

typedef struct pdfd pdfd;

typedef enum { PDFD_A4 = 0, PDFD_A5 } pdfd_paper; /* portrait */
enum { PDFD_LEFT = 0, PDFD_CENTER, PDFD_RIGHT };

/* How a paragraph (or a table's cells) looks. Zero is the body text: the
 * document's size, regular, left, black, no space around. */
typedef struct pdfd_style {
  double size; /* points; 0: the body size */
  int bold, italic;
  int align;            /* PDFD_LEFT, PDFD_CENTER, PDFD_RIGHT */
  uint32_t colour;      /* 0xRRGGBB */
  double before, after; /* space above and below, points */
  double keep;          /* start a new page unless this much room is left under it */
  int markup;           /* the text is pango markup */
} pdfd_style;

/* A document on paper with margins (mm) in font (a fontconfig family list,
 * e.g. "Liberation Serif,DejaVu Serif,serif") at body_size points. */
pdfd *pdfd_new(pdfd_paper paper, double margin_mm, const char *font, double body_size);
void pdfd_free(pdfd *d);
/* The width of the text area, in points. */
double pdfd_text_width(const pdfd *d);

/* The PDF's title (its metadata). */
void pdfd_title(pdfd *d, const char *title);
/* The footer of every page: left on the left, small; pages on the right
 * with {page} and {pages} replaced by the page number and the page count
 * ("Trang {page}/{pages}"; NULL: no page numbers). */
void pdfd_footer(pdfd *d, const char *left, const char *pages);
/* Big light text across every page, under the content (e.g. a cancelled
 * document's stamp). */
void pdfd_watermark(pdfd *d, const char *text, uint32_t colour);

void pdfd_text(pdfd *d, const char *text, const pdfd_style *st);
void pdfd_space(pdfd *d, double points);
/* A horizontal line from..to, fractions of the text area's width (0, 1: all
 * of it), width points thick. */
void pdfd_rule(pdfd *d, double from, double to, double width, uint32_t colour);
/* Starts a new page (unless the current one is still empty). */
void pdfd_page_break(pdfd *d);

/* Tables. */
enum {
  PDFD_GRID = 1,        /* lines around every cell and a shaded header */
  PDFD_TABLE_MARKUP = 2 /* every cell's text is pango markup */
};
enum {
  PDFD_ROW_HEADER = 1, /* repeated on every page the table continues on; bold */
  PDFD_ROW_BOLD = 2,   /* a total */
  PDFD_ROW_SHADED = 4  /* a group's row */
};

typedef struct pdfd_col {
  double width; /* relative to the other columns */
  int align;    /* PDFD_LEFT, PDFD_CENTER, PDFD_RIGHT */
} pdfd_col;

#define PDFD_MAX_COLS 32

/* Starts a table of ncols columns (at most PDFD_MAX_COLS) (cols copied); st: the cells' text (size,
 * colour; NULL: body text a little smaller with the grid). The rows that
 * follow belong to it until another block is added. */
void pdfd_table(pdfd *d, int ncols, const pdfd_col *cols, int flags, const pdfd_style *st);
/* A row of the current table: ncols texts (NULL: empty). */
void pdfd_row(pdfd *d, int flags, const char *const *cells);

/* Renders the document and appends the PDF to out; *pages (may be NULL)
 * gets the page count. HT_EINVAL on invalid UTF-8 or markup (naming the
 * text), HT_ERR when cairo fails; on error out is left as it was. */
int pdfd_render(pdfd *d, strbuf *out, int *pages, ht_err *err);

/* text with &, <, > and quotes escaped for markup (from a). */
const char *pdfd_escape(arena *a, const char *text);

#endif
