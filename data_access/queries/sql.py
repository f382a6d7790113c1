"""Dialect-neutral SQL building blocks shared by the query modules."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Date, cast, func
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

GRAINS = ("day", "week", "month", "year")


def truncate_date(column: ColumnElement, grain: str, dialect: str) -> ColumnElement:
    """First day of the ``grain`` (day, week from Monday, month, year) containing ``column``."""
    if grain not in GRAINS:
        raise ValueError(f"unknown grain: {grain}")
    if grain == "day":
        return column
    if dialect == "sqlite":
        modifiers = {"week": ("weekday 0", "-6 days"), "month": ("start of month",), "year": ("start of year",)}
        return func.date(column, *modifiers[grain])
    return cast(func.date_trunc(grain, column), Date)


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name


def read_frame(session: Session, stmt, date_columns: tuple[str, ...] = ()) -> pd.DataFrame:
    """Run a select and return a DataFrame; ``date_columns`` become ``datetime.date``.

    SQLite hands dates back as text, PostgreSQL as dates: normalising here makes both
    engines give identical frames.
    """
    frame = pd.read_sql(stmt, session.connection())
    for name in date_columns:
        frame[name] = pd.to_datetime(frame[name]).dt.date
    return frame


def plausible_days(session: Session, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The days a page takes data bounds from: the import window (``import_date_window``).

    Imports refuse dates outside it, but a row can reach the database by other ways (SQL, a
    restore); a year-1 or year-9999 day must not become the sidebar's first or last period.
    """
    from data_access.config import get_setting
    from data_access.loaders.dates import DateWindow

    window = DateWindow.from_config(get_setting(session, "import_date_window"), today)
    return window.bounds("fact")


def plausible_times(session: Session, today: dt.date | None = None) -> tuple[dt.datetime, dt.datetime]:
    """:func:`plausible_days` as datetimes covering the whole last day."""
    first, last = plausible_days(session, today)
    return dt.datetime.combine(first, dt.time()), dt.datetime.combine(last, dt.time(23, 59, 59))


def as_date(value: dt.date | str) -> dt.date:
    """A DATE aggregate (``min``/``max``) as ``datetime.date`` on both engines."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
