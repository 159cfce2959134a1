"""A pool application waiting in 待我审批: the approver sees its scores against the rubric and the
clerk's proposal, agrees, and the company appears in the published roster."""

import re

from pages import login


def test_approver_admits_a_proposed_applicant(sqlite_server, new_page):
    page = new_page(sqlite_server)
    login(page, "hp.approver")
    row = page.locator("#inbox tr", has_text="预选库入库申请")
    assert row.count() == 1 and "上海申江物业管理有限公司" in row.inner_text()
    row.get_by_role("link", name=re.compile("审批")).click()
    assert page.get_by_role("heading", name="入库申请：上海申江物业管理有限公司").is_visible()
    assert page.locator("#scores tbody tr").count() == 3
    assert page.locator("#application-status").inner_text() == "已提出意见"
    page.get_by_role("button", name="同意：拟入库").click()
    page.wait_for_url(re.compile(r"\?done=decided"))
    assert page.locator("#application-status").inner_text() == "已入库"
    page.goto("/")
    assert page.locator("#inbox tr", has_text="预选库入库申请").count() == 0
    page.goto("/public/pool?district=310101")
    assert page.locator("#roster tbody tr").count() == 3


def test_another_units_application_is_the_404_page(sqlite_server, new_page):
    page = new_page(sqlite_server)
    login(page, "pt.clerk")
    page.watch.expect_status(404)
    # 黄浦's applications were entered first (ids 1–3).
    assert page.goto("/pool/applications/1").status == 404
