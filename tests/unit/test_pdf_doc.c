/* test_pdf_doc.c - blocks over PDF pages (io/pdf_doc.h): pagination of long
 * tables, refusals of bad text, and that a failed render leaves the buffer
 * as it was. The words on the pages are read back with pdftotext by the CLI
 * tests (tests/cli/test_fund_docs.py). */
#include <string.h>

#include "io/pdf_doc.h"
#include "test.h"

static pdfd *table_of(int rows) {
  pdfd *d = pdfd_new(PDFD_A4, 15, "DejaVu Serif,serif", 10);
  pdfd_title(d, "Bảng thử");
  pdfd_footer(d, "Thử nghiệm", "Trang {page}/{pages}");
  pdfd_text(d, "BẢNG THỬ", &(pdfd_style){.size = 14, .bold = 1, .align = PDFD_CENTER});
  pdfd_col cols[3] = {{1, PDFD_LEFT}, {3, PDFD_LEFT}, {1, PDFD_RIGHT}};
  pdfd_table(d, 3, cols, PDFD_GRID, NULL);
  pdfd_row(d, PDFD_ROW_HEADER, (const char *[]){"Ngày", "Diễn giải", "Số tiền"});
  for (int i = 0; i < rows; i++)
    pdfd_row(d, 0, (const char *[]){"06/09/2025", "Nhận ủng hộ của Trần Thị Bình", "1.500.000"});
  return d;
}

TEST(pdf_doc_tables_flow_over_pages) {
  int pages[3] = {0};
  const int rows[3] = {5, 60, 400};
  size_t sizes[3];
  for (int i = 0; i < 3; i++) {
    pdfd *d = table_of(rows[i]);
    strbuf out = STRBUF_INIT;
    ht_err err = {0};
    CHECK_EQ_INT(pdfd_render(d, &out, &pages[i], &err), HT_OK);
    CHECK(out.len > 1000 && !memcmp(out.data, "%PDF-", 5));
    sizes[i] = out.len;
    strbuf_free(&out);
    pdfd_free(d);
  }
  CHECK_EQ_INT(pages[0], 1);
  CHECK(pages[1] >= 2 && pages[1] <= 4);
  CHECK(pages[2] > pages[1] * 4);
  CHECK(sizes[2] > sizes[0]);
}

TEST(pdf_doc_refuses_bad_text_and_keeps_the_buffer) {
  strbuf out = STRBUF_INIT;
  strbuf_puts(&out, "before");
  ht_err err = {0};
  pdfd *d = table_of(3);
  pdfd_text(d, "ba\xff\xfe", NULL);
  CHECK_EQ_INT(pdfd_render(d, &out, NULL, &err), HT_EINVAL);
  CHECK(strstr(err.msg, "UTF-8") != NULL);
  CHECK_EQ_STR(strbuf_cstr(&out), "before");
  pdfd_free(d);
  d = table_of(3);
  pdfd_text(d, "<b>không đóng", &(pdfd_style){.markup = 1});
  CHECK_EQ_INT(pdfd_render(d, &out, NULL, &err), HT_EINVAL);
  CHECK(strstr(err.msg, "markup") != NULL);
  CHECK_EQ_STR(strbuf_cstr(&out), "before");
  pdfd_free(d);
  /* escaped text is good markup */
  arena a;
  arena_init(&a, 0);
  d = table_of(1);
  pdfd_text(d, pdfd_escape(&a, "Công ty <A&B> \"Đông\""), &(pdfd_style){.markup = 1});
  CHECK_EQ_INT(pdfd_render(d, &out, NULL, &err), HT_OK);
  pdfd_free(d);
  arena_free(&a);
  strbuf_free(&out);
}

TEST(pdf_doc_a_row_taller_than_a_page_does_not_loop) {
  pdfd *d = pdfd_new(PDFD_A5, 12, NULL, 10);
  pdfd_table(d, 1, NULL, 0, NULL);
  strbuf tall = STRBUF_INIT;
  for (int i = 0; i < 200; i++) strbuf_puts(&tall, "dòng\n");
  pdfd_row(d, 0, (const char *[]){strbuf_cstr(&tall)});
  pdfd_row(d, 0, (const char *[]){"sau"});
  strbuf out = STRBUF_INIT;
  ht_err err = {0};
  int pages = 0;
  CHECK_EQ_INT(pdfd_render(d, &out, &pages, &err), HT_OK);
  CHECK(pages >= 1 && pages <= 3);
  strbuf_free(&tall);
  strbuf_free(&out);
  pdfd_free(d);
}
