/* cli.c - shared command-line helpers. */
#include "faces/cli/cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "model/hier.h"

int cli_usage(const char *cmd, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "hoctap %s: ", cmd);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\nTry 'hoctap %s --help'.\n", cmd);
  return EXIT_USAGE;
}

int cli_fail(const char *cmd, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "hoctap %s: ", cmd);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  return EXIT_RUNTIME;
}

int cli_open_db(const char *cmd, const char *flag_db, db **out) {
  ht_err err = {0};
  const char *path = db_default_path(flag_db);
  /* Testing hook: HOCTAP_SCHEMA_TARGET=N stops migrations at version N, so the
   * upgrade of an older database can be tested (docs/cli.md). */
  const char *target = getenv("HOCTAP_SCHEMA_TARGET");
  int version = target ? atoi(target) : db_latest_schema_version();
  if (db_open_at_version(out, path, version, &err) != HT_OK) return cli_fail(cmd, "%s", err.msg);
  if (version < 1) return EXIT_OK; /* no tables for reference data yet */
  if (hier_seed_reference(*out) != HT_OK) {
    cli_fail(cmd, "cannot write reference data to %s: %s", path, db_errmsg(*out));
    db_close(*out);
    *out = NULL;
    return EXIT_RUNTIME;
  }
  return EXIT_OK;
}

void cli_print_issues(const char *file, const issues *l) {
  for (long i = 0; i < l->kept; i++) {
    const issue *it = &l->items[i];
    if (it->field)
      fprintf(stderr, "%s:%ld: column '%s': %s\n", file, it->row, it->field, it->msg);
    else
      fprintf(stderr, "%s:%ld: %s\n", file, it->row, it->msg);
  }
  if (l->count > l->kept)
    fprintf(stderr, "%s: ... and %ld more problem(s)\n", file, l->count - l->kept);
}

int cli_parse_format(const char *value) {
  if (strcmp(value, "json") == 0) return 1;
  if (strcmp(value, "table") == 0) return 0;
  return -1;
}

void cli_print_json(json_t *value) {
  char *text = json_dumps(value, JSON_INDENT(2));
  if (text) puts(text);
  free(text);
  json_decref(value);
}
