"""Chart specs are reused only for identical inputs (issue 14): never another period's or user's figures."""

from __future__ import annotations

import datetime as dt
import json

import altair as alt
import pandas as pd
import pytest

from components import chart_cache
from components.charts import year_over_year_line

calls: list[int] = []


def _line(frame: pd.DataFrame, *, title: str) -> alt.Chart:
    calls.append(len(frame))
    return alt.Chart(frame, title=title).mark_line().encode(x="month:O", y="cases:Q")


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    chart_cache.clear()
    calls.clear()


def _frame(cases: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"month": [f"2026-{m:02d}" for m in range(1, len(cases) + 1)], "cases": cases})


def test_same_inputs_build_once_and_give_what_altair_chart_sends() -> None:
    first = chart_cache.chart_spec(_line, _frame([1.0, 2.0]), title="销量")
    again = chart_cache.chart_spec(_line, _frame([1.0, 2.0]), title="销量")
    assert calls == [2] and again is first
    assert first == chart_cache._to_vega_lite(_line(_frame([1.0, 2.0]), title="销量"))


@pytest.mark.parametrize("other", [
    _frame([1.0, 2.5]),                                   # another period's or department's figures
    _frame([1.0, 2.0]).assign(month=["2025-01", "2025-02"]),  # same values, other months
    _frame([1.0, 2.0]).astype({"cases": "int64"}),        # same numbers, other type
    _frame([1.0, 2.0, 0.0]),                              # one more row
])
def test_any_other_data_gets_its_own_spec(other: pd.DataFrame) -> None:
    mine = chart_cache.chart_spec(_line, _frame([1.0, 2.0]), title="销量")
    theirs = chart_cache.chart_spec(_line, other, title="销量")
    assert len(calls) == 2 and theirs["datasets"] != mine["datasets"]


def test_other_labels_or_language_get_their_own_spec(monkeypatch: pytest.MonkeyPatch) -> None:
    chart_cache.chart_spec(_line, _frame([1.0]), title="销量")
    chart_cache.chart_spec(_line, _frame([1.0]), title="Volume")
    monkeypatch.setattr(chart_cache, "get_language", lambda: "en")
    chart_cache.chart_spec(_line, _frame([1.0]), title="销量")  # a builder may translate inside
    assert len(calls) == 3


def test_the_shown_copy_cannot_change_the_cached_spec(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = chart_cache.chart_spec(year_over_year_line, _frame([1.0, 2.0]).assign(series="本年"), x="month",
                                  y="cases", series="series", x_title="月", y_title="箱", this_year_label="本年",
                                  last_year_label="去年")
    before = json.dumps({k: v for k, v in spec.items() if k != "datasets"}, sort_keys=True)
    shown: list[dict] = []
    monkeypatch.setattr(chart_cache.st, "vega_lite_chart", lambda *, spec, **_: shown.append(spec) or spec.clear())
    chart_cache.show_chart(spec, width="stretch")
    assert shown and json.dumps({k: v for k, v in spec.items() if k != "datasets"}, sort_keys=True) == before


def test_fingerprint_tells_types_and_dates_apart() -> None:
    fp = chart_cache.fingerprint
    assert fp(1) != fp(1.0) != fp(True)
    assert fp(dt.date(2026, 11, 1)) != fp(dt.date(2025, 11, 1))
    assert fp({"a": 1}) == fp({"a": 1}) and fp(["a"]) != fp(("a",))
