/* cmd_units.c - hoctap units: import and query the administrative hierarchy. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "faces/cli/cli.h"
#include "model/hier.h"
#include "faces/unit_json.h"
#include "io/textenc.h"
#include "services/units_import.h"

static void help(void) {
  printf(
      "Usage: hoctap units SUBCOMMAND [OPTIONS]\n\n"
      "  import FILE.csv           import units; columns code,name,kind,parent_code,\n"
      "                            valid_from,valid_to,groups (dates YYYY-MM-DD, empty\n"
      "                            valid_to = still valid, groups separated by '|')\n"
      "  import-changes FILE.csv   import merges and splits; columns date,old_code,new_code\n"
      "    --encoding E            the file's text encoding: utf-8, utf-16le, utf-16be,\n"
      "                            cp1258, viscii, tcvn3 (ABC), vni; default: detected\n"
      "  tree [--date D] [--root CODE] [--depth N] [--format table|json]\n"
      "                            the hierarchy valid on a date (default today)\n"
      "  history CODE [--format table|json]\n"
      "                            a unit's versions, predecessors and successors\n\n"
      "Common options: --db PATH (default $HOCTAP_DB, else ./hoctap.db), --help.\n"
      "An import checks the whole file first and writes nothing if any row is wrong;\n"
      "each problem is printed as FILE:ROW: column 'NAME': what to do.\n");
}

typedef struct units_opts {
  const char *db, *date, *root, *format, *encoding;
  long depth;
} units_opts;

/* Parses the options shared by the subcommands; positional arguments are
 * left in argv[optind..]. Returns -1 on success or an exit status. */
static int parse(const char *sub, int argc, char **argv, units_opts *o) {
  static const struct option opts[] = {
      {"db", required_argument, 0, 'd'},     {"date", required_argument, 0, 't'},
      {"root", required_argument, 0, 'r'},   {"depth", required_argument, 0, 'n'},
      {"format", required_argument, 0, 'f'}, {"encoding", required_argument, 0, 'e'},
      {"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
  memset(o, 0, sizeof *o);
  o->format = "table";
  o->depth = -1;
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (c) {
      case 'd': o->db = optarg; break;
      case 't': o->date = optarg; break;
      case 'r': o->root = optarg; break;
      case 'f': o->format = optarg; break;
      case 'e': o->encoding = optarg; break;
      case 'n': {
        char *end;
        o->depth = strtol(optarg, &end, 10);
        if (*end || o->depth < 0)
          return cli_usage("units", "--depth must be a number of levels (0 or more), not '%s'",
                           optarg);
        break;
      }
      case 'h': help(); return EXIT_OK;
      default:
        return cli_usage("units", "%s: unknown or incomplete option '%s'", sub, argv[optind - 1]);
    }
  }
  if (cli_parse_format(o->format) < 0)
    return cli_usage("units", "--format must be table or json, not '%s'", o->format);
  return -1;
}

static int do_import(int changes, int argc, char **argv) {
  const char *sub = changes ? "import-changes" : "import";
  units_opts o;
  int rc = parse(sub, argc, argv, &o);
  if (rc >= 0) return rc;
  if (optind + 1 != argc) return cli_usage("units", "%s needs exactly one FILE.csv argument", sub);
  const char *file = argv[optind];
  tenc_encoding enc = TENC_AUTO;
  if (o.encoding && tenc_parse(o.encoding, &enc) != HT_OK)
    return cli_usage("units", "--encoding must be one of %s, not '%s'", tenc_accepted_names(),
                     o.encoding);
  db *d;
  if ((rc = cli_open_db("units", o.db, &d))) return rc;
  arena a;
  arena_init(&a, 0);
  issues problems;
  issues_init(&problems, &a);
  import_result res;
  ht_err err = {0};
  char who_name[64];
  audit_actor who = audit_cli_actor(who_name);
  tenc_guess used = {0};
  rc = changes ? units_import_changes_csv(d, &who, file, enc, &used, &res, &problems, &err)
               : units_import_csv(d, &who, file, enc, &used, &res, &problems, &err);
  /* A detected legacy encoding is worth a line: a wrong guess garbles names. */
  if (enc == TENC_AUTO && used.enc != TENC_AUTO && used.enc != TENC_UTF8) {
    printf("Encoding: %s detected", tenc_label(used.enc));
    if (!used.bom && used.runner_up != TENC_AUTO)
      printf(" (confidence %d%%, next best %s)", used.confidence, tenc_label(used.runner_up));
    printf("; use --encoding to override\n");
  }
  if (rc == HT_OK) {
    printf("%s: %ld row(s): %ld added, %ld updated, %ld unchanged.\n", file, res.rows, res.inserted,
           res.updated, res.unchanged);
  } else {
    issues_sort(&problems);
    cli_print_issues(file, &problems);
    if (problems.count)
      fprintf(stderr, "hoctap units %s: %s: %ld problem(s); nothing was imported.\n", sub, file,
              problems.count);
    else
      fprintf(stderr, "hoctap units %s: %s: %s; nothing was imported.\n", sub, file, err.msg);
  }
  arena_free(&a);
  db_close(d);
  return rc == HT_OK ? EXIT_OK : EXIT_RUNTIME;
}

static void print_tree(const hier *h, const hier_unit *u, int32_t day, int depth, long max_depth,
                       arena *a) {
  printf("%*s%-8s %s  [%s]\n", depth * 2, "", u->code, u->name, u->kind->name_vi);
  if (max_depth >= 0 && depth >= max_depth) return;
  const hier_unit **kids;
  size_t n = hier_children(h, u->code, day, a, &kids);
  for (size_t i = 0; i < n; i++) print_tree(h, kids[i], day, depth + 1, max_depth, a);
}

static json_t *json_tree(const hier *h, const hier_unit *u, int32_t day, int depth, long max_depth,
                         arena *a) {
  json_t *node = unit_json(h, u, NULL);
  if (max_depth >= 0 && depth >= max_depth) return node;
  const hier_unit **kids;
  size_t n = hier_children(h, u->code, day, a, &kids);
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(arr, json_tree(h, kids[i], day, depth + 1, max_depth, a));
  json_object_set_new(node, "children", arr);
  return node;
}

static int load(const char *dbpath, db **d, hier *h) {
  int rc = cli_open_db("units", dbpath, d);
  if (rc) return rc;
  ht_err err = {0};
  if (hier_load(*d, h, &err) != HT_OK) {
    db_close(*d);
    return cli_fail("units", "%s", err.msg);
  }
  return EXIT_OK;
}

static int do_tree(int argc, char **argv) {
  units_opts o;
  int rc = parse("tree", argc, argv, &o);
  if (rc >= 0) return rc;
  if (optind < argc) return cli_usage("units", "tree: unexpected argument '%s'", argv[optind]);
  int32_t day = date_today();
  if (o.date && date_parse(o.date, &day) != HT_OK)
    return cli_usage("units", "--date must be a date YYYY-MM-DD, not '%s'", o.date);
  db *d;
  hier h;
  if ((rc = load(o.db, &d, &h))) return rc;
  arena a;
  arena_init(&a, 0);
  const hier_unit **roots;
  size_t n;
  if (o.root) {
    const hier_unit *r = hier_find(&h, o.root, day);
    if (!r) {
      size_t nv;
      char buf[11];
      rc = hier_versions(&h, o.root, &nv)
               ? cli_fail("units", "unit %s is not valid on %s; see 'hoctap units history %s'",
                          o.root, date_format(day, buf), o.root)
               : cli_fail("units", "unknown unit code '%s'", o.root);
      goto end;
    }
    roots = arena_alloc(&a, sizeof *roots);
    roots[0] = r;
    n = 1;
  } else {
    n = hier_children(&h, NULL, day, &a, &roots);
  }
  char buf[11];
  if (cli_parse_format(o.format) == 1) {
    json_t *out = json_object();
    json_object_set_new(out, "date", json_string(date_format(day, buf)));
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
      json_array_append_new(arr, json_tree(&h, roots[i], day, 0, o.depth, &a));
    json_object_set_new(out, "units", arr);
    json_dumpf(out, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(out);
  } else {
    if (n == 0) printf("No unit is valid on %s.\n", date_format(day, buf));
    for (size_t i = 0; i < n; i++) print_tree(&h, roots[i], day, 0, o.depth, &a);
  }
  rc = EXIT_OK;
end:
  arena_free(&a);
  hier_free(&h);
  db_close(d);
  return rc;
}

/* Prints the chain of predecessors (dir 0) or successors (dir 1) of code. */
static void print_chain(const hier *h, const char *code, int dir, int depth, arena *a) {
  const hier_change **list;
  size_t n = dir ? hier_successors(h, code, a, &list) : hier_predecessors(h, code, a, &list);
  for (size_t i = 0; i < n && depth < 16; i++) {
    const char *other = dir ? list[i]->new_code : list[i]->old_code;
    size_t nv;
    const hier_unit *v = hier_versions(h, other, &nv);
    char day[11], from[11], to[11];
    date_format(list[i]->day, day);
    printf("%*s%s  %-8s %s", 2 + depth * 2, "", day, other, nv ? v[nv - 1].name : "?");
    if (nv)
      printf("  (valid %s to %s)", date_format(v[0].from_day, from),
             v[nv - 1].to_day == DATE_OPEN ? "now" : date_format(v[nv - 1].to_day, to));
    putchar('\n');
    print_chain(h, other, dir, depth + 1, a);
  }
}

static int do_history(int argc, char **argv) {
  units_opts o;
  int rc = parse("history", argc, argv, &o);
  if (rc >= 0) return rc;
  if (optind + 1 != argc) return cli_usage("units", "history needs exactly one unit CODE");
  const char *code = argv[optind];
  db *d;
  hier h;
  if ((rc = load(o.db, &d, &h))) return rc;
  size_t nv;
  const hier_unit *v = hier_versions(&h, code, &nv);
  if (!nv) {
    hier_free(&h);
    db_close(d);
    return cli_fail("units", "unknown unit code '%s'", code);
  }
  arena a;
  arena_init(&a, 0);
  if (cli_parse_format(o.format) == 1) {
    json_t *out = unit_history_json(&h, code, &a);
    json_dumpf(out, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(out);
  } else {
    printf("%s  %s\nVersions:\n", code, v[nv - 1].name);
    for (size_t i = 0; i < nv; i++) {
      char from[11], to[11];
      printf("  %s to %-10s  %s  [%s]  parent %s%s%s\n", date_format(v[i].from_day, from),
             v[i].to_day == DATE_OPEN ? "now" : date_format(v[i].to_day, to), v[i].name,
             v[i].kind->name_vi, v[i].parent_code ? v[i].parent_code : "(none)",
             *v[i].groups ? "  groups " : "", v[i].groups);
    }
    const hier_change **list;
    printf("Predecessors (formed from):\n");
    if (!hier_predecessors(&h, code, &a, &list)) printf("  none\n");
    print_chain(&h, code, 0, 0, &a);
    printf("Successors (merged or split into):\n");
    if (!hier_successors(&h, code, &a, &list)) printf("  none\n");
    print_chain(&h, code, 1, 0, &a);
  }
  arena_free(&a);
  hier_free(&h);
  db_close(d);
  return EXIT_OK;
}

int cmd_units(int argc, char **argv) {
  if (argc < 2)
    return cli_usage("units", "a subcommand is needed: import, import-changes, tree, history");
  const char *sub = argv[1];
  if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0 || strcmp(sub, "help") == 0) {
    help();
    return EXIT_OK;
  }
  if (strcmp(sub, "import") == 0) return do_import(0, argc - 1, argv + 1);
  if (strcmp(sub, "import-changes") == 0) return do_import(1, argc - 1, argv + 1);
  if (strcmp(sub, "tree") == 0) return do_tree(argc - 1, argv + 1);
  if (strcmp(sub, "history") == 0) return do_history(argc - 1, argv + 1);
  return cli_usage("units", "unknown subcommand '%s'; use import, import-changes, tree or history",
                   sub);
}
