"""Browser fixtures: the app served by ``streamlit run`` and Debian's Chromium via Playwright.

Skipped (with the reason) when /usr/bin/chromium or Playwright is missing; CI installs both.
Screenshots go to tests/artifacts/screenshots/ for people to look at.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from data_access.db import get_engine
from tests.conftest import REPO_ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    # deck.gl needs WebGL: with the GPU disabled, SwiftShader renders it in software.
    "--use-gl=angle",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
]
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def session_cookie(database_url: str, login: str) -> dict[str, object]:
    """A fresh signed-in session of ``login`` (a demo account) as a Playwright cookie.

    Made directly in the database, as the sign-in form would: tests that are not about
    signing in start signed in. Cookies are per host, not per port, so it fits every server.
    """
    from sqlmodel import Session, select

    from components.session_cookie import COOKIE_NAME
    from data_access.access.sessions import start_session
    from data_access.models.access import AppUser

    with Session(get_engine(database_url)) as session:
        user_id = session.exec(select(AppUser.id).where(AppUser.login == login)).one()
        token, _ = start_session(session, user_id)
        session.commit()
    return {"name": COOKIE_NAME, "value": token, "url": "http://127.0.0.1", "httpOnly": True, "sameSite": "Strict"}


class SignedInBrowser:
    """Chromium whose new contexts are signed in (the demo administrator unless told otherwise).

    ``new_context(sign_in_as=None)`` gives a context without a session (the sign-in tests);
    ``sign_in_as="leader"`` etc. signs in as another demo account (sample_data/demo_accounts.py).
    """

    def __init__(self, browser: object, database_url: str) -> None:
        self._browser = browser
        self._database_url = database_url

    def new_context(self, *, sign_in_as: str | None = "admin", **kwargs: object) -> object:
        context = self._browser.new_context(**kwargs)
        if sign_in_as:
            context.add_cookies([session_cookie(self._database_url, sign_in_as)])
        return context

    def __getattr__(self, name: str) -> object:
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def chromium_browser(sample_db_url: str) -> Iterator[SignedInBrowser]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian Chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -r requirements-test.txt)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield SignedInBrowser(browser, sample_db_url)
        browser.close()


@contextmanager
def _serve(database_url: str, script: Path = REPO_ROOT / "dashboard.py", *,
           extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """``streamlit run`` of ``script`` (the app) on a free port over ``database_url``; yields its URL."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
           **(extra_env or {})}
    log = REPO_ROOT / "tests" / "artifacts"
    log.mkdir(parents=True, exist_ok=True)
    with open(log / f"streamlit-server-{port}.log", "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script),
             "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
             # Edits elsewhere in the tree must not re-import modules mid-test.
             "--server.fileWatcherType", "none"],
            cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            process.terminate()
            pytest.fail(f"streamlit did not start within 60 s; see tests/artifacts/streamlit-server-{port}.log")
        try:
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def app_server(sample_db_url: str, chromium_browser: object) -> Iterator[str]:
    """The app over the sample database, shared by the browser tests of a session."""
    with _serve(sample_db_url) as url:
        yield url


@pytest.fixture
def fresh_app_server(sample_db_url: str, chromium_browser: object) -> Iterator[str]:
    """A server no session has visited yet (for deep links right after a restart)."""
    with _serve(sample_db_url) as url:
        yield url


@pytest.fixture
def page(chromium_browser: object, app_server: str) -> Iterator[object]:
    """A fresh 1600×1000 browser page, signed in as the demo administrator."""
    context = chromium_browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    browser_page = context.new_page()
    yield browser_page
    context.close()
