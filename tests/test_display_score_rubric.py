"""One definition of "display score" for every page (issue 13, finding 4), hand-worked.

County: tests/team_factory.py. November 2026 inspections of department A's modern terminals:
  RA1 visibility 20, tidiness 18, richness 16, conformity 14, persistence 12
  RA2 20 on every part
The county switches to a four-part rubric of 25 points each (persistence dropped):
  RA1 = 20 + 18 + 16 + 14 = 68 of 100 → display score 68
  RA2 = 20 + 20 + 20 + 20 = 80 of 100 → display score 80
  A's average display points = (68 + 80) / 2 = 74 of 100 → terminal display points 74.
Written before the fix: the department KPI still summed all five parts (80 and 100 → 90 of 100),
while the terminal ranking scored 68 and 80.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import Session

from data_access.db import get_engine
from data_access.models import ConfigSetting
from data_access.queries import teams, terminals
from tests.team_factory import DATA_END, NOV, competition_database

FOUR_PARTS = {"name": "四维陈列评分", "parts": [
    {"code": code, "name_zh": zh, "name_en": code.title(), "points": 25}
    for code, zh in (("visibility", "显眼度"), ("tidiness", "整洁度"), ("richness", "丰富度"), ("conformity", "规范度"))
]}


@pytest.fixture(scope="module")
def four_part_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = competition_database(Path(tmp_path_factory.mktemp("rubric")))
    with Session(get_engine(url)) as session:
        session.add(ConfigSetting(key="display_rubric", value_json=json.dumps(FOUR_PARTS, ensure_ascii=False)))
        session.commit()
    return url


def test_department_kpi_and_terminal_ranking_score_display_on_the_same_rubric(four_part_url: str) -> None:
    with Session(get_engine(four_part_url)) as session:
        ranking = terminals.scored_ranking(session=session, month=NOV, month_end=DATA_END, weights=(0.5, 0.3, 0.2))
        view = teams.competition_view(session=session, month=NOV, data_end=DATA_END, scope="month")
    scores = ranking["ranking"].set_index("customer_code")["display_score"]
    assert scores.loc["RA1"] == pytest.approx(68.0) and scores.loc["RA2"] == pytest.approx(80.0)
    codes = {int(r.id): r.code for r in view["departments"].itertuples()}
    kpi = view["kpi"].assign(code=lambda f: f["department_id"].map(codes)).set_index(["code", "month"])
    a = kpi.loc[("A", NOV)]
    assert a["average_display"] == pytest.approx(74.0)
    assert a["terminal_display_points"] == pytest.approx(74.0)
    assert a["terminal_display_points"] == pytest.approx(scores.loc[["RA1", "RA2"]].mean())
    assert view["rubric_total"] == 100.0


def test_teams_page_shows_the_rubric_average(app_factory, four_part_url: str) -> None:
    at = app_factory(four_part_url, page="pages/teams.py", params={"period": "2026-11", "tm_kpi": "A"})
    assert not at.exception, at.exception
    figures = at.table[0].value.iloc[:, 1].tolist()
    assert "2 家现代终端平均 74.0 分 / 满分 100" in figures
