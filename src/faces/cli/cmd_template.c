/* cmd_template.c - hoctap template: write an import template, empty or
 * prefilled with a unit's rows (services/template.h, docs/import.md). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/date.h"
#include "faces/cli/cli.h"
#include "services/evaluation.h"
#include "services/template.h"

static void help(void) {
  printf(
      "Usage: hoctap template KIND [--title T] [--year Y] [--unit CODE]\n"
      "                            [--format xlsx|csv] -o FILE [--db PATH]\n\n"
      "Writes the import template of KIND: households, persons, clans, units (the\n"
      "learning units: agencies, schools, enterprises...), assessments (of the\n"
      "title --title T, one column per entered item of the version in force in the\n"
      "year), or the funds' donors, donations and beneficiaries. Its header row is\n"
      "what 'hoctap import' reads. The .xlsx template has a\n"
      "title row, a comment on each header explaining the rule of the column and\n"
      "drop-down lists for yes/no and the other choices; the CSV one is the header\n"
      "row (UTF-8 with BOM, for Excel).\n\n"
      "  --year Y       the year of the rows (default: this year)\n"
      "  --unit CODE    prefill with the rows of this unit and every unit below it:\n"
      "                 households and persons living there in the year, clans,\n"
      "                 learning units it manages; for assessments the entities the\n"
      "                 title evaluates there with their registration and entered\n"
      "                 values of the year; the donors who gave to its funds (the\n"
      "                 province: every donor), the receipts of its funds dated in\n"
      "                 the year, the beneficiaries of its units\n"
      "  --format F     xlsx or csv (default: from the extension of FILE)\n"
      "  -o FILE        where to write ('-' for CSV on standard output)\n"
      "  --db PATH      the database (default $HOCTAP_DB, else ./hoctap.db)\n\n"
      "Prefilled templates of households, persons, person titles and the funds' kinds\n"
      "hold personal data (names, citizen IDs, telephone numbers, children's\n"
      "circumstances): keep them safe.\n");
}

typedef struct template_opts {
  const char *kind, *title, *unit, *format, *output, *db;
  int year;
} template_opts;

static int has_suffix(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && !strcasecmp(s + n - m, suffix);
}

/* Parses the command line into o; -1 on success, else an exit status. */
static int parse(int argc, char **argv, template_opts *o) {
  static const struct option opts[] = {
      {"title", required_argument, 0, 't'},  {"year", required_argument, 0, 'y'},
      {"unit", required_argument, 0, 'u'},   {"format", required_argument, 0, 'f'},
      {"output", required_argument, 0, 'o'}, {"db", required_argument, 0, 'd'},
      {"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
  memset(o, 0, sizeof *o);
  o->year = date_year(date_today());
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
    char *end;
    switch (c) {
      case 't': o->title = optarg; break;
      case 'y': {
        long y = strtol(optarg, &end, 10);
        if (!*optarg || *end || y < 1990 || y > 2100)
          return cli_usage("template", "--year must be a year such as 2025, not '%s'", optarg);
        o->year = (int)y;
        break;
      }
      case 'u': o->unit = optarg; break;
      case 'f': o->format = optarg; break;
      case 'o': o->output = optarg; break;
      case 'd': o->db = optarg; break;
      case 'h': help(); return EXIT_OK;
      default: return cli_usage("template", "unknown or incomplete option '%s'", argv[optind - 1]);
    }
  }
  if (optind >= argc)
    return cli_usage("template",
                     "KIND is needed: households, persons, clans, units, assessments, donors, "
                     "donations or beneficiaries");
  if (optind + 1 < argc) return cli_usage("template", "unexpected argument '%s'", argv[optind + 1]);
  o->kind = argv[optind];
  if (!o->output || !*o->output) return cli_usage("template", "-o FILE is needed");
  if (!o->format) {
    if (has_suffix(o->output, ".xlsx"))
      o->format = "xlsx";
    else if (has_suffix(o->output, ".csv") || !strcmp(o->output, "-"))
      o->format = "csv";
    else
      return cli_usage("template", "--format xlsx or csv is needed (FILE ends in neither)");
  }
  if (strcmp(o->format, "xlsx") && strcmp(o->format, "csv"))
    return cli_usage("template", "--format must be xlsx or csv, not '%s'", o->format);
  if (!strcmp(o->output, "-") && !strcmp(o->format, "xlsx"))
    return cli_usage("template", "-o -: a workbook cannot go to standard output; name a file");
  if (o->unit && !*o->unit) return cli_usage("template", "--unit needs a unit code");
  return -1;
}

/* Writes the template to o->output through a temporary file next to it, so
 * a failure never leaves half a file under the name asked for ("-": CSV on
 * standard output). */
static int write_file(db *d, const tmpl_plan *p, const template_opts *o, long *rows, ht_err *err) {
  int to_stdout = !strcmp(o->output, "-");
  const char *path = to_stdout ? "-" : arena_sprintf(p->a, "%s.part", o->output);
  tbl_out out;
  int rc = tbl_open(&out, tbl_format_parse(o->format) == TBL_XLSX ? TBL_XLSX : TBL_CSV, path,
                    "Nhập liệu", err);
  if (rc != HT_OK) return rc;
  rc = tmpl_write(d, p, &out, rows, err);
  ht_err closing = {0};
  int closed = tbl_close(&out, &closing);
  if (rc == HT_OK && closed != HT_OK) {
    *err = closing;
    rc = closed;
  }
  if (to_stdout) return rc;
  if (rc == HT_OK && rename(path, o->output) != 0)
    rc = ht_err_set(err, HT_EIO, "-o %s: cannot write the file: %m", o->output);
  if (rc != HT_OK) unlink(path);
  return rc;
}

int cmd_template(int argc, char **argv) {
  template_opts o;
  int rc = parse(argc, argv, &o);
  if (rc >= 0) return rc;
  tmpl_request req = {.title = o.title, .year = o.year, .unit = o.unit};
  ht_err err = {0};
  if (intake_kind_parse(o.kind, &req.kind, &err) != HT_OK)
    return cli_usage("template", "%s", err.msg);
  if (req.kind != INTAKE_ASSESSMENTS && o.title)
    return cli_usage("template", "--title goes with assessments only, not with %s", o.kind);
  arena a;
  arena_init(&a, 0);
  issues problems;
  issues_init(&problems, &a);
  crit_set set;
  crit_set_init(&set);
  hier h = {0};
  db *d = NULL;
  int loaded = 0;
  if (evaluation_criteria(&set, NULL, 0, &problems, &err) != HT_OK) {
    rc = cli_fail("template", "the shipped criteria do not load; run 'hoctap criteria check'");
  } else if ((rc = cli_open_db("template", o.db, &d)) == EXIT_OK) {
    if (hier_load(d, &h, &err) != HT_OK) {
      rc = cli_fail("template", "%s", err.msg);
    } else {
      loaded = 1;
      tmpl_plan plan;
      const char *param = NULL;
      long rows = 0;
      if (tmpl_plan_make(&h, &set, (int)db_prov(d), &req, &a, &plan, &param, &err) != HT_OK) {
        rc = cli_usage("template", "--%s: %s", param ? param : "title", err.msg);
      } else if (write_file(d, &plan, &o, &rows, &err) != HT_OK) {
        rc = cli_fail("template", "%s", err.msg);
      } else {
        if (strcmp(o.output, "-"))
          printf("Template of %s written to %s: %zu columns, %ld row(s)%s%s.\n",
                 plan.title ? plan.title->key : o.kind, o.output, plan.ncols, rows,
                 plan.unit ? " of " : "", plan.unit ? plan.unit->code : "");
        rc = EXIT_OK;
      }
    }
  }
  if (loaded) hier_free(&h);
  if (d) db_close(d);
  crit_set_free(&set);
  arena_free(&a);
  return rc;
}
