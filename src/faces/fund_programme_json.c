/* fund_programme_json.c - see fund_programme_json.h. */
#include "faces/fund_programme_json.h"

#include <time.h>

static json_t *id_json(int64_t id) {
  return id ? json_sprintf("%lld", (long long)id) : json_null();
}

static json_t *text_or_null(const char *s) {
  return s && *s ? json_string(s) : json_null();
}

/* Epoch ms as "2025-12-31T10:00:00Z"; null for 0. */
static json_t *time_json(int64_t ms) {
  if (!ms) return json_null();
  time_t t = (time_t)(ms / 1000);
  struct tm tm;
  char buf[32];
  gmtime_r(&t, &tm);
  strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return json_string(buf);
}

json_t *fund_programme_json(const fund_programme *p) {
  json_t *o = json_pack("{ssssssssss}", "code", p->code, "name", p->name, "fund", p->fund_code,
                        "unit", p->unit_code, "rules", p->rules);
  json_object_set_new(o, "id", id_json(p->id));
  json_object_set_new(o, "created_at", time_json(p->created_at));
  json_object_set_new(o, "created_by", json_string(p->created_by));
  return o;
}

json_t *fund_batch_json(const fund_batch *b) {
  json_t *o = json_pack("{sssssssssisssIsI}", "programme", b->programme_code, "programme_name",
                        b->programme_name, "fund", b->fund_code, "unit", b->unit_code, "year",
                        b->year, "state", fund_batch_state_name(b->state), "total",
                        (json_int_t)b->total, "count", (json_int_t)b->count);
  json_object_set_new(o, "id", id_json(b->id));
  json_object_set_new(o, "programme_id", id_json(b->programme_id));
  json_object_set_new(o, "decision",
                      *b->decision_number
                          ? json_pack("{ssssss}", "number", b->decision_number, "date",
                                      b->decision_date, "signer", b->decision_signer)
                          : json_null());
  json_object_set_new(o, "approved_by", text_or_null(b->approved_by));
  json_object_set_new(o, "approved_at", time_json(b->approved_at));
  json_object_set_new(o, "paid_on", text_or_null(b->paid_on));
  json_object_set_new(o, "paid_by", text_or_null(b->paid_by));
  json_object_set_new(o, "method", text_or_null(b->method));
  json_object_set_new(o, "cancel_reason", text_or_null(b->cancel_reason));
  json_object_set_new(o, "created_at", time_json(b->created_at));
  json_object_set_new(o, "created_by", json_string(b->created_by));
  if (!b->items) return o;
  json_t *items = json_array();
  for (size_t i = 0; i < b->nitems; i++) {
    const fund_batch_item *it = &b->items[i];
    json_t *x = json_pack("{sisssssIsssssssb}", "item", it->item, "name", it->name, "unit",
                          it->unit_code, "amount", (json_int_t)it->amount, "rule", it->rule,
                          "category", it->category, "reason", it->reason, "dropped", it->dropped);
    json_object_set_new(x, "beneficiary", id_json(it->beneficiary_id));
    json_object_set_new(x, "person", id_json(it->person_id));
    json_object_set_new(x, "birth_year",
                        it->birth_year ? json_integer(it->birth_year) : json_null());
    json_object_set_new(x, "entry", id_json(it->entry_id));
    json_array_append_new(items, x);
  }
  json_object_set_new(o, "items", items);
  return o;
}
