/* hier.c - the administrative hierarchy index (see hier.h). */
#include "model/hier.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/vtext.h"

/* Default levels and kinds (domain README §3). Deployments may add kinds. */
static const struct {
  const char *key;
  int rank;
  const char *vi, *en;
} default_levels[] = {
    {"province", 1, "Tỉnh", "Province"},
    {"district", 2, "Huyện", "District"},
    {"commune", 3, "Xã", "Commune"},
    {"village", 4, "Thôn", "Village"},
};

static const struct {
  const char *key, *level, *vi, *en;
} default_kinds[] = {
    {"tinh", "province", "Tỉnh", "Province"},
    {"thanh-pho-tw", "province", "Thành phố trực thuộc trung ương", "Centrally-run city"},
    {"quan", "district", "Quận", "Urban district"},
    {"huyen", "district", "Huyện", "Rural district"},
    {"thi-xa", "district", "Thị xã", "District-level town"},
    {"thanh-pho-tinh", "district", "Thành phố thuộc tỉnh", "Provincial city"},
    {"xa", "commune", "Xã", "Commune"},
    {"phuong", "commune", "Phường", "Ward"},
    {"thi-tran", "commune", "Thị trấn", "Township"},
    {"dac-khu", "commune", "Đặc khu", "Special zone"},
    {"thon", "village", "Thôn", "Village"},
    {"to-dan-pho", "village", "Tổ dân phố", "Residential group"},
};

int hier_seed_reference(db *d) {
  db_stmt *s = NULL;
  int rc = db_prepare(d,
                      "INSERT INTO unit_levels (prov, key, rank, name_vi, name_en) "
                      "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (prov, key) DO NOTHING",
                      &s);
  for (size_t i = 0; rc == HT_OK && i < sizeof default_levels / sizeof default_levels[0]; i++) {
    db_reset(s);
    db_bind_int64(s, 1, db_prov(d));
    db_bind_text(s, 2, default_levels[i].key);
    db_bind_int64(s, 3, default_levels[i].rank);
    db_bind_text(s, 4, default_levels[i].vi);
    db_bind_text(s, 5, default_levels[i].en);
    rc = db_step(s) < 0 ? HT_EDB : HT_OK;
  }
  db_finalize(s);
  if (rc) return rc;
  rc = db_prepare(d,
                  "INSERT INTO unit_kinds (prov, key, level_key, name_vi, name_en) "
                  "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (prov, key) DO NOTHING",
                  &s);
  for (size_t i = 0; rc == HT_OK && i < sizeof default_kinds / sizeof default_kinds[0]; i++) {
    db_reset(s);
    db_bind_int64(s, 1, db_prov(d));
    db_bind_text(s, 2, default_kinds[i].key);
    db_bind_text(s, 3, default_kinds[i].level);
    db_bind_text(s, 4, default_kinds[i].vi);
    db_bind_text(s, 5, default_kinds[i].en);
    rc = db_step(s) < 0 ? HT_EDB : HT_OK;
  }
  db_finalize(s);
  return rc;
}

static int64_t pack(size_t start, size_t count) {
  return (int64_t)(((uint64_t)start << 32) | (uint32_t)count);
}
static size_t range_start(int64_t v) {
  return (size_t)((uint64_t)v >> 32);
}
static size_t range_count(int64_t v) {
  return (size_t)((uint64_t)v & 0xffffffffu);
}

static int cmp_unit_name(const void *pa, const void *pb) {
  const hier_unit *a = *(const hier_unit *const *)pa, *b = *(const hier_unit *const *)pb;
  int c = strcmp(a->sort_key, b->sort_key);
  if (!c) c = strcmp(a->name, b->name);
  if (!c) c = strcmp(a->code, b->code);
  return c;
}

static const hier_unit *sort_units;
static int cmp_child_index(const void *pa, const void *pb) {
  const hier_unit *a = &sort_units[*(const size_t *)pa], *b = &sort_units[*(const size_t *)pb];
  const char *ka = a->parent_code ? a->parent_code : "", *kb = b->parent_code ? b->parent_code : "";
  int c = strcmp(ka, kb);
  if (c) return c;
  return a->index < b->index ? -1 : a->index > b->index;
}

const hier_kind *hier_kind_find(const hier *h, const char *key) {
  for (size_t i = 0; i < h->nkinds; i++)
    if (strcmp(h->kinds[i].key, key) == 0) return &h->kinds[i];
  return NULL;
}

static size_t count_rows(db *d, const char *table) {
  char sql[128];
  int64_t n = 0;
  snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s WHERE prov = $1", table);
  db_query_int64(d, &n, sql, 1, db_prov(d));
  return (size_t)n;
}

int hier_load(db *d, hier *h, ht_err *err) {
  memset(h, 0, sizeof *h);
  arena_init(&h->mem, 1 << 20);
  strmap_init(&h->by_code);
  strmap_init(&h->by_parent);
  int rc = HT_OK;
  db_stmt *s = NULL;
  size_t cap;

  cap = count_rows(d, "unit_levels");
  h->levels = arena_calloc(&h->mem, (cap + 1) * sizeof *h->levels);
  if ((rc = db_prepare(d,
                       "SELECT key, rank, name_vi, name_en FROM unit_levels WHERE prov = $1 "
                       "ORDER BY rank",
                       &s)))
    goto fail;
  db_bind_int64(s, 1, db_prov(d));
  while (h->nlevels < cap && (rc = db_step(s)) == DB_ROW) {
    hier_level *l = &h->levels[h->nlevels++];
    l->key = arena_strdup(&h->mem, db_col_text(s, 0));
    l->rank = (int)db_col_int64(s, 1);
    l->name_vi = arena_strdup(&h->mem, db_col_text(s, 2));
    l->name_en = arena_strdup(&h->mem, db_col_text(s, 3));
  }
  db_finalize(s);
  s = NULL;

  cap = count_rows(d, "unit_kinds");
  h->kinds = arena_calloc(&h->mem, (cap + 1) * sizeof *h->kinds);
  if ((rc = db_prepare(d, "SELECT key, level_key, name_vi, name_en FROM unit_kinds WHERE prov = $1",
                       &s)))
    goto fail;
  db_bind_int64(s, 1, db_prov(d));
  while (h->nkinds < cap && (rc = db_step(s)) == DB_ROW) {
    const hier_level *level = NULL;
    for (size_t i = 0; i < h->nlevels; i++)
      if (strcmp(h->levels[i].key, db_col_text(s, 1)) == 0) level = &h->levels[i];
    if (!level) continue; /* a kind of an unknown level is ignored */
    hier_kind *k = &h->kinds[h->nkinds++];
    k->key = arena_strdup(&h->mem, db_col_text(s, 0));
    k->level = level;
    k->name_vi = arena_strdup(&h->mem, db_col_text(s, 2));
    k->name_en = arena_strdup(&h->mem, db_col_text(s, 3));
  }
  db_finalize(s);
  s = NULL;

  cap = count_rows(d, "units");
  h->units = arena_calloc(&h->mem, (cap + 1) * sizeof *h->units);
  if ((rc = db_prepare(d,
                       "SELECT id, code, name, name_key, kind, parent_code, valid_from, valid_to, "
                       "groups FROM units WHERE prov = $1 ORDER BY code, valid_from",
                       &s)))
    goto fail;
  db_bind_int64(s, 1, db_prov(d));
  while (h->nunits < cap && (rc = db_step(s)) == DB_ROW) {
    hier_unit *u = &h->units[h->nunits];
    u->id = db_col_int64(s, 0);
    u->code = arena_strdup(&h->mem, db_col_text(s, 1));
    u->name = arena_strdup(&h->mem, db_col_text(s, 2));
    u->name_key = arena_strdup(&h->mem, db_col_text(s, 3));
    u->sort_key = vt_sort_key_in(&h->mem, u->name, 0);
    u->kind = hier_kind_find(h, db_col_text(s, 4));
    u->parent_code = db_col_is_null(s, 5) ? NULL : arena_strdup(&h->mem, db_col_text(s, 5));
    if (!u->kind || date_parse(db_col_text(s, 6), &u->from_day) != HT_OK) {
      rc = ht_err_set(err, HT_EDB, "unit %s has an unknown kind '%s' or a bad date", u->code,
                      db_col_text(s, 4));
      goto fail;
    }
    u->to_day = DATE_OPEN;
    if (!db_col_is_null(s, 7) && date_parse(db_col_text(s, 7), &u->to_day) != HT_OK) {
      rc = ht_err_set(err, HT_EDB, "unit %s has a bad valid_to date", u->code);
      goto fail;
    }
    u->groups = arena_strdup(&h->mem, db_col_text(s, 8));
    u->index = h->nunits++;
  }
  if (rc < 0) goto fail;
  db_finalize(s);
  s = NULL;

  cap = count_rows(d, "unit_changes");
  h->changes = arena_calloc(&h->mem, (cap + 1) * sizeof *h->changes);
  if ((rc = db_prepare(d,
                       "SELECT change_date, old_code, new_code FROM unit_changes WHERE prov = $1 "
                       "ORDER BY change_date, old_code, new_code",
                       &s)))
    goto fail;
  db_bind_int64(s, 1, db_prov(d));
  while (h->nchanges < cap && (rc = db_step(s)) == DB_ROW) {
    hier_change *c = &h->changes[h->nchanges];
    if (date_parse(db_col_text(s, 0), &c->day) != HT_OK) continue;
    c->old_code = arena_strdup(&h->mem, db_col_text(s, 1));
    c->new_code = arena_strdup(&h->mem, db_col_text(s, 2));
    h->nchanges++;
  }
  if (rc < 0) goto fail;
  db_finalize(s);
  s = NULL;

  /* Index versions by code: units[] is sorted by code, so each code is a run. */
  for (size_t i = 0; i < h->nunits;) {
    size_t j = i;
    while (j < h->nunits && strcmp(h->units[j].code, h->units[i].code) == 0) j++;
    strmap_put(&h->by_code, h->units[i].code, pack(i, j - i));
    i = j;
  }
  /* Index children by parent code. */
  h->child_index = arena_alloc(&h->mem, (h->nunits + 1) * sizeof *h->child_index);
  for (size_t i = 0; i < h->nunits; i++) h->child_index[i] = i;
  sort_units = h->units;
  qsort(h->child_index, h->nunits, sizeof *h->child_index, cmp_child_index);
  for (size_t i = 0; i < h->nunits;) {
    const char *key = h->units[h->child_index[i]].parent_code;
    key = key ? key : "";
    size_t j = i;
    while (j < h->nunits) {
      const char *k2 = h->units[h->child_index[j]].parent_code;
      if (strcmp(k2 ? k2 : "", key) != 0) break;
      j++;
    }
    strmap_put(&h->by_parent, key, pack(i, j - i));
    i = j;
  }
  return HT_OK;

fail:
  db_finalize(s);
  if (!err || !err->code)
    ht_err_set(err, rc ? rc : HT_EDB, "cannot load the hierarchy: %s", db_errmsg(d));
  hier_free(h);
  return rc ? rc : HT_EDB;
}

void hier_free(hier *h) {
  strmap_free(&h->by_code);
  strmap_free(&h->by_parent);
  arena_free(&h->mem);
  memset(h, 0, sizeof *h);
}

const hier_unit *hier_versions(const hier *h, const char *code, size_t *n) {
  int64_t v;
  if (!code || !strmap_get(&h->by_code, code, &v)) {
    *n = 0;
    return NULL;
  }
  *n = range_count(v);
  return &h->units[range_start(v)];
}

const hier_unit *hier_find(const hier *h, const char *code, int32_t day) {
  size_t n;
  const hier_unit *v = hier_versions(h, code, &n);
  for (size_t i = 0; i < n; i++)
    if (v[i].from_day <= day && day <= v[i].to_day) return &v[i];
  return NULL;
}

const hier_unit *hier_parent(const hier *h, const hier_unit *u, int32_t day) {
  return u->parent_code ? hier_find(h, u->parent_code, day) : NULL;
}

size_t hier_children(const hier *h, const char *code, int32_t day, arena *a,
                     const hier_unit ***out) {
  int64_t v;
  *out = NULL;
  if (!strmap_get(&h->by_parent, code ? code : "", &v)) return 0;
  size_t start = range_start(v), count = range_count(v), n = 0;
  const hier_unit **list = arena_alloc(a, (count + 1) * sizeof *list);
  for (size_t i = 0; i < count; i++) {
    const hier_unit *u = &h->units[h->child_index[start + i]];
    if (u->from_day <= day && day <= u->to_day) list[n++] = u;
  }
  qsort(list, n, sizeof *list, cmp_unit_name);
  *out = list;
  return n;
}

size_t hier_search(const hier *h, const char *key, int32_t day, arena *a, const hier_unit ***out) {
  const hier_unit **list = NULL;
  size_t n = 0, cap = 0;
  for (size_t i = 0; i < h->nunits; i++) {
    const hier_unit *u = &h->units[i];
    if (u->from_day > day || day > u->to_day) continue;
    if (!vt_contains_key(u->name_key, key) && !strcasestr(u->code, key)) continue;
    list = arena_grow(a, list, n, &cap, sizeof *list);
    list[n++] = u;
  }
  if (n) qsort(list, n, sizeof *list, cmp_unit_name);
  *out = list;
  return n;
}

size_t hier_ancestors(const hier *h, const hier_unit *u, int32_t day, arena *a,
                      const hier_unit ***out) {
  const hier_unit *chain[64];
  size_t n = 0;
  for (const hier_unit *p = hier_parent(h, u, day); p && n < 64; p = hier_parent(h, p, day))
    chain[n++] = p;
  const hier_unit **list = arena_alloc(a, (n + 1) * sizeof *list);
  for (size_t i = 0; i < n; i++) list[i] = chain[n - 1 - i];
  *out = list;
  return n;
}

int hier_is_within(const hier *h, const hier_unit *u, const char *ancestor_code, int32_t day) {
  for (int depth = 0; u && depth < 64; depth++, u = hier_parent(h, u, day))
    if (strcmp(u->code, ancestor_code) == 0) return 1;
  return 0;
}

static size_t changes_where(const hier *h, const char *code, int as_new, arena *a,
                            const hier_change ***out) {
  size_t n = 0;
  for (size_t i = 0; i < h->nchanges; i++)
    if (strcmp(as_new ? h->changes[i].new_code : h->changes[i].old_code, code) == 0) n++;
  const hier_change **list = arena_alloc(a, (n + 1) * sizeof *list);
  n = 0;
  for (size_t i = 0; i < h->nchanges; i++)
    if (strcmp(as_new ? h->changes[i].new_code : h->changes[i].old_code, code) == 0)
      list[n++] = &h->changes[i];
  *out = list;
  return n;
}

size_t hier_predecessors(const hier *h, const char *code, arena *a, const hier_change ***out) {
  return changes_where(h, code, 1, a, out);
}

size_t hier_successors(const hier *h, const char *code, arena *a, const hier_change ***out) {
  return changes_where(h, code, 0, a, out);
}
