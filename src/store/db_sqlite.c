/*
 * db_sqlite.c - the SQLite back end of the storage interface (db.h).
 *
 * The connection runs in WAL mode with foreign keys on, synchronous=FULL (so
 * an acknowledged commit survives a power cut) and a busy timeout; $n
 * parameters are bound through sqlite3_bind_parameter_index("$n").
 */
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "store/db.h"
#include "store/migrate.h"

struct db {
  sqlite3 *conn;
  int64_t prov;
  int64_t last_id;
  uint32_t tag;
  int in_tx;
  int side_tx; /* the open transaction leaves the generation alone (db_tx_side) */
  char errmsg[512];
};

#define DB_MAX_PARAMS 64

struct db_stmt {
  db *owner;
  sqlite3_stmt *st;
  /* SQLite's index of parameter $n, resolved once at prepare time (0 = the
   * statement does not use $n). */
  int param[DB_MAX_PARAMS + 1];
};

const char *db_default_path(const char *flag_value) {
  if (flag_value && *flag_value) return flag_value;
  const char *env = getenv("HOCTAP_DB");
  if (env && *env) return env;
  return "hoctap.db";
}

static int set_err(db *d, int code) {
  snprintf(d->errmsg, sizeof d->errmsg, "%s", sqlite3_errmsg(d->conn));
  return code;
}

static int map_rc(db *d, int rc) {
  switch (rc & 0xff) {
    case SQLITE_OK: return HT_OK;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return set_err(d, HT_EBUSY);
    case SQLITE_CONSTRAINT: return set_err(d, HT_ECONFLICT);
    case SQLITE_NOMEM: return HT_ENOMEM;
    default: return set_err(d, HT_EDB);
  }
}

int db_open_at_version(db **out, const char *path, int max_version, ht_err *err) {
  *out = NULL;
  db *d = calloc(1, sizeof *d);
  if (!d) return ht_err_set(err, HT_ENOMEM, "out of memory");
  /* NOMUTEX: a connection is only ever used by one thread at a time (db.h) */
  int rc = sqlite3_open_v2(path, &d->conn,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK) {
    ht_err_set(err, HT_EDB, "cannot open database %s: %s", path,
               d->conn ? sqlite3_errmsg(d->conn) : "out of memory");
    sqlite3_close(d->conn);
    free(d);
    return HT_EDB;
  }
  sqlite3_busy_timeout(d->conn, 5000);
  sqlite3_extended_result_codes(d->conn, 1);
  if (getrandom(&d->tag, sizeof d->tag, 0) != sizeof d->tag) d->tag = (uint32_t)getpid();
  rc = db_exec(d,
               "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;"
               "PRAGMA temp_store=MEMORY;"
               /* read through a memory map: no copy per page on the big year scans */
               "PRAGMA mmap_size=4294967296;");
  if (rc != HT_OK) {
    ht_err_set(err, rc, "cannot configure database %s: %s (is it a SQLite database?)", path,
               d->errmsg);
    db_close(d);
    return rc;
  }
  rc = migrate_apply(d, max_version, err);
  if (rc != HT_OK) {
    db_close(d);
    return rc;
  }
  if (db_schema_version(d) >= 1)
    db_exec(
        d, "INSERT INTO meta (key, value) VALUES ('generation', '0') ON CONFLICT (key) DO NOTHING");
  char buf[32];
  d->prov = db_meta_get(d, "province", buf, sizeof buf) == HT_OK ? strtoll(buf, NULL, 10) : 0;
  *out = d;
  return HT_OK;
}

int db_open(db **out, const char *path, ht_err *err) {
  return db_open_at_version(out, path, db_latest_schema_version(), err);
}

void db_close(db *d) {
  if (!d) return;
  sqlite3_close_v2(d->conn);
  free(d);
}

int64_t db_prov(const db *d) {
  return d->prov;
}
void db_set_prov(db *d, int64_t prov) {
  d->prov = prov;
}

int64_t db_new_id(db *d) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  /* 41 bits of milliseconds since 2024-01-01 (69 years), 10 bits of process
   * tag, 12 bits of sequence. Monotonic within a process. */
  int64_t ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - 1704067200000LL;
  int64_t id = (ms << 22) | ((int64_t)(d->tag & 0x3ff) << 12);
  if (id <= d->last_id) id = d->last_id + 1;
  d->last_id = id;
  return id;
}

int db_prepare(db *d, const char *sql, db_stmt **out) {
  *out = NULL;
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(d->conn, sql, -1, &st, NULL);
  if (rc != SQLITE_OK) {
    map_rc(d, rc);
    fprintf(stderr, "hoctap: SQL error: %s\n  in: %s\n", d->errmsg, sql);
    return HT_EDB;
  }
  db_stmt *s = malloc(sizeof *s);
  if (!s) {
    sqlite3_finalize(st);
    return HT_ENOMEM;
  }
  s->owner = d;
  s->st = st;
  memset(s->param, 0, sizeof s->param);
  for (int i = 1; i <= sqlite3_bind_parameter_count(st); i++) {
    const char *name = sqlite3_bind_parameter_name(st, i);
    int n = name && name[0] == '$' ? atoi(name + 1) : 0;
    if (n < 1 || n > DB_MAX_PARAMS) {
      fprintf(stderr, "hoctap: SQL parameter %s is not $1..$%d\n  in: %s\n", name ? name : "?",
              DB_MAX_PARAMS, sql);
      sqlite3_finalize(st);
      free(s);
      return HT_EDB;
    }
    s->param[n] = i;
  }
  *out = s;
  return HT_OK;
}

static int param_index(db_stmt *s, int index) {
  return index >= 1 && index <= DB_MAX_PARAMS ? s->param[index] : 0;
}

int db_bind_int64(db_stmt *s, int index, int64_t v) {
  int i = param_index(s, index);
  if (!i) return HT_OK; /* the statement does not use $index */
  return map_rc(s->owner, sqlite3_bind_int64(s->st, i, v));
}

int db_bind_text(db_stmt *s, int index, const char *v) {
  int i = param_index(s, index);
  if (!i) return HT_OK;
  if (!v) return map_rc(s->owner, sqlite3_bind_null(s->st, i));
  return map_rc(s->owner, sqlite3_bind_text(s->st, i, v, -1, SQLITE_TRANSIENT));
}

int db_bind_null(db_stmt *s, int index) {
  int i = param_index(s, index);
  if (!i) return HT_OK;
  return map_rc(s->owner, sqlite3_bind_null(s->st, i));
}

int db_bind_double(db_stmt *s, int index, double v) {
  int i = param_index(s, index);
  if (!i) return HT_OK;
  return map_rc(s->owner, sqlite3_bind_double(s->st, i, v));
}

int db_bind_blob(db_stmt *s, int index, const void *data, size_t len) {
  int i = param_index(s, index);
  if (!i) return HT_OK;
  return map_rc(s->owner, sqlite3_bind_blob64(s->st, i, len ? data : "", (sqlite3_uint64)len,
                                              SQLITE_TRANSIENT));
}

int db_step(db_stmt *s) {
  int rc = sqlite3_step(s->st);
  if (rc == SQLITE_ROW) return DB_ROW;
  if (rc == SQLITE_DONE) return DB_DONE;
  return map_rc(s->owner, rc);
}

int db_reset(db_stmt *s) {
  sqlite3_reset(s->st);
  sqlite3_clear_bindings(s->st);
  return HT_OK;
}

int db_col_count(db_stmt *s) {
  return sqlite3_column_count(s->st);
}
int db_col_is_null(db_stmt *s, int col) {
  return sqlite3_column_type(s->st, col) == SQLITE_NULL;
}
int64_t db_col_int64(db_stmt *s, int col) {
  return sqlite3_column_int64(s->st, col);
}

const char *db_col_text(db_stmt *s, int col) {
  const unsigned char *t = sqlite3_column_text(s->st, col);
  return t ? (const char *)t : "";
}

double db_col_double(db_stmt *s, int col) {
  return sqlite3_column_double(s->st, col);
}

const void *db_col_blob(db_stmt *s, int col, size_t *len) {
  const void *p = sqlite3_column_blob(s->st, col);
  *len = p ? (size_t)sqlite3_column_bytes(s->st, col) : 0;
  return p;
}

void db_finalize(db_stmt *s) {
  if (!s) return;
  sqlite3_finalize(s->st);
  free(s);
}

int db_exec(db *d, const char *sql) {
  char *msg = NULL;
  int rc = sqlite3_exec(d->conn, sql, NULL, NULL, &msg);
  if (rc != SQLITE_OK) {
    snprintf(d->errmsg, sizeof d->errmsg, "%s", msg ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    return (rc & 0xff) == SQLITE_BUSY ? HT_EBUSY : HT_EDB;
  }
  return HT_OK;
}

int db_query_int64(db *d, int64_t *out, const char *sql, int nparams, ...) {
  *out = 0;
  db_stmt *s;
  int rc = db_prepare(d, sql, &s);
  if (rc) return rc;
  va_list ap;
  va_start(ap, nparams);
  for (int i = 1; i <= nparams; i++) db_bind_int64(s, i, va_arg(ap, int64_t));
  va_end(ap);
  rc = db_step(s);
  if (rc == DB_ROW) *out = db_col_int64(s, 0);
  db_finalize(s);
  return rc < 0 ? rc : HT_OK;
}

int db_begin(db *d) {
  int rc = db_exec(d, "BEGIN IMMEDIATE");
  if (rc == HT_OK) d->in_tx = 1;
  return rc;
}

int db_commit(db *d) {
  /* Every committed transaction bumps the generation, so long-lived readers
   * (the server's caches) notice changes made by any process. */
  int rc = HT_OK;
  if (!d->side_tx)
    rc = db_exec(d,
                 "UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS TEXT) "
                 "WHERE key = 'generation'");
  if (rc != HT_OK && db_schema_version(d) == 0) rc = HT_OK; /* before migration 1 */
  if (rc != HT_OK) return rc;
  rc = db_exec(d, "COMMIT");
  if (rc == HT_OK) d->in_tx = 0;
  return rc;
}

int db_rollback(db *d) {
  if (!d->in_tx) return HT_OK;
  d->in_tx = 0;
  return db_exec(d, "ROLLBACK");
}

int db_tx(db *d, int (*fn)(db *d, void *ctx), void *ctx) {
  int rc = HT_EBUSY;
  for (int attempt = 0; attempt < 10; attempt++) {
    if (attempt) usleep(20000u << (attempt < 5 ? attempt : 5));
    rc = db_begin(d);
    if (rc == HT_EBUSY) continue;
    if (rc) return rc;
    rc = fn(d, ctx);
    if (rc == HT_OK) {
      rc = db_commit(d);
      if (rc == HT_OK) return HT_OK;
    }
    db_rollback(d);
    if (rc != HT_EBUSY) return rc;
  }
  return rc;
}

int db_tx_side(db *d, int (*fn)(db *d, void *ctx), void *ctx) {
  d->side_tx = 1;
  int rc = db_tx(d, fn, ctx);
  d->side_tx = 0;
  return rc;
}

int64_t db_data_version(db *d) {
  char buf[32];
  if (db_meta_get(d, "generation", buf, sizeof buf) != HT_OK) return 0;
  return strtoll(buf, NULL, 10);
}

const char *db_errmsg(db *d) {
  return d->errmsg;
}

int db_meta_get(db *d, const char *key, char *buf, int bufsize) {
  db_stmt *s;
  int rc = db_prepare(d, "SELECT value FROM meta WHERE key = $1", &s);
  if (rc) return rc;
  db_bind_text(s, 1, key);
  rc = db_step(s);
  if (rc == DB_ROW) {
    snprintf(buf, (size_t)bufsize, "%s", db_col_text(s, 0));
    rc = HT_OK;
  } else if (rc == DB_DONE) {
    rc = HT_ENOTFOUND;
  }
  db_finalize(s);
  return rc;
}

int db_meta_set(db *d, const char *key, const char *value) {
  db_stmt *s;
  int rc = db_prepare(d,
                      "INSERT INTO meta (key, value) VALUES ($1, $2) "
                      "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                      &s);
  if (rc) return rc;
  db_bind_text(s, 1, key);
  db_bind_text(s, 2, value);
  rc = db_step(s);
  db_finalize(s);
  return rc < 0 ? rc : HT_OK;
}
