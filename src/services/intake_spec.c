/* intake_spec.c - the columns of each kind of import file, and cell parsers. */
#include "services/intake_spec.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/vtext.h"

static const char *const kind_names[INTAKE_KIND_COUNT] = {"households", "persons", "clans", "units",
                                                          "assessments"};
static const char *const kind_labels[INTAKE_KIND_COUNT] = {"hộ gia đình", "nhân khẩu", "dòng họ",
                                                           "đơn vị học tập", "đánh giá"};

const char *intake_kind_name(intake_kind k) {
  return k < INTAKE_KIND_COUNT ? kind_names[k] : "?";
}

const char *intake_kind_label_vi(intake_kind k) {
  return k < INTAKE_KIND_COUNT ? kind_labels[k] : "?";
}

int intake_kind_parse(const char *name, intake_kind *out, ht_err *err) {
  for (int k = 0; k < INTAKE_KIND_COUNT; k++)
    if (name && !strcmp(name, kind_names[k])) {
      *out = (intake_kind)k;
      return HT_OK;
    }
  return ht_err_set(err, HT_EINVAL,
                    "unknown kind '%s'; use households, persons, clans, units or assessments",
                    name ? name : "");
}

/* ------------------------------------------------------------ columns */

static const char *const yesno_choices[] = {"có", "không", NULL};
static const char *const gender_choices[] = {"nam", "nữ", NULL};
static const char *const grade_choices[] = {"tốt", "khá", "đạt", "chưa đạt", NULL};
static const char *const org_kind_keys[] = {"co-quan",    "truong-hoc",       "doanh-nghiep",
                                            "hop-tac-xa", "don-vi-su-nghiep", NULL};
static const char *const org_kind_choices[] = {"Cơ quan",    "Trường học",       "Doanh nghiệp",
                                               "Hợp tác xã", "Đơn vị sự nghiệp", NULL};
static const char *const group_choices[] = {"1", "2", "3", "4", NULL};

#define YESNO_VI "Ghi có hoặc không (chấp nhận x/để trống, 1/0, yes/no)."
#define YESNO_EN "Write yes or no (x/blank, 1/0, có/không are accepted)."

static const intake_col households_cols[] = {
    {"household_code", "Mã hộ", "Household code",
     "Bắt buộc. Mã hộ gia đình, duy nhất trong tỉnh (ví dụ HH0000001). Hộ đã có mã này sẽ được "
     "cập nhật.",
     "Required. The household's code, unique in the province (e.g. HH0000001); an existing "
     "household with this code is updated.",
     IT_CODE, 1, 0, 0, NULL, NULL},
    {"head_name", "Họ tên chủ hộ", "Head of household", "Bắt buộc. Họ và tên chủ hộ, có dấu.",
     "Required. The full name of the head of the household.", IT_NAME, 1, 0, 0, NULL, NULL},
    {"village_code", "Mã thôn/tổ dân phố", "Village code",
     "Bắt buộc. Mã thôn hoặc tổ dân phố nơi hộ sinh sống trong năm nhập.",
     "Required. The code of the village or residential group where the household lives in the "
     "year of the import.",
     IT_CODE, 1, 0, 0, NULL, NULL},
    {"clan_code", "Mã dòng họ", "Clan code",
     "Không bắt buộc. Mã dòng họ của hộ (dòng họ phải có sẵn trong hệ thống).",
     "Optional. The code of the household's clan, which must exist already.", IT_CODE, 0, 0, 0,
     NULL, NULL},
    {"address", "Địa chỉ", "Address", "Không bắt buộc. Số nhà, đường, thôn.",
     "Optional. House number, street, village.", IT_TEXT, 0, 0, 0, NULL, NULL},
};

static const intake_col persons_cols[] = {
    {"household_code", "Mã hộ", "Household code",
     "Bắt buộc. Mã hộ gia đình của người này (hộ phải có sẵn trong hệ thống).",
     "Required. The code of the person's household, which must exist already.", IT_CODE, 1, 0, 0,
     NULL, NULL},
    {"full_name", "Họ và tên", "Full name", "Bắt buộc. Họ và tên, có dấu.",
     "Required. The person's full name.", IT_NAME, 1, 0, 0, NULL, NULL},
    {"birth_year", "Năm sinh", "Birth year",
     "Bắt buộc. Năm sinh, 4 chữ số, không sau năm hiện tại.",
     "Required. The year of birth, 4 digits, not in the future.", IT_YEAR, 1, 0, 0, NULL, NULL},
    {"gender", "Giới tính", "Gender", "Bắt buộc. Nam hoặc nữ.", "Required. nam/nữ or male/female.",
     IT_GENDER, 1, 0, 0, gender_choices, NULL},
    {"citizen_id", "Số CCCD", "Citizen ID",
     "Không bắt buộc. Số căn cước công dân gồm 12 chữ số; 3 chữ số đầu là mã tỉnh nơi đăng ký "
     "khai sinh. Người đã có số này sẽ được cập nhật.",
     "Optional. The 12-digit citizen ID; its first 3 digits are a province code. A person with "
     "this ID is updated.",
     IT_CITIZEN_ID, 0, 0, 0, NULL, NULL},
    {"literate", "Biết chữ", "Literate", YESNO_VI, YESNO_EN, IT_YESNO, 0, 0, 0, yesno_choices,
     NULL},
    {"in_school", "Đang đi học", "In school", YESNO_VI, YESNO_EN, IT_YESNO, 0, 0, 0, yesno_choices,
     NULL},
    {"school_result", "Kết quả học tập", "School result",
     "Không bắt buộc. Tốt, khá, đạt hoặc chưa đạt (học sinh đang đi học).",
     "Optional. tốt/khá/đạt/chưa đạt (good/fair/pass/fail), for pupils.", IT_GRADE, 0, 0, 0,
     grade_choices, NULL},
    {"conduct", "Rèn luyện", "Conduct", "Không bắt buộc. Tốt, khá, đạt hoặc chưa đạt.",
     "Optional. tốt/khá/đạt/chưa đạt (good/fair/pass/fail).", IT_GRADE, 0, 0, 0, grade_choices,
     NULL},
    {"topics_completed", "Số chuyên đề đã học", "Topics completed",
     "Không bắt buộc. Số chuyên đề học tập cộng đồng đã hoàn thành trong năm, từ 0 đến 100.",
     "Optional. Community learning topics completed in the year, 0 to 100.", IT_INT, 0, 0, 100,
     NULL, NULL},
};

static const intake_col clans_cols[] = {
    {"clan_code", "Mã dòng họ", "Clan code",
     "Bắt buộc. Mã dòng họ, duy nhất trong tỉnh (ví dụ DH000001).",
     "Required. The clan's code, unique in the province (e.g. DH000001).", IT_CODE, 1, 0, 0, NULL,
     NULL},
    {"name", "Tên dòng họ", "Clan name", "Bắt buộc. Tên dòng họ (ví dụ Dòng họ Nguyễn).",
     "Required. The clan's name.", IT_NAME, 1, 0, 0, NULL, NULL},
    {"village_code", "Mã thôn/tổ dân phố", "Village code",
     "Bắt buộc. Mã thôn hoặc tổ dân phố nơi dòng họ sinh hoạt.",
     "Required. The code of the village where the clan gathers.", IT_CODE, 1, 0, 0, NULL, NULL},
};

static const intake_col units_cols[] = {
    {"unit_code", "Mã đơn vị", "Unit code",
     "Bắt buộc. Mã đơn vị học tập (cơ quan, trường học, doanh nghiệp...), duy nhất trong tỉnh.",
     "Required. The learning unit's code, unique in the province.", IT_CODE, 1, 0, 0, NULL, NULL},
    {"name", "Tên đơn vị", "Unit name", "Bắt buộc. Tên đầy đủ của đơn vị.",
     "Required. The unit's full name.", IT_NAME, 1, 0, 0, NULL, NULL},
    {"kind", "Loại đơn vị", "Kind",
     "Bắt buộc. Cơ quan, Trường học, Doanh nghiệp, Hợp tác xã hoặc Đơn vị sự nghiệp.",
     "Required. Cơ quan (agency), Trường học (school), Doanh nghiệp (enterprise), Hợp tác xã "
     "(cooperative) or Đơn vị sự nghiệp (public-service unit).",
     IT_ORG_KIND, 1, 0, 0, org_kind_choices, NULL},
    {"admin_code", "Mã xã/phường quản lý", "Managing unit code",
     "Bắt buộc. Mã xã, phường (hoặc tỉnh, thành phố) quản lý đơn vị.",
     "Required. The code of the commune (or province) that manages the unit.", IT_CODE, 1, 0, 0,
     NULL, NULL},
};

#define REGISTERED_VI                                                                                                \
  "Có/không, hoặc ngày đăng ký (ngày/tháng/năm). Có mà không ghi ngày: giữ ngày đã đăng ký, " \
  "hoặc ngày 1/1 của năm."
#define REGISTERED_EN                                                                         \
  "yes/no, or the date of registration (DD/MM/YYYY or YYYY-MM-DD). yes without a date keeps " \
  "the stored date, or 1 January of the year."

static const intake_col assess_head_cols[] = {
    {"code", "Mã", "Code", "Bắt buộc. Mã của hộ, dòng họ, thôn, đơn vị hoặc xã được đánh giá.",
     "Required. The code of the household, clan, village, unit or commune assessed.", IT_CODE, 1, 0,
     0, NULL, NULL},
    {"year", "Năm", "Year", "Bắt buộc. Năm đánh giá.", "Required. The year assessed.", IT_YEAR, 1,
     0, 0, NULL, NULL},
    {"registered", "Đăng ký", "Registered", REGISTERED_VI, REGISTERED_EN, IT_REGISTERED, 0, 0, 0,
     yesno_choices, NULL},
};

static const intake_col assess_person_cols[] = {
    {"citizen_id", "Số CCCD", "Citizen ID",
     "Số căn cước công dân 12 chữ số. Người chưa có số CCCD: để trống và ghi mã hộ, họ tên, năm "
     "sinh.",
     "The 12-digit citizen ID. For a person without one, leave it blank and give the household "
     "code, full name and birth year.",
     IT_CITIZEN_ID, 0, 0, 0, NULL, NULL},
    {"household_code", "Mã hộ", "Household code", "Cần khi không có số CCCD.",
     "Needed when there is no citizen ID.", IT_CODE, 0, 0, 0, NULL, NULL},
    {"full_name", "Họ và tên", "Full name", "Cần khi không có số CCCD.",
     "Needed when there is no citizen ID.", IT_NAME, 0, 0, 0, NULL, NULL},
    {"birth_year", "Năm sinh", "Birth year", "Cần khi không có số CCCD.",
     "Needed when there is no citizen ID.", IT_YEAR, 0, 0, 0, NULL, NULL},
    {"year", "Năm", "Year", "Bắt buộc. Năm đánh giá.", "Required. The year assessed.", IT_YEAR, 1,
     0, 0, NULL, NULL},
    {"registered", "Đăng ký", "Registered", REGISTERED_VI, REGISTERED_EN, IT_REGISTERED, 0, 0, 0,
     yesno_choices, NULL},
    {"group", "Nhóm phiếu", "Form group",
     "Nhóm phiếu đánh giá 1 đến 4 (theo độ tuổi và nghề nghiệp, xem tiêu chí).",
     "The form group, 1 to 4 (by age and occupation; see the criteria).", IT_INT, 0, 1, 4,
     group_choices, NULL},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The rule of an entered item, in Vietnamese and English. */
static void item_rules(const crit_item *it, arena *a, const char **vi, const char **en) {
  switch (it->input) {
    case INPUT_YESNO:
      *vi = arena_sprintf(a, "%s %s", it->text, YESNO_VI);
      *en = arena_sprintf(a, "%s %s", it->text, YESNO_EN);
      break;
    case INPUT_PERCENT:
      *vi = arena_sprintf(a, "%s Ghi tỷ lệ phần trăm, từ 0%% đến 100%% (ví dụ 92%%).", it->text);
      *en = arena_sprintf(a, "%s A percentage from 0%% to 100%% (e.g. 92%%).", it->text);
      break;
    case INPUT_LEVEL:
      *vi = arena_sprintf(a, "%s Ghi mức, số nguyên từ %d đến %d.", it->text, it->input_min,
                          it->input_max);
      *en = arena_sprintf(a, "%s A level, a whole number from %d to %d.", it->text, it->input_min,
                          it->input_max);
      break;
    default:
      *vi = arena_sprintf(a, "%s Ghi số từ %d đến %d.", it->text, it->input_min, it->input_max);
      *en = arena_sprintf(a, "%s A number from %d to %d.", it->text, it->input_min, it->input_max);
      break;
  }
}

/* "C1c. Gia đình có tủ sách ..." cut to about 48 bytes at a word boundary. */
static const char *item_header(const crit_item *it, arena *a) {
  const size_t max = 48;
  const char *text = it->text ? it->text : "";
  size_t len = strlen(text);
  if (len <= max) return arena_sprintf(a, "%s. %s", it->key, text);
  size_t cut = max;
  while (cut > 0 && text[cut] != ' ') cut--;
  if (cut == 0) cut = max;
  while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80) cut--; /* never split a letter */
  return arena_sprintf(a, "%s. %.*s…", it->key, (int)cut, text);
}

void intake_columns(intake_kind k, const crit_title *t, arena *a, const intake_col **cols,
                    size_t *n) {
  switch (k) {
    case INTAKE_HOUSEHOLDS: *cols = households_cols, *n = COUNT(households_cols); return;
    case INTAKE_PERSONS: *cols = persons_cols, *n = COUNT(persons_cols); return;
    case INTAKE_CLANS: *cols = clans_cols, *n = COUNT(clans_cols); return;
    case INTAKE_UNITS: *cols = units_cols, *n = COUNT(units_cols); return;
    default: break;
  }
  int person = t && t->entity == CRIT_PERSON;
  const intake_col *head = person ? assess_person_cols : assess_head_cols;
  size_t nhead = person ? COUNT(assess_person_cols) : COUNT(assess_head_cols), nitems = 0;
  if (t)
    for (const crit_item *it = t->items; it; it = it->next) nitems += it->input != INPUT_NONE;
  intake_col *out = arena_calloc(a, (nhead + nitems) * sizeof *out);
  memcpy(out, head, nhead * sizeof *out);
  size_t i = nhead;
  if (t)
    for (const crit_item *it = t->items; it; it = it->next) {
      if (it->input == INPUT_NONE) continue;
      intake_col *c = &out[i++];
      c->key = it->key;
      c->header_vi = item_header(it, a);
      c->header_en = it->key;
      item_rules(it, a, &c->rule_vi, &c->rule_en);
      c->type = IT_ITEM;
      c->item = it;
      c->min = it->input_min;
      c->max = it->input_max;
      if (it->input == INPUT_YESNO) c->choices = yesno_choices;
    }
  *cols = out;
  *n = i;
}

/* ------------------------------------------------------------ headers */

static int folded_equals(const char *text, const char *folded) {
  char *k = NULL;
  if (vt_search_key(text, &k) != HT_OK) return 0;
  int eq = !strcmp(k, folded);
  free(k);
  return eq;
}

int intake_header_matches(const intake_col *c, const char *folded) {
  if (!*folded) return 0;
  if (!strcasecmp(c->key, folded) || folded_equals(c->header_vi, folded) ||
      folded_equals(c->header_en, folded))
    return 1;
  if (c->type != IT_ITEM) return 0;
  size_t kl = strlen(c->key);
  return !strncasecmp(folded, c->key, kl) &&
         (folded[kl] == ' ' || folded[kl] == '.' || folded[kl] == ':' || folded[kl] == '-' ||
          folded[kl] == ')');
}

/* ------------------------------------------------------------- values */

/* The search key of s (no diacritics, lower case, single spaces) into buf. */
static const char *fold(const char *s, char *buf, size_t size) {
  char *k = NULL;
  buf[0] = '\0';
  if (vt_search_key(s, &k) == HT_OK) {
    snprintf(buf, size, "%s", k);
    free(k);
  }
  return buf;
}

int intake_parse_yesno(const char *s, int *out) {
  static const char *const yes[] = {"co", "c", "x", "yes", "y", "true", "dung", "1", "1.0", NULL};
  static const char *const no[] = {"", "khong", "k", "no", "n", "false", "sai", "0", "0.0", NULL};
  char f[32];
  fold(s, f, sizeof f);
  for (int i = 0; yes[i]; i++)
    if (!strcmp(f, yes[i])) return *out = 1, HT_OK;
  for (int i = 0; no[i]; i++)
    if (!strcmp(f, no[i])) return *out = 0, HT_OK;
  return HT_EINVAL;
}

int intake_parse_gender(const char *s, const char **out) {
  char f[32];
  fold(s, f, sizeof f);
  if (!strcmp(f, "nam") || !strcmp(f, "male") || !strcmp(f, "m")) return *out = "nam", HT_OK;
  if (!strcmp(f, "nu") || !strcmp(f, "female") || !strcmp(f, "f")) return *out = "nu", HT_OK;
  return HT_EINVAL;
}

int intake_parse_grade(const char *s, const char **out) {
  static const struct {
    const char *text, *key;
  } grades[] = {{"tot", "tot"},           {"good", "tot"},          {"kha", "kha"},
                {"fair", "kha"},          {"dat", "dat"},           {"pass", "dat"},
                {"chua dat", "chua-dat"}, {"chua-dat", "chua-dat"}, {"fail", "chua-dat"}};
  char f[32];
  fold(s, f, sizeof f);
  for (size_t i = 0; i < COUNT(grades); i++)
    if (!strcmp(f, grades[i].text)) return *out = grades[i].key, HT_OK;
  return HT_EINVAL;
}

int intake_parse_int(const char *s, long *out) {
  while (*s == ' ') s++;
  if (!isdigit((unsigned char)*s) && !(*s == '-' && isdigit((unsigned char)s[1]))) return HT_EINVAL;
  char *end;
  long v = strtol(s, &end, 10);
  if (*end == '.') { /* "12.0": a spreadsheet's number */
    end++;
    while (*end == '0') end++;
  }
  while (*end == ' ') end++;
  if (*end || v > 1000000000L || v < -1000000000L) return HT_EINVAL;
  *out = v;
  return HT_OK;
}

/* Province codes of the citizen ID (Circular 07/2016/TT-BCA, the 63
 * provinces before the 2025 merger; IDs keep them). */
static const short cid_provinces[] = {
    1,  2,  4,  6,  8,  10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33,
    34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66,
    67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96};

int intake_check_citizen_id(const char *s) {
  for (int i = 0; i < 12; i++)
    if (!isdigit((unsigned char)s[i])) return 1;
  if (s[12]) return 1;
  int p = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
  for (size_t i = 0; i < COUNT(cid_provinces); i++)
    if (cid_provinces[i] == p) return 0;
  return 2;
}

static int valid_ymd(int y, int m, int d) {
  static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 || d > days[m - 1]) return 0;
  if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 0;
  return 1;
}

int intake_parse_date(const char *s, char iso[11]) {
  int y, m, d, used = 0;
  while (*s == ' ') s++;
  if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &used) == 3 && used == 10) {
    /* ISO, possibly with a time part from a spreadsheet date cell */
    if (s[10] && strncmp(s + 10, " 00:00:00", 9) != 0) return HT_EINVAL;
  } else {
    char sep1, sep2;
    used = 0;
    if (sscanf(s, "%2d%c%2d%c%4d%n", &d, &sep1, &m, &sep2, &y, &used) != 5 || sep1 != sep2 ||
        (sep1 != '/' && sep1 != '-' && sep1 != '.') || y < 1000)
      return HT_EINVAL;
    const char *rest = s + used;
    while (*rest == ' ') rest++;
    if (*rest) return HT_EINVAL;
  }
  if (!valid_ymd(y, m, d)) return HT_EINVAL;
  snprintf(iso, 11, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
  return HT_OK;
}

int intake_parse_org_kind(const char *s, const char **out) {
  char f[64];
  fold(s, f, sizeof f);
  for (int i = 0; org_kind_keys[i]; i++) {
    char g[64];
    if (!strcmp(f, org_kind_keys[i]) || !strcmp(f, fold(org_kind_choices[i], g, sizeof g)))
      return *out = org_kind_keys[i], HT_OK;
  }
  return HT_EINVAL;
}

const char *intake_org_kind_label(const char *key) {
  for (int i = 0; org_kind_keys[i]; i++)
    if (!strcmp(key, org_kind_keys[i])) return org_kind_choices[i];
  return key;
}

const char *intake_grade_label(const char *key) {
  static const char *const keys[] = {"tot", "kha", "dat", "chua-dat"};
  for (size_t i = 0; i < COUNT(keys); i++)
    if (!strcmp(key, keys[i])) return grade_choices[i];
  return key;
}
