"""Journey (f): every page, for every role, renders without a server error, a console error or a
failed request, and axe-core finds no serious or critical accessibility violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from pages import assert_no_server_error, login

PAGES = {
    "hp.clerk": ["/", "/estates", "/estates?state=unmanaged", "/coverage", "/estates/HP-0001", "/estates/HP-0001/custody",
                 "/estates/new", "/estates/HP-0001/facts/new", "/estates/HP-0001/facts/2/correct", "/estates/HP-0002/arrangements/new?kind=ownerSelf",
                 "/estates/HP-0002/arrangements/new?kind=communityFallback", "/returns", "/audit",
                 "/selections", "/selections/new", "/matching", "/imports", "/pool", "/pool/rounds", "/pool/rounds/1",
                 "/pool/applications/3", "/pool/settings"],
    "hp.approver": ["/", "/estates/HP-0004", "/returns", "/pool/applications/3", "/selections", "/matching", "/pool"],
    "city.analyst": ["/", "/coverage?asOf=2026-09-30", "/estates", "/estates/PT-0001", "/returns/310107/2026/3", "/audit", "/audit/verify",
                     "/selections", "/pool?unit=310107", "/pool/settings?unit=310107"],
    "admin": ["/", "/users", "/audit", "/imports"],
}
PUBLIC = ["/login", "/public", "/public/pool?district=310101"]


def check(page, axe, path):
    response = page.goto(path)
    assert response.status == 200, f"{path}: HTTP {response.status}"
    assert_no_server_error(page)
    result = axe.run(page)
    assert len(result.response["passes"]) > 0, f"{path}: axe did not run"
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]])
               for v in result.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], f"{path}: {serious}"


@pytest.mark.parametrize("user", sorted(PAGES))
def test_every_page_of_every_role(sqlite_server, new_page, user):
    page, axe = new_page(sqlite_server), Axe()
    login(page, user)
    for path in PAGES[user]:
        check(page, axe, path)


def test_every_public_page(sqlite_server, new_page):
    page, axe = new_page(sqlite_server), Axe()
    for path in PUBLIC:
        check(page, axe, path)
