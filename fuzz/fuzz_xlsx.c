/*
 * fuzz_xlsx.c - libFuzzer target for the XLSX reader.
 *
 * Opens the input with xlsx_open_mem(), lists the sheets and reads every row
 * of the first sheet. Besides the sanitizers, it checks the reader's promises:
 * sheet names and cells are valid UTF-8 whose length matches strlen(), a cell
 * is empty exactly when its type is XLSX_EMPTY, row numbers increase within
 * the limits, merged ranges are well formed, an error has a message, and
 * after the end or an error the reader stays there.
 *
 * Build: clang -std=c17 -D_GNU_SOURCE -Isrc -g -O1 -fsanitize=fuzzer,address,undefined \
 *          fuzz/fuzz_xlsx.c src/io/xlsx.c src/base/vtext.c src/base/err.c src/base/strbuf.c \
 *          src/base/date.c $(pkg-config --cflags --libs libutf8proc libzip expat) -lm \
 *          -o build/fuzz_xlsx
 * Run:   build/fuzz_xlsx fuzz/corpus/xlsx
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/vtext.h"
#include "io/xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  xlsx_reader *r = NULL;
  ht_err err = {0};
  if (xlsx_open_mem((const char *)data, size, &r, &err) != HT_OK) {
    if (r || err.msg[0] == '\0') abort();
    return 0;
  }
  const char *const *names;
  size_t n;
  xlsx_sheets(r, &names, &n);
  if (n == 0) abort();
  for (size_t i = 0; i < n; i++)
    if (!vt_utf8_valid(names[i], strlen(names[i]))) abort();
  int rc = xlsx_select(r, NULL, &err);
  if (rc != HT_OK) {
    if (err.msg[0] == '\0') abort();
    xlsx_close(r);
    return 0;
  }
  const xlsx_range *m;
  size_t nm;
  xlsx_merged(r, &m, &nm);
  for (size_t i = 0; i < nm; i++)
    if (m[i].first_row < 1 || m[i].last_row < m[i].first_row || m[i].last_col < m[i].first_col ||
        m[i].last_col >= XLSX_MAX_COLS)
      abort();
  xlsx_row row;
  long last = 0;
  while ((rc = xlsx_next(r, &row, &err)) == 1) {
    if (row.row <= last || row.row > XLSX_MAX_ROWS) abort();
    if (row.ncells == 0 || row.ncells > XLSX_MAX_COLS) abort();
    last = row.row;
    for (size_t i = 0; i < row.ncells; i++) {
      if (strlen(row.cells[i]) != row.lens[i] || row.lens[i] > XLSX_MAX_STRING) abort();
      if (!vt_utf8_valid(row.cells[i], row.lens[i])) abort();
      if ((row.types[i] == XLSX_EMPTY) != (row.lens[i] == 0)) abort();
    }
  }
  if (rc < 0 && (err.msg[0] == '\0' || xlsx_next(r, &row, NULL) != rc)) abort();
  if (rc == 0 && xlsx_next(r, &row, NULL) != 0) abort();
  xlsx_close(r);
  return 0;
}
