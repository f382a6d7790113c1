"""Department competition on the hand-built county of tests/team_factory.py: the KPI
inputs summed in SQL, the KPI points, totals, ranks, year to date and personal scores."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest
from sqlmodel import Session

from data_access.access.permissions import EVERYTHING
from data_access.db import get_engine
from data_access.queries import teams
from data_access.rules import team_scoring as ts
from tests.team_factory import DATA_END, NOV, OCT, competition_database


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory):
    url = competition_database(Path(tmp_path_factory.mktemp("teams")))
    with Session(get_engine(url)) as db_session:
        yield db_session


def _by_code(session: Session, frame, column: str = "department_id"):
    ids = {row.id: row.code for row in teams.competition_data(session=session, month=NOV, data_end=DATA_END)[
        "departments"].itertuples()}
    return frame.assign(code=frame[column].map(ids)).set_index("code")


def test_kpi_inputs_are_summed_per_department_and_month(session: Session) -> None:
    inputs = teams.department_kpi_inputs(session=session, first_month=OCT, last_month=NOV, data_end=DATA_END)
    nov = _by_code(session, inputs[inputs["month"] == NOV])
    assert nov.loc["A", ["cartons", "amount", "cartons_ly", "amount_ly", "planned_cases"]].tolist() == [
        500, 75_000, 250, 37_500, 2.5]
    # RA1 online + RA2 by phone; RC1's failed online order does not count
    assert nov.loc["A", ["ordering_retailers", "online_retailers"]].tolist() == [2, 1]
    assert nov.loc["C", ["ordering_retailers", "online_retailers"]].tolist() == [1, 0]
    # 4 planned, 3 done; the unplanned visit on 10 Nov does not make up the missed one
    assert nov.loc["A", ["planned_visits", "done_visits"]].tolist() == [4, 3]
    assert nov.loc["A", ["inspected_terminals", "average_display"]].tolist() == [2, 90]
    assert nov.loc["B"].isna()[["inspected_terminals", "average_display"]].all()
    assert nov.loc["C"].isna()[["cartons_ly", "planned_visits"]].all()
    october = inputs[inputs["month"] == OCT]
    assert (october["cartons"] == 0).all() and october["planned_cases"].isna().all()


def test_last_year_is_like_for_like_when_the_month_is_partial(session: Session) -> None:
    # Data to 3 Nov 2026: last year's November counts to 3 Nov 2025 only (B's 4 Nov 2025 line drops out)
    inputs = teams.department_kpi_inputs(session=session, first_month=NOV, last_month=NOV,
                                         data_end=dt.date(2026, 11, 3))
    nov = _by_code(session, inputs)
    assert nov.loc["A", "cartons_ly"] == 250 and math.isnan(nov.loc["B", "cartons_ly"])
    assert nov.loc["B", "cartons"] == 500 and nov.loc["C", "cartons"] == 0


def test_kpi_points_and_monthly_leaderboard_match_the_worked_example(session: Session) -> None:
    data = teams.competition_data(session=session, month=NOV, data_end=DATA_END)
    result = ts.competition(data, month=NOV, data_end=DATA_END, scope="month")
    kpi = _by_code(session, result["kpi"][result["kpi"]["month"] == NOV])
    assert kpi.loc["A", "kpi"] == pytest.approx(77.75)
    assert kpi.loc["B", "kpi"] == pytest.approx(83 / 0.85)
    assert kpi.loc["C", "kpi"] == pytest.approx(80.0)
    assert kpi.loc["B", "per_case_growth"] == pytest.approx(0.05)
    board = _by_code(session, result["board"])
    assert board.index.tolist() == ["B", "C", "A"]
    assert board["total"].tolist() == pytest.approx([0.6 * 83 / 0.85 + 32, 78 / 0.9, 76.65])
    assert board["rank"].tolist() == [1, 2, 3]
    assert board["rank_change"].tolist() == [2, 0, -2]
    assert board.loc["C", "gap_to_above"] == pytest.approx(0.6 * 83 / 0.85 + 32 - 78 / 0.9)
    assert board.loc["A", "gap_to_above"] == pytest.approx(78 / 0.9 - 76.65)
    assert board.loc["C", "missing"] == ("innovation",) and not board.loc["A", "provisional"]


def test_year_to_date_leaderboard(session: Session) -> None:
    data = teams.competition_data(session=session, month=NOV, data_end=DATA_END)
    result = ts.competition(data, month=NOV, data_end=DATA_END, scope="ytd")
    assert result["ytd_months"] == [OCT, NOV]
    board = _by_code(session, result["board"])
    assert board.index.tolist() == ["B", "A", "C"]
    assert board["total"].tolist() == pytest.approx([0.6 * 83 / 0.85 + 26, 81.65, 80.5])
    assert board["rank_change"].tolist() == [2, -1, -1]
    assert board["provisional"].all()  # October has no KPI
    history = _by_code(session, result["history"])
    assert history[history["month"] == OCT]["rank"].to_dict() == {"A": 1, "B": 3, "C": 2}


def test_personal_scores_of_department_a(session: Session) -> None:
    data = teams.competition_data(session=session, month=NOV, data_end=DATA_END)
    dept_a = int(data["departments"].set_index("code").loc["A", "id"])
    inputs = teams.manager_inputs(session=session, scope=EVERYTHING, month=NOV, data_end=DATA_END, department_id=dept_a)
    people = ts.personal_scores(inputs, progress=1.0, weights=teams.personal_weights(session=session))
    assert people["code"].tolist() == ["MA", "MA2"]
    assert people["score"].tolist() == pytest.approx([92.5, 0.0])
    assert people.loc[0, ["planned_visits", "done_visits"]].tolist() == [4, 3]
    assert len(teams.manager_inputs(session=session, scope=EVERYTHING, month=NOV, data_end=DATA_END)) == 4
