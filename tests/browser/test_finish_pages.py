"""The finish guard over every page and its main alternate views, in Chinese and English (issue 15).

1440 px for the desk pages (1280 for the narrowest desk), 1920×1080 for the wall. A
screenshot of every view is kept in tests/artifacts/screenshots/finish-*.png.
"""

from __future__ import annotations

import pytest

from components.i18n.access import MESSAGES
from tests.browser.guard import finish_problems
from tests.browser.helpers import SCREENSHOTS, assert_no_exception, screenshot, wait_for_app

pytestmark = pytest.mark.browser

DESK = {"width": 1440, "height": 900}
WALL = {"width": 1920, "height": 1080}
# (name, path and query, viewport)
VIEWS = [
    ("overview", "", DESK),
    ("overview-1280", "", {"width": 1280, "height": 800}),
    ("sales", "sales", DESK),
    ("terminals", "terminals", DESK),
    ("routes", "routes", DESK),
    ("teams", "teams", DESK),
    ("import", "data_import", DESK),
    # Each page's main alternate views.
    ("sales-structure", "sales?s_view=structure", DESK),
    ("sales-plan", "sales?s_view=plan", DESK),
    ("sales-movers", "sales?s_view=movers", DESK),
    ("sales-forecast", "sales?s_view=forecast", DESK),
    ("routes-now", "routes?rt_view=now", DESK),
    ("teams-entry", "teams?tm_view=entry", DESK),
    ("teams-history", "teams?tm_view=audit", DESK),
    ("wall-kpi", "meeting?slides=kpi&interval=0", WALL),
    ("wall-daily", "meeting?slides=daily&interval=0", WALL),
    ("wall-leaderboard", "meeting?slides=leaderboard&interval=0", WALL),
    ("wall-terminals", "meeting?slides=terminals&interval=0", WALL),
    ("wall-map", "meeting?slides=map&interval=0", WALL),
    ("wall-anomalies", "meeting?slides=anomalies&interval=0", WALL),
]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("name", "path", "viewport"), VIEWS, ids=[v[0] for v in VIEWS])
def test_every_figure_fits_and_no_raw_values(chromium_browser, app_server: str, name: str, path: str,
                                             viewport: dict, lang: str) -> None:
    context = chromium_browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    joiner = "&" if "?" in path else "?"
    page.goto(f"{app_server}/{path}{joiner}lang={lang}", wait_until="domcontentloaded")
    wait_for_app(page)
    assert_no_exception(page)
    # The context is signed in as the demo administrator (tests/browser/conftest.py): a refusal
    # here is a defect, and a guard over the refusal alone would pass without looking at the page.
    refused = page.get_by_text(MESSAGES["access.no_access"][0 if lang == "zh" else 1]).count() > 0
    assert not refused, f"{name}: the administrator was refused"
    screenshot(page, f"finish-{name}-{lang}")
    for index, grid in enumerate(page.locator("[data-testid='stDataFrame']").all()):
        if grid.is_visible():  # not inside a closed expander
            grid.screenshot(path=str(SCREENSHOTS / f"finish-{name}-{lang}-table{index}.png"))
    problems = finish_problems(page, lang)
    context.close()
    assert not problems, "\n".join(problems)
