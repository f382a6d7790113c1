"""Meeting mode page (AppTest) on the hand-built tiny county, with the clock injected."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable

import pytest
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from data_access.db import get_engine
from data_access.queries import meeting
from data_access.rules import meeting_slides
from data_access.rules.meeting_slides import snapshot_payload
from tests.actors import ADMIN, person
from tests.chart_helpers import deck_json, vega_rows, vega_spec

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
    return html.unescape(body.split('class="meeting-title">')[1].split("<")[0])


def test_kpi_slide_shows_the_headline_figures(app_factory: Callable[..., AppTest], tiny_db_url: str, clock) -> None:
    at = app_factory(tiny_db_url, page=PAGE, params={"period": "2026-11"})
    assert not at.exception, [e.value for e in at.exception]
    text = _html(at)
    assert _title(at) == "核心指标与计划进度"
    assert "1 / 6" in text and "截至 09:00:00" in text and "数据截至 2026年11月4日" in text
    # 2.2 cases, 115,000 yuan, 52,273 yuan/case, completion 2.2/3 = 73.3 % vs time 3/21 = 14.3 %.
    for figure in ("销量 · 箱", "2.2<", "销售额 · 万元", ">11.5<", "单箱值 · 元/箱", "52,273<", "73.3%", "14.3%", "23.5%", "超时间进度 59.0 个百分点"):
        assert figure in text, figure
    assert "还没有上次会议的快照" in text
    # Last year's 1–4 Nov starts before the first day of data (3 Nov 2025): no YoY, as on the overview.
    assert "同比 —" in text and "同比 +120.0%" not in text
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
    # Last year's same weekdays (2–5 Nov 2025) start before the first day of data (3 Nov 2025): no growth.
    assert "本月累计 2.2 箱，去年同星期 1.0 箱（—）" in _html(at)
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
            taken_at=dt.datetime(2026, 11, 3, 9, 0), actor=ADMIN, title="11月第一次调度会",
        )
        # Taken today at this meeting: the baseline of the next meeting, not of this one.
        meeting.save_snapshot(
            session=session, payload=snapshot_payload(period="2026-11", data_end=dt.date(2026, 11, 4), kpis={}),
            taken_at=dt.datetime(2026, 11, 20, 8, 55), actor=ADMIN, title="today",
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


def _terminal_rows(at: AppTest) -> list[list[str]]:
    body = next(h.proto.body for h in at.get("html") if "meeting-table" in h.proto.body)
    rows = body.split("<tbody>")[1].split("</tr>")[:-1]
    return [[html.unescape(cell.split(">", 1)[1].split("</td>")[0].split("</span> ")[-1])
             for cell in row.split("<td")[1:]] for row in rows]


def test_terminal_slide_ranks_changes_and_a_snapshot_saved_from_the_form(
    app_factory: Callable[..., AppTest], clock, tmp_path
) -> None:
    # The hand-built terminal county of test_terminal_queries (October 2026, scores worked on
    # paper): top groups T1 (supermarkets, 86.4) and T6 (convenience, 82.0); bottom groups
    # T5 (convenience, 38.5, was 1st in September) and T3 (supermarkets, 54.2, was 2nd).
    from tests.test_terminal_queries import build_terminal_county

    url = f"sqlite:///{tmp_path / 'terminals.sqlite'}"
    build_terminal_county(get_engine(url))
    clock["t"] = dt.datetime(2026, 10, 13, 9, 0).timestamp()
    at = app_factory(url, page=PAGE, params={"period": "2026-10", "slides": "terminals"}, actor=person("办公室"))
    assert not at.exception, [e.value for e in at.exception]
    assert _title(at) == "现代终端：前列与后列"
    # group, shop, format, manager, rank, vs last month, since last meeting, score
    assert _terminal_rows(at) == [
        ["前列", "T1号店", "超市", "张伟", "1", "＝", "—", "86.4"],
        ["前列", "T6号店", "便利店", "李娜", "1", "＝", "—", "82.0"],
        ["后列", "T5号店", "便利店", "李娜", "2", "↓1", "—", "38.5"],
        ["后列", "T3号店", "超市", "张伟", "3", "↓1", "—", "54.2"],
    ]
    assert "还没有上次会议的快照" in _html(at)

    # Save a snapshot through the form, as the meeting's secretary would.
    at.text_input[0].input("10月调度会")
    next(b for b in at.button if b.label == "保存当前指标与排名").click().run()
    assert not at.exception, [e.value for e in at.exception]
    with Session(get_engine(url)) as session:
        saved = meeting.previous_snapshot(session=session, before=dt.datetime(2026, 10, 14), snapshot_id=None)
    assert saved["title"] == "10月调度会" and saved["taken_by"] == "办公室"  # the signed-in user
    ranks = {row["shop_name"]: (row["business_format"], row["rank"]) for row in saved["payload"]["terminals"]}
    assert ranks == {"T1号店": ("supermarket", 1), "T2号店": ("supermarket", 2), "T3号店": ("supermarket", 3),
                     "T5号店": ("convenience", 2), "T6号店": ("convenience", 1)}  # every ranked terminal

    # A snapshot of an earlier meeting (yesterday) where T3 stood 1st: now 3rd, it shows two
    # places down; today's snapshot is the next meeting's baseline, not this one's.
    payload = saved["payload"]
    for row in payload["terminals"]:
        if row["shop_name"] == "T3号店":
            row["rank"] = 1
    with Session(get_engine(url)) as session:
        meeting.save_snapshot(session=session, payload=payload, taken_at=dt.datetime(2026, 10, 12, 9, 0),
                              actor=ADMIN, title="上次调度会")
        session.commit()
    at = app_factory(url, page=PAGE, params={"period": "2026-10", "slides": "terminals"})
    rows = {row[1]: row for row in _terminal_rows(at)}
    assert rows["T3号店"][6] == "↓2" and rows["T1号店"][6] == "＝"
    assert "对比：上次调度会（2026-10-12 09:00）" in _html(at)


def test_bad_url_values_and_english(app_factory: Callable[..., AppTest], tiny_db_url: str, clock) -> None:
    at = app_factory(tiny_db_url, page=PAGE, params={"period": "2026-11", "slides": "kpi,bogus", "interval": "soon",
                                                     "lang": "en"})
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "bogus" in warnings and "soon" in warnings
    assert _title(at) == "Headline KPIs against plan and time" and "1 / 1" in _html(at)
    assert "Next in 20 s" in _html(at)


def test_rows_written_by_the_live_feed_show_on_the_next_refresh(
    app_factory: Callable[..., AppTest], clock, tmp_path
) -> None:
    from data_access.cache import refresh_versions
    from sample_data import live
    from tests.meeting_factory import TODAY, build_field_day

    url = f"sqlite:///{tmp_path / 'wall.sqlite'}"
    build_field_day(url)
    clock["t"] = dt.datetime.combine(TODAY, dt.time(9, 10, 30)).timestamp()
    at = app_factory(url, page=PAGE, params={"period": "2026-11", "slides": "map,anomalies", "interval": "10"})
    assert not at.exception
    assert "位置截至 11-19 10:40" in _html(at)  # yesterday's last fix: nobody is out yet today
    managers = next(layer for layer in deck_json(at)["layers"] if layer["id"] == "managers")["data"]
    assert "11-19 10:40" in managers[0]["tooltip"]

    live.run(url=url, day=TODAY, start=dt.time(9, 10), once=True, log=lambda _: None)
    refresh_versions()  # the app re-reads data versions every 2 s, well inside one refresh
    at.run()
    text = _html(at)
    assert "位置截至 11-20 09:05" in text and "在岗 1 人 · 正在走访 1 人" in text
    assert "乡镇分区为示意范围" in text  # the sample's township areas are said to be approximate
    managers = next(layer for layer in deck_json(at)["layers"] if layer["id"] == "managers")["data"]
    assert "正在走访：东城食杂店" in managers[0]["tooltip"]
    # Numbers on the map, names in the list beside it (names overlapped in the urban core).
    numbers = next(layer for layer in deck_json(at)["layers"] if layer["id"] == "manager-numbers")["data"]
    assert [n["label"] for n in numbers] == [str(i) for i in range(1, len(managers) + 1)]
    assert "正在走访：东城食杂店" in text and "09:05" in text

    # The anomalies slide judges today as a running day: the visit in progress is no anomaly.
    clock["t"] += 10
    at.run()
    assert _title(at) == "今日走访异常"
    assert any("今天没有走访异常" in s.value for s in at.success)


def test_every_slide_renders_on_the_sample_county(
    app_factory: Callable[..., AppTest], sample_db_url: str, clock
) -> None:
    at = app_factory(sample_db_url, page=PAGE, params={"interval": "10", "lang": "en"})
    seen = []
    for step in range(len(meeting_slides.SLIDES)):
        clock["t"] = T0 + 10 * step
        if step:
            at.run()
        assert not at.exception, [e.value for e in at.exception]
        seen.append(_title(at))
        assert "As of" in _html(at)
        assert not [i.value for i in at.info if "not available" in i.value]
    assert seen == ["Headline KPIs against plan and time", "This month's daily sales against last year",
                    "Department leaderboard", "Modern terminals: top and bottom", "Customer managers now",
                    "Today's visit anomalies"]
