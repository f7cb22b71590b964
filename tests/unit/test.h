/*
 * test.h - a tiny unit-test harness.
 *
 * Each test file defines tests with TEST(name) { ... } and checks with CHECK(cond),
 * CHECK_EQ_INT(a, b) and CHECK_EQ_STR(a, b). Tests register themselves through a
 * constructor, so adding a file to tests/unit/ is all it takes; the runner
 * (test_main.c) runs every test, isolates failures and prints "N passed, N failed".
 */
#ifndef HOCTAP_TEST_H
#define HOCTAP_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef void (*test_fn)(void);
void test__register(const char *name, const char *file, test_fn fn);
void test__fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Temporary directory created for the test run; removed at exit. */
const char *test_tmpdir(void);

/* A new, empty database of province 1 named name in the temporary directory
 * (replacing one of that name), migrated to the latest schema; NULL on failure. */
struct db;
struct db *test_open_db(const char *name);

/* Reads a whole file (the caller frees it, NUL-terminated); NULL on failure. */
char *test_read_file(const char *path, size_t *len);

/* Replays every file of a fuzz corpus folder through replay(), which returns
 * 0 when the input was read to the end and <0 with err set when it was
 * refused. Files named good_* must give 0, bad_* must be refused with a
 * message, other names (inputs the fuzzer saved) only must not crash or give
 * >0. Returns the number of files replayed. */
struct ht_err;
typedef int (*test_replay_fn)(const char *name, const char *data, size_t len, struct ht_err *err);
int test_replay_corpus(const char *dir, test_replay_fn replay);

#define TEST(name)                                                 \
  static void test_##name(void);                                   \
  __attribute__((constructor)) static void test_reg_##name(void) { \
    test__register(#name, __FILE__, test_##name);                  \
  }                                                                \
  static void test_##name(void)

#define CHECK(cond)                                                  \
  do {                                                               \
    if (!(cond)) test__fail(__FILE__, __LINE__, "CHECK(%s)", #cond); \
  } while (0)

#define CHECK_EQ_INT(a, b)                                                                  \
  do {                                                                                      \
    long long check_a_ = (long long)(a), check_b_ = (long long)(b);                         \
    if (check_a_ != check_b_)                                                               \
      test__fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", #a, #b, check_a_, check_b_); \
  } while (0)

#define CHECK_EQ_STR(a, b)                                                        \
  do {                                                                            \
    const char *check_a_ = (a), *check_b_ = (b);                                  \
    if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0)                \
      test__fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", #a, #b,        \
                 check_a_ ? check_a_ : "(null)", check_b_ ? check_b_ : "(null)"); \
  } while (0)

#endif
