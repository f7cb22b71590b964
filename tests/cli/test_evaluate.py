"""hoctap evaluate | results | explain against the real binary and a demo database."""
import json
import os
import subprocess

from harness import copy_demo


def evaluate(ctx, db, *args):
    r = ctx.run("evaluate", "--db", db, "--format", "json", *args)
    assert r.code == 0, r
    return json.loads(r.out)


def results(ctx, db, title, *args, year="2025"):
    r = ctx.run("results", "--db", db, "--year", year, "--title", title, "--format", "json", *args)
    assert r.code == 0, r
    return json.loads(r.out)


def test_rates_per_commune_match_the_entity_results(ctx):
    db = ctx.demo_db()
    ev = evaluate(ctx, db, "--year", "2025")
    assert ev["year"] == 2025
    rows = {(u["code"], u["title"]): u for u in ev["units"]}
    # the province and its 114 communes (the 2025 structure: no districts)
    communes = sorted({c for (c, t) in rows if c.startswith("12")})
    assert len(communes) == 114, len(communes)
    assert not any(c.startswith("3") and len(c) == 3 and c != "31" for (c, t) in rows)
    for title in ("gia-dinh-hoc-tap", "cong-dan-hoc-tap", "dong-ho-hoc-tap"):
        total_recognised = 0
        for code in communes[:12]:
            res = results(ctx, db, title, "--unit", code)
            row = rows[(code, title)]
            recognised = sum(1 for e in res["entities"] if e["recognised"])
            registered = sum(1 for e in res["entities"] if e["registered"])
            assert row["eligible"] == len(res["entities"]), (code, title)
            assert row["recognised"] == recognised, (code, title, row, recognised)
            assert row["registered"] == registered, (code, title)
            if row["eligible"]:
                assert abs(row["rate"] - recognised / row["eligible"]) < 1e-6
            total_recognised += recognised
        # the province's count is the sum over all communes
        whole = results(ctx, db, title)
        assert rows[("31", title)]["recognised"] == sum(1 for e in whole["entities"] if e["recognised"])
        assert rows[("31", title)]["eligible"] == len(whole["entities"])
    # targets: QĐ 387 for families in 2025 is 70%
    assert rows[("31", "gia-dinh-hoc-tap")]["target"] == 0.7
    assert rows[("31", "cong-dong-hoc-tap-xa")]["target"] is None


def test_years_before_the_reform_roll_up_through_districts(ctx):
    db = ctx.demo_db()
    ev = evaluate(ctx, db, "--year", "2024")
    titles_303 = {u["title"] for u in ev["units"] if u["code"] == "303"}
    assert "huyen-hoc-tap" in titles_303 and "gia-dinh-hoc-tap" in titles_303, titles_303
    fam = {u["code"]: u for u in ev["units"] if u["title"] == "gia-dinh-hoc-tap"}
    districts = [c for c in fam if len(c) == 3 and c != "031" and c.startswith("3") and c != "31"]
    assert len(districts) == 15, districts
    # district counts add up to the city's
    assert sum(fam[d]["eligible"] for d in districts) == fam["31"]["eligible"]
    assert sum(fam[d]["recognised"] for d in districts) == fam["31"]["recognised"]
    ev25 = evaluate(ctx, db, "--year", "2025")
    assert not any(u["title"] == "huyen-hoc-tap" for u in ev25["units"])


def test_a_record_change_moves_the_result_and_the_rate(ctx):
    db = copy_demo(ctx, "eval-change.db")
    commune = "12001"
    before = {u["title"]: u for u in evaluate(ctx, db, "--year", "2025", "--unit", commune)["units"]
              if u["code"] == commune}
    res = results(ctx, db, "gia-dinh-hoc-tap", "--unit", commune)
    # a household whose derived items (C1a, C1b, C2a, C2b) all pass
    target = next((e for e in res["entities"]
                   if all(e["items"][k] == 10 for k in ("C1a", "C1b", "C2a", "C2b"))), None)
    assert target, "no candidate household in the demo commune"
    code = target["code"]

    def fam_counts():
        return {u["title"]: u for u in evaluate(ctx, db, "--year", "2025", "--unit", commune)["units"]
                if u["code"] == commune}["gia-dinh-hoc-tap"]

    # withdrawn: not registered, nothing entered -> not recognised, one fewer registered
    r = ctx.run("record", "set", "--db", db, "--year", "2025", "--title", "gia-dinh-hoc-tap", code,
                "--unregistered", "C1c=", "C3a=", "C3b=", "C4a=", "C4b=")
    assert r.code == 0, r
    mid = fam_counts()
    assert mid["recognised"] == before["gia-dinh-hoc-tap"]["recognised"] - (1 if target["recognised"] else 0)
    assert mid["registered"] == before["gia-dinh-hoc-tap"]["registered"] - (1 if target["registered"] else 0)
    r = ctx.run("explain", "--db", db, "--year", "2025", "--title", "gia-dinh-hoc-tap", code)
    assert "Chưa đăng ký" in r.out and "chưa nhập giá trị" in r.out, r.out
    # registered with every entered indicator met -> recognised, counted again
    r = ctx.run("record", "set", "--db", db, "--year", "2025", "--title", "gia-dinh-hoc-tap", code,
                "--registered", "2025-03-01", "C1c=có", "C3a=có", "C3b=có", "C4a=có", "C4b=có")
    assert r.code == 0, r
    after_res = {e["code"]: e for e in results(ctx, db, "gia-dinh-hoc-tap", "--unit", commune)["entities"]}
    e = after_res[code]
    assert e["registered"] and e["total"] >= 90 and e["recognised"], e
    after = fam_counts()
    assert after["recognised"] == mid["recognised"] + 1
    assert after["registered"] == mid["registered"] + 1
    # the explanation says why, in Vietnamese
    r = ctx.run("explain", "--db", db, "--year", "2025", "--title", "gia-dinh-hoc-tap", code)
    assert r.code == 0, r
    assert "ĐƯỢC CÔNG NHẬN" in r.out and "CHƯA" not in r.out.split("\n")[-2], r.out
    assert "C1a" in r.out and "thành viên" in r.out and "giá trị nhập: có" in r.out, r.out
    # three entered indicators to "no" take 30 points: at most 70, below the pass mark
    r = ctx.run("record", "set", "--db", db, "--year", "2025", "--title", "gia-dinh-hoc-tap", code,
                "C3a=không", "C3b=không", "C4a=không")
    assert r.code == 0, r
    e = {x["code"]: x for x in results(ctx, db, "gia-dinh-hoc-tap", "--unit", commune)["entities"]}[code]
    assert e["items"]["C3a"] == 0 and e["items"]["C4a"] == 0 and e["total"] <= 70, e
    assert not e["recognised"], e
    r = ctx.run("explain", "--db", db, "--year", "2025", "--title", "gia-dinh-hoc-tap", code,
                "--lang", "en")
    assert r.code == 0 and "NOT RECOGNISED" in r.out and "entered: no" in r.out, r.out


def test_errors_name_what_is_wrong(ctx):
    db = ctx.demo_db()
    r = ctx.run("evaluate", "--db", db)
    assert r.code == 2 and "--year is required" in r.err, r
    r = ctx.run("evaluate", "--db", db, "--year", "20x5")
    assert r.code == 2 and "--year must be a year" in r.err, r
    r = ctx.run("results", "--db", db, "--year", "2025", "--title", "khong-co")
    assert r.code == 1 and "unknown title 'khong-co'" in r.err, r
    r = ctx.run("results", "--db", db, "--year", "2025", "--title", "huyen-hoc-tap")
    assert r.code == 1 and "not in force in 2025" in r.err, r
    r = ctx.run("explain", "--db", db, "--year", "2025", "--title", "gia-dinh-hoc-tap", "NOPE")
    assert r.code == 1 and "no household 'NOPE' in 2025" in r.err, r
    r = ctx.run("evaluate", "--db", db, "--year", "2025", "--unit", "99999")
    assert r.code == 1 and "no administrative unit '99999'" in r.err, r
    bad = os.path.join(ctx.tmp, "bad.crit")
    with open(bad, "w") as f:
        f.write('title gia-dinh-hoc-tap\n  name "X"\n  entity household\n  decision "D"\n'
                '  applies_from 2020\n  scoring points\n  item A 10 "a"\n    when every clans : x\n'
                '    assumed "a"\n  recognise when total >= 10\n    assumed "r"\n')
    r = ctx.run("evaluate", "--db", db, "--year", "2025", "--criteria", bad)
    assert r.code == 1 and "bad.crit:8:" in r.err and "nothing was evaluated" in r.err, r


def test_a_criteria_file_overrides_a_title(ctx):
    """A province's own version of a title changes the evaluation, from a file."""
    db = ctx.demo_db()
    easy = os.path.join(ctx.tmp, "easy.crit")
    with open(easy, "w") as f:
        f.write('title dong-ho-hoc-tap\n  name "Dòng họ học tập (thử)"\n  entity clan\n'
                '  decision "Thử nghiệm"\n  applies_from 2020\n  scoring points\n'
                '  registration optional\n'
                '  item D1 100 "Có ít nhất một hộ"\n    when count households >= 1\n'
                '    assumed "thử"\n  recognise when total >= 100\n    assumed "thử"\n')
    base = {u["title"]: u for u in evaluate(ctx, db, "--year", "2025")["units"] if u["code"] == "31"}
    ev = {u["title"]: u for u in evaluate(ctx, db, "--year", "2025", "--criteria", easy)["units"]
          if u["code"] == "31"}
    res = results(ctx, db, "dong-ho-hoc-tap", "--criteria", easy)
    with_households = sum(1 for e in res["entities"] if e["items"]["D1"] == 100)
    assert ev["dong-ho-hoc-tap"]["recognised"] == with_households > 0
    assert ev["dong-ho-hoc-tap"]["evaluated"] == ev["dong-ho-hoc-tap"]["eligible"]
    assert base["gia-dinh-hoc-tap"] == ev["gia-dinh-hoc-tap"]


def test_csv_output_opens_in_excel(ctx):
    """--format csv is what Excel in Vietnam opens: BOM, CRLF, one row per entity."""
    db = ctx.demo_db()
    listing = results(ctx, db, "gia-dinh-hoc-tap")
    raw = subprocess.run([ctx.binary, "results", "--db", db, "--year", "2025", "--title",
                          "gia-dinh-hoc-tap", "--format", "csv"], capture_output=True,
                         check=True).stdout
    assert raw.startswith("\ufeffcode,registered,C1a,".encode()), raw[:60]
    lines = raw[3:].split(b"\r\n")
    assert lines[-1] == b"" and len(lines) - 2 == len(listing["entities"]), len(lines)
    assert all(b"\n" not in line for line in lines), "every line ends with CRLF"
    raw = subprocess.run([ctx.binary, "evaluate", "--db", db, "--year", "2025", "--format", "csv"],
                         capture_output=True, check=True).stdout
    assert raw.startswith("\ufeffcode,name,title,eligible,".encode()), raw[:60]
    assert b"\r\n" in raw and "Thành phố Hải Phòng".encode() in raw
