/*
 * migrate.h - numbered schema migrations.
 *
 * Migrations are applied in order, each in its own transaction, and recorded
 * in schema_migrations; a database from an older version is upgraded in place
 * when it is opened. A migration is never edited once released: a change is a
 * new migration appended to the list in migrate.c.
 */
#ifndef HOCTAP_STORE_MIGRATE_H
#define HOCTAP_STORE_MIGRATE_H

#include "base/err.h"
#include "store/db.h"

/* Applies every migration above the current version up to max_version. */
int migrate_apply(db *d, int max_version, ht_err *err);

/* Sets records.place where it is '' (records written without it: before
 * migration 6, or in bulk by the demo generator): the village of a household
 * or person, the village of a clan, the managing unit of an organisation,
 * the unit itself. Households, persons, clans, organisations and units are
 * tried in that order (their codes do not collide); a record left with '' is
 * shown to no area. */
#define MIGRATE_RECORD_PLACES_SQL                                                                 \
  "UPDATE records SET place = COALESCE((SELECT p.village_code FROM households h JOIN "            \
  "household_places p ON p.prov = h.prov AND p.household_id = h.id WHERE h.prov = "               \
  "records.prov AND h.code = records.entity AND p.from_year <= records.year ORDER BY "            \
  "p.from_year DESC LIMIT 1), '') WHERE place = '';"                                              \
  "UPDATE records SET place = COALESCE((SELECT p.village_code FROM persons x JOIN "               \
  "household_places p ON p.prov = x.prov AND p.household_id = x.household_id WHERE x.prov = "     \
  "records.prov AND x.id = CAST(records.entity AS BIGINT) AND p.from_year <= records.year ORDER " \
  "BY p.from_year DESC LIMIT 1), '') WHERE place = '';"                                           \
  "UPDATE records SET place = COALESCE((SELECT c.village_code FROM clans c WHERE c.prov = "       \
  "records.prov AND c.code = records.entity), '') WHERE place = '';"                              \
  "UPDATE records SET place = COALESCE((SELECT p.admin_code FROM organisations o JOIN "           \
  "organisation_places p ON p.prov = o.prov AND p.organisation_id = o.id WHERE o.prov = "         \
  "records.prov AND o.code = records.entity AND p.valid_from <= CAST(records.year AS TEXT) || "   \
  "'-12-31' ORDER BY p.valid_from DESC LIMIT 1), '') WHERE place = '';"                           \
  "UPDATE records SET place = entity WHERE place = '' AND EXISTS (SELECT 1 FROM units u WHERE "   \
  "u.prov = records.prov AND u.code = records.entity);"

#endif
