"""GET /api/v1/templates/{kind}.xlsx|.csv: import templates from the web, their scope, the
extra permission of templates holding personal data and the audit of their downloads."""
import csv
import io
import json
import subprocess
import urllib.parse

from harness import Client, add_user, get, query, unique

YEAR = 2025
DAY = "2025-12-31"
PASSWORD = "Mau-nhap-lieu-2026"

READ_XLSX = """
import json, sys, openpyxl
sheet = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
print(json.dumps({"rows": [list(r) for r in sheet.iter_rows(values_only=True)],
                  "comments": [bool(c.comment) for c in sheet[2]],
                  "lists": len(sheet.data_validations.dataValidation)}, default=str))
"""


def communes(base):
    """Two communes of 31 December that have households."""
    _, _, body = get(base + "/api/v1/units?" + urllib.parse.urlencode({"date": DAY,
                                                                       "parent": "31"}))
    codes = [u["code"] for u in body["units"] if u["counts"]["households"] >= 5]
    return codes[0], codes[1]


def households_of(db, commune):
    rows = query(db, "SELECT h.code FROM households h JOIN household_places hp ON "
                     "hp.household_id = h.id AND hp.from_year = (SELECT MAX(x.from_year) FROM "
                     "household_places x WHERE x.household_id = h.id AND x.from_year <= ?) "
                     "JOIN units u ON u.code = hp.village_code AND u.valid_from <= ? AND "
                     "(u.valid_to IS NULL OR u.valid_to >= ?) WHERE u.parent_code = ? AND "
                     "(h.closed_year IS NULL OR h.closed_year > ?)", YEAR, DAY, DAY, commune, YEAR)
    return {r[0] for r in rows}


def url(base, kind, ext, **params):
    return f"{base}/api/v1/templates/{kind}.{ext}?" + urllib.parse.urlencode(params)


def test_prefilled_workbook_download_is_audited(ctx):
    base = ctx.server_url()
    db = ctx.demo_db()
    a, _ = communes(base)
    before = query(db, "SELECT COUNT(*) FROM audit WHERE action = 'export.template'")[0][0]
    _, headers, raw = get(url(base, "households", "xlsx", year=YEAR, unit=a))
    assert headers["Content-Type"] == \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", headers
    assert headers["Content-Disposition"] == \
        f'attachment; filename="mau-households-{a}-{YEAR}.xlsx"', headers
    path = ctx.path("households.xlsx")
    with open(path, "wb") as f:
        f.write(raw)
    r = subprocess.run(["/usr/bin/python3", "-c", READ_XLSX, path], capture_output=True,
                       text=True, check=True)
    book = json.loads(r.stdout)
    assert book["rows"][1][:2] == ["Mã hộ", "Họ tên chủ hộ"] and all(book["comments"])
    codes = {row[0] for row in book["rows"][2:]}
    assert codes == households_of(db, a) and codes, (len(codes), a)
    # names of heads of households: personal data, so the download is in the trail
    rows = query(db, "SELECT actor, object_id, unit_code, after_json FROM audit WHERE action = "
                     "'export.template' ORDER BY seq DESC LIMIT 1")
    assert query(db, "SELECT COUNT(*) FROM audit WHERE action = 'export.template'")[0][0] == \
        before + 1
    actor, object_id, unit, what = rows[0]
    assert (actor, object_id, unit) == ("tests-admin", f"households/{YEAR}/{a}", a), rows
    assert json.loads(what) == {"format": "xlsx", "rows": len(codes), "kind": "households"}


def test_assessment_csv_and_bad_requests(ctx):
    base = ctx.server_url()
    db = ctx.demo_db()
    a, _ = communes(base)
    before = query(db, "SELECT COUNT(*) FROM audit WHERE action = 'export.template'")[0][0]
    _, headers, raw = get(url(base, "assessments", "csv", year=YEAR, unit=a,
                              title="gia-dinh-hoc-tap"))
    assert headers["Content-Type"].startswith("text/csv"), headers
    assert f"mau-gia-dinh-hoc-tap-{a}-{YEAR}.csv" in headers["Content-Disposition"]
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert [h.split(".")[0] for h in rows[0]] == ["Mã", "Năm", "Đăng ký", "C1c", "C3a", "C3b",
                                                 "C4a", "C4b"], rows[0]
    assert {r[0] for r in rows[1:]} == households_of(db, a)
    # household codes only: no personal data, nothing audited
    assert query(db, "SELECT COUNT(*) FROM audit WHERE action = 'export.template'")[0][0] == before
    status, _, body = get(url(base, "assessments", "csv", year=YEAR), expect=400)
    assert body["error"]["parameter"] == "title" and "need a title" in body["error"]["message"]
    status, _, body = get(url(base, "assessments", "xlsx", year=YEAR, title="huyen-hoc-tap"),
                          expect=400)
    assert "no version in force in 2025" in body["error"]["message"], body
    _, _, body = get(url(base, "ho-gia-dinh", "csv"), expect=404)
    assert body["error"]["code"] == "unknown_kind", body
    _, _, body = get(url(base, "clans", "csv", unit="99999"), expect=404)
    assert body["error"]["code"] == "unit_not_found", body
    get(base + "/api/v1/templates/clans.pdf", expect=404)


def test_scope_and_personal_data(ctx):
    base = ctx.server_url()
    db = ctx.demo_db()
    a, b = communes(base)
    name = unique("tpl-viewer")
    add_user(ctx, db, name, "viewer", a, PASSWORD)
    viewer = Client(base)
    viewer.login(name, PASSWORD)
    r = viewer.call("GET", f"/api/v1/templates/clans.csv?year={YEAR}&unit={a}")
    assert r.status == 200 and r.raw.count(b"\r\n") > 2, r
    # another commune's rows: refused
    r = viewer.call("GET", f"/api/v1/templates/clans.csv?year={YEAR}&unit={b}")
    assert r.status == 403 and r.code == "forbidden", r
    r = viewer.call("GET", f"/api/v1/templates/clans.xlsx?year={YEAR}&unit={b}")
    assert r.status == 403 and r.code == "forbidden", r
    # names and citizen IDs need personal.export, which a viewer lacks
    for kind, extra in (("persons", ""), ("households", ""),
                        ("assessments", "&title=cong-dan-hoc-tap")):
        r = viewer.call("GET", f"/api/v1/templates/{kind}.xlsx?year={YEAR}&unit={a}{extra}")
        assert r.status == 403 and r.code == "forbidden", (kind, r)
        assert "personal.export" in r.body["error"]["message"], r
        # the empty template is for everyone who reads the registry
        r = viewer.call("GET", f"/api/v1/templates/{kind}.csv?year={YEAR}{extra}")
        assert r.status == 200 and r.raw.count(b"\r\n") == 1, (kind, r)
    # without a session: nothing
    r = Client(base).call("GET", f"/api/v1/templates/clans.csv?year={YEAR}")
    assert r.status == 401, r
