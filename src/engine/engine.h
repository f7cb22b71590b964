/*
 * engine.h - the evaluation engine (GUIDE §1): one year's facts in memory as
 * columns, every title in force evaluated bottom-up in dependency order, per
 * administrative unit counts kept up to date incrementally.
 *
 * Life cycle: a loader fills an eng_facts (struct of arrays, arena-owned) and
 * hands it to eng_create(), which takes ownership; the loader then streams the
 * year's records in with eng_put_record(), eng_put_evidence() and
 * eng_put_override(); eng_evaluate() evaluates everything. Afterwards the same
 * eng_put_*() calls and eng_set_person() change single records; eng_flush()
 * re-evaluates only what depends on them (the changed entities, the entities
 * that contain them, and their ancestors' counts). The engine runs no SQL.
 *
 * Entities are addressed by kind (crit_entity) and index 0..n-1 within the
 * kind. An engine is not thread-safe: readers of a shared engine must hold a
 * lock against writers (the server does).
 */
#ifndef HOCTAP_ENGINE_ENGINE_H
#define HOCTAP_ENGINE_ENGINE_H

#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/strbuf.h"
#include "base/strmap.h"
#include "criteria/crit.h"

#define ENG_MAX_GROUPS 64

/* The admin levels, in the order of crit_entity. */
#define ENG_IS_UNIT(k) ((k) == CRIT_VILLAGE || (k) >= CRIT_COMMUNE)

typedef struct eng_facts {
  arena mem;
  int year, province;
  int32_t n[CRIT_ENTITY_COUNT];
  /* persons: members of a household in the year */
  int64_t *person_id;
  const char **person_cid; /* citizen ID or NULL */
  int32_t *person_household;
  int16_t *birth_year;
  int32_t *gender;                 /* dictionary id of "nam" / "nu" */
  uint8_t *literate, *in_school;   /* 0/1 */
  int8_t *school_result, *conduct; /* rank 0 chua-dat .. 3 tot; -1 none */
  uint16_t *topics;
  int8_t *form_group; /* of the citizen self-assessment; 0 none */
  /* households, clans, organisations */
  const char **household_code, **clan_code, **org_code;
  int32_t *household_village, *household_clan; /* -1 none */
  int32_t *clan_village;
  int32_t *org_kind;                    /* dictionary id */
  int32_t *org_up[CRIT_ENTITY_COUNT];   /* the unit managing it, at each admin level */
  int32_t *org_member_off, *org_member; /* CSR: members (person indexes) per organisation */
  /* administrative units on 31 December: per admin kind */
  const char **unit_code[CRIT_ENTITY_COUNT];
  int32_t *unit_kind[CRIT_ENTITY_COUNT];    /* dictionary id of the unit kind (xa, phuong, ...) */
  uint64_t *unit_groups[CRIT_ENTITY_COUNT]; /* bit i = group dictionary entry i */
  /* unit_up[k][l][i]: the ancestor of unit i of kind k at level l, or -1 */
  int32_t *unit_up[CRIT_ENTITY_COUNT][CRIT_ENTITY_COUNT];
  /* dictionary of short strings (kinds, genders) and of unit groups */
  strmap dict_index;
  const char **dict;
  int32_t ndict, dict_cap;
  const char *groups[ENG_MAX_GROUPS];
  int ngroups;
} eng_facts;

void eng_facts_init(eng_facts *f, int year, int province);
void eng_facts_free(eng_facts *f);
/* Sizes the columns of kind to n (uninitialised; the loader fills them). */
void eng_facts_alloc(eng_facts *f, crit_entity kind, int32_t n);
int32_t eng_dict(eng_facts *f, const char *s);                 /* interns s; returns its id */
int32_t eng_dict_find(const eng_facts *f, const char *s);      /* -1 when absent */
uint64_t eng_groups_mask(eng_facts *f, const char *pipe_list); /* "a|b" -> bits */

typedef struct engine engine;

/* Per administrative unit and title. */
typedef struct eng_counts {
  int32_t eligible;   /* entities counted (the rate's denominator) */
  int32_t registered; /* eligible and registered */
  int32_t evaluated;  /* eligible and (registered, or registration optional) */
  int32_t recognised;
  int32_t level2; /* levels titles: recognised at level 2 or higher */
  int32_t held;   /* eligible and recognised by a decision whose certificate is valid on 31
                     December of the year (eng_put_held) */
} eng_counts;

/* Takes ownership of *facts (also on failure). Titles in force for the year
 * and province are chosen from set, which must outlive the engine and must
 * have passed crit_check_set(). */
int eng_create(const crit_set *set, eng_facts *facts, engine **out, ht_err *err);
void eng_free(engine *e);
const eng_facts *eng_facts_of(const engine *e);
int eng_year(const engine *e);

/* ---- records: registration, entered values, evidence, overrides ---- */

/* Sets entity's record for title: registered (0/1), form group (0 none), and
 * the entered values as "KEY=VALUE;..." (replacing every entered value; keys
 * that are not entered items of the title are ignored and counted in
 * *ignored when not NULL). Returns HT_ENOTFOUND when the title is not in force. */
int eng_put_record(engine *e, const char *title, int32_t entity, int registered, int form_group,
                   const char *vals, int *ignored);
/* Marks entity as holding title in the year (held = 1): a decision recognised
 * it and its certificate, not revoked, is valid on 31 December. The loader
 * sets it from the certificates; the workflow after a decision or an unlock. */
int eng_put_held(engine *e, const char *title, int32_t entity, int held);
/* Marks that item of entity has evidence (has = 1) or has none (0). */
int eng_put_evidence(engine *e, const char *title, int32_t entity, const char *item, int has);
/* A reviewer's override of one item's result: points (points titles) or the
 * level reached (levels titles). clear = 1 removes it. */
int eng_put_override(engine *e, const char *title, int32_t entity, const char *item, double result,
                     int clear);
/* Changes one fact of a person: literate, in_school, school_result, conduct,
 * topics (value as in eng_facts). */
int eng_set_person(engine *e, int32_t person, const char *field, int value);

/* Full evaluation of every title; recomputes every count. */
void eng_evaluate(engine *e);
/* Re-evaluates what the changes since the last evaluation touched. */
void eng_flush(engine *e);

/* ---- reading results ---- */

typedef struct eng_title_info {
  const crit_title *t;
  int index;
  int nitems;
} eng_title_info;

int eng_title_count(const engine *e);
/* Titles in evaluation order; NULL past the end. */
const crit_title *eng_title_at(const engine *e, int i);
int eng_title_find(const engine *e, const char *key); /* index or -1 */

typedef struct eng_result {
  int eligible, registered, evaluated, recognised;
  int level; /* levels titles: 0..levels; points titles: 0 */
  int held;  /* recognised by a decision (eng_put_held) */
  double total;
} eng_result;

void eng_result_of(const engine *e, int title, int32_t entity, eng_result *out);
/* The points (points titles) or level (levels titles) of item i. */
double eng_item_result(const engine *e, int title, int item, int32_t entity);
double eng_item_value(const engine *e, int title, int item, int32_t entity); /* NAN = none */
const crit_item *eng_item_at(const engine *e, int title, int item);
int eng_item_count(const engine *e, int title);

/* The counts of title for unit (kind, index): entities of the title's kind at
 * or below it. Zeros when the title's entities cannot lie below it. */
eng_counts eng_counts_of(const engine *e, int title, crit_entity kind, int32_t unit);

/* Entity lookup by its code (household, clan, organisation, unit codes;
 * persons: citizen ID or "P" + id). -1 when unknown. */
int32_t eng_find(const engine *e, crit_entity kind, const char *code);
/* A person by id; -1 when not a member in the year. */
int32_t eng_find_person(const engine *e, int64_t id);
/* Writes entity's code into b (persons as above). */
void eng_code(const engine *e, crit_entity kind, int32_t entity, strbuf *b);
/* The ancestor of entity at admin level `level` (CRIT_VILLAGE ...), or -1;
 * for an admin unit of that very level, itself. */
int32_t eng_owner(const engine *e, crit_entity kind, int32_t entity, crit_entity level);

/* ---- explanations ---- */

/* Writes the explanation of entity's result for title as readable text in
 * Vietnamese (lang "vi") or English ("en"): per item the rule, the values it
 * saw and why it passed or failed, then the recognition. */
void eng_explain_text(engine *e, int title, int32_t entity, const char *lang, strbuf *out);

/* One item's explanation, for structured output. */
typedef struct eng_item_explain {
  const crit_item *item;
  double value;       /* NAN = none */
  double result;      /* points or level */
  const char *status; /* "pass", "partial", "fail", "missing", "no-evidence", "not-applicable",
                         "override" */
  char detail[512];   /* the values seen, in the language asked */
} eng_item_explain;
void eng_explain_item(engine *e, int title, int item, int32_t entity, const char *lang,
                      eng_item_explain *out);
/* The recognition's explanation (points titles: the recognise rule with its values). */
void eng_explain_recognition(engine *e, int title, int32_t entity, const char *lang, strbuf *out);

#endif
