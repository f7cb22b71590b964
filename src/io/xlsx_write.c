/* xlsx_write.c - one-sheet .xlsx in constant memory (see xlsx_write.h). */
#include "io/xlsx_write.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#define MAX_ROWS 1048576
#define MAX_COLS 16384

struct xlsxw {
  lxw_workbook *book;
  lxw_worksheet *sheet;
  lxw_format *bold;
  lxw_format *flag; /* a cell an import report points at: yellow fill, dark red text */
  lxw_row_t row;
  lxw_col_t col;
  lxw_error error;
  int too_many;
  lxw_format *title, *text; /* for templates, made when first needed */
  lxw_format *grouped[2];   /* whole numbers with thousands separators, regular and bold */
};

/* A new worksheet named name (at most 31 characters, UTF-8 kept whole;
 * characters Excel refuses become '-'); NULL on failure. */
static lxw_worksheet *add_sheet(lxw_workbook *book, const char *sheet) {
  char name[32];
  size_t n = 0;
  for (const char *p = sheet ? sheet : "Sheet1"; *p && n < 31; p++) {
    if ((unsigned char)*p >= 0x80) { /* keep UTF-8 whole: cut only before a lead byte */
      size_t len = 1;
      while (((unsigned char)p[len] & 0xC0) == 0x80) len++;
      if (n + len > 31) break;
      memcpy(name + n, p, len);
      n += len;
      p += len - 1;
      continue;
    }
    name[n++] = strchr("[]:*?/\\", *p) ? '-' : *p;
  }
  name[n] = 0;
  return workbook_add_worksheet(book, n ? name : NULL);
}

int xlsxw_open(xlsxw **out, const char *path, const char *sheet, ht_err *err) {
  *out = NULL;
  xlsxw *w = calloc(1, sizeof *w);
  if (!w) return ht_err_set(err, HT_ENOMEM, "out of memory");
  lxw_workbook_options options = {
      .constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_TRUE};
  w->book = workbook_new_opt(path, &options);
  if (!w->book) {
    free(w);
    return ht_err_set(err, HT_EIO, "cannot create the workbook %s", path);
  }
  w->sheet = add_sheet(w->book, sheet);
  w->bold = workbook_add_format(w->book);
  w->flag = workbook_add_format(w->book);
  if (!w->sheet || !w->bold || !w->flag) {
    workbook_close(w->book);
    free(w);
    return ht_err_set(err, HT_EIO, "cannot start the worksheet");
  }
  format_set_bold(w->bold);
  format_set_bg_color(w->flag, 0xFFEB84);
  format_set_font_color(w->flag, 0x9C0006);
  format_set_bold(w->flag);
  *out = w;
  return HT_OK;
}

/* The next cell's place, or 0 past Excel's limits (then nothing is written). */
static int next_cell(xlsxw *w) {
  if (w->row >= MAX_ROWS || w->col >= MAX_COLS) {
    w->too_many = 1;
    return 0;
  }
  return 1;
}

static void text_cell(xlsxw *w, const char *text, lxw_format *format) {
  if (next_cell(w) && text && *text) {
    lxw_error e = worksheet_write_string(w->sheet, w->row, w->col, text, format);
    if (e && !w->error) w->error = e;
  }
  w->col++;
}

void xlsxw_text(xlsxw *w, const char *text) {
  text_cell(w, text, NULL);
}

void xlsxw_header(xlsxw *w, const char *text) {
  text_cell(w, text, w->bold);
}

void xlsxw_number(xlsxw *w, double value) {
  if (next_cell(w) && !isnan(value)) {
    lxw_error e = worksheet_write_number(w->sheet, w->row, w->col, value, NULL);
    if (e && !w->error) w->error = e;
  }
  w->col++;
}

void xlsxw_flagged(xlsxw *w, const char *text, int number) {
  if (number && text && *text) {
    char *end;
    double v = strtod(text, &end);
    if (!*end && next_cell(w)) {
      lxw_error e = worksheet_write_number(w->sheet, w->row, w->col, v, w->flag);
      if (e && !w->error) w->error = e;
      w->col++;
      return;
    }
  }
  if (next_cell(w)) { /* even an empty flagged cell shows its fill */
    lxw_error e = text && *text ? worksheet_write_string(w->sheet, w->row, w->col, text, w->flag)
                                : worksheet_write_blank(w->sheet, w->row, w->col, w->flag);
    if (e && !w->error) w->error = e;
  }
  w->col++;
}

void xlsxw_end_row(xlsxw *w) {
  w->row++;
  w->col = 0;
}

int xlsxw_close(xlsxw *w, ht_err *err) {
  lxw_error e = workbook_close(w->book);
  int too_many = w->too_many;
  lxw_error first = w->error ? w->error : e;
  free(w);
  if (too_many)
    return ht_err_set(err, HT_ELIMIT,
                      "more than %d rows or %d columns: Excel cannot hold them; export less",
                      MAX_ROWS, MAX_COLS);
  if (first) return ht_err_set(err, HT_EIO, "cannot write the workbook: %s", lxw_strerror(first));
  return HT_OK;
}

/* ------------------------------------------- workbooks people fill in */

/* Keeps the first error for xlsxw_close(). */
static void keep(xlsxw *w, lxw_error e) {
  if (e && !w->error) w->error = e;
}

void xlsxw_title(xlsxw *w, const char *text) {
  if (!w->title) {
    w->title = workbook_add_format(w->book);
    if (!w->title) {
      keep(w, LXW_ERROR_MEMORY_MALLOC_FAILED);
      return;
    }
    format_set_bold(w->title);
    format_set_font_size(w->title, 14);
  }
  if (next_cell(w) && text && *text)
    keep(w, worksheet_write_string(w->sheet, w->row, w->col, text, w->title));
  w->col++;
}

void xlsxw_comment(xlsxw *w, const char *text) {
  if (!w->col || w->row >= MAX_ROWS || w->col > MAX_COLS || !text || !*text) return;
  /* wide enough for a rule of a few lines; shown when the pointer rests on the cell */
  lxw_comment_options options = {.author = "hoctap", .width = 360, .height = 150};
  keep(w, worksheet_write_comment_opt(w->sheet, w->row, (lxw_col_t)(w->col - 1), text, &options));
}

void xlsxw_column(xlsxw *w, int col, double width, int as_text) {
  if (col < 0 || col >= MAX_COLS) return;
  if (as_text && !w->text) {
    w->text = workbook_add_format(w->book);
    if (!w->text) {
      keep(w, LXW_ERROR_MEMORY_MALLOC_FAILED);
      return;
    }
    format_set_num_format(w->text, "@");
  }
  keep(w, worksheet_set_column(w->sheet, (lxw_col_t)col, (lxw_col_t)col, width,
                               as_text ? w->text : NULL));
}

void xlsxw_choices(xlsxw *w, int col, const char *const *choices, int strict) {
  if (col < 0 || col >= MAX_COLS || w->row + 1 >= MAX_ROWS || !choices || !choices[0]) return;
  lxw_data_validation v = {0};
  v.validate = LXW_VALIDATION_TYPE_LIST;
  v.value_list = (char **)choices; /* libxlsxwriter copies the list, never writes it */
  v.ignore_blank = LXW_VALIDATION_ON;
  v.error_type = strict ? LXW_VALIDATION_ERROR_TYPE_STOP : LXW_VALIDATION_ERROR_TYPE_WARNING;
  keep(w, worksheet_data_validation_range(w->sheet, w->row + 1, (lxw_col_t)col, MAX_ROWS - 1,
                                          (lxw_col_t)col, &v));
}

void xlsxw_freeze_rows(xlsxw *w) {
  if (w->row > 0 && w->row < MAX_ROWS) worksheet_freeze_panes(w->sheet, w->row, 0);
}

/* ------------------------------------------- workbooks of several sheets */

int xlsxw_sheet(xlsxw *w, const char *name) {
  lxw_worksheet *sheet = add_sheet(w->book, name);
  if (!sheet) {
    keep(w, LXW_ERROR_MEMORY_MALLOC_FAILED);
    return HT_ERR;
  }
  w->sheet = sheet;
  w->row = 0;
  w->col = 0;
  return HT_OK;
}

void xlsxw_grouped(xlsxw *w, double value, int bold) {
  lxw_format **f = &w->grouped[bold ? 1 : 0];
  if (!*f) {
    *f = workbook_add_format(w->book);
    if (!*f) {
      keep(w, LXW_ERROR_MEMORY_MALLOC_FAILED);
      w->col++;
      return;
    }
    format_set_num_format(*f, "#,##0");
    if (bold) format_set_bold(*f);
  }
  if (next_cell(w) && !isnan(value))
    keep(w, worksheet_write_number(w->sheet, w->row, w->col, value, *f));
  w->col++;
}
