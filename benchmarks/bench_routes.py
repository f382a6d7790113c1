"""Route maps benchmark: one manager-day and a month's statistics for all managers, cold and warm.

Run: ``python -m benchmarks.bench_routes``. Targets (issue 5): manager-day data cold ≤ 0.3 s;
monthly statistics for all managers cold ≤ 1 s; manager-day map payload < 500 KB.

Cold = the app's engine made afresh (``get_engine`` cache cleared), Streamlit caches cleared,
the query in a new session; warm = through ``data_access.cache.cached``. The OS page cache is
not dropped. A county database made before ``gps_day_summary`` gets it filled first (once).
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from benchmarks.common import cold_session, county_database_url, machine_description, time_call, write_section
from components.basemap import load_basemap
from components.geo import tile_config
from components.maps import manager_day_deck
from data_access import cache
from data_access.access.permissions import EVERYTHING
from data_access.db import create_schema, get_engine
from data_access.gps_summary import backfill_gps_day_summary
from data_access.models import GpsPoint, Visit
from data_access.queries import routes
from data_access.queries.sql import as_date
from data_access.rules.calendar import add_months
from data_access.rules.visit_rules import (
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
DOMAINS = ("visits", "gps", "master", "config")
DAY_TARGET_MS, MONTH_TARGET_MS, PAYLOAD_TARGET_KB = 300, 1000, 500
# The same measurements on the code of commit cfada94 (before gps_day_summary), same county
# database, load average 2.0: the month's GPS distance and speed pairs filtered the fixes by
# time only (a scan of the whole gps_point table); at load 6 the month took about 15 s.
BEFORE = {"day": "284", "day_max": "676", "month": "4,208"}


def _cold(url: str, fn: Callable[..., Any], **kwargs: Any) -> float:
    """Seconds for ``fn`` on a brand-new engine, Streamlit caches empty."""
    with cold_session(url) as session:
        started = time.perf_counter()
        fn(session=session, **kwargs)
        return time.perf_counter() - started


def _month_stats(*, session: Session, start: dt.date, end: dt.date) -> None:
    """What the month view computes: the query plus statistics and the anomaly list."""
    data = routes.period_routes(session=session, scope=EVERYTHING, start=start, end=end)
    manager_period_stats(data, end)
    period_anomalies(data, end)


def _payload(url: str, manager_id: int, day: dt.date) -> tuple[int, int]:
    """Bytes of the day view's deck.gl JSON and GPS fixes drawn, built as pages/routes.py does."""
    with Session(get_engine(url)) as session:
        data = routes.manager_day(session=session, scope=EVERYTHING, manager_id=manager_id, day=day)
        towns = routes.district_towns(session=session)
    rules = VisitRules.from_setting(data["rules"])
    stops = enrich_visits(data["visits"], rules)
    stops["anomalies"] = visit_anomaly_codes(stops)
    shops = data["shops"].assign(status=shop_status(
        data["shops"], day=day, visited_ids=set(stops["retailer_id"]), planned_ids=set(data["plans"]["retailer_id"])))
    shops["days_since_visit"] = 1
    missed_plans(data["plans"], data["visits"])
    track = data["track"]
    jumps = speed_jumps(track_pairs(track), rules) if not track.empty else None
    deck = manager_day_deck(track=track, stops=stops, shops=shops, jumps=jumps, towns=towns,
                            basemap=load_basemap(), config=tile_config({}))
    return len(deck.to_json().encode()), len(track)


def _ok(value: float, target: float | None) -> str:
    return "—" if target is None else ("✅" if value <= target else "❌")


def main() -> None:
    url = county_database_url()
    os.environ["DATABASE_URL"] = url
    engine = get_engine(url)
    create_schema(engine)  # adds gps_day_summary to a county made before it
    started = time.perf_counter()
    with Session(engine) as session:
        filled = backfill_gps_day_summary(session)
        session.commit()
    backfill_s = time.perf_counter() - started
    if filled:
        print(f"gps_day_summary filled from the raw fixes in {backfill_s:.0f} s")
    with Session(engine) as session:
        gps_points = session.execute(select(func.count()).select_from(GpsPoint)).scalar()
        last_day = as_date(session.execute(select(func.max(Visit.visit_date))).scalar())
        managers = routes.route_managers(session=session, scope=EVERYTHING)
    month_start = last_day.replace(day=1)
    full_month = (add_months(month_start, -1), month_start - dt.timedelta(days=1))
    manager_ids = [int(i) for i in managers["id"]]

    day_cold = sorted(_cold(url, routes.manager_day, scope=EVERYTHING, manager_id=m, day=last_day) for m in manager_ids)
    months = {
        f"{month_start:%Y-%m} to {last_day:%d}": (month_start, last_day),
        f"{full_month[0]:%Y-%m} (whole month)": full_month,
    }
    month_cold = {name: sorted(_cold(url, _month_stats, start=s, end=e) for _ in range(3))
                  for name, (s, e) in months.items()}
    payloads = [(*_payload(url, m, last_day), m) for m in manager_ids]
    payload, track_points, _ = max(payloads)

    cache.clear_all()
    day_kwargs = {"scope": EVERYTHING, "manager_id": manager_ids[0], "day": last_day}
    cache.cached(routes.manager_day, domains=DOMAINS, **day_kwargs)
    day_warm = time_call(lambda: cache.cached(routes.manager_day, domains=DOMAINS, **day_kwargs), repeat=20)
    month_kwargs = {"scope": EVERYTHING, "start": month_start, "end": last_day, "department_id": None}
    cache.cached(routes.period_routes, domains=DOMAINS, **month_kwargs)
    month_warm = time_call(lambda: cache.cached(routes.period_routes, domains=DOMAINS, **month_kwargs), repeat=20)

    rows = [
        ("manager-day data, cold (median of all managers)", statistics.median(day_cold) * 1000, DAY_TARGET_MS,
         BEFORE["day"]),
        ("manager-day data, cold (slowest manager)", day_cold[-1] * 1000, DAY_TARGET_MS, BEFORE["day_max"]),
        ("manager-day data, warm (cached, median of 20)", day_warm["median_ms"], None, ""),
    ]
    for name, samples in month_cold.items():
        to_date = name.endswith(f"to {last_day:%d}")
        rows.append((f"month {name}: statistics + anomalies, all managers, cold (median of 3)",
                     samples[1] * 1000, MONTH_TARGET_MS, f"{BEFORE['month']} (one run)" if to_date else ""))
        rows.append((f"month {name}: slowest of 3 cold runs", samples[-1] * 1000, MONTH_TARGET_MS, ""))
    rows.append(("month data, warm (cached, median of 20)", month_warm["median_ms"], None, ""))
    table = ("| measurement | ms | target ms | ok | before ms (commit cfada94, not this run) |\n"
             "|---|---:|---:|:---:|---:|\n") + "\n".join(
        f"| {name} | {ms:,.1f} | {target or '—'} | {_ok(ms, target)} | {before} |"
        for name, ms, target, before in rows
    )
    markdown = f"""## Route maps (issue 5)

Machine: {machine_description()} (the machine is shared: a load above 2 inflates the timings).

Command: `{COMMAND}`. Database: county scale, {gps_points:,} GPS points, {len(manager_ids)} managers;
day {last_day}, months as named. Cold = the app's engine made afresh, Streamlit caches cleared, a new
session (the OS page cache is not dropped); warm = through `data_access.cache.cached`.
"Before" is not measured by this run: fixed figures recorded earlier on the code of commit cfada94
(no GPS summary; the month's GPS queries scanned the whole `gps_point` table) on an earlier county
build, load average 2.0; kept for comparison only.

{table}

Manager-day map payload (deck.gl JSON sent to the browser), largest of the {len(manager_ids)} managers on
{last_day}: {payload / 1024:,.1f} KB for {track_points} GPS fixes (target < {PAYLOAD_TARGET_KB} KB)
{_ok(payload / 1024, PAYLOAD_TARGET_KB)}.

How: monthly distance and the impossible-speed pre-filter read `gps_day_summary` (one row per
manager-day: fixes, length, fastest step; kept by the generator, importer and live feed in their own
transaction; `tests/test_routes_gps_summary.py` checks it equals the raw fixes). Raw fixes are read
only for the manager-days whose fastest step comes near the speed limit, each by the
(manager_id, recorded_at) index. Last visit per shop is an index seek per shop instead of grouping
every visit.
"""
    print(markdown)
    write_section("routes", markdown)


if __name__ == "__main__":
    main()
