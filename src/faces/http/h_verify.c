/* h_verify.c - GET /verify/{code}: the public page the QR code of every
 * certificate points at (docs/workflow.md, "Verification"). No login. It says
 * whether the certificate exists and is valid, revoked or expired, and shows
 * only what the certificate itself shows. An unknown code and a malformed one
 * get the same answer, so the page tells nothing about codes that were never
 * issued. Vietnamese, or English with ?lang=en. */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "criteria/crit_defaults.h"
#include "faces/http/http.h"
#include "model/workflow.h"

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

/* "2026-11-30" as "30/11/2026". */
static const char *vn_date(const char *iso, char buf[16]) {
  int y, m, d;
  if (!iso || sscanf(iso, "%d-%d-%d", &y, &m, &d) != 3) return iso ? iso : "";
  snprintf(buf, 16, "%02d/%02d/%04d", d, m, y);
  return buf;
}

static void row(strbuf *b, const char *label, const char *value) {
  strbuf_puts(b, "<tr><th scope=\"row\">");
  esc(b, label);
  strbuf_puts(b, "</th><td>");
  esc(b, value);
  strbuf_puts(b, "</td></tr>");
}

int h_verify(http_req *r) {
  const char *lang = http_query(r, "lang");
  int en = lang && !strcmp(lang, "en");
  wf_certificate c;
  wf_decision d;
  int found = wf_certificate_get(r->db, r->params[0], &r->mem, &c) == HT_OK &&
              wf_decision_get(r->db, c.decision_id, &r->mem, &d) == HT_OK;
  char today[11];
  date_format(date_today(), today);
  const char *state = !found                                               ? "missing"
                      : c.revoked_at                                       ? "revoked"
                      : *c.valid_until && strcmp(c.valid_until, today) < 0 ? "expired"
                                                                           : "valid";
  strbuf *b = &r->body;
  strbuf_printf(
      b,
      "<!doctype html><html lang=\"%s\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<meta name=\"robots\" content=\"noindex\"><title>%s — hoctap</title>"
      "<style>body{font-family:system-ui,'Noto Sans','DejaVu Sans',sans-serif;margin:0;"
      "background:#f5f3ef;color:#222}main{max-width:40rem;margin:0 auto;padding:1rem}"
      "h1{font-size:1.25rem;margin:.5rem 0 1rem}.verdict{padding:1rem;border-radius:8px;"
      "font-size:1.1rem;font-weight:600;margin-bottom:1rem}.valid{background:#e3f3e6;"
      "color:#1b5e20;border:2px solid #2e7d32}.bad{background:#fdecea;color:#8e1b12;"
      "border:2px solid #c62828}table{width:100%%;border-collapse:collapse;background:"
      "#fff}th,td{text-align:left;padding:.5rem;border-bottom:1px solid #ddd;"
      "vertical-align:top}th{width:38%%;font-weight:500;color:#555}footer{margin-top:1rem;"
      "font-size:.85rem;color:#666}a{color:#8b1a1a}</style></head><body><main>",
      en ? "en" : "vi", en ? "Certificate verification" : "Tra cứu giấy công nhận");
  strbuf_printf(
      b, "<h1>%s</h1>",
      en ? "Verification of a certificate of recognition" : "Tra cứu giấy công nhận danh hiệu");
  const char *verdict_vi = !strcmp(state, "valid") ? "Giấy công nhận hợp lệ."
                           : !strcmp(state, "expired")
                               ? "Giấy công nhận có thật nhưng đã hết hiệu lực."
                           : !strcmp(state, "revoked") ? "Giấy công nhận này đã bị thu hồi."
                                                       : "Không tìm thấy giấy công nhận có mã này.";
  const char *verdict_en = !strcmp(state, "valid") ? "This certificate is genuine and valid."
                           : !strcmp(state, "expired")
                               ? "This certificate is genuine but has expired."
                           : !strcmp(state, "revoked") ? "This certificate has been revoked."
                                                       : "No certificate has this code.";
  strbuf_printf(b, "<p class=\"verdict %s\" data-state=\"%s\">",
                !strcmp(state, "valid") ? "valid" : "bad", state);
  esc(b, en ? verdict_en : verdict_vi);
  strbuf_puts(b, "</p>");
  if (found) {
    const crit_title *t = NULL;
    for (const crit_title *x = r->app->criteria.titles; x && !t; x = x->next)
      if (!strcmp(x->key, c.title)) t = x;
    const char *tname = t ? (en && t->name_en ? t->name_en : t->name) : c.title;
    char buf[16], year[16], level[24];
    snprintf(year, sizeof year, "%d", c.year);
    snprintf(level, sizeof level, "%s %d", en ? "Level" : "Mức độ", c.level);
    strbuf_puts(b, "<table>");
    row(b, en ? "Code" : "Mã giấy công nhận", c.code);
    row(b, en ? "Title" : "Danh hiệu", tname);
    if (c.level) row(b, en ? "Level" : "Mức độ", level);
    row(b, en ? "Recognised" : "Công nhận cho", c.recipient);
    if (*c.address) row(b, en ? "Address" : "Địa chỉ", c.address);
    row(b, en ? "Year" : "Năm", year);
    row(b, en ? "Issued by" : "Cơ quan công nhận", d.issuer);
    char decision[160];
    snprintf(decision, sizeof decision, en ? "No. %s of %s" : "Số %s ngày %s", d.number,
             vn_date(d.signed_on, buf));
    row(b, en ? "Decision" : "Quyết định", decision);
    row(b, en ? "Signed by" : "Người ký", d.signer_name);
    if (*c.valid_until) row(b, en ? "Valid until" : "Có giá trị đến", vn_date(c.valid_until, buf));
    if (c.revoked_at) row(b, en ? "Revoked because" : "Lý do thu hồi", c.revoked_reason);
    strbuf_puts(b, "</table>");
  }
  strbuf_printf(b, "<footer>%s <a href=\"?lang=%s\">%s</a></footer></main></body></html>",
                en ? "Checked against the records of the study-promotion programme."
                   : "Đối chiếu với cơ sở dữ liệu xây dựng xã hội học tập.",
                en ? "vi" : "en", en ? "Tiếng Việt" : "English");
  r->content_type = "text/html; charset=utf-8";
  r->cache_control = "no-store";
  r->status = found ? 200 : 404;
  return 0;
}
