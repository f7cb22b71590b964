/* cmd_criteria.c - hoctap criteria: check criteria files, list and show the
 * titles in force. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "criteria/crit_defaults.h"
#include "faces/cli/cli.h"

static void help(void) {
  printf(
      "Usage: hoctap criteria SUBCOMMAND [OPTIONS]\n\n"
      "  check FILE...                     check criteria files (docs/criteria-format.md);\n"
      "                                    every problem is printed as FILE:LINE:COLUMN\n"
      "  list [--format table|json]        every title and version shipped\n"
      "  show TITLE [--year Y] [--province CODE] [--format table|json]\n"
      "                                    the criteria of TITLE in force in year Y\n"
      "                                    (default: this year; national unless --province)\n\n"
      "list and show use the default criteria shipped with hoctap, plus any --file F.\n");
}

static void print_issues(issues *l) {
  issues_sort(l);
  for (long i = 0; i < l->kept; i++) {
    const issue *it = &l->items[i];
    fprintf(stderr, "%s:%ld:%ld: %s\n", it->file ? it->file : "?", it->row, it->col, it->msg);
  }
  if (l->count > l->kept) fprintf(stderr, "... and %ld more problem(s)\n", l->count - l->kept);
}

static int do_check(int argc, char **argv) {
  if (argc < 2) return cli_usage("criteria", "check needs at least one FILE");
  arena a;
  arena_init(&a, 0);
  issues problems;
  issues_init(&problems, &a);
  crit_set set;
  crit_set_init(&set);
  int rc = EXIT_OK, titles = 0;
  for (int i = 1; i < argc; i++) {
    ht_err err = {0};
    int r = crit_load_file(&set, argv[i], &problems, &err);
    if (r != HT_OK && r != HT_EINVAL) {
      fprintf(stderr, "hoctap criteria: %s\n", err.msg);
      rc = EXIT_RUNTIME;
    }
  }
  for (crit_title *t = set.titles; t; t = t->next) titles++;
  if (!problems.count) {
    crit_add_missing_defaults(&set, &problems);
    crit_check_set(&set, &problems);
  }
  if (problems.count) {
    print_issues(&problems);
    fprintf(stderr, "hoctap criteria check: %ld problem(s) found.\n", problems.count);
    rc = EXIT_RUNTIME;
  } else if (rc == EXIT_OK) {
    printf("%d file(s), %d title(s): no problems found.\n", argc - 1, titles);
  }
  crit_set_free(&set);
  arena_free(&a);
  return rc;
}

typedef struct crit_opts {
  const char *format, *year, *province;
  const char *files[32];
  int nfiles;
} crit_opts;

static int parse(int argc, char **argv, crit_opts *o) {
  static const struct option opts[] = {
      {"format", required_argument, 0, 'f'},   {"year", required_argument, 0, 'y'},
      {"province", required_argument, 0, 'p'}, {"file", required_argument, 0, 'F'},
      {"help", no_argument, 0, 'h'},           {0, 0, 0, 0}};
  memset(o, 0, sizeof *o);
  o->format = "table";
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (c) {
      case 'f': o->format = optarg; break;
      case 'y': o->year = optarg; break;
      case 'p': o->province = optarg; break;
      case 'F':
        if (o->nfiles == 32) return cli_usage("criteria", "at most 32 --file options");
        o->files[o->nfiles++] = optarg;
        break;
      case 'h': help(); return EXIT_OK;
      default: return cli_usage("criteria", "unknown or incomplete option '%s'", argv[optind - 1]);
    }
  }
  if (cli_parse_format(o->format) < 0)
    return cli_usage("criteria", "--format must be table or json, not '%s'", o->format);
  return -1;
}

/* The criteria that list and show work on, with the memory they live in. */
typedef struct loaded {
  arena a;
  issues problems;
  crit_set set;
} loaded;

static void loaded_free(loaded *l) {
  crit_set_free(&l->set);
  arena_free(&l->a);
}

/* Loads the defaults plus --file files into l (always to be freed with
 * loaded_free); prints problems and returns an exit status on failure, -1 on
 * success. */
static int load(crit_opts *o, loaded *l) {
  arena_init(&l->a, 0);
  issues_init(&l->problems, &l->a);
  crit_set_init(&l->set);
  for (int i = 0; i < o->nfiles; i++) {
    ht_err err = {0};
    int r = crit_load_file(&l->set, o->files[i], &l->problems, &err);
    if (r != HT_OK && r != HT_EINVAL) return cli_fail("criteria", "%s", err.msg);
  }
  if (!l->problems.count) crit_add_missing_defaults(&l->set, &l->problems);
  if (!l->problems.count) crit_check_set(&l->set, &l->problems);
  if (l->problems.count) {
    print_issues(&l->problems);
    return cli_fail("criteria", "%ld problem(s) in the criteria; fix them first",
                    l->problems.count);
  }
  return -1;
}

static json_t *source_json(const crit_source *s) {
  return json_pack("{ssso}", "provenance", s->assumed ? "assumed" : "source", "reference",
                   s->reference ? json_string(s->reference) : json_null());
}

static const char *rule_text(arena *a, const crit_expr *e) {
  strbuf b = STRBUF_INIT;
  crit_expr_format(&b, e);
  const char *s = arena_strdup(a, strbuf_cstr(&b));
  strbuf_free(&b);
  return s;
}

static const char *input_text(arena *a, const crit_item *it) {
  switch (it->input) {
    case INPUT_YESNO: return "yesno";
    case INPUT_PERCENT: return "percent";
    case INPUT_LEVEL: return arena_sprintf(a, "level %d..%d", it->input_min, it->input_max);
    case INPUT_NUMBER: return arena_sprintf(a, "number %d..%d", it->input_min, it->input_max);
    default: return NULL;
  }
}

static json_t *title_json(const crit_title *t, int with_items, arena *a) {
  json_t *o =
      json_pack("{sssssssssssisisi}", "key", t->key, "name", t->name ? t->name : "", "name_en",
                t->name_en ? t->name_en : "", "entity", crit_entity_name(t->entity), "decision",
                t->decision ? t->decision : "", "applies_from", t->applies_from, "levels",
                t->levels, "valid_months", t->valid_months);
  json_object_set_new(o, "scoring", json_string(t->levels ? "levels" : "points"));
  json_object_set_new(o, "province", t->province ? json_integer(t->province) : json_null());
  json_object_set_new(o, "decision_date",
                      t->decision_date ? json_string(t->decision_date) : json_null());
  json_object_set_new(o, "applies_until",
                      t->applies_until ? json_integer(t->applies_until) : json_null());
  json_object_set_new(o, "evidence_required", json_boolean(t->evidence_required));
  json_object_set_new(o, "registration_required", json_boolean(t->requires_registration));
  if (!with_items) return o;
  json_object_set_new(o, "eligible",
                      t->eligible ? json_string(rule_text(a, t->eligible)) : json_null());
  if (t->eligible) json_object_set_new(o, "eligible_source", source_json(&t->eligible_source));
  json_t *items = json_array();
  for (const crit_item *it = t->items; it; it = it->next) {
    json_t *j = json_pack("{ssssso}", "key", it->key, "text", it->text ? it->text : "", "group",
                          it->group ? json_string(it->group) : json_null());
    if (!t->levels) json_object_set_new(j, "points", json_real(it->max_points));
    const char *in = input_text(a, it);
    json_object_set_new(j, "input", in ? json_string(in) : json_null());
    if (it->applies) json_object_set_new(j, "applies", json_string(rule_text(a, it->applies)));
    if (it->value) json_object_set_new(j, "value", json_string(rule_text(a, it->value)));
    if (it->when) json_object_set_new(j, "when", json_string(rule_text(a, it->when)));
    json_t *rules = json_array();
    for (const crit_points_rule *r = it->rules; r; r = r->next) {
      json_t *rj = json_pack("{ss}", "when", rule_text(a, r->when));
      if (r->level)
        json_object_set_new(rj, "level", json_integer(r->level));
      else
        json_object_set_new(rj, "points", json_real(r->points));
      json_array_append_new(rules, rj);
    }
    json_object_set_new(j, "rules", rules);
    json_object_set_new(j, "source", source_json(&it->source));
    json_array_append_new(items, j);
  }
  json_object_set_new(o, "items", items);
  json_object_set_new(o, "recognise",
                      t->recognise ? json_string(rule_text(a, t->recognise)) : json_null());
  if (t->recognise) json_object_set_new(o, "recognise_source", source_json(&t->recognise_source));
  return o;
}

static int do_list(int argc, char **argv) {
  crit_opts o;
  int rc = parse(argc, argv, &o);
  if (rc >= 0) return rc;
  loaded l;
  rc = load(&o, &l);
  arena *const a_ = &l.a;
  crit_set *const set_ = &l.set;
  if (rc < 0) {
    if (cli_parse_format(o.format) == 1) {
      json_t *arr = json_array();
      for (const crit_title *t = set_->titles; t; t = t->next)
        json_array_append_new(arr, title_json(t, 0, a_));
      json_t *out = json_pack("{so}", "titles", arr);
      json_dumpf(out, stdout, JSON_INDENT(2));
      putchar('\n');
      json_decref(out);
    } else {
      for (const crit_title *t = set_->titles; t; t = t->next) {
        int n = 0;
        for (const crit_item *it = t->items; it; it = it->next) n++;
        printf("%-26s %-12s from %d  %-8s %2d items  %s  (%s)%s\n", t->key,
               crit_entity_name(t->entity), t->applies_from, t->levels ? "levels" : "points", n,
               t->name ? t->name : "", t->decision, t->province ? " [province override]" : "");
      }
    }
    rc = EXIT_OK;
  }
  loaded_free(&l);
  return rc;
}

static int do_show(int argc, char **argv) {
  crit_opts o;
  int rc = parse(argc, argv, &o);
  if (rc >= 0) return rc;
  if (optind + 1 != argc) return cli_usage("criteria", "show needs exactly one TITLE key");
  const char *key = argv[optind];
  int year = date_year(date_today()), province = 0;
  if (o.year) {
    char *end;
    year = (int)strtol(o.year, &end, 10);
    if (*end || year < 1990 || year > 2100)
      return cli_usage("criteria", "--year must be a year such as 2025, not '%s'", o.year);
  }
  if (o.province) {
    char *end;
    province = (int)strtol(o.province, &end, 10);
    if (*end || province < 1 || province > 999)
      return cli_usage("criteria", "--province must be a province code such as 31, not '%s'",
                       o.province);
  }
  loaded l;
  rc = load(&o, &l);
  arena *const a_ = &l.a;
  crit_set *const set_ = &l.set;
  if (rc >= 0) goto end;
  const crit_title *t = crit_in_force(set_, key, year, province);
  if (!t) {
    int known = 0;
    for (const crit_title *x = set_->titles; x; x = x->next) known |= !strcmp(x->key, key);
    rc = known ? cli_fail("criteria", "no version of %s applies in %d", key, year)
               : cli_fail("criteria", "unknown title '%s'; see 'hoctap criteria list'", key);
    goto end;
  }
  if (cli_parse_format(o.format) == 1) {
    json_t *out = title_json(t, 1, a_);
    json_object_set_new(out, "year", json_integer(year));
    json_dumpf(out, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(out);
  } else {
    printf("%s — %s%s%s\n", t->key, t->name ? t->name : "", t->name_en ? " / " : "",
           t->name_en ? t->name_en : "");
    printf("In force in %d: %s%s%s, applies from %d%s\n", year, t->decision,
           t->decision_date ? " of " : "", t->decision_date ? t->decision_date : "",
           t->applies_from, t->province ? " (province override)" : "");
    printf("Evaluates: %s; scoring: %s; recognition valid %d months; registration %s\n",
           crit_entity_name(t->entity),
           t->levels ? arena_sprintf(a_, "%d levels (pass/fail)", t->levels) : "points",
           t->valid_months, t->requires_registration ? "required" : "optional");
    if (t->applies_until) printf("Applies until the evaluated year %d\n", t->applies_until);
    if (t->evidence_required) printf("An entered indicator without evidence fails\n");
    if (t->eligible)
      printf("Eligible (counted) when: %s\n  %s: %s\n", rule_text(a_, t->eligible),
             t->eligible_source.assumed ? "ASSUMED default" : "source",
             t->eligible_source.reference ? t->eligible_source.reference : "");
    for (const crit_item *it = t->items; it; it = it->next) {
      printf("\n  %s", it->key);
      if (!t->levels) printf(" (%g points)", it->max_points);
      if (it->group) printf(" [%s]", it->group);
      printf("  %s\n", it->text ? it->text : "");
      const char *in = input_text(a_, it);
      if (in) printf("      entered: %s\n", in);
      if (it->applies)
        printf("      applies only when: %s (otherwise counts as met)\n",
               rule_text(a_, it->applies));
      if (it->value) printf("      value: %s\n", rule_text(a_, it->value));
      if (it->when) printf("      passes when: %s\n", rule_text(a_, it->when));
      for (const crit_points_rule *r = it->rules; r; r = r->next) {
        if (r->level)
          printf("      level %d when: %s\n", r->level, rule_text(a_, r->when));
        else
          printf("      %g points when: %s\n", r->points, rule_text(a_, r->when));
      }
      printf("      %s: %s\n", it->source.assumed ? "ASSUMED default" : "source",
             it->source.reference ? it->source.reference : "");
    }
    if (t->recognise)
      printf("\nRecognised when: %s\n  %s: %s\n", rule_text(a_, t->recognise),
             t->recognise_source.assumed ? "ASSUMED default" : "source",
             t->recognise_source.reference ? t->recognise_source.reference : "");
    else
      printf("\nRecognised at the highest level every item reaches.\n");
  }
  rc = EXIT_OK;
end:
  loaded_free(&l);
  return rc;
}

int cmd_criteria(int argc, char **argv) {
  if (argc < 2) return cli_usage("criteria", "a subcommand is needed: check, list, show");
  const char *sub = argv[1];
  if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help")) {
    help();
    return EXIT_OK;
  }
  if (!strcmp(sub, "check")) {
    for (int i = 2; i < argc; i++)
      if (!strcmp(argv[i], "--help")) {
        help();
        return EXIT_OK;
      }
    return do_check(argc - 1, argv + 1);
  }
  if (!strcmp(sub, "list")) return do_list(argc - 1, argv + 1);
  if (!strcmp(sub, "show")) return do_show(argc - 1, argv + 1);
  return cli_usage("criteria", "unknown subcommand '%s'; use check, list or show", sub);
}
