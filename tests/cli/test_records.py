"""Yearly records from the command line: hoctap record show|set|evidence|override
against the real binary and a copy of the demo database."""
import hashlib
import json
import shutil

from harness import query

def dump(db):
    """What a rejected change must leave as it was: every committed write
    transaction moves meta 'generation' (db_commit), so an unchanged
    generation means nothing was written; the row counts say it again."""
    return query(db, "SELECT (SELECT value FROM meta WHERE key = 'generation'), (SELECT COUNT(*) "
                     "FROM records), (SELECT MAX(updated_at) FROM records), (SELECT COUNT(*) FROM "
                     "record_evidence), (SELECT COUNT(*) FROM record_overrides)")


def demo_copy(ctx):
    db = ctx.path("records.db")
    shutil.copy(ctx.demo_db(), db)
    return db


def record(ctx, db, title, entity, sub, *args, year="2025"):
    """hoctap record SUB ... ENTITY ARGS (options may follow the positionals)."""
    return ctx.run("record", sub, "--db", db, "--year", year, "--title", title, entity, *args)


def show(ctx, db, title, entity, year="2025"):
    r = ctx.run("record", "show", "--db", db, "--year", year, "--title", title, entity,
                "--format", "json")
    assert r.code == 0, r
    return json.loads(r.out)


def unchanged(db, before):
    after = dump(db)
    assert after == before, "a rejected change modified the database"


def a_household(db):
    """An open household that did not register for 2025 in the demo (no record yet)."""
    # prov leads the key: a lookup without it cannot use the index
    return query(db, "SELECT code FROM households h WHERE closed_year IS NULL AND NOT EXISTS "
                     "(SELECT 1 FROM records r WHERE r.prov = h.prov AND r.title = "
                     "'gia-dinh-hoc-tap' AND r.year = 2025 AND r.entity = h.code) "
                     "ORDER BY code LIMIT 1")[0][0]


def a_person(db):
    """A person aged 15+ in 2025 with a citizen ID: (citizen_id, id)."""
    return query(db, "SELECT p.citizen_id, p.id FROM persons p JOIN person_years y ON "
                     "y.person_id = p.id AND y.year = 2025 WHERE p.citizen_id IS NOT NULL AND "
                     "2025 - p.birth_year BETWEEN 30 AND 50 AND NOT EXISTS (SELECT 1 FROM "
                     "records r WHERE r.prov = p.prov AND r.title = 'cong-dan-hoc-tap' AND "
                     "r.year = 2025 AND r.entity = CAST(p.id AS TEXT)) "
                     "ORDER BY p.citizen_id LIMIT 1")[0]


def tiny_pdf():
    """A minimal but well-formed one-page PDF (header, objects, xref, trailer)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def test_set_and_show_round_trip(ctx):
    db = demo_copy(ctx)
    hh = a_household(db)
    r = record(ctx, db, "gia-dinh-hoc-tap", hh, "set", "--registered", "2025-02-01",
               "C1c=không", "C3a=x", "C4b=Có", "C4a=yes")
    assert r.code == 0 and "registered 2025-02-01" in r.out, r
    rec = show(ctx, db, "gia-dinh-hoc-tap", hh)
    assert rec["exists"] and rec["registered_on"] == "2025-02-01", rec
    assert rec["vals"] == "C1c=0;C3a=1;C4a=1;C4b=1", rec
    assert rec["values"] == {"C1c": 0, "C3a": 1, "C4a": 1, "C4b": 1}, rec
    # merge: one value changed, one removed, the others kept; registration kept
    r = record(ctx, db, "gia-dinh-hoc-tap", hh, "set", "C1c=1", "C4a=")
    assert r.code == 0, r
    rec = show(ctx, db, "gia-dinh-hoc-tap", hh)
    assert rec["vals"] == "C1c=1;C3a=1;C4b=1" and rec["registered_on"] == "2025-02-01", rec
    assert query(db, "SELECT vals FROM records WHERE title = 'gia-dinh-hoc-tap' AND year = 2025 "
                     "AND entity = ?", hh) == [("C1c=1;C3a=1;C4b=1",)]
    r = record(ctx, db, "gia-dinh-hoc-tap", hh, "set", "--unregistered")
    assert r.code == 0 and "not registered" in r.out, r
    assert show(ctx, db, "gia-dinh-hoc-tap", hh)["registered_on"] is None
    r = record(ctx, db, "gia-dinh-hoc-tap", hh, "show")
    assert r.code == 0 and "Registered: no" in r.out and "C3a    yes" in r.out, r


def test_person_by_citizen_id_or_id(ctx):
    db = demo_copy(ctx)
    cid, pid = a_person(db)
    r = record(ctx, db, "cong-dan-hoc-tap", cid, "set", "--registered", "2024-12-20", "--group",
               "2", "i1=7,5", "i10=10", "i2=8")
    assert r.code == 0, r
    by_id = show(ctx, db, "cong-dan-hoc-tap", f"P{pid}")
    by_cid = show(ctx, db, "cong-dan-hoc-tap", cid)
    assert by_id == by_cid, (by_id, by_cid)
    assert by_id["entity"] == f"P{pid}" and by_id["entity_key"] == str(pid), by_id
    assert by_id["vals"] == "i1=7.5;i10=10;i2=8" and by_id["form_group"] == 2, by_id
    # stored under the person id in decimal, as the engine reads it
    assert query(db, "SELECT form_group FROM records WHERE title = 'cong-dan-hoc-tap' AND "
                     "year = 2025 AND entity = ?", str(pid)) == [(2,)]


def test_percent_and_level_items(ctx):
    db = demo_copy(ctx)
    # a learning unit whose 2025 record is still being entered (not submitted)
    org = query(db, "SELECT o.code FROM organisations o WHERE NOT EXISTS (SELECT 1 FROM records r "
                "WHERE r.title = 'don-vi-hoc-tap' AND r.year = 2025 AND r.entity = o.code AND "
                "r.stage <> 'open') ORDER BY o.code LIMIT 1")[0][0]
    r = record(ctx, db, "don-vi-hoc-tap", org, "set", "U6=92%", "U7=0.95", "U8=97", "U14=2")
    assert r.code == 0, r
    vals = show(ctx, db, "don-vi-hoc-tap", org)["values"]
    assert vals["U6"] == 0.92 and vals["U7"] == 0.95 and vals["U8"] == 0.97 and vals["U14"] == 2
    r = record(ctx, db, "don-vi-hoc-tap", org, "show")
    assert "U6     92%" in r.out, r


def rejected(ctx, db, args, *texts, title="gia-dinh-hoc-tap", entity=None, sub="set"):
    """The change exits 1, names what is wrong, and leaves the database as it was."""
    entity = entity or a_household(db)
    before = dump(db)
    r = record(ctx, db, title, entity, sub, *args)
    assert r.code == 1, r
    for t in texts:
        assert t in r.err, (t, r.err)
    unchanged(db, before)
    return r


def test_validation_errors_change_nothing(ctx):
    db = demo_copy(ctx)
    hh = a_household(db)
    r = record(ctx, db, "gia-dinh-hoc-tap", hh, "set", "--registered", "2025-01-10", "C1c=1")
    assert r.code == 0, r
    # every problem of one command is reported, and the good parts are not written either
    rejected(ctx, db, ["C3a=1", "Z9=1"], "Z9", "has no item Z9", "nothing was changed")
    rejected(ctx, db, ["C2c=1"], "C2c", "derived")
    rejected(ctx, db, ["C3b=maybe"], "C3b", "not yes or no")
    rejected(ctx, db, ["C4b"], "C4b", "has no '='")
    rejected(ctx, db, ["--registered", "2025-13-01"], "--registered", "not a date")
    rejected(ctx, db, ["--registered", "2023-06-01"], "--registered", "not in 2024 or 2025")
    rejected(ctx, db, ["--group", "2"], "--group", "only the learning-citizen title")
    cid, _ = a_person(db)
    rejected(ctx, db, ["i3=11"], "i3", "out of range", title="cong-dan-hoc-tap", entity=cid)
    rejected(ctx, db, ["--group", "5"], "--group", "1, 2, 3 or 4", title="cong-dan-hoc-tap",
             entity=cid)
    org = query(db, "SELECT code FROM organisations ORDER BY code LIMIT 1")[0][0]
    rejected(ctx, db, ["U6=120%"], "U6", "outside 0%..100%", title="don-vi-hoc-tap", entity=org)
    commune = query(db, "SELECT code FROM units WHERE kind = 'xa' AND valid_to IS NULL "
                        "ORDER BY code LIMIT 1")[0][0]
    rejected(ctx, db, ["X11=4"], "X11", "level from 0 to 3", title="cong-dong-hoc-tap-xa",
             entity=commune)
    # unknown or wrong entities
    rejected(ctx, db, ["C1c=1"], "ENTITY 'HH9999999'", "no household", entity="HH9999999")
    rejected(ctx, db, ["i1=5"], "ENTITY '000000000000'", "no person",
             title="cong-dan-hoc-tap", entity="000000000000")
    rejected(ctx, db, ["i1=5"], "ENTITY 'HH0000001'", "citizen ID or P<id>",
             title="cong-dan-hoc-tap", entity="HH0000001")
    rejected(ctx, db, ["V3=1"], "is a commune", "evaluates a village",
             title="cong-dong-hoc-tap-thon", entity=commune)
    old = query(db, "SELECT code FROM units WHERE kind = 'xa' AND valid_to = '2025-06-30' "
                    "ORDER BY code LIMIT 1")[0][0]
    rejected(ctx, db, ["X1=1"], f"ENTITY '{old}'", "not valid on 2025-12-31",
             title="cong-dong-hoc-tap-xa", entity=old)
    before = dump(db)
    r = record(ctx, db, "no-such-title", hh, "set", "C1c=1")
    assert r.code == 1 and "--title" in r.err and "unknown title" in r.err, r
    r = record(ctx, db, "cong-dan-hoc-tap", cid, "set", "i1=1", year="2023")
    assert r.code == 1 and "no version of this title applies in 2023" in r.err, r
    unchanged(db, before)
    # what was there before the rejected commands is still there
    assert show(ctx, db, "gia-dinh-hoc-tap", hh)["vals"] == "C1c=1"


def test_usage_errors(ctx):
    db = demo_copy(ctx)
    r = ctx.run("record", "set", "--db", db, "--title", "gia-dinh-hoc-tap", "HH0000001", "C1c=1")
    assert r.code == 2 and "--year" in r.err, r
    r = ctx.run("record", "set", "--db", db, "--year", "twenty", "--title", "x", "HH0000001")
    assert r.code == 2 and "--year" in r.err, r
    r = record(ctx, db, "gia-dinh-hoc-tap", "HH0000001", "set")
    assert r.code == 2 and "nothing to change" in r.err, r
    r = record(ctx, db, "gia-dinh-hoc-tap", "HH0000001", "set", "--registered", "2025-01-01",
               "--unregistered")
    assert r.code == 2 and "not both" in r.err, r
    r = record(ctx, db, "gia-dinh-hoc-tap", "HH0000001", "show", "--note", "x")
    assert r.code == 2 and "--note" in r.err, r
    r = record(ctx, db, "gia-dinh-hoc-tap", "HH0000001", "override", "C1c", "--points", "5",
               "--pass", "yes", "--reason", "r", "--by", "b")
    assert r.code == 2 and "exactly one" in r.err, r
    r = ctx.run("record", "frobnicate")
    assert r.code == 2 and "unknown subcommand" in r.err, r
    r = ctx.run("record", "--help")
    assert r.code == 0 and "Usage: hoctap record" in r.out, r


def test_evidence_files(ctx):
    db = demo_copy(ctx)
    org = query(db, "SELECT code FROM organisations ORDER BY code LIMIT 1 OFFSET 1")[0][0]
    pdf = tiny_pdf()
    path = ctx.path("bien-ban.pdf")
    with open(path, "wb") as f:
        f.write(pdf)
    r = record(ctx, db, "don-vi-hoc-tap", org, "evidence", "U1", "--note",
               "Kế hoạch học tập năm 2025", "--file", path)
    assert r.code == 0 and "added to U1" in r.out, r
    rows = query(db, "SELECT item, note, file_name, media_type, size, sha256, content FROM "
                     "record_evidence WHERE title = 'don-vi-hoc-tap' AND year = 2025 AND "
                     "entity = ? AND file_name IS NOT NULL", org)
    assert len(rows) == 1, rows
    item, note, name, media, size, sha, content = rows[0]
    assert (item, note, media, size) == ("U1", "Kế hoạch học tập năm 2025", "application/pdf",
                                         len(pdf))
    assert name.endswith("bien-ban.pdf") and "/" not in name
    assert sha == hashlib.sha256(pdf).hexdigest() and bytes(content) == pdf
    ev = show(ctx, db, "don-vi-hoc-tap", org)["evidence"]
    assert any(e.get("sha256") == sha for e in ev), ev
    # a text file renamed .pdf, an image named .pdf, an empty note, a derived item
    fake = ctx.path("fake.pdf")
    with open(fake, "w") as f:
        f.write("This is not a PDF at all.\n")
    rejected(ctx, db, ["U1", "--note", "x", "--file", fake], "fake.pdf",
             "not a PDF, PNG or JPEG", title="don-vi-hoc-tap", entity=org, sub="evidence")
    png_as_pdf = ctx.path("photo.pdf")
    with open(png_as_pdf, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    rejected(ctx, db, ["U1", "--note", "x", "--file", png_as_pdf], "photo.pdf",
             "rename the file to .png", title="don-vi-hoc-tap", entity=org, sub="evidence")
    big = ctx.path("big.pdf")
    with open(big, "wb") as f:
        f.write(b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024))
    rejected(ctx, db, ["U1", "--note", "x", "--file", big], "big.pdf", "10 MiB",
             title="don-vi-hoc-tap", entity=org, sub="evidence")
    rejected(ctx, db, ["U1", "--note", "   "], "--note", "empty", title="don-vi-hoc-tap",
             entity=org, sub="evidence")
    rejected(ctx, db, ["U99", "--note", "x"], "ITEM", "no item 'U99'", title="don-vi-hoc-tap",
             entity=org, sub="evidence")
    r = ctx.run("record", "evidence", "--db", db, "--year", "2025", "--title", "don-vi-hoc-tap",
                org, "U1", "--note", "x", "--file", ctx.path("missing.pdf"))
    assert r.code == 1 and "missing.pdf" in r.err, r


def test_override_set_and_clear(ctx):
    db = demo_copy(ctx)
    commune = query(db, "SELECT code FROM units WHERE kind = 'phuong' AND valid_to IS NULL "
                        "ORDER BY code LIMIT 1")[0][0]
    t = "cong-dong-hoc-tap-xa"
    r = record(ctx, db, t, commune, "override", "X14", "--pass", "no", "--reason",
               "Số liệu chưa được xác minh", "--by", "Nguyễn Văn Kiểm")
    assert r.code == 0 and "pass = no" in r.out, r
    r = record(ctx, db, t, commune, "override", "X11", "--level", "2", "--reason", "Đã xác minh",
               "--by", "Phòng GD")
    assert r.code == 0, r
    ov = show(ctx, db, t, commune)["overrides"]
    assert [o["item"] for o in ov] == ["X11", "X14"], ov
    assert ov[0]["level"] == 2 and ov[1]["passed"] is False, ov
    assert ov[1]["by"] == "Nguyễn Văn Kiểm" and ov[1]["reason"] == "Số liệu chưa được xác minh"
    # replacing an override keeps one row
    r = record(ctx, db, t, commune, "override", "X14", "--pass", "yes", "--reason", "Đủ minh chứng",
               "--by", "B")
    assert r.code == 0, r
    assert query(db, "SELECT passed, reason FROM record_overrides WHERE title = ? AND year = 2025 "
                     "AND entity = ? AND item = 'X14'", t, commune) == [(1, "Đủ minh chứng")]
    rejected(ctx, db, ["X14", "--pass", "no", "--by", "B"], "--reason", "missing", title=t,
             entity=commune, sub="override")
    rejected(ctx, db, ["X14", "--pass", "no", "--reason", " ", "--by", "B"], "--reason", "empty",
             title=t, entity=commune, sub="override")
    rejected(ctx, db, ["X14", "--pass", "no", "--reason", "r"], "--by", title=t, entity=commune,
             sub="override")
    rejected(ctx, db, ["X11", "--level", "3", "--reason", "r", "--by", "B"], "--level",
             "outside 0..2", title=t, entity=commune, sub="override")
    rejected(ctx, db, ["X11", "--points", "3", "--reason", "r", "--by", "B"], "--points",
             "scored by levels", title=t, entity=commune, sub="override")
    rejected(ctx, db, ["X99", "--pass", "yes", "--reason", "r", "--by", "B"], "ITEM", "X99",
             title=t, entity=commune, sub="override")
    hh = a_household(db)
    rejected(ctx, db, ["C2c", "--points", "12", "--reason", "r", "--by", "B"], "--points",
             "outside 0..10", entity=hh, sub="override")
    r = record(ctx, db, "gia-dinh-hoc-tap", hh, "override", "C2c", "--points", "10", "--reason",
               "Thành viên đạt công dân học tập ở đơn vị khác", "--by", "B")
    assert r.code == 0, r
    # clearing
    r = record(ctx, db, t, commune, "override", "X14", "--clear")
    assert r.code == 0 and "cleared" in r.out, r
    assert [o["item"] for o in show(ctx, db, t, commune)["overrides"]] == ["X11"]
    r = record(ctx, db, t, commune, "override", "X14", "--clear")
    assert r.code == 0 and "No override of X14" in r.out, r
    r = record(ctx, db, t, commune, "override", "X14", "--clear", "--reason", "r")
    assert r.code == 2, r


def test_demo_records_show(ctx):
    """The demo's records read back through the command: a registered
    household and a commune's 2025 record with evidence notes."""
    db = ctx.demo_db()
    hh, vals = query(db, "SELECT entity, vals FROM records WHERE title = 'gia-dinh-hoc-tap' AND "
                         "year = 2024 ORDER BY entity LIMIT 1")[0]
    rec = show(ctx, db, "gia-dinh-hoc-tap", hh, year="2024")
    assert rec["vals"] == vals and rec["registered_on"].startswith(("2023-12", "2024-")), rec
    commune, = query(db, "SELECT entity FROM records WHERE title = 'cong-dong-hoc-tap-xa' AND "
                         "year = 2025 ORDER BY entity LIMIT 1")[0]
    rec = show(ctx, db, "cong-dong-hoc-tap-xa", commune)
    assert len(rec["values"]) == 15 and len(rec["evidence"]) >= 8, rec
    assert all("dữ liệu mẫu" in e["note"] for e in rec["evidence"]), rec["evidence"]


def test_every_change_is_audited_with_before_and_after(ctx):
    """record set, evidence and override each append an audit entry in the same
    transaction, placed in the household's village; a rejected change none."""
    db = demo_copy(ctx)
    code, village = query(db, "SELECT h.code, p.village_code FROM households h JOIN "
                              "household_places p ON p.household_id = h.id WHERE h.closed_year "
                              "IS NULL ORDER BY h.code LIMIT 1")[0]
    count = lambda: query(db, "SELECT COUNT(*) FROM audit WHERE action LIKE 'record.%'")[0][0]
    before = count()
    old = show(ctx, db, "gia-dinh-hoc-tap", code)
    r = record(ctx, db, "gia-dinh-hoc-tap", code, "set", "C1c=no", "C4b=")
    assert r.code == 0, r
    r = record(ctx, db, "gia-dinh-hoc-tap", code, "set", "C1c=maybe")
    assert r.code == 1, r
    r = record(ctx, db, "gia-dinh-hoc-tap", code, "evidence", "C1c", "--note", "Biên bản họp thôn")
    assert r.code == 0, r
    r = record(ctx, db, "gia-dinh-hoc-tap", code, "override", "C1c", "--pass", "no",
               "--reason", "Không đúng thực tế", "--by", "Trần Văn Bình")
    assert r.code == 0, r
    assert count() == before + 3, "one entry per accepted change, none for the rejected one"
    r = ctx.run("audit", "list", "--db", db, "--object", f"record:gia-dinh-hoc-tap/2025/{code}",
                "--format", "json")
    assert r.code == 0, r
    entries = json.loads(r.out)
    assert [e["action"] for e in entries] == ["record.override", "record.evidence", "record.set"]
    assert all(e["unit_code"] == village and e["actor"].startswith("cli:") for e in entries)
    change = entries[-1]
    after = json.loads(change["after"])["vals"].split(";")
    assert "C1c=0" in after and not any(v.startswith("C4b=") for v in after), change
    if old.get("exists", True) and change["before"] is not None:
        assert json.loads(change["before"])["vals"] != json.loads(change["after"])["vals"]
    assert "Biên bản họp thôn" in entries[1]["after"]
    r = ctx.run("audit", "list", "--db", db, "--entity", code, "--format", "json")
    assert r.code == 0 and [e["seq"] for e in json.loads(r.out)] == [e["seq"] for e in entries], r
    r = ctx.run("audit", "list", "--db", db, "--entity", code[:-1], "--format", "json")
    assert r.code == 0 and json.loads(r.out) == [], "a code matches whole, not as a prefix"
    r = ctx.run("audit", "verify", "--db", db)
    assert r.code == 0 and "intact" in r.out, r
