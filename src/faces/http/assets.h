/*
 * assets.h - the front end's files, embedded at build time by tools/embed.c
 * from build/web (the vite bundle).
 */
#ifndef HOCTAP_FACES_HTTP_ASSETS_H
#define HOCTAP_FACES_HTTP_ASSETS_H

#include "base/embedded.h"

extern const embedded_file http_assets[];
extern const size_t http_assets_count;

#endif
