/*
 * targets.c - programme targets files (docs/targets-format.md): the parser,
 * loading the shipped and a province's files, checks across files, and the
 * choice of the target that applies to a measure in a year.
 *
 * The lexical rules are those of criteria files (crit_parse.c): one statement
 * per line, '#' comments, NFC text in double quotes, 70% = 0.7, ISO dates,
 * columns counted in characters. The grammar has no expressions, so the
 * tokenizer here is a small one of its own. A bad line is reported and
 * skipped; one run lists every problem. Time O(file size); memory from the
 * set's arena.
 */
#include "criteria/targets.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/vtext.h"
#include "criteria/lex.h"

typedef struct parser {
  tgt_set *set;
  const char *file;
  issues *out;
  lexer lx;                       /* the current line and token */
  tgt_programme *prog;            /* the set being read */
  tgt_target *target;             /* the last target line, waiting for its provenance */
  int bad_target;                 /* the last target line was wrong (and reported) */
  int tried;                      /* TRIED_* bits: lines of the current set that were wrong */
  tgt_programme *first_prog;      /* the first set of this file */
  tgt_measure *first_measure;     /* the first measure declared in this file */
  tgt_measure **measure_tail;     /* where the next declaration goes */
  tgt_programme **programme_tail; /* where the next set goes */
} parser;

/* A set's name, decision or target line that was wrong is reported once: its
 * absence at the end of the set is then no news. */
enum { TRIED_NAME = 1, TRIED_DECISION = 2, TRIED_TARGET = 4 };

/* The shared lexer (lex.h), through this parser. */
#define fail(p, col, ...) lx_fail(&(p)->lx, col, __VA_ARGS__)
static void next(parser *p) {
  lx_next(&p->lx);
}

static int is_word(const parser *p, const char *w) {
  return p->lx.cur.kind == T_WORD && strcmp(p->lx.cur.text, w) == 0;
}

/* Keys are lower-case kebab-case: a letter, then letters, digits and '-'. */
static int valid_key(const char *s) {
  if (!(s[0] >= 'a' && s[0] <= 'z')) return 0;
  for (const char *c = s; *c; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-')) return 0;
  return 1;
}

/* Reads a key (what names it, e.g. "the set's key", and an example); NULL on error. */
static const char *expect_key(parser *p, const char *what, const char *example) {
  if (p->lx.cur.kind != T_WORD) {
    fail(p, p->lx.cur.col, "expected %s (e.g. %s), found %s", what, example, lx_desc(&p->lx));
    return NULL;
  }
  if (!valid_key(p->lx.cur.text)) {
    fail(p, p->lx.cur.col,
         "'%s' is not a valid key: use lower-case letters, digits and '-', starting with a "
         "letter (e.g. %s)",
         p->lx.cur.text, example);
    return NULL;
  }
  const char *k = p->lx.cur.text;
  next(p);
  return k;
}

static const char *expect_string(parser *p, const char *what) {
  if (p->lx.cur.kind != T_STRING) {
    fail(p, p->lx.cur.col, "expected %s in double quotes, found %s", what, lx_desc(&p->lx));
    return NULL;
  }
  const char *s = p->lx.cur.text;
  next(p);
  return s;
}

static int expect_int(parser *p, const char *what, int lo, int hi, int *out) {
  if (p->lx.cur.kind != T_NUMBER || p->lx.cur.number != (int)p->lx.cur.number ||
      p->lx.cur.number < lo || p->lx.cur.number > hi) {
    fail(p, p->lx.cur.col, "expected %s (a whole number from %d to %d), found %s", what, lo, hi,
         lx_desc(&p->lx));
    return HT_EINVAL;
  }
  *out = (int)p->lx.cur.number;
  next(p);
  return HT_OK;
}

static void expect_end(parser *p) {
  if (p->lx.cur.kind != T_END)
    fail(p, p->lx.cur.col, "unexpected %s at the end of the line", lx_desc(&p->lx));
}

static int need_set(parser *p, const char *kw) {
  if (p->prog) return 1;
  fail(p, 1, "'%s' must come after a 'targets KEY' line", kw);
  return 0;
}

/* Checks the set just ended (by a new `targets` line or the end of the file). */
static void finish_set(parser *p) {
  const tgt_programme *g = p->prog;
  if (!g) return;
  if (!g->name && !(p->tried & TRIED_NAME))
    issues_add_at(p->out, g->line, 1, "target set %s has no 'name' line (its Vietnamese name)",
                  g->key);
  if (!g->decision_date && !(p->tried & TRIED_DECISION))
    issues_add_at(p->out, g->line, 1,
                  "target set %s has no 'decision \"...\" YYYY-MM-DD' line (with the date)",
                  g->key);
  if (!g->targets && !(p->tried & TRIED_TARGET))
    issues_add_at(p->out, g->line, 1, "target set %s has no targets", g->key);
}

static void st_targets(parser *p) {
  finish_set(p);
  p->tried = 0;
  int col = p->lx.cur.col;
  /* A bad key still opens a set, so the lines below it are not misread as the
   * previous set's. */
  const char *key = expect_key(p, "the target set's key after 'targets'", "qd-387");
  if (!key) key = "?";
  expect_end(p);
  for (tgt_programme *o = p->first_prog; o; o = o->next)
    if (!strcmp(o->key, key)) {
      fail(p, col, "target set %s is already defined on line %d; give this one another key", key,
           o->line);
      break;
    }
  tgt_programme *g = arena_calloc(&p->set->mem, sizeof *g);
  g->key = key;
  g->file = p->file;
  g->line = p->lx.lineno;
  *p->programme_tail = g;
  p->programme_tail = &g->next;
  if (!p->first_prog) p->first_prog = g;
  p->prog = g;
  p->target = NULL;
  p->bad_target = 0;
}

static void st_decision(parser *p) {
  const char *d = expect_string(p, "the decision (e.g. \"QĐ 387/QĐ-TTg\")");
  if (!d) return;
  p->prog->decision = d;
  if (p->lx.cur.kind != T_DATE) {
    fail(p, p->lx.cur.col,
         "expected the decision's date (YYYY-MM-DD) after its number, found %s; the date "
         "decides which set is the latest",
         lx_desc(&p->lx));
    return;
  }
  if (date_parse(p->lx.cur.text, &p->prog->decision_day) != HT_OK) {
    fail(p, p->lx.cur.col, "'%s' is not a date; write YYYY-MM-DD", p->lx.cur.text);
    return;
  }
  p->prog->decision_date = p->lx.cur.text;
  next(p);
  expect_end(p);
}

static void st_measure(parser *p) {
  int col = p->lx.cur.col;
  const char *key = expect_key(p, "the measure's key after 'measure'", "ky-nang-so");
  if (!key) return;
  const char *name = expect_string(p, "the measure's Vietnamese name");
  if (!name) return;
  const char *name_en = expect_string(p, "the measure's English name (after the Vietnamese one)");
  if (!name_en) return;
  expect_end(p);
  for (tgt_measure *o = p->first_measure; o; o = o->next)
    if (!strcmp(o->key, key)) {
      fail(p, col, "measure %s is already declared on line %d; declare a measure once per file",
           key, o->line);
      return;
    }
  tgt_measure *m = arena_calloc(&p->set->mem, sizeof *m);
  m->key = key;
  m->name = name;
  m->name_en = name_en;
  m->file = p->file;
  m->line = p->lx.lineno;
  *p->measure_tail = m;
  p->measure_tail = &m->next;
  if (!p->first_measure) p->first_measure = m;
}

static void st_target(parser *p) {
  p->target = NULL;
  p->bad_target = 1; /* until the line is read: its provenance line is then no news */
  int col = p->lx.cur.col;
  const char *measure =
      expect_key(p, "the measure after 'target' (a title key or a measure)", "gia-dinh-hoc-tap");
  if (!measure) return;
  int year;
  if (expect_int(p, "the milestone year", 1990, 2100, &year) != HT_OK) return;
  if (p->lx.cur.kind != T_PERCENT) {
    fail(p, p->lx.cur.col, "expected the target as a percentage (e.g. 70%%), found %s",
         lx_desc(&p->lx));
    return;
  }
  double value = p->lx.cur.number;
  if (value < 0 || value > 1) {
    fail(p, p->lx.cur.col, "a target is a share from 0%% to 100%%, not %g%%", value * 100.0);
    return;
  }
  next(p);
  const char *group = NULL;
  if (is_word(p, "group")) {
    next(p);
    group = expect_key(p, "the unit group after 'group'", "difficult");
    if (!group) return;
  }
  if (p->lx.cur.kind != T_END) {
    fail(p, p->lx.cur.col,
         "unexpected %s at the end of the line; only 'group KEY' may follow the value",
         lx_desc(&p->lx));
    return;
  }
  tgt_target **tail = &p->prog->targets;
  for (; *tail; tail = &(*tail)->next) {
    const tgt_target *o = *tail;
    if (!strcmp(o->measure, measure) && o->year == year &&
        (o->group == group || (o->group && group && !strcmp(o->group, group)))) {
      fail(p, col, "the target of %s for %d%s%s is already set on line %d", measure, year,
           group ? " in group " : "", group ? group : "", o->line);
      return;
    }
  }
  tgt_target *t = arena_calloc(&p->set->mem, sizeof *t);
  t->measure = measure;
  t->year = year;
  t->value = value;
  t->group = group;
  t->line = p->lx.lineno;
  t->col = col;
  *tail = t;
  p->target = t;
  p->bad_target = 0;
}

static void st_source(parser *p, const char *kw, int col) {
  if (!p->target && p->bad_target) { /* the target line above was reported already */
    p->bad_target = 0;
    return;
  }
  if (!p->target) {
    fail(p, col, "'%s' must follow a 'target' line (each target has its own provenance)", kw);
    return;
  }
  if (p->target->source.reference) {
    fail(p, col,
         "the target on line %d already has its provenance; give one 'source' or 'assumed' "
         "line per target",
         p->target->line);
    return;
  }
  const char *ref = expect_string(p, "the reference (decision, article)");
  if (!ref) {
    p->target->source.reference = ""; /* reported: not missing as well */
    return;
  }
  expect_end(p);
  p->target->source.assumed = kw[0] == 'a';
  p->target->source.reference = ref;
}

static void dispatch(parser *p, const char *k, int col) {
  if (!strcmp(k, "targets")) {
    st_targets(p);
  } else if (!strcmp(k, "measure")) {
    st_measure(p);
  } else if (!strcmp(k, "name") || !strcmp(k, "name_en")) {
    if (!need_set(p, k)) return;
    const char *s = expect_string(p, k[4] ? "the English name" : "the set's Vietnamese name");
    if (!s) return;
    expect_end(p);
    if (k[4])
      p->prog->name_en = s;
    else
      p->prog->name = s;
  } else if (!strcmp(k, "decision")) {
    if (need_set(p, k)) st_decision(p);
  } else if (!strcmp(k, "province")) {
    int code;
    if (need_set(p, k) && expect_int(p, "the province code", 1, 999, &code) == HT_OK) {
      expect_end(p);
      p->prog->province = code;
    }
  } else if (!strcmp(k, "target")) {
    if (need_set(p, k))
      st_target(p);
    else
      p->bad_target = 1;
  } else if (!strcmp(k, "source") || !strcmp(k, "assumed")) {
    st_source(p, k, col);
  } else {
    fail(p, col,
         "unknown keyword '%s'; a line starts with targets, name, name_en, decision, province, "
         "measure, target, source or assumed",
         k);
  }
}

static void statement(parser *p) {
  lx_tok kw = p->lx.cur;
  if (kw.kind != T_WORD) {
    fail(p, kw.col, "a line starts with a keyword (targets, target, source, ...), not %s",
         lx_desc(&p->lx));
    return;
  }
  next(p);
  dispatch(p, kw.text, kw.col);
  if (p->lx.failed && p->prog)
    p->tried |= !strcmp(kw.text, "name")       ? TRIED_NAME
                : !strcmp(kw.text, "decision") ? TRIED_DECISION
                : !strcmp(kw.text, "target")   ? TRIED_TARGET
                                               : 0;
}

/* Checks the targets of the file just read; resolves declared measures. */
static void check_file(parser *p) {
  finish_set(p);
  for (tgt_programme *g = p->first_prog; g; g = g->next) {
    for (tgt_target *t = g->targets; t; t = t->next) {
      for (tgt_measure *m = p->first_measure; m; m = m->next)
        if (!strcmp(m->key, t->measure)) t->declared = m;
      if (!t->source.reference)
        issues_add_at(p->out, t->line, 1,
                      "the target of %s for %d needs a 'source \"...\"' or 'assumed \"...\"' line "
                      "below it (provenance)",
                      t->measure, t->year);
    }
  }
}

void tgt_set_init(tgt_set *s) {
  memset(s, 0, sizeof *s);
  arena_init(&s->mem, 0);
}

void tgt_set_free(tgt_set *s) {
  arena_free(&s->mem);
  memset(s, 0, sizeof *s);
}

static void statement_cb(void *p) {
  statement(p);
}

int tgt_parse(tgt_set *s, const char *file, const char *text, size_t len, issues *out) {
  parser p;
  memset(&p, 0, sizeof p);
  p.set = s;
  p.file = arena_strdup(&s->mem, file);
  p.out = out;
  p.lx.mem = &s->mem;
  p.lx.out = out;
  p.lx.punct = 0;
  out->file = p.file;
  long before = out->count;
  p.programme_tail = &s->programmes;
  while (*p.programme_tail) p.programme_tail = &(*p.programme_tail)->next;
  p.measure_tail = &s->measures;
  while (*p.measure_tail) p.measure_tail = &(*p.measure_tail)->next;
  if (lx_each_line(&p.lx, file, text, len, statement_cb, &p) != HT_OK) return HT_EINVAL;
  check_file(&p);
  return out->count > before ? HT_EINVAL : HT_OK;
}

/* ---- loading ---- */

int tgt_load_defaults(tgt_set *s, issues *out) {
  int rc = HT_OK;
  for (size_t i = 0; i < tgt_default_files_count; i++) {
    const embedded_file *f = &tgt_default_files[i];
    size_t n = strlen(f->path);
    if (n < 4 || strcmp(f->path + n - 4, ".tgt") != 0) continue;
    const char *name = arena_sprintf(&s->mem, "targets%s", f->path);
    if (tgt_parse(s, name, (const char *)f->data, (size_t)f->size, out) != HT_OK) rc = HT_EINVAL;
  }
  return rc;
}

static int measure_used(const tgt_set *s, const tgt_measure *m) {
  for (const tgt_programme *g = s->programmes; g; g = g->next)
    for (const tgt_target *t = g->targets; t; t = t->next)
      if (t->declared == m) return 1;
  return 0;
}

int tgt_add_missing_defaults(tgt_set *s, issues *out) {
  tgt_programme *last = s->programmes;
  while (last && last->next) last = last->next;
  tgt_measure *last_measure = s->measures;
  while (last_measure && last_measure->next) last_measure = last_measure->next;
  int rc = tgt_load_defaults(s, out);
  if (last) {
    /* Unlink the shipped sets whose key a set loaded before already has. */
    tgt_programme **link = &last->next;
    while (*link) {
      int defined = 0;
      for (tgt_programme *o = s->programmes;; o = o->next) {
        defined |= !strcmp(o->key, (*link)->key);
        if (o == last) break;
      }
      if (defined)
        *link = (*link)->next;
      else
        link = &(*link)->next;
    }
  }
  /* And the declarations of the files whose sets were all replaced. */
  tgt_measure **mlink = last_measure ? &last_measure->next : &s->measures;
  while (*mlink) {
    if (!measure_used(s, *mlink))
      *mlink = (*mlink)->next;
    else
      mlink = &(*mlink)->next;
  }
  return rc;
}

int tgt_load_file(tgt_set *s, const char *path, issues *out, ht_err *err) {
  FILE *f = fopen(path, "rb");
  if (!f) return ht_err_set(err, HT_EIO, "cannot open %s: %m", path);
  char *buf = NULL;
  size_t len = 0, cap = 0;
  int rc = HT_OK;
  for (;;) {
    if (len == cap) {
      if (cap >= (size_t)16 << 20) {
        rc = ht_err_set(err, HT_ELIMIT, "%s is larger than 16 MiB; is it a targets file?", path);
        goto end;
      }
      cap = cap ? cap * 2 : 65536;
      char *bigger = realloc(buf, cap);
      if (!bigger) abort(); /* out of memory: see arena.h */
      buf = bigger;
    }
    size_t got = fread(buf + len, 1, cap - len, f);
    len += got;
    if (got == 0) break;
  }
  if (ferror(f)) {
    rc = ht_err_set(err, HT_EIO, "cannot read %s", path);
    goto end;
  }
  rc = tgt_parse(s, path, buf ? buf : "", len, out);
end:
  fclose(f);
  free(buf);
  return rc;
}

/* ---- checks across files ---- */

int tgt_check_set(const tgt_set *s, issues *out) {
  long before = out->count;
  for (const tgt_programme *g = s->programmes; g; g = g->next)
    for (const tgt_programme *o = s->programmes; o != g; o = o->next)
      if (!strcmp(o->key, g->key) && o->file != g->file) {
        out->file = g->file;
        issues_add_at(out, g->line, 1,
                      "target set %s is already defined in %s:%d; give this one another key",
                      g->key, o->file, o->line);
        break;
      }
  /* Reported at the first declaration, which is the one in a --file (loaded
   * before the shipped files it is checked against). */
  for (const tgt_measure *m = s->measures; m; m = m->next)
    for (const tgt_measure *o = m->next; o; o = o->next)
      if (!strcmp(o->key, m->key) && (strcmp(o->name, m->name) || strcmp(o->name_en, m->name_en))) {
        out->file = m->file;
        issues_add_at(out, m->line, 1,
                      "measure %s is declared in %s:%d as \"%s\" / \"%s\"; a key means the same "
                      "measure in every file: copy that declaration or choose another key",
                      m->key, o->file, o->line, o->name, o->name_en);
        break;
      }
  return out->count > before ? HT_EINVAL : HT_OK;
}

static int is_title(const char *key, const char *const *title_keys, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!strcmp(key, title_keys[i])) return 1;
  return 0;
}

int tgt_check_measures(const tgt_set *s, const char *const *title_keys, size_t n, issues *out) {
  long before = out->count;
  for (const tgt_measure *m = s->measures; m; m = m->next)
    if (is_title(m->key, title_keys, n)) {
      out->file = m->file;
      issues_add_at(out, m->line, 9,
                    "%s is a title: the share of a title needs no 'measure' line; remove it",
                    m->key);
    }
  for (const tgt_programme *g = s->programmes; g; g = g->next)
    for (const tgt_target *t = g->targets; t; t = t->next)
      if (!t->declared && !is_title(t->measure, title_keys, n)) {
        out->file = g->file;
        issues_add_at(out, t->line, t->col,
                      "unknown measure '%s': neither a title key (see 'hoctap criteria list') nor "
                      "declared in this file; declare it with 'measure %s \"…\" \"…\"'",
                      t->measure, t->measure);
      }
  return out->count > before ? HT_EINVAL : HT_OK;
}

/* ---- the target that applies ---- */

const tgt_programme *tgt_find(const tgt_set *s, const char *key) {
  for (const tgt_programme *g = s->programmes; g; g = g->next)
    if (!strcmp(g->key, key)) return g;
  return NULL;
}

/* 1 if group is one of the '|'-separated keys in groups. */
static int in_groups(const char *groups, const char *group) {
  size_t n = strlen(group);
  for (const char *g = groups; g && *g;) {
    const char *bar = strchr(g, '|');
    size_t len = bar ? (size_t)(bar - g) : strlen(g);
    if (len == n && !memcmp(g, group, n)) return 1;
    if (!bar) break;
    g = bar + 1;
  }
  return 0;
}

static int for_unit(const tgt_target *t, const char *measure, const char *groups) {
  return !strcmp(t->measure, measure) && (!t->group || in_groups(groups, t->group));
}

/* The milestones of measure in g that a unit with groups sees: *next, the
 * smallest >= year (0 if none), and *last, the latest. 0 if there is none. */
static int milestones(const tgt_programme *g, const char *measure, const char *groups, int year,
                      int *next_year, int *last_year) {
  *next_year = *last_year = 0;
  for (const tgt_target *t = g->targets; t; t = t->next) {
    if (!for_unit(t, measure, groups)) continue;
    if (t->year >= year && (!*next_year || t->year < *next_year)) *next_year = t->year;
    if (t->year > *last_year) *last_year = t->year;
  }
  return *last_year != 0;
}

/* Fills out with g's target of measure at milestone year: the first one of a
 * group of the unit, else the general one. */
static int choose(const tgt_programme *g, const char *measure, const char *groups, int year,
                  tgt_choice *out) {
  const tgt_target *general = NULL, *grouped = NULL;
  for (const tgt_target *t = g->targets; t; t = t->next) {
    if (t->year != year || !for_unit(t, measure, groups)) continue;
    if (t->group && !grouped) grouped = t;
    if (!t->group && !general) general = t;
  }
  const tgt_target *t = grouped ? grouped : general;
  if (!t) return HT_ENOTFOUND;
  memset(out, 0, sizeof *out);
  out->value = t->value;
  out->year = t->year;
  out->set_key = g->key;
  out->set_name = g->name;
  out->group = t->group;
  out->source = t->source;
  out->programme = g;
  out->target = t;
  return HT_OK;
}

int tgt_applicable(const tgt_set *s, const char *decision_key, const char *measure, int year,
                   int province, const char *unit_groups, tgt_choice *out) {
  int next_year, last_year;
  if (decision_key) {
    const tgt_programme *g = tgt_find(s, decision_key);
    if (!g || !milestones(g, measure, unit_groups, year, &next_year, &last_year))
      return HT_ENOTFOUND;
    return choose(g, measure, unit_groups, next_year ? next_year : last_year, out);
  }
  /* The province's own sets first, then the national ones. */
  for (int tier = province > 0 ? 0 : 1; tier < 2; tier++) {
    int want = tier == 0 ? province : 0;
    const tgt_programme *ahead = NULL, *latest = NULL;
    int ahead_year = 0, latest_year = 0;
    for (const tgt_programme *g = s->programmes; g; g = g->next) {
      if (g->province != want || date_year(g->decision_day) > year) continue;
      if (!milestones(g, measure, unit_groups, year, &next_year, &last_year)) continue;
      /* Strictly later: on the same date the set loaded first wins. */
      if (next_year && (!ahead || g->decision_day > ahead->decision_day)) {
        ahead = g;
        ahead_year = next_year;
      }
      if (!latest || g->decision_day > latest->decision_day) {
        latest = g;
        latest_year = last_year;
      }
    }
    if (ahead) return choose(ahead, measure, unit_groups, ahead_year, out);
    if (latest) return choose(latest, measure, unit_groups, latest_year, out);
  }
  return HT_ENOTFOUND;
}
