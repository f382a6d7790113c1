"""PostgreSQL behaves exactly like SQLite: same generated slice, same overview answers.

Needs a real server: set TEST_DATABASE_URL (CI uses the local PostgreSQL). The test drops
and recreates the schema in that database.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlmodel import Session

from data_access.db import get_engine
from data_access.queries import overview, reference
from tests.postgres import POSTGRES_ONLY, build_twins, on_both

pytestmark = POSTGRES_ONLY
END = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def twin_databases(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """The same two-month slice of the sample county in SQLite and in PostgreSQL."""
    from sample_data.generate import generate

    return build_twins(tmp_path_factory.mktemp("twin"),
                       lambda url: generate(get_engine(url), scale="test", end_date=END, months=2))


def test_reference_data_identical(twin_databases: tuple[str, str]) -> None:
    lite, pg = on_both(twin_databases, reference.departments)
    pd.testing.assert_frame_equal(lite, pg, check_dtype=False)
    assert on_both(twin_databases, reference.sales_date_bounds)[0] == on_both(twin_databases, reference.sales_date_bounds)[1]


@pytest.mark.parametrize("department_index", [None, 0, 1])
def test_overview_kpis_identical(twin_databases: tuple[str, str], department_index: int | None) -> None:
    with Session(get_engine(twin_databases[0])) as session:
        depts = reference.departments(session=session)
    dept_id = None if department_index is None else int(depts["id"].iloc[department_index])
    lite, pg = on_both(
        twin_databases, overview.overview_kpis, period_start=dt.date(2026, 11, 1), period_end=dt.date(2026, 11, 30),
        data_end=END, department_id=dept_id,
    )
    assert lite["current"]["cartons"] > 0
    for part in ("current", "last_year", "previous"):
        for key in ("cartons", "amount", "cost"):
            assert lite[part][key] == pytest.approx(pg[part][key], rel=1e-12), (part, key)
    assert lite["planned_cases"] == pytest.approx(pg["planned_cases"])


def test_monthly_trend_identical(twin_databases: tuple[str, str]) -> None:
    lite, pg = on_both(twin_databases, overview.monthly_sales, start=dt.date(2026, 1, 1), end=END)
    assert len(lite) >= 2
    pd.testing.assert_frame_equal(lite, pg, check_dtype=False, rtol=1e-12)


@pytest.mark.parametrize(("start", "end"), [(dt.date(2026, 10, 1), END), (dt.date(2026, 10, 15), dt.date(2026, 11, 5))])
def test_department_table_identical(twin_databases: tuple[str, str], start: dt.date, end: dt.date) -> None:
    """Whole months from ``sales_monthly`` plus edge days from ``sales_daily`` (issue 14) on both engines."""
    lite, pg = on_both(twin_databases, overview.department_summary, start=start, end=end,
                       first_month=start.replace(day=1), last_month=end.replace(day=1))
    assert lite["cartons"].sum() > 0
    pd.testing.assert_frame_equal(lite, pg, check_dtype=False, rtol=1e-12)


@pytest.mark.parametrize("now", [None, dt.datetime(2026, 11, 19, 2, 30)])
def test_feed_ends_identical(twin_databases: tuple[str, str], now: dt.datetime | None) -> None:
    from data_access.queries import feeds

    today = END if now is None else now.date()
    lite, pg = on_both(twin_databases, feeds.feed_ends, today=today, now=now)
    assert lite == pg and lite.sales is not None and lite.gps_at is not None
