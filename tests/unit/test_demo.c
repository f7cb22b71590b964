/* test_demo.c - the demo-data generator: shape of the hierarchy and the 2025
 * reform, registry counts, determinism, refusal to overwrite. */
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
#include "services/demo.h"
#include "store/db.h"
#include "test.h"

#define DEMO_TEST_HOUSEHOLDS 1500

/* A unit version valid on a day given as a SQL literal ('YYYY-MM-DD'). */
#define VALID_ON(alias, day)                                                                       \
  " " alias ".valid_from <= " day " AND (" alias ".valid_to IS NULL OR " alias ".valid_to >= " day \
  ")"
/* The level of a unit through its kind. */
#define LEVEL(alias)                                                                       \
  "(SELECT k.level_key FROM unit_kinds k WHERE k.prov = " alias ".prov AND k.key = " alias \
  ".kind"                                                                                  \
  ")"

static db *open_demo(const char *name, uint64_t seed, long households) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", test_tmpdir(), name);
  db *d = NULL;
  ht_err err = {0};
  if (db_open(&d, path, &err) != HT_OK) {
    test__fail(__FILE__, __LINE__, "db_open: %s", err.msg);
    return NULL;
  }
  demo_options o;
  demo_options_default(&o);
  o.seed = seed;
  o.households = households;
  int rc = demo_build(d, &o, &err);
  if (rc != HT_OK) test__fail(__FILE__, __LINE__, "demo_build: %d %s", rc, err.msg);
  return d;
}

static int64_t q(db *d, const char *sql) {
  int64_t v = -1;
  if (db_query_int64(d, &v, sql, 0) != HT_OK)
    test__fail(__FILE__, __LINE__, "query failed: %s: %s", db_errmsg(d), sql);
  return v;
}

/* Every row of a query, one line each, columns separated by '|'. */
static char *dump(db *d, const char *sql) {
  strbuf b = STRBUF_INIT;
  db_stmt *s = NULL;
  if (db_prepare(d, sql, &s) != HT_OK) {
    test__fail(__FILE__, __LINE__, "prepare failed: %s", sql);
    return strbuf_detach(&b);
  }
  while (db_step(s) == DB_ROW) {
    for (int i = 0; i < db_col_count(s); i++) {
      if (i) strbuf_putc(&b, '|');
      strbuf_puts(&b, db_col_is_null(s, i) ? "NULL" : db_col_text(s, i));
    }
    strbuf_putc(&b, '\n');
  }
  db_finalize(s);
  strbuf_puts(&b, "");
  return strbuf_detach(&b);
}

TEST(demo_hierarchy_and_reform) {
  db *d = open_demo("hier.db", 7, DEMO_TEST_HOUSEHOLDS);
  if (!d) return;
  CHECK_EQ_INT(db_prov(d), 31);
  char buf[32];
  CHECK_EQ_INT(db_meta_get(d, "demo", buf, sizeof buf), HT_OK);
  CHECK_EQ_STR(buf, "1");
  CHECK_EQ_INT(db_meta_get(d, "demo_seed", buf, sizeof buf), HT_OK);
  CHECK_EQ_STR(buf, "7");

  /* Before the reform: two roots, 15 + 12 districts. */
  CHECK_EQ_INT(q(d, "SELECT COUNT(*) FROM units u WHERE u.parent_code IS NULL AND" VALID_ON(
                        "u", "'2024-06-30'")),
               2);
  CHECK_EQ_INT(q(d,
                 "SELECT COUNT(*) FROM units u WHERE u.parent_code IS NULL AND u.code IN "
                 "('30', '31') AND" VALID_ON("u", "'2024-06-30'")),
               2);
  CHECK_EQ_INT(q(d, "SELECT COUNT(*) FROM units u WHERE u.parent_code = '31' AND " LEVEL(
                        "u") " = 'district' AND" VALID_ON("u", "'2024-06-30'")),
               15);
  CHECK_EQ_INT(q(d, "SELECT COUNT(*) FROM units u WHERE u.parent_code = '30' AND " LEVEL(
                        "u") " = 'district' AND" VALID_ON("u", "'2024-06-30'")),
               12);

  /* Hải Phòng's communes: 217, then 167 after the 2025-01-01 mergers. */
  static const char hp_communes_2024[] =
      "SELECT COUNT(*) FROM units u WHERE " LEVEL("u") " = 'commune' AND" VALID_ON(
          "u", "'2024-06-30'") " AND u.parent_code IN (SELECT p.code FROM units p WHERE "
                               "p.parent_code = '31' AND" VALID_ON("p", "'2024-06-30'") ")";
  static const char hp_communes_2025[] =
      "SELECT COUNT(*) FROM units u WHERE " LEVEL("u") " = 'commune' AND" VALID_ON(
          "u", "'2025-01-01'") " AND u.parent_code IN (SELECT p.code FROM units p WHERE "
                               "p.parent_code = '31' AND" VALID_ON("p", "'2025-01-01'") ")";
  CHECK_EQ_INT(q(d, hp_communes_2024), 217);
  CHECK_EQ_INT(q(d, hp_communes_2025), 167);
  CHECK_EQ_INT(q(d, "SELECT COUNT(*) FROM unit_changes WHERE change_date = '2025-01-01'"), 50);

  /* After the reform: 114 communes directly under the city, no districts. */
  CHECK_EQ_INT(q(d, "SELECT COUNT(*) FROM units u WHERE u.parent_code = '31' AND " LEVEL(
                        "u") " = 'commune' AND" VALID_ON("u", "'2025-07-01'")),
               114);
  CHECK_EQ_INT(q(d,
                 "SELECT COUNT(*) FROM units u WHERE u.parent_code = '31' AND u.kind = "
                 "'phuong' AND" VALID_ON("u", "'2025-07-01'")),
               45);
  CHECK_EQ_INT(q(d,
                 "SELECT COUNT(*) FROM units u WHERE u.parent_code = '31' AND u.kind = "
                 "'dac-khu' AND u.groups LIKE '%island%' AND" VALID_ON("u", "'2025-07-01'")),
               2);
  CHECK_EQ_INT(q(d, "SELECT COUNT(*) FROM units u WHERE " LEVEL("u") " = 'district' AND" VALID_ON(
                        "u", "'2025-07-01'")),
               0);
  CHECK_EQ_INT(q(d, "SELECT COUNT(*) FROM units u WHERE u.parent_code IS NULL AND" VALID_ON(
                        "u", "'2025-07-01'")),
               1);

  /* Every commune valid on the last day before the reform has exactly one
   * successor among the new communes; every new commune has a predecessor. */
  static const char pre_reform[] = "SELECT u.code FROM units u WHERE " LEVEL(
      "u") " = 'commune' AND" VALID_ON("u", "'2025-06-30'");
  static const char new_communes[] = "SELECT u.code FROM units u WHERE " LEVEL(
      "u") " = 'commune' AND" VALID_ON("u", "'2025-07-01'");
  char sql[2048];
  snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM (%s)", pre_reform);
  CHECK_EQ_INT(q(d, sql), 167 + 207);
  snprintf(sql, sizeof sql,
           "SELECT COUNT(*) FROM (%s) p WHERE (SELECT COUNT(*) FROM unit_changes c WHERE "
           "c.old_code = p.code AND c.change_date = '2025-07-01' AND c.new_code IN (%s)) <> 1",
           pre_reform, new_communes);
  CHECK_EQ_INT(q(d, sql), 0);
  CHECK_EQ_INT(q(d, "SELECT COUNT(*) FROM unit_changes WHERE change_date = '2025-07-01'"),
               167 + 207 + 1);
  snprintf(sql, sizeof sql,
           "SELECT COUNT(*) FROM (%s) n WHERE NOT EXISTS (SELECT 1 FROM unit_changes c WHERE "
           "c.new_code = n.code AND c.change_date = '2025-07-01')",
           new_communes);
  CHECK_EQ_INT(q(d, sql), 0);

  /* Villages: 4-12 per old commune; each has a version under a new commune. */
  CHECK_EQ_INT(q(d,
                 "SELECT COUNT(*) FROM (SELECT u.parent_code, COUNT(*) AS n FROM units u "
                 "WHERE " LEVEL("u") " = 'village' AND u.valid_from = '2020-01-01' GROUP BY "
                                     "u.parent_code) WHERE n < 4 OR n > 12"),
               0);
  int64_t villages =
      q(d, "SELECT COUNT(DISTINCT code) FROM units u WHERE " LEVEL("u") " = 'village'");
  CHECK(villages >= 424 * 4);
  snprintf(sql, sizeof sql,
           "SELECT COUNT(DISTINCT v.code) FROM units v WHERE " LEVEL(
               "v") " = 'village' AND" VALID_ON("v", "'2025-07-01'") " AND v.parent_code IN (%s)",
           new_communes);
  CHECK_EQ_INT(q(d, sql), villages);
  /* A village of an absorbed commune moved to the absorbing one on 2025-01-01. */
  CHECK_EQ_INT(q(d,
                 "SELECT COUNT(*) FROM units v JOIN unit_changes c ON c.old_code = "
                 "substr(v.code, 1, 5) AND c.change_date = '2025-01-01' WHERE v.valid_from = "
                 "'2025-01-01' AND v.parent_code <> c.new_code"),
               0);
  CHECK(q(d, "SELECT COUNT(*) FROM units WHERE valid_from = '2025-01-01'") >= 50 * 4);
  /* Names are stored in NFC with the kind word; groups are sorted keys. */
  CHECK_EQ_INT(q(d,
                 "SELECT COUNT(*) FROM units WHERE code = '31' AND name = 'Thành phố Hải "
                 "Phòng'"),
               1);
  CHECK_EQ_INT(q(d,
                 "SELECT COUNT(*) FROM units WHERE code = '312' AND groups = "
                 "'difficult|island|rural'"),
               1);
  CHECK_EQ_INT(q(d,
                 "SELECT COUNT(*) FROM units WHERE kind = 'to-dan-pho' AND name NOT LIKE 'Tổ "
                 "dân phố %'"),
               0);
  db_close(d);
}

/* The hierarchy index reads the demo as the product will: the city's
 * children before and after the reform, a village that followed its
 * absorbed commune, and predecessors of every new commune. */
TEST(demo_hierarchy_loads) {
  db *d = open_demo("load.db", 11, 100);
  if (!d) return;
  hier h;
  ht_err err = {0};
  if (hier_load(d, &h, &err) != HT_OK) {
    test__fail(__FILE__, __LINE__, "hier_load: %s", err.msg);
    db_close(d);
    return;
  }
  arena a;
  arena_init(&a, 0);
  const hier_unit **units = NULL;
  int32_t before = date_from_ymd(2024, 6, 30), after = date_from_ymd(2025, 7, 1);
  CHECK_EQ_INT(hier_children(&h, NULL, before, &a, &units), 2);
  CHECK_EQ_INT(hier_children(&h, "31", before, &a, &units), 15);
  CHECK_EQ_INT(hier_children(&h, "30", before, &a, &units), 12);
  size_t n = hier_children(&h, "31", after, &a, &units);
  CHECK_EQ_INT(n, 114);
  for (size_t i = 0; i < n; i++) {
    const hier_change **preds = NULL;
    CHECK(hier_predecessors(&h, units[i]->code, &a, &preds) >= 1);
    CHECK_EQ_STR(units[i]->kind->level->key, "commune");
  }
  /* A village of an absorbed commune: old parent, then the absorbing one. */
  const hier_change **absorbed = NULL;
  size_t nabsorbed = 0;
  for (size_t i = 0; i < h.nchanges; i++)
    if (h.changes[i].day == date_from_ymd(2025, 1, 1)) nabsorbed++;
  CHECK_EQ_INT(nabsorbed, 50);
  for (size_t i = 0; i < h.nchanges; i++) {
    if (h.changes[i].day != date_from_ymd(2025, 1, 1)) continue;
    char code[32];
    snprintf(code, sizeof code, "%s-01", h.changes[i].old_code);
    const hier_unit *v = hier_find(&h, code, date_from_ymd(2025, 3, 1));
    CHECK(v != NULL);
    if (v) CHECK_EQ_STR(v->parent_code, h.changes[i].new_code);
    const hier_unit *later = v ? hier_find(&h, code, after) : NULL;
    CHECK(later != NULL);
    if (later) {
      const hier_unit *parent = hier_parent(&h, later, after);
      CHECK(parent != NULL && parent->parent_code && !strcmp(parent->parent_code, "31"));
    }
    CHECK(hier_successors(&h, h.changes[i].old_code, &a, &absorbed) == 1);
    break;
  }
  arena_free(&a);
  hier_free(&h);
  db_close(d);
}

TEST(demo_registry) {
  db *d = open_demo("registry.db", 7, DEMO_TEST_HOUSEHOLDS);
  if (!d) return;
  CHECK_EQ_INT(q(d, "SELECT COUNT(*) FROM households"), DEMO_TEST_HOUSEHOLDS);
  CHECK_EQ_INT(q(d,
                 "SELECT COUNT(*) FROM households WHERE code NOT GLOB "
                 "'HH[0-9][0-9][0-9][0-9][0-9][0-9][0-9]'"),
               0);
  /* 1-7 members, one of them named as the head; mean about 3.5. */
  CHECK_EQ_INT(q(d,
                 "SELECT COUNT(*) FROM (SELECT household_id, COUNT(*) AS n FROM persons GROUP "
                 "BY household_id) WHERE n < 1 OR n > 7"),
               0);
  CHECK_EQ_INT(q(d,
                 "SELECT COUNT(*) FROM households h WHERE NOT EXISTS (SELECT 1 FROM persons p "
                 "WHERE p.household_id = h.id AND p.full_name = h.head_name)"),
               0);
  CHECK_EQ_INT(q(d,
                 "SELECT COUNT(*) FROM (SELECT household_id, full_name FROM persons GROUP BY "
                 "household_id, full_name HAVING COUNT(*) > 1)"),
               0);
  int64_t persons = q(d, "SELECT COUNT(*) FROM persons");
  CHECK(persons > DEMO_TEST_HOUSEHOLDS * 3 && persons < DEMO_TEST_HOUSEHOLDS * 4);
  /* Every household lives in a village valid in 2022; ~1% move. */
  CHECK_EQ_INT(q(d,
                 "SELECT COUNT(*) FROM household_places hp WHERE hp.from_year = 2022 AND NOT "
                 "EXISTS (SELECT 1 FROM units v WHERE v.code = hp.village_code AND "
                 "v.valid_from <= '2022-01-01')"),
               0);
  CHECK_EQ_INT(q(d, "SELECT COUNT(DISTINCT household_id) FROM household_places"),
               DEMO_TEST_HOUSEHOLDS);
  CHECK(q(d, "SELECT COUNT(*) FROM household_places WHERE from_year > 2022") < 60);
  /* Citizen ids: 12 digits starting 031, for persons aged 14+ only. */
  CHECK_EQ_INT(q(d,
                 "SELECT COUNT(*) FROM persons WHERE citizen_id IS NOT NULL AND (length("
                 "citizen_id) <> 12 OR substr(citizen_id, 1, 3) <> '031' OR citizen_id GLOB "
                 "'*[^0-9]*' OR substr(citizen_id, 5, 2) <> substr(birth_year, 3, 2) OR "
                 "2025 - birth_year < 14)"),
               0);
  int64_t adults = q(d, "SELECT COUNT(*) FROM persons WHERE 2025 - birth_year >= 14");
  int64_t with_id = q(d, "SELECT COUNT(citizen_id) FROM persons");
  CHECK(with_id * 100 > adults * 78 && with_id * 100 < adults * 92);
  /* Search keys are what vt_search_key makes of the stored name. */
  db_stmt *s = NULL;
  CHECK_EQ_INT(db_prepare(d, "SELECT full_name, name_key FROM persons ORDER BY id LIMIT 300", &s),
               HT_OK);
  while (s && db_step(s) == DB_ROW) {
    char *key = NULL;
    CHECK_EQ_INT(vt_search_key(db_col_text(s, 0), &key), HT_OK);
    CHECK_EQ_STR(db_col_text(s, 1), key);
    free(key);
  }
  db_finalize(s);
  /* Yearly facts: one row per year lived, none before birth or after closing. */
  CHECK_EQ_INT(q(d,
                 "SELECT COUNT(*) FROM person_years y JOIN persons p ON p.id = y.person_id "
                 "WHERE y.year < p.birth_year OR y.year < 2022 OR y.year > 2025"),
               0);
  CHECK_EQ_INT(q(d,
                 "SELECT COUNT(*) FROM person_years y JOIN persons p ON p.id = y.person_id "
                 "JOIN households h ON h.id = p.household_id WHERE y.year >= h.closed_year"),
               0);
  CHECK_EQ_INT(q(d,
                 "SELECT COUNT(*) FROM persons p JOIN households h ON h.id = p.household_id "
                 "WHERE h.closed_year IS NULL AND (SELECT COUNT(*) FROM person_years y WHERE "
                 "y.person_id = p.id) <> 2025 - max(p.birth_year, 2022) + 1"),
               0);
  CHECK_EQ_INT(q(d,
                 "SELECT COUNT(*) FROM person_years y JOIN persons p ON p.id = y.person_id "
                 "WHERE y.year - p.birth_year < 6 AND (y.literate OR y.in_school)"),
               0);
  CHECK_EQ_INT(q(d,
                 "SELECT COUNT(*) FROM person_years WHERE (in_school = 1) <> (school_result "
                 "IS NOT NULL) OR (in_school = 1) <> (conduct IS NOT NULL) OR "
                 "topics_completed NOT BETWEEN 0 AND 6"),
               0);
  int64_t pupils = q(d,
                     "SELECT COUNT(*) FROM person_years y JOIN persons p ON p.id = "
                     "y.person_id WHERE y.year - p.birth_year BETWEEN 6 AND 14");
  int64_t in_school = q(d,
                        "SELECT COUNT(*) FROM person_years y JOIN persons p ON p.id = "
                        "y.person_id WHERE y.year - p.birth_year BETWEEN 6 AND 14 AND "
                        "y.in_school = 1");
  CHECK(pupils > 0 && in_school * 100 > pupils * 94);
  /* Clans in rural villages only; households of a clan carry its name. */
  CHECK(q(d, "SELECT COUNT(*) FROM clans") > 424);
  CHECK_EQ_INT(q(d,
                 "SELECT COUNT(*) FROM clans c JOIN units v ON v.code = c.village_code WHERE "
                 "v.kind <> 'thon'"),
               0);
  CHECK(q(d,
          "SELECT COUNT(DISTINCT household_id) FROM household_places WHERE clan_id IS NOT "
          "NULL") > 0);
  /* Organisations: at least one per old commune, placed before and after. */
  CHECK(q(d, "SELECT COUNT(*) FROM organisations") >= 424);
  CHECK_EQ_INT(q(d,
                 "SELECT COUNT(*) FROM organisations o WHERE NOT EXISTS (SELECT 1 FROM "
                 "organisation_places p WHERE p.organisation_id = o.id AND p.valid_from = "
                 "'2020-01-01') OR NOT EXISTS (SELECT 1 FROM organisation_places p JOIN units "
                 "u ON u.code = p.admin_code AND u.valid_to IS NULL WHERE p.organisation_id = "
                 "o.id AND p.valid_from = '2025-07-01')"),
               0);
  CHECK_EQ_INT(q(d,
                 "SELECT COUNT(*) FROM (SELECT organisation_id, COUNT(*) AS n FROM "
                 "organisation_members GROUP BY organisation_id) WHERE n > 60"),
               0);
  CHECK_EQ_INT(q(d,
                 "SELECT COUNT(*) FROM organisation_members m JOIN persons p ON p.id = "
                 "m.person_id WHERE 2022 - p.birth_year NOT BETWEEN 18 AND 60"),
               0);
  CHECK(q(d, "SELECT COUNT(*) FROM organisation_members") > 0);
  /* The build restored full durability and left valid foreign keys. */
  CHECK_EQ_INT(q(d, "PRAGMA synchronous"), 2);
  CHECK_EQ_INT(q(d, "SELECT COUNT(*) FROM pragma_foreign_key_check"), 0);
  db_close(d);
}

static const char households_sql[] =
    "SELECT h.code, h.head_name, h.address, h.closed_year, hp.from_year, hp.village_code, "
    "c.code FROM households h JOIN household_places hp ON hp.household_id = h.id LEFT JOIN clans "
    "c ON c.id = hp.clan_id ORDER BY h.code, hp.from_year";
static const char persons_sql[] =
    "SELECT h.code, p.full_name, p.birth_year, p.gender, p.citizen_id, (SELECT group_concat("
    "y.year || ':' || y.literate || y.in_school || ifnull(y.school_result, '-') || "
    "ifnull(y.conduct, '-') || y.topics_completed, ',') FROM person_years y WHERE y.person_id = "
    "p.id) FROM persons p JOIN households h ON h.id = p.household_id ORDER BY h.code, p.id";
static const char units_sql[] =
    "SELECT code, name, kind, parent_code, valid_from, valid_to, groups FROM units ORDER BY "
    "code, valid_from";
static const char orgs_sql[] =
    "SELECT o.code, o.name, o.kind, (SELECT group_concat(p.valid_from || '>' || p.admin_code) "
    "FROM organisation_places p WHERE p.organisation_id = o.id), (SELECT COUNT(*) FROM "
    "organisation_members m WHERE m.organisation_id = o.id) FROM organisations o ORDER BY o.code";

/* Records with persons named by household, name and birth year instead of
 * their generated ids. */
static const char records_sql[] =
    "SELECT r.title, r.year, CASE WHEN p.id IS NULL THEN r.entity ELSE h.code || '/' || "
    "p.full_name || '/' || p.birth_year END AS e, r.registered_on, r.form_group, r.vals, "
    "r.updated_at FROM records r LEFT JOIN persons p ON r.title = 'cong-dan-hoc-tap' AND p.id = "
    "CAST(r.entity AS BIGINT) LEFT JOIN households h ON h.id = p.household_id ORDER BY 1, 2, 3";
static const char evidence_sql[] =
    "SELECT title, year, entity, item, note, created_at FROM record_evidence ORDER BY 1, 2, 3, 4, "
    "6";

TEST(demo_deterministic) {
  db *a = open_demo("same_a.db", 7, 400);
  db *b = open_demo("same_b.db", 7, 400);
  db *other = open_demo("other.db", 8, 400);
  if (!a || !b || !other) return;
  const char *queries[] = {households_sql, persons_sql, units_sql,
                           orgs_sql,       records_sql, evidence_sql};
  for (int i = 0; i < 6; i++) {
    char *x = dump(a, queries[i]), *y = dump(b, queries[i]);
    CHECK(strlen(x) > 1000);
    CHECK(strcmp(x, y) == 0);
    free(x);
    free(y);
  }
  /* Another seed gives other people and other records. */
  char *x = dump(a, persons_sql), *z = dump(other, persons_sql);
  CHECK(strcmp(x, z) != 0);
  free(x);
  free(z);
  x = dump(a, records_sql), z = dump(other, records_sql);
  CHECK(strcmp(x, z) != 0);
  free(x);
  free(z);
  db_close(a);
  db_close(b);
  db_close(other);
}

TEST(demo_refuses_non_empty_database) {
  db *d = open_demo("twice.db", 3, 200);
  if (!d) return;
  demo_options o;
  demo_options_default(&o);
  o.households = 200;
  ht_err err = {0};
  CHECK_EQ_INT(demo_build(d, &o, &err), HT_ECONFLICT);
  CHECK(strstr(err.msg, "empty") != NULL);
  CHECK_EQ_INT(q(d, "SELECT COUNT(*) FROM households"), 200);
  o.households = -1;
  CHECK_EQ_INT(demo_build(d, &o, &err), HT_EINVAL);
  db_close(d);
}

/* How many entities of a title's kind exist in year (as the records use
 * them: persons aged 15+ with facts that year, open households, clans,
 * organisations, units at the level valid on 31 December). */
static int64_t entities_in_year(db *d, crit_entity e, int year) {
  char sql[1024];
  switch (e) {
    case CRIT_PERSON:
      snprintf(sql, sizeof sql,
               "SELECT COUNT(*) FROM person_years y JOIN persons p ON p.id = y.person_id WHERE "
               "y.year = %d AND %d - p.birth_year >= 15",
               year, year);
      break;
    case CRIT_HOUSEHOLD:
      snprintf(sql, sizeof sql,
               "SELECT COUNT(*) FROM households WHERE closed_year IS NULL OR closed_year > %d",
               year);
      break;
    case CRIT_CLAN: snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM clans"); break;
    case CRIT_ORGANISATION: snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM organisations"); break;
    default:
      snprintf(sql, sizeof sql,
               "SELECT COUNT(*) FROM units u WHERE " LEVEL("u") " = '%s' AND u.valid_from <= "
                                                                "'%d-12-31' AND (u.valid_to IS "
                                                                "NULL OR u.valid_to >= "
                                                                "'%d-12-31')",
               crit_entity_name(e), year, year);
  }
  return q(d, sql);
}

/* Every title in force for province 31 in a year has records when its kind
 * of entity exists that year, and no other title has any; registration
 * shares are near those docs/demo-data.md gives. */
TEST(demo_records_cover_titles_in_force) {
  db *d = open_demo("records.db", 7, DEMO_TEST_HOUSEHOLDS);
  if (!d) return;
  crit_set set;
  crit_set_init(&set);
  arena a;
  arena_init(&a, 0);
  issues problems;
  issues_init(&problems, &a);
  CHECK_EQ_INT(crit_load_defaults(&set, &problems), HT_OK);
  char sql[512];
  int titles_2025 = 0;
  for (int year = 2022; year <= 2025; year++) {
    for (const crit_title *t = set.titles; t; t = t->next) {
      const crit_title *in_force = crit_in_force(&set, t->key, year, 31);
      snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM records WHERE title = '%s' AND year = %d",
               t->key, year);
      int64_t records = q(d, sql);
      if (!in_force) {
        if (records) test__fail(__FILE__, __LINE__, "%s has records in %d", t->key, year);
        continue;
      }
      int64_t entities = entities_in_year(d, in_force->entity, year);
      if (entities > 0 && records == 0)
        test__fail(__FILE__, __LINE__, "%s: no records in %d for %lld entities", t->key, year,
                   (long long)entities);
      if (records > entities)
        test__fail(__FILE__, __LINE__, "%s: %lld records in %d for %lld entities", t->key,
                   (long long)records, year, (long long)entities);
      if (year == 2025 && records > 0 && t == in_force) titles_2025++;
    }
  }
  /* 2025: every title but the learning district (no districts exist on
   * 31 December 2025) has records. */
  CHECK_EQ_INT(titles_2025, 7);
  CHECK_EQ_INT(q(d, "SELECT COUNT(*) FROM records WHERE title = 'huyen-hoc-tap' AND year = 2025"),
               0);
  CHECK(q(d, "SELECT COUNT(*) FROM records WHERE title = 'cong-dong-hoc-tap-xa' AND year = 2025") >=
        90);
  /* Registration: ~85% of households. */
  int64_t households = q(d,
                         "SELECT COUNT(*) FROM records WHERE title = 'gia-dinh-hoc-tap' AND "
                         "year = 2025 AND registered_on IS NOT NULL");
  int64_t open = entities_in_year(d, CRIT_HOUSEHOLD, 2025);
  CHECK(households * 100 > open * 80 && households * 100 < open * 90);
  /* Persons outside organisations (whose staff register more, see
   * docs/demo-data.md): about half. */
  static const char outside[] =
      " FROM person_years y JOIN persons p ON p.id = y.person_id WHERE "
      "y.year = 2025 AND 2025 - p.birth_year >= 15 AND NOT EXISTS "
      "(SELECT 1 FROM organisation_members m WHERE m.prov = p.prov AND "
      "m.person_id = p.id)";
  snprintf(sql, sizeof sql,
           "SELECT COUNT(*)%s AND EXISTS (SELECT 1 FROM records r WHERE r.prov = p.prov AND "
           "r.title = 'cong-dan-hoc-tap' AND r.year = 2025 AND r.entity = CAST(p.id AS TEXT))",
           outside);
  int64_t citizens = q(d, sql);
  snprintf(sql, sizeof sql, "SELECT COUNT(*)%s", outside);
  int64_t adults = q(d, sql);
  CHECK(citizens * 100 > adults * 40 && citizens * 100 < adults * 65);
  /* Evidence notes for most entered items of the levels titles, none for the others. */
  CHECK_EQ_INT(q(d,
                 "SELECT COUNT(*) FROM record_evidence WHERE title NOT IN ('don-vi-hoc-tap', "
                 "'cong-dong-hoc-tap-xa', 'huyen-hoc-tap', 'tinh-hoc-tap') OR file_name IS NOT "
                 "NULL OR note = ''"),
               0);
  int64_t evidence = q(d, "SELECT COUNT(*) FROM record_evidence WHERE title = 'don-vi-hoc-tap'");
  int64_t unit_records = q(d, "SELECT COUNT(*) FROM records WHERE title = 'don-vi-hoc-tap'");
  CHECK(evidence > unit_records * 14 * 80 / 100 && evidence <= unit_records * 14);
  CHECK_EQ_INT(q(d,
                 "SELECT COUNT(*) FROM record_evidence e WHERE NOT EXISTS (SELECT 1 FROM records "
                 "r WHERE r.prov = e.prov AND r.title = e.title AND r.year = e.year AND r.entity "
                 "= e.entity)"),
               0);
  crit_set_free(&set);
  arena_free(&a);
  db_close(d);
}

/* Every generated record passes the checks a person's entry goes through:
 * known entity that year, entered items only, values in range, a
 * registration date in the year or the year before, form groups only for
 * learning citizens. */
TEST(demo_records_are_valid_entries) {
  db *d = open_demo("valid.db", 5, 600);
  if (!d) return;
  crit_set set;
  crit_set_init(&set);
  arena a;
  arena_init(&a, 0);
  issues problems;
  issues_init(&problems, &a);
  CHECK_EQ_INT(crit_load_defaults(&set, &problems), HT_OK);
  /* Entities: persons aged 15+ with facts that year; open households;
   * units at the title's level valid on 31 December. */
  CHECK_EQ_INT(q(d,
                 "SELECT COUNT(*) FROM records r WHERE r.title = 'cong-dan-hoc-tap' AND NOT "
                 "EXISTS (SELECT 1 FROM person_years y JOIN persons p ON p.id = y.person_id "
                 "WHERE p.prov = r.prov AND p.id = CAST(r.entity AS BIGINT) AND y.prov = r.prov "
                 "AND y.person_id = p.id AND y.year = r.year AND r.year - "
                 "p.birth_year >= 15)"),
               0);
  CHECK_EQ_INT(
      q(d,
        "SELECT COUNT(*) FROM records r WHERE r.title = 'gia-dinh-hoc-tap' AND NOT "
        "EXISTS (SELECT 1 FROM households h WHERE h.prov = r.prov AND h.code = r.entity AND "
        "(h.closed_year "
        "IS NULL OR h.closed_year > r.year))"),
      0);
  CHECK_EQ_INT(q(d,
                 "SELECT COUNT(*) FROM records r WHERE r.title IN ('cong-dong-hoc-tap-thon', "
                 "'cong-dong-hoc-tap-xa', 'huyen-hoc-tap', 'tinh-hoc-tap') AND NOT EXISTS "
                 "(SELECT 1 FROM units u WHERE u.prov = r.prov AND u.code = r.entity AND "
                 "u.valid_from <= r.year || "
                 "'-12-31' AND (u.valid_to IS NULL OR u.valid_to >= r.year || '-12-31') AND " LEVEL(
                     "u") " = CASE r.title WHEN 'cong-dong-hoc-tap-thon' THEN 'village' WHEN "
                          "'cong-dong-hoc-tap-xa' THEN 'commune' WHEN 'huyen-hoc-tap' THEN "
                          "'district' ELSE 'province' END)"),
               0);
  CHECK_EQ_INT(q(d,
                 "SELECT COUNT(*) FROM records WHERE (form_group IS NOT NULL) <> (title = "
                 "'cong-dan-hoc-tap') OR form_group NOT BETWEEN 1 AND 4"),
               0);
  db_stmt *s = NULL;
  CHECK_EQ_INT(db_prepare(d, "SELECT title, year, entity, registered_on, vals FROM records", &s),
               HT_OK);
  long checked = 0;
  while (s && db_step(s) == DB_ROW) {
    const char *title = db_col_text(s, 0), *vals = db_col_text(s, 4);
    int year = (int)db_col_int64(s, 1);
    const crit_title *t = crit_in_force(&set, title, year, 31);
    if (!t) {
      test__fail(__FILE__, __LINE__, "record of %s %d: no title in force", title, year);
      continue;
    }
    int32_t day;
    if (date_parse(db_col_text(s, 3), &day) != HT_OK ||
        (date_year(day) != year && date_year(day) != year - 1))
      test__fail(__FILE__, __LINE__, "%s %d %s registered on '%s'", title, year, db_col_text(s, 2),
                 db_col_text(s, 3));
    const char *c = vals;
    char key[REC_KEY_MAX], text[32];
    double v;
    int rc, n = 0, inputs = 0;
    while ((rc = rec_vals_next(&c, key, sizeof key, &v)) == 1) {
      n++;
      const crit_item *it = rec_item_find(t, key);
      double back = -1;
      ht_err err = {0};
      /* the value written back as a person would type it parses to itself */
      if (!it || rec_value_parse(it, rec_value_text(it, v, text, sizeof text), &back, &err) ||
          back != v)
        test__fail(__FILE__, __LINE__, "%s %d %s: %s=%g is not a valid entry (%s)", title, year,
                   db_col_text(s, 2), key, v, err.msg);
    }
    for (const crit_item *it = t->items; it; it = it->next) inputs += it->input != INPUT_NONE;
    if (rc < 0 || n != inputs)
      test__fail(__FILE__, __LINE__, "%s %d %s: values '%s' (%d of %d items)", title, year,
                 db_col_text(s, 2), vals, n, inputs);
    checked++;
  }
  db_finalize(s);
  CHECK(checked > 1000);
  crit_set_free(&set);
  arena_free(&a);
  db_close(d);
}
