/* h_targets.c - the programme targets in force (docs/targets-format.md):
 *   GET    /api/v1/targets               every target set (shipped and imported)
 *   PUT    /api/v1/targets/{name}        import a province's file: {"text": …} (criteria.manage)
 *   DELETE /api/v1/targets/{name}        remove an imported file (criteria.manage)
 * An import is checked with the shipped sets and the other imported files;
 * every problem comes back with its line and nothing changes. */
#include <string.h>

#include "faces/http/http.h"
#include "services/targets_hook.h"

int h_targets_list(http_req *r) {
  app_snapshot *s;
  ht_err err = {0};
  if (app_acquire(r->app, r->db, &s, &err)) return http_internal(r, err.msg);
  json_t *sets = json_array();
  for (const tgt_programme *p = s->targets.set.programmes; p; p = p->next) {
    json_t *o =
        json_pack("{ssssssss}", "key", p->key, "name", p->name ? p->name : p->key, "name_en",
                  p->name_en ? p->name_en : "", "decision", p->decision ? p->decision : "");
    json_object_set_new(o, "decision_date",
                        p->decision_date ? json_string(p->decision_date) : json_null());
    json_object_set_new(o, "province", p->province ? json_integer(p->province) : json_null());
    json_object_set_new(o, "file", json_string(p->file ? p->file : ""));
    json_t *targets = json_array();
    for (const tgt_target *t = p->targets; t; t = t->next) {
      json_t *x = json_pack("{sssisf}", "measure", t->measure, "year", t->year, "value", t->value);
      json_object_set_new(x, "group", t->group ? json_string(t->group) : json_null());
      json_array_append_new(targets, x);
    }
    json_object_set_new(o, "targets", targets);
    json_array_append_new(sets, o);
  }
  app_release(r->app, s);
  const char **names;
  size_t n;
  json_t *files = json_array();
  if (targets_stored_names(r->db, &r->mem, &names, &n) == HT_OK)
    for (size_t i = 0; i < n; i++) json_array_append_new(files, json_string(names[i]));
  return http_json(r, 200, json_pack("{soso}", "sets", sets, "imported", files));
}

int h_targets_put(http_req *r) {
  json_t *body = http_body_json(r);
  if (!body) return 0;
  const char *text = json_string_value(json_object_get(body, "text"));
  if (!text) {
    json_decref(body);
    return http_error(r, 400, "missing_parameter", "text", "send {\"text\": the targets file}",
                      "Thiếu nội dung tệp chỉ tiêu.");
  }
  issues p;
  issues_init(&p, &r->mem);
  ht_err err = {0};
  audit_actor who = http_actor(r);
  int rc =
      targets_import(r->db, &who, &r->app->criteria, r->params[0], text, strlen(text), &p, &err);
  json_decref(body);
  if (rc == HT_EINVAL && p.kept) return http_problems(r, &p);
  if (rc == HT_EINVAL)
    return http_error(r, 400, "bad_parameter", "name", err.msg,
                      "Tên tệp chỉ tiêu chỉ gồm chữ, số, '-', '_' hoặc '.' (tối đa 60 ký tự).");
  if (rc) return http_internal(r, err.msg);
  return h_targets_list(r);
}

int h_targets_delete(http_req *r) {
  ht_err err = {0};
  audit_actor who = http_actor(r);
  int rc = targets_remove(r->db, &who, r->params[0], &err);
  if (rc == HT_ENOTFOUND)
    return http_error(r, 404, "not_found", "name", err.msg,
                      "Không có tệp chỉ tiêu nào mang tên này.");
  if (rc) return http_internal(r, err.msg);
  return h_targets_list(r);
}
