"""预选库 pages: a clerk opens an admission round with its rubric, records an application, scores
it and proposes admission; the approver decides; the roster shows the new member, which the
clerk suspends and reinstates with reasons. The district settings page refuses a bad value."""

import re

from pages import login, logout, with_check_character

# 黄浦's third demo company (上海申江物业管理有限公司): its application in the demo's round awaits
# the approver, so it is not a member yet and may apply in a new round.
SHENJIANG = with_check_character("91310101MA1FP0003")


def test_round_application_scoring_decision_and_member_changes(sqlite_server, new_page):
    page = new_page(sqlite_server)
    page.watch.expect_status(422)
    login(page, "hp.clerk")
    page.get_by_role("link", name="预选库", exact=True).click()
    assert page.locator("#roster tbody tr").count() == 2
    assert page.locator("#district-group-share").inner_text() == "100.0%"
    page.get_by_role("link", name="入库征集").click()
    page.watch.expect_status(422)
    page.get_by_label("评分标准").fill("服务能力=60\n信用记录=30")          # 90 %, refused
    page.get_by_role("button", name="发布").click()
    assert page.locator(".error-summary").is_visible()
    page.get_by_label("征集名称").fill("补充征集")
    page.get_by_label("评分标准").fill("服务能力=60\n信用记录=40")
    page.get_by_role("button", name="发布").click()
    page.wait_for_url(re.compile(r"/pool/rounds/\d+\?done=roundOpened"))
    assert page.get_by_role("heading", name="补充征集").is_visible()

    page.get_by_label("统一社会信用代码").fill(SHENJIANG)
    page.get_by_label("可承接小区数").fill("2")
    page.get_by_role("button", name="登记").click()
    page.wait_for_url(re.compile(r"/pool/applications/\d+\?done=applied"))
    page.get_by_label(re.compile("服务能力")).fill("80")
    page.get_by_label(re.compile("信用记录")).fill("120")
    page.get_by_role("button", name="保存评分").click()
    assert "信用记录" in page.locator(".error-summary").inner_text()
    page.get_by_label(re.compile("信用记录")).fill("90")
    page.get_by_role("button", name="保存评分").click()
    page.wait_for_url(re.compile(r"\?done=scored"))
    assert "84.00" in page.locator("#scores").inner_text()
    page.get_by_role("radio", name="拟入库").check()
    page.get_by_label("理由").fill("综合得分达标")
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_url(re.compile(r"\?done=proposed"))
    application_url = page.url.split("?")[0]
    logout(page)

    login(page, "hp.approver")
    page.goto(application_url)
    page.get_by_role("button", name="同意：拟入库").click()
    page.wait_for_url(re.compile(r"\?done=decided"))
    logout(page)

    login(page, "hp.clerk")
    page.goto("/pool")
    assert page.locator("#roster tbody tr").count() == 3
    row = page.locator("#roster tbody tr", has_text="上海申江物业管理有限公司")
    row.get_by_role("button", name="暂停").click()                      # no reason: refused
    assert page.locator(".error-summary").is_visible()
    row = page.locator("#roster tbody tr", has_text="上海申江物业管理有限公司")
    row.get_by_role("textbox").fill("服务投诉核查中")
    row.get_by_role("button", name="暂停").click()
    page.wait_for_url(re.compile(r"done=memberSuspend"))
    row = page.locator("#roster tbody tr", has_text="上海申江物业管理有限公司")
    assert "暂停" in row.inner_text() and "服务投诉核查中" in row.inner_text()
    row.get_by_role("textbox").fill("核查完毕")
    row.get_by_role("button", name="恢复").click()
    page.wait_for_url(re.compile(r"done=memberReinstate"))
    assert "在库" in page.locator("#roster tbody tr", has_text="上海申江物业管理有限公司").inner_text()


def test_settings_refuse_a_bad_value_and_save_a_good_one(sqlite_server, new_page):
    page = new_page(sqlite_server)
    login(page, "hp.approver")                     # district policy belongs to the approver
    page.goto("/pool/settings")
    page.watch.expect_status(422)
    page.get_by_label(re.compile("入库有效期")).fill("5")
    page.get_by_role("button", name="保存").click()
    assert "入库有效期" in page.locator(".error-summary").inner_text()
    page.get_by_label(re.compile("入库有效期")).fill("3")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"done=settingsSaved"))
    assert page.get_by_label(re.compile("入库有效期")).input_value() == "3"


def test_another_units_pool_pages_are_the_404_page(sqlite_server, new_page):
    page = new_page(sqlite_server)
    login(page, "pt.clerk")
    page.watch.expect_status(404)
    assert page.goto("/pool/rounds/1").status == 404          # 黄浦's round
    # A district user always sees their own unit's roster, whatever the query says.
    page.goto("/pool?unit=310101")
    assert "普陀区" in page.get_by_role("heading", level=1).inner_text()
