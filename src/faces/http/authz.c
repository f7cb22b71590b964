/*
 * authz.c - the one place that decides whether a request may run
 * (docs/access.md): who is calling (session cookie or API token), CSRF on
 * state-changing requests, the forced password change, the route's
 * permission, and whether the object's unit on the object's date lies inside
 * the user's scope. Refusals are written to the audit trail.
 */
#include <microhttpd.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "faces/http/http.h"
#include "model/fund.h"
#include "model/fund_programme.h"
#include "model/workflow.h"
#include "model/registry.h"
#include "criteria/crit_defaults.h"

#define SESSION_COOKIE "hoctap_session"

static const char *header(http_req *r, const char *name) {
  return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

audit_actor http_actor(const http_req *r) {
  audit_actor a = {0, "anonymous", r->addr ? r->addr : ""};
  if (r->user) {
    a.user_id = r->user->id;
    a.name = r->user->username;
  }
  return a;
}

int http_can(const http_req *r, uint32_t mask) {
  return r->user && (r->user->perms & mask) == mask;
}

/* The session or token of the request, if any and still valid. */
static void authenticate(http_req *r) {
  const char *auth = header(r, "Authorization");
  if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
    acct_user *u = arena_calloc(&r->mem, sizeof *u);
    if (acct_token_user(r->db, auth + 7, &r->mem, u) == HT_OK) r->user = u;
    return;
  }
  const char *token = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, SESSION_COOKIE);
  if (!token) return;
  acct_session *s = arena_calloc(&r->mem, sizeof *s);
  if (acct_session_get(r->db, token, &r->mem, s) == HT_OK) {
    r->session = s;
    r->user = &s->user;
  }
}

static int is_safe_method(const char *m) {
  return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0;
}

/* An Origin header, when the browser sends one, must be this server. */
static int same_origin(http_req *r) {
  const char *origin = header(r, "Origin");
  const char *host = header(r, "Host");
  if (!origin) return 1;
  if (!host) return 0;
  const char *p = strstr(origin, "://");
  return p && strcmp(p + 3, host) == 0;
}

static int refuse(http_req *r, const http_route *route, int status, const char *code,
                  const char *en, const char *vi) {
  if (status == 403 && r->user) {
    audit_actor who = http_actor(r);
    char *what = arena_sprintf(&r->mem, "{\"method\":\"%s\",\"reason\":\"%s\"}", r->method, code);
    audit_entry e = {"access.denied", "endpoint", r->path, r->unit ? r->unit : "", NULL, what};
    ht_err err = {0};
    audit_append_tx(r->db, &who, &e, &err); /* a failure to log must not open the door */
  }
  (void)route;
  return http_error(r, status, code, NULL, en, vi);
}

/* The date a request is about: ?year= (31 December), ?date=, else today. */
static int32_t request_day(http_req *r) {
  const char *y = http_query(r, "year");
  if (y && *y) {
    long year = strtol(y, NULL, 10);
    if (year >= 1900 && year <= 2200) return date_from_ymd((int)year, 12, 31);
  }
  const char *dt = http_query(r, "date");
  int32_t day;
  if (dt && date_parse(dt, &day) == HT_OK) return day;
  return date_today();
}

static int request_year(http_req *r) {
  return date_year(r->day);
}

int http_in_scope(http_req *r, const char *unit_code, int32_t day) {
  if (!r->user) return 0;
  app_snapshot *s;
  ht_err err = {0};
  if (app_acquire(r->app, r->db, &s, &err)) return 0;
  int ok = acl_covers(&s->h, r->user->unit_code, unit_code, day);
  app_release(r->app, s);
  return ok;
}

/* Resolves the unit of the request's object into r->unit. Returns 1 when
 * resolved, 0 when the object does not exist (the handler answers 404), -1
 * on a server error (sent). */
static int resolve_unit(http_req *r, const http_route *route) {
  r->day = request_day(r);
  r->unit = "";
  const char *unit = NULL;
  switch (route->scope) {
    case SCOPE_UNIT_PATH: unit = r->params[0]; break;
    case SCOPE_UNIT_QUERY:
      unit = http_query(r, "unit");
      if (!unit || !*unit) unit = http_query(r, "parent");
      if (!unit || !*unit) unit = r->user->unit_code;
      break;
    case SCOPE_HOUSEHOLD:
      if (reg_owner_unit(r->db, CRIT_HOUSEHOLD, r->params[0], request_year(r), &r->mem, &unit))
        return 0;
      break;
    case SCOPE_CLAN:
      if (reg_owner_unit(r->db, CRIT_CLAN, r->params[0], request_year(r), &r->mem, &unit)) return 0;
      break;
    case SCOPE_ORGANISATION:
      if (reg_owner_unit(r->db, CRIT_ORGANISATION, r->params[0], request_year(r), &r->mem, &unit))
        return 0;
      break;
    case SCOPE_ENTITY: {
      const char *title = http_query(r, "title"), *code = http_query(r, "code");
      if (!title || !code) return 0;
      const crit_title *t =
          crit_in_force(&r->app->criteria, title, request_year(r), (int)db_prov(r->db));
      if (!t || reg_owner_unit(r->db, t->entity, code, request_year(r), &r->mem, &unit)) return 0;
      break;
    }
    case SCOPE_USER_PATH: {
      char *end;
      long long id = strtoll(r->params[0], &end, 10);
      acct_user u;
      if (*end || acct_user_by_id(r->db, id, &r->mem, &u) != HT_OK) return 0;
      unit = u.unit_code;
      r->day = date_today();
      break;
    }
    case SCOPE_DECISION: {
      char *end;
      long long id = strtoll(r->params[0], &end, 10);
      wf_decision dec;
      if (*end || wf_decision_get(r->db, id, &r->mem, &dec) != HT_OK) return 0;
      unit = dec.unit_code;
      r->day = date_from_ymd(dec.year, 12, 31);
      break;
    }
    case SCOPE_FUND: {
      fund f;
      if (fund_get(r->db, r->params[0], &r->mem, &f) != HT_OK) return 0;
      unit = f.unit_code;
      r->day = date_today();
      break;
    }
    case SCOPE_FUND_ENTRY: {
      char *end;
      long long id = strtoll(r->params[0], &end, 10);
      fund_entry e;
      fund f;
      if (*end || fund_entry_get(r->db, id, &r->mem, &e) != HT_OK ||
          fund_get(r->db, e.fund_code, &r->mem, &f) != HT_OK)
        return 0;
      unit = f.unit_code;
      r->day = date_today();
      break;
    }
    case SCOPE_BENEFICIARY: {
      char *end;
      long long id = strtoll(r->params[0], &end, 10);
      fund_beneficiary b;
      if (*end || fund_beneficiary_get(r->db, id, &r->mem, &b) != HT_OK) return 0;
      unit = b.unit_code;
      r->day = date_today();
      break;
    }
    case SCOPE_FUND_BATCH: {
      char *end;
      long long id = strtoll(r->params[0], &end, 10);
      fund_batch b;
      if (*end || fund_batch_head(r->db, id, &r->mem, &b) != HT_OK) return 0;
      unit = b.unit_code;
      r->day = date_today();
      break;
    }
    case SCOPE_CERTIFICATE: {
      wf_certificate c;
      if (wf_certificate_get(r->db, r->params[0], &r->mem, &c) != HT_OK || !*c.place) return 0;
      unit = c.place;
      r->day = date_from_ymd(c.year, 12, 31);
      break;
    }
    case SCOPE_BODY_UNIT: {
      json_t *body = r->body_in ? json_loads(r->body_in, 0, NULL) : NULL;
      const char *v = body ? json_string_value(json_object_get(body, "unit")) : NULL;
      if (v) unit = arena_strdup(&r->mem, v);
      json_decref(body);
      if (!unit) return 0;
      r->day = date_today();
      break;
    }
    default: return 1;
  }
  r->unit = arena_strdup(&r->mem, unit);
  if (route->scope == SCOPE_UNIT_PATH || route->scope == SCOPE_UNIT_QUERY ||
      route->scope == SCOPE_BODY_UNIT) {
    /* An unknown code is the handler's 404 (400 for a body), the same for everyone. */
    app_snapshot *s;
    ht_err err = {0};
    if (app_acquire(r->app, r->db, &s, &err)) {
      http_error(r, 500, "internal", NULL, err.msg, "Lỗi máy chủ.");
      return -1;
    }
    size_t n;
    hier_versions(&s->h, unit, &n);
    app_release(r->app, s);
    if (!n) return 0;
  }
  return 1;
}

int http_authorize(http_req *r, const http_route *route) {
  /* Public routes (the login, the front end's files) need nobody: no
   * session lookup for every static file. */
  if (route->access == ACCESS_PUBLIC) {
    if (!is_safe_method(r->method) && !same_origin(r))
      return refuse(r, route, 403, "csrf", "the request comes from another site",
                    "Yêu cầu đến từ trang web khác nên bị từ chối.");
    return 1;
  }
  authenticate(r);
  if (!r->user)
    return http_error(r, 401, "unauthenticated", NULL, "log in first", "Vui lòng đăng nhập.");
  if (!is_safe_method(r->method) && r->session) {
    const char *sent = header(r, "X-CSRF-Token");
    size_t n = strlen(r->session->csrf);
    if (!same_origin(r) || !sent || strlen(sent) != n ||
        sodium_memcmp(sent, r->session->csrf, n) != 0)
      return refuse(r, route, 403, "csrf",
                    "missing or wrong X-CSRF-Token header; reload the page and try again",
                    "Phiên làm việc không hợp lệ; hãy tải lại trang rồi thử lại.");
  }
  if (r->user->must_change && !(route->flags & ROUTE_DURING_PASSWORD_CHANGE))
    return http_error(r, 403, "password_change_required", NULL,
                      "change your one-time password first (POST /api/v1/session/password)",
                      "Bạn cần đổi mật khẩu dùng một lần trước khi tiếp tục.");
  if (route->access == ACCESS_USER) return 1;
  if ((r->user->perms & route->perm) != route->perm)
    return refuse(r, route, 403, "forbidden", "your role does not allow this",
                  "Vai trò của bạn không được phép thực hiện thao tác này.");
  int found = resolve_unit(r, route);
  if (found < 0) return 0;
  if (!found || route->scope == SCOPE_LIST || route->scope == SCOPE_NONE) return 1;
  if (!http_in_scope(r, r->unit, r->day))
    return refuse(r, route, 403, "forbidden", "this is outside the units you are responsible for",
                  "Dữ liệu này thuộc địa bàn ngoài phạm vi bạn phụ trách.");
  return 1;
}

json_t *http_body_json(http_req *r) {
  const char *type = header(r, "Content-Type");
  if (!type || strncasecmp(type, "application/json", 16) != 0) {
    http_error(r, 415, "unsupported_media_type", NULL, "send the body as application/json",
               "Dữ liệu gửi lên phải ở dạng JSON.");
    return NULL;
  }
  json_error_t jerr;
  json_t *o = r->body_in ? json_loadb(r->body_in, r->body_in_len, 0, &jerr) : NULL;
  if (!json_is_object(o)) {
    json_decref(o);
    http_error(r, 400, "bad_json", NULL, "the body must be a JSON object",
               "Dữ liệu gửi lên không phải JSON hợp lệ.");
    return NULL;
  }
  return o;
}
