/* h_regform.c - the registry forms (docs/registry-forms.md, docs/api.md):
 *   POST /api/v1/households           a household with its members
 *   PUT  /api/v1/households/{code}    its fields and members for the year
 *   POST /api/v1/clans, PUT /api/v1/clans/{code}
 *   POST /api/v1/organisations, PUT /api/v1/organisations/{code}
 * The JSON body becomes rows of the import's kinds (field -> column key);
 * services/regform.c checks and writes them by the import's rules in one
 * transaction. Problems come back as 422 naming each field
 * ("members[2].citizen_id") in Vietnamese and English; nothing is written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "faces/http/http.h"
#include "services/regform.h"

#define FORM_MAX_MEMBERS 100

/* A field of a form: its JSON name and the import's column key. */
typedef struct form_field {
  const char *name, *key;
  int ref; /* a code, also given as an object {"code": ...} (as GET answers) */
} form_field;

static const form_field household_fields[] = {{"village", "village_code", 1},
                                              {"head_name", "head_name", 0},
                                              {"address", "address", 0},
                                              {"clan", "clan_code", 1},
                                              {NULL, NULL, 0}};
static const form_field member_fields[] = {{"full_name", "full_name", 0},
                                           {"birth_year", "birth_year", 0},
                                           {"gender", "gender", 0},
                                           {"citizen_id", "citizen_id", 0},
                                           {"literate", "literate", 0},
                                           {"in_school", "in_school", 0},
                                           {"school_result", "school_result", 0},
                                           {"conduct", "conduct", 0},
                                           {"topics_completed", "topics_completed", 0},
                                           {NULL, NULL, 0}};
static const form_field clan_fields[] = {
    {"name", "name", 0}, {"village", "village_code", 1}, {NULL, NULL, 0}};
static const form_field org_fields[] = {
    {"name", "name", 0}, {"kind", "kind", 0}, {"admin", "admin_code", 1}, {NULL, NULL, 0}};

/* Fields read apart from the table, and those of a GET answer that a client
 * sending the object back may leave in (read-only). */
static const char *const object_apart[] = {"year",      "code",      "members",
                                           "ancestors", "kind_name", NULL};
static const char *const member_apart[] = {"id", "citizen_id_masked", NULL};

static const form_field *fields_of(intake_kind k) {
  return k == INTAKE_HOUSEHOLDS ? household_fields : k == INTAKE_CLANS ? clan_fields : org_fields;
}

static const char *code_key(intake_kind k) {
  return k == INTAKE_HOUSEHOLDS ? "household_code" : k == INTAKE_CLANS ? "clan_code" : "unit_code";
}

/* The problems of the request's shape, and the request being read. */
typedef struct form {
  http_req *r;
  intake_problem *probs;
  size_t n, cap;
} form;

static void problem(form *f, long row, const char *field, const char *value, const char *en,
                    const char *vi) {
  f->probs = arena_grow(&f->r->mem, f->probs, f->n, &f->cap, sizeof *f->probs);
  f->probs[f->n++] = (intake_problem){row, -1, field, value, en, vi};
}

static int listed(const char *const *names, const char *name) {
  for (int i = 0; names[i]; i++)
    if (!strcmp(names[i], name)) return 1;
  return 0;
}

/* The text of a field's JSON value as a cell of the import: strings as they
 * are, numbers written out, true/false as 1/0, null as empty (clears an
 * optional value), {"code": ...} for a code. NULL (with a problem) for
 * anything else. */
static const char *value_text(form *f, long row, const char *name, json_t *v, int ref) {
  arena *a = &f->r->mem;
  if (json_is_string(v)) return arena_strdup(a, json_string_value(v));
  if (json_is_integer(v)) return arena_sprintf(a, "%lld", (long long)json_integer_value(v));
  if (json_is_real(v)) return arena_sprintf(a, "%.15g", json_real_value(v));
  if (json_is_true(v)) return "1";
  if (json_is_false(v)) return "0";
  if (json_is_null(v)) return "";
  if (ref && json_is_object(v) && json_is_string(json_object_get(v, "code")))
    return arena_strdup(a, json_string_value(json_object_get(v, "code")));
  problem(f, row, name, NULL, arena_sprintf(a, "%s must be a text or a number", name),
          arena_sprintf(a, "Trường %s phải là chữ hoặc số", name));
  return NULL;
}

/* The cells of obj's fields, as the import's columns; unknown fields are
 * problems (a misspelt field must not be skipped silently, as in a file). */
static intake_cell *cells_of(form *f, long row, json_t *obj, const form_field *fields,
                             const char *const *apart, size_t *n) {
  arena *a = &f->r->mem;
  intake_cell *out = arena_calloc(a, (json_object_size(obj) + 1) * sizeof *out);
  *n = 0;
  const char *name;
  json_t *v;
  json_object_foreach(obj, name, v) {
    if (listed(apart, name)) continue;
    const form_field *ff = fields;
    while (ff->name && strcmp(ff->name, name)) ff++;
    if (!ff->name) {
      strbuf known = STRBUF_INIT;
      for (const form_field *k = fields; k->name; k++)
        strbuf_printf(&known, "%s%s", known.len ? ", " : "", k->name);
      problem(f, row, arena_strdup(a, name), NULL,
              arena_sprintf(a, "unknown field %s; the fields are %s", name, strbuf_cstr(&known)),
              arena_sprintf(a, "Trường %s không có trong biểu mẫu; các trường là: %s", name,
                            strbuf_cstr(&known)));
      strbuf_free(&known);
      continue;
    }
    const char *text = value_text(f, row, ff->name, v, ff->ref);
    if (!text) continue;
    /* A masked citizen ID (031******789, as GET shows it to those without
     * personal.read) keeps the stored one. */
    if (!strcmp(ff->key, "citizen_id") && strchr(text, '*')) continue;
    out[(*n)++] = (intake_cell){ff->key, text};
  }
  return out;
}

/* The JSON name of a problem's field: "village", "members[2].citizen_id",
 * "members[2]" (the member as a whole). */
static const char *field_name(http_req *r, intake_kind kind, const intake_problem *p) {
  const char *key = p->column;
  const char *name = key;
  if (key) {
    const form_field *fields = p->row == 0 ? fields_of(kind) : member_fields;
    for (const form_field *ff = fields; ff->name; ff++)
      if (!strcmp(ff->key, key)) name = ff->name;
    if (p->row == 0 && !strcmp(key, code_key(kind))) name = "code";
    if (p->row > 0 && !strcmp(key, "household_code")) name = NULL;
  }
  if (p->row == 0) return name;
  return name ? arena_sprintf(&r->mem, "members[%ld].%s", p->row - 1, name)
              : arena_sprintf(&r->mem, "members[%ld]", p->row - 1);
}

static int problems_answer(http_req *r, intake_kind kind, const intake_report *rep) {
  const char *lang = http_query(r, "lang");
  int en = lang && !strcmp(lang, "en");
  /* The object's problems first, then member by member: the shape's
   * problems were found before the import's rules ran. A stable insertion
   * sort by row (at most INTAKE_PROBLEMS_KEPT). */
  long *order = arena_alloc(&r->mem, ((size_t)rep->nproblems + 1) * sizeof *order);
  for (long i = 0; i < rep->nproblems; i++) {
    long j = i;
    while (j > 0 && rep->problems[order[j - 1]].row > rep->problems[i].row) {
      order[j] = order[j - 1];
      j--;
    }
    order[j] = i;
  }
  json_t *list = json_array();
  for (long i = 0; i < rep->nproblems; i++) {
    const intake_problem *p = &rep->problems[order[i]];
    const char *field = field_name(r, kind, p);
    json_array_append_new(
        list, json_pack("{sosossssss}", "field", field ? json_string(field) : json_null(), "value",
                        p->value ? json_string(p->value) : json_null(), "msg_vi", p->msg_vi,
                        "msg_en", p->msg_en, "message", en ? p->msg_en : p->msg_vi));
  }
  json_t *e = json_pack(
      "{sssossss}", "code", "invalid", "parameter", json_null(), "message",
      arena_sprintf(&r->mem, "the form has %ld problem(s); nothing was saved", rep->problems_total),
      "message_vi",
      arena_sprintf(&r->mem, "Biểu mẫu có %ld lỗi; chưa lưu gì. Hãy sửa các mục được đánh dấu.",
                    rep->problems_total));
  return http_json(r, 422,
                   json_pack("{sosIsosb}", "error", e, "problems_total",
                             (json_int_t)rep->problems_total, "problems", list, "written", 0));
}

/* The year of the form: the body's, else ?year=, else this year. */
static int form_year(form *f, json_t *body) {
  http_req *r = f->r;
  int year = date_year(date_today());
  const char *query = http_query(r, "year");
  json_t *v = json_object_get(body, "year");
  const char *text = v ? value_text(f, 0, "year", v, 0) : query;
  if (!text || !*text) return year;
  char *end;
  long y = strtol(text, &end, 10);
  if (*end || y < 2000 || y > 2100) {
    problem(f, 0, "year", text, "year must be a year from 2000 to 2100, e.g. 2025",
            "Năm phải là một năm từ 2000 đến 2100, ví dụ 2025");
    return year;
  }
  if (v && query && *query && strtol(query, NULL, 10) != y)
    problem(
        f, 0, "year", text,
        arena_sprintf(&r->mem, "the body's year %ld differs from ?year=%s", y, query),
        arena_sprintf(&r->mem, "Năm %ld trong biểu mẫu khác với năm %s trên địa chỉ", y, query));
  return (int)y;
}

/* Units named by a form are placed on 31 December of its year. */
static int unit_in_scope(void *ctx, const char *unit_code, int year) {
  return http_in_scope(ctx, unit_code, date_from_ymd(year, 12, 31));
}

static int save(http_req *r, intake_kind kind, int create) {
  json_t *body = http_body_json(r);
  if (!body) return 0;
  form f = {r, NULL, 0, 0};
  regform_req q = {0};
  q.kind = kind;
  q.create = create;
  q.code = create ? NULL : r->params[0];
  q.year = form_year(&f, body);
  const char *dry = http_query(r, "dry_run");
  q.dry_run = dry && (!strcmp(dry, "1") || !strcmp(dry, "true"));
  q.in_scope = unit_in_scope;
  q.scope_ctx = r;
  json_t *code = json_object_get(body, "code");
  const char *code_text = code ? value_text(&f, 0, "code", code, 0) : NULL;
  if (code_text && *code_text) {
    if (create)
      q.code = code_text;
    else if (strcmp(code_text, r->params[0]))
      problem(&f, 0, "code", code_text,
              "the code cannot be changed; leave it out or send the code of the address",
              "Không thể đổi mã; hãy bỏ trống hoặc giữ đúng mã đang sửa");
  }
  q.cells = cells_of(&f, 0, body, fields_of(kind), object_apart, &q.ncells);
  json_t *members = json_object_get(body, "members");
  if (kind == INTAKE_HOUSEHOLDS && members && !json_is_null(members)) {
    if (!json_is_array(members) || json_array_size(members) > FORM_MAX_MEMBERS) {
      problem(
          &f, 0, "members", NULL,
          arena_sprintf(&r->mem, "members must be a list of at most %d persons", FORM_MAX_MEMBERS),
          arena_sprintf(&r->mem, "Danh sách thành viên phải là một danh sách tối đa %d người",
                        FORM_MAX_MEMBERS));
    } else {
      size_t n = json_array_size(members);
      regform_member *m = arena_calloc(&r->mem, (n + 1) * sizeof *m);
      for (size_t i = 0; i < n; i++) {
        json_t *one = json_array_get(members, i);
        long row = (long)i + 1;
        if (!json_is_object(one)) {
          problem(&f, row, NULL, NULL, "a member must be an object of fields",
                  "Mỗi thành viên phải là một nhóm trường");
          continue;
        }
        json_t *id = json_object_get(one, "id");
        const char *id_text = id && !json_is_null(id) ? value_text(&f, row, "id", id, 0) : NULL;
        if (id_text && *id_text) {
          char *end;
          long long v = strtoll(id_text + (id_text[0] == 'P'), &end, 10);
          if (*end || v <= 0 || end == id_text + (id_text[0] == 'P'))
            problem(&f, row, "id", id_text, "id must be a member's id such as P123",
                    "Mã thành viên phải có dạng P123");
          else
            m[i].person_id = v;
        }
        m[i].cells = cells_of(&f, row, one, member_fields, member_apart, &m[i].ncells);
      }
      q.members = m;
      q.nmembers = n;
    }
  } else if (kind != INTAKE_HOUSEHOLDS && members) {
    problem(&f, 0, "members", NULL, "unknown field members",
            "Trường members không có trong biểu mẫu");
  }
  q.extra = f.probs;
  q.nextra = f.n;
  audit_actor who = http_actor(r);
  regform_result res;
  ht_err err = {0};
  int rc = regform_save(r->db, &who, &q, &r->mem, &res, &err);
  json_decref(body);
  if (rc == HT_EINVAL) return problems_answer(r, kind, &res.rep);
  if (rc == HT_ENOTFOUND)
    return http_error(r, 404, "not_found", "code", "nothing has this code",
                      "Không tìm thấy dữ liệu có mã này.");
  if (rc == HT_EBUSY)
    return http_error(r, 503, "busy", NULL, err.msg,
                      "Hệ thống đang bận ghi dữ liệu khác; vui lòng thử lại sau ít phút.");
  if (rc) return http_error(r, 500, "internal", NULL, err.msg, "Lỗi máy chủ khi lưu dữ liệu.");
  json_t *o = kind == INTAKE_HOUSEHOLDS ? http_household_json(r, &res.household, q.year)
              : kind == INTAKE_CLANS    ? http_clan_json(r, &res.clan, q.year)
                                        : http_org_json(r, &res.org, q.year);
  if (!o) return http_error(r, 500, "internal", NULL, "cannot load the hierarchy", "Lỗi máy chủ.");
  if (q.dry_run) {
    json_object_set_new(o, "dry_run", json_true());
    json_object_set_new(o, "changed", json_boolean(res.changed));
  }
  return http_json(r, create && !q.dry_run ? 201 : 200, o);
}

int h_household_create(http_req *r) {
  return save(r, INTAKE_HOUSEHOLDS, 1);
}

int h_household_update(http_req *r) {
  return save(r, INTAKE_HOUSEHOLDS, 0);
}

int h_clan_create(http_req *r) {
  return save(r, INTAKE_CLANS, 1);
}

int h_clan_update(http_req *r) {
  return save(r, INTAKE_CLANS, 0);
}

int h_org_create(http_req *r) {
  return save(r, INTAKE_UNITS, 1);
}

int h_org_update(http_req *r) {
  return save(r, INTAKE_UNITS, 0);
}
