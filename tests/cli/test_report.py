"""hoctap report (docs/reports.md): the annual report, a commune's dossier and a decision's list
as .xlsx (read back with openpyxl: values, number formats, Vietnamese text in NFC, the native
charts) and as .pdf (pdfinfo, pdftotext: headings, numbers, pages), checked against hoctap
evaluate, results and decision show; and every refusal, naming its parameter."""
import json
import os
import shutil
import unicodedata

from harness import query
from reports_util import (CODE, busiest_communes, decide, pct, pdf_info, pdf_text, read_book,
                          sheet, tables)

FAMILY = "gia-dinh-hoc-tap"
COMMUNE_TITLE = "cong-dong-hoc-tap-xa"


def report(ctx, db, *args, code=0):
    r = ctx.run("report", *args, "--db", db)
    assert r.code == code, r
    return r


def evaluate(ctx, db, *args):
    r = ctx.run("evaluate", "--db", db, "--format", "json", *args)
    assert r.code == 0, r
    return json.loads(r.out)


def nfc(text):
    return unicodedata.normalize("NFC", text) == text


def all_text(book):
    return "\n".join(str(v) for s in book["sheets"] for row in s["rows"] for v in row
                     if isinstance(v, str))


def test_annual_workbook_has_the_evaluation_counts_number_formats_and_charts(ctx):
    db = ctx.demo_db()
    out = ctx.path("bao-cao-2025.xlsx")
    r = report(ctx, db, "annual", "--year", "2025", "--targets", "qd-387", "-o", out)
    assert r.out.startswith(f"Report annual written to {out} (") and "sheet(s)" in r.out, r
    book = read_book(out)
    names = [s["name"] for s in book["sheets"]]
    assert names[0] == "Tổng hợp" and names[-2:] == ["Quy mô", "Mục tiêu"], names
    assert "Gia đình học tập" in names and "Cộng đồng học tập cấp xã" in names, names
    text = all_text(book)
    assert nfc(text)
    summary = sheet(book, "Tổng hợp")
    assert summary["rows"][0][0] == "BÁO CÁO KẾT QUẢ XÂY DỰNG XÃ HỘI HỌC TẬP NĂM 2025"
    assert summary["rows"][1][0] == "Thành phố Hải Phòng"
    # the figures of every unit are the evaluation's counts (one engine)
    ev = evaluate(ctx, db, "--year", "2025")
    want = {(u["code"], u["title"]): u for u in ev["units"]}
    title_keys = {"Gia đình học tập": FAMILY, "Dòng họ học tập": "dong-ho-hoc-tap",
                  "Công dân học tập": "cong-dan-hoc-tap"}
    checked = 0
    for name, key in title_keys.items():
        sh = sheet(book, name)
        assert sh["freeze"] == "C" + str(tables(sh)[0][1][0]["_row"]), sh["freeze"]
        (heads, rows), = tables(sh)  # 2025: the city and its communes, no districts
        assert rows[0]["Mã"] == "31" and rows[0]["Đơn vị"] == "Thành phố Hải Phòng"
        assert len(rows) == sum(1 for u in ev["units"] if u["title"] == key)  # city + communes
        for row in rows:
            e = want[(row["Mã"], key)]
            assert (row["Số đối tượng"], row["Đăng ký"], row["Đạt tiêu chí"]) == \
                (e["eligible"], e["registered"], e["recognised"]), (name, row, e)
            if e["eligible"]:
                assert abs(row["Tỷ lệ đạt tiêu chí"] - e["recognised"] / e["eligible"]) < 1e-6
                # a rate is a number with a percentage format
                cell = f"G{row['_row']}"
                assert sh["formats"][cell] == "0.0%", (cell, sh["formats"].get(cell))
            checked += 1
    assert checked > 300, checked
    # the summary names the city's family rate as the table shows it
    fam = want[("31", FAMILY)]
    rate = pct(fam["recognised"] / fam["eligible"]).replace(",0%", "%")
    assert f"Năm 2025, tỷ lệ gia đình học tập của Thành phố Hải Phòng (đạt tiêu chí) là {rate}" \
        in text, text[:2000]
    assert "QĐ 387/QĐ-TTg" in text
    # native charts: columns for the rates and a line for the target, on the same axes
    charts = book["charts"]
    assert "xl/charts/chart1.xml" in charts, list(charts)
    assert len(charts) >= 1 + len(title_keys)
    for xml in charts.values():
        assert "<c:barChart>" in xml and "<c:lineChart>" in xml, xml[:400]
        bar, line = xml.split("<c:lineChart>")
        assert bar.count("<c:ser>") == 1 and line.count("<c:ser>") == 1
        axes = [a for a in bar.split('<c:axId val="')[1:3]]
        assert all(f'<c:axId val="{a.split(chr(34))[0]}"/>' in line for a in axes)
    assert any("<c:v>Mục tiêu</c:v>" in x for x in charts.values())
    # the registry sizes and the targets as their files state them
    sizes = tables(sheet(book, "Quy mô"))[0][1]
    assert sizes[0]["Hộ gia đình"] == fam["eligible"]
    targets = tables(sheet(book, "Mục tiêu"), first="Danh hiệu, chỉ tiêu")[0][1]
    row = next(t for t in targets if t["Danh hiệu, chỉ tiêu"] == "Gia đình học tập" and
               t["Mốc"] == 2025)
    assert row["Bộ mục tiêu"] == "qd-387" and row["Mục tiêu"] == 0.7, row


def test_annual_before_the_reform_lists_districts_with_their_communes(ctx):
    db = ctx.demo_db()
    out = ctx.path("bao-cao-2023.xlsx")
    report(ctx, db, "annual", "--year", "2023", "--unit", "31", "-o", out)
    book = read_book(out)
    ev = evaluate(ctx, db, "--year", "2023", "--unit", "31")
    want = {(u["code"], u["title"]): u for u in ev["units"]}
    (_, districts), (_, communes) = tables(sheet(book, "Gia đình học tập"))
    assert districts[0]["Mã"] == "31"
    district_codes = [r["Mã"] for r in districts[1:]]
    assert len(district_codes) == 15, district_codes
    names = {r["Mã"]: r["Đơn vị"] for r in districts}
    groups = [r["_group"] for r in communes if "_group" in r]
    assert groups == [names[c] for c in district_codes], groups  # every district, in order
    rows = [r for r in communes if "_group" not in r]
    assert len(rows) > 100 and all(CODE.match(r["Mã"]) for r in rows)
    for r in districts + rows:
        e = want[(r["Mã"], FAMILY)]
        assert (r["Số đối tượng"], r["Đăng ký"], r["Đạt tiêu chí"]) == \
            (e["eligible"], e["registered"], e["recognised"]), (r, e)
    # each commune's "Thuộc" is the district its group heading names
    group = None
    for r in communes:
        if "_group" in r:
            group = r["_group"]
        else:
            assert r["Thuộc"] == group, r
    # 2023 titles only: the MOET titles start in 2024
    assert "Cộng đồng học tập cấp xã" not in [s["name"] for s in book["sheets"]]


def test_annual_pdf_pages_headings_and_numbers(ctx):
    db = ctx.demo_db()
    out = ctx.path("bao-cao-2023.pdf")
    r = report(ctx, db, "annual", "--year", "2023", "--unit", "31", "--targets", "qd-387",
               "-o", out)
    info = pdf_info(out)
    pages = int(info["Pages"])
    assert f"({pages} page(s)," in r.out, r.out
    assert pages > 10, info
    assert info["Page size"].startswith("841.89 x 595.28"), info  # A4 landscape
    assert info["Title"] == "Báo cáo xây dựng xã hội học tập năm 2023 - Thành phố Hải Phòng"
    assert info["Creator"] == "hoctap"
    text = pdf_text(out)
    assert nfc(text)
    assert "BÁO CÁO KẾT QUẢ XÂY DỰNG XÃ HỘI HỌC TẬP NĂM 2023" in text
    assert "Chi tiết theo đơn vị cấp dưới" in text and "Huyện An Dương" in text
    for p in (1, pages // 2, pages):
        page = pdf_text(out, p)
        assert f"Trang {p}/{pages}" in page, (p, page[-200:])
        assert page.startswith("Thành phố Hải Phòng · năm 2023 · mục tiêu: QĐ 387/QĐ-TTg"), page[:200]
    # the city's family rate and its district's counts, as the evaluation has them
    ev = evaluate(ctx, db, "--year", "2023", "--unit", "31")
    fam = next(u for u in ev["units"] if u["code"] == "31" and u["title"] == FAMILY)
    assert pct(fam["recognised"] / fam["eligible"]) in text
    d = next(u for u in ev["units"] if u["code"] == "310" and u["title"] == FAMILY)
    line = next(x for x in pdf_text(out, layout=True).splitlines()
                if x.strip().startswith("310 ") and "Huyện An Dương" in x)
    nums = line.split("Huyện An Dương")[1].split()
    assert nums[:2] == [f"{d['eligible']:,}".replace(",", "."),
                        f"{d['registered']:,}".replace(",", ".")], line


def commune_with_evidence(db, year=2025):
    return query(db, "SELECT entity, COUNT(*) FROM record_evidence WHERE title = ? AND year = ? "
                     "GROUP BY entity ORDER BY COUNT(*) DESC, entity LIMIT 1",
                 COMMUNE_TITLE, year)[0]


def test_commune_dossier_lists_every_indicator_with_value_level_and_evidence(ctx):
    db = ctx.demo_db()
    commune, nev = commune_with_evidence(db)
    out = ctx.path("ho-so.xlsx")
    report(ctx, db, "commune-dossier", "--year", "2025", "--unit", commune, "-o", out)
    book = read_book(out)
    assert [s["name"] for s in book["sheets"]] == ["Hồ sơ", "Minh chứng", "Tỷ lệ của xã"]
    sh = sheet(book, "Hồ sơ")
    assert sh["rows"][0][0] == "HỒ SƠ TỰ ĐÁNH GIÁ CỘNG ĐỒNG HỌC TẬP CẤP XÃ NĂM 2025"
    assert nfc(all_text(book))
    (_, items), = tables(sh)
    groups = [r["_group"] for r in items if "_group" in r]
    assert [g.split(".")[0] for g in groups] == ["TC1", "TC2", "TC3", "TC4", "TC5"], groups
    rows = {r["Mã"]: r for r in items if "_group" not in r}
    r = ctx.run("results", "--db", db, "--year", "2025", "--title", COMMUNE_TITLE, "--unit",
                commune, "--format", "json")
    res = json.loads(r.out)["entities"][0]
    assert list(rows) == list(res["items"]), (list(rows), res["items"])
    for key, level in res["items"].items():
        assert rows[key]["Mức đạt"] == (f"Mức {int(level)}" if level else "Chưa đạt mức 1"), key
    assert rows["X1"]["Giá trị"] in ("Có", "Không") and rows["X14"]["Giá trị"].endswith("%")
    head = {row[0]: row[1] for row in sh["rows"][4:12] if row and row[0]}
    assert head["Kết quả"] == (f"Đạt mức độ {res['level']}" if res["level"]
                               else "Chưa đạt mức độ 1"), head
    stage = query(db, "SELECT stage FROM records WHERE title = ? AND year = 2025 AND entity = ?",
                  COMMUNE_TITLE, commune)[0][0]
    assert head["Trạng thái hồ sơ"] == {"submitted": "Đã nộp, chờ xét",
                                        "open": "Đang nhập"}[stage], head
    # every piece of evidence, in the summary at its indicator and one row each
    notes = query(db, "SELECT item, note FROM record_evidence WHERE title = ? AND year = 2025 AND "
                      "entity = ?", COMMUNE_TITLE, commune)
    for item, note in notes:
        assert note in rows[item]["Minh chứng"], (item, note)
    (_, ev), = tables(sheet(book, "Minh chứng"), first="STT")
    assert len(ev) == nev and sorted((e["Chỉ tiêu"], e["Nội dung minh chứng"]) for e in ev) == \
        sorted(notes)
    # the commune's programme rates: the evaluation's counts
    (_, rates), = tables(sheet(book, "Tỷ lệ của xã"), first="Danh hiệu")
    fam = next(u for u in evaluate(ctx, db, "--year", "2025", "--unit", commune)["units"]
               if u["code"] == commune and u["title"] == FAMILY)
    row = next(x for x in rates if x["Danh hiệu"] == "Gia đình học tập")
    assert (row["Số đối tượng"], row["Đạt tiêu chí"]) == (fam["eligible"], fam["recognised"])
    # the PDF: the same rows, paginated
    pdf = ctx.path("ho-so.pdf")
    report(ctx, db, "commune-dossier", "--year", "2025", "--unit", commune, "-o", pdf)
    text = pdf_text(pdf)
    pages = int(pdf_info(pdf)["Pages"])
    assert "HỒ SƠ TỰ ĐÁNH GIÁ CỘNG ĐỒNG HỌC TẬP CẤP XÃ NĂM 2025" in text and nfc(text)
    assert f"Trang {pages}/{pages}" in text
    for key in rows:
        assert f"\n{key}\n" in text or f"{key} " in text, key
    assert notes[0][1].split()[0] in text


def test_title_list_of_a_decision_and_of_a_unit_and_year(ctx):
    db = ctx.path("report-decisions.db")
    shutil.copy(ctx.demo_db(), db)
    c1, c2 = busiest_communes(db, 2)
    d1 = decide(ctx, db, c1, "15/QĐ-UBND", "2026-01-20")
    d2 = decide(ctx, db, c2, "3/QĐ-UBND", "2026-01-12")
    shown = json.loads(ctx.run("decision", "show", d1, "--db", db, "--format", "json").out)
    certs = shown["certificates"]
    out = ctx.path("danh-sach.xlsx")
    r = report(ctx, db, "title-list", "--decision", d1, "-o", out)
    assert f", {len(certs)} row(s))" in r.out, r.out
    book = read_book(out)
    sh = sheet(book, "Danh sách")
    assert sh["rows"][0][0] == "DANH SÁCH ĐƯỢC CÔNG NHẬN DANH HIỆU GIA ĐÌNH HỌC TẬP NĂM 2025"
    assert sh["rows"][1][0].startswith("(Kèm theo Quyết định số 15/QĐ-UBND ngày 20/01/2026 của ")
    (heads, rows), = tables(sh, first="STT")
    assert heads[:6] == ["STT", "Tên", "Địa chỉ", "Mã giấy công nhận", "Có giá trị đến",
                         "Ghi chú"], heads
    assert [(x["STT"], x["Mã giấy công nhận"], x["Tên"]) for x in rows] == \
        [(i + 1, c["code"], c["recipient"]) for i, c in enumerate(certs)]
    assert nfc(all_text(book))
    # the PDF of the same decision
    pdf = ctx.path("danh-sach.pdf")
    report(ctx, db, "title-list", "--decision", d1, "-o", pdf)
    text = pdf_text(pdf)
    assert "Kèm theo Quyết định số 15/QĐ-UBND ngày 20/01/2026" in text
    assert all(c["code"] in text for c in certs)
    assert pdf_info(pdf)["Page size"].startswith("595.28 x 841.89")  # portrait
    # every decision of the city in 2025, oldest first, each from a new page
    both = ctx.path("ca-nam.pdf")
    report(ctx, db, "title-list", "--year", "2025", "--unit", "31", "-o", both)
    text = pdf_text(both)
    assert text.index("3/QĐ-UBND ngày 12/01/2026") < text.index("15/QĐ-UBND ngày 20/01/2026")
    pages = text.split("\f")
    first = next(i for i, p in enumerate(pages) if "15/QĐ-UBND ngày 20/01/2026" in p)
    assert "3/QĐ-UBND" not in pages[first], "each decision starts a page"
    # a commune's own: only its decision
    one = ctx.path("xa.xlsx")
    report(ctx, db, "title-list", "--year", "2025", "--unit", c2, "-o", one)
    text = all_text(read_book(one))
    assert "3/QĐ-UBND" in text and "15/QĐ-UBND" not in text
    # on the decision basis the annual report counts what was decided
    ann = ctx.path("quyet-dinh.xlsx")
    report(ctx, db, "annual", "--year", "2025", "--basis", "decision", "-o", ann)
    book = read_book(ann)
    (_, fam), = tables(sheet(book, "Gia đình học tập"))
    row = next(x for x in fam if x["Mã"] == c1)
    assert row["Được công nhận"] == len(certs), (row, len(certs))
    assert "(được công nhận)" in all_text(book)
    assert d2


def test_refusals_name_the_parameter_and_write_nothing(ctx):
    db = ctx.demo_db()
    out = ctx.path("khong-co.xlsx")
    cases = [
        (["annual", "--year", "2025", "--unit", "99999", "-o", out], 1,
         "--unit: no administrative unit '99999' on 31/12/2025"),
        (["annual", "--year", "2025", "-o", ctx.path("bao-cao.docx")], 2,
         "the file name must end in .xlsx or .pdf"),
        (["annual", "--year", "2025"], 2, "-o FILE is required"),
        (["annual", "-o", out], 2, "--year is required"),
        (["annual", "--year", "2021", "-o", out], 1, "--year: the reports cover 2022"),
        (["annual", "--year", "2025", "--basis", "quyet-dinh", "-o", out], 2,
         "--basis must be evaluation or decision"),
        (["annual", "--year", "2025", "--targets", "qd-999", "-o", out], 1, "qd-999"),
        (["yearly", "--year", "2025", "-o", out], 2, "unknown report 'yearly'"),
        (["commune-dossier", "--year", "2025", "-o", out], 2, "--unit is required"),
        (["commune-dossier", "--year", "2025", "--unit", "31", "-o", out], 1,
         "--unit: '31' (Thành phố Hải Phòng) is not a commune"),
        (["commune-dossier", "--year", "2023", "--unit", "12027", "-o", out], 1,
         "--year: the learning-commune title"),
        (["title-list", "--decision", "12345", "-o", out], 1,
         "--decision: no recognition decision 12345"),
        (["title-list", "--decision", "abc", "-o", out], 2, "--decision must be"),
        (["title-list", "--year", "2025", "-o", out], 2, "give --decision ID"),
        (["title-list", "--year", "2025", "--unit", "31", "-o", out], 1,
         "--unit: no recognition decision for 2025"),
        (["annual", "--decision", "7", "--year", "2025", "-o", out], 2,
         "--decision is for the title-list report"),
    ]
    for args, code, msg in cases:
        r = ctx.run("report", *args, "--db", db)
        assert r.code == code and msg in r.err, (args, r)
        assert r.out == "", r
    assert not os.path.exists(out)
    assert not [f for f in os.listdir(os.path.dirname(out)) if ".part" in f]
    # a failure leaves an existing file as it was
    with open(out, "w") as f:
        f.write("cũ")
    r = ctx.run("report", "annual", "--year", "2025", "--unit", "99999", "-o", out, "--db", db)
    assert r.code == 1 and open(out).read() == "cũ"
    r = ctx.run("report", "--help")
    assert r.code == 0 and "Usage: hoctap report NAME" in r.out and "title-list" in r.out
    assert "report" in ctx.run("help").out


def test_annual_report_has_the_funds_of_the_year(ctx):
    """The study-promotion funds within the unit: per unit and per fund, the ledger's sums
    (fund_unit_year_totals), checked against the ledger's lines summed by SQL."""
    from fund_fixture import ENV, Ledger
    ledger = Ledger(ctx, "report-funds.db")
    out = ctx.path("quy.xlsx")
    r = ctx.run("report", "annual", "--year", "2025", "-o", out, "--db", ledger.db, env=ENV)
    assert r.code == 0, r
    book = read_book(out)
    sh = sheet(book, "Quỹ khuyến học")
    (heads, units), (_, funds) = tables(sh)[:1] + tables(sh, first="Mã quỹ")[:1]
    city = units[0]
    assert city["Mã"] == "31" and city["Số quỹ"] == 2, city
    rows = {f["Mã quỹ"]: f for f in funds}
    for code in (ledger.code, ledger.city):
        f = rows[code]
        assert f["Tồn đầu năm"] == ledger.balance(code, "2024-12-31"), f
        assert f["Tồn cuối năm"] == ledger.balance(code, "2025-12-31"), f
        assert f["Tồn cuối năm"] == f["Tồn đầu năm"] + f["Số dư khi lập quỹ"] + \
            f["Nhận ủng hộ"] + f["Chuyển đến"] - f["Chi"] - f["Chuyển đi"], f
    commune = rows[ledger.code]
    assert commune["Chi"] == 1800000 and commune["Chuyển đi"] == 500000, commune
    assert commune["Nhận ủng hộ"] == 1500000 + 2005000 + 300000 + 200000, commune
    # the city's row sums both funds; the commune's row has its own fund
    for head in ("Tồn đầu năm", "Nhận ủng hộ", "Chi", "Tồn cuối năm"):
        assert city[head] == rows[ledger.code][head] + rows[ledger.city][head], head
    mine = next(u for u in units[1:] if u["Số quỹ"] == 1)
    assert mine["Tồn cuối năm"] == rows[ledger.code]["Tồn cuối năm"], mine
    (_, cats), = tables(sh, first="Loại chi")
    assert {c["Loại chi"]: c["Số tiền (đồng)"] for c in cats}["Học bổng"] == 1000000
    closing = f"{city['Tồn cuối năm']:,}".replace(",", ".")
    assert f"là {closing} đồng." in all_text(book)
    # without funds there is no fund sheet at all
    plain = ctx.path("khong-quy.xlsx")
    assert ctx.run("report", "annual", "--year", "2025", "-o", plain, "--db",
                   ctx.demo_db()).code == 0
    assert "Quỹ khuyến học" not in [s["name"] for s in read_book(plain)["sheets"]]
