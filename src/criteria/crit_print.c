/* crit_print.c - criteria rules back as text (for `criteria show` and
 * explanations), in the file format's own syntax. */
#include <stdio.h>
#include <string.h>

#include "criteria/crit.h"

static void number(strbuf *b, double v, int percent) {
  if (percent)
    strbuf_printf(b, "%g%%", v * 100.0);
  else
    strbuf_printf(b, "%g", v);
}

static void expr(strbuf *b, const crit_expr *e, int parent_prec);

static int prec(const crit_expr *e) {
  switch (e->op) {
    case OP_OR: return 1;
    case OP_AND: return 2;
    case OP_NOT: return 3;
    case OP_CMP:
    case OP_BETWEEN: return 4;
    case OP_AGG: return 0; /* its test runs to the end: parenthesise inside anything */
    default: return 5;
  }
}

static int is_fraction(const crit_expr *e) {
  return e && e->op == OP_NUMBER && e->number > 0 && e->number < 1;
}

static void expr(strbuf *b, const crit_expr *e, int parent_prec) {
  if (!e) return;
  int p = prec(e), paren = p < parent_prec || (e->op == OP_AGG && parent_prec > 0);
  if (paren) strbuf_putc(b, '(');
  switch (e->op) {
    case OP_NUMBER: number(b, e->number, 0); break;
    case OP_BOOL: strbuf_puts(b, e->number ? "yes" : "no"); break;
    case OP_ENUM:
    case OP_FIELD: strbuf_puts(b, e->name); break;
    case OP_VALUE: strbuf_puts(b, "value"); break;
    case OP_TOTAL: strbuf_puts(b, "total"); break;
    case OP_GROUP: strbuf_printf(b, "group %s", e->name); break;
    case OP_IN_GROUP: strbuf_printf(b, "in_group %s", e->name); break;
    case OP_TITLE: strbuf_printf(b, "recognised %s", e->name ? e->name : "?"); break;
    case OP_TITLE_LEVEL: strbuf_printf(b, "level %s", e->name ? e->name : "?"); break;
    case OP_ITEM: strbuf_printf(b, "item %s", e->name ? e->name : "?"); break;
    case OP_STRING: strbuf_printf(b, "\"%s\"", e->name); break;
    case OP_REGISTERED:
      strbuf_puts(b, "registered");
      if (e->name) strbuf_printf(b, " %s", e->name);
      break;
    case OP_NOT:
      strbuf_puts(b, "not ");
      expr(b, e->a, 3);
      break;
    case OP_AND:
    case OP_OR:
      expr(b, e->a, p);
      strbuf_puts(b, e->op == OP_AND ? " and " : " or ");
      expr(b, e->b, p + 1);
      break;
    case OP_CMP:
      expr(b, e->a, 5);
      strbuf_printf(b, " %s ", e->name);
      /* thresholds on shares read better as percentages */
      if (is_fraction(e->b) && (e->a->op == OP_VALUE || e->a->op == OP_AGG))
        number(b, e->b->number, 1);
      else
        expr(b, e->b, 5);
      break;
    case OP_BETWEEN:
      expr(b, e->a, 5);
      strbuf_puts(b, " between ");
      expr(b, e->b, 5);
      strbuf_puts(b, " and ");
      expr(b, e->c, 5);
      break;
    case OP_AGG: {
      static const char *const names[] = {"every", "any", "count", "share"};
      strbuf_printf(b, "%s %s", names[e->agg], e->name ? e->name : "?");
      if (e->a) {
        strbuf_puts(b, " where ");
        expr(b, e->a, 1);
      }
      if (e->b) {
        strbuf_puts(b, " : ");
        expr(b, e->b, 0);
      }
      break;
    }
  }
  if (paren) strbuf_putc(b, ')');
}

void crit_expr_format(strbuf *b, const crit_expr *e) {
  expr(b, e, 0);
}
