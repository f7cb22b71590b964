/*
 * xlsx.h - streaming reader of .xlsx workbooks (Office Open XML spreadsheets).
 *
 * The workbook is a ZIP archive (read with libzip) of XML parts (parsed with
 * expat). At open the reader reads the list of sheets (xl/workbook.xml and
 * xl/_rels/workbook.xml.rels, in workbook order) and the cell styles
 * (xl/styles.xml, to know which numbers are dates). xlsx_select() loads the
 * shared strings (xl/sharedStrings.xml, held in memory within the limits below)
 * and the sheet's merged ranges; xlsx_next() then streams the sheet's XML from
 * the archive in chunks and returns one row at a time, so the sheet itself is
 * never held in memory.
 *
 * A row has its 1-based sheet row number and its cells by column index (A=0),
 * gaps filled with "" of type XLSX_EMPTY; trailing empty cells are dropped and
 * rows with no value at all (only formatting) are skipped. Cell text is valid
 * UTF-8, NFC-normalised, without NUL bytes:
 *   strings  shared (rich-text runs concatenated, phonetic runs dropped),
 *            inline (t="inlineStr") and formula results (t="str") as written;
 *   numbers  the shortest decimal Excel shows ("%.15g"; integers below 2^53
 *            exactly, without ".0");
 *   booleans "TRUE" or "FALSE";
 *   dates    a number whose cell style has a date or time format (built-in
 *            formats 14-22 and 45-47, or a custom format with d, m, y or h
 *            outside quotes and brackets) as "YYYY-MM-DD", or
 *            "YYYY-MM-DD HH:MM:SS" when it has a time part, in the 1900 or 1904
 *            date system the workbook declares; ISO dates (t="d") likewise;
 *   errors   the error text ("#DIV/0!", "#N/A", ...).
 * A formula cell gives its cached value (the formula is not evaluated).
 *
 * Refused with HT_EINVAL and a message in English: an empty file, an old
 * Excel .xls (OLE2) file, a LibreOffice .ods file, anything that is not a
 * ZIP archive or is a damaged one, a ZIP without xl/workbook.xml, malformed
 * XML (naming the part, line and column), a DTD, a shared-string index out of
 * range, a number cell that is not a number, rows or cells out of order, a
 * sheet name that does not exist (the message lists the sheets). Refused with
 * HT_ELIMIT: a file over XLSX_MAX_FILE bytes, more than XLSX_MAX_TOTAL bytes
 * decompressed in all, a part whose decompressed size is more than
 * XLSX_MAX_RATIO times its compressed size (and over 1 MiB: a "zip bomb"), more
 * than XLSX_MAX_SHARED shared strings or XLSX_MAX_SHARED_BYTES of them, a string
 * over XLSX_MAX_STRING bytes, a column beyond XLSX_MAX_COLS, a row beyond
 * XLSX_MAX_ROWS, more than XLSX_MAX_MERGES merged ranges. After an error,
 * xlsx_next() keeps returning it.
 *
 * Ownership: the reader owns everything it returns (sheet names, merged ranges,
 * rows); a row stays valid until the next xlsx_next/xlsx_select/xlsx_close.
 * Time is O(size of the parts read); xlsx_select reads the sheet twice (once
 * for the merged ranges, which come after the cells). Memory is the shared
 * strings, the styles, the merged ranges and the largest row.
 */
#ifndef HOCTAP_IO_XLSX_H
#define HOCTAP_IO_XLSX_H

#include <stddef.h>

#include "base/err.h"

#define XLSX_MAX_FILE ((size_t)100 * 1024 * 1024)         /* bytes of the .xlsx file */
#define XLSX_MAX_TOTAL ((unsigned long long)1 << 30)      /* bytes decompressed, all parts */
#define XLSX_MAX_RATIO 200                                /* decompressed / compressed */
#define XLSX_MAX_SHARED 2000000                           /* shared strings */
#define XLSX_MAX_SHARED_BYTES ((size_t)256 * 1024 * 1024) /* bytes of shared strings */
#define XLSX_MAX_STRING ((size_t)1024 * 1024)             /* bytes of one cell's text */
#define XLSX_MAX_COLS 16384                               /* columns A..XFD */
#define XLSX_MAX_ROWS 1048576L                            /* rows */
#define XLSX_MAX_MERGES 100000                            /* merged ranges per sheet */

typedef struct xlsx_reader xlsx_reader;

typedef enum xlsx_type {
  XLSX_EMPTY = 0,
  XLSX_STRING,
  XLSX_NUMBER,
  XLSX_BOOL,
  XLSX_DATE,
  XLSX_ERROR
} xlsx_type;

typedef struct xlsx_row {
  long row;         /* 1-based row number in the sheet (as Excel shows it) */
  size_t ncells;    /* cells A.. up to the last one with a value; at least 1 */
  char **cells;     /* NUL-terminated UTF-8 by column (A=0), "" for gaps; owned by the
                       reader, valid until the next xlsx_next/xlsx_select/xlsx_close */
  size_t *lens;     /* byte length of each cell */
  xlsx_type *types; /* type of each cell */
} xlsx_row;

/* A merged range, inclusive: rows 1-based, columns 0-based (A=0). */
typedef struct xlsx_range {
  long first_row, last_row;
  size_t first_col, last_col;
} xlsx_range;

/* New reader over a copy of data[0..len); data may be freed afterwards. On
 * failure *out is NULL and err says why. */
int xlsx_open_mem(const char *data, size_t len, xlsx_reader **out, ht_err *err);

/* New reader over the file at path (read from disk as needed, not copied).
 * HT_EIO if it cannot be read. */
int xlsx_open_file(const char *path, xlsx_reader **out, ht_err *err);

/* The sheet names (NFC UTF-8) in workbook order; owned by the reader. */
int xlsx_sheets(const xlsx_reader *r, const char *const **names, size_t *n);

/* Selects the sheet to read by name (exact, else ignoring ASCII case), or the
 * first sheet when name is NULL, and rewinds to its first row. HT_ENOTFOUND
 * with the list of sheets in the message if there is no such sheet. */
int xlsx_select(xlsx_reader *r, const char *name, ht_err *err);

/* The merged ranges of the selected sheet, in document order; owned by the
 * reader, valid until the next xlsx_select/xlsx_close. */
int xlsx_merged(const xlsx_reader *r, const xlsx_range **ranges, size_t *n);

/* Reads the next row of the selected sheet (selecting the first sheet if none
 * was) into *row. Returns 1 with a row, 0 at the end, <0 on error. */
int xlsx_next(xlsx_reader *r, xlsx_row *row, ht_err *err);

/* Name of the 0-based column index: 0 -> "A", 27 -> "AB". buf holds 4 bytes. */
const char *xlsx_column_name(size_t col, char buf[4]);

/* Frees the reader and everything it returned. NULL is allowed. */
void xlsx_close(xlsx_reader *r);

#endif
