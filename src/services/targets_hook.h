/*
 * targets_hook.h - the programme targets (the targets/ files, docs/targets-format.md)
 * as the evaluation's target lookup: which target applies to a title's rate
 * for a unit and a year.
 */
#ifndef HOCTAP_SERVICES_TARGETS_HOOK_H
#define HOCTAP_SERVICES_TARGETS_HOOK_H

#include "base/err.h"
#include "criteria/crit.h"
#include "criteria/targets.h"
#include "model/hier.h"

typedef struct targets_hook {
  tgt_set set;
  const char *decision; /* an explicit target set key, or NULL for the applicable one */
  int province;
  int loaded;
} targets_hook;

/* Loads the default target sets; decision (may be NULL) must name one of them. */
int targets_hook_init(targets_hook *th, const char *decision, int province, ht_err *err);
void targets_hook_free(targets_hook *th);
/* An eval_target_fn: ctx is a targets_hook. NAN when no target applies. */
double targets_hook_fn(void *ctx, const crit_title *t, int year, const hier_unit *unit,
                       const char **source, int *milestone);

#endif
