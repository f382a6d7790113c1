"""The sales page's aggregates and queries give the same numbers on PostgreSQL as on SQLite.

Needs ``TEST_DATABASE_URL`` (a PostgreSQL database this test may wipe); skipped otherwise.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator

import pandas as pd
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access.db import drop_schema, get_engine
from data_access.queries import sales as q
from tests.test_sales_factory import build_sales_county, make_sales_db

pytestmark = pytest.mark.postgres
NOV = {"start": dt.date(2026, 11, 1), "end": dt.date(2026, 11, 16)}
WIDE = {"start": dt.date(2025, 1, 15), "end": dt.date(2026, 11, 16)}


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, Engine]]:
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    if not url.startswith("postgresql"):
        pytest.skip("TEST_DATABASE_URL is not set to a PostgreSQL database")
    postgres = get_engine(url)
    drop_schema(postgres)
    build_sales_county(postgres)
    sqlite = get_engine(make_sales_db(tmp_path_factory.mktemp("sales_pg")))
    yield sqlite, postgres
    drop_schema(postgres)


def _both(engines: tuple[Engine, Engine], fn, **kwargs) -> tuple[object, object]:
    results = []
    for engine in engines:
        with Session(engine) as session:
            results.append(fn(session=session, **kwargs))
    return results[0], results[1]


def _same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    keys = [c for c in left.columns if left[c].dtype == object or c in ("bucket", "month", "key")]
    pd.testing.assert_frame_equal(
        left.sort_values(keys or list(left.columns), ignore_index=True).astype({c: str for c in keys}),
        right.sort_values(keys or list(right.columns), ignore_index=True).astype({c: str for c in keys}),
        check_dtype=False,
    )


@pytest.mark.parametrize("dimension", q.BREAKDOWNS)
def test_breakdowns_match(engines, dimension: str) -> None:
    _same(*_both(engines, q.breakdown, dimension=dimension, **WIDE))


@pytest.mark.parametrize("grain", ["day", "week", "month", "year"])
def test_series_match_including_festival_shift(engines, grain: str) -> None:
    _same(*_both(engines, q.sales_series, grain=grain, **WIDE))
    _same(*_both(engines, q.sales_series, grain=grain, shift_days=384, start=dt.date(2025, 1, 1),
                 end=dt.date(2025, 2, 28)))


def test_totals_structure_plans_movers_forecast_match(engines) -> None:
    sqlite_totals, pg_totals = _both(engines, q.range_totals, **NOV)
    assert sqlite_totals == pg_totals == {"cartons": 875.0, "amount": 192_500.0, "cost": 150_000.0}
    left, right = _both(engines, q.structure_totals, **NOV)
    assert left == right
    month = dt.date(2026, 11, 1)
    _same(*_both(engines, q.department_plan_progress, first_month=month, last_month=month, **NOV))
    _same(*_both(engines, q.brand_plan_progress, first_month=month, last_month=month, **NOV))
    _same(*_both(engines, q.class_mix_by_month, **WIDE))
    _same(*_both(engines, q.retailer_changes, base_start=dt.date(2025, 11, 1), base_end=dt.date(2025, 11, 16), **NOV))
    _same(*_both(engines, q.forecast_vs_actual, first_month=dt.date(2026, 10, 1), last_month=month, end=NOV["end"]))
    _same(*_both(engines, q.monthly_plans, first_month=month, last_month=month, brand_family="七匹狼"))
