"""Meeting mode page (AppTest) on the hand-built tiny county, with the clock injected."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from data_access import meeting_slides
from data_access.db import get_engine
from data_access.meeting_slides import snapshot_payload
from data_access.queries import meeting
from tests.chart_helpers import vega_rows, vega_spec

PAGE = "pages/meeting.py"
T0 = dt.datetime(2026, 11, 20, 9, 0).timestamp()  # the meeting starts at 09:00 on 20 Nov 2026


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> dict[str, float]:
    now = {"t": T0}
    monkeypatch.setattr(meeting_slides, "wall_clock", lambda: now["t"])
    return now


def _html(at: AppTest) -> str:
    return " ".join(h.proto.body for h in at.get("html") if not h.proto.body.lstrip().startswith("<style>"))


def _title(at: AppTest) -> str:
    body = next(h.proto.body for h in at.get("html") if "meeting-title" in h.proto.body)
    return body.split('class="meeting-title">')[1].split("<")[0]


def test_kpi_slide_shows_the_headline_figures(app_factory: Callable[..., AppTest], tiny_db_url: str, clock) -> None:
    at = app_factory(tiny_db_url, page=PAGE, params={"period": "2026-11"})
    assert not at.exception, [e.value for e in at.exception]
    text = _html(at)
    assert _title(at) == "核心指标与计划进度"
    assert "1 / 6" in text and "截至 09:00:00" in text and "数据截至 2026年11月4日" in text
    # 2.2 cases, 115,000 yuan, 52,273 yuan/case, completion 2.2/3 = 73.3 % vs time 3/21 = 14.3 %.
    for figure in ("2.2 箱", "11.5 万元", "52,273 元/箱", "73.3%", "14.3%", "23.5%", "同比 +120.0%", "超时间进度 59.0 个百分点"):
        assert figure in text, figure
    assert "还没有上次会议的快照" in text
    # Sidebar and toolbar are hidden for the wall.
    css = next(h.proto.body for h in at.get("html") if "<style>" in h.proto.body)
    assert '[data-testid="stSidebar"]' in css and "display: none" in css


def test_slides_rotate_with_the_clock_and_obey_the_controls(
    app_factory: Callable[..., AppTest], tiny_db_url: str, clock
) -> None:
    at = app_factory(tiny_db_url, page=PAGE, params={"period": "2026-11", "slides": "daily,kpi", "interval": "30"})
    assert not at.exception
    assert _title(at) == "本月逐日销量与去年同期"
    spec = vega_spec(at)
    values = vega_rows(at)
    this_month = [v["cases"] for v in values if v["series"] == "本月"]
    assert this_month == [0.0, 1.0, 1.0, 0.2]
    assert "本月累计 2.2 箱，去年同期 1.0 箱（+120.0%）" in _html(at)
    assert spec["config"]["axis"]["labelFontSize"] >= 28  # projector type: twice the normal size

    clock["t"] = T0 + 29
    at.run()
    assert _title(at) == "本月逐日销量与去年同期"
    clock["t"] = T0 + 31
    at.run()
    assert _title(at) == "核心指标与计划进度" and "2 / 2" in _html(at)
    clock["t"] = T0 + 61
    at.run()
    assert _title(at) == "本月逐日销量与去年同期"

    at.button(key="mt_toggle").click().run()  # pause on the daily slide
    assert at.query_params["mt_paused"] == "1" and at.query_params["mt_slide"] == "daily"
    clock["t"] = T0 + 500
    at.run()
    assert _title(at) == "本月逐日销量与去年同期" and "已暂停" in _html(at)
    at.button(key="mt_next").click().run()
    assert _title(at) == "核心指标与计划进度"
    at.button(key="mt_prev").click().run()
    assert _title(at) == "本月逐日销量与去年同期"


def test_since_last_meeting_on_the_kpi_slide(
    app_factory: Callable[..., AppTest], tiny_db_url: str, clock, tmp_path
) -> None:
    from tests.factories import build_tiny_county

    url = f"sqlite:///{tmp_path / 'since.sqlite'}"
    build_tiny_county(get_engine(url))
    kpis = {"volume_cases": 1.2, "amount": 65_000.0, "per_case_value": 50_000.0, "plan_completion": 0.4,
            "time_progress": 0.05, "gross_margin": 0.25}
    with Session(get_engine(url)) as session:
        meeting.save_snapshot(
            session=session, payload=snapshot_payload(period="2026-11", data_end=dt.date(2026, 11, 2), kpis=kpis),
            taken_at=dt.datetime(2026, 11, 3, 9, 0), title="11月第一次调度会",
        )
        # Taken today at this meeting: the baseline of the next meeting, not of this one.
        meeting.save_snapshot(
            session=session, payload=snapshot_payload(period="2026-11", data_end=dt.date(2026, 11, 4), kpis={}),
            taken_at=dt.datetime(2026, 11, 20, 8, 55), title="today",
        )
        session.commit()
    at = app_factory(url, page=PAGE, params={"period": "2026-11", "slides": "kpi"})
    assert not at.exception
    text = _html(at)
    # 2.2 − 1.2 cases; 115,000 − 65,000 yuan; 73.3 % − 40 % completion; 23.5 % − 25 % margin.
    for change in ("较上次会议 +1.0 箱", "较上次会议 +50,000 元", "较上次会议 +2,273 元/箱",
                   "较上次会议 +33.3 个百分点", "较上次会议 -1.5 个百分点"):
        assert change in text, change
    assert "对比：11月第一次调度会（2026-11-03 09:00）" in text


def test_bad_url_values_and_english(app_factory: Callable[..., AppTest], tiny_db_url: str, clock) -> None:
    at = app_factory(tiny_db_url, page=PAGE, params={"period": "2026-11", "slides": "kpi,bogus", "interval": "soon",
                                                     "lang": "en"})
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "bogus" in warnings and "soon" in warnings
    assert _title(at) == "Headline KPIs against plan and time" and "1 / 1" in _html(at)
    assert "Next in 20 s" in _html(at)
