/* export.c - lists and rollups as tables for CSV and XLSX (see export.h). */
#include "services/export.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/date.h"
#include "model/registry.h"
#include "services/intake_spec.h"

/* A column's header in Vietnamese and in English. */
typedef struct col {
  const char *vi, *en;
} col;

static void header(tbl_out *o, const col *cols, size_t n, int en) {
  for (size_t i = 0; i < n; i++) tbl_head(o, en ? cols[i].en : cols[i].vi);
}

/* The header row of a registry list: the import columns of kind (their
 * Vietnamese headers, or with en the machine keys), so that an exported
 * file can be edited and imported again (docs/import.md). */
static void intake_header(tbl_out *o, intake_kind kind, int en) {
  const intake_col *cols;
  size_t n;
  intake_columns(kind, NULL, NULL, &cols, &n);
  for (size_t i = 0; i < n; i++) tbl_head(o, en ? cols[i].key : cols[i].header_vi);
  tbl_end_row(o);
}

/* The header row of a table whose columns are the array cols. */
#define HEADER(o, cols, en) (header(o, cols, sizeof cols / sizeof cols[0], en), tbl_end_row(o))

static const char *yes_no(int v, int en) {
  return v ? (en ? "yes" : "có") : (en ? "no" : "không");
}

/* Epoch ms as "2025-12-31T10:00:00Z" (UTC); "" for 0. */
static const char *iso_time(int64_t ms, char buf[32]) {
  buf[0] = 0;
  if (!ms) return buf;
  time_t t = (time_t)(ms / 1000);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

static int where_ok(const export_where *w, const char *unit_code) {
  if (w->unit) {
    const hier_unit *u = hier_find(w->h, unit_code, w->day);
    if (!u || !hier_is_within(w->h, u, w->unit, w->day)) return 0;
  }
  return !w->keep || w->keep(w->keep_ctx, unit_code);
}

static int sql_fail(db *d, const char *what, ht_err *err) {
  return ht_err_set(err, HT_EDB, "cannot read the %s: %s", what, db_errmsg(d));
}

/* ------------------------------------------------------------------ units */

int export_units(tbl_out *o, const hier *h, const hier_unit *const *units, size_t n,
                 const unit_counts *counts, int32_t day, int en, arena *a) {
  static const col cols[] = {{"Mã", "code"},
                             {"Tên", "name"},
                             {"Loại", "kind"},
                             {"Mã đơn vị cấp trên", "parent_code"},
                             {"Hiệu lực từ", "valid_from"},
                             {"Hiệu lực đến", "valid_to"},
                             {"Nhóm", "groups"}};
  static const col count_cols[] = {{"Tên loại", "kind_name"},
                                   {"Số hộ", "households"},
                                   {"Số người", "persons"},
                                   {"Số dòng họ", "clans"},
                                   {"Số cơ quan, đơn vị", "organisations"},
                                   {"Số đơn vị trực thuộc", "child_units"}};
  header(o, cols, sizeof cols / sizeof cols[0], en);
  if (counts) header(o, count_cols, sizeof count_cols / sizeof count_cols[0], en);
  tbl_end_row(o);
  char from[11], to[11];
  for (size_t i = 0; i < n; i++) {
    const hier_unit *u = units[i];
    tbl_text(o, u->code);
    tbl_text(o, u->name);
    tbl_text(o, u->kind->key);
    tbl_text(o, u->parent_code);
    tbl_text(o, date_format(u->from_day, from));
    tbl_text(o, u->to_day == DATE_OPEN ? NULL : date_format(u->to_day, to));
    tbl_text(o, u->groups);
    if (counts) {
      unit_count c = unit_counts_of(counts, u);
      const hier_unit **kids;
      size_t nk = hier_children(h, u->code, day, a, &kids);
      tbl_text(o, en ? u->kind->name_en : u->kind->name_vi);
      tbl_number(o, (double)c.households);
      tbl_number(o, (double)c.persons);
      tbl_number(o, (double)c.clans);
      tbl_number(o, (double)c.organisations);
      tbl_number(o, (double)nk);
    }
    tbl_end_row(o);
  }
  return HT_OK;
}

static void subtree(const hier *h, const hier_unit *u, int32_t day, arena *a, const hier_unit **out,
                    size_t *n) {
  out[(*n)++] = u;
  const hier_unit **kids;
  size_t nk = hier_children(h, u->code, day, a, &kids);
  for (size_t i = 0; i < nk; i++) subtree(h, kids[i], day, a, out, n);
}

size_t export_subtree(const hier *h, const char *root, int32_t day, arena *a,
                      const hier_unit ***out) {
  const hier_unit **all = arena_alloc(a, (h->nunits + 1) * sizeof *all);
  size_t n = 0;
  if (root) {
    const hier_unit *u = hier_find(h, root, day);
    if (u) subtree(h, u, day, a, all, &n);
  } else {
    const hier_unit **roots;
    size_t nr = hier_children(h, NULL, day, a, &roots);
    for (size_t i = 0; i < nr; i++) subtree(h, roots[i], day, a, all, &n);
  }
  *out = all;
  return n;
}

/* ---------------------------------------------------------------- registry */

/* The household's place in year $2: the row with the greatest from_year <= $2. */
#define PLACE_OF_YEAR                                                                      \
  "JOIN household_places hp ON hp.prov = h.prov AND hp.household_id = h.id AND "           \
  "hp.from_year = (SELECT MAX(x.from_year) FROM household_places x WHERE x.prov = h.prov " \
  "AND x.household_id = h.id AND x.from_year <= $2) "

/* Runs sql (parameters $1 prov, $2 year when year > 0) and hands each row
 * whose unit column passes w to row(). */
static int each_row(db *d, const char *sql, int year, int unit_col, const export_where *w,
                    void (*row)(tbl_out *o, db_stmt *s, void *ctx), tbl_out *o, void *ctx,
                    const char *what, ht_err *err) {
  db_stmt *s;
  if (db_prepare(d, sql, &s)) return sql_fail(d, what, err);
  db_bind_int64(s, 1, db_prov(d));
  if (year > 0) db_bind_int64(s, 2, year);
  if (w && w->household) db_bind_text(s, 3, w->household);
  int rc;
  while ((rc = db_step(s)) == DB_ROW) {
    if (!where_ok(w, db_col_text(s, unit_col))) continue;
    row(o, s, ctx);
    tbl_end_row(o);
  }
  db_finalize(s);
  return rc < 0 ? sql_fail(d, what, err) : HT_OK;
}

static void text_columns(tbl_out *o, db_stmt *s, int n) {
  for (int i = 0; i < n; i++) tbl_text(o, db_col_is_null(s, i) ? NULL : db_col_text(s, i));
}

static void household_row(tbl_out *o, db_stmt *s, void *ctx) {
  text_columns(o, s, 5);
}

int export_households(tbl_out *o, db *d, const export_where *w, int year, int en, ht_err *err) {
  intake_header(o, INTAKE_HOUSEHOLDS, en);
  return each_row(d,
                  "SELECT h.code, h.head_name, hp.village_code, c.code, h.address "
                  "FROM households h " PLACE_OF_YEAR
                  "LEFT JOIN clans c ON c.prov = hp.prov AND c.id = hp.clan_id "
                  "WHERE h.prov = $1 AND (h.closed_year IS NULL OR h.closed_year > $2) "
                  "ORDER BY h.code",
                  year, 2, w, household_row, o, NULL, "households", err);
}

typedef struct person_ctx {
  int full_ids, en;
  arena a;
} person_ctx;

static void person_row(tbl_out *o, db_stmt *s, void *p) {
  person_ctx *c = p;
  tbl_text(o, db_col_text(s, 0));
  tbl_text(o, db_col_text(s, 1));
  tbl_number(o, (double)db_col_int64(s, 2));
  int male = !strcmp(db_col_text(s, 3), "nam");
  tbl_text(o, c->en ? (male ? "male" : "female") : (male ? "nam" : "nữ"));
  const char *cid = db_col_is_null(s, 4) ? NULL : db_col_text(s, 4);
  arena_reset(&c->a);
  tbl_text(o, c->full_ids ? cid : reg_mask_citizen_id(cid, &c->a));
  tbl_text(o, yes_no((int)db_col_int64(s, 5), c->en));
  tbl_text(o, yes_no((int)db_col_int64(s, 6), c->en));
  tbl_text(o, db_col_is_null(s, 7) ? NULL : intake_grade_label(db_col_text(s, 7)));
  tbl_text(o, db_col_is_null(s, 8) ? NULL : intake_grade_label(db_col_text(s, 8)));
  tbl_number(o, (double)db_col_int64(s, 9));
}

int export_persons(tbl_out *o, db *d, const export_where *w, int year, int full_ids, int en,
                   ht_err *err) {
  intake_header(o, INTAKE_PERSONS, en);
  person_ctx c = {full_ids, en, {0}};
  arena_init(&c.a, 0);
  /* Households in code order, then each one's members (CROSS JOIN fixes that
   * order in SQLite): only one household's persons are ever sorted, so a
   * million rows export in bounded memory. */
#define PERSONS_SQL(extra)                                                                   \
  "SELECT h.code, p.full_name, p.birth_year, p.gender, p.citizen_id, y.literate, "           \
  "y.in_school, y.school_result, y.conduct, y.topics_completed, hp.village_code "            \
  "FROM households h " PLACE_OF_YEAR                                                         \
  "CROSS JOIN persons p CROSS JOIN person_years y "                                          \
  "WHERE h.prov = $1 AND p.prov = h.prov AND p.household_id = h.id AND y.prov = p.prov AND " \
  "y.person_id = p.id AND y.year = $2 " extra "ORDER BY h.code, p.birth_year, p.id"
  int rc = each_row(d, w->household ? PERSONS_SQL("AND h.code = $3 ") : PERSONS_SQL(""), year, 10,
                    w, person_row, o, &c, "persons", err);
  arena_free(&c.a);
  return rc;
}

static void clan_row(tbl_out *o, db_stmt *s, void *ctx) {
  text_columns(o, s, 3);
}

int export_clans(tbl_out *o, db *d, const export_where *w, int en, ht_err *err) {
  intake_header(o, INTAKE_CLANS, en);
  return each_row(d, "SELECT code, name, village_code FROM clans WHERE prov = $1 ORDER BY code", 0,
                  2, w, clan_row, o, NULL, "clans", err);
}

static void organisation_row(tbl_out *o, db_stmt *s, void *ctx) {
  const int *en = ctx;
  tbl_text(o, db_col_text(s, 0));
  tbl_text(o, db_col_text(s, 1));
  tbl_text(o, *en ? db_col_text(s, 2) : intake_org_kind_label(db_col_text(s, 2)));
  tbl_text(o, db_col_text(s, 3));
}

int export_organisations(tbl_out *o, db *d, const export_where *w, int en, ht_err *err) {
  intake_header(o, INTAKE_UNITS, en);
  char day[11];
  date_format(w->day, day);
  /* the managing unit on w->day: the place with the greatest valid_from <= day */
  char *sql = NULL;
  if (asprintf(&sql,
               "SELECT o.code, o.name, o.kind, p.admin_code FROM organisations o "
               "JOIN organisation_places p ON p.prov = o.prov AND p.organisation_id = o.id AND "
               "p.valid_from = (SELECT MAX(x.valid_from) FROM organisation_places x WHERE "
               "x.prov = o.prov AND x.organisation_id = o.id AND x.valid_from <= '%s') "
               "WHERE o.prov = $1 ORDER BY o.code",
               day) < 0)
    return ht_err_set(err, HT_ENOMEM, "out of memory");
  int rc = each_row(d, sql, 0, 3, w, organisation_row, o, &en, "organisations", err);
  free(sql);
  return rc;
}

/* ------------------------------------------------------------- evaluation */

int export_results(tbl_out *o, db *d, const engine *e, const hier *h, int title,
                   const int32_t *ents, int32_t n, int full_ids, int en) {
  static const col cols[] = {{"Mã", "code"},
                             {"Tên", "name"},
                             {"Số định danh", "citizen_id"},
                             {"Tuổi", "age"},
                             {"Đủ điều kiện", "eligible"},
                             {"Đăng ký", "registered"},
                             {"Đã đánh giá", "evaluated"}};
  const crit_title *t = eng_title_at(e, title);
  const eng_facts *f = eng_facts_of(e);
  int nitems = eng_item_count(e, title), person = t->entity == CRIT_PERSON;
  for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
    if (person || (i != 2 && i != 3)) tbl_head(o, en ? cols[i].en : cols[i].vi);
  for (int k = 0; k < nitems; k++) tbl_head(o, eng_item_at(e, title, k)->key);
  tbl_head(o, t->levels ? (en ? "level" : "Mức đạt") : (en ? "total" : "Tổng điểm"));
  tbl_head(o, en ? "recognised" : "Được công nhận");
  tbl_end_row(o);
  strbuf code = STRBUF_INIT;
  arena scratch; /* a row's name and masked ID */
  arena_init(&scratch, 4096);
  for (int32_t i = 0; i < n; i++) {
    int32_t j = ents[i];
    arena *a = &scratch;
    arena_reset(a);
    eng_result res;
    eng_result_of(e, title, j, &res);
    strbuf_reset(&code);
    if (person)
      strbuf_printf(&code, "P%lld", (long long)f->person_id[j]);
    else
      eng_code(e, t->entity, j, &code);
    tbl_text(o, strbuf_cstr(&code));
    tbl_text(o, evaluation_entity_name(d, e, h, t->entity, j, a));
    if (person) {
      const char *cid = f->person_cid[j];
      tbl_text(o, full_ids ? cid : reg_mask_citizen_id(cid, a));
      tbl_number(o, f->year - f->birth_year[j]);
    }
    tbl_text(o, yes_no(res.eligible, en));
    tbl_text(o, yes_no(res.registered, en));
    tbl_text(o, yes_no(res.evaluated, en));
    for (int k = 0; k < nitems; k++) tbl_number(o, eng_item_result(e, title, k, j));
    tbl_number(o, t->levels ? (double)res.level : res.total);
    tbl_text(o, yes_no(res.recognised, en));
    tbl_end_row(o);
  }
  strbuf_free(&code);
  arena_free(&scratch);
  return HT_OK;
}

int export_rollup(tbl_out *o, const engine *e, const hier *h, const hier_unit *const *units,
                  size_t n, int title, eval_target_fn target, void *tctx, int en) {
  static const col cols[] = {{"Mã đơn vị", "code"},
                             {"Đơn vị", "name"},
                             {"Danh hiệu", "title"},
                             {"Đủ điều kiện", "eligible"},
                             {"Đăng ký", "registered"},
                             {"Đã đánh giá", "evaluated"},
                             {"Được công nhận", "recognised"},
                             {"Tỉ lệ công nhận", "rate"},
                             {"Tỉ lệ đăng ký", "registered_rate"},
                             {"Chỉ tiêu", "target"}};
  HEADER(o, cols, en);
  eval_row rows[64];
  for (size_t i = 0; i < n; i++) {
    const hier_unit *u;
    crit_entity k;
    int32_t ix;
    if (evaluation_unit(e, h, units[i]->code, &u, &k, &ix) != 0) continue;
    int m = evaluation_rows_for(e, u, k, ix, title, target, tctx, rows, 64);
    for (int r = 0; r < m; r++) {
      const eval_row *row = &rows[r];
      const crit_title *t = eng_title_at(e, row->title);
      tbl_text(o, u->code);
      tbl_text(o, u->name);
      tbl_text(o, en || !t->name ? t->key : t->name);
      tbl_number(o, row->counts.eligible);
      tbl_number(o, row->counts.registered);
      tbl_number(o, row->counts.evaluated);
      tbl_number(o, row->counts.recognised);
      tbl_number(o, row->rate);
      tbl_number(o, row->registered_rate);
      tbl_number(o, row->target);
      tbl_end_row(o);
    }
  }
  return HT_OK;
}

/* ------------------------------------------------------ audit and accounts */

static int audit_row_out(void *p, const audit_row *r) {
  tbl_out *o = p;
  char at[32];
  tbl_number(o, (double)r->seq);
  tbl_text(o, iso_time(r->at, at));
  tbl_text(o, r->actor);
  tbl_text(o, r->addr);
  tbl_text(o, r->action);
  tbl_text(o, r->object_kind);
  tbl_text(o, r->object_id);
  tbl_text(o, r->unit_code);
  tbl_text(o, r->before_json);
  tbl_text(o, r->after_json);
  tbl_end_row(o);
  return 0;
}

int export_audit(tbl_out *o, db *d, const audit_filter *f, int en, ht_err *err) {
  static const col cols[] = {{"Số thứ tự", "seq"},         {"Thời điểm (UTC)", "at"},
                             {"Người thực hiện", "actor"}, {"Địa chỉ", "addr"},
                             {"Hành động", "action"},      {"Loại đối tượng", "object_kind"},
                             {"Đối tượng", "object_id"},   {"Mã đơn vị", "unit_code"},
                             {"Trước", "before"},          {"Sau", "after"}};
  HEADER(o, cols, en);
  return audit_each(d, f, audit_row_out, o, err);
}

int export_users(tbl_out *o, db *d, int (*keep)(void *ctx, const acct_user *u), void *ctx, int en,
                 ht_err *err) {
  static const col cols[] = {{"Tên đăng nhập", "username"},
                             {"Họ và tên", "full_name"},
                             {"Vai trò", "role"},
                             {"Mã đơn vị", "unit_code"},
                             {"Trạng thái", "state"},
                             {"Tạo lúc (UTC)", "created_at"},
                             {"Đăng nhập gần nhất (UTC)", "last_login_at"}};
  arena a;
  arena_init(&a, 0);
  acct_user *users;
  size_t n;
  int rc = acct_users_list(d, &a, &users, &n) ? sql_fail(d, "accounts", err) : HT_OK;
  if (rc == HT_OK) HEADER(o, cols, en);
  char t1[32], t2[32];
  for (size_t i = 0; rc == HT_OK && i < n; i++) {
    const acct_user *u = &users[i];
    if (keep && !keep(ctx, u)) continue;
    const char *state = u->disabled ? "disabled" : u->must_change ? "new" : "active";
    if (!en) state = u->disabled ? "đã khóa" : u->must_change ? "mới tạo" : "đang hoạt động";
    tbl_text(o, u->username);
    tbl_text(o, u->full_name);
    tbl_text(o, en ? u->role : u->role_name_vi);
    tbl_text(o, u->unit_code);
    tbl_text(o, state);
    tbl_text(o, iso_time(u->created_at, t1));
    tbl_text(o, iso_time(u->last_login_at, t2));
    tbl_end_row(o);
  }
  arena_free(&a);
  return rc;
}
