/* cmd_init.c - hoctap init: create or upgrade the database. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faces/cli/cli.h"
#include "model/hier.h"

static void help(void) {
  printf(
      "Usage: hoctap init [--db PATH] [--province CODE]\n\n"
      "Creates the database if it does not exist and applies every pending schema\n"
      "migration (a database from an older version is upgraded in place).\n\n"
      "  --db PATH        database file (default: $HOCTAP_DB, else ./hoctap.db)\n"
      "  --province CODE  numeric province code of this deployment (e.g. 31 for Hai Phong);\n"
      "                   it partitions every table. Set once, on a new database.\n");
}

int cmd_init(int argc, char **argv) {
  static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                       {"province", required_argument, 0, 'p'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  const char *dbpath = NULL, *province = NULL;
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (c) {
      case 'd': dbpath = optarg; break;
      case 'p': province = optarg; break;
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
  db_close(d);
  return EXIT_OK;
}
