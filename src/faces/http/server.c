/*
 * server.c - the HTTP server: connection handling, limits, security headers,
 * request log, graceful shutdown. Routing and handlers are elsewhere.
 */
#include "faces/http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "faces/http/http.h"

typedef struct server {
  const http_server_options *opt;
  app_state app;
  pthread_mutex_t conns_lock;
  db *conns[64]; /* one database connection per worker thread */
  int nconns;
} server;

static _Thread_local db *thread_db;

/* Per-request state kept by libmicrohttpd between callbacks. */
typedef struct request_ctx {
  struct timespec start;
  size_t body_len;
  int too_large;
  int status;
  size_t bytes;
  char method[16];
  char *path;
  char *body; /* the request body, up to max_body (NUL-terminated) */
  /* An upload (HTTP_UPLOAD_PREFIX) goes to a temporary file instead, up to
   * HTTP_MAX_UPLOAD bytes. */
  int upload_fd;
  char upload_path[64];
} request_ctx;

/* Requests whose body is a file to import: streamed to a temporary file. */
static int is_upload(const char *method, const char *url) {
  return !strcmp(method, "POST") &&
         (!strncmp(url, HTTP_UPLOAD_PREFIX, strlen(HTTP_UPLOAD_PREFIX)) ||
          !strcmp(url, HTTP_EVIDENCE_PATH));
}

/* Only a caller who presents credentials gets an upload stored: an anonymous
 * body is dropped (the request then gets its 401 without costing disk). */
static int has_credentials(struct MHD_Connection *conn) {
  return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization") ||
         MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, "hoctap_session");
}

static db *worker_db(server *s, ht_err *err) {
  if (thread_db) return thread_db;
  db *d;
  if (db_open(&d, s->opt->db_path, err) != HT_OK) return NULL;
  pthread_mutex_lock(&s->conns_lock);
  if (s->nconns < 64) s->conns[s->nconns++] = d;
  pthread_mutex_unlock(&s->conns_lock);
  thread_db = d;
  return d;
}

const char *http_query(http_req *r, const char *name) {
  return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

int http_json(http_req *r, int status, json_t *body) {
  r->status = status;
  r->content_type = "application/json; charset=utf-8";
  char *text = json_dumps(body, JSON_COMPACT);
  json_decref(body);
  if (text) {
    strbuf_puts(&r->body, text);
    free(text);
  }
  return 0;
}

int http_error(http_req *r, int status, const char *code, const char *parameter,
               const char *message_en, const char *message_vi) {
  json_t *e = json_pack("{ssssss}", "code", code, "message", message_en, "message_vi", message_vi);
  json_object_set_new(e, "parameter", parameter ? json_string(parameter) : json_null());
  return http_json(r, status, json_pack("{so}", "error", e));
}

static void add_security_headers(struct MHD_Response *resp) {
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(resp, "X-Frame-Options", "DENY");
  MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
  MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
  MHD_add_response_header(resp, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  MHD_add_response_header(resp, "Content-Security-Policy",
                          "default-src 'self'; style-src 'self' 'unsafe-inline'; "
                          "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; "
                          "form-action 'self'");
}

/* The client's numeric address ("-" when unknown). */
static void client_address(struct MHD_Connection *conn, char out[INET6_ADDRSTRLEN]) {
  snprintf(out, INET6_ADDRSTRLEN, "-");
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (!ci || !ci->client_addr) return;
  if (ci->client_addr->sa_family == AF_INET)
    inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, out,
              INET6_ADDRSTRLEN);
  else if (ci->client_addr->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, out,
              INET6_ADDRSTRLEN);
}

/* The methods the routes accept for r->path, for a 405's Allow header. */
static const char *allowed_methods(http_req *r) {
  strbuf b = {0};
  for (size_t i = 0; i < http_route_count; i++) {
    http_req probe = *r;
    probe.method = http_routes[i].method;
    int matched = 0;
    const http_route *found = http_route_find(&probe, &matched);
    if (found == &http_routes[i] && !strstr(strbuf_cstr(&b), http_routes[i].method)) {
      if (b.len) strbuf_puts(&b, ", ");
      strbuf_puts(&b, http_routes[i].method);
      if (strcmp(http_routes[i].method, "GET") == 0) strbuf_puts(&b, ", HEAD");
    }
  }
  const char *out = arena_strdup(&r->mem, strbuf_cstr(&b));
  strbuf_free(&b);
  return out;
}

static enum MHD_Result send_response(struct MHD_Connection *conn, http_req *r, request_ctx *ctx) {
  struct MHD_Response *resp;
  int head = strcmp(r->method, "HEAD") == 0;
  if (r->static_body) {
    resp = MHD_create_response_from_buffer(head ? 0 : r->static_len, (void *)r->static_body,
                                           MHD_RESPMEM_PERSISTENT);
    ctx->bytes = r->static_len;
  } else if (r->body_from_fd) {
    /* a download written to a temporary file: sent from the file, so its
     * size never counts against memory; libmicrohttpd closes the fd */
    resp = head ? NULL : MHD_create_response_from_fd64(r->body_fd_size, r->body_fd);
    if (!resp) {
      close(r->body_fd);
      resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    }
    ctx->bytes = (size_t)r->body_fd_size;
  } else {
    resp = MHD_create_response_from_buffer(head ? 0 : r->body.len, (void *)strbuf_cstr(&r->body),
                                           MHD_RESPMEM_MUST_COPY);
    ctx->bytes = r->body.len;
  }
  if (!resp) return MHD_NO;
  add_security_headers(resp);
  if (r->content_type) MHD_add_response_header(resp, "Content-Type", r->content_type);
  MHD_add_response_header(resp, "Cache-Control", r->cache_control ? r->cache_control : "no-store");
  if (r->allow) MHD_add_response_header(resp, "Allow", r->allow);
  if (r->etag) MHD_add_response_header(resp, "ETag", r->etag);
  if (r->set_cookie) MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
  if (r->content_disposition)
    MHD_add_response_header(resp, "Content-Disposition", r->content_disposition);
  if (r->retry_after) {
    char secs[24];
    snprintf(secs, sizeof secs, "%ld", r->retry_after);
    MHD_add_response_header(resp, "Retry-After", secs);
  }
  ctx->status = r->status;
  enum MHD_Result ret = MHD_queue_response(conn, (unsigned)r->status, resp);
  MHD_destroy_response(resp);
  return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls) {
  server *s = cls;
  request_ctx *ctx = *con_cls;
  if (!ctx) {
    ctx = calloc(1, sizeof *ctx);
    if (!ctx) return MHD_NO;
    clock_gettime(CLOCK_MONOTONIC, &ctx->start);
    snprintf(ctx->method, sizeof ctx->method, "%s", method);
    ctx->path = strdup(url);
    ctx->upload_fd = -1;
    *con_cls = ctx;
    if (is_upload(method, url) && has_credentials(conn)) {
      snprintf(ctx->upload_path, sizeof ctx->upload_path, "/tmp/hoctap-upload-XXXXXX");
      ctx->upload_fd = mkstemp(ctx->upload_path);
      if (ctx->upload_fd < 0) ctx->upload_path[0] = '\0';
    }
    return MHD_YES;
  }
  if (*upload_data_size && is_upload(method, url)) {
    size_t n = *upload_data_size;
    if (ctx->upload_fd >= 0 && !ctx->too_large && ctx->body_len + n <= HTTP_MAX_UPLOAD) {
      const char *p = upload_data;
      size_t left = n;
      while (left) {
        ssize_t w = write(ctx->upload_fd, p, left);
        if (w <= 0) {
          ctx->too_large = 1; /* the disk is full: refused like an oversized body */
          break;
        }
        p += w;
        left -= (size_t)w;
      }
    } else if (ctx->upload_fd >= 0) {
      ctx->too_large = 1;
    } /* else: no credentials, the body is dropped and authz answers 401 */
    ctx->body_len += n;
    *upload_data_size = 0;
    return MHD_YES;
  }
  if (*upload_data_size) {
    /* Keep the body up to the limit; beyond it, count and drop. */
    size_t n = *upload_data_size;
    if (!ctx->too_large && ctx->body_len + n <= s->opt->max_body) {
      char *grown = realloc(ctx->body, ctx->body_len + n + 1);
      if (!grown) return MHD_NO;
      ctx->body = grown;
      memcpy(ctx->body + ctx->body_len, upload_data, n);
      ctx->body[ctx->body_len + n] = 0;
    } else {
      ctx->too_large = 1;
    }
    ctx->body_len += n;
    *upload_data_size = 0;
    return MHD_YES;
  }

  http_req r;
  memset(&r, 0, sizeof r);
  r.conn = conn;
  r.method = method;
  r.path = url;
  r.app = &s->app;
  r.https = s->opt->https;
  r.body_in = ctx->body;
  r.body_in_len = ctx->body ? ctx->body_len : 0;
  if (ctx->upload_fd >= 0) {
    r.upload_path = ctx->upload_path;
    r.upload_len = ctx->body_len;
  }
  arena_init(&r.mem, 0);
  char addr[INET6_ADDRSTRLEN];
  client_address(conn, addr);
  r.addr = addr;
  int path_matched = 0;
  const http_route *route = NULL;
  ht_err err = {0};
  if (ctx->too_large) {
    if (is_upload(method, url) && ctx->upload_fd >= 0)
      http_error(&r, 413, "file_too_large", NULL,
                 "the file is larger than the 100 MiB an import may have; split it (by commune, "
                 "for instance) and import the parts",
                 "Tệp lớn hơn 100 MiB, mức tối đa của một lần nhập; hãy chia nhỏ tệp (ví dụ theo "
                 "từng xã) rồi nhập từng phần.");
    else
      http_error(&r, 413, "body_too_large", NULL, "the request body is too large",
                 "Dữ liệu gửi lên quá lớn.");
  } else if (strlen(url) > 2048 || url[0] != '/') {
    http_error(&r, 414, "uri_too_long", NULL, "the address is too long or malformed",
               "Địa chỉ quá dài hoặc không hợp lệ.");
  } else if (!(route = http_route_find(&r, &path_matched))) {
    if (path_matched) {
      r.allow = allowed_methods(&r);
      http_error(&r, 405, "method_not_allowed", NULL, "this method is not allowed here",
                 "Phương thức này không được phép.");
    } else {
      http_error(&r, 404, "not_found", NULL, "no such endpoint", "Không tìm thấy địa chỉ này.");
    }
  } else if (!(r.db = worker_db(s, &err))) {
    http_error(&r, 503, "database_unavailable", NULL, err.msg,
               "Không mở được cơ sở dữ liệu; vui lòng thử lại sau.");
  } else if (http_authorize(&r, route)) {
    route->handler(&r);
    if (!r.status)
      http_error(&r, 500, "internal", NULL, "the handler produced no response", "Lỗi máy chủ.");
  }
  enum MHD_Result ret = send_response(conn, &r, ctx);
  strbuf_free(&r.body);
  arena_free(&r.mem);
  return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
  server *s = cls;
  request_ctx *ctx = *con_cls;
  if (!ctx) return;
  if (!s->opt->quiet) {
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    double ms = (double)(end.tv_sec - ctx->start.tv_sec) * 1e3 +
                (double)(end.tv_nsec - ctx->start.tv_nsec) / 1e6;
    char addr[INET6_ADDRSTRLEN];
    client_address(conn, addr);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(stderr, "%s %s %s %s %d %zu %.1fms%s\n", stamp, addr, ctx->method,
            ctx->path ? ctx->path : "-", ctx->status, ctx->bytes, ms,
            toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
  }
  if (ctx->upload_fd >= 0) {
    close(ctx->upload_fd);
    unlink(ctx->upload_path);
  }
  free(ctx->path);
  free(ctx->body);
  free(ctx);
  *con_cls = NULL;
}

int http_server_run(const http_server_options *o, ht_err *err) {
  if (http_routes_check()) return ht_err_set(err, HT_ERR, "a route declares no permission");
  if (acct_init(err)) return err->code;
  server s;
  memset(&s, 0, sizeof s);
  s.opt = o;
  pthread_mutex_init(&s.conns_lock, NULL);
  app_init(&s.app, o->db_path);

  /* Check the database before listening, so a bad path fails at once. */
  db *probe;
  if (db_open(&probe, o->db_path, err) != HT_OK) return err->code;
  db_close(probe);

  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)o->port);
  if (inet_pton(AF_INET, o->host, &addr.sin_addr) != 1)
    return ht_err_set(err, HT_EINVAL, "'%s' is not a numeric IPv4 address", o->host);

  /* Workers inherit this mask, so only the main thread sees the signals. */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  signal(SIGPIPE, SIG_IGN);

  struct MHD_Daemon *d = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG, 0, NULL,
      NULL, on_request, &s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
      MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(o->threads > 0 ? o->threads : 4),
      MHD_OPTION_CONNECTION_LIMIT, (unsigned)(o->max_connections > 0 ? o->max_connections : 512),
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, 128u, MHD_OPTION_CONNECTION_TIMEOUT, 30u,
      /* bounds request line + headers per connection */
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024, MHD_OPTION_NOTIFY_COMPLETED,
      on_completed, &s, MHD_OPTION_END);
  if (!d) {
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    return ht_err_set(err, HT_EIO, "cannot listen on %s:%d (%s); is another server using it?",
                      o->host, o->port, strerror(errno));
  }
  fprintf(stderr, "hoctap: serving http://%s:%d/ (database %s); press Ctrl-C to stop\n", o->host,
          o->port, o->db_path);

  int sig = 0;
  sigwait(&set, &sig);
  fprintf(stderr, "hoctap: %s received, finishing requests in flight\n",
          sig == SIGINT ? "SIGINT" : "SIGTERM");
  MHD_quiesce_daemon(d);
  for (int i = 0; i < 100; i++) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    if (!info || info->num_connections == 0) break;
    usleep(100000);
  }
  MHD_stop_daemon(d);
  for (int i = 0; i < s.nconns; i++) db_close(s.conns[i]);
  app_destroy(&s.app);
  pthread_mutex_destroy(&s.conns_lock);
  pthread_sigmask(SIG_UNBLOCK, &set, NULL);
  fprintf(stderr, "hoctap: stopped\n");
  return HT_OK;
}
