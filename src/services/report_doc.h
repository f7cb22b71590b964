/*
 * report_doc.h - a report as a document independent of its format, written
 * once by each report (report_annual.c, ...) and rendered as an Excel
 * workbook (report_xlsx.c) or a PDF (report_pdf.c). Both renderers read the
 * same cells, so the two formats cannot disagree on a number.
 *
 * A document is a list of sheets (a workbook sheet; in the PDF a section
 * starting on a new page, portrait or landscape); a sheet is a list of blocks:
 * a title, a heading, a paragraph, a note, a table or a chart. A table has
 * columns and rows of typed cells (text, whole number, rate, gap). A chart
 * shows a range of a table's rows: one column as the bars, another as the
 * target line.
 *
 * Memory: everything is allocated from the document's arena except the
 * tables' growing row arrays (malloc), which rd_doc_free releases.
 */
#ifndef HOCTAP_SERVICES_REPORT_DOC_H
#define HOCTAP_SERVICES_REPORT_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"

typedef enum {
  RD_EMPTY = 0,
  RD_TEXT,   /* s */
  RD_INT,    /* v, a whole number: "1.234" */
  RD_RATE,   /* v, a fraction shown as a percentage: "72,4%"; NAN: empty */
  RD_GAP,    /* v, a difference of fractions: "+2,4%"; NAN: empty */
  RD_NUMBER, /* v, any number: "7,5" */
  RD_YEAR,   /* v, a year: "2025" */
  RD_KINDS
} rd_kind;

typedef struct rd_cell {
  uint8_t kind; /* rd_kind */
  double v;
  const char *s;
} rd_cell;

/* Row looks. */
enum {
  RD_ROW_BOLD = 1,  /* a total: the unit the report is about, a district */
  RD_ROW_GROUP = 2, /* a group heading: its first cell spans the row, shaded */
};

typedef struct rd_col {
  const char *head;
  double width; /* in characters of the body font; the PDF scales them to the page */
  int wrap;     /* text that may take several lines */
} rd_col;

typedef struct rd_table {
  int ncols;
  rd_col *cols;
  size_t nrows, cap;
  rd_cell *cells; /* nrows x ncols, malloc'd */
  uint8_t *flags; /* per row, malloc'd */
  int freeze;     /* the workbook keeps this table's header in view (first table only) */
  int freeze_cols;
  struct rd_table *next_owned; /* the document's list, for freeing */
} rd_table;

typedef struct rd_chart {
  const char *title;
  const rd_table *table;
  size_t row0, nrows;               /* the rows charted, consecutive */
  int cat_col, val_col, target_col; /* target_col -1: no target line */
  const char *value_name, *target_name;
  int beside;  /* the workbook puts it to the right of the table, not below */
  int markers; /* the target as a mark per category, not a line (targets that differ) */
} rd_chart;

typedef enum {
  RB_TITLE,
  RB_SUBTITLE,
  RB_HEADING,
  RB_PARA,
  RB_NOTE,
  RB_TABLE,
  RB_CHART,
  RB_BREAK /* what follows starts a new page (the workbook: a page break and a blank row) */
} rb_kind;

typedef struct rd_block {
  rb_kind kind;
  const char *text;
  rd_table *table;
  rd_chart *chart;
  struct rd_block *next;
} rd_block;

typedef struct rd_sheet {
  const char *name; /* the workbook sheet's name (at most 31 characters) */
  int landscape;
  rd_block *first, *last;
  struct rd_sheet *next;
} rd_sheet;

typedef struct rd_doc {
  arena mem;
  const char *title;  /* the document's title (PDF and workbook properties) */
  const char *header; /* the PDF's running header: unit, year, targets, date */
  rd_sheet *first, *last;
  int nsheets;
  rd_table *tables;
} rd_doc;

void rd_doc_init(rd_doc *d);
void rd_doc_free(rd_doc *d);

rd_sheet *rd_sheet_add(rd_doc *d, const char *name, int landscape);
void rd_title(rd_doc *d, rd_sheet *s, const char *text);
void rd_subtitle(rd_doc *d, rd_sheet *s, const char *text);
void rd_heading(rd_doc *d, rd_sheet *s, const char *text);
void rd_para(rd_doc *d, rd_sheet *s, const char *text);
void rd_note(rd_doc *d, rd_sheet *s, const char *text);
void rd_break(rd_doc *d, rd_sheet *s);

rd_table *rd_table_add(rd_doc *d, rd_sheet *s, int ncols);
void rd_col_set(rd_table *t, int col, const char *head, double width, int wrap);
/* Appends a row (every cell empty) and returns its cells. */
rd_cell *rd_row(rd_table *t, int flags);
static inline rd_cell *rd_cell_at(const rd_table *t, size_t row, int col) {
  return &t->cells[row * (size_t)t->ncols + (size_t)col];
}
void rd_set_text(rd_cell *c, const char *s); /* NULL or "": empty */
void rd_set_int(rd_cell *c, double v);
/* Rates and gaps are kept to six decimals, as the dashboard API gives them. */
void rd_set_rate(rd_cell *c, double v); /* NAN: empty */
void rd_set_gap(rd_cell *c, double v);  /* NAN: empty */
void rd_set_number(rd_cell *c, double v);
void rd_set_year(rd_cell *c, int year); /* 0: empty */

rd_chart *rd_chart_add(rd_doc *d, rd_sheet *s, const char *title, const rd_table *t, size_t row0,
                       size_t nrows, int cat_col, int val_col, int target_col);

/* ------------------------------------------------ numbers as people read them */

/* Every percentage of every report is rounded to a tenth of a point, half away
 * from zero (as Excel shows 0.0%), and written with a decimal comma. */
double rd_round_tenth_percent(double fraction); /* 0.72449 -> 72.4 */
/* "72,4%" ("–" for NAN); trim: "70%" instead of "70,0%" (prose). */
char *rd_fmt_rate(double fraction, int trim, char *buf, size_t size);
/* "+2,4%" / "−1,0%" / "0,0%"; "–" for NAN. */
char *rd_fmt_gap(double fraction, char *buf, size_t size);
/* "1.234.567" */
char *rd_fmt_int(double v, char *buf, size_t size);
/* "7,5", whole numbers without decimals */
char *rd_fmt_number(double v, char *buf, size_t size);
/* The text a cell shows in the PDF (into buf). */
const char *rd_cell_text(const rd_cell *c, char *buf, size_t size);

/* ------------------------------------------------ shared by the reports (report.c) */

/* s with its first letter in lower case ("Gia đình học tập" -> "gia đình học
 * tập"), from a. */
const char *rd_lower_first(arena *a, const char *s);
/* "31/12/2025" */
char *rd_fmt_date(int32_t day, char *buf, size_t size);
/* "2025-12-31" -> "31/12/2025" (from a); "" when iso is empty or not a date. */
const char *rd_iso_vn(arena *a, const char *iso);
/* Epoch milliseconds -> the day in Vietnam (UTC+7). */
int32_t rd_ms_day(int64_t ms);
/* Renders d in format f (REPORT_XLSX / REPORT_PDF as an int, so this header
 * needs no report.h) at path; *pages gets the PDF's pages. */
int rd_write(const rd_doc *d, int format, const char *path, int *pages, ht_err *err);

/* The renderers (report_xlsx.c, report_pdf.c). pages (may be NULL) gets the
 * PDF's page count. */
int rd_write_xlsx(const rd_doc *d, const char *path, ht_err *err);
int rd_write_pdf(const rd_doc *d, const char *path, int *pages, ht_err *err);

#endif
