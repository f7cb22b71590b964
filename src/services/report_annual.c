/* report_annual.c - the yearly report of a province (or any unit) to MOET
 * and the association (see report.h, docs/reports.md): every figure from the
 * dashboard model, one dashboard per unit listed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/strmap.h"
#include "services/evaluation.h"
#include "services/fund_summary.h"
#include "services/report.h"
#include "services/report_doc.h"

#define SUMMARY_NAMED 3 /* units named in a title's summary as furthest behind */
#define BEHIND_LISTED 5 /* units of the dashboard's furthest-behind list shown per title */

/* The figure columns every table of figures has, in this order. */
enum {
  FC_ELIGIBLE,
  FC_REGISTERED,
  FC_REG_RATE,
  FC_MEETS,
  FC_MEETS_RATE,
  FC_RECOGNISED,
  FC_REC_RATE,
  FC_TARGET,
  FC_GAP,
  FC_COUNT
};

static const char *const fig_heads[FC_COUNT] = {"Số đối tượng",
                                                "Đăng ký",
                                                "Tỷ lệ đăng ký",
                                                "Đạt tiêu chí",
                                                "Tỷ lệ đạt tiêu chí",
                                                "Được công nhận",
                                                "Tỷ lệ được công nhận",
                                                "Mục tiêu",
                                                "Chênh lệch (mục tiêu − tỷ lệ)"};
static const double fig_widths[FC_COUNT] = {10, 9, 9, 9, 10, 10, 10, 8, 11};

typedef struct ann_unit {
  const hier_unit *u;
  const hier_unit *parent; /* its parent when that is not the report's unit, else NULL */
  int depth;               /* 0 the report's unit, 1 its children, 2 theirs */
  dash_figure *fig;        /* [ntitles], in the order of the report's titles */
  uint8_t *has;            /* [ntitles]: the title applies to the unit */
} ann_unit;

typedef struct ann {
  const report_src *src;
  const report_params *p;
  arena *a;
  rd_doc *doc;
  int32_t day;
  dashboard root;
  int ntitles;
  size_t nunits;
  ann_unit *units; /* units[0] is the report's unit */
  long rows;
  fund_year_totals funds; /* the study-promotion funds within the unit (funds.nfunds 0: none) */
} ann;

static int basis_col(const ann *A) {
  return A->p->basis == DASH_BASIS_DECISION ? FC_REC_RATE : FC_MEETS_RATE;
}

static const char *basis_words(const ann *A) {
  return A->p->basis == DASH_BASIS_DECISION ? "được công nhận" : "đạt tiêu chí";
}

static void fig_cols(rd_table *t, int first) {
  for (int i = 0; i < FC_COUNT; i++) rd_col_set(t, first + i, fig_heads[i], fig_widths[i], 0);
}

static void fig_cells(rd_cell *c, const dash_figure *f) {
  rd_set_int(&c[FC_ELIGIBLE], f->eligible);
  rd_set_int(&c[FC_REGISTERED], f->registered);
  rd_set_rate(&c[FC_REG_RATE], f->registered_rate);
  rd_set_int(&c[FC_MEETS], f->meets);
  rd_set_rate(&c[FC_MEETS_RATE], f->meets_rate);
  rd_set_int(&c[FC_RECOGNISED], f->recognised);
  rd_set_rate(&c[FC_REC_RATE], f->recognised_rate);
  rd_set_rate(&c[FC_TARGET], f->target);
  rd_set_gap(&c[FC_GAP], f->gap);
}

/* What a title evaluates, as the reports name it. */
static const char *entity_vi(crit_entity e) {
  switch (e) {
    case CRIT_PERSON: return "người";
    case CRIT_HOUSEHOLD: return "hộ gia đình";
    case CRIT_CLAN: return "dòng họ";
    case CRIT_VILLAGE: return "thôn, tổ dân phố";
    case CRIT_ORGANISATION: return "cơ quan, đơn vị";
    case CRIT_COMMUNE: return "xã, phường, đặc khu";
    case CRIT_DISTRICT: return "quận, huyện";
    default: return "tỉnh, thành phố";
  }
}

/* A sheet name Excel accepts: at most 31 characters, none of []:*?/\. */
static const char *sheet_name(arena *a, const char *s) {
  char out[128];
  size_t n = 0, chars = 0;
  for (const char *p = s; *p && chars < 31 && n + 4 < sizeof out; chars++) {
    size_t len = 1;
    while (((unsigned char)p[len] & 0xC0) == 0x80) len++;
    if (len == 1 && strchr("[]:*?/\\", *p))
      out[n++] = '-';
    else {
      memcpy(out + n, p, len);
      n += len;
    }
    p += len;
  }
  out[n] = 0;
  return arena_strdup(a, out);
}

static const tgt_programme *programme(const ann *A, const char *key) {
  return key ? tgt_find(A->src->targets, key) : NULL;
}

/* "QĐ 387/QĐ-TTg" for a target set key, else the key. */
static const char *set_decision(const ann *A, const char *key) {
  const tgt_programme *pr = programme(A, key);
  return pr && pr->decision ? pr->decision : key ? key : "";
}

/* ------------------------------------------------------------ gathering */

static int title_index(const ann *A, const char *key) {
  for (int i = 0; i < A->ntitles; i++)
    if (!strcmp(A->root.titles[i].t->key, key)) return i;
  return -1;
}

/* The dashboard of every unit listed, kept as the report's titles' figures. */
static int gather(ann *A, const hier_unit *start, ht_err *err) {
  const report_params *p = A->p;
  dash_params dp = {.year = p->year,
                    .unit = start->code,
                    .targets = p->targets,
                    .basis = p->basis,
                    .province = p->province};
  int rc = dash_build(&A->root, A->src->h, A->src->targets, &dp, A->src->tables, err);
  if (rc != HT_OK) return rc;
  A->ntitles = A->root.ntitles;
  const hier_unit **list;
  size_t n = evaluation_report_units(A->src->h, start, p->year, A->a, &list);
  A->units = arena_calloc(A->a, (n ? n : 1) * sizeof *A->units);
  A->nunits = 0;
  for (size_t i = 0; i < n; i++) {
    ann_unit *au = &A->units[A->nunits];
    au->u = list[i];
    au->fig = arena_calloc(A->a, (size_t)(A->ntitles ? A->ntitles : 1) * sizeof *au->fig);
    au->has = arena_calloc(A->a, (size_t)(A->ntitles ? A->ntitles : 1));
    if (i == 0) {
      for (int t = 0; t < A->ntitles; t++) {
        au->fig[t] = A->root.titles[t].fig;
        au->has[t] = 1;
      }
      A->nunits++;
      continue;
    }
    const hier_unit *parent = hier_parent(A->src->h, list[i], A->day);
    au->depth = parent && !strcmp(parent->code, start->code) ? 1 : 2;
    au->parent = au->depth == 2 ? parent : NULL;
    dashboard d;
    dp.unit = list[i]->code;
    ht_err ignored = {0};
    if (dash_build(&d, A->src->h, A->src->targets, &dp, A->src->tables, &ignored) != HT_OK)
      continue; /* a unit the year's table does not know: left out, as the dashboard does */
    for (int t = 0; t < d.ntitles; t++) {
      int k = title_index(A, d.titles[t].t->key);
      if (k < 0) continue;
      au->fig[k] = d.titles[t].fig;
      const dash_figure *f = &d.titles[t].fig; /* its strings may live in d */
      au->fig[k].target_set = f->target_set ? arena_strdup(A->a, f->target_set) : NULL;
      au->fig[k].target_group = f->target_group ? arena_strdup(A->a, f->target_group) : NULL;
      au->has[k] = 1;
    }
    dash_free(&d);
    A->nunits++;
  }
  return HT_OK;
}

/* ------------------------------------------------------------ the summary */

/* "xã, phường, đặc khu": the kinds of the units at depth 1, most frequent first. */
static const char *children_kinds(ann *A, int title, size_t *count) {
  const hier_kind *kinds[16];
  size_t nk = 0, per[16] = {0};
  *count = 0;
  for (size_t i = 1; i < A->nunits; i++) {
    const ann_unit *au = &A->units[i];
    if (au->depth != 1 || (title >= 0 && !au->has[title])) continue;
    (*count)++;
    size_t k = 0;
    while (k < nk && kinds[k] != au->u->kind) k++;
    if (k == nk && nk < 16) kinds[nk++] = au->u->kind;
    if (k < 16) per[k]++;
  }
  for (size_t i = 1; i < nk; i++) /* by count, most first (insertion sort) */
    for (size_t j = i; j > 0 && per[j] > per[j - 1]; j--) {
      size_t tc = per[j];
      per[j] = per[j - 1];
      per[j - 1] = tc;
      const hier_kind *tk = kinds[j];
      kinds[j] = kinds[j - 1];
      kinds[j - 1] = tk;
    }
  strbuf b = STRBUF_INIT;
  for (size_t k = 0; k < nk; k++) {
    if (k) strbuf_puts(&b, ", ");
    strbuf_puts(&b, rd_lower_first(A->a, kinds[k]->name_vi));
  }
  const char *s = arena_strdup(A->a, strbuf_cstr(&b));
  strbuf_free(&b);
  return *s ? s : "đơn vị";
}

typedef struct behind_ref {
  const ann_unit *au;
  double gap;
} behind_ref;

static int by_gap_desc(const void *a, const void *b) {
  const behind_ref *x = a, *y = b;
  if (x->gap != y->gap) return x->gap < y->gap ? 1 : -1;
  return strcmp(x->au->u->sort_key, y->au->u->sort_key);
}

/* Does another unit of the same depth bear u's name? */
static int name_repeats(const ann *A, const hier_unit *u) {
  for (size_t i = 1; i < A->nunits; i++)
    if (A->units[i].u != u && A->units[i].depth == 1 && !strcmp(A->units[i].u->name, u->name))
      return 1;
  return 0;
}

static void title_summary(ann *A, rd_sheet *s, int t) {
  const dash_title *dt = &A->root.titles[t];
  const dash_figure *f = &dt->fig;
  if (f->eligible <= 0) return;
  arena *a = A->a;
  char r1[32], r2[32], n1[32], n2[32];
  int count = A->p->basis == DASH_BASIS_DECISION ? f->recognised : f->meets;
  strbuf b = STRBUF_INIT;
  strbuf_printf(&b, "Năm %d, tỷ lệ %s của %s (%s) là %s (%s/%s)", A->p->year,
                rd_lower_first(a, dt->t->name ? dt->t->name : dt->t->key), A->root.unit->name,
                basis_words(A), rd_fmt_rate(f->rate, 1, r1, sizeof r1),
                rd_fmt_int(count, n1, sizeof n1), rd_fmt_int(f->eligible, n2, sizeof n2));
  if (!isnan(f->target) && !isnan(f->gap)) {
    const char *dec = set_decision(A, f->target_set);
    double pts = rd_round_tenth_percent(fabs(f->gap));
    rd_fmt_rate(fabs(f->gap), 1, r2, sizeof r2);
    r2[strlen(r2) - 1] = 0; /* points, not a percentage: drop the % */
    char tg[32];
    rd_fmt_rate(f->target, 1, tg, sizeof tg);
    if (pts == 0)
      strbuf_printf(&b, ", đạt mục tiêu %s của %s (mốc %d)", tg, dec, f->target_year);
    else if (f->gap < 0)
      strbuf_printf(&b, ", vượt mục tiêu %s của %s (mốc %d) %s điểm phần trăm", tg, dec,
                    f->target_year, r2);
    else
      strbuf_printf(&b, ", chưa đạt mục tiêu %s của %s (mốc %d), còn thiếu %s điểm phần trăm", tg,
                    dec, f->target_year, r2);
  } else {
    strbuf_puts(&b, "; chưa có mục tiêu áp dụng");
  }
  strbuf_printf(&b, "; %s đăng ký (%s)", rd_fmt_int(f->registered, n1, sizeof n1),
                rd_fmt_rate(f->registered_rate, 1, r1, sizeof r1));
  if (A->p->basis == DASH_BASIS_EVALUATION)
    strbuf_printf(&b, ", %s đã được công nhận theo quyết định (%s).",
                  rd_fmt_int(f->recognised, n1, sizeof n1),
                  rd_fmt_rate(f->recognised_rate, 1, r2, sizeof r2));
  else
    strbuf_printf(&b, ", %s đạt tiêu chí theo kết quả đánh giá (%s).",
                  rd_fmt_int(f->meets, n1, sizeof n1),
                  rd_fmt_rate(f->meets_rate, 1, r2, sizeof r2));
  /* the units of the next level below the target */
  size_t total;
  const char *kinds = children_kinds(A, t, &total);
  behind_ref *below = malloc((A->nunits ? A->nunits : 1) * sizeof *below);
  size_t nb = 0, judged = 0;
  for (size_t i = 1; below && i < A->nunits; i++) {
    const ann_unit *au = &A->units[i];
    if (au->depth != 1 || !au->has[t] || isnan(au->fig[t].gap)) continue;
    judged++;
    if (au->fig[t].gap > 0) below[nb++] = (behind_ref){au, au->fig[t].gap};
  }
  if (judged && nb) {
    qsort(below, nb, sizeof *below, by_gap_desc);
    strbuf_printf(&b, " Có %zu/%zu %s còn dưới mục tiêu, xa mục tiêu nhất là ", nb, judged, kinds);
    size_t named = nb < SUMMARY_NAMED ? nb : SUMMARY_NAMED;
    for (size_t i = 0; i < named; i++) {
      if (i) strbuf_puts(&b, i + 1 == named ? " và " : ", ");
      const hier_unit *u = below[i].au->u;
      rd_fmt_rate(below[i].au->fig[t].rate, 1, r1, sizeof r1);
      if (name_repeats(A, u)) /* "Thôn 1" of two former communes: the code tells them apart */
        strbuf_printf(&b, "%s (mã %s, %s)", u->name, u->code, r1);
      else
        strbuf_printf(&b, "%s (%s)", u->name, r1);
    }
    strbuf_puts(&b, ".");
  } else if (judged) {
    strbuf_printf(&b, " Tất cả %zu %s đều đạt mục tiêu.", judged, kinds);
  }
  free(below);
  rd_para(A->doc, s, strbuf_cstr(&b));
  strbuf_free(&b);
}

/* ------------------------------------------------------------ sheets */

static void summary_sheet(ann *A) {
  rd_doc *d = A->doc;
  arena *a = A->a;
  rd_sheet *s = rd_sheet_add(d, "Tổng hợp", 1);
  rd_title(d, s, arena_sprintf(a, "BÁO CÁO KẾT QUẢ XÂY DỰNG XÃ HỘI HỌC TẬP NĂM %d", A->p->year));
  rd_subtitle(d, s, A->root.unit->name);
  char day[16], today[16];
  rd_fmt_date(A->day, day, sizeof day);
  rd_fmt_date(A->p->today ? A->p->today : date_today(), today, sizeof today);
  size_t nchildren;
  const char *kinds = children_kinds(A, -1, &nchildren);
  rd_note(d, s,
          arena_sprintf(a,
                        "Số liệu năm %d theo địa giới ngày %s (%zu %s trực thuộc); lập ngày %s. "
                        "Tỷ lệ so với mục tiêu: tỷ lệ %s.",
                        A->p->year, day, nchildren, kinds, today, basis_words(A)));
  rd_note(d, s,
          A->p->targets
              ? arena_sprintf(a, "Mục tiêu so sánh: %s (%s).", set_decision(A, A->p->targets),
                              A->p->targets)
              : "Mục tiêu so sánh: bộ mục tiêu áp dụng cho từng danh hiệu (xem trang Mục tiêu).");
  rd_heading(d, s, "1. Tóm tắt");
  for (int t = 0; t < A->ntitles; t++) title_summary(A, s, t);
  if (A->funds.nfunds) {
    const fund_year_row *f = &A->funds.total;
    char n1[40], n2[40], n3[40];
    rd_para(d, s,
            arena_sprintf(a,
                          "Quỹ khuyến học: năm %d, %zu quỹ của %s nhận ủng hộ %s đồng (%ld phiếu "
                          "thu, %ld người và tổ chức ủng hộ), chi %s đồng cho %ld người; tồn quỹ "
                          "ngày %s là %s đồng.",
                          A->p->year, A->funds.nfunds, A->root.unit->name,
                          rd_fmt_int((double)f->received, n1, sizeof n1), f->receipts, f->donors,
                          rd_fmt_int((double)f->paid, n2, sizeof n2), f->beneficiaries, day,
                          rd_fmt_int((double)f->closing, n3, sizeof n3)));
  }
  /* the unit's figure per title */
  rd_heading(d, s, arena_sprintf(a, "2. Kết quả theo danh hiệu của %s", A->root.unit->name));
  rd_table *tb = rd_table_add(d, s, 3 + FC_COUNT);
  rd_col_set(tb, 0, "Danh hiệu", 24, 1);
  fig_cols(tb, 1);
  rd_col_set(tb, 1 + FC_COUNT, "Mốc mục tiêu", 7, 0);
  rd_col_set(tb, 2 + FC_COUNT, "Đơn vị trực thuộc dưới mục tiêu", 11, 0);
  for (int t = 0; t < A->ntitles; t++) {
    const dash_title *dt = &A->root.titles[t];
    rd_cell *c = rd_row(tb, 0);
    rd_set_text(&c[0], dt->t->name);
    fig_cells(c + 1, &dt->fig);
    rd_set_year(&c[1 + FC_COUNT], dt->fig.target_year);
    size_t below = 0, judged = 0;
    for (size_t i = 1; i < A->nunits; i++) {
      const ann_unit *au = &A->units[i];
      if (au->depth != 1 || !au->has[t] || isnan(au->fig[t].gap)) continue;
      judged++;
      below += au->fig[t].gap > 0;
    }
    if (judged) rd_set_text(&c[2 + FC_COUNT], arena_sprintf(a, "%zu/%zu", below, judged));
    A->rows++;
  }
  if (A->ntitles)
    rd_chart_add(
        d, s, arena_sprintf(a, "Tỷ lệ %s so với mục tiêu — %s", basis_words(A), A->root.unit->name),
        tb, 0, tb->nrows, 0, 1 + basis_col(A), 1 + FC_TARGET)
        ->markers = 1; /* each title has its own target */
  /* the learning-citizen measures of QĐ 677 */
  if (A->root.nmeasures) {
    rd_heading(d, s, "3. Các chỉ tiêu công dân học tập (QĐ 677/QĐ-TTg)");
    rd_table *m = rd_table_add(d, s, 7);
    rd_col_set(m, 0, "Chỉ tiêu", 46, 1);
    rd_col_set(m, 1, "Số đạt", 10, 0);
    rd_col_set(m, 2, "Trên tổng số", 10, 0);
    rd_col_set(m, 3, "Tỷ lệ", 9, 0);
    rd_col_set(m, 4, "Mục tiêu", 9, 0);
    rd_col_set(m, 5, "Mốc mục tiêu", 8, 0);
    rd_col_set(m, 6, "Chênh lệch (mục tiêu − tỷ lệ)", 11, 0);
    for (int i = 0; i < A->root.nmeasures; i++) {
      const dash_measure *dm = &A->root.measures[i];
      rd_cell *c = rd_row(m, 0);
      rd_set_text(&c[0], dm->name ? dm->name : dm->key);
      rd_set_int(&c[1], dm->numerator);
      rd_set_int(&c[2], dm->denominator);
      rd_set_rate(&c[3], dm->rate);
      rd_set_rate(&c[4], dm->target);
      rd_set_year(&c[5], dm->target_year);
      rd_set_gap(&c[6], isnan(dm->rate) || isnan(dm->target) ? NAN : dm->target - dm->rate);
      A->rows++;
    }
  }
  /* the dashboard's units furthest behind, per title */
  int any = 0;
  for (int t = 0; t < A->ntitles; t++) any |= A->root.titles[t].behind.n > 0;
  if (any) {
    rd_heading(d, s,
               arena_sprintf(a, "%d. Các đơn vị xa mục tiêu nhất", A->root.nmeasures ? 4 : 3));
    rd_table *bt = rd_table_add(d, s, 7);
    rd_col_set(bt, 0, "Danh hiệu", 22, 1);
    rd_col_set(bt, 1, "Mã", 8, 0);
    rd_col_set(bt, 2, "Đơn vị", 24, 1);
    rd_col_set(bt, 3, "Thuộc", 20, 1);
    rd_col_set(bt, 4, arena_sprintf(a, "Tỷ lệ %s", basis_words(A)), 10, 0);
    rd_col_set(bt, 5, "Mục tiêu", 9, 0);
    rd_col_set(bt, 6, "Chênh lệch (mục tiêu − tỷ lệ)", 11, 0);
    for (int t = 0; t < A->ntitles; t++) {
      const dash_ranked *r = &A->root.titles[t].behind;
      for (size_t i = 0; i < r->n && i < BEHIND_LISTED; i++) {
        rd_cell *c = rd_row(bt, 0);
        rd_set_text(&c[0], A->root.titles[t].t->name);
        rd_set_text(&c[1], r->units[i].unit->code);
        rd_set_text(&c[2], r->units[i].unit->name);
        rd_set_text(&c[3], r->units[i].parent_name);
        rd_set_rate(&c[4], r->fig[i].rate);
        rd_set_rate(&c[5], r->fig[i].target);
        rd_set_gap(&c[6], r->fig[i].gap);
        A->rows++;
      }
    }
  }
}

static void title_sheet(ann *A, int t) {
  rd_doc *d = A->doc;
  arena *a = A->a;
  const dash_title *dt = &A->root.titles[t];
  const char *name = dt->t->name ? dt->t->name : dt->t->key;
  rd_sheet *s = rd_sheet_add(d, sheet_name(a, name), 1);
  rd_title(d, s, arena_sprintf(a, "%s — năm %d", name, A->p->year));
  const dash_figure *f = &dt->fig;
  char tg[32];
  if (!isnan(f->target))
    rd_note(d, s,
            arena_sprintf(a, "Mục tiêu của %s: %s đến năm %d (%s)%s.", A->root.unit->name,
                          rd_fmt_rate(f->target, 1, tg, sizeof tg), f->target_year,
                          set_decision(A, f->target_set),
                          f->target_group ? arena_sprintf(a, ", nhóm %s", f->target_group) : ""));
  else
    rd_note(d, s, "Chưa có mục tiêu áp dụng cho danh hiệu này.");
  rd_note(d, s,
          arena_sprintf(a,
                        "Số đối tượng: mọi %s thuộc diện đánh giá trong đơn vị (mẫu số của các tỷ "
                        "lệ). Đạt tiêu chí: theo kết quả đánh giá trên số liệu đã nhập; được công "
                        "nhận: có quyết định và giấy công nhận còn hiệu lực ngày 31/12/%d.",
                        entity_vi(dt->t->entity), A->p->year));
  int has_children = 0, has_grand = 0;
  for (size_t i = 1; i < A->nunits; i++) {
    if (!A->units[i].has[t]) continue;
    has_children |= A->units[i].depth == 1;
    has_grand |= A->units[i].depth == 2;
  }
  /* the unit and its children */
  rd_table *ta = rd_table_add(d, s, 2 + FC_COUNT);
  ta->freeze = 1;
  ta->freeze_cols = 2;
  rd_col_set(ta, 0, "Mã", 8, 0);
  rd_col_set(ta, 1, "Đơn vị", 24, 1);
  fig_cols(ta, 2);
  rd_cell *c = rd_row(ta, RD_ROW_BOLD);
  rd_set_text(&c[0], A->root.unit->code);
  rd_set_text(&c[1], A->root.unit->name);
  fig_cells(c + 2, f);
  A->rows++;
  size_t first_child = ta->nrows;
  for (size_t i = 1; i < A->nunits; i++) {
    const ann_unit *au = &A->units[i];
    if (au->depth != 1 || !au->has[t]) continue;
    c = rd_row(ta, 0);
    rd_set_text(&c[0], au->u->code);
    rd_set_text(&c[1], au->u->name);
    fig_cells(c + 2, &au->fig[t]);
    A->rows++;
  }
  if (has_children) {
    rd_chart *ch =
        rd_chart_add(d, s, arena_sprintf(a, "%s: tỷ lệ %s theo đơn vị", name, basis_words(A)), ta,
                     first_child, ta->nrows - first_child, 1, 2 + basis_col(A), 2 + FC_TARGET);
    ch->beside = 1;
  }
  /* the units below the children (before the 2025 reform: communes by district) */
  if (has_grand) {
    rd_heading(d, s, "Chi tiết theo đơn vị cấp dưới");
    rd_table *tb = rd_table_add(d, s, 3 + FC_COUNT);
    rd_col_set(tb, 0, "Mã", 8, 0);
    rd_col_set(tb, 1, "Đơn vị", 22, 1);
    rd_col_set(tb, 2, "Thuộc", 16, 1);
    fig_cols(tb, 3);
    const hier_unit *group = NULL;
    for (size_t i = 1; i < A->nunits; i++) {
      const ann_unit *au = &A->units[i];
      if (au->depth != 2 || !au->has[t]) continue;
      if (au->parent != group) {
        group = au->parent;
        rd_set_text(&rd_row(tb, RD_ROW_GROUP)[0], group ? group->name : "");
      }
      c = rd_row(tb, 0);
      rd_set_text(&c[0], au->u->code);
      rd_set_text(&c[1], au->u->name);
      rd_set_text(&c[2], au->parent ? au->parent->name : "");
      fig_cells(c + 3, &au->fig[t]);
      A->rows++;
    }
  }
}

/* The registry sizes: the denominators of the rates, per unit. */
static void sizes_sheet(ann *A) {
  static const crit_entity kinds[] = {CRIT_HOUSEHOLD, CRIT_PERSON, CRIT_CLAN, CRIT_VILLAGE,
                                      CRIT_ORGANISATION};
  static const char *const heads[] = {"Hộ gia đình", "Người thuộc diện công dân học tập", "Dòng họ",
                                      "Thôn, tổ dân phố", "Cơ quan, đơn vị"};
  int col_title[5], ncols = 0;
  for (int k = 0; k < 5; k++) {
    col_title[k] = -1;
    for (int t = 0; t < A->ntitles && col_title[k] < 0; t++)
      if (A->root.titles[t].t->entity == kinds[k]) col_title[k] = t;
    ncols += col_title[k] >= 0;
  }
  if (!ncols) return;
  rd_doc *d = A->doc;
  rd_sheet *s = rd_sheet_add(d, "Quy mô", 0);
  rd_title(d, s, arena_sprintf(A->a, "Quy mô theo đơn vị — năm %d", A->p->year));
  rd_note(d, s,
          "Số đối tượng của mỗi danh hiệu (mẫu số của tỷ lệ): mọi hộ, dòng họ, thôn, cơ quan, "
          "đơn vị trong đơn vị hành chính, không chỉ những đối tượng đã đăng ký; người thuộc "
          "diện công dân học tập theo điều kiện của tiêu chí (mặc định: từ 15 tuổi trở lên).");
  rd_table *tb = rd_table_add(d, s, 3 + ncols);
  tb->freeze = 1;
  tb->freeze_cols = 2;
  rd_col_set(tb, 0, "Mã", 8, 0);
  rd_col_set(tb, 1, "Đơn vị", 22, 1);
  rd_col_set(tb, 2, "Thuộc", 16, 1);
  int col = 3;
  for (int k = 0; k < 5; k++)
    if (col_title[k] >= 0) rd_col_set(tb, col++, heads[k], 11, 0);
  for (size_t i = 0; i < A->nunits; i++) {
    const ann_unit *au = &A->units[i];
    rd_cell *c = rd_row(tb, i == 0 ? RD_ROW_BOLD : 0);
    rd_set_text(&c[0], au->u->code);
    rd_set_text(&c[1], au->u->name);
    rd_set_text(&c[2], au->parent ? au->parent->name : "");
    col = 3;
    for (int k = 0; k < 5; k++) {
      if (col_title[k] < 0) continue;
      if (au->has[col_title[k]]) rd_set_int(&c[col], au->fig[col_title[k]].eligible);
      col++;
    }
    A->rows++;
  }
}

/* The money columns of a fund's year, in this order. */
static const char *const money_heads[] = {
    "Tồn đầu năm", "Số dư khi lập quỹ", "Nhận ủng hộ", "Chuyển đến",
    "Chi",         "Chuyển đi",         "Tồn cuối năm"};
#define MONEY_COLS 7

static void money_cells(rd_cell *c, const fund_year_row *f) {
  const int64_t v[MONEY_COLS] = {f->opening, f->opened,       f->received, f->transfer_in,
                                 f->paid,    f->transfer_out, f->closing};
  for (int i = 0; i < MONEY_COLS; i++) rd_set_int(&c[i], (double)v[i]);
}

static void money_cols(rd_table *t, int first) {
  for (int i = 0; i < MONEY_COLS; i++) rd_col_set(t, first + i, money_heads[i], 12, 0);
}

/* The study-promotion funds within the unit in the year (fund_unit_year_totals, one
 * call): per unit listed the sums of the funds lying in it, then every fund. Money in
 * whole đồng. No sheet when there is no fund. */
static void funds_sheet(ann *A) {
  const fund_year_totals *ft = &A->funds;
  if (!ft->nfunds) return;
  rd_doc *d = A->doc;
  arena *a = A->a;
  rd_sheet *s = rd_sheet_add(d, "Quỹ khuyến học", 1);
  rd_title(d, s, arena_sprintf(a, "Quỹ khuyến học — năm %d", A->p->year));
  rd_note(d, s,
          "Sổ quỹ của các quỹ khuyến học thuộc đơn vị (quỹ của đơn vị hành chính, dòng họ, cơ "
          "quan, đơn vị nằm trong đơn vị ngày 31/12), bằng đồng. Tồn cuối năm = tồn đầu năm + số "
          "dư khi lập quỹ + nhận ủng hộ + chuyển đến − chi − chuyển đi; các bút toán đảo đã trừ. "
          "Chuyển giữa hai quỹ của cùng đơn vị có ở cả hai cột chuyển đến và chuyển đi.");
  /* each fund's unit placed at the unit listed that holds it: the hierarchy, no query */
  strmap listed;
  strmap_init(&listed);
  for (size_t i = 0; i < A->nunits; i++) strmap_put(&listed, A->units[i].u->code, (int64_t)i);
  fund_year_row *sum = arena_calloc(a, A->nunits * sizeof *sum);
  long *count = arena_calloc(a, A->nunits * sizeof *count);
  size_t *where = arena_calloc(a, ft->nfunds * sizeof *where);
  for (size_t k = 0; k < ft->nfunds; k++) {
    const fund_year_row *f = &ft->funds[k];
    int64_t ix = 0;
    const hier_unit *u = f->unit_code ? hier_find(A->src->h, f->unit_code, A->day) : NULL;
    while (u && !strmap_get(&listed, u->code, &ix)) u = hier_parent(A->src->h, u, A->day);
    if (!u) ix = 0;
    where[k] = (size_t)ix;
    fund_year_row *t = &sum[ix];
    t->opening += f->opening;
    t->opened += f->opened;
    t->received += f->received;
    t->transfer_in += f->transfer_in;
    t->paid += f->paid;
    t->transfer_out += f->transfer_out;
    t->closing += f->closing;
    count[ix]++;
  }
  strmap_free(&listed);
  rd_heading(d, s, "Theo đơn vị");
  rd_table *tu = rd_table_add(d, s, 3 + MONEY_COLS);
  tu->freeze = 1;
  tu->freeze_cols = 2;
  rd_col_set(tu, 0, "Mã", 8, 0);
  rd_col_set(tu, 1, "Đơn vị", 24, 1);
  rd_col_set(tu, 2, "Số quỹ", 7, 0);
  money_cols(tu, 3);
  rd_cell *c = rd_row(tu, RD_ROW_BOLD); /* the unit: the function's own sums */
  rd_set_text(&c[0], A->root.unit->code);
  rd_set_text(&c[1], A->root.unit->name);
  rd_set_int(&c[2], (double)ft->nfunds);
  money_cells(c + 3, &ft->total);
  A->rows++;
  for (size_t i = 1; i < A->nunits; i++) {
    /* a unit's own funds and, for a district, those of its communes */
    fund_year_row all = sum[i];
    long n = count[i];
    for (size_t j = i + 1; j < A->nunits; j++) {
      if (A->units[j].parent != A->units[i].u) continue;
      all.opening += sum[j].opening;
      all.opened += sum[j].opened;
      all.received += sum[j].received;
      all.transfer_in += sum[j].transfer_in;
      all.paid += sum[j].paid;
      all.transfer_out += sum[j].transfer_out;
      all.closing += sum[j].closing;
      n += count[j];
    }
    if (!n) continue;
    c = rd_row(tu, 0);
    rd_set_text(&c[0], A->units[i].u->code);
    rd_set_text(&c[1], A->units[i].u->name);
    rd_set_int(&c[2], (double)n);
    money_cells(c + 3, &all);
    A->rows++;
  }
  rd_heading(d, s, "Từng quỹ");
  rd_table *tf = rd_table_add(d, s, 4 + MONEY_COLS + 3);
  rd_col_set(tf, 0, "Mã quỹ", 10, 0);
  rd_col_set(tf, 1, "Tên quỹ", 22, 1);
  rd_col_set(tf, 2, "Chủ quỹ", 16, 1);
  rd_col_set(tf, 3, "Thuộc", 14, 1);
  money_cols(tf, 4);
  rd_col_set(tf, 4 + MONEY_COLS, "Phiếu thu", 7, 0);
  rd_col_set(tf, 5 + MONEY_COLS, "Người ủng hộ", 8, 0);
  rd_col_set(tf, 6 + MONEY_COLS, "Người được hỗ trợ", 9, 0);
  for (size_t k = 0; k < ft->nfunds; k++) {
    const fund_year_row *f = &ft->funds[k];
    c = rd_row(tf, 0);
    rd_set_text(&c[0], f->code);
    rd_set_text(&c[1], f->name);
    rd_set_text(&c[2], f->owner_name);
    rd_set_text(&c[3], A->units[where[k]].u->name);
    money_cells(c + 4, f);
    rd_set_int(&c[4 + MONEY_COLS], (double)f->receipts);
    rd_set_int(&c[5 + MONEY_COLS], (double)f->donors);
    rd_set_int(&c[6 + MONEY_COLS], (double)f->beneficiaries);
    A->rows++;
  }
  rd_heading(d, s, "Chi theo loại");
  rd_table *tc = rd_table_add(d, s, 2);
  rd_col_set(tc, 0, "Loại chi", 24, 0);
  rd_col_set(tc, 1, "Số tiền (đồng)", 14, 0);
  for (int k = 0; k < FUND_CATS; k++) {
    c = rd_row(tc, 0);
    rd_set_text(&c[0], fund_category_names[k]);
    rd_set_int(&c[1], (double)ft->total.paid_by[k]);
    A->rows++;
  }
}

/* The targets the report compares with, as their files state them. */
static void targets_sheet(ann *A) {
  rd_doc *d = A->doc;
  arena *a = A->a;
  rd_sheet *s = rd_sheet_add(d, "Mục tiêu", 0);
  rd_title(d, s, "Mục tiêu và cách tính");
  rd_table *tb = rd_table_add(d, s, 7);
  rd_col_set(tb, 0, "Danh hiệu, chỉ tiêu", 28, 1);
  rd_col_set(tb, 1, "Bộ mục tiêu", 9, 0);
  rd_col_set(tb, 2, "Văn bản", 14, 1);
  rd_col_set(tb, 3, "Mốc", 6, 0);
  rd_col_set(tb, 4, "Mục tiêu", 8, 0);
  rd_col_set(tb, 5, "Nhóm đơn vị", 10, 1);
  rd_col_set(tb, 6, "Căn cứ", 36, 1);
  for (int i = 0; i < A->ntitles + A->root.nmeasures; i++) {
    const char *measure, *label, *set;
    if (i < A->ntitles) {
      measure = A->root.titles[i].t->key;
      label = A->root.titles[i].t->name;
      set = A->p->targets ? A->p->targets : A->root.titles[i].fig.target_set;
    } else {
      const dash_measure *m = &A->root.measures[i - A->ntitles];
      measure = m->key;
      label = m->name ? m->name : m->key;
      set = A->p->targets ? A->p->targets : m->target_set;
    }
    const tgt_programme *pr = programme(A, set);
    int listed = 0;
    for (const tgt_target *tt = pr ? pr->targets : NULL; tt; tt = tt->next) {
      if (strcmp(tt->measure, measure)) continue;
      rd_cell *c = rd_row(tb, 0);
      rd_set_text(&c[0], label);
      rd_set_text(&c[1], pr->key);
      rd_set_text(&c[2], pr->decision);
      rd_set_year(&c[3], tt->year);
      rd_set_rate(&c[4], tt->value);
      rd_set_text(&c[5], tt->group ? tt->group : "mọi đơn vị");
      rd_set_text(&c[6], tt->source.assumed ? arena_sprintf(a, "Giả định: %s", tt->source.reference)
                                            : tt->source.reference);
      listed++;
      A->rows++;
    }
    if (!listed) {
      rd_cell *c = rd_row(tb, 0);
      rd_set_text(&c[0], label);
      rd_set_text(&c[6], "Không có mục tiêu áp dụng.");
      A->rows++;
    }
  }
  rd_heading(d, s, "Cách tính");
  rd_para(d, s,
          "Tỷ lệ đăng ký, đạt tiêu chí và được công nhận đều chia cho số đối tượng: mọi đối tượng "
          "của danh hiệu trong đơn vị hành chính vào ngày 31/12, không chỉ những đối tượng đã "
          "đăng ký. Đạt tiêu chí là kết quả đánh giá của hệ thống trên số liệu đã nhập; được công "
          "nhận là có quyết định công nhận và giấy công nhận chưa bị thu hồi, còn hiệu lực ngày "
          "31/12 của năm.");
  rd_para(d, s,
          "Chênh lệch = mục tiêu − tỷ lệ so sánh: số dương là còn thiếu, số âm là đã vượt mục "
          "tiêu. Một năm nằm giữa hai mốc được so với mốc kế tiếp. Mọi tỷ lệ được làm tròn đến "
          "một chữ số thập phân của phần trăm khi hiển thị; các ô của bảng tính giữ sáu chữ số "
          "thập phân của tỷ lệ. Các số liệu giống hệt trang tổng quan (dashboard) của hệ thống.");
}

/* ------------------------------------------------------------ the report */

int report_annual(const report_src *src, const report_params *p, const char *path,
                  report_info *info, ht_err *err) {
  report_info dummy;
  if (!info) info = &dummy;
  memset(info, 0, sizeof *info);
  if (p->year < DASH_FIRST_YEAR || p->year >= DASH_FIRST_YEAR + DASH_MAX_YEARS || !src->tables ||
      !src->tables[p->year - DASH_FIRST_YEAR]) {
    info->param = "year";
    ht_err_set(err, HT_EINVAL, "no evaluated data for %d: the reports cover %d to %d", p->year,
               DASH_FIRST_YEAR, DASH_FIRST_YEAR + DASH_MAX_YEARS - 1);
    return ht_err_vi(err, "Không có số liệu đánh giá của năm %d (báo cáo có từ năm %d).", p->year,
                     DASH_FIRST_YEAR);
  }
  if (p->targets && !tgt_find(src->targets, p->targets)) {
    info->param = "targets";
    ht_err_set(err, HT_ENOTFOUND, "unknown target set '%s'; see 'hoctap targets list'", p->targets);
    return ht_err_vi(err, "Không có bộ mục tiêu '%s'.", p->targets);
  }
  int32_t day = date_from_ymd(p->year, 12, 31);
  const hier_unit *start = NULL;
  arena a;
  arena_init(&a, 0);
  if (p->unit && *p->unit) {
    start = hier_find(src->h, p->unit, day);
  } else {
    const hier_unit **roots;
    if (hier_children(src->h, NULL, day, &a, &roots)) start = roots[0];
  }
  if (!start) {
    arena_free(&a);
    info->param = "unit";
    ht_err_set(err, HT_ENOTFOUND, "no administrative unit '%s' on 31/12/%d", p->unit ? p->unit : "",
               p->year);
    return ht_err_vi(err, "Không có đơn vị hành chính '%s' vào ngày 31/12/%d.",
                     p->unit ? p->unit : "", p->year);
  }
  rd_doc doc;
  rd_doc_init(&doc);
  ann A = {.src = src, .p = p, .a = &doc.mem, .doc = &doc, .day = day};
  int rc = gather(&A, start, err);
  if (rc != HT_OK) {
    if (rc == HT_ENOTFOUND) info->param = "unit";
    dash_free(&A.root);
    rd_doc_free(&doc);
    arena_free(&a);
    return rc;
  }
  char today[16];
  rd_fmt_date(p->today ? p->today : date_today(), today, sizeof today);
  doc.title =
      arena_sprintf(&doc.mem, "Báo cáo xây dựng xã hội học tập năm %d - %s", p->year, start->name);
  doc.header = arena_sprintf(
      &doc.mem, "%s · năm %d · mục tiêu: %s · tỷ lệ %s · lập ngày %s", start->name, p->year,
      p->targets ? set_decision(&A, p->targets) : "theo từng danh hiệu", basis_words(&A), today);
  /* the funds within the unit: one call (its entries of the year), no query per unit */
  rc = fund_unit_year_totals(src->d, src->h, start->code, p->year, &doc.mem, &A.funds, err);
  if (rc != HT_OK) {
    dash_free(&A.root);
    rd_doc_free(&doc);
    arena_free(&a);
    return rc;
  }
  summary_sheet(&A);
  for (int t = 0; t < A.ntitles; t++) title_sheet(&A, t);
  sizes_sheet(&A);
  funds_sheet(&A);
  targets_sheet(&A);
  rc = rd_write(&doc, p->format, path, &info->pages, err);
  info->sheets = doc.nsheets;
  info->rows = A.rows;
  info->units = (int)A.nunits;
  snprintf(info->name, sizeof info->name, "bao-cao-nam-%d-%s", p->year, start->code);
  dash_free(&A.root);
  rd_doc_free(&doc);
  arena_free(&a);
  return rc;
}
