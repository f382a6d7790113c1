"""Every page for every role on the sample county, and URL tampering by scoped users.

Roles: administrator, county leader, head of department D01, a customer manager of D01,
the meeting wall. Each page either renders for the role (with only the role's people) or
says "no access" (or is not in the role's navigation at all). A scoped user who edits the
URL to name another department, manager or terminal gets "no access" and none of that
department's people anywhere on the page.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from data_access.access.permissions import Actor, Role
from data_access.db import get_engine
from data_access.models import CustomerManager, Department, Retailer
from data_access.queries import terminals as terminal_queries
from tests.page_access import open_as, page_text, refused

PAGES = ["overview", "sales", "terminals", "routes", "teams", "meeting", "data_import", "audit"]
ROLES = ["admin", "leader", "head_D01", "manager_D01", "wall"]
# admin, leader, head of D01, manager of D01, wall  (Y = renders, . = no access)
EXPECTED = {
    "overview":    "YYY..",
    "sales":       "YYY..",
    "terminals":   "YYYY.",
    "routes":      "YYYY.",
    "teams":       "YYYY.",
    "meeting":     "YYY.Y",
    "data_import": "Y....",
    "audit":       "YY...",
}
PERIOD = {"period": "2026-11"}


@pytest.fixture(scope="module")
def county(sample_db_url: str) -> dict[str, object]:
    """Ids, codes and names of the sample county's departments, managers and terminals."""
    with Session(get_engine(sample_db_url)) as session:
        departments = {c: i for c, i in session.execute(select(Department.code, Department.id)).all()}
        managers = session.execute(select(CustomerManager.id, CustomerManager.code, CustomerManager.name,
                                          CustomerManager.department_id).order_by(CustomerManager.code)).all()
        terminals = terminal_queries.modern_terminals(session=session)
        shops = {r: d for r, d in session.execute(select(Retailer.customer_code, CustomerManager.department_id)
                                                  .join(CustomerManager)).all()}
    d01 = departments["D01"]
    own = [m for m in managers if m.department_id == d01]
    others = [m for m in managers if m.department_id != d01]
    return {
        "departments": departments, "own": own, "others": others, "shops": shops,
        "other_terminal": terminals[terminals["department_id"] != d01].iloc[0],
        "actors": {
            "admin": Actor(None, "admin", "管理员", Role.ADMIN),
            "leader": Actor(None, "leader", "县局领导", Role.LEADER),
            "head_D01": Actor(None, "head", "东城主任", Role.DEPT_HEAD, department_id=d01),
            "manager_D01": Actor(None, "mgr", own[0].name, Role.MANAGER, department_id=d01, manager_id=own[0].id),
            "wall": Actor(None, "wall", "会议大屏", Role.WALL),
        },
    }


def _others_absent(at: AppTest, county: dict, *, also: list[str] = ()) -> None:
    text = page_text(at)
    leaked = [m.name for m in county["others"] if m.name in text] + [x for x in also if x in text]
    assert not leaked, f"other departments' people on the page: {leaked}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_for_every_role(app_factory: Callable[..., AppTest], sample_db_url: str, county: dict,
                                   page: str, role: str) -> None:
    at, offered = open_as(app_factory, sample_db_url, f"pages/{page}.py", county["actors"][role], params=PERIOD)
    allowed = EXPECTED[page][ROLES.index(role)] == "Y"
    if not offered:
        assert not allowed, f"{page} missing from the navigation of {role}"
        return
    assert not at.exception, [e.value for e in at.exception]
    assert refused(at) is not allowed
    if not allowed:
        assert not at.dataframe and not at.get("deck_gl_json_chart") and not at.metric
    if allowed and role in ("head_D01", "manager_D01") and page in ("routes", "teams"):
        # a scoped user's default view holds their own people only (the terminal ranking is
        # public; its detail is checked by the tampering tests)
        _others_absent(at, county)


def test_a_head_sees_only_their_departments_people_on_the_meeting_slides(app_factory, sample_db_url: str,
                                                                       county: dict) -> None:
    for slide in ("map", "anomalies"):
        at = app_factory(sample_db_url, page="pages/meeting.py", params={**PERIOD, "slides": slide},
                         actor=county["actors"]["head_D01"])
        assert not at.exception and not refused(at)
        _others_absent(at, county)


def test_a_customer_manager_sees_only_themselves_on_routes(app_factory, sample_db_url: str, county: dict) -> None:
    me, colleague = county["own"][0], county["own"][1]
    at = app_factory(sample_db_url, page="pages/routes.py", params=PERIOD, actor=county["actors"]["manager_D01"])
    assert at.selectbox(key="rt_mgr").options == [f"{me.name} · {me.code}"]
    assert colleague.name not in page_text(at)


# --- URL tampering: each scoped parameter ------------------------------------------------------------
def _tampered(county: dict) -> list[tuple[str, str, dict[str, str], str]]:
    other = county["others"][0]
    colleague = county["own"][1]
    shop = county["other_terminal"]
    return [
        ("head_D01", "routes", {"dept": "D02"}, "day"),
        ("head_D01", "routes", {"rt_mgr": other.code}, "day"),
        ("head_D01", "routes", {"rt_view": "month", "rt_am": other.code}, "month"),
        ("head_D01", "routes", {"rt_view": "month", "dept": "D02"}, "month"),
        ("head_D01", "routes", {"rt_view": "now", "dept": "D03"}, "now"),
        ("manager_D01", "routes", {"rt_mgr": colleague.code}, "colleague"),
        ("head_D01", "teams", {"tm_view": "people", "tm_dept": "D02"}, "people"),
        ("manager_D01", "teams", {"tm_view": "people", "tm_dept": "D02"}, "people"),
        ("head_D01", "terminals", {"tm_shop": str(shop["customer_code"])}, "shop"),
        ("head_D01", "terminals", {"tm_mgr": str(int(shop["manager_id"]))}, "manager filter"),
        ("head_D01", "sales", {"s_dim": "manager"}, "sales per manager"),
    ]


@pytest.mark.parametrize("case", range(11))
def test_url_tampering_gets_no_access_and_no_data(app_factory, sample_db_url: str, county: dict, case: int) -> None:
    role, page, params, _ = _tampered(county)[case]
    at = app_factory(sample_db_url, page=f"pages/{page}.py", params={**PERIOD, **params},
                     actor=county["actors"][role])
    assert not at.exception, [e.value for e in at.exception]
    assert refused(at), [e.value for e in at.error]
    assert not at.dataframe and not at.get("deck_gl_json_chart") and not at.get("vega_lite_chart")
    colleague = [county["own"][1].name] if role == "manager_D01" else []
    _others_absent(at, county, also=colleague)


def test_the_same_urls_work_for_an_administrator(app_factory, sample_db_url: str, county: dict) -> None:
    for role, page, params, _ in _tampered(county):
        if role != "head_D01":
            continue
        at = app_factory(sample_db_url, page=f"pages/{page}.py", params={**PERIOD, **params})
        assert not at.exception and not refused(at), (page, params)


def test_writes_are_refused_with_a_visible_message(app_factory, sample_db_url: str, county: dict) -> None:
    # The leader may not enter scores, the head of D01 neither (and never for D01).
    for role in ("leader", "head_D01"):
        at = app_factory(sample_db_url, page="pages/teams.py", params={**PERIOD, "tm_view": "entry"},
                         actor=county["actors"][role])
        assert not at.exception
        assert any("无权录入或更正服务部得分" in i.value for i in at.info), [i.value for i in at.info]
        assert not [b for b in at.button if b.key == "tm_entry_submit"]
    # Terminal weights: the leader may try weights for the view but not save them as the county's.
    at = app_factory(sample_db_url, page="pages/terminals.py", params=PERIOD, actor=county["actors"]["leader"])
    assert any("无权修改权重" in i.value for i in at.info)
    assert not [b for b in at.button if "保存为县局默认权重" in str(b.label)]
    # The wall sees the meeting without the snapshot camera.
    at = app_factory(sample_db_url, page="pages/meeting.py", params={**PERIOD, "slides": "kpi"},
                     actor=county["actors"]["wall"])
    assert not at.exception and not refused(at)
    assert not [b for b in at.button if "保存当前指标与排名" in str(b.label)]
