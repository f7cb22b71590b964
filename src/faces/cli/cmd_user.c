/* cmd_user.c - hoctap user add|list|disable|enable|reset-password|set-password|token
 * and hoctap role list|add: accounts from the command line (docs/access.md).
 * The command line acts as "cli:<login>" in the audit trail: whoever can run
 * it on the server can open the database file anyway. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "faces/cli/cli.h"
#include "model/accounts.h"
#include "model/acl.h"

static void user_help(void) {
  printf(
      "Usage: hoctap user COMMAND [--db PATH] ...\n\n"
      "  add NAME --role ROLE --unit CODE [--full-name TEXT] [--password-stdin]\n"
      "        create an account scoped to the subtree of unit CODE; prints a one-time\n"
      "        password that must be changed at first login, unless --password-stdin\n"
      "        reads a password chosen by the operator from standard input\n"
      "  list [--format table|json]   every account\n"
      "  disable NAME | enable NAME   disabling ends the account's sessions and token\n"
      "  reset-password NAME          a new one-time password; ends the account's sessions\n"
      "  set-password NAME            read a new password from standard input\n"
      "  token NAME                   create (replace) the account's API token and print it\n\n"
      "Roles: 'hoctap role list'. Usernames: 3-64 of a-z 0-9 . _ - . Passwords: at least\n"
      "%d characters, not a common password, not containing the username.\n",
      ACCT_PASSWORD_MIN);
}

static void role_help(void) {
  printf(
      "Usage: hoctap role list [--db PATH] [--format table|json]\n"
      "       hoctap role add KEY --name-vi TEXT [--name-en TEXT] --perms \"P1 P2 ...\" [--db "
      "PATH]\n\n"
      "Roles are data: a role is a set of permissions. 'add' creates or replaces one.\n"
      "Permissions:\n");
  for (int i = 0; i < ACL_PERM_COUNT; i++)
    printf("  %-16s %s\n", acl_perms[i].key, acl_perms[i].name_en);
}

static int read_stdin_password(char *buf, size_t size) {
  if (!fgets(buf, (int)size, stdin)) return 0;
  size_t n = strlen(buf);
  while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) buf[--n] = 0;
  return n > 0;
}

static int open_accounts(const char *cmd, const char *dbpath, db **d) {
  int rc = cli_open_db(cmd, dbpath, d);
  if (rc) return rc;
  ht_err err = {0};
  if (acct_init(&err) || acct_roles_seed(*d, &err)) {
    db_close(*d);
    return cli_fail(cmd, "%s", err.msg);
  }
  return EXIT_OK;
}

static int find_user(const char *cmd, db *d, const char *name, arena *a, acct_user *u) {
  if (acct_user_by_name(d, name, a, u) == HT_OK) return EXIT_OK;
  return cli_fail(cmd, "no account is named '%s'; see 'hoctap user list'", name);
}

static void print_time(int64_t ms, char buf[32]) {
  if (!ms) {
    snprintf(buf, 32, "-");
    return;
  }
  time_t t = (time_t)(ms / 1000);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int user_list(db *d, int json) {
  arena a;
  arena_init(&a, 0);
  acct_user *users;
  size_t n;
  if (acct_users_list(d, &a, &users, &n)) {
    arena_free(&a);
    return cli_fail("user", "cannot list the accounts: %s", db_errmsg(d));
  }
  json_t *arr = json ? json_array() : NULL;
  if (!json)
    printf("%-20s %-12s %-10s %-8s %-20s %s\n", "USERNAME", "ROLE", "UNIT", "STATE", "LAST LOGIN",
           "FULL NAME");
  for (size_t i = 0; i < n; i++) {
    const acct_user *u = &users[i];
    char last[32];
    print_time(u->last_login_at, last);
    int never = !u->last_login_at;
    const char *state = u->disabled ? "disabled" : u->must_change ? "new" : "active";
    if (json)
      json_array_append_new(
          arr, json_pack("{ssssssssssssso}", "username", u->username, "full_name", u->full_name,
                         "role", u->role, "unit", u->unit_code, "state", state, "id",
                         arena_sprintf(&a, "%lld", (long long)u->id), "last_login_at",
                         never ? json_null() : json_string(last)));
    else
      printf("%-20s %-12s %-10s %-8s %-20s %s\n", u->username, u->role, u->unit_code, state, last,
             u->full_name);
  }
  if (json) cli_print_json(arr);
  arena_free(&a);
  return EXIT_OK;
}

int cmd_user(int argc, char **argv) {
  static const struct option opts[] = {
      {"db", required_argument, 0, 'd'},       {"role", required_argument, 0, 'r'},
      {"unit", required_argument, 0, 'u'},     {"full-name", required_argument, 0, 'n'},
      {"password-stdin", no_argument, 0, 'p'}, {"format", required_argument, 0, 'f'},
      {"help", no_argument, 0, 'h'},           {0, 0, 0, 0}};
  const char *dbpath = NULL, *role = NULL, *unit = NULL, *full = NULL, *format = NULL;
  int pw_stdin = 0, c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (c) {
      case 'd': dbpath = optarg; break;
      case 'r': role = optarg; break;
      case 'u': unit = optarg; break;
      case 'n': full = optarg; break;
      case 'p': pw_stdin = 1; break;
      case 'f': format = optarg; break;
      case 'h': user_help(); return EXIT_OK;
      default: return cli_usage("user", "unknown or incomplete option '%s'", argv[optind - 1]);
    }
  }
  if (optind >= argc)
    return cli_usage(
        "user", "which command? add, list, disable, enable, reset-password, set-password or token");
  const char *sub = argv[optind];
  const char *name = optind + 1 < argc ? argv[optind + 1] : NULL;
  if (optind + 2 < argc) return cli_usage("user", "unexpected argument '%s'", argv[optind + 2]);
  int json = format ? cli_parse_format(format) : 0;
  if (json < 0) return cli_usage("user", "--format must be table or json, not '%s'", format);
  int is_list = strcmp(sub, "list") == 0;
  if (!is_list && strcmp(sub, "add") && strcmp(sub, "disable") && strcmp(sub, "enable") &&
      strcmp(sub, "reset-password") && strcmp(sub, "set-password") && strcmp(sub, "token"))
    return cli_usage("user", "unknown command '%s'", sub);
  if (!is_list && !name) return cli_usage("user", "%s needs an account name", sub);
  if (strcmp(sub, "add") == 0 && (!role || !unit))
    return cli_usage("user", "add needs --role ROLE and --unit CODE");

  db *d;
  int rc = open_accounts("user", dbpath, &d);
  if (rc) return rc;
  if (is_list) {
    rc = user_list(d, json);
    db_close(d);
    return rc;
  }
  char who_buf[64];
  audit_actor who = audit_cli_actor(who_buf);
  arena a;
  arena_init(&a, 0);
  ht_err err = {0};
  acct_user u;
  char password[ACCT_PASSWORD_MAX + 2];
  if (strcmp(sub, "add") == 0) {
    if (pw_stdin && !read_stdin_password(password, sizeof password)) {
      rc = cli_fail("user", "--password-stdin: no password on standard input");
      goto end;
    }
    hier h;
    if (hier_load(d, &h, &err)) {
      rc = cli_fail("user", "%s", err.msg);
      goto end;
    }
    acct_new_user nu = {name, full ? full : name, role, unit, pw_stdin ? password : NULL, 0};
    char otp[16];
    const char *field, *why_vi;
    int64_t id;
    int r2 = acct_user_create(d, &h, &who, &nu, otp, &id, &field, &why_vi, &err);
    hier_free(&h);
    if (r2) {
      /* name the place on the command line where the bad value came from */
      const char *where = !field                            ? NULL
                          : strcmp(field, "username") == 0  ? "NAME"
                          : strcmp(field, "password") == 0  ? "the password on standard input"
                          : strcmp(field, "full_name") == 0 ? "--full-name"
                                                            : arena_sprintf(&a, "--%s", field);
      rc = where ? cli_fail("user", "%s: %s", where, err.msg) : cli_fail("user", "%s", err.msg);
      goto end;
    }
    printf("Created account '%s' (%s, unit %s).\n", name, role, unit);
    if (!pw_stdin) printf("One-time password: %s\nIt must be changed at the first login.\n", otp);
  } else if ((rc = find_user("user", d, name, &a, &u))) {
    goto end;
  } else if (strcmp(sub, "disable") == 0 || strcmp(sub, "enable") == 0) {
    int off = strcmp(sub, "disable") == 0;
    if (acct_user_set_disabled(d, &who, u.id, off, &err)) {
      rc = cli_fail("user", "%s", err.msg);
      goto end;
    }
    printf("Account '%s' is %s.\n", name,
           off ? "disabled; its sessions and token ended" : "enabled");
  } else if (strcmp(sub, "reset-password") == 0) {
    char otp[16];
    if (acct_user_reset_password(d, &who, u.id, otp, &err)) {
      rc = cli_fail("user", "%s", err.msg);
      goto end;
    }
    printf("One-time password for '%s': %s\nIt must be changed at the next login.\n", name, otp);
  } else if (strcmp(sub, "set-password") == 0) {
    if (!read_stdin_password(password, sizeof password)) {
      rc = cli_fail("user", "set-password reads the new password from standard input; none given");
      goto end;
    }
    const char *why_en, *why_vi;
    if (acct_password_set(d, &who, u.id, password, &why_en, &why_vi, &err)) {
      rc = cli_fail("user", "%s", err.msg);
      goto end;
    }
    printf("Password of '%s' changed; its sessions ended.\n", name);
  } else {
    char token[ACCT_TOKEN_BUF];
    if (acct_token_create(d, &who, u.id, token, &err)) {
      rc = cli_fail("user", "%s", err.msg);
      goto end;
    }
    printf("%s\n", token);
  }
end:
  arena_free(&a);
  db_close(d);
  return rc;
}

int cmd_role(int argc, char **argv) {
  static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                       {"name-vi", required_argument, 0, 'v'},
                                       {"name-en", required_argument, 0, 'e'},
                                       {"perms", required_argument, 0, 'p'},
                                       {"format", required_argument, 0, 'f'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  const char *dbpath = NULL, *vi = NULL, *en = NULL, *perms = NULL, *format = NULL;
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (c) {
      case 'd': dbpath = optarg; break;
      case 'v': vi = optarg; break;
      case 'e': en = optarg; break;
      case 'p': perms = optarg; break;
      case 'f': format = optarg; break;
      case 'h': role_help(); return EXIT_OK;
      default: return cli_usage("role", "unknown or incomplete option '%s'", argv[optind - 1]);
    }
  }
  if (optind >= argc) return cli_usage("role", "which command? list or add");
  const char *sub = argv[optind];
  int json = format ? cli_parse_format(format) : 0;
  if (json < 0) return cli_usage("role", "--format must be table or json, not '%s'", format);
  if (strcmp(sub, "add") == 0) {
    if (optind + 1 >= argc || !vi || !perms)
      return cli_usage("role", "add needs KEY, --name-vi TEXT and --perms \"P1 P2 ...\"");
  } else if (strcmp(sub, "list") != 0) {
    return cli_usage("role", "unknown command '%s'", sub);
  }
  db *d;
  int rc = open_accounts("role", dbpath, &d);
  if (rc) return rc;
  arena a;
  arena_init(&a, 0);
  if (strcmp(sub, "add") == 0) {
    char who_buf[64];
    audit_actor who = audit_cli_actor(who_buf);
    ht_err err = {0};
    if (acct_role_put(d, &who, argv[optind + 1], vi, en, perms, &err))
      rc = cli_fail("role", "%s", err.msg);
    else
      printf("Role '%s' saved.\n", argv[optind + 1]);
  } else {
    acct_role *roles;
    size_t n;
    if (acct_roles_list(d, &a, &roles, &n)) {
      rc = cli_fail("role", "cannot list the roles: %s", db_errmsg(d));
    } else {
      json_t *arr = json ? json_array() : NULL;
      for (size_t i = 0; i < n; i++) {
        const char *p = acl_perms_format(roles[i].perms, &a);
        if (json)
          json_array_append_new(
              arr, json_pack("{ssssssss}", "key", roles[i].key, "name_vi", roles[i].name_vi,
                             "name_en", roles[i].name_en, "perms", p));
        else
          printf("%-12s %-22s %s\n", roles[i].key, roles[i].name_en, p);
      }
      if (json) cli_print_json(arr);
    }
  }
  arena_free(&a);
  db_close(d);
  return rc;
}
