/* cmd_fund_programme.c - hoctap fund programme: award programmes and their
 * yearly batches (docs/funds.md "Award programmes", model/fund_programme.h).
 * Hooked into `hoctap fund` by one line of cmd_fund_extra.c. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "faces/cli/cli.h"
#include "faces/cli/cmd_fund.h"
#include "faces/fund_programme_json.h"
#include "model/fund.h"
#include "model/fund_programme.h"
#include "model/fund_rules.h"
#include "model/hier.h"

/* ------------------------------------------------------------ output */

static const char *vnd(int64_t v, char buf[32]) {
  return fund_format_amount(v, buf);
}

static void print_batch(const fund_batch *b) {
  char t[32], a[32];
  printf("Batch %lld of %s (%s) for %d, fund %s: %s\n", (long long)b->id, b->programme_code,
         b->programme_name, b->year, b->fund_code, fund_batch_state_name(b->state));
  printf("%zu award(s), %s đ\n", b->count, vnd(b->total, t));
  if (*b->decision_number)
    printf("Decision %s of %s, signed by %s\n", b->decision_number, b->decision_date,
           b->decision_signer);
  if (*b->paid_on) printf("Paid on %s (%s)\n", b->paid_on, b->method);
  if (*b->cancel_reason) printf("Cancelled: %s\n", b->cancel_reason);
  if (b->nitems) printf("\n");
  for (size_t i = 0; i < b->nitems; i++) {
    const fund_batch_item *it = &b->items[i];
    char who[48];
    if (it->beneficiary_id)
      snprintf(who, sizeof who, "beneficiary %lld", (long long)it->beneficiary_id);
    else
      snprintf(who, sizeof who, "person %lld%s", (long long)it->person_id,
               it->dropped ? "" : ", added on approval");
    printf("%4d  %-16s %14s đ  %-11s %s (%s; %s)%s", it->item, it->rule, vnd(it->amount, a),
           it->category, it->name, it->unit_code, who, it->dropped ? "  [left out]" : "");
    if (it->entry_id) printf("  entry %lld", (long long)it->entry_id);
    printf("\n");
  }
}

/* Prints the problems of a refused write; rules problems with their line
 * (and the file they came from). EXIT_RUNTIME. */
static int refused(const char *what, const char *rules_file, const issues *p, const ht_err *err) {
  if (!p->kept) return cli_fail("fund", "%s: %s", what, err->msg[0] ? err->msg : "failed");
  for (long i = 0; i < p->kept; i++) {
    const issue *it = &p->items[i];
    if (it->field && !strcmp(it->field, "rules") && it->row > 0)
      fprintf(stderr, "hoctap fund: %s:%ld:%ld: %s\n", rules_file ? rules_file : "rules", it->row,
              it->col, it->msg);
    else
      fprintf(stderr, "hoctap fund: %s%s%s\n", it->field ? it->field : "", it->field ? ": " : "",
              it->msg);
  }
  fprintf(stderr, "hoctap fund: %s: %ld problem(s); nothing was written\n", what, p->count);
  return EXIT_RUNTIME;
}

/* ------------------------------------------------------------ the subcommands */

typedef struct ctx {
  fund_opts o;
  db *d;
  arena a;
  issues p;
  ht_err err;
  char name[64];
  audit_actor who;
  int json;
} ctx;

/* Parses the options after "fund programme SUB" and opens the database. */
static int begin(ctx *c, int argc, char **argv, const char *const *allowed, int npos,
                 const char *usage) {
  memset(c, 0, sizeof *c);
  if (fund_opts_parse(&c->o, argc, argv, 3, allowed, NULL)) return EXIT_USAGE;
  if (c->o.npos != npos) return cli_usage("fund", "%s", usage);
  const char *f = fund_opt(&c->o, "format");
  c->json = cli_parse_format(f ? f : "table");
  if (c->json < 0) return cli_usage("fund", "--format must be table or json");
  if (fund_open(&c->o, &c->d)) return EXIT_RUNTIME;
  arena_init(&c->a, 0);
  issues_init(&c->p, &c->a);
  c->who = audit_cli_actor(c->name);
  return EXIT_OK;
}

static int end(ctx *c, int rc) {
  arena_free(&c->a);
  db_close(c->d);
  return rc;
}

/* A batch id among the positional arguments; 0 (usage printed) when bad. */
static int64_t batch_id(const ctx *c) {
  char *e;
  long long id = strtoll(c->o.pos[0], &e, 10);
  if (*e || id <= 0) {
    cli_usage("fund", "the batch is given by its number, not '%s'", c->o.pos[0]);
    return 0;
  }
  return id;
}

static int show_batch(ctx *c, int64_t id) {
  fund_batch b;
  int rc = fund_batch_get(c->d, id, &c->a, &b);
  if (rc == HT_ENOTFOUND) return cli_fail("fund", "no batch number %lld", (long long)id);
  if (rc) return cli_fail("fund", "cannot read the batch: %s", db_errmsg(c->d));
  if (c->json)
    cli_print_json(fund_batch_json(&b));
  else
    print_batch(&b);
  return EXIT_OK;
}

static int find_programme(ctx *c, const char *code, fund_programme *out) {
  int rc = fund_programme_find(c->d, code, &c->a, out);
  if (rc == HT_ENOTFOUND)
    return cli_fail("fund", "no programme with the code '%s' ('hoctap fund programme list')", code);
  if (rc) return cli_fail("fund", "cannot read the programme: %s", db_errmsg(c->d));
  return EXIT_OK;
}

static int sub_add(int argc, char **argv) {
  static const char *const allowed[] = {"fund", "name", "rules", NULL};
  ctx c;
  int rc = begin(&c, argc, argv, allowed, 1, "programme add needs the programme's code");
  if (rc) return rc;
  const char *path = fund_opt(&c.o, "rules");
  if (!path) return end(&c, cli_usage("fund", "--rules FILE is required (the rules as text)"));
  FILE *f = fopen(path, "rb");
  if (!f) return end(&c, cli_fail("fund", "cannot read %s", path));
  char *text = arena_alloc(&c.a, FUND_RULES_MAX_BYTES + 2);
  size_t n = fread(text, 1, FUND_RULES_MAX_BYTES + 1, f);
  fclose(f);
  text[n] = 0;
  if (memchr(text, 0, n)) return end(&c, cli_fail("fund", "%s is not a text file", path));
  fund_programme_new in = {fund_opt(&c.o, "fund"), c.o.pos[0], fund_opt(&c.o, "name"), text};
  int64_t id;
  if (fund_programme_create(c.d, &c.who, &in, &c.p, &id, &c.err) != HT_OK)
    return end(&c, refused("the programme was not created", path, &c.p, &c.err));
  printf("Programme %s created for the fund %s.\n", in.code, in.fund);
  return end(&c, EXIT_OK);
}

static int sub_list(int argc, char **argv) {
  static const char *const allowed[] = {"fund", "format", NULL};
  ctx c;
  int rc = begin(&c, argc, argv, allowed, 0, "programme list takes no argument");
  if (rc) return rc;
  int64_t fund_id = 0;
  const char *code = fund_opt(&c.o, "fund");
  fund f;
  if (code && fund_get(c.d, code, &c.a, &f) != HT_OK)
    return end(&c, cli_fail("fund", "no fund with the code '%s'", code));
  if (code) fund_id = f.id;
  fund_programme *p;
  size_t n;
  if (fund_programme_list(c.d, fund_id, &c.a, &p, &n))
    return end(&c, cli_fail("fund", "cannot list the programmes: %s", db_errmsg(c.d)));
  if (c.json) {
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, fund_programme_json(&p[i]));
    cli_print_json(arr);
  } else {
    for (size_t i = 0; i < n; i++) printf("%-16s %-12s %s\n", p[i].code, p[i].fund_code, p[i].name);
    if (!n) printf("No programme yet: hoctap fund programme add CODE --fund FUND ...\n");
  }
  return end(&c, EXIT_OK);
}

static int sub_show(int argc, char **argv) {
  static const char *const allowed[] = {"format", NULL};
  ctx c;
  int rc = begin(&c, argc, argv, allowed, 1, "programme show needs the programme's code");
  if (rc) return rc;
  fund_programme p;
  if ((rc = find_programme(&c, c.o.pos[0], &p))) return end(&c, rc);
  fund_batch *b;
  size_t n;
  if (fund_batch_list(c.d, p.id, &c.a, &b, &n))
    return end(&c, cli_fail("fund", "cannot list the batches: %s", db_errmsg(c.d)));
  if (c.json) {
    json_t *o = fund_programme_json(&p), *arr = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, fund_batch_json(&b[i]));
    json_object_set_new(o, "batches", arr);
    cli_print_json(o);
  } else {
    char t[32];
    printf("%s - %s (fund %s, unit %s)\n\n%s\n", p.code, p.name, p.fund_code, p.unit_code, p.rules);
    for (size_t i = 0; i < n; i++)
      printf("batch %lld  %d  %-10s %4zu award(s) %14s đ%s%s\n", (long long)b[i].id, b[i].year,
             fund_batch_state_name(b[i].state), b[i].count, vnd(b[i].total, t),
             *b[i].decision_number ? "  decision " : "", b[i].decision_number);
  }
  return end(&c, EXIT_OK);
}

static int sub_run(int argc, char **argv) {
  static const char *const allowed[] = {"year", "format", NULL};
  ctx c;
  int rc = begin(&c, argc, argv, allowed, 1, "programme run needs the programme's code");
  if (rc) return rc;
  const char *y = fund_opt(&c.o, "year");
  char *e = NULL;
  long year = y ? strtol(y, &e, 10) : 0;
  if (!y || *e || year < 1 || year > 9999)
    return end(&c, cli_usage("fund", "programme run needs --year YYYY"));
  fund_programme p;
  if ((rc = find_programme(&c, c.o.pos[0], &p))) return end(&c, rc);
  hier h;
  if (hier_load(c.d, &h, &c.err)) return end(&c, cli_fail("fund", "%s", c.err.msg));
  int64_t id;
  rc = fund_programme_run(c.d, &c.who, &h, p.id, (int)year, &c.p, &id, &c.err);
  hier_free(&h);
  if (rc) return end(&c, refused("no batch was proposed", NULL, &c.p, &c.err));
  return end(&c, show_batch(&c, id));
}

static int sub_batch(int argc, char **argv) {
  static const char *const allowed[] = {"format", NULL};
  ctx c;
  int rc = begin(&c, argc, argv, allowed, 1, "programme batch needs the batch's number");
  if (rc) return rc;
  int64_t id = batch_id(&c);
  return end(&c, id ? show_batch(&c, id) : EXIT_USAGE);
}

/* "2,5" into item numbers (from a); -1 when it is not a list of numbers. */
static int parse_drop(const char *s, arena *a, int **out, size_t *n) {
  size_t cap = 0;
  *out = NULL;
  *n = 0;
  while (s && *s) {
    char *e;
    long v = strtol(s, &e, 10);
    if (e == s || v < 1 || v > 1000000 || (*e && *e != ',')) return -1;
    *out = arena_grow(a, *out, *n, &cap, sizeof **out);
    (*out)[(*n)++] = (int)v;
    s = *e ? e + 1 : e;
  }
  return 0;
}

static int sub_approve(int argc, char **argv) {
  static const char *const allowed[] = {"number", "date", "signer", "drop", NULL};
  ctx c;
  int rc = begin(&c, argc, argv, allowed, 1, "programme approve needs the batch's number");
  if (rc) return rc;
  int64_t id = batch_id(&c);
  if (!id) return end(&c, EXIT_USAGE);
  fund_batch_approval in = {fund_opt(&c.o, "number"), fund_opt(&c.o, "date"),
                            fund_opt(&c.o, "signer"), NULL, 0};
  int *drop;
  if (parse_drop(fund_opt(&c.o, "drop"), &c.a, &drop, &in.ndrop))
    return end(&c, cli_usage("fund", "--drop lists item numbers, e.g. 2,5"));
  in.drop = drop;
  if (fund_batch_approve(c.d, &c.who, id, &in, &c.p, &c.err))
    return end(&c, refused("the batch was not approved", NULL, &c.p, &c.err));
  fund_batch b;
  char t[32];
  fund_batch_head(c.d, id, &c.a, &b);
  printf("Batch %lld approved by decision %s: %zu award(s), %s đ.\n", (long long)id, in.number,
         b.count, vnd(b.total, t));
  return end(&c, EXIT_OK);
}

static int sub_pay(int argc, char **argv) {
  static const char *const allowed[] = {"date", "method", NULL};
  ctx c;
  int rc = begin(&c, argc, argv, allowed, 1, "programme pay needs the batch's number");
  if (rc) return rc;
  int64_t id = batch_id(&c);
  if (!id) return end(&c, EXIT_USAGE);
  if (!fund_opt(&c.o, "date")) return end(&c, cli_usage("fund", "--date is required (YYYY-MM-DD)"));
  fund_batch_payment in = {fund_opt(&c.o, "date"), fund_opt(&c.o, "method")};
  int64_t *entries;
  size_t n;
  if (fund_batch_pay(c.d, &c.who, id, &in, &c.p, &c.a, &entries, &n, &c.err))
    return end(&c, refused("the batch was not paid", NULL, &c.p, &c.err));
  fund_batch b;
  fund f;
  char t[32], bal[32];
  fund_batch_head(c.d, id, &c.a, &b);
  fund_get(c.d, b.fund_code, &c.a, &f);
  printf("Batch %lld paid: %zu entries, %s đ; the balance of %s is %s đ.\n", (long long)id, n,
         vnd(b.total, t), f.code, vnd(f.balance, bal));
  return end(&c, EXIT_OK);
}

static int sub_cancel(int argc, char **argv) {
  static const char *const allowed[] = {"reason", NULL};
  ctx c;
  int rc = begin(&c, argc, argv, allowed, 1, "programme cancel needs the batch's number");
  if (rc) return rc;
  int64_t id = batch_id(&c);
  if (!id) return end(&c, EXIT_USAGE);
  if (fund_batch_cancel(c.d, &c.who, id, fund_opt(&c.o, "reason"), &c.p, &c.err))
    return end(&c, refused("the batch was not cancelled", NULL, &c.p, &c.err));
  printf("Batch %lld cancelled.\n", (long long)id);
  return end(&c, EXIT_OK);
}

static const fund_subcommand subs[] = {
    {"add", sub_add},     {"list", sub_list},       {"show", sub_show}, {"run", sub_run},
    {"batch", sub_batch}, {"approve", sub_approve}, {"pay", sub_pay},   {"cancel", sub_cancel},
};

int fund_cli_programme(int argc, char **argv) {
  if (argc < 3)
    return cli_usage("fund",
                     "programme needs a subcommand: add, list, show, run, batch, approve, pay or "
                     "cancel");
  for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
    if (!strcmp(subs[i].name, argv[2])) return subs[i].run(argc, argv);
  return cli_usage("fund", "unknown subcommand 'programme %s'", argv[2]);
}
