"""用户 (administrators): add a user (bad input first), the new user signs in, deactivation with a
reason ends their session at once."""

import re

from pages import login


def test_admin_adds_and_deactivates_a_user(sqlite_server, new_page):
    admin = new_page(sqlite_server)
    login(admin, "admin")
    admin.get_by_role("link", name="用户", exact=True).click()
    assert admin.locator("#users tbody tr").count() == 6
    admin.watch.expect_status(422)
    admin.get_by_role("button", name="添加").click()
    summary = admin.locator(".error-summary").inner_text()
    assert "用户名" in summary and "姓名不能为空" in summary and "密码至少" in summary
    admin.get_by_label("用户名", exact=True).fill("hp.clerk2")
    admin.get_by_label("姓名", exact=True).fill("黄浦经办 赵磊")
    admin.get_by_label("角色", exact=True).select_option(label="区经办人")
    admin.get_by_label(re.compile("报送单位")).select_option(label="黄浦区")
    admin.get_by_label("初始密码").fill("tuodi-demo-2026")
    admin.get_by_role("button", name="添加").click()
    admin.wait_for_url(re.compile(r"/users\?done=userCreated"))
    assert admin.locator("#users tr", has_text="hp.clerk2").count() == 1

    clerk = new_page(sqlite_server)
    login(clerk, "hp.clerk2")
    assert "黄浦区" in clerk.locator(".site-user").inner_text()

    row = admin.locator("#users tr", has_text="hp.clerk2")
    row.get_by_role("button", name="停用").click()                  # no reason: refused
    assert "必须说明原因" in admin.locator(".error-summary").inner_text()
    row = admin.locator("#users tr", has_text="hp.clerk2")
    row.get_by_label(re.compile("原因")).fill("调离岗位")
    row.get_by_role("button", name="停用").click()
    admin.wait_for_url(re.compile(r"\?done=userDeactivated"))
    assert "已停用" in admin.locator("#users tr", has_text="hp.clerk2").inner_text()

    clerk.goto("/estates")
    assert clerk.url.endswith("/login")


def test_users_page_is_for_administrators_only(sqlite_server, new_page):
    page = new_page(sqlite_server)
    login(page, "hp.clerk")
    assert page.get_by_role("link", name="用户", exact=True).count() == 0
    page.watch.expect_status(403)
    assert page.goto("/users").status == 403
    assert "无权访问" in page.content()


def test_admin_resets_a_password(sqlite_server, new_page):
    clerk = new_page(sqlite_server)
    login(clerk, "pt.clerk")
    admin = new_page(sqlite_server)
    login(admin, "admin")
    admin.goto("/users")
    admin.watch.expect_status(422)
    row = admin.locator("#users tr", has_text="pt.clerk")
    row.get_by_label(re.compile("新密码")).fill("short")
    row.get_by_role("button", name="重置").click()
    assert "密码至少" in admin.locator(".error-summary").inner_text()
    row = admin.locator("#users tr", has_text="pt.clerk")
    row.get_by_label(re.compile("新密码")).fill("a new long password")
    row.get_by_role("button", name="重置").click()
    admin.wait_for_url(re.compile(r"\?done=passwordReset"))

    clerk.goto("/estates")                                            # the old session has ended
    assert clerk.url.endswith("/login")
    clerk.get_by_label("用户名").fill("pt.clerk")
    clerk.get_by_label("密码").fill("a new long password")
    clerk.get_by_role("button", name="登录").click()
    clerk.wait_for_url(re.compile(r"/$"))
