/* h_session.c - logging in and out, the forced password change, the API
 * token (docs/api.md, "Session"):
 *   POST   /api/v1/session               {username, password} -> cookie + {user, csrf}
 *   GET    /api/v1/session               {user, csrf}
 *   DELETE /api/v1/session               log out
 *   POST   /api/v1/session/password      {current_password, new_password}
 *   POST   /api/v1/session/logout-all    end every session of the user
 *   GET|POST|DELETE /api/v1/me/token     the user's API token */
#include <sodium.h>
#include <string.h>

#include "faces/http/http.h"

static int internal(http_req *r, const ht_err *err) {
  return http_error(r, 500, "internal", NULL, err->msg,
                    "Lỗi máy chủ; vui lòng thử lại hoặc báo quản trị viên.");
}

static const char *cookie(http_req *r, const char *token, long max_age) {
  return arena_sprintf(&r->mem,
                       "hoctap_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%ld%s", token,
                       max_age, r->https ? "; Secure" : "");
}

static json_t *session_json(http_req *r, const acct_user *u, const char *csrf) {
  json_t *o = json_object();
  json_object_set_new(o, "user", http_user_json(r, u));
  json_object_set_new(o, "csrf", csrf ? json_string(csrf) : json_null());
  return o;
}

int h_session_login(http_req *r) {
  json_t *body = http_body_json(r);
  if (!body) return 0;
  const char *username = json_string_value(json_object_get(body, "username"));
  const char *password = json_string_value(json_object_get(body, "password"));
  if (!username || !*username || !password) {
    json_decref(body);
    return http_error(r, 400, "bad_parameter", !username || !*username ? "username" : "password",
                      "send username and password", "Hãy nhập tên đăng nhập và mật khẩu.");
  }
  char token[ACCT_TOKEN_BUF];
  acct_session s;
  int64_t wait = 0;
  ht_err err = {0};
  int rc = acct_login(r->db, username, password, r->addr, &r->mem, token, &s, &wait, &err);
  json_decref(body);
  if (rc < 0) return internal(r, &err);
  if (rc == ACCT_LOGIN_THROTTLED) {
    r->retry_after = (long)wait;
    long minutes = (long)((wait + 59) / 60);
    json_t *e = json_pack(
        "{sssssssI}", "code", "throttled", "message",
        arena_sprintf(&r->mem, "too many failed logins; try again in %ld minute%s", minutes,
                      minutes == 1 ? "" : "s"),
        "message_vi",
        arena_sprintf(&r->mem, "Đăng nhập sai quá nhiều lần; hãy thử lại sau %ld phút.", minutes),
        "retry_after", (json_int_t)wait);
    json_object_set_new(e, "parameter", json_null());
    return http_json(r, 429, json_pack("{so}", "error", e));
  }
  if (rc == ACCT_LOGIN_BAD)
    return http_error(r, 401, "bad_credentials", NULL, "wrong username or password",
                      "Tên đăng nhập hoặc mật khẩu không đúng.");
  r->set_cookie = cookie(r, token, (long)(ACCT_ABSOLUTE_MS / 1000));
  sodium_memzero(token, sizeof token);
  return http_json(r, 200, session_json(r, &s.user, s.csrf));
}

int h_session_get(http_req *r) {
  return http_json(r, 200, session_json(r, r->user, r->session ? r->session->csrf : NULL));
}

int h_session_logout(http_req *r) {
  ht_err err = {0};
  audit_actor who = http_actor(r);
  if (r->session && acct_session_end(r->db, &who, r->session, &err)) return internal(r, &err);
  r->set_cookie = cookie(r, "", 0);
  return http_json(r, 200, json_object());
}

int h_session_logout_all(http_req *r) {
  ht_err err = {0};
  audit_actor who = http_actor(r);
  if (acct_sessions_end_all(r->db, &who, r->user->id, &err)) return internal(r, &err);
  r->set_cookie = cookie(r, "", 0);
  return http_json(r, 200, json_object());
}

int h_session_password(http_req *r) {
  json_t *body = http_body_json(r);
  if (!body) return 0;
  const char *current = json_string_value(json_object_get(body, "current_password"));
  const char *next = json_string_value(json_object_get(body, "new_password"));
  if (!current || !next) {
    json_decref(body);
    return http_error(r, 400, "bad_parameter", !current ? "current_password" : "new_password",
                      "send current_password and new_password",
                      "Hãy nhập mật khẩu hiện tại và mật khẩu mới.");
  }
  ht_err err = {0};
  audit_actor who = http_actor(r);
  const char *why_en = NULL, *why_vi = NULL;
  int rc = acct_password_change(r->db, &who, r->user->id, current, next,
                                r->session ? r->session->token_hash : NULL, &why_en, &why_vi, &err);
  json_decref(body);
  if (rc == HT_ECONFLICT)
    return http_error(r, 403, "bad_credentials", "current_password", why_en, why_vi);
  if (rc == HT_EINVAL) return http_error(r, 400, "weak_password", "new_password", why_en, why_vi);
  if (rc) return internal(r, &err);
  acct_user u;
  if (acct_user_by_id(r->db, r->user->id, &r->mem, &u)) return internal(r, &err);
  return http_json(r, 200, session_json(r, &u, r->session ? r->session->csrf : NULL));
}

static json_t *iso_or_null(int64_t ms, arena *a) {
  return ms ? json_string(http_iso_time(ms, a)) : json_null();
}

int h_token_get(http_req *r) {
  int exists;
  int64_t created, used;
  if (acct_token_info(r->db, r->user->id, &exists, &created, &used))
    return http_error(r, 500, "internal", NULL, db_errmsg(r->db), "Lỗi máy chủ.");
  json_t *o = json_pack("{sb}", "exists", exists);
  json_object_set_new(o, "created_at", iso_or_null(created, &r->mem));
  json_object_set_new(o, "last_used_at", iso_or_null(used, &r->mem));
  return http_json(r, 200, o);
}

int h_token_create(http_req *r) {
  char token[ACCT_TOKEN_BUF];
  ht_err err = {0};
  audit_actor who = http_actor(r);
  if (acct_token_create(r->db, &who, r->user->id, token, &err)) return internal(r, &err);
  json_t *o = json_pack("{ss}", "token", token);
  sodium_memzero(token, sizeof token);
  return http_json(r, 201, o);
}

int h_token_delete(http_req *r) {
  ht_err err = {0};
  audit_actor who = http_actor(r);
  int deleted = 0;
  if (acct_token_delete(r->db, &who, r->user->id, &deleted, &err)) return internal(r, &err);
  return http_json(r, 200, json_pack("{sb}", "deleted", deleted));
}
