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


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian Chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -r requirements-test.txt)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
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
    """A fresh 1600×1000 browser page (pass ``viewport`` via a new context for other sizes)."""
    context = chromium_browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    browser_page = context.new_page()
    yield browser_page
    context.close()
