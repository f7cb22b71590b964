/*
 * fund.h - study-promotion funds (quỹ khuyến học) and their double-entry
 * ledger (docs/funds.md).
 *
 * Money is whole đồng in int64_t everywhere; there is no floating point.
 * Every movement is a journal entry whose lines balance (debits = credits)
 * within each fund it touches. Entries are never changed or deleted: a
 * correction is a reversal, an entry with the mirrored lines that references
 * the original (at most one reversal per entry). A fund's periods are closed
 * up to a date; an entry dated on or before it is refused.
 *
 * Accounts (the chart every fund shares):
 *   assets   cash, bank
 *   equity   opening           opening balances
 *   income   donation          receipts
 *   expense  scholarship, award, support, gift   disbursements by category
 *   clearing transfer          transfers between funds
 * A fund's balance is the sum of debits less credits on its asset accounts.
 *
 * Every write runs in one transaction with its audit entry, checks its input
 * and reports every problem (issues, English with Vietnamese) naming the
 * field; on any problem nothing is written.
 */
#ifndef HOCTAP_MODEL_FUND_H
#define HOCTAP_MODEL_FUND_H

#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/issues.h"
#include "model/audit.h"
#include "store/db.h"

#define FUND_MAX_AMOUNT 1000000000000000LL /* 10^15 đồng: a typo, not a donation */

typedef struct fund {
  int64_t id;
  const char *code, *name;
  const char *owner_kind; /* "unit", "clan", "organisation" */
  const char *owner_code;
  const char *unit_code;      /* the administrative unit it belongs to (access scope) */
  const char *closed_through; /* "YYYY-MM-DD" or "" when no period is closed */
  int public_minor_names;     /* the transparency page names beneficiaries under 18 */
  int64_t balance;            /* cash + bank, every entry */
} fund;

/* ------------------------------------------------------------ funds */

typedef struct fund_new {
  const char *code, *name, *owner_kind, *owner_code;
  int public_minor_names;
} fund_new;

/* Creates a fund owned by an administrative unit, a clan or an organisation
 * (which must exist). HT_EINVAL with every problem in out. */
int fund_create(db *d, const audit_actor *who, const fund_new *in, issues *out, int64_t *id,
                ht_err *err);
/* The administrative unit an owner ("unit", "clan", "organisation" and its
 * code) belongs to, or NULL when there is no such owner. */
const char *fund_owner_unit(db *d, arena *a, const char *kind, const char *code);
/* The fund with this code (strings from a); HT_ENOTFOUND when none. */
int fund_get(db *d, const char *code, arena *a, fund *out);
/* Every fund whose unit lies within the unit `within` (NULL: all), by code. */
int fund_list(db *d, const char *within, arena *a, fund **out, size_t *n);
/* Whether the public transparency page may name beneficiaries under 18
 * (docs/funds.md); audited as fund.settings. HT_ENOTFOUND without the fund. */
int fund_set_public_minor_names(db *d, const audit_actor *who, const char *code, int allow,
                                ht_err *err);
/* Closes the periods up to and including date (later than the current
 * close; entries are then refused on or before it). Audited. */
int fund_close_through(db *d, const audit_actor *who, const char *code, const char *date,
                       issues *out, ht_err *err);

/* ------------------------------------------------------------ donors, beneficiaries */

typedef struct fund_donor {
  int64_t id;
  const char *kind; /* person, family, clan, enterprise, organisation, anonymous */
  const char *name; /* "" for anonymous */
  const char *address, *phone;
  const char *code; /* the donor's own code (imports match by it); "" or NULL: none */
} fund_donor;

/* Adds a donor. A code, when given, is 1-40 letters, digits, '-', '_' or
 * '.' and not another donor's. */
int fund_donor_add(db *d, const audit_actor *who, const fund_donor *in, issues *out, int64_t *id,
                   ht_err *err);
int fund_donor_get(db *d, int64_t id, arena *a, fund_donor *out);
/* Donors whose name contains q (diacritics and case ignored; "" all) or
 * whose code is q, by name, at most limit. */
int fund_donor_list(db *d, const char *q, int limit, arena *a, fund_donor **out, size_t *n);

typedef struct fund_beneficiary {
  int64_t id;
  int64_t person_id; /* a person of the registry, or 0 */
  const char *name;  /* the person's name when person_id is set */
  int birth_year;    /* 0 unknown */
  const char *unit_code, *school, *grade;
  const char *circumstances; /* '|' list: poor, near-poor, orphan, disability, ethnic-minority,
                                difficult */
  const char *achievements;  /* '|' list: excellent, good, provincial-prize, national-prize,
                                international-prize */
} fund_beneficiary;

/* Adds a beneficiary: a person of the registry (person_id; name, birth year
 * and unit come from the registry when not given) or a student added by
 * hand (name and unit required). A person is a beneficiary once: adding
 * them again returns the existing id. */
/* The village of a registry person's household now, or NULL. */
const char *fund_person_unit(db *d, arena *a, int64_t person_id);
int fund_beneficiary_add(db *d, const audit_actor *who, const fund_beneficiary *in, issues *out,
                         int64_t *id, ht_err *err);
/* As fund_beneficiary_add, inside the caller's transaction (with its own
 * audit entry): an award batch adds the registry persons it pays. */
int fund_beneficiary_add_in_tx(db *d, const audit_actor *who, const fund_beneficiary *in,
                               issues *out, int64_t *id, ht_err *err);
int fund_beneficiary_get(db *d, int64_t id, arena *a, fund_beneficiary *out);
/* Beneficiaries whose name contains q ("" all), by name, at most limit. */
int fund_beneficiary_list(db *d, const char *q, int limit, arena *a, fund_beneficiary **out,
                          size_t *n);

/* ------------------------------------------------------------ the ledger */

typedef enum {
  FUND_OPENING = 0,
  FUND_RECEIPT,
  FUND_DISBURSEMENT,
  FUND_TRANSFER,
  FUND_REVERSAL
} fund_entry_kind;

typedef struct fund_posting {
  fund_entry_kind kind;   /* not FUND_REVERSAL: see fund_reverse */
  const char *fund;       /* the fund's code (transfers: the fund paying) */
  const char *to_fund;    /* transfers: the fund receiving */
  const char *date;       /* YYYY-MM-DD */
  int64_t amount;         /* whole đồng, > 0 */
  const char *method;     /* "cash" or "bank" (the account paid or received) */
  const char *number;     /* receipt or voucher number; "" or NULL: the next of the fund's
                             year, e.g. PT-2025-0007 (receipts), PC-… (payments) */
  const char *memo;       /* the reason (disbursements), a note */
  int64_t donor_id;       /* receipts: the donor (0 = anonymous, no record) */
  const char *campaign;   /* receipts: e.g. "Tháng Khuyến học 2025" */
  const char *purpose;    /* receipts: what the money is for */
  int64_t beneficiary_id; /* disbursements */
  const char *category;   /* disbursements: scholarship, award, support, gift */
  const char *decision;   /* disbursements: the decision that granted it */
  int64_t batch_id;       /* disbursements paid from an award batch (0 none) */
} fund_posting;

/* Posts one entry. Refused (HT_EINVAL, every problem in out, nothing
 * written): an unknown fund, donor or beneficiary, an amount <= 0 or above
 * FUND_MAX_AMOUNT, a date that is not a date or falls in a closed period, a
 * disbursement or transfer that would take the account paid from below zero
 * (the message gives its balance). */
int fund_post(db *d, const audit_actor *who, const fund_posting *in, issues *out, int64_t *id,
              ht_err *err);
/* As fund_post, inside the caller's transaction (no audit entry of its own:
 * the caller audits the batch). */
int fund_post_in_tx(db *d, const audit_actor *who, const fund_posting *in, issues *out, int64_t *id,
                    ht_err *err);
/* Reverses entry id on date with a reason: the mirrored lines, referencing
 * it. Refused when it is a reversal, already reversed, or the reversal would
 * take an account below zero or fall in a closed period. */
int fund_reverse(db *d, const audit_actor *who, int64_t entry, const char *date, const char *reason,
                 issues *out, int64_t *id, ht_err *err);

/* The balance of a fund's account (NULL: cash + bank) over entries dated on
 * or before through (NULL: all). */
int fund_balance(db *d, int64_t fund_id, const char *account, const char *through, int64_t *out);

typedef struct fund_entry {
  int64_t id;
  int64_t fund_id;
  const char *fund_code;
  fund_entry_kind kind;
  const char *date, *number, *memo, *method, *campaign, *purpose, *category, *decision;
  int64_t amount;
  int64_t donor_id, beneficiary_id, reverses, reversed_by, batch_id;
  const char *donor_name, *beneficiary_name, *to_fund;
  int64_t created_at;
  const char *created_by;
} fund_entry;

/* The entries of a fund dated from..to (NULL: open ends), by date then id. */
int fund_entries(db *d, int64_t fund_id, const char *from, const char *to, arena *a,
                 fund_entry **out, size_t *n);
int fund_entry_get(db *d, int64_t id, arena *a, fund_entry *out);
/* Everything a beneficiary received (net of reversals) from every fund, by date. */
int fund_beneficiary_history(db *d, int64_t beneficiary_id, arena *a, fund_entry **out, size_t *n);

/* Checks the ledger's invariants over every fund: each entry's lines balance
 * within each fund, every line pair moves the entry's amount, each reversal
 * nets its original to zero (and is the only one), and no cash or bank
 * account is below zero at the end of any day. Problems go to out
 * (HT_EINVAL when any). */
int fund_check(db *d, issues *out, ht_err *err);

/* The keys a disbursement's category, a beneficiary's circumstances and
 * achievements take (NULL-terminated lists), for the award programmes'
 * rules (fund_rules.h). */
extern const char *const *const fund_categories;
extern const char *const *const fund_circumstances;
extern const char *const *const fund_achievements;

const char *fund_kind_name(fund_entry_kind k);
const char *fund_kind_vi(fund_entry_kind k); /* "thu", "chi", ... */
/* Parses an amount in đồng: digits with optional '.', ',' or space thousands
 * separators and an optional "đ"/"VND" suffix; no decimals. 0 on success. */
int fund_parse_amount(const char *s, int64_t *out);
/* Formats 1234567 as "1.234.567" into buf (at least 32 bytes). */
const char *fund_format_amount(int64_t v, char *buf);

#endif
