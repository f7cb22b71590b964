/*
 * date.h - calendar dates as day numbers.
 *
 * A date is an int32 count of days since 1970-01-01 (proleptic Gregorian), so
 * comparisons and intervals are integer operations. Text form is ISO
 * 'YYYY-MM-DD' everywhere (files, database, API). DATE_OPEN stands for "no
 * end" (a unit that is still valid).
 */
#ifndef HOCTAP_BASE_DATE_H
#define HOCTAP_BASE_DATE_H

#include <stdint.h>

#define DATE_OPEN INT32_MAX

/* Strict ISO parse: exactly YYYY-MM-DD, a real calendar day, year 1900-2999.
 * Returns 0 and sets *day, or HT_EINVAL. */
int date_parse(const char *s, int32_t *day);
/* Writes YYYY-MM-DD (11 bytes with NUL) into buf; returns buf. */
char *date_format(int32_t day, char buf[11]);
int32_t date_from_ymd(int year, int month, int mday);
void date_to_ymd(int32_t day, int *year, int *month, int *mday);
int date_year(int32_t day);
/* Today in Vietnam (UTC+7, no daylight saving), or $HOCTAP_TODAY if set. */
int32_t date_today(void);

#endif
