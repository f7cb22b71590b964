/* cmd_fund_docs.c - the documents of `hoctap fund` (services/fund_docs.h,
 * docs/funds.md "Documents"): a donation receipt, the statement of a period,
 * the transparency report. Listed in cmd_fund_extra.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/date.h"
#include "faces/cli/cli.h"
#include "faces/cli/cmd_fund.h"
#include "services/fund_docs.h"

/* argv with "-o" spelled "--output", so fund_opts_parse takes both (from a). */
static char **long_output(int argc, char **argv, arena *a) {
  char **out = arena_alloc(a, (size_t)(argc + 1) * sizeof *out);
  for (int i = 0; i < argc; i++) out[i] = !strcmp(argv[i], "-o") ? "--output" : argv[i];
  out[argc] = NULL;
  return out;
}

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && !strcmp(s + n - k, suffix);
}

/* Writes bytes to path through a temporary file, so a failure leaves no half file. */
static int write_file(const char *path, const char *data, size_t len) {
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "wb");
  if (!f) return cli_fail("fund", "cannot write %s: %s", path, strerror(errno));
  int bad = fwrite(data, 1, len, f) != len;
  bad |= fclose(f) != 0;
  if (bad || rename(tmp, path)) {
    remove(tmp);
    return cli_fail("fund", "cannot write %s: %s", path, strerror(errno));
  }
  return EXIT_OK;
}

/* --from and --to, by default the current year; 0, or EXIT_USAGE printed. */
static int period(const fund_opts *o, const char **from, const char **to, char buf[2][11]) {
  int year = date_year(date_today());
  *from = fund_opt(o, "from");
  *to = fund_opt(o, "to");
  int32_t day;
  if (!*from) *from = date_format(date_from_ymd(year, 1, 1), buf[0]);
  if (!*to) *to = date_format(date_from_ymd(year, 12, 31), buf[1]);
  if (date_parse(*from, &day))
    return cli_usage("fund", "--from must be a date YYYY-MM-DD, not '%s'", *from);
  if (date_parse(*to, &day))
    return cli_usage("fund", "--to must be a date YYYY-MM-DD, not '%s'", *to);
  if (strcmp(*from, *to) > 0)
    return cli_usage("fund", "the period starts (%s) after it ends (%s)", *from, *to);
  return 0;
}

int fund_cli_receipt_pdf(int argc, char **argv) {
  static const char *const allowed[] = {"output", NULL};
  arena a;
  arena_init(&a, 0);
  fund_opts o;
  int rc = EXIT_USAGE;
  if (fund_opts_parse(&o, argc, long_output(argc, argv, &a), 2, allowed, NULL)) goto out;
  const char *path = fund_opt(&o, "output");
  char *end = NULL;
  long long id = o.npos == 1 ? strtoll(o.pos[0], &end, 10) : 0;
  if (o.npos != 1 || *end || id <= 0) {
    rc = cli_usage("fund", "receipt-pdf needs the number of a receipt's entry");
    goto out;
  }
  if (!path || !ends_with(path, ".pdf")) {
    rc = cli_usage("fund", "receipt-pdf needs -o FILE.pdf");
    goto out;
  }
  db *d;
  if (fund_open(&o, &d)) {
    rc = EXIT_RUNTIME;
    goto out;
  }
  strbuf pdf = STRBUF_INIT;
  ht_err err = {0};
  if (fund_receipt_pdf(d, id, &pdf, &err) != HT_OK) {
    rc = cli_fail("fund", "%s", err.msg);
  } else if ((rc = write_file(path, pdf.data, pdf.len)) == EXIT_OK) {
    printf("Wrote the receipt of entry %lld to %s.\n", id, path);
  }
  strbuf_free(&pdf);
  db_close(d);
out:
  arena_free(&a);
  return rc;
}

/* statement and transparency: CODE [--from D] [--to D] -o FILE */
static int period_document(int argc, char **argv, int public_form) {
  static const char *const allowed[] = {"output", "from", "to", "url", NULL};
  arena a;
  arena_init(&a, 0);
  fund_opts o;
  int rc = EXIT_USAGE;
  const char *what = public_form ? "transparency" : "statement";
  if (fund_opts_parse(&o, argc, long_output(argc, argv, &a), 2, allowed, NULL)) goto out;
  const char *path = fund_opt(&o, "output"), *from, *to;
  char buf[2][11];
  if (o.npos != 1) {
    rc = cli_usage("fund", "%s needs the fund's code", what);
    goto out;
  }
  int xlsx = path && ends_with(path, ".xlsx");
  if (!path || !(ends_with(path, ".pdf") || (xlsx && !public_form))) {
    rc = cli_usage("fund", "%s needs -o FILE.pdf%s", what, public_form ? "" : " or FILE.xlsx");
    goto out;
  }
  if (period(&o, &from, &to, buf)) goto out;
  db *d;
  if (fund_open(&o, &d)) {
    rc = EXIT_RUNTIME;
    goto out;
  }
  fund_summary s;
  ht_err err = {0};
  strbuf pdf = STRBUF_INIT;
  int pages = 0;
  if (fund_summary_load(d, o.pos[0], from, to, public_form ? FUND_SUMMARY_PUBLIC : 0, &a, &s,
                        &err) != HT_OK) {
    rc = cli_fail("fund", "%s", err.msg);
  } else if (xlsx) {
    char *tmp = arena_sprintf(&a, "%s.tmp", path);
    if (fund_statement_xlsx(&s, tmp, &err) != HT_OK) {
      remove(tmp);
      rc = cli_fail("fund", "%s", err.msg);
    } else if (rename(tmp, path)) {
      remove(tmp);
      rc = cli_fail("fund", "cannot write %s: %s", path, strerror(errno));
    } else {
      rc = EXIT_OK;
    }
  } else {
    const char *url = fund_opt(&o, "url");
    if (url) url = arena_sprintf(&a, "%s/cong-khai/%s?from=%s&to=%s", url, s.fund.code, from, to);
    int r = public_form ? fund_transparency_pdf(&s, url, &pdf, &pages, &err)
                        : fund_statement_pdf(&s, &pdf, &pages, &err);
    rc = r != HT_OK ? cli_fail("fund", "%s", err.msg) : write_file(path, pdf.data, pdf.len);
  }
  if (rc == EXIT_OK) {
    char b[4][32];
    printf(
        "Wrote the %s of %s from %s to %s to %s%s: opening %s đ, in %s đ, out %s đ, closing "
        "%s đ.\n",
        what, s.fund.code, from, to, path,
        pages ? arena_sprintf(&a, " (%d page%s)", pages, pages == 1 ? "" : "s") : "",
        fund_format_amount(s.opening, b[0]), fund_format_amount(s.total_in, b[1]),
        fund_format_amount(s.total_out, b[2]), fund_format_amount(s.closing, b[3]));
  }
  strbuf_free(&pdf);
  db_close(d);
out:
  arena_free(&a);
  return rc;
}

int fund_cli_statement(int argc, char **argv) {
  return period_document(argc, argv, 0);
}

int fund_cli_transparency(int argc, char **argv) {
  return period_document(argc, argv, 1);
}
