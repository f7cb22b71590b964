"""The audit trail from the command line: every account change writes an entry with the state
before and after; hoctap audit list filters; hoctap audit verify finds each kind of tampering
(modified, deleted, truncated, reordered, inserted rows) on copies of the database, by entry
number, and --head catches a trail rewritten from scratch."""
import hashlib
import json
import shutil
import sqlite3

from harness import Client, Server, query

PASSWORD = "Nhat-ky-kiem-toan-2026"
GENESIS = "0" * 64

_trails = {}


def trail(ctx):
    """A small demo database after a few account operations (from the command line, and a
    login, a failed login and a refusal through the server). Built once; tests copy it."""
    if ctx in _trails:
        return _trails[ctx]
    db = ctx.path("audit.db")
    r = ctx.run("demo", "--db", db, "--households", "100", "--seed", "5")
    assert r.code == 0, r
    commune = query(db, "SELECT code FROM units WHERE parent_code = '31' AND valid_to IS NULL "
                        "ORDER BY code LIMIT 1")[0][0]
    steps = [
        (PASSWORD, "user", "add", "quantri", "--role", "admin", "--unit", "31",
         "--password-stdin"),
        (None, "user", "add", "canbo", "--role", "data-entry", "--unit", commune),
        (PASSWORD, "user", "add", "xem", "--role", "viewer", "--unit", commune,
         "--password-stdin"),
        (None, "user", "disable", "canbo"),
        (None, "user", "enable", "canbo"),
        (None, "user", "reset-password", "xem"),
        ("Mat-khau-moi-2026-abc", "user", "set-password", "xem"),
        (None, "user", "token", "quantri"),
        (None, "role", "add", "xa-vien", "--name-vi", "Xã viên", "--perms", "units.read"),
        (None, "role", "add", "xa-vien", "--name-vi", "Xã viên", "--perms",
         "units.read records.read"),
    ]
    for stdin, *args in steps:
        r = ctx.run_input(stdin + "\n", *args, "--db", db) if stdin else ctx.run(*args, "--db", db)
        assert r.code == 0, (args, r)
    with Server(ctx, db) as srv:
        c = Client(srv.url)
        c.login("xem", "Mat-khau-moi-2026-abc")
        assert c.call("GET", "/api/v1/users").status == 403
        Client(srv.url).login("ai-do", "khong-phai-mat-khau", expect=401)
    _trails[ctx] = db
    return db


def copy(ctx, db):
    dst = ctx.path("audit-copy.db")
    a, b = sqlite3.connect(db), sqlite3.connect(dst)
    try:
        a.backup(b)
    finally:
        a.close()
        b.close()
    return dst


def listing(ctx, db, *args):
    r = ctx.run("audit", "list", "--db", db, "--format", "json", "--limit", "1000", *args)
    assert r.code == 0, r
    return json.loads(r.out)


def verify(ctx, db, *args):
    return ctx.run("audit", "verify", "--db", db, *args)


def tamper(db, *statements):
    con = sqlite3.connect(db)
    try:
        with con:
            for sql, *params in statements:
                con.execute(sql, params)
    finally:
        con.close()


def count(db):
    return query(db, "SELECT COUNT(*), MAX(seq) FROM audit")[0]


def entry_hash(prev, at, actor_id, actor, addr, action, kind, oid, unit, before, after):
    """The chain's hash as docs/access.md and src/model/audit.c define it: SHA-256 over each
    field as "<byte length>:<bytes>;", a missing before/after as "-;"."""
    h = hashlib.sha256()
    for f in (prev, str(at), str(actor_id or 0), actor, addr, action, kind, oid, unit, before,
              after):
        if f is None:
            h.update(b"-;")
        else:
            b = f.encode()
            h.update(b"%d:" % len(b) + b + b";")
    return h.hexdigest()


COLS = ("prev_hash, at, actor_id, actor, addr, action, object_kind, object_id, unit_code, "
        "before_json, after_json, hash")


def test_account_changes_are_audited_with_before_and_after(ctx):
    db = trail(ctx)
    entries = listing(ctx, db)
    cli = [e for e in entries if e["actor"].startswith("cli:")]
    assert cli and all(e["addr"] == "local" for e in cli), entries
    ids = dict(query(db, "SELECT username, CAST(id AS TEXT) FROM users"))

    def state(e, key):
        return json.loads(e[key]) if e[key] is not None else None

    def of(kind, oid):
        return [e for e in reversed(entries) if e["object_kind"] == kind and e["object_id"] == oid]

    canbo = of("user", "canbo")
    assert [e["action"] for e in canbo] == ["user.create", "user.disable", "user.enable"], canbo
    create, disable, enable = canbo
    assert create["before"] is None, create
    after = state(create, "after")
    assert after == {"username": "canbo", "full_name": "canbo", "role": "data-entry",
                     "unit": create["unit_code"], "id": ids["canbo"], "disabled": False,
                     "must_change_password": True}, after
    assert state(disable, "before")["disabled"] is False and \
        state(disable, "after")["disabled"] is True, disable
    assert state(enable, "before")["disabled"] is True and \
        state(enable, "after")["disabled"] is False, enable
    xem = [e for e in of("user", "xem") if e["object_kind"] == "user"]
    actions = [e["action"] for e in xem]
    assert actions == ["user.create", "user.reset-password", "password.change"], actions
    assert state(xem[0], "after")["must_change_password"] is False
    assert state(xem[1], "before")["must_change_password"] is False and \
        state(xem[1], "after")["must_change_password"] is True, xem[1]
    assert state(xem[2], "before")["must_change_password"] is True and \
        state(xem[2], "after")["must_change_password"] is False, xem[2]
    token = of("user", "quantri")[-1]
    assert token["action"] == "token.create" and token["unit_code"] == "31", token
    roles = of("role", "xa-vien")
    assert [e["action"] for e in roles] == ["role.create", "role.update"], roles
    assert state(roles[1], "before")["perms"] == "units.read", roles[1]
    assert state(roles[1], "after")["perms"] == "units.read records.read", roles[1]
    # no secret in the trail
    text = json.dumps(entries)
    assert PASSWORD not in text and "Mat-khau-moi" not in text and "khong-phai" not in text
    assert "hoctap_" not in text and "$argon2" not in text


def test_audit_list_filters(ctx):
    db = trail(ctx)
    everything = listing(ctx, db)
    assert [e["seq"] for e in everything] == sorted((e["seq"] for e in everything), reverse=True)
    assert everything[0]["seq"] == count(db)[1]
    cli_actor = everything[-1]["actor"]
    assert cli_actor.startswith("cli:"), everything[-1]
    xem = listing(ctx, db, "--actor", "xem")
    assert [e["action"] for e in xem] == ["access.denied", "login"], xem
    assert all(e["actor"] == "xem" and e["addr"] == "127.0.0.1" for e in xem), xem
    denied = xem[0]
    assert denied["object_id"] == "/api/v1/users", denied
    assert json.loads(denied["after"]) == {"method": "GET", "reason": "forbidden"}
    failed = listing(ctx, db, "--actor", "ai-do")
    assert [e["action"] for e in failed] == ["login.failed"], failed
    assert json.loads(failed[0]["after"]) == {"reason": "bad-credentials", "username": "ai-do"}
    mine = listing(ctx, db, "--actor", cli_actor)
    assert len(mine) == 11 and all(e["actor"] == cli_actor for e in mine), mine
    assert listing(ctx, db, "--actor", "khong-ai") == []
    disables = listing(ctx, db, "--action", "user.disable")
    assert [e["object_id"] for e in disables] == ["canbo"], disables
    by_object = listing(ctx, db, "--object", "user:xem")
    assert {e["object_id"] for e in by_object} == {"xem"} and len(by_object) == 3, by_object
    r = ctx.run("audit", "list", "--db", db, "--limit", "2")
    assert r.code == 0 and len(r.out.splitlines()) == 2, r
    assert r.out.split()[0] == str(everything[0]["seq"]), r
    for args, text in [(["--limit", "0"], "--limit"), (["--object", "user"], "--object"),
                       (["--format", "xml"], "--format"), (["--head", "12"], "--head")]:
        r = ctx.run("audit", "verify" if args[0] == "--head" else "list", "--db", db, *args)
        assert r.code == 2 and text in r.err, (args, r)


def test_verify_an_intact_trail(ctx):
    db = trail(ctx)
    n, last = count(db)
    assert n == last == 14, (n, last)  # the demo run is entry 1
    r = verify(ctx, db)
    assert r.code == 0 and r.err == "", r
    head_hash = query(db, "SELECT hash FROM audit WHERE seq = ?", last)[0][0]
    assert r.out == f"Audit trail intact: {n} entries.\nNewest entry: {last}:{head_hash}\n", r
    r = verify(ctx, db, "--head", f"{last}:{head_hash}")
    assert r.code == 0, r
    r = verify(ctx, db, "--head", f"3:{query(db, 'SELECT hash FROM audit WHERE seq = 3')[0][0]}")
    assert r.code == 0, r
    # the chain is what the documentation says it is
    prev = GENESIS
    for row in query(db, f"SELECT {COLS} FROM audit ORDER BY seq"):
        assert row[0] == prev and entry_hash(*row[:-1]) == row[-1], row
        prev = row[-1]
    # an empty trail is intact too
    empty = ctx.path("empty-audit.db")
    r = ctx.run("init", "--db", empty)
    r = verify(ctx, empty)
    assert r.code == 0 and "intact: 0 entries" in r.out, r


def broken(ctx, db, *expect):
    """verify must exit 1 and say each of expect (e.g. 'entry 7: deleted')."""
    r = verify(ctx, db)
    assert r.code == 1, r
    assert "the trail was tampered with" in r.err and "intact" not in r.out, r
    for text in expect:
        assert text in r.err, (text, r.err)
    return r.err


def test_verify_finds_a_modified_entry(ctx):
    db = copy(ctx, trail(ctx))
    seq = query(db, "SELECT seq FROM audit WHERE action = 'user.disable'")[0][0]
    after = query(db, "SELECT after_json FROM audit WHERE seq = ?", seq)[0][0]
    assert '"disabled":true' in after, after
    tamper(db, ("UPDATE audit SET after_json = ? WHERE seq = ?",
                after.replace('"disabled":true', '"disabled":false'), seq))
    err = broken(ctx, db, f"entry {seq}: modified", f"entry {seq} was modified")
    assert err.count("hoctap audit: entry") == 1, err
    # any field: who did it, when, a missing state made empty
    for sql in ("UPDATE audit SET actor = 'someone-else' WHERE seq = ?",
                "UPDATE audit SET at = at + 1 WHERE seq = ?",
                "UPDATE audit SET before_json = '' WHERE seq = ?"):
        db2 = copy(ctx, trail(ctx))
        tamper(db2, (sql, 2))
        broken(ctx, db2, "entry 2: modified")


def test_verify_finds_a_deleted_entry(ctx):
    db = copy(ctx, trail(ctx))
    tamper(db, ("DELETE FROM audit WHERE seq = 6",))
    broken(ctx, db, "entry 6: deleted", "entry 6 was deleted")
    db = copy(ctx, trail(ctx))
    tamper(db, ("DELETE FROM audit WHERE seq BETWEEN 4 AND 6",))
    broken(ctx, db, "entry 4: deleted", "entries 4 to 6 were deleted")
    db = copy(ctx, trail(ctx))
    tamper(db, ("DELETE FROM audit WHERE seq = 1",))
    broken(ctx, db, "entry 1: deleted")


def test_verify_finds_a_truncated_trail(ctx):
    db = copy(ctx, trail(ctx))
    n, last = count(db)
    tamper(db, ("DELETE FROM audit WHERE seq = ?", last))
    broken(ctx, db, f"entry {last}: truncated", f"the newest entries ({last} to {last})")
    db = copy(ctx, trail(ctx))
    tamper(db, ("DELETE FROM audit WHERE seq > ?", last - 3))
    broken(ctx, db, f"entry {last - 2}: truncated")
    # and the record of the head removed with it
    db = copy(ctx, trail(ctx))
    tamper(db, ("DELETE FROM audit WHERE seq = ?", last), ("DELETE FROM meta WHERE key = ?",
                                                           "audit_head"))
    broken(ctx, db, "audit_head")


def test_verify_finds_reordered_entries(ctx):
    db = copy(ctx, trail(ctx))
    tamper(db, ("UPDATE audit SET seq = -1 WHERE seq = 5",),
           ("UPDATE audit SET seq = 5 WHERE seq = 6",),
           ("UPDATE audit SET seq = 6 WHERE seq = -1",))
    err = broken(ctx, db, "reordered")
    assert "entry 5: reordered" in err and "entry 6" in err, err
    assert "modified" not in err, "the content of each entry is unchanged"


def test_verify_finds_an_inserted_entry(ctx):
    for valid in (False, True):
        db = copy(ctx, trail(ctx))
        prev = query(db, "SELECT hash FROM audit WHERE seq = 6")[0][0]
        fields = [prev, query(db, "SELECT at FROM audit WHERE seq = 6")[0][0] + 1, None,
                  "cli:someone", "local", "user.enable", "user", "quantri", "31",
                  None, '{"disabled":false}']
        forged = entry_hash(*fields) if valid else "f" * 64
        tamper(db,
               # make room at 7 (through negative numbers: seq is a primary key)
               ("UPDATE audit SET seq = -seq WHERE seq >= 7",),
               ("UPDATE audit SET seq = 1 - seq WHERE seq < 0",),
               ("INSERT INTO audit (prov, seq, at, actor_id, actor, addr, action, object_kind, "
                "object_id, unit_code, before_json, after_json, prev_hash, hash) VALUES (31, 7, "
                "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", *fields[1:], prev, forged))
        err = broken(ctx, db, "entry 7: inserted", "entry 7 was inserted")
        assert ("entry 7: modified" in err) is (not valid), err


def test_head_catches_a_rewritten_trail(ctx):
    db = copy(ctx, trail(ctx))
    r = verify(ctx, db)
    head = r.out.split("Newest entry: ")[1].strip()
    # rewrite from entry 5 on, recomputing every hash and the recorded head
    rows = query(db, f"SELECT seq, {COLS} FROM audit ORDER BY seq")
    con = sqlite3.connect(db)
    with con:
        prev = None
        for seq, *row in rows:
            if seq < 5:
                prev = row[-1]
                continue
            fields = [prev] + row[1:-1]
            if seq == 5:
                fields[9] = None  # before_json
            h = entry_hash(*fields)
            con.execute("UPDATE audit SET prev_hash = ?, before_json = ?, hash = ? WHERE seq = ?",
                        (prev, fields[9], h, seq))
            prev = h
        con.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'",
                    (f"{rows[-1][0]}:{prev}",))
    con.close()
    r = verify(ctx, db)
    assert r.code == 0, "a full rewrite passes without the kept head, as documented"
    r = verify(ctx, db, "--head", head)
    assert r.code == 1 and "the trail was rewritten" in r.err, r
    assert f"entry {head.split(':')[0]}:" in r.err, r
