/* report_title_list.c - the entities a recognition decision recognised: the
 * annex of the decision (see report.h, docs/reports.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/vtext.h"
#include "criteria/crit_defaults.h"
#include "model/workflow.h"
#include "services/report.h"
#include "services/report_doc.h"

typedef struct within_ctx {
  const hier *h;
  const char *unit;
  int32_t day;
} within_ctx;

/* Is the deciding unit code at or below ctx->unit on 31 December? */
static int within_unit(void *ctx, const char *code) {
  within_ctx *w = ctx;
  const hier_unit *u = hier_find(w->h, code, w->day);
  return u && hier_is_within(w->h, u, w->unit, w->day);
}

static const char *upper(arena *a, const char *s) {
  char *u = NULL;
  if (vt_upper(s, &u) != HT_OK || !u) return s;
  const char *out = arena_strdup(a, u);
  free(u);
  return out;
}

/* The signer's position as printed on two lines ("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH") on one. */
static const char *one_line(arena *a, const char *s) {
  if (!s) return "";
  char *o = arena_strdup(a, s);
  for (char *p = o; *p; p++)
    if (*p == '\n' || *p == '\r') *p = ' ';
  return o;
}

/* One decision: its heading and the table of its certificates. */
static int decision_block(const report_src *src, const report_params *p, rd_doc *d, rd_sheet *s,
                          const wf_decision *dec, long *rows, ht_err *err) {
  arena *a = &d->mem;
  wf_certificate *certs;
  size_t n;
  if (wf_certificates_of(src->d, dec->id, a, &certs, &n) != HT_OK)
    return ht_err_set(err, HT_EDB, "cannot read the certificates of decision %lld: %s",
                      (long long)dec->id, db_errmsg(src->d));
  const crit_title *t = crit_in_force(src->criteria, dec->title, dec->year, p->province);
  const char *title = t && t->name ? t->name : dec->title;
  int32_t day = date_from_ymd(dec->year, 12, 31);
  const hier_unit *u = hier_find(src->h, dec->unit_code, day);
  rd_title(
      d, s,
      arena_sprintf(a, "DANH SÁCH ĐƯỢC CÔNG NHẬN DANH HIỆU %s NĂM %d", upper(a, title), dec->year));
  rd_subtitle(d, s,
              arena_sprintf(a, "(Kèm theo Quyết định số %s ngày %s của %s)", dec->number,
                            rd_iso_vn(a, dec->signed_on),
                            dec->issuer && *dec->issuer ? dec->issuer
                            : u                         ? u->name
                                                        : dec->unit_code));
  rd_note(
      d, s,
      arena_sprintf(a, "Đơn vị quyết định: %s (%s). Người ký: %s%s%s.",
                    u ? u->name : dec->unit_code, dec->unit_code, one_line(a, dec->signer_position),
                    dec->signer_position && *dec->signer_position ? " " : "",
                    dec->signer_name ? dec->signer_name : ""));
  int levels = t && t->levels;
  int ncols = levels ? 7 : 6, col = 0;
  rd_table *tb = rd_table_add(d, s, ncols);
  tb->freeze = 1;
  rd_col_set(tb, col++, "STT", 5, 0);
  rd_col_set(tb, col++, "Tên", 30, 1);
  rd_col_set(tb, col++, "Địa chỉ", 32, 1);
  rd_col_set(tb, col++, "Mã giấy công nhận", 15, 0);
  if (levels) rd_col_set(tb, col++, "Mức độ", 7, 0);
  rd_col_set(tb, col++, "Có giá trị đến", 11, 0);
  rd_col_set(tb, col++, "Ghi chú", 16, 1);
  size_t valid = 0;
  for (size_t i = 0; i < n; i++) {
    const wf_certificate *c = &certs[i];
    rd_cell *r = rd_row(tb, 0);
    col = 0;
    rd_set_int(&r[col++], (double)(i + 1));
    rd_set_text(&r[col++], c->recipient);
    rd_set_text(&r[col++], c->address);
    rd_set_text(&r[col++], c->code);
    if (levels) {
      if (c->level > 0) rd_set_int(&r[col], c->level);
      col++;
    }
    rd_set_text(&r[col++], rd_iso_vn(a, c->valid_until));
    if (c->revoked_at)
      rd_set_text(&r[col], c->revoked_reason && *c->revoked_reason
                               ? arena_sprintf(a, "Đã thu hồi: %s", c->revoked_reason)
                               : "Đã thu hồi");
    else
      valid++;
    (*rows)++;
  }
  rd_note(d, s,
          n ? arena_sprintf(a, "Tổng số: %zu (còn hiệu lực: %zu); không công nhận: %lld.", n, valid,
                            (long long)dec->not_recognised)
            : "Quyết định không công nhận đối tượng nào.");
  return HT_OK;
}

static int by_date_then_id(const void *x, const void *y) {
  const wf_decision *a = x, *b = y;
  int c = strcmp(a->signed_on ? a->signed_on : "", b->signed_on ? b->signed_on : "");
  if (c) return c;
  return a->id < b->id ? -1 : a->id > b->id;
}

int report_title_list(const report_src *src, const report_params *p, const char *path,
                      report_info *info, ht_err *err) {
  report_info dummy;
  if (!info) info = &dummy;
  memset(info, 0, sizeof *info);
  rd_doc doc;
  rd_doc_init(&doc);
  arena *a = &doc.mem;
  wf_decision *list = NULL;
  size_t n = 0;
  const hier_unit *unit = NULL;
  int rc = HT_OK;
  if (p->decision) {
    list = arena_calloc(a, sizeof *list);
    rc = wf_decision_get(src->d, p->decision, a, list);
    if (rc == HT_ENOTFOUND) {
      info->param = "decision";
      ht_err_set(err, HT_ENOTFOUND, "no recognition decision %lld; see 'hoctap decision list'",
                 (long long)p->decision);
      ht_err_vi(err, "Không có quyết định công nhận số hiệu %lld.", (long long)p->decision);
      goto end;
    }
    if (rc != HT_OK) {
      ht_err_set(err, rc, "cannot read decision %lld: %s", (long long)p->decision,
                 db_errmsg(src->d));
      goto end;
    }
    n = 1;
  } else {
    int32_t day = date_from_ymd(p->year, 12, 31);
    unit = p->unit ? hier_find(src->h, p->unit, day) : NULL;
    if (!unit) {
      info->param = "unit";
      ht_err_set(err, HT_ENOTFOUND, "no administrative unit '%s' on 31/12/%d",
                 p->unit ? p->unit : "", p->year);
      ht_err_vi(err, "Không có đơn vị hành chính '%s' vào ngày 31/12/%d.", p->unit ? p->unit : "",
                p->year);
      rc = HT_ENOTFOUND;
      goto end;
    }
    within_ctx w = {src->h, unit->code, day};
    rc = wf_decision_list(src->d, p->year, within_unit, &w, a, &list, &n);
    if (rc != HT_OK) {
      ht_err_set(err, rc, "cannot list the decisions: %s", db_errmsg(src->d));
      goto end;
    }
    if (!n) {
      info->param = "unit";
      ht_err_set(err, HT_ENOTFOUND,
                 "no recognition decision for %d was taken by %s (%s) or a unit below it", p->year,
                 unit->name, unit->code);
      ht_err_vi(err, "Chưa có quyết định công nhận nào của năm %d tại %s.", p->year, unit->name);
      rc = HT_ENOTFOUND;
      goto end;
    }
    qsort(list, n, sizeof *list, by_date_then_id); /* oldest first, as they were signed */
  }
  rd_sheet *s = rd_sheet_add(&doc, "Danh sách", 0);
  long rows = 0;
  for (size_t i = 0; i < n && rc == HT_OK; i++) {
    if (i) rd_break(&doc, s);
    rc = decision_block(src, p, &doc, s, &list[i], &rows, err);
  }
  if (rc != HT_OK) goto end;
  char today[16];
  rd_fmt_date(p->today ? p->today : date_today(), today, sizeof today);
  if (n == 1) {
    doc.title = arena_sprintf(a, "Danh sách kèm theo Quyết định số %s", list[0].number);
    doc.header = arena_sprintf(a, "Quyết định số %s · năm %d · lập ngày %s", list[0].number,
                               list[0].year, today);
  } else {
    doc.title = arena_sprintf(a, "Danh sách được công nhận năm %d - %s", p->year, unit->name);
    doc.header = arena_sprintf(a, "%s · năm %d · %zu quyết định · lập ngày %s", unit->name, p->year,
                               n, today);
  }
  rc = rd_write(&doc, p->format, path, &info->pages, err);
  info->sheets = doc.nsheets;
  info->rows = rows;
  info->units = (int)n;
  if (n == 1 && p->decision)
    snprintf(info->name, sizeof info->name, "danh-sach-qd-%lld", (long long)list[0].id);
  else
    snprintf(info->name, sizeof info->name, "danh-sach-cong-nhan-%d-%s", p->year, unit->code);
end:
  rd_doc_free(&doc);
  return rc;
}
