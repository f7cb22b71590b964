/* intake_spec.c - the columns of each kind of import file, and cell parsers. */
#include "services/intake_spec.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/vtext.h"
#include "model/fund.h"

static const char *const kind_names[INTAKE_KIND_COUNT] = {"households", "persons",      "clans",
                                                          "units",      "assessments",  "donors",
                                                          "donations",  "beneficiaries"};
static const char *const kind_labels[INTAKE_KIND_COUNT] = {
    "hộ gia đình", "nhân khẩu",   "dòng họ",   "đơn vị học tập",
    "đánh giá",    "nhà hảo tâm", "khoản thu", "người nhận hỗ trợ"};

const char *intake_kind_name(intake_kind k) {
  return k < INTAKE_KIND_COUNT ? kind_names[k] : "?";
}

const char *intake_kind_label_vi(intake_kind k) {
  return k < INTAKE_KIND_COUNT ? kind_labels[k] : "?";
}

int intake_kind_is_fund(intake_kind k) {
  return k == INTAKE_DONORS || k == INTAKE_DONATIONS || k == INTAKE_BENEFICIARIES;
}

int intake_kind_parse(const char *name, intake_kind *out, ht_err *err) {
  for (int k = 0; k < INTAKE_KIND_COUNT; k++)
    if (name && !strcmp(name, kind_names[k])) {
      *out = (intake_kind)k;
      return HT_OK;
    }
  return ht_err_set(err, HT_EINVAL,
                    "unknown kind '%s'; use households, persons, clans, units, assessments, "
                    "donors, donations or beneficiaries",
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
     IT_CODE, 1, 0, 0, NULL, NULL, NULL, 0},
    {"head_name", "Họ tên chủ hộ", "Head of household", "Bắt buộc. Họ và tên chủ hộ, có dấu.",
     "Required. The full name of the head of the household.", IT_NAME, 1, 0, 0, NULL, NULL, NULL,
     0},
    {"village_code", "Mã thôn/tổ dân phố", "Village code",
     "Bắt buộc. Mã thôn hoặc tổ dân phố nơi hộ sinh sống trong năm nhập.",
     "Required. The code of the village or residential group where the household lives in the "
     "year of the import.",
     IT_CODE, 1, 0, 0, NULL, NULL, NULL, 0},
    {"clan_code", "Mã dòng họ", "Clan code",
     "Không bắt buộc. Mã dòng họ của hộ (dòng họ phải có sẵn trong hệ thống).",
     "Optional. The code of the household's clan, which must exist already.", IT_CODE, 0, 0, 0,
     NULL, NULL, NULL, 0},
    {"address", "Địa chỉ", "Address", "Không bắt buộc. Số nhà, đường, thôn.",
     "Optional. House number, street, village.", IT_TEXT, 0, 0, 0, NULL, NULL, NULL, 0},
};

static const intake_col persons_cols[] = {
    {"household_code", "Mã hộ", "Household code",
     "Bắt buộc. Mã hộ gia đình của người này (hộ phải có sẵn trong hệ thống).",
     "Required. The code of the person's household, which must exist already.", IT_CODE, 1, 0, 0,
     NULL, NULL, NULL, 0},
    {"full_name", "Họ và tên", "Full name", "Bắt buộc. Họ và tên, có dấu.",
     "Required. The person's full name.", IT_NAME, 1, 0, 0, NULL, NULL, NULL, 0},
    {"birth_year", "Năm sinh", "Birth year",
     "Bắt buộc. Năm sinh, 4 chữ số, không sau năm hiện tại.",
     "Required. The year of birth, 4 digits, not in the future.", IT_YEAR, 1, 0, 0, NULL, NULL,
     NULL, 0},
    {"gender", "Giới tính", "Gender", "Bắt buộc. Nam hoặc nữ.", "Required. nam/nữ or male/female.",
     IT_GENDER, 1, 0, 0, gender_choices, NULL, NULL, 0},
    {"citizen_id", "Số CCCD", "Citizen ID",
     "Không bắt buộc. Số căn cước công dân gồm 12 chữ số; 3 chữ số đầu là mã tỉnh nơi đăng ký "
     "khai sinh. Người đã có số này sẽ được cập nhật.",
     "Optional. The 12-digit citizen ID; its first 3 digits are a province code. A person with "
     "this ID is updated.",
     IT_CITIZEN_ID, 0, 0, 0, NULL, NULL, NULL, 0},
    {"literate", "Biết chữ", "Literate", YESNO_VI, YESNO_EN, IT_YESNO, 0, 0, 0, yesno_choices, NULL,
     NULL, 0},
    {"in_school", "Đang đi học", "In school", YESNO_VI, YESNO_EN, IT_YESNO, 0, 0, 0, yesno_choices,
     NULL, NULL, 0},
    {"school_result", "Kết quả học tập", "School result",
     "Không bắt buộc. Tốt, khá, đạt hoặc chưa đạt (học sinh đang đi học).",
     "Optional. tốt/khá/đạt/chưa đạt (good/fair/pass/fail), for pupils.", IT_GRADE, 0, 0, 0,
     grade_choices, NULL, NULL, 0},
    {"conduct", "Rèn luyện", "Conduct", "Không bắt buộc. Tốt, khá, đạt hoặc chưa đạt.",
     "Optional. tốt/khá/đạt/chưa đạt (good/fair/pass/fail).", IT_GRADE, 0, 0, 0, grade_choices,
     NULL, NULL, 0},
    {"topics_completed", "Số chuyên đề đã học", "Topics completed",
     "Không bắt buộc. Số chuyên đề học tập cộng đồng đã hoàn thành trong năm, từ 0 đến 100.",
     "Optional. Community learning topics completed in the year, 0 to 100.", IT_INT, 0, 0, 100,
     NULL, NULL, NULL, 0},
};

static const intake_col clans_cols[] = {
    {"clan_code", "Mã dòng họ", "Clan code",
     "Bắt buộc. Mã dòng họ, duy nhất trong tỉnh (ví dụ DH000001).",
     "Required. The clan's code, unique in the province (e.g. DH000001).", IT_CODE, 1, 0, 0, NULL,
     NULL, NULL, 0},
    {"name", "Tên dòng họ", "Clan name", "Bắt buộc. Tên dòng họ (ví dụ Dòng họ Nguyễn).",
     "Required. The clan's name.", IT_NAME, 1, 0, 0, NULL, NULL, NULL, 0},
    {"village_code", "Mã thôn/tổ dân phố", "Village code",
     "Bắt buộc. Mã thôn hoặc tổ dân phố nơi dòng họ sinh hoạt.",
     "Required. The code of the village where the clan gathers.", IT_CODE, 1, 0, 0, NULL, NULL,
     NULL, 0},
};

static const intake_col units_cols[] = {
    {"unit_code", "Mã đơn vị", "Unit code",
     "Bắt buộc. Mã đơn vị học tập (cơ quan, trường học, doanh nghiệp...), duy nhất trong tỉnh.",
     "Required. The learning unit's code, unique in the province.", IT_CODE, 1, 0, 0, NULL, NULL,
     NULL, 0},
    {"name", "Tên đơn vị", "Unit name", "Bắt buộc. Tên đầy đủ của đơn vị.",
     "Required. The unit's full name.", IT_NAME, 1, 0, 0, NULL, NULL, NULL, 0},
    {"kind", "Loại đơn vị", "Kind",
     "Bắt buộc. Cơ quan, Trường học, Doanh nghiệp, Hợp tác xã hoặc Đơn vị sự nghiệp.",
     "Required. Cơ quan (agency), Trường học (school), Doanh nghiệp (enterprise), Hợp tác xã "
     "(cooperative) or Đơn vị sự nghiệp (public-service unit).",
     IT_ORG_KIND, 1, 0, 0, org_kind_choices, NULL, NULL, 0},
    {"admin_code", "Mã xã/phường quản lý", "Managing unit code",
     "Bắt buộc. Mã xã, phường (hoặc tỉnh, thành phố) quản lý đơn vị.",
     "Required. The code of the commune (or province) that manages the unit.", IT_CODE, 1, 0, 0,
     NULL, NULL, NULL, 0},
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
     0, NULL, NULL, NULL, 0},
    {"year", "Năm", "Year", "Bắt buộc. Năm đánh giá.", "Required. The year assessed.", IT_YEAR, 1,
     0, 0, NULL, NULL, NULL, 0},
    {"registered", "Đăng ký", "Registered", REGISTERED_VI, REGISTERED_EN, IT_REGISTERED, 0, 0, 0,
     yesno_choices, NULL, NULL, 0},
};

static const intake_col assess_person_cols[] = {
    {"citizen_id", "Số CCCD", "Citizen ID",
     "Số căn cước công dân 12 chữ số. Người chưa có số CCCD: để trống và ghi mã hộ, họ tên, năm "
     "sinh.",
     "The 12-digit citizen ID. For a person without one, leave it blank and give the household "
     "code, full name and birth year.",
     IT_CITIZEN_ID, 0, 0, 0, NULL, NULL, NULL, 0},
    {"household_code", "Mã hộ", "Household code", "Cần khi không có số CCCD.",
     "Needed when there is no citizen ID.", IT_CODE, 0, 0, 0, NULL, NULL, NULL, 0},
    {"full_name", "Họ và tên", "Full name", "Cần khi không có số CCCD.",
     "Needed when there is no citizen ID.", IT_NAME, 0, 0, 0, NULL, NULL, NULL, 0},
    {"birth_year", "Năm sinh", "Birth year", "Cần khi không có số CCCD.",
     "Needed when there is no citizen ID.", IT_YEAR, 0, 0, 0, NULL, NULL, NULL, 0},
    {"year", "Năm", "Year", "Bắt buộc. Năm đánh giá.", "Required. The year assessed.", IT_YEAR, 1,
     0, 0, NULL, NULL, NULL, 0},
    {"registered", "Đăng ký", "Registered", REGISTERED_VI, REGISTERED_EN, IT_REGISTERED, 0, 0, 0,
     yesno_choices, NULL, NULL, 0},
    {"group", "Nhóm phiếu", "Form group",
     "Nhóm phiếu đánh giá 1 đến 4 (theo độ tuổi và nghề nghiệp, xem tiêu chí).",
     "The form group, 1 to 4 (by age and occupation; see the criteria).", IT_INT, 0, 1, 4,
     group_choices, NULL, NULL, 0},
};

/* ------------------------------------------------------------ fund kinds */

static const char *const donor_kind_keys[] = {"person",       "family",    "clan", "enterprise",
                                              "organisation", "anonymous", NULL};
static const char *const donor_kind_choices[] = {"cá nhân", "gia đình", "dòng họ", "doanh nghiệp",
                                                 "tổ chức", "ẩn danh",  NULL};
static const char *const method_choices[] = {"tiền mặt", "chuyển khoản", NULL};
static const char *const circumstance_choices[] = {
    "hộ nghèo",         "hộ cận nghèo",       "mồ côi", "khuyết tật",
    "dân tộc thiểu số", "hoàn cảnh khó khăn", NULL};
static const char *const achievement_choices[] = {"học sinh giỏi", "học sinh khá", "giải cấp tỉnh",
                                                  "giải quốc gia", "giải quốc tế", NULL};

/* Other headers officers' own lists use (folded: no diacritics, lower case). */
static const char *const donor_name_aliases[] = {"ho va ten",    "ho ten",        "ten",
                                                 "nguoi ung ho", "don vi ung ho", NULL};
static const char *const donation_donor_aliases[] = {
    "ten nha hao tam", "nguoi ung ho", "don vi ung ho", "ho ten nguoi ung ho", "donor name", NULL};
static const char *const fund_aliases[] = {"quy", "fund", NULL};
static const char *const date_aliases[] = {"ngay", "ngay ung ho", "ngay nop", NULL};
static const char *const amount_aliases[] = {"so tien", "so tien (vnd)", "so tien ung ho",
                                             "so tien (d)", NULL};
static const char *const receipt_aliases[] = {"so phieu",   "so bien lai", "so chung tu",
                                              "receipt no", "receipt no.", NULL};
static const char *const method_aliases[] = {"hinh thuc nop", "hinh thuc ung ho", NULL};
static const char *const unit_aliases[] = {"ma thon/xa", "ma don vi hanh chinh", NULL};
static const char *const grade_aliases[] = {"lop hoc", NULL};

static const intake_col donors_cols[] = {
    {"donor_code", "Mã nhà hảo tâm", "Donor code",
     "Không bắt buộc. Mã riêng của nhà hảo tâm, duy nhất trong tỉnh (ví dụ NHT-0001). Có mã: "
     "nhập lại tệp sẽ cập nhật đúng nhà hảo tâm này. Không có mã: chỉ dòng giống hệt (loại, tên, "
     "địa chỉ, điện thoại) mới được coi là cùng một nhà hảo tâm.",
     "Optional. The donor's own code, unique in the province (e.g. NHT-0001); a donor with this "
     "code is updated. Without a code only an identical row (kind, name, address, phone) is the "
     "same donor.",
     IT_CODE, 0, 0, 0, NULL, NULL, NULL, 0},
    {"kind", "Loại nhà hảo tâm", "Donor kind",
     "Không bắt buộc (để trống là cá nhân). Cá nhân, gia đình, dòng họ, doanh nghiệp, tổ chức "
     "hoặc ẩn danh.",
     "Optional (blank: a person). cá nhân (person), gia đình (family), dòng họ (clan), doanh "
     "nghiệp (enterprise), tổ chức (organisation) or ẩn danh (anonymous).",
     IT_DONOR_KIND, 0, 0, 0, donor_kind_choices, NULL, NULL, 0},
    {"name", "Tên nhà hảo tâm", "Donor name",
     "Bắt buộc, trừ nhà hảo tâm ẩn danh (để trống). Họ tên người, tên gia đình, dòng họ, doanh "
     "nghiệp hoặc tổ chức.",
     "Required, except for an anonymous donor (leave it empty). The name of the person, family, "
     "clan, enterprise or organisation.",
     IT_NAME, 1, 0, 0, NULL, NULL, donor_name_aliases, 0},
    {"address", "Địa chỉ", "Address", "Không bắt buộc. Địa chỉ liên hệ.", "Optional. The address.",
     IT_TEXT, 0, 0, 0, NULL, NULL, NULL, 0},
    {"phone", "Số điện thoại", "Phone",
     "Không bắt buộc. Số điện thoại, 8 đến 15 chữ số (định dạng cột là văn bản để giữ số 0 ở "
     "đầu).",
     "Optional. The telephone number, 8 to 15 digits.", IT_PHONE, 0, 0, 0, NULL, NULL, NULL, 0},
};

static const intake_col donations_cols[] = {
    {"fund_code", "Mã quỹ", "Fund code",
     "Bắt buộc. Mã quỹ nhận tiền (ví dụ KH-31); quỹ phải thuộc địa bàn của bạn và chưa khóa sổ "
     "đến ngày thu.",
     "Required. The code of the fund receiving the money (e.g. KH-31), in your area, its books "
     "not closed through the date.",
     IT_CODE, 1, 0, 0, NULL, NULL, fund_aliases, 0},
    {"date", "Ngày thu", "Date",
     "Bắt buộc. Ngày nhận tiền, ngày/tháng/năm (ví dụ 15/09/2025), không sau hôm nay.",
     "Required. The day the money came in, DD/MM/YYYY or YYYY-MM-DD, not after today.", IT_DATE, 1,
     0, 0, NULL, NULL, date_aliases, 0},
    {"amount", "Số tiền (đồng)", "Amount",
     "Bắt buộc. Số đồng nguyên lớn hơn 0: 1500000, 1.500.000 hoặc 1.500.000 đ; không có phần "
     "lẻ.",
     "Required. Whole đồng above 0: 1500000, 1.500.000 or 1,500,000 đ; no fractions.", IT_AMOUNT, 1,
     0, 0, NULL, NULL, amount_aliases, 0},
    {"receipt_number", "Số phiếu thu", "Receipt number",
     "Bắt buộc. Số phiếu thu, không trùng trong một quỹ (ví dụ PT-2025-0001). Dòng có số phiếu "
     "đã ghi sổ thì không ghi thu lần thứ hai.",
     "Required. The receipt number, unique within the fund (e.g. PT-2025-0001); a row whose "
     "receipt is in the books already is not posted again.",
     IT_TEXT, 1, 0, 0, NULL, NULL, receipt_aliases, 0},
    {"donor_code", "Mã nhà hảo tâm", "Donor code",
     "Không bắt buộc. Mã của nhà hảo tâm đã có trong danh sách (nhập danh sách nhà hảo tâm "
     "trước).",
     "Optional. The code of a donor in the list (import the donors first).", IT_CODE, 0, 0, 0, NULL,
     NULL, NULL, 0},
    {"donor_name", "Nhà hảo tâm", "Donor",
     "Không bắt buộc. Khi không có mã: tên nhà hảo tâm; trùng tên với đúng một nhà hảo tâm đã có "
     "thì ghi cho người đó, chưa có thì thêm mới. Để trống hoặc ghi «ẩn danh»: khoản thu không "
     "ghi tên.",
     "Optional. Without a code: the donor's name; the one donor of that name, or a new donor "
     "when there is none. Blank or «ẩn danh» (anonymous): no donor is named.",
     IT_NAME, 0, 0, 0, NULL, NULL, donation_donor_aliases, 0},
    {"campaign", "Đợt vận động", "Campaign", "Không bắt buộc. Ví dụ: Tháng Khuyến học 2025.",
     "Optional. E.g. Tháng Khuyến học 2025.", IT_TEXT, 0, 0, 0, NULL, NULL, NULL, 0},
    {"purpose", "Mục đích", "Purpose", "Không bắt buộc. Khoản tiền dùng vào việc gì.",
     "Optional. What the money is for.", IT_TEXT, 0, 0, 0, NULL, NULL, NULL, 0},
    {"method", "Hình thức", "Method",
     "Không bắt buộc (để trống là tiền mặt). Tiền mặt hoặc chuyển khoản.",
     "Optional (blank: cash). tiền mặt (cash) or chuyển khoản (bank transfer).", IT_METHOD, 0, 0, 0,
     method_choices, NULL, method_aliases, 0},
};

static const intake_col beneficiaries_cols[] = {
    {"citizen_id", "Số CCCD", "Citizen ID",
     "Không bắt buộc. Số căn cước 12 chữ số của người nhận có trong sổ đăng ký. Người chưa có "
     "số: ghi mã hộ; học sinh không có trong sổ: ghi mã đơn vị.",
     "Optional. The 12-digit citizen ID of a person of the registry. Without one: the household "
     "code; a student not in the registry: the unit code.",
     IT_CITIZEN_ID, 0, 0, 0, NULL, NULL, NULL, 0},
    {"household_code", "Mã hộ", "Household code",
     "Không bắt buộc. Mã hộ của người nhận có trong sổ đăng ký (khi không có số CCCD).",
     "Optional. The household of a person of the registry (without a citizen ID).", IT_CODE, 0, 0,
     0, NULL, NULL, NULL, 0},
    {"full_name", "Họ và tên", "Full name",
     "Bắt buộc. Họ và tên người nhận; người có trong sổ đăng ký: như trong sổ.",
     "Required. The full name; for a person of the registry, as the registry has it.", IT_NAME, 1,
     0, 0, NULL, NULL, NULL, 0},
    {"birth_year", "Năm sinh", "Birth year",
     "Năm sinh, 4 chữ số. Cần khi tìm người trong sổ theo mã hộ và họ tên; học sinh không có "
     "trong sổ: để trống nếu không rõ.",
     "The year of birth, 4 digits; needed to find a member of a household by name, blank when "
     "not known for a student not in the registry.",
     IT_YEAR, 0, 0, 0, NULL, NULL, NULL, 0},
    {"unit_code", "Mã đơn vị", "Unit code",
     "Bắt buộc với học sinh không có trong sổ đăng ký: mã thôn, xã hoặc phường nơi ở. Người có "
     "trong sổ: để trống là thôn của hộ.",
     "Required for a student not in the registry: the code of the village or commune. For a "
     "person of the registry: blank is the household's village.",
     IT_CODE, 0, 0, 0, NULL, NULL, unit_aliases, 0},
    {"school", "Trường", "School", "Không bắt buộc. Trường đang học.", "Optional. The school.",
     IT_TEXT, 0, 0, 0, NULL, NULL, NULL, 0},
    {"grade", "Lớp", "Grade", "Không bắt buộc. Lớp đang học (ví dụ 8A).",
     "Optional. The class (e.g. 8A).", IT_TEXT, 0, 0, 0, NULL, NULL, grade_aliases, 0},
    {"circumstances", "Hoàn cảnh", "Circumstances",
     "Không bắt buộc. Một hoặc nhiều, cách nhau bởi dấu phẩy: hộ nghèo, hộ cận nghèo, mồ côi, "
     "khuyết tật, dân tộc thiểu số, hoàn cảnh khó khăn.",
     "Optional. One or more, separated by commas: hộ nghèo (poor), hộ cận nghèo (near-poor), mồ "
     "côi (orphan), khuyết tật (disability), dân tộc thiểu số (ethnic-minority), hoàn cảnh khó "
     "khăn (difficult).",
     IT_TAGS, 0, INTAKE_TAGS_CIRCUMSTANCES, 0, circumstance_choices, NULL, NULL, 1},
    {"achievements", "Thành tích", "Achievements",
     "Không bắt buộc. Một hoặc nhiều, cách nhau bởi dấu phẩy: học sinh giỏi, học sinh khá, giải "
     "cấp tỉnh, giải quốc gia, giải quốc tế.",
     "Optional. One or more, separated by commas: học sinh giỏi (excellent), học sinh khá (good), "
     "giải cấp tỉnh (provincial-prize), giải quốc gia (national-prize), giải quốc tế "
     "(international-prize).",
     IT_TAGS, 0, INTAKE_TAGS_ACHIEVEMENTS, 0, achievement_choices, NULL, NULL, 1},
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
    case INTAKE_DONORS: *cols = donors_cols, *n = COUNT(donors_cols); return;
    case INTAKE_DONATIONS: *cols = donations_cols, *n = COUNT(donations_cols); return;
    case INTAKE_BENEFICIARIES: *cols = beneficiaries_cols, *n = COUNT(beneficiaries_cols); return;
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
  for (int i = 0; c->aliases && c->aliases[i]; i++)
    if (!strcmp(c->aliases[i], folded)) return 1;
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

/* ------------------------------------------------------ fund cell values */

/* Skips a thousands separator or a space at p (ASCII, or a no-break or
 * narrow no-break space as spreadsheets write them); its length, or 0. */
static size_t space_len(const char *p) {
  if (*p == ' ') return 1;
  if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0) return 2;
  if ((unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0xAF)
    return 3;
  return 0;
}

int intake_parse_amount(const char *s, int64_t *out) {
  char digits[64];
  size_t nd = 0;
  const char *p = s;
  while (space_len(p)) p += space_len(p);
  int negative = *p == '-';
  if (negative) p++;
  /* the first group, then groups of exactly three after one separator */
  char sep = 0;
  size_t group = 0;
  for (;;) {
    if (isdigit((unsigned char)*p)) {
      if (nd + 1 >= sizeof digits) return INTAKE_AMOUNT_TOO_LARGE;
      digits[nd++] = *p++;
      group++;
      continue;
    }
    size_t sl = space_len(p);
    char here = sl ? ' ' : (*p == '.' || *p == ',') ? *p : 0;
    size_t len = sl ? sl : 1;
    /* a separator of thousands: three digits follow, then no fourth */
    if (here && nd && (!sep || here == sep) && (sep || group <= 3) && (!sep || group == 3) &&
        isdigit((unsigned char)p[len]) && isdigit((unsigned char)p[len + 1]) &&
        isdigit((unsigned char)p[len + 2]) && !isdigit((unsigned char)p[len + 3])) {
      sep = here;
      group = 0;
      p += len;
      continue;
    }
    break;
  }
  if (!nd) return INTAKE_AMOUNT_BAD;
  if (sep && group != 3) return INTAKE_AMOUNT_BAD;
  /* a decimal part of one or two digits after the other separator (three
   * would read as a group of thousands: "1500,000" is refused, not 1500) */
  int fraction = 0;
  if ((*p == '.' || *p == ',') && *p != sep && isdigit((unsigned char)p[1])) {
    p++;
    int n = 0;
    for (; isdigit((unsigned char)*p); n++) fraction |= *p++ != '0';
    if (n > 2) return INTAKE_AMOUNT_BAD;
  }
  while (space_len(p)) p += space_len(p);
  static const char *const units[] = {"đồng", "đ", "₫", "vnđ", "vnd", "dong", "d", NULL};
  for (int i = 0; units[i]; i++)
    if (!strcasecmp(p, units[i]) || !strcmp(p, "VNĐ") || !strcmp(p, "Đ")) {
      p += strlen(p);
      break;
    }
  if (*p) return INTAKE_AMOUNT_BAD;
  if (fraction) return INTAKE_AMOUNT_FRACTION;
  digits[nd] = '\0';
  const char *d = digits;
  while (*d == '0' && d[1]) d++;
  if (strlen(d) > 16) return INTAKE_AMOUNT_TOO_LARGE;
  int64_t v = strtoll(d, NULL, 10);
  if (negative || v <= 0) return INTAKE_AMOUNT_NOT_POSITIVE;
  if (v > FUND_MAX_AMOUNT) return INTAKE_AMOUNT_TOO_LARGE;
  *out = v;
  return INTAKE_AMOUNT_OK;
}

/* The key whose folded words (or the key itself) equal folded; NULL. */
typedef struct word_key {
  const char *folded, *key;
} word_key;

static const char *word_lookup(const word_key *w, const char *folded) {
  for (; w->folded; w++)
    if (!strcmp(w->folded, folded)) return w->key;
  return NULL;
}

static const word_key donor_kind_words[] = {{"ca nhan", "person"},
                                            {"person", "person"},
                                            {"gia dinh", "family"},
                                            {"ho gia dinh", "family"},
                                            {"family", "family"},
                                            {"dong ho", "clan"},
                                            {"ho", "clan"},
                                            {"clan", "clan"},
                                            {"doanh nghiep", "enterprise"},
                                            {"cong ty", "enterprise"},
                                            {"enterprise", "enterprise"},
                                            {"to chuc", "organisation"},
                                            {"co quan", "organisation"},
                                            {"organisation", "organisation"},
                                            {"organization", "organisation"},
                                            {"an danh", "anonymous"},
                                            {"anonymous", "anonymous"},
                                            {NULL, NULL}};

int intake_parse_donor_kind(const char *s, const char **out) {
  char f[64];
  const char *k = word_lookup(donor_kind_words, fold(s, f, sizeof f));
  if (!k) return HT_EINVAL;
  *out = k;
  return HT_OK;
}

const char *intake_donor_kind_label(const char *key) {
  for (int i = 0; donor_kind_keys[i]; i++)
    if (!strcmp(key, donor_kind_keys[i])) return donor_kind_choices[i];
  return key;
}

static const word_key method_words[] = {
    {"tien mat", "cash"}, {"tm", "cash"},        {"cash", "cash"}, {"chuyen khoan", "bank"},
    {"ck", "bank"},       {"ngan hang", "bank"}, {"bank", "bank"}, {"bank transfer", "bank"},
    {"transfer", "bank"}, {NULL, NULL}};

int intake_parse_method(const char *s, const char **out) {
  char f[64];
  const char *k = word_lookup(method_words, fold(s, f, sizeof f));
  if (!k) return HT_EINVAL;
  *out = k;
  return HT_OK;
}

const char *intake_method_label(const char *key) {
  return !strcmp(key, "bank") ? method_choices[1] : !strcmp(key, "cash") ? method_choices[0] : key;
}

int intake_is_anonymous_name(const char *s) {
  static const char *const words[] = {"an danh",   "anonymous",           "khong ghi ten",
                                      "khong ten", "nha hao tam an danh", NULL};
  char f[64];
  fold(s, f, sizeof f);
  for (int i = 0; words[i]; i++)
    if (!strcmp(f, words[i])) return 1;
  return 0;
}

int intake_check_phone(const char *s) {
  int digits = 0;
  for (const char *p = s; *p; p++) {
    if (isdigit((unsigned char)*p))
      digits++;
    else if (*p == '+' ? p != s : !strchr(" .-()", *p))
      return 1;
  }
  return digits >= 8 && digits <= 15 ? 0 : 1;
}

/* The keys, in the ledger's order (model/fund.c), and the words for them. */
static const char *const circumstance_keys[] = {
    "poor", "near-poor", "orphan", "disability", "ethnic-minority", "difficult", NULL};
static const char *const achievement_keys[] = {
    "excellent", "good", "provincial-prize", "national-prize", "international-prize", NULL};

static const word_key circumstance_words[] = {{"ho ngheo", "poor"},
                                              {"ngheo", "poor"},
                                              {"poor", "poor"},
                                              {"ho can ngheo", "near-poor"},
                                              {"can ngheo", "near-poor"},
                                              {"near-poor", "near-poor"},
                                              {"near poor", "near-poor"},
                                              {"mo coi", "orphan"},
                                              {"orphan", "orphan"},
                                              {"khuyet tat", "disability"},
                                              {"disability", "disability"},
                                              {"disabled", "disability"},
                                              {"dan toc thieu so", "ethnic-minority"},
                                              {"nguoi dan toc thieu so", "ethnic-minority"},
                                              {"ethnic-minority", "ethnic-minority"},
                                              {"ethnic minority", "ethnic-minority"},
                                              {"hoan canh kho khan", "difficult"},
                                              {"kho khan", "difficult"},
                                              {"hoan canh dac biet kho khan", "difficult"},
                                              {"difficult", "difficult"},
                                              {NULL, NULL}};

static const word_key achievement_words[] = {{"hoc sinh gioi", "excellent"},
                                             {"gioi", "excellent"},
                                             {"hoc sinh xuat sac", "excellent"},
                                             {"xuat sac", "excellent"},
                                             {"excellent", "excellent"},
                                             {"hoc sinh kha", "good"},
                                             {"kha", "good"},
                                             {"good", "good"},
                                             {"giai cap tinh", "provincial-prize"},
                                             {"giai tinh", "provincial-prize"},
                                             {"giai cap thanh pho", "provincial-prize"},
                                             {"giai thanh pho", "provincial-prize"},
                                             {"provincial-prize", "provincial-prize"},
                                             {"provincial prize", "provincial-prize"},
                                             {"giai quoc gia", "national-prize"},
                                             {"giai cap quoc gia", "national-prize"},
                                             {"national-prize", "national-prize"},
                                             {"national prize", "national-prize"},
                                             {"giai quoc te", "international-prize"},
                                             {"international-prize", "international-prize"},
                                             {"international prize", "international-prize"},
                                             {NULL, NULL}};

int intake_parse_tags(intake_tags which, const char *s, arena *a, const char **keys,
                      const char **bad) {
  const word_key *words =
      which == INTAKE_TAGS_ACHIEVEMENTS ? achievement_words : circumstance_words;
  const char *const *order =
      which == INTAKE_TAGS_ACHIEVEMENTS ? achievement_keys : circumstance_keys;
  int have[8] = {0};
  while (*s) {
    size_t n = strcspn(s, ",;|+\n\r");
    char *word = arena_strndup(a, s, n);
    s += n;
    if (*s) s++;
    char f[96];
    fold(word, f, sizeof f);
    if (!*f) continue;
    const char *k = word_lookup(words, f);
    if (!k) {
      char *w = NULL;
      if (vt_clean(word, &w) == HT_OK) {
        *bad = arena_strdup(a, w);
        free(w);
      } else {
        *bad = word;
      }
      return HT_EINVAL;
    }
    for (int i = 0; order[i]; i++)
      if (!strcmp(order[i], k)) have[i] = 1;
  }
  size_t len = 1;
  for (int i = 0; order[i]; i++) len += have[i] ? strlen(order[i]) + 1 : 0;
  char *out = arena_alloc(a, len), *p = out;
  *p = '\0';
  for (int i = 0; order[i]; i++)
    if (have[i]) p += sprintf(p, "%s%s", p == out ? "" : "|", order[i]);
  *keys = out;
  return HT_OK;
}

const char *intake_tags_label(intake_tags which, const char *keys, arena *a) {
  const char *const *order =
      which == INTAKE_TAGS_ACHIEVEMENTS ? achievement_keys : circumstance_keys;
  const char *const *labels =
      which == INTAKE_TAGS_ACHIEVEMENTS ? achievement_choices : circumstance_choices;
  size_t len = 1;
  for (int i = 0; order[i]; i++) len += strlen(labels[i]) + 2;
  len += strlen(keys) + 2; /* keys the vocabulary does not have are kept as they are */
  char *out = arena_alloc(a, len), *p = out;
  *p = '\0';
  while (*keys) {
    size_t n = strcspn(keys, "|");
    const char *label = NULL;
    for (int i = 0; order[i] && !label; i++)
      if (strlen(order[i]) == n && !strncmp(order[i], keys, n)) label = labels[i];
    p += sprintf(p, "%s%.*s", p == out ? "" : ", ", label ? (int)strlen(label) : (int)n,
                 label ? label : keys);
    keys += n;
    if (*keys) keys++;
  }
  return out;
}

const char *intake_tags_words(intake_tags which) {
  return which == INTAKE_TAGS_ACHIEVEMENTS
             ? "học sinh giỏi, học sinh khá, giải cấp tỉnh, giải quốc gia, giải quốc tế"
             : "hộ nghèo, hộ cận nghèo, mồ côi, khuyết tật, dân tộc thiểu số, hoàn cảnh khó khăn";
}
