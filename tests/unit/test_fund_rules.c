/* test_fund_rules.c - the award programmes' rules (model/fund_rules.h): what a
 * good text parses into, every problem reported at its line and column, and
 * which rule a candidate gets (the first that matches). */
#include <stdlib.h>
#include <string.h>

#include "model/fund_rules.h"
#include "test.h"

static int parse(const char *text, arena *a, fund_rules *r, issues *p) {
  issues_init(p, a);
  return fund_rules_parse(text, strlen(text), a, r, p);
}

TEST(programme_rules_parse_into_rules_and_conditions) {
  arena a;
  arena_init(&a, 0);
  fund_rules r;
  issues p;
  const char *text =
      "# Khen thưởng năm học\n"
      "rule national-prize 2.000.000 award \"Học sinh đạt giải quốc gia\"\n"
      "  when achievement national-prize international-prize   # either\n"
      "\n"
      "rule poor-good 1,000,000 đ scholarship \"Học sinh hộ nghèo  có kết quả tốt\"\r\n"
      "  when circumstance poor near-poor\n"
      "  when result kha-or-better\n"
      "rule good-pupil 300000 award \"Học sinh giỏi\"\n"
      "  from registry\n"
      "  when in-school\n"
      "  when result tot\n"
      "  when age 6..18\n"
      "rule grade-nine 500000 gift \"Lớp 9\"\n"
      "  when grade 9\n"
      "  when birth-year 2008..2012\n";
  CHECK_EQ_INT(parse(text, &a, &r, &p), HT_OK);
  CHECK_EQ_INT(p.count, 0);
  CHECK_EQ_INT(r.count, 4);
  CHECK(r.from_registry);
  const fund_rule *x = r.first;
  CHECK_EQ_STR(x->key, "national-prize");
  CHECK(x->amount == 2000000);
  CHECK_EQ_STR(x->category, "award");
  CHECK_EQ_STR(x->reason, "Học sinh đạt giải quốc gia");
  CHECK_EQ_INT(x->line, 2);
  CHECK(!x->from_registry);
  CHECK(x->conds && x->conds->kind == FUND_COND_ACHIEVEMENT && x->conds->nvalues == 2);
  x = x->next;
  CHECK(x->amount == 1000000);
  CHECK_EQ_STR(x->category, "scholarship");
  CHECK_EQ_STR(x->reason, "Học sinh hộ nghèo có kết quả tốt"); /* spaces collapsed */
  const fund_cond *c = x->conds->next;
  CHECK(c->kind == FUND_COND_RESULT && c->nvalues == 2);
  CHECK_EQ_STR(c->values[0], "tot");
  CHECK_EQ_STR(c->values[1], "kha");
  CHECK_EQ_INT(c->line, 7);
  x = x->next;
  CHECK(x->from_registry);
  c = x->conds->next->next;
  CHECK(c->kind == FUND_COND_AGE && c->lo == 6 && c->hi == 18);
  x = x->next;
  CHECK(x->conds->kind == FUND_COND_GRADE && x->conds->lo == 9 && x->conds->hi == 9);
  CHECK(x->conds->next->lo == 2008 && x->conds->next->hi == 2012);
  arena_free(&a);
}

/* One problem a line, at a known line and column, with a hint; and the
 * checks of whole rules at the end. */
TEST(programme_rules_report_every_problem_with_its_line) {
  arena a;
  arena_init(&a, 0);
  fund_rules r;
  issues p;
  static const struct {
    int line, col;
    const char *says;
  } want[] = {
      {1, 1, "'when' must come after a 'rule' line"},
      {2, 6, "not a valid rule key"},
      {3, 9, "expected the amount"},
      {4, 9, "expected the amount"},
      {5, 9, "expected the amount"},
      {6, 15, "expected the category"},
      {7, 25, "expected the reason in double quotes"},
      {8, 25, "unterminated text"},
      {9, 25, "the reason is empty"},
      {10, 25, "unexpected 'extra'"},
      {11, 6, "already defined on line 7"},
      {12, 1, "unknown keyword 'rul'"},
      {13, 8, "unknown condition 'wealth'"},
      {14, 20, "unknown achievement 'gold'"},
      {15, 21, "unknown circumstance 'rich'"},
      {16, 15, "unknown school result 'gioi'"},
      {17, 19, "needs one or more values"},
      {18, 18, "takes no value"},
      {19, 12, "needs a range"},
      {20, 12, "must go upwards"},
      {21, 19, "must go upwards"},
      {22, 14, "must go upwards"},
      {23, 6, "expected 'from registry'"},
      {25, 1, "says 'from registry' twice"},
      {26, 1, "a line starts with rule, when or from"},
      {27, 1, "has no 'when' line"},
      {29, 1, "does not record their achievement"},
      {30, 1, "does not record their grade"},
  };
  const char *text =
      "when achievement excellent\n"                     /* 1 */
      "rule Bad-Key 1000 award \"x\"\n"                  /* 2 */
      "rule r3 ten award \"x\"\n"                        /* 3 */
      "rule r4 0 award \"x\"\n"                          /* 4 */
      "rule r5 2000000000000000 award \"x\"\n"           /* 5 */
      "rule r6 1.000 prize \"x\"\n"                      /* 6 */
      "rule ok 1.000.000 award reason\n"                 /* 7 */
      "rule r8 1.000.000 award \"no end\n"               /* 8 */
      "rule r9 1.000.000 award \"  \"\n"                 /* 9 */
      "rule r10 1000 award \"x\" extra\n"                /* 10 */
      "rule ok 1000 award \"again\"\n"                   /* 11 */
      "rul typo\n"                                       /* 12 */
      "  when wealth\n"                                  /* 13 */
      "  when achievement gold\n"                        /* 14 */
      "  when circumstance rich poor\n"                  /* 15 */
      "  when result gioi\n"                             /* 16 */
      "  when achievement\n"                             /* 17 */
      "  when in-school yes\n"                           /* 18 */
      "  when age old\n"                                 /* 19 */
      "  when age 18..6\n"                               /* 20 */
      "  when birth-year 1800..2000\n"                   /* 21 */
      "  when grade 13\n"                                /* 22 */
      "from school\n"                                    /* 23 */
      "from registry\n"                                  /* 24 */
      "from registry\n"                                  /* 25 */
      "\"rule\" 1 award\n"                               /* 26 */
      "rule empty 1000 support \"Không có điều kiện\"\n" /* 27 */
      "rule reg 1000 support \"Từ sổ\"\n"                /* 28 */
      "  when achievement excellent\n"                   /* 29 */
      "  when grade 6..9\n"                              /* 30 */
      "  when result tot\n"                              /* 31 */
      "  from registry\n";                               /* 32 */
  CHECK_EQ_INT(parse(text, &a, &r, &p), HT_EINVAL);
  size_t n = sizeof want / sizeof want[0];
  issues_sort(&p);
  CHECK_EQ_INT(p.count, (long)n);
  for (size_t i = 0; i < n && i < (size_t)p.kept; i++) {
    const issue *it = &p.items[i];
    if (it->row != want[i].line || it->col != want[i].col || !strstr(it->msg, want[i].says))
      test__fail(__FILE__, __LINE__,
                 "problem %zu: line %ld col %ld \"%s\", wanted line %d col %d "
                 "\"%s\"",
                 i, it->row, it->col, it->msg, want[i].line, want[i].col, want[i].says);
    CHECK(it->msg_vi && *it->msg_vi); /* every problem in Vietnamese too */
  }
  /* the hints name what is allowed */
  CHECK(strstr(p.items[5].msg, "scholarship, award, support, gift") != NULL);
  CHECK(strstr(p.items[13].msg, "national-prize") != NULL);
  CHECK(strstr(p.items[15].msg, "kha-or-better") != NULL);
  arena_free(&a);
}

TEST(programme_rules_refuse_empty_and_bad_text) {
  arena a;
  arena_init(&a, 0);
  fund_rules r;
  issues p;
  CHECK_EQ_INT(parse("# only a comment\n\n", &a, &r, &p), HT_EINVAL);
  CHECK(p.count == 1 && p.items[0].row == 0 && strstr(p.items[0].msg, "no 'rule' line"));
  CHECK_EQ_INT(parse("rule a 1 award \"\xC3\x28\"\n", &a, &r, &p), HT_EINVAL);
  CHECK(p.count == 1 && strstr(p.items[0].msg, "UTF-8"));
  char *big = malloc(FUND_RULES_MAX_BYTES + 2);
  memset(big, '#', FUND_RULES_MAX_BYTES + 1);
  big[FUND_RULES_MAX_BYTES + 1] = 0;
  CHECK_EQ_INT(parse(big, &a, &r, &p), HT_EINVAL);
  CHECK(p.count == 1 && strstr(p.items[0].msg, "longer than 64 KiB"));
  free(big);
  arena_free(&a);
}

TEST(programme_rules_the_first_match_wins) {
  arena a;
  arena_init(&a, 0);
  fund_rules r;
  issues p;
  const char *text =
      "rule national 2000000 award \"Giải quốc gia\"\n"
      "  when achievement national-prize\n"
      "rule poor-good 1000000 scholarship \"Hộ nghèo, học khá giỏi\"\n"
      "  when circumstance poor near-poor\n"
      "  when result kha-or-better\n"
      "rule pupil 300000 award \"Học sinh giỏi\"\n"
      "  from registry\n"
      "  when in-school\n"
      "  when result tot\n"
      "  when age 6..18\n"
      "rule lower-secondary 200000 gift \"THCS\"\n"
      "  when grade 6..9\n";
  CHECK_EQ_INT(parse(text, &a, &r, &p), HT_OK);
  /* a prize winner who is also poor with good results: the first rule */
  fund_candidate c = {.is_beneficiary = 1,
                      .achievements = "excellent|national-prize",
                      .circumstances = "poor",
                      .has_year = 1,
                      .in_school = 1,
                      .result = "tot",
                      .birth_year = 2010};
  const fund_rule *m = fund_rules_match(&r, &c, 2025);
  CHECK(m && !strcmp(m->key, "national"));
  c.achievements = "excellent";
  m = fund_rules_match(&r, &c, 2025);
  CHECK(m && !strcmp(m->key, "poor-good"));
  /* results come from the registry only */
  c.has_year = 0;
  m = fund_rules_match(&r, &c, 2025);
  CHECK(m == NULL);
  c.grade = "lớp 8A";
  m = fund_rules_match(&r, &c, 2025);
  CHECK(m && !strcmp(m->key, "lower-secondary"));
  c.grade = "10";
  CHECK(fund_rules_match(&r, &c, 2025) == NULL);
  /* a registry person is judged by `from registry` rules only */
  fund_candidate person = {.has_year = 1, .in_school = 1, .result = "tot", .birth_year = 2010};
  m = fund_rules_match(&r, &person, 2025);
  CHECK(m && !strcmp(m->key, "pupil"));
  person.birth_year = 2005; /* 20 in 2025 */
  CHECK(fund_rules_match(&r, &person, 2025) == NULL);
  person.birth_year = 0; /* unknown: no age condition holds */
  CHECK(fund_rules_match(&r, &person, 2025) == NULL);
  person.birth_year = 2010;
  person.in_school = 0;
  CHECK(fund_rules_match(&r, &person, 2025) == NULL);
  /* partial words are not keys: "poor" does not match "near-poor|poorer" */
  fund_candidate near = {
      .is_beneficiary = 1, .circumstances = "orphan|poorer", .has_year = 1, .result = "kha"};
  CHECK(fund_rules_match(&r, &near, 2025) == NULL);
  near.circumstances = "orphan|near-poor";
  m = fund_rules_match(&r, &near, 2025);
  CHECK(m && !strcmp(m->key, "poor-good"));
  /* by hand, without the registry: a recorded school counts as in school */
  const char *text2 =
      "rule any 100000 support \"Hỗ trợ\"\n"
      "  when in-school\n";
  CHECK_EQ_INT(parse(text2, &a, &r, &p), HT_OK);
  fund_candidate hand = {.is_beneficiary = 1, .school = "THCS Lê Chân"};
  CHECK(fund_rules_match(&r, &hand, 2025) != NULL);
  hand.school = "";
  CHECK(fund_rules_match(&r, &hand, 2025) == NULL);
  /* without `from registry`, a registry person at school is not proposed */
  fund_candidate pupil = {.has_year = 1, .in_school = 1, .result = "tot"};
  CHECK(fund_rules_match(&r, &pupil, 2025) == NULL);
  pupil.is_beneficiary = 1;
  CHECK(fund_rules_match(&r, &pupil, 2025) != NULL);
  arena_free(&a);
}
