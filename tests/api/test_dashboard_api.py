"""The dashboard API (docs/dashboard.md): a unit's rates against a chosen target set, its children
ranked, the units furthest behind, the trend with predecessors' combined figures, the QĐ 677
measures; a saved record and a decision show at once."""
import shutil
import urllib.parse

from harness import Client, Server, add_user, get, query, unique

YEAR = 2025
FAMILY = "gia-dinh-hoc-tap"
PASSWORD = "Hoc-tap-suot-doi-2026"


def q(path, **params):
    return path + "?" + urllib.parse.urlencode(params)


def dash(base, **params):
    return get(base + q("/api/v1/dashboard", **params))[2]


def title(d, key):
    return next(t for t in d["titles"] if t["key"] == key)


def close(a, b):
    return a is None and b is None or a is not None and b is not None and abs(a - b) < 1e-6


def check_figure(f, target=None):
    """Rates are the counts' ratios; the gap is the target less the rate."""
    e = f["eligible"]
    assert close(f["registered_rate"], f["registered"] / e if e else None), f
    assert close(f["meets_rate"], f["meets"] / e if e else None), f
    assert close(f["recognised_rate"], f["recognised"] / e if e else None), f
    assert close(f["rate"], f["meets_rate"]), f  # basis evaluation
    if target is not None:
        assert close(f["target"], target), f
    assert close(f["gap"], f["target"] - f["rate"]
                 if f["target"] is not None and f["rate"] is not None else None), f


def test_the_city_dashboard_adds_up_and_is_judged_against_the_chosen_targets(ctx):
    base = ctx.server_url()
    d = dash(base, year=YEAR, targets="qd-387")
    assert d["unit"]["code"] == "31" and d["targets"] == "qd-387" and d["basis"] == "evaluation"
    assert d["years"] == [2022, 2023, 2024, 2025]
    ev = get(base + q("/api/v1/evaluation", year=YEAR))[2]
    ev_titles = {t["key"]: t for t in ev["titles"]}
    for t in d["titles"]:
        f = t["figure"]
        # the same counts as the evaluation's rollup (one engine)
        e = ev_titles[t["key"]]
        assert (f["eligible"], f["registered"], f["meets"]) == \
            (e["eligible"], e["registered"], e["recognised"]), t["key"]
        check_figure(f)
        # the children add up to the city (learning units the city itself manages lie in no
        # commune), and are ranked best first
        if t["children"]:
            for k in ("eligible", "registered", "meets", "recognised"):
                total = sum(c["figure"][k] for c in t["children"])
                assert total == f[k] or t["entity"] == "organisation" and total <= f[k], \
                    (t["key"], k)
            rates = [c["figure"]["rate"] for c in t["children"] if c["figure"]["rate"] is not None]
            assert rates == sorted(rates, reverse=True), t["key"]
        for c in t["children"] + t["behind"]:
            check_figure(c["figure"])
    fam = title(d, FAMILY)
    assert fam["figure"]["target"] == 0.7 and fam["figure"]["target_set"] == "qd-387"
    assert fam["figure"]["target_year"] == 2025
    # the furthest behind: communes (no districts after the reform), the largest gap first
    behind = fam["behind"]
    assert 0 < len(behind) <= 10
    gaps = [b["figure"]["gap"] for b in behind]
    assert gaps == sorted(gaps, reverse=True), gaps
    communes = {c["code"] for c in d["children"]}
    assert all(b["code"] in communes for b in behind)
    worst = max(fam["children"], key=lambda c: c["figure"]["gap"])
    assert behind[0]["figure"]["gap"] == worst["figure"]["gap"]
    assert behind[0]["parent_name"] == d["unit"]["name"]
    # another set: QĐ 281's targets stop at 2020, so its last milestone applies
    d281 = dash(base, year=YEAR, targets="qd-281")
    f281 = title(d281, FAMILY)["figure"]
    assert f281["target_set"] == "qd-281" and f281["target_year"] == 2020
    assert f281["eligible"] == fam["figure"]["eligible"]


def test_before_the_reform_the_city_lists_districts_and_lags_are_communes(ctx):
    base = ctx.server_url()
    d = dash(base, year=2023, targets="qd-387")
    kinds = {c["kind"] for c in d["children"]}
    assert kinds <= {"quan", "huyen", "thi-xa", "thanh-pho"}, kinds
    fam = title(d, FAMILY)
    districts = {c["name"] for c in d["children"]}
    assert fam["behind"] and all(b["parent_name"] in districts for b in fam["behind"])
    assert all(b["kind"] in ("xa", "phuong", "thi-tran") for b in fam["behind"])


def test_a_merged_commune_shows_its_predecessors_combined_before_it_existed(ctx):
    base = ctx.server_url()
    db = ctx.demo_db()
    # a commune of 2025 made from two or more communes of 2024
    code, n = query(db, "SELECT new_code, COUNT(DISTINCT old_code) FROM unit_changes c JOIN "
                    "units u ON u.code = c.new_code AND u.valid_to IS NULL JOIN unit_kinds k ON "
                    "k.key = u.kind AND k.level_key = 'commune' WHERE c.old_code <> c.new_code GROUP BY new_code HAVING "
                    "COUNT(DISTINCT old_code) >= 2 ORDER BY new_code LIMIT 1")[0]
    d = dash(base, year=YEAR, unit=code, targets="qd-387")
    trend = title(d, FAMILY)["trend"]
    assert [p["year"] for p in trend] == [2022, 2023, 2024, 2025]
    assert trend[-1]["figure"] == title(d, FAMILY)["figure"] and not trend[-1]["combined"]
    p2023 = trend[1]
    assert p2023["available"] and p2023["combined"] and len(p2023["from"]) == n, p2023
    # the combined figure is the sum of the predecessors' own dashboards of 2023
    sums = {"eligible": 0, "registered": 0, "meets": 0, "recognised": 0}
    for old in p2023["from"]:
        f = title(dash(base, year=2023, unit=old["code"], targets="qd-387"), FAMILY)["figure"]
        for k in sums:
            sums[k] += f[k]
    for k in sums:
        assert p2023["figure"][k] == sums[k], (k, p2023, sums)
    check_figure(p2023["figure"], target=0.7)


def test_the_qd_677_measures_count_learning_citizens_and_their_digital_skills(ctx):
    base = ctx.server_url()
    d = dash(base, year=YEAR, targets="qd-387")
    m = {x["key"]: x for x in d["measures"]}
    assert set(m) == {"cong-dan-hoc-tap-nguoi-lon", "cong-dan-hoc-tap-don-vi", "ky-nang-so",
                      "ky-nang-so-thanh-thao"}
    citizens = title(d, "cong-dan-hoc-tap")["figure"]
    # digital skills are counted among the learning citizens, proficiency among the skilled
    assert m["ky-nang-so"]["denominator"] == citizens["meets"]
    assert m["ky-nang-so-thanh-thao"]["denominator"] == m["ky-nang-so"]["numerator"]
    assert m["cong-dan-hoc-tap-nguoi-lon"]["denominator"] <= citizens["eligible"]
    for x in m.values():
        assert 0 <= x["numerator"] <= x["denominator"], x
        assert close(x["rate"], x["numerator"] / x["denominator"] if x["denominator"] else None)
        # QĐ 387 has no such measures: QĐ 677's own targets still apply
        assert x["target_set"] == "qd-677" and x["target_year"] == 2025, x
    assert m["ky-nang-so"]["target"] == 0.7 and m["cong-dan-hoc-tap-nguoi-lon"]["target"] == 0.4


def test_bad_parameters_are_named(ctx):
    base = ctx.server_url()
    for params, status, field in (({"year": YEAR, "basis": "x"}, 400, "basis"),
                                  ({"year": YEAR, "targets": "qd-999"}, 400, "targets"),
                                  ({"year": 2019}, 400, "year"),
                                  ({"year": YEAR, "unit": "nope"}, 404, "unit")):
        body = get(base + q("/api/v1/dashboard", **params), expect=status)[2]
        assert body["error"]["parameter"] == field, body
        assert body["error"]["message_vi"], body


def test_a_saved_record_and_a_decision_show_on_the_dashboard_at_once(ctx):
    db = ctx.path("dashboard-live.db")
    shutil.copy(ctx.demo_db(), db)
    commune = query(db, "SELECT u.parent_code FROM records r JOIN units u ON u.code = r.place AND "
                    "u.valid_to IS NULL WHERE r.title = ? AND r.year = ? AND r.stage = 'open' "
                    "GROUP BY u.parent_code ORDER BY COUNT(*) DESC LIMIT 1", FAMILY, YEAR)[0][0]
    users = {}
    for role in ("data-entry", "reviewer", "approver"):
        users[role] = unique("dash-" + role)
        add_user(ctx, db, users[role], role, commune, PASSWORD)
    with Server(ctx, db) as srv:
        cl = {}
        for role, name in users.items():
            cl[role] = Client(srv.url)
            cl[role].login(name, PASSWORD)
        entry = cl["data-entry"]

        def fig(basis="evaluation"):
            r = entry.call("GET", q("/api/v1/dashboard", year=YEAR, unit=commune, basis=basis))
            assert r.status == 200, r
            return title(r.body, FAMILY)["figure"]

        before = fig()
        # an unchanged dashboard revalidates to a 304 without a body
        url = q("/api/v1/dashboard", year=YEAR, unit=commune)
        first = entry.call("GET", url)
        tag = first.headers["ETag"]
        assert tag.startswith('W/"') and "no-cache" in first.headers["Cache-Control"], first
        again = entry.call("GET", url, headers={"If-None-Match": tag})
        assert again.status == 304 and again.raw == b"", again
        other = entry.call("GET", q("/api/v1/dashboard", year=YEAR, unit=commune,
                                    targets="qd-387"), headers={"If-None-Match": tag})
        assert other.status == 200 and other.headers["ETag"] != tag
        # open households that meet the criteria now
        rows = entry.call("GET", q("/api/v1/results", year=YEAR, title=FAMILY, unit=commune,
                                   recognised="yes", limit=500)).body["entities"]
        open_ones = [row["code"] for row in rows if entry.call(
            "GET", q("/api/v1/record", title=FAMILY, year=YEAR, code=row["code"])
        ).body["stage"] == "open"]
        assert len(open_ones) >= 2, open_ones
        # one saved with two items failed: it no longer meets them, at once
        worse = {"values": {"C1c": "không", "C3a": "không", "C4a": "không"}}
        hh = next(h for h in open_ones[1:] if not entry.call(
            "POST", q("/api/v1/record/preview", title=FAMILY, year=YEAR, code=h),
            worse).body["results"]["recognised"])
        r = entry.call("PUT", q("/api/v1/record", title=FAMILY, year=YEAR, code=hh), worse)
        assert r.status == 200, r
        after = fig()
        assert after["meets"] == before["meets"] - 1, (before, after)
        changed = entry.call("GET", url, headers={"If-None-Match": tag})
        assert changed.status == 200 and changed.headers["ETag"] != tag, "a saved record changes it"
        assert after["eligible"] == before["eligible"]
        hh = open_ones[0]

        # through the workflow to a decision: the decision basis counts it
        assert fig("decision")["recognised"] == before["recognised"]
        assert entry.call("POST", q("/api/v1/record/submit", title=FAMILY, year=YEAR, code=hh),
                          {}).status == 200
        assert cl["reviewer"].call("POST", q("/api/v1/record/accept", title=FAMILY, year=YEAR,
                                             code=hh), {}).status == 200
        r = cl["approver"].call("POST", "/api/v1/decisions",
                                {"title": FAMILY, "year": YEAR, "unit": commune,
                                 "number": "7/QĐ-UBND", "signed_on": "2026-01-15",
                                 "signer_name": "Trần Văn Bình", "entities": [hh]})
        assert r.status == 201, r
        dec = fig("decision")
        assert dec["recognised"] == before["recognised"] + 1, dec
        assert close(dec["rate"], dec["recognised"] / dec["eligible"])
        # the list behind the figure: decided=yes lists it
        r = entry.call("GET", q("/api/v1/results", year=YEAR, title=FAMILY, unit=commune,
                                decided="yes", limit=500))
        assert hh in [x["code"] for x in r.body["entities"]] and r.body["total"] == dec["recognised"]
        # unlocking revokes the certificate: no longer held
        r = cl["approver"].call("POST", q("/api/v1/record/unlock", title=FAMILY, year=YEAR,
                                          code=hh), {"reason": "Xét lại hồ sơ"})
        assert r.status == 200, r
        assert fig("decision")["recognised"] == before["recognised"]
