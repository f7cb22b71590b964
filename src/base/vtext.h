/*
 * vtext.h - Vietnamese text: UTF-8 validation, normalisation and search keys.
 *
 * Vietnamese text reaches the program in two Unicode forms: precomposed ("ễ" is
 * one code point, what most keyboards produce) and decomposed ("e" + U+0302 +
 * U+0303, what TCVN-era converters and some macOS tools produce). Both look the
 * same on screen but compare unequal byte for byte, so every name is passed
 * through vt_clean() at the boundary (NFC) and every search goes through
 * vt_search_key() (accent- and case-free). Lists are sorted by vt_sort_key()
 * (Vietnamese dictionary order).
 *
 * Strings are NUL-terminated UTF-8. Functions that return a string store a
 * malloc'd copy in *out which the caller frees with free(); on failure *out is
 * NULL. Normalisation is delegated to utf8proc.
 */
#ifndef HOCTAP_BASE_VTEXT_H
#define HOCTAP_BASE_VTEXT_H

#include <stddef.h>

#include "base/arena.h"

/* 1 if s[0..len) is well-formed UTF-8 (no overlong forms, no surrogates, nothing
 * above U+10FFFF), else 0. NUL bytes are valid UTF-8. O(len). */
int vt_utf8_valid(const char *s, size_t len);

/* Length (1..4) of the well-formed UTF-8 sequence starting at s, looking at no
 * more than avail bytes; 0 if the bytes there are not well-formed (or avail is
 * 0). O(1). */
size_t vt_utf8_seq_len(const char *s, size_t avail);

/* NFC (canonical composition) copy of s. HT_EINVAL on invalid UTF-8. */
int vt_nfc(const char *s, char **out);

/* Accent-free, case-folded search key: "  Nguyễn  Văn ĐỨC " -> "nguyen van duc".
 * Compatibility forms are folded (fullwidth letters, ligatures), invisible
 * characters (zero-width space, soft hyphen, BOM) dropped, đ/Đ mapped to d,
 * whitespace runs collapsed to one space and trimmed. HT_EINVAL on invalid UTF-8. */
int vt_search_key(const char *s, char **out);

/* The form every name is stored in: NFC, invisible characters (zero-width space,
 * soft hyphen, BOM) dropped, whitespace runs (tabs, newlines, no-break spaces
 * included) collapsed to one ASCII space, trimmed. Letters and accents are kept.
 * HT_EINVAL on invalid UTF-8. */
int vt_clean(const char *s, char **out);

/* Flags of vt_sort_key(). */
enum {
  /* A person's name: compare the given name (the last word) first, then the
   * whole name from the start, the order of Vietnamese official lists. */
  VT_SORT_GIVEN_NAME_FIRST = 1
};

/*
 * Collation key: a byte string whose strcmp()/memcmp() order is Vietnamese
 * dictionary order (docs/architecture.md, "Sorting").
 *  - Letters in the Vietnamese alphabet order a ă â b c d đ e ê g h i k l m n
 *    o ô ơ p q r s t u ư v x y, with f j w z in their Latin places; other
 *    letters (other scripts, Latin letters outside a-z) after z, by code point.
 *    Case is ignored, and so are marks other than the Vietnamese ones.
 *  - Digit runs compare as numbers ("Tổ 2" before "Tổ 10") and before letters.
 *  - Spaces and punctuation separate words; words compare one by one, so "An"
 *    < "An Bình" < "Anh" < "Ân".
 *  - Within a word whose letters are equal, the tone decides: ngang (none),
 *    huyền, hỏi, ngã, sắc, nặng ("ma" < "mà" < "mả" < "mã" < "má" < "mạ"),
 *    wherever the mark sits ("hoà" and "hòa" are equal).
 * NFC and NFD input give the same key; strings differing only in case,
 * invisible characters or punctuation runs give equal keys (callers break ties,
 * e.g. by code). flags: 0 or VT_SORT_GIVEN_NAME_FIRST. The key contains no
 * NUL byte; it is not text. *out is malloc'd; HT_EINVAL on invalid UTF-8.
 * O(n).
 */
int vt_sort_key(const char *s, int flags, char **out);

/* vt_sort_key() into a. Never fails: invalid UTF-8 (or NULL) gets a key that
 * sorts after every valid one, so a list with a bad name still sorts. */
const char *vt_sort_key_in(arena *a, const char *s, int flags);

/* Upper-case copy in NFC: "Ủy ban nhân dân xã Đông" -> "ỦY BAN NHÂN DÂN XÃ ĐÔNG" (every
 * letter by its Unicode simple mapping, marks kept). HT_EINVAL on invalid UTF-8. */
int vt_upper(const char *s, char **out);

/* 1 if needle_key occurs in haystack_key (both made by vt_search_key), else 0.
 * An empty needle matches everything; NULL matches nothing. O(n*m) worst case. */
int vt_contains_key(const char *haystack_key, const char *needle_key);

#endif
