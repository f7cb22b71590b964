/*
 * fund_docs.h - a study-promotion fund's documents (docs/funds.md,
 * "Documents"), in Vietnamese:
 *  - the donation receipt (biên nhận ủng hộ) a donor gets: one A5 page with
 *    the amount in figures and in words, stamped "ĐÃ HỦY" once reversed;
 *  - the statement of a period (báo cáo thu chi): an Excel workbook with a
 *    sheet per part, or an A4 PDF with the same parts;
 *  - the public transparency report (công khai quỹ) as an A4 PDF, written
 *    from a summary in its public form only (the web page is
 *    faces/http/h_fund_docs.c).
 * The figures come from services/fund_summary.h, so every document of a
 * period shows the same numbers.
 *
 * PDFs are set with io/pdf_doc.h (cairo + pango, NFC text that pdftotext
 * reads back), workbooks with io/xlsx_write.h (numbers as numbers with a
 * thousands format). Nothing keeps state between calls: server threads may
 * render at once.
 */
#ifndef HOCTAP_SERVICES_FUND_DOCS_H
#define HOCTAP_SERVICES_FUND_DOCS_H

#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/strbuf.h"
#include "services/fund_summary.h"
#include "store/db.h"

/* What a receipt shows. Strings are UTF-8; NULL or "" leaves a line out. */
typedef struct fund_receipt {
  int64_t entry_id;
  const char *owner;      /* the fund's owner: "Xã An Lão" */
  const char *fund_name;  /* "Quỹ Khuyến học xã An Lão" */
  const char *fund_code;  /* "KH-AL" */
  const char *number;     /* "PT-2025-0007" */
  const char *date;       /* ISO */
  const char *donor;      /* "" or NULL: an anonymous donor */
  const char *donor_kind; /* a donor kind key ("person", ...) */
  const char *donor_address;
  int64_t amount;
  const char *method; /* "cash" or "bank" */
  const char *campaign, *purpose, *memo;
  const char *recorded_by;
  /* a reversed receipt */
  int cancelled;
  const char *cancel_date, *cancel_number, *cancel_reason;
  const char *printed_on; /* ISO; NULL: today */
} fund_receipt;

/* The receipt of entry id (strings from a). HT_ENOTFOUND when there is no
 * such entry; HT_EINVAL when it is not a receipt (the message names its
 * kind). */
int fund_receipt_load(db *d, int64_t entry, arena *a, fund_receipt *out, ht_err *err);
/* One A5 portrait page appended to out. HT_EINVAL on a bad date or invalid
 * UTF-8; out unchanged on error. */
int fund_receipt_render(const fund_receipt *r, strbuf *out, ht_err *err);
/* Both: the PDF of entry's receipt. */
int fund_receipt_pdf(db *d, int64_t entry, strbuf *out, ht_err *err);

/* The statement of s (a summary that is not the public form) as a workbook
 * at path: sheets "Tổng hợp", "Thu theo đợt", "Thu theo nhà hảo tâm", "Chi
 * theo loại", "Chuyển quỹ", "Bút toán". */
int fund_statement_xlsx(const fund_summary *s, const char *path, ht_err *err);
/* The same as an A4 PDF appended to out; *pages (may be NULL) its pages. */
int fund_statement_pdf(const fund_summary *s, strbuf *out, int *pages, ht_err *err);

/* The transparency report of s (the public form: HT_EINVAL otherwise) as an
 * A4 PDF; url (may be NULL) the address of the page, printed at its end. */
int fund_transparency_pdf(const fund_summary *s, const char *url, strbuf *out, int *pages,
                          ht_err *err);

/* Shared by the documents and the transparency page. */
/* "2025-09-06" -> "06/09/2025" (from a; the text itself when not a date). */
const char *fund_date_vn(arena *a, const char *iso);
/* "2025-09-06" -> "ngày 06 tháng 9 năm 2025" (Decree 30/2020: a day below
 * 10 and the months 1 and 2 with two digits). */
const char *fund_date_long(arena *a, const char *iso);
/* "1.500.000" (from a). */
const char *fund_vnd(arena *a, int64_t v);
/* A beneficiary's grade and school as the documents print them: "Lớp 8,
 * THCS An Lão" (a grade of digits gets "Lớp "). */
const char *fund_grade_school(arena *a, const char *grade, const char *school);

#endif
