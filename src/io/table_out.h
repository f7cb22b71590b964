/*
 * table_out.h - one table sink for every export: the same calls write CSV
 * for Excel (io/csv_write.h: BOM, CRLF, formulas neutralised) or an .xlsx
 * workbook in constant memory (io/xlsx_write.h), so a list is written once,
 * whatever the format, and a million rows need no more memory than one.
 *
 * Usage: tbl_open(), then per row tbl_head() (the header row, bold in a
 * workbook) or tbl_text()/tbl_number(), then tbl_end_row(); tbl_close()
 * finishes the file and reports the first error. The sink owns the file it
 * opened; "-" as a CSV path writes to stdout (not closed).
 */
#ifndef HOCTAP_IO_TABLE_OUT_H
#define HOCTAP_IO_TABLE_OUT_H

#include <stdio.h>

#include "base/err.h"
#include "io/csv_write.h"
#include "io/xlsx_write.h"

typedef enum tbl_format { TBL_CSV = 0, TBL_XLSX = 1 } tbl_format;

typedef struct tbl_out {
  tbl_format format;
  csvw csv;
  FILE *file; /* CSV: the file written (NULL: none) */
  int own_file;
  xlsxw *xlsx;
  int in_header; /* the current row holds header cells */
  long rows;     /* data rows ended so far (header rows not counted) */
} tbl_out;

/* Parses "csv" or "xlsx"; -1 for anything else. */
int tbl_format_parse(const char *name);
/* The file extension of a format, without the dot. */
const char *tbl_format_ext(tbl_format f);
/* The media type of a format, for a download. */
const char *tbl_format_media_type(tbl_format f);

/* Starts a table at path (sheet names the workbook's only sheet; ignored for
 * CSV). HT_OK, or HT_EIO with a message naming the path. */
int tbl_open(tbl_out *o, tbl_format f, const char *path, const char *sheet, ht_err *err);

void tbl_head(tbl_out *o, const char *text); /* a header cell */
void tbl_text(tbl_out *o, const char *text); /* NULL: an empty cell */
void tbl_number(tbl_out *o, double value);   /* NaN: an empty cell */
void tbl_end_row(tbl_out *o);

/* Finishes and closes the file. HT_OK or the first error (write failure,
 * more rows than Excel holds). */
int tbl_close(tbl_out *o, ht_err *err);

#endif
