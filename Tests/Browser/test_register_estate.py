"""登记小区: bad input comes back with every problem named and nothing written; a good one is
registered in the clerk's own unit and found in the list."""

import re

from pages import login


def test_register_an_estate(sqlite_server, new_page):
    page = new_page(sqlite_server)
    login(page, "pt.clerk")
    page.get_by_role("link", name="小区", exact=True).click()
    page.get_by_role("link", name="登记小区").click()
    page.get_by_label("小区编码").fill("PT-0101")
    page.get_by_label("户数").fill("很多")
    page.watch.expect_status(422)
    page.get_by_role("button", name="登记").click()
    summary = page.locator(".error-summary")
    assert summary.is_visible() and summary.locator("li").count() >= 3
    assert page.get_by_label("小区编码").input_value() == "PT-0101"      # what was typed is kept
    page.get_by_label("小区名称").fill("曹杨八村")
    page.get_by_label("地址").fill("普陀区枣阳路 100 弄")
    page.get_by_label("街道（镇）").fill("曹杨新村街道")
    page.get_by_label("户数").fill("480")
    page.get_by_label("幢数").fill("12")
    page.get_by_label("建筑面积（㎡）").fill("26400.5")
    page.get_by_label("建成年份（可不填）").fill("1958")
    page.get_by_label("类别").select_option(label="直管公房")
    page.get_by_role("button", name="登记").click()
    page.wait_for_url(re.compile(r"/estates/PT-0101\?done=registered"))
    assert page.get_by_role("heading", name="PT-0101 曹杨八村").is_visible()
    assert "普陀区" in page.locator(".details").inner_text()
    page.goto("/estates?q=PT-0101")
    assert page.locator("#estates tbody tr").count() == 1
