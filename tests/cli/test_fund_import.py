"""hoctap import donors|donations|beneficiaries (docs/import.md, docs/funds.md): real files
(CSV in UTF-8 and in legacy encodings made with iconv, XLSX written by openpyxl) into the
funds' ledger on a copy of the demo database. A good file imports, the same file again
changes nothing, a file with a problem in every column writes nothing and names every row
and column, donations become receipts whose total is the fund's balance."""
import json
import os
import shutil
import subprocess

from harness import dump, query, write

PY = "/usr/bin/python3"  # Debian's python, which has openpyxl (python3-openpyxl)
YEAR = 2025

DONORS = ("STT,Mã nhà hảo tâm,Loại nhà hảo tâm,Tên nhà hảo tâm,Địa chỉ,Số điện thoại\n"
          "1,NHT-0001,cá nhân,Nguyễn Thị Hoa,\"Số 5, phố Lê Lợi\",0912 345 678\n"
          "2,NHT-0002,Doanh nghiệp,Công ty TNHH Sao Biển,KCN Đình Vũ,02253842111\n"
          "3,,ẩn danh,,,\n"
          "4,,gia đình,Gia đình ông Trần Văn Nam,Thôn Đông,\n")

DONATIONS_HEAD = ("Mã quỹ,Ngày thu,Số tiền (đồng),Số phiếu thu,Mã nhà hảo tâm,Nhà hảo tâm,"
                  "Đợt vận động,Mục đích,Hình thức\n")


def setup(ctx, name):
    """A copy of the demo with the city's fund KH-31 and a commune's fund."""
    db = ctx.path(name)
    shutil.copy(ctx.demo_db(), db)
    commune = query(db, "SELECT u.code FROM units u JOIN unit_kinds k ON k.prov = u.prov AND "
                    "k.key = u.kind AND k.level_key = 'commune' WHERE u.valid_to IS NULL ORDER BY "
                    "u.code LIMIT 1")[0][0]
    for code, owner, fund_name in (("KH-31", "31", "Quỹ Khuyến học thành phố"),
                                   (f"KH-{commune}", commune, "Quỹ Khuyến học xã")):
        r = ctx.run("fund", "create", code, "--name", fund_name, "--owner-kind", "unit",
                    "--owner", owner, "--db", db)
        assert r.code == 0, r
    return db, commune


def imp(ctx, db, *args):
    return ctx.run("import", *args, "--db", db)


def report(ctx, db, *args):
    r = ctx.run("import", *args, "--db", db, "--format", "json")
    return r, json.loads(r.out) if r.out.strip() else None


def legacy(ctx, name, text, iconv_name):
    """text written in a legacy encoding by iconv, as an old spreadsheet saves it."""
    data = subprocess.run(["iconv", "-f", "UTF-8", "-t", iconv_name], input=text.encode(),
                          capture_output=True, check=True).stdout
    path = ctx.path(name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def openpyxl(script, *args):
    proc = subprocess.run([PY, "-c", "import sys, json, openpyxl\n" + script, *args],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def fund_show(ctx, db, code):
    r = ctx.run("fund", "show", code, "--format", "json", "--db", db)
    assert r.code == 0, r
    return json.loads(r.out)


# ----------------------------------------------------------------------------- donors

def test_donors_import_then_reimport_changes_nothing(ctx):
    db, _ = setup(ctx, "donors.db")
    path = write(ctx.path("nha-hao-tam.csv"), DONORS)
    r = imp(ctx, db, "donors", path)
    assert r.code == 0 and "4 row(s): 4 added, 0 changed, 0 unchanged" in r.out, r
    assert query(db, "SELECT code, kind, name, address, phone FROM fund_donors ORDER BY "
                     "COALESCE(code, 'z'), name") == [
        ("NHT-0001", "person", "Nguyễn Thị Hoa", "Số 5, phố Lê Lợi", "0912 345 678"),
        ("NHT-0002", "enterprise", "Công ty TNHH Sao Biển", "KCN Đình Vũ", "02253842111"),
        (None, "anonymous", "", "", ""),
        (None, "family", "Gia đình ông Trần Văn Nam", "Thôn Đông", "")]
    before = dump(db)
    r = imp(ctx, db, "donors", path)
    assert r.code == 0 and "4 row(s): 0 added, 0 changed, 4 unchanged" in r.out, r
    assert dump(db) == before, "the same file again changes nothing, not even the audit trail"
    entries = query(db, "SELECT object_id, after_json FROM audit WHERE action = 'import.donors'")
    assert len(entries) == 1 and entries[0][0] == os.path.basename(path), entries
    after = json.loads(entries[0][1])
    assert (after["rows"], after["added"]) == (4, 4) and len(after["sha256"]) == 64, after
    assert "year" not in after, after

    # a code given to a donor entered without one, a new telephone number: changed, no new donor
    changed = write(ctx.path("nha-hao-tam-2.csv"), DONORS.replace("0912 345 678", "0987 654 321")
                    .replace("4,,gia đình", "4,NHT-0003,gia đình"))
    r, rep = report(ctx, db, "donors", changed)
    assert r.code == 0 and (rep["added"], rep["changed"], rep["unchanged"]) == (0, 2, 2), rep
    assert rep["year"] is None, rep
    assert query(db, "SELECT COUNT(*) FROM fund_donors")[0][0] == 4
    assert query(db, "SELECT phone FROM fund_donors WHERE code = 'NHT-0001'") == [("0987 654 321",)]
    assert query(db, "SELECT name FROM fund_donors WHERE code = 'NHT-0003'") == \
        [("Gia đình ông Trần Văn Nam",)]
    # columns not in the file keep what is stored: the kind, the address, the phone
    before = dump(db)
    r, rep = report(ctx, db, "donors", write(ctx.path("ten.csv"), "Tên nhà hảo tâm,Mã nhà hảo tâm\n"
                                                  "Công ty TNHH Sao Biển,NHT-0002\n"
                                                  "Gia đình ông Trần Văn Nam,\n"))
    assert r.code == 0 and rep["unchanged"] == 2, (r.err, rep)
    assert dump(db) == before


    # every column wrong: nothing written, every cell named
    bad = write(ctx.path("nha-hao-tam-loi.csv"),
                "Mã nhà hảo tâm,Loại nhà hảo tâm,Tên nhà hảo tâm,Địa chỉ,Số điện thoại\n"
                f"NHT 9,robot,{'Tên Dài ' * 40},{'x' * 1001},12ab\n"
                ",ẩn danh,Có Tên Mà Ẩn Danh,,\n"
                "NHT-0001,cá nhân,Nguyễn Thị Hoa,,\n"
                "NHT-0001,cá nhân,Nguyễn Thị Hoa,,\n")
    before = dump(db)
    r = imp(ctx, db, "donors", bad)
    assert r.code == 1 and "nothing was imported" in r.err, r
    assert dump(db) == before
    name = os.path.basename(bad)
    columns = {line.split(": column ")[1].split(" ")[0] for line in r.err.splitlines()
               if line.startswith(f"{name}:2:")}
    assert columns == set("ABCDE"), r.err
    assert "'robot' is not a kind of donor" in r.err and "is not a telephone number" in r.err
    assert f"{name}:3: column C (name)" in r.err and "an anonymous donor has no name" in r.err
    assert "donor NHT-0001 is already on row 4 of this file" in r.err, r.err


# ----------------------------------------------------------------------------- donations

def test_donations_post_receipts_once_and_the_total_is_the_balance(ctx):
    db, commune = setup(ctx, "donations.db")
    assert imp(ctx, db, "donors", write(ctx.path("d.csv"), DONORS)).code == 0
    cf = f"KH-{commune}"
    text = DONATIONS_HEAD + (
        "KH-31,05/09/2025,1.500.000,PT-2025-0001,NHT-0001,,Tháng Khuyến học 2025,Học bổng,tiền mặt\n"
        "KH-31,06/09/2025,\"2,000,000 đ\",PT-2025-0002,NHT-0002,Công ty TNHH Sao Biển,"
        "Tháng Khuyến học 2025,,chuyển khoản\n"
        "KH-31,07/09/2025,500000,PT-2025-0003,,ẩn danh,Tháng Khuyến học 2025,,\n"
        "KH-31,08/09/2025,300.000 đ,PT-2025-0004,,Lê Văn Mới,,,\n"
        "KH-31,2025-09-09,200.000,PT-2025-0005,,LÊ VĂN MỚI,,,TM\n"
        f"{cf},10/09/2025,1 000 000,PT-2025-0001,,Phạm Thị Lan,,,CK\n")
    # the officer's old spreadsheet saves TCVN3 (ABC): detected, diacritics intact
    path = legacy(ctx, "khoan-thu.tcvn3.csv", text, "TCVN5712-1")
    r = imp(ctx, db, "donations", path)
    assert r.code == 0, r
    assert "6 row(s): 6 added, 0 changed, 0 unchanged (2 new donor(s)" in r.out, r
    assert "Encoding:" in r.out and "TCVN3" in r.out, r.out
    shown = fund_show(ctx, db, "KH-31")
    assert shown["balance"] == 1500000 + 2000000 + 500000 + 300000 + 200000, shown
    assert sum(e["amount"] for e in shown["entries"]) == shown["balance"]
    assert [(e["number"], e["method"], e["donor_name"]) for e in shown["entries"]] == [
        ("PT-2025-0001", "cash", "Nguyễn Thị Hoa"), ("PT-2025-0002", "bank", "Công ty TNHH Sao Biển"),
        ("PT-2025-0003", "cash", ""), ("PT-2025-0004", "cash", "Lê Văn Mới"),
        ("PT-2025-0005", "cash", "Lê Văn Mới")], shown["entries"]
    assert shown["entries"][0]["campaign"] == "Tháng Khuyến học 2025"
    assert fund_show(ctx, db, cf)["balance"] == 1000000
    # the name without a code made one new donor, found again by the next row
    assert query(db, "SELECT COUNT(*) FROM fund_donors WHERE name = 'Lê Văn Mới'")[0][0] == 1
    assert ctx.run("fund", "check", "--db", db).code == 0

    # again: nothing is posted twice, nothing changes
    before = dump(db)
    r, rep = report(ctx, db, "donations", path)
    assert r.code == 0 and (rep["added"], rep["unchanged"]) == (0, 6), rep
    assert rep["donors_added"] == 0 and dump(db) == before
    # the import is audited once, with the receipts and totals per fund
    (after,) = [json.loads(a) for (a,) in query(db, "SELECT after_json FROM audit WHERE "
                                                    "action = 'import.donations'")]
    assert after["added"] == 6 and after["amount"] == 5500000 and after["donors_added"] == 2
    assert {f["fund"]: (f["receipts"], f["amount"]) for f in after["funds"]} == \
        {"KH-31": (5, 4500000), cf: (1, 1000000)}, after

    # the same file in Windows-1258 (combining marks) and UTF-8 with one new row: only it is posted
    more = text + "KH-31,12/09/2025,\"750.000 đ\",PT-2025-0006,NHT-0001,Nguyễn Thị Hoa,,,\n"
    r, rep = report(ctx, db, "donations", legacy(ctx, "khoan-thu.cp1258.csv", more, "CP1258"))
    assert r.code == 0 and (rep["added"], rep["unchanged"]) == (1, 6), (r.err, rep)
    assert rep["encoding"]["name"] in ("cp1258", "windows-1258"), rep["encoding"]
    assert fund_show(ctx, db, "KH-31")["balance"] == 4500000 + 750000


def test_a_donations_file_with_a_problem_in_every_column_writes_nothing(ctx):
    db, _ = setup(ctx, "donations-bad.db")
    assert imp(ctx, db, "donors", write(ctx.path("d.csv"), DONORS)).code == 0
    good = write(ctx.path("good.csv"), DONATIONS_HEAD +
                 "KH-31,01/08/2025,900.000,PT-01,NHT-0001,,,,\n"
                 "KH-31,02/09/2025,1.000.000,PT-02,,,,,\n"
                 "KH-31,03/09/2025,400.000,PT-03,,,,,\n")
    assert imp(ctx, db, "donations", good).code == 0
    shown = fund_show(ctx, db, "KH-31")
    third = next(e for e in shown["entries"] if e["number"] == "PT-03")
    r = ctx.run("fund", "reverse", str(third["id"]), "--date", "2025-09-04", "--reason",
                "Nhầm người nộp", "--db", db)
    assert r.code == 0, r
    r = ctx.run("fund", "close", "KH-31", "--through", "2025-08-31", "--db", db)
    assert r.code == 0, r
    # a second donor of the same name: a name alone no longer says who gave
    r = ctx.run("fund", "donor", "add", "--name", "NGUYỄN THỊ HOA", "--db", db)
    assert r.code == 0, r
    long_text = "Tháng Khuyến học " * 70  # more than 1000 bytes
    path = write(ctx.path("khoan-thu-loi.csv"), DONATIONS_HEAD + (
        "KH-31,05/09/2025,1.500.000,PT-10,NHT-0001,,,,\n"  # a good row
        f"KHONG-CO,31/02/2025,\"1.500.000,5\",PT-{'9' * 50},NHT-404,{'Tên Dài ' * 40},"
        f"{long_text},{long_text},séc\n"                     # every column wrong
        "KH-31,30/08/2025,100.000,PT-11,,,,,\n"             # in the closed period
        "KH-31,02/09/2025,2.000.000,PT-02,,,,,\n"           # PT-02 is in the books: 1.000.000
        "KH-31,03/09/2025,400.000,PT-03,,,,,\n"             # PT-03 was reversed
        "KH-31,05/09/2025,100.000,PT-10,,,,,\n"             # PT-10 twice in the file
        "KH-31,05/09/2099,1.5,PT-12,NHT-0002,Bà Khác,,,\n"  # future, fraction, wrong name
        "KH-31,05/09/2025,0,PT-13,,,,,\n"
        "KH-31,05/09/2025,100.000,PT-14,,Nguyễn Thị Hoa,,,\n"))
    before = dump(db)
    errors = ctx.path("loi.xlsx")
    r = imp(ctx, db, "donations", path, "--errors", errors)
    assert r.code == 1 and "nothing was imported" in r.err, r
    assert dump(db) == before, "a file with problems must change nothing"
    name = os.path.basename(path)
    columns = {line.split(": column ")[1].split(" ")[0] for line in r.err.splitlines()
               if line.startswith(f"{name}:3:")}
    assert columns == set("ABCDEFGHI"), r.err  # every column of row 3 is named
    for text in ("no fund has code KHONG-CO", "'31/02/2025' is not a date",
                 "has a fraction of a đồng", "longer than 40 bytes", "no donor has code NHT-404",
                 "'séc' is not a method",
                 f"{name}:4: column B (date) '30/08/2025': the books of KH-31 are closed "
                 "through 31/08/2025",
                 f"{name}:5: column D (receipt_number) 'PT-02': receipt PT-02 of fund KH-31 is in "
                 "the books already (02/09/2025, 1.000.000 đ",
                 f"{name}:6: column D (receipt_number) 'PT-03': receipt PT-03 of fund KH-31 "
                 "(03/09/2025, 400.000 đ) was reversed",
                 f"{name}:7: column D (receipt_number) 'PT-10': receipt PT-10 of fund KH-31 is "
                 "already on row 2 of this file",
                 f"{name}:8: column B (date) '05/09/2099': 05/09/2099 is in the future",
                 f"{name}:8: column C (amount) '1.5': '1.5' has a fraction of a đồng",
                 f"{name}:8: column F (donor_name) 'Bà Khác': donor NHT-0002 is Công ty TNHH "
                 "Sao Biển, not Bà Khác",
                 f"{name}:9: column C (amount) '0': '0': a donation is more than 0 đồng",
                 f"{name}:10: column F (donor_name) 'Nguyễn Thị Hoa': 2 or more donors are named "
                 "Nguyễn Thị Hoa (codes: NHT-0001, -; - is none)"):
        assert text in r.err, (text, r.err)
    # the errors workbook: the same rows, the bad cells highlighted, the reasons beside them
    got = json.loads(openpyxl("""
wb = openpyxl.load_workbook(sys.argv[1]); ws = wb.active
rows = list(ws.iter_rows())
print(json.dumps({
  'header': [c.value for c in rows[0]],
  'flagged': [[c.column_letter for c in row if c.fill.fill_type == 'solid'] for row in rows],
  'vi': [row[9].value for row in rows], 'en': [row[10].value for row in rows],
}))""", errors))
    assert got["header"][9:] == ["Lỗi", "Error"], got["header"]
    assert got["flagged"][1] == [], got["flagged"]  # the good row is copied as it is
    assert set("ABCDEFGHI") <= set(got["flagged"][2]), got["flagged"][2]
    assert "Không có quỹ mã KHONG-CO" in got["vi"][2] and "có phần lẻ" in got["vi"][2], got["vi"][2]
    assert "B: Sổ quỹ KH-31 đã khóa đến ngày 31/08/2025" in got["vi"][3], got["vi"][3]
    assert "no fund has code KHONG-CO" in got["en"][2]
    assert got["vi"][1] is None and len(got["flagged"]) == 10


# ----------------------------------------------------------------------------- beneficiaries

BENEFICIARIES_XLSX = """
wb = openpyxl.Workbook()
ws = wb.active; ws.title = 'Học sinh'
ws['A1'] = 'DANH SÁCH HỌC SINH NHẬN HỌC BỔNG NĂM 2025'
ws.merge_cells('A1:J1')
header = ['STT', 'Số CCCD', 'Mã hộ', 'Họ và tên', 'Năm sinh', 'Mã đơn vị', 'Trường', 'Lớp',
          'Hoàn cảnh', 'Thành tích']
for i, h in enumerate(header):
    ws.cell(row=3, column=i + 1, value=h)
for r, row in enumerate(json.loads(sys.argv[2])):
    for c, v in enumerate(row):
        ws.cell(row=4 + r, column=c + 1, value=v)
wb.save(sys.argv[1])
"""


def test_beneficiaries_from_the_registry_and_by_hand(ctx):
    db, commune = setup(ctx, "beneficiaries.db")
    # two pupils of the registry: one with a citizen ID, one found by household, name and year
    with_id = query(db, "SELECT p.citizen_id, p.full_name, p.birth_year, hp.village_code FROM "
                        "persons p JOIN household_places hp ON hp.household_id = p.household_id "
                        "WHERE p.citizen_id IS NOT NULL AND p.birth_year >= 2008 ORDER BY p.id "
                        "LIMIT 1")[0]
    by_name = query(db, "SELECT h.code, p.full_name, p.birth_year, hp.village_code FROM persons p "
                        "JOIN households h ON h.id = p.household_id JOIN household_places hp ON "
                        "hp.household_id = h.id WHERE p.citizen_id IS NULL AND p.birth_year >= "
                        "2010 AND NOT EXISTS (SELECT 1 FROM persons q WHERE q.household_id = "
                        "p.household_id AND q.id <> p.id AND q.name_key = p.name_key) ORDER BY "
                        "p.id LIMIT 1")[0]
    rows = [[1, with_id[0], None, with_id[1], with_id[2], None, "THCS Lê Lợi", "9A",
             "hộ nghèo, mồ côi", "học sinh giỏi"],
            [2, None, by_name[0], by_name[1].upper(), by_name[2], None, "Tiểu học Hoa Sen", "5B",
             None, "giải quốc gia; học sinh giỏi"],
            [3, None, None, "Phạm Minh Khôi", 2011, commune, "THCS Ngô Quyền", 8, "khuyết tật",
             "excellent"],
            [4, None, None, "Vũ Thị Không Rõ Năm", None, commune, None, None, None, None]]
    path = ctx.path("hoc-sinh.xlsx")
    openpyxl(BENEFICIARIES_XLSX, path, json.dumps(rows))
    before = dump(db)
    r, rep = report(ctx, db, "beneficiaries", path, "--dry-run")
    assert r.code == 0 and rep["added"] == 4 and rep["dry_run"] and not rep["written"], rep
    assert rep["header_row"] == 3 and rep["format"] == "xlsx", rep
    assert dump(db) == before, "a dry run writes nothing"
    r, rep = report(ctx, db, "beneficiaries", path)
    assert r.code == 0 and rep["added"] == 4 and rep["written"], rep
    got = query(db, "SELECT person_id IS NOT NULL, name, birth_year, unit_code, school, grade, "
                    "circumstances, achievements FROM fund_beneficiaries ORDER BY name")
    assert sorted(got) == sorted([
        (1, with_id[1], with_id[2], with_id[3], "THCS Lê Lợi", "9A", "poor|orphan", "excellent"),
        (1, by_name[1], by_name[2], by_name[3], "Tiểu học Hoa Sen", "5B", "",
         "excellent|national-prize"),  # the registry's name, not the upper-case one typed
        (0, "Phạm Minh Khôi", 2011, commune, "THCS Ngô Quyền", "8", "disability", "excellent"),
        (0, "Vũ Thị Không Rõ Năm", None, commune, "", "", "", "")]), got
    before = dump(db)
    r, rep = report(ctx, db, "beneficiaries", path)
    assert r.code == 0 and rep["unchanged"] == 4, rep
    assert dump(db) == before

    # a later list (Windows-1258 CSV): a new prize for one, the others as they were
    text = ("Số CCCD,Mã hộ,Họ và tên,Năm sinh,Mã đơn vị,Thành tích\n"
            f"{with_id[0]},,{with_id[1]},{with_id[2]},,\"học sinh giỏi, giải cấp tỉnh\"\n"
            f",,Phạm Minh Khôi,2011,{commune},excellent\n")
    r, rep = report(ctx, db, "beneficiaries", legacy(ctx, "hoc-sinh.csv", text, "CP1258"))
    assert r.code == 0 and (rep["changed"], rep["unchanged"]) == (1, 1), (r.err, rep)
    assert query(db, "SELECT school, achievements FROM fund_beneficiaries WHERE name = ?",
                 with_id[1]) == [("THCS Lê Lợi", "excellent|provincial-prize")]

    # problems: a citizen ID of somebody else's name, an unknown unit, a word not in the list
    bad = write(ctx.path("hoc-sinh-loi.csv"),
                "Số CCCD,Mã hộ,Họ và tên,Năm sinh,Mã đơn vị,Hoàn cảnh,Thành tích\n"
                f"{with_id[0]},,Người Khác,{with_id[2]},KHONG-CO,nghèo khó,huy chương vàng\n"
                ",,Không Đơn Vị,2012,,,\n"
                f",{by_name[0]},{by_name[1]},,,,\n")
    before = dump(db)
    r = imp(ctx, db, "beneficiaries", bad)
    assert r.code == 1 and dump(db) == before, r
    name = os.path.basename(bad)
    for text in (f"{name}:2: column C (full_name) 'Người Khác': citizen ID {with_id[0]} belongs "
                 f"to {with_id[1]}",
                 f"{name}:2: column E (unit_code) 'KHONG-CO': no unit has code KHONG-CO",
                 f"{name}:2: column F (circumstances) 'nghèo khó': 'nghèo khó' is not one of",
                 f"{name}:2: column G (achievements)",
                 f"{name}:3: column E (unit_code): the unit code is empty",
                 f"{name}:4: column D (birth_year): birth_year is empty"):
        assert text in r.err, (text, r.err)


# ----------------------------------------------------------------------------- templates

READ_TEMPLATE = """
wb = openpyxl.load_workbook(sys.argv[1]); ws = wb.worksheets[0]
print(json.dumps({
  'rows': [list(r) for r in ws.iter_rows(values_only=True)],
  'comments': [c.comment.text if c.comment else None for c in ws[2]],
  'validations': {str(v.sqref).split(':')[0]: (v.formula1, v.errorStyle)
                  for v in ws.data_validations.dataValidation},
}, default=str))
"""


def test_templates_of_the_funds_kinds_import_back_unchanged(ctx):
    db, commune = setup(ctx, "templates.db")
    assert imp(ctx, db, "donors", write(ctx.path("d.csv"), DONORS)).code == 0
    assert imp(ctx, db, "donations", write(ctx.path("k.csv"), DONATIONS_HEAD + (
        "KH-31,05/09/2025,1.500.000,PT-1,NHT-0001,,Tháng Khuyến học 2025,,\n"
        "KH-31,06/09/2025,500.000,PT-2,,ẩn danh,,,chuyển khoản\n"
        f"KH-{commune},07/09/2025,250.000,PT-1,,Đỗ Văn Tư,,,\n"))).code == 0
    assert imp(ctx, db, "beneficiaries", write(ctx.path("b.csv"), (
        "Họ và tên,Năm sinh,Mã đơn vị,Hoàn cảnh,Thành tích\n"
        f"Phạm Minh Khôi,2011,{commune},\"hộ nghèo, khuyết tật\",giải quốc gia\n"))).code == 0
    # empty: the headers, with a comment each and the drop-downs
    for kind, headers, lists in (
            ("donors", ["Mã nhà hảo tâm", "Loại nhà hảo tâm", "Tên nhà hảo tâm", "Địa chỉ",
                        "Số điện thoại"], {"B3": "cá nhân"}),
            ("donations", ["Mã quỹ", "Ngày thu", "Số tiền (đồng)", "Số phiếu thu",
                           "Mã nhà hảo tâm", "Nhà hảo tâm", "Đợt vận động", "Mục đích",
                           "Hình thức"], {"I3": "tiền mặt"}),
            ("beneficiaries", ["Số CCCD", "Mã hộ", "Họ và tên", "Năm sinh", "Mã đơn vị",
                               "Trường", "Lớp", "Hoàn cảnh", "Thành tích"],
             {"H3": "hộ nghèo", "I3": "học sinh giỏi"})):
        path = ctx.path(f"mau-{kind}.xlsx")
        r = ctx.run("template", kind, "-o", path, "--db", db)
        assert r.code == 0 and "0 row(s)" in r.out, r
        book = json.loads(openpyxl(READ_TEMPLATE, path))
        assert book["rows"][1] == headers, book["rows"]
        assert all(book["comments"]), (kind, book["comments"])
        for cell, word in lists.items():
            assert word in book["validations"][cell][0], (kind, book["validations"])
        # lists of several words are offered, not enforced
        if kind == "beneficiaries":
            assert book["validations"]["H3"][1] != "stop", book["validations"]
    # prefilled with the city (every donor) and with the commune: back unchanged
    made = {}
    for unit in ("31", commune):
        for kind in ("donors", "donations", "beneficiaries"):
            for fmt in ("xlsx", "csv"):
                path = made[(kind, unit, fmt)] = ctx.path(f"mau-{kind}-{unit}.{fmt}")
                r = ctx.run("template", kind, "--unit", unit, "--year", str(YEAR), "-o", path,
                            "--db", db)
                assert r.code == 0, r
                r, rep = report(ctx, db, kind, path)
                assert r.code == 0, (kind, unit, fmt, r.err[-2000:])
                assert rep["rows"] == rep["unchanged"], (kind, unit, fmt, rep)
                want = {("donors", "31"): 5, ("donors", commune): 1,
                        ("donations", "31"): 3, ("donations", commune): 1,
                        ("beneficiaries", "31"): 1, ("beneficiaries", commune): 1}[(kind, unit)]
                assert rep["rows"] == want, (kind, unit, fmt, rep)
    book = json.loads(openpyxl(READ_TEMPLATE, made[("beneficiaries", commune, "xlsx")]))
    assert book["rows"][2][2:] == ["Phạm Minh Khôi", 2011, commune, None, None,
                                   "hộ nghèo, khuyết tật", "giải quốc gia"], book["rows"]
    book = json.loads(openpyxl(READ_TEMPLATE, made[("donations", "31", "xlsx")]))
    assert book["rows"][3][:6] == ["KH-31", "05/09/2025", 1500000, "PT-1", "NHT-0001",
                                   "Nguyễn Thị Hoa"], book["rows"]
    # "ẩn danh" names nobody: the receipt has no donor, the template no name
    assert book["rows"][4][4:] == [None, None, None, None, "chuyển khoản"], book["rows"]


def test_usage_errors_of_the_funds_kinds(ctx):
    db, _ = setup(ctx, "usage.db")
    r = ctx.run("import", "donations", "x.csv", "--year", "2025", "--db", db)
    assert r.code == 2 and "--year does not apply to donations" in r.err, r
    r = ctx.run("import", "donors", "x.csv", "--title", "gia-dinh-hoc-tap", "--db", db)
    assert r.code == 2 and "--title" in r.err, r
    r = ctx.run("import", "cats", "x.csv", "--db", db)
    assert r.code == 2 and "donors, donations or beneficiaries" in r.err, r
