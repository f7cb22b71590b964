/*
 * test_fuzz_replay_textenc.c - replays every file of the text-encoding fuzz
 * corpus (under ASan in the sanitizer build). Each file goes through
 * tenc_detect() and tenc_to_utf8() in every encoding with the fuzz target's
 * checks; besides, files named good_* must decode with detection (and
 * good_ENC.* must be detected as ENC), bad_* must be refused with a message.
 */
#include <dirent.h>
#include <stdlib.h>

#include "base/vtext.h"
#include "io/textenc.h"
#include "test.h"

#define CORPUS_DIR "fuzz/corpus/textenc"

/* Reads the whole (small) file; the caller frees the result. NULL on failure. */
static char *read_small(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 20;
  char *buf = malloc(cap);
  *len = buf ? fread(buf, 1, cap, f) : 0;
  fclose(f);
  return buf;
}

/* The fuzz target's checks, for every encoding. */
static void check_every_encoding(const char *name, const char *data, size_t len) {
  tenc_guess g;
  int rc = tenc_detect(data, len, &g);
  CHECK(rc == HT_OK || rc == HT_EINVAL);
  CHECK(g.enc > TENC_AUTO && g.enc < TENC_COUNT);
  CHECK(g.confidence >= 0 && g.confidence <= 100);
  for (int e = TENC_AUTO; e < TENC_COUNT; e++) {
    char *out = NULL;
    size_t out_len = 0;
    ht_err err = {0};
    if (tenc_to_utf8(data, len, (tenc_encoding)e, &out, &out_len, &err) != HT_OK) {
      CHECK(out == NULL);
      CHECK(err.msg[0] != '\0');
      continue;
    }
    CHECK(out != NULL);
    if (!out) continue;
    CHECK_EQ_INT(strlen(out), out_len);
    CHECK(vt_utf8_valid(out, out_len));
    char *nfc = NULL;
    CHECK_EQ_INT(vt_nfc(out, &nfc), HT_OK);
    if (nfc && strcmp(nfc, out) != 0) fprintf(stderr, "  %s as %s: not NFC\n", name, tenc_name(e));
    CHECK_EQ_STR(nfc, out);
    free(nfc);
    free(out);
  }
}

TEST(fuzz_replay_textenc_corpus) {
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
    char *data = read_small(path, &len);
    CHECK(data != NULL);
    if (!data) continue;
    files++;
    check_every_encoding(ent->d_name, data, len);
    char *out = NULL;
    ht_err err = {0};
    int rc = tenc_to_utf8(data, len, TENC_AUTO, &out, NULL, &err);
    if (strncmp(ent->d_name, "good_", 5) == 0) {
      if (rc != HT_OK) fprintf(stderr, "  %s: %s\n", ent->d_name, err.msg);
      CHECK_EQ_INT(rc, HT_OK);
      static const tenc_encoding legacy[] = {TENC_TCVN3, TENC_VISCII, TENC_CP1258, TENC_VNI};
      for (size_t k = 0; k < sizeof legacy / sizeof legacy[0]; k++) {
        const char *n = tenc_name(legacy[k]);
        if (strncmp(ent->d_name + 5, n, strlen(n)) == 0 && ent->d_name[5 + strlen(n)] == '.') {
          tenc_guess g;
          tenc_detect(data, len, &g);
          if (g.enc != legacy[k])
            fprintf(stderr, "  %s: detected as %s\n", ent->d_name, tenc_name(g.enc));
          CHECK_EQ_INT(g.enc, legacy[k]);
        }
      }
    } else if (strncmp(ent->d_name, "bad_", 4) == 0) {
      if (rc == HT_OK) fprintf(stderr, "  %s: decoded without error\n", ent->d_name);
      CHECK(rc != HT_OK);
      CHECK(err.msg[0] != '\0');
    }
    free(out);
    free(data);
  }
  closedir(dir);
  CHECK(files >= 10);
}
