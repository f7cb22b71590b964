/* cmd_fund.c - hoctap fund: study-promotion funds and their books
 * (docs/funds.md). Each subcommand is a function in the table below; other
 * files add theirs (cli.h declares them) with one line each. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "faces/cli/cli.h"
#include "faces/cli/cmd_fund.h"
#include "model/fund.h"

static void help(void) {
  printf(
      "Usage: hoctap fund SUBCOMMAND ... [--db PATH]\n\n"
      "  create CODE --name NAME --owner-kind unit|clan|organisation --owner CODE\n"
      "         [--public-minor-names]      a fund of a unit, a clan or an organisation\n"
      "  list [--format json]              every fund with its balance\n"
      "  show CODE [--from D] [--to D] [--format json]\n"
      "                                    the fund, its balance and its entries\n"
      "  donor add --name NAME [--kind person|family|clan|enterprise|organisation|anonymous]\n"
      "            [--address A] [--phone P] [--code C]           prints the donor's id\n"
      "  beneficiary add (--person ID | --name NAME --unit CODE) [--birth-year Y]\n"
      "            [--school S] [--grade G] [--circumstances poor|orphan|...]\n"
      "            [--achievements excellent|national-prize|...]  prints the id\n"
      "  beneficiary history ID [--format json]   everything paid to them, every fund\n"
      "  opening CODE --amount A --date D [--method cash|bank]\n"
      "  receipt CODE --amount A --date D [--donor ID] [--campaign C] [--purpose P]\n"
      "          [--method cash|bank] [--number N] [--memo M]\n"
      "  pay CODE --amount A --date D --beneficiary ID --category\n"
      "          scholarship|award|support|gift --reason R [--decision D] [--method M]\n"
      "  transfer CODE --to CODE --amount A --date D [--method M] [--memo M]\n"
      "  reverse ENTRY --date D --reason R   a correction: the entry's mirror\n"
      "  close CODE --through D            refuse entries dated on or before D\n"
      "  settings CODE --public-minor-names yes|no\n"
      "                                    may the public page name beneficiaries under 18\n"
      "  check                             verify the books' invariants\n"
      "%s\n"
      "Amounts are whole đồng: 1500000, 1.500.000 or \"1,500,000 đ\". Dates are\n"
      "YYYY-MM-DD. Entries are never changed or deleted: reverse one and post it\n"
      "again. A write with any problem prints every problem and writes nothing\n"
      "(exit status 1). Common options: --db PATH (default $HOCTAP_DB, else\n"
      "./hoctap.db), --help.\n",
      fund_cli_extra_help());
}

/* ------------------------------------------------------------ options */

int fund_opts_parse(fund_opts *o, int argc, char **argv, int first, const char *const *allowed,
                    const char *const *flags) {
  memset(o, 0, sizeof *o);
  for (int i = first; i < argc; i++) {
    const char *a = argv[i];
    if (strncmp(a, "--", 2)) {
      if (o->npos == FUND_MAX_POS) return cli_usage("fund", "too many arguments ('%s')", a), -1;
      o->pos[o->npos++] = a;
      continue;
    }
    const char *name = a + 2;
    int is_flag = 0, ok = 0;
    for (int k = 0; flags && flags[k]; k++)
      if (!strcmp(flags[k], name)) ok = is_flag = 1;
    for (int k = 0; allowed && allowed[k] && !ok; k++) ok = !strcmp(allowed[k], name);
    if (!strcmp(name, "db")) ok = 1;
    if (!ok) return cli_usage("fund", "unknown option '%s'", a), -1;
    if (o->n == FUND_MAX_OPTS) return cli_usage("fund", "too many options"), -1;
    o->name[o->n] = name;
    if (is_flag) {
      o->value[o->n++] = "1";
    } else {
      if (i + 1 >= argc) return cli_usage("fund", "option '%s' needs a value", a), -1;
      o->value[o->n++] = argv[++i];
    }
  }
  return 0;
}

const char *fund_opt(const fund_opts *o, const char *name) {
  for (int i = o->n - 1; i >= 0; i--)
    if (!strcmp(o->name[i], name)) return o->value[i];
  return NULL;
}

/* --NAME as a positive id; 0 when absent, -1 (usage printed) when bad. */
int64_t fund_opt_id(const fund_opts *o, const char *name) {
  const char *v = fund_opt(o, name);
  if (!v) return 0;
  char *end;
  long long id = strtoll(v, &end, 10);
  if (*end || id <= 0) return cli_usage("fund", "--%s must be a number, not '%s'", name, v), -1;
  return id;
}

int fund_open(const fund_opts *o, db **d) {
  return cli_open_db("fund", fund_opt(o, "db"), d);
}

int fund_write_begin(fund_write *w, const fund_opts *o) {
  memset(w, 0, sizeof *w);
  if (fund_open(o, &w->d)) return EXIT_RUNTIME;
  arena_init(&w->a, 0);
  issues_init(&w->p, &w->a);
  w->who = audit_cli_actor(w->name);
  return EXIT_OK;
}

void fund_write_end(fund_write *w) {
  arena_free(&w->a);
  db_close(w->d);
}

/* Prints the problems of a refused write; returns EXIT_RUNTIME. */
int fund_refused(const char *what, const issues *p, const ht_err *err) {
  if (p->kept) {
    for (long i = 0; i < p->kept; i++)
      fprintf(stderr, "hoctap fund: %s%s%s\n", p->items[i].field ? p->items[i].field : "",
              p->items[i].field ? ": " : "", p->items[i].msg);
    fprintf(stderr, "hoctap fund: %s: %ld problem(s); nothing was written\n", what, p->count);
    return EXIT_RUNTIME;
  }
  return cli_fail("fund", "%s: %s", what, err->msg[0] ? err->msg : "failed");
}

static const char *amount_text(int64_t v, char buf[32]) {
  return fund_format_amount(v, buf);
}

/* ------------------------------------------------------------ subcommands */

static int sub_create(int argc, char **argv) {
  static const char *const allowed[] = {"name", "owner-kind", "owner", NULL};
  static const char *const flags[] = {"public-minor-names", NULL};
  fund_opts o;
  if (fund_opts_parse(&o, argc, argv, 2, allowed, flags)) return EXIT_USAGE;
  if (o.npos != 1) return cli_usage("fund", "create needs the fund's code");
  fund_write w;
  if (fund_write_begin(&w, &o)) return EXIT_RUNTIME;
  fund_new in = {o.pos[0], fund_opt(&o, "name"), fund_opt(&o, "owner-kind"), fund_opt(&o, "owner"),
                 fund_opt(&o, "public-minor-names") != NULL};
  int rc = fund_create(w.d, &w.who, &in, &w.p, NULL, &w.err) == HT_OK
               ? (printf("Fund %s created.\n", in.code), EXIT_OK)
               : fund_refused("the fund was not created", &w.p, &w.err);
  fund_write_end(&w);
  return rc;
}

static json_t *fund_json(const fund *f) {
  return json_pack("{sssssssssssssbsI}", "code", f->code, "name", f->name, "owner_kind",
                   f->owner_kind, "owner_code", f->owner_code, "unit", f->unit_code,
                   "closed_through", f->closed_through, "public_minor_names", f->public_minor_names,
                   "balance", (json_int_t)f->balance);
}

static int sub_list(int argc, char **argv) {
  static const char *const allowed[] = {"format", NULL};
  fund_opts o;
  if (fund_opts_parse(&o, argc, argv, 2, allowed, NULL)) return EXIT_USAGE;
  int json = cli_parse_format(fund_opt(&o, "format") ? fund_opt(&o, "format") : "table");
  if (json < 0) return cli_usage("fund", "--format must be table or json");
  db *d;
  if (fund_open(&o, &d)) return EXIT_RUNTIME;
  arena a;
  arena_init(&a, 0);
  fund *f;
  size_t n;
  int rc = fund_list(d, NULL, &a, &f, &n);
  if (rc) {
    arena_free(&a);
    db_close(d);
    return cli_fail("fund", "cannot list the funds: %s", db_errmsg(d));
  }
  if (json) {
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, fund_json(&f[i]));
    cli_print_json(arr);
  } else {
    char buf[32];
    for (size_t i = 0; i < n; i++)
      printf("%-12s %20s đ  %s (%s %s)\n", f[i].code, amount_text(f[i].balance, buf), f[i].name,
             f[i].owner_kind, f[i].owner_code);
    if (!n)
      printf(
          "No fund yet: hoctap fund create CODE --name NAME --owner-kind unit --owner "
          "UNIT\n");
  }
  arena_free(&a);
  db_close(d);
  return EXIT_OK;
}

static json_t *entry_json(const fund_entry *e) {
  json_t *o =
      json_pack("{sIsssssssIssssssss}", "id", (json_int_t)e->id, "fund", e->fund_code, "kind",
                fund_kind_name(e->kind), "date", e->date, "amount", (json_int_t)e->amount, "method",
                e->method, "number", e->number, "memo", e->memo, "category", e->category);
  json_object_set_new(o, "campaign", json_string(e->campaign));
  json_object_set_new(o, "purpose", json_string(e->purpose));
  json_object_set_new(o, "decision", json_string(e->decision));
  json_object_set_new(o, "donor", e->donor_id ? json_integer(e->donor_id) : json_null());
  json_object_set_new(o, "donor_name", json_string(e->donor_name));
  json_object_set_new(o, "beneficiary",
                      e->beneficiary_id ? json_integer(e->beneficiary_id) : json_null());
  json_object_set_new(o, "beneficiary_name", json_string(e->beneficiary_name));
  json_object_set_new(o, "to_fund", *e->to_fund ? json_string(e->to_fund) : json_null());
  json_object_set_new(o, "reverses", e->reverses ? json_integer(e->reverses) : json_null());
  json_object_set_new(o, "reversed_by",
                      e->reversed_by ? json_integer(e->reversed_by) : json_null());
  json_object_set_new(o, "created_by", json_string(e->created_by));
  return o;
}

static void print_entries(const fund_entry *e, size_t n) {
  char buf[32];
  for (size_t i = 0; i < n; i++) {
    const char *who = *e[i].donor_name         ? e[i].donor_name
                      : *e[i].beneficiary_name ? e[i].beneficiary_name
                      : *e[i].to_fund          ? e[i].to_fund
                                               : "";
    printf("%lld  %s  %-12s  %-12s %16s đ  %-5s %s%s%s%s\n", (long long)e[i].id, e[i].date,
           e[i].number, fund_kind_name(e[i].kind), amount_text(e[i].amount, buf), e[i].method, who,
           *e[i].memo ? (*who ? " - " : "") : "", e[i].memo,
           e[i].reversed_by ? "  [reversed]" : "");
  }
}

static int sub_show(int argc, char **argv) {
  static const char *const allowed[] = {"format", "from", "to", NULL};
  fund_opts o;
  if (fund_opts_parse(&o, argc, argv, 2, allowed, NULL)) return EXIT_USAGE;
  if (o.npos != 1) return cli_usage("fund", "show needs the fund's code");
  int json = cli_parse_format(fund_opt(&o, "format") ? fund_opt(&o, "format") : "table");
  if (json < 0) return cli_usage("fund", "--format must be table or json");
  db *d;
  if (fund_open(&o, &d)) return EXIT_RUNTIME;
  arena a;
  arena_init(&a, 0);
  fund f;
  fund_entry *e = NULL;
  size_t n = 0;
  int rc = fund_get(d, o.pos[0], &a, &f);
  if (rc == HT_OK) rc = fund_entries(d, f.id, fund_opt(&o, "from"), fund_opt(&o, "to"), &a, &e, &n);
  if (rc == HT_ENOTFOUND) {
    rc = cli_fail("fund", "no fund with the code '%s' ('hoctap fund list' lists them)", o.pos[0]);
  } else if (rc) {
    rc = cli_fail("fund", "cannot read the fund: %s", db_errmsg(d));
  } else if (json) {
    json_t *fj = fund_json(&f), *arr = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, entry_json(&e[i]));
    json_object_set_new(fj, "entries", arr);
    cli_print_json(fj);
  } else {
    char buf[32];
    printf("%s - %s\nOwner: %s %s; balance %s đ%s%s\n\n", f.code, f.name, f.owner_kind,
           f.owner_code, amount_text(f.balance, buf), *f.closed_through ? "; closed through " : "",
           f.closed_through);
    print_entries(e, n);
  }
  arena_free(&a);
  db_close(d);
  return rc;
}

static int sub_donor(int argc, char **argv) {
  static const char *const allowed[] = {"name", "kind", "address", "phone", "code", NULL};
  fund_opts o;
  if (argc < 3 || strcmp(argv[2], "add"))
    return cli_usage("fund", "donor takes the subcommand add");
  if (fund_opts_parse(&o, argc, argv, 3, allowed, NULL)) return EXIT_USAGE;
  fund_write w;
  if (fund_write_begin(&w, &o)) return EXIT_RUNTIME;
  fund_donor in = {0,
                   fund_opt(&o, "kind"),
                   fund_opt(&o, "name"),
                   fund_opt(&o, "address"),
                   fund_opt(&o, "phone"),
                   fund_opt(&o, "code")};
  int64_t id;
  int rc = fund_donor_add(w.d, &w.who, &in, &w.p, &id, &w.err) == HT_OK
               ? (printf("%lld\n", (long long)id), EXIT_OK)
               : fund_refused("the donor was not added", &w.p, &w.err);
  fund_write_end(&w);
  return rc;
}

static int sub_beneficiary(int argc, char **argv) {
  static const char *const allowed[] = {"person", "name",  "unit",   "birth-year",
                                        "school", "grade", "format", NULL};
  static const char *const add_allowed[] = {"person",        "name",         "unit",
                                            "birth-year",    "school",       "grade",
                                            "circumstances", "achievements", NULL};
  int add = argc >= 3 && !strcmp(argv[2], "add");
  if (!add && (argc < 3 || strcmp(argv[2], "history")))
    return cli_usage("fund", "beneficiary takes the subcommand add or history");
  fund_opts o;
  if (fund_opts_parse(&o, argc, argv, 3, add ? add_allowed : allowed, NULL)) return EXIT_USAGE;
  db *d;
  if (fund_open(&o, &d)) return EXIT_RUNTIME;
  arena a;
  arena_init(&a, 0);
  int rc;
  if (add) {
    issues p;
    issues_init(&p, &a);
    ht_err err = {0};
    char buf[64];
    audit_actor who = audit_cli_actor(buf);
    int64_t person = fund_opt_id(&o, "person");
    const char *by = fund_opt(&o, "birth-year");
    fund_beneficiary in = {0,
                           person > 0 ? person : 0,
                           fund_opt(&o, "name"),
                           by ? atoi(by) : 0,
                           fund_opt(&o, "unit"),
                           fund_opt(&o, "school"),
                           fund_opt(&o, "grade"),
                           fund_opt(&o, "circumstances"),
                           fund_opt(&o, "achievements")};
    int64_t id;
    if (person < 0)
      rc = EXIT_USAGE;
    else
      rc = fund_beneficiary_add(d, &who, &in, &p, &id, &err) == HT_OK
               ? (printf("%lld\n", (long long)id), EXIT_OK)
               : fund_refused("the beneficiary was not added", &p, &err);
  } else {
    int json = cli_parse_format(fund_opt(&o, "format") ? fund_opt(&o, "format") : "table");
    char *end = NULL;
    long long id = o.npos == 1 ? strtoll(o.pos[0], &end, 10) : 0;
    fund_beneficiary b;
    fund_entry *e;
    size_t n;
    if (json < 0 || o.npos != 1 || *end || id <= 0) {
      rc = cli_usage("fund", "beneficiary history needs the beneficiary's id");
    } else if (fund_beneficiary_get(d, id, &a, &b) != HT_OK) {
      rc = cli_fail("fund", "no beneficiary number %lld", id);
    } else if (fund_beneficiary_history(d, id, &a, &e, &n)) {
      rc = cli_fail("fund", "cannot read the history: %s", db_errmsg(d));
    } else if (json) {
      json_t *arr = json_array();
      int64_t total = 0;
      for (size_t i = 0; i < n; i++) {
        json_array_append_new(arr, entry_json(&e[i]));
        total += e[i].kind == FUND_REVERSAL ? -e[i].amount : e[i].amount;
      }
      cli_print_json(json_pack("{sIsssosI}", "id", (json_int_t)id, "name", b.name, "entries", arr,
                               "total", (json_int_t)total));
      rc = EXIT_OK;
    } else {
      int64_t total = 0;
      for (size_t i = 0; i < n; i++)
        total += e[i].kind == FUND_REVERSAL ? -e[i].amount : e[i].amount;
      char buf[32];
      printf("%s (%d): received %s đ in all\n\n", b.name, b.birth_year, amount_text(total, buf));
      print_entries(e, n);
      rc = EXIT_OK;
    }
  }
  arena_free(&a);
  db_close(d);
  return rc;
}

/* opening, receipt, pay, transfer */
static int sub_post(int argc, char **argv, fund_entry_kind kind) {
  static const char *const allowed[] = {"amount", "date",     "method",  "number",      "memo",
                                        "donor",  "campaign", "purpose", "beneficiary", "category",
                                        "reason", "decision", "to",      NULL};
  fund_opts o;
  if (fund_opts_parse(&o, argc, argv, 2, allowed, NULL)) return EXIT_USAGE;
  if (o.npos != 1) return cli_usage("fund", "%s needs the fund's code", argv[1]);
  int64_t amount = 0;
  const char *av = fund_opt(&o, "amount");
  if (!av) return cli_usage("fund", "--amount is required");
  if (fund_parse_amount(av, &amount))
    return cli_usage("fund", "--amount must be whole đồng, e.g. 1500000 or 1.500.000, not '%s'",
                     av);
  if (!fund_opt(&o, "date")) return cli_usage("fund", "--date is required (YYYY-MM-DD)");
  int64_t donor = fund_opt_id(&o, "donor"), ben = fund_opt_id(&o, "beneficiary");
  if (donor < 0 || ben < 0) return EXIT_USAGE;
  fund_write w;
  if (fund_write_begin(&w, &o)) return EXIT_RUNTIME;
  fund_posting in = {
      .kind = kind,
      .fund = o.pos[0],
      .to_fund = fund_opt(&o, "to"),
      .date = fund_opt(&o, "date"),
      .amount = amount,
      .method = fund_opt(&o, "method"),
      .number = fund_opt(&o, "number"),
      .memo = kind == FUND_DISBURSEMENT ? fund_opt(&o, "reason") : fund_opt(&o, "memo"),
      .donor_id = donor,
      .campaign = fund_opt(&o, "campaign"),
      .purpose = fund_opt(&o, "purpose"),
      .beneficiary_id = ben,
      .category = fund_opt(&o, "category"),
      .decision = fund_opt(&o, "decision")};
  int64_t id;
  int rc = fund_post(w.d, &w.who, &in, &w.p, &id, &w.err);
  if (rc == HT_OK) {
    fund f;
    char b1[32], b2[32];
    fund_get(w.d, in.fund, &w.a, &f);
    printf("Entry %lld: %s of %s đ, %s; the balance of %s is %s đ.\n", (long long)id,
           fund_kind_name(kind), amount_text(amount, b1), in.date, f.code,
           amount_text(f.balance, b2));
    rc = EXIT_OK;
  } else {
    rc = fund_refused("the entry was not posted", &w.p, &w.err);
  }
  fund_write_end(&w);
  return rc;
}

static int sub_opening(int argc, char **argv) {
  return sub_post(argc, argv, FUND_OPENING);
}
static int sub_receipt(int argc, char **argv) {
  return sub_post(argc, argv, FUND_RECEIPT);
}
static int sub_pay(int argc, char **argv) {
  return sub_post(argc, argv, FUND_DISBURSEMENT);
}
static int sub_transfer(int argc, char **argv) {
  return sub_post(argc, argv, FUND_TRANSFER);
}

static int sub_reverse(int argc, char **argv) {
  static const char *const allowed[] = {"date", "reason", NULL};
  fund_opts o;
  if (fund_opts_parse(&o, argc, argv, 2, allowed, NULL)) return EXIT_USAGE;
  char *end = NULL;
  long long entry = o.npos == 1 ? strtoll(o.pos[0], &end, 10) : 0;
  if (o.npos != 1 || *end || entry <= 0)
    return cli_usage("fund", "reverse needs the number of the entry to reverse");
  if (!fund_opt(&o, "date") || !fund_opt(&o, "reason"))
    return cli_usage("fund", "reverse needs --date and --reason");
  fund_write w;
  if (fund_write_begin(&w, &o)) return EXIT_RUNTIME;
  int64_t id;
  int rc = fund_reverse(w.d, &w.who, entry, fund_opt(&o, "date"), fund_opt(&o, "reason"), &w.p, &id,
                        &w.err) == HT_OK
               ? (printf("Entry %lld reverses entry %lld.\n", (long long)id, entry), EXIT_OK)
               : fund_refused("the entry was not reversed", &w.p, &w.err);
  fund_write_end(&w);
  return rc;
}

static int sub_close(int argc, char **argv) {
  static const char *const allowed[] = {"through", NULL};
  fund_opts o;
  if (fund_opts_parse(&o, argc, argv, 2, allowed, NULL)) return EXIT_USAGE;
  if (o.npos != 1 || !fund_opt(&o, "through"))
    return cli_usage("fund", "close needs the fund's code and --through DATE");
  fund_write w;
  if (fund_write_begin(&w, &o)) return EXIT_RUNTIME;
  int rc =
      fund_close_through(w.d, &w.who, o.pos[0], fund_opt(&o, "through"), &w.p, &w.err) == HT_OK
          ? (printf("The books of %s are closed through %s.\n", o.pos[0], fund_opt(&o, "through")),
             EXIT_OK)
          : fund_refused("the books were not closed", &w.p, &w.err);
  fund_write_end(&w);
  return rc;
}

static int sub_settings(int argc, char **argv) {
  static const char *const allowed[] = {"public-minor-names", NULL};
  fund_opts o;
  if (fund_opts_parse(&o, argc, argv, 2, allowed, NULL)) return EXIT_USAGE;
  const char *v = fund_opt(&o, "public-minor-names");
  if (o.npos != 1 || !v || (strcmp(v, "yes") && strcmp(v, "no")))
    return cli_usage("fund", "settings needs the fund's code and --public-minor-names yes|no");
  db *d;
  if (fund_open(&o, &d)) return EXIT_RUNTIME;
  ht_err err = {0};
  char buf[64];
  audit_actor who = audit_cli_actor(buf);
  int rc = fund_set_public_minor_names(d, &who, o.pos[0], !strcmp(v, "yes"), &err);
  db_close(d);
  if (rc) return cli_fail("fund", "%s", err.msg);
  printf("The public page of %s %s names beneficiaries under 18.\n", o.pos[0],
         strcmp(v, "yes") ? "no longer" : "now");
  return EXIT_OK;
}

static int sub_check(int argc, char **argv) {
  fund_opts o;
  if (fund_opts_parse(&o, argc, argv, 2, NULL, NULL)) return EXIT_USAGE;
  db *d;
  if (fund_open(&o, &d)) return EXIT_RUNTIME;
  arena a;
  arena_init(&a, 0);
  issues p;
  issues_init(&p, &a);
  ht_err err = {0};
  int rc = fund_check(d, &p, &err);
  if (rc == HT_OK) {
    printf("The books balance: every entry, every reversal and every balance checked.\n");
  } else {
    for (long i = 0; i < p.kept; i++) fprintf(stderr, "hoctap fund: %s\n", p.items[i].msg);
    rc = p.count ? cli_fail("fund", "%ld problem(s) in the books", p.count)
                 : cli_fail("fund", "%s", err.msg);
  }
  arena_free(&a);
  db_close(d);
  return rc;
}

static const fund_subcommand builtin[] = {
    {"create", sub_create},
    {"list", sub_list},
    {"show", sub_show},
    {"donor", sub_donor},
    {"beneficiary", sub_beneficiary},
    {"opening", sub_opening},
    {"receipt", sub_receipt},
    {"pay", sub_pay},
    {"transfer", sub_transfer},
    {"reverse", sub_reverse},
    {"close", sub_close},
    {"check", sub_check},
    {"settings", sub_settings},
};

int cmd_fund(int argc, char **argv) {
  if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
      !strcmp(argv[1], "help")) {
    help();
    return argc < 2 ? EXIT_USAGE : EXIT_OK;
  }
  for (int i = 2; i < argc; i++)
    if (!strcmp(argv[i], "--help")) {
      help();
      return EXIT_OK;
    }
  for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
    if (!strcmp(builtin[i].name, argv[1])) return builtin[i].run(argc, argv);
  for (const fund_subcommand *s = fund_cli_extra(); s && s->name; s++)
    if (!strcmp(s->name, argv[1])) return s->run(argc, argv);
  return cli_usage("fund", "unknown subcommand '%s'", argv[1]);
}
