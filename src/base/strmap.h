/*
 * strmap.h - open-addressing hash map from NUL-terminated strings to int64.
 *
 * Keys are not copied: the caller keeps them alive as long as the map (they
 * usually live in the same arena). Lookups and inserts are O(1) expected;
 * the table doubles at 70% load.
 */
#ifndef HOCTAP_BASE_STRMAP_H
#define HOCTAP_BASE_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct strmap {
  const char **keys;
  int64_t *values;
  size_t cap, len;
} strmap;

void strmap_init(strmap *m);
void strmap_free(strmap *m);
/* Sets key to value; returns 1 if the key was new, 0 if it was replaced. */
int strmap_put(strmap *m, const char *key, int64_t value);
/* Returns 1 and sets *value if present, else 0. */
int strmap_get(const strmap *m, const char *key, int64_t *value);
uint64_t strmap_hash(const char *s);

#endif
