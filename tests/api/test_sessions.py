"""Sessions and API tokens against a real server: the cookie's attributes, logging out (one
session or all), disabled accounts, expiry, API tokens stored only as hashes, login
throttling, and failed logins and refusals in the audit trail.

Failed logins are counted per client address too, and every test talks from 127.0.0.1:
the tests that fail logins on purpose run their own server on a copy of the database, so
the shared server never throttles the other suites."""
import hashlib
import os
import re
import sqlite3

from harness import Client, Server, add_user, query, unique

PASSWORD = "Phien-lam-viec-2026"


def copy_db(ctx, src):
    """A consistent copy of a database another process may be writing (SQLite backup)."""
    dst = ctx.path("sessions.db")
    a, b = sqlite3.connect(src), sqlite3.connect(dst)
    try:
        a.backup(b)
    finally:
        a.close()
        b.close()
    return dst


def cookie_attributes(resp):
    header = resp.headers["Set-Cookie"]
    parts = [p.strip() for p in header.split(";")]
    name, _, value = parts[0].partition("=")
    attrs = {}
    for p in parts[1:]:
        k, _, v = p.partition("=")
        attrs[k.lower()] = v
    return name, value, attrs


def new_user(ctx, db, role="viewer", unit="31"):
    name = unique("ss")
    add_user(ctx, db, name, role, unit, PASSWORD)
    return name


def sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


def file_bytes(db):
    out = b""
    for suffix in ("", "-wal"):
        if os.path.exists(db + suffix):
            with open(db + suffix, "rb") as f:
                out += f.read()
    return out


def test_cookie_is_httponly_strict_and_secure_only_over_https(ctx):
    db = ctx.demo_db()
    name = new_user(ctx, db)
    c = Client(ctx.server_url())
    r = c.login(name, PASSWORD)
    key, value, attrs = cookie_attributes(r)
    assert key == "hoctap_session" and re.fullmatch(r"hoctap_[A-Za-z0-9_-]{43}", value), value
    assert "httponly" in attrs and attrs["samesite"] == "Strict" and attrs["path"] == "/", attrs
    assert int(attrs["max-age"]) == 12 * 3600, attrs
    assert "secure" not in attrs, "Secure on a plain http server would lose the cookie"
    # the session token is not in the body; the CSRF token is, and differs from it
    assert value.encode() not in r.raw and r.body["csrf"] != value
    with Server(ctx, copy_db(ctx, db), "--https") as srv:
        r = Client(srv.url).login(name, PASSWORD)
        _, _, attrs = cookie_attributes(r)
        assert "secure" in attrs and "httponly" in attrs and attrs["samesite"] == "Strict", attrs


def test_logout_ends_the_session(ctx):
    db = ctx.demo_db()
    name = new_user(ctx, db)
    c = Client(ctx.server_url())
    c.login(name, PASSWORD)
    cookie = c.cookie()
    assert c.call("GET", "/api/v1/session").status == 200
    r = c.call("DELETE", "/api/v1/session")
    assert r.status == 200 and r.body == {}, r
    _, value, attrs = cookie_attributes(r)
    assert value == "" and attrs["max-age"] == "0", r.headers["Set-Cookie"]
    assert c.cookie() is None, "the browser drops the cookie"
    # replaying the old cookie gets nowhere
    replay = Client(ctx.server_url())
    r = replay.call("GET", "/api/v1/session", headers={"Cookie": "hoctap_session=" + cookie})
    assert r.status == 401 and r.code == "unauthenticated", r
    r = replay.call("GET", "/api/v1/units", headers={"Cookie": "hoctap_session=" + cookie})
    assert r.status == 401, r
    assert not query(db, "SELECT 1 FROM sessions WHERE token_hash = ?", sha256(cookie))
    # a made-up cookie neither
    r = replay.call("GET", "/api/v1/session",
                    headers={"Cookie": "hoctap_session=hoctap_" + "A" * 43})
    assert r.status == 401, r


def test_logout_all_ends_every_session_of_the_user_only(ctx):
    db = ctx.demo_db()
    name, other = new_user(ctx, db), new_user(ctx, db)
    base = ctx.server_url()
    first, second, bystander = Client(base), Client(base), Client(base)
    first.login(name, PASSWORD)
    second.login(name, PASSWORD)
    bystander.login(other, PASSWORD)
    uid = int(first.user["id"])
    assert query(db, "SELECT COUNT(*) FROM sessions WHERE user_id = ?", uid)[0][0] == 2
    r = second.call("POST", "/api/v1/session/logout-all")
    assert r.status == 200, r
    for c in (first, second):
        r = c.call("GET", "/api/v1/session")
        assert r.status == 401 and r.code == "unauthenticated", r
    assert query(db, "SELECT COUNT(*) FROM sessions WHERE user_id = ?", uid)[0][0] == 0
    assert bystander.call("GET", "/api/v1/session").status == 200
    r = bystander.call("GET", f"/api/v1/audit?actor={name}&action=logout.all")
    assert r.status == 403, "a viewer does not read the audit trail"
    admin = Client(base, bearer=ctx.admin_token)
    r = admin.call("GET", f"/api/v1/audit?actor={name}&action=logout.all")
    assert r.body["total"] == 1, r


def test_idle_and_old_sessions_end(ctx):
    db = ctx.demo_db()
    name = new_user(ctx, db)
    base = ctx.server_url()
    idle, old = Client(base), Client(base)
    idle.login(name, PASSWORD)
    old.login(name, PASSWORD)
    con = sqlite3.connect(db, timeout=30)
    with con:
        # 31 minutes without a request; logged in 13 hours ago
        con.execute("UPDATE sessions SET last_seen = last_seen - 31 * 60000 WHERE token_hash = ?",
                    (sha256(idle.cookie()),))
        con.execute("UPDATE sessions SET created_at = created_at - 13 * 3600000 "
                    "WHERE token_hash = ?", (sha256(old.cookie()),))
    con.close()
    for c in (idle, old):
        r = c.call("GET", "/api/v1/session")
        assert r.status == 401 and r.code == "unauthenticated", r
    assert query(db, "SELECT COUNT(*) FROM sessions WHERE user_id = ?", int(idle.user["id"])) \
        == [(0,)]


def test_api_token_works_as_bearer_is_stored_hashed_and_revocable(ctx):
    db = ctx.demo_db()
    name = new_user(ctx, db)
    base = ctx.server_url()
    c = Client(base)
    c.login(name, PASSWORD)
    r = c.call("GET", "/api/v1/me/token")
    assert r.status == 200 and r.body == {"exists": False, "created_at": None,
                                          "last_used_at": None}, r
    r = c.call("POST", "/api/v1/me/token")
    assert r.status == 201, r
    token = r.body["token"]
    assert re.fullmatch(r"hoctap_[A-Za-z0-9_-]{43}", token), token
    bearer = Client(base, bearer=token)
    r = bearer.call("GET", "/api/v1/session")
    assert r.status == 200 and r.body["user"]["username"] == name, r
    assert r.body["csrf"] is None, "a token needs no CSRF token"
    assert bearer.call("GET", "/api/v1/units?date=2025-12-31").status == 200
    r = c.call("GET", "/api/v1/me/token")
    assert r.body["exists"] is True and r.body["created_at"].endswith("Z"), r
    assert r.body["last_used_at"], r
    # stored as a SHA-256 only, and the session as well: the file holds neither in clear
    uid = int(c.user["id"])
    rows = query(db, "SELECT * FROM api_tokens WHERE user_id = ?", uid)
    assert len(rows) == 1, rows
    (stored,) = query(db, "SELECT token_hash FROM api_tokens WHERE user_id = ?", uid)[0]
    assert re.fullmatch(r"[0-9a-f]{64}", stored) and stored == sha256(token), stored
    assert all(token not in str(v) for v in rows[0]), rows
    sessions = query(db, "SELECT * FROM sessions WHERE user_id = ?", uid)
    assert sessions and query(db, "SELECT token_hash FROM sessions WHERE user_id = ?", uid) == \
        [(sha256(c.cookie()),)], sessions
    assert all(c.cookie() not in str(v) for v in sessions[0]), sessions
    raw = file_bytes(db)
    assert token.encode() not in raw and c.cookie().encode() not in raw
    # a new token replaces the old one
    r = c.call("POST", "/api/v1/me/token")
    token2 = r.body["token"]
    assert token2 != token
    r = bearer.call("GET", "/api/v1/session")
    assert r.status == 401 and r.code == "unauthenticated", r
    assert Client(base, bearer=token2).call("GET", "/api/v1/session").status == 200
    # revoked
    r = c.call("DELETE", "/api/v1/me/token")
    assert r.status == 200 and r.body == {"deleted": True}, r
    assert Client(base, bearer=token2).call("GET", "/api/v1/session").status == 401
    assert c.call("GET", "/api/v1/me/token").body["exists"] is False
    assert not query(db, "SELECT 1 FROM api_tokens WHERE user_id = ?", uid)
    r = c.call("DELETE", "/api/v1/me/token")
    assert r.status == 200 and r.body == {"deleted": False}, r
    # a bearer that is not a token, or a session cookie used as one, is nobody
    for t in ("nonsense", c.cookie(), token2 + "x"):
        assert Client(base, bearer=t).call("GET", "/api/v1/session").status == 401, t
    admin = Client(base, bearer=ctx.admin_token)
    r = admin.call("GET", f"/api/v1/audit?actor={name}&object_kind=user&object={name}")
    actions = [e["action"] for e in r.body["entries"]]
    assert actions == ["token.delete", "token.create", "token.create"], actions


def test_disabled_account_cannot_log_in_and_its_sessions_and_token_end(ctx):
    db = copy_db(ctx, ctx.demo_db())
    name = new_user(ctx, db)
    with Server(ctx, db) as srv:
        c = Client(srv.url)
        c.login(name, PASSWORD)
        token = c.call("POST", "/api/v1/me/token").body["token"]
        r = ctx.run("user", "disable", name, "--db", db)
        assert r.code == 0, r
        r = c.call("GET", "/api/v1/session")
        assert r.status == 401 and r.code == "unauthenticated", r
        assert Client(srv.url, bearer=token).call("GET", "/api/v1/session").status == 401
        # the same answer as a wrong password: nothing tells a disabled account apart
        disabled = Client(srv.url).login(name, PASSWORD, expect=401)
        wrong = Client(srv.url).login(unique("nobody"), PASSWORD, expect=401)
        assert disabled.code == "bad_credentials" and disabled.body == wrong.body, disabled
        r = ctx.run("user", "enable", name, "--db", db)
        assert r.code == 0, r
        Client(srv.url).login(name, PASSWORD)
        # the token ended with the disabling and does not come back
        assert Client(srv.url, bearer=token).call("GET", "/api/v1/session").status == 401


def test_throttling_and_the_audit_of_failures_and_refusals(ctx):
    db = copy_db(ctx, ctx.demo_db())
    name, other = new_user(ctx, db), new_user(ctx, db)
    viewer = new_user(ctx, db)
    city = new_user(ctx, db, role="admin")
    r = ctx.run("user", "token", city, "--db", db)
    assert r.code == 0, r
    city_token = r.out.strip()
    with Server(ctx, db) as srv:
        for i in range(5):
            r = Client(srv.url).login(name, f"sai-mat-khau-{i}", expect=401)
            assert r.code == "bad_credentials", r
        r = Client(srv.url).login(name, PASSWORD, expect=429)
        err = r.body["error"]
        assert err["code"] == "throttled" and isinstance(err["retry_after"], int), r
        assert 0 < err["retry_after"] <= 15 * 60, err
        assert r.headers["Retry-After"] == str(err["retry_after"]), r.headers
        assert "minute" in err["message"] and "phút" in err["message_vi"], err
        # a wrong password is not told apart from the right one while throttled
        r = Client(srv.url).login(name, "sai-mat-khau-nua", expect=429)
        assert r.code == "throttled", r
        # another account from the same address is not locked out
        Client(srv.url).login(other, PASSWORD)
        # a refusal
        v = Client(srv.url)
        v.login(viewer, PASSWORD)
        r = v.call("GET", "/api/v1/users")
        assert r.status == 403 and r.code == "forbidden", r
        admin = Client(srv.url, bearer=city_token)
        r = admin.call("GET", f"/api/v1/audit?action=login.failed&object={name}")
        assert r.status == 200, r
        entries = r.body["entries"]
        assert r.body["total"] == 7 and len(entries) == 7, r.body
        reasons = [e["after"]["reason"] for e in reversed(entries)]
        assert reasons == ["bad-credentials"] * 5 + ["throttled"] * 2, reasons
        for e in entries:
            assert e["actor"] == name and e["addr"] == "127.0.0.1", e
            assert e["object_kind"] == "session" and e["after"]["username"] == name, e
            assert "password" not in str(e["after"]) and "sai-mat-khau" not in str(e), e
        r = admin.call("GET", f"/api/v1/audit?action=access.denied&actor={viewer}")
        (e,) = r.body["entries"]
        assert e["object_id"] == "/api/v1/users" and e["after"] == {
            "method": "GET", "reason": "forbidden"}, e
        r = admin.call("GET", f"/api/v1/audit?action=login&actor={other}")
        assert r.body["total"] == 1, r.body
        # the failed logins are no business of a commune's administrator
        units = admin.call("GET", "/api/v1/units?parent=31&date=2025-12-31").body["units"]
        commune_admin = new_user(ctx, db, role="admin", unit=units[0]["code"])
        ca = Client(srv.url)
        ca.login(commune_admin, PASSWORD)
        r = ca.call("GET", "/api/v1/audit?action=login.failed")
        assert r.status == 200 and r.body["total"] == 0, r.body


def test_a_new_password_revokes_the_api_token(ctx):
    """Whoever changes a password may fear it was stolen, and an administrator's
    reset says so: both end the API token as well as the sessions."""
    db = ctx.demo_db()
    base = ctx.server_url()
    name = new_user(ctx, db)
    c = Client(base)
    c.login(name, PASSWORD)
    token = c.call("POST", "/api/v1/me/token").body["token"]
    assert Client(base, bearer=token).call("GET", "/api/v1/session").status == 200
    new = PASSWORD + "-moi"
    r = c.call("POST", "/api/v1/session/password",
               {"current_password": PASSWORD, "new_password": new})
    assert r.status == 200, r
    assert Client(base, bearer=token).call("GET", "/api/v1/session").status == 401
    assert c.call("GET", "/api/v1/session").status == 200, "the session that changed it stays"
    token = c.call("POST", "/api/v1/me/token").body["token"]
    r = ctx.run("user", "reset-password", name, "--db", db)
    assert r.code == 0, r
    assert Client(base, bearer=token).call("GET", "/api/v1/session").status == 401
    assert c.call("GET", "/api/v1/session").status == 401
