/*
 * engine_int.h - the engine's private state, shared by engine.c (state,
 * relations, incremental updates), eval.c (the vectorised evaluator) and
 * explain.c (explanations). Not for use outside src/engine.
 */
#ifndef HOCTAP_ENGINE_ENGINE_INT_H
#define HOCTAP_ENGINE_ENGINE_INT_H

#include <math.h>

#include "engine/engine.h"

#define ENG_EPS 1e-6 /* values are compared to six decimals (entered shares are floats) */

enum { F_EVIDENCE = 1, F_OVERRIDE = 2, F_NA = 4, F_MISSING = 8, F_NO_EVIDENCE = 16 };
enum {
  C_ELIGIBLE = 1,
  C_REGISTERED = 2,
  C_EVALUATED = 4,
  C_RECOGNISED = 8,
  C_LEVEL2 = 16,
  C_HELD = 32
};

typedef struct eng_item {
  const crit_item *ci;
  int entered;   /* has an input */
  int group;     /* index into the title's groups, -1 none */
  float *value;  /* per entity; NAN = not entered / none */
  float *result; /* points (points titles) or level reached (levels titles) */
  uint8_t *flags;
} eng_item;

typedef struct eng_override {
  int32_t entity;
  int16_t item;
  int16_t used;
  double result;
} eng_override;

typedef struct eng_title {
  const crit_title *t;
  crit_entity kind;
  int32_t n;
  int nitems, ngroups;
  eng_item *items;
  const char **group_keys;
  uint8_t *registered, *eligible, *recognised;
  uint8_t *touched; /* has a record, evidence or an override */
  uint8_t *held;    /* recognised by a decision, certificate valid on 31 December */
  int8_t *level;
  float *total;
  /* reviewer overrides: open addressing on (entity, item) */
  eng_override *ov;
  int32_t ov_cap, ov_count;
  /* counts per admin unit of each kind at or above the title's kind */
  eng_counts *counts[CRIT_ENTITY_COUNT];
  /* per entity, what it added to the counts (C_* bits): eng_put_record()
   * changes `registered` before eng_flush(), so the flush must take back what
   * was counted, not what the arrays hold by then */
  uint8_t *counted;
  /* resolved references of the rules: title index per OP_TITLE node, etc. */
} eng_title;

typedef struct eng_rel { /* CSR: the elements of kind C below each entity of kind P */
  int32_t *off, *list;
  int built;
} eng_rel;

typedef struct eng_dirty {
  uint8_t *mark;
  int32_t *list;
  int32_t n, cap;
} eng_dirty;

struct engine {
  const crit_set *set;
  eng_facts f;
  int ntitles;
  eng_title *titles; /* in evaluation order */
  eng_rel rel[CRIT_ENTITY_COUNT][CRIT_ENTITY_COUNT];
  int32_t *own[CRIT_ENTITY_COUNT][CRIT_ENTITY_COUNT]; /* cached eng__owner per kind and level */
  int32_t *person_org_off, *person_org;               /* reverse of the membership CSR */
  strmap code_index[CRIT_ENTITY_COUNT];               /* code -> index (persons: citizen IDs) */
  int64_t *pid_keys;                                  /* person id -> index, open addressing */
  int32_t *pid_vals;
  uint64_t pid_mask;
  int cid_built; /* code_index[CRIT_PERSON] filled (lazily) */
  eng_dirty dirty[CRIT_ENTITY_COUNT];
  int evaluated; /* eng_evaluate() ran */
  /* scratch vectors reused between evaluations */
  double *scratch[64];
  size_t scratch_cap[64];
  int nscratch;
};

/* engine.c */
const eng_rel *eng__rel(engine *e, crit_entity parent, crit_entity child);
int32_t eng__owner(const engine *e, crit_entity kind, int32_t i, crit_entity level);
/* eng__owner for every entity of kind, computed once. */
const int32_t *eng__owners(engine *e, crit_entity kind, crit_entity level);
double *eng__tmp(engine *e, size_t n);
void eng__untmp(engine *e, double *p);
const eng_override *eng__override_find(const eng_title *t, int32_t entity, int item);

/* eval.c */
typedef struct ev_ctx {
  engine *e;
  eng_title *t;
  eng_item *item;           /* the item whose rule is evaluated, or NULL */
  const float *items_value; /* inside "items": the current item's values */
  crit_entity kind;         /* kind of the elements */
  const int32_t *sel;       /* element indexes, or NULL for 0..n-1 */
  int32_t n;
} ev_ctx;

void eng__ev(const ev_ctx *c, const crit_expr *x, double *out);
/* Evaluates title t for the entities in sel (NULL = all). */
void eng__eval_title(engine *e, eng_title *t, const int32_t *sel, int32_t n);
int eng__truthy(double v);

#endif
