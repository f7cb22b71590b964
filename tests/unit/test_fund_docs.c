/* test_fund_docs.c - a fund's figures and documents (services/fund_summary.h,
 * services/fund_docs.h) on a real SQLite database: a worked example with
 * every figure written out by hand, the public form's privacy rules, the
 * annual report's totals, and a property test that over random ledgers and
 * random periods every statement satisfies opening + in - out = closing with
 * both ends equal to fund_balance(). */
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "model/fund.h"
#include "services/fund_docs.h"
#include "services/fund_summary.h"
#include "test.h"

static const audit_actor WHO = {0, "Thủ quỹ Vũ Thị Lan", "local"};

static db *fixture_db(const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", test_tmpdir(), name);
  remove(path);
  db *d = NULL;
  ht_err err = {0};
  if (db_open(&d, path, &err) != HT_OK) return NULL;
  db_set_prov(d, 1);
  db_meta_set(d, "province", "1");
  hier_seed_reference(d);
  db_exec(d,
          "INSERT INTO units (prov, id, code, name, name_key, kind, parent_code, valid_from, "
          "valid_to, groups) VALUES "
          "(1, 1, '31', 'Thành phố Hải Phòng', 'thanh pho hai phong', 'thanh-pho-tw', NULL, "
          "'2020-01-01', NULL, ''),"
          "(1, 2, '31001', 'Xã An Lão', 'xa an lao', 'xa', '31', '2020-01-01', NULL, ''),"
          "(1, 3, '31002', 'Xã Tân Dân', 'xa tan dan', 'xa', '31', '2020-01-01', NULL, '')");
  return d;
}

typedef struct world {
  db *d;
  arena a;
  issues p;
  ht_err err;
  int64_t person, enterprise, anonymous; /* donors */
  int64_t minor, adult, unknown_age;     /* beneficiaries */
} world;

static int64_t donor(world *w, const char *kind, const char *name) {
  fund_donor dn = {0, kind, name, "Số 5 Lạch Tray", "0912345678", NULL};
  int64_t id = 0;
  issues_init(&w->p, &w->a);
  CHECK_EQ_INT(fund_donor_add(w->d, &WHO, &dn, &w->p, &id, &w->err), HT_OK);
  return id;
}

static int64_t beneficiary(world *w, const char *name, int born, const char *unit,
                           const char *school, const char *grade) {
  fund_beneficiary b = {0, 0, name, born, unit, school, grade, "poor", ""};
  int64_t id = 0;
  issues_init(&w->p, &w->a);
  CHECK_EQ_INT(fund_beneficiary_add(w->d, &WHO, &b, &w->p, &id, &w->err), HT_OK);
  return id;
}

static void fund_of(world *w, const char *code, const char *name, const char *unit, int names) {
  fund_new fn = {code, name, "unit", unit, names};
  issues_init(&w->p, &w->a);
  CHECK_EQ_INT(fund_create(w->d, &WHO, &fn, &w->p, NULL, &w->err), HT_OK);
}

static int world_open(world *w, const char *file) {
  memset(w, 0, sizeof *w);
  w->d = fixture_db(file);
  if (!w->d) return 0;
  arena_init(&w->a, 0);
  fund_of(w, "KH-31", "Quỹ Khuyến học thành phố", "31", 0);
  fund_of(w, "KH-AL", "Quỹ Khuyến học xã An Lão", "31001", 0);
  fund_of(w, "KH-TD", "Quỹ Khuyến học xã Tân Dân", "31002", 0);
  w->person = donor(w, "person", "Trần Thị Bình");
  w->enterprise = donor(w, "enterprise", "Công ty TNHH Hải Âu");
  w->anonymous = donor(w, "anonymous", "");
  w->minor = beneficiary(w, "Nguyễn Văn An", 2012, "31001", "THCS An Lão", "8");
  w->adult = beneficiary(w, "Lê Thị Hoa", 2004, "31001", "Đại học Hải Phòng", "");
  w->unknown_age = beneficiary(w, "Phạm Minh Đức", 0, "31002", "THPT Tân Dân", "11");
  return 1;
}

static void world_close(world *w) {
  arena_free(&w->a);
  db_close(w->d);
}

static int64_t post(world *w, fund_posting in) {
  int64_t id = 0;
  issues_init(&w->p, &w->a);
  int rc = fund_post(w->d, &WHO, &in, &w->p, &id, &w->err);
  if (rc != HT_OK)
    test__fail(__FILE__, __LINE__, "posting refused: %s", w->p.kept ? w->p.items[0].msg : "?");
  return id;
}

static int64_t receipt(world *w, const char *code, const char *date, int64_t amount, int64_t dn,
                       const char *campaign) {
  return post(w, (fund_posting){.kind = FUND_RECEIPT,
                                .fund = code,
                                .date = date,
                                .amount = amount,
                                .method = "cash",
                                .number = "BN-01",
                                .donor_id = dn,
                                .campaign = campaign,
                                .purpose = "Học bổng cho học sinh nghèo"});
}

static int64_t payment(world *w, const char *code, const char *date, int64_t amount, int64_t ben,
                       const char *category) {
  return post(w, (fund_posting){.kind = FUND_DISBURSEMENT,
                                .fund = code,
                                .date = date,
                                .amount = amount,
                                .method = "cash",
                                .beneficiary_id = ben,
                                .category = category,
                                .memo = "Theo quyết định của Hội"});
}

static int64_t reverse(world *w, int64_t entry, const char *date, const char *why) {
  int64_t id = 0;
  issues_init(&w->p, &w->a);
  CHECK_EQ_INT(fund_reverse(w->d, &WHO, entry, date, why, &w->p, &id, &w->err), HT_OK);
  return id;
}

static int64_t balance(world *w, const char *code, const char *through) {
  fund f;
  int64_t b = -1;
  CHECK_EQ_INT(fund_get(w->d, code, &w->a, &f), HT_OK);
  CHECK_EQ_INT(fund_balance(w->d, f.id, NULL, through, &b), HT_OK);
  return b;
}

/* Every identity a statement must satisfy; the figures against fund_balance(). */
static void check_identities(world *w, const fund_summary *s) {
  char before[11];
  int32_t from;
  CHECK_EQ_INT(date_parse(s->from, &from), HT_OK);
  date_format(from - 1, before);
  CHECK_EQ_INT(s->opening, balance(w, s->fund.code, before));
  CHECK_EQ_INT(s->closing, balance(w, s->fund.code, s->to));
  CHECK_EQ_INT(s->opening + s->total_in - s->total_out, s->closing);
  CHECK_EQ_INT(s->total_in, s->opened + s->received + s->transfer_in);
  CHECK_EQ_INT(s->total_out, s->paid + s->transfer_out);
  int64_t by_cat = 0, by_campaign = 0, by_kind = 0, by_ben = 0, by_donor = s->anonymous_amount,
          in = 0, out = 0, transfers = 0;
  for (int c = 0; c < FUND_CATS; c++) by_cat += s->paid_by[c];
  for (size_t i = 0; i < s->ncampaigns; i++) by_campaign += s->campaigns[i].amount;
  for (size_t i = 0; i < s->ndonor_kinds; i++) by_kind += s->donor_kinds[i].amount;
  for (size_t i = 0; i < s->npaid_list; i++) by_ben += s->paid_list[i].amount;
  for (size_t i = 0; i < s->ndonor_list; i++) by_donor += s->donor_list[i].amount;
  for (size_t i = 0; i < s->ntransfers; i++) transfers += s->transfers[i].amount;
  CHECK_EQ_INT(by_cat, s->paid);
  CHECK_EQ_INT(by_campaign, s->received);
  CHECK_EQ_INT(by_kind, s->received);
  CHECK_EQ_INT(by_ben, s->paid);
  CHECK_EQ_INT(by_donor, s->received);
  CHECK_EQ_INT(transfers, s->transfer_in - s->transfer_out);
  if (!s->public_form) {
    int64_t running = s->opening;
    for (size_t i = 0; i < s->nentries; i++) {
      const fund_sum_entry *x = &s->entries[i];
      if (x->incoming)
        in += x->amount;
      else
        out += x->amount;
      running += x->incoming ? x->amount : -x->amount;
      CHECK_EQ_INT(x->balance, running);
    }
    CHECK_EQ_INT(in, s->total_in);
    CHECK_EQ_INT(out, s->total_out);
    CHECK_EQ_INT(running, s->closing);
  }
}

/* ------------------------------------------------------------ a worked example */

/* The ledger of the worked example:
 *   KH-AL 2024-12-20 opening 2.000.000 (cash)
 *   KH-AL 2025-01-15 receipt 500.000 Trần Thị Bình, no campaign
 *   KH-AL 2025-09-06 receipt 1.500.000 Trần Thị Bình, Tháng Khuyến học 2025
 *   KH-AL 2025-09-10 receipt 5.000.000 Công ty TNHH Hải Âu, Tháng Khuyến học 2025
 *   KH-AL 2025-09-12 receipt 300.000 anonymous donor, Tháng Khuyến học 2025
 *   KH-AL 2025-09-13 receipt 200.000 no donor record, Tháng Khuyến học 2025
 *   KH-AL 2025-09-15 receipt 700.000 Công ty TNHH Hải Âu, Tháng Khuyến học 2025 -> reversed 09-16
 *   KH-AL 2025-10-01 scholarship 1.000.000 Nguyễn Văn An (born 2012)
 *   KH-AL 2025-10-01 award 800.000 Lê Thị Hoa (born 2004)
 *   KH-AL 2025-10-02 gift 400.000 Phạm Minh Đức (age unknown) -> reversed 2026-01-05
 *   KH-AL 2025-11-01 transfer 1.000.000 to KH-31
 *   KH-31 2025-11-20 transfer 600.000 to KH-AL
 *   KH-TD 2025-03-01 receipt 900.000 anonymous; 2025-03-02 support 900.000 Phạm Minh Đức */
static void worked_ledger(world *w) {
  post(w, (fund_posting){.kind = FUND_OPENING,
                         .fund = "KH-AL",
                         .date = "2024-12-20",
                         .amount = 2000000,
                         .method = "cash",
                         .memo = "Sổ quỹ giấy năm 2024"});
  receipt(w, "KH-AL", "2025-01-15", 500000, w->person, "");
  receipt(w, "KH-AL", "2025-09-06", 1500000, w->person, "Tháng Khuyến học 2025");
  receipt(w, "KH-AL", "2025-09-10", 5000000, w->enterprise, "Tháng Khuyến học 2025");
  receipt(w, "KH-AL", "2025-09-12", 300000, w->anonymous, "Tháng Khuyến học 2025");
  receipt(w, "KH-AL", "2025-09-13", 200000, 0, "Tháng Khuyến học 2025");
  int64_t wrong = receipt(w, "KH-AL", "2025-09-15", 700000, w->enterprise, "Tháng Khuyến học 2025");
  reverse(w, wrong, "2025-09-16", "Ghi trùng");
  payment(w, "KH-AL", "2025-10-01", 1000000, w->minor, "scholarship");
  payment(w, "KH-AL", "2025-10-01", 800000, w->adult, "award");
  int64_t gift = payment(w, "KH-AL", "2025-10-02", 400000, w->unknown_age, "gift");
  post(w, (fund_posting){.kind = FUND_TRANSFER,
                         .fund = "KH-AL",
                         .to_fund = "KH-31",
                         .date = "2025-11-01",
                         .amount = 1000000,
                         .method = "cash",
                         .memo = "Góp quỹ thành phố"});
  receipt(w, "KH-31", "2025-11-15", 3000000, w->enterprise, "Tháng Khuyến học 2025");
  post(w, (fund_posting){.kind = FUND_TRANSFER,
                         .fund = "KH-31",
                         .to_fund = "KH-AL",
                         .date = "2025-11-20",
                         .amount = 600000,
                         .method = "cash",
                         .memo = "Hỗ trợ xã"});
  reverse(w, gift, "2026-01-05", "Học sinh chuyển trường, trả lại quà");
  receipt(w, "KH-TD", "2025-03-01", 900000, 0, "");
  payment(w, "KH-TD", "2025-03-02", 900000, w->unknown_age, "support");
}

TEST(fund_statement_worked_example) {
  world w;
  if (!world_open(&w, "fund-docs-worked.db")) {
    CHECK(0);
    return;
  }
  worked_ledger(&w);
  fund_summary s;
  CHECK_EQ_INT(fund_summary_load(w.d, "KH-AL", "2025-01-01", "2025-12-31", 0, &w.a, &s, &w.err),
               HT_OK);
  CHECK_EQ_STR(s.owner_name, "Xã An Lão");
  CHECK_EQ_INT(s.opening, 2000000);
  CHECK_EQ_INT(s.opened, 0);
  CHECK_EQ_INT(s.received, 500000 + 1500000 + 5000000 + 300000 + 200000); /* 7.500.000 */
  CHECK_EQ_INT(s.receipts, 5);                                            /* the reversed one not */
  CHECK_EQ_INT(s.donors, 2 + 1 + 1); /* Bình, Hải Âu, the anonymous record, the unnamed receipt */
  CHECK_EQ_INT(s.reversals, 1);
  CHECK_EQ_INT(s.paid_by[FUND_CAT_SCHOLARSHIP], 1000000);
  CHECK_EQ_INT(s.paid_by[FUND_CAT_AWARD], 800000);
  CHECK_EQ_INT(s.paid_by[FUND_CAT_GIFT], 400000); /* reversed only in 2026 */
  CHECK_EQ_INT(s.paid_by[FUND_CAT_SUPPORT], 0);
  CHECK_EQ_INT(s.paid, 2200000);
  CHECK_EQ_INT(s.transfer_in, 600000);
  CHECK_EQ_INT(s.transfer_out, 1000000);
  CHECK_EQ_INT(s.closing, 2000000 + 7500000 + 600000 - 2200000 - 1000000); /* 6.900.000 */
  CHECK_EQ_INT(s.beneficiaries, 3);
  /* campaigns by amount: the month first, with four donors (Bình, Hải Âu, two anonymous) */
  CHECK_EQ_INT(s.ncampaigns, 2);
  CHECK_EQ_STR(s.campaigns[0].key, "Tháng Khuyến học 2025");
  CHECK_EQ_INT(s.campaigns[0].amount, 7000000);
  CHECK_EQ_INT(s.campaigns[0].entries, 4);
  CHECK_EQ_INT(s.campaigns[0].donors, 4);
  CHECK_EQ_STR(s.campaigns[1].label, "Không theo đợt vận động");
  CHECK_EQ_INT(s.campaigns[1].amount, 500000);
  /* donor kinds in the ledger's order: person, enterprise, anonymous (with the unnamed one) */
  CHECK_EQ_INT(s.ndonor_kinds, 3);
  CHECK_EQ_STR(s.donor_kinds[0].key, "person");
  CHECK_EQ_INT(s.donor_kinds[0].amount, 2000000);
  CHECK_EQ_STR(s.donor_kinds[1].key, "enterprise");
  CHECK_EQ_INT(s.donor_kinds[1].amount, 5000000); /* 5.000.000 + 700.000 - 700.000 */
  CHECK_EQ_STR(s.donor_kinds[2].label, "Nhà hảo tâm ẩn danh");
  CHECK_EQ_INT(s.donor_kinds[2].amount, 500000);
  /* named donors by amount; the anonymous ones together */
  CHECK_EQ_INT(s.ndonor_list, 2);
  CHECK_EQ_STR(s.donor_list[0].name, "Công ty TNHH Hải Âu");
  CHECK_EQ_INT(s.donor_list[0].amount, 5000000);
  CHECK_EQ_INT(s.donor_list[0].entries, 1);
  CHECK_EQ_STR(s.donor_list[1].name, "Trần Thị Bình");
  CHECK_EQ_INT(s.anonymous_amount, 500000);
  CHECK_EQ_INT(s.anonymous_entries, 2);
  /* the entry list: 7 receipts and the reversal, 3 payments, 2 transfers */
  CHECK_EQ_INT(s.nentries, 12);
  CHECK(s.entries[6].e.kind == FUND_REVERSAL && s.entries[6].base == FUND_RECEIPT);
  CHECK_EQ_INT(s.entries[6].amount, -700000);
  CHECK(s.entries[6].incoming);
  CHECK(strstr(s.entries[6].text, "Ghi trùng") != NULL);
  CHECK_EQ_INT(s.ntransfers, 2);
  check_identities(&w, &s);

  /* 2026 so far: the gift's reversal lowers the gifts of 2026 below zero */
  CHECK_EQ_INT(fund_summary_load(w.d, "KH-AL", "2026-01-01", "2026-12-31", 0, &w.a, &s, &w.err),
               HT_OK);
  CHECK_EQ_INT(s.opening, 6900000);
  CHECK_EQ_INT(s.paid_by[FUND_CAT_GIFT], -400000);
  CHECK_EQ_INT(s.paid_count[FUND_CAT_GIFT], 0);
  CHECK_EQ_INT(s.closing, 7300000);
  check_identities(&w, &s);
  /* and in 2025 seen from after the reversal, the gift no longer stands */
  CHECK_EQ_INT(fund_summary_load(w.d, "KH-AL", "2025-10-02", "2026-01-31", 0, &w.a, &s, &w.err),
               HT_OK);
  CHECK_EQ_INT(s.paid_by[FUND_CAT_GIFT], 0);
  CHECK_EQ_INT(s.paid_count[FUND_CAT_GIFT], 0);
  check_identities(&w, &s);
  /* a period before the books: everything zero */
  CHECK_EQ_INT(fund_summary_load(w.d, "KH-AL", "2020-01-01", "2020-12-31", 0, &w.a, &s, &w.err),
               HT_OK);
  CHECK(s.opening == 0 && s.closing == 0 && s.nentries == 0);
  /* refusals */
  CHECK_EQ_INT(fund_summary_load(w.d, "KH-XX", "2025-01-01", "2025-12-31", 0, &w.a, &s, &w.err),
               HT_ENOTFOUND);
  CHECK_EQ_INT(fund_summary_load(w.d, "KH-AL", "2025-12-31", "2025-01-01", 0, &w.a, &s, &w.err),
               HT_EINVAL);
  CHECK_EQ_INT(fund_summary_load(w.d, "KH-AL", "2025-02-30", "2025-12-31", 0, &w.a, &s, &w.err),
               HT_EINVAL);
  world_close(&w);
}

TEST(fund_summary_public_form_hides_minors_and_anonymous_donors) {
  world w;
  if (!world_open(&w, "fund-docs-public.db")) {
    CHECK(0);
    return;
  }
  worked_ledger(&w);
  fund_summary s;
  CHECK_EQ_INT(fund_summary_load(w.d, "KH-AL", "2025-01-01", "2025-12-31", FUND_SUMMARY_PUBLIC,
                                 &w.a, &s, &w.err),
               HT_OK);
  CHECK(s.public_form && s.entries == NULL && s.nentries == 0);
  check_identities(&w, &s);
  CHECK_EQ_INT(s.npaid_list, 3);
  /* by category: the scholarship of the minor, the award of the adult, the gift */
  CHECK_EQ_STR(s.paid_list[0].name, "N.V.A.");
  CHECK(s.paid_list[0].minor && !s.paid_list[0].named && s.paid_list[0].id == 0);
  CHECK_EQ_STR(s.paid_list[0].grade, "8");
  CHECK_EQ_STR(s.paid_list[0].school, "THCS An Lão");
  CHECK_EQ_STR(s.paid_list[1].name, "Lê Thị Hoa"); /* 21 in 2025 */
  CHECK(!s.paid_list[1].minor && s.paid_list[1].named);
  CHECK_EQ_STR(s.paid_list[2].name, "P.M.Đ."); /* age unknown: as a minor */
  for (size_t i = 0; i < s.ndonor_list; i++) CHECK(*s.donor_list[i].name && !s.donor_list[i].id);
  /* in 2030 the minor is 18: named */
  CHECK_EQ_INT(fund_summary_load(w.d, "KH-AL", "2025-10-01", "2030-01-01", FUND_SUMMARY_PUBLIC,
                                 &w.a, &s, &w.err),
               HT_OK);
  CHECK_EQ_STR(s.paid_list[0].name, "Nguyễn Văn An");
  /* the fund allows names */
  db_exec(w.d, "UPDATE funds SET public_minor_names = 1 WHERE code = 'KH-AL'");
  CHECK_EQ_INT(fund_summary_load(w.d, "KH-AL", "2025-01-01", "2025-12-31", FUND_SUMMARY_PUBLIC,
                                 &w.a, &s, &w.err),
               HT_OK);
  CHECK_EQ_STR(s.paid_list[0].name, "Nguyễn Văn An");
  CHECK_EQ_STR(s.paid_list[2].name, "Phạm Minh Đức");
  CHECK_EQ_STR(fund_initials(&w.a, "  Đặng  thị-ánh "), "Đ.T.Á.");
  CHECK_EQ_STR(fund_initials(&w.a, ""), "");
  world_close(&w);
}

TEST(fund_unit_year_totals_for_the_annual_report) {
  world w;
  if (!world_open(&w, "fund-docs-year.db")) {
    CHECK(0);
    return;
  }
  worked_ledger(&w);
  fund_year_totals t;
  CHECK_EQ_INT(fund_unit_year_totals(w.d, NULL, "31", 2025, &w.a, &t, &w.err), HT_OK);
  CHECK_EQ_INT(t.nfunds, 3);
  CHECK_EQ_STR(t.funds[0].code, "KH-31");
  CHECK_EQ_STR(t.funds[1].code, "KH-AL");
  CHECK_EQ_STR(t.funds[2].code, "KH-TD");
  CHECK_EQ_INT(t.funds[1].received, 7500000);
  CHECK_EQ_INT(t.funds[1].closing, 6900000);
  CHECK_EQ_INT(t.funds[0].closing, 1000000 + 3000000 - 600000);
  CHECK_EQ_INT(t.total.received, 7500000 + 3000000 + 900000);
  CHECK_EQ_INT(t.total.paid_by[FUND_CAT_SUPPORT], 900000);
  CHECK_EQ_INT(t.total.paid, 2200000 + 900000);
  CHECK_EQ_INT(t.total.transfer_in, t.total.transfer_out); /* between funds of the city */
  CHECK_EQ_INT(t.total.opening, 2000000);
  CHECK_EQ_INT(t.total.closing, 6900000 + 3400000 + 0);
  CHECK_EQ_INT(t.total.opening + t.total.opened + t.total.received + t.total.transfer_in -
                   t.total.paid - t.total.transfer_out,
               t.total.closing);
  /* Phạm Minh Đức was paid by two funds: one beneficiary in the total */
  CHECK_EQ_INT(t.funds[1].beneficiaries + t.funds[2].beneficiaries, 4);
  CHECK_EQ_INT(t.total.beneficiaries, 3);
  /* a commune: its own fund only */
  CHECK_EQ_INT(fund_unit_year_totals(w.d, NULL, "31002", 2025, &w.a, &t, &w.err), HT_OK);
  CHECK_EQ_INT(t.nfunds, 1);
  CHECK_EQ_INT(t.total.received, 900000);
  CHECK_EQ_INT(t.total.closing, 0);
  /* a year without entries, an unknown unit */
  CHECK_EQ_INT(fund_unit_year_totals(w.d, NULL, "31", 2021, &w.a, &t, &w.err), HT_OK);
  CHECK(t.nfunds == 3 && t.total.received == 0 && t.total.closing == 0);
  CHECK_EQ_INT(fund_unit_year_totals(w.d, NULL, "99", 2025, &w.a, &t, &w.err), HT_ENOTFOUND);
  world_close(&w);
}

/* ------------------------------------------------------------ the property test */

typedef struct rng {
  uint64_t s;
} rng;

static int rnd(rng *r, int n) {
  r->s ^= r->s << 13;
  r->s ^= r->s >> 7;
  r->s ^= r->s << 17;
  return (int)((r->s >> 11) % (uint64_t)n);
}

static void day_iso(int day_of_2025, char out[11]) {
  date_format(date_from_ymd(2025, 1, 1) + day_of_2025, out);
}

TEST(fund_statements_balance_over_random_ledgers_and_periods) {
  world w;
  if (!world_open(&w, "fund-docs-random.db")) {
    CHECK(0);
    return;
  }
  static const char *const funds[] = {"KH-31", "KH-AL", "KH-TD"};
  static const char *const campaigns[] = {"", "Tháng Khuyến học 2025", "Tết 2025"};
  const int64_t donors[] = {0, w.person, w.enterprise, w.anonymous};
  const int64_t bens[] = {w.minor, w.adult, w.unknown_age};
  rng r = {0x9E3779B97F4A7C15ull};
  int64_t ids[600];
  int nids = 0, posted = 0;
  for (int i = 0; i < 600; i++) {
    char date[11];
    day_iso(rnd(&r, 365), date);
    int fi = rnd(&r, 3);
    fund_posting in = {.fund = funds[fi], .date = date, .method = rnd(&r, 3) ? "cash" : "bank"};
    in.amount = (1 + rnd(&r, 50)) * 100000;
    int op = rnd(&r, 10);
    int64_t id = 0;
    issues_init(&w.p, &w.a);
    int rc;
    if (op < 4) {
      in.kind = FUND_RECEIPT;
      in.donor_id = donors[rnd(&r, 4)];
      in.campaign = campaigns[rnd(&r, 3)];
    } else if (op < 7) {
      in.kind = FUND_DISBURSEMENT;
      in.beneficiary_id = bens[rnd(&r, 3)];
      in.category = fund_category_keys[rnd(&r, FUND_CATS)];
      in.memo = "Chi theo danh sách";
    } else if (op < 8) {
      in.kind = FUND_TRANSFER;
      in.to_fund = funds[(fi + 1 + rnd(&r, 2)) % 3];
    } else if (op < 9) {
      in.kind = FUND_OPENING;
    }
    if (op < 9) {
      rc = fund_post(w.d, &WHO, &in, &w.p, &id, &w.err);
    } else if (nids) {
      char later[11];
      int32_t day;
      fund_entry e;
      int64_t target = ids[rnd(&r, nids)];
      if (fund_entry_get(w.d, target, &w.a, &e) != HT_OK) continue;
      date_parse(e.date, &day);
      date_format(day + rnd(&r, 40), later);
      if (strcmp(later, "2025-12-31") > 0) continue;
      rc = fund_reverse(w.d, &WHO, target, later, "Sửa sai", &w.p, &id, &w.err);
    } else {
      continue;
    }
    if (rc == HT_OK) {
      posted++;
      if (nids < 600) ids[nids++] = id;
    }
  }
  CHECK(posted > 300);
  issues_init(&w.p, &w.a);
  CHECK_EQ_INT(fund_check(w.d, &w.p, &w.err), HT_OK);
  for (int k = 0; k < 150; k++) {
    char from[11], to[11];
    int a = rnd(&r, 380) - 10, b = a + rnd(&r, 120);
    day_iso(a, from);
    day_iso(b, to);
    fund_summary s;
    CHECK_EQ_INT(fund_summary_load(w.d, funds[k % 3], from, to, k % 2 ? FUND_SUMMARY_PUBLIC : 0,
                                   &w.a, &s, &w.err),
                 HT_OK);
    check_identities(&w, &s);
  }
  /* the year's totals are the sums of the funds' statements */
  fund_year_totals t;
  CHECK_EQ_INT(fund_unit_year_totals(w.d, NULL, "31", 2025, &w.a, &t, &w.err), HT_OK);
  CHECK_EQ_INT(t.total.opening + t.total.opened + t.total.received + t.total.transfer_in -
                   t.total.paid - t.total.transfer_out,
               t.total.closing);
  CHECK_EQ_INT(t.total.closing, balance(&w, "KH-31", "2025-12-31") +
                                    balance(&w, "KH-AL", "2025-12-31") +
                                    balance(&w, "KH-TD", "2025-12-31"));
  world_close(&w);
}

/* ------------------------------------------------------------ the documents */

TEST(fund_docs_words_dates_and_forms) {
  arena a;
  arena_init(&a, 0);
  CHECK_EQ_STR(fund_date_long(&a, "2025-09-06"), "ngày 06 tháng 9 năm 2025");
  CHECK_EQ_STR(fund_date_long(&a, "2026-02-10"), "ngày 10 tháng 02 năm 2026");
  CHECK_EQ_STR(fund_date_vn(&a, "2025-12-31"), "31/12/2025");
  CHECK_EQ_STR(fund_date_vn(&a, "bad"), "bad");
  CHECK_EQ_STR(fund_grade_school(&a, "8", "THCS An Lão"), "Lớp 8, THCS An Lão");
  CHECK_EQ_STR(fund_grade_school(&a, "Lớp 10A1", ""), "Lớp 10A1");
  CHECK_EQ_STR(fund_grade_school(&a, "", "Đại học Hải Phòng"), "Đại học Hải Phòng");
  CHECK_EQ_STR(fund_vnd(&a, 2005000), "2.005.000");
  arena_free(&a);
}

TEST(fund_docs_render_from_the_right_form_only) {
  world w;
  if (!world_open(&w, "fund-docs-forms.db")) {
    CHECK(0);
    return;
  }
  worked_ledger(&w);
  fund_summary full, pub;
  CHECK_EQ_INT(fund_summary_load(w.d, "KH-AL", "2025-01-01", "2025-12-31", 0, &w.a, &full, &w.err),
               HT_OK);
  CHECK_EQ_INT(fund_summary_load(w.d, "KH-AL", "2025-01-01", "2025-12-31", FUND_SUMMARY_PUBLIC,
                                 &w.a, &pub, &w.err),
               HT_OK);
  strbuf out = STRBUF_INIT;
  int pages = 0;
  CHECK_EQ_INT(fund_transparency_pdf(&full, NULL, &out, &pages, &w.err), HT_EINVAL);
  CHECK_EQ_INT(fund_statement_pdf(&pub, &out, &pages, &w.err), HT_EINVAL);
  CHECK(out.len == 0);
  CHECK_EQ_INT(fund_statement_pdf(&full, &out, &pages, &w.err), HT_OK);
  CHECK(pages >= 1 && out.len > 1000);
  size_t len = out.len;
  CHECK_EQ_INT(fund_transparency_pdf(&pub, "https://x.vn/cong-khai/KH-AL", &out, &pages, &w.err),
               HT_OK);
  CHECK(out.len > len);
  /* a receipt: the right entry kind only */
  fund_entry *e;
  size_t n;
  fund f;
  CHECK_EQ_INT(fund_get(w.d, "KH-AL", &w.a, &f), HT_OK);
  CHECK_EQ_INT(fund_entries(w.d, f.id, "2025-01-15", "2025-01-15", &w.a, &e, &n), HT_OK);
  CHECK(n == 1 && e[0].kind == FUND_RECEIPT);
  fund_receipt r;
  CHECK_EQ_INT(fund_receipt_load(w.d, e[0].id, &w.a, &r, &w.err), HT_OK);
  CHECK_EQ_STR(r.donor, "Trần Thị Bình");
  CHECK_EQ_STR(r.recorded_by, "Thủ quỹ Vũ Thị Lan");
  CHECK_EQ_STR(r.owner, "Xã An Lão");
  CHECK(!r.cancelled);
  CHECK_EQ_INT(fund_receipt_pdf(w.d, e[0].id, &out, &w.err), HT_OK);
  CHECK_EQ_INT(fund_entries(w.d, f.id, "2025-10-01", "2025-10-01", &w.a, &e, &n), HT_OK);
  CHECK(n == 2 && e[0].kind == FUND_DISBURSEMENT);
  CHECK_EQ_INT(fund_receipt_load(w.d, e[0].id, &w.a, &r, &w.err), HT_EINVAL);
  CHECK(strstr(w.err.msg, "disbursement") != NULL);
  CHECK_EQ_INT(fund_receipt_load(w.d, 1, &w.a, &r, &w.err), HT_ENOTFOUND);
  /* a bad date or text in a receipt is refused, the buffer unchanged */
  len = out.len;
  fund_receipt bad = {.date = "2025-02-30", .fund_code = "X", .amount = 1};
  CHECK_EQ_INT(fund_receipt_render(&bad, &out, &w.err), HT_EINVAL);
  bad.date = "2025-02-03";
  bad.donor = "Tr\xe1\xba";
  CHECK_EQ_INT(fund_receipt_render(&bad, &out, &w.err), HT_EINVAL);
  CHECK(out.len == len);
  strbuf_free(&out);
  world_close(&w);
}
