/* h_static.c - the front end's embedded files (see assets.h). */
#include <string.h>

#include "faces/http/assets.h"
#include "faces/http/http.h"

int h_static(http_req *r) {
  const char *path = strcmp(r->path, "/") == 0 ? "/index.html" : r->path;
  for (size_t i = 0; i < http_assets_count; i++) {
    const embedded_file *a = &http_assets[i];
    if (strcmp(a->path, path) != 0) continue;
    r->status = 200;
    r->content_type = a->content_type;
    r->static_body = a->data;
    r->static_len = (size_t)a->size;
    /* Bundled files carry a content hash in their names: cache them for good.
     * index.html must be revalidated so a new release is picked up. */
    r->cache_control =
        strncmp(path, "/assets/", 8) == 0 ? "public, max-age=31536000, immutable" : "no-cache";
    return 0;
  }
  return http_error(r, 404, "not_found", NULL, "no such page", "Không tìm thấy trang này.");
}
