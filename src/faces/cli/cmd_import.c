/* cmd_import.c - hoctap import KIND FILE: validated, all-or-nothing imports
 * of households, persons, clans, learning units, assessments and the funds'
 * donors, donations and beneficiaries (docs/import.md). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "criteria/crit_defaults.h"
#include "faces/cli/cli.h"
#include "faces/intake_json.h"
#include "io/xlsx.h"
#include "services/intake.h"

static void help(void) {
  printf(
      "Usage: hoctap import KIND FILE [OPTIONS]\n\n"
      "Imports a CSV or .xlsx file (the format is judged by the content). KIND is\n"
      "households, persons, clans, units (learning units: agencies, schools,\n"
      "enterprises ...), assessments (a title's yearly records), or for the\n"
      "study-promotion funds donors, donations (each row a receipt of a fund) or\n"
      "beneficiaries. Columns: the template's Vietnamese headers or the machine keys,\n"
      "in any order, case ignored; `hoctap template KIND` writes a template. The\n"
      "header row may sit below title rows. Every row is checked; a file with any\n"
      "problem imports nothing, a clean file imports in one transaction, and\n"
      "importing it again changes nothing. The command line acts as an operator of\n"
      "the whole province (no area is checked).\n\n"
      "  --title T         assessments: the title (e.g. gia-dinh-hoc-tap)\n"
      "  --year Y          the year of the rows (default: assessments take the rows'\n"
      "                    year column; other kinds the current year; not for the\n"
      "                    funds' kinds, whose rows carry their own dates)\n"
      "  --sheet NAME      the sheet of a workbook (default: the first)\n"
      "  --encoding E      a CSV file's text encoding: utf-8, utf-16le, utf-16be,\n"
      "                    cp1258, viscii, tcvn3 (ABC), vni; default: detected\n"
      "  --dry-run         check and count what would change; write nothing\n"
      "  --errors OUT.xlsx when there are problems, write a copy of the file with\n"
      "                    the bad cells highlighted and the reasons in two columns\n"
      "  --format text|json  the report (default text)\n"
      "  --db PATH         default $HOCTAP_DB, else ./hoctap.db\n\n"
      "Exit status: 0 imported (or a clean dry run), 1 problems or errors, 2 usage.\n");
}

static void print_problems(const intake_report *rep) {
  for (long i = 0; i < rep->nproblems; i++) {
    const intake_problem *p = &rep->problems[i];
    fprintf(stderr, "%s", rep->file);
    if (rep->sheet) fprintf(stderr, " [%s]", rep->sheet);
    if (p->row > 0) fprintf(stderr, ":%ld", p->row);
    if (p->col >= 0) {
      char col[4];
      fprintf(stderr, ": column %s", xlsx_column_name((size_t)p->col, col));
      if (p->column) fprintf(stderr, " (%s)", p->column);
    }
    if (p->value && *p->value) fprintf(stderr, " '%s'", p->value);
    fprintf(stderr, ": %s\n", p->msg_en);
  }
  if (rep->problems_total > rep->nproblems)
    fprintf(stderr, "... and %ld more problem(s) (the first %ld are listed)\n",
            rep->problems_total - rep->nproblems, rep->nproblems);
}

int cmd_import(int argc, char **argv) {
  static const struct option opts[] = {
      {"db", required_argument, 0, 'd'},       {"title", required_argument, 0, 't'},
      {"year", required_argument, 0, 'y'},     {"sheet", required_argument, 0, 's'},
      {"encoding", required_argument, 0, 'e'}, {"dry-run", no_argument, 0, 'n'},
      {"errors", required_argument, 0, 'x'},   {"format", required_argument, 0, 'f'},
      {"help", no_argument, 0, 'h'},           {0, 0, 0, 0}};
  const char *dbpath = NULL, *format = "text", *errors = NULL, *encoding = NULL;
  intake_opts o = {0};
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (c) {
      case 'd': dbpath = optarg; break;
      case 't': o.title = optarg; break;
      case 'y': {
        char *end;
        long y = strtol(optarg, &end, 10);
        if (*end || y < 1900 || y > 2100)
          return cli_usage("import", "--year must be a year such as 2025, not '%s'", optarg);
        o.year = (int)y;
        break;
      }
      case 's': o.sheet = optarg; break;
      case 'e': encoding = optarg; break;
      case 'n': o.dry_run = 1; break;
      case 'x': errors = optarg; break;
      case 'f': format = optarg; break;
      case 'h': help(); return EXIT_OK;
      default: return cli_usage("import", "unknown or incomplete option '%s'", argv[optind - 1]);
    }
  }
  if (strcmp(format, "text") && strcmp(format, "json"))
    return cli_usage("import", "--format must be text or json, not '%s'", format);
  if (optind + 2 != argc)
    return cli_usage("import",
                     "give a KIND (households, persons, clans, units, assessments, donors, "
                     "donations, beneficiaries) and a FILE");
  ht_err err = {0};
  if (intake_kind_parse(argv[optind], &o.kind, &err) != HT_OK)
    return cli_usage("import", "%s", err.msg);
  if (o.kind == INTAKE_ASSESSMENTS && !o.title)
    return cli_usage("import", "assessments need --title (e.g. --title gia-dinh-hoc-tap)");
  if (o.kind != INTAKE_ASSESSMENTS && o.title)
    return cli_usage("import", "--title applies only to assessments");
  if (intake_kind_is_fund(o.kind) && o.year)
    return cli_usage("import", "--year does not apply to %s: the rows carry their own dates",
                     argv[optind]);
  o.path = argv[optind + 1];
  o.enc = TENC_AUTO;
  if (encoding && tenc_parse(encoding, &o.enc) != HT_OK)
    return cli_usage("import", "--encoding must be one of %s, not '%s'", tenc_accepted_names(),
                     encoding);
  db *d;
  int rc = cli_open_db("import", dbpath, &d);
  if (rc) return rc;
  arena a;
  arena_init(&a, 0);
  issues crit_problems;
  issues_init(&crit_problems, &a);
  crit_set set;
  crit_set_init(&set);
  if (crit_load_defaults(&set, &crit_problems) != HT_OK) {
    crit_set_free(&set);
    arena_free(&a);
    db_close(d);
    return cli_fail("import", "the shipped criteria do not load; run 'hoctap criteria list'");
  }
  o.criteria = &set;
  char who_name[64];
  audit_actor who = audit_cli_actor(who_name);
  intake_report rep;
  rc = intake_run(d, &who, &o, &a, &rep, &err);
  int json = !strcmp(format, "json");
  if (!json && rep.format && !strcmp(rep.format, "csv") && o.enc == TENC_AUTO &&
      rep.enc.enc != TENC_AUTO && rep.enc.enc != TENC_UTF8) {
    printf("Encoding: %s detected", tenc_label(rep.enc.enc));
    if (!rep.enc.bom && rep.enc.runner_up != TENC_AUTO)
      printf(" (confidence %d%%, next best %s)", rep.enc.confidence, tenc_label(rep.enc.runner_up));
    printf("; use --encoding to override\n");
  }
  int has_problems = rc == HT_EINVAL && rep.problems_total > 0;
  if (rc == HT_OK || has_problems) {
    if (json) {
      cli_print_json(intake_report_json(&o, &rep, "en"));
    } else if (rc == HT_OK) {
      printf("%s", rep.file);
      if (rep.sheet) printf(" [%s]", rep.sheet);
      if (intake_kind_is_fund(o.kind))
        printf(": %s, header on row %ld: %ld row(s): %ld added, %ld changed, %ld unchanged",
               intake_kind_name(o.kind), rep.header_row, rep.rows, rep.added, rep.changed,
               rep.unchanged);
      else
        printf(": %s %d%s%s, header on row %ld: %ld row(s): %ld added, %ld changed, %ld unchanged",
               intake_kind_name(o.kind), rep.year, rep.title ? " " : "", rep.title ? rep.title : "",
               rep.header_row, rep.rows, rep.added, rep.changed, rep.unchanged);
      if (rep.donors_added) printf(" (%ld new donor(s) named by the rows)", rep.donors_added);
      printf(".\n");
      if (o.dry_run) printf("Dry run: nothing was written.\n");
    }
    if (has_problems) {
      if (!json) print_problems(&rep);
      if (errors) {
        ht_err werr = {0};
        if (intake_write_errors(&o, &rep, errors, &werr) == HT_OK)
          fprintf(stderr, "The file with its problems highlighted: %s\n", errors);
        else
          fprintf(stderr, "hoctap import: cannot write %s: %s\n", errors, werr.msg);
      }
      fprintf(stderr, "hoctap import: %s: %ld problem(s); nothing was imported.\n", rep.file,
              rep.problems_total);
    }
  } else {
    fprintf(stderr, "hoctap import: %s; nothing was imported.\n", err.msg);
  }
  crit_set_free(&set);
  arena_free(&a);
  db_close(d);
  return rc == HT_OK ? EXIT_OK : EXIT_RUNTIME;
}
