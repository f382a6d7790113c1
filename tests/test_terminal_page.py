"""The terminal rankings page driven through AppTest on the hand-built county.

Expected numbers are the hand-worked ones of ``tests/test_terminal_queries.py``. The
county's sales end on 2026-10-12, so the page opens on October 2026.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable

import pandas as pd
import pytest
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from data_access.config import get_setting
from data_access.db import get_engine
from tests.actors import ADMIN
from tests.chart_helpers import vega_rows, vega_spec
from tests.downloads import capture_downloads
from tests.test_terminal_queries import build_terminal_county

PAGE = "pages/terminals.py"


@pytest.fixture(scope="module")
def terminal_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('terminal_page') / 'terminals.sqlite'}"
    build_terminal_county(get_engine(url))
    return url


def ranking(at: AppTest) -> pd.DataFrame:
    return at.dataframe[0].value


def no_errors(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def test_october_ranking_of_supermarkets(app_factory: Callable[..., AppTest], terminal_db_url: str) -> None:
    at = app_factory(terminal_db_url, page=PAGE)
    no_errors(at)
    table = ranking(at)
    assert table["shop"].tolist() == ["T1号店", "T2号店", "T3号店"]
    assert table["composite"].tolist() == [86.4, 81.2, 54.2]
    assert table["display"].tolist() == [80, 90, 80]
    assert table["display_points"].tolist() == [80, 90, 80]  # total of the rubric parts (100-point rubric)
    assert table["part_visibility"].tolist() == [18, 20, 16]
    assert table["pos"].tolist() == [90, 100, 0]
    assert table["pos_flag"].tolist() == ["正常", "正常", "无数据·计0%"]
    assert table["change"].tolist() == ["–", "↑1", "↓1"]
    assert table["group"].tolist() == ["▲ 前列", "", "▼ 后列"]
    assert table["manager"].tolist() == ["张伟"] * 3
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["参与排名终端"] == "3"
    assert metrics["本月未检查"] == "1"
    assert at.dataframe[1].value["shop"].tolist() == ["T4号店"]
    captions = " ".join(c.value for c in at.caption)
    assert "陈列 50% · POS 30% · 品牌培育 20%" in captions and "县局默认" in captions
    assert "3 家终端" in json.dumps(vega_spec(at, 0)["title"], ensure_ascii=False)
    points = {row["shop"]: [row["display"], row["growth"]] for row in vega_rows(at, 0) if "shop" in row}
    assert sorted(points) == ["T1号店", "T2号店", "T3号店"]
    for shop, expected in {"T1号店": [80, 0.0], "T2号店": [90, -0.2], "T3号店": [80, 0.25]}.items():
        assert points[shop] == pytest.approx(expected), shop
    # The dots' colour is the ranking group, with a legend that names it (it had legend=None).
    color = vega_spec(at, 0)["layer"][0]["encoding"]["color"]
    assert color.get("legend", {}) is not None and color["title"] == "分组"
    assert color["scale"]["domain"] == ["▲ 前列", "中间", "▼ 后列"]


def test_format_and_month_selection(app_factory: Callable[..., AppTest], terminal_db_url: str) -> None:
    at = app_factory(terminal_db_url, page=PAGE)
    at.segmented_control(key="tm_fmt").set_value("convenience").run()
    no_errors(at)
    assert ranking(at)["shop"].tolist() == ["T6号店", "T5号店"]
    assert ranking(at)["pos_flag"].tolist() == ["正常", "无销售·计0%"]
    assert at.query_params["tm_fmt"] == "convenience"
    at.segmented_control(key="tm_fmt").set_value("supermarket")
    at.selectbox(key="tm_month").set_value("2026-09").run()
    no_errors(at)
    table = ranking(at)
    assert table["shop"].tolist() == ["T1号店", "T3号店", "T2号店"]
    assert table["composite"].tolist() == [83.0, 67.0, 48.0]
    assert table["change"].tolist() == ["新进"] * 3  # nobody ranked in August among these


def test_weights_reorder_the_ranking_and_are_stated(app_factory: Callable[..., AppTest], terminal_db_url: str) -> None:
    at = app_factory(terminal_db_url, page=PAGE)
    at.slider(key="tm_wd").set_value(0)
    at.slider(key="tm_wp").set_value(100)
    at.slider(key="tm_wb").set_value(0).run()
    no_errors(at)
    assert ranking(at)["shop"].tolist() == ["T2号店", "T1号店", "T3号店"]
    captions = " ".join(c.value for c in at.caption)
    assert "陈列 0% · POS 100% · 品牌培育 0%" in captions and "本页调整" in captions
    at.slider(key="tm_wp").set_value(0).run()
    assert [e.value for e in at.error] == ["权重不能全部为 0，请至少调高一项。"]


def test_weights_from_the_url(app_factory: Callable[..., AppTest], terminal_db_url: str) -> None:
    at = app_factory(terminal_db_url, page=PAGE, params={"tm_wd": "50", "tm_wp": "0", "tm_wb": "50"})
    assert ranking(at)["shop"].tolist() == ["T1号店", "T3号店", "T2号店"]
    assert ranking(at)["composite"].tolist() == [88.5, 75.5, 60.5]


def test_filters_narrow_the_list_without_changing_ranks(
    app_factory: Callable[..., AppTest], terminal_db_url: str
) -> None:
    at = app_factory(terminal_db_url, page=PAGE, params={"tm_mkt": "rural"})
    no_errors(at)
    assert ranking(at)[["shop", "rank"]].values.tolist() == [["T3号店", 3]]
    at = app_factory(terminal_db_url, page=PAGE, params={"dept": "D2"})
    assert [i.value for i in at.info] == ["本月该业态没有已检查的现代终端，无法排名。"]
    assert at.dataframe[0].value["shop"].tolist() == ["T4号店"]  # the uninspected list still shows


def test_terminal_detail(app_factory: Callable[..., AppTest], terminal_db_url: str) -> None:
    at = app_factory(terminal_db_url, page=PAGE, params={"tm_shop": "T1"})
    no_errors(at)
    archive = " ".join(m.value for m in at.markdown)
    assert "350802100001" in archive and "店主T1" in archive and "城区服务部" in archive
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["存销比"] == "0.50"  # closing 100 / sold 200
    assert metrics["库存周转率"] == "2.00"  # sold 200 / average stock 100
    scores = {(r["month_label"], r["score"]): r["value"] for r in vega_rows(at, 1)}
    assert scores[("2026-10", "综合得分")] == pytest.approx(86.4)
    assert scores[("2026-09", "陈列水平")] == pytest.approx(100)
    assert len({month for month, _ in scores}) == 12  # 2025-11 … 2026-10
    volume = {r["month_label"]: r["cases"] for r in vega_rows(at, 2)}
    assert volume["2026-10"] == pytest.approx(0.4)  # 100 cartons
    visits = at.dataframe[-1].value
    assert visits["minutes"].tolist() == [8, 12]
    assert any("t1/front.png" in c.value for c in at.caption)  # files absent in the test county


def test_stock_warning_and_missing_reconciliation(app_factory: Callable[..., AppTest], terminal_db_url: str) -> None:
    at = app_factory(terminal_db_url, page=PAGE, params={"tm_shop": "T3"})
    assert "本月没有进销存数据。" in [i.value for i in at.info]
    at = app_factory(terminal_db_url, page=PAGE, params={"tm_shop": "T5", "tm_fmt": "convenience"})
    assert any("库存明显高于销售所需" in w.value for w in at.warning)  # 40 in stock, nothing sold → no ratio
    at = app_factory(terminal_db_url, page=PAGE, params={"tm_shop": "T6", "tm_fmt": "convenience"})
    assert [w.value for w in at.warning if "存销比" in w.value] == []  # 20 / 80 = 0.25, at the limit


def test_english_page(app_factory: Callable[..., AppTest], terminal_db_url: str) -> None:
    at = app_factory(terminal_db_url, page=PAGE, params={"lang": "en"})
    no_errors(at)
    assert at.title[0].value == "Modern terminal rankings"
    assert ranking(at)["pos_flag"].tolist() == ["OK", "OK", "missing · 0%"]
    assert ranking(at)["group"].tolist() == ["▲ Top", "", "▼ Bottom"]


def test_excel_export_holds_the_ranking(app_factory: Callable[..., AppTest], terminal_db_url: str,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    files = capture_downloads(monkeypatch)
    at = app_factory(terminal_db_url, page=PAGE)
    button = at.get("download_button")[0]
    assert button.proto.label.endswith("导出 Excel")
    assert not button.proto.url  # the workbook is built when clicked, not on every run (issue 14)
    click = next(build for name, build in files.items() if name.endswith(".xlsx"))
    book = pd.read_excel(io.BytesIO(click()), header=2)
    assert book["终端名称"].tolist() == ["T1号店", "T2号店", "T3号店"]
    assert book["综合得分"].tolist() == [86.4, 81.2, 54.2]
    assert "显眼度（20）" in book.columns


def test_saving_weights_as_county_default(
    app_factory: Callable[..., AppTest], tmp_path_factory: pytest.TempPathFactory
) -> None:
    url = f"sqlite:///{tmp_path_factory.mktemp('terminal_save') / 'terminals.sqlite'}"
    build_terminal_county(get_engine(url))
    at = app_factory(url, page=PAGE)
    at.slider(key="tm_wd").set_value(20)
    at.slider(key="tm_wp").set_value(60)
    at.slider(key="tm_wb").set_value(20).run()
    next(b for b in at.button if b.label == "保存为县局默认权重").click().run()
    assert [s.value for s in at.success] == ["已保存为县局默认权重。"]
    with Session(get_engine(url)) as session:
        assert get_setting(session, "terminal_weights") == pytest.approx(
            {"display": 0.2, "pos_accuracy": 0.6, "brand_cultivation": 0.2}
        )


def test_database_without_inspections(app_factory: Callable[..., AppTest], tiny_db_url: str) -> None:
    at = app_factory(tiny_db_url, page=PAGE)
    no_errors(at)
    assert [i.value for i in at.info] == ["数据库中还没有终端陈列检查记录。"]


def test_a_county_rubric_changes_parts_scores_and_the_stated_basis(
    app_factory: Callable[..., AppTest], tmp_path_factory: pytest.TempPathFactory
) -> None:
    from data_access.config import set_setting

    url = f"sqlite:///{tmp_path_factory.mktemp('terminal_rubric') / 'terminals.sqlite'}"
    build_terminal_county(get_engine(url))
    with Session(get_engine(url)) as session:
        set_setting(session, "display_rubric", {"name": "两项简表", "parts": [
            {"code": "visibility", "name_zh": "显眼", "name_en": "Seen", "points": 40},
            {"code": "tidiness", "name_zh": "整洁", "name_en": "Tidy", "points": 10},
        ]}, actor=ADMIN)
        session.commit()
    at = app_factory(url, page=PAGE, params={"tm_wd": "100", "tm_wp": "0", "tm_wb": "0"})
    no_errors(at)
    table = ranking(at)
    # T1 18 + min(17, 10) = 28 of 50 → 56; T2 20 + 10 = 30 → 60; T3 16 + 10 = 26 → 52
    assert table["shop"].tolist() == ["T2号店", "T1号店", "T3号店"]
    assert table["display_points"].tolist() == [30, 28, 26]
    assert table["display"].tolist() == [60, 56, 52]
    assert "part_richness" not in table.columns
    captions = " ".join(c.value for c in at.caption)
    assert "「两项简表」（显眼 40 · 整洁 10，满分 50 分）" in captions
