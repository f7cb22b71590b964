/* cert_print.c - the certificates of recognised records as PDF (see cert_print.h). */
#include "services/cert_print.h"

#include <string.h>

#include "model/settings.h"

int cert_template_load(db *d, arena *a, cert_template *t, const char **text, int *is_default,
                       ht_err *err) {
  const char *stored = NULL;
  int rc = settings_get(d, CERT_SETTINGS_KEY, a, &stored);
  if (rc) return ht_err_set(err, rc, "cannot read the certificate template: %s", db_errmsg(d));
  if (is_default) *is_default = !stored;
  if (!stored) {
    cert_template_default(t);
    if (text) {
      size_t len;
      *text = cert_template_default_text(&len);
    }
    return HT_OK;
  }
  issues problems;
  issues_init(&problems, a);
  rc = cert_template_parse("stored certificate template", stored, strlen(stored), a, t, &problems);
  if (rc)
    return ht_err_set(
        err, rc, "the stored certificate template is wrong (line %ld: %s); store it again",
        problems.kept ? problems.items[0].row : 0L, problems.kept ? problems.items[0].msg : "?");
  if (text) *text = stored;
  return HT_OK;
}

int cert_template_store(db *d, const audit_actor *who, const char *text, size_t len,
                        issues *problems, ht_err *err) {
  arena a;
  arena_init(&a, 0);
  cert_template t;
  int rc = cert_template_parse(problems->file ? problems->file : "certificate template", text, len,
                               &a, &t, problems);
  if (rc == HT_OK) {
    strbuf b = STRBUF_INIT;
    rc = cert_template_format(&t, &b);
    if (rc == HT_OK)
      rc = settings_put(d, who, CERT_SETTINGS_KEY, strbuf_cstr(&b), "settings.certificate", err);
    strbuf_free(&b);
  }
  arena_free(&a);
  return rc;
}

int cert_template_reset(db *d, const audit_actor *who, ht_err *err) {
  return settings_put(d, who, CERT_SETTINGS_KEY, NULL, "settings.certificate", err);
}

int cert_print(db *d, const crit_set *set, const wf_certificate *certs, size_t n,
               const char *verify_base, strbuf *out, ht_err *err) {
  arena a;
  arena_init(&a, 0);
  cert_template t;
  int rc = cert_template_load(d, &a, &t, NULL, NULL, err);
  cert_data *data = rc == HT_OK ? arena_calloc(&a, (n + 1) * sizeof *data) : NULL;
  wf_decision dec = {0};
  for (size_t i = 0; rc == HT_OK && i < n; i++) {
    const wf_certificate *c = &certs[i];
    if (!dec.id || dec.id != c->decision_id) {
      rc = wf_decision_get(d, c->decision_id, &a, &dec);
      if (rc) {
        ht_err_set(err, rc, "certificate %s: cannot read its decision", c->code);
        break;
      }
    }
    const char *name = c->title;
    for (const crit_title *x = set->titles; x; x = x->next)
      if (!strcmp(x->key, c->title) && x->name) name = x->name;
    cert_data *o = &data[i];
    o->code = c->code;
    o->verify_url = arena_sprintf(&a, "%s/verify/%s", verify_base, c->code);
    o->issuer_parent = dec.issuer_parent;
    o->issuer = dec.issuer;
    o->title_name = name;
    o->level = c->level;
    o->recipient = c->recipient;
    o->address = c->address;
    o->year = c->year;
    o->decision_number = dec.number;
    o->decision_date = dec.signed_on;
    o->place = dec.place_name;
    o->signer_position = dec.signer_position;
    o->signer_name = dec.signer_name;
    o->valid_until = c->valid_until;
  }
  if (rc == HT_OK) rc = cert_render_pdf(&t, data, n, out, err);
  arena_free(&a);
  return rc;
}
