/*
 * import_header.h - matching the header row of an imported table to the
 * columns a kind of import expects (machine keys, case-insensitive, any order).
 */
#ifndef HOCTAP_SERVICES_IMPORT_HEADER_H
#define HOCTAP_SERVICES_IMPORT_HEADER_H

#include "base/issues.h"
#include "io/csv.h"

typedef struct import_column {
  const char *key;
  int required;
} import_column;

/* Fills index[i] with the field position of cols[i] in the header (-1 when an
 * optional column is absent). Reports a missing required column, an unknown
 * column and a repeated column on row 1. Returns the number of problems. */
int import_header(const csv_row *header, const import_column *cols, int ncols, int *index,
                  issues *out);

/* Field i of row, or "" when the row is shorter or i < 0. */
const char *import_field(const csv_row *row, int i);

#endif
