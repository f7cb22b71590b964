/*
 * intake_spec.h - what an import file (and its template) holds, kind by kind
 * (docs/import.md): the columns with their machine key, Vietnamese and
 * English header, the rule a header comment explains, the cell type and the
 * drop-down choices; and the parsers of cell values people type.
 *
 * The kinds: households, persons, clans, units (the learning units:
 * agencies, schools, enterprises, cooperatives, public-service units) and
 * assessments (a title's yearly records, one column per entered item of the
 * version of the title in force, generated from the criteria).
 *
 * Everything returned is static or comes from the caller's arena.
 */
#ifndef HOCTAP_SERVICES_INTAKE_SPEC_H
#define HOCTAP_SERVICES_INTAKE_SPEC_H

#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"
#include "criteria/crit.h"

typedef enum intake_kind {
  INTAKE_HOUSEHOLDS,
  INTAKE_PERSONS,
  INTAKE_CLANS,
  INTAKE_UNITS,
  INTAKE_ASSESSMENTS,
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
  IT_ITEM        /* an entered item of a title (yes/no, percentage, level, number) */
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
} intake_col;

/* "households", "persons", "clans", "units", "assessments". */
const char *intake_kind_name(intake_kind k);
/* Parses a kind name; HT_EINVAL with a message listing the kinds. */
int intake_kind_parse(const char *name, intake_kind *out, ht_err *err);
/* The Vietnamese name of a kind ("hộ gia đình"), for pages and file names. */
const char *intake_kind_label_vi(intake_kind k);

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
 * Vietnamese and the English header; an item column also matches a header
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

#endif
