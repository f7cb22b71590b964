/* test_fund.c - the study-promotion fund ledger (model/fund.h) on a real
 * SQLite database: worked refusals, and a property test of random operations
 * against a model kept by the test (every entry balances, balances equal the
 * sum of entries, reversals net to zero, overspending and closed periods are
 * refused and change nothing). */
#include <stdlib.h>
#include <string.h>

#include "model/fund.h"
#include "test.h"

static db *fresh_db(const char *name) {
  db *d = test_open_db(name);
  if (!d) return NULL;
  db_exec(d,
          "INSERT INTO units (prov, id, code, name, name_key, kind, parent_code, valid_from, "
          "valid_to, groups) VALUES (1, 1, '31', 'Thành phố Hải Phòng', 'thanh pho hai phong', "
          "'thanh-pho-tw', NULL, '2020-01-01', NULL, '')");
  return d;
}

static const audit_actor WHO = {0, "test", "local"};

static int64_t count_rows(db *d, const char *table) {
  int64_t n = -1;
  char sql[128];
  snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
  db_query_int64(d, &n, sql, 0);
  return n;
}

static int has_field(const issues *p, const char *field) {
  for (long i = 0; i < p->kept; i++)
    if (p->items[i].field && !strcmp(p->items[i].field, field)) return 1;
  return 0;
}

TEST(amounts_are_whole_dong) {
  int64_t v;
  CHECK_EQ_INT(fund_parse_amount("1.500.000", &v), HT_OK);
  CHECK(v == 1500000);
  CHECK_EQ_INT(fund_parse_amount("2,000,000 đ", &v), HT_OK);
  CHECK(v == 2000000);
  CHECK_EQ_INT(fund_parse_amount("500000 VND", &v), HT_OK);
  CHECK(v == 500000);
  CHECK_EQ_INT(fund_parse_amount("1.5", &v), HT_OK); /* "1.5" is 15: a separator, no decimals */
  CHECK(v == 15);
  CHECK_EQ_INT(fund_parse_amount("1,50 €", &v), HT_EINVAL);
  CHECK_EQ_INT(fund_parse_amount("-5", &v), HT_EINVAL);
  CHECK_EQ_INT(fund_parse_amount("", &v), HT_EINVAL);
  CHECK_EQ_INT(fund_parse_amount("99999999999999999999", &v), HT_EINVAL);
  char buf[32];
  CHECK_EQ_STR(fund_format_amount(1234567, buf), "1.234.567");
  CHECK_EQ_STR(fund_format_amount(0, buf), "0");
  CHECK_EQ_STR(fund_format_amount(-1000, buf), "-1.000");
}

TEST(overspending_and_closed_periods_are_refused_with_the_balance) {
  db *d = fresh_db("fund-refusals.db");
  CHECK(d != NULL);
  if (!d) return;
  arena a;
  arena_init(&a, 0);
  issues p;
  issues_init(&p, &a);
  ht_err err = {0};
  fund_new fn = {"KH-31", "Quỹ khuyến học thành phố", "unit", "31", 0};
  CHECK_EQ_INT(fund_create(d, &WHO, &fn, &p, NULL, &err), HT_OK);
  fund_beneficiary b = {0,   0,      "Nguyễn Văn An", 2010, "31", "THCS Lê Chân",
                        "9", "poor", "excellent"};
  int64_t ben;
  CHECK_EQ_INT(fund_beneficiary_add(d, &WHO, &b, &p, &ben, &err), HT_OK);
  fund_posting r = {.kind = FUND_RECEIPT,
                    .fund = "KH-31",
                    .date = "2025-09-10",
                    .amount = 1000000,
                    .method = "cash",
                    .campaign = "Tháng Khuyến học 2025"};
  CHECK_EQ_INT(fund_post(d, &WHO, &r, &p, NULL, &err), HT_OK);
  int64_t entries = count_rows(d, "fund_entries"), audits = count_rows(d, "audit");
  fund_posting pay = {.kind = FUND_DISBURSEMENT,
                      .fund = "KH-31",
                      .date = "2025-09-20",
                      .amount = 1500000,
                      .method = "cash",
                      .beneficiary_id = ben,
                      .category = "scholarship",
                      .memo = "Học bổng"};
  CHECK_EQ_INT(fund_post(d, &WHO, &pay, &p, NULL, &err), HT_EINVAL);
  CHECK(p.count == 1 && has_field(&p, "amount"));
  CHECK(p.kept && strstr(p.items[0].msg, "1.000.000") != NULL);
  CHECK(p.kept && strstr(p.items[0].msg_vi, "1.000.000 đ") != NULL);
  CHECK(count_rows(d, "fund_entries") == entries && count_rows(d, "audit") == audits);
  /* paid before the money came in: the balance on that day is 0 */
  issues_init(&p, &a);
  pay.amount = 500000;
  pay.date = "2025-09-01";
  CHECK_EQ_INT(fund_post(d, &WHO, &pay, &p, NULL, &err), HT_EINVAL);
  CHECK(has_field(&p, "amount"));
  issues_init(&p, &a);
  pay.date = "2025-09-20";
  int64_t paid;
  CHECK_EQ_INT(fund_post(d, &WHO, &pay, &p, &paid, &err), HT_OK);
  int64_t bal;
  fund f;
  CHECK_EQ_INT(fund_get(d, "KH-31", &a, &f), HT_OK);
  CHECK_EQ_INT(fund_balance(d, f.id, NULL, NULL, &bal), HT_OK);
  CHECK(bal == 500000);
  /* a receipt reversed after the money was spent would take cash below zero */
  issues_init(&p, &a);
  fund_entry *list;
  size_t n;
  CHECK_EQ_INT(fund_entries(d, f.id, NULL, NULL, &a, &list, &n), HT_OK);
  CHECK(n == 2);
  CHECK_EQ_INT(fund_reverse(d, &WHO, list[0].id, "2025-09-25", "Nhập nhầm", &p, NULL, &err),
               HT_EINVAL);
  CHECK(has_field(&p, "amount"));
  /* closing the books: entries on or before the date are refused */
  issues_init(&p, &a);
  CHECK_EQ_INT(fund_close_through(d, &WHO, "KH-31", "2025-09-30", &p, &err), HT_OK);
  issues_init(&p, &a);
  r.date = "2025-09-30";
  CHECK_EQ_INT(fund_post(d, &WHO, &r, &p, NULL, &err), HT_EINVAL);
  CHECK(has_field(&p, "date"));
  issues_init(&p, &a);
  CHECK_EQ_INT(fund_reverse(d, &WHO, paid, "2025-09-29", "Sai", &p, NULL, &err), HT_EINVAL);
  CHECK(has_field(&p, "date"));
  issues_init(&p, &a);
  CHECK_EQ_INT(fund_close_through(d, &WHO, "KH-31", "2025-09-01", &p, &err), HT_EINVAL);
  issues_init(&p, &a);
  r.date = "2025-10-01";
  CHECK_EQ_INT(fund_post(d, &WHO, &r, &p, NULL, &err), HT_OK);
  /* a reversal in the open period nets the payment to zero; a second one is refused */
  issues_init(&p, &a);
  int64_t rev;
  CHECK_EQ_INT(fund_reverse(d, &WHO, paid, "2025-10-02", "Trả lại học bổng", &p, &rev, &err),
               HT_OK);
  issues_init(&p, &a);
  CHECK_EQ_INT(fund_reverse(d, &WHO, paid, "2025-10-02", "Lần nữa", &p, NULL, &err), HT_EINVAL);
  issues_init(&p, &a);
  CHECK_EQ_INT(fund_reverse(d, &WHO, rev, "2025-10-02", "Đảo của đảo", &p, NULL, &err), HT_EINVAL);
  CHECK_EQ_INT(fund_balance(d, f.id, NULL, NULL, &bal), HT_OK);
  CHECK(bal == 2000000);
  /* the beneficiary's history shows the payment and its reversal */
  CHECK_EQ_INT(fund_beneficiary_history(d, ben, &a, &list, &n), HT_OK);
  CHECK(n == 2 && list[0].kind == FUND_DISBURSEMENT && list[1].kind == FUND_REVERSAL);
  issues_init(&p, &a);
  CHECK_EQ_INT(fund_check(d, &p, &err), HT_OK);
  arena_free(&a);
  db_close(d);
}

/* ------------------------------------------------------------ the property test */

typedef struct rng {
  uint64_t s;
} rng;

static uint32_t next(rng *r) {
  r->s ^= r->s << 13;
  r->s ^= r->s >> 7;
  r->s ^= r->s << 17;
  return (uint32_t)(r->s >> 11);
}

static int rnd(rng *r, int n) {
  return (int)(next(r) % (uint32_t)n);
}

#define NF 3
#define MAXE 4000

/* The model: every accepted entry's effects on (fund, account), by date. */
typedef struct effect {
  int fund, account; /* account 0 cash, 1 bank */
  int64_t delta;
} effect;

typedef struct mentry {
  int64_t id;
  int day; /* day of 2025, 1..365 */
  int reversal, reversed;
  int neffects;
  effect eff[2];
} mentry;

typedef struct model {
  mentry e[MAXE];
  int n;
  int closed[NF]; /* day closed through, 0 none */
} model;

static const char *const CODES[NF] = {"F-A", "F-B", "F-C"};
static const char *const ACCOUNTS[2] = {"cash", "bank"};

static void day_str(int day, char out[16]) {
  static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int m = 0;
  while (day > mdays[m]) day -= mdays[m++];
  snprintf(out, 16, "2025-%02d-%02d", (m + 1) % 100, day % 100);
}

/* The lowest end-of-day balance of (fund, account) from day on, as the model sees it. */
static int64_t model_min_from(const model *m, int fi, int account, int day) {
  int64_t by_day[367] = {0};
  for (int i = 0; i < m->n; i++)
    for (int k = 0; k < m->e[i].neffects; k++)
      if (m->e[i].eff[k].fund == fi && m->e[i].eff[k].account == account)
        by_day[m->e[i].day] += m->e[i].eff[k].delta;
  int64_t running = 0, min = 0;
  for (int dd = 1; dd <= 365; dd++) {
    running += by_day[dd];
    if (dd == day) min = running;
    if (dd > day && running < min) min = running;
  }
  return min;
}

static int64_t model_balance(const model *m, int fi, int account) {
  int64_t b = 0;
  for (int i = 0; i < m->n; i++)
    for (int k = 0; k < m->e[i].neffects; k++)
      if (m->e[i].eff[k].fund == fi && m->e[i].eff[k].account == account) b += m->e[i].eff[k].delta;
  return b;
}

TEST(ledger_invariants_hold_under_random_operations) {
  db *d = fresh_db("fund-property.db");
  CHECK(d != NULL);
  if (!d) return;
  arena a;
  arena_init(&a, 0);
  issues p;
  issues_init(&p, &a);
  ht_err err = {0};
  int64_t fid[NF], ben[4], donor[3];
  for (int i = 0; i < NF; i++) {
    fund_new fn = {CODES[i], "Quỹ khuyến học", "unit", "31", 0};
    CHECK_EQ_INT(fund_create(d, &WHO, &fn, &p, &fid[i], &err), HT_OK);
  }
  for (int i = 0; i < 4; i++) {
    fund_beneficiary b = {0, 0, "Trần Thị Bình", 2012, "31", "", "", "", ""};
    CHECK_EQ_INT(fund_beneficiary_add(d, &WHO, &b, &p, &ben[i], &err), HT_OK);
  }
  for (int i = 0; i < 3; i++) {
    fund_donor dn = {0, i ? "enterprise" : "anonymous", i ? "Công ty Sao Biển" : "", "", "", NULL};
    CHECK_EQ_INT(fund_donor_add(d, &WHO, &dn, &p, &donor[i], &err), HT_OK);
  }
  model *m = calloc(1, sizeof *m);
  rng r = {0x2545F4914F6CDD1Dull};
  int accepted = 0, refused_spend = 0, refused_closed = 0, reversals = 0;
  static const char *const cats[] = {"scholarship", "award", "support", "gift"};
  for (int op = 0; op < 1500 && m->n < MAXE - 2; op++) {
    arena_reset(&a);
    issues_init(&p, &a);
    int what = rnd(&r, 100), f = rnd(&r, NF), acc = rnd(&r, 2), day = 1 + rnd(&r, 365);
    char date[16];
    day_str(day, date);
    int64_t amount = (1 + rnd(&r, 40)) * 100000;
    int64_t entries_before = count_rows(d, "fund_entries");
    int expect_ok, rc;
    mentry me = {0};
    me.day = day;
    if (what < 4) { /* close a fund's books */
      int through = m->closed[f] + 1 + rnd(&r, 30);
      if (through > 365) continue;
      char cd[16];
      day_str(through, cd);
      CHECK_EQ_INT(fund_close_through(d, &WHO, CODES[f], cd, &p, &err), HT_OK);
      m->closed[f] = through;
      continue;
    }
    if (what < 70) { /* a receipt, an opening balance, a payment or a transfer */
      fund_posting in = {.fund = CODES[f], .date = date, .amount = amount, .method = ACCOUNTS[acc]};
      int to = (f + 1 + rnd(&r, NF - 1)) % NF;
      if (what < 35) {
        in.kind = what < 8 ? FUND_OPENING : FUND_RECEIPT;
        in.donor_id = donor[rnd(&r, 3)];
        me.neffects = 1;
        me.eff[0] = (effect){f, acc, amount};
      } else if (what < 60) {
        in.kind = FUND_DISBURSEMENT;
        in.beneficiary_id = ben[rnd(&r, 4)];
        in.category = cats[rnd(&r, 4)];
        in.memo = "Khen thưởng";
        me.neffects = 1;
        me.eff[0] = (effect){f, acc, -amount};
      } else {
        in.kind = FUND_TRANSFER;
        in.to_fund = CODES[to];
        me.neffects = 2;
        me.eff[0] = (effect){f, acc, -amount};
        me.eff[1] = (effect){to, acc, amount};
      }
      int closed = day <= m->closed[f] || (in.kind == FUND_TRANSFER && day <= m->closed[to]);
      int short_of = amount > 0 && me.eff[0].delta < 0 && model_min_from(m, f, acc, day) < amount;
      expect_ok = !closed && !short_of;
      rc = fund_post(d, &WHO, &in, &p, &me.id, &err);
      if (!closed && short_of) refused_spend++;
      if (closed) refused_closed++;
    } else { /* reverse an earlier entry (possibly one already reversed, or a reversal) */
      if (!m->n) continue;
      int k = rnd(&r, m->n);
      mentry *o = &m->e[k];
      int rday = o->day + rnd(&r, 366 - o->day);
      day_str(rday, date);
      me.day = rday;
      me.reversal = 1;
      me.neffects = o->neffects;
      int ok = !o->reversal && !o->reversed;
      for (int i = 0; i < o->neffects; i++) {
        me.eff[i] = (effect){o->eff[i].fund, o->eff[i].account, -o->eff[i].delta};
        if (rday <= m->closed[o->eff[i].fund]) ok = 0;
      }
      for (int i = 0; i < o->neffects && ok; i++)
        if (me.eff[i].delta < 0 &&
            model_min_from(m, me.eff[i].fund, me.eff[i].account, rday) < -me.eff[i].delta)
          ok = 0;
      expect_ok = ok;
      rc = fund_reverse(d, &WHO, o->id, date, "Điều chỉnh", &p, &me.id, &err);
      if (rc == HT_OK) {
        o->reversed = 1;
        reversals++;
      }
    }
    if (expect_ok != (rc == HT_OK)) {
      test__fail(__FILE__, __LINE__, "op %d: expected %s, got %d (%s)", op,
                 expect_ok ? "accepted" : "refused", rc, p.kept ? p.items[0].msg : err.msg);
      break;
    }
    if (rc == HT_OK) {
      m->e[m->n++] = me;
      accepted++;
    } else if (count_rows(d, "fund_entries") != entries_before) {
      test__fail(__FILE__, __LINE__, "op %d: a refused entry changed the ledger", op);
      break;
    } else if (!p.count) {
      test__fail(__FILE__, __LINE__, "op %d: refused without a problem", op);
      break;
    }
    /* balances equal the model's sum of entries */
    int bad = 0;
    for (int i = 0; i < NF && !bad; i++)
      for (int k = 0; k < 2 && !bad; k++) {
        int64_t b;
        fund_balance(d, fid[i], ACCOUNTS[k], NULL, &b);
        if (b != model_balance(m, i, k)) {
          test__fail(__FILE__, __LINE__, "op %d: %s %s balance %lld, model %lld", op, CODES[i],
                     ACCOUNTS[k], (long long)b, (long long)model_balance(m, i, k));
          bad = 1;
        }
      }
    if (bad) break;
    if (op % 100 == 99) {
      issues_init(&p, &a);
      if (fund_check(d, &p, &err) != HT_OK) {
        test__fail(__FILE__, __LINE__, "op %d: %s", op, p.kept ? p.items[0].msg : err.msg);
        break;
      }
    }
  }
  /* the test must have exercised every path */
  CHECK(accepted > 300);
  CHECK(refused_spend > 10);
  CHECK(refused_closed > 10);
  CHECK(reversals > 30);
  /* the totals: receipts + openings - payments = balances (transfers net to zero) */
  int64_t total = 0, sum = 0;
  for (int i = 0; i < NF; i++) {
    int64_t b;
    fund_balance(d, fid[i], NULL, NULL, &b);
    total += b;
  }
  db_query_int64(d, &sum,
                 "SELECT COALESCE(SUM(CASE WHEN account IN ('cash', 'bank') THEN debit - credit "
                 "ELSE 0 END), 0) FROM fund_lines",
                 0);
  CHECK(total == sum);
  issues_init(&p, &a);
  CHECK_EQ_INT(fund_check(d, &p, &err), HT_OK);
  free(m);
  arena_free(&a);
  db_close(d);
}

TEST(the_check_finds_a_tampered_ledger) {
  db *d = fresh_db("fund-tamper.db");
  CHECK(d != NULL);
  if (!d) return;
  arena a;
  arena_init(&a, 0);
  issues p;
  issues_init(&p, &a);
  ht_err err = {0};
  fund_new fn = {"KH", "Quỹ", "unit", "31", 0};
  CHECK_EQ_INT(fund_create(d, &WHO, &fn, &p, NULL, &err), HT_OK);
  fund_posting r = {
      .kind = FUND_RECEIPT, .fund = "KH", .date = "2025-09-10", .amount = 700000, .method = "bank"};
  CHECK_EQ_INT(fund_post(d, &WHO, &r, &p, NULL, &err), HT_OK);
  CHECK_EQ_INT(fund_check(d, &p, &err), HT_OK);
  db_exec(d, "UPDATE fund_lines SET credit = 600000 WHERE account = 'donation'");
  CHECK_EQ_INT(fund_check(d, &p, &err), HT_EINVAL);
  CHECK(p.kept && strstr(p.items[0].msg, "differ") != NULL);
  arena_free(&a);
  db_close(d);
}
