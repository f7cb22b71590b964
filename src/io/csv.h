/*
 * csv.h - RFC 4180 CSV reader, tolerant of what spreadsheets actually write.
 *
 * The whole input is held in memory (a copy owned by the reader; at most
 * CSV_MAX_INPUT bytes). Records are returned one at a time by csv_next(); the
 * field strings live in a buffer owned by the reader and stay valid until the
 * next csv_next() or csv_close(). Copy what must outlive that.
 *
 * Accepted: a UTF-8 byte-order mark; ',' ';' or TAB as delimiter (sniffed from
 * the first record: the most frequent outside quotes wins, ties prefer ',' then
 * ';' then TAB, none means ','); CRLF, LF and lone CR line ends, mixed freely;
 * quoted fields with delimiters, line ends and doubled quotes ("") inside; a
 * quote in the middle of an unquoted field is kept as a literal character; a
 * last line without a line end. Completely empty lines are skipped (a line of
 * delimiters only is a record of empty fields).
 *
 * Refused with HT_EINVAL and a message naming the line: an unterminated quoted
 * field, anything but a delimiter or line end after a closing quote, invalid
 * UTF-8, NUL bytes, UTF-16 text, a ZIP file (an .xlsx workbook). Refused with
 * HT_ELIMIT: a field over CSV_MAX_FIELD bytes, a record with more than
 * CSV_MAX_FIELDS fields. After an error, csv_next() keeps returning it.
 *
 * Time is O(input) overall; memory is the input copy plus the largest record.
 */
#ifndef HOCTAP_IO_CSV_H
#define HOCTAP_IO_CSV_H

#include <stddef.h>

#include "base/err.h"

#define CSV_MAX_INPUT ((size_t)512 * 1024 * 1024) /* bytes in the whole file */
#define CSV_MAX_FIELD ((size_t)1024 * 1024)       /* bytes in one field */
#define CSV_MAX_FIELDS 1000                       /* fields in one record */

typedef struct csv_reader csv_reader;

typedef struct csv_row {
  size_t nfields;
  char **fields; /* NUL-terminated UTF-8 strings, owned by the reader, valid until the next
                    csv_next/csv_close */
  size_t *lens;  /* byte length of each field */
  long record;   /* 1-based record number: the header is record 1 (matches the row number a
                    user sees in Excel, so skipped empty lines are counted too) */
  long line;     /* 1-based physical line where the record starts */
} csv_row;

/* Reads the file at path into a new reader (*out, closed with csv_close()).
 * HT_EIO if it cannot be read, HT_ELIMIT if larger than CSV_MAX_INPUT. */
int csv_open_file(csv_reader **out, const char *path, ht_err *err);

/* Reads the whole file at path into a new malloc'd buffer *data (NUL-terminated;
 * the caller frees it) of *data_len bytes, with csv_open_file()'s checks and
 * messages: HT_EIO, HT_ELIMIT over CSV_MAX_INPUT. For callers that convert the
 * bytes (another text encoding) before csv_open_mem(). */
int csv_read_file(const char *path, char **data, size_t *data_len, ht_err *err);

/* New reader over a copy of data[0..len); data may be freed afterwards. */
int csv_open_mem(csv_reader **out, const char *data, size_t len, ht_err *err);

/* Reads the next record into *row. Returns 1 if a record was read, 0 at the
 * end of input, <0 on error (err says what and where). */
int csv_next(csv_reader *r, csv_row *row, ht_err *err);

/* The delimiter in use: ',', ';' or '\t'. */
char csv_delimiter(const csv_reader *r);

/* Frees the reader and every row it returned. NULL is allowed. */
void csv_close(csv_reader *r);

#endif
