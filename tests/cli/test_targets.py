"""Programme targets as data: checking files, listing and showing the sets,
and the target that applies to every measure in a year."""
import json
import os
import re
import shutil

from harness import DATA, ROOT, dump, query, write

TGT = os.path.join(DATA, "targets")
SHIPPED = os.path.join(ROOT, "targets")

# Every row of the targets table of the domain notes (criteria.md), as
# (set, measure, year, group, percent, provenance).
S, A = "source", "assumed"
DOMAIN_TABLE = [
    ("qd-281", "gia-dinh-hoc-tap", 2020, None, 70, S),
    ("qd-281", "gia-dinh-hoc-tap", 2020, "difficult", 60, S),
    ("qd-281", "dong-ho-hoc-tap", 2020, None, 50, S),
    ("qd-281", "dong-ho-hoc-tap", 2020, "difficult", 40, S),
    ("qd-281", "cong-dong-hoc-tap-thon", 2020, None, 60, S),
    ("qd-281", "cong-dong-hoc-tap-thon", 2020, "difficult", 50, S),
    ("qd-281", "don-vi-hoc-tap", 2020, None, 50, S),
    ("qd-387", "gia-dinh-hoc-tap", 2025, None, 70, S),
    ("qd-387", "gia-dinh-hoc-tap", 2030, None, 80, A),
    ("qd-387", "dong-ho-hoc-tap", 2025, None, 65, S),
    ("qd-387", "dong-ho-hoc-tap", 2030, None, 75, A),
    ("qd-387", "cong-dong-hoc-tap-thon", 2025, None, 65, S),
    ("qd-387", "cong-dong-hoc-tap-thon", 2030, None, 75, A),
    ("qd-387", "don-vi-hoc-tap", 2025, None, 80, S),
    ("qd-387", "don-vi-hoc-tap", 2030, None, 90, A),
    ("qd-387", "cong-dan-hoc-tap-lao-dong", 2025, None, 40, S),
    ("qd-387", "cong-dan-hoc-tap-lao-dong", 2030, None, 60, A),
    ("qd-387", "cong-dan-hoc-tap-can-bo", 2025, None, 60, S),
    ("qd-387", "cong-dan-hoc-tap-can-bo", 2030, None, 80, A),
    ("qd-677", "cong-dan-hoc-tap-nguoi-lon", 2025, None, 40, S),
    ("qd-677", "cong-dan-hoc-tap-nguoi-lon", 2030, None, 60, S),
    ("qd-677", "cong-dan-hoc-tap-don-vi", 2025, None, 60, S),
    ("qd-677", "cong-dan-hoc-tap-don-vi", 2030, None, 80, S),
    ("qd-677", "ky-nang-so", 2025, None, 70, S),
    ("qd-677", "ky-nang-so", 2030, None, 90, S),
    ("qd-677", "ky-nang-so-thanh-thao", 2025, None, 60, S),
    ("qd-677", "ky-nang-so-thanh-thao", 2030, None, 80, S),
    ("qd-1373", "cong-dan-hoc-tap", 2025, None, 40, S),
    ("qd-1373", "cong-dan-hoc-tap", 2030, None, 60, S),
    ("qd-1373", "huyen-hoc-tap", 2030, None, 50, S),
    ("qd-1373", "tinh-hoc-tap", 2030, None, 35, S),
    ("qd-1373", "hieu-biet-thong-tin", 2025, None, 50, S),
    ("qd-1373", "hieu-biet-thong-tin", 2030, None, 70, S),
    ("qd-1373", "ky-nang-song", 2025, None, 50, S),
    ("qd-1373", "ky-nang-song", 2030, None, 70, S),
]
DECISIONS = {"qd-281": ("QĐ 281/QĐ-TTg", "2014-02-20"), "qd-387": ("QĐ 387/QĐ-TTg", "2022-03-25"),
             "qd-677": ("QĐ 677/QĐ-TTg", "2022-06-03"),
             "qd-1373": ("QĐ 1373/QĐ-TTg", "2021-07-30")}


def targets_for(ctx, *args):
    r = ctx.run("targets", "for", "--format", "json", *args)
    assert r.code == 0, r
    return {t["measure"]: t["target"] for t in json.loads(r.out)["targets"]}


def test_check_accepts_the_shipped_files(ctx):
    files = sorted(os.path.join(SHIPPED, f) for f in os.listdir(SHIPPED) if f.endswith(".tgt"))
    assert [os.path.basename(f) for f in files] == \
        ["qd-1373.tgt", "qd-281.tgt", "qd-387.tgt", "qd-677.tgt"], files
    r = ctx.run("targets", "check", *files)
    assert r.code == 0 and r.err == "", r
    assert r.out == "4 file(s), 4 target set(s): no problems found.\n", r


def test_check_reports_line_column_and_hint(ctx):
    path = os.path.join(TGT, "bad.tgt")
    r = ctx.run("targets", "check", path)
    assert r.code == 1 and r.out == "", r
    expected = [
        (4, 32, "expected the measure's English name (after the Vietnamese one) in double quotes"),
        (7, 26, "'2022-02-30' is not a date; write YYYY-MM-DD"),
        (8, 32, "expected the target as a percentage (e.g. 70%), found a number"),
        (10, 1, "the target of dong-ho-hoc-tap for 2025 needs a 'source \"...\"' or 'assumed"),
        (11, 35, "unexpected 'in' at the end of the line; only 'group KEY' may follow"),
        (13, 3, "unknown keyword 'objective'; a line starts with targets, name"),
    ]
    lines = r.err.splitlines()
    assert len(lines) == len(expected) + 1, r
    for (line, col, text), got in zip(expected, lines):
        assert got.startswith(f"{path}:{line}:{col}: {text}"), (line, col, text, got)
    assert lines[-1] == "hoctap targets check: 6 problem(s) found.", r


def test_check_measures_against_titles_and_the_shipped_files(ctx):
    path = write(ctx.path("mine.tgt"), "\n".join([
        'measure ky-nang-so "Kỹ năng số" "Digital skills"',
        'targets hp-x', ' name "Thử"', ' decision "KH 1" 2023-01-01', ' province 31',
        ' target gia-dinh-hoc-tapp 2025 80%', '  assumed "x"',
        ' target ky-nang-so 2025 80%', '  assumed "x"', '']))
    r = ctx.run("targets", "check", path)
    assert r.code == 1 and r.out == "", r
    assert f"{path}:6:9: unknown measure 'gia-dinh-hoc-tapp'" in r.err, r
    assert re.search(re.escape(path) + r":1:1: measure ky-nang-so is declared in "
                     r"targets/qd-677\.tgt:\d+ as", r.err), r
    assert "2 problem(s) found" in r.err, r
    # The same set with the shipped declaration and a title key passes.
    fixed = open(os.path.join(SHIPPED, "qd-677.tgt"), encoding="utf-8").read()
    decl = next(x for x in fixed.splitlines() if x.startswith("measure ky-nang-so "))
    good = write(ctx.path("good.tgt"), open(path, encoding="utf-8").read()
                 .replace("gia-dinh-hoc-tapp", "gia-dinh-hoc-tap")
                 .replace('measure ky-nang-so "Kỹ năng số" "Digital skills"', decl))
    r = ctx.run("targets", "check", good)
    assert r.code == 0 and "1 target set(s): no problems found" in r.out, r


def test_list_holds_every_row_of_the_domain_table(ctx):
    r = ctx.run("targets", "list", "--format", "json")
    assert r.code == 0 and r.err == "", r
    sets = {s["key"]: s for s in json.loads(r.out)["sets"]}
    assert set(sets) == set(DECISIONS), sorted(sets)
    got = []
    for key, s in sets.items():
        assert (s["decision"], s["decision_date"]) == DECISIONS[key], s
        assert s["province"] is None and s["file"] == f"targets/{key}.tgt", s
        for m in s["measures"]:
            assert m["name"] and m["name_en"], m
            for t in m["targets"]:
                got.append((key, m["measure"], t["year"], t["group"], round(t["value"] * 100)))
    assert sorted(got, key=repr) == sorted([row[:5] for row in DOMAIN_TABLE], key=repr)
    # The table: one block per set, national sets by decision date.
    r = ctx.run("targets", "list")
    assert r.code == 0, r
    heads = [line.split()[0] for line in r.out.splitlines() if line and not line.startswith(" ")]
    assert heads == ["qd-281", "qd-1373", "qd-387", "qd-677"], r.out
    assert "qd-387  QĐ 387/QĐ-TTg of 2022-03-25  toàn quốc  Chương trình" in r.out, r.out
    assert re.search(r"^  gia-dinh-hoc-tap +70% difficult:60%$", r.out, re.M), r.out
    assert re.search(r"^  huyen-hoc-tap +- +50%$", r.out, re.M), r.out


def test_show_gives_every_target_with_its_provenance(ctx):
    r = ctx.run("targets", "show", "qd-387", "--format", "json")
    assert r.code == 0, r
    s = json.loads(r.out)
    got = [(s["key"], t["measure"], t["year"], t["group"], round(t["value"] * 100),
            t["source"]["provenance"]) for t in s["targets"]]
    assert got == [row for row in DOMAIN_TABLE if row[0] == "qd-387"], got
    for t in s["targets"]:
        assert t["source"]["reference"].startswith("QĐ 387/QĐ-TTg"), t
    r = ctx.run("targets", "show", "qd-387")
    assert r.code == 0, r
    assert re.search(r"^    2030  - +80%  \[A\] QĐ 387/QĐ-TTg, mục tiêu đến năm 2030", r.out, re.M), r
    assert re.search(r"^    2025  - +70%  \[S\] QĐ 387/QĐ-TTg, mục tiêu cụ thể", r.out, re.M), r
    r = ctx.run("targets", "show", "qd-281")
    assert re.search(r"^    2020  difficult +60%  \[S\] QĐ 281/QĐ-TTg", r.out, re.M), r
    r = ctx.run("targets", "show", "qd-999")
    assert r.code == 1 and r.out == "" and "unknown target set 'qd-999'" in r.err, r


def test_for_applies_the_rules(ctx):
    t = targets_for(ctx, "--year", "2024")
    assert set(t) == {row[1] for row in DOMAIN_TABLE}, sorted(t)
    # between two milestones: the next one, from the latest decision that has it
    assert (t["gia-dinh-hoc-tap"]["set"], t["gia-dinh-hoc-tap"]["year"],
            t["gia-dinh-hoc-tap"]["value"]) == ("qd-387", 2025, 0.7), t["gia-dinh-hoc-tap"]
    assert (t["huyen-hoc-tap"]["year"], t["huyen-hoc-tap"]["value"]) == (2030, 0.5)
    assert t["ky-nang-so"]["source"]["provenance"] == "source"
    # a unit in the group `difficult` in 2019: QĐ 281's lower value; others the general one
    t = targets_for(ctx, "--year", "2019", "--groups", "rural|difficult")
    assert (t["gia-dinh-hoc-tap"]["set"], t["gia-dinh-hoc-tap"]["value"],
            t["gia-dinh-hoc-tap"]["group"]) == ("qd-281", 0.6, "difficult")
    assert (t["don-vi-hoc-tap"]["value"], t["don-vi-hoc-tap"]["group"]) == (0.5, None)
    # 2019: QĐ 1373 (2021) and QĐ 677 (2022) were not decided yet
    assert t["cong-dan-hoc-tap"] is None and t["ky-nang-so"] is None, t
    # past every milestone: the latest milestone of the latest set
    t = targets_for(ctx, "--year", "2040")
    assert (t["gia-dinh-hoc-tap"]["year"], t["gia-dinh-hoc-tap"]["value"],
            t["gia-dinh-hoc-tap"]["source"]["provenance"]) == (2030, 0.8, "assumed")
    # an explicit decision: that set only
    t = targets_for(ctx, "--year", "2025", "--decision", "qd-281", "--groups", "difficult")
    assert set(t) == {"gia-dinh-hoc-tap", "dong-ho-hoc-tap", "cong-dong-hoc-tap-thon",
                      "don-vi-hoc-tap"}, t
    assert (t["dong-ho-hoc-tap"]["year"], t["dong-ho-hoc-tap"]["value"]) == (2020, 0.4)


def test_for_with_a_province_set(ctx):
    hp = os.path.join(TGT, "hai-phong.tgt")
    t = targets_for(ctx, "--year", "2024", "--province", "31", "--groups", "difficult",
                    "--file", hp)
    assert (t["gia-dinh-hoc-tap"]["set"], t["gia-dinh-hoc-tap"]["value"],
            t["gia-dinh-hoc-tap"]["group"]) == ("hp-thu", 0.75, "difficult")
    assert (t["ky-nang-so"]["set"], t["ky-nang-so"]["value"]) == ("hp-thu", 0.8)
    assert t["ky-nang-so"]["source"]["provenance"] == "assumed"
    assert t["dong-ho-hoc-tap"]["set"] == "qd-387"  # a measure the province did not set
    # another province does not see it
    t = targets_for(ctx, "--year", "2024", "--province", "15", "--file", hp)
    assert t["gia-dinh-hoc-tap"]["set"] == "qd-387", t["gia-dinh-hoc-tap"]
    # the table, as an officer reads it
    r = ctx.run("targets", "for", "--year", "2024", "--province", "31", "--file", hp)
    assert r.code == 0 and r.err == "", r
    assert r.out.startswith("Targets for 2024, a unit of province 31:\n"), r.out
    assert re.search(r"^  gia-dinh-hoc-tap +85% +2025 +hp-thu +- +\[A\] Gia đình học tập$",
                     r.out, re.M), r.out
    assert re.search(r"^  huyen-hoc-tap +50% +2030 +qd-1373 +- +\[S\] ", r.out, re.M), r.out
    r = ctx.run("targets", "for", "--year", "2019")
    assert re.search(r"^  ky-nang-so +- +- +- +- +Công dân học tập có kỹ năng số", r.out, re.M), r


def test_a_bad_file_stops_list_show_and_for(ctx):
    bad = os.path.join(TGT, "bad.tgt")
    for args in (["list"], ["show", "qd-387"], ["for", "--year", "2025"]):
        r = ctx.run("targets", *args, "--file", bad)
        assert r.code == 1 and r.out == "", (args, r)
        assert f"{bad}:7:26: '2022-02-30' is not a date" in r.err, (args, r)
        assert "6 problem(s) in the targets; fix them first" in r.err, (args, r)


def test_usage_errors(ctx):
    cases = [(["targets"], "a subcommand is needed"),
             (["targets", "frob"], "unknown subcommand 'frob'"),
             (["targets", "check"], "check needs at least one FILE"),
             (["targets", "show"], "show needs exactly one target set KEY"),
             (["targets", "for", "--year", "20x"], "--year must be a year"),
             (["targets", "for", "--province", "0"], "--province must be a province code"),
             (["targets", "for", "--groups", "difficult,island"], "separated by '|'"),
             (["targets", "list", "--format", "xml"], "--format must be table or json"),
             (["targets", "list", "--nope"], "unknown or incomplete option '--nope'")]
    for args, text in cases:
        r = ctx.run(*args)
        assert r.code == 2 and r.out == "" and text in r.err, (args, r)
    r = ctx.run("targets", "for", "--decision", "qd-999")
    assert r.code == 1 and "unknown target set 'qd-999'" in r.err, r
    r = ctx.run("targets", "check", os.path.join(TGT, "no-such.tgt"))
    assert r.code == 1 and "cannot open" in r.err, r
    r = ctx.run("help")
    assert re.search(r"^  targets +check targets files", r.out, re.M), r
    r = ctx.run("targets", "--help")
    assert r.code == 0 and "for [--year Y] [--province CODE]" in r.out, r


def test_a_province_imports_its_own_targets_into_the_database(ctx):
    """hoctap targets import: checked with the shipped sets, stored, used by the evaluation
    and the server; a bad file changes nothing; remove goes back."""
    db = ctx.path("targets.db")
    shutil.copy(ctx.demo_db(), db)
    before = dump(db)
    r = ctx.run("targets", "import", os.path.join(TGT, "bad.tgt"), "--db", db)
    assert r.code == 1 and "bad.tgt:7:" in r.err and "nothing was imported" in r.err, r
    assert dump(db) == before
    r = ctx.run("targets", "import", os.path.join(TGT, "hai-phong.tgt"), "--db", db)
    assert r.code == 0, r
    r = ctx.run("targets", "for", "--year", "2025", "--province", "31", "--db", db)
    assert r.code == 0 and "hp-thu" in r.out, r
    r = ctx.run("evaluate", "--year", "2025", "--db", db, "--format", "json")
    fam = [u for u in json.loads(r.out)["units"]
           if u["code"] == "31" and u["title"] == "gia-dinh-hoc-tap"]
    assert fam and abs(fam[0]["target"] - 0.85) < 1e-9, r.out[:600]
    # importing it again replaces it; removing it goes back to QĐ 387's 70%
    assert ctx.run("targets", "import", os.path.join(TGT, "hai-phong.tgt"), "--db", db).code == 0
    assert ctx.run("targets", "remove", "hai-phong", "--db", db).code == 0
    r = ctx.run("targets", "remove", "hai-phong", "--db", db)
    assert r.code == 1 and "no imported target file" in r.err, r
    r = ctx.run("targets", "for", "--year", "2025", "--province", "31", "--db", db)
    assert "hp-thu" not in r.out, r.out
    assert query(db, "SELECT COUNT(*) FROM audit WHERE action IN ('targets.import', "
                 "'targets.remove')")[0][0] == 3
