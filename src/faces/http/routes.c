/* routes.c - the route table: every endpoint with its permission. */
#include <stdio.h>
#include <string.h>

#include "faces/http/http.h"

const http_route http_routes[] = {
    {"GET", "/api/v1/meta", PERM_PUBLIC, h_meta},
    {"GET", "/api/v1/units", PERM_READ_UNITS, h_units_list},
    {"GET", "/api/v1/units/{code}", PERM_READ_UNITS, h_unit_get},
    {"GET", "/api/v1/units/{code}/history", PERM_READ_UNITS, h_unit_history},
    {"GET", "/api/v1/evaluation", PERM_READ_UNITS, h_evaluation},
    {"GET", "/api/v1/results", PERM_READ_UNITS, h_results},
    {"GET", "/api/v1/explain", PERM_READ_UNITS, h_explain},
    /* Last: everything else that is not under /api is a front-end file. */
    {"GET", "/{*}", PERM_PUBLIC, h_static},
};
const size_t http_route_count = sizeof http_routes / sizeof http_routes[0];

int http_routes_check(void) {
  int missing = 0;
  for (size_t i = 0; i < http_route_count; i++)
    if (http_routes[i].perm == PERM_UNSET) {
      fprintf(stderr, "hoctap: route %s %s declares no permission\n", http_routes[i].method,
              http_routes[i].pattern);
      missing++;
    }
  return missing;
}

/* Matches path against pattern segment by segment; "{name}" takes one
 * non-empty segment, "{*}" the rest of the path. */
static int match(const char *pattern, const char *path, http_req *r) {
  int n = 0;
  while (*pattern && *path) {
    if (pattern[0] == '{' && pattern[1] == '*') {
      if (strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0) return 0;
      r->nparams = n;
      return 1;
    }
    if (*pattern == '{') {
      const char *end = strchr(path, '/');
      size_t len = end ? (size_t)(end - path) : strlen(path);
      if (!len || n == HTTP_MAX_PARAMS) return 0;
      r->params[n++] = arena_strndup(&r->mem, path, len);
      path += len;
      pattern = strchr(pattern, '}') + 1;
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
