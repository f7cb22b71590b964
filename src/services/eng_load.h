/*
 * eng_load.h - builds an evaluation engine for one year from the database:
 * the hierarchy on 31 December of the year, the registry rows of that year,
 * and the year's records (registrations, entered values, evidence, reviewer
 * overrides); then evaluates every title in force.
 */
#ifndef HOCTAP_SERVICES_ENG_LOAD_H
#define HOCTAP_SERVICES_ENG_LOAD_H

#include "criteria/crit.h"
#include "engine/engine.h"
#include "model/hier.h"
#include "store/db.h"

/* The certificates that make an entity hold a title in year $2 (with "$3" =
 * "YYYY-12-31"): not revoked, from a decision of that year, or of an earlier
 * year and still valid on 31 December. Appended to a WHERE on certificates. */
#define ENG_HELD_SQL                                                                 \
  "revoked_at IS NULL AND (year = $2 OR (year < $2 AND valid_until IS NOT NULL AND " \
  "valid_until >= $3))"

typedef struct eng_load_stats {
  double seconds;
  long records, ignored_values, unknown_entities;
} eng_load_stats;

/* set must outlive the engine. stats may be NULL. */
int eng_load(db *d, const hier *h, const crit_set *set, int year, engine **out,
             eng_load_stats *stats, ht_err *err);

#endif
