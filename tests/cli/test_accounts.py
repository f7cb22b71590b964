"""Accounts from the command line: hoctap init (the first administrator), user
add|list|disable|enable|reset-password|set-password|token, role list|add and routes, against
the real binary. Every refusal says what is wrong in English, exits 1 (2 for a usage error)
and leaves the database as it was."""
import hashlib
import json
import re
import shutil

from harness import dump, query

PASSWORD = "Tai-khoan-vung-chac-2026"
OTP = r"[a-km-np-z2-9]{4}-[a-km-np-z2-9]{4}-[a-km-np-z2-9]{4}"
PERMS = {"units.read", "registry.read", "registry.write", "records.read", "records.write",
         "records.review", "records.approve", "personal.read", "personal.export",
         "users.manage", "audit.read", "criteria.manage", "funds.read", "funds.write",
         "funds.approve"}

_small = {}


def fresh_db(ctx):
    """A copy of a small demo database that has no account yet."""
    if ctx not in _small:
        path = ctx.path("accounts-demo.db")
        r = ctx.run("demo", "--db", path, "--households", "200", "--seed", "3")
        assert r.code == 0, r
        _small[ctx] = path
    db = ctx.path("accounts.db")
    shutil.copy(_small[ctx], db)
    return db


def users(ctx, db):
    r = ctx.run("user", "list", "--db", db, "--format", "json")
    assert r.code == 0, r
    return {u["username"]: u for u in json.loads(r.out)}


def add(ctx, db, name, *args, password=PASSWORD):
    return ctx.run_input(password + "\n", "user", "add", name, "--db", db, "--password-stdin",
                         *args)


def test_init_creates_the_first_administrator_once(ctx):
    db = fresh_db(ctx)
    assert query(db, "SELECT COUNT(*) FROM users") == [(0,)]
    r = ctx.run("init", "--db", db)
    assert r.code == 0, r
    assert "Created the first administrator." in r.out and "Username: admin" in r.out, r
    otp = re.search(r"One-time password: (\S+)", r.out).group(1)
    assert re.fullmatch(OTP, otp), otp
    assert "must be changed at the first login" in r.out, r
    rows = query(db, "SELECT username, role, unit_code, must_change, disabled, pw_hash FROM users")
    assert len(rows) == 1, rows
    name, role, unit, must_change, disabled, pw_hash = rows[0]
    assert (name, role, unit, must_change, disabled) == ("admin", "admin", "31", 1, 0), rows
    assert pw_hash.startswith("$argon2id$") and otp not in pw_hash, pw_hash
    assert users(ctx, db)["admin"]["state"] == "new"
    # again: nothing new
    before = dump(db)
    r = ctx.run("init", "--db", db)
    assert r.code == 0 and "Created" not in r.out and "One-time password" not in r.out, r
    assert dump(db) == before
    # another name for the first administrator
    db2 = fresh_db(ctx)
    r = ctx.run("init", "--db", db2, "--admin", "quantri")
    assert r.code == 0 and "Username: quantri" in r.out, r
    assert list(users(ctx, db2)) == ["quantri"]
    # no units yet: no administrator, and it says what to do
    empty = ctx.path("empty.db")
    r = ctx.run("init", "--db", empty)
    assert r.code == 0 and "No administrative units yet" in r.out, r
    assert query(empty, "SELECT COUNT(*) FROM users") == [(0,)]


def test_user_add_refusals_change_nothing(ctx):
    db = fresh_db(ctx)
    r = add(ctx, db, "quantri", "--role", "admin", "--unit", "31")
    assert r.code == 0, r
    before = dump(db)
    cases = [
        # (arguments, standard input, exit status, text the error must hold)
        (["add", "canbo", "--role", "truong-phong", "--unit", "31", "--password-stdin"], PASSWORD,
         1, "unknown role 'truong-phong'"),
        (["add", "Can Bo", "--role", "viewer", "--unit", "31", "--password-stdin"], PASSWORD, 1,
         "the username must be 3 to 64 lowercase letters"),
        (["add", "ab", "--role", "viewer", "--unit", "31", "--password-stdin"], PASSWORD, 1,
         "username"),
        (["add", "-x-", "--role", "viewer", "--unit", "31", "--password-stdin"], PASSWORD, 2, ""),
        (["add", "cán-bộ", "--role", "viewer", "--unit", "31", "--password-stdin"], PASSWORD, 1,
         "username"),
        (["add", "a" * 65, "--role", "viewer", "--unit", "31", "--password-stdin"], PASSWORD, 1,
         "username"),
        (["add", "quantri", "--role", "viewer", "--unit", "31", "--password-stdin"], PASSWORD, 1,
         "the username 'quantri' is taken"),
        (["add", "canbo", "--role", "viewer", "--unit", "31", "--password-stdin"], "Ngan-qua", 1,
         "at least 10 characters"),
        (["add", "canbo", "--role", "viewer", "--unit", "31", "--password-stdin"], "matkhau@2025",
         1, "too common"),
        (["add", "canbo", "--role", "viewer", "--unit", "31", "--password-stdin"],
         "CanBo-Hai-Phong-2026", 1, "must not contain the username"),
        (["add", "canbo", "--role", "viewer", "--unit", "31", "--password-stdin"], "", 1,
         "no password on standard input"),
        (["add", "canbo", "--role", "viewer", "--unit", "99999", "--password-stdin"], PASSWORD, 1,
         "unknown unit code '99999'"),
        (["add", "canbo", "--role", "viewer"], None, 2, "add needs --role ROLE and --unit CODE"),
        (["add", "canbo", "--unit", "31"], None, 2, "add needs --role ROLE and --unit CODE"),
        (["add"], None, 2, "add needs an account name"),
        (["promote", "canbo"], None, 2, "unknown command 'promote'"),
        (["list", "--format", "xml"], None, 2, "--format must be table or json"),
        (["disable", "khongco"], None, 1, "no account is named 'khongco'"),
        (["enable", "khongco"], None, 1, "no account is named 'khongco'"),
        (["reset-password", "khongco"], None, 1, "no account is named 'khongco'"),
        (["token", "khongco"], None, 1, "no account is named 'khongco'"),
        (["set-password", "khongco"], PASSWORD, 1, "no account is named 'khongco'"),
        (["set-password", "quantri"], "short", 1, "at least 10 characters"),
        (["set-password", "quantri"], "Quantri-2026-abc", 1, "must not contain the username"),
        (["set-password", "quantri"], "", 1, "reads the new password from standard input"),
    ]
    for args, stdin, code, text in cases:
        full = ["user"] + args + ["--db", db]
        r = ctx.run_input(stdin + "\n", *full) if stdin is not None else ctx.run(*full)
        assert r.code == code, (args, r)
        assert text in r.err and r.err.startswith("hoctap user: "), (args, r)
        assert r.out == "", (args, r)
        assert dump(db) == before, f"'{' '.join(args)}' changed the database"


def test_user_lifecycle(ctx):
    db = fresh_db(ctx)
    r = add(ctx, db, "quantri", "--role", "admin", "--unit", "31", "--full-name",
            "Nguyễn Văn Quản")
    assert r.code == 0 and r.out == "Created account 'quantri' (admin, unit 31).\n", r
    commune = query(db, "SELECT code FROM units WHERE parent_code = '31' AND valid_to IS NULL "
                        "ORDER BY code LIMIT 1")[0][0]
    r = ctx.run("user", "add", "canbo.xa_1", "--role", "data-entry", "--unit", commune,
                "--db", db)
    assert r.code == 0, r
    otp = re.search(r"One-time password: (\S+)", r.out).group(1)
    assert re.fullmatch(OTP, otp) and "must be changed at the first login" in r.out, r
    u = users(ctx, db)
    assert u["quantri"]["state"] == "active" and u["quantri"]["full_name"] == "Nguyễn Văn Quản"
    assert u["canbo.xa_1"]["state"] == "new" and u["canbo.xa_1"]["unit"] == commune, u
    assert u["canbo.xa_1"]["role"] == "data-entry" and u["canbo.xa_1"]["full_name"] == "canbo.xa_1"
    r = ctx.run("user", "list", "--db", db)
    assert r.code == 0 and r.out.splitlines()[0].split()[:4] == ["USERNAME", "ROLE", "UNIT",
                                                                 "STATE"], r
    assert any(line.split()[:4] == ["canbo.xa_1", "data-entry", commune, "new"]
               for line in r.out.splitlines()), r.out

    r = ctx.run("user", "token", "canbo.xa_1", "--db", db)
    assert r.code == 0 and re.fullmatch(r"hoctap_[A-Za-z0-9_-]{43}\n", r.out), r
    token = r.out.strip()
    stored = query(db, "SELECT token_hash FROM api_tokens")
    assert stored == [(hashlib.sha256(token.encode()).hexdigest(),)], stored
    r = ctx.run("user", "token", "canbo.xa_1", "--db", db)
    assert r.out.strip() != token and len(query(db, "SELECT 1 FROM api_tokens")) == 1

    r = ctx.run("user", "disable", "canbo.xa_1", "--db", db)
    assert r.code == 0 and "disabled; its sessions and token ended" in r.out, r
    assert users(ctx, db)["canbo.xa_1"]["state"] == "disabled"
    assert query(db, "SELECT COUNT(*) FROM api_tokens") == [(0,)], "disabling ends the token"
    r = ctx.run("user", "enable", "canbo.xa_1", "--db", db)
    assert r.code == 0 and "is enabled" in r.out, r
    assert users(ctx, db)["canbo.xa_1"]["state"] == "new"

    old_hash = query(db, "SELECT pw_hash FROM users WHERE username = 'quantri'")[0][0]
    r = ctx.run("user", "reset-password", "quantri", "--db", db)
    assert r.code == 0, r
    otp2 = re.search(r"One-time password for 'quantri': (\S+)", r.out).group(1)
    assert re.fullmatch(OTP, otp2), r
    assert users(ctx, db)["quantri"]["state"] == "new"
    assert query(db, "SELECT pw_hash FROM users WHERE username = 'quantri'")[0][0] != old_hash
    r = ctx.run_input("Mat-khau-moi-cua-toi\n", "user", "set-password", "quantri", "--db", db)
    assert r.code == 0 and "Password of 'quantri' changed" in r.out, r
    assert users(ctx, db)["quantri"]["state"] == "active", "an operator's password is not forced"


def test_roles_are_data(ctx):
    db = fresh_db(ctx)
    r = ctx.run("role", "list", "--db", db, "--format", "json")
    assert r.code == 0, r
    roles = {x["key"]: set(x["perms"].split()) for x in json.loads(r.out)}
    assert roles["admin"] == PERMS, roles["admin"]
    assert roles["viewer"] == {"units.read", "registry.read", "records.read"}
    assert roles["data-entry"] == roles["viewer"] | {"registry.write", "records.write",
                                                     "personal.read"}
    assert roles["reviewer"] == roles["viewer"] | {"records.review"}
    assert roles["approver"] == roles["viewer"] | {"records.review", "records.approve"}
    assert roles["treasurer"] == {"units.read", "registry.read", "funds.read", "funds.write"}
    r = ctx.run("role", "--help")
    assert r.code == 0 and all(p in r.out for p in PERMS), r
    before = dump(db)
    for args, text in [
        (["xa-vien", "--name-vi", "Xã viên", "--perms", "units.read records.fly"],
         "unknown permission 'records.fly'"),
        (["xa-vien", "--name-vi", "Xã viên", "--perms", "units.read,Records.Read"],
         "unknown permission 'Records.Read'"),
        (["Xa_Vien", "--name-vi", "Xã viên", "--perms", "units.read"],
         "the role key must be 1 to 32 lowercase letters, digits or '-', not 'Xa_Vien'"),
        (["xa-vien", "--name-vi", "", "--perms", "units.read"], "needs a Vietnamese name"),
    ]:
        r = ctx.run("role", "add", *args, "--db", db)
        assert r.code == 1 and text in r.err, (args, r)
        assert dump(db) == before, args
    r = ctx.run("role", "add", "xa-vien", "--db", db)
    assert r.code == 2 and "add needs KEY, --name-vi TEXT and --perms" in r.err, r
    r = ctx.run("role", "add", "xa-vien", "--name-vi", "Xã viên", "--name-en", "Member",
                "--perms", "units.read, records.read", "--db", db)
    assert r.code == 0 and "Role 'xa-vien' saved." in r.out, r
    r = ctx.run("role", "list", "--db", db, "--format", "json")
    role = next(x for x in json.loads(r.out) if x["key"] == "xa-vien")
    assert role == {"key": "xa-vien", "name_vi": "Xã viên", "name_en": "Member",
                    "perms": "units.read records.read"}, role
    r = add(ctx, db, "xavien", "--role", "xa-vien", "--unit", "31")
    assert r.code == 0, r
    assert users(ctx, db)["xavien"]["role"] == "xa-vien"
    # replacing a role changes what its holders may do
    r = ctx.run("role", "add", "xa-vien", "--name-vi", "Xã viên", "--perms", "units.read",
                "--db", db)
    assert r.code == 0, r
    r = ctx.run("role", "list", "--db", db)
    assert any(line.split()[0] == "xa-vien" and line.split()[-1] == "units.read"
               for line in r.out.splitlines()), r.out


def test_routes_declare_a_permission_for_every_endpoint(ctx):
    r = ctx.run("routes")
    assert r.code == 0 and r.err == "", r
    table = [json.loads(line) for line in r.out.splitlines()]
    assert len(table) >= 25, len(table)
    keys = [(x["method"], x["pattern"]) for x in table]
    assert len(set(keys)) == len(keys), "a route is listed twice"
    for x in table:
        assert set(x) == {"method", "pattern", "access", "perms", "scope",
                          "during_password_change"}, x
        assert x["method"] in ("GET", "POST", "PUT", "PATCH", "DELETE"), x
        assert x["access"] in ("public", "user", "perm"), x
        assert x["scope"] in ("none", "list", "unit-path", "unit-query", "household", "entity",
                              "decision", "certificate", "clan", "organisation",
                              "user-path", "body-unit", "fund", "fund-entry", "beneficiary",
                              "fund-batch"), x
        if x["access"] == "perm":
            assert x["perms"] and set(x["perms"].split()) <= PERMS, x
        else:
            assert x["perms"] == "" and x["scope"] == "none", x
    # the only ways in without an account: the front end's files, meta, logging in, the
    # certificate verification page the QR codes point at and the funds' transparency pages
    public = {k for k, x in zip(keys, table) if x["access"] == "public"}
    assert public == {("GET", "/api/v1/meta"), ("POST", "/api/v1/session"), ("GET", "/{*}"),
                      ("GET", "/verify/{code}"), ("GET", "/cong-khai"),
                      ("GET", "/cong-khai/{code}"), ("GET", "/cong-khai/{code}.pdf")}
    assert keys[-1] == ("GET", "/{*}"), "the catch-all for files must come last"
    r = ctx.run("routes", "--help")
    assert r.code == 0 and "Usage: hoctap routes" in r.out, r
