/* h_dashboard.c - GET /api/v1/dashboard?year=Y&unit=CODE&targets=KEY&basis=B
 * (docs/dashboard.md): where a unit stands against the targets, from the
 * dashboard tables the server keeps per year (app_dash_tables). */
#include <math.h>
#include <string.h>

#include "base/date.h"
#include "faces/http/http.h"
#include "services/dashboard.h"

static json_t *num(double v) {
  if (isnan(v)) return json_null();
  return json_real(round(v * 1e6) / 1e6);
}

static json_t *str_or_null(const char *s) {
  return s ? json_string(s) : json_null();
}

json_t *http_dash_figure(const dash_figure *f) {
  json_t *o = json_pack("{sisisisisi}", "eligible", f->eligible, "registered", f->registered,
                        "meets", f->meets, "recognised", f->recognised, "level2", f->level2);
  json_object_set_new(o, "registered_rate", num(f->registered_rate));
  json_object_set_new(o, "meets_rate", num(f->meets_rate));
  json_object_set_new(o, "recognised_rate", num(f->recognised_rate));
  json_object_set_new(o, "rate", num(f->rate));
  json_object_set_new(o, "target", num(f->target));
  json_object_set_new(o, "target_year",
                      f->target_year ? json_integer(f->target_year) : json_null());
  json_object_set_new(o, "target_set", str_or_null(f->target_set));
  json_object_set_new(o, "target_group", str_or_null(f->target_group));
  json_object_set_new(o, "gap", num(f->gap));
  return o;
}

static json_t *unit_json(const hier_unit *u) {
  return json_pack("{ssssssss}", "code", u->code, "name", u->name, "kind", u->kind->key,
                   "kind_name", u->kind->name_vi);
}

static json_t *ranked_json(const dash_ranked *r, int with_parent) {
  json_t *a = json_array();
  for (size_t i = 0; i < r->n; i++) {
    json_t *o = unit_json(r->units[i].unit);
    json_object_set_new(o, "has_children", json_boolean(r->units[i].has_children));
    if (with_parent) json_object_set_new(o, "parent_name", str_or_null(r->units[i].parent_name));
    json_object_set_new(o, "figure", http_dash_figure(&r->fig[i]));
    json_array_append_new(a, o);
  }
  return a;
}

static json_t *trend_json(const dash_title *t) {
  json_t *a = json_array();
  for (size_t i = 0; i < t->ntrend; i++) {
    const dash_point *p = &t->trend[i];
    json_t *from = json_array();
    for (size_t k = 0; k < p->nfrom; k++)
      json_array_append_new(from,
                            json_pack("{ssss}", "code", p->from[k], "name", p->from_names[k]));
    json_t *o = json_pack("{sisbsbsbso}", "year", p->year, "available", p->available, "combined",
                          p->combined, "shared", p->shared, "from", from);
    json_object_set_new(o, "figure", p->available ? http_dash_figure(&p->fig) : json_null());
    json_array_append_new(a, o);
  }
  return a;
}

json_t *http_dashboard_json(const dashboard *d) {
  json_t *groups = json_array();
  const char *g = d->unit->groups;
  while (g && *g) {
    const char *bar = strchr(g, '|');
    size_t n = bar ? (size_t)(bar - g) : strlen(g);
    if (n) json_array_append_new(groups, json_stringn(g, n));
    g = bar ? bar + 1 : g + n;
  }
  json_t *unit = unit_json(d->unit);
  json_object_set_new(unit, "groups", groups);
  json_t *ancestors = json_array();
  for (size_t i = 0; i < d->nancestors; i++)
    json_array_append_new(ancestors, unit_json(d->ancestors[i]));
  json_t *children = json_array();
  for (size_t i = 0; i < d->nchildren; i++) {
    json_t *o = unit_json(d->children[i].unit);
    json_object_set_new(o, "has_children", json_boolean(d->children[i].has_children));
    json_array_append_new(children, o);
  }
  json_t *years = json_array();
  for (int y = DASH_FIRST_YEAR; y <= d->year; y++) json_array_append_new(years, json_integer(y));
  json_t *titles = json_array();
  for (int i = 0; i < d->ntitles; i++) {
    const dash_title *t = &d->titles[i];
    json_t *o =
        json_pack("{sssssssssi}", "key", t->t->key, "name", t->t->name ? t->t->name : t->t->key,
                  "name_en", t->t->name_en ? t->t->name_en : t->t->key, "entity",
                  crit_entity_name(t->t->entity), "levels", t->t->levels);
    json_object_set_new(o, "figure", http_dash_figure(&t->fig));
    json_object_set_new(o, "children", ranked_json(&t->children, 0));
    json_object_set_new(o, "behind", ranked_json(&t->behind, 1));
    json_object_set_new(o, "trend", trend_json(t));
    json_array_append_new(titles, o);
  }
  json_t *measures = json_array();
  for (int m = 0; m < d->nmeasures; m++) {
    const dash_measure *x = &d->measures[m];
    json_t *o = json_pack("{sssssssisi}", "key", x->key, "name", x->name, "name_en", x->name_en,
                          "numerator", x->numerator, "denominator", x->denominator);
    json_object_set_new(o, "rate", num(x->rate));
    json_object_set_new(o, "target", num(x->target));
    json_object_set_new(o, "target_year",
                        x->target_year ? json_integer(x->target_year) : json_null());
    json_object_set_new(o, "target_set", str_or_null(x->target_set));
    json_array_append_new(measures, o);
  }
  char buf[11];
  json_t *o = json_pack(
      "{sisssssoso}", "year", d->year, "date", date_format(date_from_ymd(d->year, 12, 31), buf),
      "basis", dash_basis_name(d->basis), "targets", str_or_null(d->targets), "unit", unit);
  json_object_set_new(o, "ancestors", ancestors);
  json_object_set_new(o, "children", children);
  json_object_set_new(o, "years", years);
  json_object_set_new(o, "titles", titles);
  json_object_set_new(o, "measures", measures);
  return o;
}

int http_dash_params(http_req *r, dash_params *p) {
  memset(p, 0, sizeof *p);
  if (!http_year_param(r, &p->year)) return 0;
  if (p->year < DASH_FIRST_YEAR || p->year >= DASH_FIRST_YEAR + DASH_MAX_YEARS)
    return http_error(r, 400, "bad_parameter", "year",
                      arena_sprintf(&r->mem, "year must be between %d and %d", DASH_FIRST_YEAR,
                                    DASH_FIRST_YEAR + DASH_MAX_YEARS - 1),
                      arena_sprintf(&r->mem, "Tham số year phải từ %d đến %d.", DASH_FIRST_YEAR,
                                    DASH_FIRST_YEAR + DASH_MAX_YEARS - 1)),
           0;
  int basis = dash_basis_parse(http_query(r, "basis"));
  if (basis < 0)
    return http_error(r, 400, "bad_parameter", "basis", "basis must be evaluation or decision",
                      "Tham số basis phải là evaluation (theo đánh giá) hoặc decision (theo "
                      "quyết định công nhận)."),
           0;
  p->basis = (dash_basis)basis;
  const char *t = http_query(r, "targets");
  p->targets = t && *t ? t : NULL;
  const char *u = http_query(r, "unit");
  p->unit = u && *u ? u : r->unit && *r->unit ? r->unit : NULL;
  return 1;
}

/* The snapshot and the year tables (0 with a 500 sent and nothing held). */
static int dash_tables(http_req *r, const dash_params *p, app_snapshot **s,
                       dash_table *tables[DASH_MAX_YEARS]) {
  ht_err err = {0};
  *s = NULL;
  if (app_acquire(r->app, r->db, s, &err) ||
      app_dash_tables(r->app, *s, r->db, p->year, tables, &err)) {
    app_release(r->app, *s);
    *s = NULL;
    return http_error(r, 500, "internal", NULL, err.msg,
                      "Lỗi máy chủ khi tính số liệu; vui lòng thử lại hoặc báo quản trị viên."),
           0;
  }
  return 1;
}

/* Builds d from what dash_tables acquired (0 with the error sent and all of it released). */
static int dash_build_for(http_req *r, const dash_params *p, app_snapshot **s,
                          dash_table *tables[DASH_MAX_YEARS], dashboard *d) {
  ht_err err = {0};
  if (p->targets && !tgt_find(&(*s)->targets.set, p->targets)) {
    app_dash_tables_done(*s, tables);
    app_release(r->app, *s);
    *s = NULL;
    return http_error(
               r, 400, "bad_parameter", "targets",
               arena_sprintf(&r->mem, "no target set '%s'; GET /api/v1/targets lists the sets",
                             p->targets),
               arena_sprintf(&r->mem,
                             "Không có bộ mục tiêu '%s'; hãy chọn một bộ trong danh sách "
                             "mục tiêu.",
                             p->targets)),
           0;
  }
  dash_params q = *p;
  q.province = (int)db_prov(r->db);
  if (dash_build(d, &(*s)->h, &(*s)->targets.set, &q, tables, &err) != HT_OK) {
    dash_free(d);
    app_dash_tables_done(*s, tables);
    app_release(r->app, *s);
    *s = NULL;
    const char *code = p->unit ? p->unit : "";
    return http_error(r, 404, "unit_not_found", "unit",
                      arena_sprintf(&r->mem, "no administrative unit '%s' on 31 December %d", code,
                                    p->year),
                      arena_sprintf(&r->mem, "Không có đơn vị hành chính '%s' vào ngày 31/12/%d.",
                                    code, p->year)),
           0;
  }
  return 1;
}

int http_dash_begin(http_req *r, const dash_params *p, app_snapshot **s,
                    dash_table *tables[DASH_MAX_YEARS], dashboard *d) {
  return dash_tables(r, p, s, tables) && dash_build_for(r, p, s, tables, d);
}

void http_dash_end(http_req *r, app_snapshot *s, dash_table *tables[DASH_MAX_YEARS], dashboard *d) {
  dash_free(d);
  app_dash_tables_done(s, tables);
  app_release(r->app, s);
}

/* The dashboard's validator: the tables it is built from (each build has its
 * own serial, and a table is rebuilt whenever its year's data change), the
 * hierarchy and targets (the snapshot's generation) and what was asked. */
static const char *dash_etag(http_req *r, const dash_params *p, app_snapshot *s,
                             dash_table *const *tables) {
  strbuf b = STRBUF_INIT;
  strbuf_printf(&b, "W/\"d%lld", (long long)s->generation);
  for (int i = 0; i < DASH_MAX_YEARS; i++)
    if (tables[i]) strbuf_printf(&b, ".%llu", (unsigned long long)tables[i]->serial);
  uint64_t h = 1469598103934665603ull; /* FNV-1a of the parameters */
  const char *parts[] = {p->unit ? p->unit : "", p->targets ? p->targets : "",
                         dash_basis_name(p->basis)};
  for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
    for (const char *c = parts[i];; c++) {
      h = (h ^ (unsigned char)*c) * 1099511628211ull;
      if (!*c) break;
    }
  strbuf_printf(&b, "-%d-%016llx\"", p->year, (unsigned long long)h);
  const char *out = arena_strdup(&r->mem, strbuf_cstr(&b));
  strbuf_free(&b);
  return out;
}

int h_dashboard(http_req *r) {
  dash_params p;
  if (!http_dash_params(r, &p)) return 0;
  app_snapshot *s;
  dash_table *tables[DASH_MAX_YEARS];
  dashboard d;
  if (!dash_tables(r, &p, &s, tables)) return 0;
  /* the browser revalidates (private, no-cache): an unchanged dashboard is a
   * 304 with no body, decided before anything is built, so a page refreshing
   * every few seconds costs next to nothing */
  r->etag = dash_etag(r, &p, s, tables);
  r->cache_control = "private, no-cache";
  const char *seen = http_request_header(r, "If-None-Match");
  if (seen && !strcmp(seen, r->etag)) {
    app_dash_tables_done(s, tables);
    app_release(r->app, s);
    r->status = 304;
    return 0;
  }
  if (!dash_build_for(r, &p, &s, tables, &d)) return 0;
  json_t *o = http_dashboard_json(&d);
  http_dash_end(r, s, tables, &d);
  return http_json(r, 200, o);
}
