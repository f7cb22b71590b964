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
#include "base/strbuf.h"
#include "faces/http/app.h"
#include "store/db.h"

struct MHD_Connection;

typedef enum http_perm {
  PERM_UNSET = 0, /* a route without a declared permission: a build/test failure */
  PERM_PUBLIC,    /* anyone, without logging in (static assets, public pages) */
  PERM_READ_UNITS /* the administrative hierarchy and registry counts; public until
                     accounts arrive, then any logged-in user (docs/architecture.md) */
} http_perm;

#define HTTP_MAX_PARAMS 4

typedef struct http_req {
  struct MHD_Connection *conn;
  const char *method, *path;
  const char *params[HTTP_MAX_PARAMS]; /* path parameters, in pattern order */
  int nparams;
  arena mem;
  db *db;
  app_state *app;
  /* response */
  int status;
  const char *content_type;
  const char *cache_control;
  const char *allow; /* Allow header for 405 */
  strbuf body;
  const unsigned char *static_body; /* instead of body, not copied */
  size_t static_len;
} http_req;

typedef int (*http_handler)(http_req *r);

typedef struct http_route {
  const char *method;  /* "GET", ... */
  const char *pattern; /* "/api/v1/units/{code}/history" */
  http_perm perm;
  http_handler handler;
} http_route;

extern const http_route http_routes[];
extern const size_t http_route_count;

/* Returns the number of routes without a declared permission (printed). */
int http_routes_check(void);
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

/* Handlers (one file each). */
int h_meta(http_req *r);
int h_units_list(http_req *r);
int h_unit_get(http_req *r);
int h_unit_history(http_req *r);
int h_static(http_req *r);
int h_evaluation(http_req *r);
int h_results(http_req *r);
int h_explain(http_req *r);

#endif
