/*
 * fund_rules.h - the rules of an award programme as text (docs/funds.md,
 * "Award programmes"; domain README §5).
 *
 * A programme's rules say who qualifies and how much, one statement a line:
 *
 *   rule national-prize 2.000.000 award "Học sinh đạt giải quốc gia"
 *     when achievement national-prize international-prize
 *   rule good-pupil 300.000 award "Học sinh giỏi"
 *     from registry
 *     when in-school
 *     when result tot
 *
 * A `rule` line gives the rule's key, the amount in whole đồng, the
 * disbursement's category and its reason (the memo of the entry). The
 * `when` lines below it are conditions that must all hold; a condition with
 * several values holds when any of them does. `from registry` lets the rule
 * also propose persons of the registry who are not beneficiaries yet, and
 * needs every condition to be one the registry can judge. The first rule
 * that matches a candidate wins: one award per candidate and batch.
 *
 * Memory: everything parsed comes from the caller's arena. Parsing is O(text);
 * matching a candidate is O(conditions).
 */
#ifndef HOCTAP_MODEL_FUND_RULES_H
#define HOCTAP_MODEL_FUND_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/issues.h"

#define FUND_RULES_MAX_BYTES (64 * 1024)
#define FUND_RULES_MAX_RULES 200

typedef enum fund_cond_kind {
  FUND_COND_ACHIEVEMENT = 0, /* values: the beneficiary has any of these achievements */
  FUND_COND_CIRCUMSTANCE,    /* values: the beneficiary is in any of these circumstances */
  FUND_COND_RESULT,          /* values: the registry's school result of the year is one of these */
  FUND_COND_IN_SCHOOL,       /* at school in the year (registry; by hand: a school is recorded) */
  FUND_COND_AGE,             /* lo..hi: the age reached in the year (year - birth year) */
  FUND_COND_BIRTH_YEAR,      /* lo..hi */
  FUND_COND_GRADE            /* lo..hi: the beneficiary's grade (the first number in it) */
} fund_cond_kind;

typedef struct fund_cond {
  fund_cond_kind kind;
  const char **values; /* achievement, circumstance, result */
  size_t nvalues;
  int lo, hi; /* age, birth-year, grade (inclusive) */
  int line;
  struct fund_cond *next;
} fund_cond;

typedef struct fund_rule {
  const char *key;
  int64_t amount;       /* whole đồng, 1 .. FUND_MAX_AMOUNT */
  const char *category; /* scholarship, award, support, gift */
  const char *reason;   /* NFC; the memo of each disbursement */
  int from_registry;    /* also proposes registry persons who are not beneficiaries */
  fund_cond *conds;     /* in file order; all must hold */
  int line;
  struct fund_rule *next;
} fund_rule;

typedef struct fund_rules {
  fund_rule *first; /* in file order: the first match wins */
  size_t count;
  int from_registry; /* some rule is `from registry` */
} fund_rules;

/* Parses text into out. Every problem goes to problems with its line and
 * column (English, with the Vietnamese in msg_vi) and the parse goes on, so
 * one run lists them all; HT_EINVAL when there was any. */
int fund_rules_parse(const char *text, size_t len, arena *a, fund_rules *out, issues *problems);

/* What is known of a candidate for the year a programme runs for. */
typedef struct fund_candidate {
  int is_beneficiary;        /* 0: a registry person who is not a beneficiary yet */
  const char *achievements;  /* '|' lists (beneficiaries), "" or NULL */
  const char *circumstances; /* '|' list */
  const char *school, *grade;
  int birth_year;     /* 0: unknown */
  int has_year;       /* the registry has the person's facts of the year (person_years) */
  int in_school;      /* registry, when has_year */
  const char *result; /* registry, when has_year: tot, kha, dat, chua-dat or "" */
} fund_candidate;

/* The first rule that c qualifies for in year, or NULL. A registry person
 * who is not a beneficiary is judged only by `from registry` rules. */
const fund_rule *fund_rules_match(const fund_rules *r, const fund_candidate *c, int year);

/* The key of a condition kind ("achievement", ...). */
const char *fund_cond_name(fund_cond_kind k);

#endif
