"""The workflow from the command line (docs/workflow.md): hoctap workflow (settings),
hoctap record submit|accept|return|unlock, hoctap decision create|list|show, against the real
binary and a copy of the demo database."""
import json
import shutil
import sqlite3
import subprocess

from harness import dump, query

FAMILY = "gia-dinh-hoc-tap"
COMMUNE_TITLE = "cong-dong-hoc-tap-xa"


def demo_copy(ctx):
    db = ctx.path("workflow-cli.db")
    shutil.copy(ctx.demo_db(), db)
    return db


def step(ctx, db, sub, entity, *args, title=FAMILY, year="2025"):
    return ctx.run("record", sub, entity, "--db", db, "--title", title, "--year", year, *args)


def commune_of(db, entity):
    return query(db, "SELECT u.parent_code FROM records r JOIN units u ON u.code = r.place AND "
                 "u.valid_to IS NULL WHERE r.entity = ? AND r.year = 2025", entity)[0][0]


def test_settings_file_problems_are_listed_by_line_and_nothing_changes(ctx):
    db = demo_copy(ctx)
    r = ctx.run("workflow", "default")
    assert r.code == 0 and "title gia-dinh-hoc-tap" in r.out, r
    bad = ctx.path("wf.txt")
    with open(bad, "w", encoding="utf-8") as f:
        f.write("title gia-dinh-hoc-tap\n  decided-by county\n  submit 13-01\nfoo 3\n"
                "title no-such-title\n")
    before = dump(db)
    r = ctx.run("workflow", "import", bad, "--db", db)
    assert r.code == 1, r
    lines = [ln for ln in r.err.splitlines() if ln.startswith(bad + ":")]
    assert [ln.split(":")[1] for ln in lines] == ["2", "3", "4", "5"], r.err
    assert "county" in lines[0] and "13-01" in lines[1] and "no-such-title" in lines[3]
    assert dump(db) == before
    # a good file: in force, audited; reset goes back
    good = ctx.path("wf-good.txt")
    text = ctx.run("workflow", "default").out.replace("  decide 12-10", "  decide 12-01", 1)
    with open(good, "w", encoding="utf-8") as f:
        f.write(text)
    assert ctx.run("workflow", "check", good).code == 0
    assert ctx.run("workflow", "import", good, "--db", db).code == 0
    r = ctx.run("workflow", "due", "--year", "2025", "--db", db)
    assert "gia-dinh-hoc-tap" in r.out and "2025-12-01" in r.out.splitlines()[1], r.out
    assert ctx.run("workflow", "reset", "--db", db).code == 0
    assert "2025-12-10" in ctx.run("workflow", "due", "--year", "2025", "--db", db).out
    assert query(db, "SELECT COUNT(*) FROM audit WHERE action = 'settings.workflow'")[0][0] == 2


def test_a_decision_from_the_command_line(ctx):
    db = demo_copy(ctx)
    hh = query(db, "SELECT entity FROM records WHERE title = ? AND year = 2025 AND stage = "
               "'submitted' ORDER BY entity LIMIT 1", FAMILY)[0][0]
    commune = commune_of(db, hh)
    # returning needs a comment; then the household can be changed and submitted again
    r = step(ctx, db, "return", hh)
    assert r.code == 1 and "comment" in r.err, r
    assert step(ctx, db, "return", hh, "--comment", "Thiếu minh chứng").code == 0
    r = ctx.run("record", "show", hh, "--db", db, "--title", FAMILY, "--year", "2025",
                "--format", "json")
    assert json.loads(r.out)["stage"] == "returned"
    assert json.loads(r.out)["comment"] == "Thiếu minh chứng"
    assert step(ctx, db, "submit", hh).code == 0
    r = ctx.run("record", "set", hh, "C1c=không", "--db", db, "--title", FAMILY, "--year", "2025")
    assert r.code == 1 and "submitted" in r.err, r
    assert step(ctx, db, "accept", hh).code == 0
    # the decision: wrong level refused, then recorded
    village = query(db, "SELECT place FROM records WHERE entity = ? AND year = 2025", hh)[0][0]
    before = dump(db)
    r = ctx.run("decision", "create", "--db", db, "--title", FAMILY, "--year", "2025", "--unit",
                village, "--number", "7/QĐ-UBND", "--date", "2026-01-20", "--signer",
                "Trần Văn Bình", hh)
    assert r.code == 1 and "unit: " in r.err and "commune" in r.err, r
    assert dump(db) == before
    r = ctx.run("decision", "create", "--db", db, "--title", FAMILY, "--year", "2025", "--unit",
                commune, "--number", "7/QĐ-UBND", "--date", "2026-01-20", "--signer",
                "Trần Văn Bình", "--all-accepted")
    assert r.code == 0 and "1 recognised" in r.out, r
    decision = r.out.split()[2]
    r = ctx.run("decision", "show", decision, "--db", db, "--format", "json")
    cert = json.loads(r.out)["certificates"][0]
    assert cert["entity"] == hh and len(cert["code"]) == 11, cert
    # the certificates of the decision as a PDF, the QR codes pointing at the given address
    out = ctx.path("cert.pdf")
    r = ctx.run("certificate", "print", "--decision", decision, "--db", db, "-o", out)
    assert r.code == 2 and "--url" in r.err, r
    r = ctx.run("certificate", "print", "--decision", decision, "--db", db, "-o", out, "--url",
                "https://hoctap.haiphong.gov.vn/")
    assert r.code == 0, r
    text = subprocess.run(["pdftotext", out, "-"], capture_output=True, text=True,
                          check=True).stdout
    head = query(db, "SELECT head_name FROM households WHERE code = ?", hh)[0][0]
    assert head in text and f"https://hoctap.haiphong.gov.vn/verify/{cert['code']}" in text, text
    assert query(db, "SELECT COUNT(*) FROM audit WHERE action = 'certificate.print'")[0][0] == 1
    # a template with a problem changes nothing; a good one is printed
    bad = ctx.path("bad.txt")
    with open(bad, "w", encoding="utf-8") as f:
        f.write("heading = GIẤY CHỨNG NHẬN\nborder_colour = xanh\n")
    before = dump(db)
    r = ctx.run("certificate", "template-import", bad, "--db", db)
    assert r.code == 1 and bad + ":2:" in r.err, r
    assert dump(db) == before
    good = ctx.path("good.txt")
    with open(good, "w", encoding="utf-8") as f:
        f.write("heading = GIẤY CHỨNG NHẬN DANH HIỆU\n")
    assert ctx.run("certificate", "template-import", good, "--db", db).code == 0
    assert "heading = GIẤY CHỨNG NHẬN DANH HIỆU" in ctx.run("certificate", "template-show",
                                                            "--db", db).out
    r = ctx.run("certificate", "print", cert["code"], "--db", db, "-o", out, "--url",
                "http://localhost:8080")
    assert r.code == 0, r
    text = subprocess.run(["pdftotext", out, "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "GIẤY CHỨNG NHẬN DANH HIỆU" in text and head in text
    assert ctx.run("certificate", "template-reset", "--db", db).code == 0
    # locked: no change, no evidence; unlock needs a reason
    r = ctx.run("record", "set", hh, "C1c=không", "--db", db, "--title", FAMILY, "--year", "2025")
    assert r.code == 1 and "locked" in r.err, r
    assert step(ctx, db, "unlock", hh).code == 1
    assert step(ctx, db, "unlock", hh, "--reason", "Sai số liệu").code == 0
    assert query(db, "SELECT revoked_reason FROM certificates WHERE code = ?",
                 cert["code"])[0][0] == "Sai số liệu"


def test_a_commune_holding_its_title_is_not_asked_to_register_again(ctx):
    """MOET titles stay recognised 36 months: a commune recognised at level 1 for 2024 is not
    asked to register again before 12 months have passed since its decision, and then only for
    level 2; at level 2 it registers only after the recognition ends."""
    db = demo_copy(ctx)
    commune = query(db, "SELECT code FROM units WHERE kind IN ('xa', 'phuong') AND valid_to IS "
                    "NULL ORDER BY code LIMIT 1")[0][0]
    con = sqlite3.connect(db)
    con.execute("INSERT INTO decisions (prov, id, title, year, unit_code, number, signed_on, "
                "signed_year, issuer, place_name, signer_name, signer_position, created_at, "
                "created_by) VALUES (31, 77, ?, 2024, '31', '5/QĐ-SGDĐT', '2025-03-20', 2025, "
                "'SỞ GIÁO DỤC VÀ ĐÀO TẠO', 'Hải Phòng', 'Nguyễn Văn A', 'GIÁM ĐỐC', 0, 'test')",
                (COMMUNE_TITLE,))
    con.execute("INSERT INTO certificates (prov, code, decision_id, title, year, entity, level, "
                "recipient, address, valid_until) VALUES (31, 'AAAAA-BBBBB', 77, ?, 2024, ?, 1, "
                "'x', 'y', '2028-03-19')", (COMMUNE_TITLE, commune))
    con.execute("DELETE FROM records WHERE title = ? AND entity = ? AND year >= 2025",
                (COMMUNE_TITLE, commune))
    con.commit()
    con.close()

    def register(day, year):
        return ctx.run("record", "set", commune, "--registered", day, "--db", db, "--title",
                       COMMUNE_TITLE, "--year", year)

    r = register("2025-12-01", "2025")
    assert r.code == 1 and "may apply for level 2 from 2026-03-20" in r.err, r
    assert not query(db, "SELECT 1 FROM records WHERE title = ? AND entity = ? AND year = 2025",
                     COMMUNE_TITLE, commune)
    r = register("2026-04-01", "2026")  # 12 months on: it applies for level 2
    assert r.code == 0, r
    # at level 2 already: nothing to apply for while it holds
    con = sqlite3.connect(db)
    con.execute("UPDATE certificates SET level = 2 WHERE code = 'AAAAA-BBBBB'")
    con.commit()
    con.close()
    r = register("2025-12-01", "2025")
    assert r.code == 1 and "no re-evaluation is due" in r.err, r
    # a revoked certificate holds nothing
    con = sqlite3.connect(db)
    con.execute("UPDATE certificates SET revoked_at = 1, revoked_reason = 'x'")
    con.commit()
    con.close()
    assert register("2025-12-01", "2025").code == 0


def test_an_import_cannot_change_a_submitted_record_but_may_repeat_it(ctx):
    db = demo_copy(ctx)
    hh, vals = query(db, "SELECT entity, vals FROM records WHERE title = ? AND year = 2025 AND "
                     "stage = 'submitted' AND vals LIKE '%C1c=1%' ORDER BY entity LIMIT 1",
                     FAMILY)[0]
    path = ctx.path("danh-gia.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"code,year,C1c\n{hh},2025,có\n")
    r = ctx.run("import", "assessments", path, "--title", FAMILY, "--db", db)
    assert r.code == 0 and "1 unchanged" in r.out, r
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"code,year,C1c\n{hh},2025,không\n")
    before = dump(db)
    r = ctx.run("import", "assessments", path, "--title", FAMILY, "--db", db, "--format", "json")
    assert r.code == 1, r
    problem = json.loads(r.out)["problems"][0]
    assert problem["row"] == 2 and "submitted" in problem["message_en"], problem
    assert "đã gửi thẩm định" in problem["message_vi"], problem
    assert dump(db) == before
