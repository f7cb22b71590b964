"""The web upload of import files: the report as JSON in the caller's language, the
highlighted workbook, and that a file with problems or a dry run writes nothing."""
import json
import subprocess
import urllib.parse

from harness import dump, query, request

YEAR = 2025


def post(base, kind, data, **params):
    path = "/api/v1/imports/assessments" if kind == "assessments" else \
        f"/api/v1/imports/registry/{kind}"
    status, headers, body = request("POST", base + path + "?" + urllib.parse.urlencode(params), data)
    if headers.get("Content-Type", "").startswith("application/json"):
        return status, headers, json.loads(body)
    return status, headers, body


def village(db):
    return query(db, "SELECT u.code FROM units u JOIN unit_kinds k ON k.prov = u.prov AND k.key = "
                     "u.kind WHERE k.level_key = 'village' AND u.valid_to IS NULL ORDER BY u.code "
                     "LIMIT 1")[0][0]


def test_upload_with_problems_answers_422_in_vietnamese_and_writes_nothing(ctx):
    base, db = ctx.server_url(), ctx.demo_db()
    data = ("Mã hộ,Họ tên chủ hộ,Mã thôn/tổ dân phố\r\n"
            f"APIX1,Nguyễn Văn Một,{village(db)}\r\nAPIX2,,KHONG-CO\r\n").encode()
    before = dump(db)
    status, _, rep = post(base, "households", data, year=YEAR, name="ho gia dinh.csv")
    assert status == 422, rep
    assert rep["file"] == "ho gia dinh.csv" and rep["written"] is False
    assert [(p["cell"], p["field"]) for p in rep["problems"]] == [("B3", "head_name"),
                                                                  ("C3", "village_code")]
    assert rep["problems"][0]["message"] == "Chưa ghi Họ tên chủ hộ; mỗi dòng đều phải có"
    assert {k: v for k, v in dump(db).items() if k != "meta"} == \
        {k: v for k, v in before.items() if k != "meta"}
    status, _, rep = post(base, "households", data, year=YEAR, lang="en")
    assert rep["problems"][0]["message"] == "head_name is empty; every row needs one"
    # the same file, highlighted, as an .xlsx that openpyxl reads
    status, headers, raw = post(base, "households", data, year=YEAR, report="xlsx")
    assert status == 200 and raw[:2] == b"PK", (status, raw[:100])
    assert "attachment" in headers["Content-Disposition"]
    proc = subprocess.run(["/usr/bin/python3", "-c",
                           "import io, sys, openpyxl; ws = openpyxl.load_workbook("
                           "io.BytesIO(sys.stdin.buffer.read())).active; "
                           "print(ws['B3'].fill.fill_type); print(ws['D1'].value); print(ws['D3'].value)"],
                          input=raw, capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.decode().splitlines()
    assert lines[0] == "solid" and lines[1] == "Lỗi", lines
    assert lines[2].startswith("B: Chưa ghi Họ tên chủ hộ"), lines


def test_dry_run_upload_counts_and_writes_nothing(ctx):
    base, db = ctx.server_url(), ctx.demo_db()
    data = f"household_code,head_name,village_code\nAPIY1,Lê Thị Hai,{village(db)}\n".encode()
    status, _, rep = post(base, "households", data, year=YEAR, dry_run=1)
    assert status == 200 and rep["added"] == 1 and rep["dry_run"] and not rep["written"], rep
    assert query(db, "SELECT COUNT(*) FROM households WHERE code = 'APIY1'")[0][0] == 0


def test_unreadable_and_unknown_uploads(ctx):
    base = ctx.server_url()
    status, _, body = post(base, "households", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert status == 400 and body["error"]["code"] == "unreadable_file", body
    assert ".xlsx" in body["error"]["message_vi"], body
    status, _, body = post(base, "cats", b"a,b\n")
    assert status == 404, body
    status, _, body = post(base, "households", b"")
    assert status == 400 and body["error"]["code"] == "missing_file", body
    status, _, body = post(base, "assessments", b"code,year\nX,2025\n")
    assert status == 400 and body["error"]["parameter"] == "title", body


def test_assessments_update_the_cached_results_record_by_record(ctx):
    """An assessments upload puts the changed records into the server's loaded results
    (no rebuild) and the evaluation shows them at once; a registry upload makes the next
    request load the year afresh, and shows too."""
    import shutil
    from harness import Server
    db = ctx.path("incremental.db")
    shutil.copy(ctx.demo_db(), db)
    # a village with two households not registered for the title in YEAR
    v = query(db, "SELECT p.village_code FROM households h JOIN household_places p ON "
                  "p.household_id = h.id WHERE NOT EXISTS (SELECT 1 FROM records r WHERE "
                  "r.entity = h.code AND r.year = ? AND r.title = 'gia-dinh-hoc-tap' AND "
                  "r.registered_on IS NOT NULL) GROUP BY p.village_code HAVING COUNT(*) >= 2 "
                  "ORDER BY p.village_code LIMIT 1", YEAR)[0][0]
    unregistered = query(db, "SELECT h.code FROM households h JOIN household_places p ON "
                             "p.household_id = h.id WHERE p.village_code = ? AND NOT EXISTS ("
                             "SELECT 1 FROM records r WHERE r.entity = h.code AND r.year = ? AND "
                             "r.title = 'gia-dinh-hoc-tap' AND r.registered_on IS NOT NULL) "
                             "ORDER BY h.code LIMIT 2", v, YEAR)
    assert len(unregistered) == 2, unregistered
    with Server(ctx, db) as srv:

        def family():
            status, _, ev = request("GET", f"{srv.url}/api/v1/evaluation?year={YEAR}&unit={v}")
            assert status == 200, ev
            return next(t for t in json.loads(ev)["titles"] if t["key"] == "gia-dinh-hoc-tap")

        before = family()  # loads and caches the year's results
        data = ("code,year,registered,C1c,C3a,C3b,C4a,C4b\n" + "".join(
            f"{code},{YEAR},có,x,x,x,x,x\n" for (code,) in unregistered)).encode()
        status, _, rep = post(srv.url, "assessments", data, title="gia-dinh-hoc-tap")
        assert status == 200 and rep["added"] + rep["changed"] == 2, rep
        assert rep["results"] == "updated", rep
        after = family()
        assert after["registered"] == before["registered"] + 2, (before, after)
        # a new household: the year is loaded afresh, and counted at once
        data = f"household_code,head_name,village_code\nINC1,Ngô Văn Mới,{v}\n".encode()
        status, _, rep = post(srv.url, "households", data, year=YEAR)
        assert status == 200 and rep["results"] == "reloaded", rep
        assert family()["eligible"] == after["eligible"] + 1


def test_upload_of_a_workbook_picks_the_sheet(ctx):
    """An .xlsx whose first sheet is notes: without `sheet` no header is found; with it the
    rows below the title rows import (dry run)."""
    base, db = ctx.server_url(), ctx.demo_db()
    path = ctx.path("two-sheets.xlsx")
    script = ("import sys, openpyxl\nwb = openpyxl.Workbook(); wb.active.title = 'Ghi chú'\n"
              "wb.active['A1'] = 'Hướng dẫn'\nws = wb.create_sheet('Hộ gia đình')\n"
              "ws['A1'] = 'DANH SÁCH HỘ'; ws.merge_cells('A1:C1')\n"
              "ws.append(['Mã hộ', 'Họ tên chủ hộ', 'Mã thôn/tổ dân phố'])\n"
              "ws.append(['APIZ1', 'Đoàn Văn Sáu', sys.argv[2]])\nwb.save(sys.argv[1])\n")
    subprocess.run(["/usr/bin/python3", "-c", script, path, village(db)], check=True, timeout=60)
    data = open(path, "rb").read()
    status, _, rep = post(base, "households", data, year=YEAR, dry_run=1)
    assert status == 422 and rep["problems"][0]["row"] == 0, rep
    assert "Không tìm thấy dòng tiêu đề" in rep["problems"][0]["message"], rep
    assert "các trang tính: Ghi chú, Hộ gia đình" in rep["problems"][0]["message"], rep
    status, _, rep = post(base, "households", data, year=YEAR, dry_run=1, sheet="Hộ gia đình")
    assert status == 200 and rep["sheet"] == "Hộ gia đình" and rep["header_row"] == 2, rep
    assert rep["added"] == 1 and rep["format"] == "xlsx", rep
