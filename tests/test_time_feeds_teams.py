"""Department KPI when feeds end on different days (issue 13, finding 2), hand-worked.

County: tests/time_feeds_factory.py. Sales run to 1 December 2026, visits to 30 November.
Written before the fix: on the old code December's visit compliance of A read
"已执行 0 / 计划 2 次" (0 points), because 1 December's plans were counted as missed.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from sqlmodel import Session

from data_access import clock
from data_access.access.permissions import EVERYTHING
from data_access.db import get_engine
from data_access.queries import feeds, teams
from tests.team_factory import NOV
from tests.time_feeds_factory import DEC, SALES_END, VISITS_END, feeds_database


@pytest.fixture(scope="module")
def feeds_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return feeds_database(Path(tmp_path_factory.mktemp("time_feeds")))


def _codes(session: Session) -> dict[int, str]:
    data = teams.competition_data(session=session, month=NOV, data_end=VISITS_END)
    return {int(r.id): r.code for r in data["departments"].itertuples()}


def test_feed_ends_of_the_county(feeds_url: str) -> None:
    with Session(get_engine(feeds_url)) as session:
        ends = feeds.feed_ends(session=session, today=SALES_END)
    assert (ends.sales, ends.visits) == (SALES_END, VISITS_END)


def test_december_visit_plans_after_the_visits_feed_are_not_missed(feeds_url: str) -> None:
    with Session(get_engine(feeds_url)) as session:
        view = teams.competition_view(session=session, month=DEC, data_end=SALES_END, visits_end=VISITS_END,
                                      scope="month")
        codes = _codes(session)
    kpi = view["kpi"].assign(code=lambda f: f["department_id"].map(codes)).set_index(["code", "month"])
    december = kpi.loc[("A", DEC)]
    # No plan on or before 30 Nov falls in December: no data, weight spread — not 0 of 2.
    assert math.isnan(december["planned_visits"]) and math.isnan(december["visit_compliance_points"])
    # A's December: 0 cases of a 2-case plan → completion 0 → 0 points; no ordering retailer,
    # no sales either year, no inspection: KPI = plan completion alone = 0.
    assert december["kpi"] == 0.0
    # November keeps every plan up to 30 Nov: B did 3 of 3 (2 Nov plans + 30 Nov).
    assert kpi.loc[("B", NOV), ["planned_visits", "done_visits"]].tolist() == [3, 3]


def test_personal_visit_compliance_stops_at_the_visits_feed(feeds_url: str) -> None:
    with Session(get_engine(feeds_url)) as session:
        people = teams.manager_inputs(session=session, scope=EVERYTHING, month=DEC, data_end=SALES_END, visits_end=VISITS_END)
    ma = people.set_index("code").loc["MA"]
    assert math.isnan(ma["planned_visits"])


def test_teams_page_counts_plans_up_to_the_visits_feed_and_says_as_of(app_factory, feeds_url: str,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.TODAY_ENV, SALES_END.isoformat())
    at = app_factory(feeds_url, page="pages/teams.py", params={"period": "2026-12", "tm_kpi": "A"})
    assert not at.exception, at.exception
    breakdown = at.table[0].value
    figures = breakdown.iloc[:, 1].tolist()
    assert "本月没有拜访计划" in figures
    assert not any("计划 2 次" in str(f) for f in figures)
    captions = " ".join(c.value for c in at.caption)
    assert "走访数据截至 2026年11月30日" in captions


def test_wall_leaderboard_says_as_of_for_visits(app_factory, feeds_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.TODAY_ENV, SALES_END.isoformat())
    at = app_factory(feeds_url, page="pages/meeting.py", params={"slides": "leaderboard", "period": "2026-12"})
    assert not at.exception, at.exception
    text = " ".join(h.proto.body for h in at.get("html"))
    assert "走访数据截至 2026年11月30日" in text
