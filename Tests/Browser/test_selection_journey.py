"""Journey (b): a competitive selection (比选) with three bids run to an approved award in the
browser; the round's OCDS download validates against the vendored OCDS 1.1 release schema. Also
a round with fewer than three valid bids, which fails with its reason."""

import datetime
import json
import re
from pathlib import Path

import jsonschema
import pytest

from pages import assert_no_server_error, login, logout

SCHEMA = Path(__file__).resolve().parents[1] / "Fixtures" / "ocds" / "release-schema.json"
# Unmanaged in the demo data and without an arrangement.
ESTATE = "HP-0002"
BIDS = [("上海黄浦置业物业管理有限公司", "2.40", "88"), ("上海外滩城市物业服务有限公司", "2.10", "80"),
        ("上海申江物业管理有限公司", "1.90", "72")]


def admit_third_company(page):
    """The demo data leaves 黄浦's third applicant awaiting the approver; three bidders need it."""
    login(page, "hp.approver")
    page.goto("/pool/applications/3")
    page.get_by_role("button", name="同意：拟入库").click()
    page.wait_for_url(re.compile(r"\?done=decided"))
    logout(page)


def create_round(page, title, days=(7, 14)):
    today = datetime.date.today()
    page.get_by_role("link", name="比选", exact=True).click()
    page.get_by_role("link", name="新建比选").click()
    # Bad input first: the error summary names the fields, nothing is written (422, on purpose).
    page.watch.expect_status(422)
    page.get_by_label("技术分权重").fill("95")
    page.get_by_label("价格分权重").fill("5")
    page.get_by_role("button", name="保存为草稿").click()
    summary = page.locator(".error-summary")
    assert summary.is_visible() and "名称" in summary.inner_text()
    page.get_by_label("项目名称").fill(title)
    page.get_by_label("小区编码").fill(ESTATE)
    page.get_by_label("技术分权重").fill("60")
    page.get_by_label("价格分权重").fill("40")
    page.get_by_label("投标截止日期").fill((today + datetime.timedelta(days=days[0])).isoformat())
    page.get_by_label("服务期开始日期").fill((today + datetime.timedelta(days=days[1])).isoformat())
    page.get_by_label("服务期结束日期").fill((today + datetime.timedelta(days=days[1] + 364)).isoformat())
    page.get_by_role("button", name="保存为草稿").click()
    page.wait_for_url(re.compile(r"/selections/\d+\?done=selectionCreated"))
    assert page.locator("#selection-status").inner_text() == "草拟"
    page.get_by_role("button", name="邀请本区全部有效入库企业").click()
    page.wait_for_url(re.compile(r"\?done=invited"))
    page.get_by_role("button", name="开始接受投标").click()
    page.wait_for_url(re.compile(r"\?done=opened"))
    assert page.locator("#selection-status").inner_text() == "接受投标"
    return page.url.split("?")[0]


def record_bid(page, company, price, technical):
    page.get_by_label("投标企业").select_option(label=company)
    page.get_by_label("报价").fill(price)
    page.get_by_label("技术分").fill(technical)
    page.get_by_role("button", name="登记投标").click()
    page.wait_for_url(re.compile(r"\?done=bid"))


def selection_journey(page, tmp_path):
    admit_third_company(page)
    login(page, "hp.clerk")
    round_url = create_round(page, "方浜中路 301 弄物业服务比选")
    assert page.locator("#invited li").count() == 3
    for company, price, technical in BIDS:
        record_bid(page, company, price, technical)
    assert page.locator("#bids tbody tr").count() == 3
    page.get_by_role("button", name="截止投标并评审").click()
    page.wait_for_url(re.compile(r"\?done=closed"))
    assert page.locator("#selection-status").inner_text() == "评审中"
    # The score table: price score = lowest ÷ price × 100, total = 60 % technical + 40 % price.
    first = page.locator("#bids tbody tr").first.inner_text()
    assert "上海黄浦置业物业管理有限公司" in first and "79.17" in first and "84.47" in first
    page.get_by_role("button", name=re.compile("提出定标建议")).click()
    page.wait_for_url(re.compile(r"\?done=awardProposed"))
    # Four eyes: the proposer is not offered the approval.
    assert page.get_by_role("button", name="批准定标").count() == 0
    logout(page)

    login(page, "hp.approver")
    row = page.locator("#inbox tr", has_text="比选")
    assert row.count() == 1 and "hp.clerk" in row.inner_text()
    row.get_by_role("link", name=re.compile("审批")).click()
    assert page.url.split("?")[0] == round_url
    # Check your answers: without the confirmation nothing happens.
    page.watch.expect_status(422)
    approve = page.locator("section", has=page.get_by_role("heading", name=re.compile("审批定标")))
    assert "上海黄浦置业物业管理有限公司" in approve.inner_text() and ESTATE in approve.inner_text()
    page.get_by_role("button", name="批准定标").click()
    assert page.locator(".error-summary").is_visible()
    assert page.locator("#selection-status").inner_text() == "评审中"
    page.get_by_label(re.compile("我已核对以上内容")).check()
    page.get_by_role("button", name="批准定标").click()
    page.wait_for_url(re.compile(r"\?done=awarded"))
    assert page.locator("#selection-status").inner_text() == "已成交"

    # The OCDS release, downloaded through the browser, validates against the schema.
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("OCDS")).click()
    path = tmp_path / "release.json"
    info.value.save_as(path)
    release = json.loads(path.read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(release)]
    assert errors == []
    assert release["awards"][0]["suppliers"][0]["name"] == "上海黄浦置业物业管理有限公司"
    assert len(release["bids"]["details"]) == 3

    # The estate's arrangement history shows the awarded selection.
    page.goto(f"/estates/{ESTATE}")
    assert "上海黄浦置业物业管理有限公司" in page.content()
    assert_no_server_error(page)


def test_selection_run_to_an_approved_award(sqlite_server, new_page, tmp_path):
    selection_journey(new_page(sqlite_server), tmp_path)


def test_selection_without_javascript(sqlite_server, new_page, tmp_path):
    selection_journey(new_page(sqlite_server, javascript=False), tmp_path)


def test_round_with_two_valid_bids_fails(sqlite_server, new_page):
    page = new_page(sqlite_server)
    login(page, "hp.clerk")
    create_round(page, "流标示例")
    for company, price, technical in BIDS[:2]:
        record_bid(page, company, price, technical)
    page.get_by_role("button", name="截止投标并评审").click()
    page.wait_for_url(re.compile(r"\?done=closed"))
    assert page.locator("#selection-status").inner_text() == "流标"
    assert "有效投标不足 3 家" in page.locator("#selection-outcome").inner_text()


def test_another_units_round_is_the_404_page(sqlite_server, new_page):
    page = new_page(sqlite_server)
    login(page, "hp.clerk")
    url = create_round(page, "黄浦比选")
    logout(page)
    login(page, "pt.clerk")
    page.watch.expect_status(404)
    assert page.goto(url).status == 404
    assert page.goto(url + "/ocds.json").status == 404
