"""Journey (e): what a district user may not see, forms that did not come from our pages, logout,
cookie flags and security headers."""

import re
import sqlite3
import urllib.parse
import urllib.error
import urllib.request

import pytest

from conftest import sqlite_server_with
from pages import login, logout


def counts(path):
    """Rows that any write would add to: facts, arrangements, the audit trail."""
    with sqlite3.connect(path) as db:
        return {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("management_facts", "arrangements", "audit_log")}


def test_another_districts_estate_is_the_404_page(sqlite_server, new_page):
    page = new_page(sqlite_server)
    page.watch.expect_status(404)
    login(page, "hp.clerk")
    other = page.goto("/estates/PT-0001")           # 普陀's estate, seen from 黄浦
    assert other.status == 404
    other_html = page.locator("main").inner_html()
    missing = page.goto("/estates/HP-9999")         # no such estate
    assert missing.status == 404
    assert page.locator("main").inner_html() == other_html
    assert "PT-0001" not in page.content()
    # The same for the forms behind it.
    assert page.goto("/estates/PT-0001/custody").status == 404
    assert page.goto("/estates/PT-0001/facts/new").status == 404
    assert page.goto("/no/such/page").status == 404


def test_post_without_csrf_token_is_refused_and_writes_nothing(sqlite_server, new_page):
    page = new_page(sqlite_server)
    login(page, "hp.clerk")
    other = new_page(sqlite_server)
    login(other, "hp.approver")
    others_token = other.locator('input[name="_csrf"]').first.get_attribute("value")
    before = counts(sqlite_server.sqlite_path)      # logins are audited too: count after both
    form = {"kind": "becameUnmanaged", "date": "2026-11-01", "reason": "other"}
    missing = page.request.post("/estates/HP-0003/facts", form=form, max_redirects=0)
    assert missing.status == 403 and "表单已失效" in missing.text()
    wrong = page.request.post("/estates/HP-0003/facts", form={**form, "_csrf": "not-the-token"}, max_redirects=0)
    assert wrong.status == 403
    # Another session's token is no good either.
    assert page.request.post("/estates/HP-0003/facts", form={**form, "_csrf": others_token}, max_redirects=0).status == 403
    assert counts(sqlite_server.sqlite_path) == before
    # The login form is protected too (a double-submit token before any session exists).
    assert page.request.post("/login", form={"username": "hp.clerk", "password": "x"}, max_redirects=0).status == 403


def test_after_logout_back_leads_to_login_and_the_token_is_dead(sqlite_server, new_page, browser):
    page = new_page(sqlite_server)
    login(page, "hp.clerk")
    page.goto("/estates")
    old = next(c for c in page.context.cookies() if c["name"] == "tuodi_session")
    logout(page)
    page.go_back()
    page.wait_for_url(re.compile(r"/login"))
    assert page.get_by_role("heading", name="登录").is_visible()
    # The revoked token no longer opens anything, even if a copy of the cookie survives.
    page.context.add_cookies([{k: old[k] for k in ("name", "value", "domain", "path")}])
    page.goto("/")
    assert page.url.endswith("/login")


def test_cookie_flags_and_security_headers(sqlite_server, new_page):
    page = new_page(sqlite_server)
    login(page, "hp.clerk")
    cookie = next(c for c in page.context.cookies() if c["name"] == "tuodi_session")
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Lax"
    assert cookie["secure"] is False                   # plain loopback HTTP: no TLS configured
    for path in ("/", "/estates", "/estates/HP-0001", "/login", "/assets/tuodi.css"):
        headers = page.request.get(path).headers
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert headers["x-content-type-options"] == "nosniff"
        # same-origin from the pages; the API's own hardening may tighten it to no-referrer.
        assert headers["referrer-policy"] in ("same-origin", "no-referrer")
        assert headers["x-frame-options"] == "DENY"
    assert page.request.get("/").headers["cache-control"] == "no-store"


def test_secure_cookie_when_served_over_tls():
    for server in sqlite_server_with({"TUODI_SECURE_COOKIES": "true"}):
        response = urllib.request.urlopen(server.base_url + "/login")
        html = response.read().decode()
        token = re.search(r'name="_csrf" value="([^"]+)"', html).group(1)
        login_cookie = next(v for v in response.headers.get_all("Set-Cookie") if v.startswith("tuodi_login="))
        assert "Secure" in login_cookie and "HttpOnly" in login_cookie
        body = urllib.parse.urlencode({"_csrf": token, "username": "hp.clerk", "password": "tuodi-demo-2026"}).encode()
        request = urllib.request.Request(server.base_url + "/login", data=body,
                                         headers={"Cookie": login_cookie.split(";")[0]})
        with pytest.raises(urllib.error.HTTPError) as redirect:
            urllib.request.build_opener(NoRedirect()).open(request)
        assert redirect.value.code == 303
        session = next(v for v in redirect.value.headers.get_all("Set-Cookie") if v.startswith("tuodi_session="))
        assert "Secure" in session and "HttpOnly" in session and "SameSite=Lax" in session


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
