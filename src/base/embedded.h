/*
 * embedded.h - files compiled into the binary by tools/embed.c (the front
 * end's bundle, the default criteria). Paths start with '/'.
 */
#ifndef HOCTAP_BASE_EMBEDDED_H
#define HOCTAP_BASE_EMBEDDED_H

#include <stddef.h>

typedef struct embedded_file {
  const char *path;
  const unsigned char *data; /* followed by a NUL byte */
  long long size;
  const char *content_type;
} embedded_file;

#endif
