"""Department competition queries: KPI inputs per department and month, manual group
scores, their audit history, and the inputs of customer managers' personal scores.

Everything is summed in the database, grouped by department (or manager) and month;
points and ranks are formed by ``data_access.rules.team_scoring`` on these small frames.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import case, distinct, func, select
from sqlmodel import Session

from data_access.access.permissions import Scope
from data_access.config import get_setting
from data_access.models import (
    CustomerManager,
    Department,
    DepartmentGroupScore,
    DepartmentGroupScoreAudit,
    DepartmentPlan,
    InspectionScore,
    ManagerPlan,
    Order,
    Retailer,
    TerminalInspection,
)
from data_access.models.teams import TeamOrderingMonthly, TeamSalesDaily, TeamVisitDaily
from data_access.queries.scoping import require_department, restrict
from data_access.queries.sql import dialect_of, read_frame, truncate_date
from data_access.rules import team_scoring, terminal_scoring
from data_access.rules.calendar import add_months, month_end, shift_year

KPI_INPUT_COLUMNS = (
    "cartons", "amount", "cartons_ly", "amount_ly", "planned_cases", "ordering_retailers",
    "online_retailers", "planned_visits", "done_visits", "inspected_terminals", "average_display",
)


def _sales_sums(
    session: Session, start: dt.date, end: dt.date, *, by: str, department_id: int | None = None
) -> pd.DataFrame:
    """Cartons and amount per ``by`` (department_id or manager_id) and month, ``start``..``end``.

    From ``team_sales_daily`` (``sales_daily`` per day and manager: a year is a few thousand
    rows), so a month cut by ``end`` needs no special case.
    """
    month = truncate_date(TeamSalesDaily.sale_date, "month", dialect_of(session))
    key = getattr(TeamSalesDaily, by)
    stmt = (
        select(key, month.label("month"), func.sum(TeamSalesDaily.cartons).label("cartons"),
               func.sum(TeamSalesDaily.amount).label("amount"))
        .where(TeamSalesDaily.sale_date.between(start, end))
        .group_by(key, month)
    )
    if department_id is not None:
        stmt = stmt.where(TeamSalesDaily.department_id == department_id)
    return read_frame(session, stmt, date_columns=("month",))


def _sales_by_month(session: Session, start: dt.date, end: dt.date, *, shift: int = 0) -> pd.DataFrame:
    """Cartons and amount per department and month (months moved by ``shift`` years)."""
    frame = _sales_sums(session, start, end, by="department_id")
    frame["month"] = [shift_year(m, shift) for m in frame["month"]]
    return frame


def _plans(session: Session, first_month: dt.date, last_month: dt.date) -> pd.DataFrame:
    stmt = select(DepartmentPlan.department_id, DepartmentPlan.month, DepartmentPlan.planned_cases).where(
        DepartmentPlan.month.between(first_month, last_month)
    )
    return read_frame(session, stmt, date_columns=("month",))


def _ordering_raw(session: Session, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Ordering and online-ordering retailers per department and month, from ``retail_order``."""
    month = truncate_date(Order.order_date, "month", dialect_of(session))
    stmt = (
        select(
            CustomerManager.department_id, month.label("month"),
            func.count(distinct(Order.retailer_id)).label("ordering_retailers"),
            func.count(distinct(case((Order.channel == "online", Order.retailer_id)))).label("online_retailers"),
        )
        .join(Retailer, Retailer.id == Order.retailer_id)
        .join(CustomerManager, CustomerManager.id == Retailer.manager_id)
        .where(Order.order_date.between(start, end), Order.status == "ordered")
        .group_by(CustomerManager.department_id, month)
    )
    return read_frame(session, stmt, date_columns=("month",))


def _ordering(session: Session, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Ordering retailers per department and month ``start`` (a first day) through ``end``.

    From ``team_ordering_monthly`` (per manager and month; a retailer has one manager, so
    the sum is the department's distinct count). A last month cut by ``end`` that has
    orders after ``end`` is counted from ``retail_order`` for its days only.
    """
    tail_start = end.replace(day=1)
    cut = end < month_end(end) and session.execute(
        select(Order.id).where(Order.order_date > end, Order.order_date <= month_end(end),
                               Order.status == "ordered").limit(1)
    ).first() is not None
    last = add_months(tail_start, -1) if cut else tail_start
    stmt = (
        select(CustomerManager.department_id, TeamOrderingMonthly.month,
               func.sum(TeamOrderingMonthly.ordering_retailers).label("ordering_retailers"),
               func.sum(TeamOrderingMonthly.online_retailers).label("online_retailers"))
        .join(CustomerManager, CustomerManager.id == TeamOrderingMonthly.manager_id)
        .where(TeamOrderingMonthly.month.between(start, last))
        .group_by(CustomerManager.department_id, TeamOrderingMonthly.month)
    )
    frame = read_frame(session, stmt, date_columns=("month",))
    if cut and tail_start >= start:
        frame = pd.concat([frame, _ordering_raw(session, tail_start, end)], ignore_index=True)
    return frame


def _visits(
    session: Session, start: dt.date, end: dt.date, *, by_manager: bool = False, department_id: int | None = None
) -> pd.DataFrame:
    """Planned and done visits per department (or manager) and month, from ``team_visit_daily``."""
    month = truncate_date(TeamVisitDaily.plan_date, "month", dialect_of(session))
    owner = TeamVisitDaily.manager_id.label("manager_id") if by_manager else CustomerManager.department_id
    stmt = (
        select(owner, month.label("month"), func.sum(TeamVisitDaily.planned_visits).label("planned_visits"),
               func.sum(TeamVisitDaily.done_visits).label("done_visits"))
        .join(CustomerManager, CustomerManager.id == TeamVisitDaily.manager_id)
        .where(TeamVisitDaily.plan_date.between(start, end))
        .group_by(owner, month)
    )
    if department_id is not None:
        stmt = stmt.where(CustomerManager.department_id == department_id)
    return read_frame(session, stmt, date_columns=("month",))


def _display(session: Session, first_month: dt.date, last_month: dt.date) -> pd.DataFrame:
    """Inspected terminals and their average display points per department and month.

    Each inspection is scored by ``terminal_scoring.display_scores`` on the configured rubric,
    the one definition the terminal ranking uses too: parts outside the rubric are ignored,
    each part counts up to its configured points (issue 13, finding 4).
    """
    stmt = (
        select(CustomerManager.department_id, TerminalInspection.retailer_id, TerminalInspection.month,
               InspectionScore.part_code, InspectionScore.points)
        .join(InspectionScore, InspectionScore.inspection_id == TerminalInspection.id)
        .join(Retailer, Retailer.id == TerminalInspection.retailer_id)
        .join(CustomerManager, CustomerManager.id == Retailer.manager_id)
        .where(TerminalInspection.month.between(first_month, last_month))
    )
    points = read_frame(session, stmt, date_columns=("month",))
    columns = ["department_id", "month", "inspected_terminals", "average_display"]
    if points.empty:
        return pd.DataFrame(columns=columns).astype({"department_id": "int64", "month": object})
    scores = terminal_scoring.display_scores(points, display_rubric(session=session))
    owners = points.drop_duplicates(["retailer_id", "month"])[["retailer_id", "month", "department_id"]]
    scored = scores.merge(owners, on=["retailer_id", "month"], how="left")
    return (scored.groupby(["department_id", "month"], as_index=False)
            .agg(inspected_terminals=("retailer_id", "size"), average_display=("display_points", "mean"))[columns])


def display_rubric(*, session: Session) -> terminal_scoring.Rubric:
    """The county's display rubric (configuration ``display_rubric``), as every page scores it."""
    return terminal_scoring.rubric_from_config(get_setting(session, "display_rubric"))


def department_kpi_inputs(
    *, session: Session, first_month: dt.date, last_month: dt.date, data_end: dt.date,
    visits_end: dt.date | None = None,
) -> pd.DataFrame:
    """The numbers behind every department's KPI sub-indicators, per month.

    One row per department and month of ``first_month``..``last_month`` (first days),
    counted up to ``data_end`` (the sales feed's last day); last year's sales cover the same
    days one year earlier (like for like when the last month is partial). Visit plans and
    visits count up to ``visits_end``, the visits feed's own last day (default ``data_end``):
    a plan after it has not had its chance yet, so it is not missed. Missing inputs are NaN, not 0.
    """
    end = min(month_end(last_month), data_end)
    visits_until = min(month_end(last_month), visits_end or data_end)
    departments = read_frame(session, select(Department.id.label("department_id")))
    months = []
    cursor = first_month
    while cursor <= last_month:
        months.append(cursor)
        cursor = add_months(cursor, 1)
    grid = pd.MultiIndex.from_product([departments["department_id"].tolist(), months],
                                      names=["department_id", "month"]).to_frame(index=False)
    last_year = _sales_by_month(session, shift_year(first_month, -1), shift_year(end, -1), shift=1).rename(
        columns={"cartons": "cartons_ly", "amount": "amount_ly"}
    )
    parts = [
        _sales_by_month(session, first_month, end),
        last_year,
        _plans(session, first_month, last_month),
        _ordering(session, first_month, end),
        _visits(session, first_month, visits_until),
        _display(session, first_month, last_month),
    ]
    frame = grid
    for part in parts:
        frame = frame.merge(part, on=["department_id", "month"], how="left")
    for column in KPI_INPUT_COLUMNS:
        frame[column] = frame[column].astype("float64")
    # Zero sales is a fact, not a gap: only plans, last year, visits and inspections stay NaN.
    frame["cartons"] = frame["cartons"].fillna(0.0)
    frame["amount"] = frame["amount"].fillna(0.0)
    return frame


def manual_scores(*, session: Session, first_month: dt.date, last_month: dt.date) -> pd.DataFrame:
    """Entered group scores (groups 2–5) with who entered them and when."""
    stmt = select(
        DepartmentGroupScore.department_id, DepartmentGroupScore.month, DepartmentGroupScore.group_code,
        DepartmentGroupScore.score, DepartmentGroupScore.entered_by, DepartmentGroupScore.entered_at,
    ).where(DepartmentGroupScore.month.between(first_month, last_month))
    return read_frame(session, stmt, date_columns=("month",))


def score_audit(*, session: Session, month: dt.date, department_id: int | None = None) -> pd.DataFrame:
    """Every entry and correction of the month's group scores, newest first."""
    stmt = (
        select(
            DepartmentGroupScoreAudit.id, DepartmentGroupScoreAudit.department_id, Department.name.label("department"),
            Department.name_en.label("department_en"), DepartmentGroupScoreAudit.group_code,
            DepartmentGroupScoreAudit.old_score, DepartmentGroupScoreAudit.new_score,
            DepartmentGroupScoreAudit.entered_by, DepartmentGroupScoreAudit.entered_at,
            DepartmentGroupScoreAudit.reason,
        )
        .join(Department, Department.id == DepartmentGroupScoreAudit.department_id)
        .where(DepartmentGroupScoreAudit.month == month)
        .order_by(DepartmentGroupScoreAudit.entered_at.desc(), DepartmentGroupScoreAudit.id.desc())
    )
    if department_id is not None:
        stmt = stmt.where(DepartmentGroupScoreAudit.department_id == department_id)
    frame = read_frame(session, stmt)
    frame["entered_at"] = pd.to_datetime(frame["entered_at"])
    return frame


def competition_data(*, session: Session, month: dt.date, data_end: dt.date,
                     visits_end: dt.date | None = None) -> dict[str, object]:
    """Everything the leaderboard needs for ``month``: KPI inputs and manual scores from the
    previous December through ``month`` (rank change in January needs December), the
    departments, the group weights, the KPI rule and the display rubric's full marks.
    ``data_end`` / ``visits_end``: the sales and visits feeds' last days."""
    first = add_months(month.replace(month=1), -1)
    return {
        "departments": read_frame(session, select(Department.id, Department.code, Department.name,
                                                  Department.name_en).order_by(Department.sort_order,
                                                                               Department.code)),
        "kpi_inputs": department_kpi_inputs(session=session, first_month=first, last_month=month, data_end=data_end,
                                            visits_end=visits_end),
        "manual": manual_scores(session=session, first_month=first, last_month=month),
        "weights": get_setting(session, "department_weights"),
        "rule": get_setting(session, "department_kpi_rule"),
        "rubric_total": display_rubric(session=session).max_points,
    }


def competition_view(*, session: Session, month: dt.date, data_end: dt.date, scope: str,
                     visits_end: dt.date | None = None) -> dict[str, object]:
    """:func:`competition_data` scored and ranked (``team_scoring.competition``) in one
    cacheable call, so a warm page does no pandas work for the ranking either."""
    data = competition_data(session=session, month=month, data_end=data_end, visits_end=visits_end)
    return {**data, **team_scoring.competition(data, month=month, data_end=data_end, scope=scope)}


def manager_inputs(
    *, session: Session, scope: Scope, month: dt.date, data_end: dt.date, department_id: int | None = None,
    visits_end: dt.date | None = None,
) -> pd.DataFrame:
    """Per active customer manager (of one department, or all; within ``scope``) in ``month``:
    task (plan) in cases, sales in cartons (to ``data_end``), planned and done visits (to
    ``visits_end``, default ``data_end``). Missing plans or visit plans are NaN. A department
    outside the scope raises ``OutOfScope``."""
    require_department(scope, department_id)
    end = min(month_end(month), data_end)
    visits_until = min(month_end(month), visits_end or data_end)
    stmt = select(CustomerManager.id.label("manager_id"), CustomerManager.code, CustomerManager.name,
                  CustomerManager.department_id).where(CustomerManager.active.is_(True))
    stmt = restrict(stmt, CustomerManager.id, scope, department_id)  # the rows returned are these managers
    sales = _sales_sums(session, month, end, by="manager_id", department_id=department_id)[["manager_id", "cartons"]]
    managers = read_frame(session, stmt.order_by(CustomerManager.code))
    plans = read_frame(session, select(ManagerPlan.manager_id, ManagerPlan.planned_cases).where(
        ManagerPlan.month == month
    ))
    visits = _visits(session, month, visits_until, by_manager=True, department_id=department_id).drop(columns="month")
    frame = managers.merge(plans, on="manager_id", how="left")
    frame = frame.merge(sales, on="manager_id", how="left")
    frame = frame.merge(visits, on="manager_id", how="left")
    for column in ("planned_cases", "cartons", "planned_visits", "done_visits"):
        frame[column] = frame[column].astype("float64")
    frame["cartons"] = frame["cartons"].fillna(0.0)
    return frame


def personal_weights(*, session: Session) -> dict[str, float]:
    """The personal score's part weights (``department_kpi_rule.personal_parts``)."""
    return dict(get_setting(session, "department_kpi_rule")["personal_parts"])
