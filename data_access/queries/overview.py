"""Overview page queries: sales and plan totals for a period, monthly trend.

All sums are computed in the database on ``sales_daily``; ratios are formed by
``data_access.rules.metrics`` on the few summed values.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import func, select, union_all
from sqlmodel import Session

from data_access.models import Department, DepartmentPlan, SalesDaily
from data_access.models.sales import SalesMonthly
from data_access.queries.sql import read_frame
from data_access.rules.calendar import add_months, month_end, month_start
from data_access.rules.sales_periods import DateRange, is_running, last_year_range, previous_range


def _split_months(start: dt.date, end: dt.date) -> tuple[tuple[dt.date, dt.date] | None, list[tuple[dt.date, dt.date]]]:
    """``start``..``end`` as whole months (first days of the first and last, or None) plus edge days.

    The edges are the days of a month cut by ``start`` or ``end`` (at most two ranges, one when
    both ends fall inside the same month), so a query reads ``sales_monthly`` for whole months
    and ``sales_daily`` only for those days: its cost no longer grows with the period's length.
    """
    first_whole = start if start.day == 1 else add_months(month_start(start), 1)
    last_whole = month_start(end) if end == month_end(end) else add_months(month_start(end), -1)
    edges = []
    if start.day != 1:
        edges.append((start, min(end, month_end(start))))
    if end != month_end(end):
        edges.append((max(start, month_start(end)), end))
    return ((first_whole, last_whole) if first_whole <= last_whole else None), list(dict.fromkeys(edges))


def sales_totals(
    *, session: Session, start: dt.date, end: dt.date, department_id: int | None = None
) -> dict[str, float]:
    """Summed cartons, amount and cost of ``start``..``end`` (inclusive)."""
    frame = monthly_sales(session=session, start=start, end=end, department_id=department_id)
    return {key: float(frame[key].sum()) for key in ("cartons", "amount", "cost")}


def _daily_totals(
    *, session: Session, start: dt.date, end: dt.date, department_id: int | None = None
) -> dict[str, float]:
    """Sums over ``sales_daily`` (for ranges inside one month)."""
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
    """Cartons, amount and cost per month (``month`` = first day) in ``start``..``end``.

    Whole months come from ``sales_monthly`` (a few thousand rows a month instead of tens of
    thousands); a month cut by ``start`` or ``end`` is summed from ``sales_daily`` for exactly
    its days, so a partial month compares like for like.
    """
    frames = []
    whole, edges = _split_months(start, end)
    if whole is not None:
        first_whole, last_whole = whole
        stmt = (
            select(
                SalesMonthly.month.label("month"),
                func.sum(SalesMonthly.cartons).label("cartons"),
                func.sum(SalesMonthly.amount).label("amount"),
                func.sum(SalesMonthly.cost).label("cost"),
            )
            .where(SalesMonthly.month.between(first_whole, last_whole))
            .group_by(SalesMonthly.month)
        )
        if department_id is not None:
            stmt = stmt.where(SalesMonthly.department_id == department_id)
        frames.append(read_frame(session, stmt, date_columns=("month",)))
    for edge_start, edge_end in edges:
        totals = _daily_totals(session=session, start=edge_start, end=edge_end, department_id=department_id)
        if totals["cartons"] or totals["amount"]:
            frames.append(pd.DataFrame([{"month": month_start(edge_start), **totals}]))
    if not frames:
        return pd.DataFrame({"month": [], "cartons": [], "amount": [], "cost": []})
    frame = pd.concat([f for f in frames if not f.empty] or frames[:1], ignore_index=True)
    return frame.sort_values("month", ignore_index=True)


def overview_kpis(
    *, session: Session, period_start: dt.date, period_end: dt.date, data_end: dt.date,
    department_id: int | None = None,
) -> dict[str, object]:
    """Everything the overview's KPI cards need for one period.

    The comparison ranges come from ``rules.sales_periods`` (the sales page uses the same
    functions): last year's same dates, and the previous period, complete for a complete
    period and the same number of elapsed days for a running one. The ranges themselves
    are returned (``last_year_range``, ``previous_range``) so the page can say what it
    compared with and whether the data covers them.
    """
    end = min(period_end, data_end)
    compared = DateRange(period_start, end)
    base = last_year_range(compared, "calendar")
    before = previous_range(DateRange(period_start, period_end), end)
    current = sales_totals(session=session, start=period_start, end=end, department_id=department_id)
    last_year = sales_totals(session=session, start=base.start, end=base.end, department_id=department_id)
    previous = sales_totals(session=session, start=before.start, end=before.end, department_id=department_id)
    plan = planned_cases(
        session=session, first_month=period_start, last_month=period_end.replace(day=1), department_id=department_id
    )
    return {
        "current": current,
        "last_year": last_year,
        "previous": previous,
        "planned_cases": plan,
        "compared_end": end,
        "last_year_range": base,
        "previous_range": before,
        "running": is_running(DateRange(period_start, period_end), end),
    }


def department_summary(*, session: Session, start: dt.date, end: dt.date, first_month: dt.date,
                       last_month: dt.date) -> pd.DataFrame:
    """Per department: cartons, amount, cost of ``start``..``end`` and planned cases of the months.

    Columns: department_id, code, name, name_en, cartons, amount, cost, planned_cases.
    Whole months are read from ``sales_monthly`` and only the edge days from ``sales_daily``
    (see :func:`_split_months`), so a year costs about as much as a month.
    """
    def rows_of(table, date_column, first: dt.date, last: dt.date):
        return select(table.department_id.label("department_id"), table.cartons.label("cartons"),
                      table.amount.label("amount"), table.cost.label("cost")).where(date_column.between(first, last))

    whole, edges = _split_months(start, end)
    parts = [rows_of(SalesMonthly, SalesMonthly.month, *whole)] if whole is not None else []
    parts += [rows_of(SalesDaily, SalesDaily.sale_date, *edge) for edge in edges or ([] if parts else [(start, end)])]
    rows = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery()
    sales = (
        select(
            rows.c.department_id,
            func.sum(rows.c.cartons).label("cartons"),
            func.sum(rows.c.amount).label("amount"),
            func.sum(rows.c.cost).label("cost"),
        )
        .group_by(rows.c.department_id)
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
