"""Every formula of DOMAIN.md §5 against hand-worked examples (see tests/factories.py)."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from data_access.rules import metrics
from data_access.rules.calendar import count_working_days, is_working_day, spring_festival


def test_cases_from_cartons() -> None:
    # 1 case = 250 cartons: 550 cartons are 2.2 cases.
    assert metrics.cases(550) == pytest.approx(2.2)
    assert metrics.CARTONS_PER_CASE * metrics.STICKS_PER_CARTON == 50_000


def test_per_case_value_and_average_carton_price() -> None:
    # November 2026 of the tiny county: 550 cartons for ¥115,000.
    assert metrics.per_case_value(115_000, 550) == pytest.approx(115_000 / 2.2)  # 52,272.73 per case
    assert metrics.per_case_value(115_000, 550) == pytest.approx(52_272.727, abs=0.01)
    assert metrics.average_carton_price(115_000, 550) == pytest.approx(209.0909, abs=1e-4)


def test_gross_profit_and_margin() -> None:
    # amount 115,000, cost 88,000 → profit 27,000, margin 23.478%.
    assert metrics.gross_profit(115_000, 88_000) == 27_000
    assert metrics.gross_margin(115_000, 88_000) == pytest.approx(0.234783, abs=1e-6)


def test_plan_completion_and_behind() -> None:
    # D1: 2.0 cases done of 2.0 planned = 100%; whole district 2.2 of 3.0 = 73.3%.
    assert metrics.plan_completion(2.0, 2.0) == 1.0
    assert metrics.plan_completion(2.2, 3.0) == pytest.approx(0.7333, abs=1e-4)
    assert metrics.plan_completion(1.0, 0) is None
    assert metrics.is_behind(0.40, 0.50)
    assert not metrics.is_behind(0.50, 0.50)
    assert not metrics.is_behind(None, 0.5)


def test_growth_yoy_and_pop() -> None:
    # 550 cartons this November against 250 last November: +120%.
    assert metrics.growth(550, 250) == pytest.approx(1.2)
    assert metrics.growth(90, 100) == pytest.approx(-0.1)
    assert metrics.growth(5, 0) is None


def test_structure_shares_and_online_rate() -> None:
    # Class 1 cartons 150 of 550 → 27.27%; 3 of 4 ordering retailers online → 75%.
    assert metrics.share(150, 550) == pytest.approx(0.272727, abs=1e-6)
    assert metrics.online_ordering_rate(3, 4) == 0.75
    assert metrics.online_ordering_rate(0, 0) is None


def test_forecast_accuracy() -> None:
    # forecast 110 cases, actual 100 → 1 - 10/100 = 90%; forecast 90 → also 90%.
    assert metrics.forecast_accuracy(110, 100) == pytest.approx(0.9)
    assert metrics.forecast_accuracy(90, 100) == pytest.approx(0.9)
    assert metrics.forecast_accuracy(250, 100) == pytest.approx(-0.5)
    assert metrics.forecast_accuracy(10, 0) is None


def test_pos_scan_accuracy() -> None:
    # sold = 20 + 100 - 30 = 90 cartons; 81 valid scans → 90%.
    assert metrics.pos_scan_accuracy(20, 100, 30, 81) == pytest.approx(0.9)
    # more valid scans than sold is capped at 100%
    assert metrics.pos_scan_accuracy(20, 100, 30, 95) == 1.0
    # nothing sold: undefined, not a division error
    assert metrics.pos_scan_accuracy(10, 0, 10, 0) is None


def test_series_inputs_give_nan_not_inf() -> None:
    amount = pd.Series([50_000.0, 0.0, 10.0])
    cartons = pd.Series([250.0, 0.0, 0.0])
    result = metrics.per_case_value(amount, cartons)
    assert result.iloc[0] == 50_000
    assert math.isnan(result.iloc[1]) and math.isnan(result.iloc[2])


def test_time_progress_across_national_day_holiday() -> None:
    # October 2026: National Day holiday 1–7 Oct (off), make-up working days Sun 20 Sep
    # (in September) and Sat 10 Oct. Working days in October: 8,9,10,12–16,19–23,26–30
    # = 2 + 1 + 5 + 5 + 5 = 18.
    assert not is_working_day(dt.date(2026, 10, 5))
    assert is_working_day(dt.date(2026, 10, 10))  # Saturday, make-up day
    assert count_working_days(dt.date(2026, 10, 1), dt.date(2026, 10, 31)) == 18
    # As of 9 October, 2 of 18 working days have passed (the 7 holidays count for nothing).
    progress = metrics.time_progress(dt.date(2026, 10, 1), dt.date(2026, 10, 31), dt.date(2026, 10, 9))
    assert progress == pytest.approx(2 / 18)
    # As of 10 October (the make-up Saturday) 3 of 18.
    assert metrics.time_progress(dt.date(2026, 10, 1), dt.date(2026, 10, 31), dt.date(2026, 10, 10)) == pytest.approx(
        3 / 18
    )
    # Before and after the period.
    assert metrics.time_progress(dt.date(2026, 10, 1), dt.date(2026, 10, 31), dt.date(2026, 9, 30)) == 0
    assert metrics.time_progress(dt.date(2026, 10, 1), dt.date(2026, 10, 31), dt.date(2026, 11, 3)) == 1


def test_time_progress_november_2026() -> None:
    # November 2026 has 21 working days; 2–4 November are 3 of them (1 Nov is a Sunday).
    assert count_working_days(dt.date(2026, 11, 1), dt.date(2026, 11, 30)) == 21
    assert metrics.time_progress(dt.date(2026, 11, 1), dt.date(2026, 11, 30), dt.date(2026, 11, 4)) == pytest.approx(
        3 / 21
    )


def test_spring_festival_dates() -> None:
    assert spring_festival(2025) == dt.date(2025, 1, 29)
    assert spring_festival(2026) == dt.date(2026, 2, 17)
    assert spring_festival(2027) == dt.date(2027, 2, 6)
