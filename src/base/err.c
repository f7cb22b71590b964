/* err.c - status codes and messages. */
#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>

const char *ht_strerror(int code) {
  switch (code) {
    case HT_OK: return "success";
    case HT_ENOMEM: return "out of memory";
    case HT_EINVAL: return "bad input";
    case HT_ENOTFOUND: return "not found";
    case HT_EIO: return "input/output error";
    case HT_EDB: return "database error";
    case HT_EBUSY: return "database busy";
    case HT_ECONFLICT: return "conflict with existing data";
    case HT_EUSAGE: return "usage error";
    case HT_ELIMIT: return "limit exceeded";
    default: return "error";
  }
}

int ht_err_set(ht_err *err, int code, const char *fmt, ...) {
  if (!err) return code;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->msg, sizeof err->msg, fmt, ap);
  va_end(ap);
  err->msg_vi[0] = 0;
  err->code = code;
  return code;
}

int ht_err_vi(ht_err *err, const char *fmt, ...) {
  if (!err) return HT_ERR;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->msg_vi, sizeof err->msg_vi, fmt, ap);
  va_end(ap);
  return err->code;
}
