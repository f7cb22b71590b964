/*
 * test_fuzz_replay_xlsx.c - replays every file of the XLSX fuzz corpus through
 * the reader (under ASan in the sanitizer build): open from memory, list the
 * sheets, read every row of the first sheet. Files named good_* must read to
 * the end and bad_* must fail with a message; other names (inputs saved by
 * the fuzzer) only have to be handled without crashing.
 */
#include <dirent.h>
#include <stdlib.h>

#include "base/vtext.h"
#include "io/xlsx.h"
#include "test.h"

#define CORPUS_DIR "fuzz/corpus/xlsx"

/* Reads the whole file; the caller frees the result. NULL on failure. */
static char *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *buf = NULL;
  size_t n = 0, cap = 0;
  for (;;) {
    if (n == cap) {
      cap = cap ? cap * 2 : 65536;
      char *grown = realloc(buf, cap);
      if (!grown) break;
      buf = grown;
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  fclose(f);
  *len = n;
  return buf;
}

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
    char *data = read_all(path, &len);
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
      CHECK(err.msg[0] != '\0');
    } else {
      CHECK(rc <= 0);
    }
    free(data);
  }
  closedir(dir);
  CHECK(files >= 10);
}
