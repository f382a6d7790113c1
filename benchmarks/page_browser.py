"""Time to visible content in Chromium against ``streamlit run``, next to a trivial page (issue 14).

Two servers run side by side: the app (``streamlit run serve.py``) over the benchmark database
and a trivial one-title Streamlit page. Each visit is a new browser context (a new session) that
opens a page URL; the clock runs from ``goto`` until the page's content is visible: its title
and, for app pages, at least one KPI card, chart, table or map drawn and no element still
running. The trivial page counts as visible when its title is. Visits alternate app page and
trivial page. "First" is the first visit of that page after the server started (cold caches,
warm server process); "warm" is the median of later visits.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CONTENT = ("[data-testid='stMetric'], [data-testid='stVegaLiteChart'], [data-testid='stDataFrame'], "
           "[data-testid='stDeckGlJsonChart'], [data-testid='stTable']")
TRIVIAL = "import streamlit as st\n\nst.title('trivial')\n"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(script: Path, env: dict[str, str]) -> Iterator[str]:
    port = _free_port()
    log = open(Path(tempfile.gettempdir()) / f"bench-streamlit-{port}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true", "--server.port",
         str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"],
        cwd=REPO_ROOT, env={**os.environ, **env, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}, stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 900  # serve.py prepares the database before it answers
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError(f"{script} did not start; see {log.name}")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _visit(browser: object, url: str, *, app_page: bool) -> float:
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    try:
        started = time.perf_counter()
        page.goto(url)
        page.locator("h1").first.wait_for(state="visible", timeout=300_000)
        if app_page:
            page.locator(CONTENT).first.wait_for(state="visible", timeout=300_000)
            page.wait_for_function(
                "() => !document.querySelector(\"[data-testid='stStatusWidget']\")"
                " && !document.querySelector(\"[data-stale='true']\")", timeout=300_000)
        return (time.perf_counter() - started) * 1000
    finally:
        context.close()


def run(urls: dict[str, str], database_url: str, *, warm_visits: int = 2) -> dict[str, dict[str, float]]:
    """Per case: first and warm time to visible content, the trivial page's, and the load average."""
    from playwright.sync_api import sync_playwright

    env = {"DATABASE_URL": database_url, "DASHBOARD_TODAY": "2026-11-20"}
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        trivial_script = Path(tmp) / "trivial.py"
        trivial_script.write_text(TRIVIAL)
        with serve(REPO_ROOT / "serve.py", env) as app, serve(trivial_script, env) as trivial, \
                sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu", "--use-gl=angle",
                                                       "--use-angle=swiftshader", "--enable-unsafe-swiftshader"])
            _visit(browser, trivial, app_page=False)  # the browser's own first start is nobody's page
            for case, path in urls.items():
                load = os.getloadavg()[0]
                first_trivial = _visit(browser, trivial, app_page=False)
                first = _visit(browser, f"{app}{path}", app_page=True)
                warm, warm_trivial = [], []
                for _ in range(warm_visits):
                    warm.append(_visit(browser, f"{app}{path}", app_page=True))
                    warm_trivial.append(_visit(browser, trivial, app_page=False))
                results[case] = {
                    "first_ms": first, "first_trivial_ms": first_trivial,
                    "warm_ms": statistics.median(warm), "warm_trivial_ms": statistics.median(warm_trivial),
                    "warm_above_ms": statistics.median(a - b for a, b in zip(warm, warm_trivial, strict=True)),
                    "load_start": load, "load_end": os.getloadavg()[0],
                }
                print(f"  chromium {case:24} first {first:7.0f} ms (trivial {first_trivial:5.0f}) warm "
                      f"{results[case]['warm_ms']:7.0f} ms (trivial {results[case]['warm_trivial_ms']:5.0f}) "
                      f"load {load:.1f}", flush=True)
            browser.close()
    return results
