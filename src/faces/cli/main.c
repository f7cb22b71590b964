/* main.c - the hoctap command: dispatches to one command per file. */
#include <stdio.h>
#include <string.h>

#include "faces/cli/cli.h"
#include "version.h"

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv) {
  printf("hoctap %s\n", HOCTAP_VERSION);
  return EXIT_OK;
}

static const cli_command commands[] = {
    {"init", "create or upgrade the database", cmd_init},
    {"demo", "build a Hai Phong-shaped demo data set", cmd_demo},
    {"units", "import and query the administrative hierarchy", cmd_units},
    {"criteria", "check criteria files; list and show the titles' criteria", cmd_criteria},
    {"evaluate", "evaluate every title for a year: counts and rates per unit", cmd_evaluate},
    {"results", "per-entity results of a title for a year", cmd_results},
    {"explain", "explain one entity's result, item by item", cmd_explain},
    {"targets", "check targets files; the programme targets that apply in a year", cmd_targets},
    {"record", "show and change a yearly record: registration, values, evidence", cmd_record},
    {"workflow", "the workflow settings: who decides each title, deadlines", cmd_workflow},
    {"decision", "recognition decisions: create (a batch of records), list, show", cmd_decision},
    {"template", "write an import template (.xlsx or .csv), empty or with a unit's rows",
     cmd_template},
    {"report", "the yearly report, a commune's dossier, a decision's list (.xlsx or .pdf)",
     cmd_report},
    {"certificate", "preview certificates of recognition (PDF); check a certificate template",
     cmd_certificate},
    {"user", "accounts: add, list, disable, reset a password, API tokens", cmd_user},
    {"role", "roles: list, add (a role is a set of permissions)", cmd_role},
    {"audit", "verify the audit trail's hash chain; list entries", cmd_audit},
    {"import", "import households, persons, clans, units or assessments (CSV, XLSX)", cmd_import},
    {"xlsx", "list the sheets of an .xlsx workbook; print a sheet's rows", cmd_xlsx},
    {"export", "write a list or rollup as CSV or XLSX, or DHIS2 JSON/ADX", cmd_export},
    {"fund", "study-promotion funds: donations, payments, beneficiaries, the books", cmd_fund},
    {"serve", "run the web server", cmd_serve},
    {"routes", "list every API endpoint with its permission (JSON lines)", cmd_routes},
    {"help", "show this help, or a command's help", cmd_help},
    {"version", "print the version", cmd_version},
};
#define COMMAND_COUNT (sizeof commands / sizeof commands[0])

static void usage(FILE *out) {
  fprintf(out,
          "hoctap %s - learning society records, evaluation and reports\n\n"
          "Usage: hoctap COMMAND [OPTIONS]\n\nCommands:\n",
          HOCTAP_VERSION);
  for (size_t i = 0; i < COMMAND_COUNT; i++)
    fprintf(out, "  %-11s %s\n", commands[i].name, commands[i].summary);
  fprintf(out,
          "\nThe database is --db PATH, else $HOCTAP_DB, else ./hoctap.db.\n"
          "Run 'hoctap COMMAND --help' for a command's options. Exit status: 0 success,\n"
          "1 runtime error, 2 usage error.\n");
}

static const cli_command *find(const char *name) {
  for (size_t i = 0; i < COMMAND_COUNT; i++)
    if (strcmp(commands[i].name, name) == 0) return &commands[i];
  return NULL;
}

static int cmd_help(int argc, char **argv) {
  if (argc < 2) {
    usage(stdout);
    return EXIT_OK;
  }
  const cli_command *c = find(argv[1]);
  if (!c) return cli_usage("help", "unknown command '%s'", argv[1]);
  char *args[] = {argv[1], "--help", NULL};
  return c->run(2, args);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return EXIT_USAGE;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    usage(stdout);
    return EXIT_OK;
  }
  if (strcmp(argv[1], "--version") == 0) return cmd_version(0, NULL);
  const cli_command *c = find(argv[1]);
  if (!c) {
    fprintf(stderr, "hoctap: unknown command '%s'\nTry 'hoctap help'.\n", argv[1]);
    return EXIT_USAGE;
  }
  return c->run(argc - 1, argv + 1);
}
