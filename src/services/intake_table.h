/*
 * intake_table.h - an import file as a table of text cells, whatever it is:
 * CSV in any accepted text encoding (services/import_text.h) or an .xlsx
 * workbook (io/xlsx.h; a sheet by name, or the first). The format is judged
 * by the content, not the file name: a ZIP or an old Excel file goes to the
 * workbook reader (which explains .xls and .ods), anything else is text.
 *
 * Rows come one at a time with the row number the user sees (the CSV record
 * number, the sheet's row number); cells are NUL-terminated UTF-8 owned by
 * the table and valid until the next intake_table_next/close.
 */
#ifndef HOCTAP_SERVICES_INTAKE_TABLE_H
#define HOCTAP_SERVICES_INTAKE_TABLE_H

#include <stddef.h>

#include "base/err.h"
#include "io/textenc.h"

typedef struct intake_table intake_table;

typedef struct intake_row {
  long row; /* 1-based, as the user sees it */
  size_t ncells;
  char **cells;
  int *numeric; /* per cell: 1 when the workbook stored a number (or date) */
} intake_row;

/* Opens path. enc applies to CSV (TENC_AUTO: detected); sheet to workbooks
 * (NULL: the first). HT_EINVAL/HT_EIO/HT_ELIMIT/HT_ENOTFOUND with err naming
 * the file. */
int intake_table_open(const char *path, tenc_encoding enc, const char *sheet, intake_table **out,
                      ht_err *err);
/* "csv" or "xlsx". */
const char *intake_table_format(const intake_table *t);
/* The sheet read (NULL for CSV). */
const char *intake_table_sheet(const intake_table *t);
/* A workbook's sheet names as "A, B, C" (malloc'd; the caller frees), or
 * NULL for CSV and one-sheet workbooks: for a message that suggests another
 * sheet. */
char *intake_table_other_sheets(const intake_table *t);
/* The encoding read (CSV). */
tenc_guess intake_table_encoding(const intake_table *t);
/* The next row: 1, 0 at the end, <0 with err on a damaged file. */
int intake_table_next(intake_table *t, intake_row *row, ht_err *err);
void intake_table_close(intake_table *t);

#endif
