/*
 * app.h - the server's shared, read-mostly state: a snapshot of the
 * hierarchy and cached registry counts, rebuilt when the database generation
 * changes (any committed write, from this or another process).
 *
 * A request acquires the current snapshot and releases it when done, so a
 * rebuild never frees what a request still uses. Acquire is O(1) unless the
 * generation moved; counts for a year are computed once per snapshot.
 */
#ifndef HOCTAP_FACES_HTTP_APP_H
#define HOCTAP_FACES_HTTP_APP_H

#include <pthread.h>

#include "criteria/crit.h"
#include "engine/engine.h"
#include "model/hier.h"
#include "model/unit_counts.h"
#include "services/dashboard.h"
#include "services/targets_hook.h"

#define APP_YEAR_CACHE 8
#define APP_ENGINE_CACHE 3 /* years evaluated at once (a full city takes ~1 GB each) */

typedef struct app_snapshot {
  int refs; /* guarded by app_state.lock */
  int64_t generation;
  hier h;
  int demo;
  targets_hook targets; /* the shipped target sets and those imported into the database */
  pthread_mutex_t counts_lock;
  struct {
    int year, used;
    unit_counts counts;
  } years[APP_YEAR_CACHE];
  /* evaluation engines by year; engine_lock guards the cache and every use of an engine */
  pthread_mutex_t engine_lock;
  struct {
    int year, used;
    unsigned long last_use;
    engine *e;
  } engines[APP_ENGINE_CACHE];
  unsigned long engine_clock;
  /* dashboard tables by year (index year - DASH_FIRST_YEAR), built from the
   * engines and dropped when that year's records change; a table still in use
   * when dropped is retired and freed by its last user. tables_lock guards
   * them and is taken before engine_lock, never after. */
  pthread_mutex_t tables_lock;
  struct app_table {
    dash_table *t;
    int refs, retired;
    struct app_table *next; /* the retired list */
  } * tables[DASH_MAX_YEARS], *retired;
} app_snapshot;

typedef struct app_state {
  pthread_mutex_t lock;
  const char *db_path;
  app_snapshot *current;
  crit_set criteria; /* the criteria in force: the defaults shipped */
} app_state;

void app_init(app_state *a, const char *db_path);
void app_destroy(app_state *a);
/* The snapshot for the database as d sees it now. */
int app_acquire(app_state *a, db *d, app_snapshot **out, ht_err *err);
void app_release(app_state *a, app_snapshot *s);
/* Counts rolled up on day (caller frees with unit_counts_free). */
int app_counts(app_snapshot *s, db *d, int32_t day, unit_counts *out, ht_err *err);
/* The engine for year, loaded and evaluated on first use. On success the
 * snapshot's engine_lock is held: call app_engine_done() when finished. */
int app_engine(app_state *a, app_snapshot *s, db *d, int year, engine **out, ht_err *err);
void app_engine_done(app_snapshot *s);

/* The dashboard tables of the years DASH_FIRST_YEAR .. year into
 * tables[year - DASH_FIRST_YEAR], each built from its year's engine on first
 * use. Release them with app_dash_tables_done(). */
int app_dash_tables(app_state *a, app_snapshot *s, db *d, int year,
                    dash_table *tables[DASH_MAX_YEARS], ht_err *err);
void app_dash_tables_done(app_snapshot *s, dash_table *tables[DASH_MAX_YEARS]);

/* One yearly record that a write changed. */
typedef struct app_record_change {
  const char *title, *entity;
} app_record_change;
/*
 * After a write of records only (an assessments import) committed on d: when
 * that write is the only change since the current snapshot was built
 * (generation before + 1 is the database's now), puts the changed records of
 * year into the snapshot's engine for that year, if loaded, re-evaluates
 * what they touch (eng_flush) and moves the snapshot to the new generation,
 * so nothing is rebuilt. Returns 1 when applied that way, 0 when the next
 * request rebuilds the snapshot as after any other write.
 */
int app_apply_records(app_state *a, db *d, int64_t generation_before, int year,
                      const app_record_change *changes, size_t n);

#endif
