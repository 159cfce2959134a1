"""Journey (a): a clerk records that an estate became unmanaged and proposes custody; the approver
finds it in 待我审批 and approves; the clerk's 工作台 shows the estate covered and one estate fewer
at risk. Run on SQLite with and without JavaScript (journey g) and on PostgreSQL."""

import datetime
import re

import pytest

from pages import assert_no_server_error, figure, login, logout

# A 黄浦 estate the demo data leaves under regular management.
ESTATE = "HP-0003"


def custody_journey(page):
    login(page, "hp.clerk")
    at_risk, covered = figure(page, "atRisk"), figure(page, "covered")
    assert page.locator("#at-risk").get_by_role("link", name=ESTATE).count() == 0

    # 1. Record that the estate became unmanaged ten days ago.
    page.get_by_role("link", name="小区", exact=True).click()
    page.get_by_label("编码或名称").fill(ESTATE)
    page.get_by_role("button", name="查询").click()
    page.locator("#estates").get_by_role("link", name=ESTATE).click()
    page.get_by_role("link", name="登记管理事实").click()
    # Bad input first: the error summary names the field, nothing is written (422, on purpose).
    page.watch.expect_status(422)
    page.get_by_label("日期").fill("2026-13-40")
    page.get_by_role("button", name="登记").click()
    summary = page.locator(".error-summary")
    assert summary.is_visible() and "日期" in summary.inner_text()
    since = (datetime.date.today() - datetime.timedelta(days=10)).isoformat()
    page.get_by_role("radio", name="成为无人管理").check()
    page.get_by_label("日期").fill(since)
    page.get_by_label("无人管理原因").select_option(label="原物业服务企业撤场")
    page.get_by_role("button", name="登记").click()
    page.wait_for_url(re.compile(rf"/estates/{ESTATE}\?done=fact"))
    assert page.locator("#estate-state").inner_text() == "无人管理"
    assert "已登记管理事实" in page.locator(".notice").inner_text()
    assert page.locator("svg.timeline__svg > title").text_content().startswith(ESTATE)

    page.get_by_role("link", name="工作台", exact=True).click()
    assert figure(page, "atRisk") == at_risk + 1
    assert page.locator("#at-risk").get_by_role("link", name=ESTATE).count() == 1

    # 2. Open the candidates from the at-risk list and propose the best-ranked company.
    row = page.locator("#at-risk tr", has=page.get_by_role("link", name=ESTATE))
    row.get_by_role("link", name=re.compile("安排临时托管")).click()
    assert page.get_by_role("heading", name=re.compile("安排临时托管")).is_visible()
    candidates = page.locator("#candidates tbody tr")
    assert candidates.count() >= 1
    assert "→" in candidates.first.inner_text()          # every factor with its points
    page.get_by_role("button", name="提交审批").click()    # nothing chosen, no justification
    assert page.locator(".error-summary").is_visible()
    candidates.first.locator("input[type=radio]").check()
    page.get_by_label("直接指定的理由").fill("原物业撤场，需立即托管，该企业综合得分最高")
    page.get_by_role("button", name="提交审批").click()
    page.wait_for_url(re.compile(r"/arrangements/\d+\?done=proposed"))
    assert page.locator("#arrangement-status").inner_text() == "待审批"
    arrangement_url = page.url.split("?")[0]
    logout(page)

    # 3. The approver finds it in 待我审批 and approves it.
    login(page, "hp.approver")
    inbox_row = page.locator("#inbox tr", has_text=ESTATE)
    assert inbox_row.count() == 1 and "hp.clerk" in inbox_row.inner_text()
    inbox_row.get_by_role("link", name=re.compile("审批")).click()
    assert page.url.split("?")[0] == arrangement_url
    page.get_by_role("button", name="批准").click()
    page.wait_for_url(re.compile(r"\?done=approved"))
    assert page.locator("#arrangement-status").inner_text() == "有效"
    logout(page)

    # 4. The clerk's 工作台: the estate is covered and one estate fewer is at risk.
    login(page, "hp.clerk")
    assert figure(page, "atRisk") == at_risk
    assert figure(page, "covered") == covered + 1
    assert page.locator("#at-risk").get_by_role("link", name=ESTATE).count() == 0
    page.goto(f"/estates/{ESTATE}")
    assert page.locator("#estate-state").inner_text() == "临时托管"
    assert_no_server_error(page)


def test_custody_on_sqlite(sqlite_server, new_page):
    custody_journey(new_page(sqlite_server))


def test_custody_on_postgres(postgres_server, new_page):
    custody_journey(new_page(postgres_server))


def test_custody_without_javascript(sqlite_server, new_page):
    custody_journey(new_page(sqlite_server, javascript=False))
