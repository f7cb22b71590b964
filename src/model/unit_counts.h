/*
 * unit_counts.h - how many households, persons, clans and organisations lie
 * below each administrative unit on a date.
 *
 * Registry placements are by year for households (household_places) and by
 * date for organisations (organisation_places); clans are based in a village.
 * unit_counts_load() reads the direct counts per village / managing unit for
 * one date (O(registry) in SQL, done once per year and cached by the caller);
 * unit_counts_rollup() adds them up the tree valid on that date in
 * O(codes x depth).
 */
#ifndef HOCTAP_MODEL_UNIT_COUNTS_H
#define HOCTAP_MODEL_UNIT_COUNTS_H

#include <stdint.h>

#include "base/strmap.h"
#include "model/hier.h"
#include "store/db.h"

typedef struct unit_count {
  int64_t households, persons, clans, organisations;
} unit_count;

typedef struct unit_counts {
  arena mem;
  int32_t day;
  strmap direct_index; /* unit code -> index into direct[] */
  unit_count *direct;
  const char **direct_codes;
  size_t ndirect, cap;
  unit_count *total; /* per hier unit index, after rollup; NULL before */
  size_t ntotal;
} unit_counts;

/* Reads the direct counts for day (households and persons of the year of
 * day). The result must be freed with unit_counts_free(). */
int unit_counts_load(db *d, int32_t day, unit_counts *out, ht_err *err);
/* The year-dependent part only (households, persons, clans): the expensive
 * queries, which a server caches per year. */
int unit_counts_load_year(db *d, int year, unit_counts *out, ht_err *err);
/* out = a copy of year's counts plus the organisations managed on day. */
int unit_counts_for_day(db *d, const unit_counts *year, int32_t day, unit_counts *out, ht_err *err);
/* Fills out->total for every unit of h valid on out->day. */
void unit_counts_rollup(unit_counts *c, const hier *h);
/* Total below u (u included); zeros when u is not valid on the day. */
unit_count unit_counts_of(const unit_counts *c, const hier_unit *u);
void unit_counts_free(unit_counts *c);

#endif
