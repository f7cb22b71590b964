/*
 * fuzz_csv.c - libFuzzer target for the CSV reader.
 *
 * Opens the input with csv_open_mem() and reads every record. Besides the
 * sanitizers, it checks the reader's promises: each field is valid UTF-8 and its
 * length matches strlen() (NUL bytes are refused), and after the end or an
 * error the reader stays there.
 *
 * Build: clang -std=c17 -D_GNU_SOURCE -Isrc -g -O1 -fsanitize=fuzzer,address,undefined \
 *          fuzz/fuzz_csv.c src/io/csv.c src/base/vtext.c src/base/err.c src/base/strbuf.c \
 *          $(pkg-config --cflags --libs libutf8proc) -o build/fuzz_csv
 * Run:   build/fuzz_csv fuzz/corpus/csv
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/vtext.h"
#include "io/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  csv_reader *r = NULL;
  ht_err err;
  if (csv_open_mem(&r, (const char *)data, size, &err) != HT_OK) return 0;
  char delim = csv_delimiter(r);
  if (delim != ',' && delim != ';' && delim != '\t') abort();
  csv_row row;
  int rc;
  long last_record = 0;
  while ((rc = csv_next(r, &row, &err)) == 1) {
    if (row.nfields == 0 || row.nfields > CSV_MAX_FIELDS) abort();
    if (row.record <= last_record || row.line < 1) abort();
    last_record = row.record;
    for (size_t i = 0; i < row.nfields; i++) {
      if (row.lens[i] > CSV_MAX_FIELD || strlen(row.fields[i]) != row.lens[i]) abort();
      if (!vt_utf8_valid(row.fields[i], row.lens[i])) abort();
    }
  }
  if (rc < 0 && (err.msg[0] == '\0' || csv_next(r, &row, NULL) != rc)) abort();
  if (rc == 0 && csv_next(r, &row, NULL) != 0) abort();
  csv_close(r);
  return 0;
}
