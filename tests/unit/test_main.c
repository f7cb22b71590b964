/* test_main.c - runs every registered unit test, each in its own process. */
#include "store/db.h"
#include "test.h"

#include <stdarg.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
  const char *name;
  const char *file;
  test_fn fn;
} test_case;

static test_case tests[1024];
static int test_count;
static char tmpdir[256];

void test__register(const char *name, const char *file, test_fn fn) {
  if (test_count < (int)(sizeof tests / sizeof tests[0]))
    tests[test_count++] = (test_case){name, file, fn};
}

static int current_failed;

void test__fail(const char *file, int line, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "  %s:%d: ", file, line);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  current_failed = 1;
}

const char *test_tmpdir(void) {
  return tmpdir;
}

int main(int argc, char **argv) {
  const char *filter = argc > 1 ? argv[1] : NULL;
  snprintf(tmpdir, sizeof tmpdir, "/tmp/hoctap-unit-XXXXXX");
  if (!mkdtemp(tmpdir)) {
    perror("mkdtemp");
    return 1;
  }
  int passed = 0, failed = 0;
  for (int i = 0; i < test_count; i++) {
    if (filter && !strstr(tests[i].name, filter)) continue;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      current_failed = 0;
      tests[i].fn();
      fflush(stdout);
      _exit(current_failed ? 1 : 0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    printf("%s %s (%s)\n", ok ? "ok  " : "FAIL", tests[i].name, tests[i].file);
    if (ok)
      passed++;
    else
      failed++;
  }
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
  printf("unit: %d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}

db *test_open_db(const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", test_tmpdir(), name);
  remove(path);
  db *d = NULL;
  ht_err err = {0};
  if (db_open(&d, path, &err) != HT_OK) return NULL;
  db_set_prov(d, 1);
  db_meta_set(d, "province", "1");
  return d;
}
