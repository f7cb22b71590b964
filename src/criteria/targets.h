/*
 * targets.h - programme targets as data (docs/targets-format.md).
 *
 * A targets file holds one or more target sets: the rates a decision (QĐ
 * 387/QĐ-TTg, ...) or a province's own plan sets for a milestone year, per
 * measure and optionally per unit group ("difficult"). A measure is either a
 * title key (the share of entities holding that title) or a named measure
 * declared in the same file with `measure KEY "…" "…"`. Every target carries
 * its provenance (source or assumed).
 *
 * Memory: everything hangs off the tgt_set's arena; tgt_set_free() frees it.
 * Lookups walk the lists: O(targets) per tgt_applicable() call, which is
 * nothing next to the few hundred lines a deployment holds.
 */
#ifndef HOCTAP_CRITERIA_TARGETS_H
#define HOCTAP_CRITERIA_TARGETS_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/embedded.h"
#include "base/err.h"
#include "base/issues.h"

/* A named measure (a rate that is not the share of a title), declared once per file. */
typedef struct tgt_measure {
  const char *key, *name, *name_en;
  const char *file;
  int line;
  struct tgt_measure *next;
} tgt_measure;

typedef struct tgt_source {
  int assumed; /* 0 = confirmed by a source, 1 = an assumed default */
  const char *reference;
} tgt_source;

typedef struct tgt_target {
  const char *measure;         /* a title key or a declared measure's key */
  const tgt_measure *declared; /* its declaration in the same file; NULL = a title key */
  int year;                    /* the milestone: the target is to be reached by then */
  double value;                /* a fraction: 70% is 0.7 */
  const char *group;           /* the unit group it is for, or NULL for every unit */
  tgt_source source;
  int line, col; /* col: where the measure key starts */
  struct tgt_target *next;
} tgt_target;

/* One `targets KEY` block: the targets one decision (or a province's plan) sets. */
typedef struct tgt_programme {
  const char *key, *name, *name_en;
  const char *decision, *decision_date; /* "QĐ 387/QĐ-TTg", "2022-03-25" */
  int32_t decision_day;                 /* decision_date as a day number (base/date.h) */
  int province;                         /* 0 = national */
  const char *file;
  int line;
  tgt_target *targets; /* in file order */
  struct tgt_programme *next;
} tgt_programme;

typedef struct tgt_set {
  arena mem;
  tgt_programme *programmes; /* in load order */
  tgt_measure *measures;     /* every declaration of every file, in load order */
} tgt_set;

/* The target that applies to a measure (filled by tgt_applicable). Strings
 * point into the set. */
typedef struct tgt_choice {
  double value; /* a fraction */
  int year;     /* the milestone it was taken from */
  const char *set_key, *set_name;
  const char *group; /* the unit group whose value was used, or NULL for the general one */
  tgt_source source;
  const tgt_programme *programme;
  const tgt_target *target;
} tgt_choice;

/* The default targets files shipped with hoctap (the targets folder, compiled in
 * by tools/embed.c into build/gen/targets.c). Paths start with '/'. */
extern const embedded_file tgt_default_files[];
extern const size_t tgt_default_files_count;

void tgt_set_init(tgt_set *s);
void tgt_set_free(tgt_set *s);

/* Parses text (named file in messages) into s, appending its sets and
 * measures. Every problem goes to out with its line, column and a hint; the
 * parse goes on after a bad line so one run lists every problem. Returns
 * HT_EINVAL when there was any. O(len). */
int tgt_parse(tgt_set *s, const char *file, const char *text, size_t len, issues *out);
/* Parses every default file into s (problems to out, named by file). */
int tgt_load_defaults(tgt_set *s, issues *out);
/* Adds the default sets whose keys s does not define yet, so a file with the
 * key of a shipped set replaces it. */
int tgt_add_missing_defaults(tgt_set *s, issues *out);
/* Parses one file from disk into s. HT_EIO when it cannot be read, HT_ELIMIT
 * above 16 MiB (err says which), HT_EINVAL when it has problems (in out). */
int tgt_load_file(tgt_set *s, const char *path, issues *out, ht_err *err);

/* Checks across files: two sets with the same key, and a measure key declared
 * with different names in two files (a key means one measure everywhere).
 * HT_EINVAL when there was any problem. O(sets^2 + measures^2). */
int tgt_check_set(const tgt_set *s, issues *out);
/* Checks the measures against the titles known to the caller (the criteria
 * layer's titles, passed as keys so this module needs nothing but base): a
 * target whose measure is neither declared nor a title key, and a declared
 * measure that reuses a title key. HT_EINVAL when there was any. */
int tgt_check_measures(const tgt_set *s, const char *const *title_keys, size_t n, issues *out);

/* The set with this key, or NULL. */
const tgt_programme *tgt_find(const tgt_set *s, const char *key);

/* The target of measure that applies in year to a unit of province whose
 * unit groups are unit_groups ('|'-separated, "" or NULL for none). The rules
 * (docs/targets-format.md):
 *  - with decision_key, only that set is looked at; otherwise a set counts
 *    from the year of its decision, and the sets of province that have the
 *    measure win over the national sets;
 *  - among those, the set with the latest decision date that has a milestone
 *    >= year, and in it the smallest such milestone (a year between two
 *    milestones is judged against the next one);
 *  - past every milestone of every set: the latest milestone of the set with
 *    the latest decision;
 *  - a target of a group the unit belongs to wins over the general value of
 *    the same milestone; a unit outside the group never sees its values.
 * Returns HT_OK and fills out, or HT_ENOTFOUND when no target applies. */
int tgt_applicable(const tgt_set *s, const char *decision_key, const char *measure, int year,
                   int province, const char *unit_groups, tgt_choice *out);

#endif
