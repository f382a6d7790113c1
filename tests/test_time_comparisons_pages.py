"""Every comparison the overview and the sales page show, against figures worked on paper.

The hand-built county of tests/test_sales_factory.py (data 2 Dec 2024 – 16 Nov 2026). November
2026 is a running month (1–16), so YoY compares 1–16 Nov 2025 and PoP 1–16 Oct 2026:

                cartons  amount   cost     cases  per-case value  margin
  Nov 2026 1–16   875   192,500  150,000   3.5    55,000          22.08 %
  Nov 2025 1–16   300    50,000   37,500   1.2    41,666.67       25.00 %
  Oct 2026 1–16   125    25,000   20,000   0.5    50,000          20.00 %

  volume  YoY 875/300 − 1 = +191.7 %     PoP 875/125 − 1 = +600.0 %
  amount  YoY 192,500/50,000 − 1 = +285.0 %   PoP 192,500/25,000 − 1 = +670.0 %
  per-case YoY 55,000/41,666.67 − 1 = +32.0 %   PoP 55,000/50,000 − 1 = +10.0 %
  margin  YoY 22.08 − 25.00 = −2.9 pp     PoP 22.08 − 20.00 = +2.1 pp
  Departments, amount YoY: D1 127,500/25,000 − 1 = +410 %, D2 65,000/25,000 − 1 = +160 %;
               volume YoY: D1 525/50 − 1 = +950 %,  D2 350/250 − 1 = +40 %.
Swapping numerator and denominator of any of these changes the figure, so each test fails.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_sales_factory import make_sales_db


@pytest.fixture(scope="module")
def sales_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return make_sales_db(tmp_path_factory.mktemp("time_comparisons"))


def _cards(at: AppTest) -> dict[str, object]:
    assert not at.exception, at.exception[0].value if at.exception else ""
    return {m.label: m for m in at.metric}


def test_overview_card_deltas_and_pop(app_factory: Callable[..., AppTest], sales_url: str) -> None:
    cards = _cards(app_factory(sales_url, params={"period": "2026-11"}))
    assert cards["销量"].value == "3.5 箱" and cards["销量"].delta == "+191.7%"
    assert cards["销售额"].delta == "+285.0%"
    assert cards["单箱值"].delta == "+32.0%"
    assert cards["毛利率"].delta == "-2.9 个百分点"
    volume_help, amount_help = cards["销量"].proto.help, cards["销售额"].proto.help
    assert "环比 +600.0%" in volume_help
    assert "环比 +670.0%" in amount_help
    assert "环比 +10.0%" in cards["单箱值"].proto.help
    # A running month: PoP on the same elapsed days, and the page says which.
    assert "相同天数 2026年10月1日 至 2026年10月16日" in volume_help
    assert "2025年11月1日 至 2025年11月16日" in volume_help
    # 3.5 of 5.0 planned cases = 70.0 %; 11 of 21 working days = 52.4 % → +17.6 pp, ahead.
    assert cards["完成率"].value == "70.0%"
    assert cards["完成率"].delta == "+17.6 个百分点（较时间进度） · 超进度"


@pytest.mark.parametrize(("metric", "label", "yoy", "pop"), [
    ("volume", "销量（本期）", "+191.7%", "+600.0%"),
    ("amount", "销售额（本期）", "+285.0%", "+670.0%"),
    ("per_case_value", "单箱值（本期）", "+32.0%", "+10.0%"),
    ("gross_margin", "毛利率（本期）", "-2.9 个百分点", "+2.1 个百分点"),
])
def test_sales_page_yoy_and_pop_of_every_headline_metric(app_factory, sales_url, metric, label, yoy, pop) -> None:
    at = app_factory(sales_url, page="pages/sales.py", params={"period": "2026-11", "s_metric": metric})
    cards = _cards(at)
    assert cards[label].delta == yoy
    assert cards["同比"].value == yoy
    assert cards["环比"].value == pop
    assert "相同天数 2026年10月1日 至 2026年10月16日" in cards["环比"].proto.help


def test_breakdown_growth_columns(app_factory: Callable[..., AppTest], sales_url: str) -> None:
    at = app_factory(sales_url, page="pages/sales.py", params={"period": "2026-11"})
    table = at.dataframe[0].value.set_index("服务部")
    assert table.loc["城区服务部", "销售额同比"] == pytest.approx(410.0)  # percent values
    assert table.loc["乡镇服务部", "销售额同比"] == pytest.approx(160.0)
    assert table.loc["城区服务部", "销量同比"] == pytest.approx(950.0)
    assert table.loc["乡镇服务部", "销量同比"] == pytest.approx(40.0)


def test_complete_month_pop_compares_the_whole_previous_month(app_factory, sales_url) -> None:
    """November 2025 is complete: its PoP base is all of October 2025 (no sales → "—"), stated."""
    at = app_factory(sales_url, page="pages/sales.py", params={"period": "2025-11"})
    pop = _cards(at)["环比"]
    assert "已完结" in pop.proto.help and "2025年10月1日 至 2025年10月31日" in pop.proto.help


def test_weekday_alignment_is_the_day_grain_default_and_calendar_stays_selectable(app_factory, sales_url) -> None:
    at = app_factory(sales_url, page="pages/sales.py", params={"period": "2026-11"})
    assert at.segmented_control(key="s_align").value == "weekday"
    assert any("按星期对齐" in c.value for c in at.caption)
    at.segmented_control(key="s_align").set_value("calendar").run()
    from tests.test_sales_page import chart_data, nonzero

    trend = chart_data(at, 0)
    last_year = trend[trend["series"] == "去年同期"].set_index("date")["value"].to_dict()
    assert nonzero(last_year) == {"2026-11-03": 0.2, "2026-11-04": 1.0}  # same dates, a weekday later
    assert at.query_params["s_align"] in ("calendar", ["calendar"])
    # Week grain defaults to calendar; a link with an explicit alignment keeps it.
    at = app_factory(sales_url, page="pages/sales.py", params={"period": "2026-11", "s_grain": "week"})
    assert at.segmented_control(key="s_align").value == "calendar"
    at = app_factory(sales_url, page="pages/sales.py",
                     params={"period": "2026-11", "s_grain": "week", "s_align": "weekday"})
    assert at.segmented_control(key="s_align").value == "weekday"


def test_movers_follow_the_coverage_rule(app_factory, sales_url) -> None:
    """Movers compare with last year: where last year is not in the data there are no movers, and the page says why."""
    uncovered = app_factory(sales_url, page="pages/sales.py", params={"period": "2025-11", "s_view": "movers"})
    assert not uncovered.exception, uncovered.exception
    assert any("2025年11月" not in info.value and "2024年11月1日" in info.value for info in uncovered.info), \
        [info.value for info in uncovered.info]
    assert len(uncovered.dataframe) == 0  # no retailer tables against a stub of last year
    covered = app_factory(sales_url, page="pages/sales.py", params={"period": "2026-11", "s_view": "movers"})
    assert len(covered.dataframe) >= 2  # rising and falling retailers
