/* units_import.c - validated, all-or-nothing import of units and changes. */
#include "services/units_import.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/sha256.h"
#include "base/strbuf.h"
#include "base/strmap.h"
#include "base/vtext.h"
#include "io/csv.h"
#include "model/hier.h"
#include "services/import_header.h"
#include "services/import_text.h"

/* One version of a unit: from the file (row > 0) or the database (row 0). */
typedef struct vrow {
  long row;
  const char *code, *name, *name_key, *kind, *parent; /* parent NULL for a root */
  const char *groups;
  int32_t from, to;
  const hier_kind *k;
  int replaced; /* a database row replaced by a file row */
  int bad;      /* the file row failed its own checks */
} vrow;

enum { C_CODE, C_NAME, C_KIND, C_PARENT, C_FROM, C_TO, C_GROUPS, C_COUNT };
static const import_column unit_columns[C_COUNT] = {
    {"code", 1},       {"name", 1},     {"kind", 1},   {"parent_code", 1},
    {"valid_from", 1}, {"valid_to", 0}, {"groups", 0},
};

static int valid_code(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > 32) return 0;
  for (; *s; s++)
    if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
          *s == '-' || *s == '_' || *s == '.'))
      return 0;
  return 1;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Normalises "rural| difficult |rural" to "difficult|rural"; NULL if a key
 * is malformed. */
static const char *normalise_groups(arena *a, const char *in, const char **bad) {
  char *copy = arena_strdup(a, in);
  const char *keys[64];
  int n = 0;
  for (char *tok = strtok(copy, "|"); tok; tok = strtok(NULL, "|")) {
    while (*tok == ' ') tok++;
    size_t len = strlen(tok);
    while (len && tok[len - 1] == ' ') tok[--len] = '\0';
    if (!len) continue;
    for (char *c = tok; *c; c++) {
      if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
      if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-')) {
        *bad = tok;
        return NULL;
      }
    }
    if (n == 64) {
      *bad = tok;
      return NULL;
    }
    int dup = 0;
    for (int i = 0; i < n; i++) dup |= strcmp(keys[i], tok) == 0;
    if (!dup) keys[n++] = tok;
  }
  qsort(keys, (size_t)n, sizeof keys[0], cmp_str);
  strbuf b = STRBUF_INIT;
  for (int i = 0; i < n; i++) {
    if (i) strbuf_putc(&b, '|');
    strbuf_puts(&b, keys[i]);
  }
  const char *out = arena_strdup(a, strbuf_cstr(&b));
  strbuf_free(&b);
  return out;
}

static int cmp_vrow(const void *pa, const void *pb) {
  const vrow *a = *(const vrow *const *)pa, *b = *(const vrow *const *)pb;
  int c = strcmp(a->code, b->code);
  if (c) return c;
  return a->from < b->from ? -1 : a->from > b->from;
}

static const char *fmt_day(arena *a, int32_t day) {
  if (day == DATE_OPEN) return "(open)";
  char buf[11];
  return arena_strdup(a, date_format(day, buf));
}

static const char *where(arena *a, const vrow *v) {
  return v->row ? arena_sprintf(a, "row %ld", v->row) : "the database";
}

typedef struct merged {
  vrow **v; /* live versions (file rows and unreplaced database rows), sorted */
  size_t n;
  strmap by_code; /* code -> start << 32 | count */
} merged;

static void merged_range(const merged *m, const char *code, size_t *start, size_t *count) {
  int64_t packed;
  if (!code || !strmap_get(&m->by_code, code, &packed)) {
    *start = *count = 0;
    return;
  }
  *start = (size_t)((uint64_t)packed >> 32);
  *count = (size_t)((uint64_t)packed & 0xffffffffu);
}

static const vrow *merged_find(const merged *m, const char *code, int32_t day) {
  size_t s, n;
  merged_range(m, code, &s, &n);
  for (size_t i = s; i < s + n; i++)
    if (m->v[i]->from <= day && day <= m->v[i]->to) return m->v[i];
  return NULL;
}

/* Checks that need every version at once: overlaps, parents, coverage by the
 * parent, level order and cycles. Problems are reported on file rows. */
static void check_structure(arena *a, merged *m, issues *out) {
  /* Overlapping validity of the same code. */
  for (size_t i = 1; i < m->n; i++) {
    vrow *p = m->v[i - 1], *c = m->v[i];
    if (strcmp(p->code, c->code) != 0 || c->from > p->to) continue;
    vrow *report = c->row ? c : p;
    const vrow *other = report == c ? p : c;
    issues_add(out, report->row, "valid_from",
               "unit %s is valid from %s to %s, which overlaps its version in %s (valid from %s "
               "to %s); end one version before the other starts",
               report->code, fmt_day(a, report->from), fmt_day(a, report->to), where(a, other),
               fmt_day(a, other->from), fmt_day(a, other->to));
  }
  for (size_t i = 0; i < m->n; i++) {
    vrow *v = m->v[i];
    if (!v->row || !v->parent) continue;
    size_t s, n;
    merged_range(m, v->parent, &s, &n);
    if (n == 0) {
      issues_add(out, v->row, "parent_code",
                 "unknown parent '%s': it is neither in this file nor in the database; add the "
                 "parent unit first or correct the code",
                 v->parent);
      continue;
    }
    if (strcmp(v->parent, v->code) == 0) {
      issues_add(out, v->row, "parent_code", "unit %s cannot be its own parent", v->code);
      continue;
    }
    /* Coverage: walk the parent's versions in order over [from, to]. */
    int32_t day = v->from;
    for (size_t j = s; j < s + n && day <= v->to; j++) {
      vrow *p = m->v[j];
      if (p->from > day) break;
      if (p->to >= day) {
        if (p->k && v->k && p->k->level->rank >= v->k->level->rank)
          issues_add(out, v->row, "kind",
                     "a %s (%s) cannot be under %s %s, a %s (%s): the parent must be of a higher "
                     "level",
                     v->k->name_en, v->k->level->name_en, p->code, p->name, p->k->name_en,
                     p->k->level->name_en);
        day = p->to == DATE_OPEN ? DATE_OPEN : p->to + 1;
        if (p->to == DATE_OPEN) break;
      }
    }
    if (day <= v->to && !(day == DATE_OPEN && v->to == DATE_OPEN)) {
      const vrow *first = m->v[s], *last = m->v[s + n - 1];
      issues_add(out, v->row, "valid_from",
                 "unit %s is valid from %s to %s but its parent %s is not valid on %s (the "
                 "parent's versions span %s to %s); a unit must lie within its parent's validity",
                 v->code, fmt_day(a, v->from), fmt_day(a, v->to), v->parent, fmt_day(a, day),
                 fmt_day(a, first->from), fmt_day(a, last->to));
    }
  }
  /* Cycles: the tree only changes on days where some version starts or ends,
   * so checking each such day covers every day. */
  int32_t *days = arena_alloc(a, (2 * m->n + 1) * sizeof *days);
  size_t ndays = 0;
  for (size_t i = 0; i < m->n; i++) {
    days[ndays++] = m->v[i]->from;
    if (m->v[i]->to != DATE_OPEN) days[ndays++] = m->v[i]->to + 1;
  }
  strmap reported;
  strmap_init(&reported);
  for (size_t d = 0; d < ndays; d++) {
    int seen_before = 0;
    for (size_t e = 0; e < d && !seen_before; e++) seen_before = days[e] == days[d];
    if (seen_before) continue;
    for (size_t i = 0; i < m->n; i++) {
      const vrow *v = m->v[i];
      if (!v->row || v->from > days[d] || days[d] > v->to || strmap_get(&reported, v->code, NULL))
        continue;
      const vrow *p = v;
      size_t steps = 0;
      int cycle = 0;
      while (p && p->parent && !cycle) {
        p = merged_find(m, p->parent, days[d]);
        cycle = p == v || ++steps > m->n;
      }
      if (cycle) {
        strmap_put(&reported, v->code, 1);
        issues_add(out, v->row, "parent_code",
                   "unit %s is its own ancestor on %s (a cycle through parent %s); fix the "
                   "parent codes",
                   v->code, fmt_day(a, days[d]), v->parent);
      }
    }
  }
  strmap_free(&reported);
}

typedef struct write_ctx {
  vrow **rows;
  size_t n;
  import_result *res;
  const audit_actor *who;
  const char *path, *action;
} write_ctx;

/* The audit entry of an import: the file by name and content hash, and what
 * it changed. */
static int audit_import(db *d, const write_ctx *w) {
  if (!w->res->inserted && !w->res->updated) return HT_OK; /* wrote nothing */
  char sha[65];
  sha256_file(w->path, sha);
  const char *base = strrchr(w->path, '/');
  base = base ? base + 1 : w->path;
  json_t *o =
      json_pack("{sssssIsIsIsI}", "file", base, "sha256", sha, "rows", (json_int_t)w->res->rows,
                "inserted", (json_int_t)w->res->inserted, "updated", (json_int_t)w->res->updated,
                "unchanged", (json_int_t)w->res->unchanged);
  char *after = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(o);
  audit_entry e = {w->action, "import", base, "", NULL, after};
  ht_err err = {0};
  int rc = audit_append(d, w->who, &e, &err);
  free(after);
  return rc;
}

static int write_units(db *d, void *ctx) {
  write_ctx *w = ctx;
  db_stmt *s;
  int rc = db_prepare(
      d,
      "INSERT INTO units (prov, id, code, name, name_key, kind, parent_code, valid_from, "
      "valid_to, groups) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
      "ON CONFLICT (prov, code, valid_from) DO UPDATE SET name = excluded.name, "
      "name_key = excluded.name_key, kind = excluded.kind, parent_code = excluded.parent_code, "
      "valid_to = excluded.valid_to, groups = excluded.groups",
      &s);
  if (rc) return rc;
  for (size_t i = 0; i < w->n && rc == HT_OK; i++) {
    vrow *v = w->rows[i];
    char from[11], to[11];
    db_reset(s);
    db_bind_int64(s, 1, db_prov(d));
    db_bind_int64(s, 2, db_new_id(d));
    db_bind_text(s, 3, v->code);
    db_bind_text(s, 4, v->name);
    db_bind_text(s, 5, v->name_key);
    db_bind_text(s, 6, v->kind);
    db_bind_text(s, 7, v->parent);
    db_bind_text(s, 8, date_format(v->from, from));
    db_bind_text(s, 9, v->to == DATE_OPEN ? NULL : date_format(v->to, to));
    db_bind_text(s, 10, v->groups);
    rc = db_step(s) < 0 ? HT_EDB : HT_OK;
  }
  db_finalize(s);
  return rc ? rc : audit_import(d, w);
}

static int same_version(const vrow *a, const vrow *b) {
  return strcmp(a->name, b->name) == 0 && strcmp(a->kind, b->kind) == 0 &&
         strcmp(a->parent ? a->parent : "", b->parent ? b->parent : "") == 0 && a->to == b->to &&
         strcmp(a->groups, b->groups) == 0;
}

int units_import_csv(db *d, const audit_actor *who, const char *path, tenc_encoding enc,
                     tenc_guess *used, import_result *res, issues *problems, ht_err *err) {
  memset(res, 0, sizeof *res);
  arena *a = problems->mem;
  csv_reader *r = NULL;
  hier h;
  int have_hier = 0, rc = import_open_csv(path, enc, used, &r, err);
  if (rc) return rc;
  rc = hier_load(d, &h, err);
  if (rc) goto end;
  have_hier = 1;

  csv_row row;
  int got = csv_next(r, &row, err);
  if (got <= 0) {
    if (got == 0)
      rc = ht_err_set(err, HT_EINVAL, "%s is empty: expected a header row", path);
    else
      rc = got;
    goto end;
  }
  int col[C_COUNT];
  if (import_header(&row, unit_columns, C_COUNT, col, problems)) {
    rc = HT_EINVAL;
    goto end;
  }

  size_t cap = 1024, nfile = 0;
  vrow *file = malloc(cap * sizeof *file);
  strmap keys; /* code|from -> row, for duplicates within the file */
  strmap_init(&keys);
  while ((got = csv_next(r, &row, err)) == 1) {
    if (nfile == cap) {
      cap *= 2;
      vrow *bigger = realloc(file, cap * sizeof *file);
      if (!bigger) abort();
      file = bigger;
    }
    vrow *v = &file[nfile++];
    memset(v, 0, sizeof *v);
    v->row = row.record;
    const char *code = import_field(&row, col[C_CODE]);
    char *clean = NULL;
    v->code = arena_strdup(a, code);
    if (!valid_code(code)) {
      issues_add(problems, v->row, "code",
                 "code '%s' is empty or malformed: use 1 to 32 letters, digits, '-', '_' or '.'",
                 code);
      v->bad = 1;
    }
    if (vt_clean(import_field(&row, col[C_NAME]), &clean) != HT_OK || !clean || !*clean) {
      issues_add(problems, v->row, "name", "the name is empty; give the unit's Vietnamese name");
      v->bad = 1;
      v->name = v->name_key = "";
    } else {
      char *key = NULL;
      v->name = arena_strdup(a, clean);
      vt_search_key(clean, &key);
      v->name_key = arena_strdup(a, key ? key : "");
      free(key);
    }
    free(clean);
    v->kind = arena_strdup(a, import_field(&row, col[C_KIND]));
    v->k = hier_kind_find(&h, v->kind);
    if (!v->k) {
      strbuf known = STRBUF_INIT;
      for (size_t k = 0; k < h.nkinds; k++) {
        if (k) strbuf_puts(&known, ", ");
        strbuf_puts(&known, h.kinds[k].key);
      }
      issues_add(problems, v->row, "kind", "unknown kind '%s'; use one of: %s", v->kind,
                 strbuf_cstr(&known));
      strbuf_free(&known);
      v->bad = 1;
    }
    const char *parent = import_field(&row, col[C_PARENT]);
    v->parent = *parent ? arena_strdup(a, parent) : NULL;
    const char *from = import_field(&row, col[C_FROM]), *to = import_field(&row, col[C_TO]);
    if (date_parse(from, &v->from) != HT_OK) {
      issues_add(problems, v->row, "valid_from",
                 "'%s' is not a date; write it as YYYY-MM-DD, e.g. 2025-07-01", from);
      v->bad = 1;
    }
    v->to = DATE_OPEN;
    if (*to && date_parse(to, &v->to) != HT_OK) {
      issues_add(problems, v->row, "valid_to",
                 "'%s' is not a date; write it as YYYY-MM-DD, or leave it empty if the unit is "
                 "still valid",
                 to);
      v->bad = 1;
    } else if (!v->bad && v->to < v->from) {
      issues_add(problems, v->row, "valid_to", "valid_to %s is before valid_from %s", to, from);
      v->bad = 1;
    }
    const char *badgroup = NULL;
    v->groups = normalise_groups(a, import_field(&row, col[C_GROUPS]), &badgroup);
    if (!v->groups) {
      issues_add(problems, v->row, "groups",
                 "group '%s' is malformed: use keys of lowercase letters, digits and '-', "
                 "separated by '|' (e.g. rural|difficult)",
                 badgroup);
      v->groups = "";
      v->bad = 1;
    }
    if (!v->bad) {
      char from_buf[11];
      const char *key = arena_sprintf(a, "%s|%s", v->code, date_format(v->from, from_buf));
      int64_t first;
      if (strmap_get(&keys, key, &first)) {
        issues_add(problems, v->row, "code",
                   "unit %s valid from %s is already given on row %lld; keep one of the rows",
                   v->code, from_buf, (long long)first);
        v->bad = 1;
      } else {
        strmap_put(&keys, key, v->row);
      }
    }
  }
  strmap_free(&keys);
  res->rows = (long)nfile;
  if (got < 0) {
    rc = got;
    free(file);
    goto end;
  }

  /* Merge the database's versions with the file's. */
  merged m = {0};
  m.v = arena_alloc(a, (h.nunits + nfile + 1) * sizeof *m.v);
  vrow *dbrows = arena_calloc(a, (h.nunits + 1) * sizeof *dbrows);
  strmap filekeys;
  strmap_init(&filekeys);
  for (size_t i = 0; i < nfile; i++) {
    if (file[i].bad) continue;
    char buf[11];
    strmap_put(&filekeys, arena_sprintf(a, "%s|%s", file[i].code, date_format(file[i].from, buf)),
               (int64_t)i);
  }
  for (size_t i = 0; i < h.nunits; i++) {
    const hier_unit *u = &h.units[i];
    vrow *v = &dbrows[i];
    v->code = u->code;
    v->name = u->name;
    v->name_key = u->name_key;
    v->kind = u->kind->key;
    v->k = u->kind;
    v->parent = u->parent_code;
    v->groups = u->groups;
    v->from = u->from_day;
    v->to = u->to_day;
    char buf[11];
    int64_t fi;
    if (strmap_get(&filekeys, arena_sprintf(a, "%s|%s", u->code, date_format(u->from_day, buf)),
                   &fi)) {
      v->replaced = 1;
      if (same_version(v, &file[fi]))
        res->unchanged++;
      else
        res->updated++;
      continue;
    }
    m.v[m.n++] = v;
  }
  strmap_free(&filekeys);
  for (size_t i = 0; i < nfile; i++)
    if (!file[i].bad) m.v[m.n++] = &file[i];
  qsort(m.v, m.n, sizeof *m.v, cmp_vrow);
  strmap_init(&m.by_code);
  for (size_t i = 0; i < m.n;) {
    size_t j = i;
    while (j < m.n && strcmp(m.v[j]->code, m.v[i]->code) == 0) j++;
    strmap_put(&m.by_code, m.v[i]->code, (int64_t)(((uint64_t)i << 32) | (j - i)));
    i = j;
  }
  check_structure(a, &m, problems);
  strmap_free(&m.by_code);

  if (problems->count) {
    rc = HT_EINVAL;
    free(file);
    goto end;
  }
  res->inserted = res->rows - res->updated - res->unchanged;
  vrow **towrite = arena_alloc(a, (nfile + 1) * sizeof *towrite);
  for (size_t i = 0; i < nfile; i++) towrite[i] = &file[i];
  write_ctx w = {towrite, nfile, res, who, path, "import.units"};
  rc = db_tx(d, write_units, &w);
  if (rc) ht_err_set(err, rc, "writing units failed: %s; nothing was written", db_errmsg(d));
  free(file);

end:
  if (have_hier) hier_free(&h);
  csv_close(r);
  if (rc == HT_EINVAL && problems->count)
    ht_err_set(err, HT_EINVAL, "%s: %ld problem(s) found; nothing was imported", path,
               problems->count);
  return rc;
}

/* ---- changes ---- */

typedef struct change_row {
  long row;
  const char *date, *old_code, *new_code;
  int exists;
} change_row;

typedef struct changes_ctx {
  change_row *rows;
  size_t n;
  write_ctx audit;
} changes_ctx;

static int write_changes(db *d, void *ctx) {
  changes_ctx *c = ctx;
  db_stmt *s;
  int rc = db_prepare(d,
                      "INSERT INTO unit_changes (prov, id, change_date, old_code, new_code) "
                      "VALUES ($1, $2, $3, $4, $5) "
                      "ON CONFLICT (prov, change_date, old_code, new_code) DO NOTHING",
                      &s);
  if (rc) return rc;
  for (size_t i = 0; i < c->n && rc == HT_OK; i++) {
    db_reset(s);
    db_bind_int64(s, 1, db_prov(d));
    db_bind_int64(s, 2, db_new_id(d));
    db_bind_text(s, 3, c->rows[i].date);
    db_bind_text(s, 4, c->rows[i].old_code);
    db_bind_text(s, 5, c->rows[i].new_code);
    rc = db_step(s) < 0 ? HT_EDB : HT_OK;
  }
  db_finalize(s);
  return rc ? rc : audit_import(d, &c->audit);
}

enum { CH_DATE, CH_OLD, CH_NEW, CH_COUNT };
static const import_column change_columns[CH_COUNT] = {
    {"date", 1}, {"old_code", 1}, {"new_code", 1}};

int units_import_changes_csv(db *d, const audit_actor *who, const char *path, tenc_encoding enc,
                             tenc_guess *used, import_result *res, issues *problems, ht_err *err) {
  memset(res, 0, sizeof *res);
  arena *a = problems->mem;
  csv_reader *r = NULL;
  hier h;
  int have_hier = 0, rc = import_open_csv(path, enc, used, &r, err);
  if (rc) return rc;
  rc = hier_load(d, &h, err);
  if (rc) goto end;
  have_hier = 1;
  csv_row row;
  int got = csv_next(r, &row, err);
  if (got <= 0) {
    rc = got ? got : ht_err_set(err, HT_EINVAL, "%s is empty: expected a header row", path);
    goto end;
  }
  int col[CH_COUNT];
  if (import_header(&row, change_columns, CH_COUNT, col, problems)) {
    rc = HT_EINVAL;
    goto end;
  }
  size_t cap = 256, n = 0;
  change_row *rows = arena_alloc(a, cap * sizeof *rows);
  strmap seen;
  strmap_init(&seen);
  while ((got = csv_next(r, &row, err)) == 1) {
    if (n == cap) {
      change_row *bigger = arena_alloc(a, 2 * cap * sizeof *rows);
      memcpy(bigger, rows, cap * sizeof *rows);
      rows = bigger;
      cap *= 2;
    }
    change_row *c = &rows[n];
    c->row = row.record;
    c->exists = 0;
    c->date = arena_strdup(a, import_field(&row, col[CH_DATE]));
    c->old_code = arena_strdup(a, import_field(&row, col[CH_OLD]));
    c->new_code = arena_strdup(a, import_field(&row, col[CH_NEW]));
    res->rows++;
    int32_t day;
    int ok = 1;
    if (date_parse(c->date, &day) != HT_OK) {
      issues_add(problems, c->row, "date",
                 "'%s' is not a date; write it as YYYY-MM-DD, e.g. 2025-07-01", c->date);
      ok = 0;
    }
    if (!*c->old_code) {
      issues_add(problems, c->row, "old_code", "old_code is empty");
      ok = 0;
    }
    if (!*c->new_code) {
      issues_add(problems, c->row, "new_code", "new_code is empty");
      ok = 0;
    }
    if (!ok) continue;
    if (strcmp(c->old_code, c->new_code) == 0) {
      issues_add(problems, c->row, "new_code",
                 "old_code and new_code are both %s; a change links two different units",
                 c->old_code);
      continue;
    }
    size_t nv;
    if (!hier_versions(&h, c->old_code, &nv)) {
      issues_add(problems, c->row, "old_code",
                 "unknown unit '%s'; import it with 'hoctap units import' first", c->old_code);
      ok = 0;
    } else if (!hier_find(&h, c->old_code, day - 1)) {
      issues_add(problems, c->row, "old_code",
                 "unit %s is not valid on the day before %s, so it cannot be merged or split on "
                 "that date",
                 c->old_code, c->date);
      ok = 0;
    }
    if (!hier_versions(&h, c->new_code, &nv)) {
      issues_add(problems, c->row, "new_code",
                 "unknown unit '%s': a unit cannot be merged into a unit that does not exist; "
                 "import it with 'hoctap units import' first",
                 c->new_code);
      ok = 0;
    } else if (!hier_find(&h, c->new_code, day)) {
      issues_add(problems, c->row, "new_code", "unit %s is not valid on %s", c->new_code, c->date);
      ok = 0;
    }
    if (!ok) continue;
    const char *key = arena_sprintf(a, "%s|%s|%s", c->date, c->old_code, c->new_code);
    int64_t first;
    if (strmap_get(&seen, key, &first)) {
      issues_add(problems, c->row, "old_code", "the same change is already given on row %lld",
                 (long long)first);
      continue;
    }
    strmap_put(&seen, key, c->row);
    for (size_t i = 0; i < h.nchanges; i++)
      if (h.changes[i].day == day && strcmp(h.changes[i].old_code, c->old_code) == 0 &&
          strcmp(h.changes[i].new_code, c->new_code) == 0)
        c->exists = 1;
    if (c->exists)
      res->unchanged++;
    else
      res->inserted++;
    n++;
  }
  strmap_free(&seen);
  if (got < 0) {
    rc = got;
    goto end;
  }
  if (problems->count) {
    rc = HT_EINVAL;
    goto end;
  }
  changes_ctx ctx = {rows, n, {NULL, 0, res, who, path, "import.unit-changes"}};
  rc = db_tx(d, write_changes, &ctx);
  if (rc) ht_err_set(err, rc, "writing changes failed: %s; nothing was written", db_errmsg(d));
end:
  if (have_hier) hier_free(&h);
  csv_close(r);
  if (rc == HT_EINVAL && problems->count)
    ht_err_set(err, HT_EINVAL, "%s: %ld problem(s) found; nothing was imported", path,
               problems->count);
  return rc;
}
