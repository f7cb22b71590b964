/* csv.c - RFC 4180 CSV reader (see csv.h for the accepted dialect). */
#include "io/csv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/strbuf.h"
#include "base/vtext.h"

struct csv_reader {
  char *data;        /* owned copy of the input, NUL-terminated */
  size_t len;        /* bytes in data, terminator excluded */
  size_t pos;        /* next byte to read */
  size_t line_start; /* offset of the first byte of the current physical line */
  long line;         /* current physical line, 1-based */
  long record;       /* number of the last record returned, skipped empty lines included */
  char delim;
  int status; /* HT_OK, or the error every further csv_next() returns */
  ht_err saved;

  /* The current record: field bytes back to back, each followed by a NUL, and
   * per field its offset into text, its length and (once the record is
   * complete) its address. The arrays hold cap entries. */
  strbuf text;
  size_t nfields, cap;
  size_t *offsets, *lens;
  char **fields;
};

/* Records code and the message in the reader (so later calls repeat them) and
 * in err; returns code. */
static int fail(csv_reader *r, ht_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(csv_reader *r, ht_err *err, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->saved.msg, sizeof r->saved.msg, fmt, ap);
  va_end(ap);
  r->saved.code = code;
  r->status = code;
  if (err) *err = r->saved;
  return code;
}

/* 1-based column, in characters, of byte offset at on the current line. The
 * bytes before it were validated already. O(line length). */
static long column_of(const csv_reader *r, size_t at) {
  long col = 1;
  for (size_t i = r->line_start; i < at; i++)
    if (((unsigned char)r->data[i] & 0xC0) != 0x80) col++;
  return col;
}

/* Consumes the CRLF, LF or lone CR at r->pos. */
static void consume_line_end(csv_reader *r) {
  if (r->data[r->pos] == '\r' && r->pos + 1 < r->len && r->data[r->pos + 1] == '\n') r->pos++;
  r->pos++;
  r->line++;
  r->line_start = r->pos;
}

static int is_line_end(char c) {
  return c == '\r' || c == '\n';
}

/*
 * Picks the delimiter from the first non-empty record starting at from: the
 * most frequent of ',' ';' TAB outside quotes, ties going to the earlier one in
 * that list, ',' when there is none. A quote opens a quoted section only at the
 * start of a line or after one of the candidates, as it would for the parser.
 * O(length of the first record).
 */
static char sniff_delimiter(const char *data, size_t len, size_t from) {
  static const char candidates[3] = {',', ';', '\t'};
  size_t counts[3] = {0, 0, 0};
  size_t i = from;
  while (i < len && is_line_end(data[i])) i++;
  int in_quotes = 0, at_field_start = 1;
  for (; i < len; i++) {
    char c = data[i];
    if (in_quotes) {
      if (c != '"') continue;
      if (i + 1 < len && data[i + 1] == '"')
        i++;
      else
        in_quotes = 0;
      continue;
    }
    if (is_line_end(c)) break;
    if (c == '"' && at_field_start) {
      in_quotes = 1;
      continue;
    }
    at_field_start = 0;
    for (int k = 0; k < 3; k++) {
      if (c == candidates[k]) {
        counts[k]++;
        at_field_start = 1;
      }
    }
  }
  int best = 0;
  for (int k = 1; k < 3; k++)
    if (counts[k] > counts[best]) best = k;
  return candidates[best];
}

/*
 * Builds a reader around data (ownership passes to the reader, which frees it
 * even on failure). data must have room for a terminator at data[len].
 * O(length of the first record) for the sniffing.
 */
static int reader_new(csv_reader **out, char *data, size_t len, ht_err *err) {
  csv_reader *r = calloc(1, sizeof *r);
  if (!r) {
    free(data);
    return ht_err_set(err, HT_ENOMEM, "out of memory reading a CSV file");
  }
  data[len] = '\0';
  r->data = data;
  r->len = len;
  r->line = 1;
  r->text = (strbuf)STRBUF_INIT;
  const unsigned char *u = (const unsigned char *)data;
  if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) r->pos = 3;
  r->line_start = r->pos;
  r->delim = sniff_delimiter(data, len, r->pos);

  /* Two common mistakes that would otherwise get a cryptic encoding error. */
  if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
    fail(r, NULL, HT_EINVAL,
         "line 1: the file is UTF-16 text, not UTF-8; save it as \"CSV UTF-8 (Comma delimited)\"");
  else if (len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0)
    fail(r, NULL, HT_EINVAL,
         "line 1: this is a ZIP file (an Excel workbook?), not CSV text; import it as .xlsx or "
         "save it as \"CSV UTF-8 (Comma delimited)\"");
  *out = r;
  return HT_OK;
}

int csv_open_mem(csv_reader **out, const char *data, size_t len, ht_err *err) {
  if (!out) return ht_err_set(err, HT_EINVAL, "csv_open_mem: no output pointer");
  *out = NULL;
  if (!data && len) return ht_err_set(err, HT_EINVAL, "csv_open_mem: no data");
  if (len > CSV_MAX_INPUT)
    return ht_err_set(err, HT_ELIMIT, "the CSV data is larger than %zu MiB; split it into parts",
                      CSV_MAX_INPUT >> 20);
  char *copy = malloc(len + 1);
  if (!copy) return ht_err_set(err, HT_ENOMEM, "out of memory reading a CSV file");
  if (len) memcpy(copy, data, len);
  return reader_new(out, copy, len, err);
}

/*
 * Reads the whole file into memory, refusing more than CSV_MAX_INPUT bytes
 * (checked up front for regular files, while reading for pipes and the like).
 * *data (NUL-terminated, one spare byte) passes to the caller. O(file size).
 */
int csv_read_file(const char *path, char **data, size_t *data_len, ht_err *err) {
  if (!data || !data_len) return ht_err_set(err, HT_EINVAL, "csv_read_file: no output pointer");
  *data = NULL;
  *data_len = 0;
  if (!path) return ht_err_set(err, HT_EINVAL, "csv_read_file: no path");
  char ebuf[128];
  int rc = HT_OK;
  char *buf = NULL;
  size_t len = 0, cap = 64 * 1024;
  FILE *f = fopen(path, "rb");
  if (!f) {
    return ht_err_set(err, HT_EIO, "cannot open '%s': %s", path,
                      strerror_r(errno, ebuf, sizeof ebuf));
  }
  struct stat st;
  if (fstat(fileno(f), &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      rc = ht_err_set(err, HT_EIO, "cannot read '%s': it is a directory", path);
      goto end;
    }
    if (S_ISREG(st.st_mode)) {
      if ((unsigned long long)st.st_size > CSV_MAX_INPUT) {
        rc = ht_err_set(err, HT_ELIMIT, "'%s' is larger than %zu MiB; split it into parts", path,
                        CSV_MAX_INPUT >> 20);
        goto end;
      }
      cap = (size_t)st.st_size + 1; /* +1 so end of file is seen without growing */
    }
  }
  buf = malloc(cap + 1);
  if (!buf) {
    rc = ht_err_set(err, HT_ENOMEM, "out of memory reading '%s'", path);
    goto end;
  }
  for (;;) {
    size_t got = fread(buf + len, 1, cap - len, f);
    len += got;
    if (len > CSV_MAX_INPUT) {
      rc = ht_err_set(err, HT_ELIMIT, "'%s' is larger than %zu MiB; split it into parts", path,
                      CSV_MAX_INPUT >> 20);
      goto end;
    }
    if (len < cap) break; /* end of file or error */
    size_t new_cap = cap * 2 > CSV_MAX_INPUT + 1 ? CSV_MAX_INPUT + 1 : cap * 2;
    char *grown = realloc(buf, new_cap + 1);
    if (!grown) {
      rc = ht_err_set(err, HT_ENOMEM, "out of memory reading '%s'", path);
      goto end;
    }
    buf = grown;
    cap = new_cap;
  }
  if (ferror(f)) {
    rc =
        ht_err_set(err, HT_EIO, "cannot read '%s': %s", path, strerror_r(errno, ebuf, sizeof ebuf));
    goto end;
  }
  buf[len] = '\0';
  *data = buf;
  *data_len = len;
  buf = NULL; /* the caller's now */
end:
  free(buf);
  fclose(f);
  return rc;
}

int csv_open_file(csv_reader **out, const char *path, ht_err *err) {
  if (!out) return ht_err_set(err, HT_EINVAL, "csv_open_file: no output pointer");
  *out = NULL;
  char *buf;
  size_t len;
  int rc = csv_read_file(path, &buf, &len, err);
  if (rc) return rc;
  return reader_new(out, buf, len, err); /* owns buf now, even on failure */
}

/* Appends n bytes to the field being read, enforcing CSV_MAX_FIELD. */
static int field_append(csv_reader *r, const char *s, size_t n, size_t *field_len, size_t field_no,
                        long field_line, ht_err *err) {
  if (n > CSV_MAX_FIELD - *field_len)
    return fail(r, err, HT_ELIMIT,
                "line %ld: field %zu is longer than %zu MiB; shorten it, or check for a quote "
                "that is opened much too early",
                field_line, field_no, CSV_MAX_FIELD >> 20);
  strbuf_append(&r->text, s, n);
  *field_len += n;
  return HT_OK;
}

/*
 * Scans the ordinary bytes of a field from r->pos and appends them: up to the
 * next '"' in a quoted field (line ends included in the text), up to the next
 * delimiter or line end in an unquoted one, or to the end of input. Checks UTF-8
 * and NUL bytes on the way. O(bytes scanned).
 */
static int scan_run(csv_reader *r, int quoted, size_t *field_len, size_t field_no, long field_line,
                    ht_err *err) {
  const char *d = r->data;
  size_t start = r->pos;
  while (r->pos < r->len) {
    unsigned char c = (unsigned char)d[r->pos];
    if (c >= 0x80) {
      size_t n = vt_utf8_seq_len(d + r->pos, r->len - r->pos);
      if (n == 0)
        return fail(r, err, HT_EINVAL,
                    "line %ld: the text is not valid UTF-8 (byte 0x%02X at column %ld); save the "
                    "file as UTF-8",
                    r->line, c, column_of(r, r->pos));
      r->pos += n;
      continue;
    }
    if (c == '\0')
      return fail(r, err, HT_EINVAL,
                  "line %ld: the file contains a NUL byte (column %ld), so it is not UTF-8 text; "
                  "save the file as \"CSV UTF-8 (Comma delimited)\"",
                  r->line, column_of(r, r->pos));
    if (quoted) {
      if (c == '"') break;
      if (is_line_end((char)c))
        consume_line_end(r); /* part of the field; counts as a physical line */
      else
        r->pos++;
    } else {
      if (c == (unsigned char)r->delim || is_line_end((char)c)) break;
      r->pos++;
    }
  }
  /* An unterminated quoted field: the caller reports that, not its length. */
  if (quoted && r->pos >= r->len) return HT_OK;
  return field_append(r, d + start, r->pos - start, field_len, field_no, field_line, err);
}

/* Describes the character at p for a message: "character 'x'" or "byte 0x01". */
static void describe_char(const char *p, size_t avail, char *buf, size_t cap) {
  unsigned char c = (unsigned char)p[0];
  size_t n = vt_utf8_seq_len(p, avail);
  if ((c >= 0x20 && c < 0x7F) || (c >= 0x80 && n > 0))
    snprintf(buf, cap, "character '%.*s'", (int)(n ? n : 1), p);
  else
    snprintf(buf, cap, "byte 0x%02X", c);
}

/* Ends the current field: records where it is and NUL-terminates it. */
static int field_end(csv_reader *r, size_t offset, size_t field_len, ht_err *err) {
  if (r->nfields == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 16;
    if (cap > CSV_MAX_FIELDS) cap = CSV_MAX_FIELDS;
    size_t *offsets = realloc(r->offsets, cap * sizeof *offsets);
    if (offsets) r->offsets = offsets;
    size_t *lens = realloc(r->lens, cap * sizeof *lens);
    if (lens) r->lens = lens;
    char **fields = realloc(r->fields, cap * sizeof *fields);
    if (fields) r->fields = fields;
    if (!offsets || !lens || !fields)
      return fail(r, err, HT_ENOMEM, "line %ld: out of memory reading the CSV file", r->line);
    r->cap = cap;
  }
  r->offsets[r->nfields] = offset;
  r->lens[r->nfields] = field_len;
  r->nfields++;
  strbuf_putc(&r->text, '\0');
  return HT_OK;
}

/*
 * Parses one record starting at r->pos (which is not at a line end or the end
 * of input) into r->text / r->offsets / r->lens, and consumes its line end.
 * O(record length).
 */
static int parse_record(csv_reader *r, ht_err *err) {
  const char *d = r->data;
  long record_line = r->line;
  int rc;
  strbuf_reset(&r->text);
  r->nfields = 0;
  for (;;) {
    if (r->nfields == CSV_MAX_FIELDS)
      return fail(r, err, HT_ELIMIT,
                  "line %ld: the record has more than %d fields; check that the file uses ',' "
                  "';' or tab as delimiter and that every quote is closed",
                  record_line, CSV_MAX_FIELDS);
    size_t field_no = r->nfields + 1, field_len = 0, offset = r->text.len;
    long field_line = r->line;
    if (r->pos < r->len && d[r->pos] == '"') {
      r->pos++;
      for (;;) {
        rc = scan_run(r, 1, &field_len, field_no, field_line, err);
        if (rc < 0) return rc;
        if (r->pos >= r->len)
          return fail(r, err, HT_EINVAL,
                      "line %ld: unterminated quoted field (a field opened with \" is never "
                      "closed); close the quote or remove it",
                      field_line);
        r->pos++; /* the closing quote, or the first of a doubled one */
        if (r->pos < r->len && d[r->pos] == '"') {
          rc = field_append(r, "\"", 1, &field_len, field_no, field_line, err);
          if (rc < 0) return rc;
          r->pos++;
          continue;
        }
        break;
      }
      if (r->pos < r->len && d[r->pos] != r->delim && !is_line_end(d[r->pos])) {
        char what[32];
        describe_char(d + r->pos, r->len - r->pos, what, sizeof what);
        return fail(r, err, HT_EINVAL,
                    "line %ld: unexpected %s after a closing quote in field %zu; a quoted field "
                    "must end at its closing quote (write a quote that belongs to the text as "
                    "\"\" inside the quotes)",
                    r->line, what, field_no);
      }
    } else {
      rc = scan_run(r, 0, &field_len, field_no, field_line, err);
      if (rc < 0) return rc;
    }
    rc = field_end(r, offset, field_len, err);
    if (rc < 0) return rc;
    if (r->pos >= r->len) return HT_OK; /* last line without a line end */
    if (d[r->pos] == r->delim) {
      r->pos++;
      continue;
    }
    consume_line_end(r);
    return HT_OK;
  }
}

/* Skips empty lines, then parses one record. O(record length). */
int csv_next(csv_reader *r, csv_row *row, ht_err *err) {
  if (!r || !row) return ht_err_set(err, HT_EINVAL, "csv_next: no reader or row");
  *row = (csv_row){0, NULL, NULL, r->record, r->line};
  if (r->status < 0) {
    if (err) *err = r->saved;
    return r->status;
  }
  /* An empty line is a row in a spreadsheet, so it still gets a number. */
  while (r->pos < r->len && is_line_end(r->data[r->pos])) {
    consume_line_end(r);
    r->record++;
  }
  if (r->pos >= r->len) return 0;
  long line = r->line;
  int rc = parse_record(r, err);
  if (rc < 0) return rc;
  r->record++;
  for (size_t i = 0; i < r->nfields; i++) r->fields[i] = r->text.data + r->offsets[i];
  *row = (csv_row){r->nfields, r->fields, r->lens, r->record, line};
  return 1;
}

char csv_delimiter(const csv_reader *r) {
  return r ? r->delim : ',';
}

void csv_close(csv_reader *r) {
  if (!r) return;
  free(r->data);
  strbuf_free(&r->text);
  free(r->offsets);
  free(r->lens);
  free(r->fields);
  free(r);
}
