/* cmd_workflow.c - hoctap workflow (the settings: who decides, deadlines) and
 * hoctap decision (recognition decisions): docs/workflow.md, docs/cli.md. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "criteria/crit_defaults.h"
#include "faces/cli/cli.h"
#include "faces/cli/eval_env.h"
#include "model/acl.h"
#include "model/workflow.h"

/* ------------------------------------------------------------ workflow */

static void workflow_help(void) {
  printf(
      "Usage: hoctap workflow SUBCOMMAND [--db PATH]\n\n"
      "  show            print the settings in force (the stored ones, else the default)\n"
      "  default         print the shipped default settings\n"
      "  check FILE      check a settings file; prints every problem with its line\n"
      "  import FILE     check FILE and make it the settings in force (audited)\n"
      "  reset           go back to the shipped default (audited)\n"
      "  due --year Y    the deadline of every step of every title for year Y\n\n"
      "The settings say, per title, which level decides (decided-by), what the\n"
      "certificate prints as the issuing body and signer, and the deadline of each\n"
      "step (register, submit, review, decide). See docs/workflow.md.\n");
}

/* Reads a whole file (malloc'd, NUL-terminated) or prints why not. */
static char *slurp(const char *cmd, const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    cli_fail(cmd, "%s: cannot open it: %m", path);
    return NULL;
  }
  strbuf b = STRBUF_INIT;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
    if (b.len + n > 1024 * 1024) {
      fclose(f);
      strbuf_free(&b);
      cli_fail(cmd, "%s: larger than 1 MiB; a settings file is a page of text", path);
      return NULL;
    }
    strbuf_append(&b, buf, n);
  }
  fclose(f);
  *len = b.len;
  return strbuf_detach(&b);
}

static int load_criteria(crit_set *set, arena *a) {
  issues p;
  issues_init(&p, a);
  crit_set_init(set);
  return crit_load_defaults(set, &p);
}

int cmd_workflow(int argc, char **argv) {
  if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
      !strcmp(argv[1], "help")) {
    workflow_help();
    return argc < 2 ? EXIT_USAGE : EXIT_OK;
  }
  const char *sub = argv[1], *dbpath = NULL, *file = NULL;
  int year = 0;
  for (int i = 2; i < argc; i++) {
    if (!strcmp(argv[i], "--db") && i + 1 < argc)
      dbpath = argv[++i];
    else if (!strncmp(argv[i], "--db=", 5))
      dbpath = argv[i] + 5;
    else if (!strcmp(argv[i], "--year") && i + 1 < argc)
      year = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      workflow_help();
      return EXIT_OK;
    } else if (argv[i][0] != '-' && !file)
      file = argv[i];
    else
      return cli_usage("workflow", "unknown or extra argument '%s'", argv[i]);
  }
  int needs_file = !strcmp(sub, "check") || !strcmp(sub, "import");
  if (needs_file && !file) return cli_usage("workflow", "%s needs the FILE to read", sub);
  if (!needs_file && file) return cli_usage("workflow", "%s takes no FILE ('%s')", sub, file);
  if (!strcmp(sub, "due") && (year < 2000 || year > 2100))
    return cli_usage("workflow", "due needs --year Y (a year such as 2025)");
  if (strcmp(sub, "show") && strcmp(sub, "default") && strcmp(sub, "check") &&
      strcmp(sub, "import") && strcmp(sub, "reset") && strcmp(sub, "due"))
    return cli_usage("workflow", "unknown subcommand '%s'", sub);
  if (!strcmp(sub, "default")) {
    size_t len = 0;
    const char *text = wf_config_default_text(&len);
    fwrite(text, 1, len, stdout);
    return EXIT_OK;
  }
  arena a;
  arena_init(&a, 0);
  crit_set set;
  if (load_criteria(&set, &a) != HT_OK) {
    arena_free(&a);
    crit_set_free(&set);
    return cli_fail("workflow", "the shipped criteria do not load; run 'hoctap criteria list'");
  }
  int rc = EXIT_OK;
  if (!strcmp(sub, "check")) {
    size_t len;
    char *text = slurp("workflow", file, &len);
    if (!text) {
      rc = EXIT_RUNTIME;
    } else {
      issues p;
      issues_init(&p, &a);
      wf_config c;
      if (wf_config_parse(&c, file, text, len, &set, &p) != HT_OK) {
        cli_print_issues(file, &p);
        rc = EXIT_RUNTIME;
      } else {
        printf("%s: ok (%zu titles)\n", file, c.ntitles);
      }
      wf_config_free(&c);
      free(text);
    }
    crit_set_free(&set);
    arena_free(&a);
    return rc;
  }
  db *d;
  if ((rc = cli_open_db("workflow", dbpath, &d)) != 0) {
    crit_set_free(&set);
    arena_free(&a);
    return rc;
  }
  ht_err err = {0};
  char who_name[64];
  audit_actor who = audit_cli_actor(who_name);
  if (!strcmp(sub, "show") || !strcmp(sub, "due")) {
    wf_config c;
    if (wf_config_load(d, &set, &c, &err) != HT_OK) {
      rc = cli_fail("workflow", "%s", err.msg);
    } else if (!strcmp(sub, "show")) {
      fputs(c.text, stdout);
      wf_config_free(&c);
    } else {
      printf("%-24s %-10s", "title", "decided-by");
      for (int s = 0; s < WF_STEPS; s++) printf(" %-10s", wf_step_key(s));
      printf("\n");
      for (size_t i = 0; i < c.ntitles; i++) {
        printf("%-24s %-10s", c.titles[i].title, c.titles[i].decided_by);
        for (int s = 0; s < WF_STEPS; s++) {
          int32_t day = wf_due(&c.titles[i], s, year);
          char buf[11];
          printf(" %-10s", day < 0 ? "-" : date_format(day, buf));
        }
        printf("\n");
      }
      wf_config_free(&c);
    }
  } else if (!strcmp(sub, "import")) {
    size_t len;
    char *text = slurp("workflow", file, &len);
    if (!text) {
      rc = EXIT_RUNTIME;
    } else {
      issues p;
      issues_init(&p, &a);
      p.file = file;
      int r2 = wf_config_store(d, &who, &set, text, len, &p, &err);
      if (r2 == HT_EINVAL) {
        cli_print_issues(file, &p);
        fprintf(stderr, "hoctap workflow: %ld problem(s); the settings were not changed.\n",
                p.count);
        rc = EXIT_RUNTIME;
      } else if (r2) {
        rc = cli_fail("workflow", "%s", err.msg);
      } else {
        printf("The workflow settings of %s are now in force.\n", file);
      }
      free(text);
    }
  } else if (!strcmp(sub, "reset")) {
    if (wf_config_reset(d, &who, &err))
      rc = cli_fail("workflow", "%s", err.msg);
    else
      printf("The shipped default workflow settings are in force.\n");
  }
  db_close(d);
  crit_set_free(&set);
  arena_free(&a);
  return rc;
}

/* ------------------------------------------------------------ decision */

static void decision_help(void) {
  printf(
      "Usage: hoctap decision SUBCOMMAND [--db PATH] ...\n\n"
      "  create --title T --year Y --unit CODE --number N --date YYYY-MM-DD\n"
      "         --signer NAME [--position TEXT] [--issuer TEXT]\n"
      "         (--all-accepted | ENTITY ...) [--not ENTITY=REASON ...]\n"
      "        record a decision of the deciding unit CODE recognising the listed\n"
      "        accepted records (or every accepted record at or below CODE), and not\n"
      "        recognising those given with --not. Every record must be accepted by\n"
      "        a reviewer, lie inside CODE and, to be recognised, meet the criteria.\n"
      "        One problem refuses the whole decision; every problem is printed.\n"
      "  list [--year Y] [--format table|json]   the decisions, newest first\n"
      "  show ID [--format table|json]           a decision and its certificates\n\n"
      "Certificates: 'hoctap certificate print'. See docs/workflow.md.\n");
}

enum {
  D_DB = 1,
  D_TITLE,
  D_YEAR,
  D_UNIT,
  D_NUMBER,
  D_DATE,
  D_SIGNER,
  D_POSITION,
  D_ISSUER,
  D_ALL,
  D_NOT,
  D_FORMAT
};

static const struct option decision_opts[] = {{"db", required_argument, 0, D_DB},
                                              {"title", required_argument, 0, D_TITLE},
                                              {"year", required_argument, 0, D_YEAR},
                                              {"unit", required_argument, 0, D_UNIT},
                                              {"number", required_argument, 0, D_NUMBER},
                                              {"date", required_argument, 0, D_DATE},
                                              {"signer", required_argument, 0, D_SIGNER},
                                              {"position", required_argument, 0, D_POSITION},
                                              {"issuer", required_argument, 0, D_ISSUER},
                                              {"all-accepted", no_argument, 0, D_ALL},
                                              {"not", required_argument, 0, D_NOT},
                                              {"format", required_argument, 0, D_FORMAT},
                                              {"help", no_argument, 0, 'h'},
                                              {0, 0, 0, 0}};

typedef struct verdict_env {
  engine *e;
  int title;
} verdict_env;

static int cli_verdict(void *ctx, const rec_target *t) {
  verdict_env *v = ctx;
  int32_t j = v->title < 0 ? -1 : eng_find(v->e, t->title->entity, t->display);
  if (j < 0) return 0;
  eng_result res;
  eng_result_of(v->e, v->title, j, &res);
  if (!res.recognised) return 0;
  return t->title->levels ? (res.level > 0 ? res.level : 1) : 1;
}

typedef struct within_env {
  const hier *h;
  const char *unit;
  int32_t day;
} within_env;

static int cli_within(void *ctx, const char *place) {
  within_env *w = ctx;
  return acl_covers(w->h, w->unit, place, w->day);
}

static void print_decision(const wf_decision *d) {
  printf(
      "%lld  %s  %s %d  %s  %s  signed %s by %s (%s): %lld recognised, %lld not, %lld "
      "revoked\n",
      (long long)d->id, d->number, d->title, d->year, d->unit_code, d->issuer, d->signed_on,
      d->signer_name, d->signer_position, (long long)d->recognised, (long long)d->not_recognised,
      (long long)d->revoked);
}

static json_t *decision_json(const wf_decision *d) {
  char id[24];
  snprintf(id, sizeof id, "%lld", (long long)d->id);
  json_t *o =
      json_pack("{sssssisssssssssssssssIsIsI}", "id", id, "title", d->title, "year", d->year,
                "unit", d->unit_code, "number", d->number, "signed_on", d->signed_on, "issuer",
                d->issuer, "issuer_parent", d->issuer_parent, "signer_name", d->signer_name,
                "signer_position", d->signer_position, "recognised", (json_int_t)d->recognised,
                "not_recognised", (json_int_t)d->not_recognised, "revoked", (json_int_t)d->revoked);
  return o;
}

static int decision_create(int argc, char **argv, const char *dbpath, const char *title, int year,
                           const char *unit, const char *number, const char *date,
                           const char *signer, const char *position, const char *issuer, int all,
                           char **nots, int nnots) {
  if (!title || !year || !unit)
    return cli_usage("decision", "create needs --title T, --year Y and --unit CODE");
  if (!all && optind >= argc && !nnots)
    return cli_usage("decision", "create needs the ENTITY codes it recognises, or --all-accepted");
  eval_env v;
  int rc = eval_env_open(&v, "decision", dbpath, year, NULL, 0, NULL, title);
  if (rc >= 0) {
    eval_env_free(&v);
    return rc;
  }
  wf_config cfg;
  ht_err err = {0};
  if (wf_config_load(v.d, &v.set, &cfg, &err) != HT_OK) {
    eval_env_free(&v);
    return cli_fail("decision", "%s", err.msg);
  }
  within_env w = {&v.h, unit, date_from_ymd(year, 12, 31)};
  const char **accepted = NULL;
  size_t naccepted = 0;
  if (all && wf_accepted(v.d, title, year, cli_within, &w, &v.a, &accepted, &naccepted) != HT_OK) {
    wf_config_free(&cfg);
    eval_env_free(&v);
    return cli_fail("decision", "cannot read the accepted records: %s", db_errmsg(v.d));
  }
  const crit_title *ct = crit_in_force(&v.set, title, year, (int)db_prov(v.d));
  size_t cap = (size_t)(argc - optind) + naccepted + (size_t)nnots + 1;
  wf_decide_entry *entries = arena_calloc(&v.a, cap * sizeof *entries);
  size_t n = 0;
  for (int i = 0; i < nnots; i++) {
    char *eq = strchr(nots[i], '=');
    if (!eq) {
      wf_config_free(&cfg);
      eval_env_free(&v);
      return cli_usage("decision", "--not needs ENTITY=REASON, not '%s'", nots[i]);
    }
    entries[n++] =
        (wf_decide_entry){arena_strndup(&v.a, nots[i], (size_t)(eq - nots[i])), 0, eq + 1};
  }
  size_t nnot = n;
  for (int i = optind; i < argc; i++) entries[n++] = (wf_decide_entry){argv[i], 1, NULL};
  for (size_t i = 0; i < naccepted; i++) {
    const char *code =
        ct && ct->entity == CRIT_PERSON ? arena_sprintf(&v.a, "P%s", accepted[i]) : accepted[i];
    int skip = 0;
    for (size_t k = 0; k < nnot && !skip; k++) skip = !strcmp(entries[k].entity, code);
    for (size_t k = nnot; k < n && !skip; k++) skip = !strcmp(entries[k].entity, code);
    if (!skip) entries[n++] = (wf_decide_entry){code, 1, NULL};
  }
  verdict_env ve = {v.e, eng_title_find(v.e, title)};
  wf_decide_in in = {.set = &v.set,
                     .cfg = &cfg,
                     .title = title,
                     .year = year,
                     .unit_code = unit,
                     .number = number,
                     .signed_on = date,
                     .signer_name = signer,
                     .signer_position = position,
                     .issuer = issuer,
                     .entries = entries,
                     .n = n,
                     .verdict = cli_verdict,
                     .verdict_ctx = &ve,
                     .within = cli_within,
                     .within_ctx = &w};
  char who_name[64];
  audit_actor who = audit_cli_actor(who_name);
  issues p;
  issues_init(&p, &v.a);
  int64_t id = 0;
  int r2 = wf_decide(v.d, &who, &in, &p, &id, &err);
  if (r2 == HT_EINVAL) {
    for (long i = 0; i < p.kept; i++)
      fprintf(stderr, "hoctap decision create: %s: %s\n", p.items[i].field ? p.items[i].field : "",
              p.items[i].msg);
    fprintf(stderr, "hoctap decision create: %ld problem(s); nothing was recorded.\n", p.count);
    rc = EXIT_RUNTIME;
  } else if (r2) {
    rc = cli_fail("decision", "%s", err.msg);
  } else {
    wf_decision d;
    wf_decision_get(v.d, id, &v.a, &d);
    printf("Recorded decision ");
    print_decision(&d);
    rc = EXIT_OK;
  }
  wf_config_free(&cfg);
  eval_env_free(&v);
  return rc;
}

int cmd_decision(int argc, char **argv) {
  if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
      !strcmp(argv[1], "help")) {
    decision_help();
    return argc < 2 ? EXIT_USAGE : EXIT_OK;
  }
  const char *sub = argv[1];
  const char *dbpath = NULL, *title = NULL, *unit = NULL, *number = NULL, *date = NULL,
             *signer = NULL, *position = NULL, *issuer = NULL, *format = "table";
  int year = 0, all = 0, nnots = 0;
  char **nots = calloc((size_t)argc + 1, sizeof *nots);
  if (!nots) abort();
  optind = 2;
  opterr = 0;
  int c, rc = -1;
  while (rc < 0 && (c = getopt_long(argc, argv, "h", decision_opts, NULL)) != -1) {
    switch (c) {
      case 'h':
        decision_help();
        rc = EXIT_OK;
        break;
      case D_DB: dbpath = optarg; break;
      case D_TITLE: title = optarg; break;
      case D_YEAR:
        year = atoi(optarg);
        if (year < 2000 || year > 2100)
          rc = cli_usage("decision", "--year must be a year such as 2025, not '%s'", optarg);
        break;
      case D_UNIT: unit = optarg; break;
      case D_NUMBER: number = optarg; break;
      case D_DATE: date = optarg; break;
      case D_SIGNER: signer = optarg; break;
      case D_POSITION: position = optarg; break;
      case D_ISSUER: issuer = optarg; break;
      case D_ALL: all = 1; break;
      case D_NOT: nots[nnots++] = optarg; break;
      case D_FORMAT: format = optarg; break;
      default: rc = cli_usage("decision", "unknown or incomplete option '%s'", argv[optind - 1]);
    }
  }
  int json = rc < 0 ? cli_parse_format(format) : 0;
  if (rc < 0 && json < 0) rc = cli_usage("decision", "--format must be table or json");
  if (rc >= 0) {
    free(nots);
    return rc;
  }
  if (!strcmp(sub, "create")) {
    rc = decision_create(argc, argv, dbpath, title, year, unit, number, date, signer, position,
                         issuer, all, nots, nnots);
    free(nots);
    return rc;
  }
  free(nots);
  if (strcmp(sub, "list") && strcmp(sub, "show"))
    return cli_usage("decision", "unknown subcommand '%s'", sub);
  db *d;
  if ((rc = cli_open_db("decision", dbpath, &d)) != 0) return rc;
  arena a;
  arena_init(&a, 0);
  if (!strcmp(sub, "list")) {
    wf_decision *list;
    size_t n;
    if (wf_decision_list(d, year, NULL, NULL, &a, &list, &n)) {
      rc = cli_fail("decision", "cannot read the decisions: %s", db_errmsg(d));
    } else if (json) {
      json_t *arr = json_array();
      for (size_t i = 0; i < n; i++) json_array_append_new(arr, decision_json(&list[i]));
      cli_print_json(arr);
    } else {
      for (size_t i = 0; i < n; i++) print_decision(&list[i]);
      if (!n) printf("No decisions%s.\n", year ? " for that year" : "");
    }
  } else {
    char *end;
    long long id = optind < argc ? strtoll(argv[optind], &end, 10) : 0;
    wf_decision dec;
    wf_certificate *certs;
    size_t n;
    if (optind >= argc || *end) {
      rc = cli_usage("decision", "show needs the decision's ID ('hoctap decision list')");
    } else if (wf_decision_get(d, id, &a, &dec) != HT_OK) {
      rc = cli_fail("decision", "no decision %s; see 'hoctap decision list'", argv[optind]);
    } else if (wf_certificates_of(d, id, &a, &certs, &n)) {
      rc = cli_fail("decision", "cannot read the certificates: %s", db_errmsg(d));
    } else if (json) {
      json_t *o = decision_json(&dec), *arr = json_array();
      for (size_t i = 0; i < n; i++)
        json_array_append_new(
            arr, json_pack("{sssssssssisssb}", "code", certs[i].code, "entity", certs[i].entity,
                           "recipient", certs[i].recipient, "address", certs[i].address, "level",
                           certs[i].level, "valid_until", certs[i].valid_until, "revoked",
                           certs[i].revoked_at != 0));
      json_object_set_new(o, "certificates", arr);
      cli_print_json(o);
    } else {
      print_decision(&dec);
      for (size_t i = 0; i < n; i++)
        printf("  %s  %-12s %s, %s%s%s%s\n", certs[i].code, certs[i].entity, certs[i].recipient,
               certs[i].address, *certs[i].valid_until ? "; valid until " : "",
               certs[i].valid_until, certs[i].revoked_at ? "; REVOKED" : "");
    }
  }
  arena_free(&a);
  db_close(d);
  return rc;
}
