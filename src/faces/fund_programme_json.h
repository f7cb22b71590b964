/*
 * fund_programme_json.h - the JSON shapes of award programmes and their
 * batches (model/fund_programme.h), shared by the CLI (--format json) and the
 * HTTP API so both print the same fields. Ids are 64-bit: strings, so
 * JavaScript keeps every digit. Amounts are whole đồng (integers). Every
 * function returns a new reference the caller owns.
 */
#ifndef HOCTAP_FACES_FUND_PROGRAMME_JSON_H
#define HOCTAP_FACES_FUND_PROGRAMME_JSON_H

#include <jansson.h>

#include "model/fund_programme.h"

/* {id, code, name, fund, unit, rules, created_at, created_by}. */
json_t *fund_programme_json(const fund_programme *p);
/* {id, programme, programme_id, programme_name, fund, unit, year, state,
 *  total, count, decision: {number, date, signer} | null, approved_by,
 *  approved_at, paid_on, paid_by, method, cancel_reason, created_at,
 *  created_by} plus "items" when the batch has them: [{item, beneficiary,
 *  person, name, unit, birth_year, amount, rule, category, reason, dropped,
 *  entry}]. Times are ISO 8601 UTC, null when not yet. */
json_t *fund_batch_json(const fund_batch *b);

#endif
