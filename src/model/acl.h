/*
 * acl.h - permissions and scope (docs/access.md): the one place that decides
 * whether a user may do something to an object.
 *
 * A permission is a fixed key ("records.write"); a role is data, a set of
 * permission keys (table roles); a user has one role and one scope: the
 * subtree of an administrative unit. A user may act on an object when the
 * role grants the permission and the object's unit on the object's date lies
 * inside the scope on that date. Scope follows the 2025 reform: a unit that
 * succeeded others (a merged commune) covers its predecessors' subtrees for
 * dates before the change, so a new commune's officer sees its history.
 */
#ifndef HOCTAP_MODEL_ACL_H
#define HOCTAP_MODEL_ACL_H

#include <stdint.h>

#include "base/arena.h"
#include "model/hier.h"

typedef enum acl_perm {
  ACL_UNITS_READ = 1u << 0,       /* hierarchy, counts, evaluation rollups */
  ACL_REGISTRY_READ = 1u << 1,    /* households, persons, clans, organisations */
  ACL_REGISTRY_WRITE = 1u << 2,   /* change the registry, imports */
  ACL_RECORDS_READ = 1u << 3,     /* yearly records and per-entity results */
  ACL_RECORDS_WRITE = 1u << 4,    /* registration, self-assessment values, evidence */
  ACL_RECORDS_REVIEW = 1u << 5,   /* review, overrides */
  ACL_RECORDS_APPROVE = 1u << 6,  /* recognition decisions */
  ACL_PERSONAL_READ = 1u << 7,    /* unmasked citizen IDs */
  ACL_PERSONAL_EXPORT = 1u << 8,  /* exports of personal data */
  ACL_USERS_MANAGE = 1u << 9,     /* accounts inside the scope */
  ACL_AUDIT_READ = 1u << 10,      /* the audit trail inside the scope */
  ACL_CRITERIA_MANAGE = 1u << 11, /* criteria and targets */
  ACL_FUNDS_READ = 1u << 12,      /* study-promotion funds: books, donors, beneficiaries */
  ACL_FUNDS_WRITE = 1u << 13,     /* post receipts and payments, add donors and beneficiaries */
  ACL_FUNDS_APPROVE = 1u << 14    /* approve award batches, close the books */
} acl_perm;

#define ACL_PERM_COUNT 15

typedef struct acl_perm_info {
  acl_perm bit;
  const char *key, *name_vi, *name_en;
} acl_perm_info;

extern const acl_perm_info acl_perms[ACL_PERM_COUNT];

/* The permission with this key, or 0. */
uint32_t acl_perm_find(const char *key);
/* Parses space-separated keys into *mask. On an unknown key returns
 * HT_EINVAL and points *bad at a copy of it (from a). */
int acl_perms_parse(const char *text, uint32_t *mask, arena *a, const char **bad);
/* The keys of mask, space-separated (from a). */
const char *acl_perms_format(uint32_t mask, arena *a);

/* Does the scope of scope_code cover unit_code on day? See the file comment.
 * O(depth x changes). */
int acl_covers(const hier *h, const char *scope_code, const char *unit_code, int32_t day);

#endif
