/* csv_write.c - CSV for spreadsheets (see csv_write.h). */
#include "io/csv_write.h"

#include <math.h>
#include <string.h>

static void put(csvw *w, const char *s, size_t n) {
  if (w->buf)
    strbuf_append(w->buf, s, n);
  else
    fwrite(s, 1, n, w->file);
}

static void start(csvw *w, strbuf *buf, FILE *file) {
  w->buf = buf;
  w->file = file;
  w->fields = 0;
  put(w, "\xEF\xBB\xBF", 3);
}

void csvw_init_buf(csvw *w, strbuf *buf) {
  start(w, buf, NULL);
}

void csvw_init_file(csvw *w, FILE *file) {
  start(w, NULL, file);
}

static void separator(csvw *w) {
  if (w->fields++) put(w, ",", 1);
}

void csvw_text(csvw *w, const char *text) {
  separator(w);
  if (!text || !*text) return;
  int formula = strchr("=+-@\t\r", text[0]) != NULL;
  int quote = strpbrk(text, ",\"\r\n") != NULL;
  if (quote) put(w, "\"", 1);
  if (formula) put(w, "'", 1);
  for (const char *p = text; *p;) {
    const char *q = strchr(p, '"');
    size_t n = q ? (size_t)(q - p) : strlen(p);
    put(w, p, n);
    if (!q) break;
    put(w, "\"\"", 2);
    p = q + 1;
  }
  if (quote) put(w, "\"", 1);
}

void csvw_number(csvw *w, double value) {
  separator(w);
  if (isnan(value)) return;
  char buf[64];
  int n;
  if (value == floor(value) && fabs(value) < 1e15) {
    n = snprintf(buf, sizeof buf, "%.0f", value);
  } else {
    n = snprintf(buf, sizeof buf, "%.6f", value);
    while (n > 0 && buf[n - 1] == '0') n--;
    if (n > 0 && buf[n - 1] == '.') n--;
  }
  if (n > 0 && strcmp(buf, "-0") == 0) n = snprintf(buf, sizeof buf, "0");
  put(w, buf, (size_t)n);
}

void csvw_number_text(csvw *w, const char *text) {
  separator(w);
  if (text) put(w, text, strlen(text));
}

void csvw_end_row(csvw *w) {
  put(w, "\r\n", 2);
  w->fields = 0;
}
