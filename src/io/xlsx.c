/* xlsx.c - streaming .xlsx reader on libzip + expat (see xlsx.h for what is
 * read, the limits and the errors). */
#include "io/xlsx.h"

#include <ctype.h>
#include <errno.h>
#include <expat.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <zip.h>

#include "base/date.h"
#include "base/strbuf.h"
#include "base/vtext.h"

#define CHUNK 65536                               /* bytes handed to expat at a time */
#define RATIO_FLOOR ((unsigned long long)1 << 20) /* small parts may compress well */
#define MAX_SHEETS 10000
#define MAX_STYLES 1000000
#define NS_SEP ' ' /* expat's namespace separator: cannot occur in a URI or a name */

/* One ZIP entry being read, with the counts the limits are checked against. */
typedef struct xlsx__part {
  zip_file_t *zf;
  char name[256];
  unsigned long long comp, read;
} xlsx__part;

/* A custom number format: its id and whether it shows a date or time. */
typedef struct xlsx__numfmt {
  unsigned id;
  int is_date;
} xlsx__numfmt;

struct xlsx_reader {
  char *data; /* owned copy of the input (xlsx_open_mem), else NULL */
  zip_t *zip;
  unsigned long long total_read; /* decompressed bytes read so far, every part */
  int date1904;

  /* Sheets in workbook order: name (NFC), relationship id, part path (NULL
   * when the relationship is missing or not a worksheet). */
  size_t nsheets, sheets_cap;
  char **sheet_names, **sheet_rids, **sheet_paths;

  /* Styles: per cellXfs index, 1 if its number format is a date. */
  unsigned char *xf_date;
  size_t nxf, xf_cap;
  xlsx__numfmt *numfmts;
  size_t nnumfmts, numfmts_cap;

  /* Shared strings: NFC text back to back with NULs; pointers once loaded. */
  int sst_loaded;
  strbuf sst_text;
  size_t nsst, sst_cap;
  size_t *sst_off, *sst_len;
  char **sst_ptr;

  /* Merged ranges of the selected sheet. */
  xlsx_range *merges;
  size_t nmerges, merges_cap;

  /* The parse in progress (every part is parsed with a fresh parser). */
  XML_Parser xp;
  const char *part_name;
  int status; /* HT_OK, or the error every further xlsx_next() returns */
  ht_err saved;
  int depth_skip; /* >0 inside a phonetic run (rPh), whose text is dropped */
  int in_text;    /* collecting character data into text */
  strbuf text;    /* the string or value being collected */
  int in_sheets, in_cellxfs, in_numfmts, in_si, in_sheetdata, in_row, in_cell;

  /* The selected sheet's stream. */
  int selected, done, suspended, eof_fed;
  size_t sheet;
  xlsx__part sp;
  long row_num, last_row;
  long cell_col; /* column of the previous cell in the row, -1 before the first */
  char cell_type[16];
  unsigned long cell_style;
  int cell_has_value;
  int row_ready;

  /* The row being built and returned: text of the cells that are not shared
   * strings in rowtext; per cell either an external pointer (shared string,
   * constant) or an offset into rowtext. */
  strbuf rowtext;
  size_t ncells, cells_cap;
  long last_value; /* index of the last cell with a value, -1 if none */
  const char **ext;
  size_t *off, *lens;
  xlsx_type *types;
  char **cells;
};

static const char *local_name(const char *name) {
  const char *s = strrchr(name, NS_SEP);
  return s ? s + 1 : name;
}

static const char *attr(const char **atts, const char *name) {
  for (size_t i = 0; atts[i]; i += 2)
    if (strcmp(local_name(atts[i]), name) == 0) return atts[i + 1];
  return NULL;
}

/* Records the first error in the reader (so later calls repeat it) and stops
 * the parse in progress; returns the code in force. */
static int rfail(xlsx_reader *r, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int rfail(xlsx_reader *r, int code, const char *fmt, ...) {
  if (r->status) return r->status;
  va_list ap;
  va_start(ap, fmt);
  r->saved.code = code;
  vsnprintf(r->saved.msg, sizeof r->saved.msg, fmt, ap);
  va_end(ap);
  r->status = code;
  if (r->xp) XML_StopParser(r->xp, XML_FALSE);
  return code;
}

/* Copies the reader's error into err; returns its code. */
static int report(const xlsx_reader *r, ht_err *err) {
  if (err && r->status) *err = r->saved;
  return r->status;
}

const char *xlsx_column_name(size_t col, char buf[4]) {
  char tmp[4];
  size_t n = 0;
  col++;
  while (col > 0 && n < 3) {
    tmp[n++] = (char)('A' + (col - 1) % 26);
    col = (col - 1) / 26;
  }
  for (size_t i = 0; i < n; i++) buf[i] = tmp[n - 1 - i];
  buf[n] = '\0';
  return buf;
}

/* Parses a cell reference "B12" (row digits optional). Returns 0, or -1 if it
 * does not start with 1-3 letters, or -2 if the column is beyond XFD. */
static int parse_ref(const char *s, size_t *col, long *row, const char **end) {
  size_t c = 0, letters = 0;
  while (isalpha((unsigned char)*s)) {
    if (++letters > 3) return -2;
    c = c * 26 + (size_t)(toupper((unsigned char)*s) - 'A' + 1);
    s++;
  }
  if (letters == 0) return -1;
  if (c > XLSX_MAX_COLS) return -2;
  long rw = 0;
  while (isdigit((unsigned char)*s)) {
    if (rw <= XLSX_MAX_ROWS) rw = rw * 10 + (*s - '0');
    s++;
  }
  *col = c - 1;
  if (row) *row = rw;
  if (end) *end = s;
  return 0;
}

/* ---- Parts: opening and reading ZIP entries within the limits ---- */

/* Opens the entry called name (case-insensitive, as OOXML part names are).
 * HT_ENOTFOUND (no message) if absent; the limits on declared sizes are
 * checked before anything is decompressed. */
static int part_open(xlsx_reader *r, const char *name, xlsx__part *pt) {
  memset(pt, 0, sizeof *pt);
  snprintf(pt->name, sizeof pt->name, "%s", name);
  zip_int64_t idx = zip_name_locate(r->zip, name, ZIP_FL_NOCASE);
  if (idx < 0) return HT_ENOTFOUND;
  zip_stat_t st;
  if (zip_stat_index(r->zip, (zip_uint64_t)idx, 0, &st) != 0)
    return rfail(r, HT_EINVAL, "part %s: cannot be read: %s", name, zip_strerror(r->zip));
  pt->comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
  if (st.valid & ZIP_STAT_SIZE) {
    if (st.size > XLSX_MAX_TOTAL - r->total_read)
      return rfail(r, HT_ELIMIT,
                   "part %s: declares %llu MiB uncompressed; the limit is %llu MiB for the "
                   "whole workbook",
                   name, (unsigned long long)st.size >> 20, XLSX_MAX_TOTAL >> 20);
    if (st.size > RATIO_FLOOR && st.size / (pt->comp ? pt->comp : 1) > XLSX_MAX_RATIO)
      return rfail(r, HT_ELIMIT,
                   "part %s: declares %llu bytes uncompressed from %llu compressed, more than "
                   "%d times: refused as a possible zip bomb",
                   name, (unsigned long long)st.size, pt->comp, XLSX_MAX_RATIO);
  }
  pt->zf = zip_fopen_index(r->zip, (zip_uint64_t)idx, 0);
  if (!pt->zf)
    return rfail(r, HT_EINVAL, "part %s: cannot be read (encrypted or damaged?): %s", name,
                 zip_strerror(r->zip));
  return HT_OK;
}

/* Reads up to cap decompressed bytes; returns the count (0 at the end) or <0. */
static long part_read(xlsx_reader *r, xlsx__part *pt, void *buf, size_t cap) {
  zip_int64_t n = zip_fread(pt->zf, buf, cap);
  if (n < 0)
    return rfail(r, HT_EINVAL, "part %s: damaged: %s", pt->name, zip_file_strerror(pt->zf));
  pt->read += (unsigned long long)n;
  r->total_read += (unsigned long long)n;
  if (r->total_read > XLSX_MAX_TOTAL)
    return rfail(r, HT_ELIMIT,
                 "part %s: the workbook decompresses to more than %llu MiB; that is the limit",
                 pt->name, XLSX_MAX_TOTAL >> 20);
  if (pt->read > RATIO_FLOOR && pt->read / (pt->comp ? pt->comp : 1) > XLSX_MAX_RATIO)
    return rfail(r, HT_ELIMIT,
                 "part %s: decompresses to more than %d times its compressed size: refused as "
                 "a possible zip bomb",
                 pt->name, XLSX_MAX_RATIO);
  return (long)n;
}

static void part_close(xlsx__part *pt) {
  if (pt->zf) zip_fclose(pt->zf);
  pt->zf = NULL;
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal_subset) {
  xlsx_reader *r = ud;
  rfail(r, HT_EINVAL, "part %s: a DTD (<!DOCTYPE>) is not allowed in a workbook", r->part_name);
}

static XML_Parser new_parser(xlsx_reader *r, const char *part_name) {
  XML_Parser p = XML_ParserCreateNS(NULL, NS_SEP);
  if (!p) abort(); /* out of memory, as strbuf does */
  XML_SetUserData(p, r);
  XML_SetStartDoctypeDeclHandler(p, on_doctype);
  r->xp = p;
  r->part_name = part_name;
  r->depth_skip = 0;
  r->in_text = 0;
  return p;
}

static void free_parser(xlsx_reader *r) {
  if (r->xp) XML_ParserFree(r->xp);
  r->xp = NULL;
}

static int xml_error(xlsx_reader *r, XML_Parser p, const char *part_name) {
  return rfail(r, HT_EINVAL, "part %s: bad XML at line %lu, column %lu: %s", part_name,
               (unsigned long)XML_GetCurrentLineNumber(p),
               (unsigned long)XML_GetCurrentColumnNumber(p) + 1,
               XML_ErrorString(XML_GetErrorCode(p)));
}

/* Parses the whole part name with handlers already set on r->xp. Returns
 * HT_ENOTFOUND (no message) if the part is absent. O(part size). */
static int parse_part(xlsx_reader *r, const char *name) {
  xlsx__part pt;
  int rc = part_open(r, name, &pt);
  if (rc) return rc;
  XML_Parser p = r->xp;
  for (;;) {
    void *buf = XML_GetBuffer(p, CHUNK);
    if (!buf) abort();
    long n = part_read(r, &pt, buf, CHUNK);
    if (n < 0) break;
    if (XML_ParseBuffer(p, (int)n, n == 0) != XML_STATUS_OK) {
      if (!r->status) xml_error(r, p, name);
      break;
    }
    if (r->status || n == 0) break;
  }
  part_close(&pt);
  return r->status;
}

/* Appends character data to r->text when collecting, within the limit. */
static void XMLCALL on_text(void *ud, const XML_Char *s, int len) {
  xlsx_reader *r = ud;
  if (!r->in_text || r->depth_skip || r->status) return;
  if (r->text.len + (size_t)len > XLSX_MAX_STRING) {
    rfail(r, HT_ELIMIT, "part %s: a string is longer than %zu bytes (the limit)", r->part_name,
          XLSX_MAX_STRING);
    return;
  }
  strbuf_append(&r->text, s, (size_t)len);
}

/* NFC copy of the collected text appended to out with a NUL; its length in
 * *len. ASCII is copied as is. HT_EINVAL if not UTF-8 (expat prevents it). */
static int append_nfc(xlsx_reader *r, strbuf *out, size_t *len) {
  const char *s = strbuf_cstr(&r->text);
  size_t n = r->text.len, i = 0;
  while (i < n && (unsigned char)s[i] < 0x80) i++;
  if (i == n) {
    strbuf_append(out, s, n);
    *len = n;
  } else {
    char *norm = NULL;
    if (vt_nfc(s, &norm) != HT_OK)
      return rfail(r, HT_EINVAL, "part %s: text is not valid UTF-8", r->part_name);
    *len = strlen(norm);
    strbuf_append(out, norm, *len);
    free(norm);
  }
  strbuf_putc(out, '\0');
  return HT_OK;
}

/* ---- Workbook, relationships, styles ---- */

static void XMLCALL wb_start(void *ud, const XML_Char *el, const XML_Char **atts) {
  xlsx_reader *r = ud;
  const char *n = local_name(el);
  if (strcmp(n, "workbookPr") == 0) {
    const char *v = attr(atts, "date1904");
    r->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
  } else if (strcmp(n, "sheets") == 0) {
    r->in_sheets = 1;
  } else if (strcmp(n, "sheet") == 0 && r->in_sheets) {
    const char *name = attr(atts, "name"), *rid = attr(atts, "id");
    if (!name || !rid) {
      rfail(r, HT_EINVAL, "part xl/workbook.xml: a sheet without a name or r:id");
      return;
    }
    if (r->nsheets >= MAX_SHEETS) {
      rfail(r, HT_ELIMIT, "part xl/workbook.xml: more than %d sheets", MAX_SHEETS);
      return;
    }
    if (r->nsheets == r->sheets_cap) {
      r->sheets_cap = r->sheets_cap ? r->sheets_cap * 2 : 8;
      r->sheet_names = realloc(r->sheet_names, r->sheets_cap * sizeof(char *));
      r->sheet_rids = realloc(r->sheet_rids, r->sheets_cap * sizeof(char *));
      r->sheet_paths = realloc(r->sheet_paths, r->sheets_cap * sizeof(char *));
      if (!r->sheet_names || !r->sheet_rids || !r->sheet_paths) abort();
    }
    char *norm = NULL;
    if (vt_nfc(name, &norm) != HT_OK || !(r->sheet_rids[r->nsheets] = strdup(rid))) abort();
    r->sheet_names[r->nsheets] = norm;
    r->sheet_paths[r->nsheets] = NULL;
    r->nsheets++;
  }
}

static void XMLCALL wb_end(void *ud, const XML_Char *el) {
  xlsx_reader *r = ud;
  if (strcmp(local_name(el), "sheets") == 0) r->in_sheets = 0;
}

/* Resolves a relationship target against xl/ ("/xl/x.xml" is absolute). */
static char *resolve_target(const char *target) {
  strbuf b = STRBUF_INIT;
  if (target[0] == '/') {
    strbuf_puts(&b, target + 1);
  } else {
    while (strncmp(target, "./", 2) == 0) target += 2;
    if (strncmp(target, "../", 3) == 0)
      strbuf_puts(&b, target + 3);
    else {
      strbuf_puts(&b, "xl/");
      strbuf_puts(&b, target);
    }
  }
  return strbuf_detach(&b);
}

static void XMLCALL rels_start(void *ud, const XML_Char *el, const XML_Char **atts) {
  xlsx_reader *r = ud;
  if (strcmp(local_name(el), "Relationship") != 0) return;
  const char *id = attr(atts, "Id"), *target = attr(atts, "Target"), *type = attr(atts, "Type");
  if (!id || !target || !type) return;
  size_t tl = strlen(type);
  if (tl < 10 || strcmp(type + tl - 10, "/worksheet") != 0) return;
  for (size_t i = 0; i < r->nsheets; i++)
    if (!r->sheet_paths[i] && strcmp(r->sheet_rids[i], id) == 0)
      r->sheet_paths[i] = resolve_target(target);
}

/* 1 if the number format code shows a date or time: d, m, y or h outside
 * quotes, escapes and [...] sections, or an elapsed-time section like [h]. */
static int format_code_is_date(const char *code) {
  for (const char *p = code; *p; p++) {
    char c = (char)tolower((unsigned char)*p);
    if (c == '"') {
      p++;
      while (*p && *p != '"') p++;
      if (!*p) return 0;
    } else if (c == '\\' || c == '_' || c == '*') {
      if (!p[1]) return 0;
      p++;
    } else if (c == '[') {
      const char *q = p + 1;
      int time_only = 1, any = 0;
      while (*q && *q != ']') {
        char t = (char)tolower((unsigned char)*q);
        if (t != 'h' && t != 'm' && t != 's') time_only = 0;
        any = 1;
        q++;
      }
      if (any && time_only) return 1;
      if (!*q) return 0;
      p = q;
    } else if (c == 'd' || c == 'm' || c == 'y' || c == 'h') {
      return 1;
    }
  }
  return 0;
}

static int builtin_is_date(unsigned id) {
  return (id >= 14 && id <= 22) || (id >= 45 && id <= 47);
}

static void XMLCALL styles_start(void *ud, const XML_Char *el, const XML_Char **atts) {
  xlsx_reader *r = ud;
  const char *n = local_name(el);
  if (strcmp(n, "numFmts") == 0) {
    r->in_numfmts = 1;
  } else if (strcmp(n, "numFmt") == 0 && r->in_numfmts) {
    const char *id = attr(atts, "numFmtId"), *code = attr(atts, "formatCode");
    if (!id || !code) return;
    if (r->nnumfmts >= MAX_STYLES) {
      rfail(r, HT_ELIMIT, "part xl/styles.xml: more than %d number formats", MAX_STYLES);
      return;
    }
    if (r->nnumfmts == r->numfmts_cap) {
      r->numfmts_cap = r->numfmts_cap ? r->numfmts_cap * 2 : 16;
      r->numfmts = realloc(r->numfmts, r->numfmts_cap * sizeof *r->numfmts);
      if (!r->numfmts) abort();
    }
    r->numfmts[r->nnumfmts].id = (unsigned)strtoul(id, NULL, 10);
    r->numfmts[r->nnumfmts].is_date = format_code_is_date(code);
    r->nnumfmts++;
  } else if (strcmp(n, "cellXfs") == 0) {
    r->in_cellxfs = 1;
  } else if (strcmp(n, "xf") == 0 && r->in_cellxfs) {
    if (r->nxf >= MAX_STYLES) {
      rfail(r, HT_ELIMIT, "part xl/styles.xml: more than %d cell styles", MAX_STYLES);
      return;
    }
    const char *v = attr(atts, "numFmtId");
    unsigned id = v ? (unsigned)strtoul(v, NULL, 10) : 0;
    int is_date = builtin_is_date(id);
    /* a custom format may redefine an id; the last definition wins */
    for (size_t i = 0; i < r->nnumfmts; i++)
      if (r->numfmts[i].id == id) is_date = r->numfmts[i].is_date;
    if (r->nxf == r->xf_cap) {
      r->xf_cap = r->xf_cap ? r->xf_cap * 2 : 64;
      r->xf_date = realloc(r->xf_date, r->xf_cap);
      if (!r->xf_date) abort();
    }
    r->xf_date[r->nxf++] = (unsigned char)is_date;
  }
}

static void XMLCALL styles_end(void *ud, const XML_Char *el) {
  xlsx_reader *r = ud;
  const char *n = local_name(el);
  if (strcmp(n, "numFmts") == 0) r->in_numfmts = 0;
  if (strcmp(n, "cellXfs") == 0) r->in_cellxfs = 0;
}

/* ---- Shared strings ---- */

static void XMLCALL sst_start(void *ud, const XML_Char *el, const XML_Char **atts) {
  xlsx_reader *r = ud;
  const char *n = local_name(el);
  if (strcmp(n, "si") == 0) {
    r->in_si = 1;
    strbuf_reset(&r->text);
  } else if (strcmp(n, "rPh") == 0) {
    r->depth_skip++;
  } else if (strcmp(n, "t") == 0 && r->in_si) {
    r->in_text = 1;
  }
}

static void XMLCALL sst_end(void *ud, const XML_Char *el) {
  xlsx_reader *r = ud;
  const char *n = local_name(el);
  if (strcmp(n, "t") == 0) {
    r->in_text = 0;
  } else if (strcmp(n, "rPh") == 0) {
    if (r->depth_skip) r->depth_skip--;
  } else if (strcmp(n, "si") == 0 && r->in_si) {
    r->in_si = 0;
    if (r->nsst >= XLSX_MAX_SHARED) {
      rfail(r, HT_ELIMIT, "part xl/sharedStrings.xml: more than %d shared strings (the limit)",
            XLSX_MAX_SHARED);
      return;
    }
    if (r->nsst == r->sst_cap) {
      r->sst_cap = r->sst_cap ? r->sst_cap * 2 : 256;
      r->sst_off = realloc(r->sst_off, r->sst_cap * sizeof(size_t));
      r->sst_len = realloc(r->sst_len, r->sst_cap * sizeof(size_t));
      if (!r->sst_off || !r->sst_len) abort();
    }
    r->sst_off[r->nsst] = r->sst_text.len;
    if (append_nfc(r, &r->sst_text, &r->sst_len[r->nsst])) return;
    r->nsst++;
    if (r->sst_text.len > XLSX_MAX_SHARED_BYTES)
      rfail(r, HT_ELIMIT,
            "part xl/sharedStrings.xml: the shared strings exceed %zu MiB (the limit)",
            XLSX_MAX_SHARED_BYTES >> 20);
  }
}

/* Loads xl/sharedStrings.xml once (absent means none). O(part size). */
static int load_shared_strings(xlsx_reader *r) {
  if (r->sst_loaded) return HT_OK;
  XML_Parser p = new_parser(r, "xl/sharedStrings.xml");
  XML_SetElementHandler(p, sst_start, sst_end);
  XML_SetCharacterDataHandler(p, on_text);
  int rc = parse_part(r, "xl/sharedStrings.xml");
  free_parser(r);
  if (rc == HT_ENOTFOUND) rc = HT_OK;
  if (rc) return rc;
  r->sst_ptr = malloc((r->nsst ? r->nsst : 1) * sizeof(char *));
  if (!r->sst_ptr) abort();
  for (size_t i = 0; i < r->nsst; i++) r->sst_ptr[i] = r->sst_text.data + r->sst_off[i];
  r->sst_loaded = 1;
  return HT_OK;
}

/* ---- Merged ranges (first pass over the sheet) ---- */

static void XMLCALL merge_start(void *ud, const XML_Char *el, const XML_Char **atts) {
  xlsx_reader *r = ud;
  if (strcmp(local_name(el), "mergeCell") != 0) return;
  const char *ref = attr(atts, "ref"), *end = NULL;
  xlsx_range m;
  if (!ref || parse_ref(ref, &m.first_col, &m.first_row, &end) != 0) return;
  m.last_col = m.first_col;
  m.last_row = m.first_row;
  if (*end == ':' && parse_ref(end + 1, &m.last_col, &m.last_row, &end) != 0) return;
  if (*end || m.first_row < 1 || m.last_row < m.first_row || m.last_col < m.first_col) return;
  if (r->nmerges >= XLSX_MAX_MERGES) {
    rfail(r, HT_ELIMIT, "part %s: more than %d merged ranges (the limit)", r->part_name,
          XLSX_MAX_MERGES);
    return;
  }
  if (r->nmerges == r->merges_cap) {
    r->merges_cap = r->merges_cap ? r->merges_cap * 2 : 16;
    r->merges = realloc(r->merges, r->merges_cap * sizeof *r->merges);
    if (!r->merges) abort();
  }
  r->merges[r->nmerges++] = m;
}

/* ---- Cells and rows of the selected sheet ---- */

/* Makes room for n cells in the row arrays. */
static void ensure_cells(xlsx_reader *r, size_t n) {
  if (n <= r->cells_cap) return;
  size_t cap = r->cells_cap ? r->cells_cap : 16;
  while (cap < n) cap *= 2;
  r->ext = realloc(r->ext, cap * sizeof *r->ext);
  r->off = realloc(r->off, cap * sizeof *r->off);
  r->lens = realloc(r->lens, cap * sizeof *r->lens);
  r->types = realloc(r->types, cap * sizeof *r->types);
  r->cells = realloc(r->cells, cap * sizeof *r->cells);
  if (!r->ext || !r->off || !r->lens || !r->types || !r->cells) abort();
  r->cells_cap = cap;
}

/* Sets cell col (gaps before it become empty cells). text NULL means the
 * value is the last len bytes appended to rowtext (NUL excluded). */
static void put_cell(xlsx_reader *r, size_t col, xlsx_type type, const char *text, size_t len) {
  ensure_cells(r, col + 1);
  while (r->ncells < col) {
    r->ext[r->ncells] = "";
    r->lens[r->ncells] = 0;
    r->types[r->ncells] = XLSX_EMPTY;
    r->ncells++;
  }
  r->ext[col] = text;
  r->off[col] = text ? 0 : r->rowtext.len - len - 1;
  r->lens[col] = len;
  r->types[col] = len ? type : XLSX_EMPTY; /* an empty string is an empty cell */
  r->ncells = col + 1;
  if (r->types[col] != XLSX_EMPTY) r->last_value = (long)col;
}

/* Writes an Excel serial date as ISO text; 0, or -1 if out of 0000-9999. */
static int format_serial_date(double serial, int date1904, char buf[32]) {
  if (!(serial >= 0 && serial < 2958466)) return -1;
  long long secs = llround(serial * 86400.0);
  long long days = secs / 86400;
  int sod = (int)(secs % 86400);
  int32_t epoch;
  if (date1904) {
    epoch = date_from_ymd(1904, 1, 1);
  } else {
    epoch = date_from_ymd(1899, 12, 30);
    /* Excel counts a 29 February 1900 that never was: serials below 60 are
     * one day later than the plain count from 30 December 1899. */
    if (days > 0 && days < 60) days++;
  }
  char day[11];
  date_format((int32_t)(epoch + days), day);
  if (sod == 0)
    snprintf(buf, 32, "%s", day);
  else
    snprintf(buf, 32, "%s %02d:%02d:%02d", day, sod / 3600, sod / 60 % 60, sod % 60);
  return 0;
}

/* The decimal Excel shows: integers below 2^53 exactly, others "%.15g". */
static void format_number(double v, char buf[40]) {
  if (v == 0) {
    snprintf(buf, 40, "0");
  } else if (v == floor(v) && fabs(v) < 9007199254740992.0) {
    snprintf(buf, 40, "%.0f", v);
  } else {
    snprintf(buf, 40, "%.15g", v);
  }
}

static void cell_where(xlsx_reader *r, char *buf, size_t cap) {
  char col[4];
  snprintf(buf, cap, "sheet '%s', cell %s%ld", r->sheet_names[r->sheet],
           xlsx_column_name((size_t)r->cell_col, col), r->row_num);
}

/* Turns the collected value of the cell that just ended into a row cell. */
static void finish_cell(xlsx_reader *r) {
  char where[400];
  const char *t = r->cell_type;
  size_t col = (size_t)r->cell_col;
  const char *v = strbuf_cstr(&r->text);
  if (!r->cell_has_value) {
    put_cell(r, col, XLSX_EMPTY, "", 0);
  } else if (strcmp(t, "s") == 0) {
    char *end;
    errno = 0;
    unsigned long long idx = strtoull(v, &end, 10);
    while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r') end++;
    if (end == v || *end || errno || v[0] == '-' || idx >= r->nsst) {
      cell_where(r, where, sizeof where);
      rfail(r, HT_EINVAL, "%s: shared string '%.40s' does not exist (the workbook has %zu)", where,
            v, r->nsst);
      return;
    }
    put_cell(r, col, XLSX_STRING, r->sst_ptr[idx], r->sst_len[idx]);
  } else if (strcmp(t, "inlineStr") == 0 || strcmp(t, "str") == 0) {
    size_t len;
    if (append_nfc(r, &r->rowtext, &len)) return;
    put_cell(r, col, XLSX_STRING, NULL, len);
  } else if (strcmp(t, "b") == 0) {
    if (strcmp(v, "1") != 0 && strcmp(v, "0") != 0 && strcmp(v, "true") != 0 &&
        strcmp(v, "false") != 0 && v[0]) {
      cell_where(r, where, sizeof where);
      rfail(r, HT_EINVAL, "%s: '%.40s' is not a boolean", where, v);
      return;
    }
    if (!v[0])
      put_cell(r, col, XLSX_EMPTY, "", 0);
    else if (v[0] == '1' || v[0] == 't')
      put_cell(r, col, XLSX_BOOL, "TRUE", 4);
    else
      put_cell(r, col, XLSX_BOOL, "FALSE", 5);
  } else if (strcmp(t, "e") == 0 || strcmp(t, "d") == 0) {
    size_t len;
    if (t[0] == 'd') {
      /* ISO 8601 "2024-03-05T00:00:00Z": date part, and the time if not 0 */
      char iso[32];
      snprintf(iso, sizeof iso, "%.19s", v);
      if (strlen(iso) >= 11 && iso[10] == 'T') iso[10] = ' ';
      if (strcmp(iso + (strlen(iso) >= 10 ? 10 : 0), " 00:00:00") == 0) iso[10] = '\0';
      strbuf_reset(&r->text);
      strbuf_puts(&r->text, iso);
    }
    if (append_nfc(r, &r->rowtext, &len)) return;
    put_cell(r, col, t[0] == 'd' ? XLSX_DATE : XLSX_ERROR, NULL, len);
  } else if (strcmp(t, "n") == 0 || t[0] == '\0') {
    const char *s = v;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
    if (!*s) {
      put_cell(r, col, XLSX_EMPTY, "", 0);
      return;
    }
    char *end;
    double d = strtod(s, &end);
    while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r') end++;
    if (end == s || *end || !isfinite(d)) {
      cell_where(r, where, sizeof where);
      rfail(r, HT_EINVAL, "%s: '%.40s' is not a number", where, v);
      return;
    }
    char buf[40];
    xlsx_type type = XLSX_NUMBER;
    if (r->cell_style < r->nxf && r->xf_date[r->cell_style] &&
        format_serial_date(d, r->date1904, buf) == 0)
      type = XLSX_DATE;
    else
      format_number(d, buf);
    size_t len = strlen(buf);
    strbuf_append(&r->rowtext, buf, len + 1);
    put_cell(r, col, type, NULL, len);
  } else {
    cell_where(r, where, sizeof where);
    rfail(r, HT_EINVAL, "%s: unknown cell type '%.20s'", where, t);
  }
}

static void XMLCALL sheet_start(void *ud, const XML_Char *el, const XML_Char **atts) {
  xlsx_reader *r = ud;
  const char *n = local_name(el);
  if (r->status) return;
  if (strcmp(n, "sheetData") == 0) {
    r->in_sheetdata = 1;
  } else if (strcmp(n, "row") == 0 && r->in_sheetdata) {
    const char *v = attr(atts, "r");
    long num = r->last_row + 1;
    if (v) {
      char *end;
      errno = 0;
      num = strtol(v, &end, 10);
      if (end == v || *end || errno || num < 1) {
        rfail(r, HT_EINVAL, "sheet '%s': row number '%.20s' after row %ld is not valid",
              r->sheet_names[r->sheet], v, r->last_row);
        return;
      }
    }
    if (num > XLSX_MAX_ROWS) {
      rfail(r, HT_ELIMIT, "sheet '%s': row %ld is beyond the last row of a sheet (%ld)",
            r->sheet_names[r->sheet], num, XLSX_MAX_ROWS);
      return;
    }
    if (num <= r->last_row) {
      rfail(r, HT_EINVAL, "sheet '%s': row %ld comes after row %ld (rows out of order)",
            r->sheet_names[r->sheet], num, r->last_row);
      return;
    }
    r->row_num = num;
    r->in_row = 1;
    r->ncells = 0;
    r->last_value = -1;
    r->cell_col = -1;
    strbuf_reset(&r->rowtext);
  } else if (strcmp(n, "c") == 0 && r->in_row) {
    const char *ref = attr(atts, "r"), *t = attr(atts, "t"), *s = attr(atts, "s");
    size_t col = (size_t)(r->cell_col + 1);
    if (ref) {
      int rc = parse_ref(ref, &col, NULL, NULL);
      if (rc == -1) {
        rfail(r, HT_EINVAL, "sheet '%s', row %ld: cell reference '%.20s' is not valid",
              r->sheet_names[r->sheet], r->row_num, ref);
        return;
      }
      if (rc == -2) col = XLSX_MAX_COLS;
    }
    if (col >= XLSX_MAX_COLS) {
      rfail(r, HT_ELIMIT, "sheet '%s', row %ld: a cell beyond column XFD (%d columns)",
            r->sheet_names[r->sheet], r->row_num, XLSX_MAX_COLS);
      return;
    }
    if ((long)col <= r->cell_col) {
      char a[4], b[4];
      rfail(r, HT_EINVAL, "sheet '%s', row %ld: cell %s comes after cell %s (cells out of order)",
            r->sheet_names[r->sheet], r->row_num, xlsx_column_name(col, a),
            xlsx_column_name((size_t)r->cell_col, b));
      return;
    }
    r->cell_col = (long)col;
    snprintf(r->cell_type, sizeof r->cell_type, "%s", t ? t : "");
    r->cell_style = s ? strtoul(s, NULL, 10) : 0;
    r->cell_has_value = 0;
    r->in_cell = 1;
    strbuf_reset(&r->text);
  } else if (r->in_cell) {
    if (strcmp(n, "v") == 0) {
      r->in_text = 1;
      r->cell_has_value = 1;
    } else if (strcmp(n, "is") == 0) {
      r->cell_has_value = 1;
    } else if (strcmp(n, "t") == 0) {
      r->in_text = 1;
    } else if (strcmp(n, "rPh") == 0) {
      r->depth_skip++;
    }
  }
}

static void XMLCALL sheet_end(void *ud, const XML_Char *el) {
  xlsx_reader *r = ud;
  const char *n = local_name(el);
  if (r->status) return;
  if (strcmp(n, "v") == 0 || strcmp(n, "t") == 0) {
    r->in_text = 0;
  } else if (strcmp(n, "rPh") == 0) {
    if (r->depth_skip) r->depth_skip--;
  } else if (strcmp(n, "c") == 0 && r->in_cell) {
    r->in_cell = 0;
    r->in_text = 0;
    finish_cell(r);
  } else if (strcmp(n, "row") == 0 && r->in_row) {
    r->in_row = 0;
    r->last_row = r->row_num;
    if (r->last_value < 0) return; /* only formatting: skipped */
    r->ncells = (size_t)r->last_value + 1;
    for (size_t i = 0; i < r->ncells; i++)
      r->cells[i] = r->ext[i] ? (char *)r->ext[i] : r->rowtext.data + r->off[i];
    r->row_ready = 1;
    XML_StopParser(r->xp, XML_TRUE); /* suspend: xlsx_next returns this row */
  } else if (strcmp(n, "sheetData") == 0) {
    r->in_sheetdata = 0;
  }
}

/* ---- Opening ---- */

static int sniff(const unsigned char *head, size_t len, ht_err *err) {
  static const unsigned char ole2[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
  if (len == 0) return ht_err_set(err, HT_EINVAL, "the file is empty: it is not an .xlsx workbook");
  if (len >= 8 && memcmp(head, ole2, 8) == 0)
    return ht_err_set(err, HT_EINVAL,
                      "this is an old Excel .xls file; open it and save it as .xlsx (Excel "
                      "Workbook) (a password-protected .xlsx looks the same: remove the "
                      "password first)");
  if (len >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] < 9 && head[3] < 9) return HT_OK;
  size_t i = 0;
  if (len >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF) i = 3;
  while (i < len && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) i++;
  if (i < len && head[i] == '<')
    return ht_err_set(err, HT_EINVAL,
                      "this is an HTML or XML file, not an .xlsx workbook (not a ZIP archive); "
                      "open it in Excel and save it as .xlsx (Excel Workbook)");
  return ht_err_set(err, HT_EINVAL, "this is not an .xlsx workbook: the file is not a ZIP archive");
}

/* Reads the first bytes of an entry (for the ODF mimetype). */
static size_t read_small(xlsx_reader *r, const char *name, char *buf, size_t cap) {
  xlsx__part pt;
  size_t n = 0;
  if (part_open(r, name, &pt) == HT_OK) {
    long got = part_read(r, &pt, buf, cap - 1);
    if (got > 0) n = (size_t)got;
    part_close(&pt);
  }
  buf[n] = '\0';
  return n;
}

/* After the ZIP is open: tells other formats apart, then reads the sheet list
 * and the styles. O(size of those parts). */
static int open_workbook(xlsx_reader *r, ht_err *err) {
  char mime[128];
  read_small(r, "mimetype", mime, sizeof mime);
  if (r->status) return report(r, err);
  if (strncmp(mime, "application/vnd.oasis.opendocument.spreadsheet", 46) == 0)
    return ht_err_set(err, HT_EINVAL, "this is a LibreOffice .ods file; save it as .xlsx");
  if (strncmp(mime, "application/vnd.oasis.opendocument", 34) == 0)
    return ht_err_set(err, HT_EINVAL, "this is an OpenDocument file, not a spreadsheet workbook");
  if (zip_name_locate(r->zip, "xl/workbook.xml", ZIP_FL_NOCASE) < 0) {
    if (zip_name_locate(r->zip, "xl/workbook.bin", ZIP_FL_NOCASE) >= 0)
      return ht_err_set(err, HT_EINVAL,
                        "this is an Excel binary workbook (.xlsb); save it as .xlsx (Excel "
                        "Workbook)");
    if (zip_name_locate(r->zip, "word/document.xml", ZIP_FL_NOCASE) >= 0)
      return ht_err_set(err, HT_EINVAL, "this is a Word document (.docx), not a workbook");
    return ht_err_set(err, HT_EINVAL,
                      "this ZIP archive has no xl/workbook.xml: it is not an .xlsx workbook");
  }
  XML_Parser p = new_parser(r, "xl/workbook.xml");
  XML_SetElementHandler(p, wb_start, wb_end);
  parse_part(r, "xl/workbook.xml");
  free_parser(r);
  if (r->status) return report(r, err);
  if (r->nsheets == 0) return ht_err_set(err, HT_EINVAL, "the workbook has no sheets");
  p = new_parser(r, "xl/_rels/workbook.xml.rels");
  XML_SetElementHandler(p, rels_start, NULL);
  int rc = parse_part(r, "xl/_rels/workbook.xml.rels");
  free_parser(r);
  if (rc == HT_ENOTFOUND)
    return ht_err_set(err, HT_EINVAL,
                      "part xl/_rels/workbook.xml.rels is missing: the sheets cannot be found");
  if (rc) return report(r, err);
  p = new_parser(r, "xl/styles.xml");
  XML_SetElementHandler(p, styles_start, styles_end);
  rc = parse_part(r, "xl/styles.xml");
  free_parser(r);
  if (rc && rc != HT_ENOTFOUND) return report(r, err);
  return HT_OK;
}

static int open_source(xlsx_reader *r, zip_source_t *src, ht_err *err) {
  zip_error_t zerr;
  zip_error_init(&zerr);
  r->zip = zip_open_from_source(src, ZIP_RDONLY, &zerr);
  if (!r->zip) {
    zip_source_free(src);
    int rc = ht_err_set(err, HT_EINVAL,
                        "this is not a valid ZIP archive, so not an .xlsx workbook (damaged or "
                        "truncated?): %s",
                        zip_error_strerror(&zerr));
    zip_error_fini(&zerr);
    return rc;
  }
  zip_error_fini(&zerr);
  return open_workbook(r, err);
}

static xlsx_reader *new_reader(void) {
  xlsx_reader *r = calloc(1, sizeof *r);
  if (!r) abort();
  return r;
}

/* Copies data (O(len)) and reads the workbook's sheet list and styles. */
int xlsx_open_mem(const char *data, size_t len, xlsx_reader **out, ht_err *err) {
  *out = NULL;
  int rc = sniff((const unsigned char *)data, len, err);
  if (rc) return rc;
  if (len > XLSX_MAX_FILE)
    return ht_err_set(err, HT_ELIMIT, "the workbook is %zu MiB; the limit is %zu MiB", len >> 20,
                      XLSX_MAX_FILE >> 20);
  xlsx_reader *r = new_reader();
  r->data = malloc(len);
  if (!r->data) abort();
  memcpy(r->data, data, len);
  zip_error_t zerr;
  zip_error_init(&zerr);
  zip_source_t *src = zip_source_buffer_create(r->data, len, 0, &zerr);
  zip_error_fini(&zerr);
  if (!src) abort();
  rc = open_source(r, src, err);
  if (rc) {
    xlsx_close(r);
    return rc;
  }
  *out = r;
  return HT_OK;
}

/* Opens the file (read lazily by libzip) and reads the sheet list and styles. */
int xlsx_open_file(const char *path, xlsx_reader **out, ht_err *err) {
  *out = NULL;
  FILE *f = fopen(path, "rb");
  if (!f) return ht_err_set(err, HT_EIO, "%s: cannot open: %s", path, strerror(errno));
  unsigned char head[512];
  size_t n = fread(head, 1, sizeof head, f);
  struct stat st;
  int bad = ferror(f) || fstat(fileno(f), &st) != 0;
  fclose(f);
  if (bad) return ht_err_set(err, HT_EIO, "%s: cannot read: %s", path, strerror(errno));
  int rc = sniff(head, n, err);
  if (rc) return rc;
  if ((unsigned long long)st.st_size > XLSX_MAX_FILE)
    return ht_err_set(err, HT_ELIMIT, "%s is %llu MiB; the limit is %zu MiB", path,
                      (unsigned long long)st.st_size >> 20, XLSX_MAX_FILE >> 20);
  zip_error_t zerr;
  zip_error_init(&zerr);
  zip_source_t *src = zip_source_file_create(path, 0, -1, &zerr);
  if (!src) {
    rc = ht_err_set(err, HT_EIO, "%s: cannot open: %s", path, zip_error_strerror(&zerr));
    zip_error_fini(&zerr);
    return rc;
  }
  zip_error_fini(&zerr);
  xlsx_reader *r = new_reader();
  rc = open_source(r, src, err);
  if (rc) {
    xlsx_close(r);
    return rc;
  }
  *out = r;
  return HT_OK;
}

int xlsx_sheets(const xlsx_reader *r, const char *const **names, size_t *n) {
  *names = (const char *const *)r->sheet_names;
  *n = r->nsheets;
  return HT_OK;
}

int xlsx_merged(const xlsx_reader *r, const xlsx_range **ranges, size_t *n) {
  *ranges = r->merges;
  *n = r->nmerges;
  return HT_OK;
}

static void close_stream(xlsx_reader *r) {
  free_parser(r);
  part_close(&r->sp);
  r->selected = 0;
}

/* Finds the sheet, loads the shared strings (first time), reads the merged
 * ranges in a first pass over the sheet and opens it for streaming. O(shared
 * strings + sheet size). */
int xlsx_select(xlsx_reader *r, const char *name, ht_err *err) {
  close_stream(r);
  r->status = HT_OK;
  r->done = 0;
  r->nmerges = 0;
  size_t i = 0;
  if (name) {
    char *norm = NULL;
    if (vt_nfc(name, &norm) != HT_OK)
      return ht_err_set(err, HT_EINVAL, "the sheet name is not valid UTF-8");
    for (i = 0; i < r->nsheets; i++)
      if (strcmp(r->sheet_names[i], norm) == 0) break;
    if (i == r->nsheets)
      for (i = 0; i < r->nsheets; i++)
        if (strcasecmp(r->sheet_names[i], norm) == 0) break;
    free(norm);
    if (i == r->nsheets) {
      strbuf list = STRBUF_INIT;
      for (size_t k = 0; k < r->nsheets && list.len < 700; k++)
        strbuf_printf(&list, "%s'%s'", k ? ", " : "", r->sheet_names[k]);
      int rc = ht_err_set(err, HT_ENOTFOUND, "no sheet '%.100s' in the workbook; its sheets: %s",
                          name, strbuf_cstr(&list));
      strbuf_free(&list);
      return rc;
    }
  }
  r->sheet = i;
  const char *path = r->sheet_paths[i];
  if (!path)
    return ht_err_set(err, HT_EINVAL, "sheet '%s' has no worksheet part (a chart sheet?)",
                      r->sheet_names[i]);
  if (load_shared_strings(r)) return report(r, err);

  XML_Parser p = new_parser(r, path);
  XML_SetElementHandler(p, merge_start, NULL);
  int rc = parse_part(r, path);
  free_parser(r);
  if (rc == HT_ENOTFOUND)
    return ht_err_set(err, HT_EINVAL, "part %s of sheet '%s' is missing", path, r->sheet_names[i]);
  if (rc) return report(r, err);

  if (part_open(r, path, &r->sp)) return report(r, err);
  p = new_parser(r, path);
  XML_SetElementHandler(p, sheet_start, sheet_end);
  XML_SetCharacterDataHandler(p, on_text);
  r->selected = 1;
  r->done = r->suspended = r->eof_fed = r->row_ready = 0;
  r->in_sheetdata = r->in_row = r->in_cell = 0;
  r->last_row = 0;
  return HT_OK;
}

/* Runs the sheet's parser until a row is complete or the sheet ends; each
 * call costs O(bytes parsed). */
int xlsx_next(xlsx_reader *r, xlsx_row *row, ht_err *err) {
  if (!r->selected && !r->status && !r->done) {
    int rc = xlsx_select(r, NULL, err);
    if (rc) {
      if (!r->status) {
        r->status = rc;
        if (err) r->saved = *err;
      }
      return rc;
    }
  }
  if (r->status) return report(r, err);
  if (r->done) return 0;
  r->row_ready = 0;
  XML_Parser p = r->xp;
  for (;;) {
    enum XML_Status st;
    if (r->suspended) {
      r->suspended = 0;
      st = XML_ResumeParser(p);
    } else if (r->eof_fed) {
      r->done = 1;
      close_stream(r);
      return 0;
    } else {
      void *buf = XML_GetBuffer(p, CHUNK);
      if (!buf) abort();
      long n = part_read(r, &r->sp, buf, CHUNK);
      if (n < 0) return report(r, err);
      if (n == 0) r->eof_fed = 1;
      st = XML_ParseBuffer(p, (int)n, n == 0);
    }
    if (r->status) return report(r, err);
    if (st == XML_STATUS_ERROR) {
      xml_error(r, p, r->sp.name);
      return report(r, err);
    }
    if (st == XML_STATUS_SUSPENDED) r->suspended = 1;
    if (r->row_ready) break;
  }
  row->row = r->row_num;
  row->ncells = r->ncells;
  row->cells = r->cells;
  row->lens = r->lens;
  row->types = r->types;
  return 1;
}

void xlsx_close(xlsx_reader *r) {
  if (!r) return;
  close_stream(r);
  if (r->zip) zip_discard(r->zip);
  free(r->data);
  for (size_t i = 0; i < r->nsheets; i++) {
    free(r->sheet_names[i]);
    free(r->sheet_rids[i]);
    free(r->sheet_paths[i]);
  }
  free(r->sheet_names);
  free(r->sheet_rids);
  free(r->sheet_paths);
  free(r->xf_date);
  free(r->numfmts);
  strbuf_free(&r->sst_text);
  free(r->sst_off);
  free(r->sst_len);
  free(r->sst_ptr);
  free(r->merges);
  strbuf_free(&r->text);
  strbuf_free(&r->rowtext);
  free(r->ext);
  free(r->off);
  free(r->lens);
  free(r->types);
  free(r->cells);
  free(r);
}
