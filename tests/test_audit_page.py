"""The audit trail: time-zone-correct order, filters, China-time display, safe exports."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from components import audit_views as views
from data_access.access import audit
from data_access.access.audit import CHINA
from data_access.access.permissions import Actor, Role
from data_access.db import get_engine
from data_access.queries import audit as queries
from tests.factories import build_tiny_county
from tests.page_access import open_as, refused

PAGE = "pages/audit.py"
UTC = dt.UTC
WANG = Actor(None, "wang", "王主任", Role.ADMIN)
LI = Actor(None, "li", "李科长", Role.ADMIN)


@pytest.fixture
def url(tmp_path: Path) -> str:
    """Three entries on 2 December 2026, written out of time order.

    #1 at 02:34 UTC (= 10:34 China time) by 王主任
    #2 at 08:00 China time (= 00:00 UTC) by 李科长: earlier, although its clock text is later
    #3 at 23:30 UTC on 1 December (= 07:30 on 2 December, China time) by 王主任, object "=cmd|' /C calc'!A0"
    """
    url = f"sqlite:///{tmp_path / 'audit.sqlite'}"
    build_tiny_county(get_engine(url))
    with Session(get_engine(url)) as session:
        audit.record(session, WANG, "score.enter", "D1 2026-11", after={"six_s": 90}, at=dt.datetime(
            2026, 12, 2, 2, 34, tzinfo=UTC))
        audit.record(session, LI, "config.terminal_weights", "terminal_weights", before={"display": 0.5},
                     after={"display": 0.2}, at=dt.datetime(2026, 12, 2, 8, 0, tzinfo=CHINA))
        audit.record(session, WANG, "import.commit", "=cmd|' /C calc'!A0", at=dt.datetime(
            2026, 12, 1, 23, 30, tzinfo=UTC))
        session.commit()
    return url


def _entries(url: str, **filters: object) -> pd.DataFrame:
    with Session(get_engine(url)) as session:
        return queries.audit_entries(session=session, **filters)


def test_entries_sort_by_the_aware_time_not_the_clock_text(url: str) -> None:
    # 08:00 China time is 00:00 UTC: before 02:34 UTC of the same day, although "08:00" > "02:34".
    entries = _entries(url)
    assert entries["user_name"].tolist() == ["王主任", "李科长", "王主任"]
    assert entries["action"].tolist() == ["import.commit", "config.terminal_weights", "score.enter"]
    assert [views.china_time(v) for v in entries["at"]] == [
        "2026-12-02 07:30:00 UTC+08:00", "2026-12-02 08:00:00 UTC+08:00", "2026-12-02 10:34:00 UTC+08:00"]


def test_filters_user_action_group_china_days_and_object_text(url: str) -> None:
    assert _entries(url, user_name="李科长")["action"].tolist() == ["config.terminal_weights"]
    assert _entries(url, action="score")["action"].tolist() == ["score.enter"]  # a group
    assert _entries(url, action="config.terminal_weights")["user_name"].tolist() == ["李科长"]
    assert _entries(url, action="scor").empty  # a group is a whole word, not a prefix of one
    # 23:30 UTC on 1 December is 2 December in China: the China day holds all three
    assert len(_entries(url, first_day=dt.date(2026, 12, 2), last_day=dt.date(2026, 12, 2))) == 3
    assert _entries(url, first_day=dt.date(2026, 12, 1), last_day=dt.date(2026, 12, 1)).empty
    assert _entries(url, object_text="2026-11")["action"].tolist() == ["score.enter"]
    assert _entries(url, object_text="%").empty  # a wildcard is only a character


def test_exports_write_formula_like_cells_as_text(url: str) -> None:
    table = views.audit_table(_entries(url))
    csv = views.audit_csv_bytes(table).decode("utf-8-sig")
    assert "'=cmd|" in csv and ",=cmd" not in csv
    workbook = pd.read_excel(io.BytesIO(views.audit_xlsx_bytes(table, sheet="审计记录")), dtype=str)
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(views.audit_xlsx_bytes(table, sheet="审计记录"))).active
    cell = next(c for row in sheet.iter_rows() for c in row if c.value and str(c.value).startswith("=cmd"))
    assert cell.data_type == "s"  # a text cell, never a formula
    assert workbook.iloc[0].tolist()[:4] == ["2026-12-02 07:30:00 UTC+08:00", "王主任", "导入数据",
                                             "=cmd|' /C calc'!A0"]
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert views.neutralise_for_csv(pd.DataFrame({"x": [f"{start}1"]}))["x"][0] == f"'{start}1"
    assert views.neutralise_for_csv(pd.DataFrame({"x": ["王=1"]}))["x"][0] == "王=1"


def test_the_page_for_an_administrator_and_a_leader(app_factory: Callable[..., AppTest], url: str) -> None:
    at = app_factory(url, page=PAGE)
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert table["时间"].tolist()[1] == "2026-12-02 08:00:00 UTC+08:00"
    assert table["用户"].tolist() == ["王主任", "李科长", "王主任"]
    assert table["修改后"].tolist()[1] == "陈列: 0.2"  # field names in words
    at.selectbox(key="au_user").select("李科长").run()
    assert at.dataframe[0].value["操作"].tolist() == ["修改终端综合权重"]  # in words, not the code
    leader = app_factory(url, page=PAGE, actor=Actor(None, "boss", "县局领导", Role.LEADER), params={"lang": "en"})
    assert not leader.exception and len(leader.dataframe[0].value) == 3
    assert leader.dataframe[0].value.columns.tolist()[:2] == ["Time", "User"]


@pytest.mark.parametrize("role", [Role.DEPT_HEAD, Role.MANAGER, Role.WALL])
def test_the_page_refuses_other_roles(app_factory: Callable[..., AppTest], url: str, role: Role) -> None:
    at, offered = open_as(app_factory, url, PAGE, Actor(None, "x", "x", role, department_id=1, manager_id=1))
    assert not offered or (not at.exception and refused(at) and not at.dataframe)


def test_every_audited_action_has_words_in_both_languages() -> None:
    # A raw code such as "config.terminal_weights" on a Chinese screen is a finish defect (issue 15).
    import re

    from components.audit_views import action_label
    from components.i18n import CATALOGUE
    from data_access.config import DEFAULTS
    from tests.conftest import REPO_ROOT

    literal = re.compile(r"""audit\.record\(\s*[\w.]+,\s*[\w.]+,\s*"([a-z_.]+)\"""")
    codes = set()
    for folder in ("data_access", "components", "pages", "sample_data"):
        for path in (REPO_ROOT / folder).rglob("*.py"):
            codes |= set(literal.findall(path.read_text(encoding="utf-8")))
    codes |= {f"config.{key}" for key in DEFAULTS} | {f"import.{s}" for s in ("commit", "dry_run", "rejected")}
    assert len(codes) > 20
    missing = sorted(code for code in codes if f"audit.act.{code}" not in CATALOGUE)
    assert not missing, missing
    assert action_label("something.new") == "其他操作（something.new）"
