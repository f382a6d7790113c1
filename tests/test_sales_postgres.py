"""The sales page's aggregates and queries give the same numbers on PostgreSQL as on SQLite.

Needs ``TEST_DATABASE_URL`` (a PostgreSQL database this test may wipe); skipped otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pandas as pd
import pytest

from data_access.db import drop_schema, get_engine
from data_access.queries import sales as q
from tests.postgres import PG_URL, POSTGRES_ONLY, build_twins, on_both
from tests.test_sales_factory import build_sales_county

pytestmark = POSTGRES_ONLY
NOV = {"start": dt.date(2026, 11, 1), "end": dt.date(2026, 11, 16)}
WIDE = {"start": dt.date(2025, 1, 15), "end": dt.date(2026, 11, 16)}


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The hand-built sales county in SQLite and PostgreSQL (database URLs)."""
    yield build_twins(tmp_path_factory.mktemp("sales_pg"), lambda url: build_sales_county(get_engine(url)))
    drop_schema(get_engine(PG_URL))


def _same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    keys = [c for c in left.columns if left[c].dtype == object or c in ("bucket", "month", "key")]
    pd.testing.assert_frame_equal(
        left.sort_values(keys or list(left.columns), ignore_index=True).astype({c: str for c in keys}),
        right.sort_values(keys or list(right.columns), ignore_index=True).astype({c: str for c in keys}),
        check_dtype=False,
    )


@pytest.mark.parametrize("dimension", q.BREAKDOWNS)
def test_breakdowns_match(twins, dimension: str) -> None:
    _same(*on_both(twins, q.breakdown, dimension=dimension, **WIDE))


@pytest.mark.parametrize("grain", ["day", "week", "month", "year"])
def test_series_match_including_festival_shift(twins, grain: str) -> None:
    _same(*on_both(twins, q.sales_series, grain=grain, **WIDE))
    _same(*on_both(twins, q.sales_series, grain=grain, shift_days=384, start=dt.date(2025, 1, 1),
                 end=dt.date(2025, 2, 28)))


def test_totals_structure_plans_movers_forecast_match(twins) -> None:
    sqlite_totals, pg_totals = on_both(twins, q.range_totals, **NOV)
    assert sqlite_totals == pg_totals == {"cartons": 875.0, "amount": 192_500.0, "cost": 150_000.0}
    left, right = on_both(twins, q.structure_totals, **NOV)
    assert left == right
    month = dt.date(2026, 11, 1)
    _same(*on_both(twins, q.department_plan_progress, first_month=month, last_month=month, **NOV))
    _same(*on_both(twins, q.brand_plan_progress, first_month=month, last_month=month, **NOV))
    _same(*on_both(twins, q.class_mix_by_month, **WIDE))
    _same(*on_both(twins, q.retailer_changes, base_start=dt.date(2025, 11, 1), base_end=dt.date(2025, 11, 16), **NOV))
    _same(*on_both(twins, q.forecast_vs_actual, first_month=dt.date(2026, 10, 1), last_month=month, end=NOV["end"]))
    _same(*on_both(twins, q.monthly_plans, first_month=month, last_month=month, brand_family="七匹狼"))
