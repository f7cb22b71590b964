"""The hierarchy from the command line: import, validation, tree, history."""
import json
import os
import shutil
import subprocess

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


# ---- legacy text encodings (docs/encodings.md) ----

ENC_ROWS = [
    ("V5", "Thôn Đông Hòa"),
    ("V6", "Phường Hồng Bàng"),
    ("V7", "Trường THCS Lê Lợi"),
    ("V8", "Xóm Nguyễn Văn Ấn"),
    ("V9", "Tổ dân phố Quỳnh Phụ"),
]


def vni_encode(text):
    """UTF-8 -> VNI-Windows by the VNI chart (no codec exists for it)."""
    import unicodedata
    tones = {"\u0301": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0323": 4}
    tone_b, i_b = [0xF9, 0xF8, 0xFB, 0xF5, 0xEF], [0xED, 0xEC, 0xE6, 0xF3, 0xF2]
    circ_b, breve_b = [0xE1, 0xE0, 0xE5, 0xE3, 0xE4], [0xE9, 0xE8, 0xFA, 0xFC, 0xEB]
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ord(ch) < 0x80:
            out.append(ord(ch))
            continue
        d = unicodedata.normalize("NFD", ch)
        base, up = d[0], d[0].isupper()
        lo = base.lower()
        shape = next((m for m in d[1:] if m not in tones), None)
        tone = next((tones[m] for m in d[1:] if m in tones), None)
        b = lambda x: out.append(x - 0x20 if up else x)
        if lo == "đ":
            b(0xF1)
        elif lo == "i" and tone is not None:
            b(i_b[tone])
        elif lo == "y" and tone == 4:
            b(0xEE)
        elif shape == "\u031b":
            b(0xF4 if lo == "o" else 0xF6)
            if tone is not None:
                b(tone_b[tone])
        else:
            out.append(ord(base))
            if shape == "\u0302":
                b(0xE2 if tone is None else circ_b[tone])
            elif shape == "\u0306":
                b(0xEA if tone is None else breve_b[tone])
            elif tone is not None:
                b(tone_b[tone])
    return bytes(out)


def encoded_units_csv(ctx, encoding):
    text = "code,name,kind,parent_code,valid_from,valid_to,groups\r\n" + "".join(
        f"{code},{name},thon,N1,2025-07-01,,\r\n" for code, name in ENC_ROWS)
    if encoding == "vni":
        data = vni_encode(text)
    elif encoding in ("tcvn3", "viscii", "cp1258"):  # Python's cp1258 cannot decompose
        iconv_name = {"tcvn3": "TCVN5712-1", "viscii": "VISCII", "cp1258": "CP1258"}[encoding]
        data = subprocess.run(["iconv", "-f", "UTF-8", "-t", iconv_name], input=text.encode(),
                              capture_output=True, check=True).stdout
    elif encoding == "utf-16":
        data = text.encode("utf-16")  # with a BOM, as Excel's "Unicode text"
    else:
        data = text.encode(encoding)
    path = ctx.path(f"units-{encoding}.csv")
    with open(path, "wb") as f:
        f.write(data)
    return path


def stored_names(db):
    codes = tuple(code for code, _ in ENC_ROWS)
    return dict(query(db, f"SELECT code, name FROM units WHERE code IN {codes}"))


def test_legacy_encodings_are_detected_and_imported(ctx):
    labels = {"tcvn3": "TCVN3 (ABC)", "vni": "VNI-Windows", "viscii": "VISCII",
              "cp1258": "Windows-1258", "utf-16": "UTF-16 LE"}
    for encoding, label in labels.items():
        if os.path.exists(ctx.path("units.db")):
            os.remove(ctx.path("units.db"))
        db = base_db(ctx)
        path = encoded_units_csv(ctx, encoding)
        r = ctx.run("units", "import", path, "--db", db)
        assert r.code == 0 and "5 added" in r.out, (encoding, r)
        assert f"Encoding: {label} detected" in r.out and "--encoding" in r.out, (encoding, r)
        assert stored_names(db) == dict(ENC_ROWS), encoding


def test_encoding_option_overrides_detection(ctx):
    db = base_db(ctx)
    path = encoded_units_csv(ctx, "vni")
    r = ctx.run("units", "import", path, "--db", db, "--encoding", "VNI-Windows")
    assert r.code == 0 and "5 added" in r.out and "Encoding:" not in r.out, r
    assert stored_names(db) == dict(ENC_ROWS)
    # Read as Windows-1258 on purpose: the import succeeds with other letters.
    r = ctx.run("units", "import", path, "--db", db, "--encoding", "cp1258")
    assert r.code == 0 and "5 updated" in r.out, r
    assert stored_names(db)["V5"] != "Thôn Đông Hòa"
    # A byte that the named encoding does not define is refused with its offset.
    r = ctx.run("units", "import", path, "--db", db, "--encoding", "utf-8")
    assert r.code == 1 and "byte " in r.err and "UTF-8" in r.err and "--encoding" in r.err, r
    # import-changes takes the option too
    changes = ctx.path("changes-utf16.csv")
    with open(changes, "wb") as f:
        f.write("date,old_code,new_code\n2025-07-01,C1,N2\n".encode("utf-16-be"))
    r = ctx.run("units", "import-changes", changes, "--db", db, "--encoding", "utf-16be")
    assert r.code == 0 and "1 added" in r.out, r


def test_unknown_encoding_is_a_usage_error(ctx):
    db = ctx.path("x.db")
    r = ctx.run("units", "import", os.path.join(UNITS, "base.csv"), "--db", db,
                "--encoding", "latin-9")
    assert r.code == 2, r
    assert "latin-9" in r.err and all(n in r.err for n in ("utf-8", "tcvn3", "vni", "viscii",
                                                             "cp1258", "utf-16le")), r
    r = ctx.run("units", "import-changes", os.path.join(UNITS, "changes.csv"), "--db", db,
                "--encoding", "koi8")
    assert r.code == 2 and "--encoding" in r.err, r
