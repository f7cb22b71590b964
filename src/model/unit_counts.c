/* unit_counts.c - registry counts per administrative unit on a date. */
#include "model/unit_counts.h"

#include <string.h>

#include "base/date.h"

static unit_count *slot(unit_counts *c, const char *code) {
  int64_t i;
  if (strmap_get(&c->direct_index, code, &i)) return &c->direct[i];
  if (c->ndirect == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 1024;
    unit_count *direct = arena_calloc(&c->mem, cap * sizeof *direct);
    const char **codes = arena_alloc(&c->mem, cap * sizeof *codes);
    if (c->ndirect) {
      memcpy(direct, c->direct, c->ndirect * sizeof *direct);
      memcpy(codes, c->direct_codes, c->ndirect * sizeof *codes);
    }
    c->direct = direct;
    c->direct_codes = codes;
    c->cap = cap;
  }
  const char *key = arena_strdup(&c->mem, code);
  c->direct_codes[c->ndirect] = key;
  strmap_put(&c->direct_index, key, (int64_t)c->ndirect);
  return &c->direct[c->ndirect++];
}

/* The placement that holds in a year is the row with the greatest from_year
 * not after it; the same rule for organisations by date. */
static const char *const households_sql =
    "SELECT hp.village_code, COUNT(*) FROM household_places hp "
    "JOIN households h ON h.prov = hp.prov AND h.id = hp.household_id "
    "WHERE hp.prov = $1 AND (h.closed_year IS NULL OR h.closed_year > $2) "
    "AND hp.from_year = (SELECT MAX(x.from_year) FROM household_places x "
    "  WHERE x.prov = hp.prov AND x.household_id = hp.household_id AND x.from_year <= $2) "
    "GROUP BY hp.village_code";

static const char *const persons_sql =
    "SELECT hp.village_code, COUNT(*) FROM person_years py "
    "JOIN persons p ON p.prov = py.prov AND p.id = py.person_id "
    "JOIN household_places hp ON hp.prov = p.prov AND hp.household_id = p.household_id "
    "WHERE py.prov = $1 AND py.year = $2 "
    "AND hp.from_year = (SELECT MAX(x.from_year) FROM household_places x "
    "  WHERE x.prov = hp.prov AND x.household_id = hp.household_id AND x.from_year <= $2) "
    "GROUP BY hp.village_code";

static const char *const clans_sql =
    "SELECT village_code, COUNT(*) FROM clans WHERE prov = $1 GROUP BY village_code";

static const char *const organisations_sql =
    "SELECT op.admin_code, COUNT(*) FROM organisation_places op "
    "WHERE op.prov = $1 AND op.valid_from = (SELECT MAX(x.valid_from) FROM organisation_places x "
    "  WHERE x.prov = op.prov AND x.organisation_id = op.organisation_id "
    "  AND x.valid_from <= $3) "
    "GROUP BY op.admin_code";

static void counts_init(unit_counts *c) {
  memset(c, 0, sizeof *c);
  arena_init(&c->mem, 0);
  strmap_init(&c->direct_index);
}

/* Runs queries[from..to) and adds their counts; query q fills field q. */
static int run_queries(db *d, unit_counts *c, int year, int32_t day, int from, int to,
                       ht_err *err) {
  const char *const queries[] = {households_sql, persons_sql, clans_sql, organisations_sql};
  char date[11];
  date_format(day, date);
  for (int q = from; q < to; q++) {
    db_stmt *s;
    int rc = db_prepare(d, queries[q], &s);
    if (rc) return ht_err_set(err, rc, "cannot count the registry: %s", db_errmsg(d));
    db_bind_int64(s, 1, db_prov(d));
    db_bind_int64(s, 2, year);
    db_bind_text(s, 3, date);
    while ((rc = db_step(s)) == DB_ROW) {
      unit_count *u = slot(c, db_col_text(s, 0));
      int64_t n = db_col_int64(s, 1);
      if (q == 0)
        u->households += n;
      else if (q == 1)
        u->persons += n;
      else if (q == 2)
        u->clans += n;
      else
        u->organisations += n;
    }
    db_finalize(s);
    if (rc < 0) return ht_err_set(err, rc, "cannot count the registry: %s", db_errmsg(d));
  }
  return HT_OK;
}

int unit_counts_load_year(db *d, int year, unit_counts *c, ht_err *err) {
  counts_init(c);
  c->day = date_from_ymd(year, 12, 31);
  int rc = run_queries(d, c, year, c->day, 0, 3, err);
  if (rc) unit_counts_free(c);
  return rc;
}

int unit_counts_for_day(db *d, const unit_counts *year, int32_t day, unit_counts *c, ht_err *err) {
  counts_init(c);
  c->day = day;
  for (size_t i = 0; i < year->ndirect; i++) *slot(c, year->direct_codes[i]) = year->direct[i];
  int rc = run_queries(d, c, date_year(day), day, 3, 4, err);
  if (rc) unit_counts_free(c);
  return rc;
}

int unit_counts_load(db *d, int32_t day, unit_counts *c, ht_err *err) {
  counts_init(c);
  c->day = day;
  int rc = run_queries(d, c, date_year(day), day, 0, 4, err);
  if (rc) unit_counts_free(c);
  return rc;
}

void unit_counts_rollup(unit_counts *c, const hier *h) {
  c->total = arena_calloc(&c->mem, (h->nunits + 1) * sizeof *c->total);
  c->ntotal = h->nunits;
  for (size_t i = 0; i < c->ndirect; i++) {
    const hier_unit *u = hier_find(h, c->direct_codes[i], c->day);
    for (int depth = 0; u && depth < 64; depth++, u = hier_parent(h, u, c->day)) {
      unit_count *t = &c->total[u->index];
      t->households += c->direct[i].households;
      t->persons += c->direct[i].persons;
      t->clans += c->direct[i].clans;
      t->organisations += c->direct[i].organisations;
    }
  }
}

unit_count unit_counts_of(const unit_counts *c, const hier_unit *u) {
  unit_count zero = {0, 0, 0, 0};
  if (!c->total || !u || u->index >= c->ntotal) return zero;
  if (u->from_day > c->day || c->day > u->to_day) return zero;
  return c->total[u->index];
}

void unit_counts_free(unit_counts *c) {
  strmap_free(&c->direct_index);
  arena_free(&c->mem);
  memset(c, 0, sizeof *c);
}
