"""Downloads of lists as CSV for Excel: what the file holds, and that an export of
personal data is written to the audit trail."""
import csv
import io
import json
import subprocess
import urllib.parse

from harness import get, query


def test_results_csv_matches_the_list_and_is_audited(ctx):
    base = ctx.server_url()
    db = ctx.demo_db()
    _, _, ev = get(base + "/api/v1/evaluation?year=2025")
    commune = ev["children"][0]["code"]
    q = urllib.parse.urlencode({"year": 2025, "title": "cong-dan-hoc-tap", "unit": commune})
    before = query(db, "SELECT COUNT(*) FROM audit WHERE action = 'export.results'")[0][0]
    status, headers, raw = get(base + "/api/v1/results.csv?" + q)
    assert headers["Content-Type"].startswith("text/csv")
    assert f"ket-qua-cong-dan-hoc-tap-{commune}-2025.csv" in headers["Content-Disposition"]
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the byte-order mark for UTF-8"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    head, body = rows[0], rows[1:]
    assert head[:4] == ["Mã", "Tên", "Số định danh", "Tuổi"] and head[-1] == "Được công nhận"
    _, _, page = get(base + "/api/v1/results?" + q + "&limit=500")
    assert len(body) == page["total"]
    by_code = {e["code"]: e for e in page["entities"]}
    for row in body:
        e = by_code.get(row[0])
        if e is None:
            continue
        assert row[1] == e["name"] and int(row[3]) == e["age"]
        assert row[-1] == ("có" if e["recognised"] else "không")
    # an administrator has personal.read: full citizen IDs in the file
    assert all(len(row[2]) in (0, 12) and "*" not in row[2] for row in body)
    after = query(db, "SELECT actor, object_id, unit_code, after_json FROM audit WHERE action = "
                      "'export.results' ORDER BY seq DESC LIMIT 1")
    assert query(db, "SELECT COUNT(*) FROM audit WHERE action = 'export.results'")[0][0] == \
        before + 1
    actor, object_id, unit, what = after[0]
    assert object_id == f"cong-dan-hoc-tap/2025/{commune}" and unit == commune
    assert json.loads(what)["rows"] == len(body)
    assert actor == "tests-admin"


# Debian's Python has openpyxl (scripts/setup.sh installs python3-openpyxl); the
# runner's python3 may be another one.
READ_XLSX = """
import json, sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1], read_only=True)
sheet = book.worksheets[0]
print(json.dumps({"sheet": sheet.title,
                  "rows": [[c for c in row] for row in sheet.iter_rows(values_only=True)]}))
"""


def test_results_xlsx_opens_in_a_real_reader_with_the_same_rows(ctx):
    base = ctx.server_url()
    db = ctx.demo_db()
    _, _, ev = get(base + "/api/v1/evaluation?year=2025")
    commune = ev["children"][1]["code"]
    q = urllib.parse.urlencode({"year": 2025, "title": "gia-dinh-hoc-tap", "unit": commune})
    _, headers, raw = get(base + "/api/v1/results.xlsx?" + q)
    assert headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert headers["Content-Disposition"].endswith(f'ket-qua-gia-dinh-hoc-tap-{commune}-2025.xlsx"')
    path = ctx.path("results.xlsx")
    with open(path, "wb") as f:
        f.write(raw)
    r = subprocess.run(["/usr/bin/python3", "-c", READ_XLSX, path], capture_output=True,
                       text=True, check=True)
    book = json.loads(r.stdout)
    assert book["sheet"] == "gia-dinh-hoc-tap 2025"
    head, rows = book["rows"][0], book["rows"][1:]
    assert head[:2] == ["Mã", "Tên"] and head[-1] == "Được công nhận"
    _, _, page = get(base + "/api/v1/results?" + q + "&limit=500")
    assert len(rows) == page["total"]
    for row, entity in zip(rows, page["entities"]):
        assert row[0] == entity["code"] and row[1] == entity["name"]
        assert row[-2] == entity["total"], "numbers stay numbers"
        assert row[-1] == ("có" if entity["recognised"] else "không")
    (what,) = query(db, "SELECT after_json FROM audit WHERE action = 'export.results' AND "
                        "object_id = ? ORDER BY seq DESC LIMIT 1",
                    f"gia-dinh-hoc-tap/2025/{commune}")[0]
    assert json.loads(what) == {"format": "xlsx", "rows": len(rows), "recognised": "any",
                                "registered": "any", "decided": "any"}


def csv_rows(raw):
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\r\n") == raw.count(b"\n")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_evaluation_table_downloads_with_the_numbers_of_the_page(ctx):
    base = ctx.server_url()
    _, _, ev = get(base + "/api/v1/evaluation?year=2025")
    _, headers, raw = get(base + "/api/v1/evaluation.csv?year=2025")
    assert headers["Content-Disposition"].endswith('danh-gia-31-2025.csv"')
    rows = csv_rows(raw)
    assert rows[0][:7] == ["Mã đơn vị", "Đơn vị", "Danh hiệu", "Đủ điều kiện", "Đăng ký",
                           "Đã đánh giá", "Được công nhận"]
    names = {t["name"]: t["key"] for t in ev["titles"]}
    got = {(r[0], names[r[2]]): (int(r[3]), int(r[6])) for r in rows[1:]}
    want = {("31", t["key"]): (t["eligible"], t["recognised"]) for t in ev["titles"]}
    for c in ev["children"]:
        for key, t in c["titles"].items():
            want[(c["code"], key)] = (t["eligible"], t["recognised"])
    assert got == want
    assert [r[0] for r in rows[1:]][:1] == ["31"], "the unit first, then its children"


def test_units_list_downloads_as_a_workbook_with_its_counts(ctx):
    base = ctx.server_url()
    _, _, lst = get(base + "/api/v1/units?date=2025-12-31&parent=31")
    _, headers, raw = get(base + "/api/v1/units.xlsx?date=2025-12-31&parent=31")
    assert headers["Content-Disposition"].endswith('don-vi-31-2025-12-31.xlsx"')
    path = ctx.path("units.xlsx")
    with open(path, "wb") as f:
        f.write(raw)
    r = subprocess.run(["/usr/bin/python3", "-c", READ_XLSX, path], capture_output=True,
                       text=True, check=True)
    rows = json.loads(r.stdout)["rows"]
    head = rows[0]
    assert head[:2] == ["Mã", "Tên"] and "Số hộ" in head
    got = {row[0]: (row[1], row[head.index("Số hộ")], row[head.index("Số đơn vị trực thuộc")])
           for row in rows[1:]}
    assert got == {u["code"]: (u["name"], u["counts"]["households"], u["child_count"])
                   for u in lst["units"]}


def test_audit_and_users_downloads_are_audited(ctx):
    base = ctx.server_url()
    db = ctx.demo_db()
    _, _, page = get(base + "/api/v1/audit?action=export.results&limit=500")
    _, headers, raw = get(base + "/api/v1/audit.csv?action=export.results")
    rows = csv_rows(raw)
    assert [int(r[0]) for r in rows[1:]] == [e["seq"] for e in page["entries"]]
    assert all(r[4] == "export.results" for r in rows[1:])
    (what,) = query(db, "SELECT after_json FROM audit WHERE action = 'export.audit' ORDER BY seq "
                        "DESC LIMIT 1")[0]
    assert json.loads(what) == {"format": "csv", "rows": len(rows) - 1}
    _, _, users = get(base + "/api/v1/users?q=tests")
    _, _, raw = get(base + "/api/v1/users.csv?q=tests")
    rows = csv_rows(raw)
    assert rows[0][:2] == ["Tên đăng nhập", "Họ và tên"]
    assert [r[0] for r in rows[1:]] == [u["username"] for u in users["users"]]
    assert query(db, "SELECT COUNT(*) FROM audit WHERE action = 'export.users'")[0][0] >= 1


def test_household_members_download_imports_back_and_is_audited(ctx):
    """A household's member list as CSV: the import's headers, the household's members, an
    audit entry; the same file imports back with every row unchanged."""
    base, db = ctx.server_url(), ctx.demo_db()
    code = query(db, "SELECT h.code FROM households h JOIN persons p ON p.household_id = h.id "
                     "JOIN person_years y ON y.person_id = p.id AND y.year = 2025 "
                     "GROUP BY h.code HAVING COUNT(*) >= 3 ORDER BY h.code LIMIT 1")[0][0]
    members = query(db, "SELECT COUNT(*) FROM persons p JOIN households h ON h.id = "
                        "p.household_id JOIN person_years y ON y.person_id = p.id AND y.year = "
                        "2025 WHERE h.code = ?", code)[0][0]
    before = query(db, "SELECT COUNT(*) FROM audit WHERE action = 'export.members'")[0][0]
    status, headers, raw = get(f"{base}/api/v1/households/{code}/members.csv?year=2025")
    assert f"nhan-khau-{code}-2025.csv" in headers["Content-Disposition"], headers
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0][:4] == ["Mã hộ", "Họ và tên", "Năm sinh", "Giới tính"], rows[0]
    assert len(rows) - 1 == members and all(r[0] == code for r in rows[1:]), rows
    assert query(db, "SELECT COUNT(*) FROM audit WHERE action = 'export.members'")[0][0] == \
        before + 1
    path = ctx.path("members.csv")
    open(path, "wb").write(raw)
    r = ctx.run("import", "persons", path, "--year", "2025", "--dry-run", "--format", "json",
                "--db", db)
    assert r.code == 0 and json.loads(r.out)["unchanged"] == members, r
