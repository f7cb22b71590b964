"""The hierarchy from the command line: import, validation, tree, history."""
import json
import os
import shutil

from harness import DATA, dump, query

UNITS = os.path.join(DATA, "units")


def base_db(ctx):
    db = ctx.path("units.db")
    r = ctx.run("units", "import", os.path.join(UNITS, "base.csv"), "--db", db)
    assert r.code == 0, r
    assert "12 row(s): 12 added" in r.out, r
    r = ctx.run("units", "import-changes", os.path.join(UNITS, "changes.csv"), "--db", db)
    assert r.code == 0 and "3 row(s): 3 added, 0 updated, 0 unchanged" in r.out, r
    return db


def tree(ctx, db, *args):
    r = ctx.run("units", "tree", "--db", db, "--format", "json", *args)
    assert r.code == 0, r
    return json.loads(r.out)


def test_tree_before_and_after_reform(ctx):
    db = base_db(ctx)
    before = tree(ctx, db, "--date", "2024-06-30")
    assert [u["code"] for u in before["units"]] == ["P1"]
    districts = before["units"][0]["children"]
    assert sorted(u["code"] for u in districts) == ["D1", "D2"]
    d1 = next(u for u in districts if u["code"] == "D1")
    assert [u["name"] for u in d1["children"]] == ["Xã An Bình", "Xã Đông Hòa"]
    after = tree(ctx, db, "--date", "2025-07-01")
    kids = after["units"][0]["children"]
    assert sorted(u["code"] for u in kids) == ["N1", "N2"]
    n1 = next(u for u in kids if u["code"] == "N1")
    assert [v["code"] for v in n1["children"]] == ["V1"]
    assert n1["kind_name"] == "Xã" and n1["groups"] == ["rural"]


def test_tree_table_root_and_depth(ctx):
    db = base_db(ctx)
    r = ctx.run("units", "tree", "--db", db, "--date", "2024-06-30", "--root", "D1", "--depth", "1")
    assert r.code == 0, r
    lines = r.out.splitlines()
    assert lines[0].startswith("D1") and "Huyện Một" in lines[0]
    assert any("C1" in l and "Xã An Bình" in l for l in lines)
    assert not any("V1" in l for l in lines), "depth 1 must stop above the villages"
    r = ctx.run("units", "tree", "--db", db, "--date", "2025-07-01", "--root", "D1")
    assert r.code == 1 and "not valid on 2025-07-01" in r.err, r


def test_history_lists_predecessors_and_successors(ctx):
    db = base_db(ctx)
    r = ctx.run("units", "history", "N1", "--db", db)
    assert r.code == 0, r
    assert "2025-07-01  C1" in r.out and "2025-07-01  C2" in r.out, r
    r = ctx.run("units", "history", "C2", "--db", db, "--format", "json")
    h = json.loads(r.out)
    assert h["successors"][0]["code"] == "N1" and h["successors"][0]["date"] == "2025-07-01"
    assert h["versions"][0]["valid_to"] == "2025-06-30"
    r = ctx.run("units", "history", "V1", "--db", db, "--format", "json")
    versions = json.loads(r.out)["versions"]
    assert [v["parent_code"] for v in versions] == ["C1", "N1"]


def test_reimport_is_harmless(ctx):
    db = base_db(ctx)
    before = dump(db)
    r = ctx.run("units", "import", os.path.join(UNITS, "base.csv"), "--db", db)
    assert r.code == 0 and "12 unchanged" in r.out, r
    r = ctx.run("units", "import-changes", os.path.join(UNITS, "changes.csv"), "--db", db)
    assert r.code == 0 and "3 unchanged" in r.out, r
    after = dump(db)
    after["meta"] = before["meta"]  # the generation counter moves; nothing else may
    assert before == after


def rejected(ctx, sub, name, expected):
    """Imports a bad file on top of the base data: exit 1, each expected
    (row, text) reported, and the database exactly as it was."""
    db = base_db(ctx)
    before = dump(db)
    path = os.path.join(UNITS, name)
    r = ctx.run("units", sub, path, "--db", db)
    assert r.code == 1, r
    for row, text in expected:
        prefix = f"{path}:{row}:"
        assert any(l.startswith(prefix) and text in l for l in r.err.splitlines()), \
            f"expected '{prefix} ... {text}' in:\n{r.err}"
    assert "nothing was imported" in r.err, r
    assert dump(db) == before, "a rejected import changed the database"


def test_rejects_cycle(ctx):
    rejected(ctx, "import", "bad-cycle.csv", [(2, "own ancestor"), (3, "own ancestor")])


def test_rejects_unknown_parent(ctx):
    rejected(ctx, "import", "bad-unknown-parent.csv", [(3, "unknown parent 'ZZ9'")])


def test_rejects_overlapping_validity(ctx):
    rejected(ctx, "import", "bad-overlap.csv", [(3, "overlaps")])


def test_rejects_child_outside_parent(ctx):
    rejected(ctx, "import", "bad-outside-parent.csv", [(3, "parent D1 is not valid on 2025-07-01")])


def test_rejects_merge_into_missing_unit(ctx):
    rejected(ctx, "import-changes", "bad-merge-unknown.csv",
             [(3, "unknown unit 'N9': a unit cannot be merged into a unit that does not exist")])


def test_rejects_bad_fields_and_header(ctx):
    rejected(ctx, "import", "bad-fields.csv",
             [(2, "'2020-13-01' is not a date"), (3, "the name is empty"), (3, "unknown kind 'lang'")])
    rejected(ctx, "import", "bad-header.csv", [(1, "required column 'parent_code' is missing")])


def test_missing_file_and_bad_usage(ctx):
    db = ctx.path("x.db")
    r = ctx.run("units", "import", "/nonexistent/units.csv", "--db", db)
    assert r.code == 1 and "/nonexistent/units.csv" in r.err, r
    r = ctx.run("units", "tree", "--date", "30/06/2024", "--db", db)
    assert r.code == 2 and "--date" in r.err, r
    r = ctx.run("units", "tree", "--format", "xml", "--db", db)
    assert r.code == 2 and "--format" in r.err, r
    r = ctx.run("units", "frobnicate")
    assert r.code == 2 and "unknown subcommand" in r.err, r


def test_database_path_precedence(ctx):
    folder = ctx.path("cwd")
    os.makedirs(folder)
    shutil.copy(os.path.join(UNITS, "base.csv"), folder)
    env_db = os.path.join(folder, "env.db")
    flag_db = os.path.join(folder, "flag.db")
    r = ctx.run("init", env={"HOCTAP_DB": env_db})
    assert r.code == 0 and os.path.exists(env_db), r
    r = ctx.run("init", "--db", flag_db, env={"HOCTAP_DB": env_db})
    assert r.code == 0 and os.path.exists(flag_db), r
    r = ctx.run("init")
    assert r.code == 0 and os.path.exists(os.path.join(ctx.tmp, "hoctap.db")), r
    os.remove(os.path.join(ctx.tmp, "hoctap.db"))


def test_older_database_upgrades_in_place(ctx):
    db = ctx.path("old.db")
    r = ctx.run("units", "import", os.path.join(UNITS, "base.csv"), "--db", db,
                env={"HOCTAP_SCHEMA_TARGET": "1"})
    assert r.code == 0, r
    assert query(db, "SELECT MAX(version) FROM schema_migrations") == [(1,)]
    assert not query(db, "SELECT name FROM sqlite_master WHERE name = 'households'")
    r = ctx.run("init", "--db", db)
    assert r.code == 0, r
    latest = query(db, "SELECT MAX(version) FROM schema_migrations")[0][0]
    assert latest >= 2
    assert query(db, "SELECT name FROM sqlite_master WHERE name = 'households'")
    assert query(db, "SELECT COUNT(*) FROM units") == [(12,)], "the upgrade lost data"


def test_spreadsheet_csv_variants_import(ctx):
    """A file saved by Excel in Vietnam: BOM, semicolons, CRLF, quoted names,
    columns in another order and upper case, decomposed diacritics."""
    db = base_db(ctx)
    text = ("\ufeffVALID_FROM;Code;Name;Kind;Parent_Code;Groups\r\n"
            "2025-07-01;V3;\"Thôn \"\"Mới\"\"; Đông\";thon;N1;rural\r\n"
            "2025-07-01;V4;Tho\u0302n Be\u0302\u0301n;thon;N1;\r\n")
    path = ctx.path("excel.csv")
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    r = ctx.run("units", "import", path, "--db", db)
    assert r.code == 0 and "2 added" in r.out, r
    names = dict(query(db, "SELECT code, name FROM units WHERE code IN ('V3', 'V4')"))
    assert names["V3"] == 'Thôn "Mới"; Đông'
    assert names["V4"] == "Thôn Bến", "names must be stored NFC"
    assert query(db, "SELECT name_key FROM units WHERE code = 'V4'") == [("thon ben",)]


def test_split_history(ctx):
    """One old commune split into two new ones: both are successors."""
    db = base_db(ctx)
    path = ctx.path("split.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("date,old_code,new_code\n2025-07-01,C1,N2\n")
    r = ctx.run("units", "import-changes", path, "--db", db)
    assert r.code == 0, r
    r = ctx.run("units", "history", "C1", "--db", db, "--format", "json")
    succ = sorted(s["code"] for s in json.loads(r.out)["successors"])
    assert succ == ["N1", "N2"], succ
