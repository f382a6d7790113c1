"""Overview page queries: sales and plan totals for a period, monthly trend.

All sums are computed in the database on ``sales_daily``; ratios are formed by
``data_access.metrics`` on the few summed values.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import func, select
from sqlmodel import Session

from data_access.models import Department, DepartmentPlan, SalesDaily
from data_access.queries.sql import dialect_of, read_frame, truncate_date


def sales_totals(
    *, session: Session, start: dt.date, end: dt.date, department_id: int | None = None
) -> dict[str, float]:
    """Summed cartons, amount and cost of ``start``..``end`` (inclusive)."""
    stmt = select(
        func.coalesce(func.sum(SalesDaily.cartons), 0.0),
        func.coalesce(func.sum(SalesDaily.amount), 0.0),
        func.coalesce(func.sum(SalesDaily.cost), 0.0),
    ).where(SalesDaily.sale_date.between(start, end))
    if department_id is not None:
        stmt = stmt.where(SalesDaily.department_id == department_id)
    cartons, amount, cost = session.execute(stmt).one()
    return {"cartons": float(cartons), "amount": float(amount), "cost": float(cost)}


def planned_cases(
    *, session: Session, first_month: dt.date, last_month: dt.date, department_id: int | None = None
) -> float | None:
    """Planned cases of the months ``first_month``..``last_month`` (first days), None if no plan."""
    stmt = select(func.sum(DepartmentPlan.planned_cases)).where(
        DepartmentPlan.month.between(first_month, last_month)
    )
    if department_id is not None:
        stmt = stmt.where(DepartmentPlan.department_id == department_id)
    value = session.execute(stmt).scalar()
    return None if value is None else float(value)


def monthly_sales(
    *, session: Session, start: dt.date, end: dt.date, department_id: int | None = None
) -> pd.DataFrame:
    """Cartons, amount and cost per month (``month`` = first day) in ``start``..``end``."""
    month = truncate_date(SalesDaily.sale_date, "month", dialect_of(session))
    stmt = (
        select(
            month.label("month"),
            func.sum(SalesDaily.cartons).label("cartons"),
            func.sum(SalesDaily.amount).label("amount"),
            func.sum(SalesDaily.cost).label("cost"),
        )
        .where(SalesDaily.sale_date.between(start, end))
        .group_by(month)
        .order_by(month)
    )
    if department_id is not None:
        stmt = stmt.where(SalesDaily.department_id == department_id)
    return read_frame(session, stmt, date_columns=("month",))


def overview_kpis(
    *, session: Session, period_start: dt.date, period_end: dt.date, data_end: dt.date,
    department_id: int | None = None,
) -> dict[str, object]:
    """Everything the overview's KPI cards need for one period.

    A partial period (data ends inside it) is compared like for like: this year's days so
    far against the same days last year, and against the same number of days of the
    previous period.
    """
    from data_access.calendar import add_months, shift_year

    end = min(period_end, data_end)
    current = sales_totals(session=session, start=period_start, end=end, department_id=department_id)
    last_year = sales_totals(
        session=session, start=shift_year(period_start, -1), end=shift_year(end, -1), department_id=department_id
    )
    months = (period_end.year - period_start.year) * 12 + period_end.month - period_start.month + 1
    prev_start = add_months(period_start, -months)
    prev_end = min(prev_start + (end - period_start), add_months(prev_start, months) - dt.timedelta(days=1))
    previous = sales_totals(session=session, start=prev_start, end=prev_end, department_id=department_id)
    plan = planned_cases(
        session=session, first_month=period_start, last_month=period_end.replace(day=1), department_id=department_id
    )
    return {
        "current": current,
        "last_year": last_year,
        "previous": previous,
        "planned_cases": plan,
        "compared_end": end,
    }


def department_summary(*, session: Session, start: dt.date, end: dt.date, first_month: dt.date,
                       last_month: dt.date) -> pd.DataFrame:
    """Per department: cartons, amount, cost of ``start``..``end`` and planned cases of the months.

    Columns: department_id, code, name, name_en, cartons, amount, cost, planned_cases.
    """
    sales = (
        select(
            SalesDaily.department_id.label("department_id"),
            func.sum(SalesDaily.cartons).label("cartons"),
            func.sum(SalesDaily.amount).label("amount"),
            func.sum(SalesDaily.cost).label("cost"),
        )
        .where(SalesDaily.sale_date.between(start, end))
        .group_by(SalesDaily.department_id)
        .subquery()
    )
    plans = (
        select(
            DepartmentPlan.department_id.label("department_id"),
            func.sum(DepartmentPlan.planned_cases).label("planned_cases"),
        )
        .where(DepartmentPlan.month.between(first_month, last_month))
        .group_by(DepartmentPlan.department_id)
        .subquery()
    )
    stmt = (
        select(
            Department.id.label("department_id"), Department.code, Department.name, Department.name_en,
            func.coalesce(sales.c.cartons, 0.0).label("cartons"),
            func.coalesce(sales.c.amount, 0.0).label("amount"),
            func.coalesce(sales.c.cost, 0.0).label("cost"),
            plans.c.planned_cases,
        )
        .outerjoin(sales, sales.c.department_id == Department.id)
        .outerjoin(plans, plans.c.department_id == Department.id)
        .order_by(Department.sort_order, Department.code)
    )
    return read_frame(session, stmt)
