/* intake.c - validated, all-or-nothing imports of registry rows and records
 * (and, through intake_fund.c, of the funds' donors, donations and
 * beneficiaries), and the same row checks for the registry forms
 * (intake_form_*). */
#include "services/intake_int.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/date.h"
#include "base/sha256.h"
#include "base/strbuf.h"
#include "base/vtext.h"
#include "criteria/crit_defaults.h"
#include "model/workflow.h"
#include "model/records.h"
#include "model/registry.h"
#include "io/xlsx.h"
#include "io/xlsx_write.h"

/* Prepared statements, made once per import and reset between rows. */
enum {
  Q_UNIT_LEVEL,
  Q_HH_GET,
  Q_HH_PLACE,
  Q_HH_INSERT,
  Q_HH_UPDATE,
  Q_HH_PLACE_PUT,
  Q_CLAN_GET,
  Q_CLAN_INSERT,
  Q_CLAN_UPDATE,
  Q_PERSON_BY_CID,
  Q_PERSON_BY_NAME,
  Q_HH_NO_CID,
  Q_PERSON_INSERT,
  Q_PERSON_UPDATE,
  Q_PY_GET,
  Q_PY_PUT,
  Q_ORG_GET,
  Q_ORG_PLACE,
  Q_ORG_INSERT,
  Q_ORG_UPDATE,
  Q_ORG_PLACE_PUT,
  Q_PERSON_BY_ID,
  Q_HH_VILLAGE_ANY,
  Q_COUNT
};

static const char *const sql[Q_COUNT] = {
    [Q_UNIT_LEVEL] =
        "SELECT k.level_key FROM units u JOIN unit_kinds k ON k.prov = u.prov AND "
        "k.key = u.kind WHERE u.prov = $1 AND u.code = $2 AND u.valid_from <= $3 AND "
        "(u.valid_to IS NULL OR u.valid_to >= $3)",
    [Q_HH_GET] = "SELECT id, head_name, address FROM households WHERE prov = $1 AND code = $2",
    [Q_HH_PLACE] =
        "SELECT village_code, clan_id, from_year FROM household_places WHERE prov = $1 "
        "AND household_id = $2 AND from_year <= $3 ORDER BY from_year DESC LIMIT 1",
    [Q_HH_INSERT] =
        "INSERT INTO households (prov, id, code, head_name, head_key, address) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
    [Q_HH_UPDATE] =
        "UPDATE households SET head_name = $3, head_key = $4, address = $5 "
        "WHERE prov = $1 AND id = $2",
    [Q_HH_PLACE_PUT] =
        "INSERT INTO household_places (prov, household_id, from_year, "
        "village_code, clan_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (prov, "
        "household_id, from_year) DO UPDATE SET village_code = "
        "excluded.village_code, clan_id = excluded.clan_id",
    [Q_CLAN_GET] = "SELECT id, name, village_code FROM clans WHERE prov = $1 AND code = $2",
    [Q_CLAN_INSERT] =
        "INSERT INTO clans (prov, id, code, name, name_key, village_code) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
    [Q_CLAN_UPDATE] =
        "UPDATE clans SET name = $3, name_key = $4, village_code = $5 "
        "WHERE prov = $1 AND id = $2",
    [Q_PERSON_BY_CID] =
        "SELECT id, household_id, full_name, birth_year, gender, citizen_id "
        "FROM persons WHERE prov = $1 AND citizen_id = $2",
    [Q_PERSON_BY_NAME] =
        "SELECT id, household_id, full_name, birth_year, gender, citizen_id "
        "FROM persons WHERE prov = $1 AND household_id = $2 AND name_key = $3 "
        "AND birth_year = $4",
    /* COUNT(*) - COUNT(citizen_id): "citizen_id IS NULL" would walk the
     * UNIQUE (prov, citizen_id) index over every person without one */
    [Q_HH_NO_CID] =
        "SELECT COUNT(*) - COUNT(citizen_id) FROM persons WHERE prov = $1 AND "
        "household_id = $2",
    [Q_PERSON_INSERT] =
        "INSERT INTO persons (prov, id, household_id, full_name, name_key, "
        "birth_year, gender, citizen_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    [Q_PERSON_UPDATE] =
        "UPDATE persons SET household_id = $3, full_name = $4, name_key = $5, "
        "birth_year = $6, gender = $7, citizen_id = $8 WHERE prov = $1 AND id = $2",
    [Q_PY_GET] =
        "SELECT literate, in_school, school_result, conduct, topics_completed FROM "
        "person_years WHERE prov = $1 AND person_id = $2 AND year = $3",
    [Q_PY_PUT] =
        "INSERT INTO person_years (prov, person_id, year, literate, in_school, "
        "school_result, conduct, topics_completed) VALUES ($1, $2, $3, $4, $5, $6, $7, "
        "$8) ON CONFLICT (prov, person_id, year) DO UPDATE SET literate = "
        "excluded.literate, in_school = excluded.in_school, school_result = "
        "excluded.school_result, conduct = excluded.conduct, topics_completed = "
        "excluded.topics_completed",
    [Q_ORG_GET] = "SELECT id, name, kind FROM organisations WHERE prov = $1 AND code = $2",
    [Q_ORG_PLACE] =
        "SELECT admin_code, valid_from FROM organisation_places WHERE prov = $1 AND "
        "organisation_id = $2 AND valid_from <= $3 ORDER BY valid_from DESC LIMIT 1",
    [Q_ORG_INSERT] =
        "INSERT INTO organisations (prov, id, code, name, name_key, kind) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
    [Q_ORG_UPDATE] =
        "UPDATE organisations SET name = $3, name_key = $4, kind = $5 "
        "WHERE prov = $1 AND id = $2",
    [Q_ORG_PLACE_PUT] =
        "INSERT INTO organisation_places (prov, organisation_id, valid_from, "
        "admin_code) VALUES ($1, $2, $3, $4) ON CONFLICT (prov, organisation_id, "
        "valid_from) DO UPDATE SET admin_code = excluded.admin_code",
    [Q_PERSON_BY_ID] =
        "SELECT id, household_id, full_name, birth_year, gender, citizen_id "
        "FROM persons WHERE prov = $1 AND id = $2",
    /* The village of a household in the year, else (placed only later) its
     * first village: whose area the household is in, for the scope check. */
    [Q_HH_VILLAGE_ANY] =
        "SELECT village_code FROM household_places WHERE prov = $1 AND household_id = $2 "
        "ORDER BY CASE WHEN from_year <= $3 THEN 0 ELSE 1 END, "
        "CASE WHEN from_year <= $3 THEN -from_year ELSE from_year END LIMIT 1",
};

_Static_assert(Q_COUNT <= INTAKE__STMTS, "ix.stmt holds every statement");

static int this_year(void) {
  time_t now = time(NULL);
  struct tm tm;
  localtime_r(&now, &tm);
  return tm.tm_year + 1900;
}

static void set_year(ix *x, int year);

/* The state of one import or form; ix_free releases it. */
static void ix_init(ix *x, db *d, const audit_actor *who, const intake_opts *o, arena *a,
                    intake_report *rep) {
  memset(x, 0, sizeof *x);
  x->d = d, x->who = who, x->o = o, x->a = a, x->rep = rep;
  x->this_year = this_year();
  arena_init(&x->row, 0);
  strmap_init(&x->seen);
  strmap_init(&x->levels);
  strmap_init(&x->clans);
  strmap_init(&x->hhs);
  strmap_init(&x->scope);
  issues_init(&x->recp, a);
  set_year(x, o->year ? o->year : x->this_year);
}

static void ix_free(ix *x) {
  intake__fund_free(x);
  for (int i = 0; i < Q_COUNT; i++) {
    db_finalize(x->stmt[i]);
    x->stmt[i] = NULL;
  }
  arena_free(&x->row);
  arena_init(&x->row, 0);
  strmap_free(&x->seen);
  strmap_free(&x->levels);
  strmap_free(&x->clans);
  strmap_free(&x->hhs);
  strmap_free(&x->scope);
}

/* ----------------------------------------------------------- problems */

void intake__problem(ix *x, long row, int col, const char *column, const char *value,
                     const char *en, const char *vi) {
  intake_report *r = x->rep;
  r->problems_total++;
  if (r->nproblems >= INTAKE_PROBLEMS_KEPT) return;
  intake_problem *p = &r->problems[r->nproblems++];
  p->row = row;
  p->col = col;
  p->column = column;
  p->value = value ? arena_strndup(x->a, value, strlen(value) > 200 ? 200 : strlen(value)) : NULL;
  p->msg_en = en;
  p->msg_vi = vi;
}

/* A problem with column c (-1: the whole row) of the current row. */
void intake__prob(ix *x, int c, const char *en, const char *vi) {
  int cell = c >= 0 ? x->index[c] : -1;
  const char *value = cell >= 0 && (size_t)cell < x->cur->ncells ? x->cur->cells[cell] : NULL;
  intake__problem(x, x->cur->row, cell, c >= 0 ? x->cols[c].key : NULL, value, en, vi);
}

int intake__failing(const ix *x) {
  return x->rep->problems_total > 0;
}

/* ---------------------------------------------------------------- cells */

/* The column of key, or -1. */
int intake__col_of(const ix *x, const char *key) {
  for (size_t c = 0; c < x->ncols; c++)
    if (!strcmp(x->cols[c].key, key)) return (int)c;
  return -1;
}

int intake__present(const ix *x, int c) {
  return c >= 0 && x->index[c] >= 0;
}

/* The text of column c, trimmed of ASCII spaces, from the row arena ("" when
 * the column is absent or the cell empty). */
const char *intake__cell(ix *x, int c) {
  if (!intake__present(x, c) || (size_t)x->index[c] >= x->cur->ncells) return "";
  const char *s = x->cur->cells[x->index[c]];
  while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) n--;
  return arena_strndup(&x->row, s, n);
}

static const char *col_vi(const ix *x, int c) {
  return x->cols[c].header_vi;
}

/* A required cell left empty. */
void intake__empty_required(ix *x, int c) {
  if (x->form)
    intake__prob(x, c, F(x, "%s is empty; it is required", x->cols[c].key),
                 F(x, "Chưa ghi %s; đây là mục bắt buộc", col_vi(x, c)));
  else
    intake__prob(x, c, F(x, "%s is empty; every row needs one", x->cols[c].key),
                 F(x, "Chưa ghi %s; mỗi dòng đều phải có", col_vi(x, c)));
}

/* What the caller may write, after "... is outside your area; ". */
const char *intake__only_yours_en(const ix *x) {
  return x->form ? "you may enter only data of your unit" : "you may import only rows of your unit";
}

/* A code: required or optional; NULL when empty or bad (reported). */
const char *intake__code_cell(ix *x, int c) {
  const char *s = intake__cell(x, c);
  if (!*s) {
    if (x->cols[c].required) intake__empty_required(x, c);
    return NULL;
  }
  size_t n = strlen(s);
  int ok = n <= INTAKE__CODE_MAX;
  for (const char *p = s; *p && ok; p++)
    ok = (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
         strchr("-_./", *p);
  if (!ok) {
    intake__prob(
        x, c,
        F(x,
          "'%s' is not a code: codes are at most 40 letters (without diacritics), digits, '-', "
          "'_', '.' or '/'",
          s),
        F(x,
          "'%s' không phải là mã: mã gồm tối đa 40 chữ cái không dấu, chữ số, '-', '_', '.' "
          "hoặc '/'",
          s));
    return NULL;
  }
  return s;
}

/* A name or text, cleaned (NFC, single spaces); NULL when empty or bad. */
const char *intake__name_cell(ix *x, int c, size_t max) {
  const char *s = intake__cell(x, c);
  char *clean = NULL;
  if (vt_clean(s, &clean) != HT_OK) {
    intake__prob(x, c,
                 x->form ? "the text is not valid UTF-8"
                         : "the text is not valid UTF-8; save the file as UTF-8 or pass --encoding",
                 F(x, "Văn bản lỗi mã hóa; hãy lưu tệp dạng UTF-8%s", ""));
    return NULL;
  }
  const char *out = arena_strdup(&x->row, clean);
  free(clean);
  if (!*out) {
    if (x->cols[c].required) intake__empty_required(x, c);
    return NULL;
  }
  if (strlen(out) > max) {
    intake__prob(x, c, F(x, "the text is longer than %zu bytes; shorten it", max),
                 F(x, "Nội dung dài quá %zu byte; hãy rút gọn", max));
    return NULL;
  }
  return out;
}

char *intake__fold_key(ix *x, const char *s) {
  char *k = NULL;
  if (vt_search_key(s, &k) != HT_OK) return arena_strdup(&x->row, "");
  char *out = arena_strdup(&x->row, k);
  free(k);
  return out;
}

/* A year in 1900..this year; 0 when empty or bad (reported). */
int intake__year_cell(ix *x, int c) {
  const char *s = intake__cell(x, c);
  if (!*s) {
    if (x->cols[c].required)
      intake__prob(x, c, F(x, "%s is empty; write the year with 4 digits", x->cols[c].key),
                   F(x, "Chưa ghi %s; ghi năm đủ 4 chữ số", col_vi(x, c)));
    return 0;
  }
  long v;
  if (intake_parse_int(s, &v) != HT_OK || v < 1900 || v > 2100) {
    intake__prob(x, c, F(x, "'%s' is not a year; write it with 4 digits (e.g. 1985)", s),
                 F(x, "'%s' không phải là năm; ghi đủ 4 chữ số (ví dụ 1985)", s));
    return 0;
  }
  if (v > x->this_year) {
    intake__prob(x, c, F(x, "%ld is in the future; check the year", v),
                 F(x, "Năm %ld chưa đến; hãy kiểm tra lại", v));
    return 0;
  }
  return (int)v;
}

/* yes/no: 1, 0, or -1 when bad (reported). */
static int yesno_cell(ix *x, int c) {
  const char *s = intake__cell(x, c);
  int v;
  if (intake_parse_yesno(s, &v) == HT_OK) return v;
  intake__prob(x, c,
               F(x, "'%s' is not yes or no; write có or không (x/blank and 1/0 also work)", s),
               F(x, "'%s' không phải có/không; ghi có hoặc không (chấp nhận x/để trống, 1/0)", s));
  return -1;
}

/* The row where the file first had key, or 0 when it is new (it is then
 * remembered for the rows after). */
long intake__seen_on(ix *x, const char *key) {
  int64_t first;
  if (strmap_get(&x->seen, key, &first)) return (long)first;
  strmap_put(&x->seen, arena_strdup(x->a, key), x->cur->row);
  return 0;
}

/* Reports what (named in English and Vietnamese) as a duplicate of row first. */
void intake__duplicate(ix *x, int c, long first, const char *what_en, const char *what_vi) {
  if (x->form) /* a form's rows are members, numbered from 1 */
    intake__prob(
        x, c, F(x, "%s is entered twice (also member %ld); keep one", what_en, first),
        F(x, "%s bị nhập hai lần (trùng thành viên thứ %ld); chỉ giữ một", what_vi, first));
  else
    intake__prob(x, c,
                 F(x, "%s is already on row %ld of this file; keep one row for it", what_en, first),
                 F(x, "%s đã có ở dòng %ld của tệp này; chỉ giữ một dòng", what_vi, first));
}

/* A code column's value seen twice in the file is reported. */
static void unique_code(ix *x, int c, const char *code) {
  /* keyed by the column too: a form writes rows of several kinds */
  long first = intake__seen_on(x, arena_sprintf(&x->row, "%s:%s", x->cols[c].key, code));
  if (first) intake__duplicate(x, c, first, code, code);
}

/* ------------------------------------------------------------ database */

static db_stmt *q(ix *x, int id) {
  if (!x->stmt[id] && db_prepare(x->d, sql[id], &x->stmt[id]) != HT_OK) return NULL;
  db_reset(x->stmt[id]);
  db_bind_int64(x->stmt[id], 1, db_prov(x->d));
  return x->stmt[id];
}

static int step_done(db_stmt *s) {
  return s && db_step(s) == DB_DONE ? HT_OK : HT_EDB;
}

/* The level of the unit code on 31 December of the year (cached). */
int intake__unit_level(ix *x, const char *code) {
  int64_t v;
  if (strmap_get(&x->levels, code, &v)) return (int)v;
  int level = LV_NONE;
  db_stmt *s = q(x, Q_UNIT_LEVEL);
  if (s) {
    db_bind_text(s, 2, code);
    db_bind_text(s, 3, x->year_end);
    if (db_step(s) == DB_ROW) {
      const char *k = db_col_text(s, 0);
      level = !strcmp(k, "village")    ? LV_VILLAGE
              : !strcmp(k, "commune")  ? LV_COMMUNE
              : !strcmp(k, "district") ? LV_DISTRICT
              : !strcmp(k, "province") ? LV_PROVINCE
                                       : LV_NONE;
    }
  }
  strmap_put(&x->levels, arena_strdup(x->a, code), level);
  return level;
}

int intake__in_scope(ix *x, const char *unit) {
  if (!x->o->in_scope) return 1;
  int64_t v;
  if (strmap_get(&x->scope, unit, &v)) return (int)v;
  int ok = x->o->in_scope(x->o->scope_ctx, unit, x->year) ? 1 : 0;
  strmap_put(&x->scope, arena_strdup(x->a, unit), ok);
  return ok;
}

/* Checks that column c holds a village code valid in the year, in scope. */
static const char *village_cell(ix *x, int c) {
  const char *v = intake__code_cell(x, c);
  if (!v) return NULL;
  if (intake__unit_level(x, v) != LV_VILLAGE) {
    intake__prob(
        x, c,
        F(x, "no village or residential group has code %s in %d; check the code on the unit's page",
          v, x->year),
        F(x, "Không có thôn/tổ dân phố mã %s trong năm %d; xem mã trên trang của đơn vị", v,
          x->year));
    return NULL;
  }
  if (!intake__in_scope(x, v)) {
    intake__prob(
        x, c, F(x, "village %s is outside your area; %s", v, intake__only_yours_en(x)),
        F(x,
          "Thôn/tổ dân phố %s nằm ngoài địa bàn của bạn; chỉ được nhập dữ liệu thuộc đơn vị mình",
          v));
    return NULL;
  }
  return v;
}

/* The id of a clan code, 0 when unknown (cached). */
static int64_t clan_id(ix *x, const char *code) {
  int64_t v;
  if (strmap_get(&x->clans, code, &v)) return v;
  int64_t id = 0;
  db_stmt *s = q(x, Q_CLAN_GET);
  if (s) {
    db_bind_text(s, 2, code);
    if (db_step(s) == DB_ROW) id = db_col_int64(s, 0);
  }
  strmap_put(&x->clans, arena_strdup(x->a, code), id);
  return id;
}

/* A household code's id and village in the year (cached); NULL when unknown. */
hh_info *intake__household(ix *x, const char *code) {
  int64_t v;
  if (strmap_get(&x->hhs, code, &v) && v >= 0) return v ? &x->hh[v - 1] : NULL; /* -1: stale */
  hh_info h = {0, NULL, 0};
  db_stmt *s = q(x, Q_HH_GET);
  if (s) {
    db_bind_text(s, 2, code);
    if (db_step(s) == DB_ROW) h.id = db_col_int64(s, 0);
  }
  if (h.id && (s = q(x, Q_HH_PLACE))) {
    db_bind_int64(s, 2, h.id);
    db_bind_int64(s, 3, x->year);
    if (db_step(s) == DB_ROW) h.village = arena_strdup(x->a, db_col_text(s, 0));
  }
  if (h.id && (s = q(x, Q_HH_NO_CID))) {
    db_bind_int64(s, 2, h.id);
    if (db_step(s) == DB_ROW) h.without_cid = (long)db_col_int64(s, 0);
  }
  if (!h.id) {
    strmap_put(&x->hhs, arena_strdup(x->a, code), 0);
    return NULL;
  }
  x->hh = arena_grow(x->a, x->hh, x->nhh, &x->hh_cap, sizeof *x->hh);
  x->hh[x->nhh++] = h;
  strmap_put(&x->hhs, arena_strdup(x->a, code), (int64_t)x->nhh);
  return &x->hh[x->nhh - 1];
}

/* The village a stored household lives in during the year (else the first
 * it was placed in), from the row arena; NULL when it was never placed. */
static const char *household_village_any(ix *x, int64_t id) {
  db_stmt *s = q(x, Q_HH_VILLAGE_ANY);
  if (!s) return NULL;
  db_bind_int64(s, 2, id);
  db_bind_int64(s, 3, x->year);
  return db_step(s) == DB_ROW ? arena_strdup(&x->row, db_col_text(s, 0)) : NULL;
}

/* A stored household the row would change lies outside the caller's area:
 * an officer of commune A cannot take over a household of commune B by
 * naming a village of A. Reported on column c; 1 when outside. */
static int stored_household_outside(ix *x, int c, const char *code, int64_t id) {
  if (!x->o->in_scope) return 0;
  const char *v = household_village_any(x, id);
  if (!v || intake__in_scope(x, v)) return 0;
  intake__prob(
      x, c,
      F(x, "household %s lives in village %s, outside your area; %s", code, v,
        intake__only_yours_en(x)),
      F(x,
        "Hộ %s thuộc thôn/tổ dân phố %s, nằm ngoài địa bàn của bạn; chỉ được nhập dữ liệu thuộc "
        "đơn vị mình",
        code, v));
  return 1;
}

void intake__count(ix *x, int outcome) {
  if (outcome == REC_ADDED)
    x->rep->added++;
  else if (outcome == REC_CHANGED)
    x->rep->changed++;
  else
    x->rep->unchanged++;
}

int intake__db_fail(ix *x, ht_err *err) {
  return ht_err_set(err, HT_EDB, "cannot write row %ld: %s", x->cur->row, db_errmsg(x->d));
}

/* ---------------------------------------------------------- households */

static int row_household(ix *x, ht_err *err) {
  int c_code = intake__col_of(x, "household_code"), c_head = intake__col_of(x, "head_name"),
      c_village = intake__col_of(x, "village_code"), c_clan = intake__col_of(x, "clan_code"),
      c_addr = intake__col_of(x, "address");
  const char *code = intake__code_cell(x, c_code);
  const char *head = intake__name_cell(x, c_head, INTAKE__NAME_MAX);
  const char *village = village_cell(x, c_village);
  const char *clan = intake__present(x, c_clan) ? intake__code_cell(x, c_clan) : NULL;
  const char *addr =
      intake__present(x, c_addr) ? intake__name_cell(x, c_addr, INTAKE__TEXT_MAX) : NULL;
  int64_t clan_db = 0;
  if (clan && !(clan_db = clan_id(x, clan))) {
    if (x->form)
      intake__prob(x, c_clan,
                   F(x, "no clan has code %s; register the clan first or leave it empty", clan),
                   F(x, "Không có dòng họ mã %s; hãy đăng ký dòng họ trước hoặc để trống", clan));
    else
      intake__prob(
          x, c_clan,
          F(x, "no clan has code %s; import the clans first or leave the cell empty", clan),
          F(x, "Không có dòng họ mã %s; hãy nhập danh sách dòng họ trước hoặc để trống", clan));
  }
  if (code) unique_code(x, c_code, code);
  int64_t id = 0;
  const char *old_head = NULL, *old_addr = NULL;
  if (code) {
    db_stmt *s = q(x, Q_HH_GET);
    if (!s) return intake__db_fail(x, err);
    db_bind_text(s, 2, code);
    if (db_step(s) == DB_ROW) {
      id = db_col_int64(s, 0);
      old_head = arena_strdup(&x->row, db_col_text(s, 1));
      old_addr = arena_strdup(&x->row, db_col_text(s, 2));
    }
    if (id) stored_household_outside(x, c_code, code, id);
  }
  if (intake__failing(x) || !code || !head || !village) return HT_OK;

  db_stmt *s;
  const char *new_addr =
      intake__present(x, c_addr) ? (addr ? addr : "") : (old_addr ? old_addr : "");
  int outcome = REC_UNCHANGED;
  if (!id) {
    id = db_new_id(x->d);
    s = q(x, Q_HH_INSERT);
    if (!s) return intake__db_fail(x, err);
    db_bind_int64(s, 2, id);
    db_bind_text(s, 3, code);
    db_bind_text(s, 4, head);
    db_bind_text(s, 5, intake__fold_key(x, head));
    db_bind_text(s, 6, new_addr);
    if (step_done(s)) return intake__db_fail(x, err);
    outcome = REC_ADDED;
  } else if (strcmp(old_head, head) || strcmp(old_addr, new_addr)) {
    s = q(x, Q_HH_UPDATE);
    if (!s) return intake__db_fail(x, err);
    db_bind_int64(s, 2, id);
    db_bind_text(s, 3, head);
    db_bind_text(s, 4, intake__fold_key(x, head));
    db_bind_text(s, 5, new_addr);
    if (step_done(s)) return intake__db_fail(x, err);
    outcome = REC_CHANGED;
  }
  /* Where it lives from this year on. */
  s = q(x, Q_HH_PLACE);
  if (!s) return intake__db_fail(x, err);
  db_bind_int64(s, 2, id);
  db_bind_int64(s, 3, x->year);
  const char *old_village = NULL;
  int64_t old_clan = 0;
  if (db_step(s) == DB_ROW) {
    old_village = arena_strdup(&x->row, db_col_text(s, 0));
    old_clan = db_col_is_null(s, 1) ? 0 : db_col_int64(s, 1);
  }
  int64_t new_clan = intake__present(x, c_clan) ? clan_db : old_clan;
  if (!old_village || strcmp(old_village, village) || old_clan != new_clan) {
    s = q(x, Q_HH_PLACE_PUT);
    if (!s) return intake__db_fail(x, err);
    db_bind_int64(s, 2, id);
    db_bind_int64(s, 3, x->year);
    db_bind_text(s, 4, village);
    if (new_clan)
      db_bind_int64(s, 5, new_clan);
    else
      db_bind_null(s, 5);
    if (step_done(s)) return intake__db_fail(x, err);
    if (outcome == REC_UNCHANGED) outcome = REC_CHANGED;
  }
  /* A persons row after this one (a form's members) looks it up afresh. */
  if (outcome != REC_UNCHANGED) strmap_put(&x->hhs, arena_strdup(x->a, code), -1);
  intake__count(x, outcome);
  return HT_OK;
}

/* --------------------------------------------------------------- clans */

static int row_clan(ix *x, ht_err *err) {
  int c_code = intake__col_of(x, "clan_code"), c_name = intake__col_of(x, "name"),
      c_village = intake__col_of(x, "village_code");
  const char *code = intake__code_cell(x, c_code);
  const char *name = intake__name_cell(x, c_name, INTAKE__NAME_MAX);
  const char *village = village_cell(x, c_village);
  if (code) unique_code(x, c_code, code);
  int64_t id = 0;
  int same = 0;
  if (code) {
    db_stmt *s = q(x, Q_CLAN_GET);
    if (!s) return intake__db_fail(x, err);
    db_bind_text(s, 2, code);
    if (db_step(s) == DB_ROW) {
      id = db_col_int64(s, 0);
      const char *old_village = arena_strdup(&x->row, db_col_text(s, 2));
      same = name && village && !strcmp(db_col_text(s, 1), name) && !strcmp(old_village, village);
      if (!intake__in_scope(x, old_village))
        intake__prob(
            x, c_code,
            F(x, "clan %s is based in village %s, outside your area; %s", code, old_village,
              intake__only_yours_en(x)),
            F(x,
              "Dòng họ %s thuộc thôn/tổ dân phố %s, nằm ngoài địa bàn của bạn; chỉ được nhập dữ "
              "liệu thuộc đơn vị mình",
              code, old_village));
    }
  }
  if (intake__failing(x) || !code || !name || !village) return HT_OK;
  db_stmt *s;
  int existed = id != 0;
  if (id && same) {
    intake__count(x, REC_UNCHANGED);
    return HT_OK;
  }
  s = q(x, id ? Q_CLAN_UPDATE : Q_CLAN_INSERT);
  if (!s) return intake__db_fail(x, err);
  if (!id) {
    id = db_new_id(x->d);
    db_bind_int64(s, 2, id);
    db_bind_text(s, 3, code);
    db_bind_text(s, 4, name);
    db_bind_text(s, 5, intake__fold_key(x, name));
    db_bind_text(s, 6, village);
    strmap_put(&x->clans, arena_strdup(x->a, code), id);
  } else {
    db_bind_int64(s, 2, id);
    db_bind_text(s, 3, name);
    db_bind_text(s, 4, intake__fold_key(x, name));
    db_bind_text(s, 5, village);
  }
  if (step_done(s)) return intake__db_fail(x, err);
  intake__count(x, existed ? REC_CHANGED : REC_ADDED);
  return HT_OK;
}

/* ------------------------------------------------------ learning units */

static int row_unit(ix *x, ht_err *err) {
  int c_code = intake__col_of(x, "unit_code"), c_name = intake__col_of(x, "name"),
      c_kind = intake__col_of(x, "kind"), c_admin = intake__col_of(x, "admin_code");
  const char *code = intake__code_cell(x, c_code);
  const char *name = intake__name_cell(x, c_name, INTAKE__NAME_MAX);
  const char *kind_text = intake__cell(x, c_kind), *kind = NULL;
  if (!*kind_text)
    intake__prob(
        x, c_kind,
        F(x,
          "kind is empty; write Cơ quan, Trường học, Doanh nghiệp, Hợp tác xã or Đơn vị "
          "sự nghiệp%s",
          ""),
        F(x,
          "Chưa ghi loại đơn vị; ghi Cơ quan, Trường học, Doanh nghiệp, Hợp tác xã hoặc Đơn vị sự "
          "nghiệp%s",
          ""));
  else if (intake_parse_org_kind(kind_text, &kind) != HT_OK)
    intake__prob(
        x, c_kind,
        F(x,
          "'%s' is not a kind of learning unit; write Cơ quan, Trường học, Doanh nghiệp, Hợp tác "
          "xã "
          "or Đơn vị sự nghiệp",
          kind_text),
        F(x,
          "'%s' không phải loại đơn vị; ghi Cơ quan, Trường học, Doanh nghiệp, Hợp tác xã hoặc Đơn "
          "vị sự nghiệp",
          kind_text));
  const char *admin = intake__code_cell(x, c_admin);
  if (admin) {
    int level = intake__unit_level(x, admin);
    if (level == LV_NONE || level == LV_VILLAGE) {
      intake__prob(
          x, c_admin,
          F(x, "no commune, district or province has code %s in %d; check the code", admin,
            x->year),
          F(x, "Không có xã/phường (hoặc huyện, tỉnh) mã %s trong năm %d; hãy kiểm tra lại mã",
            admin, x->year));
      admin = NULL;
    } else if (!intake__in_scope(x, admin)) {
      intake__prob(
          x, c_admin, F(x, "unit %s is outside your area; %s", admin, intake__only_yours_en(x)),
          F(x, "Đơn vị %s nằm ngoài địa bàn của bạn; chỉ được nhập dữ liệu thuộc đơn vị mình",
            admin));
      admin = NULL;
    }
  }
  if (code) unique_code(x, c_code, code);
  if (code && x->o->in_scope) { /* a stored unit managed outside the caller's area */
    db_stmt *s = q(x, Q_ORG_GET);
    if (!s) return intake__db_fail(x, err);
    db_bind_text(s, 2, code);
    int64_t stored = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    if (stored && (s = q(x, Q_ORG_PLACE))) {
      db_bind_int64(s, 2, stored);
      db_bind_text(s, 3, x->year_end);
      const char *old_admin =
          db_step(s) == DB_ROW ? arena_strdup(&x->row, db_col_text(s, 0)) : NULL;
      if (old_admin && !intake__in_scope(x, old_admin))
        intake__prob(
            x, c_code,
            F(x, "learning unit %s is managed by %s, outside your area; %s", code, old_admin,
              intake__only_yours_en(x)),
            F(x,
              "Đơn vị học tập %s do đơn vị %s quản lý, nằm ngoài địa bàn của bạn; chỉ được nhập "
              "dữ liệu thuộc đơn vị mình",
              code, old_admin));
    }
  }
  if (intake__failing(x) || !code || !name || !kind || !admin) return HT_OK;

  db_stmt *s = q(x, Q_ORG_GET);
  if (!s) return intake__db_fail(x, err);
  db_bind_text(s, 2, code);
  int64_t id = 0;
  int outcome = REC_UNCHANGED;
  if (db_step(s) == DB_ROW) {
    id = db_col_int64(s, 0);
    if (strcmp(db_col_text(s, 1), name) || strcmp(db_col_text(s, 2), kind)) {
      s = q(x, Q_ORG_UPDATE);
      if (!s) return intake__db_fail(x, err);
      db_bind_int64(s, 2, id);
      db_bind_text(s, 3, name);
      db_bind_text(s, 4, intake__fold_key(x, name));
      db_bind_text(s, 5, kind);
      if (step_done(s)) return intake__db_fail(x, err);
      outcome = REC_CHANGED;
    }
  } else {
    id = db_new_id(x->d);
    s = q(x, Q_ORG_INSERT);
    if (!s) return intake__db_fail(x, err);
    db_bind_int64(s, 2, id);
    db_bind_text(s, 3, code);
    db_bind_text(s, 4, name);
    db_bind_text(s, 5, intake__fold_key(x, name));
    db_bind_text(s, 6, kind);
    if (step_done(s)) return intake__db_fail(x, err);
    outcome = REC_ADDED;
  }
  /* Who manages it: a row dated inside the year is corrected, otherwise a
   * new one starts on 1 January. */
  s = q(x, Q_ORG_PLACE);
  if (!s) return intake__db_fail(x, err);
  db_bind_int64(s, 2, id);
  db_bind_text(s, 3, x->year_end);
  char from[11];
  snprintf(from, sizeof from, "%04u-01-01", (unsigned)x->year % 10000u);
  const char *old_admin = NULL;
  if (db_step(s) == DB_ROW) {
    old_admin = arena_strdup(&x->row, db_col_text(s, 0));
    if (strcmp(db_col_text(s, 1), from) >= 0) snprintf(from, sizeof from, "%s", db_col_text(s, 1));
  }
  if (!old_admin || strcmp(old_admin, admin)) {
    s = q(x, Q_ORG_PLACE_PUT);
    if (!s) return intake__db_fail(x, err);
    db_bind_int64(s, 2, id);
    db_bind_text(s, 3, from);
    db_bind_text(s, 4, admin);
    if (step_done(s)) return intake__db_fail(x, err);
    if (outcome == REC_UNCHANGED) outcome = REC_CHANGED;
  }
  intake__count(x, outcome);
  return HT_OK;
}

/* ------------------------------------------------------------- persons */

static int read_person(ix *x, db_stmt *s, person_row *p) {
  if (db_step(s) != DB_ROW) return 0;
  p->id = db_col_int64(s, 0);
  p->household_id = db_col_int64(s, 1);
  p->full_name = arena_strdup(&x->row, db_col_text(s, 2));
  p->birth_year = (int)db_col_int64(s, 3);
  p->gender = arena_strdup(&x->row, db_col_text(s, 4));
  p->citizen_id = db_col_is_null(s, 5) ? NULL : arena_strdup(&x->row, db_col_text(s, 5));
  return 1;
}

/* The best of the persons a name lookup found: one without a citizen ID
 * first, then the oldest record. 0 when there is none. */
static int read_namesake(ix *x, db_stmt *s, person_row *p) {
  int found = 0;
  person_row r;
  while (read_person(x, s, &r))
    if (!found || (!r.citizen_id && p->citizen_id) ||
        (!r.citizen_id == !p->citizen_id && r.id < p->id)) {
      *p = r;
      found = 1;
    }
  return found;
}

int intake__person_by_cid(ix *x, const char *cid, person_row *p) {
  db_stmt *s = q(x, Q_PERSON_BY_CID);
  if (!s) return 0;
  db_bind_text(s, 2, cid);
  return read_person(x, s, p);
}

int intake__person_by_name(ix *x, int64_t household_id, const char *name_key, int birth_year,
                           person_row *p) {
  db_stmt *s = q(x, Q_PERSON_BY_NAME);
  if (!s) return 0;
  db_bind_int64(s, 2, household_id);
  db_bind_text(s, 3, name_key);
  db_bind_int64(s, 4, birth_year);
  return read_namesake(x, s, p);
}

/* A citizen ID in column c: NULL when empty or bad (reported). */
const char *intake__cid_cell(ix *x, int c) {
  const char *s = intake__cell(x, c);
  if (!*s) return NULL;
  switch (intake_check_citizen_id(s)) {
    case 0: return s;
    case 1:
      if (x->form)
        intake__prob(x, c, F(x, "'%s' is not a citizen ID: it must have exactly 12 digits", s),
                     F(x, "'%s' không phải số CCCD: phải có đúng 12 chữ số", s));
      else
        intake__prob(
            x, c,
            F(x,
              "'%s' is not a citizen ID: it must have exactly 12 digits (format the column as "
              "text so the leading 0 stays)",
              s),
            F(x,
              "'%s' không phải số CCCD: phải có đúng 12 chữ số (định dạng cột là văn bản để giữ "
              "số 0 ở đầu)",
              s));
      return NULL;
    default:
      intake__prob(
          x, c,
          F(x,
            "'%s' is not a citizen ID: %.3s is not a province code (001 Hà Nội ... 096 Cà Mau; Hải "
            "Phòng is 031)",
            s, s),
          F(x,
            "'%s' không phải số CCCD: %.3s không phải mã tỉnh (001 Hà Nội ... 096 Cà Mau; Hải "
            "Phòng "
            "là 031)",
            s, s));
      return NULL;
  }
}

static int row_person(ix *x, ht_err *err) {
  int c_hh = intake__col_of(x, "household_code"), c_name = intake__col_of(x, "full_name"),
      c_birth = intake__col_of(x, "birth_year"), c_gender = intake__col_of(x, "gender"),
      c_cid = intake__col_of(x, "citizen_id"), c_lit = intake__col_of(x, "literate"),
      c_school = intake__col_of(x, "in_school"), c_result = intake__col_of(x, "school_result"),
      c_conduct = intake__col_of(x, "conduct"), c_topics = intake__col_of(x, "topics_completed");
  /* A form's members join its household, whose code its own row checks. */
  const char *hh_code = x->form_household && !strcmp(intake__cell(x, c_hh), x->form_household)
                            ? x->form_household
                            : intake__code_cell(x, c_hh);
  hh_info *hh = NULL;
  if (hh_code) {
    hh = intake__household(x, hh_code);
    /* A form's members join the form's household, whose own row reports why
     * it could not be written. */
    int forms_own = x->form_household && !strcmp(hh_code, x->form_household);
    if (!hh && !forms_own)
      intake__prob(x, c_hh, F(x, "no household has code %s; import the households first", hh_code),
                   F(x, "Không có hộ mã %s; hãy nhập danh sách hộ trước", hh_code));
    else if (hh && !hh->village)
      intake__prob(
          x, c_hh,
          F(x, "household %s has no village in %d; import it with its village for %d", hh_code,
            x->year, x->year),
          F(x, "Hộ %s chưa có thôn/tổ dân phố trong năm %d; hãy nhập hộ kèm thôn cho năm %d",
            hh_code, x->year, x->year));
    else if (hh && !intake__in_scope(x, hh->village))
      intake__prob(x, c_hh,
                   F(x, "household %s is outside your area; %s", hh_code, intake__only_yours_en(x)),
                   F(x, "Hộ %s nằm ngoài địa bàn của bạn; chỉ được nhập dữ liệu thuộc đơn vị mình",
                     hh_code));
    if (hh && (!hh->village || !intake__in_scope(x, hh->village))) hh = NULL;
  }
  const char *name = intake__name_cell(x, c_name, INTAKE__NAME_MAX);
  int birth = intake__year_cell(x, c_birth);
  if (birth && birth > x->year) {
    intake__prob(
        x, c_birth,
        F(x, "born in %d, after %d: this person cannot be a member in %d", birth, x->year, x->year),
        F(x, "Sinh năm %d, sau năm %d: không thể là nhân khẩu của năm %d", birth, x->year,
          x->year));
    birth = 0;
  }
  const char *gtext = intake__cell(x, c_gender), *gender = NULL;
  if (!*gtext)
    intake__prob(x, c_gender, F(x, "gender is empty; write nam or nữ%s", ""),
                 F(x, "Chưa ghi giới tính; ghi nam hoặc nữ%s", ""));
  else if (intake_parse_gender(gtext, &gender) != HT_OK)
    intake__prob(x, c_gender,
                 F(x, "'%s' is not a gender; write nam or nữ (male/female also work)", gtext),
                 F(x, "'%s' không phải giới tính; ghi nam hoặc nữ", gtext));
  const char *cid = intake__cid_cell(x, c_cid);
  int literate = intake__present(x, c_lit) ? yesno_cell(x, c_lit) : 0;
  int school = intake__present(x, c_school) ? yesno_cell(x, c_school) : 0;
  const char *grade[2] = {NULL, NULL};
  int gcol[2] = {c_result, c_conduct};
  int bad_grade = 0;
  for (int i = 0; i < 2; i++) {
    const char *t = intake__cell(x, gcol[i]);
    if (*t && intake_parse_grade(t, &grade[i]) != HT_OK) {
      intake__prob(x, gcol[i], F(x, "'%s' is not a grade; write tốt, khá, đạt or chưa đạt", t),
                   F(x, "'%s' không hợp lệ; ghi tốt, khá, đạt hoặc chưa đạt", t));
      bad_grade = 1;
    }
  }
  long topics = 0;
  const char *tt = intake__cell(x, c_topics);
  if (*tt && (intake_parse_int(tt, &topics) != HT_OK || topics < 0 || topics > 100)) {
    intake__prob(x, c_topics,
                 F(x, "'%s' is not a number of topics; write a whole number from 0 to 100", tt),
                 F(x, "'%s' không hợp lệ; ghi số nguyên từ 0 đến 100", tt));
    topics = -1;
  }
  const char *name_key = name ? intake__fold_key(x, name) : NULL, *key = NULL;
  if (cid)
    key = arena_sprintf(&x->row, "cid:%s", cid);
  else if (hh_code && name && birth)
    key = arena_sprintf(&x->row, "p:%s|%s|%d", hh_code, name_key, birth);
  long first = key ? intake__seen_on(x, key) : 0;
  if (first && cid)
    intake__duplicate(x, c_cid, first, F(x, "citizen ID %s", cid), F(x, "Số CCCD %s", cid));
  else if (first)
    intake__duplicate(x, c_name, first, F(x, "%s (%d) of household %s", name, birth, hh_code),
                      F(x, "%s (%d) của hộ %s", name, birth, hh_code));
  if (intake__failing(x) || !hh || !name || !birth || !gender || literate < 0 || school < 0 ||
      bad_grade || topics < 0)
    return HT_OK;

  person_row old = {0};
  int found = 0;
  db_stmt *s;
  if (cid) {
    if (!(s = q(x, Q_PERSON_BY_CID))) return intake__db_fail(x, err);
    db_bind_text(s, 2, cid);
    found = read_person(x, s, &old);
  }
  if (x->person_id) { /* a form names the stored member it changes */
    person_row by_id = {0};
    if (!(s = q(x, Q_PERSON_BY_ID))) return intake__db_fail(x, err);
    db_bind_int64(s, 2, x->person_id);
    if (!read_person(x, s, &by_id) || by_id.household_id != hh->id) {
      intake__prob(x, -1,
                   F(x, "P%lld is not a member of household %s", (long long)x->person_id, hh_code),
                   F(x, "P%lld không phải thành viên của hộ %s", (long long)x->person_id, hh_code));
      return HT_OK;
    }
    if (found && old.id != by_id.id) {
      intake__prob(x, c_cid, F(x, "citizen ID %s belongs to another person; check the number", cid),
                   F(x, "Số CCCD %s đã thuộc về người khác; hãy kiểm tra lại số", cid));
      return HT_OK;
    }
    old = by_id;
    found = 1;
  }
  /* A person found by ID in another household moves here; not from a
   * household outside the caller's area. */
  if (found && old.household_id != hh->id && x->o->in_scope) {
    const char *v = household_village_any(x, old.household_id);
    if (v && !intake__in_scope(x, v)) {
      intake__prob(
          x, c_cid,
          F(x, "citizen ID %s belongs to a person of a household outside your area; %s", cid,
            intake__only_yours_en(x)),
          F(x,
            "Số CCCD %s thuộc về một người của hộ ngoài địa bàn của bạn; chỉ được nhập dữ liệu "
            "thuộc đơn vị mình",
            cid));
      return HT_OK;
    }
  }
  /* Not found by ID: the same person entered earlier without one (only
   * worth a query when the household has persons without an ID). */
  int named = 0;
  if (!found && (!cid || hh->without_cid > 0)) {
    if (!(s = q(x, Q_PERSON_BY_NAME))) return intake__db_fail(x, err);
    db_bind_int64(s, 2, hh->id);
    db_bind_text(s, 3, name_key);
    db_bind_int64(s, 4, birth);
    found = named = read_namesake(x, s, &old) && (!old.citizen_id || !cid);
  }
  int outcome = REC_UNCHANGED;
  int64_t id = found ? old.id : db_new_id(x->d);
  const char *new_cid = cid ? cid : found ? old.citizen_id : NULL;
  if (!found || old.household_id != hh->id || strcmp(old.full_name, name) ||
      old.birth_year != birth || strcmp(old.gender, gender) ||
      strcmp(old.citizen_id ? old.citizen_id : "", new_cid ? new_cid : "")) {
    if (!(s = q(x, found ? Q_PERSON_UPDATE : Q_PERSON_INSERT))) return intake__db_fail(x, err);
    db_bind_int64(s, 2, id);
    db_bind_int64(s, 3, hh->id);
    db_bind_text(s, 4, name);
    db_bind_text(s, 5, name_key);
    db_bind_int64(s, 6, birth);
    db_bind_text(s, 7, gender);
    db_bind_text(s, 8, new_cid);
    if (step_done(s)) return intake__db_fail(x, err);
    outcome = found ? REC_CHANGED : REC_ADDED;
    if (!found && !new_cid) hh->without_cid++;
    if (named && !old.citizen_id && new_cid) hh->without_cid--;
  }
  /* The year's facts (which also make the person a member that year). */
  if (!(s = q(x, Q_PY_GET))) return intake__db_fail(x, err);
  db_bind_int64(s, 2, id);
  db_bind_int64(s, 3, x->year);
  int same = 0;
  if (db_step(s) == DB_ROW)
    same = db_col_int64(s, 0) == literate && db_col_int64(s, 1) == school &&
           !strcmp(db_col_text(s, 2), grade[0] ? grade[0] : "") &&
           !strcmp(db_col_text(s, 3), grade[1] ? grade[1] : "") && db_col_int64(s, 4) == topics;
  if (!same) {
    if (!(s = q(x, Q_PY_PUT))) return intake__db_fail(x, err);
    db_bind_int64(s, 2, id);
    db_bind_int64(s, 3, x->year);
    db_bind_int64(s, 4, literate);
    db_bind_int64(s, 5, school);
    db_bind_text(s, 6, grade[0]);
    db_bind_text(s, 7, grade[1]);
    db_bind_int64(s, 8, topics);
    if (step_done(s)) return intake__db_fail(x, err);
    if (outcome == REC_UNCHANGED) outcome = REC_CHANGED;
  }
  intake__count(x, outcome);
  return HT_OK;
}

/* --------------------------------------------------------- assessments */

/* The entity a row of a person title names: "P<id>" or the citizen ID;
 * NULL when it cannot be found (reported). */
static const char *person_entity(ix *x, int *birth_out) {
  int c_cid = intake__col_of(x, "citizen_id"), c_hh = intake__col_of(x, "household_code"),
      c_name = intake__col_of(x, "full_name"), c_birth = intake__col_of(x, "birth_year");
  const char *cid = intake__cid_cell(x, c_cid);
  person_row p = {0};
  db_stmt *s;
  if (cid) {
    if (!(s = q(x, Q_PERSON_BY_CID))) return NULL;
    db_bind_text(s, 2, cid);
    if (!read_person(x, s, &p)) {
      intake__prob(
          x, c_cid, F(x, "no person has citizen ID %s; import the persons first", cid),
          F(x, "Không có người nào có số CCCD %s; hãy nhập danh sách nhân khẩu trước", cid));
      return NULL;
    }
  } else if (*intake__cell(x, c_cid)) {
    return NULL; /* a bad ID, reported */
  } else {
    const char *hh_code = intake__code_cell(x, c_hh);
    const char *name = intake__name_cell(x, c_name, INTAKE__NAME_MAX);
    int birth = intake__year_cell(x, c_birth);
    if (!hh_code || !name || !birth) {
      intake__prob(
          x, -1,
          F(x,
            "the person is not identified: give the citizen ID, or the household code, full name "
            "and birth year%s",
            ""),
          F(x, "Chưa xác định được người: ghi số CCCD, hoặc mã hộ, họ tên và năm sinh%s", ""));
      return NULL;
    }
    const hh_info *hh = intake__household(x, hh_code);
    if (!hh) {
      intake__prob(x, c_hh, F(x, "no household has code %s", hh_code),
                   F(x, "Không có hộ mã %s", hh_code));
      return NULL;
    }
    if (!(s = q(x, Q_PERSON_BY_NAME))) return NULL;
    db_bind_int64(s, 2, hh->id);
    db_bind_text(s, 3, intake__fold_key(x, name));
    db_bind_int64(s, 4, birth);
    if (!read_namesake(x, s, &p)) {
      intake__prob(x, c_name,
                   F(x, "household %s has no %s born in %d; check the name and birth year", hh_code,
                     name, birth),
                   F(x, "Hộ %s không có người tên %s sinh năm %d; hãy kiểm tra họ tên và năm sinh",
                     hh_code, name, birth));
      return NULL;
    }
  }
  *birth_out = p.birth_year;
  return arena_sprintf(&x->row, "P%lld", (long long)p.id);
}

/* The canonical text of an item cell for rec_set ("KEY=VALUE"); NULL when
 * bad (reported). */
static const char *item_assignment(ix *x, int c) {
  const crit_item *it = x->cols[c].item;
  const char *s = intake__cell(x, c);
  if (it->input == INPUT_YESNO) {
    int v = yesno_cell(x, c);
    return v < 0 ? NULL : arena_sprintf(&x->row, "%s=%d", it->key, v);
  }
  if (!*s) return arena_sprintf(&x->row, "%s=", it->key); /* no value */
  double v;
  ht_err e = {0};
  if (rec_value_parse(it, s, &v, &e) != HT_OK) {
    const char *vi = it->input == INPUT_PERCENT
                         ? "ghi tỷ lệ từ 0% đến 100% (ví dụ 92%)"
                         : arena_sprintf(x->a, "ghi số từ %d đến %d", it->input_min, it->input_max);
    intake__prob(x, c, F(x, "%s", e.msg),
                 F(x, "'%s' không hợp lệ cho tiêu chí %s: %s", s, it->key, vi));
    return NULL;
  }
  return arena_sprintf(&x->row, "%s=%s", it->key, s);
}

static int row_assessment(ix *x, ht_err *err) {
  const crit_title *t = x->title;
  int person = t->entity == CRIT_PERSON;
  int c_year = intake__col_of(x, "year"), c_reg = intake__col_of(x, "registered"),
      c_group = intake__col_of(x, "group");
  int year = intake__year_cell(x, c_year);
  if (year && year != x->year)
    intake__prob(
        x, c_year,
        F(x, "this file is for %d; one file holds one year (import %d separately)", x->year, year),
        F(x, "Tệp này là của năm %d; mỗi tệp chỉ cho một năm (hãy nhập năm %d riêng)", x->year,
          year));
  int birth = 0;
  const char *entity = NULL;
  int c_key = person ? intake__col_of(x, "citizen_id") : intake__col_of(x, "code");
  if (person)
    entity = person_entity(x, &birth);
  else
    entity = intake__code_cell(x, c_key);
  rec_target target;
  int resolved = 0;
  if (entity) {
    ht_err e = {0};
    if (rec_target_resolve(x->d, x->o->criteria, t->key, x->year, entity, &target, &e) != HT_OK) {
      intake__prob(
          x, person ? -1 : c_key, F(x, "%s", e.msg),
          F(x,
            "Không tìm thấy %s trong năm %d (mã sai, hoặc năm đó chưa thuộc địa bàn); hãy kiểm "
            "tra mã và năm",
            entity, x->year));
    } else {
      resolved = 1;
      const char *unit = NULL;
      if (reg_owner_unit(x->d, t->entity, person ? target.display : target.entity, x->year, &x->row,
                         &unit) == HT_OK &&
          unit && !intake__in_scope(x, unit)) {
        intake__prob(
            x, person ? -1 : c_key,
            F(x, "%s is outside your area; you may import only rows of your unit", target.display),
            F(x, "%s nằm ngoài địa bàn của bạn; chỉ được nhập dữ liệu thuộc đơn vị mình",
              target.display));
        resolved = 0;
      }
      if (person && birth && x->year - birth < 15) {
        intake__prob(
            x,
            intake__col_of(x, "birth_year") >= 0 &&
                    intake__present(x, intake__col_of(x, "birth_year"))
                ? intake__col_of(x, "birth_year")
                : -1,
            F(x,
              "born in %d, this person is under 15 in %d; only persons aged 15 or more "
              "self-assess as learning citizens",
              birth, x->year),
            F(x,
              "Sinh năm %d, người này chưa đủ 15 tuổi trong năm %d; chỉ người từ 15 tuổi trở lên "
              "mới tự đánh giá công dân học tập",
              birth, x->year));
        resolved = 0;
      }
      long first = resolved ? intake__seen_on(x, target.entity) : 0;
      if (first) intake__duplicate(x, c_key, first, target.display, target.display);
    }
  }
  /* Registration. */
  int reg_mode = REC_REG_KEEP;
  char reg_date[11] = "";
  if (intake__present(x, c_reg)) {
    const char *r = intake__cell(x, c_reg);
    int yes;
    if (intake_parse_yesno(r, &yes) == HT_OK) {
      reg_mode = yes ? REC_REG_SET : REC_REG_CLEAR;
    } else if (intake_parse_date(r, reg_date) == HT_OK) {
      int y = atoi(reg_date);
      if (y != x->year && y != x->year - 1)
        intake__prob(x, c_reg,
                     F(x, "registered on %s, which is not in %d or %d; check the date", reg_date,
                       x->year - 1, x->year),
                     F(x, "Ngày đăng ký %s không thuộc năm %d hoặc %d; hãy kiểm tra lại", reg_date,
                       x->year - 1, x->year));
      reg_mode = REC_REG_SET;
    } else {
      intake__prob(x, c_reg, F(x, "'%s' is neither yes/no nor a date (DD/MM/YYYY)", r),
                   F(x, "'%s' không phải có/không hay ngày đăng ký (ngày/tháng/năm)", r));
    }
  }
  int set_group = 0;
  long group = 0;
  if (person && intake__present(x, c_group)) {
    const char *g = intake__cell(x, c_group);
    if (*g) {
      if (intake_parse_int(g, &group) != HT_OK || group < 1 || group > 4)
        intake__prob(x, c_group, F(x, "'%s' is not a form group; write 1, 2, 3 or 4", g),
                     F(x, "'%s' không phải nhóm phiếu; ghi 1, 2, 3 hoặc 4", g));
      else
        set_group = 1;
    }
  }
  const char **assign = arena_calloc(&x->row, (x->ncols + 1) * sizeof *assign);
  size_t nassign = 0;
  int bad = 0;
  for (size_t c = 0; c < x->ncols; c++) {
    if (x->cols[c].type != IT_ITEM || !intake__present(x, (int)c)) continue;
    const char *as = item_assignment(x, (int)c);
    if (as)
      assign[nassign++] = as;
    else
      bad = 1;
  }
  if (intake__failing(x) || !resolved || bad) return HT_OK;
  /* A row with nothing filled in after the code and year (an untouched row
   * of a template) records nothing: it neither creates a record of zeros nor
   * withdraws a registration. */
  int blank = !*intake__cell(x, c_reg) && !*intake__cell(x, c_group);
  for (size_t c = 0; c < x->ncols && blank; c++)
    if (x->cols[c].type == IT_ITEM) blank = !*intake__cell(x, (int)c);
  if (blank) {
    intake__count(x, REC_UNCHANGED);
    return HT_OK;
  }

  rec_record old;
  if (rec_get(x->d, &target, &x->row, &old) != HT_OK) return intake__db_fail(x, err);
  if (reg_mode == REC_REG_SET && !reg_date[0]) {
    if (old.registered_on[0])
      reg_mode = REC_REG_KEEP; /* "có" keeps the date it registered on */
    else
      snprintf(reg_date, sizeof reg_date, "%04u-01-01", (unsigned)x->year % 10000u);
  }
  rec_change ch = {reg_mode, reg_date, set_group, (int)group, assign, nassign};
  long before = x->recp.count;
  int outcome = REC_UNCHANGED;
  /* a title held for several years is not registered again before it is due */
  int rc = reg_mode == REC_REG_SET && reg_date[0]
               ? wf_registration_check(x->d, x->o->criteria, &target, reg_date, &x->recp)
               : HT_OK;
  if (rc == HT_OK) rc = rec_set_in_tx(x->d, x->who, &target, &ch, &x->recp, &outcome);
  if (rc == HT_EINVAL) {
    for (long i = before; i < x->recp.count && i < x->recp.kept; i++) {
      const issue *is = &x->recp.items[i];
      int c = is->field ? intake__col_of(x, is->field) : -1;
      if (is->field && !strcmp(is->field, "--registered")) c = c_reg;
      if (is->field && !strcmp(is->field, "--group")) c = c_group;
      intake__prob(x, c, F(x, "%s", is->msg),
                   is->msg_vi ? F(x, "%s", is->msg_vi) : F(x, "Giá trị không hợp lệ: %s", is->msg));
    }
    return HT_OK;
  }
  if (rc != HT_OK) return intake__db_fail(x, err);
  if (outcome != REC_UNCHANGED) {
    intake_report *r = x->rep;
    r->records = arena_grow(x->a, r->records, r->nrecords, &r->records_cap, sizeof *r->records);
    r->records[r->nrecords++] = (intake_record){t->key, arena_strdup(x->a, target.entity)};
  }
  intake__count(x, outcome);
  return HT_OK;
}

/* -------------------------------------------------------------- header */

/* Column names that are not data: an ordinal, notes, the reasons columns of
 * an errors workbook. */
static int ignorable_header(const char *folded) {
  static const char *const names[] = {"stt",   "tt",  "so tt", "so thu tu", "ghi chu", "note",
                                      "notes", "loi", "error", "errors",    NULL};
  for (int i = 0; names[i]; i++)
    if (!strcmp(folded, names[i])) return 1;
  return 0;
}

static const char *expected_list(ix *x, int required_only, int vi) {
  strbuf b = STRBUF_INIT;
  for (size_t c = 0; c < x->ncols; c++) {
    if (required_only && !x->cols[c].required) continue;
    strbuf_printf(&b, "%s%s", b.len ? ", " : "", vi ? x->cols[c].header_vi : x->cols[c].key);
  }
  const char *s = arena_strdup(x->a, strbuf_cstr(&b));
  strbuf_free(&b);
  return s;
}

/* How many cells of row name a column (and none twice); missing gets the
 * number of required columns absent. */
static int header_score(ix *x, const intake_row *r, int *index, int *missing) {
  int score = 0;
  for (size_t c = 0; c < x->ncols; c++) index[c] = -1;
  for (size_t i = 0; i < r->ncells; i++) {
    char *f = NULL;
    if (vt_search_key(r->cells[i], &f) != HT_OK) continue;
    for (size_t c = 0; c < x->ncols; c++)
      if (index[c] < 0 && intake_header_matches(&x->cols[c], f)) {
        index[c] = (int)i;
        score++;
        break;
      }
    free(f);
  }
  *missing = 0;
  for (size_t c = 0; c < x->ncols; c++) *missing += x->cols[c].required && index[c] < 0;
  return score;
}

/* Reports the header row's unknown and repeated columns. */
static void header_check(ix *x, const intake_row *r) {
  x->cur = r;
  for (size_t i = 0; i < r->ncells; i++) {
    char *f = NULL;
    if (vt_search_key(r->cells[i], &f) != HT_OK || !*f || ignorable_header(f)) {
      free(f);
      continue;
    }
    int match = -1;
    for (size_t c = 0; c < x->ncols && match < 0; c++)
      if (intake_header_matches(&x->cols[c], f)) match = (int)c;
    free(f);
    if (match < 0) {
      intake__problem(x, r->row, (int)i, NULL, r->cells[i],
                      arena_sprintf(x->a,
                                    "unknown column '%s'; the columns are %s (the template's "
                                    "Vietnamese headers also work; case and order do not matter); "
                                    "remove or rename it",
                                    r->cells[i], expected_list(x, 0, 0)),
                      arena_sprintf(x->a,
                                    "Cột '%s' không có trong mẫu; các cột là: %s. Hãy xóa hoặc đổi "
                                    "tên cột",
                                    r->cells[i], expected_list(x, 0, 1)));
    } else if (x->index[match] != (int)i) {
      char a[4], b[4];
      intake__problem(
          x, r->row, (int)i, x->cols[match].key, r->cells[i],
          arena_sprintf(x->a, "column %s appears twice (columns %s and %s); keep one",
                        x->cols[match].key, xlsx_column_name((size_t)x->index[match], a),
                        xlsx_column_name(i, b)),
          arena_sprintf(x->a, "Cột %s bị lặp (cột %s và %s); chỉ giữ một cột",
                        x->cols[match].header_vi, xlsx_column_name((size_t)x->index[match], a),
                        xlsx_column_name(i, b)));
    }
  }
}

/* ------------------------------------------------------------- the run */

static int title_for(ix *x, int year, ht_err *err) {
  x->title = crit_in_force(x->o->criteria, x->o->title, year, (int)db_prov(x->d));
  if (!x->title)
    return ht_err_set(err, HT_EINVAL,
                      "--title: no title '%s' is in force in %d; `hoctap criteria list` shows the "
                      "titles",
                      x->o->title, year);
  intake_columns(INTAKE_ASSESSMENTS, x->title, x->a, &x->cols, &x->ncols);
  return HT_OK;
}

static void set_year(ix *x, int year) {
  x->year = year;
  snprintf(x->year_end, sizeof x->year_end, "%04u-12-31", (unsigned)year % 10000u);
}

/* The audit entry of an import: the file by name and content hash, the
 * kind, the year and what it changed. */
static int audit_intake(ix *x, ht_err *err) {
  char sha[65];
  sha256_file(x->o->path, sha);
  intake_report *r = x->rep;
  json_t *o = json_pack("{sssssssIsIsIsI}", "file", r->file, "sha256", sha, "kind",
                        intake_kind_name(x->o->kind), "rows", (json_int_t)r->rows, "added",
                        (json_int_t)r->added, "changed", (json_int_t)r->changed, "unchanged",
                        (json_int_t)r->unchanged);
  /* the funds' rows carry their own dates (or none): no year */
  if (!intake_kind_is_fund(x->o->kind)) json_object_set_new(o, "year", json_integer(x->year));
  if (x->title) json_object_set_new(o, "title", json_string(x->title->key));
  intake__fund_audit(x, o);
  char *after = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(o);
  char *action = arena_sprintf(x->a, "import.%s", intake_kind_name(x->o->kind));
  audit_entry e = {action, "import", r->file, "", NULL, after};
  int rc = audit_append(x->d, x->who, &e, err);
  free(after);
  return rc;
}

int intake_run(db *d, const audit_actor *who, const intake_opts *o, arena *a, intake_report *rep,
               ht_err *err) {
  memset(rep, 0, sizeof *rep);
  const char *shown = o->name ? o->name : o->path;
  const char *base = strrchr(shown, '/');
  rep->file = arena_strdup(a, base ? base + 1 : shown);
  rep->dry_run = o->dry_run;
  rep->problems = arena_alloc(a, INTAKE_PROBLEMS_KEPT * sizeof *rep->problems);
  struct stat st;
  if (stat(o->path, &st) != 0) return ht_err_set(err, HT_EIO, "cannot read %s", shown);
  if (st.st_size > INTAKE_MAX_BYTES)
    return ht_err_set(err, HT_ELIMIT,
                      "%s is %.1f MiB; an import file may have at most %lld MiB: split it (by "
                      "commune, for instance) and import the parts",
                      rep->file, (double)st.st_size / (1024 * 1024), INTAKE_MAX_BYTES >> 20);
  if (o->kind == INTAKE_ASSESSMENTS && (!o->title || !*o->title))
    return ht_err_set(err, HT_EINVAL,
                      "--title is required for assessments: the title's items are the columns");

  ix x;
  ix_init(&x, d, who, o, a, rep);
  intake_table *tab = NULL;
  int rc = HT_OK, began = 0;
  if (o->kind == INTAKE_ASSESSMENTS)
    rc = title_for(&x, x.year, err);
  else
    intake_columns(o->kind, NULL, a, &x.cols, &x.ncols);
  if (rc == HT_OK) rc = intake_table_open(o->path, o->enc, o->sheet, &tab, err);
  if (rc != HT_OK) goto done;
  rep->format = intake_table_format(tab);
  rep->sheet = intake_table_sheet(tab) ? arena_strdup(a, intake_table_sheet(tab)) : NULL;
  rep->enc = intake_table_encoding(tab);

  /* The header: the first row naming every required column, among the
   * first INTAKE_HEADER_SCAN rows (title rows may sit above it). */
  x.index = arena_alloc(a, (x.ncols + 64) * sizeof *x.index);
  int *best_index = arena_alloc(a, (x.ncols + 64) * sizeof *best_index);
  intake_row r;
  long best_row = 0;
  int best = -1, found = 0, scanned = 0;
  while (!found && scanned < INTAKE_HEADER_SCAN && (rc = intake_table_next(tab, &r, err)) == 1) {
    scanned++;
    int missing, score = header_score(&x, &r, x.index, &missing);
    if (score > 0 && missing == 0) {
      found = 1;
    } else if (score > best) {
      best = score;
      best_row = r.row;
      memcpy(best_index, x.index, x.ncols * sizeof *x.index);
    }
  }
  if (rc < 0) goto done;
  rc = HT_OK;
  if (!found) {
    if (best > 0) {
      strbuf m = STRBUF_INIT, v = STRBUF_INIT;
      for (size_t c = 0; c < x.ncols; c++)
        if (x.cols[c].required && best_index[c] < 0) {
          strbuf_printf(&m, "%s%s", m.len ? ", " : "", x.cols[c].key);
          strbuf_printf(&v, "%s%s", v.len ? ", " : "", x.cols[c].header_vi);
        }
      intake__problem(
          &x, best_row, -1, NULL, NULL,
          arena_sprintf(a, "the header row lacks required columns: %s; add them", strbuf_cstr(&m)),
          arena_sprintf(a, "Dòng tiêu đề thiếu cột bắt buộc: %s; hãy bổ sung", strbuf_cstr(&v)));
      strbuf_free(&m);
      strbuf_free(&v);
    } else {
      /* A workbook whose data sit on another sheet: say which sheets there are. */
      char *sheets = intake_table_other_sheets(tab);
      const char *hint_en =
          sheets ? F(&x, " (the workbook's sheets are %s: pick the one with the data with --sheet)",
                     sheets)
                 : "";
      const char *hint_vi =
          sheets ? F(&x, " (tệp có các trang tính: %s; hãy chọn trang chứa dữ liệu)", sheets) : "";
      free(sheets);
      intake__problem(
          &x, 0, -1, NULL, NULL,
          F(&x,
            "no header row in the first %d rows: the header must name the columns %s (the "
            "template's Vietnamese headers also work); start from a template (`hoctap "
            "template %s`)%s",
            INTAKE_HEADER_SCAN, expected_list(&x, 0, 0), intake_kind_name(o->kind), hint_en),
          F(&x,
            "Không tìm thấy dòng tiêu đề trong %d dòng đầu: tiêu đề phải có các cột %s; "
            "hãy dùng tệp mẫu%s",
            INTAKE_HEADER_SCAN, expected_list(&x, 0, 1), hint_vi));
    }
    rc = HT_EINVAL;
    goto done;
  }
  rep->header_row = r.row;
  intake_row header = r;
  /* Assessments without --year: the year of the first data row decides
   * which version of the title (and so which item columns) applies. */
  if (o->kind == INTAKE_ASSESSMENTS && !o->year) {
    int yc = intake__col_of(&x, "year");
    int yidx = x.index[yc];
    /* copy the header cells: reading on overwrites them */
    char **hcells = arena_alloc(a, (header.ncells + 1) * sizeof *hcells);
    for (size_t i = 0; i < header.ncells; i++) hcells[i] = arena_strdup(a, header.cells[i]);
    header.cells = hcells;
    intake_table_close(tab);
    tab = NULL;
    rc = intake_table_open(o->path, o->enc, o->sheet, &tab, err);
    long first_year = 0;
    while ((rc = intake_table_next(tab, &r, err)) == 1) {
      if (r.row <= header.row) continue;
      long v;
      if ((size_t)yidx < r.ncells && intake_parse_int(r.cells[yidx], &v) == HT_OK) first_year = v;
      break;
    }
    if (rc < 0) goto done;
    rc = HT_OK;
    if (first_year >= 1900 && first_year <= x.this_year && first_year != x.year) {
      set_year(&x, (int)first_year);
      if ((rc = title_for(&x, x.year, err)) != HT_OK) goto done;
      int missing;
      x.index = arena_alloc(a, (x.ncols + 64) * sizeof *x.index);
      header_score(&x, &header, x.index, &missing);
    }
    intake_table_close(tab);
    tab = NULL;
    if ((rc = intake_table_open(o->path, o->enc, o->sheet, &tab, err)) != HT_OK) goto done;
    while ((rc = intake_table_next(tab, &r, err)) == 1 && r.row < header.row) {
    }
    if (rc < 0) goto done;
    rc = HT_OK;
  }
  rep->year = x.year;
  rep->title = x.title ? x.title->key : NULL;
  header_check(&x, &header);
  {
    int missing = 0;
    for (size_t c = 0; c < x.ncols; c++) missing += x.cols[c].required && x.index[c] < 0;
    if (missing) { /* only after a year change: the item columns moved */
      intake__problem(
          &x, header.row, -1, NULL, NULL,
          F(&x, "the header lacks required columns of %s for %d: %s", x.title->key, x.year,
            expected_list(&x, 1, 0)),
          F(&x, "Dòng tiêu đề thiếu cột bắt buộc của năm %d: %s", x.year, expected_list(&x, 1, 1)));
      rc = HT_EINVAL;
      goto done;
    }
  }

  /* Dry runs too: the rows are written and rolled back, so the counts are
   * exactly what an import would do. */
  rc = db_begin(d);
  if (rc != HT_OK) {
    rc = ht_err_set(err, rc, "the database is busy or cannot be written: %s; try again",
                    db_errmsg(d));
    goto done;
  }
  began = 1;
  rep->generation = db_data_version(d);
  long long cells = 0;
  int (*row_fn)(ix *, ht_err *) = o->kind == INTAKE_HOUSEHOLDS      ? row_household
                                  : o->kind == INTAKE_PERSONS       ? row_person
                                  : o->kind == INTAKE_CLANS         ? row_clan
                                  : o->kind == INTAKE_UNITS         ? row_unit
                                  : o->kind == INTAKE_DONORS        ? intake__row_donor
                                  : o->kind == INTAKE_DONATIONS     ? intake__row_donation
                                  : o->kind == INTAKE_BENEFICIARIES ? intake__row_beneficiary
                                                                    : row_assessment;
  while ((rc = intake_table_next(tab, &r, err)) == 1) {
    int blank = 1;
    for (size_t i = 0; i < r.ncells && blank; i++)
      blank = r.cells[i][strspn(r.cells[i], " \t\r\n")] == '\0';
    if (blank) continue;
    rep->rows++;
    cells += (long long)x.ncols;
    if (rep->rows > INTAKE_MAX_ROWS || cells > INTAKE_MAX_CELLS) {
      rc = ht_err_set(err, HT_ELIMIT,
                      "%s has more than %ld rows (or %lld cells); split it (by commune, for "
                      "instance) and import the parts",
                      rep->file, INTAKE_MAX_ROWS, INTAKE_MAX_CELLS);
      break;
    }
    x.cur = &r;
    rc = row_fn(&x, err);
    arena_free(&x.row);
    arena_init(&x.row, 0);
    if (rc != HT_OK) break;
  }
  if (rc < 0 || rc > 1) goto done; /* a damaged file or a database failure */
  rc = HT_OK;
  if (rep->rows == 0 && !rep->problems_total)
    intake__problem(
        &x, 0, -1, NULL, NULL,
        arena_sprintf(a, "there are no rows below the header (row %ld); fill in the rows",
                      rep->header_row),
        arena_sprintf(a, "Không có dòng dữ liệu nào dưới dòng tiêu đề (dòng %ld)",
                      rep->header_row));
  if (rep->problems_total) {
    rc = HT_EINVAL;
    goto done;
  }
  /* A dry run, or a file that changes nothing (imported before): roll back,
   * so the database, its generation and the audit trail stay as they are. */
  if (o->dry_run || rep->added + rep->changed == 0) goto done;
  if ((rc = audit_intake(&x, err)) != HT_OK) goto done;
  for (int i = 0; i < Q_COUNT; i++) { /* finalised before COMMIT */
    db_finalize(x.stmt[i]);
    x.stmt[i] = NULL;
  }
  intake__fund_release(&x);
  rc = db_commit(d);
  if (rc != HT_OK) {
    ht_err_set(err, rc, "cannot commit the import: %s", db_errmsg(d));
    goto done;
  }
  began = 0;
  rep->written = 1;
done:
  ix_free(&x);
  if (began) db_rollback(d);
  intake_table_close(tab);
  return rc;
}

/* ---------------------------------------------------------------- forms */

struct intake_form {
  ix x;
};

int intake_form_open(db *d, const audit_actor *who, const intake_opts *o, arena *a,
                     intake_report *rep, intake_form **out) {
  memset(rep, 0, sizeof *rep);
  rep->file = "";
  rep->problems = arena_alloc(a, INTAKE_PROBLEMS_KEPT * sizeof *rep->problems);
  intake_form *f = arena_calloc(a, sizeof *f);
  ix_init(&f->x, d, who, o, a, rep);
  f->x.form = 1;
  rep->year = f->x.year;
  rep->generation = db_data_version(d);
  *out = f;
  return HT_OK;
}

void intake_form_household(intake_form *f, const char *code) {
  f->x.form_household = code ? arena_strdup(f->x.a, code) : NULL;
}

int intake_form_row(intake_form *f, intake_kind kind, long row, const intake_cell *cells,
                    size_t ncells, int64_t person_id, ht_err *err) {
  ix *x = &f->x;
  if (kind == INTAKE_ASSESSMENTS || intake_kind_is_fund(kind) || kind >= INTAKE_KIND_COUNT)
    return ht_err_set(err, HT_EINVAL, "a form holds households, persons, clans or learning units");
  intake_columns(kind, NULL, x->a, &x->cols, &x->ncols);
  x->index = arena_alloc(&x->row, (x->ncols + 1) * sizeof *x->index);
  for (size_t c = 0; c < x->ncols; c++) x->index[c] = -1;
  intake_row r = {row, 0, arena_calloc(&x->row, (ncells + 1) * sizeof(char *)), NULL};
  x->cur = &r;
  for (size_t i = 0; i < ncells; i++) {
    if (!cells[i].value) continue; /* an absent column: what is stored stays */
    int c = intake__col_of(x, cells[i].key);
    if (c < 0 || x->index[c] >= 0) {
      intake__problem(x, row, -1, cells[i].key, cells[i].value,
                      F(x, "unknown or repeated field %s", cells[i].key),
                      F(x, "Trường %s không có trong biểu mẫu hoặc bị lặp", cells[i].key));
      continue;
    }
    x->index[c] = (int)r.ncells;
    r.cells[r.ncells++] = arena_strdup(&x->row, cells[i].value);
  }
  x->person_id = person_id;
  x->rep->rows++;
  int rc = kind == INTAKE_HOUSEHOLDS ? row_household(x, err)
           : kind == INTAKE_PERSONS  ? row_person(x, err)
           : kind == INTAKE_CLANS    ? row_clan(x, err)
                                     : row_unit(x, err);
  x->person_id = 0;
  x->cur = NULL;
  arena_free(&x->row);
  arena_init(&x->row, 0);
  return rc;
}

void intake_form_problem(intake_form *f, long row, const char *key, const char *value,
                         const char *msg_en, const char *msg_vi) {
  intake__problem(&f->x, row, -1, key ? arena_strdup(f->x.a, key) : NULL, value,
                  arena_strdup(f->x.a, msg_en), arena_strdup(f->x.a, msg_vi));
}

void intake_form_close(intake_form *f) {
  if (f) ix_free(&f->x);
}

int intake_new_code(db *d, intake_kind kind, char *out, size_t size, ht_err *err) {
  const char *table = kind == INTAKE_HOUSEHOLDS ? "households"
                      : kind == INTAKE_CLANS    ? "clans"
                      : kind == INTAKE_UNITS    ? "organisations"
                                                : NULL;
  /* the demo's and the templates' shapes: HH0000001, DH000001, DV000001 */
  const char *prefix = kind == INTAKE_HOUSEHOLDS ? "HH" : kind == INTAKE_CLANS ? "DH" : "DV";
  int digits = kind == INTAKE_HOUSEHOLDS ? 7 : 6;
  if (!table) return ht_err_set(err, HT_EINVAL, "no codes for %s", intake_kind_name(kind));
  char lo[16], hi[16], query[256];
  snprintf(lo, sizeof lo, "%s%0*d", prefix, digits, 0);
  snprintf(hi, sizeof hi, "%s%.*s", prefix, digits, "9999999999");
  snprintf(query, sizeof query,
           "SELECT code FROM %s WHERE prov = $1 AND code >= $2 AND code <= $3 AND "
           "length(code) = $4 ORDER BY code DESC",
           table);
  db_stmt *s;
  int rc = db_prepare(d, query, &s);
  if (rc) return ht_err_set(err, rc, "cannot read the codes: %s", db_errmsg(d));
  db_bind_int64(s, 1, db_prov(d));
  db_bind_text(s, 2, lo);
  db_bind_text(s, 3, hi);
  db_bind_int64(s, 4, (int64_t)strlen(lo));
  long last = 0;
  while ((rc = db_step(s)) == DB_ROW) {
    const char *code = db_col_text(s, 0) + 2;
    if (strspn(code, "0123456789") == strlen(code)) { /* the greatest all-digit code */
      last = strtol(code, NULL, 10);
      break;
    }
  }
  db_finalize(s);
  if (rc < 0) return ht_err_set(err, rc, "cannot read the codes: %s", db_errmsg(d));
  long next = last + 1, limit = 1;
  for (int i = 0; i < digits; i++) limit *= 10;
  if (next >= limit)
    return ht_err_set(err, HT_ELIMIT, "every code %s%0*d... is taken; give a code", prefix, digits,
                      0);
  snprintf(out, size, "%s%0*ld", prefix, digits, next);
  return HT_OK;
}

/* ------------------------------------------------------ errors workbook */

int intake_write_errors(const intake_opts *o, const intake_report *rep, const char *out_path,
                        ht_err *err) {
  intake_table *tab = NULL;
  int rc = intake_table_open(o->path, o->enc, o->sheet, &tab, err);
  if (rc) return rc;
  xlsxw *w = NULL;
  rc = xlsxw_open(&w, out_path, rep->sheet ? rep->sheet : "Lỗi nhập", err);
  if (rc) {
    intake_table_close(tab);
    return rc;
  }
  /* Problems of the whole file first, above the copy. */
  long p = 0;
  int wrote_file_problems = 0;
  for (long i = 0; i < rep->nproblems; i++)
    if (rep->problems[i].row == 0) {
      xlsxw_flagged(w, rep->problems[i].msg_vi, 0);
      xlsxw_text(w, rep->problems[i].msg_en);
      xlsxw_end_row(w);
      wrote_file_problems = 1;
    }
  if (wrote_file_problems) xlsxw_end_row(w);
  intake_row r;
  size_t width = 0;
  while ((rc = intake_table_next(tab, &r, err)) == 1) {
    if (r.row == rep->header_row) width = r.ncells;
    while (p < rep->nproblems && rep->problems[p].row < r.row) p++;
    long first = p, last = p;
    while (last < rep->nproblems && rep->problems[last].row == r.row) last++;
    size_t n = r.ncells > width ? r.ncells : width;
    for (size_t c = 0; c < n; c++) {
      const char *text = c < r.ncells ? r.cells[c] : "";
      int flagged = 0;
      for (long i = first; i < last; i++) flagged |= rep->problems[i].col == (int)c;
      int number = c < r.ncells && r.numeric[c];
      if (r.row == rep->header_row)
        xlsxw_header(w, text);
      else if (flagged)
        xlsxw_flagged(w, text, number);
      else if (number)
        xlsxw_number(w, strtod(text, NULL));
      else
        xlsxw_text(w, text);
    }
    if (r.row == rep->header_row) {
      xlsxw_header(w, "Lỗi");
      xlsxw_header(w, "Error");
    } else if (last > first) {
      strbuf vi = STRBUF_INIT, en = STRBUF_INIT;
      for (long i = first; i < last; i++) {
        char col[4] = "";
        if (rep->problems[i].col >= 0) xlsx_column_name((size_t)rep->problems[i].col, col);
        strbuf_printf(&vi, "%s%s%s%s", vi.len ? "\n" : "", col, col[0] ? ": " : "",
                      rep->problems[i].msg_vi);
        strbuf_printf(&en, "%s%s%s%s", en.len ? "\n" : "", col, col[0] ? ": " : "",
                      rep->problems[i].msg_en);
      }
      xlsxw_flagged(w, strbuf_cstr(&vi), 0);
      xlsxw_text(w, strbuf_cstr(&en));
      strbuf_free(&vi);
      strbuf_free(&en);
    }
    xlsxw_end_row(w);
    p = last;
  }
  intake_table_close(tab);
  ht_err werr = {0};
  int wrc = xlsxw_close(w, &werr);
  if (rc < 0) return rc;
  if (wrc) {
    if (err) *err = werr;
    return wrc;
  }
  return HT_OK;
}
