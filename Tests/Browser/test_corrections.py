"""Facts are corrected, never edited: a correction needs a reason, is a new record, and the estate's
history follows it (the unmanaged episode moves with the corrected date)."""

import re

from pages import login


def test_correct_a_fact_with_a_reason(sqlite_server, new_page):
    page = new_page(sqlite_server)
    login(page, "hp.clerk")
    page.goto("/estates/HP-0001")
    assert page.locator("#episodes tbody tr").first.locator("td").first.inner_text() == "2026-03-01"
    row = page.locator("#facts tbody tr", has_text="物业服务企业退出")
    row.get_by_role("link", name=re.compile("更正")).click()
    assert page.get_by_role("heading", name=re.compile("更正第 2 号记录")).is_visible()
    assert page.get_by_label("日期").input_value() == "2026-02-28"     # starts from what is recorded
    page.get_by_label("日期").fill("2026-01-31")
    page.watch.expect_status(422)
    page.get_by_role("button", name="更正").click()                  # no reason: refused
    assert "必须说明原因" in page.locator(".error-summary").inner_text()
    page.get_by_label("更正原因").fill("退出日期录入错误，以交接单为准")
    page.get_by_role("button", name="更正").click()
    page.wait_for_url(re.compile(r"\?done=corrected"))
    facts = page.locator("#facts").inner_text()
    assert re.search(r"已被第 \d+ 号记录更正", facts) and "更正第 2 号记录，原因：退出日期录入错误，以交接单为准" in facts
    assert page.locator("#episodes tbody tr").first.locator("td").first.inner_text() == "2026-02-01"
    # The superseded record can no longer be corrected; the correction can.
    superseded = page.locator("#facts tbody tr", has_text=re.compile(r"已被第 \d+ 号记录更正"))
    assert superseded.count() == 1 and superseded.get_by_role("link", name=re.compile("更正")).count() == 0
