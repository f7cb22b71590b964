/* unit_json.c - JSON for administrative units. */
#include "faces/unit_json.h"

#include <string.h>

#include "base/date.h"

static json_t *date_json(int32_t day) {
  char buf[11];
  return day == DATE_OPEN ? json_null() : json_string(date_format(day, buf));
}

static json_t *groups_json(const char *groups) {
  json_t *arr = json_array();
  const char *p = groups;
  while (p && *p) {
    const char *bar = strchr(p, '|');
    size_t n = bar ? (size_t)(bar - p) : strlen(p);
    if (n) json_array_append_new(arr, json_stringn(p, n));
    p = bar ? bar + 1 : NULL;
  }
  return arr;
}

json_t *unit_json(const hier *h, const hier_unit *u, const unit_count *counts) {
  json_t *o = json_object();
  json_object_set_new(o, "code", json_string(u->code));
  json_object_set_new(o, "name", json_string(u->name));
  json_object_set_new(o, "kind", json_string(u->kind->key));
  json_object_set_new(o, "kind_name", json_string(u->kind->name_vi));
  json_object_set_new(o, "kind_name_en", json_string(u->kind->name_en));
  json_object_set_new(o, "level", json_string(u->kind->level->key));
  json_object_set_new(o, "level_name", json_string(u->kind->level->name_vi));
  json_object_set_new(o, "level_name_en", json_string(u->kind->level->name_en));
  json_object_set_new(o, "parent_code", u->parent_code ? json_string(u->parent_code) : json_null());
  json_object_set_new(o, "valid_from", date_json(u->from_day));
  json_object_set_new(o, "valid_to", date_json(u->to_day));
  json_object_set_new(o, "groups", groups_json(u->groups));
  if (counts) {
    json_object_set_new(
        o, "counts",
        json_pack("{sIsIsIsI}", "households", (json_int_t)counts->households, "persons",
                  (json_int_t)counts->persons, "clans", (json_int_t)counts->clans, "organisations",
                  (json_int_t)counts->organisations));
  }
  return o;
}

json_t *unit_changes_json(const hier *h, const char *code, int successors, arena *a, int depth) {
  const hier_change **list;
  size_t n = successors ? hier_successors(h, code, a, &list) : hier_predecessors(h, code, a, &list);
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) {
    const char *other = successors ? list[i]->new_code : list[i]->old_code;
    size_t nv;
    const hier_unit *v = hier_versions(h, other, &nv);
    json_t *o = json_object();
    json_object_set_new(o, "code", json_string(other));
    json_object_set_new(o, "name", nv ? json_string(v[nv - 1].name) : json_null());
    json_object_set_new(o, "date", date_json(list[i]->day));
    if (depth < 16)
      json_object_set_new(o, successors ? "successors" : "predecessors",
                          unit_changes_json(h, other, successors, a, depth + 1));
    json_array_append_new(arr, o);
  }
  return arr;
}

json_t *unit_history_json(const hier *h, const char *code, arena *a) {
  size_t nv;
  const hier_unit *v = hier_versions(h, code, &nv);
  json_t *o = json_object();
  json_object_set_new(o, "code", json_string(code));
  json_object_set_new(o, "name", nv ? json_string(v[nv - 1].name) : json_null());
  json_t *versions = json_array();
  for (size_t i = 0; i < nv; i++) {
    json_t *ver = unit_json(h, &v[i], NULL);
    const hier_unit *p = v[i].parent_code ? hier_find(h, v[i].parent_code, v[i].from_day) : NULL;
    json_object_set_new(ver, "parent_name", p ? json_string(p->name) : json_null());
    json_array_append_new(versions, ver);
  }
  json_object_set_new(o, "versions", versions);
  json_object_set_new(o, "predecessors", unit_changes_json(h, code, 0, a, 0));
  json_object_set_new(o, "successors", unit_changes_json(h, code, 1, a, 0));
  return o;
}
