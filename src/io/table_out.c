/* table_out.c - CSV or XLSX behind one set of calls (see table_out.h). */
#include "io/table_out.h"

#include <errno.h>
#include <string.h>

int tbl_format_parse(const char *name) {
  if (!strcmp(name, "csv")) return TBL_CSV;
  if (!strcmp(name, "xlsx")) return TBL_XLSX;
  return -1;
}

const char *tbl_format_ext(tbl_format f) {
  return f == TBL_XLSX ? "xlsx" : "csv";
}

const char *tbl_format_media_type(tbl_format f) {
  return f == TBL_XLSX ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                       : "text/csv; charset=utf-8";
}

int tbl_open(tbl_out *o, tbl_format f, const char *path, const char *sheet, ht_err *err) {
  memset(o, 0, sizeof *o);
  o->format = f;
  if (f == TBL_XLSX) return xlsxw_open(&o->xlsx, path, sheet, err);
  if (!strcmp(path, "-")) {
    o->file = stdout;
  } else {
    o->file = fopen(path, "wb");
    if (!o->file) return ht_err_set(err, HT_EIO, "cannot write %s: %s", path, strerror(errno));
    o->own_file = 1;
  }
  csvw_init_file(&o->csv, o->file);
  return HT_OK;
}

void tbl_head(tbl_out *o, const char *text) {
  o->in_header = 1;
  if (o->xlsx)
    xlsxw_header(o->xlsx, text);
  else
    csvw_text(&o->csv, text);
}

void tbl_text(tbl_out *o, const char *text) {
  if (o->xlsx)
    xlsxw_text(o->xlsx, text);
  else
    csvw_text(&o->csv, text);
}

void tbl_number(tbl_out *o, double value) {
  if (o->xlsx)
    xlsxw_number(o->xlsx, value);
  else
    csvw_number(&o->csv, value);
}

void tbl_end_row(tbl_out *o) {
  if (o->xlsx)
    xlsxw_end_row(o->xlsx);
  else
    csvw_end_row(&o->csv);
  if (!o->in_header) o->rows++;
  o->in_header = 0;
}

int tbl_close(tbl_out *o, ht_err *err) {
  int rc = HT_OK;
  if (o->xlsx) {
    rc = xlsxw_close(o->xlsx, err);
    o->xlsx = NULL;
  } else if (o->file) {
    int bad = ferror(o->file);
    if (o->own_file ? fclose(o->file) != 0 : fflush(o->file) != 0) bad = 1;
    if (bad) rc = ht_err_set(err, HT_EIO, "cannot write the CSV file: %s", strerror(errno));
    o->file = NULL;
  }
  return rc;
}
