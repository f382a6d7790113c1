"""Overview page: KPI cards equal hand-worked numbers and an independent SQL computation."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import create_engine, text

from data_access.rules.calendar import count_working_days
from tests.chart_helpers import vega_rows, vega_spec


def _metrics(at) -> dict[str, object]:
    return {m.label: m for m in at.metric}


def _number(value: str) -> float:
    return float(re.sub(r"[^0-9.\-]", "", value.split(" ")[0]))


def test_tiny_county_cards_match_hand_worked_numbers(app_factory, tiny_db_url: str) -> None:
    at = app_factory(tiny_db_url, params={"period": "2026-11"})
    assert not at.exception
    cards = _metrics(at)
    # 550 cartons = 2.2 cases; ¥115,000 = 11.5 万元; 115,000 / 2.2 = 52,273 per case.
    assert cards["销量"].value == "2.2 箱"
    assert cards["销售额"].value == "11.5 万元"
    assert cards["单箱值"].value == "52,273 元/箱"
    # margin (115,000 - 88,000) / 115,000 = 23.5%
    assert cards["毛利率"].value == "23.5%"
    # plan 2.0 + 1.0 cases: 2.2 / 3.0 = 73.3%; time progress 3 of 21 working days = 14.3%
    assert cards["完成率"].value == "73.3%"
    assert cards["时间进度"].value == "14.3%"
    # YoY: the same dates last year (1–4 Nov 2025) start before the first day of data (3 Nov 2025),
    # so there is no YoY figure (one rule with the sales page), and the tooltip says why.
    assert not cards["销量"].delta
    assert "早于数据起始日" in cards["销量"].proto.help
    # 73.3% against 14.3%: +59.0 pp (from the rounded figures), ahead.
    assert cards["完成率"].delta == "+59.0 个百分点（较时间进度） · 超进度"


def test_tiny_county_department_filter(app_factory, tiny_db_url: str) -> None:
    at = app_factory(tiny_db_url, params={"period": "2026-11", "dept": "D1", "lang": "en"})
    cards = _metrics(at)
    # D1: 500 cartons = 2.0 cases for ¥90,000 → 45,000 per case; plan 2.0 → 100%.
    assert cards["Volume"].value == "2.0 cases"
    assert cards["Per-case value"].value == "45,000 yuan/case"
    assert cards["Plan completion"].value == "100.0%"


def test_future_and_empty_periods_say_so(app_factory, tiny_db_url: str) -> None:
    at = app_factory(tiny_db_url, params={"period": "2026-03"})
    assert not at.exception
    assert any("没有销售数据" in i.value for i in at.info)


def test_trend_chart_has_this_year_and_last_year(app_factory, tiny_db_url: str) -> None:
    at = app_factory(tiny_db_url, params={"period": "2026-11"})
    spec = vega_spec(at)
    assert spec["encoding"]["color"]["scale"]["domain"] == ["本年", "去年同期"]
    assert spec["encoding"]["y"]["title"] == "销量（箱）"
    rows = vega_rows(at)
    assert {row["series"] for row in rows} == {"本年", "去年同期"}
    # November 2026 so far: 2.2 cases; the same days of November 2025: 1.0 case.
    by_key = {(row["series"], row["month_label"]): row["cases"] for row in rows}
    assert by_key[("本年", "2026-11")] == pytest.approx(2.2)
    assert by_key[("去年同期", "2026-11")] == pytest.approx(1.0)


@pytest.mark.parametrize("dept", [None, "first"])
def test_sample_county_cards_equal_independent_sql(app_factory, sample_db_url: str, dept: str | None) -> None:
    engine = create_engine(sample_db_url)
    with engine.connect() as conn:
        last_day = dt.date.fromisoformat(str(conn.execute(text("SELECT MAX(order_date) FROM order_line")).scalar()))
        dept_row = conn.execute(text("SELECT id, code FROM department ORDER BY sort_order, code LIMIT 1")).one()
        start = last_day.replace(day=1)
        where_dept = " AND cm.department_id = :dept" if dept else ""
        params = {"start": start.isoformat(), "end": last_day.isoformat(), "dept": dept_row.id}
        cartons, amount, cost = conn.execute(
            text(
                "SELECT SUM(ol.cartons), SUM(ol.amount), SUM(ol.cost) FROM order_line ol "
                "JOIN retailer r ON r.id = ol.retailer_id JOIN customer_manager cm ON cm.id = r.manager_id "
                "WHERE ol.order_date BETWEEN :start AND :end" + where_dept
            ),
            params,
        ).one()
        plan = conn.execute(
            text("SELECT SUM(planned_cases) FROM department_plan WHERE month = :start"
                 + (" AND department_id = :dept" if dept else "")),
            params,
        ).scalar()
    url_params = {"period": f"{start:%Y-%m}"}
    if dept:
        url_params["dept"] = dept_row.code
    at = app_factory(sample_db_url, params=url_params)
    assert not at.exception
    cards = _metrics(at)
    assert _number(cards["销量"].value) == pytest.approx(cartons / 250, abs=0.05)
    assert _number(cards["单箱值"].value) == pytest.approx(amount / (cartons / 250), abs=0.5)
    assert _number(cards["毛利率"].value) == pytest.approx((amount - cost) / amount * 100, abs=0.05)
    assert _number(cards["完成率"].value) == pytest.approx(cartons / 250 / plan * 100, abs=0.05)
    progress = count_working_days(start, last_day) / count_working_days(start, (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1))
    assert _number(cards["时间进度"].value) == pytest.approx(progress * 100, abs=0.05)
    # Behind time progress reads red with a down arrow; ahead reads green with an up arrow.
    from streamlit.proto.Metric_pb2 import Metric

    card = cards["完成率"].proto
    behind = cartons / 250 / plan < progress
    assert card.color == (Metric.MetricColor.RED if behind else Metric.MetricColor.GREEN)
    assert card.direction == (Metric.MetricDirection.DOWN if behind else Metric.MetricDirection.UP)
    assert ("落后进度" if behind else "超进度") in card.delta


def test_department_table_completion_against_time_progress(app_factory, tiny_db_url: str) -> None:
    at = app_factory(tiny_db_url, params={"period": "2026-11"})
    table = at.dataframe[0].value
    rows = {row["服务部"]: row for row in table.to_dict("records")}
    # D1: 2.0 of 2.0 cases = 100%; D2: 50 cartons = 0.2 of 1.0 case = 20%, short 0.8 case.
    assert rows["城区服务部"]["完成率"] == pytest.approx(100.0)
    assert rows["乡镇服务部"]["完成率"] == pytest.approx(20.0)
    assert rows["乡镇服务部"]["距计划差（箱）"] == pytest.approx(0.8)
    # time progress is 3/21 = 14.3%: both are ahead, by +85.7 and +5.7 points
    assert rows["城区服务部"]["较时间进度（个百分点）"] == pytest.approx(85.7)
    assert rows["乡镇服务部"]["较时间进度（个百分点）"] == pytest.approx(5.7)
    assert {row["进度"] for row in rows.values()} == {"超进度"}
