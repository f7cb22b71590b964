/* test_csv_write.c - CSV for spreadsheets: BOM, CRLF, quoting, formulas neutralised,
 * and what the project's own reader reads back. */
#include <math.h>
#include <string.h>

#include "io/csv.h"
#include "io/csv_write.h"
#include "test.h"

TEST(csv_write_quotes_neutralises_and_round_trips) {
  strbuf b = STRBUF_INIT;
  csvw w;
  csvw_init_buf(&w, &b);
  const char *texts[] = {"Nguyễn Văn An",
                         "Thôn \"Mới\", Đông",
                         "=HYPERLINK(\"x\")",
                         "-5 điểm",
                         "@SUM(A1)",
                         "hai\ndòng",
                         NULL};
  for (int i = 0; i < 7; i++) csvw_text(&w, texts[i]);
  csvw_end_row(&w);
  csvw_number(&w, 42);
  csvw_number(&w, 0.75);
  csvw_number(&w, -3.5);
  csvw_number(&w, NAN);
  csvw_number(&w, 1.0 / 3);
  csvw_end_row(&w);
  const char *out = strbuf_cstr(&b);
  CHECK(strncmp(out, "\xEF\xBB\xBF", 3) == 0);
  CHECK_EQ_STR(out + 3,
               "Nguyễn Văn An,\"Thôn \"\"Mới\"\", Đông\",\"'=HYPERLINK(\"\"x\"\")\",'-5 điểm,"
               "'@SUM(A1),\"hai\ndòng\",\r\n42,0.75,-3.5,,0.333333\r\n");
  /* the reader gets the same fields back (with the apostrophes) */
  csv_reader *r;
  ht_err err = {0};
  CHECK_EQ_INT(csv_open_mem(&r, strbuf_cstr(&b), b.len, &err), HT_OK);
  csv_row row;
  CHECK_EQ_INT(csv_next(r, &row, &err), 1);
  CHECK_EQ_INT(row.nfields, 7);
  CHECK_EQ_STR(row.fields[1], "Thôn \"Mới\", Đông");
  CHECK_EQ_STR(row.fields[2], "'=HYPERLINK(\"x\")");
  CHECK_EQ_STR(row.fields[5], "hai\ndòng");
  CHECK_EQ_INT(csv_next(r, &row, &err), 1);
  CHECK_EQ_STR(row.fields[4], "0.333333");
  csv_close(r);
  strbuf_free(&b);
}
