/*
 * crit.h - criteria as data: the parsed form of a criteria file
 * (docs/criteria-format.md). One file holds one or more titles; each title
 * has items, optional groups and a recognition rule, and every rule carries
 * its provenance. Expressions are trees of crit_expr.
 *
 * Memory: everything hangs off the crit_set's arena; crit_set_free() frees it.
 */
#ifndef HOCTAP_CRITERIA_CRIT_H
#define HOCTAP_CRITERIA_CRIT_H

#include <stddef.h>

#include "base/arena.h"
#include "base/issues.h"
#include "base/strbuf.h"

typedef enum crit_entity {
  CRIT_PERSON,
  CRIT_HOUSEHOLD,
  CRIT_CLAN,
  CRIT_VILLAGE,
  CRIT_ORGANISATION,
  CRIT_COMMUNE,
  CRIT_DISTRICT,
  CRIT_PROVINCE,
  CRIT_ENTITY_COUNT
} crit_entity;

typedef enum crit_op {
  OP_NUMBER,   /* number (percentages are stored as fractions) */
  OP_BOOL,     /* yes / no */
  OP_ENUM,     /* tot, kha, dat, chua-dat: number = rank (3..0) */
  OP_FIELD,    /* a fact of the current element: name */
  OP_VALUE,    /* the item's value (entered, or computed by `value`) */
  OP_TOTAL,    /* the title's total points */
  OP_GROUP,    /* points of group name */
  OP_IN_GROUP, /* the entity's unit belongs to unit group name */
  OP_TITLE,    /* recognised TITLE (of the current element) */
  OP_TITLE_LEVEL,
  OP_AGG, /* every / any / count / share over a collection */
  OP_NOT,
  OP_AND,
  OP_OR,
  OP_CMP,       /* a cmp b with cmp in "<", "<=", ">", ">=", "=", "!=" */
  OP_BETWEEN,   /* a between b and c (inclusive) */
  OP_ITEM,      /* item KEY: the value of another item of the same title */
  OP_STRING,    /* "text": compared with kind */
  OP_REGISTERED /* registered [TITLE]: registered for TITLE (name), or for this title (NULL) */
} crit_op;

typedef enum crit_agg { AGG_EVERY, AGG_ANY, AGG_COUNT, AGG_SHARE } crit_agg;

typedef struct crit_expr crit_expr;
struct crit_expr {
  crit_op op;
  int line, col;
  double number;
  const char *name; /* field, group, title key, collection, comparison */
  crit_agg agg;
  crit_expr *a, *b, *c; /* operands; for OP_AGG: a = where (or NULL), b = test (or NULL) */
};

typedef struct crit_points_rule { /* "points N when EXPR" or "level N when EXPR" */
  double points;
  int level;
  crit_expr *when;
  struct crit_points_rule *next;
} crit_points_rule;

typedef enum crit_input {
  INPUT_NONE,
  INPUT_YESNO,
  INPUT_PERCENT,
  INPUT_LEVEL,
  INPUT_NUMBER
} crit_input;

typedef struct crit_source {
  int assumed; /* 0 = confirmed by a source, 1 = an assumed default */
  const char *reference;
} crit_source;

typedef struct crit_item {
  const char *key, *text;
  int line;
  double max_points;
  const char *group;
  crit_input input;
  int input_min, input_max; /* for INPUT_LEVEL and INPUT_NUMBER */
  crit_expr *value;         /* derived value, or NULL */
  crit_expr *when;          /* pass rule for full points, or NULL */
  crit_expr *applies;       /* the item applies only when this holds; otherwise it counts as met */
  crit_points_rule *rules;  /* points/level thresholds, in file order */
  crit_source source;
  struct crit_item *next;
} crit_item;

typedef struct crit_group {
  const char *key, *text;
  int line;
  struct crit_group *next;
} crit_group;

typedef struct crit_title {
  const char *file; /* where it was read from */
  const char *key, *name, *name_en;
  int line;
  crit_entity entity;
  const char *decision, *decision_date;
  int applies_from;
  int province; /* 0 = every province */
  int levels;   /* 0 = points scoring, else the number of levels */
  int valid_months;
  int applies_until; /* last evaluated year (0 = open) */
  int requires_registration;
  int evidence_required; /* an entered item without evidence fails (MOET titles) */
  crit_expr *eligible;   /* who is counted at all (e.g. age >= 15); NULL = every entity */
  crit_source eligible_source;
  crit_group *groups;
  crit_item *items;
  crit_expr *recognise; /* points titles; levels titles use the item levels */
  crit_source recognise_source;
  struct crit_title *next;
} crit_title;

typedef struct crit_set {
  arena mem;
  crit_title *titles;
} crit_set;

/* Parses text (named file in messages) into set, appending its titles.
 * Every problem goes to out with its line and column (in the message) and a
 * hint; returns HT_EINVAL when there was any. */
int crit_parse(crit_set *set, const char *file, const char *text, size_t len, issues *out);
/* Checks the whole set: unknown title references, duplicate titles for the
 * same province and year, and cycles between titles. */
int crit_check_set(crit_set *set, issues *out);
/* Does an entity of kind parent have elements of kind child below it (its
 * members, households, ...)? The containment every/any/count/share follow. */
int crit_contains(crit_entity parent, crit_entity child);
void crit_set_init(crit_set *set);
void crit_set_free(crit_set *set);
const char *crit_entity_name(crit_entity e);
/* Appends e in the file format's syntax (parsing it back gives the same rule). */
void crit_expr_format(strbuf *b, const crit_expr *e);

#endif
