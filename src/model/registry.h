/*
 * registry.h - reading the registry (households, persons, clans,
 * organisations) for the pages and for access control: where an entity
 * belongs in a year, one household with its members, and search by name or
 * code.
 *
 * Memory: strings in returned structs come from the caller's arena.
 */
#ifndef HOCTAP_MODEL_REGISTRY_H
#define HOCTAP_MODEL_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "criteria/crit.h"
#include "store/db.h"

/* The administrative unit an entity of kind belongs to in year: a
 * household's village that year, a person's household's village, a clan's
 * village, the unit managing an organisation on 31 December, a unit itself.
 * Persons are "P<id>" or their citizen ID. HT_ENOTFOUND when unknown. */
int reg_owner_unit(db *d, crit_entity kind, const char *code, int year, arena *a,
                   const char **unit_code);

typedef struct reg_person {
  int64_t id;
  const char *full_name, *gender, *citizen_id; /* citizen_id NULL when none */
  int birth_year;
  /* The year's facts (person_years); has_year 0 when none were entered. */
  int has_year, literate, in_school, topics_completed;
  const char *school_result, *conduct; /* tot, kha, dat, chua-dat; NULL when none */
} reg_person;

typedef struct reg_household {
  int64_t id;
  const char *code, *head_name, *address;
  const char *village_code;          /* in the year asked */
  const char *clan_code, *clan_name; /* NULL when none */
  reg_person *members;
  size_t nmembers;
} reg_household;

/* A household as of year with its members (persons registered to it, by
 * birth year) and their facts of that year. HT_ENOTFOUND when the code is
 * unknown. */
int reg_household_get(db *d, const char *code, int year, arena *a, reg_household *out);

typedef struct reg_clan {
  int64_t id;
  const char *code, *name, *village_code;
} reg_clan;

/* A clan by code. HT_ENOTFOUND when unknown. */
int reg_clan_get(db *d, const char *code, arena *a, reg_clan *out);

typedef struct reg_org {
  int64_t id;
  const char *code, *name, *kind; /* kind: co-quan, truong-hoc, ... */
  const char *admin_code; /* the managing unit on 31 December of the year asked; NULL when none */
} reg_org;

/* A learning unit (organisation) by code, managed as on 31 December of
 * year. HT_ENOTFOUND when unknown. */
int reg_org_get(db *d, const char *code, int year, arena *a, reg_org *out);

/* Every clan, or every learning unit with its managing unit on 31
 * December of year, for which keep(ctx, village or managing unit) is true,
 * sorted by name. O(clans) or O(organisations). */
int reg_clans_list(db *d, int (*keep)(void *ctx, const char *village), void *ctx, arena *a,
                   reg_clan **out, size_t *n);
int reg_orgs_list(db *d, int year, int (*keep)(void *ctx, const char *admin), void *ctx, arena *a,
                  reg_org **out, size_t *n);

typedef struct reg_hit {
  const char *kind;           /* "household", "person", "clan" or "organisation" */
  const char *code;           /* the entity's code; "P<id>" for a person */
  const char *name;           /* head of a household, person, clan, organisation */
  const char *household_code; /* a person's household; NULL for the others */
  /* where the entity belongs in the year: the village of a household, of a
   * person's household and of a clan; the unit managing an organisation on
   * 31 December */
  const char *unit_code;
  int birth_year; /* persons */
} reg_hit;

/* Households whose head's name or code, persons whose name (or exact citizen
 * ID), clans and organisations whose name or code contain text, diacritics
 * and case ignored ("nguyen van an" and "NGUYEN" find "Nguyễn Văn An", "d"
 * finds "đ"; codes match as "hh00113" finds "HH0011392"). Only entities placed
 * in year whose unit keep() accepts (the caller's scope) count. Of each kind,
 * the first limit hits in Vietnamese order of name (vt_sort_key; persons and
 * household heads by given name first), then by code; kinds in the order
 * above. O(registry) scan, O(limit) memory beyond the hits: every match is
 * looked at, only the best limit are kept (see docs/api.md, "Registry"). */
int reg_search(db *d, const char *text, int year, int (*keep)(void *ctx, const char *unit),
               void *ctx, size_t limit, arena *a, reg_hit **out, size_t *n, ht_err *err);

/* A citizen ID as shown to those without personal.read: first 3 and last 3
 * digits ("031******789"); NULL for NULL. */
const char *reg_mask_citizen_id(const char *cid, arena *a);

#endif
