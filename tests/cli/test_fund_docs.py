"""hoctap fund receipt-pdf | statement | transparency: a fund's documents from a worked ledger
(tests/fund_fixture.py) read back with poppler and openpyxl; every total checked against the
ledger's lines summed by SQL, and the transparency report's privacy rules."""
import os

from fund_fixture import (ENV, Ledger, flat, fund, page_size, pdf_pages, pdf_text, read_xlsx,
                          reddish_pixels, row_of)
from harness import query_write

A5 = (419.53, 595.28)
A4 = (595.28, 841.89)


def near_size(got, want):
    return abs(got[0] - want[0]) < 1 and abs(got[1] - want[1]) < 1


def receipt_pdf(ctx, led, entry, expect=0):
    out = ctx.path("bien-nhan.pdf")
    r = fund(ctx, led.db, "receipt-pdf", str(entry), "-o", out, expect=expect)
    return out, r


def test_fund_receipt_pdf(ctx):
    led = Ledger(ctx)
    path, r = receipt_pdf(ctx, led, led.r1)
    assert path in r.out
    assert pdf_pages(path) == 1 and near_size(page_size(path), A5)
    text = flat(pdf_text(path))
    for line in ["BIÊN NHẬN ỦNG HỘ QUỸ KHUYẾN HỌC", "Ngày 06 tháng 9 năm 2025",
                 "Nhận của: Trần Thị Bình", "Loại nhà hảo tâm: Cá nhân",
                 "Địa chỉ: Số 5 Lạch Tray", "Số tiền: 1.500.000 đồng",
                 "Bằng chữ: Một triệu năm trăm nghìn đồng.", "Hình thức: Tiền mặt",
                 "Đợt vận động: Tháng Khuyến học 2025",
                 "Mục đích: Học bổng cho học sinh nghèo vượt khó", "Số: PT-2025-0001",
                 f"Mã bút toán: {led.r1}", "Người ủng hộ", "Thủ quỹ", "Người lập biên nhận",
                 "In từ hoctap ngày 30/06/2026"]:
        assert line in text, (line, text)
    # the letterhead wraps the fund's name: read in reading order
    assert "QUỸ KHUYẾN HỌC PHƯỜNG THỬ NGHIỆM" in " ".join(pdf_text(path, layout=False).split())
    assert "0912345678" not in text  # a phone number is not printed
    assert "ĐÃ HỦY" not in text

    # bank, an enterprise, an amount with "không trăm linh"
    path, _ = receipt_pdf(ctx, led, led.r2)
    text = flat(pdf_text(path))
    assert "Bằng chữ: Hai triệu không trăm linh năm nghìn đồng." in text, text
    assert "Hình thức: Chuyển khoản" in text and "Loại nhà hảo tâm: Doanh nghiệp" in text

    # an anonymous donor's record, and a receipt without any donor
    for entry, amount in [(led.r3, "Ba trăm nghìn đồng."), (led.r4, "Hai trăm nghìn đồng.")]:
        path, _ = receipt_pdf(ctx, led, entry)
        text = flat(pdf_text(path))
        assert "Nhận của: Nhà hảo tâm ẩn danh" in text, text
        assert "Bằng chữ: " + amount in text
        assert "Loại nhà hảo tâm" not in text and "Địa chỉ" not in text

    # a reversed receipt says it was cancelled, when, by which entry and why
    path, _ = receipt_pdf(ctx, led, led.wrong)
    text = " ".join(pdf_text(path, layout=False).split())
    assert "BIÊN NHẬN NÀY ĐÃ HỦY ngày 16 tháng 9 năm 2025 theo bút toán đảo DC-2025-0001." in \
        text, text
    assert "Lý do: Ghi trùng." in text
    # the stamp across the page: red below the title, where a standing receipt has none
    assert reddish_pixels(path) > 200 > reddish_pixels(receipt_pdf(ctx, led, led.r1)[0])

    # refusals: a payment, an unknown entry, no output, a bad entry number
    _, r = receipt_pdf(ctx, led, led.p1, expect=1)
    assert "not a receipt" in r.err and "disbursement" in r.err
    _, r = receipt_pdf(ctx, led, 4242, expect=1)
    assert "no entry number 4242" in r.err
    r = fund(ctx, led.db, "receipt-pdf", str(led.r1), expect=2)
    assert "-o FILE.pdf" in r.err
    r = fund(ctx, led.db, "receipt-pdf", "PT-1", "-o", ctx.path("x.pdf"), expect=2)
    r = fund(ctx, led.db, "receipt-pdf", str(led.r1), "-o", "/nonexistent/dir/x.pdf", expect=1)
    assert "cannot write" in r.err


def statement(ctx, led, ext, *period):
    out = ctx.path("bao-cao." + ext)
    r = fund(ctx, led.db, "statement", led.code, *period, "-o", out)
    return out, r


def test_fund_statement_xlsx_totals_equal_the_ledger(ctx):
    led = Ledger(ctx)
    for period, opening, closing in [(("--from", "2025-01-01", "--to", "2025-12-31"), 2000000, None),
                                     (("--from", "2025-09-11", "--to", "2025-10-01"), None, None),
                                     (("--from", "2024-01-01", "--to", "2024-12-31"), 0, 2000000)]:
        path, r = statement(ctx, led, "xlsx", *period)
        book = read_xlsx(path)
        assert list(book) == ["Tổng hợp", "Thu theo đợt", "Thu theo nhà hảo tâm",
                              "Chi theo loại", "Chuyển quỹ", "Bút toán"]
        s = book["Tổng hợp"]
        start, end = period[1], period[3]
        day_before = {"2025-01-01": "2024-12-31", "2025-09-11": "2025-09-10",
                      "2024-01-01": "2023-12-31"}[start]
        want_open = led.balance(through=day_before)
        want_close = led.balance(through=end)
        if opening is not None:
            assert want_open == opening
        if closing is not None:
            assert want_close == closing
        got = {label: row_of(s, label)[1] for label in
               ["Số dư đầu kỳ", "Thu trong kỳ", "Chi trong kỳ", "Số dư cuối kỳ", "Nhận ủng hộ",
                "Nhận chuyển từ quỹ khác", "Học bổng", "Khen thưởng", "Hỗ trợ học tập",
                "Quà tặng", "Chuyển sang quỹ khác", "Số dư chuyển sang sổ quỹ"]}
        assert got["Số dư đầu kỳ"] == want_open, (got, want_open)
        assert got["Số dư cuối kỳ"] == want_close, (got, want_close)
        assert got["Số dư đầu kỳ"] + got["Thu trong kỳ"] - got["Chi trong kỳ"] == want_close
        assert got["Thu trong kỳ"] == got["Nhận ủng hộ"] + got["Nhận chuyển từ quỹ khác"] + \
            got["Số dư chuyển sang sổ quỹ"]
        assert got["Chi trong kỳ"] == sum(got[k] for k in ["Học bổng", "Khen thưởng",
                                                          "Hỗ trợ học tập", "Quà tặng",
                                                          "Chuyển sang quỹ khác"])
        # numbers are numbers, shown with thousands separators
        cell = next(c for row in s for c in row if c["v"] == want_close)
        assert isinstance(cell["v"], int) and cell["f"] == "#,##0"
        # the parts add up to the summary
        assert row_of(book["Thu theo đợt"], "Cộng")[3] == got["Nhận ủng hộ"]
        assert row_of(book["Thu theo nhà hảo tâm"], "Cộng")[2] == got["Nhận ủng hộ"]
        assert row_of(book["Chi theo loại"], "Cộng")[2] == got["Chi trong kỳ"] - \
            got["Chuyển sang quỹ khác"]
        # the entries: every movement once, the running balance ends at the closing balance
        rows = [[c["v"] for c in row] for row in book["Bút toán"]]
        head = rows.index(["Ngày", "Số chứng từ", "Loại", "Diễn giải", "Thu (đồng)",
                           "Chi (đồng)", "Số dư (đồng)", "Mã bút toán"])
        body = rows[head + 2:-1]
        assert rows[head + 1][6] == want_open and rows[-1][6] == want_close
        assert sum(r[4] or 0 for r in body) - sum(r[5] or 0 for r in body) == \
            want_close - want_open
        assert all(start <= r[0] <= end for r in body)
        assert body == [] or body[-1][6] == want_close
        assert "Wrote the statement of" in r.out

    # the year in detail: campaigns, donor kinds, the reversal netted
    path, _ = statement(ctx, led, "xlsx", "--from", "2025-01-01", "--to", "2025-12-31")
    book = read_xlsx(path)
    assert row_of(book["Thu theo đợt"], "Tháng Khuyến học 2025")[1:] == [4, 4, 4005000]
    assert row_of(book["Thu theo nhà hảo tâm"], "Doanh nghiệp")[1:] == [1, 2005000]
    assert row_of(book["Thu theo nhà hảo tâm"], "Nhà hảo tâm ẩn danh")[1:] == [2, 500000]
    assert row_of(book["Chuyển quỹ"], "Cộng")[2] == 100000  # 600.000 in, 500.000 out
    rev = [[c["v"] for c in row] for row in book["Bút toán"] if row[2]["v"] == "Đảo"]
    assert len(rev) == 1 and rev[0][4] == -700000 and "Ghi trùng" in rev[0][3]


def test_fund_statement_pdf(ctx):
    led = Ledger(ctx)
    path, r = statement(ctx, led, "pdf", "--from", "2025-01-01", "--to", "2025-12-31")
    pages = pdf_pages(path)
    assert near_size(page_size(path), A4) and f"({pages} page" in r.out
    text = flat(pdf_text(path))
    closing = led.balance(through="2025-12-31")
    assert closing == 2000000 + 4005000 + 600000 - 1800000 - 500000
    for line in ["BÁO CÁO THU, CHI QUỸ KHUYẾN HỌC", "Từ ngày 01/01/2025 đến ngày 31/12/2025",
                 "Số dư đầu kỳ 2.000.000", "Thu trong kỳ 4.605.000", "Chi trong kỳ 2.300.000",
                 "Số dư cuối kỳ 4.305.000", "– Học bổng 1.000.000", "– Khen thưởng 800.000",
                 "Tháng Khuyến học 2025 4 4 4.005.000", f"Trang 1/{pages}",
                 "Cộng trong kỳ; số dư cuối kỳ 4.605.000 2.300.000 4.305.000",
                 "Người lập", "Trưởng ban quản lý quỹ"]:
        assert line in text, (line, text)

    # a long period: the entries' table continues over pages under its repeated header
    for i in range(70):
        led.receipt(str(100000 + i * 1000), "2025-12-%02d" % (1 + i % 28), led.person,
                    "Tết 2026")
    path, r = statement(ctx, led, "pdf", "--from", "2025-01-01", "--to", "2025-12-31")
    pages = pdf_pages(path)
    assert pages >= 3, pages
    for p in range(2, pages + 1):
        t = flat(pdf_text(path, page=p))
        assert f"Trang {p}/{pages}" in t
        if p < pages:
            assert "Ngày Số chứng từ Loại Diễn giải Thu Chi Số dư" in t, (p, t[:400])
    last = flat(pdf_text(path, page=pages))
    closing = led.balance(through="2025-12-31")
    s = f"{closing:,}".replace(",", ".")
    assert f"Cộng trong kỳ; số dư cuối kỳ" in last and s in last


def test_fund_transparency_pdf_privacy(ctx):
    led = Ledger(ctx)
    out = ctx.path("cong-khai.pdf")
    r = fund(ctx, led.db, "transparency", led.code, "--from", "2025-01-01", "--to", "2025-12-31",
             "--url", "https://hoctap.example.vn", "-o", out)
    assert "Wrote the transparency of" in r.out
    text = flat(pdf_text(out))
    for line in ["CÔNG KHAI THU, CHI QUỸ KHUYẾN HỌC", "Số dư cuối kỳ 4.305.000",
                 "Trần Thị Bình 1 1.500.000", "Công ty TNHH Hải Âu 1 2.005.000",
                 "Nhà hảo tâm ẩn danh 2 500.000", "N.V.A. Lớp 8, THCS Hồng Bàng Học bổng 1.000.000",
                 "Lê Thị Hoa Đại học Hải Phòng Khen thưởng 800.000",
                 f"https://hoctap.example.vn/cong-khai/{led.code}?from=2025-01-01&to=2025-12-31",
                 "được ghi bằng chữ cái đầu"]:
        assert line in text, (line, text)
    for secret in ["Nguyễn Văn An", "Số 5 Lạch Tray", "0912345678", "02253888999", str(led.minor),
                   str(led.r1), "Ghi trùng"]:
        assert secret not in text, secret
    # the fund allows minors' names
    query_write(led.db, "UPDATE funds SET public_minor_names = 1 WHERE code = ?", led.code)
    fund(ctx, led.db, "transparency", led.code, "--from", "2025-01-01", "--to", "2025-12-31",
         "-o", out)
    text = flat(pdf_text(out))
    assert "Nguyễn Văn An Lớp 8, THCS Hồng Bàng" in text and "N.V.A." not in text
    assert "chữ cái đầu" not in text


def test_fund_documents_refusals(ctx):
    led = Ledger(ctx)
    out = ctx.path("x.pdf")
    r = fund(ctx, led.db, "statement", led.code, "--from", "2025-13-01", "-o", out, expect=2)
    assert "--from must be a date" in r.err
    r = fund(ctx, led.db, "statement", led.code, "--from", "2025-12-01", "--to", "2025-01-01",
             "-o", out, expect=2)
    assert "starts (2025-12-01) after it ends" in r.err
    r = fund(ctx, led.db, "statement", "KH-KHONG-CO", "-o", out, expect=1)
    assert "no fund with the code 'KH-KHONG-CO'" in r.err
    r = fund(ctx, led.db, "statement", led.code, "-o", ctx.path("x.csv"), expect=2)
    r = fund(ctx, led.db, "transparency", led.code, "-o", ctx.path("x.xlsx"), expect=2)
    assert "FILE.pdf" in r.err
    assert not os.path.exists(out)
    # without a period: the current year ($HOCTAP_TODAY is in 2026)
    r = fund(ctx, led.db, "statement", led.code, "-o", out)
    assert "from 2026-01-01 to 2026-12-31" in r.out and os.path.exists(out)
    assert ENV["HOCTAP_TODAY"].startswith("2026")
