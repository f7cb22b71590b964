/*
 * fund_programme.h - award programmes of a study-promotion fund and their
 * yearly batches (docs/funds.md, "Award programmes"; domain README §5).
 *
 * A programme belongs to a fund and states who qualifies and how much as
 * rules in text (fund_rules.h). Running it for a year proposes a batch: every
 * beneficiary whose unit lies within the fund's unit and who matches a rule,
 * plus, for `from registry` rules, the persons of the registry living within
 * the unit that year who are not beneficiaries yet (they become beneficiaries
 * when the batch is approved, not before). Whoever this programme paid for
 * the year already (a payment not reversed) is not proposed again.
 *
 *   proposed --approve (one decision; items may be dropped)--> approved
 *   approved --pay (one disbursement per item, one transaction)--> paid
 *   proposed | approved --cancel (a reason)--> cancelled
 *   running again while a batch is proposed cancels that proposal; while one
 *   is approved and unpaid, it is refused.
 *
 * Every write is one transaction with one audit entry (fund.programme.create,
 * fund.batch.propose, fund.batch.approve, fund.batch.pay, fund.batch.cancel;
 * approval also writes fund.beneficiary.add for each person it adds). Bad
 * input lists every problem by field (English, with Vietnamese) and writes
 * nothing. Permissions and the caller's area are the faces' business: the
 * unit of a programme and its batches is the fund's.
 */
#ifndef HOCTAP_MODEL_FUND_PROGRAMME_H
#define HOCTAP_MODEL_FUND_PROGRAMME_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/issues.h"
#include "model/audit.h"
#include "model/hier.h"
#include "store/db.h"

#define FUND_BATCH_MAX_ITEMS 20000

typedef struct fund_programme {
  int64_t id, fund_id;
  const char *fund_code, *unit_code; /* the fund's, which scopes access */
  const char *code, *name, *rules;
  int64_t created_at;
  const char *created_by;
} fund_programme;

typedef struct fund_programme_new {
  const char *fund;  /* the fund's code */
  const char *code;  /* 1-40 letters, digits, '-', '_' or '.'; unique */
  const char *name;  /* e.g. "Khen thưởng học sinh giỏi" */
  const char *rules; /* the rules' text (fund_rules.h) */
} fund_programme_new;

/* Creates a programme; the rules' problems come with their lines (field
 * "rules", row = line). HT_EINVAL with every problem in out. */
int fund_programme_create(db *d, const audit_actor *who, const fund_programme_new *in, issues *out,
                          int64_t *id, ht_err *err);
int fund_programme_get(db *d, int64_t id, arena *a, fund_programme *out);        /* HT_ENOTFOUND */
int fund_programme_find(db *d, const char *code, arena *a, fund_programme *out); /* by code */
/* The programmes of a fund (fund_id 0: every fund), by code. */
int fund_programme_list(db *d, int64_t fund_id, arena *a, fund_programme **out, size_t *n);

typedef enum fund_batch_state {
  FUND_BATCH_PROPOSED = 0,
  FUND_BATCH_APPROVED,
  FUND_BATCH_PAID,
  FUND_BATCH_CANCELLED
} fund_batch_state;

const char *fund_batch_state_name(fund_batch_state s); /* "proposed", ... */

typedef struct fund_batch_item {
  int item;               /* 1-based number in the batch */
  int64_t beneficiary_id; /* 0: a registry person who becomes a beneficiary on approval */
  int64_t person_id;      /* the registry person, or 0 */
  const char *name, *unit_code;
  int birth_year;
  int64_t amount;
  const char *rule, *category, *reason;
  int dropped;      /* left out by the approval */
  int64_t entry_id; /* the disbursement that paid it, once paid */
} fund_batch_item;

typedef struct fund_batch {
  int64_t id, programme_id;
  const char *programme_code, *programme_name, *fund_code, *unit_code;
  int year;
  fund_batch_state state;
  const char *decision_number, *decision_date, *decision_signer; /* "" until approved */
  const char *approved_by, *paid_by, *paid_on, *method, *cancelled_by, *cancel_reason;
  int64_t approved_at, paid_at, cancelled_at, created_at;
  const char *created_by;
  int64_t total;          /* the amounts of the items not dropped */
  size_t count;           /* items not dropped */
  fund_batch_item *items; /* every item, by number (fund_batch_get only) */
  size_t nitems;
} fund_batch;

/* Proposes the batch of programme for year (see the file comment), using the
 * hierarchy h to judge which units lie within the fund's. Refused with a
 * reason (HT_EINVAL, out): a year outside 1990..this year, an approved batch
 * of the year not paid yet, nobody qualifying, more than
 * FUND_BATCH_MAX_ITEMS awards. O(beneficiaries + persons of the year) with
 * `from registry` rules, O(beneficiaries) without. */
int fund_programme_run(db *d, const audit_actor *who, const hier *h, int64_t programme_id, int year,
                       issues *out, int64_t *batch_id, ht_err *err);

/* A batch with its items. HT_ENOTFOUND. */
int fund_batch_get(db *d, int64_t id, arena *a, fund_batch *out);
/* A batch without its items (its state, totals and fund). HT_ENOTFOUND. */
int fund_batch_head(db *d, int64_t id, arena *a, fund_batch *out);
/* The batches of a programme (0: all), newest first, without items. */
int fund_batch_list(db *d, int64_t programme_id, arena *a, fund_batch **out, size_t *n);

typedef struct fund_batch_approval {
  const char *number; /* the decision's number, e.g. "12/QĐ-KH" */
  const char *date;   /* its date, YYYY-MM-DD, not in the future */
  const char *signer; /* who signed it */
  const int *drop;    /* numbers of the items left out */
  size_t ndrop;
} fund_batch_approval;

/* Approves a proposed batch by one decision: the items not dropped are
 * accepted, the registry persons among them become beneficiaries. */
int fund_batch_approve(db *d, const audit_actor *who, int64_t batch, const fund_batch_approval *in,
                       issues *out, ht_err *err);

typedef struct fund_batch_payment {
  const char *date;   /* the entries' date (not before the decision, not in the future) */
  const char *method; /* cash or bank (NULL: cash) */
} fund_batch_payment;

/* Pays an approved batch: one disbursement per item (its rule's category and
 * reason, the decision's number, the batch) in one transaction. When the
 * fund cannot cover the total, nothing is posted and the problem gives the
 * balance and the total. A batch is paid once. *entries (optional, from a)
 * gets the entry ids in item order. */
int fund_batch_pay(db *d, const audit_actor *who, int64_t batch, const fund_batch_payment *in,
                   issues *out, arena *a, int64_t **entries, size_t *nentries, ht_err *err);

/* Cancels a proposed or approved batch, with the reason. */
int fund_batch_cancel(db *d, const audit_actor *who, int64_t batch, const char *reason, issues *out,
                      ht_err *err);

#endif
