/* cmd_report.c - hoctap report: the programme's reports as .xlsx or .pdf
 * (services/report.h, docs/reports.md, docs/cli.md). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/date.h"
#include "faces/cli/cli.h"
#include "faces/cli/eval_env.h"
#include "services/dashboard.h"
#include "services/evaluation.h"
#include "services/report.h"

static void help(void) {
  printf(
      "Usage: hoctap report NAME --year Y [--unit CODE] -o FILE.xlsx|FILE.pdf [OPTIONS]\n\n"
      "Writes one of the programme's reports, in Vietnamese, as an Excel workbook (with\n"
      "native charts) or a PDF (A4, the same tables and charts). The format is chosen by\n"
      "the extension of FILE. Reports:\n\n"
      "  annual            the yearly report of a unit (default: the province) to MOET and\n"
      "                    the association: per title the registered, criteria-met and\n"
      "                    recognised counts and rates, the target and the gap, for the\n"
      "                    unit and each commune (before 2025: each district with its\n"
      "                    communes), a generated summary, the registry sizes, the targets\n"
      "  commune-dossier   a commune's self-assessment dossier for the learning-commune\n"
      "                    title: every criterion and indicator with its value, level,\n"
      "                    status and evidence, the record's stage (--unit: the commune)\n"
      "  title-list        the entities a recognition decision recognised (the annex of\n"
      "                    the decision, --decision ID), or every decision taken in year Y\n"
      "                    by --unit or a unit below it, one after another\n\n"
      "Options:\n"
      "  --year Y              the year reported (not needed with --decision)\n"
      "  --unit CODE           the unit (annual: default the province)\n"
      "  --targets KEY         compare with this target set (see 'hoctap targets list');\n"
      "                        default: the set that applies to each title\n"
      "  --basis evaluation|decision\n"
      "                        which count is the rate compared with the target: the\n"
      "                        criteria met on the data entered (default) or the\n"
      "                        recognitions by decision with a valid certificate\n"
      "  --decision ID         title-list: the decision (see 'hoctap decision list')\n"
      "  -o, --output FILE     where to write; .xlsx or .pdf\n"
      "  --db PATH             the database\n\n"
      "Every figure is the dashboard's (GET /api/v1/dashboard). See docs/reports.md.\n");
}

typedef struct report_opts {
  const char *db, *year, *unit, *targets, *basis, *decision, *out;
  int kind, y, format;
  int64_t decision_id;
  dash_basis b;
} report_opts;

static int parse(int argc, char **argv, report_opts *o) {
  static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                       {"year", required_argument, 0, 'y'},
                                       {"unit", required_argument, 0, 'u'},
                                       {"targets", required_argument, 0, 'T'},
                                       {"basis", required_argument, 0, 'b'},
                                       {"decision", required_argument, 0, 'D'},
                                       {"output", required_argument, 0, 'o'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  memset(o, 0, sizeof *o);
  optind = 1;
  opterr = 0;
  int c;
  while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
    switch (c) {
      case 'd': o->db = optarg; break;
      case 'y': o->year = optarg; break;
      case 'u': o->unit = optarg; break;
      case 'T': o->targets = optarg; break;
      case 'b': o->basis = optarg; break;
      case 'D': o->decision = optarg; break;
      case 'o': o->out = optarg; break;
      case 'h': help(); return EXIT_OK;
      default: return cli_usage("report", "unknown option '%s'", argv[optind - 1]);
    }
  }
  if (optind >= argc)
    return cli_usage("report", "name the report: annual, commune-dossier or title-list");
  const char *name = argv[optind++];
  o->kind = report_kind_parse(name);
  if (o->kind < 0)
    return cli_usage("report",
                     "unknown report '%s'; the reports are annual, commune-dossier and title-list",
                     name);
  if (optind < argc) return cli_usage("report", "unexpected argument '%s'", argv[optind]);
  if (!o->out) return cli_usage("report", "-o FILE is required (FILE.xlsx or FILE.pdf)");
  o->format = report_format_of_path(o->out);
  if (o->format < 0)
    return cli_usage("report", "-o %s: the file name must end in .xlsx or .pdf", o->out);
  o->b = DASH_BASIS_EVALUATION;
  if (o->basis) {
    int b = dash_basis_parse(o->basis);
    if (b < 0)
      return cli_usage("report", "--basis must be evaluation or decision, not '%s'", o->basis);
    o->b = (dash_basis)b;
  }
  if (o->decision) {
    if (o->kind != REPORT_TITLE_LIST)
      return cli_usage("report", "--decision is for the title-list report");
    char *end;
    long long id = strtoll(o->decision, &end, 10);
    if (*end || id <= 0)
      return cli_usage("report", "--decision must be a decision's number (its ID), not '%s'",
                       o->decision);
    o->decision_id = id;
  }
  if (o->year) {
    char *end;
    o->y = (int)strtol(o->year, &end, 10);
    if (*end || o->y < 2000 || o->y > 2100)
      return cli_usage("report", "--year must be a year such as 2025, not '%s'", o->year);
  } else if (!o->decision) {
    return cli_usage("report", "--year is required (e.g. --year 2025)");
  }
  if (o->kind == REPORT_DOSSIER && !o->unit)
    return cli_usage("report", "--unit is required: the commune's code");
  if (o->kind == REPORT_TITLE_LIST && !o->decision && !o->unit)
    return cli_usage("report", "give --decision ID, or --year and --unit to list every decision");
  return -1;
}

static double seconds_since(const struct timespec *t0) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The report written to a temporary file beside out, then renamed over it, so a failure
 * leaves whatever was at out untouched. */
static int write_report(const report_opts *o, const report_src *src, const report_params *p,
                        report_info *info, ht_err *err) {
  size_t n = strlen(o->out) + 16;
  char *tmp = malloc(n);
  if (!tmp) return ht_err_set(err, HT_ENOMEM, "out of memory");
  snprintf(tmp, n, "%s.partXXXXXX", o->out);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    int rc =
        ht_err_set(err, HT_EIO, "cannot write in the folder of %s: %s", o->out, strerror(errno));
    free(tmp);
    return rc;
  }
  close(fd);
  int rc = report_write((report_kind)o->kind, src, p, tmp, info, err);
  if (rc == HT_OK && rename(tmp, o->out) != 0)
    rc = ht_err_set(err, HT_EIO, "cannot write %s: %s", o->out, strerror(errno));
  if (rc != HT_OK) unlink(tmp);
  free(tmp);
  return rc;
}

static int failed(const report_opts *o, int rc, const report_info *info, const ht_err *err) {
  (void)rc;
  if (info->param) {
    const char *flag = info->param;
    if (!strcmp(flag, "year") && !o->year && o->decision) flag = "decision";
    return cli_fail("report", "--%s: %s", flag, err->msg);
  }
  return cli_fail("report", "%s", err->msg);
}

static void written(const report_opts *o, const report_info *info) {
  if (o->format == REPORT_PDF)
    printf("Report %s written to %s (%d page(s), %ld row(s)).\n", report_kind_name(o->kind), o->out,
           info->pages, info->rows);
  else
    printf("Report %s written to %s (%d sheet(s), %ld row(s)).\n", report_kind_name(o->kind),
           o->out, info->sheets, info->rows);
}

/* title-list: no engine, only the database, the hierarchy and the criteria. */
static int title_list(const report_opts *o) {
  arena a;
  arena_init(&a, 0);
  issues problems;
  issues_init(&problems, &a);
  crit_set set;
  crit_set_init(&set);
  hier h = {0};
  db *d = NULL;
  ht_err err = {0};
  int rc;
  if (evaluation_criteria(&set, NULL, 0, &problems, &err) != HT_OK) {
    rc = cli_fail("report", "the built-in criteria have problems: %s", err.msg);
    goto end;
  }
  rc = cli_open_db("report", o->db, &d);
  if (rc) goto end;
  if (hier_load(d, &h, &err) != HT_OK) {
    rc = cli_fail("report", "%s", err.msg);
    goto end;
  }
  report_src src = {.d = d, .h = &h, .criteria = &set};
  report_params p = {.year = o->y,
                     .unit = o->unit,
                     .basis = o->b,
                     .province = (int)db_prov(d),
                     .decision = o->decision_id,
                     .format = (report_format)o->format};
  report_info info;
  int r = write_report(o, &src, &p, &info, &err);
  rc = r == HT_OK ? (written(o, &info), EXIT_OK) : failed(o, r, &info, &err);
end:
  hier_free(&h);
  if (d) db_close(d);
  crit_set_free(&set);
  arena_free(&a);
  return rc;
}

int cmd_report(int argc, char **argv) {
  report_opts o;
  int rc = parse(argc, argv, &o);
  if (rc >= 0) return rc;
  if (o.kind == REPORT_TITLE_LIST) return title_list(&o);
  /* HOCTAP_REPORT_TRACE=1 prints the time of each stage to stderr (bench/report) */
  int trace = getenv("HOCTAP_REPORT_TRACE") && *getenv("HOCTAP_REPORT_TRACE") == '1';
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  if (o.y < DASH_FIRST_YEAR || o.y >= DASH_FIRST_YEAR + DASH_MAX_YEARS)
    return cli_fail("report", "--year: the reports cover %d to %d, not %d", DASH_FIRST_YEAR,
                    DASH_FIRST_YEAR + DASH_MAX_YEARS - 1, o.y);
  eval_env v;
  rc = eval_env_open(&v, "report", o.db, o.y, NULL, 0, o.targets, NULL);
  if (rc >= 0) {
    eval_env_free(&v);
    return rc;
  }
  if (trace) fprintf(stderr, "report: database, criteria and engine %.3f s\n", seconds_since(&t0));
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  ht_err err = {0};
  dash_table *tables[DASH_MAX_YEARS] = {0};
  if (dash_table_build(v.e, &tables[o.y - DASH_FIRST_YEAR], &err) != HT_OK) {
    rc = cli_fail("report", "%s", err.msg);
    goto end;
  }
  if (trace) fprintf(stderr, "report: dashboard table %.3f s\n", seconds_since(&t1));
  clock_gettime(CLOCK_MONOTONIC, &t1);
  report_src src = {
      .d = v.d, .h = &v.h, .criteria = &v.set, .targets = &v.th.set, .tables = tables, .e = v.e};
  report_params p = {.year = o.y,
                     .unit = o.unit,
                     .targets = o.targets,
                     .basis = o.b,
                     .province = (int)db_prov(v.d),
                     .format = (report_format)o.format};
  report_info info;
  int r = write_report(&o, &src, &p, &info, &err);
  if (trace) fprintf(stderr, "report: report written %.3f s\n", seconds_since(&t1));
  rc = r == HT_OK ? (written(&o, &info), EXIT_OK) : failed(&o, r, &info, &err);
end:
  dash_table_free(tables[o.y - DASH_FIRST_YEAR]);
  eval_env_free(&v);
  return rc;
}
