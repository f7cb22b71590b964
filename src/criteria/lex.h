/*
 * lex.h - the line lexer shared by the criteria (crit_parse.c) and targets
 * (targets.c) file parsers: one statement per line, '#' comments, NFC text in
 * double quotes, numbers with 70% = 0.7, ISO dates, words (keys), and for
 * criteria rules the comparison and grouping punctuation. Columns are counted
 * in characters. Errors go to an issues list, one per statement.
 */
#ifndef HOCTAP_CRITERIA_LEX_H
#define HOCTAP_CRITERIA_LEX_H

#include <stddef.h>

#include "base/arena.h"
#include "base/issues.h"

typedef enum lx_kind { T_END, T_WORD, T_NUMBER, T_PERCENT, T_STRING, T_DATE, T_PUNCT } lx_kind;

typedef struct lx_tok {
  lx_kind kind;
  const char *text; /* word, string contents (NFC), date or punctuation; arena copy */
  double number;    /* numbers; percentages as fractions */
  int col;
} lx_tok;

typedef struct lexer {
  arena *mem;       /* where token texts go */
  issues *out;      /* where errors go */
  const char *line; /* the current line, NUL-terminated */
  int lineno;
  size_t pos;
  lx_tok cur;
  int failed; /* the current statement had an error: later ones are noise */
  int punct;  /* recognise >= <= != .. > < = ( ) : , (criteria rules) */
} lexer;

/* Runs statement(ctx) on every line of text (named file in messages) that
 * has a token, with l on its first token: a UTF-8 byte-order mark is
 * skipped, CRLF and LF both end a line, a line with a NUL byte is reported.
 * Returns HT_EINVAL without reading anything when text is not UTF-8. */
int lx_each_line(lexer *l, const char *file, const char *text, size_t len,
                 void (*statement)(void *ctx), void *ctx);
/* Starts line (NUL-terminated, numbered lineno) and reads its first token. */
void lx_line(lexer *l, const char *line, int lineno);
/* Reads the next token into l->cur. */
void lx_next(lexer *l);
/* The column (in characters, from 1) of byte offset byte of the line. */
int lx_column(const lexer *l, size_t byte);
/* Reports an error at col of the current line, once per statement. */
void lx_fail(lexer *l, int col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The current token for a message: "'word'", "the text \"...\"", "a number", ... */
const char *lx_desc(lexer *l);

#endif
