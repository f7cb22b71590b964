/*
 * demo.c - the seeded demo-data generator (see demo.h).
 *
 * The build runs in passes, each writing its rows as it goes through
 * statements prepared once and reused for every row:
 *   1. the hierarchy in memory (build_hierarchy): districts and communes from
 *      2020, the 2025-01-01 mergers in Hải Phòng, the 2025-07-01 groups of
 *      old communes that become the 114 new ones, villages; then its rows
 *      (write_units, write_changes);
 *   2. clans of the rural villages (gen_clans);
 *   3. households village by village, each with its members and their
 *      facts for 2022-2025 (gen_households: the bulk, ~19 rows a household),
 *      and the yearly records of the household and of its members who are
 *      not working-age adults;
 *   4. organisations commune by commune, with members drawn from the
 *      commune's working-age adults collected in pass 3 (gen_orgs);
 *   5. the records of those adults, now that their organisations are known
 *      (gen_adult_records), then of clans, villages, organisations and
 *      units (gen_other_records).
 * The registry's randomness comes from one xoshiro256** stream seeded from
 * the seed and drawn in a fixed order; the records draw from a second stream
 * (rec_rng), so they do not change the registry of a seed. Nothing random
 * depends on a generated id, so two builds with the same seed and size
 * differ only in their ids. The hierarchy is drawn first, so it depends on
 * the seed only.
 *
 * Errors while writing are sticky: the first failing bind or step is kept in
 * demo_ctx.rc and every later write becomes a no-op, so the generators stay
 * straight-line code and demo_build reports the first failure.
 */
#include "services/demo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/strbuf.h"
#include "base/vtext.h"
#include "criteria/crit_defaults.h"
#include "model/hier.h"
#include "model/records.h"
#include "store/migrate.h"

#define DEMO_PROV 31
#define DEMO_TX_ROWS 50000 /* rows per transaction */
#define DEMO_MAX_HOUSEHOLDS 9999999L
#define DEMO_HP_MERGED 50 /* Hải Phòng communes absorbed on 2025-01-01 (217 -> 167) */
#define DEMO_NEW_PHUONG 45
#define DEMO_NEW_XA 67
#define DEMO_NEW_COMMUNES 114 /* 45 phường + 67 xã + 2 đặc khu */
/* New xã in especially difficult areas (with Đặc khu Bạch Long Vĩ, ~5% of 114). */
#define DEMO_NEW_DIFFICULT 5
#define DEMO_FIRST_YEAR 2022
#define DEMO_LAST_YEAR 2025
#define DEMO_YEARS (DEMO_LAST_YEAR - DEMO_FIRST_YEAR + 1)
#define DEMO_MAX_MEMBERS 7

static const char DAY_START[] = "2020-01-01";
static const char DAY_BEFORE_MERGE[] = "2024-12-31";
static const char DAY_MERGE[] = "2025-01-01";
static const char DAY_BEFORE_REFORM[] = "2025-06-30";
static const char DAY_REFORM[] = "2025-07-01";

/* ---------------------------------------------------------------- PRNG */

/* xoshiro256** seeded through splitmix64 (Blackman and Vigna). */
typedef struct demo_rng {
  uint64_t s[4];
} demo_rng;

static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static void rng_seed(demo_rng *r, uint64_t seed) {
  uint64_t x = seed;
  for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(demo_rng *r) {
  uint64_t *s = r->s;
  uint64_t result = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

/* Uniform in [0, n) by multiply-shift; the bias (n / 2^32) is irrelevant here. */
static uint32_t rng_below(demo_rng *r, uint32_t n) {
  return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static int rng_range(demo_rng *r, int lo, int hi) { /* inclusive */
  return lo + (int)rng_below(r, (uint32_t)(hi - lo + 1));
}

static double rng_unit(demo_rng *r) {
  return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

static int rng_chance(demo_rng *r, double p) {
  return rng_unit(r) < p;
}

static int rng_weighted(demo_rng *r, const unsigned *w, int n) {
  unsigned total = 0;
  for (int i = 0; i < n; i++) total += w[i];
  unsigned x = rng_below(r, total);
  for (int i = 0; i < n; i++) {
    if (x < w[i]) return i;
    x -= w[i];
  }
  return n - 1;
}

static void shuffle_ints(demo_rng *r, int *a, int n) {
  for (int i = n - 1; i > 0; i--) {
    int j = (int)rng_below(r, (uint32_t)i + 1);
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

/* ---------------------------------------------------------------- words */

/* Family names with weights per 1000 (Nguyễn ~38%, as in national surveys). */
static const struct {
  const char *text;
  unsigned weight;
} family_names[] = {
    {"Nguyễn", 380}, {"Trần", 110}, {"Lê", 95},    {"Phạm", 70}, {"Hoàng", 45}, {"Vũ", 45},
    {"Phan", 40},    {"Đặng", 21},  {"Bùi", 20},   {"Đỗ", 15},   {"Ngô", 13},   {"Huỳnh", 10},
    {"Võ", 10},      {"Hồ", 10},    {"Dương", 10}, {"Đinh", 10}, {"Đào", 10},   {"Lý", 5},
    {"Mai", 5},      {"Trịnh", 5},  {"Lương", 5},  {"Cao", 5},   {"Đoàn", 5},   {"Hà", 5},
    {"Lưu", 3},      {"Tạ", 3},     {"Tô", 3},     {"Chu", 3},   {"Vương", 2},  {"Quách", 2},
};

/* Index 0 is the traditional middle name (Văn, Thị), commoner in older cohorts. */
static const char *const middle_male[] = {
    "Văn", "Hữu",  "Đức",  "Minh", "Quang", "Công",  "Thành", "Xuân", "Trọng", "Ngọc", "Anh",
    "Gia", "Tuấn", "Mạnh", "Đình", "Tiến",  "Hoàng", "Bảo",   "Duy",  "Thế",   "Quốc",
};
static const char *const middle_female[] = {
    "Thị",   "Ngọc", "Thu", "Thanh", "Minh",  "Phương", "Kim",  "Hồng", "Thùy", "Mai",   "Bảo",
    "Khánh", "Diệu", "Hải", "Lan",   "Quỳnh", "Mỹ",     "Thảo", "Hoài", "Bích", "Tuyết",
};
static const char *const given_male[] = {
    "An",    "Bình",  "Cường", "Dũng", "Đạt",  "Đức",   "Hải",   "Hiếu", "Hoàng",
    "Hùng",  "Huy",   "Khánh", "Khoa", "Kiên", "Long",  "Minh",  "Nam",  "Nghĩa",
    "Phong", "Phúc",  "Quang", "Quân", "Sơn",  "Thắng", "Thành", "Tiến", "Toàn",
    "Trung", "Tuấn",  "Tùng",  "Việt", "Vinh", "Bảo",   "Duy",   "Hưng", "Lâm",
    "Lộc",   "Thịnh", "Tài",   "Hậu",  "Khải", "Đông",  "Thái",  "Hòa",  "Tân",
};
static const char *const given_female[] = {
    "An",    "Anh",   "Chi",    "Dung",  "Giang", "Hà",   "Hạnh", "Hằng", "Hiền", "Hoa",
    "Hương", "Huyền", "Lan",    "Liên",  "Linh",  "Loan", "Mai",  "Nga",  "Ngân", "Ngọc",
    "Nhung", "Oanh",  "Phương", "Quyên", "Quỳnh", "Tâm",  "Thảo", "Thu",  "Thủy", "Trang",
    "Tuyết", "Uyên",  "Vân",    "Vy",    "Yến",   "Hồng", "Nhi",  "My",   "Huệ",  "Thơ",
};

/* Syllables of commune names: two distinct ones make a name ("An Hòa"). */
static const char *const place_syllables[] = {
    "An",    "Bình", "Hòa",   "Tân",  "Đông",  "Tây",   "Nam",  "Bắc",   "Thái",  "Vĩnh",
    "Hưng",  "Phú",  "Quang", "Minh", "Thanh", "Hồng",  "Tiên", "Đại",   "Trung", "Hợp",
    "Đồng",  "Cao",  "Tam",   "Lạc",  "Thuận", "Hải",   "Gia",  "Quảng", "Lương", "Liên",
    "Hiệp",  "Kỳ",   "Đoàn",  "Tự",   "Chiến", "Cộng",  "Quốc", "Tuấn",  "Việt",  "Trường",
    "Long",  "Mỹ",   "Hoa",   "Ninh", "Đức",   "Kim",   "Lam",  "Phúc",  "Thịnh", "Lập",
    "Thắng", "Thủy", "Sơn",   "Khê",  "Hà",    "Thành", "Lợi",  "Phong", "Nghĩa", "Tiến",
    "Vinh",  "Xuân", "Yên",   "Lộc",  "Cẩm",   "Dũng",  "Bảo",  "Lĩnh",  "Khánh", "Hoàng",
};

static const char *const village_names[] = {
    "Đông",     "Tây",      "Nam",        "Bắc",      "Trung",   "Thượng",     "Hạ",
    "Đình",     "Chùa",     "Cầu",        "Chợ",      "Đồng",    "Bến",        "Gốc Gạo",
    "Đầm",      "Tiền",     "Hậu",        "Nội",      "Ngoại",   "An Lạc",     "Phú Xuân",
    "Đông Hải", "Tân Lập",  "Trại",       "Xóm Mới",  "Kênh",    "Dinh",       "Quán",
    "Đồng Tâm", "Hòa Bình", "Thống Nhất", "Đoàn Kết", "Tiến Bộ", "Quyết Tiến",
};

static const char *const famous_names[] = {
    "Lê Lợi",        "Chu Văn An",  "Trần Phú",   "Lê Quý Đôn", "Nguyễn Trãi", "Ngô Quyền",
    "Trần Hưng Đạo", "Lý Tự Trọng", "Võ Thị Sáu", "Kim Đồng",   "Nguyễn Du",   "Lê Hồng Phong",
    "Hoa Sen",       "Hoa Phượng",  "Sao Mai",    "Bình Minh",  "Họa Mi",      "Hoa Hồng",
};

static const char *const company_sectors[] = {
    "Thương mại",        "Xây dựng",  "Vận tải biển", "Dịch vụ",
    "Sản xuất",          "Thủy sản",  "May mặc",      "Cơ khí",
    "Điện tử",           "Thực phẩm", "Logistics",    "Du lịch",
    "Vật liệu xây dựng", "Nhựa",      "Đóng tàu",     "Thương mại và Dịch vụ",
};
static const char *const company_brands[] = {
    "Minh Phát",    "Hưng Thịnh", "Thành Đạt", "Phú Cường", "Đại Dương",  "Hoàng Long",
    "Việt Tiến",    "An Phát",    "Tân Phong", "Hải Đăng",  "Sao Mai",    "Bình Minh",
    "Trường Thịnh", "Quang Minh", "Đông Á",    "Nam Việt",  "Hồng Hà",    "Kim Long",
    "Phúc Lộc",     "Vạn Xuân",   "Hải Âu",    "Cát Tường", "Thăng Long", "Ánh Dương",
};
static const char *const coop_rural[] = {
    "Nông nghiệp", "Dịch vụ Nông nghiệp", "Thủy sản", "Rau an toàn", "Mây tre đan",
};
static const char *const coop_urban[] = {"Vận tải", "Thương mại Dịch vụ", "Môi trường"};

/* Organisations managed by a commune: bit i of commune.used_templates. */
static const char *const commune_agencies[] = {
    "Ủy ban nhân dân",    "Công an",         "Hội Nông dân", "Hội Liên hiệp Phụ nữ",
    "Hội Cựu chiến binh", "Đoàn Thanh niên",
};
static const char *const commune_public_units[] = {
    "Trạm Y tế",
    "Trung tâm Học tập cộng đồng",
    "Thư viện",
    "Nhà Văn hóa",
};
static const char *const school_levels[] = {"Trường Mầm non", "Trường Tiểu học", "Trường THCS"};
/* Organisations managed by a district: bit i of district.used_templates. */
static const char *const district_agencies[] = {
    "Phòng Giáo dục và Đào tạo",
    "Phòng Văn hóa và Thông tin",
    "Phòng Nội vụ",
    "Phòng Tư pháp",
    "Phòng Tài chính - Kế hoạch",
    "Phòng Lao động - Thương binh và Xã hội",
    "Phòng Tài nguyên và Môi trường",
    "Phòng Kinh tế",
};
static const char *const district_public_units[] = {
    "Trung tâm Y tế",
    "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên",
    "Trung tâm Văn hóa - Thể thao",
    "Ban Quản lý dự án đầu tư xây dựng",
};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define DEMO_MAX_WORDS 48 /* the longest of the middle and given name lists */
_Static_assert(COUNT(middle_male) <= DEMO_MAX_WORDS && COUNT(middle_female) <= DEMO_MAX_WORDS &&
                   COUNT(given_male) <= DEMO_MAX_WORDS && COUNT(given_female) <= DEMO_MAX_WORDS,
               "name lists longer than DEMO_MAX_WORDS");

/* The word a unit's name starts with, capitalised or as inside a sentence. */
static const struct {
  const char *kind, *word, *lower;
} kind_words[] = {
    {"tinh", "Tỉnh", "tỉnh"},
    {"thanh-pho-tw", "Thành phố", "thành phố"},
    {"quan", "Quận", "quận"},
    {"huyen", "Huyện", "huyện"},
    {"thi-xa", "Thị xã", "thị xã"},
    {"thanh-pho-tinh", "Thành phố", "thành phố"},
    {"xa", "Xã", "xã"},
    {"phuong", "Phường", "phường"},
    {"thi-tran", "Thị trấn", "thị trấn"},
    {"dac-khu", "Đặc khu", "đặc khu"},
    {"thon", "Thôn", "thôn"},
    {"to-dan-pho", "Tổ dân phố", "tổ dân phố"},
};

static const char *kind_word(const char *kind, int lower) {
  for (int i = 0; i < COUNT(kind_words); i++)
    if (!strcmp(kind_words[i].kind, kind)) return lower ? kind_words[i].lower : kind_words[i].word;
  return "";
}

/* Unit groups; the bit order is the sorted order of the keys. */
enum { G_DIFFICULT = 1, G_ISLAND = 2, G_RURAL = 4, G_URBAN = 8 };
static const char *const group_keys[] = {"difficult", "island", "rural", "urban"};

static void groups_text(int groups, char out[48]) {
  out[0] = '\0';
  for (int i = 0; i < 4; i++) {
    if (!(groups & (1 << i))) continue;
    if (out[0]) strcat(out, "|");
    strcat(out, group_keys[i]);
  }
}

/* ------------------------------------------------------------ hierarchy */

/* The classes of districts whose communes are grouped into new communes of
 * one kind on 2025-07-01: urban districts give phường, rural ones xã, the two
 * island districts become the special zones. */
enum { CLS_HP_URBAN, CLS_HP_RURAL, CLS_HD_URBAN, CLS_HD_RURAL, CLS_ISLAND, CLS_GROUPED = 4 };

/* Districts before the reform (domain README §3), with how many communes we
 * give each: Hải Phòng 217, Hải Dương 207. In urban districts the first
 * `wards` communes are phường; each huyện's first commune is its thị trấn. */
static const struct district_def {
  const char *code, *parent, *kind, *place;
  int communes, wards, cls, groups;
} district_defs[] = {
    {"303", "31", "quan", "Hồng Bàng", 9, 9, CLS_HP_URBAN, G_URBAN},
    {"304", "31", "quan", "Lê Chân", 15, 15, CLS_HP_URBAN, G_URBAN},
    {"305", "31", "quan", "Ngô Quyền", 12, 12, CLS_HP_URBAN, G_URBAN},
    {"306", "31", "quan", "Kiến An", 10, 10, CLS_HP_URBAN, G_URBAN},
    {"307", "31", "quan", "Hải An", 8, 8, CLS_HP_URBAN, G_URBAN},
    {"308", "31", "quan", "Đồ Sơn", 6, 6, CLS_HP_URBAN, G_URBAN},
    {"309", "31", "quan", "Dương Kinh", 6, 6, CLS_HP_URBAN, G_URBAN},
    {"310", "31", "huyen", "An Dương", 16, 0, CLS_HP_RURAL, G_RURAL},
    {"311", "31", "huyen", "An Lão", 17, 0, CLS_HP_RURAL, G_RURAL},
    {"312", "31", "huyen", "Bạch Long Vĩ", 1, 0, CLS_ISLAND, G_RURAL | G_ISLAND | G_DIFFICULT},
    {"313", "31", "huyen", "Cát Hải", 12, 0, CLS_ISLAND, G_RURAL | G_ISLAND},
    {"314", "31", "huyen", "Kiến Thụy", 18, 0, CLS_HP_RURAL, G_RURAL},
    {"315", "31", "huyen", "Tiên Lãng", 22, 0, CLS_HP_RURAL, G_RURAL},
    {"316", "31", "huyen", "Vĩnh Bảo", 30, 0, CLS_HP_RURAL, G_RURAL},
    {"317", "31", "huyen", "Thủy Nguyên", 35, 0, CLS_HP_RURAL, G_RURAL},
    {"288", "30", "thanh-pho-tinh", "Hải Dương", 21, 17, CLS_HD_URBAN, G_URBAN},
    {"289", "30", "thanh-pho-tinh", "Chí Linh", 19, 14, CLS_HD_URBAN, G_URBAN},
    {"290", "30", "thi-xa", "Kinh Môn", 23, 13, CLS_HD_URBAN, G_URBAN},
    {"291", "30", "huyen", "Bình Giang", 14, 0, CLS_HD_RURAL, G_RURAL},
    {"292", "30", "huyen", "Cẩm Giàng", 16, 0, CLS_HD_RURAL, G_RURAL},
    {"293", "30", "huyen", "Gia Lộc", 17, 0, CLS_HD_RURAL, G_RURAL},
    {"294", "30", "huyen", "Kim Thành", 17, 0, CLS_HD_RURAL, G_RURAL},
    {"295", "30", "huyen", "Nam Sách", 14, 0, CLS_HD_RURAL, G_RURAL},
    {"296", "30", "huyen", "Ninh Giang", 18, 0, CLS_HD_RURAL, G_RURAL},
    {"297", "30", "huyen", "Thanh Hà", 17, 0, CLS_HD_RURAL, G_RURAL},
    {"298", "30", "huyen", "Thanh Miện", 14, 0, CLS_HD_RURAL, G_RURAL},
    {"299", "30", "huyen", "Tứ Kỳ", 17, 0, CLS_HD_RURAL, G_RURAL},
};
#define DISTRICTS COUNT(district_defs)
#define MAX_DISTRICT_COMMUNES 64

typedef struct district {
  const struct district_def *def;
  int first_commune, ncommunes; /* range in demo_ctx.communes */
  int ngroups;                  /* new communes drawn from this district's survivors */
  int joins;                    /* district whose last group this one's first group joins, or -1 */
  int last_group;               /* index in demo_ctx.fresh of the last group made here */
  unsigned used_templates;      /* district_agencies (bits 0-7), district_public_units (8-11) */
  int high_schools;
} district;

typedef struct commune { /* a commune before the reform */
  char code[16];
  const char *place, *name; /* "An Hòa", "Xã An Hòa" (NFC) */
  const char *kind;
  int district, groups;
  int absorbed_by; /* commune that absorbed it on 2025-01-01, or -1 */
  int successor;   /* new commune (demo_ctx.fresh) from 2025-07-01 */
  int anchor;      /* first survivor of its new commune: its first organisation
                      stays commune-managed, so every new commune has one */
  int first_village, nvillages;
  long households;
  int64_t *adults; /* ids of working-age members (18-60 in 2022), for organisations */
  /* per adult: birth year - 1900 (bits 0-6), urban village (bit 7), member
   * of an organisation (bit 8) running a learning-citizen drive (bit 9);
   * their records wait until the organisations are known (gen_adult_records) */
  uint16_t *adult_info;
  size_t nadults, cap_adults;
  unsigned used_templates; /* commune_agencies (bits 0-5), commune_public_units (8-11) */
  int schools[3];
} commune;

enum { ADULT_URBAN = 1 << 7, ADULT_STAFF = 1 << 8, ADULT_DRIVE = 1 << 9 }; /* commune.adult_info */

typedef struct fresh_commune { /* a commune from 2025-07-01 */
  char code[16];
  const char *place, *kind;
  int groups;
  int campaign; /* its people are pushed to become learning citizens (records) */
} fresh_commune;

typedef struct village {
  char code[32];
  const char *name; /* "Thôn Đông", "Tổ dân phố 3" (NFC) */
  int urban;        /* tổ dân phố */
  int commune;
  double weight; /* relative number of households */
  long households;
  int first_clan, nclans;
} village;

typedef struct clan {
  int64_t id;
  int family; /* index in family_names */
} clan;

typedef struct word { /* a name part in stored form, with its search key */
  const char *text, *key;
} word;

typedef struct gen_title gen_title;
typedef struct citizen_profile {
  double registration, ability, spread; /* ability: mean and spread, 0..1 of each score's range */
} citizen_profile;

typedef struct member {
  int family, middle, given, female, birth_year;
} member;

typedef struct demo_ctx {
  db *d;
  const demo_options *o;
  ht_err *err;
  int64_t prov;    /* db_prov(d) once set: the partition of every row */
  int rc;          /* the first failure; later writes are no-ops */
  int err_set;     /* err already describes rc */
  long rows_in_tx; /* rows written since the last commit */
  long commits;    /* transactions committed so far */
  demo_rng rng;
  arena mem;
  /* [0] men, [1] women */
  word family[COUNT(family_names)], middle[2][DEMO_MAX_WORDS], given[2][DEMO_MAX_WORDS];
  int nmiddle[2], ngiven[2];
  unsigned family_weights[COUNT(family_names)];
  district districts[DISTRICTS];
  commune *communes;
  int ncommunes;
  fresh_commune fresh[DEMO_NEW_COMMUNES];
  int nfresh;
  village *villages;
  int nvillages;
  clan *clans;
  int nclans, cap_clans;
  const char **places; /* commune names in use, to keep them unique */
  int nplaces, cap_places;
  int cid_next[4][100]; /* last citizen-id serial per gender/century digit and birth year */
  int cid_step;
  long cid_missing; /* persons who should have had a citizen id but the serials ran out */
  db_stmt *st_unit, *st_change, *st_clan, *st_household, *st_place, *st_person, *st_year, *st_org,
      *st_org_place, *st_member, *st_record, *st_evidence;
  /* yearly records: their own random stream, the criteria, and per year and
   * kind of entity the titles in force (plan_records) */
  demo_rng rec_rng;
  crit_set crit;
  gen_title *plan[DEMO_YEARS][CRIT_ENTITY_COUNT];
  strbuf vals;
  const char *progress_what;
  int progress_pct, progress_len;
} demo_ctx;

/* ----------------------------------------------------------- utilities */

/* Largest-remainder apportionment of total over n weights, each share kept
 * within [lo, hi[i]] (hi NULL: no upper bound). Deterministic: ties go to
 * the lower index. The caller makes sure the bounds allow the total. O(n^2)
 * in the worst case; n is at most a few hundred. */
static void apportion(const double *w, int n, long total, long lo, const long *hi, long *out) {
  double sum = 0;
  for (int i = 0; i < n; i++) sum += w[i];
  long assigned = 0;
  for (int i = 0; i < n; i++) {
    double q = sum > 0 ? (double)total * w[i] / sum : 0;
    out[i] = (long)q;
    if (out[i] < lo) out[i] = lo;
    if (hi && out[i] > hi[i]) out[i] = hi[i];
    assigned += out[i];
  }
  while (assigned != total) {
    int best = -1;
    double best_rem = 0;
    for (int i = 0; i < n; i++) {
      double q = sum > 0 ? (double)total * w[i] / sum : 0;
      double rem = q - (double)out[i];
      if (assigned < total) {
        if (hi && out[i] >= hi[i]) continue;
        if (best < 0 || rem > best_rem) best = i, best_rem = rem;
      } else {
        if (out[i] <= lo) continue;
        if (best < 0 || rem < best_rem) best = i, best_rem = rem;
      }
    }
    if (best < 0) break; /* infeasible bounds: the caller checks the sum */
    out[best] += assigned < total ? 1 : -1;
    assigned += assigned < total ? 1 : -1;
  }
}

static int fail(demo_ctx *c, int code, const char *what) {
  if (c->rc == HT_OK) {
    c->rc = code;
    c->err_set = 1;
    ht_err_set(c->err, code, "%s", what);
  }
  return c->rc;
}

/* NFC copy of s in the arena (the stored form of every generated name). */
static const char *clean_text(demo_ctx *c, const char *s) {
  char *out = NULL;
  if (vt_clean(s, &out) != HT_OK) {
    fail(c, HT_EINVAL, "demo: a generated name is not valid UTF-8");
    return "";
  }
  const char *copy = arena_strdup(&c->mem, out);
  free(out);
  return copy;
}

/* Search key of s in the arena. */
static const char *key_text(demo_ctx *c, const char *s) {
  char *out = NULL;
  if (vt_search_key(s, &out) != HT_OK) {
    fail(c, HT_EINVAL, "demo: a generated name is not valid UTF-8");
    return "";
  }
  const char *copy = arena_strdup(&c->mem, out);
  free(out);
  return copy;
}

static word make_word(demo_ctx *c, const char *raw) {
  word w;
  w.text = clean_text(c, raw);
  w.key = key_text(c, w.text);
  return w;
}

static int place_used(const demo_ctx *c, const char *place) {
  for (int i = 0; i < c->nplaces; i++)
    if (!strcmp(c->places[i], place)) return 1;
  return 0;
}

static const char *use_place(demo_ctx *c, const char *place) {
  if (c->nplaces == c->cap_places) {
    int cap = c->cap_places ? 2 * c->cap_places : 1024;
    const char **grown = arena_alloc(&c->mem, (size_t)cap * sizeof *grown);
    if (c->nplaces) memcpy(grown, c->places, (size_t)c->nplaces * sizeof *grown);
    c->places = grown;
    c->cap_places = cap;
  }
  const char *copy = clean_text(c, place);
  c->places[c->nplaces++] = copy;
  return copy;
}

/* A commune name not used before: two distinct syllables ("An Hòa"). There
 * are 70 * 69 = 4,830 of them for ~540 communes, so the loop ends quickly. */
static const char *new_place(demo_ctx *c) {
  char buf[64];
  for (;;) {
    int a = (int)rng_below(&c->rng, COUNT(place_syllables));
    int b = (int)rng_below(&c->rng, COUNT(place_syllables));
    if (a == b) continue;
    snprintf(buf, sizeof buf, "%s %s", place_syllables[a], place_syllables[b]);
    if (!place_used(c, buf)) return use_place(c, buf);
  }
}

/* -------------------------------------------------------------- writing */

static void bind_int(demo_ctx *c, db_stmt *s, int i, int64_t v) {
  if (c->rc == HT_OK) c->rc = db_bind_int64(s, i, v);
}

static void bind_text(demo_ctx *c, db_stmt *s, int i, const char *v) {
  if (c->rc == HT_OK) c->rc = db_bind_text(s, i, v);
}

/* Steps an insert, then commits every DEMO_TX_ROWS rows and opens the next
 * transaction. */
static void write_row(demo_ctx *c, db_stmt *s) {
  if (c->rc == HT_OK) {
    int rc = db_step(s);
    if (rc != DB_DONE) c->rc = rc < 0 ? rc : HT_EDB;
  }
  db_reset(s);
  if (c->rc == HT_OK && ++c->rows_in_tx >= DEMO_TX_ROWS) {
    c->rc = db_commit(c->d);
    if (c->rc == HT_OK) c->commits++, c->rc = db_begin(c->d);
    c->rows_in_tx = 0;
  }
}

static void put_unit(demo_ctx *c, const char *code, const char *name, const char *kind,
                     const char *parent, const char *from, const char *to, int groups) {
  char gtext[48];
  groups_text(groups, gtext);
  db_stmt *s = c->st_unit;
  bind_int(c, s, 1, c->prov);
  bind_int(c, s, 2, db_new_id(c->d));
  bind_text(c, s, 3, code);
  bind_text(c, s, 4, name);
  bind_text(c, s, 5, key_text(c, name));
  bind_text(c, s, 6, kind);
  bind_text(c, s, 7, parent);
  bind_text(c, s, 8, from);
  bind_text(c, s, 9, to);
  bind_text(c, s, 10, gtext);
  write_row(c, s);
}

static void put_change(demo_ctx *c, const char *day, const char *old_code, const char *new_code) {
  db_stmt *s = c->st_change;
  bind_int(c, s, 1, c->prov);
  bind_int(c, s, 2, db_new_id(c->d));
  bind_text(c, s, 3, day);
  bind_text(c, s, 4, old_code);
  bind_text(c, s, 5, new_code);
  write_row(c, s);
}

/* ------------------------------------------------------------- progress */

static const char PHASE_HOUSEHOLDS[] = "households";
static const char PHASE_ORGS[] = "organisations";

static void progress(demo_ctx *c, const char *what, long done, long total) {
  if (!c->o->progress || total <= 0) return;
  int pct = (int)(done * 100 / total);
  if (what == c->progress_what && pct == c->progress_pct && done != total) return;
  c->progress_what = what;
  c->progress_pct = pct;
  int fill = (int)(done * 20 / total);
  int len = fprintf(stderr, "\rGenerating demo data: %s %3d%% [%.*s%.*s] %ld/%ld", what, pct, fill,
                    "####################", 20 - fill, "....................", done, total);
  /* Blank out what a longer previous line left behind. */
  if (len > 0 && len < c->progress_len) fprintf(stderr, "%*s", c->progress_len - len, "");
  if (len > c->progress_len) c->progress_len = len;
}

/* ------------------------------------------------------------ hierarchy */

/* Splits s communes into n consecutive groups of near-equal size, then moves
 * a few communes between neighbouring groups so the sizes vary a little. */
static void split_sizes(demo_rng *r, int s, int n, int *sizes) {
  int order[MAX_DISTRICT_COMMUNES];
  for (int i = 0; i < n; i++) sizes[i] = s / n, order[i] = i;
  shuffle_ints(r, order, n);
  for (int i = 0; i < s % n; i++) sizes[order[i]]++;
  for (int t = 0; t + 1 < n; t++) {
    int j = (int)rng_below(r, (uint32_t)n - 1);
    if (rng_chance(r, 0.5)) {
      if (sizes[j] > 1) sizes[j]--, sizes[j + 1]++;
    } else if (sizes[j + 1] > 1) {
      sizes[j + 1]--, sizes[j]++;
    }
  }
}

static int new_fresh(demo_ctx *c, const char *kind, const char *place, int groups) {
  if (c->nfresh >= DEMO_NEW_COMMUNES) {
    fail(c, HT_ERR, "demo: too many new communes");
    return 0;
  }
  fresh_commune *f = &c->fresh[c->nfresh];
  snprintf(f->code, sizeof f->code, "12%03d", c->nfresh + 1);
  f->kind = kind;
  f->place = place;
  f->groups = groups;
  return c->nfresh++;
}

/* 217 Hải Phòng communes -> 167 on 2025-01-01: in each district (but Bạch
 * Long Vĩ, which has one commune) k disjoint pairs of neighbouring communes
 * (by code) merge, one absorbing the other; k is the district's share of 50.
 * Pairs are taken from a grid (0,1), (2,3), ... or (1,2), (3,4), ..., so
 * they never overlap. A thị trấn absorbs rather than being absorbed. */
static void merge_hp_communes(demo_ctx *c) {
  double w[DISTRICTS];
  long hi[DISTRICTS], k[DISTRICTS];
  int idx[DISTRICTS], n = 0;
  for (int i = 0; i < DISTRICTS; i++) {
    const district *dd = &c->districts[i];
    if (strcmp(dd->def->parent, "31") || dd->ncommunes < 2) continue;
    idx[n] = i;
    w[n] = dd->ncommunes;
    hi[n] = dd->ncommunes / 2;
    n++;
  }
  apportion(w, n, DEMO_HP_MERGED, 0, hi, k);
  for (int j = 0; j < n; j++) {
    const district *dd = &c->districts[idx[j]];
    int nc = dd->ncommunes;
    int offset = (nc % 2 && rng_chance(&c->rng, 0.5)) ? 1 : 0;
    int nslots = (nc - offset) / 2;
    if (nslots < k[j]) offset = 0, nslots = nc / 2;
    int slots[MAX_DISTRICT_COMMUNES];
    for (int s = 0; s < nslots; s++) slots[s] = s;
    shuffle_ints(&c->rng, slots, nslots);
    for (int s = 0; s < k[j]; s++) {
      int a = dd->first_commune + offset + 2 * slots[s], b = a + 1;
      int keep = rng_chance(&c->rng, 0.5) ? a : b;
      if (!strcmp(c->communes[a].kind, "thi-tran")) keep = a;
      if (!strcmp(c->communes[b].kind, "thi-tran")) keep = b;
      c->communes[keep == a ? b : a].absorbed_by = keep;
    }
  }
}

/* The 2025-07-01 reform: every commune valid on 2025-06-30 joins exactly one
 * of 114 new communes.
 *  - The communes of Cát Hải and of Bạch Long Vĩ become the two đặc khu.
 *  - The other districts form four classes (urban / rural x Hải Phòng / Hải
 *    Dương). Urban classes share 45 new phường, rural ones 67 new xã, in
 *    proportion to their surviving communes; within a class each district
 *    gets its proportional share (at least 1) and splits its survivors, in
 *    code order, into that many runs of neighbours.
 *  - In each class one pair of consecutive districts shares a new commune
 *    (the last run of the first joins the first run of the second), as the
 *    real reform did across old district borders; the share of that pair is
 *    one higher so the class total is still met.
 * New codes 12001.. follow the district order; the first new commune made
 * in a district takes the district's name ("Phường Hồng Bàng"). */
static void group_reform(demo_ctx *c) {
  long survivors[DISTRICTS];
  double cls_w[CLS_GROUPED] = {0};
  for (int i = 0; i < DISTRICTS; i++) {
    district *dd = &c->districts[i];
    survivors[i] = 0;
    for (int j = 0; j < dd->ncommunes; j++)
      if (c->communes[dd->first_commune + j].absorbed_by < 0) survivors[i]++;
    if (dd->def->cls < CLS_GROUPED) cls_w[dd->def->cls] += (double)survivors[i];
    dd->joins = -1;
    dd->ngroups = 1;
  }
  long cls_groups[CLS_GROUPED], pair[2];
  double urban_w[2] = {cls_w[CLS_HP_URBAN], cls_w[CLS_HD_URBAN]};
  double rural_w[2] = {cls_w[CLS_HP_RURAL], cls_w[CLS_HD_RURAL]};
  apportion(urban_w, 2, DEMO_NEW_PHUONG, 1, NULL, pair);
  cls_groups[CLS_HP_URBAN] = pair[0], cls_groups[CLS_HD_URBAN] = pair[1];
  apportion(rural_w, 2, DEMO_NEW_XA, 1, NULL, pair);
  cls_groups[CLS_HP_RURAL] = pair[0], cls_groups[CLS_HD_RURAL] = pair[1];

  for (int cls = 0; cls < CLS_GROUPED; cls++) {
    int members[DISTRICTS], n = 0;
    for (int i = 0; i < DISTRICTS; i++)
      if (c->districts[i].def->cls == cls) members[n++] = i;
    int shared = n >= 2;
    if (shared) {
      int at = (int)rng_below(&c->rng, (uint32_t)n - 1);
      c->districts[members[at + 1]].joins = members[at];
    }
    double w[DISTRICTS];
    long hi[DISTRICTS], share[DISTRICTS], sum = 0;
    for (int j = 0; j < n; j++) w[j] = (double)survivors[members[j]], hi[j] = survivors[members[j]];
    apportion(w, n, cls_groups[cls] + shared, 1, hi, share);
    for (int j = 0; j < n; j++) c->districts[members[j]].ngroups = (int)share[j], sum += share[j];
    if (sum != cls_groups[cls] + shared) {
      fail(c, HT_ERR, "demo: cannot share the new communes among the districts");
      return;
    }
  }

  for (int i = 0; i < DISTRICTS && c->rc == HT_OK; i++) {
    district *dd = &c->districts[i];
    int list[MAX_DISTRICT_COMMUNES], n = 0;
    for (int j = 0; j < dd->ncommunes; j++)
      if (c->communes[dd->first_commune + j].absorbed_by < 0) list[n++] = dd->first_commune + j;
    if (dd->def->cls == CLS_ISLAND) {
      int f = new_fresh(c, "dac-khu", dd->def->place, dd->def->groups & ~G_RURAL);
      for (int j = 0; j < n; j++) c->communes[list[j]].successor = f;
      dd->last_group = f;
      continue;
    }
    int urban = dd->def->cls == CLS_HP_URBAN || dd->def->cls == CLS_HD_URBAN;
    int sizes[MAX_DISTRICT_COMMUNES];
    split_sizes(&c->rng, n, dd->ngroups, sizes);
    int pos = 0, named = 0, f = 0;
    for (int g = 0; g < dd->ngroups; g++) {
      if (g == 0 && dd->joins >= 0) {
        f = c->districts[dd->joins].last_group;
      } else {
        const char *place = named ? new_place(c) : dd->def->place;
        named = 1;
        f = new_fresh(c, urban ? "phuong" : "xa", place, urban ? G_URBAN : G_RURAL);
      }
      for (int j = 0; j < sizes[g]; j++) c->communes[list[pos++]].successor = f;
    }
    dd->last_group = f;
  }
  if (c->rc) return;

  int nphuong = 0, nxa = 0, ndac = 0;
  for (int f = 0; f < c->nfresh; f++) {
    const char *k = c->fresh[f].kind;
    nphuong += !strcmp(k, "phuong"), nxa += !strcmp(k, "xa"), ndac += !strcmp(k, "dac-khu");
  }
  if (c->nfresh != DEMO_NEW_COMMUNES || nphuong != DEMO_NEW_PHUONG || nxa != DEMO_NEW_XA ||
      ndac != 2) {
    fail(c, HT_ERR, "demo: the reform grouping did not give 45 phường, 67 xã and 2 đặc khu");
    return;
  }
  /* A few rural new communes lie in especially difficult areas; so did
   * every old commune that forms them. */
  int rural[DEMO_NEW_COMMUNES], nr = 0;
  for (int f = 0; f < c->nfresh; f++)
    if (!strcmp(c->fresh[f].kind, "xa")) rural[nr++] = f;
  shuffle_ints(&c->rng, rural, nr);
  for (int j = 0; j < DEMO_NEW_DIFFICULT && j < nr; j++) c->fresh[rural[j]].groups |= G_DIFFICULT;
  for (int i = 0; i < c->ncommunes; i++) {
    commune *m = &c->communes[i];
    if (m->absorbed_by >= 0) m->successor = c->communes[m->absorbed_by].successor;
    m->groups |= c->fresh[m->successor].groups & G_DIFFICULT;
  }
  for (int f = 0; f < c->nfresh; f++)
    for (int i = 0; i < c->ncommunes; i++)
      if (c->communes[i].absorbed_by < 0 && c->communes[i].successor == f) {
        c->communes[i].anchor = 1;
        break;
      }
}

static void make_villages(demo_ctx *c) {
  c->villages = arena_calloc(&c->mem, (size_t)c->ncommunes * 12 * sizeof *c->villages);
  for (int i = 0; i < c->ncommunes; i++) {
    commune *m = &c->communes[i];
    const district *dd = &c->districts[m->district];
    int urban = !strcmp(m->kind, "phuong") || !strcmp(m->kind, "thi-tran");
    int numbered = urban || rng_chance(&c->rng, 0.4);
    int names[COUNT(village_names)];
    for (int j = 0; j < COUNT(village_names); j++) names[j] = j;
    shuffle_ints(&c->rng, names, COUNT(village_names));
    double island = dd->def->cls != CLS_ISLAND ? 1.0 : !strcmp(dd->def->code, "312") ? 0.05 : 0.5;
    m->first_village = c->nvillages;
    m->nvillages = rng_range(&c->rng, 4, 12);
    for (int j = 0; j < m->nvillages; j++) {
      village *v = &c->villages[c->nvillages++];
      char name[64];
      snprintf(v->code, sizeof v->code, "%s-%02d", m->code, j + 1);
      if (urban)
        snprintf(name, sizeof name, "Tổ dân phố %d", j + 1);
      else if (numbered)
        snprintf(name, sizeof name, "Thôn %d", j + 1);
      else
        snprintf(name, sizeof name, "Thôn %s", village_names[names[j]]);
      v->name = clean_text(c, name);
      v->urban = urban;
      v->commune = i;
      v->weight = (urban ? 1.6 : 1.0) * (0.6 + 0.8 * rng_unit(&c->rng)) * island;
    }
  }
}

static void build_hierarchy(demo_ctx *c) {
  int total = 0;
  for (int i = 0; i < DISTRICTS; i++) total += district_defs[i].communes;
  c->communes = arena_calloc(&c->mem, (size_t)total * sizeof *c->communes);
  /* District names are taken before any commune name is drawn, so that no
   * commune is called like a district unless it inherits the name. */
  for (int i = 0; i < DISTRICTS; i++) use_place(c, district_defs[i].place);
  int hp_serial = 0, hd_serial = 0;
  for (int i = 0; i < DISTRICTS; i++) {
    const struct district_def *def = &district_defs[i];
    district *dd = &c->districts[i];
    dd->def = def;
    dd->first_commune = c->ncommunes;
    dd->ncommunes = def->communes;
    int hp = !strcmp(def->parent, "31");
    for (int j = 0; j < def->communes; j++) {
      commune *m = &c->communes[c->ncommunes++];
      snprintf(m->code, sizeof m->code, "%s%03d", hp ? "11" : "10", hp ? ++hp_serial : ++hd_serial);
      if (j < def->wards)
        m->kind = "phuong";
      else if (!strcmp(def->kind, "huyen") && def->communes > 1 && j == 0)
        m->kind = "thi-tran";
      else
        m->kind = "xa";
      m->groups =
          (def->groups & (G_ISLAND | G_DIFFICULT)) | (!strcmp(m->kind, "xa") ? G_RURAL : G_URBAN);
      m->district = i;
      m->absorbed_by = -1;
      m->successor = -1;
      m->place = new_place(c);
      char name[96];
      snprintf(name, sizeof name, "%s %s", kind_word(m->kind, 0), m->place);
      m->name = clean_text(c, name);
    }
  }
  merge_hp_communes(c);
  group_reform(c);
  if (c->rc == HT_OK) make_villages(c);
}

static int village_groups(const village *v, int parent_groups) {
  return (v->urban ? G_URBAN : G_RURAL) | (parent_groups & (G_DIFFICULT | G_ISLAND));
}

static void write_units(demo_ctx *c) {
  char name[160];
  put_unit(c, "31", "Thành phố Hải Phòng", "thanh-pho-tw", NULL, DAY_START, NULL, 0);
  put_unit(c, "30", "Tỉnh Hải Dương", "tinh", NULL, DAY_START, DAY_BEFORE_REFORM, 0);
  for (int i = 0; i < DISTRICTS; i++) {
    const struct district_def *def = c->districts[i].def;
    snprintf(name, sizeof name, "%s %s", kind_word(def->kind, 0), def->place);
    put_unit(c, def->code, name, def->kind, def->parent, DAY_START, DAY_BEFORE_REFORM, def->groups);
  }
  for (int i = 0; i < c->ncommunes; i++) {
    const commune *m = &c->communes[i];
    put_unit(c, m->code, m->name, m->kind, c->districts[m->district].def->code, DAY_START,
             m->absorbed_by >= 0 ? DAY_BEFORE_MERGE : DAY_BEFORE_REFORM, m->groups);
  }
  for (int f = 0; f < c->nfresh; f++) {
    const fresh_commune *fc = &c->fresh[f];
    snprintf(name, sizeof name, "%s %s", kind_word(fc->kind, 0), fc->place);
    put_unit(c, fc->code, name, fc->kind, "31", DAY_REFORM, NULL, fc->groups);
  }
  /* A village keeps its code for life; each change of parent is a new version. */
  for (int i = 0; i < c->nvillages; i++) {
    const village *v = &c->villages[i];
    const commune *m = &c->communes[v->commune];
    const char *kind = v->urban ? "to-dan-pho" : "thon";
    if (m->absorbed_by >= 0) {
      const commune *into = &c->communes[m->absorbed_by];
      put_unit(c, v->code, v->name, kind, m->code, DAY_START, DAY_BEFORE_MERGE,
               village_groups(v, m->groups));
      put_unit(c, v->code, v->name, kind, into->code, DAY_MERGE, DAY_BEFORE_REFORM,
               village_groups(v, into->groups));
    } else {
      put_unit(c, v->code, v->name, kind, m->code, DAY_START, DAY_BEFORE_REFORM,
               village_groups(v, m->groups));
    }
    const fresh_commune *fc = &c->fresh[m->successor];
    put_unit(c, v->code, v->name, kind, fc->code, DAY_REFORM, NULL, village_groups(v, fc->groups));
  }
}

static void write_changes(demo_ctx *c) {
  put_change(c, DAY_REFORM, "30", "31");
  for (int i = 0; i < c->ncommunes; i++) {
    const commune *m = &c->communes[i];
    if (m->absorbed_by >= 0)
      put_change(c, DAY_MERGE, m->code, c->communes[m->absorbed_by].code);
    else
      put_change(c, DAY_REFORM, m->code, c->fresh[m->successor].code);
  }
}

/* ---------------------------------------------------------------- clans */

/* 0-3 clans per rural village, each of a different family; one in five is a
 * sub-clan named by family and middle name ("Chi họ Trần Văn"). */
static void gen_clans(demo_ctx *c) {
  static const unsigned clan_count_w[] = {10, 35, 35, 20};
  c->clans = arena_alloc(&c->mem, (size_t)c->nvillages * 3 * sizeof *c->clans);
  double weight_sum = 0;
  for (int i = 0; i < c->nvillages; i++) weight_sum += c->villages[i].weight;
  for (int i = 0; i < c->nvillages && c->rc == HT_OK; i++) {
    village *v = &c->villages[i];
    v->first_clan = c->nclans;
    v->nclans = v->urban ? 0 : rng_weighted(&c->rng, clan_count_w, COUNT(clan_count_w));
    /* A clan gathers tens of households: a small data set (few households
     * per village) gets at most one clan per 40 expected households. */
    double expected = (double)c->o->households * v->weight / weight_sum;
    int cap = (int)ceil(expected / 40.0);
    if (v->nclans > cap) v->nclans = cap;
    for (int j = 0; j < v->nclans; j++) {
      int family = 0;
      for (int tries = 0; tries < 20; tries++) {
        family = rng_weighted(&c->rng, c->family_weights, COUNT(family_names));
        int seen = 0;
        for (int k = v->first_clan; k < c->nclans; k++) seen |= c->clans[k].family == family;
        if (!seen) break;
      }
      clan *cl = &c->clans[c->nclans++];
      cl->id = db_new_id(c->d);
      cl->family = family;
      char code[16], raw[96];
      snprintf(code, sizeof code, "DH%06d", c->nclans);
      if (rng_chance(&c->rng, 0.2))
        snprintf(raw, sizeof raw, "Chi họ %s %s", family_names[family].text,
                 middle_male[rng_below(&c->rng, 5)]);
      else
        snprintf(raw, sizeof raw, "Dòng họ %s", family_names[family].text);
      const char *name = clean_text(c, raw);
      db_stmt *s = c->st_clan;
      bind_int(c, s, 1, c->prov);
      bind_int(c, s, 2, cl->id);
      bind_text(c, s, 3, code);
      bind_text(c, s, 4, name);
      bind_text(c, s, 5, key_text(c, name));
      bind_text(c, s, 6, v->code);
      write_row(c, s);
    }
  }
}

static int clamp_int(int v, int lo, int hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

/* ------------------------------------------------------- yearly records */

/* The records of every title in force for province 31 in 2022-2025, driven
 * by the criteria: each entered item (`input`) of a title gets a value drawn
 * for its input type, near the threshold its own rules compare the value
 * with, so that changing a criteria file changes the generated values.
 * Records draw from their own random stream (rec_rng), so adding them left
 * the registry of a seed unchanged. An entity that does not register gets
 * no record. Shares (docs/demo-data.md): registration ~85% of households,
 * about half of the persons aged 15 and over (more among organisation staff
 * and in campaigning communes: citizen_profile_of), ~90% of clans,
 * villages, organisations, communes and districts, every province. */

#define DEMO_MAX_ITEMS 64

static const double registration_share[CRIT_ENTITY_COUNT] = {
    [CRIT_PERSON] = 0.42,   [CRIT_HOUSEHOLD] = 0.85,    [CRIT_CLAN] = 0.90,
    [CRIT_VILLAGE] = 0.90,  [CRIT_ORGANISATION] = 0.90, [CRIT_COMMUNE] = 0.90,
    [CRIT_DISTRICT] = 0.90, [CRIT_PROVINCE] = 1.0,
};
/* Points titles: the chance that an entered item with a pass threshold
 * fails it (households answer five yes/no items; ~77% answer all yes). */
static const double item_fail_share[CRIT_ENTITY_COUNT] = {
    [CRIT_PERSON] = 0.05,  [CRIT_HOUSEHOLD] = 0.05,   [CRIT_CLAN] = 0.10,
    [CRIT_VILLAGE] = 0.08, [CRIT_ORGANISATION] = 0.1, [CRIT_COMMUNE] = 0.1,
    [CRIT_DISTRICT] = 0.1, [CRIT_PROVINCE] = 0.1,
};
/* Levels titles: the level each entity's entered values aim at (level 0
 * fails one entered item at level 1), and how many items get a note of
 * evidence (MOET titles need evidence for every indicator). */
static const unsigned level_aim_w[] = {15, 45, 40};
#define DEMO_EVIDENCE_SHARE 0.92
#define DEMO_CAMPAIGN_SHARE 0.2  /* new communes campaigning for learning citizens */
#define DEMO_ORG_DRIVE_SHARE 0.6 /* organisations running a learning-citizen drive */

typedef struct gen_item {
  const crit_item *item;
  /* The value the item's rules ask for: [0] to pass (points titles), [1]
   * and [2] for levels 1 and 2 (levels titles); NAN when no rule compares
   * the value with a constant (then values follow the entity's ability). */
  double need[3];
} gen_item;

typedef struct gen_title {
  const crit_title *title;
  int year;
  gen_item *items; /* the entered items, sorted by key */
  int nitems;
  struct gen_title *next;
} gen_title;

/* The constant `value` is compared with in rule e (value >= N, value > N,
 * value = yes), the first one found left to right; NAN when there is none.
 * A strict comparison asks for a little more than N. */
static double rule_need(const crit_expr *e) {
  if (!e) return NAN;
  if (e->op == OP_CMP && e->a && e->a->op == OP_VALUE && e->b &&
      (e->b->op == OP_NUMBER || e->b->op == OP_BOOL) && e->name) {
    if (!strcmp(e->name, ">=") || !strcmp(e->name, "=")) return e->b->number;
    if (!strcmp(e->name, ">")) return e->b->number + 1e-5;
  }
  double n = rule_need(e->a);
  if (isnan(n)) n = rule_need(e->b);
  if (isnan(n)) n = rule_need(e->c);
  return n;
}

static gen_title *plan_title(demo_ctx *c, const crit_title *t, int year) {
  gen_title *g = arena_calloc(&c->mem, sizeof *g);
  g->title = t;
  g->year = year;
  int n = 0;
  for (const crit_item *it = t->items; it; it = it->next) n += it->input != INPUT_NONE;
  g->items = arena_calloc(&c->mem, (size_t)(n ? n : 1) * sizeof *g->items);
  for (const crit_item *it = t->items; it; it = it->next) {
    if (it->input == INPUT_NONE || g->nitems == DEMO_MAX_ITEMS) continue;
    gen_item gi = {it, {NAN, NAN, NAN}};
    if (t->levels) {
      for (const crit_points_rule *r = it->rules; r; r = r->next)
        if (r->level >= 1 && r->level <= 2 && isnan(gi.need[r->level]))
          gi.need[r->level] = rule_need(r->when);
      if (isnan(gi.need[2])) gi.need[2] = gi.need[1];
    } else if (it->when) {
      gi.need[0] = rule_need(it->when);
    } else if (it->rules) {
      gi.need[0] = rule_need(it->rules->when); /* the first (highest) points */
    } else if (it->input == INPUT_YESNO) {
      gi.need[0] = 1; /* an entered yes passes */
    }
    /* insertion by key: the canonical order of the values string */
    int j = g->nitems++;
    while (j > 0 && strcmp(g->items[j - 1].item->key, it->key) > 0) {
      g->items[j] = g->items[j - 1];
      j--;
    }
    g->items[j] = gi;
  }
  return g;
}

/* For each year and kind of entity, the titles in force for the province. */
static void plan_records(demo_ctx *c) {
  crit_set_init(&c->crit);
  arena a;
  arena_init(&a, 0);
  issues problems;
  issues_init(&problems, &a);
  if (crit_load_defaults(&c->crit, &problems) != HT_OK) {
    fail(c, HT_EINVAL, "demo: the shipped criteria do not load; run 'hoctap criteria list'");
  } else {
    for (const crit_title *t = c->crit.titles; t; t = t->next) {
      int seen = 0;
      for (const crit_title *o = c->crit.titles; o != t; o = o->next)
        seen |= !strcmp(o->key, t->key);
      if (seen) continue;
      for (int y = 0; y < DEMO_YEARS; y++) {
        const crit_title *in_force =
            crit_in_force(&c->crit, t->key, DEMO_FIRST_YEAR + y, DEMO_PROV);
        if (!in_force) continue;
        gen_title *g = plan_title(c, in_force, DEMO_FIRST_YEAR + y);
        gen_title **tail = &c->plan[y][in_force->entity];
        while (*tail) tail = &(*tail)->next;
        *tail = g;
      }
    }
  }
  arena_free(&a);
}

/* About normally distributed, mean 0, deviation 1 (sum of three uniforms). */
static double rng_normalish(demo_rng *r) {
  return (rng_unit(r) + rng_unit(r) + rng_unit(r) - 1.5) * 2.0;
}

/* A value for item it at least `need` and below `below` (NAN: no bound),
 * drawn on the item's own grid: yes/no, whole percents, whole numbers.
 * Passing percentages land up to 15 points above the need, failing ones up
 * to 20 below; `ability` (0..1) places a value with no bound. */
static double draw_value(demo_ctx *c, const crit_item *it, double need, double below,
                         double ability) {
  demo_rng *r = &c->rec_rng;
  int scale = it->input == INPUT_PERCENT ? 100 : 1;
  int lo = 0, hi = 1;
  if (it->input == INPUT_PERCENT) lo = 0, hi = 100;
  if (it->input == INPUT_LEVEL || it->input == INPUT_NUMBER) lo = it->input_min, hi = it->input_max;
  int from = lo, to = hi;
  if (!isnan(need)) from = clamp_int((int)ceil(need * scale - 1e-6), lo, hi);
  if (!isnan(below)) to = clamp_int((int)ceil(below * scale - 1e-6) - 1, lo, hi);
  if (from > to) from = to; /* the rules leave no room: take the nearest value */
  if (it->input == INPUT_PERCENT && !isnan(need) && isnan(below) && to > from + 15) to = from + 15;
  if (it->input == INPUT_PERCENT && isnan(need) && !isnan(below) && from < to - 20) from = to - 20;
  int v;
  if (isnan(need) && isnan(below) && it->input != INPUT_YESNO) {
    double x = lo + (hi - lo) * ability + 0.9 * rng_normalish(r) * (hi - lo) / 10.0;
    v = clamp_int((int)lround(x), lo, hi);
  } else {
    v = from + (int)rng_below(r, (uint32_t)(to - from + 1));
  }
  return (double)v / scale;
}

static void put_record(demo_ctx *c, const gen_title *g, const char *entity, int form_group,
                       const rec_val *vals, int n) {
  demo_rng *r = &c->rec_rng;
  char day[11];
  /* registered from early December of the year before to late March */
  date_format(date_from_ymd(g->year, 1, 1) - 25 + (int32_t)rng_below(r, 115), day);
  rec_val sorted[DEMO_MAX_ITEMS];
  memcpy(sorted, vals, (size_t)n * sizeof *vals);
  strbuf_reset(&c->vals);
  if (rec_vals_format(sorted, (size_t)n, &c->vals) != HT_OK) {
    fail(c, HT_ERR, "demo: a generated value cannot be stored");
    return;
  }
  /* assessed in December: 02:00-04:00 UTC = 09:00-11:00 in Vietnam */
  int64_t updated = ((int64_t)date_from_ymd(g->year, 12, 1) + rng_below(r, 25)) * 86400000 +
                    7200000 + (int64_t)rng_below(r, 7200) * 1000;
  db_stmt *s = c->st_record;
  bind_int(c, s, 1, c->prov);
  bind_text(c, s, 2, g->title->key);
  bind_int(c, s, 3, g->year);
  bind_text(c, s, 4, entity);
  bind_text(c, s, 5, day);
  if (form_group) bind_int(c, s, 6, form_group);
  bind_text(c, s, 7, strbuf_cstr(&c->vals));
  bind_int(c, s, 8, updated);
  write_row(c, s);
  if (!g->title->levels) return;
  for (int i = 0; i < n; i++) {
    if (!rng_chance(r, DEMO_EVIDENCE_SHARE)) continue;
    const crit_item *it = rec_item_find(g->title, vals[i].key);
    char note[160];
    snprintf(note, sizeof note, "%s năm %d (dữ liệu mẫu)",
             it->input == INPUT_YESNO ? "Kế hoạch, văn bản triển khai và báo cáo kết quả"
             : it->input == INPUT_PERCENT
                 ? "Bảng tổng hợp số liệu có xác nhận của thủ trưởng đơn vị"
                 : "Quyết định công nhận của cấp có thẩm quyền",
             g->year);
    s = c->st_evidence;
    bind_int(c, s, 1, c->prov);
    bind_int(c, s, 2, db_new_id(c->d));
    bind_text(c, s, 3, g->title->key);
    bind_int(c, s, 4, g->year);
    bind_text(c, s, 5, entity);
    bind_text(c, s, 6, it->key);
    bind_text(c, s, 7, note);
    bind_int(c, s, 8, updated - 86400000 * (int64_t)rng_range(r, 1, 20));
    write_row(c, s);
  }
}

/* The entered values of one registered entity for g: levels titles aim at
 * a level; points titles pass each item with a threshold unless it fails
 * (item_fail_share) and place scores without one by an ability drawn per
 * entity (mean 81.5% of the range). */
static void gen_record(demo_ctx *c, const gen_title *g, const char *entity, int form_group,
                       double ability_mean, double ability_spread) {
  demo_rng *r = &c->rec_rng;
  rec_val vals[DEMO_MAX_ITEMS];
  double ability = ability_mean + ability_spread * rng_normalish(r);
  int aim = 0, failing = -1;
  if (g->title->levels) {
    aim = rng_weighted(r, level_aim_w, COUNT(level_aim_w));
    if (aim == 0 && g->nitems) failing = (int)rng_below(r, (uint32_t)g->nitems);
  }
  for (int i = 0; i < g->nitems; i++) {
    const gen_item *gi = &g->items[i];
    double need = NAN, below = NAN;
    if (g->title->levels) {
      need = gi->need[aim ? aim : 1];
      if (aim == 1 && gi->need[2] > gi->need[1] && rng_chance(r, 0.4)) below = gi->need[2];
      if (i == failing) below = gi->need[1], need = NAN;
    } else if (!isnan(gi->need[0])) {
      if (rng_chance(r, item_fail_share[g->title->entity]))
        below = gi->need[0];
      else
        need = gi->need[0];
    }
    vals[i].key = gi->item->key;
    vals[i].value = draw_value(c, gi->item, need, below, ability);
  }
  put_record(c, g, entity, form_group, vals, g->nitems);
}

/* Records of one household for the years it existed (2022..last_year). */
static void gen_household_records(demo_ctx *c, const char *code, int last_year) {
  for (int year = DEMO_FIRST_YEAR; year <= last_year; year++)
    for (const gen_title *g = c->plan[year - DEMO_FIRST_YEAR][CRIT_HOUSEHOLD]; g; g = g->next)
      if (rng_chance(&c->rec_rng, registration_share[CRIT_HOUSEHOLD]))
        gen_record(c, g, code, 0, 0.815, 0.1);
}

/* Records of one person for the years with a person_years row in which the
 * person is 15 or older. Form groups (REC_FORM_GROUP_TITLE): 4 for pupils,
 * students and retirees, else mostly 1 (farmers) in rural villages and 2-3
 * (workers, civil servants) in urban ones. */
static void gen_person_records(demo_ctx *c, int64_t person_id, int birth_year, int last_year,
                               int urban, citizen_profile p) {
  static const unsigned rural_groups_w[] = {70, 18, 8, 4}, urban_groups_w[] = {5, 45, 40, 10};
  char entity[24];
  snprintf(entity, sizeof entity, "%lld", (long long)person_id);
  int first = birth_year > DEMO_FIRST_YEAR ? birth_year : DEMO_FIRST_YEAR;
  for (int year = first; year <= last_year; year++) {
    int age = year - birth_year;
    if (age < 15) continue;
    for (const gen_title *g = c->plan[year - DEMO_FIRST_YEAR][CRIT_PERSON]; g; g = g->next) {
      if (!rng_chance(&c->rec_rng, p.registration)) continue;
      int group = 0;
      if (!strcmp(g->title->key, REC_FORM_GROUP_TITLE))
        group = age < 23 || age >= 60
                    ? 4
                    : 1 + rng_weighted(&c->rec_rng, urban ? urban_groups_w : rural_groups_w, 4);
      gen_record(c, g, entity, group, p.ability, p.spread);
    }
  }
}

/* How likely a person registers and how well they score: the base rate;
 * more in a commune running a campaign; more again for the staff of an
 * organisation, nearly everyone where the organisation runs a learning-
 * citizen drive (so learning units can reach the 90% of members their
 * criteria ask for). */
static citizen_profile citizen_profile_of(const demo_ctx *c, const commune *m, unsigned info) {
  citizen_profile p = {registration_share[CRIT_PERSON], 0.78, 0.1};
  if (c->fresh[m->successor].campaign) p.registration = 0.8, p.ability = 0.86;
  if ((info & ADULT_STAFF) && p.registration < 0.7) p.registration = 0.7;
  if (info & ADULT_DRIVE) p = (citizen_profile){0.98, 0.93, 0.06};
  return p;
}

/* A share of the new communes (and so of the old communes they were formed
 * from) campaign for learning citizens: enough of their people register and
 * pass for the learning-commune share of learning citizens to be within
 * reach. */
static void draw_campaigns(demo_ctx *c) {
  for (int f = 0; f < c->nfresh; f++)
    c->fresh[f].campaign = rng_chance(&c->rec_rng, DEMO_CAMPAIGN_SHARE);
}

/* The records of the working-age adults, once the organisations they work
 * in are known (gen_orgs marks them). Every such adult's household was open
 * through 2025. */
static void gen_adult_records(demo_ctx *c) {
  for (int i = 0; i < c->ncommunes && c->rc == HT_OK; i++) {
    const commune *m = &c->communes[i];
    for (size_t k = 0; k < m->nadults && c->rc == HT_OK; k++) {
      unsigned info = m->adult_info[k];
      gen_person_records(c, m->adults[k], 1900 + (int)(info & 0x7f), DEMO_LAST_YEAR,
                         (info & ADULT_URBAN) != 0, citizen_profile_of(c, m, info));
    }
  }
}

/* The codes of entity kind e that exist in year (clans and organisations:
 * all; units: those at the level valid on 31 December), in code order. */
static size_t entity_codes(demo_ctx *c, crit_entity e, int year, const char ***out) {
  char day[24], sql[512];
  snprintf(day, sizeof day, "%04d-12-31", year);
  if (e == CRIT_CLAN || e == CRIT_ORGANISATION)
    snprintf(sql, sizeof sql, "SELECT code FROM %s WHERE prov = $1 ORDER BY code",
             e == CRIT_CLAN ? "clans" : "organisations");
  else
    snprintf(sql, sizeof sql,
             "SELECT u.code FROM units u JOIN unit_kinds k ON k.prov = u.prov AND k.key = u.kind "
             "WHERE u.prov = $1 AND k.level_key = $2 AND u.valid_from <= $3 AND (u.valid_to IS "
             "NULL OR u.valid_to >= $3) ORDER BY u.code");
  db_stmt *s = NULL;
  size_t n = 0, cap = 256;
  const char **codes = malloc(cap * sizeof *codes);
  if (!codes) abort();
  int rc = db_prepare(c->d, sql, &s);
  if (rc == HT_OK) {
    db_bind_int64(s, 1, c->prov);
    db_bind_text(s, 2, crit_entity_name(e));
    db_bind_text(s, 3, day);
    while ((rc = db_step(s)) == DB_ROW) {
      if (n == cap) {
        cap *= 2;
        const char **grown = realloc(codes, cap * sizeof *codes);
        if (!grown) abort();
        codes = grown;
      }
      codes[n++] = arena_strdup(&c->mem, db_col_text(s, 0));
    }
  }
  db_finalize(s);
  if (rc < 0 && c->rc == HT_OK) c->rc = rc;
  *out = codes;
  return n;
}

/* Records of clans, villages, organisations, communes, districts and the
 * province, year by year. Their codes are read back from the rows written
 * above (all of them before any record is written, as a commit must not
 * run under an open query). */
static void gen_other_records(demo_ctx *c) {
  for (int y = 0; y < DEMO_YEARS && c->rc == HT_OK; y++) {
    for (int e = 0; e < CRIT_ENTITY_COUNT && c->rc == HT_OK; e++) {
      if (e == CRIT_PERSON || e == CRIT_HOUSEHOLD || !c->plan[y][e]) continue;
      const char **codes;
      size_t n = entity_codes(c, (crit_entity)e, DEMO_FIRST_YEAR + y, &codes);
      for (size_t i = 0; i < n && c->rc == HT_OK; i++)
        for (const gen_title *g = c->plan[y][e]; g; g = g->next)
          if (rng_chance(&c->rec_rng, registration_share[e]))
            gen_record(c, g, codes[i], 0, 0.815, 0.1);
      free(codes);
    }
  }
}

/* ----------------------------------------------------------- households */

static const unsigned household_size_w[] = {10, 18, 22, 25, 13, 8, 4}; /* 1..7, mean 3.5 */
/* Heads by five-year age band from 25 to 84 (and 85). */
static const unsigned head_age_w[] = {6, 10, 12, 12, 12, 11, 10, 8, 6, 4, 3, 2};
static const char *const results[] = {"tot", "kha", "dat", "chua-dat"};
static const unsigned result_w[] = {35, 40, 22, 3};
static const unsigned conduct_w[] = {70, 22, 7, 1};
static const unsigned topics_adult_w[] = {8, 27, 30, 22, 7, 4, 2}; /* 0..6 topics */
static const unsigned topics_child_w[] = {50, 35, 15};

static int draw_family_except(demo_ctx *c, int except) {
  int f = 0;
  for (int tries = 0; tries < 10; tries++) {
    f = rng_weighted(&c->rng, c->family_weights, COUNT(family_names));
    if (f != except) break;
  }
  return f;
}

static int same_name(const demo_ctx *c, const member *a, const member *b) {
  return a->family == b->family &&
         !strcmp(c->middle[a->female][a->middle].text, c->middle[b->female][b->middle].text) &&
         !strcmp(c->given[a->female][a->given].text, c->given[b->female][b->given].text);
}

/* Names member m[k]: the traditional middle name (Văn / Thị) is common among
 * older people and rarer among the young; nobody shares the full name of
 * another member of the household. */
static void name_member(demo_ctx *c, member *m, int k, int family, int female, int age) {
  member *p = &m[k];
  demo_rng *r = &c->rng;
  p->family = family;
  p->female = female;
  p->birth_year = DEMO_LAST_YEAR - age;
  double traditional = p->birth_year < 1975 ? 0.6 : p->birth_year < 1995 ? 0.35 : 0.12;
  p->middle =
      rng_chance(r, traditional) ? 0 : 1 + (int)rng_below(r, (uint32_t)c->nmiddle[female] - 1);
  for (int tries = 0; tries < 50; tries++) {
    p->given = (int)rng_below(r, (uint32_t)c->ngiven[female]);
    if (!strcmp(c->given[female][p->given].text, c->middle[female][p->middle].text)) continue;
    int clash = 0;
    for (int i = 0; i < k; i++) clash |= same_name(c, &m[i], p);
    if (!clash) break;
  }
}

/* A household of 1-7 people: a head aged 25-85, usually a spouse, maybe an
 * elderly parent of the head, and children or (for older heads)
 * grandchildren. Children carry the father's family name. Ages are in 2025;
 * nobody is born after last_year. Returns the number of members. */
static int gen_members(demo_ctx *c, member *m, int family, int last_year) {
  demo_rng *r = &c->rng;
  int n = 1 + rng_weighted(r, household_size_w, COUNT(household_size_w));
  int age;
  if (n == 1)
    age = rng_chance(r, 0.4) ? rng_range(r, 25, 45) : rng_range(r, 60, 85);
  else
    age = 25 + 5 * rng_weighted(r, head_age_w, COUNT(head_age_w)) + rng_range(r, 0, 4);
  age = clamp_int(age, 25, 85);
  int head_female = rng_chance(r, n == 1 ? 0.55 : 0.25);
  if (family < 0) family = rng_weighted(r, c->family_weights, COUNT(family_names));
  name_member(c, m, 0, family, head_female, age);
  int k = 1, children_family = family;
  if (k < n && rng_chance(r, 0.85)) {
    int spouse_age = head_female ? age + rng_range(r, -1, 6) : age - rng_range(r, -1, 6);
    int spouse_family = draw_family_except(c, family);
    name_member(c, m, k++, spouse_family, !head_female, clamp_int(spouse_age, 20, 90));
    if (head_female) children_family = spouse_family;
  }
  if (k < n && age <= 55 && rng_chance(r, 0.3)) {
    int female = rng_chance(r, 0.6);
    int parent_age = clamp_int(age + rng_range(r, 22, 32), 50, 92);
    name_member(c, m, k++, female ? draw_family_except(c, family) : family, female, parent_age);
  }
  while (k < n) {
    int child_age;
    if (age >= 58 && rng_chance(r, 0.55)) {
      child_age = rng_range(r, 0, clamp_int(age - 45, 0, 17));
    } else {
      child_age = age - rng_range(r, 20, 38);
      if (child_age < 0) child_age = rng_range(r, 0, age - 20);
    }
    name_member(c, m, k++, children_family, rng_chance(r, 0.49), child_age);
  }
  for (int i = 0; i < n; i++)
    if (m[i].birth_year > last_year) m[i].birth_year = last_year;
  return n;
}

static void full_name(const demo_ctx *c, const member *p, char *name, char *key, size_t size) {
  const word *f = &c->family[p->family], *mid = &c->middle[p->female][p->middle],
             *g = &c->given[p->female][p->given];
  snprintf(name, size, "%s %s %s", f->text, mid->text, g->text);
  snprintf(key, size, "%s %s %s", f->key, mid->key, g->key);
}

static void add_adult(commune *m, int64_t person_id, int birth_year, int urban) {
  if (m->nadults == m->cap_adults) {
    size_t cap = m->cap_adults ? 2 * m->cap_adults : 64;
    int64_t *grown = realloc(m->adults, cap * sizeof *grown);
    uint16_t *grown_info = realloc(m->adult_info, cap * sizeof *grown_info);
    if (!grown || !grown_info) abort(); /* as arena.h: out of memory is not recoverable here */
    m->adults = grown;
    m->adult_info = grown_info;
    m->cap_adults = cap;
  }
  m->adult_info[m->nadults] = (uint16_t)((birth_year - 1900) | (urban ? ADULT_URBAN : 0));
  m->adults[m->nadults++] = person_id;
}

/* One person's facts per year (criteria.md, "Inputs recorded"). Literacy
 * and schooling use one draw per person so they are stable over the years;
 * results change now and then. */
static void write_person_years(demo_ctx *c, int64_t person_id, int birth_year, int last_year) {
  demo_rng *r = &c->rng;
  double u_literate = rng_unit(r), u_school = rng_unit(r);
  int non_learner = rng_chance(r, 0.08);
  int result = rng_weighted(r, result_w, 4), conduct = rng_weighted(r, conduct_w, 4);
  int age_2025 = DEMO_LAST_YEAR - birth_year;
  double adult_literacy = age_2025 <= 60   ? 0.99
                          : age_2025 <= 70 ? 0.96
                          : age_2025 <= 80 ? 0.9
                                           : 0.82;
  int first = birth_year > DEMO_FIRST_YEAR ? birth_year : DEMO_FIRST_YEAR;
  for (int year = first; year <= last_year; year++) {
    int age = year - birth_year;
    double p_literate = age < 6    ? 0
                        : age == 6 ? 0.3
                        : age == 7 ? 0.85
                        : age < 15 ? 0.97
                                   : adult_literacy;
    double p_school = age < 6 ? 0 : age <= 14 ? 0.98 : age <= 17 ? 0.75 : age <= 22 ? 0.25 : 0;
    int in_school = u_school < p_school;
    if (rng_chance(r, 0.35)) result = rng_weighted(r, result_w, 4);
    if (rng_chance(r, 0.2)) conduct = rng_weighted(r, conduct_w, 4);
    int topics = age < 6       ? 0
                 : age < 15    ? rng_weighted(r, topics_child_w, COUNT(topics_child_w))
                 : non_learner ? 0
                               : rng_weighted(r, topics_adult_w, COUNT(topics_adult_w));
    db_stmt *s = c->st_year;
    bind_int(c, s, 1, c->prov);
    bind_int(c, s, 2, person_id);
    bind_int(c, s, 3, year);
    bind_int(c, s, 4, u_literate < p_literate);
    bind_int(c, s, 5, in_school);
    bind_text(c, s, 6, in_school ? results[result] : NULL);
    bind_text(c, s, 7, in_school ? results[conduct] : NULL);
    bind_int(c, s, 8, topics);
    write_row(c, s);
  }
}

/* A citizen id for ~85% of persons aged 14+: "031" (Hải Phòng), a
 * gender/century digit (0/1 men/women born 19xx, 2/3 born 20xx), the birth
 * year's last two digits and a 6-digit serial. Serials grow by a random step
 * per (digit, year), so ids are unique without a lookup and land near each
 * other in the index; NULL once a serial would pass 999999. */
static const char *citizen_id(demo_ctx *c, const member *p, char buf[32]) {
  if (DEMO_LAST_YEAR - p->birth_year < 14 || !rng_chance(&c->rng, 0.85)) return NULL;
  int digit = (p->birth_year >= 2000 ? 2 : 0) + p->female, yy = p->birth_year % 100;
  int next = c->cid_next[digit][yy] + 1 + (int)rng_below(&c->rng, (uint32_t)c->cid_step);
  if (next > 999999) {
    c->cid_missing++;
    return NULL;
  }
  c->cid_next[digit][yy] = next;
  snprintf(buf, 32, "031%d%02d%06d", digit, yy, next);
  return buf;
}

static void gen_household(demo_ctx *c, int vi, long serial) {
  demo_rng *r = &c->rng;
  const village *v = &c->villages[vi];
  commune *m = &c->communes[v->commune];
  int closed_year = 0, last_year = DEMO_LAST_YEAR;
  if (rng_chance(r, 0.005)) closed_year = rng_range(r, 2024, 2025), last_year = closed_year - 1;
  int move_year = 0, move_to = -1;
  if (!closed_year && rng_chance(r, 0.01)) {
    move_year = rng_range(r, 2023, 2024);
    move_to = m->first_village + (int)rng_below(r, (uint32_t)m->nvillages - 1);
    if (move_to >= vi) move_to++;
  }
  int64_t clan_id = 0;
  int family = -1;
  if (v->nclans && rng_chance(r, 0.66)) {
    int k = rng_chance(r, 0.5) ? 0 : (int)rng_below(r, (uint32_t)v->nclans);
    clan_id = c->clans[v->first_clan + k].id;
    family = c->clans[v->first_clan + k].family;
  }
  member mem[DEMO_MAX_MEMBERS];
  int n = gen_members(c, mem, family, last_year);
  char names[DEMO_MAX_MEMBERS][96], keys[DEMO_MAX_MEMBERS][96];
  for (int i = 0; i < n; i++) full_name(c, &mem[i], names[i], keys[i], sizeof names[i]);

  int64_t household_id = db_new_id(c->d);
  char code[32], address[320];
  snprintf(code, sizeof code, "HH%07ld", serial);
  snprintf(address, sizeof address, "Số %d, %s, %s (dữ liệu mẫu)", rng_range(r, 1, 250), v->name,
           m->name);
  db_stmt *s = c->st_household;
  bind_int(c, s, 1, c->prov);
  bind_int(c, s, 2, household_id);
  bind_text(c, s, 3, code);
  bind_text(c, s, 4, names[0]);
  bind_text(c, s, 5, keys[0]);
  bind_text(c, s, 6, address);
  if (closed_year) bind_int(c, s, 7, closed_year);
  write_row(c, s);
  gen_household_records(c, code, last_year);

  s = c->st_place;
  for (int row = 0; row < (move_to >= 0 ? 2 : 1); row++) {
    bind_int(c, s, 1, c->prov);
    bind_int(c, s, 2, household_id);
    bind_int(c, s, 3, row ? move_year : DEMO_FIRST_YEAR);
    bind_text(c, s, 4, c->villages[row ? move_to : vi].code);
    if (clan_id) bind_int(c, s, 5, clan_id);
    write_row(c, s);
  }

  for (int i = 0; i < n; i++) {
    char cid_buf[32];
    const char *cid = citizen_id(c, &mem[i], cid_buf);
    int64_t person_id = db_new_id(c->d);
    s = c->st_person;
    bind_int(c, s, 1, c->prov);
    bind_int(c, s, 2, person_id);
    bind_int(c, s, 3, household_id);
    bind_text(c, s, 4, names[i]);
    bind_text(c, s, 5, keys[i]);
    bind_int(c, s, 6, mem[i].birth_year);
    bind_text(c, s, 7, mem[i].female ? "nu" : "nam");
    bind_text(c, s, 8, cid);
    write_row(c, s);
    write_person_years(c, person_id, mem[i].birth_year, last_year);
    int age_2022 = DEMO_FIRST_YEAR - mem[i].birth_year;
    if (!closed_year && age_2022 >= 18 && age_2022 <= 60)
      add_adult(m, person_id, mem[i].birth_year, v->urban);
    else
      gen_person_records(c, person_id, mem[i].birth_year, last_year, v->urban,
                         citizen_profile_of(c, m, 0));
  }
}

/* Households go to the villages valid on 2022-01-01 (all of them) in
 * proportion to each village's weight: village i gets
 * floor(H * W_i / W) - floor(H * W_(i-1) / W) with W_i the running sum, so
 * the counts add up to H exactly. */
static void gen_households(demo_ctx *c) {
  long total = c->o->households;
  double sum = 0, running = 0;
  for (int i = 0; i < c->nvillages; i++) sum += c->villages[i].weight;
  long given = 0;
  for (int i = 0; i < c->nvillages; i++) {
    running += c->villages[i].weight;
    long upto = i + 1 == c->nvillages ? total : (long)((double)total * running / sum);
    c->villages[i].households = upto - given;
    c->communes[c->villages[i].commune].households += upto - given;
    given = upto;
  }
  /* Citizen-id serial steps: the fullest (digit, year) bucket holds about
   * H / 33 ids, so steps of 1..50,000,000/H keep serials below 10^6. */
  long step = total > 0 ? 50000000L / total : 999;
  c->cid_step = (int)(step < 1 ? 1 : step > 999 ? 999 : step);
  for (int d = 0; d < 4; d++)
    for (int y = 0; y < 100; y++) c->cid_next[d][y] = (int)rng_below(&c->rng, 1000);

  long serial = 0;
  progress(c, PHASE_HOUSEHOLDS, 0, total);
  for (int i = 0; i < c->nvillages && c->rc == HT_OK; i++) {
    for (long k = 0; k < c->villages[i].households && c->rc == HT_OK; k++) {
      gen_household(c, i, ++serial);
      progress(c, PHASE_HOUSEHOLDS, serial, total);
    }
  }
}

/* -------------------------------------------------------- organisations */

enum { ORG_AGENCY, ORG_SCHOOL, ORG_ENTERPRISE, ORG_COOP, ORG_PUBLIC_UNIT };
static const char *const org_kinds[] = {"co-quan", "truong-hoc", "doanh-nghiep", "hop-tac-xa",
                                        "don-vi-su-nghiep"};
static const unsigned org_commune_w[] = {15, 35, 30, 8, 12};
static const unsigned org_district_w[] = {40, 30, 0, 0, 30};
static const int org_members_lo[] = {8, 15, 5, 5, 5}, org_members_hi[] = {40, 60, 60, 30, 25};

/* First unused template (bit `base + i` of *used) starting from a random one,
 * or -1 when all are used. */
static int take_template(demo_rng *r, unsigned *used, int base, int n) {
  int start = (int)rng_below(r, (uint32_t)n);
  for (int j = 0; j < n; j++) {
    int i = (start + j) % n;
    if (!(*used & (1u << (base + i)))) {
      *used |= 1u << (base + i);
      return i;
    }
  }
  return -1;
}

/* Names an organisation of kind *kind managed by the district (district set)
 * or the commune; a kind whose names are used up in that unit becomes a
 * school (district) or an enterprise (commune). */
static void org_name(demo_ctx *c, commune *m, int district_managed, int *kind, char *out,
                     size_t size) {
  demo_rng *r = &c->rng;
  if (district_managed) {
    district *dd = &c->districts[m->district];
    const char *unit = kind_word(dd->def->kind, 1), *place = dd->def->place;
    int t = -1;
    if (*kind == ORG_AGENCY) t = take_template(r, &dd->used_templates, 0, COUNT(district_agencies));
    if (*kind == ORG_AGENCY && t >= 0) {
      snprintf(out, size, "%s %s %s", district_agencies[t], unit, place);
      return;
    }
    if (*kind == ORG_PUBLIC_UNIT)
      t = take_template(r, &dd->used_templates, 8, COUNT(district_public_units));
    if (*kind == ORG_PUBLIC_UNIT && t >= 0) {
      snprintf(out, size, "%s %s %s", district_public_units[t], unit, place);
      return;
    }
    *kind = ORG_SCHOOL;
    if (dd->high_schools++ == 0)
      snprintf(out, size, "Trường THPT %s", place);
    else
      snprintf(out, size, "Trường THPT %s", famous_names[rng_below(r, COUNT(famous_names))]);
    return;
  }
  const char *unit = kind_word(m->kind, 1);
  int urban = !strcmp(m->kind, "phuong");
  int t = -1;
  if (*kind == ORG_COOP && urban && rng_chance(r, 0.7)) *kind = ORG_ENTERPRISE;
  switch (*kind) {
    case ORG_AGENCY:
      t = take_template(r, &m->used_templates, 0, COUNT(commune_agencies));
      if (t >= 0) {
        snprintf(out, size, "%s %s %s", commune_agencies[t], unit, m->place);
        return;
      }
      break;
    case ORG_PUBLIC_UNIT:
      t = take_template(r, &m->used_templates, 8, COUNT(commune_public_units));
      if (t >= 0) {
        snprintf(out, size, "%s %s %s", commune_public_units[t], unit, m->place);
        return;
      }
      break;
    case ORG_SCHOOL: {
      int level = (int)rng_below(r, COUNT(school_levels));
      if (m->schools[level]++ == 0)
        snprintf(out, size, "%s %s", school_levels[level], m->place);
      else
        snprintf(out, size, "%s %s", school_levels[level],
                 famous_names[rng_below(r, COUNT(famous_names))]);
      return;
    }
    case ORG_COOP:
      if (urban)
        snprintf(out, size, "Hợp tác xã %s %s", coop_urban[rng_below(r, COUNT(coop_urban))],
                 m->place);
      else
        snprintf(out, size, "Hợp tác xã %s %s", coop_rural[rng_below(r, COUNT(coop_rural))],
                 m->place);
      return;
    default: break;
  }
  *kind = ORG_ENTERPRISE;
  snprintf(out, size, "%s %s %s", rng_chance(r, 0.7) ? "Công ty TNHH" : "Công ty Cổ phần",
           company_sectors[rng_below(r, COUNT(company_sectors))],
           company_brands[rng_below(r, COUNT(company_brands))]);
}

static void put_org_place(demo_ctx *c, int64_t org_id, const char *day, const char *admin) {
  db_stmt *s = c->st_org_place;
  bind_int(c, s, 1, c->prov);
  bind_int(c, s, 2, org_id);
  bind_text(c, s, 3, day);
  bind_text(c, s, 4, admin);
  write_row(c, s);
}

/* About one organisation per 150 households and at least one per commune
 * (before the reform): one each, the rest in proportion to the communes'
 * households. ~10% are managed by the district (and by the city after the
 * reform), except each new commune's anchor organisation. Members are
 * working-age adults of the commune, taken in a shuffled order so that few
 * people belong to two organisations. */
static void gen_orgs(demo_ctx *c) {
  long total = c->o->households / 150;
  if (total < c->ncommunes) total = c->ncommunes;
  double *w = arena_alloc(&c->mem, (size_t)c->ncommunes * sizeof *w);
  long *extra = arena_alloc(&c->mem, (size_t)c->ncommunes * sizeof *extra);
  int anchors = 0;
  for (int i = 0; i < c->ncommunes; i++) {
    w[i] = (double)c->communes[i].households;
    anchors += c->communes[i].anchor;
  }
  apportion(w, c->ncommunes, total - c->ncommunes, 0, NULL, extra);
  double p_district = 0.10 * (double)total / (double)(total - anchors);
  if (p_district > 0.5) p_district = 0.5;

  long serial = 0;
  progress(c, PHASE_ORGS, 0, total);
  for (int i = 0; i < c->ncommunes && c->rc == HT_OK; i++) {
    commune *m = &c->communes[i];
    demo_rng *r = &c->rng;
    for (size_t j = m->nadults; j > 1; j--) {
      size_t k = rng_below(r, (uint32_t)j);
      int64_t t = m->adults[j - 1];
      m->adults[j - 1] = m->adults[k];
      m->adults[k] = t;
      uint16_t info = m->adult_info[j - 1];
      m->adult_info[j - 1] = m->adult_info[k];
      m->adult_info[k] = info;
    }
    size_t cursor = 0;
    for (long j = 0; j <= extra[i] && c->rc == HT_OK; j++) {
      int district_managed = !(j == 0 && m->anchor) && rng_chance(r, p_district);
      int kind = district_managed ? rng_weighted(r, org_district_w, COUNT(org_district_w))
                                  : rng_weighted(r, org_commune_w, COUNT(org_commune_w));
      char raw[256], code[32];
      org_name(c, m, district_managed, &kind, raw, sizeof raw);
      const char *name = clean_text(c, raw);
      int64_t org_id = db_new_id(c->d);
      snprintf(code, sizeof code, "DV%06ld", ++serial);
      db_stmt *s = c->st_org;
      bind_int(c, s, 1, c->prov);
      bind_int(c, s, 2, org_id);
      bind_text(c, s, 3, code);
      bind_text(c, s, 4, name);
      bind_text(c, s, 5, key_text(c, name));
      bind_text(c, s, 6, org_kinds[kind]);
      write_row(c, s);
      if (district_managed) {
        put_org_place(c, org_id, DAY_START, c->districts[m->district].def->code);
        put_org_place(c, org_id, DAY_REFORM, "31");
      } else {
        put_org_place(c, org_id, DAY_START, m->code);
        if (m->absorbed_by >= 0)
          put_org_place(c, org_id, DAY_MERGE, c->communes[m->absorbed_by].code);
        put_org_place(c, org_id, DAY_REFORM, c->fresh[m->successor].code);
      }
      size_t want = (size_t)rng_range(r, org_members_lo[kind], org_members_hi[kind]);
      if (want > m->nadults) want = m->nadults;
      /* from the records' stream, so the registry stays as it was */
      uint16_t staff =
          ADULT_STAFF | (rng_chance(&c->rec_rng, DEMO_ORG_DRIVE_SHARE) ? ADULT_DRIVE : 0);
      for (size_t k = 0; k < want; k++) {
        m->adult_info[cursor % m->nadults] |= staff;
        s = c->st_member;
        bind_int(c, s, 1, c->prov);
        bind_int(c, s, 2, org_id);
        bind_int(c, s, 3, m->adults[cursor++ % m->nadults]);
        bind_int(c, s, 4, DEMO_FIRST_YEAR);
        write_row(c, s);
      }
      progress(c, PHASE_ORGS, serial, total);
    }
  }
}

/* ---------------------------------------------------------------- build */

void demo_options_default(demo_options *o) {
  o->seed = 1;
  o->households = 20000;
  o->progress = 0;
}

static void init_words(demo_ctx *c) {
  for (int i = 0; i < COUNT(family_names); i++) {
    c->family[i] = make_word(c, family_names[i].text);
    c->family_weights[i] = family_names[i].weight;
  }
  c->nmiddle[0] = COUNT(middle_male), c->nmiddle[1] = COUNT(middle_female);
  c->ngiven[0] = COUNT(given_male), c->ngiven[1] = COUNT(given_female);
  for (int i = 0; i < COUNT(middle_male); i++) c->middle[0][i] = make_word(c, middle_male[i]);
  for (int i = 0; i < COUNT(middle_female); i++) c->middle[1][i] = make_word(c, middle_female[i]);
  for (int i = 0; i < COUNT(given_male); i++) c->given[0][i] = make_word(c, given_male[i]);
  for (int i = 0; i < COUNT(given_female); i++) c->given[1][i] = make_word(c, given_female[i]);
}

static int prepare_all(demo_ctx *c) {
  const struct {
    db_stmt **slot;
    const char *sql;
  } stmts[] = {
      {&c->st_unit,
       "INSERT INTO units (prov, id, code, name, name_key, kind, parent_code, valid_from, "
       "valid_to, groups) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"},
      {&c->st_change,
       "INSERT INTO unit_changes (prov, id, change_date, old_code, new_code) "
       "VALUES ($1, $2, $3, $4, $5)"},
      {&c->st_clan,
       "INSERT INTO clans (prov, id, code, name, name_key, village_code) "
       "VALUES ($1, $2, $3, $4, $5, $6)"},
      {&c->st_household,
       "INSERT INTO households (prov, id, code, head_name, head_key, address, closed_year) "
       "VALUES ($1, $2, $3, $4, $5, $6, $7)"},
      {&c->st_place,
       "INSERT INTO household_places (prov, household_id, from_year, village_code, clan_id) "
       "VALUES ($1, $2, $3, $4, $5)"},
      {&c->st_person,
       "INSERT INTO persons (prov, id, household_id, full_name, name_key, birth_year, gender, "
       "citizen_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"},
      {&c->st_year,
       "INSERT INTO person_years (prov, person_id, year, literate, in_school, school_result, "
       "conduct, topics_completed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"},
      {&c->st_org,
       "INSERT INTO organisations (prov, id, code, name, name_key, kind) "
       "VALUES ($1, $2, $3, $4, $5, $6)"},
      {&c->st_org_place,
       "INSERT INTO organisation_places (prov, organisation_id, valid_from, admin_code) "
       "VALUES ($1, $2, $3, $4)"},
      {&c->st_member,
       "INSERT INTO organisation_members (prov, organisation_id, person_id, from_year, to_year) "
       "VALUES ($1, $2, $3, $4, NULL)"},
      {&c->st_record,
       "INSERT INTO records (prov, title, year, entity, registered_on, form_group, vals, "
       "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"},
      {&c->st_evidence,
       "INSERT INTO record_evidence (prov, id, title, year, entity, item, note, created_at) "
       "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"},
  };
  for (int i = 0; i < COUNT(stmts); i++) {
    int rc = db_prepare(c->d, stmts[i].sql, stmts[i].slot);
    if (rc) return rc;
  }
  return HT_OK;
}

static void finalize_all(demo_ctx *c) {
  db_stmt **all[] = {&c->st_unit,      &c->st_change, &c->st_clan,   &c->st_household,
                     &c->st_place,     &c->st_person, &c->st_year,   &c->st_org,
                     &c->st_org_place, &c->st_member, &c->st_record, &c->st_evidence};
  for (int i = 0; i < COUNT(all); i++) {
    db_finalize(*all[i]);
    *all[i] = NULL;
  }
}

static int check_empty(db *d, ht_err *err) {
  int64_t units = 0, households = 0;
  int rc = db_query_int64(d, &units, "SELECT COUNT(*) FROM units", 0);
  if (rc == HT_OK) rc = db_query_int64(d, &households, "SELECT COUNT(*) FROM households", 0);
  if (rc) return ht_err_set(err, rc, "cannot read the database: %s", db_errmsg(d));
  if (units || households)
    return ht_err_set(err, HT_ECONFLICT,
                      "the database already holds %lld administrative units and %lld households; "
                      "demo data can only be built into an empty database (use a new file)",
                      (long long)units, (long long)households);
  return HT_OK;
}

int demo_build(db *d, const demo_options *o, ht_err *err) {
  demo_options defaults;
  if (!o) demo_options_default(&defaults), o = &defaults;
  if (o->households < 0 || o->households > DEMO_MAX_HOUSEHOLDS)
    return ht_err_set(err, HT_EINVAL, "the number of households must be between 0 and %ld, not %ld",
                      DEMO_MAX_HOUSEHOLDS, o->households);
  int rc = check_empty(d, err);
  if (rc) return rc;

  demo_ctx *c = calloc(1, sizeof *c);
  if (!c) return ht_err_set(err, HT_ENOMEM, "out of memory");
  c->d = d;
  c->o = o;
  c->err = err;
  c->progress_pct = -1;
  arena_init(&c->mem, 0);
  rng_seed(&c->rng, o->seed);
  /* A second stream for the records, so they leave the registry unchanged. */
  rng_seed(&c->rec_rng, o->seed ^ 0x7265636f72647331ULL);
  int64_t old_prov = db_prov(d);

  /* Durability is pointless while generating: if the build is interrupted
   * the data set is regenerated into a new file, so commits skip the fsync
   * (much faster on ordinary disks). FULL is restored below. */
  rc = db_exec(d, "PRAGMA synchronous=OFF");
  if (rc == HT_OK) rc = db_begin(d);
  if (rc == HT_OK) {
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)o->seed);
    db_set_prov(d, DEMO_PROV);
    c->prov = db_prov(d);
    rc = db_meta_set(d, "province", "31");
    if (rc == HT_OK) rc = db_meta_set(d, "demo", "1");
    if (rc == HT_OK) rc = db_meta_set(d, "demo_seed", seed);
    if (rc == HT_OK) rc = hier_seed_reference(d);
  }
  if (rc == HT_OK) rc = prepare_all(c);
  if (rc) {
    ht_err_set(err, rc, "cannot prepare the demo build: %s", db_errmsg(d));
    goto end;
  }
  init_words(c);
  plan_records(c);
  if (c->rc == HT_OK) build_hierarchy(c);
  if (c->rc == HT_OK) write_units(c);
  if (c->rc == HT_OK) write_changes(c);
  if (c->rc == HT_OK) gen_clans(c);
  if (c->rc == HT_OK) draw_campaigns(c);
  if (c->rc == HT_OK) gen_households(c);
  if (c->rc == HT_OK) gen_orgs(c);
  if (c->rc == HT_OK) gen_adult_records(c);
  if (c->rc == HT_OK) gen_other_records(c);
  if (c->rc == HT_OK) c->rc = db_exec(d, MIGRATE_RECORD_PLACES_SQL);
  /* The workflow (docs/workflow.md, "Demo data"): four in five records of
   * the last year are submitted and wait for review; the others are still
   * being entered. Earlier years stay as entered (history brought in from
   * before the system, without decisions). */
  if (c->rc == HT_OK) {
    char sql[256];
    snprintf(sql, sizeof sql,
             "UPDATE records SET stage = 'submitted', submitted_at = updated_at WHERE prov = %d "
             "AND year = %d AND (updated_at / 1000) %% 5 <> 0",
             DEMO_PROV, DEMO_LAST_YEAR);
    c->rc = db_exec(d, sql);
  }
  if (c->progress_len) fputc('\n', stderr);
  rc = c->rc;
  if (rc == HT_OK) rc = db_commit(d);
  if (rc != HT_OK && !c->err_set)
    ht_err_set(err, rc, "cannot write the demo data: %s%s", db_errmsg(d),
               c->commits ? " (the database now holds part of the data set; delete it and build "
                            "again)"
                          : "");

end:
  if (rc != HT_OK) {
    db_rollback(d);
    if (!c->commits) db_set_prov(d, old_prov);
  }
  finalize_all(c);
  int rc_sync = db_exec(d, "PRAGMA synchronous=FULL");
  if (rc == HT_OK && rc_sync != HT_OK) {
    rc = rc_sync;
    ht_err_set(err, rc, "cannot restore synchronous=FULL: %s", db_errmsg(d));
  }
  for (int i = 0; i < c->ncommunes; i++) {
    free(c->communes[i].adults);
    free(c->communes[i].adult_info);
  }
  crit_set_free(&c->crit);
  strbuf_free(&c->vals);
  arena_free(&c->mem);
  free(c);
  return rc;
}
