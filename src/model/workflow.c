/* workflow.c - the yearly workflow, decisions and certificates (see workflow.h). */
#include "model/workflow.h"

#include <ctype.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/embedded.h"
#include "base/strbuf.h"
#include "base/vtext.h"
#include "criteria/crit_defaults.h"
#include "model/registry.h"
#include "model/settings.h"

/* ------------------------------------------------------------ settings */

static const char *const step_keys[WF_STEPS] = {"register", "submit", "review", "decide"};

const char *wf_step_key(int step) {
  return step >= 0 && step < WF_STEPS ? step_keys[step] : "?";
}

const char *wf_config_default_text(size_t *len) {
  for (size_t i = 0; i < workflow_default_files_count; i++)
    if (!strcmp(workflow_default_files[i].path, "/default.txt")) {
      *len = (size_t)workflow_default_files[i].size;
      return (const char *)workflow_default_files[i].data;
    }
  *len = 0;
  return "";
}

static int known_level(const char *v) {
  static const char *const levels[] = {"village", "commune", "district", "province", "managing"};
  for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
    if (!strcmp(v, levels[i])) return 1;
  return 0;
}

/* "MM-DD" or "+1 MM-DD" into tc's step. 0, or -1 when malformed. */
static int parse_due(const char *v, wf_title_cfg *tc, int step) {
  int years = 0;
  if (v[0] == '+') {
    if (v[1] != '1' || v[2] != ' ') return -1;
    years = 1;
    v += 3;
    while (*v == ' ') v++;
  }
  int m, dd;
  char tail;
  if (sscanf(v, "%2d-%2d%c", &m, &dd, &tail) != 2 || strlen(v) != 5) return -1;
  if (m < 1 || m > 12 || dd < 1 || dd > 31) return -1;
  int32_t day = date_from_ymd(2001, m, dd); /* a year without 29 February */
  int y2, m2, d2;
  date_to_ymd(day, &y2, &m2, &d2);
  if (m2 != m || d2 != dd) return -1;
  tc->due_set[step] = 1;
  tc->due_years[step] = years;
  tc->due_month[step] = m;
  tc->due_mday[step] = dd;
  return 0;
}

/* "\n" in a value is a line break (a signer's position on two lines). In place. */
static char *unescape_newlines(char *v) {
  char *w = v;
  for (const char *r = v; *r; r++) {
    if (r[0] == '\\' && r[1] == 'n') {
      *w++ = '\n';
      r++;
    } else {
      *w++ = *r;
    }
  }
  *w = 0;
  return v;
}

int wf_config_parse(wf_config *c, const char *file, const char *text, size_t len,
                    const crit_set *set, issues *problems) {
  memset(c, 0, sizeof *c);
  arena_init(&c->mem, 0);
  c->expiry_warning_months = 6;
  c->upgrade_after_months = 12;
  long before = problems->count;
  const char *prev_file = problems->file;
  problems->file = file;
  if (!vt_utf8_valid(text, len)) {
    issues_add(problems, 1, NULL, "the file is not UTF-8 text; save it as UTF-8");
    problems->file = prev_file;
    return HT_EINVAL;
  }
  c->text = arena_strndup(&c->mem, text, len);
  size_t cap = 0;
  wf_title_cfg *cur = NULL;
  long line = 0;
  const char *p = c->text;
  while (*p) {
    line++;
    size_t n = strcspn(p, "\n");
    char *l = arena_strndup(&c->mem, p, n);
    p += n + (p[n] == '\n');
    char *hash = strchr(l, '#');
    if (hash) *hash = 0;
    size_t k = strlen(l);
    while (k && (l[k - 1] == ' ' || l[k - 1] == '\t' || l[k - 1] == '\r')) l[--k] = 0;
    int indented = l[0] == ' ' || l[0] == '\t';
    char *key = l;
    while (*key == ' ' || *key == '\t') key++;
    if (!*key) continue;
    char *val = key + strcspn(key, " \t");
    if (*val) *val++ = 0;
    while (*val == ' ' || *val == '\t') val++;
    char *nfc = NULL;
    if (vt_nfc(val, &nfc) == HT_OK) {
      val = arena_strdup(&c->mem, nfc);
      free(nfc);
    }
    if (!indented) {
      cur = NULL;
      if (!strcmp(key, "title")) {
        if (!*val) {
          issues_add(problems, line, "title",
                     "'title' needs the title's key, e.g. title gia-dinh-hoc-tap");
          continue;
        }
        for (size_t i = 0; i < c->ntitles; i++)
          if (!strcmp(c->titles[i].title, val))
            issues_add(problems, line, "title", "title %s is set twice; keep one block", val);
        int known = !set;
        for (const crit_title *t = set ? set->titles : NULL; t && !known; t = t->next)
          known = !strcmp(t->key, val);
        if (!known)
          issues_add(problems, line, "title",
                     "no title '%s' in the criteria; see 'hoctap criteria list'", val);
        c->titles = arena_grow(&c->mem, c->titles, c->ntitles, &cap, sizeof *c->titles);
        cur = &c->titles[c->ntitles++];
        memset(cur, 0, sizeof *cur);
        cur->title = val;
        cur->decided_by = "commune";
        cur->issuer = "ỦY BAN NHÂN DÂN {UNIT}";
        cur->issuer_parent = "";
        cur->signer = "CHỦ TỊCH";
      } else if (!strcmp(key, "expiry-warning-months") || !strcmp(key, "upgrade-after-months")) {
        char *end;
        long v = strtol(val, &end, 10);
        if (!*val || *end || v < 0 || v > 120)
          issues_add(problems, line, key, "%s needs a whole number of months from 0 to 120", key);
        else if (key[0] == 'e')
          c->expiry_warning_months = (int)v;
        else
          c->upgrade_after_months = (int)v;
      } else {
        issues_add(problems, line, key,
                   "unknown setting '%s'; a line is 'title KEY', 'expiry-warning-months N' or "
                   "'upgrade-after-months N', and a title's settings are indented below it",
                   key);
      }
      continue;
    }
    if (!cur) {
      issues_add(problems, line, key, "'%s' is indented but no 'title KEY' line comes before it",
                 key);
      continue;
    }
    int step = -1;
    for (int i = 0; i < WF_STEPS; i++)
      if (!strcmp(key, step_keys[i])) step = i;
    if (step >= 0) {
      if (parse_due(val, cur, step) != 0)
        issues_add(problems, line, key,
                   "'%s' is not a deadline; write MM-DD (in the evaluated year) or +1 MM-DD (the "
                   "year after), e.g. 11-15 or +1 02-28",
                   val);
    } else if (!strcmp(key, "decided-by")) {
      if (!known_level(val))
        issues_add(problems, line, key,
                   "'%s' is not a level; use village, commune, district, province or managing",
                   val);
      else
        cur->decided_by = val;
    } else if (!strcmp(key, "issuer") || !strcmp(key, "issuer-parent") || !strcmp(key, "signer")) {
      if (!*val && strcmp(key, "issuer-parent") != 0)
        issues_add(problems, line, key, "%s needs the text to print", key);
      else if (strlen(val) > 200)
        issues_add(problems, line, key, "%s is longer than 200 bytes; shorten it", key);
      else if (!strcmp(key, "issuer"))
        cur->issuer = unescape_newlines(val);
      else if (!strcmp(key, "signer"))
        cur->signer = unescape_newlines(val);
      else
        cur->issuer_parent = unescape_newlines(val);
    } else {
      issues_add(problems, line, key,
                 "unknown title setting '%s'; use decided-by, issuer, issuer-parent, signer, "
                 "register, submit, review or decide",
                 key);
    }
  }
  problems->file = prev_file;
  return problems->count > before ? HT_EINVAL : HT_OK;
}

void wf_config_free(wf_config *c) {
  arena_free(&c->mem);
  memset(c, 0, sizeof *c);
}

int wf_config_load(db *d, const crit_set *set, wf_config *c, ht_err *err) {
  arena a;
  arena_init(&a, 0);
  const char *stored = NULL;
  int rc = settings_get(d, WF_SETTINGS_KEY, &a, &stored);
  if (rc) {
    arena_free(&a);
    return ht_err_set(err, rc, "cannot read the settings: %s", db_errmsg(d));
  }
  size_t len;
  const char *text = stored ? stored : wf_config_default_text(&len);
  if (stored) len = strlen(stored);
  issues problems;
  issues_init(&problems, &a);
  rc = wf_config_parse(c, stored ? "stored workflow settings" : "default.txt", text, len, set,
                       &problems);
  if (rc)
    ht_err_set(err, rc,
               "the workflow settings in force are wrong (line %ld: %s); import them again with "
               "'hoctap workflow import'",
               problems.kept ? problems.items[0].row : 0L,
               problems.kept ? problems.items[0].msg : "?");
  arena_free(&a);
  return rc;
}

int wf_config_store(db *d, const audit_actor *who, const crit_set *set, const char *text,
                    size_t len, issues *problems, ht_err *err) {
  wf_config c;
  int rc = wf_config_parse(&c, problems->file ? problems->file : "workflow settings", text, len,
                           set, problems);
  if (rc == HT_OK) rc = settings_put(d, who, WF_SETTINGS_KEY, c.text, "settings.workflow", err);
  wf_config_free(&c);
  return rc;
}

int wf_config_reset(db *d, const audit_actor *who, ht_err *err) {
  return settings_put(d, who, WF_SETTINGS_KEY, NULL, "settings.workflow", err);
}

const wf_title_cfg *wf_config_title(const wf_config *c, const char *title) {
  for (size_t i = 0; i < c->ntitles; i++)
    if (!strcmp(c->titles[i].title, title)) return &c->titles[i];
  return NULL;
}

int32_t wf_due(const wf_title_cfg *tc, int step, int year) {
  if (!tc || step < 0 || step >= WF_STEPS || !tc->due_set[step]) return -1;
  int y = year + tc->due_years[step], m = tc->due_month[step], dd = tc->due_mday[step];
  if (m == 2 && dd == 29) {
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (!leap) dd = 28;
  }
  return date_from_ymd(y, m, dd);
}

/* ------------------------------------------------------------- helpers */

static void bind_record(db_stmt *s, db *d, const rec_target *t) {
  db_bind_int64(s, 1, db_prov(d));
  db_bind_text(s, 2, t->title->key);
  db_bind_int64(s, 3, t->year);
  db_bind_text(s, 4, t->entity);
}

static const char *stage_vi(const char *stage) {
  return !strcmp(stage, "open")             ? "đang nhập"
         : !strcmp(stage, "returned")       ? "bị trả lại"
         : !strcmp(stage, "submitted")      ? "đã gửi thẩm định"
         : !strcmp(stage, "accepted")       ? "đã thẩm định, chờ công nhận"
         : !strcmp(stage, "recognised")     ? "đã được công nhận"
         : !strcmp(stage, "not-recognised") ? "không được công nhận"
                                            : stage;
}

/* The record's audit entry: object "TITLE/YEAR/ENTITY" in its place. */
static int audit_step(db *d, const audit_actor *who, const rec_target *t, const char *action,
                      const char *stage_before, const char *stage_after, const char *comment) {
  char id[REC_ENTITY_MAX + 96];
  snprintf(id, sizeof id, "%s/%d/%s", t->title->key, t->year, t->display);
  json_t *b = json_pack("{ss}", "stage", stage_before);
  json_t *a = json_pack("{ss}", "stage", stage_after);
  if (comment && *comment) json_object_set_new(a, "comment", json_string(comment));
  char *bj = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);
  char *aj = json_dumps(a, JSON_COMPACT | JSON_SORT_KEYS);
  audit_entry e = {action, "record", id, t->place, bj, aj};
  ht_err err = {0};
  int rc = audit_append(d, who, &e, &err);
  free(bj);
  free(aj);
  json_decref(b);
  json_decref(a);
  return rc;
}

/* NFC text, spaces collapsed, at most max bytes: *out malloc'd ("" for NULL). */
static int clean_text(const char *in, size_t max, char **out) {
  *out = NULL;
  if (vt_clean(in ? in : "", out) != HT_OK) return HT_EINVAL;
  if (strlen(*out) > max) {
    free(*out);
    *out = NULL;
    return HT_ELIMIT;
  }
  return HT_OK;
}

/* As clean_text, line by line: line breaks are kept (a signer's position on
 * two lines), empty lines dropped. */
static int clean_lines(const char *in, size_t max, char **out) {
  *out = NULL;
  strbuf b = STRBUF_INIT;
  const char *p = in ? in : "";
  int rc = HT_OK;
  while (rc == HT_OK) {
    size_t n = strcspn(p, "\n");
    char *line = strndup(p, n), *clean = NULL;
    if (!line) abort();
    rc = clean_text(line, max, &clean);
    free(line);
    if (rc == HT_OK && *clean) {
      if (b.len) strbuf_putc(&b, '\n');
      strbuf_puts(&b, clean);
    }
    free(clean);
    if (!p[n]) break;
    p += n + 1;
  }
  if (rc == HT_OK && b.len > max) rc = HT_ELIMIT;
  if (rc) {
    strbuf_free(&b);
    return rc;
  }
  *out = b.len ? strbuf_detach(&b) : strdup("");
  strbuf_free(&b);
  return *out ? HT_OK : HT_ENOMEM;
}

/* --------------------------------------------------------------- submit */

typedef struct step_ctx {
  const audit_actor *who;
  const rec_target *t;
  issues *problems;
  int accept;
  const char *comment;
  char stage[REC_STAGE_MAX]; /* the stage found */
} step_ctx;

static int has_evidence(db *d, const rec_target *t, const char *item, int *out) {
  db_stmt *s;
  int rc = db_prepare(d,
                      "SELECT COUNT(*) FROM record_evidence WHERE prov = $1 AND title = $2 AND "
                      "year = $3 AND entity = $4 AND item = $5",
                      &s);
  if (rc) return rc;
  bind_record(s, d, t);
  db_bind_text(s, 5, item);
  rc = db_step(s);
  *out = rc == DB_ROW && db_col_int64(s, 0) > 0;
  db_finalize(s);
  return rc < 0 ? rc : HT_OK;
}

static int set_stage(db *d, const rec_target *t, const char *stage, const char *comment,
                     int submitted, int clear_decision) {
  db_stmt *s;
  int rc = db_prepare(d,
                      submitted ? "UPDATE records SET stage = $5, comment = $6, submitted_at = $7, "
                                  "updated_at = $7 WHERE prov = $1 AND title = $2 AND year = $3 "
                                  "AND entity = $4"
                      : clear_decision
                          ? "UPDATE records SET stage = $5, comment = $6, decision_id = NULL, "
                            "updated_at = $7 WHERE prov = $1 AND title = $2 AND year = $3 AND "
                            "entity = $4"
                          : "UPDATE records SET stage = $5, comment = $6, updated_at = $7 WHERE "
                            "prov = $1 AND title = $2 AND year = $3 AND entity = $4",
                      &s);
  if (rc) return rc;
  bind_record(s, d, t);
  db_bind_text(s, 5, stage);
  db_bind_text(s, 6, comment ? comment : "");
  db_bind_int64(s, 7, rec_now_ms());
  rc = db_step(s);
  db_finalize(s);
  return rc == DB_DONE ? HT_OK : rc < 0 ? rc : HT_EDB;
}

static int submit_in_tx(db *d, void *arg) {
  step_ctx *x = arg;
  const rec_target *t = x->t;
  arena *a = x->problems->mem;
  rec_record r;
  int rc = rec_get(d, t, a, &r);
  if (rc) return rc;
  snprintf(x->stage, sizeof x->stage, "%s", r.stage);
  if (!rec_stage_editable(r.stage)) {
    issues_add(x->problems, 0, "stage",
               "the record is %s; only an open or returned record can be submitted", r.stage);
    issues_vi(x->problems, "Hồ sơ %s; chỉ gửi được hồ sơ đang nhập hoặc bị trả lại",
              stage_vi(r.stage));
    return HT_EINVAL;
  }
  if (t->title->requires_registration && !r.registered_on[0]) {
    issues_add(x->problems, 0, "registration", "%s has not registered for %s %d; register it first",
               t->display, t->title->key, t->year);
    issues_vi(x->problems, "%s chưa đăng ký danh hiệu %s năm %d; hãy đăng ký trước", t->label_vi,
              t->title->name, t->year);
  }
  for (const crit_item *it = t->title->items; it; it = it->next) {
    if (it->input == INPUT_NONE) continue;
    double v;
    int present = rec_vals_get(r.vals, it->key, &v);
    if (present != 1) {
      issues_add(x->problems, 0, it->key, "item %s (%s) has no value; enter it before submitting",
                 it->key, it->text);
      issues_vi(x->problems, "Mục %s (%s) chưa có giá trị; hãy nhập trước khi gửi", it->key,
                it->text);
      continue;
    }
    if (t->title->evidence_required) {
      int has = 0;
      rc = has_evidence(d, t, it->key, &has);
      if (rc) return rc;
      if (!has) {
        issues_add(x->problems, 0, it->key,
                   "item %s (%s) has no evidence; this title needs evidence for every item",
                   it->key, it->text);
        issues_vi(x->problems,
                  "Mục %s (%s) chưa có minh chứng; danh hiệu này cần minh chứng cho "
                  "mọi mục",
                  it->key, it->text);
      }
    }
  }
  if (x->problems->count) return HT_EINVAL;
  rc = set_stage(d, t, "submitted", "", 1, 0);
  if (rc == HT_OK) rc = audit_step(d, x->who, t, "record.submit", r.stage, "submitted", NULL);
  return rc;
}

int wf_submit(db *d, const audit_actor *who, const rec_target *t, issues *problems, ht_err *err) {
  long before = problems->count;
  step_ctx x = {.who = who, .t = t, .problems = problems};
  issues own;
  issues_init(&own, problems->mem);
  x.problems = &own;
  int rc = db_tx(d, submit_in_tx, &x);
  for (long i = 0; i < own.kept; i++) {
    issues_add(problems, 0, own.items[i].field, "%s", own.items[i].msg);
    if (own.items[i].msg_vi) issues_vi(problems, "%s", own.items[i].msg_vi);
  }
  if (rc == HT_EINVAL || problems->count > before) return HT_EINVAL;
  if (rc) return ht_err_set(err, rc, "cannot submit the record: %s", db_errmsg(d));
  return HT_OK;
}

/* --------------------------------------------------------------- review */

static int review_in_tx(db *d, void *arg) {
  step_ctx *x = arg;
  arena a;
  arena_init(&a, 256);
  rec_record r;
  int rc = rec_get(d, x->t, &a, &r);
  if (rc == HT_OK) {
    snprintf(x->stage, sizeof x->stage, "%s", r.stage);
    int ok = !strcmp(r.stage, "submitted") || (!x->accept && !strcmp(r.stage, "accepted"));
    if (!r.exists || !ok) rc = HT_ECONFLICT;
  }
  arena_free(&a);
  if (rc) return rc;
  const char *to = x->accept ? "accepted" : "returned";
  rc = set_stage(d, x->t, to, x->comment, 0, 0);
  if (rc == HT_OK)
    rc = audit_step(d, x->who, x->t, x->accept ? "record.accept" : "record.return", x->stage, to,
                    x->comment);
  return rc;
}

int wf_review(db *d, const audit_actor *who, const rec_target *t, int accept, const char *comment,
              ht_err *err) {
  char *c = NULL;
  int rc = clean_text(comment, REC_NOTE_MAX_BYTES, &c);
  if (rc) {
    ht_err_set(err, HT_EINVAL, "comment: %s",
               rc == HT_ELIMIT ? "longer than 4000 bytes; shorten it" : "not valid UTF-8 text");
    ht_err_vi(err, "Nhận xét không hợp lệ hoặc quá dài");
    return HT_EINVAL;
  }
  if (!accept && !*c) {
    free(c);
    ht_err_set(err, HT_EINVAL,
               "comment: say why the record is returned; the submitter sees it and fixes the "
               "record");
    ht_err_vi(err, "Hãy ghi lý do trả lại hồ sơ; người nhập sẽ thấy và sửa theo");
    return HT_EINVAL;
  }
  step_ctx x = {.who = who, .t = t, .accept = accept, .comment = c};
  rc = db_tx(d, review_in_tx, &x);
  free(c);
  if (rc == HT_ECONFLICT) {
    ht_err_set(err, rc, "the record of %s for %s %d is %s; only a submitted record can be %s",
               t->display, t->title->key, t->year, x.stage[0] ? x.stage : "not there",
               accept ? "accepted" : "returned (or an accepted one before the decision)");
    ht_err_vi(err, "Hồ sơ %s nên không thể %s", stage_vi(x.stage[0] ? x.stage : "open"),
              accept ? "thẩm định đạt" : "trả lại");
    return rc;
  }
  if (rc) return ht_err_set(err, rc, "cannot save the review: %s", db_errmsg(d));
  return HT_OK;
}

/* --------------------------------------------------------------- unlock */

static int unlock_in_tx(db *d, void *arg) {
  step_ctx *x = arg;
  arena a;
  arena_init(&a, 256);
  rec_record r;
  int rc = rec_get(d, x->t, &a, &r);
  if (rc == HT_OK) {
    snprintf(x->stage, sizeof x->stage, "%s", r.stage);
    if (strcmp(r.stage, "recognised") != 0 && strcmp(r.stage, "not-recognised") != 0)
      rc = HT_ECONFLICT;
  }
  arena_free(&a);
  if (rc) return rc;
  rc = set_stage(d, x->t, "returned", x->comment, 0, 1);
  if (rc) return rc;
  db_stmt *s;
  rc = db_prepare(d,
                  "UPDATE certificates SET revoked_at = $5, revoked_reason = $6 WHERE prov = $1 "
                  "AND title = $2 AND year = $3 AND entity = $4 AND revoked_at IS NULL",
                  &s);
  if (rc) return rc;
  bind_record(s, d, x->t);
  db_bind_int64(s, 5, rec_now_ms());
  db_bind_text(s, 6, x->comment);
  rc = db_step(s);
  db_finalize(s);
  if (rc != DB_DONE) return rc < 0 ? rc : HT_EDB;
  return audit_step(d, x->who, x->t, "record.unlock", x->stage, "returned", x->comment);
}

int wf_unlock(db *d, const audit_actor *who, const rec_target *t, const char *reason, ht_err *err) {
  char *c = NULL;
  int rc = clean_text(reason, REC_NOTE_MAX_BYTES, &c);
  if (rc || !*c) {
    free(c);
    ht_err_set(err, HT_EINVAL,
               "reason: say why the decided record is unlocked (required, at most 4000 bytes)");
    ht_err_vi(err, "Hãy ghi lý do mở khóa hồ sơ (bắt buộc)");
    return HT_EINVAL;
  }
  step_ctx x = {.who = who, .t = t, .comment = c};
  rc = db_tx(d, unlock_in_tx, &x);
  free(c);
  if (rc == HT_ECONFLICT) {
    ht_err_set(err, rc, "the record of %s for %s %d is %s; only a decided record can be unlocked",
               t->display, t->title->key, t->year, x.stage);
    ht_err_vi(err, "Hồ sơ %s; chỉ mở khóa được hồ sơ đã có quyết định", stage_vi(x.stage));
    return rc;
  }
  if (rc) return ht_err_set(err, rc, "cannot unlock the record: %s", db_errmsg(d));
  return HT_OK;
}

/* ----------------------------------------------------------- decisions */

int wf_code_normalise(const char *in, char out[16]) {
  char raw[16];
  size_t n = 0;
  for (const char *p = in ? in : ""; *p; p++) {
    if (*p == '-' || *p == ' ') continue;
    if (n >= 10) return 0;
    char ch = (char)toupper((unsigned char)*p);
    if (!isalnum((unsigned char)ch)) return 0;
    raw[n++] = ch;
  }
  if (n != 10) return 0;
  snprintf(out, 16, "%.5s-%.5s", raw, raw + 5);
  return 1;
}

/* A random code of 10 characters from an alphabet without look-alikes
 * (no 0/O, 1/I/L, U): 50 bits, so codes cannot be guessed. */
static void new_code(char out[16]) {
  static const char alphabet[] = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
  char raw[11];
  for (int i = 0; i < 10; i++) raw[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
  raw[10] = 0;
  snprintf(out, 16, "%.5s-%.5s", raw, raw + 5);
}

/* The unit's name and level key on day ("" when unknown). */
static int unit_on(db *d, const char *code, const char *day, arena *a, const char **name,
                   const char **level, const char **parent) {
  *name = *level = *parent = "";
  db_stmt *s;
  int rc = db_prepare(d,
                      "SELECT u.name, k.level_key, COALESCE(u.parent_code, '') FROM units u JOIN "
                      "unit_kinds k ON k.prov = u.prov AND k.key = u.kind WHERE u.prov = $1 AND "
                      "u.code = $2 AND u.valid_from <= $3 AND (u.valid_to IS NULL OR u.valid_to "
                      ">= $3)",
                      &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_text(s, 2, code);
  db_bind_text(s, 3, day);
  rc = db_step(s);
  if (rc == DB_ROW) {
    *name = arena_strdup(a, db_col_text(s, 0));
    *level = arena_strdup(a, db_col_text(s, 1));
    *parent = arena_strdup(a, db_col_text(s, 2));
  }
  db_finalize(s);
  return rc < 0 ? rc : rc == DB_ROW ? HT_OK : HT_ENOTFOUND;
}

/* s in capitals (Vietnamese letters too), from a. */
static const char *upper(const char *s, arena *a) {
  char *u = NULL;
  if (vt_upper(s, &u) != HT_OK) return s;
  const char *out = arena_strdup(a, u);
  free(u);
  return out;
}

/* tmpl with {UNIT} and {Unit} replaced by the unit's name. */
static const char *fill_unit(const char *tmpl, const char *unit_name, arena *a) {
  strbuf b = STRBUF_INIT;
  for (const char *p = tmpl; *p;) {
    if (!strncmp(p, "{UNIT}", 6)) {
      strbuf_puts(&b, upper(unit_name, a));
      p += 6;
    } else if (!strncmp(p, "{Unit}", 6)) {
      strbuf_puts(&b, unit_name);
      p += 6;
    } else {
      strbuf_putc(&b, *p++);
    }
  }
  const char *out = arena_strdup(a, strbuf_cstr(&b));
  strbuf_free(&b);
  return out;
}

/* "Xã An Lão, Thành phố Hải Phòng": place and its ancestors below the top, on day. */
static const char *place_path(db *d, const char *place, const char *day, arena *a) {
  strbuf b = STRBUF_INIT;
  const char *code = place;
  for (int depth = 0; code && *code && depth < 6; depth++) {
    const char *name, *level, *parent;
    if (unit_on(d, code, day, a, &name, &level, &parent) != HT_OK) break;
    if (b.len) strbuf_puts(&b, ", ");
    strbuf_puts(&b, name);
    code = parent;
  }
  const char *out = arena_strdup(a, strbuf_cstr(&b));
  strbuf_free(&b);
  return out;
}

/* What the certificate of t shows: the recipient and the address. */
static int describe(db *d, const rec_target *t, const char *day, arena *a, const char **recipient,
                    const char **address) {
  const char *where = t->place[0] ? place_path(d, t->place, day, a) : "";
  *address = where;
  db_stmt *s;
  int rc;
  switch (t->title->entity) {
    case CRIT_HOUSEHOLD:
    case CRIT_PERSON: {
      int household = t->title->entity == CRIT_HOUSEHOLD;
      rc = db_prepare(d,
                      household
                          ? "SELECT h.head_name, h.address, (SELECT p.gender FROM persons p WHERE "
                            "p.prov = h.prov AND p.household_id = h.id AND p.full_name = "
                            "h.head_name ORDER BY p.birth_year LIMIT 1) FROM households h WHERE "
                            "h.prov = $1 AND h.code = $2"
                          : "SELECT p.full_name, h.address, p.gender FROM persons p JOIN "
                            "households h ON h.prov = p.prov AND h.id = p.household_id WHERE "
                            "p.prov = $1 AND CAST(p.id AS TEXT) = $2",
                      &s);
      if (rc) return rc;
      db_bind_int64(s, 1, db_prov(d));
      db_bind_text(s, 2, t->entity);
      rc = db_step(s);
      if (rc == DB_ROW) {
        const char *name = db_col_text(s, 0), *addr = db_col_text(s, 1);
        const char *g = db_col_is_null(s, 2) ? "" : db_col_text(s, 2);
        const char *honorific = !strcmp(g, "nam") ? "ông" : !strcmp(g, "nu") ? "bà" : "ông/bà";
        const char *title_case = !strcmp(g, "nam") ? "Ông" : !strcmp(g, "nu") ? "Bà" : "Ông/Bà";
        *recipient = household ? arena_sprintf(a, "Gia đình %s %s", honorific, name)
                               : arena_sprintf(a, "%s %s", title_case, name);
        if (*addr) *address = arena_strdup(a, addr);
      }
      db_finalize(s);
      return rc < 0 ? rc : HT_OK;
    }
    case CRIT_CLAN: *recipient = arena_sprintf(a, "%s", t->label); return HT_OK;
    case CRIT_ORGANISATION: *recipient = arena_strdup(a, t->label); return HT_OK;
    default: {
      *recipient = arena_strdup(a, t->label);
      const char *name, *level, *parent;
      if (unit_on(d, t->entity, day, a, &name, &level, &parent) == HT_OK && *parent)
        *address = place_path(d, parent, day, a);
      return HT_OK;
    }
  }
}

typedef struct decide_ctx {
  const audit_actor *who;
  const wf_decide_in *in;
  issues *problems;
  arena *a;
  const crit_title *title;
  const wf_title_cfg *tc;
  char *number, *signer_name, *signer_position, *issuer, *issuer_parent;
  const char *unit_name, *unit_level, *place_name;
  int32_t signed_day;
  int64_t id;
  int64_t recognised, not_recognised;
} decide_ctx;

#define PROBLEM(x, field, en_fmt, vi_fmt, ...)                \
  do {                                                        \
    issues_add((x)->problems, 0, field, en_fmt, __VA_ARGS__); \
    issues_vi((x)->problems, vi_fmt, __VA_ARGS__);            \
  } while (0)

static int decide_entry(db *d, decide_ctx *x, size_t i, int *rank_seen) {
  const wf_decide_entry *e = &x->in->entries[i];
  char field[40];
  snprintf(field, sizeof field, "entities[%zu]", i);
  rec_target t;
  ht_err err = {0};
  int rc = rec_target_resolve(d, x->in->set, x->title->key, x->in->year, e->entity, &t, &err);
  if (rc == HT_EDB || rc == HT_EBUSY) return rc;
  if (rc) {
    PROBLEM(x, field, "%s", "%s", err.msg);
    return HT_OK;
  }
  (void)rank_seen;
  rec_record r;
  rc = rec_get(d, &t, x->a, &r);
  if (rc) return rc;
  if (!r.exists || strcmp(r.stage, "accepted") != 0) {
    issues_add(x->problems, 0, field,
               "%s (%s) is %s, not accepted by a reviewer; only accepted records can be decided",
               t.display, t.label, r.exists ? r.stage : "without a record");
    issues_vi(x->problems,
              "%s: hồ sơ %s, chưa được thẩm định đạt; chỉ công nhận hồ sơ đã thẩm định", t.label_vi,
              r.exists ? stage_vi(r.stage) : "chưa có");
    return HT_OK;
  }
  int inside = !strcmp(x->tc->decided_by, "managing") ? !strcmp(t.place, x->in->unit_code)
                                                      : x->in->within(x->in->within_ctx, t.place);
  if (!inside) {
    issues_add(x->problems, 0, field, "%s (%s) is not in %s; a decision covers its own area only",
               t.display, t.label, x->unit_name);
    issues_vi(x->problems, "%s không thuộc %s; quyết định chỉ công nhận trên địa bàn của mình",
              t.label_vi, x->unit_name);
    return HT_OK;
  }
  int level = x->in->verdict(x->in->verdict_ctx, &t);
  char *reason = NULL;
  if (e->recognise && level <= 0) {
    issues_add(x->problems, 0, field,
               "%s (%s) does not meet the criteria of %s %d; it cannot be recognised (a reviewer "
               "can return it, or override an item with a reason)",
               t.display, t.label, x->title->key, x->in->year);
    issues_vi(x->problems, "%s chưa đạt tiêu chí danh hiệu %s năm %d nên không thể công nhận",
              t.label_vi, x->title->name, x->in->year);
    return HT_OK;
  }
  if (!e->recognise) {
    if (clean_text(e->reason, REC_NOTE_MAX_BYTES, &reason) != HT_OK || !*reason) {
      free(reason);
      issues_add(x->problems, 0, field, "%s (%s): say why it is not recognised (reason)", t.display,
                 t.label);
      issues_vi(x->problems, "%s: hãy ghi lý do không công nhận", t.label_vi);
      return HT_OK;
    }
  }
  if (x->problems->count) { /* only checking from now on */
    free(reason);
    return HT_OK;
  }
  const char *stage = e->recognise ? "recognised" : "not-recognised";
  db_stmt *s;
  rc = db_prepare(d,
                  "UPDATE records SET stage = $5, comment = $6, decision_id = $7, updated_at = $8 "
                  "WHERE prov = $1 AND title = $2 AND year = $3 AND entity = $4",
                  &s);
  if (rc == HT_OK) {
    bind_record(s, d, &t);
    db_bind_text(s, 5, stage);
    db_bind_text(s, 6, reason ? reason : "");
    db_bind_int64(s, 7, x->id);
    db_bind_int64(s, 8, rec_now_ms());
    rc = db_step(s);
    db_finalize(s);
    rc = rc == DB_DONE ? HT_OK : rc < 0 ? rc : HT_EDB;
  }
  char code[16] = "";
  if (rc == HT_OK && e->recognise) {
    char dayiso[11];
    date_format(x->signed_day, dayiso);
    const char *recipient = t.label, *address = "";
    rc = describe(d, &t, dayiso, x->a, &recipient, &address);
    char until[11] = "";
    if (rc == HT_OK && x->title->valid_months > 0) {
      int y, m, dd;
      date_to_ymd(x->signed_day, &y, &m, &dd);
      int months = m - 1 + x->title->valid_months;
      int32_t first = date_from_ymd(y + months / 12, months % 12 + 1, 1);
      int32_t day = first + dd - 1;
      int y2, m2, d2;
      date_to_ymd(day, &y2, &m2, &d2);
      if (m2 != months % 12 + 1) day = date_from_ymd(y + months / 12, months % 12 + 2, 1) - 1;
      date_format(day - 1, until);
    }
    for (int attempt = 0; rc == HT_OK && attempt < 5 && !code[0]; attempt++) {
      new_code(code);
      int64_t taken = 0;
      rc = db_prepare(d, "SELECT COUNT(*) FROM certificates WHERE prov = $1 AND code = $2", &s);
      if (rc) break;
      db_bind_int64(s, 1, db_prov(d));
      db_bind_text(s, 2, code);
      rc = db_step(s);
      if (rc == DB_ROW) taken = db_col_int64(s, 0);
      db_finalize(s);
      rc = rc < 0 ? rc : HT_OK;
      if (taken) code[0] = 0; /* taken (50 random bits: practically never): draw again */
    }
    if (rc == HT_OK && code[0]) {
      rc = db_prepare(d,
                      "INSERT INTO certificates (prov, code, decision_id, title, year, entity, "
                      "level, recipient, address, valid_until) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                      "$8, $9, $10)",
                      &s);
      if (rc == HT_OK) {
        db_bind_int64(s, 1, db_prov(d));
        db_bind_text(s, 2, code);
        db_bind_int64(s, 3, x->id);
        db_bind_text(s, 4, t.title->key);
        db_bind_int64(s, 5, t.year);
        db_bind_text(s, 6, t.entity);
        db_bind_int64(s, 7, x->title->levels ? level : 0);
        db_bind_text(s, 8, recipient);
        db_bind_text(s, 9, address);
        db_bind_text(s, 10, until[0] ? until : NULL);
        rc = db_step(s);
        db_finalize(s);
        rc = rc == DB_DONE ? HT_OK : rc < 0 ? rc : HT_EDB;
      }
    }
    if (rc == HT_OK && !code[0]) rc = HT_ECONFLICT;
  }
  if (rc == HT_OK) {
    char id[REC_ENTITY_MAX + 96];
    snprintf(id, sizeof id, "%s/%d/%s", t.title->key, t.year, t.display);
    json_t *aj = json_pack("{sssI}", "stage", stage, "decision", (json_int_t)x->id);
    if (code[0]) json_object_set_new(aj, "certificate", json_string(code));
    if (reason) json_object_set_new(aj, "reason", json_string(reason));
    char *after = json_dumps(aj, JSON_COMPACT | JSON_SORT_KEYS);
    audit_entry ae = {e->recognise ? "record.recognise" : "record.not-recognise",
                      "record",
                      id,
                      t.place,
                      "{\"stage\":\"accepted\"}",
                      after};
    rc = audit_append(d, x->who, &ae, &err);
    free(after);
    json_decref(aj);
  }
  if (rc == HT_OK) {
    if (e->recognise)
      x->recognised++;
    else
      x->not_recognised++;
  }
  free(reason);
  return rc;
}

static int decide_in_tx(db *d, void *arg) {
  decide_ctx *x = arg;
  const wf_decide_in *in = x->in;
  char dayiso[11];
  date_format(x->signed_day, dayiso);
  /* the number is unique for the unit within the year it was signed */
  db_stmt *s;
  int rc = db_prepare(d,
                      "SELECT COUNT(*) FROM decisions WHERE prov = $1 AND unit_code = $2 AND "
                      "signed_year = $3 AND number = $4",
                      &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_text(s, 2, in->unit_code);
  db_bind_int64(s, 3, date_year(x->signed_day));
  db_bind_text(s, 4, x->number);
  rc = db_step(s);
  int64_t taken = rc == DB_ROW ? db_col_int64(s, 0) : 0;
  db_finalize(s);
  if (rc < 0) return rc;
  if (taken) {
    PROBLEM(x, "number", "decision %s of %s already exists for %d; give the decision's own number",
            "Quyết định số %s của %s năm %d đã có; hãy nhập đúng số của quyết định này", x->number,
            x->unit_name, date_year(x->signed_day));
    return HT_EINVAL;
  }
  x->id = db_new_id(d);
  /* the entities: each checked, then written while no problem was found */
  for (size_t i = 0; i < in->n; i++) {
    for (size_t j = 0; j < i; j++)
      if (!strcmp(in->entries[i].entity, in->entries[j].entity)) {
        char field[40];
        snprintf(field, sizeof field, "entities[%zu]", i);
        PROBLEM(x, field, "%s is listed twice; list each entity once",
                "%s có hai lần trong danh sách", in->entries[i].entity);
        break;
      }
    if (i > 2000 && x->problems->count) break; /* a long list with problems: stop checking */
    rc = decide_entry(d, x, i, NULL);
    if (rc) return rc;
  }
  if (x->problems->count) return HT_EINVAL;
  rc = db_prepare(d,
                  "INSERT INTO decisions (prov, id, title, year, unit_code, number, signed_on, "
                  "signed_year, issuer, issuer_parent, place_name, signer_name, signer_position, "
                  "created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
                  "$12, $13, $14, $15)",
                  &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, x->id);
  db_bind_text(s, 3, x->title->key);
  db_bind_int64(s, 4, in->year);
  db_bind_text(s, 5, in->unit_code);
  db_bind_text(s, 6, x->number);
  db_bind_text(s, 7, dayiso);
  db_bind_int64(s, 8, date_year(x->signed_day));
  db_bind_text(s, 9, x->issuer);
  db_bind_text(s, 10, x->issuer_parent);
  db_bind_text(s, 11, x->place_name);
  db_bind_text(s, 12, x->signer_name);
  db_bind_text(s, 13, x->signer_position);
  db_bind_int64(s, 14, rec_now_ms());
  db_bind_text(s, 15, x->who->name);
  rc = db_step(s);
  db_finalize(s);
  if (rc != DB_DONE) return rc < 0 ? rc : HT_EDB;
  json_t *aj = json_pack("{sssIsssssssssIsI}", "title", x->title->key, "year", (json_int_t)in->year,
                         "number", x->number, "signed_on", dayiso, "signer", x->signer_name,
                         "issuer", x->issuer, "recognised", (json_int_t)x->recognised,
                         "not_recognised", (json_int_t)x->not_recognised);
  char *after = json_dumps(aj, JSON_COMPACT | JSON_SORT_KEYS);
  char id[32];
  snprintf(id, sizeof id, "%lld", (long long)x->id);
  audit_entry ae = {"decision.create", "decision", id, in->unit_code, NULL, after};
  ht_err err = {0};
  rc = audit_append(d, x->who, &ae, &err);
  free(after);
  json_decref(aj);
  return rc;
}

/* Cleans a required text field of the decision into *out; a problem when missing. */
static void required(decide_ctx *x, const char *field, const char *label_vi, const char *in,
                     size_t max, char **out) {
  int rc = clean_lines(in, max, out);
  if (rc == HT_OK && **out) return;
  free(*out);
  *out = NULL;
  if (rc == HT_ELIMIT)
    PROBLEM(x, field, "%s is longer than %zu bytes; shorten it", "%s quá dài (tối đa %zu byte)",
            field, max);
  else
    issues_add(x->problems, 0, field, "%s is missing; fill it in", field),
        issues_vi(x->problems, "Chưa nhập %s", label_vi);
}

int wf_decide(db *d, const audit_actor *who, const wf_decide_in *in, issues *problems,
              int64_t *id_out, ht_err *err) {
  decide_ctx x = {.who = who, .in = in, .problems = problems, .a = problems->mem};
  long before = problems->count;
  x.title = crit_in_force(in->set, in->title ? in->title : "", in->year, (int)db_prov(d));
  if (!x.title) {
    PROBLEM(&x, "title", "no title '%s' applies in %d; see the criteria list",
            "Không có danh hiệu '%s' áp dụng cho năm %d", in->title ? in->title : "", in->year);
    return HT_EINVAL;
  }
  x.tc = wf_config_title(in->cfg, x.title->key);
  if (!x.tc) {
    PROBLEM(&x, "title", "the workflow settings do not say who decides %s; add a 'title %s' block",
            "Cấu hình quy trình chưa có cấp công nhận danh hiệu %s (thêm khối 'title %s')",
            x.title->key, x.title->key);
    return HT_EINVAL;
  }
  required(&x, "number", "số quyết định", in->number, 60, &x.number);
  required(&x, "signer_name", "người ký", in->signer_name, 200, &x.signer_name);
  if (in->signed_on && date_parse(in->signed_on, &x.signed_day) == HT_OK) {
    if (x.signed_day > date_today())
      PROBLEM(&x, "signed_on", "%s is in the future; give the date the decision was signed",
              "Ngày ký %s ở tương lai; hãy nhập ngày đã ký quyết định", in->signed_on);
    else if (date_year(x.signed_day) < in->year)
      PROBLEM(&x, "signed_on", "%s is before the year evaluated (%d); a decision comes after it",
              "Ngày ký %s trước năm đánh giá %d", in->signed_on, in->year);
  } else {
    PROBLEM(&x, "signed_on", "'%s' is not a date; write YYYY-MM-DD",
            "Ngày ký '%s' không hợp lệ (năm-tháng-ngày)", in->signed_on ? in->signed_on : "");
  }
  char day[11];
  snprintf(day, sizeof day, "%04d-12-31", in->year);
  const char *unit_level = "", *parent = "";
  x.unit_name = "";
  int rc =
      unit_on(d, in->unit_code ? in->unit_code : "", day, x.a, &x.unit_name, &unit_level, &parent);
  if (rc == HT_ENOTFOUND) {
    PROBLEM(&x, "unit", "no administrative unit '%s' on %s; give the deciding unit's code",
            "Không có đơn vị hành chính '%s' vào ngày %s", in->unit_code ? in->unit_code : "", day);
  } else if (rc) {
    return ht_err_set(err, rc, "cannot read units: %s", db_errmsg(d));
  } else if (strcmp(x.tc->decided_by, "managing") != 0 &&
             strcmp(x.tc->decided_by, unit_level) != 0) {
    issues_add(problems, 0, "unit",
               "%s is a %s, but %s is decided at the %s level (workflow settings); choose a %s",
               x.unit_name, unit_level, x.title->key, x.tc->decided_by, x.tc->decided_by);
    issues_vi(problems, "%s là cấp %s, nhưng danh hiệu này do cấp %s công nhận (theo cấu hình)",
              x.unit_name, unit_level, x.tc->decided_by);
  }
  x.unit_level = unit_level;
  x.place_name = x.unit_name;
  {
    /* "Xã An Lão" -> "An Lão" for the date line */
    const char *sp = x.unit_name;
    size_t kinds = 0;
    static const char *const prefixes[] = {"Xã ",        "Phường ", "Thị trấn ",  "Đặc khu ",
                                           "Thành phố ", "Tỉnh ",   "Huyện ",     "Quận ",
                                           "Thị xã ",    "Thôn ",   "Tổ dân phố "};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
      if (!strncmp(sp, prefixes[i], strlen(prefixes[i]))) kinds = strlen(prefixes[i]);
    x.place_name = arena_strdup(x.a, sp + kinds);
  }
  const char *issuer =
      in->issuer && *in->issuer ? in->issuer : fill_unit(x.tc->issuer, x.unit_name, x.a);
  const char *iparent =
      in->issuer_parent ? in->issuer_parent : fill_unit(x.tc->issuer_parent, x.unit_name, x.a);
  required(&x, "issuer", "cơ quan ban hành", issuer, 200, &x.issuer);
  if (clean_lines(iparent, 200, &x.issuer_parent) != HT_OK) x.issuer_parent = strdup("");
  required(&x, "signer_position", "chức vụ người ký",
           in->signer_position && *in->signer_position ? in->signer_position : x.tc->signer, 200,
           &x.signer_position);
  if (!in->n)
    issues_add(problems, 0, "entities", "the decision lists no entity; list what it decides"),
        issues_vi(problems, "Quyết định chưa có danh sách được công nhận");
  if (in->n > WF_DECISION_MAX_ENTRIES)
    PROBLEM(&x, "entities", "the decision lists %zu entities; at most %d fit in one",
            "Quyết định có %zu mục; tối đa %d", in->n, WF_DECISION_MAX_ENTRIES);
  rc = HT_OK;
  if (problems->count == before) {
    x.problems = problems;
    rc = db_tx(d, decide_in_tx, &x);
    if (rc && rc != HT_EINVAL) ht_err_set(err, rc, "cannot record the decision: %s", db_errmsg(d));
    if (rc == HT_OK && id_out) *id_out = x.id;
  }
  free(x.number);
  free(x.signer_name);
  free(x.signer_position);
  free(x.issuer);
  free(x.issuer_parent);
  if (problems->count > before) return HT_EINVAL;
  return rc;
}

int wf_accepted(db *d, const char *title, int year, int (*within)(void *ctx, const char *place),
                void *ctx, arena *a, const char ***entities, size_t *n) {
  *entities = NULL;
  *n = 0;
  db_stmt *s;
  int rc = db_prepare(d,
                      "SELECT entity, place FROM records WHERE prov = $1 AND year = $2 AND stage = "
                      "'accepted' AND title = $3 ORDER BY entity",
                      &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, year);
  db_bind_text(s, 3, title);
  size_t cap = 0;
  while ((rc = db_step(s)) == DB_ROW) {
    if (within && !within(ctx, db_col_text(s, 1))) continue;
    *entities = arena_grow(a, *entities, *n, &cap, sizeof **entities);
    (*entities)[(*n)++] = arena_strdup(a, db_col_text(s, 0));
  }
  db_finalize(s);
  return rc < 0 ? rc : HT_OK;
}

#define DECISION_COLS                                                                      \
  "d.id, d.title, d.year, d.unit_code, d.number, d.signed_on, d.issuer, d.issuer_parent, " \
  "d.place_name, d.signer_name, d.signer_position, d.created_by, d.created_at, (SELECT "   \
  "COUNT(*) FROM certificates c WHERE c.prov = d.prov AND c.decision_id = d.id), (SELECT " \
  "COUNT(*) FROM records r WHERE r.prov = d.prov AND r.decision_id = d.id AND r.stage = "  \
  "'not-recognised'), (SELECT COUNT(*) FROM certificates c WHERE c.prov = d.prov AND "     \
  "c.decision_id = d.id AND c.revoked_at IS NOT NULL)"

static void read_decision(db_stmt *s, arena *a, wf_decision *o) {
  o->id = db_col_int64(s, 0);
  o->title = arena_strdup(a, db_col_text(s, 1));
  o->year = (int)db_col_int64(s, 2);
  o->unit_code = arena_strdup(a, db_col_text(s, 3));
  o->number = arena_strdup(a, db_col_text(s, 4));
  o->signed_on = arena_strdup(a, db_col_text(s, 5));
  o->issuer = arena_strdup(a, db_col_text(s, 6));
  o->issuer_parent = arena_strdup(a, db_col_text(s, 7));
  o->place_name = arena_strdup(a, db_col_text(s, 8));
  o->signer_name = arena_strdup(a, db_col_text(s, 9));
  o->signer_position = arena_strdup(a, db_col_text(s, 10));
  o->created_by = arena_strdup(a, db_col_text(s, 11));
  o->created_at = db_col_int64(s, 12);
  o->recognised = db_col_int64(s, 13);
  o->not_recognised = db_col_int64(s, 14);
  o->revoked = db_col_int64(s, 15);
}

int wf_decision_get(db *d, int64_t id, arena *a, wf_decision *out) {
  memset(out, 0, sizeof *out);
  db_stmt *s;
  int rc = db_prepare(
      d, "SELECT " DECISION_COLS " FROM decisions d WHERE d.prov = $1 AND d.id = $2", &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, id);
  rc = db_step(s);
  if (rc == DB_ROW) read_decision(s, a, out);
  db_finalize(s);
  return rc < 0 ? rc : rc == DB_ROW ? HT_OK : HT_ENOTFOUND;
}

int wf_decision_list(db *d, int year, int (*within)(void *ctx, const char *unit), void *ctx,
                     arena *a, wf_decision **out, size_t *n) {
  *out = NULL;
  *n = 0;
  db_stmt *s;
  int rc = db_prepare(d,
                      "SELECT " DECISION_COLS
                      " FROM decisions d WHERE d.prov = $1 AND ($2 = 0 OR "
                      "d.year = $2) ORDER BY d.signed_on DESC, d.id DESC",
                      &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, year);
  size_t cap = 0;
  while ((rc = db_step(s)) == DB_ROW) {
    if (within && !within(ctx, db_col_text(s, 3))) continue;
    *out = arena_grow(a, *out, *n, &cap, sizeof **out);
    read_decision(s, a, &(*out)[(*n)++]);
  }
  db_finalize(s);
  return rc < 0 ? rc : HT_OK;
}

#define CERT_COLS                                                                            \
  "c.code, c.title, c.entity, c.recipient, c.address, COALESCE(c.valid_until, ''), c.year, " \
  "c.level, c.decision_id, COALESCE(c.revoked_at, 0), COALESCE(c.revoked_reason, ''), "      \
  "COALESCE((SELECT r.place FROM records r WHERE r.prov = c.prov AND r.title = c.title AND " \
  "r.year = c.year AND r.entity = c.entity), '')"

static void read_cert(db_stmt *s, arena *a, wf_certificate *o) {
  o->code = arena_strdup(a, db_col_text(s, 0));
  o->title = arena_strdup(a, db_col_text(s, 1));
  o->entity = arena_strdup(a, db_col_text(s, 2));
  o->recipient = arena_strdup(a, db_col_text(s, 3));
  o->address = arena_strdup(a, db_col_text(s, 4));
  o->valid_until = arena_strdup(a, db_col_text(s, 5));
  o->year = (int)db_col_int64(s, 6);
  o->level = (int)db_col_int64(s, 7);
  o->decision_id = db_col_int64(s, 8);
  o->revoked_at = db_col_int64(s, 9);
  o->revoked_reason = arena_strdup(a, db_col_text(s, 10));
  o->place = arena_strdup(a, db_col_text(s, 11));
}

int wf_certificates_of(db *d, int64_t decision_id, arena *a, wf_certificate **out, size_t *n) {
  *out = NULL;
  *n = 0;
  db_stmt *s;
  int rc = db_prepare(d,
                      "SELECT " CERT_COLS
                      " FROM certificates c WHERE c.prov = $1 AND "
                      "c.decision_id = $2 ORDER BY c.entity",
                      &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, decision_id);
  size_t cap = 0;
  while ((rc = db_step(s)) == DB_ROW) {
    *out = arena_grow(a, *out, *n, &cap, sizeof **out);
    read_cert(s, a, &(*out)[(*n)++]);
  }
  db_finalize(s);
  return rc < 0 ? rc : HT_OK;
}

int wf_certificate_get(db *d, const char *code, arena *a, wf_certificate *out) {
  memset(out, 0, sizeof *out);
  char norm[16];
  if (!wf_code_normalise(code, norm)) return HT_ENOTFOUND;
  db_stmt *s;
  int rc = db_prepare(
      d, "SELECT " CERT_COLS " FROM certificates c WHERE c.prov = $1 AND c.code = $2", &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_text(s, 2, norm);
  rc = db_step(s);
  if (rc == DB_ROW) read_cert(s, a, out);
  db_finalize(s);
  return rc < 0 ? rc : rc == DB_ROW ? HT_OK : HT_ENOTFOUND;
}

int wf_certificate_of_record(db *d, const char *title, int year, const char *entity, arena *a,
                             wf_certificate *out) {
  memset(out, 0, sizeof *out);
  db_stmt *s;
  int rc = db_prepare(d,
                      "SELECT " CERT_COLS
                      " FROM certificates c WHERE c.prov = $1 AND c.title = "
                      "$2 AND c.year = $3 AND c.entity = $4 ORDER BY c.decision_id DESC LIMIT 1",
                      &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_text(s, 2, title);
  db_bind_int64(s, 3, year);
  db_bind_text(s, 4, entity);
  rc = db_step(s);
  if (rc == DB_ROW) read_cert(s, a, out);
  db_finalize(s);
  return rc < 0 ? rc : rc == DB_ROW ? HT_OK : HT_ENOTFOUND;
}

int wf_holding(db *d, const char *title, int year, const char *entity, arena *a,
               wf_certificate *out, char signed_on[11]) {
  memset(out, 0, sizeof *out);
  signed_on[0] = 0;
  db_stmt *s;
  int rc = db_prepare(d,
                      "SELECT " CERT_COLS
                      ", d.signed_on FROM certificates c JOIN decisions d ON "
                      "d.prov = c.prov AND d.id = c.decision_id WHERE c.prov = $1 AND c.title = "
                      "$2 AND c.year < $3 AND c.entity = $4 AND c.revoked_at IS NULL ORDER BY "
                      "d.signed_on DESC LIMIT 1",
                      &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_text(s, 2, title);
  db_bind_int64(s, 3, year);
  db_bind_text(s, 4, entity);
  rc = db_step(s);
  if (rc == DB_ROW) {
    read_cert(s, a, out);
    snprintf(signed_on, 11, "%s", db_col_text(s, 12));
  }
  db_finalize(s);
  return rc < 0 ? rc : rc == DB_ROW ? HT_OK : HT_ENOTFOUND;
}

/* ------------------------------------------------------- registration */

int wf_registration_check(db *d, const crit_set *set, const rec_target *t,
                          const char *registered_on, issues *problems) {
  if (t->title->valid_months <= 12 || !registered_on) return HT_OK;
  arena a;
  arena_init(&a, 0);
  rec_record rec;
  wf_certificate c;
  char signed_on[11];
  int32_t reg_day, until, signed_day;
  int rc = HT_OK;
  if (rec_get(d, t, &a, &rec) != HT_OK || rec.registered_on[0] ||
      wf_holding(d, t->title->key, t->year, t->entity, &a, &c, signed_on) != HT_OK ||
      !*c.valid_until || date_parse(registered_on, &reg_day) || date_parse(c.valid_until, &until) ||
      date_parse(signed_on, &signed_day) || reg_day > until) {
    arena_free(&a);
    return HT_OK;
  }
  wf_config cfg;
  ht_err err = {0};
  int months = 12;
  if (wf_config_load(d, set, &cfg, &err) == HT_OK) {
    months = cfg.upgrade_after_months;
    wf_config_free(&cfg);
  }
  int y, m, dd;
  date_to_ymd(signed_day, &y, &m, &dd);
  int total = m - 1 + months;
  int32_t upgrade_from = date_from_ymd(y + total / 12, total % 12 + 1, dd > 28 ? 28 : dd);
  char from[11], until_vn[11];
  date_format(upgrade_from, from);
  snprintf(until_vn, sizeof until_vn, "%s", c.valid_until);
  if (t->title->levels && c.level < t->title->levels) {
    if (reg_day < upgrade_from) {
      issues_add(problems, 0, "registration",
                 "%s holds %s at level %d until %s; it may apply for level %d from %s, not "
                 "before",
                 t->display, t->title->key, c.level, c.valid_until, c.level + 1, from);
      issues_vi(problems,
                "%s đang giữ danh hiệu mức độ %d đến ngày %s, chưa cần đánh giá lại; có thể đăng "
                "ký mức độ %d từ ngày %s",
                t->label_vi, c.level, until_vn, c.level + 1, from);
      rc = HT_EINVAL;
    }
  } else {
    issues_add(problems, 0, "registration",
               "%s holds %s until %s; no re-evaluation is due before then", t->display,
               t->title->key, c.valid_until);
    issues_vi(problems, "%s đang giữ danh hiệu đến ngày %s; chưa đến hạn đánh giá lại", t->label_vi,
              until_vn);
    rc = HT_EINVAL;
  }
  arena_free(&a);
  return rc;
}

/* ---------------------------------------------------------------- tasks */

static wf_task *task_slot(wf_task **out, size_t *n, size_t *cap, arena *a, const char *title,
                          const char *stage) {
  for (size_t i = 0; i < *n; i++)
    if (!strcmp((*out)[i].title, title) && !strcmp((*out)[i].stage, stage)) return &(*out)[i];
  *out = arena_grow(a, *out, *n, cap, sizeof **out);
  wf_task *t = &(*out)[(*n)++];
  memset(t, 0, sizeof *t);
  t->title = arena_strdup(a, title);
  t->stage = arena_strdup(a, stage);
  t->due = -1;
  return t;
}

int wf_tasks(db *d, const wf_config *cfg, int year, int32_t today,
             int (*within)(void *ctx, const char *place), void *ctx, arena *a, wf_task **out,
             size_t *n) {
  *out = NULL;
  *n = 0;
  size_t cap = 0;
  db_stmt *s;
  int rc = db_prepare(d,
                      "SELECT title, stage, place, COUNT(*) FROM records WHERE prov = $1 AND year "
                      "= $2 AND stage IN ('open', 'returned', 'submitted', 'accepted') GROUP BY "
                      "title, stage, place",
                      &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_int64(s, 2, year);
  while ((rc = db_step(s)) == DB_ROW) {
    if (within && !within(ctx, db_col_text(s, 2))) continue;
    const char *title = db_col_text(s, 0), *stage = db_col_text(s, 1);
    wf_task *t = task_slot(out, n, &cap, a, title, stage);
    int64_t count = db_col_int64(s, 3);
    t->count += count;
    int step = !strcmp(stage, "submitted")  ? WF_STEP_REVIEW
               : !strcmp(stage, "accepted") ? WF_STEP_DECIDE
                                            : WF_STEP_SUBMIT;
    t->due = wf_due(wf_config_title(cfg, title), step, year);
    if (t->due >= 0 && today > t->due) t->overdue += count;
  }
  db_finalize(s);
  if (rc < 0) return rc;
  /* certificates expiring within the warning period (or expired in it) */
  int32_t horizon = today + cfg->expiry_warning_months * 30;
  char from[11], to[11];
  date_format(today - 365, from);
  date_format(horizon, to);
  rc = db_prepare(d,
                  "SELECT c.title, c.valid_until, COALESCE(r.place, '') FROM certificates c LEFT "
                  "JOIN records r ON r.prov = c.prov AND r.title = c.title AND r.year = c.year AND "
                  "r.entity = c.entity WHERE c.prov = $1 AND c.revoked_at IS NULL AND "
                  "c.valid_until IS NOT NULL AND c.valid_until >= $2 AND c.valid_until <= $3 AND "
                  "NOT EXISTS (SELECT 1 FROM certificates n WHERE n.prov = c.prov AND n.title = "
                  "c.title AND n.entity = c.entity AND n.year > c.year AND n.revoked_at IS NULL)",
                  &s);
  if (rc) return rc;
  db_bind_int64(s, 1, db_prov(d));
  db_bind_text(s, 2, from);
  db_bind_text(s, 3, to);
  while ((rc = db_step(s)) == DB_ROW) {
    if (within && !within(ctx, db_col_text(s, 2))) continue;
    wf_task *t = task_slot(out, n, &cap, a, db_col_text(s, 0), "expiring");
    int32_t until;
    if (date_parse(db_col_text(s, 1), &until) != HT_OK) continue;
    t->count++;
    if (until < today) t->overdue++;
    if (t->due < 0 || until < t->due) t->due = until;
  }
  db_finalize(s);
  return rc < 0 ? rc : HT_OK;
}
