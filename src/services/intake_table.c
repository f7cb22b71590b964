/* intake_table.c - CSV or XLSX, one row at a time. */
#include "services/intake_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/strbuf.h"
#include "io/csv.h"
#include "io/xlsx.h"
#include "services/import_text.h"

struct intake_table {
  csv_reader *csv;
  xlsx_reader *xlsx;
  const char *sheet;
  tenc_guess enc;
  int *numeric;
  size_t numeric_cap;
};

/* A ZIP archive or an OLE2 compound file (old .xls): the workbook reader's. */
static int looks_like_workbook(const char *path) {
  unsigned char head[8] = {0};
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  size_t n = fread(head, 1, sizeof head, f);
  fclose(f);
  if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return 1;
  static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
  return n == 8 && !memcmp(head, ole, 8);
}

int intake_table_open(const char *path, tenc_encoding enc, const char *sheet, intake_table **out,
                      ht_err *err) {
  *out = NULL;
  intake_table *t = calloc(1, sizeof *t);
  if (!t) return ht_err_set(err, HT_ENOMEM, "out of memory");
  int rc;
  if (looks_like_workbook(path)) {
    rc = xlsx_open_file(path, &t->xlsx, err);
    if (rc == HT_OK) rc = xlsx_select(t->xlsx, sheet, err);
    if (rc == HT_OK) {
      const char *const *names;
      size_t n;
      xlsx_sheets(t->xlsx, &names, &n);
      for (size_t i = 0; i < n; i++)
        if (!sheet || !strcmp(names[i], sheet) || !strcasecmp(names[i], sheet)) {
          t->sheet = names[i];
          break;
        }
    }
  } else {
    rc = import_open_csv(path, enc, &t->enc, &t->csv, err);
  }
  if (rc) {
    intake_table_close(t);
    return rc;
  }
  *out = t;
  return HT_OK;
}

const char *intake_table_format(const intake_table *t) {
  return t->xlsx ? "xlsx" : "csv";
}

const char *intake_table_sheet(const intake_table *t) {
  return t->sheet;
}

char *intake_table_other_sheets(const intake_table *t) {
  const char *const *names;
  size_t n;
  if (!t->xlsx || xlsx_sheets(t->xlsx, &names, &n) != HT_OK || n < 2) return NULL;
  strbuf b = STRBUF_INIT;
  for (size_t i = 0; i < n; i++) strbuf_printf(&b, "%s%s", i ? ", " : "", names[i]);
  char *out = strdup(strbuf_cstr(&b));
  strbuf_free(&b);
  return out;
}

tenc_guess intake_table_encoding(const intake_table *t) {
  return t->enc;
}

static int numeric_room(intake_table *t, size_t n) {
  if (n <= t->numeric_cap) return HT_OK;
  size_t cap = n < 64 ? 64 : n * 2;
  int *p = realloc(t->numeric, cap * sizeof *p);
  if (!p) return HT_ENOMEM;
  t->numeric = p;
  t->numeric_cap = cap;
  return HT_OK;
}

int intake_table_next(intake_table *t, intake_row *row, ht_err *err) {
  int rc;
  if (t->csv) {
    csv_row r;
    rc = csv_next(t->csv, &r, err);
    if (rc != 1) return rc;
    if (numeric_room(t, r.nfields)) return ht_err_set(err, HT_ENOMEM, "out of memory");
    memset(t->numeric, 0, r.nfields * sizeof *t->numeric);
    *row = (intake_row){r.record, r.nfields, r.fields, t->numeric};
    return 1;
  }
  xlsx_row r;
  rc = xlsx_next(t->xlsx, &r, err);
  if (rc != 1) return rc;
  if (numeric_room(t, r.ncells)) return ht_err_set(err, HT_ENOMEM, "out of memory");
  for (size_t i = 0; i < r.ncells; i++)
    t->numeric[i] = r.types[i] == XLSX_NUMBER || r.types[i] == XLSX_DATE;
  *row = (intake_row){r.row, r.ncells, r.cells, t->numeric};
  return 1;
}

void intake_table_close(intake_table *t) {
  if (!t) return;
  csv_close(t->csv);
  xlsx_close(t->xlsx);
  free(t->numeric);
  free(t);
}
