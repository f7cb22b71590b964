/*
 * db.h - the storage interface. Everything above the store layer talks to the
 * database through these functions only; the SQLite back end lives in
 * db_sqlite.c and a PostgreSQL back end can be added beside it without
 * touching callers.
 *
 * Portable SQL rules (see docs/architecture.md, "Storage"):
 *  - parameters are written $1, $2, ... in every statement;
 *  - ids are app-generated 64-bit integers (db_new_id), never AUTOINCREMENT;
 *  - times are BIGINT epoch milliseconds, dates are ISO 'YYYY-MM-DD' TEXT;
 *  - every table has the province partition column `prov` in its primary key;
 *  - upserts use INSERT ... ON CONFLICT (...) DO UPDATE; no triggers;
 *  - every write runs inside db_tx(), which retries on busy/serialization errors.
 *
 * Ownership: a db handle belongs to one thread at a time. Statements belong to
 * their handle and must be finalized before db_close().
 */
#ifndef HOCTAP_STORE_DB_H
#define HOCTAP_STORE_DB_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

typedef struct db db;
typedef struct db_stmt db_stmt;

enum { DB_DONE = 0, DB_ROW = 1 };

/* Where the database file is: --db PATH, else $HOCTAP_DB, else ./hoctap.db. */
const char *db_default_path(const char *flag_value);

/* Opens (creating if needed) the database at path and applies every pending
 * migration (see migrate.c). HT_OK or an error with a message in err. */
int db_open(db **out, const char *path, ht_err *err);
/* As db_open, but stops migrating at version max_version (tests of upgrades). */
int db_open_at_version(db **out, const char *path, int max_version, ht_err *err);
void db_close(db *d);

/* The province partition id of this database (meta key 'province'); 0 when unset. */
int64_t db_prov(const db *d);
void db_set_prov(db *d, int64_t prov);

/* A new unique 64-bit id: milliseconds since 2024-01-01 in the high bits, a
 * random process tag and a per-process sequence in the low bits. */
int64_t db_new_id(db *d);

int db_prepare(db *d, const char *sql, db_stmt **out);
int db_bind_int64(db_stmt *s, int index, int64_t v);    /* index is the n of $n */
int db_bind_text(db_stmt *s, int index, const char *v); /* NULL binds SQL NULL */
int db_bind_null(db_stmt *s, int index);
int db_bind_double(db_stmt *s, int index, double v);
/* Binds a copy of data[0..len) as a binary value (BYTEA). */
int db_bind_blob(db_stmt *s, int index, const void *data, size_t len);
int db_step(db_stmt *s);  /* DB_ROW, DB_DONE or a negative HT_* code */
int db_reset(db_stmt *s); /* ready to bind and step again */
int db_col_count(db_stmt *s);
int db_col_is_null(db_stmt *s, int col);
int64_t db_col_int64(db_stmt *s, int col);
const char *db_col_text(db_stmt *s, int col); /* "" for NULL; valid until next step */
double db_col_double(db_stmt *s, int col);
/* The bytes of a binary column (NULL with *len 0 for NULL); valid until next step. */
const void *db_col_blob(db_stmt *s, int col, size_t *len);
void db_finalize(db_stmt *s);

/* Runs one or more statements without parameters (schema, pragmas). */
int db_exec(db *d, const char *sql);

/* Convenience: runs a single-row query with int64 parameters and returns the
 * first column of the first row in *out (0 when there is no row). */
int db_query_int64(db *d, int64_t *out, const char *sql, int nparams, ...);

/* Runs fn(d, ctx) inside a transaction: commits when fn returns HT_OK, rolls
 * back otherwise, and retries the whole transaction (up to 10 times, with
 * back-off) when the database reports busy or a serialization failure. */
int db_tx(db *d, int (*fn)(db *d, void *ctx), void *ctx);
/* As db_tx, for a transaction that writes only tables no cache reads
 * (accounts, sessions, the audit trail): it leaves the generation alone, so
 * a login does not make the server rebuild its snapshot and engines. */
int db_tx_side(db *d, int (*fn)(db *d, void *ctx), void *ctx);
int db_begin(db *d);
int db_commit(db *d);
int db_rollback(db *d);

/* The database generation: a counter that every committed write transaction
 * (from any process) increments; used to invalidate in-memory caches. */
int64_t db_data_version(db *d);

/* The back end's last error message. */
const char *db_errmsg(db *d);

/* Meta key/value store (table meta). */
int db_meta_get(db *d, const char *key, char *buf, int bufsize); /* HT_ENOTFOUND if absent */
int db_meta_set(db *d, const char *key, const char *value);

/* Schema version currently applied. */
int db_schema_version(db *d);
int db_latest_schema_version(void);

#endif
