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
#include "model/audit.h"
#include "model/hier.h"
#include "store/db.h"

typedef struct targets_hook {
  tgt_set set;
  const char *decision; /* an explicit target set key, or NULL for the applicable one */
  int province;
  int loaded;
} targets_hook;

/* Loads the default target sets; decision (may be NULL) must name one of them. */
int targets_hook_init(targets_hook *th, const char *decision, int province, ht_err *err);
/* As targets_hook_init, with the target files an administrator imported into
 * d first (a stored set replaces a shipped one of the same key). */
int targets_hook_init_db(targets_hook *th, db *d, const char *decision, int province, ht_err *err);

/* ------------------------------------------------ imported target files */

/* settings_texts keys of imported target files: this prefix and the file's name. */
#define TARGETS_SETTINGS_PREFIX "targets:"

/* Parses every target file imported into d into s (problems to out, named by
 * the file). The shipped sets are not added. */
int targets_stored_load(db *d, tgt_set *s, issues *out);
/* Imports a target file (docs/targets-format.md) under name (its file name
 * without folders and ".tgt"; a later import of the same name replaces it):
 * checked alone and together with the other imported files and the shipped
 * sets (duplicate keys across files, measures that are neither declared nor
 * titles of the criteria), stored, audited as targets.import. HT_EINVAL with
 * every problem in out and nothing changed. */
int targets_import(db *d, const audit_actor *who, const crit_set *criteria, const char *name,
                   const char *text, size_t len, issues *out, ht_err *err);
/* Removes an imported file (audited); HT_ENOTFOUND when there is none of that name. */
int targets_remove(db *d, const audit_actor *who, const char *name, ht_err *err);
/* The names of the imported files, in name order (from a). */
int targets_stored_names(db *d, arena *a, const char ***names, size_t *n);
void targets_hook_free(targets_hook *th);
/* An eval_target_fn: ctx is a targets_hook. NAN when no target applies. */
double targets_hook_fn(void *ctx, const crit_title *t, int year, const hier_unit *unit,
                       const char **source, int *milestone);

#endif
