/* eval_env.c - the engine commands' common start (see eval_env.h). */
#include "faces/cli/eval_env.h"

#include <string.h>

#include "faces/cli/cli.h"
#include "services/eng_load.h"
#include "services/evaluation.h"

void eval_env_free(eval_env *v) {
  eng_free(v->e);
  targets_hook_free(&v->th);
  crit_set_free(&v->set);
  hier_free(&v->h);
  if (v->d) db_close(v->d);
  arena_free(&v->a);
}

int eval_env_open(eval_env *v, const char *cmd, const char *db_path, int year,
                  const char *const *files, int nfiles, const char *targets, const char *title) {
  memset(v, 0, sizeof *v);
  arena_init(&v->a, 0);
  issues_init(&v->problems, &v->a);
  crit_set_init(&v->set);
  ht_err err = {0};
  if (evaluation_criteria(&v->set, files, nfiles, &v->problems, &err) != HT_OK) {
    if (v->problems.count) {
      issues_sort(&v->problems);
      for (long i = 0; i < v->problems.kept; i++) {
        const issue *it = &v->problems.items[i];
        fprintf(stderr, "%s:%ld:%ld: %s\n", it->file ? it->file : "?", it->row, it->col, it->msg);
      }
      return cli_fail(cmd, "the criteria have %ld problem(s); nothing was evaluated",
                      v->problems.count);
    }
    return cli_fail(cmd, "%s", err.msg);
  }
  int rc = cli_open_db(cmd, db_path, &v->d);
  if (rc) return rc;
  if (hier_load(v->d, &v->h, &err) != HT_OK) return cli_fail(cmd, "%s", err.msg);
  if (targets_hook_init_db(&v->th, v->d, targets, (int)db_prov(v->d), &err) != HT_OK)
    return cli_fail(cmd, "%s", err.msg);
  if (eng_load(v->d, &v->h, &v->set, year, &v->e, NULL, &err) != HT_OK)
    return cli_fail(cmd, "%s", err.msg);
  if (title && eng_title_find(v->e, title) < 0) {
    int known = 0;
    for (const crit_title *t = v->set.titles; t; t = t->next) known |= !strcmp(t->key, title);
    return known ? cli_fail(cmd, "title %s is not in force in %d", title, year)
                 : cli_fail(cmd, "unknown title '%s'; see 'hoctap criteria list'", title);
  }
  return -1;
}
