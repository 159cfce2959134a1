"""The browser suite: Debian's chromium driven by Playwright against a real `tuodi serve` over
loopback, on a temporary SQLite file or a fresh database on the throwaway PostgreSQL that
`scripts/pg.sh with` provides. Nothing here skips: a missing browser, binary or database is an
error, so the suite can never pass without having run."""

import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
TUODI = Path(os.environ.get("TUODI_BIN", ROOT / ".build" / "debug" / "tuodi"))
CHROMIUM = os.environ.get("TUODI_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
PASSWORD = "tuodi-demo-2026"


class Server:
    """`tuodi serve --migrate --demo-data` on a port the kernel picks; stopped with SIGTERM."""

    def __init__(self, database_url, extra_env=None):
        if not TUODI.is_file():
            raise RuntimeError(f"the tuodi binary is missing at {TUODI}: run swift build first")
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/root"),
               "DATABASE_URL": database_url, "TUODI_HTTP_ADDRESS": "127.0.0.1:0",
               "TUODI_BCRYPT_COST": "4", "TUODI_LOG_LEVEL": "warning"}
        env.update(extra_env or {})
        self.database_url = database_url
        self.output = []
        self.process = subprocess.Popen([str(TUODI), "serve", "--migrate", "--demo-data"], env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        found = threading.Event()
        self.base_url = None

        def pump():
            for line in self.process.stdout:
                self.output.append(line)
                m = re.search(r"托底服务已启动：(http://127\.0\.0\.1:\d+)", line)
                if m and not found.is_set():
                    self.base_url = m.group(1)
                    found.set()

        threading.Thread(target=pump, daemon=True).start()
        deadline = time.monotonic() + 90
        while not found.wait(0.2):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"tuodi serve did not start (exit status {self.process.returncode}):\n" + "".join(self.output))

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def postgres_database():
    """A new, empty database on the throwaway cluster (TUODI_TEST_POSTGRES_URL from scripts/pg.sh)."""
    base = os.environ.get("TUODI_TEST_POSTGRES_URL")
    if not base:
        raise RuntimeError("TUODI_TEST_POSTGRES_URL is not set: run the suite through `scripts/pg.sh with` (make test does)")
    name = "web_" + uuid.uuid4().hex[:12]
    subprocess.run(["psql", base, "-v", "ON_ERROR_STOP=1", "-qc", f"CREATE DATABASE {name}"], check=True)
    parts = urllib.parse.urlsplit(base)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


@pytest.fixture(scope="session")
def playwright_instance():
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    if not os.path.exists(CHROMIUM):
        raise RuntimeError(f"chromium is missing at {CHROMIUM}: make test-deps installs Debian's chromium")
    # Playwright's own browser download cannot run here: launch Debian's build. As root, chromium
    # needs --no-sandbox.
    b = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
    yield b
    b.close()


_demo_template = []


def demo_template():
    """A SQLite file that one `tuodi serve --migrate --demo-data` filled, made once per run.
    Each test serves a copy: the same demo district year, without loading it again per test."""
    if not _demo_template:
        folder = tempfile.mkdtemp(prefix="tuodi-web-template-")
        Server(os.path.join(folder, "tuodi.sqlite")).stop()
        _demo_template.append(folder)
    return _demo_template[0]


def sqlite_server_with(extra_env=None):
    folder = tempfile.mkdtemp(prefix="tuodi-web-")
    template = demo_template()
    for name in os.listdir(template):
        shutil.copy(os.path.join(template, name), folder)
    server = Server(os.path.join(folder, "tuodi.sqlite"), extra_env)
    server.sqlite_path = os.path.join(folder, "tuodi.sqlite")
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def sqlite_server():
    """A fresh server with the demo data on a new SQLite file, per test."""
    yield from sqlite_server_with()


@pytest.fixture
def postgres_server():
    server = Server(postgres_database())
    yield server
    server.stop()


class Watch:
    """Collects what must not happen on any page: console errors, failed requests, server errors.
    `expect_status` names statuses a test provokes on purpose (the 404 page, a 403)."""

    def __init__(self, page):
        self.problems = []
        self.expected = set()
        page.on("console", lambda m: m.type == "error" and self._console(m))
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _console(self, message):
        # Chromium reports a deliberately provoked 4xx document as a console error; those are expected.
        text = message.text
        if any(f"status of {s}" in text for s in self.expected):
            return
        self.problems.append(f"console error: {text}")

    def _failed(self, request):
        # ERR_ABORTED is the browser cancelling a subresource (the icon, say) because the test
        # already moved on to the next page; every other failure counts.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"request failed: {request.method} {request.url} {request.failure}")

    def _response(self, response):
        if response.status >= 500 or (response.status >= 400 and response.status not in self.expected):
            self.problems.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    def expect_status(self, *statuses):
        self.expected.update(statuses)

    def check(self):
        assert self.problems == [], "\n".join(self.problems)


@pytest.fixture
def new_page(browser):
    """A fresh browser context (own cookies) and page, watched; checked when the test ends."""
    made = []

    def make(server, javascript=True):
        context = browser.new_context(base_url=server.base_url, java_script_enabled=javascript, locale="zh-CN")
        context.set_default_timeout(10_000)
        page = context.new_page()
        watch = Watch(page)
        made.append((context, watch))
        page.watch = watch
        return page

    yield make
    for context, watch in made:
        context.close()
    for _, watch in made:
        watch.check()


def pytest_sessionfinish(session, exitstatus):
    for folder in _demo_template:
        shutil.rmtree(folder, ignore_errors=True)
