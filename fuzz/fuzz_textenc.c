/*
 * fuzz_textenc.c - libFuzzer target for the text-encoding detector and decoders.
 *
 * Runs tenc_detect() on the input and tenc_to_utf8() in every encoding (and in
 * TENC_AUTO). Besides the sanitizers, it checks the module's promises: a guess
 * is a real encoding with a confidence in 0..100; a decoded text is valid
 * UTF-8, in NFC, as long as strlen() says (no NUL) and the reported length;
 * a refusal has a message and leaves *out NULL.
 *
 * Build: clang -std=c17 -D_GNU_SOURCE -Isrc -g -O1 -fsanitize=fuzzer,address,undefined \
 *          fuzz/fuzz_textenc.c src/io/textenc.c src/base/vtext.c src/base/err.c \
 *          src/base/strbuf.c $(pkg-config --cflags --libs libutf8proc) -o build/fuzz_textenc
 * Run:   build/fuzz_textenc fuzz/corpus/textenc
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/vtext.h"
#include "io/textenc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  tenc_guess g;
  int rc = tenc_detect(data, size, &g);
  if (rc != HT_OK && rc != HT_EINVAL) abort();
  if (g.enc <= TENC_AUTO || g.enc >= TENC_COUNT) abort();
  if (g.confidence < 0 || g.confidence > 100) abort();
  for (int e = TENC_AUTO; e < TENC_COUNT; e++) {
    char *out = NULL;
    size_t out_len = 0;
    ht_err err;
    err.msg[0] = '\0';
    if (tenc_to_utf8(data, size, (tenc_encoding)e, &out, &out_len, &err) != HT_OK) {
      if (out != NULL || err.msg[0] == '\0') abort();
      continue;
    }
    if (!out || strlen(out) != out_len || !vt_utf8_valid(out, out_len)) abort();
    char *nfc = NULL;
    if (vt_nfc(out, &nfc) != HT_OK || strcmp(nfc, out) != 0) abort();
    free(nfc);
    free(out);
  }
  return 0;
}
