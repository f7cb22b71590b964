/* h_registry.c - the registry for pages (docs/api.md, "Registry"):
 *   GET /api/v1/households/{code}?year=Y   one household with its members
 *   GET /api/v1/search?q=TEXT&year=Y       households, persons, clans,
 *                                          organisations and units by name or code
 *   GET /api/v1/clans/{code}, /api/v1/organisations/{code}?year=Y
 *   GET /api/v1/clans?unit=U, /api/v1/organisations?unit=U&year=Y  lists
 * Citizen IDs are masked unless the role has personal.read. Search returns
 * only rows inside the user's scope, each kind in Vietnamese order of name. */
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/vtext.h"
#include "faces/http/http.h"
#include "services/export.h"
#include "model/acl.h"
#include "services/intake_spec.h"
#include "model/registry.h"

static int year_of(http_req *r, int *year) {
  const char *v = http_query(r, "year");
  *year = date_year(date_today());
  if (!v || !*v) return 1;
  char *end;
  long y = strtol(v, &end, 10);
  if (*end || y < 2000 || y > 2100) {
    http_error(r, 400, "bad_parameter", "year", "year must be a year such as 2025",
               "Tham số year phải là một năm, ví dụ 2025.");
    return 0;
  }
  *year = (int)y;
  return 1;
}

static json_t *unit_ref(const hier *h, const char *code, int32_t day) {
  const hier_unit *u = code ? hier_find(h, code, day) : NULL;
  if (!u) return code ? json_pack("{ssss}", "code", code, "name", code) : json_null();
  return json_pack("{ssssss}", "code", u->code, "name", u->name, "kind", u->kind->key);
}

/* The household {code} in ?year=: 1, or 0 with the 400/404/500 sent. */
static int household_of(http_req *r, int *year, reg_household *hh) {
  if (!year_of(r, year)) return 0;
  int rc = reg_household_get(r->db, r->params[0], *year, &r->mem, hh);
  if (rc == HT_ENOTFOUND)
    http_error(r, 404, "not_found", "code", "no household has this code",
               "Không tìm thấy hộ gia đình có mã này.");
  else if (rc)
    http_error(r, 500, "internal", NULL, db_errmsg(r->db), "Lỗi máy chủ.");
  return rc == HT_OK;
}

/* The units above code on day, root first, as [{code, name, kind}]. */
static json_t *ancestors_json(http_req *r, const hier *h, const char *code, int32_t day) {
  json_t *anc = json_array();
  const hier_unit *u = code ? hier_find(h, code, day) : NULL;
  if (u) {
    const hier_unit **up;
    size_t n = hier_ancestors(h, u, day, &r->mem, &up);
    for (size_t i = 0; i < n; i++)
      json_array_append_new(anc, json_pack("{ssssss}", "code", up[i]->code, "name", up[i]->name,
                                           "kind", up[i]->kind->key));
  }
  return anc;
}

static json_t *opt_string(const char *s) {
  return s ? json_string(s) : json_null();
}

json_t *http_household_json(http_req *r, const reg_household *hh, int year) {
  app_snapshot *s;
  ht_err err = {0};
  if (app_acquire(r->app, r->db, &s, &err)) return NULL;
  int32_t day = date_from_ymd(year, 12, 31);
  json_t *o = json_pack("{sssssssi}", "code", hh->code, "head_name", hh->head_name, "address",
                        hh->address, "year", year);
  json_object_set_new(o, "village", unit_ref(&s->h, hh->village_code, day));
  json_object_set_new(o, "ancestors", ancestors_json(r, &s->h, hh->village_code, day));
  app_release(r->app, s);
  json_object_set_new(o, "clan",
                      hh->clan_code
                          ? json_pack("{ssss}", "code", hh->clan_code, "name", hh->clan_name)
                          : json_null());
  int full = http_can(r, ACL_PERSONAL_READ);
  json_t *members = json_array();
  for (size_t i = 0; i < hh->nmembers; i++) {
    const reg_person *p = &hh->members[i];
    json_t *m =
        json_pack("{sssssiss}", "id", arena_sprintf(&r->mem, "P%lld", (long long)p->id),
                  "full_name", p->full_name, "birth_year", p->birth_year, "gender", p->gender);
    const char *cid = full ? p->citizen_id : reg_mask_citizen_id(p->citizen_id, &r->mem);
    json_object_set_new(m, "citizen_id", cid ? json_string(cid) : json_null());
    json_object_set_new(m, "citizen_id_masked", json_boolean(!full && p->citizen_id));
    /* the year's facts; null when none were entered for the year */
    json_object_set_new(m, "literate", p->has_year ? json_boolean(p->literate) : json_null());
    json_object_set_new(m, "in_school", p->has_year ? json_boolean(p->in_school) : json_null());
    json_object_set_new(m, "school_result",
                        p->has_year ? opt_string(p->school_result) : json_null());
    json_object_set_new(m, "conduct", p->has_year ? opt_string(p->conduct) : json_null());
    json_object_set_new(m, "topics_completed",
                        p->has_year ? json_integer(p->topics_completed) : json_null());
    json_array_append_new(members, m);
  }
  json_object_set_new(o, "members", members);
  return o;
}

json_t *http_clan_json(http_req *r, const reg_clan *c, int year) {
  app_snapshot *s;
  ht_err err = {0};
  if (app_acquire(r->app, r->db, &s, &err)) return NULL;
  int32_t day = date_from_ymd(year, 12, 31);
  json_t *o = json_pack("{sssssi}", "code", c->code, "name", c->name, "year", year);
  json_object_set_new(o, "village", unit_ref(&s->h, c->village_code, day));
  json_object_set_new(o, "ancestors", ancestors_json(r, &s->h, c->village_code, day));
  app_release(r->app, s);
  return o;
}

json_t *http_org_json(http_req *r, const reg_org *g, int year) {
  app_snapshot *s;
  ht_err err = {0};
  if (app_acquire(r->app, r->db, &s, &err)) return NULL;
  int32_t day = date_from_ymd(year, 12, 31);
  json_t *o = json_pack("{sssssssssi}", "code", g->code, "name", g->name, "kind", g->kind,
                        "kind_name", intake_org_kind_label(g->kind), "year", year);
  json_object_set_new(o, "admin", unit_ref(&s->h, g->admin_code, day));
  json_object_set_new(o, "ancestors", ancestors_json(r, &s->h, g->admin_code, day));
  app_release(r->app, s);
  return o;
}

/* Sends o (200), or 500 when it could not be made. */
static int send_object(http_req *r, json_t *o) {
  if (!o) return http_error(r, 500, "internal", NULL, "cannot load the hierarchy", "Lỗi máy chủ.");
  return http_json(r, 200, o);
}

int h_household_get(http_req *r) {
  int year;
  reg_household hh;
  if (!household_of(r, &year, &hh)) return 0;
  return send_object(r, http_household_json(r, &hh, year));
}

int h_clan_get(http_req *r) {
  int year;
  if (!year_of(r, &year)) return 0;
  reg_clan c;
  int rc = reg_clan_get(r->db, r->params[0], &r->mem, &c);
  if (rc == HT_ENOTFOUND)
    return http_error(r, 404, "not_found", "code", "no clan has this code",
                      "Không tìm thấy dòng họ có mã này.");
  if (rc) return http_error(r, 500, "internal", NULL, db_errmsg(r->db), "Lỗi máy chủ.");
  return send_object(r, http_clan_json(r, &c, year));
}

int h_org_get(http_req *r) {
  int year;
  if (!year_of(r, &year)) return 0;
  reg_org g;
  int rc = reg_org_get(r->db, r->params[0], year, &r->mem, &g);
  if (rc == HT_ENOTFOUND)
    return http_error(r, 404, "not_found", "code", "no learning unit has this code",
                      "Không tìm thấy đơn vị học tập có mã này.");
  if (rc) return http_error(r, 500, "internal", NULL, db_errmsg(r->db), "Lỗi máy chủ.");
  return send_object(r, http_org_json(r, &g, year));
}

typedef struct keep_ctx {
  http_req *r;
  app_snapshot *s;
  int32_t day;
} keep_ctx;

static int keep_unit(void *p, const char *unit) {
  keep_ctx *c = p;
  return acl_covers(&c->s->h, c->r->user->unit_code, unit, c->day);
}

/* The units matching key on the day, inside the caller's scope, at most
 * limit, in Vietnamese order of name; each with its parent for context
 * ("Thôn 1" is the name of many villages). Needs units.read as well. */
static json_t *search_units(http_req *r, keep_ctx *c, const char *q, size_t limit) {
  json_t *arr = json_array();
  char *key = NULL;
  if (!http_can(r, ACL_UNITS_READ) || vt_search_key(q, &key) != HT_OK) {
    free(key);
    return arr;
  }
  const hier_unit **found;
  size_t n = hier_search(&c->s->h, key, c->day, &r->mem, &found), shown = 0;
  free(key);
  for (size_t i = 0; i < n && shown < limit; i++) {
    if (!keep_unit(c, found[i]->code)) continue;
    const hier_unit *u = found[i], *parent = hier_parent(&c->s->h, u, c->day);
    json_t *o = json_pack("{ssssssssss}", "code", u->code, "name", u->name, "kind", u->kind->key,
                          "kind_name", u->kind->name_vi, "kind_name_en", u->kind->name_en);
    json_object_set_new(
        o, "parent",
        parent ? json_pack("{ssss}", "code", parent->code, "name", parent->name) : json_null());
    json_array_append_new(arr, o);
    shown++;
  }
  return arr;
}

int h_search(http_req *r) {
  int year;
  if (!year_of(r, &year)) return 0;
  const char *q = http_query(r, "q");
  const char *lim = http_query(r, "limit");
  long limit = lim ? strtol(lim, NULL, 10) : 20;
  if (limit < 1 || limit > 100) limit = 20;
  app_snapshot *s;
  ht_err err = {0};
  if (app_acquire(r->app, r->db, &s, &err))
    return http_error(r, 500, "internal", NULL, err.msg, "Lỗi máy chủ.");
  keep_ctx c = {r, s, date_from_ymd(year, 12, 31)};
  reg_hit *hits;
  size_t n;
  int rc = reg_search(r->db, q, year, keep_unit, &c, (size_t)limit, &r->mem, &hits, &n, &err);
  if (rc == HT_EINVAL) {
    app_release(r->app, s);
    return http_error(r, 400, "bad_parameter", "q", err.msg,
                      "Hãy nhập ít nhất 2 chữ cái hoặc chữ số để tìm.");
  }
  if (rc) {
    app_release(r->app, s);
    return http_error(r, 500, "internal", NULL, err.msg, "Lỗi máy chủ.");
  }
  json_t *households = json_array(), *persons = json_array(), *clans = json_array(),
         *organisations = json_array();
  for (size_t i = 0; i < n; i++) {
    const reg_hit *h = &hits[i];
    json_t *o;
    if (strcmp(h->kind, "household") == 0) {
      o = json_pack("{ssss}", "code", h->code, "head_name", h->name);
      json_array_append_new(households, o);
    } else if (strcmp(h->kind, "person") == 0) {
      o = json_pack("{sssssiss}", "id", h->code, "full_name", h->name, "birth_year", h->birth_year,
                    "household_code", h->household_code);
      json_array_append_new(persons, o);
    } else {
      o = json_pack("{ssss}", "code", h->code, "name", h->name);
      json_array_append_new(strcmp(h->kind, "clan") == 0 ? clans : organisations, o);
    }
    json_object_set_new(o, strcmp(h->kind, "organisation") == 0 ? "unit" : "village",
                        unit_ref(&s->h, h->unit_code, c.day));
  }
  json_t *units = search_units(r, &c, q, (size_t)limit);
  app_release(r->app, s);
  return http_json(
      r, 200,
      json_pack("{sisososososo}", "year", year, "households", households, "persons", persons,
                "clans", clans, "organisations", organisations, "units", units));
}

/* The unit of a list (?unit=, else the caller's own; authz checked it). */
typedef struct under_ctx {
  app_snapshot *s;
  const char *unit;
  int32_t day;
} under_ctx;

static int under_unit(void *p, const char *code) {
  under_ctx *c = p;
  return acl_covers(&c->s->h, c->unit, code, c->day);
}

/* GET /api/v1/clans?unit=U&year=Y and /api/v1/organisations?unit=U&year=Y:
 * the clans based in villages of U's subtree, the learning units it manages
 * (for the forms' pickers). */
static int registry_list(http_req *r, int orgs) {
  int year;
  if (!year_of(r, &year)) return 0;
  app_snapshot *s;
  ht_err err = {0};
  if (app_acquire(r->app, r->db, &s, &err))
    return http_error(r, 500, "internal", NULL, err.msg, "Lỗi máy chủ.");
  under_ctx c = {s, r->unit, date_from_ymd(year, 12, 31)};
  json_t *list = json_array();
  int rc;
  size_t n;
  if (orgs) {
    reg_org *g;
    rc = reg_orgs_list(r->db, year, under_unit, &c, &r->mem, &g, &n);
    for (size_t i = 0; rc == HT_OK && i < n; i++) {
      json_t *o = json_pack("{ssssssss}", "code", g[i].code, "name", g[i].name, "kind", g[i].kind,
                            "kind_name", intake_org_kind_label(g[i].kind));
      json_object_set_new(o, "admin", unit_ref(&s->h, g[i].admin_code, c.day));
      json_array_append_new(list, o);
    }
  } else {
    reg_clan *g;
    rc = reg_clans_list(r->db, under_unit, &c, &r->mem, &g, &n);
    for (size_t i = 0; rc == HT_OK && i < n; i++) {
      json_t *o = json_pack("{ssss}", "code", g[i].code, "name", g[i].name);
      json_object_set_new(o, "village", unit_ref(&s->h, g[i].village_code, c.day));
      json_array_append_new(list, o);
    }
  }
  app_release(r->app, s);
  if (rc) {
    json_decref(list);
    return http_error(r, 500, "internal", NULL, db_errmsg(r->db), "Lỗi máy chủ.");
  }
  return http_json(
      r, 200,
      json_pack("{sissso}", "year", year, "unit", r->unit, orgs ? "organisations" : "clans", list));
}

int h_clans_list(http_req *r) {
  return registry_list(r, 0);
}

int h_orgs_list(http_req *r) {
  return registry_list(r, 1);
}

/* GET /api/v1/households/{code}/members.csv|.xlsx: the household's members in
 * the year, with the import's columns (so the file can be corrected and
 * imported back). Names and citizen IDs are personal data: the routes need
 * personal.export and each download is audited. */
static int members_export(http_req *r, tbl_format format) {
  int year;
  reg_household hh;
  if (!household_of(r, &year, &hh)) return 0;
  export_where w = {NULL, NULL, date_from_ymd(year, 12, 31), NULL, NULL, hh.code};
  http_export x;
  ht_err err = {0};
  if (!http_export_begin(r, &x, format, arena_sprintf(&r->mem, "Hộ %s", hh.code))) return 0;
  int full = http_can(r, ACL_PERSONAL_READ);
  if (export_persons(&x.out, r->db, &w, year, full, 0, &err) != HT_OK)
    return http_export_fail(r, &x, err.msg);
  http_export_audit audit = {"export.members", "household", hh.code,
                             hh.village_code ? hh.village_code : "", NULL};
  return http_export_end(r, &x, arena_sprintf(&r->mem, "nhan-khau-%s-%d", hh.code, year), &audit);
}

int h_members_csv(http_req *r) {
  return members_export(r, TBL_CSV);
}

int h_members_xlsx(http_req *r) {
  return members_export(r, TBL_XLSX);
}
