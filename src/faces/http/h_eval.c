/* h_eval.c - the evaluation API (docs/api.md):
 *   GET /api/v1/evaluation?year=Y[&unit=CODE]            rollup for a unit and its children
 *   GET /api/v1/results?year=Y&title=T[&unit=CODE]...    per-entity results, paginated
 *   GET /api/v1/explain?year=Y&title=T&code=CODE          one entity's explanation
 *   GET /api/v1/results.csv|.xlsx, /api/v1/evaluation.csv|.xlsx   the same as downloads
 * Persons are addressed by their key P<id>; citizen IDs are only shown masked. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "faces/http/http.h"
#include "model/registry.h"
#include "services/evaluation.h"
#include "services/export.h"
#include "services/targets_hook.h"

static int internal(http_req *r, const ht_err *err) {
  return http_error(r, 500, "internal", NULL, err->msg,
                    "Lỗi máy chủ khi đánh giá; vui lòng thử lại hoặc báo quản trị viên.");
}

static json_t *num(double v) {
  if (isnan(v)) return json_null();
  if (v == floor(v) && fabs(v) < 1e15) return json_integer((json_int_t)v);
  return json_real(round(v * 1e6) / 1e6);
}

static json_t *title_json(const crit_title *t) {
  json_t *o =
      json_pack("{sssssssssssi}", "key", t->key, "name", t->name ? t->name : t->key, "name_en",
                t->name_en ? t->name_en : t->key, "entity", crit_entity_name(t->entity), "decision",
                t->decision ? t->decision : "", "levels", t->levels);
  return o;
}

static json_t *counts_json(const eval_row *row) {
  json_t *o = json_pack("{sisisisisi}", "eligible", row->counts.eligible, "registered",
                        row->counts.registered, "evaluated", row->counts.evaluated, "recognised",
                        row->counts.recognised, "level2", row->counts.level2);
  json_object_set_new(o, "rate", num(row->rate));
  json_object_set_new(o, "registered_rate", num(row->registered_rate));
  json_object_set_new(o, "target", num(row->target));
  json_object_set_new(o, "target_source",
                      row->target_source ? json_string(row->target_source) : json_null());
  json_object_set_new(o, "target_year",
                      row->target_year ? json_integer(row->target_year) : json_null());
  json_object_set_new(
      o, "gap",
      isnan(row->target) || isnan(row->rate) ? json_null() : num(row->target - row->rate));
  return o;
}

static json_t *unit_brief(const hier_unit *u) {
  return json_pack("{ssssssss}", "code", u->code, "name", u->name, "kind", u->kind->key,
                   "kind_name", u->kind->name_vi);
}

/* Common start: snapshot, year, engine, and the unit (default: the first root). */
typedef struct ctx {
  app_snapshot *s;
  engine *e;
  int year;
  const hier_unit *unit;
  crit_entity kind;
  int32_t index;
  int title; /* engine index of the title asked for, or -1 */
} ctx;

static void ctx_end(http_req *r, ctx *c) {
  if (c->e) app_engine_done(c->s);
  if (c->s) app_release(r->app, c->s);
}

static int ctx_title(http_req *r, ctx *c, const char *key);
static int ctx_open(http_req *r, ctx *c);

/* On failure the error is sent and the context ended: return 0 at once.
 * title_key (may be NULL) must name a title in force in the year. */
static int ctx_begin(http_req *r, ctx *c, const char *title_key) {
  if (!ctx_open(r, c)) {
    ctx_end(r, c);
    return 0;
  }
  return ctx_title(r, c, title_key);
}

static int ctx_open(http_req *r, ctx *c) {
  memset(c, 0, sizeof *c);
  c->title = -1;
  if (!http_year_param(r, &c->year)) return 0;
  ht_err err = {0};
  if (app_acquire(r->app, r->db, &c->s, &err)) {
    internal(r, &err);
    return 0;
  }
  if (app_engine(r->app, c->s, r->db, c->year, &c->e, &err)) {
    internal(r, &err);
    c->e = NULL;
    return 0;
  }
  /* ?unit=, else the user's own unit (authz resolved it into r->unit) */
  const char *code = http_query(r, "unit");
  int32_t day = date_from_ymd(c->year, 12, 31);
  if ((!code || !*code) && r->unit && *r->unit) code = r->unit;
  if (!code || !*code) {
    const hier_unit **roots;
    if (!hier_children(&c->s->h, NULL, day, &r->mem, &roots)) {
      http_error(r, 404, "no_units", "unit", "the database has no administrative units",
                 "Chưa có đơn vị hành chính nào.");
      return 0;
    }
    code = roots[0]->code;
  }
  if (evaluation_unit(c->e, &c->s->h, code, &c->unit, &c->kind, &c->index) != 0) {
    http_error(
        r, 404, "unit_not_found", "unit",
        arena_sprintf(&r->mem, "no administrative unit '%s' on 31 December %d", code, c->year),
        arena_sprintf(&r->mem, "Không có đơn vị hành chính '%s' vào ngày 31/12/%d.", code,
                      c->year));
    return 0;
  }
  return 1;
}

static int title_missing(http_req *r, const char *key, int year) {
  return http_error(
      r, 404, "title_not_found", "title",
      arena_sprintf(&r->mem, "no title '%s' is in force in %d", key, year),
      arena_sprintf(&r->mem, "Không có danh hiệu '%s' áp dụng trong năm %d.", key, year));
}

static int ctx_title(http_req *r, ctx *c, const char *key) {
  if (!key) return 1;
  c->title = eng_title_find(c->e, key);
  if (c->title >= 0) return 1;
  ctx_end(r, c);
  title_missing(r, key, c->year);
  return 0;
}

static targets_hook *targets(ctx *c) {
  return &c->s->targets;
}

int h_evaluation(http_req *r) {
  ctx c;
  if (!ctx_begin(r, &c, NULL)) return 0;
  eval_row rows[64];
  json_t *titles = json_array();
  int n =
      evaluation_rows_for(c.e, c.unit, c.kind, c.index, -1, targets_hook_fn, targets(&c), rows, 64);
  for (int i = 0; i < n; i++) {
    json_t *t = title_json(eng_title_at(c.e, rows[i].title));
    json_t *cj = counts_json(&rows[i]);
    json_object_update(t, cj);
    json_decref(cj);
    json_array_append_new(titles, t);
  }
  int32_t day = date_from_ymd(c.year, 12, 31);
  const hier_unit **kids;
  size_t nk = hier_children(&c.s->h, c.unit->code, day, &r->mem, &kids);
  json_t *children = json_array();
  for (size_t k = 0; k < nk; k++) {
    const hier_unit *u;
    crit_entity kind;
    int32_t ix;
    if (evaluation_unit(c.e, &c.s->h, kids[k]->code, &u, &kind, &ix) != 0) continue;
    json_t *cj = unit_brief(u);
    json_t *ct = json_object();
    int m = evaluation_rows_for(c.e, u, kind, ix, -1, targets_hook_fn, targets(&c), rows, 64);
    for (int i = 0; i < m; i++)
      json_object_set_new(ct, eng_title_at(c.e, rows[i].title)->key, counts_json(&rows[i]));
    json_object_set_new(cj, "titles", ct);
    json_array_append_new(children, cj);
  }
  const hier_unit **anc;
  size_t na = hier_ancestors(&c.s->h, c.unit, day, &r->mem, &anc);
  json_t *ancestors = json_array();
  for (size_t i = 0; i < na; i++) json_array_append_new(ancestors, unit_brief(anc[i]));
  char buf[11];
  json_t *o = json_pack("{sisssososo}", "year", c.year, "date", date_format(day, buf), "unit",
                        unit_brief(c.unit), "ancestors", ancestors, "titles", titles);
  json_object_set_new(o, "children", children);
  ctx_end(r, &c);
  return http_json(r, 200, o);
}

static json_t *entity_head(http_req *r, const engine *e, const hier *h, int title, int32_t j) {
  const crit_title *t = eng_title_at(e, title);
  const eng_facts *f = eng_facts_of(e);
  strbuf code = STRBUF_INIT;
  if (t->entity == CRIT_PERSON)
    strbuf_printf(&code, "P%lld", (long long)f->person_id[j]);
  else
    eng_code(e, t->entity, j, &code);
  eng_result res;
  eng_result_of(e, title, j, &res);
  json_t *o = json_pack("{sssssbsbsbsbsb}", "code", strbuf_cstr(&code), "name",
                        evaluation_entity_name(r->db, e, h, t->entity, j, &r->mem), "eligible",
                        res.eligible, "registered", res.registered, "evaluated", res.evaluated,
                        "recognised", res.recognised, "decided", res.held);
  strbuf_free(&code);
  json_object_set_new(o, "total", num(res.total));
  json_object_set_new(o, "level", t->levels ? json_integer(res.level) : json_null());
  if (t->entity == CRIT_PERSON) {
    const char *cid = f->person_cid[j];
    json_object_set_new(o, "citizen_id_masked",
                        cid ? json_string(reg_mask_citizen_id(cid, &r->mem)) : json_null());
    json_object_set_new(o, "age", json_integer(f->year - f->birth_year[j]));
  }
  return o;
}

/* The list filters: ?recognised= (criteria met), ?registered=, ?decided=
 * (recognised by a decision, certificate valid): yes, no or absent (any). */
typedef struct results_filter {
  const char *recognised, *registered, *decided;
} results_filter;

static int filter_param(http_req *r, const char *name, const char **out) {
  *out = http_query(r, name);
  if (*out && !**out) *out = NULL;
  if (*out && strcmp(*out, "yes") && strcmp(*out, "no"))
    return http_error(r, 400, "bad_parameter", name,
                      arena_sprintf(&r->mem, "%s must be yes or no", name),
                      arena_sprintf(&r->mem, "Tham số %s phải là yes hoặc no.", name)),
           0;
  return 1;
}

/* ?title= is required; the filters must be valid. 0 with a response sent. */
static int results_params(http_req *r, const char **tk, results_filter *f) {
  *tk = http_query(r, "title");
  if (!*tk || !**tk)
    return http_error(r, 400, "missing_parameter", "title",
                      "title is required, e.g. title=gia-dinh-hoc-tap",
                      "Thiếu tham số title (danh hiệu), ví dụ gia-dinh-hoc-tap."),
           0;
  return filter_param(r, "recognised", &f->recognised) &&
         filter_param(r, "registered", &f->registered) && filter_param(r, "decided", &f->decided);
}

static int keep(const char *want, int have) {
  return !want || (!strcmp(want, "yes")) == (have != 0);
}

/* The entities of c's title below c's unit that pass the filters. Caller frees. */
static int32_t *results_entities(const ctx *c, const results_filter *f, int32_t *n) {
  int32_t *ents = evaluation_entities(c->e, c->title, c->kind, c->index, n);
  if (f->recognised || f->registered || f->decided) {
    int m = 0;
    for (int32_t i = 0; i < *n; i++) {
      eng_result res;
      eng_result_of(c->e, c->title, ents[i], &res);
      if (keep(f->recognised, res.recognised) && keep(f->registered, res.registered) &&
          keep(f->decided, res.held))
        ents[m++] = ents[i];
    }
    *n = m;
  }
  return ents;
}

int h_results(http_req *r) {
  const char *tk;
  results_filter filter;
  if (!results_params(r, &tk, &filter)) return 0;
  long offset = 0, limit = 50;
  const char *v = http_query(r, "offset");
  char *end;
  if (v && *v && ((offset = strtol(v, &end, 10)) < 0 || *end))
    return http_error(r, 400, "bad_parameter", "offset", "offset must be a whole number >= 0",
                      "Tham số offset phải là số nguyên không âm.");
  v = http_query(r, "limit");
  if (v && *v && ((limit = strtol(v, &end, 10)) < 1 || limit > 500 || *end))
    return http_error(r, 400, "bad_parameter", "limit", "limit must be a whole number 1..500",
                      "Tham số limit phải là số nguyên từ 1 đến 500.");
  ctx c;
  if (!ctx_begin(r, &c, tk)) return 0;
  int title = c.title;
  const crit_title *t = eng_title_at(c.e, title);
  int32_t n;
  int32_t *ents = results_entities(&c, &filter, &n);
  json_t *items = json_array();
  int nitems = eng_item_count(c.e, title);
  for (int i = 0; i < nitems; i++) {
    const crit_item *it = eng_item_at(c.e, title, i);
    json_array_append_new(items, json_pack("{sssssf}", "key", it->key, "text", it->text, "max",
                                           t->levels ? (double)t->levels : it->max_points));
  }
  json_t *list = json_array();
  for (long i = offset; i < n && i < offset + limit; i++) {
    json_t *o = entity_head(r, c.e, &c.s->h, title, ents[i]);
    json_t *res = json_object();
    for (int k = 0; k < nitems; k++)
      json_object_set_new(res, eng_item_at(c.e, title, k)->key,
                          num(eng_item_result(c.e, title, k, ents[i])));
    json_object_set_new(o, "items", res);
    json_array_append_new(list, o);
  }
  free(ents);
  json_t *tj = title_json(t);
  json_object_set_new(tj, "items", items);
  json_t *o =
      json_pack("{sisosososisisi}", "year", c.year, "title", tj, "unit", unit_brief(c.unit),
                "entities", list, "total", (int)n, "offset", (int)offset, "limit", (int)limit);
  ctx_end(r, &c);
  return http_json(r, 200, o);
}

/* GET /api/v1/results.csv and .xlsx: the whole list for Excel
 * (services/export.h). Names of people are personal data: the routes need
 * personal.export, and each export is written to the audit trail with what
 * and how many rows. */
static int results_export(http_req *r, tbl_format format) {
  const char *tk;
  results_filter filter;
  if (!results_params(r, &tk, &filter)) return 0;
  ctx c;
  if (!ctx_begin(r, &c, tk)) return 0;
  int32_t n;
  int32_t *ents = results_entities(&c, &filter, &n);
  const char *unit = arena_strdup(&r->mem, c.unit->code); /* the snapshot goes with ctx_end */
  http_export x;
  int ok = http_export_begin(r, &x, format, arena_sprintf(&r->mem, "%s %d", tk, c.year));
  if (ok)
    export_results(&x.out, r->db, c.e, &c.s->h, c.title, ents, n, http_can(r, ACL_PERSONAL_READ),
                   0);
  free(ents);
  int year = c.year;
  ctx_end(r, &c);
  if (!ok) return 0;
  http_export_audit audit = {
      "export.results", "export", arena_sprintf(&r->mem, "%s/%d/%s", tk, year, unit), unit,
      arena_sprintf(&r->mem, "\"recognised\":\"%s\",\"registered\":\"%s\",\"decided\":\"%s\"",
                    filter.recognised ? filter.recognised : "any",
                    filter.registered ? filter.registered : "any",
                    filter.decided ? filter.decided : "any")};
  return http_export_end(r, &x, arena_sprintf(&r->mem, "ket-qua-%s-%s-%d", tk, unit, year), &audit);
}

int h_results_csv(http_req *r) {
  return results_export(r, TBL_CSV);
}

int h_results_xlsx(http_req *r) {
  return results_export(r, TBL_XLSX);
}

/* GET /api/v1/evaluation.csv and .xlsx: the rollup table of the evaluation
 * page (the unit and its children, every title) for Excel. Counts only, no
 * names of people: units.read, like the JSON. */
static int evaluation_export(http_req *r, tbl_format format) {
  ctx c;
  if (!ctx_begin(r, &c, NULL)) return 0;
  int32_t day = date_from_ymd(c.year, 12, 31);
  const hier_unit **kids;
  size_t nk = hier_children(&c.s->h, c.unit->code, day, &r->mem, &kids);
  const hier_unit **units = arena_alloc(&r->mem, (nk + 1) * sizeof *units);
  units[0] = c.unit;
  memcpy(units + 1, kids, nk * sizeof *kids);
  const char *name = arena_sprintf(&r->mem, "danh-gia-%s-%d", c.unit->code, c.year);
  http_export x;
  int ok = http_export_begin(r, &x, format, arena_sprintf(&r->mem, "%s %d", c.unit->code, c.year));
  if (ok) export_rollup(&x.out, c.e, &c.s->h, units, nk + 1, -1, targets_hook_fn, targets(&c), 0);
  ctx_end(r, &c);
  return ok ? http_export_end(r, &x, name, NULL) : 0;
}

int h_evaluation_csv(http_req *r) {
  return evaluation_export(r, TBL_CSV);
}

int h_evaluation_xlsx(http_req *r) {
  return evaluation_export(r, TBL_XLSX);
}

json_t *http_explain_json(http_req *r, engine *e, const hier *h, int title, int32_t j,
                          const char *lang) {
  const crit_title *t = eng_title_at(e, title);
  json_t *o = entity_head(r, e, h, title, j);
  json_object_set_new(o, "year", json_integer(eng_year(e)));
  json_object_set_new(o, "title", title_json(t));
  json_t *items = json_array();
  for (int k = 0; k < eng_item_count(e, title); k++) {
    eng_item_explain x;
    eng_explain_item(e, title, k, j, lang, &x);
    json_t *ij =
        json_pack("{ssssssssss}", "key", x.item->key, "text", x.item->text, "status", x.status,
                  "detail", x.detail, "group", x.item->group ? x.item->group : "");
    json_object_set_new(ij, "result", num(x.result));
    json_object_set_new(ij, "max", num(t->levels ? t->levels : x.item->max_points));
    json_object_set_new(ij, "value", num(x.value));
    strbuf rule = STRBUF_INIT;
    if (x.item->value) crit_expr_format(&rule, x.item->value);
    if (x.item->when) crit_expr_format(&rule, x.item->when);
    json_object_set_new(ij, "rule", json_string(strbuf_cstr(&rule)));
    strbuf_free(&rule);
    json_object_set_new(ij, "assumed", json_boolean(x.item->source.assumed));
    json_object_set_new(ij, "source", json_string(x.item->source.reference));
    json_array_append_new(items, ij);
  }
  json_object_set_new(o, "items", items);
  strbuf rec = STRBUF_INIT;
  eng_explain_recognition(e, title, j, lang, &rec);
  json_object_set_new(o, "recognition", json_string(strbuf_cstr(&rec)));
  strbuf_free(&rec);
  const char *unit_code = NULL;
  for (int k = CRIT_VILLAGE; k < CRIT_ENTITY_COUNT && !unit_code; k++) {
    if (!ENG_IS_UNIT(k)) continue;
    int32_t u = eng_owner(e, t->entity, j, (crit_entity)k);
    if (u >= 0) unit_code = eng_facts_of(e)->unit_code[k][u];
  }
  json_object_set_new(o, "unit", unit_code ? json_string(unit_code) : json_null());
  return o;
}

int h_explain(http_req *r) {
  const char *tk = http_query(r, "title"), *code = http_query(r, "code");
  const char *lang = http_query(r, "lang");
  if (!lang || strcmp(lang, "en")) lang = "vi";
  if (!tk || !*tk || !code || !*code)
    return http_error(r, 400, "missing_parameter", !tk || !*tk ? "title" : "code",
                      "title and code are required",
                      "Thiếu tham số title (danh hiệu) hoặc code (mã đối tượng).");
  ctx c;
  if (!ctx_begin(r, &c, tk)) return 0;
  int title = c.title;
  const crit_title *t = eng_title_at(c.e, title);
  int32_t j = code[0] == 'P' || t->entity != CRIT_PERSON ? eng_find(c.e, t->entity, code) : -1;
  if (j < 0) {
    ctx_end(r, &c);
    return http_error(
        r, 404, "entity_not_found", "code",
        arena_sprintf(&r->mem, "no %s '%s' in %d", crit_entity_name(t->entity), code, c.year),
        arena_sprintf(&r->mem, "Không tìm thấy đối tượng '%s' trong năm %d.", code, c.year));
  }
  json_t *o = http_explain_json(r, c.e, &c.s->h, title, j, lang);
  ctx_end(r, &c);
  return http_json(r, 200, o);
}
