/* evaluation.c - rollups with rates and targets, and entity lists, from an engine. */
#include "services/evaluation.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "criteria/crit_defaults.h"

int evaluation_criteria(crit_set *set, const char *const *files, int nfiles, issues *out,
                        ht_err *err) {
  int rc = HT_OK;
  for (int i = 0; i < nfiles; i++) {
    int r = crit_load_file(set, files[i], out, err);
    if (r != HT_OK && r != HT_EINVAL) return r;
    if (r != HT_OK) rc = HT_EINVAL;
  }
  if (rc != HT_OK) return rc;
  if (nfiles)
    rc = crit_add_missing_defaults(set, out);
  else
    rc = crit_load_defaults(set, out);
  if (rc != HT_OK) return rc;
  return crit_check_set(set, out);
}

static int level_kind(const char *level_key) {
  if (!strcmp(level_key, "village")) return CRIT_VILLAGE;
  if (!strcmp(level_key, "commune")) return CRIT_COMMUNE;
  if (!strcmp(level_key, "district")) return CRIT_DISTRICT;
  if (!strcmp(level_key, "province")) return CRIT_PROVINCE;
  return -1;
}

int evaluation_unit(const engine *e, const hier *h, const char *code, const hier_unit **unit,
                    crit_entity *kind, int32_t *index) {
  int32_t day = date_from_ymd(eng_year(e), 12, 31);
  const hier_unit *u = hier_find(h, code, day);
  if (!u) return -1;
  int k = level_kind(u->kind->level->key);
  if (k < 0) return -1;
  int32_t i = eng_find(e, (crit_entity)k, code);
  if (i < 0) return -1;
  *unit = u;
  *kind = (crit_entity)k;
  *index = i;
  return 0;
}

int evaluation_rows_for(const engine *e, const hier_unit *unit, crit_entity kind, int32_t index,
                        int title, eval_target_fn target, void *tctx, eval_row *rows, int max) {
  int n = 0;
  for (int ti = 0; ti < eng_title_count(e) && n < max; ti++) {
    if (title >= 0 && ti != title) continue;
    const crit_title *t = eng_title_at(e, ti);
    if (t->entity != kind && !crit_contains(kind, t->entity)) continue;
    eval_row *r = &rows[n++];
    memset(r, 0, sizeof *r);
    r->unit = unit;
    r->unit_kind = kind;
    r->unit_index = index;
    r->title = ti;
    r->counts = eng_counts_of(e, ti, kind, index);
    r->rate = r->counts.eligible ? (double)r->counts.recognised / r->counts.eligible : NAN;
    r->registered_rate =
        r->counts.eligible ? (double)r->counts.registered / r->counts.eligible : NAN;
    r->target = NAN;
    if (target) r->target = target(tctx, t, eng_year(e), unit, &r->target_source, &r->target_year);
  }
  return n;
}

static const engine *sort_engine;
static crit_entity sort_kind;

static int by_code(const void *a, const void *b) {
  strbuf x = STRBUF_INIT, y = STRBUF_INIT;
  eng_code(sort_engine, sort_kind, *(const int32_t *)a, &x);
  eng_code(sort_engine, sort_kind, *(const int32_t *)b, &y);
  int c = strcmp(strbuf_cstr(&x), strbuf_cstr(&y));
  strbuf_free(&x);
  strbuf_free(&y);
  return c;
}

int32_t *evaluation_entities(const engine *e, int title, crit_entity kind, int32_t index,
                             int32_t *n) {
  const crit_title *t = eng_title_at(e, title);
  const eng_facts *f = eng_facts_of(e);
  int32_t total = f->n[t->entity], count = 0;
  int32_t *out = malloc(((size_t)total + 1) * sizeof *out);
  if (!out) abort();
  eng_result r;
  for (int32_t j = 0; j < total; j++) {
    if (index >= 0 && eng_owner(e, t->entity, j, kind) != index) continue;
    eng_result_of(e, title, j, &r);
    if (r.eligible) out[count++] = j;
  }
  sort_engine = e;
  sort_kind = t->entity;
  qsort(out, (size_t)count, sizeof *out, by_code);
  *n = count;
  return out;
}

size_t evaluation_report_units(const hier *h, const hier_unit *start, int year, arena *a,
                               const hier_unit ***out) {
  int32_t day = date_from_ymd(year, 12, 31);
  const hier_unit **queue;
  size_t nq = 0;
  if (start) {
    queue = arena_alloc(a, (h->nunits + 1) * sizeof *queue);
    queue[nq++] = start;
  } else {
    const hier_unit **roots;
    size_t nr = hier_children(h, NULL, day, a, &roots);
    queue = arena_alloc(a, (h->nunits + nr + 1) * sizeof *queue);
    for (size_t i = 0; i < nr; i++) queue[nq++] = roots[i];
  }
  /* breadth first; villages are never opened, communes only when the start is one */
  int commune_start = nq && !strcmp(queue[0]->kind->level->key, "commune");
  for (size_t i = 0; i < nq; i++) {
    const char *lk = queue[i]->kind->level->key;
    if (!strcmp(lk, "village") || (!commune_start && !strcmp(lk, "commune"))) continue;
    const hier_unit **kids;
    size_t nk = hier_children(h, queue[i]->code, day, a, &kids);
    for (size_t k = 0; k < nk; k++) queue[nq++] = kids[k];
  }
  *out = queue;
  return nq;
}

const char *evaluation_entity_name(db *d, const engine *e, const hier *h, crit_entity kind,
                                   int32_t j, arena *a) {
  const eng_facts *f = eng_facts_of(e);
  const char *sql = NULL, *key = NULL;
  switch (kind) {
    case CRIT_PERSON: sql = "SELECT full_name FROM persons WHERE prov = $1 AND id = $2"; break;
    case CRIT_HOUSEHOLD:
      sql = "SELECT head_name FROM households WHERE prov = $1 AND code = $2";
      key = f->household_code[j];
      break;
    case CRIT_CLAN:
      sql = "SELECT name FROM clans WHERE prov = $1 AND code = $2";
      key = f->clan_code[j];
      break;
    case CRIT_ORGANISATION:
      sql = "SELECT name FROM organisations WHERE prov = $1 AND code = $2";
      key = f->org_code[j];
      break;
    default: {
      const hier_unit *u = hier_find(h, f->unit_code[kind][j], date_from_ymd(f->year, 12, 31));
      return u ? u->name : "";
    }
  }
  db_stmt *s;
  const char *name = "";
  if (db_prepare(d, sql, &s) != HT_OK) return name;
  db_bind_int64(s, 1, db_prov(d));
  if (kind == CRIT_PERSON)
    db_bind_int64(s, 2, f->person_id[j]);
  else
    db_bind_text(s, 2, key);
  if (db_step(s) == DB_ROW) name = arena_strdup(a, db_col_text(s, 0));
  db_finalize(s);
  return name;
}
