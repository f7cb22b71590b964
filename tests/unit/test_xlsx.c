/*
 * test_xlsx.c - the XLSX reader on the committed fixtures of tests/data/xlsx
 * (written by tests/data/xlsx/make.py): exact cell text and types, sheets,
 * merged ranges, and the messages for files that are not .xlsx workbooks.
 */
#include <stdlib.h>

#include "io/xlsx.h"
#include "test.h"

#define DATA "tests/data/xlsx/"

/* Reads the next row and checks its number and cells (joined with '|'). */
static void expect_row(xlsx_reader *r, long number, const char *joined) {
  xlsx_row row;
  ht_err err = {0};
  int rc = xlsx_next(r, &row, &err);
  if (rc != 1) fprintf(stderr, "  row %ld: %d %s\n", number, rc, err.msg);
  CHECK_EQ_INT(rc, 1);
  if (rc != 1) return;
  CHECK_EQ_INT(row.row, number);
  char buf[2048] = "";
  size_t n = 0;
  for (size_t i = 0; i < row.ncells && n < sizeof buf - 1; i++) {
    CHECK_EQ_INT(strlen(row.cells[i]), row.lens[i]);
    n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", i ? "|" : "", row.cells[i]);
  }
  CHECK_EQ_STR(buf, joined);
}

static void expect_end(xlsx_reader *r) {
  xlsx_row row;
  ht_err err = {0};
  CHECK_EQ_INT(xlsx_next(r, &row, &err), 0);
  CHECK_EQ_INT(xlsx_next(r, &row, &err), 0);
}

static xlsx_reader *open_fixture(const char *name) {
  xlsx_reader *r = NULL;
  ht_err err = {0};
  char path[256];
  snprintf(path, sizeof path, DATA "%s", name);
  int rc = xlsx_open_file(path, &r, &err);
  if (rc) fprintf(stderr, "  %s: %s\n", path, err.msg);
  CHECK_EQ_INT(rc, HT_OK);
  return r;
}

TEST(xlsx_sheets_in_workbook_order) {
  xlsx_reader *r = open_fixture("danh_sach.xlsx");
  if (!r) return;
  const char *const *names;
  size_t n;
  CHECK_EQ_INT(xlsx_sheets(r, &names, &n), HT_OK);
  CHECK_EQ_INT(n, 3);
  CHECK_EQ_STR(names[0], "Danh sách");
  CHECK_EQ_STR(names[1], "Số liệu");
  CHECK_EQ_STR(names[2], "Ngày");
  xlsx_close(r);
}

TEST(xlsx_first_sheet_title_merged_header_on_row_3) {
  xlsx_reader *r = open_fixture("danh_sach.xlsx");
  if (!r) return;
  ht_err err = {0};
  CHECK_EQ_INT(xlsx_select(r, NULL, &err), HT_OK);
  const xlsx_range *m;
  size_t n;
  xlsx_merged(r, &m, &n);
  CHECK_EQ_INT(n, 1);
  if (n == 1) {
    CHECK_EQ_INT(m[0].first_row, 1);
    CHECK_EQ_INT(m[0].last_row, 1);
    CHECK_EQ_INT(m[0].first_col, 0);
    CHECK_EQ_INT(m[0].last_col, 3);
  }
  expect_row(r, 1, "DANH SÁCH HỘ GIA ĐÌNH HỌC TẬP NĂM 2025");
  expect_row(r, 3, "STT|Họ và tên|Xã/Phường|Ghi chú");
  expect_row(r, 4, "1|Nguyễn Văn Đức|Phường Hồng Bàng|Đạt");
  xlsx_row row;
  CHECK_EQ_INT(xlsx_next(r, &row, &err), 1);
  CHECK_EQ_INT(row.row, 5);
  CHECK_EQ_INT(row.ncells, 4);
  CHECK_EQ_STR(row.cells[2], "");
  CHECK_EQ_INT(row.types[0], XLSX_NUMBER);
  CHECK_EQ_INT(row.types[1], XLSX_STRING);
  CHECK_EQ_INT(row.types[2], XLSX_EMPTY);
  /* written decomposed (NFD) by make.py, read back precomposed (NFC) */
  expect_row(r, 7, "3|L\xC3\xAA Ho\xC3\xA0ng Y\xE1\xBA\xBFn||||cột F");
  expect_end(r);
  xlsx_close(r);
}

TEST(xlsx_numbers_booleans_and_text_that_looks_like_numbers) {
  xlsx_reader *r = open_fixture("danh_sach.xlsx");
  if (!r) return;
  ht_err err = {0};
  CHECK_EQ_INT(xlsx_select(r, "Số liệu", &err), HT_OK);
  expect_row(r, 1, "số nguyên|42|-7|0");
  expect_row(r, 2, "thập phân|3.14|0.1|-2.5");
  expect_row(r, 3, "lớn|123456789012345|1e+20|2.5e-07");
  xlsx_row row;
  CHECK_EQ_INT(xlsx_next(r, &row, &err), 1);
  CHECK_EQ_STR(row.cells[1], "TRUE");
  CHECK_EQ_STR(row.cells[2], "FALSE");
  CHECK_EQ_INT(row.types[1], XLSX_BOOL);
  CHECK_EQ_INT(xlsx_next(r, &row, &err), 1);
  CHECK_EQ_STR(row.cells[1], "00123");
  CHECK_EQ_INT(row.types[1], XLSX_STRING);
  CHECK_EQ_STR(row.cells[2], "=không phải công thức");
  expect_end(r);
  xlsx_close(r);
}

TEST(xlsx_dates_from_number_formats) {
  xlsx_reader *r = open_fixture("danh_sach.xlsx");
  if (!r) return;
  ht_err err = {0};
  CHECK_EQ_INT(xlsx_select(r, "ngày", &err), HT_OK); /* ASCII case is ignored */
  xlsx_row row;
  CHECK_EQ_INT(xlsx_next(r, &row, &err), 1);
  CHECK_EQ_STR(row.cells[0], "2024-03-05");
  CHECK_EQ_STR(row.cells[1], "2025-07-01 08:30:15");
  CHECK_EQ_STR(row.cells[2], "1999-12-31");
  CHECK_EQ_STR(row.cells[3], "05/03/2024"); /* text stays text */
  CHECK_EQ_INT(row.types[0], XLSX_DATE);
  CHECK_EQ_INT(row.types[3], XLSX_STRING);
  /* "0.00", a quoted "Ngày" and [Red] are not dates; [$-42A]d mmmm yyyy is */
  expect_row(r, 2, "45356|45356|45356|2024-03-05");
  expect_end(r);
  xlsx_close(r);
}

TEST(xlsx_edge_cases_of_hand_written_xml) {
  xlsx_reader *r = open_fixture("edge.xlsx");
  if (!r) return;
  ht_err err = {0};
  /* rows and cells without r=, shared rich text without its phonetic run,
   * inline strings in runs, a gap before F1 */
  expect_row(r, 1, "Hải Phòng|Xã hội học tập|Tiếng Việt|||ghép nhiều đoạn");
  xlsx_row row;
  CHECK_EQ_INT(xlsx_next(r, &row, &err), 1);
  CHECK_EQ_INT(row.row, 2);
  CHECK_EQ_STR(row.cells[0], "2"); /* a formula's cached value */
  CHECK_EQ_INT(row.types[0], XLSX_NUMBER);
  CHECK_EQ_STR(row.cells[1], "ab");
  CHECK_EQ_STR(row.cells[2], "#DIV/0!");
  CHECK_EQ_INT(row.types[2], XLSX_ERROR);
  CHECK_EQ_STR(row.cells[3], "TRUE");
  CHECK_EQ_STR(row.cells[4], "FALSE");
  /* row 3 holds only formatting: skipped. Row 5 is in the 1904 date system. */
  CHECK_EQ_INT(xlsx_next(r, &row, &err), 1);
  CHECK_EQ_INT(row.row, 5);
  CHECK_EQ_STR(row.cells[0], "1904-01-01");
  CHECK_EQ_STR(row.cells[1], "2024-01-01 18:00:00");
  CHECK_EQ_STR(row.cells[2], "2024-03-05");
  CHECK_EQ_INT(row.types[2], XLSX_DATE);
  CHECK_EQ_INT(row.types[3], XLSX_EMPTY);
  CHECK_EQ_STR(row.cells[4], "1.5");
  expect_end(r);
  /* a namespace prefix (x:) and a merged range on the second sheet */
  CHECK_EQ_INT(xlsx_select(r, "Hai", &err), HT_OK);
  const xlsx_range *m;
  size_t n;
  xlsx_merged(r, &m, &n);
  CHECK_EQ_INT(n, 1);
  if (n) CHECK_EQ_INT(m[0].last_col, 2);
  expect_row(r, 1, "|tiền tố");
  expect_end(r);
  /* selecting again rewinds */
  CHECK_EQ_INT(xlsx_select(r, "Một", &err), HT_OK);
  CHECK_EQ_INT(xlsx_next(r, &row, &err), 1);
  CHECK_EQ_INT(row.row, 1);
  xlsx_close(r);
}

TEST(xlsx_missing_sheet_lists_the_sheets) {
  xlsx_reader *r = open_fixture("danh_sach.xlsx");
  if (!r) return;
  ht_err err = {0};
  CHECK_EQ_INT(xlsx_select(r, "Tổng hợp", &err), HT_ENOTFOUND);
  CHECK_EQ_STR(err.msg,
               "no sheet 'Tổng hợp' in the workbook; its sheets: 'Danh sách', 'Số liệu', 'Ngày'");
  xlsx_close(r);
}

/* The message for opening a fixture that is not an .xlsx workbook. */
static int open_error(const char *name, ht_err *err) {
  char path[256];
  snprintf(path, sizeof path, DATA "%s", name);
  xlsx_reader *r = NULL;
  int rc = xlsx_open_file(path, &r, err);
  CHECK(r == NULL);
  xlsx_close(r);
  return rc;
}

TEST(xlsx_other_formats_get_a_clear_message) {
  ht_err err = {0};
  CHECK_EQ_INT(open_error("old.xls", &err), HT_EINVAL);
  CHECK(strstr(err.msg,
               "this is an old Excel .xls file; open it and save it as .xlsx (Excel "
               "Workbook)") == err.msg);
  CHECK_EQ_INT(open_error("bang.ods", &err), HT_EINVAL);
  CHECK_EQ_STR(err.msg, "this is a LibreOffice .ods file; save it as .xlsx");
  CHECK_EQ_INT(open_error("not_zip.xlsx", &err), HT_EINVAL);
  CHECK_EQ_STR(err.msg, "this is not an .xlsx workbook: the file is not a ZIP archive");
  CHECK_EQ_INT(open_error("no-such-file.xlsx", &err), HT_EIO);
  xlsx_reader *r = NULL;
  CHECK_EQ_INT(xlsx_open_mem("", 0, &r, &err), HT_EINVAL);
  CHECK(strstr(err.msg, "empty") != NULL);
  CHECK_EQ_INT(xlsx_open_mem("<html><table>", 13, &r, &err), HT_EINVAL);
  CHECK(strstr(err.msg, "HTML") != NULL);
}

TEST(xlsx_open_mem_keeps_a_copy) {
  FILE *f = fopen(DATA "edge.xlsx", "rb");
  CHECK(f != NULL);
  if (!f) return;
  char *buf = malloc(1 << 16);
  size_t len = fread(buf, 1, 1 << 16, f);
  fclose(f);
  xlsx_reader *r = NULL;
  ht_err err = {0};
  CHECK_EQ_INT(xlsx_open_mem(buf, len, &r, &err), HT_OK);
  memset(buf, 0, len);
  free(buf);
  if (!r) return;
  expect_row(r, 1, "Hải Phòng|Xã hội học tập|Tiếng Việt|||ghép nhiều đoạn");
  xlsx_close(r);
}

TEST(xlsx_column_names) {
  char b[4];
  CHECK_EQ_STR(xlsx_column_name(0, b), "A");
  CHECK_EQ_STR(xlsx_column_name(25, b), "Z");
  CHECK_EQ_STR(xlsx_column_name(26, b), "AA");
  CHECK_EQ_STR(xlsx_column_name(16383, b), "XFD");
}
