/* template.c - import templates, empty or prefilled (see template.h). */
#include "services/template.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/strmap.h"
#include "criteria/crit_defaults.h"
#include "io/xlsx_write.h"
#include "model/records.h"

/* ------------------------------------------------------------- the plan */

int tmpl_plan_make(const hier *h, const crit_set *set, int province, const tmpl_request *req,
                   arena *a, tmpl_plan *out, const char **param, ht_err *err) {
  memset(out, 0, sizeof *out);
  out->kind = req->kind;
  out->year = req->year;
  out->h = h;
  out->a = a;
  if (req->kind == INTAKE_ASSESSMENTS) {
    *param = "title";
    if (!req->title || !*req->title)
      return ht_err_set(err, HT_EINVAL,
                        "assessments need a title, e.g. gia-dinh-hoc-tap; see 'hoctap criteria "
                        "list'");
    out->title = crit_in_force(set, req->title, req->year, province);
    if (!out->title) {
      for (const crit_title *t = set->titles; t; t = t->next)
        if (!strcmp(t->key, req->title))
          return ht_err_set(err, HT_EINVAL, "title %s has no version in force in %d", req->title,
                            req->year);
      return ht_err_set(err, HT_ENOTFOUND, "unknown title '%s'; see 'hoctap criteria list'",
                        req->title);
    }
  }
  if (req->unit && *req->unit) {
    *param = "unit";
    int32_t day = date_from_ymd(req->year, 12, 31);
    out->unit = hier_find(h, req->unit, day);
    if (!out->unit) {
      size_t n;
      hier_versions(h, req->unit, &n);
      if (!n) return ht_err_set(err, HT_ENOTFOUND, "unknown unit '%s'", req->unit);
      return ht_err_set(err, HT_EINVAL, "unit %s is not valid on 31 December %d", req->unit,
                        req->year);
    }
  }
  *param = NULL;
  intake_columns(req->kind, out->title, a, &out->cols, &out->ncols);
  return HT_OK;
}

int tmpl_personal(const tmpl_plan *p) {
  if (!p->unit) return 0;
  return p->kind == INTAKE_PERSONS || p->kind == INTAKE_HOUSEHOLDS ||
         intake_kind_is_fund(p->kind) ||
         (p->kind == INTAKE_ASSESSMENTS && p->title->entity == CRIT_PERSON);
}

const char *tmpl_file_name(const tmpl_plan *p) {
  const char *what = p->title ? p->title->key : intake_kind_name(p->kind);
  if (p->unit) return arena_sprintf(p->a, "mau-%s-%s-%d", what, p->unit->code, p->year);
  return arena_sprintf(p->a, "mau-%s-%d", what, p->year);
}

/* "Mẫu nhập hộ gia đình — Phường Lê Lợi — năm 2025" */
static const char *sheet_title(const tmpl_plan *p) {
  const char *what = p->title ? arena_sprintf(p->a, "đánh giá «%s»",
                                              p->title->name ? p->title->name : p->title->key)
                              : intake_kind_label_vi(p->kind);
  if (p->unit)
    return arena_sprintf(p->a, "Mẫu nhập %s — %s — năm %d", what, p->unit->name, p->year);
  return arena_sprintf(p->a, "Mẫu nhập %s — năm %d", what, p->year);
}

/* ------------------------------------------------------ where cells go */

static void put_yesno(tbl_out *o, int yes) {
  tbl_text(o, yes ? "có" : "không");
}

/* ------------------------------------------------- where the rows come from */

/* One query per registry kind. Column 0 is the unit the row belongs to (a
 * village, or an organisation's managing unit), column 1 the entity as
 * records.entity holds it; columns 2.. are the template columns named in
 * keys. $1 the province, $2 the year, $3 its 31 December. */
typedef struct source {
  const char *sql;
  const char *keys[12];
  /* donors: a row per fund a donor gave to (column 0 its unit), the donor
   * once; a template of a top unit (the province) holds every donor, also
   * those who gave nothing yet (column 0 "") */
  int per_donor;
} source;

/* The household's place in year $2 is the row with the greatest from_year
 * not after it (the rule of model/unit_counts.c). */
#define HOUSEHOLD_PLACE                                                      \
  "JOIN household_places hp ON hp.prov = h.prov AND hp.household_id = h.id " \
  "AND hp.from_year = (SELECT MAX(x.from_year) FROM household_places x "     \
  "WHERE x.prov = h.prov AND x.household_id = h.id AND x.from_year <= $2) "
#define HOUSEHOLD_OPEN "(h.closed_year IS NULL OR h.closed_year > $2)"

static const source households_src = {
    "SELECT hp.village_code, h.code, h.code, h.head_name, hp.village_code, c.code, h.address "
    "FROM households h " HOUSEHOLD_PLACE
    "LEFT JOIN clans c ON c.prov = hp.prov AND c.id = hp.clan_id "
    "WHERE h.prov = $1 AND " HOUSEHOLD_OPEN " ORDER BY h.code",
    {"household_code", "head_name", "village_code", "clan_code", "address"},
    0};

/* members in the year: a person_years row for it */
static const source persons_src = {
    "SELECT hp.village_code, CAST(p.id AS TEXT), h.code, p.full_name, p.birth_year, p.gender, "
    "p.citizen_id, y.literate, y.in_school, y.school_result, y.conduct, y.topics_completed "
    "FROM person_years y JOIN persons p ON p.prov = y.prov AND p.id = y.person_id "
    "JOIN households h ON h.prov = p.prov AND h.id = p.household_id " HOUSEHOLD_PLACE
    "WHERE y.prov = $1 AND y.year = $2 AND " HOUSEHOLD_OPEN " ORDER BY h.code, p.birth_year, p.id",
    {"household_code", "full_name", "birth_year", "gender", "citizen_id", "literate", "in_school",
     "school_result", "conduct", "topics_completed"},
    0};

static const source clans_src = {
    "SELECT village_code, code, code, name, village_code FROM clans WHERE prov = $1 "
    "ORDER BY code",
    {"clan_code", "name", "village_code"},
    0};

/* the managing unit on $3: the place row with the greatest valid_from */
static const source organisations_src = {
    "SELECT op.admin_code, o.code, o.code, o.name, o.kind, op.admin_code FROM organisations o "
    "JOIN organisation_places op ON op.prov = o.prov AND op.organisation_id = o.id "
    "AND op.valid_from = (SELECT MAX(x.valid_from) FROM organisation_places x "
    "WHERE x.prov = o.prov AND x.organisation_id = o.id AND x.valid_from <= $3) "
    "WHERE o.prov = $1 ORDER BY o.code",
    {"unit_code", "name", "kind", "admin_code"},
    0};

/* The funds' kinds. Donors, by code then name; receipts of the year, by
 * fund, date and number (reversed ones left out: they are not to be entered
 * again); beneficiaries by unit and name, a registry person with the
 * registry's name and birth year. */
static const source donors_src = {
    "SELECT COALESCE(f.unit_code, ''), CAST(d.id AS TEXT), d.code, d.kind, d.name, d.address, "
    "d.phone FROM fund_donors d LEFT JOIN fund_entries e ON e.prov = d.prov AND e.donor_id = "
    "d.id LEFT JOIN funds f ON f.prov = e.prov AND f.id = e.fund_id WHERE d.prov = $1 "
    "ORDER BY COALESCE(d.code, ''), d.name_key, d.id",
    {"donor_code", "kind", "name", "address", "phone"},
    1};

static const source donations_src = {
    "SELECT f.unit_code, CAST(e.id AS TEXT), f.code, e.entry_date, e.amount, e.number, d.code, "
    "CASE WHEN d.kind = 'anonymous' AND d.code IS NULL THEN 'ẩn danh' ELSE d.name END, "
    "e.campaign, e.purpose, e.method FROM fund_entries e JOIN funds f ON f.prov = e.prov AND "
    "f.id = e.fund_id LEFT JOIN fund_donors d ON d.prov = e.prov AND d.id = e.donor_id WHERE "
    "e.prov = $1 AND e.kind = 'receipt' AND CAST(substr(e.entry_date, 1, 4) AS BIGINT) = $2 AND "
    "NOT EXISTS (SELECT 1 FROM fund_entries r WHERE r.prov = e.prov AND r.reverses = e.id) "
    "ORDER BY f.code, e.entry_date, e.number, e.id",
    {"fund_code", "date", "amount", "receipt_number", "donor_code", "donor_name", "campaign",
     "purpose", "method"},
    0};

static const source beneficiaries_src = {
    "SELECT b.unit_code, CAST(b.id AS TEXT), p.citizen_id, h.code, COALESCE(p.full_name, "
    "b.name), COALESCE(p.birth_year, b.birth_year), b.unit_code, b.school, b.grade, "
    "b.circumstances, b.achievements FROM fund_beneficiaries b LEFT JOIN persons p ON p.prov = "
    "b.prov AND p.id = b.person_id LEFT JOIN households h ON h.prov = p.prov AND h.id = "
    "p.household_id WHERE b.prov = $1 ORDER BY b.unit_code, b.name_key, b.id",
    {"citizen_id", "household_code", "full_name", "birth_year", "unit_code", "school", "grade",
     "circumstances", "achievements"},
    0};

/* The source of a plan's rows; NULL for titles of administrative units,
 * whose rows come from the hierarchy. */
static const source *source_of(const tmpl_plan *p) {
  switch (p->kind) {
    case INTAKE_HOUSEHOLDS: return &households_src;
    case INTAKE_PERSONS: return &persons_src;
    case INTAKE_CLANS: return &clans_src;
    case INTAKE_UNITS: return &organisations_src;
    case INTAKE_DONORS: return &donors_src;
    case INTAKE_DONATIONS: return &donations_src;
    case INTAKE_BENEFICIARIES: return &beneficiaries_src;
    default: break;
  }
  switch (p->title->entity) {
    case CRIT_PERSON: return &persons_src;
    case CRIT_HOUSEHOLD: return &households_src;
    case CRIT_CLAN: return &clans_src;
    case CRIT_ORGANISATION: return &organisations_src;
    default: return NULL;
  }
}

/* ------------------------------------------------------------ the rows */

typedef struct record_row {
  char registered_on[11]; /* ISO, "" when not registered */
  int form_group;
  const char *vals;
} record_row;

typedef struct fill {
  db *d;
  const tmpl_plan *p;
  tbl_out *out;
  strmap subtree;              /* the unit and every unit below it on 31 December */
  const hier_unit **evaluated; /* titles of administrative units: the units of its level */
  size_t nevaluated, cap;
  strmap records; /* assessments: entity -> index in recs */
  record_row *recs;
  size_t nrecs, rcap;
  ht_err *err;
} fill;

/* Marks u and its subtree on day; collects the units at level (or none). */
static void walk(fill *f, const hier_unit *u, int32_t day, const char *level) {
  strmap_put(&f->subtree, u->code, 1);
  if (level && !strcmp(u->kind->level->key, level)) {
    f->evaluated = arena_grow(f->p->a, f->evaluated, f->nevaluated, &f->cap, sizeof *f->evaluated);
    f->evaluated[f->nevaluated++] = u;
  }
  const hier_unit **kids;
  size_t n = hier_children(f->p->h, u->code, day, f->p->a, &kids);
  for (size_t i = 0; i < n; i++) walk(f, kids[i], day, level);
}

/* The title's records of the year, by entity. */
static int load_records(fill *f) {
  db_stmt *s;
  int rc = db_prepare(f->d,
                      "SELECT entity, registered_on, form_group, vals FROM records "
                      "WHERE prov = $1 AND title = $2 AND year = $3",
                      &s);
  if (rc) return ht_err_set(f->err, rc, "cannot read the records: %s", db_errmsg(f->d));
  db_bind_int64(s, 1, db_prov(f->d));
  db_bind_text(s, 2, f->p->title->key);
  db_bind_int64(s, 3, f->p->year);
  while ((rc = db_step(s)) == DB_ROW) {
    f->recs = arena_grow(f->p->a, f->recs, f->nrecs, &f->rcap, sizeof *f->recs);
    record_row *r = &f->recs[f->nrecs];
    snprintf(r->registered_on, sizeof r->registered_on, "%s", db_col_text(s, 1));
    r->form_group = (int)db_col_int64(s, 2);
    r->vals = arena_strdup(f->p->a, db_col_text(s, 3));
    strmap_put(&f->records, arena_strdup(f->p->a, db_col_text(s, 0)), (int64_t)f->nrecs++);
  }
  db_finalize(s);
  if (rc < 0) return ht_err_set(f->err, rc, "cannot read the records: %s", db_errmsg(f->d));
  return HT_OK;
}

/* Column i of the query row, written as column c takes it. */
static void put_cell(tbl_out *o, const intake_col *c, db_stmt *s, int i, arena *a) {
  if (db_col_is_null(s, i)) {
    tbl_text(o, NULL);
    return;
  }
  const char *v = db_col_text(s, i);
  switch (c->type) {
    case IT_YEAR:
    case IT_INT: tbl_number(o, (double)db_col_int64(s, i)); break;
    case IT_YESNO: put_yesno(o, db_col_int64(s, i) != 0); break;
    case IT_GENDER: tbl_text(o, !strcmp(v, "nu") ? "nữ" : v); break;
    case IT_GRADE: tbl_text(o, intake_grade_label(v)); break;
    case IT_ORG_KIND: tbl_text(o, intake_org_kind_label(v)); break;
    case IT_DONOR_KIND: tbl_text(o, intake_donor_kind_label(v)); break;
    case IT_METHOD: tbl_text(o, intake_method_label(v)); break;
    case IT_AMOUNT: tbl_number(o, (double)db_col_int64(s, i)); break;
    case IT_TAGS: tbl_text(o, intake_tags_label((intake_tags)c->min, v, a)); break;
    case IT_DATE: {
      int y, m, d;
      char buf[16];
      if (sscanf(v, "%d-%d-%d", &y, &m, &d) == 3) {
        snprintf(buf, sizeof buf, "%02d/%02d/%04d", d % 100, m % 100, y % 10000);
        tbl_text(o, buf);
      } else {
        tbl_text(o, v);
      }
      break;
    }
    default: tbl_text(o, v); break;
  }
}

/* An entered item's stored value as people write it: có/không, 92%, 3. */
static void put_item(tbl_out *o, const crit_item *it, const record_row *rec) {
  double v;
  char buf[32];
  if (!rec || rec_vals_get(rec->vals, it->key, &v) != 1)
    tbl_text(o, NULL);
  else if (it->input == INPUT_YESNO)
    put_yesno(o, v != 0);
  else if (it->input == INPUT_PERCENT)
    tbl_text(o, rec_value_text(it, v, buf, sizeof buf));
  else
    tbl_number(o, v);
}

/* The registration: its date (DD/MM/YYYY), không when the record exists
 * unregistered, blank when there is no record. */
static void put_registered(tbl_out *o, const record_row *rec) {
  int y, m, d;
  if (!rec)
    tbl_text(o, NULL);
  else if (rec->registered_on[0] && sscanf(rec->registered_on, "%d-%d-%d", &y, &m, &d) == 3) {
    char buf[16];
    snprintf(buf, sizeof buf, "%02d/%02d/%04d", d % 100, m % 100, y % 10000);
    tbl_text(o, buf);
  } else
    put_yesno(o, 0);
}

/* One row of the template: each column from the query row s (by key), the
 * entity's record or the plan. s is NULL for an administrative unit. */
static void put_row(fill *f, const source *src, db_stmt *s, const char *entity) {
  const tmpl_plan *p = f->p;
  const record_row *rec = NULL;
  int64_t at;
  if (p->title && strmap_get(&f->records, entity, &at)) rec = &f->recs[at];
  for (size_t i = 0; i < p->ncols; i++) {
    const intake_col *c = &p->cols[i];
    int assessed = p->kind == INTAKE_ASSESSMENTS;
    if (c->type == IT_ITEM) {
      put_item(f->out, c->item, rec);
    } else if (assessed && !strcmp(c->key, "code")) {
      tbl_text(f->out, entity);
    } else if (assessed && !strcmp(c->key, "year")) {
      tbl_number(f->out, p->year);
    } else if (assessed && !strcmp(c->key, "registered")) {
      put_registered(f->out, rec);
    } else if (assessed && !strcmp(c->key, "group")) {
      if (rec && rec->form_group)
        tbl_number(f->out, rec->form_group);
      else
        tbl_text(f->out, NULL);
    } else {
      int col = -1;
      for (int k = 0; src && s && src->keys[k] && col < 0; k++)
        if (!strcmp(src->keys[k], c->key)) col = k + 2;
      if (col < 0)
        tbl_text(f->out, NULL);
      else
        put_cell(f->out, c, s, col, p->a);
    }
  }
  tbl_end_row(f->out);
}

/* The least age of a person title's eligible rule ("eligible when age >= 15",
 * also "age > 14" and a rule "A and B" holding one), so a template lists only
 * the persons the title evaluates and the importer takes; 0 for none. */
static int least_age(const crit_expr *e) {
  if (!e) return 0;
  if (e->op == OP_AND) {
    int a = least_age(e->a), b = least_age(e->b);
    return a > b ? a : b;
  }
  if (e->op != OP_CMP || !e->a || !e->b || e->a->op != OP_FIELD || strcmp(e->a->name, "age") ||
      e->b->op != OP_NUMBER)
    return 0;
  if (!strcmp(e->name, ">=")) return (int)ceil(e->b->number);
  if (!strcmp(e->name, ">")) return (int)floor(e->b->number) + 1;
  return 0;
}

/* Every row of the plan's unit. */
static int put_rows(fill *f) {
  const tmpl_plan *p = f->p;
  const source *src = source_of(p);
  int32_t day = date_from_ymd(p->year, 12, 31);
  walk(f, p->unit, day, src ? NULL : crit_entity_name(p->title->entity));
  if (p->title) {
    int rc = load_records(f);
    if (rc) return rc;
  }
  if (!src) {
    for (size_t i = 0; i < f->nevaluated; i++) put_row(f, NULL, NULL, f->evaluated[i]->code);
    return HT_OK;
  }
  db_stmt *s;
  int rc = db_prepare(f->d, src->sql, &s);
  if (rc) return ht_err_set(f->err, rc, "cannot read the registry: %s", db_errmsg(f->d));
  char date[11];
  db_bind_int64(s, 1, db_prov(f->d));
  db_bind_int64(s, 2, p->year);
  db_bind_text(s, 3, date_format(day, date));
  /* persons too young for a person title are left out (their birth year is
   * column 4 of persons_src) */
  int min_age = p->title && src == &persons_src ? least_age(p->title->eligible) : 0;
  int64_t seen;
  int top = !p->unit->parent_code; /* the province: every donor */
  char last[32] = "";
  while ((rc = db_step(s)) == DB_ROW) {
    const char *entity = db_col_text(s, 1);
    if (src->per_donor && !strcmp(entity, last)) continue; /* given once already */
    if ((strmap_get(&f->subtree, db_col_text(s, 0), &seen) || (src->per_donor && top)) &&
        (!min_age || p->year - db_col_int64(s, 4) >= min_age)) {
      put_row(f, src, s, arena_strdup(p->a, entity));
      snprintf(last, sizeof last, "%s", entity);
    }
  }
  db_finalize(s);
  if (rc < 0) return ht_err_set(f->err, rc, "cannot read the registry: %s", db_errmsg(f->d));
  return HT_OK;
}

/* Writes the rows of the plan's unit (none for an empty template). */
static int fill_rows(db *d, const tmpl_plan *p, tbl_out *out, ht_err *err) {
  if (!p->unit) return HT_OK;
  fill f = {.d = d, .p = p, .out = out, .err = err};
  strmap_init(&f.subtree);
  strmap_init(&f.records);
  int rc = put_rows(&f);
  strmap_free(&f.subtree);
  strmap_free(&f.records);
  return rc;
}

/* ----------------------------------------------------------- the files */

/* A column wide enough for its header (in characters), within limits. */
static double column_width(const intake_col *c) {
  double chars = 0;
  for (const char *s = c->header_vi; *s; s++) chars += ((unsigned char)*s & 0xC0) != 0x80;
  double w = chars + 3, least = 10, most = c->type == IT_ITEM ? 30 : 40;
  if (c->type == IT_NAME || c->type == IT_TEXT) least = 28;
  if (c->type == IT_CITIZEN_ID || c->type == IT_REGISTERED) least = 16;
  return w < least ? least : w > most ? most : w;
}

/* Typed codes, IDs, names, telephone numbers and dates stay text (leading
 * zeros, 03/04). */
static int column_as_text(const intake_col *c) {
  return c->type == IT_CODE || c->type == IT_NAME || c->type == IT_TEXT ||
         c->type == IT_CITIZEN_ID || c->type == IT_REGISTERED || c->type == IT_PHONE ||
         c->type == IT_DATE || c->type == IT_TAGS;
}

int tmpl_write(db *d, const tmpl_plan *p, tbl_out *out, long *rows, ht_err *err) {
  xlsxw *w = out->xlsx; /* NULL for CSV: the header row, then the rows */
  for (size_t i = 0; w && i < p->ncols; i++)
    xlsxw_column(w, (int)i, column_width(&p->cols[i]), column_as_text(&p->cols[i]));
  if (w) {
    xlsxw_title(w, sheet_title(p));
    xlsxw_end_row(w); /* not a row of data */
  }
  for (size_t i = 0; i < p->ncols; i++) {
    const intake_col *c = &p->cols[i];
    tbl_head(out, c->header_vi);
    if (!w) continue;
    xlsxw_comment(w, c->rule_vi);
    /* a registration may also be a date, a list several words: offer the
     * choices, refuse nothing */
    if (c->choices)
      xlsxw_choices(w, (int)i, c->choices, c->type != IT_REGISTERED && !c->open_choices);
  }
  tbl_end_row(out);
  if (w) xlsxw_freeze_rows(w);
  long before = out->rows;
  int rc = fill_rows(d, p, out, err);
  *rows = out->rows - before;
  return rc;
}
