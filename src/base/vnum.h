/*
 * vnum.h - whole numbers in Vietnamese words, as an amount is written out on
 * a receipt or a voucher ("số tiền bằng chữ"): 1500000 -> "một triệu năm
 * trăm nghìn", 2005000 -> "hai triệu không trăm linh năm nghìn".
 *
 * The rules (docs/funds.md, "Amounts in words"):
 *   - groups of three digits named nghìn (10^3), triệu (10^6), tỷ (10^9); above
 *     a thousand tỷ the names repeat: "một nghìn tỷ", "một triệu tỷ";
 *   - a group of zeros is left out ("một triệu", "một tỷ không trăm linh năm");
 *     a group after the first reads its hundreds even when they are zero
 *     ("một nghìn không trăm mười");
 *   - a zero ten before a unit is "linh" ("một trăm linh năm"; "lẻ" with
 *     VNUM_LE);
 *   - ten is "mười", a ten of twenty or more "mươi" ("hai mươi");
 *   - after "mươi": 1 is "mốt" ("hai mươi mốt"), 4 is "tư" ("hai mươi tư";
 *     "bốn" with VNUM_BON), 5 is "lăm" ("nhăm" with VNUM_NHAM); after "mười"
 *     5 is "lăm" ("mười lăm") and 1, 4 keep their names ("mười một", "mười
 *     bốn"); after "linh" every digit keeps its name ("một trăm linh một").
 *
 * Output is UTF-8 NFC, lower case, words separated by one space.
 */
#ifndef HOCTAP_BASE_VNUM_H
#define HOCTAP_BASE_VNUM_H

#include <stddef.h>
#include <stdint.h>

enum {
  VNUM_LE = 1,   /* "lẻ" for a zero ten (southern use); default "linh" */
  VNUM_NGAN = 2, /* "ngàn" for a thousand (southern use); default "nghìn" */
  VNUM_BON = 4,  /* 4 after "mươi" as "bốn"; default "tư" */
  VNUM_NHAM = 8  /* 5 after "mươi" as "nhăm"; default "lăm" */
};

/* Enough for any int64_t in words, whatever the flags. */
#define VNUM_WORDS_MAX 512

/* Writes v in words into buf (size bytes, at least VNUM_WORDS_MAX for any
 * value; a smaller buffer gets the words cut at a word's end). A negative v
 * starts with "âm". Returns buf. O(digits). */
char *vnum_words(int64_t v, int flags, char *buf, size_t size);
/* An amount of money as written on a receipt: the words with a capital
 * letter and "đồng" ("Một triệu năm trăm nghìn đồng"). Returns buf. */
char *vnum_dong(int64_t v, int flags, char *buf, size_t size);

#endif
