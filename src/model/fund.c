/* fund.c - study-promotion funds and their ledger (fund.h, docs/funds.md). */
#include "model/fund.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/vtext.h"
#include "model/records.h"

/* ------------------------------------------------------------ small helpers */

static const char *const kind_names[] = {"opening", "receipt", "disbursement", "transfer",
                                         "reversal"};
static const char *const kind_vi[] = {"số dư đầu kỳ", "thu", "chi", "chuyển quỹ", "bút toán đảo"};

const char *fund_kind_name(fund_entry_kind k) {
  return k >= FUND_OPENING && k <= FUND_REVERSAL ? kind_names[k] : "?";
}

const char *fund_kind_vi(fund_entry_kind k) {
  return k >= FUND_OPENING && k <= FUND_REVERSAL ? kind_vi[k] : "?";
}

static fund_entry_kind kind_of(const char *s) {
  for (int i = 0; i <= FUND_REVERSAL; i++)
    if (!strcmp(s, kind_names[i])) return (fund_entry_kind)i;
  return FUND_OPENING;
}

static const char *const categories[] = {"scholarship", "award", "support", "gift", NULL};
static const char *const donor_kinds[] = {"person",       "family",    "clan", "enterprise",
                                          "organisation", "anonymous", NULL};
static const char *const circumstance_keys[] = {
    "poor", "near-poor", "orphan", "disability", "ethnic-minority", "difficult", NULL};
static const char *const achievement_keys[] = {
    "excellent", "good", "provincial-prize", "national-prize", "international-prize", NULL};
const char *const *const fund_categories = categories;
const char *const *const fund_circumstances = circumstance_keys;
const char *const *const fund_achievements = achievement_keys;

static int one_of(const char *s, const char *const *list) {
  for (int i = 0; s && list[i]; i++)
    if (!strcmp(s, list[i])) return 1;
  return 0;
}

static const char *joined(arena *a, const char *const *list) {
  size_t n = 0;
  for (int i = 0; list[i]; i++) n += strlen(list[i]) + 2;
  char *out = arena_alloc(a, n + 1), *p = out;
  *p = 0;
  for (int i = 0; list[i]; i++) p += sprintf(p, "%s%s", i ? ", " : "", list[i]);
  return out;
}

/* Every key of a '|' list is in allowed; *bad gets the first that is not. */
static int list_ok(const char *s, const char *const *allowed, arena *a, const char **bad) {
  while (s && *s) {
    const char *bar = strchr(s, '|');
    size_t n = bar ? (size_t)(bar - s) : strlen(s);
    char *key = arena_strndup(a, s, n);
    if (*key && !one_of(key, allowed)) {
      *bad = key;
      return 0;
    }
    s = bar ? bar + 1 : s + n;
  }
  return 1;
}

/* The stored form of a name (NFC, spaces collapsed); NULL on invalid UTF-8. */
static const char *clean(arena *a, const char *s) {
  if (!s) return "";
  char *c;
  if (vt_clean(s, &c) != HT_OK) return NULL;
  const char *out = arena_strdup(a, c);
  free(c);
  return out;
}

static const char *search_key(arena *a, const char *s) {
  char *k;
  if (vt_search_key(s, &k) != HT_OK) return "";
  const char *out = arena_strdup(a, k);
  free(k);
  return out;
}

static int step_done(db_stmt *s) {
  int rc = db_step(s);
  db_finalize(s);
  return rc == DB_DONE ? HT_OK : rc < 0 ? rc : HT_EDB;
}

int fund_parse_amount(const char *s, int64_t *out) {
  int64_t v = 0;
  int digits = 0;
  while (*s == ' ') s++;
  for (; *s; s++) {
    if (isdigit((unsigned char)*s)) {
      if (v > (INT64_MAX - 9) / 10) return HT_EINVAL;
      v = v * 10 + (*s - '0');
      digits++;
    } else if ((*s == '.' || *s == ',' || *s == ' ') && digits && isdigit((unsigned char)s[1])) {
      continue; /* a thousands separator */
    } else {
      break;
    }
  }
  while (*s == ' ') s++;
  if (!strcmp(s, "đ") || !strcmp(s, "₫") || !strcmp(s, "VND") || !strcmp(s, "vnd") ||
      !strcmp(s, "đồng"))
    s += strlen(s);
  if (*s || !digits) return HT_EINVAL;
  *out = v;
  return HT_OK;
}

const char *fund_format_amount(int64_t v, char *buf) {
  char digits[24];
  int neg = v < 0;
  snprintf(digits, sizeof digits, "%llu",
           (unsigned long long)(neg ? -(uint64_t)v : (uint64_t)v)); /* INT64_MIN safe */
  size_t n = strlen(digits), o = 0;
  if (neg) buf[o++] = '-';
  for (size_t i = 0; i < n; i++) {
    if (i && (n - i) % 3 == 0) buf[o++] = '.';
    buf[o++] = digits[i];
  }
  buf[o] = 0;
  return buf;
}

static int audit_json(db *d, const audit_actor *who, const char *action, const char *kind,
                      const char *id, const char *unit, json_t *after, ht_err *err) {
  char *aj = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
  json_decref(after);
  audit_entry e = {action, kind, id, unit ? unit : "", NULL, aj};
  int rc = audit_append(d, who, &e, err);
  free(aj);
  return rc;
}

/* ------------------------------------------------------------ funds */

#define FUND_COLS                                                                            \
  "f.id, f.code, f.name, f.owner_kind, f.owner_code, f.unit_code, "                          \
  "COALESCE(f.closed_through, ''), f.public_minor_names, COALESCE((SELECT SUM(l.debit - "    \
  "l.credit) FROM fund_lines l WHERE l.prov = f.prov AND l.fund_id = f.id AND l.account IN " \
  "('cash', 'bank')), 0)"

static void fund_row(db_stmt *s, arena *a, fund *f) {
  f->id = db_col_int64(s, 0);
  f->code = arena_strdup(a, db_col_text(s, 1));
  f->name = arena_strdup(a, db_col_text(s, 2));
  f->owner_kind = arena_strdup(a, db_col_text(s, 3));
  f->owner_code = arena_strdup(a, db_col_text(s, 4));
  f->unit_code = arena_strdup(a, db_col_text(s, 5));
  f->closed_through = arena_strdup(a, db_col_text(s, 6));
  f->public_minor_names = (int)db_col_int64(s, 7);
  f->balance = db_col_int64(s, 8);
}

int fund_get(db *d, const char *code, arena *a, fund *out) {
  db_stmt *s;
  int rc = db_prepare(d, "SELECT " FUND_COLS " FROM funds f WHERE f.prov = $1 AND f.code = $2", &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_text(s, 2, code ? code : "");
  rc = db_step(s);
  if (rc == DB_ROW) fund_row(s, a, out);
  db_finalize(s);
  return rc == DB_ROW ? HT_OK : rc < 0 ? rc : HT_ENOTFOUND;
}

/* As fund_get without the balance (0), which sums every line of the fund:
 * a posting needs the fund, not its balance, and an import posts thousands. */
static int fund_get_unsummed(db *d, const char *code, arena *a, fund *out) {
  db_stmt *s;
  int rc = db_prepare(d,
                      "SELECT f.id, f.code, f.name, f.owner_kind, f.owner_code, f.unit_code, "
                      "COALESCE(f.closed_through, ''), f.public_minor_names, 0 FROM funds f "
                      "WHERE f.prov = $1 AND f.code = $2",
                      &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_text(s, 2, code ? code : "");
  rc = db_step(s);
  if (rc == DB_ROW) fund_row(s, a, out);
  db_finalize(s);
  return rc == DB_ROW ? HT_OK : rc < 0 ? rc : HT_ENOTFOUND;
}

static int fund_by_id(db *d, int64_t id, arena *a, fund *out) {
  db_stmt *s;
  int rc = db_prepare(d, "SELECT " FUND_COLS " FROM funds f WHERE f.prov = $1 AND f.id = $2", &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, id);
  rc = db_step(s);
  if (rc == DB_ROW) fund_row(s, a, out);
  db_finalize(s);
  return rc == DB_ROW ? HT_OK : rc < 0 ? rc : HT_ENOTFOUND;
}

int fund_list(db *d, const char *within, arena *a, fund **out, size_t *n) {
  (void)within; /* the caller filters by scope: units are a hierarchy, not a prefix */
  db_stmt *s;
  *out = NULL;
  *n = 0;
  int rc = db_prepare(d, "SELECT " FUND_COLS " FROM funds f WHERE f.prov = $1 ORDER BY f.code", &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  size_t cap = 0;
  while ((rc = db_step(s)) == DB_ROW) {
    *out = arena_grow(a, *out, *n, &cap, sizeof **out);
    fund_row(s, a, &(*out)[(*n)++]);
  }
  db_finalize(s);
  return rc < 0 ? rc : HT_OK;
}

const char *fund_owner_unit(db *d, arena *a, const char *kind, const char *code) {
  const char *sql = NULL;
  if (!strcmp(kind, "unit"))
    sql = "SELECT code FROM units WHERE prov = $1 AND code = $2 AND valid_to IS NULL";
  else if (!strcmp(kind, "clan"))
    sql = "SELECT village_code FROM clans WHERE prov = $1 AND code = $2";
  else if (!strcmp(kind, "organisation"))
    sql =
        "SELECT p.admin_code FROM organisations o JOIN organisation_places p ON p.prov = "
        "o.prov AND p.organisation_id = o.id WHERE o.prov = $1 AND o.code = $2 ORDER BY "
        "p.valid_from DESC LIMIT 1";
  else
    return NULL;
  db_stmt *s;
  if (db_prepare(d, sql, &s)) return NULL;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_text(s, 2, code);
  const char *unit = db_step(s) == DB_ROW ? arena_strdup(a, db_col_text(s, 0)) : NULL;
  db_finalize(s);
  return unit;
}

static int code_ok(const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (!n || n > 40) return 0;
  for (size_t i = 0; i < n; i++)
    if (!isalnum((unsigned char)s[i]) && !strchr("-_.", s[i])) return 0;
  return 1;
}

typedef struct create_ctx {
  const audit_actor *who;
  const fund_new *in;
  issues *out;
  int64_t id;
  ht_err *err;
} create_ctx;

static int create_tx(db *d, void *arg) {
  create_ctx *x = arg;
  const fund_new *in = x->in;
  arena *a = x->out->mem;
  if (!code_ok(in->code)) {
    issues_add(x->out, 0, "code", "the fund code must be 1-40 letters, digits, '-', '_' or '.'");
    issues_vi(x->out, "Mã quỹ gồm 1–40 chữ cái không dấu, chữ số, '-', '_' hoặc '.'.");
  } else {
    fund f;
    if (fund_get(d, in->code, a, &f) == HT_OK) {
      issues_add(x->out, 0, "code", "a fund with the code '%s' exists already", in->code);
      issues_vi(x->out, "Đã có quỹ mang mã '%s'.", in->code);
    }
  }
  const char *name = clean(a, in->name);
  if (!name || !*name) {
    issues_add(x->out, 0, "name", "the fund needs a name");
    issues_vi(x->out, "Hãy nhập tên quỹ.");
  }
  const char *unit = NULL;
  if (!in->owner_kind ||
      !one_of(in->owner_kind, (const char *const[]){"unit", "clan", "organisation", NULL})) {
    issues_add(x->out, 0, "owner_kind", "the owner is a unit, a clan or an organisation");
    issues_vi(x->out,
              "Chủ quỹ phải là đơn vị hành chính (unit), dòng họ (clan) hoặc tổ chức "
              "(organisation).");
  } else if (!(unit =
                   fund_owner_unit(d, a, in->owner_kind, in->owner_code ? in->owner_code : ""))) {
    issues_add(x->out, 0, "owner_code", "no %s with the code '%s'", in->owner_kind,
               in->owner_code ? in->owner_code : "");
    issues_vi(x->out, "Không có chủ quỹ mã '%s'.", in->owner_code ? in->owner_code : "");
  }
  if (x->out->count) return HT_EINVAL;
  x->id = db_new_id(d);
  db_stmt *s;
  int rc = db_prepare(d,
                      "INSERT INTO funds (prov, id, code, name, owner_kind, owner_code, unit_code, "
                      "public_minor_names, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                      &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, x->id);
  db_bind_text(s, 3, in->code);
  db_bind_text(s, 4, name);
  db_bind_text(s, 5, in->owner_kind);
  db_bind_text(s, 6, in->owner_code);
  db_bind_text(s, 7, unit);
  db_bind_int64(s, 8, in->public_minor_names != 0);
  db_bind_int64(s, 9, rec_now_ms());
  rc = step_done(s);
  if (rc) return rc;
  return audit_json(d, x->who, "fund.create", "fund", in->code, unit,
                    json_pack("{ssssssssss}", "code", in->code, "name", name, "owner_kind",
                              in->owner_kind, "owner_code", in->owner_code, "unit", unit),
                    x->err);
}

int fund_create(db *d, const audit_actor *who, const fund_new *in, issues *out, int64_t *id,
                ht_err *err) {
  create_ctx x = {who, in, out, 0, err};
  int rc = db_tx(d, create_tx, &x);
  if (rc == HT_OK && id) *id = x.id;
  if (rc == HT_EINVAL && out->count)
    ht_err_set(err, HT_EINVAL, "the fund was not created: %ld problem(s)", out->count);
  return rc;
}

typedef struct minor_ctx {
  const audit_actor *who;
  const char *code;
  int allow;
  ht_err *err;
} minor_ctx;

static int minor_tx(db *d, void *arg) {
  minor_ctx *x = arg;
  arena a;
  arena_init(&a, 1024);
  fund f;
  int rc = fund_get(d, x->code, &a, &f);
  db_stmt *s = NULL;
  if (rc == HT_OK)
    rc = db_prepare(d, "UPDATE funds SET public_minor_names = $3 WHERE prov = $1 AND id = $2", &s);
  if (rc == HT_OK) {
    db_bind_int64(s, 1, db_prov(d));
    db_bind_int64(s, 2, f.id);
    db_bind_int64(s, 3, x->allow != 0);
    rc = step_done(s);
  }
  if (rc == HT_OK)
    rc = audit_json(
        d, x->who, "fund.settings", "fund", f.code, f.unit_code,
        json_pack("{sbsb}", "public_minor_names", x->allow != 0, "before", f.public_minor_names),
        x->err);
  arena_free(&a);
  return rc;
}

int fund_set_public_minor_names(db *d, const audit_actor *who, const char *code, int allow,
                                ht_err *err) {
  minor_ctx x = {who, code, allow, err};
  int rc = db_tx(d, minor_tx, &x);
  if (rc == HT_ENOTFOUND) ht_err_set(err, rc, "no fund with the code '%s'", code);
  return rc;
}

typedef struct close_ctx {
  const audit_actor *who;
  const char *code, *date;
  issues *out;
  ht_err *err;
} close_ctx;

static int close_tx(db *d, void *arg) {
  close_ctx *x = arg;
  arena *a = x->out->mem;
  fund f;
  int32_t day;
  if (fund_get(d, x->code, a, &f) != HT_OK) {
    issues_add(x->out, 0, "fund", "no fund with the code '%s'", x->code);
    issues_vi(x->out, "Không có quỹ mã '%s'.", x->code);
    return HT_EINVAL;
  }
  if (!x->date || date_parse(x->date, &day) != HT_OK) {
    issues_add(x->out, 0, "date", "the date must be a date YYYY-MM-DD");
    issues_vi(x->out, "Ngày khóa sổ phải có dạng NNNN-TT-NN.");
  } else if (*f.closed_through && strcmp(x->date, f.closed_through) <= 0) {
    issues_add(x->out, 0, "date", "the books are closed through %s already; close a later date",
               f.closed_through);
    issues_vi(x->out, "Sổ đã khóa đến ngày %s; chỉ khóa được đến một ngày sau đó.",
              f.closed_through);
  } else if (day > date_today()) {
    issues_add(x->out, 0, "date", "a period can only be closed once it has ended");
    issues_vi(x->out, "Chỉ khóa sổ được kỳ đã kết thúc (không khóa ngày trong tương lai).");
  }
  if (x->out->count) return HT_EINVAL;
  db_stmt *s;
  int rc = db_prepare(d, "UPDATE funds SET closed_through = $3 WHERE prov = $1 AND id = $2", &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, f.id);
  db_bind_text(s, 3, x->date);
  rc = step_done(s);
  if (rc) return rc;
  return audit_json(d, x->who, "fund.close", "fund", f.code, f.unit_code,
                    json_pack("{ssss}", "closed_through", x->date, "before",
                              *f.closed_through ? f.closed_through : ""),
                    x->err);
}

int fund_close_through(db *d, const audit_actor *who, const char *code, const char *date,
                       issues *out, ht_err *err) {
  close_ctx x = {who, code, date, out, err};
  return db_tx(d, close_tx, &x);
}

/* ------------------------------------------------------------ donors, beneficiaries */

/* Does a donor have this code? */
static int exists_code(db *d, const char *code) {
  db_stmt *s;
  if (db_prepare(d, "SELECT 1 FROM fund_donors WHERE prov = $1 AND code = $2", &s)) return 0;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_text(s, 2, code);
  int found = db_step(s) == DB_ROW;
  db_finalize(s);
  return found;
}

typedef struct donor_ctx {
  const audit_actor *who;
  const fund_donor *in;
  issues *out;
  int64_t id;
  ht_err *err;
} donor_ctx;

static int donor_tx(db *d, void *arg) {
  donor_ctx *x = arg;
  arena *a = x->out->mem;
  const fund_donor *in = x->in;
  const char *kind = in->kind && *in->kind ? in->kind : "person";
  if (!one_of(kind, donor_kinds)) {
    issues_add(x->out, 0, "kind", "the donor kind must be one of %s", joined(a, donor_kinds));
    issues_vi(x->out, "Loại nhà hảo tâm phải là một trong: %s.", joined(a, donor_kinds));
  }
  const char *name = clean(a, in->name), *address = clean(a, in->address),
             *phone = clean(a, in->phone);
  if (!name || !address || !phone) {
    issues_add(x->out, 0, "name", "the text is not valid UTF-8");
    issues_vi(x->out, "Văn bản không hợp lệ (không phải UTF-8).");
  } else if (!*name && strcmp(kind, "anonymous")) {
    issues_add(x->out, 0, "name", "the donor needs a name (or the kind anonymous)");
    issues_vi(x->out, "Hãy nhập tên nhà hảo tâm (hoặc chọn loại ẩn danh).");
  }
  const char *code = in->code && *in->code ? in->code : NULL;
  if (code && !code_ok(code)) {
    issues_add(x->out, 0, "code", "the donor code must be 1-40 letters, digits, '-', '_' or '.'");
    issues_vi(x->out, "Mã nhà hảo tâm gồm 1–40 chữ cái không dấu, chữ số, '-', '_' hoặc '.'.");
  } else if (code && exists_code(d, code)) {
    issues_add(x->out, 0, "code", "another donor has the code '%s'", code);
    issues_vi(x->out, "Đã có nhà hảo tâm mang mã '%s'.", code);
  }
  if (x->out->count) return HT_EINVAL;
  if (!strcmp(kind, "anonymous")) name = "";
  x->id = db_new_id(d);
  db_stmt *s;
  int rc = db_prepare(d,
                      "INSERT INTO fund_donors (prov, id, kind, name, name_key, address, phone, "
                      "created_at, code) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                      &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, x->id);
  db_bind_text(s, 3, kind);
  db_bind_text(s, 4, name);
  db_bind_text(s, 5, search_key(a, name));
  db_bind_text(s, 6, address);
  db_bind_text(s, 7, phone);
  db_bind_int64(s, 8, rec_now_ms());
  db_bind_text(s, 9, code);
  rc = step_done(s);
  if (rc) return rc;
  char id[24];
  snprintf(id, sizeof id, "%lld", (long long)x->id);
  json_t *after = json_pack("{ssss}", "kind", kind, "name", name);
  if (code) json_object_set_new(after, "code", json_string(code));
  return audit_json(d, x->who, "fund.donor.add", "fund_donor", id, "", after, x->err);
}

int fund_donor_add(db *d, const audit_actor *who, const fund_donor *in, issues *out, int64_t *id,
                   ht_err *err) {
  donor_ctx x = {who, in, out, 0, err};
  int rc = db_tx(d, donor_tx, &x);
  if (rc == HT_OK && id) *id = x.id;
  return rc;
}

int fund_donor_get(db *d, int64_t id, arena *a, fund_donor *out) {
  db_stmt *s;
  int rc = db_prepare(d,
                      "SELECT id, kind, name, address, phone, COALESCE(code, '') FROM fund_donors "
                      "WHERE prov = $1 AND id = $2",
                      &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, id);
  rc = db_step(s);
  if (rc == DB_ROW) {
    out->id = db_col_int64(s, 0);
    out->kind = arena_strdup(a, db_col_text(s, 1));
    out->name = arena_strdup(a, db_col_text(s, 2));
    out->address = arena_strdup(a, db_col_text(s, 3));
    out->phone = arena_strdup(a, db_col_text(s, 4));
    out->code = arena_strdup(a, db_col_text(s, 5));
  }
  db_finalize(s);
  return rc == DB_ROW ? HT_OK : rc < 0 ? rc : HT_ENOTFOUND;
}

/* "%key%" for LIKE over name_key: the accent-free key with LIKE's wildcards escaped. */
static const char *like_key(arena *a, const char *q) {
  const char *k = search_key(a, q ? q : "");
  char *out = arena_alloc(a, 2 * strlen(k) + 3), *p = out;
  *p++ = '%';
  for (; *k; k++) {
    if (*k == '%' || *k == '_' || *k == '\\') *p++ = '\\';
    *p++ = *k;
  }
  *p++ = '%';
  *p = 0;
  return out;
}

int fund_donor_list(db *d, const char *q, int limit, arena *a, fund_donor **out, size_t *n) {
  db_stmt *s;
  *out = NULL;
  *n = 0;
  int rc = db_prepare(d,
                      "SELECT id, kind, name, address, phone, COALESCE(code, '') FROM fund_donors "
                      "WHERE prov = $1 AND (name_key LIKE $2 ESCAPE '\\' OR code = $4) ORDER BY "
                      "name_key, id LIMIT $3",
                      &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_text(s, 2, like_key(a, q));
  db_bind_int64(s, 3, limit);
  db_bind_text(s, 4, q ? q : "");
  size_t cap = 0;
  while ((rc = db_step(s)) == DB_ROW) {
    *out = arena_grow(a, *out, *n, &cap, sizeof **out);
    fund_donor *x = &(*out)[(*n)++];
    x->id = db_col_int64(s, 0);
    x->kind = arena_strdup(a, db_col_text(s, 1));
    x->name = arena_strdup(a, db_col_text(s, 2));
    x->address = arena_strdup(a, db_col_text(s, 3));
    x->phone = arena_strdup(a, db_col_text(s, 4));
    x->code = arena_strdup(a, db_col_text(s, 5));
  }
  db_finalize(s);
  return rc < 0 ? rc : HT_OK;
}

const char *fund_person_unit(db *d, arena *a, int64_t person_id) {
  db_stmt *s;
  if (db_prepare(d,
                 "SELECT hp.village_code FROM persons p JOIN household_places hp ON hp.prov = "
                 "p.prov AND hp.household_id = p.household_id WHERE p.prov = $1 AND p.id = $2 "
                 "ORDER BY hp.from_year DESC LIMIT 1",
                 &s))
    return NULL;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, person_id);
  const char *unit = db_step(s) == DB_ROW ? arena_strdup(a, db_col_text(s, 0)) : NULL;
  db_finalize(s);
  return unit;
}

typedef struct ben_ctx {
  const audit_actor *who;
  const fund_beneficiary *in;
  issues *out;
  int64_t id;
  ht_err *err;
} ben_ctx;

static int ben_tx(db *d, void *arg) {
  ben_ctx *x = arg;
  arena *a = x->out->mem;
  const fund_beneficiary *in = x->in;
  const char *name = clean(a, in->name), *unit = in->unit_code ? in->unit_code : "";
  int birth = in->birth_year;
  db_stmt *s;
  int rc;
  if (in->person_id) {
    rc = db_prepare(
        d, "SELECT b.id FROM fund_beneficiaries b WHERE b.prov = $1 AND b.person_id = $2", &s);
    if (rc) return rc;
    db_bind_int64(s, 1, db_prov(d));
    db_bind_int64(s, 2, in->person_id);
    if (db_step(s) == DB_ROW) x->id = db_col_int64(s, 0);
    db_finalize(s);
    if (x->id) return HT_OK; /* a person is a beneficiary once */
    rc = db_prepare(d,
                    "SELECT p.full_name, p.birth_year, COALESCE((SELECT hp.village_code FROM "
                    "household_places hp WHERE hp.prov = p.prov AND hp.household_id = "
                    "p.household_id ORDER BY hp.from_year DESC LIMIT 1), '') FROM persons p "
                    "WHERE p.prov = $1 AND p.id = $2",
                    &s);
    if (rc) return rc;
    db_bind_int64(s, 1, db_prov(d));
    db_bind_int64(s, 2, in->person_id);
    if (db_step(s) == DB_ROW) {
      if (!name || !*name) name = arena_strdup(a, db_col_text(s, 0));
      if (!birth) birth = (int)db_col_int64(s, 1);
      if (!*unit) unit = arena_strdup(a, db_col_text(s, 2));
    } else {
      issues_add(x->out, 0, "person_id", "no person with the id %lld in the registry",
                 (long long)in->person_id);
      issues_vi(x->out, "Không có người mang số %lld trong sổ đăng ký.", (long long)in->person_id);
    }
    db_finalize(s);
  }
  if (!name || !*name) {
    issues_add(x->out, 0, "name", "the beneficiary needs a name");
    issues_vi(x->out, "Hãy nhập họ tên người nhận.");
  }
  if (birth && (birth < 1900 || birth > date_year(date_today()))) {
    issues_add(x->out, 0, "birth_year", "the birth year %d is not plausible", birth);
    issues_vi(x->out, "Năm sinh %d không hợp lệ.", birth);
  }
  if (!*unit || !fund_owner_unit(d, a, "unit", unit)) {
    issues_add(x->out, 0, "unit", "the beneficiary's unit '%s' does not exist", unit);
    issues_vi(x->out, "Đơn vị hành chính '%s' của người nhận không tồn tại.", unit);
  }
  const char *bad = NULL;
  if (!list_ok(in->circumstances, circumstance_keys, a, &bad)) {
    issues_add(x->out, 0, "circumstances", "unknown circumstance '%s'; use %s", bad,
               joined(a, circumstance_keys));
    issues_vi(x->out, "Hoàn cảnh '%s' không hợp lệ; dùng: %s.", bad, joined(a, circumstance_keys));
  }
  if (!list_ok(in->achievements, achievement_keys, a, &bad)) {
    issues_add(x->out, 0, "achievements", "unknown achievement '%s'; use %s", bad,
               joined(a, achievement_keys));
    issues_vi(x->out, "Thành tích '%s' không hợp lệ; dùng: %s.", bad, joined(a, achievement_keys));
  }
  if (x->out->count) return HT_EINVAL;
  x->id = db_new_id(d);
  rc = db_prepare(d,
                  "INSERT INTO fund_beneficiaries (prov, id, person_id, name, name_key, "
                  "birth_year, unit_code, school, grade, circumstances, achievements, created_at) "
                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                  &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, x->id);
  if (in->person_id)
    db_bind_int64(s, 3, in->person_id);
  else
    db_bind_null(s, 3);
  db_bind_text(s, 4, name);
  db_bind_text(s, 5, search_key(a, name));
  if (birth)
    db_bind_int64(s, 6, birth);
  else
    db_bind_null(s, 6);
  db_bind_text(s, 7, unit);
  db_bind_text(s, 8, clean(a, in->school));
  db_bind_text(s, 9, clean(a, in->grade));
  db_bind_text(s, 10, in->circumstances ? in->circumstances : "");
  db_bind_text(s, 11, in->achievements ? in->achievements : "");
  db_bind_int64(s, 12, rec_now_ms());
  rc = step_done(s);
  if (rc) return rc;
  char id[24];
  snprintf(id, sizeof id, "%lld", (long long)x->id);
  return audit_json(
      d, x->who, "fund.beneficiary.add", "fund_beneficiary", id, unit,
      json_pack("{sssssI}", "name", name, "unit", unit, "person_id", (json_int_t)in->person_id),
      x->err);
}

int fund_beneficiary_add(db *d, const audit_actor *who, const fund_beneficiary *in, issues *out,
                         int64_t *id, ht_err *err) {
  ben_ctx x = {who, in, out, 0, err};
  int rc = db_tx(d, ben_tx, &x);
  if (rc == HT_OK && id) *id = x.id;
  return rc;
}

int fund_beneficiary_add_in_tx(db *d, const audit_actor *who, const fund_beneficiary *in,
                               issues *out, int64_t *id, ht_err *err) {
  ben_ctx x = {who, in, out, 0, err};
  int rc = ben_tx(d, &x);
  if (rc == HT_OK && id) *id = x.id;
  return rc;
}

#define BEN_COLS                                                                          \
  "id, COALESCE(person_id, 0), name, COALESCE(birth_year, 0), unit_code, school, grade, " \
  "circumstances, achievements FROM fund_beneficiaries "

static void ben_row(db_stmt *s, arena *a, fund_beneficiary *out) {
  out->id = db_col_int64(s, 0);
  out->person_id = db_col_int64(s, 1);
  out->name = arena_strdup(a, db_col_text(s, 2));
  out->birth_year = (int)db_col_int64(s, 3);
  out->unit_code = arena_strdup(a, db_col_text(s, 4));
  out->school = arena_strdup(a, db_col_text(s, 5));
  out->grade = arena_strdup(a, db_col_text(s, 6));
  out->circumstances = arena_strdup(a, db_col_text(s, 7));
  out->achievements = arena_strdup(a, db_col_text(s, 8));
}

int fund_beneficiary_get(db *d, int64_t id, arena *a, fund_beneficiary *out) {
  db_stmt *s;
  int rc = db_prepare(d, "SELECT " BEN_COLS "WHERE prov = $1 AND id = $2", &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, id);
  rc = db_step(s);
  if (rc == DB_ROW) ben_row(s, a, out);
  db_finalize(s);
  return rc == DB_ROW ? HT_OK : rc < 0 ? rc : HT_ENOTFOUND;
}

int fund_beneficiary_list(db *d, const char *q, int limit, arena *a, fund_beneficiary **out,
                          size_t *n) {
  db_stmt *s;
  *out = NULL;
  *n = 0;
  int rc = db_prepare(d,
                      "SELECT " BEN_COLS
                      "WHERE prov = $1 AND name_key LIKE $2 ESCAPE '\\' "
                      "ORDER BY name_key, id LIMIT $3",
                      &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_text(s, 2, like_key(a, q));
  db_bind_int64(s, 3, limit);
  size_t cap = 0;
  while ((rc = db_step(s)) == DB_ROW) {
    *out = arena_grow(a, *out, *n, &cap, sizeof **out);
    ben_row(s, a, &(*out)[(*n)++]);
  }
  db_finalize(s);
  return rc < 0 ? rc : HT_OK;
}

/* ------------------------------------------------------------ the ledger */

int fund_balance(db *d, int64_t fund_id, const char *account, const char *through, int64_t *out) {
  db_stmt *s;
  *out = 0;
  int rc = db_prepare(d,
                      "SELECT COALESCE(SUM(l.debit - l.credit), 0) FROM fund_lines l JOIN "
                      "fund_entries e ON e.prov = l.prov AND e.id = l.entry_id WHERE l.prov = $1 "
                      "AND l.fund_id = $2 AND (($3 = '' AND l.account IN ('cash', 'bank')) OR "
                      "l.account = $3) AND ($4 = '' OR e.entry_date <= $4)",
                      &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, fund_id);
  db_bind_text(s, 3, account ? account : "");
  db_bind_text(s, 4, through ? through : "");
  rc = db_step(s);
  if (rc == DB_ROW) *out = db_col_int64(s, 0);
  db_finalize(s);
  return rc == DB_ROW ? HT_OK : rc < 0 ? rc : HT_EDB;
}

/* The lowest balance the account reaches at the end of any day from date on
 * (the balance through date included), so taking amount out on date leaves
 * no later day below zero when amount <= it. */
static int min_balance_from(db *d, int64_t fund_id, const char *account, const char *date,
                            int64_t *out) {
  db_stmt *s;
  int rc = db_prepare(d,
                      "SELECT e.entry_date, SUM(l.debit - l.credit) FROM fund_lines l JOIN "
                      "fund_entries e ON e.prov = l.prov AND e.id = l.entry_id WHERE l.prov = $1 "
                      "AND l.fund_id = $2 AND l.account = $3 GROUP BY e.entry_date ORDER BY "
                      "e.entry_date",
                      &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, fund_id);
  db_bind_text(s, 3, account);
  int64_t running = 0, min = 0;
  int started = 0;
  while ((rc = db_step(s)) == DB_ROW) {
    const char *day = db_col_text(s, 0);
    if (!started && strcmp(day, date) > 0) { /* the balance through date */
      min = running;
      started = 1;
    }
    running += db_col_int64(s, 1);
    if (started && running < min) min = running;
  }
  db_finalize(s);
  if (!started) min = running;
  *out = min;
  return rc < 0 ? rc : HT_OK;
}

typedef struct line {
  int64_t fund_id;
  const char *account;
  int64_t debit, credit;
} line;

static int insert_lines(db *d, int64_t entry, const line *l, int n) {
  db_stmt *s;
  int rc = db_prepare(d,
                      "INSERT INTO fund_lines (prov, entry_id, line, fund_id, account, debit, "
                      "credit) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                      &s);
  if (rc) return rc;
  for (int i = 0; i < n && rc == HT_OK; i++) {
    db_reset(s);
    db_bind_int64(s, 1, db_prov(d));
    db_bind_int64(s, 2, entry);
    db_bind_int64(s, 3, i + 1);
    db_bind_int64(s, 4, l[i].fund_id);
    db_bind_text(s, 5, l[i].account);
    db_bind_int64(s, 6, l[i].debit);
    db_bind_int64(s, 7, l[i].credit);
    rc = db_step(s);
    rc = rc == DB_DONE ? HT_OK : rc < 0 ? rc : HT_EDB;
  }
  db_finalize(s);
  return rc;
}

static int exists(db *d, const char *sql, int64_t id) {
  db_stmt *s;
  if (db_prepare(d, sql, &s)) return 0;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, id);
  int found = db_step(s) == DB_ROW;
  db_finalize(s);
  return found;
}

static const char *vnd(arena *a, int64_t v) {
  char buf[32];
  return arena_strdup(a, fund_format_amount(v, buf));
}

/* Problems of taking amount out of account of f on date. */
static int check_funds_available(db *d, issues *out, const fund *f, const char *account,
                                 const char *date, int64_t amount) {
  int64_t min;
  int rc = min_balance_from(d, f->id, account, date, &min);
  if (rc) return rc;
  if (amount > min) {
    const char *acc_vi = !strcmp(account, "cash") ? "tiền mặt" : "tiền gửi ngân hàng";
    issues_add(out, 0, "amount",
               "the fund %s has %s đ in %s%s; %s đ cannot be paid out without taking it below "
               "zero",
               f->code, vnd(out->mem, min), account, min < 0 ? " (already below zero)" : "",
               vnd(out->mem, amount));
    issues_vi(out, "Quỹ %s chỉ còn %s đ %s; không thể chi %s đ (số dư sẽ âm).", f->code,
              vnd(out->mem, min), acc_vi, vnd(out->mem, amount));
  }
  return HT_OK;
}

static void check_open(issues *out, const fund *f, const char *date) {
  if (*f->closed_through && strcmp(date, f->closed_through) <= 0) {
    issues_add(out, 0, "date", "the books of %s are closed through %s: date the entry later",
               f->code, f->closed_through);
    issues_vi(out, "Sổ quỹ %s đã khóa đến ngày %s: hãy ghi bút toán vào ngày sau đó.", f->code,
              f->closed_through);
  }
}

/* The next voucher number of a kind in a fund's year when none is given:
 * PT (phiếu thu, receipts), PC (phiếu chi, payments), CQ (transfers), DK
 * (opening balances), DC (reversals), e.g. "PT-2025-0007". */
static const char *next_number(db *d, arena *a, int64_t fund_id, fund_entry_kind kind,
                               const char *date) {
  static const char *const prefix[] = {"DK", "PT", "PC", "CQ", "DC"};
  int64_t n = 0;
  db_stmt *s;
  if (db_prepare(d,
                 "SELECT COUNT(*) FROM fund_entries WHERE prov = $1 AND fund_id = $2 AND kind = "
                 "$3 AND substr(entry_date, 1, 4) = $4",
                 &s) == HT_OK) {
    db_bind_int64(s, 1, db_prov(d));
    db_bind_int64(s, 2, fund_id);
    db_bind_text(s, 3, fund_kind_name(kind));
    db_bind_text(s, 4, arena_strndup(a, date, 4));
    if (db_step(s) == DB_ROW) n = db_col_int64(s, 0);
    db_finalize(s);
  }
  return arena_sprintf(a, "%s-%.4s-%04lld", prefix[kind], date, (long long)n + 1);
}

typedef struct post_ctx {
  const audit_actor *who;
  const fund_posting *in;
  issues *out;
  int64_t id;
  int audit;
  ht_err *err;
} post_ctx;

static json_t *entry_json(const fund_posting *in, const char *fund_code, int64_t id) {
  json_t *o = json_pack("{sIsssssssIss}", "id", (json_int_t)id, "kind", fund_kind_name(in->kind),
                        "fund", fund_code, "date", in->date, "amount", (json_int_t)in->amount,
                        "method", in->method);
  if (in->number && *in->number) json_object_set_new(o, "number", json_string(in->number));
  if (in->memo && *in->memo) json_object_set_new(o, "memo", json_string(in->memo));
  if (in->donor_id) json_object_set_new(o, "donor", json_integer(in->donor_id));
  if (in->campaign && *in->campaign) json_object_set_new(o, "campaign", json_string(in->campaign));
  if (in->beneficiary_id) json_object_set_new(o, "beneficiary", json_integer(in->beneficiary_id));
  if (in->category && *in->category) json_object_set_new(o, "category", json_string(in->category));
  if (in->to_fund && *in->to_fund) json_object_set_new(o, "to_fund", json_string(in->to_fund));
  return o;
}

static int post_tx(db *d, void *arg) {
  post_ctx *x = arg;
  const fund_posting *in = x->in;
  issues *out = x->out;
  arena *a = out->mem;
  fund f = {0}, to = {0};
  int32_t day;
  int have_fund = fund_get_unsummed(d, in->fund, a, &f) == HT_OK;
  if (!have_fund) {
    issues_add(out, 0, "fund", "no fund with the code '%s'", in->fund ? in->fund : "");
    issues_vi(out, "Không có quỹ mã '%s'.", in->fund ? in->fund : "");
  }
  int date_ok = in->date && date_parse(in->date, &day) == HT_OK;
  if (!date_ok) {
    issues_add(out, 0, "date", "the date must be a date YYYY-MM-DD");
    issues_vi(out, "Ngày phải có dạng NNNN-TT-NN.");
  } else if (day > date_today()) {
    issues_add(out, 0, "date", "the date %s is in the future", in->date);
    issues_vi(out, "Ngày %s là ngày trong tương lai.", in->date);
    date_ok = 0;
  } else if (have_fund) {
    check_open(out, &f, in->date);
  }
  if (in->amount <= 0 || in->amount > FUND_MAX_AMOUNT) {
    issues_add(out, 0, "amount", "the amount must be a whole number of đồng from 1 to %s",
               vnd(a, FUND_MAX_AMOUNT));
    issues_vi(out, "Số tiền phải là số đồng nguyên từ 1 đến %s.", vnd(a, FUND_MAX_AMOUNT));
  }
  const char *method = in->method && *in->method ? in->method : "cash";
  if (strcmp(method, "cash") && strcmp(method, "bank")) {
    issues_add(out, 0, "method", "the method is cash or bank");
    issues_vi(out, "Hình thức phải là tiền mặt (cash) hoặc chuyển khoản (bank).");
  }
  const char *category = in->category ? in->category : "";
  switch (in->kind) {
    case FUND_OPENING: break;
    case FUND_RECEIPT:
      if (in->donor_id &&
          !exists(d, "SELECT 1 FROM fund_donors WHERE prov = $1 AND id = $2", in->donor_id)) {
        issues_add(out, 0, "donor", "no donor with the id %lld", (long long)in->donor_id);
        issues_vi(out, "Không có nhà hảo tâm số %lld.", (long long)in->donor_id);
      }
      break;
    case FUND_DISBURSEMENT:
      if (!in->beneficiary_id || !exists(d,
                                         "SELECT 1 FROM fund_beneficiaries WHERE prov = $1 AND "
                                         "id = $2",
                                         in->beneficiary_id)) {
        issues_add(out, 0, "beneficiary", "a disbursement needs a beneficiary that exists");
        issues_vi(out, "Khoản chi phải có người nhận có trong danh sách.");
      }
      if (!one_of(category, categories)) {
        issues_add(out, 0, "category", "the category must be one of %s", joined(a, categories));
        issues_vi(out, "Loại chi phải là một trong: %s.", joined(a, categories));
      }
      if (!in->memo || !*in->memo) {
        issues_add(out, 0, "memo", "say why it is paid (the reason)");
        issues_vi(out, "Hãy ghi lý do chi.");
      }
      break;
    case FUND_TRANSFER:
      if (fund_get_unsummed(d, in->to_fund, a, &to) != HT_OK) {
        issues_add(out, 0, "to_fund", "no fund with the code '%s'", in->to_fund ? in->to_fund : "");
        issues_vi(out, "Không có quỹ nhận mã '%s'.", in->to_fund ? in->to_fund : "");
      } else if (have_fund && to.id == f.id) {
        issues_add(out, 0, "to_fund", "a transfer goes to another fund");
        issues_vi(out, "Chỉ chuyển được sang một quỹ khác.");
      } else if (date_ok) {
        check_open(out, &to, in->date);
      }
      break;
    default:
      issues_add(out, 0, "kind", "reversals are made with fund_reverse");
      issues_vi(out, "Bút toán đảo được lập từ bút toán gốc.");
  }
  if (out->count) return HT_EINVAL;
  if (in->kind == FUND_DISBURSEMENT || in->kind == FUND_TRANSFER) {
    int rc = check_funds_available(d, out, &f, method, in->date, in->amount);
    if (rc) return rc;
    if (out->count) return HT_EINVAL;
  }
  line l[4];
  int n = 0;
  switch (in->kind) {
    case FUND_OPENING:
      l[n++] = (line){f.id, method, in->amount, 0};
      l[n++] = (line){f.id, "opening", 0, in->amount};
      break;
    case FUND_RECEIPT:
      l[n++] = (line){f.id, method, in->amount, 0};
      l[n++] = (line){f.id, "donation", 0, in->amount};
      break;
    case FUND_DISBURSEMENT:
      l[n++] = (line){f.id, category, in->amount, 0};
      l[n++] = (line){f.id, method, 0, in->amount};
      break;
    default: /* transfer */
      l[n++] = (line){f.id, "transfer", in->amount, 0};
      l[n++] = (line){f.id, method, 0, in->amount};
      l[n++] = (line){to.id, method, in->amount, 0};
      l[n++] = (line){to.id, "transfer", 0, in->amount};
  }
  const char *number = clean(a, in->number);
  if (!number || !*number) number = next_number(d, a, f.id, in->kind, in->date);
  x->id = db_new_id(d);
  db_stmt *s;
  int rc = db_prepare(
      d,
      "INSERT INTO fund_entries (prov, id, fund_id, kind, entry_date, amount, method, number, "
      "memo, donor_id, campaign, purpose, beneficiary_id, category, decision, to_fund_id, "
      "batch_id, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
      "$12, $13, $14, $15, $16, $17, $18, $19)",
      &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, x->id);
  db_bind_int64(s, 3, f.id);
  db_bind_text(s, 4, fund_kind_name(in->kind));
  db_bind_text(s, 5, in->date);
  db_bind_int64(s, 6, in->amount);
  db_bind_text(s, 7, method);
  db_bind_text(s, 8, number);
  db_bind_text(s, 9, clean(a, in->memo) ? clean(a, in->memo) : "");
  if (in->donor_id)
    db_bind_int64(s, 10, in->donor_id);
  else
    db_bind_null(s, 10);
  db_bind_text(s, 11, clean(a, in->campaign) ? clean(a, in->campaign) : "");
  db_bind_text(s, 12, clean(a, in->purpose) ? clean(a, in->purpose) : "");
  if (in->beneficiary_id)
    db_bind_int64(s, 13, in->beneficiary_id);
  else
    db_bind_null(s, 13);
  db_bind_text(s, 14, in->kind == FUND_DISBURSEMENT ? category : "");
  db_bind_text(s, 15, clean(a, in->decision) ? clean(a, in->decision) : "");
  if (in->kind == FUND_TRANSFER)
    db_bind_int64(s, 16, to.id);
  else
    db_bind_null(s, 16);
  if (in->batch_id)
    db_bind_int64(s, 17, in->batch_id);
  else
    db_bind_null(s, 17);
  db_bind_int64(s, 18, rec_now_ms());
  db_bind_text(s, 19, x->who && x->who->name ? x->who->name : "");
  rc = step_done(s);
  if (rc == HT_OK) rc = insert_lines(d, x->id, l, n);
  if (rc || !x->audit) return rc;
  char id[24];
  snprintf(id, sizeof id, "%lld", (long long)x->id);
  return audit_json(d, x->who, arena_sprintf(a, "fund.%s", fund_kind_name(in->kind)), "fund_entry",
                    id, f.unit_code, entry_json(in, f.code, x->id), x->err);
}

int fund_post(db *d, const audit_actor *who, const fund_posting *in, issues *out, int64_t *id,
              ht_err *err) {
  post_ctx x = {who, in, out, 0, 1, err};
  int rc = db_tx(d, post_tx, &x);
  if (rc == HT_OK && id) *id = x.id;
  if (rc == HT_EINVAL && out->count)
    ht_err_set(err, HT_EINVAL, "the entry was not posted: %ld problem(s)", out->count);
  return rc;
}

int fund_post_in_tx(db *d, const audit_actor *who, const fund_posting *in, issues *out, int64_t *id,
                    ht_err *err) {
  post_ctx x = {who, in, out, 0, 0, err};
  int rc = post_tx(d, &x);
  if (rc == HT_OK && id) *id = x.id;
  return rc;
}

/* ------------------------------------------------------------ reversals */

typedef struct rev_ctx {
  const audit_actor *who;
  int64_t entry;
  const char *date, *reason;
  issues *out;
  int64_t id;
  ht_err *err;
} rev_ctx;

static int rev_tx(db *d, void *arg) {
  rev_ctx *x = arg;
  issues *out = x->out;
  arena *a = out->mem;
  fund_entry e;
  if (fund_entry_get(d, x->entry, a, &e) != HT_OK) {
    issues_add(out, 0, "entry", "no entry number %lld", (long long)x->entry);
    issues_vi(out, "Không có bút toán số %lld.", (long long)x->entry);
    return HT_EINVAL;
  }
  if (e.kind == FUND_REVERSAL) {
    issues_add(out, 0, "entry", "entry %lld is itself a reversal; post the entry again instead",
               (long long)e.id);
    issues_vi(out, "Bút toán %lld là bút toán đảo; hãy ghi lại bút toán đúng thay vì đảo nó.",
              (long long)e.id);
  } else if (e.reversed_by) {
    issues_add(out, 0, "entry", "entry %lld was reversed already by entry %lld", (long long)e.id,
               (long long)e.reversed_by);
    issues_vi(out, "Bút toán %lld đã được đảo bởi bút toán %lld.", (long long)e.id,
              (long long)e.reversed_by);
  }
  const char *reason = clean(a, x->reason);
  if (!reason || !*reason) {
    issues_add(out, 0, "reason", "say why the entry is reversed");
    issues_vi(out, "Hãy ghi lý do đảo bút toán.");
  }
  int32_t day;
  if (!x->date || date_parse(x->date, &day) != HT_OK) {
    issues_add(out, 0, "date", "the date must be a date YYYY-MM-DD");
    issues_vi(out, "Ngày phải có dạng NNNN-TT-NN.");
    return HT_EINVAL;
  }
  if (day > date_today()) {
    issues_add(out, 0, "date", "the date %s is in the future", x->date);
    issues_vi(out, "Ngày %s là ngày trong tương lai.", x->date);
  }
  if (strcmp(x->date, e.date) < 0) {
    issues_add(out, 0, "date", "a reversal cannot be dated before its entry (%s)", e.date);
    issues_vi(out, "Bút toán đảo không thể ghi trước ngày của bút toán gốc (%s).", e.date);
  }
  /* the original's lines, mirrored */
  db_stmt *s;
  int rc = db_prepare(d,
                      "SELECT fund_id, account, debit, credit FROM fund_lines WHERE prov = $1 AND "
                      "entry_id = $2 ORDER BY line",
                      &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, e.id);
  line l[8];
  int n = 0;
  while (n < 8 && (rc = db_step(s)) == DB_ROW)
    l[n++] = (line){db_col_int64(s, 0), arena_strdup(a, db_col_text(s, 1)), db_col_int64(s, 3),
                    db_col_int64(s, 2)};
  db_finalize(s);
  if (rc < 0) return rc;
  for (int i = 0; i < n; i++) {
    fund f;
    if (fund_by_id(d, l[i].fund_id, a, &f) != HT_OK) return HT_EDB;
    int seen = 0;
    for (int k = 0; k < i; k++) seen |= l[k].fund_id == l[i].fund_id;
    if (!seen) check_open(out, &f, x->date);
    /* money leaving an asset account: it must be there */
    if (l[i].credit && (!strcmp(l[i].account, "cash") || !strcmp(l[i].account, "bank")) &&
        !out->count) {
      rc = check_funds_available(d, out, &f, l[i].account, x->date, l[i].credit);
      if (rc) return rc;
    }
  }
  if (out->count) return HT_EINVAL;
  x->id = db_new_id(d);
  const char *number = next_number(d, a, e.fund_id, FUND_REVERSAL, x->date);
  rc = db_prepare(d,
                  "INSERT INTO fund_entries (prov, id, fund_id, kind, entry_date, amount, method, "
                  "memo, to_fund_id, reverses, created_at, created_by, number) SELECT prov, $2, "
                  "fund_id, 'reversal', $3, amount, method, $4, to_fund_id, id, $5, $6, $8 FROM "
                  "fund_entries WHERE prov = $1 AND id = $7",
                  &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, x->id);
  db_bind_text(s, 3, x->date);
  db_bind_text(s, 4, reason);
  db_bind_int64(s, 5, rec_now_ms());
  db_bind_text(s, 6, x->who && x->who->name ? x->who->name : "");
  db_bind_int64(s, 7, e.id);
  db_bind_text(s, 8, number);
  rc = step_done(s);
  if (rc == HT_OK) rc = insert_lines(d, x->id, l, n);
  if (rc) return rc;
  fund f;
  if (fund_by_id(d, e.fund_id, a, &f) != HT_OK) return HT_EDB;
  char id[24];
  snprintf(id, sizeof id, "%lld", (long long)x->id);
  return audit_json(d, x->who, "fund.reversal", "fund_entry", id, f.unit_code,
                    json_pack("{sIsIsssssI}", "id", (json_int_t)x->id, "reverses", (json_int_t)e.id,
                              "date", x->date, "reason", reason, "amount", (json_int_t)e.amount),
                    x->err);
}

int fund_reverse(db *d, const audit_actor *who, int64_t entry, const char *date, const char *reason,
                 issues *out, int64_t *id, ht_err *err) {
  rev_ctx x = {who, entry, date, reason, out, 0, err};
  int rc = db_tx(d, rev_tx, &x);
  if (rc == HT_OK && id) *id = x.id;
  if (rc == HT_EINVAL && out->count)
    ht_err_set(err, HT_EINVAL, "the entry was not reversed: %ld problem(s)", out->count);
  return rc;
}

/* ------------------------------------------------------------ reading */

#define ENTRY_COLS                                                                              \
  "e.id, e.fund_id, f.code, e.kind, e.entry_date, e.number, e.memo, e.method, e.campaign, "     \
  "e.purpose, e.category, e.decision, e.amount, COALESCE(e.donor_id, 0), "                      \
  "COALESCE(e.beneficiary_id, 0), COALESCE(e.reverses, 0), COALESCE((SELECT r.id FROM "         \
  "fund_entries r WHERE r.prov = e.prov AND r.reverses = e.id), 0), COALESCE(e.batch_id, 0), "  \
  "COALESCE(dn.name, ''), COALESCE(b.name, ''), COALESCE(tf.code, ''), e.created_at, "          \
  "e.created_by FROM fund_entries e JOIN funds f ON f.prov = e.prov AND f.id = e.fund_id LEFT " \
  "JOIN fund_donors dn ON dn.prov = e.prov AND dn.id = e.donor_id LEFT JOIN "                   \
  "fund_beneficiaries b ON b.prov = e.prov AND b.id = e.beneficiary_id LEFT JOIN funds tf ON "  \
  "tf.prov = e.prov AND tf.id = e.to_fund_id "

static void entry_row(db_stmt *s, arena *a, fund_entry *e) {
  e->id = db_col_int64(s, 0);
  e->fund_id = db_col_int64(s, 1);
  e->fund_code = arena_strdup(a, db_col_text(s, 2));
  e->kind = kind_of(db_col_text(s, 3));
  e->date = arena_strdup(a, db_col_text(s, 4));
  e->number = arena_strdup(a, db_col_text(s, 5));
  e->memo = arena_strdup(a, db_col_text(s, 6));
  e->method = arena_strdup(a, db_col_text(s, 7));
  e->campaign = arena_strdup(a, db_col_text(s, 8));
  e->purpose = arena_strdup(a, db_col_text(s, 9));
  e->category = arena_strdup(a, db_col_text(s, 10));
  e->decision = arena_strdup(a, db_col_text(s, 11));
  e->amount = db_col_int64(s, 12);
  e->donor_id = db_col_int64(s, 13);
  e->beneficiary_id = db_col_int64(s, 14);
  e->reverses = db_col_int64(s, 15);
  e->reversed_by = db_col_int64(s, 16);
  e->batch_id = db_col_int64(s, 17);
  e->donor_name = arena_strdup(a, db_col_text(s, 18));
  e->beneficiary_name = arena_strdup(a, db_col_text(s, 19));
  e->to_fund = arena_strdup(a, db_col_text(s, 20));
  e->created_at = db_col_int64(s, 21);
  e->created_by = arena_strdup(a, db_col_text(s, 22));
}

static int entries_query(db *d, const char *where, int64_t id, const char *from, const char *to,
                         arena *a, fund_entry **out, size_t *n) {
  db_stmt *s;
  *out = NULL;
  *n = 0;
  const char *sql =
      arena_sprintf(a,
                    "SELECT " ENTRY_COLS
                    "WHERE e.prov = $1 AND %s AND ($3 = '' OR "
                    "e.entry_date >= $3) AND ($4 = '' OR e.entry_date <= $4) ORDER BY "
                    "e.entry_date, e.id",
                    where);
  int rc = db_prepare(d, sql, &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, id);
  db_bind_text(s, 3, from ? from : "");
  db_bind_text(s, 4, to ? to : "");
  size_t cap = 0;
  while ((rc = db_step(s)) == DB_ROW) {
    *out = arena_grow(a, *out, *n, &cap, sizeof **out);
    entry_row(s, a, &(*out)[(*n)++]);
  }
  db_finalize(s);
  return rc < 0 ? rc : HT_OK;
}

int fund_entries(db *d, int64_t fund_id, const char *from, const char *to, arena *a,
                 fund_entry **out, size_t *n) {
  return entries_query(d, "(e.fund_id = $2 OR e.to_fund_id = $2)", fund_id, from, to, a, out, n);
}

int fund_entry_get(db *d, int64_t id, arena *a, fund_entry *out) {
  fund_entry *list;
  size_t n;
  int rc = entries_query(d, "e.id = $2", id, NULL, NULL, a, &list, &n);
  if (rc) return rc;
  if (!n) return HT_ENOTFOUND;
  *out = list[0];
  return HT_OK;
}

int fund_beneficiary_history(db *d, int64_t beneficiary_id, arena *a, fund_entry **out, size_t *n) {
  return entries_query(d,
                       "(e.beneficiary_id = $2 OR e.reverses IN (SELECT o.id FROM fund_entries o "
                       "WHERE o.prov = e.prov AND o.beneficiary_id = $2))",
                       beneficiary_id, NULL, NULL, a, out, n);
}

/* ------------------------------------------------------------ invariants */

static int check_query(db *d, issues *out, const char *sql, const char *what, const char *vi) {
  db_stmt *s;
  int rc = db_prepare(d, sql, &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  while ((rc = db_step(s)) == DB_ROW) {
    issues_add(out, 0, "ledger", "%s: entry %lld (%s)", what, (long long)db_col_int64(s, 0),
               db_col_text(s, 1));
    issues_vi(out, "%s: bút toán %lld (%s)", vi, (long long)db_col_int64(s, 0), db_col_text(s, 1));
  }
  db_finalize(s);
  return rc < 0 ? rc : HT_OK;
}

int fund_check(db *d, issues *out, ht_err *err) {
  static const struct {
    const char *sql, *what, *vi;
  } checks[] = {
      {"SELECT entry_id, 'fund ' || fund_id FROM fund_lines WHERE prov = $1 GROUP BY entry_id, "
       "fund_id HAVING SUM(debit) <> SUM(credit)",
       "debits and credits differ", "nợ và có không cân"},
      {"SELECT e.id, e.kind FROM fund_entries e WHERE e.prov = $1 AND (SELECT COUNT(*) FROM "
       "fund_lines l WHERE l.prov = e.prov AND l.entry_id = e.id) < 2",
       "an entry without its lines", "bút toán thiếu dòng"},
      {"SELECT e.id, 'fund ' || l.fund_id FROM fund_entries e JOIN fund_lines l ON l.prov = "
       "e.prov AND l.entry_id = e.id WHERE e.prov = $1 GROUP BY e.id, l.fund_id, e.amount HAVING "
       "SUM(l.debit) <> e.amount",
       "the lines do not move the entry's amount", "các dòng không khớp số tiền"},
      {"SELECT r.id, l.account FROM fund_entries r JOIN fund_lines l ON l.prov = r.prov AND "
       "(l.entry_id = r.id OR l.entry_id = r.reverses) WHERE r.prov = $1 AND r.kind = "
       "'reversal' GROUP BY r.id, l.fund_id, l.account HAVING SUM(l.debit - l.credit) <> 0",
       "a reversal does not net its original to zero",
       "bút toán đảo không triệt tiêu bút toán "
       "gốc"},
      {"SELECT r.id, r.kind FROM fund_entries r WHERE r.prov = $1 AND ((r.kind = 'reversal') <> "
       "(r.reverses IS NOT NULL) OR r.reverses IN (SELECT o.id FROM fund_entries o WHERE o.prov = "
       "r.prov AND o.kind = 'reversal'))",
       "a reversal without its original, or of a reversal", "bút toán đảo sai"},
  };
  for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
    int rc = check_query(d, out, checks[i].sql, checks[i].what, checks[i].vi);
    if (rc) return ht_err_set(err, rc, "cannot check the ledger: %s", db_errmsg(d));
  }
  /* no asset account below zero at the end of any day */
  db_stmt *s;
  int rc = db_prepare(d,
                      "SELECT l.fund_id, l.account, e.entry_date, SUM(l.debit - l.credit) FROM "
                      "fund_lines l JOIN fund_entries e ON e.prov = l.prov AND e.id = l.entry_id "
                      "WHERE l.prov = $1 AND l.account IN ('cash', 'bank') GROUP BY l.fund_id, "
                      "l.account, e.entry_date ORDER BY l.fund_id, l.account, e.entry_date",
                      &s);
  if (rc) return ht_err_set(err, rc, "cannot check the ledger: %s", db_errmsg(d));
  db_bind_int64(s, 1, db_prov(d));
  int64_t fund_id = -1, running = 0;
  char account[16] = "";
  while ((rc = db_step(s)) == DB_ROW) {
    if (db_col_int64(s, 0) != fund_id || strcmp(account, db_col_text(s, 1))) {
      fund_id = db_col_int64(s, 0);
      snprintf(account, sizeof account, "%s", db_col_text(s, 1));
      running = 0;
    }
    running += db_col_int64(s, 3);
    if (running < 0) {
      issues_add(out, 0, "ledger", "fund %lld: %s below zero at the end of %s", (long long)fund_id,
                 account, db_col_text(s, 2));
      issues_vi(out, "Quỹ %lld: %s âm vào cuối ngày %s", (long long)fund_id, account,
                db_col_text(s, 2));
    }
  }
  db_finalize(s);
  if (rc < 0) return ht_err_set(err, rc, "cannot check the ledger: %s", db_errmsg(d));
  return out->count ? HT_EINVAL : HT_OK;
}
