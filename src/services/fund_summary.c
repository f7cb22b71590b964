/* fund_summary.c - a fund's figures for a period (see fund_summary.h). */
#include "services/fund_summary.h"

#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/vtext.h"
#include "model/registry.h"

const char *const fund_category_keys[FUND_CATS] = {"scholarship", "award", "support", "gift"};
const char *const fund_category_names[FUND_CATS] = {"Học bổng", "Khen thưởng", "Hỗ trợ học tập",
                                                    "Quà tặng"};

static int category_of(const char *key) {
  for (int i = 0; i < FUND_CATS; i++)
    if (key && !strcmp(key, fund_category_keys[i])) return i;
  return -1;
}

const char *fund_category_vi(const char *key) {
  int c = category_of(key);
  return c < 0 ? (key ? key : "") : fund_category_names[c];
}

static const char *const donor_kinds[] = {"person",       "family",    "clan", "enterprise",
                                          "organisation", "anonymous", NULL};
static const char *const donor_kind_names[] = {
    "Cá nhân", "Gia đình", "Dòng họ", "Doanh nghiệp", "Cơ quan, tổ chức", "Nhà hảo tâm ẩn danh"};

const char *fund_donor_kind_vi(const char *kind) {
  if (!kind || !*kind) return "Nhà hảo tâm ẩn danh";
  for (int i = 0; donor_kinds[i]; i++)
    if (!strcmp(kind, donor_kinds[i])) return donor_kind_names[i];
  return kind;
}

const char *fund_method_vi(const char *method) {
  return method && !strcmp(method, "bank") ? "Chuyển khoản" : "Tiền mặt";
}

const char *fund_initials(arena *a, const char *name) {
  strbuf b = STRBUF_INIT;
  for (const char *p = name ? name : ""; *p;) {
    while (*p == ' ' || *p == '-' || *p == '.') p++;
    if (!*p) break;
    size_t n = vt_utf8_seq_len(p, strlen(p));
    if (!n) n = 1;
    char first[8] = {0};
    memcpy(first, p, n < sizeof first ? n : sizeof first - 1);
    char *up = NULL;
    strbuf_puts(&b, vt_upper(first, &up) == HT_OK ? up : first);
    free(up);
    strbuf_putc(&b, '.');
    p += n;
    while (*p && *p != ' ' && *p != '-') p++;
  }
  const char *out = arena_strdup(a, strbuf_cstr(&b));
  strbuf_free(&b);
  return out;
}

/* ------------------------------------------------------------ small tables */

/* A growing array of groups found by key and label (a transfer's other fund
 * may be in both directions). */
typedef struct groups {
  fund_group *items;
  size_t n, cap;
} groups;

static fund_group *group_at(groups *g, arena *a, const char *key, const char *label) {
  for (size_t i = 0; i < g->n; i++)
    if (!strcmp(g->items[i].key, key) && !strcmp(g->items[i].label, label)) return &g->items[i];
  g->items = arena_grow(a, g->items, g->n, &g->cap, sizeof *g->items);
  fund_group *x = &g->items[g->n++];
  memset(x, 0, sizeof *x);
  x->key = arena_strdup(a, key);
  x->label = arena_strdup(a, label);
  return x;
}

/* Ids (> 0) to positions, in the arena: open addressing, O(1) expected, so
 * a fund with thousands of donors in a month stays linear. */
typedef struct idmap {
  int64_t *keys; /* 0: an empty slot */
  size_t *values;
  size_t cap, n;
} idmap;

static size_t id_slot(const idmap *m, int64_t id) {
  uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ull;
  size_t i = (size_t)(h >> 17) & (m->cap - 1);
  while (m->keys[i] && m->keys[i] != id) i = (i + 1) & (m->cap - 1);
  return i;
}

/* The value of id, or 0 when absent (values stored are positions + 1). */
static size_t idmap_get(const idmap *m, int64_t id) {
  if (!m->cap) return 0;
  size_t i = id_slot(m, id);
  return m->keys[i] ? m->values[i] : 0;
}

/* Sets id to value (> 0); 1 when id was new. */
static int idmap_put(idmap *m, arena *a, int64_t id, size_t value) {
  if ((m->n + 1) * 2 > m->cap) {
    idmap bigger = {arena_calloc(a, (m->cap ? m->cap * 2 : 64) * sizeof(int64_t)),
                    arena_calloc(a, (m->cap ? m->cap * 2 : 64) * sizeof(size_t)),
                    m->cap ? m->cap * 2 : 64, m->n};
    for (size_t i = 0; i < m->cap; i++)
      if (m->keys[i]) {
        size_t j = id_slot(&bigger, m->keys[i]);
        bigger.keys[j] = m->keys[i];
        bigger.values[j] = m->values[i];
      }
    *m = bigger;
  }
  size_t i = id_slot(m, id);
  int fresh = !m->keys[i];
  m->keys[i] = id;
  m->values[i] = value;
  m->n += fresh;
  return fresh;
}

/* Ids seen, to count distinct donors and beneficiaries. */
typedef idmap idset;

static int idset_add(idset *s, arena *a, int64_t id) {
  return idmap_get(s, id) ? 0 : idmap_put(s, a, id, 1);
}

/* Donors of a campaign: distinct donor ids, plus one for every receipt
 * without a donor record. */
typedef struct campaign_donors {
  idset ids;
  long unnamed;
} campaign_donors;

/* ------------------------------------------------------------ lookups */

const char *fund_owner_name(db *d, const fund *f, const char *on, arena *a) {
  if (!strcmp(f->owner_kind, "clan")) {
    reg_clan c;
    if (reg_clan_get(d, f->owner_code, a, &c) == HT_OK) return c.name;
  } else if (!strcmp(f->owner_kind, "organisation")) {
    reg_org g;
    int32_t day;
    int year = date_parse(on, &day) == HT_OK ? date_year(day) : date_year(date_today());
    if (reg_org_get(d, f->owner_code, year, a, &g) == HT_OK) return g.name;
  } else {
    db_stmt *s;
    if (db_prepare(d,
                   "SELECT name FROM units WHERE prov = $1 AND code = $2 ORDER BY (valid_from <= "
                   "$3) DESC, valid_from DESC LIMIT 1",
                   &s) == HT_OK) {
      db_bind_int64(s, 1, db_prov(d));
      db_bind_text(s, 2, f->owner_code);
      db_bind_text(s, 3, on);
      const char *name = db_step(s) == DB_ROW ? arena_strdup(a, db_col_text(s, 0)) : NULL;
      db_finalize(s);
      if (name) return name;
    }
  }
  return f->owner_code;
}

/* Donor kinds by id, read once each. */
typedef struct donor_kind_seen {
  int64_t id;
  const char *kind;
} donor_kind_seen;

typedef struct donor_cache {
  donor_kind_seen *items;
  size_t n, cap;
} donor_cache;

static const char *donor_kind(db *d, donor_cache *c, arena *a, int64_t id) {
  if (!id) return "";
  for (size_t i = 0; i < c->n; i++)
    if (c->items[i].id == id) return c->items[i].kind;
  fund_donor dn;
  const char *kind = fund_donor_get(d, id, a, &dn) == HT_OK ? dn.kind : "";
  c->items = arena_grow(a, c->items, c->n, &c->cap, sizeof *c->items);
  c->items[c->n++] = (donor_kind_seen){id, kind};
  return kind;
}

/* ------------------------------------------------------------ the summary */

/* What entry e (not a reversal) does to the money of the fund with code. */
static int64_t movement(const fund_entry *e, const char *code) {
  switch (e->kind) {
    case FUND_OPENING:
    case FUND_RECEIPT: return e->amount;
    case FUND_DISBURSEMENT: return -e->amount;
    case FUND_TRANSFER: return strcmp(e->fund_code, code) ? e->amount : -e->amount;
    default: return 0;
  }
}

static const char *describe(arena *a, const fund_entry *e, const char *code) {
  const char *memo = *e->memo ? arena_sprintf(a, " – %s", e->memo) : "";
  switch (e->kind) {
    case FUND_OPENING: return arena_sprintf(a, "Số dư chuyển sang sổ quỹ%s", memo);
    case FUND_RECEIPT:
      return arena_sprintf(a, "Nhận ủng hộ của %s%s%s",
                           *e->donor_name ? e->donor_name : "nhà hảo tâm ẩn danh",
                           *e->campaign ? " – " : "", e->campaign);
    case FUND_DISBURSEMENT:
      return arena_sprintf(a, "%s: %s%s", fund_category_vi(e->category), e->beneficiary_name, memo);
    case FUND_TRANSFER:
      return strcmp(e->fund_code, code)
                 ? arena_sprintf(a, "Nhận chuyển từ quỹ %s%s", e->fund_code, memo)
                 : arena_sprintf(a, "Chuyển sang quỹ %s%s", e->to_fund, memo);
    default: return "";
  }
}

/* Is e (dated in the period) still standing at its end: not reversed by an
 * entry dated on or before to? */
static int standing(db *d, const fund_entry *e, const char *to, arena *a) {
  if (!e->reversed_by) return 1;
  fund_entry r;
  if (fund_entry_get(d, e->reversed_by, a, &r) != HT_OK) return 1;
  return strcmp(r.date, to) > 0;
}

typedef struct ben_row {
  fund_sum_beneficiary b;
  const char *sort_key;
} ben_row;

typedef struct donor_row {
  fund_sum_donor dn;
  const char *sort_key;
} donor_row;

static int cmp_ben(const void *x, const void *y) {
  const ben_row *p = x, *q = y;
  if (p->b.category != q->b.category) return (int)p->b.category - (int)q->b.category;
  int c = strcmp(p->sort_key, q->sort_key);
  return c ? c : (p->b.id > q->b.id) - (p->b.id < q->b.id);
}

static int cmp_donor(const void *x, const void *y) {
  const donor_row *p = x, *q = y;
  if (p->dn.amount != q->dn.amount) return p->dn.amount > q->dn.amount ? -1 : 1;
  int c = strcmp(p->sort_key, q->sort_key);
  return c ? c : (p->dn.id > q->dn.id) - (p->dn.id < q->dn.id);
}

static int cmp_group_amount(const void *x, const void *y) {
  const fund_group *p = x, *q = y;
  if (p->amount != q->amount) return p->amount > q->amount ? -1 : 1;
  return strcmp(p->key, q->key);
}

static const char *day_before(const char *iso, char buf[11]) {
  int32_t day;
  if (date_parse(iso, &day) != HT_OK) return NULL;
  return date_format(day - 1, buf);
}

int fund_summary_load(db *d, const char *code, const char *from, const char *to, int flags,
                      arena *a, fund_summary *out, ht_err *err) {
  memset(out, 0, sizeof *out);
  int32_t from_day, to_day;
  if (!from || date_parse(from, &from_day) != HT_OK)
    return ht_err_set(err, HT_EINVAL, "the start of the period '%s' is not a date YYYY-MM-DD",
                      from ? from : "");
  if (!to || date_parse(to, &to_day) != HT_OK)
    return ht_err_set(err, HT_EINVAL, "the end of the period '%s' is not a date YYYY-MM-DD",
                      to ? to : "");
  if (from_day > to_day)
    return ht_err_set(err, HT_EINVAL, "the period starts (%s) after it ends (%s)", from, to);
  int rc = fund_get(d, code, a, &out->fund);
  if (rc == HT_ENOTFOUND) return ht_err_set(err, rc, "no fund with the code '%s'", code);
  if (rc) return ht_err_set(err, rc, "cannot read the fund %s: %s", code, db_errmsg(d));
  const fund *f = &out->fund;
  out->from = arena_strdup(a, from);
  out->to = arena_strdup(a, to);
  out->public_form = (flags & FUND_SUMMARY_PUBLIC) != 0;
  out->owner_name = fund_owner_name(d, f, to, a);
  char before[11];
  if ((rc = fund_balance(d, f->id, NULL, day_before(from, before), &out->opening)) ||
      (rc = fund_balance(d, f->id, NULL, to, &out->closing)))
    return ht_err_set(err, rc, "cannot read the balance of %s: %s", code, db_errmsg(d));
  fund_entry *list;
  size_t n;
  if ((rc = fund_entries(d, f->id, from, to, a, &list, &n)))
    return ht_err_set(err, rc, "cannot read the entries of %s: %s", code, db_errmsg(d));

  int year = date_year(to_day);
  groups campaigns = {0}, kinds = {0}, transfers = {0};
  campaign_donors *cdonors = NULL, all_donors = {0};
  size_t cd_cap = 0, ncdonors = 0;
  donor_cache dcache = {0};
  donor_row *donors = NULL;
  size_t ndonors = 0, donors_cap = 0;
  ben_row *bens = NULL;
  size_t nbens = 0, bens_cap = 0;
  idset ben_ids = {0};
  idmap donor_at = {0}, ben_at[FUND_CATS] = {{0}};
  out->entries = arena_calloc(a, (n ? n : 1) * sizeof *out->entries);
  int64_t balance = out->opening;
  for (size_t i = 0; i < n; i++) {
    fund_sum_entry *x = &out->entries[out->nentries++];
    x->e = list[i];
    const fund_entry *e = &x->e, *base = e;
    int64_t delta;
    if (e->kind == FUND_REVERSAL) {
      fund_entry *orig = arena_alloc(a, sizeof *orig);
      if ((rc = fund_entry_get(d, e->reverses, a, orig)))
        return ht_err_set(err, rc, "cannot read entry %lld, reversed by %lld",
                          (long long)e->reverses, (long long)e->id);
      x->orig = base = orig;
      delta = -movement(orig, f->code);
      out->reversals++;
      x->text = arena_sprintf(
          a, "Đảo bút toán %s (%s)%s%s",
          *orig->number ? orig->number : arena_sprintf(a, "%lld", (long long)orig->id),
          describe(a, orig, f->code), *e->memo ? ": " : "", e->memo);
    } else {
      delta = movement(e, f->code);
      x->text = describe(a, e, f->code);
    }
    x->base = base->kind;
    balance += delta;
    x->balance = balance;
    int stands = e->kind != FUND_REVERSAL && standing(d, e, to, a);
    int sign = e->kind == FUND_REVERSAL ? -1 : 1;
    switch (base->kind) {
      case FUND_OPENING:
        x->incoming = 1;
        x->amount = delta;
        out->opened += delta;
        break;
      case FUND_RECEIPT: {
        x->incoming = 1;
        x->amount = delta;
        out->received += delta;
        x->donor_kind = donor_kind(d, &dcache, a, base->donor_id);
        const char *kind = *x->donor_kind ? x->donor_kind : "anonymous";
        fund_group *g = group_at(&campaigns, a, base->campaign,
                                 *base->campaign ? base->campaign : "Không theo đợt vận động");
        size_t gi = (size_t)(g - campaigns.items);
        while (ncdonors < campaigns.n) {
          cdonors = arena_grow(a, cdonors, ncdonors, &cd_cap, sizeof *cdonors);
          memset(&cdonors[ncdonors++], 0, sizeof *cdonors);
        }
        g->amount += delta;
        fund_group *k = group_at(&kinds, a, kind, fund_donor_kind_vi(kind));
        k->amount += delta;
        int named = base->donor_id && strcmp(kind, "anonymous");
        if (stands) {
          g->entries++;
          k->entries++;
          out->receipts++;
          campaign_donors *cd[2] = {&cdonors[gi], &all_donors};
          for (int j = 0; j < 2; j++) {
            if (base->donor_id)
              idset_add(&cd[j]->ids, a, base->donor_id);
            else
              cd[j]->unnamed++;
          }
          g->donors = (long)cdonors[gi].ids.n + cdonors[gi].unnamed;
        }
        if (!named) {
          out->anonymous_amount += delta;
          if (stands) out->anonymous_entries++;
          break;
        }
        size_t at = idmap_get(&donor_at, base->donor_id);
        donor_row *dr = at ? &donors[at - 1] : NULL;
        if (!dr) {
          donors = arena_grow(a, donors, ndonors, &donors_cap, sizeof *donors);
          dr = &donors[ndonors++];
          idmap_put(&donor_at, a, base->donor_id, ndonors);
          memset(dr, 0, sizeof *dr);
          dr->dn.id = base->donor_id;
          dr->dn.name = base->donor_name;
          dr->dn.kind = kind;
          dr->sort_key = vt_sort_key_in(a, base->donor_name, 0);
        }
        dr->dn.amount += delta;
        if (stands) dr->dn.entries++;
        break;
      }
      case FUND_DISBURSEMENT: {
        x->amount = -delta;
        out->paid += -delta;
        int c = category_of(base->category);
        if (c < 0) c = FUND_CAT_SUPPORT; /* the ledger allows only the four */
        out->paid_by[c] += -delta;
        if (stands) out->paid_count[c]++;
        size_t at = base->beneficiary_id ? idmap_get(&ben_at[c], base->beneficiary_id) : 0;
        ben_row *br = at ? &bens[at - 1] : NULL;
        if (!br) {
          bens = arena_grow(a, bens, nbens, &bens_cap, sizeof *bens);
          br = &bens[nbens++];
          if (base->beneficiary_id) idmap_put(&ben_at[c], a, base->beneficiary_id, nbens);
          memset(br, 0, sizeof *br);
          br->b.id = base->beneficiary_id;
          br->b.category = (fund_category)c;
          fund_beneficiary fb = {0};
          fund_beneficiary_get(d, base->beneficiary_id, a, &fb);
          br->b.name = *base->beneficiary_name ? base->beneficiary_name : fb.name;
          br->b.school = fb.school ? fb.school : "";
          br->b.grade = fb.grade ? fb.grade : "";
          br->b.minor = !fb.birth_year || year - fb.birth_year < 18;
          br->sort_key = vt_sort_key_in(a, br->b.name, VT_SORT_GIVEN_NAME_FIRST);
        }
        br->b.amount += -delta;
        if (stands) br->b.entries++;
        break;
      }
      case FUND_TRANSFER: {
        int in = delta * sign > 0; /* the original's direction */
        x->incoming = in;
        x->amount = in ? delta : -delta;
        if (in)
          out->transfer_in += delta;
        else
          out->transfer_out += -delta;
        const char *other = in ? base->fund_code : base->to_fund;
        fund_group *g =
            group_at(&transfers, a, other,
                     arena_sprintf(a, in ? "Nhận từ quỹ %s" : "Chuyển sang quỹ %s", other));
        g->amount += delta;
        if (stands) g->entries++;
        break;
      }
      default: break;
    }
  }
  out->total_in = out->opened + out->received + out->transfer_in;
  out->total_out = out->paid + out->transfer_out;
  out->donors = (long)all_donors.ids.n + all_donors.unnamed;

  /* beneficiaries: those with money left after reversals */
  size_t kept = 0;
  for (size_t i = 0; i < nbens; i++) {
    if (bens[i].b.amount == 0 && bens[i].b.entries == 0) continue;
    if (bens[i].b.entries) idset_add(&ben_ids, a, bens[i].b.id);
    bens[kept++] = bens[i];
  }
  nbens = kept;
  out->beneficiaries = (long)ben_ids.n;
  if (nbens) qsort(bens, nbens, sizeof *bens, cmp_ben);
  out->paid_list = arena_alloc(a, (nbens ? nbens : 1) * sizeof *out->paid_list);
  for (size_t i = 0; i < nbens; i++) {
    fund_sum_beneficiary *b = &out->paid_list[out->npaid_list++];
    *b = bens[i].b;
    b->named = 1;
    if (out->public_form) {
      b->id = 0;
      if (b->minor && !f->public_minor_names) {
        b->name = fund_initials(a, b->name);
        b->named = 0;
      }
    }
  }
  kept = 0;
  for (size_t i = 0; i < ndonors; i++)
    if (donors[i].dn.amount || donors[i].dn.entries) donors[kept++] = donors[i];
  ndonors = kept;
  if (ndonors) qsort(donors, ndonors, sizeof *donors, cmp_donor);
  out->donor_list = arena_alloc(a, (ndonors ? ndonors : 1) * sizeof *out->donor_list);
  for (size_t i = 0; i < ndonors; i++) {
    out->donor_list[out->ndonor_list] = donors[i].dn;
    if (out->public_form) out->donor_list[out->ndonor_list].id = 0;
    out->ndonor_list++;
  }
  if (campaigns.n) qsort(campaigns.items, campaigns.n, sizeof *campaigns.items, cmp_group_amount);
  out->campaigns = campaigns.items;
  out->ncampaigns = campaigns.n;
  /* donor kinds in the ledger's order */
  out->donor_kinds = arena_alloc(a, (kinds.n ? kinds.n : 1) * sizeof *out->donor_kinds);
  for (int k = 0; donor_kinds[k]; k++)
    for (size_t i = 0; i < kinds.n; i++)
      if (!strcmp(kinds.items[i].key, donor_kinds[k]))
        out->donor_kinds[out->ndonor_kinds++] = kinds.items[i];
  out->transfers = transfers.items;
  out->ntransfers = transfers.n;
  if (out->public_form) {
    out->entries = NULL;
    out->nentries = 0;
  }
  return HT_OK;
}

/* ------------------------------------------------------------ the annual report */

static void add_row(fund_year_row *t, const fund_year_row *r) {
  t->opening += r->opening;
  t->opened += r->opened;
  t->received += r->received;
  t->transfer_in += r->transfer_in;
  for (int c = 0; c < FUND_CATS; c++) t->paid_by[c] += r->paid_by[c];
  t->paid += r->paid;
  t->transfer_out += r->transfer_out;
  t->closing += r->closing;
  t->receipts += r->receipts;
  t->donors += r->donors;
}

int fund_unit_year_totals(db *d, const hier *h, const char *unit, int year, arena *a,
                          fund_year_totals *out, ht_err *err) {
  memset(out, 0, sizeof *out);
  out->year = year;
  out->unit = arena_strdup(a, unit ? unit : "");
  out->total.code = out->total.name = out->total.owner_name = "";
  out->total.unit_code = out->unit;
  if (year < 1900 || year > 2999)
    return ht_err_set(err, HT_EINVAL, "the year %d is not a year of the ledger", year);
  hier own;
  int loaded = 0, rc = HT_OK;
  if (!h) {
    if ((rc = hier_load(d, &own, err))) return rc;
    h = &own;
    loaded = 1;
  }
  int32_t end = date_from_ymd(year, 12, 31);
  char from[11], to[11];
  date_format(date_from_ymd(year, 1, 1), from);
  date_format(end, to);
  fund *funds;
  size_t n;
  idset ben_ids = {0};
  if (!hier_find(h, out->unit, end)) {
    rc = ht_err_set(err, HT_ENOTFOUND, "no unit with the code '%s' on 31/12/%d", out->unit, year);
    goto end;
  }
  if ((rc = fund_list(d, NULL, a, &funds, &n))) {
    rc = ht_err_set(err, rc, "cannot read the funds: %s", db_errmsg(d));
    goto end;
  }
  out->funds = arena_alloc(a, (n ? n : 1) * sizeof *out->funds);
  for (size_t i = 0; i < n; i++) {
    /* the fund's unit on 31 December, or on the last day it existed */
    const hier_unit *u = hier_find(h, funds[i].unit_code, end);
    int32_t on = end;
    if (!u) {
      size_t nv;
      const hier_unit *v = hier_versions(h, funds[i].unit_code, &nv);
      if (!nv) continue;
      u = &v[nv - 1];
      on = u->to_day;
    }
    if (!hier_is_within(h, u, out->unit, on)) continue;
    fund_summary s;
    if ((rc = fund_summary_load(d, funds[i].code, from, to, 0, a, &s, err))) goto end;
    fund_year_row *r = &out->funds[out->nfunds++];
    memset(r, 0, sizeof *r);
    r->code = s.fund.code;
    r->name = s.fund.name;
    r->owner_name = s.owner_name;
    r->unit_code = s.fund.unit_code;
    r->opening = s.opening;
    r->opened = s.opened;
    r->received = s.received;
    r->transfer_in = s.transfer_in;
    memcpy(r->paid_by, s.paid_by, sizeof r->paid_by);
    r->paid = s.paid;
    r->transfer_out = s.transfer_out;
    r->closing = s.closing;
    r->receipts = s.receipts;
    r->donors = s.donors;
    r->beneficiaries = s.beneficiaries;
    for (size_t j = 0; j < s.npaid_list; j++)
      if (s.paid_list[j].entries) idset_add(&ben_ids, a, s.paid_list[j].id);
    add_row(&out->total, r);
  }
  out->total.beneficiaries = (long)ben_ids.n;
end:
  if (loaded) hier_free(&own);
  return rc;
}
