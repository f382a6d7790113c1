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


def as_date(value: dt.date | str) -> dt.date:
    """A DATE aggregate (``min``/``max``) as ``datetime.date`` on both engines."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
