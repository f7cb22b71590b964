/* test_records.c - the canonical values string of a yearly record: reading
 * it pair by pair, writing it sorted, and turning typed text into values. */
#include <math.h>
#include <stdlib.h>

#include "model/records.h"
#include "test.h"

/* Every pair of vals as "key:value," with values printed by %.10g; "ERR" at
 * a malformed pair. */
static void walk(const char *vals, char *out, size_t size) {
  const char *c = vals;
  char key[REC_KEY_MAX];
  double v;
  int rc;
  size_t n = 0;
  out[0] = '\0';
  while ((rc = rec_vals_next(&c, key, sizeof key, &v)) == 1)
    n += (size_t)snprintf(out + n, size - n, "%s:%.10g,", key, v);
  if (rc < 0) snprintf(out + n, size - n, "ERR@%ld", (long)(c - vals));
}

TEST(rec_vals_next_reads_pairs) {
  static const struct {
    const char *vals, *expected;
  } cases[] = {
      {"", ""},
      {"C1c=1", "C1c:1,"},
      {"C1c=1;C3a=0;i10=7.5", "C1c:1,C3a:0,i10:7.5,"},
      {"U6=0.92;X15b=0.125", "U6:0.92,X15b:0.125,"},
      {"a=-3;b=1e-05;c=2.5E+20", "a:-3,b:1e-05,c:2.5e+20,"},
      {"x_y-z=1;", "x_y-z:1,"}, /* a trailing separator ends the string */
      /* malformed: the cursor stops at the bad pair */
      {"C1c", "ERR@0"},
      {"C1c=", "ERR@0"},
      {"C1c=yes", "ERR@0"},
      {"A=1;=2", "A:1,ERR@4"},
      {"A=1;;B=2", "A:1,ERR@4"},
      {"A=1 ;B=2", "ERR@0"},
      {"A= 1", "ERR@0"},
      {"A=nan", "ERR@0"},
      {"A=inf", "ERR@0"},
      {"A=0x10", "ERR@0"},
      {"A=1e999", "ERR@0"},
      {"A=1.2.3", "ERR@0"},
      {"A+B=1", "ERR@0"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char got[256];
    walk(cases[i].vals, got, sizeof got);
    if (strcmp(got, cases[i].expected) != 0)
      test__fail(__FILE__, __LINE__, "'%s': got '%s', expected '%s'", cases[i].vals, got,
                 cases[i].expected);
  }
  /* A key longer than the caller's buffer is an error, not a truncation. */
  const char *c = "abcdefgh=1";
  char small[8];
  double v;
  CHECK_EQ_INT(rec_vals_next(&c, small, sizeof small, &v), HT_EINVAL);
  char nine[9];
  CHECK_EQ_INT(rec_vals_next(&c, nine, sizeof nine, &v), 1);
  CHECK_EQ_STR(nine, "abcdefgh");
  /* NULL and the end both read as "no more pairs". */
  const char *none = NULL;
  CHECK_EQ_INT(rec_vals_next(&none, nine, sizeof nine, &v), 0);
}

TEST(rec_vals_next_matches_strtod) {
  /* The fast path for plain decimals must give the same double as strtod. */
  static const char *const numbers[] = {
      "0.1",        "0.92",           "0.925",           "0.333333333", "7.5", "99.99999999",
      "1234567890", "0.000123456789", "123456789012345", "0.3",         "-0.7"};
  for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
    char vals[64], key[REC_KEY_MAX];
    snprintf(vals, sizeof vals, "k=%s", numbers[i]);
    const char *c = vals;
    double v = 0;
    CHECK_EQ_INT(rec_vals_next(&c, key, sizeof key, &v), 1);
    if (v != strtod(numbers[i], NULL))
      test__fail(__FILE__, __LINE__, "%s read as %.17g", numbers[i], v);
  }
}

TEST(rec_vals_format_sorts_and_round_trips) {
  rec_val vals[] = {{"i2", 7}, {"i10", 9}, {"i1", 0.5}, {"C1c", 1}, {"U6", 0.92}, {"z", -0.0}};
  strbuf b = STRBUF_INIT;
  CHECK_EQ_INT(rec_vals_format(vals, 6, &b), HT_OK);
  /* byte order: upper case first, "i10" before "i2"; no "-0" */
  CHECK_EQ_STR(strbuf_cstr(&b), "C1c=1;U6=0.92;i1=0.5;i10=9;i2=7;z=0");
  char walked[256];
  walk(strbuf_cstr(&b), walked, sizeof walked);
  CHECK_EQ_STR(walked, "C1c:1,U6:0.92,i1:0.5,i10:9,i2:7,z:0,");
  /* Ten significant digits, and what is read back formats the same again. */
  strbuf_reset(&b);
  rec_val third[] = {{"k", 1.0 / 3}, {"m", 123456.789012345}};
  CHECK_EQ_INT(rec_vals_format(third, 2, &b), HT_OK);
  CHECK_EQ_STR(strbuf_cstr(&b), "k=0.3333333333;m=123456.789");
  double v = 0;
  CHECK_EQ_INT(rec_vals_get(strbuf_cstr(&b), "m", &v), 1);
  rec_val again[] = {{"k", 0}, {"m", v}};
  CHECK_EQ_INT(rec_vals_get(strbuf_cstr(&b), "k", &again[0].value), 1);
  strbuf c = STRBUF_INIT;
  CHECK_EQ_INT(rec_vals_format(again, 2, &c), HT_OK);
  CHECK_EQ_STR(strbuf_cstr(&c), strbuf_cstr(&b));
  CHECK_EQ_INT(rec_vals_get(strbuf_cstr(&b), "absent", &v), 0);
  CHECK_EQ_INT(rec_vals_get("k=1;bad", "zzz", &v), HT_EINVAL);
  /* Nothing to format is the empty string. */
  strbuf_reset(&c);
  CHECK_EQ_INT(rec_vals_format(NULL, 0, &c), HT_OK);
  CHECK_EQ_STR(strbuf_cstr(&c), "");
  strbuf_free(&b);
  strbuf_free(&c);
}

TEST(rec_vals_format_rejects_bad_pairs) {
  strbuf b = STRBUF_INIT;
  strbuf_puts(&b, "kept");
  rec_val dup[] = {{"a", 1}, {"b", 2}, {"a", 3}};
  CHECK_EQ_INT(rec_vals_format(dup, 3, &b), HT_EINVAL);
  rec_val empty[] = {{"", 1}};
  CHECK_EQ_INT(rec_vals_format(empty, 1, &b), HT_EINVAL);
  rec_val sep[] = {{"a;b", 1}};
  CHECK_EQ_INT(rec_vals_format(sep, 1, &b), HT_EINVAL);
  rec_val eq[] = {{"a=b", 1}};
  CHECK_EQ_INT(rec_vals_format(eq, 1, &b), HT_EINVAL);
  rec_val nan_value[] = {{"a", NAN}};
  CHECK_EQ_INT(rec_vals_format(nan_value, 1, &b), HT_EINVAL);
  rec_val inf_value[] = {{"a", INFINITY}};
  CHECK_EQ_INT(rec_vals_format(inf_value, 1, &b), HT_EINVAL);
  char long_key[REC_KEY_MAX + 1];
  memset(long_key, 'k', REC_KEY_MAX);
  long_key[REC_KEY_MAX] = '\0';
  rec_val too_long[] = {{long_key, 1}};
  CHECK_EQ_INT(rec_vals_format(too_long, 1, &b), HT_EINVAL);
  CHECK_EQ_STR(strbuf_cstr(&b), "kept"); /* nothing appended on error */
  strbuf_free(&b);
}

static crit_item item(const char *key, crit_input input, int lo, int hi) {
  crit_item it;
  memset(&it, 0, sizeof it);
  it.key = key;
  it.input = input;
  it.input_min = lo;
  it.input_max = hi;
  it.max_points = 10;
  return it;
}

/* "ok:VALUE" with %.10g, or "err" plus whether the message names the item. */
static void parse(const crit_item *it, const char *text, char *out, size_t size) {
  double v = -1;
  ht_err err = {0};
  if (rec_value_parse(it, text, &v, &err) == HT_OK)
    snprintf(out, size, "ok:%.10g", v);
  else
    snprintf(out, size, "err%s", strstr(err.msg, it->key) ? "" : " (item not named)");
}

TEST(rec_value_parse_by_input_type) {
  crit_item yesno = item("C1c", INPUT_YESNO, 0, 0), percent = item("U6", INPUT_PERCENT, 0, 0),
            level = item("X11", INPUT_LEVEL, 0, 3), number = item("i1", INPUT_NUMBER, 0, 10),
            derived = item("C2c", INPUT_NONE, 0, 0);
  static const struct {
    int which;
    const char *text, *expected;
  } cases[] = {
      {0, "có", "ok:1"},       {0, "Có", "ok:1"},        {0, "KHÔNG", "ok:0"},
      {0, "khong", "ok:0"},    {0, "yes", "ok:1"},       {0, "No", "ok:0"},
      {0, "1", "ok:1"},        {0, "0", "ok:0"},         {0, "true", "ok:1"},
      {0, "x", "ok:1"},        {0, "X", "ok:1"},         {0, "maybe", "err"},
      {0, "2", "err"},         {0, "", "err"},           {1, "92%", "ok:0.92"},
      {1, "92 %", "ok:0.92"},  {1, "92,5%", "ok:0.925"}, {1, "0.92", "ok:0.92"},
      {1, "92", "ok:0.92"},    {1, "1", "ok:1"},         {1, "100", "ok:1"},
      {1, "0.5%", "ok:0.005"}, {1, "0", "ok:0"},         {1, "101", "err"},
      {1, "120%", "err"},      {1, "-5%", "err"},        {1, "nine", "err"},
      {1, "%", "err"},         {1, "1e2", "err"},        {2, "3", "ok:3"},
      {2, "0", "ok:0"},        {2, "4", "err"},          {2, "2.5", "err"},
      {2, "-1", "err"},        {3, "7.5", "ok:7.5"},     {3, "7,5", "ok:7.5"},
      {3, "10", "ok:10"},      {3, " 8 ", "ok:8"},       {3, "11", "err"},
      {3, "-0", "ok:0"},       {3, "8 points", "err"},   {3, "1,2,3", "err"},
      {4, "1", "err"},
  };
  const crit_item *items[] = {&yesno, &percent, &level, &number, &derived};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char got[64];
    parse(items[cases[i].which], cases[i].text, got, sizeof got);
    if (strcmp(got, cases[i].expected) != 0)
      test__fail(__FILE__, __LINE__, "%s '%s': got '%s', expected '%s'", items[cases[i].which]->key,
                 cases[i].text, got, cases[i].expected);
  }
  char buf[32];
  CHECK_EQ_STR(rec_value_text(&yesno, 1, buf, sizeof buf), "yes");
  CHECK_EQ_STR(rec_value_text(&yesno, 0, buf, sizeof buf), "no");
  CHECK_EQ_STR(rec_value_text(&percent, 0.92, buf, sizeof buf), "92%");
  CHECK_EQ_STR(rec_value_text(&percent, 0.925, buf, sizeof buf), "92.5%");
  CHECK_EQ_STR(rec_value_text(&number, 7.5, buf, sizeof buf), "7.5");
}

TEST(rec_evidence_check_file_by_content_and_name) {
  const char *type = NULL;
  ht_err err = {0};
  CHECK_EQ_INT(rec_evidence_check_file("a.pdf", "%PDF-1.4\n", 9, &type, &err), HT_OK);
  CHECK_EQ_STR(type, "application/pdf");
  CHECK_EQ_INT(rec_evidence_check_file("A.PNG", "\x89PNG\r\n\x1a\n....", 12, &type, &err), HT_OK);
  CHECK_EQ_STR(type, "image/png");
  CHECK_EQ_INT(rec_evidence_check_file("scan.jpeg", "\xff\xd8\xff\xe0", 4, &type, &err), HT_OK);
  CHECK_EQ_STR(type, "image/jpeg");
  CHECK_EQ_INT(rec_evidence_check_file("notes.pdf", "hello", 5, &type, &err), HT_EINVAL);
  CHECK(strstr(err.msg, "notes.pdf") != NULL);
  CHECK_EQ_INT(rec_evidence_check_file("photo.pdf", "\xff\xd8\xff\xe0", 4, &type, &err), HT_EINVAL);
  CHECK(strstr(err.msg, "rename") != NULL && strstr(err.msg, ".jpg") != NULL);
  CHECK_EQ_INT(rec_evidence_check_file("doc.txt", "%PDF-1.4\n", 9, &type, &err), HT_EINVAL);
  CHECK_EQ_INT(rec_evidence_check_file("empty.pdf", "", 0, &type, &err), HT_EINVAL);
  CHECK_EQ_INT(
      rec_evidence_check_file("big.pdf", "%PDF-", (size_t)REC_EVIDENCE_MAX_BYTES + 1, &type, &err),
      HT_ELIMIT);
  CHECK(strstr(err.msg, "10 MiB") != NULL);
}

TEST(rec_value_format_is_printf_g10) {
  /* The fast path must print exactly what "%.10g" prints. */
  static const double fixed[] = {
      0,     -0.0,    1,       -1,           0.92,       0.925,     7.5,       10,  100,
      0.1,   0.0001,  0.00012, 1e-05,        0.5e-4,     123456789, 999999999, 1e9, 1234567890.5,
      -0.07, 1.0 / 3, 2.0 / 3, 0.3333333333, 12.3456789, 1e20,      0.1 + 0.2};
  char fast[32], slow[32];
  for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
    double v = fixed[i];
    rec_value_format(v, fast);
    snprintf(slow, sizeof slow, "%.10g", v == 0 ? 0 : v);
    if (strcmp(fast, slow) != 0)
      test__fail(__FILE__, __LINE__, "%.17g: '%s' instead of '%s'", v, fast, slow);
  }
  /* Whole percents, scores, and random numbers of every size. */
  uint64_t x = 88172645463325252ULL;
  for (int i = 0; i < 200000; i++) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    double v;
    switch (i % 4) {
      case 0: v = (double)(x % 10001) / 100; break; /* 0.00 .. 100.00 */
      case 1: v = (double)(x % 101) / 100; break;   /* whole percents */
      case 2: v = (double)(int64_t)(x % 2000001) / 1000 - 1000; break;
      default: v = (double)(x >> 11) * 0x1.0p-53 * pow(10, (double)(x % 24) - 12); break;
    }
    size_t n = rec_value_format(v, fast);
    snprintf(slow, sizeof slow, "%.10g", v == 0 ? 0 : v);
    if (strcmp(fast, slow) != 0 || n != strlen(slow)) {
      test__fail(__FILE__, __LINE__, "%.17g: '%s' instead of '%s'", v, fast, slow);
      break;
    }
  }
}
