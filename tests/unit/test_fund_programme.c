/* test_fund_programme.c - award programmes on a real SQLite database
 * (model/fund_programme.h): a commune fund's programme proposes the right
 * people with the right amounts (beneficiaries and registry persons of the
 * commune, nobody outside it), one decision approves the batch, one payment
 * posts it in full or not at all, and nobody is paid twice. */
#include <stdlib.h>
#include <string.h>

#include "model/fund.h"
#include "model/fund_programme.h"
#include "test.h"

static const audit_actor WHO = {0, "test", "local"};

/* A city (31) with two communes: X1 (villages V1, V2) and X2 (village V3). */
static db *fresh_db(const char *name) {
  db *d = test_open_db(name);
  if (!d) return NULL;
  if (hier_seed_reference(d) != HT_OK) return NULL;
  static const char *const units[][4] = {{"31", "Thành phố Hải Phòng", "thanh-pho-tw", NULL},
                                         {"X1", "Xã Một", "xa", "31"},
                                         {"V1", "Thôn Đông", "thon", "X1"},
                                         {"V2", "Thôn Tây", "thon", "X1"},
                                         {"X2", "Xã Hai", "xa", "31"},
                                         {"V3", "Thôn Nam", "thon", "X2"}};
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
    db_stmt *s;
    if (db_prepare(d,
                   "INSERT INTO units (prov, id, code, name, name_key, kind, parent_code, "
                   "valid_from, valid_to, groups) VALUES (1, $1, $2, $3, $3, $4, $5, "
                   "'2020-01-01', NULL, '')",
                   &s))
      return NULL;
    db_bind_int64(s, 1, (int64_t)i + 1);
    db_bind_text(s, 2, units[i][0]);
    db_bind_text(s, 3, units[i][1]);
    db_bind_text(s, 4, units[i][2]);
    db_bind_text(s, 5, units[i][3]);
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return NULL;
  }
  /* households 1 (V1), 2 (V2), 3 (V3) and their members in 2025 */
  int rc = db_exec(
      d,
      "INSERT INTO households (prov, id, code, head_name, head_key) VALUES (1, 1, 'H1', 'A', "
      "'a'), (1, 2, 'H2', 'B', 'b'), (1, 3, 'H3', 'C', 'c');"
      "INSERT INTO household_places (prov, household_id, from_year, village_code) VALUES "
      "(1, 1, 2020, 'V1'), (1, 2, 2020, 'V2'), (1, 3, 2020, 'V3');"
      "INSERT INTO persons (prov, id, household_id, full_name, name_key, birth_year, gender) "
      "VALUES (1, 101, 1, 'Trần Văn Bình', 'tran van binh', 2012, 'nam'),"
      "(1, 102, 1, 'Lê Thị Cúc', 'le thi cuc', 2011, 'nu'),"
      "(1, 103, 3, 'Phạm Văn Dũng', 'pham van dung', 2011, 'nam'),"
      "(1, 104, 2, 'Ngô Thị Em', 'ngo thi em', 2010, 'nu'),"
      "(1, 105, 2, 'Đỗ Văn Giang', 'do van giang', 1990, 'nam'),"
      "(1, 106, 2, 'Vũ Thị Hoa', 'vu thi hoa', 2012, 'nu'),"
      "(1, 107, 2, 'Bùi Văn Khoa', 'bui van khoa', 2013, 'nam');"
      "INSERT INTO person_years (prov, person_id, year, literate, in_school, school_result) "
      "VALUES (1, 101, 2025, 1, 1, 'kha'), (1, 102, 2025, 1, 1, 'tot'), (1, 103, 2025, 1, 1, "
      "'tot'), (1, 104, 2025, 1, 0, 'tot'), (1, 105, 2025, 1, 0, NULL), (1, 106, 2025, 1, 1, "
      "'dat'), (1, 107, 2024, 1, 1, 'tot');");
  return rc == HT_OK ? d : NULL;
}

static int64_t count(db *d, const char *sql) {
  int64_t n = -1;
  db_query_int64(d, &n, sql, 0);
  return n;
}

static int has_field(const issues *p, const char *field) {
  for (long i = 0; i < p->kept; i++)
    if (p->items[i].field && !strcmp(p->items[i].field, field)) return 1;
  return 0;
}

static const char *RULES =
    "# Khen thưởng học sinh xã Một\n"
    "rule national 2.000.000 award \"Học sinh đạt giải quốc gia\"\n"
    "  when achievement national-prize international-prize\n"
    "rule poor-good 1.000.000 scholarship \"Học sinh hộ nghèo có kết quả học tập tốt\"\n"
    "  when circumstance poor near-poor\n"
    "  when result kha-or-better\n"
    "rule pupil 300.000 award \"Học sinh giỏi\"\n"
    "  from registry\n"
    "  when in-school\n"
    "  when result tot\n"
    "  when age 6..18\n";

typedef struct world {
  db *d;
  hier h;
  arena a;
  int64_t programme, an, binh, cuong, hoa;
} world;

static int setup(world *w, const char *name) {
  memset(w, 0, sizeof *w);
  arena_init(&w->a, 0);
  w->d = fresh_db(name);
  if (!w->d) return 0;
  issues p;
  issues_init(&p, &w->a);
  ht_err err = {0};
  fund_new fn = {"KH-X1", "Quỹ khuyến học xã Một", "unit", "X1", 0};
  if (fund_create(w->d, &WHO, &fn, &p, NULL, &err)) return 0;
  fund_beneficiary an = {.name = "Nguyễn Văn An",
                         .birth_year = 2010,
                         .unit_code = "V1",
                         .school = "THCS Một",
                         .grade = "9",
                         .achievements = "excellent|national-prize"};
  fund_beneficiary binh = {.person_id = 101, .circumstances = "poor"};
  fund_beneficiary cuong = {.name = "Hoàng Văn Cường",
                            .birth_year = 2010,
                            .unit_code = "V3",
                            .achievements = "national-prize"};
  fund_beneficiary hoa = {.person_id = 106, .circumstances = "poor"};
  if (fund_beneficiary_add(w->d, &WHO, &an, &p, &w->an, &err) ||
      fund_beneficiary_add(w->d, &WHO, &binh, &p, &w->binh, &err) ||
      fund_beneficiary_add(w->d, &WHO, &cuong, &p, &w->cuong, &err) ||
      fund_beneficiary_add(w->d, &WHO, &hoa, &p, &w->hoa, &err))
    return 0;
  fund_programme_new pn = {"KH-X1", "HSG-X1", "Khen thưởng học sinh xã Một", RULES};
  if (fund_programme_create(w->d, &WHO, &pn, &p, &w->programme, &err)) return 0;
  return hier_load(w->d, &w->h, &err) == HT_OK;
}

static void teardown(world *w) {
  hier_free(&w->h);
  arena_free(&w->a);
  db_close(w->d);
}

TEST(programme_create_checks_every_field) {
  db *d = fresh_db("programme-create.db");
  CHECK(d != NULL);
  if (!d) return;
  arena a;
  arena_init(&a, 0);
  issues p;
  issues_init(&p, &a);
  ht_err err = {0};
  fund_new fn = {"KH-X1", "Quỹ khuyến học xã Một", "unit", "X1", 0};
  CHECK_EQ_INT(fund_create(d, &WHO, &fn, &p, NULL, &err), HT_OK);
  int64_t audits = count(d, "SELECT COUNT(*) FROM audit");
  fund_programme_new bad = {"KH-NONE", "bad code!", "  ",
                            "rule a 1000 award \"x\"\n  when achievement gold\n"};
  CHECK_EQ_INT(fund_programme_create(d, &WHO, &bad, &p, NULL, &err), HT_EINVAL);
  CHECK(has_field(&p, "fund") && has_field(&p, "code") && has_field(&p, "name"));
  CHECK(has_field(&p, "rules"));
  int rules_line = 0;
  for (long i = 0; i < p.kept; i++)
    if (p.items[i].field && !strcmp(p.items[i].field, "rules")) rules_line = (int)p.items[i].row;
  CHECK_EQ_INT(rules_line, 2);
  CHECK_EQ_INT(count(d, "SELECT COUNT(*) FROM fund_programmes"), 0);
  CHECK_EQ_INT(count(d, "SELECT COUNT(*) FROM audit"), audits);
  issues_init(&p, &a);
  fund_programme_new good = {"KH-X1", "HSG-X1", "Khen thưởng", RULES};
  int64_t id;
  CHECK_EQ_INT(fund_programme_create(d, &WHO, &good, &p, &id, &err), HT_OK);
  fund_programme pg;
  CHECK_EQ_INT(fund_programme_get(d, id, &a, &pg), HT_OK);
  CHECK_EQ_STR(pg.fund_code, "KH-X1");
  CHECK_EQ_STR(pg.unit_code, "X1");
  CHECK_EQ_STR(pg.rules, RULES);
  CHECK_EQ_INT(fund_programme_find(d, "HSG-X1", &a, &pg), HT_OK);
  CHECK(pg.id == id);
  /* the code is unique */
  issues_init(&p, &a);
  CHECK_EQ_INT(fund_programme_create(d, &WHO, &good, &p, NULL, &err), HT_EINVAL);
  CHECK(p.count == 1 && has_field(&p, "code"));
  CHECK_EQ_INT(count(d, "SELECT COUNT(*) FROM audit WHERE action = 'fund.programme.create'"), 1);
  arena_free(&a);
  db_close(d);
}

static int64_t balance(world *w) {
  fund f;
  int64_t b = -1;
  if (fund_get(w->d, "KH-X1", &w->a, &f) == HT_OK) fund_balance(w->d, f.id, NULL, NULL, &b);
  return b;
}

static void receipt(world *w, const char *date, int64_t amount) {
  issues p;
  issues_init(&p, &w->a);
  ht_err err = {0};
  fund_posting r = {.kind = FUND_RECEIPT, .fund = "KH-X1", .date = date, .amount = amount};
  CHECK_EQ_INT(fund_post(w->d, &WHO, &r, &p, NULL, &err), HT_OK);
}

TEST(programme_run_approve_pay_once) {
  world w;
  CHECK(setup(&w, "programme-run.db"));
  if (!w.d) return;
  db *d = w.d;
  arena *a = &w.a;
  issues p;
  ht_err err = {0};
  int64_t beneficiaries = count(d, "SELECT COUNT(*) FROM fund_beneficiaries");
  CHECK_EQ_INT(beneficiaries, 4);

  /* a year that has not come is refused */
  issues_init(&p, a);
  CHECK_EQ_INT(fund_programme_run(d, &WHO, &w.h, w.programme, 2099, &p, NULL, &err), HT_EINVAL);
  CHECK(has_field(&p, "year"));

  /* the proposal: An (prize), Bình (poor, khá), Cúc (registry: at school, giỏi);
   * not Cường (another commune), Dũng (registry, another commune), Em (not at
   * school), Giang (adult), Hoa (result đạt), Khoa (no facts of 2025) */
  issues_init(&p, a);
  int64_t first;
  CHECK_EQ_INT(fund_programme_run(d, &WHO, &w.h, w.programme, 2025, &p, &first, &err), HT_OK);
  CHECK_EQ_INT(count(d, "SELECT COUNT(*) FROM fund_beneficiaries"), beneficiaries);
  issues_init(&p, a);
  int64_t batch;
  CHECK_EQ_INT(fund_programme_run(d, &WHO, &w.h, w.programme, 2025, &p, &batch, &err), HT_OK);
  fund_batch b;
  CHECK_EQ_INT(fund_batch_get(d, first, a, &b), HT_OK);
  CHECK(b.state == FUND_BATCH_CANCELLED); /* the second run superseded it */
  CHECK(strstr(b.cancel_reason, "superseded") != NULL);
  CHECK_EQ_INT(fund_batch_get(d, batch, a, &b), HT_OK);
  CHECK(b.state == FUND_BATCH_PROPOSED);
  CHECK_EQ_INT(b.year, 2025);
  CHECK_EQ_INT(b.nitems, 3);
  CHECK(b.total == 3300000);
  static const struct {
    const char *name, *rule, *category;
    int64_t amount;
  } want[] = {{"Nguyễn Văn An", "national", "award", 2000000},
              {"Trần Văn Bình", "poor-good", "scholarship", 1000000},
              {"Lê Thị Cúc", "pupil", "award", 300000}};
  for (size_t i = 0; i < 3 && i < b.nitems; i++) {
    CHECK_EQ_INT(b.items[i].item, (int)i + 1);
    CHECK_EQ_STR(b.items[i].name, want[i].name);
    CHECK_EQ_STR(b.items[i].rule, want[i].rule);
    CHECK_EQ_STR(b.items[i].category, want[i].category);
    CHECK(b.items[i].amount == want[i].amount);
  }
  if (b.nitems == 3) {
    CHECK(b.items[0].beneficiary_id == w.an && b.items[1].beneficiary_id == w.binh);
    CHECK(b.items[2].beneficiary_id == 0 && b.items[2].person_id == 102);
    CHECK_EQ_STR(b.items[2].unit_code, "V1");
    CHECK_EQ_STR(b.items[1].reason, "Học sinh hộ nghèo có kết quả học tập tốt");
  }

  /* a bad approval lists every problem and changes nothing */
  int64_t audits = count(d, "SELECT COUNT(*) FROM audit");
  issues_init(&p, a);
  int drop_bad[] = {7, 1, 1};
  fund_batch_approval bad = {"", "2099-01-01", " ", drop_bad, 3};
  CHECK_EQ_INT(fund_batch_approve(d, &WHO, batch, &bad, &p, &err), HT_EINVAL);
  CHECK(has_field(&p, "number") && has_field(&p, "date") && has_field(&p, "signer"));
  CHECK(has_field(&p, "drop"));
  issues_init(&p, a);
  int drop_all[] = {1, 2, 3};
  fund_batch_approval all = {"12/QĐ-KH", "2025-12-15", "Nguyễn Thị Lan", drop_all, 3};
  CHECK_EQ_INT(fund_batch_approve(d, &WHO, batch, &all, &p, &err), HT_EINVAL);
  CHECK(has_field(&p, "drop"));
  CHECK_EQ_INT(count(d, "SELECT COUNT(*) FROM audit"), audits);
  CHECK_EQ_INT(count(d, "SELECT COUNT(*) FROM fund_batches WHERE state = 'approved'"), 0);

  /* one decision approves the batch without An; Cúc becomes a beneficiary */
  issues_init(&p, a);
  int drop_an[] = {1};
  fund_batch_approval ok = {"12/QĐ-KH", "2025-12-15", "Nguyễn Thị Lan", drop_an, 1};
  CHECK_EQ_INT(fund_batch_approve(d, &WHO, batch, &ok, &p, &err), HT_OK);
  CHECK_EQ_INT(fund_batch_get(d, batch, a, &b), HT_OK);
  CHECK(b.state == FUND_BATCH_APPROVED);
  CHECK_EQ_STR(b.decision_number, "12/QĐ-KH");
  CHECK_EQ_STR(b.decision_signer, "Nguyễn Thị Lan");
  CHECK_EQ_STR(b.approved_by, "test");
  CHECK(b.total == 1300000 && b.count == 2);
  CHECK(b.items[0].dropped && !b.items[1].dropped);
  CHECK(b.items[2].beneficiary_id != 0);
  int64_t cuc = b.items[2].beneficiary_id;
  CHECK_EQ_INT(count(d, "SELECT COUNT(*) FROM fund_beneficiaries WHERE person_id = 102"), 1);
  CHECK_EQ_INT(count(d, "SELECT COUNT(*) FROM audit WHERE action = 'fund.batch.approve'"), 1);
  /* approved once */
  issues_init(&p, a);
  CHECK_EQ_INT(fund_batch_approve(d, &WHO, batch, &ok, &p, &err), HT_EINVAL);
  CHECK(p.kept && strstr(p.items[0].msg, "approved already by decision 12/QĐ-KH"));
  /* a new run waits for the approved batch to be paid */
  issues_init(&p, a);
  CHECK_EQ_INT(fund_programme_run(d, &WHO, &w.h, w.programme, 2025, &p, NULL, &err), HT_EINVAL);
  CHECK(p.kept && strstr(p.items[0].msg, "not paid yet"));

  /* the fund cannot cover it: refused with the balance and the total, nothing posted */
  receipt(&w, "2025-09-10", 1000000);
  int64_t entries = count(d, "SELECT COUNT(*) FROM fund_entries");
  audits = count(d, "SELECT COUNT(*) FROM audit");
  issues_init(&p, a);
  fund_batch_payment pay = {"2025-12-20", "cash"};
  CHECK_EQ_INT(fund_batch_pay(d, &WHO, batch, &pay, &p, a, NULL, NULL, &err), HT_EINVAL);
  CHECK(p.count == 1 && has_field(&p, "amount"));
  CHECK(p.kept && strstr(p.items[0].msg, "1.000.000 đ") && strstr(p.items[0].msg, "1.300.000 đ"));
  CHECK(p.kept && p.items[0].msg_vi && strstr(p.items[0].msg_vi, "chỉ còn 1.000.000 đ"));
  CHECK_EQ_INT(count(d, "SELECT COUNT(*) FROM fund_entries"), entries);
  CHECK_EQ_INT(count(d, "SELECT COUNT(*) FROM audit"), audits);
  CHECK_EQ_INT(fund_batch_get(d, batch, a, &b), HT_OK);
  CHECK(b.state == FUND_BATCH_APPROVED);
  /* paid before the decision: refused */
  receipt(&w, "2025-09-11", 2000000);
  CHECK(balance(&w) == 3000000);
  issues_init(&p, a);
  fund_batch_payment early = {"2025-12-01", "cash"};
  CHECK_EQ_INT(fund_batch_pay(d, &WHO, batch, &early, &p, a, NULL, NULL, &err), HT_EINVAL);
  CHECK(has_field(&p, "date"));

  /* paid: one disbursement per item, the total leaves the fund */
  issues_init(&p, a);
  int64_t *ids;
  size_t nids;
  CHECK_EQ_INT(fund_batch_pay(d, &WHO, batch, &pay, &p, a, &ids, &nids, &err), HT_OK);
  CHECK_EQ_INT(nids, 2);
  CHECK(balance(&w) == 1700000);
  int64_t sum = 0;
  for (size_t i = 0; i < nids; i++) {
    fund_entry e;
    CHECK_EQ_INT(fund_entry_get(d, ids[i], a, &e), HT_OK);
    sum += e.amount;
    CHECK(e.kind == FUND_DISBURSEMENT && e.batch_id == batch);
    CHECK_EQ_STR(e.decision, "12/QĐ-KH");
    CHECK_EQ_STR(e.date, "2025-12-20");
  }
  CHECK(sum == 1300000);
  fund_entry e;
  CHECK_EQ_INT(fund_entry_get(d, ids[1], a, &e), HT_OK);
  CHECK(e.beneficiary_id == cuc);
  CHECK_EQ_STR(e.category, "award");
  CHECK_EQ_STR(e.memo, "Học sinh giỏi");
  CHECK_EQ_INT(fund_batch_get(d, batch, a, &b), HT_OK);
  CHECK(b.state == FUND_BATCH_PAID);
  CHECK_EQ_STR(b.paid_on, "2025-12-20");
  CHECK(b.items[1].entry_id == ids[0] && b.items[2].entry_id == ids[1] && !b.items[0].entry_id);
  issues_init(&p, a);
  CHECK_EQ_INT(fund_check(d, &p, &err), HT_OK);
  /* one audit entry for the payment, naming the entries */
  CHECK_EQ_INT(count(d, "SELECT COUNT(*) FROM audit WHERE action = 'fund.batch.pay'"), 1);
  CHECK_EQ_INT(count(d, "SELECT COUNT(*) FROM audit WHERE action = 'fund.disbursement'"), 0);
  char sql[256];
  snprintf(sql, sizeof sql,
           "SELECT COUNT(*) FROM audit WHERE action = 'fund.batch.pay' AND after_json LIKE "
           "'%%%lld%%' AND after_json LIKE '%%%lld%%' AND after_json LIKE '%%\"total\":1300000%%'",
           (long long)ids[0], (long long)ids[1]);
  CHECK_EQ_INT(count(d, sql), 1);

  /* paid once */
  entries = count(d, "SELECT COUNT(*) FROM fund_entries");
  issues_init(&p, a);
  CHECK_EQ_INT(fund_batch_pay(d, &WHO, batch, &pay, &p, a, NULL, NULL, &err), HT_EINVAL);
  CHECK(p.kept && strstr(p.items[0].msg, "paid already"));
  issues_init(&p, a);
  CHECK_EQ_INT(fund_batch_cancel(d, &WHO, batch, "nhầm", &p, &err), HT_EINVAL);
  CHECK_EQ_INT(count(d, "SELECT COUNT(*) FROM fund_entries"), entries);

  /* the next run proposes only An: Bình and Cúc were paid for 2025 */
  issues_init(&p, a);
  int64_t next;
  CHECK_EQ_INT(fund_programme_run(d, &WHO, &w.h, w.programme, 2025, &p, &next, &err), HT_OK);
  CHECK_EQ_INT(fund_batch_get(d, next, a, &b), HT_OK);
  CHECK(b.nitems == 1 && b.items[0].beneficiary_id == w.an);
  /* a reversed payment was not a payment: Cúc is proposed again */
  issues_init(&p, a);
  CHECK_EQ_INT(fund_reverse(d, &WHO, ids[1], "2025-12-21", "Nhầm người", &p, NULL, &err), HT_OK);
  issues_init(&p, a);
  CHECK_EQ_INT(fund_batch_cancel(d, &WHO, next, "  ", &p, &err), HT_EINVAL);
  CHECK(has_field(&p, "reason"));
  issues_init(&p, a);
  CHECK_EQ_INT(fund_batch_cancel(d, &WHO, next, "Lập lại", &p, &err), HT_OK);
  issues_init(&p, a);
  CHECK_EQ_INT(fund_programme_run(d, &WHO, &w.h, w.programme, 2025, &p, &next, &err), HT_OK);
  CHECK_EQ_INT(fund_batch_get(d, next, a, &b), HT_OK);
  CHECK(b.nitems == 2 && b.items[0].beneficiary_id == w.an && b.items[1].beneficiary_id == cuc);
  CHECK(b.total == 2300000);
  /* another year: the registry has no 2024 facts for the commune's pupils but Khoa's */
  issues_init(&p, a);
  int64_t y2024;
  CHECK_EQ_INT(fund_programme_run(d, &WHO, &w.h, w.programme, 2024, &p, &y2024, &err), HT_OK);
  CHECK_EQ_INT(fund_batch_get(d, y2024, a, &b), HT_OK);
  CHECK(b.nitems == 2);
  if (b.nitems == 2) {
    CHECK(b.items[0].beneficiary_id == w.an);
    CHECK(b.items[1].person_id == 107 && b.items[1].beneficiary_id == 0);
  }
  fund_batch *list;
  size_t n;
  CHECK_EQ_INT(fund_batch_list(d, w.programme, a, &list, &n), HT_OK);
  CHECK_EQ_INT(n, 5);
  CHECK_EQ_INT(count(d, "SELECT COUNT(*) FROM audit WHERE action = 'fund.batch.propose'"), 5);
  CHECK_EQ_INT(count(d, "SELECT COUNT(*) FROM audit WHERE action = 'fund.batch.cancel'"), 1);
  teardown(&w);
}

TEST(programme_run_with_nobody_qualifying_changes_nothing) {
  world w;
  CHECK(setup(&w, "programme-nobody.db"));
  if (!w.d) return;
  issues p;
  issues_init(&p, &w.a);
  ht_err err = {0};
  fund_programme_new pn = {"KH-X1", "INTL", "Giải quốc tế",
                           "rule intl 5.000.000 award \"Giải quốc tế\"\n"
                           "  when achievement international-prize\n"};
  int64_t id;
  CHECK_EQ_INT(fund_programme_create(w.d, &WHO, &pn, &p, &id, &err), HT_OK);
  int64_t audits = count(w.d, "SELECT COUNT(*) FROM audit");
  CHECK_EQ_INT(fund_programme_run(w.d, &WHO, &w.h, id, 2025, &p, NULL, &err), HT_EINVAL);
  CHECK(p.kept && strstr(p.items[0].msg, "nobody within X1 qualifies"));
  CHECK_EQ_INT(count(w.d, "SELECT COUNT(*) FROM fund_batches"), 0);
  CHECK_EQ_INT(count(w.d, "SELECT COUNT(*) FROM audit"), audits);
  teardown(&w);
}
