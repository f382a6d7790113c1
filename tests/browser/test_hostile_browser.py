"""Text from data is text, in real Chromium (issue 16): every page over the hostile county.

The county of tests/hostile_factory.py names departments, managers, shops and brands with
markdown links and images, raw HTML (``<img onerror>``, ``<script>``), ``javascript:`` URLs and
Unicode controls. Every page is opened with the browser's network routed: any request that
leaves 127.0.0.1 is recorded and blocked. The DOM must hold no ``javascript:`` link, no link or
image to another host, and no script element inside the app; no request may leave the machine.
The AppTest twin (every element's markdown) is tests/test_hostile_text.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import _serve
from tests.browser.helpers import assert_no_exception, wait_for_app

pytestmark = pytest.mark.browser

LOCAL = {"127.0.0.1", "localhost", ""}
VIEWS = [
    "?period=2026-11", "?period=2026-11&dept=D1",
    "sales?period=2026-11&s_dim=brand", "sales?period=2026-11&dept=D2",
    "terminals?period=2026-11&tm_shop=R2",
    "routes?period=2026-11&rt_day=2026-11-18&rt_stop=1", "routes?period=2026-11&rt_view=now",
    "teams?period=2026-11", "teams?period=2026-11&tm_view=people", "teams?period=2026-11&tm_view=audit",
    "teams?period=2026-11&print=1",
    "meeting?period=2026-11&slides=leaderboard", "meeting?period=2026-11&slides=terminals",
    "meeting?period=2026-11&slides=map", "meeting?period=2026-11&slides=anomalies",
    "data_import?period=%5Bx%5D(javascript:alert(1))%3Cimg%20src%3Dhttp://evil.example/p.png%3E",
]
# Links and images in the DOM that point elsewhere than this server (data:/blob: are inline).
FOREIGN = """() => {
  const out = [];
  const foreign = (url) => { try { const u = new URL(url, location.href);
      return !['http:', 'https:', 'data:', 'blob:', 'about:'].includes(u.protocol)
             || (['http:', 'https:'].includes(u.protocol) && u.hostname !== location.hostname); }
    catch (e) { return true; } };
  for (const a of document.querySelectorAll('a[href]')) {
    const href = a.getAttribute('href');
    if (/^\\s*javascript:/i.test(href) || foreign(href)) out.push('a ' + href);
  }
  for (const img of document.querySelectorAll('img[src], image[href], source[src]')) {
    const src = img.getAttribute('src') || img.getAttribute('href');
    if (foreign(src)) out.push('img ' + src);
  }
  for (const s of document.querySelectorAll('[data-testid="stApp"] script, iframe script')) out.push('script ' + s.outerHTML.slice(0, 80));
  for (const el of document.querySelectorAll('[onerror], [onmouseover], [onclick]')) out.push('handler ' + el.outerHTML.slice(0, 80));
  return out;
}"""


@pytest.fixture(scope="module")
def hostile_server(hostile_db_url: str, chromium_browser: object) -> Iterator[str]:
    with _serve(hostile_db_url) as url:
        yield url


@pytest.mark.parametrize("view", VIEWS)
def test_no_injected_links_images_scripts_or_requests(chromium_browser, hostile_server: str, view: str) -> None:
    context = chromium_browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    left: list[str] = []

    def route(request_route: object) -> None:
        url = request_route.request.url
        if urlsplit(url).hostname not in LOCAL and not url.startswith(("data:", "blob:")):
            left.append(url)
            request_route.abort()
        else:
            request_route.continue_()

    context.route("**/*", route)
    page = context.new_page()
    try:
        page.goto(f"{hostile_server}/{view}", wait_until="domcontentloaded")
        wait_for_app(page)
        assert_no_exception(page)
        # Hover every map so pydeck draws its HTML tooltips too.
        for canvas in page.locator("[data-testid='stDeckGlJsonChart'] canvas").all()[:2]:
            box = canvas.bounding_box()
            if box:
                for fx, fy in ((0.5, 0.5), (0.4, 0.45), (0.6, 0.55)):
                    page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
                    page.wait_for_timeout(150)
        found = page.evaluate(FOREIGN)
        assert found == [], found
        assert left == [], left
        body = page.locator("[data-testid='stMain']").inner_text()
        assert "\u202e" not in body and "\u200b" not in body
    finally:
        context.close()


def test_the_hostile_names_are_shown_as_text(chromium_browser, hostile_server: str) -> None:
    """The test above can fail: the names are on the page, as their characters."""
    context = chromium_browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{hostile_server}/teams?period=2026-11&print=1", wait_until="domcontentloaded")
        wait_for_app(page)
        body = page.locator("[data-testid='stMain']").inner_text().replace("\u2060", "")  # see escape.md
        assert "城区[点我](javascript:alert(1))<img src=http://evil.example/i.png onerror=alert(1)>" in body
    finally:
        context.close()
