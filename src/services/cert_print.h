/*
 * cert_print.h - printing the certificates of recognised records
 * (docs/workflow.md, docs/certificates.md): the template in force (the one an
 * administrator stored, else the shipped default), what each certificate
 * shows (kept with it when it was issued, and its decision), and the PDF.
 */
#ifndef HOCTAP_SERVICES_CERT_PRINT_H
#define HOCTAP_SERVICES_CERT_PRINT_H

#include "base/arena.h"
#include "base/err.h"
#include "base/issues.h"
#include "base/strbuf.h"
#include "criteria/crit.h"
#include "model/audit.h"
#include "model/workflow.h"
#include "services/certificate.h"
#include "store/db.h"

#define CERT_SETTINGS_KEY "certificate"

/* The template in force into t (strings from a); *text (may be NULL) gets
 * its text form and *is_default whether it is the shipped one. */
int cert_template_load(db *d, arena *a, cert_template *t, const char **text, int *is_default,
                       ht_err *err);
/* Checks text and stores it as the template in force (audited as
 * settings.certificate). HT_EINVAL with problems (their line). */
int cert_template_store(db *d, const audit_actor *who, const char *text, size_t len,
                        issues *problems, ht_err *err);
/* Back to the shipped template (audited). */
int cert_template_reset(db *d, const audit_actor *who, ht_err *err);

/* Renders certs[0..n) with the template in force into out (a PDF, one page
 * each). verify_base is the address the QR codes point at, without the
 * trailing slash ("https://hoctap.haiphong.gov.vn"): each code's page is
 * verify_base + "/verify/" + code. Titles' names come from set. The caller
 * audits the print. */
int cert_print(db *d, const crit_set *set, const wf_certificate *certs, size_t n,
               const char *verify_base, strbuf *out, ht_err *err);

#endif
