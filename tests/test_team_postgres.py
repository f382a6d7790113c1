"""The competition queries give the same answers on PostgreSQL as on SQLite (hand-built county).

Needs a real server: set TEST_DATABASE_URL. The test drops and recreates the schema there.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlmodel import Session

from data_access.access.audit import CHINA
from data_access.access.permissions import EVERYTHING
from data_access.db import get_engine
from data_access.queries import teams
from data_access.rules import team_scoring as ts
from data_access.team_entry import save_group_scores
from tests.actors import person
from tests.postgres import POSTGRES_ONLY, build_twins, on_both
from tests.team_factory import DATA_END, NOV, build_competition_county

pytestmark = POSTGRES_ONLY


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    return build_twins(tmp_path_factory.mktemp("team_pg"), lambda url: build_competition_county(get_engine(url)))


def test_kpi_inputs_and_ranking_identical(twins: tuple[str, str]) -> None:
    lite, pg = on_both(twins, teams.competition_data, month=NOV, data_end=DATA_END)
    pd.testing.assert_frame_equal(lite["kpi_inputs"], pg["kpi_inputs"], check_dtype=False)
    boards = [ts.competition(d, month=NOV, data_end=DATA_END, scope="month")["board"] for d in (lite, pg)]
    pd.testing.assert_frame_equal(boards[0], boards[1], check_dtype=False)
    assert boards[1]["total"].round(2).tolist() == [90.59, 86.67, 76.65]


def test_manager_inputs_identical(twins: tuple[str, str]) -> None:
    lite, pg = on_both(twins, teams.manager_inputs, scope=EVERYTHING, month=NOV, data_end=DATA_END)
    pd.testing.assert_frame_equal(lite, pg, check_dtype=False)


def test_entry_and_audit_identical(twins: tuple[str, str]) -> None:
    when = dt.datetime(2026, 12, 2, 9, 30, tzinfo=CHINA)
    for url in twins:
        with Session(get_engine(url)) as session:
            dept = int(teams.competition_data(session=session, month=NOV, data_end=DATA_END)["departments"]
                       .set_index("code").loc["C", "id"])
            save_group_scores(session, month=NOV, department_id=dept, scores={"innovation": 85.0},
                              actor=person("王主任"), now=when)
    lite, pg = on_both(twins, teams.score_audit, month=NOV)
    pd.testing.assert_frame_equal(lite, pg, check_dtype=False)
    assert pg.loc[0, "new_score"] == 85.0 and pg.loc[0, "entered_at"] == pd.Timestamp(when.replace(tzinfo=None))
