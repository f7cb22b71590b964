/* test_vnum.c - numbers in Vietnamese words (base/vnum.h): a table of
 * numbers and the words a receipt writes for them, each written out by hand. */
#include <stdint.h>
#include <stdlib.h>

#include "base/vnum.h"
#include "base/vtext.h"
#include "test.h"

typedef struct words_case {
  int64_t n;
  const char *words;
} words_case;

static const words_case cases[] = {
    {0, "không"},
    {1, "một"},
    {4, "bốn"},
    {5, "năm"},
    {9, "chín"},
    {10, "mười"},
    {11, "mười một"},
    {14, "mười bốn"},
    {15, "mười lăm"},
    {19, "mười chín"},
    {20, "hai mươi"},
    {21, "hai mươi mốt"},
    {24, "hai mươi tư"},
    {25, "hai mươi lăm"},
    {30, "ba mươi"},
    {41, "bốn mươi mốt"},
    {55, "năm mươi lăm"},
    {99, "chín mươi chín"},
    {100, "một trăm"},
    {101, "một trăm linh một"},
    {104, "một trăm linh bốn"},
    {105, "một trăm linh năm"},
    {110, "một trăm mười"},
    {111, "một trăm mười một"},
    {115, "một trăm mười lăm"},
    {121, "một trăm hai mươi mốt"},
    {205, "hai trăm linh năm"},
    {999, "chín trăm chín mươi chín"},
    {1000, "một nghìn"},
    {1001, "một nghìn không trăm linh một"},
    {1010, "một nghìn không trăm mười"},
    {1015, "một nghìn không trăm mười lăm"},
    {1021, "một nghìn không trăm hai mươi mốt"},
    {1100, "một nghìn một trăm"},
    {2025, "hai nghìn không trăm hai mươi lăm"},
    {10000, "mười nghìn"},
    {15000, "mười lăm nghìn"},
    {21000, "hai mươi mốt nghìn"},
    {50000, "năm mươi nghìn"},
    {105000, "một trăm linh năm nghìn"},
    {200000, "hai trăm nghìn"},
    {500000, "năm trăm nghìn"},
    {1000000, "một triệu"},
    {1000001, "một triệu không trăm linh một"},
    {1000100, "một triệu một trăm"},
    {1050000, "một triệu không trăm năm mươi nghìn"},
    {1500000, "một triệu năm trăm nghìn"},
    {2005000, "hai triệu không trăm linh năm nghìn"},
    {2500000, "hai triệu năm trăm nghìn"},
    {10000000, "mười triệu"},
    {15750000, "mười lăm triệu bảy trăm năm mươi nghìn"},
    {21000000, "hai mươi mốt triệu"},
    {125000000, "một trăm hai mươi lăm triệu"},
    {1000000000, "một tỷ"},
    {1000000005, "một tỷ không trăm linh năm"},
    {1005000000, "một tỷ không trăm linh năm triệu"},
    {1234567890, "một tỷ hai trăm ba mươi tư triệu năm trăm sáu mươi bảy nghìn tám trăm chín mươi"},
    {25000000000, "hai mươi lăm tỷ"},
    {1000000000000, "một nghìn tỷ"},
    {1500000000000, "một nghìn năm trăm tỷ"},
    {1000000000000000, "một triệu tỷ"}, /* FUND_MAX_AMOUNT */
    {999999999999,
     "chín trăm chín mươi chín tỷ chín trăm chín mươi chín triệu chín trăm chín "
     "mươi chín nghìn chín trăm chín mươi chín"},
    {-1500, "âm một nghìn năm trăm"},
};

TEST(vnum_words_table) {
  char buf[VNUM_WORDS_MAX];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    vnum_words(cases[i].n, 0, buf, sizeof buf);
    if (strcmp(buf, cases[i].words))
      test__fail(__FILE__, __LINE__, "%lld: \"%s\", expected \"%s\"", (long long)cases[i].n, buf,
                 cases[i].words);
  }
}

TEST(vnum_words_regional_variants) {
  char buf[VNUM_WORDS_MAX];
  CHECK_EQ_STR(vnum_words(105, VNUM_LE, buf, sizeof buf), "một trăm lẻ năm");
  CHECK_EQ_STR(vnum_words(2005000, VNUM_LE | VNUM_NGAN, buf, sizeof buf),
               "hai triệu không trăm lẻ năm ngàn");
  CHECK_EQ_STR(vnum_words(24, VNUM_BON, buf, sizeof buf), "hai mươi bốn");
  CHECK_EQ_STR(vnum_words(25, VNUM_NHAM, buf, sizeof buf), "hai mươi nhăm");
  CHECK_EQ_STR(vnum_words(15, VNUM_NHAM, buf, sizeof buf), "mười lăm"); /* "nhăm" only after mươi */
  CHECK_EQ_STR(vnum_words(105, VNUM_NHAM, buf, sizeof buf), "một trăm linh năm");
}

TEST(vnum_dong_as_on_a_receipt) {
  char buf[VNUM_WORDS_MAX];
  CHECK_EQ_STR(vnum_dong(1500000, 0, buf, sizeof buf), "Một triệu năm trăm nghìn đồng");
  CHECK_EQ_STR(vnum_dong(0, 0, buf, sizeof buf), "Không đồng");
  CHECK_EQ_STR(vnum_dong(-5000, 0, buf, sizeof buf), "Âm năm nghìn đồng");
  CHECK_EQ_STR(vnum_dong(2005000, 0, buf, sizeof buf), "Hai triệu không trăm linh năm nghìn đồng");
}

TEST(vnum_extremes_fit_and_are_nfc) {
  char buf[VNUM_WORDS_MAX];
  const int64_t extremes[] = {INT64_MAX, INT64_MIN, 7777777777777777777LL, -999999999999999999LL};
  for (size_t i = 0; i < sizeof extremes / sizeof extremes[0]; i++) {
    for (int flags = 0; flags < 16; flags++) {
      vnum_dong(extremes[i], flags, buf, sizeof buf);
      size_t n = strlen(buf);
      CHECK(n > 20 && n < sizeof buf - 1);
      CHECK(n >= strlen(" đồng") && !strcmp(buf + n - strlen(" đồng"), " đồng"));
      char *nfc = NULL;
      CHECK_EQ_INT(vt_nfc(buf, &nfc), 0);
      CHECK(nfc && !strcmp(nfc, buf));
      free(nfc);
    }
  }
  /* 9 223 372 036 854 775 807: nine tỷ tỷ, the groups after each tỷ read in full */
  CHECK_EQ_STR(vnum_words(INT64_MAX, 0, buf, sizeof buf),
               "chín tỷ hai trăm hai mươi ba triệu ba trăm bảy mươi hai nghìn không trăm ba "
               "mươi sáu tỷ tám trăm năm mươi tư triệu bảy trăm bảy mươi lăm nghìn tám trăm "
               "linh bảy");
  /* a small buffer cuts at a word's end */
  char small[16];
  vnum_words(1500000, 0, small, sizeof small);
  CHECK_EQ_STR(small, "một triệu");
}
