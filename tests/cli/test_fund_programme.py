"""hoctap fund programme from the command line (docs/funds.md, "Award programmes"): a commune's
programme on a copy of the demo proposes its pupils with good results from the registry and its
beneficiaries, one decision approves the batch, one payment posts it; every refusal prints each
problem (rules with their file, line and column) and writes nothing."""
import json
import shutil

from harness import dump, query

YEAR = 2025

RULES = """# Khen thưởng học sinh của xã
rule national 2.000.000 award "Học sinh đạt giải quốc gia"
  when achievement national-prize international-prize
rule pupil 200.000 award "Học sinh giỏi"
  from registry
  when in-school
  when result tot
  when age 6..18
"""


def fund(ctx, db, *args):
    return ctx.run("fund", *args, "--db", db)


def pupils_by_commune(db):
    """The registry's answer to the rule `pupil`, computed here from the tables: persons of
    each commune's villages in YEAR, at school, result tot, aged 6 to 18 (id -> name)."""
    rows = query(db, "SELECT v.parent_code, p.id, p.full_name FROM person_years py JOIN persons "
                 "p ON p.prov = py.prov AND p.id = py.person_id JOIN household_places hp ON "
                 "hp.prov = p.prov AND hp.household_id = p.household_id AND hp.from_year = (SELECT "
                 "MAX(h2.from_year) FROM household_places h2 WHERE h2.prov = p.prov AND "
                 "h2.household_id = p.household_id AND h2.from_year <= ?) JOIN units v ON v.prov = "
                 "hp.prov AND v.code = hp.village_code AND v.valid_to IS NULL WHERE py.prov = 31 "
                 "AND py.year = ? AND py.in_school = 1 AND py.school_result = 'tot' AND ? - "
                 "p.birth_year BETWEEN 6 AND 18", YEAR, YEAR, YEAR)
    out = {}
    for commune, pid, name in rows:
        out.setdefault(commune, {})[str(pid)] = name
    return out


def test_a_programme_from_rules_to_payment(ctx):
    db = ctx.path("programme-cli.db")
    shutil.copy(ctx.demo_db(), db)
    by_commune = pupils_by_commune(db)
    commune = max(by_commune, key=lambda c: (len(by_commune[c]), c))
    want = by_commune[commune]
    code = "KH-" + commune
    assert fund(ctx, db, "create", code, "--name", "Quỹ khuyến học xã", "--owner-kind", "unit",
                "--owner", commune).code == 0
    total = 200000 * len(want)
    # enough for the pupils and 500.000 đ more, not for the prize as well
    assert fund(ctx, db, "receipt", code, "--amount", str(total + 500000), "--date",
                "2025-09-10").code == 0
    prize = fund(ctx, db, "beneficiary", "add", "--name", "Phạm Minh Khôi", "--unit", commune,
                 "--birth-year", "2010", "--achievements", "excellent|national-prize")
    assert prize.code == 0, prize
    outside = fund(ctx, db, "beneficiary", "add", "--name", "Ngoài Xã", "--unit", "31",
                   "--achievements", "national-prize")
    assert outside.code == 0, outside

    # rules with mistakes: each named with the file, its line and column; nothing written
    bad = ctx.path("bad-rules.txt")
    with open(bad, "w", encoding="utf-8") as f:
        f.write('rule national 2.000.000 prize "Giải"\n  when achievement gold\n'
                'rule pupil 200000 award "Giỏi"\n  from registry\n  when grade 6..9\n')
    before = dump(db)
    r = fund(ctx, db, "programme", "add", "HSG", "--fund", code, "--name", "Khen thưởng",
             "--rules", bad)
    assert r.code == 1, r
    assert f"{bad}:1:25: expected the category" in r.err, r.err
    assert f"{bad}:2:20: unknown achievement 'gold'" in r.err, r.err
    assert f"{bad}:5:1: the rule pupil takes persons from the registry" in r.err, r.err
    assert "3 problem(s); nothing was written" in r.err, r.err
    assert dump(db) == before

    rules = ctx.path("rules.txt")
    with open(rules, "w", encoding="utf-8") as f:
        f.write(RULES)
    r = fund(ctx, db, "programme", "add", "HSG", "--fund", code, "--name",
             "Khen thưởng học sinh", "--rules", rules)
    assert r.code == 0, r

    # the proposal: the prize winner of the commune first, then its pupils, each once
    r = fund(ctx, db, "programme", "run", "HSG", "--year", str(YEAR), "--format", "json")
    assert r.code == 0, r
    batch = json.loads(r.out)
    items = batch["items"]
    assert batch["state"] == "proposed" and batch["year"] == YEAR
    assert items[0]["name"] == "Phạm Minh Khôi" and items[0]["rule"] == "national"
    assert items[0]["beneficiary"] == prize.out.strip() and items[0]["amount"] == 2000000
    got = {i["person"]: i["name"] for i in items[1:]}
    assert got == want, (got, want)
    assert all(i["rule"] == "pupil" and i["amount"] == 200000 and i["beneficiary"] is None
               for i in items[1:]), items
    assert batch["total"] == 2000000 + 200000 * len(want) and batch["count"] == len(items)
    # the registry persons are not beneficiaries until the batch is approved
    assert query(db, "SELECT COUNT(*) FROM fund_beneficiaries")[0][0] == 2

    # approval by one decision, leaving the prize winner out
    r = fund(ctx, db, "programme", "approve", batch["id"], "--number", "15/QĐ-KH", "--date",
             "2025-12-15", "--signer", "Nguyễn Văn Tâm", "--drop", "1")
    assert r.code == 0 and f"{len(want)} award(s)" in r.out, r
    assert query(db, "SELECT COUNT(*) FROM fund_beneficiaries")[0][0] == 2 + len(want)

    # a payment before the decision, a usage error: refused, nothing written
    before = dump(db)
    r = fund(ctx, db, "programme", "pay", batch["id"], "--date", "2025-12-01")
    assert r.code == 1 and "before the decision (2025-12-15)" in r.err, r
    r = fund(ctx, db, "programme", "approve", "abc")
    assert r.code == 2, r
    assert dump(db) == before

    r = fund(ctx, db, "programme", "pay", batch["id"], "--date", "2025-12-20")
    assert r.code == 0 and f"{len(want)} entries" in r.out, r
    paid = query(db, "SELECT COUNT(*), SUM(amount) FROM fund_entries WHERE batch_id = ? AND "
                 "kind = 'disbursement' AND decision = '15/QĐ-KH'", int(batch["id"]))[0]
    assert paid == (len(want), total), paid
    shown = json.loads(fund(ctx, db, "show", code, "--format", "json").out)
    assert shown["balance"] == 500000, shown["balance"]
    # paid once
    r = fund(ctx, db, "programme", "pay", batch["id"], "--date", "2025-12-20")
    assert r.code == 1 and "paid already" in r.err, r
    assert fund(ctx, db, "check").code == 0

    # the next run proposes only the prize winner; the fund cannot pay 2.000.000 đ
    r = fund(ctx, db, "programme", "run", "HSG", "--year", str(YEAR), "--format", "json")
    again = json.loads(r.out)
    assert [i["name"] for i in again["items"]] == ["Phạm Minh Khôi"], again["items"]
    assert fund(ctx, db, "programme", "approve", again["id"], "--number", "16/QĐ-KH", "--date",
                "2025-12-16", "--signer", "Nguyễn Văn Tâm").code == 0
    before = dump(db)
    r = fund(ctx, db, "programme", "pay", again["id"], "--date", "2025-12-21")
    assert r.code == 1, r
    assert "has 500.000 đ in cash" in r.err and "needs 2.000.000 đ" in r.err, r.err
    assert dump(db) == before
    r = fund(ctx, db, "programme", "cancel", again["id"], "--reason", "Chưa đủ quỹ")
    assert r.code == 0, r
    actions = [a for (a,) in query(db, "SELECT action FROM audit WHERE action LIKE 'fund.batch.%' "
                                   "OR action = 'fund.programme.create' ORDER BY seq")]
    assert actions == ["fund.programme.create", "fund.batch.propose", "fund.batch.approve",
                       "fund.batch.pay", "fund.batch.propose", "fund.batch.approve",
                       "fund.batch.cancel"], actions
