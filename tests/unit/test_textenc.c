/*
 * test_textenc.c - legacy Vietnamese encodings: names, decoding, detection,
 * byte-order marks and errors (src/io/textenc.h).
 *
 * The legacy bytes come from two independent places: glibc's iconv (UTF-8 to
 * TCVN5712-1, VISCII, CP1258 and UTF-16, both as the fixtures in
 * tests/data/encodings/ and at run time) and, for VNI-Windows, the small
 * encoder below plus well-known VNI spellings written out byte by byte.
 */
#include <iconv.h>
#include <stdlib.h>
#include <utf8proc.h>

#include "base/vtext.h"
#include "io/textenc.h"
#include "test.h"

#define FIXTURES "tests/data/encodings/"

static const char names_utf8[] =
    "Nguyễn Văn Ấn\n"
    "Thôn Đông Hòa\n"
    "Phường Hồng Bàng\n"
    "Trường THCS Lê Lợi\n"
    "Trần Thị Thủy, xã Quỳnh Phụ\n"
    "Huyện Thủy Nguyên, thành phố Hải Phòng\n";

/* A register's worth of names: what a real import file looks like. */
static const char *const register_lines[] = {
    "Nguyễn Văn Ấn",   "Thôn Đông Hòa",     "Phường Hồng Bàng",    "Trường THCS Lê Lợi",
    "Trần Thị Hường",  "Phạm Minh Đức",     "Lê Thị Ngọc Ánh",     "Xã Quỳnh Phụ",
    "Tổ dân phố số 5", "Huyện Thủy Nguyên", "Thành phố Hải Phòng", "Đặng Quốc Việt",
    "Vũ Thị Mỹ Dung",  "Hoàng Gia Bảo",     "Bùi Xuân Trường",     "Đỗ Khắc Chiến",
    "Ngô Thị Yến",     "Dương Văn Lộc",     "Làng Hạ Lũng",        "Phường Lạch Tray",
};

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *buf = malloc(1 << 16);
  *len = buf ? fread(buf, 1, 1 << 16, f) : 0;
  fclose(f);
  return buf;
}

/* UTF-8 -> enc with glibc's iconv; NULL if iconv refuses. Caller frees. */
static char *iconv_encode(const char *utf8, const char *enc, size_t *out_len) {
  iconv_t cd = iconv_open(enc, "UTF-8");
  if (cd == (iconv_t)-1) return NULL;
  size_t in_left = strlen(utf8), cap = 4 * in_left + 16, left = cap;
  char *buf = malloc(cap), *o = buf, *in = (char *)utf8;
  if (iconv(cd, &in, &in_left, &o, &left) == (size_t)-1 ||
      iconv(cd, NULL, NULL, &o, &left) == (size_t)-1) {
    free(buf);
    buf = NULL;
  }
  *out_len = cap - left;
  iconv_close(cd);
  return buf;
}

/*
 * UTF-8 -> VNI-Windows, from the VNI chart: a letter's base, then one byte
 * for its circumflex or breve and tone together (or for the tone alone);
 * i with a tone, ơ, ư, ỵ and đ have bytes of their own; upper case is the
 * lower-case byte minus 0x20. Returns the byte count written to out.
 */
static size_t vni_encode(const char *utf8, unsigned char *out) {
  /* index: tone 0 none, 1 acute, 2 grave, 3 hook, 4 tilde, 5 dot */
  static const unsigned char tone_b[6] = {0, 0xF9, 0xF8, 0xFB, 0xF5, 0xEF};
  static const unsigned char circ_b[6] = {0xE2, 0xE1, 0xE0, 0xE5, 0xE3, 0xE4};
  static const unsigned char breve_b[6] = {0xEA, 0xE9, 0xE8, 0xFA, 0xFC, 0xEB};
  static const unsigned char i_b[6] = {0, 0xED, 0xEC, 0xE6, 0xF3, 0xF2};
  size_t n = 0;
  const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)utf8;
  int32_t cp;
  utf8proc_ssize_t l;
  while (*p && (l = utf8proc_iterate(p, -1, &cp)) > 0) {
    p += l;
    if (cp < 0x80) {
      out[n++] = (unsigned char)cp;
      continue;
    }
    utf8proc_int32_t parts[4];
    int last;
    utf8proc_ssize_t np = utf8proc_decompose_char(cp, parts, 4, UTF8PROC_DECOMPOSE, &last);
    int32_t base = parts[0], lower = utf8proc_tolower(base);
    unsigned char up = lower != base ? 0x20 : 0;
    int tone = 0, shape = 0;
    for (utf8proc_ssize_t i = 1; i < np; i++) switch (parts[i]) {
        case 0x0301: tone = 1; break;
        case 0x0300: tone = 2; break;
        case 0x0309: tone = 3; break;
        case 0x0303: tone = 4; break;
        case 0x0323: tone = 5; break;
        default: shape = parts[i];
      }
    if (lower == 0x111) {
      out[n++] = (unsigned char)(0xF1 - up);
    } else if (lower == 'i' && tone) {
      out[n++] = (unsigned char)(i_b[tone] - up);
    } else if (lower == 'y' && tone == 5) {
      out[n++] = (unsigned char)(0xEE - up);
    } else if (shape == 0x031B) {
      out[n++] = (unsigned char)((lower == 'o' ? 0xF4 : 0xF6) - up);
      if (tone) out[n++] = (unsigned char)(tone_b[tone] - up);
    } else {
      out[n++] = (unsigned char)base;
      if (shape == 0x0302) out[n++] = (unsigned char)(circ_b[tone] - up);
      if (shape == 0x0306) out[n++] = (unsigned char)(breve_b[tone] - up);
      if (!shape && tone) out[n++] = (unsigned char)(tone_b[tone] - up);
    }
  }
  return n;
}

/* Decodes data as enc and compares with want (UTF-8 NFC). */
static void check_decodes(const void *data, size_t len, tenc_encoding enc, const char *want) {
  char *got = NULL;
  size_t got_len = 0;
  ht_err err = {0};
  int rc = tenc_to_utf8(data, len, enc, &got, &got_len, &err);
  if (rc) fprintf(stderr, "  %s: %s\n", tenc_name(enc), err.msg);
  CHECK_EQ_INT(rc, HT_OK);
  CHECK_EQ_STR(got, want);
  if (got) CHECK_EQ_INT(got_len, strlen(want));
  free(got);
}

static void check_detects(const void *data, size_t len, tenc_encoding want) {
  tenc_guess g;
  CHECK_EQ_INT(tenc_detect(data, len, &g), HT_OK);
  if (g.enc != want)
    fprintf(stderr, "  detected %s (score %ld), expected %s; runner-up %s (%ld)\n",
            tenc_name(g.enc), g.score, tenc_name(want), tenc_name(g.runner_up), g.runner_up_score);
  CHECK_EQ_STR(tenc_name(g.enc), tenc_name(want));
}

TEST(textenc_names_and_aliases) {
  static const struct {
    const char *name;
    tenc_encoding enc;
  } cases[] = {{"utf-8", TENC_UTF8},       {"UTF8", TENC_UTF8},     {"utf-16le", TENC_UTF16LE},
               {"UTF-16BE", TENC_UTF16BE}, {"cp1258", TENC_CP1258}, {"Windows-1258", TENC_CP1258},
               {"viscii", TENC_VISCII},    {"tcvn3", TENC_TCVN3},   {"ABC", TENC_TCVN3},
               {"tcvn", TENC_TCVN3},       {"vni", TENC_VNI},       {"VNI-Windows", TENC_VNI},
               {"auto", TENC_AUTO}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    tenc_encoding e = TENC_COUNT;
    CHECK_EQ_INT(tenc_parse(cases[i].name, &e), HT_OK);
    CHECK_EQ_INT(e, cases[i].enc);
  }
  tenc_encoding e;
  CHECK_EQ_INT(tenc_parse("latin1", &e), HT_EINVAL);
  CHECK_EQ_INT(tenc_parse("", &e), HT_EINVAL);
  CHECK_EQ_INT(tenc_parse(NULL, &e), HT_EINVAL);
  for (int k = TENC_UTF8; k < TENC_COUNT; k++) {
    CHECK_EQ_INT(tenc_parse(tenc_name((tenc_encoding)k), &e), HT_OK);
    CHECK_EQ_INT(e, k);
    CHECK(strstr(tenc_accepted_names(), tenc_name((tenc_encoding)k)) != NULL);
  }
  CHECK_EQ_STR(tenc_label(TENC_TCVN3), "TCVN3 (ABC)");
}

/* The fixtures made by iconv (and the VNI one): detected and decoded exactly. */
TEST(textenc_fixtures_detect_and_decode) {
  static const struct {
    const char *file;
    tenc_encoding enc;
  } cases[] = {{"names.utf8.txt", TENC_UTF8},      {"names.tcvn3.txt", TENC_TCVN3},
               {"names.viscii.txt", TENC_VISCII},  {"names.cp1258.txt", TENC_CP1258},
               {"names.vni.txt", TENC_VNI},        {"names.utf16le.txt", TENC_UTF16LE},
               {"names.utf16be.txt", TENC_UTF16BE}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t len = 0;
    char path[256];
    snprintf(path, sizeof path, FIXTURES "%s", cases[i].file);
    char *data = slurp(path, &len);
    CHECK(data != NULL);
    if (!data) continue;
    check_detects(data, len, cases[i].enc);
    check_decodes(data, len, cases[i].enc, names_utf8);
    check_decodes(data, len, TENC_AUTO, names_utf8);
    free(data);
  }
}

/* The VNI fixture and this file's encoder agree. */
TEST(textenc_vni_encoder_matches_fixture) {
  size_t len = 0;
  char *data = slurp(FIXTURES "names.vni.txt", &len);
  CHECK(data != NULL);
  unsigned char mine[1024];
  size_t n = vni_encode(names_utf8, mine);
  CHECK_EQ_INT(n, len);
  CHECK(data && n == len && memcmp(mine, data, n) == 0);
  free(data);
}

/* Well-known VNI spellings, byte by byte, independent of the encoder. */
TEST(textenc_vni_known_spellings) {
  static const struct {
    const char *vni, *utf8;
  } cases[] = {
      {"Vie\xe4"
       "t Nam",
       "Việt Nam"},
      {"Ha\xf8 No\xe4i", "Hà Nội"},
      {"\xd1"
       "a\xf8 Na\xfc"
       "ng",
       "Đà Nẵng"},
      {"T\xe6"
       "nh Kie\xe2"
       "n Giang",
       "Tỉnh Kiên Giang"},
      {"Nguye\xe3"
       "n Va\xea"
       "n",
       "Nguyễn Văn"},
      {"Tr\xf6\xf4\xf8ng Le\xe2 L\xf4\xefi", "Trường Lê Lợi"},
      {"V\xf3"
       "nh Long, B\xec"
       "nh \xd1\xf2"
       "nh",
       "Vĩnh Long, Bình Định"},
      {"Tho\xe2"
       "n \xd1o\xe2"
       "ng Ho\xf8"
       "a",
       "Thôn Đông Hòa"},
      {"NGUYE\xc3"
       "N VA\xca"
       "N A\xc1"
       "N",
       "NGUYỄN VĂN ẤN"},
      {"\xd6\xd9 \xd4\xd8 Y\xd9 \xce"
       "",
       "Ứ Ờ Ý Ỵ"},
      {"cha\xfa"
       "ng ky\xf8 ma\xeb"
       "c",
       "chẳng kỳ mặc"},
      /* the breve and the tone as two bytes, as some converters write them */
      {"na\xea\xf9", "nắ"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    check_decodes(cases[i].vni, strlen(cases[i].vni), TENC_VNI, cases[i].utf8);
}

/* Every precomposed Vietnamese letter, upper and lower case, through every
 * encoding that has it, and back. */
TEST(textenc_round_trip_all_letters) {
  static const char letters[] =
      "aáàảãạăắằẳẵặâấầẩẫậeéèẻẽẹêếềểễệiíìỉĩịoóòỏõọôốồổỗộơớờởỡợuúùủũụưứừửữựyýỳỷỹỵđ";
  char *upper = NULL;
  {
    /* upper case by utf8proc, one code point at a time */
    size_t n = strlen(letters);
    upper = malloc(n + 1);
    size_t o = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)letters;
    int32_t cp;
    utf8proc_ssize_t l;
    while (*p && (l = utf8proc_iterate(p, -1, &cp)) > 0) {
      p += l;
      o += (size_t)utf8proc_encode_char(utf8proc_toupper(cp), (utf8proc_uint8_t *)upper + o);
    }
    upper[o] = '\0';
  }
  char text[1024];
  snprintf(text, sizeof text, "%s %s\n", letters, upper);
  static const struct {
    const char *iconv_name;
    tenc_encoding enc;
  } cases[] = {{"TCVN5712-1", TENC_TCVN3},
               {"VISCII", TENC_VISCII},
               {"WINDOWS-1258", TENC_CP1258},
               {"UTF-16LE", TENC_UTF16LE},
               {"UTF-16BE", TENC_UTF16BE}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t len = 0;
    char *bytes = iconv_encode(text, cases[i].iconv_name, &len);
    CHECK(bytes != NULL);
    if (!bytes) continue;
    check_decodes(bytes, len, cases[i].enc, text);
    free(bytes);
  }
  unsigned char vni[2048];
  size_t n = vni_encode(text, vni);
  check_decodes(vni, n, TENC_VNI, text);
  check_decodes(text, strlen(text), TENC_UTF8, text);
  free(upper);
}

/* A register of 20 names in each legacy encoding: detected, decoded exactly. */
TEST(textenc_detects_register_in_each_encoding) {
  char text[4096] = "";
  for (size_t i = 0; i < sizeof register_lines / sizeof register_lines[0]; i++) {
    strcat(text, register_lines[i]);
    strcat(text, "\r\n");
  }
  static const struct {
    const char *iconv_name;
    tenc_encoding enc;
  } cases[] = {{"TCVN5712-1", TENC_TCVN3}, {"VISCII", TENC_VISCII}, {"WINDOWS-1258", TENC_CP1258}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t len = 0;
    char *bytes = iconv_encode(text, cases[i].iconv_name, &len);
    CHECK(bytes != NULL);
    if (!bytes) continue;
    check_detects(bytes, len, cases[i].enc);
    check_decodes(bytes, len, TENC_AUTO, text);
    tenc_guess g;
    tenc_detect(bytes, len, &g);
    CHECK(g.confidence >= 50);
    CHECK(g.runner_up != TENC_AUTO && g.runner_up != g.enc);
    free(bytes);
  }
  unsigned char vni[8192];
  size_t n = vni_encode(text, vni);
  check_detects(vni, n, TENC_VNI);
  check_decodes(vni, n, TENC_AUTO, text);
}

/* Each line of the register alone, CSV-shaped: the detector still gets it
 * right from a single row with a code and a date around the name. */
TEST(textenc_detects_single_rows) {
  static const struct {
    const char *iconv_name;
    tenc_encoding enc;
  } cases[] = {{"TCVN5712-1", TENC_TCVN3}, {"VISCII", TENC_VISCII}, {"WINDOWS-1258", TENC_CP1258}};
  int wrong = 0, total = 0;
  for (size_t k = 0; k < 4; k++) {
    for (size_t i = 0; i + 4 < sizeof register_lines / sizeof register_lines[0]; i += 5) {
      char row[512];
      snprintf(row, sizeof row, "code,name\nX%zu,%s\nY%zu,%s\nZ%zu,%s\n", i, register_lines[i], i,
               register_lines[i + 1], i, register_lines[i + 2]);
      tenc_encoding want = k < 3 ? cases[k].enc : TENC_VNI;
      unsigned char buf[2048];
      size_t len = 0;
      if (k < 3) {
        char *bytes = iconv_encode(row, cases[k].iconv_name, &len);
        if (!bytes) continue;
        memcpy(buf, bytes, len);
        free(bytes);
      } else {
        len = vni_encode(row, buf);
      }
      tenc_guess g;
      tenc_detect(buf, len, &g);
      total++;
      if (g.enc != want) {
        wrong++;
        fprintf(stderr, "  rows %zu..%zu in %s detected as %s\n", i, i + 2, tenc_name(want),
                tenc_name(g.enc));
      }
    }
  }
  CHECK_EQ_INT(total, 16);
  CHECK_EQ_INT(wrong, 0);
}

TEST(textenc_byte_order_marks) {
  tenc_guess g;
  CHECK_EQ_INT(tenc_detect("\xef\xbb\xbf"
                           "abc",
                           6, &g),
               HT_OK);
  CHECK_EQ_INT(g.enc, TENC_UTF8);
  CHECK_EQ_INT(g.bom, 1);
  check_decodes(
      "\xef\xbb\xbf"
      "Đông",
      9, TENC_UTF8, "Đông");
  check_decodes(
      "\xef\xbb\xbf"
      "Đông",
      9, TENC_AUTO, "Đông");
  CHECK_EQ_INT(tenc_detect("\xff\xfe"
                           "a\0",
                           4, &g),
               HT_OK);
  CHECK_EQ_INT(g.enc, TENC_UTF16LE);
  CHECK_EQ_INT(tenc_detect("\xfe\xff\0a", 4, &g), HT_OK);
  CHECK_EQ_INT(g.enc, TENC_UTF16BE);
  /* UTF-16 named explicitly: the BOM is optional and dropped if present */
  check_decodes(
      "\x10\x01"
      "a\0",
      4, TENC_UTF16LE, "Đa");
  check_decodes(
      "\xff\xfe\x10\x01"
      "a\0",
      6, TENC_UTF16LE, "Đa");
  check_decodes("\x01\x10\0a", 4, TENC_UTF16BE, "Đa");
  /* decomposed UTF-8 comes out NFC */
  check_decodes("Tho\xcc\x82n", 6, TENC_UTF8, "Thôn");
  /* plain ASCII and empty input are UTF-8 */
  CHECK_EQ_INT(tenc_detect("abc", 3, &g), HT_OK);
  CHECK_EQ_INT(g.enc, TENC_UTF8);
  CHECK_EQ_INT(g.confidence, 100);
  CHECK_EQ_INT(tenc_detect("", 0, &g), HT_OK);
  CHECK_EQ_INT(g.enc, TENC_UTF8);
  check_decodes("", 0, TENC_AUTO, "");
}

static void check_refused(const void *data, size_t len, tenc_encoding enc, const char *needle) {
  char *out = (char *)"untouched";
  ht_err err = {0};
  CHECK_EQ_INT(tenc_to_utf8(data, len, enc, &out, NULL, &err), HT_EINVAL);
  CHECK(out == NULL);
  if (!strstr(err.msg, needle)) fprintf(stderr, "  no '%s' in: %s\n", needle, err.msg);
  CHECK(strstr(err.msg, needle) != NULL);
  CHECK(strstr(err.msg, "--encoding") != NULL);
}

TEST(textenc_refuses_invalid_input) {
  check_refused(
      "ab\ncd\xff"
      "e",
      7, TENC_UTF8, "byte 5 (line 2)");
  check_refused(
      "ab\ncd\xff"
      "e",
      7, TENC_UTF8, "UTF-8");
  check_refused("x\x81y", 3, TENC_CP1258, "byte 1 (line 1): 0x81");
  check_refused("x\x81y", 3, TENC_CP1258, "Windows-1258");
  check_refused("ab\0c", 4, TENC_TCVN3, "byte 2");
  check_refused("ab\0c", 4, TENC_VISCII, "NUL");
  /* a VNI mark with nothing to carry it */
  check_refused("ok\nx\xf9", 5, TENC_VNI, "byte 4 (line 2)");
  check_refused("1\xe2", 2, TENC_VNI, "VNI-Windows");
  check_refused("a\xe1\xe1", 3, TENC_VNI, "byte 2");
  check_refused("b\xea", 2, TENC_VNI, "byte 1"); /* a breve on b */
  check_refused("\x81", 1, TENC_VNI, "byte 0");  /* undefined in Windows-1252 */
  /* UTF-16: odd length and an unpaired surrogate */
  check_refused(
      "\xff\xfe"
      "a\0b",
      5, TENC_UTF16LE, "cut off");
  check_refused(
      "a\0\x00\xd8"
      "b\0",
      6, TENC_UTF16LE, "surrogate");
  check_refused("a\0\0\0", 4, TENC_UTF16LE, "NUL");
  /* detection finds nothing in binary data */
  tenc_guess g;
  CHECK_EQ_INT(tenc_detect("\0\x81\x8d\xff", 4, &g), HT_EINVAL);
  char *out = NULL;
  ht_err err = {0};
  CHECK_EQ_INT(tenc_to_utf8("\0\x81\x8d\xff", 4, TENC_AUTO, &out, NULL, &err), HT_EINVAL);
  CHECK(strstr(err.msg, "--encoding") != NULL);
  CHECK_EQ_INT(tenc_to_utf8("abc", 3, TENC_COUNT, &out, NULL, &err), HT_EINVAL);
  CHECK_EQ_INT(tenc_to_utf8(NULL, 0, TENC_VNI, &out, NULL, &err), HT_OK);
  CHECK_EQ_STR(out, "");
  free(out);
}

/* Every output is valid UTF-8 in NFC, whatever the bytes, in every encoding. */
TEST(textenc_any_bytes_give_clean_text_or_an_error) {
  unsigned char all[512];
  for (int i = 0; i < 512; i++) all[i] = (unsigned char)(i < 256 ? i : 511 - i);
  all[0] = 'a';
  all[511] = 'a';
  for (int k = TENC_UTF8; k < TENC_COUNT; k++) {
    for (size_t start = 0; start < 512; start += 61) {
      char *out = NULL;
      size_t out_len = 0;
      ht_err err = {0};
      int rc = tenc_to_utf8(all + start, 512 - start, (tenc_encoding)k, &out, &out_len, &err);
      if (rc == HT_OK) {
        CHECK(vt_utf8_valid(out, out_len));
        char *nfc = NULL;
        CHECK_EQ_INT(vt_nfc(out, &nfc), HT_OK);
        CHECK_EQ_STR(nfc, out);
        free(nfc);
      } else {
        CHECK(err.msg[0] != '\0');
        CHECK(out == NULL);
      }
      free(out);
    }
  }
}
