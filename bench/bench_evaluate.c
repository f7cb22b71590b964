/*
 * bench_evaluate.c - times the evaluation engine on a database: loading a
 * year (hierarchy, registry, records) into memory, a full evaluation of every
 * title, and single-record incremental updates. Prints one JSON object.
 *
 *   build/bench_evaluate DB YEAR [REPEAT]
 *
 * The incremental updates flip an entered yes/no value of a random
 * registered household (gia-dinh-hoc-tap C3a) and a random person's literacy,
 * then flush; each is timed alone. Counts are printed so that a peer's SQL can
 * be checked against them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "services/eng_load.h"
#include "services/evaluation.h"

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static long rss_kib(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long v = -1;
  while (f && fgets(line, sizeof line, f))
    if (!strncmp(line, "VmRSS:", 6)) v = strtol(line + 6, NULL, 10);
  if (f) fclose(f);
  return v;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: bench_evaluate DB YEAR [REPEAT]\n");
    return 2;
  }
  int year = atoi(argv[2]), repeat = argc > 3 ? atoi(argv[3]) : 5;
  ht_err err = {0};
  db *d;
  if (db_open(&d, argv[1], &err) != HT_OK) {
    fprintf(stderr, "%s\n", err.msg);
    return 1;
  }
  arena a;
  arena_init(&a, 0);
  issues problems;
  issues_init(&problems, &a);
  crit_set set;
  crit_set_init(&set);
  if (evaluation_criteria(&set, NULL, 0, &problems, &err) != HT_OK) return 1;
  double t0 = now();
  hier h;
  if (hier_load(d, &h, &err) != HT_OK) return 1;
  engine *e;
  eng_load_stats st;
  if (eng_load(d, &h, &set, year, &e, &st, &err) != HT_OK) {
    fprintf(stderr, "%s\n", err.msg);
    return 1;
  }
  double load = now() - t0;
  /* full evaluations */
  double *full = calloc((size_t)repeat, sizeof *full);
  for (int i = 0; i < repeat; i++) {
    double s = now();
    eng_evaluate(e);
    full[i] = now() - s;
  }
  qsort(full, (size_t)repeat, sizeof *full, cmp_double);
  /* incremental: a household's entered value, a person's literacy */
  const eng_facts *f = eng_facts_of(e);
  int fam = eng_title_find(e, "gia-dinh-hoc-tap");
  int updates = 1000;
  double *inc_h = calloc((size_t)updates, sizeof *inc_h), *inc_p = calloc((size_t)updates, 8);
  srand(7);
  for (int i = 0; i < updates && fam >= 0 && f->n[CRIT_HOUSEHOLD]; i++) {
    int32_t j = rand() % f->n[CRIT_HOUSEHOLD];
    const char *vals = i % 2 ? "C1c=1;C3a=1;C3b=1;C4a=1;C4b=1" : "C1c=1;C3a=0;C3b=1;C4a=1;C4b=1";
    double s = now();
    eng_put_record(e, "gia-dinh-hoc-tap", j, 1, 0, vals, NULL);
    eng_flush(e);
    inc_h[i] = now() - s;
    int32_t p = rand() % f->n[CRIT_PERSON];
    s = now();
    eng_set_person(e, p, "literate", !f->literate[p]);
    eng_flush(e);
    inc_p[i] = now() - s;
  }
  qsort(inc_h, (size_t)updates, sizeof *inc_h, cmp_double);
  qsort(inc_p, (size_t)updates, sizeof *inc_p, cmp_double);
  /* the counts after a clean reload, for the peers to match */
  eng_free(e);
  if (eng_load(d, &h, &set, year, &e, &st, &err) != HT_OK) return 1;
  f = eng_facts_of(e);
  printf(
      "{\"year\":%d,\"persons\":%d,\"households\":%d,\"clans\":%d,\"organisations\":%d,"
      "\"records\":%ld,\"load_s\":%.3f,\"evaluate_ms_median\":%.2f,\"evaluate_ms_min\":%.2f,"
      "\"incremental_household_us_median\":%.1f,\"incremental_household_us_p99\":%.1f,"
      "\"incremental_person_us_median\":%.1f,\"incremental_person_us_p99\":%.1f,"
      "\"rss_mib\":%.0f,\"recognised\":{",
      year, f->n[CRIT_PERSON], f->n[CRIT_HOUSEHOLD], f->n[CRIT_CLAN], f->n[CRIT_ORGANISATION],
      st.records, load, full[repeat / 2] * 1e3, full[0] * 1e3, inc_h[updates / 2] * 1e6,
      inc_h[updates * 99 / 100] * 1e6, inc_p[updates / 2] * 1e6, inc_p[updates * 99 / 100] * 1e6,
      rss_kib() / 1024.0);
  for (int t = 0; t < eng_title_count(e); t++) {
    const crit_title *ct = eng_title_at(e, t);
    long rec = 0, elig = 0;
    eng_result r;
    for (int32_t j = 0; j < eng_facts_of(e)->n[ct->entity]; j++) {
      eng_result_of(e, t, j, &r);
      rec += r.recognised;
      elig += r.eligible;
    }
    printf("%s\"%s\":[%ld,%ld]", t ? "," : "", ct->key, rec, elig);
  }
  printf("}}\n");
  eng_free(e);
  hier_free(&h);
  crit_set_free(&set);
  arena_free(&a);
  db_close(d);
  free(full);
  free(inc_h);
  free(inc_p);
  return 0;
}
