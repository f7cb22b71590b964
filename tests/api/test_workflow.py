"""The yearly workflow through the API (docs/workflow.md): a data-entry officer, a reviewer and
an approver of one commune take households from entry to a decision; every refusal changes
nothing. Each test runs a private server on its own copy of the demo database."""
import json
import shutil
import subprocess
import unicodedata
import urllib.parse

from harness import Client, Server, add_user, dump, query, unique

PASSWORD = "Hoc-tap-suot-doi-2026"
YEAR = 2025
FAMILY = "gia-dinh-hoc-tap"


def q(path, **params):
    return path + "?" + urllib.parse.urlencode(params)


class Commune:
    """A copy of the demo, a commune with households of every stage, and one account per role
    scoped to it (plus one of another commune)."""

    def __init__(self, ctx):
        self.db = ctx.path("workflow.db")
        shutil.copy(ctx.demo_db(), self.db)
        rows = query(self.db, "SELECT u.parent_code, COUNT(*) FROM records r JOIN units u ON "
                     "u.code = r.place AND u.valid_to IS NULL WHERE r.title = ? AND r.year = ? "
                     "GROUP BY u.parent_code ORDER BY COUNT(*) DESC", FAMILY, YEAR)
        self.code, self.other = rows[0][0], rows[1][0]
        self.users = {}
        for role in ("data-entry", "reviewer", "approver"):
            name = unique("wf-" + role)
            add_user(ctx, self.db, name, role, self.code, PASSWORD)
            self.users[role] = name
        # the shared demo may hold audit entries of earlier tests: count only what follows
        self.seq = query(self.db, "SELECT COALESCE(MAX(seq), 0) FROM audit")[0][0]
        self.outsider = unique("wf-out")
        add_user(ctx, self.db, self.outsider, "approver", self.other, PASSWORD)

    def households(self, stage):
        return [r[0] for r in query(
            self.db, "SELECT r.entity FROM records r JOIN units u ON u.code = r.place AND "
            "u.valid_to IS NULL WHERE r.title = ? AND r.year = ? AND r.stage = ? AND "
            "u.parent_code = ? ORDER BY r.entity", FAMILY, YEAR, stage, self.code)]

    def client(self, server, role):
        c = Client(server.url)
        c.login(self.users[role] if role != "outsider" else self.outsider, PASSWORD)
        return c


def rec(code, path="/api/v1/record"):
    return q(path, title=FAMILY, year=YEAR, code=code)


def test_a_household_from_entry_to_a_certificate_and_back(ctx):
    c = Commune(ctx)
    hh = c.households("open")[0]
    with Server(ctx, c.db) as srv:
        entry, reviewer, approver = (c.client(srv, r) for r in ("data-entry", "reviewer", "approver"))
        r = entry.call("GET", rec(hh))
        assert r.status == 200 and r.body["stage"] == "open" and r.body["can"]["submit"], r
        items = {i["key"]: i for i in r.body["items"]}
        assert items["C1c"]["input"] == "yesno" and items["C1a"]["input"] == "derived"
        assert r.body["due"]["submit"] == "2025-11-15" and r.body["results"]["items"]

        # the live score: a draft that fails C1c, C3a and C3b scores 30 points less; nothing saved
        before = r.body["results"]["total"]
        draft = {"values": {"C1c": "không", "C3a": "không", "C3b": "không"}}
        p = entry.call("POST", rec(hh, "/api/v1/record/preview"), draft)
        assert p.status == 200 and p.body["results"]["total"] == before - 30, (before, p)
        assert entry.call("GET", rec(hh)).body["results"]["total"] == before
        # a bad value: every problem by field, in Vietnamese, nothing saved
        snapshot = dump(c.db)
        bad = entry.call("PUT", rec(hh), {"values": {"C1c": "có lẽ", "C9z": "có"}})
        assert bad.status == 422, bad
        fields = {x["field"] for x in bad.body["problems"]}
        assert fields == {"C1c", "C9z"}, bad.body
        assert "Có hoặc Không" in next(x["msg_vi"] for x in bad.body["problems"]
                                       if x["field"] == "C1c")
        assert dump(c.db) == snapshot

        # save, submit
        r = entry.call("PUT", rec(hh), {"registered": True, "values": {"C1c": "có", "C3a": "có",
                                                                         "C3b": "có", "C4a": "không",
                                                                         "C4b": "có"}})
        assert r.status == 200 and r.body["registered_on"], r
        r = entry.call("POST", rec(hh, "/api/v1/record/submit"), {})
        assert r.status == 200 and r.body["stage"] == "submitted", r
        # submitted: the officer can no longer change it
        r = entry.call("PUT", rec(hh), {"values": {"C1c": "không"}})
        assert r.status == 422 and r.body["problems"][0]["field"] == "stage", r
        assert "không sửa được" in r.body["problems"][0]["msg_vi"]

        # the reviewer's queue holds it; returning needs a comment
        r = reviewer.call("GET", q("/api/v1/workflow/records", title=FAMILY, year=YEAR,
                                   stage="submitted", unit=c.code))
        assert hh in {x["entity"] for x in r.body["rows"]}, r.body["total"]
        r = reviewer.call("POST", rec(hh, "/api/v1/record/return"), {})
        assert r.status == 422 and r.body["error"]["parameter"] == "comment", r
        r = reviewer.call("POST", rec(hh, "/api/v1/record/return"),
                          {"comment": "Thiếu xác nhận gia đình văn hóa (C4a)"})
        assert r.status == 200 and r.body["stage"] == "returned", r

        # the officer sees the comment, fixes, resubmits; the reviewer accepts
        r = entry.call("GET", rec(hh))
        assert r.body["comment"] == "Thiếu xác nhận gia đình văn hóa (C4a)" and r.body["can"]["edit"]
        assert entry.call("PUT", rec(hh), {"values": {"C4a": "có"}}).status == 200
        assert entry.call("POST", rec(hh, "/api/v1/record/submit"), {}).body["stage"] == "submitted"
        r = reviewer.call("POST", rec(hh, "/api/v1/record/accept"), {"comment": "Đạt"})
        assert r.status == 200 and r.body["stage"] == "accepted", r
        # a reviewer cannot decide
        r = reviewer.call("POST", "/api/v1/decisions", {"title": FAMILY, "year": YEAR})
        assert r.status == 403, r

        # the approver of another commune cannot decide on it
        out = c.client(srv, "outsider")
        r = out.call("POST", "/api/v1/decisions",
                     {"title": FAMILY, "year": YEAR, "unit": c.code, "number": "1/QĐ-UBND",
                      "signed_on": "2026-01-10", "signer_name": "X", "entities": [hh]})
        assert r.status == 403, r
        # the commune's approver decides
        body = {"title": FAMILY, "year": YEAR, "unit": c.code, "number": "12/QĐ-UBND",
                "signed_on": "2026-01-10", "signer_name": "Trần Văn Bình", "entities": [hh]}
        r = approver.call("POST", "/api/v1/decisions", body)
        assert r.status == 201 and r.body["recognised"] == 1, r
        assert r.body["issuer"].startswith("ỦY BAN NHÂN DÂN "), r.body
        assert r.body["signer_position"] == "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", r.body
        decision = r.body["id"]
        d = approver.call("GET", f"/api/v1/decisions/{decision}")
        cert = d.body["certificates"][0]
        assert cert["entity"] == hh and cert["recipient"].startswith("Gia đình "), cert
        head = query(c.db, "SELECT head_name FROM households WHERE code = ?", hh)[0][0]
        assert cert["recipient"].endswith(head), (cert, head)

        # the same number again is refused
        r = approver.call("POST", "/api/v1/decisions", body)
        assert r.status == 422, r

        # recognised: locked for everyone, the certificate verifiable without a login
        r = entry.call("GET", rec(hh))
        assert r.body["stage"] == "recognised" and r.body["locked"] and not r.body["can"]["edit"]
        assert r.body["certificate"]["code"] == cert["code"]
        assert entry.call("PUT", rec(hh), {"values": {"C1c": "không"}}).status == 422
        anon = Client(srv.url)
        v = anon.call("GET", f"/verify/{cert['code']}")
        assert v.status == 200 and b'data-state="valid"' in v.raw, v
        page = v.raw.decode()
        assert head in page and "Gia đình học tập" in page and "12/QĐ-UBND" in page
        # a lower-case code without its dash is the same certificate; an unknown one is not
        v = anon.call("GET", "/verify/" + cert["code"].replace("-", "").lower())
        assert v.status == 200, v
        assert anon.call("GET", "/verify/ABCDE-FGHJK").status == 404

        # unlocking needs a reason, reopens the record and revokes the certificate
        r = approver.call("POST", rec(hh, "/api/v1/record/unlock"), {})
        assert r.status == 422, r
        r = approver.call("POST", rec(hh, "/api/v1/record/unlock"),
                          {"reason": "Nhập nhầm hộ, cần xét lại"})
        assert r.status == 200 and r.body["stage"] == "returned", r
        assert r.body["comment"] == "Nhập nhầm hộ, cần xét lại"
        v = anon.call("GET", f"/verify/{cert['code']}")
        assert b'data-state="revoked"' in v.raw and "Nhập nhầm hộ" in v.raw.decode()

    actions = [a for (a,) in query(c.db, "SELECT action FROM audit WHERE object_id = ? AND seq > ? "
                                   "ORDER BY seq", f"{FAMILY}/{YEAR}/{hh}", c.seq)]
    assert actions == ["record.set", "record.submit", "record.return", "record.set",
                       "record.submit", "record.accept", "record.recognise", "record.unlock"], actions


def test_a_commune_decision_recognises_all_its_accepted_households_at_once(ctx):
    c = Commune(ctx)
    submitted = c.households("submitted")
    assert len(submitted) >= 20, len(submitted)
    with Server(ctx, c.db) as srv:
        reviewer, approver = c.client(srv, "reviewer"), c.client(srv, "approver")
        rows = reviewer.call("GET", q("/api/v1/workflow/records", title=FAMILY, year=YEAR,
                                      stage="submitted", unit=c.code)).body
        meets = [x["entity"] for x in rows["rows"] if x["meets"]]
        fails = [x["entity"] for x in rows["rows"] if x["meets"] is False]
        assert meets and fails, rows["total"]
        for hh in meets + fails[:1]:
            assert reviewer.call("POST", rec(hh, "/api/v1/record/accept"), {}).status == 200

        # one that does not meet the criteria cannot be recognised: the whole decision is refused
        snapshot = dump(c.db)
        body = {"title": FAMILY, "year": YEAR, "unit": c.code, "number": "20/QĐ-UBND",
                "signed_on": "2026-01-15", "signer_name": "Trần Văn Bình", "all_accepted": True}
        r = approver.call("POST", "/api/v1/decisions", body)
        assert r.status == 422, r
        assert any(fails[0] in x["msg_en"] and "criteria" in x["msg_en"]
                   for x in r.body["problems"]), r.body
        assert dump(c.db) == snapshot
        # listed as not recognised, with a reason, it goes in the same decision
        body["not_recognised"] = [{"entity": fails[0], "reason": "Chưa đạt tiêu chí 1"}]
        r = approver.call("POST", "/api/v1/decisions", body)
        assert r.status == 201, r
        assert r.body["recognised"] == len(meets) and r.body["not_recognised"] == 1, r.body
        stages = dict(query(c.db, "SELECT entity, stage FROM records WHERE title = ? AND year = ? "
                            "AND decision_id = ?", FAMILY, YEAR, int(r.body["id"])))
        assert all(stages[h] == "recognised" for h in meets) and stages[fails[0]] == "not-recognised"
        codes = query(c.db, "SELECT code FROM certificates WHERE decision_id = ?", int(r.body["id"]))
        assert len(codes) == len(meets) == len({x for (x,) in codes})


def test_a_decision_lists_every_problem_and_writes_nothing(ctx):
    c = Commune(ctx)
    open_hh = c.households("open")[0]
    with Server(ctx, c.db) as srv:
        approver = c.client(srv, "approver")
        snapshot = dump(c.db)
        r = approver.call("POST", "/api/v1/decisions",
                          {"title": FAMILY, "year": YEAR, "unit": c.code, "number": "",
                           "signed_on": "2030-01-01", "signer_name": "",
                           "entities": [open_hh, open_hh, "HH9999999"]})
        assert r.status == 422, r
        fields = {x["field"] for x in r.body["problems"]}
        assert {"number", "signer_name", "signed_on"} <= fields, fields
        r = approver.call("POST", "/api/v1/decisions",
                          {"title": FAMILY, "year": YEAR, "unit": c.code, "number": "3/QĐ",
                           "signed_on": "2026-01-10", "signer_name": "Trần Văn Bình",
                           "entities": [open_hh, open_hh, "HH9999999"]})
        assert r.status == 422, r
        msgs = [x["msg_en"] for x in r.body["problems"]]
        assert any("not accepted" in m for m in msgs) and any("twice" in m for m in msgs), msgs
        assert any("HH9999999" in m for m in msgs), msgs
        # a village is not the level that decides households
        village = query(c.db, "SELECT code FROM units WHERE parent_code = ? AND valid_to IS NULL",
                        c.code)[0][0]
        r = approver.call("POST", "/api/v1/decisions",
                          {"title": FAMILY, "year": YEAR, "unit": village, "number": "4/QĐ",
                           "signed_on": "2026-01-10", "signer_name": "Trần Văn Bình",
                           "entities": [open_hh]})
        assert r.status == 422 and any(x["field"] == "unit" for x in r.body["problems"]), r
        assert dump(c.db) == snapshot


def test_submission_needs_registration_and_every_entered_item(ctx):
    c = Commune(ctx)
    hh = c.households("open")[1]
    with Server(ctx, c.db) as srv:
        entry = c.client(srv, "data-entry")
        r = entry.call("PUT", rec(hh), {"registered": False, "values": {"C3a": None}})
        assert r.status == 200 and r.body["registered_on"] is None, r
        r = entry.call("POST", rec(hh, "/api/v1/record/submit"), {})
        assert r.status == 422, r
        fields = {x["field"] for x in r.body["problems"]}
        assert fields == {"registration", "C3a"}, r.body
        assert all(x["msg_vi"] for x in r.body["problems"])
        assert entry.call("GET", rec(hh)).body["stage"] == "open"


def test_evidence_is_checked_by_content_and_refused_once_submitted(ctx):
    c = Commune(ctx)
    hh = c.households("open")[2]
    with Server(ctx, c.db) as srv:
        entry = c.client(srv, "data-entry")
        pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        url = rec(hh, "/api/v1/evidence") + "&" + urllib.parse.urlencode(
            {"item": "C4a", "note": "Giấy khen gia đình văn hóa", "name": "giay-khen.pdf"})
        r = entry.call("POST", url, pdf, headers={"Content-Type": "application/pdf"})
        assert r.status == 201, r
        ev = next(i for i in r.body["items"] if i["key"] == "C4a")["evidence"]
        assert ev[-1]["file_name"] == "giay-khen.pdf" and ev[-1]["size"] == len(pdf), ev
        # a text file named .pdf is refused
        r = entry.call("POST", url, b"not a pdf at all", headers={"Content-Type": "application/pdf"})
        assert r.status == 422 and r.body["error"]["message_vi"], r
        # too large
        r = entry.call("POST", url, b"%PDF-" + b"0" * (10 * 1024 * 1024),
                       headers={"Content-Type": "application/pdf"})
        assert r.status == 413, r
        # once submitted, no more evidence
        entry.call("PUT", rec(hh), {"registered": True})
        assert entry.call("POST", rec(hh, "/api/v1/record/submit"), {}).status == 200
        r = entry.call("POST", url, pdf, headers={"Content-Type": "application/pdf"})
        assert r.status == 409 and r.body["error"]["message_vi"], r


def test_the_home_page_counts_what_waits_in_the_area(ctx):
    c = Commune(ctx)
    with Server(ctx, c.db) as srv:
        reviewer = c.client(srv, "reviewer")
        r = reviewer.call("GET", q("/api/v1/tasks", year=YEAR))
        assert r.status == 200 and r.body["unit"] == c.code, r
        fam = {t["stage"]: t for t in r.body["tasks"] if t["title"] == FAMILY}
        assert fam["submitted"]["count"] == len(c.households("submitted"))
        assert fam["submitted"]["mine"] is True and fam["open"]["mine"] is False
        # 2025's review deadline (30 November) has passed by the demo's today
        assert fam["submitted"]["due"] == "2025-11-30"
        assert fam["submitted"]["overdue"] == fam["submitted"]["count"]


def test_workflow_settings_are_validated_and_audited(ctx):
    c = Commune(ctx)
    admin = unique("wf-admin")
    add_user(ctx, c.db, admin, "admin", "31", PASSWORD)
    with Server(ctx, c.db) as srv:
        a = Client(srv.url)
        a.login(admin, PASSWORD)
        text = a.call("GET", "/api/v1/settings/workflow").body["text"]
        bad = text.replace("decided-by commune", "decided-by county", 1) + "\nnonsense 3\n"
        r = a.call("PUT", "/api/v1/settings/workflow", {"text": bad})
        assert r.status == 422 and len(r.body["problems"]) == 2, r
        assert all(x["line"] > 0 for x in r.body["problems"])
        good = text.replace("  decide 12-10", "  decide 12-05", 1)
        r = a.call("PUT", "/api/v1/settings/workflow", {"text": good})
        assert r.status == 200 and r.body["default"] is False, r
        entry = c.client(srv, "data-entry")
        hh = c.households("open")[0]
        assert entry.call("GET", rec(hh)).body["due"]["decide"] == "2025-12-05"
        assert a.call("DELETE", "/api/v1/settings/workflow").body["default"] is True
    assert query(c.db, "SELECT COUNT(*) FROM audit WHERE action = 'settings.workflow' AND "
                 "seq > ?", c.seq)[0][0] == 2


def pdf_text(ctx, raw):
    path = ctx.path("cert.pdf")
    with open(path, "wb") as f:
        f.write(raw)
    out = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    return out, pages


def test_certificates_print_one_or_a_whole_decision_and_each_print_is_audited(ctx):
    c = Commune(ctx)
    with Server(ctx, c.db) as srv:
        reviewer, approver = c.client(srv, "reviewer"), c.client(srv, "approver")
        rows = reviewer.call("GET", q("/api/v1/workflow/records", title=FAMILY, year=YEAR,
                                      stage="submitted", unit=c.code)).body["rows"]
        meets = [x["entity"] for x in rows if x["meets"]][:3]
        for hh in meets:
            assert reviewer.call("POST", rec(hh, "/api/v1/record/accept"), {}).status == 200
        r = approver.call("POST", "/api/v1/decisions",
                          {"title": FAMILY, "year": YEAR, "unit": c.code, "number": "30/QĐ-UBND",
                           "signed_on": "2026-01-15", "signer_name": "Phạm Thị Hồng Nhung",
                           "entities": meets})
        assert r.status == 201, r
        decision = r.body["id"]
        certs = approver.call("GET", f"/api/v1/decisions/{decision}").body["certificates"]
        # the whole decision: one A4 landscape page per household, names in NFC
        r = approver.call("GET", f"/api/v1/decisions/{decision}/certificates.pdf")
        assert r.status == 200 and r.headers["Content-Type"] == "application/pdf", r
        text, info = pdf_text(ctx, r.raw)
        assert "Pages:           3" in info and "841.89 x 595.276" in info, info
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "GIẤY CÔNG NHẬN" in text
        assert "Phạm Thị Hồng Nhung" in text and "30/QĐ-UBND" in text
        assert unicodedata.normalize("NFC", text) == text
        for cert in certs:
            head = query(c.db, "SELECT head_name FROM households WHERE code = ?",
                         cert["entity"])[0][0]
            assert head in text, head
            assert f"/verify/{cert['code']}" in text
        # one certificate
        one = certs[0]
        r = approver.call("GET", f"/api/v1/certificates/{one['code']}.pdf")
        text, info = pdf_text(ctx, r.raw)
        assert "Pages:           1" in info and one["recipient"] in text
        # a revoked certificate is not printed with the decision any more
        hh = one["entity"]
        assert approver.call("POST", rec(hh, "/api/v1/record/unlock"),
                             {"reason": "In sai tên"}).status == 200
        r = approver.call("GET", f"/api/v1/decisions/{decision}/certificates.pdf")
        text, info = pdf_text(ctx, r.raw)
        assert "Pages:           2" in info and one["code"] not in text
    prints = query(c.db, "SELECT object_kind, object_id, after_json FROM audit WHERE action = "
                   "'certificate.print' AND seq > ? ORDER BY seq", c.seq)
    assert [(k, i) for k, i, _ in prints] == [("decision", decision), ("certificate", one["code"]),
                                              ("decision", decision)], prints
    assert json.loads(prints[0][2])["pages"] == 3


def test_the_certificate_template_is_data_an_administrator_changes(ctx):
    c = Commune(ctx)
    admin = unique("wf-admin")
    add_user(ctx, c.db, admin, "admin", "31", PASSWORD)
    with Server(ctx, c.db) as srv:
        a = Client(srv.url)
        a.login(admin, PASSWORD)
        r = a.call("GET", "/api/v1/settings/certificate")
        assert r.status == 200 and r.body["default"] is True, r
        fields = {f["key"]: f for f in r.body["fields"]}
        assert fields["heading"]["value"] == "GIẤY CÔNG NHẬN"
        assert fields["border"]["type"] == "choice" and "double" in fields["border"]["choices"]
        assert fields["heading_size"]["type"] == "number" and fields["heading_size"]["min"] > 0
        # a bad colour and an unknown placeholder: every problem, nothing stored
        r = a.call("PUT", "/api/v1/settings/certificate",
                   {"values": {"heading_colour": "đỏ", "intro": "{nobody} công nhận"}})
        assert r.status == 422 and len(r.body["problems"]) == 2, r
        assert a.call("GET", "/api/v1/settings/certificate").body["default"] is True
        # new wording: the sample and the certificates print it
        r = a.call("PUT", "/api/v1/settings/certificate",
                   {"values": {"heading": "GIẤY KHEN DANH HIỆU", "border": "single"}})
        assert r.status == 200 and r.body["default"] is False, r
        r = a.call("GET", "/api/v1/certificates/sample.pdf")
        text, info = pdf_text(ctx, r.raw)
        assert "GIẤY KHEN DANH HIỆU" in text and "Pages:           3" in info
        assert a.call("DELETE", "/api/v1/settings/certificate").body["default"] is True
        text, _ = pdf_text(ctx, a.call("GET", "/api/v1/certificates/sample.pdf").raw)
        assert "GIẤY CÔNG NHẬN" in text
    assert query(c.db, "SELECT COUNT(*) FROM audit WHERE action = 'settings.certificate' AND "
                 "seq > ?", c.seq)[0][0] == 2

