/*
 * assets.h - the front end's files, embedded at build time by tools/embed.c
 * from build/web (the vite bundle). Paths start with '/'.
 */
#ifndef HOCTAP_FACES_HTTP_ASSETS_H
#define HOCTAP_FACES_HTTP_ASSETS_H

#include <stddef.h>

typedef struct http_asset {
  const char *path;
  const unsigned char *data;
  long long size;
  const char *content_type;
} http_asset;

extern const http_asset http_assets[];
extern const size_t http_asset_count;

#endif
