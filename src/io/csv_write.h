/*
 * csv_write.h - CSV for spreadsheets: what Excel in Vietnam opens correctly.
 *
 * UTF-8 with a byte-order mark (without it Excel reads UTF-8 as the local
 * code page and mangles the diacritics), CRLF line ends, ',' between fields,
 * a field quoted when it holds a comma, a quote, CR or LF (quotes doubled).
 * Text that a spreadsheet would run as a formula (starting with = + - @, TAB
 * or CR) gets a leading apostrophe, so an exported name like "=HYPERLINK(...)"
 * stays text ("CSV injection"). Numbers are written as numbers.
 *
 * The writer appends to a strbuf or writes to a FILE; it owns neither.
 * Every call is O(length of what it writes).
 */
#ifndef HOCTAP_IO_CSV_WRITE_H
#define HOCTAP_IO_CSV_WRITE_H

#include <stdio.h>

#include "base/strbuf.h"

typedef struct csvw {
  strbuf *buf; /* one of buf, file */
  FILE *file;
  int fields; /* written in the current row */
} csvw;

/* Starts a document on buf or file, writing the byte-order mark. */
void csvw_init_buf(csvw *w, strbuf *buf);
void csvw_init_file(csvw *w, FILE *file);

/* One text field (NULL: empty), neutralised and quoted as needed. */
void csvw_text(csvw *w, const char *text);
/* One number field: integers without a decimal point, others with up to 6
 * decimals (trailing zeros dropped); NaN: an empty field. */
void csvw_number(csvw *w, double value);
/* One number field already written as decimal text (by a reader that keeps
 * the spreadsheet's own digits): written as is, never neutralised. */
void csvw_number_text(csvw *w, const char *text);
/* Ends the row (CRLF). */
void csvw_end_row(csvw *w);

#endif
