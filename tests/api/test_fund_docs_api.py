"""A fund's documents over HTTP (docs/funds.md, "Documents"): a treasurer downloads a receipt and
the statement (their totals against the fund API and the ledger's lines summed by SQL, each
download audited); anyone, without logging in, reads the public transparency page and its PDF,
which show a new donation at once, hide a minor's name until the fund allows it, never name an
anonymous donor and hold no address, phone number or id. A private server on the worked ledger
of tests/fund_fixture.py."""
import os
import re
import urllib.parse

from fund_fixture import Ledger, flat, pdf_pages, pdf_text, read_xlsx, row_of
from harness import Client, Server, add_user, query, query_write, unique

PASSWORD = "Hoc-tap-suot-doi-2026"
YEAR = {"from": "2025-01-01", "to": "2025-12-31"}


def qs(path, **params):
    return path + "?" + urllib.parse.urlencode(params)


def save(ctx, resp, name):
    path = ctx.path(name)
    with open(path, "wb") as f:
        f.write(resp.raw)
    return path


def login(srv, name):
    c = Client(srv.url)
    c.login(name, PASSWORD)
    return c


def figures(html):
    """The page's totals by their data-figure key, as whole đồng."""
    return {k: int(v.replace(".", "")) for k, v in
            re.findall(r'data-figure="(\w+)">([\d.]+) đ<', html)}


def rows(html, table):
    """The cells of a table of the page (tags stripped), row by row."""
    body = re.search(rf'<table id="{table}">(.*?)</table>', html, re.S).group(1)
    out = []
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        cells = [re.sub(r"<[^>]+>", "", c).replace("&nbsp;", " ").strip()
                 for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", tr, re.S)]
        out.append(cells)
    return out


def test_receipt_and_statement_downloads(ctx):
    led = Ledger(ctx, "fund-docs-api.db")
    treasurer, viewer = unique("fd-treasurer"), unique("fd-viewer")
    add_user(ctx, led.db, treasurer, "treasurer", led.unit, PASSWORD, full_name="Vũ Thị Lan")
    add_user(ctx, led.db, viewer, "viewer", led.unit, PASSWORD)
    seq = query(led.db, "SELECT COALESCE(MAX(seq), 0) FROM audit")[0][0]
    with Server(ctx, led.db) as srv:
        cashier, other = login(srv, treasurer), login(srv, viewer)
        anonymous = Client(srv.url)
        # the receipt of a donation
        r = cashier.call("GET", f"/api/v1/fund-entries/{led.r1}/receipt.pdf")
        assert r.status == 200 and r.headers["Content-Type"] == "application/pdf", r
        assert 'filename="bien-nhan-' in r.headers["Content-Disposition"], r.headers
        text = flat(pdf_text(save(ctx, r, "bien-nhan.pdf")))
        assert "Bằng chữ: Một triệu năm trăm nghìn đồng." in text and \
            "Nhận của: Trần Thị Bình" in text, text
        # a payment has no receipt; an unknown entry; callers without funds.read
        r = cashier.call("GET", f"/api/v1/fund-entries/{led.p1}/receipt.pdf")
        assert r.status == 422 and r.code == "not_a_receipt", r
        assert "không phải khoản thu" in r.body["error"]["message_vi"]
        assert cashier.call("GET", "/api/v1/fund-entries/1234/receipt.pdf").status == 404
        assert other.call("GET", f"/api/v1/fund-entries/{led.r1}/receipt.pdf").status == 403
        assert anonymous.call("GET", f"/api/v1/fund-entries/{led.r1}/receipt.pdf").status == 401

        # a receipt posted through the API: its receipt at once, with who recorded it
        r = cashier.call("POST", f"/api/v1/funds/{led.code}/entries",
                         {"kind": "receipt", "date": "2025-12-05", "amount": "2.500.000",
                          "donor": str(led.person), "campaign": "Tết 2026"})
        assert r.status == 201, r
        r = cashier.call("GET", f"/api/v1/fund-entries/{r.body['id']}/receipt.pdf")
        text = flat(pdf_text(save(ctx, r, "bien-nhan-2.pdf")))
        assert "Bằng chữ: Hai triệu năm trăm nghìn đồng." in text and "Vũ Thị Lan" in text, text

        # the statement: the same totals as the fund API and the ledger, in both formats
        for period in [YEAR, {"from": "2025-09-11", "to": "2025-11-30"}]:
            r = cashier.call("GET", qs(f"/api/v1/funds/{led.code}/statement.xlsx", **period))
            assert r.status == 200 and r.raw.startswith(b"PK"), r
            assert "attachment" in r.headers["Content-Disposition"]
            book = read_xlsx(save(ctx, r, "bao-cao.xlsx"))
            s = book["Tổng hợp"]
            api = cashier.call("GET", qs(f"/api/v1/funds/{led.code}", to=period["to"])).body
            closing = api["accounts"]["cash"] + api["accounts"]["bank"]
            assert row_of(s, "Số dư cuối kỳ")[1] == closing == led.balance(through=period["to"])
            opening = row_of(s, "Số dư đầu kỳ")[1]
            assert opening + row_of(s, "Thu trong kỳ")[1] - row_of(s, "Chi trong kỳ")[1] == closing
            r = cashier.call("GET", qs(f"/api/v1/funds/{led.code}/statement.pdf", **period))
            assert r.status == 200 and r.headers["Content-Type"] == "application/pdf", r
            path = save(ctx, r, "bao-cao.pdf")
            text = flat(pdf_text(path))
            assert f"Số dư cuối kỳ {closing:,}".replace(",", ".") in text, text
            assert f"Trang 1/{pdf_pages(path)}" in text
        # default period: this year; bad periods; unknown funds; callers without funds.read
        r = cashier.call("GET", f"/api/v1/funds/{led.code}/statement.pdf")
        assert r.status == 200, r
        r = cashier.call("GET", qs(f"/api/v1/funds/{led.code}/statement.xlsx", to="2025-02-30"))
        assert r.status == 400 and r.code == "bad_period" and "NNNN-TT-NN" in \
            r.body["error"]["message_vi"], r
        r = cashier.call("GET", qs(f"/api/v1/funds/{led.code}/statement.pdf", **{
            "from": "2025-12-31", "to": "2025-01-01"}))
        assert r.status == 400, r
        assert cashier.call("GET", "/api/v1/funds/KHONG-CO/statement.pdf").status == 404
        assert other.call("GET", f"/api/v1/funds/{led.code}/statement.xlsx").status == 403
        assert anonymous.call("GET", f"/api/v1/funds/{led.code}/statement.xlsx").status == 401
    actions = [a for (a,) in query(led.db, "SELECT action FROM audit WHERE seq > ? AND action "
                                           "LIKE 'fund.%' ORDER BY seq", seq)]
    assert actions == ["fund.receipt.print", "fund.receipt", "fund.receipt.print"] + \
        ["fund.statement.export"] * 5, actions


def test_transparency_page_is_public_and_private_where_it_must_be(ctx):
    led = Ledger(ctx, "fund-public.db")
    # the shared demo may hold audit entries of other suites' downloads: count only what follows
    seq = query(led.db, "SELECT COALESCE(MAX(seq), 0) FROM audit")[0][0]
    treasurer = unique("fd-cashier")
    add_user(ctx, led.db, treasurer, "treasurer", led.unit, PASSWORD)
    # a donor kept as anonymous with a name (an older record, or a name typed by mistake)
    query_write(led.db, "UPDATE fund_donors SET name = 'Người Giấu Tên' WHERE id = ?",
                led.anonymous)
    with Server(ctx, led.db) as srv:
        reader = Client(srv.url)  # no login at all
        page = qs(f"/cong-khai/{led.code}", **YEAR)
        r = reader.call("GET", page)
        assert r.status == 200 and r.headers["Content-Type"].startswith("text/html"), r
        html = r.raw.decode()
        assert 'name="viewport"' in html and 'lang="vi"' in html
        f = figures(html)
        closing = led.balance(through="2025-12-31")
        assert f == {"opening": 2000000, "received": 4005000, "paid": 1800000,
                     "closing": closing}, f
        people = rows(html, "nguoi-nhan")
        assert ["1", "N.V.A.", "Lớp 8, THCS Hồng Bàng", "Học bổng", "1.000.000"] in people, people
        assert ["2", "Lê Thị Hoa", "Đại học Hải Phòng", "Khen thưởng", "800.000"] in people
        donors = rows(html, "nha-hao-tam")
        assert ["Nhà hảo tâm ẩn danh", "2", "500.000"] in donors, donors
        assert ["Tháng Khuyến học 2025", "4", "4", "4.005.000"] in rows(html, "dot-van-dong")
        for secret in ["Nguyễn Văn An", "Người Giấu Tên", "Số 5 Lạch Tray", "0912345678",
                       "02253888999", str(led.minor), str(led.r1), str(led.person), "Ghi trùng"]:
            assert secret not in html, secret
        assert f'href="/cong-khai/{led.code}.pdf?from=2025-01-01&amp;to=2025-12-31"' in html

        # a donation posted now shows at once
        cashier = login(srv, treasurer)
        r = cashier.call("POST", f"/api/v1/funds/{led.code}/entries",
                         {"kind": "receipt", "date": "2025-12-20", "amount": 1234000,
                          "donor": str(led.enterprise), "campaign": "Tết 2026"})
        assert r.status == 201, r
        f2 = figures(reader.call("GET", page).raw.decode())
        assert f2["received"] == f["received"] + 1234000 and \
            f2["closing"] == f["closing"] + 1234000, f2

        # the PDF: the same figures, no login either
        r = reader.call("GET", qs(f"/cong-khai/{led.code}.pdf", **YEAR))
        assert r.status == 200 and r.headers["Content-Type"] == "application/pdf", r
        text = flat(pdf_text(save(ctx, r, "cong-khai.pdf")))
        assert f"Số dư cuối kỳ {f2['closing']:,}".replace(",", ".") in text, text
        assert "N.V.A." in text and "Nguyễn Văn An" not in text and "Người Giấu Tên" not in text
        assert f"{srv.url}/cong-khai/{led.code}?from=2025-01-01&to=2025-12-31" in \
            " ".join(pdf_text(save(ctx, r, "cong-khai.pdf"), layout=False).split())

        # the fund allows minors' names
        query_write(led.db, "UPDATE funds SET public_minor_names = 1 WHERE code = ?", led.code)
        html = reader.call("GET", page).raw.decode()
        assert "Nguyễn Văn An" in html and "N.V.A." not in html
        assert "Người Giấu Tên" not in html  # anonymous stays anonymous

        # the index of funds; an unknown fund and a bad period, in Vietnamese
        html = reader.call("GET", "/cong-khai").raw.decode()
        assert f'<a href="/cong-khai/{led.code}?from=' in html and led.city in html
        r = reader.call("GET", "/cong-khai/KHONG-CO-QUY")
        assert r.status == 404 and "Không tìm thấy quỹ khuyến học có mã" in r.raw.decode(), r
        r = reader.call("GET", "/cong-khai/KHONG-CO-QUY.pdf")
        assert r.status == 404 and r.headers["Content-Type"].startswith("text/html"), r
        r = reader.call("GET", qs(f"/cong-khai/{led.code}", **{"from": "2025-12-31",
                                                                "to": "2025-01-01"}))
        assert r.status == 400 and "Ngày bắt đầu phải trước ngày kết thúc" in r.raw.decode(), r
        r = reader.call("GET", qs(f"/cong-khai/{led.code}", to="<script>"))
        assert r.status == 400 and "<script>" not in r.raw.decode(), r
        r = reader.call("GET", "/cong-khai/%3Cb%3E")
        assert r.status == 404 and "<b>" not in r.raw.decode(), r
        # the default period is this year
        r = reader.call("GET", f"/cong-khai/{led.code}")
        assert r.status == 200 and "Từ ngày 01/01/" in r.raw.decode(), r
    assert not [a for (a,) in query(led.db, "SELECT action FROM audit WHERE action LIKE "
                                            "'fund.statement%' AND seq > ?", seq)]
    assert os.path.exists(led.db)
