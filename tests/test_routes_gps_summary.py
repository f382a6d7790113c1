"""``gps_day_summary`` (data_access/models/routes.py) always equals the raw GPS fixes.

Checked against an oracle computed in Python from the raw ``gps_point`` rows (fix count,
first and last fix, haversine length, fastest step) on the hand-built route county, after
generation, after an import of GPS points and after the live feed writes today's fixes.
The month's speed pre-filter, which reads raw fixes only on the days the summary points
at, finds the same pairs as pairing every fix of the month.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access.access.permissions import EVERYTHING
from data_access.db import create_schema, data_versions, drop_schema, ensure_database, get_engine
from data_access.gps_summary import backfill_gps_day_summary
from data_access.loaders import Source, run_import
from data_access.queries import routes
from data_access.queries.sql import as_date
from data_access.rules.visit_rules import haversine_m, track_pairs
from sample_data import live
from tests.actors import ADMIN
from tests.test_routes_factory import DAY, JUMP_AT, build_route_county

Key = tuple[int, dt.date]


def _expected(engine: Engine) -> dict[Key, tuple[int, dt.datetime, dt.datetime, float, float]]:
    """(manager, day) → (fixes, first, last, length m, fastest step km/h) from the raw fixes."""
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT manager_id, recorded_at, longitude, latitude FROM gps_point")).all()
    days: dict[Key, list[tuple]] = defaultdict(list)
    for manager, at, lon, lat in rows:
        at = pd.Timestamp(at).to_pydatetime()
        days[(int(manager), at.date())].append((at, lon, lat))
    out = {}
    for key, fixes in days.items():
        fixes.sort()
        times = np.array([(f[0] - fixes[0][0]).total_seconds() for f in fixes])
        lon, lat = np.array([f[1] for f in fixes]), np.array([f[2] for f in fixes])
        steps = haversine_m(lon[:-1], lat[:-1], lon[1:], lat[1:]) if len(fixes) > 1 else np.array([])
        seconds = np.diff(times)
        speeds = steps[seconds > 0] / seconds[seconds > 0] * 3.6
        out[key] = (len(fixes), fixes[0][0], fixes[-1][0], float(np.sum(steps)),
                    float(speeds.max()) if len(speeds) else float("nan"))
    return out


def _stored(engine: Engine) -> dict[Key, tuple[int, dt.datetime, dt.datetime, float, float]]:
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT manager_id, day, points, first_at, last_at, distance_m, max_step_kmh FROM gps_day_summary")).all()
    return {(int(m), as_date(d)): (int(n), pd.Timestamp(f).to_pydatetime(), pd.Timestamp(la).to_pydatetime(),
                                   float(dist), float("nan") if top is None else float(top))
            for m, d, n, f, la, dist, top in rows}


def _assert_equal_to_raw(engine: Engine) -> dict[Key, tuple]:
    stored, expected = _stored(engine), _expected(engine)
    assert stored.keys() == expected.keys()
    for key, (n, first, last, length, top) in expected.items():
        got = stored[key]
        assert got[:3] == (n, first, last), key
        assert got[3] == pytest.approx(length, rel=1e-3, abs=0.01), key
        assert got[4] == pytest.approx(top, rel=1e-2, nan_ok=True), key
    return stored


@pytest.fixture
def route_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'routes.sqlite'}"
    build_route_county(get_engine(url))
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def route_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """The hand-built route county on SQLite and (with TEST_DATABASE_URL) on PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'routes.sqlite'}"
    else:
        url = os.environ.get("TEST_DATABASE_URL", "")
        if not url:
            pytest.skip("TEST_DATABASE_URL is not set (PostgreSQL run of the GPS summary)")
        drop_schema(get_engine(url))
    engine = get_engine(url)
    build_route_county(engine)
    yield engine
    if request.param == "postgresql":
        drop_schema(engine)
        create_schema(engine)


def _ids(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {code: int(i) for i, code in conn.execute(text("SELECT id, code FROM customer_manager")).all()}


def test_hand_built_track_summary(route_engine: Engine) -> None:
    engine = route_engine
    stored = _assert_equal_to_raw(engine)
    ids = _ids(engine)
    m1 = stored[(ids["M1"], DAY)]
    assert m1[:3] == (562, dt.datetime(2026, 11, 18, 8, 50), dt.datetime(2026, 11, 18, 18, 10))
    assert m1[3] > 2 * 2200  # the 2.2 km excursion there and back is part of the length
    assert m1[4] > 260  # the jump: 2.2 km in 30 s
    m2 = stored[(ids["M2"], DAY)]
    assert m2[:3] == (6, dt.datetime(2026, 11, 18, 9, 0), dt.datetime(2026, 11, 18, 9, 25)) and m2[3] == 0.0


def test_generated_county_summary_equals_the_raw_fixes(sample_db_url: str) -> None:
    engine = get_engine(sample_db_url)
    stored = _assert_equal_to_raw(engine)
    assert len(stored) > 50  # not vacuous: many manager-days with a track


def test_month_speed_candidates_equal_pairing_every_fix(sample_db_url: str) -> None:
    engine = get_engine(sample_db_url)
    with Session(engine) as session:
        last = routes.latest_visit_day(session=session)
        start = last.replace(day=1) - dt.timedelta(days=40)
        lat0 = routes.district_latitude(session=session)
        got = routes.period_speed_candidates(session=session, scope=EVERYTHING, start=start, end=last, lat0=lat0, min_speed_kmh=120)
        managers = routes.route_managers(session=session, scope=EVERYTHING)
        track = pd.concat([routes.gps_track(session=session, scope=EVERYTHING, manager_id=int(m), first_day=start, last_day=last)
                           for m in managers["id"]], ignore_index=True)
    expected = _pairs_faster_than(track, lat0, 120 * 0.8)
    assert len(expected) > 0  # the generator puts GPS jumps into some days
    assert _keys(got) == _keys(expected)


def _pairs_faster_than(track: pd.DataFrame, lat0: float, kmh: float) -> pd.DataFrame:
    """Oracle of the SQL pre-filter: every consecutive pair of every day, equirectangular at ``lat0``."""
    pairs = track_pairs(track)
    seconds = (pairs["recorded_at"] - pairs["prev_at"]).dt.total_seconds()
    dx = (pairs["lon"] - pairs["prev_lon"]) * np.cos(np.radians(lat0))
    metres = np.hypot(dx, pairs["lat"] - pairs["prev_lat"]) * (6_371_008.8 * np.pi / 180)
    return pairs[metres > seconds * kmh / 3.6]


def _keys(pairs: pd.DataFrame) -> list[list]:
    key = ["manager_id", "recorded_at"]
    return pairs[key].sort_values(key).values.tolist()


def test_importing_gps_points_refreshes_the_day(route_url: str) -> None:
    engine = get_engine(route_url)
    header = ["客户经理编码", "定位时间", "经度", "纬度"]
    # M2 drives off at 09:30 and is 0.05° further north 60 s later: a new jump, a longer day.
    rows = [header, ["M2", "2026-11-18 09:30:00", "117.02", "25.02"], ["M2", "2026-11-18 09:31:00", "117.02", "25.07"]]
    data = ("\n".join(",".join(str(v) for v in row) for row in rows) + "\n").encode("utf-8")
    result = run_import(Source.from_bytes("gps.csv", data), "gps", engine=engine, actor=ADMIN)
    assert not result.has_errors and result.committed
    stored = _assert_equal_to_raw(engine)
    assert stored[(_ids(engine)["M2"], DAY)][0] == 8
    with Session(engine) as session:
        jumps = routes.period_speed_candidates(session=session, scope=EVERYTHING, start=DAY, end=DAY, lat0=25.05, min_speed_kmh=120)
        track = pd.concat([routes.gps_track(session=session, scope=EVERYTHING, manager_id=m, first_day=DAY, last_day=DAY)
                           for m in _ids(engine).values()], ignore_index=True)
    assert pd.Timestamp("2026-11-18 09:31:00") in set(jumps["recorded_at"])  # the new jump is found
    assert {pd.Timestamp(JUMP_AT), pd.Timestamp(JUMP_AT) + pd.Timedelta(seconds=30)} <= set(jumps["recorded_at"])
    assert _keys(jumps) == _keys(_pairs_faster_than(track, 25.05, 120 * 0.8))


def test_live_feed_refreshes_today(live_copy: tuple[str, dt.date]) -> None:
    url, day = live_copy
    engine = get_engine(url)
    written = live.run(url=url, day=day, start=dt.time(12, 0), once=True, log=lambda _: None)
    assert written["gps"] > 0
    assert any(d == day for _, d in _assert_equal_to_raw(engine))
    live.run(url=url, day=day, start=dt.time(23, 59), once=True, log=lambda _: None)  # the rest of the day
    assert any(d == day for _, d in _assert_equal_to_raw(engine))


def test_backfill_fills_a_database_made_before_the_summary(route_engine: Engine) -> None:
    engine = route_engine
    with Session(engine) as session:
        assert not backfill_gps_day_summary(session)  # already there: nothing to do
        session.execute(text("DELETE FROM gps_day_summary"))
        assert backfill_gps_day_summary(session)
        session.commit()
    assert len(_assert_equal_to_raw(engine)) == 2
    # The app's start (ensure_database) fills it too, and marks the GPS data as changed.
    with Session(engine) as session:
        session.execute(text("DELETE FROM gps_day_summary"))
        session.commit()
    before = data_versions(engine)["gps"]
    ensure_database(engine.url.render_as_string(hide_password=False))
    assert len(_assert_equal_to_raw(engine)) == 2 and data_versions(engine)["gps"] == before + 1
