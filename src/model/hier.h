/*
 * hier.h - the administrative hierarchy with its history (domain README §3).
 *
 * Levels and kinds are data (tables unit_levels, unit_kinds); a unit is a
 * code with one or more versions, each valid over an inclusive date range,
 * whose parent is whatever version of parent_code is valid on the same day.
 * Merges and splits are change records old_code -> new_code on a date.
 *
 * hier_load() reads everything into one arena-backed, read-only index so the
 * queries below are in-memory: a few thousand villages for a province, a few
 * hundred thousand nationally. The index is immutable once loaded and may be
 * shared between threads; reload it when the data change.
 */
#ifndef HOCTAP_MODEL_HIER_H
#define HOCTAP_MODEL_HIER_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/strmap.h"
#include "store/db.h"

typedef struct hier_level {
  const char *key; /* province, district, commune, village */
  int rank;        /* 1 = top */
  const char *name_vi, *name_en;
} hier_level;

typedef struct hier_kind {
  const char *key; /* tinh, thanh-pho-tw, quan, huyen, xa, phuong, thon, ... */
  const hier_level *level;
  const char *name_vi, *name_en;
} hier_kind;

typedef struct hier_unit { /* one version of a unit */
  int64_t id;
  const char *code, *name, *name_key, *parent_code; /* parent_code NULL for a root */
  const char *sort_key;                             /* vt_sort_key() of name */
  const hier_kind *kind;
  int32_t from_day, to_day; /* inclusive; to_day == DATE_OPEN when still valid */
  const char *groups;       /* '|'-separated keys, "" when none */
  size_t index;             /* position in hier.units */
} hier_unit;

typedef struct hier_change {
  int32_t day;
  const char *old_code, *new_code;
} hier_change;

typedef struct hier {
  arena mem;
  hier_level *levels;
  size_t nlevels;
  hier_kind *kinds;
  size_t nkinds;
  hier_unit *units; /* sorted by code, then from_day */
  size_t nunits;
  hier_change *changes; /* sorted by day, old_code, new_code */
  size_t nchanges;
  /* private indexes; values pack (start << 32 | count) */
  strmap by_code;      /* code -> its versions in units[] */
  strmap by_parent;    /* parent code ("" for roots) -> range of child_index[] */
  size_t *child_index; /* version indexes grouped by parent code */
} hier;

/* Writes the default levels and kinds for db_prov(d) if missing. */
int hier_seed_reference(db *d);

int hier_load(db *d, hier *h, ht_err *err);
void hier_free(hier *h);

const hier_kind *hier_kind_find(const hier *h, const char *key);
/* The version of code valid on day, or NULL. */
const hier_unit *hier_find(const hier *h, const char *code, int32_t day);
/* Every version of code (in validity order); *n = 0 when the code is unknown. */
const hier_unit *hier_versions(const hier *h, const char *code, size_t *n);
/* The parent version of u on day (NULL for a root or a dangling parent). */
const hier_unit *hier_parent(const hier *h, const hier_unit *u, int32_t day);
/* The units valid on day whose parent is code (or the roots when code is
 * NULL), in Vietnamese order of name (vt_sort_key: "Tổ dân phố 2" before
 * "Tổ dân phố 10", "Xã An" before "Xã Ân"), then code. Array from a.
 * O(children log children). */
size_t hier_children(const hier *h, const char *code, int32_t day, arena *a,
                     const hier_unit ***out);
/* The units valid on day whose name (diacritics and case ignored) or code
 * (case ignored) contains key, a vt_search_key(); in the order of
 * hier_children. Array from a. O(units). */
size_t hier_search(const hier *h, const char *key, int32_t day, arena *a, const hier_unit ***out);
/* Ancestors of u on day, root first, u excluded. Array from a. */
size_t hier_ancestors(const hier *h, const hier_unit *u, int32_t day, arena *a,
                      const hier_unit ***out);
/* Is u (valid on day) inside the subtree of ancestor_code on day (itself included)? */
int hier_is_within(const hier *h, const hier_unit *u, const char *ancestor_code, int32_t day);
/* Change records where code is the new (predecessors) or old (successors) unit. */
size_t hier_predecessors(const hier *h, const char *code, arena *a, const hier_change ***out);
size_t hier_successors(const hier *h, const char *code, arena *a, const hier_change ***out);

#endif
