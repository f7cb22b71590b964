"""Vietnamese order of the lists the server sorts, and search that ignores diacritics and case.

The expected orders are written out by hand (a private copy of the demo with households,
persons, clans, learning units and accounts whose names share the word "Kiểm", found
nowhere in the demo), and, for the demo's own unit lists, computed by vi_key below: a
separate statement of the rule of docs/architecture.md ("Sorting"), not the server's code.
"""
import json
import random
import re
import unicodedata
import urllib.parse

from harness import Client, Server, add_user, copy_demo, get, query, write

YEAR = 2025
DAY = f"{YEAR}-12-31"
TOKEN = "Kiểm"  # in every name below, and in no name of the demo

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
LETTER_MARKS = {("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê",
                ("o", "\u0302"): "ô", ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư"}
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền … nặng


def vi_word(word):
    """(units, tone): letters by their place in the alphabet, digit runs as numbers
    before letters, other characters after z; then the tone (0 for ngang)."""
    units, tone, digits = [], 0, ""
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch.isdigit():
            digits += ch
            continue
        if digits:
            units.append((0, int(digits)))
            digits = ""
        if unicodedata.category(ch).startswith("M"):
            last = units[-1] if units else None
            if last and last[0] == 1 and (ALPHABET[last[1]], ch) in LETTER_MARKS:
                units[-1] = (1, ALPHABET.index(LETTER_MARKS[(ALPHABET[last[1]], ch)]))
            elif ch in TONES and last and last[0] == 1 and ALPHABET[last[1]] in "aăâeêioôơuưy":
                tone = tone or TONES[ch]
        elif ch in ALPHABET:
            units.append((1, ALPHABET.index(ch)))
        else:
            units.append((2, ord(ch)))
    if digits:
        units.append((0, int(digits)))
    return (tuple(units), tone)


def vi_key(text, given_name_first=False):
    """Words compared one by one; a person's given name (the last word) first."""
    words = [vi_word(w) for w in re.findall(r"[^\W_]+", unicodedata.normalize("NFC", text))]
    return ([words[-1]] if given_name_first and words else []) + words


def plain(text):
    """What a user types without a Vietnamese keyboard: no marks, đ as d."""
    text = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in text if not unicodedata.category(ch).startswith("M"))


def search(base, q, limit=100, opener=None):
    url = base + "/api/v1/search?" + urllib.parse.urlencode({"q": q, "year": YEAR, "limit": limit})
    if opener:
        r = opener.call("GET", url[len(base):])
        assert r.status == 200, r
        return r.body
    return get(url)[2]


def test_vi_key_states_the_rule(ctx):
    """The reference used below, on the examples the documentation gives."""
    ordered = ["2", "10", "An", "An Bình", "Anh", "Ân", "Dương", "Đào", "Hoa", "Hòa", "Hỏa",
               "Hõa", "Hóa", "Họa", "Hoan", "Hùng", "Hưng", "Long", "Lộc", "Lợi",
               "Nguyên Văn Bình", "Nguyễn Văn An", "Tổ dân phố 2", "Tổ dân phố 10"]
    assert sorted(reversed(ordered), key=vi_key) == ordered
    names = ["Nguyễn Văn An", "Trần Thị An", "Lê Anh", "Trần Thị Bình"]
    assert sorted(reversed(names), key=lambda n: vi_key(n, True)) == names


def test_unit_lists_are_in_vietnamese_order(ctx):
    base = ctx.server_url()
    checked = numbered = 0
    for date, parent in ((DAY, None), (DAY, "31"), ("2024-06-30", "31"), ("2024-06-30", "303")):
        q = {"date": date, **({"parent": parent} if parent else {})}
        units = get(base + "/api/v1/units?" + urllib.parse.urlencode(q))[2]["units"]
        expected = sorted(units, key=lambda u: (vi_key(u["name"]), u["name"], u["code"]))
        assert [u["name"] for u in units] == [u["name"] for u in expected], (date, parent)
        checked += len(units)
        # and one level down: villages, where numbers must compare as numbers
        for unit in units[:4] if parent else []:
            q = {"date": date, "parent": unit["code"]}
            kids = get(base + "/api/v1/units?" + urllib.parse.urlencode(q))[2]["units"]
            names = [k["name"] for k in kids]
            expected = sorted(kids, key=lambda u: (vi_key(u["name"]), u["name"], u["code"]))
            assert names == [k["name"] for k in expected], (date, unit["code"], names)
            # "Tổ dân phố 2" before "Tổ dân phố 10": per name, the numbers in order
            by_prefix = {}
            for n in names:
                m = re.fullmatch(r"(.*) (\d+)", n)
                if m:
                    by_prefix.setdefault(m.group(1), []).append(int(m.group(2)))
            for prefix, numbers in by_prefix.items():
                assert numbers == sorted(numbers), (prefix, numbers)
                numbered += max(numbers) >= 10
    assert checked > 130 and numbered > 0, (checked, numbered)
    # the evaluation's children (the web table's default order agrees, tests/browser)
    ev = get(base + f"/api/v1/evaluation?year={YEAR}&unit=31")[2]["children"]
    assert [c["name"] for c in ev] == \
        [c["name"] for c in sorted(ev, key=lambda c: (vi_key(c["name"]), c["name"], c["code"]))]


def test_search_ignores_diacritics_and_case(ctx):
    base, db = ctx.server_url(), ctx.demo_db()
    # a person whose name has đ/Đ and tone marks, and whom the name alone identifies
    rows = query(db, "SELECT x.id, x.full_name, h.code, h.head_name FROM persons x JOIN households "
                     "h ON h.id = x.household_id WHERE (x.full_name LIKE '%Đ%' OR x.full_name "
                     "LIKE '%đ%') AND x.full_name IN (SELECT full_name FROM persons GROUP BY "
                     "full_name HAVING COUNT(*) = 1) ORDER BY x.id LIMIT 1")
    assert rows, "the demo has a unique name with đ"
    pid, name, hh, head = rows[0]
    assert plain(name) != name
    for typed in (name, plain(name).lower(), plain(name).upper(), name.upper(),
                  unicodedata.normalize("NFD", name), "  " + plain(name).lower() + " "):
        found = search(base, typed)
        assert f"P{pid}" in [p["id"] for p in found["persons"]], (typed, found["persons"][:5])
        assert all(p["household_code"] for p in found["persons"])
    # households by the head's name and by code, whole or in part, in any case
    for typed in (plain(head).lower(), hh.lower(), hh[2:]):
        found = search(base, typed)
        assert hh in [h["code"] for h in found["households"]], (typed, found["households"][:5])
    # clans, organisations and units by name without marks and by code in lower case
    clan_code, clan = query(db, "SELECT code, name FROM clans ORDER BY code LIMIT 1")[0]
    org_code, org = query(db, "SELECT code, name FROM organisations WHERE name LIKE '%ư%' "
                              "ORDER BY code LIMIT 1")[0]
    for kind, code, name in (("clans", clan_code, clan), ("organisations", org_code, org)):
        for typed in (plain(name).lower(), code.lower()):
            found = search(base, typed)
            assert code in [x["code"] for x in found[kind]], (kind, typed, found[kind][:5])
    communes = get(base + f"/api/v1/units?date={DAY}&parent=31")[2]["units"]
    commune = next(u for u in communes if plain(u["name"]) != u["name"])
    for typed in (plain(commune["name"]).upper(), commune["code"]):
        found = search(base, typed)
        hit = next((u for u in found["units"] if u["code"] == commune["code"]), None)
        assert hit and hit["parent"]["code"] == "31", (typed, found["units"][:5])
    # "đ" typed as "d" (and not the other way round: "đ" is a letter of its own for sorting,
    # not for searching)
    d_name = next(u["name"] for u in communes if "Đ" in u["name"] or "đ" in u["name"])
    found = search(base, d_name.replace("Đ", "D").replace("đ", "d"))
    assert d_name in [u["name"] for u in found["units"]], (d_name, found["units"])
    # one letter is not enough
    status = get(base + "/api/v1/search?q=a", expect=400)[0]
    assert status == 400


# The private world: names written in the order expected of the lists.
HEADS = [  # persons and household heads: given name first, then the whole name
    "Nguyễn Kiểm An", "Trần Kiểm An", "Lê Kiểm Anh", "Đỗ Kiểm Ánh", "Phạm Kiểm Ân",
    "Bùi Kiểm Dũng", "Vũ Kiểm Đạt", "Hoàng Kiểm Hùng", "Ngô Kiểm Hưng", "Lý Kiểm Toàn",
    "Mai Kiểm Tôn", "Đặng Kiểm Tơ"]
CLANS = ["Dòng họ Kiểm Anh", "Dòng họ Kiểm Âu", "Dòng họ Kiểm Bùi", "Dòng họ Kiểm Dương",
         "Dòng họ Kiểm Đặng", "Dòng họ Kiểm Ông", "Dòng họ Kiểm Ơn"]
ORGS = ["Công ty Kiểm Dương", "Công ty Kiểm Đông", "Trường Kiểm 2", "Trường Kiểm 10",
        "Trường Kiểm An", "Trường Kiểm Ân", "Trường Kiểm Ấn"]
STAFF = ["Lưu Kiểm An", "Cao Kiểm Bình", "Hà Kiểm Bình", "Tạ Kiểm Đức"]


def shuffled(names, seed):
    """The names in another order (never the expected one), each with a code that sorts
    in that other order, so neither code nor file order can pass for Vietnamese order."""
    order = list(names)
    random.Random(seed).shuffle(order)
    if order == list(names):
        order.reverse()
    return order


def private_world(ctx):
    db = copy_demo(ctx, "collation.db")
    village, commune = query(db, "SELECT u.code, u.parent_code FROM units u JOIN unit_kinds k ON "
                                 "k.key = u.kind WHERE k.level_key = 'village' AND u.valid_to IS "
                                 "NULL AND u.valid_from <= ? ORDER BY u.code LIMIT 1", DAY)[0]
    heads = shuffled(HEADS, 1)
    files = {
        "clans": "clan_code,name,village_code\n" + "".join(
            f"KT-DH{i:02},{n},{village}\n" for i, n in enumerate(shuffled(CLANS, 2))),
        "households": "household_code,head_name,village_code\n" + "".join(
            f"KT-HH{i:02},{n},{village}\n" for i, n in enumerate(heads)),
        "persons": "household_code,full_name,birth_year,gender\n" + "".join(
            f"KT-HH{i:02},{n},{1960 + i},{'nam' if i % 2 else 'nữ'}\n"
            for i, n in enumerate(heads)),
        "units": "unit_code,name,kind,admin_code\n" + "".join(
            f"KT-DV{i:02},{n},co-quan,{commune}\n" for i, n in enumerate(shuffled(ORGS, 3))),
    }
    for kind in ("clans", "households", "persons", "units"):
        path = write(ctx.path(f"{kind}.csv"), files[kind])
        r = ctx.run("import", kind, path, "--year", str(YEAR), "--db", db)
        assert r.code == 0, r
    for i, name in enumerate(shuffled(STAFF, 4)):
        add_user(ctx, db, f"kt-user{i}", "viewer", "31", password="Mat-khau-kiem-thu-2026",
                 full_name=name)
    return db


def test_lists_of_names_come_in_vietnamese_order(ctx):
    db = private_world(ctx)
    with Server(ctx, db) as srv:
        admin = Client(srv.url, bearer=ctx.admin_token)
        for typed in (TOKEN, "kiem", "KIEM"):
            found = search(srv.url, typed, opener=admin)
            assert [h["head_name"] for h in found["households"]] == HEADS, typed
            assert [p["full_name"] for p in found["persons"]] == HEADS, typed
            assert [c["name"] for c in found["clans"]] == CLANS, typed
            assert [o["name"] for o in found["organisations"]] == ORGS, typed
        # a limit keeps the first ones in that order, not the first ones read
        found = search(srv.url, "kiem", limit=3, opener=admin)
        assert [h["head_name"] for h in found["households"]] == HEADS[:3]
        assert [p["full_name"] for p in found["persons"]] == HEADS[:3]
        assert [o["name"] for o in found["organisations"]] == ORGS[:3]
        # the accounts list (and its download), by full name, given name first ("kiem" also
        # finds the test administrator, "Quản trị kiểm thử")
        r = admin.call("GET", "/api/v1/users?q=kiem")
        assert r.status == 200, r
        assert [u["full_name"] for u in r.body["users"] if TOKEN in u["full_name"]] == STAFF
        r = admin.call("GET", "/api/v1/users.csv?q=kiem")
        assert r.status == 200, r
        names = [row.split(",")[1] for row in r.raw.decode("utf-8-sig").splitlines()[1:]]
        assert [n for n in names if TOKEN in n] == STAFF, names
    r = ctx.run("user", "list", "--format", "json", "--db", db)
    assert r.code == 0, r
    assert [u["full_name"] for u in json.loads(r.out) if TOKEN in u["full_name"]] == STAFF
