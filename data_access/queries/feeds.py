"""Each data feed's last day, never past "today".

Feeds end on different days: orders (sales) arrive daily, visits and GPS fixes come from
the phones, display inspections are entered monthly, POS reconciliations (进销存) arrive
after their month ends. Every figure is computed up to its own feed's last day (issue 13,
finding 2; docs/time_conventions.md). Each look-up is one ``ORDER BY … DESC LIMIT 1`` on an
indexed column (for GPS: per manager on ``(manager_id, recorded_at)``), never a full scan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from data_access import clock
from data_access.models import (
    CustomerManager,
    GpsPoint,
    PosReconciliation,
    SalesDaily,
    TerminalInspection,
    Visit,
)
from data_access.queries.sql import as_date, plausible_days
from data_access.rules.calendar import add_months, month_start

FEEDS = ("sales", "visits", "gps", "inspections", "pos")


@dataclass(frozen=True)
class FeedEnds:
    """The last day (or month) of each feed up to ``today``; None where a feed holds nothing yet.

    ``inspections`` and ``pos`` are months (their first day): the last month with a display
    inspection (the running month's inspections count as they are entered) and the last
    *reconciled* POS month, always a complete month before today's. ``gps_at`` is the last fix.
    """

    today: dt.date
    sales: dt.date | None
    visits: dt.date | None
    gps: dt.date | None
    gps_at: dt.datetime | None
    inspections: dt.date | None
    pos: dt.date | None

    def day(self, feed: str) -> dt.date | None:
        """Last day of ``feed``; a monthly feed's month counts up to its last day."""
        if feed not in FEEDS:
            raise ValueError(f"unknown feed: {feed}")
        return getattr(self, feed)

    def differs_from_sales(self) -> dict[str, dt.date]:
        """Daily feeds (visits, GPS) whose last day is not the sales feed's: the page says "as of" for them."""
        return {feed: day for feed in ("visits", "gps")
                if (day := getattr(self, feed)) is not None and day != self.sales}


def _last(session: Session, column: ColumnElement, bound: object) -> object | None:
    return session.execute(select(column).where(column <= bound).order_by(column.desc()).limit(1)).scalar()


def _last_fix(session: Session, until: dt.datetime) -> dt.datetime | None:
    # (manager_id, recorded_at) is the index: one descending probe per manager, a handful of rows.
    per_manager = (
        select(GpsPoint.recorded_at)
        .where(GpsPoint.manager_id == CustomerManager.id, GpsPoint.recorded_at <= until)
        .order_by(GpsPoint.recorded_at.desc())
        .limit(1)
        .correlate(CustomerManager)
        .scalar_subquery()
    )
    fixes = [value for value in session.execute(select(per_manager)).scalars() if value is not None]
    if not fixes:
        return None
    latest = max(fixes)
    return latest if isinstance(latest, dt.datetime) else dt.datetime.fromisoformat(str(latest))


def feed_ends(*, session: Session, today: dt.date | None = None, now: dt.datetime | None = None) -> FeedEnds:
    """Each feed's last day up to ``today`` (default: the clock's today).

    ``now`` bounds the GPS fixes (default: the end of ``today``, or the clock's now when
    ``today`` is not given), so a pinned 02:30 sees no fix recorded later that night.
    """
    if today is None:
        moment = clock.now(now)
        today = moment.date()
    else:
        moment = now or dt.datetime.combine(today, dt.time(23, 59, 59))
    sales = _last(session, SalesDaily.sale_date, today)
    visits = _last(session, Visit.visit_date, today)
    inspections = _last(session, TerminalInspection.month, month_start(today))
    # A month is reconciled after it ends: the running month's rows (reconciled "to date") never count.
    pos = last_reconciled_month(session=session, today=today)
    gps_at = _last_fix(session, moment)
    return FeedEnds(
        today=today,
        sales=as_date(sales) if sales is not None else None,
        visits=as_date(visits) if visits is not None else None,
        gps=gps_at.date() if gps_at is not None else None,
        gps_at=gps_at,
        inspections=as_date(inspections) if inspections is not None else None,
        pos=pos,
    )


def last_reconciled_month(*, session: Session, today: dt.date) -> dt.date | None:
    """The POS feed's last month on ``today``: the latest complete month with a reconciliation."""
    value = _last(session, PosReconciliation.month, add_months(month_start(today), -1))
    return as_date(value) if value is not None else None


def running_month_min_working_days(*, session: Session) -> int:
    """Working days of sales the running month needs before pages open on it (``default_period``)."""
    from data_access.config import default, get_setting

    value = get_setting(session, "default_period")
    try:
        return max(0, int(value["running_month_min_working_days"]))
    except (KeyError, TypeError, ValueError):  # a malformed setting falls back to the default
        return int(default("default_period")["running_month_min_working_days"])


def first_sales_day(*, session: Session) -> dt.date | None:
    """The first plausible day with sales (ascending probe on the sale_date index).

    Days before the import window's first year (a year-1 row that reached the database
    anyway) are not the start of the data: the sidebar would offer every month since.
    """
    first, _ = plausible_days(session)
    value = session.execute(select(SalesDaily.sale_date).where(SalesDaily.sale_date >= first)
                            .order_by(SalesDaily.sale_date).limit(1)).scalar()
    return as_date(value) if value is not None else None
