/*
 * explain.c - why an entity got its result: for each item the rule, the
 * values the rule saw ("3 of 5 households = 60% < 70%") and the outcome;
 * then the recognition. Re-evaluates the rule's nodes for the one entity with
 * the same evaluator as the bulk evaluation, so the explanation cannot
 * disagree with the result. Vietnamese ("vi") or English ("en").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_int.h"

typedef struct words {
  const char *yes, *no, *holds, *fails, *of, *points, *level, *none, *recognised, *not_recognised;
  const char *not_registered, *not_eligible, *missing, *no_evidence, *na, *override, *total;
  const char *value, *when, *item_level, *registration_optional;
} words;

static const words VI = {"có",
                         "không",
                         "đạt",
                         "không đạt",
                         "trên",
                         "điểm",
                         "mức",
                         "chưa có",
                         "ĐƯỢC CÔNG NHẬN",
                         "CHƯA ĐƯỢC CÔNG NHẬN",
                         "Chưa đăng ký",
                         "Không thuộc đối tượng đánh giá",
                         "chưa nhập giá trị",
                         "chưa có minh chứng (chỉ số cần minh chứng)",
                         "không áp dụng cho đơn vị này (tính là đạt)",
                         "người thẩm định đã điều chỉnh kết quả",
                         "Tổng",
                         "giá trị",
                         "khi",
                         "đạt mức",
                         "không bắt buộc đăng ký"};
static const words EN = {"yes",
                         "no",
                         "holds",
                         "fails",
                         "of",
                         "points",
                         "level",
                         "none",
                         "RECOGNISED",
                         "NOT RECOGNISED",
                         "Not registered",
                         "Not eligible for evaluation",
                         "no value entered",
                         "no evidence (this indicator needs evidence)",
                         "does not apply to this unit (counts as met)",
                         "a reviewer overrode the result",
                         "Total",
                         "value",
                         "when",
                         "reaches level",
                         "registration optional"};

static const words *W(const char *lang) {
  return lang && !strcmp(lang, "en") ? &EN : &VI;
}

static const char *collection_name(const char *c, const char *lang) {
  static const char *const keys[] = {"members",       "persons",  "households", "clans", "villages",
                                     "organisations", "communes", "districts",  "items"};
  static const char *const vi[] = {"thành viên", "người", "hộ",    "dòng họ", "thôn",
                                   "đơn vị",     "xã",    "huyện", "chỉ số"};
  for (int i = 0; i < 9; i++)
    if (!strcmp(c, keys[i])) return W(lang) == &EN ? keys[i] : vi[i];
  return c;
}

static double eval1(engine *e, eng_title *t, eng_item *it, int32_t j, const crit_expr *x) {
  double out;
  ev_ctx c = {e, t, it, NULL, t->kind, &j, 1};
  eng__ev(&c, x, &out);
  return out;
}

static void put_number(strbuf *b, double v, int percent, const char *lang) {
  if (isnan(v)) {
    strbuf_puts(b, W(lang)->none);
    return;
  }
  if (percent) {
    /* One decimal when that is the value (70%, 12,5%). Otherwise one decimal
     * could show a share just below a threshold as the threshold itself
     * (97/99 = 97,98% shown as "98% >= 98% → fails"), so take the fewest
     * decimals, from 2, whose rounding is not a one-decimal number. Float
     * noise (values are stored as float) below 1e-4 points is ignored. */
    double pct = v * 100.0;
    int dec = 1;
    if (fabs(pct - round(pct * 10) / 10) > 1e-4)
      for (dec = 2; dec < 4; dec++) {
        double scale = pow(10, dec), shown = round(pct * scale) / scale;
        if (fabs(shown * 10 - round(shown * 10)) > 1e-6) break;
      }
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%.*f", dec, pct);
    size_t n = strlen(tmp);
    if (n > 2 && !strcmp(tmp + n - 2, ".0")) tmp[n - 2] = 0;
    if (W(lang) == &VI)
      for (char *p = tmp; *p; p++)
        if (*p == '.') *p = ',';
    strbuf_printf(b, "%s%%", tmp);
  } else {
    strbuf_printf(b, "%g", v);
  }
}

static int is_share(const crit_expr *x) {
  return x && ((x->op == OP_AGG && x->agg == AGG_SHARE) ||
               (x->op == OP_NUMBER && x->number > 0 && x->number < 1));
}

static void rule_text(strbuf *b, const crit_expr *x) {
  crit_expr_format(b, x);
}

/* The counts an aggregate saw for one entity. */
static void agg_counts(engine *e, eng_title *t, eng_item *it, int32_t j, const crit_expr *x,
                       int32_t *matched, int32_t *passed) {
  *matched = *passed = 0;
  if (!strcmp(x->name, "items")) {
    for (int k = 0; k < t->nitems; k++) {
      ev_ctx c = {e, t, it, t->items[k].value, t->kind, &j, 1};
      double w = 1, v = 1;
      if (x->a) eng__ev(&c, x->a, &w);
      if (!eng__truthy(w)) continue;
      (*matched)++;
      if (x->b) eng__ev(&c, x->b, &v);
      *passed += eng__truthy(v);
    }
    return;
  }
  static const char *const names[] = {"members",  "persons",       "households", "clans",
                                      "villages", "organisations", "communes",   "districts"};
  static const crit_entity kinds[] = {CRIT_PERSON,  CRIT_PERSON,  CRIT_HOUSEHOLD,
                                      CRIT_CLAN,    CRIT_VILLAGE, CRIT_ORGANISATION,
                                      CRIT_COMMUNE, CRIT_DISTRICT};
  int ck = -1;
  for (int i = 0; i < 8; i++)
    if (!strcmp(x->name, names[i])) ck = kinds[i];
  const eng_rel *r = ck >= 0 ? eng__rel(e, t->kind, (crit_entity)ck) : NULL;
  if (!r) return;
  int32_t n = r->off[j + 1] - r->off[j];
  ev_ctx c = {e, t, it, NULL, (crit_entity)ck, r->list + r->off[j], n};
  double *w = x->a ? eng__tmp(e, (size_t)n) : NULL, *v = x->b ? eng__tmp(e, (size_t)n) : NULL;
  if (w) eng__ev(&c, x->a, w);
  if (v) eng__ev(&c, x->b, v);
  for (int32_t i = 0; i < n; i++) {
    if (w && !eng__truthy(w[i])) continue;
    (*matched)++;
    if (!v || eng__truthy(v[i])) (*passed)++;
  }
  if (v) eng__untmp(e, v);
  if (w) eng__untmp(e, w);
}

static void describe(engine *e, eng_title *t, eng_item *it, int32_t j, const crit_expr *x,
                     const char *lang, strbuf *b);

static void describe_agg(engine *e, eng_title *t, eng_item *it, int32_t j, const crit_expr *x,
                         const char *lang, strbuf *b) {
  int32_t matched, passed;
  agg_counts(e, t, it, j, x, &matched, &passed);
  const char *coll = collection_name(x->name, lang);
  int en = W(lang) == &EN;
  strbuf_putc(b, '[');
  rule_text(b, x);
  strbuf_puts(b, "]: ");
  switch (x->agg) {
    case AGG_COUNT: strbuf_printf(b, "%d %s", matched, coll); break;
    case AGG_SHARE:
      strbuf_printf(b, "%d %s %d %s = ", passed, W(lang)->of, matched, coll);
      put_number(b, matched ? (double)passed / matched : 0, 1, lang);
      break;
    case AGG_EVERY:
      if (!matched)
        strbuf_printf(b, en ? "no such %s → holds" : "không có %s nào như vậy → đúng", coll);
      else
        strbuf_printf(b, en ? "%d of %d %s → %s" : "%d/%d %s → %s", passed, matched, coll,
                      passed == matched ? W(lang)->holds : W(lang)->fails);
      break;
    case AGG_ANY:
      strbuf_printf(b, en ? "%d of %d %s → %s" : "%d/%d %s → %s", passed, matched, coll,
                    passed ? W(lang)->holds : W(lang)->fails);
      break;
  }
}

static void describe_operand(engine *e, eng_title *t, eng_item *it, int32_t j, const crit_expr *x,
                             const char *lang, int percent, strbuf *b) {
  if (x->op == OP_AGG) {
    describe_agg(e, t, it, j, x, lang, b);
    return;
  }
  if (x->op == OP_NUMBER || x->op == OP_BOOL || x->op == OP_ENUM || x->op == OP_STRING) {
    if (x->op == OP_NUMBER)
      put_number(b, x->number, percent, lang);
    else if (x->op == OP_BOOL)
      strbuf_puts(b, x->number ? W(lang)->yes : W(lang)->no);
    else
      rule_text(b, x);
    return;
  }
  rule_text(b, x);
  double v = eval1(e, t, it, j, x);
  strbuf_puts(b, " = ");
  if (x->op == OP_FIELD && !strcmp(x->name, "kind") && v >= 0 && v < e->f.ndict)
    strbuf_printf(b, "\"%s\"", e->f.dict[(int)v]);
  else if (x->op == OP_FIELD && x->name[0] == 'g' && v >= 0 && v < e->f.ndict)
    strbuf_puts(b, e->f.dict[(int)v]);
  else if (it && x->op == OP_VALUE && it->ci->input == INPUT_YESNO && !isnan(v))
    strbuf_puts(b, v ? W(lang)->yes : W(lang)->no);
  else
    put_number(b, v, percent, lang);
}

static void describe(engine *e, eng_title *t, eng_item *it, int32_t j, const crit_expr *x,
                     const char *lang, strbuf *b) {
  const words *w = W(lang);
  switch (x->op) {
    case OP_AND:
    case OP_OR:
      strbuf_putc(b, '(');
      describe(e, t, it, j, x->a, lang, b);
      strbuf_puts(b, x->op == OP_AND ? (w == &EN ? ") and (" : ") và (")
                                     : (w == &EN ? ") or (" : ") hoặc ("));
      describe(e, t, it, j, x->b, lang, b);
      strbuf_putc(b, ')');
      return;
    case OP_NOT:
      strbuf_puts(b, w == &EN ? "not (" : "không (");
      describe(e, t, it, j, x->a, lang, b);
      strbuf_puts(b, ")");
      break;
    case OP_CMP: {
      int percent = is_share(x->a) || is_share(x->b) ||
                    (it && x->a->op == OP_VALUE && it->ci->input == INPUT_PERCENT) ||
                    (it && x->a->op == OP_VALUE && it->ci->value && is_share(it->ci->value));
      describe_operand(e, t, it, j, x->a, lang, percent, b);
      strbuf_printf(b, " %s ", x->name);
      describe_operand(e, t, it, j, x->b, lang, percent, b);
      break;
    }
    case OP_BETWEEN:
      describe_operand(e, t, it, j, x->a, lang, 0, b);
      strbuf_puts(b, w == &EN ? " between " : " trong khoảng ");
      describe_operand(e, t, it, j, x->b, lang, 0, b);
      strbuf_puts(b, "–");
      describe_operand(e, t, it, j, x->c, lang, 0, b);
      break;
    case OP_AGG: describe_agg(e, t, it, j, x, lang, b); return;
    default: describe_operand(e, t, it, j, x, lang, 0, b); break;
  }
  strbuf_printf(b, " → %s", eng__truthy(eval1(e, t, it, j, x)) ? w->holds : w->fails);
}

void eng_explain_item(engine *e, int title, int item, int32_t j, const char *lang,
                      eng_item_explain *out) {
  eng_title *t = &e->titles[title];
  eng_item *it = &t->items[item];
  const crit_item *ci = it->ci;
  const words *w = W(lang);
  int levels = t->t->levels;
  memset(out, 0, sizeof *out);
  out->item = ci;
  out->value = it->value[j];
  out->result = it->result[j];
  uint8_t fl = it->flags[j];
  double full = levels ? levels : ci->max_points;
  out->status = fl & F_OVERRIDE       ? "override"
                : fl & F_NA           ? "not-applicable"
                : fl & F_MISSING      ? "missing"
                : fl & F_NO_EVIDENCE  ? "no-evidence"
                : out->result >= full ? "pass"
                : out->result > 0     ? "partial"
                                      : "fail";
  strbuf b = STRBUF_INIT;
  if (fl & F_OVERRIDE) {
    strbuf_printf(&b, "%s. ", w->override);
  } else if (fl & F_NA) {
    strbuf_printf(&b, "%s", w->na);
    if (ci->applies) {
      strbuf_puts(&b, ": ");
      describe(e, t, it, j, ci->applies, lang, &b);
    }
    goto done;
  } else if (fl & F_MISSING) {
    strbuf_printf(&b, "%s", w->missing);
    goto done;
  } else if (fl & F_NO_EVIDENCE) {
    strbuf_printf(&b, "%s", w->no_evidence);
    goto done;
  }
  if (ci->value) {
    if (ci->value->op == OP_AGG)
      describe_agg(e, t, it, j, ci->value, lang, &b);
    else
      describe(e, t, it, j, ci->value, lang, &b);
    strbuf_puts(&b, ". ");
  } else if (it->entered) {
    strbuf_printf(&b, "%s: ", w == &EN ? "entered" : "giá trị nhập");
    if (ci->input == INPUT_YESNO)
      strbuf_puts(&b, eng__truthy(it->value[j]) ? w->yes : w->no);
    else
      put_number(&b, it->value[j], ci->input == INPUT_PERCENT, lang);
    strbuf_puts(&b, ". ");
  }
  if (ci->rules) {
    for (const crit_points_rule *r = ci->rules; r; r = r->next) {
      if (levels)
        strbuf_printf(&b, "%s %d: ", w->level, r->level);
      else
        strbuf_printf(&b, "%g %s %s ", r->points, w->points, w->when);
      describe(e, t, it, j, r->when, lang, &b);
      strbuf_puts(&b, "; ");
    }
  } else if (ci->when) {
    describe(e, t, it, j, ci->when, lang, &b);
    strbuf_puts(&b, "; ");
  }
done:
  while (b.len &&
         (b.data[b.len - 1] == ' ' || b.data[b.len - 1] == ';' || b.data[b.len - 1] == '.'))
    b.data[--b.len] = 0;
  if (levels)
    strbuf_printf(&b, "%s%s %g/%d", b.len ? ". " : "", w->item_level, out->result, levels);
  else
    strbuf_printf(&b, "%s%g/%g %s", b.len ? ". " : "", out->result, ci->max_points, w->points);
  snprintf(out->detail, sizeof out->detail, "%s", strbuf_cstr(&b));
  strbuf_free(&b);
}

void eng_explain_recognition(engine *e, int title, int32_t j, const char *lang, strbuf *b) {
  eng_title *t = &e->titles[title];
  const crit_title *ct = t->t;
  const words *w = W(lang);
  if (!t->eligible[j]) {
    strbuf_puts(b, w->not_eligible);
    if (ct->eligible) {
      strbuf_puts(b, ": ");
      describe(e, t, NULL, j, ct->eligible, lang, b);
    }
    strbuf_printf(b, ". %s.", w->not_recognised);
    return;
  }
  if (ct->requires_registration && !t->registered[j]) {
    strbuf_printf(b, "%s. %s.", w->not_registered, w->not_recognised);
    return;
  }
  if (ct->levels) {
    strbuf_printf(b,
                  w == &EN ? "The level granted is the lowest level every item reaches: %d. "
                           : "Mức đạt là mức thấp nhất mà mọi chỉ số đều đạt: %d. ",
                  t->level[j]);
  } else {
    strbuf_printf(b, "%s %g %s. ", w->total, t->total[j], w->points);
    if (ct->recognise) describe(e, t, NULL, j, ct->recognise, lang, b);
    strbuf_puts(b, ". ");
  }
  strbuf_printf(b, "%s.", t->recognised[j] ? w->recognised : w->not_recognised);
}

void eng_explain_text(engine *e, int title, int32_t j, const char *lang, strbuf *out) {
  eng_title *t = &e->titles[title];
  const crit_title *ct = t->t;
  int en = W(lang) == &EN;
  strbuf code = STRBUF_INIT;
  eng_code(e, t->kind, j, &code);
  strbuf_printf(out, "%s — %s %d — %s\n", en && ct->name_en ? ct->name_en : ct->name,
                en ? "year" : "năm", e->f.year, strbuf_cstr(&code));
  strbuf_printf(out, "%s: %s\n", en ? "Criteria" : "Bộ tiêu chí", ct->decision);
  strbuf_free(&code);
  for (int k = 0; k < t->nitems; k++) {
    eng_item_explain x;
    eng_explain_item(e, title, k, j, lang, &x);
    strbuf_printf(out, "\n%s  %s\n    %s\n", x.item->key, x.item->text, x.detail);
  }
  strbuf_puts(out, "\n");
  eng_explain_recognition(e, title, j, lang, out);
  strbuf_puts(out, "\n");
}
