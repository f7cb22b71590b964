/*
 * eval_env.h - what every engine command of the CLI opens first (evaluate,
 * results, explain, export): the database, the criteria (defaults plus
 * --criteria files), the hierarchy, the programme targets and the year's
 * engine, evaluated.
 */
#ifndef HOCTAP_FACES_CLI_EVAL_ENV_H
#define HOCTAP_FACES_CLI_EVAL_ENV_H

#include "base/issues.h"
#include "engine/engine.h"
#include "model/hier.h"
#include "services/targets_hook.h"
#include "store/db.h"

typedef struct eval_env {
  db *d;
  hier h;
  crit_set set;
  engine *e;
  arena a;
  issues problems;
  targets_hook th;
} eval_env;

/* Opens everything for year. title (may be NULL) must be in force that year.
 * Returns -1 when ready, else the exit status, the reason printed as
 * "hoctap CMD: ..." (criteria problems as FILE:LINE:COLUMN). Call
 * eval_env_free() in both cases. */
int eval_env_open(eval_env *v, const char *cmd, const char *db_path, int year,
                  const char *const *files, int nfiles, const char *targets, const char *title);
void eval_env_free(eval_env *v);

#endif
