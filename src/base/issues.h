/*
 * issues.h - a list of problems found in user input (an import file, a form).
 *
 * Each issue names where (row, field) and what to do, in English; faces
 * translate and print them. Memory comes from the caller's arena. Adding is
 * O(1); the list keeps at most ISSUES_MAX entries but counts all of them.
 */
#ifndef HOCTAP_BASE_ISSUES_H
#define HOCTAP_BASE_ISSUES_H

#include "base/arena.h"

#define ISSUES_MAX 1000

typedef struct issue {
  long row;          /* 1-based row (or line) as the user sees it (header = 1); 0 = whole file */
  long col;          /* 1-based column in a text file, 0 when not applicable */
  const char *file;  /* the file, for lists that span several (issues.file when added) */
  const char *field; /* column or field name, or NULL */
  const char *msg;
  const char *msg_vi; /* the same in Vietnamese, or NULL (faces then show msg) */
} issue;

typedef struct issues {
  arena *mem;
  issue *items;
  long count, kept, cap;
  const char *file; /* copied into each issue added */
} issues;

void issues_init(issues *l, arena *mem);
void issues_add(issues *l, long row, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* As issues_add, for a position in a text file (line and column). */
void issues_add_at(issues *l, long line, long col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Attaches the Vietnamese text of the issue added last (for forms whose
 * users read Vietnamese); no-op when that issue was not kept. */
void issues_vi(issues *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Sorts by row and column within each file (stable otherwise). */
void issues_sort(issues *l);

#endif
