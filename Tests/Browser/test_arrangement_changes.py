"""An active custody arrangement is extended and then ended early, each with a reason, from its page."""

import datetime
import re

from pages import login, logout


def test_extend_then_terminate(sqlite_server, new_page):
    page = new_page(sqlite_server)
    page.watch.expect_status(422)
    login(page, "hp.clerk")
    page.goto("/estates/HP-0001/custody")
    page.locator("#candidates tbody tr").first.locator("input[type=radio]").check()
    page.get_by_label("直接指定的理由").fill("原物业撤场，需立即托管")
    page.get_by_role("button", name="提交审批").click()
    page.wait_for_url(re.compile(r"/arrangements/\d+\?done=proposed"))
    url = page.url.split("?")[0]
    assert page.get_by_role("button", name="延期").count() == 0             # not before approval
    logout(page)
    login(page, "hp.approver")
    page.goto(url)
    page.get_by_role("button", name="批准").click()
    page.wait_for_url(re.compile(r"\?done=approved"))
    logout(page)

    login(page, "hp.clerk")
    page.goto(url)
    today = datetime.date.today()
    page.get_by_label("新的计划结束日期").fill((today + datetime.timedelta(days=120)).isoformat())
    page.get_by_role("button", name="延期").click()                          # no reason: refused
    assert "必须说明原因" in page.locator(".error-summary").inner_text()
    page.get_by_label("新的计划结束日期").fill((today + datetime.timedelta(days=120)).isoformat())
    page.get_by_label("延期理由").fill("业主大会尚未选聘")
    page.get_by_role("button", name="延期").click()
    page.wait_for_url(re.compile(r"\?done=extended"))
    assert "业主大会尚未选聘" in page.locator("table").inner_text()
    page.get_by_label("最后服务日期").fill(today.isoformat())
    page.get_by_label("终止理由").fill("企业主动退出")
    page.get_by_role("button", name="提前终止").click()
    page.wait_for_url(re.compile(r"\?done=terminated"))
    assert page.locator("#arrangement-status").inner_text() == "已提前终止"
    assert page.get_by_role("button", name="延期").count() == 0
