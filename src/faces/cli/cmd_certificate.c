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
      "                           a province's own\n\n"
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

typedef struct sample_person {
  const char *given;
  int female;
} sample_person;

/* Made-up people and places shaped like Hai Phong's; page i takes family
 * name i % 10 and given name i % 25, so 50 pages have 50 different names. */
static const char *const families[] = {"Nguyễn", "Trần", "Lê",  "Phạm", "Hoàng",
                                       "Vũ",     "Đặng", "Bùi", "Đỗ",   "Ngô"};
static const sample_person givens[] = {
    {"Văn An", 0},    {"Thị Bích", 1}, {"Đức Cường", 0}, {"Thị Dung", 1},   {"Minh Đức", 0},
    {"Thu Hà", 1},    {"Văn Hải", 0},  {"Thị Hương", 1}, {"Quang Huy", 0},  {"Thị Lan", 1},
    {"Văn Long", 0},  {"Thị Mai", 1},  {"Văn Nam", 0},   {"Thị Ngọc", 1},   {"Đình Phúc", 0},
    {"Thị Quyên", 1}, {"Văn Sơn", 0},  {"Thị Thảo", 1},  {"Xuân Thắng", 0}, {"Thị Uyên", 1},
    {"Văn Việt", 0},  {"Thị Xuân", 1}, {"Đức Thịnh", 0}, {"Thị Yến", 1},    {"Văn Khánh", 0}};
static const char *const villages[] = {"Thôn Đông", "Thôn Tây", "Thôn Trung Hà", "Thôn Lạng Côn",
                                       "Tổ dân phố Tân Dương"};

static void sample_code(size_t i, char *buf, size_t size) {
  static const char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"; /* no 0/O, 1/I/L */
  unsigned long x = 2654435761UL * (unsigned long)(i + 7) ^ 0x5bd1e995UL;
  char part[9];
  for (int k = 0; k < 8; k++) {
    part[k] = alphabet[x % (sizeof alphabet - 1)];
    x /= sizeof alphabet - 1;
    if (!x) x = 0x9e3779b9UL + (unsigned long)k * 7919UL + i;
  }
  snprintf(buf, size, "HP25-%.4s-%.4s", part, part + 4);
}

/* Sample certificate i: mostly households, with a citizen, a clan and a
 * learning unit among them (the last with a long name and address, to show
 * how long text fits). Strings come from a. */
static void sample_cert(size_t i, arena *a, cert_data *d) {
  memset(d, 0, sizeof *d);
  const char *family = families[i % 10];
  const sample_person *p = &givens[i % 25];
  const char *village = villages[i % 5];
  char code[32];
  sample_code(i, code, sizeof code);
  d->code = arena_strdup(a, code);
  d->verify_url = arena_sprintf(a, "https://hoctap.example/xac-thuc/%s", code);
  d->issuer_parent = "UBND THÀNH PHỐ HẢI PHÒNG";
  d->issuer = "ỦY BAN NHÂN DÂN XÃ AN LÃO";
  d->year = 2025;
  d->decision_number = "125/QĐ-UBND";
  d->decision_date = "2025-12-10";
  d->place = "An Lão";
  d->signer_position = "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH";
  d->signer_name = "Trần Văn Bình";
  d->address = arena_sprintf(a, "%s, xã An Lão, thành phố Hải Phòng", village);
  switch (i % 6) {
    case 2:
      d->title_name = "Công dân học tập";
      d->recipient = arena_sprintf(a, "%s %s %s", p->female ? "Bà" : "Ông", family, p->given);
      break;
    case 4:
      d->title_name = "Dòng họ học tập";
      d->recipient = arena_sprintf(a, "Dòng họ %s (chi trưởng ông %s %s)", family, family,
                                   p->female ? "Văn Tường" : p->given);
      d->valid_until = "2027-12-31";
      break;
    case 5:
      d->title_name = "Đơn vị học tập";
      d->recipient = arena_sprintf(
          a,
          "Trường Trung học cơ sở Nguyễn Bỉnh Khiêm phân hiệu %s (đại diện ông/bà %s %s, "
          "Hiệu trưởng)",
          village, family, p->given);
      d->address = arena_sprintf(a,
                                 "Số %zu đường Nguyễn Văn Linh, %s, xã An Lão, thành phố Hải "
                                 "Phòng (trước đây là thị trấn An Lão, huyện An Lão)",
                                 i + 12, village);
      d->valid_until = "2028-12-31";
      break;
    default:
      d->title_name = "Gia đình học tập";
      d->recipient = arena_sprintf(a, "Gia đình ông/bà %s %s", family, p->given);
      d->level = 1 + (int)(i % 2);
  }
}

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
    for (long i = 0; i < o.count; i++) sample_cert((size_t)i, &a, &certs[i]);
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
  return cli_usage("certificate",
                   "unknown subcommand '%s'; use sample, template-check or template-default", sub);
}
