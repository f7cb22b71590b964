"""The web upload of the funds' files (POST /api/v1/imports/funds/{kind}, docs/api.md): a
commune's treasurer imports donors, donations and beneficiaries; rows of another area are
problems in Vietnamese (422) and nothing is written; a clean file posts its receipts once.
A private server on a copy of the demo."""
import shutil
import subprocess
import urllib.parse

from harness import Client, Server, add_user, query, unique

PASSWORD = "Hoc-tap-suot-doi-2026"
FUND_TABLES = ("fund_donors", "fund_beneficiaries", "fund_entries", "fund_lines", "funds")


def funds_dump(db):
    """The funds' tables: what an import may write (a login writes sessions and audit)."""
    return {t: sorted(query(db, f"SELECT * FROM {t}"), key=repr) for t in FUND_TABLES}


def setup(ctx, name):
    db = ctx.path(name)
    shutil.copy(ctx.demo_db(), db)
    communes = [c for (c,) in query(db, "SELECT u.code FROM units u JOIN unit_kinds k ON k.prov = "
                                        "u.prov AND k.key = u.kind AND k.level_key = 'commune' "
                                        "WHERE u.valid_to IS NULL ORDER BY u.code LIMIT 2")]
    for code, owner in (("KH-31", "31"), (f"KH-{communes[0]}", communes[0]),
                        (f"KH-{communes[1]}", communes[1])):
        r = ctx.run("fund", "create", code, "--name", "Quỹ khuyến học", "--owner-kind", "unit",
                    "--owner", owner, "--db", db)
        assert r.code == 0, r
    users = {}
    for role in ("treasurer", "viewer"):
        users[role] = unique("fi-" + role)
        add_user(ctx, db, users[role], role, communes[0], PASSWORD)
    return db, communes, users


def login(srv, name):
    c = Client(srv.url)
    c.login(name, PASSWORD)
    return c


def upload(client, kind, data, **params):
    path = f"/api/v1/imports/funds/{kind}"
    if params:
        path += "?" + urllib.parse.urlencode(params)
    return client.call("POST", path, data.encode() if isinstance(data, str) else data,
                       headers={"Content-Type": "text/csv"})


def test_a_commune_treasurer_imports_donations_of_the_commune_only(ctx):
    db, (own, other), users = setup(ctx, "fund-imports.db")
    head = "Mã quỹ,Ngày thu,Số tiền (đồng),Số phiếu thu,Nhà hảo tâm,Hình thức\r\n"
    mine = (f"KH-{own},05/09/2025,1.500.000,PT-0001,Nguyễn Văn Hảo,tiền mặt\r\n"
            f"KH-{own},06/09/2025,\"2.000.000 đ\",PT-0002,,chuyển khoản\r\n")
    theirs = (f"KH-31,07/09/2025,300.000,PT-0003,,\r\n"
              f"KH-{other},08/09/2025,100.000,PT-0004,,\r\n")
    with Server(ctx, db) as srv:
        cashier, viewer = login(srv, users["treasurer"]), login(srv, users["viewer"])
        before = funds_dump(db)
        r = upload(cashier, "donations", head + mine + theirs, name="khoan thu.csv")
        assert r.status == 422, r
        rep = r.body
        assert rep["file"] == "khoan thu.csv" and rep["kind"] == "donations" and not rep["written"]
        assert [(p["cell"], p["field"]) for p in rep["problems"]] == [("A4", "fund_code"),
                                                                      ("A5", "fund_code")], rep
        assert rep["problems"][0]["message"] == (
            "Quỹ KH-31 thuộc đơn vị 31, nằm ngoài địa bàn của bạn; chỉ được nhập dữ liệu thuộc "
            "đơn vị mình"), rep["problems"][0]
        assert "outside your area" in rep["problems"][0]["message_en"]
        assert funds_dump(db) == before, "a file with problems writes nothing"
        r = upload(cashier, "donations", head + mine + theirs, lang="en")
        assert r.body["problems"][1]["message"].startswith(f"fund KH-{other} belongs to unit"), r
        # the highlighted workbook of the same upload
        r = upload(cashier, "donations", head + mine + theirs, report="xlsx")
        assert r.status == 200 and r.raw[:2] == b"PK", r
        proc = subprocess.run(["/usr/bin/python3", "-c",
                               "import io, sys, openpyxl; ws = openpyxl.load_workbook(io.BytesIO("
                               "sys.stdin.buffer.read())).active; print(ws['A4'].fill.fill_type); "
                               "print(ws['G1'].value); print(ws['G4'].value)"],
                              input=r.raw, capture_output=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        lines = proc.stdout.decode().splitlines()
        assert lines[:2] == ["solid", "Lỗi"] and lines[2].startswith("A: Quỹ KH-31 thuộc"), lines

        # a dry run of the commune's rows: counted, nothing written
        r = upload(cashier, "donations", head + mine, dry_run=1)
        assert r.status == 200 and r.body["added"] == 2 and r.body["dry_run"], r
        assert r.body["donors_added"] == 1 and funds_dump(db) == before
        # imported; the fund's balance is the file's total; again: unchanged
        r = upload(cashier, "donations", head + mine, name="khoan-thu.csv")
        assert r.status == 200 and r.body["added"] == 2 and r.body["written"], r
        assert "results" not in r.body, r.body
        f = cashier.call("GET", f"/api/v1/funds/KH-{own}").body
        assert f["balance"] == 3500000 and f["accounts"]["bank"] == 2000000, f
        assert [e["number"] for e in f["entries"]] == ["PT-0001", "PT-0002"], f["entries"]
        after = funds_dump(db)
        r = upload(cashier, "donations", head + mine)
        assert r.status == 200 and r.body["unchanged"] == 2 and not r.body["written"], r
        assert funds_dump(db) == after
        entry = query(db, "SELECT actor, unit_code, after_json FROM audit WHERE action = "
                          "'import.donations'")
        assert len(entry) == 1 and entry[0][0] == users["treasurer"], entry

        # who may: funds.write (a viewer may not), and only the funds' kinds on this route
        assert upload(viewer, "donations", head + mine).status == 403
        assert upload(cashier, "households", "a,b\n").status == 404
        r = cashier.call("POST", "/api/v1/imports/registry/donors", b"a,b\n")
        assert r.status in (403, 404), r  # the treasurer lacks registry.write anyway


def test_beneficiaries_and_donors_uploads_check_the_area(ctx):
    db, (own, other), users = setup(ctx, "fund-imports-b.db")
    with Server(ctx, db) as srv:
        cashier = login(srv, users["treasurer"])
        head = "Họ và tên,Năm sinh,Mã đơn vị,Hoàn cảnh,Thành tích\n"
        before = funds_dump(db)
        r = upload(cashier, "beneficiaries", head + f"Học Sinh A,2012,{own},mồ côi,\n"
                                                  f"Học Sinh B,2013,{other},,giải quốc gia\n"
                                                  f"Học Sinh C,2013,{own},,vàng\n")
        assert r.status == 422, r
        by_row = {p["row"]: p for p in r.body["problems"]}
        assert set(by_row) == {3, 4}, r.body
        assert by_row[3]["field"] == "unit_code" and "ngoài địa bàn" in by_row[3]["message"]
        assert by_row[4]["field"] == "achievements" and "'vàng' không hợp lệ" in \
            by_row[4]["message"], by_row[4]
        assert funds_dump(db) == before
        r = upload(cashier, "beneficiaries", head + f"Học Sinh A,2012,{own},mồ côi,\n")
        assert r.status == 200 and r.body["added"] == 1, r
        listed = cashier.call("GET", "/api/v1/fund-beneficiaries?q=hoc%20sinh%20a").body
        assert [(b["name"], b["circumstances"]) for b in listed["beneficiaries"]] == \
            [("Học Sinh A", "orphan")], listed

        # donors are the province's: any treasurer adds them; one who gave to a fund of
        # another area is changed only there
        r = upload(cashier, "donors", "Mã nhà hảo tâm,Tên nhà hảo tâm,Số điện thoại\n"
                                      "NHT-9,Công ty Biển Xanh,0225 3842 111\n")
        assert r.status == 200 and r.body["added"] == 1, r
        donors = cashier.call("GET", "/api/v1/fund-donors?q=NHT-9").body["donors"]
        assert [(d["code"], d["name"]) for d in donors] == [("NHT-9", "Công ty Biển Xanh")]
        r = ctx.run("import", "donations", _write(
            ctx, "Mã quỹ,Ngày thu,Số tiền (đồng),Số phiếu thu,Mã nhà hảo tâm\n"
                 f"KH-{other},09/09/2025,100.000,PT-9,NHT-9\n"), "--db", db)
        assert r.code == 0, r
        r = upload(cashier, "donors", "Mã nhà hảo tâm,Tên nhà hảo tâm,Số điện thoại\n"
                                      "NHT-9,Công ty Biển Xanh,0999 999 999\n")
        assert r.status == 422 and "ngoài địa bàn" in r.body["problems"][0]["message"], r
        assert query(db, "SELECT phone FROM fund_donors WHERE code = 'NHT-9'") == \
            [("0225 3842 111",)]


def _write(ctx, text):
    path = ctx.path("f.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def test_the_funds_templates_need_funds_read(ctx):
    db, (own, _), users = setup(ctx, "fund-templates.db")
    with Server(ctx, db) as srv:
        cashier, viewer = login(srv, users["treasurer"]), login(srv, users["viewer"])
        r = cashier.call("GET", "/api/v1/templates/donations.csv")
        assert r.status == 200 and r.raw.decode("utf-8-sig").startswith(
            "Mã quỹ,Ngày thu,Số tiền (đồng),Số phiếu thu"), r
        r = cashier.call("GET", "/api/v1/templates/beneficiaries.xlsx")
        assert r.status == 200 and r.raw[:2] == b"PK", r
        # a viewer has no funds.read
        r = viewer.call("GET", "/api/v1/templates/donors.csv")
        assert r.status == 403 and r.code == "forbidden", r
        # prefilled: names, phones and children's circumstances are personal data
        r = cashier.call("GET", f"/api/v1/templates/beneficiaries.csv?unit={own}")
        assert r.status == 403 and "personal" in r.body["error"]["message"], r
