/* vnum.c - whole numbers in Vietnamese words (see vnum.h). */
#include "base/vnum.h"

#include <string.h>

static const char *const digit_names[10] = {"không", "một", "hai", "ba",  "bốn",
                                            "năm",   "sáu", "bảy", "tám", "chín"};

/* The words written so far: never past size - 1 bytes, always NUL-terminated,
 * a word either whole or left out. */
typedef struct out {
  char *buf;
  size_t size, len;
  int full; /* a word did not fit: nothing more is written */
} out;

static void word(out *o, const char *w) {
  size_t n = strlen(w), sep = o->len ? 1 : 0;
  if (o->full || o->len + sep + n + 1 > o->size) {
    o->full = 1;
    return;
  }
  if (sep) o->buf[o->len++] = ' ';
  memcpy(o->buf + o->len, w, n);
  o->len += n;
  o->buf[o->len] = 0;
}

/* Three digits n (0-999). full: the group is not the number's first, so its
 * hundreds are read even when they are zero ("không trăm"). */
static void group(out *o, unsigned n, int full, int flags) {
  unsigned hundreds = n / 100, tens = n / 10 % 10, units = n % 10;
  if (hundreds || full) {
    word(o, digit_names[hundreds]);
    word(o, "trăm");
  }
  if (tens == 0) {
    if (!units) return;
    if (hundreds || full) word(o, (flags & VNUM_LE) ? "lẻ" : "linh");
    word(o, digit_names[units]);
  } else if (tens == 1) {
    word(o, "mười");
    if (units == 5)
      word(o, "lăm");
    else if (units)
      word(o, digit_names[units]);
  } else {
    word(o, digit_names[tens]);
    word(o, "mươi");
    if (units == 1)
      word(o, "mốt");
    else if (units == 4)
      word(o, (flags & VNUM_BON) ? "bốn" : "tư");
    else if (units == 5)
      word(o, (flags & VNUM_NHAM) ? "nhăm" : "lăm");
    else if (units)
      word(o, digit_names[units]);
  }
}

/* v (1 to 999 999 999) as triệu, nghìn and units; first: nothing was read
 * before it (its first group needs no "không trăm"). */
static void below_billion(out *o, uint64_t v, int first, int flags) {
  const unsigned parts[3] = {(unsigned)(v / 1000000), (unsigned)(v / 1000 % 1000),
                             (unsigned)(v % 1000)};
  const char *names[3] = {"triệu", (flags & VNUM_NGAN) ? "ngàn" : "nghìn", NULL};
  for (int i = 0; i < 3; i++) {
    if (!parts[i]) continue;
    group(o, parts[i], !first, flags);
    if (names[i]) word(o, names[i]);
    first = 0;
  }
}

/* v > 0: the tỷ above 10^9 read as a number of their own, then the rest. */
static void positive(out *o, uint64_t v, int first, int flags) {
  if (v >= 1000000000u) {
    positive(o, v / 1000000000u, first, flags);
    word(o, "tỷ");
    if (v % 1000000000u) below_billion(o, v % 1000000000u, 0, flags);
  } else {
    below_billion(o, v, first, flags);
  }
}

char *vnum_words(int64_t v, int flags, char *buf, size_t size) {
  if (!buf || !size) return buf;
  out o = {buf, size, 0, 0};
  buf[0] = 0;
  if (v == 0) {
    word(&o, digit_names[0]);
    return buf;
  }
  if (v < 0) word(&o, "âm");
  positive(&o, v < 0 ? -(uint64_t)v : (uint64_t)v, 1, flags); /* INT64_MIN safe */
  return buf;
}

char *vnum_dong(int64_t v, int flags, char *buf, size_t size) {
  vnum_words(v, flags, buf, size);
  size_t n = strlen(buf);
  if (n + sizeof " đồng" <= size) memcpy(buf + n, " đồng", sizeof " đồng");
  /* every first word starts with an ASCII letter but "âm" (U+00E2 -> U+00C2) */
  if (buf[0] >= 'a' && buf[0] <= 'z')
    buf[0] = (char)(buf[0] - 'a' + 'A');
  else if ((unsigned char)buf[0] == 0xC3 && (unsigned char)buf[1] == 0xA2)
    buf[1] = (char)0x82;
  return buf;
}
