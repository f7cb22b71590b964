/* h_workflow.c - one record's page and its workflow (docs/workflow.md, docs/api.md):
 *   GET  /api/v1/record?title=T&year=Y&code=C          the record, its form, results, actions
 *   PUT  /api/v1/record?...                            save registration, form group, values
 *   POST /api/v1/record/preview?...                    results of unsaved values (nothing saved)
 *   POST /api/v1/record/submit|accept|return|unlock?...  the workflow's steps
 *   POST /api/v1/evidence?...&item=K&note=N&name=F     attach a file (the body) as evidence
 *   GET  /api/v1/workflow/records?title=T&year=Y&stage=S[&unit=U]   the records of a stage
 *   GET  /api/v1/tasks?year=Y                          what waits in the caller's area
 * Every write is checked against the record's stage, audited, and put into
 * the server's loaded engine at once (app_apply_records), so pages show the
 * new results without a reload. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/date.h"
#include "criteria/crit_defaults.h"
#include "faces/http/http.h"
#include "model/records.h"
#include "model/registry.h"
#include "model/workflow.h"
#include "services/evaluation.h"
#include "base/vtext.h"

static int internal(http_req *r, const char *why) {
  return http_error(r, 500, "internal", NULL, why,
                    "Lỗi máy chủ; vui lòng thử lại hoặc báo quản trị viên.");
}

static const char *lang_of(http_req *r) {
  const char *l = http_query(r, "lang");
  return l && !strcmp(l, "en") ? "en" : "vi";
}

/* ?title=&year=&code= into t; 0 with the error sent. */
static int target_of(http_req *r, rec_target *t) {
  int year;
  if (!http_year_param(r, &year)) return 0;
  const char *title = http_query(r, "title"), *code = http_query(r, "code");
  if (!title || !*title || !code || !*code)
    return http_error(r, 400, "missing_parameter", !title || !*title ? "title" : "code",
                      "title and code are required",
                      "Thiếu tham số title (danh hiệu) hoặc code (mã đối tượng)."),
           0;
  ht_err err = {0};
  int rc = rec_target_resolve(r->db, &r->app->criteria, title, year, code, t, &err);
  if (rc == HT_ENOTFOUND)
    return http_error(
               r, 404, "entity_not_found", "code", err.msg,
               arena_sprintf(&r->mem, "Không tìm thấy đối tượng '%s' trong năm %d.", code, year)),
           0;
  if (rc == HT_EINVAL)
    return http_error(
               r, 422, "invalid", "code", err.msg,
               arena_sprintf(&r->mem, "Không lập được hồ sơ danh hiệu này cho '%s' trong năm %d.",
                             code, year)),
           0;
  if (rc) return internal(r, err.msg), 0;
  return 1;
}

static const char *input_key(crit_input in) {
  switch (in) {
    case INPUT_YESNO: return "yesno";
    case INPUT_PERCENT: return "percent";
    case INPUT_LEVEL: return "level";
    case INPUT_NUMBER: return "number";
    default: return "derived";
  }
}

static json_t *num(double v) {
  if (isnan(v)) return json_null();
  if (v == floor(v) && fabs(v) < 1e15) return json_integer((json_int_t)v);
  return json_real(round(v * 1e6) / 1e6);
}

static json_t *due_json(const wf_title_cfg *tc, int year) {
  json_t *o = json_object();
  for (int step = 0; step < WF_STEPS; step++) {
    int32_t day = wf_due(tc, step, year);
    char buf[11];
    json_object_set_new(o, wf_step_key(step),
                        day < 0 ? json_null() : json_string(date_format(day, buf)));
  }
  return o;
}

static json_t *cert_json(const wf_certificate *c) {
  json_t *o = json_pack("{sssssssisi}", "code", c->code, "recipient", c->recipient, "address",
                        c->address, "year", c->year, "level", c->level);
  json_object_set_new(o, "valid_until",
                      *c->valid_until ? json_string(c->valid_until) : json_null());
  char id[24];
  snprintf(id, sizeof id, "%lld", (long long)c->decision_id);
  json_object_set_new(o, "decision_id", json_string(id));
  json_object_set_new(o, "revoked", json_boolean(c->revoked_at != 0));
  json_object_set_new(o, "revoked_reason",
                      *c->revoked_reason ? json_string(c->revoked_reason) : json_null());
  return o;
}

/* The record's whole page: the stored record, the form generated from the
 * criteria in force, the evidence, the certificate, the deadlines, what the
 * caller may do, and (when the engine knows the entity) the results. */
static json_t *record_json(http_req *r, const rec_target *t, json_t *explain) {
  rec_record rec;
  if (rec_get(r->db, t, &r->mem, &rec) != HT_OK) return NULL;
  json_t *o = json_pack("{sssssssi}", "title", t->title->key, "code", t->display, "name", t->label,
                        "year", t->year);
  json_object_set_new(o, "place", json_string(t->place));
  json_object_set_new(o, "title_name",
                      json_string(t->title->name ? t->title->name : t->title->key));
  json_object_set_new(o, "title_name_en",
                      json_string(t->title->name_en ? t->title->name_en : t->title->key));
  json_object_set_new(o, "entity", json_string(crit_entity_name(t->title->entity)));
  json_object_set_new(o, "levels", json_integer(t->title->levels));
  json_object_set_new(o, "requires_registration", json_boolean(t->title->requires_registration));
  json_object_set_new(o, "evidence_required", json_boolean(t->title->evidence_required));
  json_object_set_new(o, "has_form_group",
                      json_boolean(!strcmp(t->title->key, REC_FORM_GROUP_TITLE)));
  json_object_set_new(o, "valid_months", json_integer(t->title->valid_months));
  json_object_set_new(o, "stage", json_string(rec.stage));
  json_object_set_new(
      o, "locked",
      json_boolean(!strcmp(rec.stage, "recognised") || !strcmp(rec.stage, "not-recognised")));
  json_object_set_new(o, "comment", json_string(rec.comment));
  json_object_set_new(o, "registered_on",
                      rec.registered_on[0] ? json_string(rec.registered_on) : json_null());
  json_object_set_new(o, "form_group", rec.form_group ? json_integer(rec.form_group) : json_null());
  json_object_set_new(
      o, "updated_at",
      rec.exists ? json_string(http_iso_time(rec.updated_at, &r->mem)) : json_null());
  /* the form: every item of the version in force, entered or derived */
  rec_evidence *ev;
  size_t nev;
  if (rec_evidence_list(r->db, t, &r->mem, &ev, &nev) != HT_OK) nev = 0;
  json_t *groups = json_array();
  for (const crit_group *g = t->title->groups; g; g = g->next)
    json_array_append_new(groups, json_pack("{ssss}", "key", g->key, "text", g->text));
  json_object_set_new(o, "groups", groups);
  json_t *items = json_array();
  for (const crit_item *it = t->title->items; it; it = it->next) {
    json_t *ij = json_pack("{ssssssss}", "key", it->key, "text", it->text, "input",
                           input_key(it->input), "group", it->group ? it->group : "");
    if (it->input == INPUT_LEVEL || it->input == INPUT_NUMBER) {
      json_object_set_new(ij, "min", json_integer(it->input_min));
      json_object_set_new(ij, "max", json_integer(it->input_max));
    }
    json_object_set_new(ij, "points", num(t->title->levels ? NAN : it->max_points));
    double v;
    json_object_set_new(ij, "value",
                        rec_vals_get(rec.vals, it->key, &v) == 1 ? num(v) : json_null());
    json_t *list = json_array();
    for (size_t i = 0; i < nev; i++) {
      if (strcmp(ev[i].item, it->key) != 0) continue;
      json_t *e = json_pack("{ss}", "note", ev[i].note);
      json_object_set_new(e, "file_name",
                          ev[i].file_name ? json_string(ev[i].file_name) : json_null());
      json_object_set_new(e, "size", json_integer(ev[i].size));
      json_object_set_new(e, "at", json_string(http_iso_time(ev[i].created_at, &r->mem)));
      json_array_append_new(list, e);
    }
    json_object_set_new(ij, "evidence", list);
    json_array_append_new(items, ij);
  }
  json_object_set_new(o, "items", items);
  /* the certificate of this year, and a recognition still valid from before */
  wf_certificate c;
  json_object_set_new(
      o, "certificate",
      wf_certificate_of_record(r->db, t->title->key, t->year, t->entity, &r->mem, &c) == HT_OK
          ? cert_json(&c)
          : json_null());
  char signed_on[11];
  json_t *holding = json_null();
  if (t->title->valid_months > 12 &&
      wf_holding(r->db, t->title->key, t->year, t->entity, &r->mem, &c, signed_on) == HT_OK &&
      *c.valid_until) {
    char year_start[11];
    snprintf(year_start, sizeof year_start, "%04d-01-01", t->year);
    if (strcmp(c.valid_until, year_start) >= 0) {
      holding = cert_json(&c);
      json_object_set_new(holding, "signed_on", json_string(signed_on));
    }
  }
  json_object_set_new(o, "holding", holding);
  /* deadlines and actions */
  wf_config cfg;
  ht_err err = {0};
  if (wf_config_load(r->db, &r->app->criteria, &cfg, &err) == HT_OK) {
    json_object_set_new(o, "due", due_json(wf_config_title(&cfg, t->title->key), t->year));
    wf_config_free(&cfg);
  }
  int editable = rec_stage_editable(rec.stage);
  json_t *can = json_object();
  json_object_set_new(can, "edit", json_boolean(editable && http_can(r, ACL_RECORDS_WRITE)));
  json_object_set_new(can, "submit", json_boolean(editable && http_can(r, ACL_RECORDS_WRITE)));
  json_object_set_new(
      can, "accept",
      json_boolean(!strcmp(rec.stage, "submitted") && http_can(r, ACL_RECORDS_REVIEW)));
  json_object_set_new(
      can, "return",
      json_boolean((!strcmp(rec.stage, "submitted") || !strcmp(rec.stage, "accepted")) &&
                   http_can(r, ACL_RECORDS_REVIEW)));
  json_object_set_new(
      can, "unlock",
      json_boolean((!strcmp(rec.stage, "recognised") || !strcmp(rec.stage, "not-recognised")) &&
                   http_can(r, ACL_RECORDS_APPROVE)));
  json_object_set_new(o, "can", can);
  json_t *name = explain ? json_object_get(explain, "name") : NULL;
  if (json_is_string(name)) json_object_set(o, "name", name);
  json_object_set_new(o, "results", explain ? explain : json_null());
  return o;
}

/* The engine's explanation of t now (NULL when the engine does not know the
 * entity, e.g. a household registered since it was loaded). */
static json_t *explain_now(http_req *r, const rec_target *t) {
  app_snapshot *s;
  ht_err err = {0};
  if (app_acquire(r->app, r->db, &s, &err)) return NULL;
  engine *e;
  json_t *o = NULL;
  if (app_engine(r->app, s, r->db, t->year, &e, &err) == HT_OK) {
    int ti = eng_title_find(e, t->title->key);
    int32_t j = ti < 0 ? -1 : eng_find(e, t->title->entity, t->display);
    if (j >= 0) o = http_explain_json(r, e, &s->h, ti, j, lang_of(r));
    app_engine_done(s);
  }
  app_release(r->app, s);
  return o;
}

int h_record_get(http_req *r) {
  rec_target t;
  if (!target_of(r, &t)) return 0;
  json_t *o = record_json(r, &t, explain_now(r, &t));
  return o ? http_json(r, 200, o) : internal(r, "cannot read the record");
}

/* After a committed write of t (and others): keep the loaded engine current. */
static void apply(http_req *r, int64_t generation_before, const rec_target *t) {
  app_record_change ch = {t->title->key, t->entity};
  app_apply_records(r->app, r->db, generation_before, t->year, &ch, 1);
}

/* values {"KEY": "text" | number | bool | null} into "KEY=text" assignments. */
static int assignments_of(http_req *r, json_t *values, const char ***out, size_t *n) {
  *n = 0;
  *out = NULL;
  if (!values || json_is_null(values)) return 1;
  if (!json_is_object(values))
    return http_error(r, 400, "bad_body", "values", "values must be an object of item: value",
                      "Dữ liệu gửi lên không hợp lệ (values)."),
           0;
  *out = arena_calloc(&r->mem, (json_object_size(values) + 1) * sizeof **out);
  const char *key;
  json_t *v;
  json_object_foreach(values, key, v) {
    const char *text;
    if (json_is_null(v))
      text = "";
    else if (json_is_string(v))
      text = json_string_value(v);
    else if (json_is_true(v))
      text = "1";
    else if (json_is_false(v))
      text = "0";
    else if (json_is_integer(v))
      text = arena_sprintf(&r->mem, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
      text = arena_sprintf(&r->mem, "%.10g", json_real_value(v));
    else
      return http_error(r, 400, "bad_body", key, "a value must be text, a number or true/false",
                        "Giá trị không hợp lệ."),
             0;
    (*out)[(*n)++] = arena_sprintf(&r->mem, "%s=%s", key, text);
  }
  return 1;
}

/* The body's change: {"registered": bool, "registered_on": "YYYY-MM-DD", "form_group": N,
 * "values": {...}}. */
static int change_of(http_req *r, json_t *body, int year, rec_change *ch) {
  memset(ch, 0, sizeof *ch);
  json_t *reg = json_object_get(body, "registered");
  const char *on = json_string_value(json_object_get(body, "registered_on"));
  if (json_is_false(reg)) {
    ch->registration = REC_REG_CLEAR;
  } else if (json_is_true(reg) || on) {
    ch->registration = REC_REG_SET;
    /* no date: today, or the last day of the year when registering for a past year */
    char *day = arena_alloc(&r->mem, 11);
    int32_t d = date_today(), last = date_from_ymd(year, 12, 31);
    ch->registered_on = on && *on ? on : date_format(d > last ? last : d, day);
  }
  json_t *g = json_object_get(body, "form_group");
  if (g && !json_is_null(g)) {
    ch->set_form_group = 1;
    ch->form_group = json_is_integer(g) ? (int)json_integer_value(g) : -1;
  }
  const char **as;
  size_t n;
  if (!assignments_of(r, json_object_get(body, "values"), &as, &n)) return 0;
  ch->assignments = as;
  ch->nassignments = n;
  return 1;
}

/* A registration of a title still held is refused (wf_registration_check).
 * 1 when allowed; 0 with 422 sent. */
static int registration_allowed(http_req *r, const rec_target *t, const rec_change *ch) {
  if (ch->registration != REC_REG_SET) return 1;
  issues p;
  issues_init(&p, &r->mem);
  if (wf_registration_check(r->db, &r->app->criteria, t, ch->registered_on, &p) == HT_OK) return 1;
  http_problems(r, &p);
  return 0;
}

int h_record_put(http_req *r) {
  rec_target t;
  if (!target_of(r, &t)) return 0;
  json_t *body = http_body_json(r);
  if (!body) return 0;
  rec_change ch;
  if (!change_of(r, body, t.year, &ch) || !registration_allowed(r, &t, &ch)) {
    json_decref(body);
    return 0;
  }
  issues p;
  issues_init(&p, &r->mem);
  ht_err err = {0};
  audit_actor who = http_actor(r);
  int64_t gen = db_data_version(r->db);
  int rc = rec_set(r->db, &who, &t, &ch, &p, &err);
  json_decref(body);
  if (rc == HT_EINVAL) return http_problems(r, &p);
  if (rc) return internal(r, err.msg);
  apply(r, gen, &t);
  json_t *o = record_json(r, &t, explain_now(r, &t));
  return o ? http_json(r, 200, o) : internal(r, "cannot read the record");
}

/* The results the draft values would give: put into the engine, explained,
 * and the stored record put back, under the engine's lock. Nothing is saved. */
int h_record_preview(http_req *r) {
  rec_target t;
  if (!target_of(r, &t)) return 0;
  json_t *body = http_body_json(r);
  if (!body) return 0;
  rec_change ch;
  if (!change_of(r, body, t.year, &ch)) {
    json_decref(body);
    return 0;
  }
  json_decref(body);
  rec_record rec;
  if (rec_get(r->db, &t, &r->mem, &rec) != HT_OK) return internal(r, "cannot read the record");
  /* the draft as the record would store it: each assignment parsed like a save */
  issues p;
  issues_init(&p, &r->mem);
  size_t cap = ch.nassignments + 1;
  for (const char *c = rec.vals; *c; c++) cap += *c == ';';
  rec_val *vals = arena_calloc(&r->mem, (cap) * sizeof *vals);
  size_t n = 0;
  const char *cur = rec.vals;
  char key[REC_KEY_MAX];
  double v;
  while (rec_vals_next(&cur, key, sizeof key, &v) == 1)
    vals[n++] = (rec_val){arena_strdup(&r->mem, key), v};
  for (size_t i = 0; i < ch.nassignments; i++) {
    const char *eq = strchr(ch.assignments[i], '=');
    const char *k = arena_strndup(&r->mem, ch.assignments[i], (size_t)(eq - ch.assignments[i]));
    const crit_item *it = rec_item_find(t.title, k);
    size_t j = 0;
    while (j < n && strcmp(vals[j].key, k) != 0) j++;
    if (!eq[1]) { /* cleared */
      if (j < n) vals[j] = vals[--n];
      continue;
    }
    ht_err e = {0};
    double parsed;
    if (!it || rec_value_parse(it, eq + 1, &parsed, &e) != HT_OK) {
      issues_add(&p, 0, k, "%s", it ? e.msg : "no such item");
      issues_vi(&p, "%s", it ? e.msg_vi : "Không có mục này");
      continue;
    }
    if (j < n)
      vals[j].value = parsed;
    else
      vals[n++] = (rec_val){k, parsed};
  }
  strbuf b = STRBUF_INIT;
  if (rec_vals_format(vals, n, &b) != HT_OK) strbuf_puts(&b, rec.vals);
  int registered = ch.registration == REC_REG_SET     ? 1
                   : ch.registration == REC_REG_CLEAR ? 0
                                                      : rec.registered_on[0] != 0;
  int group = ch.set_form_group ? ch.form_group : rec.form_group;
  if (group < 0 || group > 4) group = rec.form_group;

  app_snapshot *s;
  ht_err err = {0};
  if (app_acquire(r->app, r->db, &s, &err)) {
    strbuf_free(&b);
    return internal(r, err.msg);
  }
  engine *e;
  if (app_engine(r->app, s, r->db, t.year, &e, &err)) {
    app_release(r->app, s);
    strbuf_free(&b);
    return internal(r, err.msg);
  }
  int ti = eng_title_find(e, t.title->key);
  int32_t j = ti < 0 ? -1 : eng_find(e, t.title->entity, t.display);
  json_t *o = NULL;
  if (j >= 0) {
    eng_put_record(e, t.title->key, j, registered, group, strbuf_cstr(&b), NULL);
    eng_flush(e);
    o = http_explain_json(r, e, &s->h, ti, j, lang_of(r));
    eng_put_record(e, t.title->key, j, rec.registered_on[0] != 0, rec.form_group, rec.vals, NULL);
    eng_flush(e);
  }
  app_engine_done(s);
  app_release(r->app, s);
  strbuf_free(&b);
  if (!o)
    return http_error(r, 409, "not_loaded", "code",
                      "the entity is not in the year's results yet (registered since they were "
                      "loaded); reload the page",
                      "Đối tượng chưa có trong kết quả của năm; hãy tải lại trang.");
  json_t *list = json_array();
  for (long i = 0; i < p.kept; i++)
    json_array_append_new(
        list, json_pack("{s:s?,s:s,s:s}", "field", p.items[i].field, "msg_en", p.items[i].msg,
                        "msg_vi", p.items[i].msg_vi ? p.items[i].msg_vi : p.items[i].msg));
  return http_json(r, 200, json_pack("{s:o,s:o}", "results", o, "problems", list));
}

/* submit / accept / return / unlock */
static int step(http_req *r, const char *which) {
  rec_target t;
  if (!target_of(r, &t)) return 0;
  json_t *body = r->body_in && r->body_in_len ? http_body_json(r) : json_object();
  if (!body) return 0;
  const char *comment = json_string_value(json_object_get(body, "comment"));
  if (!comment) comment = json_string_value(json_object_get(body, "reason"));
  audit_actor who = http_actor(r);
  ht_err err = {0};
  issues p;
  issues_init(&p, &r->mem);
  int64_t gen = db_data_version(r->db);
  int rc;
  if (!strcmp(which, "submit"))
    rc = wf_submit(r->db, &who, &t, &p, &err);
  else if (!strcmp(which, "unlock"))
    rc = wf_unlock(r->db, &who, &t, comment, &err);
  else
    rc = wf_review(r->db, &who, &t, !strcmp(which, "accept"), comment, &err);
  json_decref(body);
  if (rc == HT_EINVAL && p.kept) return http_problems(r, &p);
  if (rc == HT_EINVAL || rc == HT_ECONFLICT)
    return http_error(r, rc == HT_EINVAL ? 422 : 409, rc == HT_EINVAL ? "invalid" : "wrong_stage",
                      !strcmp(which, "unlock") ? "reason" : "comment", err.msg,
                      err.msg_vi[0] ? err.msg_vi : err.msg);
  if (rc) return internal(r, err.msg);
  apply(r, gen, &t);
  json_t *o = record_json(r, &t, explain_now(r, &t));
  return o ? http_json(r, 200, o) : internal(r, "cannot read the record");
}

int h_record_submit(http_req *r) {
  return step(r, "submit");
}
int h_record_accept(http_req *r) {
  return step(r, "accept");
}
int h_record_return(http_req *r) {
  return step(r, "return");
}
int h_record_unlock(http_req *r) {
  return step(r, "unlock");
}

/* POST /api/v1/evidence: the body is the file (a PDF, PNG or JPEG of at most
 * 10 MiB), streamed to a temporary file by the server. */
int h_evidence_add(http_req *r) {
  rec_target t;
  if (!target_of(r, &t)) return 0;
  const char *item = http_query(r, "item"), *note = http_query(r, "note"),
             *name = http_query(r, "name");
  if (!item || !*item)
    return http_error(r, 400, "missing_parameter", "item", "item is required",
                      "Chưa chọn mục (tiêu chí) của minh chứng.");
  void *data = NULL;
  size_t size = 0;
  if (r->upload_path && r->upload_len) {
    if (r->upload_len > REC_EVIDENCE_MAX_BYTES)
      return http_error(r, 413, "file_too_large", "file",
                        "an evidence file may be at most 10 MiB; scan at a lower resolution",
                        "Tệp minh chứng tối đa 10 MB; hãy quét với độ phân giải thấp hơn.");
    FILE *f = fopen(r->upload_path, "rb");
    data = f ? malloc(r->upload_len) : NULL;
    if (!f || !data || fread(data, 1, r->upload_len, f) != r->upload_len) {
      if (f) fclose(f);
      free(data);
      return internal(r, "cannot read the uploaded file");
    }
    fclose(f);
    size = r->upload_len;
  }
  audit_actor who = http_actor(r);
  ht_err err = {0};
  int64_t id = 0, gen = db_data_version(r->db);
  int rc = rec_evidence_add(r->db, &who, &t, item, note,
                            data ? (name && *name ? name : "tep") : NULL, data, size, &id, &err);
  free(data);
  if (rc == HT_EINVAL || rc == HT_ELIMIT)
    return http_error(r, 422, "invalid", "file", err.msg,
                      err.msg_vi[0] ? err.msg_vi
                                    : arena_sprintf(&r->mem,
                                                    "Minh chứng không hợp lệ: chỉ nhận tệp PDF, "
                                                    "PNG hoặc JPEG tối đa 10 MB, kèm ghi chú (%s)",
                                                    err.msg));
  if (rc == HT_ECONFLICT)
    return http_error(r, 409, "wrong_stage", NULL, err.msg, err.msg_vi[0] ? err.msg_vi : err.msg);
  if (rc) return internal(r, err.msg);
  apply(r, gen, &t);
  json_t *o = record_json(r, &t, explain_now(r, &t));
  return o ? http_json(r, 201, o) : internal(r, "cannot read the record");
}

/* ------------------------------------------------------ lists and tasks */

static int in_area(void *ctx, const char *place) {
  http_req *r = ctx;
  return http_in_scope(r, place, r->day ? r->day : date_today());
}

typedef struct under_ctx {
  const hier *h;
  const char *unit;
  int32_t day;
  http_req *r;
} under_ctx;

/* place at or below the unit asked for, and inside the caller's area */
static int under_unit(void *ctx, const char *place) {
  under_ctx *u = ctx;
  return acl_covers(u->h, u->unit, place, u->day) &&
         acl_covers(u->h, u->r->user->unit_code, place, u->day);
}

static int stage_known(const char *s) {
  static const char *const stages[] = {"open",     "returned",   "submitted",
                                       "accepted", "recognised", "not-recognised"};
  for (size_t i = 0; i < sizeof stages / sizeof stages[0]; i++)
    if (!strcmp(s, stages[i])) return 1;
  return 0;
}

typedef struct row {
  const char *entity, *place, *comment, *code, *name, *key;
  int64_t updated, submitted;
  int32_t j;
} row;

static int row_cmp(const void *a, const void *b) {
  const row *x = a, *y = b;
  int c = strcmp(x->key, y->key);
  return c ? c : strcmp(x->entity, y->entity);
}

/* GET /api/v1/workflow/records?title=&year=&stage=[&unit=][&page=] - the
 * records of one stage at or below a unit, with names and the engine's
 * verdict, 200 a page. */
int h_workflow_records(http_req *r) {
  int year;
  if (!http_year_param(r, &year)) return 0;
  const char *title = http_query(r, "title"), *stage = http_query(r, "stage");
  if (!title || !*title)
    return http_error(r, 400, "missing_parameter", "title", "title is required",
                      "Thiếu tham số title (danh hiệu).");
  if (!stage || !stage_known(stage))
    return http_error(r, 400, "bad_parameter", "stage",
                      "stage must be open, returned, submitted, accepted, recognised or "
                      "not-recognised",
                      "Tham số stage (bước) không hợp lệ.");
  const char *pg = http_query(r, "page");
  long page = pg ? strtol(pg, NULL, 10) : 1;
  if (page < 1) page = 1;
  const long per = 200;
  app_snapshot *s;
  ht_err err = {0};
  if (app_acquire(r->app, r->db, &s, &err)) return internal(r, err.msg);
  under_ctx u = {&s->h, r->unit && *r->unit ? r->unit : r->user->unit_code,
                 date_from_ymd(year, 12, 31), r};
  db_stmt *st;
  int rc = db_prepare(r->db,
                      "SELECT entity, place, comment, updated_at, submitted_at, decision_id FROM "
                      "records WHERE prov = $1 AND year = $2 AND title = $3 AND stage = $4 ORDER "
                      "BY entity",
                      &st);
  if (rc) {
    app_release(r->app, s);
    return internal(r, db_errmsg(r->db));
  }
  db_bind_int64(st, 1, db_prov(r->db));
  db_bind_int64(st, 2, year);
  db_bind_text(st, 3, title);
  db_bind_text(st, 4, stage);
  json_t *rows = json_array();
  row *all = NULL;
  size_t nall = 0, cap = 0;
  while ((rc = db_step(st)) == DB_ROW) {
    if (!under_unit(&u, db_col_text(st, 1))) continue;
    all = arena_grow(&r->mem, all, nall, &cap, sizeof *all);
    all[nall++] = (row){arena_strdup(&r->mem, db_col_text(st, 0)),
                        arena_strdup(&r->mem, db_col_text(st, 1)),
                        arena_strdup(&r->mem, db_col_text(st, 2)),
                        NULL,
                        NULL,
                        NULL,
                        db_col_int64(st, 3),
                        db_col_is_null(st, 4) ? 0 : db_col_int64(st, 4),
                        -1};
  }
  db_finalize(st);
  long total = (long)nall;
  engine *e = NULL;
  if (app_engine(r->app, s, r->db, year, &e, &err) != HT_OK) e = NULL;
  int ti = e ? eng_title_find(e, title) : -1;
  const crit_title *ct = ti >= 0 ? eng_title_at(e, ti) : NULL;
  /* names, then Vietnamese order (persons and household heads by given name first) */
  int flags = ct && (ct->entity == CRIT_PERSON || ct->entity == CRIT_HOUSEHOLD)
                  ? VT_SORT_GIVEN_NAME_FIRST
                  : 0;
  for (size_t i = 0; i < nall; i++) {
    all[i].code = all[i].entity;
    if (ct && ct->entity == CRIT_PERSON) all[i].code = arena_sprintf(&r->mem, "P%s", all[i].entity);
    all[i].j = ct ? eng_find(e, ct->entity, all[i].code) : -1;
    all[i].name =
        all[i].j >= 0 ? evaluation_entity_name(r->db, e, &s->h, ct->entity, all[i].j, &r->mem) : "";
    all[i].key = vt_sort_key_in(&r->mem, all[i].name, flags);
  }
  qsort(all, nall, sizeof *all, row_cmp);
  for (size_t i = (size_t)((page - 1) * per); i < nall && i < (size_t)(page * per); i++) {
    row *x = &all[i];
    json_t *o = json_pack("{ssssssss}", "entity", x->entity, "code", x->code, "place", x->place,
                          "comment", x->comment);
    json_object_set_new(o, "updated_at", json_string(http_iso_time(x->updated, &r->mem)));
    json_object_set_new(
        o, "submitted_at",
        x->submitted ? json_string(http_iso_time(x->submitted, &r->mem)) : json_null());
    if (x->j >= 0) {
      eng_result res;
      eng_result_of(e, ti, x->j, &res);
      json_object_set_new(o, "name", json_string(x->name));
      json_object_set_new(o, "meets", json_boolean(res.recognised));
      json_object_set_new(o, "total", num(res.total));
      json_object_set_new(o, "level", ct->levels ? json_integer(res.level) : json_null());
    } else {
      json_object_set_new(o, "name", json_null());
      json_object_set_new(o, "meets", json_null());
    }
    json_array_append_new(rows, o);
  }
  if (e) app_engine_done(s);
  app_release(r->app, s);
  if (rc < 0) {
    json_decref(rows);
    return internal(r, db_errmsg(r->db));
  }
  return http_json(
      r, 200,
      json_pack("{sssisssisisiso}", "title", title, "year", year, "stage", stage, "total",
                (int)total, "page", (int)page, "per_page", (int)per, "rows", rows));
}

/* GET /api/v1/tasks?year=Y - what waits in the caller's area, per title and
 * stage, with how many are overdue, and certificates about to expire. */
int h_tasks(http_req *r) {
  int year;
  if (!http_year_param(r, &year)) return 0;
  wf_config cfg;
  ht_err err = {0};
  if (wf_config_load(r->db, &r->app->criteria, &cfg, &err)) return internal(r, err.msg);
  wf_task *tasks;
  size_t n;
  r->day = date_from_ymd(year, 12, 31);
  int rc = wf_tasks(r->db, &cfg, year, date_today(), in_area, r, &r->mem, &tasks, &n);
  if (rc) {
    wf_config_free(&cfg);
    return internal(r, db_errmsg(r->db));
  }
  json_t *list = json_array();
  for (size_t i = 0; i < n; i++) {
    /* who acts on it: data entry for open/returned, reviewers, approvers */
    const char *st = tasks[i].stage;
    uint32_t perm = !strcmp(st, "submitted")  ? ACL_RECORDS_REVIEW
                    : !strcmp(st, "accepted") ? ACL_RECORDS_APPROVE
                    : !strcmp(st, "expiring") ? ACL_RECORDS_READ
                                              : ACL_RECORDS_WRITE;
    const crit_title *t =
        crit_in_force(&r->app->criteria, tasks[i].title, year, (int)db_prov(r->db));
    char due[11] = "";
    if (tasks[i].due >= 0) date_format(tasks[i].due, due);
    json_t *o = json_pack("{sssssIsIsb}", "title", tasks[i].title, "stage", st, "count",
                          (json_int_t)tasks[i].count, "overdue", (json_int_t)tasks[i].overdue,
                          "mine", http_can(r, perm));
    json_object_set_new(o, "title_name", json_string(t && t->name ? t->name : tasks[i].title));
    json_object_set_new(o, "title_name_en",
                        json_string(t && t->name_en ? t->name_en : tasks[i].title));
    json_object_set_new(o, "due", *due ? json_string(due) : json_null());
    json_array_append_new(list, o);
  }
  wf_config_free(&cfg);
  char today[11];
  return http_json(r, 200,
                   json_pack("{sissssso}", "year", year, "today", date_format(date_today(), today),
                             "unit", r->user->unit_code, "tasks", list));
}
