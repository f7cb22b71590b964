/*
 * units_import.h - importing the administrative hierarchy and its changes
 * from CSV (docs/cli.md, "hoctap units").
 *
 * An import validates the whole file against itself and the database first;
 * if anything is wrong it writes nothing and returns HT_EINVAL with every
 * problem (row, column, what to do) in the issues list. Otherwise it writes
 * every row in one transaction. Rows are keyed by (code, valid_from): a row
 * whose key exists already replaces that version, so re-importing a file is
 * harmless.
 */
#ifndef HOCTAP_SERVICES_UNITS_IMPORT_H
#define HOCTAP_SERVICES_UNITS_IMPORT_H

#include "base/issues.h"
#include "io/textenc.h"
#include "model/audit.h"
#include "store/db.h"

typedef struct import_result {
  long rows;      /* data rows read */
  long inserted;  /* new rows written */
  long updated;   /* existing rows replaced */
  long unchanged; /* rows identical to what the database holds */
} import_result;

/* Columns: code,name,kind,parent_code,valid_from,valid_to,groups. */
/* Writes one audit entry per import (file, its SHA-256, the counts), in the
 * import's transaction. The file is read in enc (TENC_AUTO: detected; *used,
 * which may be NULL, says what was read; see services/import_text.h). */
int units_import_csv(db *d, const audit_actor *who, const char *path, tenc_encoding enc,
                     tenc_guess *used, import_result *res, issues *problems, ht_err *err);
/* Columns: date,old_code,new_code. Encoding as for units_import_csv(). */
int units_import_changes_csv(db *d, const audit_actor *who, const char *path, tenc_encoding enc,
                             tenc_guess *used, import_result *res, issues *problems, ht_err *err);

#endif
