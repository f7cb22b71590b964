/*
 * crit_parse.c - the criteria file parser (docs/criteria-format.md).
 *
 * Line-oriented: each line is one statement whose first word says what it is;
 * an expression is the rest of its line. The lexer works on one line at a
 * time and reports columns in characters. Errors never stop the parse: the
 * bad line is reported and skipped, so one run lists every problem.
 * Time O(file size); memory from the set's arena.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/err.h"
#include "base/vtext.h"
#include "criteria/lex.h"
#include "criteria/crit.h"

typedef struct parser {
  crit_set *set;
  const char *file;
  issues *out;
  lexer lx; /* the current line and token */
  crit_title *title;
  crit_item *item;
  crit_source *source_of; /* where the next source/assumed line goes (recognise, eligible) */
} parser;

static const char *const entity_names[CRIT_ENTITY_COUNT] = {
    "person", "household", "clan", "village", "organisation", "commune", "district", "province"};

const char *crit_entity_name(crit_entity e) {
  return e < CRIT_ENTITY_COUNT ? entity_names[e] : "?";
}

/* The shared lexer (lex.h), through this parser. */
#define fail(p, col, ...) lx_fail(&(p)->lx, col, __VA_ARGS__)
static void next(parser *p) {
  lx_next(&p->lx);
}

static int is_word(parser *p, const char *w) {
  return p->lx.cur.kind == T_WORD && strcmp(p->lx.cur.text, w) == 0;
}
static int is_punct(parser *p, const char *w) {
  return p->lx.cur.kind == T_PUNCT && strcmp(p->lx.cur.text, w) == 0;
}

static crit_expr *node(parser *p, crit_op op) {
  crit_expr *e = arena_calloc(&p->set->mem, sizeof *e);
  e->op = op;
  e->line = p->lx.lineno;
  e->col = p->lx.cur.col;
  return e;
}

/* ---- expressions ---- */

static const char *const fields[] = {"age",    "literate", "in_school",  "school_result", "conduct",
                                     "topics", "gender",   "form_group", "kind"};
#define NFIELDS (sizeof fields / sizeof fields[0])
static const char *const collections[] = {"members",  "persons",   "households",
                                          "clans",    "villages",  "organisations",
                                          "communes", "districts", "items"};
#define NCOLLECTIONS (sizeof collections / sizeof collections[0])
static const char *const enum_words[] = {"chua-dat", "dat", "kha", "tot"}; /* rank 0..3 */

static int in_list(const char *w, const char *const *list, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(w, list[i]) == 0) return 1;
  return 0;
}

static crit_expr *parse_or(parser *p);

static crit_expr *expect_title_key(parser *p, crit_op op) {
  crit_expr *e = node(p, op);
  next(p);
  if (p->lx.cur.kind != T_WORD) {
    fail(p, p->lx.cur.col,
         "expected a title key after '%s', found %s (e.g. recognised cong-dan-hoc-tap)",
         op == OP_TITLE ? "recognised" : "level", lx_desc(&p->lx));
    return e;
  }
  e->name = p->lx.cur.text;
  next(p);
  return e;
}

static crit_expr *parse_atom(parser *p) {
  lx_tok t = p->lx.cur;
  if (t.kind == T_NUMBER || t.kind == T_PERCENT) {
    crit_expr *e = node(p, OP_NUMBER);
    e->number = t.number;
    next(p);
    return e;
  }
  if (is_punct(p, "(")) {
    next(p);
    crit_expr *e = parse_or(p);
    if (!is_punct(p, ")"))
      fail(p, p->lx.cur.col, "expected ')' to close '(', found %s", lx_desc(&p->lx));
    next(p);
    return e;
  }
  if (t.kind == T_STRING) {
    crit_expr *e = node(p, OP_STRING);
    e->name = t.text;
    next(p);
    return e;
  }
  if (t.kind != T_WORD) {
    fail(p, t.col, "expected a value, a fact or a test, found %s", lx_desc(&p->lx));
    return node(p, OP_BOOL);
  }
  const char *w = t.text;
  if (!strcmp(w, "yes") || !strcmp(w, "no")) {
    crit_expr *e = node(p, OP_BOOL);
    e->number = w[0] == 'y';
    next(p);
    return e;
  }
  for (int r = 0; r < 4; r++)
    if (!strcmp(w, enum_words[r])) {
      crit_expr *e = node(p, OP_ENUM);
      e->number = r;
      e->name = w;
      next(p);
      return e;
    }
  if (!strcmp(w, "value") || !strcmp(w, "total")) {
    crit_expr *e = node(p, w[0] == 'v' ? OP_VALUE : OP_TOTAL);
    next(p);
    return e;
  }
  if (!strcmp(w, "item")) {
    crit_expr *e = node(p, OP_ITEM);
    next(p);
    if (p->lx.cur.kind != T_WORD) {
      fail(p, p->lx.cur.col, "expected an item key after 'item', found %s (e.g. item i1 >= 5)",
           lx_desc(&p->lx));
      return e;
    }
    e->name = p->lx.cur.text;
    next(p);
    return e;
  }
  if (!strcmp(w, "registered")) {
    crit_expr *e = node(p, OP_REGISTERED);
    next(p);
    /* an optional title key: title keys contain '-', keywords never do */
    if (p->lx.cur.kind == T_WORD && strchr(p->lx.cur.text, '-')) {
      e->name = p->lx.cur.text;
      next(p);
    }
    return e;
  }
  if (!strcmp(w, "recognised")) return expect_title_key(p, OP_TITLE);
  if (!strcmp(w, "level")) return expect_title_key(p, OP_TITLE_LEVEL);
  if (!strcmp(w, "group") || !strcmp(w, "in_group")) {
    crit_expr *e = node(p, w[0] == 'g' ? OP_GROUP : OP_IN_GROUP);
    next(p);
    if (p->lx.cur.kind != T_WORD) {
      fail(p, p->lx.cur.col, "expected a group key after '%s', found %s", w, lx_desc(&p->lx));
      return e;
    }
    e->name = p->lx.cur.text;
    next(p);
    return e;
  }
  if (!strcmp(w, "every") || !strcmp(w, "any") || !strcmp(w, "count") || !strcmp(w, "share")) {
    crit_expr *e = node(p, OP_AGG);
    e->agg = w[0] == 'e' ? AGG_EVERY : w[0] == 'a' ? AGG_ANY : w[0] == 'c' ? AGG_COUNT : AGG_SHARE;
    next(p);
    if (p->lx.cur.kind != T_WORD || !in_list(p->lx.cur.text, collections, NCOLLECTIONS)) {
      fail(p, p->lx.cur.col,
           "expected what to go over after '%s': members, persons, households, clans, villages, "
           "organisations, communes, districts or items; found %s",
           w, lx_desc(&p->lx));
      return e;
    }
    e->name = p->lx.cur.text;
    next(p);
    if (is_word(p, "where")) {
      next(p);
      e->a = parse_or(p);
    }
    if (is_punct(p, ":")) {
      next(p);
      e->b = parse_or(p);
    }
    if ((e->agg == AGG_EVERY || e->agg == AGG_SHARE) && !e->b)
      fail(p, p->lx.cur.col,
           "'%s' needs a test after ':' (e.g. %s members where age >= 15 : literate)", w, w);
    if (e->agg == AGG_COUNT && e->b)
      fail(p, e->col, "'count' takes no test after ':'; put the condition after 'where'");
    return e;
  }
  if (in_list(w, fields, NFIELDS)) {
    crit_expr *e = node(p, OP_FIELD);
    e->name = w;
    next(p);
    return e;
  }
  fail(p, t.col,
       "unknown word '%s'; a rule uses facts (age, literate, in_school, school_result, conduct, "
       "topics, gender, form_group, kind), registered [TITLE], value, item KEY, total, "
       "group KEY, in_group KEY, recognised TITLE, level TITLE, every/any/count/share, yes/no, "
       "tot/kha/dat/chua-dat, \"text\" and numbers",
       w);
  next(p);
  return node(p, OP_BOOL);
}

static crit_expr *parse_cmp(parser *p) {
  crit_expr *left = parse_atom(p);
  static const char *const cmps[] = {">=", "<=", "!=", ">", "<", "="};
  for (size_t i = 0; i < sizeof cmps / sizeof cmps[0]; i++)
    if (is_punct(p, cmps[i])) {
      crit_expr *e = node(p, OP_CMP);
      e->name = cmps[i];
      next(p);
      e->a = left;
      e->b = parse_atom(p);
      return e;
    }
  if (is_word(p, "between")) {
    crit_expr *e = node(p, OP_BETWEEN);
    next(p);
    e->a = left;
    e->b = parse_atom(p);
    if (!is_word(p, "and")) {
      fail(p, p->lx.cur.col, "expected 'and' in 'between LOW and HIGH', found %s", lx_desc(&p->lx));
      return e;
    }
    next(p);
    e->c = parse_atom(p);
    return e;
  }
  return left;
}

static crit_expr *parse_not(parser *p) {
  if (is_word(p, "not")) {
    crit_expr *e = node(p, OP_NOT);
    next(p);
    e->a = parse_not(p);
    return e;
  }
  return parse_cmp(p);
}

static crit_expr *parse_and(parser *p) {
  crit_expr *left = parse_not(p);
  while (is_word(p, "and")) {
    crit_expr *e = node(p, OP_AND);
    next(p);
    e->a = left;
    e->b = parse_not(p);
    left = e;
  }
  return left;
}

static crit_expr *parse_or(parser *p) {
  crit_expr *left = parse_and(p);
  while (is_word(p, "or")) {
    crit_expr *e = node(p, OP_OR);
    next(p);
    e->a = left;
    e->b = parse_and(p);
    left = e;
  }
  return left;
}

/* A whole-line expression: nothing may follow it. */
static crit_expr *parse_expr_line(parser *p) {
  if (p->lx.cur.kind == T_END) {
    fail(p, p->lx.cur.col, "a rule is missing here");
    return NULL;
  }
  crit_expr *e = parse_or(p);
  if (p->lx.cur.kind != T_END)
    fail(p, p->lx.cur.col, "unexpected %s after the end of the rule; join tests with 'and' or 'or'",
         lx_desc(&p->lx));
  return e;
}

/* ---- statements ---- */

static const char *expect_string(parser *p, const char *what) {
  if (p->lx.cur.kind != T_STRING) {
    fail(p, p->lx.cur.col, "expected %s in double quotes, found %s", what, lx_desc(&p->lx));
    return NULL;
  }
  const char *s = p->lx.cur.text;
  next(p);
  return s;
}

static int expect_int(parser *p, const char *what, int lo, int hi) {
  if (p->lx.cur.kind != T_NUMBER || p->lx.cur.number != (int)p->lx.cur.number ||
      p->lx.cur.number < lo || p->lx.cur.number > hi) {
    fail(p, p->lx.cur.col, "expected %s (a whole number from %d to %d), found %s", what, lo, hi,
         lx_desc(&p->lx));
    return lo;
  }
  int v = (int)p->lx.cur.number;
  next(p);
  return v;
}

static void expect_end(parser *p) {
  if (p->lx.cur.kind != T_END)
    fail(p, p->lx.cur.col, "unexpected %s at the end of the line", lx_desc(&p->lx));
}

static int need_title(parser *p, const char *kw) {
  if (p->title) return 1;
  fail(p, 1, "'%s' must come after a 'title KEY' line", kw);
  return 0;
}

static int need_item(parser *p, const char *kw) {
  if (p->item) return 1;
  fail(p, 1, "'%s' must come after an 'item KEY ...' line", kw);
  return 0;
}

static void parse_source(parser *p, crit_source *src) {
  if (is_word(p, "source") || is_word(p, "assumed")) {
    src->assumed = p->lx.cur.text[0] == 'a';
    next(p);
  } else {
    fail(p, p->lx.cur.col,
         "expected 'source' (confirmed by a decision) or 'assumed' (a default to confirm), "
         "found %s",
         lx_desc(&p->lx));
    return;
  }
  src->reference = expect_string(p, "the reference (decision, article)");
  expect_end(p);
}

static void statement(parser *p) {
  lx_tok kw = p->lx.cur;
  if (kw.kind != T_WORD) {
    fail(p, kw.col, "a line starts with a keyword (title, item, when, ...), not %s",
         lx_desc(&p->lx));
    return;
  }
  const char *k = kw.text;
  next(p);
  crit_title *t = p->title;
  if (!strcmp(k, "title")) {
    if (p->lx.cur.kind != T_WORD) {
      fail(p, p->lx.cur.col, "expected the title key (e.g. gia-dinh-hoc-tap), found %s",
           lx_desc(&p->lx));
      return;
    }
    t = arena_calloc(&p->set->mem, sizeof *t);
    t->key = p->lx.cur.text;
    t->file = p->file;
    t->line = p->lx.lineno;
    t->entity = CRIT_ENTITY_COUNT;
    t->valid_months = 12;
    t->requires_registration = 1;
    next(p);
    expect_end(p);
    crit_title **tail = &p->set->titles;
    while (*tail) tail = &(*tail)->next;
    *tail = t;
    p->title = t;
    p->item = NULL;
    p->source_of = NULL;
    return;
  }
  if (!strcmp(k, "name") || !strcmp(k, "name_en")) {
    if (!need_title(p, k)) return;
    const char *s = expect_string(p, "the title's name");
    if (k[4])
      t->name_en = s;
    else
      t->name = s;
    expect_end(p);
    return;
  }
  if (!strcmp(k, "entity")) {
    if (!need_title(p, k)) return;
    for (int e = 0; e < CRIT_ENTITY_COUNT; e++)
      if (p->lx.cur.kind == T_WORD && !strcmp(p->lx.cur.text, entity_names[e]))
        t->entity = (crit_entity)e;
    if (t->entity == CRIT_ENTITY_COUNT)
      fail(p, p->lx.cur.col,
           "unknown entity %s; use person, household, clan, village, organisation, commune, "
           "district or province",
           lx_desc(&p->lx));
    next(p);
    expect_end(p);
    return;
  }
  if (!strcmp(k, "decision")) {
    if (!need_title(p, k)) return;
    t->decision = expect_string(p, "the issuing decision (e.g. \"QĐ 448/QĐ-KHVN\")");
    if (p->lx.cur.kind == T_DATE) {
      int32_t day;
      if (date_parse(p->lx.cur.text, &day) != HT_OK)
        fail(p, p->lx.cur.col, "'%s' is not a date; write YYYY-MM-DD", p->lx.cur.text);
      t->decision_date = p->lx.cur.text;
      next(p);
    }
    expect_end(p);
    return;
  }
  if (!strcmp(k, "applies_from")) {
    if (!need_title(p, k)) return;
    t->applies_from = expect_int(p, "the first year the criteria apply", 1990, 2100);
    expect_end(p);
    return;
  }
  if (!strcmp(k, "applies_until")) {
    if (!need_title(p, k)) return;
    t->applies_until = expect_int(p, "the last year the criteria apply", 1990, 2100);
    expect_end(p);
    return;
  }
  if (!strcmp(k, "evidence")) {
    if (!need_title(p, k)) return;
    if (is_word(p, "required") || is_word(p, "optional")) {
      t->evidence_required = p->lx.cur.text[0] == 'r';
      next(p);
    } else {
      fail(p, p->lx.cur.col, "expected 'required' or 'optional', found %s", lx_desc(&p->lx));
    }
    expect_end(p);
    return;
  }
  if (!strcmp(k, "eligible")) {
    if (!need_title(p, k)) return;
    p->item = NULL;
    p->source_of = &t->eligible_source;
    if (!is_word(p, "when")) {
      fail(p, p->lx.cur.col, "expected 'eligible when RULE', found %s", lx_desc(&p->lx));
      return;
    }
    next(p);
    t->eligible = parse_expr_line(p);
    return;
  }
  if (!strcmp(k, "applies")) {
    if (!need_item(p, k)) return;
    if (!is_word(p, "when")) {
      fail(p, p->lx.cur.col, "expected 'applies when RULE', found %s", lx_desc(&p->lx));
      return;
    }
    next(p);
    p->item->applies = parse_expr_line(p);
    return;
  }
  if (!strcmp(k, "province")) {
    if (!need_title(p, k)) return;
    t->province = expect_int(p, "the province code the override is for", 1, 999);
    expect_end(p);
    return;
  }
  if (!strcmp(k, "scoring")) {
    if (!need_title(p, k)) return;
    if (is_word(p, "points")) {
      t->levels = 0;
      next(p);
    } else if (is_word(p, "levels")) {
      next(p);
      t->levels = expect_int(p, "the number of levels", 1, 9);
    } else {
      fail(p, p->lx.cur.col, "expected 'points' or 'levels N', found %s", lx_desc(&p->lx));
    }
    expect_end(p);
    return;
  }
  if (!strcmp(k, "valid_months")) {
    if (!need_title(p, k)) return;
    t->valid_months = expect_int(p, "how many months a recognition stays valid", 1, 120);
    expect_end(p);
    return;
  }
  if (!strcmp(k, "registration")) {
    if (!need_title(p, k)) return;
    if (is_word(p, "required") || is_word(p, "optional")) {
      t->requires_registration = p->lx.cur.text[0] == 'r';
      next(p);
    } else {
      fail(p, p->lx.cur.col, "expected 'required' or 'optional', found %s", lx_desc(&p->lx));
    }
    expect_end(p);
    return;
  }
  if (!strcmp(k, "group")) {
    if (!need_title(p, k)) return;
    if (p->lx.cur.kind != T_WORD) {
      fail(p, p->lx.cur.col, "expected the group key (e.g. C1), found %s", lx_desc(&p->lx));
      return;
    }
    crit_group *g = arena_calloc(&p->set->mem, sizeof *g);
    g->key = p->lx.cur.text;
    g->line = p->lx.lineno;
    next(p);
    g->text = expect_string(p, "the group's description");
    expect_end(p);
    for (crit_group *o = t->groups; o; o = o->next)
      if (!strcmp(o->key, g->key))
        fail(p, kw.col, "group %s is already defined on line %d", g->key, o->line);
    crit_group **tail = &t->groups;
    while (*tail) tail = &(*tail)->next;
    *tail = g;
    return;
  }
  if (!strcmp(k, "item")) {
    if (!need_title(p, k)) return;
    if (p->lx.cur.kind != T_WORD) {
      fail(p, p->lx.cur.col, "expected the item key (e.g. C1a), found %s", lx_desc(&p->lx));
      return;
    }
    crit_item *it = arena_calloc(&p->set->mem, sizeof *it);
    it->key = p->lx.cur.text;
    it->line = p->lx.lineno;
    next(p);
    if (p->lx.cur.kind == T_NUMBER) {
      it->max_points = p->lx.cur.number;
      next(p);
    }
    it->text = expect_string(p, "the item's description");
    expect_end(p);
    for (crit_item *o = t->items; o; o = o->next)
      if (!strcmp(o->key, it->key))
        fail(p, kw.col, "item %s is already defined on line %d", it->key, o->line);
    crit_item **tail = &t->items;
    while (*tail) tail = &(*tail)->next;
    *tail = it;
    p->item = it;
    p->source_of = NULL;
    return;
  }
  if (!strcmp(k, "in")) {
    if (!need_item(p, k)) return;
    if (p->lx.cur.kind != T_WORD) {
      fail(p, p->lx.cur.col, "expected a group key after 'in', found %s", lx_desc(&p->lx));
      return;
    }
    p->item->group = p->lx.cur.text;
    next(p);
    expect_end(p);
    return;
  }
  if (!strcmp(k, "input")) {
    if (!need_item(p, k)) return;
    crit_item *it = p->item;
    if (is_word(p, "yesno") || is_word(p, "percent")) {
      it->input = p->lx.cur.text[0] == 'y' ? INPUT_YESNO : INPUT_PERCENT;
      next(p);
    } else if (is_word(p, "level") || is_word(p, "number")) {
      it->input = p->lx.cur.text[0] == 'l' ? INPUT_LEVEL : INPUT_NUMBER;
      next(p);
      it->input_min = expect_int(p, "the lowest value", 0, 1000000);
      if (!is_punct(p, "..")) {
        fail(p, p->lx.cur.col, "expected '..' in a range such as 1..3, found %s", lx_desc(&p->lx));
        return;
      }
      next(p);
      it->input_max = expect_int(p, "the highest value", it->input_min, 1000000);
    } else {
      fail(p, p->lx.cur.col, "expected yesno, percent, level A..B or number A..B, found %s",
           lx_desc(&p->lx));
    }
    expect_end(p);
    return;
  }
  if (!strcmp(k, "value")) {
    if (!need_item(p, k)) return;
    p->item->value = parse_expr_line(p);
    return;
  }
  if (!strcmp(k, "when")) {
    if (!need_item(p, k)) return;
    p->item->when = parse_expr_line(p);
    return;
  }
  if (!strcmp(k, "points") || !strcmp(k, "level")) {
    if (!need_item(p, k)) return;
    crit_points_rule *r = arena_calloc(&p->set->mem, sizeof *r);
    if (k[0] == 'p') {
      if (p->lx.cur.kind != T_NUMBER) {
        fail(p, p->lx.cur.col, "expected the points awarded, found %s", lx_desc(&p->lx));
        return;
      }
      r->points = p->lx.cur.number;
      next(p);
    } else {
      r->level = expect_int(p, "the level", 1, 9);
    }
    if (!is_word(p, "when")) {
      fail(p, p->lx.cur.col, "expected 'when' and a rule, found %s", lx_desc(&p->lx));
      return;
    }
    next(p);
    r->when = parse_expr_line(p);
    crit_points_rule **tail = &p->item->rules;
    while (*tail) tail = &(*tail)->next;
    *tail = r;
    return;
  }
  if (!strcmp(k, "recognise")) {
    if (!need_title(p, k)) return;
    p->item = NULL;
    p->source_of = &t->recognise_source;
    if (is_word(p, "by")) {
      next(p);
      if (!is_word(p, "levels"))
        fail(p, p->lx.cur.col, "expected 'by levels', found %s", lx_desc(&p->lx));
      next(p);
      expect_end(p);
      return;
    }
    if (!is_word(p, "when")) {
      fail(p, p->lx.cur.col, "expected 'recognise when RULE' or 'recognise by levels', found %s",
           lx_desc(&p->lx));
      return;
    }
    next(p);
    t->recognise = parse_expr_line(p);
    return;
  }
  if (!strcmp(k, "source") || !strcmp(k, "assumed")) {
    p->lx.pos = 0;
    next(p); /* back to the keyword: parse_source reads it */
    if (p->item)
      parse_source(p, &p->item->source);
    else if (p->source_of && t)
      parse_source(p, p->source_of);
    else
      fail(p, kw.col, "'%s' must follow an item, a recognise or an eligible line", k);
    return;
  }
  fail(p, kw.col,
       "unknown keyword '%s'; a line starts with title, name, name_en, entity, decision, "
       "applies_from, applies_until, province, scoring, valid_months, registration, evidence, "
       "eligible, group, item, in, input, value, when, applies, points, level, recognise, "
       "source or assumed",
       k);
}

/* Checks one title once it is complete. */
static void check_title(parser *p, crit_title *t) {
  p->lx.lineno = t->line;
  p->lx.failed = 0;
  if (t->entity == CRIT_ENTITY_COUNT) {
    issues_add_at(p->out, t->line, 1,
                  "title %s has no 'entity' line; say what it evaluates (e.g. entity household)",
                  t->key);
  }
  if (!t->name)
    issues_add_at(p->out, t->line, 1, "title %s has no 'name' line (its Vietnamese name)", t->key);
  if (!t->decision) issues_add_at(p->out, t->line, 1, "title %s has no 'decision' line", t->key);
  if (!t->applies_from)
    issues_add_at(p->out, t->line, 1, "title %s has no 'applies_from' year", t->key);
  if (!t->items) issues_add_at(p->out, t->line, 1, "title %s has no items", t->key);
  if (!t->levels && !t->recognise)
    issues_add_at(p->out, t->line, 1, "title %s scores points but has no 'recognise when' rule",
                  t->key);
  if (t->eligible && !t->eligible_source.reference)
    issues_add_at(p->out, t->line, 1, "the eligible rule of %s needs a 'source' or 'assumed' line",
                  t->key);
  if (t->applies_until && t->applies_until < t->applies_from)
    issues_add_at(p->out, t->line, 1, "title %s applies until %d, before it applies from %d",
                  t->key, t->applies_until, t->applies_from);
  if (t->recognise && !t->recognise_source.reference)
    issues_add_at(p->out, t->line, 1, "the recognise rule of %s needs a 'source' or 'assumed' line",
                  t->key);
  for (crit_item *it = t->items; it; it = it->next) {
    if (!it->source.reference)
      issues_add_at(p->out, it->line, 1,
                    "item %s needs a 'source \"...\"' or 'assumed \"...\"' line (provenance)",
                    it->key);
    if (it->group) {
      int found = 0;
      for (crit_group *g = t->groups; g; g = g->next) found |= !strcmp(g->key, it->group);
      if (!found)
        issues_add_at(p->out, it->line, 1,
                      "item %s is in group %s, which is not defined; add 'group %s \"...\"'",
                      it->key, it->group, it->group);
    }
    int has_rule = it->when || it->rules || it->value;
    if (!has_rule && it->input == INPUT_NONE)
      issues_add_at(
          p->out, it->line, 1,
          "item %s has neither an 'input' nor a rule ('when', 'value', 'points' or 'level')",
          it->key);
    if (it->input != INPUT_NONE && it->value)
      issues_add_at(p->out, it->line, 1,
                    "item %s is both entered ('input') and derived ('value'); keep one", it->key);
    if ((it->input == INPUT_PERCENT || it->input == INPUT_LEVEL ||
         (it->input == INPUT_NUMBER && t->levels)) &&
        !it->when && !it->rules)
      issues_add_at(p->out, it->line, 1,
                    "item %s: say how its entered value scores with 'when RULE' or "
                    "'%s N when RULE' lines",
                    it->key, t->levels ? "level" : "points");
    if (t->levels) {
      if (it->max_points)
        issues_add_at(p->out, it->line, 1, "item %s has points, but title %s is scored by levels",
                      it->key, t->key);
      for (crit_points_rule *r = it->rules; r; r = r->next)
        if (!r->level)
          issues_add_at(p->out, it->line, 1,
                        "item %s: a title scored by levels uses 'level N when', not 'points'",
                        it->key);
        else if (r->level > t->levels)
          issues_add_at(p->out, it->line, 1, "item %s: level %d is above the title's %d levels",
                        it->key, r->level, t->levels);
    } else {
      for (crit_points_rule *r = it->rules; r; r = r->next) {
        if (r->level)
          issues_add_at(p->out, it->line, 1,
                        "item %s: a title scored by points uses 'points N when', not 'level'",
                        it->key);
        else if (r->points > it->max_points)
          issues_add_at(p->out, it->line, 1, "item %s awards %g points, more than its maximum %g",
                        it->key, r->points, it->max_points);
      }
      if (!it->max_points)
        issues_add_at(p->out, it->line, 1,
                      "item %s needs its maximum points after the key (e.g. item C1a 10 \"...\")",
                      it->key);
    }
  }
}

void crit_set_init(crit_set *set) {
  memset(set, 0, sizeof *set);
  arena_init(&set->mem, 0);
}

void crit_set_free(crit_set *set) {
  arena_free(&set->mem);
  memset(set, 0, sizeof *set);
}

static void statement_cb(void *p) {
  statement(p);
}

int crit_parse(crit_set *set, const char *file, const char *text, size_t len, issues *out) {
  parser p;
  memset(&p, 0, sizeof p);
  p.set = set;
  p.file = arena_strdup(&set->mem, file);
  p.out = out;
  p.lx.mem = &set->mem;
  p.lx.out = out;
  p.lx.punct = 1;
  out->file = p.file;
  long before = out->count;
  crit_title *last_old = set->titles;
  while (last_old && last_old->next) last_old = last_old->next;
  if (lx_each_line(&p.lx, file, text, len, statement_cb, &p) != HT_OK) return HT_EINVAL;
  for (crit_title *t = last_old ? last_old->next : set->titles; t; t = t->next) check_title(&p, t);
  return out->count > before ? HT_EINVAL : HT_OK;
}
