/* strbuf.c - growable byte buffer. */
#include "base/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void grow(strbuf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap * 2 : 64;
  while (cap < b->len + extra + 1) cap *= 2;
  char *p = realloc(b->data, cap);
  if (!p) {
    fputs("hoctap: out of memory\n", stderr);
    abort();
  }
  b->data = p;
  b->cap = cap;
}

void strbuf_append(strbuf *b, const char *s, size_t n) {
  grow(b, n);
  if (n) memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void strbuf_puts(strbuf *b, const char *s) {
  strbuf_append(b, s, strlen(s));
}

void strbuf_putc(strbuf *b, char c) {
  strbuf_append(b, &c, 1);
}

void strbuf_printf(strbuf *b, const char *fmt, ...) {
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n > 0) {
    grow(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
  }
  va_end(ap);
}

void strbuf_reset(strbuf *b) {
  b->len = 0;
  if (b->data) b->data[0] = '\0';
}

const char *strbuf_cstr(strbuf *b) {
  return b->data ? b->data : "";
}

char *strbuf_detach(strbuf *b) {
  char *p = b->data;
  if (!p) {
    p = malloc(1);
    if (!p) abort();
    p[0] = '\0';
  }
  b->data = NULL;
  b->len = b->cap = 0;
  return p;
}

void strbuf_free(strbuf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}
