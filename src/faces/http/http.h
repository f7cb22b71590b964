/*
 * http.h - the web face: request context, responses and the route table.
 *
 * The server (server.c) is thin: route -> permission -> handler. Each handler
 * lives in its own h_*.c file, gets an http_req whose arena and database
 * connection last for the request, and fills in the response. Every route
 * declares its permission in routes.c; the server refuses to start if one
 * does not (see http_routes_check).
 */
#ifndef HOCTAP_FACES_HTTP_HTTP_H
#define HOCTAP_FACES_HTTP_HTTP_H

#include <jansson.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/issues.h"
#include "base/strbuf.h"
#include "io/table_out.h"
#include "faces/http/app.h"
#include "model/accounts.h"
#include "model/acl.h"
#include "model/audit.h"
#include "model/registry.h"
#include "store/db.h"

struct MHD_Connection;

/* Who may call a route (see authz.c, docs/access.md). */
typedef enum http_access {
  ACCESS_UNSET =
      0, /* a route that declares nothing: the build's tests fail, the server refuses to start */
  ACCESS_PUBLIC, /* anyone, without logging in (login, static assets, public pages) */
  ACCESS_USER,   /* any logged-in user, acting on their own account */
  ACCESS_PERM    /* a logged-in user whose role has every permission in perm */
} http_access;

/* Which unit the object of a request belongs to, so the user's scope can be
 * checked before the handler runs. */
typedef enum http_scope {
  SCOPE_UNSET = 0,
  SCOPE_NONE,         /* no object in a unit (own account, public pages, the role list) */
  SCOPE_LIST,         /* a list: the handler keeps only rows inside the scope (http_in_scope) */
  SCOPE_UNIT_PATH,    /* {code} is a unit */
  SCOPE_UNIT_QUERY,   /* ?unit= (or ?parent=) is a unit; absent: the user's own unit */
  SCOPE_HOUSEHOLD,    /* {code} is a household, placed by its village in ?year= */
  SCOPE_ENTITY,       /* ?title= and ?code= name an evaluated entity in ?year= */
  SCOPE_USER_PATH,    /* {id} is a user account, placed by its unit */
  SCOPE_BODY_UNIT,    /* the JSON body's "unit" is a unit (creating an account) */
  SCOPE_DECISION,     /* {id} is a decision, placed by its deciding unit */
  SCOPE_CERTIFICATE,  /* {code} is a certificate, placed by its record's unit */
  SCOPE_CLAN,         /* {code} is a clan, placed by its village */
  SCOPE_ORGANISATION, /* {code} is a learning unit, placed by its managing unit on 31 December of
                        ?year= */
  SCOPE_FUND,         /* {code} is a study-promotion fund, placed by its unit */
  SCOPE_FUND_ENTRY,   /* {id} is a fund's entry, placed by its fund's unit */
  SCOPE_BENEFICIARY,  /* {id} is a fund beneficiary, placed by their unit */
  SCOPE_FUND_BATCH    /* {id} is an award batch, placed by its fund's unit */
} http_scope;

/* A route must also not be changed while the user must change the password,
 * unless it is one of the few that allow it. */
enum { ROUTE_DURING_PASSWORD_CHANGE = 1 };

#define HTTP_MAX_PARAMS 4
/* POSTs under this prefix carry a file to import: the server streams the
 * body to a temporary file (r->upload_path) of at most HTTP_MAX_UPLOAD. */
#define HTTP_UPLOAD_PREFIX "/api/v1/imports/"
#define HTTP_MAX_UPLOAD ((size_t)100 * 1024 * 1024)
/* An evidence file is an upload too (the handler refuses more than 10 MiB). */
#define HTTP_EVIDENCE_PATH "/api/v1/evidence"

typedef struct http_req {
  struct MHD_Connection *conn;
  const char *method, *path;
  const char *params[HTTP_MAX_PARAMS]; /* path parameters, in pattern order */
  int nparams;
  arena mem;
  db *db;
  app_state *app;
  /* who: NULL when anonymous; session NULL for an API token */
  const acct_user *user;
  const acct_session *session;
  const char *addr; /* client address */
  int https;        /* served over https: cookies get Secure */
  /* the object's unit and date as authz resolved them ("" when none) */
  const char *unit;
  int32_t day;
  /* request body (NUL-terminated; NULL when none) */
  const char *body_in;
  size_t body_in_len;
  /* an upload (a POST under HTTP_UPLOAD_PREFIX): the body as a temporary
   * file, removed after the response; NULL when none */
  const char *upload_path;
  size_t upload_len;
  /* response */
  int status;
  const char *content_type;
  const char *cache_control;
  const char *allow; /* Allow header for 405 */
  const char *set_cookie;
  const char *content_disposition; /* a download's file name */
  const char *etag;                /* an ETag header, or NULL */
  long retry_after;                /* seconds, 0: no Retry-After header */
  strbuf body;
  const unsigned char *static_body; /* instead of body, not copied */
  size_t static_len;
  int body_from_fd; /* instead of body: body_fd_size bytes of body_fd (closed when sent) */
  int body_fd;
  uint64_t body_fd_size;
} http_req;

typedef int (*http_handler)(http_req *r);

typedef struct http_route {
  const char *method;  /* "GET", ... */
  const char *pattern; /* "/api/v1/units/{code}/history", "/api/v1/templates/{kind}.csv" */
  http_access access;
  uint32_t perm; /* acl_perm bits, for ACCESS_PERM */
  http_scope scope;
  int flags; /* ROUTE_* */
  http_handler handler;
} http_route;

extern const http_route http_routes[];
extern const size_t http_route_count;

/* Returns the number of routes without a declared permission (printed). */
int http_routes_check(void);
/* Prints the route table as JSON lines (hoctap routes). */
void http_routes_print(void);

/* Authentication and authorisation (authz.c): fills r->user/session from the
 * cookie or bearer token, checks CSRF, the route's permission and the scope
 * of the object. Returns 1 when the handler may run; otherwise it has sent
 * 401/403 (refusals are audited) and returns 0. */
int http_authorize(http_req *r, const http_route *route);
/* Is unit_code (on day) inside the user's scope? For list handlers. */
int http_in_scope(http_req *r, const char *unit_code, int32_t day);
/* Has the user every permission of mask? */
int http_can(const http_req *r, uint32_t mask);
/* The audit actor of the request's user. */
audit_actor http_actor(const http_req *r);
/* Reads the JSON object body; on failure sends 400 and returns NULL. */
json_t *http_body_json(http_req *r);
/* A user as the API shows it (h_users.c). */
json_t *http_user_json(http_req *r, const acct_user *u);
/* The JSON of a household (as GET /api/v1/households/{code} answers), a
 * clan and a learning unit placed in year (h_registry.c); NULL when the
 * hierarchy cannot be loaded. */
json_t *http_household_json(http_req *r, const reg_household *hh, int year);
json_t *http_clan_json(http_req *r, const reg_clan *c, int year);
json_t *http_org_json(http_req *r, const reg_org *g, int year);
/* Epoch ms as "2025-12-31T10:00:00Z" (from a). */
const char *http_iso_time(int64_t ms, arena *a);
/* Finds the route for method+path, filling r->params. Sets *path_matched
 * when some route has the path but not the method (405). */
const http_route *http_route_find(http_req *r, int *path_matched);

/* Query parameter, or NULL. */
const char *http_query(http_req *r, const char *name);
/* Sends body (reference stolen) as JSON with the given status. */
int http_json(http_req *r, int status, json_t *body);
/* Sends {"error":{code, message, message_vi, parameter}}. */
int http_error(http_req *r, int status, const char *code, const char *parameter,
               const char *message_en, const char *message_vi);

/* Downloads of lists (export.c): a table written to a temporary file (CSV
 * or XLSX, io/table_out.h) and sent from it, so a large list costs disk, not
 * memory. Usage: http_export_begin(), write rows to x.out, http_export_end(). */
typedef struct http_export {
  tbl_out out;
  char path[64];
} http_export;

/* What an export of personal data writes to the audit trail; after_json
 * gets {"format":…,"rows":N} plus extra (a JSON member list or NULL). */
typedef struct http_export_audit {
  const char *action, *object_kind, *object_id, *unit_code, *extra;
} http_export_audit;

/* Starts x in format f with a workbook sheet named sheet. 1 when the rows
 * may be written; 0 with a 500 sent. */
int http_export_begin(http_req *r, http_export *x, tbl_format f, const char *sheet);
/* Finishes x, audits it (audit may be NULL) and sends it as the download
 * name.csv or name.xlsx; on failure sends 500 and nothing is audited.
 * Returns 0 (the handler's return). */
int http_export_end(http_req *r, http_export *x, const char *name, const http_export_audit *audit);
/* Abandons x (writing the rows failed with why): removes the file, sends 500. */
int http_export_fail(http_req *r, http_export *x, const char *why);

/* One entity's explanation for title (engine index) as the explain API
 * gives it: its head (code, name, result), every item with its status and
 * the values seen, the recognition (h_eval.c). The caller holds the engine. */
json_t *http_explain_json(http_req *r, engine *e, const hier *h, int title, int32_t j,
                          const char *lang);

/* ?year= (default: this year) into *year; 0 with a 400 sent when it is not a
 * year from 2000 to 2100 (h_common.c). */
int http_year_param(http_req *r, int *year);
/* 500 with why in English and a general Vietnamese message (h_common.c). */
int http_internal(http_req *r, const char *why);
/* A string member of a JSON body, or NULL. */
const char *http_body_str(json_t *body, const char *key);
/* After a refused or failed write: 422 with every problem when the model
 * reported them (rc HT_EINVAL), else 500 with err's message. */
int http_write_failed(http_req *r, int rc, const issues *p, const ht_err *err);
/* A request header's value, or NULL (h_common.c). */
const char *http_request_header(http_req *r, const char *name);
/* 422 with every problem of p: {"error": {code, message, message_vi},
 * "problems": [{field, msg_en, msg_vi, line}], "problems_total"}. */
int http_problems(http_req *r, const issues *p);

/* The dashboard (h_dashboard.c), shared with the report downloads so both
 * show the same numbers. http_dash_params reads ?year=, ?unit= (default: the
 * caller's unit), ?targets= and ?basis= (0 with a 400 sent). http_dash_begin
 * acquires a snapshot and the year tables and builds d (0 with an error
 * sent and nothing held); http_dash_end releases all of it. */
int http_dash_params(http_req *r, dash_params *p);
int http_dash_begin(http_req *r, const dash_params *p, app_snapshot **s,
                    dash_table *tables[DASH_MAX_YEARS], dashboard *d);
void http_dash_end(http_req *r, app_snapshot *s, dash_table *tables[DASH_MAX_YEARS], dashboard *d);
json_t *http_dashboard_json(const dashboard *d);
json_t *http_dash_figure(const dash_figure *f);

/* Handlers (one file each). */
int h_dashboard(http_req *r);
int h_report_annual_xlsx(http_req *r);
int h_report_annual_pdf(http_req *r);
int h_report_dossier_xlsx(http_req *r);
int h_report_dossier_pdf(http_req *r);
int h_report_title_list_xlsx(http_req *r);
int h_report_title_list_pdf(http_req *r);
int h_funds_list(http_req *r);
int h_fund_create(http_req *r);
int h_fund_get(http_req *r);
int h_fund_post(http_req *r);
int h_fund_close(http_req *r);
int h_fund_settings(http_req *r);
int h_fund_reverse(http_req *r);
int h_fund_donors(http_req *r);
int h_fund_donor_add(http_req *r);
int h_fund_beneficiaries(http_req *r);
int h_fund_beneficiary_add(http_req *r);
int h_fund_beneficiary_get(http_req *r);
int h_fund_check(http_req *r);
int h_fund_programmes(http_req *r);
int h_fund_programme_create(http_req *r);
int h_fund_programme_run(http_req *r);
int h_fund_batch_get(http_req *r);
int h_fund_batch_approve(http_req *r);
int h_fund_batch_pay(http_req *r);
int h_fund_batch_cancel(http_req *r);
int h_fund_receipt_pdf(http_req *r);
int h_fund_statement_xlsx(http_req *r);
int h_fund_statement_pdf(http_req *r);
int h_public_funds(http_req *r);
int h_public_fund(http_req *r);
int h_public_fund_pdf(http_req *r);
int h_meta(http_req *r);
int h_units_list(http_req *r);
int h_unit_get(http_req *r);
int h_unit_history(http_req *r);
int h_static(http_req *r);
int h_evaluation(http_req *r);
int h_results(http_req *r);
int h_explain(http_req *r);
int h_results_csv(http_req *r);
int h_results_xlsx(http_req *r);
int h_evaluation_csv(http_req *r);
int h_evaluation_xlsx(http_req *r);
int h_units_csv(http_req *r);
int h_units_xlsx(http_req *r);
int h_audit_csv(http_req *r);
int h_audit_xlsx(http_req *r);
int h_users_csv(http_req *r);
int h_users_xlsx(http_req *r);
int h_session_login(http_req *r);
int h_session_get(http_req *r);
int h_session_logout(http_req *r);
int h_session_password(http_req *r);
int h_session_logout_all(http_req *r);
int h_token_get(http_req *r);
int h_token_create(http_req *r);
int h_token_delete(http_req *r);
int h_roles(http_req *r);
int h_users_list(http_req *r);
int h_user_create(http_req *r);
int h_user_disable(http_req *r);
int h_user_enable(http_req *r);
int h_user_reset(http_req *r);
int h_audit_list(http_req *r);
int h_household_get(http_req *r);
int h_clan_get(http_req *r);
int h_org_get(http_req *r);
int h_clans_list(http_req *r);
int h_orgs_list(http_req *r);
int h_household_create(http_req *r);
int h_household_update(http_req *r);
int h_clan_create(http_req *r);
int h_clan_update(http_req *r);
int h_org_create(http_req *r);
int h_org_update(http_req *r);
int h_search(http_req *r);
int h_members_csv(http_req *r);
int h_members_xlsx(http_req *r);
int h_import_registry(http_req *r);
int h_import_assessments(http_req *r);
int h_import_funds(http_req *r);
int h_template_xlsx(http_req *r);
int h_template_csv(http_req *r);
int h_verify(http_req *r);
int h_targets_list(http_req *r);
int h_targets_put(http_req *r);
int h_targets_delete(http_req *r);
int h_certificate_sample(http_req *r);
int h_certificate_pdf(http_req *r);
int h_decision_certificates_pdf(http_req *r);
int h_settings_certificate_get(http_req *r);
int h_settings_certificate_put(http_req *r);
int h_settings_certificate_delete(http_req *r);
int h_record_get(http_req *r);
int h_record_put(http_req *r);
int h_record_preview(http_req *r);
int h_record_submit(http_req *r);
int h_record_accept(http_req *r);
int h_record_return(http_req *r);
int h_record_unlock(http_req *r);
int h_evidence_add(http_req *r);
int h_workflow_records(http_req *r);
int h_tasks(http_req *r);
int h_decisions_list(http_req *r);
int h_decision_create(http_req *r);
int h_decision_get(http_req *r);
int h_settings_workflow_get(http_req *r);
int h_settings_workflow_put(http_req *r);
int h_settings_workflow_delete(http_req *r);

#endif
