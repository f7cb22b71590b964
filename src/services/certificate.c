/* certificate.c - certificate templates and their PDF rendering (see certificate.h). */
#include "services/certificate.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/vtext.h"

/* ------------------------------------------------------------ the keys */

static const char *const border_choices[] = {"double", "single", "none", NULL};
static const char *const corner_choices[] = {"bottom-left", "bottom-right", NULL};
static const char *const case_choices[] = {"upper", "as-written", NULL};

#define TEXT(key, vi, en, def) \
  { #key, CERT_FIELD_TEXT, vi, en, NULL, 0, 0, NULL, 1, def, offsetof(cert_template, key) }
#define NUMBER(key, field, vi, en, unit, lo, hi, def) \
  { #key, CERT_FIELD_NUMBER, vi, en, unit, lo, hi, NULL, 0, def, offsetof(cert_template, field) }
#define COLOUR(key, vi, en, def) \
  { #key, CERT_FIELD_COLOUR, vi, en, NULL, 0, 0, NULL, 0, def, offsetof(cert_template, key) }
#define CHOICE(key, vi, en, choices, def) \
  { #key, CERT_FIELD_CHOICE, vi, en, NULL, 0, 0, choices, 0, def, offsetof(cert_template, key) }

/* The defaults here are those of data/certificates/default.txt; a unit test
 * keeps the two the same. */
const cert_field_info cert_template_fields[] = {
    TEXT(motto_country, "Quốc hiệu", "National name", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    TEXT(motto, "Tiêu ngữ", "Motto", "Độc lập - Tự do - Hạnh phúc"),
    TEXT(heading, "Tên giấy", "Heading", "GIẤY CÔNG NHẬN"),
    TEXT(intro, "Dòng mở đầu", "Opening line", "{issuer} công nhận"),
    TEXT(recipient_line, "Dòng người được công nhận", "Recipient line", "{recipient}"),
    TEXT(address_line, "Dòng địa chỉ", "Address line", "Địa chỉ: {address}"),
    TEXT(achievement, "Dòng đạt danh hiệu", "Achievement line", "Đạt danh hiệu"),
    TEXT(title_line, "Dòng danh hiệu", "Title line", "{title}"),
    CHOICE(title_case, "Chữ của danh hiệu", "Title lettering", case_choices, "upper"),
    TEXT(level_line, "Dòng mức độ", "Level line", "Mức độ {level}"),
    TEXT(year_line, "Dòng năm", "Year line", "Năm {year}"),
    TEXT(decision_line, "Dòng quyết định", "Decision line",
         "(Theo Quyết định số {decision_number} ngày "
         "{decision_day}/{decision_month}/{decision_year})"),
    TEXT(validity_line, "Dòng thời hạn", "Validity line", "Có giá trị đến ngày {valid_until}"),
    TEXT(date_line, "Dòng địa danh, ngày tháng", "Place and date line",
         "{place}, ngày {decision_day} tháng {decision_month} năm {decision_year}"),
    TEXT(code_line, "Dòng mã xác thực", "Verification code line", "Mã xác thực: {code}"),
    TEXT(verify_line, "Dòng địa chỉ tra cứu", "Verification link line", "Tra cứu: {url}"),
    {"font", CERT_FIELD_TEXT, "Phông chữ", "Font family", NULL, 0, 0, NULL, 0, "Liberation Serif",
     offsetof(cert_template, font)},
    NUMBER(heading_size, heading_size, "Cỡ chữ tên giấy", "Heading size", "pt", 18, 48, "34"),
    NUMBER(title_size, title_size, "Cỡ chữ danh hiệu", "Title size", "pt", 16, 48, "30"),
    NUMBER(text_size, text_size, "Cỡ chữ nội dung", "Text size", "pt", 10, 18, "14"),
    COLOUR(border_colour, "Màu khung viền", "Border colour", "#8B1A1A"),
    COLOUR(heading_colour, "Màu tên giấy và danh hiệu", "Heading and title colour", "#B3121B"),
    COLOUR(text_colour, "Màu chữ", "Text colour", "#1A1A1A"),
    CHOICE(border, "Khung viền", "Border", border_choices, "double"),
    NUMBER(margin, margin_mm, "Lề khung viền", "Border margin", "mm", 0, 20, "9"),
    NUMBER(qr_size, qr_size_mm, "Cỡ mã QR", "QR code size", "mm", 15, 35, "22"),
    CHOICE(qr_corner, "Góc đặt mã QR", "QR code corner", corner_choices, "bottom-left"),
};
const size_t cert_template_nfields = sizeof cert_template_fields / sizeof cert_template_fields[0];

enum {
  PH_ISSUER,
  PH_ISSUER_PARENT,
  PH_TITLE,
  PH_LEVEL,
  PH_RECIPIENT,
  PH_ADDRESS,
  PH_YEAR,
  PH_DECISION_NUMBER,
  PH_DECISION_DAY,
  PH_DECISION_MONTH,
  PH_DECISION_YEAR,
  PH_PLACE,
  PH_VALID_UNTIL,
  PH_CODE,
  PH_URL,
  PH_COUNT
};

const char *const cert_placeholders[] = {
    "issuer",        "issuer_parent", "title",           "level",        "recipient",
    "address",       "year",          "decision_number", "decision_day", "decision_month",
    "decision_year", "place",         "valid_until",     "code",         "url"};
const size_t cert_nplaceholders = sizeof cert_placeholders / sizeof cert_placeholders[0];

_Static_assert(sizeof cert_placeholders / sizeof cert_placeholders[0] == PH_COUNT,
               "one name per placeholder");

#define TEXT_MAX 1000           /* bytes in one text value */
#define TEMPLATE_MAX (64 << 10) /* bytes in a template file */

const char *cert_template_default_text(size_t *len) {
  for (size_t i = 0; i < cert_default_files_count; i++) {
    const embedded_file *f = &cert_default_files[i];
    if (strcmp(f->path + 1, CERT_DEFAULT_TEMPLATE)) continue;
    if (len) *len = (size_t)f->size;
    return (const char *)f->data;
  }
  if (len) *len = 0;
  return "";
}

static void *field_ptr(cert_template *t, const cert_field_info *f) {
  return (char *)t + f->offset;
}

static const void *field_cptr(const cert_template *t, const cert_field_info *f) {
  return (const char *)t + f->offset;
}

static int choice_index(const cert_field_info *f, const char *value) {
  for (int i = 0; f->choices[i]; i++)
    if (!strcmp(f->choices[i], value)) return i;
  return -1;
}

static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* "#RRGGBB" -> 0xRRGGBB; -1 if value is anything else. */
static long parse_colour(const char *value) {
  if (value[0] != '#' || strlen(value) != 7) return -1;
  long rgb = 0;
  for (int i = 1; i < 7; i++) {
    int d = hex_digit(value[i]);
    if (d < 0) return -1;
    rgb = rgb * 16 + d;
  }
  return rgb;
}

/* A whole number of at most 4 digits (the ranges are small); -1 otherwise. */
static int parse_number(const char *value) {
  size_t n = strlen(value);
  if (!n || n > 4 || strspn(value, "0123456789") != n) return -1;
  return atoi(value);
}

void cert_template_default(cert_template *t) {
  memset(t, 0, sizeof *t);
  for (size_t i = 0; i < cert_template_nfields; i++) {
    const cert_field_info *f = &cert_template_fields[i];
    void *p = field_ptr(t, f);
    switch (f->type) {
      case CERT_FIELD_TEXT: *(const char **)p = f->default_value; break;
      case CERT_FIELD_COLOUR: *(uint32_t *)p = (uint32_t)parse_colour(f->default_value); break;
      case CERT_FIELD_NUMBER: *(int *)p = parse_number(f->default_value); break;
      case CERT_FIELD_CHOICE: *(int *)p = choice_index(f, f->default_value); break;
    }
  }
}

/* ------------------------------------------------------------ parsing */

static const cert_field_info *field_named(const char *key) {
  for (size_t i = 0; i < cert_template_nfields; i++)
    if (!strcmp(cert_template_fields[i].key, key)) return &cert_template_fields[i];
  return NULL;
}

/* Edit distance between two short ASCII strings (keys), capped at 9. */
static int distance(const char *a, const char *b) {
  size_t n = strlen(a), m = strlen(b);
  if (n > 40 || m > 40) return 9;
  int row[41];
  for (size_t j = 0; j <= m; j++) row[j] = (int)j;
  for (size_t i = 1; i <= n; i++) {
    int diag = row[0];
    row[0] = (int)i;
    for (size_t j = 1; j <= m; j++) {
      int up = row[j];
      int best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best) best = up + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[m] > 9 ? 9 : row[m];
}

static const char *nearest_key(const char *key) {
  const char *best = NULL;
  int best_d = 3; /* suggest only close misspellings */
  for (size_t i = 0; i < cert_template_nfields; i++) {
    int d = distance(key, cert_template_fields[i].key);
    if (d < best_d) {
      best_d = d;
      best = cert_template_fields[i].key;
    }
  }
  return best;
}

static const char *placeholder_list(arena *a) {
  strbuf b = STRBUF_INIT;
  for (size_t i = 0; i < PH_COUNT; i++)
    strbuf_printf(&b, "%s{%s}", i ? ", " : "", cert_placeholders[i]);
  char *s = arena_strdup(a, strbuf_cstr(&b));
  strbuf_free(&b);
  return s;
}

static int placeholder_id(const char *name, size_t n) {
  for (int i = 0; i < PH_COUNT; i++)
    if (strlen(cert_placeholders[i]) == n && !strncmp(cert_placeholders[i], name, n)) return i;
  return -1;
}

typedef struct parse_ctx {
  issues *problems;
  arena *a;
  long line;
} parse_ctx;

#define BAD(c, col, ...) issues_add_at((c)->problems, (c)->line, (col), __VA_ARGS__)

/* Turns the escapes of a text value into their characters, checks the
 * placeholders (or their absence) and stores the NFC form in *out. 1 if the
 * value is good. */
static int text_value(parse_ctx *c, const cert_field_info *f, const char *raw, long col,
                      const char **out) {
  strbuf b = STRBUF_INIT;
  int ok = 1;
  for (const char *p = raw; *p; p++) {
    if (*p == '\\') {
      if (p[1] == 'n') {
        strbuf_putc(&b, '\n');
      } else if (p[1] == '\\') {
        strbuf_putc(&b, '\\');
      } else {
        BAD(c, col + (p - raw),
            "%s: unknown escape '\\%.1s'; write \\n for a line break or \\\\ "
            "for a backslash",
            f->key, p[1] ? p + 1 : "");
        ok = 0;
        if (!p[1]) break;
      }
      p++;
    } else if (*p == '\t') {
      strbuf_putc(&b, ' ');
    } else if ((unsigned char)*p < 0x20 || *p == 0x7F) {
      BAD(c, col + (p - raw), "%s: control character U+%04X in the value", f->key,
          (unsigned)(unsigned char)*p);
      ok = 0;
    } else {
      strbuf_putc(&b, *p);
    }
  }
  const char *s = strbuf_cstr(&b);
  if (b.len > TEXT_MAX) {
    BAD(c, col, "%s: the value is %zu bytes long; at most %d", f->key, b.len, TEXT_MAX);
    ok = 0;
  }
  for (const char *p = strchr(s, '{'); ok && p; p = strchr(p + 1, '{')) {
    const char *end = strchr(p, '}');
    size_t n = end ? (size_t)(end - p - 1) : strcspn(p + 1, " \n");
    if (!f->placeholders) {
      BAD(c, col, "%s: no placeholders here ('{' is not allowed)", f->key);
      ok = 0;
    } else if (!end) {
      BAD(c, col, "%s: '{' without '}'; placeholders are %s", f->key, placeholder_list(c->a));
      ok = 0;
    } else if (placeholder_id(p + 1, n) < 0) {
      BAD(c, col, "%s: unknown placeholder {%.*s}; placeholders are %s", f->key, (int)n, p + 1,
          placeholder_list(c->a));
      ok = 0;
    }
  }
  if (ok && f->offset == offsetof(cert_template, font) && !*s) {
    BAD(c, col, "font: a font family is needed, e.g. Liberation Serif");
    ok = 0;
  }
  if (ok) {
    char *nfc = NULL;
    if (vt_nfc(s, &nfc) != HT_OK) {
      BAD(c, col, "%s: the value is not valid UTF-8", f->key);
      ok = 0;
    } else {
      *out = arena_strdup(c->a, nfc);
      free(nfc);
    }
  }
  strbuf_free(&b);
  return ok;
}

static const char *choice_list(const cert_field_info *f, arena *a) {
  strbuf b = STRBUF_INIT;
  for (int i = 0; f->choices[i]; i++)
    strbuf_printf(&b, "%s%s", i ? (f->choices[i + 1] ? ", " : " or ") : "", f->choices[i]);
  char *s = arena_strdup(a, strbuf_cstr(&b));
  strbuf_free(&b);
  return s;
}

static void apply(parse_ctx *c, const cert_field_info *f, const char *value, long col,
                  cert_template *t) {
  void *p = field_ptr(t, f);
  switch (f->type) {
    case CERT_FIELD_TEXT: {
      const char *s;
      if (text_value(c, f, value, col, &s)) *(const char **)p = s;
      break;
    }
    case CERT_FIELD_COLOUR: {
      long rgb = parse_colour(value);
      if (rgb < 0)
        BAD(c, col, "%s: '%s' is not a colour; write #RRGGBB, e.g. %s", f->key, value,
            f->default_value);
      else
        *(uint32_t *)p = (uint32_t)rgb;
      break;
    }
    case CERT_FIELD_NUMBER: {
      int v = parse_number(value);
      if (v < 0 || v < f->min || v > f->max)
        BAD(c, col, "%s: '%s' is %s; use a whole number from %d to %d (%s)", f->key, value,
            v < 0 ? "not a whole number" : "out of range", f->min, f->max,
            !strcmp(f->unit, "mm") ? "millimetres" : "points");
      else
        *(int *)p = v;
      break;
    }
    case CERT_FIELD_CHOICE: {
      int i = choice_index(f, value);
      if (i < 0)
        BAD(c, col, "%s: '%s' is not one of %s", f->key, value, choice_list(f, c->a));
      else
        *(int *)p = i;
      break;
    }
  }
}

static int is_blank(char ch) {
  return ch == ' ' || ch == '\t';
}

/* One line s[0..n) (no newline). seen[i] is the line field i was set on. */
static void one_line(parse_ctx *c, const char *s, size_t n, long *seen, cert_template *t) {
  if (n && s[n - 1] == '\r') n--;
  if (!vt_utf8_valid(s, n)) {
    long col = 1;
    for (size_t i = 0; i < n; col++) {
      size_t k = vt_utf8_seq_len(s + i, n - i);
      if (!k) break;
      i += k;
    }
    BAD(c, col, "the line is not valid UTF-8 (character %ld); save the template as UTF-8", col);
    return;
  }
  if (memchr(s, 0, n)) {
    BAD(c, 1, "the line holds a NUL byte; a template is text");
    return;
  }
  size_t i = 0;
  while (i < n && is_blank(s[i])) i++;
  if (i == n || s[i] == '#') return;
  const char *eq = memchr(s + i, '=', n - i);
  if (!eq) {
    BAD(c, (long)i + 1, "expected 'key = value' (a comment line starts with '#')");
    return;
  }
  size_t kend = (size_t)(eq - s);
  while (kend > i && is_blank(s[kend - 1])) kend--;
  size_t v = (size_t)(eq - s) + 1, vend = n;
  while (v < vend && is_blank(s[v])) v++;
  while (vend > v && is_blank(s[vend - 1])) vend--;
  if (kend == i) {
    BAD(c, (long)i + 1, "the key is missing before '='");
    return;
  }
  char *key = arena_strndup(c->a, s + i, kend - i);
  char *value = arena_strndup(c->a, s + v, vend - v);
  const cert_field_info *f = field_named(key);
  if (!f) {
    const char *near = nearest_key(key);
    if (near)
      BAD(c, (long)i + 1, "unknown key '%s'; did you mean '%s'?", key, near);
    else
      BAD(c, (long)i + 1, "unknown key '%s'; 'hoctap certificate template-default' shows every key",
          key);
    return;
  }
  size_t fi = (size_t)(f - cert_template_fields);
  if (seen[fi]) {
    BAD(c, (long)i + 1, "key '%s' is already set on line %ld; keep one", key, seen[fi]);
    return;
  }
  seen[fi] = c->line;
  /* columns count bytes from 1, which is what editors show for ASCII lines */
  apply(c, f, value, (long)v + 1, t);
}

int cert_template_parse(const char *file, const char *text, size_t len, arena *a,
                        cert_template *out, issues *problems) {
  cert_template_default(out);
  parse_ctx c = {problems, a, 0};
  const char *saved_file = problems->file;
  problems->file = file;
  long before = problems->count;
  if (len > TEMPLATE_MAX) {
    issues_add_at(problems, 0, 0, "the template is %zu bytes; a template holds at most %d KiB", len,
                  TEMPLATE_MAX >> 10);
  } else {
    long seen[sizeof cert_template_fields / sizeof cert_template_fields[0]] = {0};
    size_t pos = 0;
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) pos = 3;
    while (pos < len) {
      const char *s = text + pos;
      const char *nl = memchr(s, '\n', len - pos);
      size_t n = nl ? (size_t)(nl - s) : len - pos;
      c.line++;
      one_line(&c, s, n, seen, out);
      pos += n + (nl ? 1 : 0);
    }
  }
  problems->file = saved_file;
  return problems->count > before ? HT_EINVAL : HT_OK;
}

/* ---------------------------------------------------------- formatting */

/* Can text be written as a value that reads back the same? */
static int text_writable(const char *s) {
  if (!vt_utf8_valid(s, strlen(s))) return 0;
  if (is_blank(s[0]) || (*s && is_blank(s[strlen(s) - 1]))) return 0;
  for (const char *p = s; *p; p++)
    if (((unsigned char)*p < 0x20 && *p != '\n') || *p == 0x7F) return 0;
  return 1;
}

int cert_template_format(const cert_template *t, strbuf *out) {
  strbuf b = STRBUF_INIT;
  strbuf_puts(&b,
              "# hoctap certificate template (docs/certificates.md)\n"
              "# One 'key = value' a line; in the wording \\n is a line break.\n");
  int rc = HT_OK;
  for (size_t i = 0; i < cert_template_nfields && rc == HT_OK; i++) {
    const cert_field_info *f = &cert_template_fields[i];
    const void *p = field_cptr(t, f);
    strbuf_printf(&b, "%s = ", f->key);
    switch (f->type) {
      case CERT_FIELD_TEXT: {
        const char *s = *(const char *const *)p;
        if (!s) s = "";
        if (!text_writable(s)) {
          rc = HT_EINVAL;
          break;
        }
        for (; *s; s++) {
          if (*s == '\n')
            strbuf_puts(&b, "\\n");
          else if (*s == '\\')
            strbuf_puts(&b, "\\\\");
          else
            strbuf_putc(&b, *s);
        }
        break;
      }
      case CERT_FIELD_COLOUR: {
        uint32_t rgb = *(const uint32_t *)p;
        if (rgb > 0xFFFFFF) rc = HT_EINVAL;
        strbuf_printf(&b, "#%06X", (unsigned)(rgb & 0xFFFFFF));
        break;
      }
      case CERT_FIELD_NUMBER: {
        int v = *(const int *)p;
        if (v < f->min || v > f->max) rc = HT_EINVAL;
        strbuf_printf(&b, "%d", v);
        break;
      }
      case CERT_FIELD_CHOICE: {
        int v = *(const int *)p, n = 0;
        while (f->choices[n]) n++;
        if (v < 0 || v >= n)
          rc = HT_EINVAL;
        else
          strbuf_puts(&b, f->choices[v]);
        break;
      }
    }
    strbuf_putc(&b, '\n');
  }
  if (rc == HT_OK) strbuf_append(out, b.data, b.len);
  strbuf_free(&b);
  return rc;
}

/* ----------------------------------------------------------- rendering */

#define MM (72.0 / 25.4)
#define PAGE_W (297 * MM) /* A4 landscape: 841.89 x 595.28 pt */
#define PAGE_H (210 * MM)

typedef struct render {
  const cert_template *t;
  cairo_t *cr;
  PangoContext *pc;
  char *family; /* the template's font, then the fallbacks */
  arena *a;     /* this page's strings */
  const char *values[PH_COUNT];
  int heading_size, title_size, text_size;
} render;

static int clamp(int v, int lo, int hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

/* A number field of t kept within its range (a template built in code may hold anything). */
static int number_of(const cert_template *t, const char *key) {
  const cert_field_info *f = field_named(key);
  return clamp(*(const int *)field_cptr(t, f), f->min, f->max);
}

static void set_colour(cairo_t *cr, uint32_t rgb) {
  cairo_set_source_rgb(cr, ((rgb >> 16) & 0xFF) / 255.0, ((rgb >> 8) & 0xFF) / 255.0,
                       (rgb & 0xFF) / 255.0);
}

/* The template text with its placeholders filled in, line by line; a line
 * whose placeholders are all empty is left out. NULL when nothing is left. */
static const char *expand(render *r, const char *tpl) {
  if (!tpl || !*tpl) return NULL;
  strbuf out = STRBUF_INIT, line = STRBUF_INIT;
  const char *p = tpl;
  for (;;) {
    int placeholders = 0, filled = 0;
    strbuf_reset(&line);
    for (; *p && *p != '\n'; p++) {
      const char *end = *p == '{' ? strchr(p, '}') : NULL;
      int id = end ? placeholder_id(p + 1, (size_t)(end - p - 1)) : -1;
      if (id < 0) {
        strbuf_putc(&line, *p);
        continue;
      }
      placeholders++;
      if (*r->values[id]) filled++;
      strbuf_puts(&line, r->values[id]);
      p = end;
    }
    const char *s = strbuf_cstr(&line);
    int blank = strspn(s, " ") == line.len;
    if (!blank && !(placeholders && !filled)) {
      if (out.len) strbuf_putc(&out, '\n');
      strbuf_puts(&out, s);
    }
    if (!*p) break;
    p++;
  }
  const char *result = out.len ? arena_strdup(r->a, out.data) : NULL;
  strbuf_free(&out);
  strbuf_free(&line);
  return result;
}

static const char *upper(render *r, const char *s) {
  char *u = NULL;
  if (!s || vt_upper(s, &u) != HT_OK) return s;
  const char *copy = arena_strdup(r->a, u);
  free(u);
  return copy;
}

typedef struct style {
  double size;
  int bold, italic;
  uint32_t colour;
  PangoAlignment align;
} style;

static PangoLayout *make_layout(render *r, const char *text, const style *st, double size,
                                double width, int max_lines) {
  PangoLayout *l = pango_layout_new(r->pc);
  PangoFontDescription *fd = pango_font_description_new();
  pango_font_description_set_family(fd, r->family);
  pango_font_description_set_weight(fd, st->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_style(fd, st->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
  pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
  pango_layout_set_font_description(l, fd);
  pango_font_description_free(fd);
  pango_layout_set_width(l, (int)(width * PANGO_SCALE));
  pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment(l, st->align);
  /* at most max_lines lines a paragraph; the last one cut with an ellipsis */
  pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
  pango_layout_set_height(l, -max_lines);
  pango_layout_set_text(l, text, -1);
  return l;
}

static int paragraphs(const char *s) {
  int n = 1;
  for (; *s; s++) n += *s == '\n';
  return n;
}

/* The wrapped layout l made narrower as long as it keeps its line count, so
 * the lines even out instead of leaving a word alone on the last one. */
static PangoLayout *balance(render *r, PangoLayout *l, const char *text, const style *st,
                            double size, double width, int max_lines) {
  int lines = pango_layout_get_line_count(l);
  double lo = width / 2, hi = width;
  for (int i = 0; i < 7; i++) {
    double mid = (lo + hi) / 2;
    PangoLayout *narrow = make_layout(r, text, st, size, mid, max_lines);
    int ok = pango_layout_get_line_count(narrow) == lines && !pango_layout_is_ellipsized(narrow);
    g_object_unref(narrow);
    if (ok)
      hi = mid;
    else
      lo = mid;
  }
  if (hi < width) {
    g_object_unref(l);
    l = make_layout(r, text, st, size, hi, max_lines);
  }
  return l;
}

/* A layout of text in a box width wide: each paragraph on one line at the
 * full size (st->size * scale) or shrunk down to min_ratio of it; if even
 * that wraps, wrapped at the largest of those sizes that keeps within
 * max_lines a paragraph, lines evened out; if none does, the smallest size
 * cut with an ellipsis. O(steps) layouts of the text. */
static PangoLayout *fit_layout(render *r, const char *text, const style *st, double scale,
                               double min_ratio, double width, int max_lines) {
  int want = paragraphs(text);
  double full = st->size * scale, smallest = full * min_ratio;
  for (double size = full;; size *= 0.94) {
    if (size < smallest) size = smallest;
    PangoLayout *l = make_layout(r, text, st, size, width, max_lines);
    if (pango_layout_get_line_count(l) <= want) return l;
    g_object_unref(l);
    if (size == smallest) break;
  }
  for (double size = full;; size *= 0.94) {
    if (size < smallest) size = smallest;
    PangoLayout *l = make_layout(r, text, st, size, width, max_lines);
    if (!pango_layout_is_ellipsized(l)) return balance(r, l, text, st, size, width, max_lines);
    if (size == smallest) return l;
    g_object_unref(l);
  }
}

static double layout_height(PangoLayout *l) {
  int w, h;
  pango_layout_get_size(l, &w, &h);
  return (double)h / PANGO_SCALE;
}

/* The logical extent of the layout's text in its box: left offset and width. */
static void layout_span(PangoLayout *l, double *x, double *w) {
  PangoRectangle ink, logical;
  pango_layout_get_extents(l, &ink, &logical);
  *x = (double)logical.x / PANGO_SCALE;
  *w = (double)logical.width / PANGO_SCALE;
}

/* Where a layout meant for the box [x, x + w) starts: fit_layout() may have
 * made it narrower than the box. */
static double origin_x(PangoLayout *l, double x, double w) {
  double lw = (double)pango_layout_get_width(l) / PANGO_SCALE;
  switch (pango_layout_get_alignment(l)) {
    case PANGO_ALIGN_CENTER: return x + (w - lw) / 2;
    case PANGO_ALIGN_RIGHT: return x + w - lw;
    default: return x;
  }
}

static void draw_layout(render *r, PangoLayout *l, uint32_t colour, double x, double w, double y) {
  set_colour(r->cr, colour);
  cairo_move_to(r->cr, origin_x(l, x, w), y);
  pango_cairo_show_layout(r->cr, l);
}

static void rule(cairo_t *cr, uint32_t colour, double x0, double x1, double y, double width) {
  set_colour(cr, colour);
  cairo_set_line_width(cr, width);
  cairo_move_to(cr, x0, y);
  cairo_line_to(cr, x1, y);
  cairo_stroke(cr);
}

static void diamond(cairo_t *cr, double cx, double cy, double rx, double ry) {
  cairo_move_to(cr, cx, cy - ry);
  cairo_line_to(cr, cx + rx, cy);
  cairo_line_to(cr, cx, cy + ry);
  cairo_line_to(cr, cx - rx, cy);
  cairo_close_path(cr);
}

/* The border; returns how far the content keeps from the page edge. */
static double draw_border(render *r) {
  const cert_template *t = r->t;
  cairo_t *cr = r->cr;
  double m = number_of(t, "margin") * MM;
  set_colour(cr, t->border_colour);
  if (t->border == CERT_BORDER_SINGLE) {
    cairo_set_line_width(cr, 1.6);
    cairo_rectangle(cr, m + 0.8, m + 0.8, PAGE_W - 2 * m - 1.6, PAGE_H - 2 * m - 1.6);
    cairo_stroke(cr);
    return (m + 18 > 24 ? m + 18 : 24);
  }
  if (t->border != CERT_BORDER_DOUBLE) return m + 14 > 28 ? m + 14 : 28;
  /* a thick outer line, a band of small diamonds, a thin inner line, and a
   * square ornament at each corner of the band */
  double band = 9, outer = 2.4, inner = 0.9;
  double x0 = m + outer / 2, y0 = x0, x1 = PAGE_W - x0, y1 = PAGE_H - y0;
  cairo_set_line_width(cr, outer);
  cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0);
  cairo_stroke(cr);
  double b0 = m + outer + band; /* the inner line */
  cairo_set_line_width(cr, inner);
  cairo_rectangle(cr, b0, b0, PAGE_W - 2 * b0, PAGE_H - 2 * b0);
  cairo_stroke(cr);
  double mid = m + outer + band / 2; /* the middle of the band */
  double step = 11, rx = 2.2, ry = 2.2;
  double w = PAGE_W - 2 * mid, h = PAGE_H - 2 * mid;
  int nx = (int)(w / step), ny = (int)(h / step);
  double sx = w / nx, sy = h / ny;
  for (int i = 2; i <= nx - 2; i++) {
    diamond(cr, mid + i * sx, mid, rx, ry);
    diamond(cr, mid + i * sx, PAGE_H - mid, rx, ry);
  }
  for (int i = 2; i <= ny - 2; i++) {
    diamond(cr, mid, mid + i * sy, rx, ry);
    diamond(cr, PAGE_W - mid, mid + i * sy, rx, ry);
  }
  cairo_fill(cr);
  double cs = band + 4; /* corner squares, rotated */
  double cx[2] = {mid, PAGE_W - mid}, cy[2] = {mid, PAGE_H - mid};
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 2; j++) diamond(cr, cx[i], cy[j], cs / 2, cs / 2);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 1, 1, 1);
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 2; j++) diamond(cr, cx[i], cy[j], cs / 4, cs / 4);
  cairo_fill(cr);
  /* a fine line inside the inner one */
  set_colour(cr, t->border_colour);
  cairo_set_line_width(cr, 0.4);
  double f0 = b0 + 3;
  cairo_rectangle(cr, f0, f0, PAGE_W - 2 * f0, PAGE_H - 2 * f0);
  cairo_stroke(cr);
  return f0 + 16;
}

/* Draws the QR code of url in a square of side q at (x, y): the modules as
 * filled rectangles (runs of a row merged) inside a quiet zone of 4. */
static int draw_qr(render *r, const char *url, double x, double y, double q, size_t index,
                   ht_err *err) {
  errno = 0;
  QRcode *code = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (!code) {
    if (errno == ENOMEM) return ht_err_set(err, HT_ENOMEM, "out of memory for a QR code");
    return ht_err_set(err, HT_EINVAL,
                      "certificate %zu: verify_url (%zu bytes) is too long for a QR code",
                      index + 1, strlen(url));
  }
  cairo_t *cr = r->cr;
  double cell = q / (code->width + 8);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_rectangle(cr, x, y, q, q);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  for (int row = 0; row < code->width; row++) {
    const unsigned char *bits = code->data + (size_t)row * code->width;
    for (int col = 0; col < code->width;) {
      if (!(bits[col] & 1)) {
        col++;
        continue;
      }
      int start = col;
      while (col < code->width && (bits[col] & 1)) col++;
      cairo_rectangle(cr, x + (4 + start) * cell, y + (4 + row) * cell, (col - start) * cell, cell);
    }
  }
  cairo_fill(cr);
  QRcode_free(code);
  return HT_OK;
}

/* The middle of the page, from the intro to the validity line. */
enum {
  MID_INTRO,
  MID_RECIPIENT,
  MID_ADDRESS,
  MID_ACHIEVEMENT,
  MID_TITLE,
  MID_LEVEL,
  MID_YEAR,
  MID_DECISION,
  MID_VALIDITY,
  MID_COUNT
};

typedef struct mid_block {
  const char *text;
  style st;
  double min_ratio; /* how far it shrinks before wrapping */
  int max_lines;    /* per paragraph */
  double gap;       /* after it, in units of the base gap */
} mid_block;

static void free_layouts(PangoLayout **l, int n) {
  for (int i = 0; i < n; i++)
    if (l[i]) {
      g_object_unref(l[i]);
      l[i] = NULL;
    }
}

/* The sum of the heights and of the gap weights between the blocks that have a layout. */
static void middle_size(const mid_block *b, PangoLayout **l, const double *h, double *total,
                        double *gaps) {
  *total = *gaps = 0;
  int last = -1;
  for (int i = 0; i < MID_COUNT; i++) {
    if (!l[i]) continue;
    *total += h[i];
    if (last >= 0) *gaps += b[last].gap;
    last = i;
  }
}

/* Lays out and draws the middle blocks between y0 and y1 within [x, x + w):
 * at full size if they fit, else smaller (down to half), else on one line
 * each, else without the least needed blocks (the title goes last). */
static void draw_middle(render *r, mid_block *b, double x, double w, double y0, double y1) {
  static const int least_needed[] = {MID_ACHIEVEMENT, MID_INTRO,     MID_VALIDITY,
                                     MID_DECISION,    MID_ADDRESS,   MID_LEVEL,
                                     MID_YEAR,        MID_RECIPIENT, MID_TITLE};
  PangoLayout *l[MID_COUNT] = {0};
  double h[MID_COUNT] = {0}, base_gap = r->text_size * 0.55, avail = y1 - y0, total, gaps;
  double scale = 1;
  for (;;) {
    int single = scale < 0.5;
    if (single) scale = 0.5;
    for (int i = 0; i < MID_COUNT; i++) {
      if (!b[i].text) continue;
      l[i] =
          fit_layout(r, b[i].text, &b[i].st, scale, b[i].min_ratio, w, single ? 1 : b[i].max_lines);
      h[i] = layout_height(l[i]);
    }
    middle_size(b, l, h, &total, &gaps);
    if (total + gaps * base_gap * scale <= avail || single) break;
    free_layouts(l, MID_COUNT);
    scale *= 0.9;
  }
  double gap = base_gap * scale;
  for (size_t k = 0; k < MID_COUNT && total + gaps * gap > avail; k++) {
    free_layouts(&l[least_needed[k]], 1);
    middle_size(b, l, h, &total, &gaps);
  }
  /* spread what is left over the gaps (up to three times each), centre the rest */
  double free_space = avail - total - gaps * gap;
  if (free_space > 0 && gaps > 0) {
    double extra = free_space / (gaps + 2);
    if (extra > gap * 2) extra = gap * 2;
    gap += extra;
  }
  double used = total + gaps * gap;
  double y = used < avail ? y0 + (avail - used) / 2 : y0;
  int prev = -1;
  for (int i = 0; i < MID_COUNT; i++) {
    if (!l[i]) continue;
    if (prev >= 0) y += b[prev].gap * gap;
    draw_layout(r, l[i], b[i].st.colour, x, w, y);
    y += h[i];
    prev = i;
  }
  free_layouts(l, MID_COUNT);
}

/* The content box of the page, inside the border. */
typedef struct frame {
  double left, right, top, bottom, width;
} frame;

static style centred(double size, int bold, int italic, uint32_t colour) {
  return (style){size, bold, italic, colour, PANGO_ALIGN_CENTER};
}

/* The issuing body top left, the national motto centred (the issuing body
 * goes above it when the motto leaves it no room); returns the y below both. */
static double draw_top(render *r, const frame *f) {
  const cert_template *t = r->t;
  const double ts = r->text_size;
  style country = centred(ts * 0.93, 1, 0, t->text_colour);
  style motto = centred(ts, 1, 0, t->text_colour);
  const char *country_text = expand(r, t->motto_country), *motto_text = expand(r, t->motto);
  double motto_col = f->width * 0.5, mx = PAGE_W / 2 - motto_col / 2;
  PangoLayout *lc =
      country_text ? fit_layout(r, country_text, &country, 1, 0.8, motto_col, 2) : NULL;
  PangoLayout *lm = motto_text ? fit_layout(r, motto_text, &motto, 1, 0.8, motto_col, 2) : NULL;
  double span_x, span_w, motto_w = 0;
  if (lc) {
    layout_span(lc, &span_x, &span_w);
    motto_w = span_w;
  }
  if (lm) {
    layout_span(lm, &span_x, &span_w);
    motto_w = fmax(motto_w, span_w);
  }

  style parent_st = centred(ts * 0.86, 0, 0, t->text_colour);
  style issuer_st = centred(ts * 0.86, 1, 0, t->text_colour);
  const char *parent_text =
      *r->values[PH_ISSUER_PARENT] ? upper(r, r->values[PH_ISSUER_PARENT]) : NULL;
  const char *issuer_text = *r->values[PH_ISSUER] ? upper(r, r->values[PH_ISSUER]) : NULL;
  double issuer_col = PAGE_W / 2 - motto_w / 2 - 28 - f->left;
  int issuer_above = issuer_col < f->width * 0.22;
  if (issuer_above) issuer_col = f->width * 0.6;
  double ix = issuer_above ? PAGE_W / 2 - issuer_col / 2 : f->left;
  PangoLayout *lp =
      parent_text ? fit_layout(r, parent_text, &parent_st, 1, 0.8, issuer_col, 2) : NULL;
  PangoLayout *li =
      issuer_text ? fit_layout(r, issuer_text, &issuer_st, 1, 0.75, issuer_col, 3) : NULL;
  double y = f->top;
  if (lp) {
    draw_layout(r, lp, t->text_colour, ix, issuer_col, y);
    y += layout_height(lp);
  }
  if (li) {
    draw_layout(r, li, t->text_colour, ix, issuer_col, y);
    y += layout_height(li);
    /* a short rule under the issuing body, a third of its width */
    layout_span(li, &span_x, &span_w);
    double half = fmax(span_w / 3, fmin(span_w, 40)) / 2, mid = ix + issuer_col / 2;
    rule(r->cr, t->text_colour, mid - half, mid + half, y + 3, 0.7);
    y += 6;
  }
  double issuer_bottom = y, my = issuer_above ? y + 6 : f->top;
  if (lc) {
    draw_layout(r, lc, t->text_colour, mx, motto_col, my);
    my += layout_height(lc);
  }
  if (lm) {
    /* the motto is underlined by a rule as long as its text */
    draw_layout(r, lm, t->text_colour, mx, motto_col, my);
    my += layout_height(lm);
    layout_span(lm, &span_x, &span_w);
    double ox = origin_x(lm, mx, motto_col);
    rule(r->cr, t->text_colour, ox + span_x, ox + span_x + span_w, my + 1.5, 0.8);
    my += 5;
  }
  PangoLayout *all[4] = {lc, lm, lp, li};
  free_layouts(all, 4);
  return fmax(my, issuer_bottom);
}

/* The QR code with the code and link under it, in a bottom corner. Sets
 * *top to where the corner begins and *left to its left edge. */
static int draw_corner(render *r, const frame *f, size_t index, double *top, double *left,
                       ht_err *err) {
  const cert_template *t = r->t;
  int right = t->qr_corner == CERT_QR_BOTTOM_RIGHT;
  double q = number_of(t, "qr_size") * MM;
  /* on the right the captions stay narrow: the signer's column is beside them */
  double caption_w = right ? fmax(q * 1.8, 120) : fmax(f->width * 0.3, q);
  double cap_x = right ? f->right - caption_w : f->left;
  const char *url = r->values[PH_URL];
  style cap = {fmax(r->text_size * 0.58, 7), 0, 0, t->text_colour,
               right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT};
  const char *code_text = expand(r, t->code_line), *verify_text = expand(r, t->verify_line);
  PangoLayout *lcode = code_text ? fit_layout(r, code_text, &cap, 1, 0.85, caption_w, 2) : NULL;
  PangoLayout *lver =
      verify_text && *url ? fit_layout(r, verify_text, &cap, 1, 0.85, caption_w, 3) : NULL;
  double cap_h = (lcode ? layout_height(lcode) : 0) + (lver ? layout_height(lver) : 0);
  double qr_left = right ? f->right - q : f->left;
  *top = f->bottom - cap_h - (*url ? q + 2 : 0);
  *left = f->right;
  if (right && *url) *left = qr_left;
  if (right && (lcode || lver)) *left = cap_x;
  int rc = *url ? draw_qr(r, url, qr_left, *top, q, index, err) : HT_OK;
  double y = f->bottom - cap_h;
  if (lcode) {
    draw_layout(r, lcode, t->text_colour, cap_x, caption_w, y);
    y += layout_height(lcode);
  }
  if (lver) draw_layout(r, lver, t->text_colour, cap_x, caption_w, y);
  PangoLayout *all[2] = {lcode, lver};
  free_layouts(all, 2);
  return rc;
}

/* The date line, the signer's position, room to sign and stamp, the name:
 * bottom right, left of right_edge. Returns the top of the block. */
static double draw_signer(render *r, const cert_data *d, const frame *f, double right_edge) {
  const cert_template *t = r->t;
  const double ts = r->text_size;
  double sw = f->width * 0.42, sx = fmin(f->right, right_edge - 14) - sw;
  style date_st = centred(ts * 0.95, 0, 1, t->text_colour);
  style pos_st = centred(ts, 1, 0, t->text_colour);
  style name_st = centred(ts * 1.05, 1, 0, t->text_colour);
  const char *date_text = expand(r, t->date_line);
  /* fill_values() checked both are UTF-8 */
  const char *pos_text =
      d->signer_position && *d->signer_position ? upper(r, d->signer_position) : NULL;
  const char *name_text = NULL;
  char *name_nfc = NULL;
  if (d->signer_name && *d->signer_name && vt_nfc(d->signer_name, &name_nfc) == HT_OK)
    name_text = arena_strdup(r->a, name_nfc);
  free(name_nfc);
  PangoLayout *ld = date_text ? fit_layout(r, date_text, &date_st, 1, 0.8, sw, 2) : NULL;
  PangoLayout *lpos = pos_text ? fit_layout(r, pos_text, &pos_st, 1, 0.8, sw, 2) : NULL;
  PangoLayout *lname = name_text ? fit_layout(r, name_text, &name_st, 1, 0.8, sw, 2) : NULL;
  double sign_room = ts * 4.6;
  double height = (ld ? layout_height(ld) + 2 : 0) + (lpos ? layout_height(lpos) : 0) + sign_room +
                  (lname ? layout_height(lname) : 0);
  double y = f->bottom - height;
  if (ld) {
    draw_layout(r, ld, t->text_colour, sx, sw, y);
    y += layout_height(ld) + 2;
  }
  if (lpos) {
    draw_layout(r, lpos, t->text_colour, sx, sw, y);
    y += layout_height(lpos);
  }
  y += sign_room;
  if (lname) draw_layout(r, lname, t->text_colour, sx, sw, y);
  PangoLayout *all[3] = {ld, lpos, lname};
  free_layouts(all, 3);
  return f->bottom - height;
}

static mid_block mid(const char *text, style st, double min_ratio, int max_lines, double gap) {
  return (mid_block){text, st, min_ratio, max_lines, gap};
}

static int render_page(render *r, const cert_data *d, size_t index, ht_err *err) {
  const cert_template *t = r->t;
  const double ts = r->text_size;
  cairo_set_source_rgb(r->cr, 1, 1, 1);
  cairo_paint(r->cr);
  double inset = draw_border(r);
  frame f = {inset, PAGE_W - inset, inset - 4, PAGE_H - inset + 4, PAGE_W - 2 * inset};

  double y = draw_top(r, &f);
  const char *heading_text = expand(r, t->heading);
  if (heading_text) {
    style hs = centred(r->heading_size, 1, 0, t->heading_colour);
    PangoLayout *lh = fit_layout(r, heading_text, &hs, 1, 0.7, f.width, 2);
    y += r->heading_size * 0.45;
    draw_layout(r, lh, t->heading_colour, f.left, f.width, y);
    y += layout_height(lh);
    g_object_unref(lh);
  }
  double corner_top, corner_left;
  int rc = draw_corner(r, &f, index, &corner_top, &corner_left, err);
  if (rc != HT_OK) return rc;
  double signer_top = draw_signer(r, d, &f, corner_left);

  /* the middle: what is recognised, between the heading and the bottom blocks */
  const char *title_text = expand(r, t->title_line);
  if (title_text && t->title_case == CERT_CASE_UPPER) title_text = upper(r, title_text);
  uint32_t ink = t->text_colour, red = t->heading_colour;
  mid_block b[MID_COUNT] = {
      [MID_INTRO] = mid(expand(r, t->intro), centred(ts * 1.05, 0, 0, ink), 0.75, 2, 1.0),
      [MID_RECIPIENT] =
          mid(expand(r, t->recipient_line), centred(ts * 1.35, 1, 0, ink), 0.78, 2, 0.35),
      [MID_ADDRESS] = mid(expand(r, t->address_line), centred(ts, 0, 0, ink), 0.88, 2, 1.0),
      [MID_ACHIEVEMENT] =
          mid(expand(r, t->achievement), centred(ts * 1.05, 0, 0, ink), 0.75, 2, 0.3),
      [MID_TITLE] = mid(title_text, centred(r->title_size, 1, 0, red), 0.6, 2, 0.25),
      [MID_LEVEL] = mid(expand(r, t->level_line), centred(ts * 1.15, 1, 0, red), 0.75, 1, 0.25),
      [MID_YEAR] = mid(expand(r, t->year_line), centred(ts * 1.1, 1, 0, ink), 0.75, 1, 1.0),
      [MID_DECISION] = mid(expand(r, t->decision_line), centred(ts * 0.95, 0, 1, ink), 0.8, 2, 0.3),
      [MID_VALIDITY] = mid(expand(r, t->validity_line), centred(ts * 0.95, 0, 1, ink), 0.8, 2, 0),
  };
  double top = y + ts * 0.5, bottom = fmin(signer_top, corner_top) - ts * 0.4;
  double mw = f.width * 0.88;
  if (bottom > top) draw_middle(r, b, PAGE_W / 2 - mw / 2, mw, top, bottom);
  return HT_OK;
}

/* The placeholder values of certificate d (index from 0), NFC, in r->a. */
static int fill_values(render *r, const cert_data *d, size_t index, ht_err *err) {
  static const struct {
    int id;
    size_t offset;
    const char *name;
  } texts[] = {
      {PH_ISSUER, offsetof(cert_data, issuer), "issuer"},
      {PH_ISSUER_PARENT, offsetof(cert_data, issuer_parent), "issuer_parent"},
      {PH_TITLE, offsetof(cert_data, title_name), "title_name"},
      {PH_RECIPIENT, offsetof(cert_data, recipient), "recipient"},
      {PH_ADDRESS, offsetof(cert_data, address), "address"},
      {PH_DECISION_NUMBER, offsetof(cert_data, decision_number), "decision_number"},
      {PH_PLACE, offsetof(cert_data, place), "place"},
      {PH_CODE, offsetof(cert_data, code), "code"},
      {PH_URL, offsetof(cert_data, verify_url), "verify_url"},
  };
  static const size_t others[] = {offsetof(cert_data, signer_position),
                                  offsetof(cert_data, signer_name)};
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
    const char *s = *(const char *const *)((const char *)d + texts[i].offset);
    char *nfc = NULL;
    if (!s) s = "";
    if (vt_nfc(s, &nfc) != HT_OK)
      return ht_err_set(err, HT_EINVAL, "certificate %zu: %s is not valid UTF-8", index + 1,
                        texts[i].name);
    /* a line break in a value would break the line it is put in */
    for (char *p = nfc; *p; p++)
      if (*p == '\n' || *p == '\r' || *p == '\t') *p = ' ';
    r->values[texts[i].id] = arena_strdup(r->a, nfc);
    free(nfc);
  }
  for (size_t i = 0; i < 2; i++) {
    const char *s = *(const char *const *)((const char *)d + others[i]);
    if (s && !vt_utf8_valid(s, strlen(s)))
      return ht_err_set(err, HT_EINVAL, "certificate %zu: %s is not valid UTF-8", index + 1,
                        i ? "signer_name" : "signer_position");
  }
  int32_t day;
  int y, m, dd;
  if (!d->decision_date || date_parse(d->decision_date, &day) != HT_OK)
    return ht_err_set(err, HT_EINVAL, "certificate %zu: decision_date '%s' is not YYYY-MM-DD",
                      index + 1, d->decision_date ? d->decision_date : "");
  date_to_ymd(day, &y, &m, &dd);
  /* Decree 30/2020/ND-CP: a zero before days below 10 and the months 1 and 2 */
  r->values[PH_DECISION_DAY] = arena_sprintf(r->a, "%02d", dd);
  r->values[PH_DECISION_MONTH] = arena_sprintf(r->a, m <= 2 ? "%02d" : "%d", m);
  r->values[PH_DECISION_YEAR] = arena_sprintf(r->a, "%d", y);
  r->values[PH_YEAR] = d->year > 0 ? arena_sprintf(r->a, "%d", d->year) : "";
  r->values[PH_LEVEL] = d->level > 0 ? arena_sprintf(r->a, "%d", d->level) : "";
  r->values[PH_VALID_UNTIL] = "";
  if (d->valid_until && *d->valid_until) {
    if (date_parse(d->valid_until, &day) != HT_OK)
      return ht_err_set(err, HT_EINVAL, "certificate %zu: valid_until '%s' is not YYYY-MM-DD",
                        index + 1, d->valid_until);
    date_to_ymd(day, &y, &m, &dd);
    r->values[PH_VALID_UNTIL] = arena_sprintf(r->a, "%02d/%02d/%d", dd, m, y);
  }
  return HT_OK;
}

static cairo_status_t append_pdf(void *closure, const unsigned char *data, unsigned int length) {
  strbuf_append(closure, (const char *)data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* "GIẤY CÔNG NHẬN - Gia đình học tập 2025" when every certificate is of one
 * title and year, else the heading alone. */
static const char *document_title(render *r, const cert_data *certs, size_t n) {
  const char *heading = r->t->heading && *r->t->heading ? r->t->heading : "Giấy công nhận";
  char *h = arena_strdup(r->a, heading);
  for (char *p = h; *p; p++)
    if (*p == '\n') *p = ' ';
  const char *title = certs[0].title_name ? certs[0].title_name : "";
  for (size_t i = 1; i < n; i++)
    if (certs[i].year != certs[0].year || !certs[i].title_name ||
        strcmp(certs[i].title_name, title))
      return h;
  if (!*title || !vt_utf8_valid(title, strlen(title))) return h;
  return arena_sprintf(r->a, "%s - %s %d", h, title, certs[0].year);
}

int cert_render_pdf(const cert_template *t, const cert_data *certs, size_t n, strbuf *out,
                    ht_err *err) {
  if (n == 0 || !certs) return ht_err_set(err, HT_EINVAL, "no certificates to render");
  if (n > CERT_RENDER_MAX)
    return ht_err_set(err, HT_ELIMIT, "%zu certificates in one document; at most %d", n,
                      CERT_RENDER_MAX);
  size_t start = out->len;
  arena a;
  arena_init(&a, 0);
  render r = {.t = t, .a = &a};
  r.heading_size = number_of(t, "heading_size");
  r.title_size = number_of(t, "title_size");
  r.text_size = number_of(t, "text_size");
  const char *font = t->font && *t->font ? t->font : "Liberation Serif";
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(append_pdf, out, PAGE_W, PAGE_H);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, document_title(&r, certs, n));
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "hoctap");
  r.cr = cairo_create(surface);
  /* a font map of our own: nothing shared with other threads rendering */
  PangoFontMap *fonts = pango_cairo_font_map_new();
  r.pc = pango_font_map_create_context(fonts);
  cairo_font_options_t *fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(r.pc, fo);
  cairo_font_options_destroy(fo);
  pango_context_set_round_glyph_positions(r.pc, FALSE);
  pango_context_set_language(r.pc, pango_language_from_string("vi"));
  pango_cairo_update_context(r.cr, r.pc);
  int rc = HT_OK;
  for (size_t i = 0; i < n && rc == HT_OK; i++) {
    arena_reset(&a);
    r.family = arena_sprintf(&a, "%s,DejaVu Serif,serif", font);
    rc = fill_values(&r, &certs[i], i, err);
    if (rc == HT_OK) rc = render_page(&r, &certs[i], i, err);
    if (rc == HT_OK) cairo_show_page(r.cr);
  }
  cairo_status_t cs = cairo_status(r.cr);
  cairo_destroy(r.cr);
  cairo_surface_finish(surface);
  if (cs == CAIRO_STATUS_SUCCESS) cs = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  g_object_unref(r.pc);
  g_object_unref(fonts);
  arena_free(&a);
  if (rc == HT_OK && cs != CAIRO_STATUS_SUCCESS)
    rc = ht_err_set(err, HT_ERR, "cannot write the PDF: %s", cairo_status_to_string(cs));
  if (rc != HT_OK) {
    out->len = start;
    if (out->data) out->data[start] = 0;
  }
  return rc;
}

/* ------------------------------------------------------------ samples */

typedef struct sample_person {
  const char *given;
  int female;
} sample_person;

/* Made-up people and places shaped like Hai Phong's; page i takes family
 * name i % 10 and given name i % 25, so 50 pages have 50 different names. */
static const char *const families[] = {"Nguyễn", "Trần", "Lê",  "Phạm", "Hoàng",
                                       "Vũ",     "Đặng", "Bùi", "Đỗ",   "Ngô"};
static const sample_person givens[] = {
    {"Văn An", 0},    {"Thị Bích", 1}, {"Đức Cường", 0}, {"Thị Dung", 1},   {"Minh Đức", 0},
    {"Thu Hà", 1},    {"Văn Hải", 0},  {"Thị Hương", 1}, {"Quang Huy", 0},  {"Thị Lan", 1},
    {"Văn Long", 0},  {"Thị Mai", 1},  {"Văn Nam", 0},   {"Thị Ngọc", 1},   {"Đình Phúc", 0},
    {"Thị Quyên", 1}, {"Văn Sơn", 0},  {"Thị Thảo", 1},  {"Xuân Thắng", 0}, {"Thị Uyên", 1},
    {"Văn Việt", 0},  {"Thị Xuân", 1}, {"Đức Thịnh", 0}, {"Thị Yến", 1},    {"Văn Khánh", 0}};
static const char *const villages[] = {"Thôn Đông", "Thôn Tây", "Thôn Trung Hà", "Thôn Lạng Côn",
                                       "Tổ dân phố Tân Dương"};

static void sample_code(size_t i, char *buf, size_t size) {
  static const char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"; /* no 0/O, 1/I/L */
  unsigned long x = 2654435761UL * (unsigned long)(i + 7) ^ 0x5bd1e995UL;
  char part[9];
  for (int k = 0; k < 8; k++) {
    part[k] = alphabet[x % (sizeof alphabet - 1)];
    x /= sizeof alphabet - 1;
    if (!x) x = 0x9e3779b9UL + (unsigned long)k * 7919UL + i;
  }
  snprintf(buf, size, "HP25-%.4s-%.4s", part, part + 4);
}

/* See certificate.h. */
void cert_sample(size_t i, arena *a, cert_data *d) {
  memset(d, 0, sizeof *d);
  const char *family = families[i % 10];
  const sample_person *p = &givens[i % 25];
  const char *village = villages[i % 5];
  char code[32];
  sample_code(i, code, sizeof code);
  d->code = arena_strdup(a, code);
  d->verify_url = arena_sprintf(a, "https://hoctap.example/xac-thuc/%s", code);
  d->issuer_parent = "UBND THÀNH PHỐ HẢI PHÒNG";
  d->issuer = "ỦY BAN NHÂN DÂN XÃ AN LÃO";
  d->year = 2025;
  d->decision_number = "125/QĐ-UBND";
  d->decision_date = "2025-12-10";
  d->place = "An Lão";
  d->signer_position = "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH";
  d->signer_name = "Trần Văn Bình";
  d->address = arena_sprintf(a, "%s, xã An Lão, thành phố Hải Phòng", village);
  switch (i % 6) {
    case 2:
      d->title_name = "Công dân học tập";
      d->recipient = arena_sprintf(a, "%s %s %s", p->female ? "Bà" : "Ông", family, p->given);
      break;
    case 4:
      d->title_name = "Dòng họ học tập";
      d->recipient = arena_sprintf(a, "Dòng họ %s (chi trưởng ông %s %s)", family, family,
                                   p->female ? "Văn Tường" : p->given);
      d->valid_until = "2027-12-31";
      break;
    case 5:
      d->title_name = "Đơn vị học tập";
      d->recipient = arena_sprintf(
          a,
          "Trường Trung học cơ sở Nguyễn Bỉnh Khiêm phân hiệu %s (đại diện ông/bà %s %s, "
          "Hiệu trưởng)",
          village, family, p->given);
      d->address = arena_sprintf(a,
                                 "Số %zu đường Nguyễn Văn Linh, %s, xã An Lão, thành phố Hải "
                                 "Phòng (trước đây là thị trấn An Lão, huyện An Lão)",
                                 i + 12, village);
      d->valid_until = "2028-12-31";
      break;
    default:
      d->title_name = "Gia đình học tập";
      d->recipient = arena_sprintf(a, "Gia đình ông/bà %s %s", family, p->given);
      d->level = 1 + (int)(i % 2);
  }
}
