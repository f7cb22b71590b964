/* passwords_common.c - lookup in the embedded list of common passwords. */
#include "model/passwords_common.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/strmap.h"

static strmap common;
static char *common_text;
static pthread_once_t common_once = PTHREAD_ONCE_INIT;

/* One copy of the file, its lines NUL-terminated in place and indexed;
 * '#' lines are comments. Kept for the life of the process. */
static void load(void) {
  strmap_init(&common);
  for (size_t f = 0; f < password_list_files_count; f++) {
    const embedded_file *e = &password_list_files[f];
    if (strcmp(e->path, "/common-passwords.txt") != 0) continue; /* data/ holds other files too */
    common_text = malloc((size_t)e->size + 1);
    if (!common_text) return;
    memcpy(common_text, e->data, (size_t)e->size + 1);
    for (char *line = common_text; line && *line;) {
      char *nl = strchr(line, '\n');
      if (nl) *nl = 0;
      size_t n = strlen(line);
      while (n && (line[n - 1] == '\r' || line[n - 1] == ' ')) line[--n] = 0;
      if (n && line[0] != '#') strmap_put(&common, line, 1);
      line = nl ? nl + 1 : NULL;
    }
  }
}

int password_is_common(const char *lowercase_password) {
  pthread_once(&common_once, load);
  int64_t v;
  return strmap_get(&common, lowercase_password, &v);
}
