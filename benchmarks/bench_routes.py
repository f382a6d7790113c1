"""Route maps benchmark: one manager-day and a month's statistics for all managers, cold and warm.

Run: ``python -m benchmarks.bench_routes``. Targets (issue 5): manager-day data cold ≤ 0.3 s;
monthly statistics for all managers cold ≤ 1 s; manager-day map payload < 500 KB.
"""

from __future__ import annotations

import datetime as dt
import os
import time

from sqlalchemy import func, select
from sqlmodel import Session, create_engine

from benchmarks.common import county_database_url, machine_description, time_call, write_section
from components.geo import district_outline, tile_config
from components.maps import manager_day_deck
from data_access.models import GpsPoint, Visit
from data_access.queries import routes
from data_access.visit_rules import (
    VisitRules,
    enrich_visits,
    manager_period_stats,
    missed_plans,
    period_anomalies,
    shop_status,
    speed_jumps,
    track_pairs,
    visit_anomaly_codes,
)

COMMAND = "python -m benchmarks.bench_routes"


def _cold(url: str, fn, **kwargs) -> float:
    """Seconds for ``fn`` on a brand-new engine (no pooled connection, no Streamlit cache)."""
    engine = create_engine(url)
    started = time.perf_counter()
    with Session(engine) as session:
        fn(session=session, **kwargs)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed


def _month_stats(*, session: Session, start: dt.date, end: dt.date) -> None:
    data = routes.period_routes(session=session, start=start, end=end)
    manager_period_stats(data, end)
    period_anomalies(data, end)


def _payload_bytes(url: str, manager_id: int, day: dt.date) -> tuple[int, int]:
    engine = create_engine(url)
    with Session(engine) as session:
        data = routes.manager_day(session=session, manager_id=manager_id, day=day)
        towns = routes.district_towns(session=session)
    rules = VisitRules.from_setting(data["rules"])
    stops = enrich_visits(data["visits"], rules)
    stops["anomalies"] = visit_anomaly_codes(stops)
    shops = data["shops"].assign(status=shop_status(
        data["shops"], day=day, visited_ids=set(stops["retailer_id"]), planned_ids=set(data["plans"]["retailer_id"])))
    shops["days_since_visit"] = 1
    missed_plans(data["plans"], data["visits"])
    deck = manager_day_deck(track=data["track"], stops=stops, shops=shops, jumps=speed_jumps(track_pairs(data["track"]), rules),
                            towns=towns, outline=district_outline(towns), config=tile_config({}))
    return len(deck.to_json().encode()), len(data["track"])


def main() -> None:
    url = county_database_url()
    engine = create_engine(url)
    with Session(engine) as session:
        gps_points = session.execute(select(func.count()).select_from(GpsPoint)).scalar()
        last_day = session.execute(select(func.max(Visit.visit_date))).scalar()
        last_day = last_day if isinstance(last_day, dt.date) else dt.date.fromisoformat(str(last_day)[:10])
        managers = routes.route_managers(session=session)
    engine.dispose()
    month_start = last_day.replace(day=1)
    manager_ids = [int(i) for i in managers["id"]]

    day_cold = sorted(_cold(url, routes.manager_day, manager_id=m, day=last_day) for m in manager_ids)
    month_cold = [_cold(url, _month_stats, start=month_start, end=last_day) for _ in range(3)]
    payload, track_points = _payload_bytes(url, manager_ids[0], last_day)

    os.environ["DATABASE_URL"] = url
    from data_access.cache import cached, clear_all

    clear_all()
    cached(routes.manager_day, domains=("visits", "gps", "master", "config"), manager_id=manager_ids[0], day=last_day)
    day_warm = time_call(lambda: cached(routes.manager_day, domains=("visits", "gps", "master", "config"),
                                        manager_id=manager_ids[0], day=last_day), repeat=20)
    cached(routes.period_routes, domains=("visits", "gps", "master", "config"), start=month_start, end=last_day,
           department_id=None)
    month_warm = time_call(lambda: cached(routes.period_routes, domains=("visits", "gps", "master", "config"),
                                          start=month_start, end=last_day, department_id=None), repeat=20)

    median_day = day_cold[len(day_cold) // 2]
    rows = [
        ("manager-day data, cold (median of all managers)", median_day * 1000, 300),
        ("manager-day data, cold (slowest manager)", day_cold[-1] * 1000, 300),
        ("manager-day data, warm (cached)", day_warm["median_ms"], None),
        ("month statistics + anomalies, all managers, cold (median of 3)", sorted(month_cold)[1] * 1000, 1000),
        ("month data, warm (cached)", month_warm["median_ms"], None),
    ]
    table = "| measurement | ms | target ms | ok |\n|---|---:|---:|:---:|\n" + "\n".join(
        f"| {name} | {ms:,.1f} | {target or '—'} | {'✅' if target is None or ms <= target else '❌'} |"
        for name, ms, target in rows
    )
    markdown = f"""## Route maps (issue 5)

Machine: {machine_description()}
Command: `{COMMAND}`
Database: county scale, {gps_points:,} GPS points, {len(manager_ids)} managers; day {last_day}, month {month_start:%Y-%m}.
Cold = new engine and session for each call, Streamlit cache empty (the OS page cache is not dropped).

{table}

Manager-day map payload (deck.gl JSON sent to the browser): {payload / 1024:,.1f} KB for {track_points} GPS fixes
(target < 500 KB).
"""
    print(markdown)
    write_section("routes", markdown)


if __name__ == "__main__":
    main()
