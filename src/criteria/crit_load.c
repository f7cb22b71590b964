/* crit_load.c - loading criteria files and choosing the version in force. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "criteria/crit_defaults.h"

int crit_load_defaults(crit_set *set, issues *out) {
  int rc = HT_OK;
  for (size_t i = 0; i < crit_default_files_count; i++) {
    const embedded_file *f = &crit_default_files[i];
    size_t n = strlen(f->path);
    if (n < 5 || strcmp(f->path + n - 5, ".crit") != 0) continue;
    if (crit_parse(set, f->path + 1, (const char *)f->data, (size_t)f->size, out) != HT_OK)
      rc = HT_EINVAL;
  }
  return rc;
}

int crit_add_missing_defaults(crit_set *set, issues *out) {
  crit_title *last = set->titles;
  while (last && last->next) last = last->next;
  int rc = crit_load_defaults(set, out);
  if (!last) return rc;
  /* Unlink the added titles whose key an earlier title already defines. */
  crit_title **link = &last->next;
  while (*link) {
    int defined = 0;
    for (crit_title *o = set->titles;; o = o->next) {
      defined |= !strcmp(o->key, (*link)->key);
      if (o == last) break;
    }
    if (defined)
      *link = (*link)->next;
    else
      link = &(*link)->next;
  }
  return rc;
}

int crit_load_file(crit_set *set, const char *path, issues *out, ht_err *err) {
  FILE *f = fopen(path, "rb");
  if (!f) return ht_err_set(err, HT_EIO, "cannot open %s: %m", path);
  char *buf = NULL;
  size_t len = 0, cap = 0;
  for (;;) {
    if (len + 65536 > cap) {
      cap = cap ? cap * 2 : 65536;
      if (cap > (size_t)16 << 20) {
        fclose(f);
        free(buf);
        return ht_err_set(err, HT_ELIMIT, "%s is larger than 16 MiB; is it a criteria file?", path);
      }
      char *bigger = realloc(buf, cap);
      if (!bigger) abort();
      buf = bigger;
    }
    size_t got = fread(buf + len, 1, cap - len, f);
    len += got;
    if (got == 0) break;
  }
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    free(buf);
    return ht_err_set(err, HT_EIO, "cannot read %s", path);
  }
  int rc = crit_parse(set, path, buf ? buf : "", len, out);
  free(buf);
  return rc;
}

const crit_title *crit_in_force(const crit_set *set, const char *key, int year, int province) {
  const crit_title *best = NULL;
  for (const crit_title *t = set->titles; t; t = t->next) {
    if (strcmp(t->key, key) != 0 || t->applies_from > year) continue;
    if (t->applies_until && t->applies_until < year) continue;
    if (t->province && t->province != province) continue;
    if (!best || (t->province && !best->province) ||
        (!!t->province == !!best->province && t->applies_from > best->applies_from))
      best = t;
  }
  return best;
}
