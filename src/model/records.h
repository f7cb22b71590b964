/*
 * records.h - yearly records (docs/records.md; domain README §2): for one
 * title, year and evaluated entity, the registration (đăng ký), the values
 * entered by people (tự đánh giá), the evidence behind them (minh chứng) and
 * the reviewers' overrides of single items (bình xét).
 *
 * Tables records, record_evidence and record_overrides (migration 3). A
 * record is keyed by (title, year, entity): entity is the code of the
 * household, clan, organisation or administrative unit, or for a person the
 * person id in decimal. Entered values are kept in one text column in the
 * canonical form "KEY=VALUE;KEY=VALUE" sorted by key (byte order, so "i10"
 * sorts before "i2"), each VALUE printed with "%.10g": yes/no as 1/0,
 * percentages as fractions (92% -> 0.92), levels and numbers as themselves.
 *
 * Every change writes an audit entry (who, the record before and after) in
 * its own transaction (model/audit.h).
 *
 * Every change is checked against the version of the title in force for the
 * year and the database's province (crit_in_force), runs in one transaction
 * (db_tx) and leaves nothing behind when any part of it is wrong. Each change
 * to a record, its evidence or its overrides sets records.updated_at, so a
 * reader can find what changed; a records row exists whenever the record has
 * evidence or overrides.
 *
 * Memory: strings returned in structs come from the caller's arena; the
 * values iterator and formatter allocate nothing.
 */
#ifndef HOCTAP_MODEL_RECORDS_H
#define HOCTAP_MODEL_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/issues.h"
#include "base/strbuf.h"
#include "criteria/crit.h"
#include "model/audit.h"
#include "store/db.h"

#define REC_KEY_MAX 64                            /* buffer for an item key, NUL included */
#define REC_ENTITY_MAX 64                         /* buffer for an entity code, NUL included */
#define REC_EVIDENCE_MAX_BYTES (10 * 1024 * 1024) /* largest evidence file */
#define REC_NOTE_MAX_BYTES 4000                   /* longest evidence note, override reason */
/* The one title whose records carry a form group (nhóm phiếu 1-4): the
 * criteria format cannot declare form groups yet (TODO-FORMAT in its file). */
#define REC_FORM_GROUP_TITLE "cong-dan-hoc-tap"

/* ------------------------------------------------------------ values */

typedef struct rec_val {
  const char *key;
  double value;
} rec_val;

/* Reads the next KEY=VALUE pair of a canonical values string, starting at
 * *cursor, and moves *cursor past it. Copies the key (NUL-terminated) into
 * key[0..keysz) and the number into *value. Returns 1 when a pair was read,
 * 0 at the end of the string, HT_EINVAL when the text there is not a pair
 * (a malformed string, a key longer than keysz - 1, a value that is not a
 * finite number); *cursor is then left where the bad pair starts. No
 * allocation; O(length of the pair). Usage:
 *   const char *c = vals; char key[REC_KEY_MAX]; double v;
 *   while (rec_vals_next(&c, key, sizeof key, &v) == 1) ... */
int rec_vals_next(const char **cursor, char *key, size_t keysz, double *value);

/* Appends the canonical form of vals[0..n) to out: sorted by key (vals is
 * sorted in place, by insertion, so already sorted input costs O(n)), each
 * value printed with "%.10g". HT_EINVAL, with out unchanged, when a key is
 * empty, longer than REC_KEY_MAX - 1 or not made of letters, digits, '_' and
 * '-', when two pairs have the same key, or when a value is not finite. */
int rec_vals_format(rec_val *vals, size_t n, strbuf *out);

/* Writes value as the values string holds it: exactly what "%.10g" prints
 * ("0.92", "7.5", "3"; never "-0"), quickly for whole numbers and short
 * decimals. Returns the length written into buf (NUL-terminated). */
size_t rec_value_format(double value, char buf[32]);

/* The value of key in a canonical values string: 1 and *value when present,
 * 0 when absent, HT_EINVAL when the string is malformed. O(length). */
int rec_vals_get(const char *vals, const char *key, double *value);

/* ------------------------------------------------ items and entered text */

/* The item of t with this key, or NULL. */
const crit_item *rec_item_find(const crit_title *t, const char *key);

/* Parses what a person typed for an entered item into its canonical value:
 *  - yesno: có/không, co/khong, yes/no, y/n, 1/0, true/false, x (= yes),
 *    in any letter case -> 1 or 0;
 *  - percent: "92%" or "92,5%" -> 0.92, 0.925; a bare number from 0 to 1 is
 *    a fraction (0.92), a bare number above 1 up to 100 a percentage (92);
 *    so a share below 1% must be written with its % sign ("0.5%");
 *  - level A..B: a whole number from A to B;
 *  - number A..B: a number from A to B ("7.5" or "7,5").
 * HT_EINVAL with a message naming the item and what to enter; for an item
 * that is derived (no `input`) the message says it cannot be entered. */
int rec_value_parse(const crit_item *it, const char *text, double *out, ht_err *err);

/* How a canonical value reads for the item's input type: "yes", "no", "92%",
 * "3", "7.5". Writes into buf (at least 32 bytes); returns buf. */
const char *rec_value_text(const crit_item *it, double value, char *buf, size_t size);

/* ------------------------------------------------------------ targets */

/* What one change or query is about: the version of a title in force for
 * the year and province, and the entity, checked to exist that year. */
typedef struct rec_target {
  const crit_title *title;
  int year;
  char entity[REC_ENTITY_MAX];  /* canonical: what records.entity holds */
  char display[REC_ENTITY_MAX]; /* how people name it: the code, or P<id> for a person */
  char label[256];              /* its name, for messages and listings */
  char label_vi[256];           /* the same for Vietnamese messages ("hộ Nguyễn Văn An") */
  char place[REC_ENTITY_MAX];   /* the administrative unit holding it that year (its village,
                                   managing unit, or itself); "" when it has none */
} rec_target;

/* Resolves title (a key), year and entity (as a person types it) for the
 * province of d:
 *  - the title must be known and have a version in force for the year;
 *  - a person is a 12-digit citizen ID or P<id>, and must have a
 *    person_years row for the year (be a household member that year);
 *  - a household must be placed in a village by that year and not closed;
 *  - clans and organisations are looked up by code;
 *  - villages, communes, districts and the province are unit codes whose
 *    version valid on 31 December of the year is at the title's level.
 * HT_EINVAL or HT_ENOTFOUND with a message naming --title, --year or ENTITY
 * and what to do; HT_EDB on a database error. */
int rec_target_resolve(db *d, const crit_set *set, const char *title, int year, const char *entity,
                       rec_target *out, ht_err *err);

/* ------------------------------------------------------------ records */

/* Where a record stands in the yearly workflow (model/workflow.h): "open"
 * (being entered), "returned" (sent back by a reviewer, being fixed),
 * "submitted", "accepted" (reviewed), "recognised" or "not-recognised" (by a
 * decision; locked). Values, registration and evidence change only while
 * open or returned; a reviewer's overrides also while submitted. */
#define REC_STAGE_MAX 16
int rec_stage_editable(const char *stage);
/* The stage of t's record into stage ("open" when there is no row); *exists
 * (may be NULL) whether there is one. */
int rec_stage_of(db *d, const rec_target *t, char stage[REC_STAGE_MAX], int *exists);

typedef struct rec_record {
  int exists;                /* 0: no row yet (everything below empty) */
  char stage[REC_STAGE_MAX]; /* "open" when there is no row */
  const char *comment;       /* the reviewer's or approver's last word to the submitter ("") */
  char registered_on[11];    /* ISO date, "" when not registered */
  int form_group;            /* 1..4, 0 when none */
  const char *vals;          /* canonical values, from the arena ("" when none) */
  int64_t updated_at;        /* epoch ms */
} rec_record;

/* Reads the record of t (out->exists = 0 when there is none). */
int rec_get(db *d, const rec_target *t, arena *a, rec_record *out);

enum { REC_REG_KEEP, REC_REG_SET, REC_REG_CLEAR };

/* A change to a record: registration, form group and entered values, merged
 * into what is stored. */
typedef struct rec_change {
  int registration;               /* REC_REG_KEEP, REC_REG_SET (registered_on) or REC_REG_CLEAR */
  const char *registered_on;      /* YYYY-MM-DD in the year or the year before */
  int set_form_group;             /* 1: set form_group; 0: keep the stored one */
  int form_group;                 /* 1..4 (REC_FORM_GROUP_TITLE only) */
  const char *const *assignments; /* "KEY=VALUE" sets an entered item, "KEY=" removes it */
  size_t nassignments;
} rec_change;

/* Checks every part of ch against t's title and writes it in one
 * transaction. Each problem goes to problems with its field (the item key,
 * "--registered", "--group") and what to do, and then nothing is written
 * (HT_EINVAL). HT_EDB/HT_EBUSY with err on a database failure. Working
 * memory comes from problems' arena. O(values). */
int rec_set(db *d, const audit_actor *who, const rec_target *t, const rec_change *ch,
            issues *problems, ht_err *err);

enum { REC_UNCHANGED, REC_ADDED, REC_CHANGED };

/* As rec_set, inside the caller's transaction (an import that writes many
 * records at once, all or nothing): nothing is committed or rolled back
 * here. A change that leaves the record as it was writes nothing (no audit
 * entry either). *outcome (may be NULL) gets REC_ADDED, REC_CHANGED or
 * REC_UNCHANGED. HT_EINVAL with problems, or a database error code. */
int rec_set_in_tx(db *d, const audit_actor *who, const rec_target *t, const rec_change *ch,
                  issues *problems, int *outcome);

/* ----------------------------------------------------------- evidence */

typedef struct rec_evidence {
  int64_t id;
  const char *item, *note;
  const char *file_name, *media_type, *sha256; /* NULL without a file */
  int64_t size;                                /* bytes of the file, 0 without */
  int64_t created_at;                          /* epoch ms */
} rec_evidence;

/* The media type of an evidence file judged by its first bytes (PDF "%PDF-",
 * PNG, JPEG) and its name's extension, which must agree: "application/pdf",
 * "image/png" or "image/jpeg". HT_EINVAL with a message naming the file
 * otherwise; HT_ELIMIT above REC_EVIDENCE_MAX_BYTES. */
int rec_evidence_check_file(const char *file_name, const void *data, size_t size,
                            const char **media_type, ht_err *err);

/* Adds evidence to item of t's record: a note (required) and optionally a
 * file (file_name NULL for none; data[0..size) is checked, hashed and stored).
 * Creates the record row (unregistered, no values) if there is none.
 * *id_out gets the new evidence id. */
int rec_evidence_add(db *d, const audit_actor *who, const rec_target *t, const char *item,
                     const char *note, const char *file_name, const void *data, size_t size,
                     int64_t *id_out, ht_err *err);

/* The evidence of t's record, oldest first, without file contents. */
int rec_evidence_list(db *d, const rec_target *t, arena *a, rec_evidence **out, size_t *n);

/* ---------------------------------------------------------- overrides */

enum { REC_OVR_POINTS, REC_OVR_LEVEL, REC_OVR_PASS };

typedef struct rec_override {
  const char *item;
  int kind;      /* REC_OVR_POINTS, REC_OVR_LEVEL or REC_OVR_PASS */
  double points; /* REC_OVR_POINTS: 0..the item's maximum (points titles) */
  int level;     /* REC_OVR_LEVEL: 0..the title's levels (levels titles) */
  int passed;    /* REC_OVR_PASS: 1 or 0 */
  const char *reason, *by_name;
  int64_t at; /* epoch ms; set by rec_override_set */
} rec_override;

/* Sets (replaces) the reviewer's override of one item. HT_EINVAL with a
 * message naming ITEM, --points, --level, --reason or --by when it does not
 * fit the title. */
int rec_override_set(db *d, const audit_actor *who, const rec_target *t, const rec_override *o,
                     ht_err *err);
/* Removes the override of item; *cleared = 1 if there was one. */
int rec_override_clear(db *d, const audit_actor *who, const rec_target *t, const char *item,
                       int *cleared, ht_err *err);
/* The overrides of t's record, by item key. */
int rec_override_list(db *d, const rec_target *t, arena *a, rec_override **out, size_t *n);

/* Epoch milliseconds now (records' updated_at, evidence and override times). */
int64_t rec_now_ms(void);

#endif
