/*
 * settings.h - configuration texts an administrator may replace (table
 * settings_texts, migration 6): the workflow settings, the certificate
 * template. Each is stored as the text of its file format; absent means the
 * shipped default is in force. Every change is audited with the text before
 * and after.
 */
#ifndef HOCTAP_MODEL_SETTINGS_H
#define HOCTAP_MODEL_SETTINGS_H

#include "base/arena.h"
#include "base/err.h"
#include "model/audit.h"
#include "store/db.h"

/* The stored text of key into *text (from a), or NULL when none is stored. */
int settings_get(db *d, const char *key, arena *a, const char **text);

/* Stores text as key (NULL: removes it, back to the default) in one
 * transaction with the audit entry `action` (object "settings", id key). */
int settings_put(db *d, const audit_actor *who, const char *key, const char *text,
                 const char *action, ht_err *err);

#endif
