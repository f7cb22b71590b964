/* test_access.c - password policy, permission keys, scope across the 2025
 * reform and the audit chain's tamper detection, on a real database. */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/issues.h"
#include "faces/http/http.h"
#include "model/accounts.h"
#include "model/acl.h"
#include "model/audit.h"
#include "model/hier.h"
#include "services/units_import.h"
#include "test.h"

static int refused(const char *user, const char *pw) {
  const char *en, *vi;
  return acct_password_check(user, pw, &en, &vi) == HT_EINVAL;
}

TEST(password_policy) {
  CHECK(refused("lan", "short1!"));                /* fewer than 10 characters */
  CHECK(refused("lan", "123456789012"));           /* all digits */
  CHECK(refused("lan", "aaaaaaaaaaaa"));           /* one repeated character */
  CHECK(refused("lan", "Matkhau@2025"));           /* common word with digits and symbols */
  CHECK(refused("lan", "password1234"));           /* common */
  CHECK(refused("lan", "anhyeuem2026!"));          /* common Vietnamese */
  CHECK(refused("nguyenlan", "xyz-NguyenLan-77")); /* contains the username */
  CHECK(!refused("lan", "Hải Phòng xanh 2026"));   /* a passphrase */
  CHECK(!refused("lan", "Đường phố!"));            /* 10 letters, 14 bytes: counts letters */
  CHECK(refused("lan", "Đường phố"));              /* 9 letters */
  CHECK(!refused("lan", "k7qm-x3vd-9hpa"));
}

TEST(one_time_passwords_look_alike_free) {
  CHECK_EQ_INT(acct_init(&(ht_err){0}), HT_OK);
  char a[16], b[16];
  acct_one_time_password(a);
  acct_one_time_password(b);
  CHECK_EQ_INT(strlen(a), 14);
  CHECK(a[4] == '-' && a[9] == '-');
  CHECK(strcmp(a, b) != 0);
  CHECK(strpbrk(a, "il1o0I") == NULL);
}

TEST(permission_keys_round_trip) {
  arena a;
  arena_init(&a, 0);
  uint32_t mask;
  const char *bad = NULL;
  CHECK_EQ_INT(acl_perms_parse("records.read  units.read,audit.read", &mask, &a, &bad), HT_OK);
  CHECK_EQ_INT(mask, ACL_RECORDS_READ | ACL_UNITS_READ | ACL_AUDIT_READ);
  CHECK_EQ_STR(acl_perms_format(mask, &a), "units.read records.read audit.read");
  CHECK_EQ_INT(acl_perms_parse("units.read records.delete", &mask, &a, &bad), HT_EINVAL);
  CHECK_EQ_STR(bad, "records.delete");
  arena_free(&a);
}

static db *fresh_db(const char *name) {
  db *d = test_open_db(name);
  if (!d) return NULL;
  return d;
}

TEST(scope_follows_the_hierarchy_and_the_reform) {
  db *d = fresh_db("scope.db");
  CHECK(d != NULL);
  if (!d) return;
  CHECK_EQ_INT(hier_seed_reference(d), HT_OK);
  arena a;
  arena_init(&a, 0);
  issues problems;
  issues_init(&problems, &a);
  import_result res;
  ht_err err = {0};
  char name[64];
  audit_actor who = audit_cli_actor(name);
  CHECK_EQ_INT(units_import_csv(d, &who, "tests/data/units/base.csv", TENC_AUTO, NULL, &res,
                                &problems, &err),
               0);
  CHECK_EQ_INT(units_import_changes_csv(d, &who, "tests/data/units/changes.csv", TENC_AUTO, NULL,
                                        &res, &problems, &err),
               0);
  hier h;
  CHECK_EQ_INT(hier_load(d, &h, &err), HT_OK);
  int32_t y2024 = date_from_ymd(2024, 12, 31), y2025 = date_from_ymd(2025, 12, 31);
  /* the province covers everything, a commune its villages only */
  CHECK(acl_covers(&h, "P1", "V1", y2024));
  CHECK(acl_covers(&h, "C1", "V1", y2024));
  CHECK(!acl_covers(&h, "C3", "V1", y2024));
  CHECK(!acl_covers(&h, "D2", "C1", y2024));
  /* after the reform V1 is in N1, no longer in C1 */
  CHECK(acl_covers(&h, "N1", "V1", y2025));
  CHECK(!acl_covers(&h, "N2", "V1", y2025));
  /* N1 succeeded C1 and C2: it covers their subtrees before the change, not C3's */
  CHECK(acl_covers(&h, "N1", "V1", y2024));
  CHECK(acl_covers(&h, "N1", "C2", y2024));
  CHECK(!acl_covers(&h, "N1", "V2", y2024));
  CHECK(!acl_covers(&h, "N1", "NOPE", y2024));
  hier_free(&h);
  /* the two imports wrote one audit entry each */
  int64_t n = 0;
  db_query_int64(d, &n, "SELECT COUNT(*) FROM audit WHERE action LIKE 'import.%'", 0);
  CHECK_EQ_INT(n, 2);
  arena_free(&a);
  db_close(d);
}

static db *trail(const char *name, int entries) {
  db *d = fresh_db(name);
  if (!d) return NULL;
  audit_actor who = {7, "lan", "127.0.0.1"};
  for (int i = 0; i < entries; i++) {
    char id[16], after[64];
    snprintf(id, sizeof id, "HH%03d", i);
    snprintf(after, sizeof after, "{\"i\":%d}", i);
    audit_entry e = {"record.set", "record", id, "V1", i % 2 ? NULL : "{}", after};
    ht_err err = {0};
    if (audit_append_tx(d, &who, &e, &err) != HT_OK) return NULL;
  }
  return d;
}

/* The first problem verify reports, or NULL when the trail is intact. */
static const audit_problem *first_problem(db *d, arena *a) {
  audit_report rep;
  ht_err err = {0};
  if (audit_verify(d, a, &rep, &err) != HT_OK || !rep.nproblems) return NULL;
  return &rep.problems[0];
}

TEST(audit_chain_detects_tampering) {
  arena a;
  arena_init(&a, 0);
  db *d = trail("intact.db", 6);
  CHECK(d != NULL);
  if (!d) return;
  CHECK(first_problem(d, &a) == NULL);
  db_close(d);

  d = trail("modified.db", 6);
  db_exec(d, "UPDATE audit SET after_json = '{\"i\":99}' WHERE seq = 3");
  const audit_problem *p = first_problem(d, &a);
  CHECK(p && strcmp(p->kind, "modified") == 0 && p->seq == 3);
  db_close(d);

  d = trail("deleted.db", 6);
  db_exec(d, "DELETE FROM audit WHERE seq = 4");
  p = first_problem(d, &a);
  CHECK(p && strcmp(p->kind, "deleted") == 0 && p->seq == 4);
  db_close(d);

  d = trail("truncated.db", 6);
  db_exec(d, "DELETE FROM audit WHERE seq = 6");
  p = first_problem(d, &a);
  CHECK(p && strcmp(p->kind, "truncated") == 0 && p->seq == 6);
  db_close(d);

  d = trail("reordered.db", 6);
  db_exec(d,
          "UPDATE audit SET seq = -2 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 3; "
          "UPDATE audit SET seq = 3 WHERE seq = -2");
  p = first_problem(d, &a);
  CHECK(p && strcmp(p->kind, "reordered") == 0 && p->seq == 2);
  db_close(d);

  /* an entry slipped in by renumbering the ones after it */
  d = trail("inserted.db", 6);
  db_exec(d,
          "UPDATE audit SET seq = seq + 100 WHERE seq >= 4; UPDATE audit SET seq = seq - 99 WHERE "
          "seq >= 100; INSERT INTO audit SELECT prov, 4, at, actor_id, actor, addr, action, "
          "object_kind, 'FORGED', unit_code, before_json, after_json, (SELECT hash FROM audit "
          "WHERE seq = 3), 'f00d' FROM audit WHERE seq = 3");
  p = first_problem(d, &a);
  CHECK(p && p->seq == 4);
  db_close(d);
  arena_free(&a);
}

TEST(every_route_declares_access_and_scope) {
  CHECK_EQ_INT(http_routes_check(), 0);
  for (size_t i = 0; i < http_route_count; i++) {
    const http_route *r = &http_routes[i];
    CHECK(r->access != ACCESS_UNSET && r->scope != SCOPE_UNSET);
    /* a route that changes something is never public, except the login */
    if (strcmp(r->method, "GET") != 0 && r->access == ACCESS_PUBLIC)
      CHECK_EQ_STR(r->pattern, "/api/v1/session");
  }
}
