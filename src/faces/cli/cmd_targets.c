/* cmd_targets.c - hoctap targets: check targets files, list and show the
 * target sets, and the target of every measure that applies in a year. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "criteria/crit_defaults.h"
#include "criteria/targets.h"
#include "services/targets_hook.h"
#include "faces/cli/cli.h"

static void help(void) {
  printf(
      "Usage: hoctap targets SUBCOMMAND [OPTIONS]\n\n"
      "  check FILE...                 check targets files (docs/targets-format.md);\n"
      "                                every problem is printed as FILE:LINE:COLUMN\n"
      "  list [--format table|json]    every target set: decision, province, and its\n"
      "                                measures by milestone year\n"
      "  show KEY [--format table|json]\n"
      "                                every target of set KEY with its provenance\n"
      "  for [--year Y] [--province CODE] [--groups G1|G2] [--decision KEY]\n"
      "      [--format table|json]     the target that applies to every measure in year Y\n"
      "                                (default: this year) for a unit of that province\n"
      "                                in those unit groups\n"
      "  import FILE [--db PATH]       check a province's own targets file against the\n"
      "                                shipped sets and those imported before, and store\n"
      "                                it in the database (a file of the same name is\n"
      "                                replaced); the server and the evaluation use it\n"
      "  remove NAME [--db PATH]       remove an imported file\n\n"
      "list, show and for use the targets shipped with hoctap, those imported into\n"
      "the database given with --db, and any --file F (a province's own set); a set\n"
      "replaces a shipped set with the same key.\n");
}

static void print_issues(issues *l) {
  issues_sort(l);
  for (long i = 0; i < l->kept; i++) {
    const issue *it = &l->items[i];
    fprintf(stderr, "%s:%ld:%ld: %s\n", it->file ? it->file : "?", it->row, it->col, it->msg);
  }
  if (l->count > l->kept) fprintf(stderr, "... and %ld more problem(s)\n", l->count - l->kept);
}

/* The targets with the memory they live in, and the criteria titles that say
 * which measures are title shares (and what those are called). */
typedef struct loaded {
  arena a;
  issues problems;
  tgt_set set;
  crit_set titles;
  const char **title_keys;
  size_t title_count;
} loaded;

static void loaded_init(loaded *l) {
  arena_init(&l->a, 0);
  issues_init(&l->problems, &l->a);
  tgt_set_init(&l->set);
  crit_set_init(&l->titles);
  l->title_keys = NULL;
  l->title_count = 0;
}

static void loaded_free(loaded *l) {
  tgt_set_free(&l->set);
  crit_set_free(&l->titles);
  arena_free(&l->a);
}

/* Loads the shipped criteria and lists their title keys (once each). */
static int load_titles(loaded *l) {
  issues crit_problems;
  issues_init(&crit_problems, &l->a);
  if (crit_load_defaults(&l->titles, &crit_problems) != HT_OK) {
    print_issues(&crit_problems);
    return cli_fail("targets", "the shipped criteria have problems; this build is broken");
  }
  size_t n = 0;
  for (const crit_title *t = l->titles.titles; t; t = t->next) n++;
  l->title_keys = arena_alloc(&l->a, (n ? n : 1) * sizeof *l->title_keys);
  for (const crit_title *t = l->titles.titles; t; t = t->next) {
    size_t i = 0;
    while (i < l->title_count && strcmp(l->title_keys[i], t->key)) i++;
    if (i == l->title_count) l->title_keys[l->title_count++] = t->key;
  }
  return -1;
}

static const char *title_name(const loaded *l, const char *key) {
  for (const crit_title *t = l->titles.titles; t; t = t->next)
    if (!strcmp(t->key, key) && !t->province) return t->name;
  return NULL;
}

/* The Vietnamese name of a target's measure: its declaration, or the title's name. */
static const char *measure_name(const loaded *l, const tgt_target *t) {
  const char *name = t->declared ? t->declared->name : title_name(l, t->measure);
  return name ? name : "";
}

static const char *measure_name_en(const loaded *l, const tgt_target *t) {
  if (t->declared) return t->declared->name_en;
  for (const crit_title *x = l->titles.titles; x; x = x->next)
    if (!strcmp(x->key, t->measure) && x->name_en) return x->name_en;
  return "";
}

static int do_check(int argc, char **argv) {
  if (argc < 2) return cli_usage("targets", "check needs at least one FILE");
  loaded l;
  loaded_init(&l);
  int rc = EXIT_OK, sets = 0;
  for (int i = 1; i < argc; i++) {
    ht_err err = {0};
    int r = tgt_load_file(&l.set, argv[i], &l.problems, &err);
    if (r != HT_OK && r != HT_EINVAL) {
      fprintf(stderr, "hoctap targets: %s\n", err.msg);
      rc = EXIT_RUNTIME;
    }
  }
  for (const tgt_programme *g = l.set.programmes; g; g = g->next) sets++;
  if (!l.problems.count && rc == EXIT_OK) {
    /* Against the shipped sets too: a measure key means one thing everywhere. */
    tgt_add_missing_defaults(&l.set, &l.problems);
    tgt_check_set(&l.set, &l.problems);
    int r = load_titles(&l);
    if (r >= 0) {
      loaded_free(&l);
      return r;
    }
    tgt_check_measures(&l.set, l.title_keys, l.title_count, &l.problems);
  }
  if (l.problems.count) {
    print_issues(&l.problems);
    fprintf(stderr, "hoctap targets check: %ld problem(s) found.\n", l.problems.count);
    rc = EXIT_RUNTIME;
  } else if (rc == EXIT_OK) {
    printf("%d file(s), %d target set(s): no problems found.\n", argc - 1, sets);
  }
  loaded_free(&l);
  return rc;
}

typedef struct tgt_opts {
  const char *format, *year, *province, *groups, *decision, *db;
  const char *files[32];
  int nfiles;
  int json;
} tgt_opts;

static int parse(int argc, char **argv, tgt_opts *o) {
  static const struct option opts[] = {{"format", required_argument, 0, 'f'},
                                       {"year", required_argument, 0, 'y'},
                                       {"province", required_argument, 0, 'p'},
                                       {"groups", required_argument, 0, 'g'},
                                       {"decision", required_argument, 0, 'd'},
                                       {"file", required_argument, 0, 'F'},
                                       {"db", required_argument, 0, 'D'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
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
      case 'g': o->groups = optarg; break;
      case 'd': o->decision = optarg; break;
      case 'D': o->db = optarg; break;
      case 'F':
        if (o->nfiles == 32) return cli_usage("targets", "at most 32 --file options");
        o->files[o->nfiles++] = optarg;
        break;
      case 'h': help(); return EXIT_OK;
      default: return cli_usage("targets", "unknown or incomplete option '%s'", argv[optind - 1]);
    }
  }
  o->json = cli_parse_format(o->format);
  if (o->json < 0)
    return cli_usage("targets", "--format must be table or json, not '%s'", o->format);
  return -1;
}

/* Loads the --file sets, then the shipped ones, into l (always freed with
 * loaded_free); prints problems and returns an exit status on failure, -1 on
 * success. A measure that is neither declared nor a title is a warning here
 * (`check` makes it an error). */
static int load(const tgt_opts *o, loaded *l) {
  loaded_init(l);
  for (int i = 0; i < o->nfiles; i++) {
    ht_err err = {0};
    int r = tgt_load_file(&l->set, o->files[i], &l->problems, &err);
    if (r != HT_OK && r != HT_EINVAL) return cli_fail("targets", "%s", err.msg);
  }
  if (o->db) {
    db *d;
    int r = cli_open_db("targets", o->db, &d);
    if (r) return r;
    r = targets_stored_load(d, &l->set, &l->problems);
    db_close(d);
    if (r != HT_OK && r != HT_EINVAL) return cli_fail("targets", "cannot read the database");
  }
  if (!l->problems.count) tgt_add_missing_defaults(&l->set, &l->problems);
  if (!l->problems.count) tgt_check_set(&l->set, &l->problems);
  if (l->problems.count) {
    print_issues(&l->problems);
    return cli_fail("targets", "%ld problem(s) in the targets; fix them first", l->problems.count);
  }
  int rc = load_titles(l);
  if (rc >= 0) return rc;
  issues warnings;
  issues_init(&warnings, &l->a);
  tgt_check_measures(&l->set, l->title_keys, l->title_count, &warnings);
  issues_sort(&warnings);
  for (long i = 0; i < warnings.kept; i++)
    fprintf(stderr, "%s:%ld:%ld: warning: %s\n", warnings.items[i].file, warnings.items[i].row,
            warnings.items[i].col, warnings.items[i].msg);
  return -1;
}

/* The sets in the order they are shown: national before provincial, then by
 * decision date, then as loaded. Array from l's arena; *n is its length. */
static const tgt_programme **sorted_sets(loaded *l, size_t *n) {
  *n = 0;
  for (const tgt_programme *g = l->set.programmes; g; g = g->next) ++*n;
  const tgt_programme **v = arena_alloc(&l->a, (*n ? *n : 1) * sizeof *v);
  size_t k = 0;
  for (const tgt_programme *g = l->set.programmes; g; g = g->next) {
    size_t j = k++;
    /* insertion sort: stable, and there are a handful of sets */
    while (j > 0 &&
           (v[j - 1]->province > g->province ||
            (v[j - 1]->province == g->province && v[j - 1]->decision_day > g->decision_day))) {
      v[j] = v[j - 1];
      j--;
    }
    v[j] = g;
  }
  return v;
}

static const char *percent(arena *a, double v) {
  return arena_sprintf(a, "%g%%", v * 100.0);
}

static const char *where(arena *a, const tgt_programme *g) {
  return g->province ? arena_sprintf(a, "tỉnh %d", g->province) : "toàn quốc";
}

static json_t *set_json(const tgt_programme *g) {
  json_t *o = json_pack("{sssssssssssssi}", "key", g->key, "name", g->name, "name_en",
                        g->name_en ? g->name_en : "", "decision", g->decision, "decision_date",
                        g->decision_date, "file", g->file, "line", g->line);
  json_object_set_new(o, "province", g->province ? json_integer(g->province) : json_null());
  return o;
}

static json_t *choice_source_json(const tgt_source *s) {
  return json_pack("{ssss}", "provenance", s->assumed ? "assumed" : "source", "reference",
                   s->reference);
}

/* The distinct measures of g, in file order (array from a; *n its length). */
static const tgt_target **measures_of(arena *a, const tgt_programme *g, size_t *n) {
  *n = 0;
  for (const tgt_target *t = g->targets; t; t = t->next) ++*n;
  const tgt_target **v = arena_alloc(a, (*n ? *n : 1) * sizeof *v);
  size_t k = 0;
  for (const tgt_target *t = g->targets; t; t = t->next) {
    size_t i = 0;
    while (i < k && strcmp(v[i]->measure, t->measure)) i++;
    if (i == k) v[k++] = t;
  }
  *n = k;
  return v;
}

/* The milestone years of g, ascending (array from a; *n its length). */
static int *years_of(arena *a, const tgt_programme *g, size_t *n) {
  size_t cap = 0;
  for (const tgt_target *t = g->targets; t; t = t->next) cap++;
  int *v = arena_alloc(a, (cap ? cap : 1) * sizeof *v);
  *n = 0;
  for (const tgt_target *t = g->targets; t; t = t->next) {
    size_t i = 0;
    while (i < *n && v[i] < t->year) i++;
    if (i < *n && v[i] == t->year) continue;
    memmove(v + i + 1, v + i, (*n - i) * sizeof *v);
    v[i] = t->year;
    ++*n;
  }
  return v;
}

/* One cell of the list table: "70%", with group values "70% difficult:60%", or "-". */
static const char *cell(arena *a, const tgt_programme *g, const char *measure, int year) {
  strbuf b = STRBUF_INIT;
  for (const tgt_target *t = g->targets; t; t = t->next)
    if (!strcmp(t->measure, measure) && t->year == year && !t->group)
      strbuf_puts(&b, percent(a, t->value));
  for (const tgt_target *t = g->targets; t; t = t->next)
    if (!strcmp(t->measure, measure) && t->year == year && t->group)
      strbuf_printf(&b, "%s%s:%s", b.len ? " " : "", t->group, percent(a, t->value));
  const char *s = arena_strdup(a, b.len ? strbuf_cstr(&b) : "-");
  strbuf_free(&b);
  return s;
}

static int do_list(int argc, char **argv) {
  tgt_opts o;
  int rc = parse(argc, argv, &o);
  if (rc >= 0) return rc;
  if (optind != argc) return cli_usage("targets", "list takes no argument ('%s')", argv[optind]);
  loaded l;
  rc = load(&o, &l);
  if (rc >= 0) goto end;
  size_t nsets;
  const tgt_programme **sets = sorted_sets(&l, &nsets);
  json_t *arr = o.json ? json_array() : NULL;
  for (size_t s = 0; s < nsets; s++) {
    const tgt_programme *g = sets[s];
    size_t nm, ny;
    const tgt_target **ms = measures_of(&l.a, g, &nm);
    int *years = years_of(&l.a, g, &ny);
    if (o.json) {
      json_t *j = set_json(g), *measures = json_array();
      for (size_t m = 0; m < nm; m++) {
        json_t *targets = json_array();
        for (const tgt_target *t = g->targets; t; t = t->next)
          if (!strcmp(t->measure, ms[m]->measure))
            json_array_append_new(targets,
                                  json_pack("{sisfso}", "year", t->year, "value", t->value, "group",
                                            t->group ? json_string(t->group) : json_null()));
        json_array_append_new(
            measures, json_pack("{sssssssbso}", "measure", ms[m]->measure, "name",
                                measure_name(&l, ms[m]), "name_en", measure_name_en(&l, ms[m]),
                                "declared", ms[m]->declared != NULL, "targets", targets));
      }
      json_t *yj = json_array();
      for (size_t y = 0; y < ny; y++) json_array_append_new(yj, json_integer(years[y]));
      json_object_set_new(j, "milestones", yj);
      json_object_set_new(j, "measures", measures);
      json_array_append_new(arr, j);
      continue;
    }
    printf("%s%s  %s of %s  %s  %s\n", s ? "\n" : "", g->key, g->decision, g->decision_date,
           where(&l.a, g), g->name);
    /* Widths: the keys and cells are ASCII, so bytes are columns. */
    int kw = 7, *cw = arena_alloc(&l.a, (ny ? ny : 1) * sizeof *cw);
    for (size_t m = 0; m < nm; m++)
      if ((int)strlen(ms[m]->measure) > kw) kw = (int)strlen(ms[m]->measure);
    for (size_t y = 0; y < ny; y++) {
      cw[y] = 4;
      for (size_t m = 0; m < nm; m++) {
        int w = (int)strlen(cell(&l.a, g, ms[m]->measure, years[y]));
        if (w > cw[y]) cw[y] = w;
      }
    }
    /* The last column is not padded: no trailing blanks. */
    printf("  %-*s", kw, "measure");
    for (size_t y = 0; y < ny; y++) printf("  %-*d", y + 1 < ny ? cw[y] : 0, years[y]);
    putchar('\n');
    for (size_t m = 0; m < nm; m++) {
      printf("  %-*s", kw, ms[m]->measure);
      for (size_t y = 0; y < ny; y++)
        printf("  %-*s", y + 1 < ny ? cw[y] : 0, cell(&l.a, g, ms[m]->measure, years[y]));
      putchar('\n');
    }
  }
  if (o.json) {
    json_t *out = json_pack("{so}", "sets", arr);
    json_dumpf(out, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
    putchar('\n');
    json_decref(out);
  }
  rc = EXIT_OK;
end:
  loaded_free(&l);
  return rc;
}

static int do_show(int argc, char **argv) {
  tgt_opts o;
  int rc = parse(argc, argv, &o);
  if (rc >= 0) return rc;
  if (optind + 1 != argc) return cli_usage("targets", "show needs exactly one target set KEY");
  const char *key = argv[optind];
  loaded l;
  rc = load(&o, &l);
  if (rc >= 0) goto end;
  const tgt_programme *g = tgt_find(&l.set, key);
  if (!g) {
    rc = cli_fail("targets", "unknown target set '%s'; see 'hoctap targets list'", key);
    goto end;
  }
  if (o.json) {
    json_t *out = set_json(g), *targets = json_array();
    for (const tgt_target *t = g->targets; t; t = t->next) {
      json_t *j = json_pack("{sssssisfsosi}", "measure", t->measure, "name", measure_name(&l, t),
                            "year", t->year, "value", t->value, "group",
                            t->group ? json_string(t->group) : json_null(), "line", t->line);
      json_object_set_new(j, "source", choice_source_json(&t->source));
      json_array_append_new(targets, j);
    }
    json_object_set_new(out, "targets", targets);
    json_dumpf(out, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
    putchar('\n');
    json_decref(out);
  } else {
    printf("%s — %s%s%s\n", g->key, g->name, g->name_en ? " / " : "", g->name_en ? g->name_en : "");
    printf("Decision %s of %s; %s; read from %s\n", g->decision, g->decision_date, where(&l.a, g),
           g->file);
    size_t nm;
    const tgt_target **ms = measures_of(&l.a, g, &nm);
    for (size_t m = 0; m < nm; m++) {
      printf("\n  %s  %s\n", ms[m]->measure, measure_name(&l, ms[m]));
      for (const tgt_target *t = g->targets; t; t = t->next) {
        if (strcmp(t->measure, ms[m]->measure)) continue;
        printf("    %d  %-12s %5s  [%c] %s\n", t->year, t->group ? t->group : "-",
               percent(&l.a, t->value), t->source.assumed ? 'A' : 'S', t->source.reference);
      }
    }
    printf("\n[S] confirmed by a source; [A] an assumed default for the province to confirm.\n");
  }
  rc = EXIT_OK;
end:
  loaded_free(&l);
  return rc;
}

/* Checks --groups: keys separated by '|'. */
static int valid_groups(const char *s) {
  if (!*s) return 1;
  int prev_bar = 1;
  for (const char *c = s; *c; c++) {
    if (*c == '|') {
      if (prev_bar) return 0;
      prev_bar = 1;
      continue;
    }
    if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-')) return 0;
    prev_bar = 0;
  }
  return !prev_bar;
}

static int do_for(int argc, char **argv) {
  tgt_opts o;
  int rc = parse(argc, argv, &o);
  if (rc >= 0) return rc;
  if (optind != argc) return cli_usage("targets", "for takes no argument ('%s')", argv[optind]);
  int year = date_year(date_today()), province = 0;
  if (o.year) {
    char *end;
    year = (int)strtol(o.year, &end, 10);
    if (*end || year < 1990 || year > 2100)
      return cli_usage("targets", "--year must be a year such as 2025, not '%s'", o.year);
  }
  if (o.province) {
    char *end;
    province = (int)strtol(o.province, &end, 10);
    if (*end || province < 1 || province > 999)
      return cli_usage("targets", "--province must be a province code such as 31, not '%s'",
                       o.province);
  }
  const char *groups = o.groups ? o.groups : "";
  if (!valid_groups(groups))
    return cli_usage("targets",
                     "--groups takes unit group keys separated by '|' (e.g. difficult|island), "
                     "not '%s'",
                     groups);
  loaded l;
  rc = load(&o, &l);
  if (rc >= 0) goto end;
  if (o.decision && !tgt_find(&l.set, o.decision)) {
    rc = cli_fail("targets", "unknown target set '%s'; see 'hoctap targets list'", o.decision);
    goto end;
  }
  /* Every measure of the sets that can apply, in the order of the sets. */
  size_t nsets, n = 0, cap = 0;
  const tgt_programme **sets = sorted_sets(&l, &nsets);
  for (size_t s = 0; s < nsets; s++)
    for (const tgt_target *t = sets[s]->targets; t; t = t->next) cap++;
  const tgt_target **measures = arena_alloc(&l.a, (cap ? cap : 1) * sizeof *measures);
  for (size_t s = 0; s < nsets; s++) {
    const tgt_programme *g = sets[s];
    if (o.decision ? strcmp(g->key, o.decision) != 0 : g->province && g->province != province)
      continue;
    for (const tgt_target *t = g->targets; t; t = t->next) {
      size_t i = 0;
      while (i < n && strcmp(measures[i]->measure, t->measure)) i++;
      if (i == n) measures[n++] = t;
    }
  }
  /* Widths of the key columns (keys are ASCII, so bytes are columns). */
  int mw = 7, sw = 3, gw = 5;
  for (size_t i = 0; i < n; i++)
    if ((int)strlen(measures[i]->measure) > mw) mw = (int)strlen(measures[i]->measure);
  for (size_t s = 0; s < nsets; s++) {
    if ((int)strlen(sets[s]->key) > sw) sw = (int)strlen(sets[s]->key);
    for (const tgt_target *t = sets[s]->targets; t; t = t->next)
      if (t->group && (int)strlen(t->group) > gw) gw = (int)strlen(t->group);
  }
  json_t *arr = o.json ? json_array() : NULL;
  if (!o.json) {
    printf("Targets for %d, %s%s%s%s%s:\n", year,
           province ? arena_sprintf(&l.a, "a unit of province %d", province) : "a unit",
           *groups ? " in groups " : "", groups, o.decision ? " under " : "",
           o.decision ? o.decision : "");
    printf("  %-*s  %6s  %4s  %-*s  %-*s      name\n", mw, "measure", "target", "by", sw, "set", gw,
           "group");
  }
  for (size_t i = 0; i < n; i++) {
    const tgt_target *m = measures[i];
    tgt_choice c;
    int found = tgt_applicable(&l.set, o.decision, m->measure, year, province, groups, &c) == HT_OK;
    if (o.json) {
      json_t *j = json_pack("{ssssss}", "measure", m->measure, "name", measure_name(&l, m),
                            "name_en", measure_name_en(&l, m));
      json_t *tj = json_null();
      if (found) {
        tj = json_pack("{sfsissssso}", "value", c.value, "year", c.year, "set", c.set_key,
                       "set_name", c.set_name, "group",
                       c.group ? json_string(c.group) : json_null());
        json_object_set_new(tj, "decision", json_string(c.programme->decision));
        json_object_set_new(tj, "source", choice_source_json(&c.source));
      }
      json_object_set_new(j, "target", tj);
      json_array_append_new(arr, j);
    } else if (found) {
      printf("  %-*s  %6s  %4d  %-*s  %-*s  [%c] %s\n", mw, m->measure, percent(&l.a, c.value),
             c.year, sw, c.set_key, gw, c.group ? c.group : "-", c.source.assumed ? 'A' : 'S',
             measure_name(&l, m));
    } else {
      printf("  %-*s  %6s  %4s  %-*s  %-*s      %s\n", mw, m->measure, "-", "-", sw, "-", gw, "-",
             measure_name(&l, m));
    }
  }
  if (o.json) {
    json_t *gj = json_array();
    for (const char *g = groups; *g;) {
      size_t len = strcspn(g, "|");
      json_array_append_new(gj, json_stringn(g, len));
      g += len + (g[len] == '|');
    }
    json_t *out = json_pack("{sisososo}", "year", year, "province",
                            province ? json_integer(province) : json_null(), "groups", gj,
                            "decision", o.decision ? json_string(o.decision) : json_null());
    json_object_set_new(out, "targets", arr);
    json_dumpf(out, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
    putchar('\n');
    json_decref(out);
  } else {
    printf("\n[S] confirmed by a source; [A] an assumed default; - no target applies.\n");
  }
  rc = EXIT_OK;
end:
  loaded_free(&l);
  return rc;
}

/* import FILE / remove NAME, with --db PATH. */
static int do_store(const char *sub, int argc, char **argv) {
  const char *dbpath = NULL, *arg = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--db") && i + 1 < argc)
      dbpath = argv[++i];
    else if (argv[i][0] != '-' && !arg)
      arg = argv[i];
    else
      return cli_usage("targets", "%s: unknown or extra argument '%s'", sub, argv[i]);
  }
  int import = !strcmp(sub, "import");
  if (!arg) return cli_usage("targets", import ? "import needs the FILE" : "remove needs the NAME");
  loaded l;
  loaded_init(&l);
  char *text = NULL;
  size_t len = 0;
  int rc = -1;
  if (import) {
    FILE *f = fopen(arg, "rb");
    strbuf b = STRBUF_INIT;
    char buf[65536];
    size_t got;
    while (f && (got = fread(buf, 1, sizeof buf, f)) > 0 && b.len < (16u << 20))
      strbuf_append(&b, buf, got);
    if (!f) rc = cli_fail("targets", "%s: cannot open it: %m", arg);
    if (f) fclose(f);
    len = b.len;
    text = strbuf_detach(&b);
    if (rc < 0) rc = load_titles(&l);
  }
  db *d = NULL;
  if (rc < 0 && (rc = cli_open_db("targets", dbpath, &d)) == 0) rc = -1;
  if (rc < 0) {
    char who_name[64];
    audit_actor who = audit_cli_actor(who_name);
    ht_err err = {0};
    int r = import ? targets_import(d, &who, &l.titles, arg, text, len, &l.problems, &err)
                   : targets_remove(d, &who, arg, &err);
    if (r == HT_EINVAL && l.problems.count) {
      print_issues(&l.problems);
      rc = cli_fail("targets", "%ld problem(s); nothing was imported", l.problems.count);
    } else if (r) {
      rc = cli_fail("targets", "%s", err.msg);
    } else {
      printf(import ? "Imported %s; its target sets are in force.\n" : "Removed %s.\n", arg);
      rc = EXIT_OK;
    }
  }
  if (d) db_close(d);
  free(text);
  loaded_free(&l);
  return rc;
}

int cmd_targets(int argc, char **argv) {
  if (argc < 2) return cli_usage("targets", "a subcommand is needed: check, list, show, for");
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
  if (!strcmp(sub, "for")) return do_for(argc - 1, argv + 1);
  if (!strcmp(sub, "import") || !strcmp(sub, "remove")) return do_store(sub, argc - 1, argv + 1);
  return cli_usage("targets",
                   "unknown subcommand '%s'; use check, list, show, for, import or remove", sub);
}
