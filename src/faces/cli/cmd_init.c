/* cmd_init.c - hoctap init: create or upgrade the database. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faces/cli/cli.h"
#include "model/accounts.h"
#include "model/hier.h"

static void help(void) {
  printf(
      "Usage: hoctap init [--db PATH] [--province CODE] [--admin NAME]\n\n"
      "Creates the database if it does not exist and applies every pending schema\n"
      "migration (a database from an older version is upgraded in place). When the\n"
      "database has administrative units but no account yet, it creates the first\n"
      "administrator, scoped to the whole province, and prints a one-time password\n"
      "that must be changed at the first login.\n\n"
      "  --db PATH        database file (default: $HOCTAP_DB, else ./hoctap.db)\n"
      "  --province CODE  numeric province code of this deployment (e.g. 31 for Hai Phong);\n"
      "                   it partitions every table. Set once, on a new database.\n");
}

/* Creates the first administrator when there is a hierarchy and no account:
 * scoped to the province (the unit whose code is the province number), else
 * to the first root. */
static int first_admin(db *d, const char *name) {
  ht_err err = {0};
  int64_t users = 0;
  if (acct_init(&err) || acct_roles_seed(d, &err)) return cli_fail("init", "%s", err.msg);
  if (acct_user_count(d, &users) || users) return EXIT_OK;
  hier h;
  if (hier_load(d, &h, &err)) return cli_fail("init", "%s", err.msg);
  char prov[24];
  snprintf(prov, sizeof prov, "%lld", (long long)db_prov(d));
  size_t n = 0;
  const char *unit = NULL;
  if (hier_versions(&h, prov, &n) && n) {
    unit = prov;
  } else {
    for (size_t i = 0; i < h.nunits && !unit; i++)
      if (!h.units[i].parent_code) unit = h.units[i].code;
  }
  if (!unit) {
    hier_free(&h);
    printf(
        "No administrative units yet: import them ('hoctap units import') and run\n"
        "'hoctap init' again to create the first administrator.\n");
    return EXIT_OK;
  }
  char who_buf[64], otp[16];
  audit_actor who = audit_cli_actor(who_buf);
  acct_new_user nu = {name, "Quản trị hệ thống", "admin", unit, NULL, 1};
  const char *field, *why_vi;
  int64_t id;
  int rc = acct_user_create(d, &h, &who, &nu, otp, &id, &field, &why_vi, &err);
  hier_free(&h);
  if (rc) return cli_fail("init", "cannot create the first administrator: %s", err.msg);
  printf(
      "Created the first administrator.\n  Username: %s\n  One-time password: %s\n"
      "It must be changed at the first login. Lost it? 'hoctap user reset-password %s'.\n",
      name, otp, name);
  return EXIT_OK;
}

int cmd_init(int argc, char **argv) {
  static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                       {"province", required_argument, 0, 'p'},
                                       {"admin", required_argument, 0, 'a'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  const char *dbpath = NULL, *province = NULL, *admin = "admin";
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (c) {
      case 'd': dbpath = optarg; break;
      case 'p': province = optarg; break;
      case 'a': admin = optarg; break;
      case 'h': help(); return EXIT_OK;
      default: return cli_usage("init", "unknown or incomplete option '%s'", argv[optind - 1]);
    }
  }
  if (optind < argc) return cli_usage("init", "unexpected argument '%s'", argv[optind]);
  long prov = 0;
  if (province) {
    char *end;
    prov = strtol(province, &end, 10);
    if (*end || prov <= 0 || prov > 999)
      return cli_usage("init", "--province must be a numeric province code such as 31, not '%s'",
                       province);
  }
  db *d;
  int rc = cli_open_db("init", dbpath, &d);
  if (rc) return rc;
  if (province) {
    if (db_prov(d) && db_prov(d) != prov) {
      long old = (long)db_prov(d);
      db_close(d);
      return cli_fail("init", "the database already belongs to province %ld, not %ld", old, prov);
    }
    char buf[16];
    snprintf(buf, sizeof buf, "%ld", prov);
    db_set_prov(d, prov);
    if (db_meta_set(d, "province", buf) != HT_OK || hier_seed_reference(d) != HT_OK) {
      db_close(d);
      return cli_fail("init", "cannot record the province: %s", db_errmsg(d));
    }
  }
  printf("Database %s is at schema version %d (province %lld).\n", db_default_path(dbpath),
         db_schema_version(d), (long long)db_prov(d));
  rc = first_admin(d, admin);
  db_close(d);
  return rc;
}
