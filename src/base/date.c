/* date.c - day-number calendar arithmetic (civil-from-days algorithm). */
#include "base/date.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "base/err.h"

int32_t date_from_ymd(int year, int month, int mday) {
  int y = year - (month <= 2);
  int era = (y >= 0 ? y : y - 399) / 400;
  int yoe = y - era * 400;
  int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + mday - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (int32_t)(era * 146097 + doe - 719468);
}

void date_to_ymd(int32_t day, int *year, int *month, int *mday) {
  int z = day + 719468;
  int era = (z >= 0 ? z : z - 146096) / 146097;
  int doe = z - era * 146097;
  int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int y = yoe + era * 400;
  int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int mp = (5 * doy + 2) / 153;
  int d = doy - (153 * mp + 2) / 5 + 1;
  int m = mp + (mp < 10 ? 3 : -9);
  *year = y + (m <= 2);
  *month = m;
  *mday = d;
}

static int days_in_month(int year, int month) {
  static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)) return 29;
  return dim[month - 1];
}

int date_parse(const char *s, int32_t *day) {
  if (!s) return HT_EINVAL;
  for (int i = 0; i < 10; i++) {
    if (i == 4 || i == 7) {
      if (s[i] != '-') return HT_EINVAL;
    } else if (s[i] < '0' || s[i] > '9') {
      return HT_EINVAL;
    }
  }
  if (s[10] != '\0') return HT_EINVAL;
  int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return HT_EINVAL;
  *day = date_from_ymd(y, m, d);
  return HT_OK;
}

char *date_format(int32_t day, char buf[11]) {
  int y, m, d;
  date_to_ymd(day, &y, &m, &d);
  /* unsigned and bounded, so the compiler can see the text fits */
  snprintf(buf, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
  return buf;
}

int date_year(int32_t day) {
  int y, m, d;
  date_to_ymd(day, &y, &m, &d);
  return y;
}

int32_t date_today(void) {
  const char *fixed = getenv("HOCTAP_TODAY");
  int32_t day;
  if (fixed && date_parse(fixed, &day) == HT_OK) return day;
  return (int32_t)((time(NULL) + 7 * 3600) / 86400);
}
