"""批量匹配: a clerk asks for today's custody batch, reviews every pair with each factor's cost and
the total, changes one pair with a reason; the clerk cannot approve it; an approver approves after
ticking the confirmation, and every estate of the batch is then covered by custody."""

import re

from pages import assert_no_server_error, login, logout


def test_batch_proposed_edited_and_approved(sqlite_server, new_page):
    page = new_page(sqlite_server)
    page.watch.expect_status(422)
    login(page, "hp.clerk")
    page.get_by_role("link", name="批量匹配", exact=True).click()
    page.get_by_role("button", name="生成方案").click()
    page.wait_for_url(re.compile(r"/matching/\d+\?done=matchProposed"))
    proposal_url = page.url.split("?")[0]
    pairs = page.locator("#pairs tbody tr")
    # Every unmanaged 黄浦 estate without an arrangement is either paired or listed with why.
    assert pairs.count() >= 3
    assert "→" in pairs.first.inner_text()
    assert page.locator("#pairs thead th").count() == 2 + 4 + 2          # estate, company, four factors, total, edit
    for estate in ["HP-0001", "HP-0002", "HP-0004"]:
        assert page.locator("#pairs, #unplaced").get_by_role("link", name=estate).count() == 1

    # Take the first pair out of the batch: without a reason it is refused, with one it moves to
    # the unmatched with why.
    removed = pairs.first.locator("td").first.inner_text()
    kept = pairs.nth(1).locator("td").first.inner_text()
    row = page.locator("#pairs tbody tr", has_text=removed)
    row.locator("select").select_option("")
    row.get_by_role("button", name="调整").click()
    assert page.locator(".error-summary").is_visible()
    row = page.locator("#pairs tbody tr", has_text=removed)
    row.locator("select").select_option("")
    row.get_by_placeholder("调整理由").fill("业主大会正在选聘，暂不托管")
    row.get_by_role("button", name="调整").click()
    page.wait_for_url(re.compile(r"\?done=matchEdited"))
    assert "经办人已移出方案" in page.locator("#unplaced tbody tr", has_text=removed).inner_text()
    assert page.get_by_role("button", name="批准方案").count() == 0
    logout(page)

    login(page, "hp.approver")
    row = page.locator("#inbox tr", has_text="批量匹配方案")
    assert row.count() == 1
    row.get_by_role("link", name=re.compile("审批")).click()
    assert page.url.split("?")[0] == proposal_url
    page.get_by_role("button", name="批准方案").click()                 # not confirmed: refused
    assert page.locator(".error-summary").is_visible()
    page.get_by_label(re.compile("我已核对以上配对")).check()
    page.get_by_role("button", name="批准方案").click()
    page.wait_for_url(re.compile(r"\?done=approved"))
    assert page.locator("#matching-status").inner_text() == "已批准"
    page.goto(f"/estates/{kept}")
    assert page.locator("#estate-state").inner_text() == "临时托管"
    page.goto(f"/estates/{removed}")
    assert page.locator("#estate-state").inner_text() == "无人管理"
    assert_no_server_error(page)


def test_another_units_proposal_is_the_404_page(sqlite_server, new_page):
    page = new_page(sqlite_server)
    login(page, "hp.clerk")
    page.goto("/matching")
    page.get_by_role("button", name="生成方案").click()
    page.wait_for_url(re.compile(r"/matching/\d+"))
    url = page.url.split("?")[0]
    logout(page)
    login(page, "pt.clerk")
    page.watch.expect_status(404)
    assert page.goto(url).status == 404
