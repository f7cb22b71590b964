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

/* A hit kept while scanning. Its strings are malloc'd, not from the
 * request's arena, because most hits are dropped again for better ones: the
 * memory stays O(limit) however many rows match. */
typedef struct kept_hit {
  char *key, *code, *name, *household, *unit;
  int birth_year;
} kept_hit;

static char *copy_text(const char *s) {
  if (!s) return NULL;
  char *c = strdup(s);
  if (!c) abort(); /* as the arena does: out of memory is not recoverable here */
  return c;
}

static void kept_free(kept_hit *k) {
  free(k->key);
  free(k->code);
  free(k->name);
  free(k->household);
  free(k->unit);
}

/* Vietnamese order of name, then the name's bytes, then code. */
static int kept_cmp(const kept_hit *a, const kept_hit *b) {
  int c = strcmp(a->key, b->key);
  if (!c) c = strcmp(a->name, b->name);
  if (!c) c = strcmp(a->code, b->code);
  return c;
}

typedef struct search_args {
  const char *pattern, *exact;
  int year;
  int (*keep)(void *, const char *);
  void *ctx;
  size_t limit;
  arena *a;
} search_args;

/* Runs one kind's query (columns: code, name, household code or NULL, unit
 * or NULL, birth year) and appends its best q->limit hits, in order, to
 * *out. Each row in scope costs one sort key; a row that would not make the
 * list is dropped at once, one that does is inserted in place (limit <= 100).
 * O(rows x limit) at worst, O(rows) in practice. */
static int search_kind(db *d, const char *sql, const char *kind, int name_flags,
                       const search_args *q, reg_hit **out, size_t *n, size_t *cap) {
  db_stmt *s;
  int rc = db_prepare(d, sql, &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_text(s, 2, q->pattern);
  db_bind_int64(s, 3, q->year);
  db_bind_text(s, 4, q->exact);
  kept_hit *top = calloc(q->limit + 1, sizeof *top);
  if (!top) abort();
  size_t count = 0;
  while ((rc = db_step(s)) == DB_ROW) {
    if (db_col_is_null(s, 3)) continue; /* not placed anywhere that year */
    const char *unit = db_col_text(s, 3);
    if (q->keep && !q->keep(q->ctx, unit)) continue;
    kept_hit probe = {NULL, (char *)db_col_text(s, 0), (char *)db_col_text(s, 1), NULL, NULL, 0};
    if (vt_sort_key(probe.name, name_flags, &probe.key) != HT_OK)
      probe.key = copy_text("\xFF"); /* invalid text (never stored): last */
    if (count == q->limit && kept_cmp(&probe, &top[count - 1]) >= 0) {
      free(probe.key);
      continue;
    }
    size_t at = count;
    while (at > 0 && kept_cmp(&probe, &top[at - 1]) < 0) at--;
    if (count == q->limit) kept_free(&top[--count]);
    memmove(&top[at + 1], &top[at], (count - at) * sizeof *top);
    top[at] = (kept_hit){probe.key,
                         copy_text(probe.code),
                         copy_text(probe.name),
                         db_col_is_null(s, 2) ? NULL : copy_text(db_col_text(s, 2)),
                         copy_text(unit),
                         (int)db_col_int64(s, 4)};
    count++;
  }
  db_finalize(s);
  for (size_t i = 0; i < count; i++) {
    if (rc >= 0) {
      *out = arena_grow(q->a, *out, *n, cap, sizeof **out);
      reg_hit *h = &(*out)[(*n)++];
      h->kind = kind;
      h->code = arena_strdup(q->a, top[i].code);
      h->name = arena_strdup(q->a, top[i].name);
      h->household_code = top[i].household ? arena_strdup(q->a, top[i].household) : NULL;
      h->unit_code = arena_strdup(q->a, top[i].unit);
      h->birth_year = top[i].birth_year;
    }
    kept_free(&top[i]);
  }
  free(top);
  return rc < 0 ? rc : HT_OK;
}

/* The unit managing organisation o on 31 December of $3. */
#define MANAGER_OF                                                                      \
  "(SELECT p.admin_code FROM organisation_places p WHERE p.prov = o.prov AND "          \
  "p.organisation_id = o.id AND p.valid_from <= CAST($3 AS TEXT) || '-12-31' ORDER BY " \
  "p.valid_from DESC LIMIT 1)"

int reg_search(db *d, const char *text, int year, int (*keep)(void *ctx, const char *unit),
               void *ctx, size_t limit, arena *a, reg_hit **out, size_t *n, ht_err *err) {
  *out = NULL;
  *n = 0;
  char *key = NULL, *exact = NULL;
  if (!text || vt_search_key(text, &key) != HT_OK || !key || strlen(key) < 2) {
    free(key);
    return ht_err_set(err, HT_EINVAL, "the search text needs at least 2 letters or digits");
  }
  if (limit == 0) {
    free(key);
    return HT_OK;
  }
  search_args q = {like_pattern(key, a), NULL, year, keep, ctx, limit, a};
  free(key);
  if (vt_clean(text, &exact) == HT_OK) q.exact = arena_strdup(a, exact);
  free(exact);
  size_t cap = 0;
  int rc = search_kind(d,
                       "SELECT h.code, h.head_name, NULL, " VILLAGE_OF(
                           "h.id") ", 0 FROM households h WHERE h.prov = $1 AND (h.head_key LIKE "
                                   "$2 ESCAPE '\\' OR LOWER(h.code) LIKE $2 ESCAPE '\\')",
                       "household", VT_SORT_GIVEN_NAME_FIRST, &q, out, n, &cap);
  if (rc == HT_OK)
    rc = search_kind(d,
                     "SELECT 'P' || CAST(x.id AS TEXT), x.full_name, h.code, " VILLAGE_OF(
                         "h.id") ", x.birth_year FROM persons x JOIN households h ON h.prov = "
                                 "x.prov AND h.id = x.household_id WHERE x.prov = $1 AND "
                                 "(x.name_key LIKE $2 ESCAPE '\\' OR x.citizen_id = $4)",
                     "person", VT_SORT_GIVEN_NAME_FIRST, &q, out, n, &cap);
  if (rc == HT_OK)
    rc = search_kind(d,
                     "SELECT c.code, c.name, NULL, c.village_code, 0 FROM clans c WHERE c.prov = "
                     "$1 AND (c.name_key LIKE $2 ESCAPE '\\' OR LOWER(c.code) LIKE $2 ESCAPE "
                     "'\\')",
                     "clan", 0, &q, out, n, &cap);
  if (rc == HT_OK)
    rc = search_kind(d,
                     "SELECT o.code, o.name, NULL, " MANAGER_OF
                     ", 0 FROM organisations o WHERE o.prov = $1 AND (o.name_key LIKE $2 ESCAPE "
                     "'\\' OR LOWER(o.code) LIKE $2 ESCAPE '\\')",
                     "organisation", 0, &q, out, n, &cap);
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
