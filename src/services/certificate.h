/*
 * certificate.h - certificates of recognition (giấy công nhận) as PDF, with
 * their wording and layout as data (docs/certificates.md).
 *
 * A recognised entity gets one page: the national motto, the issuing body,
 * the heading, the recipient, the title, the decision, the date line and the
 * signer, a decorative border and a QR code of the verification link. What an
 * administrator may change (wording with {placeholders}, font, sizes, colours,
 * border, margin, QR size and corner) is a cert_template, read from a text
 * file of `key = value` lines; cert_template_fields[] describes every key so a
 * form can be generated from it.
 *
 * Memory: a template from cert_template_default() points to static strings;
 * one from cert_template_parse() to static strings and the caller's arena,
 * which must outlive it. cert_render_pdf() allocates nothing that outlives the
 * call but the bytes it appends to out. Thread safety: no mutable globals;
 * every render call has its own font map, so server threads may render at
 * once.
 */
#ifndef HOCTAP_SERVICES_CERTIFICATE_H
#define HOCTAP_SERVICES_CERTIFICATE_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/embedded.h"
#include "base/err.h"
#include "base/issues.h"
#include "base/strbuf.h"

/* What is printed on one certificate. Strings are UTF-8 (normalised to NFC
 * when printed); NULL is taken as "". */
typedef struct cert_data {
  const char *code;       /* verification code, e.g. "HP25-7K3M-9QXD" (printed small) */
  const char *verify_url; /* full URL encoded in the QR code and printed under it */
  /* upper line of the issuing body, e.g. "UBND THÀNH PHỐ HẢI PHÒNG"; may be "" */
  const char *issuer_parent;
  const char *issuer;     /* the issuing body, e.g. "ỦY BAN NHÂN DÂN XÃ AN LÃO" */
  const char *title_name; /* the title, e.g. "Gia đình học tập" */
  int level;              /* 0: none; else "Mức độ N" is printed with the title */
  /* e.g. "Gia đình ông/bà Nguyễn Văn An" (the caller composes it) */
  const char *recipient;
  const char *address;         /* e.g. "Thôn Đông, xã An Lão, thành phố Hải Phòng" */
  int year;                    /* the year evaluated */
  const char *decision_number; /* e.g. "125/QĐ-UBND" */
  const char *decision_date;   /* ISO YYYY-MM-DD */
  /* place for the date line, e.g. "An Lão" -> "An Lão, ngày 10 tháng 12 năm 2025" */
  const char *place;
  /* e.g. "CHỦ TỊCH" (may include "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", newline-separated) */
  const char *signer_position;
  const char *signer_name; /* e.g. "Trần Văn Bình" */
  const char *valid_until; /* ISO date or NULL/"" when the title has no validity period */
} cert_data;

enum { CERT_BORDER_DOUBLE, CERT_BORDER_SINGLE, CERT_BORDER_NONE };
enum { CERT_QR_BOTTOM_LEFT, CERT_QR_BOTTOM_RIGHT };
enum { CERT_CASE_UPPER, CERT_CASE_AS_WRITTEN };

/* The wording and layout an administrator may change. Text fields are UTF-8
 * NFC and may hold newlines and {placeholders}; "" leaves the line out, and
 * so does a line that is empty once its placeholders are filled in. */
typedef struct cert_template {
  const char *motto_country; /* "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold, centred on top */
  const char *motto;   /* "Độc lập - Tự do - Hạnh phúc", bold, with a rule under it */
  const char *heading; /* "GIẤY CÔNG NHẬN", large, in heading_colour */
  const char *intro;   /* "{issuer} công nhận" */
  const char *recipient_line; /* "{recipient}", bold */
  const char *address_line;   /* "Địa chỉ: {address}" */
  const char *achievement;    /* "Đạt danh hiệu" */
  const char *title_line;     /* "{title}": the largest text after the heading */
  const char *level_line;     /* "Mức độ {level}": only when the level is above 0 */
  const char *year_line;      /* "Năm {year}" */
  const char *decision_line; /* "(Theo Quyết định số {decision_number} ngày ...)", italic */
  const char *validity_line; /* "Có giá trị đến ngày {valid_until}": only with a validity */
  const char *date_line;     /* "{place}, ngày {decision_day} tháng ...", above the signer */
  const char *code_line;     /* "Mã xác thực: {code}", small, under the QR code */
  const char *verify_line;   /* "Tra cứu: {url}", small, under the QR code */
  int title_case;            /* CERT_CASE_*: the title line in capitals or as written */
  const char *font;          /* font family; fontconfig falls back to DejaVu Serif */
  int heading_size, title_size, text_size;             /* points */
  uint32_t border_colour, heading_colour, text_colour; /* 0xRRGGBB */
  int border;                                          /* CERT_BORDER_* */
  int margin_mm;                                       /* page edge to border */
  int qr_size_mm;                                      /* the QR code with its quiet zone */
  int qr_corner;                                       /* CERT_QR_* */
} cert_template;

/* The keys of a template file, for checks, documentation and generated forms. */
typedef enum cert_field_type {
  CERT_FIELD_TEXT,   /* UTF-8; placeholders when .placeholders is 1 */
  CERT_FIELD_COLOUR, /* "#RRGGBB" */
  CERT_FIELD_NUMBER, /* a whole number from .min to .max, in .unit */
  CERT_FIELD_CHOICE  /* one of .choices */
} cert_field_type;

typedef struct cert_field_info {
  const char *key;
  cert_field_type type;
  const char *label_vi, *label_en;
  const char *unit;           /* numbers: "pt" or "mm"; otherwise NULL */
  int min, max;               /* numbers */
  const char *const *choices; /* choices: the allowed values, NULL-terminated */
  int placeholders;           /* text: may hold {placeholders} */
  const char *default_value;  /* as written in the file */
  size_t offset;              /* of the field in cert_template */
} cert_field_info;

extern const cert_field_info cert_template_fields[];
extern const size_t cert_template_nfields;

/* The placeholders text fields may hold, without braces ("issuer", ...). */
extern const char *const cert_placeholders[];
extern const size_t cert_nplaceholders;

/* The shipped template files compiled in (data/certificates; paths "/NAME.txt"). */
extern const embedded_file cert_default_files[];
extern const size_t cert_default_files_count;
#define CERT_DEFAULT_TEMPLATE "default.txt"

/* The text of the shipped default template (data/certificates/default.txt),
 * NUL-terminated; *len (if not NULL) gets its length. */
const char *cert_template_default_text(size_t *len);

/* Fills t with the shipped defaults (the values of default.txt). */
void cert_template_default(cert_template *t);

/* Reads a template file: starts from the defaults and applies each line.
 * Lines are `key = value`; blank lines and lines starting with '#' are
 * skipped; in text values `\n` is a line break and `\\` a backslash. Every
 * problem (invalid UTF-8, a line without '=', unknown or repeated key, bad
 * colour, number out of range, unknown choice or placeholder, a value too
 * long) goes to problems with its line and a hint, file as the issue's file;
 * returns HT_EINVAL when there is any (out then holds the lines that were
 * good). Text is stored NFC, in a. O(len). */
int cert_template_parse(const char *file, const char *text, size_t len, arena *a,
                        cert_template *out, issues *problems);

/* Appends the text form of t to out: every key in cert_template_fields[]
 * order; cert_template_parse() of it gives t back. HT_EINVAL if a field
 * holds a value no file could (a number or choice out of range). */
int cert_template_format(const cert_template *t, strbuf *out);

/* Renders certs[0..n) with t, one A4 landscape page (842 x 595 pt) each,
 * and appends the PDF to out. Text is set with pango (Vietnamese shaped by
 * the font), too long lines shrink, then wrap, then are cut with an ellipsis
 * so nothing leaves its place; the QR code (error correction M) encodes
 * verify_url (none when it is empty). HT_EINVAL with a message naming the
 * certificate and field for n == 0, invalid UTF-8, a bad date or a URL too
 * long for a QR code; HT_ELIMIT above CERT_RENDER_MAX pages; HT_ERR when
 * cairo fails. On error out is left as it was. */
#define CERT_RENDER_MAX 5000

/* Made-up sample certificate i (to preview a template): mostly households,
 * with a citizen, a clan and a learning unit among them (the last with a long
 * name and address, to show how long text fits); page i takes family name
 * i % 10 and given name i % 25, so 50 pages have 50 different names. Strings
 * come from a. */
void cert_sample(size_t i, arena *a, cert_data *d);
int cert_render_pdf(const cert_template *t, const cert_data *certs, size_t n, strbuf *out,
                    ht_err *err);

#endif
