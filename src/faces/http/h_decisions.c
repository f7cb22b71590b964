/* h_decisions.c - recognition decisions and the workflow settings (docs/workflow.md):
 *   GET  /api/v1/decisions?year=Y[&unit=U]        decisions of units in the caller's area
 *   POST /api/v1/decisions                        record a decision (a batch of records)
 *   GET  /api/v1/decisions/{id}                   one decision with its certificates
 *   GET  /api/v1/settings/workflow                the settings in force (text)
 *   PUT  /api/v1/settings/workflow                replace them (body: the text), or DELETE
 *                                                 to go back to the shipped default */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "criteria/crit_defaults.h"
#include "faces/http/http.h"
#include "model/records.h"
#include "model/workflow.h"
#include "services/evaluation.h"

static int internal(http_req *r, const char *why) {
  return http_error(r, 500, "internal", NULL, why,
                    "Lỗi máy chủ; vui lòng thử lại hoặc báo quản trị viên.");
}

json_t *http_decision_json(http_req *r, const wf_decision *d) {
  char id[24];
  snprintf(id, sizeof id, "%lld", (long long)d->id);
  json_t *o =
      json_pack("{sssssissssssssssssssssss}", "id", id, "title", d->title, "year", d->year, "unit",
                d->unit_code, "number", d->number, "signed_on", d->signed_on, "issuer", d->issuer,
                "issuer_parent", d->issuer_parent, "place", d->place_name, "signer_name",
                d->signer_name, "signer_position", d->signer_position, "created_by", d->created_by);
  json_object_set_new(o, "created_at", json_string(http_iso_time(d->created_at, &r->mem)));
  json_object_set_new(o, "recognised", json_integer(d->recognised));
  json_object_set_new(o, "not_recognised", json_integer(d->not_recognised));
  json_object_set_new(o, "revoked", json_integer(d->revoked));
  return o;
}

static int decision_in_area(void *ctx, const char *unit) {
  http_req *r = ctx;
  return http_in_scope(r, unit, r->day);
}

int h_decisions_list(http_req *r) {
  const char *y = http_query(r, "year");
  int year = y && *y ? atoi(y) : 0;
  if (y && *y && (year < 2000 || year > 2100))
    return http_error(r, 400, "bad_parameter", "year", "year must be a year such as 2025",
                      "Tham số year phải là một năm, ví dụ 2025.");
  r->day = date_today();
  wf_decision *list;
  size_t n;
  if (wf_decision_list(r->db, year, decision_in_area, r, &r->mem, &list, &n))
    return internal(r, db_errmsg(r->db));
  json_t *rows = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(rows, http_decision_json(r, &list[i]));
  return http_json(r, 200, json_pack("{so}", "decisions", rows));
}

typedef struct verdict_ctx {
  engine *e;
  int title;
} verdict_ctx;

/* The level reached (levels titles) or 1 when a points title is met; 0 not met. */
static int verdict(void *ctx, const rec_target *t) {
  verdict_ctx *v = ctx;
  if (!v->e || v->title < 0) return 0;
  int32_t j = eng_find(v->e, t->title->entity, t->display);
  if (j < 0) return 0;
  eng_result res;
  eng_result_of(v->e, v->title, j, &res);
  if (!res.recognised) return 0;
  return t->title->levels ? (res.level > 0 ? res.level : 1) : 1;
}

typedef struct within_ctx {
  const hier *h;
  const char *unit;
  int32_t day;
} within_ctx;

static int within(void *ctx, const char *place) {
  within_ctx *w = ctx;
  return acl_covers(w->h, w->unit, place, w->day);
}

/* POST /api/v1/decisions {"title","year","unit","number","signed_on","signer_name",
 * "signer_position"?, "issuer"?, "issuer_parent"?, "entities":[codes] | "all_accepted": true,
 * "not_recognised":[{"entity","reason"}]} */
int h_decision_create(http_req *r) {
  json_t *body = http_body_json(r);
  if (!body) return 0;
  const char *title = json_string_value(json_object_get(body, "title"));
  json_t *yj = json_object_get(body, "year");
  int year = json_is_integer(yj) ? (int)json_integer_value(yj) : 0;
  const char *unit = json_string_value(json_object_get(body, "unit"));
  if (!title || year < 2000 || year > 2100 || !unit) {
    json_decref(body);
    return http_error(r, 400, "missing_parameter",
                      !title  ? "title"
                      : !unit ? "unit"
                              : "year",
                      "title, year (a number such as 2025) and unit are required",
                      "Thiếu danh hiệu, năm hoặc đơn vị ra quyết định.");
  }
  app_snapshot *s;
  ht_err err = {0};
  if (app_acquire(r->app, r->db, &s, &err)) {
    json_decref(body);
    return internal(r, err.msg);
  }
  engine *e = NULL;
  if (app_engine(r->app, s, r->db, year, &e, &err)) {
    app_release(r->app, s);
    json_decref(body);
    return internal(r, err.msg);
  }
  wf_config cfg;
  if (wf_config_load(r->db, &r->app->criteria, &cfg, &err)) {
    app_engine_done(s);
    app_release(r->app, s);
    json_decref(body);
    return internal(r, err.msg);
  }
  within_ctx w = {&s->h, unit, date_from_ymd(year, 12, 31)};
  /* the entries: listed, or every accepted record of the unit */
  wf_decide_entry *entries = NULL;
  size_t n = 0;
  json_t *list = json_object_get(body, "entities");
  json_t *notrec = json_object_get(body, "not_recognised");
  size_t cap = (json_is_array(list) ? json_array_size(list) : 0) +
               (json_is_array(notrec) ? json_array_size(notrec) : 0);
  const char **accepted = NULL;
  size_t naccepted = 0;
  if (json_is_true(json_object_get(body, "all_accepted"))) {
    if (wf_accepted(r->db, title, year, within, &w, &r->mem, &accepted, &naccepted) != HT_OK)
      naccepted = 0;
    cap += naccepted;
  }
  entries = arena_calloc(&r->mem, (cap + 1) * sizeof *entries);
  int excluded_listed = 0;
  for (size_t i = 0; json_is_array(notrec) && i < json_array_size(notrec); i++) {
    json_t *x = json_array_get(notrec, i);
    const char *ent = json_string_value(json_object_get(x, "entity"));
    entries[n++] = (wf_decide_entry){
        ent ? arena_strdup(&r->mem, ent) : "", 0,
        json_string_value(json_object_get(x, "reason"))
            ? arena_strdup(&r->mem, json_string_value(json_object_get(x, "reason")))
            : NULL};
    excluded_listed = 1;
  }
  size_t nnot = n;
  for (size_t i = 0; json_is_array(list) && i < json_array_size(list); i++) {
    const char *ent = json_string_value(json_array_get(list, i));
    entries[n++] = (wf_decide_entry){ent ? arena_strdup(&r->mem, ent) : "", 1, NULL};
  }
  for (size_t i = 0; i < naccepted; i++) {
    /* accepted records are stored by entity key: persons by id, written P<id> */
    const crit_title *ct = crit_in_force(&r->app->criteria, title, year, (int)db_prov(r->db));
    const char *code =
        ct && ct->entity == CRIT_PERSON ? arena_sprintf(&r->mem, "P%s", accepted[i]) : accepted[i];
    int skip = 0;
    for (size_t k = 0; k < nnot && !skip; k++) skip = !strcmp(entries[k].entity, code);
    if (!skip) entries[n++] = (wf_decide_entry){code, 1, NULL};
  }
  (void)excluded_listed;
  verdict_ctx v = {e, eng_title_find(e, title)};
  wf_decide_in in = {
      .set = &r->app->criteria,
      .cfg = &cfg,
      .title = title,
      .year = year,
      .unit_code = unit,
      .number = json_string_value(json_object_get(body, "number")),
      .signed_on = json_string_value(json_object_get(body, "signed_on")),
      .signer_name = json_string_value(json_object_get(body, "signer_name")),
      .signer_position = json_string_value(json_object_get(body, "signer_position")),
      .issuer = json_string_value(json_object_get(body, "issuer")),
      .issuer_parent = json_string_value(json_object_get(body, "issuer_parent")),
      .entries = entries,
      .n = n,
      .verdict = verdict,
      .verdict_ctx = &v,
      .within = within,
      .within_ctx = &w,
  };
  issues p;
  issues_init(&p, &r->mem);
  audit_actor who = http_actor(r);
  int64_t id = 0, gen = db_data_version(r->db);
  int rc = wf_decide(r->db, &who, &in, &p, &id, &err);
  app_engine_done(s);
  app_release(r->app, s);
  wf_config_free(&cfg);
  if (rc == HT_EINVAL) {
    json_decref(body);
    return http_problems(r, &p);
  }
  if (rc) {
    json_decref(body);
    return internal(r, err.msg);
  }
  /* the records changed stage only: keep the loaded engine (values unchanged) */
  app_record_change *ch = arena_calloc(&r->mem, (n + 1) * sizeof *ch);
  size_t nch = 0;
  for (size_t i = 0; i < n; i++) {
    rec_target t;
    ht_err e2 = {0};
    if (rec_target_resolve(r->db, &r->app->criteria, title, year, entries[i].entity, &t, &e2) ==
        HT_OK)
      ch[nch++] =
          (app_record_change){arena_strdup(&r->mem, t.title->key), arena_strdup(&r->mem, t.entity)};
  }
  app_apply_records(r->app, r->db, gen, year, ch, nch);
  json_decref(body);
  wf_decision d;
  if (wf_decision_get(r->db, id, &r->mem, &d)) return internal(r, db_errmsg(r->db));
  return http_json(r, 201, http_decision_json(r, &d));
}

int h_decision_get(http_req *r) {
  char *end;
  long long id = strtoll(r->params[0], &end, 10);
  wf_decision d;
  if (*end || wf_decision_get(r->db, id, &r->mem, &d) != HT_OK)
    return http_error(r, 404, "not_found", "id", "no such decision",
                      "Không tìm thấy quyết định này.");
  json_t *o = http_decision_json(r, &d);
  wf_certificate *c;
  size_t n;
  if (wf_certificates_of(r->db, d.id, &r->mem, &c, &n)) return internal(r, db_errmsg(r->db));
  json_t *certs = json_array();
  for (size_t i = 0; i < n; i++) {
    json_t *x = json_pack("{sssssssssi}", "code", c[i].code, "entity", c[i].entity, "recipient",
                          c[i].recipient, "address", c[i].address, "level", c[i].level);
    json_object_set_new(x, "valid_until",
                        *c[i].valid_until ? json_string(c[i].valid_until) : json_null());
    json_object_set_new(x, "revoked", json_boolean(c[i].revoked_at != 0));
    json_array_append_new(certs, x);
  }
  json_object_set_new(o, "certificates", certs);
  return http_json(r, 200, o);
}

/* ------------------------------------------------------------ settings */

int h_settings_workflow_get(http_req *r) {
  wf_config c;
  ht_err err = {0};
  if (wf_config_load(r->db, &r->app->criteria, &c, &err)) return internal(r, err.msg);
  size_t len;
  const char *def = wf_config_default_text(&len);
  json_t *o = json_pack("{sssb}", "text", c.text, "default", !strcmp(c.text, def));
  wf_config_free(&c);
  return http_json(r, 200, o);
}

int h_settings_workflow_put(http_req *r) {
  json_t *body = http_body_json(r);
  if (!body) return 0;
  const char *text = json_string_value(json_object_get(body, "text"));
  if (!text) {
    json_decref(body);
    return http_error(r, 400, "missing_parameter", "text", "send {\"text\": the settings file}",
                      "Thiếu nội dung cấu hình.");
  }
  issues p;
  issues_init(&p, &r->mem);
  p.file = "workflow";
  ht_err err = {0};
  audit_actor who = http_actor(r);
  int rc = wf_config_store(r->db, &who, &r->app->criteria, text, strlen(text), &p, &err);
  json_decref(body);
  if (rc == HT_EINVAL) return http_problems(r, &p);
  if (rc) return internal(r, err.msg);
  return h_settings_workflow_get(r);
}

int h_settings_workflow_delete(http_req *r) {
  ht_err err = {0};
  audit_actor who = http_actor(r);
  if (wf_config_reset(r->db, &who, &err)) return internal(r, err.msg);
  return h_settings_workflow_get(r);
}
