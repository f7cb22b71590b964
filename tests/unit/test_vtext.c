/* test_vtext.c - UTF-8 validation, NFC, search keys, name cleaning. */
#include <stdlib.h>

#include "base/err.h"
#include "base/vtext.h"
#include "test.h"

#define S(lit) lit, sizeof(lit) - 1

static const struct {
  const char *in;
  size_t len;
  int valid;
} utf8_cases[] = {
    {S(""), 1},
    {S("abc"), 1},
    {S("Nguyễn Văn Đức"), 1},
    {S("a\0b"), 1},             /* NUL is a valid code point */
    {S("\xF0\x9F\x98\x80"), 1}, /* U+1F600, 4 bytes */
    {S("\xF4\x8F\xBF\xBF"), 1}, /* U+10FFFF, the last code point */
    {S("\xC3"), 0},             /* truncated */
    {S("\xC3("), 0},            /* bad continuation */
    {S("\x80"), 0},             /* stray continuation */
    {S("\xC0\xAF"), 0},         /* overlong '/' */
    {S("\xE0\x80\xAF"), 0},     /* overlong, 3 bytes */
    {S("\xF0\x80\x80\xAF"), 0}, /* overlong, 4 bytes */
    {S("\xED\xA0\x80"), 0},     /* surrogate U+D800 */
    {S("\xF4\x90\x80\x80"), 0}, /* above U+10FFFF */
    {S("\xF5\x80\x80\x80"), 0}, /* invalid lead byte */
    {S("\xFF"), 0},             /* never valid */
    {S("Nguy\xEAn"), 0},        /* Latin-1 / Windows-1258 text */
};

TEST(vt_utf8_validity_table) {
  for (size_t i = 0; i < sizeof utf8_cases / sizeof utf8_cases[0]; i++) {
    if (vt_utf8_valid(utf8_cases[i].in, utf8_cases[i].len) != utf8_cases[i].valid)
      fprintf(stderr, "  case %zu\n", i);
    CHECK_EQ_INT(vt_utf8_valid(utf8_cases[i].in, utf8_cases[i].len), utf8_cases[i].valid);
  }
  CHECK_EQ_INT(vt_utf8_seq_len("\xE1\xBB\x85", 3), 3);
  CHECK_EQ_INT(vt_utf8_seq_len("\xE1\xBB\x85", 2), 0);
  CHECK_EQ_INT(vt_utf8_seq_len("a", 0), 0);
}

/* "Nguyễn" precomposed (ễ = U+1EC5) and decomposed (e U+0302 U+0303). */
#define NGUYEN_NFC "Nguy\xE1\xBB\x85n"
#define NGUYEN_NFD "Nguye\xCC\x82\xCC\x83n"

TEST(vt_nfc_composes_decomposed_input) {
  char *out = NULL;
  CHECK_EQ_INT(vt_nfc(NGUYEN_NFD, &out), HT_OK);
  CHECK_EQ_STR(out, NGUYEN_NFC);
  CHECK_EQ_STR(out, "Nguyễn");
  free(out);

  /* Marks in the "wrong" order (tilde before circumflex) are reordered by
   * canonical ordering only if their classes differ; both are 230, so this is a
   * different letter and must not become ễ. */
  CHECK_EQ_INT(vt_nfc("e\xCC\x83\xCC\x82", &out), HT_OK);
  CHECK(strcmp(out, "ễ") != 0);
  free(out);

  /* "Đặng Thị Hồng" fully decomposed: ặ = a U+0323 U+0306, ị = i U+0323, ồ = o U+0302 U+0300. */
  CHECK_EQ_INT(vt_nfc("Đa\xCC\xA3\xCC\x86ng Thi\xCC\xA3 Ho\xCC\x82\xCC\x80ng", &out), HT_OK);
  CHECK_EQ_STR(out, "Đặng Thị Hồng");
  free(out);

  CHECK_EQ_INT(vt_nfc("", &out), HT_OK);
  CHECK_EQ_STR(out, "");
  free(out);

  out = (char *)1;
  CHECK_EQ_INT(vt_nfc("Nguy\xEAn", &out), HT_EINVAL);
  CHECK(out == NULL);
  CHECK_EQ_INT(vt_nfc("\xC0\xAF", &out), HT_EINVAL);
  CHECK_EQ_INT(vt_nfc(NULL, &out), HT_EINVAL);
}

static const struct {
  const char *in;
  const char *key;
} key_cases[] = {
    {"  Nguyễn  Văn ĐỨC ", "nguyen van duc"},
    {NGUYEN_NFD " Văn A", "nguyen van a"},
    {"Đặng Thị Hồng", "dang thi hong"},
    {"đường Lê Lợi", "duong le loi"},
    {"ĐOÀN KẾT", "doan ket"},
    {"Trường THCS Quang Trung", "truong thcs quang trung"},
    {"Ấp\tBình\n\nMỹ", "ap binh my"},
    {"Hồ\xC2\xA0"
     "Chí\xE2\x80\x83Minh",
     "ho chi minh"},                        /* no-break space, em space */
    {"Ngô\xE2\x80\x8B Quyền", "ngo quyen"}, /* zero-width space */
    {"\xEF\xBC\xA1\xEF\xBC\xA2", "ab"},     /* fullwidth AB */
    {"   ", ""},
    {"", ""},
    {"Ưu tú", "uu tu"},
    {"Phường 12, Quận 3", "phuong 12, quan 3"},
};

TEST(vt_search_key_table) {
  for (size_t i = 0; i < sizeof key_cases / sizeof key_cases[0]; i++) {
    char *key = NULL;
    CHECK_EQ_INT(vt_search_key(key_cases[i].in, &key), HT_OK);
    CHECK_EQ_STR(key, key_cases[i].key);
    free(key);
  }
  char *key = (char *)1;
  CHECK_EQ_INT(vt_search_key("ab\xFF", &key), HT_EINVAL);
  CHECK(key == NULL);
}

static const struct {
  const char *in;
  const char *out;
} clean_cases[] = {
    {"  Nguyễn   Văn  A  ", "Nguyễn Văn A"},
    {NGUYEN_NFD "\t\tVăn\r\nA", "Nguyễn Văn A"},
    {"Lê\xC2\xA0Thị", "Lê Thị"},        /* no-break space becomes a plain space */
    {"\xEF\xBB\xBFLê Lợi", "Lê Lợi"},   /* stray BOM dropped */
    {"Trần\xC2\xAD Hưng", "Trần Hưng"}, /* soft hyphen dropped */
    {"ĐỖ", "ĐỖ"},                       /* case and accents kept */
    {" \t\n ", ""},
    {"", ""},
};

TEST(vt_clean_table) {
  for (size_t i = 0; i < sizeof clean_cases / sizeof clean_cases[0]; i++) {
    char *out = NULL;
    CHECK_EQ_INT(vt_clean(clean_cases[i].in, &out), HT_OK);
    CHECK_EQ_STR(out, clean_cases[i].out);
    free(out);
  }
  char *out = (char *)1;
  CHECK_EQ_INT(vt_clean("\xED\xA0\x80", &out), HT_EINVAL);
  CHECK(out == NULL);
}

TEST(vt_clean_makes_both_forms_equal) {
  char *a = NULL, *b = NULL;
  CHECK_EQ_INT(vt_clean(" " NGUYEN_NFD " Văn  Đức", &a), HT_OK);
  CHECK_EQ_INT(vt_clean(NGUYEN_NFC " Văn Đức ", &b), HT_OK);
  CHECK_EQ_STR(a, b);
  free(a);
  free(b);
}

TEST(vt_contains_key_matches_accent_free) {
  char *hay = NULL, *needle = NULL;
  CHECK_EQ_INT(vt_search_key("Nguyễn Văn Đức", &hay), HT_OK);
  CHECK_EQ_INT(vt_search_key("VĂN đức", &needle), HT_OK);
  CHECK(vt_contains_key(hay, needle));
  free(needle);
  CHECK_EQ_INT(vt_search_key("van duc", &needle), HT_OK);
  CHECK(vt_contains_key(hay, needle));
  free(needle);
  CHECK_EQ_INT(vt_search_key("nguyen  van a", &needle), HT_OK);
  CHECK(!vt_contains_key(hay, needle));
  free(needle);
  CHECK(vt_contains_key(hay, ""));
  CHECK(!vt_contains_key(NULL, "a"));
  CHECK(!vt_contains_key(hay, NULL));
  free(hay);
}

/* ------------------------------------------------------------ sort keys */

/* Lists in known Vietnamese dictionary order, written as a reader checks them.
 * Each test shuffles a list, sorts it by vt_sort_key() and compares. */
static const char *const dictionary_order[] = {
    "2",
    "123",
    "A",
    "À",
    "ả",
    "Ã",
    "á",
    "Ạ",
    "An",
    "An Bình",
    "Anh",
    "Áo",
    "Ăn",
    "Ân",
    "Bình",
    "Dũng",
    "Dương",
    "Đào", /* đ after every d */
    "đức",
    "Em",
    "Ê",
    "Frank", /* f, j, w, z in their Latin places */
    "Giang",
    "Hoa",
    "Hòa",
    "Hỏa",
    "Hoan",
    "Hùng",
    "Huy",
    "Hưng", /* ư after every u */
    "Ích",
    "John",
    "Khánh",
    "Long",
    "Lộc", /* o < ô < ơ */
    "Lợi",
    "Ma",
    "Mà",
    "Mả",
    "Mã",
    "Má",
    "Mạ",
    "Mác",
    "Mạc",
    "Mách",
    "Mạch",
    "Ngô",
    "Nguyên",
    "Nguyên Văn Bình", /* word by word: nguyên < nguyễn decides */
    "Nguy\xE1\xBB\x85n",
    "Nguye\xCC\x82\xCC\x83n Văn An", /* NFD */
    "NGUYỄN VĂN ANH",
    "nguyễn văn ân",
    "Oanh",
    "Ông",
    "Ơn",
    "Phương",
    "Quang",
    "Sơn",
    "Tổ dân phố 2",
    "Tổ dân phố 10",
    "Tổ dân phố 10A",
    "Tổ dân phố 11",
    "Trần",
    "Tú",
    "Tuấn",
    "Tư",
    "Từ",
    "Uyên",
    "Ưng",
    "Văn",
    "Vũ",
    "Vương",
    "William",
    "Xuân",
    "Yến",
    "Zuo",
    "Алексей", /* other scripts after z */
};

/* Personal names, given name first (the order of official lists). */
static const char *const given_name_order[] = {
    "Nguyễn Văn An", "Trần Thị An",    "Lê Anh",     "nguyễn thị ánh",
    "Trần Thị Bình", "Hoàng Văn Dũng", "Phạm Đức",   "Đỗ Hùng",
    "Lý Hưng",       "Minh",           "Bùi Văn Tú", "Nguye\xCC\x82\xCC\x83n Văn Tú",
};

typedef struct keyed {
  const char *text, *key;
} keyed;

static int by_key(const void *a, const void *b) {
  return strcmp(((const keyed *)a)->key, ((const keyed *)b)->key);
}

/* Shuffles (a fixed generator, several seeds), sorts by key, and compares with
 * the list as written; names the first misplaced entry. */
static void check_order(const char *const *want, size_t n, int flags) {
  keyed *items = calloc(n, sizeof *items);
  for (uint32_t seed = 1; seed <= 5; seed++) {
    for (size_t i = 0; i < n; i++) {
      items[i].text = want[i];
      char *key = NULL;
      CHECK_EQ_INT(vt_sort_key(want[i], flags, &key), HT_OK);
      items[i].key = key;
    }
    uint32_t state = seed * 2654435761u;
    for (size_t i = n - 1; i > 0; i--) {
      state = state * 1664525u + 1013904223u;
      size_t j = (state >> 8) % (i + 1);
      keyed t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    qsort(items, n, sizeof *items, by_key);
    for (size_t i = 0; i < n; i++) {
      if (strcmp(items[i].text, want[i]) != 0) {
        fprintf(stderr, "  seed %u, position %zu: \"%s\", expected \"%s\"\n", seed, i,
                items[i].text, want[i]);
        CHECK_EQ_STR(items[i].text, want[i]);
        break;
      }
    }
    /* strictly increasing: no two entries of the lists compare equal */
    for (size_t i = 1; i < n; i++) CHECK(strcmp(items[i - 1].key, items[i].key) < 0);
    for (size_t i = 0; i < n; i++) free((char *)items[i].key);
  }
  free(items);
}

TEST(vt_sort_key_dictionary_order) {
  check_order(dictionary_order, sizeof dictionary_order / sizeof dictionary_order[0], 0);
}

TEST(vt_sort_key_given_name_first) {
  check_order(given_name_order, sizeof given_name_order / sizeof given_name_order[0],
              VT_SORT_GIVEN_NAME_FIRST);
  /* without the flag the same names sort by family name */
  char *a = NULL, *b = NULL;
  CHECK_EQ_INT(vt_sort_key("Trần Thị An", 0, &a), HT_OK);
  CHECK_EQ_INT(vt_sort_key("Lê Anh", 0, &b), HT_OK);
  CHECK(strcmp(b, a) < 0);
  free(a);
  free(b);
}

static int key_cmp(const char *x, const char *y, int flags) {
  char *a = NULL, *b = NULL;
  CHECK_EQ_INT(vt_sort_key(x, flags, &a), HT_OK);
  CHECK_EQ_INT(vt_sort_key(y, flags, &b), HT_OK);
  int c = a && b ? strcmp(a, b) : 99;
  free(a);
  free(b);
  return c < 0 ? -1 : c > 0;
}

TEST(vt_sort_key_equal_forms) {
  /* case, NFC/NFD, where the tone mark sits, runs of spaces and punctuation */
  CHECK_EQ_INT(key_cmp("NGUYỄN VĂN AN", "nguyễn văn an", 0), 0);
  CHECK_EQ_INT(key_cmp(NGUYEN_NFD " Văn An", NGUYEN_NFC " Văn An", 0), 0);
  CHECK_EQ_INT(key_cmp("Đặng", "Đa\xCC\xA3\xCC\x86ng", 0), 0); /* ặ as a + dot + breve */
  CHECK_EQ_INT(key_cmp("Hòa", "Hoà", 0), 0);
  CHECK_EQ_INT(key_cmp("Thủy", "Thuỷ", 0), 0);
  CHECK_EQ_INT(key_cmp("Hồ-Chí-Minh", "  Hồ   Chí Minh ", 0), 0);
  CHECK_EQ_INT(key_cmp("Tổ 02", "Tổ 2", 0), 0);
  CHECK_EQ_INT(key_cmp("\xEF\xBC\xA1\xEF\xBC\xA2", "ab", 0), 0);   /* fullwidth AB */
  CHECK_EQ_INT(key_cmp("Ngô\xE2\x80\x8BQuyền", "NgôQuyền", 0), 0); /* zero-width space */
  CHECK_EQ_INT(key_cmp("Trần  Văn Ơn", "trần văn ơn", VT_SORT_GIVEN_NAME_FIRST), 0);
  /* and what must stay apart */
  CHECK_EQ_INT(key_cmp("Dung", "Đung", 0), -1);
  CHECK_EQ_INT(key_cmp("Đa", "Dz", 0), 1);
  CHECK_EQ_INT(key_cmp("Thu", "Thư", 0), -1);
  CHECK_EQ_INT(key_cmp("Ô", "O", 0), 1);
  CHECK_EQ_INT(key_cmp("Ơ", "Ô", 0), 1);
  CHECK_EQ_INT(key_cmp("Tổ 9", "Tổ 10", 0), -1);
  CHECK_EQ_INT(key_cmp("Lan 2", "Lan A", 0), -1); /* digits before letters */
}

TEST(vt_sort_key_edges) {
  char *key = (char *)1;
  CHECK_EQ_INT(vt_sort_key("ab\xFF", 0, &key), HT_EINVAL);
  CHECK(key == NULL);
  CHECK_EQ_INT(vt_sort_key(NULL, 0, &key), HT_EINVAL);
  CHECK_EQ_INT(vt_sort_key("", VT_SORT_GIVEN_NAME_FIRST, &key), HT_OK);
  CHECK_EQ_STR(key, "");
  free(key);
  CHECK_EQ_INT(vt_sort_key(" -,. ", 0, &key), HT_OK);
  CHECK_EQ_STR(key, "");
  free(key);
  /* a number of many digits still sorts, and after a shorter one */
  CHECK_EQ_INT(key_cmp("9", "1234567890123456789012345678901234567890", 0), -1);

  /* vt_sort_key_in: invalid text after every valid one, never NULL */
  arena a;
  arena_init(&a, 0);
  const char *bad = vt_sort_key_in(&a, "Nguy\xEAn", 0);
  const char *good = vt_sort_key_in(&a, "Zzz Алексей", 0);
  const char *none = vt_sort_key_in(&a, NULL, 0);
  CHECK(bad && good && none);
  CHECK(strcmp(good, bad) < 0 && strcmp(good, none) < 0);
  CHECK(strcmp(vt_sort_key_in(&a, "An", VT_SORT_GIVEN_NAME_FIRST),
               vt_sort_key_in(&a, "Bình", VT_SORT_GIVEN_NAME_FIRST)) < 0);
  arena_free(&a);
}

TEST(vt_upper_keeps_vietnamese_marks) {
  char *out = NULL;
  CHECK_EQ_INT(vt_upper("Ủy ban nhân dân xã Đông Hưng", &out), HT_OK);
  CHECK_EQ_STR(out, "ỦY BAN NHÂN DÂN XÃ ĐÔNG HƯNG");
  free(out);
  CHECK_EQ_INT(vt_upper(NGUYEN_NFD " ơ ư ễ", &out), HT_OK); /* decomposed in, NFC out */
  CHECK_EQ_STR(out, "NGUYỄN Ơ Ư Ễ");
  free(out);
  out = (char *)1;
  CHECK_EQ_INT(vt_upper("\xC3(", &out), HT_EINVAL);
  CHECK(out == NULL);
}
