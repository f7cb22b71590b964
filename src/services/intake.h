/*
 * intake.h - importing households, persons, clans, learning units, a
 * title's assessments and the study-promotion funds' donors, donations and
 * beneficiaries from a CSV or XLSX file (docs/import.md).
 *
 * One pass over the file inside one write transaction: every row is checked
 * (types, ranges, codes that must exist, duplicates within the file, the
 * caller's scope) and, while no problem has been found, written (an upsert
 * by natural key, counted as added, changed or unchanged). At the end the
 * transaction commits only when there was no problem at all and this is not
 * a dry run; otherwise it rolls back, so a file with any error imports
 * nothing and a dry run reports exactly what an import would do.
 *
 * Problems name the sheet, row, column and value, with the reason in English
 * and in Vietnamese. The file is found by content: CSV in any accepted text
 * encoding, or an .xlsx workbook; the header row may sit below title rows.
 */
#ifndef HOCTAP_SERVICES_INTAKE_H
#define HOCTAP_SERVICES_INTAKE_H

#include "base/arena.h"
#include "base/err.h"
#include "criteria/crit.h"
#include "io/textenc.h"
#include "model/audit.h"
#include "services/intake_spec.h"
#include "store/db.h"

#define INTAKE_MAX_BYTES ((long long)100 * 1024 * 1024) /* the file */
#define INTAKE_MAX_ROWS 2000000L                        /* data rows */
#define INTAKE_MAX_CELLS 60000000LL                     /* data rows x columns */
#define INTAKE_HEADER_SCAN 30                           /* rows searched for the header */
#define INTAKE_PROBLEMS_KEPT 1000                       /* problems listed; all are counted */

typedef struct intake_opts {
  intake_kind kind;
  const char *path;  /* the file to read */
  const char *name;  /* the file as the user named it (messages, audit); NULL: path */
  const char *sheet; /* the sheet of a workbook; NULL: the first */
  const char *title; /* assessments: the title key */
  int year;          /* the year of the rows; 0: assessments take the rows', others this year */
  tenc_encoding enc; /* CSV text encoding; TENC_AUTO: detected */
  int dry_run;       /* check and count, write nothing */
  const crit_set *criteria;
  /* The caller's area: 1 when rows placed in unit_code may be written. NULL:
   * everywhere. */
  int (*in_scope)(void *ctx, const char *unit_code, int year);
  void *scope_ctx;
} intake_opts;

typedef struct intake_problem {
  long row;           /* 1-based row as the user sees it; 0: the whole file */
  int col;            /* 0-based column of the cell; -1: the whole row */
  const char *column; /* the column's machine key, or NULL */
  const char *value;  /* the cell's text, or NULL */
  const char *msg_en, *msg_vi;
} intake_problem;

/* A yearly record an import changed (for the server's engine). */
typedef struct intake_record {
  const char *title;  /* title key */
  const char *entity; /* as records.entity holds it */
} intake_record;

typedef struct intake_report {
  const char *file;   /* as named */
  const char *format; /* "csv" or "xlsx" */
  const char *sheet;  /* the sheet read (xlsx) */
  tenc_guess enc;     /* the text encoding read (csv) */
  int year;
  const char *title;
  long header_row;
  long rows, added, changed, unchanged;
  long donors_added;        /* donations: donors named by the rows and added with them */
  int dry_run, written;     /* written: committed */
  intake_problem *problems; /* the first INTAKE_PROBLEMS_KEPT, in file order */
  long nproblems;           /* kept */
  long problems_total;      /* found */
  /* What a written assessments import changed, so a cache of the year's
   * results can be updated record by record rather than rebuilt. */
  intake_record *records;
  size_t nrecords, records_cap;
  int64_t generation; /* the database generation the import's transaction started from */
} intake_report;

/*
 * Imports o->path as o->kind. Returns HT_OK when the file is clean (and,
 * unless a dry run, written), HT_EINVAL when it has problems (rep lists them;
 * nothing written), another code with err when the file cannot be read at all
 * or the database fails. Strings in rep come from a. Memory: the problems,
 * the natural keys of the file (for duplicates) and the codes looked up; the
 * file itself is streamed.
 */
int intake_run(db *d, const audit_actor *who, const intake_opts *o, arena *a, intake_report *rep,
               ht_err *err);

/*
 * Writes an .xlsx copy of the file read by intake_run (same o) with every
 * cell a problem points at highlighted and two columns added at the right:
 * the reasons in Vietnamese ("Lỗi") and in English ("Error"). Rows keep their
 * order; a row without problems is copied as it is. The reasons columns are
 * ignored when the file is imported again, so an officer can fix the copy and
 * upload it.
 */
int intake_write_errors(const intake_opts *o, const intake_report *rep, const char *out_path,
                        ht_err *err);

/* ---------------------------------------------------------------- forms */

/*
 * A form (docs/registry-forms.md): rows of households, persons, clans or
 * learning units given as cells (column key, text) rather than read from a
 * file, and checked and written by the import's own rules, parsers and
 * messages (worded for fields rather than cells of a file). Rows are written
 * as they are checked while no problem has been seen, inside a write
 * transaction the caller has begun and ends: it commits only when
 * rep->problems_total is 0, so a household and its members are written all
 * or nothing. Problems carry the row number the caller gave and the column
 * key. From o, only year (0: this year), in_scope and scope_ctx apply.
 * Memory: from a; intake_form_close releases the rest and must come before
 * the commit.
 */
typedef struct intake_form intake_form;

/* One field of a form row: the import's column key and the text typed. A
 * NULL value is an absent column (what is stored stays); "" clears an
 * optional value, as an empty cell does. */
typedef struct intake_cell {
  const char *key, *value;
} intake_cell;

int intake_form_open(db *d, const audit_actor *who, const intake_opts *o, arena *a,
                     intake_report *rep, intake_form **out);
/* The household a form's persons rows join: when its own row had problems
 * (and so was not written), its members are not also told it is unknown. */
void intake_form_household(intake_form *f, const char *code);
/* Checks and writes one row of kind (households, persons, clans or units).
 * person_id (persons): the stored member of the row's household it changes;
 * 0: a new person, or one matched as the import matches (citizen ID, else
 * name and birth year in the household). HT_OK (problems go to rep) or a
 * database error. */
int intake_form_row(intake_form *f, intake_kind kind, long row, const intake_cell *cells,
                    size_t ncells, int64_t person_id, ht_err *err);
/* A problem the caller found in the form's shape (a field of the wrong type,
 * a code already taken), counted with the others: nothing is written. */
void intake_form_problem(intake_form *f, long row, const char *key, const char *value,
                         const char *msg_en, const char *msg_vi);
void intake_form_close(intake_form *f);

/* The next free code of kind in the demo's shape (HH0000001, DH000001,
 * DV000001): one more than the greatest stored. Run it inside the write
 * transaction that uses the code. */
int intake_new_code(db *d, intake_kind kind, char *out, size_t size, ht_err *err);

#endif
