/* h_reports.c - the reports as downloads (docs/reports.md, docs/api.md):
 *   GET /api/v1/reports/annual.xlsx|.pdf?year&unit&targets&basis           units.read
 *   GET /api/v1/reports/commune-dossier.xlsx|.pdf?year&unit&targets&basis  records.read
 *   GET /api/v1/reports/title-list.xlsx|.pdf?decision | ?year&unit         records.read
 * The numbers come from the dashboard tables the server keeps per year
 * (app_dash_tables), the same the dashboard API reads; the report is written
 * to a temporary file, which is unlinked while open and streamed from. Each
 * download is written to the audit trail. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/date.h"
#include "faces/http/http.h"
#include "model/workflow.h"
#include "services/report.h"

static int internal(http_req *r, const char *why) {
  strbuf_reset(&r->body);
  return http_error(r, 500, "internal", NULL, why,
                    "Không lập được báo cáo; vui lòng thử lại hoặc báo quản trị viên.");
}

/* A refusal after the route's own check (the decision's unit is outside the
 * caller's area): audited as authz.c audits its refusals. */
static int forbidden(http_req *r, const char *unit) {
  audit_actor who = http_actor(r);
  const char *what =
      arena_sprintf(&r->mem, "{\"method\":\"%s\",\"reason\":\"forbidden\"}", r->method);
  audit_entry e = {"access.denied", "endpoint", r->path, unit, NULL, what};
  ht_err err = {0};
  audit_append_tx(r->db, &who, &e, &err);
  return http_error(r, 403, "forbidden", NULL, "this is outside the units you are responsible for",
                    "Dữ liệu này thuộc địa bàn ngoài phạm vi bạn phụ trách.");
}

/* The report's own refusal of a parameter (info->param), 404 or 400. */
static int refused(http_req *r, int rc, const report_info *info, const ht_err *err) {
  int status = rc == HT_ENOTFOUND ? 404 : 400;
  const char *code = rc == HT_ENOTFOUND ? "not_found" : "bad_parameter";
  return http_error(r, status, code, info->param, err->msg,
                    err->msg_vi[0] ? err->msg_vi : err->msg);
}

typedef struct tmp_file {
  char path[96];
} tmp_file;

static int tmp_open(tmp_file *t, report_format f) {
  const char *dir = getenv("TMPDIR");
  if (!dir || !*dir || strlen(dir) > 40) dir = "/tmp";
  const char *ext = report_format_ext(f);
  snprintf(t->path, sizeof t->path, "%s/hoctap-report-XXXXXX.%s", dir, ext);
  int fd = mkstemps(t->path, (int)strlen(ext) + 1);
  if (fd < 0) {
    t->path[0] = 0;
    return 0;
  }
  close(fd);
  return 1;
}

/* Sends the written report from its file, audited; or 500. */
static int send_report(http_req *r, tmp_file *t, report_kind kind, report_format f,
                       const report_info *info, const char *object_id, const char *unit,
                       const char *extra) {
  int fd = open(t->path, O_RDONLY);
  unlink(t->path); /* the open fd keeps the file until it is sent */
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    if (fd >= 0) close(fd);
    return internal(r, "cannot read the finished report back");
  }
  audit_actor who = http_actor(r);
  const char *what =
      arena_sprintf(&r->mem, "{\"report\":\"%s\",\"format\":\"%s\",\"rows\":%ld,\"pages\":%d%s%s}",
                    report_kind_name(kind), report_format_ext(f), info->rows, info->pages,
                    extra ? "," : "", extra ? extra : "");
  audit_entry e = {"export.report", "report", object_id, unit ? unit : "", NULL, what};
  ht_err err = {0};
  if (audit_append_tx(r->db, &who, &e, &err) != HT_OK) {
    close(fd);
    return internal(r, err.msg);
  }
  r->status = 200;
  r->content_type = report_format_media_type(f);
  r->cache_control = "no-store";
  r->content_disposition =
      arena_sprintf(&r->mem, "attachment; filename=\"%s.%s\"", info->name, report_format_ext(f));
  r->body_from_fd = 1;
  r->body_fd = fd;
  r->body_fd_size = (uint64_t)st.st_size;
  return 0;
}

/* annual and commune-dossier: the dashboard's parameters and tables. */
static int from_dashboard(http_req *r, report_kind kind, report_format f) {
  dash_params dp;
  if (!http_dash_params(r, &dp)) return 0;
  app_snapshot *s;
  dash_table *tables[DASH_MAX_YEARS];
  dashboard d; /* checks the unit and the target set as the dashboard does */
  if (!http_dash_begin(r, &dp, &s, tables, &d)) return 0;
  const char *unit = arena_strdup(&r->mem, d.unit->code);
  dash_free(&d);
  engine *e = NULL;
  ht_err err = {0};
  if (kind == REPORT_DOSSIER && app_engine(r->app, s, r->db, dp.year, &e, &err) != HT_OK) {
    http_dash_end(r, s, tables, &d);
    return internal(r, err.msg);
  }
  tmp_file t;
  int rc = HT_OK;
  report_info info = {0};
  if (!tmp_open(&t, f)) {
    rc = ht_err_set(&err, HT_EIO, "cannot create a temporary file for the report");
  } else {
    report_src src = {.d = r->db,
                      .h = &s->h,
                      .criteria = &r->app->criteria,
                      .targets = &s->targets.set,
                      .tables = tables,
                      .e = e};
    report_params p = {.year = dp.year,
                       .unit = unit,
                       .targets = dp.targets,
                       .basis = dp.basis,
                       .province = (int)db_prov(r->db),
                       .format = f};
    rc = report_write(kind, &src, &p, t.path, &info, &err);
  }
  if (e) app_engine_done(s);
  http_dash_end(r, s, tables, &d);
  if (rc != HT_OK) {
    if (t.path[0]) unlink(t.path);
    return info.param ? refused(r, rc, &info, &err) : internal(r, err.msg);
  }
  const char *extra = arena_sprintf(&r->mem, "\"year\":%d,\"basis\":\"%s\",\"targets\":%s%s%s",
                                    dp.year, dash_basis_name(dp.basis), dp.targets ? "\"" : "",
                                    dp.targets ? dp.targets : "null", dp.targets ? "\"" : "");
  return send_report(r, &t, kind, f, &info,
                     arena_sprintf(&r->mem, "%s/%d/%s", report_kind_name(kind), dp.year, unit),
                     unit, extra);
}

static int title_list(http_req *r, report_format f) {
  const char *dv = http_query(r, "decision");
  int64_t decision = 0;
  int year = 0;
  if (dv && *dv) {
    char *end;
    long long id = strtoll(dv, &end, 10);
    if (*end || id <= 0)
      return http_error(r, 400, "bad_parameter", "decision",
                        "decision must be a decision's ID (a whole number)",
                        "Tham số decision phải là mã số của một quyết định.");
    decision = id;
  } else if (!http_year_param(r, &year)) {
    return 0;
  }
  const char *unit = http_query(r, "unit");
  if (!unit || !*unit) unit = r->unit && *r->unit ? r->unit : NULL;
  app_snapshot *s;
  ht_err err = {0};
  if (app_acquire(r->app, r->db, &s, &err)) return internal(r, err.msg);
  const char *scope_unit = unit;
  if (decision) { /* the decision's unit must lie in the caller's area */
    wf_decision dec;
    if (wf_decision_get(r->db, decision, &r->mem, &dec) != HT_OK) {
      app_release(r->app, s);
      return http_error(r, 404, "not_found", "decision",
                        arena_sprintf(&r->mem, "no recognition decision %lld", (long long)decision),
                        "Không tìm thấy quyết định công nhận này.");
    }
    if (!http_in_scope(r, dec.unit_code, date_from_ymd(dec.year, 12, 31))) {
      app_release(r->app, s);
      return forbidden(r, dec.unit_code);
    }
    scope_unit = dec.unit_code;
    year = dec.year;
  }
  tmp_file t;
  report_info info = {0};
  int rc;
  if (!tmp_open(&t, f)) {
    rc = ht_err_set(&err, HT_EIO, "cannot create a temporary file for the report");
  } else {
    report_src src = {.d = r->db, .h = &s->h, .criteria = &r->app->criteria};
    report_params p = {.year = year,
                       .unit = unit,
                       .province = (int)db_prov(r->db),
                       .decision = decision,
                       .format = f};
    rc = report_write(REPORT_TITLE_LIST, &src, &p, t.path, &info, &err);
  }
  app_release(r->app, s);
  if (rc != HT_OK) {
    if (t.path[0]) unlink(t.path);
    return info.param ? refused(r, rc, &info, &err) : internal(r, err.msg);
  }
  const char *object = decision
                           ? arena_sprintf(&r->mem, "title-list/decision/%lld", (long long)decision)
                           : arena_sprintf(&r->mem, "title-list/%d/%s", year, unit);
  return send_report(r, &t, REPORT_TITLE_LIST, f, &info, object, scope_unit,
                     arena_sprintf(&r->mem, "\"decisions\":%d", info.units));
}

int h_report_annual_xlsx(http_req *r) {
  return from_dashboard(r, REPORT_ANNUAL, REPORT_XLSX);
}

int h_report_annual_pdf(http_req *r) {
  return from_dashboard(r, REPORT_ANNUAL, REPORT_PDF);
}

int h_report_dossier_xlsx(http_req *r) {
  return from_dashboard(r, REPORT_DOSSIER, REPORT_XLSX);
}

int h_report_dossier_pdf(http_req *r) {
  return from_dashboard(r, REPORT_DOSSIER, REPORT_PDF);
}

int h_report_title_list_xlsx(http_req *r) {
  return title_list(r, REPORT_XLSX);
}

int h_report_title_list_pdf(http_req *r) {
  return title_list(r, REPORT_PDF);
}
