"""hoctap template: import templates, empty and prefilled with a commune's rows, read back
with a real XLSX reader (openpyxl) and compared with the demo database."""
import csv
import io
import json
import os
import subprocess

from harness import query

YEAR = 2025
DAY = "2025-12-31"

HOUSEHOLD_HEADERS = ["Mã hộ", "Họ tên chủ hộ", "Mã thôn/tổ dân phố", "Mã dòng họ", "Địa chỉ"]
PERSON_HEADERS = ["Mã hộ", "Họ và tên", "Năm sinh", "Giới tính", "Số CCCD", "Biết chữ",
                  "Đang đi học", "Kết quả học tập", "Rèn luyện", "Số chuyên đề đã học"]

# Debian's Python has openpyxl (scripts/setup.sh installs python3-openpyxl); the runner's
# python3 may be another one.
READ_XLSX = """
import json, sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1])
sheet = book.worksheets[0]
rows = [list(row) for row in sheet.iter_rows(values_only=True)]
print(json.dumps({
    "sheet": sheet.title,
    "freeze": sheet.freeze_panes,
    "rows": rows,
    "comments": [c.comment.text if c.comment else None for c in sheet[2]],
    "validations": [{"range": str(v.sqref), "type": v.type, "list": v.formula1,
                     "error_style": v.errorStyle, "blank": v.allow_blank}
                    for v in sheet.data_validations.dataValidation],
    "text_columns": sorted(k for k, d in sheet.column_dimensions.items()
                           if d.number_format == "@"),
}, default=str))
"""


def read_xlsx(path):
    r = subprocess.run(["/usr/bin/python3", "-c", READ_XLSX, path], capture_output=True,
                       text=True, check=True)
    return json.loads(r.stdout)


def read_csv(path):
    with open(path, "rb") as f:
        raw = f.read()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the byte-order mark for UTF-8"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def commune(db):
    """The commune of 31 December with the most households, and its villages."""
    code = query(db, "SELECT u.parent_code FROM household_places hp JOIN units u ON "
                     "u.code = hp.village_code AND u.valid_from <= ? AND (u.valid_to IS NULL OR "
                     "u.valid_to >= ?) WHERE hp.from_year = (SELECT MAX(x.from_year) FROM "
                     "household_places x WHERE x.household_id = hp.household_id AND "
                     "x.from_year <= ?) GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1",
                 DAY, DAY, YEAR)[0][0]
    villages = {r[0] for r in query(db, "SELECT code FROM units WHERE parent_code = ? AND "
                                        "valid_from <= ? AND (valid_to IS NULL OR "
                                        "valid_to >= ?)", code, DAY, DAY)}
    return code, villages


def households_in(db, villages):
    """code -> (head, village) of the households living in villages in YEAR."""
    rows = query(db, "SELECT h.code, h.head_name, hp.village_code FROM households h JOIN "
                     "household_places hp ON hp.household_id = h.id AND hp.from_year = "
                     "(SELECT MAX(x.from_year) FROM household_places x WHERE x.household_id = "
                     "h.id AND x.from_year <= ?) WHERE h.closed_year IS NULL OR "
                     "h.closed_year > ?", YEAR, YEAR)
    return {c: (head, v) for c, head, v in rows if v in villages}


def persons_in(db, villages):
    """person id -> (household, name, birth year, gender, citizen ID) of YEAR's members."""
    rows = query(db, "SELECT p.id, h.code, p.full_name, p.birth_year, p.gender, p.citizen_id, "
                     "hp.village_code FROM person_years y JOIN persons p ON p.id = y.person_id "
                     "JOIN households h ON h.id = p.household_id JOIN household_places hp ON "
                     "hp.household_id = h.id AND hp.from_year = (SELECT MAX(x.from_year) FROM "
                     "household_places x WHERE x.household_id = h.id AND x.from_year <= ?) "
                     "WHERE y.year = ?", YEAR, YEAR)
    return {r[0]: r[1:6] for r in rows if r[6] in villages}


def write(ctx, *args):
    r = ctx.run("template", *args, "--db", ctx.demo_db())
    assert r.code == 0, r
    return r


def assessments(ctx, title, unit, name):
    """The assessments template of title prefilled with unit, written to a fresh path."""
    path = ctx.path(name)
    write(ctx, "assessments", "--title", title, "--year", str(YEAR), "--unit", unit, "-o", path)
    return path


def values_of(vals):
    """A record's canonical values "K=V;K=V" as a dict."""
    return dict(kv.split("=") for kv in vals.split(";") if kv)


def test_households_xlsx_prefilled_with_headers_comments_and_the_registry(ctx):
    db = ctx.demo_db()
    code, villages = commune(db)
    path = ctx.path("households.xlsx")
    r = write(ctx, "households", "--year", str(YEAR), "--unit", code, "-o", path)
    want = households_in(db, villages)
    assert f"{len(want)} row(s) of {code}" in r.out, r
    book = read_xlsx(path)
    title, head, rows = book["rows"][0], book["rows"][1], book["rows"][2:]
    name = query(db, "SELECT name FROM units WHERE code = ? AND valid_from <= ? AND "
                     "(valid_to IS NULL OR valid_to >= ?)", code, DAY, DAY)[0][0]
    assert title[0] == f"Mẫu nhập hộ gia đình — {name} — năm {YEAR}", title
    assert head == HOUSEHOLD_HEADERS, head
    # every header explains its rule in a comment
    assert all(book["comments"]), book["comments"]
    assert book["comments"][0].startswith("Bắt buộc."), book["comments"][0]
    assert book["freeze"] == "A3", book["freeze"]  # title and header stay in view
    # codes and names are text columns: a typed ID keeps its leading zeros
    assert {"A", "B", "C", "D", "E"} <= set(book["text_columns"]), book["text_columns"]
    assert len(rows) == len(want) and len(want) > 10, (len(rows), len(want))
    for row in rows:
        head_name, village = want[row[0]]
        assert row[1] == head_name and row[2] == village, row


def test_persons_xlsx_has_drop_downs_and_citizen_ids(ctx):
    db = ctx.demo_db()
    code, villages = commune(db)
    path = ctx.path("persons.xlsx")
    write(ctx, "persons", "--year", str(YEAR), "--unit", code, "-o", path)
    book = read_xlsx(path)
    assert book["rows"][1] == PERSON_HEADERS, book["rows"][1]
    lists = {v["range"].split(":")[0]: v for v in book["validations"]}
    # gender (D), literate (F), in school (G), school result (H), conduct (I)
    assert set(lists) == {"D3", "F3", "G3", "H3", "I3"}, lists
    assert lists["F3"]["list"] == '"có,không"' and lists["F3"]["type"] == "list"
    assert lists["D3"]["list"] == '"nam,nữ"' and lists["H3"]["list"] == '"tốt,khá,đạt,chưa đạt"'
    assert all(v["blank"] for v in lists.values()) and lists["F3"]["range"] == "F3:F1048576"
    want = persons_in(db, villages)
    rows = book["rows"][2:]
    assert len(rows) == len(want), (len(rows), len(want))
    by_cid = {p[4]: p for p in want.values() if p[4]}
    assert by_cid, "the commune has persons with a citizen ID"
    checked = 0
    for row in rows:
        if not row[4]:
            continue
        household, name, born, gender, cid = by_cid[row[4]]
        assert len(row[4]) == 12 and isinstance(row[4], str), row  # text, leading zeros kept
        assert row[:4] == [household, name, born, "nữ" if gender == "nu" else "nam"], row
        assert row[5] in ("có", "không") and row[6] in ("có", "không"), row
        checked += 1
    assert checked == len(by_cid)


def test_assessment_columns_are_the_entered_items_of_the_title(ctx):
    db = ctx.demo_db()
    code, villages = commune(db)
    book = read_xlsx(assessments(ctx, "gia-dinh-hoc-tap", code, "gia-dinh.xlsx"))
    head, rows = book["rows"][1], book["rows"][2:]
    assert head[:3] == ["Mã", "Năm", "Đăng ký"], head
    assert [h.split(".")[0] for h in head[3:]] == ["C1c", "C3a", "C3b", "C4a", "C4b"], head
    assert "Gia đình học tập" in book["rows"][0][0], book["rows"][0]
    assert all(book["comments"]), book["comments"]
    lists = {v["range"].split(":")[0]: v for v in book["validations"]}
    # the registration offers có/không but also takes a date: a warning, not a refusal
    assert lists["C3"]["error_style"] == "warning", lists["C3"]
    for col in "DEFGH":
        assert lists[f"{col}3"]["list"] == '"có,không"', lists
    want = households_in(db, villages)
    assert {row[0] for row in rows} == set(want) and len(rows) == len(want)
    records = {e: (reg, vals) for e, reg, vals in query(
        db, "SELECT entity, registered_on, vals FROM records WHERE title = 'gia-dinh-hoc-tap' "
            "AND year = ?", YEAR)}
    checked = 0
    for row in rows:
        assert row[1] == YEAR, row
        if row[0] not in records:
            assert row[2:] == [None] * 6, row
            continue
        reg, vals = records[row[0]]
        if reg:
            y, m, d = reg.split("-")
            assert row[2] == f"{d}/{m}/{y}", (row, reg)
        values = values_of(vals)
        for key, cell in zip(["C1c", "C3a", "C3b", "C4a", "C4b"], row[3:]):
            if key in values:
                assert cell == ("có" if values[key] == "1" else "không"), (row, vals)
            else:
                assert cell is None, (row, vals)
        checked += 1
    assert checked > 10, checked


def test_person_title_csv_has_one_column_per_item_and_the_records(ctx):
    db = ctx.demo_db()
    code, villages = commune(db)
    rows = read_csv(assessments(ctx, "cong-dan-hoc-tap", code, "cong-dan.csv"))
    head, body = rows[0], rows[1:]
    assert head[:7] == ["Số CCCD", "Mã hộ", "Họ và tên", "Năm sinh", "Năm", "Đăng ký",
                        "Nhóm phiếu"], head
    assert [h.split(".")[0] for h in head[7:]] == [f"i{n}" for n in range(1, 11)], head
    # only those the title evaluates: aged 15 or more in the year
    persons = {pid: p for pid, p in persons_in(db, villages).items() if YEAR - p[2] >= 15}
    assert len(body) == len(persons) and persons
    records = {int(e): (group, vals) for e, group, vals in query(
        db, "SELECT entity, form_group, vals FROM records WHERE title = 'cong-dan-hoc-tap' AND "
            "year = ?", YEAR)}
    by_cid = {p[4]: pid for pid, p in persons.items() if p[4]}
    checked = 0
    for row in body:
        if not row[0]:
            continue
        pid = by_cid[row[0]]
        assert row[1:4] == [persons[pid][0], persons[pid][1], str(persons[pid][2])], row
        if pid not in records:
            continue
        group, vals = records[pid]
        assert row[6] == (str(group) if group else ""), row
        values = values_of(vals)
        assert row[7:] == [values.get(f"i{n}", "") for n in range(1, 11)], (row, vals)
        checked += 1
    assert checked > 10, checked


def test_percentages_and_levels_of_a_commune_title(ctx):
    db = ctx.demo_db()
    code, _ = commune(db)
    rows = read_csv(assessments(ctx, "cong-dong-hoc-tap-xa", code, "xa.csv"))
    assert len(rows) == 2 and rows[1][:2] == [code, str(YEAR)], rows
    vals = query(db, "SELECT vals FROM records WHERE title = 'cong-dong-hoc-tap-xa' AND "
                     "year = ? AND entity = ?", YEAR, code)
    assert vals, "the demo commune has a record of its own title"
    values = values_of(vals[0][0])
    kinds = set()
    for h, cell in zip(rows[0][3:], rows[1][3:]):
        value = values.get(h.split(".")[0])
        if value is None:
            assert cell == "", (h, cell)
        elif cell.endswith("%"):  # a percentage as people write it: 59%
            assert abs(float(cell[:-1]) / 100 - float(value)) < 1e-9, (h, cell, value)
            kinds.add("percent")
        elif cell in ("có", "không"):
            assert cell == ("có" if value == "1" else "không"), (h, cell, value)
            kinds.add("yesno")
        else:  # a level
            assert float(cell) == float(value), (h, cell, value)
            kinds.add("level")
    assert kinds == {"percent", "yesno", "level"}, kinds


def test_empty_templates_and_units(ctx):
    db = ctx.demo_db()
    code, villages = commune(db)
    path = ctx.path("households.csv")
    r = write(ctx, "households", "-o", path)
    assert "0 row(s)" in r.out, r
    assert read_csv(path) == [HOUSEHOLD_HEADERS]
    r = ctx.run("template", "clans", "--format", "csv", "-o", "-", "--db", db)
    assert r.code == 0 and r.out.startswith("\ufeffMã dòng họ,Tên dòng họ,"), r
    path = ctx.path("units.csv")
    write(ctx, "units", "--year", str(YEAR), "--unit", code, "-o", path)
    rows = read_csv(path)
    assert rows[0] == ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Mã xã/phường quản lý"]
    managed = query(db, "SELECT o.code FROM organisations o JOIN organisation_places p ON "
                        "p.organisation_id = o.id AND p.valid_from = (SELECT MAX(x.valid_from) "
                        "FROM organisation_places x WHERE x.organisation_id = o.id AND "
                        "x.valid_from <= ?) WHERE p.admin_code IN (%s)" %
                    ",".join("?" * (len(villages) + 1)), DAY, code, *villages)
    assert sorted(r[0] for r in rows[1:]) == sorted(m[0] for m in managed) and managed
    assert {r[2] for r in rows[1:]} <= {"Cơ quan", "Trường học", "Doanh nghiệp", "Hợp tác xã",
                                        "Đơn vị sự nghiệp"}, rows[1:]


def test_bad_arguments_name_the_option_and_exit_2(ctx):
    db = ctx.demo_db()
    out = ctx.path("bad.xlsx")
    cases = [
        (["nhan-khau", "-o", out], "unknown kind 'nhan-khau'"),
        (["assessments", "-o", out], "--title: assessments need a title"),
        (["assessments", "--title", "huyen-hoc-tap", "--year", "2025", "-o", out],
         "--title: title huyen-hoc-tap has no version in force in 2025"),
        (["assessments", "--title", "khong-co", "-o", out], "--title: unknown title 'khong-co'"),
        (["households", "--unit", "99999", "-o", out], "--unit: unknown unit '99999'"),
        (["households", "--format", "ods", "-o", out], "--format must be xlsx or csv"),
        (["households", "--year", "20x5", "-o", out], "--year must be a year"),
        (["households"], "-o FILE is needed"),
        (["households", "-o", ctx.path("mau.txt")], "--format xlsx or csv is needed"),
        (["households", "--title", "gia-dinh-hoc-tap", "-o", out], "--title goes with assessments"),
        ([], "KIND is needed"),
    ]
    for args, message in cases:
        r = ctx.run("template", *args, "--db", db)
        assert r.code == 2 and message in r.err, (args, r)
    assert not os.path.exists(out) and not os.path.exists(out + ".part")
    r = ctx.run("template", "--help")
    assert r.code == 0 and "households, persons, clans, units" in r.out, r


def test_prefilled_templates_import_back_unchanged(ctx):
    """What a template holds is what the importer reads: every kind, both formats, imports
    back (dry run) without a problem and with every row unchanged."""
    db = ctx.demo_db()
    code, _ = commune(db)
    kinds = [("households", []), ("persons", []), ("clans", []), ("units", []),
             ("assessments", ["--title", "gia-dinh-hoc-tap"]),
             ("assessments", ["--title", "cong-dan-hoc-tap"]),
             ("assessments", ["--title", "don-vi-hoc-tap"])]
    for kind, extra in kinds:
        for fmt in ("xlsx", "csv"):
            path = ctx.path(f"{kind}.{fmt}")
            write(ctx, kind, *extra, "--year", str(YEAR), "--unit", code, "-o", path)
            r = ctx.run("import", kind, path, *extra, "--year", str(YEAR), "--dry-run",
                        "--format", "json", "--db", db)
            assert r.code == 0, (kind, extra, fmt, r)
            report = json.loads(r.out)
            assert report["problems_total"] == 0, (kind, report)
            assert report["unchanged"] == report["rows"] > 0, (kind, extra, fmt, report)
            assert report["written"] is False, (kind, report)
