/*
 * test_fuzz_replay.c - replays every file of the CSV fuzz corpus through the
 * reader (under ASan in the sanitizer build). Files named good_* must read to
 * the end and bad_* must fail with a message; other names (inputs saved by the
 * fuzzer) only have to be handled without crashing.
 */
#include <dirent.h>
#include <stdlib.h>

#include "base/vtext.h"
#include "io/csv.h"
#include "test.h"

#define CORPUS_DIR "fuzz/corpus/csv"

/* Reads the whole file; the caller frees the result. NULL on failure. */
static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    n += fread(buf + n, 1, cap - n, f);
    if (n < cap) break; /* end of file or error */
    char *grown = realloc(buf, cap * 2);
    if (!grown) free(buf);
    buf = grown;
    cap *= 2;
  }
  if (buf && ferror(f)) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  *len = n;
  return buf;
}

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
  return rc;
}

TEST(fuzz_replay_csv_corpus) {
  DIR *dir = opendir(CORPUS_DIR);
  CHECK(dir != NULL);
  if (!dir) return;
  int files = 0;
  struct dirent *ent;
  while ((ent = readdir(dir)) != NULL) {
    if (ent->d_name[0] == '.') continue;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", CORPUS_DIR, ent->d_name);
    size_t len = 0;
    char *data = slurp(path, &len);
    CHECK(data != NULL);
    if (!data) continue;
    files++;
    ht_err err = {0};
    int rc = replay(ent->d_name, data, len, &err);
    if (strncmp(ent->d_name, "good_", 5) == 0) {
      if (rc != 0) fprintf(stderr, "  %s: %s\n", ent->d_name, err.msg);
      CHECK_EQ_INT(rc, 0);
    } else if (strncmp(ent->d_name, "bad_", 4) == 0) {
      if (rc >= 0) fprintf(stderr, "  %s: read without error\n", ent->d_name);
      CHECK(rc < 0);
      CHECK(strncmp(err.msg, "line ", 5) == 0);
    } else {
      CHECK(rc <= 0);
    }
    free(data);
  }
  closedir(dir);
  CHECK(files >= 10);
}
