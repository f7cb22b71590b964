"""hoctap fund from the command line (docs/funds.md): a fund's books kept by the real binary on a
copy of the demo database; refusals print every problem in English and write nothing."""
import json
import shutil
import sqlite3

from harness import dump


def demo_copy(ctx, name):
    db = ctx.path(name)
    shutil.copy(ctx.demo_db(), db)
    return db


def fund(ctx, db, *args):
    return ctx.run("fund", *args, "--db", db)


def test_the_books_of_a_fund_from_the_command_line(ctx):
    db = demo_copy(ctx, "fund-cli.db")
    r = fund(ctx, db, "create", "KH-31", "--name", "Quỹ Khuyến học thành phố", "--owner-kind",
             "unit", "--owner", "31")
    assert r.code == 0 and "KH-31" in r.out, r
    donor = fund(ctx, db, "donor", "add", "--name", "Nguyễn Thị Hoa", "--kind", "person")
    assert donor.code == 0, donor
    # a donor's own code (imports find donors by it) is unique
    r = fund(ctx, db, "donor", "add", "--name", "Công ty Sao Biển", "--kind", "enterprise",
             "--code", "NHT-1")
    assert r.code == 0, r
    r = fund(ctx, db, "donor", "add", "--name", "Công ty Khác", "--code", "NHT-1")
    assert r.code == 1 and "another donor has the code 'NHT-1'" in r.err, r
    ben = fund(ctx, db, "beneficiary", "add", "--name", "Phạm Minh Khôi", "--unit", "31",
               "--birth-year", "2011", "--achievements", "national-prize")
    assert ben.code == 0, ben
    r = fund(ctx, db, "receipt", "KH-31", "--amount", "3.000.000", "--date", "2025-09-15",
             "--donor", donor.out.strip(), "--campaign", "Tháng Khuyến học 2025")
    assert r.code == 0 and "3.000.000 đ" in r.out, r

    # overspending: exit 1, the balance named, nothing written
    before = dump(db)
    r = fund(ctx, db, "pay", "KH-31", "--amount", "5000000", "--date", "2025-09-20",
             "--beneficiary", ben.out.strip(), "--category", "award", "--reason", "Giải quốc gia")
    assert r.code == 1 and "3.000.000 đ in cash" in r.err and "nothing was written" in r.err, r
    assert dump(db) == before
    # usage errors: exit 2 naming the option
    r = fund(ctx, db, "pay", "KH-31", "--amount", "2,5 triệu", "--date", "2025-09-20")
    assert r.code == 2 and "--amount" in r.err, r
    r = fund(ctx, db, "pay", "KH-31", "--amout", "1")
    assert r.code == 2 and "unknown option '--amout'" in r.err, r

    r = fund(ctx, db, "pay", "KH-31", "--amount", "2000000", "--date", "2025-09-20",
             "--beneficiary", ben.out.strip(), "--category", "award", "--reason", "Giải quốc gia")
    assert r.code == 0 and "the balance of KH-31 is 1.000.000 đ" in r.out, r

    shown = json.loads(fund(ctx, db, "show", "KH-31", "--format", "json").out)
    assert shown["balance"] == 1000000 and [e["kind"] for e in shown["entries"]] == \
        ["receipt", "disbursement"], shown
    paid = shown["entries"][1]
    assert paid["number"] == "PC-2025-0001" and paid["beneficiary_name"] == "Phạm Minh Khôi"

    r = fund(ctx, db, "reverse", str(paid["id"]), "--date", "2025-09-21", "--reason", "Nhầm")
    assert r.code == 0, r
    r = fund(ctx, db, "reverse", str(paid["id"]), "--date", "2025-09-21", "--reason", "Nhầm")
    assert r.code == 1 and "reversed already" in r.err, r
    hist = json.loads(fund(ctx, db, "beneficiary", "history", ben.out.strip(), "--format",
                           "json").out)
    assert hist["total"] == 0 and len(hist["entries"]) == 2, hist

    r = fund(ctx, db, "check")
    assert r.code == 0 and "balance" in r.out, r
    # a tampered line is found
    con = sqlite3.connect(db)
    con.execute("UPDATE fund_lines SET debit = debit + 1 WHERE account = 'cash' AND debit > 0")
    con.commit()
    con.close()
    r = fund(ctx, db, "check")
    assert r.code == 1 and "differ" in r.err, r
