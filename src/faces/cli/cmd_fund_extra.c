/* cmd_fund_extra.c - the `hoctap fund` subcommands defined in other files
 * (cmd_fund.h): one line each here, and a line of help. */
#include "faces/cli/cmd_fund.h"

static const fund_subcommand extra[] = {
    {NULL, NULL},
};

const fund_subcommand *fund_cli_extra(void) {
  return extra;
}

const char *fund_cli_extra_help(void) {
  return "";
}
