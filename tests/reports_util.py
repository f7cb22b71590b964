"""Reading the reports back in the tests (docs/reports.md): the workbook through openpyxl
(tests/read_report.py), its tables as dictionaries by column heading, and the PDF through
poppler (pdfinfo, pdftotext)."""
import json
import os
import re
import subprocess

from harness import ROOT, query

READER = os.path.join(ROOT, "tests", "read_report.py")

# The figure columns of the annual report, by heading, and the dashboard API's field of each.
FIGURE_COLUMNS = {
    "Số đối tượng": "eligible",
    "Đăng ký": "registered",
    "Tỷ lệ đăng ký": "registered_rate",
    "Đạt tiêu chí": "meets",
    "Tỷ lệ đạt tiêu chí": "meets_rate",
    "Được công nhận": "recognised",
    "Tỷ lệ được công nhận": "recognised_rate",
    "Mục tiêu": "target",
    "Chênh lệch (mục tiêu − tỷ lệ)": "gap",
}
RATE_FIELDS = {"registered_rate", "meets_rate", "recognised_rate", "target", "gap"}
CODE = re.compile(r"^\d+$")


def read_book(path):
    r = subprocess.run(["/usr/bin/python3", READER, path], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    return json.loads(r.stdout)


def sheet(book, name):
    return next(s for s in book["sheets"] if s["name"] == name)


def tables(sh, first="Mã"):
    """Every table of the sheet whose first heading is first: a list of (headings, rows),
    each row a dict by heading, with "_row" its 1-based sheet row. A table ends at an empty
    row; group rows (a name alone in the first cell) are kept as {"_group": name}."""
    rows, out = sh["rows"], []
    i = 0
    while i < len(rows):
        if rows[i] and rows[i][0] == first and len([v for v in rows[i] if v]) > 1:
            heads = [h for h in rows[i]]
            body = []
            i += 1
            while i < len(rows) and any(v is not None for v in rows[i]):
                row = rows[i]
                if row[0] is not None and all(v is None for v in row[1:len(heads)]):
                    body.append({"_group": row[0], "_row": i + 1})
                else:
                    d = {h: row[k] if k < len(row) else None for k, h in enumerate(heads) if h}
                    d["_row"] = i + 1
                    body.append(d)
                i += 1
            out.append((heads, body))
        i += 1
    return out


def pdf_info(path):
    out = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, v in
            (line.split(":", 1) for line in out.splitlines() if ":" in line)}


def pdf_text(path, page=None, layout=False):
    args = (["-f", str(page), "-l", str(page)] if page else []) + (["-layout"] if layout else [])
    return subprocess.run(["pdftotext", *args, path, "-"], capture_output=True, text=True,
                          check=True).stdout


def pct(v):
    """A fraction as the reports print it: 0.7245 -> "72,5%" (tenths, half away from zero)."""
    p = abs(v) * 1000
    tenths = int(p + 0.5 + 1e-9)
    s = f"{tenths // 10},{tenths % 10}%"
    return ("−" if v < 0 and tenths else "") + s


FAMILY = "gia-dinh-hoc-tap"


def decide(ctx, db, commune, number, date):
    """Accepts the submitted family records of a commune and records a decision recognising
    those that meet the criteria; returns its id."""
    entities = [e for (e,) in query(
        db, "SELECT r.entity FROM records r JOIN units u ON u.code = r.place AND u.valid_to IS "
            "NULL WHERE r.title = ? AND r.year = 2025 AND r.stage = 'submitted' AND "
            "u.parent_code = ? ORDER BY r.entity", FAMILY, commune)]
    assert entities
    for e in entities:
        assert ctx.run("record", "accept", e, "--db", db, "--title", FAMILY, "--year",
                       "2025").code == 0
    r = ctx.run("results", "--db", db, "--year", "2025", "--title", FAMILY, "--unit", commune,
                "--format", "json")
    meets = {x["code"] for x in json.loads(r.out)["entities"] if x["recognised"]}
    nots = [f"--not={e}=Chưa đạt tiêu chí" for e in entities if e not in meets]
    r = ctx.run("decision", "create", "--db", db, "--title", FAMILY, "--year", "2025", "--unit",
                commune, "--number", number, "--date", date, "--signer", "Trần Văn Bình",
                "--all-accepted", *nots)
    assert r.code == 0, r
    return r.out.split()[2]


def busiest_communes(db, n):
    return [c for (c,) in query(
        db, "SELECT u.parent_code FROM records r JOIN units u ON u.code = r.place AND "
            "u.valid_to IS NULL WHERE r.title = ? AND r.year = 2025 AND r.stage = 'submitted' "
            "GROUP BY u.parent_code ORDER BY COUNT(*) DESC, u.parent_code LIMIT ?", FAMILY, n)]
