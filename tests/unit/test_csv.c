/* test_csv.c - the CSV reader: dialect table, error table, limits, files. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/strbuf.h"
#include "base/vtext.h"
#include "io/csv.h"
#include "test.h"

/* A string literal and its length, so inputs may contain NUL bytes. */
#define S(lit) lit, sizeof(lit) - 1

/*
 * Reads every record of data into a dump, one line per record:
 * "<record>@<line>" then each field in brackets, e.g. "2@3[a][b]\n". Returns
 * the status of the last csv_next() (0 at a clean end); the caller frees *dump.
 */
static int dump_csv(const char *data, size_t len, char *delim, char **dump, ht_err *err) {
  strbuf out = STRBUF_INIT;
  csv_reader *r = NULL;
  int rc = csv_open_mem(&r, data, len, err);
  if (rc == HT_OK) {
    if (delim) *delim = csv_delimiter(r);
    csv_row row;
    while ((rc = csv_next(r, &row, err)) == 1) {
      strbuf_printf(&out, "%ld@%ld", row.record, row.line);
      for (size_t i = 0; i < row.nfields; i++) {
        CHECK_EQ_INT(strlen(row.fields[i]), row.lens[i]);
        CHECK(vt_utf8_valid(row.fields[i], row.lens[i]));
        strbuf_putc(&out, '[');
        strbuf_append(&out, row.fields[i], row.lens[i]);
        strbuf_putc(&out, ']');
      }
      strbuf_putc(&out, '\n');
    }
  }
  csv_close(r);
  *dump = strbuf_detach(&out);
  return rc;
}

static const struct {
  const char *name;
  const char *in;
  size_t len;
  char delim;
  const char *want;
} good_cases[] = {
    {"lf", S("a,b\nc,d\n"), ',', "1@1[a][b]\n2@2[c][d]\n"},
    {"no final newline", S("a,b\nc,d"), ',', "1@1[a][b]\n2@2[c][d]\n"},
    {"crlf", S("a,b\r\nc,d\r\n"), ',', "1@1[a][b]\n2@2[c][d]\n"},
    {"lone cr", S("a,b\rc,d\r"), ',', "1@1[a][b]\n2@2[c][d]\n"},
    {"mixed line ends", S("a\r\nb\rc\nd"), ',', "1@1[a]\n2@2[b]\n3@3[c]\n4@4[d]\n"},
    {"bom", S("\xEF\xBB\xBFname,age\nAn,3\n"), ',', "1@1[name][age]\n2@2[An][3]\n"},
    {"only bom", S("\xEF\xBB\xBF"), ',', ""},
    {"empty input", S(""), ',', ""},
    {"only line ends", S("\n\r\n\r"), ',', ""},
    {"semicolon", S("a;b;c,d\n1;2;3,4\n"), ';', "1@1[a][b][c,d]\n2@2[1][2][3,4]\n"},
    {"tab", S("a\tb\tc\n1\t2\t3\n"), '\t', "1@1[a][b][c]\n2@2[1][2][3]\n"},
    {"tie comma semicolon", S("a,b;c\n"), ',', "1@1[a][b;c]\n"},
    {"tie semicolon tab", S("a;b\tc\n"), ';', "1@1[a][b\tc]\n"},
    {"no delimiter", S("name\nAn\n"), ',', "1@1[name]\n2@2[An]\n"},
    {"sniff ignores quoted", S("\"a;b;c\",d\n"), ',', "1@1[a;b;c][d]\n"},
    {"sniff skips empty lines", S("\n\nx;y\n"), ';', "3@3[x][y]\n"},
    {"embedded newline", S("id,note\n1,\"line one\nline two\"\n2,x\n"), ',',
     "1@1[id][note]\n2@2[1][line one\nline two]\n3@4[2][x]\n"},
    {"embedded crlf", S("\"a\r\nb\",c\r\nd,e\r\n"), ',', "1@1[a\r\nb][c]\n2@3[d][e]\n"},
    {"embedded delimiter", S("\"Hà Nội, Việt Nam\",1\n"), ',', "1@1[Hà Nội, Việt Nam][1]\n"},
    {"doubled quotes", S("\"say \"\"hi\"\"\",b\n"), ',', "1@1[say \"hi\"][b]\n"},
    {"only doubled quote", S("\"\"\"\"\n"), ',', "1@1[\"]\n"},
    {"empty quoted", S("\"\",x\n"), ',', "1@1[][x]\n"},
    {"empty lines skipped, still numbered", S("a\n\nb\n\r\n\rc\n"), ',',
     "1@1[a]\n3@3[b]\n6@6[c]\n"},
    {"delimiters only", S("a,b\n,\n"), ',', "1@1[a][b]\n2@2[][]\n"},
    {"trailing delimiter", S("a,\n"), ',', "1@1[a][]\n"},
    {"trailing delimiter at eof", S("a,"), ',', "1@1[a][]\n"},
    {"quote inside unquoted", S("5\" screen,b\n"), ',', "1@1[5\" screen][b]\n"},
    {"quoted at eof", S("a,\"b\""), ',', "1@1[a][b]\n"},
    {"spaces kept", S(" a , b \n"), ',', "1@1[ a ][ b ]\n"},
    {"vietnamese", S("Họ tên;Xã\nNguyễn Văn A;Đông Hà\n"), ';',
     "1@1[Họ tên][Xã]\n2@2[Nguyễn Văn A][Đông Hà]\n"},
};

TEST(csv_dialect_table) {
  for (size_t i = 0; i < sizeof good_cases / sizeof good_cases[0]; i++) {
    char *dump = NULL, delim = 0;
    ht_err err = {0};
    int rc = dump_csv(good_cases[i].in, good_cases[i].len, &delim, &dump, &err);
    if (rc != 0) fprintf(stderr, "  case '%s': %s\n", good_cases[i].name, err.msg);
    CHECK_EQ_INT(rc, 0);
    if (strcmp(dump, good_cases[i].want) != 0) fprintf(stderr, "  case '%s'\n", good_cases[i].name);
    CHECK_EQ_STR(dump, good_cases[i].want);
    if (delim != good_cases[i].delim) fprintf(stderr, "  case '%s'\n", good_cases[i].name);
    CHECK_EQ_INT(delim, good_cases[i].delim);
    free(dump);
  }
}

static const struct {
  const char *name;
  const char *in;
  size_t len;
  int code;
  const char *records_before; /* dump of the records read before the error */
  const char *msg;            /* must occur in err.msg */
} bad_cases[] = {
    {"unterminated", S("a,b\nc,\"open\nmore\n"), HT_EINVAL, "1@1[a][b]\n",
     "line 2: unterminated quoted field (a field opened with \" is never closed); close the "
     "quote or remove it"},
    {"unterminated at eof", S("\""), HT_EINVAL, "", "line 1: unterminated quoted field"},
    {"junk after quote", S("a,b,c\nx,\"y\"z,w\n"), HT_EINVAL, "1@1[a][b][c]\n",
     "line 2: unexpected character 'z' after a closing quote in field 2"},
    {"space after quote", S("\"a\" ,b\n"), HT_EINVAL, "",
     "line 1: unexpected character ' ' after a closing quote in field 1"},
    {"junk after multi-line quote", S("\"a\nb\"ễ\n"), HT_EINVAL, "",
     "line 2: unexpected character 'ễ' after a closing quote in field 1"},
    {"invalid utf8", S("ab,c\xC3\n"), HT_EINVAL, "",
     "line 1: the text is not valid UTF-8 (byte 0xC3 at column 5); save the file as UTF-8"},
    {"invalid utf8 column counts characters", S("x\nễ,\xFF"), HT_EINVAL, "1@1[x]\n",
     "line 2: the text is not valid UTF-8 (byte 0xFF at column 3)"},
    {"invalid utf8 in quoted field", S("\"a\nb\xE1\xBA\""), HT_EINVAL, "",
     "line 2: the text is not valid UTF-8 (byte 0xE1 at column 2)"},
    {"latin1", S("Nguy\xEAn\n"), HT_EINVAL, "", "byte 0xEA at column 5"},
    {"overlong", S("\xC0\xAF"), HT_EINVAL, "", "byte 0xC0 at column 1"},
    {"surrogate", S("\xED\xA0\x80"), HT_EINVAL, "", "byte 0xED at column 1"},
    {"truncated at eof", S("abc\xE1\xBA"), HT_EINVAL, "", "byte 0xE1 at column 4"},
    {"nul byte", S("a,b\nc\0d\n"), HT_EINVAL, "1@1[a][b]\n",
     "line 2: the file contains a NUL byte"},
    {"utf16", S("\xFF\xFEn\0a\0"), HT_EINVAL, "", "line 1: the file is UTF-16 text"},
    {"zip", S("PK\x03\x04\x14\0\0\0"), HT_EINVAL, "", "ZIP file"},
};

TEST(csv_error_table) {
  for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
    char *dump = NULL;
    ht_err err = {0};
    int rc = dump_csv(bad_cases[i].in, bad_cases[i].len, NULL, &dump, &err);
    if (rc != bad_cases[i].code || !strstr(err.msg, bad_cases[i].msg))
      fprintf(stderr, "  case '%s': rc %d, msg \"%s\"\n", bad_cases[i].name, rc, err.msg);
    CHECK_EQ_INT(rc, bad_cases[i].code);
    CHECK(strstr(err.msg, bad_cases[i].msg) != NULL);
    CHECK_EQ_STR(dump, bad_cases[i].records_before);
    free(dump);
  }
}

TEST(csv_error_is_sticky) {
  csv_reader *r = NULL;
  ht_err err = {0};
  csv_row row;
  CHECK_EQ_INT(csv_open_mem(&r, S("\"a\"b\nc\n"), &err), HT_OK);
  CHECK_EQ_INT(csv_next(r, &row, &err), HT_EINVAL);
  ht_err again = {0};
  CHECK_EQ_INT(csv_next(r, &row, &again), HT_EINVAL);
  CHECK_EQ_STR(again.msg, err.msg);
  CHECK_EQ_INT(row.nfields, 0);
  csv_close(r);
}

TEST(csv_end_is_sticky) {
  csv_reader *r = NULL;
  csv_row row;
  CHECK_EQ_INT(csv_open_mem(&r, S("a\n"), NULL), HT_OK);
  CHECK_EQ_INT(csv_next(r, &row, NULL), 1);
  CHECK_EQ_INT(csv_next(r, &row, NULL), 0);
  CHECK_EQ_INT(csv_next(r, &row, NULL), 0);
  CHECK_EQ_INT(row.nfields, 0);
  csv_close(r);
}

/* A record of n empty fields: n-1 commas. */
static int read_commas(size_t n, ht_err *err, size_t *nfields) {
  strbuf b = STRBUF_INIT;
  strbuf_puts(&b, "h\n");
  for (size_t i = 1; i < n; i++) strbuf_putc(&b, ',');
  strbuf_putc(&b, '\n');
  csv_reader *r = NULL;
  csv_row row;
  int rc = csv_open_mem(&r, b.data, b.len, err);
  if (rc == HT_OK) rc = csv_next(r, &row, err);
  if (rc == 1) rc = csv_next(r, &row, err);
  *nfields = rc == 1 ? row.nfields : 0;
  csv_close(r);
  strbuf_free(&b);
  return rc;
}

TEST(csv_field_count_limit) {
  ht_err err = {0};
  size_t n = 0;
  CHECK_EQ_INT(read_commas(CSV_MAX_FIELDS, &err, &n), 1);
  CHECK_EQ_INT(n, CSV_MAX_FIELDS);
  CHECK_EQ_INT(read_commas(CSV_MAX_FIELDS + 1, &err, &n), HT_ELIMIT);
  CHECK(strstr(err.msg, "line 2: the record has more than 1000 fields") != NULL);
}

/* One field of n 'x' bytes, quoted or not, after a header line. */
static int read_long_field(size_t n, int quoted, ht_err *err, size_t *len) {
  char *data = malloc(n + 8);
  size_t k = 0;
  data[k++] = 'h';
  data[k++] = '\n';
  if (quoted) data[k++] = '"';
  memset(data + k, 'x', n);
  k += n;
  if (quoted) data[k++] = '"';
  csv_reader *r = NULL;
  csv_row row;
  int rc = csv_open_mem(&r, data, k, err);
  if (rc == HT_OK) rc = csv_next(r, &row, err);
  if (rc == 1) rc = csv_next(r, &row, err);
  *len = rc == 1 ? row.lens[0] : 0;
  csv_close(r);
  free(data);
  return rc;
}

TEST(csv_field_length_limit) {
  ht_err err = {0};
  size_t len = 0;
  for (int quoted = 0; quoted <= 1; quoted++) {
    CHECK_EQ_INT(read_long_field(CSV_MAX_FIELD, quoted, &err, &len), 1);
    CHECK_EQ_INT(len, CSV_MAX_FIELD);
    CHECK_EQ_INT(read_long_field(CSV_MAX_FIELD + 1, quoted, &err, &len), HT_ELIMIT);
    CHECK(strstr(err.msg, "line 2: field 1 is longer than 1 MiB") != NULL);
  }
  /* A quote that is never closed is reported as such, however much follows it. */
  char *data = malloc(CSV_MAX_FIELD + 16);
  data[0] = '"';
  memset(data + 1, 'x', CSV_MAX_FIELD + 8);
  csv_reader *r = NULL;
  csv_row row;
  CHECK_EQ_INT(csv_open_mem(&r, data, CSV_MAX_FIELD + 9, &err), HT_OK);
  CHECK_EQ_INT(csv_next(r, &row, &err), HT_EINVAL);
  CHECK(strstr(err.msg, "line 1: unterminated quoted field") != NULL);
  csv_close(r);
  free(data);
}

static void write_file(const char *path, const char *data, size_t len) {
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  if (!f) return;
  CHECK_EQ_INT(fwrite(data, 1, len, f), len);
  fclose(f);
}

TEST(csv_open_file_reads_whole_file) {
  char path[512];
  snprintf(path, sizeof path, "%s/households.csv", test_tmpdir());
  write_file(path, S("\xEF\xBB\xBFMã hộ;Chủ hộ\r\nH01;\"Trần Thị Bình\"\r\nH02;Lê Văn Đức\r\n"));
  csv_reader *r = NULL;
  ht_err err = {0};
  CHECK_EQ_INT(csv_open_file(&r, path, &err), HT_OK);
  CHECK_EQ_INT(csv_delimiter(r), ';');
  csv_row row;
  CHECK_EQ_INT(csv_next(r, &row, &err), 1);
  CHECK_EQ_INT(row.nfields, 2);
  CHECK_EQ_STR(row.fields[0], "Mã hộ");
  CHECK_EQ_INT(csv_next(r, &row, &err), 1);
  CHECK_EQ_STR(row.fields[1], "Trần Thị Bình");
  CHECK_EQ_INT(row.record, 2);
  CHECK_EQ_INT(csv_next(r, &row, &err), 1);
  CHECK_EQ_STR(row.fields[1], "Lê Văn Đức");
  CHECK_EQ_INT(row.line, 3);
  CHECK_EQ_INT(csv_next(r, &row, &err), 0);
  csv_close(r);
}

TEST(csv_open_file_errors) {
  char path[512];
  csv_reader *r = NULL;
  ht_err err = {0};
  snprintf(path, sizeof path, "%s/missing.csv", test_tmpdir());
  CHECK_EQ_INT(csv_open_file(&r, path, &err), HT_EIO);
  CHECK(r == NULL);
  CHECK(strstr(err.msg, "missing.csv") != NULL);

  CHECK_EQ_INT(csv_open_file(&r, test_tmpdir(), &err), HT_EIO);
  CHECK(strstr(err.msg, "directory") != NULL);

  /* A sparse file just over the limit: refused from its size, never read. */
  snprintf(path, sizeof path, "%s/huge.csv", test_tmpdir());
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  CHECK(fd >= 0);
  CHECK_EQ_INT(ftruncate(fd, (off_t)CSV_MAX_INPUT + 1), 0);
  close(fd);
  CHECK_EQ_INT(csv_open_file(&r, path, &err), HT_ELIMIT);
  CHECK(strstr(err.msg, "512 MiB") != NULL);
  CHECK(r == NULL);
  unlink(path);
}

/* Inputs built from the characters the parser cares about: no crash, and
 * every record it returns is valid UTF-8 without embedded NULs. */
TEST(csv_random_inputs) {
  static const char *const pieces[] = {",",    ";", "\t", "\"",   "\"\"", "\r", "\n",
                                       "\r\n", "a", "ễ",  "\xC3", "\xFF", " ",  "\xEF\xBB\xBF"};
  const size_t npieces = sizeof pieces / sizeof pieces[0];
  unsigned long seed = 12345;
  for (int iter = 0; iter < 3000; iter++) {
    strbuf b = STRBUF_INIT;
    int n = iter % 40;
    for (int k = 0; k < n; k++) {
      seed = seed * 6364136223846793005UL + 1442695040888963407UL;
      strbuf_puts(&b, pieces[(seed >> 33) % npieces]);
    }
    char *dump = NULL;
    int rc = dump_csv(b.data ? b.data : "", b.len, NULL, &dump, NULL);
    CHECK(rc == 0 || rc == HT_EINVAL);
    free(dump);
    strbuf_free(&b);
  }
}
