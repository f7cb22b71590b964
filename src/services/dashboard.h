/*
 * dashboard.h - where a unit stands against the programme targets
 * (docs/dashboard.md): per title the rates of a unit in a year, its children
 * ranked by rate with the gap to target, the units below it furthest behind,
 * the trend since 2022 (a unit created by the 2025 reform shows its
 * predecessors' combined figures for the years before it existed), and the
 * learning-citizen measures of QĐ 677. The dashboard API and every report
 * read this one model, so they show the same numbers.
 *
 * Two layers:
 *  - a dash_table is one year's counts for every administrative unit, taken
 *    from that year's evaluated engine (O(units x titles + persons)); the
 *    server keeps one per year and rebuilds it when the engine changes;
 *  - a dashboard is built from the tables (one per year of the trend) and the
 *    targets for one unit, in O(children x titles + descendants x titles).
 *
 * Two counts of success are kept side by side: `meets` (the engine's
 * evaluation: the criteria are met on the data entered; live) and
 * `recognised` (a decision recognised it and its certificate is valid on 31
 * December of the year, not revoked). The `basis` chooses which one the rate,
 * the ranking and the gap use.
 */
#ifndef HOCTAP_SERVICES_DASHBOARD_H
#define HOCTAP_SERVICES_DASHBOARD_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/strmap.h"
#include "criteria/crit.h"
#include "criteria/targets.h"
#include "engine/engine.h"
#include "model/hier.h"

#define DASH_FIRST_YEAR 2022 /* the first year of the trend */
#define DASH_MAX_YEARS 16
#define DASH_BEHIND_MAX 10 /* units listed as furthest behind, per title */

typedef enum { DASH_BASIS_EVALUATION = 0, DASH_BASIS_DECISION = 1 } dash_basis;

/* The QĐ 677 learning-citizen measures (targets/qd-677.tgt). */
enum {
  DASH_M_ADULTS = 0, /* cong-dan-hoc-tap-nguoi-lon: adults (18+) who are learning citizens */
  DASH_M_STAFF,      /* cong-dan-hoc-tap-don-vi: members of organisations who are */
  DASH_M_DIGITAL,    /* ky-nang-so: learning citizens with digital skills (i5 >= 7) */
  DASH_M_PROFICIENT, /* ky-nang-so-thanh-thao: of those, proficient (i5 >= 9) */
  DASH_MEASURES
};

/* ------------------------------------------------------------ year tables */

typedef struct dash_count {
  int32_t eligible, registered, meets, recognised, level2;
  uint8_t applies; /* the title's entities can lie at or below the unit */
} dash_count;

typedef struct dash_row {
  const char *code;
  crit_entity kind;               /* the engine's admin kind */
  dash_count *c;                  /* [table.ntitles] */
  int32_t m[2][DASH_MEASURES][2]; /* [basis][measure][0 numerator, 1 denominator] */
} dash_row;

typedef struct dash_table {
  arena mem;
  uint64_t serial; /* unique to this build of the table (process-wide counter) */
  int year;
  int ntitles;
  const crit_title **titles; /* in the engine's evaluation order */
  size_t nrows;
  dash_row *rows;
  strmap by_code; /* unit code -> row index */
} dash_table;

/* One year's counts for every unit of the evaluated engine e. O(units x
 * titles + persons + organisation members). Caller frees with dash_table_free. */
int dash_table_build(const engine *e, dash_table **out, ht_err *err);
void dash_table_free(dash_table *t);
const dash_row *dash_table_row(const dash_table *t, const char *code);
int dash_table_title(const dash_table *t, const char *key); /* index or -1 */

/* ------------------------------------------------------------ the dashboard */

typedef struct dash_figure {
  int32_t eligible, registered, meets, recognised, level2;
  double registered_rate, meets_rate, recognised_rate; /* NAN when nobody is eligible */
  double rate;                                         /* meets_rate or recognised_rate (basis) */
  double target;                                       /* NAN when no target applies */
  int target_year;                                     /* the milestone, 0 when none */
  const char *target_set;                              /* the target set's key, or NULL */
  const char *target_group;                            /* the unit group whose value applies */
  double gap;                                          /* target - rate; NAN without either */
} dash_figure;

typedef struct dash_unit {
  const hier_unit *unit;
  const char *parent_name; /* the unit it lies in (behind lists), or NULL */
  int has_children;        /* units below it on 31 December */
  dash_figure *fig;        /* used while ranking; NULL afterwards (see dash_ranked.fig) */
} dash_unit;

typedef struct dash_ranked { /* one title's units, best first (children) or worst first (behind) */
  size_t n;
  dash_unit *units;
  dash_figure *fig; /* [n]: the title's figure of units[i] */
} dash_ranked;

typedef struct dash_point {
  int year;
  int available;     /* 0: no data for the year (no table, or the unit and its
                        predecessors did not exist) */
  int combined;      /* 1: summed over the predecessors that existed then */
  int shared;        /* 1: a predecessor was split, so part of it went elsewhere */
  const char **from; /* combined: the predecessors' codes */
  const char **from_names;
  size_t nfrom;
  dash_figure fig;
} dash_point;

typedef struct dash_title {
  const crit_title *t;
  int table_title;      /* index in the year's table */
  dash_figure fig;      /* the unit's own */
  dash_ranked children; /* children where the title applies, by rate, highest first */
  dash_ranked behind;   /* the units below furthest behind (largest gap), at most DASH_BEHIND_MAX */
  size_t ntrend;
  dash_point *trend; /* DASH_FIRST_YEAR .. year */
} dash_title;

typedef struct dash_measure {
  const char *key, *name, *name_en;
  int32_t numerator, denominator;
  double rate;   /* NAN when the denominator is 0 */
  double target; /* NAN when none */
  int target_year;
  const char *target_set;
} dash_measure;

typedef struct dashboard {
  arena mem;
  int year;
  dash_basis basis;
  const char *targets; /* the target set asked for, or NULL for the applicable one */
  const hier_unit *unit;
  size_t nancestors;
  const hier_unit **ancestors; /* root first */
  size_t nchildren;
  dash_unit *children; /* the unit's children on 31 December, in name order */
  int ntitles;
  dash_title *titles; /* titles whose entities lie at or below the unit */
  dash_measure measures[DASH_MEASURES];
  int nmeasures; /* DASH_MEASURES when the learning-citizen title is in force, else 0 */
} dashboard;

typedef struct dash_params {
  int year;
  const char *unit;    /* code; NULL = the first root on 31 December */
  const char *targets; /* a target set key, or NULL */
  dash_basis basis;
  int province;
} dash_params;

/* tables[y - DASH_FIRST_YEAR] is the table of year y or NULL (y = DASH_FIRST_YEAR
 * .. p->year); the table of p->year must be there. HT_ENOTFOUND when the unit
 * does not exist on 31 December of the year or the target set is unknown (err
 * says which). Free with dash_free. */
int dash_build(dashboard *out, const hier *h, const tgt_set *targets, const dash_params *p,
               dash_table *const *tables, ht_err *err);
void dash_free(dashboard *d);

/* "evaluation" / "decision" <-> dash_basis; -1 when unknown. */
int dash_basis_parse(const char *s);
const char *dash_basis_name(dash_basis b);

#endif
