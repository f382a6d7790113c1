"""Overview queries equal sums of the raw order lines, whichever aggregate they read."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlmodel import Session

from data_access.db import get_engine
from data_access.queries import overview


def _raw_monthly(session: Session, start: dt.date, end: dt.date) -> dict[str, float]:
    rows = session.execute(
        text("SELECT substr(order_date, 1, 7), SUM(cartons), SUM(amount) FROM order_line "
             "WHERE order_date BETWEEN :s AND :e GROUP BY 1"),
        {"s": start.isoformat(), "e": end.isoformat()},
    ).all()
    return {month: (cartons, amount) for month, cartons, amount in rows}


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.date(2025, 11, 1), dt.date(2026, 11, 20)),   # whole months + a partial last month
        (dt.date(2025, 11, 15), dt.date(2026, 10, 31)),  # partial first month, whole last month
        (dt.date(2026, 3, 5), dt.date(2026, 3, 25)),     # both ends inside one month
        (dt.date(2026, 1, 1), dt.date(2026, 6, 30)),     # whole months only
    ],
)
def test_monthly_sales_equals_raw_lines(sample_db_url: str, start: dt.date, end: dt.date) -> None:
    with Session(get_engine(sample_db_url)) as session:
        frame = overview.monthly_sales(session=session, start=start, end=end)
        raw = _raw_monthly(session, start, end)
    got = {f"{m:%Y-%m}": (c, a) for m, c, a in zip(frame["month"], frame["cartons"], frame["amount"], strict=True)}
    assert set(got) == set(raw)
    for month, (cartons, amount) in raw.items():
        assert got[month][0] == pytest.approx(cartons)
        assert got[month][1] == pytest.approx(amount)
