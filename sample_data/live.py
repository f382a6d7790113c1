"""Demo live feed: replays a realistic field day as today's visits and GPS points, in real time.

    python -m sample_data.live [--database-url URL] [--speed N] [--start HH:MM] [--minutes M] [--once]

For each customer manager it picks a recent day of the sample county (the one whose visit
plan best matches today's plan, so today's planned shops get visited), moves that day's
visits and GPS fixes to today (same times of day) and writes them when the replay clock
reaches them: a sign-in inserts the visit (shop being visited now), the sign-out updates
it, fixes are appended. Each small batch is committed and the ``visits`` and ``gps`` data
versions are bumped, so the meeting wall and the route map show the rows on their next
refresh.

The replay clock is the wall clock's time of day (``--speed 1``, the default), or starts
at ``--start`` (default: just before the first event) and runs ``--speed`` times faster.
It stops by itself at the end of the replayed day or after ``--minutes``; ``--once``
writes everything up to the replay clock's start and exits. Reruns are safe: a visit is
identified by (manager_id, sign_in_at) and a manager's fixes are only appended after his
latest fix of today.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access.access import audit
from data_access.access.permissions import SYSTEM, Action, Actor, require
from data_access.aggregates import refresh_visit_aggregates
from data_access.db import bump_data_version, database_url, get_engine
from data_access.gps_summary import refresh_gps_day_summary
from data_access.models import CustomerManager, GpsPoint, Visit, VisitPlan

LOOKBACK_DAYS = 35
BATCH_EVENTS = 500  # events per transaction during catch-up; live ticks write a few at a time

_VISIT_FIELDS = ("manager_id", "retailer_id", "planned", "sign_in_at", "sign_in_lon", "sign_in_lat",
                 "sign_out_at", "sign_out_lon", "sign_out_lat")


@dataclass(order=True)
class Event:
    """One thing that happens at ``at``: a sign-in, a sign-out or a GPS fix."""

    at: dt.datetime
    order: int  # sign-in before sign-out before fix at the same instant
    kind: str = field(compare=False)
    row: dict[str, Any] = field(compare=False)


@dataclass
class Replay:
    """Today's events, in time order, and the source day each manager's events came from."""

    day: dt.date
    events: list[Event]
    source_days: dict[int, dt.date]
    plans_copied: int = 0


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def choose_source_days(session: Session, day: dt.date, lookback_days: int = LOOKBACK_DAYS) -> dict[int, dt.date]:
    """Per active manager, the past day to replay: best overlap with ``day``'s plan, then newest.

    Only days with visits in the ``lookback_days`` before ``day`` qualify.
    """
    first = day - dt.timedelta(days=lookback_days)
    managers = session.execute(select(CustomerManager.id).where(CustomerManager.active.is_(True))).scalars().all()
    visited = session.execute(
        select(Visit.manager_id, Visit.visit_date).where(Visit.visit_date.between(first, day - dt.timedelta(days=1)))
        .group_by(Visit.manager_id, Visit.visit_date)
    ).all()
    plans = session.execute(
        select(VisitPlan.manager_id, VisitPlan.plan_date, VisitPlan.retailer_id)
        .where(VisitPlan.plan_date.between(first, day))
    ).all()
    plan_sets: dict[tuple[int, dt.date], set[int]] = {}
    for manager_id, plan_date, retailer_id in plans:
        plan_sets.setdefault((int(manager_id), _as_date(plan_date)), set()).add(int(retailer_id))
    candidates: dict[int, list[dt.date]] = {}
    for manager_id, visit_date in visited:
        candidates.setdefault(int(manager_id), []).append(_as_date(visit_date))
    chosen: dict[int, dt.date] = {}
    for manager_id in managers:
        days = candidates.get(int(manager_id))
        if not days:
            continue
        today_plan = plan_sets.get((int(manager_id), day), set())
        chosen[int(manager_id)] = max(
            days, key=lambda d: (len(today_plan & plan_sets.get((int(manager_id), d), set())), d)
        )
    return chosen


def _shift(value: Any, days: int) -> dt.datetime | None:
    if value is None:
        return None
    stamp = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return stamp + dt.timedelta(days=days)


def build_replay(session: Session, day: dt.date) -> Replay:
    """Read the source days' visits and fixes and turn them into today's events."""
    sources = choose_source_days(session, day)
    events: list[Event] = []
    for manager_id, source in sources.items():
        shift = (day - source).days
        visits = session.execute(
            select(*(getattr(Visit, name) for name in _VISIT_FIELDS))
            .where(Visit.manager_id == manager_id, Visit.visit_date == source)
        ).mappings().all()
        for visit in visits:
            row = {**visit, "sign_in_at": _shift(visit["sign_in_at"], shift),
                   "sign_out_at": _shift(visit["sign_out_at"], shift), "visit_date": day}
            events.append(Event(row["sign_in_at"], 0, "sign_in", row))
            if row["sign_out_at"] is not None:
                events.append(Event(row["sign_out_at"], 1, "sign_out", row))
        start = dt.datetime.combine(source, dt.time())
        fixes = session.execute(
            select(GpsPoint.manager_id, GpsPoint.recorded_at, GpsPoint.longitude, GpsPoint.latitude,
                   GpsPoint.speed_kmh, GpsPoint.accuracy_m)
            .where(GpsPoint.manager_id == manager_id, GpsPoint.recorded_at >= start,
                   GpsPoint.recorded_at < start + dt.timedelta(days=1))
        ).mappings().all()
        for fix in fixes:
            row = {**fix, "recorded_at": _shift(fix["recorded_at"], shift)}
            events.append(Event(row["recorded_at"], 2, "gps", row))
    events.sort()
    return Replay(day=day, events=events, source_days=sources)


def copy_missing_plans(session: Session, replay: Replay) -> int:
    """Give a manager with no plan for today his source day's plan (plans are known in the morning)."""
    planned = set(session.execute(
        select(VisitPlan.manager_id).where(VisitPlan.plan_date == replay.day).distinct()
    ).scalars().all())
    rows = []
    for manager_id, source in replay.source_days.items():
        if manager_id in planned:
            continue
        shops = session.execute(
            select(VisitPlan.retailer_id).where(VisitPlan.manager_id == manager_id, VisitPlan.plan_date == source)
        ).scalars().all()
        rows += [{"plan_date": replay.day, "manager_id": manager_id, "retailer_id": int(r)} for r in shops]
    if rows:
        session.execute(insert(VisitPlan), rows)
        refresh_visit_aggregates(session, start=replay.day, end=replay.day)
    return len(rows)


class LiveFeed:
    """Writes a replay's events up to a given time; safe to call repeatedly and to rerun."""

    def __init__(self, engine: Engine, replay: Replay, actor: Actor = SYSTEM) -> None:
        self.engine = engine
        self.replay = replay
        self.actor = actor
        self.cursor = 0  # events before it are written (or were already in the database)

    @property
    def done(self) -> bool:
        return self.cursor >= len(self.replay.events)

    def _existing(self, session: Session) -> tuple[dict[tuple[int, dt.datetime], bool], dict[int, dt.datetime]]:
        """Today's visits (key → signed out?) and each manager's latest fix of today."""
        day_start = dt.datetime.combine(self.replay.day, dt.time())
        visits = {
            (int(m), _shift(s, 0)): o is not None
            for m, s, o in session.execute(
                select(Visit.manager_id, Visit.sign_in_at, Visit.sign_out_at).where(Visit.visit_date == self.replay.day)
            ).all()
        }
        latest = {
            int(m): _shift(at, 0)
            for m, at in session.execute(
                select(GpsPoint.manager_id, func.max(GpsPoint.recorded_at))
                .where(GpsPoint.recorded_at >= day_start, GpsPoint.recorded_at < day_start + dt.timedelta(days=1))
                .group_by(GpsPoint.manager_id)
            ).all()
        }
        return visits, latest

    def write_until(self, until: dt.datetime) -> dict[str, int]:
        """Write every pending event at or before ``until``, in batches; counts of rows written."""
        counts = {"visits": 0, "sign_outs": 0, "gps": 0}
        events = self.replay.events
        while self.cursor < len(events) and events[self.cursor].at <= until:
            end = self.cursor
            while end < len(events) and events[end].at <= until and end - self.cursor < BATCH_EVENTS:
                end += 1
            with Session(self.engine) as session:
                batch = self._write_batch(session, events[self.cursor:end])
                if any(batch.values()):
                    audit.record(session, self.actor, "live.feed", f"{self.replay.day}", after=batch)
                    bump_data_version(session, "visits", "gps")
                session.commit()
            for key, value in batch.items():
                counts[key] += value
            self.cursor = end
        return counts

    def _write_batch(self, session: Session, batch: list[Event]) -> dict[str, int]:
        visits, latest = self._existing(session)
        new_visits: dict[tuple[int, dt.datetime], dict[str, Any]] = {}
        sign_outs: list[dict[str, Any]] = []
        fixes: list[dict[str, Any]] = []
        for event in batch:
            row = event.row
            manager_id = int(row["manager_id"])
            if event.kind == "gps":
                if latest.get(manager_id) is None or row["recorded_at"] > latest[manager_id]:
                    fixes.append(dict(row))
                continue
            key = (manager_id, row["sign_in_at"])
            if event.kind == "sign_in":
                if key not in visits and key not in new_visits:
                    new_visits[key] = {**{k: row[k] for k in _VISIT_FIELDS}, "visit_date": row["visit_date"],
                                       "sign_out_at": None, "sign_out_lon": None, "sign_out_lat": None}
            elif key in new_visits:
                new_visits[key].update({k: row[k] for k in ("sign_out_at", "sign_out_lon", "sign_out_lat")})
            elif visits.get(key) is False:
                sign_outs.append({"m": manager_id, "s": row["sign_in_at"], "out_at": row["sign_out_at"],
                                  "out_lon": row["sign_out_lon"], "out_lat": row["sign_out_lat"]})
        if new_visits:
            session.execute(insert(Visit), list(new_visits.values()))
            refresh_visit_aggregates(session, start=self.replay.day, end=self.replay.day)
        for item in sign_outs:
            session.execute(
                update(Visit)
                .where(Visit.manager_id == item["m"], Visit.sign_in_at == item["s"], Visit.sign_out_at.is_(None))
                .values(sign_out_at=item["out_at"], sign_out_lon=item["out_lon"], sign_out_lat=item["out_lat"])
            )
        if fixes:
            session.execute(insert(GpsPoint), fixes)
            days = [row["recorded_at"].date() for row in fixes]
            refresh_gps_day_summary(session, start=min(days), end=max(days),
                                    manager_ids={int(row["manager_id"]) for row in fixes})
        return {"visits": len(new_visits), "sign_outs": len(sign_outs), "gps": len(fixes)}


def _parse_hhmm(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


def run(
    *, url: str | None = None, day: dt.date | None = None, speed: float = 1.0, start: dt.time | None = None,
    minutes: float | None = None, once: bool = False, tick_s: float = 2.0,
    now: Callable[[], dt.datetime] = dt.datetime.now, monotonic: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep, log: Callable[[str], None] = print, actor: Actor = SYSTEM,
) -> dict[str, int]:
    """Replay today (or ``day``) as ``actor`` (the audited system actor); returns the total counts written.

    Clock functions are injectable.
    """
    if speed <= 0:
        raise ValueError("--speed must be positive")
    engine = get_engine(url or database_url())
    wall_start = now()
    day = day or wall_start.date()
    with Session(engine) as session:
        require(actor, Action.IMPORT_DATA, session=session)  # the feed writes data like an import
        replay = build_replay(session, day)
        replay.plans_copied = copy_missing_plans(session, replay)
        if replay.plans_copied:
            audit.record(session, actor, "live.plans", f"{day}", after={"plans": replay.plans_copied})
        session.commit()
    if not replay.events:
        log(f"nothing to replay: no visits in the {LOOKBACK_DAYS} days before {day}")
        return {"visits": 0, "sign_outs": 0, "gps": 0}
    if start is None and speed == 1.0:
        replay_start = wall_start.replace(tzinfo=None)
        replay_start = dt.datetime.combine(day, replay_start.time())
    else:
        first = replay.events[0].at - dt.timedelta(minutes=1)
        replay_start = dt.datetime.combine(day, start) if start is not None else first
    log(f"replaying {len(replay.events)} events for {day} from {len(replay.source_days)} managers' days "
        f"(speed {speed:g}, clock from {replay_start:%H:%M:%S}); {replay.plans_copied} plan rows copied")
    feed = LiveFeed(engine, replay, actor)
    totals = {"visits": 0, "sign_outs": 0, "gps": 0}
    t0 = monotonic()
    while True:
        elapsed = monotonic() - t0
        clock = replay_start + dt.timedelta(seconds=elapsed * speed)
        written = feed.write_until(clock)
        for key, value in written.items():
            totals[key] += value
        if any(written.values()):
            log(f"{clock:%H:%M:%S} +{written['visits']} visits, +{written['sign_outs']} sign-outs, +{written['gps']} fixes")
        if once or feed.done or (minutes is not None and elapsed >= minutes * 60):
            break
        sleep(tick_s)
    log(f"done: {totals['visits']} visits, {totals['sign_outs']} sign-outs, {totals['gps']} fixes")
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Replay a realistic field day as today's live visits and GPS points.")
    parser.add_argument("--database-url", help="target database (default: DATABASE_URL or the sample SQLite file)")
    parser.add_argument("--speed", type=float, default=1.0, help="replay speed (1 = real time)")
    parser.add_argument("--start", type=_parse_hhmm, help="replay clock start HH:MM (default: now at speed 1, "
                                                         "else just before the first event)")
    parser.add_argument("--minutes", type=float, help="stop after this many wall-clock minutes")
    parser.add_argument("--once", action="store_true", help="write what is due now and exit")
    parser.add_argument("--day", type=dt.date.fromisoformat, help="day to fill (default: today)")
    parser.add_argument("--tick", type=float, default=2.0, help="seconds between writes")
    args = parser.parse_args(argv)
    run(url=args.database_url, day=args.day, speed=args.speed, start=args.start, minutes=args.minutes,
        once=args.once, tick_s=args.tick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
