/* registry.c - registry reads for pages and access control (see registry.h). */
#include "model/registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/vtext.h"

/* The village of household id in year (the place row with the greatest
 * from_year <= year). */
#define VILLAGE_OF(hid)                                                                      \
  "(SELECT p.village_code FROM household_places p WHERE p.prov = h.prov AND p.household_id " \
  "= " hid " AND p.from_year <= $3 ORDER BY p.from_year DESC LIMIT 1)"

static int one_text(db *d, const char *sql, const char *code, int year, arena *a,
                    const char **out) {
  db_stmt *s;
  int rc = db_prepare(d, sql, &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_text(s, 2, code);
  db_bind_int64(s, 3, year);
  rc = db_step(s);
  if (rc == DB_ROW && !db_col_is_null(s, 0)) *out = arena_strdup(a, db_col_text(s, 0));
  int found = rc == DB_ROW && !db_col_is_null(s, 0);
  db_finalize(s);
  return rc < 0 ? rc : found ? HT_OK : HT_ENOTFOUND;
}

int reg_owner_unit(db *d, crit_entity kind, const char *code, int year, arena *a,
                   const char **unit_code) {
  *unit_code = NULL;
  if (!code || !*code) return HT_ENOTFOUND;
  switch (kind) {
    case CRIT_HOUSEHOLD:
      return one_text(d,
                      "SELECT " VILLAGE_OF("h.id") " FROM households h WHERE h.prov = $1 AND "
                                                   "h.code = $2",
                      code, year, a, unit_code);
    case CRIT_PERSON: {
      if (code[0] == 'P') {
        char *end;
        long long id = strtoll(code + 1, &end, 10);
        if (*end || end == code + 1) return HT_ENOTFOUND;
        char idtext[24];
        snprintf(idtext, sizeof idtext, "%lld", id);
        return one_text(d,
                        "SELECT " VILLAGE_OF("h.id") " FROM persons x JOIN households h ON h.prov "
                                                     "= x.prov AND h.id = x.household_id WHERE "
                                                     "x.prov = $1 AND CAST(x.id AS TEXT) = $2",
                        idtext, year, a, unit_code);
      }
      return one_text(d,
                      "SELECT " VILLAGE_OF("h.id") " FROM persons x JOIN households h ON h.prov = "
                                                   "x.prov AND h.id = x.household_id WHERE x.prov "
                                                   "= $1 AND x.citizen_id = $2",
                      code, year, a, unit_code);
    }
    case CRIT_CLAN:
      return one_text(d, "SELECT village_code FROM clans WHERE prov = $1 AND code = $2 AND $3 = $3",
                      code, year, a, unit_code);
    case CRIT_ORGANISATION: {
      return one_text(d,
                      "SELECT p.admin_code FROM organisations o JOIN organisation_places p ON "
                      "p.prov = o.prov AND p.organisation_id = o.id WHERE o.prov = $1 AND o.code "
                      "= $2 AND p.valid_from <= CAST($3 AS TEXT) || '-12-31' ORDER BY p.valid_from "
                      "DESC LIMIT 1",
                      code, year, a, unit_code);
    }
    default: *unit_code = arena_strdup(a, code); return HT_OK;
  }
}

const char *reg_mask_citizen_id(const char *cid, arena *a) {
  if (!cid) return NULL;
  size_t n = strlen(cid);
  if (n <= 6) return arena_strdup(a, "******");
  char *m = arena_strdup(a, cid);
  for (size_t i = 3; i + 3 < n; i++) m[i] = '*';
  return m;
}

int reg_household_get(db *d, const char *code, int year, arena *a, reg_household *out) {
  memset(out, 0, sizeof *out);
  db_stmt *s;
  int rc = db_prepare(d,
                      "SELECT h.id, h.code, h.head_name, h.address, " VILLAGE_OF(
                          "h.id") ", c.code, c.name FROM households h LEFT JOIN clans c ON c.prov "
                                  "= h.prov AND c.id = (SELECT p.clan_id FROM household_places p "
                                  "WHERE p.prov = h.prov AND p.household_id = h.id AND p.from_year "
                                  "<= $3 ORDER BY p.from_year DESC LIMIT 1) WHERE h.prov = $1 AND "
                                  "h.code = $2",
                      &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_text(s, 2, code);
  db_bind_int64(s, 3, year);
  rc = db_step(s);
  if (rc == DB_ROW) {
    out->id = db_col_int64(s, 0);
    out->code = arena_strdup(a, db_col_text(s, 1));
    out->head_name = arena_strdup(a, db_col_text(s, 2));
    out->address = arena_strdup(a, db_col_text(s, 3));
    out->village_code = db_col_is_null(s, 4) ? NULL : arena_strdup(a, db_col_text(s, 4));
    out->clan_code = db_col_is_null(s, 5) ? NULL : arena_strdup(a, db_col_text(s, 5));
    out->clan_name = db_col_is_null(s, 6) ? NULL : arena_strdup(a, db_col_text(s, 6));
  }
  db_finalize(s);
  if (rc != DB_ROW) return rc < 0 ? rc : HT_ENOTFOUND;
  rc = db_prepare(d,
                  "SELECT x.id, x.full_name, x.gender, x.citizen_id, x.birth_year, y.person_id, "
                  "y.literate, y.in_school, y.school_result, y.conduct, y.topics_completed FROM "
                  "persons x LEFT JOIN person_years y ON y.prov = x.prov AND y.person_id = x.id "
                  "AND y.year = $3 WHERE x.prov = $1 AND x.household_id = $2 ORDER BY "
                  "x.birth_year, x.id",
                  &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, out->id);
  db_bind_int64(s, 3, year);
  size_t cap = 0;
  while ((rc = db_step(s)) == DB_ROW) {
    out->members = arena_grow(a, out->members, out->nmembers, &cap, sizeof *out->members);
    reg_person *p = &out->members[out->nmembers++];
    p->id = db_col_int64(s, 0);
    p->full_name = arena_strdup(a, db_col_text(s, 1));
    p->gender = arena_strdup(a, db_col_text(s, 2));
    p->citizen_id = db_col_is_null(s, 3) ? NULL : arena_strdup(a, db_col_text(s, 3));
    p->birth_year = (int)db_col_int64(s, 4);
    p->has_year = !db_col_is_null(s, 5);
    if (p->has_year) {
      p->literate = (int)db_col_int64(s, 6);
      p->in_school = (int)db_col_int64(s, 7);
      p->school_result = db_col_is_null(s, 8) ? NULL : arena_strdup(a, db_col_text(s, 8));
      p->conduct = db_col_is_null(s, 9) ? NULL : arena_strdup(a, db_col_text(s, 9));
      p->topics_completed = (int)db_col_int64(s, 10);
    }
  }
  db_finalize(s);
  return rc < 0 ? rc : HT_OK;
}

/* LIKE pattern for a search key: '%' key '%' with the LIKE wildcards escaped. */
static char *like_pattern(const char *key, arena *a) {
  size_t n = strlen(key);
  char *p = arena_alloc(a, 2 * n + 3), *q = p;
  *q++ = '%';
  for (const char *k = key; *k; k++) {
    if (*k == '%' || *k == '_' || *k == '\\') *q++ = '\\';
    *q++ = *k;
  }
  *q++ = '%';
  *q = 0;
  return p;
}

static int search_kind(db *d, const char *sql, const char *kind, const char *pattern,
                       const char *exact, int year, int (*keep)(void *, const char *), void *ctx,
                       size_t limit, arena *a, reg_hit **out, size_t *n, size_t *cap) {
  db_stmt *s;
  int rc = db_prepare(d, sql, &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_text(s, 2, pattern);
  db_bind_int64(s, 3, year);
  db_bind_text(s, 4, exact);
  size_t found = 0;
  while (found < limit && (rc = db_step(s)) == DB_ROW) {
    if (db_col_is_null(s, 3)) continue; /* not placed in any village that year */
    const char *village = db_col_text(s, 3);
    if (keep && !keep(ctx, village)) continue;
    *out = arena_grow(a, *out, *n, cap, sizeof **out);
    reg_hit *h = &(*out)[(*n)++];
    h->kind = kind;
    h->code = arena_strdup(a, db_col_text(s, 0));
    h->name = arena_strdup(a, db_col_text(s, 1));
    h->household_code = arena_strdup(a, db_col_text(s, 2));
    h->village_code = arena_strdup(a, village);
    h->birth_year = (int)db_col_int64(s, 4);
    found++;
  }
  db_finalize(s);
  return rc < 0 ? rc : HT_OK;
}

int reg_search(db *d, const char *text, int year, int (*keep)(void *ctx, const char *village),
               void *ctx, size_t limit, arena *a, reg_hit **out, size_t *n, ht_err *err) {
  *out = NULL;
  *n = 0;
  char *key = NULL;
  if (!text || vt_search_key(text, &key) != HT_OK || !key || strlen(key) < 2) {
    free(key);
    return ht_err_set(err, HT_EINVAL, "the search text needs at least 2 letters or digits");
  }
  const char *pattern = like_pattern(key, a);
  char *exact = arena_strdup(a, text);
  free(key);
  size_t cap = 0;
  int rc = search_kind(d,
                       "SELECT h.code, h.head_name, h.code, " VILLAGE_OF(
                           "h.id") ", 0 FROM households h WHERE h.prov = $1 AND (h.head_key LIKE "
                                   "$2 ESCAPE '\\' OR h.code = $4) ORDER BY h.head_key, h.code",
                       "household", pattern, exact, year, keep, ctx, limit, a, out, n, &cap);
  if (rc == HT_OK)
    rc = search_kind(d,
                     "SELECT 'P' || CAST(x.id AS TEXT), x.full_name, h.code, " VILLAGE_OF(
                         "h.id") ", x.birth_year FROM persons x JOIN households h ON h.prov = "
                                 "x.prov AND h.id = x.household_id WHERE x.prov = $1 AND "
                                 "(x.name_key LIKE $2 ESCAPE '\\' OR x.citizen_id = $4) ORDER BY "
                                 "x.name_key, x.id",
                     "person", pattern, exact, year, keep, ctx, limit, a, out, n, &cap);
  if (rc) return ht_err_set(err, rc, "cannot search the registry: %s", db_errmsg(d));
  return HT_OK;
}

int reg_clan_get(db *d, const char *code, arena *a, reg_clan *out) {
  memset(out, 0, sizeof *out);
  db_stmt *s;
  int rc = db_prepare(
      d, "SELECT id, code, name, village_code FROM clans WHERE prov = $1 AND code = $2", &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_text(s, 2, code);
  rc = db_step(s);
  if (rc == DB_ROW) {
    out->id = db_col_int64(s, 0);
    out->code = arena_strdup(a, db_col_text(s, 1));
    out->name = arena_strdup(a, db_col_text(s, 2));
    out->village_code = arena_strdup(a, db_col_text(s, 3));
  }
  db_finalize(s);
  return rc == DB_ROW ? HT_OK : rc < 0 ? rc : HT_ENOTFOUND;
}

/* The managing unit of organisation o on 31 December of $2. */
#define ADMIN_OF(o)                                                   \
  "(SELECT p.admin_code FROM organisation_places p WHERE p.prov = " o \
  ".prov AND "                                                        \
  "p.organisation_id = " o                                            \
  ".id AND p.valid_from <= CAST($2 AS TEXT) || '-12-31' ORDER BY "    \
  "p.valid_from DESC LIMIT 1)"

static void read_org(db_stmt *s, arena *a, reg_org *o) {
  o->id = db_col_int64(s, 0);
  o->code = arena_strdup(a, db_col_text(s, 1));
  o->name = arena_strdup(a, db_col_text(s, 2));
  o->kind = arena_strdup(a, db_col_text(s, 3));
  o->admin_code = db_col_is_null(s, 4) ? NULL : arena_strdup(a, db_col_text(s, 4));
}

int reg_org_get(db *d, const char *code, int year, arena *a, reg_org *out) {
  memset(out, 0, sizeof *out);
  db_stmt *s;
  int rc = db_prepare(d,
                      "SELECT o.id, o.code, o.name, o.kind, " ADMIN_OF(
                          "o") " FROM organisations o WHERE o.prov = $1 AND o.code = $3",
                      &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, year);
  db_bind_text(s, 3, code);
  rc = db_step(s);
  if (rc == DB_ROW) read_org(s, a, out);
  db_finalize(s);
  return rc == DB_ROW ? HT_OK : rc < 0 ? rc : HT_ENOTFOUND;
}

int reg_clans_list(db *d, int (*keep)(void *ctx, const char *village), void *ctx, arena *a,
                   reg_clan **out, size_t *n) {
  *out = NULL;
  *n = 0;
  db_stmt *s;
  int rc = db_prepare(d,
                      "SELECT id, code, name, village_code FROM clans WHERE prov = $1 ORDER BY "
                      "name_key, code",
                      &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  size_t cap = 0;
  while ((rc = db_step(s)) == DB_ROW) {
    if (keep && !keep(ctx, db_col_text(s, 3))) continue;
    *out = arena_grow(a, *out, *n, &cap, sizeof **out);
    reg_clan *c = &(*out)[(*n)++];
    c->id = db_col_int64(s, 0);
    c->code = arena_strdup(a, db_col_text(s, 1));
    c->name = arena_strdup(a, db_col_text(s, 2));
    c->village_code = arena_strdup(a, db_col_text(s, 3));
  }
  db_finalize(s);
  return rc < 0 ? rc : HT_OK;
}

int reg_orgs_list(db *d, int year, int (*keep)(void *ctx, const char *admin), void *ctx, arena *a,
                  reg_org **out, size_t *n) {
  *out = NULL;
  *n = 0;
  db_stmt *s;
  int rc = db_prepare(d,
                      "SELECT o.id, o.code, o.name, o.kind, " ADMIN_OF(
                          "o") " FROM organisations o WHERE o.prov = $1 ORDER BY o.name_key, "
                               "o.code",
                      &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, year);
  size_t cap = 0;
  while ((rc = db_step(s)) == DB_ROW) {
    if (db_col_is_null(s, 4) || (keep && !keep(ctx, db_col_text(s, 4)))) continue;
    *out = arena_grow(a, *out, *n, &cap, sizeof **out);
    read_org(s, a, &(*out)[(*n)++]);
  }
  db_finalize(s);
  return rc < 0 ? rc : HT_OK;
}
