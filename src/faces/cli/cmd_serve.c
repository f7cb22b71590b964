/* cmd_serve.c - hoctap serve: run the web server. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faces/cli/cli.h"
#include "faces/http/http.h"
#include "faces/http/server.h"

static void help(void) {
  printf(
      "Usage: hoctap serve [--db PATH] [--listen ADDR:PORT] [--threads N] [--quiet] [--https]\n\n"
      "Serves the web application and its JSON API until SIGINT or SIGTERM; then it\n"
      "stops accepting connections and lets requests in flight finish.\n\n"
      "  --db PATH           database file (default: $HOCTAP_DB, else ./hoctap.db)\n"
      "  --listen ADDR:PORT  numeric IPv4 address and port (default 127.0.0.1:8080)\n"
      "  --threads N         worker threads (default 4)\n"
      "  --quiet             no request log on stderr\n"
      "  --https             users reach the server over https (a TLS proxy in front of it):\n"
      "                      the session cookie is marked Secure\n"
      "Everything but the login, the front end's files and public pages needs a login;\n"
      "see docs/access.md. 'hoctap init' creates the first administrator.\n");
}

int cmd_serve(int argc, char **argv) {
  static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                       {"listen", required_argument, 0, 'l'},
                                       {"threads", required_argument, 0, 't'},
                                       {"quiet", no_argument, 0, 'q'},
                                       {"https", no_argument, 0, 's'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  const char *dbpath = NULL, *listen = "127.0.0.1:8080";
  http_server_options o;
  memset(&o, 0, sizeof o);
  o.threads = 4;
  o.max_body = 1024 * 1024;
  o.max_connections = 512;
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (c) {
      case 'd': dbpath = optarg; break;
      case 'l': listen = optarg; break;
      case 'q': o.quiet = 1; break;
      case 's': o.https = 1; break;
      case 't': {
        char *end;
        long n = strtol(optarg, &end, 10);
        if (*end || n < 1 || n > 64)
          return cli_usage("serve", "--threads must be between 1 and 64, not '%s'", optarg);
        o.threads = (int)n;
        break;
      }
      case 'h': help(); return EXIT_OK;
      default: return cli_usage("serve", "unknown or incomplete option '%s'", argv[optind - 1]);
    }
  }
  if (optind < argc) return cli_usage("serve", "unexpected argument '%s'", argv[optind]);
  static char host[64];
  const char *colon = strrchr(listen, ':');
  char *end;
  long port = colon ? strtol(colon + 1, &end, 10) : -1;
  if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof host || *end || port < 1 ||
      port > 65535)
    return cli_usage("serve", "--listen must be ADDR:PORT such as 127.0.0.1:8080, not '%s'",
                     listen);
  memcpy(host, listen, (size_t)(colon - listen));
  host[colon - listen] = '\0';
  o.host = host;
  o.port = (int)port;
  o.db_path = db_default_path(dbpath);
  ht_err err = {0};
  if (http_server_run(&o, &err) != HT_OK) return cli_fail("serve", "%s", err.msg);
  return EXIT_OK;
}

int cmd_routes(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--help") == 0) {
    printf(
        "Usage: hoctap routes\n\nPrints every endpoint of the web server as one JSON object per\n"
        "line: method, pattern, who may call it (access, perms) and how the object's unit is\n"
        "found (scope). The access tests walk this list.\n");
    return EXIT_OK;
  }
  if (argc > 1) return cli_usage("routes", "unexpected argument '%s'", argv[1]);
  http_routes_print();
  return http_routes_check() ? EXIT_RUNTIME : EXIT_OK;
}
