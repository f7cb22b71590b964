"""The evaluation API against a real server on a loopback port with demo data."""
import json
import urllib.error
import urllib.parse

import urllib.request


def api(ctx, path, **q):
    url = ctx.server_url() + path + "?" + urllib.parse.urlencode(q)
    try:
        with urllib.request.urlopen(url, timeout=60) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_evaluation_of_the_city_and_its_communes(ctx):
    status, ev = api(ctx, "/api/v1/evaluation", year=2025)
    assert status == 200, ev
    assert ev["unit"]["code"] == "31" and ev["date"] == "2025-12-31"
    titles = {t["key"]: t for t in ev["titles"]}
    assert set(titles) >= {"gia-dinh-hoc-tap", "cong-dan-hoc-tap", "dong-ho-hoc-tap",
                           "cong-dong-hoc-tap-thon", "cong-dong-hoc-tap-xa", "don-vi-hoc-tap",
                           "tinh-hoc-tap"}, set(titles)
    fam = titles["gia-dinh-hoc-tap"]
    assert fam["name"] == "Gia đình học tập" and fam["target"] == 0.7 and fam["target_year"] == 2025
    assert len(ev["children"]) == 114
    # the children's counts add up to the city's
    for key in ("gia-dinh-hoc-tap", "cong-dan-hoc-tap"):
        assert sum(c["titles"][key]["eligible"] for c in ev["children"]) == titles[key]["eligible"]
        assert sum(c["titles"][key]["recognised"] for c in ev["children"]) == titles[key]["recognised"]
    if fam["eligible"]:
        assert abs(fam["rate"] - fam["recognised"] / fam["eligible"]) < 1e-6
        assert abs(fam["gap"] - (0.7 - fam["rate"])) < 1e-6
    # a commune: its villages
    code = ev["children"][0]["code"]
    status, sub = api(ctx, "/api/v1/evaluation", year=2025, unit=code)
    assert status == 200 and sub["ancestors"][0]["code"] == "31"
    assert all(c["kind"] in ("thon", "to-dan-pho") for c in sub["children"]), sub["children"][:2]


def test_before_the_reform_the_city_has_districts(ctx):
    status, ev = api(ctx, "/api/v1/evaluation", year=2024, unit="31")
    assert status == 200
    assert len(ev["children"]) == 15
    assert any(t["key"] == "huyen-hoc-tap" for t in ev["titles"])


def test_results_are_paginated_and_match_the_rollup(ctx):
    status, ev = api(ctx, "/api/v1/evaluation", year=2025)
    code = ev["children"][0]["code"]
    want = ev["children"][0]["titles"]["gia-dinh-hoc-tap"]
    seen, offset = [], 0
    while True:
        status, page = api(ctx, "/api/v1/results", year=2025, title="gia-dinh-hoc-tap", unit=code,
                           offset=offset, limit=20)
        assert status == 200, page
        assert page["total"] == want["eligible"]
        seen += page["entities"]
        offset += 20
        if offset >= page["total"]:
            break
    assert len(seen) == want["eligible"] and len({e["code"] for e in seen}) == len(seen)
    assert sum(e["recognised"] for e in seen) == want["recognised"]
    assert [i["key"] for i in page["title"]["items"]][:3] == ["C1a", "C1b", "C1c"]
    assert all(e["name"] for e in seen)
    status, yes = api(ctx, "/api/v1/results", year=2025, title="gia-dinh-hoc-tap", unit=code,
                      recognised="yes", limit=500)
    assert yes["total"] == want["recognised"] and all(e["recognised"] for e in yes["entities"])


def test_persons_are_keyed_and_citizen_ids_masked(ctx):
    status, ev = api(ctx, "/api/v1/evaluation", year=2025)
    code = max(ev["children"], key=lambda c: c["titles"]["cong-dan-hoc-tap"]["eligible"])["code"]
    status, page = api(ctx, "/api/v1/results", year=2025, title="cong-dan-hoc-tap", unit=code,
                       limit=200)
    assert status == 200 and page["entities"]
    assert all(e["code"].startswith("P") for e in page["entities"])
    assert all(e["age"] >= 15 for e in page["entities"])
    masked = [e["citizen_id_masked"] for e in page["entities"] if e["citizen_id_masked"]]
    assert masked and all("*" in m and len(m) == 12 for m in masked), masked[:3]
    status, ex = api(ctx, "/api/v1/explain", year=2025, title="cong-dan-hoc-tap",
                     code=page["entities"][0]["code"])
    assert status == 200 and len(ex["items"]) == 10 and ex["items"][0]["key"] == "i1"


def test_explain_lists_every_item_with_its_reason(ctx):
    status, ev = api(ctx, "/api/v1/evaluation", year=2025)
    code = ev["children"][0]["code"]
    status, page = api(ctx, "/api/v1/results", year=2025, title="gia-dinh-hoc-tap", unit=code, limit=1)
    hh = page["entities"][0]["code"]
    status, ex = api(ctx, "/api/v1/explain", year=2025, title="gia-dinh-hoc-tap", code=hh)
    assert status == 200, ex
    assert [i["key"] for i in ex["items"]] == ["C1a", "C1b", "C1c", "C2a", "C2b", "C2c", "C3a",
                                               "C3b", "C4a", "C4b"]
    c1a = ex["items"][0]
    assert c1a["rule"].startswith("every members where age between 6 and 14")
    assert "thành viên" in c1a["detail"] and c1a["status"] in ("pass", "fail")
    assert c1a["assumed"] is True and "QĐ 448" in c1a["source"]
    assert ex["recognition"].endswith("CÔNG NHẬN.")
    status, en = api(ctx, "/api/v1/explain", year=2025, title="gia-dinh-hoc-tap", code=hh, lang="en")
    assert "members" in en["items"][0]["detail"] and "RECOGNISED" in en["recognition"]


def test_errors_name_the_parameter(ctx):
    for path, q, status, param in [
        ("/api/v1/evaluation", {"year": "20x5"}, 400, "year"),
        ("/api/v1/evaluation", {"year": 2025, "unit": "99999"}, 404, "unit"),
        ("/api/v1/results", {"year": 2025}, 400, "title"),
        ("/api/v1/results", {"year": 2025, "title": "huyen-hoc-tap"}, 404, "title"),
        ("/api/v1/results", {"year": 2025, "title": "gia-dinh-hoc-tap", "limit": 0}, 400, "limit"),
        ("/api/v1/explain", {"year": 2025, "title": "gia-dinh-hoc-tap", "code": "NOPE"}, 404, "code"),
        ("/api/v1/explain", {"year": 2025, "title": "cong-dan-hoc-tap", "code": "012345678901"}, 404,
         "code"),
    ]:
        got, body = api(ctx, path, **q)
        assert got == status, (path, q, got, body)
        assert body["error"]["parameter"] == param, body
        assert body["error"]["message_vi"] and body["error"]["message"], body
