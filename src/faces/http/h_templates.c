/* h_templates.c - import templates to download (services/template.h,
 * docs/api.md):
 *   GET /api/v1/templates/{kind}.xlsx?year=Y[&unit=CODE][&title=T]
 *   GET /api/v1/templates/{kind}.csv?...
 * Without unit the template is empty; with it, prefilled with the rows of
 * the unit's subtree. Templates prefilled with names of people or citizen
 * IDs need personal.export besides the route's registry.read, and each such
 * download is written to the audit trail. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/date.h"
#include "faces/http/http.h"
#include "services/template.h"

/* Reads the finished workbook at path into the response body. */
static int body_from_workbook(http_req *r, const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return HT_EIO;
  char buf[65536];
  size_t got;
  while ((got = fread(buf, 1, sizeof buf, f)) > 0) strbuf_append(&r->body, buf, got);
  int bad = ferror(f);
  fclose(f);
  return bad ? HT_EIO : HT_OK;
}

/* Writes plan as a workbook into the response body, through a temporary file. */
static int workbook(http_req *r, const tmpl_plan *plan, long *rows, ht_err *err) {
  char path[] = "/tmp/hoctap-template-XXXXXX.xlsx";
  int fd = mkstemps(path, 5);
  if (fd < 0) return ht_err_set(err, HT_EIO, "cannot create a temporary file for the workbook");
  close(fd);
  int rc = tmpl_write_xlsx(r->db, plan, path, rows, err);
  if (rc == HT_OK && body_from_workbook(r, path) != HT_OK)
    rc = ht_err_set(err, HT_EIO, "cannot read the finished workbook back");
  unlink(path);
  return rc;
}

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
                      "Không có loại mẫu này; chọn households, persons, clans, units hoặc "
                      "assessments.");
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
  long rows = 0;
  if (xlsx) {
    rc = workbook(r, &plan, &rows, &err);
  } else {
    csvw w;
    csvw_init_buf(&w, &r->body);
    rc = tmpl_write_csv(r->db, &plan, &w, &rows, &err);
  }
  const char *name = tmpl_file_name(&plan, xlsx ? "xlsx" : "csv");
  const char *unit = plan.unit ? arena_strdup(&r->mem, plan.unit->code) : "";
  app_release(r->app, s); /* the plan's unit and title are gone with it */
  if (rc == HT_OK && personal) {
    audit_actor who = http_actor(r);
    audit_entry e = {
        "export.template",
        "template",
        arena_sprintf(&r->mem, "%s/%d/%s", req.title ? req.title : r->params[0], req.year, unit),
        unit,
        NULL,
        arena_sprintf(&r->mem, "{\"format\":\"%s\",\"rows\":%ld,\"kind\":\"%s\"}",
                      xlsx ? "xlsx" : "csv", rows, r->params[0])};
    rc = audit_append_tx(r->db, &who, &e, &err);
  }
  if (rc != HT_OK) {
    strbuf_reset(&r->body);
    return http_error(r, 500, "internal", NULL, err.msg,
                      "Không tạo được mẫu (hoặc không ghi được nhật ký); vui lòng thử lại.");
  }
  r->status = 200;
  r->content_type = xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                         : "text/csv; charset=utf-8";
  r->content_disposition = arena_sprintf(&r->mem, "attachment; filename=\"%s\"", name);
  return 0;
}

int h_template_xlsx(http_req *r) {
  return template_download(r, 1);
}

int h_template_csv(http_req *r) {
  return template_download(r, 0);
}
