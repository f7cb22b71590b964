/* settings.c - stored configuration texts (see settings.h). */
#include "model/settings.h"

#include <jansson.h>
#include <stdlib.h>

#include "model/records.h"

int settings_get(db *d, const char *key, arena *a, const char **text) {
  *text = NULL;
  db_stmt *s;
  int rc = db_prepare(d, "SELECT text FROM settings_texts WHERE prov = $1 AND key = $2", &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_text(s, 2, key);
  rc = db_step(s);
  if (rc == DB_ROW) *text = arena_strdup(a, db_col_text(s, 0));
  db_finalize(s);
  return rc < 0 ? rc : HT_OK;
}

typedef struct put_ctx {
  const audit_actor *who;
  const char *key, *text, *action;
} put_ctx;

static int put_in_tx(db *d, void *arg) {
  put_ctx *x = arg;
  arena a;
  arena_init(&a, 0);
  const char *before = NULL;
  int rc = settings_get(d, x->key, &a, &before);
  db_stmt *s = NULL;
  if (rc == HT_OK)
    rc = db_prepare(d,
                    x->text ? "INSERT INTO settings_texts (prov, key, text, updated_at) VALUES "
                              "($1, $2, $3, $4) ON CONFLICT (prov, key) DO UPDATE SET text = "
                              "excluded.text, updated_at = excluded.updated_at"
                            : "DELETE FROM settings_texts WHERE prov = $1 AND key = $2",
                    &s);
  if (rc == HT_OK) {
    db_bind_int64(s, 1, db_prov(d));
    db_bind_text(s, 2, x->key);
    if (x->text) {
      db_bind_text(s, 3, x->text);
      db_bind_int64(s, 4, rec_now_ms());
    }
    rc = db_step(s);
    rc = rc == DB_DONE ? HT_OK : rc < 0 ? rc : HT_EDB;
    db_finalize(s);
  }
  if (rc == HT_OK) {
    json_t *b = before ? json_pack("{ss}", "text", before) : NULL;
    json_t *af = x->text ? json_pack("{ss}", "text", x->text) : NULL;
    char *bj = b ? json_dumps(b, JSON_COMPACT) : NULL;
    char *aj = af ? json_dumps(af, JSON_COMPACT) : NULL;
    audit_entry e = {x->action, "settings", x->key, "", bj, aj};
    ht_err err = {0};
    rc = audit_append(d, x->who, &e, &err);
    free(bj);
    free(aj);
    json_decref(b);
    json_decref(af);
  }
  arena_free(&a);
  return rc;
}

int settings_put(db *d, const audit_actor *who, const char *key, const char *text,
                 const char *action, ht_err *err) {
  put_ctx x = {who, key, text, action};
  int rc = db_tx(d, put_in_tx, &x);
  if (rc) ht_err_set(err, rc, "cannot store the settings '%s': %s", key, db_errmsg(d));
  return rc;
}
