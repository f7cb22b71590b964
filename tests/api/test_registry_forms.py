"""The registry forms (docs/registry-forms.md): an officer registers a household with its
members, edits it, registers clans and learning units, through the JSON API. The import's
rules decide (one code path): every problem comes back as 422 naming the field in Vietnamese
and English, and nothing is written; a village outside the officer's commune is refused; every
save is audited and the server's results see it on the next request.

Each test writes, so each runs its own server on a private copy of the demo database."""
import json

from harness import Client, Server, add_user, copy_demo, query, unique

PASSWORD = "Hoc-tap-suot-doi-2026"
YEAR = 2025
DAY = "2025-12-31"
FAMILY = "gia-dinh-hoc-tap"
REGISTRY = ["households", "household_places", "persons", "person_years", "clans",
            "organisations", "organisation_places"]


class World:
    pass


def world(ctx, srv, db):
    """Communes A and B (each with households), their villages, a data-entry officer of A and
    the city's administrator, logged in through the session API (cookie and CSRF)."""
    w = World()
    w.db, w.srv = db, srv
    tag = unique("rf")
    add_user(ctx, db, tag + "-city", "admin", "31", PASSWORD)
    w.city = Client(srv.url)
    w.city.login(tag + "-city", PASSWORD)
    r = w.city.call("GET", f"/api/v1/units?date={DAY}&parent=31")
    communes = [u["code"] for u in r.body["units"] if u["counts"]["households"] >= 5]
    w.a, w.b = communes[0], communes[1]
    w.villages = {}
    for c in (w.a, w.b):
        r = w.city.call("GET", f"/api/v1/units?date={DAY}&parent={c}")
        w.villages[c] = sorted(u["code"] for u in r.body["units"])
    w.va, w.vb = w.villages[w.a][0], w.villages[w.b][0]
    add_user(ctx, db, tag + "-officer", "data-entry", w.a, PASSWORD, full_name="Cán bộ xã A")
    w.officer = Client(srv.url)
    w.officer.login(tag + "-officer", PASSWORD)
    w.officer_name = tag + "-officer"
    return w


def counts(db):
    return {t: query(db, f"SELECT COUNT(*) FROM {t}")[0][0] for t in REGISTRY}


def rows(db):
    """Every registry row: a refused form must leave them exactly as they were."""
    return {t: sorted(query(db, f"SELECT * FROM {t}"), key=repr) for t in REGISTRY}


def audit(db, action, object_id):
    return query(db, "SELECT actor, unit_code, before_json, after_json FROM audit WHERE action = ? "
                     "AND object_id = ? ORDER BY seq", action, object_id)


def household_in(db, villages, with_cid=False):
    """A household placed in one of the villages in YEAR (with a member holding a citizen
    ID when asked)."""
    marks = ",".join("?" * len(villages))
    extra = ("AND EXISTS (SELECT 1 FROM persons x WHERE x.household_id = h.id AND "
             "x.citizen_id IS NOT NULL)") if with_cid else ""
    return query(db, f"SELECT h.code FROM households h WHERE (SELECT p.village_code FROM "
                     f"household_places p WHERE p.household_id = h.id AND p.from_year <= ? ORDER "
                     f"BY p.from_year DESC LIMIT 1) IN ({marks}) {extra} ORDER BY h.code LIMIT 1",
                 YEAR, *villages)[0][0]


def family(client, unit):
    r = client.call("GET", f"/api/v1/evaluation?year={YEAR}&unit={unit}")
    assert r.status == 200, r
    return next(t for t in r.body["titles"] if t["key"] == FAMILY)


THREE = [
    {"full_name": "Nguyễn Văn Đức", "birth_year": 1978, "gender": "nam",
     "citizen_id": "031078001234", "literate": True, "conduct": "tốt", "topics_completed": 2},
    {"full_name": "Trần Thị Hường", "birth_year": "1981", "gender": "nữ",
     "citizen_id": "034181005678", "literate": True},
    {"full_name": "Nguyễn Đức Huy", "birth_year": 2012, "gender": "nam", "in_school": True,
     "school_result": "khá", "conduct": "tốt"},
]


def test_an_officer_registers_a_household_with_its_members(ctx):
    db = copy_demo(ctx, "forms-create.db")
    with Server(ctx, db) as srv:
        w = world(ctx, srv, db)
        before_eval = family(w.officer, w.va)  # loads and caches the year's results
        before = counts(db)
        body = {"year": YEAR, "village": w.va, "head_name": "  Nguyễn   Văn Đức ",
                "address": "Số 12, ngõ 3", "members": THREE}
        r = w.officer.call("POST", "/api/v1/households", body)
        assert r.status == 201, r
        code = r.body["code"]
        # a code in the demo's shape, one more than the greatest stored
        top = query(db, "SELECT MAX(code) FROM households WHERE code LIKE 'HH_______' AND code "
                        "<> ?", code)[0][0]
        assert code == "HH%07d" % (int(top[2:]) + 1), (code, top)
        # the answer is what GET answers; names stored cleaned, NFC
        got = w.officer.call("GET", f"/api/v1/households/{code}?year={YEAR}")
        assert got.status == 200 and got.body == r.body, (got.body, r.body)
        assert r.body["head_name"] == "Nguyễn Văn Đức" and r.body["village"]["code"] == w.va
        members = {m["full_name"]: m for m in r.body["members"]}
        assert set(members) == {"Nguyễn Văn Đức", "Trần Thị Hường", "Nguyễn Đức Huy"}
        assert members["Trần Thị Hường"]["citizen_id"] == "034181005678"  # personal.read
        assert members["Trần Thị Hường"]["gender"] == "nu"
        huy = members["Nguyễn Đức Huy"]
        assert (huy["in_school"], huy["school_result"], huy["conduct"], huy["literate"]) == \
            (True, "kha", "tot", False), huy
        assert members["Nguyễn Văn Đức"]["topics_completed"] == 2
        after = counts(db)
        assert {t: after[t] - before[t] for t in REGISTRY} == {
            "households": 1, "household_places": 1, "persons": 3, "person_years": 3, "clans": 0,
            "organisations": 0, "organisation_places": 0}
        assert query(db, "SELECT COUNT(*) FROM person_years y JOIN persons x ON x.id = "
                         "y.person_id JOIN households h ON h.id = x.household_id WHERE h.code = ? "
                         "AND y.year = ?", code, YEAR)[0][0] == 3
        # one audit entry, in the same transaction, with the household after and masked IDs
        entries = audit(db, "household.create", code)
        assert len(entries) == 1, entries
        actor, unit, before_json, after_json = entries[0]
        assert actor == w.officer_name and unit == w.va and before_json is None
        saved = json.loads(after_json)
        assert saved["head_name"] == "Nguyễn Văn Đức" and len(saved["members"]) == 3
        assert {m["citizen_id"] for m in saved["members"].values()} == \
            {"031******234", "034******678", None}
        # the server's cached results see the new household on the next request
        now = family(w.officer, w.va)
        assert now["eligible"] == before_eval["eligible"] + 1, (before_eval, now)
        # the audit page finds it by the household's code
        r = w.city.call("GET", f"/api/v1/audit?entity={code}")
        assert [e["action"] for e in r.body["entries"]] == ["household.create"], r.body


def test_every_problem_is_named_by_field_in_vietnamese_and_nothing_is_written(ctx):
    db = copy_demo(ctx, "forms-invalid.db")
    with Server(ctx, db) as srv:
        w = world(ctx, srv, db)
        taken = household_in(db, w.villages[w.a])
        before, generation = rows(db), query(db, "SELECT value FROM meta WHERE key = "
                                                 "'generation'")[0][0]
        audit_rows = query(db, "SELECT COUNT(*) FROM audit")[0][0]
        body = {
            "year": YEAR, "code": "HH 01", "village": "99999-99", "head_name": " ",
            "clan": "DH-KHONG-CO", "colour": "đỏ",
            "members": [
                {"full_name": "Phạm Văn An", "birth_year": 1970, "gender": "nam",
                 "citizen_id": "03107000123"},
                {"full_name": "Phạm Thị Bình", "birth_year": 1972, "gender": "nữ",
                 "citizen_id": "000172001234"},
                {"full_name": "Phạm Văn Cường", "birth_year": "19x0", "gender": "n",
                 "literate": "có lẽ", "school_result": "giỏi", "topics_completed": 101},
                {"full_name": "", "birth_year": 2030, "gender": "nữ"},
                {"full_name": "Phạm Văn Dũng", "birth_year": 1995, "gender": "nam",
                 "citizen_id": "031095009999"},
                {"full_name": "Phạm Văn Dũng Em", "birth_year": 1996, "gender": "nam",
                 "citizen_id": "031095009999"},
            ]}
        r = w.officer.call("POST", "/api/v1/households", body)
        assert r.status == 422, r
        got = [(p["field"], p["msg_vi"]) for p in r.body["problems"]]
        want = [
            ("colour", "Trường colour không có trong biểu mẫu"),
            ("code", "'HH 01' không phải là mã"),
            ("head_name", "Chưa ghi Họ tên chủ hộ; đây là mục bắt buộc"),
            ("village", "Không có thôn/tổ dân phố mã 99999-99 trong năm 2025"),
            ("clan", "Không có dòng họ mã DH-KHONG-CO; hãy đăng ký dòng họ trước"),
            ("members[0].citizen_id", "'03107000123' không phải số CCCD: phải có đúng 12 chữ số"),
            ("members[1].citizen_id", "'000172001234' không phải số CCCD: 000 không phải mã tỉnh"),
            ("members[2].birth_year", "'19x0' không phải là năm"),
            ("members[2].gender", "'n' không phải giới tính; ghi nam hoặc nữ"),
            ("members[2].literate", "'có lẽ' không phải có/không"),
            ("members[2].school_result", "'giỏi' không hợp lệ; ghi tốt, khá, đạt hoặc chưa đạt"),
            ("members[2].topics_completed", "'101' không hợp lệ; ghi số nguyên từ 0 đến 100"),
            ("members[3].full_name", "Chưa ghi Họ và tên; đây là mục bắt buộc"),
            ("members[3].birth_year", "Năm 2030 chưa đến"),
            ("members[5].citizen_id",
             "Số CCCD 031095009999 bị nhập hai lần (trùng thành viên thứ 5); chỉ giữ một"),
        ]
        assert len(got) == len(want) and r.body["problems_total"] == len(want), \
            json.dumps(got, ensure_ascii=False, indent=1)
        for (field, text), (want_field, want_text) in zip(got, want):
            assert field == want_field and text.startswith(want_text), (field, text, want_field)
        for p in r.body["problems"]:
            assert p["msg_en"] and p["msg_vi"] and p["msg_vi"] == p["message"], p
        assert r.body["error"]["message_vi"].startswith("Biểu mẫu có 15 lỗi"), r.body["error"]
        # English on request
        r = w.officer.call("POST", "/api/v1/households?lang=en", body)
        assert r.body["problems"][2]["message"] == "head_name is empty; it is required", r.body
        # a member born after the form's year, a code already taken, a bad year
        r = w.officer.call("POST", "/api/v1/households", {
            "year": 2024, "code": taken, "village": w.va, "head_name": "Hồ Văn Tới",
            "members": [{"full_name": "Hồ Văn Tới", "birth_year": 2025, "gender": "nam"}]})
        assert r.status == 422, r
        got = {p["field"]: p["msg_vi"] for p in r.body["problems"]}
        assert got["code"].startswith(f"Mã {taken} đã có"), got
        assert got["members[0].birth_year"].startswith("Sinh năm 2025, sau năm 2024"), got
        r = w.officer.call("POST", "/api/v1/households", {"year": "năm nay", "village": w.va,
                                                          "head_name": "Hồ Văn Tới"})
        assert r.status == 422 and r.body["problems"][0]["field"] == "year", r
        # nothing of any of them was written: rows, generation and the audit trail as they were
        assert rows(db) == before
        assert query(db, "SELECT value FROM meta WHERE key = 'generation'")[0][0] == generation
        assert query(db, "SELECT COUNT(*) FROM audit")[0][0] == audit_rows
        # not JSON, broken JSON
        r = w.officer.call("POST", "/api/v1/households", b"village=1",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert r.status == 415, r
        r = w.officer.call("POST", "/api/v1/households", b"{\"village\": ",
                           headers={"Content-Type": "application/json"})
        assert r.status == 400 and r.code == "bad_json", r
        # a dry run checks and writes nothing
        r = w.officer.call("POST", "/api/v1/households?dry_run=1",
                           {"year": YEAR, "village": w.va, "head_name": "Hồ Văn Tới",
                            "members": THREE})
        assert r.status == 200 and r.body["dry_run"] and r.body["changed"], r
        assert len(r.body["members"]) == 3
        assert rows(db) == before


def test_outside_the_officers_commune_is_refused(ctx):
    db = copy_demo(ctx, "forms-scope.db")
    with Server(ctx, db) as srv:
        w = world(ctx, srv, db)
        before = rows(db)
        theirs = household_in(db, w.villages[w.b], with_cid=True)
        ours = household_in(db, w.villages[w.a])
        cid_b = query(db, "SELECT x.citizen_id FROM persons x JOIN households h ON h.id = "
                          "x.household_id WHERE h.code = ? AND x.citizen_id IS NOT NULL LIMIT 1",
                      theirs)[0][0]
        o = w.officer
        # a new household in B's village: 422 naming the field
        r = o.call("POST", "/api/v1/households", {"year": YEAR, "village": w.vb,
                                                  "head_name": "Lý Văn Ngoài"})
        assert r.status == 422, r
        p = r.body["problems"][0]
        assert p["field"] == "village" and "nằm ngoài địa bàn của bạn" in p["msg_vi"], p
        # B's household: refused before the handler (403); moving ours to B: 422
        r = o.call("PUT", f"/api/v1/households/{theirs}?year={YEAR}",
                   {"year": YEAR, "village": w.va, "head_name": "Lý Văn Chiếm"})
        assert r.status == 403 and r.code == "forbidden", r
        r = o.call("GET", f"/api/v1/households/{ours}?year={YEAR}")
        r = o.call("PUT", f"/api/v1/households/{ours}?year={YEAR}",
                   {"year": YEAR, "village": w.vb, "head_name": r.body["head_name"]})
        assert r.status == 422 and r.body["problems"][0]["field"] == "village", r
        # a member whose citizen ID belongs to a person of B would move them out of B
        r = o.call("POST", "/api/v1/households", {
            "year": YEAR, "village": w.va, "head_name": "Lý Văn Mượn",
            "members": [{"full_name": "Lý Văn Mượn", "birth_year": 1980, "gender": "nam",
                         "citizen_id": cid_b}]})
        assert r.status == 422, r
        p = r.body["problems"][0]
        assert p["field"] == "members[0].citizen_id" and "ngoài địa bàn" in p["msg_vi"], p
        # clans and learning units: the same
        r = o.call("POST", "/api/v1/clans", {"year": YEAR, "name": "Dòng họ Lý", "village": w.vb})
        assert r.status == 422 and r.body["problems"][0]["field"] == "village", r
        r = o.call("POST", "/api/v1/organisations", {"year": YEAR, "name": "Trường Ngoài",
                                                     "kind": "Trường học", "admin": w.b})
        assert r.status == 422 and r.body["problems"][0]["field"] == "admin", r
        assert "nằm ngoài địa bàn" in r.body["problems"][0]["msg_vi"], r
        clan_b = query(db, f"SELECT code FROM clans WHERE village_code NOT IN "
                           f"({','.join('?' * len(w.villages[w.a]))}) LIMIT 1",
                       *w.villages[w.a])[0][0]
        r = o.call("PUT", f"/api/v1/clans/{clan_b}?year={YEAR}",
                   {"year": YEAR, "name": "Dòng họ Chiếm", "village": w.va})
        assert r.status == 403, r
        # the import shares the rule: a households file renaming B's household into a
        # village of A is refused row by row
        data = f"household_code,head_name,village_code\n{theirs},Lý Văn Chiếm,{w.va}\n".encode()
        r = o.call("POST", f"/api/v1/imports/registry/households?year={YEAR}", data,
                   headers={"Content-Type": "text/csv"})
        assert r.status == 422, r
        assert "nằm ngoài địa bàn" in r.body["problems"][0]["message"], r.body
        assert r.body["problems"][0]["field"] == "household_code", r.body
        assert rows(db) == before
        # the city's administrator may do what the officer may not
        r = w.city.call("POST", "/api/v1/clans?dry_run=1",
                        {"year": YEAR, "name": "Dòng họ Lý", "village": w.vb})
        assert r.status == 200 and r.body["changed"], r


def test_edit_round_trip(ctx):
    db = copy_demo(ctx, "forms-edit.db")
    with Server(ctx, db) as srv:
        w = world(ctx, srv, db)
        o = w.officer
        r = o.call("POST", "/api/v1/households", {"year": YEAR, "village": w.va,
                                                  "head_name": "Đỗ Văn Sửa", "members": THREE})
        assert r.status == 201, r
        code = r.body["code"]
        # the object sent back as GET answers it changes nothing, writes no audit entry
        audits = query(db, "SELECT COUNT(*) FROM audit")[0][0]
        got = o.call("GET", f"/api/v1/households/{code}?year={YEAR}").body
        r = o.call("PUT", f"/api/v1/households/{code}?year={YEAR}", got)
        assert r.status == 200 and r.body == got, r
        assert query(db, "SELECT COUNT(*) FROM audit")[0][0] == audits
        # change the head, the address, a member's name (by id) and facts; add a member
        clan = query(db, f"SELECT code, name FROM clans WHERE village_code IN "
                         f"({','.join('?' * len(w.villages[w.a]))}) LIMIT 1",
                     *w.villages[w.a])[0]
        huy = next(m for m in got["members"] if m["full_name"] == "Nguyễn Đức Huy")
        edit = dict(got, head_name="Đỗ Văn Sửa Lại", address="Xóm Mới", clan=clan[0])
        edit["members"] = [dict(m) for m in got["members"]]
        for m in edit["members"]:
            if m["id"] == huy["id"]:
                m.update(full_name="Nguyễn Đức Huy Anh", school_result="tốt", topics_completed=1)
        edit["members"].append({"full_name": "Nguyễn Thị Ngọc", "birth_year": 2018,
                                "gender": "nữ", "in_school": True})
        r = o.call("PUT", f"/api/v1/households/{code}?year={YEAR}", edit)
        assert r.status == 200, r
        after = o.call("GET", f"/api/v1/households/{code}?year={YEAR}").body
        assert r.body == after
        assert (after["head_name"], after["address"], after["clan"]["code"]) == \
            ("Đỗ Văn Sửa Lại", "Xóm Mới", clan[0])
        by_id = {m["id"]: m for m in after["members"]}
        assert len(after["members"]) == 4 and by_id[huy["id"]]["full_name"] == "Nguyễn Đức Huy Anh"
        assert by_id[huy["id"]]["school_result"] == "tot" and by_id[huy["id"]]["topics_completed"] == 1
        assert "Nguyễn Thị Ngọc" in {m["full_name"] for m in after["members"]}
        # one update entry, with the member's change under its id
        [(actor, unit, before_json, after_json)] = audit(db, "household.update", code)
        b, a = json.loads(before_json), json.loads(after_json)
        assert b["head_name"] == "Đỗ Văn Sửa" and a["head_name"] == "Đỗ Văn Sửa Lại"
        assert b["members"][huy["id"]]["full_name"] == "Nguyễn Đức Huy"
        assert a["members"][huy["id"]]["full_name"] == "Nguyễn Đức Huy Anh"
        assert len(a["members"]) == 4 and a["clan"] == clan[0]
        # a member left out of the list stays a member (the import cannot remove one either)
        short = dict(after, members=after["members"][:1])
        r = o.call("PUT", f"/api/v1/households/{code}?year={YEAR}", short)
        assert r.status == 200 and len(r.body["members"]) == 4, r
        # a member id of another household, another member's citizen ID
        other = query(db, "SELECT 'P' || id FROM persons WHERE household_id <> (SELECT id FROM "
                          "households WHERE code = ?) LIMIT 1", code)[0][0]
        first, second = after["members"][0], after["members"][1]
        assert first["citizen_id"] == "031078001234", first
        r = o.call("PUT", f"/api/v1/households/{code}?year={YEAR}",
                   dict(after, members=[dict(first, id=other)]))
        assert r.status == 422, r
        got = {p["field"]: p["msg_vi"] for p in r.body["problems"]}
        assert got == {"members[0]": f"{other} không phải thành viên của hộ {code}"}, got
        r = o.call("PUT", f"/api/v1/households/{code}?year={YEAR}",
                   dict(after, members=[dict(second, citizen_id=first["citizen_id"])]))
        assert r.status == 422, r
        got = {p["field"]: p["msg_vi"] for p in r.body["problems"]}
        assert got == {"members[0].citizen_id": "Số CCCD 031078001234 đã thuộc về người khác; "
                                                "hãy kiểm tra lại số"}, got
        # the code cannot change; an unknown household is 404
        r = o.call("PUT", f"/api/v1/households/{code}?year={YEAR}", dict(after, code="HH0000001"))
        assert r.status == 422 and r.body["problems"][0]["field"] == "code", r
        r = o.call("PUT", f"/api/v1/households/HHKHONGCO?year={YEAR}",
                   {"year": YEAR, "village": w.va, "head_name": "Không Có"})
        assert r.status == 404, r


def test_clans_and_learning_units(ctx):
    db = copy_demo(ctx, "forms-clans.db")
    with Server(ctx, db) as srv:
        w = world(ctx, srv, db)
        o = w.officer
        r = o.call("POST", "/api/v1/clans", {"year": YEAR, "name": "Dòng họ Vũ Đình",
                                             "village": w.va})
        assert r.status == 201, r
        clan = r.body["code"]
        assert clan.startswith("DH") and len(clan) == 8 and r.body["village"]["code"] == w.va
        assert o.call("GET", f"/api/v1/clans/{clan}").body["name"] == "Dòng họ Vũ Đình"
        listed = o.call("GET", f"/api/v1/clans?unit={w.a}&year={YEAR}").body["clans"]
        assert clan in {c["code"] for c in listed}
        r = o.call("PUT", f"/api/v1/clans/{clan}", {"year": YEAR, "name": "Chi họ Vũ Đình",
                                                    "village": w.villages[w.a][-1]})
        assert r.status == 200 and r.body["name"] == "Chi họ Vũ Đình", r
        assert [e[0] for e in audit(db, "clan.create", clan)] == [w.officer_name]
        [(_, unit, before, after)] = audit(db, "clan.update", clan)
        assert json.loads(before)["name"] == "Dòng họ Vũ Đình" and unit == w.villages[w.a][-1]
        # a household of the new clan
        r = o.call("POST", "/api/v1/households", {"year": YEAR, "village": w.va,
                                                  "head_name": "Vũ Đình Hòa", "clan": clan})
        assert r.status == 201 and r.body["clan"]["name"] == "Chi họ Vũ Đình", r
        # a learning unit: the kind by its Vietnamese name, managed by the commune
        r = o.call("POST", "/api/v1/organisations", {"year": YEAR, "name": "Trường Mầm non Hoa Sen",
                                                     "kind": "Trường học", "admin": w.a})
        assert r.status == 201, r
        org = r.body["code"]
        assert org.startswith("DV") and r.body["kind"] == "truong-hoc", r.body
        assert r.body["kind_name"] == "Trường học" and r.body["admin"]["code"] == w.a
        listed = o.call("GET", f"/api/v1/organisations?unit={w.a}&year={YEAR}").body
        assert org in {x["code"] for x in listed["organisations"]}
        r = o.call("PUT", f"/api/v1/organisations/{org}?year={YEAR}",
                   {"year": YEAR, "name": "Trường Mầm non Hoa Sen", "kind": "don-vi-su-nghiep",
                    "admin": w.a})
        assert r.status == 200 and r.body["kind_name"] == "Đơn vị sự nghiệp", r
        assert len(audit(db, "organisation.update", org)) == 1
        # the import's rules: kind, managing unit, name
        before = rows(db)
        r = o.call("POST", "/api/v1/organisations", {"year": YEAR, "name": "",
                                                     "kind": "Quán cà phê", "admin": w.va})
        assert r.status == 422, r
        got = {p["field"]: p["msg_vi"] for p in r.body["problems"]}
        assert got["name"].startswith("Chưa ghi Tên đơn vị"), got
        assert got["kind"].startswith("'Quán cà phê' không phải loại đơn vị"), got
        assert got["admin"].startswith(f"Không có xã/phường (hoặc huyện, tỉnh) mã {w.va}"), got
        r = o.call("POST", "/api/v1/clans", {"year": YEAR, "name": "Dòng họ Lê", "village": w.a,
                                             "code": clan})
        assert r.status == 422, r
        got = {p["field"]: p["msg_vi"] for p in r.body["problems"]}
        assert got["code"].startswith(f"Mã {clan} đã có"), got
        assert got["village"].startswith(f"Không có thôn/tổ dân phố mã {w.a}"), got
        assert rows(db) == before
