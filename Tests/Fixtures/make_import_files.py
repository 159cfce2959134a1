#!/usr/bin/env python3
"""Writes district spreadsheets with openpyxl, as Excel or WPS would: the import tests and the
import benchmark read what a real spreadsheet library produced, not hand-made XML.

usage: make_import_files.py OUTDIR [--estates N] [--unit CODE] [--prefix P]
writes OUTDIR/estates.xlsx (N rows, Chinese headers, dates and numbers as numbers),
       OUTDIR/estates.csv (the same rows, UTF-8 with BOM),
       OUTDIR/companies.xlsx (20 companies, all valid),
       OUTDIR/companies-bad-row17.xlsx (the same, one bad USCC in spreadsheet row 17)
       OUTDIR/facts.xlsx (one management fact per estate: became unmanaged on a real date cell)
       OUTDIR/facts-bad.xlsx (the first 40 of them, with an unknown estate code in row 9 and
                              two regular companies of one estate in rows 20 and 31)
"""
import argparse
import csv
import datetime
import os
import sys

try:
    import openpyxl
except ImportError:
    sys.exit("openpyxl is missing: pip install openpyxl (make test installs it)")

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc(body):
    total = sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS))
    return body + ALPHABET[(31 - total % 31) % 31]


CATEGORIES = ["直管公房", "系统公房", "早期商品房", "其他老旧小区"]
SUBS = ["豫园街道", "瑞金二路街道", "打浦桥街道", "外滩街道", "南京东路街道"]
HEADERS = ["小区编码", "小区名称", "地址", "报送单位", "所属街镇", "房屋类型", "矛盾纠纷突出", "户数", "幢数", "建筑面积", "建成年份", "登记日期"]


def estate_rows(n, unit, prefix):
    for i in range(1, n + 1):
        yield [f"{prefix}-{i:05d}", f"测试小区{i}", f"某路 {i} 号", unit, SUBS[i % len(SUBS)], CATEGORIES[i % 4],
               "是" if i % 13 == 0 else "否", 80 + i % 400, 1 + i % 12, round(2500 + i * 3.75, 2), 1950 + i % 50,
               datetime.date(2026, 1, 1) + datetime.timedelta(days=i % 300)]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--estates", type=int, default=40)
    p.add_argument("--unit", default="310101")
    p.add_argument("--prefix", default="HP")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("小区名单")
    ws.append(HEADERS)
    for row in estate_rows(a.estates, a.unit, a.prefix):
        ws.append(row)
    wb.save(os.path.join(a.out, "estates.xlsx"))
    with open(os.path.join(a.out, "estates.csv"), "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADERS)
        for row in estate_rows(a.estates, a.unit, a.prefix):
            w.writerow([r.isoformat() if isinstance(r, datetime.date) else r for r in row])

    companies = [[uscc(f"91310101MA1FX{i:04d}"), f"上海导入物业{i}有限公司", ["国有独资", "国有控股", "民营", "其他"][i % 4],
                  "是" if i % 3 == 0 else "否", f"联系人{i}", f"021-6000{i:04d}"] for i in range(20)]
    for name, rows in [("companies.xlsx", companies),
                       ("companies-bad-row17.xlsx", companies[:15] + [["91350100M000100Y4Z"] + companies[15][1:]] + companies[16:])]:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "企业名单"
        ws.append(["统一社会信用代码", "企业名称", "企业性质", "区属房管集团", "联系人", "联系电话"])
        for r in rows:
            ws.append(r)
        wb.save(os.path.join(a.out, name))
    write_facts(a.out, a.estates, a.prefix)


FACT_HEADERS = ["小区编码", "事实类型", "生效日期", "无人管理原因", "物业服务企业"]


def fact_rows(n, prefix):
    for i in range(1, n + 1):
        yield [f"{prefix}-{i:05d}", "成为无人管理", datetime.date(2026, 1, 1) + datetime.timedelta(days=i % 300), "物业服务合同到期未续", ""]


def write_facts(out, n, prefix):
    good = list(fact_rows(n, prefix))
    bad = [list(r) for r in good[:40]]
    # Spreadsheet row r holds data row r - 2 (row 1 is the header).
    bad[9 - 2][0] = f"{prefix}-99999"
    for r, day, company in [(20, datetime.date(2026, 2, 1), "甲物业"), (31, datetime.date(2026, 6, 1), "乙物业")]:
        bad[r - 2] = [f"{prefix}-00019", "选聘物业服务企业进驻", day, "", company]
    for name, rows in [("facts.xlsx", good), ("facts-bad.xlsx", bad)]:
        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet("管理事实")
        ws.append(FACT_HEADERS)
        for row in rows:
            ws.append(row)
        wb.save(os.path.join(out, name))


if __name__ == "__main__":
    main()
