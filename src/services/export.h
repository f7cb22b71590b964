/*
 * export.h - every list and rollup of the product as a table (io/table_out.h:
 * CSV for Excel or a streamed .xlsx), shared by `hoctap export` and the web
 * downloads so that both give the same columns and rows (docs/cli.md,
 * "hoctap export"; docs/api.md).
 *
 * Headers are Vietnamese, or English with en set; the English headers of the
 * registry lists are the machine keys that the importers accept, so an
 * exported file can be edited and imported again. Rows are written as they
 * are read from the database or the engine: nothing holds a whole table.
 * Each function returns HT_OK or an error with a message in err; o is left
 * open for the caller to close.
 */
#ifndef HOCTAP_SERVICES_EXPORT_H
#define HOCTAP_SERVICES_EXPORT_H

#include "engine/engine.h"
#include "io/table_out.h"
#include "model/accounts.h"
#include "model/audit.h"
#include "model/hier.h"
#include "model/unit_counts.h"
#include "services/evaluation.h"
#include "store/db.h"

/* Which rows a registry export keeps: those placed (on day) at or below
 * unit (NULL: everywhere) and, when keep is set, in a unit keep accepts
 * (a web user's scope). */
typedef struct export_where {
  const hier *h;
  const char *unit;
  int32_t day;
  int (*keep)(void *ctx, const char *unit_code);
  void *keep_ctx;
  const char *household; /* export_persons: only this household's members (NULL: all) */
} export_where;

/* units[0..n) (valid on day) with code, name, kind, parent, validity and
 * groups; with counts (may be NULL) also the registry counts below each
 * unit and its number of child units. */
int export_units(tbl_out *o, const hier *h, const hier_unit *const *units, size_t n,
                 const unit_counts *counts, int32_t day, int en, arena *a);
/* The subtree of root (NULL: every root) valid on day, depth first, children
 * by name: the order of the hierarchy page. Array from a. */
size_t export_subtree(const hier *h, const char *root, int32_t day, arena *a,
                      const hier_unit ***out);

/* The registry of year: households (with their village and clan that year),
 * persons who are members that year (with that year's facts), clans,
 * organisations (with the unit managing them on w->day). full_ids: citizen
 * IDs in full, else masked. */
int export_households(tbl_out *o, db *d, const export_where *w, int year, int en, ht_err *err);
int export_persons(tbl_out *o, db *d, const export_where *w, int year, int full_ids, int en,
                   ht_err *err);
int export_clans(tbl_out *o, db *d, const export_where *w, int en, ht_err *err);
int export_organisations(tbl_out *o, db *d, const export_where *w, int en, ht_err *err);

/* The results list of title for entities ents[0..n) (evaluation_entities):
 * code, name, for persons the citizen ID (full or masked) and age, eligible,
 * registered, evaluated, each item's result, total or level, recognised. */
int export_results(tbl_out *o, db *d, const engine *e, const hier *h, int title,
                   const int32_t *ents, int32_t n, int full_ids, int en);

/* The rollup: per unit of units[0..n) and title (title < 0: every title),
 * eligible, registered, evaluated and recognised counts, the rates and the
 * target, the numbers of `hoctap evaluate`. */
int export_rollup(tbl_out *o, const engine *e, const hier *h, const hier_unit *const *units,
                  size_t n, int title, eval_target_fn target, void *tctx, int en);

/* The audit entries matching f, newest first. */
int export_audit(tbl_out *o, db *d, const audit_filter *f, int en, ht_err *err);

/* The accounts that keep (may be NULL) accepts, by username. */
int export_users(tbl_out *o, db *d, int (*keep)(void *ctx, const acct_user *u), void *ctx, int en,
                 ht_err *err);

#endif
