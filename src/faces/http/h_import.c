/* h_import.c - POST /api/v1/imports/registry/{kind},
 * /api/v1/imports/assessments and /api/v1/imports/funds/{kind}: the web
 * page's upload (docs/import.md, docs/api.md). The body is the file itself
 * (any content type), streamed to a temporary file by the server; the answer
 * is the import report as JSON (200 imported or a clean dry run, 422 with
 * the problems), or with ?report=xlsx and problems, the file with its
 * problems highlighted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/date.h"
#include "faces/http/http.h"
#include "faces/intake_json.h"
#include "services/intake.h"

/* Rows are placed in units on 31 December of the import's year. */
static int row_in_scope(void *ctx, const char *unit_code, int year) {
  http_req *r = ctx;
  return http_in_scope(r, unit_code, date_from_ymd(year, 12, 31));
}

static int int_param(http_req *r, const char *name, int lo, int hi, int *out) {
  const char *v = http_query(r, name);
  *out = 0;
  if (!v || !*v) return 1;
  char *end;
  long n = strtol(v, &end, 10);
  if (*end || n < lo || n > hi) {
    http_error(r, 400, "bad_parameter", name,
               name[0] == 'y' ? "year must be a year such as 2025" : "bad number",
               "Năm không hợp lệ (ví dụ 2025).");
    return 0;
  }
  *out = (int)n;
  return 1;
}

static int run_import(http_req *r, intake_kind kind) {
  if (!r->upload_path || r->upload_len == 0)
    return http_error(r, 400, "missing_file", NULL, "send the file to import as the request body",
                      "Chưa chọn tệp để nhập (tệp rỗng).");
  intake_opts o = {0};
  o.kind = kind;
  o.path = r->upload_path;
  const char *name = http_query(r, "name");
  o.name = name && *name ? name : "tep-nhap";
  o.sheet = http_query(r, "sheet");
  if (o.sheet && !*o.sheet) o.sheet = NULL;
  const char *dry = http_query(r, "dry_run");
  o.dry_run = dry && (!strcmp(dry, "1") || !strcmp(dry, "true"));
  const char *lang = http_query(r, "lang");
  if (!lang || strcmp(lang, "en")) lang = "vi";
  const char *report = http_query(r, "report");
  int xlsx_report = report && !strcmp(report, "xlsx");
  if (!int_param(r, "year", 1900, 2100, &o.year)) return 0;
  if (intake_kind_is_fund(kind)) o.year = 0; /* the rows carry their own dates */
  const char *enc = http_query(r, "encoding");
  o.enc = TENC_AUTO;
  if (enc && *enc && strcmp(enc, "auto") && tenc_parse(enc, &o.enc) != HT_OK)
    return http_error(r, 400, "bad_parameter", "encoding",
                      arena_sprintf(&r->mem, "encoding must be one of %s", tenc_accepted_names()),
                      "Bảng mã không hợp lệ.");
  if (kind == INTAKE_ASSESSMENTS) {
    o.title = http_query(r, "title");
    if (!o.title || !*o.title)
      return http_error(r, 400, "missing_parameter", "title", "title is required",
                        "Chưa chọn danh hiệu.");
  }
  o.criteria = &r->app->criteria;
  o.in_scope = row_in_scope;
  o.scope_ctx = r;
  if (!o.year && kind != INTAKE_ASSESSMENTS && !intake_kind_is_fund(kind)) {
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    o.year = tm.tm_year + 1900;
  }
  audit_actor who = http_actor(r);
  intake_report rep;
  ht_err err = {0};
  int rc = intake_run(r->db, &who, &o, &r->mem, &rep, &err);
  int has_problems = rc == HT_EINVAL && rep.problems_total > 0;
  if (has_problems && xlsx_report) {
    char path[] = "/tmp/hoctap-errors-XXXXXX.xlsx";
    int fd = mkstemps(path, 5);
    if (fd < 0) return http_error(r, 500, "internal", NULL, "no temporary file", "Lỗi máy chủ.");
    close(fd);
    ht_err werr = {0};
    int wrc = intake_write_errors(&o, &rep, path, &werr);
    FILE *f = wrc == HT_OK ? fopen(path, "rb") : NULL;
    if (f) {
      char buf[65536];
      size_t got;
      while ((got = fread(buf, 1, sizeof buf, f)) > 0) strbuf_append(&r->body, buf, got);
      fclose(f);
    }
    unlink(path);
    if (!f)
      return http_error(r, 500, "internal", NULL, werr.msg,
                        "Không tạo được tệp báo lỗi; vui lòng thử lại.");
    r->status = 200;
    r->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    r->content_disposition = "attachment; filename=\"bao-loi-nhap-lieu.xlsx\"";
    return 0;
  }
  if (rc == HT_OK || has_problems) {
    json_t *body = intake_report_json(&o, &rep, lang);
    if (rep.written && !intake_kind_is_fund(kind)) {
      /* Records only: the cached results take the changed records one by
       * one; registry rows (new households, persons ...) change the shape of
       * the year, which the next request loads afresh. */
      int updated = 0;
      if (kind == INTAKE_ASSESSMENTS) {
        app_record_change *ch = arena_alloc(&r->mem, (rep.nrecords + 1) * sizeof *ch);
        for (size_t i = 0; i < rep.nrecords; i++)
          ch[i] = (app_record_change){rep.records[i].title, rep.records[i].entity};
        updated = app_apply_records(r->app, r->db, rep.generation, rep.year, ch, rep.nrecords);
      }
      json_object_set_new(body, "results", json_string(updated ? "updated" : "reloaded"));
    }
    return http_json(r, rc == HT_OK ? 200 : 422, body);
  }
  if (rc == HT_ELIMIT)
    return http_error(r, 413, "file_too_large", NULL, err.msg,
                      "Tệp vượt quá giới hạn của một lần nhập (dung lượng, số dòng hoặc số ô); "
                      "hãy chia nhỏ tệp rồi nhập từng phần.");
  if (rc == HT_EINVAL || rc == HT_EIO || rc == HT_ENOTFOUND)
    return http_error(r, 400, "unreadable_file", NULL, err.msg,
                      arena_sprintf(&r->mem,
                                    "Không đọc được tệp: %s. Hãy lưu tệp dạng .xlsx hoặc .csv "
                                    "(UTF-8) rồi thử lại.",
                                    err.msg));
  if (rc == HT_EBUSY)
    return http_error(r, 503, "busy", NULL, err.msg,
                      "Hệ thống đang bận ghi dữ liệu khác; vui lòng thử lại sau ít phút.");
  return http_error(r, 500, "internal", NULL, err.msg, "Lỗi máy chủ khi nhập dữ liệu.");
}

int h_import_registry(http_req *r) {
  intake_kind kind;
  ht_err err = {0};
  if (intake_kind_parse(r->params[0], &kind, &err) != HT_OK || kind == INTAKE_ASSESSMENTS ||
      intake_kind_is_fund(kind))
    return http_error(r, 404, "not_found", "kind",
                      "no such import; use households, persons, clans or units",
                      "Không có loại dữ liệu này; chọn hộ gia đình, nhân khẩu, dòng họ hoặc đơn "
                      "vị học tập.");
  return run_import(r, kind);
}

int h_import_assessments(http_req *r) {
  return run_import(r, INTAKE_ASSESSMENTS);
}

int h_import_funds(http_req *r) {
  intake_kind kind;
  ht_err err = {0};
  if (intake_kind_parse(r->params[0], &kind, &err) != HT_OK || !intake_kind_is_fund(kind))
    return http_error(r, 404, "not_found", "kind",
                      "no such import; use donors, donations or beneficiaries",
                      "Không có loại dữ liệu này; chọn nhà hảo tâm, khoản thu hoặc người nhận hỗ "
                      "trợ.");
  return run_import(r, kind);
}
