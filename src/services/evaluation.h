/*
 * evaluation.h - what the CLI and the API show of an engine: the rollup of
 * each title per administrative unit with its rate and target, and the
 * per-entity results below a unit. Shared so that both faces give the same
 * numbers.
 */
#ifndef HOCTAP_SERVICES_EVALUATION_H
#define HOCTAP_SERVICES_EVALUATION_H

#include "criteria/crit.h"
#include "engine/engine.h"
#include "model/hier.h"
#include "store/db.h"

/* Loads the default criteria plus files (each may override a title), and
 * checks the set. Problems go to out; returns HT_EINVAL when there are any. */
int evaluation_criteria(crit_set *set, const char *const *files, int nfiles, issues *out,
                        ht_err *err);

typedef struct eval_row {
  const hier_unit *unit;
  crit_entity unit_kind;
  int32_t unit_index;
  int title; /* engine title index */
  eng_counts counts;
  double rate, registered_rate; /* NAN when nobody is eligible */
  double target;                /* NAN when no target applies */
  const char *target_source;    /* the target set's name, or NULL */
  int target_year;
} eval_row;

/* Targets are looked up through this hook (NULL: no targets). */
typedef double (*eval_target_fn)(void *ctx, const crit_title *t, int year, const hier_unit *unit,
                                 const char **source, int *milestone);

/* The unit of code on 31 December of the engine's year, as engine kind and
 * index. Returns -1 when the code is not a unit then. */
int evaluation_unit(const engine *e, const hier *h, const char *code, const hier_unit **unit,
                    crit_entity *kind, int32_t *index);

/* Rows for unit and title (title < 0: every title whose entities can lie at
 * or below the unit). */
int evaluation_rows_for(const engine *e, const hier_unit *unit, crit_entity kind, int32_t index,
                        int title, eval_target_fn target, void *tctx, eval_row *rows, int max);

/* The entities of title at or below unit (kind, index) that are eligible,
 * in code order; *n is set. Caller frees the array. */
int32_t *evaluation_entities(const engine *e, int title, crit_entity kind, int32_t index,
                             int32_t *n);

/* The display name of entity j of kind (names are not in the engine): a
 * person's name, a household's head, a clan's, organisation's or unit's
 * name; "" when unknown. The string comes from a. One query. */
const char *evaluation_entity_name(db *d, const engine *e, const hier *h, crit_entity kind,
                                   int32_t j, arena *a);

/* The units a rollup report lists (hoctap evaluate, export rollup, DHIS2):
 * start (NULL: every root on 31 December of year) and the units below it,
 * breadth first, down to the communes; a commune start lists its villages.
 * Array from a. O(units listed). */
size_t evaluation_report_units(const hier *h, const hier_unit *start, int year, arena *a,
                               const hier_unit ***out);

#endif
