/*
 * unit_json.h - the JSON shapes of administrative units, shared by the CLI
 * (--format json) and the HTTP API so both print the same fields.
 * Every function returns a new reference the caller owns.
 */
#ifndef HOCTAP_FACES_UNIT_JSON_H
#define HOCTAP_FACES_UNIT_JSON_H

#include <jansson.h>

#include "model/hier.h"
#include "model/unit_counts.h"

/* {code, name, kind, kind_name, kind_name_en, level, level_name,
 *  level_name_en, parent_code, valid_from, valid_to, groups[]} plus
 * "counts" when counts is not NULL. */
json_t *unit_json(const hier *h, const hier_unit *u, const unit_count *counts);
/* {code, name, date} for each change, with nested "predecessors" or
 * "successors" of the other unit (the whole chain). */
json_t *unit_changes_json(const hier *h, const char *code, int successors, arena *a, int depth);
/* {code, name, versions[], predecessors[], successors[]}. */
json_t *unit_history_json(const hier *h, const char *code, arena *a);

#endif
