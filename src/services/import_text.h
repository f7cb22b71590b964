/*
 * import_text.h - opening an imported file as CSV whatever its text encoding
 * (UTF-8, UTF-16, or a legacy Vietnamese one: see io/textenc.h).
 */
#ifndef HOCTAP_SERVICES_IMPORT_TEXT_H
#define HOCTAP_SERVICES_IMPORT_TEXT_H

#include "io/csv.h"
#include "io/textenc.h"

/*
 * Reads the file at path, decodes it from enc to UTF-8 NFC (TENC_AUTO: the
 * encoding is detected) and opens a CSV reader over the text (*out, closed
 * with csv_close()). *used (may be NULL) gets the encoding read and, when it
 * was detected, the confidence and runner-up. Data that no encoding decodes
 * goes to the CSV reader as it is, so that its messages (a ZIP file, NUL
 * bytes) still apply. Errors: those of csv_read_file(), HT_EINVAL naming the
 * file and byte when the text is not valid in enc. O(file size).
 */
int import_open_csv(const char *path, tenc_encoding enc, tenc_guess *used, csv_reader **out,
                    ht_err *err);

#endif
