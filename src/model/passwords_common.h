/*
 * passwords_common.h - the list of common passwords that acct_password_check
 * refuses (data/common-passwords.txt, compiled in by tools/embed.c).
 */
#ifndef HOCTAP_MODEL_PASSWORDS_COMMON_H
#define HOCTAP_MODEL_PASSWORDS_COMMON_H

#include <stddef.h>

#include "base/embedded.h"

extern const embedded_file password_list_files[];
extern const size_t password_list_files_count;

/* 1 when lowercase_password is on the list. The list is indexed on first use
 * (thread-safe); O(1) afterwards. */
int password_is_common(const char *lowercase_password);

#endif
