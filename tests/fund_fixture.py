"""A study-promotion fund's ledger for the tests of its documents (tests/cli/test_fund_docs.py,
tests/api/test_fund_docs_api.py), posted through the real `hoctap fund` commands on a private
copy of the demo database, and readers for what the documents hold: poppler for PDFs, Debian's
openpyxl for workbooks, SQL on the ledger's lines for balances (an independent sum, not the
product's)."""
import json
import re
import subprocess
import unicodedata

from harness import copy_demo, query, unique

# Every fund command runs on this day, so the ledger's 2025 dates are in the past.
TODAY = "2026-06-30"
ENV = {"HOCTAP_TODAY": TODAY}
PY = "/usr/bin/python3"  # Debian's python, which has openpyxl (python3-openpyxl)


def fund(ctx, db, *args, expect=0):
    r = ctx.run("fund", *args, "--db", db, env=ENV)
    assert r.code == expect, r
    return r


def entry_id(r):
    return int(re.search(r"Entry (\d+):", r.out).group(1))


class Ledger:
    """The worked ledger of docs/funds.md's examples, in a fresh database copy:
      code (a commune's fund)   2024-12-20 opening 2.000.000
      2025-09-06 receipt 1.500.000 Trần Thị Bình, Tháng Khuyến học 2025 (cash)
      2025-09-10 receipt 2.005.000 Công ty TNHH Hải Âu, Tháng Khuyến học 2025 (bank)
      2025-09-12 receipt 300.000 an anonymous donor, Tháng Khuyến học 2025
      2025-09-13 receipt 200.000 without a donor record
      2025-09-15 receipt 700.000 Công ty TNHH Hải Âu -> reversed 2025-09-16 "Ghi trùng"
      2025-10-01 scholarship 1.000.000 Nguyễn Văn An (born 2012, grade 8)
      2025-10-01 award 800.000 Lê Thị Hoa (born 2004)
      2025-11-01 transfer 500.000 to city (the city's fund)
      city: 2025-11-15 receipt 3.000.000; 2025-11-20 transfer 600.000 to code
    """

    def __init__(self, ctx, name="fund-docs.db"):
        self.ctx = ctx
        self.db = copy_demo(ctx, name)
        self.unit = query(self.db, "SELECT code FROM units WHERE kind IN ('xa', 'phuong') AND "
                                   "valid_to IS NULL ORDER BY code LIMIT 1")[0][0]
        self.code = unique("KH").upper()
        self.city = unique("KHTP").upper()
        f = lambda *a, **k: fund(ctx, self.db, *a, **k)  # noqa: E731
        f("create", self.code, "--name", "Quỹ Khuyến học phường thử nghiệm", "--owner-kind",
          "unit", "--owner", self.unit)
        f("create", self.city, "--name", "Quỹ Khuyến học thành phố", "--owner-kind", "unit",
          "--owner", "31")
        self.person = int(f("donor", "add", "--name", "Trần Thị Bình", "--kind", "person",
                            "--address", "Số 5 Lạch Tray", "--phone", "0912345678").out)
        self.enterprise = int(f("donor", "add", "--name", "Công ty TNHH Hải Âu", "--kind",
                                "enterprise", "--phone", "02253888999").out)
        self.anonymous = int(f("donor", "add", "--kind", "anonymous").out)
        self.minor = int(f("beneficiary", "add", "--name", "Nguyễn Văn An", "--unit", self.unit,
                           "--birth-year", "2012", "--school", "THCS Hồng Bàng", "--grade",
                           "8").out)
        self.adult = int(f("beneficiary", "add", "--name", "Lê Thị Hoa", "--unit", self.unit,
                           "--birth-year", "2004", "--school", "Đại học Hải Phòng").out)
        f("opening", self.code, "--amount", "2000000", "--date", "2024-12-20")
        month = "Tháng Khuyến học 2025"
        self.r1 = entry_id(self.receipt("1.500.000", "2025-09-06", self.person, month,
                                        "--purpose", "Học bổng cho học sinh nghèo vượt khó"))
        self.r2 = entry_id(self.receipt("2005000", "2025-09-10", self.enterprise, month,
                                        "--method", "bank"))
        self.r3 = entry_id(self.receipt("300000", "2025-09-12", self.anonymous, month))
        self.r4 = entry_id(self.receipt("200000", "2025-09-13", None, month))
        self.wrong = entry_id(self.receipt("700000", "2025-09-15", self.enterprise, month))
        f("reverse", str(self.wrong), "--date", "2025-09-16", "--reason", "Ghi trùng")
        self.p1 = entry_id(f("pay", self.code, "--amount", "1000000", "--date", "2025-10-01",
                             "--beneficiary", str(self.minor), "--category", "scholarship",
                             "--reason", "Học bổng năm học 2025-2026"))
        f("pay", self.code, "--amount", "800000", "--date", "2025-10-01", "--beneficiary",
          str(self.adult), "--category", "award", "--reason", "Giải nhất học sinh giỏi")
        f("transfer", self.code, "--to", self.city, "--amount", "500000", "--date", "2025-11-01")
        f("receipt", self.city, "--amount", "3000000", "--date", "2025-11-15")
        f("transfer", self.city, "--to", self.code, "--amount", "600000", "--date", "2025-11-20")

    def receipt(self, amount, date, donor, campaign, *more):
        args = ["receipt", self.code, "--amount", amount, "--date", date, "--campaign", campaign]
        if donor:
            args += ["--donor", str(donor)]
        return fund(self.ctx, self.db, *args, *more)

    def balance(self, code=None, through=None):
        """Cash + bank of a fund through a day, summed from the ledger's lines by SQL."""
        sql = ("SELECT COALESCE(SUM(l.debit - l.credit), 0) FROM fund_lines l JOIN fund_entries e "
               "ON e.prov = l.prov AND e.id = l.entry_id JOIN funds f ON f.prov = l.prov AND "
               "f.id = l.fund_id WHERE f.code = ? AND l.account IN ('cash', 'bank')")
        params = [code or self.code]
        if through:
            sql += " AND e.entry_date <= ?"
            params.append(through)
        return query(self.db, sql, *params)[0][0]


def pdf_info(path):
    out = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, v in
            (line.split(":", 1) for line in out.splitlines() if ":" in line)}


def pdf_text(path, page=None, layout=True):
    args = (["-f", str(page), "-l", str(page)] if page else []) + (["-layout"] if layout else [])
    text = subprocess.run(["pdftotext", *args, path, "-"], capture_output=True, text=True,
                          check=True).stdout
    assert unicodedata.normalize("NFC", text) == text, "the PDF's text is not NFC"
    return text


def pdf_pages(path):
    return int(pdf_info(path)["Pages"])


def page_size(path):
    w, h = re.match(r"([\d.]+) x ([\d.]+) pts", pdf_info(path)["Page size"]).groups()
    return float(w), float(h)


def flat(text):
    """Text with its runs of spaces as one space, lines kept."""
    return "\n".join(re.sub(r"\s+", " ", line).strip() for line in text.splitlines())


def reddish_pixels(path, page=1, dpi=30):
    """How many pixels of a page (rendered by pdftoppm) are red or pink, below its top fifth
    (where a title in red would be)."""
    raw = subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), path],
                         capture_output=True, check=True).stdout
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", raw)
    w, h = int(m.group(1)), int(m.group(2))
    data = raw[m.end():]
    n = 0
    for i in range(w * (h // 5) * 3, len(data), 3):
        r, g, b = data[i:i + 3]
        n += r > 180 and r - g > 35 and r - b > 35
    return n


READ_XLSX = r"""
import json, sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1])
out = {}
for ws in book.worksheets:
    out[ws.title] = [[{"v": c.value, "f": c.number_format} for c in row]
                     for row in ws.iter_rows()]
print(json.dumps(out, default=str))
"""


def read_xlsx(path):
    """{sheet: [[{"v": value, "f": number format}]]} read by openpyxl."""
    r = subprocess.run([PY, "-c", READ_XLSX, path], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def row_of(sheet, label):
    """The values of the first row whose first cell is label (spaces around it ignored)."""
    for row in sheet:
        if row and isinstance(row[0]["v"], str) and row[0]["v"].strip() == label:
            return [c["v"] for c in row]
    raise AssertionError(f"no row {label!r}")
