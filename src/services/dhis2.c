/* dhis2.c - mapping file and DHIS2 data value sets (see dhis2.h). */
#include "services/dhis2.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/date.h"
#include "services/evaluation.h"

static const char *const count_names[DHIS2_COUNT_KINDS] = {"eligible", "registered", "evaluated",
                                                           "recognised", "level2"};

int dhis2_uid_ok(const char *s) {
  if (!s || !isalpha((unsigned char)s[0])) return 0;
  size_t n = 0;
  for (; s[n]; n++)
    if (!isalnum((unsigned char)s[n]) || (unsigned char)s[n] >= 0x80) return 0;
  return n == 11;
}

/* An ADX attribute name (an XML name of ASCII letters, digits, _ . -) that
 * is not one of the attributes ADX itself gives a dataValue. */
static int attr_name_ok(const char *s, size_t n) {
  if (!n || !(isalpha((unsigned char)s[0]) || s[0] == '_')) return 0;
  for (size_t i = 0; i < n; i++)
    if (!(isalnum((unsigned char)s[i]) || strchr("_.-", s[i]))) return 0;
  static const char *const reserved[] = {"dataElement", "value",  "annotation",
                                         "orgUnit",     "period", "dataSet"};
  for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
    if (strlen(reserved[i]) == n && !strncmp(reserved[i], s, n)) return 0;
  return 1;
}

static int title_known(const crit_set *titles, const char *key) {
  for (const crit_title *t = titles->titles; t; t = t->next)
    if (!strcmp(t->key, key)) return 1;
  return 0;
}

static int count_kind(const char *name) {
  for (int i = 0; i < DHIS2_COUNT_KINDS; i++)
    if (!strcmp(count_names[i], name)) return i;
  return -1;
}

static char *read_all(const char *path, size_t *len, ht_err *err) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    ht_err_set(err, HT_EIO, "cannot read the mapping file %s: %s", path, strerror(errno));
    return NULL;
  }
  strbuf b = STRBUF_INIT;
  char buf[8192];
  size_t got;
  while ((got = fread(buf, 1, sizeof buf, f)) > 0) strbuf_append(&b, buf, got);
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    strbuf_free(&b);
    ht_err_set(err, HT_EIO, "cannot read the mapping file %s", path);
    return NULL;
  }
  *len = b.len;
  strbuf_cstr(&b);
  return b.data;
}

typedef struct line_ctx {
  dhis2_map *m;
  const crit_set *titles;
  issues *out;
  long line;
  strmap elements, uids; /* title/count and uid/coc/attrs already mapped; org unit uids */
} line_ctx;

#define BAD(c, ...) issues_add((c)->out, (c)->line, NULL, __VA_ARGS__)

static void element_line(line_ctx *c, char **tok, int n) {
  if (n < 4) {
    BAD(c,
        "an element line is 'element TITLE COUNT DATA_ELEMENT_UID [COC_UID] [CATEGORY=OPTION "
        "...]'");
    return;
  }
  dhis2_map *m = c->m;
  int ok = 1, kind = count_kind(tok[2]);
  if (!title_known(c->titles, tok[1])) {
    BAD(c, "unknown title '%s'; see 'hoctap criteria list'", tok[1]);
    ok = 0;
  }
  if (kind < 0) {
    BAD(c, "unknown count '%s'; use eligible, registered, evaluated, recognised or level2", tok[2]);
    ok = 0;
  }
  if (!dhis2_uid_ok(tok[3])) {
    BAD(c, "'%s' is not a DHIS2 UID (11 letters and digits, the first a letter)", tok[3]);
    ok = 0;
  }
  int i = 4;
  const char *coc = NULL;
  if (i < n && !strchr(tok[i], '=')) {
    coc = tok[i++];
    if (!dhis2_uid_ok(coc)) {
      BAD(c,
          "'%s' is not a DHIS2 category option combo UID (11 letters and digits, the first a "
          "letter)",
          coc);
      ok = 0;
    }
  }
  dhis2_element e = {arena_strdup(&m->mem, tok[1]),
                     kind,
                     arena_strdup(&m->mem, tok[3]),
                     arena_strdup(&m->mem, coc),
                     NULL,
                     NULL,
                     0};
  e.attr_names = arena_alloc(&m->mem, (size_t)(n + 1) * sizeof *e.attr_names);
  e.attr_values = arena_alloc(&m->mem, (size_t)(n + 1) * sizeof *e.attr_values);
  strbuf key = STRBUF_INIT;
  strbuf_printf(&key, "%s|%s", tok[3], coc ? coc : "");
  for (; i < n; i++) {
    const char *eq = strchr(tok[i], '=');
    if (!eq || !attr_name_ok(tok[i], (size_t)(eq - tok[i])) || !eq[1]) {
      BAD(c,
          "'%s' is not an ADX disaggregation CATEGORY=OPTION (category code: letters, digits, "
          "_ . -)",
          tok[i]);
      ok = 0;
      continue;
    }
    e.attr_names[e.nattrs] = arena_strndup(&m->mem, tok[i], (size_t)(eq - tok[i]));
    e.attr_values[e.nattrs++] = arena_strdup(&m->mem, eq + 1);
    strbuf_printf(&key, "|%s", tok[i]);
  }
  int64_t seen;
  if (ok) {
    char pair[256];
    snprintf(pair, sizeof pair, "%s|%s", tok[1], tok[2]);
    if (strmap_get(&c->elements, pair, &seen)) {
      BAD(c, "title %s count %s is already mapped on line %lld", tok[1], tok[2], (long long)seen);
      ok = 0;
    } else if (strmap_get(&c->elements, strbuf_cstr(&key), &seen)) {
      BAD(c,
          "data element %s%s%s is already mapped on line %lld: two counts cannot share one "
          "DHIS2 value",
          tok[3], coc ? " with " : "", coc ? coc : "", (long long)seen);
      ok = 0;
    } else {
      strmap_put(&c->elements, arena_strdup(&m->mem, pair), c->line);
      strmap_put(&c->elements, arena_strdup(&m->mem, strbuf_cstr(&key)), c->line);
    }
  }
  strbuf_free(&key);
  if (!ok) return;
  m->elements = arena_grow(&m->mem, m->elements, m->nelements, &m->cap, sizeof *m->elements);
  m->elements[m->nelements++] = e;
}

static void orgunit_line(line_ctx *c, char **tok, int n) {
  if (n != 3) {
    BAD(c, "an orgunit line is 'orgunit UNIT_CODE ORG_UNIT_UID'");
    return;
  }
  dhis2_map *m = c->m;
  int ok = 1;
  if (!dhis2_uid_ok(tok[2])) {
    BAD(c, "'%s' is not a DHIS2 UID (11 letters and digits, the first a letter)", tok[2]);
    ok = 0;
  }
  int64_t seen;
  if (ok && strmap_get(&m->orgunits, tok[1], &seen)) {
    BAD(c, "unit %s is already mapped", tok[1]);
    ok = 0;
  } else if (ok && strmap_get(&c->uids, tok[2], &seen)) {
    BAD(c,
        "org unit %s is already mapped on line %lld: two units cannot send values to one org "
        "unit",
        tok[2], (long long)seen);
    ok = 0;
  }
  if (!ok) return;
  strmap_put(&c->uids, arena_strdup(&m->mem, tok[2]), c->line);
  m->orgunit_uids =
      arena_grow(&m->mem, m->orgunit_uids, m->norgunits, &m->orgcap, sizeof *m->orgunit_uids);
  m->orgunit_uids[m->norgunits] = arena_strdup(&m->mem, tok[2]);
  strmap_put(&m->orgunits, arena_strdup(&m->mem, tok[1]), (int64_t)m->norgunits++);
}

static void one_line(line_ctx *c, char *text) {
  char *hash = strchr(text, '#');
  if (hash) *hash = 0;
  char *tok[64], *save = NULL;
  int n = 0;
  for (char *t = strtok_r(text, " \t\r\v\f", &save); t && n < 64;
       t = strtok_r(NULL, " \t\r\v\f", &save))
    tok[n++] = t;
  if (!n) return;
  if (!strcmp(tok[0], "dataset")) {
    if (n != 2 || !dhis2_uid_ok(tok[1]))
      BAD(c,
          "a dataset line is 'dataset DATA_SET_UID' (11 letters and digits, the first a letter)");
    else if (c->m->dataset)
      BAD(c, "the data set is given twice");
    else
      c->m->dataset = arena_strdup(&c->m->mem, tok[1]);
  } else if (!strcmp(tok[0], "element")) {
    element_line(c, tok, n);
  } else if (!strcmp(tok[0], "orgunit")) {
    orgunit_line(c, tok, n);
  } else {
    BAD(c, "unknown directive '%s'; a line is dataset, element or orgunit", tok[0]);
  }
}

/* Parses text (a NUL-terminated copy the parser may cut up) named path. */
static int map_parse(dhis2_map *m, const char *path, char *text, const crit_set *titles,
                     issues *out, ht_err *err) {
  line_ctx c = {m, titles, out, 0, {0}, {0}};
  strmap_init(&c.elements);
  strmap_init(&c.uids);
  const char *saved_file = out->file;
  out->file = path;
  long before = out->count;
  char *p = text;
  if (!strncmp(p, "\xEF\xBB\xBF", 3)) p += 3;
  while (*p) {
    char *end = strchr(p, '\n');
    if (end) *end = 0;
    c.line++;
    one_line(&c, p);
    if (!end) break;
    p = end + 1;
  }
  if (!m->dataset) {
    c.line = 0;
    BAD(&c, "no 'dataset DATA_SET_UID' line: DHIS2 needs the data set the values belong to");
  }
  out->file = saved_file;
  strmap_free(&c.elements);
  strmap_free(&c.uids);
  if (out->count > before)
    return ht_err_set(err, HT_EINVAL, "the mapping file %s has %ld problem(s)", path,
                      out->count - before);
  return HT_OK;
}

static void map_init(dhis2_map *m) {
  memset(m, 0, sizeof *m);
  arena_init(&m->mem, 0);
  strmap_init(&m->orgunits);
}

int dhis2_map_load(dhis2_map *m, const char *path, const crit_set *titles, issues *out,
                   ht_err *err) {
  map_init(m);
  size_t len;
  char *text = read_all(path, &len, err);
  if (!text) return HT_EIO;
  if (strlen(text) != len) {
    free(text);
    return ht_err_set(err, HT_EINVAL, "the mapping file %s is not text (it holds a NUL byte)",
                      path);
  }
  int rc = map_parse(m, path, text, titles, out, err);
  free(text);
  return rc;
}

int dhis2_map_builtin(dhis2_map *m, const char *name, const crit_set *titles, issues *out,
                      ht_err *err) {
  map_init(m);
  for (size_t i = 0; i < dhis2_default_files_count; i++) {
    const embedded_file *f = &dhis2_default_files[i];
    if (strcmp(f->path + 1, name)) continue;
    char *text = arena_strndup(&m->mem, (const char *)f->data, (size_t)f->size);
    return map_parse(m, arena_sprintf(&m->mem, "built-in:%s", name), text, titles, out, err);
  }
  return ht_err_set(err, HT_ENOTFOUND, "no built-in DHIS2 mapping '%s'", name);
}

void dhis2_map_free(dhis2_map *m) {
  strmap_free(&m->orgunits);
  arena_free(&m->mem);
}

const char *dhis2_orgunit(const dhis2_map *m, const char *code) {
  int64_t i;
  return strmap_get(&m->orgunits, code, &i) ? m->orgunit_uids[i] : NULL;
}

static int title_mapped(const dhis2_map *m, const char *key) {
  for (size_t i = 0; i < m->nelements; i++)
    if (!strcmp(m->elements[i].title, key)) return 1;
  return 0;
}

void dhis2_find_gaps(const dhis2_map *m, const engine *e, const hier *h,
                     const hier_unit *const *units, size_t n, arena *a, dhis2_gaps *out) {
  memset(out, 0, sizeof *out);
  out->units = arena_alloc(a, (n + 1) * sizeof *out->units);
  int nt = eng_title_count(e);
  out->titles = arena_alloc(a, ((size_t)nt + 1) * sizeof *out->titles);
  char *listed = arena_calloc(a, (size_t)nt + 1);
  eval_row rows[64];
  for (size_t i = 0; i < n; i++) {
    if (!dhis2_orgunit(m, units[i]->code)) {
      out->units[out->nunits++] = units[i]->code;
      continue;
    }
    const hier_unit *u;
    crit_entity k;
    int32_t ix;
    if (evaluation_unit(e, h, units[i]->code, &u, &k, &ix) != 0) continue;
    int r = evaluation_rows_for(e, u, k, ix, -1, NULL, NULL, rows, 64);
    for (int j = 0; j < r; j++) {
      const char *key = eng_title_at(e, rows[j].title)->key;
      if (listed[rows[j].title] || title_mapped(m, key)) continue;
      listed[rows[j].title] = 1;
      out->titles[out->ntitles++] = key;
    }
  }
}

/* ------------------------------------------------------------------ writing */

static void xml_attr(FILE *out, const char *name, const char *value) {
  fprintf(out, " %s=\"", name);
  for (const char *p = value; *p; p++) {
    switch (*p) {
      case '&': fputs("&amp;", out); break;
      case '<': fputs("&lt;", out); break;
      case '>': fputs("&gt;", out); break;
      case '"': fputs("&quot;", out); break;
      case '\'': fputs("&apos;", out); break;
      case '\t': fputs("&#9;", out); break;
      case '\n': fputs("&#10;", out); break;
      case '\r': fputs("&#13;", out); break;
      default: fputc(*p, out);
    }
  }
  fputc('"', out);
}

static int count_of(const eng_counts *c, int kind) {
  switch (kind) {
    case DHIS2_ELIGIBLE: return c->eligible;
    case DHIS2_REGISTERED: return c->registered;
    case DHIS2_EVALUATED: return c->evaluated;
    case DHIS2_RECOGNISED: return c->recognised;
    default: return c->level2;
  }
}

int dhis2_write(FILE *out, dhis2_format f, const dhis2_map *m, const engine *e, const hier *h,
                const hier_unit *const *units, size_t n, long *values, ht_err *err) {
  int year = eng_year(e);
  char period[16], stamp[32];
  *values = 0;
  if (f == DHIS2_JSON) {
    snprintf(period, sizeof period, "%d", year);
    json_t *ds = json_string(m->dataset);
    char *dataset = json_dumps(ds, JSON_ENCODE_ANY);
    json_decref(ds);
    fprintf(out, "{\"dataSet\":%s,\"dataValues\":[", dataset);
    free(dataset);
  } else {
    /* ADX periods are ISO 8601 intervals: the start date and a duration */
    snprintf(period, sizeof period, "%d-01-01/P1Y", year);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<adx xmlns=\"urn:ihe:qrph:adx:2015\"", out);
    xml_attr(out, "exported", stamp);
    fputs(">\n", out);
  }
  eval_row rows[64];
  char value[24];
  for (size_t i = 0; i < n; i++) {
    const char *org = dhis2_orgunit(m, units[i]->code);
    const hier_unit *u;
    crit_entity k;
    int32_t ix;
    if (!org || evaluation_unit(e, h, units[i]->code, &u, &k, &ix) != 0) continue;
    int r = evaluation_rows_for(e, u, k, ix, -1, NULL, NULL, rows, 64);
    int group_open = 0;
    for (int j = 0; j < r; j++) {
      const char *key = eng_title_at(e, rows[j].title)->key;
      for (size_t x = 0; x < m->nelements; x++) {
        const dhis2_element *el = &m->elements[x];
        if (strcmp(el->title, key)) continue;
        snprintf(value, sizeof value, "%d", count_of(&rows[j].counts, el->count));
        if (f == DHIS2_JSON) {
          json_t *o = json_pack("{ssssssss}", "dataElement", el->uid, "period", period, "orgUnit",
                                org, "value", value);
          if (el->coc) json_object_set_new(o, "categoryOptionCombo", json_string(el->coc));
          if (*values) fputc(',', out);
          fputc('\n', out);
          json_dumpf(o, out, JSON_COMPACT | JSON_PRESERVE_ORDER);
          json_decref(o);
        } else {
          if (!group_open) {
            fputs("  <group", out);
            xml_attr(out, "orgUnit", org);
            xml_attr(out, "period", period);
            xml_attr(out, "dataSet", m->dataset);
            fputs(">\n", out);
            group_open = 1;
          }
          fputs("    <dataValue", out);
          xml_attr(out, "dataElement", el->uid);
          for (int a = 0; a < el->nattrs; a++) xml_attr(out, el->attr_names[a], el->attr_values[a]);
          xml_attr(out, "value", value);
          fputs("/>\n", out);
        }
        (*values)++;
      }
    }
    if (group_open) fputs("  </group>\n", out);
  }
  fputs(f == DHIS2_JSON ? "\n]}\n" : "</adx>\n", out);
  if (ferror(out)) return ht_err_set(err, HT_EIO, "cannot write the DHIS2 document");
  return HT_OK;
}
