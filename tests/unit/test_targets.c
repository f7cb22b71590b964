/* test_targets.c - programme targets files: the parser and its errors (line,
 * column, hint), the checks across files, the shipped files, and the rules
 * that choose the target applying to a measure in a year. */
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "criteria/targets.h"
#include "test.h"

/* Parses text as one file into a fresh set; the caller frees with done(). */
typedef struct fixture {
  arena a;
  issues problems;
  tgt_set set;
  int rc;
} fixture;

static void parse_into(fixture *f, const char *file, const char *text) {
  f->rc = tgt_parse(&f->set, file, text, strlen(text), &f->problems);
}

static void start(fixture *f) {
  arena_init(&f->a, 0);
  issues_init(&f->problems, &f->a);
  tgt_set_init(&f->set);
}

static void done(fixture *f) {
  tgt_set_free(&f->set);
  arena_free(&f->a);
}

static void print_problems(const fixture *f) {
  for (long i = 0; i < f->problems.kept; i++)
    fprintf(stderr, "    %s:%ld:%ld: %s\n", f->problems.items[i].file, f->problems.items[i].row,
            f->problems.items[i].col, f->problems.items[i].msg);
}

static const char good[] =
    "# a comment line\n"
    "measure ky-nang-so \"Công dân học tập có kỹ năng số\" \"Digital skills\"\n"
    "targets qd-test   # trailing comment\n"
    "  name \"Chương trình thử\"\n"
    "  name_en \"Test programme\"\n"
    "  decision \"QĐ 1/QĐ-TTg\" 2022-03-25\n"
    "  province 31\n"
    "  target gia-dinh-hoc-tap 2025 70%\n"
    "    source \"QĐ 1, mục 2\"\n"
    "  target gia-dinh-hoc-tap 2025 62.5% group difficult\n"
    "    assumed \"Gia\xCC\x81 tri\xCC\xA3 thử\"\n" /* decomposed: stored NFC */
    "  target ky-nang-so 2030 90%\n"
    "    source \"QĐ 1, mục 3\"\r\n";

TEST(targets_parse_a_good_file) {
  fixture f;
  start(&f);
  parse_into(&f, "good.tgt", good);
  print_problems(&f);
  CHECK_EQ_INT(f.rc, HT_OK);
  CHECK_EQ_INT(f.problems.count, 0);
  const tgt_programme *g = f.set.programmes;
  CHECK(g && !g->next);
  if (!g) goto end;
  CHECK_EQ_STR(g->key, "qd-test");
  CHECK_EQ_STR(g->name, "Chương trình thử");
  CHECK_EQ_STR(g->name_en, "Test programme");
  CHECK_EQ_STR(g->decision, "QĐ 1/QĐ-TTg");
  CHECK_EQ_STR(g->decision_date, "2022-03-25");
  CHECK_EQ_INT(g->province, 31);
  CHECK_EQ_INT(g->line, 3);
  const tgt_target *t = g->targets;
  CHECK(t && t->next && t->next->next && !t->next->next->next);
  if (!t || !t->next || !t->next->next) goto end;
  CHECK_EQ_STR(t->measure, "gia-dinh-hoc-tap");
  CHECK(t->declared == NULL); /* a title key */
  CHECK_EQ_INT(t->year, 2025);
  CHECK(t->value > 0.6999 && t->value < 0.7001);
  CHECK(t->group == NULL);
  CHECK_EQ_INT(t->source.assumed, 0);
  CHECK_EQ_STR(t->source.reference, "QĐ 1, mục 2");
  CHECK_EQ_INT(t->line, 8);
  CHECK_EQ_INT(t->col, 10);
  t = t->next;
  CHECK(t->value > 0.6249 && t->value < 0.6251);
  CHECK_EQ_STR(t->group, "difficult");
  CHECK_EQ_INT(t->source.assumed, 1);
  CHECK_EQ_STR(t->source.reference, "Giá trị thử");
  t = t->next;
  CHECK(t->declared && t->declared == f.set.measures);
  CHECK_EQ_STR(t->declared->name, "Công dân học tập có kỹ năng số");
  CHECK_EQ_STR(t->declared->name_en, "Digital skills");
  CHECK_EQ_STR(t->source.reference, "QĐ 1, mục 3"); /* CR of CRLF dropped */
end:
  done(&f);
}

/* Each bad text gives exactly one problem, at this line and column, whose
 * message contains this text. */
static const struct {
  const char *text;
  long line, col;
  const char *message;
} bad_cases[] = {
    {"targets qd-x\n name \"X\"\n decision \"QĐ 1\" 2022-02-30\n target gia-dinh-hoc-tap 2025 "
     "70%\n  source \"x\"\n",
     3, 18, "'2022-02-30' is not a date"},
    {"targets qd-x\n name \"X\"\n decision \"QĐ 1\"\n target gia-dinh-hoc-tap 2025 70%\n  source "
     "\"x\"\n",
     3, 17, "expected the decision's date"},
    {"targets qd-x\n name \"X\"\n decision \"QĐ 1\" 2022-01-01\n target gia-dinh-hoc-tap 2025 "
     "0.7\n  source \"x\"\n",
     4, 31, "expected the target as a percentage (e.g. 70%)"},
    {"targets qd-x\n name \"X\"\n decision \"QĐ 1\" 2022-01-01\n target gia-dinh-hoc-tap 2025 "
     "120%\n  source \"x\"\n",
     4, 31, "from 0% to 100%, not 120%"},
    {"targets qd-x\n name \"X\"\n decision \"QĐ 1\" 2022-01-01\n target gia-dinh-hoc-tap 1890 "
     "70%\n  source \"x\"\n",
     4, 26, "expected the milestone year (a whole number from 1990 to 2100)"},
    {"targets qd-x\n name \"X\"\n decision \"QĐ 1\" 2022-01-01\n target Gia-dinh 2025 70%\n  "
     "source \"x\"\n",
     4, 9, "'Gia-dinh' is not a valid key"},
    {"targets qd-x\n name \"X\"\n decision \"QĐ 1\" 2022-01-01\n target gia-dinh-hoc-tap 2025 70% "
     "groep difficult\n  source \"x\"\n",
     4, 35, "only 'group KEY' may follow"},
    {"targets qd-x\n name \"X\"\n decision \"QĐ 1\" 2022-01-01\n target gia-dinh-hoc-tap 2025 "
     "70%\n",
     4, 1, "needs a 'source \"...\"' or 'assumed \"...\"' line"},
    {"targets qd-x\n name \"X\"\n decision \"QĐ 1\" 2022-01-01\n target gia-dinh-hoc-tap 2025 "
     "70%\n  source \"x\"\n  assumed \"y\"\n",
     6, 3, "the target on line 4 already has its provenance"},
    {"targets qd-x\n name \"X\"\n decision \"QĐ 1\" 2022-01-01\n source \"x\"\n target "
     "gia-dinh-hoc-tap 2025 70%\n  source \"x\"\n",
     4, 2, "'source' must follow a 'target' line"},
    {"targets qd-x\n name \"X\"\n decision \"QĐ 1\" 2022-01-01\n target gia-dinh-hoc-tap 2025 "
     "70%\n  source \"x\"\n target gia-dinh-hoc-tap 2025 75%\n  source \"y\"\n",
     6, 9, "the target of gia-dinh-hoc-tap for 2025 is already set on line 4"},
    {"measure m-a \"A\" \"A\"\nmeasure m-a \"B\" \"B\"\ntargets qd-x\n name \"X\"\n decision "
     "\"QĐ 1\" 2022-01-01\n target m-a 2025 70%\n  source \"x\"\n",
     2, 9, "measure m-a is already declared on line 1"},
    {"measure m-a \"A\"\ntargets qd-x\n name \"X\"\n decision \"QĐ 1\" 2022-01-01\n target "
     "gia-dinh-hoc-tap 2025 70%\n  source \"x\"\n",
     1, 16, "expected the measure's English name"},
    {"targets qd-x\n name \"Tên chưa đóng\n decision \"QĐ 1\" 2022-01-01\n target "
     "gia-dinh-hoc-tap 2025 70%\n  source \"x\"\n",
     2, 7, "unterminated text"},
    {"targets qd-x\n name \"X\"\n decision \"QĐ 1\" 2022-01-01\n objective gia-dinh-hoc-tap 2025 "
     "70%\n target gia-dinh-hoc-tap 2025 70%\n  source \"x\"\n",
     4, 2, "unknown keyword 'objective'"},
    {"targets qd-x\n name \"X\"\n decision \"QĐ 1\" 2022-01-01\n target gia-dinh-hoc-tap 2025 "
     "70%\n  source \"chưa đóng\n",
     5, 10, "unterminated text"},
    {" target gia-dinh-hoc-tap 2025 70%\n", 1, 1, "'target' must come after a 'targets KEY' line"},
    {"targets qd-x\n decision \"QĐ 1\" 2022-01-01\n target gia-dinh-hoc-tap 2025 70%\n  source "
     "\"x\"\n",
     1, 1, "target set qd-x has no 'name' line"},
    {"targets qd-x\n name \"X\"\n decision \"QĐ 1\" 2022-01-01\n", 1, 1,
     "target set qd-x has no targets"},
    {"targets qd-x\n name \"X\"\n decision \"QĐ 1\" 2022-01-01\n province 31 32\n target "
     "gia-dinh-hoc-tap 2025 70%\n  source \"x\"\n",
     4, 14, "unexpected a number at the end of the line"},
    {"targets qd-x\n name \"X\" ≥\n decision \"QĐ 1\" 2022-01-01\n target gia-dinh-hoc-tap 2025 "
     "70%\n  source \"x\"\n",
     2, 11, "unexpected character '≥'"},
    {"targets qd-x\n name \"X\"\n decision \"QĐ 1\" 2022-01-01\n target gia-dinh-hoc-tap 2025x "
     "70%\n  source \"x\"\n",
     4, 26, "'2025x' is not a number"},
    {"targets qd-x\n name \"X\"\n decision \"QĐ 1\" 2022-01-01\n target gia-dinh-hoc-tap 2025 "
     "70%\n  source \"x\"\ntargets qd-x\n name \"Y\"\n decision \"QĐ 2\" 2023-01-01\n target "
     "gia-dinh-hoc-tap 2025 75%\n  source \"y\"\n",
     6, 9, "target set qd-x is already defined on line 1"},
    {"targets qd-x\n name \"X\"\n decision \"Q\xC4\" 2022-01-01\n", 0, 0, "not valid UTF-8"},
};

TEST(targets_parse_errors_name_line_and_column) {
  for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
    fixture f;
    start(&f);
    parse_into(&f, "bad.tgt", bad_cases[i].text);
    int ok = f.rc == HT_EINVAL && f.problems.count == 1 &&
             f.problems.items[0].row == bad_cases[i].line &&
             f.problems.items[0].col == bad_cases[i].col &&
             strstr(f.problems.items[0].msg, bad_cases[i].message) &&
             !strcmp(f.problems.items[0].file, "bad.tgt");
    if (!ok) {
      fprintf(stderr, "  case %zu: expected bad.tgt:%ld:%ld: ...%s...; got %ld problem(s):\n", i,
              bad_cases[i].line, bad_cases[i].col, bad_cases[i].message, f.problems.count);
      print_problems(&f);
    }
    CHECK(ok);
    done(&f);
  }
}

TEST(targets_parse_reports_every_bad_line) {
  /* A bad line does not stop the parse; its provenance line is not a second error. */
  fixture f;
  start(&f);
  parse_into(&f, "two.tgt",
             "targets qd-x\n name \"X\"\n decision \"QĐ 1\" 2022-01-01\n"
             " target gia-dinh-hoc-tap 2025 7O%\n  source \"x\"\n"
             " target dong-ho-hoc-tap 2025 70%\n  source \"x\"\n"
             " target dong-ho-hoc-tap 2030 70%% \n  source \"x\"\n");
  if (f.problems.count != 2) print_problems(&f);
  CHECK_EQ_INT(f.rc, HT_EINVAL);
  CHECK_EQ_INT(f.problems.count, 2);
  if (f.problems.count == 2) {
    CHECK_EQ_INT(f.problems.items[0].row, 4);
    CHECK_EQ_INT(f.problems.items[1].row, 8);
    CHECK_EQ_INT(f.problems.items[1].col, 33);
  }
  done(&f);
}

/* National sets: old (2014, milestone 2020, lower value for difficult units),
 * new (2022, 2025 and 2030) and same-day (same date as new, loaded after it);
 * a province 31 set (2022-08, 2025 only). */
static const char rules_text[] =
    "targets old\n name \"Cũ\"\n decision \"QĐ 281\" 2014-02-20\n"
    " target gia-dinh-hoc-tap 2020 70%\n  source \"a\"\n"
    " target gia-dinh-hoc-tap 2020 60% group difficult\n  source \"b\"\n"
    "targets new\n name \"Mới\"\n decision \"QĐ 387\" 2022-03-25\n"
    " target gia-dinh-hoc-tap 2025 70%\n  source \"c\"\n"
    " target gia-dinh-hoc-tap 2030 80%\n  assumed \"d\"\n"
    " target dong-ho-hoc-tap 2030 75%\n  source \"e\"\n"
    " target dong-ho-hoc-tap 2030 55% group island\n  source \"f\"\n"
    " target dong-ho-hoc-tap 2025 45% group island\n  source \"g\"\n"
    "targets same-day\n name \"Cùng ngày\"\n decision \"QĐ 388\" 2022-03-25\n"
    " target gia-dinh-hoc-tap 2025 71%\n  source \"h\"\n"
    "targets hai-phong\n name \"Hải Phòng\"\n decision \"KH 1/KH-UBND\" 2022-08-01\n province 31\n"
    " target gia-dinh-hoc-tap 2025 85%\n  source \"i\"\n";

static int pick(const tgt_set *s, const char *decision, const char *measure, int year, int province,
                const char *groups, tgt_choice *c) {
  memset(c, 0, sizeof *c);
  return tgt_applicable(s, decision, measure, year, province, groups, c);
}

#define CHECK_CHOICE(c, set, milestone, percent, grp)                                    \
  do {                                                                                   \
    CHECK_EQ_STR((c).set_key, set);                                                      \
    CHECK_EQ_INT((c).year, milestone);                                                   \
    CHECK((c).value > (percent) / 100.0 - 1e-9 && (c).value < (percent) / 100.0 + 1e-9); \
    if (grp)                                                                             \
      CHECK_EQ_STR((c).group, (const char *)(grp));                                      \
    else                                                                                 \
      CHECK((c).group == NULL);                                                          \
  } while (0)

TEST(targets_a_year_between_milestones_takes_the_next) {
  fixture f;
  start(&f);
  parse_into(&f, "rules.tgt", rules_text);
  print_problems(&f);
  CHECK_EQ_INT(f.rc, HT_OK);
  tgt_choice c;
  CHECK_EQ_INT(pick(&f.set, NULL, "gia-dinh-hoc-tap", 2023, 0, "", &c), HT_OK);
  CHECK_CHOICE(c, "new", 2025, 70, NULL);
  CHECK_EQ_STR(c.set_name, "Mới");
  CHECK_EQ_STR(c.source.reference, "c");
  CHECK_EQ_INT(c.source.assumed, 0);
  CHECK_EQ_INT(pick(&f.set, NULL, "gia-dinh-hoc-tap", 2025, 0, "", &c), HT_OK);
  CHECK_CHOICE(c, "new", 2025, 70, NULL); /* a milestone year is judged against itself */
  CHECK_EQ_INT(pick(&f.set, NULL, "gia-dinh-hoc-tap", 2026, 0, "", &c), HT_OK);
  CHECK_CHOICE(c, "new", 2030, 80, NULL);
  CHECK_EQ_INT(c.source.assumed, 1);
  CHECK_EQ_INT(pick(&f.set, NULL, "gia-dinh-hoc-tap", 2016, 0, "", &c), HT_OK);
  CHECK_CHOICE(c, "old", 2020, 70, NULL);
  done(&f);
}

TEST(targets_a_set_counts_from_the_year_of_its_decision) {
  fixture f;
  start(&f);
  parse_into(&f, "rules.tgt", rules_text);
  tgt_choice c;
  /* 2021: the new set is not decided yet and the old one is past: its last milestone. */
  CHECK_EQ_INT(pick(&f.set, NULL, "gia-dinh-hoc-tap", 2021, 0, "", &c), HT_OK);
  CHECK_CHOICE(c, "old", 2020, 70, NULL);
  /* 2013: before every decision, no target. */
  CHECK_EQ_INT(pick(&f.set, NULL, "gia-dinh-hoc-tap", 2013, 0, "", &c), HT_ENOTFOUND);
  done(&f);
}

TEST(targets_past_every_milestone_takes_the_latest_of_the_latest_set) {
  fixture f;
  start(&f);
  parse_into(&f, "rules.tgt", rules_text);
  tgt_choice c;
  CHECK_EQ_INT(pick(&f.set, NULL, "gia-dinh-hoc-tap", 2040, 0, "", &c), HT_OK);
  CHECK_CHOICE(c, "new", 2030, 80, NULL);
  done(&f);
}

TEST(targets_the_province_set_wins_over_the_national_ones) {
  fixture f;
  start(&f);
  parse_into(&f, "rules.tgt", rules_text);
  tgt_choice c;
  CHECK_EQ_INT(pick(&f.set, NULL, "gia-dinh-hoc-tap", 2024, 31, "", &c), HT_OK);
  CHECK_CHOICE(c, "hai-phong", 2025, 85, NULL);
  CHECK_EQ_INT(c.programme->province, 31);
  /* Past its only milestone it still wins: the province chose its targets. */
  CHECK_EQ_INT(pick(&f.set, NULL, "gia-dinh-hoc-tap", 2027, 31, "", &c), HT_OK);
  CHECK_CHOICE(c, "hai-phong", 2025, 85, NULL);
  /* Another province, or a measure the province set lacks: the national sets. */
  CHECK_EQ_INT(pick(&f.set, NULL, "gia-dinh-hoc-tap", 2024, 32, "", &c), HT_OK);
  CHECK_CHOICE(c, "new", 2025, 70, NULL);
  CHECK_EQ_INT(pick(&f.set, NULL, "dong-ho-hoc-tap", 2024, 31, "", &c), HT_OK);
  CHECK_CHOICE(c, "new", 2030, 75, NULL);
  /* Before the province's decision: the national set. */
  CHECK_EQ_INT(pick(&f.set, NULL, "gia-dinh-hoc-tap", 2021, 31, "", &c), HT_OK);
  CHECK_CHOICE(c, "old", 2020, 70, NULL);
  done(&f);
}

TEST(targets_a_group_value_applies_to_units_of_the_group) {
  fixture f;
  start(&f);
  parse_into(&f, "rules.tgt", rules_text);
  tgt_choice c;
  CHECK_EQ_INT(pick(&f.set, NULL, "gia-dinh-hoc-tap", 2019, 0, "rural|difficult", &c), HT_OK);
  CHECK_CHOICE(c, "old", 2020, 60, "difficult");
  CHECK_EQ_STR(c.source.reference, "b");
  CHECK_EQ_INT(pick(&f.set, NULL, "gia-dinh-hoc-tap", 2019, 0, "difficult", &c), HT_OK);
  CHECK_CHOICE(c, "old", 2020, 60, "difficult");
  /* Keys match whole: "difficulty" and "diff" are other groups. */
  CHECK_EQ_INT(pick(&f.set, NULL, "gia-dinh-hoc-tap", 2019, 0, "difficulty|diff", &c), HT_OK);
  CHECK_CHOICE(c, "old", 2020, 70, NULL);
  CHECK_EQ_INT(pick(&f.set, NULL, "gia-dinh-hoc-tap", 2019, 0, NULL, &c), HT_OK);
  CHECK_CHOICE(c, "old", 2020, 70, NULL);
  /* A milestone with only a group value is a milestone for that group's units only. */
  CHECK_EQ_INT(pick(&f.set, NULL, "dong-ho-hoc-tap", 2024, 0, "island", &c), HT_OK);
  CHECK_CHOICE(c, "new", 2025, 45, "island");
  CHECK_EQ_INT(pick(&f.set, NULL, "dong-ho-hoc-tap", 2024, 0, "urban", &c), HT_OK);
  CHECK_CHOICE(c, "new", 2030, 75, NULL);
  CHECK_EQ_INT(pick(&f.set, NULL, "dong-ho-hoc-tap", 2026, 0, "urban|island", &c), HT_OK);
  CHECK_CHOICE(c, "new", 2030, 55, "island");
  done(&f);
}

TEST(targets_an_explicit_decision_looks_at_that_set_only) {
  fixture f;
  start(&f);
  parse_into(&f, "rules.tgt", rules_text);
  tgt_choice c;
  CHECK_EQ_INT(pick(&f.set, "old", "gia-dinh-hoc-tap", 2025, 31, "", &c), HT_OK);
  CHECK_CHOICE(c, "old", 2020, 70, NULL);
  /* Even before its decision: asked for by name. */
  CHECK_EQ_INT(pick(&f.set, "new", "gia-dinh-hoc-tap", 2015, 0, "", &c), HT_OK);
  CHECK_CHOICE(c, "new", 2025, 70, NULL);
  CHECK_EQ_INT(pick(&f.set, "same-day", "gia-dinh-hoc-tap", 2024, 0, "", &c), HT_OK);
  CHECK_CHOICE(c, "same-day", 2025, 71, NULL);
  CHECK_EQ_INT(pick(&f.set, "old", "dong-ho-hoc-tap", 2019, 0, "", &c), HT_ENOTFOUND);
  CHECK_EQ_INT(pick(&f.set, "no-such-set", "gia-dinh-hoc-tap", 2025, 0, "", &c), HT_ENOTFOUND);
  CHECK_EQ_INT(pick(&f.set, NULL, "no-such-measure", 2025, 0, "", &c), HT_ENOTFOUND);
  done(&f);
}

TEST(targets_on_the_same_decision_date_the_set_loaded_first_wins) {
  fixture f;
  start(&f);
  parse_into(&f, "rules.tgt", rules_text);
  tgt_choice c;
  CHECK_EQ_INT(pick(&f.set, NULL, "gia-dinh-hoc-tap", 2024, 0, "", &c), HT_OK);
  CHECK_EQ_STR(c.set_key, "new");
  done(&f);
}

TEST(targets_the_shipped_files_load_and_agree_with_the_domain_table) {
  fixture f;
  start(&f);
  f.rc = tgt_load_defaults(&f.set, &f.problems);
  print_problems(&f);
  CHECK_EQ_INT(f.rc, HT_OK);
  CHECK_EQ_INT(tgt_check_set(&f.set, &f.problems), HT_OK);
  const char *keys[] = {"qd-281", "qd-387", "qd-677", "qd-1373"};
  for (size_t i = 0; i < 4; i++) {
    const tgt_programme *g = tgt_find(&f.set, keys[i]);
    CHECK(g != NULL);
    if (!g) continue;
    CHECK_EQ_INT(g->province, 0);
    for (const tgt_target *t = g->targets; t; t = t->next) CHECK(t->source.reference != NULL);
  }
  tgt_choice c;
  CHECK_EQ_INT(pick(&f.set, NULL, "gia-dinh-hoc-tap", 2019, 0, "difficult", &c), HT_OK);
  CHECK_CHOICE(c, "qd-281", 2020, 60, "difficult");
  CHECK_EQ_INT(pick(&f.set, NULL, "gia-dinh-hoc-tap", 2028, 31, "difficult", &c), HT_OK);
  CHECK_CHOICE(c, "qd-387", 2030, 80, NULL);
  CHECK_EQ_INT(c.source.assumed, 1);
  CHECK_EQ_INT(pick(&f.set, NULL, "huyen-hoc-tap", 2024, 0, "", &c), HT_OK);
  CHECK_CHOICE(c, "qd-1373", 2030, 50, NULL);
  CHECK_EQ_INT(pick(&f.set, NULL, "ky-nang-so-thanh-thao", 2025, 0, "", &c), HT_OK);
  CHECK_CHOICE(c, "qd-677", 2025, 60, NULL);
  CHECK(c.target->declared != NULL);
  done(&f);
}

TEST(targets_a_file_set_replaces_the_shipped_one_with_its_key) {
  fixture f;
  start(&f);
  parse_into(&f, "mine.tgt",
             "measure ky-nang-so \"Kỹ năng số\" \"Digital\"\n"
             "targets qd-387\n name \"Sửa\"\n decision \"QĐ 387/QĐ-TTg\" 2022-03-25\n"
             " target gia-dinh-hoc-tap 2025 72%\n  source \"x\"\n");
  CHECK_EQ_INT(f.rc, HT_OK);
  CHECK_EQ_INT(tgt_add_missing_defaults(&f.set, &f.problems), HT_OK);
  int n387 = 0;
  for (const tgt_programme *g = f.set.programmes; g; g = g->next) n387 += !strcmp(g->key, "qd-387");
  CHECK_EQ_INT(n387, 1);
  CHECK(tgt_find(&f.set, "qd-677") != NULL);
  tgt_choice c;
  CHECK_EQ_INT(pick(&f.set, NULL, "gia-dinh-hoc-tap", 2024, 0, "", &c), HT_OK);
  CHECK_CHOICE(c, "qd-387", 2025, 72, NULL);
  /* Only the file's set remains under that key: no 2030 milestone any more. */
  CHECK_EQ_INT(pick(&f.set, NULL, "gia-dinh-hoc-tap", 2028, 0, "", &c), HT_OK);
  CHECK_CHOICE(c, "qd-387", 2025, 72, NULL);
  /* ky-nang-so is declared here with other names than in the shipped qd-677. */
  long before = f.problems.count;
  CHECK_EQ_INT(tgt_check_set(&f.set, &f.problems), HT_EINVAL);
  CHECK_EQ_INT(f.problems.count - before, 1);
  if (f.problems.count > before) {
    const issue *it = &f.problems.items[before];
    CHECK_EQ_STR(it->file, "mine.tgt");
    CHECK_EQ_INT(it->row, 1);
    CHECK(strstr(it->msg, "measure ky-nang-so is declared in targets/qd-677.tgt:") != NULL);
  }
  done(&f);
}

TEST(targets_measures_are_titles_or_declared) {
  fixture f;
  start(&f);
  parse_into(&f, "m.tgt",
             "measure gia-dinh-hoc-tap \"Gia đình\" \"Family\"\n"
             "targets qd-x\n name \"X\"\n decision \"QĐ 1\" 2022-01-01\n"
             "  target dong-ho-hoc-tap 2025 70%\n  source \"x\"\n"
             "  target ky-nang-soo 2025 70%\n  source \"x\"\n");
  CHECK_EQ_INT(f.rc, HT_OK); /* the parser does not know the titles */
  const char *titles[] = {"gia-dinh-hoc-tap", "dong-ho-hoc-tap"};
  CHECK_EQ_INT(tgt_check_measures(&f.set, titles, 2, &f.problems), HT_EINVAL);
  if (f.problems.count != 2) print_problems(&f);
  CHECK_EQ_INT(f.problems.count, 2);
  if (f.problems.count == 2) {
    CHECK_EQ_INT(f.problems.items[0].row, 1);
    CHECK(strstr(f.problems.items[0].msg, "gia-dinh-hoc-tap is a title") != NULL);
    CHECK_EQ_INT(f.problems.items[1].row, 7);
    CHECK_EQ_INT(f.problems.items[1].col, 10);
    CHECK(strstr(f.problems.items[1].msg, "unknown measure 'ky-nang-soo'") != NULL);
  }
  done(&f);
}

TEST(targets_load_file_reports_a_missing_file) {
  fixture f;
  start(&f);
  ht_err err = {0};
  char path[512];
  snprintf(path, sizeof path, "%s/no-such.tgt", test_tmpdir());
  CHECK_EQ_INT(tgt_load_file(&f.set, path, &f.problems, &err), HT_EIO);
  CHECK(strstr(err.msg, "no-such.tgt") != NULL);
  snprintf(path, sizeof path, "%s/ok.tgt", test_tmpdir());
  FILE *out = fopen(path, "w");
  CHECK(out != NULL);
  if (out) {
    fputs(good, out);
    fclose(out);
  }
  CHECK_EQ_INT(tgt_load_file(&f.set, path, &f.problems, &err), HT_OK);
  CHECK(tgt_find(&f.set, "qd-test") != NULL);
  done(&f);
}
