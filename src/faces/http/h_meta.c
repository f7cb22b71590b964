/* h_meta.c - GET /api/v1/meta: what the front end needs to start. */
#include "base/date.h"
#include "faces/http/http.h"
#include "version.h"

int h_meta(http_req *r) {
  app_snapshot *s;
  ht_err err = {0};
  if (app_acquire(r->app, r->db, &s, &err))
    return http_error(r, 500, "internal", NULL, err.msg, "Lỗi máy chủ khi đọc dữ liệu.");
  char today[11];
  json_t *o = json_pack("{sssssbss}", "name", "hoctap", "version", HOCTAP_VERSION, "demo", s->demo,
                        "today", date_format(date_today(), today));
  app_release(r->app, s);
  return http_json(r, 200, o);
}
