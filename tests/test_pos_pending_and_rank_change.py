"""Pending POS (issue 13, finding 3) and comparable rank change (finding 10), hand-worked.

Written before the fix; on the old code a running month scored POS 0 % "missing" for
terminals whose reconciliation had not come in, and "较上月 ↑108" compared a running month's
six ranked terminals with last month's full field.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from data_access import clock
from data_access.rules import terminal_scoring as scoring

NOV, OCT, SEP = dt.date(2026, 11, 1), dt.date(2026, 10, 1), dt.date(2026, 9, 1)


@pytest.mark.parametrize(("month", "today", "last", "pending"), [
    (NOV, dt.date(2026, 11, 20), OCT, True),   # the running month is never due
    (OCT, dt.date(2026, 11, 3), SEP, True),    # just ended, its reconciliation not in yet
    (OCT, dt.date(2026, 11, 3), OCT, False),   # just ended and reconciled
    (SEP, dt.date(2026, 11, 3), dt.date(2026, 8, 1), False),  # overdue: missing rows are 0 %, flagged
    (dt.date(2025, 12, 1), dt.date(2026, 1, 2), None, True),  # across the year end
])
def test_pos_pending_rule(month, today, last, pending) -> None:
    assert scoring.pos_pending(month, today=today, last_reconciled=last) is pending


def test_pending_pos_leaves_the_composite_with_its_weight_spread() -> None:
    # weights display .5, POS .3, brand .2; display 80, brand 50, POS pending:
    # (.5·80 + .2·50) / (.5 + .2) = 50 / .7 = 71.43 — not .5·80 + .3·0 + .2·50 = 50.
    frame = pd.DataFrame({"display_score": [80.0], "pos_score": [math.nan], "brand_cultivation": [50.0]})
    weights = scoring.Weights(0.5, 0.3, 0.2)
    assert scoring.composite_score(frame, weights, pos_pending=True).iloc[0] == pytest.approx(50 / 0.7)
    reconciled = frame.assign(pos_score=[90.0])
    assert scoring.composite_score(reconciled, weights).iloc[0] == pytest.approx(40 + 27 + 10)


def _ranked(rows: list[tuple[int, str, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["retailer_id", "business_format", "composite"])
    frame["display_score"] = frame["composite"]
    frame["rank"] = scoring.rank_within_format(frame)
    return frame


def test_rank_change_only_within_the_same_population() -> None:
    previous = _ranked(
        [(i, "grocery", 100.0 - i) for i in range(1, 11)]          # 10 groceries ranked 1..10
        + [(20 + i, "convenience", 50.0 - i) for i in range(1, 6)]  # 21..25 ranked 1..5
        + [(30 + i, "supermarket", 40.0 - i) for i in range(1, 6)]  # 31..35 ranked 1..5
    )
    current = _ranked(
        [(i, "grocery", 50.0 + i) for i in (5, 6, 7, 8, 9, 10)]      # a running month: 6 of 10 ranked
        + [(25, "convenience", 99.0), (21, "convenience", 98.0), (22, "convenience", 97.0),
           (23, "convenience", 96.0), (24, "convenience", 95.0)]     # same five: 25 jumps from 5th to 1st
        + [(31, "supermarket", 90.0), (32, "supermarket", 80.0), (33, "supermarket", 70.0),
           (34, "supermarket", 60.0), (99, "supermarket", 95.0)]      # 4 of 5 in common (80 %), one new
    )
    change = scoring.comparable_rank_change(current, previous).set_axis(current["retailer_id"])
    # groceries: 6 in common < 80 % of last month's 10 → "—" for every one (the old code: ↑/↓ by raw ranks)
    assert change.loc[[5, 6, 7, 8, 9, 10]].isna().all()
    # convenience: the same five; 25 from 5th to 1st = +4, the others one down
    assert change.loc[[25, 21, 22, 23, 24]].tolist() == [4, -1, -1, -1, -1]
    # supermarkets: among the four in common 31..34 keep their order → 0; the new one has no change
    assert change.loc[[31, 32, 33, 34]].tolist() == [0, 0, 0, 0]
    assert math.isnan(change.loc[99])


def test_terminals_page_running_month_pos_is_pending(app_factory, sample_db_url: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # The sample county holds November's reconciliations "to date"; on 20 November they are not due.
    monkeypatch.setenv(clock.TODAY_ENV, "2026-11-20")
    at = app_factory(sample_db_url, page="pages/terminals.py", params={"period": "2026-11"})
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    flags = set(table["pos_flag"]) if "pos_flag" in table else set(table.iloc[:, [
        i for i, c in enumerate(table.columns) if "POS" in str(c) and "状态" in str(c)]].stack())
    assert flags == {"待对账"}
    assert any("POS对账尚未到期" in i.value and "已对账至 2026年10月" in i.value for i in at.info)
    assert not any("0%" in str(v) for v in table.to_numpy().ravel() if isinstance(v, str))
