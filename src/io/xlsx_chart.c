/* xlsx_chart.c - combined column-and-line charts (see xlsx_chart.h). */
#include "io/xlsx_chart.h"

#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "base/strbuf.h"

#define CHART_PART_MAX (16 << 20) /* a chart part of ours is a few hundred KiB at most */

/* The last "<c:ser>...</c:ser>" inside [from, to), or 0. */
static int last_series(const char *from, const char *to, const char **start, const char **end) {
  const char *found = NULL;
  for (const char *p = from; (p = strstr(p, "<c:ser>")) && p < to; p += 7) found = p;
  if (!found) return 0;
  const char *close = strstr(found, "</c:ser>");
  if (!close || close + 8 > to) return 0;
  *start = found;
  *end = close + 8;
  return 1;
}

static int count(const char *from, const char *to, const char *what) {
  int n = 0;
  size_t len = strlen(what);
  for (const char *p = from; (p = strstr(p, what)) && p < to; p += len) n++;
  return n;
}

/* Appends s[0..n) to out without the element <name .../> or <name>...</name>. */
static void append_without(strbuf *out, const char *s, size_t n, const char *name) {
  char open[64], close[64];
  snprintf(open, sizeof open, "<%s", name);
  snprintf(close, sizeof close, "</%s>", name);
  const char *end = s + n, *p = s;
  while (p < end) {
    const char *q = strstr(p, open);
    if (!q || q >= end ||
        (q[strlen(open)] != ' ' && q[strlen(open)] != '/' && q[strlen(open)] != '>')) {
      if (q && q < end) { /* a longer name with the same start: keep it */
        strbuf_append(out, p, (size_t)(q - p) + 1);
        p = q + 1;
        continue;
      }
      strbuf_append(out, p, (size_t)(end - p));
      return;
    }
    strbuf_append(out, p, (size_t)(q - p));
    const char *gt = strchr(q, '>');
    if (!gt || gt >= end) {
      strbuf_append(out, q, (size_t)(end - q));
      return;
    }
    if (gt[-1] == '/') {
      p = gt + 1;
    } else {
      const char *c = strstr(gt, close);
      p = c && c < end ? c + strlen(close) : end;
    }
  }
}

/* The chart XML xml with the last series of its bar chart moved into a line
 * chart, into out; 0 when the chart is not shaped as expected. */
static int combine(const char *xml, strbuf *out) {
  const char *bar = strstr(xml, "<c:barChart>");
  const char *bar_end = bar ? strstr(bar, "</c:barChart>") : NULL;
  if (!bar || !bar_end || count(bar, bar_end, "<c:ser>") < 2) return 0;
  const char *ser, *ser_end;
  if (!last_series(bar, bar_end, &ser, &ser_end)) return 0;
  /* the axis ids the bar chart plots on */
  const char *ax = strstr(ser_end, "<c:axId ");
  if (!ax || ax > bar_end) return 0;
  const char *axes = ax;
  strbuf_append(out, xml, (size_t)(ser - xml)); /* up to the series */
  strbuf_append(out, ser_end, (size_t)(bar_end - ser_end) + strlen("</c:barChart>"));
  /* the line chart: the series without what only bars have, no markers */
  strbuf_puts(out, "<c:lineChart><c:grouping val=\"standard\"/><c:varyColors val=\"0\"/>");
  strbuf moved = STRBUF_INIT;
  append_without(&moved, ser, (size_t)(ser_end - ser), "c:invertIfNegative");
  const char *m = strbuf_cstr(&moved);
  const char *cat = strstr(m, "<c:cat>");
  if (!cat) cat = strstr(m, "<c:val>");
  if (!cat) {
    strbuf_free(&moved);
    return 0;
  }
  strbuf_append(out, m, (size_t)(cat - m));
  /* a series drawn without a line: a dash at each point, in the series' fill */
  const char *sp = strstr(m, "<c:spPr>"), *sp_end = sp ? strstr(sp, "</c:spPr>") : NULL;
  const char *noline = sp ? strstr(sp, "<a:ln><a:noFill/></a:ln>") : NULL;
  const char *fill = sp ? strstr(sp, "<a:solidFill>") : NULL;
  const char *fill_end = fill ? strstr(fill, "</a:solidFill>") : NULL;
  if (noline && noline < sp_end && fill && fill_end && fill_end < sp_end) {
    strbuf_puts(out, "<c:marker><c:symbol val=\"dash\"/><c:size val=\"20\"/><c:spPr>");
    strbuf_append(out, fill, (size_t)(fill_end - fill) + strlen("</a:solidFill>"));
    strbuf_puts(out, "<a:ln><a:noFill/></a:ln></c:spPr></c:marker>");
  } else {
    strbuf_puts(out, "<c:marker><c:symbol val=\"none\"/></c:marker>");
  }
  strbuf_append(out, cat, strlen(cat));
  strbuf_free(&moved);
  strbuf_puts(out, "<c:marker val=\"1\"/>");
  strbuf_append(out, axes, (size_t)(bar_end - axes)); /* the same <c:axId> pair */
  strbuf_puts(out, "</c:lineChart>");
  const char *rest = bar_end + strlen("</c:barChart>");
  strbuf_append(out, rest, strlen(rest));
  return 1;
}

int xlsx_chart_last_series_as_line(const char *path, int *changed, ht_err *err) {
  if (changed) *changed = 0;
  int zerr = 0;
  zip_t *z = zip_open(path, 0, &zerr);
  if (!z)
    return ht_err_set(err, HT_EIO, "cannot reopen the workbook %s to finish its charts", path);
  int rc = HT_OK, n = 0;
  zip_int64_t entries = zip_get_num_entries(z, 0);
  for (zip_int64_t i = 0; i < entries && rc == HT_OK; i++) {
    const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
    if (!name || strncmp(name, "xl/charts/chart", 15) || !strstr(name, ".xml")) continue;
    zip_stat_t st;
    if (zip_stat_index(z, (zip_uint64_t)i, 0, &st) || !(st.valid & ZIP_STAT_SIZE) ||
        st.size > CHART_PART_MAX)
      continue;
    char *xml = malloc(st.size + 1);
    zip_file_t *f = xml ? zip_fopen_index(z, (zip_uint64_t)i, 0) : NULL;
    zip_int64_t got = f ? zip_fread(f, xml, st.size) : -1;
    if (f) zip_fclose(f);
    if (got != (zip_int64_t)st.size) {
      free(xml);
      rc = ht_err_set(err, HT_EIO, "cannot read %s back from the workbook", name);
      break;
    }
    xml[st.size] = 0;
    strbuf out = STRBUF_INIT;
    if (combine(xml, &out)) {
      size_t len = out.len;
      char *data = strbuf_detach(&out);
      zip_source_t *src = zip_source_buffer(z, data, len, 1); /* libzip frees data */
      if (!src || zip_file_replace(z, (zip_uint64_t)i, src, 0) < 0) {
        if (src)
          zip_source_free(src);
        else
          free(data);
        rc = ht_err_set(err, HT_EIO, "cannot rewrite %s: %s", name, zip_strerror(z));
      } else {
        n++;
      }
    }
    strbuf_free(&out);
    free(xml);
  }
  if (rc != HT_OK) {
    zip_discard(z);
    return rc;
  }
  if (zip_close(z) < 0) {
    rc = ht_err_set(err, HT_EIO, "cannot write the workbook %s: %s", path, zip_strerror(z));
    zip_discard(z);
    return rc;
  }
  if (changed) *changed = n;
  return HT_OK;
}
