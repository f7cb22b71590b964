/* test_sha256.c - SHA-256 against the FIPS 180-2 example messages, and the
 * same digest whatever the chunking of the input. */
#include <stdlib.h>

#include "base/sha256.h"
#include "test.h"

TEST(sha256_known_digests) {
  static const struct {
    const char *message, *digest;
  } cases[] = {
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
      /* 55 and 56 bytes: the padding fits in the block, or needs another. */
      {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
       "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
      {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
       "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char hex[65];
    sha256_hex(cases[i].message, strlen(cases[i].message), hex);
    CHECK_EQ_STR(hex, cases[i].digest);
  }
}

TEST(sha256_million_a_in_uneven_chunks) {
  size_t n = 1000000;
  char *a = malloc(n);
  memset(a, 'a', n);
  char one_shot[65];
  sha256_hex(a, n, one_shot);
  CHECK_EQ_STR(one_shot, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  sha256_ctx c;
  sha256_init(&c);
  size_t done = 0, step = 1;
  while (done < n) {
    size_t take = step < n - done ? step : n - done;
    sha256_update(&c, a + done, take);
    done += take;
    step = step * 7 % 131 + 1; /* 1, 8, 57, ... : crosses block edges everywhere */
  }
  uint8_t digest[32];
  sha256_final(&c, digest);
  char hex[65];
  for (int i = 0; i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", digest[i]);
  CHECK_EQ_STR(hex, one_shot);
  free(a);
}
