/*
 * report.h - the reports of the learning-society programme (docs/reports.md),
 * each written as an Excel workbook (libxlsxwriter, with native charts) or a
 * PDF (cairo + pango, the same tables and charts), in Vietnamese:
 *
 *  - annual: a province's (or any unit's) yearly report to MOET and the
 *    association: per title the registered, criteria-met and recognised
 *    counts and rates, the target and the gap, for the unit and every unit
 *    evaluation_report_units() lists below it (communes; before the 2025
 *    reform districts with their communes), a generated summary of progress
 *    and of the units furthest behind, the registry sizes, the targets;
 *  - commune-dossier: a commune's self-assessment dossier for the
 *    learning-commune title: every criterion and indicator with the value
 *    entered, the level reached, the status and the evidence, the overall
 *    level, the record's stage and the reviewer's comment;
 *  - title-list: the entities a recognition decision recognised (the annex of
 *    the decision), or every decision of a unit and year one after another.
 *
 * Every figure comes from the dashboard model (services/dashboard.h), so a
 * report shows exactly what GET /api/v1/dashboard shows. The CLI (hoctap
 * report) and the server (GET /api/v1/reports/...) call the same functions;
 * names, evidence and decisions come from the database, unit names from the
 * hierarchy (no query per unit).
 *
 * Each function writes the whole file at path (created or replaced) and
 * keeps nothing; on failure the file may be partly written and the caller
 * removes it. Functions are reentrant: each call has its own workbook, PDF
 * surface and font map, so server threads may render at once.
 */
#ifndef HOCTAP_SERVICES_REPORT_H
#define HOCTAP_SERVICES_REPORT_H

#include <stdint.h>

#include "base/err.h"
#include "criteria/crit.h"
#include "criteria/targets.h"
#include "engine/engine.h"
#include "model/hier.h"
#include "services/dashboard.h"
#include "store/db.h"

typedef enum { REPORT_XLSX = 0, REPORT_PDF = 1 } report_format;

typedef enum { REPORT_ANNUAL = 0, REPORT_DOSSIER, REPORT_TITLE_LIST, REPORT_KINDS } report_kind;

/* "annual", "commune-dossier", "title-list" <-> report_kind; -1 when unknown. */
int report_kind_parse(const char *name);
const char *report_kind_name(report_kind k);
/* The format a file name asks for by its extension (.xlsx or .pdf, any
 * case); -1 for anything else. */
int report_format_of_path(const char *path);
const char *report_format_ext(report_format f);        /* "xlsx", "pdf" */
const char *report_format_media_type(report_format f); /* the Content-Type */

/* What a report reads. Everything is borrowed for the call. */
typedef struct report_src {
  db *d;                    /* entity names, records, evidence, decisions */
  const hier *h;            /* unit names and the tree */
  const crit_set *criteria; /* the titles (names, items) */
  const tgt_set *targets;   /* the programme targets */
  /* tables[y - DASH_FIRST_YEAR] for y = DASH_FIRST_YEAR .. year, as dash_build
   * takes them; the table of the report's year must be there (annual,
   * commune-dossier). */
  dash_table *const *tables;
  /* The year's evaluated engine (commune-dossier: the items' values, levels
   * and explanations); the caller holds whatever lock guards it. */
  engine *e;
} report_src;

typedef struct report_params {
  int year;
  const char *unit;    /* a unit code; NULL: the first root on 31 December (annual) */
  const char *targets; /* a target set key, or NULL for the set that applies */
  dash_basis basis;    /* which count is "the rate" (the dashboard's basis) */
  int province;        /* db_prov() */
  int64_t decision;    /* title-list: the decision, or 0 for every decision of unit and year */
  report_format format;
  int32_t today; /* the date printed as the report's date; 0: date_today() */
} report_params;

/* What a call produced, and what was wrong with the parameters. */
typedef struct report_info {
  /* On HT_EINVAL / HT_ENOTFOUND: the parameter at fault ("year", "unit",
   * "targets", "decision"); err has the reason in English and Vietnamese. */
  const char *param;
  int pages;     /* PDF pages */
  int sheets;    /* workbook sheets (the PDF's sections) */
  long rows;     /* table rows written, headers excluded */
  int units;     /* units reported on (annual), decisions listed (title-list) */
  char name[96]; /* a file name without extension: "bao-cao-nam-2025-31" */
} report_info;

/* The yearly report of p->unit (default: the first root) and the units below
 * it down to the communes. O(units listed x (children + titles)) dashboard
 * work plus the writing; no query per unit. */
int report_annual(const report_src *src, const report_params *p, const char *path,
                  report_info *info, ht_err *err);

/* The learning-commune dossier of commune p->unit for p->year (the title must
 * be in force then). O(items + evidence) plus the commune's dashboard. */
int report_dossier(const report_src *src, const report_params *p, const char *path,
                   report_info *info, ht_err *err);

/* The recognised entities of decision p->decision; with p->decision = 0,
 * every decision of year p->year taken by p->unit or a unit below it (oldest
 * first), one after another. O(certificates). src->tables and src->e are not
 * used. */
int report_title_list(const report_src *src, const report_params *p, const char *path,
                      report_info *info, ht_err *err);

/* Dispatches on kind. */
int report_write(report_kind kind, const report_src *src, const report_params *p, const char *path,
                 report_info *info, ht_err *err);

#endif
