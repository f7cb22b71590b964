/* test_report.c - the reports' number formats (one rounding for every percentage) and
 * the combined column-and-line chart rewritten into a workbook libxlsxwriter wrote. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "io/xlsx_chart.h"
#include "services/report_doc.h"
#include "test.h"

TEST(report_numbers_round_once_to_tenths_with_a_decimal_comma) {
  static const struct {
    double v;
    const char *rate, *trimmed, *gap;
  } cases[] = {
      {0.724, "72,4%", "72,4%", "+72,4%"},   {0.7245, "72,5%", "72,5%", "+72,5%"},
      {0.72449, "72,4%", "72,4%", "+72,4%"}, {0.7, "70,0%", "70%", "+70,0%"},
      {1.0, "100,0%", "100%", "+100,0%"},    {0.0, "0,0%", "0%", "0,0%"},
      {-0.031, "−3,1%", "−3,1%", "−3,1%"},   {0.99951, "100,0%", "100%", "+100,0%"},
      {0.00049, "0,0%", "0%", "0,0%"},       {NAN, "–", "–", "–"},
  };
  char buf[64];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    CHECK_EQ_STR(rd_fmt_rate(cases[i].v, 0, buf, sizeof buf), cases[i].rate);
    CHECK_EQ_STR(rd_fmt_rate(cases[i].v, 1, buf, sizeof buf), cases[i].trimmed);
    CHECK_EQ_STR(rd_fmt_gap(cases[i].v, buf, sizeof buf), cases[i].gap);
  }
  CHECK_EQ_STR(rd_fmt_int(1234567, buf, sizeof buf), "1.234.567");
  CHECK_EQ_STR(rd_fmt_int(999, buf, sizeof buf), "999");
  CHECK_EQ_STR(rd_fmt_int(-4500, buf, sizeof buf), "-4.500");
  CHECK_EQ_STR(rd_fmt_number(7.5, buf, sizeof buf), "7,5");
  CHECK_EQ_STR(rd_fmt_number(3, buf, sizeof buf), "3");
  /* cells keep rates to six decimals, as the dashboard API gives them */
  rd_cell c;
  rd_set_rate(&c, 2.0 / 3);
  CHECK(c.kind == RD_RATE && c.v == 0.666667);
  rd_set_gap(&c, NAN);
  CHECK(c.kind == RD_EMPTY);
}

/* The chart part of path, NUL-terminated (the caller frees it). */
static char *chart_xml(const char *path) {
  int e = 0;
  zip_t *z = zip_open(path, ZIP_RDONLY, &e);
  if (!z) return NULL;
  zip_stat_t st;
  char *xml = NULL;
  if (zip_stat(z, "xl/charts/chart1.xml", 0, &st) == 0) {
    xml = calloc(1, st.size + 1);
    zip_file_t *f = zip_fopen(z, "xl/charts/chart1.xml", 0);
    if (f) {
      zip_fread(f, xml, st.size);
      zip_fclose(f);
    }
  }
  zip_close(z);
  return xml;
}

static int count_in(const char *from, const char *to, const char *what) {
  int n = 0;
  for (const char *p = from; (p = strstr(p, what)) && p < to; p++) n++;
  return n;
}

/* A workbook with one column chart of two series; the second one without a line when
 * marks is set. */
static void write_book(const char *path, int marks) {
  lxw_workbook *wb = workbook_new(path);
  lxw_worksheet *ws = workbook_add_worksheet(wb, "Tổng hợp");
  for (int r = 0; r < 3; r++) {
    worksheet_write_number(ws, (lxw_row_t)r, 0, 0.5 + r * 0.1, NULL);
    worksheet_write_number(ws, (lxw_row_t)r, 1, 0.7, NULL);
  }
  lxw_chart *chart = workbook_add_chart(wb, LXW_CHART_COLUMN);
  lxw_chart_series *a = chart_add_series(chart, NULL, "='Tổng hợp'!$A$1:$A$3");
  (void)a;
  lxw_chart_series *b = chart_add_series(chart, NULL, "='Tổng hợp'!$B$1:$B$3");
  if (marks) {
    lxw_chart_line none = {.none = LXW_TRUE};
    lxw_chart_fill red = {.color = 0xC00000};
    chart_series_set_line(b, &none);
    chart_series_set_fill(b, &red);
  }
  worksheet_insert_chart(ws, 0, 3, chart);
  workbook_close(wb);
}

TEST(xlsx_chart_last_series_becomes_a_line_on_the_same_axes) {
  char path[512];
  snprintf(path, sizeof path, "%s/combo.xlsx", test_tmpdir());
  write_book(path, 0);
  int changed = -1;
  ht_err err = {0};
  CHECK_EQ_INT(xlsx_chart_last_series_as_line(path, &changed, &err), HT_OK);
  CHECK_EQ_INT(changed, 1);
  char *xml = chart_xml(path);
  CHECK(xml != NULL);
  if (!xml) return;
  const char *bar = strstr(xml, "<c:barChart>"), *line = strstr(xml, "<c:lineChart>");
  CHECK(bar && line && bar < line);
  const char *bar_end = strstr(xml, "</c:barChart>");
  CHECK(bar_end && bar_end < line);
  /* one series each; the line's series has no markers and no bar-only elements */
  CHECK_EQ_INT(count_in(bar, bar_end, "<c:ser>"), 1);
  CHECK_EQ_INT(count_in(line, line + strlen(line), "<c:ser>"), 1);
  const char *moved = strstr(line, "<c:ser>");
  CHECK(moved && strstr(moved, "$B$1:$B$3") && !strstr(line, "$A$1:$A$3"));
  CHECK(strstr(moved, "<c:marker><c:symbol val=\"none\"/></c:marker>"));
  CHECK(!strstr(line, "invertIfNegative"));
  /* the same two axis ids, once in each chart */
  const char *ax = strstr(bar, "<c:axId val=\"");
  CHECK(ax && ax < bar_end);
  if (ax) {
    char id[64];
    CHECK(sscanf(ax, "<c:axId val=\"%63[0-9]\"", id) == 1);
    char want[96];
    snprintf(want, sizeof want, "<c:axId val=\"%s\"/>", id);
    CHECK(strstr(line, want) != NULL);
  }
  free(xml);
  /* a second pass finds nothing more to combine: the file is left as it is */
  CHECK_EQ_INT(xlsx_chart_last_series_as_line(path, &changed, &err), HT_OK);
  CHECK_EQ_INT(changed, 0);
  /* a series without a line: a dash per point in its fill */
  write_book(path, 1);
  CHECK_EQ_INT(xlsx_chart_last_series_as_line(path, &changed, &err), HT_OK);
  xml = chart_xml(path);
  CHECK(xml && strstr(xml, "<c:symbol val=\"dash\"/>") &&
        strstr(strstr(xml, "<c:symbol val=\"dash\"/>"), "C00000"));
  free(xml);
  /* not a workbook */
  snprintf(path, sizeof path, "%s/missing.xlsx", test_tmpdir());
  CHECK_EQ_INT(xlsx_chart_last_series_as_line(path, &changed, &err), HT_EIO);
}
