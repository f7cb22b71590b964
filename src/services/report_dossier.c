/* report_dossier.c - a commune's self-assessment dossier for the
 * learning-commune title (Thông tư 25/2023/TT-BGDĐT; see report.h,
 * docs/reports.md): every criterion and indicator with the value entered,
 * the level it reaches, its status and its evidence, the overall level, the
 * record's stage and the reviewer's word, and beside it the commune's
 * programme rates from the dashboard. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "criteria/crit_defaults.h"
#include "model/records.h"
#include "model/workflow.h"
#include "services/report.h"
#include "services/report_doc.h"

#define DOSSIER_TITLE "cong-dong-hoc-tap-xa"

static const char *stage_vi(const char *stage) {
  static const char *const map[][2] = {{"open", "Đang nhập"},
                                       {"returned", "Bị trả lại để bổ sung"},
                                       {"submitted", "Đã nộp, chờ xét"},
                                       {"accepted", "Đã được bình xét, chờ quyết định"},
                                       {"recognised", "Đã được công nhận"},
                                       {"not-recognised", "Không được công nhận"}};
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (!strcmp(stage, map[i][0])) return map[i][1];
  return stage;
}

static const char *status_vi(const char *status) {
  static const char *const map[][2] = {{"pass", "Đạt"},
                                       {"partial", "Đạt một phần"},
                                       {"fail", "Không đạt"},
                                       {"missing", "Chưa nhập"},
                                       {"no-evidence", "Thiếu minh chứng"},
                                       {"not-applicable", "Không áp dụng"},
                                       {"override", "Điều chỉnh khi bình xét"}};
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (!strcmp(status, map[i][0])) return map[i][1];
  return status;
}

static int is_share(const crit_expr *e) {
  return e && e->op == OP_AGG && e->agg == AGG_SHARE;
}

/* The value as the dossier prints it: "Có", "Không", "92%", "Mức 3", "7,5". */
static const char *value_text(arena *a, const crit_item *it, double v) {
  char buf[64];
  if (isnan(v)) return "";
  switch (it->input) {
    case INPUT_YESNO: return v != 0 ? "Có" : "Không";
    case INPUT_PERCENT: return arena_strdup(a, rd_fmt_rate(v, 1, buf, sizeof buf));
    case INPUT_LEVEL: return arena_sprintf(a, "Mức %s", rd_fmt_number(v, buf, sizeof buf));
    case INPUT_NUMBER: return arena_strdup(a, rd_fmt_number(v, buf, sizeof buf));
    default:
      if (is_share(it->value)) return arena_strdup(a, rd_fmt_rate(v, 1, buf, sizeof buf));
      return arena_strdup(a, rd_fmt_number(v, buf, sizeof buf));
  }
}

static const char *level_text(arena *a, int level) {
  return level > 0 ? arena_sprintf(a, "Mức %d", level) : "Chưa đạt mức 1";
}

/* The commune's programme rates (the dashboard's figures) beside the title. */
static void rates_sheet(const report_src *src, const report_params *p, rd_doc *d,
                        const hier_unit *u, long *rows) {
  dashboard dash;
  dash_params dp = {.year = p->year,
                    .unit = u->code,
                    .targets = p->targets,
                    .basis = p->basis,
                    .province = p->province};
  ht_err ignored = {0};
  if (!src->tables || dash_build(&dash, src->h, src->targets, &dp, src->tables, &ignored) != HT_OK)
    return;
  arena *a = &d->mem;
  rd_sheet *s = rd_sheet_add(d, "Tỷ lệ của xã", 1);
  rd_title(d, s,
           arena_sprintf(a, "Các tỷ lệ xây dựng xã hội học tập của %s năm %d", u->name, p->year));
  rd_note(d, s,
          "Các tỷ lệ gia đình, dòng họ, cộng đồng học tập cấp thôn và đơn vị học tập là mục tiêu "
          "của chương trình (QĐ 387/QĐ-TTg), không phải tiêu chí của danh hiệu Cộng đồng học tập "
          "cấp xã; số liệu giống trang tổng quan của hệ thống.");
  rd_table *t = rd_table_add(d, s, 10);
  rd_col_set(t, 0, "Danh hiệu", 24, 1);
  rd_col_set(t, 1, "Số đối tượng", 10, 0);
  rd_col_set(t, 2, "Đăng ký", 9, 0);
  rd_col_set(t, 3, "Tỷ lệ đăng ký", 9, 0);
  rd_col_set(t, 4, "Đạt tiêu chí", 9, 0);
  rd_col_set(t, 5, "Tỷ lệ đạt tiêu chí", 10, 0);
  rd_col_set(t, 6, "Được công nhận", 10, 0);
  rd_col_set(t, 7, "Tỷ lệ được công nhận", 10, 0);
  rd_col_set(t, 8, "Mục tiêu", 8, 0);
  rd_col_set(t, 9, "Chênh lệch (mục tiêu − tỷ lệ)", 11, 0);
  for (int i = 0; i < dash.ntitles; i++) {
    const dash_figure *f = &dash.titles[i].fig;
    rd_cell *c = rd_row(t, 0);
    rd_set_text(&c[0], arena_strdup(a, dash.titles[i].t->name));
    rd_set_int(&c[1], f->eligible);
    rd_set_int(&c[2], f->registered);
    rd_set_rate(&c[3], f->registered_rate);
    rd_set_int(&c[4], f->meets);
    rd_set_rate(&c[5], f->meets_rate);
    rd_set_int(&c[6], f->recognised);
    rd_set_rate(&c[7], f->recognised_rate);
    rd_set_rate(&c[8], f->target);
    rd_set_gap(&c[9], f->gap);
    (*rows)++;
  }
  dash_free(&dash);
}

int report_dossier(const report_src *src, const report_params *p, const char *path,
                   report_info *info, ht_err *err) {
  report_info dummy;
  if (!info) info = &dummy;
  memset(info, 0, sizeof *info);
  int32_t day = date_from_ymd(p->year, 12, 31);
  const crit_title *ct = crit_in_force(src->criteria, DOSSIER_TITLE, p->year, p->province);
  int title = src->e ? eng_title_find(src->e, DOSSIER_TITLE) : -1;
  if (!ct || title < 0 || !src->e || eng_year(src->e) != p->year) {
    info->param = "year";
    ht_err_set(err, HT_EINVAL,
               "the learning-commune title (%s) is not in force in %d (Thông tư 25/2023 applies "
               "from 2024)",
               DOSSIER_TITLE, p->year);
    return ht_err_vi(err, "Danh hiệu Cộng đồng học tập cấp xã chưa áp dụng trong năm %d.", p->year);
  }
  const hier_unit *u = p->unit ? hier_find(src->h, p->unit, day) : NULL;
  if (!u) {
    info->param = "unit";
    ht_err_set(err, HT_ENOTFOUND, "no administrative unit '%s' on 31/12/%d", p->unit ? p->unit : "",
               p->year);
    return ht_err_vi(err, "Không có đơn vị hành chính '%s' vào ngày 31/12/%d.",
                     p->unit ? p->unit : "", p->year);
  }
  int32_t j = eng_find(src->e, CRIT_COMMUNE, u->code);
  if (strcmp(u->kind->level->key, "commune") || j < 0) {
    info->param = "unit";
    ht_err_set(err, HT_EINVAL, "'%s' (%s) is not a commune on 31/12/%d; give a commune's code",
               u->code, u->name, p->year);
    return ht_err_vi(err, "'%s' (%s) không phải đơn vị cấp xã vào ngày 31/12/%d.", u->code, u->name,
                     p->year);
  }
  rd_doc doc;
  rd_doc_init(&doc);
  arena *a = &doc.mem;
  int rc = HT_OK;
  rec_target target;
  rec_record rec = {0};
  rec_evidence *ev = NULL;
  rec_override *ovr = NULL;
  size_t nev = 0, novr = 0;
  rc = rec_target_resolve(src->d, src->criteria, DOSSIER_TITLE, p->year, u->code, &target, err);
  if (rc == HT_OK) rc = rec_get(src->d, &target, a, &rec);
  if (rc == HT_OK) rc = rec_evidence_list(src->d, &target, a, &ev, &nev);
  if (rc == HT_OK) rc = rec_override_list(src->d, &target, a, &ovr, &novr);
  if (rc != HT_OK) {
    if (!err->msg[0]) ht_err_set(err, rc, "cannot read the record: %s", db_errmsg(src->d));
    rd_doc_free(&doc);
    return rc;
  }
  wf_certificate cert;
  int has_cert =
      wf_certificate_of_record(src->d, DOSSIER_TITLE, p->year, u->code, a, &cert) == HT_OK;
  const hier_unit *parent = hier_parent(src->h, u, day);
  eng_result res;
  eng_result_of(src->e, title, j, &res);
  char today[16], buf[64];
  rd_fmt_date(p->today ? p->today : date_today(), today, sizeof today);
  doc.title =
      arena_sprintf(a, "Hồ sơ tự đánh giá Cộng đồng học tập cấp xã năm %d - %s", p->year, u->name);
  doc.header = arena_sprintf(a, "%s · năm %d · %s · lập ngày %s", u->name, p->year,
                             ct->decision ? ct->decision : ct->key, today);
  long rows = 0;
  rd_sheet *s = rd_sheet_add(&doc, "Hồ sơ", 1);
  rd_title(&doc, s, arena_sprintf(a, "HỒ SƠ TỰ ĐÁNH GIÁ CỘNG ĐỒNG HỌC TẬP CẤP XÃ NĂM %d", p->year));
  rd_subtitle(&doc, s, parent ? arena_sprintf(a, "%s (%s)", u->name, parent->name) : u->name);
  rd_note(&doc, s,
          arena_sprintf(a,
                        "Tiêu chí: %s%s%s; đánh giá theo hai mức độ, mỗi chỉ tiêu đạt hoặc "
                        "không đạt và cần có minh chứng. Mã đơn vị: %s.",
                        ct->decision ? ct->decision : ct->key, ct->decision_date ? " ngày " : "",
                        ct->decision_date ? rd_iso_vn(a, ct->decision_date) : "", u->code));
  /* the record and the result */
  rd_heading(&doc, s, "Kết quả tự đánh giá");
  rd_table *head = rd_table_add(&doc, s, 2);
  /* narrow enough not to widen the indicators' key column of the workbook much */
  rd_col_set(head, 0, "Mục", 14, 1);
  rd_col_set(head, 1, "Nội dung", 60, 1);
  struct {
    const char *k, *v;
  } lines[] = {
      {"Kết quả",
       res.level > 0 ? arena_sprintf(a, "Đạt mức độ %d", res.level) : "Chưa đạt mức độ 1"},
      {"Đăng ký", rec.registered_on[0]
                      ? arena_sprintf(a, "Đã đăng ký ngày %s", rd_iso_vn(a, rec.registered_on))
                      : "Chưa đăng ký"},
      {"Trạng thái hồ sơ", stage_vi(rec.stage)},
      {"Ý kiến của người xét duyệt", rec.comment && *rec.comment ? rec.comment : "Không có"},
      {"Giấy công nhận",
       has_cert ? arena_sprintf(
                      a, "%s%s%s%s", cert.code,
                      cert.level ? arena_sprintf(a, ", mức độ %d", cert.level) : "",
                      cert.valid_until && *cert.valid_until
                          ? arena_sprintf(a, ", có giá trị đến %s", rd_iso_vn(a, cert.valid_until))
                          : "",
                      cert.revoked_at ? " (đã thu hồi)" : "")
                : "Chưa có"},
      {"Số minh chứng", arena_sprintf(a, "%zu", nev)},
  };
  for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
    rd_cell *c = rd_row(head, 0);
    rd_set_text(&c[0], lines[i].k);
    rd_set_text(&c[1], lines[i].v);
  }
  /* every criterion and indicator */
  rd_heading(&doc, s, "Bảng tổng hợp tiêu chí, chỉ tiêu");
  rd_table *t = rd_table_add(&doc, s, 7);
  t->freeze = 1;
  t->freeze_cols = 1;
  rd_col_set(t, 0, "Mã", 6, 0);
  rd_col_set(t, 1, "Tiêu chí, chỉ tiêu", 46, 1);
  rd_col_set(t, 2, "Giá trị", 10, 0);
  rd_col_set(t, 3, "Mức đạt", 10, 0);
  rd_col_set(t, 4, "Tình trạng", 12, 1);
  rd_col_set(t, 5, "Minh chứng", 34, 1);
  rd_col_set(t, 6, "Giải thích", 40, 1);
  int nitems = eng_item_count(src->e, title);
  for (const crit_group *g = ct->groups;; g = g->next) {
    /* the group's rows: its items in file order; the group passes a level when all of them do */
    int group_level = ct->levels, any = 0;
    for (int i = 0; i < nitems; i++) {
      const crit_item *it = eng_item_at(src->e, title, i);
      if (g ? !it->group || strcmp(it->group, g->key) : it->group != NULL) continue;
      double r = eng_item_result(src->e, title, i, j);
      if ((int)r < group_level) group_level = (int)r;
      any = 1;
    }
    if (any && g)
      rd_set_text(&rd_row(t, RD_ROW_GROUP)[0],
                  arena_sprintf(a, "%s. %s — %s", g->key, g->text,
                                group_level > 0 ? arena_sprintf(a, "đạt mức %d", group_level)
                                                : "chưa đạt mức 1"));
    for (int i = 0; any && i < nitems; i++) {
      const crit_item *it = eng_item_at(src->e, title, i);
      if (g ? !it->group || strcmp(it->group, g->key) : it->group != NULL) continue;
      eng_item_explain x;
      eng_explain_item(src->e, title, i, j, "vi", &x);
      rd_cell *c = rd_row(t, 0);
      rd_set_text(&c[0], it->key);
      rd_set_text(&c[1], it->text);
      rd_set_text(&c[2], value_text(a, it, x.value));
      rd_set_text(&c[3], level_text(a, (int)x.result));
      rd_set_text(&c[4], status_vi(x.status));
      strbuf evs = STRBUF_INIT;
      for (size_t k = 0; k < nev; k++) {
        if (strcmp(ev[k].item, it->key)) continue;
        if (evs.len) strbuf_puts(&evs, "\n");
        strbuf_printf(&evs, "%s%s%s%s", ev[k].note ? ev[k].note : "",
                      ev[k].file_name ? " (tệp " : "", ev[k].file_name ? ev[k].file_name : "",
                      ev[k].file_name ? ")" : "");
      }
      rd_set_text(&c[5], evs.len ? arena_strdup(a, strbuf_cstr(&evs)) : "");
      strbuf_free(&evs);
      rd_set_text(&c[6], arena_strdup(a, x.detail));
      rows++;
    }
    if (!g) break;
  }
  strbuf rec_text = STRBUF_INIT;
  eng_explain_recognition(src->e, title, j, "vi", &rec_text);
  if (rec_text.len) rd_note(&doc, s, arena_strdup(a, strbuf_cstr(&rec_text)));
  strbuf_free(&rec_text);
  /* the reviewers' changes */
  if (novr) {
    rd_heading(&doc, s, "Điều chỉnh khi bình xét");
    rd_table *o = rd_table_add(&doc, s, 5);
    rd_col_set(o, 0, "Mã", 6, 0);
    rd_col_set(o, 1, "Kết quả điều chỉnh", 18, 0);
    rd_col_set(o, 2, "Lý do", 50, 1);
    rd_col_set(o, 3, "Người điều chỉnh", 20, 1);
    rd_col_set(o, 4, "Thời điểm", 12, 0);
    for (size_t k = 0; k < novr; k++) {
      rd_cell *c = rd_row(o, 0);
      rd_set_text(&c[0], ovr[k].item);
      rd_set_text(&c[1],
                  ovr[k].kind == REC_OVR_LEVEL ? level_text(a, ovr[k].level)
                  : ovr[k].kind == REC_OVR_PASS
                      ? (ovr[k].passed ? "Đạt" : "Không đạt")
                      : arena_sprintf(a, "%s điểm", rd_fmt_number(ovr[k].points, buf, sizeof buf)));
      rd_set_text(&c[2], ovr[k].reason);
      rd_set_text(&c[3], ovr[k].by_name);
      rd_set_text(&c[4], arena_strdup(a, rd_fmt_date(rd_ms_day(ovr[k].at), buf, sizeof buf)));
      rows++;
    }
  }
  /* the evidence, one row each */
  rd_sheet *es = rd_sheet_add(&doc, "Minh chứng", 1);
  rd_title(&doc, es, arena_sprintf(a, "Danh mục minh chứng — %s, năm %d", u->name, p->year));
  if (!nev) {
    rd_para(&doc, es, "Chưa có minh chứng nào.");
  } else {
    rd_table *e = rd_table_add(&doc, es, 7);
    e->freeze = 1;
    rd_col_set(e, 0, "STT", 5, 0);
    rd_col_set(e, 1, "Chỉ tiêu", 7, 0);
    rd_col_set(e, 2, "Nội dung minh chứng", 50, 1);
    rd_col_set(e, 3, "Tệp", 26, 1);
    rd_col_set(e, 4, "Kích thước (byte)", 10, 0);
    rd_col_set(e, 5, "Ngày thêm", 11, 0);
    rd_col_set(e, 6, "Mã băm SHA-256", 18, 1);
    for (size_t k = 0; k < nev; k++) {
      rd_cell *c = rd_row(e, 0);
      rd_set_int(&c[0], (double)(k + 1));
      rd_set_text(&c[1], ev[k].item);
      rd_set_text(&c[2], ev[k].note);
      rd_set_text(&c[3], ev[k].file_name);
      if (ev[k].file_name) rd_set_int(&c[4], (double)ev[k].size);
      rd_set_text(&c[5],
                  arena_strdup(a, rd_fmt_date(rd_ms_day(ev[k].created_at), buf, sizeof buf)));
      rd_set_text(&c[6], ev[k].sha256);
      rows++;
    }
  }
  rates_sheet(src, p, &doc, u, &rows);
  rc = rd_write(&doc, p->format, path, &info->pages, err);
  info->sheets = doc.nsheets;
  info->rows = rows;
  info->units = 1;
  snprintf(info->name, sizeof info->name, "ho-so-xa-%s-%d", u->code, p->year);
  rd_doc_free(&doc);
  return rc;
}
