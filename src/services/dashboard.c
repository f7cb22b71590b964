/* dashboard.c - the year tables and the dashboard of a unit (dashboard.h,
 * docs/dashboard.md). */
#include "services/dashboard.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"

/* ------------------------------------------------------------ year tables */

/* The learning-citizen title and the indicator the QĐ 677 digital-skill
 * measures read (criteria/cong-dan-hoc-tap.crit, "Digital skills for the QĐ
 * 677 targets"): i5 >= 7 meets the job's requirements, i5 >= 9 proficient. */
#define LC_TITLE "cong-dan-hoc-tap"
#define LC_DIGITAL_ITEM "i5"
#define LC_DIGITAL_MEETS 7.0
#define LC_DIGITAL_PROFICIENT 9.0
#define ADULT_AGE 18

static const char *const measure_keys[DASH_MEASURES] = {
    "cong-dan-hoc-tap-nguoi-lon", "cong-dan-hoc-tap-don-vi", "ky-nang-so", "ky-nang-so-thanh-thao"};

static int applies(const crit_title *t, crit_entity unit_kind) {
  return t->entity == unit_kind || crit_contains(unit_kind, t->entity);
}

/* The rows of every unit a person or organisation lies in: one per admin
 * kind (or -1). */
static void owners(const engine *e, crit_entity kind, int32_t j, const int64_t *row_base,
                   int64_t out[CRIT_ENTITY_COUNT]) {
  for (int k = 0; k < CRIT_ENTITY_COUNT; k++) {
    out[k] = -1;
    if (!ENG_IS_UNIT(k) || row_base[k] < 0) continue;
    int32_t u = eng_owner(e, kind, j, (crit_entity)k);
    if (u >= 0) out[k] = row_base[k] + u;
  }
}

static void add_measure(dash_table *t, const int64_t rows[CRIT_ENTITY_COUNT], int basis, int m,
                        int num) {
  for (int k = 0; k < CRIT_ENTITY_COUNT; k++) {
    if (rows[k] < 0) continue;
    t->rows[rows[k]].m[basis][m][1]++;
    if (num) t->rows[rows[k]].m[basis][m][0]++;
  }
}

/* The QĐ 677 measures of every unit: one pass over the persons and one over
 * the members of organisations. */
static void measures(const engine *e, dash_table *t, const int64_t *row_base) {
  int lc = eng_title_find(e, LC_TITLE);
  if (lc < 0) return;
  int item = -1;
  for (int i = 0; i < eng_item_count(e, lc); i++)
    if (!strcmp(eng_item_at(e, lc, i)->key, LC_DIGITAL_ITEM)) item = i;
  const eng_facts *f = eng_facts_of(e);
  int64_t rows[CRIT_ENTITY_COUNT];
  for (int32_t j = 0; j < f->n[CRIT_PERSON]; j++) {
    eng_result r;
    eng_result_of(e, lc, j, &r);
    if (!r.eligible) continue;
    owners(e, CRIT_PERSON, j, row_base, rows);
    double v = item >= 0 ? eng_item_value(e, lc, item, j) : NAN;
    int digital = !isnan(v) && v >= LC_DIGITAL_MEETS;
    int proficient = !isnan(v) && v >= LC_DIGITAL_PROFICIENT;
    for (int b = 0; b < 2; b++) {
      int holds = b == DASH_BASIS_EVALUATION ? r.recognised : r.held;
      if (f->year - f->birth_year[j] >= ADULT_AGE) add_measure(t, rows, b, DASH_M_ADULTS, holds);
      if (holds && item >= 0) add_measure(t, rows, b, DASH_M_DIGITAL, digital);
      if (holds && digital) add_measure(t, rows, b, DASH_M_PROFICIENT, proficient);
    }
  }
  if (!f->org_member_off) return;
  for (int32_t o = 0; o < f->n[CRIT_ORGANISATION]; o++) {
    owners(e, CRIT_ORGANISATION, o, row_base, rows);
    for (int32_t m = f->org_member_off[o]; m < f->org_member_off[o + 1]; m++) {
      eng_result r;
      eng_result_of(e, lc, f->org_member[m], &r);
      if (!r.eligible) continue;
      for (int b = 0; b < 2; b++)
        add_measure(t, rows, b, DASH_M_STAFF, b == DASH_BASIS_EVALUATION ? r.recognised : r.held);
    }
  }
}

int dash_table_build(const engine *e, dash_table **out, ht_err *err) {
  dash_table *t = calloc(1, sizeof *t);
  if (!t) {
    ht_err_set(err, HT_ENOMEM, "out of memory building the dashboard table");
    return HT_ENOMEM;
  }
  arena_init(&t->mem, 0);
  strmap_init(&t->by_code);
  static uint64_t serials;
  t->serial = __atomic_add_fetch(&serials, 1, __ATOMIC_RELAXED);
  t->year = eng_year(e);
  t->ntitles = eng_title_count(e);
  t->titles = arena_alloc(&t->mem, ((size_t)t->ntitles + 1) * sizeof *t->titles);
  for (int i = 0; i < t->ntitles; i++) t->titles[i] = eng_title_at(e, i);
  const eng_facts *f = eng_facts_of(e);
  int64_t row_base[CRIT_ENTITY_COUNT];
  for (int k = 0; k < CRIT_ENTITY_COUNT; k++) {
    row_base[k] = -1;
    if (!ENG_IS_UNIT(k)) continue;
    row_base[k] = (int64_t)t->nrows;
    t->nrows += (size_t)f->n[k];
  }
  t->rows = arena_calloc(&t->mem, (t->nrows + 1) * sizeof *t->rows);
  dash_count *cells = arena_calloc(&t->mem, (t->nrows * (size_t)t->ntitles + 1) * sizeof *cells);
  for (int k = 0; k < CRIT_ENTITY_COUNT; k++) {
    if (row_base[k] < 0) continue;
    for (int32_t u = 0; u < f->n[k]; u++) {
      dash_row *r = &t->rows[row_base[k] + u];
      r->code = arena_strdup(&t->mem, f->unit_code[k][u]); /* outlives the engine */
      r->kind = (crit_entity)k;
      r->c = cells + (size_t)(row_base[k] + u) * (size_t)t->ntitles;
      for (int ti = 0; ti < t->ntitles; ti++) {
        if (!applies(t->titles[ti], (crit_entity)k)) continue;
        eng_counts c = eng_counts_of(e, ti, (crit_entity)k, u);
        r->c[ti] = (dash_count){c.eligible, c.registered, c.recognised, c.held, c.level2, 1};
      }
      strmap_put(&t->by_code, r->code, row_base[k] + u);
    }
  }
  measures(e, t, row_base);
  *out = t;
  return HT_OK;
}

void dash_table_free(dash_table *t) {
  if (!t) return;
  strmap_free(&t->by_code);
  arena_free(&t->mem);
  free(t);
}

const dash_row *dash_table_row(const dash_table *t, const char *code) {
  int64_t v;
  return t && code && strmap_get(&t->by_code, code, &v) ? &t->rows[v] : NULL;
}

int dash_table_title(const dash_table *t, const char *key) {
  for (int i = 0; t && i < t->ntitles; i++)
    if (!strcmp(t->titles[i]->key, key)) return i;
  return -1;
}

/* ------------------------------------------------------------ figures */

typedef struct builder {
  dashboard *d;
  const hier *h;
  const tgt_set *targets;
  const dash_params *p;
  dash_table *const *tables;
  /* the unit's predecessors in each year's table, found once for every title */
  int pred_done[DASH_MAX_YEARS], pred_shared[DASH_MAX_YEARS];
  const char **pred[DASH_MAX_YEARS];
  size_t npred[DASH_MAX_YEARS];
} builder;

static double ratio(int32_t num, int32_t den) {
  return den > 0 ? (double)num / den : NAN;
}

/* The target of measure for unit in year: the chosen set's, or (fallback)
 * the applicable one when the chosen set does not have the measure. */
static void target_of(const builder *b, const char *measure, int year, const hier_unit *unit,
                      int fallback, double *value, int *milestone, const char **set,
                      const char **group) {
  tgt_choice c;
  *value = NAN;
  *milestone = 0;
  *set = *group = NULL;
  const char *groups = unit ? unit->groups : NULL;
  int rc = tgt_applicable(b->targets, b->p->targets, measure, year, b->p->province, groups, &c);
  if (rc != HT_OK && fallback && b->p->targets)
    rc = tgt_applicable(b->targets, NULL, measure, year, b->p->province, groups, &c);
  if (rc != HT_OK) return;
  *value = c.value;
  *milestone = c.year;
  *set = c.set_key;
  *group = c.group;
}

static void figure(const builder *b, const dash_count *c, const crit_title *t, int year,
                   const hier_unit *unit, dash_figure *f) {
  memset(f, 0, sizeof *f);
  f->eligible = c->eligible;
  f->registered = c->registered;
  f->meets = c->meets;
  f->recognised = c->recognised;
  f->level2 = c->level2;
  f->registered_rate = ratio(c->registered, c->eligible);
  f->meets_rate = ratio(c->meets, c->eligible);
  f->recognised_rate = ratio(c->recognised, c->eligible);
  f->rate = b->p->basis == DASH_BASIS_DECISION ? f->recognised_rate : f->meets_rate;
  target_of(b, t->key, year, unit, 0, &f->target, &f->target_year, &f->target_set,
            &f->target_group);
  f->gap = isnan(f->target) || isnan(f->rate) ? NAN : f->target - f->rate;
}

/* ------------------------------------------------------------ ranking */

static int nan_last(double x, double y, int descending) {
  if (isnan(x) || isnan(y)) return isnan(x) - isnan(y);
  if (x == y) return 0;
  return (x < y) == descending ? 1 : -1;
}

static int by_rate_desc(const void *a, const void *b) {
  const dash_figure *x = ((const dash_unit *)a)->fig, *y = ((const dash_unit *)b)->fig;
  int c = nan_last(x->rate, y->rate, 1);
  if (c) return c;
  return strcmp(((const dash_unit *)a)->unit->sort_key, ((const dash_unit *)b)->unit->sort_key);
}

/* Worst first: the largest gap to target; without targets, the lowest rate. */
static int by_gap_desc(const void *a, const void *b) {
  const dash_figure *x = ((const dash_unit *)a)->fig, *y = ((const dash_unit *)b)->fig;
  int c = nan_last(x->gap, y->gap, 1);
  if (!c) c = nan_last(x->rate, y->rate, 0);
  if (c) return c;
  return strcmp(((const dash_unit *)a)->unit->sort_key, ((const dash_unit *)b)->unit->sort_key);
}

/* units[i].fig points at a single figure while sorting; afterwards the
 * figures are copied into r->fig in the final order. */
static void ranked_finish(dashboard *d, dash_ranked *r, dash_unit *units, dash_figure *figs,
                          size_t n, size_t keep, int (*cmp)(const void *, const void *)) {
  for (size_t i = 0; i < n; i++) units[i].fig = &figs[i];
  qsort(units, n, sizeof *units, cmp);
  if (n > keep) n = keep;
  r->n = n;
  r->units = units;
  r->fig = arena_alloc(&d->mem, (n + 1) * sizeof *r->fig);
  for (size_t i = 0; i < n; i++) {
    r->fig[i] = *units[i].fig;
    units[i].fig = NULL;
  }
}

static int has_children(const builder *b, const hier_unit *u, int32_t day) {
  const hier_unit **kids;
  arena tmp;
  arena_init(&tmp, 4096);
  size_t n = hier_children(b->h, u->code, day, &tmp, &kids);
  arena_free(&tmp);
  return n > 0;
}

/* The units whose laggards are listed: the communes below a province or
 * district; the villages of a commune. Breadth first, from d->mem. */
static size_t report_units(const builder *b, const hier_unit *start, int32_t day,
                           const hier_unit ***out) {
  dashboard *d = b->d;
  int commune = !strcmp(start->kind->level->key, "commune");
  size_t n = 0, cap = 0;
  const hier_unit **list = NULL;
  size_t qn = 1, qcap = 16, qi = 0;
  const hier_unit **queue = arena_alloc(&d->mem, qcap * sizeof *queue);
  queue[0] = start;
  while (qi < qn) {
    const hier_unit **kids;
    size_t nk = hier_children(b->h, queue[qi++]->code, day, &d->mem, &kids);
    for (size_t i = 0; i < nk; i++) {
      const char *level = kids[i]->kind->level->key;
      if (commune || !strcmp(level, "commune")) {
        list = arena_grow(&d->mem, list, n, &cap, sizeof *list);
        list[n++] = kids[i];
      } else if (strcmp(level, "village")) {
        queue = arena_grow(&d->mem, queue, qn, &qcap, sizeof *queue);
        queue[qn++] = kids[i];
      }
    }
  }
  *out = list;
  return n;
}

/* ------------------------------------------------------------ trend */

/* The codes of the units that existed in table t and became code by
 * merges and renames (walking the change records back). */
static size_t predecessors_in(const builder *b, const dash_table *t, const char *code,
                              const char ***out, int *shared) {
  dashboard *d = b->d;
  size_t n = 0, cap = 0, qn = 1, qcap = 8, qi = 0;
  const char **found = NULL;
  const char **queue = arena_alloc(&d->mem, qcap * sizeof *queue);
  queue[0] = code;
  while (qi < qn && qn < 4096) {
    const char *c = queue[qi++];
    const hier_change **ch;
    size_t nc = hier_predecessors(b->h, c, &d->mem, &ch);
    for (size_t i = 0; i < nc; i++) {
      const char *old = ch[i]->old_code;
      if (!strcmp(old, c)) continue;
      int seen = 0;
      for (size_t k = 0; k < qn && !seen; k++) seen = !strcmp(queue[k], old);
      if (seen) continue;
      queue = arena_grow(&d->mem, queue, qn, &qcap, sizeof *queue);
      queue[qn++] = old;
      if (dash_table_row(t, old)) {
        found = arena_grow(&d->mem, found, n, &cap, sizeof *found);
        found[n++] = old;
        const hier_change **succ;
        if (hier_successors(b->h, old, &d->mem, &succ) > 1) *shared = 1;
      }
    }
  }
  *out = found;
  return n;
}

static void trend(builder *b, dash_title *dt) {
  dashboard *d = b->d;
  int years = d->year - DASH_FIRST_YEAR + 1;
  if (years < 1) years = 1;
  if (years > DASH_MAX_YEARS) years = DASH_MAX_YEARS;
  dt->ntrend = (size_t)years;
  dt->trend = arena_calloc(&d->mem, (size_t)years * sizeof *dt->trend);
  for (int i = 0; i < years; i++) {
    int y = d->year - years + 1 + i;
    dash_point *pt = &dt->trend[i];
    pt->year = y;
    const dash_table *t = b->tables[y - DASH_FIRST_YEAR];
    int ti = dash_table_title(t, dt->t->key);
    if (!t || ti < 0) continue;
    const hier_unit *then = hier_find(b->h, d->unit->code, date_from_ymd(y, 12, 31));
    const dash_row *row = dash_table_row(t, d->unit->code);
    dash_count sum = {0};
    if (row) {
      if (!row->c[ti].applies) continue;
      sum = row->c[ti];
    } else {
      int yi = y - DASH_FIRST_YEAR;
      if (!b->pred_done[yi]) {
        b->npred[yi] = predecessors_in(b, t, d->unit->code, &b->pred[yi], &b->pred_shared[yi]);
        b->pred_done[yi] = 1;
      }
      const char **from = b->pred[yi];
      size_t nf = b->npred[yi];
      pt->shared = b->pred_shared[yi];
      if (!nf) continue;
      pt->combined = 1;
      pt->from = from;
      pt->nfrom = nf;
      pt->from_names = arena_alloc(&d->mem, nf * sizeof *pt->from_names);
      for (size_t k = 0; k < nf; k++) {
        const hier_unit *old = hier_find(b->h, from[k], date_from_ymd(y, 12, 31));
        pt->from_names[k] = old ? old->name : from[k];
        const dash_count *c = &dash_table_row(t, from[k])->c[ti];
        if (!c->applies) continue;
        sum.applies = 1;
        sum.eligible += c->eligible;
        sum.registered += c->registered;
        sum.meets += c->meets;
        sum.recognised += c->recognised;
        sum.level2 += c->level2;
      }
      if (!sum.applies) continue;
    }
    pt->available = 1;
    figure(b, &sum, dt->t, y, then ? then : d->unit, &pt->fig);
  }
}

/* ------------------------------------------------------------ build */

static int build_title(builder *b, dash_title *dt, const dash_table *t, int ti, const dash_row *row,
                       int32_t day, const hier_unit **below, size_t nbelow) {
  dashboard *d = b->d;
  dt->t = t->titles[ti];
  dt->table_title = ti;
  figure(b, &row->c[ti], dt->t, d->year, d->unit, &dt->fig);
  /* children where the title applies, best first */
  dash_unit *kids = arena_alloc(&d->mem, (d->nchildren + 1) * sizeof *kids);
  dash_figure *figs = arena_alloc(&d->mem, (d->nchildren + 1) * sizeof *figs);
  size_t n = 0;
  for (size_t i = 0; i < d->nchildren; i++) {
    const dash_row *cr = dash_table_row(t, d->children[i].unit->code);
    if (!cr || !cr->c[ti].applies) continue;
    kids[n] = d->children[i];
    figure(b, &cr->c[ti], dt->t, d->year, kids[n].unit, &figs[n]);
    n++;
  }
  ranked_finish(d, &dt->children, kids, figs, n, n, by_rate_desc);
  /* the units below furthest behind */
  dash_unit *lag = arena_alloc(&d->mem, (nbelow + 1) * sizeof *lag);
  dash_figure *lfigs = arena_alloc(&d->mem, (nbelow + 1) * sizeof *lfigs);
  n = 0;
  for (size_t i = 0; i < nbelow; i++) {
    const dash_row *cr = dash_table_row(t, below[i]->code);
    if (!cr || !cr->c[ti].applies || !cr->c[ti].eligible) continue;
    lag[n].unit = below[i];
    const hier_unit *parent = hier_parent(b->h, below[i], day);
    lag[n].parent_name = parent ? parent->name : NULL;
    lag[n].has_children = !!strcmp(below[i]->kind->level->key, "village");
    figure(b, &cr->c[ti], dt->t, d->year, below[i], &lfigs[n]);
    n++;
  }
  ranked_finish(d, &dt->behind, lag, lfigs, n, DASH_BEHIND_MAX, by_gap_desc);
  trend(b, dt);
  return HT_OK;
}

static void build_measures(builder *b, const dash_row *row) {
  dashboard *d = b->d;
  if (dash_table_title(b->tables[d->year - DASH_FIRST_YEAR], LC_TITLE) < 0) return;
  for (int m = 0; m < DASH_MEASURES; m++) {
    dash_measure *x = &d->measures[m];
    x->key = measure_keys[m];
    x->name = x->name_en = x->key;
    for (const tgt_measure *tm = b->targets->measures; tm; tm = tm->next)
      if (!strcmp(tm->key, x->key)) {
        x->name = tm->name;
        x->name_en = tm->name_en ? tm->name_en : tm->name;
        break;
      }
    x->numerator = row->m[d->basis][m][0];
    x->denominator = row->m[d->basis][m][1];
    x->rate = ratio(x->numerator, x->denominator);
    const char *group;
    target_of(b, x->key, d->year, d->unit, 1, &x->target, &x->target_year, &x->target_set, &group);
  }
  d->nmeasures = DASH_MEASURES;
}

int dash_build(dashboard *d, const hier *h, const tgt_set *targets, const dash_params *p,
               dash_table *const *tables, ht_err *err) {
  memset(d, 0, sizeof *d);
  arena_init(&d->mem, 0);
  d->year = p->year;
  d->basis = p->basis;
  d->targets = p->targets;
  builder b = {.d = d, .h = h, .targets = targets, .p = p, .tables = tables};
  if (p->year < DASH_FIRST_YEAR || p->year >= DASH_FIRST_YEAR + DASH_MAX_YEARS ||
      !tables[p->year - DASH_FIRST_YEAR]) {
    ht_err_set(err, HT_ENOTFOUND, "no data for the year %d", p->year);
    return HT_ENOTFOUND;
  }
  if (p->targets && !tgt_find(targets, p->targets)) {
    ht_err_set(err, HT_ENOTFOUND, "no target set '%s'", p->targets);
    return HT_ENOTFOUND;
  }
  const dash_table *t = tables[p->year - DASH_FIRST_YEAR];
  int32_t day = date_from_ymd(p->year, 12, 31);
  const hier_unit *u = NULL;
  if (p->unit && *p->unit) {
    u = hier_find(h, p->unit, day);
  } else {
    const hier_unit **roots;
    if (hier_children(h, NULL, day, &d->mem, &roots)) u = roots[0];
  }
  const dash_row *row = u ? dash_table_row(t, u->code) : NULL;
  if (!row) {
    ht_err_set(err, HT_ENOTFOUND, "no administrative unit '%s' on 31 December %d",
               p->unit ? p->unit : "", p->year);
    return HT_ENOTFOUND;
  }
  d->unit = u;
  d->nancestors = hier_ancestors(h, u, day, &d->mem, &d->ancestors);
  const hier_unit **kids;
  d->nchildren = hier_children(h, u->code, day, &d->mem, &kids);
  d->children = arena_calloc(&d->mem, (d->nchildren + 1) * sizeof *d->children);
  for (size_t i = 0; i < d->nchildren; i++) {
    d->children[i].unit = kids[i];
    d->children[i].parent_name = u->name;
    d->children[i].has_children = has_children(&b, kids[i], day);
  }
  const hier_unit **below;
  size_t nbelow = report_units(&b, u, day, &below);
  d->titles = arena_calloc(&d->mem, ((size_t)t->ntitles + 1) * sizeof *d->titles);
  for (int ti = 0; ti < t->ntitles; ti++) {
    if (!row->c[ti].applies) continue;
    build_title(&b, &d->titles[d->ntitles++], t, ti, row, day, below, nbelow);
  }
  build_measures(&b, row);
  return HT_OK;
}

void dash_free(dashboard *d) {
  arena_free(&d->mem);
  memset(d, 0, sizeof *d);
}

int dash_basis_parse(const char *s) {
  if (!s || !*s || !strcmp(s, "evaluation")) return DASH_BASIS_EVALUATION;
  if (!strcmp(s, "decision")) return DASH_BASIS_DECISION;
  return -1;
}

const char *dash_basis_name(dash_basis b) {
  return b == DASH_BASIS_DECISION ? "decision" : "evaluation";
}
