/* import_header.c - header matching for imports. */
#include "services/import_header.h"

#include <string.h>
#include <strings.h>

#include "base/strbuf.h"

const char *import_field(const csv_row *row, int i) {
  return (i >= 0 && (size_t)i < row->nfields) ? row->fields[i] : "";
}

static int blank(const char *s) {
  return s[strspn(s, " \t")] == '\0';
}

int import_header(const csv_row *header, const import_column *cols, int ncols, int *index,
                  issues *out) {
  long before = out->count;
  for (int c = 0; c < ncols; c++) index[c] = -1;
  strbuf expected = STRBUF_INIT;
  for (int c = 0; c < ncols; c++) {
    if (c) strbuf_puts(&expected, ",");
    strbuf_puts(&expected, cols[c].key);
  }
  for (size_t f = 0; f < header->nfields; f++) {
    const char *name = header->fields[f];
    if (blank(name)) continue;
    /* tolerate surrounding spaces in a header cell */
    size_t start = strspn(name, " \t"), len = strlen(name + start);
    while (len && (name[start + len - 1] == ' ' || name[start + len - 1] == '\t')) len--;
    int found = -1;
    for (int c = 0; c < ncols; c++)
      if (strlen(cols[c].key) == len && strncasecmp(cols[c].key, name + start, len) == 0) found = c;
    if (found < 0) {
      issues_add(out, header->record, name,
                 "unknown column '%s'; the columns are %s (case and order do not matter)", name,
                 strbuf_cstr(&expected));
    } else if (index[found] >= 0) {
      issues_add(out, header->record, cols[found].key,
                 "column '%s' appears twice (columns %d and %zu); keep one", cols[found].key,
                 index[found] + 1, f + 1);
    } else {
      index[found] = (int)f;
    }
  }
  for (int c = 0; c < ncols; c++)
    if (cols[c].required && index[c] < 0)
      issues_add(out, header->record, cols[c].key,
                 "required column '%s' is missing; the header must name %s", cols[c].key,
                 strbuf_cstr(&expected));
  strbuf_free(&expected);
  return (int)(out->count - before);
}
