"""Department competition scoring on hand-made frames (DOMAIN.md §8, docs/department_scoring.md)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from data_access.config import default
from data_access.rules import team_scoring as ts

WEIGHTS = default("department_weights")  # 60 / 10 / 10 / 10 / 10
RULE = default("department_kpi_rule")
NOV, OCT, SEP = dt.date(2026, 11, 1), dt.date(2026, 10, 1), dt.date(2026, 9, 1)


def _table(rows: list[tuple[int, dt.date, float | None, float | None, float | None, float | None, float | None]]):
    frame = pd.DataFrame(rows, columns=["department_id", "month", "kpi", "campaign", "six_s", "inspection", "innovation"])
    for column in ("kpi", "campaign", "six_s", "inspection", "innovation"):
        frame[column] = frame[column].astype("float64")
    return frame


def test_sub_indicator_points_follow_the_documented_rule() -> None:
    # completion 80 % at time progress 100 % → 80; 45 % at half the month → 90; ahead → capped 100
    assert ts.completion_points(0.8, 1.0) == pytest.approx(80.0)
    assert ts.completion_points(0.45, 0.5) == pytest.approx(90.0)
    assert ts.completion_points(1.3, 1.0) == 100.0
    assert ts.completion_points(None, 1.0) is None
    # growth: 80 at 0 %, +2 per percentage point, clamped
    assert ts.growth_points(0.05, base=80, per_pp=2) == pytest.approx(90.0)
    assert ts.growth_points(-0.10, base=80, per_pp=2) == pytest.approx(60.0)
    assert ts.growth_points(0.5, base=80, per_pp=2) == 100.0
    assert ts.growth_points(-0.9, base=80, per_pp=2) == 0.0
    assert ts.rate_points(0.75) == pytest.approx(75.0)
    assert ts.display_points(90, 100) == pytest.approx(90.0)
    assert ts.display_points(45, 50) == pytest.approx(90.0)  # a county rubric out of 50


def test_weighted_points_spread_the_weight_of_a_part_without_data() -> None:
    weights = RULE["parts"]
    all_parts = {"plan_completion": 80, "per_case_growth": 80, "online_rate": 50, "visit_compliance": 75,
                 "terminal_display": 90}
    assert ts.weighted_points(all_parts, weights) == pytest.approx(77.75)
    no_display = {**all_parts, "terminal_display": None}
    assert ts.weighted_points(no_display, weights) == pytest.approx((32 + 16 + 5 + 11.25) / 0.85)
    assert ts.weighted_points(dict.fromkeys(all_parts), weights) is None


def test_weighted_total_rank_and_gap_to_the_department_above() -> None:
    table = _table([
        (1, NOV, 77.75, 90, 80, 70, 60),   # 46.65 + 30 = 76.65
        (2, NOV, 90.0, 80, 80, 80, 80),    # 54 + 32 = 86
        (3, NOV, 70.0, 100, 100, 100, 100),  # 42 + 40 = 82
    ])
    board = ts.rank_table(table, WEIGHTS)
    assert board["department_id"].tolist() == [2, 3, 1]
    assert board["total"].tolist() == pytest.approx([86.0, 82.0, 76.65])
    assert board["rank"].tolist() == [1, 2, 3]
    assert np.isnan(board["gap_to_above"].iloc[0])
    assert board["gap_to_above"].iloc[1:].tolist() == pytest.approx([4.0, 5.35])
    assert board["kpi_points"].tolist() == pytest.approx([54.0, 42.0, 46.65])
    assert not board["provisional"].any()


def test_ties_share_a_rank_and_the_next_rank_is_skipped() -> None:
    table = _table([
        (1, NOV, 80, 80, 80, 80, 80),   # 80
        (2, NOV, 90, 50, 50, 50, 50),   # 54 + 20 = 74
        (3, NOV, 80, 80, 80, 80, 80),   # 80 (tie with 1)
        (4, NOV, 80, 80, 80, 80, 80.004),  # 80.0004: equal to 2 decimals → still a tie
    ])
    board = ts.rank_table(table, WEIGHTS)
    ranks = dict(zip(board["department_id"], board["rank"], strict=True))
    assert ranks == {1: 1, 3: 1, 4: 1, 2: 4}
    gaps = dict(zip(board["department_id"], board["gap_to_above"], strict=True))
    assert np.isnan(gaps[1]) and np.isnan(gaps[3])  # nobody above a shared first place
    assert gaps[2] == pytest.approx(6.0)


def test_missing_group_makes_the_month_provisional_and_is_not_counted_as_zero() -> None:
    table = _table([(1, NOV, 80, 100, 100, 100, None), (2, NOV, 80, 90, 90, 90, 90)])
    board = ts.rank_table(table, WEIGHTS).set_index("department_id")
    assert board.loc[1, "provisional"] and board.loc[1, "missing"] == ("innovation",)
    # weighted mean of the four groups present: (48 + 30) / 0.9, not 48 + 30 = 78
    assert board.loc[1, "total"] == pytest.approx(86.6667, abs=1e-4)
    assert not board.loc[2, "provisional"]
    missing = ts.missing_manual(table)
    assert missing.to_dict("records") == [{"department_id": 1, "month": NOV, "group_code": "innovation"}]


def test_rank_change_since_last_month() -> None:
    table = _table([
        (1, OCT, 90, 90, 90, 90, 90), (2, OCT, 70, 70, 70, 70, 70), (3, OCT, 80, 80, 80, 80, 80),
        (1, NOV, 70, 70, 70, 70, 70), (2, NOV, 90, 90, 90, 90, 90), (3, NOV, 80, 80, 80, 80, 80),
    ])
    board = ts.leaderboard(table, WEIGHTS, month=NOV, previous_month=OCT, ytd_months=[OCT, NOV], scope="month")
    change = dict(zip(board["department_id"], board["rank_change"], strict=True))
    assert change == {2: 2, 3: 0, 1: -2}
    first = ts.leaderboard(table, WEIGHTS, month=OCT, previous_month=SEP, ytd_months=[OCT], scope="month")
    assert first["rank_change"].isna().all()  # no September ranking: no change shown


def test_year_to_date_means_each_group_and_ranks_against_last_months_ytd() -> None:
    table = _table([
        (1, SEP, 100, 100, 100, 100, 100), (2, SEP, 60, 60, 60, 60, 60),
        (1, OCT, 60, 60, 60, 60, 60), (2, OCT, 80, 80, 80, 80, 80),
        (1, NOV, 60, 60, 60, 60, 60), (2, NOV, 90, 90, 90, 90, 90),
    ])
    board = ts.leaderboard(table, WEIGHTS, month=NOV, previous_month=OCT, ytd_months=[SEP, OCT, NOV], scope="ytd")
    totals = dict(zip(board["department_id"], board["total"], strict=True))
    assert totals[1] == pytest.approx((100 + 60 + 60) / 3)  # 73.33
    assert totals[2] == pytest.approx((60 + 80 + 90) / 3)  # 76.67
    assert board["department_id"].tolist() == [2, 1]
    # through October: dept 1 led (80 vs 70) → dept 2 moved up one place
    assert dict(zip(board["department_id"], board["rank_change"], strict=True)) == {2: 1, 1: -1}


def test_year_to_date_is_provisional_when_a_month_lacks_a_group_but_keeps_scored_months() -> None:
    table = _table([(1, OCT, None, 100, 100, 100, 100), (1, NOV, 50, 50, 50, 50, 50)])
    ytd = ts.year_to_date(table, [OCT, NOV])
    board = ts.rank_table(ytd, WEIGHTS)
    assert board.loc[0, "kpi"] == pytest.approx(50.0)  # mean of the month that has a KPI
    assert board.loc[0, "campaign"] == pytest.approx(75.0)
    assert board.loc[0, "provisional"] and board.loc[0, "missing"] == ("kpi",)


def test_scored_months_skip_months_before_the_competition_started() -> None:
    table = _table([(1, SEP, None, None, None, None, None), (1, OCT, None, 80, None, None, None)])
    assert ts.scored_months(table, [SEP, OCT]) == [OCT]


def test_personal_scores_rank_managers_on_task_and_visits() -> None:
    inputs = pd.DataFrame({
        "manager_id": [1, 2, 3], "code": ["M1", "M2", "M3"], "name": ["甲", "乙", "丙"],
        "planned_cases": [2.0, 1.0, np.nan], "cartons": [500.0, 0.0, 250.0],
        "planned_visits": [4.0, np.nan, 10.0], "done_visits": [3.0, np.nan, 9.0],
    })
    people = ts.personal_scores(inputs, progress=1.0, weights=RULE["personal_parts"])
    scores = dict(zip(people["code"], people["score"], strict=True))
    assert scores["M1"] == pytest.approx(0.7 * 100 + 0.3 * 75)  # 92.5
    assert scores["M2"] == pytest.approx(0.0)  # no sales against a task; no visit plan → task only
    assert scores["M3"] == pytest.approx(90.0)  # no task: visits only
    assert people["code"].tolist() == ["M1", "M3", "M2"]
    assert people["gap_to_above"].iloc[1] == pytest.approx(2.5)
    # half-way through the month, half the task done is on schedule: full task points
    half = ts.personal_scores(inputs.iloc[[0]].assign(cartons=250.0), progress=0.5, weights=RULE["personal_parts"])
    assert half.loc[0, "task_completion_points"] == pytest.approx(100.0)
