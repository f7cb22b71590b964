/* test_corpus.c - helpers shared by the tests: reading files, replaying a fuzz corpus. */
#include <dirent.h>
#include <stdlib.h>

#include "base/err.h"
#include "test.h"

char *test_read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *buf = NULL;
  size_t n = 0, cap = 0;
  for (;;) {
    if (n + 1 >= cap) {
      cap = cap ? cap * 2 : 65536;
      char *grown = realloc(buf, cap);
      if (!grown) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = grown;
    }
    size_t got = fread(buf + n, 1, cap - n - 1, f);
    n += got;
    if (got == 0) break;
  }
  if (buf && ferror(f)) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  if (buf) buf[n] = 0;
  *len = n;
  return buf;
}

int test_replay_corpus(const char *dir_path, test_replay_fn replay) {
  DIR *dir = opendir(dir_path);
  CHECK(dir != NULL);
  if (!dir) return 0;
  int files = 0;
  struct dirent *ent;
  while ((ent = readdir(dir)) != NULL) {
    if (ent->d_name[0] == '.') continue;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir_path, ent->d_name);
    size_t len = 0;
    char *data = test_read_file(path, &len);
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
  return files;
}
