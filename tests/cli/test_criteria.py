"""Criteria as data: checking files, listing and showing the titles in force."""
import json
import os
import re

from harness import DATA, write

CRIT = os.path.join(DATA, "criteria")

DEFAULT_TITLES = {
    "cong-dan-hoc-tap": ("person", "points", [f"i{n}" for n in range(1, 11)]),
    "gia-dinh-hoc-tap": ("household", "points",
                         ["C1a", "C1b", "C1c", "C2a", "C2b", "C2c", "C3a", "C3b", "C4a", "C4b"]),
    "dong-ho-hoc-tap": ("clan", "points", ["D1", "D2", "D3", "D4"]),
    "cong-dong-hoc-tap-thon": ("village", "points", ["V1", "V2", "V3", "V4"]),
    "don-vi-hoc-tap": ("organisation", "levels", [f"U{n}" for n in range(1, 16)]),
    "cong-dong-hoc-tap-xa": ("commune", "levels", [f"X{n}" for n in range(1, 15)]),
    "huyen-hoc-tap": ("district", "levels", [f"Q{n}" for n in range(1, 14)]),
    "tinh-hoc-tap": ("province", "levels", [f"P{n}" for n in range(1, 17)]),
}


def test_check_accepts_a_good_file(ctx):
    r = ctx.run("criteria", "check", os.path.join(CRIT, "example.crit"))
    assert r.code == 0 and "3 title(s): no problems" in r.out, r


def test_check_reports_line_column_and_hint(ctx):
    path = os.path.join(CRIT, "errors.crit")
    r = ctx.run("criteria", "check", path)
    assert r.code == 1, r
    expected = [(3, 10, "unknown entity 'hamlet'"), (4, 16, "'2015-13-01' is not a date"),
                (8, 44, "expected 'and' in 'between LOW and HIGH'"),
                (11, 10, "unknown word 'frobnicate'"),
                (10, 1, "item A2 needs a 'source")]
    for line, col, text in expected:
        assert f"{path}:{line}:{col}: {text}" in r.err, (line, col, text, r.err)


def test_check_rejects_a_cycle_between_titles(ctx):
    path = os.path.join(CRIT, "cycle.crit")
    r = ctx.run("criteria", "check", path)
    assert r.code == 1 and "cycle (vong-a -> vong-b -> vong-a)" in r.err, r
    assert re.search(re.escape(path) + r":\d+:\d+: titles depend on each other", r.err), r


def test_check_reports_unknown_title_and_bad_syntax(ctx):
    path = write(ctx.path("ref.crit"), "\n".join([
        'title t1', ' name "T"', ' entity clan', ' decision "X"', ' applies_from 2020',
        ' scoring points', ' item A 10 "a"', '  when any households : recognised no-such-title',
        '  assumed "x"', ' recognise when total >= 10 and', '  assumed "x"', 'frob 1', '']))
    r = ctx.run("criteria", "check", path)
    assert r.code == 1, r
    assert f"{path}:10:" in r.err and "a value, a fact or a test" in r.err, r
    assert f"{path}:12:1: unknown keyword 'frob'" in r.err, r


def test_show_and_list_a_file(ctx):
    ex = os.path.join(CRIT, "example.crit")
    r = ctx.run("criteria", "show", "dong-ho-thu", "--file", ex, "--year", "2025",
                "--format", "json")
    assert r.code == 0, r
    t = json.loads(r.out)
    d1 = t["items"][0]
    assert d1["value"] == "share households : recognised gia-dinh-thu"
    assert [x["points"] for x in d1["rules"]] == [40, 20]
    assert d1["rules"][0]["when"] == "value >= 70%"
    assert d1["source"]["provenance"] == "assumed"
    r = ctx.run("criteria", "show", "xa-thu", "--file", ex, "--year", "2023")
    assert r.code == 1 and "no version of xa-thu applies in 2023" in r.err, r
    r = ctx.run("criteria", "show", "nope", "--file", ex)
    assert r.code == 1 and "unknown title 'nope'" in r.err, r


def test_rules_print_back_as_the_same_rules(ctx):
    """show prints each rule in the file syntax: a file written from the
    printed rules checks clean and prints the same rules again."""
    ex = os.path.join(CRIT, "example.crit")
    first = json.loads(ctx.run("criteria", "show", "gia-dinh-thu", "--file", ex,
                               "--format", "json").out)
    lines = ['title gia-dinh-thu', ' name "x"', ' entity household', ' decision "x"',
             ' applies_from 2016', ' scoring points', ' group C1 "c"']
    for it in first["items"]:
        lines += [f' item {it["key"]} {it["points"]:g} "x"', '  in C1']
        if it.get("when"):
            lines.append(f'  when {it["when"]}')
        if it.get("input"):
            lines.append(f'  input {it["input"]}')
        lines.append('  assumed "x"')
    lines += [f' recognise when {first["recognise"]}', '  assumed "x"', '']
    path = write(ctx.path("again.crit"), "\n".join(lines))
    second = json.loads(ctx.run("criteria", "show", "gia-dinh-thu", "--file", path,
                                "--format", "json").out)
    assert [i.get("when") for i in first["items"]] == [i.get("when") for i in second["items"]]
    assert first["recognise"] == second["recognise"]


def test_default_criteria_ship_every_title(ctx):
    r = ctx.run("criteria", "list", "--format", "json")
    assert r.code == 0, r
    titles = {t["key"]: t for t in json.loads(r.out)["titles"]}
    assert set(DEFAULT_TITLES) <= set(titles), sorted(titles)
    for key, (entity, scoring, items) in DEFAULT_TITLES.items():
        # the learning district ends with the districts (evaluated year 2024)
        year = "2024" if key == "huyen-hoc-tap" else "2025"
        r = ctx.run("criteria", "show", key, "--year", year, "--format", "json")
        assert r.code == 0, (key, r)
        t = json.loads(r.out)
        assert t["entity"] == entity and t["scoring"] == scoring, (key, t["entity"], t["scoring"])
        keys = [i["key"] for i in t["items"]]
        for item in items:
            assert item in keys or any(k.startswith(item) for k in keys), (key, item, keys)
        for i in t["items"]:
            assert i["source"]["reference"], (key, i["key"])
        if scoring == "levels":
            assert t["valid_months"] == 36 and t["levels"] == 2, key


def test_district_title_ends_with_the_districts(ctx):
    r = ctx.run("criteria", "show", "huyen-hoc-tap", "--year", "2025")
    assert r.code == 1 and "no version of huyen-hoc-tap applies in 2025" in r.err, r
    r = ctx.run("criteria", "show", "huyen-hoc-tap", "--year", "2024", "--format", "json")
    assert r.code == 0 and json.loads(r.out)["applies_until"] == 2024, r


def test_new_statements_are_checked(ctx, tmp_path=None):
    import tempfile
    bad = (
        'title t-x\n  name "X"\n  entity household\n  decision "D"\n  applies_from 2024\n'
        '  scoring points\n  eligible when age >= 15\n    assumed "a"\n'
        '  item A 10 "a"\n    input yesno\n    applies when kind = "truong-hoc"\n    assumed "a"\n'
        '  item B 10 "b"\n    input yesno\n    assumed "b"\n'
        '  recognise when total >= 10 and item Z >= 1 and value >= 1\n    assumed "r"\n'
    )
    with tempfile.NamedTemporaryFile("w", suffix=".crit", delete=False) as f:
        f.write(bad)
    r = ctx.run("criteria", "check", f.name)
    os.unlink(f.name)
    assert r.code == 1, r
    # a person's fact on a household, a kind on a household, an unknown item, and 'value'
    # outside an item: each with its line and column
    assert ":7:17: 'age' is a fact of a person" in r.err, r.err
    assert ":11:18: 'kind' is a fact of organisations" in r.err, r.err
    assert ":16:34: title t-x has no item 'Z'" in r.err, r.err
    assert ":16:50: 'value' means an item's value" in r.err, r.err
    with tempfile.NamedTemporaryFile("w", suffix=".crit", delete=False) as f:
        f.write(bad.replace("input yesno\n    assumed \"b\"", "input percent\n    assumed \"b\""))
    r = ctx.run("criteria", "check", f.name)
    os.unlink(f.name)
    assert r.code == 1 and ":13:1: item B: say how its entered value scores" in r.err, r.err


def test_shipped_files_check_clean(ctx):
    folder = os.path.join(os.path.dirname(DATA), "..", "criteria")
    files = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".crit"))
    assert len(files) >= 8, files
    r = ctx.run("criteria", "check", *files)
    assert r.code == 0 and "no problems" in r.out, r
