/* arena.c - region allocator. */
#include "base/arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arena_block {
  arena_block *next;
  size_t used, size;
  _Alignas(16) unsigned char data[];
};

static void *xmalloc(size_t n) {
  void *p = malloc(n);
  if (!p) {
    fputs("hoctap: out of memory\n", stderr);
    abort();
  }
  return p;
}

void arena_init(arena *a, size_t block_size) {
  a->head = NULL;
  a->block_size = block_size ? block_size : 64 * 1024;
}

void *arena_alloc(arena *a, size_t n) {
  n = (n + 15) & ~(size_t)15;
  if (!a->block_size) a->block_size = 64 * 1024;
  arena_block *b = a->head;
  if (!b || b->size - b->used < n) {
    size_t size = n > a->block_size ? n : a->block_size;
    b = xmalloc(sizeof *b + size);
    b->size = size;
    b->used = 0;
    /* A big allocation gets its own block behind the current one, so the
     * current block keeps serving small allocations. */
    if (a->head && n > a->block_size) {
      b->next = a->head->next;
      a->head->next = b;
    } else {
      b->next = a->head;
      a->head = b;
    }
  }
  void *p = b->data + b->used;
  b->used += n;
  return p;
}

void arena_reset(arena *a) {
  arena_block *keep = a->head;
  if (!keep) return;
  for (arena_block *b = keep->next, *next; b; b = next) {
    next = b->next;
    free(b);
  }
  keep->next = NULL;
  keep->used = 0;
}

void *arena_calloc(arena *a, size_t n) {
  void *p = arena_alloc(a, n);
  memset(p, 0, n);
  return p;
}

char *arena_strndup(arena *a, const char *s, size_t n) {
  char *p = arena_alloc(a, n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *arena_strdup(arena *a, const char *s) {
  return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vsprintf(arena *a, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0) n = 0;
  char *p = arena_alloc(a, (size_t)n + 1);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  return p;
}

char *arena_sprintf(arena *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *p = arena_vsprintf(a, fmt, ap);
  va_end(ap);
  return p;
}

void arena_free(arena *a) {
  arena_block *b = a->head;
  while (b) {
    arena_block *next = b->next;
    free(b);
    b = next;
  }
  a->head = NULL;
}

void *arena_grow(arena *a, void *arr, size_t n, size_t *cap, size_t elem) {
  if (n < *cap) return arr;
  *cap = *cap ? 2 * *cap : 8;
  void *grown = arena_alloc(a, *cap * elem);
  if (n) memcpy(grown, arr, n * elem);
  return grown;
}
