"""Queries rewritten for speed (issue 14) give exactly the answers of the slow forms they replace."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlmodel import Session

from data_access.db import create_schema, get_engine
from data_access.queries import overview, reference


def test_sales_date_bounds_are_the_first_and_last_sale_day(sample_db_url: str) -> None:
    with Session(get_engine(sample_db_url)) as session:
        first, last = session.execute(text("SELECT min(sale_date), max(sale_date) FROM sales_daily")).one()
        bounds = reference.sales_date_bounds(session=session)
    assert bounds == (dt.date.fromisoformat(first), dt.date.fromisoformat(last))
    assert bounds[1] == dt.date(2026, 11, 20)  # the sample county's pinned last day


def test_sales_date_bounds_of_an_empty_database(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    create_schema(get_engine(url))
    with Session(get_engine(url)) as session:
        assert reference.sales_date_bounds(session=session) is None


def _daily_by_department(session: Session, start: dt.date, end: dt.date) -> dict[int, tuple[float, float, float]]:
    """The replaced form: every daily row of the period summed per department."""
    rows = session.execute(
        text("SELECT department_id, SUM(cartons), SUM(amount), SUM(cost) FROM sales_daily "
             "WHERE sale_date BETWEEN :s AND :e GROUP BY department_id"),
        {"s": start.isoformat(), "e": end.isoformat()},
    ).all()
    return {int(d): (c, a, k) for d, c, a, k in rows}


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.date(2026, 11, 1), dt.date(2026, 11, 20)),   # running month: edge days only
        (dt.date(2026, 10, 1), dt.date(2026, 10, 31)),   # previous month complete: one whole month
        (dt.date(2026, 1, 1), dt.date(2026, 11, 20)),    # year to date: ten whole months + 20 days
        (dt.date(2025, 11, 15), dt.date(2026, 2, 28)),   # cut first month, whole months over a year end
        (dt.date(2026, 2, 1), dt.date(2026, 2, 17)),     # up to Spring Festival 2026 (17 February)
        (dt.date(2026, 1, 26), dt.date(2026, 2, 6)),     # edge days in two months, no whole month
    ],
)
def test_department_table_equals_summing_the_days(sample_db_url: str, start: dt.date, end: dt.date) -> None:
    with Session(get_engine(sample_db_url)) as session:
        table = overview.department_summary(session=session, start=start, end=end, first_month=start.replace(day=1),
                                            last_month=end.replace(day=1))
        daily = _daily_by_department(session, start, end)
        departments = reference.departments(session=session)
    assert len(table) == len(departments) and sum(v[0] for v in daily.values()) > 0
    for row in table.itertuples():
        cartons, amount, cost = daily.get(int(row.department_id), (0.0, 0.0, 0.0))
        assert row.cartons == pytest.approx(cartons, rel=1e-9)
        assert row.amount == pytest.approx(amount, rel=1e-9)
        assert row.cost == pytest.approx(cost, rel=1e-9)


@pytest.mark.parametrize(
    ("start", "end", "d1_cartons", "d2_cartons"),
    [
        # 2025-11-03 (250, last year) + October 2026 whole (125) + 2026-11-02/03 (100 + 150 + 250);
        # R3's 50 on 2026-11-04 falls after the end.
        (dt.date(2025, 11, 3), dt.date(2026, 11, 3), 875.0, 0.0),
        (dt.date(2026, 10, 1), dt.date(2026, 11, 30), 625.0, 50.0),  # two whole months
        (dt.date(2026, 11, 3), dt.date(2026, 11, 4), 250.0, 50.0),   # edge days inside one month
    ],
)
def test_department_table_hand_worked(tiny_db_url: str, start: dt.date, end: dt.date, d1_cartons: float,
                                      d2_cartons: float) -> None:
    with Session(get_engine(tiny_db_url)) as session:
        table = overview.department_summary(session=session, start=start, end=end,
                                            first_month=start.replace(day=1), last_month=end.replace(day=1))
    assert dict(zip(table["code"], table["cartons"], strict=True)) == {"D1": d1_cartons, "D2": d2_cartons}
