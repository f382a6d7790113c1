"""AppTest of the sales trends page: widgets drive the chart specs, KPIs and tables.

Numbers come from the hand-built county of tests/test_sales_factory.py (data to 16 Nov 2026).
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from tests.downloads import capture_downloads
from tests.test_sales_factory import make_sales_db

PAGE = "pages/sales.py"


@pytest.fixture(scope="module")
def sales_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return make_sales_db(tmp_path_factory.mktemp("sales_page"))


@pytest.fixture
def open_page(app_factory: Callable[..., AppTest], sales_url: str) -> Callable[..., AppTest]:
    def _open(**params: str) -> AppTest:
        at = app_factory(sales_url, page=PAGE, params={"period": "2026-11", **params})
        assert not at.exception, at.exception[0].value if at.exception else ""
        return at

    return _open


def chart_data(at: AppTest, index: int) -> pd.DataFrame:
    """The first dataset of the ``index``-th Vega-Lite chart, as the browser receives it."""
    chart = at.get("vega_lite_chart")[index]
    return pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_all().to_pandas()


def chart_spec(at: AppTest, index: int) -> dict:
    return json.loads(at.get("vega_lite_chart")[index].proto.spec)


def nonzero(values: dict[str, float]) -> dict[str, float]:
    return {k: v for k, v in values.items() if v}


def metric_values(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def test_default_view_volume_trend_and_department_table(open_page: Callable[..., AppTest]) -> None:
    at = open_page()
    kpis = metric_values(at)
    assert kpis["销量（本期）"] == ("3.5 箱", "+191.7%")
    assert kpis["销量（去年同期）"][0] == "1.2 箱"
    assert kpis["环比"][0] == "+600.0%"  # 1–16 Oct: 125 cartons
    assert any("未完结" in c.value for c in at.caption)
    trend = chart_data(at, 0)
    this_year = trend[trend["series"] == "本年"].set_index("date")["value"].to_dict()
    assert len(this_year) == 16 and this_year["2026-11-06"] == 0.0  # every day to the 16th; no sales is 0
    assert nonzero(this_year) == {"2026-11-02": 1.0, "2026-11-03": 1.0, "2026-11-04": 0.2, "2026-11-05": 1.2,
                         "2026-11-16": 0.1}
    last_year = trend[trend["series"] == "去年同期"].set_index("date")["value"].to_dict()
    # Day grain aligns by weekday by default: Mon 3 Nov 2025 (50 cartons = 0.2) lies under Mon 2 Nov 2026,
    # Tue 4 Nov 2025 (250 = 1.0) under Tue 3 Nov 2026 (364 days later), not under the same dates.
    assert nonzero(last_year) == {"2026-11-02": 0.2, "2026-11-03": 1.0}
    assert "按星期对齐" in chart_spec(at, 0)["title"]
    line = chart_spec(at, 0)["layer"][0]["encoding"]
    assert line["y"]["axis"]["format"] == ",.1~f"  # ticks read 140, not 140.0
    assert line["tooltip"][-1]["format"] == ",.1f"
    table = at.dataframe[0].value
    assert list(table["服务部"]) == ["城区服务部", "乡镇服务部"]
    assert list(table["销量（箱）"]) == [2.1, 1.4]
    assert list(table["销售额（元）"]) == [127_500.0, 65_000.0]
    assert list(table["销量占比"]) == [60.0, 40.0]  # percent values, shown "60.0%"
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["导出 Excel", "导出 CSV"]


def test_exports_are_built_on_click_and_hold_the_table(open_page: Callable[..., AppTest],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    import components.export

    built: list[str] = []
    for name in ("to_excel_bytes", "to_csv_bytes"):
        real = getattr(components.export, name)
        monkeypatch.setattr(components.export, name,
                            lambda *a, _real=real, _name=name, **k: built.append(_name) or _real(*a, **k))
    files = capture_downloads(monkeypatch)
    open_page()
    assert built == []  # nothing is written while the page runs (issue 14): only a click builds a file
    excel = next(build for name, build in files.items() if name.endswith(".xlsx"))()
    csv = next(build for name, build in files.items() if name.endswith(".csv"))()
    assert built == ["to_excel_bytes", "to_csv_bytes"]
    book = pd.read_excel(io.BytesIO(excel), header=2)
    assert dict(zip(book["服务部"], book["销售额（元）"], strict=True)) == {"城区服务部": 127_500.0, "乡镇服务部": 65_000.0}
    assert csv.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the Chinese headers
    table = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig")
    assert list(table["销量（箱）"]) == [2.1, 1.4]


def test_metric_selector_changes_kpis_chart_and_ranking(open_page: Callable[..., AppTest]) -> None:
    at = open_page()
    at.selectbox(key="s_metric").set_value("per_case_value").run()
    assert metric_values(at)["单箱值（本期）"][0] == "55,000 元/箱"
    assert at.query_params["s_metric"] == ["per_case_value"] or at.query_params["s_metric"] == "per_case_value"
    spec = chart_spec(at, 0)
    assert spec["layer"][0]["encoding"]["y"]["title"] == "单箱值（元/箱）"
    bars = chart_data(at, 1).set_index("label")["value"]
    assert bars["城区服务部"] == pytest.approx(127_500 / 2.1, rel=1e-4)
    assert bars["乡镇服务部"] == pytest.approx(65_000 / 1.4, rel=1e-4)
    at.selectbox(key="s_metric").set_value("gross_margin").run()
    assert metric_values(at)["毛利率（本期）"] == ("22.1%", "-2.9 个百分点")  # 2025: 12,500/50,000 = 25%


def test_grain_selector_rebuckets_the_trend(open_page: Callable[..., AppTest]) -> None:
    at = open_page()
    at.segmented_control(key="s_grain").set_value("week").run()
    weekly = chart_data(at, 0)
    assert weekly[weekly["series"] == "本年"].set_index("date")["value"].to_dict() == {
        "2026-11-02": 3.4, "2026-11-09": 0.0, "2026-11-16": 0.1}  # weeks start on Monday; 1 Nov's week is cut
    at.segmented_control(key="s_grain").set_value("month").run()
    monthly = chart_data(at, 0)
    row = monthly[monthly["series"] == "本年"].iloc[0]
    assert (row["date"], row["value"], row["label"]) == ("2026-11-01", 3.5, "2026-11 *")  # partial month labelled
    assert any("未完结（截至 2026年11月16日）" in c.value for c in at.caption)


def test_breakdown_selector_and_table_values(open_page: Callable[..., AppTest]) -> None:
    at = open_page()
    at.segmented_control(key="s_dim").set_value("format").run()
    table = at.dataframe[0].value.set_index("经营业态")
    assert table.loc["食杂店", "销量（箱）"] == 1.0
    assert table.loc["超市", "销售额（元）"] == 62_500.0
    assert table.loc["烟酒商店", "销量（箱）"] == 1.2
    assert table.loc["便利店", "销量同比"] == pytest.approx(100 * (50 / 250 - 1))  # percent values, "-80.0%"
    assert at.query_params["s_dim"] in ("format", ["format"])
    at.segmented_control(key="s_dim").set_value("price_class").run()
    bars = chart_data(at, 1).set_index("label")["value"].to_dict()
    assert bars == {"一类": 0.7, "二类": 0.2, "三类": 1.0, "四类": 1.6}


def test_spring_festival_alignment_switch(open_page: Callable[..., AppTest]) -> None:
    at = open_page(s_from="2026-02-07", s_to="2026-02-17")  # the ten days before the festival, and the day
    assert metric_values(at)["同比"][0] == "+400.0%"  # calendar: 7–16 Feb 2025, after that festival
    at.segmented_control(key="s_align").set_value("festival").run()
    assert metric_values(at)["同比"][0] == "+25.0%"  # 19–28 Jan 2025, the ten days before that festival
    assert "按春节对齐" in chart_spec(at, 0)["title"]
    assert at.query_params["s_align"] in ("festival", ["festival"])
    trend = chart_data(at, 0)
    assert nonzero(trend[trend["series"] == "去年同期"].set_index("date")["value"].to_dict()) == {"2026-02-08": 1.6}
    festival_rule = chart_spec(at, 0)["layer"][1]
    assert festival_rule["mark"]["type"] == "rule"


def test_plan_view_bullets_and_shortfall(open_page: Callable[..., AppTest]) -> None:
    at = open_page(s_view="plan")
    bullets = chart_data(at, 1).set_index("label")
    assert bullets.loc["城区服务部", "completion"] == pytest.approx(0.7)
    assert bullets.loc["城区服务部", "time_progress"] == pytest.approx(11 / 21)
    table = at.dataframe[0].value
    rows = table.set_index(table.columns[0])
    assert rows.loc["城区服务部", "距计划差（箱）"] == pytest.approx(0.9)
    assert rows.loc["乡镇服务部", "进度状态"] == "超进度"
    assert rows.loc["七匹狼", "完成率"] == pytest.approx(100 * 1.7 / 2.0)


def test_structure_movers_and_forecast_views(open_page: Callable[..., AppTest]) -> None:
    at = open_page(s_view="structure")
    kpis = metric_values(at)
    assert kpis["一二类烟占比"][0] == "25.7%"
    assert kpis["重点品牌占比"][0] == "48.6%"
    assert kpis["省内烟占比"][0] == "54.3%"
    at = open_page(s_view="movers")
    moves = chart_data(at, 1).set_index("label")["change_cases"].to_dict()
    assert moves == {"七匹狼": 1.5, "双喜": 0.8}
    rises = at.dataframe[0].value
    assert list(rises["零售户"]) == ["龙门烟酒行", "万家超市", "东城食杂店"]
    assert list(rises["增减（箱）"]) == [1.2, 1.1, 0.8]
    assert list(at.dataframe[1].value["零售户"]) == ["雁石便利店"]
    at = open_page(s_view="forecast")
    table = at.dataframe[0].value.set_index(["月份", "品牌"])
    assert table.loc[("2026-11", "双喜"), "预测准确率"] == pytest.approx(100 * (1 - 0.2 / 1.8), abs=0.05)
    assert metric_values(at)["平均预测准确率"][0] == "81.2%"  # 七匹狼 over the 12 months shown: Oct 80%, Nov 82.35%


def test_brand_drill_down_from_url_filters_the_page(open_page: Callable[..., AppTest]) -> None:
    at = open_page(s_brand="双喜")
    assert metric_values(at)["销量（本期）"][0] == "1.8 箱"
    assert any(b.label == "取消品牌筛选：双喜" for b in at.button)
    next(b for b in at.button if b.label == "取消品牌筛选：双喜").click().run()
    assert metric_values(at)["销量（本期）"][0] == "3.5 箱"
    assert "s_brand" not in at.query_params


def test_department_filter_and_english(open_page: Callable[..., AppTest]) -> None:
    at = open_page(dept="D2", lang="en")
    kpis = metric_values(at)
    assert kpis["Volume (this range)"] == ("1.4 cases", "+40.0%")
    table = at.dataframe[0].value
    assert list(table["Department"]) == ["Towns"]
    assert [b.proto.label for b in at.get("download_button")] == ["Export Excel", "Export CSV"]


def test_future_empty_and_bad_url_values(open_page: Callable[..., AppTest]) -> None:
    at = open_page(s_from="2027-01-01", s_to="2027-01-31")
    assert "数据截止日" in at.info[0].value
    assert not at.get("vega_lite_chart")
    at = open_page(s_from="2024-03-01", s_to="2024-03-31")
    assert at.info[0].value == "所选日期范围内没有销售数据。"
    at = open_page(s_metric="bogus", s_from="not-a-date")
    assert len(at.warning) == 2
    assert metric_values(at)["销量（本期）"][0] == "3.5 箱"


def test_every_view_on_the_generated_county(app_factory: Callable[..., AppTest], sample_db_url: str) -> None:
    # November: its year-ago base lies wholly in the county's data (October 2025 starts before it).
    for view in ("breakdown", "structure", "plan", "movers", "forecast"):
        at = app_factory(sample_db_url, page=PAGE, params={"period": "2026-11", "s_view": view, "s_grain": "week"})
        assert not at.exception, (view, at.exception[0].value if at.exception else "")
        assert at.get("vega_lite_chart"), view
        assert not at.info or view == "forecast", [i.value for i in at.info]


def test_per_case_value_charts_show_the_differences(open_page: Callable[..., AppTest]) -> None:
    # Per-case value is a ratio: an axis from 0 made 85.6 and 88.8 look the same (issue 15).
    # Volume keeps its zero baseline; per-case value's line spans the values and the ranking
    # is drawn as dots on an axis that spans them (a bar would have to start at 0).
    volume = chart_spec(open_page(), 0)["layer"][0]["encoding"]["y"]
    assert volume.get("scale", {}).get("zero", True) is True
    at = open_page(s_metric="per_case_value")
    line = chart_spec(at, 0)["layer"][0]["encoding"]["y"]
    assert line["scale"]["zero"] is False
    ranking = chart_spec(at, 1)["layer"][0]
    assert ranking["mark"]["type"] == "circle" and ranking["encoding"]["x"]["scale"]["zero"] is False
