/*
 * eng_load.c - the loader between the database and the engine. Each table is
 * read once with a plain scan; joins are done in memory on sorted id arrays
 * (binary search), which is much cheaper than per-row index lookups in SQL.
 * O(registry rows of the year x log n).
 */
#include "services/eng_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/date.h"

typedef struct idmap { /* sorted (id, index) pairs */
  int64_t *id;
  int32_t *idx;
  int32_t n, cap;
} idmap;

static void idmap_add(idmap *m, int64_t id, int32_t idx) {
  if (m->n == m->cap) {
    m->cap = m->cap ? m->cap * 2 : 1024;
    m->id = realloc(m->id, (size_t)m->cap * sizeof *m->id);
    m->idx = realloc(m->idx, (size_t)m->cap * sizeof *m->idx);
    if (!m->id || !m->idx) abort();
  }
  m->id[m->n] = id;
  m->idx[m->n++] = idx;
}

static idmap *sort_ctx;
static int by_id(const void *a, const void *b) {
  int64_t x = sort_ctx->id[*(const int32_t *)a], y = sort_ctx->id[*(const int32_t *)b];
  return x < y ? -1 : x > y;
}

/* Sorts m by id (when it was not added in order). */
static void idmap_sort(idmap *m) {
  int sorted = 1;
  for (int32_t i = 1; i < m->n && sorted; i++) sorted = m->id[i - 1] < m->id[i];
  if (sorted) return;
  int32_t *perm = malloc(((size_t)m->n + 1) * sizeof *perm);
  int64_t *id = malloc(((size_t)m->n + 1) * sizeof *id);
  int32_t *idx = malloc(((size_t)m->n + 1) * sizeof *idx);
  if (!perm || !id || !idx) abort();
  for (int32_t i = 0; i < m->n; i++) perm[i] = i;
  sort_ctx = m;
  qsort(perm, (size_t)m->n, sizeof *perm, by_id);
  for (int32_t i = 0; i < m->n; i++) {
    id[i] = m->id[perm[i]];
    idx[i] = m->idx[perm[i]];
  }
  free(m->id);
  free(m->idx);
  free(perm);
  m->id = id;
  m->idx = idx;
}

static int32_t idmap_get(const idmap *m, int64_t id) {
  int32_t lo = 0, hi = m->n - 1;
  while (lo <= hi) {
    int32_t mid = lo + (hi - lo) / 2;
    if (m->id[mid] == id) return m->idx[mid];
    if (m->id[mid] < id)
      lo = mid + 1;
    else
      hi = mid - 1;
  }
  return -1;
}

static void idmap_free(idmap *m) {
  free(m->id);
  free(m->idx);
}

static int level_kind(const char *level_key) {
  if (!strcmp(level_key, "village")) return CRIT_VILLAGE;
  if (!strcmp(level_key, "commune")) return CRIT_COMMUNE;
  if (!strcmp(level_key, "district")) return CRIT_DISTRICT;
  if (!strcmp(level_key, "province")) return CRIT_PROVINCE;
  return -1;
}

typedef struct loader {
  db *d;
  const hier *h;
  eng_facts *f;
  int year;
  int32_t day;
  strmap units; /* code -> kind << 32 | index, units valid on day */
  idmap households, clans, persons;
  ht_err *err;
} loader;

static int sql_fail(loader *l, const char *what) {
  return ht_err_set(l->err, HT_EDB, "cannot read %s: %s", what, db_errmsg(l->d));
}

static int unit_lookup(loader *l, const char *code, int *kind, int32_t *idx) {
  int64_t v;
  if (!strmap_get(&l->units, code, &v)) return -1;
  *kind = (int)(v >> 32);
  *idx = (int32_t)(v & 0xffffffff);
  return 0;
}

static int load_units(loader *l) {
  const hier *h = l->h;
  eng_facts *f = l->f;
  int32_t n[CRIT_ENTITY_COUNT] = {0};
  for (size_t i = 0; i < h->nunits; i++) {
    const hier_unit *u = &h->units[i];
    if (u->from_day > l->day || u->to_day < l->day) continue;
    int k = level_kind(u->kind->level->key);
    if (k >= 0) n[k]++;
  }
  for (int k = 0; k < CRIT_ENTITY_COUNT; k++)
    if (ENG_IS_UNIT(k)) eng_facts_alloc(f, (crit_entity)k, n[k]);
  int32_t at[CRIT_ENTITY_COUNT] = {0};
  const hier_unit **by[CRIT_ENTITY_COUNT] = {0};
  for (int k = 0; k < CRIT_ENTITY_COUNT; k++)
    by[k] = arena_alloc(&f->mem, ((size_t)n[k] + 1) * sizeof *by[k]);
  for (size_t i = 0; i < h->nunits; i++) {
    const hier_unit *u = &h->units[i];
    if (u->from_day > l->day || u->to_day < l->day) continue;
    int k = level_kind(u->kind->level->key);
    if (k < 0) continue;
    int32_t j = at[k]++;
    by[k][j] = u;
    f->unit_code[k][j] = u->code;
    f->unit_kind[k][j] = eng_dict(f, u->kind->key);
    f->unit_groups[k][j] = eng_groups_mask(f, u->groups);
    strmap_put(&l->units, u->code, (int64_t)k << 32 | j);
  }
  /* ancestors on the day */
  for (int k = 0; k < CRIT_ENTITY_COUNT; k++) {
    if (!ENG_IS_UNIT(k)) continue;
    for (int32_t j = 0; j < n[k]; j++) {
      for (const hier_unit *p = hier_parent(h, by[k][j], l->day); p;
           p = hier_parent(h, p, l->day)) {
        int pk;
        int32_t pj;
        if (unit_lookup(l, p->code, &pk, &pj) == 0 && pk > k && f->unit_up[k][pk])
          f->unit_up[k][pk][j] = pj;
      }
    }
  }
  return HT_OK;
}

static int load_clans(loader *l) {
  eng_facts *f = l->f;
  int64_t count = 0;
  db_query_int64(l->d, &count, "SELECT COUNT(*) FROM clans WHERE prov = $1", 1, db_prov(l->d));
  eng_facts_alloc(f, CRIT_CLAN, (int32_t)count);
  db_stmt *s;
  if (db_prepare(l->d, "SELECT id, code, village_code FROM clans WHERE prov = $1 ORDER BY id", &s))
    return sql_fail(l, "clans");
  db_bind_int64(s, 1, db_prov(l->d));
  int32_t j = 0;
  int rc;
  while ((rc = db_step(s)) == DB_ROW && j < count) {
    idmap_add(&l->clans, db_col_int64(s, 0), j);
    f->clan_code[j] = arena_strdup(&f->mem, db_col_text(s, 1));
    int k;
    int32_t v;
    f->clan_village[j] =
        unit_lookup(l, db_col_text(s, 2), &k, &v) == 0 && k == CRIT_VILLAGE ? v : -1;
    j++;
  }
  db_finalize(s);
  f->n[CRIT_CLAN] = j;
  idmap_sort(&l->clans);
  return rc < 0 ? sql_fail(l, "clans") : HT_OK;
}

/* Scans are written "+prov = $1" so that SQLite reads the table in storage
 * order instead of walking the primary-key index and fetching every row at a
 * random place (30x slower on a city-sized file); PostgreSQL reads it the same. */

static int load_households(loader *l) {
  eng_facts *f = l->f;
  int64_t prov = db_prov(l->d);
  /* every household's place for the year: the row with the greatest from_year <= year */
  idmap place = {0}; /* household id -> row in the arrays below */
  int64_t *from = NULL, *clan = NULL;
  const char **village = NULL;
  int32_t cap = 0;
  db_stmt *s;
  if (db_prepare(l->d,
                 "SELECT household_id, from_year, village_code, clan_id FROM household_places "
                 "WHERE +prov = $1 AND from_year <= $2",
                 &s))
    return sql_fail(l, "household places");
  db_bind_int64(s, 1, prov);
  db_bind_int64(s, 2, l->year);
  int rc;
  while ((rc = db_step(s)) == DB_ROW) {
    if (place.n == cap) {
      cap = cap ? cap * 2 : 4096;
      from = realloc(from, (size_t)cap * sizeof *from);
      clan = realloc(clan, (size_t)cap * sizeof *clan);
      village = realloc(village, (size_t)cap * sizeof *village);
      if (!from || !clan || !village) abort();
    }
    int32_t i = place.n;
    idmap_add(&place, db_col_int64(s, 0), i);
    from[i] = db_col_int64(s, 1);
    clan[i] = db_col_is_null(s, 3) ? -1 : db_col_int64(s, 3);
    village[i] = arena_strdup(&f->mem, db_col_text(s, 2));
  }
  db_finalize(s);
  if (rc < 0) {
    free(from), free(clan), free(village), idmap_free(&place);
    return sql_fail(l, "household places");
  }
  idmap_sort(&place);
  /* keep the latest place per household: after the sort, equal ids are adjacent */
  idmap last = {0};
  for (int32_t i = 0; i < place.n; i++) {
    if (i + 1 < place.n && place.id[i + 1] == place.id[i]) {
      if (from[place.idx[i]] > from[place.idx[i + 1]]) place.idx[i + 1] = place.idx[i];
      continue;
    }
    idmap_add(&last, place.id[i], place.idx[i]);
  }
  int64_t count = 0;
  db_query_int64(l->d, &count, "SELECT COUNT(*) FROM households WHERE prov = $1", 1, prov);
  eng_facts_alloc(f, CRIT_HOUSEHOLD, (int32_t)count);
  int32_t j = 0;
  if (db_prepare(l->d, "SELECT id, code, closed_year FROM households WHERE +prov = $1", &s)) {
    rc = sql_fail(l, "households");
    goto end;
  }
  db_bind_int64(s, 1, prov);
  while ((rc = db_step(s)) == DB_ROW && j < count) {
    int64_t id = db_col_int64(s, 0);
    if (!db_col_is_null(s, 2) && db_col_int64(s, 2) <= l->year) continue; /* closed */
    int32_t pi = idmap_get(&last, id);
    if (pi < 0) continue; /* not placed yet in this year */
    f->household_code[j] = arena_strdup(&f->mem, db_col_text(s, 1));
    int k;
    int32_t v;
    f->household_village[j] =
        unit_lookup(l, village[pi], &k, &v) == 0 && k == CRIT_VILLAGE ? v : -1;
    f->household_clan[j] = clan[pi] < 0 ? -1 : idmap_get(&l->clans, clan[pi]);
    idmap_add(&l->households, id, j);
    j++;
  }
  db_finalize(s);
  rc = rc < 0 ? sql_fail(l, "households") : HT_OK;
  f->n[CRIT_HOUSEHOLD] = j;
  idmap_sort(&l->households);
end:
  free(from), free(clan), free(village);
  idmap_free(&place);
  idmap_free(&last);
  return rc;
}

static int8_t rank(const char *s) {
  if (!s || !*s) return -1;
  if (!strcmp(s, "tot")) return 3;
  if (!strcmp(s, "kha")) return 2;
  if (!strcmp(s, "dat")) return 1;
  if (!strcmp(s, "chua-dat")) return 0;
  return -1;
}

typedef struct person_row {
  int32_t household; /* engine household index, or -1 */
  int16_t birth_year;
  uint8_t female;
  const char *cid;
} person_row;

static int load_persons(loader *l) {
  eng_facts *f = l->f;
  int64_t prov = db_prov(l->d);
  /* every person once, in storage order */
  idmap ids = {0};
  person_row *rows = NULL;
  int32_t cap = 0;
  db_stmt *s;
  if (db_prepare(l->d,
                 "SELECT id, household_id, birth_year, gender, citizen_id FROM persons "
                 "WHERE +prov = $1",
                 &s))
    return sql_fail(l, "persons");
  db_bind_int64(s, 1, prov);
  int rc;
  while ((rc = db_step(s)) == DB_ROW) {
    int32_t hh = idmap_get(&l->households, db_col_int64(s, 1));
    if (hh < 0) continue; /* the household is closed or has no place this year */
    if (ids.n == cap) {
      cap = cap ? cap * 2 : 4096;
      rows = realloc(rows, (size_t)cap * sizeof *rows);
      if (!rows) abort();
    }
    person_row *r = &rows[ids.n];
    r->household = hh;
    r->birth_year = (int16_t)db_col_int64(s, 2);
    r->female = !strcmp(db_col_text(s, 3), "nu");
    r->cid = db_col_is_null(s, 4) ? NULL : arena_strdup(&f->mem, db_col_text(s, 4));
    idmap_add(&ids, db_col_int64(s, 0), ids.n);
  }
  db_finalize(s);
  if (rc < 0) {
    free(rows);
    idmap_free(&ids);
    return sql_fail(l, "persons");
  }
  idmap_sort(&ids);
  int64_t count = 0;
  db_query_int64(l->d, &count, "SELECT COUNT(*) FROM person_years WHERE prov = $1 AND year = $2", 2,
                 prov, (int64_t)l->year);
  eng_facts_alloc(f, CRIT_PERSON, (int32_t)count);
  /* the members of the year: a person_years row (read through the (prov, year) index,
   * whose rows come in storage order) */
  if (db_prepare(l->d,
                 "SELECT person_id, literate, in_school, school_result, conduct, "
                 "topics_completed FROM person_years WHERE prov = $1 AND year = $2",
                 &s)) {
    free(rows);
    idmap_free(&ids);
    return sql_fail(l, "person years");
  }
  db_bind_int64(s, 1, prov);
  db_bind_int64(s, 2, l->year);
  int32_t nam = eng_dict(f, "nam"), nu = eng_dict(f, "nu");
  int32_t j = 0;
  while ((rc = db_step(s)) == DB_ROW && j < count) {
    int64_t id = db_col_int64(s, 0);
    int32_t pi = idmap_get(&ids, id);
    if (pi < 0) continue;
    const person_row *r = &rows[pi];
    f->person_id[j] = id;
    f->person_household[j] = r->household;
    f->birth_year[j] = r->birth_year;
    f->gender[j] = r->female ? nu : nam;
    f->person_cid[j] = r->cid;
    f->literate[j] = db_col_int64(s, 1) != 0;
    f->in_school[j] = db_col_int64(s, 2) != 0;
    f->school_result[j] = rank(db_col_text(s, 3));
    f->conduct[j] = rank(db_col_text(s, 4));
    int64_t topics = db_col_int64(s, 5);
    f->topics[j] = (uint16_t)(topics < 0 ? 0 : topics > 65535 ? 65535 : topics);
    idmap_add(&l->persons, id, j);
    j++;
  }
  db_finalize(s);
  free(rows);
  idmap_free(&ids);
  f->n[CRIT_PERSON] = j;
  idmap_sort(&l->persons);
  return rc < 0 ? sql_fail(l, "person years") : HT_OK;
}

static int load_organisations(loader *l) {
  eng_facts *f = l->f;
  int64_t count = 0, prov = db_prov(l->d);
  db_query_int64(l->d, &count, "SELECT COUNT(*) FROM organisations WHERE prov = $1", 1, prov);
  eng_facts_alloc(f, CRIT_ORGANISATION, (int32_t)count);
  char day[16];
  date_format(l->day, day);
  db_stmt *s;
  if (db_prepare(l->d,
                 "SELECT o.id, o.code, o.kind, p.admin_code FROM organisations o "
                 "JOIN organisation_places p ON p.prov = o.prov AND p.organisation_id = o.id "
                 "WHERE o.prov = $1 AND p.valid_from <= $2 ORDER BY o.id, p.valid_from",
                 &s))
    return sql_fail(l, "organisations");
  db_bind_int64(s, 1, prov);
  db_bind_text(s, 2, day);
  idmap orgs = {0};
  int32_t j = -1;
  int64_t last = INT64_MIN;
  int rc;
  while ((rc = db_step(s)) == DB_ROW) {
    int64_t id = db_col_int64(s, 0);
    if (id != last) {
      if (j + 1 >= count) break;
      j++;
      last = id;
      f->org_code[j] = arena_strdup(&f->mem, db_col_text(s, 1));
      f->org_kind[j] = eng_dict(f, db_col_text(s, 2));
      idmap_add(&orgs, id, j);
    }
    int k;
    int32_t u;
    for (int kk = 0; kk < CRIT_ENTITY_COUNT; kk++)
      if (ENG_IS_UNIT(kk)) f->org_up[kk][j] = -1;
    if (unit_lookup(l, db_col_text(s, 3), &k, &u) == 0) {
      f->org_up[k][j] = u;
      for (int kk = k + 1; kk < CRIT_ENTITY_COUNT; kk++)
        if (ENG_IS_UNIT(kk) && f->unit_up[k][kk]) f->org_up[kk][j] = f->unit_up[k][kk][u];
    }
  }
  db_finalize(s);
  if (rc < 0) {
    idmap_free(&orgs);
    return sql_fail(l, "organisations");
  }
  int32_t no = j + 1;
  f->n[CRIT_ORGANISATION] = no;
  /* members in the year, as a CSR by organisation */
  if (db_prepare(l->d,
                 "SELECT organisation_id, person_id FROM organisation_members "
                 "WHERE prov = $1 AND from_year <= $2 AND (to_year IS NULL OR to_year >= $2)",
                 &s)) {
    idmap_free(&orgs);
    return sql_fail(l, "organisation members");
  }
  db_bind_int64(s, 1, prov);
  db_bind_int64(s, 2, l->year);
  idmap pairs = {0}; /* (org index, person index) */
  while ((rc = db_step(s)) == DB_ROW) {
    int32_t o = idmap_get(&orgs, db_col_int64(s, 0));
    int32_t p = idmap_get(&l->persons, db_col_int64(s, 1));
    if (o >= 0 && p >= 0) idmap_add(&pairs, o, p);
  }
  db_finalize(s);
  memset(f->org_member_off, 0, ((size_t)no + 1) * sizeof *f->org_member_off);
  for (int32_t i = 0; i < pairs.n; i++) f->org_member_off[pairs.id[i] + 1]++;
  for (int32_t o = 0; o < no; o++) f->org_member_off[o + 1] += f->org_member_off[o];
  f->org_member = arena_alloc(&f->mem, ((size_t)pairs.n + 1) * sizeof *f->org_member);
  int32_t *pos = malloc(((size_t)no + 1) * sizeof *pos);
  if (!pos) abort();
  memcpy(pos, f->org_member_off, ((size_t)no + 1) * sizeof *pos);
  for (int32_t i = 0; i < pairs.n; i++) f->org_member[pos[pairs.id[i]]++] = pairs.idx[i];
  free(pos);
  idmap_free(&pairs);
  idmap_free(&orgs);
  return rc < 0 ? sql_fail(l, "organisation members") : HT_OK;
}

static int32_t entity_index(engine *e, crit_entity kind, const char *entity) {
  if (kind == CRIT_PERSON) { /* the person id in decimal */
    char *end;
    long long id = strtoll(entity, &end, 10);
    return *end || end == entity ? -1 : eng_find_person(e, id);
  }
  return eng_find(e, kind, entity);
}

static int load_records(loader *l, engine *e, eng_load_stats *st) {
  int64_t prov = db_prov(l->d);
  db_stmt *s;
  if (db_schema_version(l->d) < 3) return HT_OK; /* no yearly records yet */
  if (db_prepare(l->d,
                 "SELECT title, entity, registered_on, form_group, vals FROM records "
                 "WHERE prov = $1 AND year = $2",
                 &s))
    return sql_fail(l, "records");
  db_bind_int64(s, 1, prov);
  db_bind_int64(s, 2, l->year);
  int rc, last_title = -1;
  char title[64] = "";
  while ((rc = db_step(s)) == DB_ROW) {
    const char *tk = db_col_text(s, 0);
    if (strcmp(tk, title)) {
      snprintf(title, sizeof title, "%s", tk);
      last_title = eng_title_find(e, title);
    }
    if (last_title < 0) continue; /* not in force this year */
    crit_entity kind = eng_title_at(e, last_title)->entity;
    int32_t j = entity_index(e, kind, db_col_text(s, 1));
    if (j < 0) {
      st->unknown_entities++;
      continue;
    }
    int ignored = 0;
    eng_put_record(e, title, j, !db_col_is_null(s, 2),
                   db_col_is_null(s, 3) ? 0 : (int)db_col_int64(s, 3), db_col_text(s, 4), &ignored);
    st->ignored_values += ignored;
    st->records++;
  }
  db_finalize(s);
  if (rc < 0) return sql_fail(l, "records");
  if (db_prepare(l->d,
                 "SELECT DISTINCT title, entity, item FROM record_evidence "
                 "WHERE +prov = $1 AND year = $2",
                 &s))
    return sql_fail(l, "evidence");
  db_bind_int64(s, 1, prov);
  db_bind_int64(s, 2, l->year);
  while ((rc = db_step(s)) == DB_ROW) {
    int ti = eng_title_find(e, db_col_text(s, 0));
    if (ti < 0) continue;
    int32_t j = entity_index(e, eng_title_at(e, ti)->entity, db_col_text(s, 1));
    if (j >= 0) eng_put_evidence(e, db_col_text(s, 0), j, db_col_text(s, 2), 1);
  }
  db_finalize(s);
  if (rc < 0) return sql_fail(l, "evidence");
  if (db_schema_version(l->d) >= 6) { /* titles held: decisions and their certificates */
    if (db_prepare(l->d, "SELECT title, entity FROM certificates WHERE prov = $1 AND " ENG_HELD_SQL,
                   &s))
      return sql_fail(l, "certificates");
    db_bind_int64(s, 1, prov);
    db_bind_int64(s, 2, l->year);
    char dec31[16];
    snprintf(dec31, sizeof dec31, "%04d-12-31", l->year);
    db_bind_text(s, 3, dec31);
    while ((rc = db_step(s)) == DB_ROW) {
      int ti = eng_title_find(e, db_col_text(s, 0));
      if (ti < 0) continue;
      int32_t j = entity_index(e, eng_title_at(e, ti)->entity, db_col_text(s, 1));
      if (j >= 0) eng_put_held(e, db_col_text(s, 0), j, 1);
    }
    db_finalize(s);
    if (rc < 0) return sql_fail(l, "certificates");
  }
  if (db_prepare(l->d,
                 "SELECT title, entity, item, points, level, passed FROM record_overrides "
                 "WHERE prov = $1 AND year = $2",
                 &s))
    return sql_fail(l, "overrides");
  db_bind_int64(s, 1, prov);
  db_bind_int64(s, 2, l->year);
  while ((rc = db_step(s)) == DB_ROW) {
    int ti = eng_title_find(e, db_col_text(s, 0));
    if (ti < 0) continue;
    const crit_title *t = eng_title_at(e, ti);
    int32_t j = entity_index(e, t->entity, db_col_text(s, 1));
    if (j < 0) continue;
    const char *item = db_col_text(s, 2);
    double full = t->levels;
    for (const crit_item *it = t->items; it; it = it->next)
      if (!strcmp(it->key, item) && !t->levels) full = it->max_points;
    double result = !db_col_is_null(s, 3)   ? strtod(db_col_text(s, 3), NULL)
                    : !db_col_is_null(s, 4) ? (double)db_col_int64(s, 4)
                    : db_col_int64(s, 5)    ? full
                                            : 0;
    eng_put_override(e, t->key, j, item, result, 0);
  }
  db_finalize(s);
  return rc < 0 ? sql_fail(l, "overrides") : HT_OK;
}

int eng_load(db *d, const hier *h, const crit_set *set, int year, engine **out,
             eng_load_stats *stats, ht_err *err) {
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  eng_load_stats st_local;
  eng_load_stats *st = stats ? stats : &st_local;
  memset(st, 0, sizeof *st);
  *out = NULL;
  eng_facts f;
  eng_facts_init(&f, year, (int)db_prov(d));
  loader l = {d, h, &f, year, 0, {0}, {0}, {0}, {0}, err};
  strmap_init(&l.units);
  char day[16];
  snprintf(day, sizeof day, "%04d-12-31", year);
  date_parse(day, &l.day);
  /* HOCTAP_LOAD_TRACE=1 prints the time of each stage to stderr */
  int trace = getenv("HOCTAP_LOAD_TRACE") != NULL;
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
#define STAGE(name)                                                                         \
  do {                                                                                      \
    if (trace) {                                                                            \
      struct timespec now;                                                                  \
      clock_gettime(CLOCK_MONOTONIC, &now);                                                 \
      fprintf(stderr, "load %-14s %7.3f s\n", name,                                         \
              (double)(now.tv_sec - ts.tv_sec) + (double)(now.tv_nsec - ts.tv_nsec) / 1e9); \
      ts = now;                                                                             \
    }                                                                                       \
  } while (0)
  int rc = load_units(&l);
  STAGE("units");
  if (rc == HT_OK) rc = load_clans(&l);
  STAGE("clans");
  if (rc == HT_OK) rc = load_households(&l);
  STAGE("households");
  if (rc == HT_OK) rc = load_persons(&l);
  STAGE("persons");
  if (rc == HT_OK) rc = load_organisations(&l);
  STAGE("organisations");
  engine *e = NULL;
  if (rc == HT_OK) rc = eng_create(set, &f, &e, err);
  STAGE("engine");
  if (rc == HT_OK) rc = load_records(&l, e, st);
  STAGE("records");
  if (rc == HT_OK) eng_evaluate(e);
  STAGE("evaluate");
#undef STAGE
  strmap_free(&l.units);
  idmap_free(&l.households);
  idmap_free(&l.clans);
  idmap_free(&l.persons);
  if (rc != HT_OK) {
    if (e)
      eng_free(e);
    else
      eng_facts_free(&f);
    return rc;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  st->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  *out = e;
  return HT_OK;
}
