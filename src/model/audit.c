/* audit.c - the hash-chained audit trail (see audit.h). */
#include "model/audit.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/sha256.h"
#include "base/strbuf.h"
#include "base/strmap.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"
#define MAX_PROBLEMS 100
#define AUDIT_SCHEMA_VERSION 5 /* the migration that adds the audit table */

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

audit_actor audit_cli_actor(char buf[64]) {
  const char *login = getenv("USER");
  struct passwd *pw = getpwuid(getuid());
  if (pw && pw->pw_name) login = pw->pw_name;
  snprintf(buf, 64, "cli:%s", login && *login ? login : "unknown");
  return (audit_actor){.user_id = 0, .name = buf, .addr = "local"};
}

/* Each field as "<length>:<bytes>;" so no two different entries serialise
 * alike; NULL (no before/after) is "-;", distinct from an empty string. */
static void put_field(sha256_ctx *c, const char *s) {
  char len[24];
  if (!s) {
    sha256_update(c, "-;", 2);
    return;
  }
  size_t n = strlen(s);
  int k = snprintf(len, sizeof len, "%zu:", n);
  sha256_update(c, len, (size_t)k);
  sha256_update(c, s, n);
  sha256_update(c, ";", 1);
}

static void entry_hash(const char *prev, int64_t at, int64_t actor_id, const char *actor,
                       const char *addr, const char *action, const char *kind, const char *id,
                       const char *unit, const char *before, const char *after, char out[65]) {
  sha256_ctx c;
  char num[48];
  sha256_init(&c);
  put_field(&c, prev);
  snprintf(num, sizeof num, "%lld", (long long)at);
  put_field(&c, num);
  snprintf(num, sizeof num, "%lld", (long long)actor_id);
  put_field(&c, num);
  put_field(&c, actor);
  put_field(&c, addr);
  put_field(&c, action);
  put_field(&c, kind);
  put_field(&c, id);
  put_field(&c, unit);
  put_field(&c, before);
  put_field(&c, after);
  uint8_t digest[32];
  sha256_final(&c, digest);
  for (int i = 0; i < 32; i++) snprintf(out + 2 * i, 3, "%02x", digest[i]);
}

int audit_append(db *d, const audit_actor *who, const audit_entry *e, ht_err *err) {
  /* A database held at an older schema (HOCTAP_SCHEMA_TARGET, the upgrade
   * tests) has no trail yet, as under the version that wrote it. */
  if (db_schema_version(d) < AUDIT_SCHEMA_VERSION) return HT_OK;
  db_stmt *s = NULL;
  int64_t seq = 0;
  char prev[65] = GENESIS, hash[65];
  int rc =
      db_prepare(d, "SELECT seq, hash FROM audit WHERE prov = $1 ORDER BY seq DESC LIMIT 1", &s);
  if (rc) goto fail;
  db_bind_int64(s, 1, db_prov(d));
  rc = db_step(s);
  if (rc == DB_ROW) {
    seq = db_col_int64(s, 0);
    snprintf(prev, sizeof prev, "%s", db_col_text(s, 1));
  } else if (rc < 0) {
    goto fail;
  }
  db_finalize(s);
  s = NULL;
  seq++;
  int64_t at = now_ms();
  const char *unit = e->unit_code ? e->unit_code : "";
  const char *id = e->object_id ? e->object_id : "";
  const char *addr = who->addr ? who->addr : "";
  entry_hash(prev, at, who->user_id, who->name, addr, e->action, e->object_kind, id, unit,
             e->before_json, e->after_json, hash);
  rc = db_prepare(d,
                  "INSERT INTO audit (prov, seq, at, actor_id, actor, addr, action, object_kind, "
                  "object_id, unit_code, before_json, after_json, prev_hash, hash) VALUES ($1, $2, "
                  "$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
                  &s);
  if (rc) goto fail;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, seq);
  db_bind_int64(s, 3, at);
  if (who->user_id)
    db_bind_int64(s, 4, who->user_id);
  else
    db_bind_null(s, 4);
  db_bind_text(s, 5, who->name);
  db_bind_text(s, 6, addr);
  db_bind_text(s, 7, e->action);
  db_bind_text(s, 8, e->object_kind);
  db_bind_text(s, 9, id);
  db_bind_text(s, 10, unit);
  db_bind_text(s, 11, e->before_json);
  db_bind_text(s, 12, e->after_json);
  db_bind_text(s, 13, prev);
  db_bind_text(s, 14, hash);
  rc = db_step(s);
  if (rc < 0) goto fail;
  db_finalize(s);
  s = NULL;
  char head[96];
  snprintf(head, sizeof head, "%lld:%s", (long long)seq, hash);
  rc = db_meta_set(d, "audit_head", head);
  if (rc) goto fail;
  return HT_OK;
fail:
  if (s) db_finalize(s);
  if (rc == HT_EBUSY) return rc; /* let db_tx retry */
  return ht_err_set(err, rc ? rc : HT_EDB, "cannot write the audit entry: %s", db_errmsg(d));
}

typedef struct append_ctx {
  const audit_actor *who;
  const audit_entry *e;
  ht_err *err;
} append_ctx;

static int append_fn(db *d, void *p) {
  append_ctx *c = p;
  return audit_append(d, c->who, c->e, c->err);
}

int audit_append_tx(db *d, const audit_actor *who, const audit_entry *e, ht_err *err) {
  append_ctx c = {who, e, err};
  int rc = db_tx_side(d, append_fn, &c);
  if (rc && !err->msg[0]) ht_err_set(err, rc, "cannot write the audit entry: %s", db_errmsg(d));
  return rc;
}

/* ---------------------------------------------------------------- verify */

typedef struct vrow {
  int64_t seq;
  char hash[65], prev[65];
  int content_ok;
} vrow;

static void problem(arena *a, audit_report *r, size_t *cap, int64_t seq, const char *kind,
                    const char *msg) {
  if (r->nproblems >= MAX_PROBLEMS) return;
  r->problems = arena_grow(a, r->problems, r->nproblems, cap, sizeof *r->problems);
  r->problems[r->nproblems++] = (audit_problem){seq, kind, msg};
}

int audit_verify(db *d, arena *a, audit_report *out, ht_err *err) {
  memset(out, 0, sizeof *out);
  db_stmt *s = NULL;
  vrow *rows = NULL;
  size_t n = 0, cap = 0, pcap = 0;
  int rc = db_prepare(d,
                      "SELECT seq, at, COALESCE(actor_id, 0), actor, addr, action, object_kind, "
                      "object_id, unit_code, before_json, after_json, prev_hash, hash, "
                      "before_json IS NULL, after_json IS NULL FROM audit WHERE prov = $1 "
                      "ORDER BY seq",
                      &s);
  if (rc) return ht_err_set(err, rc, "cannot read the audit trail: %s", db_errmsg(d));
  db_bind_int64(s, 1, db_prov(d));
  while ((rc = db_step(s)) == DB_ROW) {
    rows = arena_grow(a, rows, n, &cap, sizeof *rows);
    vrow *v = &rows[n++];
    v->seq = db_col_int64(s, 0);
    snprintf(v->prev, sizeof v->prev, "%s", db_col_text(s, 11));
    snprintf(v->hash, sizeof v->hash, "%s", db_col_text(s, 12));
    char want[65];
    entry_hash(v->prev, db_col_int64(s, 1), db_col_int64(s, 2), db_col_text(s, 3),
               db_col_text(s, 4), db_col_text(s, 5), db_col_text(s, 6), db_col_text(s, 7),
               db_col_text(s, 8), db_col_int64(s, 13) ? NULL : db_col_text(s, 9),
               db_col_int64(s, 14) ? NULL : db_col_text(s, 10), want);
    v->content_ok = strcmp(want, v->hash) == 0;
  }
  db_finalize(s);
  if (rc < 0) return ht_err_set(err, rc, "cannot read the audit trail: %s", db_errmsg(d));
  out->entries = (int64_t)n;

  /* hash -> position, to say where a broken link points; and the hashes some
   * entry links to, to tell an inserted entry (nobody links to it) from a
   * moved one */
  strmap at, linked;
  strmap_init(&at);
  strmap_init(&linked);
  for (size_t i = 0; i < n; i++) {
    strmap_put(&at, rows[i].hash, (int64_t)i + 1);
    strmap_put(&linked, rows[i].prev, 1);
  }

  for (size_t i = 0; i < n; i++) {
    vrow *v = &rows[i];
    if (!v->content_ok)
      problem(a, out, &pcap, v->seq, "modified",
              arena_sprintf(a, "entry %lld was modified: its content does not match its hash",
                            (long long)v->seq));
    const char *expect = i ? rows[i - 1].hash : GENESIS;
    if (strcmp(v->prev, expect) == 0) continue;
    int64_t want_seq = i ? rows[i - 1].seq + 1 : 1;
    int64_t pos = 0;
    int genesis = strcmp(v->prev, GENESIS) == 0;
    int known = genesis || strmap_get(&at, v->prev, &pos);
    size_t target = genesis ? 0 : (size_t)pos; /* rows before index target are behind the link */
    if (!known) {
      if (v->seq > want_seq)
        problem(a, out, &pcap, want_seq, "deleted",
                want_seq == v->seq - 1
                    ? arena_sprintf(a, "entry %lld was deleted", (long long)want_seq)
                    : arena_sprintf(a, "entries %lld to %lld were deleted", (long long)want_seq,
                                    (long long)(v->seq - 1)));
      else
        problem(a, out, &pcap, v->seq, "deleted",
                arena_sprintf(a,
                              "the chain is broken before entry %lld: the entry it links to "
                              "was changed or deleted",
                              (long long)v->seq));
      continue;
    }
    if (target > i) {
      problem(a, out, &pcap, v->seq, "reordered",
              arena_sprintf(a, "entry %lld is out of order: it follows entry %lld in the chain",
                            (long long)v->seq, (long long)rows[target - 1].seq));
      continue;
    }
    /* The link skips rows[target .. i-1]: inserted if nothing links to them. */
    int moved = 0;
    for (size_t k = target; k < i && !moved; k++) {
      int64_t unused;
      moved = strmap_get(&linked, rows[k].hash, &unused);
    }
    if (moved)
      problem(a, out, &pcap, v->seq, "reordered",
              arena_sprintf(a, "entry %lld is out of order: it follows entry %lld in the chain",
                            (long long)v->seq, target ? (long long)rows[target - 1].seq : 0LL));
    else
      for (size_t k = target; k < i; k++)
        problem(a, out, &pcap, rows[k].seq, "inserted",
                arena_sprintf(a, "entry %lld was inserted: no entry of the chain links to it",
                              (long long)rows[k].seq));
  }
  strmap_free(&linked);
  strmap_free(&at);

  if (n) {
    out->head_seq = rows[n - 1].seq;
    snprintf(out->head_hash, sizeof out->head_hash, "%s", rows[n - 1].hash);
  }
  char head[128];
  if (db_meta_get(d, "audit_head", head, sizeof head) == HT_OK) {
    char *colon = strchr(head, ':');
    long long hseq = strtoll(head, NULL, 10);
    if (colon && (hseq != out->head_seq || strcmp(colon + 1, out->head_hash) != 0)) {
      if (hseq > out->head_seq)
        problem(a, out, &pcap, out->head_seq + 1, "truncated",
                arena_sprintf(a, "the newest entries (%lld to %lld) were deleted",
                              (long long)out->head_seq + 1, hseq));
      else
        problem(a, out, &pcap, hseq, "inserted",
                arena_sprintf(a,
                              "the trail ends at entry %lld but the last recorded entry was %lld: "
                              "entries were added outside hoctap",
                              (long long)out->head_seq, hseq));
    }
  } else if (n) {
    problem(a, out, &pcap, out->head_seq, "modified",
            "the record of the newest entry (meta 'audit_head') is missing");
  }
  return HT_OK;
}

/* ------------------------------------------------------------------ list */

int audit_each(db *d, const audit_filter *f, int (*each)(void *ctx, const audit_row *row),
               void *ctx, ht_err *err) {
  strbuf sql = {0};
  strbuf_puts(&sql,
              "SELECT seq, at, COALESCE(actor_id, 0), actor, addr, action, object_kind, object_id, "
              "unit_code, before_json, after_json, hash, before_json IS NULL, after_json IS NULL "
              "FROM audit WHERE prov = $1");
  if (f->actor) strbuf_puts(&sql, " AND actor = $2");
  if (f->action) strbuf_puts(&sql, " AND action = $3");
  if (f->object_kind) strbuf_puts(&sql, " AND object_kind = $4");
  if (f->object_id) strbuf_puts(&sql, " AND object_id = $5");
  if (f->from_ms) strbuf_puts(&sql, " AND at >= $6");
  if (f->to_ms) strbuf_puts(&sql, " AND at < $7");
  if (f->action_prefix) strbuf_puts(&sql, " AND substr(action, 1, length($8)) = $8");
  if (f->entity)
    strbuf_puts(&sql,
                " AND (object_id = $9 OR (length(object_id) > length($9) AND "
                "substr(object_id, length(object_id) - length($9)) = '/' || $9))");
  strbuf_puts(&sql, " ORDER BY seq DESC");
  db_stmt *s;
  int rc = db_prepare(d, strbuf_cstr(&sql), &s);
  strbuf_free(&sql);
  if (rc) return ht_err_set(err, rc, "cannot read the audit trail: %s", db_errmsg(d));
  db_bind_int64(s, 1, db_prov(d));
  if (f->actor) db_bind_text(s, 2, f->actor);
  if (f->action) db_bind_text(s, 3, f->action);
  if (f->object_kind) db_bind_text(s, 4, f->object_kind);
  if (f->object_id) db_bind_text(s, 5, f->object_id);
  if (f->from_ms) db_bind_int64(s, 6, f->from_ms);
  if (f->to_ms) db_bind_int64(s, 7, f->to_ms);
  if (f->action_prefix) db_bind_text(s, 8, f->action_prefix);
  if (f->entity) db_bind_text(s, 9, f->entity);
  int stop = 0;
  while (!stop && (rc = db_step(s)) == DB_ROW) {
    audit_row r;
    r.unit_code = db_col_text(s, 8);
    if (f->unit_ok && (*r.unit_code ? !f->unit_ok(f->unit_ctx, r.unit_code) : !f->unitless_ok))
      continue;
    r.seq = db_col_int64(s, 0);
    r.at = db_col_int64(s, 1);
    r.actor_id = db_col_int64(s, 2);
    r.actor = db_col_text(s, 3);
    r.addr = db_col_text(s, 4);
    r.action = db_col_text(s, 5);
    r.object_kind = db_col_text(s, 6);
    r.object_id = db_col_text(s, 7);
    r.before_json = db_col_int64(s, 12) ? NULL : db_col_text(s, 9);
    r.after_json = db_col_int64(s, 13) ? NULL : db_col_text(s, 10);
    r.hash = db_col_text(s, 11);
    stop = each(ctx, &r);
  }
  db_finalize(s);
  if (rc < 0) return ht_err_set(err, rc, "cannot read the audit trail: %s", db_errmsg(d));
  return stop;
}

/* audit_list's collector: counts every row, copies those of the page. */
typedef struct list_ctx {
  arena *a;
  int64_t offset, limit, *total;
  audit_row **rows;
  size_t *n, cap;
} list_ctx;

static const char *copy_or_null(arena *a, const char *s) {
  return s ? arena_strdup(a, s) : NULL;
}

static int collect(void *p, const audit_row *row) {
  list_ctx *c = p;
  int64_t index = (*c->total)++;
  if (index < c->offset || index >= c->offset + c->limit) return 0;
  *c->rows = arena_grow(c->a, *c->rows, *c->n, &c->cap, sizeof **c->rows);
  audit_row *r = &(*c->rows)[(*c->n)++];
  *r = *row;
  r->actor = arena_strdup(c->a, row->actor);
  r->addr = arena_strdup(c->a, row->addr);
  r->action = arena_strdup(c->a, row->action);
  r->object_kind = arena_strdup(c->a, row->object_kind);
  r->object_id = arena_strdup(c->a, row->object_id);
  r->unit_code = arena_strdup(c->a, row->unit_code);
  r->before_json = copy_or_null(c->a, row->before_json);
  r->after_json = copy_or_null(c->a, row->after_json);
  r->hash = arena_strdup(c->a, row->hash);
  return 0;
}

int audit_list(db *d, const audit_filter *f, arena *a, audit_row **rows, size_t *n, int64_t *total,
               ht_err *err) {
  *rows = NULL;
  *n = 0;
  *total = 0;
  list_ctx c = {a, f->offset, f->limit > 0 ? f->limit : 50, total, rows, n, 0};
  return audit_each(d, f, collect, &c, err);
}
