"""Every person-level query × every role: whose rows come back (filtered in SQL) and which
named manager, retailer or department is refused (issue 12, DOMAIN.md §12).

On the hand-built route county (tests/test_routes_factory.py): department D1 with manager
M1 (shops R1, R2, R4–R8) and department D2 with manager M2 (shop R3), both with visits and
GPS on 18 November 2026. The expected table is written by hand: changing the scope of one
role, or dropping the filter from one query, fails one case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import Session

from data_access.access.permissions import Actor, Role, Scope, scope_of
from data_access.db import get_engine
from data_access.models import CustomerManager, Department, Retailer
from data_access.queries import meeting, routes, teams
from data_access.queries import terminals as terminal_queries
from data_access.queries.scoping import OutOfScope
from tests.test_routes_factory import build_route_county

DAY = dt.date(2026, 11, 18)
NOVEMBER = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
ROLES = ("leader", "admin", "head_D1", "manager_M1", "wall")


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    url = f"sqlite:///{tmp_path_factory.mktemp('scoped') / 'routes.sqlite'}"
    build_route_county(get_engine(url))
    with Session(get_engine(url)) as db_session:
        yield db_session


def _ids(session: Session) -> dict[str, int]:
    ids = {f"D:{c}": i for c, i in session.execute(select(Department.code, Department.id)).all()}
    ids |= {f"M:{c}": i for c, i in session.execute(select(CustomerManager.code, CustomerManager.id)).all()}
    ids |= {f"R:{c}": i for c, i in session.execute(select(Retailer.customer_code, Retailer.id)).all()}
    return ids


def scope_for(session: Session, role: str) -> Scope:
    ids = _ids(session)
    actor = {
        "leader": Actor(None, "l", "l", Role.LEADER),
        "admin": Actor(None, "a", "a", Role.ADMIN),
        "head_D1": Actor(None, "h", "h", Role.DEPT_HEAD, department_id=ids["D:D1"]),
        "head_D2": Actor(None, "h2", "h2", Role.DEPT_HEAD, department_id=ids["D:D2"]),
        "manager_M1": Actor(None, "m", "m", Role.MANAGER, department_id=ids["D:D1"], manager_id=ids["M:M1"]),
        "wall": Actor(None, "w", "w", Role.WALL),
    }[role]
    return scope_of(actor)


def _codes(session: Session, manager_ids: Any) -> set[str]:
    by_id = {i: c for c, i in session.execute(select(CustomerManager.code, CustomerManager.id)).all()}
    return {by_id[int(m)] for m in manager_ids}


# Each list query: the manager codes its rows belong to.
LIST_QUERIES: dict[str, Callable[[Session, Scope], set[str]]] = {
    "route_managers": lambda s, sc: set(routes.route_managers(session=s, scope=sc)["code"]),
    "period_visits": lambda s, sc: _codes(s, routes.period_visits(
        session=s, scope=sc, start=NOVEMBER[0], end=NOVEMBER[1])["manager_id"]),
    "period_routes.managers": lambda s, sc: set(routes.period_routes(
        session=s, scope=sc, start=NOVEMBER[0], end=NOVEMBER[1])["managers"]["code"]),
    "period_routes.shops": lambda s, sc: _codes(s, routes.period_routes(
        session=s, scope=sc, start=NOVEMBER[0], end=NOVEMBER[1])["shops"]["manager_id"]),
    "period_plan_counts": lambda s, sc: _codes(s, routes.period_plan_counts(
        session=s, scope=sc, start=NOVEMBER[0], end=NOVEMBER[1])["manager_id"]),
    "period_gps_summary": lambda s, sc: _codes(s, routes.period_gps_summary(
        session=s, scope=sc, start=NOVEMBER[0], end=NOVEMBER[1])["manager_id"]),
    "assigned_shops": lambda s, sc: _codes(s, routes.assigned_shops(session=s, scope=sc, as_of=DAY)["manager_id"]),
    "managers_now": lambda s, sc: set(routes.managers_now(session=s, scope=sc)["code"]),
    "manager_inputs": lambda s, sc: set(teams.manager_inputs(
        session=s, scope=sc, month=NOVEMBER[0], data_end=NOVEMBER[1])["code"]),
    "visit_day_anomalies": lambda s, sc: _codes(s, meeting.visit_day_anomalies(
        session=s, scope=sc, day=DAY)["manager_id"]),
}
# Whose rows each query holds for the whole county (M2 has no visit plan and no anomaly).
COUNTY = {query: {"M1", "M2"} for query in LIST_QUERIES} | {
    "period_plan_counts": {"M1"}, "visit_day_anomalies": {"M1"}}
EXPECTED_MANAGERS = {
    "leader": {"M1", "M2"}, "admin": {"M1", "M2"}, "head_D1": {"M1"}, "head_D2": {"M2"}, "manager_M1": {"M1"},
    "wall": set(),
}


@pytest.mark.parametrize("role", [*ROLES, "head_D2"])
@pytest.mark.parametrize("query", sorted(LIST_QUERIES))
def test_list_queries_return_only_the_roles_people(session: Session, query: str, role: str) -> None:
    assert LIST_QUERIES[query](session, scope_for(session, role)) == COUNTY[query] & EXPECTED_MANAGERS[role]


# Queries for one named manager, terminal or department: (query, the thing named) → roles allowed.
def _manager_day(s: Session, sc: Scope, code: str) -> object:
    return routes.manager_day(session=s, scope=sc, manager_id=_ids(s)[f"M:{code}"], day=DAY)


NAMED_QUERIES: dict[str, Callable[[Session, Scope], object]] = {
    "manager_day M1": lambda s, sc: _manager_day(s, sc, "M1"),
    "manager_day M2": lambda s, sc: _manager_day(s, sc, "M2"),
    "visit_days M2": lambda s, sc: routes.visit_days(session=s, scope=sc, manager_id=_ids(s)["M:M2"],
                                                     start=NOVEMBER[0], end=NOVEMBER[1]),
    "gps_track M2": lambda s, sc: routes.gps_track(session=s, scope=sc, manager_id=_ids(s)["M:M2"],
                                                   first_day=DAY, last_day=DAY),
    "day_visits M2": lambda s, sc: routes.day_visits(session=s, scope=sc, manager_id=_ids(s)["M:M2"], day=DAY),
    "day_plans M2": lambda s, sc: routes.day_plans(session=s, scope=sc, manager_id=_ids(s)["M:M2"], day=DAY),
    "route_managers dept D2": lambda s, sc: routes.route_managers(session=s, scope=sc, department_id=_ids(s)["D:D2"]),
    "period_routes dept D2": lambda s, sc: routes.period_routes(session=s, scope=sc, start=NOVEMBER[0],
                                                                end=NOVEMBER[1], department_id=_ids(s)["D:D2"]),
    "managers_now dept D2": lambda s, sc: routes.managers_now(session=s, scope=sc, department_id=_ids(s)["D:D2"]),
    "manager_inputs dept D2": lambda s, sc: teams.manager_inputs(
        session=s, scope=sc, month=NOVEMBER[0], data_end=NOVEMBER[1], department_id=_ids(s)["D:D2"]),
    "terminal_archive R1": lambda s, sc: terminal_queries.terminal_archive(session=s, scope=sc,
                                                                           retailer_id=_ids(s)["R:R1"]),
    "terminal_archive R3": lambda s, sc: terminal_queries.terminal_archive(session=s, scope=sc,
                                                                           retailer_id=_ids(s)["R:R3"]),
    "terminal_photos R3": lambda s, sc: terminal_queries.terminal_photos(session=s, scope=sc,
                                                                         retailer_id=_ids(s)["R:R3"]),
    "recent_visits R3": lambda s, sc: terminal_queries.recent_visits(session=s, scope=sc, retailer_id=_ids(s)["R:R3"],
                                                                     until=DAY),
    "scored_trend R3": lambda s, sc: terminal_queries.scored_trend(
        session=s, scope=sc, retailer_id=_ids(s)["R:R3"], department_id=_ids(s)["D:D2"], last_month=NOVEMBER[0],
        weights=(0.5, 0.3, 0.2)),
}
# leader, admin, head of D1, manager M1, wall  (Y = answered, . = refused)
EXPECTED_NAMED = {
    "manager_day M1":         "YYYY.",
    "manager_day M2":         "YY...",
    "visit_days M2":          "YY...",
    "gps_track M2":           "YY...",
    "day_visits M2":          "YY...",
    "day_plans M2":           "YY...",
    "route_managers dept D2": "YY...",
    "period_routes dept D2":  "YY...",
    "managers_now dept D2":   "YY...",
    "manager_inputs dept D2": "YY...",
    "terminal_archive R1":    "YYYY.",
    "terminal_archive R3":    "YY...",
    "terminal_photos R3":     "YY...",
    "recent_visits R3":       "YY...",
    "scored_trend R3":        "YY...",
}


def test_the_named_table_covers_every_query() -> None:
    assert set(EXPECTED_NAMED) == set(NAMED_QUERIES)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("query", sorted(NAMED_QUERIES))
def test_named_queries_refuse_what_is_outside_the_scope(session: Session, query: str, role: str) -> None:
    allowed = EXPECTED_NAMED[query][ROLES.index(role)] == "Y"
    if allowed:
        result = NAMED_QUERIES[query](session, scope_for(session, role))
        assert result is not None  # answered (a frame may be empty where the data holds nothing)
        if query == "manager_day M1":
            assert len(result["visits"]) == 4  # the hand-built day: the refusal is not just "empty"
    else:
        with pytest.raises(OutOfScope):
            NAMED_QUERIES[query](session, scope_for(session, role))
