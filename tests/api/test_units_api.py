"""The JSON API against a real server on a loopback port with demo data."""
import json
import urllib.parse

from harness import get, query, request


def units(ctx, date, parent=None):
    q = {"date": date}
    if parent:
        q["parent"] = parent
    _, _, body = get(ctx.server_url() + "/api/v1/units?" + urllib.parse.urlencode(q))
    return body


def test_meta(ctx):
    _, headers, body = get(ctx.server_url() + "/api/v1/meta")
    assert body["name"] == "hoctap" and body["demo"] is True
    assert len(body["today"]) == 10
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cache-Control"] == "no-store"


def test_roots_and_reform(ctx):
    before = units(ctx, "2024-06-30")
    assert sorted(u["code"] for u in before["units"]) == ["30", "31"]
    hp = next(u for u in before["units"] if u["code"] == "31")
    assert hp["child_count"] == 15
    after = units(ctx, "2025-07-01")
    assert [u["code"] for u in after["units"]] == ["31"]
    communes = units(ctx, "2025-07-01", "31")["units"]
    assert len(communes) == 114
    assert all(u["parent_code"] == "31" and u["level"] == "commune" for u in communes)


def test_counts_add_up_and_match_the_database(ctx):
    db = ctx.demo_db()
    for date in ("2022-06-30", "2024-06-30", "2025-12-31"):
        roots = units(ctx, date)["units"]
        year = int(date[:4])
        # every household open that year, counted once somewhere in the tree
        expected = query(db, "SELECT COUNT(*) FROM households WHERE closed_year IS NULL "
                             "OR closed_year > ?", year)[0][0]
        assert sum(u["counts"]["households"] for u in roots) == expected, date
        persons = query(db, "SELECT COUNT(*) FROM person_years WHERE year = ?", year)[0][0]
        assert sum(u["counts"]["persons"] for u in roots) == persons, date
        clans = query(db, "SELECT COUNT(*) FROM clans")[0][0]
        assert sum(u["counts"]["clans"] for u in roots) == clans, date
        orgs = query(db, "SELECT COUNT(*) FROM organisations")[0][0]
        assert sum(u["counts"]["organisations"] for u in roots) == orgs, date
        # a parent's counts are the sum of its children's (plus what it manages itself)
        for root in roots:
            kids = units(ctx, date, root["code"])["units"]
            for key in ("households", "persons", "clans"):
                assert sum(k["counts"][key] for k in kids) == root["counts"][key], (date, key)


def test_unit_detail_with_ancestors_and_history(ctx):
    communes = units(ctx, "2024-06-30", "303")["units"]
    commune = communes[0]
    villages = units(ctx, "2024-06-30", commune["code"])["units"]
    village = villages[0]["code"]
    _, _, body = get(ctx.server_url() + f"/api/v1/units/{village}?date=2024-06-30")
    assert [a["code"] for a in body["ancestors"]] == ["31", "303", commune["code"]]
    assert body["unit"]["counts"]["households"] == villages[0]["counts"]["households"]
    _, _, body = get(ctx.server_url() + f"/api/v1/units/{commune['code']}?date=2024-06-30")
    assert body["successors"] and body["successors"][0]["date"] in ("2025-01-01", "2025-07-01")
    _, _, hist = get(ctx.server_url() + f"/api/v1/units/{village}/history")
    assert len(hist["versions"]) >= 2, hist
    assert hist["versions"][-1]["valid_from"] == "2025-07-01"


def test_errors_are_clear(ctx):
    base = ctx.server_url()
    _, _, body = get(base + "/api/v1/units?date=30-06-2024", expect=400)
    assert body["error"]["parameter"] == "date" and "YYYY-MM-DD" in body["error"]["message"]
    assert "ngày" in body["error"]["message_vi"]
    _, _, body = get(base + "/api/v1/units/NOPE?date=2024-06-30", expect=404)
    assert body["error"]["code"] == "unit_not_found"
    _, _, body = get(base + "/api/v1/units/303?date=2025-07-01", expect=404)
    assert body["error"]["code"] == "not_valid_on_date"
    _, _, body = get(base + "/api/v1/units?date=2025-07-01&parent=303", expect=404)
    assert body["error"]["parameter"] == "parent"
    get(base + "/api/v1/nothing-here", expect=404)
    status, headers, _ = request("POST", base + "/api/v1/units", data=b"{}")
    assert status == 405 and "GET" in headers["Allow"]
    status, _, _ = request("POST", base + "/api/v1/units", data=b"x" * (2 * 1024 * 1024))
    assert status == 413


def test_front_end_is_served(ctx):
    base = ctx.server_url()
    _, headers, body = get(base + "/")
    assert headers["Content-Type"].startswith("text/html")
    assert "<script" in body.decode() and 'lang="vi"' in body.decode()
    _, _, body = get(base + "/index.html")
    src = body.decode().split('src="')[1].split('"')[0].lstrip(".")
    _, headers, _ = get(base + src)
    assert headers["Content-Type"].startswith("text/javascript")
    assert "immutable" in headers["Cache-Control"]
    get(base + "/no-such-file.js", expect=404)


def test_request_log(ctx):
    get(ctx.server_url() + "/api/v1/meta?probe=log")
    log = ctx.server_log()
    assert "GET /api/v1/meta 200" in log, log[-2000:]
