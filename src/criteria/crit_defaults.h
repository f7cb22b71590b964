/*
 * crit_defaults.h - the default criteria files shipped with hoctap
 * (the criteria folder, compiled in by tools/embed.c), and choosing the
 * version of a title in force for a year and province.
 */
#ifndef HOCTAP_CRITERIA_CRIT_DEFAULTS_H
#define HOCTAP_CRITERIA_CRIT_DEFAULTS_H

#include "base/embedded.h"
#include "base/err.h"
#include "criteria/crit.h"

extern const embedded_file crit_default_files[];
extern const size_t crit_default_files_count;

/* Parses every default file into set (problems to out, named by file). */
int crit_load_defaults(crit_set *set, issues *out);
/* Adds the default titles whose keys set does not define, so references from
 * checked files to shipped titles resolve. */
int crit_add_missing_defaults(crit_set *set, issues *out);
/* Parses one file from disk into set. HT_EIO when it cannot be read. */
int crit_load_file(crit_set *set, const char *path, issues *out, ht_err *err);
/* The version of title key in force in year for province (a province's own
 * version wins over the national one; the latest applies_from <= year). */
const crit_title *crit_in_force(const crit_set *set, const char *key, int year, int province);

#endif
