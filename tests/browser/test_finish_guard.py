"""The finish guard catches each kind of defect a leader noticed on screenshots (issue 15)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.conftest import _serve
from tests.browser.guard import finish_problems, text_problems
from tests.browser.helpers import wait_for_app
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.browser

CASES = REPO_ROOT / "tests" / "browser" / "cases" / "finish_defects.py"


@pytest.fixture(scope="module")
def defects_server(chromium_browser: object, tiny_db_url: str) -> Iterator[str]:
    with _serve(tiny_db_url, script=CASES) as url:
        yield url


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("clipped_metric", "clipped stMetricValue"),
        ("clipped_button", "clipped button"),
        ("none", 'visible "None"'),
        ("nan", 'visible "nan"'),
        ("latin", "Latin words on a Chinese screen: manager_id"),
        ("code", "raw codes on a Chinese screen: D03"),
        ("overflow", "page overflows sideways"),
        ("wide_table", "table scrolls sideways"),
    ],
)
def test_the_guard_catches_each_kind_of_defect(chromium_browser, defects_server: str, case: str, expected: str) -> None:
    context = chromium_browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{defects_server}/?case={case}", wait_until="domcontentloaded")
    wait_for_app(page)
    problems = finish_problems(page, "zh")
    context.close()
    assert any(expected in problem for problem in problems), problems


def test_the_guard_passes_a_clean_page(chromium_browser, defects_server: str) -> None:
    context = chromium_browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{defects_server}/", wait_until="domcontentloaded")
    wait_for_app(page)
    problems = finish_problems(page, "zh")
    context.close()
    assert problems == []


@pytest.mark.parametrize(
    ("text", "lang", "found"),
    [
        ("销量 1,234.5 箱 POS KPI 12 km", "zh", False),
        ("Sales 1,234.5 cases", "en", False),
        ("Sales 1,234.5 cases", "zh", True),
        ("渠道：online/phone", "zh", True),
        ("分数 NaN", "en", True),
        ("Nanping 南平", "en", False),  # a name containing "Nan" is not an empty value
    ],
)
def test_text_rules(text: str, lang: str, found: bool) -> None:
    assert bool(text_problems(text, lang)) is found
