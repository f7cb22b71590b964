/*
 * accounts.h - users, roles, passwords, sessions, API tokens and login
 * throttling (docs/access.md). Tables of migration 5.
 *
 * Passwords are hashed with argon2id (libsodium crypto_pwhash_str, the
 * "interactive" limits: 64 MiB, 2 passes). Session and API tokens are 32
 * random bytes shown once to the client; only their SHA-256 is stored, so a
 * copy of the database opens no session. Every change writes an audit entry
 * in the same transaction (model/audit.h).
 *
 * Policy (constants below): a password has at least ACCT_PASSWORD_MIN
 * characters, is not on the list of common passwords (also after removing
 * case, digits and symbols at its ends), does not contain the username and
 * is not one repeated character. A session ends after ACCT_IDLE_MS without a
 * request or ACCT_ABSOLUTE_MS after login. After ACCT_FAILS_PER_ACCOUNT
 * failed logins for one username, or ACCT_FAILS_PER_ADDR from one address,
 * within ACCT_FAIL_WINDOW_MS, logins are refused until the oldest of those
 * failures leaves the window.
 *
 * Memory: strings in returned structs come from the caller's arena.
 */
#ifndef HOCTAP_MODEL_ACCOUNTS_H
#define HOCTAP_MODEL_ACCOUNTS_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "model/audit.h"
#include "model/hier.h"
#include "store/db.h"

#define ACCT_PASSWORD_MIN 10
#define ACCT_PASSWORD_MAX 128 /* bytes */
#define ACCT_USERNAME_MAX 64
#define ACCT_IDLE_MS (30LL * 60 * 1000)
#define ACCT_ABSOLUTE_MS (12LL * 3600 * 1000)
#define ACCT_FAIL_WINDOW_MS (15LL * 60 * 1000)
#define ACCT_FAILS_PER_ACCOUNT 5
#define ACCT_FAILS_PER_ADDR 50
#define ACCT_TOKEN_BUF 64

/* Initialises libsodium; call once before anything below. */
int acct_init(ht_err *err);
int64_t acct_now_ms(void);

/* ----------------------------------------------------------------- roles */

typedef struct acct_role {
  const char *key, *name_vi, *name_en;
  uint32_t perms;
} acct_role;

/* Writes the default roles (viewer, data-entry, reviewer, approver, admin)
 * that are missing. */
int acct_roles_seed(db *d, ht_err *err);
int acct_role_get(db *d, const char *key, arena *a, acct_role *out); /* HT_ENOTFOUND */
int acct_roles_list(db *d, arena *a, acct_role **out, size_t *n);
/* Adds or replaces a role. perms: space-separated permission keys. */
int acct_role_put(db *d, const audit_actor *who, const char *key, const char *name_vi,
                  const char *name_en, const char *perms, ht_err *err);

/* ------------------------------------------------------------- passwords */

/* 0 when password is acceptable for username; else HT_EINVAL with the
 * reason in English and Vietnamese. */
int acct_password_check(const char *username, const char *password, const char **why_en,
                        const char **why_vi);
/* A one-time password: 12 characters from an alphabet without look-alikes,
 * in groups of four ("k7qm-x3vd-9hpa"). */
void acct_one_time_password(char out[16]);

/* ----------------------------------------------------------------- users */

typedef struct acct_user {
  int64_t id;
  const char *username, *full_name, *role, *unit_code;
  const char *role_name_vi, *role_name_en;
  uint32_t perms;
  int must_change, disabled;
  int64_t created_at, last_login_at; /* last_login_at 0: never */
} acct_user;

int acct_user_by_name(db *d, const char *username, arena *a, acct_user *out); /* HT_ENOTFOUND */
int acct_user_by_id(db *d, int64_t id, arena *a, acct_user *out);
int acct_user_count(db *d, int64_t *n);
/* Every user, by full name in Vietnamese order with the given name first
 * (vt_sort_key), then by username. */
int acct_users_list(db *d, arena *a, acct_user **out, size_t *n);

typedef struct acct_new_user {
  const char *username, *full_name, *role, *unit_code;
  const char *password; /* NULL: generate a one-time password into otp */
  int must_change;      /* forced to 1 when the password is generated */
} acct_new_user;

/* Creates a user. Checks: username 3-64 of [a-z0-9._-] starting with a
 * letter or digit, not taken; full name non-empty; role exists; unit exists
 * in h; the password passes acct_password_check. On HT_EINVAL, *field names
 * the offending field and err->msg says what to do (English); *why_vi the
 * Vietnamese text. */
int acct_user_create(db *d, const hier *h, const audit_actor *who, const acct_new_user *nu,
                     char otp[16], int64_t *id, const char **field, const char **why_vi,
                     ht_err *err);
/* Disables (1) or enables (0) a user; disabling ends its sessions and token. */
int acct_user_set_disabled(db *d, const audit_actor *who, int64_t id, int disabled, ht_err *err);
/* Sets a new one-time password (printed to the caller) the user must change;
 * ends the user's sessions and revokes its API token. */
int acct_user_reset_password(db *d, const audit_actor *who, int64_t id, char otp[16], ht_err *err);
/* Changes the user's own password after checking the current one. keep_session
 * (a token hash) survives; every other session of the user ends and its API
 * token is revoked (whoever changes a password may fear it was stolen).
 * HT_EINVAL with *why_* when the new password is weak; HT_ECONFLICT when the
 * current password is wrong. */
int acct_password_change(db *d, const audit_actor *who, int64_t id, const char *current,
                         const char *new_password, const char *keep_session, const char **why_en,
                         const char **why_vi, ht_err *err);
/* Sets a password chosen by an operator on the command line (not forced to change). */
int acct_password_set(db *d, const audit_actor *who, int64_t id, const char *password,
                      const char **why_en, const char **why_vi, ht_err *err);

/* ---------------------------------------------------- login and sessions */

typedef struct acct_session {
  acct_user user;
  char token_hash[65];
  char csrf[ACCT_TOKEN_BUF];
  int64_t created_at, last_seen;
} acct_session;

enum { ACCT_LOGIN_OK = 0, ACCT_LOGIN_BAD = 1, ACCT_LOGIN_THROTTLED = 2 };

/* Checks the password and opens a session: token (to the client) and the
 * session. Writes 'login' or 'login.failed' to the audit trail. Returns
 * ACCT_LOGIN_OK, ACCT_LOGIN_BAD (unknown, disabled or wrong: one answer),
 * ACCT_LOGIN_THROTTLED with *retry_after_s, or a negative error. */
int acct_login(db *d, const char *username, const char *password, const char *addr, arena *a,
               char token[ACCT_TOKEN_BUF], acct_session *out, int64_t *retry_after_s, ht_err *err);
/* The live session of token: HT_OK, or HT_ENOTFOUND when unknown, expired
 * or its user disabled. Refreshes last_seen at most once a minute. */
int acct_session_get(db *d, const char *token, arena *a, acct_session *out);
/* Ends one session (logout), or every session of a user. */
int acct_session_end(db *d, const audit_actor *who, const acct_session *s, ht_err *err);
int acct_sessions_end_all(db *d, const audit_actor *who, int64_t user_id, ht_err *err);

/* ------------------------------------------------------------ API tokens */

/* Creates (replacing any previous) the user's API token. */
int acct_token_create(db *d, const audit_actor *who, int64_t user_id, char token[ACCT_TOKEN_BUF],
                      ht_err *err);
int acct_token_delete(db *d, const audit_actor *who, int64_t user_id, int *deleted, ht_err *err);
/* The user of a token: HT_OK or HT_ENOTFOUND (unknown token or disabled user). */
int acct_token_user(db *d, const char *token, arena *a, acct_user *out);
/* Whether the user has a token, with its times (0 when never used). */
int acct_token_info(db *d, int64_t user_id, int *exists, int64_t *created_at,
                    int64_t *last_used_at);

/* The JSON of a user as the audit trail stores it (no secrets). */
char *acct_user_audit_json(const acct_user *u, arena *a);

#endif
