"""Journey (d): an openpyxl-written XLSX of companies with a bad USCC in row 17 shows `第 17 行`
in the dry run and imports nothing; the corrected file passes the dry run and, once confirmed,
imports every row. The templates download as XLSX workbooks openpyxl reads."""

import re
import sqlite3

import openpyxl
import pytest

from pages import login, with_check_character


def uscc(serial):
    """A valid USCC of a 黄浦 enterprise that the demo data does not have."""
    return with_check_character(f"91310101MA1WB{serial:04d}")


def workbook(path, bad_row=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["统一社会信用代码", "企业名称", "企业性质", "区属房管集团", "注册地址"])
    for i in range(16):                                  # sheet rows 2–17
        code = uscc(i + 1)
        if i + 2 == bad_row:
            code = code[:-1] + ("0" if code[-1] != "0" else "1")   # a wrong check character
        ws.append([code, f"上海导入测试物业第{i + 1}有限公司", "民营", "否", f"黄浦区测试路 {i + 1} 号"])
    wb.save(path)
    return path


def companies(server):
    with sqlite3.connect(server.sqlite_path) as db:
        return db.execute("SELECT count(*) FROM companies").fetchone()[0]


def upload(page, path):
    page.get_by_role("link", name="导入", exact=True).click()
    page.get_by_role("radio", name="物业服务企业").check()
    page.get_by_label("表格文件").set_input_files(str(path))
    page.get_by_role("button", name="检查（不写入）").click()


def import_journey(server, page, tmp_path):
    before = companies(server)
    login(page, "hp.clerk")
    page.watch.expect_status(422)
    upload(page, workbook(tmp_path / "企业.xlsx", bad_row=17))
    errors = page.locator("#import-errors tbody tr")
    assert errors.count() == 1
    assert "第 17 行" in errors.first.inner_text() and "统一社会信用代码" in errors.first.inner_text()
    assert page.get_by_role("button", name="确认导入").count() == 0
    assert companies(server) == before

    upload(page, workbook(tmp_path / "企业（改正）.xlsx"))
    assert "没有发现问题" in page.locator("#import-result").inner_text()
    assert companies(server) == before                       # a dry run writes nothing
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_url(re.compile(r"/imports\?done=imported"))
    assert "已导入 16 行" in page.locator(".notice").inner_text()
    assert companies(server) == before + 16


def test_import_with_a_bad_uscc_then_corrected(sqlite_server, new_page, tmp_path):
    import_journey(sqlite_server, new_page(sqlite_server), tmp_path)


def test_import_without_javascript(sqlite_server, new_page, tmp_path):
    import_journey(sqlite_server, new_page(sqlite_server, javascript=False), tmp_path)


@pytest.mark.parametrize("kind,first", [("estates", "小区编码"), ("companies", "统一社会信用代码"), ("facts", "小区编码")])
def test_templates_open_in_openpyxl(sqlite_server, new_page, tmp_path, kind, first):
    page = new_page(sqlite_server)
    login(page, "hp.clerk")
    page.goto("/imports")
    with page.expect_download() as info:
        page.locator(f'a[href="/imports/templates/{kind}.xlsx"]').click()
    path = tmp_path / f"{kind}.xlsx"
    info.value.save_as(path)
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][0] == first and len(rows) == 2


def test_an_upload_without_the_form_token_is_refused(sqlite_server, new_page, tmp_path):
    page = new_page(sqlite_server)
    login(page, "hp.clerk")
    before = companies(sqlite_server)
    path = workbook(tmp_path / "企业.xlsx")
    response = page.request.post("/imports", multipart={
        "kind": "companies", "file": {"name": "企业.xlsx", "mimeType": "application/octet-stream", "buffer": path.read_bytes()}})
    assert response.status == 403
    assert companies(sqlite_server) == before
