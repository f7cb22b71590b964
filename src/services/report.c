/* report.c - what the reports share: names, formats, the dispatch (see
 * report.h), and small text helpers (report_doc.h). */
#include "services/report.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "base/date.h"
#include "services/report_doc.h"

static const char *const kind_names[REPORT_KINDS] = {"annual", "commune-dossier", "title-list"};

int report_kind_parse(const char *name) {
  for (int i = 0; name && i < REPORT_KINDS; i++)
    if (!strcmp(name, kind_names[i])) return i;
  return -1;
}

const char *report_kind_name(report_kind k) {
  return (unsigned)k < REPORT_KINDS ? kind_names[k] : "?";
}

int report_format_of_path(const char *path) {
  const char *dot = path ? strrchr(path, '.') : NULL;
  if (!dot || strchr(dot, '/')) return -1;
  if (!strcasecmp(dot, ".xlsx")) return REPORT_XLSX;
  if (!strcasecmp(dot, ".pdf")) return REPORT_PDF;
  return -1;
}

const char *report_format_ext(report_format f) {
  return f == REPORT_PDF ? "pdf" : "xlsx";
}

const char *report_format_media_type(report_format f) {
  return f == REPORT_PDF ? "application/pdf"
                         : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
}

int report_write(report_kind kind, const report_src *src, const report_params *p, const char *path,
                 report_info *info, ht_err *err) {
  switch (kind) {
    case REPORT_ANNUAL: return report_annual(src, p, path, info, err);
    case REPORT_DOSSIER: return report_dossier(src, p, path, info, err);
    case REPORT_TITLE_LIST: return report_title_list(src, p, path, info, err);
    default: return ht_err_set(err, HT_EINVAL, "unknown report");
  }
}

/* ------------------------------------------------------------ helpers */

const char *rd_lower_first(arena *a, const char *s) {
  if (!s || !*s) return "";
  utf8proc_int32_t cp;
  utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s, -1, &cp);
  if (n <= 0) return arena_strdup(a, s);
  utf8proc_uint8_t enc[8];
  utf8proc_ssize_t m = utf8proc_encode_char(utf8proc_tolower(cp), enc);
  size_t rest = strlen(s + n);
  char *out = arena_alloc(a, (size_t)m + rest + 1);
  memcpy(out, enc, (size_t)m);
  memcpy(out + m, s + n, rest + 1);
  return out;
}

char *rd_fmt_date(int32_t day, char *buf, size_t size) {
  int y, m, d;
  date_to_ymd(day, &y, &m, &d);
  snprintf(buf, size, "%02d/%02d/%04d", d, m, y);
  return buf;
}

const char *rd_iso_vn(arena *a, const char *iso) {
  int32_t day;
  char buf[16];
  if (!iso || !*iso || date_parse(iso, &day) != HT_OK) return "";
  return arena_strdup(a, rd_fmt_date(day, buf, sizeof buf));
}

int32_t rd_ms_day(int64_t ms) {
  return (int32_t)((ms + 7LL * 3600 * 1000) / 86400000LL);
}

int rd_write(const rd_doc *d, int format, const char *path, int *pages, ht_err *err) {
  if (pages) *pages = 0;
  if (format == REPORT_PDF) return rd_write_pdf(d, path, pages, err);
  return rd_write_xlsx(d, path, err);
}
