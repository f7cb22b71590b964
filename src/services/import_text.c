/* import_text.c - an imported file as CSV, whatever its text encoding. */
#include "services/import_text.h"

#include <stdlib.h>
#include <string.h>

int import_open_csv(const char *path, tenc_encoding enc, tenc_guess *used, csv_reader **out,
                    ht_err *err) {
  *out = NULL;
  char *raw = NULL, *text = NULL;
  size_t len = 0, text_len = 0;
  int rc = csv_read_file(path, &raw, &len, err);
  if (rc) return rc;
  tenc_guess g = {enc, TENC_AUTO, 100, 0, 0, 0};
  if (enc == TENC_AUTO && tenc_detect(raw, len, &g) != HT_OK) {
    if (used) *used = g;
    rc = csv_open_mem(out, raw, len, err); /* binary: let the reader say what it is */
    goto end;
  }
  if (used) *used = g;
  if (g.enc == TENC_UTF8 && enc == TENC_AUTO) { /* the reader checks UTF-8 itself */
    rc = csv_open_mem(out, raw, len, err);
    goto end;
  }
  ht_err why = {0};
  rc = tenc_to_utf8(raw, len, g.enc, &text, &text_len, &why);
  if (rc) {
    ht_err_set(err, rc, "%s: %s", path, why.msg);
    goto end;
  }
  rc = csv_open_mem(out, text, text_len, err);
end:
  free(raw);
  free(text);
  return rc;
}
