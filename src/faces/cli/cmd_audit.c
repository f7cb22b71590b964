/* cmd_audit.c - hoctap audit verify|list: check the hash chain of the audit
 * trail and read it (docs/access.md, "Audit"). */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/date.h"
#include "faces/cli/cli.h"
#include "model/audit.h"

static void help(void) {
  printf(
      "Usage: hoctap audit verify [--db PATH] [--head SEQ:HASH]\n"
      "       hoctap audit list [--db PATH] [--actor NAME] [--action A] [--object KIND:ID]\n"
      "                         [--entity CODE] [--limit N] [--format table|json]\n\n"
      "verify walks the whole trail and reports every entry that was modified,\n"
      "deleted, inserted or moved, by its number; it exits 1 when it finds one. It\n"
      "prints the newest entry's number and hash: keep them elsewhere and pass them\n"
      "later as --head to prove the trail still contains that entry unchanged.\n"
      "list prints entries, newest first; --entity CODE the entries about a household,\n"
      "person (P<id>), clan, organisation or unit and about its yearly records.\n");
}

static int verify(db *d, const char *head) {
  arena a;
  arena_init(&a, 0);
  audit_report rep;
  ht_err err = {0};
  if (audit_verify(d, &a, &rep, &err)) {
    arena_free(&a);
    return cli_fail("audit", "%s", err.msg);
  }
  size_t problems = rep.nproblems;
  for (size_t i = 0; i < rep.nproblems; i++)
    fprintf(stderr, "hoctap audit: entry %lld: %s: %s\n", (long long)rep.problems[i].seq,
            rep.problems[i].kind, rep.problems[i].message);
  if (head) {
    long long seq = strtoll(head, NULL, 10);
    const char *hash = strchr(head, ':');
    db_stmt *s;
    int found = 0;
    if (hash && db_prepare(d, "SELECT hash FROM audit WHERE prov = $1 AND seq = $2", &s) == HT_OK) {
      db_bind_int64(s, 1, db_prov(d));
      db_bind_int64(s, 2, seq);
      found = db_step(s) == DB_ROW && strcmp(db_col_text(s, 0), hash + 1) == 0;
      db_finalize(s);
    }
    if (!found) {
      fprintf(stderr,
              "hoctap audit: entry %lld: the hash kept as --head is not in the trail: "
              "the trail was rewritten\n",
              seq);
      problems++;
    }
  }
  if (problems) {
    fprintf(stderr, "hoctap audit: %zu problem%s in %lld entries; the trail was tampered with\n",
            problems, problems == 1 ? "" : "s", (long long)rep.entries);
    arena_free(&a);
    return EXIT_RUNTIME;
  }
  printf("Audit trail intact: %lld entries.\nNewest entry: %lld:%s\n", (long long)rep.entries,
         (long long)rep.head_seq, rep.head_seq ? rep.head_hash : "-");
  arena_free(&a);
  return EXIT_OK;
}

static int list(db *d, audit_filter *f, int json) {
  arena a;
  arena_init(&a, 0);
  audit_row *rows;
  size_t n;
  int64_t total;
  ht_err err = {0};
  if (audit_list(d, f, &a, &rows, &n, &total, &err)) {
    arena_free(&a);
    return cli_fail("audit", "%s", err.msg);
  }
  json_t *arr = json ? json_array() : NULL;
  for (size_t i = 0; i < n; i++) {
    const audit_row *r = &rows[i];
    time_t t = (time_t)(r->at / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    char at[32];
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (json) {
      json_t *o =
          json_pack("{sIssssssssssssssss}", "seq", (json_int_t)r->seq, "at", at, "actor", r->actor,
                    "addr", r->addr, "action", r->action, "object_kind", r->object_kind,
                    "object_id", r->object_id, "unit_code", r->unit_code, "hash", r->hash);
      json_object_set_new(o, "before", r->before_json ? json_string(r->before_json) : json_null());
      json_object_set_new(o, "after", r->after_json ? json_string(r->after_json) : json_null());
      json_array_append_new(arr, o);
    } else {
      printf("%6lld %s %-16s %-15s %-20s %s:%s %s\n", (long long)r->seq, at, r->actor, r->addr,
             r->action, r->object_kind, r->object_id, r->after_json ? r->after_json : "");
    }
  }
  if (json) cli_print_json(arr);
  arena_free(&a);
  return EXIT_OK;
}

int cmd_audit(int argc, char **argv) {
  static const struct option opts[] = {
      {"db", required_argument, 0, 'd'},     {"head", required_argument, 0, 'H'},
      {"actor", required_argument, 0, 'a'},  {"action", required_argument, 0, 'c'},
      {"object", required_argument, 0, 'o'}, {"entity", required_argument, 0, 'e'},
      {"limit", required_argument, 0, 'l'},  {"format", required_argument, 0, 'f'},
      {"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
  const char *dbpath = NULL, *head = NULL, *format = NULL, *object = NULL;
  audit_filter f = {0};
  f.limit = 50;
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (c) {
      case 'd': dbpath = optarg; break;
      case 'H': head = optarg; break;
      case 'a': f.actor = optarg; break;
      case 'c': f.action = optarg; break;
      case 'o': object = optarg; break;
      case 'e': f.entity = optarg; break;
      case 'l': {
        char *end;
        long n = strtol(optarg, &end, 10);
        if (*end || n < 1 || n > 1000000)
          return cli_usage("audit", "--limit must be a number from 1 to 1000000, not '%s'", optarg);
        f.limit = n;
        break;
      }
      case 'f': format = optarg; break;
      case 'h': help(); return EXIT_OK;
      default: return cli_usage("audit", "unknown or incomplete option '%s'", argv[optind - 1]);
    }
  }
  if (optind >= argc) return cli_usage("audit", "which command? verify or list");
  const char *sub = argv[optind];
  if (optind + 1 < argc) return cli_usage("audit", "unexpected argument '%s'", argv[optind + 1]);
  if (strcmp(sub, "verify") && strcmp(sub, "list"))
    return cli_usage("audit", "unknown command '%s'", sub);
  if (head && !strchr(head, ':'))
    return cli_usage("audit", "--head must be SEQ:HASH as 'audit verify' printed it");
  char kind[64];
  if (object) {
    const char *colon = strchr(object, ':');
    if (!colon || (size_t)(colon - object) >= sizeof kind)
      return cli_usage("audit", "--object must be KIND:ID, e.g. user:quantri");
    memcpy(kind, object, (size_t)(colon - object));
    kind[colon - object] = 0;
    f.object_kind = kind;
    f.object_id = colon + 1;
  }
  int json = format ? cli_parse_format(format) : 0;
  if (json < 0) return cli_usage("audit", "--format must be table or json, not '%s'", format);
  db *d;
  int rc = cli_open_db("audit", dbpath, &d);
  if (rc) return rc;
  rc = strcmp(sub, "verify") == 0 ? verify(d, head) : list(d, &f, json);
  db_close(d);
  return rc;
}
