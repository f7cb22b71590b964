/* targets_hook.c - see targets_hook.h. */
#include "services/targets_hook.h"

#include <math.h>
#include <string.h>

#include "model/settings.h"

static int hook_init(targets_hook *th, db *d, const char *decision, int province, ht_err *err) {
  memset(th, 0, sizeof *th);
  tgt_set_init(&th->set);
  th->decision = decision;
  th->province = province;
  th->loaded = 1;
  arena a;
  arena_init(&a, 0);
  issues problems;
  issues_init(&problems, &a);
  int rc = d ? targets_stored_load(d, &th->set, &problems) : HT_OK;
  if (rc == HT_OK) rc = tgt_add_missing_defaults(&th->set, &problems);
  if (rc == HT_OK) rc = tgt_check_set(&th->set, &problems);
  if (rc != HT_OK)
    ht_err_set(err, HT_EINVAL,
               "the target sets have problems (%s: line %ld: %s); see 'hoctap "
               "targets list --db'",
               problems.kept && problems.items[0].file ? problems.items[0].file : "?",
               problems.kept ? problems.items[0].row : 0L,
               problems.kept ? problems.items[0].msg : "?");
  arena_free(&a);
  if (rc != HT_OK) return HT_EINVAL;
  if (decision && !tgt_find(&th->set, decision))
    return ht_err_set(err, HT_ENOTFOUND,
                      "no target set '%s'; see 'hoctap targets list' for the keys", decision);
  return HT_OK;
}

int targets_hook_init(targets_hook *th, const char *decision, int province, ht_err *err) {
  return hook_init(th, NULL, decision, province, err);
}

int targets_hook_init_db(targets_hook *th, db *d, const char *decision, int province, ht_err *err) {
  return hook_init(th, d, decision, province, err);
}

void targets_hook_free(targets_hook *th) {
  if (th->loaded) tgt_set_free(&th->set);
  memset(th, 0, sizeof *th);
}

double targets_hook_fn(void *ctx, const crit_title *t, int year, const hier_unit *unit,
                       const char **source, int *milestone) {
  targets_hook *th = ctx;
  tgt_choice c;
  if (!th || !th->loaded ||
      tgt_applicable(&th->set, th->decision, t->key, year, th->province,
                     unit && unit->groups ? unit->groups : "", &c) != HT_OK)
    return NAN;
  if (source) *source = c.set_name;
  if (milestone) *milestone = c.year;
  return c.value;
}

/* ------------------------------------------------ imported target files */

int targets_stored_names(db *d, arena *a, const char ***names, size_t *n) {
  *names = NULL;
  *n = 0;
  db_stmt *s;
  int rc = db_prepare(
      d,
      "SELECT key FROM settings_texts WHERE prov = $1 AND key LIKE '" TARGETS_SETTINGS_PREFIX
      "%' ORDER BY key",
      &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  size_t cap = 0;
  while ((rc = db_step(s)) == DB_ROW) {
    *names = arena_grow(a, *names, *n, &cap, sizeof **names);
    (*names)[(*n)++] = arena_strdup(a, db_col_text(s, 0) + strlen(TARGETS_SETTINGS_PREFIX));
  }
  db_finalize(s);
  return rc < 0 ? rc : HT_OK;
}

/* Parses the stored files into s, except the one named skip (may be NULL). */
static int load_stored(db *d, tgt_set *s, const char *skip, issues *out) {
  arena a;
  arena_init(&a, 0);
  const char **names;
  size_t n;
  int rc = targets_stored_names(d, &a, &names, &n);
  for (size_t i = 0; rc == HT_OK && i < n; i++) {
    if (skip && !strcmp(names[i], skip)) continue;
    const char *text = NULL;
    const char *key = arena_sprintf(&a, TARGETS_SETTINGS_PREFIX "%s", names[i]);
    rc = settings_get(d, key, &a, &text);
    if (rc == HT_OK && text) {
      const char *file = arena_sprintf(&s->mem, "%s.tgt", names[i]);
      int r2 = tgt_parse(s, file, text, strlen(text), out);
      if (r2 != HT_OK && r2 != HT_EINVAL) rc = r2;
    }
  }
  arena_free(&a);
  return rc;
}

int targets_stored_load(db *d, tgt_set *s, issues *out) {
  return load_stored(d, s, NULL, out);
}

/* "haiphong-2026" from "/path/haiphong-2026.tgt"; NULL when nothing is left. */
static const char *clean_name(const char *name, arena *a) {
  const char *base = strrchr(name, '/');
  base = base ? base + 1 : name;
  size_t n = strlen(base);
  if (n > 4 && !strcmp(base + n - 4, ".tgt")) n -= 4;
  if (!n || n > 60) return NULL;
  for (size_t i = 0; i < n; i++) {
    char c = base[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_' || c == '.'))
      return NULL;
  }
  return arena_strndup(a, base, n);
}

int targets_import(db *d, const audit_actor *who, const crit_set *criteria, const char *name,
                   const char *text, size_t len, issues *out, ht_err *err) {
  arena a;
  arena_init(&a, 0);
  const char *clean = clean_name(name, &a);
  if (!clean) {
    arena_free(&a);
    return ht_err_set(err, HT_EINVAL,
                      "'%s': name the file with letters, digits, '-', '_' or '.' (at most 60), "
                      "e.g. haiphong-2026.tgt",
                      name);
  }
  /* the new file, then the other imported ones, then the shipped sets */
  tgt_set set;
  tgt_set_init(&set);
  const char *file = arena_sprintf(&a, "%s.tgt", clean);
  long before = out->count;
  int rc = tgt_parse(&set, file, text, len, out);
  if (rc == HT_OK || rc == HT_EINVAL) rc = load_stored(d, &set, clean, out);
  if (rc == HT_OK && out->count == before) rc = tgt_add_missing_defaults(&set, out);
  if (rc == HT_OK && out->count == before) rc = tgt_check_set(&set, out);
  if (rc == HT_OK && out->count == before && criteria) {
    size_t n = 0;
    for (const crit_title *t = criteria->titles; t; t = t->next) n++;
    const char **keys = arena_alloc(&a, (n + 1) * sizeof *keys);
    n = 0;
    for (const crit_title *t = criteria->titles; t; t = t->next) keys[n++] = t->key;
    rc = tgt_check_measures(&set, keys, n, out);
  }
  /* the problems name their files from the set's memory: copy them out first */
  for (long i = 0; i < out->kept; i++)
    if (out->items[i].file) out->items[i].file = arena_strdup(out->mem, out->items[i].file);
  tgt_set_free(&set);
  if (out->count > before) rc = HT_EINVAL;
  if (rc == HT_OK) {
    char *copy = arena_strndup(&a, text, len);
    rc = settings_put(d, who, arena_sprintf(&a, TARGETS_SETTINGS_PREFIX "%s", clean), copy,
                      "targets.import", err);
  }
  arena_free(&a);
  return rc;
}

int targets_remove(db *d, const audit_actor *who, const char *name, ht_err *err) {
  arena a;
  arena_init(&a, 0);
  const char *clean = clean_name(name, &a);
  const char *text = NULL;
  const char *key = clean ? arena_sprintf(&a, TARGETS_SETTINGS_PREFIX "%s", clean) : NULL;
  int rc = key ? settings_get(d, key, &a, &text) : HT_OK;
  if (rc == HT_OK && !text)
    rc = ht_err_set(err, HT_ENOTFOUND,
                    "no imported target file '%s'; see 'hoctap targets list "
                    "--db'",
                    name);
  else if (rc == HT_OK)
    rc = settings_put(d, who, key, NULL, "targets.remove", err);
  arena_free(&a);
  return rc;
}
