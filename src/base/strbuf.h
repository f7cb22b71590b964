/*
 * strbuf.h - growable byte buffer (heap-owned, NUL-terminated at all times).
 *
 * The owner calls strbuf_free(). Appends are amortised O(1); failure to grow
 * aborts (see arena.h for why).
 */
#ifndef HOCTAP_BASE_STRBUF_H
#define HOCTAP_BASE_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct strbuf {
  char *data; /* always NUL-terminated once anything was appended */
  size_t len, cap;
} strbuf;

#define STRBUF_INIT \
  { NULL, 0, 0 }

void strbuf_append(strbuf *b, const char *s, size_t n);
void strbuf_puts(strbuf *b, const char *s);
void strbuf_putc(strbuf *b, char c);
void strbuf_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_reset(strbuf *b);
const char *strbuf_cstr(strbuf *b); /* "" when empty */
char *strbuf_detach(strbuf *b);     /* caller frees; buffer is reset */
void strbuf_free(strbuf *b);

#endif
