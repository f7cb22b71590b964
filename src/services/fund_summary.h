/*
 * fund_summary.h - a study-promotion fund's figures for a period: the
 * numbers behind its statement, its public transparency report and the
 * annual report's fund totals (docs/funds.md, "Documents").
 *
 * Every figure is a movement of the fund's money (cash + bank) by an entry
 * dated in the period, so for any period
 *     opening + money in - money out = closing
 * where opening is fund_balance() through the day before the period and
 * closing fund_balance() through its last day. A reversal is counted where
 * its original is (a reversed receipt lowers the receipts of the original's
 * campaign and donor kind, a reversed payment the payments of its category)
 * on its own date: figures are net of reversals.
 *
 * The public form (FUND_SUMMARY_PUBLIC) is what anyone may read: no entry
 * list, no ids, no donor names of anonymous gifts, and beneficiaries under 18
 * in the period's last year (or of unknown age) by their initials unless the
 * fund's setting public_minor_names allows names; never an address, a phone
 * number or a citizen ID (the summary holds none). The HTML page and the PDF
 * are written from it alone, so they cannot show more.
 *
 * Memory: everything comes from the caller's arena.
 */
#ifndef HOCTAP_SERVICES_FUND_SUMMARY_H
#define HOCTAP_SERVICES_FUND_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "model/fund.h"
#include "model/hier.h"
#include "store/db.h"

/* The payment categories, in the order documents list them. */
typedef enum {
  FUND_CAT_SCHOLARSHIP = 0,
  FUND_CAT_AWARD,
  FUND_CAT_SUPPORT,
  FUND_CAT_GIFT,
  FUND_CATS
} fund_category;

extern const char *const fund_category_keys[FUND_CATS];  /* "scholarship", ... */
extern const char *const fund_category_names[FUND_CATS]; /* "Học bổng", ... */

/* The Vietnamese name of a category key, a donor kind or a method ("cash"). */
const char *fund_category_vi(const char *key);
const char *fund_donor_kind_vi(const char *kind); /* "" or "anonymous": "Nhà hảo tâm ẩn danh" */
const char *fund_method_vi(const char *method);

/* One line of a breakdown (by campaign, donor kind, category, fund). */
typedef struct fund_group {
  const char *key;   /* the campaign as written, a donor kind, a category, a fund code */
  const char *label; /* what a document prints */
  int64_t amount;    /* net of reversals dated in the period */
  long entries;      /* entries of the period that stand (not reversed by its end) */
  long donors;       /* campaigns: distinct donors of those (a receipt without a donor record
                        counts as one) */
} fund_group;

/* One entry of the period as it moves the fund (statements only). */
typedef struct fund_sum_entry {
  fund_entry e;
  const fund_entry *orig; /* a reversal's original; NULL otherwise */
  fund_entry_kind base;   /* the kind counted: a reversal's original's kind */
  int incoming;           /* counted as money in (opening, receipt, transfer in) */
  int64_t amount;         /* signed: negative for a reversal ("ghi âm") */
  int64_t balance;        /* the fund's balance after it */
  const char *text;       /* the description, Vietnamese */
  const char *donor_kind; /* receipts: the donor's kind ("" none) */
} fund_sum_entry;

/* A donor's gifts in the period (the public form: named donors only). */
typedef struct fund_sum_donor {
  int64_t id;
  const char *name, *kind;
  int64_t amount;
  long entries;
} fund_sum_donor;

/* What a beneficiary received in the period, by category. */
typedef struct fund_sum_beneficiary {
  int64_t id;       /* 0 in the public form */
  const char *name; /* the public form: initials for a minor unless the fund allows names */
  int minor;        /* under 18 in the period's last year, or of unknown age */
  int named;        /* name is the full name */
  const char *school, *grade;
  fund_category category;
  int64_t amount;
  long entries;
} fund_sum_beneficiary;

enum { FUND_SUMMARY_PUBLIC = 1 };

typedef struct fund_summary {
  fund fund;
  const char *owner_name; /* the unit's, clan's or organisation's name */
  const char *from, *to;  /* the period, ISO, inclusive */
  int public_form;
  int64_t opening, closing;
  /* money in */
  int64_t opened;      /* opening-balance entries dated in the period */
  int64_t received;    /* receipts (donations) */
  int64_t transfer_in; /* from other funds */
  int64_t total_in;    /* opened + received + transfer_in */
  /* money out */
  int64_t paid;               /* disbursements, every category */
  int64_t paid_by[FUND_CATS]; /* by category */
  long paid_count[FUND_CATS]; /* standing payments by category */
  int64_t transfer_out;       /* to other funds */
  int64_t total_out;          /* paid + transfer_out */
  long reversals;             /* reversal entries in the period */
  long receipts, donors;      /* standing receipts; distinct donors as for campaigns */
  long beneficiaries;         /* distinct beneficiaries with a payment standing */
  fund_group *campaigns;      /* receipts by campaign (label "" -> "Không theo đợt") */
  size_t ncampaigns;
  fund_group *donor_kinds; /* receipts by donor kind */
  size_t ndonor_kinds;
  fund_group *transfers; /* by the other fund: amount > 0 in, < 0 out */
  size_t ntransfers;
  fund_sum_donor *donor_list; /* by amount, largest first (public: anonymous left out) */
  size_t ndonor_list;
  int64_t anonymous_amount; /* receipts without a named donor */
  long anonymous_entries;
  fund_sum_beneficiary *paid_list; /* by category, then name */
  size_t npaid_list;
  fund_sum_entry *entries; /* by date then id (NULL in the public form) */
  size_t nentries;
} fund_summary;

/* Reads the figures of fund code over from..to (ISO dates, inclusive; from
 * <= to). HT_ENOTFOUND when there is no such fund; HT_EINVAL (message in
 * err) for bad dates. flags: FUND_SUMMARY_PUBLIC. O(entries of the period). */
int fund_summary_load(db *d, const char *code, const char *from, const char *to, int flags,
                      arena *a, fund_summary *out, ht_err *err);

/* The name of f's owner (its unit as on the date on, ISO; its clan; its
 * organisation that year), from a; the owner's code when it has none. */
const char *fund_owner_name(db *d, const fund *f, const char *on, arena *a);
/* "Nguyễn Văn An" -> "N.V.A." (from a). */
const char *fund_initials(arena *a, const char *name);

/* ------------------------------------------------ the annual report */

/* One fund's year, or the sum of a unit's funds. */
typedef struct fund_year_row {
  const char *code, *name, *owner_name, *unit_code; /* the total row: code "" */
  int64_t opening;                                  /* balance at the end of the year before */
  int64_t opened, received, transfer_in;
  int64_t paid_by[FUND_CATS];
  int64_t paid, transfer_out;
  int64_t closing;       /* balance on 31 December */
  long receipts, donors; /* standing receipts; donors as in fund_summary */
  long beneficiaries;    /* distinct beneficiaries paid (the total: across funds) */
} fund_year_row;

typedef struct fund_year_totals {
  int year;
  const char *unit;     /* the unit asked */
  fund_year_row *funds; /* every fund whose unit lies within it on 31 December, by code */
  size_t nfunds;
  fund_year_row total; /* the sums; beneficiaries counted once across funds; transfers
                          between two funds of the unit are in both transfer_in and
                          transfer_out */
} fund_year_totals;

/* The fund totals of unit (and everything under it on 31 December of year)
 * for the calendar year, for the annual report. h: the hierarchy (NULL: it is
 * loaded for the call). A unit without funds gives nfunds 0 and a zero total.
 * HT_ENOTFOUND when the unit does not exist that day. O(entries of the funds'
 * year). */
int fund_unit_year_totals(db *d, const hier *h, const char *unit, int year, arena *a,
                          fund_year_totals *out, ht_err *err);

#endif
