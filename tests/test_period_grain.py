"""Issue 13 finding 7: switching 月 → 季 → 年 converts the period, without a "bad link" warning.

The tiny county (tests/factories.py) has sales from 2025-11-03 to 2026-11-04.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from components.filters import convert_period

START, END = dt.date(2025, 11, 3), dt.date(2026, 11, 4)


@pytest.mark.parametrize(("token", "kind", "expected"), [
    ("2026-11", "quarter", "2026-Q4"), ("2026-Q4", "year", "2026"), ("2026-11", "year", "2026"),
    ("2026", "quarter", "2026-Q4"), ("2026", "month", "2026-11"), ("2026-Q4", "month", "2026-11"),
    ("2026-Q1", "month", "2026-03"), ("2025", "month", "2025-12"), ("2025-Q4", "month", "2025-12"),
    ("2026-02", "quarter", "2026-Q1"), ("2026-11", "month", "2026-11"),
    ("garbage", "quarter", "2026-Q4"), ("2024", "month", "2026-11"),  # no data in 2024: the newest month
])
def test_convert_period(token: str, kind: str, expected: str) -> None:
    assert convert_period(token, kind, START, END) == expected


def _state(at: AppTest) -> tuple[str, str, list[str]]:
    return (str(at.query_params.get("period", "")),
            at.sidebar.selectbox(key="flt_period").value, [w.value for w in at.warning])


def test_switching_the_grain_converts_the_period_without_a_warning(
    app_factory: Callable[..., AppTest], tiny_db_url: str
) -> None:
    at = app_factory(tiny_db_url, params={"period": "2026-11"})
    assert not at.exception
    grain = at.sidebar.segmented_control(key="flt_period_kind")
    grain.set_value("quarter").run()
    assert _state(at) == ("2026-Q4", "2026-Q4", [])
    at.sidebar.segmented_control(key="flt_period_kind").set_value("year").run()
    assert _state(at) == ("2026", "2026", [])
    at.sidebar.segmented_control(key="flt_period_kind").set_value("month").run()
    assert _state(at) == ("2026-11", "2026-11", [])
    at.sidebar.selectbox(key="flt_period").set_value("2026-02").run()
    at.sidebar.segmented_control(key="flt_period_kind").set_value("quarter").run()
    assert _state(at) == ("2026-Q1", "2026-Q1", [])
    at.sidebar.segmented_control(key="flt_period_kind").set_value("month").run()
    assert _state(at) == ("2026-03", "2026-03", [])
    assert not at.exception
