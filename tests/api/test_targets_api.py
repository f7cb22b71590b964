"""A province's own targets imported from the web (docs/targets-format.md): checked with the
shipped sets, every problem with its line, used by the evaluation at once, removable. A private
server on a copy of the demo database."""
import os
import shutil
import urllib.parse

from harness import DATA, Client, Server, add_user, query, unique

PASSWORD = "Hoc-tap-suot-doi-2026"


def test_a_province_imports_its_own_targets_from_the_web(ctx):
    db = ctx.path("targets-api.db")
    shutil.copy(ctx.demo_db(), db)
    seq = query(db, "SELECT COALESCE(MAX(seq), 0) FROM audit")[0][0]
    admin = unique("tg-admin")
    add_user(ctx, db, admin, "admin", "31", PASSWORD)
    with open(os.path.join(DATA, "targets", "hai-phong.tgt"), encoding="utf-8") as f:
        good = f.read()
    with open(os.path.join(DATA, "targets", "bad.tgt"), encoding="utf-8") as f:
        bad = f.read()
    evaluation = "/api/v1/evaluation?" + urllib.parse.urlencode({"year": 2025})

    def family_target(a):
        ev = a.call("GET", evaluation).body
        return next(t for t in ev["titles"] if t["key"] == "gia-dinh-hoc-tap")

    with Server(ctx, db) as srv:
        a = Client(srv.url)
        a.login(admin, PASSWORD)
        r = a.call("PUT", "/api/v1/targets/hai-phong", {"text": bad})
        assert r.status == 422 and len(r.body["problems"]) == 6, r
        assert r.body["problems"][0]["line"] == 4, r.body["problems"][0]
        assert a.call("GET", "/api/v1/targets").body["imported"] == []
        r = a.call("PUT", "/api/v1/targets/hai-phong", {"text": good})
        assert r.status == 200 and r.body["imported"] == ["hai-phong"], r
        assert "hp-thu" in {x["key"] for x in r.body["sets"]}
        fam = family_target(a)
        assert fam["target"] == 0.85 and fam["target_source"] == "Kế hoạch thử của Hải Phòng", fam
        r = a.call("PUT", "/api/v1/targets/bad%20name!", {"text": good})
        assert r.status == 400 and r.body["error"]["parameter"] == "name", r
        r = a.call("DELETE", "/api/v1/targets/hai-phong")
        assert r.status == 200 and r.body["imported"] == [], r
        assert family_target(a)["target"] == 0.7
        assert a.call("DELETE", "/api/v1/targets/hai-phong").status == 404
    assert query(db, "SELECT COUNT(*) FROM audit WHERE action IN ('targets.import', "
                 "'targets.remove') AND seq > ?", seq)[0][0] == 2
