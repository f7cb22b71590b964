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

#endif
