/* strmap.c - string -> int64 hash map (linear probing, FNV-1a). */
#include "base/strmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint64_t strmap_hash(const char *s) {
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}

void strmap_init(strmap *m) {
  memset(m, 0, sizeof *m);
}

void strmap_free(strmap *m) {
  free(m->keys);
  free(m->values);
  memset(m, 0, sizeof *m);
}

static void grow(strmap *m) {
  size_t cap = m->cap ? m->cap * 2 : 64;
  const char **keys = calloc(cap, sizeof *keys);
  int64_t *values = calloc(cap, sizeof *values);
  if (!keys || !values) {
    fputs("hoctap: out of memory\n", stderr);
    abort();
  }
  for (size_t i = 0; i < m->cap; i++) {
    if (!m->keys[i]) continue;
    size_t j = strmap_hash(m->keys[i]) & (cap - 1);
    while (keys[j]) j = (j + 1) & (cap - 1);
    keys[j] = m->keys[i];
    values[j] = m->values[i];
  }
  free(m->keys);
  free(m->values);
  m->keys = keys;
  m->values = values;
  m->cap = cap;
}

int strmap_put(strmap *m, const char *key, int64_t value) {
  if ((m->len + 1) * 10 > m->cap * 7) grow(m);
  size_t j = strmap_hash(key) & (m->cap - 1);
  while (m->keys[j]) {
    if (strcmp(m->keys[j], key) == 0) {
      m->values[j] = value;
      return 0;
    }
    j = (j + 1) & (m->cap - 1);
  }
  m->keys[j] = key;
  m->values[j] = value;
  m->len++;
  return 1;
}

int strmap_get(const strmap *m, const char *key, int64_t *value) {
  if (!m->cap) return 0;
  size_t j = strmap_hash(key) & (m->cap - 1);
  while (m->keys[j]) {
    if (strcmp(m->keys[j], key) == 0) {
      if (value) *value = m->values[j];
      return 1;
    }
    j = (j + 1) & (m->cap - 1);
  }
  return 0;
}
