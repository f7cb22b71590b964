/*
 * server.h - hoctap serve: the HTTP server (libmicrohttpd, epoll, thread pool).
 */
#ifndef HOCTAP_FACES_HTTP_SERVER_H
#define HOCTAP_FACES_HTTP_SERVER_H

#include "base/err.h"

typedef struct http_server_options {
  const char *db_path;
  const char *host; /* numeric IPv4 address */
  int port;
  int threads;         /* worker threads (default 4) */
  int quiet;           /* no request log */
  size_t max_body;     /* bytes (default 1 MiB) */
  int max_connections; /* default 512 */
  int https;           /* reached over https (a TLS proxy in front): Secure cookies */
} http_server_options;

/* Serves until SIGINT or SIGTERM, then stops accepting, lets requests in
 * flight finish (up to 10 s) and returns. */
int http_server_run(const http_server_options *o, ht_err *err);

#endif
