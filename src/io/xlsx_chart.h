/*
 * xlsx_chart.h - combined column-and-line charts in a finished .xlsx.
 *
 * libxlsxwriter 1.1 (Debian 12) writes a chart of one type only; Excel's
 * "combo" chart (bars with a line on the same axes) is a plot area holding a
 * <c:barChart> and a <c:lineChart> that share their axis ids. This rewrites
 * the chart parts of a workbook already written: in every chart whose bar
 * chart has two series or more, the last series moves into a line chart on
 * the same axes, drawn as a line without markers; a series written with its
 * line switched off (and a fill colour) is drawn as a dash at each point in
 * that colour instead. Nothing else in the archive changes.
 */
#ifndef HOCTAP_IO_XLSX_CHART_H
#define HOCTAP_IO_XLSX_CHART_H

#include "base/err.h"

/* Rewrites path in place. *changed (may be NULL) gets the number of charts
 * rewritten. A chart whose XML is not shaped as expected is left as it is
 * (a clustered column chart). HT_EIO when the archive cannot be read or
 * written. O(size of the chart parts). */
int xlsx_chart_last_series_as_line(const char *path, int *changed, ht_err *err);

#endif
