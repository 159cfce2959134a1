"""审计 with its verify button; the public roster pages (no login)."""

import re

from pages import assert_no_server_error, login


def test_audit_trail_and_chain_verification(sqlite_server, new_page):
    page = new_page(sqlite_server)
    login(page, "admin")
    page.get_by_role("link", name="审计", exact=True).click()
    rows = page.locator("#audit tbody tr")
    assert rows.count() > 10
    assert "登记小区" in page.locator("#audit").inner_text()     # actions in Chinese
    page.get_by_label("记录编号").fill("HP-0001")
    page.get_by_role("button", name="筛选").click()
    assert all("HP-0001" in t for t in page.locator("#audit tbody tr td:nth-child(5)").all_inner_texts())
    page.get_by_role("button", name="校验审计链").click()
    assert re.search(r"校验了 \d+ 条记录，哈希链完整", page.locator("#verification").inner_text())
    assert_no_server_error(page)


def test_a_clerk_sees_the_own_units_trail_without_the_verify_button(sqlite_server, new_page):
    page = new_page(sqlite_server)
    login(page, "pt.clerk")
    page.goto("/audit")
    units = set(page.locator("#audit tbody tr td:nth-child(6)").all_inner_texts())
    assert units <= {"普陀区", "—"} and "普陀区" in units
    assert page.get_by_role("button", name="校验审计链").count() == 0


def test_public_roster_without_login(sqlite_server, new_page):
    page = new_page(sqlite_server)
    page.goto("/public")
    assert page.locator(".unit-list li").count() == 17
    page.get_by_role("link", name="黄浦区").click()
    # The click starts a navigation: wait for its page before looking (is_visible does not wait).
    page.wait_for_url(re.compile(r"/public/pool\?district=310101$"))
    assert page.get_by_role("heading", name="黄浦区临时物业服务企业预选库").is_visible()
    roster = page.locator("#roster tbody tr")
    assert roster.count() == 2                          # the demo admits two of 黄浦's three applicants
    assert "上海黄浦置业物业管理有限公司" in page.locator("#roster").inner_text()
    page.watch.expect_status(404)
    assert page.goto("/public/pool?district=999999").status == 404
