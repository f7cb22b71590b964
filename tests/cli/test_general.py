"""CLI conventions: help, usage errors, exit codes, the demo data set."""
import json


def test_help_and_usage(ctx):
    r = ctx.run("help")
    assert r.code == 0 and "units" in r.out and "serve" in r.out and "demo" in r.out, r
    for cmd in ("init", "demo", "units", "serve"):
        r = ctx.run(cmd, "--help")
        assert r.code == 0 and "Usage: hoctap " + cmd in r.out, (cmd, r)
    r = ctx.run("help", "units")
    assert r.code == 0 and "import-changes" in r.out, r
    r = ctx.run("nonsense")
    assert r.code == 2 and "unknown command 'nonsense'" in r.err, r
    r = ctx.run()
    assert r.code == 2, r
    r = ctx.run("demo", "--households", "many")
    assert r.code == 2 and "--households" in r.err, r
    r = ctx.run("serve", "--listen", "localhost")
    assert r.code == 2 and "--listen" in r.err, r


def test_demo_shape(ctx):
    db = ctx.demo_db()
    r = ctx.run("units", "tree", "--db", db, "--date", "2024-06-30", "--root", "31",
                "--depth", "1", "--format", "json")
    assert r.code == 0, r
    hp = json.loads(r.out)["units"][0]
    assert hp["name"] == "Thành phố Hải Phòng"
    names = [d["name"] for d in hp["children"]]
    assert len(names) == 15, names
    for n in ("Quận Hồng Bàng", "Quận Lê Chân", "Huyện Vĩnh Bảo", "Huyện Bạch Long Vĩ"):
        assert n in names, names
    r = ctx.run("units", "tree", "--db", db, "--date", "2024-06-30", "--depth", "0",
                "--format", "json")
    roots = sorted(u["code"] for u in json.loads(r.out)["units"])
    assert roots == ["30", "31"], roots
    r = ctx.run("units", "tree", "--db", db, "--date", "2025-07-01", "--depth", "1",
                "--format", "json")
    roots = json.loads(r.out)["units"]
    assert [u["code"] for u in roots] == ["31"], roots
    communes = roots[0]["children"]
    assert len(communes) == 114
    assert {c["level"] for c in communes} == {"commune"}
    assert sum(1 for c in communes if c["kind"] == "dac-khu") == 2
    new = communes[0]["code"]
    r = ctx.run("units", "history", new, "--db", db, "--format", "json")
    h = json.loads(r.out)
    assert h["predecessors"], h
    assert all(p["date"] == "2025-07-01" for p in h["predecessors"])


def test_demo_refuses_a_database_with_data(ctx):
    db = ctx.demo_db()
    r = ctx.run("demo", "--db", db, "--households", "10")
    assert r.code == 1 and "already" in r.err, r


def test_demo_progress_bar_on_a_terminal(ctx):
    """On a terminal the demo draws a progress bar; in a pipe it stays quiet."""
    import shutil
    import subprocess
    if not shutil.which("script"):
        raise AssertionError("'script' (bsdutils) is needed to give the demo a terminal")
    db = ctx.path("tty.db")
    proc = subprocess.run(["script", "-qec", f"{ctx.binary} demo --db {db} --households 500",
                           "/dev/null"], capture_output=True, timeout=300)
    out = proc.stdout.decode("utf-8", "replace")
    assert proc.returncode == 0, out
    # the bar is redrawn in place with carriage returns and reaches the end
    assert "\r" in out and "households 100%" in out and "500/500" in out, out[-500:]
    r = ctx.run("demo", "--db", ctx.path("pipe.db"), "--households", "500")
    assert r.code == 0 and r.err == "", r
