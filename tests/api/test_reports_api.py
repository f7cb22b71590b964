"""The report downloads (docs/reports.md): GET /api/v1/reports/{annual,commune-dossier,title-list}
.{xlsx,pdf}. The consistency test: every count, rate, target and gap of the annual workbook is
the figure GET /api/v1/dashboard gives for that unit, for the city and each unit listed; the
command line writes the same workbook. Downloads are audited; errors name their parameter in
Vietnamese; a decision's list comes from a private server with decisions of its own."""
import os
import urllib.parse

from harness import Server, copy_demo, get, query
from reports_util import (FIGURE_COLUMNS, busiest_communes, decide, pdf_info, pdf_text,
                          read_book, sheet, tables)

TARGETS = "qd-387"


def q(path, **params):
    return path + "?" + urllib.parse.urlencode(params)


def download(ctx, base, name, expect=200, **params):
    """The report as a file in the test's folder; (path, headers)."""
    status, headers, body = get(base + q(f"/api/v1/reports/{name}", **params), expect)
    path = ctx.path(name)
    with open(path, "wb") as f:
        f.write(body)
    return path, headers


def dash(base, **params):
    return get(base + q("/api/v1/dashboard", **params))[2]


def check_annual_against_the_dashboard(ctx, base, year, basis="evaluation"):
    path, headers = download(ctx, base, "annual.xlsx", year=year, unit="31", targets=TARGETS,
                             basis=basis)
    assert headers["Content-Type"] == \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", headers
    assert f'filename="bao-cao-nam-{year}-31.xlsx"' in headers["Content-Disposition"]
    book = read_book(path)
    root = dash(base, year=year, unit="31", targets=TARGETS, basis=basis)
    by_name = {t["name"]: t for t in root["titles"]}
    figures = {"31": {t["key"]: t["figure"] for t in root["titles"]}}

    def figure(code, key):
        if code not in figures:
            d = dash(base, year=year, unit=code, targets=TARGETS, basis=basis)
            figures[code] = {t["key"]: t["figure"] for t in d["titles"]}
        return figures[code][key]

    compared, listed = 0, {}
    for sh in book["sheets"]:
        title = by_name.get(sh["name"])
        if not title:
            continue
        listed[title["key"]] = set()
        for heads, rows in tables(sh):
            assert all(h in heads for h in FIGURE_COLUMNS), heads
            for row in rows:
                if "_group" in row:
                    continue
                f = figure(row["Mã"], title["key"])
                for head, field in FIGURE_COLUMNS.items():
                    assert row[head] == f[field], (year, sh["name"], row["Mã"], head, row[head],
                                                   f[field])
                    compared += 1
                listed[title["key"]].add(row["Mã"])
    # the city's own figures on the summary sheet, with the target's milestone
    (heads, rows), = tables(sheet(book, "Tổng hợp"), first="Danh hiệu")[:1]
    assert [r["Danh hiệu"] for r in rows] == [t["name"] for t in root["titles"]]
    for row in rows:
        f = by_name[row["Danh hiệu"]]["figure"]
        for head, field in FIGURE_COLUMNS.items():
            assert row[head] == f[field], (year, row["Danh hiệu"], head, row[head], f[field])
            compared += 1
        assert row["Mốc mục tiêu"] == f["target_year"], row
    # every unit listed: the city, its children and, before the reform, theirs
    want = {"31"} | {c["code"] for c in root["children"]}
    if year < 2025:
        for c in root["children"]:
            want |= {k["code"] for k in dash(base, year=year, unit=c["code"])["children"]}
    assert listed["gia-dinh-hoc-tap"] == want, sorted(listed["gia-dinh-hoc-tap"] ^ want)[:10]
    # the dashboard's units furthest behind, as it ranks them
    behind = [r for r in tables(sheet(book, "Tổng hợp"), first="Danh hiệu")[-1][1]]
    for t in root["titles"]:
        got = [(r["Mã"], r["Chênh lệch (mục tiêu − tỷ lệ)"]) for r in behind
               if r["Danh hiệu"] == t["name"]]
        assert got == [(b["code"], b["figure"]["gap"]) for b in t["behind"][:5]], (t["key"], got)
    return compared, path


def test_every_figure_of_the_annual_workbook_is_the_dashboards(ctx):
    base = ctx.server_url()
    n2025, path = check_annual_against_the_dashboard(ctx, base, 2025)
    n2023, _ = check_annual_against_the_dashboard(ctx, base, 2023)
    assert n2025 > 114 * 9 * 4 and n2023 > 200 * 9 * 3, (n2025, n2023)
    # the command line writes the same workbook from the same model
    out = ctx.path("cli-2025.xlsx")
    r = ctx.run("report", "annual", "--year", "2025", "--unit", "31", "--targets", TARGETS,
                "-o", out, "--db", ctx.demo_db())
    assert r.code == 0, r
    api, cli = read_book(path), read_book(out)
    assert [s["name"] for s in api["sheets"]] == [s["name"] for s in cli["sheets"]]
    for a, c in zip(api["sheets"], cli["sheets"]):
        assert a["rows"] == c["rows"], a["name"]


def test_downloads_of_each_report_are_audited(ctx):
    base = ctx.server_url()
    db = ctx.demo_db()
    commune = query(db, "SELECT entity FROM records WHERE title = 'cong-dong-hoc-tap-xa' AND "
                        "year = 2025 ORDER BY entity LIMIT 1")[0][0]
    for name, params, file_name in [
            ("annual", {"year": 2025}, "bao-cao-nam-2025-31"),
            ("commune-dossier", {"year": 2025, "unit": commune}, f"ho-so-xa-{commune}-2025")]:
        for ext in ("xlsx", "pdf"):
            before = query(db, "SELECT COUNT(*) FROM audit WHERE action = 'export.report'")[0][0]
            path, headers = download(ctx, base, f"{name}.{ext}", **params)
            assert f'filename="{file_name}.{ext}"' in headers["Content-Disposition"], headers
            assert headers["Cache-Control"] == "no-store"
            if ext == "pdf":
                assert headers["Content-Type"] == "application/pdf"
                info = pdf_info(path)
                assert info["Creator"] == "hoctap" and int(info["Pages"]) >= 1
            else:
                assert read_book(path)["sheets"], path
            row = query(db, "SELECT object_kind, object_id, unit_code, after_json FROM audit "
                            "WHERE action = 'export.report' ORDER BY seq DESC LIMIT 1")[0]
            assert query(db, "SELECT COUNT(*) FROM audit WHERE action = 'export.report'")[0][0] \
                == before + 1
            unit = params.get("unit", "31")
            assert row[:3] == ("report", f"{name}/2025/{unit}", unit), row
            assert f'"report":"{name}","format":"{ext}"' in row[3], row


def test_errors_name_the_parameter_in_vietnamese(ctx):
    base = ctx.server_url()
    cases = [
        ("annual.xlsx", {"year": 2025, "unit": "99999"}, 404, "unit",
         "Không có đơn vị hành chính '99999'"),
        ("annual.pdf", {"year": 2019}, 400, "year", "Tham số year phải từ 2022"),
        ("annual.pdf", {"year": 2025, "basis": "x"}, 400, "basis", "Tham số basis"),
        ("annual.xlsx", {"year": 2025, "targets": "qd-999"}, 400, "targets",
         "Không có bộ mục tiêu 'qd-999'"),
        ("commune-dossier.pdf", {"year": 2025, "unit": "31"}, 400, "unit",
         "không phải đơn vị cấp xã"),
        ("commune-dossier.xlsx", {"year": 2023, "unit": "31"}, 400, "year",
         "chưa áp dụng trong năm 2023"),
        ("title-list.pdf", {"decision": "abc"}, 400, "decision", "Tham số decision"),
        ("title-list.pdf", {"decision": "123456"}, 404, "decision",
         "Không tìm thấy quyết định công nhận"),
        # (2023: the shared demo has no decisions of that year; other suites add some of 2025)
        ("title-list.xlsx", {"year": 2023, "unit": "31"}, 404, "unit",
         "Chưa có quyết định công nhận nào của năm 2023"),
    ]
    for name, params, status, param, vi in cases:
        _, _, body = get(base + q(f"/api/v1/reports/{name}", **params), status)
        err = body["error"]
        assert err["parameter"] == param and vi in err["message_vi"], (name, params, err)


def test_a_decisions_list_and_the_decision_basis_on_a_private_server(ctx):
    db = copy_demo(ctx, "reports-api.db")
    commune, = busiest_communes(db, 1)
    decision = decide(ctx, db, commune, "21/QĐ-UBND", "2026-01-25")
    certs = query(db, "SELECT code, recipient FROM certificates WHERE decision_id = ? ORDER BY "
                      "entity", int(decision))
    with Server(ctx, db) as srv:
        path, headers = download(ctx, srv.url, "title-list.pdf", decision=decision)
        assert f'filename="danh-sach-qd-{decision}.pdf"' in headers["Content-Disposition"]
        text = pdf_text(path)
        assert "Kèm theo Quyết định số 21/QĐ-UBND ngày 25/01/2026" in text
        assert all(code in text for code, _ in certs), text[:500]
        path, _ = download(ctx, srv.url, "title-list.xlsx", year=2025, unit=commune)
        (_, rows), = tables(sheet(read_book(path), "Danh sách"), first="STT")
        assert [(r["Mã giấy công nhận"], r["Tên"]) for r in rows] == certs
        # on the decision basis the workbook still has the dashboard's figures
        check_annual_against_the_dashboard(ctx, srv.url, 2025, basis="decision")
        d = dash(srv.url, year=2025, unit=commune, basis="decision")
        fam = next(t for t in d["titles"] if t["key"] == "gia-dinh-hoc-tap")
        assert fam["figure"]["recognised"] == len(certs)
        assert os.path.getsize(path) > 0
