"""业主自行管理 and 社区托底服务 are proposed and decided like custody: a rejection needs a reason,
and the proposer may not decide their own proposal."""

import re

from pages import login, logout


def propose(page, estate, kind_label, body):
    page.goto(f"/estates/{estate}")
    page.get_by_role("link", name=kind_label, exact=True).click()
    page.watch.expect_status(422)
    page.get_by_role("button", name="提交审批").click()          # empty: every missing field is named
    summary = page.locator(".error-summary").inner_text()
    assert "联系人" in summary and ("业主组织" in summary or "街镇" in summary)
    page.locator("#body").fill(body)
    page.get_by_label("联系人及电话").fill("王主任 021-63210000")
    page.get_by_role("button", name="提交审批").click()
    page.wait_for_url(re.compile(r"/arrangements/\d+\?done=proposed"))
    assert page.locator("#arrangement-status").inner_text() == "待审批"
    # The proposer sees no decision buttons on their own proposal.
    assert page.get_by_role("button", name="批准").count() == 0
    return page.url.split("?")[0]


def test_owner_self_rejected_with_a_reason_and_community_fallback_approved(sqlite_server, new_page):
    page = new_page(sqlite_server)
    login(page, "hp.clerk")
    owner_self = propose(page, "HP-0002", "业主自行管理", "方浜中路 301 弄业主委员会")
    community = propose(page, "HP-0004", "社区托底服务", "打浦桥街道办事处")
    logout(page)

    login(page, "hp.approver")
    assert page.locator("#inbox tr", has_text="HP-0002").count() == 1
    page.goto(owner_self)
    page.get_by_role("button", name="驳回").click()                # no reason: refused, nothing changes
    assert "必须说明原因" in page.locator(".error-summary").inner_text()
    assert page.locator("#arrangement-status").inner_text() == "待审批"
    page.get_by_label("驳回理由").fill("业委会尚未完成备案")
    page.get_by_role("button", name="驳回").click()
    page.wait_for_url(re.compile(r"\?done=rejected"))
    assert page.locator("#arrangement-status").inner_text() == "已驳回"
    assert "业委会尚未完成备案" in page.locator(".details").inner_text()

    page.goto(community)
    page.get_by_role("button", name="批准").click()
    page.wait_for_url(re.compile(r"\?done=approved"))
    assert page.locator("#arrangement-status").inner_text() == "有效"
    page.goto("/estates/HP-0004")
    assert page.locator("#estate-state").inner_text() == "社区托底服务"
    page.goto("/")
    assert page.locator("#inbox tr", has_text="HP-0002").count() == 0
