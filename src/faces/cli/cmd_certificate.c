/* cmd_certificate.c - hoctap certificate: preview a certificate template with
 * sample data, check a template file, print the default template
 * (services/certificate.h, docs/certificates.md). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "faces/cli/cli.h"
#include "criteria/crit_defaults.h"
#include "model/workflow.h"
#include "services/cert_print.h"
#include "services/certificate.h"

#define SAMPLE_MAX 50

static void help(void) {
  printf(
      "Usage: hoctap certificate SUBCOMMAND [OPTIONS]\n\n"
      "  sample [--template FILE] [--count N] -o OUT.pdf\n"
      "                           render N certificates of recognition (default 1, at\n"
      "                           most %d) with made-up sample data, one page each, to\n"
      "                           preview a template (default: the shipped one)\n"
      "  template-check FILE      check a template file; prints 'ok' or every problem\n"
      "                           as FILE:LINE: message (exit 1)\n"
      "  template-default         print the shipped template, a starting point for\n"
      "                           a province's own\n"
      "  template-show [--db PATH]          the template in force\n"
      "  template-import FILE [--db PATH]   check FILE and make it the template in\n"
      "                           force (audited); nothing changes on a problem\n"
      "  template-reset [--db PATH]         back to the shipped template (audited)\n"
      "  print (--decision ID | CODE...) --url BASE -o OUT.pdf [--db PATH]\n"
      "                           print issued certificates: every valid one of a\n"
      "                           decision, or the codes given; BASE is the address\n"
      "                           citizens reach the server at (the QR codes point at\n"
      "                           BASE/verify/CODE). Each print is audited.\n\n"
      "A template is UTF-8 text, one 'key = value' a line; docs/certificates.md\n"
      "lists the keys and the {placeholders} of the wording.\n",
      SAMPLE_MAX);
}

static void print_problems(issues *l) {
  issues_sort(l);
  for (long i = 0; i < l->kept; i++) {
    const issue *it = &l->items[i];
    fprintf(stderr, "%s:%ld: %s\n", it->file ? it->file : "?", it->row, it->msg);
  }
  if (l->count > l->kept) fprintf(stderr, "... and %ld more problem(s)\n", l->count - l->kept);
}

/* Reads a whole file into a (NUL-terminated); NULL with a message on failure. */
static char *read_file(const char *path, size_t *len, arena *a, const char *what) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    cli_fail("certificate", "%s %s: cannot read the file: %s", what, path, strerror(errno));
    return NULL;
  }
  strbuf b = STRBUF_INIT;
  char buf[8192];
  size_t got;
  /* a template is small; stop reading well past the parser's limit */
  while ((got = fread(buf, 1, sizeof buf, f)) > 0 && b.len <= (1 << 20))
    strbuf_append(&b, buf, got);
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    strbuf_free(&b);
    cli_fail("certificate", "%s %s: cannot read the file", what, path);
    return NULL;
  }
  *len = b.len;
  char *copy = arena_strndup(a, b.data ? b.data : "", b.len);
  strbuf_free(&b);
  return copy;
}

/* Parses the template at path into t; an exit status (problems printed) or -1. */
static int load_template(const char *path, const char *what, arena *a, cert_template *t) {
  size_t len;
  char *text = read_file(path, &len, a, what);
  if (!text) return EXIT_RUNTIME;
  issues problems;
  issues_init(&problems, a);
  if (cert_template_parse(path, text, len, a, t, &problems) != HT_OK) {
    print_problems(&problems);
    fprintf(stderr, "hoctap certificate: %s %s: %ld problem(s) found.\n", what, path,
            problems.count);
    return EXIT_RUNTIME;
  }
  return -1;
}

static int do_check(int argc, char **argv) {
  if (argc < 2) return cli_usage("certificate", "template-check needs a FILE");
  if (argc > 2) return cli_usage("certificate", "unexpected argument '%s'", argv[2]);
  arena a;
  arena_init(&a, 0);
  cert_template t;
  int rc = load_template(argv[1], "template", &a, &t);
  if (rc < 0) {
    printf("ok\n");
    rc = EXIT_OK;
  }
  arena_free(&a);
  return rc;
}

static int do_default(int argc, char **argv) {
  if (argc > 1) return cli_usage("certificate", "unexpected argument '%s'", argv[1]);
  size_t len;
  const char *text = cert_template_default_text(&len);
  fwrite(text, 1, len, stdout);
  return EXIT_OK;
}

/* ------------------------------------------------------------ samples */

typedef struct sample_opts {
  const char *template_path, *output;
  long count;
} sample_opts;

static int parse_sample(int argc, char **argv, sample_opts *o) {
  static const struct option opts[] = {{"template", required_argument, 0, 't'},
                                       {"count", required_argument, 0, 'n'},
                                       {"output", required_argument, 0, 'o'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  memset(o, 0, sizeof *o);
  o->count = 1;
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
    char *end;
    switch (c) {
      case 't': o->template_path = optarg; break;
      case 'n':
        o->count = strtol(optarg, &end, 10);
        if (!*optarg || *end || o->count < 1 || o->count > SAMPLE_MAX)
          return cli_usage("certificate", "--count must be a number from 1 to %d, not '%s'",
                           SAMPLE_MAX, optarg);
        break;
      case 'o': o->output = optarg; break;
      case 'h': help(); return EXIT_OK;
      default:
        return cli_usage("certificate", "unknown or incomplete option '%s'", argv[optind - 1]);
    }
  }
  if (optind < argc) return cli_usage("certificate", "unexpected argument '%s'", argv[optind]);
  if (!o->output || !*o->output) return cli_usage("certificate", "-o OUT.pdf is needed");
  if (o->template_path && !*o->template_path)
    return cli_usage("certificate", "--template needs a FILE");
  return -1;
}

/* Writes data to path through a temporary file next to it, so a failure
 * never leaves half a file under the name asked for. */
static int write_whole(const char *path, const char *data, size_t len, ht_err *err) {
  char *tmp = malloc(strlen(path) + 6);
  if (!tmp) return ht_err_set(err, HT_ENOMEM, "out of memory");
  sprintf(tmp, "%s.part", path);
  FILE *f = fopen(tmp, "wb");
  int rc = HT_OK;
  if (!f) {
    rc = ht_err_set(err, HT_EIO, "-o %s: cannot write the file: %s", path, strerror(errno));
  } else {
    int bad = fwrite(data, 1, len, f) != len;
    if (fclose(f) != 0) bad = 1;
    if (bad || rename(tmp, path) != 0) {
      rc = ht_err_set(err, HT_EIO, "-o %s: cannot write the file: %s", path, strerror(errno));
      unlink(tmp);
    }
  }
  free(tmp);
  return rc;
}

static int do_sample(int argc, char **argv) {
  sample_opts o;
  int rc = parse_sample(argc, argv, &o);
  if (rc >= 0) return rc;
  arena a;
  arena_init(&a, 0);
  cert_template t;
  cert_template_default(&t);
  if (o.template_path) rc = load_template(o.template_path, "--template", &a, &t);
  if (rc < 0) {
    cert_data *certs = arena_alloc(&a, (size_t)o.count * sizeof *certs);
    for (long i = 0; i < o.count; i++) cert_sample((size_t)i, &a, &certs[i]);
    strbuf pdf = STRBUF_INIT;
    ht_err err = {0};
    if (cert_render_pdf(&t, certs, (size_t)o.count, &pdf, &err) != HT_OK ||
        write_whole(o.output, pdf.data, pdf.len, &err) != HT_OK) {
      rc = cli_fail("certificate", "%s", err.msg);
    } else {
      printf("%ld sample certificate(s) written to %s (%zu bytes).\n", o.count, o.output, pdf.len);
      rc = EXIT_OK;
    }
    strbuf_free(&pdf);
  }
  arena_free(&a);
  return rc;
}

/* --db PATH, --decision ID, --url BASE, -o OUT and positional codes/files. */
typedef struct db_opts {
  const char *db, *decision, *url, *output;
  int npos;
  const char *pos[64];
} db_opts;

static int parse_db_opts(const char *sub, int argc, char **argv, db_opts *o, int allow_print) {
  memset(o, 0, sizeof *o);
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char **slot = !strcmp(a, "--db")                                            ? &o->db
                        : allow_print && !strcmp(a, "--decision")                     ? &o->decision
                        : allow_print && !strcmp(a, "--url")                          ? &o->url
                        : allow_print && (!strcmp(a, "-o") || !strcmp(a, "--output")) ? &o->output
                                                                                      : NULL;
    if (slot) {
      if (i + 1 >= argc) return cli_usage("certificate", "%s: %s needs a value", sub, a);
      *slot = argv[++i];
    } else if (a[0] == '-') {
      return cli_usage("certificate", "%s: unknown option '%s'", sub, a);
    } else if (o->npos < 64) {
      o->pos[o->npos++] = a;
    } else {
      return cli_usage("certificate", "%s: at most 64 codes at once", sub);
    }
  }
  return -1;
}

static int do_template_db(const char *sub, int argc, char **argv) {
  db_opts o;
  int rc = parse_db_opts(sub, argc, argv, &o, 0);
  if (rc >= 0) return rc;
  int import = !strcmp(sub, "template-import");
  if (import != (o.npos == 1))
    return cli_usage("certificate",
                     import ? "template-import needs the FILE to read" : "%s takes no FILE", sub);
  arena a;
  arena_init(&a, 0);
  size_t len = 0;
  char *text = import ? read_file(o.pos[0], &len, &a, "template") : NULL;
  if (import && !text) {
    arena_free(&a);
    return EXIT_RUNTIME;
  }
  db *d;
  if ((rc = cli_open_db("certificate", o.db, &d)) != 0) {
    arena_free(&a);
    return rc;
  }
  char who_name[64];
  audit_actor who = audit_cli_actor(who_name);
  ht_err err = {0};
  rc = EXIT_OK;
  if (import) {
    issues p;
    issues_init(&p, &a);
    p.file = o.pos[0];
    int r2 = cert_template_store(d, &who, text, len, &p, &err);
    if (r2 == HT_EINVAL) {
      print_problems(&p);
      fprintf(stderr, "hoctap certificate: %ld problem(s); the template was not changed.\n",
              p.count);
      rc = EXIT_RUNTIME;
    } else if (r2) {
      rc = cli_fail("certificate", "%s", err.msg);
    } else {
      printf("The certificate template of %s is now in force.\n", o.pos[0]);
    }
  } else if (!strcmp(sub, "template-reset")) {
    if (cert_template_reset(d, &who, &err))
      rc = cli_fail("certificate", "%s", err.msg);
    else
      printf("The shipped certificate template is in force.\n");
  } else {
    cert_template t;
    const char *cur = NULL;
    if (cert_template_load(d, &a, &t, &cur, NULL, &err)) {
      rc = cli_fail("certificate", "%s", err.msg);
    } else {
      strbuf b = STRBUF_INIT;
      cert_template_format(&t, &b);
      fputs(strbuf_cstr(&b), stdout);
      strbuf_free(&b);
    }
  }
  db_close(d);
  arena_free(&a);
  return rc;
}

static int do_print(int argc, char **argv) {
  db_opts o;
  int rc = parse_db_opts("print", argc, argv, &o, 1);
  if (rc >= 0) return rc;
  if (!o.output) return cli_usage("certificate", "print needs -o OUT.pdf");
  if (!o.url || strncmp(o.url, "http", 4) != 0)
    return cli_usage("certificate",
                     "print needs --url BASE, the address citizens reach the server at (e.g. "
                     "https://hoctap.haiphong.gov.vn); the QR codes point at BASE/verify/CODE");
  if (!o.decision == !o.npos)
    return cli_usage("certificate", "print needs --decision ID or certificate CODEs (not both)");
  db *d;
  if ((rc = cli_open_db("certificate", o.db, &d)) != 0) return rc;
  arena a;
  arena_init(&a, 0);
  crit_set set;
  crit_set_init(&set);
  issues cp;
  issues_init(&cp, &a);
  crit_load_defaults(&set, &cp);
  wf_certificate *certs = NULL;
  size_t n = 0;
  rc = EXIT_OK;
  if (o.decision) {
    char *end;
    long long id = strtoll(o.decision, &end, 10);
    wf_decision dec;
    if (*end || wf_decision_get(d, id, &a, &dec) != HT_OK) {
      rc = cli_fail("certificate", "--decision %s: no such decision; see 'hoctap decision list'",
                    o.decision);
    } else if (wf_certificates_of(d, id, &a, &certs, &n)) {
      rc = cli_fail("certificate", "cannot read the certificates: %s", db_errmsg(d));
    } else {
      size_t k = 0;
      for (size_t i = 0; i < n; i++)
        if (!certs[i].revoked_at) certs[k++] = certs[i];
      n = k;
      if (!n) rc = cli_fail("certificate", "decision %s has no valid certificate", o.decision);
    }
  } else {
    certs = arena_calloc(&a, (size_t)o.npos * sizeof *certs);
    for (int i = 0; i < o.npos && rc == EXIT_OK; i++) {
      if (wf_certificate_get(d, o.pos[i], &a, &certs[n]) != HT_OK)
        rc = cli_fail("certificate", "%s: no certificate has this code", o.pos[i]);
      else if (certs[n].revoked_at)
        rc = cli_fail("certificate", "%s: the certificate was revoked (%s)", o.pos[i],
                      certs[n].revoked_reason);
      else
        n++;
    }
  }
  strbuf pdf = STRBUF_INIT;
  ht_err err = {0};
  size_t ulen = strlen(o.url);
  while (ulen && o.url[ulen - 1] == '/') ulen--;
  const char *base = arena_strndup(&a, o.url, ulen);
  if (rc == EXIT_OK && cert_print(d, &set, certs, n, base, &pdf, &err))
    rc = cli_fail("certificate", "%s", err.msg);
  if (rc == EXIT_OK) {
    FILE *f = fopen(o.output, "wb");
    if (!f || fwrite(pdf.data, 1, pdf.len, f) != pdf.len || fclose(f) != 0) {
      rc = cli_fail("certificate", "-o %s: cannot write the file: %s", o.output, strerror(errno));
      unlink(o.output);
    } else {
      char who_name[64];
      audit_actor who = audit_cli_actor(who_name);
      strbuf codes = STRBUF_INIT;
      for (size_t i = 0; i < n; i++) strbuf_printf(&codes, "%s\"%s\"", i ? "," : "", certs[i].code);
      char *after = arena_sprintf(&a, "{\"codes\":[%s],\"pages\":%zu}", strbuf_cstr(&codes), n);
      strbuf_free(&codes);
      audit_entry e = {"certificate.print",
                       o.decision ? "decision" : "certificate",
                       o.decision ? o.decision : certs[0].code,
                       o.decision ? "" : certs[0].place,
                       NULL,
                       after};
      if (audit_append_tx(d, &who, &e, &err) != HT_OK)
        rc = cli_fail("certificate", "cannot audit the print: %s", err.msg);
      else
        printf("%zu certificate(s) written to %s.\n", n, o.output);
    }
  }
  strbuf_free(&pdf);
  crit_set_free(&set);
  arena_free(&a);
  db_close(d);
  return rc;
}

int cmd_certificate(int argc, char **argv) {
  if (argc < 2)
    return cli_usage("certificate",
                     "a subcommand is needed: sample, "
                     "template-check or template-default");
  const char *sub = argv[1];
  if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help")) {
    help();
    return EXIT_OK;
  }
  if (!strcmp(sub, "sample")) return do_sample(argc - 1, argv + 1);
  if (!strcmp(sub, "template-check")) return do_check(argc - 1, argv + 1);
  if (!strcmp(sub, "template-default")) return do_default(argc - 1, argv + 1);
  if (!strcmp(sub, "template-show") || !strcmp(sub, "template-import") ||
      !strcmp(sub, "template-reset"))
    return do_template_db(sub, argc - 1, argv + 1);
  if (!strcmp(sub, "print")) return do_print(argc - 1, argv + 1);
  return cli_usage("certificate",
                   "unknown subcommand '%s'; use sample, print, template-check, template-default, "
                   "template-show, template-import or template-reset",
                   sub);
}
