/*
 * intake_spec.h - what an import file (and its template) holds, kind by kind
 * (docs/import.md): the columns with their machine key, Vietnamese and
 * English header, the rule a header comment explains, the cell type and the
 * drop-down choices; and the parsers of cell values people type.
 *
 * The kinds: households, persons, clans, units (the learning units:
 * agencies, schools, enterprises, cooperatives, public-service units),
 * assessments (a title's yearly records, one column per entered item of the
 * version of the title in force, generated from the criteria), and the
 * study-promotion funds' donors, donations (receipts) and beneficiaries
 * (docs/funds.md).
 *
 * Everything returned is static or comes from the caller's arena.
 */
#ifndef HOCTAP_SERVICES_INTAKE_SPEC_H
#define HOCTAP_SERVICES_INTAKE_SPEC_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "criteria/crit.h"

typedef enum intake_kind {
  INTAKE_HOUSEHOLDS,
  INTAKE_PERSONS,
  INTAKE_CLANS,
  INTAKE_UNITS,
  INTAKE_ASSESSMENTS,
  INTAKE_DONORS,
  INTAKE_DONATIONS,
  INTAKE_BENEFICIARIES,
  INTAKE_KIND_COUNT
} intake_kind;

typedef enum intake_type {
  IT_CODE,       /* a code: letters, digits, '-', '_', '.', '/' */
  IT_NAME,       /* a person's or place's name (cleaned, NFC) */
  IT_TEXT,       /* free text (an address) */
  IT_YEAR,       /* a year: 1900..this year */
  IT_YESNO,      /* có/không, x/blank, 1/0, yes/no, true/false */
  IT_GENDER,     /* nam/nữ, male/female */
  IT_GRADE,      /* tốt/khá/đạt/chưa đạt */
  IT_INT,        /* a whole number in min..max */
  IT_CITIZEN_ID, /* 12 digits with a valid province prefix */
  IT_ORG_KIND,   /* a learning unit's kind */
  IT_REGISTERED, /* yes/no, or the date of registration */
  IT_ITEM,       /* an entered item of a title (yes/no, percentage, level, number) */
  IT_DONOR_KIND, /* cá nhân, gia đình, dòng họ, doanh nghiệp, tổ chức, ẩn danh */
  IT_DATE,       /* a day: DD/MM/YYYY, YYYY-MM-DD or a date cell */
  IT_AMOUNT,     /* whole đồng: 1500000, 1.500.000, 1,500,000 đ */
  IT_METHOD,     /* tiền mặt, chuyển khoản */
  IT_PHONE,      /* a telephone number */
  IT_TAGS        /* a list of words of a fixed vocabulary (circumstances, achievements) */
} intake_type;

typedef struct intake_col {
  const char *key;               /* machine key (household_code, C1c, i10) */
  const char *header_vi;         /* the template's header */
  const char *header_en;         /* English header (exports with --lang en) */
  const char *rule_vi, *rule_en; /* what the cell must hold: the header comment */
  intake_type type;
  int required;               /* the column must be present and the cell filled */
  int min, max;               /* IT_INT */
  const char *const *choices; /* drop-down values (Vietnamese), NULL-terminated; or NULL */
  const crit_item *item;      /* IT_ITEM */
  const char *const *aliases; /* other headers people write (folded), NULL-terminated; or NULL */
  int open_choices;           /* the drop-down suggests; other text is allowed (lists, dates) */
} intake_col;

/* "households", "persons", "clans", "units", "assessments", "donors",
 * "donations", "beneficiaries". */
const char *intake_kind_name(intake_kind k);
/* Parses a kind name; HT_EINVAL with a message listing the kinds. */
int intake_kind_parse(const char *name, intake_kind *out, ht_err *err);
/* The Vietnamese name of a kind ("hộ gia đình"), for pages and file names. */
const char *intake_kind_label_vi(intake_kind k);
/* Donors, donations, beneficiaries: the kinds of the funds (funds.write). */
int intake_kind_is_fund(intake_kind k);

/* The columns of kind in template order. For INTAKE_ASSESSMENTS, t is the
 * version of the title in force (required; otherwise ignored): a person
 * title gets citizen_id, household_code, full_name, birth_year, year,
 * registered, group and its items; any other title code, year, registered
 * and its entered items. Columns come from a (the item columns' headers and
 * rules are built from the criteria). */
void intake_columns(intake_kind k, const crit_title *t, arena *a, const intake_col **cols,
                    size_t *n);

/* Does the text of a header cell name column c? Compared without
 * diacritics, case or surrounding space, against the machine key, the
 * Vietnamese and the English header and the aliases; an item column also
 * matches a header
 * that starts with its key followed by a space, '.', ':' or a dash
 * ("C1c. Gia đình có tủ sách"). folded is vt_search_key() of the cell. */
int intake_header_matches(const intake_col *c, const char *folded);

/* --------------------------------------------------------- cell values */

/* 1 or 0 from có/không, co/khong, c/k, x, yes/no, y/n, true/false, đúng/sai,
 * 1/0 (any case; blank = 0). HT_EINVAL otherwise. */
int intake_parse_yesno(const char *s, int *out);
/* "nam" or "nu" from nam/nữ/nu/male/female/m/f. HT_EINVAL otherwise. */
int intake_parse_gender(const char *s, const char **out);
/* "tot", "kha", "dat", "chua-dat" from tốt/khá/đạt/chưa đạt (any case,
 * with or without diacritics; "chua dat", "chưa-đạt"), or the English
 * good/fair/pass/fail. HT_EINVAL otherwise. */
int intake_parse_grade(const char *s, const char **out);
/* A whole number: "12", "12.0" (as a spreadsheet writes numbers), with
 * optional spaces. HT_EINVAL otherwise. */
int intake_parse_int(const char *s, long *out);
/* A 12-digit citizen ID whose first 3 digits are a province code of the
 * Ministry of Public Security's list (001 Hà Nội ... 096 Cà Mau). Returns 0
 * when valid, 1 when not 12 digits, 2 when the prefix is not a province. */
int intake_check_citizen_id(const char *s);
/* A date as people write it: YYYY-MM-DD (also a spreadsheet's date cell),
 * DD/MM/YYYY or D/M/YYYY, DD-MM-YYYY, DD.MM.YYYY; writes YYYY-MM-DD into
 * iso[11]. HT_EINVAL otherwise. */
int intake_parse_date(const char *s, char iso[11]);
/* A learning unit's kind key (co-quan, truong-hoc, doanh-nghiep, hop-tac-xa,
 * don-vi-su-nghiep) from the key or its Vietnamese name ("Trường học").
 * HT_EINVAL otherwise. */
int intake_parse_org_kind(const char *s, const char **out);
/* The Vietnamese name of a learning unit's kind key, or the key itself. */
const char *intake_org_kind_label(const char *key);
/* A stored grade key (tot, kha, dat, chua-dat) as people write it (tốt, khá,
 * đạt, chưa đạt), or the key itself. */
const char *intake_grade_label(const char *key);

/* ------------------------------------------------------ fund cell values */

/* How an amount cell failed to parse. */
enum {
  INTAKE_AMOUNT_OK = 0,
  INTAKE_AMOUNT_BAD,      /* not a number of đồng */
  INTAKE_AMOUNT_FRACTION, /* 1.500.000,5 or 1500000.5: there are no fractions of a đồng */
  INTAKE_AMOUNT_NOT_POSITIVE,
  INTAKE_AMOUNT_TOO_LARGE /* above FUND_MAX_AMOUNT (model/fund.h) */
};
/* An amount of whole đồng as people write it: 1500000, 1.500.000, 1,500,000
 * or 1 500 000 (groups of three after the first), a "đ", "₫", "đồng" or
 * "VND" after it; a decimal part of one or two zeros ("1500000.00", a
 * spreadsheet's number) is accepted, other decimals are a fraction. "1.500"
 * is fifteen hundred (the Vietnamese thousands separator); "1.5" and "1,50"
 * are fractions; "1500,000" and "1.500,000" are refused as ambiguous.
 * INTAKE_AMOUNT_* */
int intake_parse_amount(const char *s, int64_t *out);
/* A donor kind key (person, family, clan, enterprise, organisation,
 * anonymous) from the key or its Vietnamese name (cá nhân, gia đình, dòng
 * họ, doanh nghiệp, tổ chức, ẩn danh). HT_EINVAL otherwise. */
int intake_parse_donor_kind(const char *s, const char **out);
const char *intake_donor_kind_label(const char *key);
/* "cash" or "bank" from tiền mặt/TM/cash, chuyển khoản/CK/ngân hàng/bank. */
int intake_parse_method(const char *s, const char **out);
const char *intake_method_label(const char *key);
/* Is the text a donor's name that means "no name" (ẩn danh, anonymous,
 * không ghi tên)? */
int intake_is_anonymous_name(const char *s);
/* A telephone number: digits with spaces, dots, dashes, brackets and a
 * leading +, 8 to 15 digits. 0 when valid. */
int intake_check_phone(const char *s);
/* The words of an IT_TAGS column: circumstances or achievements. */
typedef enum { INTAKE_TAGS_CIRCUMSTANCES, INTAKE_TAGS_ACHIEVEMENTS } intake_tags;
/* A list of words separated by ',', ';', '|', '+' or line breaks (hộ nghèo,
 * mồ côi; học sinh giỏi, giải quốc gia), each a Vietnamese word or its key
 * (poor, orphan; excellent, national-prize), into the keys joined by '|' in
 * the vocabulary's order, each once (from a). HT_EINVAL with *bad the first
 * word not known (from a). */
int intake_parse_tags(intake_tags which, const char *s, arena *a, const char **keys,
                      const char **bad);
/* A '|' list of keys as people write it: "hộ nghèo, mồ côi" (from a). */
const char *intake_tags_label(intake_tags which, const char *keys, arena *a);
/* The Vietnamese words of a vocabulary joined by ", " (static). */
const char *intake_tags_words(intake_tags which);

#endif
