/* regform.c - a household with its members, a clan or a learning unit saved
 * from a form by the import's rules, in one transaction (regform.h). */
#include "services/regform.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* The import's key of the object's code column. */
static const char *code_key(intake_kind k) {
  return k == INTAKE_HOUSEHOLDS ? "household_code" : k == INTAKE_CLANS ? "clan_code" : "unit_code";
}

static const char *object_kind(intake_kind k) {
  return k == INTAKE_HOUSEHOLDS ? "household" : k == INTAKE_CLANS ? "clan" : "organisation";
}

static json_t *str_or_null(const char *s) {
  return s ? json_string(s) : json_null();
}

/* A household for the audit trail: members keyed by their id, so a change
 * of one member shows as that member's fields; citizen IDs masked (the
 * trail is read by people without personal.read). */
static json_t *household_audit(const reg_household *h, int year, arena *a) {
  json_t *members = json_object();
  for (size_t i = 0; i < h->nmembers; i++) {
    const reg_person *p = &h->members[i];
    json_t *m = json_pack(
        "{sssisssosi}", "full_name", p->full_name, "birth_year", p->birth_year, "gender", p->gender,
        "citizen_id", str_or_null(reg_mask_citizen_id(p->citizen_id, a)), "in_year", p->has_year);
    if (p->has_year) {
      json_object_set_new(m, "literate", json_boolean(p->literate));
      json_object_set_new(m, "in_school", json_boolean(p->in_school));
      json_object_set_new(m, "school_result", str_or_null(p->school_result));
      json_object_set_new(m, "conduct", str_or_null(p->conduct));
      json_object_set_new(m, "topics_completed", json_integer(p->topics_completed));
    }
    json_object_set_new(members, arena_sprintf(a, "P%lld", (long long)p->id), m);
  }
  return json_pack("{sssssssosisoso}", "code", h->code, "head_name", h->head_name, "address",
                   h->address, "village", str_or_null(h->village_code), "year", year, "clan",
                   str_or_null(h->clan_code), "members", members);
}

/* The stored object (HT_ENOTFOUND when none) into res, and as audit JSON. */
static int read_object(db *d, const regform_req *q, const char *code, arena *a, regform_result *res,
                       json_t **audit_json, const char **unit) {
  int rc;
  switch (q->kind) {
    case INTAKE_HOUSEHOLDS:
      rc = reg_household_get(d, code, q->year, a, &res->household);
      if (rc == HT_OK) {
        *audit_json = household_audit(&res->household, q->year, a);
        *unit = res->household.village_code;
      }
      return rc;
    case INTAKE_CLANS:
      rc = reg_clan_get(d, code, a, &res->clan);
      if (rc == HT_OK) {
        *audit_json = json_pack("{ssssss}", "code", res->clan.code, "name", res->clan.name,
                                "village", res->clan.village_code);
        *unit = res->clan.village_code;
      }
      return rc;
    default:
      rc = reg_org_get(d, code, q->year, a, &res->org);
      if (rc == HT_OK) {
        *audit_json =
            json_pack("{sssssssosi}", "code", res->org.code, "name", res->org.name, "kind",
                      res->org.kind, "admin", str_or_null(res->org.admin_code), "year", q->year);
        *unit = res->org.admin_code;
      }
      return rc;
  }
}

/* The cells of a row with one more: key = value (the code, or a member's household). */
static intake_cell *with_cell(const intake_cell *cells, size_t n, const char *key,
                              const char *value, arena *a) {
  intake_cell *out = arena_alloc(a, (n + 1) * sizeof *out);
  if (n) memcpy(out, cells, n * sizeof *out);
  out[n] = (intake_cell){key, value};
  return out;
}

static char *dump(json_t *o) {
  return o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
}

int regform_save(db *d, const audit_actor *who, const regform_req *q, arena *a, regform_result *res,
                 ht_err *err) {
  memset(res, 0, sizeof *res);
  if (q->kind != INTAKE_HOUSEHOLDS && q->kind != INTAKE_CLANS && q->kind != INTAKE_UNITS)
    return ht_err_set(err, HT_EINVAL, "a form saves a household, a clan or a learning unit");
  int rc = db_begin(d);
  if (rc != HT_OK)
    return ht_err_set(err, rc == HT_EBUSY ? HT_EBUSY : rc,
                      "the database is busy or cannot be written: %s; try again", db_errmsg(d));
  res->generation = db_data_version(d);
  intake_opts o = {0};
  o.kind = q->kind;
  o.year = q->year;
  o.in_scope = q->in_scope;
  o.scope_ctx = q->scope_ctx;
  intake_form *f = NULL;
  intake_form_open(d, who, &o, a, &res->rep, &f);
  json_t *before = NULL, *after = NULL;
  const char *unit_before = NULL, *unit_after = NULL;
  char made[24];
  const char *code = q->code;
  for (size_t i = 0; i < q->nextra; i++) {
    const intake_problem *p = &q->extra[i];
    intake_form_problem(f, p->row, p->column, p->value, p->msg_en, p->msg_vi);
  }
  if (!q->create) {
    regform_result stored;
    rc = read_object(d, q, code ? code : "", a, &stored, &before, &unit_before);
    if (rc != HT_OK) {
      if (rc != HT_ENOTFOUND) ht_err_set(err, rc, "cannot read %s: %s", code, db_errmsg(d));
      goto end;
    }
  } else if (code) {
    regform_result stored;
    json_t *ignored = NULL;
    const char *unit = NULL;
    rc = read_object(d, q, code, a, &stored, &ignored, &unit);
    json_decref(ignored);
    if (rc == HT_OK)
      intake_form_problem(
          f, 0, code_key(q->kind), code,
          arena_sprintf(a, "code %s is taken; open that %s to change it, or leave the code out",
                        code, object_kind(q->kind)),
          arena_sprintf(a, "Mã %s đã có; hãy mở %s đó để sửa, hoặc để trống mã để hệ thống tự cấp",
                        code, intake_kind_label_vi(q->kind)));
    else if (rc != HT_ENOTFOUND) {
      ht_err_set(err, rc, "cannot read %s: %s", code, db_errmsg(d));
      goto end;
    }
  } else {
    if ((rc = intake_new_code(d, q->kind, made, sizeof made, err)) != HT_OK) goto end;
    code = made;
  }
  res->code = arena_strdup(a, code);

  /* The object, then its members, as rows of the import. */
  if (q->kind == INTAKE_HOUSEHOLDS) intake_form_household(f, res->code);
  rc = intake_form_row(f, q->kind, 0,
                       with_cell(q->cells, q->ncells, code_key(q->kind), res->code, a),
                       q->ncells + 1, 0, err);
  for (size_t i = 0; rc == HT_OK && q->kind == INTAKE_HOUSEHOLDS && i < q->nmembers; i++) {
    const regform_member *m = &q->members[i];
    rc = intake_form_row(f, INTAKE_PERSONS, (long)i + 1,
                         with_cell(m->cells, m->ncells, "household_code", res->code, a),
                         m->ncells + 1, m->person_id, err);
  }
  if (rc != HT_OK) goto end;
  if (res->rep.problems_total) {
    rc = HT_EINVAL;
    goto end;
  }
  res->changed = res->rep.added + res->rep.changed > 0;
  rc = read_object(d, q, res->code, a, res, &after, &unit_after);
  if (rc != HT_OK) {
    ht_err_set(err, rc, "cannot read %s back: %s", res->code, db_errmsg(d));
    goto end;
  }
  /* A dry run, or a save that changes nothing: roll back, so the database,
   * its generation and the audit trail stay as they are. */
  if (q->dry_run || !res->changed) goto end;
  char *before_text = dump(before), *after_text = dump(after);
  const char *action =
      arena_sprintf(a, "%s.%s", object_kind(q->kind), before ? "update" : "create");
  const char *unit = unit_after ? unit_after : unit_before ? unit_before : "";
  audit_entry e = {action, object_kind(q->kind), res->code, unit, before_text, after_text};
  rc = audit_append(d, who, &e, err);
  free(before_text);
  free(after_text);
  if (rc != HT_OK) goto end;
  intake_form_close(f); /* its statements are finalised before COMMIT */
  f = NULL;
  rc = db_commit(d);
  if (rc != HT_OK) {
    ht_err_set(err, rc, "cannot commit: %s", db_errmsg(d));
    goto end;
  }
  res->written = 1;
end:
  intake_form_close(f);
  if (!res->written) db_rollback(d);
  json_decref(before);
  json_decref(after);
  return rc;
}
