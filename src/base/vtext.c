/* vtext.c - Vietnamese text: UTF-8 validation, normalisation and search keys. */
#include "base/vtext.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "base/err.h"
#include "base/strbuf.h"

size_t vt_utf8_seq_len(const char *s, size_t avail) {
  if (!s || avail == 0) return 0;
  const unsigned char *p = (const unsigned char *)s;
  unsigned char lead = p[0];
  if (lead < 0x80) return 1;
  size_t n;
  unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
  if (lead < 0xC2) {
    return 0; /* stray continuation byte, or an overlong 2-byte form */
  } else if (lead < 0xE0) {
    n = 2;
  } else if (lead < 0xF0) {
    n = 3;
    if (lead == 0xE0) lo = 0xA0; /* overlong */
    if (lead == 0xED) hi = 0x9F; /* UTF-16 surrogates */
  } else if (lead < 0xF5) {
    n = 4;
    if (lead == 0xF0) lo = 0x90; /* overlong */
    if (lead == 0xF4) hi = 0x8F; /* above U+10FFFF */
  } else {
    return 0;
  }
  if (avail < n) return 0;
  if (p[1] < lo || p[1] > hi) return 0;
  for (size_t i = 2; i < n; i++)
    if ((p[i] & 0xC0) != 0x80) return 0;
  return n;
}

/* O(len): one pass, each byte inspected once. */
int vt_utf8_valid(const char *s, size_t len) {
  if (!s) return len == 0;
  size_t i = 0;
  while (i < len) {
    if ((unsigned char)s[i] < 0x80) {
      i++;
      continue;
    }
    size_t n = vt_utf8_seq_len(s + i, len - i);
    if (n == 0) return 0;
    i += n;
  }
  return 1;
}

/* Decodes the code point of a sequence already known to be well-formed. */
static int32_t decode_valid(const unsigned char *p, size_t n) {
  switch (n) {
    case 1: return p[0];
    case 2: return ((p[0] & 0x1F) << 6) | (p[1] & 0x3F);
    case 3: return ((p[0] & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    default:
      return ((p[0] & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
  }
}

/* Unicode White_Space (PropList.txt). Spelled out rather than taken from the
 * general category because the C0 controls TAB..CR and U+0085 are spaces too. */
static int is_space(int32_t cp) {
  if (cp == ' ' || (cp >= 0x09 && cp <= 0x0D)) return 1;
  if (cp < 0x85) return 0;
  return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/*
 * Rewrites the well-formed UTF-8 string s in place: leading and trailing
 * whitespace removed, each inner run of whitespace replaced by one ' '. The
 * result is never longer than the input. O(n).
 */
static void collapse_space(char *s) {
  size_t len = strlen(s), in = 0, out = 0;
  int pending_space = 0;
  while (in < len) {
    size_t n = vt_utf8_seq_len(s + in, len - in);
    if (n == 0) n = 1; /* cannot happen on utf8proc output; never loop forever */
    if (is_space(decode_valid((const unsigned char *)s + in, n))) {
      pending_space = out > 0;
    } else {
      if (pending_space) s[out++] = ' ';
      pending_space = 0;
      memmove(s + out, s + in, n);
      out += n;
    }
    in += n;
  }
  s[out] = '\0';
}

static int from_utf8proc(utf8proc_ssize_t rc) {
  switch (rc) {
    case UTF8PROC_ERROR_NOMEM: return HT_ENOMEM;
    case UTF8PROC_ERROR_OVERFLOW: return HT_ELIMIT;
    case UTF8PROC_ERROR_INVALIDUTF8: return HT_EINVAL;
    default: return HT_ERR;
  }
}

/*
 * Runs s through utf8proc with the given options (and optional per-code-point
 * mapping), then collapses whitespace if asked. Validates with our own checker
 * first so that every form of malformed input (overlongs included) is
 * HT_EINVAL whatever the utf8proc version accepts. *out is malloc'd. O(n).
 */
static int map_text(const char *s, char **out, utf8proc_option_t options,
                    utf8proc_custom_func custom, int collapse) {
  if (!out) return HT_EINVAL;
  *out = NULL;
  if (!s) return HT_EINVAL;
  size_t len = strlen(s);
  if (!vt_utf8_valid(s, len)) return HT_EINVAL;
  utf8proc_uint8_t *dst = NULL;
  utf8proc_ssize_t rc = utf8proc_map_custom((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
                                            &dst, options, custom, NULL);
  if (rc < 0) {
    free(dst);
    return from_utf8proc(rc);
  }
  if (collapse) collapse_space((char *)dst);
  *out = (char *)dst;
  return HT_OK;
}

int vt_nfc(const char *s, char **out) {
  return map_text(s, out, UTF8PROC_STABLE | UTF8PROC_COMPOSE, NULL, 0);
}

/* đ (U+0111) and Đ (U+0110) are letters of their own, not d + a mark, so
 * stripping marks leaves them alone; searchers type "d". */
static utf8proc_int32_t map_d_stroke(utf8proc_int32_t cp, void *data) {
  (void)data;
  return (cp == 0x0110 || cp == 0x0111) ? 'd' : cp;
}

int vt_search_key(const char *s, char **out) {
  /* COMPOSE + STRIPMARK decomposes, drops the marks, recomposes what is left
   * (so non-Latin scripts stay in their usual form). COMPAT folds fullwidth and
   * ligature forms, LUMP turns exotic spaces and dashes into ASCII ones, IGNORE
   * drops zero-width characters. */
  utf8proc_option_t opts = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                           UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE | UTF8PROC_LUMP;
  return map_text(s, out, opts, map_d_stroke, 1);
}

int vt_clean(const char *s, char **out) {
  return map_text(s, out, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_IGNORE, NULL, 1);
}

static utf8proc_int32_t map_upper(utf8proc_int32_t cp, void *data) {
  (void)data;
  return utf8proc_toupper(cp);
}

int vt_upper(const char *s, char **out) {
  return map_text(s, out, UTF8PROC_STABLE | UTF8PROC_COMPOSE, map_upper, 0);
}

int vt_contains_key(const char *haystack_key, const char *needle_key) {
  if (!haystack_key || !needle_key) return 0;
  return strstr(haystack_key, needle_key) != NULL;
}

/* ------------------------------------------------------- collation keys */

/* The bytes of a collation key. None is 0, so a key is a C string; their
 * relative order is what makes strcmp() give Vietnamese order:
 *   key  = word (WORD_SEP word)*
 *   word = unit+ LETTERS_END tone*
 *   unit = LETTER+place | NUMBER (NUMBER_LEN+length) digit* | OTHER b1 b2 b3
 * WORD_SEP is below everything a word holds, so a word that is a prefix of
 * another sorts first ("An Bình" < "Anh"); LETTERS_END is below every unit,
 * so letters decide before tones; a word without a tone has no tone byte, so
 * ngang sorts first. */
enum {
  KEY_WORD_SEP = 0x01,
  KEY_LETTERS_END = 0x02,
  KEY_TONE = 0x03,       /* + 0 huyền, 1 hỏi, 2 ngã, 3 sắc, 4 nặng */
  KEY_NUMBER = 0x10,     /* digits sort before letters */
  KEY_NUMBER_LEN = 0x20, /* + significant digits, at most KEY_NUMBER_MAX */
  KEY_NUMBER_MAX = 0xDF,
  KEY_LETTER = 0x41, /* + place in the alphabet, 0..32 */
  KEY_OTHER = 0x70,  /* then the code point in three bytes of 0x80..0xFF */
  KEY_INVALID = 0xFF /* first byte of vt_sort_key_in's key for invalid text */
};

/* Places of a..z in the alphabet a ă â b c d đ e ê f g h i j k l m n o ô ơ p
 * q r s t u ư v w x y z; ă â đ ê ô ơ ư are the place of their base plus one or
 * two (see apply_mark). */
static const unsigned char ascii_place[26] = {
    0,  3,  4,  5,  7,  9,  10, 11, 12, 13, 14, 15, 16, /* a..m */
    17, 18, 21, 22, 23, 24, 25, 26, 28, 29, 30, 31, 32, /* n..z */
};
#define PLACE_D_STROKE 6

typedef struct key_state {
  strbuf out;
  strbuf tones;  /* tone bytes of the current word */
  strbuf digits; /* the current digit run, leading zeros dropped */
  int in_word, in_number, words;
  size_t last_word; /* offset in out where the last word starts */
  int letter;       /* pending letter's place, -1 when none */
  char base;        /* its ASCII base ('a'..'z'; 'd' for đ) */
  int modified;     /* it already took a breve, circumflex or horn */
} key_state;

static void key_start_word(key_state *k) {
  if (k->in_word) return;
  if (k->words) strbuf_putc(&k->out, KEY_WORD_SEP);
  k->last_word = k->out.len;
  k->in_word = 1;
  strbuf_reset(&k->tones);
}

static void key_flush_letter(key_state *k) {
  if (k->letter < 0) return;
  strbuf_putc(&k->out, (char)(KEY_LETTER + k->letter));
  k->letter = -1;
}

static void key_flush_number(key_state *k) {
  if (!k->in_number) return;
  size_t n = k->digits.len < KEY_NUMBER_MAX ? k->digits.len : KEY_NUMBER_MAX;
  strbuf_putc(&k->out, KEY_NUMBER);
  strbuf_putc(&k->out, (char)(KEY_NUMBER_LEN + n));
  strbuf_append(&k->out, k->digits.data ? k->digits.data : "", k->digits.len);
  strbuf_reset(&k->digits);
  k->in_number = 0;
}

static void key_end_word(key_state *k) {
  key_flush_letter(k);
  key_flush_number(k);
  if (!k->in_word) return;
  strbuf_putc(&k->out, KEY_LETTERS_END);
  strbuf_append(&k->out, k->tones.data ? k->tones.data : "", k->tones.len);
  k->in_word = 0;
  k->words++;
}

/* Moves the pending letter by step places (ă is a's place + 1, â + 2, ...):
 * once, since no Vietnamese letter takes two of these marks. */
static void modify(key_state *k, int step) {
  if (!step || k->modified) return;
  k->letter += step;
  k->modified = 1;
}

/* A combining mark after the pending letter: the breve, circumflex and horn
 * make the letters ă â ê ô ơ ư; the five tone marks on a vowel give the word
 * its tone; every other mark is ignored (as is a mark with no letter). */
static void apply_mark(key_state *k, int32_t mark) {
  if (k->letter < 0) return;
  int tone = -1;
  switch (mark) {
    case 0x0300: tone = 0; break;                           /* huyền */
    case 0x0309: tone = 1; break;                           /* hỏi */
    case 0x0303: tone = 2; break;                           /* ngã */
    case 0x0301: tone = 3; break;                           /* sắc */
    case 0x0323: tone = 4; break;                           /* nặng */
    case 0x0306: modify(k, k->base == 'a' ? 1 : 0); return; /* breve: ă */
    case 0x0302:                                            /* circumflex: â ê ô */
      modify(k, k->base == 'a' ? 2 : (k->base == 'e' || k->base == 'o') ? 1 : 0);
      return;
    case 0x031B: modify(k, k->base == 'o' ? 2 : k->base == 'u' ? 1 : 0); return; /* horn: ơ ư */
    default: return;
  }
  if (strchr("aeiouy", k->base)) strbuf_putc(&k->tones, (char)(KEY_TONE + tone));
}

static void key_add(key_state *k, int32_t cp) {
  utf8proc_category_t cat = utf8proc_category(cp);
  if (cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC || cat == UTF8PROC_CATEGORY_ME) {
    apply_mark(k, cp);
    return;
  }
  key_flush_letter(k);
  if (cp >= '0' && cp <= '9') {
    key_start_word(k);
    k->in_number = 1;
    if (cp != '0' || k->digits.len) strbuf_putc(&k->digits, (char)cp);
    return;
  }
  key_flush_number(k);
  if ((cp >= 'a' && cp <= 'z') || cp == 0x0111) {
    key_start_word(k);
    k->base = cp == 0x0111 ? 'd' : (char)cp;
    k->letter = cp == 0x0111 ? PLACE_D_STROKE : ascii_place[cp - 'a'];
    k->modified = 0;
  } else if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO) {
    /* letters and digits of other scripts, Latin letters outside a-z */
    key_start_word(k);
    strbuf_putc(&k->out, KEY_OTHER);
    strbuf_putc(&k->out, (char)(0x80 | ((cp >> 14) & 0x7F)));
    strbuf_putc(&k->out, (char)(0x80 | ((cp >> 7) & 0x7F)));
    strbuf_putc(&k->out, (char)(0x80 | (cp & 0x7F)));
  } else {
    key_end_word(k); /* space, punctuation, symbol */
  }
}

/* Decomposes (NFKD), folds case and drops invisible characters one code
 * point at a time with utf8proc (marks need no reordering: a letter takes its
 * marks in any order), with no copy of the text. O(n). */
int vt_sort_key(const char *s, int flags, char **out) {
  if (!out) return HT_EINVAL;
  *out = NULL;
  if (!s) return HT_EINVAL;
  size_t len = strlen(s);
  if (!vt_utf8_valid(s, len)) return HT_EINVAL;
  const utf8proc_option_t opts =
      UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE;
  key_state k = {STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, 0, 0, 0, 0, -1, 0, 0};
  const unsigned char *p = (const unsigned char *)s, *end = p + len;
  while (p < end) {
    size_t n = vt_utf8_seq_len((const char *)p, (size_t)(end - p));
    if (n == 0) n = 1; /* cannot happen: s was validated; never loop forever */
    int32_t cp = decode_valid(p, n);
    p += n;
    if (cp < 0x80 && !(cp >= 'A' && cp <= 'Z')) {
      key_add(&k, cp); /* ASCII other than capitals maps to itself */
      continue;
    }
    utf8proc_int32_t parts[32];
    int boundclass = UTF8PROC_BOUNDCLASS_START;
    utf8proc_ssize_t m = utf8proc_decompose_char(cp, parts, 32, opts, &boundclass);
    if (m > 32) m = 0; /* no decomposition is that long (the longest is 18) */
    for (utf8proc_ssize_t i = 0; i < m; i++) key_add(&k, parts[i]);
  }
  key_end_word(&k);
  strbuf_free(&k.tones);
  strbuf_free(&k.digits);
  if ((flags & VT_SORT_GIVEN_NAME_FIRST) && k.words) {
    strbuf named = STRBUF_INIT;
    strbuf_append(&named, k.out.data + k.last_word, k.out.len - k.last_word);
    strbuf_putc(&named, KEY_WORD_SEP);
    strbuf_append(&named, k.out.data, k.out.len);
    strbuf_free(&k.out);
    k.out = named;
  }
  *out = strbuf_detach(&k.out);
  return HT_OK;
}

const char *vt_sort_key_in(arena *a, const char *s, int flags) {
  char *key = NULL;
  if (s && vt_sort_key(s, flags, &key) == HT_OK) {
    char *copy = arena_strdup(a, key);
    free(key);
    return copy;
  }
  return arena_sprintf(a, "%c%s", KEY_INVALID, s ? s : "");
}
