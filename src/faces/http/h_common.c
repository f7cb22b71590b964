/* h_common.c - small pieces several handlers share. */
#include <microhttpd.h>
#include <stdlib.h>

#include "base/date.h"
#include "faces/http/http.h"

int http_year_param(http_req *r, int *year) {
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

int http_problems(http_req *r, const issues *p) {
  json_t *list = json_array();
  for (long i = 0; i < p->kept; i++)
    json_array_append_new(
        list, json_pack("{s:s?,s:s,s:s,s:I}", "field", p->items[i].field, "msg_en", p->items[i].msg,
                        "msg_vi", p->items[i].msg_vi ? p->items[i].msg_vi : p->items[i].msg, "line",
                        (json_int_t)p->items[i].row));
  const char *first = p->kept ? p->items[0].msg : "invalid";
  const char *first_vi = p->kept && p->items[0].msg_vi ? p->items[0].msg_vi : first;
  return http_json(
      r, 422,
      json_pack("{s:{s:s,s:s,s:s},s:o,s:I}", "error", "code", "invalid", "message", first,
                "message_vi", first_vi, "problems", list, "problems_total", (json_int_t)p->count));
}

const char *http_request_header(http_req *r, const char *name) {
  return r->conn ? MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name) : NULL;
}

int http_internal(http_req *r, const char *why) {
  return http_error(r, 500, "internal", NULL, why,
                    "Lỗi máy chủ; vui lòng thử lại hoặc báo quản trị viên.");
}

const char *http_body_str(json_t *body, const char *key) {
  return json_string_value(json_object_get(body, key));
}

int http_write_failed(http_req *r, int rc, const issues *p, const ht_err *err) {
  if (rc == HT_EINVAL && p->kept) return http_problems(r, p);
  return http_internal(r, err->msg[0] ? err->msg : "the write failed");
}
