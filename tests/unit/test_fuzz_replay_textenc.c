/*
 * test_fuzz_replay_textenc.c - replays every file of the text-encoding fuzz
 * corpus (under ASan in the sanitizer build). Each file goes through
 * tenc_detect() and tenc_to_utf8() in every encoding with the fuzz target's
 * checks; besides, files named good_* must decode with detection (and
 * good_ENC.* must be detected as ENC), bad_* must be refused with a message.
 */
#include <stdlib.h>

#include "base/vtext.h"
#include "io/textenc.h"
#include "test.h"

#define CORPUS_DIR "fuzz/corpus/textenc"

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

/* Decodes with detection: 0 or the refusal; good_ENC.* files must be
 * detected as ENC. */
static int replay(const char *name, const char *data, size_t len, ht_err *err) {
  check_every_encoding(name, data, len);
  char *out = NULL;
  int rc = tenc_to_utf8(data, len, TENC_AUTO, &out, NULL, err);
  free(out);
  if (rc != HT_OK || strncmp(name, "good_", 5) != 0) return rc;
  static const tenc_encoding legacy[] = {TENC_TCVN3, TENC_VISCII, TENC_CP1258, TENC_VNI};
  for (size_t k = 0; k < sizeof legacy / sizeof legacy[0]; k++) {
    const char *n = tenc_name(legacy[k]);
    if (strncmp(name + 5, n, strlen(n)) != 0 || name[5 + strlen(n)] != '.') continue;
    tenc_guess g;
    tenc_detect(data, len, &g);
    if (g.enc != legacy[k]) fprintf(stderr, "  %s: detected as %s\n", name, tenc_name(g.enc));
    CHECK_EQ_INT(g.enc, legacy[k]);
  }
  return rc;
}

TEST(fuzz_replay_textenc_corpus) {
  CHECK(test_replay_corpus(CORPUS_DIR, replay) >= 10);
}
