"""hoctap certificate: sample certificates of recognition read back with poppler (pdfinfo,
pdftotext, pdftoppm) and the QR code decoded with zbarimg; template files checked line by
line."""
import os
import re
import subprocess
import unicodedata

from harness import ROOT, write

DEFAULT = os.path.join(ROOT, "data", "certificates", "default.txt")
MM = 72 / 25.4


def pdf_info(path):
    out = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def pdf_text(path, page=None, layout=True):
    """The text of a page (or all), as laid out on the page or in reading order."""
    args = (["-f", str(page), "-l", str(page)] if page else []) + (["-layout"] if layout else [])
    return subprocess.run(["pdftotext", *args, path, "-"], capture_output=True, text=True,
                          check=True).stdout


def pdf_words(path):
    """[(page, page width, page height, xmin, ymin, xmax, ymax, word)] from pdftotext -bbox."""
    html = subprocess.run(["pdftotext", "-bbox", path, "-"], capture_output=True, text=True,
                          check=True).stdout
    words = []
    for n, page in enumerate(html.split("<page ")[1:], 1):
        w, h = map(float, re.search(r'width="([\d.]+)" height="([\d.]+)"', page).groups())
        for box in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                              r'yMax="([\d.]+)">([^<]*)</word>', page):
            words.append((n, w, h, *map(float, box[:4]), box[4]))
    return words


def pixels(path, page, dpi=30):
    """The RGB pixels of a page, rendered by pdftoppm as a binary PPM."""
    raw = subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), path],
                         capture_output=True, check=True).stdout
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", raw)
    data = raw[m.end():]
    return [tuple(data[i:i + 3]) for i in range(0, len(data), 3)]


def near(colour, rgb, tolerance=40):
    return sum(abs(a - b) for a, b in zip(colour, rgb)) <= tolerance


def sample(ctx, *args):
    out = ctx.path("giay-cong-nhan.pdf")
    r = ctx.run("certificate", "sample", *args, "-o", out)
    assert r.code == 0, r
    return out, r


def recipients(path, pages):
    """The lines between the opening '... công nhận' line and the address of each page."""
    names = []
    for p in range(1, pages + 1):
        lines = [x.strip() for x in pdf_text(path, p).splitlines() if x.strip()]
        i = next(i for i, x in enumerate(lines) if x.endswith("công nhận"))
        j = next(j for j, x in enumerate(lines) if x.startswith("Địa chỉ:"))
        names.append(" ".join(lines[i + 1:j]))
    return names


def test_sample_is_an_a4_landscape_page_in_nfc(ctx):
    out, r = sample(ctx)
    assert r.out == f"1 sample certificate(s) written to {out} ({os.path.getsize(out)} bytes).\n"
    info = pdf_info(out)
    assert info["Pages"].strip() == "1", info
    assert re.match(r"(841\.89|842) x (595\.2\d*|595) pts", info["Page size"].strip()), info
    assert info["Creator"].strip() == "hoctap", info
    assert info["Title"].strip() == "GIẤY CÔNG NHẬN - Gia đình học tập 2025", info
    text = pdf_text(out)
    assert unicodedata.normalize("NFC", text) == text
    for s in ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
              "GIẤY CÔNG NHẬN", "UBND THÀNH PHỐ HẢI PHÒNG", "ỦY BAN NHÂN DÂN XÃ AN LÃO công nhận",
              "Gia đình ông/bà Nguyễn Văn An",
              "Địa chỉ: Thôn Đông, xã An Lão, thành phố Hải Phòng", "Đạt danh hiệu",
              "GIA ĐÌNH HỌC TẬP", "Mức độ 1", "Năm 2025",
              "(Theo Quyết định số 125/QĐ-UBND ngày 10/12/2025)",
              "An Lão, ngày 10 tháng 12 năm 2025", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH",
              "Trần Văn Bình", "Mã xác thực: HP25-", "Tra cứu: https://hoctap.example/xac-thuc/"]:
        assert s in text, (s, text)
    # the first household has no validity period: its line is left out
    assert "Có giá trị đến" not in text
    # the heading is set in deep red
    assert any(near(p, (0xB3, 0x12, 0x1B), 60) for p in pixels(out, 1))


def test_count_gives_a_page_per_recipient(ctx):
    out, _ = sample(ctx, "--count", "3")
    assert pdf_info(out)["Pages"].strip() == "3"
    names = recipients(out, 3)
    assert len(set(names)) == 3, names
    assert names[0] == "Gia đình ông/bà Nguyễn Văn An", names
    # the largest preview: 50 different names, and the pages that have a validity show it
    out, _ = sample(ctx, "--count", "50")
    assert pdf_info(out)["Pages"].strip() == "50"
    names = recipients(out, 50)
    assert len(set(names)) == 50, names
    assert "Có giá trị đến ngày 31/12/2027" in pdf_text(out, 5)
    for bad in ["0", "51", "two", ""]:
        path = ctx.path("none.pdf")
        r = ctx.run("certificate", "sample", "--count", bad, "-o", path)
        assert r.code == 2 and "--count must be a number from 1 to 50" in r.err, r
        assert not os.path.exists(path)


def test_template_changes_wording_and_colour(ctx):
    # the heading written decomposed (as some converters do) comes out NFC
    heading = unicodedata.normalize("NFD", "GIẤY CHỨNG NHẬN HỘ GIA ĐÌNH")
    tpl = write(ctx.path("xanh.txt"), "\n".join([
        "# a province's own wording", f"heading = {heading}", "heading_colour = #1F4E9E",
        "intro = Chủ tịch {issuer}\\ncông nhận", "achievement =", "border = single", ""]))
    out, _ = sample(ctx, "--template", tpl)
    text = pdf_text(out)
    assert "GIẤY CHỨNG NHẬN HỘ GIA ĐÌNH" in text and "GIẤY CÔNG NHẬN" not in text, text
    assert "Chủ tịch ỦY BAN NHÂN DÂN XÃ AN LÃO" in text and "Đạt danh hiệu" not in text, text
    assert unicodedata.normalize("NFC", text) == text
    assert pdf_info(out)["Title"].strip().startswith("GIẤY CHỨNG NHẬN HỘ GIA ĐÌNH")
    blue = [p for p in pixels(out, 1) if near(p, (0x1F, 0x4E, 0x9E))]
    assert len(blue) > 20, len(blue)
    default_out, _ = sample(ctx)
    assert not any(near(p, (0x1F, 0x4E, 0x9E)) for p in pixels(default_out, 1))


def test_bad_templates_name_each_problem_and_write_nothing(ctx):
    tpl = write(ctx.path("sai.txt"), "\n".join([
        "# comment", "headng = GIẤY KHEN", "heading_colour = đỏ",
        "intro = {issuer} {ten} công nhận", "title_size = 300", "border = dotted", ""]))
    r = ctx.run("certificate", "template-check", tpl)
    assert r.code == 1 and r.out == "", r
    for line, msg in [(2, "unknown key 'headng'; did you mean 'heading'?"),
                      (3, "heading_colour: 'đỏ' is not a colour; write #RRGGBB"),
                      (4, "intro: unknown placeholder {ten}; placeholders are {issuer}"),
                      (5, "title_size: '300' is out of range; use a whole number from 16 to 48"),
                      (6, "border: 'dotted' is not one of double, single or none")]:
        assert f"{tpl}:{line}: {msg}" in r.err, (line, r)
    assert "5 problem(s) found" in r.err, r
    # a line that is not UTF-8 (a Windows-1258 file)
    raw = ctx.path("cp1258.txt")
    with open(raw, "wb") as f:
        f.write(b"heading = GI\xc1Y KHEN\nmotto = \xd0\xf4\xcc\n")
    r = ctx.run("certificate", "template-check", raw)
    assert r.code == 1, r
    assert f"{raw}:1: the line is not valid UTF-8" in r.err and f"{raw}:2: " in r.err, r
    # sample with a bad template: the problems, and no file at all
    for bad in (tpl, raw):
        out = ctx.path("khong-co.pdf")
        r = ctx.run("certificate", "sample", "--template", bad, "-o", out)
        assert r.code == 1 and f"{bad}:2: " in r.err and "problem(s) found" in r.err, r
        assert not os.path.exists(out) and not os.path.exists(out + ".part")
    r = ctx.run("certificate", "sample", "--template", ctx.path("missing.txt"), "-o",
                ctx.path("x.pdf"))
    assert r.code == 1 and "--template" in r.err and "cannot read the file" in r.err, r


def test_default_template_prints_and_checks(ctx):
    r = ctx.run("certificate", "template-default")
    assert r.code == 0, r
    with open(DEFAULT, encoding="utf-8") as f:
        assert r.out == f.read()
    path = write(ctx.path("mac-dinh.txt"), r.out)
    r = ctx.run("certificate", "template-check", path)
    assert r.code == 0 and r.out == "ok\n" and r.err == "", r


def test_qr_code_decodes_to_the_verification_link(ctx):
    tpl = write(ctx.path("phai.txt"), "qr_corner = bottom-right\n")
    for args in [(), ("--template", tpl)]:
        out, _ = sample(ctx, "--count", "2", *args)
        for page in (1, 2):
            text = pdf_text(out, page, layout=False)
            code = re.search(r"Mã xác thực: (\S+)", text).group(1)
            url = f"https://hoctap.example/xac-thuc/{code}"
            # under a QR code on the right the link may wrap: compare without spaces
            assert "Tracứu:" + url in re.sub(r"\s+", "", text), text
            png = ctx.path("qr")
            subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", str(page), "-l", str(page),
                            "-singlefile", out, png], check=True)
            z = subprocess.run(["zbarimg", "--raw", "-q", png + ".png"], capture_output=True,
                               text=True)
            assert z.returncode == 0 and z.stdout.strip() == url, (args, page, z.stdout, url)


def test_long_text_stays_inside_the_border(ctx):
    words = "Chương trình xây dựng xã hội học tập giai đoạn 2021-2030 " * 12
    tpl = write(ctx.path("dai.txt"), "\n".join([
        "heading = GIẤY CHỨNG NHẬN DANH HIỆU THI ĐUA CỦA ỦY BAN NHÂN DÂN XÃ AN LÃO HUYỆN AN LÃO",
        f"intro = {words}", f"recipient_line = {{recipient}} {words}",
        f"address_line = {words}", f"achievement = {words}\\nhai\\nba",
        f"decision_line = {words}", "heading_size = 48", "title_size = 48", "text_size = 18",
        "margin = 20", "qr_size = 35", "qr_corner = bottom-right", ""]))
    for args in [("--count", "6"), ("--template", tpl, "--count", "6")]:
        out, _ = sample(ctx, *args)
        margin = (20 if "--template" in args else 9) * MM
        boxes = pdf_words(out)
        assert len(boxes) > 300, len(boxes)
        for page, w, h, x0, y0, x1, y1, word in boxes:
            assert margin < x0 and x1 < w - margin and margin < y0 and y1 < h - margin, \
                (args, page, word, x0, y0, x1, y1)
        # no two words on top of each other
        for page in range(1, 7):
            on = [b for b in boxes if b[0] == page]
            for i, a in enumerate(on):
                for b in on[i + 1:]:
                    dx = min(a[5], b[5]) - max(a[3], b[3])
                    dy = min(a[6], b[6]) - max(a[4], b[4])
                    assert dx <= 1 or dy <= 1, (args, page, a, b)
        # the title and the recipient's name are never what gives way
        text = pdf_text(out)
        assert text.count("HỌC TẬP") >= 6 and "Nguyễn Văn An" in text, text


def test_usage_errors(ctx):
    r = ctx.run("certificate")
    assert r.code == 2 and "a subcommand is needed" in r.err, r
    r = ctx.run("certificate", "nonsense")
    assert r.code == 2 and "unknown subcommand 'nonsense'" in r.err, r
    r = ctx.run("certificate", "print")
    assert r.code == 2 and "print needs -o OUT.pdf" in r.err, r
    r = ctx.run("certificate", "sample")
    assert r.code == 2 and "-o OUT.pdf is needed" in r.err, r
    r = ctx.run("certificate", "sample", "--colour", "red", "-o", ctx.path("x.pdf"))
    assert r.code == 2 and "unknown or incomplete option '--colour'" in r.err, r
    r = ctx.run("certificate", "template-check")
    assert r.code == 2 and "template-check needs a FILE" in r.err, r
    r = ctx.run("certificate", "sample", "-o", os.path.join(ctx.path("no-dir"), "x.pdf"))
    assert r.code == 1 and "-o" in r.err and "cannot write the file" in r.err, r
    r = ctx.run("certificate", "--help")
    assert r.code == 0 and "template-check FILE" in r.out, r
    r = ctx.run("help")
    assert "certificate" in r.out, r
