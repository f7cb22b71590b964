/*
 * regform.h - registering and changing a household with its members, a
 * clan or a learning unit from a form (docs/registry-forms.md).
 *
 * The same rules as the import decide (services/intake.h, the form API):
 * each object and each member is a row of the import's kind, given as
 * cells, checked by the import's parsers and written in ONE write
 * transaction opened here, so a household and its members are saved all or
 * nothing. The audit entry (household.create, household.update, clan.*,
 * organisation.*) with the object before and after is appended in the same
 * transaction; a save that changes nothing writes nothing, not even the
 * audit. Any committed save moves the database generation, so a server's
 * cached snapshot and results are loaded afresh on the next request.
 *
 * Memory: everything in the result comes from the caller's arena.
 */
#ifndef HOCTAP_SERVICES_REGFORM_H
#define HOCTAP_SERVICES_REGFORM_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "model/audit.h"
#include "model/registry.h"
#include "services/intake.h"
#include "store/db.h"

/* One member of a household form: the persons import's columns but
 * household_code (the form's household), and the stored person it changes. */
typedef struct regform_member {
  const intake_cell *cells;
  size_t ncells;
  int64_t person_id; /* 0: new, or matched as the import matches */
} regform_member;

typedef struct regform_req {
  intake_kind kind; /* INTAKE_HOUSEHOLDS, INTAKE_CLANS or INTAKE_UNITS */
  int create;       /* 1: a new object; 0: change the stored object `code` */
  const char *code; /* create: NULL for the next free code; a stored one is a problem */
  int year;         /* the year of the placement and of the members' facts */
  /* The object's columns (the import's keys), without its code. */
  const intake_cell *cells;
  size_t ncells;
  const regform_member *members; /* households */
  size_t nmembers;
  /* Problems the caller found in the request's shape (row 0: the object,
   * i + 1: member i): counted with the others, so nothing is written. */
  const intake_problem *extra;
  size_t nextra;
  int dry_run; /* check and roll back; the result shows the object as it would be */
  /* The caller's area, as for an import (intake_opts.in_scope); NULL: everywhere. */
  int (*in_scope)(void *ctx, const char *unit_code, int year);
  void *scope_ctx;
} regform_req;

typedef struct regform_result {
  const char *code;   /* the object's code (the one made for a new object) */
  int changed;        /* something was, or in a dry run would be, written */
  int written;        /* committed */
  intake_report rep;  /* problems: row 0 the object, row i + 1 member i; column: the import's key */
  int64_t generation; /* the database generation the save started from */
  /* The object as saved (or, in a dry run, as it would be), for the answer. */
  reg_household household;
  reg_clan clan;
  reg_org org;
} regform_result;

/*
 * Saves q. HT_OK: saved, unchanged or a clean dry run (res says which);
 * HT_EINVAL: res->rep lists the problems and nothing was written;
 * HT_ENOTFOUND: q->create is 0 and no object has q->code; HT_EBUSY: the
 * database is busy; another code with err on a database failure.
 */
int regform_save(db *d, const audit_actor *who, const regform_req *q, arena *a, regform_result *res,
                 ht_err *err);

#endif
