/*
 * audit.h - the audit trail (docs/access.md, "Audit"): an append-only,
 * hash-chained log of every write and of failed logins and refusals.
 *
 * Each entry records who (user id and name, or "cli:<login>" for the command
 * line), when (epoch ms), from where (client address, or "local"), what
 * (action, object kind and id, the unit the object belongs to) and the state
 * before and after as JSON text. Its hash is SHA-256 over the previous
 * entry's hash and the entry's fields (not its seq: the chain itself fixes
 * the order), so a modified, deleted, inserted or reordered row breaks the
 * chain at that place. The newest entry's seq and hash are also kept in meta
 * key 'audit_head', written in the same transaction, so deleting the last
 * rows is detected too. Someone who can rewrite the whole file can recompute
 * the chain; `hoctap audit verify` prints the head hash so an operator can
 * keep it elsewhere and check it later (--head).
 *
 * Nothing in the product updates or deletes an audit row.
 */
#ifndef HOCTAP_MODEL_AUDIT_H
#define HOCTAP_MODEL_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "store/db.h"

typedef struct audit_actor {
  int64_t user_id;  /* 0 for the command line */
  const char *name; /* username, or "cli:<login>" */
  const char *addr; /* client address, or "local" */
} audit_actor;

typedef struct audit_entry {
  const char *action;      /* "user.create", "record.set", "login.failed", ... */
  const char *object_kind; /* "user", "record", "household", "session", ... */
  const char *object_id;
  const char *unit_code;   /* the unit the object belongs to ("" when none) */
  const char *before_json; /* NULL when there was nothing before */
  const char *after_json;  /* NULL when nothing is left after */
} audit_entry;

/* The actor for the command line: "cli:" and the login name, address "local".
 * buf holds the name. */
audit_actor audit_cli_actor(char buf[64]);

/* Appends e as the newest entry. Must run inside the caller's transaction
 * (db_tx), so the entry commits or rolls back with the change it describes.
 * O(1) queries. */
int audit_append(db *d, const audit_actor *who, const audit_entry *e, ht_err *err);
/* Appends e in a transaction of its own (failed logins, refusals). */
int audit_append_tx(db *d, const audit_actor *who, const audit_entry *e, ht_err *err);

typedef struct audit_problem {
  int64_t seq;      /* the entry concerned */
  const char *kind; /* "modified", "deleted", "inserted", "reordered", "truncated" */
  const char *message;
} audit_problem;

typedef struct audit_report {
  int64_t entries;  /* rows checked */
  int64_t head_seq; /* the newest entry */
  char head_hash[65];
  audit_problem *problems; /* from the caller's arena */
  size_t nproblems;
} audit_report;

/* Walks the whole chain in seq order and reports every break it finds
 * (at most 100). HT_OK even when problems are found: look at nproblems.
 * O(entries) time, O(entries) memory for the hash index. */
int audit_verify(db *d, arena *a, audit_report *out, ht_err *err);

/* One entry as stored. */
typedef struct audit_row {
  int64_t seq, at, actor_id;
  const char *actor, *addr, *action, *object_kind, *object_id, *unit_code;
  const char *before_json, *after_json; /* NULL when absent */
  const char *hash;
} audit_row;

typedef struct audit_filter {
  const char *actor, *action, *object_kind, *object_id; /* NULL: any */
  const char *action_prefix;                            /* "user." matches user.*; NULL: any */
  /* An entity code: entries about it (object_id CODE) and about its records
   * (object_id "TITLE/YEAR/CODE"); NULL: any. */
  const char *entity;
  int64_t from_ms, to_ms; /* 0: open */
  /* When set, only entries whose unit_code this returns true for; entries
   * with an empty unit_code are kept only when unitless_ok. */
  int (*unit_ok)(void *ctx, const char *unit_code);
  void *unit_ctx;
  int unitless_ok;
  int64_t offset, limit; /* limit 0: 50 */
} audit_filter;

/* Entries matching f, newest first; *total counts all matches. Rows and their
 * strings come from a. */
int audit_list(db *d, const audit_filter *f, arena *a, audit_row **rows, size_t *n, int64_t *total,
               ht_err *err);
/* Calls each(ctx, row) for every entry matching f, newest first (offset and
 * limit are ignored), without keeping rows: a whole trail streams in O(1)
 * memory. The row's strings last only for the call. Stops at the first
 * non-zero return of each and returns it; HT_OK or an error otherwise. */
int audit_each(db *d, const audit_filter *f, int (*each)(void *ctx, const audit_row *row),
               void *ctx, ht_err *err);

#endif
