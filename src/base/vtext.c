/* vtext.c - Vietnamese text: UTF-8 validation, normalisation and search keys. */
#include "base/vtext.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "base/err.h"

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
