/* textenc.c - legacy Vietnamese text encodings to UTF-8 NFC (see textenc.h). */
#include "io/textenc.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "base/vtext.h"

/* ---- names ---- */

typedef struct enc_info {
  const char *name, *label, *iconv_name;
  const char *aliases[3];
} enc_info;

static const enc_info encs[TENC_COUNT] = {
    [TENC_AUTO] = {"auto", "automatic detection", NULL, {NULL}},
    [TENC_UTF8] = {"utf-8", "UTF-8", NULL, {"utf8", NULL}},
    [TENC_UTF16LE] = {"utf-16le", "UTF-16 LE", "UTF-16LE", {"utf16le", NULL}},
    [TENC_UTF16BE] = {"utf-16be", "UTF-16 BE", "UTF-16BE", {"utf16be", NULL}},
    [TENC_CP1258] = {"cp1258", "Windows-1258", "WINDOWS-1258", {"windows-1258", NULL}},
    [TENC_VISCII] = {"viscii", "VISCII", "VISCII", {NULL}},
    [TENC_TCVN3] = {"tcvn3", "TCVN3 (ABC)", "TCVN5712-1", {"abc", "tcvn", NULL}},
    [TENC_VNI] = {"vni", "VNI-Windows", NULL, {"vni-windows", NULL}},
};

const char *tenc_name(tenc_encoding enc) {
  return (unsigned)enc < TENC_COUNT ? encs[enc].name : "?";
}

const char *tenc_label(tenc_encoding enc) {
  return (unsigned)enc < TENC_COUNT ? encs[enc].label : "?";
}

int tenc_parse(const char *name, tenc_encoding *out) {
  if (!name) return HT_EINVAL;
  for (int e = 0; e < TENC_COUNT; e++) {
    int hit = strcasecmp(name, encs[e].name) == 0;
    for (int i = 0; !hit && i < 3 && encs[e].aliases[i]; i++)
      hit = strcasecmp(name, encs[e].aliases[i]) == 0;
    if (hit) {
      if (out) *out = (tenc_encoding)e;
      return HT_OK;
    }
  }
  return HT_EINVAL;
}

const char *tenc_accepted_names(void) {
  return "auto, utf-8, utf-16le, utf-16be, cp1258 (windows-1258), viscii, tcvn3 (abc, tcvn), "
         "vni (vni-windows)";
}

/* ---- growing output buffer ---- */

typedef struct obuf {
  char *p;
  size_t len, cap;
} obuf;

static int obuf_reserve(obuf *b, size_t extra) {
  if (b->cap - b->len > extra) return HT_OK;
  size_t cap = b->cap ? b->cap : 256;
  while (cap - b->len <= extra) cap *= 2;
  char *grown = realloc(b->p, cap);
  if (!grown) return HT_ENOMEM;
  b->p = grown;
  b->cap = cap;
  return HT_OK;
}

static int obuf_put_cp(obuf *b, int32_t cp) {
  if (obuf_reserve(b, 4)) return HT_ENOMEM;
  b->len += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)b->p + b->len);
  return HT_OK;
}

/* ---- errors ---- */

/* 1-based line of byte offset off, counting LF code units of unit bytes
 * (1, or 2 for UTF-16 with the LF byte at lf_at within the unit). O(off). */
static long line_of(const unsigned char *d, size_t off, size_t unit, size_t lf_at) {
  long line = 1;
  for (size_t i = 0; i + unit <= off; i += unit)
    if (d[i + lf_at] == '\n' && (unit == 1 || d[i + (1 - lf_at)] == 0)) line++;
  return line;
}

static int bad_byte(ht_err *err, const unsigned char *d, size_t off, tenc_encoding enc,
                    const char *what) {
  size_t unit = (enc == TENC_UTF16LE || enc == TENC_UTF16BE) ? 2 : 1;
  size_t lf_at = enc == TENC_UTF16BE ? 1 : 0;
  return ht_err_set(err, HT_EINVAL,
                    "byte %zu (line %ld): %s in %s text; if the file is in another encoding, "
                    "name it with --encoding (%s)",
                    off, line_of(d, off - off % unit, unit, lf_at), what, tenc_label(enc),
                    tenc_accepted_names());
}

/* ---- iconv decoding ---- */

/*
 * Decodes d[skip..len) with iconv into b (offsets in messages count from d).
 * glibc's CP1258 and TCVN5712-1 converters hold
 * back the last character to combine it with a following mark, hence the
 * final flush. O(len).
 */
static int decode_iconv(const unsigned char *d, size_t skip, size_t len, tenc_encoding enc, obuf *b,
                        ht_err *err) {
  iconv_t cd = iconv_open("UTF-8", encs[enc].iconv_name);
  if (cd == (iconv_t)-1)
    return ht_err_set(err, HT_ERR, "this system's iconv cannot decode %s (%s)", tenc_label(enc),
                      encs[enc].iconv_name);
  int rc = HT_OK;
  char *in = (char *)d + skip;
  size_t left = len - skip;
  int flushing = 0;
  for (;;) {
    if (obuf_reserve(b, left + left / 2 + 64)) {
      rc = ht_err_set(err, HT_ENOMEM, "out of memory decoding %s text", tenc_label(enc));
      break;
    }
    char *o = b->p + b->len;
    size_t room = b->cap - b->len - 1;
    size_t r = flushing ? iconv(cd, NULL, NULL, &o, &room) : iconv(cd, &in, &left, &o, &room);
    b->len = (size_t)(o - b->p);
    if (r != (size_t)-1) {
      if (flushing) break;
      flushing = 1;
      continue;
    }
    if (errno == E2BIG) {
      if (obuf_reserve(b, b->cap)) {
        rc = ht_err_set(err, HT_ENOMEM, "out of memory decoding %s text", tenc_label(enc));
        break;
      }
      continue;
    }
    size_t off = (size_t)((unsigned char *)in - d);
    char what[64];
    if (errno == EINVAL)
      snprintf(what, sizeof what, "a character cut off by the end of the file");
    else if (enc == TENC_UTF16LE || enc == TENC_UTF16BE)
      snprintf(what, sizeof what, "an unpaired surrogate");
    else
      snprintf(what, sizeof what, "0x%02X is not a character", d[off]);
    rc = bad_byte(err, d, off, enc, what);
    break;
  }
  iconv_close(cd);
  return rc;
}

/* ---- VNI-Windows ---- */

/*
 * VNI-Windows writes a Vietnamese letter as its base letter followed by one
 * byte for its diacritics (the VNI-Times fonts draw that byte as a mark over
 * or under the previous glyph). Eight letters have a byte of their own: i with
 * each tone, ơ, ư, ỵ and đ. Upper-case mark and letter bytes are the lower-case
 * ones minus 0x20, as in Latin-1; any other byte is read as Windows-1252.
 * Written from the VNI-Windows code chart (e.g. "Vieät Nam", "Haø Noäi",
 * "Ñaø Naüng", "Tænh", "Nguyeãn").
 */
enum { SHAPE_NONE, SHAPE_CIRC, SHAPE_BREVE };
enum {
  TONE_NONE,
  TONE_ACUTE = 0x0301,
  TONE_GRAVE = 0x0300,
  TONE_HOOK = 0x0309,
  TONE_TILDE = 0x0303,
  TONE_DOT = 0x0323
};

typedef struct vni_mark {
  unsigned char byte; /* the lower-case byte; upper case is byte - 0x20 */
  int shape;
  int tone;
} vni_mark;

static const vni_mark vni_marks[] = {
    {0xF9, SHAPE_NONE, TONE_ACUTE},  {0xF8, SHAPE_NONE, TONE_GRAVE},
    {0xFB, SHAPE_NONE, TONE_HOOK},   {0xF5, SHAPE_NONE, TONE_TILDE},
    {0xEF, SHAPE_NONE, TONE_DOT},    {0xE2, SHAPE_CIRC, TONE_NONE},
    {0xE1, SHAPE_CIRC, TONE_ACUTE},  {0xE0, SHAPE_CIRC, TONE_GRAVE},
    {0xE5, SHAPE_CIRC, TONE_HOOK},   {0xE3, SHAPE_CIRC, TONE_TILDE},
    {0xE4, SHAPE_CIRC, TONE_DOT},    {0xEA, SHAPE_BREVE, TONE_NONE},
    {0xE9, SHAPE_BREVE, TONE_ACUTE}, {0xE8, SHAPE_BREVE, TONE_GRAVE},
    {0xFA, SHAPE_BREVE, TONE_HOOK},  {0xFC, SHAPE_BREVE, TONE_TILDE},
    {0xEB, SHAPE_BREVE, TONE_DOT},
};

typedef struct vni_letter {
  unsigned char byte; /* lower case; upper case is byte - 0x20 */
  int32_t lower, upper;
  int can_tone; /* ơ and ư take a following tone byte */
} vni_letter;

static const vni_letter vni_letters[] = {
    {0xED, 0x00ED, 0x00CD, 0}, /* í */
    {0xEC, 0x00EC, 0x00CC, 0}, /* ì */
    {0xE6, 0x1EC9, 0x1EC8, 0}, /* ỉ */
    {0xF3, 0x0129, 0x0128, 0}, /* ĩ */
    {0xF2, 0x1ECB, 0x1ECA, 0}, /* ị */
    {0xF4, 0x01A1, 0x01A0, 1}, /* ơ */
    {0xF6, 0x01B0, 0x01AF, 1}, /* ư */
    {0xEE, 0x1EF5, 0x1EF4, 0}, /* ỵ */
    {0xF1, 0x0111, 0x0110, 0}, /* đ */
};

/* Windows-1252 0x80..0x9F; 0 where it defines nothing. */
static const uint16_t cp1252_c1[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/*
 * Decodes VNI-Windows into b as base letters followed by combining marks
 * (NFC composes them later). A mark byte must follow a letter that can carry
 * it: a circumflex a/e/o, a breve a, a tone any vowel without one yet.
 * O(len).
 */
static int decode_vni(const unsigned char *d, size_t len, obuf *b, ht_err *err) {
  int can_shape_circ = 0, can_shape_breve = 0, can_tone = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = d[i];
    int32_t cp = -1;
    const vni_mark *mark = NULL;
    if (c >= 0x80) {
      unsigned char lower = c >= 0xC0 && c < 0xE0 ? (unsigned char)(c + 0x20) : c;
      if (c >= 0xC0) {
        for (size_t k = 0; k < sizeof vni_marks / sizeof vni_marks[0] && !mark; k++)
          if (vni_marks[k].byte == lower) mark = &vni_marks[k];
        for (size_t k = 0; k < sizeof vni_letters / sizeof vni_letters[0] && cp < 0; k++)
          if (vni_letters[k].byte == lower) {
            cp = lower == c ? vni_letters[k].lower : vni_letters[k].upper;
            int tonable = vni_letters[k].can_tone;
            if (obuf_put_cp(b, cp)) return ht_err_set(err, HT_ENOMEM, "out of memory");
            can_shape_circ = can_shape_breve = 0;
            can_tone = tonable;
          }
        if (cp >= 0) continue;
      }
    }
    if (mark) {
      int ok = mark->shape == SHAPE_CIRC    ? can_shape_circ
               : mark->shape == SHAPE_BREVE ? can_shape_breve
                                            : 1;
      if (mark->tone != TONE_NONE) ok = ok && can_tone;
      if (!ok) {
        char what[96];
        snprintf(what, sizeof what, "0x%02X is a diacritic that cannot follow what precedes it", c);
        return bad_byte(err, d, i, TENC_VNI, what);
      }
      if (mark->shape != SHAPE_NONE && obuf_put_cp(b, mark->shape == SHAPE_CIRC ? 0x0302 : 0x0306))
        return ht_err_set(err, HT_ENOMEM, "out of memory");
      if (mark->tone != TONE_NONE && obuf_put_cp(b, mark->tone))
        return ht_err_set(err, HT_ENOMEM, "out of memory");
      can_shape_circ = can_shape_breve = 0;
      /* "a" + breve, then a tone byte, is accepted too: some converters split them. */
      can_tone = can_tone && mark->tone == TONE_NONE;
      continue;
    }
    if (c < 0x80) {
      cp = c;
      char l = (char)(c | 0x20);
      can_shape_circ = l == 'a' || l == 'e' || l == 'o';
      can_shape_breve = l == 'a';
      can_tone = can_shape_circ || l == 'i' || l == 'u' || l == 'y';
    } else {
      cp = c < 0xA0 ? cp1252_c1[c - 0x80] : c;
      if (cp == 0) return bad_byte(err, d, i, TENC_VNI, "a byte that VNI-Windows does not define");
      can_shape_circ = can_shape_breve = can_tone = 0;
    }
    if (obuf_put_cp(b, cp)) return ht_err_set(err, HT_ENOMEM, "out of memory");
  }
  return HT_OK;
}

/* ---- decoding ---- */

static int has_bom(const unsigned char *d, size_t len, tenc_encoding enc) {
  switch (enc) {
    case TENC_UTF8: return len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF;
    case TENC_UTF16LE: return len >= 2 && d[0] == 0xFF && d[1] == 0xFE;
    case TENC_UTF16BE: return len >= 2 && d[0] == 0xFE && d[1] == 0xFF;
    default: return 0;
  }
}

/*
 * Decodes without detection. The caller owns *out. A NUL character is
 * refused up front (vt_nfc() works on C strings and no text file holds one).
 * O(len).
 */
static int decode(const unsigned char *d, size_t len, tenc_encoding enc, char **out,
                  size_t *out_len, ht_err *err) {
  size_t skip = 0;
  if (enc == TENC_UTF8 && has_bom(d, len, enc)) skip = 3;
  if ((enc == TENC_UTF16LE || enc == TENC_UTF16BE) && has_bom(d, len, enc)) skip = 2;
  size_t unit = (enc == TENC_UTF16LE || enc == TENC_UTF16BE) ? 2 : 1;
  for (size_t i = skip; i + unit <= len; i += unit)
    if (d[i] == 0 && (unit == 1 || d[i + 1] == 0))
      return bad_byte(err, d, i, enc, "a NUL character (binary data?)");
  obuf b = {0};
  int rc = HT_OK;
  if (enc == TENC_UTF8) {
    size_t i = skip;
    while (i < len) {
      size_t n = vt_utf8_seq_len((const char *)d + i, len - i);
      if (!n) {
        rc = bad_byte(err, d, i, enc, "invalid UTF-8");
        goto end;
      }
      i += n;
    }
    if (obuf_reserve(&b, len - skip + 1)) goto nomem;
    memcpy(b.p, d + skip, len - skip);
    b.len = len - skip;
  } else if (enc == TENC_VNI) {
    rc = decode_vni(d, len, &b, err);
  } else if (enc > TENC_AUTO && enc < TENC_COUNT) {
    rc = decode_iconv(d, skip, len, enc, &b, err);
  } else {
    rc = ht_err_set(err, HT_EINVAL, "unknown encoding %d", (int)enc);
  }
  if (rc) goto end;
  if (obuf_reserve(&b, 1)) goto nomem;
  b.p[b.len] = '\0';
  rc = vt_nfc(b.p, out);
  if (rc) {
    rc = ht_err_set(err, rc == HT_ENOMEM ? HT_ENOMEM : HT_EINVAL,
                    "the %s text could not be normalised", tenc_label(enc));
    goto end;
  }
  if (out_len) *out_len = strlen(*out);
end:
  free(b.p);
  return rc;
nomem:
  free(b.p);
  return ht_err_set(err, HT_ENOMEM, "out of memory decoding %s text", tenc_label(enc));
}

int tenc_to_utf8(const void *data, size_t len, tenc_encoding enc, char **out, size_t *out_len,
                 ht_err *err) {
  if (!out) return ht_err_set(err, HT_EINVAL, "tenc_to_utf8: no output pointer");
  *out = NULL;
  if (out_len) *out_len = 0;
  if (!data && len) return ht_err_set(err, HT_EINVAL, "tenc_to_utf8: no data");
  if (len > TENC_MAX_INPUT)
    return ht_err_set(err, HT_ELIMIT, "the text is larger than %zu MiB; split it into parts",
                      TENC_MAX_INPUT >> 20);
  if (!data) data = "";
  if (enc == TENC_AUTO) {
    tenc_guess g;
    if (tenc_detect(data, len, &g) != HT_OK)
      return ht_err_set(err, HT_EINVAL,
                        "the text is in none of the known encodings (binary data?); if it is "
                        "text, name its encoding with --encoding (%s)",
                        tenc_accepted_names());
    enc = g.enc;
  }
  return decode(data, len, enc, out, out_len, err);
}

/* ---- detection ---- */

/* The lower-case vowel letter with its shape (ă â ê ô ơ ư) but no tone. */
typedef struct vletter {
  int32_t base;  /* a..z or đ (0x111), lower case; 0 if not a Vietnamese letter */
  int32_t plain; /* the letter without tone, lower case */
  int tone;      /* TONE_* */
  int upper;
} vletter;

/* Splits cp into base letter, shape and tone with utf8proc's canonical
 * decomposition. O(1). */
static vletter classify(int32_t cp) {
  vletter v = {0, 0, TONE_NONE, 0};
  utf8proc_int32_t parts[4];
  int opt;
  utf8proc_ssize_t n = utf8proc_decompose_char(cp, parts, 4, UTF8PROC_DECOMPOSE, &opt);
  if (n < 1 || n > 3) return v;
  int32_t base = parts[0];
  int32_t lower = utf8proc_tolower(base);
  v.upper = lower != base;
  if (lower == 0x111) {
    if (n == 1) v.base = v.plain = 0x111;
    return v;
  }
  if (lower < 'a' || lower > 'z') return v;
  int32_t shape = 0;
  for (utf8proc_ssize_t i = 1; i < n; i++) {
    int32_t m = parts[i];
    if (m == 0x0302 || m == 0x0306 || m == 0x031B) {
      if (shape) return v;
      shape = m;
    } else if (m == TONE_ACUTE || m == TONE_GRAVE || m == TONE_HOOK || m == TONE_TILDE ||
               m == TONE_DOT) {
      if (v.tone) return v;
      v.tone = m;
    } else {
      return v;
    }
  }
  int vowel = strchr("aeiouy", (int)lower) != NULL;
  if ((shape || v.tone) && !vowel) return v;
  if (shape == 0x0302 && !strchr("aeo", (int)lower)) return v;
  if (shape == 0x0306 && lower != 'a') return v;
  if (shape == 0x031B && lower != 'o' && lower != 'u') return v;
  v.base = lower;
  v.plain = lower;
  if (shape) {
    utf8proc_int32_t pair[2] = {lower, shape};
    utf8proc_ssize_t m = utf8proc_normalize_utf32(pair, 2, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    v.plain = m == 1 ? pair[0] : 0;
    if (!v.plain) v.base = 0;
  }
  return v;
}

static int is_vowel_cp(int32_t c) {
  static const int32_t vowels[] = {'a',    'e',    'i',    'o',    'u',    'y',
                                   0x0103, 0x00E2, 0x00EA, 0x00F4, 0x01A1, 0x01B0};
  for (size_t i = 0; i < sizeof vowels / sizeof vowels[0]; i++)
    if (vowels[i] == c) return 1;
  return 0;
}

/* Tone-free vowel clusters of Vietnamese, in UTF-8, with a suffix: '+' needs
 * a final consonant, '-' takes none, nothing takes either. "oa", "oe", "uy"
 * and "uê" may carry the tone on either vowel when final (hòa and hoà). */
static const char *const clusters[] = {
    "a",    "ă+",   "â+",   "e",    "ê",    "i",    "o",    "ô",    "ơ",    "u",    "ư",
    "y-",   "ai-",  "ao-",  "au-",  "ay-",  "âu-",  "ây-",  "eo-",  "êu-",  "ia-",  "iê+",
    "iu-",  "oa",   "oă+",  "oe",   "oi-",  "ôi-",  "ơi-",  "ua-",  "uâ+",  "uê",   "ui-",
    "uô+",  "uơ-",  "ưa-",  "ưi-",  "ưu-",  "ươ+",  "uy",   "yê+",  "iêu-", "oai-", "oay-",
    "oeo-", "uây-", "uôi-", "uya-", "uyê+", "uyu-", "ươi-", "ươu-", "yêu-",
};

static const char *const onsets[] = {"ngh", "ng", "gh", "gi", "ch", "kh", "nh", "ph", "th", "tr",
                                     "qu",  "b",  "c",  "d",  "đ",  "g",  "h",  "k",  "l",  "m",
                                     "n",   "p",  "r",  "s",  "t",  "v",  "x",  ""};
static const char *const codas[] = {"", "c", "ch", "m", "n", "ng", "nh", "p", "t"};

/*
 * 1 if the word (code points w[0..n)) is a well-formed Vietnamese syllable:
 * one case pattern (lower, Title or UPPER), an onset, a vowel cluster from
 * the list that agrees with the final consonant, at most one tone, placed
 * where Vietnamese spelling puts it (the last vowel before a final consonant,
 * the middle one of three, the first of a falling pair), and only the acute
 * or dot-below tone before a final c, ch, p or t. O(n).
 */
static int syllable_ok(const int32_t *w, size_t n) {
  if (n == 0 || n > 7) return 0;
  char plain[40];
  size_t plen = 0, tone_off = (size_t)-1;
  int tone = 0;
  size_t uppers = 0;
  for (size_t i = 0; i < n; i++) {
    vletter v = classify(w[i]);
    if (!v.base) return 0;
    if (v.tone) {
      if (tone) return 0;
      tone = v.tone;
      tone_off = plen;
    }
    if (v.upper && i > 0) uppers++;
    plen += (size_t)utf8proc_encode_char(v.plain, (utf8proc_uint8_t *)plain + plen);
  }
  plain[plen] = '\0';
  if (uppers && uppers != n - 1) return 0;
  const char *p = plain;
  size_t best = 0;
  for (size_t k = 0; k < sizeof onsets / sizeof onsets[0]; k++) {
    size_t ol = strlen(onsets[k]);
    if (ol > best && strncmp(p, onsets[k], ol) == 0) {
      /* "gi" and "qu" are onsets only before another vowel: "gì" is g + ì. */
      if ((strcmp(onsets[k], "gi") == 0 || strcmp(onsets[k], "qu") == 0)) {
        int32_t next;
        if (utf8proc_iterate((const utf8proc_uint8_t *)p + ol, -1, &next) <= 0 ||
            !is_vowel_cp(next))
          continue;
      }
      best = ol;
    }
  }
  if (tone && tone_off < best) return 0; /* a tone on the onset's i or u */
  p += best;
  const char *vstart = p;
  size_t nvowels = 0, tone_at = 0;
  while (*p) {
    int32_t c;
    utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)p, -1, &c);
    if (l <= 0 || !is_vowel_cp(c)) break;
    if ((size_t)(p - plain) == tone_off) tone_at = nvowels;
    nvowels++;
    p += l;
  }
  size_t vlen = (size_t)(p - vstart);
  if (vlen == 0) return 0;
  if (tone && tone_off >= (size_t)(p - plain)) return 0;
  int coda_ok = 0;
  for (size_t k = 0; k < sizeof codas / sizeof codas[0] && !coda_ok; k++)
    coda_ok = strcmp(p, codas[k]) == 0;
  if (!coda_ok) return 0;
  int has_coda = *p != '\0';
  const char *cluster = NULL;
  for (size_t k = 0; k < sizeof clusters / sizeof clusters[0] && !cluster; k++) {
    size_t cl = strlen(clusters[k]);
    char rule = clusters[k][cl - 1];
    if (rule == '+' || rule == '-') cl--;
    if (cl == vlen && strncmp(vstart, clusters[k], cl) == 0 && !(rule == '+' && !has_coda) &&
        !(rule == '-' && has_coda))
      cluster = clusters[k];
  }
  if (!cluster) return 0;
  if (tone && nvowels > 1) {
    size_t want = has_coda ? nvowels - 1 : nvowels == 3 ? 1 : 0;
    int either = !has_coda && nvowels == 2 &&
                 (strncmp(cluster, "oa", 2) == 0 || strncmp(cluster, "oe", 2) == 0 ||
                  strncmp(cluster, "uy", 2) == 0 || strncmp(cluster, "uê", 3) == 0);
    if (tone_at != want && !either) return 0;
  }
  int stop = has_coda && (strcmp(p, "c") == 0 || strcmp(p, "ch") == 0 || strcmp(p, "p") == 0 ||
                          strcmp(p, "t") == 0);
  if (stop && tone && tone != TONE_ACUTE && tone != TONE_DOT) return 0;
  return 1;
}

/* How often a letter (lower case, with its tone) turns up in Vietnamese text,
 * roughly: +1 for the frequent ones, -1 for the rare ones, 0 otherwise. It
 * only decides between decodings that both make well-formed syllables. */
static int letter_weight(int32_t lower) {
  static const char common[] = "đươâêôàáạảếệềộốờớợứựừịìíấậầọóòụúùồăắểởủýễ";
  static const char rare[] = "ẵẳẽẻẹỹỷỵẫỗỡõ";
  char buf[5];
  int n = utf8proc_encode_char(lower, (utf8proc_uint8_t *)buf);
  buf[n] = '\0';
  if (lower < 0x80) return 0;
  if (strstr(common, buf)) return 1;
  if (strstr(rare, buf)) return -1;
  return 0;
}

/* Punctuation that Vietnamese documents do use (Word's quotes, dashes, ...). */
static int usual_symbol(int32_t c) {
  static const int32_t ok[] = {0x00A0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2013, 0x2014, 0x2026,
                               0x2022, 0x00B7, 0x00B0, 0x00AB, 0x00BB, 0x00A7, 0x00A9, 0x2116};
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
    if (ok[i] == c) return 1;
  return 0;
}

/*
 * Scores decoded UTF-8 text: +4 per word with a non-ASCII letter that is a
 * well-formed syllable, -4 per such word that is not, -3 per unusual
 * non-ASCII symbol, -6 per control character (other than tab and line ends).
 * O(len).
 */
static long score_text(const char *s, size_t len) {
  long score = 0;
  int32_t word[8];
  size_t wn = 0;
  int word_nonascii = 0, word_long = 0;
  size_t i = 0;
  for (;;) {
    int32_t c = -1;
    if (i < len) {
      utf8proc_ssize_t l =
          utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &c);
      if (l <= 0) return score - 1000; /* cannot happen: decode() made valid UTF-8 */
      i += (size_t)l;
    }
    utf8proc_category_t cat = c >= 0 ? utf8proc_category(c) : UTF8PROC_CATEGORY_CN;
    int letter = c >= 0 && (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL ||
                            cat == UTF8PROC_CATEGORY_LT || cat == UTF8PROC_CATEGORY_LO ||
                            cat == UTF8PROC_CATEGORY_LM || cat == UTF8PROC_CATEGORY_MN);
    if (letter) {
      if (c >= 0x80) word_nonascii = 1;
      if (wn < 8)
        word[wn++] = c;
      else
        word_long = 1;
      continue;
    }
    if (wn && word_nonascii) {
      int ok = !word_long && syllable_ok(word, wn);
      score += ok ? 4 : -4;
      for (size_t k = 0; ok && k < wn; k++) score += letter_weight(utf8proc_tolower(word[k]));
    }
    wn = 0;
    word_nonascii = word_long = 0;
    if (c < 0) break;
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || (c >= 0x7F && c < 0xA0) ||
        c == 0xFFFD)
      score -= 6;
    else if (c >= 0x80 && !usual_symbol(c))
      score -= 3;
  }
  return score;
}

int tenc_detect(const void *data, size_t len, tenc_guess *out) {
  const unsigned char *d = data ? data : (const unsigned char *)"";
  if (!data) len = 0;
  tenc_guess g = {TENC_UTF8, TENC_AUTO, 100, 0, 0, 0};
  static const tenc_encoding boms[] = {TENC_UTF8, TENC_UTF16LE, TENC_UTF16BE};
  for (size_t k = 0; k < 3; k++)
    if (has_bom(d, len, boms[k])) {
      g.enc = boms[k];
      g.bom = 1;
      *out = g;
      return HT_OK;
    }
  if (vt_utf8_valid((const char *)d, len)) {
    *out = g;
    return HT_OK;
  }
  /* Score on whole lines so that no base letter is cut from its mark. */
  size_t n = len < TENC_SAMPLE ? len : TENC_SAMPLE;
  if (n < len) {
    size_t cut = n;
    while (cut > 0 && d[cut - 1] != '\n') cut--;
    if (cut > 0) n = cut;
  }
  static const tenc_encoding order[] = {TENC_TCVN3, TENC_VNI, TENC_CP1258, TENC_VISCII};
  int have_best = 0, have_second = 0;
  g.confidence = 0;
  g.enc = TENC_TCVN3;
  for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
    char *text = NULL;
    size_t tlen = 0;
    if (decode(d, n, order[k], &text, &tlen, NULL) != HT_OK) continue;
    long s = score_text(text, tlen);
    free(text);
    if (!have_best || s > g.score) {
      if (have_best) {
        g.runner_up = g.enc;
        g.runner_up_score = g.score;
        have_second = 1;
      }
      g.enc = order[k];
      g.score = s;
      have_best = 1;
    } else if (!have_second || s > g.runner_up_score) {
      g.runner_up = order[k];
      g.runner_up_score = s;
      have_second = 1;
    }
  }
  if (!have_best) {
    *out = g;
    return HT_EINVAL;
  }
  if (g.score <= 0)
    g.confidence = 0;
  else if (!have_second || g.runner_up_score <= 0)
    g.confidence = 100;
  else
    g.confidence = (int)(100 * (g.score - g.runner_up_score) / g.score);
  *out = g;
  return HT_OK;
}
