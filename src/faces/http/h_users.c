/* h_users.c - account administration (docs/api.md, "Users"):
 *   GET  /api/v1/roles                        roles and permission names
 *   GET  /api/v1/users[?q=&unit=]              accounts inside the admin's scope
 *   GET  /api/v1/users.csv|.xlsx[?q=&unit=]    the same as a download
 *   POST /api/v1/users                         {username, full_name, role, unit}
 *   POST /api/v1/users/{id}/disable|enable|reset-password
 * An administrator manages only accounts inside their own scope and grants
 * only roles whose permissions they hold themselves. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/date.h"
#include "base/vtext.h"
#include "faces/http/http.h"
#include "services/export.h"

static int internal(http_req *r, const ht_err *err) {
  return http_error(r, 500, "internal", NULL, err->msg,
                    "Lỗi máy chủ; vui lòng thử lại hoặc báo quản trị viên.");
}

const char *http_iso_time(int64_t ms, arena *a) {
  time_t t = (time_t)(ms / 1000);
  struct tm tm;
  gmtime_r(&t, &tm);
  char buf[32];
  strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return arena_strdup(a, buf);
}

json_t *http_user_json(http_req *r, const acct_user *u) {
  const char *unit_name = u->unit_code;
  app_snapshot *s;
  ht_err err = {0};
  if (app_acquire(r->app, r->db, &s, &err) == HT_OK) {
    size_t n;
    const hier_unit *v = hier_versions(&s->h, u->unit_code, &n);
    if (n) unit_name = arena_strdup(&r->mem, v[n - 1].name);
    app_release(r->app, s);
  }
  json_t *perms = json_array();
  for (int i = 0; i < ACL_PERM_COUNT; i++)
    if (u->perms & acl_perms[i].bit) json_array_append_new(perms, json_string(acl_perms[i].key));
  json_t *o = json_pack(
      "{sssssssssssss{ssss}sosbsb}", "id", arena_sprintf(&r->mem, "%lld", (long long)u->id),
      "username", u->username, "full_name", u->full_name, "role", u->role, "role_name_vi",
      u->role_name_vi, "role_name_en", u->role_name_en, "unit", "code", u->unit_code, "name",
      unit_name, "perms", perms, "must_change_password", u->must_change, "disabled", u->disabled);
  json_object_set_new(o, "created_at", json_string(http_iso_time(u->created_at, &r->mem)));
  json_object_set_new(
      o, "last_login_at",
      u->last_login_at ? json_string(http_iso_time(u->last_login_at, &r->mem)) : json_null());
  return o;
}

int h_roles(http_req *r) {
  acct_role *roles;
  size_t n;
  if (acct_roles_list(r->db, &r->mem, &roles, &n))
    return http_error(r, 500, "internal", NULL, db_errmsg(r->db), "Lỗi máy chủ.");
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) {
    json_t *perms = json_array();
    for (int k = 0; k < ACL_PERM_COUNT; k++)
      if (roles[i].perms & acl_perms[k].bit)
        json_array_append_new(perms, json_string(acl_perms[k].key));
    json_array_append_new(
        arr, json_pack("{sssssssosb}", "key", roles[i].key, "name_vi", roles[i].name_vi, "name_en",
                       roles[i].name_en, "perms", perms, "grantable",
                       (roles[i].perms & ~r->user->perms) == 0));
  }
  json_t *ps = json_array();
  for (int k = 0; k < ACL_PERM_COUNT; k++)
    json_array_append_new(ps, json_pack("{ssssss}", "key", acl_perms[k].key, "name_vi",
                                        acl_perms[k].name_vi, "name_en", acl_perms[k].name_en));
  return http_json(r, 200, json_pack("{soso}", "roles", arr, "permissions", ps));
}

/* The filters of the users list: ?unit= and ?q= (name or username,
 * diacritics ignored), inside the caller's scope. */
typedef struct user_filter {
  http_req *r;
  const char *unit;
  char *qkey; /* NULL: no ?q= */
} user_filter;

static void user_filter_init(http_req *r, user_filter *f) {
  const char *q = http_query(r, "q");
  f->r = r;
  f->unit = http_query(r, "unit");
  f->qkey = NULL;
  if (q && *q) vt_search_key(q, &f->qkey);
}

static int user_listed(void *ctx, const acct_user *u) {
  user_filter *f = ctx;
  if (!http_in_scope(f->r, u->unit_code, date_today())) return 0;
  if (f->unit && *f->unit && strcmp(f->unit, u->unit_code) != 0) return 0;
  if (!f->qkey) return 1;
  char *k1 = NULL, *k2 = NULL;
  vt_search_key(u->full_name, &k1);
  vt_search_key(u->username, &k2);
  int hit = vt_contains_key(k1, f->qkey) || vt_contains_key(k2, f->qkey);
  free(k1);
  free(k2);
  return hit;
}

int h_users_list(http_req *r) {
  acct_user *users;
  size_t n;
  if (acct_users_list(r->db, &r->mem, &users, &n))
    return http_error(r, 500, "internal", NULL, db_errmsg(r->db), "Lỗi máy chủ.");
  user_filter f;
  user_filter_init(r, &f);
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++)
    if (user_listed(&f, &users[i])) json_array_append_new(arr, http_user_json(r, &users[i]));
  free(f.qkey);
  return http_json(r, 200, json_pack("{so}", "users", arr));
}

/* GET /api/v1/users.csv and .xlsx: the filtered accounts list for Excel;
 * written to the audit trail (export.users), since it names officers. */
static int users_export(http_req *r, tbl_format format) {
  user_filter f;
  user_filter_init(r, &f);
  http_export x;
  ht_err err = {0};
  int ok = http_export_begin(r, &x, format, "tai-khoan");
  int rc = ok ? export_users(&x.out, r->db, user_listed, &f, 0, &err) : HT_OK;
  free(f.qkey);
  if (!ok) return 0;
  if (rc != HT_OK) return http_export_fail(r, &x, err.msg);
  const char *unit = f.unit && *f.unit ? f.unit : r->user->unit_code;
  http_export_audit audit = {"export.users", "export", "users", unit, NULL};
  return http_export_end(r, &x, arena_sprintf(&r->mem, "tai-khoan-%s", unit), &audit);
}

int h_users_csv(http_req *r) {
  return users_export(r, TBL_CSV);
}

int h_users_xlsx(http_req *r) {
  return users_export(r, TBL_XLSX);
}

int h_user_create(http_req *r) {
  json_t *body = http_body_json(r);
  if (!body) return 0;
  acct_new_user nu = {
      .username = json_string_value(json_object_get(body, "username")),
      .full_name = json_string_value(json_object_get(body, "full_name")),
      .role = json_string_value(json_object_get(body, "role")),
      .unit_code = json_string_value(json_object_get(body, "unit")),
  };
  acct_role role;
  if (nu.role && acct_role_get(r->db, nu.role, &r->mem, &role) == HT_OK &&
      (role.perms & ~r->user->perms)) {
    json_decref(body);
    return http_error(r, 403, "forbidden", "role",
                      "you cannot grant a role with permissions you do not have",
                      "Bạn không thể cấp vai trò có quyền cao hơn quyền của mình.");
  }
  app_snapshot *s;
  ht_err err = {0};
  if (app_acquire(r->app, r->db, &s, &err)) {
    json_decref(body);
    return internal(r, &err);
  }
  char otp[16];
  int64_t id = 0;
  const char *field = NULL, *why_vi = NULL;
  audit_actor who = http_actor(r);
  int rc = acct_user_create(r->db, &s->h, &who, &nu, otp, &id, &field, &why_vi, &err);
  app_release(r->app, s);
  json_decref(body);
  if (rc == HT_EINVAL) return http_error(r, 400, "bad_parameter", field, err.msg, why_vi);
  if (rc) return internal(r, &err);
  acct_user u;
  if (acct_user_by_id(r->db, id, &r->mem, &u)) return internal(r, &err);
  json_t *o = json_pack("{so}", "user", http_user_json(r, &u));
  json_object_set_new(o, "one_time_password", json_string(otp));
  return http_json(r, 201, o);
}

/* {id} as a user id; 404 when unknown. */
static int path_user(http_req *r, acct_user *u) {
  char *end;
  long long id = strtoll(r->params[0], &end, 10);
  if (*end || acct_user_by_id(r->db, id, &r->mem, u) != HT_OK) {
    http_error(r, 404, "not_found", "id", "no such user", "Không tìm thấy tài khoản.");
    return 0;
  }
  if (u->perms & ~r->user->perms) {
    http_error(r, 403, "forbidden", "id", "this account has permissions you do not have",
               "Tài khoản này có quyền cao hơn quyền của bạn.");
    return 0;
  }
  return 1;
}

static int set_disabled(http_req *r, int disabled) {
  acct_user u;
  if (!path_user(r, &u)) return 0;
  if (disabled && u.id == r->user->id)
    return http_error(r, 400, "bad_parameter", "id", "you cannot disable your own account",
                      "Bạn không thể khóa tài khoản của chính mình.");
  ht_err err = {0};
  audit_actor who = http_actor(r);
  if (acct_user_set_disabled(r->db, &who, u.id, disabled, &err)) return internal(r, &err);
  if (acct_user_by_id(r->db, u.id, &r->mem, &u)) return internal(r, &err);
  return http_json(r, 200, json_pack("{so}", "user", http_user_json(r, &u)));
}

int h_user_disable(http_req *r) {
  return set_disabled(r, 1);
}

int h_user_enable(http_req *r) {
  return set_disabled(r, 0);
}

int h_user_reset(http_req *r) {
  acct_user u;
  if (!path_user(r, &u)) return 0;
  char otp[16];
  ht_err err = {0};
  audit_actor who = http_actor(r);
  if (acct_user_reset_password(r->db, &who, u.id, otp, &err)) return internal(r, &err);
  if (acct_user_by_id(r->db, u.id, &r->mem, &u)) return internal(r, &err);
  json_t *o = json_pack("{so}", "user", http_user_json(r, &u));
  json_object_set_new(o, "one_time_password", json_string(otp));
  return http_json(r, 200, o);
}
