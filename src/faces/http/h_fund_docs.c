/* h_fund_docs.c - a study-promotion fund's documents (docs/funds.md, "Documents"):
 *   GET /api/v1/fund-entries/{id}/receipt.pdf          a donation's receipt (funds.read, audited)
 *   GET /api/v1/funds/{code}/statement.xlsx|.pdf?from&to  the statement of a period (funds.read,
 *                                                      audited: it names donors and students)
 * and the public transparency report, rendered on the server, without a login:
 *   GET /cong-khai                                     the funds, each with this year's link
 *   GET /cong-khai/{code}?from&to                      a fund's page (default: this year)
 *   GET /cong-khai/{code}.pdf?from&to                  the same as a PDF
 * The public pages are written from the summary's public form only
 * (services/fund_summary.h): totals, campaigns, named donors, and
 * beneficiaries with minors by their initials unless the fund allows names;
 * never an address, a phone number, a citizen ID or an id. Vietnamese;
 * readable on a 360 px phone and printable. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <microhttpd.h>

#include "base/date.h"
#include "faces/http/http.h"
#include "services/fund_docs.h"

static int internal(http_req *r, const char *why) {
  return http_error(
      r, 500, "internal", NULL, why,
      "Lỗi máy chủ khi lập tài liệu của quỹ; vui lòng thử lại hoặc báo quản trị viên.");
}

/* Appends s with &, <, >, " and ' escaped. */
static void esc(strbuf *b, const char *s) {
  for (; s && *s; s++) switch (*s) {
      case '&': strbuf_puts(b, "&amp;"); break;
      case '<': strbuf_puts(b, "&lt;"); break;
      case '>': strbuf_puts(b, "&gt;"); break;
      case '"': strbuf_puts(b, "&quot;"); break;
      case '\'': strbuf_puts(b, "&#39;"); break;
      default: strbuf_putc(b, *s);
    }
}

/* ?from= and ?to= (default: this year). 1 when both are dates in order;
 * otherwise 0 with the reason in English and Vietnamese. */
static int period_params(http_req *r, const char **from, const char **to, const char **why,
                         const char **why_vi) {
  int year = date_year(date_today());
  char buf[11];
  *from = http_query(r, "from");
  *to = http_query(r, "to");
  if (!*from || !**from) *from = arena_strdup(&r->mem, date_format(date_from_ymd(year, 1, 1), buf));
  if (!*to || !**to) *to = arena_strdup(&r->mem, date_format(date_from_ymd(year, 12, 31), buf));
  int32_t a, b;
  if (date_parse(*from, &a) || date_parse(*to, &b)) {
    *why = "from and to must be dates YYYY-MM-DD";
    *why_vi = "Ngày bắt đầu và ngày kết thúc phải có dạng NNNN-TT-NN, ví dụ 2025-01-01.";
    return 0;
  }
  if (a > b) {
    *why = "the period starts after it ends";
    *why_vi = "Ngày bắt đầu phải trước ngày kết thúc.";
    return 0;
  }
  return 1;
}

static int audit_download(http_req *r, const char *action, const char *kind, const char *id,
                          const char *unit, const char *after) {
  audit_actor who = http_actor(r);
  audit_entry e = {action, kind, id, unit, NULL, after};
  ht_err err = {0};
  return audit_append_tx(r->db, &who, &e, &err);
}

static int send_pdf(http_req *r, strbuf *pdf, const char *file) {
  r->status = 200;
  r->content_type = "application/pdf";
  r->cache_control = "no-store";
  r->content_disposition = arena_sprintf(&r->mem, "inline; filename=\"%s\"", file);
  strbuf_free(&r->body);
  r->body = *pdf;
  memset(pdf, 0, sizeof *pdf);
  return 0;
}

/* ------------------------------------------------------------ for the fund's readers */

int h_fund_receipt_pdf(http_req *r) {
  char *end;
  long long id = strtoll(r->params[0], &end, 10);
  arena *a = &r->mem;
  fund_receipt rec;
  ht_err err = {0};
  int rc = *end ? HT_ENOTFOUND : fund_receipt_load(r->db, id, a, &rec, &err);
  if (rc == HT_ENOTFOUND)
    return http_error(r, 404, "not_found", "id", "no such entry", "Không có bút toán này.");
  if (rc == HT_EINVAL)
    return http_error(r, 422, "not_a_receipt", "id", err.msg,
                      "Bút toán này không phải khoản thu ủng hộ nên không có biên nhận.");
  if (rc) return internal(r, err.msg);
  strbuf pdf = STRBUF_INIT;
  if (fund_receipt_render(&rec, &pdf, &err)) {
    strbuf_free(&pdf);
    return internal(r, err.msg);
  }
  fund f;
  fund_get(r->db, rec.fund_code, a, &f);
  if (audit_download(r, "fund.receipt.print", "fund_entry", r->params[0], f.unit_code,
                     arena_sprintf(a, "{\"fund\":\"%s\",\"cancelled\":%s}", rec.fund_code,
                                   rec.cancelled ? "true" : "false"))) {
    strbuf_free(&pdf);
    return internal(r, "cannot write the audit entry");
  }
  const char *number = rec.number && *rec.number ? rec.number : r->params[0];
  return send_pdf(r, &pdf, arena_sprintf(a, "bien-nhan-%s-%s.pdf", rec.fund_code, number));
}

static int statement(http_req *r, int xlsx) {
  const char *from, *to, *why, *why_vi;
  if (!period_params(r, &from, &to, &why, &why_vi))
    return http_error(r, 400, "bad_period", "from", why, why_vi);
  fund_summary s;
  ht_err err = {0};
  int rc = fund_summary_load(r->db, r->params[0], from, to, 0, &r->mem, &s, &err);
  if (rc == HT_ENOTFOUND)
    return http_error(r, 404, "not_found", "code", "no such fund", "Không có quỹ này.");
  if (rc) return internal(r, err.msg);
  const char *name = arena_sprintf(&r->mem, "bao-cao-thu-chi-%s-%s-%s.%s", s.fund.code, from, to,
                                   xlsx ? "xlsx" : "pdf");
  const char *after = arena_sprintf(&r->mem, "{\"format\":\"%s\",\"from\":\"%s\",\"to\":\"%s\"}",
                                    xlsx ? "xlsx" : "pdf", from, to);
  if (!xlsx) {
    strbuf pdf = STRBUF_INIT;
    if (fund_statement_pdf(&s, &pdf, NULL, &err) ||
        audit_download(r, "fund.statement.export", "fund", s.fund.code, s.fund.unit_code, after)) {
      strbuf_free(&pdf);
      return internal(r, err.msg[0] ? err.msg : "cannot write the audit entry");
    }
    return send_pdf(r, &pdf, name);
  }
  /* the workbook goes to a temporary file, unlinked while open and sent from it */
  const char *dir = getenv("TMPDIR");
  if (!dir || !*dir || strlen(dir) > 200) dir = "/tmp";
  char *path = arena_sprintf(&r->mem, "%s/hoctap-statement-XXXXXX.xlsx", dir);
  int fd = mkstemps(path, 5);
  if (fd < 0) return internal(r, "cannot create a temporary file for the workbook");
  close(fd);
  rc = fund_statement_xlsx(&s, path, &err);
  fd = rc == HT_OK ? open(path, O_RDONLY) : -1;
  unlink(path);
  struct stat st;
  if (rc != HT_OK || fd < 0 || fstat(fd, &st) != 0 ||
      audit_download(r, "fund.statement.export", "fund", s.fund.code, s.fund.unit_code, after)) {
    if (fd >= 0) close(fd);
    return internal(r, err.msg[0] ? err.msg : "cannot read the workbook back");
  }
  r->status = 200;
  r->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  r->cache_control = "no-store";
  r->content_disposition = arena_sprintf(&r->mem, "attachment; filename=\"%s\"", name);
  r->body_from_fd = 1;
  r->body_fd = fd;
  r->body_fd_size = (uint64_t)st.st_size;
  return 0;
}

int h_fund_statement_xlsx(http_req *r) {
  return statement(r, 1);
}

int h_fund_statement_pdf(http_req *r) {
  return statement(r, 0);
}

/* ------------------------------------------------------------ the public pages */

static const char *const STYLE =
    "<style>"
    ":root{--ink:#1f1f1f;--muted:#5b5b5b;--line:#d8d3c8;--red:#a31621;--bg:#f6f4ef}"
    "*{box-sizing:border-box}body{font-family:system-ui,'Noto Sans','DejaVu Sans',sans-serif;"
    "margin:0;background:var(--bg);color:var(--ink);line-height:1.45}"
    "main{max-width:52rem;margin:0 auto;padding:.75rem}"
    "header{text-align:center;margin:.5rem 0 1rem}header .owner{margin:0;font-size:.8rem;"
    "letter-spacing:.04em;color:var(--muted);text-transform:uppercase}"
    "h1{font-size:1.3rem;color:var(--red);margin:.3rem 0}header p{margin:.15rem 0}"
    "h2{font-size:1.05rem;margin:1.4rem 0 .5rem}"
    "nav{display:flex;flex-wrap:wrap;gap:.4rem .9rem;align-items:center;font-size:.9rem;"
    "margin:.5rem 0}nav form{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center}"
    "nav input{font:inherit;padding:.2rem}nav button{font:inherit}"
    "a{color:var(--red)}.totals{display:grid;grid-template-columns:repeat(auto-fit,"
    "minmax(9.5rem,1fr));gap:.5rem;margin:0 0 .75rem}.totals div{background:#fff;border:1px solid "
    "var(--line);border-radius:6px;padding:.5rem .7rem}.totals dt{font-size:.8rem;color:"
    "var(--muted)}.totals dd{margin:0;font-size:1.15rem;font-weight:650;"
    "font-variant-numeric:tabular-nums}"
    ".scroll{overflow-x:auto}table{width:100%;border-collapse:collapse;background:#fff;"
    "font-size:.9rem}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid "
    "var(--line);vertical-align:top}th{background:#ece7dc;font-weight:600}"
    "td.n,th.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}"
    "tr.total td{font-weight:650}.note{font-size:.85rem;color:var(--muted)}"
    "footer{margin:1.5rem 0 .5rem;font-size:.8rem;color:var(--muted)}"
    ".error{background:#fdecea;border:2px solid #c62828;color:#8e1b12;padding:1rem;"
    "border-radius:8px;font-weight:600}"
    "@media (max-width:420px){main{padding:.5rem}table{font-size:.82rem}th,td{padding:.3rem}"
    "td.tt,th.tt{display:none}}"
    "@media print{body{background:#fff}nav,.noprint{display:none}main{max-width:none}"
    "a{color:inherit;text-decoration:none}.totals div{border-color:#999}}"
    "</style>";

static void page_head(strbuf *b, const char *title) {
  strbuf_puts(b,
              "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
  esc(b, title);
  strbuf_puts(b, " — hoctap</title>");
  strbuf_puts(b, STYLE);
  strbuf_puts(b, "</head><body><main>");
}

static int public_page(http_req *r, int status) {
  strbuf_puts(&r->body, "</main></body></html>");
  r->status = status;
  r->content_type = "text/html; charset=utf-8";
  r->cache_control = "no-store";
  return 0;
}

static int public_error(http_req *r, int status, const char *message_vi) {
  strbuf_reset(&r->body);
  page_head(&r->body, "Công khai quỹ khuyến học");
  strbuf_puts(&r->body, "<header><h1>Công khai quỹ khuyến học</h1></header><p class=\"error\">");
  esc(&r->body, message_vi);
  strbuf_puts(&r->body, "</p><p><a href=\"/cong-khai\">Danh sách các quỹ khuyến học</a></p>");
  return public_page(r, status);
}

static void money_cell(strbuf *b, arena *a, int64_t v) {
  strbuf_printf(b, "<td class=\"n\">%s</td>", fund_vnd(a, v));
}

static void count_cell(strbuf *b, arena *a, long v) {
  strbuf_printf(b, "<td class=\"n\">%s</td>", fund_vnd(a, v));
}

static void text_cell(strbuf *b, const char *s) {
  strbuf_puts(b, "<td>");
  esc(b, s);
  strbuf_puts(b, "</td>");
}

static void figure(strbuf *b, arena *a, const char *key, const char *label, int64_t v) {
  strbuf_printf(b, "<div><dt>%s</dt><dd data-figure=\"%s\">%s đ</dd></div>", label, key,
                fund_vnd(a, v));
}

/* A breakdown table: label, entries (and donors), amount, a total row. */
static void groups(strbuf *b, arena *a, const char *head, const fund_group *g, size_t n,
                   int with_donors, const char *id) {
  strbuf_printf(b,
                "<div class=\"scroll\"><table id=\"%s\"><thead><tr><th>%s</th><th class=\"n\">Số "
                "lượt</th>%s<th class=\"n\">Số tiền (đ)</th></tr></thead><tbody>",
                id, head, with_donors ? "<th class=\"n\">Nhà hảo tâm</th>" : "");
  int64_t total = 0;
  long entries = 0;
  for (size_t i = 0; i < n; i++) {
    strbuf_puts(b, "<tr>");
    text_cell(b, g[i].label);
    count_cell(b, a, g[i].entries);
    if (with_donors) count_cell(b, a, g[i].donors);
    money_cell(b, a, g[i].amount);
    strbuf_puts(b, "</tr>");
    total += g[i].amount;
    entries += g[i].entries;
  }
  strbuf_puts(b, "<tr class=\"total\"><td>Cộng</td>");
  count_cell(b, a, entries);
  if (with_donors) strbuf_puts(b, "<td></td>");
  money_cell(b, a, total);
  strbuf_puts(b, "</tr></tbody></table></div>");
}

/* /cong-khai/{code}?from&to as a link (from a). */
static const char *page_link(arena *a, const char *code, const char *suffix, const char *from,
                             const char *to) {
  return arena_sprintf(a, "/cong-khai/%s%s?from=%s&amp;to=%s", code, suffix, from, to);
}

static void transparency_html(http_req *r, const fund_summary *s) {
  strbuf *b = &r->body;
  arena *a = &r->mem;
  page_head(b, arena_sprintf(a, "Công khai %s", s->fund.name));
  strbuf_puts(b, "<header><p class=\"owner\">");
  esc(b, s->owner_name);
  strbuf_puts(b, "</p><h1>Công khai thu, chi quỹ khuyến học</h1><p><strong>");
  esc(b, s->fund.name);
  strbuf_printf(b, "</strong> (%s)</p><p>Từ ngày %s đến ngày %s</p></header>", s->fund.code,
                fund_date_vn(a, s->from), fund_date_vn(a, s->to));
  /* the years around the period, a period of one's own, the PDF */
  int32_t day;
  date_parse(s->to, &day);
  int year = date_year(day), this_year = date_year(date_today());
  strbuf_puts(b, "<nav aria-label=\"Chọn kỳ\">Năm:");
  for (int y = year - 2; y <= year + 2 && y <= this_year; y++) {
    char f[11], t[11];
    date_format(date_from_ymd(y, 1, 1), f);
    date_format(date_from_ymd(y, 12, 31), t);
    if (!strcmp(f, s->from) && !strcmp(t, s->to))
      strbuf_printf(b, " <strong>%d</strong>", y);
    else
      strbuf_printf(b, " <a href=\"%s\">%d</a>", page_link(a, s->fund.code, "", f, t), y);
  }
  strbuf_printf(b,
                "<form method=\"get\" action=\"/cong-khai/%s\"><label>Từ <input type=\"date\" "
                "name=\"from\" value=\"%s\"></label><label>đến <input type=\"date\" name=\"to\" "
                "value=\"%s\"></label><button type=\"submit\">Xem</button></form>",
                s->fund.code, s->from, s->to);
  strbuf_printf(b, "<a href=\"%s\">Tải bản PDF</a><a href=\"/cong-khai\">Các quỹ khác</a></nav>",
                page_link(a, s->fund.code, ".pdf", s->from, s->to));

  strbuf_puts(b, "<h2>Tổng hợp</h2><dl class=\"totals\">");
  figure(b, a, "opening", "Số dư đầu kỳ", s->opening);
  figure(b, a, "received", "Nhận ủng hộ", s->received);
  figure(b, a, "paid", "Đã chi", s->paid);
  figure(b, a, "closing", "Số dư cuối kỳ", s->closing);
  strbuf_puts(b, "</dl><div class=\"scroll\"><table id=\"tong-hop\"><tbody>");
  static const char *const levels[] = {"Số dư đầu kỳ", "Thu trong kỳ", "Chi trong kỳ",
                                       "Số dư cuối kỳ"};
  const int64_t totals[] = {s->opening, s->total_in, s->total_out, s->closing};
  for (int i = 0; i < 4; i++) {
    strbuf_printf(b, "<tr class=\"total\"><td>%s</td>", levels[i]);
    money_cell(b, a, totals[i]);
    strbuf_puts(b, "</tr>");
    if (i == 1) {
      const char *parts[] = {"Nhận ủng hộ", "Số dư chuyển sang sổ quỹ", "Nhận chuyển từ quỹ khác"};
      const int64_t v[] = {s->received, s->opened, s->transfer_in};
      for (int k = 0; k < 3; k++) {
        if (!v[k] && k) continue;
        strbuf_printf(b, "<tr><td>&nbsp;&nbsp;– %s</td>", parts[k]);
        money_cell(b, a, v[k]);
        strbuf_puts(b, "</tr>");
      }
    }
    if (i == 2) {
      for (int c = 0; c < FUND_CATS; c++) {
        strbuf_printf(b, "<tr><td>&nbsp;&nbsp;– %s</td>", fund_category_names[c]);
        money_cell(b, a, s->paid_by[c]);
        strbuf_puts(b, "</tr>");
      }
      if (s->transfer_out) {
        strbuf_puts(b, "<tr><td>&nbsp;&nbsp;– Chuyển sang quỹ khác</td>");
        money_cell(b, a, s->transfer_out);
        strbuf_puts(b, "</tr>");
      }
    }
  }
  strbuf_printf(b,
                "</tbody></table></div><p class=\"note\">%s lượt ủng hộ của %s nhà hảo tâm; %s "
                "người được nhận.</p>",
                fund_vnd(a, s->receipts), fund_vnd(a, s->donors), fund_vnd(a, s->beneficiaries));

  strbuf_puts(b, "<h2>Các đợt vận động</h2>");
  groups(b, a, "Đợt vận động", s->campaigns, s->ncampaigns, 1, "dot-van-dong");

  strbuf_puts(b,
              "<h2>Nhà hảo tâm</h2><div class=\"scroll\"><table id=\"nha-hao-tam\"><thead><tr>"
              "<th>Nhà hảo tâm</th><th class=\"n\">Số lượt</th><th class=\"n\">Số tiền "
              "(đ)</th></tr></thead><tbody>");
  for (size_t i = 0; i < s->ndonor_list; i++) {
    strbuf_puts(b, "<tr>");
    text_cell(b, s->donor_list[i].name);
    count_cell(b, a, s->donor_list[i].entries);
    money_cell(b, a, s->donor_list[i].amount);
    strbuf_puts(b, "</tr>");
  }
  if (s->anonymous_amount || s->anonymous_entries) {
    strbuf_puts(b, "<tr><td>Nhà hảo tâm ẩn danh</td>");
    count_cell(b, a, s->anonymous_entries);
    money_cell(b, a, s->anonymous_amount);
    strbuf_puts(b, "</tr>");
  }
  strbuf_puts(b, "<tr class=\"total\"><td>Cộng</td>");
  count_cell(b, a, s->receipts);
  money_cell(b, a, s->received);
  strbuf_puts(b, "</tr></tbody></table></div>");

  strbuf_puts(b, "<h2>Các khoản chi</h2>");
  fund_group cats[FUND_CATS];
  for (int c = 0; c < FUND_CATS; c++)
    cats[c] = (fund_group){fund_category_keys[c], fund_category_names[c], s->paid_by[c],
                           s->paid_count[c], 0};
  groups(b, a, "Loại chi", cats, FUND_CATS, 0, "khoan-chi");

  strbuf_puts(b,
              "<h2>Người được nhận</h2><div class=\"scroll\"><table id=\"nguoi-nhan\"><thead>"
              "<tr><th class=\"tt n\">TT</th><th>Người nhận</th><th>Lớp, trường</th>"
              "<th>Loại</th><th class=\"n\">Số tiền (đ)</th></tr></thead><tbody>");
  int hidden = 0;
  for (size_t i = 0; i < s->npaid_list; i++) {
    const fund_sum_beneficiary *x = &s->paid_list[i];
    hidden |= !x->named;
    strbuf_printf(b, "<tr><td class=\"tt n\">%zu</td>", i + 1);
    text_cell(b, x->name);
    text_cell(b, fund_grade_school(a, x->grade, x->school));
    text_cell(b, fund_category_names[x->category]);
    money_cell(b, a, x->amount);
    strbuf_puts(b, "</tr>");
  }
  strbuf_puts(b, "<tr class=\"total\"><td class=\"tt\"></td><td>Cộng</td><td></td><td></td>");
  money_cell(b, a, s->paid);
  strbuf_puts(b, "</tr></tbody></table></div>");
  if (hidden)
    strbuf_puts(b,
                "<p class=\"note\">Học sinh dưới 18 tuổi (hoặc chưa rõ năm sinh) được ghi bằng chữ "
                "cái đầu của họ tên, theo quy định bảo vệ thông tin trẻ em của quỹ.</p>");
  char today[11];
  strbuf_printf(b,
                "<footer>Số liệu trích từ sổ quỹ ngày %s. Các khoản đã đảo (sửa sai) được trừ vào "
                "khoản gốc. Trang công khai của chương trình xây dựng xã hội học tập.</footer>",
                fund_date_vn(a, date_format(date_today(), today)));
}

/* The fund and period of a public request, its summary loaded; 0 with the
 * error page sent. */
static int public_summary(http_req *r, fund_summary *s) {
  const char *from, *to, *why, *why_vi;
  if (!period_params(r, &from, &to, &why, &why_vi)) return public_error(r, 400, why_vi), 0;
  ht_err err = {0};
  int rc = fund_summary_load(r->db, r->params[0], from, to, FUND_SUMMARY_PUBLIC, &r->mem, s, &err);
  if (rc == HT_ENOTFOUND) {
    public_error(
        r, 404,
        arena_sprintf(&r->mem, "Không tìm thấy quỹ khuyến học có mã \"%s\".", r->params[0]));
    return 0;
  }
  if (rc) {
    public_error(r, 500, "Không lập được báo cáo công khai lúc này; vui lòng thử lại sau.");
    return 0;
  }
  return 1;
}

int h_public_fund(http_req *r) {
  fund_summary s;
  if (!public_summary(r, &s)) return 0;
  transparency_html(r, &s);
  return public_page(r, 200);
}

/* "https://host" as the reader reached the server, for the PDF's link. */
static const char *base_url(http_req *r) {
  const char *host = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Host");
  if (!host || !*host || strpbrk(host, " /\\\"<>")) host = "localhost";
  return arena_sprintf(&r->mem, "%s://%s", r->https ? "https" : "http", host);
}

int h_public_fund_pdf(http_req *r) {
  fund_summary s;
  if (!public_summary(r, &s)) return 0;
  strbuf pdf = STRBUF_INIT;
  ht_err err = {0};
  const char *url = arena_sprintf(&r->mem, "%s/cong-khai/%s?from=%s&to=%s", base_url(r),
                                  s.fund.code, s.from, s.to);
  if (fund_transparency_pdf(&s, url, &pdf, NULL, &err)) {
    strbuf_free(&pdf);
    return public_error(r, 500, "Không lập được bản PDF lúc này; vui lòng thử lại sau.");
  }
  return send_pdf(r, &pdf,
                  arena_sprintf(&r->mem, "cong-khai-%s-%s-%s.pdf", s.fund.code, s.from, s.to));
}

int h_public_funds(http_req *r) {
  fund *f;
  size_t n;
  arena *a = &r->mem;
  if (fund_list(r->db, NULL, a, &f, &n))
    return public_error(r, 500, "Không đọc được danh sách quỹ lúc này; vui lòng thử lại sau.");
  strbuf *b = &r->body;
  char today[11], from[11], to[11];
  date_format(date_today(), today);
  int year = date_year(date_today());
  date_format(date_from_ymd(year, 1, 1), from);
  date_format(date_from_ymd(year, 12, 31), to);
  page_head(b, "Công khai các quỹ khuyến học");
  strbuf_printf(b,
                "<header><h1>Công khai các quỹ khuyến học</h1><p>Thu, chi năm %d của từng quỹ; "
                "chọn một quỹ để xem chi tiết.</p></header><div class=\"scroll\"><table "
                "id=\"cac-quy\"><thead><tr><th>Quỹ</th><th>Đơn vị</th><th class=\"n\">Số dư "
                "(đ)</th></tr></thead><tbody>",
                year);
  for (size_t i = 0; i < n; i++) {
    strbuf_printf(b, "<tr><td><a href=\"%s\">", page_link(a, f[i].code, "", from, to));
    esc(b, f[i].name);
    strbuf_printf(b, "</a> (%s)</td>", f[i].code);
    text_cell(b, fund_owner_name(r->db, &f[i], today, a));
    money_cell(b, a, f[i].balance);
    strbuf_puts(b, "</tr>");
  }
  if (!n) strbuf_puts(b, "<tr><td colspan=\"3\">Chưa có quỹ nào.</td></tr>");
  strbuf_printf(b, "</tbody></table></div><footer>Số liệu ngày %s.</footer>",
                fund_date_vn(a, today));
  return public_page(r, 200);
}
