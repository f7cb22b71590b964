/*
 * arena.h - region allocator for request- and import-scoped memory.
 *
 * An arena hands out memory from large blocks and frees everything at once
 * with arena_free(). Nothing allocated from it may outlive it. Allocation is
 * O(1) amortised; allocation failure aborts the process (out of memory is not
 * a condition the product can recover from in the middle of a request).
 */
#ifndef HOCTAP_BASE_ARENA_H
#define HOCTAP_BASE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct arena_block arena_block;
typedef struct arena {
  arena_block *head;
  size_t block_size;
} arena;

void arena_init(arena *a, size_t block_size); /* block_size 0 = 64 KiB */
void *arena_alloc(arena *a, size_t n);        /* 16-byte aligned */
void *arena_calloc(arena *a, size_t n);
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_sprintf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vsprintf(arena *a, const char *fmt, va_list ap);
/* Room for one more element in an arena array of n elements of elem bytes:
 * returns arr, or a copy twice as large (the old one stays in the arena
 * until it is freed). *cap is the capacity, updated. Amortised O(1). */
void *arena_grow(arena *a, void *arr, size_t n, size_t *cap, size_t elem);
void arena_free(arena *a);
/* Forgets everything allocated but keeps one block for reuse: a loop that
 * needs scratch memory per row resets instead of growing. */
void arena_reset(arena *a);

#endif
