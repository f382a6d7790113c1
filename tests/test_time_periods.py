"""Comparison ranges, YoY coverage, weekday alignment, pace status and time progress, worked by hand.

Issue 13, findings 1, 5, 8 and 11 and "how to prove it". Every expected value below is
written out from the calendar or from raw order lines, never by calling the function under
test. Conventions: docs/time_conventions.md.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import Session

from data_access.queries import overview
from data_access.rules import metrics
from data_access.rules.sales_periods import (
    DateRange,
    comparison_covered,
    default_alignment,
    is_running,
    last_year_range,
    previous_range,
)

D = dt.date


# --- finding 1: a complete period compares with the complete previous period -----------------
@pytest.mark.parametrize(("nominal", "data_end", "expected"), [
    # Complete months: the whole previous month, whatever its length.
    ((D(2026, 9, 1), D(2026, 9, 30)), D(2026, 11, 20), (D(2026, 8, 1), D(2026, 8, 31))),
    ((D(2026, 2, 1), D(2026, 2, 28)), D(2026, 11, 20), (D(2026, 1, 1), D(2026, 1, 31))),
    ((D(2026, 4, 1), D(2026, 4, 30)), D(2026, 11, 20), (D(2026, 3, 1), D(2026, 3, 31))),
    ((D(2026, 3, 1), D(2026, 3, 31)), D(2026, 3, 31), (D(2026, 2, 1), D(2026, 2, 28))),  # data ends on its last day
    # Complete quarter and year: the previous quarter and year.
    ((D(2026, 7, 1), D(2026, 9, 30)), D(2026, 11, 20), (D(2026, 4, 1), D(2026, 6, 30))),
    ((D(2025, 1, 1), D(2025, 12, 31)), D(2026, 11, 20), (D(2024, 1, 1), D(2024, 12, 31))),
    # Running periods: the same number of elapsed days from the previous start, never past its end.
    ((D(2026, 11, 1), D(2026, 11, 30)), D(2026, 11, 20), (D(2026, 10, 1), D(2026, 10, 20))),
    ((D(2026, 3, 1), D(2026, 3, 31)), D(2026, 3, 30), (D(2026, 2, 1), D(2026, 2, 28))),
    ((D(2026, 10, 1), D(2026, 12, 31)), D(2026, 11, 20), (D(2026, 7, 1), D(2026, 8, 20))),  # Q4: 51 days
    ((D(2026, 1, 1), D(2026, 12, 31)), D(2026, 11, 20), (D(2025, 1, 1), D(2025, 11, 20))),
    # A free range of 10 days: the 10 days before, complete or cut.
    ((D(2026, 2, 7), D(2026, 2, 16)), D(2026, 11, 20), (D(2026, 1, 28), D(2026, 2, 6))),
    ((D(2026, 11, 11), D(2026, 11, 25)), D(2026, 11, 20), (D(2026, 10, 27), D(2026, 11, 5))),
])
def test_previous_range_complete_and_running(nominal, data_end, expected) -> None:
    rng = DateRange(*nominal)
    compared_end = min(rng.end, data_end)
    assert previous_range(rng, compared_end) == DateRange(*expected)
    assert is_running(rng, compared_end) == (data_end < rng.end)


def _raw_sums(url: str, start: dt.date, end: dt.date) -> tuple[float, float]:
    """Cartons and amount straight from order_line (no aggregate table, no project code)."""
    with create_engine(url).connect() as conn:
        row = conn.execute(text("SELECT SUM(cartons), SUM(amount) FROM order_line WHERE order_date BETWEEN :s AND :e"),
                           {"s": start, "e": end}).one()
    return float(row[0]), float(row[1])


@pytest.mark.parametrize(("month", "previous", "truncated_end"), [
    (D(2026, 9, 1), (D(2026, 8, 1), D(2026, 8, 31)), D(2026, 8, 30)),  # issue: +38.8 % whole, +46.9 % shown
    (D(2026, 2, 1), (D(2026, 1, 1), D(2026, 1, 31)), D(2026, 1, 28)),  # −15.3 % whole, −4.8 % shown
    (D(2026, 4, 1), (D(2026, 3, 1), D(2026, 3, 31)), D(2026, 3, 30)),  # +13.0 % whole, +19.0 % shown
])
def test_complete_month_pop_on_the_sample_county(sample_db_url: str, month, previous, truncated_end) -> None:
    """The overview's volume and amount 环比 of a complete month equal whole month ÷ whole previous month − 1."""
    from data_access.db import get_engine
    from data_access.rules.calendar import month_end

    end = month_end(month)
    now_cartons, now_amount = _raw_sums(sample_db_url, month, end)
    prev_cartons, prev_amount = _raw_sums(sample_db_url, *previous)
    truncated_cartons, _ = _raw_sums(sample_db_url, previous[0], truncated_end)
    expected = now_cartons / prev_cartons - 1
    # The test can tell the two rules apart: the truncated base gives a visibly different figure.
    assert abs((now_cartons / truncated_cartons - 1) - expected) > 0.05
    with Session(get_engine(sample_db_url)) as session:
        kpis = overview.overview_kpis(session=session, period_start=month, period_end=end, data_end=D(2026, 11, 20))
    assert kpis["previous_range"] == DateRange(*previous)
    assert not kpis["running"]
    assert metrics.growth(kpis["current"]["cartons"], kpis["previous"]["cartons"]) == pytest.approx(expected, abs=1e-9)
    assert metrics.growth(kpis["current"]["amount"], kpis["previous"]["amount"]) == pytest.approx(
        now_amount / prev_amount - 1, abs=1e-9)


def test_sales_page_and_overview_agree_on_september_pop(app_factory, sample_db_url: str) -> None:
    """Both pages print the whole-August comparison (the sales page said "8月1日 至 8月30日")."""
    now, _ = _raw_sums(sample_db_url, D(2026, 9, 1), D(2026, 9, 30))
    before, _ = _raw_sums(sample_db_url, D(2026, 8, 1), D(2026, 8, 31))
    shown = f"{(now / before - 1) * 100:+.1f}%"
    sales = app_factory(sample_db_url, page="pages/sales.py", params={"period": "2026-09"})
    assert not sales.exception
    pop = next(m for m in sales.metric if m.label == "环比")
    assert pop.value == shown
    assert "2026年8月1日 至 2026年8月31日" in pop.proto.help and "完整" in pop.proto.help
    home = app_factory(sample_db_url, params={"period": "2026-09"})
    assert not home.exception
    volume = next(m for m in home.metric if m.label == "销量")
    assert f"环比 {shown}" in volume.proto.help and "2026年8月1日 至 2026年8月31日" in volume.proto.help


# --- finding 5: one YoY coverage rule ---------------------------------------------------------
def test_comparison_covered_only_when_the_base_lies_inside_the_data() -> None:
    first = D(2025, 10, 9)
    assert comparison_covered(DateRange(D(2025, 10, 9), D(2025, 10, 31)), first)
    assert comparison_covered(DateRange(D(2025, 11, 1), D(2025, 11, 20)), first)
    assert not comparison_covered(DateRange(D(2025, 10, 8), D(2025, 10, 31)), first)
    assert not comparison_covered(DateRange(D(2025, 10, 1), D(2025, 10, 31)), first)


def test_yoy_before_the_first_day_of_data_is_dash_with_a_reason_on_both_pages(app_factory, sample_db_url) -> None:
    """Test county data start on 9 Oct 2025: October 2026's base (1–31 Oct 2025) is only partly there."""
    home = app_factory(sample_db_url, params={"period": "2026-10"})
    cards = {m.label: m for m in home.metric}
    for label in ("销量", "销售额", "单箱值", "毛利率"):
        assert not cards[label].delta, label  # the overview used to show +x % against a stub of October
        assert "早于数据起始日" in cards[label].proto.help, label
    sales = app_factory(sample_db_url, page="pages/sales.py", params={"period": "2026-10"})
    yoy = next(m for m in sales.metric if m.label == "同比")
    assert yoy.value == "—" and "早于数据起始日" in yoy.proto.help
    # November's base (1–20 Nov 2025) is inside the data: both pages show it, and the same figure.
    home = app_factory(sample_db_url, params={"period": "2026-11"})
    sales = app_factory(sample_db_url, page="pages/sales.py", params={"period": "2026-11"})
    now, _ = _raw_sums(sample_db_url, D(2026, 11, 1), D(2026, 11, 20))
    then, _ = _raw_sums(sample_db_url, D(2025, 11, 1), D(2025, 11, 20))
    shown = f"{(now / then - 1) * 100:+.1f}%"
    assert next(m for m in home.metric if m.label == "销量").delta == shown
    assert next(m for m in sales.metric if m.label == "同比").value == shown


# --- finding 8: weekday alignment at day grain -------------------------------------------------
def test_weekday_alignment_goes_back_52_weeks() -> None:
    nov = DateRange(D(2026, 11, 2), D(2026, 11, 8))  # Monday to Sunday
    base = last_year_range(nov, "weekday")
    assert base == DateRange(D(2025, 11, 3), D(2025, 11, 9))  # Monday to Sunday
    assert base.start.weekday() == nov.start.weekday() == 0
    # Calendar alignment stays selectable: the same dates, a Sunday to a Saturday.
    assert last_year_range(nov, "calendar") == DateRange(D(2025, 11, 2), D(2025, 11, 8))
    # Across 29 February: still 364 days, still the same weekday.
    leap = last_year_range(DateRange(D(2028, 3, 1), D(2028, 3, 1)), "weekday")
    assert leap.start == D(2027, 3, 3) and leap.start.weekday() == D(2028, 3, 1).weekday()


def test_default_alignment_is_weekday_only_at_day_grain() -> None:
    assert [default_alignment(g) for g in ("day", "week", "month", "year")] == [
        "weekday", "calendar", "calendar", "calendar"]


# --- finding 11: status from the rounded figures the page shows --------------------------------
@pytest.mark.parametrize(("completion", "progress", "status", "gap"), [
    (1.0, 1.0, "on_pace", 0.0),
    (0.99996, 1.0, "on_pace", 0.0),  # shows 100.0 % against 100.0 %: on pace, not "behind"
    (0.5004, 0.49996, "on_pace", 0.0),  # 50.0 % against 50.0 %
    (0.9994, 1.0, "behind", -0.1),  # 99.9 % against 100.0 %
    (0.7, 0.52381, "ahead", 17.6),  # 70.0 % against 52.4 %
    (0.14286, 0.14284, "on_pace", 0.0),
])
def test_pace_status_follows_the_displayed_figures(completion, progress, status, gap) -> None:
    pace = metrics.pace(completion, progress)
    assert (pace.status, pace.gap_pp) == (status, gap)
    shown_completion, shown_progress = f"{completion * 100:.1f}", f"{progress * 100:.1f}"
    assert f"{pace.completion_pct:.1f}" == shown_completion and f"{pace.progress_pct:.1f}" == shown_progress
    assert metrics.is_behind(completion, progress) == (status == "behind")


def test_pace_without_a_plan_has_no_status() -> None:
    assert metrics.pace(None, 0.5).status is None
    assert metrics.pace(float("nan"), 0.5).status is None
    assert not metrics.is_behind(None, 0.5)


# --- time progress at the edges of a month -----------------------------------------------------
# October 2026: National Day holiday 1–7 October, make-up working day Saturday 10 October.
# Working days: 8, 9, 10, 12–16, 19–23, 26–30 = 3 + 5 + 5 + 5 = 18.
@pytest.mark.parametrize(("as_of", "elapsed"), [
    (D(2026, 9, 30), 0),  # the day before the period
    (D(2026, 10, 1), 0),  # a holiday 1st
    (D(2026, 10, 7), 0),  # last holiday day
    (D(2026, 10, 8), 1),  # the period's first working day counts as elapsed
    (D(2026, 10, 10), 3),  # the make-up Saturday is a working day
    (D(2026, 10, 11), 3),  # the Sunday after it is not
    (D(2026, 10, 31), 18),
    (D(2026, 11, 20), 18),  # after the period: complete
])
def test_time_progress_october_2026(as_of, elapsed) -> None:
    assert metrics.time_progress(D(2026, 10, 1), D(2026, 10, 31), as_of) == pytest.approx(elapsed / 18)


@pytest.mark.parametrize(("as_of", "elapsed"), [
    (D(2026, 10, 31), 0), (D(2026, 11, 1), 0), (D(2026, 11, 2), 1), (D(2026, 11, 20), 15)])
def test_time_progress_november_2026_first_working_day(as_of, elapsed) -> None:
    # November 2026: Sunday 1st, first working day Monday 2nd; 21 working days (Mon–Fri, no holiday).
    assert metrics.time_progress(D(2026, 11, 1), D(2026, 11, 30), as_of) == pytest.approx(elapsed / 21)


def test_breakdown_growth_columns_follow_the_coverage_rule(app_factory, sample_db_url: str) -> None:
    """October 2026's base starts before the data: the breakdown's YoY columns are blank, not a stub's."""
    at = app_factory(sample_db_url, page="pages/sales.py", params={"period": "2026-10"})
    assert not at.exception
    table = at.dataframe[0].value
    assert table["销量同比"].isna().all() and table["销售额同比"].isna().all()
    at = app_factory(sample_db_url, page="pages/sales.py", params={"period": "2026-11"})
    table = at.dataframe[0].value
    assert table["销量同比"].notna().all() and table["销售额同比"].notna().all()
