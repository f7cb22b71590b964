"""The study-promotion fund API (docs/funds.md): a commune's treasurer records donations and pays a
registry student; overspending, double reversals and closed periods are refused with the reason
and change nothing; the books balance. A private server on a copy of the demo."""
import shutil

from harness import Client, Server, add_user, dump, query, unique

PASSWORD = "Hoc-tap-suot-doi-2026"


def setup(ctx, name):
    db = ctx.path(name)
    shutil.copy(ctx.demo_db(), db)
    commune = query(db, "SELECT u.code FROM units u JOIN unit_kinds k ON k.key = u.kind AND "
                    "k.level_key = 'commune' WHERE u.valid_to IS NULL ORDER BY u.code LIMIT 1")[0][0]
    users = {}
    for role in ("treasurer", "admin", "viewer"):
        users[role] = unique("fund-" + role)
        add_user(ctx, db, users[role], role, commune, PASSWORD)
    return db, commune, users


def login(srv, name):
    c = Client(srv.url)
    c.login(name, PASSWORD)
    return c


def test_a_treasurer_records_donations_and_pays_a_student(ctx):
    db, commune, users = setup(ctx, "funds.db")
    # a pupil of the commune from the registry
    person, pupil = query(db, "SELECT p.id, p.full_name FROM persons p JOIN household_places hp "
                          "ON hp.household_id = p.household_id JOIN units v ON v.code = "
                          "hp.village_code AND v.valid_to IS NULL WHERE v.parent_code = ? AND "
                          "p.birth_year >= 2010 ORDER BY p.id LIMIT 1", commune)[0]
    seq = query(db, "SELECT COALESCE(MAX(seq), 0) FROM audit")[0][0]
    with Server(ctx, db) as srv:
        admin, cashier, viewer = (login(srv, users[r]) for r in ("admin", "treasurer", "viewer"))
        code = "KH-" + commune
        # a treasurer may not create a fund; the association's administrator does
        assert cashier.call("POST", "/api/v1/funds", {"code": code}).status == 403
        r = admin.call("POST", "/api/v1/funds", {"code": code, "name": "Quỹ khuyến học xã",
                                                  "owner_kind": "unit", "owner_code": commune})
        assert r.status == 201 and r.body["balance"] == 0, r
        # a viewer does not see funds at all
        assert viewer.call("GET", f"/api/v1/funds/{code}").status == 403

        donor = cashier.call("POST", "/api/v1/fund-donors",
                             {"kind": "enterprise", "name": "Công ty TNHH Sao Biển"}).body["id"]
        r = cashier.call("POST", f"/api/v1/funds/{code}/entries",
                         {"kind": "receipt", "date": "2025-09-10", "amount": "1.500.000",
                          "donor": donor, "campaign": "Tháng Khuyến học 2025", "method": "bank"})
        assert r.status == 201 and r.body["amount"] == 1500000 and r.body["balance"] == 1500000, r
        assert r.body["number"] == "PT-2025-0001" and r.body["donor_name"] == "Công ty TNHH Sao Biển"
        r = cashier.call("POST", f"/api/v1/funds/{code}/entries",
                         {"kind": "receipt", "date": "2025-09-11", "amount": 500000})
        assert r.status == 201 and r.body["method"] == "cash", r

        ben = cashier.call("POST", "/api/v1/fund-beneficiaries",
                           {"person_id": str(person), "school": "THCS thử", "grade": "8",
                            "circumstances": "poor", "achievements": "excellent"})
        assert ben.status == 201 and ben.body["name"] == pupil, ben
        again = cashier.call("POST", "/api/v1/fund-beneficiaries", {"person_id": str(person)})
        assert again.body["id"] == ben.body["id"], "a person is one beneficiary"
        bid = ben.body["id"]

        # more than the bank account holds: refused with the balance, nothing written
        before = dump(db)
        pay = {"kind": "disbursement", "date": "2025-09-20", "amount": 2000000, "method": "bank",
               "beneficiary": bid, "category": "scholarship", "memo": "Học bổng vượt khó"}
        r = cashier.call("POST", f"/api/v1/funds/{code}/entries", pay)
        assert r.status == 422, r
        p = next(x for x in r.body["problems"] if x["field"] == "amount")
        assert "1.500.000 đ" in p["msg_vi"] and "2.000.000 đ" in p["msg_vi"], p
        assert dump(db) == before
        # a fraction of a đồng, an unknown category: every problem named
        r = cashier.call("POST", f"/api/v1/funds/{code}/entries",
                         dict(pay, amount=1000.5, category="tiền thưởng"))
        assert r.status == 422, r
        assert {"amount", "category"} <= {x["field"] for x in r.body["problems"]}, r.body
        assert dump(db) == before

        pay["amount"] = 1000000
        r = cashier.call("POST", f"/api/v1/funds/{code}/entries", pay)
        assert r.status == 201 and r.body["balance"] == 1000000 and r.body["number"] == "PC-2025-0001"
        paid = r.body["id"]
        # a correction: the reversal nets it to zero, once
        r = cashier.call("POST", f"/api/v1/fund-entries/{paid}/reverse",
                         {"date": "2025-09-21", "reason": "Trùng danh sách"})
        assert r.status == 201 and r.body["reverses"] == paid, r
        r = cashier.call("POST", f"/api/v1/fund-entries/{paid}/reverse",
                         {"date": "2025-09-21", "reason": "Lần nữa"})
        assert r.status == 422, r
        # paid again after the reversal (on the 20th the bank held only 500.000 đ more)
        assert cashier.call("POST", f"/api/v1/funds/{code}/entries", pay).status == 422
        pay["date"] = "2025-09-22"
        assert cashier.call("POST", f"/api/v1/funds/{code}/entries", pay).status == 201

        # the beneficiary's history: paid, reversed, paid again: 1.000.000 đ in all
        h = cashier.call("GET", f"/api/v1/fund-beneficiaries/{bid}").body
        assert [e["kind"] for e in h["history"]] == ["disbursement", "reversal", "disbursement"]
        assert h["total_received"] == 1000000, h

        # the fund: balances per account are the sums of the entries
        f = cashier.call("GET", f"/api/v1/funds/{code}").body
        assert f["balance"] == 1000000 and len(f["entries"]) == 5, f
        acc = f["accounts"]
        assert acc["bank"] == 500000 and acc["cash"] == 500000 and acc["donation"] == -2000000
        assert acc["scholarship"] == 1000000
        assert sum(acc.values()) == 0, acc  # debits equal credits
        assert cashier.call("GET", "/api/v1/fund-check").body == {"ok": True, "problems": []}

        # whether the public page names minors: a setting of the fund (funds.approve)
        assert cashier.call("PUT", f"/api/v1/funds/{code}/settings",
                            {"public_minor_names": True}).status == 403
        r = admin.call("PUT", f"/api/v1/funds/{code}/settings", {"public_minor_names": True})
        assert r.status == 200 and r.body["public_minor_names"] is True, r
        assert admin.call("PUT", f"/api/v1/funds/{code}/settings",
                          {"public_minor_names": "có"}).status == 400
        # closing the books refuses entries dated inside the period; only funds.approve may
        assert cashier.call("POST", f"/api/v1/funds/{code}/close",
                            {"through": "2025-09-30"}).status == 403
        r = admin.call("POST", f"/api/v1/funds/{code}/close", {"through": "2025-09-30"})
        assert r.status == 200 and r.body["closed_through"] == "2025-09-30", r
        r = cashier.call("POST", f"/api/v1/funds/{code}/entries",
                         {"kind": "receipt", "date": "2025-09-30", "amount": 100000})
        assert r.status == 422 and r.body["problems"][0]["field"] == "date", r
        assert "2025-09-30" in r.body["problems"][0]["msg_vi"]

    actions = [a for (a,) in query(db, "SELECT action FROM audit WHERE seq > ? AND action LIKE "
                                   "'fund.%' ORDER BY seq", seq)]
    assert actions == ["fund.create", "fund.donor.add", "fund.receipt", "fund.receipt",
                       "fund.beneficiary.add", "fund.disbursement", "fund.reversal",
                       "fund.disbursement", "fund.settings", "fund.close"], actions
