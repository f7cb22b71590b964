/*
 * err.h - project-wide status codes and the error message carrier.
 *
 * Every function that can fail returns int: HT_OK (0) on success or one of the
 * negative codes below. Where the user can act on a failure, the callee also
 * writes a message into a caller-owned ht_err (English; the faces translate).
 */
#ifndef HOCTAP_BASE_ERR_H
#define HOCTAP_BASE_ERR_H

#include <stddef.h>

enum {
  HT_OK = 0,
  HT_ERR = -1,       /* unspecified failure */
  HT_ENOMEM = -2,    /* out of memory */
  HT_EINVAL = -3,    /* bad input: the message says what and where */
  HT_ENOTFOUND = -4, /* no such record */
  HT_EIO = -5,       /* file or socket error */
  HT_EDB = -6,       /* database error */
  HT_EBUSY = -7,     /* database busy or serialization failure: retry */
  HT_ECONFLICT = -8, /* the change conflicts with existing data */
  HT_EUSAGE = -9,    /* wrong command-line usage */
  HT_ELIMIT = -10    /* a size or count limit was exceeded */
};

/* Caller-owned message buffer. */
typedef struct ht_err {
  int code;
  char msg[1024];
  char msg_vi[1024]; /* the same in Vietnamese when the callee gave it, else "" */
} ht_err;

/* Short English name of a status code ("bad input", ...). */
const char *ht_strerror(int code);

/* Sets err (if not NULL) to code and a printf-style message; returns code. */
int ht_err_set(ht_err *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Adds the Vietnamese text to the message ht_err_set wrote last; returns
 * err's code. Call it right after ht_err_set. */
int ht_err_vi(ht_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
