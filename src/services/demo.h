/*
 * demo.h - the seeded demo-data generator (`hoctap demo`).
 *
 * Builds a Hải Phòng-shaped data set (domain README §3 and §6) into an empty
 * database: the city and the neighbouring province of Hải Dương with their
 * districts, communes and villages from 2020, the 2025-01-01 commune mergers
 * and the 2025-07-01 reform (114 communes directly under the city, no
 * districts) with change records; then households with their members and
 * yearly facts for 2022-2025 (criteria.md, "Inputs recorded"), clans, and
 * organisations with their members; and the yearly records of 2022-2025
 * (registrations, entered values, evidence notes) of every title the shipped
 * criteria put in force for province 31, generated from the titles' items
 * (docs/demo-data.md, "Yearly records"). Every name looks Vietnamese and
 * every address says "(dữ liệu mẫu)"; meta key 'demo' = 1 marks the database.
 *
 * Deterministic: the same seed and size give identical rows except the
 * generated ids (and so the person ids that name persons' records). The
 * hierarchy depends on the seed only, not on the size; the records draw from
 * a stream of their own, so the registry of a seed is what it was before
 * records existed.
 */
#ifndef HOCTAP_SERVICES_DEMO_H
#define HOCTAP_SERVICES_DEMO_H

#include <stdint.h>

#include "base/err.h"
#include "store/db.h"

typedef struct demo_options {
  uint64_t seed;   /* default 1 */
  long households; /* default 20000; 1300000 builds a full-size city; 0..9999999 */
  int progress;    /* draw a progress bar on stderr (the CLI sets it when stderr is a terminal) */
} demo_options;

void demo_options_default(demo_options *o);

/* Builds the demo data set into d, which must be empty (HT_ECONFLICT with a
 * message otherwise; HT_EINVAL for an out-of-range size). Sets the province
 * of d to 31 (Hải Phòng) and the meta keys province, demo, demo_seed.
 * Writes in transactions of about 50,000 rows with synchronous=OFF for the
 * duration of the build: on failure the database may hold part of the data
 * set and should be deleted and built again. Time and rows are linear in
 * o->households (about 19 registry rows and 8 record rows per household;
 * ~8,000 households a second on a 2-core machine); memory is under 10 bytes
 * per person plus the hierarchy. */
int demo_build(db *d, const demo_options *o, ht_err *err);

#endif
