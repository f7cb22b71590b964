/* h_fund_programmes.c - award programmes of a fund and their batches
 * (docs/funds.md "Award programmes", docs/api.md):
 *   GET  /api/v1/funds/{code}/programmes              the fund's programmes, each with its batches
 *   POST /api/v1/funds/{code}/programmes              create one (funds.approve)
 *   POST /api/v1/funds/{code}/programmes/{id}/run     propose the batch of {"year"} (funds.write)
 *   GET  /api/v1/fund-batches/{id}                    a batch with its items
 *   POST /api/v1/fund-batches/{id}/approve            one decision (funds.approve)
 *   POST /api/v1/fund-batches/{id}/pay                one payment per item, or none (funds.write)
 *   POST /api/v1/fund-batches/{id}/cancel             a proposed or approved batch (funds.approve)
 * The scope is the fund's unit (authz.c: SCOPE_FUND, SCOPE_FUND_BATCH); the
 * registry persons a batch proposes are those of the fund's unit, so a batch
 * never reaches outside the area of whoever may see the fund. */
#include <stdlib.h>
#include <string.h>

#include "faces/fund_programme_json.h"
#include "faces/http/http.h"
#include "model/fund.h"
#include "model/fund_programme.h"

/* A path id: digits only; 0 when it is not one. */
static int64_t path_id(const char *s) {
  char *end;
  long long v = strtoll(s, &end, 10);
  return *s && !*end && v > 0 ? v : 0;
}

/* The batch of the path, when there is one (else 0). */
static int64_t path_batch(http_req *r) {
  int64_t id = path_id(r->params[0]);
  fund_batch b;
  return id && fund_batch_head(r->db, id, &r->mem, &b) == HT_OK ? id : 0;
}

static int no_batch(http_req *r) {
  return http_error(r, 404, "not_found", "id", "no such batch", "Không có danh sách này.");
}

/* The batch of {id} with its items, as JSON with status. */
static int send_batch(http_req *r, int status, int64_t id, json_t *extra) {
  fund_batch b;
  int rc = fund_batch_get(r->db, id, &r->mem, &b);
  if (rc) {
    json_decref(extra);
    return rc == HT_ENOTFOUND ? no_batch(r) : http_internal(r, db_errmsg(r->db));
  }
  json_t *o = fund_batch_json(&b);
  if (extra) {
    json_object_update(o, extra);
    json_decref(extra);
  }
  return http_json(r, status, o);
}

/* ------------------------------------------------------------ programmes */

int h_fund_programmes(http_req *r) {
  fund f;
  if (fund_get(r->db, r->params[0], &r->mem, &f) != HT_OK)
    return http_error(r, 404, "not_found", "code", "no such fund", "Không có quỹ này.");
  fund_programme *p;
  size_t n;
  if (fund_programme_list(r->db, f.id, &r->mem, &p, &n)) return http_internal(r, db_errmsg(r->db));
  json_t *list = json_array();
  for (size_t i = 0; i < n; i++) {
    json_t *o = fund_programme_json(&p[i]), *batches = json_array();
    fund_batch *b;
    size_t nb;
    if (fund_batch_list(r->db, p[i].id, &r->mem, &b, &nb)) {
      json_decref(o);
      json_decref(batches);
      json_decref(list);
      return http_internal(r, db_errmsg(r->db));
    }
    for (size_t k = 0; k < nb; k++) json_array_append_new(batches, fund_batch_json(&b[k]));
    json_object_set_new(o, "batches", batches);
    json_array_append_new(list, o);
  }
  return http_json(r, 200, json_pack("{ssso}", "fund", f.code, "programmes", list));
}

int h_fund_programme_create(http_req *r) {
  json_t *body = http_body_json(r);
  if (!body) return 0;
  issues p;
  issues_init(&p, &r->mem);
  ht_err err = {0};
  audit_actor who = http_actor(r);
  fund_programme_new in = {r->params[0], http_body_str(body, "code"), http_body_str(body, "name"),
                           http_body_str(body, "rules")};
  int64_t id;
  int rc = fund_programme_create(r->db, &who, &in, &p, &id, &err);
  json_decref(body); /* in's strings are the body's */
  if (rc) return http_write_failed(r, rc, &p, &err);
  fund_programme pg;
  if (fund_programme_get(r->db, id, &r->mem, &pg)) return http_internal(r, db_errmsg(r->db));
  json_t *o = fund_programme_json(&pg);
  json_object_set_new(o, "batches", json_array());
  return http_json(r, 201, o);
}

int h_fund_programme_run(http_req *r) {
  json_t *body = http_body_json(r);
  if (!body) return 0;
  json_t *yj = json_object_get(body, "year");
  int year = json_is_integer(yj) ? (int)json_integer_value(yj) : 0;
  json_decref(body);
  if (!year)
    return http_error(r, 400, "missing_parameter", "year",
                      "year (a number such as 2025) is required", "Thiếu năm (ví dụ 2025).");
  /* {id} is the programme's id or its code, and the programme is the fund's */
  fund_programme pg;
  int64_t pid = path_id(r->params[1]);
  int rc = pid ? fund_programme_get(r->db, pid, &r->mem, &pg)
               : fund_programme_find(r->db, r->params[1], &r->mem, &pg);
  if (rc || strcmp(pg.fund_code, r->params[0]))
    return http_error(r, 404, "not_found", "id", "the fund has no such programme",
                      "Quỹ không có chương trình này.");
  app_snapshot *s;
  ht_err err = {0};
  if (app_acquire(r->app, r->db, &s, &err)) return http_internal(r, err.msg);
  issues p;
  issues_init(&p, &r->mem);
  audit_actor who = http_actor(r);
  int64_t batch;
  rc = fund_programme_run(r->db, &who, &s->h, pg.id, year, &p, &batch, &err);
  app_release(r->app, s);
  if (rc) return http_write_failed(r, rc, &p, &err);
  return send_batch(r, 201, batch, NULL);
}

/* ------------------------------------------------------------ batches */

int h_fund_batch_get(http_req *r) {
  int64_t id = path_id(r->params[0]);
  return id ? send_batch(r, 200, id, NULL) : no_batch(r);
}

int h_fund_batch_approve(http_req *r) {
  int64_t id = path_batch(r);
  if (!id) return no_batch(r);
  json_t *body = http_body_json(r);
  if (!body) return 0;
  issues p;
  issues_init(&p, &r->mem);
  /* "drop": the numbers of the items left out */
  json_t *drop = json_object_get(body, "drop");
  size_t ndrop = json_is_array(drop) ? json_array_size(drop) : 0;
  int *items = ndrop ? arena_alloc(&r->mem, ndrop * sizeof *items) : NULL;
  for (size_t i = 0; i < ndrop; i++) {
    json_t *v = json_array_get(drop, i);
    items[i] = json_is_integer(v) ? (int)json_integer_value(v) : 0;
  }
  if (drop && !json_is_array(drop)) {
    issues_add(&p, 0, "drop", "drop is a list of item numbers, e.g. [2, 5]");
    issues_vi(&p, "Danh sách loại bỏ phải là các số thứ tự, ví dụ [2, 5].");
    json_decref(body);
    return http_problems(r, &p);
  }
  fund_batch_approval in = {http_body_str(body, "number"), http_body_str(body, "date"),
                            http_body_str(body, "signer"), items, ndrop};
  ht_err err = {0};
  audit_actor who = http_actor(r);
  int rc = fund_batch_approve(r->db, &who, id, &in, &p, &err);
  json_decref(body);
  if (rc) return http_write_failed(r, rc, &p, &err);
  return send_batch(r, 200, id, NULL);
}

int h_fund_batch_pay(http_req *r) {
  int64_t id = path_batch(r);
  if (!id) return no_batch(r);
  json_t *body = http_body_json(r);
  if (!body) return 0;
  issues p;
  issues_init(&p, &r->mem);
  fund_batch_payment in = {http_body_str(body, "date"), http_body_str(body, "method")};
  ht_err err = {0};
  audit_actor who = http_actor(r);
  int64_t *entries;
  size_t n;
  int rc = fund_batch_pay(r->db, &who, id, &in, &p, &r->mem, &entries, &n, &err);
  json_decref(body);
  if (rc) return http_write_failed(r, rc, &p, &err);
  fund_batch b;
  fund f;
  if (fund_batch_head(r->db, id, &r->mem, &b) || fund_get(r->db, b.fund_code, &r->mem, &f))
    return http_internal(r, db_errmsg(r->db));
  json_t *ids = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(ids, json_sprintf("%lld", (long long)entries[i]));
  return send_batch(r, 200, id,
                    json_pack("{soso}", "entries", ids, "balance", json_integer(f.balance)));
}

int h_fund_batch_cancel(http_req *r) {
  int64_t id = path_batch(r);
  if (!id) return no_batch(r);
  json_t *body = http_body_json(r);
  if (!body) return 0;
  issues p;
  issues_init(&p, &r->mem);
  ht_err err = {0};
  audit_actor who = http_actor(r);
  int rc = fund_batch_cancel(r->db, &who, id, http_body_str(body, "reason"), &p, &err);
  json_decref(body);
  if (rc) return http_write_failed(r, rc, &p, &err);
  return send_batch(r, 200, id, NULL);
}
