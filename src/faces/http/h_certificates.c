/* h_certificates.c - certificates of recognition as PDF and their template
 * (docs/workflow.md, docs/certificates.md):
 *   GET /api/v1/certificates/sample.pdf             the template in force with sample data
 *   GET /api/v1/certificates/{code}.pdf             one certificate (audited)
 *   GET /api/v1/decisions/{id}/certificates.pdf     every certificate of a decision (audited)
 *   GET|PUT|DELETE /api/v1/settings/certificate     the template in force
 * The QR codes point at this server's /verify/CODE, by the address the
 * caller used to reach it (the Host header; https behind a TLS proxy). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "faces/http/http.h"
#include "model/workflow.h"
#include "services/cert_print.h"

static int internal(http_req *r, const char *why) {
  return http_error(r, 500, "internal", NULL, why,
                    "Lỗi máy chủ khi in giấy công nhận; vui lòng thử lại hoặc báo quản trị viên.");
}

/* "https://host:port" as the caller reached the server. */
static const char *base_url(http_req *r) {
  const char *host = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Host");
  if (!host || !*host || strpbrk(host, " /\\\"<>")) host = "localhost";
  return arena_sprintf(&r->mem, "%s://%s", r->https ? "https" : "http", host);
}

static int send_pdf(http_req *r, strbuf *pdf, const char *name) {
  r->status = 200;
  r->content_type = "application/pdf";
  r->cache_control = "no-store";
  r->content_disposition = name;
  strbuf_free(&r->body);
  r->body = *pdf;
  memset(pdf, 0, sizeof *pdf);
  return 0;
}

static int print_audited(http_req *r, const wf_certificate *certs, size_t n, const char *object_id,
                         const char *unit, const char *name) {
  strbuf pdf = STRBUF_INIT;
  ht_err err = {0};
  if (cert_print(r->db, &r->app->criteria, certs, n, base_url(r), &pdf, &err)) {
    strbuf_free(&pdf);
    return internal(r, err.msg);
  }
  json_t *codes = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(codes, json_string(certs[i].code));
  json_t *after = json_pack("{sIso}", "pages", (json_int_t)n, "codes", codes);
  char *aj = json_dumps(after, JSON_COMPACT);
  json_decref(after);
  audit_actor who = http_actor(r);
  audit_entry e = {
      "certificate.print", n == 1 ? "certificate" : "decision", object_id, unit, NULL, aj};
  int rc = audit_append_tx(r->db, &who, &e, &err);
  free(aj);
  if (rc) {
    strbuf_free(&pdf);
    return internal(r, err.msg);
  }
  return send_pdf(r, &pdf, name);
}

int h_certificate_pdf(http_req *r) {
  wf_certificate c;
  if (wf_certificate_get(r->db, r->params[0], &r->mem, &c) != HT_OK)
    return http_error(r, 404, "not_found", "code", "no certificate has this code",
                      "Không có giấy công nhận mang mã này.");
  return print_audited(r, &c, 1, c.code, c.place,
                       arena_sprintf(&r->mem, "giay-cong-nhan-%s.pdf", c.code));
}

int h_decision_certificates_pdf(http_req *r) {
  char *end;
  long long id = strtoll(r->params[0], &end, 10);
  wf_decision d;
  if (*end || wf_decision_get(r->db, id, &r->mem, &d) != HT_OK)
    return http_error(r, 404, "not_found", "id", "no such decision",
                      "Không tìm thấy quyết định này.");
  wf_certificate *certs;
  size_t n;
  if (wf_certificates_of(r->db, id, &r->mem, &certs, &n)) return internal(r, db_errmsg(r->db));
  /* revoked certificates are not printed again */
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (!certs[i].revoked_at) certs[k++] = certs[i];
  if (!k)
    return http_error(r, 404, "no_certificates", "id",
                      "the decision has no valid certificate to print",
                      "Quyết định không có giấy công nhận nào còn hiệu lực để in.");
  if (k > CERT_RENDER_MAX)
    return http_error(r, 413, "too_many", "id", "more certificates than one PDF holds",
                      "Quá nhiều giấy công nhận cho một tệp PDF.");
  return print_audited(r, certs, k, r->params[0], d.unit_code,
                       arena_sprintf(&r->mem, "giay-cong-nhan-qd-%s.pdf", r->params[0]));
}

int h_certificate_sample(http_req *r) {
  arena *a = &r->mem;
  cert_template t;
  ht_err err = {0};
  if (cert_template_load(r->db, a, &t, NULL, NULL, &err)) return internal(r, err.msg);
  cert_data d[3];
  for (size_t i = 0; i < 3; i++) cert_sample(i * 5, a, &d[i]);
  strbuf pdf = STRBUF_INIT;
  if (cert_render_pdf(&t, d, 3, &pdf, &err)) {
    strbuf_free(&pdf);
    return internal(r, err.msg);
  }
  return send_pdf(r, &pdf, "mau-giay-cong-nhan.pdf");
}

/* ------------------------------------------------------------ template */

static const char *type_name(cert_field_type t) {
  switch (t) {
    case CERT_FIELD_COLOUR: return "colour";
    case CERT_FIELD_NUMBER: return "number";
    case CERT_FIELD_CHOICE: return "choice";
    default: return "text";
  }
}

/* The value of field f in template text (its "key = value" line), from a. */
static const char *field_value(const char *text, const char *key, arena *a) {
  size_t klen = strlen(key);
  for (const char *p = text; p && *p;) {
    const char *eol = strchr(p, '\n');
    size_t n = eol ? (size_t)(eol - p) : strlen(p);
    const char *q = p;
    while (*q == ' ' || *q == '\t') q++;
    if (!strncmp(q, key, klen)) {
      const char *v = q + klen;
      while (*v == ' ' || *v == '\t') v++;
      if (*v == '=') {
        v++;
        while (*v == ' ' || *v == '\t') v++;
        size_t vn = (size_t)(p + n - v);
        while (vn && (v[vn - 1] == ' ' || v[vn - 1] == '\r')) vn--;
        return arena_strndup(a, v, vn);
      }
    }
    p = eol ? eol + 1 : NULL;
  }
  return "";
}

int h_settings_certificate_get(http_req *r) {
  cert_template t;
  const char *text = NULL;
  int is_default = 1;
  ht_err err = {0};
  if (cert_template_load(r->db, &r->mem, &t, &text, &is_default, &err)) return internal(r, err.msg);
  strbuf full = STRBUF_INIT;
  cert_template_format(&t, &full);
  json_t *fields = json_array();
  for (size_t i = 0; i < cert_template_nfields; i++) {
    const cert_field_info *f = &cert_template_fields[i];
    json_t *o = json_pack("{ssssssss}", "key", f->key, "type", type_name(f->type), "label_vi",
                          f->label_vi, "label_en", f->label_en);
    if (f->type == CERT_FIELD_NUMBER) {
      json_object_set_new(o, "min", json_integer(f->min));
      json_object_set_new(o, "max", json_integer(f->max));
    }
    if (f->type == CERT_FIELD_CHOICE && f->choices) {
      json_t *ch = json_array();
      for (const char *const *c = f->choices; *c; c++) json_array_append_new(ch, json_string(*c));
      json_object_set_new(o, "choices", ch);
    }
    json_object_set_new(o, "value", json_string(field_value(strbuf_cstr(&full), f->key, &r->mem)));
    json_array_append_new(fields, o);
  }
  json_t *body =
      json_pack("{sssbso}", "text", strbuf_cstr(&full), "default", is_default, "fields", fields);
  strbuf_free(&full);
  return http_json(r, 200, body);
}

static int problems_422(http_req *r, const issues *p) {
  json_t *list = json_array();
  for (long i = 0; i < p->kept; i++)
    json_array_append_new(
        list, json_pack("{s:s?,s:s,s:s,s:I}", "field", p->items[i].field, "msg_en", p->items[i].msg,
                        "msg_vi", p->items[i].msg_vi ? p->items[i].msg_vi : p->items[i].msg, "line",
                        (json_int_t)p->items[i].row));
  const char *first = p->kept ? p->items[0].msg : "invalid";
  return http_json(
      r, 422,
      json_pack("{s:{s:s,s:s,s:s},s:o}", "error", "code", "invalid", "message", first, "message_vi",
                "Mẫu giấy công nhận có lỗi; xem danh sách lỗi theo từng dòng.", "problems", list));
}

/* PUT {"text": the whole template} or {"values": {"key": "value", ...}} (changed fields). */
int h_settings_certificate_put(http_req *r) {
  json_t *body = http_body_json(r);
  if (!body) return 0;
  const char *text = json_string_value(json_object_get(body, "text"));
  json_t *values = json_object_get(body, "values");
  strbuf b = STRBUF_INIT;
  if (!text && json_is_object(values)) {
    /* the template in force, then each changed field as a later line (a later
     * line would be a duplicate: rebuild the text field by field instead) */
    cert_template t;
    ht_err err = {0};
    const char *cur = NULL;
    if (cert_template_load(r->db, &r->mem, &t, &cur, NULL, &err)) {
      json_decref(body);
      return internal(r, err.msg);
    }
    strbuf full = STRBUF_INIT;
    cert_template_format(&t, &full);
    for (size_t i = 0; i < cert_template_nfields; i++) {
      const char *key = cert_template_fields[i].key;
      json_t *v = json_object_get(values, key);
      const char *val =
          json_is_string(v) ? json_string_value(v) : field_value(strbuf_cstr(&full), key, &r->mem);
      /* a value is one line: newlines are written as \n */
      strbuf_printf(&b, "%s = ", key);
      for (const char *p = val; *p; p++) {
        if (*p == '\n')
          strbuf_puts(&b, "\\n");
        else if (*p != '\r')
          strbuf_putc(&b, *p);
      }
      strbuf_putc(&b, '\n');
    }
    strbuf_free(&full);
    const char *k;
    json_t *v;
    json_object_foreach(values, k, v) {
      int known = 0;
      for (size_t i = 0; i < cert_template_nfields; i++)
        known |= !strcmp(k, cert_template_fields[i].key);
      if (!known) strbuf_printf(&b, "%s = %s\n", k, json_is_string(v) ? json_string_value(v) : "");
    }
    text = strbuf_cstr(&b);
  }
  if (!text) {
    json_decref(body);
    strbuf_free(&b);
    return http_error(r, 400, "missing_parameter", "text",
                      "send {\"text\": the template} or {\"values\": {key: value}}",
                      "Thiếu nội dung mẫu giấy công nhận.");
  }
  issues p;
  issues_init(&p, &r->mem);
  p.file = "certificate";
  ht_err err = {0};
  audit_actor who = http_actor(r);
  int rc = cert_template_store(r->db, &who, text, strlen(text), &p, &err);
  json_decref(body);
  strbuf_free(&b);
  if (rc == HT_EINVAL) return problems_422(r, &p);
  if (rc) return internal(r, err.msg);
  return h_settings_certificate_get(r);
}

int h_settings_certificate_delete(http_req *r) {
  ht_err err = {0};
  audit_actor who = http_actor(r);
  if (cert_template_reset(r->db, &who, &err)) return internal(r, err.msg);
  return h_settings_certificate_get(r);
}
