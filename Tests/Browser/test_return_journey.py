"""Journey (c): a clerk drafts the quarterly return; the approver approves and submits it (after
confirming the figures); the XLSX downloaded through the browser reads in openpyxl with the same
figures as the page; the analyst sees the unit as submitted."""

import datetime
import re

import openpyxl

from pages import login, logout


def summary_on_page(page):
    """The 概要 table of the preview: label → text."""
    table = page.locator(".return-table", has=page.get_by_role("heading", name="概要", exact=True))
    rows = table.locator("tbody tr")
    return {rows.nth(i).locator("td").nth(0).inner_text(): rows.nth(i).locator("td").nth(1).inner_text()
            for i in range(rows.count())}


def as_page_text(value, number_format):
    """An XLSX cell as the page writes it: integers plain, dates ISO, rates as percentages with two places."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, (int, float)) and "%" in (number_format or ""):
        return f"{value * 100:.2f}%"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def test_quarterly_return_drafted_approved_submitted_and_downloaded(sqlite_server, new_page, tmp_path):
    page = new_page(sqlite_server)
    login(page, "hp.clerk")
    page.get_by_role("link", name="季度报表", exact=True).click()
    page.wait_for_url(re.compile(r"/returns/310101/\d{4}/\d"))
    return_url = page.url
    assert page.locator("#return-status").inner_text() == "未起草"
    page.get_by_role("button", name="起草报表").click()
    page.wait_for_url(re.compile(r"\?done=draft"))
    assert page.locator("#return-status").inner_text() == "草稿（未报送）"
    assert page.get_by_role("button", name="审核通过").count() == 0     # not for the one who drafted it
    logout(page)

    login(page, "hp.approver")
    inbox_row = page.locator("#inbox tr", has_text="季度报表审核")
    assert inbox_row.count() == 1 and "hp.clerk" in inbox_row.inner_text()
    inbox_row.get_by_role("link", name=re.compile("审批")).click()
    assert page.url == return_url
    page.get_by_role("button", name="审核通过").click()
    page.wait_for_url(re.compile(r"\?done=approve"))
    assert page.locator("#return-status").inner_text() == "已审核（未报送）"
    page.watch.expect_status(422)
    page.get_by_role("button", name="报送市房管局").click()            # not confirmed: refused
    assert "勾选确认" in page.locator(".error-summary").inner_text()
    assert page.locator("#return-status").inner_text() == "已审核（未报送）"
    page.get_by_label(re.compile("我已核对以下数据")).check()
    page.get_by_role("button", name="报送市房管局").click()
    page.wait_for_url(re.compile(r"\?done=submit"))
    assert page.locator("#return-status").inner_text() == "已报送"
    assert page.get_by_role("button", name="起草报表").count() == 0

    figures = summary_on_page(page)
    assert len(figures) > 10
    with page.expect_download() as info:
        page.get_by_role("link", name="XLSX", exact=True).click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name.startswith("310101-") and path.suffix == ".xlsx"
    sheet = openpyxl.load_workbook(path)["概要"]
    in_file = {row[0].value: as_page_text(row[1].value, row[1].number_format) for row in sheet.iter_rows(min_row=2)}
    assert in_file == figures
    logout(page)

    login(page, "city.analyst")
    row = page.locator("#unit-statuses tr", has_text="黄浦区")
    assert row.locator("td").nth(1).inner_text() in ("已报送", "逾期报送")
    # The analyst's coverage chart: a titled SVG, its numbers in the table beside it.
    assert page.locator("svg.chart__svg > title").text_content().endswith("（按小区数）")
    assert page.locator("svg.chart__svg rect.chart-bar").count() == 17
    assert page.locator("#coverage-by-unit tbody tr").count() == 17
