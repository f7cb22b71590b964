#!/usr/bin/python3
"""Writes the .xlsx fixtures of the XLSX reader's tests and its fuzz seed corpus.

Run with Debian's Python, which has openpyxl (python3-openpyxl):
    /usr/bin/python3 tests/data/xlsx/make.py
It rewrites tests/data/xlsx/*.xlsx|xls|ods and fuzz/corpus/xlsx/*. The files are
committed; run this again only to change them (tests/unit/test_xlsx.c and
tests/cli/test_xlsx.py assert their exact cell text).

Fixtures:
  danh_sach.xlsx  written by openpyxl: three sheets ("Danh sách", "Số liệu", "Ngày");
                  a merged title row over a header on row 3, Vietnamese text (shared
                  strings, one written decomposed), gaps, numbers, booleans, dates
  edge.xlsx       hand-written XML: 1904 date system, rows and cells without r=,
                  inline strings, rich text with a phonetic run, formulas with cached
                  values, an error, t="d", a formatting-only row, a prefixed namespace
  old.xls         the OLE2 header of an Excel 97-2003 file
  bang.ods        a LibreOffice spreadsheet (ZIP with the ODF mimetype)
  not_zip.xlsx    a CSV file saved with an .xlsx name
"""
import datetime
import io
import os
import struct
import sys
import unicodedata
import zipfile

import openpyxl
from openpyxl.styles import Font

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus", "xlsx")
FIXED = datetime.datetime(2025, 1, 1)


def openpyxl_bytes(wb):
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def danh_sach():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    ws["A1"] = "DANH SÁCH HỘ GIA ĐÌNH HỌC TẬP NĂM 2025"
    ws["A1"].font = Font(bold=True)
    ws.merge_cells("A1:D1")
    ws.append([])  # row 2 stays empty
    ws.append(["STT", "Họ và tên", "Xã/Phường", "Ghi chú"])
    ws.append([1, "Nguyễn Văn Đức", "Phường Hồng Bàng", "Đạt"])
    ws.append([2, "Trần Thị Ngọc Ánh", None, "Chưa đạt"])  # gap in C
    # row 6 left empty; row 7 written decomposed (NFD), read back NFC
    ws.cell(row=7, column=1, value=3)
    ws.cell(row=7, column=2, value=unicodedata.normalize("NFD", "Lê Hoàng Yến"))
    ws.cell(row=7, column=6, value="cột F")  # a sparse cell beyond the header

    ws2 = wb.create_sheet("Số liệu")
    ws2.append(["số nguyên", 42, -7, 0])
    ws2.append(["thập phân", 3.14, 0.1, -2.5])
    ws2.append(["lớn", 123456789012345, 1e20, 2.5e-7])
    ws2.append(["logic", True, False])
    ws2.append(["mã", "00123", "=không phải công thức"])
    ws2["C5"].data_type = "s"

    ws3 = wb.create_sheet("Ngày")
    ws3["A1"] = datetime.date(2024, 3, 5)
    ws3["A1"].number_format = "dd/mm/yyyy"
    ws3["B1"] = datetime.datetime(2025, 7, 1, 8, 30, 15)
    ws3["B1"].number_format = "yyyy-mm-dd hh:mm:ss"
    ws3["C1"] = datetime.date(1999, 12, 31)
    ws3["C1"].number_format = "mm-dd-yy"  # built-in 14
    ws3["D1"] = "05/03/2024"  # a date typed as text stays text
    ws3["A2"] = 45356
    ws3["A2"].number_format = "0.00"  # a number, not a date
    ws3["B2"] = 45356
    ws3["B2"].number_format = '"Ngày" 0'  # d inside quotes: not a date
    ws3["C2"] = 45356
    ws3["C2"].number_format = "[Red]0"  # d inside brackets: not a date
    ws3["D2"] = 45356
    ws3["D2"].number_format = "[$-42A]d mmmm yyyy"  # Vietnamese locale prefix: a date
    return openpyxl_bytes(wb)


def raw_xlsx(files):
    """A ZIP of the given {name: text} parts, deflated, in order."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8") if isinstance(text, str) else text)
    return buf.getvalue()


NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
WS_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>')


def workbook_parts(sheets, date1904=False, shared=None, styles=None):
    """The parts of a workbook with sheets [(name, sheet xml)]."""
    pr = '<workbookPr date1904="1"/>' if date1904 else "<workbookPr/>"
    wb = f'<?xml version="1.0" encoding="UTF-8"?><workbook {NS} {RNS}>{pr}<sheets>'
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">')
    parts = {"[Content_Types].xml": CONTENT_TYPES}
    for i, (name, xml) in enumerate(sheets, 1):
        wb += f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>'
        rels += f'<Relationship Id="rId{i}" Type="{WS_TYPE}" Target="worksheets/sheet{i}.xml"/>'
        parts[f"xl/worksheets/sheet{i}.xml"] = xml
    parts["xl/workbook.xml"] = wb + "</sheets></workbook>"
    parts["xl/_rels/workbook.xml.rels"] = rels + "</Relationships>"
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    if styles is not None:
        parts["xl/styles.xml"] = styles
    return parts


EDGE_SHARED = (
    f'<?xml version="1.0" encoding="UTF-8"?><sst {NS} count="3" uniqueCount="3">'
    "<si><t>Hải Phòng</t></si>"
    '<si><r><rPr><b/></rPr><t xml:space="preserve">Xã hội </t></r><r><t>học tập</t></r>'
    "<rPh sb=\"0\" eb=\"1\"><t>PHONETIC</t></rPh></si>"
    "<si><t/></si></sst>")
EDGE_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {NS}>'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="d/m/yyyy"/></numFmts>'
    '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="22"/></cellXfs>'
    "</styleSheet>")
EDGE_SHEET1 = (
    f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData>'
    # row 1, no r= on row or cells: A1 B1 C1, then F1 after a gap
    '<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="inlineStr"><is><t>Tiếng Việt</t></is></c>'
    '<c r="F1" t="inlineStr"><is><r><t>ghép </t></r><r><t>nhiều đoạn</t></r></is></c></row>'
    # row 2: formula with cached number, formula with cached string, error, booleans
    '<row r="2"><c r="A2"><f>1+1</f><v>2</v></c><c r="B2" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>'
    '<c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="D2" t="b"><v>1</v></c>'
    '<c r="E2" t="b"><v>0</v></c></row>'
    # row 3: only formatting (styled empty cells): skipped
    '<row r="3"><c r="A3" s="1"/><c r="B3" s="2"/></row>'
    # row 5: dates in the 1904 system; an ISO date cell; an empty shared string
    '<row r="5"><c r="A5" s="1"><v>0</v></c><c r="B5" s="2"><v>43830.75</v></c>'
    '<c r="C5" t="d"><v>2024-03-05T00:00:00Z</v></c><c r="D5" t="s"><v>2</v></c>'
    '<c r="E5"><v>1.5</v></c></row>'
    "</sheetData></worksheet>")
# A prefixed namespace, as some generators write.
EDGE_SHEET2 = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<x:sheetData><x:row r="1"><x:c r="B1" t="inlineStr"><x:is><x:t>tiền tố</x:t></x:is></x:c>'
    "</x:row></x:sheetData>"
    '<x:mergeCells count="1"><x:mergeCell ref="B1:C2"/></x:mergeCells></x:worksheet>')


def edge():
    return raw_xlsx(workbook_parts([("Một", EDGE_SHEET1), ("Hai", EDGE_SHEET2)], date1904=True,
                                   shared=EDGE_SHARED, styles=EDGE_STYLES))


def ods():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype", date_time=(2025, 1, 1, 0, 0, 0)),
                   "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr(zipfile.ZipInfo("content.xml", date_time=(2025, 1, 1, 0, 0, 0)),
                   '<?xml version="1.0"?><office:document-content '
                   'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>')
    return buf.getvalue()


def old_xls():
    return bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)


def simple_sheet(rows):
    """A sheet XML of inline strings: rows is a list of lists of text."""
    xml = f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData>'
    for i, row in enumerate(rows, 1):
        xml += f'<row r="{i}">'
        for v in row:
            xml += f'<c t="inlineStr"><is><t>{v}</t></is></c>'
        xml += "</row>"
    return xml + "</sheetData></worksheet>"


def huge_declared_size(data, name):
    """Rewrites the uncompressed size of entry name (local and central headers)
    to nearly 4 GiB, as a zip bomb's headers would say."""
    b = bytearray(data)
    enc = name.encode()
    i = b.find(b"PK\x03\x04" + b"")
    while i >= 0:
        nlen = struct.unpack_from("<H", b, i + 26)[0]
        if bytes(b[i + 30:i + 30 + nlen]) == enc:
            struct.pack_into("<I", b, i + 22, 0xFFFFFF00)
        i = b.find(b"PK\x03\x04", i + 4)
    i = b.find(b"PK\x01\x02")
    while i >= 0:
        nlen = struct.unpack_from("<H", b, i + 28)[0]
        if bytes(b[i + 46:i + 46 + nlen]) == enc:
            struct.pack_into("<I", b, i + 24, 0xFFFFFF00)
        i = b.find(b"PK\x01\x02", i + 4)
    return bytes(b)


def bomb():
    """A sheet of 40 MB of repeated XML: compresses over 1000 times."""
    row = '<row><c t="inlineStr"><is><t>' + "a" * 1000 + "</t></is></c></row>"
    xml = f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData>'
    xml += row * 40000 + "</sheetData></worksheet>"
    return raw_xlsx(workbook_parts([("Bom", xml)]))


def corpus(good_basic, good_edge):
    files = {
        "good_danh_sach.xlsx": good_basic,
        "good_edge.xlsx": good_edge,
        "good_inline.xlsx": raw_xlsx(workbook_parts([("S", simple_sheet([["a", "b"], ["c"]]))])),
        "good_no_shared_strings.xlsx": raw_xlsx(workbook_parts([("S", simple_sheet([["x"]]))])),
        "good_empty_sheet.xlsx": raw_xlsx(workbook_parts([(
            "S", f'<?xml version="1.0"?><worksheet {NS}><sheetData/></worksheet>')])),
        "bad_truncated.xlsx": good_basic[:len(good_basic) // 2],
        "bad_bad_xml.xlsx": raw_xlsx(workbook_parts([(
            "S", f'<?xml version="1.0"?><worksheet {NS}><sheetData><row><c>'
                 "</sheetData></worksheet>")])),
        "bad_missing_shared_strings.xlsx": raw_xlsx(workbook_parts([(
            "S", f'<?xml version="1.0"?><worksheet {NS}><sheetData><row r="1">'
                 '<c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>')])),
        "bad_huge_declared_size.xlsx": huge_declared_size(
            raw_xlsx(workbook_parts([("S", simple_sheet([["x"]]))])), "xl/worksheets/sheet1.xml"),
        "bad_bomb.xlsx": bomb(),
        "bad_xls.xls": old_xls(),
        "bad_ods.ods": ods(),
        "bad_not_zip.xlsx": b"STT,Ho ten\r\n1,Nguyen Van A\r\n",
        "bad_no_workbook.xlsx": raw_xlsx({"hello.txt": "not a workbook"}),
        "bad_dtd.xlsx": raw_xlsx(workbook_parts([(
            "S", '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaa">]>'
                 f'<worksheet {NS}><sheetData><row><c t="inlineStr"><is><t>&a;</t></is></c>'
                 "</row></sheetData></worksheet>")])),
        "bad_rows_out_of_order.xlsx": raw_xlsx(workbook_parts([(
            "S", f'<?xml version="1.0"?><worksheet {NS}><sheetData><row r="3"><c><v>1</v></c></row>'
                 '<row r="2"><c><v>1</v></c></row></sheetData></worksheet>')])),
        "bad_not_a_number.xlsx": raw_xlsx(workbook_parts([(
            "S", f'<?xml version="1.0"?><worksheet {NS}><sheetData><row r="1"><c r="B1"><v>abc</v>'
                 "</c></row></sheetData></worksheet>")])),
        "bad_column_beyond_xfd.xlsx": raw_xlsx(workbook_parts([(
            "S", f'<?xml version="1.0"?><worksheet {NS}><sheetData><row r="1"><c r="XFE1"><v>1</v>'
                 "</c></row></sheetData></worksheet>")])),
    }
    os.makedirs(CORPUS, exist_ok=True)
    for name, data in files.items():
        with open(os.path.join(CORPUS, name), "wb") as f:
            f.write(data)


def main():
    basic, edge_data = danh_sach(), edge()
    out = {
        "danh_sach.xlsx": basic,
        "edge.xlsx": edge_data,
        "old.xls": old_xls(),
        "bang.ods": ods(),
        "not_zip.xlsx": b"STT,Ho ten\r\n1,Nguyen Van A\r\n",
    }
    for name, data in out.items():
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(data)
    corpus(basic, edge_data)
    print(f"wrote {len(out)} fixtures to {HERE} and the corpus to {CORPUS}", file=sys.stderr)


if __name__ == "__main__":
    main()
