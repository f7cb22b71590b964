/* acl.c - permission keys and scope coverage (see acl.h). */
#include "model/acl.h"

#include <string.h>

#include "base/strbuf.h"

const acl_perm_info acl_perms[ACL_PERM_COUNT] = {
    {ACL_UNITS_READ, "units.read", "Xem địa bàn và số liệu tổng hợp",
     "View units and aggregate figures"},
    {ACL_REGISTRY_READ, "registry.read", "Xem sổ hộ, nhân khẩu, dòng họ, đơn vị",
     "View households, persons, clans, organisations"},
    {ACL_REGISTRY_WRITE, "registry.write", "Sửa sổ hộ, nhân khẩu, dòng họ, đơn vị",
     "Change households, persons, clans, organisations"},
    {ACL_RECORDS_READ, "records.read", "Xem hồ sơ đăng ký, tự đánh giá và kết quả",
     "View registrations, self-assessments and results"},
    {ACL_RECORDS_WRITE, "records.write", "Nhập đăng ký, tự đánh giá, minh chứng",
     "Enter registrations, self-assessments, evidence"},
    {ACL_RECORDS_REVIEW, "records.review", "Thẩm định, điều chỉnh kết quả",
     "Review and override results"},
    {ACL_RECORDS_APPROVE, "records.approve", "Công nhận danh hiệu", "Recognise titles"},
    {ACL_PERSONAL_READ, "personal.read", "Xem đầy đủ số định danh cá nhân",
     "View full citizen ID numbers"},
    {ACL_PERSONAL_EXPORT, "personal.export", "Xuất dữ liệu cá nhân", "Export personal data"},
    {ACL_USERS_MANAGE, "users.manage", "Quản lý tài khoản", "Manage accounts"},
    {ACL_AUDIT_READ, "audit.read", "Xem nhật ký hệ thống", "View the audit trail"},
    {ACL_CRITERIA_MANAGE, "criteria.manage", "Quản lý bộ tiêu chí và chỉ tiêu",
     "Manage criteria and targets"},
    {ACL_FUNDS_READ, "funds.read", "Xem sổ quỹ khuyến học, nhà hảo tâm, người nhận",
     "View study-promotion funds, donors, beneficiaries"},
    {ACL_FUNDS_WRITE, "funds.write", "Ghi thu, chi quỹ khuyến học; thêm nhà hảo tâm, người nhận",
     "Post fund receipts and payments; add donors and beneficiaries"},
    {ACL_FUNDS_APPROVE, "funds.approve", "Duyệt danh sách khen thưởng, khóa sổ quỹ",
     "Approve award batches, close the books"},
};

uint32_t acl_perm_find(const char *key) {
  for (int i = 0; i < ACL_PERM_COUNT; i++)
    if (strcmp(acl_perms[i].key, key) == 0) return acl_perms[i].bit;
  return 0;
}

int acl_perms_parse(const char *text, uint32_t *mask, arena *a, const char **bad) {
  *mask = 0;
  const char *p = text ? text : "";
  while (*p) {
    while (*p == ' ' || *p == ',' || *p == '\t') p++;
    if (!*p) break;
    size_t len = strcspn(p, " ,\t");
    char *key = arena_strndup(a, p, len);
    uint32_t bit = acl_perm_find(key);
    if (!bit) {
      *bad = key;
      return HT_EINVAL;
    }
    *mask |= bit;
    p += len;
  }
  return HT_OK;
}

const char *acl_perms_format(uint32_t mask, arena *a) {
  strbuf b = {0};
  for (int i = 0; i < ACL_PERM_COUNT; i++)
    if (mask & acl_perms[i].bit) {
      if (b.len) strbuf_putc(&b, ' ');
      strbuf_puts(&b, acl_perms[i].key);
    }
  const char *out = arena_strdup(a, strbuf_cstr(&b));
  strbuf_free(&b);
  return out;
}

/* Is scope_code a successor of code (directly or through later changes),
 * by a change dated after day? */
static int succeeds(const hier *h, const char *code, const char *scope_code, int32_t day,
                    int depth) {
  if (depth > 4) return 0;
  for (size_t i = 0; i < h->nchanges; i++) {
    const hier_change *c = &h->changes[i];
    if (c->day <= day || strcmp(c->old_code, code) != 0) continue;
    if (strcmp(c->new_code, scope_code) == 0) return 1;
    if (succeeds(h, c->new_code, scope_code, c->day, depth + 1)) return 1;
  }
  return 0;
}

int acl_covers(const hier *h, const char *scope_code, const char *unit_code, int32_t day) {
  if (!scope_code || !unit_code || !*unit_code) return 0;
  const hier_unit *u = hier_find(h, unit_code, day);
  if (!u) {
    /* A code not valid on that day (e.g. asked about a date after it was
     * dissolved): judge it by its last version. */
    size_t n;
    const hier_unit *v = hier_versions(h, unit_code, &n);
    if (!n) return 0;
    u = &v[n - 1];
    day = u->to_day;
  }
  if (hier_is_within(h, u, scope_code, day)) return 1;
  for (const hier_unit *a = u; a; a = hier_parent(h, a, day))
    if (succeeds(h, a->code, scope_code, day, 0)) return 1;
  return 0;
}
