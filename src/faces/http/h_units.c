/* h_units.c - the administrative hierarchy API:
 *   GET /api/v1/units?date=D[&parent=CODE]   children (or roots) with counts
 *   GET /api/v1/units/{code}?date=D           one unit with ancestors and changes
 *   GET /api/v1/units/{code}/history          every version and change
 *   GET /api/v1/units.csv|.xlsx?date=D[&parent=CODE]   the list as a download */
#include <string.h>

#include "base/date.h"
#include "faces/http/http.h"
#include "faces/unit_json.h"
#include "services/export.h"

/* Reads ?date= (default today); on a bad value sends 400 and returns 0. */
static int date_param(http_req *r, int32_t *day) {
  const char *v = http_query(r, "date");
  *day = date_today();
  if (!v || !*v) return 1;
  if (date_parse(v, day) == HT_OK) return 1;
  http_error(r, 400, "bad_parameter", "date",
             "date must be a calendar date written YYYY-MM-DD, e.g. 2025-07-01",
             "Tham số date phải là ngày dạng YYYY-MM-DD, ví dụ 2025-07-01.");
  return 0;
}

static int internal(http_req *r, const ht_err *err) {
  return http_error(r, 500, "internal", NULL, err->msg,
                    "Lỗi máy chủ khi đọc dữ liệu; vui lòng thử lại hoặc báo quản trị viên.");
}

static int unit_missing(http_req *r, const hier *h, const char *code, int32_t day,
                        const char *param) {
  size_t nv;
  char buf[11];
  date_format(day, buf);
  if (!hier_versions(h, code, &nv)) {
    const char *en = arena_sprintf(&r->mem, "no administrative unit has the code '%s'", code);
    const char *vi = arena_sprintf(&r->mem, "Không có đơn vị hành chính nào mang mã '%s'.", code);
    return http_error(r, 404, "unit_not_found", param, en, vi);
  }
  const char *en = arena_sprintf(
      &r->mem, "unit %s is not valid on %s; see /api/v1/units/%s/history", code, buf, code);
  const char *vi = arena_sprintf(&r->mem,
                                 "Đơn vị %s không tồn tại vào ngày %s; xem lịch sử của đơn vị "
                                 "để biết thời gian hiệu lực.",
                                 code, buf);
  return http_error(r, 404, "not_valid_on_date", param, en, vi);
}

static json_t *with_counts(const hier *h, const hier_unit *u, const unit_counts *c, int32_t day,
                           arena *a) {
  unit_count n = unit_counts_of(c, u);
  json_t *o = unit_json(h, u, &n);
  const hier_unit **kids;
  json_object_set_new(o, "child_count",
                      json_integer((json_int_t)hier_children(h, u->code, day, a, &kids)));
  return o;
}

static size_t roots_in_scope(http_req *r, const hier *h, int32_t day, const hier_unit ***out) {
  const hier_unit **roots;
  size_t nroots = hier_children(h, NULL, day, &r->mem, &roots), n = 0;
  const hier_unit **keep = arena_alloc(&r->mem, (nroots + 1) * sizeof *keep);
  for (size_t i = 0; i < nroots; i++)
    if (acl_covers(h, r->user->unit_code, roots[i]->code, day)) keep[n++] = roots[i];
  if (!n) {
    /* Else the scope's own unit on that day, and the units it succeeded by a
     * change after that day that still stood then, transitively: a commune
     * created in 2025 asked about 2024, and the communes merged into one of
     * its predecessors in January 2025 (acl_covers grants them all). */
    size_t cap = h->nchanges + 2, ntodo = 0, done = 0;
    const char **todo = arena_alloc(&r->mem, cap * sizeof *todo);
    keep = arena_alloc(&r->mem, cap * sizeof *keep);
    todo[ntodo++] = r->user->unit_code;
    const hier_unit *own = hier_find(h, r->user->unit_code, day);
    if (own) keep[n++] = own;
    while (done < ntodo) {
      const hier_change **pred;
      size_t np = hier_predecessors(h, todo[done++], &r->mem, &pred);
      for (size_t i = 0; i < np && ntodo < cap; i++) {
        if (pred[i]->day <= day) continue;
        todo[ntodo++] = pred[i]->old_code;
        const hier_unit *p = hier_find(h, pred[i]->old_code, day);
        size_t k = 0;
        while (k < n && keep[k] != p) k++;
        if (p && k == n) keep[n++] = p;
      }
    }
  }
  *out = keep;
  return n;
}

/* What a units list shows (h_units_list and its downloads): the day, the
 * snapshot, the parent (NULL without one) and the units with their counts. */
typedef struct units_view {
  int32_t day;
  app_snapshot *s;
  const hier_unit *parent, **units;
  size_t n;
  unit_counts counts;
} units_view;

/* The children of ?parent= on ?date=, else the top level the user sees (the
 * roots inside the scope, else the scope's own unit on that day, else the
 * units it succeeded: a commune created in 2025 asked about 2024). 0 with
 * an error sent; else call units_view_end(). */
static int units_view_begin(http_req *r, units_view *v) {
  memset(v, 0, sizeof *v);
  if (!date_param(r, &v->day)) return 0;
  ht_err err = {0};
  if (app_acquire(r->app, r->db, &v->s, &err)) return internal(r, &err), 0;
  const hier *h = &v->s->h;
  const char *parent = http_query(r, "parent");
  if (parent && *parent) {
    if (!(v->parent = hier_find(h, parent, v->day))) {
      unit_missing(r, h, parent, v->day, "parent");
      app_release(r->app, v->s);
      return 0;
    }
    v->n = hier_children(h, parent, v->day, &r->mem, &v->units);
  } else {
    v->n = roots_in_scope(r, h, v->day, &v->units);
  }
  if (app_counts(v->s, r->db, v->day, &v->counts, &err)) {
    app_release(r->app, v->s);
    return internal(r, &err), 0;
  }
  return 1;
}

static void units_view_end(http_req *r, units_view *v) {
  unit_counts_free(&v->counts);
  app_release(r->app, v->s);
}

int h_units_list(http_req *r) {
  units_view v;
  if (!units_view_begin(r, &v)) return 0;
  const hier *h = &v.s->h;
  json_t *arr = json_array();
  for (size_t i = 0; i < v.n; i++)
    json_array_append_new(arr, with_counts(h, v.units[i], &v.counts, v.day, &r->mem));
  char buf[11];
  json_t *o = json_object();
  json_object_set_new(o, "date", json_string(date_format(v.day, buf)));
  json_object_set_new(o, "parent",
                      v.parent ? with_counts(h, v.parent, &v.counts, v.day, &r->mem) : json_null());
  json_object_set_new(o, "units", arr);
  units_view_end(r, &v);
  return http_json(r, 200, o);
}

/* GET /api/v1/units.csv and .xlsx: the list of h_units_list (with its
 * counts) for Excel. */
static int units_export(http_req *r, tbl_format format) {
  units_view v;
  if (!units_view_begin(r, &v)) return 0;
  char buf[11];
  const char *name = arena_sprintf(&r->mem, "don-vi-%s-%s", v.parent ? v.parent->code : "goc",
                                   date_format(v.day, buf));
  http_export x;
  int ok = http_export_begin(r, &x, format, name);
  if (ok) export_units(&x.out, &v.s->h, v.units, v.n, &v.counts, v.day, 0, &r->mem);
  units_view_end(r, &v);
  return ok ? http_export_end(r, &x, name, NULL) : 0;
}

int h_units_csv(http_req *r) {
  return units_export(r, TBL_CSV);
}

int h_units_xlsx(http_req *r) {
  return units_export(r, TBL_XLSX);
}

int h_unit_get(http_req *r) {
  int32_t day;
  if (!date_param(r, &day)) return 0;
  const char *code = r->params[0];
  app_snapshot *s;
  ht_err err = {0};
  if (app_acquire(r->app, r->db, &s, &err)) return internal(r, &err);
  const hier_unit *u = hier_find(&s->h, code, day);
  if (!u) {
    unit_missing(r, &s->h, code, day, "code");
    app_release(r->app, s);
    return 0;
  }
  unit_counts c;
  if (app_counts(s, r->db, day, &c, &err)) {
    app_release(r->app, s);
    return internal(r, &err);
  }
  json_t *o = json_object();
  char buf[11];
  json_object_set_new(o, "date", json_string(date_format(day, buf)));
  json_object_set_new(o, "unit", with_counts(&s->h, u, &c, day, &r->mem));
  const hier_unit **anc;
  size_t n = hier_ancestors(&s->h, u, day, &r->mem, &anc);
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(
        arr, json_pack("{ssssssss}", "code", anc[i]->code, "name", anc[i]->name, "kind",
                       anc[i]->kind->key, "kind_name", anc[i]->kind->name_vi));
  json_object_set_new(o, "ancestors", arr);
  json_object_set_new(o, "predecessors", unit_changes_json(&s->h, code, 0, &r->mem, 0));
  json_object_set_new(o, "successors", unit_changes_json(&s->h, code, 1, &r->mem, 0));
  unit_counts_free(&c);
  app_release(r->app, s);
  return http_json(r, 200, o);
}

int h_unit_history(http_req *r) {
  app_snapshot *s;
  ht_err err = {0};
  if (app_acquire(r->app, r->db, &s, &err)) return internal(r, &err);
  size_t nv;
  if (!hier_versions(&s->h, r->params[0], &nv)) {
    unit_missing(r, &s->h, r->params[0], date_today(), "code");
    app_release(r->app, s);
    return 0;
  }
  json_t *o = unit_history_json(&s->h, r->params[0], &r->mem);
  app_release(r->app, s);
  return http_json(r, 200, o);
}
