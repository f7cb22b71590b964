/* fund_programme.c - award programmes and their batches (fund_programme.h,
 * docs/funds.md "Award programmes"). */
#include "model/fund_programme.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/strmap.h"
#include "base/vtext.h"
#include "model/acl.h"
#include "model/fund.h"
#include "model/fund_rules.h"
#include "model/records.h"

/* ------------------------------------------------------------ small helpers */

static const char *const state_names[] = {"proposed", "approved", "paid", "cancelled"};

const char *fund_batch_state_name(fund_batch_state s) {
  return (int)s >= 0 && (int)s <= FUND_BATCH_CANCELLED ? state_names[s] : "?";
}

static fund_batch_state state_of(const char *s) {
  for (int i = 0; i <= FUND_BATCH_CANCELLED; i++)
    if (!strcmp(s, state_names[i])) return (fund_batch_state)i;
  return FUND_BATCH_CANCELLED;
}

static int step_done(db_stmt *s) {
  int rc = db_step(s);
  db_finalize(s);
  return rc == DB_DONE ? HT_OK : rc < 0 ? rc : HT_EDB;
}

/* The stored form of a name (NFC, spaces collapsed) in a; NULL on invalid UTF-8. */
static const char *cleaned(arena *a, const char *s) {
  char *c;
  if (!s) return "";
  if (vt_clean(s, &c) != HT_OK) return NULL;
  const char *out = arena_strdup(a, c);
  free(c);
  return out;
}

static const char *vnd(arena *a, int64_t v) {
  char buf[32];
  return arena_strdup(a, fund_format_amount(v, buf));
}

static const char *id_text(arena *a, int64_t id) {
  return arena_sprintf(a, "%lld", (long long)id);
}

static int code_ok(const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (!n || n > 40) return 0;
  for (size_t i = 0; i < n; i++)
    if (!isalnum((unsigned char)s[i]) && !strchr("-_.", s[i])) return 0;
  return 1;
}

static int audit_json(db *d, const audit_actor *who, const char *action, const char *kind,
                      const char *id, const char *unit, json_t *before, json_t *after,
                      ht_err *err) {
  char *bj = before ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
  char *aj = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
  json_decref(before);
  json_decref(after);
  audit_entry e = {action, kind, id, unit ? unit : "", bj, aj};
  int rc = audit_append(d, who, &e, err);
  free(bj);
  free(aj);
  return rc;
}

static const char *who_name(const audit_actor *who) {
  return who && who->name ? who->name : "";
}

/* ------------------------------------------------------------ programmes */

#define PROGRAMME_COLS                                                            \
  "p.id, p.fund_id, f.code, f.unit_code, p.code, p.name, p.rules, p.created_at, " \
  "p.created_by FROM fund_programmes p JOIN funds f ON f.prov = p.prov AND f.id = p.fund_id "

static void programme_row(db_stmt *s, arena *a, fund_programme *p) {
  p->id = db_col_int64(s, 0);
  p->fund_id = db_col_int64(s, 1);
  p->fund_code = arena_strdup(a, db_col_text(s, 2));
  p->unit_code = arena_strdup(a, db_col_text(s, 3));
  p->code = arena_strdup(a, db_col_text(s, 4));
  p->name = arena_strdup(a, db_col_text(s, 5));
  p->rules = arena_strdup(a, db_col_text(s, 6));
  p->created_at = db_col_int64(s, 7);
  p->created_by = arena_strdup(a, db_col_text(s, 8));
}

static int programme_query(db *d, const char *where, int64_t id, const char *code, arena *a,
                           fund_programme **out, size_t *n) {
  db_stmt *s;
  *out = NULL;
  *n = 0;
  int rc = db_prepare(
      d,
      arena_sprintf(a, "SELECT " PROGRAMME_COLS "WHERE p.prov = $1 AND %s ORDER BY p.code", where),
      &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, id);
  db_bind_text(s, 3, code ? code : "");
  size_t cap = 0;
  while ((rc = db_step(s)) == DB_ROW) {
    *out = arena_grow(a, *out, *n, &cap, sizeof **out);
    programme_row(s, a, &(*out)[(*n)++]);
  }
  db_finalize(s);
  return rc < 0 ? rc : HT_OK;
}

int fund_programme_get(db *d, int64_t id, arena *a, fund_programme *out) {
  fund_programme *list;
  size_t n;
  int rc = programme_query(d, "p.id = $2 AND $3 = ''", id, NULL, a, &list, &n);
  if (rc) return rc;
  if (!n) return HT_ENOTFOUND;
  *out = list[0];
  return HT_OK;
}

int fund_programme_find(db *d, const char *code, arena *a, fund_programme *out) {
  fund_programme *list;
  size_t n;
  int rc = programme_query(d, "$2 = 0 AND p.code = $3", 0, code ? code : "", a, &list, &n);
  if (rc) return rc;
  if (!n) return HT_ENOTFOUND;
  *out = list[0];
  return HT_OK;
}

int fund_programme_list(db *d, int64_t fund_id, arena *a, fund_programme **out, size_t *n) {
  return programme_query(d, "($2 = 0 OR p.fund_id = $2) AND $3 = ''", fund_id, NULL, a, out, n);
}

typedef struct create_ctx {
  const audit_actor *who;
  const fund_programme_new *in;
  issues *out;
  int64_t id;
  ht_err *err;
} create_ctx;

static int create_tx(db *d, void *arg) {
  create_ctx *x = arg;
  const fund_programme_new *in = x->in;
  issues *out = x->out;
  arena *a = out->mem;
  fund f;
  if (fund_get(d, in->fund ? in->fund : "", a, &f) != HT_OK) {
    issues_add(out, 0, "fund", "no fund with the code '%s'", in->fund ? in->fund : "");
    issues_vi(out, "Không có quỹ mã '%s'.", in->fund ? in->fund : "");
  }
  if (!code_ok(in->code)) {
    issues_add(out, 0, "code",
               "the programme code must be 1-40 letters, digits, '-', '_' or '.' (e.g. HSG-2025)");
    issues_vi(out,
              "Mã chương trình gồm 1–40 chữ cái không dấu, chữ số, '-', '_' hoặc '.' (ví dụ "
              "HSG-2025).");
  } else {
    fund_programme o;
    if (fund_programme_find(d, in->code, a, &o) == HT_OK) {
      issues_add(out, 0, "code", "a programme with the code '%s' exists already (fund %s)",
                 in->code, o.fund_code);
      issues_vi(out, "Đã có chương trình mang mã '%s' (quỹ %s).", in->code, o.fund_code);
    }
  }
  const char *name = cleaned(a, in->name);
  if (!name || !*name) {
    issues_add(out, 0, "name", "the programme needs a name");
    issues_vi(out, "Hãy nhập tên chương trình.");
  }
  const char *rules = in->rules ? in->rules : "";
  char *nfc = NULL;
  if (vt_utf8_valid(rules, strlen(rules)) && vt_nfc(rules, &nfc) == HT_OK) {
    rules = arena_strdup(a, nfc);
    free(nfc);
  }
  fund_rules parsed;
  long before = out->kept;
  fund_rules_parse(rules, strlen(rules), a, &parsed, out);
  for (long i = before; i < out->kept; i++) out->items[i].field = "rules";
  if (out->count) return HT_EINVAL;
  x->id = db_new_id(d);
  db_stmt *s;
  int rc = db_prepare(d,
                      "INSERT INTO fund_programmes (prov, id, fund_id, code, name, rules, "
                      "created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                      &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, x->id);
  db_bind_int64(s, 3, f.id);
  db_bind_text(s, 4, in->code);
  db_bind_text(s, 5, name);
  db_bind_text(s, 6, rules);
  db_bind_int64(s, 7, rec_now_ms());
  db_bind_text(s, 8, who_name(x->who));
  rc = step_done(s);
  if (rc) return rc;
  return audit_json(
      d, x->who, "fund.programme.create", "fund_programme", in->code, f.unit_code, NULL,
      json_pack("{sIsssssssssI}", "id", (json_int_t)x->id, "fund", f.code, "code", in->code, "name",
                name, "rules", rules, "rule_count", (json_int_t)parsed.count),
      x->err);
}

int fund_programme_create(db *d, const audit_actor *who, const fund_programme_new *in, issues *out,
                          int64_t *id, ht_err *err) {
  create_ctx x = {who, in, out, 0, err};
  int rc = db_tx(d, create_tx, &x);
  if (rc == HT_OK && id) *id = x.id;
  if (rc == HT_EINVAL && out->count)
    ht_err_set(err, HT_EINVAL, "the programme was not created: %ld problem(s)", out->count);
  return rc;
}

/* ------------------------------------------------------------ batches: reading */

#define BATCH_COLS                                                                             \
  "b.id, b.programme_id, p.code, p.name, f.code, f.unit_code, b.year, b.state, "               \
  "b.decision_number, b.decision_date, b.decision_signer, b.approved_by, "                     \
  "COALESCE(b.approved_at, 0), b.paid_by, COALESCE(b.paid_at, 0), b.paid_on, b.method, "       \
  "b.cancelled_by, COALESCE(b.cancelled_at, 0), b.cancel_reason, b.created_at, b.created_by, " \
  "COALESCE((SELECT SUM(i.amount) FROM fund_batch_items i WHERE i.prov = b.prov AND "          \
  "i.batch_id = b.id AND i.dropped = 0), 0), (SELECT COUNT(*) FROM fund_batch_items i WHERE "  \
  "i.prov = b.prov AND i.batch_id = b.id AND i.dropped = 0) FROM fund_batches b JOIN "         \
  "fund_programmes p ON p.prov = b.prov AND p.id = b.programme_id JOIN funds f ON f.prov = "   \
  "p.prov AND f.id = p.fund_id "

static void batch_row(db_stmt *s, arena *a, fund_batch *b) {
  memset(b, 0, sizeof *b);
  b->id = db_col_int64(s, 0);
  b->programme_id = db_col_int64(s, 1);
  b->programme_code = arena_strdup(a, db_col_text(s, 2));
  b->programme_name = arena_strdup(a, db_col_text(s, 3));
  b->fund_code = arena_strdup(a, db_col_text(s, 4));
  b->unit_code = arena_strdup(a, db_col_text(s, 5));
  b->year = (int)db_col_int64(s, 6);
  b->state = state_of(db_col_text(s, 7));
  b->decision_number = arena_strdup(a, db_col_text(s, 8));
  b->decision_date = arena_strdup(a, db_col_text(s, 9));
  b->decision_signer = arena_strdup(a, db_col_text(s, 10));
  b->approved_by = arena_strdup(a, db_col_text(s, 11));
  b->approved_at = db_col_int64(s, 12);
  b->paid_by = arena_strdup(a, db_col_text(s, 13));
  b->paid_at = db_col_int64(s, 14);
  b->paid_on = arena_strdup(a, db_col_text(s, 15));
  b->method = arena_strdup(a, db_col_text(s, 16));
  b->cancelled_by = arena_strdup(a, db_col_text(s, 17));
  b->cancelled_at = db_col_int64(s, 18);
  b->cancel_reason = arena_strdup(a, db_col_text(s, 19));
  b->created_at = db_col_int64(s, 20);
  b->created_by = arena_strdup(a, db_col_text(s, 21));
  b->total = db_col_int64(s, 22);
  b->count = (size_t)db_col_int64(s, 23);
}

int fund_batch_list(db *d, int64_t programme_id, arena *a, fund_batch **out, size_t *n) {
  db_stmt *s;
  *out = NULL;
  *n = 0;
  int rc = db_prepare(d,
                      "SELECT " BATCH_COLS
                      "WHERE b.prov = $1 AND ($2 = 0 OR b.programme_id = $2) ORDER BY "
                      "b.created_at DESC, b.id DESC",
                      &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, programme_id);
  size_t cap = 0;
  while ((rc = db_step(s)) == DB_ROW) {
    *out = arena_grow(a, *out, *n, &cap, sizeof **out);
    batch_row(s, a, &(*out)[(*n)++]);
  }
  db_finalize(s);
  return rc < 0 ? rc : HT_OK;
}

int fund_batch_head(db *d, int64_t id, arena *a, fund_batch *out) {
  db_stmt *s;
  int rc = db_prepare(d, "SELECT " BATCH_COLS "WHERE b.prov = $1 AND b.id = $2", &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, id);
  rc = db_step(s);
  if (rc == DB_ROW) batch_row(s, a, out);
  db_finalize(s);
  return rc == DB_ROW ? HT_OK : rc < 0 ? rc : HT_ENOTFOUND;
}

int fund_batch_get(db *d, int64_t id, arena *a, fund_batch *out) {
  int rc = fund_batch_head(d, id, a, out);
  if (rc) return rc;
  db_stmt *s;
  rc = db_prepare(d,
                  "SELECT item, COALESCE(beneficiary_id, 0), COALESCE(person_id, 0), name, "
                  "unit_code, COALESCE(birth_year, 0), amount, rule, category, reason, dropped, "
                  "COALESCE(entry_id, 0) FROM fund_batch_items WHERE prov = $1 AND batch_id = $2 "
                  "ORDER BY item",
                  &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, id);
  size_t cap = 0;
  while ((rc = db_step(s)) == DB_ROW) {
    out->items = arena_grow(a, out->items, out->nitems, &cap, sizeof *out->items);
    fund_batch_item *it = &out->items[out->nitems++];
    it->item = (int)db_col_int64(s, 0);
    it->beneficiary_id = db_col_int64(s, 1);
    it->person_id = db_col_int64(s, 2);
    it->name = arena_strdup(a, db_col_text(s, 3));
    it->unit_code = arena_strdup(a, db_col_text(s, 4));
    it->birth_year = (int)db_col_int64(s, 5);
    it->amount = db_col_int64(s, 6);
    it->rule = arena_strdup(a, db_col_text(s, 7));
    it->category = arena_strdup(a, db_col_text(s, 8));
    it->reason = arena_strdup(a, db_col_text(s, 9));
    it->dropped = (int)db_col_int64(s, 10);
    it->entry_id = db_col_int64(s, 11);
  }
  db_finalize(s);
  return rc < 0 ? rc : HT_OK;
}

/* ------------------------------------------------------------ paid already */

typedef struct id_set {
  int64_t *ids; /* sorted */
  size_t n;
} id_set;

static int cmp_id(const void *x, const void *y) {
  int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
  return a < b ? -1 : a > b;
}

static int id_set_has(const id_set *s, int64_t id) {
  return s->n && bsearch(&id, s->ids, s->n, sizeof id, cmp_id) != NULL;
}

/* The beneficiaries this programme paid for year: items of its paid batches
 * whose entry has not been reversed (a reversed payment was not a payment). */
static int paid_already(db *d, int64_t programme_id, int year, arena *a, id_set *out) {
  db_stmt *s;
  out->ids = NULL;
  out->n = 0;
  int rc = db_prepare(d,
                      "SELECT DISTINCT i.beneficiary_id FROM fund_batch_items i JOIN fund_batches "
                      "t ON t.prov = i.prov AND t.id = i.batch_id WHERE i.prov = $1 AND "
                      "t.programme_id = $2 AND t.year = $3 AND t.state = 'paid' AND i.entry_id "
                      "IS NOT NULL AND i.beneficiary_id IS NOT NULL AND NOT EXISTS (SELECT 1 "
                      "FROM fund_entries r WHERE r.prov = i.prov AND r.reverses = i.entry_id)",
                      &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, programme_id);
  db_bind_int64(s, 3, year);
  size_t cap = 0;
  while ((rc = db_step(s)) == DB_ROW) {
    out->ids = arena_grow(a, out->ids, out->n, &cap, sizeof *out->ids);
    out->ids[out->n++] = db_col_int64(s, 0);
  }
  db_finalize(s);
  if (out->n) qsort(out->ids, out->n, sizeof *out->ids, cmp_id);
  return rc < 0 ? rc : HT_OK;
}

/* ------------------------------------------------------------ running a programme */

typedef struct cand {
  fund_batch_item it;
  int rule_index;
  const char *sort_key;
} cand;

typedef struct run_ctx {
  const audit_actor *who;
  const hier *h;
  int64_t programme_id;
  int year;
  issues *out;
  int64_t batch_id;
  ht_err *err;
  /* working state */
  arena *a;
  const char *fund_unit;
  int32_t day;
  strmap within; /* unit code -> 1 within the fund's unit, 0 not */
  fund_rules rules;
  cand *cands;
  size_t ncands, cap;
} run_ctx;

static int is_within(run_ctx *x, const char *unit) {
  int64_t v;
  if (strmap_get(&x->within, unit, &v)) return (int)v;
  int ok = acl_covers(x->h, x->fund_unit, unit, x->day);
  strmap_put(&x->within, arena_strdup(x->a, unit), ok);
  return ok;
}

static int rule_index(const fund_rules *r, const fund_rule *rule) {
  int i = 0;
  for (const fund_rule *o = r->first; o && o != rule; o = o->next) i++;
  return i;
}

static void add_cand(run_ctx *x, const fund_rule *rule, int64_t beneficiary, int64_t person,
                     const char *name, const char *unit, int birth_year) {
  x->ncands++;
  if (x->ncands > FUND_BATCH_MAX_ITEMS) return; /* counted, refused at the end */
  x->cands = arena_grow(x->a, x->cands, x->ncands - 1, &x->cap, sizeof *x->cands);
  cand *c = &x->cands[x->ncands - 1];
  memset(c, 0, sizeof *c);
  c->it.beneficiary_id = beneficiary;
  c->it.person_id = person;
  c->it.name = arena_strdup(x->a, name);
  c->it.unit_code = arena_strdup(x->a, unit);
  c->it.birth_year = birth_year;
  c->it.amount = rule->amount;
  c->it.rule = rule->key;
  c->it.category = rule->category;
  c->it.reason = rule->reason;
  c->rule_index = rule_index(&x->rules, rule);
  c->sort_key = vt_sort_key_in(x->a, name, VT_SORT_GIVEN_NAME_FIRST);
}

/* Every beneficiary within the fund's unit, not paid by the programme for
 * the year, who matches a rule. */
static int beneficiary_pass(db *d, run_ctx *x, const id_set *paid) {
  db_stmt *s;
  int rc = db_prepare(
      d,
      "SELECT b.id, COALESCE(b.person_id, 0), b.name, COALESCE(p.birth_year, b.birth_year, 0), "
      "b.unit_code, b.school, b.grade, b.circumstances, b.achievements, CASE WHEN py.person_id "
      "IS NULL THEN 0 ELSE 1 END, COALESCE(py.in_school, 0), COALESCE(py.school_result, '') "
      "FROM fund_beneficiaries b LEFT JOIN persons p ON p.prov = b.prov AND p.id = b.person_id "
      "LEFT JOIN person_years py ON py.prov = b.prov AND py.person_id = b.person_id AND py.year "
      "= $2 WHERE b.prov = $1 ORDER BY b.id",
      &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, x->year);
  while ((rc = db_step(s)) == DB_ROW) {
    int64_t id = db_col_int64(s, 0);
    if (id_set_has(paid, id)) continue;
    fund_candidate c = {.is_beneficiary = 1,
                        .achievements = db_col_text(s, 8),
                        .circumstances = db_col_text(s, 7),
                        .school = db_col_text(s, 5),
                        .grade = db_col_text(s, 6),
                        .birth_year = (int)db_col_int64(s, 3),
                        .has_year = (int)db_col_int64(s, 9),
                        .in_school = (int)db_col_int64(s, 10),
                        .result = db_col_text(s, 11)};
    const fund_rule *rule = fund_rules_match(&x->rules, &c, x->year);
    if (!rule || !is_within(x, db_col_text(s, 4))) continue;
    add_cand(x, rule, id, db_col_int64(s, 1), db_col_text(s, 2), db_col_text(s, 4), c.birth_year);
  }
  db_finalize(s);
  return rc < 0 ? rc : HT_OK;
}

/* The persons of the registry who are not beneficiaries, members of a
 * household within the fund's unit in the year (its village that year), who
 * match a `from registry` rule. */
static int registry_pass(db *d, run_ctx *x) {
  db_stmt *s;
  int rc = db_prepare(
      d,
      "SELECT p.id, p.full_name, p.birth_year, py.in_school, COALESCE(py.school_result, ''), "
      "COALESCE((SELECT hp.village_code FROM household_places hp WHERE hp.prov = p.prov AND "
      "hp.household_id = p.household_id AND hp.from_year <= $2 ORDER BY hp.from_year DESC LIMIT "
      "1), '') FROM person_years py JOIN persons p ON p.prov = py.prov AND p.id = py.person_id "
      "WHERE py.prov = $1 AND py.year = $2 AND NOT EXISTS (SELECT 1 FROM fund_beneficiaries b "
      "WHERE b.prov = p.prov AND b.person_id = p.id) ORDER BY p.id",
      &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, x->year);
  while ((rc = db_step(s)) == DB_ROW) {
    fund_candidate c = {.birth_year = (int)db_col_int64(s, 2),
                        .has_year = 1,
                        .in_school = (int)db_col_int64(s, 3),
                        .result = db_col_text(s, 4)};
    const fund_rule *rule = fund_rules_match(&x->rules, &c, x->year);
    const char *village = db_col_text(s, 5);
    if (!rule || !*village || !is_within(x, village)) continue;
    add_cand(x, rule, 0, db_col_int64(s, 0), db_col_text(s, 1), village, c.birth_year);
  }
  db_finalize(s);
  return rc < 0 ? rc : HT_OK;
}

static int cmp_cand(const void *pa, const void *pb) {
  const cand *a = pa, *b = pb;
  if (a->rule_index != b->rule_index) return a->rule_index - b->rule_index;
  int c = strcmp(a->it.unit_code, b->it.unit_code);
  if (c) return c;
  c = strcmp(a->sort_key, b->sort_key);
  if (c) return c;
  c = strcmp(a->it.name, b->it.name);
  if (c) return c;
  int64_t ka = a->it.beneficiary_id ? a->it.beneficiary_id : a->it.person_id;
  int64_t kb = b->it.beneficiary_id ? b->it.beneficiary_id : b->it.person_id;
  return ka < kb ? -1 : ka > kb;
}

static int insert_items(db *d, int64_t batch, cand *c, size_t n) {
  db_stmt *s;
  int rc = db_prepare(d,
                      "INSERT INTO fund_batch_items (prov, batch_id, item, beneficiary_id, "
                      "person_id, name, unit_code, birth_year, amount, rule, category, reason) "
                      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                      &s);
  if (rc) return rc;
  for (size_t i = 0; i < n && rc == HT_OK; i++) {
    const fund_batch_item *it = &c[i].it;
    db_reset(s);
    db_bind_int64(s, 1, db_prov(d));
    db_bind_int64(s, 2, batch);
    db_bind_int64(s, 3, (int64_t)i + 1);
    if (it->beneficiary_id)
      db_bind_int64(s, 4, it->beneficiary_id);
    else
      db_bind_null(s, 4);
    if (it->person_id)
      db_bind_int64(s, 5, it->person_id);
    else
      db_bind_null(s, 5);
    db_bind_text(s, 6, it->name);
    db_bind_text(s, 7, it->unit_code);
    if (it->birth_year)
      db_bind_int64(s, 8, it->birth_year);
    else
      db_bind_null(s, 8);
    db_bind_int64(s, 9, it->amount);
    db_bind_text(s, 10, it->rule);
    db_bind_text(s, 11, it->category);
    db_bind_text(s, 12, it->reason);
    rc = db_step(s);
    rc = rc == DB_DONE ? HT_OK : rc < 0 ? rc : HT_EDB;
  }
  db_finalize(s);
  return rc;
}

static int set_cancelled(db *d, const audit_actor *who, int64_t batch, const char *reason) {
  db_stmt *s;
  int rc = db_prepare(d,
                      "UPDATE fund_batches SET state = 'cancelled', cancelled_by = $3, "
                      "cancelled_at = $4, cancel_reason = $5 WHERE prov = $1 AND id = $2",
                      &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, batch);
  db_bind_text(s, 3, who_name(who));
  db_bind_int64(s, 4, rec_now_ms());
  db_bind_text(s, 5, reason);
  return step_done(s);
}

static int run_body(db *d, run_ctx *x) {
  issues *out = x->out;
  arena *a = x->a;
  fund_programme pg;
  int rc = fund_programme_get(d, x->programme_id, a, &pg);
  if (rc == HT_ENOTFOUND) {
    issues_add(out, 0, "programme", "no programme number %lld", (long long)x->programme_id);
    issues_vi(out, "Không có chương trình số %lld.", (long long)x->programme_id);
    return HT_EINVAL;
  }
  if (rc) return rc;
  int this_year = date_year(date_today());
  if (x->year < 1990 || x->year > this_year) {
    issues_add(out, 0, "year", "the year must be from 1990 to %d (a year the registry has)",
               this_year);
    issues_vi(out, "Năm phải từ 1990 đến %d (năm đã có trong sổ đăng ký).", this_year);
    return HT_EINVAL;
  }
  x->fund_unit = pg.unit_code;
  x->day = date_from_ymd(x->year, 12, 31);
  long before = out->kept;
  if (fund_rules_parse(pg.rules, strlen(pg.rules), a, &x->rules, out) != HT_OK) {
    for (long i = before; i < out->kept; i++) out->items[i].field = "rules";
    return HT_EINVAL;
  }
  /* batches of the year still open */
  db_stmt *s;
  rc = db_prepare(d,
                  "SELECT id, state, decision_number FROM fund_batches WHERE prov = $1 AND "
                  "programme_id = $2 AND year = $3 AND state IN ('proposed', 'approved') ORDER BY "
                  "id",
                  &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, pg.id);
  db_bind_int64(s, 3, x->year);
  int64_t *superseded = NULL;
  size_t nsuperseded = 0, scap = 0;
  while ((rc = db_step(s)) == DB_ROW) {
    if (!strcmp(db_col_text(s, 1), "approved")) {
      issues_add(out, 0, "year",
                 "batch %lld of %d was approved by decision %s and is not paid yet: pay or "
                 "cancel it first",
                 (long long)db_col_int64(s, 0), x->year, db_col_text(s, 2));
      issues_vi(out,
                "Danh sách %lld năm %d đã được duyệt theo quyết định %s nhưng chưa chi: hãy "
                "chi hoặc hủy danh sách đó trước.",
                (long long)db_col_int64(s, 0), x->year, db_col_text(s, 2));
    } else {
      superseded = arena_grow(a, superseded, nsuperseded, &scap, sizeof *superseded);
      superseded[nsuperseded++] = db_col_int64(s, 0);
    }
  }
  db_finalize(s);
  if (rc < 0) return rc;
  if (out->count) return HT_EINVAL;
  id_set paid;
  rc = paid_already(d, pg.id, x->year, a, &paid);
  if (rc == HT_OK) rc = beneficiary_pass(d, x, &paid);
  if (rc == HT_OK && x->rules.from_registry) rc = registry_pass(d, x);
  if (rc) return rc;
  if (x->ncands > FUND_BATCH_MAX_ITEMS) {
    issues_add(out, 0, "rules",
               "the rules propose %zu awards, more than %d in one batch: narrow them (a smaller "
               "fund, stricter conditions)",
               x->ncands, FUND_BATCH_MAX_ITEMS);
    issues_vi(out,
              "Các quy định đề xuất %zu suất, quá %d suất một danh sách: hãy thu hẹp điều "
              "kiện.",
              x->ncands, FUND_BATCH_MAX_ITEMS);
    return HT_EINVAL;
  }
  if (!x->ncands) {
    issues_add(out, 0, "year",
               "nobody within %s qualifies for %s in %d (or everyone who does was paid already)",
               pg.unit_code, pg.code, x->year);
    issues_vi(out,
              "Không có ai thuộc %s đủ điều kiện của chương trình %s năm %d (hoặc đều đã "
              "được chi).",
              pg.unit_code, pg.code, x->year);
    return HT_EINVAL;
  }
  qsort(x->cands, x->ncands, sizeof *x->cands, cmp_cand);
  int64_t total = 0, from_registry = 0;
  for (size_t i = 0; i < x->ncands; i++) {
    total += x->cands[i].it.amount;
    from_registry += !x->cands[i].it.beneficiary_id;
  }
  x->batch_id = db_new_id(d);
  rc = db_prepare(d,
                  "INSERT INTO fund_batches (prov, id, programme_id, year, state, created_at, "
                  "created_by) VALUES ($1, $2, $3, $4, 'proposed', $5, $6)",
                  &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, x->batch_id);
  db_bind_int64(s, 3, pg.id);
  db_bind_int64(s, 4, x->year);
  db_bind_int64(s, 5, rec_now_ms());
  db_bind_text(s, 6, who_name(x->who));
  rc = step_done(s);
  if (rc == HT_OK) rc = insert_items(d, x->batch_id, x->cands, x->ncands);
  json_t *sup = json_array();
  const char *why = arena_sprintf(a, "superseded by batch %lld", (long long)x->batch_id);
  for (size_t i = 0; i < nsuperseded && rc == HT_OK; i++) {
    rc = set_cancelled(d, x->who, superseded[i], why);
    json_array_append_new(sup, json_integer(superseded[i]));
  }
  if (rc) {
    json_decref(sup);
    return rc;
  }
  return audit_json(
      d, x->who, "fund.batch.propose", "fund_batch", id_text(a, x->batch_id), pg.unit_code, NULL,
      json_pack("{sIsssssIsIsIsIso}", "id", (json_int_t)x->batch_id, "programme", pg.code, "fund",
                pg.fund_code, "year", (json_int_t)x->year, "items", (json_int_t)x->ncands, "total",
                (json_int_t)total, "from_registry", (json_int_t)from_registry, "superseded", sup),
      x->err);
}

static int run_tx(db *d, void *arg) {
  run_ctx *x = arg;
  x->a = x->out->mem;
  x->cands = NULL;
  x->ncands = x->cap = 0;
  strmap_init(&x->within);
  int rc = run_body(d, x);
  strmap_free(&x->within);
  return rc;
}

int fund_programme_run(db *d, const audit_actor *who, const hier *h, int64_t programme_id, int year,
                       issues *out, int64_t *batch_id, ht_err *err) {
  run_ctx x;
  memset(&x, 0, sizeof x);
  x.who = who;
  x.h = h;
  x.programme_id = programme_id;
  x.year = year;
  x.out = out;
  x.err = err;
  int rc = db_tx(d, run_tx, &x);
  if (rc == HT_OK && batch_id) *batch_id = x.batch_id;
  if (rc == HT_EINVAL && out->count)
    ht_err_set(err, HT_EINVAL, "no batch was proposed: %ld problem(s)", out->count);
  return rc;
}

/* ------------------------------------------------------------ a batch's state */

/* Adds the problem of a batch not in the state wanted ("approve", "pay", "cancel"). */
static void wrong_state(issues *out, const fund_batch *b, const char *verb, const char *verb_vi) {
  switch (b->state) {
    case FUND_BATCH_PROPOSED:
      issues_add(out, 0, "batch", "batch %lld is only proposed: approve it before you %s it",
                 (long long)b->id, verb);
      issues_vi(out, "Danh sách %lld mới được đề xuất: hãy duyệt trước khi %s.", (long long)b->id,
                verb_vi);
      break;
    case FUND_BATCH_APPROVED:
      issues_add(out, 0, "batch", "batch %lld was approved already by decision %s of %s",
                 (long long)b->id, b->decision_number, b->decision_date);
      issues_vi(out, "Danh sách %lld đã được duyệt theo quyết định %s ngày %s.", (long long)b->id,
                b->decision_number, b->decision_date);
      break;
    case FUND_BATCH_PAID:
      issues_add(out, 0, "batch",
                 "batch %lld was paid already on %s (%zu payment(s), %s đ); a batch is paid once",
                 (long long)b->id, b->paid_on, b->count, vnd(out->mem, b->total));
      issues_vi(out,
                "Danh sách %lld đã được chi ngày %s (%zu khoản, %s đ); mỗi danh sách chỉ chi "
                "một lần.",
                (long long)b->id, b->paid_on, b->count, vnd(out->mem, b->total));
      break;
    default:
      issues_add(out, 0, "batch", "batch %lld was cancelled (%s)", (long long)b->id,
                 b->cancel_reason);
      issues_vi(out, "Danh sách %lld đã bị hủy (%s).", (long long)b->id, b->cancel_reason);
  }
}

static int load_batch(db *d, int64_t id, issues *out, fund_batch *b) {
  int rc = fund_batch_get(d, id, out->mem, b);
  if (rc == HT_ENOTFOUND) {
    issues_add(out, 0, "batch", "no batch number %lld", (long long)id);
    issues_vi(out, "Không có danh sách số %lld.", (long long)id);
    return HT_EINVAL;
  }
  return rc;
}

/* A date of a decision or payment: valid, not in the future, not before
 * not_before (NULL: any), which is described by since (English) and since_vi.
 * 1 when good. */
static int check_date(issues *out, const char *field, const char *date, const char *not_before,
                      const char *since, const char *since_vi, const char *what_vi) {
  int32_t day;
  if (!date || date_parse(date, &day) != HT_OK) {
    issues_add(out, 0, field, "the date must be a date YYYY-MM-DD");
    issues_vi(out, "%s phải có dạng NNNN-TT-NN.", what_vi);
    return 0;
  }
  if (day > date_today()) {
    issues_add(out, 0, field, "the date %s is in the future", date);
    issues_vi(out, "%s %s là ngày trong tương lai.", what_vi, date);
    return 0;
  }
  if (not_before && strcmp(date, not_before) < 0) {
    issues_add(out, 0, field, "the date %s is before %s", date, since);
    issues_vi(out, "%s %s sớm hơn %s.", what_vi, date, since_vi);
    return 0;
  }
  return 1;
}

/* ------------------------------------------------------------ approval */

typedef struct approve_ctx {
  const audit_actor *who;
  int64_t batch;
  const fund_batch_approval *in;
  issues *out;
  ht_err *err;
} approve_ctx;

enum { SET_BENEFICIARY, SET_DROPPED, SET_ENTRY };

/* Sets one column of an item: its beneficiary, dropped (1), its entry. */
static int update_item(db *d, int64_t batch, int item, int what, int64_t value) {
  static const char *const sql[] = {
      "UPDATE fund_batch_items SET beneficiary_id = $4 WHERE prov = $1 AND batch_id = $2 AND "
      "item = $3",
      "UPDATE fund_batch_items SET dropped = $4 WHERE prov = $1 AND batch_id = $2 AND item = $3",
      "UPDATE fund_batch_items SET entry_id = $4 WHERE prov = $1 AND batch_id = $2 AND item = $3"};
  db_stmt *s;
  int rc = db_prepare(d, sql[what], &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, batch);
  db_bind_int64(s, 3, item);
  db_bind_int64(s, 4, value);
  return step_done(s);
}

static int approve_tx(db *d, void *arg) {
  approve_ctx *x = arg;
  const fund_batch_approval *in = x->in;
  issues *out = x->out;
  arena *a = out->mem;
  fund_batch b;
  int rc = load_batch(d, x->batch, out, &b);
  if (rc) return rc;
  if (b.state != FUND_BATCH_PROPOSED) {
    wrong_state(out, &b, "approve", "duyệt");
    return HT_EINVAL;
  }
  const char *number = cleaned(a, in->number), *signer = cleaned(a, in->signer);
  if (!number || !*number || strlen(number) > 100) {
    issues_add(out, 0, "number",
               "the decision needs its number (e.g. 12/QĐ-KH), at most 100 "
               "characters");
    issues_vi(out, "Hãy nhập số quyết định (ví dụ 12/QĐ-KH), tối đa 100 ký tự.");
  }
  check_date(out, "date", in->date, arena_sprintf(a, "%04d-01-01", b.year),
             arena_sprintf(a, "the year of the awards (%d)", b.year),
             arena_sprintf(a, "năm của các suất thưởng (%d)", b.year), "Ngày quyết định");
  if (!signer || !*signer || strlen(signer) > 200) {
    issues_add(out, 0, "signer", "say who signed the decision");
    issues_vi(out, "Hãy nhập người ký quyết định.");
  }
  char *dropped = arena_calloc(a, b.nitems + 1);
  size_t ndropped = 0;
  for (size_t i = 0; i < in->ndrop; i++) {
    int n = in->drop[i];
    if (n < 1 || (size_t)n > b.nitems) {
      issues_add(out, 0, "drop", "the batch has no item %d (items 1 to %zu)", n, b.nitems);
      issues_vi(out, "Danh sách không có mục %d (các mục từ 1 đến %zu).", n, b.nitems);
    } else if (dropped[n]) {
      issues_add(out, 0, "drop", "item %d is listed twice", n);
      issues_vi(out, "Mục %d được nêu hai lần.", n);
    } else {
      dropped[n] = 1;
      ndropped++;
    }
  }
  if (!out->count && ndropped == b.nitems) {
    issues_add(out, 0, "drop", "every item is left out: cancel the batch instead");
    issues_vi(out, "Mọi mục đều bị loại: hãy hủy danh sách thay vì duyệt.");
  }
  if (out->count) return HT_EINVAL;
  json_t *added = json_array(), *left_out = json_array();
  int64_t total = 0;
  size_t count = 0;
  for (size_t i = 0; i < b.nitems && rc == HT_OK; i++) {
    fund_batch_item *it = &b.items[i];
    if (dropped[it->item]) {
      json_array_append_new(left_out, json_integer(it->item));
      rc = update_item(d, b.id, it->item, SET_DROPPED, 1);
      continue;
    }
    total += it->amount;
    count++;
    if (it->beneficiary_id) continue;
    /* a registry person becomes a beneficiary now that the decision names them */
    issues scratch;
    issues_init(&scratch, a);
    fund_beneficiary nb = {0};
    nb.person_id = it->person_id;
    nb.unit_code = it->unit_code;
    rc = fund_beneficiary_add_in_tx(d, x->who, &nb, &scratch, &it->beneficiary_id, x->err);
    if (rc == HT_EINVAL) {
      issues_add(out, 0, "items", "item %d (%s) cannot become a beneficiary: %s", it->item,
                 it->name, scratch.kept ? scratch.items[0].msg : "?");
      issues_vi(out, "Mục %d (%s) không thêm được vào danh sách người nhận: %s", it->item, it->name,
                scratch.kept && scratch.items[0].msg_vi ? scratch.items[0].msg_vi : "?");
    }
    if (rc == HT_OK) {
      json_array_append_new(added, json_integer(it->beneficiary_id));
      rc = update_item(d, b.id, it->item, SET_BENEFICIARY, it->beneficiary_id);
    }
  }
  db_stmt *s;
  if (rc == HT_OK)
    rc = db_prepare(d,
                    "UPDATE fund_batches SET state = 'approved', decision_number = $3, "
                    "decision_date = $4, decision_signer = $5, approved_by = $6, approved_at = $7 "
                    "WHERE prov = $1 AND id = $2 AND state = 'proposed'",
                    &s);
  if (rc == HT_OK) {
    db_bind_int64(s, 1, db_prov(d));
    db_bind_int64(s, 2, b.id);
    db_bind_text(s, 3, number);
    db_bind_text(s, 4, in->date);
    db_bind_text(s, 5, signer);
    db_bind_text(s, 6, who_name(x->who));
    db_bind_int64(s, 7, rec_now_ms());
    rc = step_done(s);
  }
  if (rc) {
    json_decref(added);
    json_decref(left_out);
    return rc;
  }
  return audit_json(
      d, x->who, "fund.batch.approve", "fund_batch", id_text(a, b.id), b.unit_code,
      json_pack("{ss}", "state", "proposed"),
      json_pack("{sssIsssssssIsIsoso}", "programme", b.programme_code, "year", (json_int_t)b.year,
                "decision_number", number, "decision_date", in->date, "decision_signer", signer,
                "items", (json_int_t)count, "total", (json_int_t)total, "dropped", left_out,
                "beneficiaries_added", added),
      x->err);
}

int fund_batch_approve(db *d, const audit_actor *who, int64_t batch, const fund_batch_approval *in,
                       issues *out, ht_err *err) {
  approve_ctx x = {who, batch, in, out, err};
  int rc = db_tx(d, approve_tx, &x);
  if (rc == HT_EINVAL && out->count)
    ht_err_set(err, HT_EINVAL, "the batch was not approved: %ld problem(s)", out->count);
  return rc;
}

/* ------------------------------------------------------------ payment */

typedef struct pay_ctx {
  const audit_actor *who;
  int64_t batch;
  const fund_batch_payment *in;
  issues *out;
  int64_t *entries;
  size_t nentries;
  ht_err *err;
} pay_ctx;

/* The problem of a fund that cannot cover the batch: its balance and the total. */
static void cannot_cover(issues *out, const fund *f, const char *method, const char *date,
                         int64_t available, int64_t total, size_t count) {
  const char *acc_vi = !strcmp(method, "cash") ? "tiền mặt" : "tiền gửi ngân hàng";
  issues_add(out, 0, "amount",
             "the fund %s has %s đ in %s on %s; the batch needs %s đ (%zu payment(s)): "
             "nothing was paid",
             f->code, vnd(out->mem, available), method, date, vnd(out->mem, total), count);
  issues_vi(out,
            "Quỹ %s chỉ còn %s đ %s vào ngày %s; danh sách cần %s đ (%zu khoản): chưa chi "
            "khoản nào.",
            f->code, vnd(out->mem, available), acc_vi, date, vnd(out->mem, total), count);
}

static int pay_tx(db *d, void *arg) {
  pay_ctx *x = arg;
  const fund_batch_payment *in = x->in;
  issues *out = x->out;
  arena *a = out->mem;
  x->entries = NULL;
  x->nentries = 0;
  fund_batch b;
  int rc = load_batch(d, x->batch, out, &b);
  if (rc) return rc;
  if (b.state != FUND_BATCH_APPROVED) {
    wrong_state(out, &b, "pay", "chi");
    return HT_EINVAL;
  }
  int date_ok = check_date(out, "date", in->date, b.decision_date,
                           arena_sprintf(a, "the decision (%s)", b.decision_date),
                           arena_sprintf(a, "ngày quyết định (%s)", b.decision_date), "Ngày chi");
  const char *method = in->method && *in->method ? in->method : "cash";
  if (strcmp(method, "cash") && strcmp(method, "bank")) {
    issues_add(out, 0, "method", "the method is cash or bank");
    issues_vi(out, "Hình thức phải là tiền mặt (cash) hoặc chuyển khoản (bank).");
  }
  fund f;
  rc = fund_get(d, b.fund_code, a, &f);
  if (rc) return rc;
  if (date_ok && *f.closed_through && strcmp(in->date, f.closed_through) <= 0) {
    issues_add(out, 0, "date", "the books of %s are closed through %s: pay on a later date", f.code,
               f.closed_through);
    issues_vi(out, "Sổ quỹ %s đã khóa đến ngày %s: hãy chi vào ngày sau đó.", f.code,
              f.closed_through);
  }
  /* nobody paid twice by the programme for the year, whatever batch paid them */
  id_set paid;
  rc = paid_already(d, b.programme_id, b.year, a, &paid);
  if (rc) return rc;
  for (size_t i = 0; i < b.nitems; i++) {
    const fund_batch_item *it = &b.items[i];
    if (!it->dropped && id_set_has(&paid, it->beneficiary_id)) {
      issues_add(out, 0, "items",
                 "item %d: %s was paid by %s for %d already; cancel this batch and run the "
                 "programme again",
                 it->item, it->name, b.programme_code, b.year);
      issues_vi(out,
                "Mục %d: %s đã được chương trình %s chi cho năm %d; hãy hủy danh sách này "
                "và lập lại.",
                it->item, it->name, b.programme_code, b.year);
    }
  }
  if (out->count) return HT_EINVAL;
  /* the total against what the account holds on the day and holds now */
  int64_t on_day, now;
  rc = fund_balance(d, f.id, method, in->date, &on_day);
  if (rc == HT_OK) rc = fund_balance(d, f.id, method, NULL, &now);
  if (rc) return rc;
  int64_t available = on_day < now ? on_day : now;
  if (b.total > available) {
    cannot_cover(out, &f, method, in->date, available, b.total, b.count);
    return HT_EINVAL;
  }
  json_t *entries = json_array();
  size_t cap = 0;
  for (size_t i = 0; i < b.nitems && rc == HT_OK; i++) {
    const fund_batch_item *it = &b.items[i];
    if (it->dropped) continue;
    fund_posting p = {.kind = FUND_DISBURSEMENT,
                      .fund = f.code,
                      .date = in->date,
                      .amount = it->amount,
                      .method = method,
                      .number = "",
                      .memo = it->reason,
                      .beneficiary_id = it->beneficiary_id,
                      .category = it->category,
                      .decision = b.decision_number,
                      .batch_id = b.id};
    issues scratch;
    issues_init(&scratch, a);
    int64_t entry = 0;
    rc = fund_post_in_tx(d, x->who, &p, &scratch, &entry, x->err);
    if (rc == HT_EINVAL) {
      int money = 0;
      for (long k = 0; k < scratch.kept; k++)
        money |= scratch.items[k].field && !strcmp(scratch.items[k].field, "amount");
      if (money) {
        cannot_cover(out, &f, method, in->date, available, b.total, b.count);
      } else {
        issues_add(out, 0, "items", "item %d (%s) cannot be paid: %s", it->item, it->name,
                   scratch.kept ? scratch.items[0].msg : "?");
        issues_vi(out, "Mục %d (%s) không chi được: %s", it->item, it->name,
                  scratch.kept && scratch.items[0].msg_vi ? scratch.items[0].msg_vi : "?");
      }
      break;
    }
    if (rc == HT_OK) rc = update_item(d, b.id, it->item, SET_ENTRY, entry);
    if (rc == HT_OK) {
      json_array_append_new(entries, json_integer(entry));
      x->entries = arena_grow(a, x->entries, x->nentries, &cap, sizeof *x->entries);
      x->entries[x->nentries++] = entry;
    }
  }
  db_stmt *s;
  if (rc == HT_OK)
    rc = db_prepare(d,
                    "UPDATE fund_batches SET state = 'paid', paid_by = $3, paid_at = $4, paid_on "
                    "= $5, method = $6 WHERE prov = $1 AND id = $2 AND state = 'approved'",
                    &s);
  if (rc == HT_OK) {
    db_bind_int64(s, 1, db_prov(d));
    db_bind_int64(s, 2, b.id);
    db_bind_text(s, 3, who_name(x->who));
    db_bind_int64(s, 4, rec_now_ms());
    db_bind_text(s, 5, in->date);
    db_bind_text(s, 6, method);
    rc = step_done(s);
  }
  if (rc) {
    json_decref(entries);
    return rc;
  }
  return audit_json(
      d, x->who, "fund.batch.pay", "fund_batch", id_text(a, b.id), b.unit_code,
      json_pack("{ss}", "state", "approved"),
      json_pack("{sssssIsssssIsIso}", "programme", b.programme_code, "fund", f.code, "year",
                (json_int_t)b.year, "date", in->date, "method", method, "payments",
                (json_int_t)x->nentries, "total", (json_int_t)b.total, "entries", entries),
      x->err);
}

int fund_batch_pay(db *d, const audit_actor *who, int64_t batch, const fund_batch_payment *in,
                   issues *out, arena *a, int64_t **entries, size_t *nentries, ht_err *err) {
  pay_ctx x = {who, batch, in, out, NULL, 0, err};
  int rc = db_tx(d, pay_tx, &x);
  if (rc == HT_EINVAL && out->count)
    ht_err_set(err, HT_EINVAL, "the batch was not paid: %ld problem(s)", out->count);
  if (entries) {
    *entries = NULL;
    if (rc == HT_OK && x.nentries) {
      *entries = arena_alloc(a, x.nentries * sizeof **entries);
      memcpy(*entries, x.entries, x.nentries * sizeof **entries);
    }
  }
  if (nentries) *nentries = rc == HT_OK ? x.nentries : 0;
  return rc;
}

/* ------------------------------------------------------------ cancelling */

typedef struct cancel_ctx {
  const audit_actor *who;
  int64_t batch;
  const char *reason;
  issues *out;
  ht_err *err;
} cancel_ctx;

static int cancel_tx(db *d, void *arg) {
  cancel_ctx *x = arg;
  issues *out = x->out;
  arena *a = out->mem;
  fund_batch b;
  int rc = load_batch(d, x->batch, out, &b);
  if (rc) return rc;
  if (b.state == FUND_BATCH_PAID || b.state == FUND_BATCH_CANCELLED) {
    wrong_state(out, &b, "cancel", "hủy");
    if (b.state == FUND_BATCH_PAID) {
      issues_add(out, 0, "batch", "a payment is corrected by reversing its entry");
      issues_vi(out, "Khoản đã chi chỉ sửa được bằng bút toán đảo.");
    }
  }
  const char *reason = cleaned(a, x->reason);
  if (!reason || !*reason) {
    issues_add(out, 0, "reason", "say why the batch is cancelled");
    issues_vi(out, "Hãy ghi lý do hủy danh sách.");
  }
  if (out->count) return HT_EINVAL;
  rc = set_cancelled(d, x->who, b.id, reason);
  if (rc) return rc;
  return audit_json(d, x->who, "fund.batch.cancel", "fund_batch", id_text(a, b.id), b.unit_code,
                    json_pack("{ss}", "state", fund_batch_state_name(b.state)),
                    json_pack("{sssIssss}", "programme", b.programme_code, "year",
                              (json_int_t)b.year, "state", "cancelled", "reason", reason),
                    x->err);
}

int fund_batch_cancel(db *d, const audit_actor *who, int64_t batch, const char *reason, issues *out,
                      ht_err *err) {
  cancel_ctx x = {who, batch, reason, out, err};
  int rc = db_tx(d, cancel_tx, &x);
  if (rc == HT_EINVAL && out->count)
    ht_err_set(err, HT_EINVAL, "the batch was not cancelled: %ld problem(s)", out->count);
  return rc;
}
