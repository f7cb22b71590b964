/*
 * test_fuzz_replay_xlsx.c - replays every file of the XLSX fuzz corpus through
 * the reader (under ASan in the sanitizer build): open from memory, list the
 * sheets, read every row of the first sheet. Files named good_* must read to
 * the end and bad_* must fail with a message; other names (inputs saved by
 * the fuzzer) only have to be handled without crashing.
 */
#include <stdlib.h>

#include "base/vtext.h"
#include "io/xlsx.h"
#include "test.h"

#define CORPUS_DIR "fuzz/corpus/xlsx"

/* Returns 0 after reading every row, <0 on error (err says why). */
static int replay(const char *name, const char *data, size_t len, ht_err *err) {
  xlsx_reader *r = NULL;
  int rc = xlsx_open_mem(data, len, &r, err);
  if (rc != HT_OK) return rc;
  const char *const *names;
  size_t nsheets;
  xlsx_sheets(r, &names, &nsheets);
  CHECK(nsheets >= 1);
  for (size_t i = 0; i < nsheets; i++) CHECK(vt_utf8_valid(names[i], strlen(names[i])));
  xlsx_row row;
  long last = 0;
  while ((rc = xlsx_next(r, &row, err)) == 1) {
    CHECK(row.row > last && row.row <= XLSX_MAX_ROWS);
    CHECK(row.ncells >= 1 && row.ncells <= XLSX_MAX_COLS);
    last = row.row;
    for (size_t i = 0; i < row.ncells; i++) {
      int clean = vt_utf8_valid(row.cells[i], row.lens[i]) && strlen(row.cells[i]) == row.lens[i];
      if (!clean) fprintf(stderr, "  %s: row %ld cell %zu is not clean UTF-8\n", name, row.row, i);
      CHECK(clean);
      CHECK((row.types[i] == XLSX_EMPTY) == (row.lens[i] == 0));
    }
  }
  xlsx_close(r);
  return rc;
}

TEST(fuzz_replay_xlsx_corpus) {
  CHECK(test_replay_corpus(CORPUS_DIR, replay) >= 10);
}
