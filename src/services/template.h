/*
 * template.h - import templates (docs/import.md, "Templates"): for one kind
 * of import file, a workbook or CSV whose header row is exactly what the
 * importer reads (the columns of services/intake_spec.h, for assessments one
 * per entered item of the title version in force). The XLSX template also
 * has a title row, a comment on each header explaining its rule, drop-downs
 * for yes/no and enum columns, text columns for codes and IDs and a frozen
 * header. With a unit, it is prefilled with that unit's registry rows for
 * the year (and for assessments, each entity's current registration and
 * entered values), ready to be corrected and imported back.
 *
 * Shared by `hoctap template` and GET /api/v1/templates/{kind}.xlsx|.csv.
 * Memory: the plan and everything it points to come from the caller's arena
 * and the hierarchy and criteria it was made from, which must outlive it.
 */
#ifndef HOCTAP_SERVICES_TEMPLATE_H
#define HOCTAP_SERVICES_TEMPLATE_H

#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"
#include "criteria/crit.h"
#include "io/table_out.h"
#include "model/hier.h"
#include "services/intake_spec.h"
#include "store/db.h"

typedef struct tmpl_request {
  intake_kind kind;
  const char *title; /* assessments: a title key (required); otherwise ignored */
  int year;          /* the year the rows are for */
  const char *unit;  /* prefill with this unit's subtree; NULL or "": an empty template */
} tmpl_request;

typedef struct tmpl_plan {
  intake_kind kind;
  int year;
  const crit_title *title; /* assessments: the version in force; otherwise NULL */
  const hier_unit *unit;   /* the unit on 31 December of the year, or NULL: empty */
  const hier *h;
  const intake_col *cols;
  size_t ncols;
  arena *a;
} tmpl_plan;

/* Checks req against the hierarchy and the criteria (province: the
 * database's) and fills out. On a bad request returns HT_EINVAL or
 * HT_ENOTFOUND with a message in err, and *param names what is wrong:
 * "title" (missing, unknown, not in force in the year) or "unit" (unknown,
 * not valid on 31 December of the year). */
int tmpl_plan_make(const hier *h, const crit_set *set, int province, const tmpl_request *req,
                   arena *a, tmpl_plan *out, const char **param, ht_err *err);

/* Would the prefilled template hold personal data (persons' names and
 * citizen IDs, heads of households)? Persons, households and assessments of
 * a person title, with a unit; an empty template never does. */
int tmpl_personal(const tmpl_plan *p);

/* A file name without extension, ASCII: "mau-households-11001-2025",
 * "mau-gia-dinh-hoc-tap-2025". */
const char *tmpl_file_name(const tmpl_plan *p);

/* Writes the template to out, just opened (io/table_out.h): as a workbook
 * with its title row, commented headers, drop-downs and text columns, or as
 * CSV (the header row, then the rows). *rows gets the number of prefilled
 * rows. HT_EDB with err when the database cannot be read; write errors are
 * tbl_close()'s. */
int tmpl_write(db *d, const tmpl_plan *p, tbl_out *out, long *rows, ht_err *err);

#endif
