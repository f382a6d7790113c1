"""Route queries on the hand-built route county (tests/test_routes_factory.py), SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator

import pytest
from sqlmodel import Session

from data_access.access.permissions import EVERYTHING
from data_access.db import create_schema, drop_schema, get_engine
from data_access.queries import routes
from data_access.rules.visit_rules import (
    VisitRules,
    enrich_visits,
    manager_period_stats,
    period_anomalies,
    shop_status,
    speed_jumps,
    track_distance_m,
    track_pairs,
    visit_anomaly_codes,
)
from tests.test_routes_factory import DAY, build_route_county

NOVEMBER = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


@pytest.fixture(scope="module")
def route_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('routes') / 'routes.sqlite'}"
    build_route_county(get_engine(url))
    return url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def session(request: pytest.FixtureRequest, route_db_url: str) -> Iterator[Session]:
    if request.param == "sqlite":
        engine = get_engine(route_db_url)
    else:
        url = os.environ.get("TEST_DATABASE_URL")
        if not url:
            pytest.skip("TEST_DATABASE_URL is not set (PostgreSQL run of the route queries)")
        engine = get_engine(url)
        drop_schema(engine)
        build_route_county(engine)
    with Session(engine) as db_session:
        yield db_session
    if request.param == "postgresql":
        drop_schema(engine)
        create_schema(engine)


def _m1(session: Session) -> int:
    managers = routes.route_managers(session=session, scope=EVERYTHING)
    return int(managers.loc[managers["code"] == "M1", "id"].iloc[0])


def test_manager_day_holds_the_drawn_rows(session: Session) -> None:
    day = routes.manager_day(session=session, scope=EVERYTHING, manager_id=_m1(session), day=DAY)
    assert len(day["track"]) == 561 + 1  # 08:50..18:10 every minute, plus the jump fix
    assert day["visits"]["shop_name"].tolist() == ["东城食杂店", "万家超市", "北环烟酒店", "西门食杂店"]
    assert sorted(day["plans"]["shop_name"]) == sorted(["东城食杂店", "万家超市", "北环烟酒店", "南街便利店"])
    assert len(day["shops"]) == 7
    rules = VisitRules.from_setting(day["rules"])
    enriched = enrich_visits(day["visits"], rules)
    assert visit_anomaly_codes(enriched).tolist() == [
        [], ["short_visit"], ["far_sign_in"], ["missing_sign_out", "outside_hours"]]
    assert enriched["sign_in_distance_m"].iloc[2] == pytest.approx(333.6, abs=0.1)
    jumps = speed_jumps(track_pairs(day["track"]), rules)
    assert len(jumps) == 2 and (jumps["speed_kmh"] > 260).all()
    by_id = day["shops"].set_index("retailer_id")["shop_name"]
    status = shop_status(day["shops"], day=DAY, visited_ids=set(day["visits"]["retailer_id"]),
                         planned_ids=set(day["plans"]["retailer_id"]))
    named = dict(zip(day["shops"]["retailer_id"].map(by_id), status, strict=True))
    assert named == {"东城食杂店": "visited", "万家超市": "visited", "北环烟酒店": "visited", "西门食杂店": "visited",
                     "南街便利店": "missed_plan", "新华超市": "overdue", "龙门商店": "recent"}


def test_visit_days_newest_first(session: Session) -> None:
    assert routes.visit_days(session=session, scope=EVERYTHING, manager_id=_m1(session), start=NOVEMBER[0], end=NOVEMBER[1]) == [
        DAY, dt.date(2026, 11, 17), dt.date(2026, 11, 4), dt.date(2026, 11, 2)]


def test_month_statistics_hand_worked(session: Session) -> None:
    data = routes.period_routes(session=session, scope=EVERYTHING, start=NOVEMBER[0], end=NOVEMBER[1])
    stats = manager_period_stats(data, as_of=DAY).set_index("code")
    m1 = stats.loc["M1"]
    assert (m1["days_in_field"], m1["visits"], m1["planned_visits"]) == (4, 7, 4)
    assert m1["visits_per_day"] == pytest.approx(1.75)
    assert m1["avg_duration_min"] == pytest.approx(56 / 6)
    assert m1["coverage"] == pytest.approx(5 / 7)
    assert stats.loc["M2", "coverage"] == 1.0 and stats.loc["M2", "visits"] == 1
    # SQL's equirectangular sum agrees with the haversine length of the same fixes.
    track = routes.gps_track(session=session, scope=EVERYTHING, manager_id=_m1(session), first_day=DAY, last_day=DAY)
    assert m1["distance_km"] == pytest.approx(track_distance_m(track) / 1000, rel=2e-3)
    assert m1["distance_km"] > 2 * 2.2  # includes the 2.2 km excursion there and back
    # M1: short, far, missing sign-out, outside hours, 2 speed jumps, 1 missed plan, 2 coverage gaps.
    assert m1["anomalies"] == 9 and stats.loc["M2", "anomalies"] == 0


def test_month_anomaly_list_per_manager_and_day(session: Session) -> None:
    data = routes.period_routes(session=session, scope=EVERYTHING, start=NOVEMBER[0], end=NOVEMBER[1])
    rows = period_anomalies(data, as_of=DAY)
    counts = rows.groupby("rule").size().to_dict()
    assert counts == {"short_visit": 1, "far_sign_in": 1, "missing_sign_out": 1, "outside_hours": 1,
                      "impossible_speed": 2, "missed_plan": 1, "coverage_gap": 2}
    missed = rows[rows["rule"] == "missed_plan"].iloc[0]
    assert missed["shop_name"] == "南街便利店" and missed["day"] == DAY


def test_department_filter(session: Session) -> None:
    managers = routes.route_managers(session=session, scope=EVERYTHING)
    d2 = int(managers.loc[managers["code"] == "M2", "id"].iloc[0])
    dept_of_m2 = routes.route_managers(session=session, scope=EVERYTHING)
    assert len(dept_of_m2) == 2
    data = routes.period_routes(session=session, scope=EVERYTHING, start=NOVEMBER[0], end=NOVEMBER[1],
                                department_id=_department_of(session, "M2"))
    assert data["visits"]["manager_id"].unique().tolist() == [d2]
    assert data["jumps"].empty and data["missed"].empty


def _department_of(session: Session, code: str) -> int:
    from sqlmodel import select

    from data_access.models import CustomerManager

    return session.exec(select(CustomerManager.department_id).where(CustomerManager.code == code)).one()


def test_managers_now(session: Session) -> None:
    now = routes.managers_now(session=session, scope=EVERYTHING).set_index("code")
    assert now.loc["M1", "shop_name"] == "西门食杂店" and bool(now.loc["M1", "at_shop"])
    assert now.loc["M1", "recorded_at"] == dt.datetime(2026, 11, 18, 18, 10)
    assert now.loc["M2", "shop_name"] == "雁石便利店" and not bool(now.loc["M2", "at_shop"])
    earlier = routes.managers_now(session=session, scope=EVERYTHING, as_of=dt.datetime(2026, 11, 18, 9, 5)).set_index("code")
    assert bool(earlier.loc["M1", "at_shop"]) and earlier.loc["M1", "shop_name"] == "东城食杂店"


def test_district_towns(session: Session) -> None:
    towns = routes.district_towns(session=session).set_index("town")
    assert towns.loc["东城镇", "retailers"] == 5
    assert towns.loc["西城镇", "min_lon"] == pytest.approx(117.03)
    assert set(towns.index) == {"东城镇", "西城镇", "雁石镇"}
