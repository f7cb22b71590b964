"""Who may call what: every route of the server (hoctap routes) called by every role scoped to
one commune (A), by an administrator of the whole city and by an anonymous client, on an
object inside commune A and on one inside another commune (B). The status must be what the
route's declared permission, the role's permissions and the caller's scope predict; lists
must hold nothing from outside the caller's scope. Also CSRF, the forced password change and
attempts to act above one's scope.

Every route must have an entry in CASES: a route without one fails the test, so an endpoint
cannot be added without declaring and testing who may call it."""
import csv
import io
import json
import secrets
import urllib.parse

from harness import Client, add_user, query, query_write, unique

PASSWORD = "Hoc-tap-suot-doi-2026"
YEAR = 2025
DAY = "2025-12-31"
FAMILY = "gia-dinh-hoc-tap"
ROLES = ["viewer", "data-entry", "reviewer", "approver", "treasurer", "admin"]


class Req:
    """One request of the matrix. ok: the statuses that mean "let through" (a 400 or 404
    when the case is deliberately refused by the handler after the permission check).
    check(resp, world, side, caller) looks at an allowed answer. fresh: the request ends
    the session, so it runs in a new session of the caller. denied_check(world) runs after
    a refusal to show nothing changed."""

    def __init__(self, method, path, body=None, ok=(200,), ok_code=None, check=None,
                 fresh=False, denied_check=None):
        self.method, self.path, self.body = method, path, body
        self.ok, self.ok_code, self.check = ok, ok_code, check
        self.fresh, self.denied_check = fresh, denied_check


# ------------------------------------------------------------------ checks of allowed answers

def in_scope(world, caller, code):
    return caller.scope == "city" or code in world.subtree


def check_session(resp, world, side, caller):
    assert resp.body["user"]["username"] == caller.name and resp.body["csrf"], resp


def check_roles(resp, world, side, caller):
    keys = {r["key"] for r in resp.body["roles"]}
    assert set(ROLES) <= keys, keys
    assert len(resp.body["permissions"]) == 15, resp.body["permissions"]


def check_users(resp, world, side, caller):
    users = resp.body["users"]
    for u in users:
        assert in_scope(world, caller, u["unit"]["code"]), (caller.name, "sees", u)
    names = {u["username"] for u in users}
    victim = world.sides[side].victim
    if in_scope(world, caller, world.sides[side].commune):
        assert victim in names, (caller.name, side, names)
    else:
        assert users == [], (caller.name, "lists users of", side, names)


def check_user_created(resp, world, side, caller):
    u = resp.body["user"]
    assert u["unit"]["code"] == world.sides[side].commune and u["must_change_password"], u
    assert len(resp.body["one_time_password"]) == 14, resp.body


def check_disabled(value):
    def check(resp, world, side, caller):
        assert resp.body["user"]["disabled"] is value, resp.body

    return check


def check_reset(resp, world, side, caller):
    assert resp.body["user"]["must_change_password"] is True and resp.body["one_time_password"]


def check_audit(resp, world, side, caller):
    body = resp.body
    for e in body["entries"]:
        assert in_scope(world, caller, e["unit_code"]) or (caller.scope == "city" and
                                                             not e["unit_code"]), \
            (caller.name, "sees audit entry", e)
    if caller.scope == "city":
        assert body["total"] > 0, body
        if side == "B":
            assert all(e["unit_code"] in world.subtree_b for e in body["entries"]), body
        return
    if side == "B":
        # ?unit=B from inside A: not a row, not a count
        assert body["total"] == 0 and body["entries"] == [], body
        return
    # everything of A's subtree in the trail, and nothing else, is counted
    marks = ",".join("?" * len(world.subtree))
    want = query(world.db, f"SELECT COUNT(*) FROM audit WHERE unit_code IN ({marks})",
                 *sorted(world.subtree))[0][0]
    assert body["total"] == want and want > 0, (body["total"], want)


def check_units_list(resp, world, side, caller):
    codes = [u["code"] for u in resp.body["units"]]
    if side == "A":  # no parent: the top level the caller sees
        assert codes == (["31"] if caller.scope == "city" else [world.a]), codes
    else:
        assert set(codes) == world.sides["B"].villages, codes


def check_unit(resp, world, side, caller):
    assert resp.body["unit"]["code"] == world.sides[side].village, resp.body["unit"]
    assert [a["code"] for a in resp.body["ancestors"]][:2] == ["31", world.sides[side].commune]


def check_history(resp, world, side, caller):
    assert resp.body["versions"], resp.body


def check_household(resp, world, side, caller):
    s = world.sides[side]
    assert resp.body["code"] == s.household and resp.body["village"]["code"] in s.villages
    full = "personal.read" in caller.perms
    ids = [m for m in resp.body["members"] if m["citizen_id"]]
    assert ids, resp.body["members"]  # side() chose a household with a citizen ID
    for m in ids:
        assert m["citizen_id_masked"] is (not full) and ("*" in m["citizen_id"]) is (not full), \
            (caller.name, m)


def check_search(resp, world, side, caller):
    hits = resp.body["households"] + resp.body["persons"]
    for h in hits:
        assert in_scope(world, caller, h["village"]["code"]), (caller.name, "finds", h)
    found = {h["code"] for h in resp.body["households"]}
    if in_scope(world, caller, world.sides[side].commune):
        assert world.sides[side].household in found, (caller.name, side, resp.body)
    else:
        assert hits == [], (caller.name, "finds in", side, resp.body)


def check_evaluation(resp, world, side, caller):
    code = resp.body["unit"]["code"]
    if side == "A":  # no unit: the caller's own
        assert code == ("31" if caller.scope == "city" else world.a), code
    else:
        assert code == world.b, code
    for c in resp.body["children"]:
        assert in_scope(world, caller, c["code"]), c


def check_dashboard(resp, world, side, caller):
    check_evaluation(resp, world, side, caller)
    for t in resp.body["titles"]:
        for row in t["children"] + t["behind"]:
            assert in_scope(world, caller, row["code"]), row


def check_funds(resp, world, side, caller):
    codes = {f["code"] for f in resp.body["funds"]}
    for f in resp.body["funds"]:
        assert in_scope(world, caller, f["unit"]), (caller.name, "sees fund", f)
    assert world.sides["A"].fund in codes, codes


def check_fund_created(field):
    """Created (201) when the object lies in the caller's area; else 422 naming the field,
    in Vietnamese."""
    def check(resp, world, side, caller):
        if in_scope(world, caller, world.sides[side].commune):
            assert resp.status == 201, resp
        else:
            assert resp.status == 422, resp
            p = next(p for p in resp.body["problems"] if p["field"] == field)
            assert "ngoài địa bàn" in p["msg_vi"] and "outside your area" in p["msg_en"], p

    return check


def check_beneficiaries(resp, world, side, caller):
    for b in resp.body["beneficiaries"]:
        assert in_scope(world, caller, b["unit"]), (caller.name, "sees", b)


PROGRAMME_RULES = 'rule all 100.000 support "Hỗ trợ học sinh"\n  when birth-year 2012\n'


def check_programmes(resp, world, side, caller):
    ids = {p["id"] for p in resp.body["programmes"]}
    assert world.sides[side].programme in ids, (ids, world.sides[side].programme)


def check_batch(resp, world, side, caller):
    s = world.sides[side]
    assert resp.body["id"] == s.batch and resp.body["unit"] == s.commune, resp.body
    assert [i["name"] for i in resp.body["items"]] == ["Học Sinh Thử"], resp.body["items"]


def check_batch_proposed(resp, world, side, caller):
    assert resp.body["state"] == "proposed" and resp.body["unit"] == world.sides[side].commune
    assert [i["beneficiary"] for i in resp.body["items"]] == [world.sides[side].beneficiary]


def batch_state(batch, state):
    """After a refusal: the batch is still in state (nothing changed)."""
    def check(world):
        got = query(world.db, "SELECT state FROM fund_batches WHERE id = ?", int(batch))[0][0]
        assert got == state, (batch, got)

    return check


def batch_unpaid(batch):
    def check(world):
        assert not query(world.db, "SELECT 1 FROM fund_entries WHERE batch_id = ?", int(batch))

    return check


def check_results(resp, world, side, caller):
    s = world.sides[side]
    if side == "A" and caller.scope == "city":  # no unit: the whole city
        assert resp.body["unit"]["code"] == "31", resp.body["unit"]
        return
    assert resp.body["unit"]["code"] == s.commune and resp.body["total"] == s.eligible
    assert {e["code"] for e in resp.body["entities"]} <= s.households, resp.body["entities"][:3]


def check_results_csv(resp, world, side, caller):
    """The download: Excel-ready CSV (BOM, CRLF) of the commune's households only."""
    assert resp.headers["Content-Type"].startswith("text/csv"), resp.headers
    assert "attachment" in resp.headers["Content-Disposition"], resp.headers
    assert resp.raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in resp.raw, resp.raw[:80]
    rows = resp.raw.decode("utf-8-sig").split("\r\n")
    assert rows[0].startswith("Mã,Tên,"), rows[0]
    codes = {line.split(",")[0] for line in rows[1:] if line}
    if side == "A" and caller.scope == "city":
        return
    s = world.sides[side]
    assert codes <= s.households and len(codes) == s.eligible, (len(codes), s.eligible)


def csv_rows(resp):
    """A download's rows (BOM, CRLF checked), header first."""
    assert resp.headers["Content-Type"].startswith("text/csv"), resp.headers
    assert "attachment" in resp.headers["Content-Disposition"], resp.headers
    assert resp.raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in resp.raw, resp.raw[:80]
    return list(csv.reader(io.StringIO(resp.raw.decode("utf-8-sig"), newline="")))


def check_members_csv(resp, world, side, caller):
    """The household's members with the import's headers, every one in the household."""
    assert resp.raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in resp.raw, resp.raw[:80]
    rows = [r for r in resp.raw.decode("utf-8-sig").split("\r\n") if r]
    assert rows[0].startswith("Mã hộ,Họ và tên,Năm sinh,"), rows[0]
    assert len(rows) > 1 and all(r.startswith(world.sides[side].household + ",") for r in rows[1:])


def check_xlsx(resp, world, side, caller):
    assert resp.headers["Content-Type"].startswith("application/vnd.openxmlformats"), resp.headers
    assert resp.raw.startswith(b"PK"), "an .xlsx is a ZIP archive"


def check_evaluation_csv(resp, world, side, caller):
    """The rollup table: the unit asked for (else the caller's own) first, then children in
    the scope."""
    rows = csv_rows(resp)[1:]
    want = world.b if side == "B" else ("31" if caller.scope == "city" else world.a)
    assert rows and rows[0][0] == want, (rows[:1], want)
    for r in rows:
        assert in_scope(world, caller, r[0]) or r[0] == "31" == want, (caller.name, r)


def check_units_csv(resp, world, side, caller):
    codes = [r[0] for r in csv_rows(resp)[1:]]
    if side == "A":
        assert codes == (["31"] if caller.scope == "city" else [world.a]), codes
    else:
        assert set(codes) == world.sides["B"].villages, codes


def check_audit_csv(resp, world, side, caller):
    rows = csv_rows(resp)
    unit = rows[0].index("Mã đơn vị")
    for r in rows[1:]:
        assert in_scope(world, caller, r[unit]) or (caller.scope == "city" and not r[unit]), \
            (caller.name, "downloads audit entry", r)
    if side == "B" and caller.scope != "city":
        assert rows[1:] == [], rows[1:3]


def check_users_csv(resp, world, side, caller):
    rows = csv_rows(resp)[1:]
    units = {r[0]: r[3] for r in rows}
    for name, unit in units.items():
        assert in_scope(world, caller, unit), (caller.name, "downloads", name, unit)
    if in_scope(world, caller, world.sides[side].commune):
        assert world.sides[side].victim in units, (caller.name, side, sorted(units)[:5])
    else:
        assert rows == [], rows[:3]


def check_template_csv(resp, world, side, caller):
    """The commune's clans, prefilled into the import template (header row first)."""
    s = world.sides[side]
    assert resp.headers["Content-Type"].startswith("text/csv"), resp.headers
    assert f'mau-clans-{s.commune}-{YEAR}.csv' in resp.headers["Content-Disposition"], resp.headers
    rows = resp.raw.decode("utf-8-sig").split("\r\n")
    assert rows[0] == "Mã dòng họ,Tên dòng họ,Mã thôn/tổ dân phố", rows[0]
    codes = {line.split(",")[0] for line in rows[1:] if line}
    want = {c for c, v in query(world.db, "SELECT code, village_code FROM clans") if v in s.villages}
    assert codes == want, (side, codes, want)


def check_template_xlsx(resp, world, side, caller):
    assert resp.headers["Content-Type"].startswith("application/vnd.openxmlformats"), resp.headers
    assert resp.raw.startswith(b"PK"), "an .xlsx is a ZIP archive"


def check_explain(resp, world, side, caller):
    assert len(resp.body["items"]) == 10 and resp.body["recognition"], resp.body


def check_static(resp, world, side, caller):
    assert resp.headers["Content-Type"].startswith("text/html"), resp.headers


def user_absent(name):
    def check(world):
        assert not query(world.db, "SELECT 1 FROM users WHERE username = ?", name), name

    return check


def import_file(world, side):
    """A households file holding the side's household as the registry has it in YEAR."""
    code = world.sides[side].household
    head, village = query(world.db, "SELECT h.head_name, p.village_code FROM households h "
                          "JOIN household_places p ON p.household_id = h.id WHERE h.code = ? "
                          "AND p.from_year <= ? ORDER BY p.from_year DESC LIMIT 1", code, YEAR)[0]
    return f"household_code,head_name,village_code\n{code},{head},{village}\n".encode()


def check_import(resp, world, side, caller):
    """Rows outside the caller's area are refused row by row (422, nothing written); inside,
    the dry run finds the household unchanged."""
    if in_scope(world, caller, world.sides[side].commune):
        assert resp.status == 200 and resp.body["unchanged"] == 1, resp.body
        assert resp.body["written"] is False, resp.body  # a dry run
    else:
        assert resp.status == 422, resp
        assert "ngoài địa bàn" in resp.body["problems"][0]["message"], resp.body


def check_import_assessments(resp, world, side, caller):
    if in_scope(world, caller, world.sides[side].commune):
        assert resp.status == 200 and resp.body["rows"] == 1, resp.body
    else:
        assert resp.status == 422 and "ngoài địa bàn" in resp.body["problems"][0]["message"], \
            resp.body


def donations_file(world, side):
    """A donations file with one receipt into the side's fund (numbers never repeat: dry runs
    write nothing, but a caller may run the case twice)."""
    number = unique("MX-PT")
    return (f"Mã quỹ,Ngày thu,Số tiền (đồng),Số phiếu thu\n"
            f"{world.sides[side].fund},11/09/2025,10.000,{number}\n").encode()


def check_import_funds(resp, world, side, caller):
    """The fund of a row outside the caller's area is a problem of that row (422, in
    Vietnamese); inside, the dry run would post the receipt."""
    if in_scope(world, caller, world.sides[side].commune):
        assert resp.status == 200 and resp.body["added"] == 1, resp.body
        assert resp.body["written"] is False, resp.body
    else:
        assert resp.status == 422, resp
        p = resp.body["problems"][0]
        assert p["field"] == "fund_code" and "ngoài địa bàn" in p["message"], resp.body


def check_clans(resp, world, side, caller):
    """The clans based in the commune's villages, and only those."""
    s = world.sides[side]
    codes = {c["code"] for c in resp.body["clans"]}
    want = {c for c, v in query(world.db, "SELECT code, village_code FROM clans") if v in s.villages}
    assert codes == want, (side, sorted(codes)[:5], sorted(want)[:5])


def check_orgs(resp, world, side, caller):
    s = world.sides[side]
    admins = {o["admin"]["code"] for o in resp.body["organisations"]}
    assert admins <= {s.commune} | s.villages, admins
    assert {o["code"] for o in resp.body["organisations"]} == org_codes(world, s.commune)


def org_codes(world, commune):
    """The learning units the commune manages on DAY."""
    return {c for (c,) in query(world.db, "SELECT o.code FROM organisations o WHERE (SELECT "
                                          "p.admin_code FROM organisation_places p WHERE "
                                          "p.organisation_id = o.id AND p.valid_from <= ? ORDER BY "
                                          "p.valid_from DESC LIMIT 1) = ?", DAY, commune)}


def check_clan(resp, world, side, caller):
    assert resp.body["code"] == world.sides[side].clan, resp.body
    assert resp.body["village"]["code"] == world.sides[side].clan_village, resp.body


def check_org(resp, world, side, caller):
    assert resp.body["code"] == world.sides[side].org and resp.body["kind_name"], resp.body


def check_form_create(field):
    """A new object's unit inside the caller's area: a dry run that would write it (200);
    outside: 422 naming the field, in Vietnamese, nothing written."""
    def check(resp, world, side, caller):
        where = world.sides[side].commune
        if in_scope(world, caller, where):
            assert resp.status == 200 and resp.body["dry_run"] and resp.body["changed"], resp
        else:
            assert resp.status == 422, resp
            p = next(p for p in resp.body["problems"] if p["field"] == field)
            assert "ngoài địa bàn" in p["msg_vi"] and "outside your area" in p["msg_en"], p

    return check


def check_form_unchanged(resp, world, side, caller):
    """The stored object sent back as it is: a dry run that changes nothing."""
    assert resp.status == 200 and resp.body["dry_run"] and resp.body["changed"] is False, resp


def household_body(world, side):
    """The side's household as it is stored (PUT sends it back unchanged)."""
    code = world.sides[side].household
    head, address, village = query(
        world.db, "SELECT h.head_name, h.address, p.village_code FROM households h JOIN "
        "household_places p ON p.household_id = h.id WHERE h.code = ? AND p.from_year <= ? "
        "ORDER BY p.from_year DESC LIMIT 1", code, YEAR)[0]
    return {"year": YEAR, "head_name": head, "address": address, "village": village}


def clan_body(world, side):
    name, village = query(world.db, "SELECT name, village_code FROM clans WHERE code = ?",
                          world.sides[side].clan)[0]
    return {"year": YEAR, "name": name, "village": village}


def org_body(world, side):
    code = world.sides[side].org
    name, kind = query(world.db, "SELECT name, kind FROM organisations WHERE code = ?", code)[0]
    return {"year": YEAR, "name": name, "kind": kind, "admin": world.sides[side].org_admin}


def create_user(world, side):
    name = unique("mx-new")
    return Req("POST", "/api/v1/users",
               {"username": name, "full_name": "Người mới", "role": "viewer",
                "unit": world.sides[side].commune},
               ok=(201,), check=check_user_created, denied_check=user_absent(name))


def q(path, **params):
    return path + "?" + urllib.parse.urlencode(params)


# ----------------------------------------------------------------------------- the cases

# (method, pattern) -> (declared access: "public", "user" or the permission keys; declared
# scope; how to call it for side "A" or "B")
CASES = {
    ("GET", "/api/v1/meta"): ("public", "none", lambda w, s: Req("GET", "/api/v1/meta")),
    ("POST", "/api/v1/session"): (
        "public", "none",
        # logging in again is open to anyone; it runs in a new session (fresh)
        lambda w, s: Req("POST", "/api/v1/session", {"username": w.probe, "password": PASSWORD},
                         fresh=True)),
    ("GET", "/api/v1/session"): (
        "user", "none", lambda w, s: Req("GET", "/api/v1/session", check=check_session)),
    ("DELETE", "/api/v1/session"): (
        "user", "none", lambda w, s: Req("DELETE", "/api/v1/session", fresh=True)),
    ("POST", "/api/v1/session/password"): (
        "user", "none",
        # the right current password and a weak new one: let through, then refused as weak
        lambda w, s: Req("POST", "/api/v1/session/password",
                         {"current_password": PASSWORD, "new_password": "short"}, ok=(400,),
                         ok_code="weak_password")),
    ("POST", "/api/v1/session/logout-all"): (
        "user", "none", lambda w, s: Req("POST", "/api/v1/session/logout-all", fresh=True)),
    ("GET", "/api/v1/me/token"): ("user", "none", lambda w, s: Req("GET", "/api/v1/me/token")),
    ("POST", "/api/v1/me/token"): (
        "user", "none", lambda w, s: Req("POST", "/api/v1/me/token", ok=(201,))),
    ("DELETE", "/api/v1/me/token"): (
        "user", "none", lambda w, s: Req("DELETE", "/api/v1/me/token")),
    ("GET", "/api/v1/roles"): (
        "users.manage", "none", lambda w, s: Req("GET", "/api/v1/roles", check=check_roles)),
    ("GET", "/api/v1/users"): (
        "users.manage", "list",
        lambda w, s: Req("GET", "/api/v1/users" if s == "A" else q("/api/v1/users", unit=w.b),
                         check=check_users)),
    ("POST", "/api/v1/users"): ("users.manage", "body-unit", create_user),
    ("POST", "/api/v1/users/{id}/disable"): (
        "users.manage", "user-path",
        lambda w, s: Req("POST", f"/api/v1/users/{w.sides[s].victim_id}/disable",
                         check=check_disabled(True))),
    ("POST", "/api/v1/users/{id}/enable"): (
        "users.manage", "user-path",
        lambda w, s: Req("POST", f"/api/v1/users/{w.sides[s].victim_id}/enable",
                         check=check_disabled(False))),
    ("POST", "/api/v1/users/{id}/reset-password"): (
        "users.manage", "user-path",
        lambda w, s: Req("POST", f"/api/v1/users/{w.sides[s].victim_id}/reset-password",
                         check=check_reset)),
    ("GET", "/api/v1/audit"): (
        "audit.read", "list",
        lambda w, s: Req("GET", q("/api/v1/audit", limit=500) if s == "A"
                         else q("/api/v1/audit", unit=w.b, limit=500), check=check_audit)),
    ("GET", "/api/v1/units"): (
        "units.read", "unit-query",
        lambda w, s: Req("GET", q("/api/v1/units", date=DAY) if s == "A"
                         else q("/api/v1/units", date=DAY, parent=w.b), check=check_units_list)),
    ("GET", "/api/v1/units/{code}"): (
        "units.read", "unit-path",
        lambda w, s: Req("GET", q(f"/api/v1/units/{w.sides[s].village}", date=DAY),
                         check=check_unit)),
    ("GET", "/api/v1/units/{code}/history"): (
        "units.read", "unit-path",
        lambda w, s: Req("GET", f"/api/v1/units/{w.sides[s].village}/history",
                         check=check_history)),
    ("GET", "/api/v1/households/{code}"): (
        "registry.read", "household",
        lambda w, s: Req("GET", q(f"/api/v1/households/{w.sides[s].household}", year=YEAR),
                         check=check_household)),
    ("GET", "/api/v1/search"): (
        "registry.read", "list",
        lambda w, s: Req("GET", q("/api/v1/search", q=w.sides[s].head_name, year=YEAR,
                                  limit=100), check=check_search)),
    ("GET", "/api/v1/templates/{kind}.csv"): (
        "registry.read", "unit-query",
        lambda w, s: Req("GET", q("/api/v1/templates/clans.csv", year=YEAR,
                                  unit=w.sides[s].commune), check=check_template_csv)),
    ("GET", "/api/v1/templates/{kind}.xlsx"): (
        "registry.read", "unit-query",
        lambda w, s: Req("GET", q("/api/v1/templates/clans.xlsx", year=YEAR,
                                  unit=w.sides[s].commune), check=check_template_xlsx)),
    ("GET", "/api/v1/evaluation"): (
        "units.read", "unit-query",
        lambda w, s: Req("GET", q("/api/v1/evaluation", year=YEAR) if s == "A"
                         else q("/api/v1/evaluation", year=YEAR, unit=w.b),
                         check=check_evaluation)),
    ("GET", "/api/v1/dashboard"): (
        "units.read", "unit-query",
        lambda w, s: Req("GET", q("/api/v1/dashboard", year=YEAR) if s == "A"
                         else q("/api/v1/dashboard", year=YEAR, unit=w.b),
                         check=check_dashboard)),
    ("GET", "/api/v1/funds"): (
        "funds.read", "list",
        lambda w, s: Req("GET", "/api/v1/funds", check=check_funds)),
    ("POST", "/api/v1/funds"): (
        "funds.approve", "list",
        lambda w, s: Req("POST", "/api/v1/funds",
                         {"code": unique("MX-N"), "name": "Quỹ mới", "owner_kind": "unit",
                          "owner_code": w.sides[s].commune},
                         ok=(201, 422), check=check_fund_created("owner_code"))),
    ("GET", "/api/v1/funds/{code}"): (
        "funds.read", "fund",
        lambda w, s: Req("GET", f"/api/v1/funds/{w.sides[s].fund}")),
    ("POST", "/api/v1/funds/{code}/entries"): (
        "funds.write", "fund",
        lambda w, s: Req("POST", f"/api/v1/funds/{w.sides[s].fund}/entries",
                         {"kind": "receipt", "date": "2025-09-11", "amount": "10.000"},
                         ok=(201,))),
    ("POST", "/api/v1/funds/{code}/close"): (
        "funds.approve", "fund",
        lambda w, s: Req("POST", f"/api/v1/funds/{w.sides[s].fund}/close",
                         {"through": "2020-01-01"}, ok=(200, 422))),
    ("PUT", "/api/v1/funds/{code}/settings"): (
        "funds.approve", "fund",
        lambda w, s: Req("PUT", f"/api/v1/funds/{w.sides[s].fund}/settings",
                         {"public_minor_names": False})),
    ("POST", "/api/v1/fund-entries/{id}/reverse"): (
        "funds.write", "fund-entry",
        lambda w, s: Req("POST", f"/api/v1/fund-entries/{w.sides[s].fund_entry}/reverse",
                         {"date": "2025-09-12", "reason": "Kiểm thử quyền"}, ok=(201, 422))),
    ("GET", "/api/v1/fund-donors"): (
        "funds.read", "none", lambda w, s: Req("GET", "/api/v1/fund-donors?q=thu")),
    ("POST", "/api/v1/fund-donors"): (
        "funds.write", "none",
        lambda w, s: Req("POST", "/api/v1/fund-donors", {"name": "Nhà Hảo Tâm Thử"}, ok=(201,))),
    ("GET", "/api/v1/fund-beneficiaries"): (
        "funds.read", "list",
        lambda w, s: Req("GET", "/api/v1/fund-beneficiaries", check=check_beneficiaries)),
    ("POST", "/api/v1/fund-beneficiaries"): (
        "funds.write", "list",
        lambda w, s: Req("POST", "/api/v1/fund-beneficiaries",
                         {"name": "Học Sinh Mới", "unit": w.sides[s].commune},
                         ok=(201, 422), check=check_fund_created("unit"))),
    ("GET", "/api/v1/fund-beneficiaries/{id}"): (
        "funds.read", "beneficiary",
        lambda w, s: Req("GET", f"/api/v1/fund-beneficiaries/{w.sides[s].beneficiary}")),
    ("GET", "/api/v1/fund-check"): (
        "funds.read", "none", lambda w, s: Req("GET", "/api/v1/fund-check")),
    # a fund's documents: a receipt, the statement of a period (audited downloads)
    ("GET", "/api/v1/fund-entries/{id}/receipt.pdf"): (
        "funds.read", "fund-entry",
        lambda w, s: Req("GET", f"/api/v1/fund-entries/{w.sides[s].fund_entry}/receipt.pdf",
                         check=check_pdf)),
    ("GET", "/api/v1/funds/{code}/statement.xlsx"): (
        "funds.read", "fund",
        lambda w, s: Req("GET", q(f"/api/v1/funds/{w.sides[s].fund}/statement.xlsx",
                                  **{"from": "2025-01-01", "to": "2025-12-31"}),
                         check=check_xlsx)),
    ("GET", "/api/v1/funds/{code}/statement.pdf"): (
        "funds.read", "fund",
        lambda w, s: Req("GET", q(f"/api/v1/funds/{w.sides[s].fund}/statement.pdf",
                                  **{"from": "2025-01-01", "to": "2025-12-31"}),
                         check=check_pdf)),
    ("GET", "/api/v1/funds/{code}/programmes"): (
        "funds.read", "fund",
        lambda w, s: Req("GET", f"/api/v1/funds/{w.sides[s].fund}/programmes",
                         check=check_programmes)),
    ("POST", "/api/v1/funds/{code}/programmes"): (
        "funds.approve", "fund",
        lambda w, s: Req("POST", f"/api/v1/funds/{w.sides[s].fund}/programmes",
                         {"code": unique("MX-P"), "name": "Chương trình mới",
                          "rules": PROGRAMME_RULES}, ok=(201,))),
    # every run supersedes the proposal of the run before
    ("POST", "/api/v1/funds/{code}/programmes/{id}/run"): (
        "funds.write", "fund",
        lambda w, s: Req("POST", f"/api/v1/funds/{w.sides[s].fund}/programmes/"
                         f"{w.sides[s].run_programme}/run", {"year": YEAR}, ok=(201,),
                         check=check_batch_proposed)),
    ("GET", "/api/v1/fund-batches/{id}"): (
        "funds.read", "fund-batch",
        lambda w, s: Req("GET", f"/api/v1/fund-batches/{w.sides[s].batch}", check=check_batch)),
    # the first caller allowed approves (pays, cancels); the next ones are refused (422)
    ("POST", "/api/v1/fund-batches/{id}/approve"): (
        "funds.approve", "fund-batch",
        lambda w, s: Req("POST", f"/api/v1/fund-batches/{w.sides[s].batch}/approve",
                         {"number": "mx-15", "date": "2025-12-15", "signer": "Trần Văn Bình"},
                         ok=(200, 422), denied_check=batch_state(w.sides[s].batch, "proposed"))),
    ("POST", "/api/v1/fund-batches/{id}/pay"): (
        "funds.write", "fund-batch",
        lambda w, s: Req("POST", f"/api/v1/fund-batches/{w.sides[s].batch}/pay",
                         {"date": "2025-12-20"}, ok=(200, 422),
                         denied_check=batch_unpaid(w.sides[s].batch))),
    ("POST", "/api/v1/fund-batches/{id}/cancel"): (
        "funds.approve", "fund-batch",
        lambda w, s: Req("POST", f"/api/v1/fund-batches/{w.sides[s].cancel_batch}/cancel",
                         {"reason": "Kiểm thử quyền"}, ok=(200, 422),
                         denied_check=batch_state(w.sides[s].cancel_batch, "proposed"))),
    ("GET", "/api/v1/results"): (
        "records.read", "unit-query",
        lambda w, s: Req("GET", q("/api/v1/results", year=YEAR, title=FAMILY, limit=500)
                         if s == "A" else
                         q("/api/v1/results", year=YEAR, title=FAMILY, unit=w.b, limit=500),
                         check=check_results)),
    ("GET", "/api/v1/explain"): (
        "records.read", "entity",
        lambda w, s: Req("GET", q("/api/v1/explain", year=YEAR, title=FAMILY,
                                  code=w.sides[s].household), check=check_explain)),
    ("POST", "/api/v1/imports/registry/{kind}"): (
        "registry.write", "list",
        lambda w, s: Req("POST", q("/api/v1/imports/registry/households", year=YEAR, dry_run=1,
                                   name="ho.csv"),
                         import_file(w, s), ok=(200, 422), check=check_import)),
    ("POST", "/api/v1/imports/assessments"): (
        "records.write", "list",
        lambda w, s: Req("POST", q("/api/v1/imports/assessments", year=YEAR, title=FAMILY,
                                   dry_run=1, name="danh-gia.csv"),
                         f"code,year\n{w.sides[s].household},{YEAR}\n".encode(), ok=(200, 422),
                         check=check_import_assessments)),
    ("POST", "/api/v1/imports/funds/{kind}"): (
        "funds.write", "list",
        lambda w, s: Req("POST", q("/api/v1/imports/funds/donations", dry_run=1,
                                   name="khoan-thu.csv"),
                         donations_file(w, s), ok=(200, 422), check=check_import_funds)),
    ("GET", "/api/v1/clans"): (
        "registry.read", "unit-query",
        lambda w, s: Req("GET", q("/api/v1/clans", year=YEAR, unit=w.sides[s].commune),
                         check=check_clans)),
    ("GET", "/api/v1/clans/{code}"): (
        "registry.read", "clan",
        lambda w, s: Req("GET", q(f"/api/v1/clans/{w.sides[s].clan}", year=YEAR),
                         check=check_clan)),
    ("GET", "/api/v1/organisations"): (
        "registry.read", "unit-query",
        lambda w, s: Req("GET", q("/api/v1/organisations", year=YEAR, unit=w.sides[s].commune),
                         check=check_orgs)),
    ("GET", "/api/v1/organisations/{code}"): (
        "registry.read", "organisation",
        lambda w, s: Req("GET", q(f"/api/v1/organisations/{w.sides[s].org}", year=YEAR),
                         check=check_org)),
    # the forms: dry runs, so the matrix writes nothing
    ("POST", "/api/v1/households"): (
        "registry.write", "list",
        lambda w, s: Req("POST", q("/api/v1/households", dry_run=1),
                         {"year": YEAR, "village": w.sides[s].village, "head_name": "Hộ Thử Quyền",
                          "members": [{"full_name": "Hộ Thử Quyền", "birth_year": 1980,
                                       "gender": "nam"}]},
                         ok=(200, 422), check=check_form_create("village"))),
    ("PUT", "/api/v1/households/{code}"): (
        "registry.write", "household",
        lambda w, s: Req("PUT", q(f"/api/v1/households/{w.sides[s].household}", year=YEAR,
                                  dry_run=1), household_body(w, s), check=check_form_unchanged)),
    ("POST", "/api/v1/clans"): (
        "registry.write", "list",
        lambda w, s: Req("POST", q("/api/v1/clans", dry_run=1),
                         {"year": YEAR, "name": "Dòng họ Thử", "village": w.sides[s].village},
                         ok=(200, 422), check=check_form_create("village"))),
    ("PUT", "/api/v1/clans/{code}"): (
        "registry.write", "clan",
        lambda w, s: Req("PUT", q(f"/api/v1/clans/{w.sides[s].clan}", year=YEAR, dry_run=1),
                         clan_body(w, s), check=check_form_unchanged)),
    ("POST", "/api/v1/organisations"): (
        "registry.write", "list",
        lambda w, s: Req("POST", q("/api/v1/organisations", dry_run=1),
                         {"year": YEAR, "name": "Trường Thử Quyền", "kind": "truong-hoc",
                          "admin": w.sides[s].commune},
                         ok=(200, 422), check=check_form_create("admin"))),
    ("PUT", "/api/v1/organisations/{code}"): (
        "registry.write", "organisation",
        lambda w, s: Req("PUT", q(f"/api/v1/organisations/{w.sides[s].org}", year=YEAR,
                                  dry_run=1), org_body(w, s), check=check_form_unchanged)),
    ("GET", "/{*}"): (
        "public", "none",
        lambda w, s: Req("GET", "/" if s == "A" else "/index.html", check=check_static)),
}



def downloads(path, access, scope, params_a, params_b, check_csv, url=None):
    """The CSV and XLSX downloads of a list: the list's permission and scope, the list's
    parameters for side A and side B (functions of the world); url(w, s) gives the address
    when path has a parameter ({code})."""
    def make(ext, check):
        return lambda w, s: Req("GET", q(f"{url(w, s) if url else path}.{ext}",
                                         **(params_a if s == "A" else params_b)(w)),
                                check=check)
    return {("GET", f"{path}.csv"): (access, scope, make("csv", check_csv)),
            ("GET", f"{path}.xlsx"): (access, scope, make("xlsx", check_xlsx))}


CASES.update(downloads("/api/v1/results", "records.read personal.export", "unit-query",
                       lambda w: {"year": YEAR, "title": FAMILY},
                       lambda w: {"year": YEAR, "title": FAMILY, "unit": w.b},
                       check_results_csv))
CASES.update(downloads("/api/v1/households/{code}/members", "registry.read personal.export",
                       "household", lambda w: {"year": YEAR}, lambda w: {"year": YEAR},
                       check_members_csv,
                       url=lambda w, s: f"/api/v1/households/{w.sides[s].household}/members"))
CASES.update(downloads("/api/v1/evaluation", "units.read", "unit-query",
                       lambda w: {"year": YEAR}, lambda w: {"year": YEAR, "unit": w.b},
                       check_evaluation_csv))
CASES.update(downloads("/api/v1/units", "units.read", "unit-query",
                       lambda w: {"date": DAY}, lambda w: {"date": DAY, "parent": w.b},
                       check_units_csv))
CASES.update(downloads("/api/v1/audit", "audit.read", "list", lambda w: {},
                       lambda w: {"unit": w.b}, check_audit_csv))
CASES.update(downloads("/api/v1/users", "users.manage", "list", lambda w: {},
                       lambda w: {"unit": w.b}, check_users_csv))

def rec(path, w, s, **extra):
    return q(path, year=YEAR, title=FAMILY, code=w.sides[s].household, **extra)


def check_record(resp, world, side, caller):
    assert resp.body["code"] == world.sides[side].household and resp.body["items"], resp.body
    assert resp.body["stage"] in ("open", "returned", "submitted", "accepted", "recognised",
                                  "not-recognised"), resp.body["stage"]


def check_preview(resp, world, side, caller):
    assert resp.body["results"]["code"] == world.sides[side].household, resp.body


def check_stage_records(resp, world, side, caller):
    for row in resp.body["rows"]:
        assert row["place"] in world.sides[side].villages, (caller.name, "sees", row)


def check_tasks(resp, world, side, caller):
    assert resp.body["unit"] == ("31" if caller.scope == "city" else world.a), resp.body


def check_decisions(resp, world, side, caller):
    units = {d["unit"] for d in resp.body["decisions"]}
    for u in units:
        assert in_scope(world, caller, u), (caller.name, "sees decision of", u)
    assert world.a in units, units
    assert (world.b in units) is (caller.scope == "city"), units


def check_decision(resp, world, side, caller):
    assert resp.body["id"] == world.sides[side].decision, resp.body


def check_pdf(resp, world, side, caller):
    assert resp.headers["Content-Type"] == "application/pdf" and resp.raw.startswith(b"%PDF-")


def check_public_funds(resp, world, side, caller):
    html = resp.raw.decode()
    assert resp.headers["Content-Type"].startswith("text/html"), resp.headers
    assert all(f'href="/cong-khai/{world.sides[x].fund}?' in html for x in "AB"), html[-800:]


def check_public_fund(resp, world, side, caller):
    """The fund's page: its receipt of 50.000.000 đ in 2025 (less what the matrix reversed)."""
    html = resp.raw.decode()
    assert resp.headers["Content-Type"].startswith("text/html"), resp.headers
    assert world.sides[side].fund in html and 'data-figure="closing"' in html, html[:600]


def check_cert_settings(resp, world, side, caller):
    assert "heading" in {f["key"] for f in resp.body["fields"]}, resp.body


def check_settings(resp, world, side, caller):
    assert "title gia-dinh-hoc-tap" in resp.body["text"], resp.body


CASES.update({
    ("GET", "/api/v1/record"): (
        "records.read", "entity",
        lambda w, s: Req("GET", rec("/api/v1/record", w, s), check=check_record)),
    # a value that is not yes/no: let through, then refused; nothing changes
    ("PUT", "/api/v1/record"): (
        "records.write", "entity",
        lambda w, s: Req("PUT", rec("/api/v1/record", w, s), {"values": {"C1c": "có lẽ"}},
                         ok=(422,), ok_code="invalid")),
    ("POST", "/api/v1/record/preview"): (
        "records.read", "entity",
        lambda w, s: Req("POST", rec("/api/v1/record/preview", w, s), {"values": {"C1c": "có"}},
                         check=check_preview)),
    # the household was submitted by the world: submitting again is refused (422)
    ("POST", "/api/v1/record/submit"): (
        "records.write", "entity",
        lambda w, s: Req("POST", rec("/api/v1/record/submit", w, s), {}, ok=(422,))),
    # accepting needs a submitted record: the first reviewer accepts, the rest get 409
    ("POST", "/api/v1/record/accept"): (
        "records.review", "entity",
        lambda w, s: Req("POST", rec("/api/v1/record/accept", w, s), {}, ok=(200, 409))),
    # returning without a comment: refused after the permission check
    ("POST", "/api/v1/record/return"): (
        "records.review", "entity",
        lambda w, s: Req("POST", rec("/api/v1/record/return", w, s), {}, ok=(422,),
                         ok_code="invalid")),
    ("POST", "/api/v1/record/unlock"): (
        "records.approve", "entity",
        lambda w, s: Req("POST", rec("/api/v1/record/unlock", w, s), {}, ok=(422,),
                         ok_code="invalid")),
    # no item: refused after the permission check
    ("POST", "/api/v1/evidence"): (
        "records.write", "entity",
        lambda w, s: Req("POST", rec("/api/v1/evidence", w, s), b"%PDF-1.4 x", ok=(400,),
                         ok_code="missing_parameter")),
    ("GET", "/api/v1/workflow/records"): (
        "records.read", "unit-query",
        lambda w, s: Req("GET", q("/api/v1/workflow/records", year=YEAR, title=FAMILY,
                                  stage="submitted", unit=w.sides[s].commune),
                         check=check_stage_records)),
    ("GET", "/api/v1/tasks"): (
        "records.read", "list",
        lambda w, s: Req("GET", q("/api/v1/tasks", year=YEAR), check=check_tasks)),
    ("GET", "/api/v1/decisions"): (
        "records.read", "list",
        lambda w, s: Req("GET", q("/api/v1/decisions", year=YEAR), check=check_decisions)),
    # no decision number: refused after the permission and scope checks
    ("POST", "/api/v1/decisions"): (
        "records.approve", "body-unit",
        lambda w, s: Req("POST", "/api/v1/decisions",
                         {"title": FAMILY, "year": YEAR, "unit": w.sides[s].commune,
                          "signed_on": "2026-01-10", "signer_name": "Trần Văn Bình",
                          "entities": [w.sides[s].household]}, ok=(422,), ok_code="invalid")),
    ("GET", "/api/v1/decisions/{id}"): (
        "records.read", "decision",
        lambda w, s: Req("GET", f"/api/v1/decisions/{w.sides[s].decision}",
                         check=check_decision)),
    # public: an unknown code is a 404 page for everyone, without a login
    ("GET", "/verify/{code}"): (
        "public", "none", lambda w, s: Req("GET", "/verify/ABCDE-FGHJK", ok=(404,))),
    # public: a fund's transparency report, for anyone without a login, whatever its unit
    ("GET", "/cong-khai"): (
        "public", "none", lambda w, s: Req("GET", "/cong-khai", check=check_public_funds)),
    ("GET", "/cong-khai/{code}"): (
        "public", "none",
        lambda w, s: Req("GET", q(f"/cong-khai/{w.sides[s].fund}", **{"from": "2025-01-01",
                                                                      "to": "2025-12-31"}),
                         check=check_public_fund)),
    ("GET", "/cong-khai/{code}.pdf"): (
        "public", "none",
        lambda w, s: Req("GET", f"/cong-khai/{w.sides[s].fund}.pdf", check=check_pdf)),
    ("GET", "/api/v1/certificates/sample.pdf"): (
        "records.read", "none",
        lambda w, s: Req("GET", "/api/v1/certificates/sample.pdf", check=check_pdf)),
    ("GET", "/api/v1/certificates/{code}.pdf"): (
        "records.read", "certificate",
        lambda w, s: Req("GET", f"/api/v1/certificates/{w.sides[s].certificate}.pdf",
                         check=check_pdf)),
    ("GET", "/api/v1/decisions/{id}/certificates.pdf"): (
        "records.read", "decision",
        lambda w, s: Req("GET", f"/api/v1/decisions/{w.sides[s].decision}/certificates.pdf",
                         check=check_pdf)),
    ("GET", "/api/v1/settings/certificate"): (
        "records.read", "none",
        lambda w, s: Req("GET", "/api/v1/settings/certificate", check=check_cert_settings)),
    ("PUT", "/api/v1/settings/certificate"): (
        "criteria.manage", "none",
        lambda w, s: Req("PUT", "/api/v1/settings/certificate",
                         {"values": {"border_colour": "red"}}, ok=(422,), ok_code="invalid")),
    ("DELETE", "/api/v1/settings/certificate"): (
        "criteria.manage", "none", lambda w, s: Req("DELETE", "/api/v1/settings/certificate")),
    ("GET", "/api/v1/targets"): (
        "units.read", "none",
        lambda w, s: Req("GET", "/api/v1/targets",
                         check=lambda resp, *_: resp.body["sets"] or resp.body)),
    # a file with a problem: let through, refused with its line, nothing stored
    ("PUT", "/api/v1/targets/{name}"): (
        "criteria.manage", "none",
        lambda w, s: Req("PUT", "/api/v1/targets/mx-test", {"text": "targets x\n  province\n"},
                         ok=(422,), ok_code="invalid")),
    ("DELETE", "/api/v1/targets/{name}"): (
        "criteria.manage", "none",
        lambda w, s: Req("DELETE", "/api/v1/targets/mx-none", ok=(404,))),
    ("GET", "/api/v1/settings/workflow"): (
        "records.read", "none",
        lambda w, s: Req("GET", "/api/v1/settings/workflow", check=check_settings)),
    # settings with an error: refused after the permission check, nothing stored
    ("PUT", "/api/v1/settings/workflow"): (
        "criteria.manage", "none",
        lambda w, s: Req("PUT", "/api/v1/settings/workflow", {"text": "title no-such-title\n"},
                         ok=(422,), ok_code="invalid")),
    ("DELETE", "/api/v1/settings/workflow"): (
        "criteria.manage", "none",
        lambda w, s: Req("DELETE", "/api/v1/settings/workflow")),
})

def check_report(kind, ext):
    """A report download: its type, and the file name says which unit or decision it is of
    (annual without ?unit= is the caller's own unit)."""
    def check(resp, world, side, caller):
        (check_pdf if ext == "pdf" else check_xlsx)(resp, world, side, caller)
        name = resp.headers["Content-Disposition"]
        if kind == "annual":
            unit = world.b if side == "B" else ("31" if caller.scope == "city" else world.a)
            want = f"bao-cao-nam-{YEAR}-{unit}.{ext}"
        elif kind == "commune-dossier":
            want = f"ho-so-xa-{world.sides[side].commune}-{YEAR}.{ext}"
        else:
            want = f"danh-sach-qd-{world.sides[side].decision}.{ext}"
        assert f'filename="{want}"' in name, (name, want)

    return check


def report_case(kind, access, params):
    return {("GET", f"/api/v1/reports/{kind}.{ext}"): (
        access, "unit-query",
        (lambda ext: lambda w, s: Req("GET", q(f"/api/v1/reports/{kind}.{ext}", **params(w, s)),
                                      check=check_report(kind, ext)))(ext))
        for ext in ("xlsx", "pdf")}


# The reports (docs/reports.md): the annual report as the dashboard (units.read, ?unit=), a
# commune's dossier of ?unit=, a decision's list placed by the decision's unit (the handler
# refuses a decision outside the caller's area with the same 403).
CASES.update(report_case("annual", "units.read",
                         lambda w, s: {"year": YEAR} if s == "A" else {"year": YEAR, "unit": w.b}))
CASES.update(report_case("commune-dossier", "records.read",
                         lambda w, s: {"year": YEAR, "unit": w.sides[s].commune}))
CASES.update(report_case("title-list", "records.read",
                         lambda w, s: {"decision": w.sides[s].decision}))


# Objects that do not exist: the same 404 for everyone allowed to ask, so a guessed id
# tells nothing; callers without the permission are refused first.
MISSING = [
    ("GET", "/api/v1/households/{code}", Req("GET", q("/api/v1/households/HH9999999", year=YEAR),
                                             ok=(404,))),
    ("GET", "/api/v1/explain", Req("GET", q("/api/v1/explain", year=YEAR, title=FAMILY,
                                            code="HH9999999"), ok=(404,))),
    ("POST", "/api/v1/users/{id}/disable", Req("POST", "/api/v1/users/12345/disable", ok=(404,))),
    ("GET", "/api/v1/units/{code}", Req("GET", q("/api/v1/units/99999", date=DAY), ok=(404,))),
    ("GET", "/api/v1/decisions/{id}", Req("GET", "/api/v1/decisions/123456", ok=(404,))),
    ("GET", "/api/v1/fund-batches/{id}", Req("GET", "/api/v1/fund-batches/123456", ok=(404,))),
    ("GET", "/api/v1/reports/title-list.pdf", Req("GET", q("/api/v1/reports/title-list.pdf",
                                                           decision=123456), ok=(404,))),
    ("GET", "/api/v1/certificates/{code}.pdf", Req("GET", "/api/v1/certificates/ABCDE-FGHJK.pdf",
                                                   ok=(404,))),
    ("GET", "/api/v1/clans/{code}", Req("GET", "/api/v1/clans/DH9999999", ok=(404,))),
    ("GET", "/api/v1/organisations/{code}", Req("GET", "/api/v1/organisations/DV9999999",
                                                ok=(404,))),
    ("GET", "/api/v1/fund-entries/{id}/receipt.pdf",
     Req("GET", "/api/v1/fund-entries/123456/receipt.pdf", ok=(404,))),
    ("GET", "/api/v1/funds/{code}/statement.pdf",
     Req("GET", "/api/v1/funds/MX-KHONG-CO/statement.pdf", ok=(404,))),
    ("PUT", "/api/v1/households/{code}", Req("PUT", q("/api/v1/households/HH9999999", year=YEAR),
                                             {"head_name": "Không Có", "village": "X"},
                                             ok=(404,))),
]


# ----------------------------------------------------------------------------- the world

class Side:
    pass


class Caller:
    def __init__(self, name, role, scope, perms, client):
        self.name, self.role, self.scope, self.perms, self.client = name, role, scope, perms, client

    def __repr__(self):
        return f"{self.name} ({self.role}, {self.scope})"


class World:
    pass


_worlds = {}


def descendants(city, code):
    out = {code}
    r = city.call("GET", q("/api/v1/units", date=DAY, parent=code))
    assert r.status == 200, r
    for u in r.body["units"]:
        out |= descendants(city, u["code"]) if u["child_count"] else {u["code"]}
    return out


def side(w, city, code, villages_a=None):
    """Commune code's villages, households of 2025, one household with a citizen ID and a
    head name to search."""
    s = Side()
    s.commune = code
    r = city.call("GET", q("/api/v1/units", date=DAY, parent=code))
    s.villages = {u["code"] for u in r.body["units"]}
    r = city.call("GET", q("/api/v1/results", year=YEAR, title=FAMILY, unit=code, limit=500))
    assert r.status == 200 and r.body["entities"], r
    s.eligible = r.body["total"]
    s.households = {e["code"] for e in r.body["entities"]}
    # a head whose name, searched by the city, is found nowhere in A (for B) and is found
    # in fewer hits than the limit (so the household itself is among them)
    for e in r.body["entities"]:
        if not query(w.db, "SELECT 1 FROM households h JOIN persons p ON p.prov = h.prov AND "
                           "p.household_id = h.id WHERE h.code = ? AND p.citizen_id IS NOT NULL",
                     e["code"]):
            continue
        found = city.call("GET", q("/api/v1/search", q=e["name"], year=YEAR, limit=100)).body
        hits = found["households"] + found["persons"]
        if len(hits) >= 100 or e["code"] not in {h["code"] for h in found["households"]}:
            continue
        if villages_a is not None and any(h["village"]["code"] in villages_a for h in hits):
            continue
        s.household, s.head_name = e["code"], e["name"]
        break
    else:
        raise AssertionError(f"no household of {code} has a name to search for")
    return s


def world(ctx):
    """Communes A and B, an account per role in A, a city administrator, two victims (one
    per commune) for the account routes and a probe account to log in as. Built once."""
    if ctx in _worlds:
        return _worlds[ctx]
    w = World()
    w.db = ctx.demo_db()
    w.base = ctx.server_url()
    tag = unique("mx")
    w.city_name = tag + "-city"
    add_user(ctx, w.db, w.city_name, "admin", "31", PASSWORD)
    city = Client(w.base)
    city.login(w.city_name, PASSWORD)
    w.city = city
    r = city.call("GET", q("/api/v1/units", date=DAY, parent="31"))
    communes = [u["code"] for u in r.body["units"] if u["counts"]["households"] >= 5]
    w.a, w.b = communes[0], communes[1]
    w.subtree = descendants(city, w.a)
    w.subtree_b = descendants(city, w.b)
    sa = side(w, city, w.a)
    sb = side(w, city, w.b, villages_a=w.subtree)
    w.sides = {"A": sa, "B": sb}
    # a clan and a learning unit of each side: inside A's subtree for A, outside for B
    clans = query(w.db, "SELECT code, village_code FROM clans ORDER BY code")
    for s, inside in ((sa, True), (sb, False)):
        s.clan, s.clan_village = next((c, v) for c, v in clans if (v in w.subtree) == inside)
        orgs = sorted(org_codes(w, s.commune)) if inside else []
        if not orgs:  # any unit managed on the side's side of A's boundary
            orgs = [c for (c, a) in query(
                w.db, "SELECT o.code, (SELECT p.admin_code FROM organisation_places p WHERE "
                "p.organisation_id = o.id AND p.valid_from <= ? ORDER BY p.valid_from DESC LIMIT 1) "
                "FROM organisations o ORDER BY o.code", DAY) if a and (a in w.subtree) == inside]
        s.org = orgs[0]
        s.org_admin = query(w.db, "SELECT p.admin_code FROM organisations o JOIN "
                                  "organisation_places p ON p.organisation_id = o.id WHERE o.code "
                                  "= ? AND p.valid_from <= ? ORDER BY p.valid_from DESC LIMIT 1",
                            s.org, DAY)[0][0]
    for s, code in ((sa, w.a), (sb, w.b)):
        s.victim = unique("mx-victim")
        add_user(ctx, w.db, s.victim, "viewer", code, PASSWORD)
        s.victim_id = str(query(w.db, "SELECT id FROM users WHERE username = ?", s.victim)[0][0])
        s.village = min(s.villages)
        # the household's record submitted, and a decision of the commune to look at
        query_write(w.db, "UPDATE records SET stage = 'submitted' WHERE title = ? AND year = ? "
                    "AND entity = ?", FAMILY, YEAR, s.household)
        s.decision = str(900000000000 + secrets.randbelow(10 ** 9))
        query_write(w.db, "INSERT INTO decisions (prov, id, title, year, unit_code, number, "
                    "signed_on, signed_year, issuer, place_name, signer_name, signer_position, "
                    "created_at, created_by) VALUES (31, ?, ?, ?, ?, ?, '2026-01-10', 2026, "
                    "'ỦY BAN NHÂN DÂN', 'x', 'Trần Văn Bình', 'CHỦ TỊCH', 0, 'test')",
                    int(s.decision), FAMILY, YEAR, code, "mx-" + s.decision)
        s.certificate = "MX" + secrets.token_hex(4).upper()[:3] + "-" + \
            "".join(secrets.choice("23456789ABCDEFGHJKMNPQRSTVWXYZ") for _ in range(5))
        query_write(w.db, "INSERT INTO certificates (prov, code, decision_id, title, year, "
                    "entity, level, recipient, address) VALUES (31, ?, ?, ?, ?, ?, 0, "
                    "'Gia đình ông Kiểm Thử', 'Thôn Một')", s.certificate, int(s.decision),
                    FAMILY, YEAR, s.household)
    for s, code in ((sa, w.a), (sb, w.b)):
        # a study-promotion fund of the commune with a receipt, and a beneficiary there
        s.fund = unique("MX-F")
        r = city.call("POST", "/api/v1/funds", {"code": s.fund, "name": "Quỹ khuyến học thử",
                                                "owner_kind": "unit", "owner_code": code})
        assert r.status == 201, r
        r = city.call("POST", f"/api/v1/funds/{s.fund}/entries",
                      {"kind": "receipt", "date": "2025-09-10", "amount": 50000000})
        assert r.status == 201, r
        s.fund_entry = r.body["id"]
        r = city.call("POST", "/api/v1/fund-beneficiaries",
                      {"name": "Học Sinh Thử", "unit": code, "birth_year": 2012})
        assert r.status == 201, r
        s.beneficiary = r.body["id"]
        # award programmes of the fund: one whose batch of YEAR the batch routes act on, one
        # whose batch is cancelled, one the run route runs
        for key in ("programme", "cancel_programme", "run_programme"):
            r = city.call("POST", f"/api/v1/funds/{s.fund}/programmes",
                          {"code": unique("MX-P"), "name": "Chương trình thử",
                           "rules": PROGRAMME_RULES})
            assert r.status == 201, r
            setattr(s, key, r.body["id"])
        for key, programme in (("batch", s.programme), ("cancel_batch", s.cancel_programme)):
            r = city.call("POST", f"/api/v1/funds/{s.fund}/programmes/{programme}/run",
                          {"year": YEAR})
            assert r.status == 201 and len(r.body["items"]) == 1, r
            setattr(s, key, r.body["id"])
    w.probe = tag + "-probe"
    add_user(ctx, w.db, w.probe, "viewer", w.a, PASSWORD)
    r = city.call("GET", "/api/v1/roles")
    assert r.status == 200, r
    w.role_perms = {x["key"]: set(x["perms"]) for x in r.body["roles"]}
    w.callers = []
    for role in ROLES:
        name = f"{tag}-{role}"
        add_user(ctx, w.db, name, role, w.a, PASSWORD, full_name=f"Cán bộ {role}")
        c = Client(w.base)
        c.login(name, PASSWORD)
        assert set(c.user["perms"]) == w.role_perms[role], c.user
        w.callers.append(Caller(name, role, "A", w.role_perms[role], c))
    w.callers.append(Caller(w.city_name, "admin", "city", w.role_perms["admin"], city))
    _worlds[ctx] = w
    return w


def routes(ctx):
    r = ctx.run("routes")
    assert r.code == 0, r
    return [json.loads(line) for line in r.out.splitlines()]


def expected(route, caller, side):
    """'ok', 401 or 403 as the declared route, the role and the scope predict."""
    if route["access"] == "public":
        return "ok"
    if caller is None:
        return 401
    if route["access"] == "user":
        return "ok"
    if not set(route["perms"].split()) <= caller.perms:
        return 403
    if route["scope"] in ("none", "list") or side == "A" or caller.scope == "city":
        return "ok"
    return 403


def perform(w, caller, req):
    """Runs req as caller (None: anonymous) and returns the response."""
    if caller is None:
        return Client(w.base).call(req.method, req.path, req.body)
    if not req.fresh:
        return caller.client.call(req.method, req.path, req.body)
    c = Client(w.base)
    c.login(caller.name, PASSWORD)
    resp = c.call(req.method, req.path, req.body)
    ends = req.path in ("/api/v1/session", "/api/v1/session/logout-all") and req.method != "POST"
    ends = ends or req.path == "/api/v1/session/logout-all"
    if ends and resp.status == 200:
        # the session is gone; logout-all also ended the caller's other session
        assert c.call("GET", "/api/v1/session").status == 401, req.path
        if req.path.endswith("logout-all"):
            assert caller.client.call("GET", "/api/v1/session").status == 401, caller
            caller.client.login(caller.name, PASSWORD)
    return resp


def judge(w, route, caller, side, req, failures):
    want = expected(route, caller, side)
    resp = perform(w, caller, req)
    who = "anonymous" if caller is None else repr(caller)
    where = f"{route['method']} {req.path} as {who} (side {side})"
    if want == "ok":
        if resp.status not in req.ok or (req.ok_code and resp.code != req.ok_code):
            failures.append(f"{where}: expected {req.ok} {req.ok_code or ''}, got {resp}")
        elif req.check and caller is not None:
            try:
                req.check(resp, w, side, caller)
            except AssertionError as e:
                failures.append(f"{where}: {e}")
    else:
        code = "unauthenticated" if want == 401 else "forbidden"
        if resp.status != want or resp.code != code:
            failures.append(f"{where}: expected {want} {code}, got {resp}")
        elif req.denied_check:
            req.denied_check(w)


# ----------------------------------------------------------------------------- the tests

def test_every_route_has_a_case_and_its_declared_permission(ctx):
    table = routes(ctx)
    keys = [(r["method"], r["pattern"]) for r in table]
    assert len(keys) == len(set(keys)), "a route appears twice"
    missing = [k for k in keys if k not in CASES]
    assert not missing, f"routes without a case in CASES (declare and test them): {missing}"
    stale = [k for k in CASES if k not in keys]
    assert not stale, f"CASES entries without a route: {stale}"
    for r in table:
        access, scope, _ = CASES[(r["method"], r["pattern"])]
        declared = access if access in ("public", "user") else "perm"
        assert r["access"] == declared, (r, access)
        assert r["perms"] == ("" if declared != "perm" else access), (r, access)
        assert r["scope"] == scope, (r, scope)
        # only the session routes (and public files) stay open during a forced change
        assert r["during_password_change"] == (
            r["access"] == "public" or r["pattern"].startswith("/api/v1/session")), r


def test_matrix_of_routes_roles_and_communes(ctx):
    w = world(ctx)
    failures = []
    table = routes(ctx)
    callers = [None] + w.callers
    for route in table:
        make = CASES[(route["method"], route["pattern"])][2]
        for caller in callers:
            for s in ("A", "B"):
                judge(w, route, caller, s, make(w, s), failures)
    for method, pattern, req in MISSING:
        route = next(r for r in table if (r["method"], r["pattern"]) == (method, pattern))
        for caller in callers:
            judge(w, route, caller, "A", req, failures)
    assert not failures, f"{len(failures)} unexpected answers:\n" + "\n".join(failures[:40])


def test_refusals_are_audited_with_the_object_unit(ctx):
    w = world(ctx)
    viewer = w.callers[0].client
    r = viewer.call("GET", q(f"/api/v1/households/{w.sides['B'].household}", year=YEAR))
    assert r.status == 403 and r.code == "forbidden", r
    r = w.city.call("GET", q("/api/v1/audit", action="access.denied", actor=w.callers[0].name,
                             limit=1))
    e = r.body["entries"][0]
    assert e["object_id"] == f"/api/v1/households/{w.sides['B'].household}", e
    assert e["unit_code"] in w.sides["B"].villages and e["after"]["reason"] == "forbidden", e
    # A's administrator does not see refusals about B
    admin_a = w.callers[ROLES.index("admin")].client
    r = admin_a.call("GET", q("/api/v1/audit", action="access.denied", limit=500))
    assert all(x["unit_code"] in w.subtree for x in r.body["entries"]), r.body["entries"][:3]


def test_csrf(ctx):
    w = world(ctx)
    admin = w.city
    name = unique("mx-csrf")
    body = {"username": name, "full_name": "Thử CSRF", "role": "viewer", "unit": w.a}
    for headers, csrf in [({}, False), ({"X-CSRF-Token": "hoctap_wrong"}, False),
                          ({"X-CSRF-Token": admin.csrf[:-1]}, False),
                          ({"Origin": "http://evil.example"}, True)]:
        r = admin.call("POST", "/api/v1/users", body, headers=headers, csrf=csrf)
        assert r.status == 403 and r.code == "csrf", (headers, r)
        assert not query(w.db, "SELECT 1 FROM users WHERE username = ?", name), headers
    # logging out without the token does not log out
    r = admin.call("DELETE", "/api/v1/session", csrf=False)
    assert r.status == 403 and r.code == "csrf", r
    assert admin.call("GET", "/api/v1/session").status == 200
    # logging in from another site is refused too
    r = Client(w.base).call("POST", "/api/v1/session", {"username": w.probe, "password": PASSWORD},
                            headers={"Origin": "http://evil.example"})
    assert r.status == 403 and r.code == "csrf", r
    # the same request with the token, from this site, goes through
    r = admin.call("POST", "/api/v1/users", body, headers={"Origin": w.base})
    assert r.status == 201, r
    # an API token is no ambient credential: no CSRF token needed
    name2 = unique("mx-bearer")
    r = ctx.run("user", "token", w.city_name, "--db", w.db)
    bearer = Client(w.base, bearer=r.out.strip())
    r = bearer.call("POST", "/api/v1/users", dict(body, username=name2))
    assert r.status == 201, r
    # and a viewer's token is still only a viewer
    token = ctx.run("user", "token", w.probe, "--db", w.db).out.strip()
    r = Client(w.base, bearer=token).call("POST", "/api/v1/users",
                                          dict(body, username=unique("mx-bearer")))
    assert r.status == 403 and r.code == "forbidden", r


def test_forced_password_change(ctx):
    w = world(ctx)
    name = unique("mx-new")
    otp = add_user(ctx, w.db, name, "viewer", w.a)
    assert len(otp) == 14 and otp.count("-") == 2, otp
    first, second = Client(w.base), Client(w.base)
    r = first.login(name, otp)
    assert r.body["user"]["must_change_password"] is True, r
    second.login(name, otp)
    r = first.call("GET", q("/api/v1/units", date=DAY))
    assert r.status == 403 and r.code == "password_change_required", r
    assert "/api/v1/session/password" in r.body["error"]["message"], r
    r = first.call("POST", "/api/v1/me/token")
    assert r.status == 403 and r.code == "password_change_required", r
    assert first.call("GET", "/api/v1/session").status == 200
    for new, why in [("Ng4n-qua", "at least 10"), ("matkhau@2025", "common"),
                     ("Matkhau2025!", "common"), ("aaaaaaaaaaaa", "common"),
                     ("1234567890123", "common"), (f"X-{name}-2026", "username"),
                     (f"X-{name.upper()}-2026", "username"), (otp, "differ")]:
        r = first.call("POST", "/api/v1/session/password",
                       {"current_password": otp, "new_password": new})
        assert r.status == 400 and r.code == "weak_password", (new, r)
        assert why in r.body["error"]["message"] and r.body["error"]["parameter"] == \
            "new_password", (new, r)
        assert r.body["error"]["message_vi"], r
    r = first.call("POST", "/api/v1/session/password",
                   {"current_password": "sai-mat-khau-roi", "new_password": PASSWORD})
    assert r.status == 403 and r.code == "bad_credentials", r
    assert second.call("GET", "/api/v1/session").status == 200, "refusals end no session"
    r = first.call("POST", "/api/v1/session/password",
                   {"current_password": otp, "new_password": PASSWORD})
    assert r.status == 200 and r.body["user"]["must_change_password"] is False, r
    assert first.call("GET", q("/api/v1/units", date=DAY)).status == 200
    # the other session of the user ended; the one that changed the password lives on
    assert second.call("GET", "/api/v1/session").status == 401
    assert second.call("GET", q("/api/v1/units", date=DAY)).status == 401
    # the one-time password is spent, the new one works
    Client(w.base).login(name, PASSWORD)
    r = w.city.call("GET", q("/api/v1/audit", actor=name, action="password.change"))
    e = r.body["entries"][0]
    assert e["before"]["must_change_password"] is True, e
    assert e["after"]["must_change_password"] is False, e


def test_no_escalation_from_a_commune(ctx):
    w = world(ctx)
    admin_a = w.callers[ROLES.index("admin")]
    assert admin_a.role == "admin" and admin_a.scope == "A"
    c = admin_a.client
    for unit in (w.b, "31", min(w.sides["B"].villages)):
        name = unique("mx-esc")
        r = c.call("POST", "/api/v1/users",
                   {"username": name, "full_name": "Leo thang", "role": "admin", "unit": unit})
        assert r.status == 403 and r.code == "forbidden", (unit, r)
        assert not query(w.db, "SELECT 1 FROM users WHERE username = ?", name), unit
    # inside A it may create an account
    r = c.call("POST", "/api/v1/users",
               {"username": unique("mx-ok"), "full_name": "Cán bộ", "role": "viewer",
                "unit": min(w.sides["A"].villages)})
    assert r.status == 201, r
    # but not reset, disable or enable the city administrator
    city_id = w.city.user["id"]
    before = query(w.db, "SELECT pw_hash, must_change, disabled FROM users WHERE id = ?",
                   int(city_id))
    for action in ("reset-password", "disable", "enable"):
        r = c.call("POST", f"/api/v1/users/{city_id}/{action}")
        assert r.status == 403 and r.code == "forbidden", (action, r)
    assert query(w.db, "SELECT pw_hash, must_change, disabled FROM users WHERE id = ?",
                 int(city_id)) == before
    assert w.city.call("GET", "/api/v1/session").status == 200
    # nor lists it
    r = c.call("GET", q("/api/v1/users", q=w.city_name))
    assert r.status == 200 and r.body["users"] == [], r
    # a data-entry officer cannot hand out accounts at all, even in its own commune
    r = w.callers[1].client.call("POST", "/api/v1/users",
                                 {"username": unique("mx-de"), "full_name": "X", "role": "viewer",
                                  "unit": w.a})
    assert r.status == 403 and r.code == "forbidden", r


def test_account_creation_errors_name_the_field(ctx):
    w = world(ctx)
    taken = w.callers[0].name
    good = {"username": unique("mx-field"), "full_name": "Cán bộ mới", "role": "viewer",
            "unit": w.a}
    for caller in (w.city, w.callers[ROLES.index("admin")].client):  # the city's administrator and A's
        for change, field, text in [
            ({"username": "Khong Hop Le"}, "username", "lowercase letters"),
            ({"username": taken}, "username", f"'{taken}' is taken"),
            ({"full_name": ""}, "full_name", "full name"),
            ({"role": "truong-phong"}, "role", "unknown role 'truong-phong'"),
            # an unknown unit is the same 400 for everyone, not a scope refusal
            ({"unit": "99999"}, "unit", "unknown unit code '99999'"),
        ]:
            r = caller.call("POST", "/api/v1/users", dict(good, **change))
            assert r.status == 400 and r.code == "bad_parameter", (change, r)
            assert r.body["error"]["parameter"] == field and text in r.body["error"]["message"], \
                (change, r)
            assert r.body["error"]["message_vi"], r
        assert not query(w.db, "SELECT 1 FROM users WHERE username = ?", good["username"])
    r = w.city.call("POST", "/api/v1/users", b"not json", headers={"Content-Type": "text/plain"})
    assert r.status == 415, r


def test_an_account_manager_grants_only_what_it_holds(ctx):
    w = world(ctx)
    role = unique("quan-ly")
    r = ctx.run("role", "add", role, "--name-vi", "Quản lý tài khoản", "--perms",
                "units.read users.manage", "--db", w.db)
    assert r.code == 0, r
    name = unique("mx-manager")
    add_user(ctx, w.db, name, role, w.a, PASSWORD)
    m = Client(w.base)
    m.login(name, PASSWORD)
    for grant in ("admin", "viewer"):
        r = m.call("POST", "/api/v1/users", {"username": unique("mx-g"), "full_name": "X",
                                             "role": grant, "unit": w.a})
        assert r.status == 403 and r.code == "forbidden" and \
            r.body["error"]["parameter"] == "role", (grant, r)
    r = m.call("POST", "/api/v1/users", {"username": unique("mx-g"), "full_name": "X",
                                         "role": role, "unit": w.a})
    assert r.status == 201, r
    # nor touch an account of its commune that holds more than it does
    admin_a = w.callers[ROLES.index("admin")]
    admin_id = admin_a.client.user["id"]
    for action in ("reset-password", "disable"):
        r = m.call("POST", f"/api/v1/users/{admin_id}/{action}")
        assert r.status == 403 and r.code == "forbidden", (action, r)
    assert admin_a.client.call("GET", "/api/v1/session").status == 200
    r = m.call("GET", "/api/v1/roles")
    grantable = {x["key"] for x in r.body["roles"] if x["grantable"]}
    assert grantable == {role}, grantable


def test_scope_follows_the_reform(ctx):
    """A commune created on 1 July 2025 covers the communes it succeeded, and those merged
    into them earlier, on dates before: its officer browses its history, not B's."""
    w = world(ctx)
    viewer = w.callers[0].client
    before = "2024-06-30"

    def predecessors(code):
        r = w.city.call("GET", f"/api/v1/units/{code}/history")
        out = set()
        todo = list(r.body["predecessors"])
        while todo:
            p = todo.pop()
            out.add(p["code"])
            todo += p["predecessors"]
        return out

    mine, theirs = predecessors(w.a), predecessors(w.b)
    assert mine and theirs and not mine & theirs, (mine, theirs)
    standing = {c for c in mine
                if w.city.call("GET", q(f"/api/v1/units/{c}", date=before)).status == 200}
    r = viewer.call("GET", q("/api/v1/units", date=before))
    assert r.status == 200, r
    assert {u["code"] for u in r.body["units"]} == standing, (r.body["units"], standing)
    for code in mine:
        r = viewer.call("GET", f"/api/v1/units/{code}/history")
        assert r.status == 200, (code, r)
    for code in theirs:
        for path in (q("/api/v1/units", date=before, parent=code),
                     q("/api/v1/evaluation", year=2024, unit=code)):
            r = viewer.call("GET", path)
            assert r.status == 403 and r.code == "forbidden", (path, r)
    # a household of each commune as it was in 2024
    for s, allowed in (("A", True), ("B", False)):
        for hh in sorted(w.sides[s].households):
            r = w.city.call("GET", q(f"/api/v1/households/{hh}", year=2024))
            if r.status == 200:
                break
        else:
            raise AssertionError(f"no household of {s} existed in 2024")
        assert r.body["ancestors"][-1]["code"] in (mine if allowed else theirs), r.body
        r = viewer.call("GET", q(f"/api/v1/households/{hh}", year=2024))
        assert r.status == (200 if allowed else 403), (s, hh, r)
