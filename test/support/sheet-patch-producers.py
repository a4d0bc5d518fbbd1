"""Producer workbooks for test/xlsx-sheet-patch.test.ts, written by openpyxl and xlsxwriter.

Run with /usr/bin/python3 (Debian's, which has both): sheet-patch-producers.py OUTDIR
Each workbook has a customer table in A..D (header row 1), an empty row inside the table, the
user's own "Notes" column at G (right of where SegmentKit writes, E and F), and the sheet
features SegmentKit must keep: styles, merges, hyperlinks, validations, an autofilter, sheet
protection, hidden rows, row heights, a table, notes, the user's conditional formats.
"""
import sys
import os

import openpyxl
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule, DataBarRule
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table
import xlsxwriter

OUT = sys.argv[1]
HEADERS = ["Customer", "Account manager", "Revenue", "Potential"]
# Row 10 of the sheet (index 8) is left empty on purpose: producers omit such rows.
ROWS = [
    ["Nordlys A/S", "Mette", 1200, 2400],
    ["Fjord ApS", "Jonas\r\nHansen", 800, 1600],
    ["Bølge I/S", "Mette", 450, 900],
    ["Kyst & Co", "Ali", 3000, 6000],
    ["Havn <Nord>", "Ali", 150, 300],
    ["Skov", "Mette", 90, 180],
    ["Eng", "Jonas", 60, 120],
    ["Mose", "Ali", 40, 80],
    None,
    ["Sø", "Mette", 25, 50],
    ["Å", "Jonas", 10, 20],
]


def openpyxl_book(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Kunder"
    ws.append(HEADERS + [None, None, "Notes"])
    for index, row in enumerate(ROWS):
        if row is None:
            continue
        r = index + 2
        ws.cell(r, 1, row[0])
        ws.cell(r, 2, row[1])
        ws.cell(r, 3, row[2])
        # Potential as a formula; the test turns these into one shared formula.
        ws.cell(r, 4, "=C%d*2" % r)
    ws["G3"] = "call before Q3"
    ws["G5"].hyperlink = "https://example.com/kyst"
    ws["G5"].value = "site"
    ws["A1"].font = Font(bold=True)
    ws["C2"].fill = PatternFill("solid", fgColor="FFFF00")
    ws["C2"].number_format = "#,##0.00"
    ws.row_dimensions[4].hidden = True
    ws.row_dimensions[2].height = 30
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["G"].width = 30
    ws.merge_cells("H1:I1")
    ws["H1"] = "merged note"
    ws["A3"].comment = Comment("a note", "author")
    dv = DataValidation(type="list", formula1='"Mette,Jonas,Ali"', allow_blank=True)
    ws.add_data_validation(dv)
    dv.add("B2:B13")
    ws.conditional_formatting.add("C2:C13", CellIsRule(operator="greaterThan", formula=["1000"], fill=PatternFill("solid", bgColor="FFC7CE")))
    ws.conditional_formatting.add("D2:D13", DataBarRule(start_type="min", end_type="max", color="638EC6"))
    ws.protection.sheet = True
    ws.auto_filter.ref = "A1:D13"
    wb.save(path)


def xlsxwriter_book(path):
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Kunder")
    bold = wb.add_format({"bold": True})
    money = wb.add_format({"num_format": "#,##0"})
    ws.set_column("A:H", 14)
    ws.set_column("B:B", 20, None, {"hidden": False})
    ws.write_row(0, 0, HEADERS, bold)
    ws.write(0, 6, "Notes", bold)
    for index, row in enumerate(ROWS):
        if row is None:
            continue
        r = index + 1
        ws.write_string(r, 0, row[0])
        ws.write_string(r, 1, row[1])
        ws.write_number(r, 2, row[2], money)
        ws.write_formula(r, 3, "=C%d*2" % (r + 1), money, row[3])
    ws.write_url(3, 6, "https://example.com/fjord", string="Fjord site")
    ws.write_rich_string(4, 6, "plain ", bold, "bold", " end")
    ws.set_row(5, 28)
    ws.set_row(6, None, None, {"hidden": True})
    ws.merge_range("H2:I2", "merged", bold)
    ws.data_validation("C2:C13", {"validate": "integer", "criteria": ">=", "value": 0})
    ws.conditional_format("C2:C13", {"type": "cell", "criteria": ">", "value": 1000, "format": bold})
    ws.conditional_format("D2:D13", {"type": "data_bar", "data_bar_2010": True})
    ws.autofilter("A1:D13")
    ws.protect()
    ws.write_comment("A2", "a note")
    ws.add_table("K1:L3", {"columns": [{"header": "Key"}, {"header": "Value"}], "data": [["a", 1], ["b", 2]]})
    wb.close()


os.makedirs(OUT, exist_ok=True)
openpyxl_book(os.path.join(OUT, "openpyxl.xlsx"))
xlsxwriter_book(os.path.join(OUT, "xlsxwriter.xlsx"))
