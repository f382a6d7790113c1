"""AppTest of the department competition page on the hand-built county (tests/team_factory.py)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from data_access.access.permissions import Actor
from tests.actors import person
from tests.downloads import capture_downloads
from tests.team_factory import competition_database

PAGE = "pages/teams.py"


@pytest.fixture(scope="module")
def competition_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return competition_database(Path(tmp_path_factory.mktemp("team_page")))


def _open(app_factory: Callable[..., AppTest], url: str, actor: Actor | None = None, **params: str) -> AppTest:
    extra = {} if actor is None else {"actor": actor}
    at = app_factory(url, page=PAGE, params={"period": "2026-11", **params}, **extra)
    assert not at.exception, at.exception
    return at


def _board(at: AppTest) -> list[dict[str, object]]:
    return at.dataframe[0].value.to_dict("records")


def test_leaderboard_shows_ranks_totals_changes_gaps_and_what_is_missing(app_factory, competition_url) -> None:
    at = _open(app_factory, competition_url)
    rows = _board(at)
    assert [r["服务部"] for r in rows] == ["B服务部", "C服务部", "A服务部"]
    assert [r["名次"] for r in rows] == ["1 冠军", "2 亚军", "3 季军"]
    assert [r["总分"] for r in rows] == [90.59, 86.67, 76.65]
    assert [r["较上月"] for r in rows] == ["↑2", "=", "↓2"]
    assert [r["与上一名差距"] for r in rows][1:] == [3.92, 10.02]
    # The grid says provisional; which groups are missing is in the warning above it (and the export).
    assert rows[1]["状态"] == "暂定" and rows[0]["状态"] == "正式"
    warning = at.warning[0].value
    assert "暂定" in warning and "C服务部：服务部创新" in warning
    assert any("月度KPI考核 60%" in c.value and "服务部创新 10%" in c.value for c in at.caption)
    # KPI breakdown of the first-ranked department opens by default
    assert any("B服务部 · KPI得分 = 97.65" in m.value for m in at.markdown)
    breakdown = at.table[0].value
    assert "终端陈列得分" in breakdown.iloc[:, 0].tolist()
    assert "本月没有终端陈列检查" in breakdown.iloc[:, 1].tolist()


def _chart_data(chart) -> list[list[dict[str, object]]]:
    """The Arrow-encoded datasets of a Vega-Lite chart element as lists of records."""
    return [pa.ipc.open_stream(ds.data.data).read_all().to_pandas().to_dict("records") for ds in chart.proto.datasets]


def test_charts_carry_group_contributions_and_rank_history(app_factory, competition_url) -> None:
    at = _open(app_factory, competition_url)
    charts = at.get("vega_lite_chart")
    assert len(charts) == 2
    contrib_spec = json.loads(charts[0].proto.spec)
    assert contrib_spec["layer"][0]["mark"]["type"] == "bar"
    values = next(d for d in _chart_data(charts[0]) if d and "group" in d[0])
    b_kpi = [v for v in values if v["department"] == "B服务部" and v["group"] == "月度KPI考核"]
    assert b_kpi and b_kpi[0]["points"] == pytest.approx(58.59)
    assert len(values) == 14  # 3 × 5 groups, C's missing innovation is not drawn as zero
    # C is provisional: (48 + 30) / 0.9 = 86.667. Its segments are drawn as shares of that
    # total, so the bar ends where its label stands (weight × score 48 → 48 / 0.9 = 53.33).
    c_rows = [v for v in values if v["department"] == "C服务部"]
    assert sum(v["points"] for v in c_rows) == pytest.approx(78.0, abs=0.01)
    assert sum(v["share"] for v in c_rows) == pytest.approx(86.667, abs=0.02)
    assert next(v["share"] for v in c_rows if v["group"] == "月度KPI考核") == pytest.approx(53.33)
    assert b_kpi[0]["share"] == b_kpi[0]["points"]  # complete totals are drawn as they are
    assert "暂定总分按已录入指标的权重折算" in " ".join(c.value for c in at.caption)
    history_spec = json.loads(charts[1].proto.spec)
    assert history_spec["encoding"]["y"]["scale"]["domain"] == [3.5, 0.5]  # rank 1 on top
    history = next(d for d in _chart_data(charts[1]) if d and "rank" in d[0])
    october = {v["department"]: v["rank"] for v in history if v["month_label"] == "2026-10"}
    assert october == {"A服务部": 1, "C服务部": 2, "B服务部": 3}


def test_month_from_url_and_year_to_date(app_factory, competition_url) -> None:
    october = _open(app_factory, competition_url, period="2026-10")
    rows = _board(october)
    assert [r["服务部"] for r in rows] == ["A服务部", "C服务部", "B服务部"]
    assert [r["总分"] for r in rows] == [100.0, 70.0, 50.0]
    assert all(r["较上月"] == "—" for r in rows)  # no September ranking
    ytd = _open(app_factory, competition_url, tm_scope="ytd", lang="en")
    rows = _board(ytd)
    assert [r["Department"] for r in rows] == ["Dept B", "Dept A", "Dept C"]
    assert [r["Total"] for r in rows] == [84.59, 81.65, 80.5]


def test_entry_form_rejects_bad_scores_then_records_the_entry(app_factory, tmp_path) -> None:
    at = _open(app_factory, competition_database(tmp_path), tm_view="entry", actor=person("王主任"))
    at.selectbox(key="tm_entry_dept").select_index(2).run()  # C服务部
    at.number_input(key="tm_entry_innovation").set_value(150.0)
    assert "录入人：王主任" in " ".join(c.value for c in at.caption)  # the signed-in user, never typed
    at.button(key="tm_entry_submit").click().run()
    assert any("须在 0 到 100 之间" in e.value for e in at.error)
    at.number_input(key="tm_entry_innovation").set_value(85.0)
    at.button(key="tm_entry_submit").click().run()
    assert not at.error and "已保存 1 项分数" in at.success[0].value
    at.segmented_control(key="tm_view").set_value("audit").run()
    audit = at.dataframe[0].value
    assert audit.iloc[0][["服务部", "指标", "新分数", "录入人"]].tolist() == ["C服务部", "服务部创新", 85.0, "王主任"]
    at.segmented_control(key="tm_view").set_value("board").run()
    rows = _board(at)
    # C now complete: 48 + 0.1 × 385 = 86.5, no longer provisional, still second
    assert rows[1]["服务部"] == "C服务部" and rows[1]["总分"] == 86.5 and rows[1]["状态"] == "正式"
    assert "均已齐全" in at.success[0].value


def test_personal_scores_view(app_factory, competition_url) -> None:
    at = _open(app_factory, competition_url, tm_view="people", tm_dept="A")
    rows = at.dataframe[0].value.to_dict("records")
    assert [r["客户经理"] for r in rows] == ["王强（MA）", "赵敏（MA2）"]
    assert [r["个人得分"] for r in rows] == [92.5, 0.0]
    assert rows[0]["拜访执行"] == "3 / 4" and rows[1]["与上一名差距"] == 92.5


def test_excel_export_holds_departments_kpi_details_and_people(app_factory, competition_url, monkeypatch) -> None:
    import components.export

    written: list[bytes] = []
    real = components.export.to_excel_bytes

    def spy(*args, **kwargs) -> bytes:  # keeps the real workbook, remembers what the button serves
        written.append(real(*args, **kwargs))
        return written[-1]

    monkeypatch.setattr(components.export, "to_excel_bytes", spy)
    files = capture_downloads(monkeypatch)
    at = _open(app_factory, competition_url)
    button = at.get("download_button")[0]
    assert button.proto.label == "导出排名 Excel"
    assert written == []  # built when clicked, not on every run of the page (issue 14)
    click = next(build for name, build in files.items() if name.endswith(".xlsx"))
    workbook = openpyxl.load_workbook(io.BytesIO(click()))
    assert len(written) == 1
    assert workbook.sheetnames == ["服务部排名", "KPI明细", "客户经理得分"]
    sheet = workbook["服务部排名"]
    assert "2026年11月" in sheet["A1"].value
    header = [c.value for c in sheet[3]]
    first = dict(zip(header, [c.value for c in sheet[4]], strict=True))
    assert first["名次"] == 1 and first["服务部"] == "B服务部" and first["总分"] == 90.59
    people = workbook["客户经理得分"]
    names = [row[1] for row in people.iter_rows(min_row=4, values_only=True)]
    assert "王强（MA）" in names and "刘洋（MB）" in names


def test_print_view_has_no_widgets_and_lists_every_department(app_factory, competition_url) -> None:
    at = _open(app_factory, competition_url, print="1")
    keys = {widget.key for widget in at.get("segmented_control")}
    assert not keys & {"tm_scope", "tm_view"} and not at.get("download_button")
    assert any("@media print" in m.value for m in at.markdown)
    table = at.table[0].value
    assert table["服务部"].tolist() == ["B服务部", "C服务部", "A服务部"]
    assert table["总分"].tolist() == ["90.59", "86.67", "76.65"]  # printed with 2 decimals, not 4
    assert sum("客户经理月度得分" in m.value for m in at.markdown) == 3
