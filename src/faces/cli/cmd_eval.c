/* cmd_eval.c - hoctap evaluate | results | explain: the engine from the
 * command line (docs/cli.md). */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "faces/cli/cli.h"
#include "io/csv_write.h"
#include "services/eng_load.h"
#include "services/evaluation.h"
#include "services/export.h"
#include "services/targets_hook.h"
#include "faces/cli/eval_env.h"

typedef struct eval_opts {
  const char *cmd, *db, *year, *title, *unit, *format, *lang, *targets;
  const char *files[16];
  int nfiles;
  int y;
} eval_opts;

static void help(const char *cmd) {
  if (!strcmp(cmd, "evaluate"))
    printf(
        "Usage: hoctap evaluate --year Y [--title T] [--unit CODE] [--format table|json|csv]\n\n"
        "Evaluates every title in force in year Y on the hierarchy of 31 December and prints,\n"
        "per administrative unit and title: eligible, registered, evaluated and recognised\n"
        "counts, the rate (recognised / eligible) and the applicable target. Without --unit:\n"
        "the province and every unit down to the communes; with --unit: that unit and the\n"
        "units below it down to the communes (a commune: its villages).\n");
  else if (!strcmp(cmd, "results"))
    printf(
        "Usage: hoctap results --year Y --title T [--unit CODE] [--format table|json|csv]\n\n"
        "Per entity of title T in year Y (at or below --unit): registered, the result of each\n"
        "item (points, or the level reached), the total or level, and recognised. Entities\n"
        "that the title's eligibility rule leaves out (e.g. persons under 15) are not listed.\n");
  else
    printf(
        "Usage: hoctap explain --year Y --title T CODE [--lang vi|en]\n\n"
        "Explains CODE's result for title T in year Y: per item the rule, the values it saw\n"
        "and why it passed or failed, then the recognition. CODE is a household, clan,\n"
        "organisation or unit code, or for a person the citizen ID or P followed by the id.\n");
  printf(
      "\nCommon options: --db FILE, --criteria FILE (a criteria file overriding the defaults;\n"
      "repeatable), --targets KEY (a target set, see 'hoctap targets list').\n");
}

static int parse(int argc, char **argv, eval_opts *o) {
  static const struct option opts[] = {
      {"db", required_argument, 0, 'd'},       {"year", required_argument, 0, 'y'},
      {"title", required_argument, 0, 't'},    {"unit", required_argument, 0, 'u'},
      {"format", required_argument, 0, 'f'},   {"lang", required_argument, 0, 'l'},
      {"criteria", required_argument, 0, 'c'}, {"targets", required_argument, 0, 'T'},
      {"help", no_argument, 0, 'h'},           {0, 0, 0, 0}};
  memset(o, 0, sizeof *o);
  o->cmd = argv[0];
  o->format = "table";
  o->lang = "vi";
  optind = 1;
  opterr = 0;
  int c;
  while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (c) {
      case 'd': o->db = optarg; break;
      case 'y': o->year = optarg; break;
      case 't': o->title = optarg; break;
      case 'u': o->unit = optarg; break;
      case 'f': o->format = optarg; break;
      case 'l': o->lang = optarg; break;
      case 'T': o->targets = optarg; break;
      case 'c':
        if (o->nfiles == 16) return cli_usage(o->cmd, "at most 16 --criteria files");
        o->files[o->nfiles++] = optarg;
        break;
      case 'h': help(o->cmd); return EXIT_OK;
      default: return cli_usage(o->cmd, "unknown option '%s'", argv[optind - 1]);
    }
  }
  if (!o->year) return cli_usage(o->cmd, "--year is required (e.g. --year 2025)");
  char *end;
  o->y = (int)strtol(o->year, &end, 10);
  if (*end || o->y < 2000 || o->y > 2100)
    return cli_usage(o->cmd, "--year must be a year such as 2025, not '%s'", o->year);
  if (strcmp(o->format, "table") && strcmp(o->format, "json") && strcmp(o->format, "csv"))
    return cli_usage(o->cmd, "--format must be table, json or csv, not '%s'", o->format);
  if (strcmp(o->lang, "vi") && strcmp(o->lang, "en"))
    return cli_usage(o->cmd, "--lang must be vi or en, not '%s'", o->lang);
  return -1;
}

static void env_free(eval_env *v) {
  eval_env_free(v);
}

static int env_open(eval_opts *o, eval_env *v) {
  return eval_env_open(v, o->cmd, o->db, o->y, o->files, o->nfiles, o->targets, o->title);
}

/* Whole numbers as JSON integers (10, not 10.0). */
static json_t *num(double v) {
  if (isnan(v)) return json_null();
  return v == floor(v) && fabs(v) < 1e15 ? json_integer((json_int_t)v) : json_real(v);
}

static void put_rate(json_t *o, const char *key, double v) {
  json_object_set_new(o, key, isnan(v) ? json_null() : json_real(round(v * 1e6) / 1e6));
}

static void print_rate(double v) {
  if (isnan(v))
    printf("%8s", "-");
  else
    printf("%7.1f%%", v * 100);
}

int cmd_evaluate(int argc, char **argv) {
  eval_opts o;
  int rc = parse(argc, argv, &o);
  if (rc >= 0) return rc;
  eval_env v;
  rc = env_open(&o, &v);
  if (rc >= 0) goto end;
  int title = o.title ? eng_title_find(v.e, o.title) : -1;
  /* the units: the start unit, then below it down to communes (a commune: its villages) */
  const hier_unit *start = NULL;
  if (o.unit) {
    crit_entity k;
    int32_t ix;
    if (evaluation_unit(v.e, &v.h, o.unit, &start, &k, &ix) != 0) {
      rc = cli_fail(o.cmd, "no administrative unit '%s' on 31/12/%d; see 'hoctap units list'",
                    o.unit, o.y);
      goto end;
    }
  }
  const hier_unit **queue;
  size_t nq = evaluation_report_units(&v.h, start, o.y, &v.a, &queue);
  if (!strcmp(o.format, "csv")) {
    tbl_out w;
    ht_err err = {0};
    tbl_open(&w, TBL_CSV, "-", NULL, &err);
    export_rollup(&w, v.e, &v.h, queue, nq, title, targets_hook_fn, &v.th, 1);
    rc = tbl_close(&w, &err) == HT_OK ? EXIT_OK : cli_fail(o.cmd, "%s", err.msg);
    goto end;
  }
  json_t *units = json_array();
  int json = !strcmp(o.format, "json");
  if (!json)
    printf("%-8s %-24s %9s %9s %9s %9s %8s %8s  %s\n", "code", "title", "eligible", "register",
           "evaluated", "recognis", "rate", "target", "name");
  eval_row rows[64];
  for (size_t i = 0; i < nq; i++) {
    const hier_unit *u;
    crit_entity k;
    int32_t ix;
    if (evaluation_unit(v.e, &v.h, queue[i]->code, &u, &k, &ix) != 0) continue;
    int n = evaluation_rows_for(v.e, u, k, ix, title, targets_hook_fn, &v.th, rows, 64);
    for (int r = 0; r < n; r++) {
      const eval_row *row = &rows[r];
      const char *tk = eng_title_at(v.e, row->title)->key;
      if (json) {
        json_t *j = json_pack("{sssssisisisisi}", "code", u->code, "title", tk, "eligible",
                              row->counts.eligible, "registered", row->counts.registered,
                              "evaluated", row->counts.evaluated, "recognised",
                              row->counts.recognised, "level2", row->counts.level2);
        put_rate(j, "rate", row->rate);
        put_rate(j, "registered_rate", row->registered_rate);
        put_rate(j, "target", row->target);
        json_array_append_new(units, j);
      } else {
        printf("%-8s %-24s %9d %9d %9d %9d ", u->code, tk, row->counts.eligible,
               row->counts.registered, row->counts.evaluated, row->counts.recognised);
        print_rate(row->rate);
        putchar(' ');
        print_rate(row->target);
        printf("  %s\n", u->name);
      }
    }
  }
  if (json) {
    json_t *out = json_pack("{siso}", "year", o.y, "units", units);
    json_dumpf(out, stdout, JSON_COMPACT);
    putchar('\n');
    json_decref(out);
  } else {
    json_decref(units);
  }
  rc = EXIT_OK;
end:
  env_free(&v);
  return rc;
}

int cmd_results(int argc, char **argv) {
  eval_opts o;
  int rc = parse(argc, argv, &o);
  if (rc >= 0) return rc;
  if (!o.title) return cli_usage(o.cmd, "--title is required (see 'hoctap criteria list')");
  eval_env v;
  rc = env_open(&o, &v);
  if (rc >= 0) goto end;
  int title = eng_title_find(v.e, o.title);
  const crit_title *t = eng_title_at(v.e, title);
  crit_entity k = CRIT_PROVINCE;
  int32_t ix = -1;
  if (o.unit) {
    const hier_unit *u;
    if (evaluation_unit(v.e, &v.h, o.unit, &u, &k, &ix) != 0) {
      rc = cli_fail(o.cmd, "no administrative unit '%s' on 31/12/%d; see 'hoctap units list'",
                    o.unit, o.y);
      goto end;
    }
  }
  int32_t n;
  int32_t *ents = evaluation_entities(v.e, title, k, ix, &n);
  int nitems = eng_item_count(v.e, title);
  int json = !strcmp(o.format, "json"), csv = !strcmp(o.format, "csv");
  strbuf code = STRBUF_INIT;
  csvw w;
  if (json) {
    printf("{\"year\":%d,\"title\":\"%s\",\"entities\":[", o.y, t->key);
  } else if (csv) {
    csvw_init_file(&w, stdout);
    csvw_text(&w, "code");
    csvw_text(&w, "registered");
    for (int i = 0; i < nitems; i++) csvw_text(&w, eng_item_at(v.e, title, i)->key);
    csvw_text(&w, t->levels ? "level" : "total");
    csvw_text(&w, "recognised");
    csvw_end_row(&w);
  } else {
    printf("%-16s %-4s", "code", "reg");
    for (int i = 0; i < nitems; i++) printf(" %5s", eng_item_at(v.e, title, i)->key);
    printf(" %6s %s\n", t->levels ? "level" : "total", "recognised");
  }
  for (int32_t i = 0; i < n; i++) {
    int32_t j = ents[i];
    eng_result r;
    eng_result_of(v.e, title, j, &r);
    strbuf_reset(&code);
    eng_code(v.e, t->entity, j, &code);
    if (json) {
      /* one entity per line so that a large listing streams */
      json_t *items = json_object();
      for (int it = 0; it < nitems; it++)
        json_object_set_new(items, eng_item_at(v.e, title, it)->key,
                            num(eng_item_result(v.e, title, it, j)));
      json_t *obj = json_pack("{sssbsosb}", "code", strbuf_cstr(&code), "registered", r.registered,
                              "items", items, "recognised", r.recognised);
      json_object_set_new(obj, "total", num(r.total));
      json_object_set_new(obj, "level", t->levels ? json_integer(r.level) : json_null());
      char *s = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
      printf("%s\n%s", i ? "," : "", s);
      free(s);
      json_decref(obj);
    } else if (csv) {
      csvw_text(&w, strbuf_cstr(&code));
      csvw_text(&w, r.registered ? "yes" : "no");
      for (int it = 0; it < nitems; it++) csvw_number(&w, eng_item_result(v.e, title, it, j));
      csvw_number(&w, t->levels ? (double)r.level : r.total);
      csvw_text(&w, r.recognised ? "yes" : "no");
      csvw_end_row(&w);
    } else {
      printf("%-16s %-4s", strbuf_cstr(&code), r.registered ? "yes" : "no");
      for (int it = 0; it < nitems; it++) printf(" %5g", eng_item_result(v.e, title, it, j));
      if (t->levels)
        printf(" %6d", r.level);
      else
        printf(" %6g", r.total);
      printf(" %s\n", r.recognised ? "yes" : "no");
    }
  }
  if (json) printf("]}\n");
  strbuf_free(&code);
  free(ents);
  rc = EXIT_OK;
end:
  env_free(&v);
  return rc;
}

int cmd_explain(int argc, char **argv) {
  eval_opts o;
  int rc = parse(argc, argv, &o);
  if (rc >= 0) return rc;
  if (!o.title) return cli_usage(o.cmd, "--title is required (see 'hoctap criteria list')");
  if (optind + 1 != argc) return cli_usage(o.cmd, "give exactly one CODE to explain");
  const char *code = argv[optind];
  eval_env v;
  rc = env_open(&o, &v);
  if (rc >= 0) goto end;
  int title = eng_title_find(v.e, o.title);
  const crit_title *t = eng_title_at(v.e, title);
  int32_t j = eng_find(v.e, t->entity, code);
  if (j < 0) {
    rc = cli_fail(o.cmd, "no %s '%s' in %d (title %s evaluates a %s)", crit_entity_name(t->entity),
                  code, o.y, t->key, crit_entity_name(t->entity));
    goto end;
  }
  strbuf out = STRBUF_INIT;
  eng_explain_text(v.e, title, j, o.lang, &out);
  fputs(strbuf_cstr(&out), stdout);
  strbuf_free(&out);
  rc = EXIT_OK;
end:
  env_free(&v);
  return rc;
}
