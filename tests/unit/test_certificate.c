/* test_certificate.c - certificate templates: the shipped default, the
 * parser's problems (line, hint), the text form's round trip, and the PDF
 * renderer's refusals and thread safety. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "services/certificate.h"
#include "test.h"

/* Are a and b the same template, field by field? Prints the first difference. */
static int same_template(const cert_template *a, const cert_template *b) {
  for (size_t i = 0; i < cert_template_nfields; i++) {
    const cert_field_info *f = &cert_template_fields[i];
    const char *pa = (const char *)a + f->offset, *pb = (const char *)b + f->offset;
    int same;
    if (f->type == CERT_FIELD_TEXT)
      same = !strcmp(*(const char *const *)pa, *(const char *const *)pb);
    else if (f->type == CERT_FIELD_COLOUR)
      same = *(const uint32_t *)pa == *(const uint32_t *)pb;
    else
      same = *(const int *)pa == *(const int *)pb;
    if (!same) {
      fprintf(stderr, "    field %s differs\n", f->key);
      return 0;
    }
  }
  return 1;
}

static void print_problems(const issues *l) {
  for (long i = 0; i < l->kept; i++)
    fprintf(stderr, "    %s:%ld: %s\n", l->items[i].file, l->items[i].row, l->items[i].msg);
}

/* The problem reported on line, or NULL. */
static const char *problem_on(const issues *l, long line) {
  for (long i = 0; i < l->kept; i++)
    if (l->items[i].row == line) return l->items[i].msg;
  return NULL;
}

TEST(cert_default_file_is_the_default_template) {
  arena a;
  arena_init(&a, 0);
  issues problems;
  issues_init(&problems, &a);
  size_t len;
  const char *text = cert_template_default_text(&len);
  CHECK(len > 100);
  cert_template parsed, def;
  CHECK_EQ_INT(cert_template_parse("default.txt", text, len, &a, &parsed, &problems), HT_OK);
  print_problems(&problems);
  CHECK_EQ_INT(problems.count, 0);
  cert_template_default(&def);
  CHECK(same_template(&parsed, &def));
  /* the file sets every key, so it documents every key */
  for (size_t i = 0; i < cert_template_nfields; i++) {
    char key[64];
    snprintf(key, sizeof key, "\n%s = ", cert_template_fields[i].key);
    CHECK(strstr(text, key) != NULL);
  }
  CHECK_EQ_STR(def.heading, "GIẤY CÔNG NHẬN");
  CHECK_EQ_STR(def.motto_country, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
  CHECK_EQ_STR(def.font, "Liberation Serif");
  CHECK_EQ_INT(def.border, CERT_BORDER_DOUBLE);
  CHECK_EQ_INT(def.qr_corner, CERT_QR_BOTTOM_LEFT);
  arena_free(&a);
}

TEST(cert_field_table_is_consistent) {
  for (size_t i = 0; i < cert_template_nfields; i++) {
    const cert_field_info *f = &cert_template_fields[i];
    CHECK(f->key && f->label_vi && *f->label_vi && f->label_en && *f->label_en);
    CHECK(f->default_value != NULL);
    for (size_t j = 0; j < i; j++) CHECK(strcmp(f->key, cert_template_fields[j].key) != 0);
    if (f->type == CERT_FIELD_NUMBER) {
      CHECK(f->unit && f->min < f->max);
      int v = atoi(f->default_value);
      CHECK(v >= f->min && v <= f->max);
    }
    if (f->type == CERT_FIELD_CHOICE) CHECK(f->choices && f->choices[0] && f->choices[1]);
  }
  CHECK_EQ_INT(cert_nplaceholders, 15);
}

TEST(cert_format_round_trips) {
  arena a;
  arena_init(&a, 0);
  issues problems;
  issues_init(&problems, &a);
  cert_template t, back;
  cert_template_default(&t);
  t.heading = "GIẤY KHEN\nHỘ GIA ĐÌNH";
  t.intro = "Chủ tịch {issuer} \\ công nhận";
  t.level_line = "";
  t.heading_colour = 0x0A0B0C;
  t.border = CERT_BORDER_NONE;
  t.qr_corner = CERT_QR_BOTTOM_RIGHT;
  t.title_case = CERT_CASE_AS_WRITTEN;
  t.margin_mm = 0;
  t.font = "DejaVu Serif";
  strbuf b = STRBUF_INIT;
  CHECK_EQ_INT(cert_template_format(&t, &b), HT_OK);
  CHECK(strstr(b.data, "heading = GIẤY KHEN\\nHỘ GIA ĐÌNH\n") != NULL);
  CHECK(strstr(b.data, "heading_colour = #0A0B0C\n") != NULL);
  CHECK(strstr(b.data, "intro = Chủ tịch {issuer} \\\\ công nhận\n") != NULL);
  CHECK_EQ_INT(cert_template_parse("t.txt", b.data, b.len, &a, &back, &problems), HT_OK);
  print_problems(&problems);
  CHECK(same_template(&t, &back));
  /* and the defaults */
  strbuf_reset(&b);
  cert_template_default(&t);
  CHECK_EQ_INT(cert_template_format(&t, &b), HT_OK);
  CHECK_EQ_INT(cert_template_parse("t.txt", b.data, b.len, &a, &back, &problems), HT_OK);
  CHECK(same_template(&t, &back));
  /* a value no file can hold is refused, and out is left alone */
  size_t before = b.len;
  t.text_size = 99;
  CHECK_EQ_INT(cert_template_format(&t, &b), HT_EINVAL);
  t.text_size = 14;
  t.heading = " leading space";
  CHECK_EQ_INT(cert_template_format(&t, &b), HT_EINVAL);
  CHECK_EQ_INT(b.len, before);
  strbuf_free(&b);
  arena_free(&a);
}

TEST(cert_parse_applies_lines_over_the_defaults) {
  arena a;
  arena_init(&a, 0);
  issues problems;
  issues_init(&problems, &a);
  /* BOM, CRLF, comments, blank lines, spaces around '=', decomposed text */
  const char text[] =
      "\xEF\xBB\xBF# a comment\r\n"
      "\r\n"
      "heading=GIA\xCC\x81Y KHEN\r\n"
      "   heading_colour   =   #00aa33   \r\n"
      "border = single\n"
      "text_size = 12\n"
      "level_line =\n"
      "intro = {issuer}\\ncông nhận";
  cert_template t, def;
  CHECK_EQ_INT(cert_template_parse("t.txt", text, sizeof text - 1, &a, &t, &problems), HT_OK);
  print_problems(&problems);
  cert_template_default(&def);
  CHECK_EQ_STR(t.heading, "GIÁY KHEN"); /* NFC */
  CHECK_EQ_INT(t.heading_colour, 0x00AA33);
  CHECK_EQ_INT(t.border, CERT_BORDER_SINGLE);
  CHECK_EQ_INT(t.text_size, 12);
  CHECK_EQ_STR(t.level_line, "");
  CHECK_EQ_STR(t.intro, "{issuer}\ncông nhận");
  CHECK_EQ_STR(t.motto, def.motto); /* keys left out keep their default */
  CHECK_EQ_INT(t.title_size, def.title_size);
  arena_free(&a);
}

TEST(cert_parse_reports_every_problem_with_its_line) {
  arena a;
  arena_init(&a, 0);
  issues problems;
  issues_init(&problems, &a);
  const char text[] =
      "headng = X\n"                       /* 1: unknown key, a suggestion */
      "border_colour = red\n"              /* 2: bad colour */
      "title_size = 200\n"                 /* 3: out of range */
      "margin = ten\n"                     /* 4: not a number */
      "border = dotted\n"                  /* 5: unknown choice */
      "intro = {issuer} {nme} công nhận\n" /* 6: unknown placeholder */
      "year_line = Năm \xC3(\n"            /* 7: invalid UTF-8 */
      "heading = A\n"                      /* 8: good */
      "heading = B\n"                      /* 9: duplicate */
      "just some words\n"                  /* 10: no '=' */
      "motto = a \\t b\n"                  /* 11: unknown escape */
      "font = {title}\n"                   /* 12: no placeholders in a font */
      "code_line = {code\n"                /* 13: unclosed */
      "zzzz = 1\n";                        /* 14: unknown key, nothing close */
  cert_template t;
  CHECK_EQ_INT(cert_template_parse("bad.txt", text, sizeof text - 1, &a, &t, &problems), HT_EINVAL);
  if (problems.count != 13) print_problems(&problems);
  CHECK_EQ_INT(problems.count, 13);
  const char *m;
  CHECK((m = problem_on(&problems, 1)) && strstr(m, "unknown key 'headng'") &&
        strstr(m, "did you mean 'heading'"));
  CHECK((m = problem_on(&problems, 2)) && strstr(m, "border_colour") && strstr(m, "#RRGGBB"));
  CHECK((m = problem_on(&problems, 3)) && strstr(m, "out of range") && strstr(m, "16 to 48"));
  CHECK((m = problem_on(&problems, 4)) && strstr(m, "not a whole number"));
  CHECK((m = problem_on(&problems, 5)) && strstr(m, "double, single or none"));
  CHECK((m = problem_on(&problems, 6)) && strstr(m, "unknown placeholder {nme}") &&
        strstr(m, "{recipient}"));
  CHECK((m = problem_on(&problems, 7)) && strstr(m, "UTF-8"));
  CHECK(problem_on(&problems, 8) == NULL);
  CHECK((m = problem_on(&problems, 9)) && strstr(m, "already set on line 8"));
  CHECK((m = problem_on(&problems, 10)) && strstr(m, "key = value"));
  CHECK((m = problem_on(&problems, 11)) && strstr(m, "unknown escape"));
  CHECK((m = problem_on(&problems, 12)) && strstr(m, "font"));
  CHECK((m = problem_on(&problems, 13)) && strstr(m, "'{' without '}'"));
  CHECK((m = problem_on(&problems, 14)) && strstr(m, "template-default"));
  CHECK_EQ_STR(problems.items[0].file, "bad.txt");
  CHECK_EQ_STR(t.heading, "A"); /* the good line was applied */
  /* a file far too large is one problem */
  issues_init(&problems, &a);
  size_t big = 100 << 10;
  char *huge = malloc(big);
  memset(huge, '#', big);
  CHECK_EQ_INT(cert_template_parse("big.txt", huge, big, &a, &t, &problems), HT_EINVAL);
  CHECK_EQ_INT(problems.count, 1);
  free(huge);
  arena_free(&a);
}

static cert_data sample(void) {
  cert_data d = {
      .code = "HP25-7K3M-9QXD",
      .verify_url = "https://hoctap.example/xac-thuc/HP25-7K3M-9QXD",
      .issuer_parent = "UBND THÀNH PHỐ HẢI PHÒNG",
      .issuer = "ỦY BAN NHÂN DÂN XÃ AN LÃO",
      .title_name = "Gia đình học tập",
      .level = 2,
      .recipient = "Gia đình ông/bà Nguyễn Văn An",
      .address = "Thôn Đông, xã An Lão, thành phố Hải Phòng",
      .year = 2025,
      .decision_number = "125/QĐ-UBND",
      .decision_date = "2025-12-10",
      .place = "An Lão",
      .signer_position = "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH",
      .signer_name = "Trần Văn Bình",
  };
  return d;
}

static int is_pdf(const strbuf *b, size_t from) {
  return b->len > from + 1000 && !memcmp(b->data + from, "%PDF-", 5) &&
         strstr(b->data + b->len - 32, "%%EOF") != NULL;
}

TEST(cert_render_refuses_bad_input_and_leaves_out_alone) {
  cert_template t;
  cert_template_default(&t);
  strbuf b = STRBUF_INIT;
  strbuf_puts(&b, "kept");
  ht_err err = {0};
  cert_data d[2] = {sample(), sample()};
  CHECK_EQ_INT(cert_render_pdf(&t, d, 0, &b, &err), HT_EINVAL);
  d[1].decision_date = "10/12/2025";
  CHECK_EQ_INT(cert_render_pdf(&t, d, 2, &b, &err), HT_EINVAL);
  CHECK(strstr(err.msg, "certificate 2") && strstr(err.msg, "decision_date"));
  CHECK_EQ_STR(strbuf_cstr(&b), "kept");
  d[1] = sample();
  d[1].recipient = "Nguy\xC3(n";
  CHECK_EQ_INT(cert_render_pdf(&t, d, 2, &b, &err), HT_EINVAL);
  CHECK(strstr(err.msg, "recipient"));
  d[1] = sample();
  d[1].valid_until = "2027-02-30";
  CHECK_EQ_INT(cert_render_pdf(&t, d, 2, &b, &err), HT_EINVAL);
  CHECK(strstr(err.msg, "valid_until"));
  CHECK_EQ_STR(strbuf_cstr(&b), "kept");
  /* a URL no QR code can hold */
  d[1] = sample();
  char *url = malloc(5000);
  memset(url, 'a', 4999);
  url[4999] = 0;
  d[1].verify_url = url;
  CHECK_EQ_INT(cert_render_pdf(&t, d, 2, &b, &err), HT_EINVAL);
  CHECK(strstr(err.msg, "certificate 2") && strstr(err.msg, "QR"));
  CHECK_EQ_STR(strbuf_cstr(&b), "kept");
  free(url);
  /* NULL strings and no URL are fine; so are a level 0 and no validity */
  d[1] = sample();
  d[1].verify_url = NULL;
  d[1].issuer_parent = NULL;
  d[1].level = 0;
  d[1].valid_until = "2027-12-31";
  CHECK_EQ_INT(cert_render_pdf(&t, d, 2, &b, &err), HT_OK);
  CHECK(!strncmp(b.data, "kept", 4) && is_pdf(&b, 4));
  strbuf_free(&b);
}

/* Every thread renders its own document: fonts, surfaces, contexts are per call. */
static void *render_thread(void *arg) {
  strbuf *b = arg;
  cert_template t;
  cert_template_default(&t);
  cert_data d[3] = {sample(), sample(), sample()};
  d[1].recipient = "Dòng họ Nguyễn";
  d[2].recipient = "Ông Lê Văn Sơn";
  ht_err err = {0};
  if (cert_render_pdf(&t, d, 3, b, &err) != HT_OK) strbuf_reset(b);
  return NULL;
}

TEST(cert_render_from_several_threads_at_once) {
  enum { N = 4 };
  pthread_t th[N];
  strbuf out[N];
  for (int i = 0; i < N; i++) {
    out[i] = (strbuf)STRBUF_INIT;
    CHECK_EQ_INT(pthread_create(&th[i], NULL, render_thread, &out[i]), 0);
  }
  for (int i = 0; i < N; i++) pthread_join(th[i], NULL);
  for (int i = 0; i < N; i++) {
    CHECK(is_pdf(&out[i], 0));
    CHECK(memmem(out[i].data, out[i].len, "/Type /Pages", 12) != NULL);
    strbuf_free(&out[i]);
  }
}
