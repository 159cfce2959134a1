#!/usr/bin/env python3
"""The two spreadsheets a district fills in to onboard a year of history (#12), written by
openpyxl as a district's clerk would: facts.xlsx (management facts) and arrangements.xlsx
(arrangements of the four kinds decided before Tuodi), for the year YEAR (its first three
quarters are past) and the previous one. Some dates are date cells, some text, as in real files.

    make_onboarding_files.py DIR YEAR USCC_A USCC_B

The worked figures these rows give are in Tests/EndToEndTests/OnboardingEndToEndTests.swift.
"""
import datetime
import os
import sys

from openpyxl import Workbook


def main():
    out, year, a, b = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    os.makedirs(out, exist_ok=True)
    y, p, n2 = year, year - 1, year + 2

    def d(yy, m, dd):
        return datetime.date(yy, m, dd)

    def t(yy, m, dd):
        return d(yy, m, dd).isoformat()

    facts = Workbook()
    ws = facts.active
    ws.title = "管理事实"
    ws.append(["小区编码", "事实类型", "生效日期", "无人管理原因", "物业服务企业"])
    ws.append(["HP-E04", "成为无人管理", d(y, 3, 1), "原物业服务企业撤场", None])
    ws.append(["HP-E11", "选聘物业服务企业进驻", d(2018, 1, 1), None, "戊物业"])
    ws.append(["HP-E10", "regularBegan", "2012-01-01", None, "庚物业"])
    for row in ws.iter_rows(min_row=2, min_col=3, max_col=3):
        for cell in row:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    facts.save(os.path.join(out, "facts.xlsx"))

    arrangements = Workbook()
    ws = arrangements.active
    ws.title = "以往托底安排"
    ws.append(["小区编码", "托底方式", "决定日期", "文号", "开始日期", "计划结束日期", "复核日期", "统一社会信用代码",
               "负责主体", "联系人及电话", "理由", "收费标准", "有效投标数", "中标价格"])
    street, phone = "豫园街道办事处", "王主任 021-63000000"
    rows = [
        # A custody that ends on 31 December of the year before: a new episode on 1 January.
        ["HP-E01", "临时托管", d(p, 9, 28), f"黄房物〔{p}〕31号", d(p, 10, 1), d(p, 12, 31), None, a, None, None, "原物业撤场", 1.2, None, None],
        ["HP-E01", "社区托底服务", d(y, 2, 10), f"豫园街道〔{y}〕2号", d(y, 2, 15), None, d(y, 12, 31), None, street, phone, None, None, None, None],
        ["HP-E02", "临时托管", d(y, 1, 18), f"黄房物〔{y}〕3号", d(y, 1, 20), d(y, 12, 31), None, a, None, None, None, None, None, None],
        ["HP-E03", "业主自行管理", d(y, 4, 18), f"豫园街道〔{y}〕5号", d(y, 4, 21), None, d(y, 12, 31), None, "HP-E03 业主委员会", "李主任 13800000000", None, None, None, None],
        ["HP-E05", "市场竞争选聘", d(y, 4, 20), f"黄房物〔{y}〕8号", d(y, 5, 1), d(n2, 4, 30), None, b, None, None, None, None, 4, 1.6],
        ["HP-E07", "临时托管", t(y, 8, 14), f"黄房物〔{y}〕15号", t(y, 8, 15), t(y, 11, 30), None, b, None, None, None, None, None, None],
        ["HP-E09", "社区托底服务", d(y, 6, 18), f"豫园街道〔{y}〕9号", d(y, 6, 20), None, d(y, 12, 31), None, street, phone, None, None, None, None],
        ["HP-E10", "custody", d(y, 1, 8), f"黄房物〔{y}〕1号", d(y, 1, 10), d(y, 6, 29), None, b, None, None, None, None, None, None],
        ["HP-E11", "临时托管", d(y, 5, 30), f"黄房物〔{y}〕10号", d(y, 6, 1), d(y, 11, 30), None, a, None, None, None, None, None, None],
        ["HP-E12", "selection", d(p, 12, 20), f"黄房物〔{p}〕40号", d(y, 1, 5), d(n2, 1, 4), None, a, None, None, None, None, None, None],
    ]
    for r in rows:
        ws.append(r)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    arrangements.save(os.path.join(out, "arrangements.xlsx"))


if __name__ == "__main__":
    main()
