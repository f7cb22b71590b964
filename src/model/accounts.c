/* accounts.c - users, roles, passwords, sessions, tokens (see accounts.h). */
#include "model/accounts.h"

#include <ctype.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/sha256.h"
#include "base/vtext.h"
#include "model/acl.h"
#include "model/passwords_common.h"

int acct_init(ht_err *err) {
  if (sodium_init() < 0) return ht_err_set(err, HT_ERR, "cannot initialise libsodium");
  return HT_OK;
}

int64_t acct_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int db_fail(db *d, ht_err *err, int rc, const char *what) {
  if (rc == HT_EBUSY) return rc;
  return ht_err_set(err, rc ? rc : HT_EDB, "cannot %s: %s", what, db_errmsg(d));
}

/* Runs one statement with text/int parameters given as a format: 't' text,
 * 'i' int64, 'n' NULL. */
static int exec_params(db *d, const char *sql, const char *fmt, ...) {
  db_stmt *s;
  int rc = db_prepare(d, sql, &s);
  if (rc) return rc;
  va_list ap;
  va_start(ap, fmt);
  for (int i = 0; fmt[i]; i++) {
    if (fmt[i] == 't')
      db_bind_text(s, i + 1, va_arg(ap, const char *));
    else if (fmt[i] == 'i')
      db_bind_int64(s, i + 1, va_arg(ap, int64_t));
    else
      db_bind_null(s, i + 1);
  }
  va_end(ap);
  rc = db_step(s);
  db_finalize(s);
  return rc < 0 ? rc : HT_OK;
}

/* ----------------------------------------------------------------- roles */

static const struct {
  const char *key, *name_vi, *name_en, *perms;
} default_roles[] = {
    {"viewer", "Người xem", "Viewer", "units.read registry.read records.read"},
    {"data-entry", "Cán bộ nhập liệu", "Data entry",
     "units.read registry.read records.read registry.write records.write personal.read"},
    {"reviewer", "Cán bộ thẩm định", "Reviewer",
     "units.read registry.read records.read records.review"},
    {"approver", "Người công nhận", "Approver",
     "units.read registry.read records.read records.review records.approve"},
    {"treasurer", "Thủ quỹ khuyến học", "Fund treasurer",
     "units.read registry.read funds.read funds.write"},
    {"admin", "Quản trị hệ thống", "Administrator",
     "units.read registry.read registry.write records.read records.write records.review "
     "records.approve personal.read personal.export users.manage audit.read criteria.manage "
     "funds.read funds.write funds.approve"},
};

int acct_roles_seed(db *d, ht_err *err) {
  for (size_t i = 0; i < sizeof default_roles / sizeof default_roles[0]; i++) {
    int rc = exec_params(d,
                         "INSERT INTO roles (prov, key, name_vi, name_en, perms) VALUES ($1, $2, "
                         "$3, $4, $5) ON CONFLICT (prov, key) DO NOTHING",
                         "itttt", db_prov(d), default_roles[i].key, default_roles[i].name_vi,
                         default_roles[i].name_en, default_roles[i].perms);
    if (rc) return db_fail(d, err, rc, "write the default roles");
  }
  return HT_OK;
}

static void role_from_row(db_stmt *s, arena *a, acct_role *r) {
  r->key = arena_strdup(a, db_col_text(s, 0));
  r->name_vi = arena_strdup(a, db_col_text(s, 1));
  r->name_en = arena_strdup(a, db_col_text(s, 2));
  const char *bad;
  if (acl_perms_parse(db_col_text(s, 3), &r->perms, a, &bad)) r->perms = 0; /* fail closed */
}

int acct_role_get(db *d, const char *key, arena *a, acct_role *out) {
  db_stmt *s;
  int rc = db_prepare(
      d, "SELECT key, name_vi, name_en, perms FROM roles WHERE prov = $1 AND key = $2", &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_text(s, 2, key);
  rc = db_step(s);
  if (rc == DB_ROW) role_from_row(s, a, out);
  db_finalize(s);
  return rc == DB_ROW ? HT_OK : rc < 0 ? rc : HT_ENOTFOUND;
}

int acct_roles_list(db *d, arena *a, acct_role **out, size_t *n) {
  *out = NULL;
  *n = 0;
  size_t cap = 0;
  db_stmt *s;
  int rc = db_prepare(
      d, "SELECT key, name_vi, name_en, perms FROM roles WHERE prov = $1 ORDER BY key", &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  while ((rc = db_step(s)) == DB_ROW) {
    *out = arena_grow(a, *out, *n, &cap, sizeof **out);
    role_from_row(s, a, &(*out)[(*n)++]);
  }
  db_finalize(s);
  return rc < 0 ? rc : HT_OK;
}

typedef struct role_put {
  const audit_actor *who;
  const char *key, *name_vi, *name_en, *perms;
  ht_err *err;
} role_put;

static int role_put_tx(db *d, void *p) {
  role_put *c = p;
  arena a;
  arena_init(&a, 0);
  acct_role old;
  int had = acct_role_get(d, c->key, &a, &old) == HT_OK;
  int rc = exec_params(d,
                       "INSERT INTO roles (prov, key, name_vi, name_en, perms) VALUES ($1, $2, $3, "
                       "$4, $5) ON CONFLICT (prov, key) DO UPDATE SET name_vi = excluded.name_vi, "
                       "name_en = excluded.name_en, perms = excluded.perms",
                       "itttt", db_prov(d), c->key, c->name_vi, c->name_en, c->perms);
  if (rc) {
    arena_free(&a);
    return db_fail(d, c->err, rc, "write the role");
  }
  json_t *after = json_pack("{ssssssss}", "key", c->key, "name_vi", c->name_vi, "name_en",
                            c->name_en, "perms", c->perms);
  char *after_s = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
  char *before_s = NULL;
  if (had) {
    json_t *b = json_pack("{ssssssss}", "key", old.key, "name_vi", old.name_vi, "name_en",
                          old.name_en, "perms", acl_perms_format(old.perms, &a));
    before_s = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(b);
  }
  audit_entry e = {had ? "role.update" : "role.create", "role", c->key, "", before_s, after_s};
  rc = audit_append(d, c->who, &e, c->err);
  json_decref(after);
  free(after_s);
  free(before_s);
  arena_free(&a);
  return rc;
}

int acct_role_put(db *d, const audit_actor *who, const char *key, const char *name_vi,
                  const char *name_en, const char *perms, ht_err *err) {
  if (!key || !*key || strlen(key) > 32 ||
      strspn(key, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(key))
    return ht_err_set(err, HT_EINVAL,
                      "the role key must be 1 to 32 lowercase letters, digits or '-', not '%s'",
                      key ? key : "");
  if (!name_vi || !*name_vi) return ht_err_set(err, HT_EINVAL, "the role needs a Vietnamese name");
  arena a;
  arena_init(&a, 0);
  uint32_t mask;
  const char *bad = NULL;
  int rc = acl_perms_parse(perms, &mask, &a, &bad);
  if (rc) {
    ht_err_set(err, HT_EINVAL, "unknown permission '%s'; run 'hoctap role list' for the keys", bad);
    arena_free(&a);
    return HT_EINVAL;
  }
  role_put c = {
      who, key, name_vi, name_en && *name_en ? name_en : name_vi, acl_perms_format(mask, &a), err};
  rc = db_tx_side(d, role_put_tx, &c);
  if (rc && !err->msg[0]) db_fail(d, err, rc, "write the role");
  arena_free(&a);
  return rc;
}

/* ------------------------------------------------------------- passwords */

/* Number of code points (the user's idea of length). */
static size_t utf8_chars(const char *s) {
  size_t n = 0;
  for (; *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80) n++;
  return n;
}

static int is_common(const char *password) {
  /* lowercase ASCII; strip digits and symbols at both ends ("Matkhau@2025" -> "matkhau") */
  char buf[ACCT_PASSWORD_MAX + 1];
  size_t n = 0;
  for (const char *p = password; *p && n < ACCT_PASSWORD_MAX; p++)
    buf[n++] = (char)tolower((unsigned char)*p);
  buf[n] = 0;
  if (password_is_common(buf)) return 1;
  size_t start = 0, end = n;
  while (start < end && !isalpha((unsigned char)buf[start])) start++;
  while (end > start && !isalpha((unsigned char)buf[end - 1])) end--;
  buf[end] = 0;
  if (end - start >= 4 && password_is_common(buf + start)) return 1;
  /* all digits: a date or a phone-like run is not a password */
  return start == end;
}

static int contains_ci(const char *hay, const char *needle) {
  size_t hn = strlen(hay), nn = strlen(needle);
  if (!nn || nn > hn) return 0;
  for (size_t i = 0; i + nn <= hn; i++)
    if (strncasecmp(hay + i, needle, nn) == 0) return 1;
  return 0;
}

int acct_password_check(const char *username, const char *password, const char **why_en,
                        const char **why_vi) {
  static char en_short[96], vi_short[128];
  snprintf(en_short, sizeof en_short, "the password must have at least %d characters",
           ACCT_PASSWORD_MIN);
  snprintf(vi_short, sizeof vi_short, "Mật khẩu phải có ít nhất %d ký tự.", ACCT_PASSWORD_MIN);
  if (!password || !vt_utf8_valid(password, strlen(password))) {
    *why_en = "the password is not valid text";
    *why_vi = "Mật khẩu chứa ký tự không hợp lệ.";
    return HT_EINVAL;
  }
  if (utf8_chars(password) < ACCT_PASSWORD_MIN) {
    *why_en = en_short;
    *why_vi = vi_short;
    return HT_EINVAL;
  }
  if (strlen(password) > ACCT_PASSWORD_MAX) {
    *why_en = "the password is too long (at most 128 bytes)";
    *why_vi = "Mật khẩu quá dài (tối đa 128 byte).";
    return HT_EINVAL;
  }
  int same = 1;
  for (const char *p = password + 1; *p; p++) same &= *p == password[0];
  if (same || is_common(password)) {
    *why_en = "this password is too common or too easy to guess; choose another";
    *why_vi = "Mật khẩu này quá phổ biến hoặc dễ đoán; hãy chọn mật khẩu khác.";
    return HT_EINVAL;
  }
  if (username && strlen(username) >= 3 && contains_ci(password, username)) {
    *why_en = "the password must not contain the username";
    *why_vi = "Mật khẩu không được chứa tên đăng nhập.";
    return HT_EINVAL;
  }
  return HT_OK;
}

void acct_one_time_password(char out[16]) {
  static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789"; /* no i l o 0 1 */
  size_t k = 0;
  for (int i = 0; i < 12; i++) {
    if (i && i % 4 == 0) out[k++] = '-';
    out[k++] = alphabet[randombytes_uniform((uint32_t)(sizeof alphabet - 1))];
  }
  out[k] = 0;
}

static int hash_password(const char *password, char out[crypto_pwhash_STRBYTES], ht_err *err) {
  if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return ht_err_set(err, HT_ENOMEM, "cannot hash the password (out of memory)");
  return HT_OK;
}

/* ---------------------------------------------------------------- tokens */

/* token = "hoctap_" + base64url(32 random bytes); hash = SHA-256 hex. */
static void new_token(char token[ACCT_TOKEN_BUF]) {
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  memcpy(token, "hoctap_", 7);
  sodium_bin2base64(token + 7, ACCT_TOKEN_BUF - 7, raw, sizeof raw,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(raw, sizeof raw);
}

static void token_hash(const char *token, char out[65]) {
  sha256_hex(token, strlen(token), out);
}

/* ----------------------------------------------------------------- users */

#define USER_COLS                                                                                 \
  "u.id, u.username, u.full_name, u.role, u.unit_code, u.must_change, u.disabled, u.created_at, " \
  "COALESCE(u.last_login_at, 0), COALESCE(r.name_vi, u.role), COALESCE(r.name_en, u.role), "      \
  "COALESCE(r.perms, '')"
#define USER_FROM " FROM users u LEFT JOIN roles r ON r.prov = u.prov AND r.key = u.role"

static void user_from_row(db_stmt *s, int col, arena *a, acct_user *u) {
  u->id = db_col_int64(s, col + 0);
  u->username = arena_strdup(a, db_col_text(s, col + 1));
  u->full_name = arena_strdup(a, db_col_text(s, col + 2));
  u->role = arena_strdup(a, db_col_text(s, col + 3));
  u->unit_code = arena_strdup(a, db_col_text(s, col + 4));
  u->must_change = (int)db_col_int64(s, col + 5);
  u->disabled = (int)db_col_int64(s, col + 6);
  u->created_at = db_col_int64(s, col + 7);
  u->last_login_at = db_col_int64(s, col + 8);
  u->role_name_vi = arena_strdup(a, db_col_text(s, col + 9));
  u->role_name_en = arena_strdup(a, db_col_text(s, col + 10));
  const char *bad;
  if (acl_perms_parse(db_col_text(s, col + 11), &u->perms, a, &bad)) u->perms = 0;
}

static int user_query(db *d, const char *where, const char *text, int64_t num, arena *a,
                      acct_user *out) {
  char sql[512];
  snprintf(sql, sizeof sql, "SELECT " USER_COLS USER_FROM " WHERE u.prov = $1 AND %s", where);
  db_stmt *s;
  int rc = db_prepare(d, sql, &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  if (text)
    db_bind_text(s, 2, text);
  else
    db_bind_int64(s, 2, num);
  rc = db_step(s);
  if (rc == DB_ROW) user_from_row(s, 0, a, out);
  db_finalize(s);
  return rc == DB_ROW ? HT_OK : rc < 0 ? rc : HT_ENOTFOUND;
}

int acct_user_by_name(db *d, const char *username, arena *a, acct_user *out) {
  return user_query(d, "u.username = $2", username, 0, a, out);
}

int acct_user_by_id(db *d, int64_t id, arena *a, acct_user *out) {
  return user_query(d, "u.id = $2", NULL, id, a, out);
}

int acct_user_count(db *d, int64_t *n) {
  return db_query_int64(d, n, "SELECT COUNT(*) FROM users WHERE prov = $1", 1, db_prov(d));
}

typedef struct keyed_user {
  const char *key; /* vt_sort_key of the full name, given name first */
  acct_user u;
} keyed_user;

static int by_name(const void *pa, const void *pb) {
  const keyed_user *a = pa, *b = pb;
  int c = strcmp(a->key, b->key);
  return c ? c : strcmp(a->u.username, b->u.username);
}

/* The accounts of a province are a few thousand at most, so they are sorted
 * here rather than in SQL, which has no portable Vietnamese collation.
 * O(n log n). */
int acct_users_list(db *d, arena *a, acct_user **out, size_t *n) {
  *out = NULL;
  *n = 0;
  size_t cap = 0;
  keyed_user *rows = NULL;
  db_stmt *s;
  int rc = db_prepare(d, "SELECT " USER_COLS USER_FROM " WHERE u.prov = $1", &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  while ((rc = db_step(s)) == DB_ROW) {
    rows = arena_grow(a, rows, *n, &cap, sizeof *rows);
    keyed_user *k = &rows[(*n)++];
    user_from_row(s, 0, a, &k->u);
    k->key = vt_sort_key_in(a, k->u.full_name, VT_SORT_GIVEN_NAME_FIRST);
  }
  db_finalize(s);
  if (rc < 0) {
    *n = 0;
    return rc;
  }
  if (*n) qsort(rows, *n, sizeof *rows, by_name);
  *out = arena_alloc(a, (*n + 1) * sizeof **out);
  for (size_t i = 0; i < *n; i++) (*out)[i] = rows[i].u;
  return HT_OK;
}

char *acct_user_audit_json(const acct_user *u, arena *a) {
  json_t *o =
      json_pack("{sssssssssssbsb}", "username", u->username, "full_name", u->full_name, "role",
                u->role, "unit", u->unit_code, "id", arena_sprintf(a, "%lld", (long long)u->id),
                "disabled", u->disabled, "must_change_password", u->must_change);
  char *text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(o);
  char *out = arena_strdup(a, text ? text : "{}");
  free(text);
  return out;
}

static int valid_username(const char *u) {
  size_t n = strlen(u);
  if (n < 3 || n > ACCT_USERNAME_MAX) return 0;
  if (!isalnum((unsigned char)u[0]) || isupper((unsigned char)u[0])) return 0;
  return strspn(u, "abcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

typedef struct create_ctx {
  const audit_actor *who;
  const acct_new_user *nu;
  const char *full_name, *hash;
  int must_change;
  int64_t id;
  ht_err *err;
} create_ctx;

static int create_tx(db *d, void *p) {
  create_ctx *c = p;
  int64_t now = acct_now_ms();
  c->id = db_new_id(d);
  int rc = exec_params(d,
                       "INSERT INTO users (prov, id, username, full_name, role, unit_code, "
                       "pw_hash, must_change, disabled, created_at) VALUES ($1, $2, $3, $4, $5, "
                       "$6, $7, $8, 0, $9)",
                       "iitttttii", db_prov(d), c->id, c->nu->username, c->full_name, c->nu->role,
                       c->nu->unit_code, c->hash, (int64_t)c->must_change, now);
  if (rc) return db_fail(d, c->err, rc, "create the user");
  arena a;
  arena_init(&a, 0);
  acct_user u;
  rc = acct_user_by_id(d, c->id, &a, &u);
  if (rc == HT_OK) {
    audit_entry e = {"user.create", "user", u.username,
                     u.unit_code,   NULL,   acct_user_audit_json(&u, &a)};
    rc = audit_append(d, c->who, &e, c->err);
  } else {
    rc = db_fail(d, c->err, rc, "read the new user");
  }
  arena_free(&a);
  return rc;
}

int acct_user_create(db *d, const hier *h, const audit_actor *who, const acct_new_user *nu,
                     char otp[16], int64_t *id, const char **field, const char **why_vi,
                     ht_err *err) {
  *field = NULL;
  *why_vi = NULL;
  arena a;
  arena_init(&a, 0);
  int rc = HT_EINVAL;
  char *full = NULL;
  acct_role role;
  acct_user existing;
  if (!nu->username || !valid_username(nu->username)) {
    *field = "username";
    *why_vi = "Tên đăng nhập gồm 3–64 ký tự: chữ thường không dấu, chữ số, '.', '_' hoặc '-'.";
    ht_err_set(err, HT_EINVAL,
               "the username must be 3 to 64 lowercase letters, digits, '.', '_' or '-', "
               "starting with a letter or digit");
    goto end;
  }
  if (acct_user_by_name(d, nu->username, &a, &existing) == HT_OK) {
    *field = "username";
    *why_vi = "Tên đăng nhập này đã có người dùng; hãy chọn tên khác.";
    ht_err_set(err, HT_EINVAL, "the username '%s' is taken; choose another", nu->username);
    goto end;
  }
  if (!nu->full_name || vt_clean(nu->full_name, &full) != HT_OK || !*full || strlen(full) > 200) {
    *field = "full_name";
    *why_vi = "Hãy nhập họ và tên (tối đa 200 ký tự).";
    ht_err_set(err, HT_EINVAL, "the full name is required (at most 200 bytes)");
    goto end;
  }
  char *nfc = NULL;
  if (vt_nfc(full, &nfc) == HT_OK) {
    free(full);
    full = nfc;
  }
  if (!nu->role || acct_role_get(d, nu->role, &a, &role) != HT_OK) {
    *field = "role";
    *why_vi = "Vai trò không tồn tại.";
    ht_err_set(err, HT_EINVAL, "unknown role '%s'; run 'hoctap role list'",
               nu->role ? nu->role : "");
    goto end;
  }
  size_t nv = 0;
  if (!nu->unit_code || (hier_versions(h, nu->unit_code, &nv), nv == 0)) {
    *field = "unit";
    *why_vi = "Mã đơn vị hành chính không tồn tại.";
    ht_err_set(err, HT_EINVAL, "unknown unit code '%s'; see 'hoctap units list'",
               nu->unit_code ? nu->unit_code : "");
    goto end;
  }
  const char *password = nu->password;
  int must_change = nu->must_change;
  if (!password) {
    acct_one_time_password(otp);
    password = otp;
    must_change = 1;
  } else {
    const char *why_en;
    if (acct_password_check(nu->username, password, &why_en, why_vi)) {
      *field = "password";
      ht_err_set(err, HT_EINVAL, "%s", why_en);
      goto end;
    }
  }
  char hash[crypto_pwhash_STRBYTES];
  rc = hash_password(password, hash, err);
  if (rc) goto end;
  create_ctx c = {who, nu, full, hash, must_change, 0, err};
  rc = db_tx_side(d, create_tx, &c);
  if (rc && !err->msg[0]) db_fail(d, err, rc, "create the user");
  if (rc == HT_OK && id) *id = c.id;
end:
  free(full);
  arena_free(&a);
  return rc;
}

typedef struct user_change {
  const audit_actor *who;
  int64_t id;
  const char *action;
  const char *sql; /* UPDATE users SET ... WHERE prov = $1 AND id = $2 [$3 text] */
  const char *text;
  int end_sessions; /* 1: all; 2: all but keep */
  const char *keep;
  int end_token;
  ht_err *err;
} user_change;

static int end_sessions_sql(db *d, int64_t user_id, const char *keep) {
  if (keep)
    return exec_params(d,
                       "DELETE FROM sessions WHERE prov = $1 AND user_id = $2 AND token_hash <> $3",
                       "iit", db_prov(d), user_id, keep);
  return exec_params(d, "DELETE FROM sessions WHERE prov = $1 AND user_id = $2", "ii", db_prov(d),
                     user_id);
}

static int user_change_tx(db *d, void *p) {
  user_change *c = p;
  arena a;
  arena_init(&a, 0);
  acct_user before, after;
  int rc = acct_user_by_id(d, c->id, &a, &before);
  if (rc == HT_ENOTFOUND) {
    ht_err_set(c->err, HT_ENOTFOUND, "no user with id %lld", (long long)c->id);
    goto end;
  }
  if (rc) goto fail;
  rc = c->text ? exec_params(d, c->sql, "iit", db_prov(d), c->id, c->text)
               : exec_params(d, c->sql, "ii", db_prov(d), c->id);
  if (rc) goto fail;
  if (c->end_sessions && (rc = end_sessions_sql(d, c->id, c->keep))) goto fail;
  if (c->end_token &&
      (rc = exec_params(d, "DELETE FROM api_tokens WHERE prov = $1 AND user_id = $2", "ii",
                        db_prov(d), c->id)))
    goto fail;
  if ((rc = acct_user_by_id(d, c->id, &a, &after))) goto fail;
  audit_entry e = {c->action,
                   "user",
                   after.username,
                   after.unit_code,
                   acct_user_audit_json(&before, &a),
                   acct_user_audit_json(&after, &a)};
  rc = audit_append(d, c->who, &e, c->err);
  goto end;
fail:
  rc = db_fail(d, c->err, rc, "change the user");
end:
  arena_free(&a);
  return rc;
}

static int user_change_run(db *d, user_change *c) {
  int rc = db_tx_side(d, user_change_tx, c);
  if (rc && !c->err->msg[0]) db_fail(d, c->err, rc, "change the user");
  return rc;
}

int acct_user_set_disabled(db *d, const audit_actor *who, int64_t id, int disabled, ht_err *err) {
  user_change c = {who,
                   id,
                   disabled ? "user.disable" : "user.enable",
                   disabled ? "UPDATE users SET disabled = 1 WHERE prov = $1 AND id = $2"
                            : "UPDATE users SET disabled = 0 WHERE prov = $1 AND id = $2",
                   NULL,
                   disabled,
                   NULL,
                   disabled,
                   err};
  return user_change_run(d, &c);
}

int acct_user_reset_password(db *d, const audit_actor *who, int64_t id, char otp[16], ht_err *err) {
  acct_one_time_password(otp);
  char hash[crypto_pwhash_STRBYTES];
  int rc = hash_password(otp, hash, err);
  if (rc) return rc;
  user_change c = {who,
                   id,
                   "user.reset-password",
                   "UPDATE users SET pw_hash = $3, must_change = 1 WHERE prov = $1 AND id = $2",
                   hash,
                   1,
                   NULL,
                   1, /* a new password also ends the API token */
                   err};
  return user_change_run(d, &c);
}

static int stored_hash(db *d, int64_t id, char out[crypto_pwhash_STRBYTES]) {
  db_stmt *s;
  int rc = db_prepare(d, "SELECT pw_hash FROM users WHERE prov = $1 AND id = $2", &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, id);
  rc = db_step(s);
  if (rc == DB_ROW) snprintf(out, crypto_pwhash_STRBYTES, "%s", db_col_text(s, 0));
  db_finalize(s);
  return rc == DB_ROW ? HT_OK : rc < 0 ? rc : HT_ENOTFOUND;
}

static int set_password(db *d, const audit_actor *who, int64_t id, const char *password,
                        const char *keep, const char **why_en, const char **why_vi, ht_err *err) {
  arena a;
  arena_init(&a, 0);
  acct_user u;
  int rc = acct_user_by_id(d, id, &a, &u);
  if (rc) {
    arena_free(&a);
    return ht_err_set(err, rc, "no user with id %lld", (long long)id);
  }
  rc = acct_password_check(u.username, password, why_en, why_vi);
  arena_free(&a);
  if (rc) return ht_err_set(err, HT_EINVAL, "%s", *why_en);
  char hash[crypto_pwhash_STRBYTES];
  if ((rc = hash_password(password, hash, err))) return rc;
  user_change c = {who,
                   id,
                   "password.change",
                   "UPDATE users SET pw_hash = $3, must_change = 0 WHERE prov = $1 AND id = $2",
                   hash,
                   1,
                   keep,
                   1, /* a new password also ends the API token */
                   err};
  return user_change_run(d, &c);
}

int acct_password_change(db *d, const audit_actor *who, int64_t id, const char *current,
                         const char *new_password, const char *keep_session, const char **why_en,
                         const char **why_vi, ht_err *err) {
  char hash[crypto_pwhash_STRBYTES];
  *why_en = *why_vi = NULL;
  int rc = stored_hash(d, id, hash);
  if (rc) return ht_err_set(err, rc, "no user with id %lld", (long long)id);
  if (!current || crypto_pwhash_str_verify(hash, current, strlen(current)) != 0) {
    *why_en = "the current password is wrong";
    *why_vi = "Mật khẩu hiện tại không đúng.";
    return ht_err_set(err, HT_ECONFLICT, "the current password is wrong");
  }
  if (current && new_password && strcmp(current, new_password) == 0) {
    *why_en = "the new password must differ from the current one";
    *why_vi = "Mật khẩu mới phải khác mật khẩu hiện tại.";
    return ht_err_set(err, HT_EINVAL, "%s", *why_en);
  }
  return set_password(d, who, id, new_password, keep_session, why_en, why_vi, err);
}

int acct_password_set(db *d, const audit_actor *who, int64_t id, const char *password,
                      const char **why_en, const char **why_vi, ht_err *err) {
  *why_en = *why_vi = NULL;
  return set_password(d, who, id, password, NULL, why_en, why_vi, err);
}

/* ---------------------------------------------------- login and sessions */

static int count_since(db *d, const char *col, const char *value, int64_t since, int64_t *n,
                       int64_t *oldest) {
  char sql[256];
  snprintf(sql, sizeof sql,
           "SELECT COUNT(*), COALESCE(MIN(at), 0) FROM login_failures WHERE prov = $1 AND %s = $2 "
           "AND at >= $3",
           col);
  db_stmt *s;
  int rc = db_prepare(d, sql, &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_text(s, 2, value);
  db_bind_int64(s, 3, since);
  rc = db_step(s);
  *n = rc == DB_ROW ? db_col_int64(s, 0) : 0;
  *oldest = rc == DB_ROW ? db_col_int64(s, 1) : 0;
  db_finalize(s);
  return rc < 0 ? rc : HT_OK;
}

/* Seconds until a login for username from addr is allowed (0: now). The
 * wait ends when enough of the window's failures have aged out; counting from
 * the oldest failure in the window is a safe upper bound. */
static int throttle_wait(db *d, const char *username, const char *addr, int64_t now,
                         int64_t *wait_s) {
  int64_t since = now - ACCT_FAIL_WINDOW_MS, n, oldest;
  *wait_s = 0;
  int rc = count_since(d, "username", username, since, &n, &oldest);
  if (rc) return rc;
  if (n >= ACCT_FAILS_PER_ACCOUNT) *wait_s = (oldest + ACCT_FAIL_WINDOW_MS - now + 999) / 1000;
  rc = count_since(d, "addr", addr, since, &n, &oldest);
  if (rc) return rc;
  if (n >= ACCT_FAILS_PER_ADDR) {
    int64_t w = (oldest + ACCT_FAIL_WINDOW_MS - now + 999) / 1000;
    if (w > *wait_s) *wait_s = w;
  }
  if (*wait_s < 0) *wait_s = 0;
  return HT_OK;
}

typedef struct login_ctx {
  const char *username, *addr;
  const acct_user *user; /* NULL on failure */
  int throttled;
  char token_hash[65];
  char csrf[ACCT_TOKEN_BUF];
  int64_t now;
  ht_err *err;
} login_ctx;

static int login_failed_tx(db *d, void *p) {
  login_ctx *c = p;
  int rc = exec_params(d,
                       "INSERT INTO login_failures (prov, id, at, username, addr) VALUES ($1, $2, "
                       "$3, $4, $5)",
                       "iiitt", db_prov(d), db_new_id(d), c->now, c->username, c->addr);
  if (rc) return db_fail(d, c->err, rc, "record the failed login");
  /* Keep the table small: failures older than a day serve no window. */
  exec_params(d, "DELETE FROM login_failures WHERE prov = $1 AND at < $2", "ii", db_prov(d),
              c->now - 24 * 3600 * 1000LL);
  json_t *o = json_pack("{ssss}", "username", c->username, "reason",
                        c->throttled ? "throttled" : "bad-credentials");
  char *after = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(o);
  audit_actor who = {0, c->username, c->addr};
  audit_entry e = {"login.failed", "session", c->username, "", NULL, after};
  rc = audit_append(d, &who, &e, c->err);
  free(after);
  return rc;
}

static int login_ok_tx(db *d, void *p) {
  login_ctx *c = p;
  const acct_user *u = c->user;
  int rc =
      exec_params(d,
                  "INSERT INTO sessions (prov, token_hash, user_id, csrf, addr, created_at, "
                  "last_seen) VALUES ($1, $2, $3, $4, $5, $6, $6)",
                  "itittii", db_prov(d), c->token_hash, u->id, c->csrf, c->addr, c->now, c->now);
  if (rc) return db_fail(d, c->err, rc, "open the session");
  if ((rc = exec_params(d, "UPDATE users SET last_login_at = $3 WHERE prov = $1 AND id = $2", "iii",
                        db_prov(d), u->id, c->now)))
    return db_fail(d, c->err, rc, "open the session");
  if ((rc = exec_params(d, "DELETE FROM login_failures WHERE prov = $1 AND username = $2", "it",
                        db_prov(d), u->username)))
    return db_fail(d, c->err, rc, "open the session");
  /* Sessions past their absolute expiry of any user are dead weight. */
  exec_params(d, "DELETE FROM sessions WHERE prov = $1 AND created_at < $2", "ii", db_prov(d),
              c->now - ACCT_ABSOLUTE_MS);
  audit_actor who = {u->id, u->username, c->addr};
  audit_entry e = {"login", "session", u->username, u->unit_code, NULL, NULL};
  return audit_append(d, &who, &e, c->err);
}

int acct_login(db *d, const char *username, const char *password, const char *addr, arena *a,
               char token[ACCT_TOKEN_BUF], acct_session *out, int64_t *retry_after_s, ht_err *err) {
  *retry_after_s = 0;
  memset(out, 0, sizeof *out);
  login_ctx c = {
      .username = username ? username : "", .addr = addr, .now = acct_now_ms(), .err = err};
  if (strlen(c.username) > ACCT_USERNAME_MAX) c.username = "(too long)";
  int64_t wait;
  int rc = throttle_wait(d, c.username, addr, c.now, &wait);
  if (rc) return db_fail(d, err, rc, "check the login");
  acct_user u;
  int found = acct_user_by_name(d, c.username, a, &u) == HT_OK;
  char hash[crypto_pwhash_STRBYTES];
  if (found && stored_hash(d, u.id, hash) != HT_OK) found = 0;
  /* Verify even for unknown users so timing does not tell them apart. */
  static char dummy[crypto_pwhash_STRBYTES];
  if (!dummy[0]) hash_password("not a real password", dummy, err);
  const char *pw = password ? password : "";
  int good = crypto_pwhash_str_verify(found ? hash : dummy, pw, strlen(pw)) == 0;
  if (wait > 0) {
    c.throttled = 1;
    rc = db_tx_side(d, login_failed_tx, &c);
    if (rc) return db_fail(d, err, rc, "record the failed login");
    *retry_after_s = wait;
    return ACCT_LOGIN_THROTTLED;
  }
  if (!found || !good || u.disabled) {
    rc = db_tx_side(d, login_failed_tx, &c);
    if (rc) return db_fail(d, err, rc, "record the failed login");
    return ACCT_LOGIN_BAD;
  }
  new_token(token);
  token_hash(token, c.token_hash);
  new_token(c.csrf);
  c.user = &u;
  rc = db_tx_side(d, login_ok_tx, &c);
  if (rc) return db_fail(d, err, rc, "open the session");
  out->user = u;
  out->user.last_login_at = c.now;
  memcpy(out->token_hash, c.token_hash, sizeof c.token_hash);
  memcpy(out->csrf, c.csrf, sizeof c.csrf);
  out->created_at = out->last_seen = c.now;
  return ACCT_LOGIN_OK;
}

/* The row of a session or API token (looked up by its hash with sql, whose
 * $1 is the province and $2 the hash): HT_OK with *s on the row (finalize
 * it), HT_ENOTFOUND for a malformed or unknown token. */
static int token_row(db *d, const char *token, const char *sql, db_stmt **s, char th[65]) {
  if (!token || strncmp(token, "hoctap_", 7) != 0 || strlen(token) >= ACCT_TOKEN_BUF)
    return HT_ENOTFOUND;
  token_hash(token, th);
  int rc = db_prepare(d, sql, s);
  if (rc) return rc;
  db_bind_int64(*s, 1, db_prov(d));
  db_bind_text(*s, 2, th);
  rc = db_step(*s);
  if (rc == DB_ROW) return HT_OK;
  db_finalize(*s);
  return rc < 0 ? rc : HT_ENOTFOUND;
}

int acct_session_get(db *d, const char *token, arena *a, acct_session *out) {
  char th[65];
  db_stmt *s;
  int rc = token_row(d, token,
                     "SELECT s.csrf, s.created_at, s.last_seen, " USER_COLS
                     " FROM sessions s JOIN users u ON u.prov = s.prov AND u.id = s.user_id "
                     "LEFT JOIN roles r ON r.prov = u.prov AND r.key = u.role "
                     "WHERE s.prov = $1 AND s.token_hash = $2",
                     &s, th);
  if (rc) return rc;
  snprintf(out->csrf, sizeof out->csrf, "%s", db_col_text(s, 0));
  out->created_at = db_col_int64(s, 1);
  out->last_seen = db_col_int64(s, 2);
  user_from_row(s, 3, a, &out->user);
  memcpy(out->token_hash, th, sizeof th);
  db_finalize(s);
  int64_t now = acct_now_ms();
  if (out->user.disabled || now - out->last_seen > ACCT_IDLE_MS ||
      now - out->created_at > ACCT_ABSOLUTE_MS) {
    exec_params(d, "DELETE FROM sessions WHERE prov = $1 AND token_hash = $2", "it", db_prov(d),
                th);
    return HT_ENOTFOUND;
  }
  if (now - out->last_seen > 60 * 1000) {
    exec_params(d, "UPDATE sessions SET last_seen = $3 WHERE prov = $1 AND token_hash = $2", "iti",
                db_prov(d), th, now);
    out->last_seen = now;
  }
  return HT_OK;
}

typedef struct end_ctx {
  const audit_actor *who;
  int64_t user_id;
  const char *token_hash; /* NULL: all */
  const char *username, *unit;
  ht_err *err;
} end_ctx;

static int end_tx(db *d, void *p) {
  end_ctx *c = p;
  int rc = c->token_hash
               ? exec_params(d, "DELETE FROM sessions WHERE prov = $1 AND token_hash = $2", "it",
                             db_prov(d), c->token_hash)
               : end_sessions_sql(d, c->user_id, NULL);
  if (rc) return db_fail(d, c->err, rc, "end the session");
  audit_entry e = {
      c->token_hash ? "logout" : "logout.all", "session", c->username, c->unit, NULL, NULL};
  return audit_append(d, c->who, &e, c->err);
}

int acct_session_end(db *d, const audit_actor *who, const acct_session *s, ht_err *err) {
  end_ctx c = {who, s->user.id, s->token_hash, s->user.username, s->user.unit_code, err};
  int rc = db_tx_side(d, end_tx, &c);
  return rc && !err->msg[0] ? db_fail(d, err, rc, "end the session") : rc;
}

int acct_sessions_end_all(db *d, const audit_actor *who, int64_t user_id, ht_err *err) {
  arena a;
  arena_init(&a, 0);
  acct_user u;
  int rc = acct_user_by_id(d, user_id, &a, &u);
  if (rc == HT_OK) {
    end_ctx c = {who, user_id, NULL, u.username, u.unit_code, err};
    rc = db_tx_side(d, end_tx, &c);
    if (rc && !err->msg[0]) db_fail(d, err, rc, "end the sessions");
  } else {
    ht_err_set(err, rc, "no user with id %lld", (long long)user_id);
  }
  arena_free(&a);
  return rc;
}

/* ------------------------------------------------------------ API tokens */

typedef struct token_ctx {
  const audit_actor *who;
  int64_t user_id;
  const char *hash; /* NULL: delete */
  int deleted;
  ht_err *err;
} token_ctx;

static int token_tx(db *d, void *p) {
  token_ctx *c = p;
  arena a;
  arena_init(&a, 0);
  acct_user u;
  int rc = acct_user_by_id(d, c->user_id, &a, &u);
  if (rc) {
    arena_free(&a);
    return ht_err_set(c->err, rc, "no user with id %lld", (long long)c->user_id);
  }
  int64_t had = 0;
  db_query_int64(d, &had, "SELECT COUNT(*) FROM api_tokens WHERE prov = $1 AND user_id = $2", 2,
                 db_prov(d), c->user_id);
  rc = exec_params(d, "DELETE FROM api_tokens WHERE prov = $1 AND user_id = $2", "ii", db_prov(d),
                   c->user_id);
  if (!rc && c->hash)
    rc = exec_params(d,
                     "INSERT INTO api_tokens (prov, user_id, token_hash, created_at) VALUES ($1, "
                     "$2, $3, $4)",
                     "iiti", db_prov(d), c->user_id, c->hash, acct_now_ms());
  if (rc) {
    arena_free(&a);
    return db_fail(d, c->err, rc, "write the API token");
  }
  c->deleted = had > 0;
  if (!c->hash && !had) {
    arena_free(&a);
    return HT_OK;
  }
  audit_entry e = {
      c->hash ? "token.create" : "token.delete", "user", u.username, u.unit_code, NULL, NULL};
  rc = audit_append(d, c->who, &e, c->err);
  arena_free(&a);
  return rc;
}

int acct_token_create(db *d, const audit_actor *who, int64_t user_id, char token[ACCT_TOKEN_BUF],
                      ht_err *err) {
  new_token(token);
  char th[65];
  token_hash(token, th);
  token_ctx c = {who, user_id, th, 0, err};
  int rc = db_tx_side(d, token_tx, &c);
  return rc && !err->msg[0] ? db_fail(d, err, rc, "write the API token") : rc;
}

int acct_token_delete(db *d, const audit_actor *who, int64_t user_id, int *deleted, ht_err *err) {
  token_ctx c = {who, user_id, NULL, 0, err};
  int rc = db_tx_side(d, token_tx, &c);
  if (deleted) *deleted = c.deleted;
  return rc && !err->msg[0] ? db_fail(d, err, rc, "delete the API token") : rc;
}

int acct_token_user(db *d, const char *token, arena *a, acct_user *out) {
  char th[65];
  db_stmt *s;
  int rc = token_row(d, token,
                     "SELECT t.last_used_at, " USER_COLS
                     " FROM api_tokens t JOIN users u ON u.prov = t.prov AND u.id = t.user_id "
                     "LEFT JOIN roles r ON r.prov = u.prov AND r.key = u.role "
                     "WHERE t.prov = $1 AND t.token_hash = $2",
                     &s, th);
  if (rc) return rc;
  int64_t last = db_col_int64(s, 0);
  user_from_row(s, 1, a, out);
  db_finalize(s);
  if (out->disabled) return HT_ENOTFOUND;
  int64_t now = acct_now_ms();
  if (now - last > 60 * 1000)
    exec_params(d, "UPDATE api_tokens SET last_used_at = $3 WHERE prov = $1 AND token_hash = $2",
                "iti", db_prov(d), th, now);
  return HT_OK;
}

int acct_token_info(db *d, int64_t user_id, int *exists, int64_t *created_at,
                    int64_t *last_used_at) {
  db_stmt *s;
  int rc = db_prepare(d,
                      "SELECT created_at, COALESCE(last_used_at, 0) FROM api_tokens WHERE prov = "
                      "$1 AND user_id = $2",
                      &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, user_id);
  rc = db_step(s);
  *exists = rc == DB_ROW;
  *created_at = *exists ? db_col_int64(s, 0) : 0;
  *last_used_at = *exists ? db_col_int64(s, 1) : 0;
  db_finalize(s);
  return rc < 0 ? rc : HT_OK;
}
