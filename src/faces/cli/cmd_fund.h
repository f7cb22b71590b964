/*
 * cmd_fund.h - the pieces `hoctap fund` subcommands share (cmd_fund.c).
 *
 * A subcommand is a function run(argc, argv) with argv[0] "fund" and argv[1]
 * its name. The built-in ones are in cmd_fund.c; others (award programmes,
 * documents) live in files of their own and are listed in cmd_fund_extra.c,
 * one line each, with a line of help.
 */
#ifndef HOCTAP_FACES_CLI_CMD_FUND_H
#define HOCTAP_FACES_CLI_CMD_FUND_H

#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/issues.h"
#include "model/audit.h"
#include "store/db.h"

typedef struct fund_subcommand {
  const char *name;
  int (*run)(int argc, char **argv);
} fund_subcommand;

/* The subcommands of other files (terminated by a NULL name) and their help lines. */
const fund_subcommand *fund_cli_extra(void);
const char *fund_cli_extra_help(void);

/* The documents (cmd_fund_docs.c). */
int fund_cli_receipt_pdf(int argc, char **argv);
int fund_cli_statement(int argc, char **argv);
int fund_cli_transparency(int argc, char **argv);
/* hoctap fund programme (cmd_fund_programme.c). */
int fund_cli_programme(int argc, char **argv);

#define FUND_MAX_OPTS 32
#define FUND_MAX_POS 4

/* "--name value" options and positional arguments of a subcommand. */
typedef struct fund_opts {
  const char *name[FUND_MAX_OPTS], *value[FUND_MAX_OPTS];
  int n;
  const char *pos[FUND_MAX_POS];
  int npos;
} fund_opts;

/* Parses argv[first..]: options in allowed take a value, those in flags take
 * none; --db is always allowed. -1 (usage printed) on an unknown option. */
int fund_opts_parse(fund_opts *o, int argc, char **argv, int first, const char *const *allowed,
                    const char *const *flags);
const char *fund_opt(const fund_opts *o, const char *name); /* NULL when absent */
int64_t fund_opt_id(const fund_opts *o, const char *name);  /* 0 absent, -1 bad (printed) */
/* Opens the database of --db (as every command does). */
int fund_open(const fund_opts *o, db **d);
/* What a subcommand that writes holds: the database, an arena, the problems,
 * the error and the actor (the login of the command line). begin opens the
 * database of --db (EXIT_RUNTIME, printed, when it cannot); end frees it all. */
typedef struct fund_write {
  db *d;
  arena a;
  issues p;
  ht_err err;
  char name[64];
  audit_actor who;
} fund_write;
int fund_write_begin(fund_write *w, const fund_opts *o);
void fund_write_end(fund_write *w);

/* Prints the problems of a refused write ("field: message"); EXIT_RUNTIME. */
int fund_refused(const char *what, const issues *p, const ht_err *err);

#endif
