"""'Now' views at night (issue 13, finding 9), with the clock pinned to 02:30.

Sample county: GPS fixes and visits to 19 November 2026 (18:25). Pinned at 02:30 on 19 November,
no fix of the 19th exists yet. Written before the fix: the old pages read the latest fixes
whatever the hour, so the route page marked everyone 在途/在店 from the 19th's (future) fixes,
and the wall counted "在岗 5 人" and showed "今日走访异常" of another day.
"""

from __future__ import annotations

import pytest

from data_access import clock

NIGHT = "2026-11-19T02:30"


@pytest.fixture
def night(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.TODAY_ENV, NIGHT)


def _html(at) -> str:
    return " ".join(h.proto.body for h in at.get("html") if not h.proto.body.lstrip().startswith("<style>"))


def test_route_page_now_at_night_says_no_one_is_out_yet(app_factory, sample_db_url: str, night) -> None:
    at = app_factory(sample_db_url, page="pages/routes.py", params={"rt_view": "now"})
    assert not at.exception, at.exception
    assert any("今天还没有人出勤" in i.value and "2026年11月18日" in i.value for i in at.info)
    table = at.dataframe[0].value
    states = set(table["状态"]) if "状态" in table else set(table.iloc[:, -1])
    assert states == {"2026年11月18日 最后位置"}
    fixes = set(table.iloc[:, 2])
    assert all(value.startswith("11-18") for value in fixes)


def test_wall_counts_today_only_at_night(app_factory, sample_db_url: str, night) -> None:
    at = app_factory(sample_db_url, page="pages/meeting.py", params={"slides": "map"})
    assert not at.exception, at.exception
    text = _html(at)
    assert "在岗 0 人" in text and "今天还没有人出勤" in text and "2026年11月18日 最后位置" in text
    at = app_factory(sample_db_url, page="pages/meeting.py", params={"slides": "anomalies"})
    assert not at.exception, at.exception
    assert any("今天还没有走访记录" in i.value and "2026年11月18日" in i.value for i in at.info)
    assert "走访异常" not in _html(at).replace("今日走访异常", "")


def test_wall_by_day_counts_who_is_out(app_factory, sample_db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # The same wall at 10:00 on the 19th counts the managers with a fix today.
    monkeypatch.setenv(clock.TODAY_ENV, "2026-11-19T10:00")
    at = app_factory(sample_db_url, page="pages/meeting.py", params={"slides": "map"})
    assert not at.exception, at.exception
    text = _html(at)
    assert "在岗 0 人" not in text and "今天还没有人出勤" not in text
