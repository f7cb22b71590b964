/* h_templates.c - import templates to download (services/template.h,
 * docs/api.md):
 *   GET /api/v1/templates/{kind}.xlsx?year=Y[&unit=CODE][&title=T]
 *   GET /api/v1/templates/{kind}.csv?...
 * Without unit the template is empty; with it, prefilled with the rows of
 * the unit's subtree. Templates prefilled with names of people or citizen
 * IDs need personal.export besides the route's registry.read, and each such
 * download is written to the audit trail. The funds' kinds (donors,
 * donations, beneficiaries) also need funds.read. */
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "faces/http/http.h"
#include "services/template.h"

/* The answer to a request the plan refused: what param names is wrong. */
static int refused(http_req *r, int rc, const char *param, const ht_err *err) {
  int unit = param && !strcmp(param, "unit");
  if (rc == HT_ENOTFOUND)
    return http_error(r, 404, unit ? "unit_not_found" : "title_not_found", param, err->msg,
                      unit ? "Không có đơn vị này." : "Không có danh hiệu này.");
  return http_error(r, 400, "bad_parameter", param, err->msg,
                    unit ? "Đơn vị không tồn tại vào ngày 31/12 của năm đã chọn."
                         : "Cần chọn một danh hiệu áp dụng trong năm đã chọn.");
}

static int template_download(http_req *r, int xlsx) {
  tmpl_request req = {.year = date_year(date_today())};
  ht_err err = {0};
  if (intake_kind_parse(r->params[0], &req.kind, &err) != HT_OK)
    return http_error(r, 404, "unknown_kind", "kind", err.msg,
                      "Không có loại mẫu này; chọn households, persons, clans, units, "
                      "assessments, donors, donations hoặc beneficiaries.");
  /* the funds' templates are the funds' (donors, receipts, beneficiaries) */
  if (intake_kind_is_fund(req.kind) && !http_can(r, ACL_FUNDS_READ))
    return http_error(r, 403, "forbidden", "kind",
                      "the funds' templates need the permission funds.read",
                      "Mẫu nhập của quỹ khuyến học cần quyền xem quỹ.");
  const char *v = http_query(r, "year");
  if (v && *v) {
    char *end;
    long y = strtol(v, &end, 10);
    if (*end || y < 2000 || y > 2100)
      return http_error(r, 400, "bad_parameter", "year", "year must be a year such as 2025",
                        "Tham số year phải là một năm, ví dụ 2025.");
    req.year = (int)y;
  }
  req.title = http_query(r, "title");
  req.unit = http_query(r, "unit");
  app_snapshot *s;
  if (app_acquire(r->app, r->db, &s, &err))
    return http_error(r, 500, "internal", NULL, err.msg, "Lỗi máy chủ khi đọc dữ liệu.");
  tmpl_plan plan;
  const char *param = NULL;
  int rc = tmpl_plan_make(&s->h, &r->app->criteria, (int)db_prov(r->db), &req, &r->mem, &plan,
                          &param, &err);
  if (rc != HT_OK) {
    app_release(r->app, s);
    return refused(r, rc, param, &err);
  }
  int personal = tmpl_personal(&plan);
  if (personal && !http_can(r, ACL_PERSONAL_EXPORT)) {
    app_release(r->app, s);
    return http_error(r, 403, "forbidden", "unit",
                      "a template prefilled with names or citizen IDs needs the permission "
                      "personal.export; download the empty template instead",
                      "Mẫu điền sẵn họ tên, số định danh cần quyền xuất dữ liệu cá nhân; hãy tải "
                      "mẫu trống.");
  }
  const char *name = tmpl_file_name(&plan);
  const char *unit = plan.unit ? arena_strdup(&r->mem, plan.unit->code) : "";
  http_export x;
  if (!http_export_begin(r, &x, xlsx ? TBL_XLSX : TBL_CSV, "Nhập liệu")) {
    app_release(r->app, s);
    return 0;
  }
  long rows = 0;
  rc = tmpl_write(r->db, &plan, &x.out, &rows, &err);
  app_release(r->app, s); /* the plan's unit and title are gone with it */
  if (rc != HT_OK) return http_export_fail(r, &x, err.msg);
  /* names and citizen IDs: the download goes into the audit trail */
  http_export_audit audit = {
      "export.template", "template",
      arena_sprintf(&r->mem, "%s/%d/%s", req.title ? req.title : r->params[0], req.year, unit),
      unit, arena_sprintf(&r->mem, "\"kind\":\"%s\"", r->params[0])};
  return http_export_end(r, &x, name, personal ? &audit : NULL);
}

int h_template_xlsx(http_req *r) {
  return template_download(r, 1);
}

int h_template_csv(http_req *r) {
  return template_download(r, 0);
}
