/* app.c - shared server state: hierarchy snapshot and counts cache. */
#include "faces/http/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "services/eng_load.h"
#include "services/evaluation.h"

void app_init(app_state *a, const char *db_path) {
  memset(a, 0, sizeof *a);
  pthread_mutex_init(&a->lock, NULL);
  a->db_path = db_path;
  arena scratch;
  arena_init(&scratch, 0);
  issues problems;
  issues_init(&problems, &scratch);
  crit_set_init(&a->criteria);
  ht_err err = {0};
  if (evaluation_criteria(&a->criteria, NULL, 0, &problems, &err) != HT_OK) {
    /* the defaults are compiled in and checked by the tests: this is a build defect */
    fprintf(stderr, "hoctap: the built-in criteria have %ld problem(s)\n", problems.count);
    abort();
  }
  arena_free(&scratch);
}

static void snapshot_free(app_snapshot *s) {
  for (int i = 0; i < APP_YEAR_CACHE; i++)
    if (s->years[i].used) unit_counts_free(&s->years[i].counts);
  for (int i = 0; i < APP_ENGINE_CACHE; i++) eng_free(s->engines[i].e);
  for (int i = 0; i < DASH_MAX_YEARS; i++)
    if (s->tables[i]) {
      dash_table_free(s->tables[i]->t);
      free(s->tables[i]);
    }
  while (s->retired) {
    struct app_table *next = s->retired->next;
    dash_table_free(s->retired->t);
    free(s->retired);
    s->retired = next;
  }
  pthread_mutex_destroy(&s->tables_lock);
  hier_free(&s->h);
  targets_hook_free(&s->targets);
  pthread_mutex_destroy(&s->counts_lock);
  pthread_mutex_destroy(&s->engine_lock);
  free(s);
}

void app_destroy(app_state *a) {
  if (a->current && --a->current->refs == 0) snapshot_free(a->current);
  a->current = NULL;
  crit_set_free(&a->criteria);
  pthread_mutex_destroy(&a->lock);
}

int app_acquire(app_state *a, db *d, app_snapshot **out, ht_err *err) {
  int64_t gen = db_data_version(d);
  pthread_mutex_lock(&a->lock);
  if (a->current && a->current->generation == gen) {
    a->current->refs++;
    *out = a->current;
    pthread_mutex_unlock(&a->lock);
    return HT_OK;
  }
  /* Rebuild under the lock: rare (after a write), and it keeps two requests
   * from loading the same snapshot at once. */
  app_snapshot *s = calloc(1, sizeof *s);
  if (!s) {
    pthread_mutex_unlock(&a->lock);
    return ht_err_set(err, HT_ENOMEM, "out of memory");
  }
  int rc = hier_load(d, &s->h, err);
  if (rc) {
    free(s);
    pthread_mutex_unlock(&a->lock);
    return rc;
  }
  rc = targets_hook_init_db(&s->targets, d, NULL, (int)db_prov(d), err);
  if (rc) {
    hier_free(&s->h);
    targets_hook_free(&s->targets);
    free(s);
    pthread_mutex_unlock(&a->lock);
    return rc;
  }
  char buf[8];
  s->demo = db_meta_get(d, "demo", buf, sizeof buf) == HT_OK && buf[0] == '1';
  pthread_mutex_init(&s->counts_lock, NULL);
  pthread_mutex_init(&s->engine_lock, NULL);
  pthread_mutex_init(&s->tables_lock, NULL);
  s->generation = gen;
  s->refs = 2; /* one for a->current, one for the caller */
  if (a->current && --a->current->refs == 0) snapshot_free(a->current);
  a->current = s;
  *out = s;
  pthread_mutex_unlock(&a->lock);
  return HT_OK;
}

void app_release(app_state *a, app_snapshot *s) {
  if (!s) return;
  pthread_mutex_lock(&a->lock);
  int last = --s->refs == 0;
  pthread_mutex_unlock(&a->lock);
  if (last) snapshot_free(s);
}

int app_counts(app_snapshot *s, db *d, int32_t day, unit_counts *out, ht_err *err) {
  int year = date_year(day), rc = HT_OK;
  pthread_mutex_lock(&s->counts_lock);
  int slot = -1, oldest = 0;
  for (int i = 0; i < APP_YEAR_CACHE; i++) {
    if (s->years[i].used && s->years[i].year == year) slot = i;
    if (!s->years[i].used) oldest = i;
  }
  if (slot < 0) {
    slot = oldest;
    if (s->years[slot].used) unit_counts_free(&s->years[slot].counts);
    s->years[slot].used = 0;
    rc = unit_counts_load_year(d, year, &s->years[slot].counts, err);
    if (rc == HT_OK) {
      s->years[slot].used = 1;
      s->years[slot].year = year;
    }
  }
  if (rc == HT_OK) rc = unit_counts_for_day(d, &s->years[slot].counts, day, out, err);
  pthread_mutex_unlock(&s->counts_lock);
  if (rc == HT_OK) unit_counts_rollup(out, &s->h);
  return rc;
}

int app_engine(app_state *a, app_snapshot *s, db *d, int year, engine **out, ht_err *err) {
  pthread_mutex_lock(&s->engine_lock);
  s->engine_clock++;
  int slot = -1;
  for (int i = 0; i < APP_ENGINE_CACHE; i++)
    if (s->engines[i].used && s->engines[i].year == year) slot = i;
  if (slot < 0) { /* load into a free slot, or replace the least recently used */
    slot = 0;
    for (int i = 0; i < APP_ENGINE_CACHE; i++) {
      if (!s->engines[i].used) {
        slot = i;
        break;
      }
      if (s->engines[i].last_use < s->engines[slot].last_use) slot = i;
    }
    eng_free(s->engines[slot].e);
    s->engines[slot].e = NULL;
    s->engines[slot].used = 0;
    int rc = eng_load(d, &s->h, &a->criteria, year, &s->engines[slot].e, NULL, err);
    if (rc != HT_OK) {
      pthread_mutex_unlock(&s->engine_lock);
      return rc;
    }
    s->engines[slot].used = 1;
    s->engines[slot].year = year;
  }
  s->engines[slot].last_use = s->engine_clock;
  *out = s->engines[slot].e;
  return HT_OK;
}

void app_engine_done(app_snapshot *s) {
  pthread_mutex_unlock(&s->engine_lock);
}

int app_dash_tables(app_state *a, app_snapshot *s, db *d, int year,
                    dash_table *tables[DASH_MAX_YEARS], ht_err *err) {
  memset(tables, 0, DASH_MAX_YEARS * sizeof *tables);
  if (year < DASH_FIRST_YEAR || year >= DASH_FIRST_YEAR + DASH_MAX_YEARS)
    return ht_err_set(err, HT_EINVAL, "years before %d have no dashboard", DASH_FIRST_YEAR);
  int rc = HT_OK;
  pthread_mutex_lock(&s->tables_lock);
  for (int y = DASH_FIRST_YEAR; y <= year && rc == HT_OK; y++) {
    struct app_table **slot = &s->tables[y - DASH_FIRST_YEAR];
    if (!*slot) {
      engine *e;
      rc = app_engine(a, s, d, y, &e, err);
      if (rc != HT_OK) break;
      dash_table *t = NULL;
      rc = dash_table_build(e, &t, err);
      app_engine_done(s);
      if (rc != HT_OK) break;
      *slot = calloc(1, sizeof **slot);
      if (!*slot) {
        dash_table_free(t);
        rc = ht_err_set(err, HT_ENOMEM, "out of memory");
        break;
      }
      (*slot)->t = t;
    }
    (*slot)->refs++;
    tables[y - DASH_FIRST_YEAR] = (*slot)->t;
  }
  pthread_mutex_unlock(&s->tables_lock);
  if (rc != HT_OK) app_dash_tables_done(s, tables);
  return rc;
}

void app_dash_tables_done(app_snapshot *s, dash_table *tables[DASH_MAX_YEARS]) {
  pthread_mutex_lock(&s->tables_lock);
  for (int i = 0; i < DASH_MAX_YEARS; i++) {
    if (!tables[i]) continue;
    if (s->tables[i] && s->tables[i]->t == tables[i]) {
      s->tables[i]->refs--;
    } else { /* retired since */
      for (struct app_table **p = &s->retired; *p; p = &(*p)->next) {
        if ((*p)->t != tables[i]) continue;
        if (--(*p)->refs == 0) {
          struct app_table *gone = *p;
          *p = gone->next;
          dash_table_free(gone->t);
          free(gone);
        }
        break;
      }
    }
    tables[i] = NULL;
  }
  pthread_mutex_unlock(&s->tables_lock);
}

/* Drops the dashboard table of year (its records changed). */
static void drop_table(app_snapshot *s, int year) {
  if (year < DASH_FIRST_YEAR || year >= DASH_FIRST_YEAR + DASH_MAX_YEARS) return;
  pthread_mutex_lock(&s->tables_lock);
  struct app_table *t = s->tables[year - DASH_FIRST_YEAR];
  s->tables[year - DASH_FIRST_YEAR] = NULL;
  if (t && t->refs == 0) {
    dash_table_free(t->t);
    free(t);
  } else if (t) {
    t->retired = 1;
    t->next = s->retired;
    s->retired = t;
  }
  pthread_mutex_unlock(&s->tables_lock);
}

/* The engine index of a record's entity: a person id in decimal, or a code. */
static int32_t record_entity(const engine *e, crit_entity kind, const char *entity) {
  if (kind != CRIT_PERSON) return eng_find(e, kind, entity);
  char *end;
  long long id = strtoll(entity, &end, 10);
  return *end || end == entity ? -1 : eng_find_person(e, id);
}

/* Puts the stored state of each changed record into e; 0 when one cannot be
 * placed (the engine must then be rebuilt). */
static int put_records(engine *e, db *d, int year, const app_record_change *ch, size_t n) {
  db_stmt *s;
  if (db_prepare(d,
                 "SELECT registered_on, form_group, vals FROM records WHERE prov = $1 AND "
                 "title = $2 AND year = $3 AND entity = $4",
                 &s) != HT_OK)
    return 0;
  db_stmt *ev = NULL;
  if (db_prepare(d,
                 "SELECT COUNT(*) FROM record_evidence WHERE prov = $1 AND title = $2 AND year = "
                 "$3 AND entity = $4 AND item = $5",
                 &ev) != HT_OK)
    ev = NULL;
  db_stmt *held = NULL; /* decisions and unlocks change the titles held */
  if (db_prepare(d,
                 "SELECT COUNT(*) FROM certificates WHERE prov = $1 AND " ENG_HELD_SQL
                 " AND title = $4 AND entity = $5",
                 &held) != HT_OK)
    held = NULL;
  char dec31[16];
  snprintf(dec31, sizeof dec31, "%04d-12-31", year);
  int ok = 1;
  for (size_t i = 0; i < n && ok; i++) {
    int t = eng_title_find(e, ch[i].title);
    int32_t j = t < 0 ? -1 : record_entity(e, eng_title_at(e, t)->entity, ch[i].entity);
    if (j < 0) {
      ok = 0;
      break;
    }
    db_reset(s);
    db_bind_int64(s, 1, db_prov(d));
    db_bind_text(s, 2, ch[i].title);
    db_bind_int64(s, 3, year);
    db_bind_text(s, 4, ch[i].entity);
    if (db_step(s) == DB_ROW)
      ok = eng_put_record(e, ch[i].title, j, !db_col_is_null(s, 0),
                          db_col_is_null(s, 1) ? 0 : (int)db_col_int64(s, 1), db_col_text(s, 2),
                          NULL) == HT_OK;
    else
      ok = eng_put_record(e, ch[i].title, j, 0, 0, "", NULL) == HT_OK;
    if (ok && ev) { /* which items have evidence (added on the record's page) */
      const crit_title *ct = eng_title_at(e, t);
      for (const crit_item *it = ct->items; it && ok; it = it->next) {
        db_reset(ev);
        db_bind_int64(ev, 1, db_prov(d));
        db_bind_text(ev, 2, ch[i].title);
        db_bind_int64(ev, 3, year);
        db_bind_text(ev, 4, ch[i].entity);
        db_bind_text(ev, 5, it->key);
        int has = db_step(ev) == DB_ROW && db_col_int64(ev, 0) > 0;
        eng_put_evidence(e, ch[i].title, j, it->key, has);
      }
    }
    if (ok && held) {
      db_reset(held);
      db_bind_int64(held, 1, db_prov(d));
      db_bind_int64(held, 2, year);
      db_bind_text(held, 3, dec31);
      db_bind_text(held, 4, ch[i].title);
      db_bind_text(held, 5, ch[i].entity);
      eng_put_held(e, ch[i].title, j, db_step(held) == DB_ROW && db_col_int64(held, 0) > 0);
    }
  }
  db_finalize(s);
  db_finalize(ev);
  db_finalize(held);
  if (ok) eng_flush(e);
  return ok;
}

int app_apply_records(app_state *a, db *d, int64_t generation_before, int year,
                      const app_record_change *changes, size_t n) {
  int64_t now = db_data_version(d);
  pthread_mutex_lock(&a->lock);
  app_snapshot *s = a->current;
  if (!s || s->generation != generation_before || now != generation_before + 1) {
    pthread_mutex_unlock(&a->lock);
    return 0;
  }
  s->refs++;
  pthread_mutex_unlock(&a->lock);

  int ok = 1;
  pthread_mutex_lock(&s->engine_lock);
  for (int i = 0; i < APP_ENGINE_CACHE && ok; i++) {
    if (!s->engines[i].used || s->engines[i].year != year) continue;
    ok = put_records(s->engines[i].e, d, year, changes, n);
    if (!ok) { /* drop it: the next use loads the year afresh */
      eng_free(s->engines[i].e);
      s->engines[i].e = NULL;
      s->engines[i].used = 0;
    }
  }
  pthread_mutex_unlock(&s->engine_lock);
  drop_table(s, year); /* after engine_lock: tables_lock is never taken inside it */

  pthread_mutex_lock(&a->lock);
  int applied = ok && a->current == s && s->generation == generation_before;
  if (applied) s->generation = now;
  pthread_mutex_unlock(&a->lock);
  app_release(a, s);
  return applied;
}
