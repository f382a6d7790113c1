"""The competition aggregates (data_access/models/teams.py) always equal the raw rows.

Checked against an oracle computed in Python from the raw ``order_line``, ``retail_order``,
``visit_plan`` and ``visit`` rows: after generation, after imports (visits added and
corrected, orders added) and after the live feed writes today's plans and visits. The
hand-built county's tests also run on PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access.db import drop_schema, ensure_database, get_engine
from data_access.loaders import ImportResult, Source, run_import
from data_access.queries import teams
from data_access.queries.sql import as_date
from sample_data import live
from tests.actors import ADMIN
from tests.team_factory import NOV, build_competition_county, competition_database

Key = tuple[dt.date, int]


def _expected_ordering(engine: Engine) -> dict[Key, tuple[int, int]]:
    """(month, manager) → (ordering retailers, online retailers), from the raw orders."""
    ordering: dict[Key, set[int]] = defaultdict(set)
    online: dict[Key, set[int]] = defaultdict(set)
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT o.order_date, o.retailer_id, o.channel, o.status, r.manager_id "
            "FROM retail_order o JOIN retailer r ON r.id = o.retailer_id"
        )).all()
    for day, retailer, channel, status, manager in rows:
        if status != "ordered":
            continue
        key = (as_date(day).replace(day=1), int(manager))
        ordering[key].add(int(retailer))
        if channel == "online":
            online[key].add(int(retailer))
    return {key: (len(shops), len(online[key])) for key, shops in ordering.items()}


def _expected_visits(engine: Engine) -> dict[Key, tuple[int, int]]:
    """(plan day, manager) → (planned, done): done = signed in at the shop on the planned day."""
    with engine.connect() as conn:
        visited = {(int(m), int(r), as_date(d)) for m, r, d in conn.execute(
            text("SELECT manager_id, retailer_id, visit_date FROM visit")).all()}
        plans = conn.execute(text("SELECT plan_date, manager_id, retailer_id FROM visit_plan")).all()
    counts: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    for day, manager, retailer in plans:
        entry = counts[(as_date(day), int(manager))]
        entry[0] += 1
        entry[1] += (int(manager), int(retailer), as_date(day)) in visited
    return {key: (planned, done) for key, (planned, done) in counts.items()}


def _expected_sales(engine: Engine) -> dict[tuple[dt.date, int, int], tuple[float, float]]:
    """(day, department, manager) → (cartons, amount), summed from the raw order lines."""
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT ol.order_date, cm.department_id, r.manager_id, ol.cartons, ol.amount FROM order_line ol "
            "JOIN retailer r ON r.id = ol.retailer_id JOIN customer_manager cm ON cm.id = r.manager_id"
        )).all()
    sums: dict[tuple[dt.date, int, int], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for day, department, manager, cartons, amount in rows:
        entry = sums[(as_date(day), int(department), int(manager))]
        entry[0] += cartons
        entry[1] += amount
    return {key: (cartons, amount) for key, (cartons, amount) in sums.items()}


def _stored_sales(engine: Engine) -> dict[tuple[dt.date, int, int], tuple[float, float]]:
    with engine.connect() as conn:
        return {(as_date(d), int(dept), int(m)): (c, a) for d, dept, m, c, a in conn.execute(text(
            "SELECT sale_date, department_id, manager_id, cartons, amount FROM team_sales_daily")).all()}


def _stored(engine: Engine, sql: str) -> dict[Key, tuple[int, int]]:
    with engine.connect() as conn:
        return {(as_date(d), int(m)): (int(a), int(b)) for d, m, a, b in conn.execute(text(sql)).all()}


def _stored_ordering(engine: Engine) -> dict[Key, tuple[int, int]]:
    return _stored(engine, "SELECT month, manager_id, ordering_retailers, online_retailers FROM team_ordering_monthly")


def _stored_visits(engine: Engine) -> dict[Key, tuple[int, int]]:
    return _stored(engine, "SELECT plan_date, manager_id, planned_visits, done_visits FROM team_visit_daily")


def _assert_equal_to_raw(engine: Engine) -> None:
    stored, expected = _stored_sales(engine), _expected_sales(engine)
    assert stored.keys() == expected.keys()
    assert all(stored[k] == pytest.approx(expected[k], rel=1e-9) for k in expected)
    assert _stored_ordering(engine) == _expected_ordering(engine)
    assert _stored_visits(engine) == _expected_visits(engine)


def _import(url: str, kind: str, rows: list[list[object]]) -> ImportResult:
    data = ("\n".join(",".join(str(v) for v in row) for row in rows) + "\n").encode("utf-8")
    result = run_import(Source.from_bytes(f"{kind}.csv", data), kind, engine=get_engine(url), actor=ADMIN)
    assert not result.has_errors and result.committed, [(i.row, i.code, i.params) for i in result.issues]
    return result


def _nov_inputs(url: str, data_end: dt.date = dt.date(2026, 11, 30)) -> dict[str, dict[str, float]]:
    with Session(get_engine(url)) as session:
        inputs = teams.department_kpi_inputs(session=session, first_month=NOV, last_month=NOV, data_end=data_end)
        codes = dict(session.execute(text("SELECT id, code FROM department")).all())
    return {codes[int(row["department_id"])]: row for row in inputs.to_dict("records")}


def test_generated_county_aggregates_equal_the_raw_rows(sample_db_url: str) -> None:
    engine = get_engine(sample_db_url)
    ordering, visits = _stored_ordering(engine), _stored_visits(engine)
    # Not vacuous: months of a real county, some retailers order by phone, some plans are missed.
    assert len(ordering) > 10 and any(online < shops for shops, online in ordering.values())
    assert len(visits) > 100 and any(done < planned for planned, done in visits.values())
    _assert_equal_to_raw(engine)


PG_URL = os.environ.get("TEST_DATABASE_URL", "")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def county_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The hand-built competition county on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set."""
    if request.param == "sqlite":
        return competition_database(tmp_path)
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL is not set (no PostgreSQL server to test against)")
    drop_schema(get_engine(PG_URL))
    build_competition_county(get_engine(PG_URL))
    return PG_URL


def test_hand_built_county_aggregates(county_url: str) -> None:
    engine = get_engine(county_url)
    with engine.connect() as conn:
        ids = {code: int(i) for i, code in conn.execute(text("SELECT id, code FROM customer_manager")).all()}
    # MA: RA1 online + RA2 phone; MB: RB1 online; MC: RC1 by phone (its failed online order does not count).
    assert _stored_ordering(engine) == {
        (NOV, ids["MA"]): (2, 1), (NOV, ids["MB"]): (1, 1), (NOV, ids["MC"]): (1, 0),
        (dt.date(2025, 11, 1), ids["MA"]): (1, 1), (dt.date(2025, 11, 1), ids["MB"]): (1, 1),
    }
    assert _stored_visits(engine) == {
        (dt.date(2026, 11, 2), ids["MA"]): (2, 2), (dt.date(2026, 11, 9), ids["MA"]): (2, 1),
        (dt.date(2026, 11, 3), ids["MB"]): (1, 1), (dt.date(2026, 11, 10), ids["MB"]): (1, 1),
    }
    _assert_equal_to_raw(engine)


def test_importing_visits_refreshes_visit_compliance(county_url: str) -> None:
    header = ["客户经理编码", "许可证号", "签到时间", "签到经度", "签到纬度"]
    assert _nov_inputs(county_url)["A"]["done_visits"] == 3  # RA2 missed on 9 Nov
    _import(county_url, "visits", [header, ["MA", "350802100001", "2026-11-09 15:00:00", "117.01", "25.0"]])
    _assert_equal_to_raw(get_engine(county_url))
    assert _nov_inputs(county_url)["A"]["done_visits"] == 4
    # A correction: MA's 2 Nov 09:00 visit was at RA2, not RA1 -> the RA1 plan of 2 Nov is missed.
    _import(county_url, "visits", [header, ["MA", "350802100001", "2026-11-02 09:00:00", "117.01", "25.0"]])
    _assert_equal_to_raw(get_engine(county_url))
    assert _nov_inputs(county_url)["A"]["done_visits"] == 3


def test_importing_orders_refreshes_ordering_retailers(county_url: str) -> None:
    # RA2 (so far by phone) orders online on 25 Nov; RA1 (online on 2 Nov) orders by phone the same day.
    result = _import(county_url, "orders", [["订单日期", "许可证号", "卷烟编码", "数量", "订货方式"],
                                            ["2026-11-25", "350802100001", "P1", "10", "网上"],
                                            ["2026-11-25", "350802100000", "P1", "10", "电话"]])
    assert result.rows_added == 2
    _assert_equal_to_raw(get_engine(county_url))
    a = _nov_inputs(county_url)["A"]
    assert (a["ordering_retailers"], a["online_retailers"], a["cartons"]) == (2, 2, 520)


def test_live_feed_refreshes_visit_compliance(live_copy: tuple[str, dt.date]) -> None:
    url, day = live_copy
    engine = get_engine(url)
    before = sum(planned for (d, _), (planned, _) in _stored_visits(engine).items() if d == day)
    written = live.run(url=url, day=day, start=dt.time(23, 59), once=True, log=lambda _: None)
    assert written["visits"] > 0
    today = {m: v for (d, m), v in _stored_visits(engine).items() if d == day}
    assert sum(done for _, done in today.values()) > 0 and sum(p for p, _ in today.values()) >= before
    _assert_equal_to_raw(engine)


def test_a_month_cut_by_the_data_end_counts_only_its_days(county_url: str) -> None:
    # Data to 3 Nov: orders of 4 and 30 Nov and visits after 3 Nov do not count yet.
    nov = _nov_inputs(county_url, data_end=dt.date(2026, 11, 3))
    assert (nov["A"]["ordering_retailers"], nov["A"]["online_retailers"]) == (2, 1)
    assert (nov["B"]["ordering_retailers"], nov["B"]["online_retailers"]) == (1, 1)
    assert math.isnan(nov["C"]["ordering_retailers"])
    assert (nov["A"]["planned_visits"], nov["A"]["done_visits"]) == (2, 2)
    assert (nov["B"]["planned_visits"], nov["B"]["done_visits"]) == (1, 1)
    assert math.isnan(nov["C"]["planned_visits"])


def test_an_older_database_gets_the_aggregates_at_start(county_url: str) -> None:
    engine = get_engine(county_url)
    with engine.begin() as conn:  # as if made before data_access/models/teams.py existed
        for table in ("team_sales_daily", "team_ordering_monthly", "team_visit_daily"):
            conn.execute(text(f"DELETE FROM {table}"))
    ensure_database(county_url)
    assert len(_stored_visits(engine)) == 4
    _assert_equal_to_raw(engine)
