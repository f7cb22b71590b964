/* migrate.c - the schema, as numbered migrations in portable SQL. */
#include "store/migrate.h"

#include <stdio.h>
#include <time.h>

typedef struct migration {
  int version;
  const char *name;
  const char *sql;
} migration;

/* Portable SQL only: see db.h. `prov` (the province partition) leads every
 * primary key so that the schema can be distributed by province. */
static const migration migrations[] = {
    {1, "administrative hierarchy",
     "CREATE TABLE meta ("
     "  key TEXT PRIMARY KEY,"
     "  value TEXT NOT NULL);"
     /* Levels are data: a level has a rank (1 = top) and names. */
     "CREATE TABLE unit_levels ("
     "  prov BIGINT NOT NULL, key TEXT NOT NULL, rank BIGINT NOT NULL,"
     "  name_vi TEXT NOT NULL, name_en TEXT NOT NULL,"
     "  PRIMARY KEY (prov, key));"
     "CREATE TABLE unit_kinds ("
     "  prov BIGINT NOT NULL, key TEXT NOT NULL, level_key TEXT NOT NULL,"
     "  name_vi TEXT NOT NULL, name_en TEXT NOT NULL,"
     "  PRIMARY KEY (prov, key));"
     /* One row per version of a unit: the same code may have several
      * versions with non-overlapping validity (e.g. a commune moved from a
      * district to the city on 2025-07-01). valid_to is inclusive; NULL means
      * still valid. groups is a '|'-separated sorted list of group keys. */
     "CREATE TABLE units ("
     "  prov BIGINT NOT NULL, id BIGINT NOT NULL, code TEXT NOT NULL,"
     "  name TEXT NOT NULL, name_key TEXT NOT NULL, kind TEXT NOT NULL,"
     "  parent_code TEXT, valid_from TEXT NOT NULL, valid_to TEXT,"
     "  groups TEXT NOT NULL DEFAULT '',"
     "  PRIMARY KEY (prov, id),"
     "  UNIQUE (prov, code, valid_from));"
     "CREATE INDEX units_parent ON units (prov, parent_code);"
     /* Merges and splits: old_code was succeeded by new_code on change_date. */
     "CREATE TABLE unit_changes ("
     "  prov BIGINT NOT NULL, id BIGINT NOT NULL, change_date TEXT NOT NULL,"
     "  old_code TEXT NOT NULL, new_code TEXT NOT NULL,"
     "  PRIMARY KEY (prov, id),"
     "  UNIQUE (prov, change_date, old_code, new_code));"
     "CREATE INDEX unit_changes_new ON unit_changes (prov, new_code);"},
    {2, "registry",
     "CREATE TABLE households ("
     "  prov BIGINT NOT NULL, id BIGINT NOT NULL, code TEXT NOT NULL,"
     "  head_name TEXT NOT NULL, head_key TEXT NOT NULL, address TEXT NOT NULL DEFAULT '',"
     "  closed_year BIGINT,"
     "  PRIMARY KEY (prov, id), UNIQUE (prov, code));"
     "CREATE TABLE clans ("
     "  prov BIGINT NOT NULL, id BIGINT NOT NULL, code TEXT NOT NULL,"
     "  name TEXT NOT NULL, name_key TEXT NOT NULL, village_code TEXT NOT NULL,"
     "  PRIMARY KEY (prov, id), UNIQUE (prov, code));"
     "CREATE INDEX clans_village ON clans (prov, village_code);"
     /* Where a household lives and which clan it belongs to, from a year on:
      * the row with the greatest from_year <= Y holds for year Y. */
     "CREATE TABLE household_places ("
     "  prov BIGINT NOT NULL, household_id BIGINT NOT NULL, from_year BIGINT NOT NULL,"
     "  village_code TEXT NOT NULL, clan_id BIGINT,"
     "  PRIMARY KEY (prov, household_id, from_year),"
     "  FOREIGN KEY (prov, household_id) REFERENCES households (prov, id),"
     "  FOREIGN KEY (prov, clan_id) REFERENCES clans (prov, id));"
     "CREATE INDEX household_places_village ON household_places (prov, village_code);"
     "CREATE TABLE persons ("
     "  prov BIGINT NOT NULL, id BIGINT NOT NULL, household_id BIGINT NOT NULL,"
     "  full_name TEXT NOT NULL, name_key TEXT NOT NULL, birth_year BIGINT NOT NULL,"
     "  gender TEXT NOT NULL CHECK (gender IN ('nam', 'nu')), citizen_id TEXT,"
     "  PRIMARY KEY (prov, id), UNIQUE (prov, citizen_id),"
     "  FOREIGN KEY (prov, household_id) REFERENCES households (prov, id));"
     "CREATE INDEX persons_household ON persons (prov, household_id);"
     /* A person's facts for one year; a row for year Y also means the person
      * was a member of the household in Y. Results: tot, kha, dat, chua-dat. */
     "CREATE TABLE person_years ("
     "  prov BIGINT NOT NULL, person_id BIGINT NOT NULL, year BIGINT NOT NULL,"
     "  literate BIGINT NOT NULL, in_school BIGINT NOT NULL,"
     "  school_result TEXT, conduct TEXT, topics_completed BIGINT NOT NULL DEFAULT 0,"
     "  PRIMARY KEY (prov, person_id, year),"
     "  FOREIGN KEY (prov, person_id) REFERENCES persons (prov, id));"
     "CREATE INDEX person_years_year ON person_years (prov, year);"
     /* Agencies, schools, enterprises, cooperatives: the 'learning unit'
      * entities, managed by an administrative unit. */
     "CREATE TABLE organisations ("
     "  prov BIGINT NOT NULL, id BIGINT NOT NULL, code TEXT NOT NULL,"
     "  name TEXT NOT NULL, name_key TEXT NOT NULL, kind TEXT NOT NULL,"
     "  PRIMARY KEY (prov, id), UNIQUE (prov, code));"
     /* The administrative unit that manages an organisation, from a date on
      * (the row with the greatest valid_from <= D holds on D): the 2025
      * reform moved every organisation managed by a commune or district. */
     "CREATE TABLE organisation_places ("
     "  prov BIGINT NOT NULL, organisation_id BIGINT NOT NULL, valid_from TEXT NOT NULL,"
     "  admin_code TEXT NOT NULL,"
     "  PRIMARY KEY (prov, organisation_id, valid_from),"
     "  FOREIGN KEY (prov, organisation_id) REFERENCES organisations (prov, id));"
     "CREATE INDEX organisation_places_admin ON organisation_places (prov, admin_code);"
     "CREATE TABLE organisation_members ("
     "  prov BIGINT NOT NULL, organisation_id BIGINT NOT NULL, person_id BIGINT NOT NULL,"
     "  from_year BIGINT NOT NULL, to_year BIGINT,"
     "  PRIMARY KEY (prov, organisation_id, person_id, from_year),"
     "  FOREIGN KEY (prov, organisation_id) REFERENCES organisations (prov, id),"
     "  FOREIGN KEY (prov, person_id) REFERENCES persons (prov, id));"
     "CREATE INDEX organisation_members_person ON organisation_members (prov, person_id);"},
    /* Yearly records (docs/records.md): one row per (title, year, entity)
     * that registered or has entered values, evidence or an override.
     * entity is the evaluated thing's code (households, clans, organisations,
     * units) or, for persons, the person id in decimal. vals holds the
     * entered values as canonical "KEY=VALUE;..." sorted by key (yes/no as
     * 1/0, percentages as fractions). BYTEA rather than BLOB: PostgreSQL
     * knows only the former, and SQLite stores blob values unchanged under
     * the NUMERIC affinity it gives that name. */
    {3, "yearly records",
     "CREATE TABLE records ("
     "  prov BIGINT NOT NULL, title TEXT NOT NULL, year BIGINT NOT NULL, entity TEXT NOT NULL,"
     "  registered_on TEXT,"
     "  form_group BIGINT CHECK (form_group BETWEEN 1 AND 4),"
     "  vals TEXT NOT NULL DEFAULT '',"
     "  updated_at BIGINT NOT NULL,"
     "  PRIMARY KEY (prov, title, year, entity));"
     "CREATE TABLE record_evidence ("
     "  prov BIGINT NOT NULL, id BIGINT NOT NULL,"
     "  title TEXT NOT NULL, year BIGINT NOT NULL, entity TEXT NOT NULL, item TEXT NOT NULL,"
     "  note TEXT NOT NULL DEFAULT '',"
     "  file_name TEXT, media_type TEXT, size BIGINT, sha256 TEXT, content BYTEA,"
     "  created_at BIGINT NOT NULL,"
     "  PRIMARY KEY (prov, id));"
     "CREATE INDEX record_evidence_record ON record_evidence (prov, title, year, entity);"
     /* A reviewer's decision on one item: exactly one of points, level,
      * passed (1/0), always with a reason and who decided. */
     "CREATE TABLE record_overrides ("
     "  prov BIGINT NOT NULL,"
     "  title TEXT NOT NULL, year BIGINT NOT NULL, entity TEXT NOT NULL, item TEXT NOT NULL,"
     "  points DOUBLE PRECISION, level BIGINT, passed BIGINT CHECK (passed IN (0, 1)),"
     "  reason TEXT NOT NULL CHECK (length(reason) > 0),"
     "  by_name TEXT NOT NULL, at BIGINT NOT NULL,"
     "  CHECK ((CASE WHEN points IS NULL THEN 0 ELSE 1 END) + (CASE WHEN level IS NULL THEN 0 "
     "ELSE 1 END) + (CASE WHEN passed IS NULL THEN 0 ELSE 1 END) = 1),"
     "  PRIMARY KEY (prov, title, year, entity, item));"},
    /* The engine loads one year of every title at once. */
    {4, "records by year", "CREATE INDEX records_year ON records (prov, year);"},
    /* Accounts, sessions and the audit trail (docs/access.md). Roles are
     * data: a role is a space-separated list of permission keys. Tokens are
     * stored only as SHA-256 hex of the random token. */
    {5, "accounts and audit",
     "CREATE TABLE roles ("
     "  prov BIGINT NOT NULL, key TEXT NOT NULL, name_vi TEXT NOT NULL, name_en TEXT NOT NULL,"
     "  perms TEXT NOT NULL,"
     "  PRIMARY KEY (prov, key));"
     "CREATE TABLE users ("
     "  prov BIGINT NOT NULL, id BIGINT NOT NULL, username TEXT NOT NULL,"
     "  full_name TEXT NOT NULL, role TEXT NOT NULL, unit_code TEXT NOT NULL,"
     "  pw_hash TEXT NOT NULL, must_change BIGINT NOT NULL DEFAULT 0,"
     "  disabled BIGINT NOT NULL DEFAULT 0, created_at BIGINT NOT NULL,"
     "  last_login_at BIGINT,"
     "  PRIMARY KEY (prov, id), UNIQUE (prov, username),"
     "  FOREIGN KEY (prov, role) REFERENCES roles (prov, key));"
     "CREATE TABLE sessions ("
     "  prov BIGINT NOT NULL, token_hash TEXT NOT NULL, user_id BIGINT NOT NULL,"
     "  csrf TEXT NOT NULL, addr TEXT NOT NULL, created_at BIGINT NOT NULL,"
     "  last_seen BIGINT NOT NULL,"
     "  PRIMARY KEY (prov, token_hash),"
     "  FOREIGN KEY (prov, user_id) REFERENCES users (prov, id));"
     "CREATE INDEX sessions_user ON sessions (prov, user_id);"
     "CREATE TABLE api_tokens ("
     "  prov BIGINT NOT NULL, user_id BIGINT NOT NULL, token_hash TEXT NOT NULL,"
     "  created_at BIGINT NOT NULL, last_used_at BIGINT,"
     "  PRIMARY KEY (prov, user_id), UNIQUE (prov, token_hash),"
     "  FOREIGN KEY (prov, user_id) REFERENCES users (prov, id));"
     "CREATE TABLE login_failures ("
     "  prov BIGINT NOT NULL, id BIGINT NOT NULL, at BIGINT NOT NULL,"
     "  username TEXT NOT NULL, addr TEXT NOT NULL,"
     "  PRIMARY KEY (prov, id));"
     "CREATE INDEX login_failures_user ON login_failures (prov, username, at);"
     "CREATE INDEX login_failures_addr ON login_failures (prov, addr, at);"
     /* Append-only: nothing in the product updates or deletes a row. hash is
      * SHA-256 over prev_hash and the entry's fields (src/model/audit.c). */
     "CREATE TABLE audit ("
     "  prov BIGINT NOT NULL, seq BIGINT NOT NULL, at BIGINT NOT NULL,"
     "  actor_id BIGINT, actor TEXT NOT NULL, addr TEXT NOT NULL,"
     "  action TEXT NOT NULL, object_kind TEXT NOT NULL, object_id TEXT NOT NULL,"
     "  unit_code TEXT NOT NULL, before_json TEXT, after_json TEXT,"
     "  prev_hash TEXT NOT NULL, hash TEXT NOT NULL,"
     "  PRIMARY KEY (prov, seq));"
     "CREATE INDEX audit_actor ON audit (prov, actor, seq);"
     "CREATE INDEX audit_object ON audit (prov, object_kind, object_id, seq);"},
    /* The yearly workflow (docs/workflow.md): a record's stage, the
     * reviewer's or approver's word to the submitter, and the unit that holds
     * the entity that year (place: its village, managing unit, or itself),
     * so lists and the home page's counts filter by area without joins.
     * Decisions recognise records in batches; each recognised record gets a
     * certificate with a random verification code. settings_texts holds the
     * configuration an administrator may replace (the workflow's deadlines,
     * certificate templates), each as the text of its file format. */
    {6, "workflow, decisions and certificates",
     "ALTER TABLE records ADD COLUMN stage TEXT NOT NULL DEFAULT 'open';"
     "ALTER TABLE records ADD COLUMN comment TEXT NOT NULL DEFAULT '';"
     "ALTER TABLE records ADD COLUMN place TEXT NOT NULL DEFAULT '';"
     "ALTER TABLE records ADD COLUMN submitted_at BIGINT;"
     "ALTER TABLE records ADD COLUMN decision_id BIGINT;" MIGRATE_RECORD_PLACES_SQL
     "CREATE INDEX records_stage ON records (prov, year, stage, title);"
     "CREATE INDEX records_decision ON records (prov, decision_id);"
     /* A decision of the competent level: who issued it (the unit, and the
      * body as printed), its number, date and signer. */
     "CREATE TABLE decisions ("
     "  prov BIGINT NOT NULL, id BIGINT NOT NULL, title TEXT NOT NULL, year BIGINT NOT NULL,"
     "  unit_code TEXT NOT NULL, number TEXT NOT NULL, signed_on TEXT NOT NULL,"
     "  signed_year BIGINT NOT NULL,"
     "  issuer TEXT NOT NULL, issuer_parent TEXT NOT NULL DEFAULT '', place_name TEXT NOT NULL,"
     "  signer_name TEXT NOT NULL, signer_position TEXT NOT NULL,"
     "  created_at BIGINT NOT NULL, created_by TEXT NOT NULL,"
     "  PRIMARY KEY (prov, id), UNIQUE (prov, unit_code, signed_year, number));"
     "CREATE INDEX decisions_unit ON decisions (prov, unit_code, year);"
     /* One per recognised record; what the certificate shows is kept as it
      * was printed, so verification shows exactly that. */
     "CREATE TABLE certificates ("
     "  prov BIGINT NOT NULL, code TEXT NOT NULL, decision_id BIGINT NOT NULL,"
     "  title TEXT NOT NULL, year BIGINT NOT NULL, entity TEXT NOT NULL,"
     "  level BIGINT NOT NULL DEFAULT 0, recipient TEXT NOT NULL, address TEXT NOT NULL,"
     "  valid_until TEXT, revoked_at BIGINT, revoked_reason TEXT,"
     "  PRIMARY KEY (prov, code));"
     "CREATE INDEX certificates_decision ON certificates (prov, decision_id);"
     "CREATE INDEX certificates_entity ON certificates (prov, title, entity);"
     "CREATE TABLE settings_texts ("
     "  prov BIGINT NOT NULL, key TEXT NOT NULL, text TEXT NOT NULL, updated_at BIGINT NOT NULL,"
     "  PRIMARY KEY (prov, key));"},
    /* Study-promotion funds and their double-entry ledger (docs/funds.md):
     * money in whole đồng (BIGINT); entries are only ever added, a reversal
     * references its original (UNIQUE: once). */
    {7, "study-promotion funds",
     "CREATE TABLE funds ("
     "  prov BIGINT NOT NULL, id BIGINT NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL,"
     "  owner_kind TEXT NOT NULL CHECK (owner_kind IN ('unit', 'clan', 'organisation')),"
     "  owner_code TEXT NOT NULL, unit_code TEXT NOT NULL, closed_through TEXT,"
     "  public_minor_names BIGINT NOT NULL DEFAULT 0, created_at BIGINT NOT NULL,"
     "  PRIMARY KEY (prov, id), UNIQUE (prov, code));"
     "CREATE TABLE fund_donors ("
     "  prov BIGINT NOT NULL, id BIGINT NOT NULL,"
     "  kind TEXT NOT NULL CHECK (kind IN ('person', 'family', 'clan', 'enterprise',"
     "    'organisation', 'anonymous')),"
     "  name TEXT NOT NULL, name_key TEXT NOT NULL, address TEXT NOT NULL DEFAULT '',"
     "  phone TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL,"
     "  PRIMARY KEY (prov, id));"
     "CREATE INDEX fund_donors_key ON fund_donors (prov, name_key);"
     "CREATE TABLE fund_beneficiaries ("
     "  prov BIGINT NOT NULL, id BIGINT NOT NULL, person_id BIGINT,"
     "  name TEXT NOT NULL, name_key TEXT NOT NULL, birth_year BIGINT,"
     "  unit_code TEXT NOT NULL, school TEXT NOT NULL DEFAULT '', grade TEXT NOT NULL DEFAULT '',"
     "  circumstances TEXT NOT NULL DEFAULT '', achievements TEXT NOT NULL DEFAULT '',"
     "  created_at BIGINT NOT NULL,"
     "  PRIMARY KEY (prov, id), UNIQUE (prov, person_id));"
     "CREATE INDEX fund_beneficiaries_key ON fund_beneficiaries (prov, name_key);"
     "CREATE TABLE fund_entries ("
     "  prov BIGINT NOT NULL, id BIGINT NOT NULL, fund_id BIGINT NOT NULL,"
     "  kind TEXT NOT NULL CHECK (kind IN ('opening', 'receipt', 'disbursement', 'transfer',"
     "    'reversal')),"
     "  entry_date TEXT NOT NULL, amount BIGINT NOT NULL CHECK (amount > 0),"
     "  method TEXT NOT NULL CHECK (method IN ('cash', 'bank')),"
     "  number TEXT NOT NULL DEFAULT '', memo TEXT NOT NULL DEFAULT '',"
     "  donor_id BIGINT, campaign TEXT NOT NULL DEFAULT '', purpose TEXT NOT NULL DEFAULT '',"
     "  beneficiary_id BIGINT, category TEXT NOT NULL DEFAULT '', decision TEXT NOT NULL DEFAULT "
     "'',"
     "  to_fund_id BIGINT, reverses BIGINT, batch_id BIGINT,"
     "  created_at BIGINT NOT NULL, created_by TEXT NOT NULL,"
     "  PRIMARY KEY (prov, id), UNIQUE (prov, reverses));"
     "CREATE INDEX fund_entries_fund ON fund_entries (prov, fund_id, entry_date);"
     "CREATE INDEX fund_entries_beneficiary ON fund_entries (prov, beneficiary_id);"
     "CREATE TABLE fund_lines ("
     "  prov BIGINT NOT NULL, entry_id BIGINT NOT NULL, line BIGINT NOT NULL,"
     "  fund_id BIGINT NOT NULL, account TEXT NOT NULL,"
     "  debit BIGINT NOT NULL DEFAULT 0 CHECK (debit >= 0),"
     "  credit BIGINT NOT NULL DEFAULT 0 CHECK (credit >= 0),"
     "  CHECK ((debit = 0) <> (credit = 0)),"
     "  PRIMARY KEY (prov, entry_id, line));"
     "CREATE INDEX fund_lines_fund ON fund_lines (prov, fund_id, account);"
     /* the permissions of the funds: administrators get them all, and a
      * treasurer's role is added next to the existing ones */
     "UPDATE roles SET perms = perms || ' funds.read funds.write funds.approve' WHERE key = "
     "'admin' AND perms NOT LIKE '%funds.read%';"
     "INSERT INTO roles (prov, key, name_vi, name_en, perms) SELECT DISTINCT prov, 'treasurer', "
     "'Thủ quỹ khuyến học', 'Fund treasurer', 'units.read registry.read funds.read funds.write' "
     "FROM roles WHERE true ON CONFLICT (prov, key) DO NOTHING;"},
    /* Award programmes (docs/funds.md, "Award programmes"): a fund's
     * programme keeps its rules as text; running it for a year proposes a
     * batch of items (a beneficiary, or a registry person who becomes one on
     * approval), which one decision approves and one payment pays. An item
     * keeps the rule, category, reason and amount it was proposed with, and
     * after payment the entry that paid it. */
    {8, "award programmes",
     "CREATE TABLE fund_programmes ("
     "  prov BIGINT NOT NULL, id BIGINT NOT NULL, fund_id BIGINT NOT NULL,"
     "  code TEXT NOT NULL, name TEXT NOT NULL, rules TEXT NOT NULL,"
     "  created_at BIGINT NOT NULL, created_by TEXT NOT NULL,"
     "  PRIMARY KEY (prov, id), UNIQUE (prov, code),"
     "  FOREIGN KEY (prov, fund_id) REFERENCES funds (prov, id));"
     "CREATE INDEX fund_programmes_fund ON fund_programmes (prov, fund_id);"
     "CREATE TABLE fund_batches ("
     "  prov BIGINT NOT NULL, id BIGINT NOT NULL, programme_id BIGINT NOT NULL,"
     "  year BIGINT NOT NULL,"
     "  state TEXT NOT NULL CHECK (state IN ('proposed', 'approved', 'paid', 'cancelled')),"
     "  decision_number TEXT NOT NULL DEFAULT '', decision_date TEXT NOT NULL DEFAULT '',"
     "  decision_signer TEXT NOT NULL DEFAULT '',"
     "  approved_by TEXT NOT NULL DEFAULT '', approved_at BIGINT,"
     "  paid_by TEXT NOT NULL DEFAULT '', paid_at BIGINT, paid_on TEXT NOT NULL DEFAULT '',"
     "  method TEXT NOT NULL DEFAULT '',"
     "  cancelled_by TEXT NOT NULL DEFAULT '', cancelled_at BIGINT,"
     "  cancel_reason TEXT NOT NULL DEFAULT '',"
     "  created_at BIGINT NOT NULL, created_by TEXT NOT NULL,"
     "  PRIMARY KEY (prov, id),"
     "  FOREIGN KEY (prov, programme_id) REFERENCES fund_programmes (prov, id));"
     "CREATE INDEX fund_batches_programme ON fund_batches (prov, programme_id, year);"
     "CREATE TABLE fund_batch_items ("
     "  prov BIGINT NOT NULL, batch_id BIGINT NOT NULL, item BIGINT NOT NULL,"
     "  beneficiary_id BIGINT, person_id BIGINT,"
     "  name TEXT NOT NULL, unit_code TEXT NOT NULL, birth_year BIGINT,"
     "  amount BIGINT NOT NULL CHECK (amount > 0),"
     "  rule TEXT NOT NULL, category TEXT NOT NULL, reason TEXT NOT NULL,"
     "  dropped BIGINT NOT NULL DEFAULT 0 CHECK (dropped IN (0, 1)), entry_id BIGINT,"
     "  CHECK (beneficiary_id IS NOT NULL OR person_id IS NOT NULL),"
     "  PRIMARY KEY (prov, batch_id, item),"
     "  FOREIGN KEY (prov, batch_id) REFERENCES fund_batches (prov, id));"
     "CREATE INDEX fund_batch_items_beneficiary ON fund_batch_items (prov, beneficiary_id);"},
    /* Imports of the funds (docs/import.md): a donor's own code, so a
     * donors file imported again updates the same donors (NULL: none; unique
     * when given); the receipts of a fund found by their number, so a
     * donations file imported again posts nothing twice; a donor's entries
     * (whose funds a donor gave to). */
    {9, "fund donor codes",
     "ALTER TABLE fund_donors ADD COLUMN code TEXT;"
     "CREATE UNIQUE INDEX fund_donors_code ON fund_donors (prov, code);"
     "CREATE INDEX fund_entries_number ON fund_entries (prov, fund_id, number);"
     "CREATE INDEX fund_entries_donor ON fund_entries (prov, donor_id);"},
};

#define MIGRATION_COUNT ((int)(sizeof migrations / sizeof migrations[0]))

int db_latest_schema_version(void) {
  return migrations[MIGRATION_COUNT - 1].version;
}

int db_schema_version(db *d) {
  int64_t v = 0;
  if (db_query_int64(d, &v, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", 0)) return 0;
  return (int)v;
}

int migrate_apply(db *d, int max_version, ht_err *err) {
  int rc = db_exec(d,
                   "CREATE TABLE IF NOT EXISTS schema_migrations ("
                   "  version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
  if (rc) return ht_err_set(err, rc, "cannot create the migrations table: %s", db_errmsg(d));
  int current = db_schema_version(d);
  if (current > db_latest_schema_version())
    return ht_err_set(err, HT_EDB,
                      "the database has schema version %d but this hoctap knows only up to %d; "
                      "use a newer hoctap",
                      current, db_latest_schema_version());
  for (int i = 0; i < MIGRATION_COUNT; i++) {
    const migration *m = &migrations[i];
    if (m->version <= current || m->version > max_version) continue;
    rc = db_begin(d);
    if (rc == HT_OK) rc = db_exec(d, m->sql);
    if (rc == HT_OK) {
      db_stmt *s;
      rc = db_prepare(d,
                      "INSERT INTO schema_migrations (version, name, applied_at) "
                      "VALUES ($1, $2, $3)",
                      &s);
      if (rc == HT_OK) {
        db_bind_int64(s, 1, m->version);
        db_bind_text(s, 2, m->name);
        db_bind_int64(s, 3, (int64_t)time(NULL) * 1000);
        rc = db_step(s);
        if (rc == DB_DONE) rc = HT_OK;
        db_finalize(s);
      }
    }
    if (rc == HT_OK) rc = db_commit(d);
    if (rc != HT_OK) {
      ht_err_set(err, rc, "migration %d (%s) failed: %s", m->version, m->name, db_errmsg(d));
      db_rollback(d);
      return rc;
    }
  }
  return HT_OK;
}
