/*
 * intake_int.h - the import's private state and row helpers, shared by
 * intake.c (the run, the registry kinds, assessments, forms, the errors
 * workbook) and intake_fund.c (donors, donations, beneficiaries). Not for
 * use outside src/services/intake*.c.
 *
 * A row function reads the current row's cells through the helpers below,
 * reports every problem with intake__prob (which names the row and column),
 * and writes only while no problem has been seen in the file
 * (intake__failing). Strings of one row come from x->row, emptied after each
 * row; problems and cached lookups from x->a.
 */
#ifndef HOCTAP_SERVICES_INTAKE_INT_H
#define HOCTAP_SERVICES_INTAKE_INT_H

#include <jansson.h>

#include "base/strmap.h"
#include "services/intake.h"
#include "services/intake_table.h"

#define INTAKE__CODE_MAX 40   /* bytes of a code */
#define INTAKE__NAME_MAX 200  /* bytes of a name */
#define INTAKE__TEXT_MAX 1000 /* bytes of an address */
#define INTAKE__STMTS 32      /* prepared statements of intake.c */

/* A household as a persons row needs it. */
typedef struct hh_info {
  int64_t id;
  const char *village; /* in the import's year; NULL when not placed */
  long without_cid;    /* its persons without a citizen ID (kept up to date) */
} hh_info;

/* A person of the registry as a row needs it (strings from the row arena). */
typedef struct person_row {
  int64_t id, household_id;
  const char *full_name, *gender, *citizen_id;
  int birth_year;
} person_row;

struct intake_fund; /* intake_fund.c */

typedef struct ix {
  db *d;
  const audit_actor *who;
  const intake_opts *o;
  arena *a;  /* the report's: problems, cached codes */
  arena row; /* one row's temporaries, emptied after each row */
  intake_report *rep;
  const crit_title *title;
  const intake_col *cols;
  size_t ncols;
  int *index; /* per column: its cell in the row, -1 when absent */
  int year;
  char year_end[11]; /* YYYY-12-31 */
  const intake_row *cur;
  db_stmt *stmt[INTAKE__STMTS];
  strmap seen;   /* natural keys of the rows read */
  strmap levels; /* unit code -> level rank + 1 (0: no unit that year) */
  strmap clans;  /* clan code -> id + 1 (0: unknown) */
  strmap hhs;    /* household code -> index into hh + 1 (0: unknown) */
  strmap scope;  /* unit code -> 1 inside the caller's area, 0 outside */
  hh_info *hh;
  size_t nhh, hh_cap;
  issues recp; /* records' own problems (mapped into the report) */
  int this_year;
  /* A form (intake_form_*) rather than a file: messages speak of fields,
   * not rows and columns. */
  int form;
  const char *form_household; /* the household a form's members join */
  int64_t person_id;          /* persons: the stored person a form row changes; 0: matched */
  struct intake_fund *fund;   /* the fund kinds' state; NULL for the others */
} ix;

/* Both messages of a problem, formatted from the problems' arena. */
#define F(x, ...) arena_sprintf((x)->a, __VA_ARGS__)

/* ----------------------------------------------------------- problems */

/* A problem at row, cell col (-1: the whole row) of column key column. */
void intake__problem(ix *x, long row, int col, const char *column, const char *value,
                     const char *en, const char *vi);
/* A problem with column c (-1: the whole row) of the current row. */
void intake__prob(ix *x, int c, const char *en, const char *vi);
/* Has the file had a problem yet? Rows are written only while it has not. */
int intake__failing(const ix *x);
/* A required cell left empty. */
void intake__empty_required(ix *x, int c);
/* What the caller may write, after "... is outside your area; ". */
const char *intake__only_yours_en(const ix *x);
/* Reports what (named in English and Vietnamese) as a duplicate of row first. */
void intake__duplicate(ix *x, int c, long first, const char *what_en, const char *what_vi);

/* ---------------------------------------------------------------- cells */

/* The column of key, or -1. */
int intake__col_of(const ix *x, const char *key);
/* Is column c in the file? */
int intake__present(const ix *x, int c);
/* The text of column c, trimmed, from the row arena ("" when absent or empty). */
const char *intake__cell(ix *x, int c);
/* A code: NULL when empty (reported when required) or not a code (reported). */
const char *intake__code_cell(ix *x, int c);
/* A name or text, cleaned (NFC, single spaces), at most max bytes; NULL when
 * empty (reported when required) or bad (reported). */
const char *intake__name_cell(ix *x, int c, size_t max);
/* The accent-free search key of s, from the row arena. */
char *intake__fold_key(ix *x, const char *s);
/* A year in 1900..this year; 0 when empty (reported when required) or bad. */
int intake__year_cell(ix *x, int c);
/* A citizen ID: NULL when empty or bad (reported). */
const char *intake__cid_cell(ix *x, int c);
/* The row where the file first had key, or 0 when it is new (it is then
 * remembered for the rows after). */
long intake__seen_on(ix *x, const char *key);

/* ------------------------------------------------------------- database */

enum { LV_NONE = 0, LV_VILLAGE, LV_COMMUNE, LV_DISTRICT, LV_PROVINCE };

/* The level of the unit code on 31 December of the import's year (cached). */
int intake__unit_level(ix *x, const char *code);
/* Is the unit inside the caller's area (cached)? 1 when there is no scope. */
int intake__in_scope(ix *x, const char *unit);
/* A household code's id and village in the year (cached); NULL when unknown. */
hh_info *intake__household(ix *x, const char *code);
/* The person with this citizen ID; 0 when none. */
int intake__person_by_cid(ix *x, const char *cid, person_row *p);
/* The member of household_id with this name key and birth year (one without
 * a citizen ID first, then the oldest); 0 when none. */
int intake__person_by_name(ix *x, int64_t household_id, const char *name_key, int birth_year,
                           person_row *p);
/* Counts a row as added, changed or unchanged (REC_*). */
void intake__count(ix *x, int outcome);
/* A database failure while writing the current row. */
int intake__db_fail(ix *x, ht_err *err);

/* --------------------------------------------------------- fund kinds */

/* intake_fund.c: checks and writes the current row of a donors, donations
 * or beneficiaries file. */
int intake__row_donor(ix *x, ht_err *err);
int intake__row_donation(ix *x, ht_err *err);
int intake__row_beneficiary(ix *x, ht_err *err);
/* Adds what a donations import posted to its audit entry: per fund the
 * receipts and their amount, the total, the donors added. */
void intake__fund_audit(ix *x, json_t *after);
/* Finalises the fund kinds' statements (before COMMIT); safe to call twice. */
void intake__fund_release(ix *x);
/* Releases the fund kinds' state (with the import's). */
void intake__fund_free(ix *x);

#endif
