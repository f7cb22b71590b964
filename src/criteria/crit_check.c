/*
 * crit_check.c - checks across the titles of a criteria set: references to
 * unknown titles, two versions of a title for the same province and year,
 * and cycles between titles (a title may not depend on itself, directly or
 * through others). O(titles + rule nodes).
 */
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "criteria/crit.h"

static crit_title *find_title(crit_set *set, const char *key) {
  for (crit_title *t = set->titles; t; t = t->next)
    if (!strcmp(t->key, key)) return t;
  return NULL;
}

typedef void (*ref_fn)(crit_set *set, crit_title *from, const crit_expr *ref, void *ctx);

static void walk(crit_set *set, crit_title *from, const crit_expr *e, ref_fn fn, void *ctx) {
  if (!e) return;
  if (e->op == OP_TITLE || e->op == OP_TITLE_LEVEL) fn(set, from, e, ctx);
  walk(set, from, e->a, fn, ctx);
  walk(set, from, e->b, fn, ctx);
  walk(set, from, e->c, fn, ctx);
}

static void walk_title(crit_set *set, crit_title *t, ref_fn fn, void *ctx) {
  for (crit_item *it = t->items; it; it = it->next) {
    walk(set, t, it->value, fn, ctx);
    walk(set, t, it->when, fn, ctx);
    for (crit_points_rule *r = it->rules; r; r = r->next) walk(set, t, r->when, fn, ctx);
  }
  walk(set, t, t->recognise, fn, ctx);
}

static void check_ref(crit_set *set, crit_title *from, const crit_expr *ref, void *ctx) {
  issues *out = ctx;
  out->file = from->file;
  if (ref->name && !find_title(set, ref->name))
    issues_add_at(out, ref->line, ref->col,
                  "title %s refers to unknown title '%s'; check the key or load its criteria file",
                  from->key, ref->name);
}

/* Depth-first search over "depends on" edges; state 1 = on the stack. */
typedef struct dfs {
  crit_set *set;
  issues *out;
  crit_title *stack[64];
  int depth;
  int state[256];
  crit_title *all[256];
  int n;
  int reported;
} dfs;

static int index_of(dfs *d, const crit_title *t) {
  for (int i = 0; i < d->n; i++)
    if (d->all[i] == t) return i;
  return -1;
}

static void visit(dfs *d, crit_title *t);

static void follow(crit_set *set, crit_title *from, const crit_expr *ref, void *ctx) {
  dfs *d = ctx;
  crit_title *to = ref->name ? find_title(set, ref->name) : NULL;
  if (!to || d->reported) return;
  int i = index_of(d, to);
  if (i < 0) return;
  if (d->state[i] == 1) {
    d->out->file = from->file;
    char chain[512] = "";
    size_t len = 0;
    int start = 0;
    while (start < d->depth && d->stack[start] != to) start++;
    for (int k = start; k < d->depth && len < sizeof chain - 80; k++)
      len += (size_t)snprintf(chain + len, sizeof chain - len, "%s -> ", d->stack[k]->key);
    snprintf(chain + len, sizeof chain - len, "%s", to->key);
    issues_add_at(d->out, ref->line, ref->col,
                  "titles depend on each other in a cycle (%s); a title cannot use its own "
                  "result, directly or through others",
                  chain);
    d->reported = 1;
    return;
  }
  if (d->state[i] == 0) visit(d, to);
}

static void visit(dfs *d, crit_title *t) {
  int i = index_of(d, t);
  if (i < 0 || d->depth >= 64) return;
  d->state[i] = 1;
  d->stack[d->depth++] = t;
  walk_title(d->set, t, follow, d);
  d->depth--;
  d->state[i] = 2;
}

int crit_check_set(crit_set *set, issues *out) {
  long before = out->count;
  for (crit_title *t = set->titles; t; t = t->next) {
    walk_title(set, t, check_ref, out);
    for (crit_title *o = set->titles; o != t; o = o->next)
      if (!strcmp(o->key, t->key) && o->province == t->province &&
          o->applies_from == t->applies_from && (out->file = t->file))
        issues_add_at(out, t->line, 1,
                      "title %s applying from %d is defined twice (also on line %d); give one "
                      "of them another applies_from year or a province",
                      t->key, t->applies_from, o->line);
  }
  dfs d;
  memset(&d, 0, sizeof d);
  d.set = set;
  d.out = out;
  for (crit_title *t = set->titles; t && d.n < 256; t = t->next) d.all[d.n++] = t;
  for (int i = 0; i < d.n && !d.reported; i++)
    if (d.state[i] == 0) visit(&d, d.all[i]);
  return out->count > before ? HT_EINVAL : HT_OK;
}
