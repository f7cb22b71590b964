/* records.c - yearly records: values, validation, storage (see records.h). */
#include "model/records.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/date.h"
#include "base/sha256.h"
#include "base/vtext.h"
#include "criteria/crit_defaults.h"
#include "model/registry.h"

int64_t rec_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ------------------------------------------------------------ values */

static int is_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

/* Powers of ten that a double holds exactly. */
static const double exact_powers_of_ten[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                             1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

/* Parses the number at p up to ';' or the end. Plain decimals of at most 15
 * digits (everything "%.10g" prints without an exponent) take a fast path:
 * an exact integer divided by an exact power of ten is correctly rounded, so
 * it equals what strtod gives. Anything else goes through strtod. Returns
 * the end of the number, or NULL when the text is not a finite number. */
static const char *parse_stored_number(const char *p, double *out) {
  const char *s = p;
  int negative = *s == '-';
  if (negative) s++;
  uint64_t mantissa = 0;
  int digits = 0, decimals = 0, point = 0;
  for (;; s++) {
    if (*s >= '0' && *s <= '9') {
      mantissa = mantissa * 10 + (uint64_t)(*s - '0');
      digits++;
      decimals += point;
    } else if (*s == '.' && !point) {
      point = 1;
    } else {
      break;
    }
  }
  if (digits > 0 && digits <= 15 && (*s == ';' || *s == '\0')) {
    double v = (double)mantissa / exact_powers_of_ten[decimals];
    *out = negative ? -v : v;
    return s;
  }
  /* Slow path: exponents, very long numbers. strtod would also take
   * spaces, "inf", "nan" and hex, which a stored value never is. */
  char first = *p;
  if (!((first >= '0' && first <= '9') || first == '-' || first == '.')) return NULL;
  char *end;
  double v = strtod(p, &end);
  if (end == p || !isfinite(v) || (*end != ';' && *end != '\0')) return NULL;
  for (const char *q = p; q < end; q++)
    if (*q == 'x' || *q == 'X') return NULL;
  *out = v;
  return end;
}

int rec_vals_next(const char **cursor, char *key, size_t keysz, double *value) {
  const char *p = *cursor;
  if (!p || !*p) return 0;
  const char *start = p;
  while (is_key_char(*p)) p++;
  size_t n = (size_t)(p - start);
  if (n == 0 || *p != '=' || n >= keysz) return HT_EINVAL;
  double v;
  const char *end = parse_stored_number(p + 1, &v);
  if (!end) return HT_EINVAL;
  memcpy(key, start, n);
  key[n] = '\0';
  *value = v;
  *cursor = *end == ';' ? end + 1 : end;
  return 1;
}

size_t rec_value_format(double value, char buf[32]) {
  if (value == 0) value = 0; /* no "-0" */
  double magnitude = fabs(value);
  /* Fast path for what records hold (whole numbers, fractions with a few
   * decimals): k / 10^d with k below 10^9 has at most 9 significant digits,
   * and when value is the double nearest to it, "%.10g" prints exactly
   * those digits. Below 1e-4 "%.10g" switches to an exponent. */
  if (magnitude < 1e9 && (magnitude >= 1e-4 || value == 0)) {
    for (int d = 0; d <= 6; d++) {
      double scaled = value * exact_powers_of_ten[d];
      if (fabs(scaled) >= 1e9) break;
      long long k = llround(scaled);
      if ((double)k / exact_powers_of_ten[d] != value) continue;
      char digits[24];
      int n = 0, len = 0;
      unsigned long long u = (unsigned long long)(k < 0 ? -k : k);
      char reversed[24];
      do reversed[n++] = (char)('0' + u % 10), u /= 10;
      while (u);
      for (int j = 0; j < n; j++) digits[j] = reversed[n - 1 - j];
      digits[n] = '\0';
      if (k < 0) buf[len++] = '-';
      if (d == 0) {
        memcpy(buf + len, digits, (size_t)n + 1);
        return (size_t)(len + n);
      }
      int whole = n - d; /* digits before the point; may be <= 0 */
      if (whole <= 0) {
        buf[len++] = '0';
        buf[len++] = '.';
        for (int z = 0; z < -whole; z++) buf[len++] = '0';
        memcpy(buf + len, digits, (size_t)n);
        len += n;
      } else {
        memcpy(buf + len, digits, (size_t)whole);
        len += whole;
        buf[len++] = '.';
        memcpy(buf + len, digits + whole, (size_t)d);
        len += d;
      }
      while (buf[len - 1] == '0') len--; /* d is minimal, but keep it safe */
      if (buf[len - 1] == '.') len--;
      buf[len] = '\0';
      return (size_t)len;
    }
  }
  return (size_t)snprintf(buf, 32, "%.10g", value);
}

static int key_ok(const char *key) {
  size_t n = 0;
  for (; key[n]; n++)
    if (!is_key_char(key[n])) return 0;
  return n > 0 && n < REC_KEY_MAX;
}

int rec_vals_format(rec_val *vals, size_t n, strbuf *out) {
  for (size_t i = 0; i < n; i++)
    if (!vals[i].key || !key_ok(vals[i].key) || !isfinite(vals[i].value)) return HT_EINVAL;
  for (size_t i = 1; i < n; i++) { /* insertion sort: n is one title's items */
    rec_val v = vals[i];
    size_t j = i;
    while (j > 0 && strcmp(vals[j - 1].key, v.key) > 0) {
      vals[j] = vals[j - 1];
      j--;
    }
    vals[j] = v;
  }
  for (size_t i = 1; i < n; i++)
    if (!strcmp(vals[i - 1].key, vals[i].key)) return HT_EINVAL;
  for (size_t i = 0; i < n; i++) {
    char number[32];
    if (i) strbuf_putc(out, ';');
    strbuf_puts(out, vals[i].key);
    strbuf_putc(out, '=');
    strbuf_append(out, number, rec_value_format(vals[i].value, number));
  }
  return HT_OK;
}

int rec_vals_get(const char *vals, const char *key, double *value) {
  const char *c = vals;
  char k[REC_KEY_MAX];
  double v;
  int rc;
  while ((rc = rec_vals_next(&c, k, sizeof k, &v)) == 1) {
    if (!strcmp(k, key)) {
      *value = v;
      return 1;
    }
  }
  return rc;
}

/* ------------------------------------------------ items and entered text */

const crit_item *rec_item_find(const crit_title *t, const char *key) {
  for (const crit_item *it = t->items; it; it = it->next)
    if (!strcmp(it->key, key)) return it;
  return NULL;
}

/* A number as people type it: optional sign, digits, at most one decimal
 * separator ('.' or ','), surrounding spaces. No exponents, no thousands
 * separators. 0 and *out, or -1. */
static int parse_typed_number(const char *s, double *out) {
  while (*s == ' ' || *s == '\t') s++;
  char buf[64];
  size_t n = 0;
  int digits = 0, separators = 0;
  if (*s == '+' || *s == '-') buf[n++] = *s++;
  for (; *s && *s != ' ' && *s != '\t'; s++) {
    if (n + 1 >= sizeof buf) return -1;
    if (*s >= '0' && *s <= '9') {
      digits++;
      buf[n++] = *s;
    } else if ((*s == '.' || *s == ',') && !separators) {
      separators++;
      buf[n++] = '.';
    } else {
      return -1;
    }
  }
  while (*s == ' ' || *s == '\t') s++;
  if (*s || !digits) return -1;
  buf[n] = '\0';
  *out = strtod(buf, NULL);
  return isfinite(*out) ? 0 : -1;
}

static const char *input_desc(const crit_item *it, char *buf, size_t size) {
  switch (it->input) {
    case INPUT_YESNO: return "yes or no";
    case INPUT_PERCENT: return "a percentage";
    case INPUT_LEVEL:
      snprintf(buf, size, "a level from %d to %d", it->input_min, it->input_max);
      return buf;
    case INPUT_NUMBER:
      snprintf(buf, size, "a number from %d to %d", it->input_min, it->input_max);
      return buf;
    default: return "nothing (derived)";
  }
}

/* What to enter, in Vietnamese. */
static const char *input_desc_vi(const crit_item *it, char *buf, size_t size) {
  switch (it->input) {
    case INPUT_YESNO: return "Có hoặc Không";
    case INPUT_PERCENT: return "một tỉ lệ phần trăm từ 0% đến 100%";
    case INPUT_LEVEL:
      snprintf(buf, size, "một mức từ %d đến %d", it->input_min, it->input_max);
      return buf;
    case INPUT_NUMBER:
      snprintf(buf, size, "một số từ %d đến %d", it->input_min, it->input_max);
      return buf;
    default: return "(mục này được tính tự động, không nhập)";
  }
}

static int value_parse(const crit_item *it, const char *text, double *out, ht_err *err);

int rec_value_parse(const crit_item *it, const char *text, double *out, ht_err *err) {
  int rc = value_parse(it, text, out, err);
  if (rc && err) {
    char desc[64];
    ht_err_vi(err, "Mục %s: giá trị \"%.40s\" không hợp lệ; hãy nhập %s", it->key, text ? text : "",
              input_desc_vi(it, desc, sizeof desc));
  }
  return rc;
}

static int value_parse(const crit_item *it, const char *text, double *out, ht_err *err) {
  char desc[64];
  if (it->input == INPUT_NONE)
    return ht_err_set(err, HT_EINVAL,
                      "item %s is derived from the registry (a 'value' rule), not entered; enter "
                      "only the items marked 'entered' in 'hoctap criteria show'",
                      it->key);
  if (!text || !*text)
    return ht_err_set(err, HT_EINVAL, "item %s: no value; enter %s", it->key,
                      input_desc(it, desc, sizeof desc));
  if (it->input == INPUT_YESNO) {
    static const char *const yes[] = {"co", "yes", "y", "1", "true", "x"};
    static const char *const no[] = {"khong", "no", "n", "0", "false"};
    char *key = NULL;
    if (vt_search_key(text, &key) != HT_OK)
      return ht_err_set(err, HT_EINVAL, "item %s: the value is not valid UTF-8 text", it->key);
    int found = -1;
    for (size_t i = 0; i < sizeof yes / sizeof yes[0] && found < 0; i++)
      if (!strcmp(key, yes[i])) found = 1;
    for (size_t i = 0; i < sizeof no / sizeof no[0] && found < 0; i++)
      if (!strcmp(key, no[i])) found = 0;
    free(key);
    if (found < 0)
      return ht_err_set(err, HT_EINVAL,
                        "item %s: '%s' is not yes or no; enter có or không (also yes/no, 1/0, "
                        "true/false, x for yes)",
                        it->key, text);
    *out = found;
    return HT_OK;
  }
  double v;
  if (it->input == INPUT_PERCENT) {
    size_t n = strlen(text);
    while (n && (text[n - 1] == ' ' || text[n - 1] == '\t')) n--;
    int percent_sign = n && text[n - 1] == '%';
    char buf[64];
    if (n >= sizeof buf)
      return ht_err_set(err, HT_EINVAL, "item %s: '%.20s...' is too long for a percentage", it->key,
                        text);
    memcpy(buf, text, n - (size_t)percent_sign);
    buf[n - (size_t)percent_sign] = '\0';
    if (parse_typed_number(buf, &v) != 0)
      return ht_err_set(err, HT_EINVAL,
                        "item %s: '%s' is not a percentage; enter e.g. 92%% (or 0.92)", it->key,
                        text);
    if (percent_sign || v > 1) v /= 100;
    if (v < 0 || v > 1)
      return ht_err_set(err, HT_EINVAL,
                        "item %s: '%s' is outside 0%%..100%%; enter a share such as 92%% (or 0.92)",
                        it->key, text);
    *out = v;
    return HT_OK;
  }
  if (parse_typed_number(text, &v) != 0 || (it->input == INPUT_LEVEL && v != floor(v)))
    return ht_err_set(err, HT_EINVAL, "item %s: '%s' is not %s", it->key, text,
                      input_desc(it, desc, sizeof desc));
  if (v < it->input_min || v > it->input_max)
    return ht_err_set(err, HT_EINVAL, "item %s: %s is out of range; enter %s", it->key, text,
                      input_desc(it, desc, sizeof desc));
  *out = v == 0 ? 0 : v;
  return HT_OK;
}

const char *rec_value_text(const crit_item *it, double value, char *buf, size_t size) {
  switch (it ? it->input : INPUT_NONE) {
    case INPUT_YESNO: snprintf(buf, size, "%s", value != 0 ? "yes" : "no"); break;
    case INPUT_PERCENT: snprintf(buf, size, "%.10g%%", value * 100); break;
    default: snprintf(buf, size, "%.10g", value); break;
  }
  return buf;
}

/* ------------------------------------------------------------ targets */

static int all_digits(const char *s, size_t n) {
  if (strlen(s) != n) return 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return 0;
  return 1;
}

/* Runs sql (text parameters $2.., $1 = the province) and copies the first
 * row's columns into cols (each up to size bytes). 1 row, 0 none, <0 error. */
static int query_row(db *d, const char *sql, const char *const *params, int nparams,
                     char cols[][256], int ncols) {
  db_stmt *s;
  int rc = db_prepare(d, sql, &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  for (int i = 0; i < nparams; i++) db_bind_text(s, i + 2, params[i]);
  rc = db_step(s);
  if (rc == DB_ROW)
    for (int i = 0; i < ncols; i++) snprintf(cols[i], 256, "%s", db_col_text(s, i));
  db_finalize(s);
  return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : rc;
}

static int resolve_person(db *d, rec_target *t, const char *given, ht_err *err) {
  int64_t id = 0;
  int by_id = given[0] == 'P' && given[1] && strlen(given + 1) <= 18 &&
              all_digits(given + 1, strlen(given + 1));
  if (!by_id && !all_digits(given, 12))
    return ht_err_set(err, HT_EINVAL,
                      "ENTITY '%s': title %s evaluates persons; give a 12-digit citizen ID or "
                      "P<id> (e.g. P123456789)",
                      given, t->title->key);
  if (by_id) id = strtoll(given + 1, NULL, 10);
  db_stmt *s;
  int rc = db_prepare(d,
                      by_id ? "SELECT p.id, p.full_name, p.birth_year, (SELECT COUNT(*) FROM "
                              "person_years y WHERE y.prov = p.prov AND y.person_id = p.id AND "
                              "y.year = $3) FROM persons p WHERE p.prov = $1 AND p.id = $2"
                            : "SELECT p.id, p.full_name, p.birth_year, (SELECT COUNT(*) FROM "
                              "person_years y WHERE y.prov = p.prov AND y.person_id = p.id AND "
                              "y.year = $3) FROM persons p WHERE p.prov = $1 AND p.citizen_id = $4",
                      &s);
  if (rc) return ht_err_set(err, rc, "cannot read persons: %s", db_errmsg(d));
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, id);
  db_bind_int64(s, 3, t->year);
  db_bind_text(s, 4, given);
  rc = db_step(s);
  int64_t years = 0;
  if (rc == DB_ROW) {
    snprintf(t->entity, sizeof t->entity, "%lld", (long long)db_col_int64(s, 0));
    snprintf(t->display, sizeof t->display, "P%lld", (long long)db_col_int64(s, 0));
    snprintf(t->label, sizeof t->label, "%s (born %lld)", db_col_text(s, 1),
             (long long)db_col_int64(s, 2));
    snprintf(t->label_vi, sizeof t->label_vi, "%s (sinh năm %lld)", db_col_text(s, 1),
             (long long)db_col_int64(s, 2));
    years = db_col_int64(s, 3);
  }
  db_finalize(s);
  if (rc < 0) return ht_err_set(err, rc, "cannot read persons: %s", db_errmsg(d));
  if (rc == DB_DONE)
    return ht_err_set(err, HT_ENOTFOUND, "ENTITY '%s': no person with this %s; check the number",
                      given, by_id ? "id" : "citizen ID");
  if (!years)
    return ht_err_set(err, HT_ENOTFOUND,
                      "ENTITY '%s': %s was not a member of any household in %d (no facts for that "
                      "year); choose a year the person lived in a household",
                      given, t->label, t->year);
  return HT_OK;
}

static int resolve_household(db *d, rec_target *t, const char *given, ht_err *err) {
  char cols[3][256], year[8];
  snprintf(year, sizeof year, "%d", t->year);
  const char *params[] = {given, year};
  int rc = query_row(d,
                     "SELECT h.head_name, COALESCE(CAST(h.closed_year AS TEXT), ''), "
                     "(SELECT COUNT(*) FROM household_places p WHERE p.prov = h.prov AND "
                     "p.household_id = h.id AND p.from_year <= CAST($3 AS BIGINT)) "
                     "FROM households h WHERE h.prov = $1 AND h.code = $2",
                     params, 2, cols, 3);
  if (rc < 0) return ht_err_set(err, rc, "cannot read households: %s", db_errmsg(d));
  if (rc == 0)
    return ht_err_set(err, HT_ENOTFOUND,
                      "ENTITY '%s': no household with this code; check the household code", given);
  snprintf(t->label, sizeof t->label, "household of %.200s", cols[0]);
  snprintf(t->label_vi, sizeof t->label_vi, "hộ %.200s", cols[0]);
  if (cols[1][0] && atoi(cols[1]) <= t->year)
    return ht_err_set(err, HT_EINVAL,
                      "ENTITY '%s': the household closed in %s and has no record for %d; choose "
                      "an earlier year",
                      given, cols[1], t->year);
  if (!strcmp(cols[2], "0"))
    return ht_err_set(err, HT_EINVAL,
                      "ENTITY '%s': the household was not yet placed in a village in %d; choose a "
                      "later year",
                      given, t->year);
  return HT_OK;
}

static int resolve_named(db *d, rec_target *t, const char *given, const char *table,
                         const char *what, ht_err *err) {
  char sql[160], cols[1][256];
  snprintf(sql, sizeof sql, "SELECT name FROM %s WHERE prov = $1 AND code = $2", table);
  const char *params[] = {given};
  int rc = query_row(d, sql, params, 1, cols, 1);
  if (rc < 0) return ht_err_set(err, rc, "cannot read %s: %s", table, db_errmsg(d));
  if (rc == 0)
    return ht_err_set(err, HT_ENOTFOUND, "ENTITY '%s': no %s with this code; check the code", given,
                      what);
  snprintf(t->label, sizeof t->label, "%s", cols[0]);
  return HT_OK;
}

static int resolve_unit(db *d, rec_target *t, const char *given, ht_err *err) {
  const char *level = crit_entity_name(t->title->entity);
  char day[24], cols[2][256];
  snprintf(day, sizeof day, "%04d-12-31", t->year);
  const char *params[] = {given, day};
  int rc = query_row(d,
                     "SELECT u.name, k.level_key FROM units u JOIN unit_kinds k ON k.prov = u.prov "
                     "AND k.key = u.kind WHERE u.prov = $1 AND u.code = $2 AND u.valid_from <= $3 "
                     "AND (u.valid_to IS NULL OR u.valid_to >= $3)",
                     params, 2, cols, 2);
  if (rc < 0) return ht_err_set(err, rc, "cannot read units: %s", db_errmsg(d));
  if (rc == 0) {
    rc = query_row(d, "SELECT name FROM units WHERE prov = $1 AND code = $2", params, 1, cols, 1);
    if (rc < 0) return ht_err_set(err, rc, "cannot read units: %s", db_errmsg(d));
    if (rc == 0)
      return ht_err_set(err, HT_ENOTFOUND, "ENTITY '%s': no administrative unit with this code",
                        given);
    return ht_err_set(err, HT_EINVAL,
                      "ENTITY '%s': %s is not valid on %s, so it has no record for %d; see "
                      "'hoctap units history %s'",
                      given, cols[0], day, t->year, given);
  }
  snprintf(t->label, sizeof t->label, "%s", cols[0]);
  if (strcmp(cols[1], level) != 0)
    return ht_err_set(err, HT_EINVAL, "ENTITY '%s': %s is a %s; title %s evaluates a %s", given,
                      cols[0], cols[1], t->title->key, level);
  return HT_OK;
}

int rec_target_resolve(db *d, const crit_set *set, const char *title, int year, const char *entity,
                       rec_target *out, ht_err *err) {
  memset(out, 0, sizeof *out);
  out->year = year;
  out->title = crit_in_force(set, title, year, (int)db_prov(d));
  if (!out->title) {
    for (const crit_title *t = set->titles; t; t = t->next)
      if (!strcmp(t->key, title))
        return ht_err_set(err, HT_EINVAL,
                          "--title %s: no version of this title applies in %d; see 'hoctap "
                          "criteria list'",
                          title, year);
    return ht_err_set(err, HT_EINVAL, "--title: unknown title '%s'; see 'hoctap criteria list'",
                      title);
  }
  if (!entity || !*entity)
    return ht_err_set(err, HT_EINVAL, "ENTITY: give the code of what is evaluated");
  if (strlen(entity) >= REC_ENTITY_MAX)
    return ht_err_set(err, HT_EINVAL, "ENTITY: '%.20s...' is too long for a code", entity);
  snprintf(out->entity, sizeof out->entity, "%s", entity);
  snprintf(out->display, sizeof out->display, "%s", entity);
  int rc;
  switch (out->title->entity) {
    case CRIT_PERSON: rc = resolve_person(d, out, entity, err); break;
    case CRIT_HOUSEHOLD: rc = resolve_household(d, out, entity, err); break;
    case CRIT_CLAN: rc = resolve_named(d, out, entity, "clans", "clan", err); break;
    case CRIT_ORGANISATION:
      rc = resolve_named(d, out, entity, "organisations", "organisation", err);
      break;
    default: rc = resolve_unit(d, out, entity, err); break;
  }
  if (rc) return rc;
  if (!out->label_vi[0]) snprintf(out->label_vi, sizeof out->label_vi, "%s", out->label);
  arena a;
  arena_init(&a, 256);
  const char *place = NULL;
  rc = reg_owner_unit(d, out->title->entity, out->display, year, &a, &place);
  snprintf(out->place, sizeof out->place, "%s", rc == HT_OK && place ? place : "");
  arena_free(&a);
  return rc == HT_OK || rc == HT_ENOTFOUND
             ? HT_OK
             : ht_err_set(err, rc, "cannot read where %s is: %s", entity, db_errmsg(d));
}

int rec_stage_editable(const char *stage) {
  return !stage || !*stage || !strcmp(stage, "open") || !strcmp(stage, "returned");
}

/* How a stage reads in a message, in English and in Vietnamese. */
static const char *stage_en(const char *stage) {
  return !strcmp(stage, "submitted")        ? "submitted for review"
         : !strcmp(stage, "accepted")       ? "reviewed and waiting for the decision"
         : !strcmp(stage, "recognised")     ? "recognised and locked"
         : !strcmp(stage, "not-recognised") ? "decided (not recognised) and locked"
                                            : stage;
}
static const char *stage_vi(const char *stage) {
  return !strcmp(stage, "submitted")    ? "đã gửi thẩm định"
         : !strcmp(stage, "accepted")   ? "đã thẩm định, chờ quyết định công nhận"
         : !strcmp(stage, "recognised") ? "đã được công nhận và khóa"
         : !strcmp(stage, "not-recognised") ? "đã có quyết định (không công nhận) và khóa"
                                            : stage;
}

/* ------------------------------------------------------------ records */

static void bind_key(db_stmt *s, db *d, const rec_target *t) {
  db_bind_int64(s, 1, db_prov(d));
  db_bind_text(s, 2, t->title->key);
  db_bind_int64(s, 3, t->year);
  db_bind_text(s, 4, t->entity);
}

/* The record's state as the audit trail keeps it. */
static char *record_json(const rec_record *r, arena *a) {
  if (!r->exists) return NULL;
  json_t *o = json_pack("{ss}", "vals", r->vals);
  json_object_set_new(o, "registered_on",
                      r->registered_on[0] ? json_string(r->registered_on) : json_null());
  json_object_set_new(o, "form_group", r->form_group ? json_integer(r->form_group) : json_null());
  char *text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(o);
  char *out = arena_strdup(a, text ? text : "{}");
  free(text);
  return out;
}

/* Appends the audit entry of a change to t (inside the change's
 * transaction): the object is "TITLE/YEAR/ENTITY", placed in the unit that
 * holds the entity that year. */
static int audit_record(db *d, const audit_actor *who, const rec_target *t, const char *action,
                        const char *before, const char *after, arena *a) {
  const char *unit = "";
  reg_owner_unit(d, t->title->entity, t->display, t->year, a, &unit);
  char id[REC_ENTITY_MAX + 96];
  snprintf(id, sizeof id, "%s/%d/%s", t->title->key, t->year, t->display);
  audit_entry e = {action, "record", id, unit ? unit : "", before, after};
  ht_err err = {0};
  return audit_append(d, who, &e, &err);
}

int rec_get(db *d, const rec_target *t, arena *a, rec_record *out) {
  memset(out, 0, sizeof *out);
  out->vals = "";
  out->comment = "";
  snprintf(out->stage, sizeof out->stage, "open");
  db_stmt *s;
  int rc =
      db_prepare(d,
                 "SELECT registered_on, form_group, vals, updated_at, stage, comment FROM records "
                 "WHERE prov = $1 AND title = $2 AND year = $3 AND entity = $4",
                 &s);
  if (rc) return rc;
  bind_key(s, d, t);
  rc = db_step(s);
  if (rc == DB_ROW) {
    out->exists = 1;
    snprintf(out->registered_on, sizeof out->registered_on, "%s", db_col_text(s, 0));
    out->form_group = db_col_is_null(s, 1) ? 0 : (int)db_col_int64(s, 1);
    out->vals = arena_strdup(a, db_col_text(s, 2));
    out->updated_at = db_col_int64(s, 3);
    snprintf(out->stage, sizeof out->stage, "%s", db_col_text(s, 4));
    out->comment = arena_strdup(a, db_col_text(s, 5));
  }
  db_finalize(s);
  return rc < 0 ? rc : HT_OK;
}

/* Creates the record row if missing and sets its updated_at (evidence and
 * overrides change what the record evaluates to). */
static int touch_record(db *d, const rec_target *t, int64_t now) {
  db_stmt *s;
  int rc = db_prepare(d,
                      "INSERT INTO records (prov, title, year, entity, vals, updated_at, place) "
                      "VALUES ($1, $2, $3, $4, '', $5, $6) ON CONFLICT (prov, title, year, "
                      "entity) DO UPDATE SET updated_at = excluded.updated_at, place = "
                      "excluded.place",
                      &s);
  if (rc) return rc;
  bind_key(s, d, t);
  db_bind_int64(s, 5, now);
  db_bind_text(s, 6, t->place);
  rc = db_step(s);
  db_finalize(s);
  return rc == DB_DONE ? HT_OK : rc < 0 ? rc : HT_EDB;
}

typedef struct set_ctx {
  const audit_actor *who;
  const rec_target *t;
  const rec_change *ch;
  const char **keys; /* per assignment: the key (arena) */
  double *values;    /* per assignment: the value; NAN = remove */
  issues *problems;
  arena *a;
  int outcome; /* REC_ADDED, REC_CHANGED or REC_UNCHANGED once written */
} set_ctx;

static int set_in_tx(db *d, void *arg) {
  set_ctx *x = arg;
  const rec_target *t = x->t;
  rec_record old;
  int rc = rec_get(d, t, x->a, &old);
  if (rc) return rc;
  /* The stored pairs, then the assignments merged in. */
  size_t cap = x->ch->nassignments + 1;
  for (const char *p = old.vals; *p; p++) cap += *p == ';';
  rec_val *vals = arena_alloc(x->a, cap * sizeof *vals);
  size_t n = 0;
  const char *c = old.vals;
  char key[REC_KEY_MAX];
  double v;
  while ((rc = rec_vals_next(&c, key, sizeof key, &v)) == 1)
    vals[n++] = (rec_val){arena_strdup(x->a, key), v};
  if (rc < 0) {
    issues_add(x->problems, 0, "vals", "the stored values '%s' are damaged; ask an administrator",
               old.vals);
    return HT_EINVAL;
  }
  for (size_t i = 0; i < x->ch->nassignments; i++) {
    size_t j = 0;
    while (j < n && strcmp(vals[j].key, x->keys[i]) != 0) j++;
    if (isnan(x->values[i])) {
      if (j == n && !rec_item_find(t->title, x->keys[i])) {
        issues_add(x->problems, 0, x->keys[i],
                   "no item %s in title %s for %d and no stored value to remove; check the key",
                   x->keys[i], t->title->key, t->year);
        return HT_EINVAL;
      }
      if (j < n) vals[j] = vals[--n];
    } else if (j < n) {
      vals[j].value = x->values[i];
    } else {
      vals[n++] = (rec_val){x->keys[i], x->values[i]};
    }
  }
  strbuf b = STRBUF_INIT;
  rc = rec_vals_format(vals, n, &b);
  if (rc) {
    strbuf_free(&b);
    return rc;
  }
  const char *registered = old.registered_on[0] ? old.registered_on : NULL;
  if (x->ch->registration == REC_REG_SET) registered = x->ch->registered_on;
  if (x->ch->registration == REC_REG_CLEAR) registered = NULL;
  int group = x->ch->set_form_group ? x->ch->form_group : old.form_group;
  /* Nothing would change: the same record, or no record and nothing to keep. */
  if (group == old.form_group && !strcmp(strbuf_cstr(&b), old.vals) &&
      !strcmp(registered ? registered : "", old.registered_on)) {
    strbuf_free(&b); /* nothing to write, nothing to audit */
    x->outcome = REC_UNCHANGED;
    return HT_OK;
  }
  /* Only a change is refused when the record is past entry: re-importing the same
   * values stays possible. */
  if (!rec_stage_editable(old.stage)) {
    issues_add(x->problems, 0, "stage", "the record of %s for %s %d is %s, so it cannot change; %s",
               t->display, t->title->key, t->year, stage_en(old.stage),
               !strcmp(old.stage, "submitted") || !strcmp(old.stage, "accepted")
                   ? "ask the reviewer to return it"
                   : "an approver can unlock it, giving a reason");
    issues_vi(x->problems, "Hồ sơ của %s (%s, năm %d) %s nên không sửa được; %s", t->label_vi,
              t->title->name, t->year, stage_vi(old.stage),
              !strcmp(old.stage, "submitted") || !strcmp(old.stage, "accepted")
                  ? "đề nghị người thẩm định trả lại hồ sơ"
                  : "người có quyền công nhận có thể mở khóa, ghi rõ lý do");
    strbuf_free(&b);
    return HT_EINVAL;
  }
  x->outcome = old.exists ? REC_CHANGED : REC_ADDED;
  db_stmt *s;
  rc = db_prepare(d,
                  "INSERT INTO records (prov, title, year, entity, registered_on, form_group, "
                  "vals, updated_at, place) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON "
                  "CONFLICT (prov, title, year, entity) DO UPDATE SET registered_on = "
                  "excluded.registered_on, form_group = excluded.form_group, vals = "
                  "excluded.vals, updated_at = excluded.updated_at, place = excluded.place",
                  &s);
  if (rc == HT_OK) {
    bind_key(s, d, t);
    db_bind_text(s, 5, registered);
    if (group)
      db_bind_int64(s, 6, group);
    else
      db_bind_null(s, 6);
    db_bind_text(s, 7, strbuf_cstr(&b));
    db_bind_int64(s, 8, rec_now_ms());
    db_bind_text(s, 9, t->place);
    rc = db_step(s);
    rc = rc == DB_DONE ? HT_OK : rc < 0 ? rc : HT_EDB;
    db_finalize(s);
  }
  strbuf_free(&b);
  rec_record now;
  if (rc == HT_OK) rc = rec_get(d, t, x->a, &now);
  if (rc == HT_OK)
    rc = audit_record(d, x->who, t, "record.set", record_json(&old, x->a), record_json(&now, x->a),
                      x->a);
  return rc;
}

/* Names of the title's entered items, for a message. */
static const char *entered_items(const crit_title *t, arena *a) {
  strbuf b = STRBUF_INIT;
  for (const crit_item *it = t->items; it; it = it->next)
    if (it->input != INPUT_NONE) strbuf_printf(&b, "%s%s", b.len ? ", " : "", it->key);
  const char *s = arena_strdup(a, b.len ? strbuf_cstr(&b) : "(none)");
  strbuf_free(&b);
  return s;
}

/* Checks ch against t's title; the problems go to problems. Fills x. */
static int set_check(const audit_actor *who, const rec_target *t, const rec_change *ch,
                     issues *problems, set_ctx *out) {
  arena *a = problems->mem;
  long before = problems->count;
  if (ch->registration == REC_REG_SET) {
    int32_t day;
    if (!ch->registered_on || date_parse(ch->registered_on, &day) != HT_OK) {
      issues_add(problems, 0, "--registered", "'%s' is not a date; write YYYY-MM-DD",
                 ch->registered_on ? ch->registered_on : "");
      issues_vi(problems, "Ngày đăng ký không hợp lệ");
    } else if (date_year(day) != t->year && date_year(day) != t->year - 1) {
      issues_add(problems, 0, "--registered",
                 "%s is not in %d or %d; an entity registers for %d during that year or late in "
                 "the year before",
                 ch->registered_on, t->year - 1, t->year, t->year);
      issues_vi(problems, "Ngày đăng ký phải trong năm %d hoặc cuối năm %d", t->year, t->year - 1);
    }
  }
  if (ch->set_form_group) {
    if (strcmp(t->title->key, REC_FORM_GROUP_TITLE) != 0)
      issues_add(problems, 0, "--group",
                 "only the learning-citizen title (%s) has form groups; leave --group out",
                 REC_FORM_GROUP_TITLE);
    else if (ch->form_group < 1 || ch->form_group > 4) {
      issues_add(problems, 0, "--group", "form group %d does not exist; use 1, 2, 3 or 4",
                 ch->form_group);
      issues_vi(problems, "Nhóm phiếu %d không có; chọn 1, 2, 3 hoặc 4", ch->form_group);
    }
  }
  set_ctx x = {who, t, ch, NULL, NULL, problems, a, 0};
  x.keys = arena_calloc(a, (ch->nassignments + 1) * sizeof *x.keys);
  x.values = arena_calloc(a, (ch->nassignments + 1) * sizeof *x.values);
  *out = x;
  for (size_t i = 0; i < ch->nassignments; i++) {
    const char *as = ch->assignments[i];
    const char *eq = strchr(as, '=');
    if (!eq) {
      issues_add(problems, 0, as, "'%s' has no '='; write KEY=VALUE (or KEY= to remove a value)",
                 as);
      continue;
    }
    const char *key = arena_strndup(a, as, (size_t)(eq - as));
    x.keys[i] = key;
    int twice = 0;
    for (size_t j = 0; j < i; j++) twice |= x.keys[j] && !strcmp(x.keys[j], key);
    if (twice) {
      issues_add(problems, 0, key, "item %s is given twice; give each item once", key);
      continue;
    }
    if (!key_ok(key)) {
      issues_add(problems, 0, key, "'%s' is not an item key; keys look like C1a or i10", key);
      continue;
    }
    const crit_item *it = rec_item_find(t->title, key);
    if (!eq[1]) { /* KEY= removes; checked against the stored values later */
      x.values[i] = NAN;
      continue;
    }
    if (!it) {
      issues_add(problems, 0, key, "title %s (%d) has no item %s; the entered items are: %s",
                 t->title->key, t->year, key, entered_items(t->title, a));
      continue;
    }
    ht_err e = {0};
    if (rec_value_parse(it, eq + 1, &x.values[i], &e) != HT_OK) {
      issues_add(problems, 0, key, "%s", e.msg);
      issues_vi(problems, "%s", e.msg_vi);
    }
  }
  return problems->count > before ? HT_EINVAL : HT_OK;
}

int rec_set(db *d, const audit_actor *who, const rec_target *t, const rec_change *ch,
            issues *problems, ht_err *err) {
  set_ctx x;
  if (set_check(who, t, ch, problems, &x) != HT_OK) return HT_EINVAL;
  int rc = db_tx(d, set_in_tx, &x);
  if (rc != HT_OK && rc != HT_EINVAL)
    ht_err_set(err, rc, "cannot save the record: %s", db_errmsg(d));
  return rc;
}

int rec_set_in_tx(db *d, const audit_actor *who, const rec_target *t, const rec_change *ch,
                  issues *problems, int *outcome) {
  set_ctx x;
  if (set_check(who, t, ch, problems, &x) != HT_OK) return HT_EINVAL;
  int rc = set_in_tx(d, &x);
  if (rc == HT_OK && outcome) *outcome = x.outcome;
  return rc;
}

/* ----------------------------------------------------------- evidence */

static const struct {
  const char *media_type, *magic, *extensions[3], *what;
  size_t magic_len;
} evidence_types[] = {
    {"application/pdf", "%PDF-", {".pdf"}, "a PDF document", 5},
    {"image/png", "\x89PNG\r\n\x1a\n", {".png"}, "a PNG image", 8},
    {"image/jpeg", "\xff\xd8\xff", {".jpg", ".jpeg"}, "a JPEG image", 3},
};
#define EVIDENCE_TYPES (sizeof evidence_types / sizeof evidence_types[0])

static int extension_is(const char *name, const char *ext) {
  size_t n = strlen(name), e = strlen(ext);
  return n > e && !strcasecmp(name + n - e, ext);
}

int rec_evidence_check_file(const char *file_name, const void *data, size_t size,
                            const char **media_type, ht_err *err) {
  if (size > REC_EVIDENCE_MAX_BYTES)
    return ht_err_set(err, HT_ELIMIT,
                      "--file %s: %.1f MiB is more than the %d MiB an evidence file may have; scan "
                      "at a lower resolution or split it",
                      file_name, (double)size / (1024 * 1024), REC_EVIDENCE_MAX_BYTES >> 20);
  if (size == 0) return ht_err_set(err, HT_EINVAL, "--file %s: the file is empty", file_name);
  size_t type = EVIDENCE_TYPES;
  for (size_t i = 0; i < EVIDENCE_TYPES; i++)
    if (size >= evidence_types[i].magic_len &&
        !memcmp(data, evidence_types[i].magic, evidence_types[i].magic_len))
      type = i;
  if (type == EVIDENCE_TYPES)
    return ht_err_set(err, HT_EINVAL,
                      "--file %s: the content is not a PDF, PNG or JPEG file (whatever its name "
                      "says); attach a PDF, PNG or JPEG",
                      file_name);
  for (size_t i = 0; i < EVIDENCE_TYPES; i++)
    for (int j = 0; j < 3 && evidence_types[i].extensions[j]; j++)
      if (extension_is(file_name, evidence_types[i].extensions[j])) {
        if (i != type)
          return ht_err_set(err, HT_EINVAL,
                            "--file %s: the name says %s but the content is %s; rename the file "
                            "to %s",
                            file_name, evidence_types[i].what, evidence_types[type].what,
                            evidence_types[type].extensions[0]);
        *media_type = evidence_types[type].media_type;
        return HT_OK;
      }
  return ht_err_set(err, HT_EINVAL,
                    "--file %s: the content is %s but the name does not end in %s; rename it",
                    file_name, evidence_types[type].what, evidence_types[type].extensions[0]);
}

typedef struct evidence_ctx {
  const audit_actor *who;
  const rec_target *t;
  const char *item, *note, *file_name, *media_type;
  const void *data;
  size_t size;
  char sha256[65];
  int64_t id;
  char stage[REC_STAGE_MAX]; /* when refused: the record's stage */
} evidence_ctx;

static int evidence_in_tx(db *d, void *arg) {
  evidence_ctx *x = arg;
  int64_t now = rec_now_ms();
  arena sa;
  arena_init(&sa, 256);
  rec_record cur;
  int rc = rec_get(d, x->t, &sa, &cur);
  if (rc == HT_OK && !rec_stage_editable(cur.stage)) {
    snprintf(x->stage, sizeof x->stage, "%s", cur.stage);
    rc = HT_ECONFLICT;
  }
  arena_free(&sa);
  if (rc) return rc;
  rc = touch_record(d, x->t, now);
  if (rc) return rc;
  db_stmt *s;
  rc = db_prepare(d,
                  "INSERT INTO record_evidence (prov, id, title, year, entity, item, note, "
                  "file_name, media_type, size, sha256, content, created_at) VALUES ($1, $5, $2, "
                  "$3, $4, $6, $7, $8, $9, $10, $11, $12, $13)",
                  &s);
  if (rc) return rc;
  x->id = db_new_id(d);
  bind_key(s, d, x->t);
  db_bind_int64(s, 5, x->id);
  db_bind_text(s, 6, x->item);
  db_bind_text(s, 7, x->note);
  db_bind_text(s, 8, x->file_name);
  db_bind_text(s, 9, x->media_type);
  if (x->file_name) {
    db_bind_int64(s, 10, (int64_t)x->size);
    db_bind_text(s, 11, x->sha256);
    db_bind_blob(s, 12, x->data, x->size);
  } else {
    db_bind_null(s, 10);
    db_bind_null(s, 11);
    db_bind_null(s, 12);
  }
  db_bind_int64(s, 13, now);
  rc = db_step(s);
  db_finalize(s);
  if (rc != DB_DONE) return rc < 0 ? rc : HT_EDB;
  arena a;
  arena_init(&a, 0);
  json_t *o = json_pack("{ssss}", "item", x->item, "note", x->note);
  json_object_set_new(o, "id", json_string(arena_sprintf(&a, "%lld", (long long)x->id)));
  if (x->file_name) {
    json_object_set_new(o, "file_name", json_string(x->file_name));
    json_object_set_new(o, "size", json_integer((json_int_t)x->size));
    json_object_set_new(o, "sha256", json_string(x->sha256));
  }
  char *after = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(o);
  rc = audit_record(d, x->who, x->t, "record.evidence", NULL, after, &a);
  free(after);
  arena_free(&a);
  return rc;
}

/* NFC copy of text with whitespace collapsed, in *out (malloc'd); HT_EINVAL
 * with a message naming field when it is empty, too long or not UTF-8. */
static int clean_required(const char *field, const char *text, char **out, ht_err *err) {
  *out = NULL;
  if (!text) return ht_err_set(err, HT_EINVAL, "%s is missing; give it (it is required)", field);
  if (vt_clean(text, out) != HT_OK)
    return ht_err_set(err, HT_EINVAL, "%s: the text is not valid UTF-8", field);
  if (!**out) {
    free(*out);
    *out = NULL;
    return ht_err_set(err, HT_EINVAL, "%s: the text is empty; write it out", field);
  }
  if (strlen(*out) > REC_NOTE_MAX_BYTES) {
    free(*out);
    *out = NULL;
    return ht_err_set(err, HT_EINVAL, "%s: the text is longer than %d bytes; shorten it", field,
                      REC_NOTE_MAX_BYTES);
  }
  return HT_OK;
}

int rec_evidence_add(db *d, const audit_actor *who, const rec_target *t, const char *item,
                     const char *note, const char *file_name, const void *data, size_t size,
                     int64_t *id_out, ht_err *err) {
  if (!rec_item_find(t->title, item))
    return ht_err_set(err, HT_EINVAL,
                      "ITEM: title %s (%d) has no item '%s'; see 'hoctap criteria "
                      "show %s'",
                      t->title->key, t->year, item, t->title->key);
  evidence_ctx x = {.who = who, .t = t, .item = item, .data = data, .size = size};
  char *clean_note = NULL, *clean_name = NULL;
  int rc = clean_required("--note", note, &clean_note, err);
  if (rc) return rc;
  if (file_name) {
    const char *base = strrchr(file_name, '/');
    base = base ? base + 1 : file_name;
    rc = clean_required("--file", base, &clean_name, err);
    if (rc == HT_OK) rc = rec_evidence_check_file(clean_name, data, size, &x.media_type, err);
    if (rc == HT_OK) sha256_hex(data, size, x.sha256);
  }
  if (rc == HT_OK) {
    x.note = clean_note;
    x.file_name = clean_name;
    rc = db_tx(d, evidence_in_tx, &x);
    if (rc == HT_ECONFLICT) {
      ht_err_set(err, rc, "the record of %s for %s %d is %s, so no evidence can be added",
                 t->display, t->title->key, t->year, stage_en(x.stage));
      ht_err_vi(err, "Hồ sơ của %s (%s, năm %d) %s nên không thêm được minh chứng", t->label_vi,
                t->title->name, t->year, stage_vi(x.stage));
    } else if (rc) {
      ht_err_set(err, rc, "cannot save the evidence: %s", db_errmsg(d));
    }
    if (rc == HT_OK && id_out) *id_out = x.id;
  }
  free(clean_note);
  free(clean_name);
  return rc;
}

int rec_evidence_list(db *d, const rec_target *t, arena *a, rec_evidence **out, size_t *n) {
  *out = NULL;
  *n = 0;
  db_stmt *s;
  int rc = db_prepare(d,
                      "SELECT id, item, note, file_name, media_type, size, sha256, created_at FROM "
                      "record_evidence WHERE prov = $1 AND title = $2 AND year = $3 AND entity = "
                      "$4 ORDER BY created_at, id",
                      &s);
  if (rc) return rc;
  bind_key(s, d, t);
  size_t cap = 0;
  while ((rc = db_step(s)) == DB_ROW) {
    *out = arena_grow(a, *out, *n, &cap, sizeof **out);
    rec_evidence *e = &(*out)[(*n)++];
    e->id = db_col_int64(s, 0);
    e->item = arena_strdup(a, db_col_text(s, 1));
    e->note = arena_strdup(a, db_col_text(s, 2));
    int file = !db_col_is_null(s, 3);
    e->file_name = file ? arena_strdup(a, db_col_text(s, 3)) : NULL;
    e->media_type = file ? arena_strdup(a, db_col_text(s, 4)) : NULL;
    e->size = file ? db_col_int64(s, 5) : 0;
    e->sha256 = file ? arena_strdup(a, db_col_text(s, 6)) : NULL;
    e->created_at = db_col_int64(s, 7);
  }
  db_finalize(s);
  return rc < 0 ? rc : HT_OK;
}

/* ---------------------------------------------------------- overrides */

typedef struct override_ctx {
  const audit_actor *who;
  const rec_target *t;
  const rec_override *o;
  const char *reason, *by_name;
  int clear, cleared;
  char stage[REC_STAGE_MAX]; /* when refused: the record's stage */
} override_ctx;

static int override_in_tx(db *d, void *arg) {
  override_ctx *x = arg;
  int64_t now = rec_now_ms();
  db_stmt *s;
  int rc;
  {
    arena sa;
    arena_init(&sa, 256);
    rec_record cur;
    rc = rec_get(d, x->t, &sa, &cur);
    if (rc == HT_OK && !rec_stage_editable(cur.stage) && strcmp(cur.stage, "submitted") != 0) {
      snprintf(x->stage, sizeof x->stage, "%s", cur.stage);
      rc = HT_ECONFLICT;
    }
    arena_free(&sa);
    if (rc) return rc;
  }
  if (x->clear) {
    rc = db_prepare(d,
                    "SELECT COUNT(*) FROM record_overrides WHERE prov = $1 AND title = $2 AND "
                    "year = $3 AND entity = $4 AND item = $5",
                    &s);
    if (rc) return rc;
    bind_key(s, d, x->t);
    db_bind_text(s, 5, x->o->item);
    rc = db_step(s);
    x->cleared = rc == DB_ROW && db_col_int64(s, 0) > 0;
    db_finalize(s);
    if (rc < 0) return rc;
    if (!x->cleared) return HT_OK;
    rc = db_prepare(d,
                    "DELETE FROM record_overrides WHERE prov = $1 AND title = $2 AND year = $3 AND "
                    "entity = $4 AND item = $5",
                    &s);
    if (rc) return rc;
    bind_key(s, d, x->t);
    db_bind_text(s, 5, x->o->item);
    rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return rc < 0 ? rc : HT_EDB;
    rc = touch_record(d, x->t, now);
    if (rc) return rc;
    arena a;
    arena_init(&a, 0);
    char *before = arena_sprintf(&a, "{\"item\":\"%s\"}", x->o->item);
    rc = audit_record(d, x->who, x->t, "record.override-clear", before, NULL, &a);
    arena_free(&a);
    return rc;
  }
  rc = touch_record(d, x->t, now);
  if (rc) return rc;
  rc = db_prepare(d,
                  "INSERT INTO record_overrides (prov, title, year, entity, item, points, level, "
                  "passed, reason, by_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
                  "$11) ON CONFLICT (prov, title, year, entity, item) DO UPDATE SET points = "
                  "excluded.points, level = excluded.level, passed = excluded.passed, reason = "
                  "excluded.reason, by_name = excluded.by_name, at = excluded.at",
                  &s);
  if (rc) return rc;
  bind_key(s, d, x->t);
  db_bind_text(s, 5, x->o->item);
  db_bind_null(s, 6);
  db_bind_null(s, 7);
  db_bind_null(s, 8);
  if (x->o->kind == REC_OVR_POINTS) db_bind_double(s, 6, x->o->points);
  if (x->o->kind == REC_OVR_LEVEL) db_bind_int64(s, 7, x->o->level);
  if (x->o->kind == REC_OVR_PASS) db_bind_int64(s, 8, x->o->passed ? 1 : 0);
  db_bind_text(s, 9, x->reason);
  db_bind_text(s, 10, x->by_name);
  db_bind_int64(s, 11, now);
  rc = db_step(s);
  db_finalize(s);
  if (rc != DB_DONE) return rc < 0 ? rc : HT_EDB;
  json_t *o = json_pack("{ssssss}", "item", x->o->item, "reason", x->reason, "by", x->by_name);
  if (x->o->kind == REC_OVR_POINTS) json_object_set_new(o, "points", json_real(x->o->points));
  if (x->o->kind == REC_OVR_LEVEL) json_object_set_new(o, "level", json_integer(x->o->level));
  if (x->o->kind == REC_OVR_PASS) json_object_set_new(o, "passed", json_boolean(x->o->passed));
  char *after = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(o);
  arena a;
  arena_init(&a, 0);
  rc = audit_record(d, x->who, x->t, "record.override", NULL, after, &a);
  arena_free(&a);
  free(after);
  return rc;
}

static int override_refused(const rec_target *t, const override_ctx *x, int rc, ht_err *err,
                            db *d) {
  if (rc != HT_ECONFLICT) return ht_err_set(err, rc, "cannot save the override: %s", db_errmsg(d));
  ht_err_set(err, rc, "the record of %s for %s %d is %s, so its results cannot be overridden",
             t->display, t->title->key, t->year, stage_en(x->stage));
  return ht_err_vi(err, "Hồ sơ của %s (%s, năm %d) %s nên không điều chỉnh được kết quả",
                   t->label_vi, t->title->name, t->year, stage_vi(x->stage));
}

int rec_override_set(db *d, const audit_actor *who, const rec_target *t, const rec_override *o,
                     ht_err *err) {
  const crit_item *it = rec_item_find(t->title, o->item);
  if (!it)
    return ht_err_set(err, HT_EINVAL,
                      "ITEM: title %s (%d) has no item '%s'; see 'hoctap criteria "
                      "show %s'",
                      t->title->key, t->year, o->item, t->title->key);
  switch (o->kind) {
    case REC_OVR_POINTS:
      if (t->title->levels)
        return ht_err_set(err, HT_EINVAL,
                          "--points: title %s is scored by levels; use --level N (0..%d) or --pass",
                          t->title->key, t->title->levels);
      if (!isfinite(o->points) || o->points < 0 || o->points > it->max_points)
        return ht_err_set(err, HT_EINVAL,
                          "--points: %g is outside 0..%g, the points item %s can earn", o->points,
                          it->max_points, it->key);
      break;
    case REC_OVR_LEVEL:
      if (!t->title->levels)
        return ht_err_set(err, HT_EINVAL,
                          "--level: title %s is scored by points; use --points N (0..%g) or --pass",
                          t->title->key, it->max_points);
      if (o->level < 0 || o->level > t->title->levels)
        return ht_err_set(err, HT_EINVAL, "--level: %d is outside 0..%d, the levels of title %s",
                          o->level, t->title->levels, t->title->key);
      break;
    case REC_OVR_PASS: break;
    default: return ht_err_set(err, HT_EINVAL, "an override needs --points, --level or --pass");
  }
  char *reason = NULL, *by = NULL;
  int rc = clean_required("--reason", o->reason, &reason, err);
  if (rc == HT_OK) rc = clean_required("--by", o->by_name, &by, err);
  if (rc == HT_OK) {
    override_ctx x = {who, t, o, reason, by, 0, 0, ""};
    rc = db_tx(d, override_in_tx, &x);
    if (rc) override_refused(t, &x, rc, err, d);
  }
  free(reason);
  free(by);
  return rc;
}

int rec_override_clear(db *d, const audit_actor *who, const rec_target *t, const char *item,
                       int *cleared, ht_err *err) {
  *cleared = 0;
  if (!rec_item_find(t->title, item))
    return ht_err_set(err, HT_EINVAL,
                      "ITEM: title %s (%d) has no item '%s'; see 'hoctap criteria "
                      "show %s'",
                      t->title->key, t->year, item, t->title->key);
  rec_override o = {.item = item};
  override_ctx x = {who, t, &o, NULL, NULL, 1, 0, ""};
  int rc = db_tx(d, override_in_tx, &x);
  if (rc) return override_refused(t, &x, rc, err, d);
  *cleared = x.cleared;
  return HT_OK;
}

int rec_override_list(db *d, const rec_target *t, arena *a, rec_override **out, size_t *n) {
  *out = NULL;
  *n = 0;
  db_stmt *s;
  int rc = db_prepare(d,
                      "SELECT item, points, level, passed, reason, by_name, at FROM "
                      "record_overrides WHERE prov = $1 AND title = $2 AND year = $3 AND entity = "
                      "$4 ORDER BY item",
                      &s);
  if (rc) return rc;
  bind_key(s, d, t);
  size_t cap = 0;
  while ((rc = db_step(s)) == DB_ROW) {
    *out = arena_grow(a, *out, *n, &cap, sizeof **out);
    rec_override *o = &(*out)[(*n)++];
    memset(o, 0, sizeof *o);
    o->item = arena_strdup(a, db_col_text(s, 0));
    if (!db_col_is_null(s, 1)) {
      o->kind = REC_OVR_POINTS;
      o->points = db_col_double(s, 1);
    } else if (!db_col_is_null(s, 2)) {
      o->kind = REC_OVR_LEVEL;
      o->level = (int)db_col_int64(s, 2);
    } else {
      o->kind = REC_OVR_PASS;
      o->passed = (int)db_col_int64(s, 3);
    }
    o->reason = arena_strdup(a, db_col_text(s, 4));
    o->by_name = arena_strdup(a, db_col_text(s, 5));
    o->at = db_col_int64(s, 6);
  }
  db_finalize(s);
  return rc < 0 ? rc : HT_OK;
}
