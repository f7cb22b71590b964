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
  if (e->op == OP_TITLE || e->op == OP_TITLE_LEVEL || (e->op == OP_REGISTERED && e->name))
    fn(set, from, e, ctx);
  walk(set, from, e->a, fn, ctx);
  walk(set, from, e->b, fn, ctx);
  walk(set, from, e->c, fn, ctx);
}

static void walk_title(crit_set *set, crit_title *t, ref_fn fn, void *ctx) {
  walk(set, t, t->eligible, fn, ctx);
  for (crit_item *it = t->items; it; it = it->next) {
    walk(set, t, it->applies, fn, ctx);
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
  if (ref->op == OP_REGISTERED) return; /* a registration is an input, not a result */
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

/* ---- scopes: which facts, collections and titles make sense where ---- */

/* What each entity contains (docs/criteria-format.md, "Rules"). */
static int collection_kind(const char *name, crit_entity *kind) {
  static const struct {
    const char *name;
    crit_entity kind;
  } map[] = {{"members", CRIT_PERSON},       {"persons", CRIT_PERSON},
             {"households", CRIT_HOUSEHOLD}, {"clans", CRIT_CLAN},
             {"villages", CRIT_VILLAGE},     {"organisations", CRIT_ORGANISATION},
             {"communes", CRIT_COMMUNE},     {"districts", CRIT_DISTRICT}};
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (!strcmp(name, map[i].name)) {
      *kind = map[i].kind;
      return 1;
    }
  return 0;
}

int crit_contains(crit_entity parent, crit_entity child) {
  switch (parent) {
    case CRIT_PERSON: return 0;
    case CRIT_HOUSEHOLD:
    case CRIT_ORGANISATION: return child == CRIT_PERSON;
    case CRIT_CLAN: return child == CRIT_PERSON || child == CRIT_HOUSEHOLD;
    case CRIT_VILLAGE:
      return child == CRIT_PERSON || child == CRIT_HOUSEHOLD || child == CRIT_CLAN ||
             child == CRIT_ORGANISATION;
    case CRIT_COMMUNE: return child < CRIT_COMMUNE;
    case CRIT_DISTRICT: return child < CRIT_DISTRICT;
    case CRIT_PROVINCE: return child < CRIT_PROVINCE;
    default: return 0;
  }
}

typedef struct scope {
  crit_set *set;
  crit_title *t;
  const crit_item *item; /* the item whose rule this is, or NULL */
  issues *out;
} scope;

static void scoped(scope *s, const crit_expr *e, crit_entity kind, int top, int in_items) {
  if (!e) return;
  issues *out = s->out;
  crit_entity ek = s->t->entity;
  switch (e->op) {
    case OP_FIELD:
      if (!strcmp(e->name, "kind")) {
        if (kind < CRIT_ORGANISATION)
          issues_add_at(out, e->line, e->col,
                        "'kind' is a fact of organisations and administrative units, not of a "
                        "%s",
                        crit_entity_name(kind));
      } else if (kind != CRIT_PERSON) {
        issues_add_at(out, e->line, e->col,
                      "'%s' is a fact of a person, but here the rule looks at a %s; go over "
                      "members (e.g. every members : %s)",
                      e->name, crit_entity_name(kind), e->name);
      }
      break;
    case OP_VALUE:
      if (!s->item && !in_items)
        issues_add_at(out, e->line, e->col,
                      "'value' means an item's value; outside an item say which one with "
                      "'item KEY', or go over 'items'");
      break;
    case OP_ITEM:
    case OP_TOTAL:
    case OP_GROUP:
      if (!top)
        issues_add_at(out, e->line, e->col,
                      "'%s' is about the %s being evaluated; it cannot be used inside "
                      "every/any/count/share over other entities",
                      e->op == OP_TOTAL  ? "total"
                      : e->op == OP_ITEM ? "item"
                                         : "group",
                      crit_entity_name(ek));
      if (e->op == OP_ITEM && e->name) {
        const crit_item *found = NULL;
        for (const crit_item *it = s->t->items; it; it = it->next)
          if (!strcmp(it->key, e->name)) found = it;
        if (!found)
          issues_add_at(out, e->line, e->col, "title %s has no item '%s'", s->t->key, e->name);
        else if (found == s->item)
          issues_add_at(out, e->line, e->col, "item %s refers to itself; use 'value'", e->name);
      }
      if (e->op == OP_GROUP && e->name) {
        int found = 0;
        for (const crit_group *g = s->t->groups; g; g = g->next) found |= !strcmp(g->key, e->name);
        if (!found)
          issues_add_at(out, e->line, e->col, "title %s has no group '%s'", s->t->key, e->name);
      }
      break;
    case OP_TITLE:
    case OP_TITLE_LEVEL:
    case OP_REGISTERED: {
      if (e->op == OP_REGISTERED && !e->name) {
        if (!top)
          issues_add_at(out, e->line, e->col,
                        "inside every/any/count/share say which title: registered TITLE");
        break;
      }
      crit_title *to = e->name ? find_title(s->set, e->name) : NULL;
      if (to && to->entity != kind && to->entity < CRIT_ENTITY_COUNT)
        issues_add_at(out, e->line, e->col,
                      "title %s evaluates a %s, but here the rule looks at a %s", to->key,
                      crit_entity_name(to->entity), crit_entity_name(kind));
      break;
    }
    case OP_AGG: {
      if (!strcmp(e->name, "items")) {
        if (!top)
          issues_add_at(out, e->line, e->col,
                        "'items' are the items of this title; go over them outside other "
                        "every/any/count/share");
        scoped(s, e->a, kind, top, 1);
        scoped(s, e->b, kind, top, 1);
        return;
      }
      crit_entity child;
      if (!collection_kind(e->name, &child)) break;
      if (!crit_contains(kind, child)) {
        issues_add_at(out, e->line, e->col, "a %s has no %s below it", crit_entity_name(kind),
                      e->name);
        return;
      }
      scoped(s, e->a, child, 0, 0);
      scoped(s, e->b, child, 0, 0);
      return;
    }
    default: break;
  }
  scoped(s, e->a, kind, top, in_items);
  scoped(s, e->b, kind, top, in_items);
  scoped(s, e->c, kind, top, in_items);
}

static void check_scopes(crit_set *set, crit_title *t, issues *out) {
  if (t->entity >= CRIT_ENTITY_COUNT) return;
  out->file = t->file;
  scope s = {set, t, NULL, out};
  scoped(&s, t->eligible, t->entity, 1, 0);
  scoped(&s, t->recognise, t->entity, 1, 0);
  for (crit_item *it = t->items; it; it = it->next) {
    s.item = it;
    scoped(&s, it->applies, t->entity, 1, 0);
    scoped(&s, it->value, t->entity, 1, 0);
    scoped(&s, it->when, t->entity, 1, 0);
    for (crit_points_rule *r = it->rules; r; r = r->next) scoped(&s, r->when, t->entity, 1, 0);
  }
}

int crit_check_set(crit_set *set, issues *out) {
  long before = out->count;
  for (crit_title *t = set->titles; t; t = t->next) {
    walk_title(set, t, check_ref, out);
    check_scopes(set, t, out);
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
