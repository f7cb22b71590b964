/*
 * test_fuzz_replay.c - replays every file of the CSV fuzz corpus through the
 * reader (under ASan in the sanitizer build). Files named good_* must read to
 * the end and bad_* must fail with a message; other names (inputs saved by the
 * fuzzer) only have to be handled without crashing.
 */
#include <stdlib.h>

#include "base/vtext.h"
#include "io/csv.h"
#include "test.h"

#define CORPUS_DIR "fuzz/corpus/csv"

/* Returns csv_next()'s final status: 0 at a clean end, <0 on error. */
static int replay(const char *name, const char *data, size_t len, ht_err *err) {
  csv_reader *r = NULL;
  int rc = csv_open_mem(&r, data, len, err);
  if (rc != HT_OK) return rc;
  csv_row row;
  while ((rc = csv_next(r, &row, err)) == 1) {
    for (size_t i = 0; i < row.nfields; i++) {
      if (!vt_utf8_valid(row.fields[i], row.lens[i]) || strlen(row.fields[i]) != row.lens[i])
        fprintf(stderr, "  %s: record %ld field %zu is not clean UTF-8\n", name, row.record, i + 1);
      CHECK(vt_utf8_valid(row.fields[i], row.lens[i]));
      CHECK_EQ_INT(strlen(row.fields[i]), row.lens[i]);
    }
  }
  csv_close(r);
  if (rc < 0) CHECK(strncmp(err->msg, "line ", 5) == 0); /* errors name the line */
  return rc;
}

TEST(fuzz_replay_csv_corpus) {
  CHECK(test_replay_corpus(CORPUS_DIR, replay) >= 10);
}
