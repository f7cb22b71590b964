/* cmd_export.c - hoctap export KIND: every list and rollup of the product as
 * CSV for Excel or a streamed .xlsx workbook (services/export.h), and the
 * rollup as a DHIS2 data value set (services/dhis2.h). docs/cli.md, "hoctap
 * export"; docs/dhis2.md. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "faces/cli/cli.h"
#include "faces/cli/eval_env.h"
#include "services/dhis2.h"
#include "services/export.h"

typedef struct export_opts {
  const char *kind, *db, *year, *date, *unit, *title, *format, *output, *lang, *mapping, *targets;
  const char *action, *actor;
  const char *files[16];
  int nfiles, strict, y, en;
  int32_t day;
} export_opts;

static const char *const KINDS[] = {"units",   "households", "persons", "clans", "organisations",
                                    "results", "rollup",     "audit",   "users", "dhis2"};

static void help(void) {
  printf(
      "Usage: hoctap export KIND [OPTIONS] --format csv|xlsx -o FILE\n"
      "       hoctap export dhis2 --year Y [--unit CODE] --format json|adx [--mapping FILE]\n"
      "                           [--strict] -o FILE\n\n"
      "Writes a list as CSV for Excel (UTF-8 with a byte-order mark, CRLF, formula-like text\n"
      "neutralised) or as an .xlsx workbook written in constant memory. -o - writes CSV, JSON\n"
      "or ADX to standard output. Headers are Vietnamese; --lang en gives English headers,\n"
      "which for the registry lists are the column keys the importers accept.\n\n"
      "KIND:\n"
      "  units          the hierarchy on --date (default 31 Dec of --year, else today), below\n"
      "                 --unit: code, name, kind, parent, validity, groups, registry counts\n"
      "  households     households of --year (default this year) placed at or below --unit\n"
      "  persons        members in --year with that year's facts; full citizen IDs\n"
      "  clans          clans based at or below --unit\n"
      "  organisations  organisations managed at or below --unit on --date\n"
      "  results        per entity of --title in --year (required), as 'hoctap results'\n"
      "  rollup         per unit and title: eligible, registered, evaluated, recognised,\n"
      "                 rates and target, as 'hoctap evaluate' (--year required)\n"
      "  audit          the audit trail, newest first (--actor NAME, --action A)\n"
      "  users          the accounts\n"
      "  dhis2          the rollup counts as DHIS2 dataValueSets JSON or ADX XML; the\n"
      "                 mapping file (default: the built-in copy of\n"
      "                 data/dhis2/mapping-haiphong.txt) maps titles and units to DHIS2\n"
      "                 ids (docs/dhis2.md). Units and titles without a mapping are\n"
      "                 skipped with a warning, or with --strict the export fails\n\n"
      "Other options: --db PATH, --criteria FILE (repeatable), --targets KEY.\n"
      "Exports of households, persons and results are written to the audit trail.\n");
}

static int is_kind(const char *k) {
  for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++)
    if (!strcmp(KINDS[i], k)) return 1;
  return 0;
}

static int parse(int argc, char **argv, export_opts *o) {
  static const struct option opts[] = {
      {"db", required_argument, 0, 'd'},       {"year", required_argument, 0, 'y'},
      {"date", required_argument, 0, 'D'},     {"unit", required_argument, 0, 'u'},
      {"title", required_argument, 0, 't'},    {"format", required_argument, 0, 'f'},
      {"output", required_argument, 0, 'o'},   {"lang", required_argument, 0, 'l'},
      {"mapping", required_argument, 0, 'm'},  {"strict", no_argument, 0, 's'},
      {"criteria", required_argument, 0, 'c'}, {"targets", required_argument, 0, 'T'},
      {"action", required_argument, 0, 'a'},   {"actor", required_argument, 0, 'A'},
      {"help", no_argument, 0, 'h'},           {0, 0, 0, 0}};
  memset(o, 0, sizeof *o);
  o->lang = "vi";
  optind = 1;
  opterr = 0;
  int c;
  while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
    switch (c) {
      case 'd': o->db = optarg; break;
      case 'y': o->year = optarg; break;
      case 'D': o->date = optarg; break;
      case 'u': o->unit = optarg; break;
      case 't': o->title = optarg; break;
      case 'f': o->format = optarg; break;
      case 'o': o->output = optarg; break;
      case 'l': o->lang = optarg; break;
      case 'm': o->mapping = optarg; break;
      case 's': o->strict = 1; break;
      case 'T': o->targets = optarg; break;
      case 'a': o->action = optarg; break;
      case 'A': o->actor = optarg; break;
      case 'c':
        if (o->nfiles == 16) return cli_usage("export", "at most 16 --criteria files");
        o->files[o->nfiles++] = optarg;
        break;
      case 'h': help(); return EXIT_OK;
      default: return cli_usage("export", "unknown option '%s'", argv[optind - 1]);
    }
  }
  if (optind + 1 != argc)
    return cli_usage("export",
                     "give exactly one KIND: units, households, persons, clans, "
                     "organisations, results, rollup, audit, users or dhis2");
  o->kind = argv[optind];
  if (!is_kind(o->kind))
    return cli_usage("export",
                     "unknown KIND '%s'; use units, households, persons, clans, "
                     "organisations, results, rollup, audit, users or dhis2",
                     o->kind);
  int dhis2 = !strcmp(o->kind, "dhis2");
  if (!o->format)
    return cli_usage("export", "--format is required: %s", dhis2 ? "json or adx" : "csv or xlsx");
  if (dhis2 ? strcmp(o->format, "json") && strcmp(o->format, "adx")
            : tbl_format_parse(o->format) < 0)
    return cli_usage("export", "--format must be %s, not '%s'",
                     dhis2 ? "json or adx" : "csv or xlsx", o->format);
  if (!o->output)
    return cli_usage("export", "-o FILE is required (-o - writes to standard output)");
  if (!strcmp(o->output, "-") && !strcmp(o->format, "xlsx"))
    return cli_usage("export", "an .xlsx workbook cannot go to standard output; give -o FILE.xlsx");
  if (strcmp(o->lang, "vi") && strcmp(o->lang, "en"))
    return cli_usage("export", "--lang must be vi or en, not '%s'", o->lang);
  o->en = !strcmp(o->lang, "en");
  int needs_year = dhis2 || !strcmp(o->kind, "results") || !strcmp(o->kind, "rollup");
  if (!o->year && needs_year)
    return cli_usage("export", "--year is required for %s (e.g. --year 2025)", o->kind);
  o->y = date_year(date_today());
  if (o->year) {
    char *end;
    o->y = (int)strtol(o->year, &end, 10);
    if (*end || o->y < 2000 || o->y > 2100)
      return cli_usage("export", "--year must be a year such as 2025, not '%s'", o->year);
  }
  o->day = o->year ? date_from_ymd(o->y, 12, 31) : date_today();
  if (o->date && date_parse(o->date, &o->day) != HT_OK)
    return cli_usage("export", "--date must be a date written YYYY-MM-DD, not '%s'", o->date);
  if (!strcmp(o->kind, "results") && !o->title)
    return cli_usage("export", "--title is required for results (see 'hoctap criteria list')");
  return -1;
}

/* An export of personal data from the CLI goes to the audit trail, as the
 * web's downloads do (actor cli:<login>). */
static int audit_export(db *d, const export_opts *o, long rows) {
  char who_name[64], object[200], what[128];
  audit_actor who = audit_cli_actor(who_name);
  snprintf(object, sizeof object, "%s/%d%s%s", o->title ? o->title : o->kind, o->y,
           o->unit ? "/" : "", o->unit ? o->unit : "");
  snprintf(what, sizeof what, "{\"format\":\"%s\",\"rows\":%ld}", o->format, rows);
  char action[48];
  snprintf(action, sizeof action, "export.%s", o->kind);
  audit_entry e = {action, "export", object, o->unit ? o->unit : "", NULL, what};
  ht_err err = {0};
  if (audit_append_tx(d, &who, &e, &err) != HT_OK)
    return cli_fail("export", "the file was written but the audit trail was not: %s", err.msg);
  return EXIT_OK;
}

/* The unit of --unit on o->day, or a message. */
static int check_unit(const hier *h, const export_opts *o) {
  if (!o->unit || hier_find(h, o->unit, o->day)) return EXIT_OK;
  char buf[11];
  return cli_fail("export", "no administrative unit '%s' on %s; see 'hoctap units tree'", o->unit,
                  date_format(o->day, buf));
}

/* units, households, persons, clans, organisations, audit, users: no engine. */
static int export_plain(const export_opts *o, tbl_out *t, const char *sheet) {
  db *d = NULL;
  hier h = {0};
  arena a;
  arena_init(&a, 0);
  ht_err err = {0};
  int rc = cli_open_db("export", o->db, &d);
  if (rc) goto end;
  rc = EXIT_RUNTIME;
  if (hier_load(d, &h, &err) != HT_OK) {
    cli_fail("export", "%s", err.msg);
    goto end;
  }
  if ((rc = check_unit(&h, o)) != EXIT_OK) goto end;
  if (tbl_open(t, (tbl_format)tbl_format_parse(o->format), o->output, sheet, &err) != HT_OK) {
    rc = cli_fail("export", "%s", err.msg);
    goto end;
  }
  export_where w = {&h, o->unit, o->day, NULL, NULL, NULL};
  int wrc = HT_OK, personal = 0;
  if (!strcmp(o->kind, "units")) {
    unit_counts c;
    const hier_unit **units;
    size_t n = export_subtree(&h, o->unit, o->day, &a, &units);
    wrc = unit_counts_load(d, o->day, &c, &err);
    if (wrc == HT_OK) {
      unit_counts_rollup(&c, &h);
      export_units(t, &h, units, n, &c, o->day, o->en, &a);
      unit_counts_free(&c);
    }
  } else if (!strcmp(o->kind, "households")) {
    w.day = date_from_ymd(o->y, 12, 31);
    wrc = export_households(t, d, &w, o->y, o->en, &err);
    personal = 1;
  } else if (!strcmp(o->kind, "persons")) {
    w.day = date_from_ymd(o->y, 12, 31);
    wrc = export_persons(t, d, &w, o->y, 1, o->en, &err);
    personal = 1;
  } else if (!strcmp(o->kind, "clans")) {
    wrc = export_clans(t, d, &w, o->en, &err);
  } else if (!strcmp(o->kind, "organisations")) {
    wrc = export_organisations(t, d, &w, o->en, &err);
  } else if (!strcmp(o->kind, "audit")) {
    audit_filter f = {0};
    f.actor = o->actor;
    f.action = o->action;
    wrc = export_audit(t, d, &f, o->en, &err);
  } else {
    wrc = export_users(t, d, NULL, NULL, o->en, &err);
  }
  long rows = t->rows;
  ht_err cerr = {0};
  int crc = tbl_close(t, &cerr);
  if (wrc != HT_OK || crc != HT_OK) {
    rc = cli_fail("export", "%s", wrc != HT_OK ? err.msg : cerr.msg);
    goto end;
  }
  fprintf(stderr, "Wrote %ld %s row(s) to %s.\n", rows, o->kind, o->output);
  rc = personal ? audit_export(d, o, rows) : EXIT_OK;
end:
  hier_free(&h);
  if (d) db_close(d);
  arena_free(&a);
  return rc;
}

static void print_list(const char *what, const char *const *items, size_t n) {
  fprintf(stderr, "%s", what);
  for (size_t i = 0; i < n && i < 20; i++) fprintf(stderr, "%s%s", i ? ", " : " ", items[i]);
  if (n > 20) fprintf(stderr, " and %zu more", n - 20);
  fputc('\n', stderr);
}

static int export_dhis2(const export_opts *o, eval_env *v, const hier_unit **units, size_t n) {
  const char *path = o->mapping ? o->mapping : "built-in:" DHIS2_DEFAULT_MAPPING;
  dhis2_map m;
  ht_err err = {0};
  int rc = o->mapping ? dhis2_map_load(&m, path, &v->set, &v->problems, &err)
                      : dhis2_map_builtin(&m, DHIS2_DEFAULT_MAPPING, &v->set, &v->problems, &err);
  if (rc != HT_OK) {
    if (rc == HT_EINVAL) {
      issues_sort(&v->problems);
      for (long i = 0; i < v->problems.kept; i++) {
        const issue *it = &v->problems.items[i];
        fprintf(stderr, "%s:%ld: %s\n", it->file ? it->file : path, it->row, it->msg);
      }
    }
    dhis2_map_free(&m);
    return cli_fail("export", "%s; nothing was written", err.msg);
  }
  dhis2_gaps gaps;
  dhis2_find_gaps(&m, v->e, &v->h, units, n, &v->a, &gaps);
  if (gaps.nunits)
    print_list(o->strict ? "hoctap export: units without an orgunit line in the mapping:"
                         : "hoctap export: warning: skipped units without an orgunit line:",
               gaps.units, gaps.nunits);
  if (gaps.ntitles)
    print_list(o->strict ? "hoctap export: titles without an element line in the mapping:"
                         : "hoctap export: warning: skipped titles without an element line:",
               gaps.titles, gaps.ntitles);
  if (o->strict && (gaps.nunits || gaps.ntitles)) {
    dhis2_map_free(&m);
    return cli_fail("export", "--strict: add them to %s; nothing was written", path);
  }
  FILE *out = strcmp(o->output, "-") ? fopen(o->output, "wb") : stdout;
  if (!out) {
    dhis2_map_free(&m);
    return cli_fail("export", "cannot write %s", o->output);
  }
  long values;
  rc = dhis2_write(out, !strcmp(o->format, "adx") ? DHIS2_ADX : DHIS2_JSON, &m, v->e, &v->h, units,
                   n, &values, &err);
  if ((out != stdout ? fclose(out) : fflush(out)) != 0 && rc == HT_OK)
    rc = ht_err_set(&err, HT_EIO, "cannot write %s", o->output);
  dhis2_map_free(&m);
  if (rc != HT_OK) return cli_fail("export", "%s", err.msg);
  fprintf(stderr, "Wrote %ld DHIS2 data value(s) for %zu unit(s), period %d, to %s.\n", values,
          n - gaps.nunits, o->y, o->output);
  return EXIT_OK;
}

/* results, rollup, dhis2: the year's engine. */
static int export_engine(const export_opts *o, tbl_out *t, const char *sheet) {
  eval_env v;
  int rc = eval_env_open(&v, "export", o->db, o->y, o->files, o->nfiles, o->targets, o->title);
  if (rc >= 0) goto end;
  int title = o->title ? eng_title_find(v.e, o->title) : -1;
  const hier_unit *start = NULL;
  crit_entity k = CRIT_PROVINCE;
  int32_t ix = -1;
  if (o->unit && evaluation_unit(v.e, &v.h, o->unit, &start, &k, &ix) != 0) {
    rc = cli_fail("export", "no administrative unit '%s' on 31/12/%d; see 'hoctap units tree'",
                  o->unit, o->y);
    goto end;
  }
  const hier_unit **units;
  size_t n = evaluation_report_units(&v.h, start, o->y, &v.a, &units);
  if (!strcmp(o->kind, "dhis2")) {
    rc = export_dhis2(o, &v, units, n);
    goto end;
  }
  ht_err err = {0};
  if (tbl_open(t, (tbl_format)tbl_format_parse(o->format), o->output, sheet, &err) != HT_OK) {
    rc = cli_fail("export", "%s", err.msg);
    goto end;
  }
  int32_t ne = 0;
  if (!strcmp(o->kind, "results")) {
    int32_t *ents = evaluation_entities(v.e, title, k, ix, &ne);
    export_results(t, v.d, v.e, &v.h, title, ents, ne, 1, o->en);
    free(ents);
  } else {
    export_rollup(t, v.e, &v.h, units, n, title, targets_hook_fn, &v.th, o->en);
  }
  long rows = t->rows;
  if (tbl_close(t, &err) != HT_OK) {
    rc = cli_fail("export", "%s", err.msg);
    goto end;
  }
  fprintf(stderr, "Wrote %ld %s row(s) to %s.\n", rows, o->kind, o->output);
  rc = !strcmp(o->kind, "results") ? audit_export(v.d, o, rows) : EXIT_OK;
end:
  eval_env_free(&v);
  return rc;
}

int cmd_export(int argc, char **argv) {
  export_opts o;
  int rc = parse(argc, argv, &o);
  if (rc >= 0) return rc;
  char sheet[64];
  snprintf(sheet, sizeof sheet, "%s %d", o.title ? o.title : o.kind, o.y);
  tbl_out t;
  if (!strcmp(o.kind, "results") || !strcmp(o.kind, "rollup") || !strcmp(o.kind, "dhis2"))
    return export_engine(&o, &t, sheet);
  return export_plain(&o, &t, o.kind);
}
