/* issues.c - problems found in user input. */
#include "base/issues.h"

#include <stdarg.h>
#include <string.h>

void issues_init(issues *l, arena *mem) {
  memset(l, 0, sizeof *l);
  l->mem = mem;
}

static issue *next_slot(issues *l) {
  l->count++;
  if (l->kept >= ISSUES_MAX) return NULL;
  if (l->kept == l->cap) {
    long cap = l->cap ? l->cap * 2 : 16;
    issue *items = arena_alloc(l->mem, (size_t)cap * sizeof *items);
    if (l->kept) memcpy(items, l->items, (size_t)l->kept * sizeof *items);
    l->items = items;
    l->cap = cap;
  }
  issue *it = &l->items[l->kept++];
  memset(it, 0, sizeof *it);
  it->file = l->file;
  return it;
}

void issues_add(issues *l, long row, const char *field, const char *fmt, ...) {
  issue *it = next_slot(l);
  if (!it) return;
  va_list ap;
  va_start(ap, fmt);
  it->row = row;
  it->field = field ? arena_strdup(l->mem, field) : NULL;
  it->msg = arena_vsprintf(l->mem, fmt, ap);
  va_end(ap);
}

void issues_add_at(issues *l, long line, long col, const char *fmt, ...) {
  issue *it = next_slot(l);
  if (!it) return;
  va_list ap;
  va_start(ap, fmt);
  it->row = line;
  it->col = col;
  it->msg = arena_vsprintf(l->mem, fmt, ap);
  va_end(ap);
}

void issues_vi(issues *l, const char *fmt, ...) {
  if (!l->kept || l->count > l->kept) return; /* the last one was counted, not kept */
  va_list ap;
  va_start(ap, fmt);
  l->items[l->kept - 1].msg_vi = arena_vsprintf(l->mem, fmt, ap);
  va_end(ap);
}

void issues_sort(issues *l) {
  /* By row, then column, within each file. Insertion sort: stable, and lists hold at most
   * ISSUES_MAX items. */
  issue *copy = l->items;
  for (long i = 1; i < l->kept; i++) {
    issue x = copy[i];
    long j = i - 1;
    while (j >= 0 && copy[j].file == x.file &&
           (copy[j].row > x.row || (copy[j].row == x.row && copy[j].col > x.col))) {
      copy[j + 1] = copy[j];
      j--;
    }
    copy[j + 1] = x;
  }
}
