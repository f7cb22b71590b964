/*
 * textenc.h - legacy Vietnamese text encodings to UTF-8 NFC.
 *
 * Files from Vietnamese offices still arrive in the encodings of the 1990s and
 * 2000s: TCVN3 (ABC, the .VnTime fonts), VNI-Windows (the VNI-Times fonts),
 * VISCII and Windows-1258, besides UTF-8 and the UTF-16 that Excel writes as
 * "Unicode text". This module names those encodings, guesses which one a file
 * uses and decodes it to UTF-8 in NFC, the form every name is stored in.
 *
 * UTF-16, Windows-1258, VISCII and TCVN3 are decoded by the C library's iconv
 * (TCVN3 as glibc's "TCVN5712-1", a superset of ABC); VNI-Windows has no iconv
 * table and is decoded by our own (see textenc.c for the table and docs/
 * encodings.md for what is certain about it).
 *
 * Strings returned through char ** are malloc'd and NUL-terminated; the caller
 * frees them with free(). Inputs may be at most TENC_MAX_INPUT bytes.
 */
#ifndef HOCTAP_IO_TEXTENC_H
#define HOCTAP_IO_TEXTENC_H

#include <stddef.h>

#include "base/err.h"
#include "io/csv.h"

#define TENC_MAX_INPUT CSV_MAX_INPUT    /* bytes accepted by tenc_to_utf8() */
#define TENC_SAMPLE ((size_t)64 * 1024) /* bytes tenc_detect() scores */

typedef enum tenc_encoding {
  TENC_AUTO = 0, /* "detect it": accepted by tenc_to_utf8(), never a guess */
  TENC_UTF8,
  TENC_UTF16LE,
  TENC_UTF16BE,
  TENC_CP1258,
  TENC_VISCII,
  TENC_TCVN3,
  TENC_VNI,
  TENC_COUNT
} tenc_encoding;

typedef struct tenc_guess {
  tenc_encoding enc;           /* the best candidate */
  tenc_encoding runner_up;     /* the second best, TENC_AUTO if none decoded */
  int confidence;              /* 0..100: 100 for a BOM or valid UTF-8, else the score margin */
  int bom;                     /* 1 if the data starts with the encoding's byte-order mark */
  long score, runner_up_score; /* legacy candidates' scores (0 for BOM / UTF-8) */
} tenc_guess;

/* Canonical lower-case name ("utf-8", "tcvn3", "vni", ...); "auto" for TENC_AUTO. */
const char *tenc_name(tenc_encoding enc);

/* Name for people: "TCVN3 (ABC)", "VNI-Windows", "Windows-1258", ... */
const char *tenc_label(tenc_encoding enc);

/* Parses a name case-insensitively: utf-8 (utf8), utf-16le, utf-16be, cp1258
 * (windows-1258), viscii, tcvn3 (abc, tcvn), vni (vni-windows), auto.
 * HT_EINVAL for anything else. */
int tenc_parse(const char *name, tenc_encoding *out);

/* The accepted names, comma-separated, for usage messages. Static string. */
const char *tenc_accepted_names(void);

/*
 * Guesses the encoding of data[0..len). A UTF-8, UTF-16 LE or BE byte-order
 * mark decides; otherwise valid UTF-8 (checked over the whole input) is UTF-8;
 * otherwise each legacy encoding decodes the first TENC_SAMPLE bytes and is
 * scored on what comes out: words that are well-formed Vietnamese syllables
 * count for it, characters that do not occur in Vietnamese text (C1 controls,
 * symbols, box drawing, stray combining marks, non-Vietnamese letters) against
 * it. The best score wins; ties go to TCVN3, VNI, Windows-1258, VISCII in that
 * order (how common they are in Vietnamese offices).
 * Returns 0, or HT_EINVAL when no encoding decodes the sample (binary data);
 * *out is filled either way. O(len) for the UTF-8 check, O(TENC_SAMPLE) else.
 */
int tenc_detect(const void *data, size_t len, tenc_guess *out);

/*
 * Decodes data[0..len) from enc (TENC_AUTO: tenc_detect() first) into a new
 * NUL-terminated UTF-8 NFC string *out of *out_len bytes (out_len may be
 * NULL). A leading byte-order mark of the encoding is dropped.
 * HT_EINVAL with a message naming the byte offset, line and encoding for a
 * byte sequence that enc does not define, a NUL character or a truncated
 * character; HT_ELIMIT over TENC_MAX_INPUT; HT_ENOMEM. On failure *out is NULL.
 * O(len) time; memory about three times len at worst (plus utf8proc's NFC).
 */
int tenc_to_utf8(const void *data, size_t len, tenc_encoding enc, char **out, size_t *out_len,
                 ht_err *err);

#endif
