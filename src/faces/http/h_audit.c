/* h_audit.c - GET /api/v1/audit: the audit trail inside the reader's scope,
 * newest first, with filters (docs/api.md, "Audit"). Entries without a unit
 * (failed logins, role changes) are shown only to readers of a whole
 * province. ?entity=CODE finds the entries about CODE and about its yearly
 * records ("TITLE/YEAR/CODE"). */
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "faces/http/http.h"
#include "services/export.h"

typedef struct scope_ctx {
  http_req *r;
  app_snapshot *s;
  const char *unit; /* ?unit=: only entries inside it; NULL: all in scope */
} scope_ctx;

static int unit_ok(void *p, const char *unit) {
  scope_ctx *c = p;
  int32_t today = date_today();
  return acl_covers(&c->s->h, c->r->user->unit_code, unit, today) &&
         (!c->unit || acl_covers(&c->s->h, c->unit, unit, today));
}

static int64_t day_ms(const char *v, int next) {
  int32_t day;
  if (date_parse(v, &day)) return -1;
  return ((int64_t)day + next) * 86400000LL - 7 * 3600 * 1000LL; /* Vietnam time, UTC+7 */
}

static int int_param(http_req *r, const char *name, int64_t def, int64_t max, int64_t *out) {
  const char *v = http_query(r, name);
  *out = def;
  if (!v || !*v) return 1;
  char *end;
  long long n = strtoll(v, &end, 10);
  if (*end || n < 0 || n > max) {
    http_error(
        r, 400, "bad_parameter", name,
        arena_sprintf(&r->mem, "%s must be a whole number from 0 to %lld", name, (long long)max),
        arena_sprintf(&r->mem, "Tham số %s phải là số nguyên từ 0 đến %lld.", name,
                      (long long)max));
    return 0;
  }
  *out = n;
  return 1;
}

static json_t *json_text_or_null(const char *text) {
  if (!text) return json_null();
  json_t *o = json_loads(text, 0, NULL);
  return o ? o : json_string(text);
}

/* Reads the filters of the list into f (offset and limit when paged) and
 * acquires the snapshot the scope is checked against (*s, with c filled in).
 * 0 with an error sent. */
static int audit_params(http_req *r, int paged, audit_filter *f, scope_ctx *c, app_snapshot **s) {
  memset(f, 0, sizeof *f);
  const char *v;
#define TEXT(field, name) \
  if ((v = http_query(r, name)) && *v) f->field = v
  TEXT(actor, "actor");
  TEXT(action, "action");
  TEXT(object_kind, "object_kind");
  TEXT(object_id, "object");
  TEXT(entity, "entity");
#undef TEXT
  const char *names[2] = {"from", "to"};
  for (int i = 0; i < 2; i++) {
    if (!(v = http_query(r, names[i])) || !*v) continue;
    int64_t ms = day_ms(v, i);
    if (ms < 0)
      return http_error(
                 r, 400, "bad_parameter", names[i],
                 arena_sprintf(&r->mem, "%s must be a date written YYYY-MM-DD", names[i]),
                 arena_sprintf(&r->mem, "Tham số %s phải là ngày dạng YYYY-MM-DD.", names[i])),
             0;
    if (i == 0)
      f->from_ms = ms;
    else
      f->to_ms = ms;
  }
  if (paged) {
    if (!int_param(r, "offset", 0, 100000000, &f->offset)) return 0;
    if (!int_param(r, "limit", 50, 500, &f->limit)) return 0;
    if (!f->limit) f->limit = 50;
  }
  ht_err err = {0};
  if (app_acquire(r->app, r->db, s, &err))
    return http_error(r, 500, "internal", NULL, err.msg, "Lỗi máy chủ."), 0;
  const char *unit = http_query(r, "unit");
  *c = (scope_ctx){r, *s, unit && *unit ? unit : NULL};
  f->unit_ok = unit_ok;
  f->unit_ctx = c;
  size_t nv;
  const hier_unit *scope = hier_versions(&(*s)->h, r->user->unit_code, &nv);
  f->unitless_ok = nv && !scope[nv - 1].parent_code && !c->unit;
  return 1;
}

int h_audit_list(http_req *r) {
  audit_filter f;
  scope_ctx c;
  app_snapshot *s;
  if (!audit_params(r, 1, &f, &c, &s)) return 0;
  ht_err err = {0};
  audit_row *rows;
  size_t n;
  int64_t total;
  int rc = audit_list(r->db, &f, &r->mem, &rows, &n, &total, &err);
  if (rc) {
    app_release(r->app, s);
    return http_error(r, 500, "internal", NULL, err.msg, "Lỗi máy chủ.");
  }
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) {
    const audit_row *a = &rows[i];
    json_t *o = json_pack("{sIssssssssssssss}", "seq", (json_int_t)a->seq, "at",
                          http_iso_time(a->at, &r->mem), "actor", a->actor, "addr", a->addr,
                          "action", a->action, "object_kind", a->object_kind, "object_id",
                          a->object_id, "unit_code", a->unit_code);
    json_object_set_new(o, "before", json_text_or_null(a->before_json));
    json_object_set_new(o, "after", json_text_or_null(a->after_json));
    json_array_append_new(arr, o);
  }
  app_release(r->app, s);
  return http_json(r, 200, json_pack("{sIso}", "total", (json_int_t)total, "entries", arr));
}

/* GET /api/v1/audit.csv and .xlsx: every entry of the filtered list (no
 * pages), streamed. The trail names officers and their addresses, so the
 * download itself is written to the trail (export.audit). */
static int audit_export(http_req *r, tbl_format format) {
  audit_filter f;
  scope_ctx c;
  app_snapshot *s;
  if (!audit_params(r, 0, &f, &c, &s)) return 0;
  http_export x;
  ht_err err = {0};
  int ok = http_export_begin(r, &x, format, "audit");
  int rc = ok ? export_audit(&x.out, r->db, &f, 0, &err) : HT_OK;
  app_release(r->app, s);
  if (!ok) return 0;
  if (rc != HT_OK) return http_export_fail(r, &x, err.msg);
  char day[11];
  const char *unit = c.unit ? c.unit : r->user->unit_code;
  http_export_audit audit = {"export.audit", "export", "audit", unit, NULL};
  return http_export_end(
      r, &x, arena_sprintf(&r->mem, "nhat-ky-%s-%s", unit, date_format(date_today(), day)), &audit);
}

int h_audit_csv(http_req *r) {
  return audit_export(r, TBL_CSV);
}

int h_audit_xlsx(http_req *r) {
  return audit_export(r, TBL_XLSX);
}
