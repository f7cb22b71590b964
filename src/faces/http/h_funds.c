/* h_funds.c - the study-promotion funds API (docs/funds.md, docs/api.md):
 *   GET  /api/v1/funds                         the funds in the caller's area, with balances
 *   POST /api/v1/funds                         create one (funds.approve)
 *   GET  /api/v1/funds/{code}?from&to          a fund, its totals and its entries
 *   POST /api/v1/funds/{code}/entries          post an opening, receipt, payment or transfer
 *   POST /api/v1/funds/{code}/close            close the books through a date (funds.approve)
 *   POST /api/v1/fund-entries/{id}/reverse     reverse an entry
 *   GET  /api/v1/fund-donors?q=                 donors;  POST adds one
 *   GET  /api/v1/fund-beneficiaries?q=          beneficiaries in the area;  POST adds one
 *   GET  /api/v1/fund-beneficiaries/{id}        one, with everything they received
 *   GET  /api/v1/fund-check                     the books' invariants
 * Money is whole đồng: JSON integers, or strings such as "1.500.000". */
#include <string.h>

#include "faces/http/http.h"
#include "model/fund.h"

/* An amount: a JSON integer, or a string of whole đồng. 0 when absent or bad. */
static int amount_of(json_t *body, const char *key, int64_t *out) {
  json_t *v = json_object_get(body, key);
  *out = 0;
  if (json_is_integer(v)) {
    *out = json_integer_value(v);
    return 1;
  }
  if (json_is_string(v)) return fund_parse_amount(json_string_value(v), out) == HT_OK;
  return 0;
}

static int64_t id_of(json_t *body, const char *key) {
  json_t *v = json_object_get(body, key);
  if (json_is_integer(v)) return json_integer_value(v);
  if (json_is_string(v)) return strtoll(json_string_value(v), NULL, 10);
  return 0;
}

static json_t *fund_json(const fund *f) {
  json_t *o = json_pack("{ssssssssss}", "code", f->code, "name", f->name, "owner_kind",
                        f->owner_kind, "owner_code", f->owner_code, "unit", f->unit_code);
  json_object_set_new(o, "closed_through",
                      *f->closed_through ? json_string(f->closed_through) : json_null());
  json_object_set_new(o, "public_minor_names", json_boolean(f->public_minor_names));
  json_object_set_new(o, "balance", json_integer(f->balance));
  return o;
}

static json_t *entry_json(const fund_entry *e) {
  json_t *o = json_pack("{sssssssIss}", "fund", e->fund_code, "kind", fund_kind_name(e->kind),
                        "date", e->date, "amount", (json_int_t)e->amount, "method", e->method);
  /* ids are 64-bit: strings, so JavaScript keeps every digit */
  char id[24];
  snprintf(id, sizeof id, "%lld", (long long)e->id);
  json_object_set_new(o, "id", json_string(id));
  json_object_set_new(o, "number", json_string(e->number));
  json_object_set_new(o, "memo", json_string(e->memo));
  json_object_set_new(o, "campaign", json_string(e->campaign));
  json_object_set_new(o, "purpose", json_string(e->purpose));
  json_object_set_new(o, "category", json_string(e->category));
  json_object_set_new(o, "decision", json_string(e->decision));
  json_object_set_new(o, "donor",
                      e->donor_id ? json_sprintf("%lld", (long long)e->donor_id) : json_null());
  json_object_set_new(o, "donor_name", json_string(e->donor_name));
  json_object_set_new(
      o, "beneficiary",
      e->beneficiary_id ? json_sprintf("%lld", (long long)e->beneficiary_id) : json_null());
  json_object_set_new(o, "beneficiary_name", json_string(e->beneficiary_name));
  json_object_set_new(o, "to_fund", *e->to_fund ? json_string(e->to_fund) : json_null());
  json_object_set_new(o, "reverses",
                      e->reverses ? json_sprintf("%lld", (long long)e->reverses) : json_null());
  json_object_set_new(
      o, "reversed_by",
      e->reversed_by ? json_sprintf("%lld", (long long)e->reversed_by) : json_null());
  json_object_set_new(o, "created_by", json_string(e->created_by));
  return o;
}

static json_t *beneficiary_json(const fund_beneficiary *b) {
  json_t *o = json_pack("{ssssssss}", "name", b->name, "unit", b->unit_code, "school", b->school,
                        "grade", b->grade);
  json_object_set_new(o, "id", json_sprintf("%lld", (long long)b->id));
  json_object_set_new(o, "person_id",
                      b->person_id ? json_sprintf("%lld", (long long)b->person_id) : json_null());
  json_object_set_new(o, "birth_year", b->birth_year ? json_integer(b->birth_year) : json_null());
  json_object_set_new(o, "circumstances", json_string(b->circumstances));
  json_object_set_new(o, "achievements", json_string(b->achievements));
  return o;
}

/* ------------------------------------------------------------ funds */

int h_funds_list(http_req *r) {
  fund *f;
  size_t n;
  if (fund_list(r->db, NULL, &r->mem, &f, &n)) return http_internal(r, db_errmsg(r->db));
  json_t *list = json_array();
  for (size_t i = 0; i < n; i++)
    if (http_in_scope(r, f[i].unit_code, r->day)) json_array_append_new(list, fund_json(&f[i]));
  return http_json(r, 200, json_pack("{so}", "funds", list));
}

int h_fund_create(http_req *r) {
  json_t *body = http_body_json(r);
  if (!body) return 0;
  issues p;
  issues_init(&p, &r->mem);
  ht_err err = {0};
  audit_actor who = http_actor(r);
  fund_new in = {http_body_str(body, "code"), http_body_str(body, "name"),
                 http_body_str(body, "owner_kind"), http_body_str(body, "owner_code"),
                 json_is_true(json_object_get(body, "public_minor_names"))};
  /* the owner must lie in the caller's area */
  const char *unit = in.owner_kind && in.owner_code
                         ? fund_owner_unit(r->db, &r->mem, in.owner_kind, in.owner_code)
                         : NULL;
  if (unit && !http_in_scope(r, unit, r->day)) {
    issues_add(&p, 0, "owner_code", "the fund's owner %s is outside your area", in.owner_code);
    issues_vi(&p, "Chủ quỹ %s ở ngoài địa bàn bạn phụ trách.", in.owner_code);
    json_decref(body);
    return http_problems(r, &p);
  }
  int rc = fund_create(r->db, &who, &in, &p, NULL, &err);
  fund f;
  if (rc == HT_OK) rc = fund_get(r->db, in.code, &r->mem, &f);
  json_decref(body); /* in's strings are the body's */
  if (rc) return http_write_failed(r, rc, &p, &err);
  return http_json(r, 201, fund_json(&f));
}

int h_fund_get(http_req *r) {
  fund f;
  if (fund_get(r->db, r->params[0], &r->mem, &f) != HT_OK)
    return http_error(r, 404, "not_found", "code", "no such fund", "Không có quỹ này.");
  const char *from = http_query(r, "from"), *to = http_query(r, "to");
  fund_entry *e;
  size_t n;
  if (fund_entries(r->db, f.id, from, to, &r->mem, &e, &n))
    return http_internal(r, db_errmsg(r->db));
  json_t *o = fund_json(&f), *list = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(list, entry_json(&e[i]));
  json_object_set_new(o, "entries", list);
  static const char *const accounts[] = {"cash",  "bank",    "opening", "donation", "scholarship",
                                         "award", "support", "gift",    "transfer"};
  json_t *acc = json_object();
  for (size_t i = 0; i < sizeof accounts / sizeof accounts[0]; i++) {
    int64_t b;
    fund_balance(r->db, f.id, accounts[i], to, &b);
    json_object_set_new(acc, accounts[i], json_integer(b));
  }
  json_object_set_new(o, "accounts", acc);
  return http_json(r, 200, o);
}

static fund_entry_kind kind_param(const char *s, int *ok) {
  static const char *const k[] = {"opening", "receipt", "disbursement", "transfer"};
  *ok = 1;
  for (int i = 0; s && i < 4; i++)
    if (!strcmp(s, k[i])) return (fund_entry_kind)i;
  *ok = 0;
  return FUND_OPENING;
}

int h_fund_post(http_req *r) {
  json_t *body = http_body_json(r);
  if (!body) return 0;
  issues p;
  issues_init(&p, &r->mem);
  int ok;
  fund_entry_kind kind = kind_param(http_body_str(body, "kind"), &ok);
  if (!ok) {
    issues_add(&p, 0, "kind", "kind must be opening, receipt, disbursement or transfer");
    issues_vi(&p,
              "Loại bút toán phải là opening (số dư đầu kỳ), receipt (thu), disbursement "
              "(chi) hoặc transfer (chuyển quỹ).");
  }
  int64_t amount; /* not whole đồng: 0, which the ledger refuses with the other problems */
  if (!amount_of(body, "amount", &amount)) amount = 0;
  const char *to = http_body_str(body, "to_fund");
  if (kind == FUND_TRANSFER && ok && to) {
    fund tf;
    if (fund_get(r->db, to, &r->mem, &tf) == HT_OK && !http_in_scope(r, tf.unit_code, r->day)) {
      issues_add(&p, 0, "to_fund", "the fund %s is outside the units you are responsible for", to);
      issues_vi(&p, "Quỹ %s thuộc địa bàn ngoài phạm vi bạn phụ trách.", to);
    }
  }
  if (p.count) {
    json_decref(body);
    return http_problems(r, &p);
  }
  fund_posting in = {.kind = kind,
                     .fund = r->params[0],
                     .to_fund = to,
                     .date = http_body_str(body, "date"),
                     .amount = amount,
                     .method = http_body_str(body, "method"),
                     .number = http_body_str(body, "number"),
                     .memo = http_body_str(body, "memo"),
                     .donor_id = id_of(body, "donor"),
                     .campaign = http_body_str(body, "campaign"),
                     .purpose = http_body_str(body, "purpose"),
                     .beneficiary_id = id_of(body, "beneficiary"),
                     .category = http_body_str(body, "category"),
                     .decision = http_body_str(body, "decision")};
  ht_err err = {0};
  audit_actor who = http_actor(r);
  int64_t id;
  int rc = fund_post(r->db, &who, &in, &p, &id, &err);
  json_decref(body);
  if (rc) return http_write_failed(r, rc, &p, &err);
  fund_entry e;
  if (fund_entry_get(r->db, id, &r->mem, &e)) return http_internal(r, db_errmsg(r->db));
  fund f;
  fund_get(r->db, e.fund_code, &r->mem, &f);
  json_t *o = entry_json(&e);
  json_object_set_new(o, "balance", json_integer(f.balance));
  return http_json(r, 201, o);
}

int h_fund_close(http_req *r) {
  json_t *body = http_body_json(r);
  if (!body) return 0;
  issues p;
  issues_init(&p, &r->mem);
  ht_err err = {0};
  audit_actor who = http_actor(r);
  int rc = fund_close_through(r->db, &who, r->params[0], http_body_str(body, "through"), &p, &err);
  json_decref(body);
  if (rc) return http_write_failed(r, rc, &p, &err);
  fund f;
  fund_get(r->db, r->params[0], &r->mem, &f);
  return http_json(r, 200, fund_json(&f));
}

int h_fund_reverse(http_req *r) {
  json_t *body = http_body_json(r);
  if (!body) return 0;
  issues p;
  issues_init(&p, &r->mem);
  ht_err err = {0};
  audit_actor who = http_actor(r);
  int64_t id;
  int rc = fund_reverse(r->db, &who, strtoll(r->params[0], NULL, 10), http_body_str(body, "date"),
                        http_body_str(body, "reason"), &p, &id, &err);
  json_decref(body);
  if (rc) return http_write_failed(r, rc, &p, &err);
  fund_entry e;
  if (fund_entry_get(r->db, id, &r->mem, &e)) return http_internal(r, db_errmsg(r->db));
  return http_json(r, 201, entry_json(&e));
}

/* ------------------------------------------------------------ donors, beneficiaries */

int h_fund_donors(http_req *r) {
  fund_donor *d;
  size_t n;
  if (fund_donor_list(r->db, http_query(r, "q"), 200, &r->mem, &d, &n))
    return http_internal(r, db_errmsg(r->db));
  json_t *list = json_array();
  for (size_t i = 0; i < n; i++) {
    json_t *o = json_pack("{ssssssss}", "kind", d[i].kind, "name", d[i].name, "address",
                          d[i].address, "phone", d[i].phone);
    json_object_set_new(o, "code", *d[i].code ? json_string(d[i].code) : json_null());
    json_object_set_new(o, "id", json_sprintf("%lld", (long long)d[i].id));
    json_array_append_new(list, o);
  }
  return http_json(r, 200, json_pack("{so}", "donors", list));
}

int h_fund_donor_add(http_req *r) {
  json_t *body = http_body_json(r);
  if (!body) return 0;
  issues p;
  issues_init(&p, &r->mem);
  ht_err err = {0};
  audit_actor who = http_actor(r);
  fund_donor in = {0,
                   http_body_str(body, "kind"),
                   http_body_str(body, "name"),
                   http_body_str(body, "address"),
                   http_body_str(body, "phone"),
                   http_body_str(body, "code")};
  int64_t id;
  int rc = fund_donor_add(r->db, &who, &in, &p, &id, &err);
  json_decref(body);
  if (rc) return http_write_failed(r, rc, &p, &err);
  fund_donor d;
  fund_donor_get(r->db, id, &r->mem, &d);
  json_t *o = json_pack("{ssss}", "kind", d.kind, "name", d.name);
  json_object_set_new(o, "code", *d.code ? json_string(d.code) : json_null());
  json_object_set_new(o, "id", json_sprintf("%lld", (long long)id));
  return http_json(r, 201, o);
}

int h_fund_beneficiaries(http_req *r) {
  fund_beneficiary *b;
  size_t n;
  if (fund_beneficiary_list(r->db, http_query(r, "q"), 500, &r->mem, &b, &n))
    return http_internal(r, db_errmsg(r->db));
  json_t *list = json_array();
  for (size_t i = 0; i < n; i++)
    if (http_in_scope(r, b[i].unit_code, r->day))
      json_array_append_new(list, beneficiary_json(&b[i]));
  return http_json(r, 200, json_pack("{so}", "beneficiaries", list));
}

int h_fund_beneficiary_add(http_req *r) {
  json_t *body = http_body_json(r);
  if (!body) return 0;
  issues p;
  issues_init(&p, &r->mem);
  ht_err err = {0};
  audit_actor who = http_actor(r);
  json_t *by = json_object_get(body, "birth_year");
  fund_beneficiary in = {0,
                         id_of(body, "person_id"),
                         http_body_str(body, "name"),
                         json_is_integer(by) ? (int)json_integer_value(by) : 0,
                         http_body_str(body, "unit"),
                         http_body_str(body, "school"),
                         http_body_str(body, "grade"),
                         http_body_str(body, "circumstances"),
                         http_body_str(body, "achievements")};
  /* the unit given, or the registry person's, must be in the caller's area */
  const char *unit = in.unit_code && *in.unit_code ? in.unit_code
                     : in.person_id                ? fund_person_unit(r->db, &r->mem, in.person_id)
                                                   : NULL;
  if (unit && !http_in_scope(r, unit, r->day)) {
    issues_add(&p, 0, "unit", "the beneficiary's unit %s is outside your area", unit);
    issues_vi(&p, "Đơn vị %s của người nhận ở ngoài địa bàn bạn phụ trách.", unit);
    json_decref(body);
    return http_problems(r, &p);
  }
  int64_t id;
  int rc = fund_beneficiary_add(r->db, &who, &in, &p, &id, &err);
  json_decref(body);
  if (rc) return http_write_failed(r, rc, &p, &err);
  fund_beneficiary b;
  fund_beneficiary_get(r->db, id, &r->mem, &b);
  return http_json(r, 201, beneficiary_json(&b));
}

int h_fund_beneficiary_get(http_req *r) {
  fund_beneficiary b;
  if (fund_beneficiary_get(r->db, strtoll(r->params[0], NULL, 10), &r->mem, &b))
    return http_error(r, 404, "not_found", "id", "no such beneficiary", "Không có người nhận này.");
  fund_entry *e;
  size_t n;
  if (fund_beneficiary_history(r->db, b.id, &r->mem, &e, &n))
    return http_internal(r, db_errmsg(r->db));
  json_t *o = beneficiary_json(&b), *list = json_array();
  int64_t total = 0;
  for (size_t i = 0; i < n; i++) {
    json_array_append_new(list, entry_json(&e[i]));
    total += e[i].kind == FUND_REVERSAL ? -e[i].amount : e[i].amount;
  }
  json_object_set_new(o, "history", list);
  json_object_set_new(o, "total_received", json_integer(total));
  return http_json(r, 200, o);
}

int h_fund_check(http_req *r) {
  issues p;
  issues_init(&p, &r->mem);
  ht_err err = {0};
  int rc = fund_check(r->db, &p, &err);
  if (rc && !p.count) return http_internal(r, err.msg);
  json_t *list = json_array();
  for (long i = 0; i < p.kept; i++)
    json_array_append_new(list, json_pack("{ssss}", "msg_en", p.items[i].msg, "msg_vi",
                                          p.items[i].msg_vi ? p.items[i].msg_vi : p.items[i].msg));
  return http_json(r, 200, json_pack("{sbso}", "ok", rc == HT_OK, "problems", list));
}

int h_fund_settings(http_req *r) {
  json_t *body = http_body_json(r);
  if (!body) return 0;
  json_t *v = json_object_get(body, "public_minor_names");
  if (!json_is_boolean(v)) {
    json_decref(body);
    return http_error(r, 400, "bad_parameter", "public_minor_names",
                      "public_minor_names must be true or false",
                      "Tham số public_minor_names phải là true hoặc false.");
  }
  ht_err err = {0};
  audit_actor who = http_actor(r);
  int rc = fund_set_public_minor_names(r->db, &who, r->params[0], json_is_true(v), &err);
  json_decref(body);
  if (rc) return http_internal(r, err.msg);
  fund f;
  if (fund_get(r->db, r->params[0], &r->mem, &f)) return http_internal(r, db_errmsg(r->db));
  return http_json(r, 200, fund_json(&f));
}
