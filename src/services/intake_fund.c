/* intake_fund.c - the study-promotion funds' import kinds: donors,
 * donations (each row a receipt of the ledger) and beneficiaries
 * (docs/import.md, docs/funds.md). Row by row inside the import's one
 * transaction, by the rules and helpers of intake.c (intake_int.h). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "model/fund.h"
#include "model/records.h"
#include "services/intake_int.h"

#define RECEIPT_NUMBER_MAX 40 /* bytes of a receipt number */
#define GRADE_MAX 40          /* bytes of a class ("8A") */

enum {
  QF_FUND,
  QF_ENTRY_BY_NUMBER,
  QF_DONOR_BY_CODE,
  QF_DONOR_SAME,
  QF_DONORS_NAMED,
  QF_DONOR_UNITS,
  QF_DONOR_INSERT,
  QF_DONOR_UPDATE,
  QF_BEN_BY_PERSON,
  QF_BEN_BY_KEY,
  QF_BEN_INSERT,
  QF_BEN_UPDATE,
  QF_HH_VILLAGE,
  QF_HH_CODE,
  QF_COUNT
};

/* "+id", "+person_id": the unary plus keeps SQLite from walking an index of
 * many rows (the primary key for the order, person_id IS NULL) instead of
 * the one that finds the few (there are no statistics to tell it better);
 * PostgreSQL reads them as the same columns. */
static const char *const sql[QF_COUNT] = {
    /* no balance here: fund_get sums the fund's lines, once per row would be
     * quadratic in a large file */
    [QF_FUND] =
        "SELECT id, unit_code, COALESCE(closed_through, '') FROM funds WHERE prov = $1 AND "
        "code = $2",
    [QF_ENTRY_BY_NUMBER] =
        "SELECT e.id, e.kind, e.entry_date, e.amount, e.method, COALESCE(e.donor_id, 0), "
        "e.campaign, e.purpose, COALESCE(d.name_key, ''), COALESCE((SELECT r.id FROM "
        "fund_entries r WHERE r.prov = e.prov AND r.reverses = e.id), 0), COALESCE(d.kind, '') "
        "FROM fund_entries e "
        "LEFT JOIN fund_donors d ON d.prov = e.prov AND d.id = e.donor_id WHERE e.prov = $1 AND "
        "e.fund_id = $2 AND e.number = $3 ORDER BY +e.id LIMIT 1",
    [QF_DONOR_BY_CODE] =
        "SELECT id, kind, name, name_key, address, phone FROM fund_donors WHERE prov = $1 AND "
        "code = $2",
    /* the same donor entered without a code: every field of the file equal
     * ($2, $4, $5 NULL: the column is not in the file) */
    [QF_DONOR_SAME] =
        "SELECT id, COALESCE(code, ''), kind, address, phone FROM fund_donors WHERE prov = $1 "
        "AND ($2 IS NULL OR kind = $2) AND name = $3 AND ($4 IS NULL OR address = $4) AND ($5 "
        "IS NULL OR phone = $5) AND ($6 = 0 OR code IS NULL) AND name_key = $7 ORDER BY +id "
        "LIMIT 1",
    [QF_DONORS_NAMED] =
        "SELECT id, COALESCE(code, '') FROM fund_donors WHERE prov = $1 AND name_key = $2 AND "
        "kind <> 'anonymous' ORDER BY +id LIMIT 4",
    /* the units of the funds a donor gave to: whose the donor is */
    [QF_DONOR_UNITS] =
        "SELECT DISTINCT f.unit_code FROM fund_entries e JOIN funds f ON f.prov = e.prov AND "
        "f.id = e.fund_id WHERE e.prov = $1 AND e.donor_id = $2",
    [QF_DONOR_INSERT] =
        "INSERT INTO fund_donors (prov, id, code, kind, name, name_key, address, phone, "
        "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    [QF_DONOR_UPDATE] =
        "UPDATE fund_donors SET code = $3, kind = $4, name = $5, name_key = $6, address = $7, "
        "phone = $8 WHERE prov = $1 AND id = $2",
    [QF_BEN_BY_PERSON] =
        "SELECT id, name, COALESCE(birth_year, 0), unit_code, school, grade, circumstances, "
        "achievements FROM fund_beneficiaries WHERE prov = $1 AND person_id = $2",
    [QF_BEN_BY_KEY] =
        "SELECT id, name, COALESCE(birth_year, 0), unit_code, school, grade, circumstances, "
        "achievements FROM fund_beneficiaries WHERE prov = $1 AND +person_id IS NULL AND "
        "name_key = $2 AND COALESCE(birth_year, 0) = $3 AND unit_code = $4 ORDER BY +id LIMIT 1",
    [QF_BEN_INSERT] =
        "INSERT INTO fund_beneficiaries (prov, id, person_id, name, name_key, birth_year, "
        "unit_code, school, grade, circumstances, achievements, created_at) VALUES ($1, $2, $3, "
        "$4, $5, $6, $7, $8, $9, $10, $11, $12)",
    [QF_BEN_UPDATE] =
        "UPDATE fund_beneficiaries SET name = $3, name_key = $4, birth_year = $5, unit_code = "
        "$6, school = $7, grade = $8, circumstances = $9, achievements = $10 WHERE prov = $1 AND "
        "id = $2",
    /* a household's village in the year, else (placed only later) its first */
    [QF_HH_VILLAGE] =
        "SELECT village_code FROM household_places WHERE prov = $1 AND household_id = $2 "
        "ORDER BY CASE WHEN from_year <= $3 THEN 0 ELSE 1 END, "
        "CASE WHEN from_year <= $3 THEN -from_year ELSE from_year END LIMIT 1",
    [QF_HH_CODE] = "SELECT code FROM households WHERE prov = $1 AND id = $2",
};

/* A fund as a donations row needs it. */
typedef struct fund_info {
  int64_t id;
  const char *code, *unit, *closed_through;
  long receipts; /* posted by this import */
  int64_t amount;
} fund_info;

struct intake_fund {
  db_stmt *stmt[QF_COUNT];
  strmap funds; /* fund code -> index into fundv + 1 (0: no such fund) */
  fund_info *fundv;
  size_t nfund, fund_cap;
};

static struct intake_fund *state(ix *x) {
  if (!x->fund) {
    x->fund = arena_calloc(x->a, sizeof *x->fund);
    strmap_init(&x->fund->funds);
  }
  return x->fund;
}

void intake__fund_release(ix *x) {
  if (!x->fund) return;
  for (int i = 0; i < QF_COUNT; i++) {
    db_finalize(x->fund->stmt[i]);
    x->fund->stmt[i] = NULL;
  }
}

void intake__fund_free(ix *x) {
  if (!x->fund) return;
  intake__fund_release(x);
  strmap_free(&x->fund->funds);
  x->fund = NULL;
}

static db_stmt *q(ix *x, int id) {
  struct intake_fund *f = state(x);
  if (!f->stmt[id] && db_prepare(x->d, sql[id], &f->stmt[id]) != HT_OK) return NULL;
  db_reset(f->stmt[id]);
  db_bind_int64(f->stmt[id], 1, db_prov(x->d));
  return f->stmt[id];
}

static int step_done(db_stmt *s) {
  return s && db_step(s) == DB_DONE ? HT_OK : HT_EDB;
}

static const char *col_text(ix *x, db_stmt *s, int i) {
  return arena_strdup(&x->row, db_col_text(s, i));
}

/* The column of key in the current kind's columns. */
#define COL(key) intake__col_of(x, key)

/* An optional text column: NULL when the column is absent (what is stored
 * stays), "" when empty, else the cleaned text; *bad when it is not text. */
static const char *optional_text(ix *x, int c, size_t max, int *bad) {
  if (!intake__present(x, c)) return NULL;
  if (!*intake__cell(x, c)) return "";
  const char *v = intake__name_cell(x, c, max);
  if (!v) *bad = 1;
  return v ? v : "";
}

/* --------------------------------------------------------------- donors */

/* The units of the funds a stored donor gave to that lie outside the
 * caller's area: the first, or NULL. */
static const char *donor_outside(ix *x, int64_t id) {
  if (!x->o->in_scope) return NULL;
  db_stmt *s = q(x, QF_DONOR_UNITS);
  if (!s) return NULL;
  db_bind_int64(s, 2, id);
  const char *outside = NULL;
  while (!outside && db_step(s) == DB_ROW)
    if (!intake__in_scope(x, db_col_text(s, 0))) outside = col_text(x, s, 0);
  return outside;
}

int intake__row_donor(ix *x, ht_err *err) {
  int c_code = COL("donor_code"), c_kind = COL("kind"), c_name = COL("name"),
      c_addr = COL("address"), c_phone = COL("phone");
  int bad = 0;
  const char *code = intake__present(x, c_code) ? intake__code_cell(x, c_code) : NULL;
  if (!code && *intake__cell(x, c_code)) bad = 1;
  /* NULL: the column is not in the file (a stored donor keeps its kind) */
  const char *kind = intake__present(x, c_kind) ? "person" : NULL;
  const char *kind_text = intake__cell(x, c_kind);
  if (*kind_text && intake_parse_donor_kind(kind_text, &kind) != HT_OK) {
    intake__prob(x, c_kind,
                 F(x,
                   "'%s' is not a kind of donor; write cá nhân, gia đình, dòng họ, doanh nghiệp, "
                   "tổ chức or ẩn danh (person, family, clan, enterprise, organisation, "
                   "anonymous)",
                   kind_text),
                 F(x,
                   "'%s' không phải loại nhà hảo tâm; ghi cá nhân, gia đình, dòng họ, doanh "
                   "nghiệp, tổ chức hoặc ẩn danh",
                   kind_text));
    bad = 1;
  }
  int anonymous = kind && !strcmp(kind, "anonymous");
  const char *name = NULL;
  if (anonymous) {
    if (*intake__cell(x, c_name)) {
      intake__prob(
          x, c_name,
          F(x, "an anonymous donor has no name; leave it empty or choose another kind%s", ""),
          F(x, "Nhà hảo tâm ẩn danh không ghi tên; hãy để trống tên hoặc chọn loại khác%s", ""));
      bad = 1;
    }
    name = "";
  } else {
    name = intake__name_cell(x, c_name, INTAKE__NAME_MAX);
    if (!name) bad = 1;
  }
  const char *address = optional_text(x, c_addr, INTAKE__TEXT_MAX, &bad);
  const char *phone = optional_text(x, c_phone, 40, &bad);
  if (phone && *phone && intake_check_phone(phone)) {
    intake__prob(
        x, c_phone,
        F(x,
          "'%s' is not a telephone number: 8 to 15 digits (format the column as text so the "
          "leading 0 stays)",
          phone),
        F(x,
          "'%s' không phải số điện thoại: 8 đến 15 chữ số (định dạng cột là văn bản để giữ số 0 "
          "ở đầu)",
          phone));
    bad = 1;
  }
  /* the same donor twice in the file */
  if (!bad) {
    const char *key = code ? arena_sprintf(&x->row, "donor:%s", code)
                           : arena_sprintf(&x->row, "same:%s|%s|%s|%s", kind ? kind : "", name,
                                           address ? address : "", phone ? phone : "");
    long first = intake__seen_on(x, key);
    if (first)
      intake__duplicate(
          x, code ? c_code : c_name, first,
          code ? F(x, "donor %s", code) : F(x, "donor %s", *name ? name : "anonymous"),
          code ? F(x, "Nhà hảo tâm %s", code) : F(x, "Nhà hảo tâm %s", *name ? name : "ẩn danh"));
    bad |= first != 0;
  }
  if (bad) return HT_OK;

  /* The stored donor: by code; else (and for a code not yet given to
   * anyone) the identical donor entered before. */
  db_stmt *s;
  int64_t id = 0;
  const char *old_code = NULL, *old_kind = "", *old_name = "", *old_addr = "", *old_phone = "";
  if (code) {
    if (!(s = q(x, QF_DONOR_BY_CODE))) return intake__db_fail(x, err);
    db_bind_text(s, 2, code);
    if (db_step(s) == DB_ROW) {
      id = db_col_int64(s, 0);
      old_code = code;
      old_kind = col_text(x, s, 1), old_name = col_text(x, s, 2);
      old_addr = col_text(x, s, 4), old_phone = col_text(x, s, 5);
    }
  }
  if (!id) {
    if (!(s = q(x, QF_DONOR_SAME))) return intake__db_fail(x, err);
    db_bind_text(s, 2, kind); /* NULL binds NULL */
    db_bind_text(s, 3, name);
    db_bind_text(s, 4, address);
    db_bind_text(s, 5, phone);
    db_bind_int64(s, 6, code != NULL);
    db_bind_text(s, 7, intake__fold_key(x, name));
    if (db_step(s) == DB_ROW) {
      id = db_col_int64(s, 0);
      old_code = *db_col_text(s, 1) ? col_text(x, s, 1) : NULL;
      old_kind = col_text(x, s, 2), old_name = name;
      old_addr = col_text(x, s, 3), old_phone = col_text(x, s, 4);
    }
  }
  /* absent columns keep what is stored */
  const char *new_kind = kind ? kind : id ? old_kind : "person";
  const char *new_addr = address ? address : old_addr, *new_phone = phone ? phone : old_phone;
  const char *new_code = code ? code : old_code;
  int same = id && !strcmp(old_kind, new_kind) && !strcmp(old_name, name) &&
             !strcmp(old_addr, new_addr) && !strcmp(old_phone, new_phone) &&
             !strcmp(old_code ? old_code : "", new_code ? new_code : "");
  if (id && !same) {
    /* donors are the province's; one who gave to a fund outside the
     * caller's area is changed only by someone whose area holds it */
    const char *unit = donor_outside(x, id);
    if (unit) {
      const char *who = code ? code : name;
      intake__prob(x, code ? c_code : c_name,
                   F(x,
                     "donor %s gave to a fund of unit %s, outside your area; a donor is changed "
                     "only by an officer of every fund it gave to",
                     who, unit),
                   F(x,
                     "Nhà hảo tâm %s đã ủng hộ quỹ của đơn vị %s, ngoài địa bàn của bạn; chỉ cán "
                     "bộ phụ trách mọi quỹ mà nhà hảo tâm đã ủng hộ mới được sửa thông tin",
                     who, unit));
      return HT_OK;
    }
  }
  if (intake__failing(x)) return HT_OK;
  if (same) {
    intake__count(x, REC_UNCHANGED);
    return HT_OK;
  }
  if (!id) {
    if (!(s = q(x, QF_DONOR_INSERT))) return intake__db_fail(x, err);
    db_bind_int64(s, 2, db_new_id(x->d));
    if (new_code)
      db_bind_text(s, 3, new_code);
    else
      db_bind_null(s, 3);
    db_bind_text(s, 4, new_kind);
    db_bind_text(s, 5, name);
    db_bind_text(s, 6, intake__fold_key(x, name));
    db_bind_text(s, 7, new_addr);
    db_bind_text(s, 8, new_phone);
    db_bind_int64(s, 9, rec_now_ms());
  } else {
    if (!(s = q(x, QF_DONOR_UPDATE))) return intake__db_fail(x, err);
    db_bind_int64(s, 2, id);
    if (new_code)
      db_bind_text(s, 3, new_code);
    else
      db_bind_null(s, 3);
    db_bind_text(s, 4, new_kind);
    db_bind_text(s, 5, name);
    db_bind_text(s, 6, intake__fold_key(x, name));
    db_bind_text(s, 7, new_addr);
    db_bind_text(s, 8, new_phone);
  }
  if (step_done(s)) return intake__db_fail(x, err);
  intake__count(x, id ? REC_CHANGED : REC_ADDED);
  return HT_OK;
}

/* ------------------------------------------------------------ donations */

/* The fund of a code (cached); NULL when there is none. */
static fund_info *fund_of(ix *x, const char *code) {
  struct intake_fund *f = state(x);
  int64_t v;
  if (strmap_get(&f->funds, code, &v)) return v ? &f->fundv[v - 1] : NULL;
  fund_info fi = {0};
  db_stmt *s = q(x, QF_FUND);
  if (s) {
    db_bind_text(s, 2, code);
    if (db_step(s) == DB_ROW) {
      fi.id = db_col_int64(s, 0);
      fi.code = arena_strdup(x->a, code);
      fi.unit = arena_strdup(x->a, db_col_text(s, 1));
      fi.closed_through = arena_strdup(x->a, db_col_text(s, 2));
    }
  }
  if (!fi.id) {
    strmap_put(&f->funds, arena_strdup(x->a, code), 0);
    return NULL;
  }
  f->fundv = arena_grow(x->a, f->fundv, f->nfund, &f->fund_cap, sizeof *f->fundv);
  f->fundv[f->nfund++] = fi;
  strmap_put(&f->funds, fi.code, (int64_t)f->nfund);
  return &f->fundv[f->nfund - 1];
}

/* "15/09/2025" for messages. */
static const char *dmy(ix *x, const char *iso) {
  int y, m, d;
  if (sscanf(iso, "%d-%d-%d", &y, &m, &d) != 3) return iso;
  return F(x, "%02d/%02d/%04d", d % 100, m % 100, y % 10000);
}

static const char *vnd(ix *x, int64_t v) {
  char buf[32];
  return F(x, "%s", fund_format_amount(v, buf));
}

/* The stored receipt a donations row names by its number. */
typedef struct receipt_row {
  int64_t id, amount, donor_id, reversed_by;
  const char *kind, *date, *method, *campaign, *purpose, *donor_key, *donor_kind;
} receipt_row;

/* Maps the ledger's problems with a posting to the row's columns. */
static void posting_problems(ix *x, const issues *p) {
  static const struct {
    const char *field, *column;
  } map[] = {{"fund", "fund_code"}, {"date", "date"},        {"amount", "amount"},
             {"method", "method"},  {"donor", "donor_code"}, {"number", "receipt_number"},
             {NULL, NULL}};
  for (long i = 0; i < p->count && i < p->kept; i++) {
    const issue *is = &p->items[i];
    int c = -1;
    for (int k = 0; map[k].field && c < 0; k++)
      if (is->field && !strcmp(is->field, map[k].field)) c = COL(map[k].column);
    intake__prob(
        x, c, F(x, "%s", is->msg),
        is->msg_vi ? F(x, "%s", is->msg_vi) : F(x, "Không ghi được khoản thu: %s", is->msg));
  }
}

int intake__row_donation(ix *x, ht_err *err) {
  int c_fund = COL("fund_code"), c_date = COL("date"), c_amount = COL("amount"),
      c_number = COL("receipt_number"), c_dcode = COL("donor_code"), c_dname = COL("donor_name"),
      c_campaign = COL("campaign"), c_purpose = COL("purpose"), c_method = COL("method");
  int bad = 0;
  /* the fund: known, in the caller's area */
  const char *fund_code = intake__code_cell(x, c_fund);
  fund_info *fi = NULL;
  if (fund_code && !(fi = fund_of(x, fund_code)))
    intake__prob(x, c_fund,
                 F(x, "no fund has code %s; `hoctap fund list` lists the funds", fund_code),
                 F(x, "Không có quỹ mã %s; xem mã quỹ trong danh sách quỹ", fund_code));
  else if (fi && !intake__in_scope(x, fi->unit)) {
    intake__prob(x, c_fund,
                 F(x, "fund %s belongs to unit %s, outside your area; %s", fund_code, fi->unit,
                   intake__only_yours_en(x)),
                 F(x,
                   "Quỹ %s thuộc đơn vị %s, nằm ngoài địa bàn của bạn; chỉ được nhập dữ liệu "
                   "thuộc đơn vị mình",
                   fund_code, fi->unit));
    fi = NULL;
  }
  if (!fi) bad = 1;
  /* the day: a date, not in the future, not in a closed period */
  char date[11] = "";
  const char *date_text = intake__cell(x, c_date);
  if (!*date_text) {
    intake__empty_required(x, c_date);
  } else if (intake_parse_date(date_text, date) != HT_OK) {
    intake__prob(x, c_date,
                 F(x, "'%s' is not a date; write it as DD/MM/YYYY (e.g. 15/09/2025)", date_text),
                 F(x, "'%s' không phải ngày; ghi ngày/tháng/năm (ví dụ 15/09/2025)", date_text));
    date[0] = '\0';
  } else {
    int32_t day;
    if (date_parse(date, &day) != HT_OK || day > date_today()) {
      intake__prob(
          x, c_date,
          F(x, "%s is in the future; a donation is entered once it is received", dmy(x, date)),
          F(x, "Ngày %s chưa đến; chỉ ghi khoản thu đã nhận", dmy(x, date)));
      date[0] = '\0';
    } else if (fi && *fi->closed_through && strcmp(date, fi->closed_through) <= 0) {
      intake__prob(
          x, c_date,
          F(x,
            "the books of %s are closed through %s; a donation of %s cannot be entered "
            "(date it after %s, or ask for the period to stay open)",
            fi->code, dmy(x, fi->closed_through), dmy(x, date), dmy(x, fi->closed_through)),
          F(x, "Sổ quỹ %s đã khóa đến ngày %s; không ghi được khoản thu ngày %s", fi->code,
            dmy(x, fi->closed_through), dmy(x, date)));
      date[0] = '\0';
    }
  }
  if (!date[0]) bad = 1;
  /* the amount: whole đồng */
  int64_t amount = 0;
  const char *amount_text = intake__cell(x, c_amount);
  if (!*amount_text) {
    intake__empty_required(x, c_amount);
    bad = 1;
  } else {
    switch (intake_parse_amount(amount_text, &amount)) {
      case INTAKE_AMOUNT_OK: break;
      case INTAKE_AMOUNT_FRACTION:
        intake__prob(x, c_amount,
                     F(x,
                       "'%s' has a fraction of a đồng; amounts are whole đồng (1.500.000 is one "
                       "and a half million)",
                       amount_text),
                     F(x,
                       "'%s' có phần lẻ; số tiền là số đồng nguyên (1.500.000 là một triệu năm "
                       "trăm nghìn)",
                       amount_text));
        bad = 1;
        break;
      case INTAKE_AMOUNT_NOT_POSITIVE:
        intake__prob(x, c_amount, F(x, "'%s': a donation is more than 0 đồng", amount_text),
                     F(x, "'%s': số tiền phải lớn hơn 0 đồng", amount_text));
        bad = 1;
        break;
      case INTAKE_AMOUNT_TOO_LARGE:
        intake__prob(
            x, c_amount,
            F(x, "'%s' is more than %s đ; check the amount", amount_text, vnd(x, FUND_MAX_AMOUNT)),
            F(x, "'%s' lớn hơn %s đ; hãy kiểm tra lại số tiền", amount_text,
              vnd(x, FUND_MAX_AMOUNT)));
        bad = 1;
        break;
      default:
        intake__prob(x, c_amount,
                     F(x,
                       "'%s' is not an amount; write whole đồng, e.g. 1500000, 1.500.000 or "
                       "1.500.000 đ",
                       amount_text),
                     F(x,
                       "'%s' không phải số tiền; ghi số đồng nguyên, ví dụ 1500000, 1.500.000 "
                       "hoặc 1.500.000 đ",
                       amount_text));
        bad = 1;
    }
  }
  const char *number = intake__name_cell(x, c_number, RECEIPT_NUMBER_MAX);
  if (!number) bad = 1;
  /* the donor: a stored donor's code, a name, or nobody */
  int64_t donor_id = 0;
  const char *donor_code = intake__present(x, c_dcode) ? intake__code_cell(x, c_dcode) : NULL,
             *donor_name = NULL;
  if (!donor_code && *intake__cell(x, c_dcode)) bad = 1;
  const char *dname_text = intake__cell(x, c_dname);
  if (*dname_text && !intake_is_anonymous_name(dname_text)) {
    donor_name = intake__name_cell(x, c_dname, INTAKE__NAME_MAX);
    if (!donor_name) bad = 1;
  }
  const char *donor_key = donor_name ? intake__fold_key(x, donor_name) : "";
  if (donor_code) {
    db_stmt *s = q(x, QF_DONOR_BY_CODE);
    if (!s) return intake__db_fail(x, err);
    db_bind_text(s, 2, donor_code);
    if (db_step(s) == DB_ROW) {
      donor_id = db_col_int64(s, 0);
      const char *stored = col_text(x, s, 2), *stored_key = col_text(x, s, 3);
      if (donor_name && strcmp(stored_key, donor_key)) {
        intake__prob(x, c_dname,
                     F(x, "donor %s is %s, not %s; check the code and the name", donor_code,
                       *stored ? stored : "anonymous", donor_name),
                     F(x, "Nhà hảo tâm mã %s là %s, không phải %s; hãy kiểm tra mã và tên",
                       donor_code, *stored ? stored : "ẩn danh", donor_name));
        bad = 1;
      }
      donor_key = stored_key;
    } else {
      intake__prob(
          x, c_dcode,
          F(x, "no donor has code %s; import the donors first (hoctap import donors)", donor_code),
          F(x, "Không có nhà hảo tâm mã %s; hãy nhập danh sách nhà hảo tâm trước", donor_code));
      bad = 1;
    }
  }
  /* a name without a code: the one donor of that name, or a new one (told
   * apart only when the row is to be posted: a receipt in the books already
   * is compared by the name) */
  int named = 0;
  const char *named_codes = "";
  if (!donor_code && donor_name) {
    db_stmt *s = q(x, QF_DONORS_NAMED);
    if (!s) return intake__db_fail(x, err);
    db_bind_text(s, 2, donor_key);
    while (db_step(s) == DB_ROW) {
      if (!named++) donor_id = db_col_int64(s, 0);
      const char *c = db_col_text(s, 1);
      named_codes =
          arena_sprintf(&x->row, "%s%s%s", named_codes, *named_codes ? ", " : "", *c ? c : "-");
    }
  }
  const char *method = "cash", *method_text = intake__cell(x, c_method);
  if (*method_text && intake_parse_method(method_text, &method) != HT_OK) {
    intake__prob(
        x, c_method,
        F(x, "'%s' is not a method; write tiền mặt (cash) or chuyển khoản (bank)", method_text),
        F(x, "'%s' không phải hình thức thu; ghi tiền mặt hoặc chuyển khoản", method_text));
    bad = 1;
  }
  const char *campaign = optional_text(x, c_campaign, INTAKE__TEXT_MAX, &bad);
  const char *purpose = optional_text(x, c_purpose, INTAKE__TEXT_MAX, &bad);

  /* one receipt number once per fund, in the file and in the books */
  if (fi && number) {
    long first = intake__seen_on(x, arena_sprintf(&x->row, "receipt:%s|%s", fi->code, number));
    if (first) {
      intake__duplicate(x, c_number, first, F(x, "receipt %s of fund %s", number, fi->code),
                        F(x, "Phiếu thu %s của quỹ %s", number, fi->code));
      bad = 1;
    }
  }
  receipt_row old = {0};
  if (fi && number) {
    db_stmt *s = q(x, QF_ENTRY_BY_NUMBER);
    if (!s) return intake__db_fail(x, err);
    db_bind_int64(s, 2, fi->id);
    db_bind_text(s, 3, number);
    if (db_step(s) == DB_ROW) {
      old.id = db_col_int64(s, 0);
      old.kind = col_text(x, s, 1);
      old.date = col_text(x, s, 2);
      old.amount = db_col_int64(s, 3);
      old.method = col_text(x, s, 4);
      old.donor_id = db_col_int64(s, 5);
      old.campaign = col_text(x, s, 6);
      old.purpose = col_text(x, s, 7);
      old.donor_key = col_text(x, s, 8);
      old.reversed_by = db_col_int64(s, 9);
      old.donor_kind = col_text(x, s, 10);
    }
  }
  if (old.id && !bad) {
    /* posted already: the same row is unchanged; anything else is refused,
     * since a posted receipt is never changed */
    /* no name: nobody, or a donor kept as anonymous */
    int same_donor = donor_code   ? old.donor_id == donor_id
                     : donor_name ? old.donor_id && !strcmp(old.donor_key, donor_key)
                                  : old.donor_id == 0 || !strcmp(old.donor_kind, "anonymous");
    int same = !strcmp(old.kind, "receipt") && !old.reversed_by && !strcmp(old.date, date) &&
               old.amount == amount && !strcmp(old.method, method) && same_donor &&
               (!campaign || !strcmp(old.campaign, campaign)) &&
               (!purpose || !strcmp(old.purpose, purpose));
    if (same) {
      if (!intake__failing(x)) intake__count(x, REC_UNCHANGED);
      return HT_OK;
    }
    if (strcmp(old.kind, "receipt"))
      intake__prob(x, c_number,
                   F(x,
                     "number %s is already used by a %s of fund %s on %s; give the receipt "
                     "its own number",
                     number, old.kind, fi->code, dmy(x, old.date)),
                   F(x,
                     "Số %s đã dùng cho một bút toán khác của quỹ %s (ngày %s); hãy ghi số "
                     "phiếu thu khác",
                     number, fi->code, dmy(x, old.date)));
    else if (old.reversed_by)
      intake__prob(
          x, c_number,
          F(x,
            "receipt %s of fund %s (%s, %s đ) was reversed (entry %lld); enter the "
            "corrected donation with a new receipt number",
            number, fi->code, dmy(x, old.date), vnd(x, old.amount), (long long)old.reversed_by),
          F(x,
            "Phiếu thu %s của quỹ %s (ngày %s, %s đ) đã bị đảo (bút toán %lld); hãy ghi "
            "khoản thu đúng với số phiếu mới",
            number, fi->code, dmy(x, old.date), vnd(x, old.amount), (long long)old.reversed_by));
    else
      intake__prob(x, c_number,
                   F(x,
                     "receipt %s of fund %s is in the books already (%s, %s đ, entry %lld) and "
                     "differs from this row; a posted receipt is never changed: reverse it "
                     "(hoctap fund reverse %lld) and enter the row with a new number",
                     number, fi->code, dmy(x, old.date), vnd(x, old.amount), (long long)old.id,
                     (long long)old.id),
                   F(x,
                     "Phiếu thu %s của quỹ %s đã ghi sổ (ngày %s, %s đ, bút toán %lld) và khác "
                     "dòng này; khoản thu đã ghi sổ không được sửa: hãy đảo bút toán đó rồi "
                     "ghi lại dòng này với số phiếu mới",
                     number, fi->code, dmy(x, old.date), vnd(x, old.amount), (long long)old.id));
    return HT_OK;
  }
  if (named > 1) {
    intake__prob(x, c_dname,
                 F(x,
                   "%d or more donors are named %s (codes: %s; - is none); write the donor's "
                   "code in donor_code, giving the donors codes first if need be (hoctap import "
                   "donors)",
                   named, donor_name, named_codes),
                 F(x,
                   "Có từ %d nhà hảo tâm trở lên tên %s (mã: %s; - là chưa có mã); hãy ghi mã "
                   "nhà hảo tâm, nếu cần thì cấp mã trước khi nhập danh sách nhà hảo tâm",
                   named, donor_name, named_codes));
    bad = 1;
  }
  if (bad || intake__failing(x)) return HT_OK;

  /* a new donor named by the row (rows after it find it by the name) */
  if (donor_name && !donor_code && !named) {
    db_stmt *s = q(x, QF_DONOR_INSERT);
    if (!s) return intake__db_fail(x, err);
    donor_id = db_new_id(x->d);
    db_bind_int64(s, 2, donor_id);
    db_bind_null(s, 3);
    db_bind_text(s, 4, "person");
    db_bind_text(s, 5, donor_name);
    db_bind_text(s, 6, donor_key);
    db_bind_text(s, 7, "");
    db_bind_text(s, 8, "");
    db_bind_int64(s, 9, rec_now_ms());
    if (step_done(s)) return intake__db_fail(x, err);
    x->rep->donors_added++;
  }
  fund_posting in = {.kind = FUND_RECEIPT,
                     .fund = fi->code,
                     .date = date,
                     .amount = amount,
                     .method = method,
                     .number = number,
                     .donor_id = donor_id,
                     .campaign = campaign ? campaign : "",
                     .purpose = purpose ? purpose : ""};
  issues problems;
  issues_init(&problems, &x->row);
  int64_t entry;
  int rc = fund_post_in_tx(x->d, x->who, &in, &problems, &entry, err);
  if (rc == HT_EINVAL && problems.count) {
    posting_problems(x, &problems);
    return HT_OK;
  }
  if (rc != HT_OK) return intake__db_fail(x, err);
  fi->receipts++;
  fi->amount += amount;
  intake__count(x, REC_ADDED);
  return HT_OK;
}

/* --------------------------------------------------------- beneficiaries */

/* A stored beneficiary as the row compares it. */
typedef struct ben_row {
  int64_t id;
  int birth_year;
  const char *name, *unit, *school, *grade, *circumstances, *achievements;
} ben_row;

static int read_ben(ix *x, db_stmt *s, ben_row *b) {
  if (db_step(s) != DB_ROW) return 0;
  b->id = db_col_int64(s, 0);
  b->name = col_text(x, s, 1);
  b->birth_year = (int)db_col_int64(s, 2);
  b->unit = col_text(x, s, 3);
  b->school = col_text(x, s, 4);
  b->grade = col_text(x, s, 5);
  b->circumstances = col_text(x, s, 6);
  b->achievements = col_text(x, s, 7);
  return 1;
}

/* The list in column c as keys ('|'); NULL when absent, "" when empty. */
static const char *tags_cell(ix *x, int c, int *bad) {
  if (!intake__present(x, c)) return NULL;
  intake_tags which = (intake_tags)x->cols[c].min;
  const char *text = intake__cell(x, c), *keys = "", *word = NULL;
  if (intake_parse_tags(which, text, &x->row, &keys, &word) != HT_OK) {
    intake__prob(x, c,
                 F(x,
                   "'%s' is not one of: %s (or their English keys); separate several with "
                   "commas",
                   word, intake_tags_words(which)),
                 F(x, "'%s' không hợp lệ; ghi một hoặc nhiều trong: %s, cách nhau bởi dấu phẩy",
                   word, intake_tags_words(which)));
    *bad = 1;
    return NULL;
  }
  return keys;
}

int intake__row_beneficiary(ix *x, ht_err *err) {
  int c_cid = COL("citizen_id"), c_hh = COL("household_code"), c_name = COL("full_name"),
      c_birth = COL("birth_year"), c_unit = COL("unit_code"), c_school = COL("school"),
      c_grade = COL("grade"), c_circ = COL("circumstances"), c_ach = COL("achievements");
  int bad = 0;
  const char *cid = intake__cid_cell(x, c_cid);
  if (!cid && *intake__cell(x, c_cid)) bad = 1;
  const char *hh_code = intake__present(x, c_hh) ? intake__code_cell(x, c_hh) : NULL;
  if (!hh_code && *intake__cell(x, c_hh)) bad = 1;
  const char *name = intake__name_cell(x, c_name, INTAKE__NAME_MAX);
  int birth = intake__year_cell(x, c_birth); /* 0: not known */
  if (!name || (!birth && *intake__cell(x, c_birth))) bad = 1;
  const char *unit = intake__present(x, c_unit) ? intake__code_cell(x, c_unit) : NULL;
  if (!unit && *intake__cell(x, c_unit)) bad = 1;
  const char *school = optional_text(x, c_school, INTAKE__NAME_MAX, &bad);
  const char *grade = optional_text(x, c_grade, GRADE_MAX, &bad);
  const char *circumstances = tags_cell(x, c_circ, &bad);
  const char *achievements = tags_cell(x, c_ach, &bad);
  const char *name_key = name ? intake__fold_key(x, name) : "";

  /* who: a person of the registry (citizen ID, or household, name and
   * birth year), else a student added by name, birth year and unit */
  person_row person = {0};
  int registry = *intake__cell(x, c_cid) || *intake__cell(x, c_hh), found = 0;
  if (cid) {
    found = intake__person_by_cid(x, cid, &person);
    if (!found)
      intake__prob(x, c_cid,
                   F(x,
                     "no person of the registry has citizen ID %s; for a student not in the "
                     "registry leave it empty and give the unit code",
                     cid),
                   F(x,
                     "Không có người nào trong sổ đăng ký có số CCCD %s; học sinh không có trong "
                     "sổ: để trống số CCCD và ghi mã đơn vị",
                     cid));
  } else if (hh_code) {
    hh_info *hh = intake__household(x, hh_code);
    if (!hh)
      intake__prob(x, c_hh, F(x, "no household has code %s", hh_code),
                   F(x, "Không có hộ mã %s", hh_code));
    else if (name && !birth && !*intake__cell(x, c_birth))
      intake__prob(x, c_birth,
                   F(x,
                     "birth_year is empty; a member of household %s is found by name and birth "
                     "year (or give the citizen ID)",
                     hh_code),
                   F(x,
                     "Chưa ghi năm sinh; người của hộ %s được tìm theo họ tên và năm sinh "
                     "(hoặc ghi số CCCD)",
                     hh_code));
    else if (name && birth) {
      found = intake__person_by_name(x, hh->id, name_key, birth, &person);
      if (!found)
        intake__prob(
            x, c_name,
            F(x, "household %s has no %s born in %d; check the name and birth year", hh_code, name,
              birth),
            F(x, "Hộ %s không có người tên %s sinh năm %d; hãy kiểm tra họ tên và năm sinh",
              hh_code, name, birth));
    }
  }
  if (registry && !found) bad = 1;
  if (found && cid && name &&
      (strcmp(intake__fold_key(x, person.full_name), name_key) ||
       (birth && person.birth_year != birth))) {
    intake__prob(x, c_name,
                 F(x, "citizen ID %s belongs to %s, born in %d, not to %s%s; check the row", cid,
                   person.full_name, person.birth_year, name, birth ? F(x, " (%d)", birth) : ""),
                 F(x, "Số CCCD %s là của %s, sinh năm %d, không phải %s%s; hãy kiểm tra lại", cid,
                   person.full_name, person.birth_year, name, birth ? F(x, " (%d)", birth) : ""));
    bad = 1;
  }
  if (found && cid && hh_code) {
    hh_info *hh = intake__household(x, hh_code);
    if (hh && hh->id != person.household_id) {
      intake__prob(x, c_hh,
                   F(x, "%s (citizen ID %s) is not a member of household %s", person.full_name, cid,
                     hh_code),
                   F(x, "%s (số CCCD %s) không thuộc hộ %s", person.full_name, cid, hh_code));
      bad = 1;
    }
  }
  /* where: the unit given, else the registry person's village */
  const char *village = NULL;
  if (found) {
    db_stmt *s = q(x, QF_HH_VILLAGE);
    if (!s) return intake__db_fail(x, err);
    db_bind_int64(s, 2, person.household_id);
    db_bind_int64(s, 3, x->year);
    if (db_step(s) == DB_ROW) village = col_text(x, s, 0);
    if (village && !intake__in_scope(x, village)) {
      intake__prob(x, cid ? c_cid : c_hh,
                   F(x, "%s lives in village %s, outside your area; %s", person.full_name, village,
                     intake__only_yours_en(x)),
                   F(x,
                     "%s sống ở thôn/tổ dân phố %s, nằm ngoài địa bàn của bạn; chỉ được nhập dữ "
                     "liệu thuộc đơn vị mình",
                     person.full_name, village));
      bad = 1;
    }
  }
  if (unit) {
    if (intake__unit_level(x, unit) == LV_NONE) {
      intake__prob(
          x, c_unit,
          F(x, "no unit has code %s in %d; check the code on the unit's page", unit, x->year),
          F(x, "Không có đơn vị mã %s trong năm %d; xem mã trên trang của đơn vị", unit, x->year));
      bad = 1;
    } else if (!intake__in_scope(x, unit)) {
      intake__prob(x, c_unit,
                   F(x, "unit %s is outside your area; %s", unit, intake__only_yours_en(x)),
                   F(x,
                     "Đơn vị %s nằm ngoài địa bàn của bạn; chỉ được nhập dữ liệu thuộc đơn vị "
                     "mình",
                     unit));
      bad = 1;
    }
  } else if (!registry && !*intake__cell(x, c_unit)) {
    intake__prob(x, c_unit,
                 F(x,
                   "the unit code is empty: a student not in the registry needs the code of "
                   "the village or commune (or give the citizen ID or household code of a "
                   "person of the registry)%s",
                   ""),
                 F(x,
                   "Chưa ghi mã đơn vị: học sinh không có trong sổ đăng ký cần mã thôn hoặc xã "
                   "(hoặc ghi số CCCD, mã hộ của người có trong sổ)%s",
                   ""));
    bad = 1;
  } else if (found && !village) {
    intake__prob(x, c_unit,
                 F(x, "%s's household has no village; give the unit code", person.full_name),
                 F(x, "Hộ của %s chưa có thôn/tổ dân phố; hãy ghi mã đơn vị", person.full_name));
    bad = 1;
  }
  const char *where = unit ? unit : village;
  /* the same beneficiary twice in the file */
  if (!bad) {
    const char *key = found ? arena_sprintf(&x->row, "person:%lld", (long long)person.id)
                            : arena_sprintf(&x->row, "ben:%s|%d|%s", name_key, birth, where);
    long first = intake__seen_on(x, key);
    if (first) {
      intake__duplicate(x, found && cid ? c_cid : c_name, first,
                        F(x, "%s", found ? person.full_name : name),
                        F(x, "%s", found ? person.full_name : name));
      bad = 1;
    }
  }
  if (bad) return HT_OK;

  /* the stored beneficiary */
  ben_row old = {0};
  db_stmt *s;
  if (found) {
    if (!(s = q(x, QF_BEN_BY_PERSON))) return intake__db_fail(x, err);
    db_bind_int64(s, 2, person.id);
  } else {
    if (!(s = q(x, QF_BEN_BY_KEY))) return intake__db_fail(x, err);
    db_bind_text(s, 2, name_key);
    db_bind_int64(s, 3, birth);
    db_bind_text(s, 4, where);
  }
  int stored = read_ben(x, s, &old);
  if (stored && !intake__in_scope(x, old.unit)) {
    intake__prob(x, found && cid ? c_cid : c_name,
                 F(x, "%s is recorded as a beneficiary of unit %s, outside your area; %s", old.name,
                   old.unit, intake__only_yours_en(x)),
                 F(x,
                   "%s đã có trong danh sách người nhận của đơn vị %s, ngoài địa bàn của bạn; chỉ "
                   "được nhập dữ liệu thuộc đơn vị mình",
                   old.name, old.unit));
    return HT_OK;
  }
  if (intake__failing(x)) return HT_OK;
  /* a registry person's name and birth year are the registry's */
  const char *new_name = found ? person.full_name : name;
  int new_birth = found ? person.birth_year : birth;
  const char *new_school = school ? school : stored ? old.school : "";
  const char *new_grade = grade ? grade : stored ? old.grade : "";
  const char *new_circ = circumstances ? circumstances : stored ? old.circumstances : "";
  const char *new_ach = achievements ? achievements : stored ? old.achievements : "";
  if (stored && !strcmp(old.name, new_name) && old.birth_year == new_birth &&
      !strcmp(old.unit, where) && !strcmp(old.school, new_school) &&
      !strcmp(old.grade, new_grade) && !strcmp(old.circumstances, new_circ) &&
      !strcmp(old.achievements, new_ach)) {
    intake__count(x, REC_UNCHANGED);
    return HT_OK;
  }
  if (!(s = q(x, stored ? QF_BEN_UPDATE : QF_BEN_INSERT))) return intake__db_fail(x, err);
  if (stored) {
    db_bind_int64(s, 2, old.id);
    db_bind_text(s, 3, new_name);
    db_bind_text(s, 4, intake__fold_key(x, new_name));
    if (new_birth)
      db_bind_int64(s, 5, new_birth);
    else
      db_bind_null(s, 5);
    db_bind_text(s, 6, where);
    db_bind_text(s, 7, new_school);
    db_bind_text(s, 8, new_grade);
    db_bind_text(s, 9, new_circ);
    db_bind_text(s, 10, new_ach);
  } else {
    db_bind_int64(s, 2, db_new_id(x->d));
    if (found)
      db_bind_int64(s, 3, person.id);
    else
      db_bind_null(s, 3);
    db_bind_text(s, 4, new_name);
    db_bind_text(s, 5, intake__fold_key(x, new_name));
    if (new_birth)
      db_bind_int64(s, 6, new_birth);
    else
      db_bind_null(s, 6);
    db_bind_text(s, 7, where);
    db_bind_text(s, 8, new_school);
    db_bind_text(s, 9, new_grade);
    db_bind_text(s, 10, new_circ);
    db_bind_text(s, 11, new_ach);
    db_bind_int64(s, 12, rec_now_ms());
  }
  if (step_done(s)) return intake__db_fail(x, err);
  intake__count(x, stored ? REC_CHANGED : REC_ADDED);
  return HT_OK;
}

/* ----------------------------------------------------------------- audit */

void intake__fund_audit(ix *x, json_t *after) {
  if (x->o->kind != INTAKE_DONATIONS || !x->fund) return;
  struct intake_fund *f = x->fund;
  json_t *funds = json_array();
  int64_t total = 0;
  for (size_t i = 0; i < f->nfund; i++) {
    if (!f->fundv[i].receipts) continue;
    json_array_append_new(funds, json_pack("{sssIsI}", "fund", f->fundv[i].code, "receipts",
                                           (json_int_t)f->fundv[i].receipts, "amount",
                                           (json_int_t)f->fundv[i].amount));
    total += f->fundv[i].amount;
  }
  json_object_set_new(after, "funds", funds);
  json_object_set_new(after, "amount", json_integer(total));
  json_object_set_new(after, "donors_added", json_integer(x->rep->donors_added));
}
