/*
 * xlsx_write.h - writing a one-sheet .xlsx workbook row by row, in constant
 * memory (libxlsxwriter's constant_memory mode: each finished row goes to a
 * temporary file), so a million-row export needs no more memory than one row.
 *
 * Cells are written left to right, rows top to bottom. Text is kept as text
 * (a spreadsheet never runs it as a formula); numbers as numbers. The first
 * row can be written bold as a header. Errors are kept until xlsxw_close().
 */
#ifndef HOCTAP_IO_XLSX_WRITE_H
#define HOCTAP_IO_XLSX_WRITE_H

#include "base/err.h"

typedef struct xlsxw xlsxw;

/* Starts the workbook file at path with one sheet named sheet (at most 31
 * characters; characters Excel refuses are replaced). */
int xlsxw_open(xlsxw **out, const char *path, const char *sheet, ht_err *err);
void xlsxw_text(xlsxw *w, const char *text);   /* NULL or "": an empty cell */
void xlsxw_header(xlsxw *w, const char *text); /* a bold text cell */
void xlsxw_number(xlsxw *w, double value);     /* NaN: an empty cell */
/* A highlighted cell (yellow fill, dark red bold text): text, written as a
 * number when number is set and text is one. For import error reports. */
void xlsxw_flagged(xlsxw *w, const char *text, int number);
void xlsxw_end_row(xlsxw *w);
/* Writes the file and frees w. HT_OK or the first error. */
int xlsxw_close(xlsxw *w, ht_err *err);

#endif
