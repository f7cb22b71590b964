/* intake_json.c - an import report as JSON. */
#include "faces/intake_json.h"

#include <stdio.h>
#include <string.h>

#include "io/xlsx.h"

static json_t *str_or_null(const char *s) {
  return s ? json_string(s) : json_null();
}

json_t *intake_report_json(const intake_opts *o, const intake_report *rep, const char *lang) {
  int en = lang && !strcmp(lang, "en");
  json_t *ps = json_array();
  for (long i = 0; i < rep->nproblems; i++) {
    const intake_problem *p = &rep->problems[i];
    char col[4] = "", ref[32] = "";
    if (p->col >= 0) xlsx_column_name((size_t)p->col, col);
    if (p->col >= 0 && p->row > 0) snprintf(ref, sizeof ref, "%s%ld", col, p->row);
    json_array_append_new(
        ps,
        json_pack("{sI so so so so so so ss}", "row", (json_int_t)p->row, "column",
                  col[0] ? json_string(col) : json_null(), "cell",
                  ref[0] ? json_string(ref) : json_null(), "field", str_or_null(p->column), "value",
                  str_or_null(p->value), "message", json_string(en ? p->msg_en : p->msg_vi),
                  "message_en", json_string(p->msg_en), "message_vi", p->msg_vi));
  }
  json_t *enc = json_null();
  if (rep->format && !strcmp(rep->format, "csv") && rep->enc.enc != TENC_AUTO)
    enc = json_pack("{sssbsi}", "name", tenc_name(rep->enc.enc), "detected", o->enc == TENC_AUTO,
                    "confidence", rep->enc.confidence);
  json_t *out = json_pack(
      "{ss ss so so so si so so sI sI sI sI sb sb sI so}", "file", rep->file, "kind",
      intake_kind_name(o->kind), "format", str_or_null(rep->format), "sheet",
      str_or_null(rep->sheet), "encoding", enc, "year", rep->year, "title", str_or_null(rep->title),
      "header_row", rep->header_row ? json_integer(rep->header_row) : json_null(), "rows",
      (json_int_t)rep->rows, "added", (json_int_t)rep->added, "changed", (json_int_t)rep->changed,
      "unchanged", (json_int_t)rep->unchanged, "dry_run", rep->dry_run, "written", rep->written,
      "problems_total", (json_int_t)rep->problems_total, "problems", ps);
  /* the funds' rows carry their own dates: no year of the import */
  if (intake_kind_is_fund(o->kind)) json_object_set_new(out, "year", json_null());
  if (o->kind == INTAKE_DONATIONS)
    json_object_set_new(out, "donors_added", json_integer(rep->donors_added));
  return out;
}
