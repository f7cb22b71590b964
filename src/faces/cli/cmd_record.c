/* cmd_record.c - hoctap record: show and change one yearly record (its
 * registration, entered values, evidence and reviewers' overrides). */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "criteria/crit_defaults.h"
#include "faces/cli/cli.h"
#include "model/records.h"
#include "model/workflow.h"

static void help(void) {
  printf(
      "Usage: hoctap record SUBCOMMAND --year Y --title T ENTITY [OPTIONS]\n\n"
      "  show ENTITY [--format text|json]\n"
      "        the record: registration, entered values, evidence, overrides\n"
      "  set ENTITY [--registered DATE | --unregistered] [--group N] [KEY=VALUE ...]\n"
      "        register (DATE in the year or the year before) or withdraw; set the\n"
      "        form group (1-4, learning citizens only); enter item values, merged\n"
      "        into those stored; KEY= removes one\n"
      "  evidence ENTITY ITEM --note TEXT [--file PATH]\n"
      "        add evidence to an item: a note and optionally a PDF, PNG or JPEG\n"
      "        file of at most 10 MiB\n"
      "  override ENTITY ITEM (--points N | --level N | --pass yes|no) --reason TEXT\n"
      "           --by NAME\n"
      "  override ENTITY ITEM --clear\n"
      "        set or remove a reviewer's decision on one item\n"
      "  submit ENTITY            send the record for review (docs/workflow.md)\n"
      "  accept ENTITY [--comment TEXT]    a reviewer accepts a submitted record\n"
      "  return ENTITY --comment TEXT      a reviewer sends it back; the submitter\n"
      "                                    sees the comment\n"
      "  unlock ENTITY --reason TEXT       reopen a decided record (revokes its\n"
      "                                    certificate)\n\n"
      "ENTITY is the code of what the title evaluates: a household, clan or\n"
      "organisation code, a unit code for village, commune, district and province\n"
      "titles, and for persons a 12-digit citizen ID or P<id>.\n"
      "Values: yes/no items take có/không (or yes/no, 1/0, x); percentages 92%% or\n"
      "0.92 (a bare number above 1 is read as a percentage); levels and numbers\n"
      "within the item's range ('hoctap criteria show T' lists the items).\n\n"
      "Common options: --db PATH (default $HOCTAP_DB, else ./hoctap.db), --help.\n"
      "A change is checked whole and written in one transaction: if any part is\n"
      "wrong, every problem is printed and nothing is written (exit status 1).\n");
}

enum {
  OPT_DB = 1 << 0,
  OPT_YEAR = 1 << 1,
  OPT_TITLE = 1 << 2,
  OPT_FORMAT = 1 << 3,
  OPT_REGISTERED = 1 << 4,
  OPT_UNREGISTERED = 1 << 5,
  OPT_GROUP = 1 << 6,
  OPT_NOTE = 1 << 7,
  OPT_FILE = 1 << 8,
  OPT_POINTS = 1 << 9,
  OPT_LEVEL = 1 << 10,
  OPT_PASS = 1 << 11,
  OPT_REASON = 1 << 12,
  OPT_BY = 1 << 13,
  OPT_CLEAR = 1 << 14,
  OPT_COMMENT = 1 << 15,
};

static const struct option long_opts[] = {{"db", required_argument, 0, OPT_DB},
                                          {"year", required_argument, 0, OPT_YEAR},
                                          {"title", required_argument, 0, OPT_TITLE},
                                          {"format", required_argument, 0, OPT_FORMAT},
                                          {"registered", required_argument, 0, OPT_REGISTERED},
                                          {"unregistered", no_argument, 0, OPT_UNREGISTERED},
                                          {"group", required_argument, 0, OPT_GROUP},
                                          {"note", required_argument, 0, OPT_NOTE},
                                          {"file", required_argument, 0, OPT_FILE},
                                          {"points", required_argument, 0, OPT_POINTS},
                                          {"level", required_argument, 0, OPT_LEVEL},
                                          {"pass", required_argument, 0, OPT_PASS},
                                          {"reason", required_argument, 0, OPT_REASON},
                                          {"by", required_argument, 0, OPT_BY},
                                          {"clear", no_argument, 0, OPT_CLEAR},
                                          {"comment", required_argument, 0, OPT_COMMENT},
                                          {"help", no_argument, 0, 'h'},
                                          {0, 0, 0, 0}};

typedef struct record_opts {
  unsigned given;
  const char *db, *title, *format, *registered, *note, *file, *reason, *by, *comment;
  int year, group, level, passed;
  double points;
} record_opts;

static const char *option_name(unsigned bit) {
  for (const struct option *o = long_opts; o->name; o++)
    if ((unsigned)o->val == bit) return o->name;
  return "?";
}

static int parse_int(const char *s, long lo, long hi, long *out) {
  char *end;
  long v = strtol(s, &end, 10);
  if (!*s || *end || v < lo || v > hi) return -1;
  *out = v;
  return 0;
}

/* Parses the options of subcommand sub, allowing only those in allowed
 * (plus --db and --help); positional arguments stay in argv[optind..].
 * Returns -1 on success or an exit status. */
static int parse(const char *sub, unsigned allowed, int argc, char **argv, record_opts *o) {
  memset(o, 0, sizeof *o);
  o->format = "text";
  int c;
  long v;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
    if (c == 'h') {
      help();
      return EXIT_OK;
    }
    if (c == '?' || c == ':')
      return cli_usage("record", "%s: unknown or incomplete option '%s'", sub, argv[optind - 1]);
    if (!((unsigned)c & (allowed | OPT_DB)))
      return cli_usage("record", "%s does not take --%s", sub, option_name((unsigned)c));
    o->given |= (unsigned)c;
    switch (c) {
      case OPT_DB: o->db = optarg; break;
      case OPT_YEAR:
        if (parse_int(optarg, 1990, 2100, &v))
          return cli_usage("record", "--year must be a year such as 2025, not '%s'", optarg);
        o->year = (int)v;
        break;
      case OPT_TITLE: o->title = optarg; break;
      case OPT_FORMAT: o->format = optarg; break;
      case OPT_REGISTERED: o->registered = optarg; break;
      case OPT_UNREGISTERED: break;
      case OPT_GROUP:
        if (parse_int(optarg, -1000, 1000, &v))
          return cli_usage("record", "--group must be a form group number 1-4, not '%s'", optarg);
        o->group = (int)v;
        break;
      case OPT_NOTE: o->note = optarg; break;
      case OPT_FILE: o->file = optarg; break;
      case OPT_POINTS: {
        char *end;
        o->points = strtod(optarg, &end);
        if (!*optarg || *end)
          return cli_usage("record", "--points must be a number such as 10, not '%s'", optarg);
        break;
      }
      case OPT_LEVEL:
        if (parse_int(optarg, -1000, 1000, &v))
          return cli_usage("record", "--level must be a whole number such as 1, not '%s'", optarg);
        o->level = (int)v;
        break;
      case OPT_PASS:
        if (!strcmp(optarg, "yes") || !strcmp(optarg, "1"))
          o->passed = 1;
        else if (!strcmp(optarg, "no") || !strcmp(optarg, "0"))
          o->passed = 0;
        else
          return cli_usage("record", "--pass must be yes or no, not '%s'", optarg);
        break;
      case OPT_REASON: o->reason = optarg; break;
      case OPT_BY: o->by = optarg; break;
      case OPT_COMMENT: o->comment = optarg; break;
      case OPT_CLEAR: break;
      default: break;
    }
  }
  if (!(o->given & OPT_YEAR)) return cli_usage("record", "%s needs --year Y", sub);
  if (!(o->given & OPT_TITLE)) return cli_usage("record", "%s needs --title T", sub);
  if (optind >= argc) return cli_usage("record", "%s needs the ENTITY it is about", sub);
  if (strcmp(o->format, "text") && strcmp(o->format, "table") && strcmp(o->format, "json"))
    return cli_usage("record", "--format must be text or json, not '%s'", o->format);
  return -1;
}

/* The session of one subcommand: database, criteria and the target. */
typedef struct session {
  db *d;
  crit_set set;
  arena a;
  issues problems;
  rec_target target;
  audit_actor who; /* the command line, in the audit trail */
  char who_name[64];
} session;

static void session_close(session *s) {
  crit_set_free(&s->set);
  arena_free(&s->a);
  db_close(s->d);
}

/* Opens the database, loads the criteria and resolves the target; prints
 * the problem and returns an exit status on failure, -1 on success. */
static int session_open(session *s, const record_opts *o, const char *entity) {
  memset(s, 0, sizeof *s);
  s->who = audit_cli_actor(s->who_name);
  int rc = cli_open_db("record", o->db, &s->d);
  if (rc) return rc;
  arena_init(&s->a, 0);
  issues_init(&s->problems, &s->a);
  crit_set_init(&s->set);
  if (crit_load_defaults(&s->set, &s->problems) != HT_OK) {
    session_close(s);
    return cli_fail("record", "the shipped criteria do not load; run 'hoctap criteria list'");
  }
  ht_err err = {0};
  if (rec_target_resolve(s->d, &s->set, o->title, o->year, entity, &s->target, &err) != HT_OK) {
    session_close(s);
    return cli_fail("record", "%s", err.msg);
  }
  return -1;
}

/* "YYYY-MM-DD HH:MM" in Vietnam time (UTC+7) for epoch milliseconds. */
static const char *local_time(int64_t ms, char buf[32]) {
  time_t t = (time_t)(ms / 1000) + 7 * 3600;
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(buf, 32, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

static const char *override_text(const rec_override *o, char *buf, size_t size) {
  if (o->kind == REC_OVR_POINTS)
    snprintf(buf, size, "points = %g", o->points);
  else if (o->kind == REC_OVR_LEVEL)
    snprintf(buf, size, "level = %d", o->level);
  else
    snprintf(buf, size, "pass = %s", o->passed ? "yes" : "no");
  return buf;
}

static json_t *record_json(const rec_target *t, const rec_record *r, const rec_evidence *ev,
                           size_t nev, const rec_override *ov, size_t nov) {
  json_t *values = json_object();
  const char *c = r->vals;
  char key[REC_KEY_MAX], buf[32];
  double v;
  while (rec_vals_next(&c, key, sizeof key, &v) == 1)
    json_object_set_new(values, key, json_real(v));
  json_t *out =
      json_pack("{sssssisssssssb}", "title", t->title->key, "title_name",
                t->title->name ? t->title->name : "", "year", t->year, "entity", t->display,
                "entity_key", t->entity, "label", t->label, "exists", r->exists);
  json_object_set_new(out, "stage", json_string(r->stage));
  json_object_set_new(out, "comment", json_string(r->comment));
  json_object_set_new(out, "registered_on",
                      r->registered_on[0] ? json_string(r->registered_on) : json_null());
  json_object_set_new(out, "form_group", r->form_group ? json_integer(r->form_group) : json_null());
  json_object_set_new(out, "vals", json_string(r->vals));
  json_object_set_new(out, "values", values);
  json_object_set_new(out, "updated_at", r->exists ? json_integer(r->updated_at) : json_null());
  json_t *arr = json_array();
  for (size_t i = 0; i < nev; i++) {
    snprintf(buf, sizeof buf, "%lld", (long long)ev[i].id);
    json_t *e = json_pack("{sssssssI}", "id", buf, "item", ev[i].item, "note", ev[i].note,
                          "created_at", (json_int_t)ev[i].created_at);
    if (ev[i].file_name) {
      json_object_set_new(e, "file_name", json_string(ev[i].file_name));
      json_object_set_new(e, "media_type", json_string(ev[i].media_type));
      json_object_set_new(e, "size", json_integer(ev[i].size));
      json_object_set_new(e, "sha256", json_string(ev[i].sha256));
    }
    json_array_append_new(arr, e);
  }
  json_object_set_new(out, "evidence", arr);
  arr = json_array();
  for (size_t i = 0; i < nov; i++) {
    json_t *o = json_pack("{sssssssI}", "item", ov[i].item, "reason", ov[i].reason, "by",
                          ov[i].by_name, "at", (json_int_t)ov[i].at);
    if (ov[i].kind == REC_OVR_POINTS) json_object_set_new(o, "points", json_real(ov[i].points));
    if (ov[i].kind == REC_OVR_LEVEL) json_object_set_new(o, "level", json_integer(ov[i].level));
    if (ov[i].kind == REC_OVR_PASS) json_object_set_new(o, "passed", json_boolean(ov[i].passed));
    json_array_append_new(arr, o);
  }
  json_object_set_new(out, "overrides", arr);
  return out;
}

static void print_record(const rec_target *t, const rec_record *r, const rec_evidence *ev,
                         size_t nev, const rec_override *ov, size_t nov) {
  const crit_title *ti = t->title;
  char buf[64], when[32];
  printf("Title:      %s — %s (%s, from %d)\n", ti->key, ti->name ? ti->name : "", ti->decision,
         ti->applies_from);
  printf("Year:       %d\n", t->year);
  printf("Entity:     %s — %s\n", t->display, t->label);
  printf("Stage:      %s%s%s\n", r->stage, r->comment[0] ? " - " : "", r->comment);
  printf("Registered: %s\n", r->registered_on[0] ? r->registered_on : "no");
  if (!strcmp(ti->key, REC_FORM_GROUP_TITLE)) {
    if (r->form_group)
      printf("Form group: %d\n", r->form_group);
    else
      printf("Form group: not set\n");
  }
  if (r->exists) printf("Updated:    %s\n", local_time(r->updated_at, when));
  printf("\nEntered values:\n");
  for (const crit_item *it = ti->items; it; it = it->next) {
    if (it->input == INPUT_NONE) continue;
    double v;
    const char *shown =
        rec_vals_get(r->vals, it->key, &v) == 1 ? rec_value_text(it, v, buf, sizeof buf) : "-";
    printf("  %-6s %-6s %s\n", it->key, shown, it->text ? it->text : "");
  }
  /* Values whose key is no longer an entered item of this version. */
  const char *c = r->vals;
  char key[REC_KEY_MAX];
  double v;
  while (rec_vals_next(&c, key, sizeof key, &v) == 1) {
    const crit_item *it = rec_item_find(ti, key);
    if (!it || it->input == INPUT_NONE) printf("  %-6s %-6.10g (not an entered item)\n", key, v);
  }
  if (nev)
    printf("\nEvidence (%zu):\n", nev);
  else
    printf("\nEvidence: none\n");
  for (size_t i = 0; i < nev; i++) {
    printf("  %-6s %s  %s", ev[i].item, local_time(ev[i].created_at, when), ev[i].note);
    if (ev[i].file_name)
      printf("  [%s, %s, %lld bytes, sha256 %.12s…]", ev[i].file_name, ev[i].media_type,
             (long long)ev[i].size, ev[i].sha256);
    putchar('\n');
  }
  if (nov)
    printf("\nOverrides (%zu):\n", nov);
  else
    printf("\nOverrides: none\n");
  for (size_t i = 0; i < nov; i++)
    printf("  %-6s %s  by %s, %s: %s\n", ov[i].item, override_text(&ov[i], buf, sizeof buf),
           ov[i].by_name, local_time(ov[i].at, when), ov[i].reason);
}

static int do_show(int argc, char **argv) {
  record_opts o;
  int rc = parse("show", OPT_YEAR | OPT_TITLE | OPT_FORMAT, argc, argv, &o);
  if (rc >= 0) return rc;
  if (optind + 1 != argc)
    return cli_usage("record", "show takes one ENTITY, not also '%s'", argv[optind + 1]);
  session s;
  if ((rc = session_open(&s, &o, argv[optind])) >= 0) return rc;
  rec_record r;
  rec_evidence *ev;
  rec_override *ov;
  size_t nev, nov;
  rc = rec_get(s.d, &s.target, &s.a, &r);
  if (rc == HT_OK) rc = rec_evidence_list(s.d, &s.target, &s.a, &ev, &nev);
  if (rc == HT_OK) rc = rec_override_list(s.d, &s.target, &s.a, &ov, &nov);
  if (rc != HT_OK) {
    rc = cli_fail("record", "cannot read the record: %s", db_errmsg(s.d));
  } else if (!strcmp(o.format, "json")) {
    json_t *out = record_json(&s.target, &r, ev, nev, ov, nov);
    json_dumpf(out, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(out);
    rc = EXIT_OK;
  } else {
    print_record(&s.target, &r, ev, nev, ov, nov);
    rc = EXIT_OK;
  }
  session_close(&s);
  return rc;
}

static int do_set(int argc, char **argv) {
  record_opts o;
  int rc = parse("set", OPT_YEAR | OPT_TITLE | OPT_REGISTERED | OPT_UNREGISTERED | OPT_GROUP, argc,
                 argv, &o);
  if (rc >= 0) return rc;
  if ((o.given & OPT_REGISTERED) && (o.given & OPT_UNREGISTERED))
    return cli_usage("record", "give --registered DATE or --unregistered, not both");
  if (optind + 1 == argc && !(o.given & (OPT_REGISTERED | OPT_UNREGISTERED | OPT_GROUP)))
    return cli_usage("record",
                     "set has nothing to change: give --registered, --unregistered, --group or "
                     "KEY=VALUE");
  session s;
  if ((rc = session_open(&s, &o, argv[optind])) >= 0) return rc;
  rec_change ch = {.registration = REC_REG_KEEP,
                   .assignments = (const char *const *)argv + optind + 1,
                   .nassignments = (size_t)(argc - optind - 1)};
  if (o.given & OPT_REGISTERED) ch.registration = REC_REG_SET, ch.registered_on = o.registered;
  if (o.given & OPT_UNREGISTERED) ch.registration = REC_REG_CLEAR;
  ch.set_form_group = (o.given & OPT_GROUP) != 0;
  ch.form_group = o.group;
  ht_err err = {0};
  rc = ch.registration == REC_REG_SET
           ? wf_registration_check(s.d, &s.set, &s.target, ch.registered_on, &s.problems)
           : HT_OK;
  if (rc == HT_OK) rc = rec_set(s.d, &s.who, &s.target, &ch, &s.problems, &err);
  if (rc == HT_EINVAL) {
    for (long i = 0; i < s.problems.kept; i++)
      fprintf(stderr, "hoctap record set: %s: %s\n", s.problems.items[i].field,
              s.problems.items[i].msg);
    fprintf(stderr, "hoctap record set: %ld problem(s); nothing was changed.\n", s.problems.count);
    rc = EXIT_RUNTIME;
  } else if (rc != HT_OK) {
    rc = cli_fail("record", "%s; nothing was changed", err.msg);
  } else {
    rec_record r;
    rec_get(s.d, &s.target, &s.a, &r);
    printf("Saved %s %d %s (%s): %s", s.target.title->key, s.target.year, s.target.display,
           s.target.label, r.registered_on[0] ? "registered " : "not registered");
    if (r.registered_on[0]) printf("%s", r.registered_on);
    if (r.form_group) printf(", form group %d", r.form_group);
    printf("; values: %s\n", r.vals[0] ? r.vals : "none");
    rc = EXIT_OK;
  }
  session_close(&s);
  return rc;
}

/* Reads at most REC_EVIDENCE_MAX_BYTES + 1 bytes of path into *data
 * (malloc'd); the caller's check then rejects a larger file. */
static int read_evidence_file(const char *path, char **data, size_t *size) {
  *data = NULL;
  *size = 0;
  FILE *f = fopen(path, "rb");
  if (!f) return cli_fail("record", "--file %s: cannot open it: %m", path);
  size_t cap = 65536;
  char *buf = malloc(cap);
  if (!buf) abort();
  for (;;) {
    if (*size == cap) {
      if (cap > REC_EVIDENCE_MAX_BYTES) break;
      cap = cap * 2 > (size_t)REC_EVIDENCE_MAX_BYTES + 1 ? (size_t)REC_EVIDENCE_MAX_BYTES + 1
                                                         : cap * 2;
      char *bigger = realloc(buf, cap);
      if (!bigger) abort();
      buf = bigger;
    }
    size_t got = fread(buf + *size, 1, cap - *size, f);
    *size += got;
    if (got == 0) break;
  }
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    free(buf);
    return cli_fail("record", "--file %s: cannot read it", path);
  }
  *data = buf;
  return -1;
}

static int do_evidence(int argc, char **argv) {
  record_opts o;
  int rc = parse("evidence", OPT_YEAR | OPT_TITLE | OPT_NOTE | OPT_FILE, argc, argv, &o);
  if (rc >= 0) return rc;
  if (optind + 2 != argc) return cli_usage("record", "evidence takes ENTITY and ITEM");
  char *data = NULL;
  size_t size = 0;
  if (o.file && (rc = read_evidence_file(o.file, &data, &size)) >= 0) return rc;
  session s;
  if ((rc = session_open(&s, &o, argv[optind])) >= 0) {
    free(data);
    return rc;
  }
  const char *item = argv[optind + 1];
  ht_err err = {0};
  int64_t id = 0;
  rc = rec_evidence_add(s.d, &s.who, &s.target, item, o.note, o.file, data, size, &id, &err);
  if (rc != HT_OK) {
    rc = cli_fail("record", "%s; nothing was added", err.msg);
  } else {
    printf("Evidence %lld added to %s of %s %d %s (%s)%s%s.\n", (long long)id, item,
           s.target.title->key, s.target.year, s.target.display, s.target.label,
           o.file ? " with the file " : "", o.file ? o.file : "");
    rc = EXIT_OK;
  }
  free(data);
  session_close(&s);
  return rc;
}

/* submit, accept, return, unlock: one step of the workflow (model/workflow.h). */
static int do_step(const char *sub, int argc, char **argv) {
  record_opts o;
  unsigned allowed = OPT_YEAR | OPT_TITLE;
  if (!strcmp(sub, "accept") || !strcmp(sub, "return")) allowed |= OPT_COMMENT;
  if (!strcmp(sub, "unlock")) allowed |= OPT_REASON;
  int rc = parse(sub, allowed, argc, argv, &o);
  if (rc >= 0) return rc;
  if (optind + 1 != argc)
    return cli_usage("record", "%s takes one ENTITY, not also '%s'", sub, argv[optind + 1]);
  session s;
  if ((rc = session_open(&s, &o, argv[optind])) >= 0) return rc;
  ht_err err = {0};
  if (!strcmp(sub, "submit"))
    rc = wf_submit(s.d, &s.who, &s.target, &s.problems, &err);
  else if (!strcmp(sub, "unlock"))
    rc = wf_unlock(s.d, &s.who, &s.target, o.reason, &err);
  else
    rc = wf_review(s.d, &s.who, &s.target, !strcmp(sub, "accept"), o.comment, &err);
  if (rc == HT_EINVAL && s.problems.kept) {
    for (long i = 0; i < s.problems.kept; i++)
      fprintf(stderr, "hoctap record %s: %s: %s\n", sub, s.problems.items[i].field,
              s.problems.items[i].msg);
    fprintf(stderr, "hoctap record %s: %ld problem(s); nothing was changed.\n", sub,
            s.problems.count);
    rc = EXIT_RUNTIME;
  } else if (rc != HT_OK) {
    rc = cli_fail("record", "%s: %s; nothing was changed", sub, err.msg);
  } else {
    rec_record r;
    rec_get(s.d, &s.target, &s.a, &r);
    printf("%s %d %s (%s) is now %s\n", s.target.title->key, s.target.year, s.target.display,
           s.target.label, r.stage);
    rc = EXIT_OK;
  }
  session_close(&s);
  return rc;
}

static int do_override(int argc, char **argv) {
  record_opts o;
  int rc = parse(
      "override",
      OPT_YEAR | OPT_TITLE | OPT_POINTS | OPT_LEVEL | OPT_PASS | OPT_REASON | OPT_BY | OPT_CLEAR,
      argc, argv, &o);
  if (rc >= 0) return rc;
  if (optind + 2 != argc) return cli_usage("record", "override takes ENTITY and ITEM");
  unsigned kinds = o.given & (OPT_POINTS | OPT_LEVEL | OPT_PASS);
  int clear = (o.given & OPT_CLEAR) != 0;
  if (clear && (kinds || (o.given & (OPT_REASON | OPT_BY))))
    return cli_usage("record", "--clear takes no --points, --level, --pass, --reason or --by");
  if (!clear && (kinds == 0 || (kinds & (kinds - 1))))
    return cli_usage("record",
                     "override needs exactly one of --points N, --level N, --pass "
                     "yes|no (or --clear)");
  session s;
  if ((rc = session_open(&s, &o, argv[optind])) >= 0) return rc;
  const char *item = argv[optind + 1];
  ht_err err = {0};
  if (clear) {
    int cleared = 0;
    rc = rec_override_clear(s.d, &s.who, &s.target, item, &cleared, &err);
    if (rc == HT_OK)
      printf(cleared ? "Override of %s cleared for %s %d %s.\n"
                     : "No override of %s to clear for %s %d %s.\n",
             item, s.target.title->key, s.target.year, s.target.display);
  } else {
    rec_override ov = {.item = item, .reason = o.reason, .by_name = o.by};
    ov.kind = kinds == OPT_POINTS  ? REC_OVR_POINTS
              : kinds == OPT_LEVEL ? REC_OVR_LEVEL
                                   : REC_OVR_PASS;
    ov.points = o.points;
    ov.level = o.level;
    ov.passed = o.passed;
    rc = rec_override_set(s.d, &s.who, &s.target, &ov, &err);
    char buf[64];
    if (rc == HT_OK)
      printf("Override of %s set for %s %d %s: %s.\n", item, s.target.title->key, s.target.year,
             s.target.display, override_text(&ov, buf, sizeof buf));
  }
  if (rc != HT_OK) rc = cli_fail("record", "%s; nothing was changed", err.msg);
  session_close(&s);
  return rc == HT_OK ? EXIT_OK : rc;
}

int cmd_record(int argc, char **argv) {
  if (argc < 2) return cli_usage("record", "a subcommand is needed: show, set, evidence, override");
  const char *sub = argv[1];
  if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help")) {
    help();
    return EXIT_OK;
  }
  if (!strcmp(sub, "show")) return do_show(argc - 1, argv + 1);
  if (!strcmp(sub, "set")) return do_set(argc - 1, argv + 1);
  if (!strcmp(sub, "evidence")) return do_evidence(argc - 1, argv + 1);
  if (!strcmp(sub, "override")) return do_override(argc - 1, argv + 1);
  if (!strcmp(sub, "submit") || !strcmp(sub, "accept") || !strcmp(sub, "return") ||
      !strcmp(sub, "unlock"))
    return do_step(sub, argc - 1, argv + 1);
  return cli_usage("record", "unknown subcommand '%s'; use show, set, evidence or override", sub);
}
