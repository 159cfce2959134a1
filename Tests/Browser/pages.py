"""Steps a person takes, in words the pages use (labels, headings), shared by the journeys."""

import re

from conftest import PASSWORD


def login(page, username):
    page.goto("/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_role("heading", name="工作台").is_visible()


def logout(page):
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(re.compile(r"/login"))


def figure(page, name):
    """A number on the 工作台's countdown, e.g. at-risk estates ("3 个" → 3)."""
    text = page.locator(f'[data-figure="{name}"]').inner_text()
    return int(re.match(r"\d+", text).group(0))


def assert_no_server_error(page):
    assert "Internal Server Error" not in page.content()
    assert "系统出错" not in page.content()


USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def with_check_character(body):
    """A USCC (GB 32100-2015) from its first 17 characters: the check character computed."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body, USCC_WEIGHTS))
    return body + USCC_ALPHABET[(31 - total % 31) % 31]
