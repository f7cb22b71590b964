/*
 * workflow.h - the yearly workflow of a record (docs/workflow.md; domain
 * README §2): registered -> self-assessed (values and evidence entered, stage
 * "open") -> submitted -> accepted by a reviewer, or returned with a comment
 * the submitter sees ("returned", editable again) -> recognised or not by a
 * decision of the competent level ("recognised" / "not-recognised", locked).
 * An approver may unlock a decided record, giving a reason: it goes back to
 * "returned" with the reason as its comment and its certificate is revoked.
 *
 * Decisions recognise many records at once (one commune decision for its
 * households). Each recognised record gets a certificate whose random code
 * anyone can verify; what the certificate shows is stored with it.
 *
 * The settings (who decides each title, the deadline of each step, what the
 * certificate prints as the issuing body and signer) are a text file
 * (data/workflow/default.txt) an administrator may replace; the database
 * keeps the replacement in settings_texts.
 *
 * Every change runs in one transaction with its audit entry. Permissions and
 * the caller's area are the faces' business; the scope of a decision (which
 * records lie in the deciding unit) is checked here through a callback.
 */
#ifndef HOCTAP_MODEL_WORKFLOW_H
#define HOCTAP_MODEL_WORKFLOW_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/embedded.h"
#include "base/err.h"
#include "base/issues.h"
#include "criteria/crit.h"
#include "model/audit.h"
#include "model/records.h"
#include "store/db.h"

/* ------------------------------------------------------------ settings */

enum { WF_STEP_REGISTER, WF_STEP_SUBMIT, WF_STEP_REVIEW, WF_STEP_DECIDE, WF_STEPS };

/* The step's key in the settings file ("register", "submit", ...). */
const char *wf_step_key(int step);

typedef struct wf_title_cfg {
  const char *title;      /* the title's key */
  const char *decided_by; /* "village", "commune", "district", "province" or "managing" */
  const char *issuer;     /* printed issuing body; {UNIT} / {Unit}: the deciding unit's name */
  const char *issuer_parent;
  const char *signer;      /* the signer's position as printed */
  int due_set[WF_STEPS];   /* 1 when the step has a deadline */
  int due_years[WF_STEPS]; /* 0: in the evaluated year; 1: the year after */
  int due_month[WF_STEPS], due_mday[WF_STEPS];
} wf_title_cfg;

typedef struct wf_config {
  arena mem;
  int expiry_warning_months; /* certificates expiring within this many months are shown */
  int upgrade_after_months;  /* a level-1 holder may apply for level 2 after this */
  wf_title_cfg *titles;
  size_t ntitles;
  const char *text; /* the text it was read from */
} wf_config;

#define WF_SETTINGS_KEY "workflow"

/* data/workflow/, compiled in (build/gen/workflow.c). */
extern const embedded_file workflow_default_files[];
extern const size_t workflow_default_files_count;

/* Parses text (named file in messages) into c (initialised here). Titles
 * are checked against set when not NULL (a key no version of which exists is
 * a problem). Each problem goes to problems with its line; HT_EINVAL. */
int wf_config_parse(wf_config *c, const char *file, const char *text, size_t len,
                    const crit_set *set, issues *problems);
void wf_config_free(wf_config *c);
/* The shipped default text. */
const char *wf_config_default_text(size_t *len);
/* The settings in force: the stored replacement, else the default. */
int wf_config_load(db *d, const crit_set *set, wf_config *c, ht_err *err);
/* Checks text and stores it as the settings in force (audited as
 * settings.workflow). HT_EINVAL with problems. */
int wf_config_store(db *d, const audit_actor *who, const crit_set *set, const char *text,
                    size_t len, issues *problems, ht_err *err);
/* Goes back to the shipped default (audited). */
int wf_config_reset(db *d, const audit_actor *who, ht_err *err);
const wf_title_cfg *wf_config_title(const wf_config *c, const char *title);
/* The deadline of step for the records of year, as a day number, or -1. */
int32_t wf_due(const wf_title_cfg *tc, int step, int year);

/* ------------------------------------------------------------- changes */

/* Submits t's record for review. Checked: the record is open or returned,
 * registered when the title requires it, every entered item has a value, and
 * every entered item has evidence when the title requires evidence. Each
 * gap goes to problems (field = the item key or "registration"), with
 * Vietnamese text; HT_EINVAL and nothing changes. */
int wf_submit(db *d, const audit_actor *who, const rec_target *t, issues *problems, ht_err *err);

/* A reviewer's verdict on a submitted record: accept (comment optional) or
 * return it with a comment the submitter sees (required). A reviewed
 * ("accepted") record may still be returned. HT_ECONFLICT when the record
 * is in another stage; HT_EINVAL for a missing comment. */
int wf_review(db *d, const audit_actor *who, const rec_target *t, int accept, const char *comment,
              ht_err *err);

/* Unlocks a decided record (reason required): back to "returned" with the
 * reason as its comment; its certificate is revoked with the same reason. */
int wf_unlock(db *d, const audit_actor *who, const rec_target *t, const char *reason, ht_err *err);

/* A registration for t's year on registered_on (YYYY-MM-DD) of a title held
 * for several years (validity over 12 months: the MOET titles) is refused
 * while an earlier recognition of it is still valid on that day, unless the
 * holder is below the title's top level and upgrade-after-months have passed
 * since the decision (it applies for the next level). A record already
 * registered is not checked again. HT_EINVAL with the problem (field
 * "registration", Vietnamese too); HT_OK when allowed. */
int wf_registration_check(db *d, const crit_set *set, const rec_target *t,
                          const char *registered_on, issues *problems);

/* ----------------------------------------------------------- decisions */

typedef struct wf_decide_entry {
  const char *entity; /* as people write it (a code, P<id>, a citizen ID) */
  int recognise;      /* 1: recognised; 0: not recognised */
  const char *reason; /* required when not recognised */
} wf_decide_entry;

typedef struct wf_decide_in {
  const crit_set *set;
  const wf_config *cfg;
  const char *title;
  int year;
  const char *unit_code; /* the deciding unit */
  const char *number, *signed_on, *signer_name;
  const char *signer_position, *issuer, *issuer_parent; /* NULL: from the settings */
  const wf_decide_entry *entries;
  size_t n;
  /* The evaluation's verdict on t: the level reached (levels titles), 1 when
   * a points title is met, 0 when not met. */
  int (*verdict)(void *ctx, const rec_target *t);
  void *verdict_ctx;
  /* Is place (a record's unit) at or below the deciding unit? */
  int (*within)(void *ctx, const char *place);
  void *within_ctx;
} wf_decide_in;

#define WF_DECISION_MAX_ENTRIES 200000

/* Records a decision and decides every entry in one transaction: each must
 * be an accepted record of the title and year placed inside the deciding
 * unit, which must be of the level that decides the title (for "managing":
 * the unit managing the learning unit); a recognised one must meet the
 * criteria (verdict). Every problem goes to problems (field: "number",
 * "signed_on", "entities[i]", ...) with Vietnamese text, and then nothing is
 * written (HT_EINVAL). Certificates get random codes and, for titles with a
 * validity period, a valid-until date. *id_out gets the decision id. */
int wf_decide(db *d, const audit_actor *who, const wf_decide_in *in, issues *problems,
              int64_t *id_out, ht_err *err);

/* The accepted records of title and year placed at or below unit_code (as
 * judged by within), for an approver to choose from: entities in order of
 * entity code. Strings from a. */
int wf_accepted(db *d, const char *title, int year, int (*within)(void *ctx, const char *place),
                void *ctx, arena *a, const char ***entities, size_t *n);

typedef struct wf_decision {
  int64_t id;
  const char *title;
  int year;
  const char *unit_code, *number, *signed_on, *issuer, *issuer_parent, *place_name;
  const char *signer_name, *signer_position, *created_by;
  int64_t created_at;
  int64_t recognised, not_recognised, revoked; /* counts */
} wf_decision;

int wf_decision_get(db *d, int64_t id, arena *a, wf_decision *out); /* HT_ENOTFOUND */
/* Decisions of units judged inside by within (NULL: all), newest first; year 0 = any. */
int wf_decision_list(db *d, int year, int (*within)(void *ctx, const char *unit), void *ctx,
                     arena *a, wf_decision **out, size_t *n);

typedef struct wf_certificate {
  const char *code, *title, *entity, *recipient, *address, *valid_until; /* valid_until "" */
  int year, level;
  int64_t decision_id, revoked_at;
  const char *revoked_reason; /* "" */
  const char *place;          /* where the record is (for scope) */
} wf_certificate;

/* The certificates of a decision, in entity order. */
int wf_certificates_of(db *d, int64_t decision_id, arena *a, wf_certificate **out, size_t *n);
/* One certificate by code (HT_ENOTFOUND); the code may be typed in any case,
 * with or without its dash. */
int wf_certificate_get(db *d, const char *code, arena *a, wf_certificate *out);
/* The newest certificate of (title, entity) for year (revoked or not); HT_ENOTFOUND. */
int wf_certificate_of_record(db *d, const char *title, int year, const char *entity, arena *a,
                             wf_certificate *out);
/* The newest unrevoked certificate of (title, entity) for a year before
 * year, with its decision's date in *signed_on (11 bytes); HT_ENOTFOUND. */
int wf_holding(db *d, const char *title, int year, const char *entity, arena *a,
               wf_certificate *out, char signed_on[11]);

/* ---------------------------------------------------------------- tasks */

typedef struct wf_task {
  const char *title;
  const char *stage; /* "open", "returned", "submitted", "accepted", or "expiring" */
  int64_t count, overdue;
  int32_t due; /* the step's deadline, -1 when none; for "expiring" the earliest expiry */
} wf_task;

/* What waits in the area (places judged inside by within) for year: records
 * per title and stage with how many are past the stage's deadline on today,
 * and the certificates that expire within the warning period. */
int wf_tasks(db *d, const wf_config *cfg, int year, int32_t today,
             int (*within)(void *ctx, const char *place), void *ctx, arena *a, wf_task **out,
             size_t *n);

/* Normalises a certificate code as typed ("hp3k7m9qxd" -> "HP3K7-M9QXD"); 0 when it cannot be
 * one. */
int wf_code_normalise(const char *in, char out[16]);

#endif
