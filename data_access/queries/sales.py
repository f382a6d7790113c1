"""Sales trends page queries: series, totals, breakdowns, structure, plans, movers, forecast.

Every query sums in the database and returns a few rows; ratios are formed afterwards by
``data_access.rules.metrics``. Ranges are split (see :func:`_source`) into whole months, read from
the monthly aggregates, and the days at either edge, read from the daily aggregates, so a
three-year range reads ~36 monthly rows per key instead of ~1,100 daily ones.

Filters: ``department_id`` (the sidebar's department) and ``brand_family`` (the page's
drill-down). The per-retailer tables carry no brand, so retailer movers ignore the brand.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Integer, Table, case, func, literal, select, union_all
from sqlalchemy.sql import Select, Subquery
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from data_access.models import BrandForecast, BrandPlan, CustomerManager, Department, DepartmentPlan, Product, Retailer
from data_access.models import SalesDaily as _SalesDaily
from data_access.models.sales import (
    SalesBrandDaily,
    SalesMonthly,
    SalesRetailerDaily,
    SalesRetailerMonthly,
    SalesSegmentDaily,
    SalesSegmentMonthly,
)
from data_access.queries.sql import dialect_of, read_frame, truncate_date
from data_access.rules.calendar import add_months, month_end

MEASURES = ("cartons", "amount", "cost")
# (daily table, monthly table, dimension columns)
_PRODUCT_SOURCE = (_SalesDaily.__table__, SalesMonthly.__table__, ("department_id", "manager_id", "product_id"))
_SEGMENT_SOURCE = (
    SalesSegmentDaily.__table__, SalesSegmentMonthly.__table__,
    ("department_id", "brand_family", "business_format", "market_type"),
)
_BRAND_DAILY_SOURCE = (SalesBrandDaily.__table__, None, ("department_id", "brand_family"))
_RETAILER_SOURCE = (SalesRetailerDaily.__table__, SalesRetailerMonthly.__table__, ("retailer_id", "department_id"))

# breakdown dimension -> (source, inner key column, joined table attribute or None)
BREAKDOWNS = ("department", "manager", "brand", "sku", "price_class", "origin", "format", "market")


_FLOAT_COLUMNS = (*MEASURES, "planned_cases", "forecast_cases", "base_cartons", "change")


def _read(session: Session, stmt, date_columns: tuple[str, ...] = ()) -> pd.DataFrame:
    """``read_frame`` with sums as float64 even when no row matched (empty frames are object)."""
    frame = read_frame(session, stmt, date_columns=date_columns)
    for column in _FLOAT_COLUMNS:
        if column in frame:
            frame[column] = frame[column].astype("float64")
    return frame


def split_range(start: dt.date, end: dt.date) -> tuple[tuple[dt.date, dt.date] | None, list[tuple[dt.date, dt.date]]]:
    """Whole months (first days of first and last) inside ``start``..``end`` and the edge day ranges."""
    first = start if start.day == 1 else add_months(start, 1)
    last = end.replace(day=1) if end == month_end(end) else add_months(end, -1)
    if first > last:
        return None, [(start, end)]
    edges = []
    if start < first:
        edges.append((start, first - dt.timedelta(days=1)))
    if end > month_end(last):
        edges.append((month_end(last) + dt.timedelta(days=1), end))
    return (first, last), edges


def _brand_filter(table: Table, brand_family: str | None) -> list[ColumnElement]:
    if brand_family is None:
        return []
    if "brand_family" in table.c:
        return [table.c.brand_family == brand_family]
    if "product_id" in table.c:
        return [table.c.product_id.in_(select(Product.id).where(Product.brand_family == brand_family))]
    return []  # per-retailer tables: no brand


def _source(
    source: tuple[Table, Table | None, tuple[str, ...]], start: dt.date, end: dt.date, *,
    department_id: int | None, brand_family: str | None, monthly: bool = True,
) -> Subquery:
    """Rows of ``start``..``end`` as (day, dims..., measures): monthly rows for whole months.

    Monthly rows carry the month's first day as ``day``: right for month and year grains and
    for range totals, so day and week grains pass ``monthly=False``.
    """
    daily, monthly_table, dims = source
    use_monthly = monthly and monthly_table is not None
    months, edges = split_range(start, end) if use_monthly else (None, [(start, end)])
    parts: list[Select] = []

    def _part(table: Table, date_column: str, lo: dt.date, hi: dt.date) -> Select:
        columns = [table.c[date_column].label("day"), *(table.c[d] for d in dims), *(table.c[m] for m in MEASURES)]
        stmt = select(*columns).where(table.c[date_column].between(lo, hi))
        if department_id is not None:
            stmt = stmt.where(table.c.department_id == department_id)
        return stmt.where(*_brand_filter(table, brand_family))

    if months is not None:
        parts.append(_part(monthly_table, "month", *months))
    parts.extend(_part(daily, "sale_date", lo, hi) for lo, hi in edges)
    return (parts[0] if len(parts) == 1 else union_all(*parts)).subquery("src")


def _sums(src: Subquery) -> list[ColumnElement]:
    return [func.coalesce(func.sum(src.c[m]), 0.0).label(m) for m in MEASURES]


def add_days(column: ColumnElement, days: int, dialect: str) -> ColumnElement:
    """``column`` moved by ``days`` days (a DATE on both engines)."""
    if dialect == "sqlite":
        return func.date(column, f"{days:+d} days")
    return column + literal(days, Integer)


def sales_series(
    *, session: Session, start: dt.date, end: dt.date, grain: str, department_id: int | None = None,
    brand_family: str | None = None, shift_days: int = 0,
) -> pd.DataFrame:
    """Cartons, amount and cost per ``grain`` bucket (``bucket`` = first day) of ``start``..``end``.

    ``shift_days`` moves every day before bucketing (Spring Festival alignment of last year's
    days onto this year's calendar); shifted series are read from the daily rows.
    """
    dialect = dialect_of(session)
    if grain in ("month", "year") and shift_days == 0:
        src = _source(_PRODUCT_SOURCE, start, end, department_id=department_id, brand_family=brand_family)
    else:  # day rows: the small per-day/department/brand table
        src = _source(_BRAND_DAILY_SOURCE, start, end, department_id=department_id, brand_family=brand_family)
    # Sum per day first, then move and bucket the few hundred days (not every row).
    per_day = select(src.c.day, *_sums(src)).group_by(src.c.day).subquery("per_day")
    day = add_days(per_day.c.day, shift_days, dialect) if shift_days else per_day.c.day
    bucket = truncate_date(day, grain, dialect) if grain != "day" else day
    if dialect == "sqlite" and grain == "day":
        bucket = func.date(bucket)
    sums = [func.sum(per_day.c[m]).label(m) for m in MEASURES]
    stmt = select(bucket.label("bucket"), *sums).group_by(bucket).order_by(bucket)
    return _read(session, stmt, date_columns=("bucket",))


def range_totals(
    *, session: Session, start: dt.date, end: dt.date, department_id: int | None = None,
    brand_family: str | None = None,
) -> dict[str, float]:
    """Summed cartons, amount and cost of ``start``..``end``."""
    src = _source(_PRODUCT_SOURCE, start, end, department_id=department_id, brand_family=brand_family)
    row = session.execute(select(*_sums(src))).one()
    return {m: float(v) for m, v in zip(MEASURES, row, strict=True)}


def breakdown(
    *, session: Session, dimension: str, start: dt.date, end: dt.date, department_id: int | None = None,
    brand_family: str | None = None,
) -> pd.DataFrame:
    """Cartons, amount and cost per member of ``dimension`` (see ``BREAKDOWNS``) in the range.

    Columns: ``key`` (stable code or id), ``name`` and ``name_en`` (display names where the
    data has them, else empty), and the measures.
    """
    if dimension not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown: {dimension}")
    segment = dimension in ("format", "market")
    src = _source(_SEGMENT_SOURCE if segment else _PRODUCT_SOURCE, start, end,
                  department_id=department_id, brand_family=brand_family)
    if segment:
        column = src.c.business_format if dimension == "format" else src.c.market_type
        stmt = select(column.label("key"), literal("").label("name"), literal("").label("name_en"), *_sums(src))
        return _read(session, stmt.group_by(column))
    inner_key = {"department": "department_id", "manager": "manager_id"}.get(dimension, "product_id")
    inner = select(src.c[inner_key].label("inner_key"), *_sums(src)).group_by(src.c[inner_key]).subquery("inner")
    sums = [func.sum(inner.c[m]).label(m) for m in MEASURES]
    if dimension == "department":
        stmt = select(Department.id.label("key"), Department.name, Department.name_en, *sums).join(
            inner, inner.c.inner_key == Department.id).group_by(Department.id, Department.name, Department.name_en)
    elif dimension == "manager":
        stmt = select(CustomerManager.id.label("key"), CustomerManager.name, literal("").label("name_en"), *sums).join(
            inner, inner.c.inner_key == CustomerManager.id).group_by(CustomerManager.id, CustomerManager.name)
    elif dimension == "sku":
        stmt = select(Product.code.label("key"), Product.name, literal("").label("name_en"), *sums).join(
            inner, inner.c.inner_key == Product.id).group_by(Product.code, Product.name)
    else:
        column = {"brand": Product.brand_family, "price_class": Product.price_class,
                  "origin": Product.is_provincial}[dimension]
        stmt = select(column.label("key"), literal("").label("name"), literal("").label("name_en"), *sums).join(
            inner, inner.c.inner_key == Product.id).group_by(column)
    return _read(session, stmt)


def _monthly_product_cartons(src, dialect: str):
    """Cartons per month and product of a sales source (grouped before joining products)."""
    month = truncate_date(src.c.day, "month", dialect)
    return (
        select(month.label("month"), src.c.product_id, func.sum(src.c.cartons).label("cartons"))
        .group_by(month, src.c.product_id).subquery("inner")
    )


def class_mix_by_month(
    *, session: Session, start: dt.date, end: dt.date, department_id: int | None = None,
    brand_family: str | None = None,
) -> pd.DataFrame:
    """Cartons per month and price class: ``month``, ``price_class``, ``cartons``."""
    dialect = dialect_of(session)
    src = _source(_PRODUCT_SOURCE, start, end, department_id=department_id, brand_family=brand_family)
    inner = _monthly_product_cartons(src, dialect)
    stmt = (
        select(inner.c.month, Product.price_class, func.sum(inner.c.cartons).label("cartons"))
        .join(Product, Product.id == inner.c.product_id)
        .group_by(inner.c.month, Product.price_class).order_by(inner.c.month, Product.price_class)
    )
    return _read(session, stmt, date_columns=("month",))


def structure_totals(
    *, session: Session, start: dt.date, end: dt.date, department_id: int | None = None,
    brand_family: str | None = None,
) -> dict[str, float]:
    """Cartons in all, of class 1+2, of provincial products and of key brands."""
    src = _source(_PRODUCT_SOURCE, start, end, department_id=department_id, brand_family=brand_family)
    inner = select(src.c.product_id, func.sum(src.c.cartons).label("cartons")).group_by(src.c.product_id).subquery()

    def _part(condition: ColumnElement) -> ColumnElement:
        return func.coalesce(func.sum(case((condition, inner.c.cartons), else_=0.0)), 0.0)

    stmt = select(
        func.coalesce(func.sum(inner.c.cartons), 0.0),
        _part(Product.price_class <= 2),
        _part(Product.is_provincial.is_(True)),
        _part(Product.is_key_brand.is_(True)),
    ).join(Product, Product.id == inner.c.product_id)
    total, class12, provincial, key_brand = session.execute(stmt).one()
    return {"cartons": float(total), "class12_cartons": float(class12),
            "provincial_cartons": float(provincial), "key_brand_cartons": float(key_brand)}


def department_plan_progress(
    *, session: Session, start: dt.date, end: dt.date, first_month: dt.date, last_month: dt.date,
    department_id: int | None = None,
) -> pd.DataFrame:
    """Per department: ``planned_cases`` of the months touched and ``cartons`` sold in the range."""
    plans = (
        select(DepartmentPlan.department_id, func.sum(DepartmentPlan.planned_cases).label("planned_cases"))
        .where(DepartmentPlan.month.between(first_month, last_month))
        .group_by(DepartmentPlan.department_id).subquery("plans")
    )
    src = _source(_PRODUCT_SOURCE, start, end, department_id=department_id, brand_family=None)
    actual = select(src.c.department_id, func.sum(src.c.cartons).label("cartons")).group_by(
        src.c.department_id).subquery("actual")
    stmt = (
        select(Department.id.label("department_id"), Department.code, Department.name, Department.name_en,
               plans.c.planned_cases, func.coalesce(actual.c.cartons, 0.0).label("cartons"))
        .outerjoin(plans, plans.c.department_id == Department.id)
        .outerjoin(actual, actual.c.department_id == Department.id)
        .order_by(Department.sort_order, Department.code)
    )
    if department_id is not None:
        stmt = stmt.where(Department.id == department_id)
    return _read(session, stmt)


def brand_plan_progress(
    *, session: Session, start: dt.date, end: dt.date, first_month: dt.date, last_month: dt.date,
    department_id: int | None = None,
) -> pd.DataFrame:
    """Per planned key brand family: ``planned_cases`` of the months touched and ``cartons`` sold."""
    plan_stmt = select(BrandPlan.brand_family, func.sum(BrandPlan.planned_cases).label("planned_cases")).where(
        BrandPlan.month.between(first_month, last_month))
    if department_id is not None:
        plan_stmt = plan_stmt.where(BrandPlan.department_id == department_id)
    plans = plan_stmt.group_by(BrandPlan.brand_family).subquery("plans")
    src = _source(_PRODUCT_SOURCE, start, end, department_id=department_id, brand_family=None)
    inner = select(src.c.product_id, func.sum(src.c.cartons).label("cartons")).group_by(src.c.product_id).subquery()
    actual = (
        select(Product.brand_family, func.sum(inner.c.cartons).label("cartons"))
        .join(inner, inner.c.product_id == Product.id).group_by(Product.brand_family).subquery("actual")
    )
    stmt = (
        select(plans.c.brand_family, plans.c.planned_cases, func.coalesce(actual.c.cartons, 0.0).label("cartons"))
        .outerjoin(actual, actual.c.brand_family == plans.c.brand_family)
        .order_by(plans.c.brand_family)
    )
    return _read(session, stmt)


def retailer_changes(
    *, session: Session, start: dt.date, end: dt.date, base_start: dt.date, base_end: dt.date,
    department_id: int | None = None, limit: int = 10,
) -> pd.DataFrame:
    """The ``limit`` retailers with the largest rise and the largest fall in cartons.

    Columns: ``retailer_id``, ``shop_name``, ``customer_code``, ``manager``, ``cartons``
    (this range), ``base_cartons`` (base range), ``change``.
    """
    now = _source(_RETAILER_SOURCE, start, end, department_id=department_id, brand_family=None)
    base = _source(_RETAILER_SOURCE, base_start, base_end, department_id=department_id, brand_family=None)
    both = union_all(
        select(now.c.retailer_id, now.c.cartons.label("cartons"), literal(0.0).label("base_cartons")),
        select(base.c.retailer_id, literal(0.0).label("cartons"), base.c.cartons.label("base_cartons")),
    ).subquery("both")
    change = (func.sum(both.c.cartons) - func.sum(both.c.base_cartons)).label("change")
    per_retailer = _read(session, select(
        both.c.retailer_id, func.sum(both.c.cartons).label("cartons"),
        func.sum(both.c.base_cartons).label("base_cartons"), change,
    ).group_by(both.c.retailer_id))  # one row per retailer (a few thousand): rank them here
    ordered = per_retailer.sort_values(["change", "retailer_id"], ascending=[False, True])
    top = pd.concat([ordered.head(limit), ordered.tail(limit).iloc[::-1]]).drop_duplicates("retailer_id")
    names = _read(session, select(
        Retailer.id.label("retailer_id"), Retailer.shop_name, Retailer.customer_code,
        CustomerManager.name.label("manager"),
    ).join(CustomerManager, CustomerManager.id == Retailer.manager_id).where(
        Retailer.id.in_([int(i) for i in top["retailer_id"]])))
    return top.merge(names, on="retailer_id", how="left").reset_index(drop=True)


def forecast_vs_actual(
    *, session: Session, first_month: dt.date, last_month: dt.date, end: dt.date,
    brand_family: str | None = None,
) -> pd.DataFrame:
    """Per month and brand family with a forecast: ``forecast_cases`` and ``cartons`` sold.

    Forecasts are county-wide, so actuals are too (no department filter). ``end`` clips
    the last month to the last day with data.
    """
    dialect = dialect_of(session)
    src = _source(_PRODUCT_SOURCE, first_month, end, department_id=None, brand_family=brand_family)
    inner = _monthly_product_cartons(src, dialect)
    actual = (
        select(inner.c.month, Product.brand_family, func.sum(inner.c.cartons).label("cartons"))
        .join(Product, Product.id == inner.c.product_id).group_by(inner.c.month, Product.brand_family)
    )
    actual_frame = _read(session, actual, date_columns=("month",))
    forecast = select(BrandForecast.month, BrandForecast.brand_family, BrandForecast.forecast_cases).where(
        BrandForecast.month.between(first_month, last_month))
    if brand_family is not None:
        forecast = forecast.where(BrandForecast.brand_family == brand_family)
    forecast_frame = _read(session, forecast, date_columns=("month",))
    merged = forecast_frame.merge(actual_frame, on=["month", "brand_family"], how="left")
    merged["cartons"] = merged["cartons"].fillna(0.0)
    return merged.sort_values(["month", "brand_family"], ignore_index=True)


def brand_families(*, session: Session) -> list[str]:
    """Every brand family, alphabetically (drill-down choices)."""
    return list(session.execute(select(Product.brand_family).distinct().order_by(Product.brand_family)).scalars())


def monthly_plans(
    *, session: Session, first_month: dt.date, last_month: dt.date, department_id: int | None = None,
    brand_family: str | None = None,
) -> pd.DataFrame:
    """Planned cases per month (``month``, ``planned_cases``): department plans, or the brand's plans."""
    if brand_family is None:
        stmt = select(DepartmentPlan.month, func.sum(DepartmentPlan.planned_cases).label("planned_cases")).where(
            DepartmentPlan.month.between(first_month, last_month))
        if department_id is not None:
            stmt = stmt.where(DepartmentPlan.department_id == department_id)
        stmt = stmt.group_by(DepartmentPlan.month).order_by(DepartmentPlan.month)
    else:
        stmt = select(BrandPlan.month, func.sum(BrandPlan.planned_cases).label("planned_cases")).where(
            BrandPlan.month.between(first_month, last_month), BrandPlan.brand_family == brand_family)
        if department_id is not None:
            stmt = stmt.where(BrandPlan.department_id == department_id)
        stmt = stmt.group_by(BrandPlan.month).order_by(BrandPlan.month)
    return _read(session, stmt, date_columns=("month",))
