/* fund_docs.c - a fund's receipt, statement and transparency report (see fund_docs.h). */
#include "services/fund_docs.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/vnum.h"
#include "base/vtext.h"
#include "io/pdf_doc.h"
#include "io/xlsx_write.h"
#include "model/accounts.h"

#define FONT_SERIF "Liberation Serif,DejaVu Serif,Noto Serif,serif"
#define FONT_SANS "Liberation Sans,DejaVu Sans,Noto Sans,sans-serif"
#define RED 0xB3121B
#define INK 0x1A1A1A
#define MUTED 0x595959

/* ------------------------------------------------------------ words and numbers */

const char *fund_date_vn(arena *a, const char *iso) {
  int32_t day;
  if (!iso || date_parse(iso, &day) != HT_OK) return arena_strdup(a, iso ? iso : "");
  int y, m, dd;
  date_to_ymd(day, &y, &m, &dd);
  return arena_sprintf(a, "%02d/%02d/%04d", dd, m, y);
}

const char *fund_date_long(arena *a, const char *iso) {
  int32_t day;
  if (!iso || date_parse(iso, &day) != HT_OK) return arena_strdup(a, iso ? iso : "");
  int y, m, dd;
  date_to_ymd(day, &y, &m, &dd);
  return arena_sprintf(a, "ngày %02d tháng %s%d năm %d", dd, m <= 2 ? "0" : "", m, y);
}

const char *fund_vnd(arena *a, int64_t v) {
  char buf[32];
  return arena_strdup(a, fund_format_amount(v, buf));
}

const char *fund_grade_school(arena *a, const char *grade, const char *school) {
  const char *g = grade ? grade : "", *s = school ? school : "";
  int digits = *g != 0;
  for (const char *p = g; *p; p++) digits &= isdigit((unsigned char)*p) != 0;
  const char *gt = digits ? arena_sprintf(a, "Lớp %s", g) : g;
  if (*gt && *s) return arena_sprintf(a, "%s, %s", gt, s);
  return arena_strdup(a, *gt ? gt : s);
}

static const char *today_iso(char buf[11]) {
  return date_format(date_today(), buf);
}

/* The text in capitals (itself when it is not UTF-8: the render reports it). */
static const char *upper(arena *a, const char *s) {
  char *u = NULL;
  if (!s || vt_upper(s, &u) != HT_OK) return s ? s : "";
  const char *out = arena_strdup(a, u);
  free(u);
  return out;
}

static const char *esc(arena *a, const char *s) {
  return pdfd_escape(a, s);
}

/* ------------------------------------------------------------ the receipt */

int fund_receipt_load(db *d, int64_t entry, arena *a, fund_receipt *out, ht_err *err) {
  memset(out, 0, sizeof *out);
  fund_entry e;
  int rc = fund_entry_get(d, entry, a, &e);
  if (rc == HT_ENOTFOUND)
    return ht_err_set(err, rc, "no entry number %lld in the books", (long long)entry);
  if (rc) return ht_err_set(err, rc, "cannot read entry %lld: %s", (long long)entry, db_errmsg(d));
  if (e.kind != FUND_RECEIPT)
    return ht_err_set(err, HT_EINVAL,
                      "entry %lld is a %s, not a receipt: only a donation has a "
                      "receipt",
                      (long long)entry, fund_kind_name(e.kind));
  fund f;
  if ((rc = fund_get(d, e.fund_code, a, &f)))
    return ht_err_set(err, rc, "cannot read the fund %s", e.fund_code);
  out->entry_id = e.id;
  out->owner = fund_owner_name(d, &f, e.date, a);
  out->fund_name = f.name;
  out->fund_code = f.code;
  out->number = e.number;
  out->date = e.date;
  out->amount = e.amount;
  out->method = e.method;
  out->campaign = e.campaign;
  out->purpose = e.purpose;
  out->memo = e.memo;
  out->recorded_by = e.created_by;
  acct_user u;
  if (e.created_by && acct_user_by_name(d, e.created_by, a, &u) == HT_OK && *u.full_name)
    out->recorded_by = u.full_name;
  if (e.donor_id) {
    fund_donor dn;
    if (fund_donor_get(d, e.donor_id, a, &dn) == HT_OK && strcmp(dn.kind, "anonymous")) {
      out->donor = dn.name;
      out->donor_kind = dn.kind;
      out->donor_address = dn.address;
    }
  }
  if (e.reversed_by) {
    fund_entry r;
    if (fund_entry_get(d, e.reversed_by, a, &r) == HT_OK) {
      out->cancelled = 1;
      out->cancel_date = r.date;
      out->cancel_number = r.number;
      out->cancel_reason = r.memo;
    }
  }
  return HT_OK;
}

static void kv(pdfd *doc, arena *a, const char *label, const char *value_markup) {
  if (!value_markup || !*value_markup) return;
  const char *cells[2] = {esc(a, label), value_markup};
  pdfd_row(doc, 0, cells);
}

int fund_receipt_render(const fund_receipt *r, strbuf *out, ht_err *err) {
  int32_t day;
  if (!r->date || date_parse(r->date, &day) != HT_OK)
    return ht_err_set(err, HT_EINVAL, "the receipt's date '%s' is not a date",
                      r->date ? r->date : "");
  arena a;
  arena_init(&a, 0);
  pdfd *doc = pdfd_new(PDFD_A5, 12, FONT_SERIF, 10.5);
  int anonymous = !r->donor || !*r->donor;
  const char *number = r->number && *r->number ? r->number : "";
  pdfd_title(doc, arena_sprintf(&a, "Biên nhận ủng hộ %s - %s", number, r->fund_code));

  /* the letterhead: the owner and the fund, the number */
  pdfd_col head[2] = {{1.35, PDFD_CENTER}, {1, PDFD_RIGHT}};
  pdfd_table(doc, 2, head, PDFD_TABLE_MARKUP, &(pdfd_style){.size = 9.5});
  const char *left = arena_sprintf(&a, "%s\n<b>%s</b>", esc(&a, upper(&a, r->owner)),
                                   esc(&a, upper(&a, r->fund_name)));
  const char *right =
      arena_sprintf(&a, "Số: <b>%s</b>\n<span size=\"small\">Mã bút toán: %lld</span>",
                    esc(&a, *number ? number : "—"), (long long)r->entry_id);
  pdfd_row(doc, 0, (const char *[]){left, right});
  pdfd_rule(doc, 0.2, 0.375, 0.6, INK); /* under the owner, as on official papers */

  pdfd_text(
      doc, "BIÊN NHẬN ỦNG HỘ QUỸ KHUYẾN HỌC",
      &(pdfd_style){
          .size = 15, .bold = 1, .align = PDFD_CENTER, .colour = RED, .before = 16, .after = 2});
  const char *when = fund_date_long(&a, r->date);
  pdfd_text(doc, arena_sprintf(&a, "N%s", when + 1),
            &(pdfd_style){.italic = 1, .align = PDFD_CENTER, .after = 10});
  if (r->cancelled) {
    pdfd_watermark(doc, "ĐÃ HỦY", RED);
    const char *why = r->cancel_reason && *r->cancel_reason
                          ? arena_sprintf(&a, " Lý do: %s.", r->cancel_reason)
                          : "";
    pdfd_text(
        doc,
        arena_sprintf(&a, "BIÊN NHẬN NÀY ĐÃ HỦY %s%s%s.%s", fund_date_long(&a, r->cancel_date),
                      r->cancel_number && *r->cancel_number ? " theo bút toán đảo " : "",
                      r->cancel_number ? r->cancel_number : "", why),
        &(pdfd_style){.bold = 1, .align = PDFD_CENTER, .colour = RED, .after = 10});
  }

  /* what was received */
  char words[VNUM_WORDS_MAX];
  vnum_dong(r->amount, 0, words, sizeof words);
  pdfd_col kvc[2] = {{1, PDFD_LEFT}, {2.7, PDFD_LEFT}};
  pdfd_table(doc, 2, kvc, PDFD_TABLE_MARKUP, &(pdfd_style){.size = 10.5});
  kv(doc, &a, "Nhận của:",
     anonymous ? "<b>Nhà hảo tâm ẩn danh</b>" : arena_sprintf(&a, "<b>%s</b>", esc(&a, r->donor)));
  if (!anonymous && r->donor_kind && *r->donor_kind)
    kv(doc, &a, "Loại nhà hảo tâm:", esc(&a, fund_donor_kind_vi(r->donor_kind)));
  if (!anonymous) kv(doc, &a, "Địa chỉ:", esc(&a, r->donor_address));
  kv(doc, &a, "Số tiền:", arena_sprintf(&a, "<b>%s đồng</b>", fund_vnd(&a, r->amount)));
  kv(doc, &a, "Bằng chữ:", arena_sprintf(&a, "<i>%s.</i>", esc(&a, words)));
  kv(doc, &a, "Hình thức:", esc(&a, fund_method_vi(r->method)));
  kv(doc, &a, "Đợt vận động:", esc(&a, r->campaign));
  kv(doc, &a, "Mục đích:", esc(&a, r->purpose));
  kv(doc, &a, "Ghi chú:", esc(&a, r->memo));
  kv(doc, &a,
     "Vào quỹ:", arena_sprintf(&a, "%s (%s)", esc(&a, r->fund_name), esc(&a, r->fund_code)));

  pdfd_text(doc,
            "Ban quản lý quỹ trân trọng cảm ơn tấm lòng của quý vị đối với công tác khuyến học, "
            "khuyến tài.",
            &(pdfd_style){.italic = 1, .align = PDFD_CENTER, .before = 12, .after = 14});

  /* the signatures */
  pdfd_col sig[3] = {{1, PDFD_CENTER}, {1, PDFD_CENTER}, {1, PDFD_CENTER}};
  pdfd_table(doc, 3, sig, PDFD_TABLE_MARKUP, &(pdfd_style){.size = 9.5});
  const char *hint = "<i><span size=\"small\">(Ký, ghi rõ họ tên)</span></i>";
  pdfd_row(doc, 0,
           (const char *[]){arena_sprintf(&a, "<b>Người ủng hộ</b>\n%s\n\n\n\n\n<b>%s</b>", hint,
                                          anonymous ? "" : esc(&a, r->donor)),
                            arena_sprintf(&a, "<b>Thủ quỹ</b>\n%s", hint),
                            arena_sprintf(&a, "<b>Người lập biên nhận</b>\n%s\n\n\n\n\n<b>%s</b>",
                                          hint, esc(&a, r->recorded_by ? r->recorded_by : ""))});
  char today[11];
  const char *printed = r->printed_on && *r->printed_on ? r->printed_on : today_iso(today);
  pdfd_footer(doc, arena_sprintf(&a, "In từ hoctap ngày %s", fund_date_vn(&a, printed)), NULL);
  int rc = pdfd_render(doc, out, NULL, err);
  pdfd_free(doc);
  arena_free(&a);
  return rc;
}

int fund_receipt_pdf(db *d, int64_t entry, strbuf *out, ht_err *err) {
  arena a;
  arena_init(&a, 0);
  fund_receipt r;
  int rc = fund_receipt_load(d, entry, &a, &r, err);
  if (rc == HT_OK) rc = fund_receipt_render(&r, out, err);
  arena_free(&a);
  return rc;
}

/* ------------------------------------------------------------ the parts of a statement */

/* The lines of the summary table: label, amount, level (0 a total, 1 a part of it). */
typedef struct sum_line {
  const char *label;
  int64_t amount;
  int level;
} sum_line;

static size_t summary_lines(const fund_summary *s, sum_line *l) {
  size_t n = 0;
  l[n++] = (sum_line){"Số dư đầu kỳ", s->opening, 0};
  l[n++] = (sum_line){"Thu trong kỳ", s->total_in, 0};
  l[n++] = (sum_line){"Nhận ủng hộ", s->received, 1};
  l[n++] = (sum_line){"Số dư chuyển sang sổ quỹ", s->opened, 1};
  l[n++] = (sum_line){"Nhận chuyển từ quỹ khác", s->transfer_in, 1};
  l[n++] = (sum_line){"Chi trong kỳ", s->total_out, 0};
  for (int c = 0; c < FUND_CATS; c++) l[n++] = (sum_line){fund_category_names[c], s->paid_by[c], 1};
  l[n++] = (sum_line){"Chuyển sang quỹ khác", s->transfer_out, 1};
  l[n++] = (sum_line){"Số dư cuối kỳ", s->closing, 0};
  return n;
}

static const char *entry_kind_vi(const fund_sum_entry *x) {
  if (x->e.kind == FUND_REVERSAL) return "Đảo";
  switch (x->base) {
    case FUND_OPENING: return "Số dư";
    case FUND_RECEIPT: return "Thu";
    case FUND_DISBURSEMENT: return "Chi";
    case FUND_TRANSFER: return x->incoming ? "Nhận chuyển" : "Chuyển đi";
    default: return "";
  }
}

static const char *period_text(arena *a, const fund_summary *s) {
  return arena_sprintf(a, "Từ ngày %s đến ngày %s", fund_date_vn(a, s->from),
                       fund_date_vn(a, s->to));
}

/* ------------------------------------------------------------ the workbook */

static void xl_row2(xlsxw *w, const char *label, double v, int bold) {
  if (bold)
    xlsxw_header(w, label);
  else
    xlsxw_text(w, label);
  xlsxw_grouped(w, v, bold);
  xlsxw_end_row(w);
}

static void xl_heads(xlsxw *w, const char *const *heads) {
  for (int i = 0; heads[i]; i++) xlsxw_header(w, heads[i]);
  xlsxw_end_row(w);
  xlsxw_freeze_rows(w);
}

static void xl_groups(xlsxw *w, const char *sheet, const char *title, const char *head,
                      const fund_group *g, size_t n, int with_donors, arena *a,
                      const fund_summary *s) {
  xlsxw_sheet(w, sheet);
  xlsxw_column(w, 0, 44, 0);
  xlsxw_column(w, 1, 12, 0);
  xlsxw_column(w, 2, 16, 0);
  xlsxw_column(w, 3, 16, 0);
  xlsxw_title(w, title);
  xlsxw_end_row(w);
  xlsxw_text(w, period_text(a, s));
  xlsxw_end_row(w);
  xlsxw_end_row(w);
  xl_heads(w, with_donors
                  ? (const char *[]){head, "Số lượt", "Số nhà hảo tâm", "Số tiền (đồng)", NULL}
                  : (const char *[]){head, "Số lượt", "Số tiền (đồng)", NULL});
  int64_t total = 0;
  long entries = 0;
  for (size_t i = 0; i < n; i++) {
    xlsxw_text(w, g[i].label);
    xlsxw_grouped(w, (double)g[i].entries, 0);
    if (with_donors) xlsxw_grouped(w, (double)g[i].donors, 0);
    xlsxw_grouped(w, (double)g[i].amount, 0);
    xlsxw_end_row(w);
    total += g[i].amount;
    entries += g[i].entries;
  }
  xlsxw_header(w, "Cộng");
  xlsxw_grouped(w, (double)entries, 1);
  if (with_donors) xlsxw_text(w, NULL);
  xlsxw_grouped(w, (double)total, 1);
  xlsxw_end_row(w);
}

int fund_statement_xlsx(const fund_summary *s, const char *path, ht_err *err) {
  if (s->public_form)
    return ht_err_set(err, HT_EINVAL, "a statement needs the fund's full figures");
  arena a;
  arena_init(&a, 0);
  xlsxw *w;
  int rc = xlsxw_open(&w, path, "Tổng hợp", err);
  if (rc) {
    arena_free(&a);
    return rc;
  }
  /* the summary */
  xlsxw_column(w, 0, 46, 0);
  xlsxw_column(w, 1, 18, 0);
  xlsxw_title(w, arena_sprintf(&a, "BÁO CÁO THU, CHI %s", upper(&a, s->fund.name)));
  xlsxw_end_row(w);
  xlsxw_text(w, arena_sprintf(&a, "Mã quỹ: %s. Đơn vị quản lý: %s", s->fund.code, s->owner_name));
  xlsxw_end_row(w);
  xlsxw_text(w, period_text(&a, s));
  xlsxw_end_row(w);
  xlsxw_end_row(w);
  xl_heads(w, (const char *[]){"Chỉ tiêu", "Số tiền (đồng)", NULL});
  sum_line l[16];
  size_t n = summary_lines(s, l);
  for (size_t i = 0; i < n; i++)
    xl_row2(w, l[i].level ? arena_sprintf(&a, "   %s", l[i].label) : l[i].label,
            (double)l[i].amount, l[i].level == 0);
  xlsxw_end_row(w);
  xlsxw_text(w, arena_sprintf(&a,
                              "Số dư cuối kỳ = số dư đầu kỳ + thu − chi. Các số đã trừ %ld bút "
                              "toán đảo trong kỳ (ghi âm vào khoản gốc).",
                              s->reversals));
  xlsxw_end_row(w);
  xl_row2(w, "Số lượt ủng hộ", (double)s->receipts, 0);
  xl_row2(w, "Số nhà hảo tâm", (double)s->donors, 0);
  xl_row2(w, "Số người nhận", (double)s->beneficiaries, 0);

  xl_groups(w, "Thu theo đợt", "THU THEO ĐỢT VẬN ĐỘNG", "Đợt vận động", s->campaigns, s->ncampaigns,
            1, &a, s);
  xl_groups(w, "Thu theo nhà hảo tâm", "THU THEO LOẠI NHÀ HẢO TÂM", "Loại nhà hảo tâm",
            s->donor_kinds, s->ndonor_kinds, 0, &a, s);
  fund_group cats[FUND_CATS];
  for (int c = 0; c < FUND_CATS; c++)
    cats[c] = (fund_group){fund_category_keys[c], fund_category_names[c], s->paid_by[c],
                           s->paid_count[c], 0};
  xl_groups(w, "Chi theo loại", "CHI THEO LOẠI", "Loại chi", cats, FUND_CATS, 0, &a, s);
  xl_groups(w, "Chuyển quỹ", "CHUYỂN QUỸ (+ nhận vào, − chuyển đi)", "Quỹ", s->transfers,
            s->ntransfers, 0, &a, s);

  /* the entries */
  xlsxw_sheet(w, "Bút toán");
  static const double widths[] = {12, 16, 12, 60, 15, 15, 15, 18};
  for (int i = 0; i < 8; i++) xlsxw_column(w, i, widths[i], 0);
  xlsxw_title(w, "DANH SÁCH BÚT TOÁN");
  xlsxw_end_row(w);
  xlsxw_text(w, period_text(&a, s));
  xlsxw_end_row(w);
  xlsxw_end_row(w);
  xl_heads(w, (const char *[]){"Ngày", "Số chứng từ", "Loại", "Diễn giải", "Thu (đồng)",
                               "Chi (đồng)", "Số dư (đồng)", "Mã bút toán", NULL});
  xlsxw_text(w, s->from);
  xlsxw_text(w, NULL);
  xlsxw_text(w, NULL);
  xlsxw_header(w, "Số dư đầu kỳ");
  xlsxw_text(w, NULL);
  xlsxw_text(w, NULL);
  xlsxw_grouped(w, (double)s->opening, 1);
  xlsxw_end_row(w);
  for (size_t i = 0; i < s->nentries; i++) {
    const fund_sum_entry *x = &s->entries[i];
    xlsxw_text(w, x->e.date);
    xlsxw_text(w, x->e.number);
    xlsxw_text(w, entry_kind_vi(x));
    xlsxw_text(w, x->text);
    xlsxw_grouped(w, x->incoming ? (double)x->amount : NAN, 0);
    xlsxw_grouped(w, x->incoming ? NAN : (double)x->amount, 0);
    xlsxw_grouped(w, (double)x->balance, 0);
    xlsxw_text(w, arena_sprintf(&a, "%lld", (long long)x->e.id));
    xlsxw_end_row(w);
  }
  xlsxw_text(w, s->to);
  xlsxw_text(w, NULL);
  xlsxw_text(w, NULL);
  xlsxw_header(w, "Cộng trong kỳ; số dư cuối kỳ");
  xlsxw_grouped(w, (double)s->total_in, 1);
  xlsxw_grouped(w, (double)s->total_out, 1);
  xlsxw_grouped(w, (double)s->closing, 1);
  xlsxw_end_row(w);
  rc = xlsxw_close(w, err);
  arena_free(&a);
  return rc;
}

/* ------------------------------------------------------------ the PDFs */

static const pdfd_style H1 = {
    .size = 14, .bold = 1, .align = PDFD_CENTER, .colour = RED, .before = 14, .after = 2};
static const pdfd_style SUB = {.align = PDFD_CENTER, .after = 1};
static const pdfd_style H2 = {.size = 11, .bold = 1, .before = 12, .after = 4, .keep = 40};
static const pdfd_style NOTE = {.size = 8.5, .italic = 1, .colour = MUTED, .before = 3};

/* The letterhead: the owner and the fund on the left; the document's date on the right. */
static void letterhead(pdfd *doc, arena *a, const fund_summary *s, const char *right) {
  pdfd_col head[2] = {{1.3, PDFD_CENTER}, {1, PDFD_CENTER}};
  pdfd_table(doc, 2, head, PDFD_TABLE_MARKUP, &(pdfd_style){.size = 9.5});
  pdfd_row(doc, 0,
           (const char *[]){arena_sprintf(a, "%s\n<b>%s</b>", esc(a, upper(a, s->owner_name)),
                                          esc(a, upper(a, s->fund.name))),
                            right});
}

static const char *num(arena *a, int64_t v) {
  return fund_vnd(a, v);
}

static const char *count(arena *a, long v) {
  return fund_vnd(a, v);
}

/* The summary table: every line with its amount, totals bold. */
static void summary_table(pdfd *doc, arena *a, const fund_summary *s) {
  pdfd_col c[2] = {{3, PDFD_LEFT}, {1.2, PDFD_RIGHT}};
  pdfd_table(doc, 2, c, PDFD_GRID, NULL);
  pdfd_row(doc, PDFD_ROW_HEADER, (const char *[]){"Chỉ tiêu", "Số tiền (đồng)"});
  sum_line l[16];
  size_t n = summary_lines(s, l);
  for (size_t i = 0; i < n; i++)
    pdfd_row(doc, l[i].level ? 0 : PDFD_ROW_BOLD,
             (const char *[]){l[i].level ? arena_sprintf(a, "    – %s", l[i].label) : l[i].label,
                              num(a, l[i].amount)});
}

/* A breakdown: label, count(s), amount, with a total row. */
static void groups_table(pdfd *doc, arena *a, const char *head, const fund_group *g, size_t n,
                         int with_donors) {
  if (with_donors) {
    pdfd_col c[4] = {{3, PDFD_LEFT}, {0.8, PDFD_RIGHT}, {1, PDFD_RIGHT}, {1.3, PDFD_RIGHT}};
    pdfd_table(doc, 4, c, PDFD_GRID, NULL);
    pdfd_row(doc, PDFD_ROW_HEADER,
             (const char *[]){head, "Số lượt", "Số nhà hảo tâm", "Số tiền (đồng)"});
  } else {
    pdfd_col c[3] = {{3.5, PDFD_LEFT}, {0.8, PDFD_RIGHT}, {1.3, PDFD_RIGHT}};
    pdfd_table(doc, 3, c, PDFD_GRID, NULL);
    pdfd_row(doc, PDFD_ROW_HEADER, (const char *[]){head, "Số lượt", "Số tiền (đồng)"});
  }
  int64_t total = 0;
  long entries = 0;
  for (size_t i = 0; i < n; i++) {
    if (with_donors)
      pdfd_row(doc, 0,
               (const char *[]){g[i].label, count(a, g[i].entries), count(a, g[i].donors),
                                num(a, g[i].amount)});
    else
      pdfd_row(doc, 0, (const char *[]){g[i].label, count(a, g[i].entries), num(a, g[i].amount)});
    total += g[i].amount;
    entries += g[i].entries;
  }
  if (with_donors)
    pdfd_row(doc, PDFD_ROW_BOLD, (const char *[]){"Cộng", count(a, entries), "", num(a, total)});
  else
    pdfd_row(doc, PDFD_ROW_BOLD, (const char *[]){"Cộng", count(a, entries), num(a, total)});
}

static void signatures(pdfd *doc, arena *a, const char *const *roles, int n, const char *date) {
  pdfd_text(doc, arena_sprintf(a, "%s", date),
            &(pdfd_style){.italic = 1, .align = PDFD_RIGHT, .before = 14, .after = 4, .keep = 80});
  pdfd_col c[3] = {{1, PDFD_CENTER}, {1, PDFD_CENTER}, {1, PDFD_CENTER}};
  pdfd_table(doc, n, c, PDFD_TABLE_MARKUP, NULL);
  const char *cells[3];
  for (int i = 0; i < n; i++)
    cells[i] = arena_sprintf(a,
                             "<b>%s</b>\n<i><span size=\"small\">(Ký, ghi rõ họ tên)</span></i>"
                             "\n\n\n\n",
                             esc(a, roles[i]));
  pdfd_row(doc, 0, cells);
}

int fund_statement_pdf(const fund_summary *s, strbuf *out, int *pages, ht_err *err) {
  if (s->public_form)
    return ht_err_set(err, HT_EINVAL, "a statement needs the fund's full figures");
  arena a;
  arena_init(&a, 0);
  char today[11];
  today_iso(today);
  pdfd *doc = pdfd_new(PDFD_A4, 15, FONT_SERIF, 10.5);
  pdfd_title(doc, arena_sprintf(&a, "Báo cáo thu chi %s %s–%s", s->fund.code, s->from, s->to));
  pdfd_footer(
      doc,
      arena_sprintf(&a, "%s · Báo cáo thu chi %s–%s · in ngày %s", s->fund.code,
                    fund_date_vn(&a, s->from), fund_date_vn(&a, s->to), fund_date_vn(&a, today)),
      "Trang {page}/{pages}");
  letterhead(doc, &a, s, arena_sprintf(&a, "Mã quỹ: <b>%s</b>", esc(&a, s->fund.code)));
  pdfd_text(doc, "BÁO CÁO THU, CHI QUỸ KHUYẾN HỌC", &H1);
  pdfd_text(doc, period_text(&a, s), &(pdfd_style){.italic = 1, .align = PDFD_CENTER, .after = 6});

  pdfd_text(doc, "I. TỔNG HỢP", &H2);
  summary_table(doc, &a, s);
  pdfd_text(doc,
            arena_sprintf(&a,
                          "Số dư cuối kỳ = số dư đầu kỳ + thu − chi. %ld lượt ủng hộ của %ld nhà "
                          "hảo tâm; %ld người nhận. Các số đã trừ %ld bút toán đảo trong kỳ "
                          "(ghi âm vào khoản gốc).",
                          s->receipts, s->donors, s->beneficiaries, s->reversals),
            &NOTE);

  pdfd_text(doc, "II. THU THEO ĐỢT VẬN ĐỘNG", &H2);
  groups_table(doc, &a, "Đợt vận động", s->campaigns, s->ncampaigns, 1);
  pdfd_text(doc, "III. THU THEO LOẠI NHÀ HẢO TÂM", &H2);
  groups_table(doc, &a, "Loại nhà hảo tâm", s->donor_kinds, s->ndonor_kinds, 0);
  pdfd_text(doc, "IV. CHI THEO LOẠI", &H2);
  fund_group cats[FUND_CATS];
  for (int c = 0; c < FUND_CATS; c++)
    cats[c] = (fund_group){fund_category_keys[c], fund_category_names[c], s->paid_by[c],
                           s->paid_count[c], 0};
  groups_table(doc, &a, "Loại chi", cats, FUND_CATS, 0);
  pdfd_text(doc, "V. CHUYỂN QUỸ", &H2);
  if (s->ntransfers)
    groups_table(doc, &a, "Quỹ (+ nhận vào, − chuyển đi)", s->transfers, s->ntransfers, 0);
  else
    pdfd_text(doc, "Không có chuyển quỹ trong kỳ.", &(pdfd_style){.italic = 1});

  pdfd_text(doc, "VI. DANH SÁCH BÚT TOÁN", &H2);
  pdfd_col c[7] = {{1.15, PDFD_LEFT},  {1.35, PDFD_LEFT},  {0.85, PDFD_LEFT}, {4.2, PDFD_LEFT},
                   {1.25, PDFD_RIGHT}, {1.25, PDFD_RIGHT}, {1.35, PDFD_RIGHT}};
  pdfd_table(doc, 7, c, PDFD_GRID, &(pdfd_style){.size = 8.5});
  pdfd_row(doc, PDFD_ROW_HEADER,
           (const char *[]){"Ngày", "Số chứng từ", "Loại", "Diễn giải", "Thu", "Chi", "Số dư"});
  pdfd_row(doc, PDFD_ROW_SHADED,
           (const char *[]){fund_date_vn(&a, s->from), "", "", "Số dư đầu kỳ", "", "",
                            num(&a, s->opening)});
  for (size_t i = 0; i < s->nentries; i++) {
    const fund_sum_entry *x = &s->entries[i];
    pdfd_row(doc, 0,
             (const char *[]){fund_date_vn(&a, x->e.date), x->e.number, entry_kind_vi(x), x->text,
                              x->incoming ? num(&a, x->amount) : "",
                              x->incoming ? "" : num(&a, x->amount), num(&a, x->balance)});
  }
  pdfd_row(doc, PDFD_ROW_BOLD,
           (const char *[]){fund_date_vn(&a, s->to), "", "", "Cộng trong kỳ; số dư cuối kỳ",
                            num(&a, s->total_in), num(&a, s->total_out), num(&a, s->closing)});
  signatures(doc, &a, (const char *const[]){"Người lập", "Thủ quỹ", "Trưởng ban quản lý quỹ"}, 3,
             arena_sprintf(&a, "N%s", fund_date_long(&a, today) + 1));
  int rc = pdfd_render(doc, out, pages, err);
  pdfd_free(doc);
  arena_free(&a);
  return rc;
}

int fund_transparency_pdf(const fund_summary *s, const char *url, strbuf *out, int *pages,
                          ht_err *err) {
  if (!s->public_form)
    return ht_err_set(err, HT_EINVAL, "the transparency report is written from the public form");
  arena a;
  arena_init(&a, 0);
  char today[11];
  today_iso(today);
  pdfd *doc = pdfd_new(PDFD_A4, 15, FONT_SERIF, 10.5);
  pdfd_title(doc, arena_sprintf(&a, "Công khai %s %s–%s", s->fund.name, s->from, s->to));
  pdfd_footer(
      doc,
      arena_sprintf(&a, "%s · Công khai quỹ %s–%s · số liệu ngày %s", s->fund.code,
                    fund_date_vn(&a, s->from), fund_date_vn(&a, s->to), fund_date_vn(&a, today)),
      "Trang {page}/{pages}");
  letterhead(doc, &a, s, arena_sprintf(&a, "Mã quỹ: <b>%s</b>", esc(&a, s->fund.code)));
  pdfd_text(doc, "CÔNG KHAI THU, CHI QUỸ KHUYẾN HỌC", &H1);
  pdfd_text(doc, s->fund.name, &SUB);
  pdfd_text(doc, period_text(&a, s), &(pdfd_style){.italic = 1, .align = PDFD_CENTER, .after = 6});

  pdfd_text(doc, "1. Tổng hợp", &H2);
  summary_table(doc, &a, s);
  pdfd_text(doc,
            arena_sprintf(&a, "%ld lượt ủng hộ của %ld nhà hảo tâm; %ld người được nhận.",
                          s->receipts, s->donors, s->beneficiaries),
            &NOTE);

  pdfd_text(doc, "2. Các đợt vận động", &H2);
  groups_table(doc, &a, "Đợt vận động", s->campaigns, s->ncampaigns, 1);

  pdfd_text(doc, "3. Nhà hảo tâm", &H2);
  pdfd_col dc[3] = {{3.5, PDFD_LEFT}, {0.8, PDFD_RIGHT}, {1.3, PDFD_RIGHT}};
  pdfd_table(doc, 3, dc, PDFD_GRID, NULL);
  pdfd_row(doc, PDFD_ROW_HEADER, (const char *[]){"Nhà hảo tâm", "Số lượt", "Số tiền (đồng)"});
  for (size_t i = 0; i < s->ndonor_list; i++)
    pdfd_row(doc, 0,
             (const char *[]){s->donor_list[i].name, count(&a, s->donor_list[i].entries),
                              num(&a, s->donor_list[i].amount)});
  if (s->anonymous_amount || s->anonymous_entries)
    pdfd_row(doc, 0,
             (const char *[]){"Nhà hảo tâm ẩn danh", count(&a, s->anonymous_entries),
                              num(&a, s->anonymous_amount)});
  pdfd_row(doc, PDFD_ROW_BOLD,
           (const char *[]){"Cộng", count(&a, s->receipts), num(&a, s->received)});

  pdfd_text(doc, "4. Các khoản chi", &H2);
  fund_group cats[FUND_CATS];
  for (int c = 0; c < FUND_CATS; c++)
    cats[c] = (fund_group){fund_category_keys[c], fund_category_names[c], s->paid_by[c],
                           s->paid_count[c], 0};
  groups_table(doc, &a, "Loại chi", cats, FUND_CATS, 0);
  if (s->ntransfers)
    groups_table(doc, &a, "Chuyển quỹ (+ nhận, − chuyển đi)", s->transfers, s->ntransfers, 0);

  pdfd_text(doc, "5. Người được nhận", &H2);
  pdfd_col bc[5] = {
      {0.5, PDFD_RIGHT}, {2.2, PDFD_LEFT}, {2.6, PDFD_LEFT}, {1.3, PDFD_LEFT}, {1.3, PDFD_RIGHT}};
  pdfd_table(doc, 5, bc, PDFD_GRID, NULL);
  pdfd_row(doc, PDFD_ROW_HEADER,
           (const char *[]){"TT", "Người nhận", "Lớp, trường", "Loại", "Số tiền (đồng)"});
  int hidden = 0;
  for (size_t i = 0; i < s->npaid_list; i++) {
    const fund_sum_beneficiary *b = &s->paid_list[i];
    hidden |= !b->named;
    pdfd_row(doc, 0,
             (const char *[]){arena_sprintf(&a, "%zu", i + 1), b->name,
                              fund_grade_school(&a, b->grade, b->school),
                              fund_category_names[b->category], num(&a, b->amount)});
  }
  pdfd_row(doc, PDFD_ROW_BOLD, (const char *[]){"", "Cộng", "", "", num(&a, s->paid)});
  if (hidden)
    pdfd_text(doc,
              "Học sinh dưới 18 tuổi (hoặc chưa rõ năm sinh) được ghi bằng chữ cái đầu của họ tên, "
              "theo quy định bảo vệ thông tin trẻ em của quỹ.",
              &NOTE);
  pdfd_text(doc,
            url && *url
                ? arena_sprintf(&a, "Số liệu trích từ sổ quỹ ngày %s. Xem trực tuyến: %s",
                                fund_date_vn(&a, today), url)
                : arena_sprintf(&a, "Số liệu trích từ sổ quỹ ngày %s.", fund_date_vn(&a, today)),
            &(pdfd_style){.size = 8.5, .italic = 1, .colour = MUTED, .before = 10});
  int rc = pdfd_render(doc, out, pages, err);
  pdfd_free(doc);
  arena_free(&a);
  return rc;
}
