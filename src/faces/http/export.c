/* export.c - downloads of lists as CSV or XLSX (see http.h, "Downloads"):
 * the table goes to a temporary file, which is unlinked while still open and
 * handed to libmicrohttpd, so a million-row export is streamed from disk. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "faces/http/http.h"

static int failed(http_req *r, const char *why) {
  strbuf_reset(&r->body);
  return http_error(r, 500, "internal", NULL, why,
                    "Không xuất được dữ liệu (hoặc không ghi được nhật ký); vui lòng thử lại.");
}

int http_export_begin(http_req *r, http_export *x, tbl_format f, const char *sheet) {
  memset(x, 0, sizeof *x);
  const char *dir = getenv("TMPDIR");
  if (!dir || !*dir || strlen(dir) > 24) dir = "/tmp";
  snprintf(x->path, sizeof x->path, "%s/hoctap-export-XXXXXX.%s", dir, tbl_format_ext(f));
  int fd = mkstemps(x->path, (int)strlen(tbl_format_ext(f)) + 1);
  if (fd < 0) {
    x->path[0] = 0;
    failed(r, "cannot create a temporary file for the export");
    return 0;
  }
  close(fd);
  ht_err err = {0};
  if (tbl_open(&x->out, f, x->path, sheet, &err) != HT_OK) {
    unlink(x->path);
    x->path[0] = 0;
    failed(r, err.msg);
    return 0;
  }
  return 1;
}

int http_export_end(http_req *r, http_export *x, const char *name, const http_export_audit *audit) {
  ht_err err = {0};
  tbl_format f = x->out.format;
  long rows = x->out.rows;
  int rc = tbl_close(&x->out, &err);
  int fd = rc == HT_OK ? open(x->path, O_RDONLY) : -1;
  unlink(x->path); /* the open fd keeps the file until it is sent */
  struct stat st;
  if (rc == HT_OK && (fd < 0 || fstat(fd, &st) != 0))
    rc = ht_err_set(&err, HT_EIO, "cannot read the finished export back");
  if (rc == HT_OK && audit) {
    audit_actor who = http_actor(r);
    const char *what =
        arena_sprintf(&r->mem, "{\"format\":\"%s\",\"rows\":%ld%s%s}", tbl_format_ext(f), rows,
                      audit->extra ? "," : "", audit->extra ? audit->extra : "");
    audit_entry e = {audit->action, audit->object_kind, audit->object_id, audit->unit_code, NULL,
                     what};
    rc = audit_append_tx(r->db, &who, &e, &err);
  }
  if (rc != HT_OK) {
    if (fd >= 0) close(fd);
    return failed(r, err.msg);
  }
  r->status = 200;
  r->content_type = tbl_format_media_type(f);
  r->content_disposition =
      arena_sprintf(&r->mem, "attachment; filename=\"%s.%s\"", name, tbl_format_ext(f));
  r->body_from_fd = 1;
  r->body_fd = fd;
  r->body_fd_size = (uint64_t)st.st_size;
  return 0;
}

int http_export_fail(http_req *r, http_export *x, const char *why) {
  ht_err ignored = {0};
  tbl_close(&x->out, &ignored);
  unlink(x->path);
  return failed(r, why);
}
