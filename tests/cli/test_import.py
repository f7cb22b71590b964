"""hoctap import: every kind, CSV in every accepted encoding and XLSX written by openpyxl,
validation of every row with nothing written on any problem, upserts that a second import
leaves unchanged, dry runs and the highlighted errors workbook."""
import json
import os
import shutil
import subprocess

from harness import DATA, dump, query, write

ENCODINGS = os.path.join(DATA, "encodings")
PY = "/usr/bin/python3"  # Debian's python, which has openpyxl (python3-openpyxl)
YEAR = 2025


def fresh_db(ctx):
    """A copy of the demo database (the demo itself must stay as it is)."""
    db = ctx.path("import.db")
    shutil.copy(ctx.demo_db(), db)
    return db


def villages(db, n=2):
    rows = query(db, "SELECT u.code FROM units u JOIN unit_kinds k ON k.prov = u.prov AND "
                     "k.key = u.kind WHERE k.level_key = 'village' AND u.valid_from <= ? AND "
                     "(u.valid_to IS NULL OR u.valid_to >= ?) ORDER BY u.code LIMIT ?",
                 f"{YEAR}-12-31", f"{YEAR}-12-31", n)
    return [r[0] for r in rows]


def imp(ctx, db, *args):
    return ctx.run("import", *args, "--db", db)


def report(ctx, db, *args):
    r = ctx.run("import", *args, "--db", db, "--format", "json")
    return r, json.loads(r.out) if r.out.strip() else None


def openpyxl(script, *args):
    """Runs a script with Debian's python3 and openpyxl; returns its stdout."""
    proc = subprocess.run([PY, "-c", "import sys, json, openpyxl\n" + script, *args],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


# ----------------------------------------------------------------------------- households

def test_households_import_then_reimport_changes_nothing(ctx):
    db = fresh_db(ctx)
    v1, v2 = villages(db)
    existing = query(db, "SELECT code, head_name, address FROM households ORDER BY code LIMIT 1")[0]
    path = write(ctx.path("ho.csv"),
                 "household_code,head_name,village_code,clan_code,address\n"
                 f"TH000001,Nguyễn Văn An,{v1},,Số 1\n"
                 f"TH000002,\"Trần Thị Bình\",{v2},,\"Số 2, ngõ 3\"\n"
                 f"{existing[0]},Đổi Tên Chủ Hộ,{v1},,{existing[2]}\n")
    r = imp(ctx, db, "households", path, "--year", str(YEAR))
    assert r.code == 0, r
    assert "3 row(s): 2 added, 1 changed, 0 unchanged" in r.out, r
    assert query(db, "SELECT head_name, address FROM households WHERE code = 'TH000002'") == \
        [("Trần Thị Bình", "Số 2, ngõ 3")]
    assert query(db, "SELECT village_code FROM household_places p JOIN households h ON h.id = "
                     "p.household_id WHERE h.code = 'TH000001'") == [(v1,)]
    before = dump(db)
    r = imp(ctx, db, "households", path, "--year", str(YEAR))
    assert r.code == 0 and "3 row(s): 0 added, 0 changed, 3 unchanged" in r.out, r
    after = dump(db)
    assert after == before, "a second import of the same file changes nothing, not even the log"
    # one audit entry for the import that wrote, with the file's hash and counts
    entries = query(db, "SELECT action, object_id, after_json FROM audit WHERE action = "
                        "'import.households'")
    assert len(entries) == 1 and entries[0][1] == os.path.basename(path), entries
    assert json.loads(entries[0][2])["added"] == 2 and len(json.loads(entries[0][2])["sha256"]) == 64


def test_dry_run_counts_but_writes_nothing(ctx):
    db = fresh_db(ctx)
    (v1,) = villages(db, 1)
    path = write(ctx.path("ho.csv"), f"household_code,head_name,village_code\nTH1,Lê Văn Cường,{v1}\n")
    before = dump(db)
    r = imp(ctx, db, "households", path, "--dry-run")
    assert r.code == 0 and "1 row(s): 1 added" in r.out and "Dry run: nothing was written" in r.out
    assert dump(db) == before


def test_separators_line_ends_bom_and_quoted_newlines(ctx):
    db = fresh_db(ctx)
    (v1,) = villages(db, 1)
    for name, text in [
        ("semicolon.csv", f"\ufeffMã hộ;Họ tên chủ hộ;Mã thôn/tổ dân phố;Địa chỉ\r\nTS1;Phạm Thị Dung;{v1};\"Xóm 1\r\nngõ 2\"\r\n"),
        ("tab.csv", f"HOUSEHOLD_CODE\tHEAD_NAME\tVILLAGE_CODE\nTS2\tĐỗ Văn Em\t{v1}\n"),
        ("any-order.csv", f"village_code,Head_Name,household_code\n{v1},\"Hà \"\"Út\"\"\",TS3\n"),
    ]:
        r = imp(ctx, db, "households", write(ctx.path(name), text), "--year", str(YEAR))
        assert r.code == 0 and "1 added" in r.out, (name, r)
    assert query(db, "SELECT address FROM households WHERE code = 'TS1'") == [("Xóm 1 ngõ 2",)]
    assert query(db, "SELECT head_name FROM households WHERE code = 'TS3'") == [('Hà "Út"',)]


# ----------------------------------------------------------------------------- errors

def test_a_file_with_errors_in_every_column_imports_nothing(ctx):
    db = fresh_db(ctx)
    hh = query(db, "SELECT code FROM households ORDER BY code LIMIT 1")[0][0]
    cid = query(db, "SELECT citizen_id FROM persons WHERE citizen_id IS NOT NULL LIMIT 1")[0][0]
    path = write(ctx.path("nhan-khau.csv"),
                 "household_code,full_name,birth_year,gender,citizen_id,literate,in_school,"
                 "school_result,conduct,topics_completed\n"
                 f"{hh},Nguyễn Thị Hoa,1990,nữ,,có,không,,,2\n"            # a good row
                 "KHONG-CO,,2099,x,12345,maybe,perhaps,giỏi,xuất sắc,200\n"  # every column wrong
                 f"{hh},Lê Văn Tâm,1985,nam,999123456789,,,,,\n"           # bad province prefix
                 f"{hh},Lê Văn Tâm,1985,nam,{cid},,,,,\n"
                 f"{hh},Lê Văn Tám,1986,nam,{cid},,,,,\n")                 # duplicate citizen ID
    before = dump(db)
    errors = ctx.path("loi.xlsx")
    r = imp(ctx, db, "persons", path, "--year", str(YEAR), "--errors", errors)
    assert r.code == 1, r
    assert "nothing was imported" in r.err, r
    assert dump(db) == before, "a file with problems must change nothing"
    name = os.path.basename(path)
    lines = [line for line in r.err.splitlines() if line.startswith(f"{name}:3:")]
    columns = {line.split(": column ")[1].split(" ")[0] for line in lines}
    assert columns == set("ABCDEFGHIJ"), r.err  # every column of row 3 is named
    assert "no household has code KHONG-CO" in r.err
    assert "2099 is in the future" in r.err
    assert "it must have exactly 12 digits" in r.err
    assert "999 is not a province code" in r.err
    assert f"citizen ID {cid} is already on row 5 of this file" in r.err
    # the same file with the bad cells highlighted and the reasons beside each row
    out = openpyxl("""
wb = openpyxl.load_workbook(sys.argv[1]); ws = wb.active
rows = list(ws.iter_rows())
print(json.dumps({
  'header': [c.value for c in rows[0]],
  'flagged': [[c.column_letter for c in row if c.fill.fill_type == 'solid'] for row in rows],
  'reasons': [row[10].value for row in rows],
}))""", errors)
    got = json.loads(out)
    assert got["header"][10:] == ["Lỗi", "Error"], got["header"]
    assert got["flagged"][1] == [], got["flagged"]  # the good row is copied as it is
    assert set("ABCDEFGHIJ") <= set(got["flagged"][2]), got["flagged"][2]
    assert "Không có hộ mã KHONG-CO" in got["reasons"][2], got["reasons"][2]
    assert got["reasons"][1] is None


def test_json_report_lists_every_problem_with_row_column_value(ctx):
    db = fresh_db(ctx)
    path = write(ctx.path("clans.csv"), "clan_code,name,village_code\nDH X,,NO-VILLAGE\n")
    r, rep = report(ctx, db, "clans", path, "--year", str(YEAR))
    assert r.code == 1 and rep["written"] is False and rep["problems_total"] == 3, rep
    by_field = {p["field"]: p for p in rep["problems"]}
    assert by_field["clan_code"]["cell"] == "A2" and by_field["clan_code"]["value"] == "DH X"
    assert by_field["village_code"]["column"] == "C"
    assert by_field["name"]["message_vi"].startswith("Chưa ghi Tên dòng họ")


def test_header_problems(ctx):
    db = fresh_db(ctx)
    r = imp(ctx, db, "clans", write(ctx.path("a.csv"), "clan_code,name,village_code,phone\nX,Y,Z,1\n"))
    assert r.code == 1 and "unknown column 'phone'" in r.err, r
    r = imp(ctx, db, "clans", write(ctx.path("b.csv"), "clan_code,name\nX,Y\n"))
    assert r.code == 1 and "lacks required columns: village_code" in r.err, r
    r = imp(ctx, db, "clans", write(ctx.path("c.csv"), "a,b\n1,2\n"))
    assert r.code == 1 and "no header row in the first 30 rows" in r.err, r
    r = imp(ctx, db, "clans", write(ctx.path("d.csv"), "clan_code,name,village_code,Mã dòng họ\n"))
    assert r.code == 1 and "appears twice" in r.err, r
    r = imp(ctx, db, "clans", write(ctx.path("e.csv"), "STT,clan_code,name,village_code,Ghi chú\n"))
    assert r.code == 1 and "there are no rows below the header" in r.err, r


def test_xls_ods_and_oversized_files_are_refused_with_what_to_do(ctx):
    db = fresh_db(ctx)
    xls = ctx.path("old.xls")
    with open(xls, "wb") as f:
        f.write(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504)
    r = imp(ctx, db, "households", xls)
    assert r.code == 1 and ".xlsx" in r.err and "nothing was imported" in r.err, r
    ods = ctx.path("calc.ods")
    import zipfile
    with zipfile.ZipFile(ods, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    r = imp(ctx, db, "households", ods)
    assert r.code == 1 and ("OpenDocument" in r.err or ".ods" in r.err), r
    big = ctx.path("big.csv")
    with open(big, "wb") as f:
        f.truncate(101 * 1024 * 1024)  # sparse: no disk used
    r = imp(ctx, db, "households", big)
    assert r.code == 1 and "at most 100 MiB" in r.err and "split it" in r.err, r
    os.remove(big)


# ----------------------------------------------------------------------------- encodings

def test_legacy_encodings_import_with_correct_diacritics(ctx):
    db = fresh_db(ctx)
    (v1,) = villages(db, 1)
    names = open(os.path.join(ENCODINGS, "names.utf8.txt"), encoding="utf-8").read().splitlines()
    text = "household_code,head_name,village_code\n" + "".join(
        f'ENC{{n}}{i},"{name}",{v1}\n' for i, name in enumerate(names))
    cases = [("tcvn3", "TCVN5712-1", "TCVN3"), ("viscii", "VISCII", "VISCII"),
             ("cp1258", "CP1258", "Windows-1258")]
    for n, (key, iconv_name, label) in enumerate(cases):
        path = ctx.path(f"ho.{key}.csv")
        data = subprocess.run(["iconv", "-f", "UTF-8", "-t", iconv_name],
                              input=text.replace("{n}", str(n)).encode(), capture_output=True,
                              check=True).stdout
        open(path, "wb").write(data)
        r = imp(ctx, db, "households", path, "--year", str(YEAR))
        assert r.code == 0 and f"{len(names)} added" in r.out, (key, r)
        assert "Encoding:" in r.out and label.split("-")[0] in r.out, (key, r.out)
        got = [row[0] for row in query(db, f"SELECT head_name FROM households WHERE code LIKE "
                                           f"'ENC{n}%' ORDER BY code")]
        assert got == names, (key, got)
    # UTF-16 with a byte-order mark, both byte orders
    for n, codec in ((7, "utf-16-le"), (8, "utf-16-be")):
        path = ctx.path(f"ho.{codec}.csv")
        bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
        open(path, "wb").write(bom + text.replace("{n}", str(n)).encode(codec))
        r = imp(ctx, db, "households", path, "--year", str(YEAR))
        assert r.code == 0 and f"{len(names)} added" in r.out, (codec, r)
    # VNI-Windows (no iconv converter): the fixture's lines, spliced between ASCII fields
    vni = open(os.path.join(ENCODINGS, "names.vni.txt"), "rb").read().splitlines()
    data = b"household_code,head_name,village_code\n" + b"".join(
        b'ENC9%d,"%s",%s\n' % (i, line, v1.encode()) for i, line in enumerate(vni))
    path = ctx.path("ho.vni.csv")
    open(path, "wb").write(data)
    r = imp(ctx, db, "households", path, "--year", str(YEAR), "--encoding", "vni")
    assert r.code == 0, r
    got = [row[0] for row in query(db, "SELECT head_name FROM households WHERE code LIKE 'ENC9%' "
                                       "ORDER BY code")]
    assert got == names, got
    for name in got:
        assert name == __import__("unicodedata").normalize("NFC", name)


# ----------------------------------------------------------------------------- XLSX

XLSX_SCRIPT = """
wb = openpyxl.Workbook()
ws = wb.active; ws.title = 'Ghi chú'
ws['A1'] = 'Trang này không phải dữ liệu'
data = wb.create_sheet('Nhân khẩu')
data['A1'] = 'DANH SÁCH NHÂN KHẨU NĂM 2025 — THÔN MẪU'
data.merge_cells('A1:J1')
data['A2'] = 'Xã mẫu, thành phố Hải Phòng'
header = ['STT', 'Mã hộ', 'Họ và tên', 'Năm sinh', 'Giới tính', 'Số CCCD', 'Biết chữ',
          'Đang đi học', 'Kết quả học tập', 'Số chuyên đề đã học']
for i, h in enumerate(header):
    data.cell(row=4, column=i + 1, value=h)
rows = json.loads(sys.argv[2])
for r, row in enumerate(rows):
    for c, v in enumerate(row):
        data.cell(row=5 + r, column=c + 1, value=v)
wb.save(sys.argv[1])
"""


def test_xlsx_with_title_rows_merged_cells_and_several_sheets(ctx):
    db = fresh_db(ctx)
    hh = query(db, "SELECT code FROM households ORDER BY code LIMIT 1")[0][0]
    rows = [[1, hh, "Bùi Thị Thử Nghiệm", 1995, "nữ", "031195000111", "có", None, None, 4],
            [2, hh, "Bùi Văn Thử Nghiệm", 2012, "Nam", None, "x", "x", "Khá", 0]]
    path = ctx.path("nhan-khau.xlsx")
    openpyxl(XLSX_SCRIPT, path, json.dumps(rows))
    r = imp(ctx, db, "persons", path, "--year", str(YEAR))
    assert r.code == 1 and "no header row" in r.err, r  # the first sheet holds no table
    r, rep = report(ctx, db, "persons", path, "--year", str(YEAR), "--sheet", "Nhân khẩu")
    assert r.code == 0, r
    assert rep["format"] == "xlsx" and rep["sheet"] == "Nhân khẩu" and rep["header_row"] == 4
    assert (rep["rows"], rep["added"]) == (2, 2), rep
    got = query(db, "SELECT p.full_name, p.birth_year, p.gender, p.citizen_id, y.literate, "
                    "y.in_school, y.school_result, y.topics_completed FROM persons p JOIN "
                    "person_years y ON y.person_id = p.id AND y.year = ? WHERE p.full_name LIKE "
                    "'% Thử Nghiệm' ORDER BY p.full_name", YEAR)
    assert got == [("Bùi Thị Thử Nghiệm", 1995, "nu", "031195000111", 1, 0, None, 4),
                   ("Bùi Văn Thử Nghiệm", 2012, "nam", None, 1, 1, "kha", 0)], got
    r, rep = report(ctx, db, "persons", path, "--year", str(YEAR), "--sheet", "Nhân khẩu")
    assert r.code == 0 and rep["unchanged"] == 2 and rep["added"] == 0, rep


# ----------------------------------------------------------------------------- assessments

def test_assessments_change_the_results_and_reimport_changes_nothing(ctx):
    db = fresh_db(ctx)
    (v1,) = villages(db, 1)
    path = write(ctx.path("ho.csv"), "household_code,head_name,village_code\n"
                 f"TA000001,Vũ Văn Thành,{v1}\nTA000002,Vũ Thị Mai,{v1}\n")
    assert imp(ctx, db, "households", path, "--year", str(YEAR)).code == 0

    def results():
        r = ctx.run("results", "--year", str(YEAR), "--title", "gia-dinh-hoc-tap", "--unit", v1,
                    "--format", "json", "--db", db)
        assert r.code == 0, r
        return {e["code"]: e for e in json.loads(r.out)["entities"]}

    assert results()["TA000001"]["recognised"] is False
    form = write(ctx.path("danh-gia.csv"),
                 "Mã,Năm,Đăng ký,C1c,C3a,C3b,C4a,C4b\n"
                 f"TA000001,{YEAR},có,x,x,x,x,x\n"
                 f"TA000002,{YEAR},20/01/{YEAR},có,có,có,có,không\n")
    r, rep = report(ctx, db, "assessments", form, "--title", "gia-dinh-hoc-tap")
    assert r.code == 0 and rep["year"] == YEAR and rep["added"] == 2, (r, rep)
    now = results()
    assert now["TA000001"]["recognised"] is True, now["TA000001"]
    assert now["TA000002"]["registered"] is True
    assert query(db, "SELECT registered_on FROM records WHERE entity = 'TA000002'") == \
        [(f"{YEAR}-01-20",)]
    r, rep = report(ctx, db, "assessments", form, "--title", "gia-dinh-hoc-tap")
    assert r.code == 0 and rep["unchanged"] == 2, rep
    # one audit entry per changed record, with the record before and after
    assert query(db, "SELECT COUNT(*) FROM audit WHERE action = 'record.set' AND object_id LIKE "
                     "'%TA00000%'")[0][0] == 2


def test_learning_citizen_assessments_check_age_group_and_items(ctx):
    db = fresh_db(ctx)
    (v1,) = villages(db, 1)
    imp(ctx, db, "households", write(ctx.path("h.csv"), "household_code,head_name,village_code\n"
                                     f"TC1,Đinh Văn Hải,{v1}\n"), "--year", str(YEAR))
    r = imp(ctx, db, "persons", write(ctx.path("p.csv"),
                                      "household_code,full_name,birth_year,gender,citizen_id\n"
                                      "TC1,Đinh Văn Hải,1980,nam,031080999001\n"
                                      "TC1,Đinh Thị Nhỏ,2015,nữ,\n"), "--year", str(YEAR))
    assert r.code == 0, r
    items = ",".join(f"i{i}" for i in range(1, 11))
    form = write(ctx.path("cd.csv"),
                 f"citizen_id,household_code,full_name,birth_year,year,registered,group,{items}\n"
                 f"031080999001,,,,{YEAR},có,1,{','.join(['8'] * 10)}\n"
                 f",TC1,Đinh Thị Nhỏ,2015,{YEAR},có,1,{','.join(['8'] * 10)}\n"
                 f",TC1,Đinh Thị Không Có,1999,{YEAR},có,5,{','.join(['8'] * 9)},11\n")
    before = dump(db)
    r = imp(ctx, db, "assessments", form, "--title", "cong-dan-hoc-tap")
    assert r.code == 1 and dump(db) == before, r
    assert "under 15" in r.err and "has no Đinh Thị Không Có born in 1999" in r.err, r.err
    assert "'5' is not a form group" in r.err and "i10" in r.err, r.err
    good = write(ctx.path("cd2.csv"), "\n".join(open(form, encoding="utf-8").read().splitlines()[:2]) + "\n")
    r, rep = report(ctx, db, "assessments", good, "--title", "cong-dan-hoc-tap")
    assert r.code == 0 and rep["added"] == 1, (r, rep)
    pid = query(db, "SELECT id FROM persons WHERE citizen_id = '031080999001'")[0][0]
    assert query(db, "SELECT form_group, vals FROM records WHERE title = 'cong-dan-hoc-tap' AND "
                     "entity = ?", str(pid)) == \
        [(1, "i1=8;i10=8;i2=8;i3=8;i4=8;i5=8;i6=8;i7=8;i8=8;i9=8")]


def test_units_and_clans(ctx):
    db = fresh_db(ctx)
    (v1,) = villages(db, 1)
    commune = query(db, "SELECT parent_code FROM units WHERE code = ? AND valid_to IS NULL", v1)[0][0]
    r = imp(ctx, db, "units", write(ctx.path("u.csv"),
                                    "Mã đơn vị,Tên đơn vị,Loại đơn vị,Mã xã/phường quản lý\n"
                                    f"TU1,Trường Mầm non Hoa Sen,Trường học,{commune}\n"
                                    f"TU2,Hợp tác xã Nông nghiệp,hop-tac-xa,{commune}\n"),
            "--year", str(YEAR))
    assert r.code == 0 and "2 added" in r.out, r
    assert query(db, "SELECT kind FROM organisations WHERE code = 'TU1'") == [("truong-hoc",)]
    r = imp(ctx, db, "units", write(ctx.path("u2.csv"), "unit_code,name,kind,admin_code\n"
                                    f"TU3,X,Nhà hàng,{v1}\n"), "--year", str(YEAR))
    assert r.code == 1 and "not a kind of learning unit" in r.err and \
        "no commune, district or province has code" in r.err, r
    r = imp(ctx, db, "clans", write(ctx.path("c.csv"), "clan_code,name,village_code\n"
                                    f"TDH1,Dòng họ Nguyễn Đình,{v1}\n"), "--year", str(YEAR))
    assert r.code == 0 and "1 added" in r.out, r
    r = imp(ctx, db, "households", write(ctx.path("h.csv"),
                                         "household_code,head_name,village_code,clan_code\n"
                                         f"TDH-H1,Nguyễn Đình Khoa,{v1},TDH1\n"), "--year", str(YEAR))
    assert r.code == 0, r
    assert query(db, "SELECT c.code FROM household_places p JOIN households h ON h.id = "
                     "p.household_id JOIN clans c ON c.id = p.clan_id WHERE h.code = 'TDH-H1'") == \
        [("TDH1",)]


def test_usage_errors(ctx):
    db = fresh_db(ctx)
    r = ctx.run("import", "cats", "x.csv", "--db", db)
    assert r.code == 2 and "unknown kind 'cats'" in r.err, r
    r = ctx.run("import", "assessments", "x.csv", "--db", db)
    assert r.code == 2 and "--title" in r.err, r
    r = ctx.run("import", "households", "x.csv", "--year", "20x5", "--db", db)
    assert r.code == 2 and "--year" in r.err, r
    r = ctx.run("import", "households", "missing.csv", "--db", db)
    assert r.code == 1 and "cannot read" in r.err, r


def test_an_exported_list_imports_back_unchanged(ctx):
    """Export → edit in Excel → import: the export's headers are the import's."""
    db = fresh_db(ctx)
    commune = query(db, "SELECT parent_code FROM units WHERE code = ? AND valid_to IS NULL",
                    villages(db, 1)[0])[0][0]
    for kind, export_kind in (("households", "households"), ("persons", "persons"),
                              ("clans", "clans"), ("units", "organisations")):
        for fmt in ("xlsx", "csv"):
            path = ctx.path(f"{kind}.{fmt}")
            r = ctx.run("export", export_kind, "--year", str(YEAR), "--format", fmt, "-o", path,
                        "--db", db, *(() if kind in ("clans", "units") else ("--unit", commune)))
            assert r.code == 0, r
            r, rep = report(ctx, db, kind, path, "--year", str(YEAR))
            assert r.code == 0, (kind, fmt, r.err[-2000:])
            assert rep["rows"] > 0 and rep["unchanged"] == rep["rows"], (kind, fmt, rep)


def test_a_person_entered_without_citizen_id_gets_one_later(ctx):
    """The same person, first without an ID and then with one, is one person (changed), and a
    namesake with another ID in the same household is a second person."""
    db = fresh_db(ctx)
    (v1,) = villages(db, 1)
    imp(ctx, db, "households", write(ctx.path("h.csv"), "household_code,head_name,village_code\n"
                                     f"TP1,Mai Văn Lộc,{v1}\n"), "--year", str(YEAR))
    head = "household_code,full_name,birth_year,gender,citizen_id\n"
    r, rep = report(ctx, db, "persons", write(ctx.path("p1.csv"), head +
                                              "TP1,Mai Văn Lộc,1970,nam,\n"), "--year", str(YEAR))
    assert rep["added"] == 1, rep
    r, rep = report(ctx, db, "persons", write(ctx.path("p2.csv"), head +
                                              "TP1,MAI VAN LOC,1970,nam,031070555001\n"),
                    "--year", str(YEAR))
    assert (rep["added"], rep["changed"]) == (0, 1), rep
    assert query(db, "SELECT full_name, citizen_id FROM persons p JOIN households h ON h.id = "
                     "p.household_id WHERE h.code = 'TP1'") == [("MAI VAN LOC", "031070555001")]
    r, rep = report(ctx, db, "persons", write(ctx.path("p3.csv"), head +
                                              "TP1,Mai Văn Lộc,1970,nam,031070555002\n"),
                    "--year", str(YEAR))
    assert rep["added"] == 1, rep


def soffice_to_xlsx(ctx, src):
    """Opens src in LibreOffice Calc (headless) and saves it as .xlsx, as an officer does
    with "Save as"; returns the new file."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is missing: scripts/setup.sh installs libreoffice-calc-nogui"
    outdir = ctx.path("lo")
    os.makedirs(outdir)
    profile = "file://" + ctx.path("lo-profile")
    args = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx",
            "--outdir", outdir]
    if src.endswith(".csv"):
        args.append("--infilter=CSV:44,34,76,1,,0,false,true")  # UTF-8, every column as text
    proc = subprocess.run(args + [src], capture_output=True, timeout=180,
                          env={**os.environ, "HOME": outdir})
    out = os.path.join(outdir, os.path.splitext(os.path.basename(src))[0] + ".xlsx")
    assert os.path.exists(out), (proc.stdout, proc.stderr)
    return out


def test_libreoffice_saved_template_and_file_import(ctx):
    """A prefilled template saved again by LibreOffice imports with every row unchanged; a
    list typed in LibreOffice (from a CSV) with one bad row imports nothing, and fixed, imports."""
    db = fresh_db(ctx)
    (v1,) = villages(db, 1)
    commune = query(db, "SELECT parent_code FROM units WHERE code = ? AND valid_to IS NULL", v1)[0][0]
    template = ctx.path("mau-ho.xlsx")
    r = ctx.run("template", "households", "--year", str(YEAR), "--unit", commune, "-o", template,
                "--db", db)
    assert r.code == 0, r
    saved = soffice_to_xlsx(ctx, template)
    r, rep = report(ctx, db, "households", saved, "--year", str(YEAR))
    assert r.code == 0 and rep["rows"] > 0 and rep["unchanged"] == rep["rows"], (r.err, rep)
    assert rep["header_row"] == 2, rep  # the template's title row stayed above the header
    typed = write(ctx.path("ho-moi.csv"),
                  "Mã hộ,Họ tên chủ hộ,Mã thôn/tổ dân phố,Địa chỉ\n"
                  f"LO0001,Phạm Văn Khải,{v1},Xóm Đông\n"
                  f"LO0002,,{v1},\n")
    bad = soffice_to_xlsx(ctx, typed)
    before = dump(db)
    r = imp(ctx, db, "households", bad, "--year", str(YEAR))
    assert r.code == 1 and ":3: column B (head_name)" in r.err, r
    assert dump(db) == before
    fixed = soffice_to_xlsx(ctx, write(ctx.path("ho-moi-sua.csv"), open(typed, encoding="utf-8")
                                       .read().replace(",,", ",Lê Thị Hạnh,")))
    r, rep = report(ctx, db, "households", fixed, "--year", str(YEAR))
    assert r.code == 0 and rep["added"] == 2, (r.err, rep)
    assert query(db, "SELECT head_name FROM households WHERE code = 'LO0002'") == [("Lê Thị Hạnh",)]
