/*
 * engine.c - the engine's state: facts, titles in dependency order, the
 * relations between kinds, records, reviewer overrides, per-unit counts, and
 * incremental re-evaluation of what a change touches.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "criteria/crit_defaults.h"
#include "engine/engine_int.h"
#include "model/records.h"

/* ---------------------------------------------------------------- facts */

void eng_facts_init(eng_facts *f, int year, int province) {
  memset(f, 0, sizeof *f);
  arena_init(&f->mem, 1 << 20);
  strmap_init(&f->dict_index);
  f->year = year;
  f->province = province;
}

void eng_facts_free(eng_facts *f) {
  strmap_free(&f->dict_index);
  free(f->dict);
  arena_free(&f->mem);
  memset(f, 0, sizeof *f);
}

#define ALLOC(f, p, n) ((p) = arena_alloc(&(f)->mem, ((size_t)(n) + 1) * sizeof *(p)))

void eng_facts_alloc(eng_facts *f, crit_entity kind, int32_t n) {
  f->n[kind] = n;
  switch (kind) {
    case CRIT_PERSON:
      ALLOC(f, f->person_id, n);
      ALLOC(f, f->person_cid, n);
      ALLOC(f, f->person_household, n);
      ALLOC(f, f->birth_year, n);
      ALLOC(f, f->gender, n);
      ALLOC(f, f->literate, n);
      ALLOC(f, f->in_school, n);
      ALLOC(f, f->school_result, n);
      ALLOC(f, f->conduct, n);
      ALLOC(f, f->topics, n);
      f->form_group = arena_calloc(&f->mem, (size_t)n + 1);
      break;
    case CRIT_HOUSEHOLD:
      ALLOC(f, f->household_code, n);
      ALLOC(f, f->household_village, n);
      ALLOC(f, f->household_clan, n);
      break;
    case CRIT_CLAN:
      ALLOC(f, f->clan_code, n);
      ALLOC(f, f->clan_village, n);
      break;
    case CRIT_ORGANISATION:
      ALLOC(f, f->org_code, n);
      ALLOC(f, f->org_kind, n);
      ALLOC(f, f->org_member_off, n + 1);
      for (int k = 0; k < CRIT_ENTITY_COUNT; k++)
        if (ENG_IS_UNIT(k)) {
          ALLOC(f, f->org_up[k], n);
          for (int32_t i = 0; i < n; i++) f->org_up[k][i] = -1;
        }
      break;
    default:
      ALLOC(f, f->unit_code[kind], n);
      ALLOC(f, f->unit_kind[kind], n);
      ALLOC(f, f->unit_groups[kind], n);
      for (int k = 0; k < CRIT_ENTITY_COUNT; k++)
        if (ENG_IS_UNIT(k) && k > (int)kind) {
          ALLOC(f, f->unit_up[kind][k], n);
          for (int32_t i = 0; i < n; i++) f->unit_up[kind][k][i] = -1;
        }
      break;
  }
}

int32_t eng_dict_find(const eng_facts *f, const char *s) {
  int64_t v;
  return strmap_get(&f->dict_index, s, &v) ? (int32_t)v : -1;
}

int32_t eng_dict(eng_facts *f, const char *s) {
  int32_t id = eng_dict_find(f, s);
  if (id >= 0) return id;
  if (f->ndict == f->dict_cap) {
    f->dict_cap = f->dict_cap ? f->dict_cap * 2 : 32;
    f->dict = realloc(f->dict, (size_t)f->dict_cap * sizeof *f->dict);
    if (!f->dict) abort();
  }
  const char *copy = arena_strdup(&f->mem, s);
  f->dict[f->ndict] = copy;
  strmap_put(&f->dict_index, copy, f->ndict);
  return f->ndict++;
}

uint64_t eng_groups_mask(eng_facts *f, const char *list) {
  uint64_t mask = 0;
  while (list && *list) {
    const char *end = strchr(list, '|');
    size_t len = end ? (size_t)(end - list) : strlen(list);
    int g = -1;
    for (int i = 0; i < f->ngroups; i++)
      if (strlen(f->groups[i]) == len && !strncmp(f->groups[i], list, len)) g = i;
    if (g < 0 && len && f->ngroups < ENG_MAX_GROUPS) {
      g = f->ngroups++;
      f->groups[g] = arena_strndup(&f->mem, list, len);
    }
    if (g >= 0) mask |= (uint64_t)1 << g;
    list = end ? end + 1 : NULL;
  }
  return mask;
}

/* ------------------------------------------------------------ scratch */

double *eng__tmp(engine *e, size_t n) {
  if (n == 0) n = 1;
  for (int i = e->nscratch - 1; i >= 0; i--) /* reuse a free block that is big enough */
    if (e->scratch_cap[i] >= n) {
      double *p = e->scratch[i];
      e->scratch[i] = e->scratch[e->nscratch - 1];
      e->scratch_cap[i] = e->scratch_cap[e->nscratch - 1];
      e->nscratch--;
      return p;
    }
  double *p = malloc(n * sizeof *p + sizeof(size_t) * 2);
  if (!p) abort();
  ((size_t *)p)[0] = n;
  return (double *)((size_t *)p + 2);
}

void eng__untmp(engine *e, double *p) {
  size_t *base = (size_t *)p - 2;
  if (e->nscratch == 64) {
    free(base);
    return;
  }
  e->scratch[e->nscratch] = p;
  e->scratch_cap[e->nscratch++] = base[0];
}

/* ------------------------------------------------------ ownership, relations */

int32_t eng__owner(const engine *e, crit_entity kind, int32_t i, crit_entity level) {
  const eng_facts *f = &e->f;
  if (i < 0) return -1;
  if (kind == level) return i;
  switch (kind) {
    case CRIT_PERSON:
      if (level == CRIT_ORGANISATION) return -1; /* many: see the membership relation */
      return eng__owner(e, CRIT_HOUSEHOLD, f->person_household[i], level);
    case CRIT_HOUSEHOLD:
      if (level == CRIT_CLAN) return f->household_clan[i];
      if (level == CRIT_VILLAGE) return f->household_village[i];
      if (!ENG_IS_UNIT(level)) return -1;
      return eng__owner(e, CRIT_VILLAGE, f->household_village[i], level);
    case CRIT_CLAN:
      if (!ENG_IS_UNIT(level)) return -1;
      return eng__owner(e, CRIT_VILLAGE, f->clan_village[i], level);
    case CRIT_ORGANISATION: return ENG_IS_UNIT(level) ? f->org_up[level][i] : -1;
    default:
      if (!ENG_IS_UNIT(level) || level < kind || !f->unit_up[kind][level]) return -1;
      return f->unit_up[kind][level][i];
  }
}

int32_t eng_owner(const engine *e, crit_entity kind, int32_t entity, crit_entity level) {
  return eng__owner(e, kind, entity, level);
}

const int32_t *eng__owners(engine *e, crit_entity kind, crit_entity level) {
  int32_t **slot = &e->own[kind][level];
  if (!*slot) {
    int32_t n = e->f.n[kind];
    *slot = malloc(((size_t)n + 1) * sizeof **slot);
    if (!*slot) abort();
    for (int32_t i = 0; i < n; i++) (*slot)[i] = eng__owner(e, kind, i, level);
  }
  return *slot;
}

/* Builds (once) the CSR of the elements of kind child below each entity of
 * kind parent, by a counting sort on their owner. O(n[child] + n[parent]). */
const eng_rel *eng__rel(engine *e, crit_entity parent, crit_entity child) {
  if (!crit_contains(parent, child)) return NULL;
  eng_rel *r = &e->rel[parent][child];
  if (r->built) return r;
  eng_facts *f = &e->f;
  int32_t np = f->n[parent], nc = f->n[child];
  if (parent == CRIT_ORGANISATION) {
    r->off = f->org_member_off;
    r->list = f->org_member;
  } else {
    r->off = calloc((size_t)np + 2, sizeof *r->off);
    const int32_t *own = eng__owners(e, child, parent);
    if (!r->off) abort();
    for (int32_t c = 0; c < nc; c++)
      if (own[c] >= 0) r->off[own[c] + 1]++;
    for (int32_t p = 0; p < np; p++) r->off[p + 1] += r->off[p];
    r->list = malloc(((size_t)r->off[np] + 1) * sizeof *r->list);
    int32_t *pos = malloc(((size_t)np + 1) * sizeof *pos);
    if (!r->list || !pos) abort();
    memcpy(pos, r->off, (size_t)np * sizeof *pos);
    for (int32_t c = 0; c < nc; c++)
      if (own[c] >= 0) r->list[pos[own[c]]++] = c;
    free(pos);
  }
  r->built = 1;
  return r;
}

static void build_person_orgs(engine *e) {
  if (e->person_org_off) return;
  eng_facts *f = &e->f;
  int32_t np = f->n[CRIT_PERSON], no = f->n[CRIT_ORGANISATION];
  e->person_org_off = calloc((size_t)np + 2, sizeof *e->person_org_off);
  int32_t total = no ? f->org_member_off[no] : 0;
  e->person_org = malloc(((size_t)total + 1) * sizeof *e->person_org);
  int32_t *pos = malloc(((size_t)np + 1) * sizeof *pos);
  if (!e->person_org_off || !e->person_org || !pos) abort();
  for (int32_t k = 0; k < total; k++) e->person_org_off[f->org_member[k] + 1]++;
  for (int32_t p = 0; p < np; p++) e->person_org_off[p + 1] += e->person_org_off[p];
  memcpy(pos, e->person_org_off, (size_t)np * sizeof *pos);
  for (int32_t o = 0; o < no; o++)
    for (int32_t k = f->org_member_off[o]; k < f->org_member_off[o + 1]; k++)
      e->person_org[pos[f->org_member[k]]++] = o;
  free(pos);
}

/* ------------------------------------------------------------ creation */

static void collect_refs(const crit_expr *x, const char **refs, int *n) {
  if (!x) return;
  if ((x->op == OP_TITLE || x->op == OP_TITLE_LEVEL) && x->name && *n < 64) refs[(*n)++] = x->name;
  collect_refs(x->a, refs, n);
  collect_refs(x->b, refs, n);
  collect_refs(x->c, refs, n);
}

static int title_refs(const crit_title *t, const char **refs) {
  int n = 0;
  collect_refs(t->eligible, refs, &n);
  collect_refs(t->recognise, refs, &n);
  for (const crit_item *it = t->items; it; it = it->next) {
    collect_refs(it->applies, refs, &n);
    collect_refs(it->value, refs, &n);
    collect_refs(it->when, refs, &n);
    for (const crit_points_rule *r = it->rules; r; r = r->next) collect_refs(r->when, refs, &n);
  }
  return n;
}

/* Depth-first: a title comes after every title it refers to. */
static void order_titles(const crit_title **in, int n, const crit_title **out, int *nout,
                         int *state, int i) {
  if (state[i]) return;
  state[i] = 1;
  const char *refs[64];
  int nr = title_refs(in[i], refs);
  for (int r = 0; r < nr; r++)
    for (int j = 0; j < n; j++)
      if (!strcmp(in[j]->key, refs[r])) order_titles(in, n, out, nout, state, j);
  out[(*nout)++] = in[i];
}

static void init_title(engine *e, eng_title *t, const crit_title *ct) {
  int32_t n = e->f.n[ct->entity];
  t->t = ct;
  t->kind = ct->entity;
  t->n = n;
  for (const crit_group *g = ct->groups; g; g = g->next) t->ngroups++;
  t->group_keys = calloc((size_t)t->ngroups + 1, sizeof *t->group_keys);
  int gi = 0;
  for (const crit_group *g = ct->groups; g; g = g->next) t->group_keys[gi++] = g->key;
  for (const crit_item *it = ct->items; it; it = it->next) t->nitems++;
  t->items = calloc((size_t)t->nitems + 1, sizeof *t->items);
  int k = 0;
  for (const crit_item *it = ct->items; it; it = it->next, k++) {
    eng_item *x = &t->items[k];
    x->ci = it;
    x->entered = it->input != INPUT_NONE;
    x->group = -1;
    for (int g = 0; g < t->ngroups; g++)
      if (it->group && !strcmp(it->group, t->group_keys[g])) x->group = g;
    x->value = malloc(((size_t)n + 1) * sizeof *x->value);
    x->result = calloc((size_t)n + 1, sizeof *x->result);
    x->flags = calloc((size_t)n + 1, 1);
    if (!x->value || !x->result || !x->flags) abort();
    for (int32_t i = 0; i < n; i++) x->value[i] = NAN;
  }
  t->registered = calloc((size_t)n + 1, 1);
  t->touched = calloc((size_t)n + 1, 1);
  t->eligible = calloc((size_t)n + 1, 1);
  t->recognised = calloc((size_t)n + 1, 1);
  t->level = calloc((size_t)n + 1, 1);
  t->total = calloc((size_t)n + 1, sizeof *t->total);
  t->counted = calloc((size_t)n + 1, 1);
  t->held = calloc((size_t)n + 1, 1);
  if (!t->registered || !t->eligible || !t->recognised || !t->level || !t->total || !t->counted ||
      !t->held)
    abort();
  for (int kk = 0; kk < CRIT_ENTITY_COUNT; kk++)
    if (ENG_IS_UNIT(kk) && (kk == (int)t->kind || crit_contains((crit_entity)kk, t->kind)))
      t->counts[kk] = calloc((size_t)e->f.n[kk] + 1, sizeof(eng_counts));
}

/* A full 64-bit mix (ids are app-generated and may share their low bits). */
static uint64_t mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

static void pid_put(engine *e, int64_t id, int32_t idx) {
  uint64_t h = mix64((uint64_t)id);
  for (uint64_t i = h & e->pid_mask;; i = (i + 1) & e->pid_mask)
    if (e->pid_vals[i] < 0) {
      e->pid_keys[i] = id;
      e->pid_vals[i] = idx;
      return;
    }
}

static int32_t pid_get(const engine *e, int64_t id) {
  if (!e->pid_vals) return -1;
  uint64_t h = mix64((uint64_t)id);
  for (uint64_t i = h & e->pid_mask;; i = (i + 1) & e->pid_mask) {
    if (e->pid_vals[i] < 0) return -1;
    if (e->pid_keys[i] == id) return e->pid_vals[i];
  }
}

static void build_indexes(engine *e) {
  eng_facts *f = &e->f;
  for (int k = 0; k < CRIT_ENTITY_COUNT; k++) strmap_init(&e->code_index[k]);
  int32_t np = f->n[CRIT_PERSON];
  uint64_t cap = 16;
  while (cap < (uint64_t)np * 2) cap <<= 1;
  e->pid_mask = cap - 1;
  e->pid_keys = malloc(cap * sizeof *e->pid_keys);
  e->pid_vals = malloc(cap * sizeof *e->pid_vals);
  if (!e->pid_keys || !e->pid_vals) abort();
  memset(e->pid_vals, 0xff, cap * sizeof *e->pid_vals);
  for (int32_t i = 0; i < np; i++) {
    pid_put(e, f->person_id[i], i);
  } /* the citizen-ID index is built on first use (eng_find) */
  for (int32_t i = 0; i < f->n[CRIT_HOUSEHOLD]; i++)
    strmap_put(&e->code_index[CRIT_HOUSEHOLD], f->household_code[i], i);
  for (int32_t i = 0; i < f->n[CRIT_CLAN]; i++)
    strmap_put(&e->code_index[CRIT_CLAN], f->clan_code[i], i);
  for (int32_t i = 0; i < f->n[CRIT_ORGANISATION]; i++)
    strmap_put(&e->code_index[CRIT_ORGANISATION], f->org_code[i], i);
  for (int k = 0; k < CRIT_ENTITY_COUNT; k++)
    if (ENG_IS_UNIT(k))
      for (int32_t i = 0; i < f->n[k]; i++) strmap_put(&e->code_index[k], f->unit_code[k][i], i);
}

int eng_create(const crit_set *set, eng_facts *facts, engine **out, ht_err *err) {
  *out = NULL;
  engine *e = calloc(1, sizeof *e);
  if (!e) abort();
  e->set = set;
  e->f = *facts;
  memset(facts, 0, sizeof *facts);
  /* the titles in force: one version per key */
  const crit_title *in[256], *ordered[256];
  int n = 0;
  for (const crit_title *t = set->titles; t && n < 256; t = t->next) {
    int seen = 0;
    for (int i = 0; i < n; i++) seen |= !strcmp(in[i]->key, t->key);
    if (seen) continue;
    const crit_title *f = crit_in_force(set, t->key, e->f.year, e->f.province);
    if (f && f->entity < CRIT_ENTITY_COUNT) in[n++] = f;
  }
  int state[256] = {0}, nout = 0;
  for (int i = 0; i < n; i++) order_titles(in, n, ordered, &nout, state, i);
  e->ntitles = nout;
  e->titles = calloc((size_t)nout + 1, sizeof *e->titles);
  for (int i = 0; i < nout; i++) init_title(e, &e->titles[i], ordered[i]);
  for (int k = 0; k < CRIT_ENTITY_COUNT; k++) {
    e->dirty[k].mark = calloc((size_t)e->f.n[k] + 1, 1);
    if (!e->dirty[k].mark) abort();
  }
  build_indexes(e);
  (void)err;
  *out = e;
  return HT_OK;
}

void eng_free(engine *e) {
  if (!e) return;
  for (int i = 0; i < e->ntitles; i++) {
    eng_title *t = &e->titles[i];
    for (int k = 0; k < t->nitems; k++) {
      free(t->items[k].value);
      free(t->items[k].result);
      free(t->items[k].flags);
    }
    free(t->items);
    free(t->group_keys);
    free(t->registered);
    free(t->touched);
    free(t->eligible);
    free(t->recognised);
    free(t->level);
    free(t->total);
    free(t->counted);
    free(t->held);
    free(t->ov);
    for (int k = 0; k < CRIT_ENTITY_COUNT; k++) free(t->counts[k]);
  }
  free(e->titles);
  for (int p = 0; p < CRIT_ENTITY_COUNT; p++)
    for (int c = 0; c < CRIT_ENTITY_COUNT; c++)
      if (e->rel[p][c].built && p != CRIT_ORGANISATION) {
        free(e->rel[p][c].off);
        free(e->rel[p][c].list);
      }
  for (int p = 0; p < CRIT_ENTITY_COUNT; p++)
    for (int c = 0; c < CRIT_ENTITY_COUNT; c++) free(e->own[p][c]);
  free(e->person_org_off);
  free(e->person_org);
  for (int k = 0; k < CRIT_ENTITY_COUNT; k++) {
    strmap_free(&e->code_index[k]);
    free(e->dirty[k].mark);
    free(e->dirty[k].list);
  }
  free(e->pid_keys);
  free(e->pid_vals);
  for (int i = 0; i < e->nscratch; i++) free((size_t *)e->scratch[i] - 2);
  eng_facts_free(&e->f);
  free(e);
}

const eng_facts *eng_facts_of(const engine *e) {
  return &e->f;
}
int eng_year(const engine *e) {
  return e->f.year;
}

/* ------------------------------------------------------------ changes */

static void mark(engine *e, crit_entity kind, int32_t i) {
  eng_dirty *d = &e->dirty[kind];
  if (i < 0 || i >= e->f.n[kind] || d->mark[i]) return;
  d->mark[i] = 1;
  if (d->n == d->cap) {
    d->cap = d->cap ? d->cap * 2 : 64;
    d->list = realloc(d->list, (size_t)d->cap * sizeof *d->list);
    if (!d->list) abort();
  }
  d->list[d->n++] = i;
}

static eng_title *find_title(engine *e, const char *key) {
  for (int i = 0; i < e->ntitles; i++)
    if (!strcmp(e->titles[i].t->key, key)) return &e->titles[i];
  return NULL;
}

static int find_item(const eng_title *t, const char *key, size_t len) {
  for (int k = 0; k < t->nitems; k++)
    if (strlen(t->items[k].ci->key) == len && !strncmp(t->items[k].ci->key, key, len)) return k;
  return -1;
}

int eng_put_record(engine *e, const char *title, int32_t entity, int registered, int form_group,
                   const char *vals, int *ignored) {
  eng_title *t = find_title(e, title);
  if (!t) return HT_ENOTFOUND;
  if (entity < 0 || entity >= t->n) return HT_EINVAL;
  t->registered[entity] = registered != 0;
  t->touched[entity] = 1;
  if (t->kind == CRIT_PERSON) e->f.form_group[entity] = (int8_t)form_group;
  for (int k = 0; k < t->nitems; k++)
    if (t->items[k].entered) t->items[k].value[entity] = NAN;
  const char *cursor = vals ? vals : "";
  char key[REC_KEY_MAX];
  double v;
  for (;;) {
    int rc = rec_vals_next(&cursor, key, sizeof key, &v);
    if (rc == 0) break;
    if (rc == 1) {
      int k = find_item(t, key, strlen(key));
      if (k >= 0 && t->items[k].entered) {
        t->items[k].value[entity] = (float)v;
        continue;
      }
    } else { /* a malformed pair ("KEY=", "KEY=abc"): skip to the next one */
      const char *semi = strchr(cursor, ';');
      cursor = semi ? semi + 1 : cursor + strlen(cursor);
    }
    if (ignored) (*ignored)++;
  }
  mark(e, t->kind, entity);
  return HT_OK;
}

int eng_put_held(engine *e, const char *title, int32_t entity, int held) {
  eng_title *t = find_title(e, title);
  if (!t) return HT_ENOTFOUND;
  if (entity < 0 || entity >= t->n) return HT_EINVAL;
  if (t->held[entity] == (held != 0)) return HT_OK;
  t->held[entity] = held != 0;
  mark(e, t->kind, entity);
  return HT_OK;
}

int eng_put_evidence(engine *e, const char *title, int32_t entity, const char *item, int has) {
  eng_title *t = find_title(e, title);
  if (!t) return HT_ENOTFOUND;
  int k = find_item(t, item, strlen(item));
  if (k < 0 || entity < 0 || entity >= t->n) return HT_EINVAL;
  t->touched[entity] = 1;
  if (has)
    t->items[k].flags[entity] |= F_EVIDENCE;
  else
    t->items[k].flags[entity] &= (uint8_t)~F_EVIDENCE;
  mark(e, t->kind, entity);
  return HT_OK;
}

static uint64_t ov_hash(int32_t entity, int item) {
  return mix64((uint64_t)(uint32_t)entity * 64 + (uint64_t)item);
}

const eng_override *eng__override_find(const eng_title *t, int32_t entity, int item) {
  if (!t->ov_cap) return NULL;
  uint64_t mask = (uint64_t)t->ov_cap - 1;
  for (uint64_t i = ov_hash(entity, item) & mask;; i = (i + 1) & mask) {
    const eng_override *o = &t->ov[i];
    if (!o->used) return NULL;
    if (o->entity == entity && o->item == item) return isnan(o->result) ? NULL : o;
  }
}

static void ov_insert(eng_title *t, int32_t entity, int item, double result) {
  if ((t->ov_count + 1) * 2 > t->ov_cap) {
    eng_override *old = t->ov;
    int32_t oldcap = t->ov_cap;
    t->ov_cap = oldcap ? oldcap * 2 : 64;
    t->ov = calloc((size_t)t->ov_cap, sizeof *t->ov);
    if (!t->ov) abort();
    t->ov_count = 0;
    for (int32_t i = 0; i < oldcap; i++)
      if (old[i].used) ov_insert(t, old[i].entity, old[i].item, old[i].result);
    free(old);
  }
  uint64_t mask = (uint64_t)t->ov_cap - 1;
  for (uint64_t i = ov_hash(entity, item) & mask;; i = (i + 1) & mask) {
    eng_override *o = &t->ov[i];
    if (o->used && (o->entity != entity || o->item != item)) continue;
    if (!o->used) t->ov_count++;
    o->used = 1;
    o->entity = entity;
    o->item = (int16_t)item;
    o->result = result;
    return;
  }
}

int eng_put_override(engine *e, const char *title, int32_t entity, const char *item, double result,
                     int clear) {
  eng_title *t = find_title(e, title);
  if (!t) return HT_ENOTFOUND;
  int k = find_item(t, item, strlen(item));
  if (k < 0 || entity < 0 || entity >= t->n) return HT_EINVAL;
  ov_insert(t, entity, k, clear ? NAN : result); /* a cleared override stays as a tombstone */
  t->touched[entity] = 1;
  mark(e, t->kind, entity);
  return HT_OK;
}

int eng_set_person(engine *e, int32_t p, const char *field, int value) {
  eng_facts *f = &e->f;
  if (p < 0 || p >= f->n[CRIT_PERSON]) return HT_EINVAL;
  if (!strcmp(field, "literate"))
    f->literate[p] = value != 0;
  else if (!strcmp(field, "in_school"))
    f->in_school[p] = value != 0;
  else if (!strcmp(field, "school_result"))
    f->school_result[p] = (int8_t)value;
  else if (!strcmp(field, "conduct"))
    f->conduct[p] = (int8_t)value;
  else if (!strcmp(field, "topics"))
    f->topics[p] = (uint16_t)value;
  else
    return HT_EINVAL;
  mark(e, CRIT_PERSON, p);
  return HT_OK;
}

/* ------------------------------------------------------------ evaluation */

/* Adds entity j to the counts of its units (sign +1, remembering what it
 * added in t->counted) or takes back exactly what it added (sign -1): its
 * registration may have changed since (eng_put_record), and taking back the
 * new value would leave the counts off by one. */
static void count(eng_title *t, engine *e, int32_t j, int sign) {
  const crit_title *ct = t->t;
  uint8_t m = 0;
  if (sign > 0) {
    if (t->eligible[j]) {
      m = C_ELIGIBLE;
      if (t->registered[j]) m |= C_REGISTERED;
      if (t->registered[j] || !ct->requires_registration) m |= C_EVALUATED;
      if (t->recognised[j]) m |= C_RECOGNISED;
      if (ct->levels && t->recognised[j] && t->level[j] >= 2) m |= C_LEVEL2;
      if (t->held[j]) m |= C_HELD;
    }
    t->counted[j] = m;
  } else {
    m = t->counted[j];
    t->counted[j] = 0;
  }
  if (!(m & C_ELIGIBLE)) return;
  int reg = !!(m & C_REGISTERED), evald = !!(m & C_EVALUATED), rec = !!(m & C_RECOGNISED);
  int l2 = !!(m & C_LEVEL2), held = !!(m & C_HELD);
  for (int k = 0; k < CRIT_ENTITY_COUNT; k++) {
    if (!t->counts[k]) continue;
    int32_t u = eng__owners(e, t->kind, (crit_entity)k)[j];
    if (u < 0) continue;
    eng_counts *c = &t->counts[k][u];
    c->eligible += sign;
    c->registered += sign * reg;
    c->evaluated += sign * evald;
    c->recognised += sign * rec;
    c->level2 += sign * l2;
    c->held += sign * held;
  }
}

static void clear_dirty(engine *e) {
  for (int k = 0; k < CRIT_ENTITY_COUNT; k++) {
    eng_dirty *d = &e->dirty[k];
    for (int32_t i = 0; i < d->n; i++) d->mark[d->list[i]] = 0;
    d->n = 0;
  }
}

void eng_evaluate(engine *e) {
  for (int i = 0; i < e->ntitles; i++) {
    eng_title *t = &e->titles[i];
    eng__eval_title(e, t, NULL, t->n);
    for (int k = 0; k < CRIT_ENTITY_COUNT; k++)
      if (t->counts[k]) memset(t->counts[k], 0, (size_t)e->f.n[k] * sizeof(eng_counts));
    for (int32_t j = 0; j < t->n; j++) count(t, e, j, +1);
  }
  clear_dirty(e);
  e->evaluated = 1;
}

/* The order in which containment is closed: every kind before its containers. */
static const crit_entity close_order[] = {CRIT_PERSON,       CRIT_HOUSEHOLD, CRIT_CLAN,
                                          CRIT_ORGANISATION, CRIT_VILLAGE,   CRIT_COMMUNE,
                                          CRIT_DISTRICT,     CRIT_PROVINCE};

void eng_flush(engine *e) {
  if (!e->evaluated) {
    eng_evaluate(e);
    return;
  }
  /* everything that contains a changed element may change too */
  for (size_t o = 0; o < sizeof close_order / sizeof close_order[0]; o++) {
    crit_entity k = close_order[o];
    eng_dirty *d = &e->dirty[k];
    for (int32_t i = 0; i < d->n; i++) {
      int32_t j = d->list[i];
      for (int p = 0; p < CRIT_ENTITY_COUNT; p++) {
        if (!crit_contains((crit_entity)p, k)) continue;
        if (p == CRIT_ORGANISATION && k == CRIT_PERSON) {
          build_person_orgs(e);
          for (int32_t m = e->person_org_off[j]; m < e->person_org_off[j + 1]; m++)
            mark(e, CRIT_ORGANISATION, e->person_org[m]);
        } else {
          mark(e, (crit_entity)p, eng__owner(e, k, j, (crit_entity)p));
        }
      }
    }
  }
  for (int i = 0; i < e->ntitles; i++) {
    eng_title *t = &e->titles[i];
    eng_dirty *d = &e->dirty[t->kind];
    if (!d->n) continue;
    for (int32_t s = 0; s < d->n; s++) count(t, e, d->list[s], -1);
    eng__eval_title(e, t, d->list, d->n);
    for (int32_t s = 0; s < d->n; s++) count(t, e, d->list[s], +1);
  }
  clear_dirty(e);
}

/* ------------------------------------------------------------ reading */

int eng_title_count(const engine *e) {
  return e->ntitles;
}

const crit_title *eng_title_at(const engine *e, int i) {
  return i >= 0 && i < e->ntitles ? e->titles[i].t : NULL;
}

int eng_title_find(const engine *e, const char *key) {
  for (int i = 0; i < e->ntitles; i++)
    if (!strcmp(e->titles[i].t->key, key)) return i;
  return -1;
}

void eng_result_of(const engine *e, int title, int32_t j, eng_result *out) {
  const eng_title *t = &e->titles[title];
  out->eligible = t->eligible[j];
  out->registered = t->registered[j];
  out->evaluated = t->eligible[j] && (t->registered[j] || !t->t->requires_registration);
  out->recognised = t->recognised[j];
  out->level = t->level[j];
  out->total = t->total[j];
  out->held = t->held[j];
}

double eng_item_result(const engine *e, int title, int item, int32_t j) {
  return e->titles[title].items[item].result[j];
}

double eng_item_value(const engine *e, int title, int item, int32_t j) {
  return e->titles[title].items[item].value[j];
}

const crit_item *eng_item_at(const engine *e, int title, int item) {
  return e->titles[title].items[item].ci;
}

int eng_item_count(const engine *e, int title) {
  return e->titles[title].nitems;
}

eng_counts eng_counts_of(const engine *e, int title, crit_entity kind, int32_t unit) {
  eng_counts z = {0, 0, 0, 0, 0, 0};
  const eng_title *t = &e->titles[title];
  if (!t->counts[kind] || unit < 0 || unit >= e->f.n[kind]) return z;
  return t->counts[kind][unit];
}

int32_t eng_find_person(const engine *e, int64_t id) {
  return pid_get(e, id);
}

int32_t eng_find(const engine *e, crit_entity kind, const char *code) {
  int64_t v;
  if (kind == CRIT_PERSON && code[0] == 'P') {
    char *end;
    long long id = strtoll(code + 1, &end, 10);
    return *end || end == code + 1 ? -1 : pid_get(e, id);
  }
  if (kind == CRIT_PERSON && !e->cid_built) { /* built once; engines are used under a lock */
    engine *m = (engine *)e;
    for (int32_t i = 0; i < e->f.n[CRIT_PERSON]; i++)
      if (e->f.person_cid[i]) strmap_put(&m->code_index[CRIT_PERSON], e->f.person_cid[i], i);
    m->cid_built = 1;
  }
  return strmap_get(&e->code_index[kind], code, &v) ? (int32_t)v : -1;
}

void eng_code(const engine *e, crit_entity kind, int32_t j, strbuf *b) {
  const eng_facts *f = &e->f;
  switch (kind) {
    case CRIT_PERSON:
      if (f->person_cid[j])
        strbuf_puts(b, f->person_cid[j]);
      else
        strbuf_printf(b, "P%lld", (long long)f->person_id[j]);
      break;
    case CRIT_HOUSEHOLD: strbuf_puts(b, f->household_code[j]); break;
    case CRIT_CLAN: strbuf_puts(b, f->clan_code[j]); break;
    case CRIT_ORGANISATION: strbuf_puts(b, f->org_code[j]); break;
    default: strbuf_puts(b, f->unit_code[kind][j]); break;
  }
}
