#!/usr/bin/python3
"""Prints a report workbook as JSON, read by openpyxl (Debian's python3 has it; the runner's
python3 may be another one): per sheet its rows of cell values, the number format of every
numeric cell, the frozen pane and the merged ranges; and the XML of every chart part.

Used by the report tests (tests/reports_util.py, tests/browser/reports.test.mjs).
Usage: /usr/bin/python3 tests/read_report.py FILE.xlsx"""
import json
import sys
import zipfile

import openpyxl


def main(path):
    book = openpyxl.load_workbook(path)
    out = {"sheets": [], "charts": {}, "title": book.properties.title}
    for ws in book.worksheets:
        rows, formats = [], {}
        for row in ws.iter_rows():
            values = []
            for c in row:
                values.append(c.value)
                if isinstance(c.value, (int, float)) and not isinstance(c.value, bool):
                    formats[c.coordinate] = c.number_format
            rows.append(values)
        out["sheets"].append({"name": ws.title, "rows": rows, "formats": formats,
                              "freeze": ws.freeze_panes,
                              "merged": [str(m) for m in ws.merged_cells.ranges]})
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/charts/chart"):
                out["charts"][name] = z.read(name).decode("utf-8")
    json.dump(out, sys.stdout, ensure_ascii=False, default=str)


if __name__ == "__main__":
    main(sys.argv[1])
