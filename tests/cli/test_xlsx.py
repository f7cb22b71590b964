"""hoctap xlsx sheets|cat on the fixtures of tests/data/xlsx (written by make.py)."""
import json
import os
import shutil
import subprocess

from harness import DATA, ROOT

XLSX = os.path.join(DATA, "xlsx")


def fixture(name):
    return os.path.join(XLSX, name)


def json_rows(out):
    return [json.loads(line) for line in out.splitlines()]


def test_xlsx_sheets(ctx):
    r = ctx.run("xlsx", "sheets", fixture("danh_sach.xlsx"))
    assert r.code == 0 and r.out == "Danh sách\nSố liệu\nNgày\n", r
    r = ctx.run("xlsx", "sheets", fixture("edge.xlsx"), "--format", "json")
    assert r.code == 0 and json.loads(r.out) == ["Một", "Hai"], r


def test_xlsx_cat_csv_first_sheet(ctx):
    r = ctx.run("xlsx", "cat", fixture("danh_sach.xlsx"))
    assert r.code == 0, r
    assert r.out.startswith("\ufeff"), r  # the byte-order mark Excel needs
    lines = r.out[1:].splitlines()  # the CRLF line ends arrive as \n in text mode
    assert lines[0] == "DANH SÁCH HỘ GIA ĐÌNH HỌC TẬP NĂM 2025", lines
    assert lines[1] == "STT,Họ và tên,Xã/Phường,Ghi chú", lines
    assert lines[2] == "1,Nguyễn Văn Đức,Phường Hồng Bàng,Đạt", lines
    assert lines[3] == "2,Trần Thị Ngọc Ánh,,Chưa đạt", lines
    assert lines[4] == "3,Lê Hoàng Yến,,,,cột F", lines


def test_xlsx_cat_csv_numbers_stay_numbers_and_formulas_are_neutralised(ctx):
    r = ctx.run("xlsx", "cat", fixture("danh_sach.xlsx"), "--sheet", "Số liệu")
    assert r.code == 0, r
    lines = r.out[1:].splitlines()  # the CRLF line ends arrive as \n in text mode
    assert lines[0] == "số nguyên,42,-7,0", lines
    assert lines[4] == "mã,00123,'=không phải công thức", lines


def test_xlsx_cat_json_rows_types_and_merged(ctx):
    r = ctx.run("xlsx", "cat", fixture("danh_sach.xlsx"), "--format", "json")
    assert r.code == 0, r
    rows = json_rows(r.out)
    assert [x["row"] for x in rows] == [1, 3, 4, 5, 7], rows
    assert rows[0]["merged"] == ["A1:D1"], rows[0]
    assert rows[3]["cells"] == ["2", "Trần Thị Ngọc Ánh", "", "Chưa đạt"]
    assert rows[3]["types"] == ["number", "string", "empty", "string"]
    r = ctx.run("xlsx", "cat", fixture("danh_sach.xlsx"), "--sheet", "Ngày", "--format", "json")
    rows = json_rows(r.out)
    assert rows[0]["cells"] == ["2024-03-05", "2025-07-01 08:30:15", "1999-12-31", "05/03/2024"]
    assert rows[0]["types"] == ["date", "date", "date", "string"]
    r = ctx.run("xlsx", "cat", fixture("edge.xlsx"), "--format", "json")
    rows = json_rows(r.out)
    assert rows[1]["cells"] == ["2", "ab", "#DIV/0!", "TRUE", "FALSE"], rows
    assert rows[2]["cells"][:2] == ["1904-01-01", "2024-01-01 18:00:00"], rows


def test_xlsx_missing_sheet_lists_the_sheets(ctx):
    r = ctx.run("xlsx", "cat", fixture("danh_sach.xlsx"), "--sheet", "Tổng hợp")
    assert r.code == 1 and r.out == "", r
    assert "no sheet 'Tổng hợp'" in r.err and "'Danh sách', 'Số liệu', 'Ngày'" in r.err, r


def test_xlsx_other_formats_are_refused_with_a_clear_message(ctx):
    cases = {
        "old.xls": "this is an old Excel .xls file; open it and save it as .xlsx (Excel Workbook)",
        "bang.ods": "this is a LibreOffice .ods file; save it as .xlsx",
        "not_zip.xlsx": "this is not an .xlsx workbook: the file is not a ZIP archive",
    }
    for name, msg in cases.items():
        for sub in ("cat", "sheets"):
            r = ctx.run("xlsx", sub, fixture(name))
            assert r.code == 1 and msg in r.err and name in r.err and r.out == "", (name, r)
    r = ctx.run("xlsx", "cat", fixture("no-such.xlsx"))
    assert r.code == 1 and "cannot open" in r.err, r


def test_xlsx_broken_workbooks_name_the_part_or_cell(ctx):
    corpus = os.path.join(ROOT, "fuzz", "corpus", "xlsx")
    r = ctx.run("xlsx", "cat", os.path.join(corpus, "bad_not_a_number.xlsx"))
    assert r.code == 1 and "sheet 'S', cell B1: 'abc' is not a number" in r.err, r
    r = ctx.run("xlsx", "cat", os.path.join(corpus, "bad_bomb.xlsx"))
    assert r.code == 1 and "zip bomb" in r.err, r
    r = ctx.run("xlsx", "cat", os.path.join(corpus, "bad_bad_xml.xlsx"))
    assert r.code == 1 and "part xl/worksheets/sheet1.xml: bad XML at line 1" in r.err, r


def test_xlsx_usage(ctx):
    r = ctx.run("xlsx", "--help")
    assert r.code == 0 and "Usage: hoctap xlsx" in r.out, r
    r = ctx.run("xlsx")
    assert r.code == 2, r
    r = ctx.run("xlsx", "cat")
    assert r.code == 2 and "missing FILE" in r.err, r
    r = ctx.run("xlsx", "cat", fixture("edge.xlsx"), "--format", "xml")
    assert r.code == 2 and "--format" in r.err, r
    r = ctx.run("xlsx", "print", fixture("edge.xlsx"))
    assert r.code == 2, r


def test_xlsx_reads_what_libreoffice_writes(ctx):
    """A CSV converted to .xlsx by LibreOffice (soffice, installed by scripts/setup.sh)
    reads back the same."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is missing: scripts/setup.sh installs libreoffice-calc-nogui"
    csv = ctx.path("ds.csv")
    with open(csv, "w", encoding="utf-8") as f:
        f.write("STT,Họ và tên\n1,Nguyễn Văn Đức\n")
    outdir = os.path.dirname(csv)
    subprocess.run([soffice, "--headless", "--convert-to", "xlsx", "--outdir", outdir,
                    "--infilter=CSV:44,34,76", csv], capture_output=True, timeout=120)
    xlsx = csv[:-4] + ".xlsx"
    r = ctx.run("xlsx", "cat", xlsx, "--format", "json")
    assert r.code == 0, r
    assert [x["cells"] for x in json_rows(r.out)] == [["STT", "Họ và tên"], ["1", "Nguyễn Văn Đức"]]
