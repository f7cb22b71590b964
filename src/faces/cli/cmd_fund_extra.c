/* cmd_fund_extra.c - the `hoctap fund` subcommands defined in other files
 * (cmd_fund.h): one line each here, and a line of help. */
#include "faces/cli/cmd_fund.h"

static const fund_subcommand extra[] = {
    {"receipt-pdf", fund_cli_receipt_pdf},
    {"statement", fund_cli_statement},
    {"transparency", fund_cli_transparency},
    {"programme", fund_cli_programme},
    {NULL, NULL},
};

const fund_subcommand *fund_cli_extra(void) {
  return extra;
}

const char *fund_cli_extra_help(void) {
  return "  receipt-pdf ENTRY -o FILE.pdf     the donation receipt of a receipt's entry\n"
         "  statement CODE [--from D] [--to D] -o FILE.xlsx|FILE.pdf\n"
         "                                    the statement of a period (default: this year)\n"
         "  transparency CODE [--from D] [--to D] [--url BASE] -o FILE.pdf\n"
         "                                    the public transparency report of a period\n"
         "  programme add CODE --fund FUND --name NAME --rules FILE\n"
         "                                    an award programme: its rules as text\n"
         "  programme list [--fund FUND] [--format json]\n"
         "  programme show CODE [--format json]   its rules and its batches\n"
         "  programme run CODE --year Y [--format json]\n"
         "                                    propose the batch of the year\n"
         "  programme batch ID [--format json]    a batch with its items\n"
         "  programme approve ID --number N --date D --signer NAME [--drop 2,5]\n"
         "                                    one decision accepts the batch\n"
         "  programme pay ID --date D [--method cash|bank]\n"
         "                                    one payment per item, all or nothing\n"
         "  programme cancel ID --reason R    a proposed or approved batch\n";
}
