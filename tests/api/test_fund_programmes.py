"""Award programmes through the API (docs/funds.md, "Award programmes"): a commune's programme
proposes the right people with the right amounts (its beneficiaries and, from the registry, its
pupils with good results), one decision approves the batch, one payment posts entries whose total
is the batch's and takes exactly that from the fund; an unaffordable batch, a second payment and
bad input are refused with the reason and change nothing; everything is audited. A private
server on a copy of the demo."""
import shutil

from harness import Client, Server, add_user, dump, query, unique

PASSWORD = "Hoc-tap-suot-doi-2026"
YEAR = 2025

RULES = """# Khen thưởng học sinh của xã
rule national 2.000.000 award "Học sinh đạt giải quốc gia"
  when achievement national-prize international-prize
rule poor-good 1.000.000 scholarship "Học sinh hộ nghèo có kết quả học tập tốt"
  when circumstance poor near-poor
  when result kha-or-better
rule pupil 300.000 award "Học sinh giỏi"
  from registry
  when in-school
  when result tot
  when age 6..18
"""

# every registry person of YEAR with the commune (today's) of their village that year and their
# facts of YEAR: (commune, id, name, birth year, in school, school result)
PERSONS = ("SELECT v.parent_code, p.id, p.full_name, p.birth_year, py.in_school, "
           "py.school_result FROM person_years py JOIN persons p ON p.prov = py.prov AND p.id = "
           "py.person_id JOIN household_places hp ON hp.prov = p.prov AND hp.household_id = "
           "p.household_id AND hp.from_year = (SELECT MAX(h2.from_year) FROM household_places h2 "
           "WHERE h2.prov = p.prov AND h2.household_id = p.household_id AND h2.from_year <= ?) "
           "JOIN units v ON v.prov = hp.prov AND v.code = hp.village_code AND v.valid_to IS NULL "
           "WHERE py.prov = 31 AND py.year = ? ORDER BY p.id")


def setup(ctx):
    db = ctx.path("fund-programmes.db")
    shutil.copy(ctx.demo_db(), db)
    pupils = {}
    for commune, *row in query(db, PERSONS, YEAR, YEAR):
        if row[3] == 1:
            pupils.setdefault(commune, []).append(tuple(row))
    # the commune with the most pupils of result tốt that has a pupil of result khá
    best = max((c for c in pupils if any(r[4] == "kha" for r in pupils[c])),
               key=lambda c: (sum(1 for r in pupils[c] if r[4] == "tot"), c))
    other = next(c for c in sorted(pupils) if c != best)
    users = {}
    for role in ("treasurer", "admin", "viewer"):
        users[role] = unique("fp-" + role)
        add_user(ctx, db, users[role], role, best, PASSWORD)
    users["outsider"] = unique("fp-out")
    add_user(ctx, db, users["outsider"], "admin", other, PASSWORD)
    return db, best, users, pupils[best]


def login(srv, name):
    c = Client(srv.url)
    c.login(name, PASSWORD)
    return c


def test_a_programme_proposes_approves_and_pays_a_batch(ctx):
    db, commune, users, pupils = setup(ctx)
    good = [r for r in pupils if r[4] == "kha"]
    assert good, "the demo commune has a pupil of result khá"
    poor_id, poor_name = good[0][0], good[0][1]
    # the rule `pupil`, computed here from the registry: at school, tot, aged 6 to 18
    want_pupils = {str(r[0]): r[1] for r in pupils if r[4] == "tot" and 6 <= YEAR - r[2] <= 18}
    assert want_pupils, "the demo commune has pupils of result tốt"
    seq = query(db, "SELECT COALESCE(MAX(seq), 0) FROM audit")[0][0]
    code = "KH-" + commune
    with Server(ctx, db) as srv:
        admin, cashier, viewer, outsider = (login(srv, users[r]) for r in
                                            ("admin", "treasurer", "viewer", "outsider"))
        r = admin.call("POST", "/api/v1/funds", {"code": code, "name": "Quỹ khuyến học xã",
                                                  "owner_kind": "unit", "owner_code": commune})
        assert r.status == 201, r
        assert cashier.call("POST", f"/api/v1/funds/{code}/entries",
                            {"kind": "receipt", "date": "2025-09-10",
                             "amount": 1000000}).status == 201
        prize = cashier.call("POST", "/api/v1/fund-beneficiaries",
                             {"name": "Phạm Minh Khôi", "unit": commune, "birth_year": 2010,
                              "achievements": "excellent|national-prize"})
        assert prize.status == 201, prize
        poor = cashier.call("POST", "/api/v1/fund-beneficiaries",
                            {"person_id": str(poor_id), "circumstances": "poor"})
        assert poor.status == 201 and poor.body["name"] == poor_name, poor

        # the programme: set by whoever may approve, not by the treasurer
        path = f"/api/v1/funds/{code}/programmes"
        assert cashier.call("POST", path, {"code": "HSG", "name": "x", "rules": RULES}).status == 403
        before = dump(db)
        bad = admin.call("POST", path, {"code": "HSG", "name": "Khen thưởng",
                                        "rules": RULES.replace("award \"Học sinh giỏi\"",
                                                               "prize \"Học sinh giỏi\"")
                                        .replace("poor near-poor", "poor rich")})
        assert bad.status == 422, bad
        lines = sorted((p["line"], p["field"]) for p in bad.body["problems"])
        assert lines == [(5, "rules"), (7, "rules")], bad.body
        p5 = next(p for p in bad.body["problems"] if p["line"] == 5)
        assert "'rich'" in p5["msg_en"] and "hoàn cảnh" in p5["msg_vi"], p5
        assert "loại chi" in bad.body["problems"][1]["msg_vi"] or \
            "loại chi" in bad.body["problems"][0]["msg_vi"], bad.body
        assert dump(db) == before
        r = admin.call("POST", path, {"code": "HSG", "name": "Khen thưởng học sinh",
                                      "rules": RULES})
        assert r.status == 201 and r.body["rules"] == RULES and r.body["fund"] == code, r
        programme = r.body["id"]

        # the proposal
        r = cashier.call("POST", f"{path}/{programme}/run", {"year": YEAR})
        assert r.status == 201, r
        batch = r.body
        items = batch["items"]
        assert batch["state"] == "proposed" and batch["year"] == YEAR and batch["unit"] == commune
        assert (items[0]["name"], items[0]["rule"], items[0]["amount"], items[0]["category"]) == \
            ("Phạm Minh Khôi", "national", 2000000, "award"), items[0]
        assert items[0]["beneficiary"] == prize.body["id"]
        assert (items[1]["name"], items[1]["rule"], items[1]["amount"], items[1]["category"]) == \
            (poor_name, "poor-good", 1000000, "scholarship"), items[1]
        assert items[1]["beneficiary"] == poor.body["id"]
        assert {i["person"]: i["name"] for i in items[2:]} == want_pupils, items[2:]
        assert all(i["rule"] == "pupil" and i["amount"] == 300000 and i["beneficiary"] is None
                   for i in items[2:])
        total = 3000000 + 300000 * len(want_pupils)
        assert batch["total"] == total and batch["count"] == len(items), batch
        # by the programme's code too; another fund's path does not find it
        assert cashier.call("POST", f"{path}/HSG/run", {"year": YEAR}).status == 201
        assert cashier.call("POST", f"/api/v1/funds/{code}/programmes/999/run",
                            {"year": YEAR}).status == 404
        assert cashier.call("POST", f"{path}/{programme}/run", {"year": 2099}).status == 422
        r = cashier.call("GET", path)
        batches = r.body["programmes"][0]["batches"]
        assert [b["state"] for b in batches] == ["proposed", "cancelled"], batches
        batch = cashier.call("GET", f"/api/v1/fund-batches/{batches[0]['id']}").body
        bid = batch["id"]
        assert len(batch["items"]) == len(items)

        # who may see and decide
        assert viewer.call("GET", f"/api/v1/fund-batches/{bid}").status == 403
        assert outsider.call("GET", f"/api/v1/fund-batches/{bid}").status == 403
        decision = {"number": "15/QĐ-KH", "date": "2025-12-15", "signer": "Nguyễn Văn Tâm"}
        assert outsider.call("POST", f"/api/v1/fund-batches/{bid}/approve", decision).status == 403
        assert cashier.call("POST", f"/api/v1/fund-batches/{bid}/approve", decision).status == 403
        before = dump(db)
        r = admin.call("POST", f"/api/v1/fund-batches/{bid}/approve",
                       {"number": " ", "date": "2024-12-31", "drop": [999]})
        assert r.status == 422, r
        assert {p["field"] for p in r.body["problems"]} == {"number", "date", "signer", "drop"}
        assert all(p["msg_vi"] != p["msg_en"] for p in r.body["problems"]), r.body
        assert dump(db) == before
        # paying before the approval
        r = cashier.call("POST", f"/api/v1/fund-batches/{bid}/pay", {"date": "2025-12-20"})
        assert r.status == 422 and "duyệt" in r.body["error"]["message_vi"], r

        # one decision accepts the whole batch; the registry pupils become beneficiaries
        r = admin.call("POST", f"/api/v1/fund-batches/{bid}/approve", decision)
        assert r.status == 200 and r.body["state"] == "approved", r
        assert r.body["decision"] == decision and r.body["approved_by"] == users["admin"]
        assert all(i["beneficiary"] for i in r.body["items"]), r.body["items"]
        added = {i["person"] for i in r.body["items"][2:]}
        assert {str(p) for (p,) in query(db, "SELECT person_id FROM fund_beneficiaries WHERE "
                                         "person_id IS NOT NULL")} >= added
        assert admin.call("POST", f"/api/v1/fund-batches/{bid}/approve", decision).status == 422

        # the fund holds 1.000.000 đ: the batch is refused with the balance and the total
        before = dump(db)
        r = cashier.call("POST", f"/api/v1/fund-batches/{bid}/pay", {"date": "2025-12-20"})
        assert r.status == 422, r
        p = r.body["problems"][0]
        total_vi = f"{total:,}".replace(",", ".")
        assert p["field"] == "amount" and "chỉ còn 1.000.000 đ" in p["msg_vi"], p
        assert f"cần {total_vi} đ" in p["msg_vi"] and f"needs {total_vi} đ" in p["msg_en"], p
        assert dump(db) == before

        assert cashier.call("POST", f"/api/v1/funds/{code}/entries",
                            {"kind": "receipt", "date": "2025-09-11",
                             "amount": total}).status == 201
        balance = cashier.call("GET", f"/api/v1/funds/{code}").body["balance"]
        assert balance == total + 1000000
        r = cashier.call("POST", f"/api/v1/fund-batches/{bid}/pay", {"date": "2025-12-20"})
        assert r.status == 200 and r.body["state"] == "paid", r
        assert len(r.body["entries"]) == len(items) and r.body["balance"] == 1000000, r.body
        assert [i["entry"] for i in r.body["items"]] == r.body["entries"]
        entry_ids = r.body["entries"]
        fund = cashier.call("GET", f"/api/v1/funds/{code}").body
        assert fund["balance"] == balance - total, fund["balance"]
        paid = [e for e in fund["entries"] if e["id"] in r.body["entries"]]
        assert len(paid) == len(items) and sum(e["amount"] for e in paid) == total
        assert all(e["kind"] == "disbursement" and e["decision"] == "15/QĐ-KH" and
                   e["date"] == "2025-12-20" for e in paid), paid
        assert fund["accounts"]["award"] == 2000000 + 300000 * len(want_pupils)
        assert fund["accounts"]["scholarship"] == 1000000
        assert cashier.call("GET", "/api/v1/fund-check").body == {"ok": True, "problems": []}
        # the pupil received it: their history says so
        h = cashier.call("GET", f"/api/v1/fund-beneficiaries/{poor.body['id']}").body
        assert h["total_received"] == 1000000, h

        # paid once; a paid batch cannot be cancelled
        before = dump(db)
        r = cashier.call("POST", f"/api/v1/fund-batches/{bid}/pay", {"date": "2025-12-21"})
        assert r.status == 422 and "paid already" in r.body["error"]["message"], r
        r = admin.call("POST", f"/api/v1/fund-batches/{bid}/cancel", {"reason": "Nhầm"})
        assert r.status == 422, r
        assert dump(db) == before
        # nobody is left to propose for the year
        r = cashier.call("POST", f"{path}/{programme}/run", {"year": YEAR})
        assert r.status == 422 and r.body["problems"][0]["field"] == "year", r
        assert cashier.call("GET", "/api/v1/fund-batches/123").status == 404

    actions = [a for (a,) in query(db, "SELECT action FROM audit WHERE seq > ? AND (action LIKE "
                                   "'fund.batch.%' OR action LIKE 'fund.programme.%') ORDER BY seq",
                                   seq)]
    assert actions == ["fund.programme.create", "fund.batch.propose", "fund.batch.propose",
                       "fund.batch.approve", "fund.batch.pay"], actions
    after = query(db, "SELECT after_json, unit_code, actor FROM audit WHERE seq > ? AND action = "
                  "'fund.batch.pay'", seq)[0]
    assert after[1] == commune and after[2] == users["treasurer"], after
    assert all(f'"{e}"' in after[0] or e in after[0] for e in entry_ids), after[0]
    added = query(db, "SELECT COUNT(*) FROM audit WHERE seq > ? AND action = "
                  "'fund.beneficiary.add'", seq)[0][0]
    assert added == 2 + len(want_pupils), added
