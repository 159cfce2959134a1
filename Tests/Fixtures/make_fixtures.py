#!/usr/bin/env python3
"""Generate the XLSX fixtures used by the TuodiSpreadsheet tests.

Usage: python3 make_fixtures.py OUTPUT_DIR

The workbooks are written by real spreadsheet libraries, never by hand:

* XlsxWriter writes files the way Excel and WPS do: every string goes to
  xl/sharedStrings.xml (rich text as <si><r><t> runs), formulas carry a
  cached value (t="str" / t="e"), dates are numbers with a date style.
* openpyxl (3.1) writes every string as an inline string (t="inlineStr"),
  which some export tools also do, and can set the 1904 date system.

Both libraries are required; the script stops with exit code 3 and a clear
message if either is missing, so a test run never silently uses stale files.
"""

import datetime as dt
import os
import sys

try:
    import openpyxl
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.styles import Font
except ImportError as exc:  # pragma: no cover
    sys.stderr.write(
        "make_fixtures.py: openpyxl is required (pip install openpyxl): %s\n" % exc
    )
    sys.exit(3)

try:
    import xlsxwriter
except ImportError as exc:  # pragma: no cover
    sys.stderr.write(
        "make_fixtures.py: XlsxWriter is required (pip install XlsxWriter): %s\n" % exc
    )
    sys.exit(3)


HEADERS = [
    "序号", "统一社会信用代码", "单位名称", "面积（㎡）", "金额", "登记日期",
    "是否出租", "备注", "大数", "公式文本", "错误", "富文本",
]


def estate_excel_like(path):
    """Excel-like workbook: shared strings, styles, formulas with cached values."""
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("房屋台账")
    other = wb.add_worksheet("说明")  # second sheet: must be ignored
    other.write_row(0, 0, ["这是第二张表", "不应读取"])
    other.write_row(1, 0, ["x", 1])

    iso = wb.add_format({"num_format": "yyyy-mm-dd"})
    builtin14 = wb.add_format({"num_format": 14})  # builtin m/d/yyyy
    chinese = wb.add_format({"num_format": 'yyyy"年"m"月"d"日"'})
    stamp = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    time_only = wb.add_format({"num_format": "hh:mm:ss"})
    percent = wb.add_format({"num_format": "0.00%"})
    money = wb.add_format({"num_format": "#,##0.00"})
    filled = wb.add_format({"bg_color": "#FFFF00"})
    bold = wb.add_format({"bold": True})
    red = wb.add_format({"color": "red"})

    # Row 1: headers, two with surrounding (incl. full-width) spaces.
    hdr = list(HEADERS)
    hdr[0] = "  序号 "
    hdr[2] = "\u3000单位名称\u3000"
    ws.write_row(0, 0, hdr, bold)

    # Row 2: every kind of value.
    ws.write_number(1, 0, 1)
    ws.write_string(1, 1, "91110105MA01ABCD1X")
    ws.write_string(1, 2, "北京某某科技有限公司")
    ws.write_number(1, 3, 123.45)
    ws.write_number(1, 4, 1200.0, money)
    ws.write_datetime(1, 5, dt.date(2023, 5, 17), iso)
    ws.write_boolean(1, 6, True)
    ws.write_string(1, 7, "  前后有空格\u3000")
    ws.write_number(1, 8, 123456789012345)
    ws.write_formula(1, 9, '="区"&"县"', None, "区县")
    ws.write_formula(1, 10, "=1/0", None, "#DIV/0!")
    ws.write_rich_string(1, 11, "红色", red, "与粗体", bold, "混排")

    # Row 3: blank cells in the middle (C styled blank, D absent), trailing blanks.
    ws.write_number(2, 0, 2)
    ws.write_string(2, 1, "91310000MA1FL00000")
    ws.write_blank(2, 2, None, filled)
    ws.write_number(2, 4, 0.1 + 0.2)
    ws.write_datetime(2, 5, dt.date(2024, 2, 29), builtin14)
    ws.write_boolean(2, 6, False)
    # H..L absent -> trailing blanks

    # Row 4: only formatted blank cells -> an empty row that must be skipped.
    ws.write_blank(3, 0, None, filled)
    ws.write_blank(3, 5, None, filled)
    # Row 5: entirely absent (no <row> element).

    # Row 6: more dates and number formats.
    ws.write_number(5, 0, 3)
    ws.write_string(5, 1, "北京某某科技有限公司")  # repeated shared string
    ws.write_string(5, 2, "重复名称")
    ws.write_number(5, 3, -5.0)
    ws.write_number(5, 4, 0.15, percent)
    ws.write_datetime(5, 5, dt.date(2021, 12, 1), chinese)
    ws.write_datetime(5, 6, dt.datetime(2022, 3, 4, 15, 30, 0), stamp)
    ws.write_datetime(5, 7, dt.time(8, 30), time_only)
    ws.write_number(5, 8, 1e20)
    ws.write_formula(5, 9, "=2*3", None, 6)
    ws.write_string(5, 10, "   ")  # whitespace only -> ""
    ws.write_string(5, 11, 'He said "hi", ok')

    # Row 7: a row whose first column is blank.
    ws.write_string(6, 1, "只有第二列")

    wb.close()


def inline_openpyxl(path):
    """openpyxl workbook: inline strings, booleans, errors, a hidden-free 2nd sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "导入"
    ws.append(["名称", "数量", "日期", "有效", "错误", "富文本"])
    ws.append(["甲单位", 10, dt.date(2020, 1, 31), True, "#N/A",
               CellRichText(["普通", TextBlock(InlineFont(b=True), "加粗")])])
    ws.append(["乙单位", 2.5, dt.datetime(2019, 7, 1, 9, 0), False, None, None])
    ws["C3"].number_format = "mm-dd-yy"  # builtin id 14
    ws.append([])  # row 4 empty
    ws["A4"].font = Font(bold=True)  # styled but empty cell in row 4
    ws.append(["丙单位", -3, None, None, None, "尾"])
    ws2 = wb.create_sheet("第二张")
    ws2.append(["ignored", "sheet"])
    wb.save(path)


def date1904(path):
    wb = openpyxl.Workbook()
    from openpyxl.utils.datetime import CALENDAR_MAC_1904
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.append(["日期", "说明"])
    ws.append([dt.date(2023, 5, 17), "1904 日期系统"])
    ws["A2"].number_format = "yyyy-mm-dd"
    wb.save(path)


def hidden_first(path):
    """First sheet in workbook order is hidden; the visible one must be read."""
    wb = openpyxl.Workbook()
    hidden = wb.active
    hidden.title = "下拉选项"
    hidden.append(["选项"])
    hidden.append(["是"])
    visible = wb.create_sheet("数据")
    visible.append(["名称"])
    visible.append(["可见表"])
    hidden.sheet_state = "hidden"
    wb.active = 1
    wb.save(path)


def header_not_first(path):
    """Rows 1-2 empty, header on row 3: rows keep their sheet numbers."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["B3"] = "名称"
    ws["C3"] = "面积"
    ws["B4"] = "甲"
    ws["C4"] = 12
    ws["B6"] = "乙"
    ws["C6"] = 7.0
    wb.save(path)


def big(path, rows=20000):
    """20,000 data rows x 12 columns, Excel-like (shared strings)."""
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("房屋")
    datef = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, HEADERS)
    districts = ["东城区", "西城区", "朝阳区", "海淀区", "丰台区", "石景山区"]
    base = dt.date(2000, 1, 1)
    for i in range(1, rows + 1):
        r = i
        ws.write_number(r, 0, i)
        ws.write_string(r, 1, "9111%014d" % i)
        ws.write_string(r, 2, "%s第%d号单位" % (districts[i % len(districts)], i))
        ws.write_number(r, 3, i * 1.25)
        ws.write_number(r, 4, float(i * 100))
        ws.write_datetime(r, 5, base + dt.timedelta(days=i % 9000), datef)
        ws.write_boolean(r, 6, i % 2 == 0)
        ws.write_string(r, 7, "备注%d" % (i % 50))
        ws.write_number(r, 8, 10_000_000_000 + i)
        ws.write_string(r, 9, districts[i % 3])
        ws.write_number(r, 10, i % 7)
        ws.write_string(r, 11, "地址：%s某路%d号" % (districts[i % 6], i))
    wb.close()


def not_a_workbook(path):
    """A valid zip archive that is not a workbook."""
    import zipfile
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("readme.txt", "这不是工作簿")


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: make_fixtures.py OUTPUT_DIR\n")
        sys.exit(2)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    estate_excel_like(os.path.join(out, "estate.xlsx"))
    inline_openpyxl(os.path.join(out, "inline.xlsx"))
    date1904(os.path.join(out, "date1904.xlsx"))
    hidden_first(os.path.join(out, "hidden_first.xlsx"))
    header_not_first(os.path.join(out, "header_row3.xlsx"))
    not_a_workbook(os.path.join(out, "not_workbook.zip"))
    big(os.path.join(out, "big.xlsx"))
    print("fixtures written to", out)


if __name__ == "__main__":
    main()
