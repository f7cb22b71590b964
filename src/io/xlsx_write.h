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

/* Workbooks that people fill in (import templates): a title row above the
 * header, a comment on a header explaining its rule, drop-down lists, column
 * widths and text columns (a typed ID keeps its leading zeros), a frozen
 * header. All of them work in constant-memory mode; a comment must be
 * written while its row is the current one. */

/* A bold, larger text cell: the sheet's title. */
void xlsxw_title(xlsxw *w, const char *text);
/* A comment (a note shown when the pointer rests on the cell) on the cell
 * written last in the current row. */
void xlsxw_comment(xlsxw *w, const char *text);
/* Column col (0 = A) gets width characters; as_text: what is typed there is
 * kept as text ("001234567890" stays so). Call before the rows are written. */
void xlsxw_column(xlsxw *w, int col, double width, int as_text);
/* The cells of column col below the current row offer a drop-down of
 * choices (NULL-terminated; a blank stays allowed). strict: other values are
 * refused; otherwise Excel only warns. */
void xlsxw_choices(xlsxw *w, int col, const char *const *choices, int strict);
/* Keeps the rows above the current one in view when scrolling. */
void xlsxw_freeze_rows(xlsxw *w);

/* Workbooks of several sheets (a statement: a sheet per part). */

/* Starts another sheet named name (as xlsxw_open's); the cells written next
 * go there from its first row. The sheets before it cannot be written any
 * more (constant memory). HT_OK, or HT_ERR kept for xlsxw_close(). */
int xlsxw_sheet(xlsxw *w, const char *name);
/* A whole number shown with thousands separators (format #,##0: "1.500.000"
 * where the decimal mark is a comma), bold for a total; NaN: an empty cell. */
void xlsxw_grouped(xlsxw *w, double value, int bold);

#endif
