/* cmd_demo.c - hoctap demo: build the demo data set. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "faces/cli/cli.h"
#include "model/audit.h"
#include "services/demo.h"

static void help(void) {
  printf(
      "Usage: hoctap demo [--db PATH] [--seed N] [--households N]\n\n"
      "Builds a Hai Phong-shaped demo data set into a new, empty database: the city\n"
      "and the former Hai Duong province with their districts, communes and villages\n"
      "before 1 July 2025, the reform that merged them into one city of 114 communes,\n"
      "households with members, clans and organisations for 2022-2025. Every name is\n"
      "generated; the database is marked as demo data. Same seed, same data.\n\n"
      "  --db PATH         database file (default: $HOCTAP_DB, else ./hoctap.db)\n"
      "  --seed N          random seed (default 1)\n"
      "  --households N    number of households (default 20000; 1300000 = full-size city)\n");
}

static int parse_positive(const char *s, long max, long *out) {
  char *end;
  long v = strtol(s, &end, 10);
  if (*s == '\0' || *end || v <= 0 || v > max) return -1;
  *out = v;
  return 0;
}

int cmd_demo(int argc, char **argv) {
  static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                       {"seed", required_argument, 0, 's'},
                                       {"households", required_argument, 0, 'n'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  const char *dbpath = NULL;
  demo_options o;
  demo_options_default(&o);
  long v;
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (c) {
      case 'd': dbpath = optarg; break;
      case 's':
        if (parse_positive(optarg, 2147483647L, &v))
          return cli_usage("demo", "--seed must be a positive integer, not '%s'", optarg);
        o.seed = (uint64_t)v;
        break;
      case 'n':
        if (parse_positive(optarg, 50000000L, &v))
          return cli_usage("demo", "--households must be between 1 and 50000000, not '%s'", optarg);
        o.households = v;
        break;
      case 'h': help(); return EXIT_OK;
      default: return cli_usage("demo", "unknown or incomplete option '%s'", argv[optind - 1]);
    }
  }
  if (optind < argc) return cli_usage("demo", "unexpected argument '%s'", argv[optind]);
  o.progress = isatty(2);
  db *d;
  int rc = cli_open_db("demo", dbpath, &d);
  if (rc) return rc;
  ht_err err = {0};
  if (demo_build(d, &o, &err) != HT_OK) {
    db_close(d);
    return cli_fail("demo", "%s", err.msg);
  }
  /* One audit entry for the whole generated data set. */
  char who_name[64], after[160];
  audit_actor who = audit_cli_actor(who_name);
  snprintf(after, sizeof after, "{\"households\":%ld,\"seed\":%llu}", o.households,
           (unsigned long long)o.seed);
  audit_entry e = {"demo.generate", "database", "demo", "", NULL, after};
  if (audit_append_tx(d, &who, &e, &err) != HT_OK) {
    db_close(d);
    return cli_fail("demo", "%s", err.msg);
  }
  db_close(d);
  printf("Demo data written to %s (seed %llu, %ld households).\n", db_default_path(dbpath),
         (unsigned long long)o.seed, o.households);
  return EXIT_OK;
}
