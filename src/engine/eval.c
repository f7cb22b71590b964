/*
 * eval.c - the vectorised evaluator. A rule is evaluated for a whole
 * selection of elements at once: each node fills a vector of doubles (one per
 * element), so the interpreter's cost is paid per node, not per element.
 * every/any/count/share gather the children of the selected elements from a
 * CSR relation (for the whole population that is the relation's own list, no
 * copy), evaluate their tests as one vector and reduce per parent.
 *
 * Values: numbers; yes/no as 1/0; tot..chua-dat as ranks 3..0; kinds and
 * genders as dictionary ids; NAN for "none" (not entered, no result). A
 * comparison with NAN is false.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/engine_int.h"

int eng__truthy(double v) {
  return v != 0 && !isnan(v);
}

#define ELEM(c, i) ((c)->sel ? (c)->sel[i] : (i))

static eng_title *title_by_key(engine *e, const char *key) {
  for (int i = 0; i < e->ntitles; i++)
    if (!strcmp(e->titles[i].t->key, key)) return &e->titles[i];
  return NULL;
}

static int item_index(const eng_title *t, const char *key) {
  for (int i = 0; i < t->nitems; i++)
    if (!strcmp(t->items[i].ci->key, key)) return i;
  return -1;
}

/* The unit groups of an element: its unit's (persons and households: their
 * village; clans: their village; organisations: their managing unit). */
static uint64_t groups_of(const engine *e, crit_entity kind, int32_t i) {
  const eng_facts *f = &e->f;
  switch (kind) {
    case CRIT_PERSON: return groups_of(e, CRIT_HOUSEHOLD, f->person_household[i]);
    case CRIT_HOUSEHOLD: {
      int32_t v = f->household_village[i];
      return v >= 0 ? f->unit_groups[CRIT_VILLAGE][v] : 0;
    }
    case CRIT_CLAN: {
      int32_t v = f->clan_village[i];
      return v >= 0 ? f->unit_groups[CRIT_VILLAGE][v] : 0;
    }
    case CRIT_ORGANISATION:
      for (int k = CRIT_VILLAGE; k < CRIT_ENTITY_COUNT; k++) {
        if (!ENG_IS_UNIT(k)) continue;
        int32_t u = f->org_up[k][i];
        if (u >= 0) return f->unit_groups[k][u];
      }
      return 0;
    default: return f->unit_groups[kind][i];
  }
}

/* code: 'k' for kind, else the field name's first letter (unique among the facts). */
static double field(const engine *e, crit_entity kind, int32_t i, char code) {
  const eng_facts *f = &e->f;
  if (code == 'k') {
    if (kind == CRIT_ORGANISATION) return f->org_kind[i];
    if (ENG_IS_UNIT(kind)) return f->unit_kind[kind][i];
    return NAN;
  }
  if (kind != CRIT_PERSON) return NAN;
  switch (code) {
    case 'a': return f->year - f->birth_year[i];
    case 'l': return f->literate[i];
    case 'i': return f->in_school[i];
    case 's': return f->school_result[i] < 0 ? NAN : f->school_result[i];
    case 'c': return f->conduct[i] < 0 ? NAN : f->conduct[i];
    case 't': return f->topics[i];
    case 'g': return f->gender[i];
    case 'f': return f->form_group[i] ? f->form_group[i] : NAN;
    default: return NAN;
  }
}

static void fill(double *out, int32_t n, double v) {
  for (int32_t i = 0; i < n; i++) out[i] = v;
}

static int cmp(const char *op, double a, double b) {
  if (isnan(a) || isnan(b)) return 0;
  switch (op[0]) {
    case '=': return fabs(a - b) <= ENG_EPS;
    case '!': return fabs(a - b) > ENG_EPS;
    case '<': return op[1] == '=' ? a <= b + ENG_EPS : a < b - ENG_EPS;
    case '>': return op[1] == '=' ? a >= b - ENG_EPS : a > b + ENG_EPS;
    default: return 0;
  }
}

/* Is x a constant? Then *v is its value. */
static int constant(const engine *e, const crit_expr *x, double *v) {
  switch (x->op) {
    case OP_NUMBER:
    case OP_BOOL:
    case OP_ENUM: *v = x->number; return 1;
    case OP_STRING: *v = eng_dict_find(&e->f, x->name); return 1;
    default: return 0;
  }
}

/* out[i] = out[i] OP k, one loop per operator (NAN compares false). */
static void cmp_const(const char *op, double *out, int32_t n, double k) {
  switch (op[0]) {
    case '=':
      for (int32_t i = 0; i < n; i++) out[i] = fabs(out[i] - k) <= ENG_EPS;
      break;
    case '!':
      for (int32_t i = 0; i < n; i++) out[i] = !isnan(out[i]) && fabs(out[i] - k) > ENG_EPS;
      break;
    case '<':
      if (op[1] == '=')
        for (int32_t i = 0; i < n; i++) out[i] = out[i] <= k + ENG_EPS;
      else
        for (int32_t i = 0; i < n; i++) out[i] = out[i] < k - ENG_EPS;
      break;
    case '>':
      if (op[1] == '=')
        for (int32_t i = 0; i < n; i++) out[i] = out[i] >= k - ENG_EPS;
      else
        for (int32_t i = 0; i < n; i++) out[i] = out[i] > k + ENG_EPS;
      break;
  }
}

/* The persons' facts as straight loops (the hot path of every household rule). */
static int person_field(const engine *e, const ev_ctx *c, char code, double *out) {
  const eng_facts *f = &e->f;
  const int32_t *sel = c->sel;
  int32_t n = c->n;
#define PF(expr)                                       \
  do {                                                 \
    if (sel)                                           \
      for (int32_t i = 0; i < n; i++) {                \
        int32_t j = sel[i];                            \
        out[i] = (expr);                               \
      }                                                \
    else                                               \
      for (int32_t j = 0; j < n; j++) out[j] = (expr); \
  } while (0)
  switch (code) {
    case 'a': PF(f->year - f->birth_year[j]); return 1;
    case 'l': PF(f->literate[j]); return 1;
    case 'i': PF(f->in_school[j]); return 1;
    case 't': PF(f->topics[j]); return 1;
    case 's': PF(f->school_result[j] < 0 ? NAN : f->school_result[j]); return 1;
    case 'c': PF(f->conduct[j] < 0 ? NAN : f->conduct[j]); return 1;
    default: return 0;
  }
#undef PF
}

static int collection_kind(const char *name) {
  switch (name[0]) {
    case 'm':
    case 'p': return CRIT_PERSON;
    case 'h': return CRIT_HOUSEHOLD;
    case 'c': return name[1] == 'l' ? CRIT_CLAN : CRIT_COMMUNE;
    case 'v': return CRIT_VILLAGE;
    case 'o': return CRIT_ORGANISATION;
    case 'd': return CRIT_DISTRICT;
    default: return -1;
  }
}

static void agg_reduce(crit_agg agg, const double *w, const double *t, int32_t from, int32_t to,
                       double *out) {
  int32_t matched = 0, passed = 0;
  for (int32_t j = from; j < to; j++) {
    if (w && !eng__truthy(w[j])) continue;
    matched++;
    if (!t || eng__truthy(t[j])) passed++;
  }
  switch (agg) {
    case AGG_EVERY: *out = passed == matched; break;
    case AGG_ANY: *out = passed > 0; break;
    case AGG_COUNT: *out = matched; break;
    case AGG_SHARE: *out = matched ? (double)passed / matched : 0; break;
  }
}

static void ev_agg(const ev_ctx *c, const crit_expr *x, double *out) {
  engine *e = c->e;
  if (!strcmp(x->name, "items")) {
    /* over this title's items: per element, reduce across the items */
    int32_t n = c->n;
    int32_t *matched = calloc((size_t)n + 1, sizeof *matched);
    int32_t *passed = calloc((size_t)n + 1, sizeof *passed);
    double *w = eng__tmp(e, (size_t)n), *t = eng__tmp(e, (size_t)n);
    for (int k = 0; k < c->t->nitems; k++) {
      ev_ctx ic = *c;
      ic.items_value = c->t->items[k].value;
      if (x->a) eng__ev(&ic, x->a, w);
      if (x->b) eng__ev(&ic, x->b, t);
      for (int32_t i = 0; i < n; i++) {
        if (x->a && !eng__truthy(w[i])) continue;
        matched[i]++;
        if (!x->b || eng__truthy(t[i])) passed[i]++;
      }
    }
    for (int32_t i = 0; i < n; i++) {
      switch (x->agg) {
        case AGG_EVERY: out[i] = passed[i] == matched[i]; break;
        case AGG_ANY: out[i] = passed[i] > 0; break;
        case AGG_COUNT: out[i] = matched[i]; break;
        case AGG_SHARE: out[i] = matched[i] ? (double)passed[i] / matched[i] : 0; break;
      }
    }
    eng__untmp(e, t);
    eng__untmp(e, w);
    free(matched);
    free(passed);
    return;
  }
  int ck = collection_kind(x->name);
  if (ck < 0) {
    fill(out, c->n, NAN);
    return;
  }
  const eng_rel *r = eng__rel(e, c->kind, (crit_entity)ck);
  if (!r) {
    fill(out, c->n, NAN);
    return;
  }
  /* the children of the selection, concatenated, with per-parent segments */
  const int32_t *csel, *seg;
  int32_t *own_sel = NULL, *own_seg = NULL, total;
  if (!c->sel && c->n == e->f.n[c->kind]) {
    csel = r->list;
    seg = r->off;
    total = r->off[c->n];
  } else {
    own_seg = malloc(((size_t)c->n + 1) * sizeof *own_seg);
    total = 0;
    for (int32_t i = 0; i < c->n; i++) {
      int32_t p = ELEM(c, i);
      own_seg[i] = total;
      total += r->off[p + 1] - r->off[p];
    }
    own_seg[c->n] = total;
    own_sel = malloc(((size_t)total + 1) * sizeof *own_sel);
    for (int32_t i = 0; i < c->n; i++) {
      int32_t p = ELEM(c, i);
      memcpy(own_sel + own_seg[i], r->list + r->off[p],
             (size_t)(r->off[p + 1] - r->off[p]) * sizeof *own_sel);
    }
    csel = own_sel;
    seg = own_seg;
  }
  ev_ctx cc = {e, c->t, c->item, NULL, (crit_entity)ck, csel, total};
  double *w = x->a ? eng__tmp(e, (size_t)total) : NULL;
  double *t = x->b ? eng__tmp(e, (size_t)total) : NULL;
  if (w) eng__ev(&cc, x->a, w);
  if (t) eng__ev(&cc, x->b, t);
  for (int32_t i = 0; i < c->n; i++) agg_reduce(x->agg, w, t, seg[i], seg[i + 1], &out[i]);
  if (t) eng__untmp(e, t);
  if (w) eng__untmp(e, w);
  free(own_sel);
  free(own_seg);
}

void eng__ev(const ev_ctx *c, const crit_expr *x, double *out) {
  engine *e = c->e;
  int32_t n = c->n;
  switch (x->op) {
    case OP_NUMBER:
    case OP_BOOL:
    case OP_ENUM: fill(out, n, x->number); return;
    case OP_STRING: {
      int32_t id = eng_dict_find(&e->f, x->name);
      fill(out, n, id < 0 ? -1 : id);
      return;
    }
    case OP_FIELD: {
      char code = !strcmp(x->name, "kind") ? 'k' : x->name[0];
      if (c->kind == CRIT_PERSON && person_field(e, c, code, out)) return;
      for (int32_t i = 0; i < n; i++) out[i] = field(e, c->kind, ELEM(c, i), code);
      return;
    }
    case OP_VALUE: {
      const float *v = c->items_value ? c->items_value : c->item ? c->item->value : NULL;
      for (int32_t i = 0; i < n; i++) out[i] = v ? v[ELEM(c, i)] : NAN;
      return;
    }
    case OP_ITEM: {
      int k = item_index(c->t, x->name);
      for (int32_t i = 0; i < n; i++) out[i] = k >= 0 ? c->t->items[k].value[ELEM(c, i)] : NAN;
      return;
    }
    case OP_TOTAL:
      for (int32_t i = 0; i < n; i++) out[i] = c->t->total[ELEM(c, i)];
      return;
    case OP_GROUP: {
      fill(out, n, 0);
      for (int k = 0; k < c->t->nitems; k++) {
        const eng_item *it = &c->t->items[k];
        if (it->group < 0 || strcmp(c->t->group_keys[it->group], x->name)) continue;
        for (int32_t i = 0; i < n; i++) out[i] += it->result[ELEM(c, i)];
      }
      return;
    }
    case OP_IN_GROUP: {
      int bit = -1;
      for (int g = 0; g < e->f.ngroups; g++)
        if (!strcmp(e->f.groups[g], x->name)) bit = g;
      for (int32_t i = 0; i < n; i++)
        out[i] = bit >= 0 && (groups_of(e, c->kind, ELEM(c, i)) >> bit & 1);
      return;
    }
    case OP_TITLE:
    case OP_TITLE_LEVEL:
    case OP_REGISTERED: {
      const eng_title *o = x->name ? title_by_key(e, x->name) : c->t;
      if (!o || o->kind != c->kind) { /* not in force this year: nobody holds it */
        fill(out, n, 0);
        return;
      }
      for (int32_t i = 0; i < n; i++) {
        int32_t j = ELEM(c, i);
        out[i] = x->op == OP_TITLE         ? o->recognised[j]
                 : x->op == OP_TITLE_LEVEL ? o->level[j]
                                           : o->registered[j];
      }
      return;
    }
    case OP_AGG: ev_agg(c, x, out); return;
    case OP_NOT:
      eng__ev(c, x->a, out);
      for (int32_t i = 0; i < n; i++) out[i] = !eng__truthy(out[i]);
      return;
    case OP_AND:
    case OP_OR: {
      eng__ev(c, x->a, out);
      double *b = eng__tmp(e, (size_t)n);
      eng__ev(c, x->b, b);
      for (int32_t i = 0; i < n; i++)
        out[i] = x->op == OP_AND ? eng__truthy(out[i]) && eng__truthy(b[i])
                                 : eng__truthy(out[i]) || eng__truthy(b[i]);
      eng__untmp(e, b);
      return;
    }
    case OP_CMP: {
      eng__ev(c, x->a, out);
      double k;
      if (constant(e, x->b, &k)) { /* the common case: a threshold */
        cmp_const(x->name, out, n, k);
        return;
      }
      double *b = eng__tmp(e, (size_t)n);
      eng__ev(c, x->b, b);
      for (int32_t i = 0; i < n; i++) out[i] = cmp(x->name, out[i], b[i]);
      eng__untmp(e, b);
      return;
    }
    case OP_BETWEEN: {
      eng__ev(c, x->a, out);
      double klo, khi;
      if (constant(e, x->b, &klo) && constant(e, x->c, &khi)) {
        for (int32_t i = 0; i < n; i++)
          out[i] = out[i] >= klo - ENG_EPS && out[i] <= khi + ENG_EPS; /* NAN: false */
        return;
      }
      double *lo = eng__tmp(e, (size_t)n), *hi = eng__tmp(e, (size_t)n);
      eng__ev(c, x->b, lo);
      eng__ev(c, x->c, hi);
      for (int32_t i = 0; i < n; i++) out[i] = cmp(">=", out[i], lo[i]) && cmp("<=", out[i], hi[i]);
      eng__untmp(e, hi);
      eng__untmp(e, lo);
      return;
    }
  }
  fill(out, n, NAN);
}

/* ---- one title over a selection ---- */

static void eval_item(engine *e, eng_title *t, eng_item *it, const int32_t *sel, int32_t n,
                      double *buf, double *res) {
  const crit_item *ci = it->ci;
  ev_ctx c = {e, t, it, NULL, t->kind, sel, n};
  int levels = t->t->levels;
  double full = levels ? levels : ci->max_points;
  if (ci->value) { /* derived value */
    eng__ev(&c, ci->value, buf);
    for (int32_t i = 0; i < n; i++) it->value[ELEM(&c, i)] = (float)buf[i];
  }
  /* the result before exceptions */
  if (ci->rules) {
    for (int32_t i = 0; i < n; i++) res[i] = 0;
    if (!levels) { /* the first rule that holds gives its points */
      uint8_t *done = calloc((size_t)n + 1, 1);
      for (const crit_points_rule *r = ci->rules; r; r = r->next) {
        eng__ev(&c, r->when, buf);
        for (int32_t i = 0; i < n; i++)
          if (!done[i] && eng__truthy(buf[i])) {
            res[i] = r->points;
            done[i] = 1;
          }
      }
      free(done);
    } else { /* the highest level whose rule holds */
      for (const crit_points_rule *r = ci->rules; r; r = r->next) {
        eng__ev(&c, r->when, buf);
        for (int32_t i = 0; i < n; i++)
          if (eng__truthy(buf[i]) && r->level > res[i]) res[i] = r->level;
      }
    }
  } else if (ci->when) {
    eng__ev(&c, ci->when, buf);
    for (int32_t i = 0; i < n; i++) res[i] = eng__truthy(buf[i]) ? full : 0;
  } else {
    for (int32_t i = 0; i < n; i++) {
      double v = it->value[ELEM(&c, i)];
      if (ci->input == INPUT_NUMBER && !levels)
        res[i] = isnan(v) ? 0 : v < 0 ? 0 : v > full ? full : v;
      else
        res[i] = eng__truthy(v) ? full : 0;
    }
  }
  /* exceptions: missing, evidence, not applicable, override */
  double *applies = NULL;
  if (ci->applies) {
    applies = eng__tmp(e, (size_t)n);
    eng__ev(&c, ci->applies, applies);
  }
  int need_evidence = t->t->evidence_required && it->entered;
  for (int32_t i = 0; i < n; i++) {
    int32_t j = ELEM(&c, i);
    uint8_t fl = it->flags[j] & F_EVIDENCE;
    if (applies && !eng__truthy(applies[i])) {
      fl |= F_NA;
      res[i] = full;
    } else if (it->entered && isnan(it->value[j])) {
      fl |= F_MISSING;
      res[i] = 0;
    } else if (need_evidence && !(fl & F_EVIDENCE)) {
      fl |= F_NO_EVIDENCE;
      res[i] = 0;
    }
    if (t->ov_count) {
      const eng_override *o = eng__override_find(t, j, (int)(it - t->items));
      if (o) {
        fl |= F_OVERRIDE;
        res[i] = o->result;
      }
    }
    it->flags[j] = fl;
    it->result[j] = (float)res[i];
  }
  if (applies) eng__untmp(e, applies);
}

/* Items, total, level and recognition of the entities in sel. */
static void eval_results(engine *e, eng_title *t, const int32_t *sel, int32_t n) {
  const crit_title *ct = t->t;
  ev_ctx c = {e, t, NULL, NULL, t->kind, sel, n};
  double *buf = eng__tmp(e, (size_t)n), *res = eng__tmp(e, (size_t)n);
  for (int k = 0; k < t->nitems; k++) eval_item(e, t, &t->items[k], sel, n, buf, res);
  /* total and level */
  for (int32_t i = 0; i < n; i++) {
    int32_t j = ELEM(&c, i);
    double total = 0;
    int level = ct->levels;
    for (int k = 0; k < t->nitems; k++) {
      double r = t->items[k].result[j];
      total += r;
      if (r < level) level = (int)r;
    }
    t->total[j] = (float)total;
    t->level[j] = (int8_t)(ct->levels ? level : 0);
  }
  if (!ct->levels && ct->recognise) eng__ev(&c, ct->recognise, buf);
  for (int32_t i = 0; i < n; i++) {
    int32_t j = ELEM(&c, i);
    int evaluated = t->eligible[j] && (t->registered[j] || !ct->requires_registration);
    int ok = ct->levels ? t->level[j] >= 1 : eng__truthy(buf[i]);
    t->recognised[j] = evaluated && ok;
    if (!evaluated) t->level[j] = 0;
  }
  eng__untmp(e, res);
  eng__untmp(e, buf);
}

/* A title whose items are all entered, that applies to every entity and that
 * needs registration gives nothing to an entity without any record: every
 * item is "not entered", the total and level are 0, it is not recognised. */
static int sparse(const eng_title *t) {
  if (!t->t->requires_registration) return 0;
  for (int k = 0; k < t->nitems; k++)
    if (!t->items[k].entered || t->items[k].ci->applies) return 0;
  return 1;
}

void eng__eval_title(engine *e, eng_title *t, const int32_t *sel, int32_t n) {
  const crit_title *ct = t->t;
  ev_ctx c = {e, t, NULL, NULL, t->kind, sel, n};
  if (ct->eligible) {
    double *buf = eng__tmp(e, (size_t)n);
    eng__ev(&c, ct->eligible, buf);
    for (int32_t i = 0; i < n; i++) t->eligible[ELEM(&c, i)] = eng__truthy(buf[i]);
    eng__untmp(e, buf);
  } else {
    for (int32_t i = 0; i < n; i++) t->eligible[ELEM(&c, i)] = 1;
  }
  if (sel || !sparse(t)) {
    eval_results(e, t, sel, n);
    return;
  }
  /* the whole population of a sparse title: evaluate only the entities with a record */
  int32_t m = 0;
  int32_t *with = malloc(((size_t)n + 1) * sizeof *with);
  if (!with) abort();
  for (int32_t j = 0; j < n; j++) {
    if (t->touched[j]) {
      with[m++] = j;
      continue;
    }
    for (int k = 0; k < t->nitems; k++) {
      eng_item *it = &t->items[k];
      it->result[j] = 0;
      it->flags[j] = (uint8_t)((it->flags[j] & F_EVIDENCE) | F_MISSING);
    }
    t->total[j] = 0;
    t->level[j] = 0;
    t->recognised[j] = 0;
  }
  if (m) eval_results(e, t, with, m);
  free(with);
}
