"""Maintenance of ``gps_day_summary`` (data_access/models/routes.py) from the raw GPS fixes.

Every writer of ``gps_point`` calls :func:`refresh_gps_day_summary` for the days (and, when
it knows them, the managers) it touched, inside its own transaction; the caller commits.
The rebuild reads the fixes by the (manager_id, recorded_at) index, one manager-day
partition at a time, so refreshing today's track of a few managers reads only those fixes.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

from sqlalchemy import Date, Float, case, cast, delete, func, insert, literal, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from data_access.models import CustomerManager, GpsPoint
from data_access.models.routes import GpsDaySummary
from data_access.rules.geodesy import EARTH_RADIUS_M

METRES_PER_DEGREE = EARTH_RADIUS_M * math.pi / 180


def day_of(column: ColumnElement, dialect: str) -> ColumnElement:
    """The calendar day of a timestamp column."""
    return func.date(column) if dialect == "sqlite" else cast(column, Date)


def seconds_between(later: ColumnElement, earlier: ColumnElement, dialect: str) -> ColumnElement:
    if dialect == "sqlite":
        return (func.julianday(later) - func.julianday(earlier)) * 86400.0
    return func.extract("epoch", later - earlier)


def _connection(conn: Session | Connection) -> Connection:
    return conn if isinstance(conn, Connection) else conn.connection()


def _day(value: dt.date) -> dt.date:
    """A day from a date or a timestamp (callers pass the min/max of the fixes they wrote)."""
    return value.date() if isinstance(value, dt.datetime) else value


def _summary_select(dialect: str, where: list[ColumnElement]):
    """Per manager-day: fixes, first/last fix, length and fastest step (see models_routes)."""
    day = day_of(GpsPoint.recorded_at, dialect)
    window = {"partition_by": (GpsPoint.manager_id, day), "order_by": GpsPoint.recorded_at}
    pairs = (
        select(
            GpsPoint.manager_id, day.label("day"), GpsPoint.recorded_at,
            GpsPoint.longitude.label("lon"), GpsPoint.latitude.label("lat"),
            func.lag(GpsPoint.recorded_at).over(**window).label("prev_at"),
            func.lag(GpsPoint.longitude).over(**window).label("prev_lon"),
            func.lag(GpsPoint.latitude).over(**window).label("prev_lat"),
        )
        .where(*where)
        .subquery()
    )
    mean_lat_radians = (pairs.c.lat + pairs.c.prev_lat) * literal(math.pi / 360)
    dx = (pairs.c.lon - pairs.c.prev_lon) * literal(METRES_PER_DEGREE) * func.cos(mean_lat_radians)
    dy = (pairs.c.lat - pairs.c.prev_lat) * literal(METRES_PER_DEGREE)
    step = func.sqrt(dx * dx + dy * dy)
    seconds = seconds_between(pairs.c.recorded_at, pairs.c.prev_at, dialect)
    speed = case((seconds > 0, step / seconds * 3.6))
    return (
        select(
            pairs.c.manager_id, pairs.c.day, func.count().label("points"),
            func.min(pairs.c.recorded_at).label("first_at"), func.max(pairs.c.recorded_at).label("last_at"),
            cast(func.coalesce(func.sum(step), 0.0), Float).label("distance_m"),
            cast(func.max(speed), Float).label("max_step_kmh"),
        )
        .group_by(pairs.c.manager_id, pairs.c.day)
    )


def refresh_gps_day_summary(
    conn: Session | Connection, *, start: dt.date | None = None, end: dt.date | None = None,
    manager_ids: Iterable[int] | None = None,
) -> None:
    """Rebuild the summary rows of days ``start``..``end`` (of ``manager_ids``, or all), or all rows.

    Whole calendar days are recomputed, so a fix added anywhere in a day is paired with
    its neighbours. The caller commits.
    """
    connection = _connection(conn)
    dialect = connection.dialect.name
    columns = ["manager_id", "day", "points", "first_at", "last_at", "distance_m", "max_step_kmh"]
    if start is None or end is None:
        connection.execute(delete(GpsDaySummary))
        # One manager at a time: each pass is an index range, and the window sorts one track, not the table.
        for manager_id in connection.execute(select(CustomerManager.id).order_by(CustomerManager.id)).scalars():
            where = [GpsPoint.manager_id == manager_id]
            connection.execute(insert(GpsDaySummary).from_select(columns, _summary_select(dialect, where)))
        return
    start, end = _day(start), _day(end)
    ids = sorted({int(m) for m in manager_ids}) if manager_ids is not None else None
    if ids == []:
        return
    # A list of managers lets the (manager_id, recorded_at) index serve the time range.
    managers = ids if ids is not None else select(CustomerManager.id)
    since = dt.datetime.combine(start, dt.time())
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    connection.execute(delete(GpsDaySummary).where(
        GpsDaySummary.day.between(start, end), GpsDaySummary.manager_id.in_(managers)))
    where = [GpsPoint.manager_id.in_(managers), GpsPoint.recorded_at >= since, GpsPoint.recorded_at < until]
    connection.execute(insert(GpsDaySummary).from_select(columns, _summary_select(dialect, where)))


def backfill_gps_day_summary(conn: Session | Connection) -> bool:
    """Fill the summary when it is empty while fixes exist (databases made before the table).

    Cheap when nothing is missing: two one-row probes. Returns whether it filled. The caller commits.
    """
    connection = _connection(conn)
    has_points = connection.execute(select(GpsPoint.id).limit(1)).first() is not None
    has_summary = connection.execute(select(GpsDaySummary.id).limit(1)).first() is not None
    if has_points and not has_summary:
        refresh_gps_day_summary(connection)
        return True
    return False
