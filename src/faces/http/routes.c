/* routes.c - the route table: every endpoint with its permission. */
#include <stdio.h>
#include <string.h>

#include "faces/http/http.h"

#define PUB ACCESS_PUBLIC, 0
#define USER ACCESS_USER, 0
#define NEEDS(p) ACCESS_PERM, (p)
#define DURING_CHANGE ROUTE_DURING_PASSWORD_CHANGE

/* Every endpoint, who may call it and which unit its object belongs to.
 * tests/api/test_access_matrix.py walks this table (hoctap routes) and fails
 * on a route it has no case for. */
const http_route http_routes[] = {
    {"GET", "/api/v1/meta", PUB, SCOPE_NONE, DURING_CHANGE, h_meta},
    /* the session: log in, who am I, log out, change password */
    {"POST", "/api/v1/session", PUB, SCOPE_NONE, DURING_CHANGE, h_session_login},
    {"GET", "/api/v1/session", USER, SCOPE_NONE, DURING_CHANGE, h_session_get},
    {"DELETE", "/api/v1/session", USER, SCOPE_NONE, DURING_CHANGE, h_session_logout},
    {"POST", "/api/v1/session/password", USER, SCOPE_NONE, DURING_CHANGE, h_session_password},
    {"POST", "/api/v1/session/logout-all", USER, SCOPE_NONE, DURING_CHANGE, h_session_logout_all},
    {"GET", "/api/v1/me/token", USER, SCOPE_NONE, 0, h_token_get},
    {"POST", "/api/v1/me/token", USER, SCOPE_NONE, 0, h_token_create},
    {"DELETE", "/api/v1/me/token", USER, SCOPE_NONE, 0, h_token_delete},
    /* accounts */
    {"GET", "/api/v1/roles", NEEDS(ACL_USERS_MANAGE), SCOPE_NONE, 0, h_roles},
    {"GET", "/api/v1/users", NEEDS(ACL_USERS_MANAGE), SCOPE_LIST, 0, h_users_list},
    {"POST", "/api/v1/users", NEEDS(ACL_USERS_MANAGE), SCOPE_BODY_UNIT, 0, h_user_create},
    {"POST", "/api/v1/users/{id}/disable", NEEDS(ACL_USERS_MANAGE), SCOPE_USER_PATH, 0,
     h_user_disable},
    {"POST", "/api/v1/users/{id}/enable", NEEDS(ACL_USERS_MANAGE), SCOPE_USER_PATH, 0,
     h_user_enable},
    {"POST", "/api/v1/users/{id}/reset-password", NEEDS(ACL_USERS_MANAGE), SCOPE_USER_PATH, 0,
     h_user_reset},
    {"GET", "/api/v1/audit", NEEDS(ACL_AUDIT_READ), SCOPE_LIST, 0, h_audit_list},
    /* the hierarchy and the registry */
    {"GET", "/api/v1/units", NEEDS(ACL_UNITS_READ), SCOPE_UNIT_QUERY, 0, h_units_list},
    {"GET", "/api/v1/units/{code}", NEEDS(ACL_UNITS_READ), SCOPE_UNIT_PATH, 0, h_unit_get},
    {"GET", "/api/v1/units/{code}/history", NEEDS(ACL_UNITS_READ), SCOPE_UNIT_PATH, 0,
     h_unit_history},
    {"GET", "/api/v1/households/{code}", NEEDS(ACL_REGISTRY_READ), SCOPE_HOUSEHOLD, 0,
     h_household_get},
    {"GET", "/api/v1/search", NEEDS(ACL_REGISTRY_READ), SCOPE_LIST, 0, h_search},
    {"GET", "/api/v1/clans", NEEDS(ACL_REGISTRY_READ), SCOPE_UNIT_QUERY, 0, h_clans_list},
    {"GET", "/api/v1/clans/{code}", NEEDS(ACL_REGISTRY_READ), SCOPE_CLAN, 0, h_clan_get},
    {"GET", "/api/v1/organisations", NEEDS(ACL_REGISTRY_READ), SCOPE_UNIT_QUERY, 0, h_orgs_list},
    {"GET", "/api/v1/organisations/{code}", NEEDS(ACL_REGISTRY_READ), SCOPE_ORGANISATION, 0,
     h_org_get},
    /* the registry forms (docs/registry-forms.md): a new object's units are
     * in the body, each checked against the caller's scope by the import's
     * rules (422 naming the field), as an import's rows are; a change is
     * placed by the stored object, and its new units are checked the same way */
    {"POST", "/api/v1/households", NEEDS(ACL_REGISTRY_WRITE), SCOPE_LIST, 0, h_household_create},
    {"PUT", "/api/v1/households/{code}", NEEDS(ACL_REGISTRY_WRITE), SCOPE_HOUSEHOLD, 0,
     h_household_update},
    {"POST", "/api/v1/clans", NEEDS(ACL_REGISTRY_WRITE), SCOPE_LIST, 0, h_clan_create},
    {"PUT", "/api/v1/clans/{code}", NEEDS(ACL_REGISTRY_WRITE), SCOPE_CLAN, 0, h_clan_update},
    {"POST", "/api/v1/organisations", NEEDS(ACL_REGISTRY_WRITE), SCOPE_LIST, 0, h_org_create},
    {"PUT", "/api/v1/organisations/{code}", NEEDS(ACL_REGISTRY_WRITE), SCOPE_ORGANISATION, 0,
     h_org_update},
    {"GET", "/api/v1/households/{code}/members.csv", NEEDS(ACL_REGISTRY_READ | ACL_PERSONAL_EXPORT),
     SCOPE_HOUSEHOLD, 0, h_members_csv},
    {"GET", "/api/v1/households/{code}/members.xlsx",
     NEEDS(ACL_REGISTRY_READ | ACL_PERSONAL_EXPORT), SCOPE_HOUSEHOLD, 0, h_members_xlsx},
    /* import templates, empty or prefilled (personal ones also need personal.export) */
    {"GET", "/api/v1/templates/{kind}.xlsx", NEEDS(ACL_REGISTRY_READ), SCOPE_UNIT_QUERY, 0,
     h_template_xlsx},
    {"GET", "/api/v1/templates/{kind}.csv", NEEDS(ACL_REGISTRY_READ), SCOPE_UNIT_QUERY, 0,
     h_template_csv},
    /* evaluation */
    {"GET", "/api/v1/evaluation", NEEDS(ACL_UNITS_READ), SCOPE_UNIT_QUERY, 0, h_evaluation},
    {"GET", "/api/v1/dashboard", NEEDS(ACL_UNITS_READ), SCOPE_UNIT_QUERY, 0, h_dashboard},
    /* the reports (docs/reports.md): the dashboard's figures as a workbook or a PDF, audited;
     * a title list of ?decision= is placed by the decision's unit in the handler */
    {"GET", "/api/v1/reports/annual.xlsx", NEEDS(ACL_UNITS_READ), SCOPE_UNIT_QUERY, 0,
     h_report_annual_xlsx},
    {"GET", "/api/v1/reports/annual.pdf", NEEDS(ACL_UNITS_READ), SCOPE_UNIT_QUERY, 0,
     h_report_annual_pdf},
    {"GET", "/api/v1/reports/commune-dossier.xlsx", NEEDS(ACL_RECORDS_READ), SCOPE_UNIT_QUERY, 0,
     h_report_dossier_xlsx},
    {"GET", "/api/v1/reports/commune-dossier.pdf", NEEDS(ACL_RECORDS_READ), SCOPE_UNIT_QUERY, 0,
     h_report_dossier_pdf},
    {"GET", "/api/v1/reports/title-list.xlsx", NEEDS(ACL_RECORDS_READ), SCOPE_UNIT_QUERY, 0,
     h_report_title_list_xlsx},
    {"GET", "/api/v1/reports/title-list.pdf", NEEDS(ACL_RECORDS_READ), SCOPE_UNIT_QUERY, 0,
     h_report_title_list_pdf},
    {"GET", "/api/v1/results", NEEDS(ACL_RECORDS_READ), SCOPE_UNIT_QUERY, 0, h_results},
    {"GET", "/api/v1/explain", NEEDS(ACL_RECORDS_READ), SCOPE_ENTITY, 0, h_explain},
    /* exports of named people and households: personal data, audited */
    {"GET", "/api/v1/results.csv", NEEDS(ACL_RECORDS_READ | ACL_PERSONAL_EXPORT), SCOPE_UNIT_QUERY,
     0, h_results_csv},
    {"GET", "/api/v1/results.xlsx", NEEDS(ACL_RECORDS_READ | ACL_PERSONAL_EXPORT), SCOPE_UNIT_QUERY,
     0, h_results_xlsx},
    /* imports: the body is the file (streamed to disk, HTTP_UPLOAD_PREFIX);
     * each row is checked against the caller's scope */
    {"POST", "/api/v1/imports/registry/{kind}", NEEDS(ACL_REGISTRY_WRITE), SCOPE_LIST, 0,
     h_import_registry},
    {"POST", "/api/v1/imports/assessments", NEEDS(ACL_RECORDS_WRITE), SCOPE_LIST, 0,
     h_import_assessments},
    /* donors, donations (receipts) and beneficiaries of the funds: each row's
     * fund or unit is checked against the caller's scope */
    {"POST", "/api/v1/imports/funds/{kind}", NEEDS(ACL_FUNDS_WRITE), SCOPE_LIST, 0, h_import_funds},
    /* downloads of lists (CSV, XLSX): the permission and scope of the list */
    {"GET", "/api/v1/evaluation.csv", NEEDS(ACL_UNITS_READ), SCOPE_UNIT_QUERY, 0, h_evaluation_csv},
    {"GET", "/api/v1/evaluation.xlsx", NEEDS(ACL_UNITS_READ), SCOPE_UNIT_QUERY, 0,
     h_evaluation_xlsx},
    {"GET", "/api/v1/units.csv", NEEDS(ACL_UNITS_READ), SCOPE_UNIT_QUERY, 0, h_units_csv},
    {"GET", "/api/v1/units.xlsx", NEEDS(ACL_UNITS_READ), SCOPE_UNIT_QUERY, 0, h_units_xlsx},
    {"GET", "/api/v1/audit.csv", NEEDS(ACL_AUDIT_READ), SCOPE_LIST, 0, h_audit_csv},
    {"GET", "/api/v1/audit.xlsx", NEEDS(ACL_AUDIT_READ), SCOPE_LIST, 0, h_audit_xlsx},
    {"GET", "/api/v1/users.csv", NEEDS(ACL_USERS_MANAGE), SCOPE_LIST, 0, h_users_csv},
    {"GET", "/api/v1/users.xlsx", NEEDS(ACL_USERS_MANAGE), SCOPE_LIST, 0, h_users_xlsx},
    /* The yearly workflow (docs/workflow.md). */
    {"GET", "/api/v1/record", NEEDS(ACL_RECORDS_READ), SCOPE_ENTITY, 0, h_record_get},
    {"PUT", "/api/v1/record", NEEDS(ACL_RECORDS_WRITE), SCOPE_ENTITY, 0, h_record_put},
    {"POST", "/api/v1/record/preview", NEEDS(ACL_RECORDS_READ), SCOPE_ENTITY, 0, h_record_preview},
    {"POST", "/api/v1/record/submit", NEEDS(ACL_RECORDS_WRITE), SCOPE_ENTITY, 0, h_record_submit},
    {"POST", "/api/v1/record/accept", NEEDS(ACL_RECORDS_REVIEW), SCOPE_ENTITY, 0, h_record_accept},
    {"POST", "/api/v1/record/return", NEEDS(ACL_RECORDS_REVIEW), SCOPE_ENTITY, 0, h_record_return},
    {"POST", "/api/v1/record/unlock", NEEDS(ACL_RECORDS_APPROVE), SCOPE_ENTITY, 0, h_record_unlock},
    {"POST", "/api/v1/evidence", NEEDS(ACL_RECORDS_WRITE), SCOPE_ENTITY, 0, h_evidence_add},
    {"GET", "/api/v1/workflow/records", NEEDS(ACL_RECORDS_READ), SCOPE_UNIT_QUERY, 0,
     h_workflow_records},
    {"GET", "/api/v1/tasks", NEEDS(ACL_RECORDS_READ), SCOPE_LIST, 0, h_tasks},
    {"GET", "/api/v1/decisions", NEEDS(ACL_RECORDS_READ), SCOPE_LIST, 0, h_decisions_list},
    {"POST", "/api/v1/decisions", NEEDS(ACL_RECORDS_APPROVE), SCOPE_BODY_UNIT, 0,
     h_decision_create},
    {"GET", "/api/v1/decisions/{id}", NEEDS(ACL_RECORDS_READ), SCOPE_DECISION, 0, h_decision_get},
    {"GET", "/api/v1/certificates/sample.pdf", NEEDS(ACL_RECORDS_READ), SCOPE_NONE, 0,
     h_certificate_sample},
    {"GET", "/api/v1/certificates/{code}.pdf", NEEDS(ACL_RECORDS_READ), SCOPE_CERTIFICATE, 0,
     h_certificate_pdf},
    {"GET", "/api/v1/decisions/{id}/certificates.pdf", NEEDS(ACL_RECORDS_READ), SCOPE_DECISION, 0,
     h_decision_certificates_pdf},
    {"GET", "/api/v1/settings/certificate", NEEDS(ACL_RECORDS_READ), SCOPE_NONE, 0,
     h_settings_certificate_get},
    {"PUT", "/api/v1/settings/certificate", NEEDS(ACL_CRITERIA_MANAGE), SCOPE_NONE, 0,
     h_settings_certificate_put},
    {"DELETE", "/api/v1/settings/certificate", NEEDS(ACL_CRITERIA_MANAGE), SCOPE_NONE, 0,
     h_settings_certificate_delete},
    {"GET", "/api/v1/settings/workflow", NEEDS(ACL_RECORDS_READ), SCOPE_NONE, 0,
     h_settings_workflow_get},
    {"PUT", "/api/v1/settings/workflow", NEEDS(ACL_CRITERIA_MANAGE), SCOPE_NONE, 0,
     h_settings_workflow_put},
    {"DELETE", "/api/v1/settings/workflow", NEEDS(ACL_CRITERIA_MANAGE), SCOPE_NONE, 0,
     h_settings_workflow_delete},
    /* The programme targets (docs/targets-format.md). */
    {"GET", "/api/v1/funds", NEEDS(ACL_FUNDS_READ), SCOPE_LIST, 0, h_funds_list},
    {"POST", "/api/v1/funds", NEEDS(ACL_FUNDS_APPROVE), SCOPE_LIST, 0, h_fund_create},
    {"GET", "/api/v1/funds/{code}", NEEDS(ACL_FUNDS_READ), SCOPE_FUND, 0, h_fund_get},
    {"POST", "/api/v1/funds/{code}/entries", NEEDS(ACL_FUNDS_WRITE), SCOPE_FUND, 0, h_fund_post},
    {"POST", "/api/v1/funds/{code}/close", NEEDS(ACL_FUNDS_APPROVE), SCOPE_FUND, 0, h_fund_close},
    {"PUT", "/api/v1/funds/{code}/settings", NEEDS(ACL_FUNDS_APPROVE), SCOPE_FUND, 0,
     h_fund_settings},
    {"POST", "/api/v1/fund-entries/{id}/reverse", NEEDS(ACL_FUNDS_WRITE), SCOPE_FUND_ENTRY, 0,
     h_fund_reverse},
    {"GET", "/api/v1/fund-donors", NEEDS(ACL_FUNDS_READ), SCOPE_NONE, 0, h_fund_donors},
    {"POST", "/api/v1/fund-donors", NEEDS(ACL_FUNDS_WRITE), SCOPE_NONE, 0, h_fund_donor_add},
    {"GET", "/api/v1/fund-beneficiaries", NEEDS(ACL_FUNDS_READ), SCOPE_LIST, 0,
     h_fund_beneficiaries},
    {"POST", "/api/v1/fund-beneficiaries", NEEDS(ACL_FUNDS_WRITE), SCOPE_LIST, 0,
     h_fund_beneficiary_add},
    {"GET", "/api/v1/fund-beneficiaries/{id}", NEEDS(ACL_FUNDS_READ), SCOPE_BENEFICIARY, 0,
     h_fund_beneficiary_get},
    {"GET", "/api/v1/fund-check", NEEDS(ACL_FUNDS_READ), SCOPE_NONE, 0, h_fund_check},
    /* a fund's documents (h_fund_docs.c): they name donors and students, so audited */
    {"GET", "/api/v1/fund-entries/{id}/receipt.pdf", NEEDS(ACL_FUNDS_READ), SCOPE_FUND_ENTRY, 0,
     h_fund_receipt_pdf},
    {"GET", "/api/v1/funds/{code}/statement.xlsx", NEEDS(ACL_FUNDS_READ), SCOPE_FUND, 0,
     h_fund_statement_xlsx},
    {"GET", "/api/v1/funds/{code}/statement.pdf", NEEDS(ACL_FUNDS_READ), SCOPE_FUND, 0,
     h_fund_statement_pdf},
    /* Award programmes (docs/funds.md, "Award programmes"). */
    {"GET", "/api/v1/funds/{code}/programmes", NEEDS(ACL_FUNDS_READ), SCOPE_FUND, 0,
     h_fund_programmes},
    {"POST", "/api/v1/funds/{code}/programmes", NEEDS(ACL_FUNDS_APPROVE), SCOPE_FUND, 0,
     h_fund_programme_create},
    {"POST", "/api/v1/funds/{code}/programmes/{id}/run", NEEDS(ACL_FUNDS_WRITE), SCOPE_FUND, 0,
     h_fund_programme_run},
    {"GET", "/api/v1/fund-batches/{id}", NEEDS(ACL_FUNDS_READ), SCOPE_FUND_BATCH, 0,
     h_fund_batch_get},
    {"POST", "/api/v1/fund-batches/{id}/approve", NEEDS(ACL_FUNDS_APPROVE), SCOPE_FUND_BATCH, 0,
     h_fund_batch_approve},
    {"POST", "/api/v1/fund-batches/{id}/pay", NEEDS(ACL_FUNDS_WRITE), SCOPE_FUND_BATCH, 0,
     h_fund_batch_pay},
    {"POST", "/api/v1/fund-batches/{id}/cancel", NEEDS(ACL_FUNDS_APPROVE), SCOPE_FUND_BATCH, 0,
     h_fund_batch_cancel},
    {"GET", "/api/v1/targets", NEEDS(ACL_UNITS_READ), SCOPE_NONE, 0, h_targets_list},
    {"PUT", "/api/v1/targets/{name}", NEEDS(ACL_CRITERIA_MANAGE), SCOPE_NONE, 0, h_targets_put},
    {"DELETE", "/api/v1/targets/{name}", NEEDS(ACL_CRITERIA_MANAGE), SCOPE_NONE, 0,
     h_targets_delete},
    /* The public page a certificate's QR code points at. */
    {"GET", "/verify/{code}", PUB, SCOPE_NONE, DURING_CHANGE, h_verify},
    /* The public transparency report of the funds (h_fund_docs.c); the PDF first, so
     * "{code}" does not take "KH-31.pdf". */
    {"GET", "/cong-khai", PUB, SCOPE_NONE, DURING_CHANGE, h_public_funds},
    {"GET", "/cong-khai/{code}.pdf", PUB, SCOPE_NONE, DURING_CHANGE, h_public_fund_pdf},
    {"GET", "/cong-khai/{code}", PUB, SCOPE_NONE, DURING_CHANGE, h_public_fund},
    /* Last: everything else that is not under /api is a front-end file. */
    {"GET", "/{*}", PUB, SCOPE_NONE, DURING_CHANGE, h_static},
};
const size_t http_route_count = sizeof http_routes / sizeof http_routes[0];

static const char *access_name(http_access a) {
  switch (a) {
    case ACCESS_PUBLIC: return "public";
    case ACCESS_USER: return "user";
    case ACCESS_PERM: return "perm";
    default: return "unset";
  }
}

static const char *scope_name(http_scope s) {
  static const char *names[] = {
      "unset",        "none",      "list",       "unit-path",   "unit-query",  "household",
      "entity",       "user-path", "body-unit",  "decision",    "certificate", "clan",
      "organisation", "fund",      "fund-entry", "beneficiary", "fund-batch"};
  return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "unset";
}

int http_routes_check(void) {
  int missing = 0;
  for (size_t i = 0; i < http_route_count; i++) {
    const http_route *r = &http_routes[i];
    if (r->access == ACCESS_UNSET || r->scope == SCOPE_UNSET ||
        (r->access == ACCESS_PERM && !r->perm)) {
      fprintf(stderr, "hoctap: route %s %s declares no permission or scope\n", r->method,
              r->pattern);
      missing++;
    }
  }
  return missing;
}

void http_routes_print(void) {
  arena a;
  arena_init(&a, 0);
  for (size_t i = 0; i < http_route_count; i++) {
    const http_route *r = &http_routes[i];
    printf(
        "{\"method\":\"%s\",\"pattern\":\"%s\",\"access\":\"%s\",\"perms\":\"%s\","
        "\"scope\":\"%s\",\"during_password_change\":%s}\n",
        r->method, r->pattern, access_name(r->access), acl_perms_format(r->perm, &a),
        scope_name(r->scope), (r->flags & ROUTE_DURING_PASSWORD_CHANGE) ? "true" : "false");
  }
  arena_free(&a);
}

/* Matches path against pattern segment by segment; "{name}" takes one
 * non-empty segment (less the text written after it: "{kind}.csv" takes
 * "persons" from "persons.csv"), "{*}" the rest of the path. */
static int match(const char *pattern, const char *path, http_req *r) {
  int n = 0;
  while (*pattern && *path) {
    if (pattern[0] == '{' && pattern[1] == '*') {
      if (strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0) return 0;
      r->nparams = n;
      return 1;
    }
    if (*pattern == '{') {
      const char *end = strchr(path, '/'), *close = strchr(pattern, '}');
      size_t len = end ? (size_t)(end - path) : strlen(path);
      /* "{kind}.xlsx": the text after the name ends the segment */
      size_t suffix = strcspn(close + 1, "/");
      if (len <= suffix || n == HTTP_MAX_PARAMS ||
          strncmp(path + len - suffix, close + 1, suffix) != 0)
        return 0;
      len -= suffix;
      r->params[n++] = arena_strndup(&r->mem, path, len);
      path += len;
      pattern = close + 1;
      continue;
    }
    if (*pattern != *path) return 0;
    pattern++;
    path++;
  }
  if (pattern[0] == '{' && pattern[1] == '*' && !*path) {
    r->nparams = n;
    return 1;
  }
  if (*pattern || *path) return 0;
  r->nparams = n;
  return 1;
}

const http_route *http_route_find(http_req *r, int *path_matched) {
  *path_matched = 0;
  for (size_t i = 0; i < http_route_count; i++) {
    if (!match(http_routes[i].pattern, r->path, r)) continue;
    int same_method = strcmp(http_routes[i].method, r->method) == 0 ||
                      (strcmp(r->method, "HEAD") == 0 && strcmp(http_routes[i].method, "GET") == 0);
    if (same_method) return &http_routes[i];
    *path_matched = 1;
  }
  return NULL;
}
