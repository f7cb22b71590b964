/*
 * intake_json.h - an import's report as JSON, for the web page and for
 * `hoctap import --format json` (docs/import.md, docs/api.md).
 */
#ifndef HOCTAP_FACES_INTAKE_JSON_H
#define HOCTAP_FACES_INTAKE_JSON_H

#include <jansson.h>

#include "services/intake.h"

/* {"file","kind","format","sheet","encoding","year","title","header_row",
 *  "rows","added","changed","unchanged","dry_run","written",
 *  "problems_total","problems":[{"row","column","cell","field","value",
 *  "message","message_en","message_vi"}]}: "message" is in lang ("vi" or
 * "en"); "column" is the letter (A, B, ...) or null; "cell" e.g. "E5". */
json_t *intake_report_json(const intake_opts *o, const intake_report *rep, const char *lang);

#endif
