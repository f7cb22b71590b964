/* targets_hook.c - see targets_hook.h. */
#include "services/targets_hook.h"

#include <math.h>
#include <string.h>

int targets_hook_init(targets_hook *th, const char *decision, int province, ht_err *err) {
  memset(th, 0, sizeof *th);
  tgt_set_init(&th->set);
  th->decision = decision;
  th->province = province;
  th->loaded = 1;
  arena a;
  arena_init(&a, 0);
  issues problems;
  issues_init(&problems, &a);
  int rc = tgt_load_defaults(&th->set, &problems);
  if (rc == HT_OK) rc = tgt_check_set(&th->set, &problems);
  arena_free(&a);
  if (rc != HT_OK)
    return ht_err_set(err, HT_EINVAL,
                      "the built-in target sets have problems; see 'hoctap "
                      "targets check'");
  if (decision && !tgt_find(&th->set, decision))
    return ht_err_set(err, HT_ENOTFOUND,
                      "no target set '%s'; see 'hoctap targets list' for the keys", decision);
  return HT_OK;
}

void targets_hook_free(targets_hook *th) {
  if (th->loaded) tgt_set_free(&th->set);
  memset(th, 0, sizeof *th);
}

double targets_hook_fn(void *ctx, const crit_title *t, int year, const hier_unit *unit,
                       const char **source, int *milestone) {
  targets_hook *th = ctx;
  tgt_choice c;
  if (!th || !th->loaded ||
      tgt_applicable(&th->set, th->decision, t->key, year, th->province,
                     unit && unit->groups ? unit->groups : "", &c) != HT_OK)
    return NAN;
  if (source) *source = c.set_name;
  if (milestone) *milestone = c.year;
  return c.value;
}
