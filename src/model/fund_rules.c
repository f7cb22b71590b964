/*
 * fund_rules.c - the rules of an award programme (fund_rules.h,
 * docs/funds.md "Award programmes"): the parser and the matching.
 *
 * The tokens are few: words (keys, amounts, ranges, anything up to a space),
 * text in double quotes and '#' comments. Amounts are read as text by
 * fund_parse_amount, so no amount ever passes through a floating-point
 * number (the criteria lexer reads numbers as doubles, hence a tokenizer of
 * our own). A bad line is reported once, at its column, and skipped; the
 * checks that need the whole rule (conditions present, `from registry` with
 * conditions the registry can judge) run at the end. O(text).
 */
#include "model/fund_rules.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/vtext.h"
#include "model/fund.h"

static const char *const cond_names[] = {"achievement", "circumstance", "result", "in-school",
                                         "age",         "birth-year",   "grade"};
#define COND_COUNT ((int)(sizeof cond_names / sizeof cond_names[0]))

static const char *const result_keys[] = {"tot", "kha", "dat", "chua-dat", NULL}; /* best first */

const char *fund_cond_name(fund_cond_kind k) {
  return (int)k >= 0 && (int)k < COND_COUNT ? cond_names[k] : "?";
}

/* ------------------------------------------------------------ tokens */

enum { TOK_END, TOK_WORD, TOK_TEXT };

typedef struct tok {
  int kind;
  const char *text; /* a word, or the text between the quotes (NFC) */
  int col;          /* in characters, from 1 */
} tok;

typedef struct parser {
  arena *a;
  issues *out;
  fund_rules *rules;
  const char *line;
  size_t pos;
  int lineno;
  int failed; /* this line was reported: one problem a line */
  tok cur;
  fund_rule *rule;       /* the rule the `when` and `from` lines belong to */
  fund_rule **tail;      /* where the next rule goes */
  fund_cond **cond_tail; /* where the current rule's next condition goes */
  int rule_line_bad;     /* the current rule's own line was wrong */
  int rules_seen;        /* `rule` lines, good or bad */
  char *when_seen;       /* per rule in order: it had a `when` line, good or bad */
  size_t when_cap;
} parser;

static int column(const parser *p, size_t byte) {
  int col = 1;
  for (size_t i = 0; i < byte && p->line[i]; i++)
    if (((unsigned char)p->line[i] & 0xC0) != 0x80) col++;
  return col;
}

/* Reports a problem at col of the current line, once a line. */
static void fail(parser *p, int col, const char *en, const char *vi) {
  if (p->failed) return;
  p->failed = 1;
  issues_add_at(p->out, p->lineno, col, "%s", en);
  issues_vi(p->out, "%s", vi);
}

static void next(parser *p) {
  const char *s = p->line;
  while (s[p->pos] == ' ' || s[p->pos] == '\t') p->pos++;
  tok *t = &p->cur;
  memset(t, 0, sizeof *t);
  t->col = column(p, p->pos);
  size_t start = p->pos;
  if (!s[start] || s[start] == '#') return;
  if (s[start] == '"') {
    size_t i = start + 1;
    while (s[i] && s[i] != '"') i++;
    if (s[i] != '"') {
      fail(p, t->col, "unterminated text: close it with \" on the same line",
           "thiếu dấu \" đóng đoạn văn bản (trên cùng dòng).");
      p->pos = i;
      return; /* TOK_END */
    }
    char *raw = arena_strndup(p->a, s + start + 1, i - start - 1), *nfc = NULL;
    if (vt_nfc(raw, &nfc) == HT_OK) {
      t->text = arena_strdup(p->a, nfc);
      free(nfc);
    } else {
      t->text = raw;
    }
    t->kind = TOK_TEXT;
    p->pos = i + 1;
    return;
  }
  size_t i = start;
  while (s[i] && s[i] != ' ' && s[i] != '\t' && s[i] != '"' && s[i] != '#') i++;
  t->kind = TOK_WORD;
  t->text = arena_strndup(p->a, s + start, i - start);
  p->pos = i;
}

static const char *desc(parser *p) {
  switch (p->cur.kind) {
    case TOK_END: return "the end of the line";
    case TOK_TEXT: return arena_sprintf(p->a, "the text \"%s\"", p->cur.text);
    default: return arena_sprintf(p->a, "'%s'", p->cur.text);
  }
}

static const char *desc_vi(parser *p) {
  switch (p->cur.kind) {
    case TOK_END: return "hết dòng";
    case TOK_TEXT: return arena_sprintf(p->a, "đoạn văn bản \"%s\"", p->cur.text);
    default: return arena_sprintf(p->a, "'%s'", p->cur.text);
  }
}

#define S(...) arena_sprintf(p->a, __VA_ARGS__)

static int one_of(const char *s, const char *const *list) {
  for (int i = 0; s && list[i]; i++)
    if (!strcmp(s, list[i])) return 1;
  return 0;
}

static const char *joined(arena *a, const char *const *list) {
  size_t n = 1;
  for (int i = 0; list[i]; i++) n += strlen(list[i]) + 2;
  char *out = arena_alloc(a, n), *o = out;
  *o = 0;
  for (int i = 0; list[i]; i++) {
    if (i) o = stpcpy(o, ", ");
    o = stpcpy(o, list[i]);
  }
  return out;
}

/* Keys are lower-case kebab-case: a letter, then letters, digits and '-'; at most 40. */
static int valid_key(const char *s) {
  if (!(s[0] >= 'a' && s[0] <= 'z') || strlen(s) > 40) return 0;
  for (const char *c = s; *c; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-')) return 0;
  return 1;
}

static void expect_end(parser *p) {
  if (p->cur.kind != TOK_END)
    fail(p, p->cur.col, S("unexpected %s at the end of the line", desc(p)),
         S("thừa %s ở cuối dòng.", desc_vi(p)));
}

/* ------------------------------------------------------------ statements */

static void st_rule(parser *p) {
  p->rules_seen++;
  p->rule_line_bad = 1; /* until the line is read */
  fund_rule *r = arena_calloc(p->a, sizeof *r);
  r->line = p->lineno;
  r->key = "?";
  /* a rule opens even when its line is wrong, so its `when` lines are checked
   * and not misread as the previous rule's */
  p->rule = r;
  p->cond_tail = &r->conds;
  *p->tail = r;
  p->tail = &r->next;
  p->when_seen = arena_grow(p->a, p->when_seen, p->rules->count, &p->when_cap, 1);
  p->when_seen[p->rules->count++] = 0;
  if (p->rules_seen > FUND_RULES_MAX_RULES) {
    fail(p, 1,
         S("more than %d rules; a programme is not meant to be this long", FUND_RULES_MAX_RULES),
         S("quá %d quy định; hãy rút gọn chương trình.", FUND_RULES_MAX_RULES));
    return;
  }
  int col = p->cur.col;
  if (p->cur.kind != TOK_WORD) {
    fail(
        p, col, S("expected the rule's key after 'rule' (e.g. national-prize), found %s", desc(p)),
        S("sau 'rule' phải là mã của quy định (ví dụ national-prize), không phải %s.", desc_vi(p)));
    return;
  }
  if (!valid_key(p->cur.text)) {
    fail(p, col,
         S("'%s' is not a valid rule key: use up to 40 lower-case letters, digits and '-', "
           "starting with a letter (e.g. poor-good)",
           p->cur.text),
         S("'%s' không phải mã hợp lệ: dùng tối đa 40 chữ thường không dấu, chữ số và '-', bắt "
           "đầu bằng chữ cái (ví dụ poor-good).",
           p->cur.text));
    return;
  }
  for (const fund_rule *o = p->rules->first; o && o != r; o = o->next)
    if (!strcmp(o->key, p->cur.text)) {
      fail(p, col,
           S("the rule %s is already defined on line %d; give this one another key", p->cur.text,
             o->line),
           S("quy định %s đã có ở dòng %d; hãy đặt mã khác.", p->cur.text, o->line));
      return;
    }
  r->key = p->cur.text;
  next(p);
  int64_t amount = 0;
  if (p->cur.kind != TOK_WORD || fund_parse_amount(p->cur.text, &amount) != HT_OK || amount <= 0 ||
      amount > FUND_MAX_AMOUNT) {
    char max[32];
    fund_format_amount(FUND_MAX_AMOUNT, max);
    fail(p, p->cur.col,
         S("expected the amount in whole đồng after the key (e.g. 1.000.000), from 1 to %s, "
           "found %s",
           max, desc(p)),
         S("sau mã quy định phải là số tiền, số đồng nguyên từ 1 đến %s (ví dụ 1.000.000), "
           "không phải %s.",
           max, desc_vi(p)));
    return;
  }
  r->amount = amount;
  next(p);
  if (p->cur.kind == TOK_WORD &&
      (!strcmp(p->cur.text, "đ") || !strcmp(p->cur.text, "đồng") || !strcmp(p->cur.text, "VND")))
    next(p);
  if (p->cur.kind != TOK_WORD || !one_of(p->cur.text, fund_categories)) {
    fail(p, p->cur.col,
         S("expected the category after the amount, one of %s; found %s",
           joined(p->a, fund_categories), desc(p)),
         S("sau số tiền phải là loại chi, một trong: %s; không phải %s.",
           joined(p->a, fund_categories), desc_vi(p)));
    return;
  }
  r->category = p->cur.text;
  next(p);
  if (p->cur.kind != TOK_TEXT) {
    fail(p, p->cur.col,
         S("expected the reason in double quotes after the category (it is the memo of every "
           "payment), found %s",
           desc(p)),
         S("sau loại chi phải là lý do chi trong dấu ngoặc kép (ghi vào từng khoản chi), không "
           "phải %s.",
           desc_vi(p)));
    return;
  }
  char *clean = NULL;
  if (vt_clean(p->cur.text, &clean) == HT_OK) {
    r->reason = arena_strdup(p->a, clean);
    free(clean);
  }
  if (!r->reason || !*r->reason) {
    fail(p, p->cur.col, "the reason is empty; say what the award is for",
         "lý do chi đang để trống; hãy ghi khoản chi dành cho ai, vì sao.");
    return;
  }
  next(p);
  expect_end(p);
  if (!p->failed) p->rule_line_bad = 0;
}

/* Reads the range "A..B" or "A" of the current word into lo, hi; 0 on success. */
static int read_range(const char *s, int *lo, int *hi) {
  char *end;
  if (!(*s >= '0' && *s <= '9')) return -1;
  long a = strtol(s, &end, 10), b = a;
  if (end[0] == '.' && end[1] == '.') {
    const char *t = end + 2;
    if (!(*t >= '0' && *t <= '9')) return -1;
    b = strtol(t, &end, 10);
  }
  if (*end || a > 100000 || b > 100000) return -1;
  *lo = (int)a;
  *hi = (int)b;
  return 0;
}

static void st_when(parser *p, int kw_col) {
  if (!p->rule) {
    fail(p, kw_col, "'when' must come after a 'rule' line (a condition belongs to a rule)",
         "dòng 'when' phải nằm sau một dòng 'rule' (điều kiện thuộc về một quy định).");
    return;
  }
  p->when_seen[p->rules->count - 1] = 1;
  if (p->cur.kind != TOK_WORD) {
    fail(p, p->cur.col,
         S("expected a condition after 'when' (%s), found %s",
           joined(p->a, (const char *const[]){"achievement", "circumstance", "result", "in-school",
                                              "age", "birth-year", "grade", NULL}),
           desc(p)),
         S("sau 'when' phải là một điều kiện (achievement, circumstance, result, in-school, age, "
           "birth-year, grade), không phải %s.",
           desc_vi(p)));
    return;
  }
  int kind = -1;
  for (int k = 0; k < COND_COUNT; k++)
    if (!strcmp(p->cur.text, cond_names[k])) kind = k;
  if (kind < 0) {
    fail(p, p->cur.col,
         S("unknown condition '%s'; a condition is achievement, circumstance, result, in-school, "
           "age, birth-year or grade",
           p->cur.text),
         S("không có điều kiện '%s'; điều kiện là achievement (thành tích), circumstance (hoàn "
           "cảnh), result (kết quả học tập), in-school (đang đi học), age (tuổi), birth-year "
           "(năm sinh) hoặc grade (lớp).",
           p->cur.text));
    return;
  }
  fund_cond *c = arena_calloc(p->a, sizeof *c);
  c->kind = (fund_cond_kind)kind;
  c->line = p->lineno;
  next(p);
  switch (c->kind) {
    case FUND_COND_ACHIEVEMENT:
    case FUND_COND_CIRCUMSTANCE:
    case FUND_COND_RESULT: {
      const char *const *allowed = c->kind == FUND_COND_ACHIEVEMENT    ? fund_achievements
                                   : c->kind == FUND_COND_CIRCUMSTANCE ? fund_circumstances
                                                                       : result_keys;
      const char *what = c->kind == FUND_COND_ACHIEVEMENT    ? "achievement"
                         : c->kind == FUND_COND_CIRCUMSTANCE ? "circumstance"
                                                             : "school result";
      const char *what_vi = c->kind == FUND_COND_ACHIEVEMENT    ? "thành tích"
                            : c->kind == FUND_COND_CIRCUMSTANCE ? "hoàn cảnh"
                                                                : "kết quả học tập";
      const char *hint = c->kind == FUND_COND_RESULT
                             ? S("%s, or e.g. kha-or-better", joined(p->a, allowed))
                             : joined(p->a, allowed);
      size_t cap = 0;
      if (p->cur.kind == TOK_END) {
        fail(p, p->cur.col, S("'when %s' needs one or more values: %s", cond_names[kind], hint),
             S("'when %s' cần ít nhất một giá trị: %s.", cond_names[kind], hint));
        return;
      }
      while (p->cur.kind != TOK_END) {
        const char *v = p->cur.kind == TOK_WORD ? p->cur.text : NULL;
        size_t n = v ? strlen(v) : 0;
        if (c->kind == FUND_COND_RESULT && n > 10 && !strcmp(v + n - 10, "-or-better")) {
          const char *base = arena_strndup(p->a, v, n - 10);
          int at = -1;
          for (int i = 0; result_keys[i]; i++)
            if (!strcmp(result_keys[i], base)) at = i;
          if (at >= 0) {
            for (int i = 0; i <= at; i++) {
              c->values = arena_grow(p->a, c->values, c->nvalues, &cap, sizeof *c->values);
              c->values[c->nvalues++] = result_keys[i];
            }
            next(p);
            continue;
          }
        }
        if (!v || !one_of(v, allowed)) {
          fail(p, p->cur.col, S("unknown %s %s; use %s", what, desc(p), hint),
               S("%s %s không hợp lệ; dùng: %s.", what_vi, desc_vi(p), hint));
          return;
        }
        c->values = arena_grow(p->a, c->values, c->nvalues, &cap, sizeof *c->values);
        c->values[c->nvalues++] = v;
        next(p);
      }
      break;
    }
    case FUND_COND_IN_SCHOOL:
      if (p->cur.kind != TOK_END) {
        fail(p, p->cur.col, S("'when in-school' takes no value, found %s", desc(p)),
             S("'when in-school' không có giá trị đi kèm, nhưng có %s.", desc_vi(p)));
        return;
      }
      break;
    default: {
      int lo_max = c->kind == FUND_COND_AGE ? 0 : c->kind == FUND_COND_GRADE ? 1 : 1900;
      int hi_max = c->kind == FUND_COND_AGE ? 120 : c->kind == FUND_COND_GRADE ? 12 : 2100;
      const char *example = c->kind == FUND_COND_AGE     ? "6..18"
                            : c->kind == FUND_COND_GRADE ? "6..9"
                                                         : "2007..2013";
      int lo, hi;
      if (p->cur.kind != TOK_WORD || read_range(p->cur.text, &lo, &hi) != 0) {
        fail(p, p->cur.col,
             S("'when %s' needs a range FROM..TO or one number (e.g. %s), found %s",
               cond_names[kind], example, desc(p)),
             S("'when %s' cần một khoảng TỪ..ĐẾN hoặc một số (ví dụ %s), không phải %s.",
               cond_names[kind], example, desc_vi(p)));
        return;
      }
      if (lo > hi || lo < lo_max || hi > hi_max) {
        fail(p, p->cur.col,
             S("the range %s of '%s' must go upwards within %d..%d", p->cur.text, cond_names[kind],
               lo_max, hi_max),
             S("khoảng %s của '%s' phải tăng dần và nằm trong %d..%d.", p->cur.text,
               cond_names[kind], lo_max, hi_max));
        return;
      }
      c->lo = lo;
      c->hi = hi;
      next(p);
      expect_end(p);
      if (p->failed) return;
    }
  }
  *p->cond_tail = c;
  p->cond_tail = &c->next;
}

static void st_from(parser *p, int kw_col) {
  if (!p->rule) {
    fail(p, kw_col, "'from registry' must come after a 'rule' line",
         "dòng 'from registry' phải nằm sau một dòng 'rule'.");
    return;
  }
  if (p->cur.kind != TOK_WORD || strcmp(p->cur.text, "registry")) {
    fail(p, p->cur.col, S("expected 'from registry', found %s after 'from'", desc(p)),
         S("phải viết 'from registry', không phải %s sau 'from'.", desc_vi(p)));
    return;
  }
  next(p);
  expect_end(p);
  if (p->failed) return;
  if (p->rule->from_registry) {
    fail(p, kw_col, S("the rule %s says 'from registry' twice", p->rule->key),
         S("quy định %s có hai dòng 'from registry'.", p->rule->key));
    return;
  }
  p->rule->from_registry = 1;
}

static void statement(parser *p) {
  tok kw = p->cur;
  if (kw.kind != TOK_WORD) {
    fail(p, kw.col, S("a line starts with rule, when or from, not %s", desc(p)),
         S("mỗi dòng bắt đầu bằng rule, when hoặc from, không phải %s.", desc_vi(p)));
    return;
  }
  next(p);
  if (!strcmp(kw.text, "rule"))
    st_rule(p);
  else if (!strcmp(kw.text, "when"))
    st_when(p, kw.col);
  else if (!strcmp(kw.text, "from"))
    st_from(p, kw.col);
  else
    fail(p, kw.col, S("unknown keyword '%s'; a line starts with rule, when or from", kw.text),
         S("không có từ khóa '%s'; mỗi dòng bắt đầu bằng rule, when hoặc from.", kw.text));
}

/* The checks that need whole rules. */
static void check_rules(parser *p, int bad_lines) {
  size_t index = 0;
  for (const fund_rule *r = p->rules->first; r; r = r->next, index++) {
    /* a rule whose own line or whose condition was wrong has been reported:
     * its lack of conditions is no news */
    int reported = !strcmp(r->key, "?") || p->when_seen[index];
    for (long i = 0; i < p->out->kept && !reported; i++)
      reported = p->out->items[i].row == r->line && p->out->items[i].file == p->out->file;
    if (!r->conds && !reported) {
      issues_add_at(p->out, r->line, 1,
                    "the rule %s has no 'when' line; every rule says who qualifies", r->key);
      issues_vi(p->out, "Quy định %s chưa có dòng 'when' nào; mỗi quy định phải nói ai được nhận.",
                r->key);
    }
    if (!r->from_registry) continue;
    for (const fund_cond *c = r->conds; c; c = c->next)
      if (c->kind == FUND_COND_ACHIEVEMENT || c->kind == FUND_COND_CIRCUMSTANCE ||
          c->kind == FUND_COND_GRADE) {
        issues_add_at(p->out, c->line, 1,
                      "the rule %s takes persons from the registry, which does not record their "
                      "%s; use result, in-school, age or birth-year, or drop 'from registry'",
                      r->key, fund_cond_name(c->kind));
        issues_vi(p->out,
                  "Quy định %s lấy người từ sổ đăng ký, nơi không ghi '%s'; hãy dùng result, "
                  "in-school, age hoặc birth-year, hoặc bỏ 'from registry'.",
                  r->key, fund_cond_name(c->kind));
      }
  }
  if (!p->rules_seen && !bad_lines) {
    issues_add_at(p->out, 0, 0, "the rules have no 'rule' line");
    issues_vi(p->out, "Chưa có quy định nào (dòng 'rule').");
  }
}

int fund_rules_parse(const char *text, size_t len, arena *a, fund_rules *out, issues *problems) {
  memset(out, 0, sizeof *out);
  long before = problems->count;
  if (len > FUND_RULES_MAX_BYTES) {
    issues_add_at(problems, 0, 0, "the rules are longer than %d KiB", FUND_RULES_MAX_BYTES / 1024);
    issues_vi(problems, "Nội dung quy định dài quá %d KiB.", FUND_RULES_MAX_BYTES / 1024);
    return HT_EINVAL;
  }
  if (!vt_utf8_valid(text, len)) {
    issues_add_at(problems, 0, 0, "the rules are not valid UTF-8 text");
    issues_vi(problems, "Nội dung quy định không phải văn bản UTF-8 hợp lệ.");
    return HT_EINVAL;
  }
  parser p;
  memset(&p, 0, sizeof p);
  p.a = a;
  p.out = problems;
  p.rules = out;
  p.tail = &out->first;
  size_t start = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
  int lineno = 0, bad_lines = 0;
  while (start < len) {
    size_t end = start;
    while (end < len && text[end] != '\n') end++;
    size_t n = end - start;
    if (n && text[start + n - 1] == '\r') n--;
    lineno++;
    if (memchr(text + start, '\0', n)) {
      issues_add_at(problems, lineno, 1, "the line contains a NUL byte");
      issues_vi(problems, "Dòng này chứa ký tự NUL.");
      bad_lines++;
    } else {
      p.line = arena_strndup(a, text + start, n);
      p.lineno = lineno;
      p.pos = 0;
      p.failed = 0;
      next(&p);
      if (p.cur.kind != TOK_END || p.failed) {
        if (!p.failed) statement(&p);
        bad_lines += p.failed;
      }
    }
    start = end + 1;
  }
  check_rules(&p, bad_lines);
  for (const fund_rule *r = out->first; r; r = r->next) out->from_registry |= r->from_registry;
  return problems->count > before ? HT_EINVAL : HT_OK;
}

/* ------------------------------------------------------------ matching */

/* Does the '|' list hold key? */
static int list_has(const char *list, const char *key) {
  size_t n = strlen(key);
  for (const char *s = list; s && *s;) {
    const char *bar = strchr(s, '|');
    size_t m = bar ? (size_t)(bar - s) : strlen(s);
    if (m == n && !memcmp(s, key, n)) return 1;
    s = bar ? bar + 1 : s + m;
  }
  return 0;
}

/* The first number in a grade as people write it ("9", "lớp 9", "9A"); 0 when none. */
static int grade_number(const char *s) {
  for (; s && *s; s++)
    if (*s >= '0' && *s <= '9') {
      long v = strtol(s, NULL, 10);
      return v > 0 && v < 100 ? (int)v : 0;
    }
  return 0;
}

static int holds(const fund_cond *c, const fund_candidate *x, int year) {
  switch (c->kind) {
    case FUND_COND_ACHIEVEMENT:
    case FUND_COND_CIRCUMSTANCE: {
      if (!x->is_beneficiary) return 0;
      const char *list = c->kind == FUND_COND_ACHIEVEMENT ? x->achievements : x->circumstances;
      for (size_t i = 0; i < c->nvalues; i++)
        if (list_has(list, c->values[i])) return 1;
      return 0;
    }
    case FUND_COND_RESULT:
      if (!x->has_year || !x->result) return 0;
      for (size_t i = 0; i < c->nvalues; i++)
        if (!strcmp(x->result, c->values[i])) return 1;
      return 0;
    case FUND_COND_IN_SCHOOL:
      if (x->has_year) return x->in_school != 0;
      return x->is_beneficiary && x->school && *x->school;
    case FUND_COND_AGE:
      return x->birth_year && year - x->birth_year >= c->lo && year - x->birth_year <= c->hi;
    case FUND_COND_BIRTH_YEAR:
      return x->birth_year && x->birth_year >= c->lo && x->birth_year <= c->hi;
    case FUND_COND_GRADE: {
      int g = x->is_beneficiary ? grade_number(x->grade) : 0;
      return g && g >= c->lo && g <= c->hi;
    }
  }
  return 0;
}

const fund_rule *fund_rules_match(const fund_rules *r, const fund_candidate *c, int year) {
  for (const fund_rule *rule = r->first; rule; rule = rule->next) {
    if (!c->is_beneficiary && !rule->from_registry) continue;
    int ok = rule->conds != NULL;
    for (const fund_cond *k = rule->conds; k && ok; k = k->next) ok = holds(k, c, year);
    if (ok) return rule;
  }
  return NULL;
}
