/*
 * cli.h - conventions shared by the command-line commands (docs/cli.md).
 *
 * Exit status: 0 success, 1 runtime error (bad data, database, I/O), 2 usage
 * error. Errors go to stderr in English and name what is wrong; data go to
 * stdout. Every command accepts --help; every listing accepts --format json.
 */
#ifndef HOCTAP_FACES_CLI_CLI_H
#define HOCTAP_FACES_CLI_CLI_H

#include <jansson.h>
#include <stdio.h>

#include "base/issues.h"
#include "store/db.h"

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

typedef struct cli_command {
  const char *name;
  const char *summary;
  int (*run)(int argc, char **argv); /* argv[0] is the command name */
} cli_command;

/* Prints "hoctap CMD: message" and a hint to use --help; returns EXIT_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints "hoctap CMD: message"; returns EXIT_RUNTIME. */
int cli_fail(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Opens the database named by --db / $HOCTAP_DB / ./hoctap.db, migrating it.
 * Prints the error and returns EXIT_RUNTIME on failure. */
int cli_open_db(const char *cmd, const char *flag_db, db **out);
/* Prints every issue as "FILE:ROW: column 'F': message" to stderr. */
void cli_print_issues(const char *file, const issues *l);
/* Prints value as indented JSON on stdout and releases it (reference stolen). */
void cli_print_json(json_t *value);
/* Parses --format table|json; returns 1 for json, 0 for table, -1 if bad. */
int cli_parse_format(const char *value);

int cmd_init(int argc, char **argv);
int cmd_units(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_criteria(int argc, char **argv);
int cmd_evaluate(int argc, char **argv);
int cmd_results(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_targets(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_workflow(int argc, char **argv);
int cmd_decision(int argc, char **argv);
int cmd_template(int argc, char **argv);
int cmd_certificate(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_role(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_routes(int argc, char **argv);
int cmd_xlsx(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_fund(int argc, char **argv);

#endif
