/*
 * dhis2.h - the rollup counts as a DHIS2 data value set (docs/dhis2.md):
 * dataValueSets JSON or ADX XML (IHE QRPH ADX, urn:ihe:qrph:adx:2015), one
 * value per unit, title and count, for a yearly period.
 *
 * A mapping file says which DHIS2 ids our keys become:
 *
 *   dataset  pBOMPrpg1QX                                   the data set
 *   element  gia-dinh-hoc-tap  recognised  fbfJHSPpUQD [COC] [CAT=OPTION ...]
 *   orgunit  31  ImspTQPwCqd                               a unit code
 *
 * one directive a line, fields separated by blanks, '#' starts a comment.
 * COUNT is eligible, registered, evaluated, recognised or level2; COC an
 * optional category option combo (JSON); CAT=OPTION pairs are the ADX
 * disaggregation attributes (category code = option code). Ids are DHIS2
 * UIDs: 11 letters and digits, the first a letter.
 */
#ifndef HOCTAP_SERVICES_DHIS2_H
#define HOCTAP_SERVICES_DHIS2_H

#include <stdio.h>

#include "base/embedded.h"
#include "base/issues.h"
#include "base/strmap.h"
#include "criteria/crit.h"
#include "engine/engine.h"
#include "model/hier.h"

typedef struct dhis2_element {
  const char *title;
  int count;             /* DHIS2_COUNT_* */
  const char *uid, *coc; /* coc NULL: the default combination */
  const char **attr_names, **attr_values;
  int nattrs;
} dhis2_element;

enum {
  DHIS2_ELIGIBLE,
  DHIS2_REGISTERED,
  DHIS2_EVALUATED,
  DHIS2_RECOGNISED,
  DHIS2_LEVEL2,
  DHIS2_COUNT_KINDS
};

typedef struct dhis2_map {
  arena mem;
  const char *dataset;
  dhis2_element *elements;
  size_t nelements, cap;
  strmap orgunits; /* unit code -> index into orgunit_uids */
  const char **orgunit_uids;
  size_t norgunits, orgcap;
} dhis2_map;

/* The mapping files compiled in (the .txt files of data/dhis2; paths "/NAME.txt"). */
extern const embedded_file dhis2_default_files[];
extern const size_t dhis2_default_files_count;
/* The name of the built-in mapping used without --mapping. */
#define DHIS2_DEFAULT_MAPPING "mapping-haiphong.txt"

/* Is s a DHIS2 UID (11 characters [A-Za-z0-9], the first a letter)? */
int dhis2_uid_ok(const char *s);

/* Reads the mapping at path. Every problem (unknown directive, title not in
 * titles, unknown count, malformed UID, a duplicate element, unit or id, no
 * dataset) goes to out as path:line; HT_EINVAL when there is any, HT_EIO
 * when the file cannot be read. A unit code the database does not know is
 * no error: the export reports the units it skips. Free with
 * dhis2_map_free() in every case. */
int dhis2_map_load(dhis2_map *m, const char *path, const crit_set *titles, issues *out,
                   ht_err *err);
/* The same for the built-in mapping called name (DHIS2_DEFAULT_MAPPING);
 * messages name it "built-in:NAME". */
int dhis2_map_builtin(dhis2_map *m, const char *name, const crit_set *titles, issues *out,
                      ht_err *err);
void dhis2_map_free(dhis2_map *m);
/* The org unit UID of a unit code, or NULL. */
const char *dhis2_orgunit(const dhis2_map *m, const char *code);

/* What an export leaves out: units[] without an org unit and titles (in force,
 * with entities at or below a listed unit) without any element. Arrays from a. */
typedef struct dhis2_gaps {
  const char **units, **titles;
  size_t nunits, ntitles;
} dhis2_gaps;
void dhis2_find_gaps(const dhis2_map *m, const engine *e, const hier *h,
                     const hier_unit *const *units, size_t n, arena *a, dhis2_gaps *out);

typedef enum dhis2_format { DHIS2_JSON, DHIS2_ADX } dhis2_format;

/* Writes the values of units[0..n) for the engine's year to out; units and
 * titles without a mapping are skipped. *values counts the values written.
 * HT_OK or HT_EIO. */
int dhis2_write(FILE *out, dhis2_format f, const dhis2_map *m, const engine *e, const hier *h,
                const hier_unit *const *units, size_t n, long *values, ht_err *err);

#endif
