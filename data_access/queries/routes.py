"""Route map queries (DOMAIN.md §7): one manager-day, a month per manager, everyone's latest position.

Rows are fetched narrowly (one manager-day, or one month's visits) and sums over GPS points
are computed in the database: a month's distance and the impossible-speed pre-filter read the
per-manager-day ``gps_day_summary`` (data_access/models/routes.py), and raw fixes are only read
by the (manager_id, recorded_at) index, never filtered by time alone (a scan of every fix). Anomaly rules and coverage are applied by the pure module
``data_access.rules.visit_rules`` so each rule has exactly one implementation.

Every query here returns person-level rows and takes the user's ``scope``: lists are
filtered in SQL, a named manager or department outside it raises ``OutOfScope``.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd
from sqlalchemy import and_, exists, func, literal, or_, select
from sqlmodel import Session

from data_access.access.permissions import Scope
from data_access.config import get_setting
from data_access.gps_summary import day_of, seconds_between
from data_access.models import CustomerManager, Department, GpsPoint, Retailer, Visit, VisitPlan
from data_access.models.routes import GpsDaySummary
from data_access.queries.scoping import managers_in_scope, require_department, require_manager, restrict
from data_access.queries.sql import as_date, dialect_of, plausible_days, read_frame
from data_access.rules.visit_rules import EARTH_RADIUS_M, RULE_DEFAULTS

ACTIVE_STATUSES = ("active", "new")  # shops a manager is expected to visit


# --- helpers ------------------------------------------------------------------------------
def _day_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[first 00:00, day after last 00:00): a range the (manager, recorded_at) index serves."""
    return dt.datetime.combine(first, dt.time()), dt.datetime.combine(last + dt.timedelta(days=1), dt.time())


def _manager_ids(department_id: int | None, scope: Scope):
    return managers_in_scope(scope, department_id)


def _timestamps(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    for name in columns:
        frame[name] = pd.to_datetime(frame[name])
    return frame


# --- configuration and reference -------------------------------------------------------------
def visit_rule_settings(*, session: Session) -> dict[str, Any]:
    """The county's visit-rule thresholds merged over this module's defaults."""
    return {**RULE_DEFAULTS, **get_setting(session, "visit_rules")}


def district_towns(*, session: Session) -> pd.DataFrame:
    """Towns of the district from the retailers' positions: centre, extent and shop count."""
    stmt = (
        select(
            Retailer.town.label("town"),
            func.avg(Retailer.longitude).label("lon"),
            func.avg(Retailer.latitude).label("lat"),
            func.min(Retailer.longitude).label("min_lon"),
            func.max(Retailer.longitude).label("max_lon"),
            func.min(Retailer.latitude).label("min_lat"),
            func.max(Retailer.latitude).label("max_lat"),
            func.count().label("retailers"),
        )
        .where(Retailer.town != "")
        .group_by(Retailer.town)
        .order_by(func.count().desc())
    )
    return read_frame(session, stmt)


def route_managers(*, session: Session, scope: Scope, department_id: int | None = None) -> pd.DataFrame:
    """Active customer managers (within ``scope``) with their department: id, code, name, department."""
    require_department(scope, department_id)
    stmt = (
        select(CustomerManager.id, CustomerManager.code, CustomerManager.name,
               Department.name.label("department"), Department.name_en.label("department_en"))
        .join(Department, Department.id == CustomerManager.department_id)
        .where(CustomerManager.active.is_(True))
        .order_by(Department.sort_order, CustomerManager.code)
    )
    return read_frame(session, restrict(stmt, CustomerManager.id, scope, department_id))


def visit_days(*, session: Session, scope: Scope, manager_id: int, start: dt.date, end: dt.date) -> list[dt.date]:
    """Days in ``start``..``end`` on which the manager signed in at least once, newest first."""
    require_manager(session, scope, manager_id)
    stmt = (
        select(Visit.visit_date).distinct()
        .where(Visit.manager_id == manager_id, Visit.visit_date.between(start, end))
        .order_by(Visit.visit_date.desc())
    )
    return [as_date(value) for value in session.execute(stmt).scalars()]


# --- one manager-day ---------------------------------------------------------------------------
def gps_track(*, session: Session, scope: Scope, manager_id: int, first_day: dt.date,
              last_day: dt.date) -> pd.DataFrame:
    """The manager's GPS fixes over ``first_day``..``last_day``: recorded_at, lon, lat, speed, accuracy."""
    require_manager(session, scope, manager_id)
    since, until = _day_bounds(first_day, last_day)
    stmt = (
        select(
            GpsPoint.manager_id, GpsPoint.recorded_at, GpsPoint.longitude.label("lon"),
            GpsPoint.latitude.label("lat"), GpsPoint.speed_kmh, GpsPoint.accuracy_m,
        )
        .where(GpsPoint.manager_id == manager_id, GpsPoint.recorded_at >= since, GpsPoint.recorded_at < until)
        .order_by(GpsPoint.recorded_at)
    )
    return _timestamps(read_frame(session, stmt), "recorded_at")


def _visit_columns() -> tuple:
    return (
        Visit.id.label("visit_id"), Visit.manager_id, Visit.retailer_id, Retailer.shop_name,
        Visit.visit_date, Visit.planned, Visit.sign_in_at, Visit.sign_in_lon, Visit.sign_in_lat,
        Visit.sign_out_at, Retailer.longitude.label("shop_lon"), Retailer.latitude.label("shop_lat"),
    )


def day_visits(*, session: Session, scope: Scope, manager_id: int, day: dt.date) -> pd.DataFrame:
    """The manager's visits on ``day`` with the shop's registered position, in sign-in order."""
    require_manager(session, scope, manager_id)
    stmt = (
        select(*_visit_columns())
        .join(Retailer, Retailer.id == Visit.retailer_id)
        .where(Visit.manager_id == manager_id, Visit.visit_date == day)
    )
    # Sorted here, not by ORDER BY: with it SQLite walks the manager's whole (manager_id,
    # sign_in_at) unique index (years of visits) instead of seeking (manager_id, visit_date).
    frame = _timestamps(read_frame(session, stmt, date_columns=("visit_date",)), "sign_in_at", "sign_out_at")
    return frame.sort_values("sign_in_at", kind="stable").reset_index(drop=True)


def day_plans(*, session: Session, scope: Scope, manager_id: int, day: dt.date) -> pd.DataFrame:
    """Shops planned for the manager on ``day``: manager_id, retailer_id, plan_date, shop_name."""
    require_manager(session, scope, manager_id)
    stmt = (
        select(VisitPlan.manager_id, VisitPlan.retailer_id, VisitPlan.plan_date, Retailer.shop_name)
        .join(Retailer, Retailer.id == VisitPlan.retailer_id)
        .where(VisitPlan.manager_id == manager_id, VisitPlan.plan_date == day)
    )
    return read_frame(session, stmt, date_columns=("plan_date",))


def _last_visit(as_of: dt.date):
    """The shop's latest visit day up to ``as_of``: one (retailer_id, visit_date) index seek per shop."""
    return (
        select(func.max(Visit.visit_date))
        .where(Visit.retailer_id == Retailer.id, Visit.visit_date <= as_of)
        .scalar_subquery()
    )


def assigned_shops(
    *, session: Session, scope: Scope, as_of: dt.date, manager_id: int | None = None,
    department_id: int | None = None,
) -> pd.DataFrame:
    """Active shops of a manager (or department, or all) with their cycle and last visit up to ``as_of``."""
    require_department(scope, department_id)
    if manager_id is not None:
        require_manager(session, scope, manager_id)
    stmt = (
        select(
            Retailer.id.label("retailer_id"), Retailer.manager_id, Retailer.shop_name, Retailer.town,
            Retailer.longitude.label("lon"), Retailer.latitude.label("lat"), Retailer.visit_cycle_days,
            Retailer.terminal_level, _last_visit(as_of).label("last_visit"),
        )
        .where(Retailer.status.in_(ACTIVE_STATUSES))
        .order_by(Retailer.id)
    )
    if manager_id is not None:
        stmt = stmt.where(Retailer.manager_id == manager_id)
    else:
        stmt = restrict(stmt, Retailer.manager_id, scope, department_id)
    return read_frame(session, stmt, date_columns=("last_visit",))


def manager_day(*, session: Session, scope: Scope, manager_id: int, day: dt.date) -> dict[str, Any]:
    """Everything drawn for one manager-day: track, visits, plans, assigned shops, rule settings."""
    require_manager(session, scope, manager_id)
    return {
        "track": gps_track(session=session, scope=scope, manager_id=manager_id, first_day=day, last_day=day),
        "visits": day_visits(session=session, scope=scope, manager_id=manager_id, day=day),
        "plans": day_plans(session=session, scope=scope, manager_id=manager_id, day=day),
        "shops": assigned_shops(session=session, scope=scope, as_of=day, manager_id=manager_id),
        "rules": visit_rule_settings(session=session),
    }


# --- a month, all managers --------------------------------------------------------------------
def period_visits(*, session: Session, scope: Scope, start: dt.date, end: dt.date,
                  department_id: int | None = None) -> pd.DataFrame:
    """Every visit of ``start``..``end`` (about 30 per manager-day) with the shop's position."""
    require_department(scope, department_id)
    stmt = (
        select(*_visit_columns())
        .join(Retailer, Retailer.id == Visit.retailer_id)
        .where(Visit.visit_date.between(start, end))
        .order_by(Visit.manager_id, Visit.sign_in_at)
    )
    stmt = restrict(stmt, Visit.manager_id, scope, department_id)
    return _timestamps(read_frame(session, stmt, date_columns=("visit_date",)), "sign_in_at", "sign_out_at")


def period_missed_plans(
    *, session: Session, scope: Scope, start: dt.date, end: dt.date, department_id: int | None = None
) -> pd.DataFrame:
    """Planned visits of ``start``..``end`` with no visit of that manager to that shop that day."""
    visited = exists().where(and_(
        Visit.manager_id == VisitPlan.manager_id, Visit.retailer_id == VisitPlan.retailer_id,
        Visit.visit_date == VisitPlan.plan_date,
    ))
    stmt = (
        select(VisitPlan.manager_id, VisitPlan.retailer_id, VisitPlan.plan_date.label("visit_date"),
               Retailer.shop_name)
        .join(Retailer, Retailer.id == VisitPlan.retailer_id)
        .where(VisitPlan.plan_date.between(start, end), ~visited)
        .order_by(VisitPlan.manager_id, VisitPlan.plan_date)
    )
    stmt = restrict(stmt, VisitPlan.manager_id, scope, department_id)
    return read_frame(session, stmt, date_columns=("visit_date",))


def period_plan_counts(
    *, session: Session, scope: Scope, start: dt.date, end: dt.date, department_id: int | None = None
) -> pd.DataFrame:
    """Planned visits per manager in ``start``..``end``."""
    stmt = (
        select(VisitPlan.manager_id, func.count().label("planned_visits"))
        .where(VisitPlan.plan_date.between(start, end))
        .group_by(VisitPlan.manager_id)
    )
    stmt = restrict(stmt, VisitPlan.manager_id, scope, department_id)
    return read_frame(session, stmt)


def _segments(session: Session, manager_days: list[tuple[int, dt.date]], lat0: float):
    """GPS fixes of the given manager-days with the previous fix of the same manager-day (window LAG).

    Each manager-day is a (manager_id, recorded_at) index range, so only its fixes are read.
    """
    dialect = dialect_of(session)
    window = {"partition_by": (GpsPoint.manager_id, day_of(GpsPoint.recorded_at, dialect)),
              "order_by": GpsPoint.recorded_at}
    ranges = [
        and_(GpsPoint.manager_id == manager_id, GpsPoint.recorded_at >= since, GpsPoint.recorded_at < until)
        for manager_id, day in manager_days
        for since, until in [_day_bounds(day, day)]
    ]
    seg = (
        select(
            GpsPoint.manager_id, GpsPoint.recorded_at, GpsPoint.longitude.label("lon"),
            GpsPoint.latitude.label("lat"), GpsPoint.accuracy_m,
            func.lag(GpsPoint.recorded_at).over(**window).label("prev_at"),
            func.lag(GpsPoint.longitude).over(**window).label("prev_lon"),
            func.lag(GpsPoint.latitude).over(**window).label("prev_lat"),
            func.lag(GpsPoint.accuracy_m).over(**window).label("prev_accuracy_m"),
        )
        .where(or_(*ranges))
        .subquery()
    )
    # Equirectangular metres on the haversine's sphere at the district's latitude: within
    # 0.1 % of the great-circle length over a GPS step of a few hundred metres.
    metres_per_degree = EARTH_RADIUS_M * math.pi / 180
    dx = (seg.c.lon - seg.c.prev_lon) * literal(metres_per_degree * math.cos(math.radians(lat0)))
    dy = (seg.c.lat - seg.c.prev_lat) * literal(metres_per_degree)
    return seg, dx * dx + dy * dy, seconds_between(seg.c.recorded_at, seg.c.prev_at, dialect)


def _summary_rows(start: dt.date, end: dt.date, department_id: int | None, scope: Scope, *columns):
    """``gps_day_summary`` rows of ``start``..``end`` (of a department's managers)."""
    stmt = select(*(columns or (GpsDaySummary,))).where(GpsDaySummary.day.between(start, end))
    stmt = restrict(stmt, GpsDaySummary.manager_id, scope, department_id)
    return stmt


def period_gps_summary(
    *, session: Session, scope: Scope, start: dt.date, end: dt.date, department_id: int | None = None
) -> pd.DataFrame:
    """Per manager: GPS fixes, days with a track, and distance travelled (metres).

    Sums of ``gps_day_summary`` (one row per manager-day, kept by every GPS writer).
    """
    day = _summary_rows(start, end, department_id, scope).subquery()
    stmt = (
        select(
            day.c.manager_id,
            func.sum(day.c.points).label("gps_points"),
            func.count().label("track_days"),
            func.sum(day.c.distance_m).label("distance_m"),
        )
        .group_by(day.c.manager_id)
        .order_by(day.c.manager_id)
    )
    frame = read_frame(session, stmt)
    return frame.astype({"gps_points": "int64", "track_days": "int64", "distance_m": "float64"})


# A manager-day is re-read when its fastest step (gps_day_summary, at the pair's own latitude)
# reaches this share of the pre-filter speed (at the district's latitude): the two distance
# estimates differ by far less than 10 % inside a county.
_CANDIDATE_DAY_MARGIN = 0.9


def period_speed_candidates(
    *, session: Session, scope: Scope, start: dt.date, end: dt.date, lat0: float, min_speed_kmh: float,
    department_id: int | None = None,
) -> pd.DataFrame:
    """Consecutive-fix pairs whose approximate speed exceeds 80 % of ``min_speed_kmh``.

    A generous pre-filter in SQL; ``visit_rules.speed_jumps`` applies the exact rule. Only
    the manager-days whose fastest step (``gps_day_summary``) comes near that speed are read.
    """
    columns = ["manager_id", "prev_at", "prev_lon", "prev_lat", "prev_accuracy_m", "recorded_at", "lon", "lat",
               "accuracy_m"]
    pre_filter_kmh = min_speed_kmh * 0.8
    days = _summary_rows(start, end, department_id, scope, GpsDaySummary.manager_id, GpsDaySummary.day).where(
        GpsDaySummary.max_step_kmh > pre_filter_kmh * _CANDIDATE_DAY_MARGIN)
    manager_days = [(int(manager_id), as_date(day)) for manager_id, day in session.execute(days).all()]
    if not manager_days:
        return _timestamps(pd.DataFrame(columns=columns), "prev_at", "recorded_at")
    seg, squared, seconds = _segments(session, manager_days, lat0)
    metres_per_second = pre_filter_kmh / 3.6
    stmt = (
        select(*(seg.c[name] for name in columns))
        .where(seg.c.prev_at.is_not(None), squared > (seconds * metres_per_second) * (seconds * metres_per_second))
        .order_by(seg.c.manager_id, seg.c.recorded_at)
    )
    return _timestamps(read_frame(session, stmt), "prev_at", "recorded_at")


def district_latitude(*, session: Session) -> float:
    """Mean latitude of the retailers (scale of the equirectangular distance)."""
    value = session.execute(select(func.avg(Retailer.latitude))).scalar()
    return float(value) if value is not None else 30.0


def period_routes(
    *, session: Session, scope: Scope, start: dt.date, end: dt.date, department_id: int | None = None
) -> dict[str, Any]:
    """Everything the monthly statistics and anomaly list need for ``start``..``end`` (within ``scope``)."""
    require_department(scope, department_id)
    rules = visit_rule_settings(session=session)
    lat0 = district_latitude(session=session)
    where = {"scope": scope, "department_id": department_id}
    return {
        "managers": route_managers(session=session, **where),
        "visits": period_visits(session=session, start=start, end=end, **where),
        "plans": period_plan_counts(session=session, start=start, end=end, **where),
        "missed": period_missed_plans(session=session, start=start, end=end, **where),
        "gps": period_gps_summary(session=session, start=start, end=end, **where),
        "jumps": period_speed_candidates(
            session=session, start=start, end=end, lat0=lat0, min_speed_kmh=float(rules["max_speed_kmh"]), **where,
        ),
        "shops": assigned_shops(session=session, as_of=end, **where),
        "rules": rules,
    }


# --- everyone now -----------------------------------------------------------------------------
def managers_now(
    *, session: Session, scope: Scope, department_id: int | None = None, as_of: dt.datetime | None = None
) -> pd.DataFrame:
    """Each manager's latest GPS fix (up to ``as_of``) and the shop of their latest visit that day.

    Columns: manager_id, code, name, department, recorded_at, lon, lat, speed_kmh, shop_name,
    sign_in_at, sign_out_at, at_shop (signed in and not yet out). One index seek per manager.
    """
    latest_fix = select(func.max(GpsPoint.recorded_at)).where(GpsPoint.manager_id == CustomerManager.id)
    latest_visit = select(func.max(Visit.sign_in_at)).where(Visit.manager_id == CustomerManager.id)
    if as_of is not None:
        latest_fix = latest_fix.where(GpsPoint.recorded_at <= as_of)
        latest_visit = latest_visit.where(Visit.sign_in_at <= as_of)
    people = (
        select(
            CustomerManager.id.label("manager_id"), CustomerManager.code, CustomerManager.name,
            Department.name.label("department"), Department.name_en.label("department_en"),
            latest_fix.scalar_subquery().label("fix_at"), latest_visit.scalar_subquery().label("visit_at"),
        )
        .join(Department, Department.id == CustomerManager.department_id)
        .where(CustomerManager.active.is_(True))
    )
    require_department(scope, department_id)
    people = restrict(people, CustomerManager.id, scope, department_id).subquery()
    stmt = (
        select(
            people.c.manager_id, people.c.code, people.c.name, people.c.department, people.c.department_en,
            GpsPoint.recorded_at, GpsPoint.longitude.label("lon"), GpsPoint.latitude.label("lat"),
            GpsPoint.speed_kmh, Retailer.shop_name, Visit.sign_in_at, Visit.sign_out_at,
        )
        .join(GpsPoint, and_(GpsPoint.manager_id == people.c.manager_id, GpsPoint.recorded_at == people.c.fix_at))
        .outerjoin(Visit, and_(Visit.manager_id == people.c.manager_id, Visit.sign_in_at == people.c.visit_at))
        .outerjoin(Retailer, Retailer.id == Visit.retailer_id)
        .order_by(people.c.code)
    )
    frame = _timestamps(read_frame(session, stmt), "recorded_at", "sign_in_at", "sign_out_at")
    frame = frame.drop_duplicates("manager_id").reset_index(drop=True)
    same_day = frame["sign_in_at"].dt.date == frame["recorded_at"].dt.date
    # The latest visit only counts if it is from the same day as the position.
    frame.loc[~same_day, ["shop_name", "sign_in_at", "sign_out_at"]] = None
    frame["at_shop"] = same_day & frame["sign_out_at"].isna() | (
        same_day & (frame["sign_out_at"] >= frame["recorded_at"])
    )
    return frame


def latest_visit_day(*, session: Session, today: dt.date | None = None) -> dt.date | None:
    """The last day with any visit (the "now" of the visit data), within the plausible days and,
    when ``today`` is given, on or before it (feeds never run past today)."""
    first, last = plausible_days(session, today)
    if today is not None:
        last = min(last, today)
    stmt = (select(Visit.visit_date).where(Visit.visit_date.between(first, last))
            .order_by(Visit.visit_date.desc()).limit(1))
    value = session.execute(stmt).scalar()
    return None if value is None else as_date(value)
