"""hoctap export: every list and rollup as CSV for Excel and as .xlsx, read back by real
readers (Python's csv module, openpyxl), and the rollup as DHIS2 dataValueSets JSON and ADX
XML, checked against `hoctap evaluate`."""
import csv
import io
import json
import os
import sqlite3
import subprocess
import xml.etree.ElementTree as ET

from harness import ROOT, copy_demo, query

MAPPING = os.path.join(ROOT, "data", "dhis2", "mapping-haiphong.txt")
ADX = "{urn:ihe:qrph:adx:2015}"

# Debian's Python has openpyxl; the runner's python3 may be another one.
READ_XLSX = """
import json, sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1], read_only=True)
sheet = book.worksheets[0]
rows = []
for row in sheet.iter_rows():
    rows.append([[c.value, c.data_type] for c in row])
print(json.dumps({"sheet": sheet.title, "rows": rows}, default=str))
"""


def export(ctx, db, *args, code=0):
    r = ctx.run("export", "--db", db, *args)
    assert r.code == code, r
    return r


def read_csv(path):
    raw = open(path, "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the byte-order mark for UTF-8"
    body = raw[3:]
    assert body.count(b"\r\n") == body.count(b"\n"), "every line ends in CRLF"
    return list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))


def read_xlsx(path):
    r = subprocess.run(["/usr/bin/python3", "-c", READ_XLSX, path], capture_output=True,
                       text=True, check=True)
    book = json.loads(r.stdout)
    return book["sheet"], [[v for v, _ in row] for row in book["rows"]], book["rows"]


def evaluate(ctx, db, *args):
    r = ctx.run("evaluate", "--db", db, "--format", "json", *args)
    assert r.code == 0, r
    return json.loads(r.out)


def test_rollup_csv_and_xlsx_have_the_numbers_of_evaluate(ctx):
    db = ctx.demo_db()
    ev = evaluate(ctx, db, "--year", "2025")
    want = [(u["code"], u["title"], u["eligible"], u["registered"], u["evaluated"],
             u["recognised"]) for u in ev["units"]]
    out = ctx.path("rollup.csv")
    r = export(ctx, db, "rollup", "--year", "2025", "--format", "csv", "--lang", "en", "-o", out)
    assert f"Wrote {len(want)} rollup row(s)" in r.err, r
    rows = read_csv(out)
    assert rows[0] == ["code", "name", "title", "eligible", "registered", "evaluated",
                       "recognised", "rate", "registered_rate", "target"]
    got = [(x[0], x[2], int(x[3]), int(x[4]), int(x[5]), int(x[6])) for x in rows[1:]]
    assert got == want
    # the same table as a workbook: Vietnamese headers, numbers as numbers
    path = ctx.path("rollup.xlsx")
    export(ctx, db, "rollup", "--year", "2025", "--format", "xlsx", "-o", path)
    sheet, cells, typed = read_xlsx(path)
    assert sheet == "rollup 2025"
    assert cells[0][:4] == ["Mã đơn vị", "Đơn vị", "Danh hiệu", "Đủ điều kiện"]
    assert cells[1][2] == "Công dân học tập", "Vietnamese title names by default"
    assert [(c[0], int(c[3]), int(c[6])) for c in cells[1:]] == [(w[0], w[2], w[5]) for w in want]
    assert typed[1][3][1] == "n" and typed[1][0][1] == "s", typed[1]


def test_rollup_below_a_unit_matches_evaluate_with_unit(ctx):
    db = ctx.demo_db()
    ev = evaluate(ctx, db, "--year", "2024", "--unit", "11001", "--title", "gia-dinh-hoc-tap")
    out = ctx.path("rollup-unit.csv")
    export(ctx, db, "rollup", "--year", "2024", "--unit", "11001", "--title", "gia-dinh-hoc-tap",
           "--format", "csv", "-o", out)
    rows = read_csv(out)[1:]
    assert [(r[0], int(r[6])) for r in rows] == [(u["code"], u["recognised"]) for u in ev["units"]]
    assert len(rows) > 1 and rows[0][0] == "11001", "the commune, then its villages"


def test_registry_lists_of_a_commune(ctx):
    db = copy_demo(ctx, "export-registry.db")
    commune = "12060"
    villages = {r[0] for r in query(db, "SELECT code FROM units WHERE parent_code = ?", commune)}
    assert villages
    marks = ",".join("?" * len(villages))
    # households of 2025 in the commune's villages
    out = ctx.path("households.csv")
    export(ctx, db, "households", "--year", "2025", "--unit", commune, "--format", "csv",
           "--lang", "en", "-o", out)
    rows = read_csv(out)
    assert rows[0] == ["household_code", "head_name", "village_code", "clan_code", "address"]
    assert rows[1:] and all(r[2] in villages for r in rows[1:])
    want = query(db, f"SELECT COUNT(DISTINCT household_id) FROM household_places hp WHERE "
                     f"village_code IN ({marks}) AND from_year = (SELECT MAX(from_year) FROM "
                     f"household_places x WHERE x.household_id = hp.household_id AND "
                     f"x.from_year <= 2025)", *sorted(villages))[0][0]
    assert len(rows) - 1 == want
    codes = {r[0] for r in rows[1:]}
    # persons: members of those households, full citizen IDs on the command line
    out = ctx.path("persons.csv")
    export(ctx, db, "persons", "--year", "2025", "--unit", commune, "--format", "csv", "-o", out)
    rows = read_csv(out)
    assert rows[0][:5] == ["Mã hộ", "Họ và tên", "Năm sinh", "Giới tính", "Số CCCD"]
    assert {r[0] for r in rows[1:]} <= codes
    ids = [r[4] for r in rows[1:] if r[4]]
    assert ids and all(len(i) == 12 and i.isdigit() for i in ids), ids[:3]
    assert {r[3] for r in rows[1:]} <= {"nam", "nữ"} and {r[5] for r in rows[1:]} <= {"có", "không"}
    (what,) = query(db, "SELECT after_json FROM audit WHERE action = 'export.persons' ORDER BY "
                        "seq DESC LIMIT 1")[0]
    assert json.loads(what) == {"format": "csv", "rows": len(rows) - 1}
    # clans and organisations
    out = ctx.path("clans.xlsx")
    export(ctx, db, "clans", "--unit", commune, "--year", "2025", "--format", "xlsx", "-o", out)
    _, cells, _ = read_xlsx(out)
    want = query(db, f"SELECT code FROM clans WHERE village_code IN ({marks}) ORDER BY code",
                 *sorted(villages))
    assert [c[0] for c in cells[1:]] == [w[0] for w in want]
    out = ctx.path("orgs.csv")
    export(ctx, db, "organisations", "--unit", commune, "--year", "2025", "--format", "csv",
           "--lang", "en", "-o", out)
    rows = read_csv(out)
    assert rows[0] == ["unit_code", "name", "kind", "admin_code"]
    assert rows[1:] and all(r[3] == commune for r in rows[1:])


def test_units_hierarchy_on_a_date(ctx):
    db = ctx.demo_db()
    out = ctx.path("units.csv")
    export(ctx, db, "units", "--date", "2024-06-30", "--unit", "11001", "--format", "csv", "--lang",
           "en", "-o", out)
    rows = read_csv(out)
    assert rows[0][:7] == ["code", "name", "kind", "parent_code", "valid_from", "valid_to",
                           "groups"]
    assert rows[1][0] == "11001" and all(r[3] == "11001" for r in rows[2:])
    r = ctx.run("units", "tree", "--db", db, "--date", "2024-06-30", "--root", "11001",
                "--format", "json")
    assert r.code == 0, r
    assert len(rows) - 1 == 1 + len(json.loads(r.out)["units"][0]["children"])
    households = int(rows[1][rows[0].index("households")])
    assert households == sum(int(r[rows[0].index("households")]) for r in rows[2:])


def test_formulas_in_names_are_neutralised(ctx):
    db = copy_demo(ctx, "export-formula.db")
    code = query(db, "SELECT code FROM households ORDER BY code LIMIT 1")[0][0]
    con = sqlite3.connect(db)
    con.execute("UPDATE households SET head_name = ? WHERE code = ?", ('=HYPERLINK("x")', code))
    con.execute("UPDATE households SET address = ? WHERE code = ?", ("@SUM(A1)", code))
    con.commit()
    con.close()
    out = ctx.path("formula.csv")
    export(ctx, db, "households", "--year", "2025", "--format", "csv", "-o", out)
    row = next(r for r in read_csv(out) if r[0] == code)
    assert row[1] == "'=HYPERLINK(\"x\")" and row[4] == "'@SUM(A1)", row
    out = ctx.path("formula.xlsx")
    export(ctx, db, "households", "--year", "2025", "--format", "xlsx", "-o", out)
    _, _, typed = read_xlsx(out)
    row = next(r for r in typed if r[0][0] == code)
    assert row[1] == ['=HYPERLINK("x")', "s"], "a string cell, never a formula"


def test_results_audit_and_users(ctx):
    db = copy_demo(ctx, "export-results.db")
    r = ctx.run("results", "--db", db, "--year", "2025", "--title", "cong-dan-hoc-tap", "--unit",
                "12060", "--format", "json")
    entities = json.loads(r.out)["entities"]
    out = ctx.path("results.csv")
    export(ctx, db, "results", "--year", "2025", "--title", "cong-dan-hoc-tap", "--unit", "12060",
           "--format", "csv", "-o", out)
    rows = read_csv(out)
    assert rows[0][:4] == ["Mã", "Tên", "Số định danh", "Tuổi"]
    assert len(rows) - 1 == len(entities)
    assert [r[-1] == "có" for r in rows[1:]] == [e["recognised"] for e in entities]
    assert all("*" not in r[2] for r in rows[1:]), "the CLI user holds the database: full IDs"
    (obj, what) = query(db, "SELECT object_id, after_json FROM audit WHERE action = "
                            "'export.results' ORDER BY seq DESC LIMIT 1")[0]
    assert obj == "cong-dan-hoc-tap/2025/12060" and json.loads(what)["rows"] == len(entities)
    # the audit trail, newest first, with that entry on top
    out = ctx.path("audit.csv")
    export(ctx, db, "audit", "--format", "csv", "--lang", "en", "-o", out)
    rows = read_csv(out)
    assert rows[0][:5] == ["seq", "at", "actor", "addr", "action"]
    assert rows[1][4] == "export.results" and json.loads(rows[1][9])["rows"] == len(entities)
    seqs = [int(r[0]) for r in rows[1:]]
    assert seqs == sorted(seqs, reverse=True)
    assert len(seqs) == query(db, "SELECT COUNT(*) FROM audit")[0][0]
    out = ctx.path("users.xlsx")
    export(ctx, db, "users", "--format", "xlsx", "--lang", "en", "-o", out)
    _, cells, _ = read_xlsx(out)
    assert cells[0][:3] == ["username", "full_name", "role"]
    assert [c[0] for c in cells[1:]] == [u[0] for u in query(
        db, "SELECT username FROM users ORDER BY username")]


def mapping_ids(path=MAPPING):
    elements, orgunits = {}, {}
    for line in open(path, encoding="utf-8"):
        tok = line.split("#")[0].split()
        if tok and tok[0] == "element":
            elements[tok[3]] = (tok[1], tok[2])
        elif tok and tok[0] == "orgunit":
            orgunits[tok[2]] = tok[1]
    return elements, orgunits


def test_dhis2_json_has_the_counts_of_evaluate(ctx):
    db = ctx.demo_db()
    out = ctx.path("dhis2.json")
    r = export(ctx, db, "dhis2", "--year", "2025", "--format", "json", "-o", out)
    doc = json.load(open(out, encoding="utf-8"))
    elements, orgunits = mapping_ids()
    ev = evaluate(ctx, db, "--year", "2025")
    want = {}
    for u in ev["units"]:
        for count in ("eligible", "registered", "recognised"):
            want[(u["code"], u["title"], count)] = u[count]
    got = {}
    for v in doc["dataValues"]:
        assert v["period"] == "2025" and isinstance(v["value"], str)
        assert len(v["dataElement"]) == 11 and len(v["orgUnit"]) == 11
        title, count = elements[v["dataElement"]]
        got[(orgunits[v["orgUnit"]], title, count)] = int(v["value"])
    assert got == want, "every unit of evaluate is mapped in the demo mapping"
    assert len(doc["dataSet"]) == 11
    assert f"Wrote {len(doc['dataValues'])} DHIS2 data value(s)" in r.err
    total = sum(u["recognised"] for u in ev["units"] if u["code"] == "31")
    assert total == sum(int(v["value"]) for v in doc["dataValues"] if orgunits[v["orgUnit"]] == "31"
                        and elements[v["dataElement"]][1] == "recognised")


def test_dhis2_adx_is_well_formed_with_the_same_values(ctx):
    db = ctx.demo_db()
    out = ctx.path("dhis2.adx")
    export(ctx, db, "dhis2", "--year", "2024", "--unit", "11001", "--format", "adx", "-o", out)
    root = ET.parse(out).getroot()
    assert root.tag == ADX + "adx" and root.get("exported")
    elements, orgunits = mapping_ids()
    ev = evaluate(ctx, db, "--year", "2024", "--unit", "11001")
    groups = root.findall(ADX + "group")
    assert [orgunits[g.get("orgUnit")] for g in groups] == ["11001"], "villages are not mapped"
    g = groups[0]
    assert g.get("period") == "2024-01-01/P1Y" and len(g.get("dataSet")) == 11
    got = {elements[v.get("dataElement")]: int(v.get("value")) for v in g.findall(ADX + "dataValue")}
    want = {(u["title"], c): u[c] for u in ev["units"] if u["code"] == "11001"
            for c in ("eligible", "registered", "recognised")}
    assert got == want


def test_dhis2_mapping_problems_and_strict(ctx):
    db = ctx.demo_db()
    bad = ctx.path("bad-mapping.txt")
    with open(bad, "w", encoding="utf-8") as f:
        f.write("dataset  pBOMPrpg1QX\n"
                "element  gia-dinh-hoc-tap  recognised  fbfJHSPpUQD\n"
                "element  gia-dinh-hoc-tap  recognised  fbfJHSPpUQE\n"  # 3: duplicate
                "element  gia-dinh-hoc-tapp registered  fbfJHSPpUQF\n"  # 4: unknown title
                "element  dong-ho-hoc-tap   recognised  1bfJHSPpUQD\n"  # 5: malformed UID
                "orgunit  31  ImspTQPwCqd\n"
                "orgunit  31  ImspTQPwCqe\n"  # 7: duplicate unit
                "frobnicate 1\n")  # 8
    out = ctx.path("never.json")
    r = export(ctx, db, "dhis2", "--year", "2025", "--format", "json", "--mapping", bad, "-o",
               out, code=1)
    for line, words in [(3, "already mapped"), (4, "unknown title 'gia-dinh-hoc-tapp'"),
                        (5, "'1bfJHSPpUQD' is not a DHIS2 UID"), (7, "unit 31 is already mapped"),
                        (8, "unknown directive 'frobnicate'")]:
        assert f"{bad}:{line}: " in r.err and words in r.err, (line, words, r.err)
    assert not os.path.exists(out)
    # a mapping with only the city: the communes are skipped with a warning, or fail --strict
    small = ctx.path("small-mapping.txt")
    with open(small, "w", encoding="utf-8") as f:
        f.write("dataset pBOMPrpg1QX\norgunit 31 ImspTQPwCqd\n"
                "element gia-dinh-hoc-tap recognised fbfJHSPpUQD HllvX50cXC0 SEX=F\n")
    r = export(ctx, db, "dhis2", "--year", "2025", "--format", "json", "--mapping", small,
               "--strict", "-o", out, code=1)
    assert "units without an orgunit line" in r.err and "12060" in r.err, r.err
    assert not os.path.exists(out)
    r = export(ctx, db, "dhis2", "--year", "2025", "--format", "json", "--mapping", small, "-o",
               out)
    assert "warning: skipped units" in r.err and "warning: skipped titles" in r.err, r.err
    values = json.load(open(out))["dataValues"]
    assert values == [{"dataElement": "fbfJHSPpUQD", "period": "2025", "orgUnit": "ImspTQPwCqd",
                       "value": str(next(u["recognised"] for u in evaluate(
                           ctx, db, "--year", "2025")["units"]
                           if u["code"] == "31" and u["title"] == "gia-dinh-hoc-tap")),
                       "categoryOptionCombo": "HllvX50cXC0"}]
    adx = ctx.path("small.adx")
    export(ctx, db, "dhis2", "--year", "2025", "--format", "adx", "--mapping", small, "-o", adx)
    (v,) = ET.parse(adx).getroot().iter(ADX + "dataValue")
    assert v.get("SEX") == "F", "ADX disaggregation attributes from the mapping"


def test_usage_errors(ctx):
    db = ctx.demo_db()
    for args, words in [(["nonsense", "--format", "csv", "-o", "x"], "unknown KIND"),
                        (["units", "-o", "x.csv"], "--format is required"),
                        (["units", "--format", "pdf", "-o", "x"], "csv or xlsx"),
                        (["dhis2", "--year", "2025", "--format", "csv", "-o", "x"], "json or adx"),
                        (["units", "--format", "xlsx", "-o", "-"], "standard output"),
                        (["rollup", "--format", "csv", "-o", "x"], "--year is required"),
                        (["results", "--year", "2025", "--format", "csv", "-o", "x"],
                         "--title is required"),
                        (["units", "--format", "csv"], "-o FILE is required")]:
        r = ctx.run("export", "--db", db, *args)
        assert r.code == 2 and words in r.err, (args, r)
    r = ctx.run("export", "--db", db, "households", "--unit", "99999", "--format", "csv", "-o",
                ctx.path("x.csv"))
    assert r.code == 1 and "no administrative unit '99999'" in r.err, r
