/* lex.c - see lex.h. O(line length) per line; token texts from the arena. */
#include "criteria/lex.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/vtext.h"

int lx_column(const lexer *l, size_t byte) {
  int col = 1;
  for (size_t i = 0; i < byte && l->line[i]; i++)
    if (((unsigned char)l->line[i] & 0xC0) != 0x80) col++;
  return col;
}

void lx_fail(lexer *l, int col, const char *fmt, ...) {
  if (l->failed) return;
  l->failed = 1;
  va_list ap;
  va_start(ap, fmt);
  char *msg = arena_vsprintf(l->out->mem, fmt, ap);
  va_end(ap);
  issues_add_at(l->out, l->lineno, col, "%s", msg);
}

static int is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

static int is_digit(char c) {
  return c >= '0' && c <= '9';
}

int lx_each_line(lexer *l, const char *file, const char *text, size_t len,
                 void (*statement)(void *ctx), void *ctx) {
  size_t start = 0;
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) start = 3;
  if (!vt_utf8_valid(text, len)) {
    issues_add_at(l->out, 0, 0, "%s is not valid UTF-8 text; save it as UTF-8", file);
    return HT_EINVAL;
  }
  int lineno = 0;
  while (start < len) {
    size_t end = start;
    while (end < len && text[end] != '\n') end++;
    size_t n = end - start;
    if (n && text[start + n - 1] == '\r') n--;
    lineno++;
    if (memchr(text + start, '\0', n)) {
      issues_add_at(l->out, lineno, 1, "the line contains a NUL byte; is this a text file?");
    } else {
      lx_line(l, arena_strndup(l->mem, text + start, n), lineno);
      if (l->cur.kind != T_END) statement(ctx);
    }
    start = end + 1;
  }
  return HT_OK;
}

void lx_line(lexer *l, const char *line, int lineno) {
  l->line = line;
  l->lineno = lineno;
  l->pos = 0;
  l->failed = 0;
  lx_next(l);
}

void lx_next(lexer *l) {
  const char *s = l->line;
  while (s[l->pos] == ' ' || s[l->pos] == '\t') l->pos++;
  lx_tok *t = &l->cur;
  memset(t, 0, sizeof *t);
  t->col = lx_column(l, l->pos);
  size_t start = l->pos;
  char c = s[start];
  if (c == '\0' || c == '#') return; /* T_END */
  if (c == '"') {
    size_t i = start + 1;
    while (s[i] && s[i] != '"') i++;
    if (s[i] != '"') {
      lx_fail(l, t->col, "unterminated text: close it with \" on the same line");
      l->pos = i;
      return;
    }
    char *raw = arena_strndup(l->mem, s + start + 1, i - start - 1), *nfc = NULL;
    if (vt_nfc(raw, &nfc) == HT_OK) {
      t->text = arena_strdup(l->mem, nfc);
      free(nfc);
    } else {
      t->text = raw;
    }
    t->kind = T_STRING;
    l->pos = i + 1;
    return;
  }
  if (is_digit(c)) {
    size_t i = start;
    while (is_digit(s[i])) i++;
    if (i - start == 4 && s[i] == '-' && is_digit(s[i + 1])) { /* an ISO date */
      while (is_digit(s[i]) || s[i] == '-') i++;
      t->kind = T_DATE;
      t->text = arena_strndup(l->mem, s + start, i - start);
      l->pos = i;
      return;
    }
    if (s[i] == '.' && is_digit(s[i + 1])) /* a decimal, not a range 1..3 */
      for (i++; is_digit(s[i]);) i++;
    t->number = strtod(arena_strndup(l->mem, s + start, i - start), NULL);
    t->kind = T_NUMBER;
    if (s[i] == '%') {
      t->kind = T_PERCENT;
      t->number /= 100.0;
      i++;
    }
    if (is_word_char(s[i])) { /* 2025x, 70%a: neither a number nor a key */
      size_t j = i;
      while (is_word_char(s[j])) j++;
      lx_fail(l, t->col, "'%.*s' is not a number; numbers are written 2025, 70%% or 12.5%%",
              (int)(j - start), s + start);
      t->kind = T_END;
      l->pos = j;
      return;
    }
    l->pos = i;
    return;
  }
  if (is_word_char(c)) {
    size_t i = start;
    while (is_word_char(s[i])) i++;
    t->kind = T_WORD;
    t->text = arena_strndup(l->mem, s + start, i - start);
    l->pos = i;
    return;
  }
  static const char *const puncts[] = {">=", "<=", "!=", "..", ">", "<", "=", "(", ")", ":", ","};
  for (size_t k = 0; l->punct && k < sizeof puncts / sizeof puncts[0]; k++) {
    size_t n = strlen(puncts[k]);
    if (strncmp(s + start, puncts[k], n) == 0) {
      t->kind = T_PUNCT;
      t->text = puncts[k];
      l->pos = start + n;
      return;
    }
  }
  lx_fail(l, t->col, "unexpected character '%.*s'",
          (int)vt_utf8_seq_len(s + start, strlen(s + start)), s + start);
  l->pos = start + (size_t)vt_utf8_seq_len(s + start, strlen(s + start));
}

const char *lx_desc(lexer *l) {
  switch (l->cur.kind) {
    case T_END: return "the end of the line";
    case T_STRING: return arena_sprintf(l->mem, "the text \"%s\"", l->cur.text);
    case T_NUMBER:
    case T_PERCENT: return "a number";
    case T_DATE: return arena_sprintf(l->mem, "the date %s", l->cur.text);
    default: return arena_sprintf(l->mem, "'%s'", l->cur.text);
  }
}
