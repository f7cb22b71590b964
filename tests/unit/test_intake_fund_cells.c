/* test_intake_fund_cells.c - the cell parsers of the funds' import kinds
 * (services/intake_spec.h): amounts of whole đồng as people type them, the
 * Vietnamese words of donor kinds, methods, circumstances and achievements.
 * Tables written by hand: input -> expected. */
#include "base/arena.h"
#include "model/fund.h"
#include "services/intake_spec.h"
#include <stdio.h>

#include "test.h"

TEST(intake_amounts_as_people_write_them) {
  static const struct {
    const char *text;
    int rc;
    int64_t value;
  } cases[] = {
      {"1500000", INTAKE_AMOUNT_OK, 1500000},
      {"1.500.000", INTAKE_AMOUNT_OK, 1500000},
      {"1,500,000", INTAKE_AMOUNT_OK, 1500000},
      {"1 500 000", INTAKE_AMOUNT_OK, 1500000},
      {"1\xc2\xa0"
       "500\xc2\xa0"
       "000",
       INTAKE_AMOUNT_OK, 1500000}, /* no-break spaces */
      {"1.500.000 đ", INTAKE_AMOUNT_OK, 1500000},
      {"1,500,000 đ", INTAKE_AMOUNT_OK, 1500000},
      {"1.500.000đ", INTAKE_AMOUNT_OK, 1500000},
      {"1.500.000 VND", INTAKE_AMOUNT_OK, 1500000},
      {"1.500.000 VNĐ", INTAKE_AMOUNT_OK, 1500000},
      {"1.500.000 đồng", INTAKE_AMOUNT_OK, 1500000},
      {"500.000 ₫", INTAKE_AMOUNT_OK, 500000},
      {" 200000 ", INTAKE_AMOUNT_OK, 200000},
      {"1.500", INTAKE_AMOUNT_OK, 1500},        /* the Vietnamese thousands separator */
      {"1500000.0", INTAKE_AMOUNT_OK, 1500000}, /* a spreadsheet's number */
      {"1.500.000,00", INTAKE_AMOUNT_OK, 1500000},
      {"1,500,000.00", INTAKE_AMOUNT_OK, 1500000},
      {"1500000.5", INTAKE_AMOUNT_FRACTION, 0},
      {"1.500.000,5", INTAKE_AMOUNT_FRACTION, 0},
      {"1,500,000.50", INTAKE_AMOUNT_FRACTION, 0},
      {"1.5", INTAKE_AMOUNT_FRACTION, 0},
      {"1,50", INTAKE_AMOUNT_FRACTION, 0},
      {"0", INTAKE_AMOUNT_NOT_POSITIVE, 0},
      {"-5", INTAKE_AMOUNT_NOT_POSITIVE, 0},
      {"-1.500.000", INTAKE_AMOUNT_NOT_POSITIVE, 0},
      {"1000000000000000", INTAKE_AMOUNT_OK, FUND_MAX_AMOUNT},
      {"1000000000000001", INTAKE_AMOUNT_TOO_LARGE, 0},
      {"99999999999999999999999", INTAKE_AMOUNT_TOO_LARGE, 0},
      {"", INTAKE_AMOUNT_BAD, 0},
      {"đ", INTAKE_AMOUNT_BAD, 0},
      {"1.50.000", INTAKE_AMOUNT_BAD, 0}, /* groups of three */
      {"15.00.000", INTAKE_AMOUNT_BAD, 0},
      {"1.500,000", INTAKE_AMOUNT_BAD, 0},    /* one separator of thousands */
      {"1500.000.000", INTAKE_AMOUNT_BAD, 0}, /* a first group of four */
      {"2,5 triệu", INTAKE_AMOUNT_BAD, 0},
      {"1.5E+6", INTAKE_AMOUNT_BAD, 0},
      {"năm trăm nghìn", INTAKE_AMOUNT_BAD, 0},
      {"1.500.000 USD", INTAKE_AMOUNT_BAD, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int64_t v = 0;
    int rc = intake_parse_amount(cases[i].text, &v);
    if (rc != cases[i].rc || (rc == INTAKE_AMOUNT_OK && v != cases[i].value))
      test__fail(__FILE__, __LINE__, "'%s': got %d (%lld), want %d (%lld)", cases[i].text, rc,
                 (long long)v, cases[i].rc, (long long)cases[i].value);
  }
}

TEST(intake_donor_kinds_and_methods_in_vietnamese_and_english) {
  static const struct {
    const char *text, *key;
  } kinds[] = {{"cá nhân", "person"},       {"Cá Nhân", "person"},
               {"ca nhan", "person"},       {"gia đình", "family"},
               {"dòng họ", "clan"},         {"Doanh nghiệp", "enterprise"},
               {"tổ chức", "organisation"}, {"organization", "organisation"},
               {"ẩn danh", "anonymous"},    {"anonymous", "anonymous"},
               {"công ty", "enterprise"},   {NULL, NULL}};
  for (int i = 0; kinds[i].text; i++) {
    const char *k = NULL;
    CHECK_EQ_INT(intake_parse_donor_kind(kinds[i].text, &k), HT_OK);
    CHECK_EQ_STR(k, kinds[i].key);
  }
  const char *k = NULL;
  CHECK_EQ_INT(intake_parse_donor_kind("robot", &k), HT_EINVAL);
  CHECK_EQ_STR(intake_donor_kind_label("enterprise"), "doanh nghiệp");
  CHECK_EQ_INT(intake_parse_method("Tiền mặt", &k), HT_OK);
  CHECK_EQ_STR(k, "cash");
  CHECK_EQ_INT(intake_parse_method("CK", &k), HT_OK);
  CHECK_EQ_STR(k, "bank");
  CHECK_EQ_INT(intake_parse_method("chuyển khoản", &k), HT_OK);
  CHECK_EQ_STR(k, "bank");
  CHECK_EQ_INT(intake_parse_method("séc", &k), HT_EINVAL);
  CHECK_EQ_STR(intake_method_label("bank"), "chuyển khoản");
  CHECK(intake_is_anonymous_name("Ẩn danh"));
  CHECK(intake_is_anonymous_name("không ghi tên"));
  CHECK(!intake_is_anonymous_name("Nguyễn Văn An"));
  CHECK_EQ_INT(intake_check_phone("0912 345 678"), 0);
  CHECK_EQ_INT(intake_check_phone("+84 912.345.678"), 0);
  CHECK_EQ_INT(intake_check_phone("(0225) 3842 111"), 0);
  CHECK(intake_check_phone("1234567") != 0); /* 7 digits */
  CHECK(intake_check_phone("09123abc") != 0);
  CHECK(intake_check_phone("0912+345678") != 0);
}

TEST(intake_circumstances_and_achievements_lists) {
  static const struct {
    intake_tags which;
    const char *text, *keys, *bad;
  } cases[] = {
      {INTAKE_TAGS_CIRCUMSTANCES, "hộ nghèo, mồ côi", "poor|orphan", NULL},
      {INTAKE_TAGS_CIRCUMSTANCES, "mồ côi; Hộ Nghèo", "poor|orphan", NULL}, /* the ledger's order */
      {INTAKE_TAGS_CIRCUMSTANCES, "orphan|poor|orphan", "poor|orphan", NULL}, /* once */
      {INTAKE_TAGS_CIRCUMSTANCES, "cận nghèo + khuyết tật", "near-poor|disability", NULL},
      {INTAKE_TAGS_CIRCUMSTANCES, "dân tộc thiểu số\nhoàn cảnh khó khăn",
       "ethnic-minority|difficult", NULL},
      {INTAKE_TAGS_CIRCUMSTANCES, "", "", NULL},
      {INTAKE_TAGS_CIRCUMSTANCES, " , ", "", NULL},
      {INTAKE_TAGS_CIRCUMSTANCES, "hộ nghèo, nghèo khó", NULL, "nghèo khó"},
      {INTAKE_TAGS_ACHIEVEMENTS, "học sinh giỏi, giải quốc gia", "excellent|national-prize", NULL},
      {INTAKE_TAGS_ACHIEVEMENTS, "giải cấp thành phố", "provincial-prize", NULL},
      {INTAKE_TAGS_ACHIEVEMENTS, "international-prize, good", "good|international-prize", NULL},
      {INTAKE_TAGS_ACHIEVEMENTS, "mồ côi", NULL, "mồ côi"}, /* not an achievement */
  };
  arena a;
  arena_init(&a, 0);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *keys = NULL, *bad = NULL;
    int rc = intake_parse_tags(cases[i].which, cases[i].text, &a, &keys, &bad);
    if (cases[i].keys) {
      CHECK_EQ_INT(rc, HT_OK);
      CHECK_EQ_STR(keys, cases[i].keys);
    } else {
      CHECK_EQ_INT(rc, HT_EINVAL);
      CHECK_EQ_STR(bad, cases[i].bad);
    }
  }
  CHECK_EQ_STR(intake_tags_label(INTAKE_TAGS_CIRCUMSTANCES, "poor|orphan", &a), "hộ nghèo, mồ côi");
  CHECK_EQ_STR(intake_tags_label(INTAKE_TAGS_ACHIEVEMENTS, "national-prize", &a), "giải quốc gia");
  CHECK_EQ_STR(intake_tags_label(INTAKE_TAGS_ACHIEVEMENTS, "", &a), "");
  arena_free(&a);
}

/* The import's vocabularies are the ledger's: every key of model/fund.c is
 * read (as itself) and written back as a Vietnamese word, in the ledger's
 * order. */
TEST(intake_tags_are_the_ledgers_keys) {
  arena a;
  arena_init(&a, 0);
  const struct {
    intake_tags which;
    const char *const *keys;
  } lists[] = {{INTAKE_TAGS_CIRCUMSTANCES, fund_circumstances},
               {INTAKE_TAGS_ACHIEVEMENTS, fund_achievements}};
  for (size_t l = 0; l < 2; l++) {
    size_t len = 1;
    for (int i = 0; lists[l].keys[i]; i++) len += strlen(lists[l].keys[i]) + 1;
    char *all = arena_alloc(&a, len), *p = all;
    *p = '\0';
    for (int i = 0; lists[l].keys[i]; i++) {
      const char *keys = NULL, *bad = NULL;
      CHECK_EQ_INT(intake_parse_tags(lists[l].which, lists[l].keys[i], &a, &keys, &bad), HT_OK);
      CHECK_EQ_STR(keys, lists[l].keys[i]);
      const char *label = intake_tags_label(lists[l].which, keys, &a);
      CHECK(strcmp(label, keys) != 0); /* a Vietnamese word, not the key */
      CHECK_EQ_INT(intake_parse_tags(lists[l].which, label, &a, &keys, &bad), HT_OK);
      CHECK_EQ_STR(keys, lists[l].keys[i]);
      p += sprintf(p, "%s%s", p == all ? "" : "|", lists[l].keys[i]);
    }
    /* every key at once, backwards: stored in the ledger's order */
    const char *keys = NULL, *bad = NULL;
    char *backwards = arena_alloc(&a, len + 16), *q = backwards;
    *q = '\0';
    int n = 0;
    while (lists[l].keys[n]) n++;
    for (int i = n - 1; i >= 0; i--)
      q += sprintf(q, "%s%s", q == backwards ? "" : ", ", lists[l].keys[i]);
    CHECK_EQ_INT(intake_parse_tags(lists[l].which, backwards, &a, &keys, &bad), HT_OK);
    CHECK_EQ_STR(keys, all);
  }
  arena_free(&a);
}
