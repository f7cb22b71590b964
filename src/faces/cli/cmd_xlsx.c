/* cmd_xlsx.c - hoctap xlsx sheets|cat: see what the XLSX reader reads from a
 * workbook (docs/xlsx.md, docs/cli.md). */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faces/cli/cli.h"
#include "io/csv_write.h"
#include "io/xlsx.h"

static void help(void) {
  printf(
      "Usage: hoctap xlsx sheets FILE [--format table|json]\n"
      "       hoctap xlsx cat FILE [--sheet NAME] [--format csv|json]\n\n"
      "sheets lists the workbook's sheets in order. cat prints the rows of a sheet\n"
      "(the first unless --sheet): as CSV for Excel (the default), or as JSON lines\n"
      "{\"row\": N, \"cells\": [...], \"types\": [...]} with the sheet's row numbers and,\n"
      "on the first row of a merged range, \"merged\": [\"A1:D1\"]. Dates are ISO\n"
      "(YYYY-MM-DD), numbers as Excel shows them, formulas as their saved result.\n"
      "Rows that hold nothing are skipped. The limits and errors are in docs/xlsx.md.\n");
}

static const char *type_name(xlsx_type t) {
  switch (t) {
    case XLSX_STRING: return "string";
    case XLSX_NUMBER: return "number";
    case XLSX_BOOL: return "boolean";
    case XLSX_DATE: return "date";
    case XLSX_ERROR: return "error";
    default: return "empty";
  }
}

/* Adds "merged": ["A1:D1", ...] for the ranges that start on this row. */
static void add_merged(json_t *o, xlsx_reader *r, long row) {
  const xlsx_range *m;
  size_t n;
  xlsx_merged(r, &m, &n);
  json_t *arr = NULL;
  for (size_t i = 0; i < n; i++) {
    if (m[i].first_row != row) continue;
    char a[4], b[4], ref[64];
    snprintf(ref, sizeof ref, "%s%ld:%s%ld", xlsx_column_name(m[i].first_col, a), m[i].first_row,
             xlsx_column_name(m[i].last_col, b), m[i].last_row);
    if (!arr) arr = json_array();
    json_array_append_new(arr, json_string(ref));
  }
  if (arr) json_object_set_new(o, "merged", arr);
}

static int cat(xlsx_reader *r, const char *file, const char *sheet, int json) {
  ht_err err = {0};
  if (xlsx_select(r, sheet, &err)) return cli_fail("xlsx", "%s: %s", file, err.msg);
  csvw w;
  if (!json) csvw_init_file(&w, stdout);
  xlsx_row row;
  int rc;
  while ((rc = xlsx_next(r, &row, &err)) == 1) {
    if (json) {
      json_t *o = json_object(), *cells = json_array(), *types = json_array();
      for (size_t i = 0; i < row.ncells; i++) {
        json_array_append_new(cells, json_stringn(row.cells[i], row.lens[i]));
        json_array_append_new(types, json_string(type_name(row.types[i])));
      }
      json_object_set_new(o, "row", json_integer(row.row));
      json_object_set_new(o, "cells", cells);
      json_object_set_new(o, "types", types);
      add_merged(o, r, row.row);
      char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
      if (text) puts(text);
      free(text);
      json_decref(o);
    } else {
      for (size_t i = 0; i < row.ncells; i++) {
        if (row.types[i] == XLSX_NUMBER)
          csvw_number_text(&w, row.cells[i]);
        else
          csvw_text(&w, row.cells[i]);
      }
      csvw_end_row(&w);
    }
  }
  fflush(stdout);
  if (rc < 0) return cli_fail("xlsx", "%s: %s", file, err.msg);
  return EXIT_OK;
}

static int sheets(xlsx_reader *r, int json) {
  const char *const *names;
  size_t n;
  xlsx_sheets(r, &names, &n);
  if (json) {
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, json_string(names[i]));
    cli_print_json(arr);
  } else {
    for (size_t i = 0; i < n; i++) printf("%s\n", names[i]);
  }
  return EXIT_OK;
}

int cmd_xlsx(int argc, char **argv) {
  static const struct option opts[] = {{"sheet", required_argument, 0, 's'},
                                       {"format", required_argument, 0, 'f'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  const char *sheet = NULL, *format = NULL;
  int c;
  optind = 1;
  opterr = 0;
  /* GNU getopt permutes: options may come before or after the subcommand and file */
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    switch (c) {
      case 's': sheet = optarg; break;
      case 'f': format = optarg; break;
      case 'h': help(); return EXIT_OK;
      default: return cli_usage("xlsx", "unknown option '%s'", argv[optind - 1]);
    }
  }
  if (argc - optind > 2) return cli_usage("xlsx", "unexpected argument '%s'", argv[optind + 2]);
  const char *sub = optind < argc ? argv[optind] : NULL;
  const char *file = optind + 1 < argc ? argv[optind + 1] : NULL;
  if (!sub) return cli_usage("xlsx", "missing subcommand: sheets or cat");
  int is_cat = strcmp(sub, "cat") == 0;
  if (!is_cat && strcmp(sub, "sheets") != 0)
    return cli_usage("xlsx", "unknown subcommand '%s' (sheets or cat)", sub);
  if (!file) return cli_usage("xlsx", "missing FILE");
  if (sheet && !is_cat) return cli_usage("xlsx", "--sheet is for 'xlsx cat'");
  int json = 0;
  if (format) {
    if (strcmp(format, "json") == 0)
      json = 1;
    else if (strcmp(format, is_cat ? "csv" : "table") != 0)
      return cli_usage("xlsx", "--format must be %s or json", is_cat ? "csv" : "table");
  }
  xlsx_reader *r = NULL;
  ht_err err = {0};
  if (xlsx_open_file(file, &r, &err)) return cli_fail("xlsx", "%s: %s", file, err.msg);
  int rc = is_cat ? cat(r, file, sheet, json) : sheets(r, json);
  xlsx_close(r);
  return rc;
}
