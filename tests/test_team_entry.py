"""Entry and correction of the manually scored groups: validation and audit trail."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlmodel import Session, select

from data_access.access.audit import CHINA
from data_access.db import data_versions, get_engine
from data_access.models import DepartmentGroupScore, DepartmentGroupScoreAudit
from data_access.queries import teams
from data_access.team_entry import ScoreEntryError, save_group_scores
from tests.actors import person
from tests.team_factory import NOV, competition_database

WHEN = dt.datetime(2026, 12, 2, 10, 30, tzinfo=CHINA)  # the history shows China time


@pytest.fixture
def session(tmp_path: Path):
    with Session(get_engine(competition_database(tmp_path))) as db_session:
        yield db_session


def _dept(session: Session, code: str) -> int:
    data = teams.competition_data(session=session, month=NOV, data_end=dt.date(2026, 11, 30))
    return int(data["departments"].set_index("code").loc[code, "id"])


@pytest.mark.parametrize(
    ("scores", "who", "key"),
    [
        ({"innovation": 101.0}, "王主任", "teams.error.range"),
        ({"innovation": -1.0}, "王主任", "teams.error.range"),
        ({"innovation": float("nan")}, "王主任", "teams.error.range"),
        ({"kpi": 90.0}, "王主任", "teams.error.group"),  # the KPI group is computed, never entered
        ({"innovation": None}, "王主任", "teams.error.nothing"),
    ],
)
def test_bad_input_is_rejected_and_nothing_is_written(session: Session, scores, who, key) -> None:
    dept_c = _dept(session, "C")
    before = data_versions(session.get_bind())["scores"]
    with pytest.raises(ScoreEntryError) as error:
        save_group_scores(session, month=NOV, department_id=dept_c, scores=scores, actor=person(who), now=WHEN)
    assert key in [k for k, _ in error.value.problems]
    assert session.exec(select(DepartmentGroupScoreAudit)).all() == []
    assert data_versions(session.get_bind())["scores"] == before


def test_unknown_department_is_rejected(session: Session) -> None:
    with pytest.raises(ScoreEntryError) as error:
        save_group_scores(session, month=NOV, department_id=999, scores={"six_s": 50.0}, actor=person("王主任"))
    assert error.value.problems[0][0] == "teams.error.department"


def test_first_entry_and_correction_are_both_in_the_audit_history(session: Session) -> None:
    dept_c = _dept(session, "C")
    before = data_versions(session.get_bind())["scores"]
    assert save_group_scores(session, month=NOV, department_id=dept_c, scores={"innovation": 85.0,
                             "campaign": 100.0}, actor=person("王主任"), now=WHEN) == 1  # campaign unchanged
    assert data_versions(session.get_bind())["scores"] == before + 1
    # A correction without a reason is refused; with one it is kept next to the first entry.
    with pytest.raises(ScoreEntryError) as error:
        save_group_scores(session, month=NOV, department_id=dept_c, scores={"innovation": 88.0}, actor=person("李科长"))
    assert error.value.problems == [("teams.error.reason", {})]
    later = WHEN + dt.timedelta(hours=1)
    save_group_scores(session, month=NOV, department_id=dept_c, scores={"innovation": 88.0}, actor=person("李科长"),
                      reason="补充创新成果材料", now=later)
    score = session.exec(select(DepartmentGroupScore).where(
        DepartmentGroupScore.month == NOV, DepartmentGroupScore.department_id == dept_c,
        DepartmentGroupScore.group_code == "innovation")).one()
    assert (score.score, score.entered_by, score.entered_at) == (88.0, "李科长", later.replace(tzinfo=None))
    audit = teams.score_audit(session=session, month=NOV)
    rows = audit[["group_code", "old_score", "new_score", "entered_by", "reason"]].astype(object).where(
        audit.notna(), None).values.tolist()
    assert rows == [
        ["innovation", 85.0, 88.0, "李科长", "补充创新成果材料"],
        ["innovation", None, 85.0, "王主任", ""],
    ]
