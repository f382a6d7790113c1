"""Terminal rankings page queries (DOMAIN.md §6): modern terminals and their monthly sums.

Every function returns sums per (terminal, month) computed in the database; the scores and
the ranking are formed by ``data_access.rules.terminal_scoring``. Months are first days of
month (``datetime.date``) on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy import Date, case, func, literal, select
from sqlmodel import Session

from data_access.access.permissions import Actor, Scope
from data_access.config import get_setting, set_setting
from data_access.models import (
    MODERN_TERMINAL_LEVELS,
    CustomerManager,
    Department,
    InspectionScore,
    PosReconciliation,
    Product,
    Retailer,
    TerminalInspection,
    TerminalPhoto,
    Visit,
)
from data_access.models.sales import SalesMonthly
from data_access.models.terminals import TerminalSalesDaily
from data_access.queries.scoping import require_retailer
from data_access.queries.sql import as_date, dialect_of, plausible_days, read_frame, truncate_date
from data_access.rules import terminal_scoring as scoring
from data_access.rules.calendar import add_months, month_end, shift_year

RANKED_STATUSES = ("active", "new", "suspended")  # closed shops (歇业) leave the ranking


def _modern_ids() -> Any:
    return select(Retailer.id).where(
        Retailer.terminal_level.in_(MODERN_TERMINAL_LEVELS), Retailer.status.in_(RANKED_STATUSES)
    )


def _month_range(first_month: dt.date, last_month: dt.date) -> tuple[dt.date, dt.date]:
    return first_month, add_months(last_month, 1) - dt.timedelta(days=1)


def _date_ranges(months: tuple[dt.date, ...]) -> list[tuple[dt.date, dt.date]]:
    """Day ranges covering ``months``, consecutive months merged into one range."""
    runs: list[list[dt.date]] = []
    for month in sorted(set(months)):
        if runs and add_months(runs[-1][1], 1) == month:
            runs[-1][1] = month
        else:
            runs.append([month, month])
    return [_month_range(first, last) for first, last in runs]


def scoring_config(*, session: Session) -> dict[str, Any]:
    """The county's display rubric and composite weights (configuration, not code)."""
    return {"rubric": get_setting(session, "display_rubric"), "weights": get_setting(session, "terminal_weights")}


def save_terminal_weights(*, session: Session, weights: Any, actor: Actor | None) -> None:
    """Save composite weights (a ``terminal_scoring.Weights``) as the county default; caller commits.

    Audited; raises ``PermissionDenied`` (nothing written) unless ``actor`` may edit weights.
    """
    set_setting(session, "terminal_weights", weights.as_config(), actor=actor)


def modern_terminals(*, session: Session) -> pd.DataFrame:
    """Ranked modern terminals with their format, market type, manager and department."""
    stmt = (
        select(
            Retailer.id,
            Retailer.customer_code,
            Retailer.licence_no,
            Retailer.shop_name,
            Retailer.business_format,
            Retailer.market_type,
            Retailer.terminal_level,
            Retailer.has_pos,
            Retailer.manager_id,
            CustomerManager.name.label("manager"),
            CustomerManager.department_id,
            Department.name.label("department"),
            Department.name_en.label("department_en"),
        )
        .join(CustomerManager, CustomerManager.id == Retailer.manager_id)
        .join(Department, Department.id == CustomerManager.department_id)
        .where(Retailer.id.in_(_modern_ids()))
        .order_by(Retailer.customer_code)
    )
    return read_frame(session, stmt)


def inspection_points(*, session: Session, first_month: dt.date, last_month: dt.date,
                      retailer_id: int | None = None, until: dt.date | None = None) -> pd.DataFrame:
    """Points per rubric part of the inspections of modern terminals in the months
    (inspected on or before ``until`` when given: a pinned "today" sees no later inspection)."""
    stmt = (
        select(
            TerminalInspection.retailer_id,
            TerminalInspection.month,
            TerminalInspection.inspected_on,
            InspectionScore.part_code,
            InspectionScore.points,
        )
        .join(InspectionScore, InspectionScore.inspection_id == TerminalInspection.id)
        .where(TerminalInspection.month.between(first_month, last_month))
    )
    if until is not None:
        stmt = stmt.where(TerminalInspection.inspected_on <= until)
    if retailer_id is None:
        stmt = stmt.where(TerminalInspection.retailer_id.in_(_modern_ids()))
    else:
        stmt = stmt.where(TerminalInspection.retailer_id == retailer_id)
    return read_frame(session, stmt, date_columns=("month", "inspected_on"))


def reconciliations(*, session: Session, first_month: dt.date, last_month: dt.date,
                    retailer_id: int | None = None) -> pd.DataFrame:
    """Purchase–sale–stock reconciliations (进销存) of modern terminals in the months, in cartons."""
    stmt = select(
        PosReconciliation.retailer_id,
        PosReconciliation.month,
        PosReconciliation.opening_stock,
        PosReconciliation.delivered,
        PosReconciliation.closing_stock,
        PosReconciliation.scanned,
        PosReconciliation.scanned_valid,
    ).where(PosReconciliation.month.between(first_month, last_month))
    if retailer_id is None:
        stmt = stmt.where(PosReconciliation.retailer_id.in_(_modern_ids()))
    else:
        stmt = stmt.where(PosReconciliation.retailer_id == retailer_id)
    return read_frame(session, stmt, date_columns=("month",))


def _terminal_sales_stmt(start: dt.date, end: dt.date, month: Any, cut: tuple[dt.date, dt.date] | None) -> Any:
    stmt = select(
        TerminalSalesDaily.retailer_id,
        month.label("month"),
        func.sum(TerminalSalesDaily.cartons).label("cartons"),
        func.sum(TerminalSalesDaily.key_cartons).label("key_cartons"),
        func.sum(TerminalSalesDaily.amount).label("amount"),
    ).where(TerminalSalesDaily.sale_date.between(start, end))
    if cut is not None:
        stmt = stmt.where(~TerminalSalesDaily.sale_date.between(*cut))
    return stmt


def _partial_cut(data_end: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """Days of last year's month to leave out when ``data_end`` falls inside its month (like for like)."""
    if data_end is None or data_end >= month_end(data_end):
        return None
    last_year_end = shift_year(data_end, -1)
    return last_year_end + dt.timedelta(days=1), month_end(last_year_end)


def terminal_sales(*, session: Session, months: tuple[dt.date, ...], retailer_id: int | None = None,
                   data_end: dt.date | None = None) -> pd.DataFrame:
    """Cartons, key-brand cartons and amount per modern terminal and month, for ``months``.

    With ``data_end`` inside its month (a partial month), the same month a year earlier is
    summed only up to the same day, so year-on-year growth compares like for like.

    Read from the pre-aggregated ``terminal_sales_daily`` (one row per retailer and order
    day). All terminals: one query per month grouped by retailer only (the month is a
    constant, so no per-row date function), read from the (date, retailer) covering index.
    One terminal: one query per run of consecutive months, grouped by month.
    """
    columns = ["retailer_id", "month", "cartons", "key_cartons", "amount"]
    cut = _partial_cut(data_end)
    frames = []
    if retailer_id is None:
        for first in sorted(set(months)):
            start, end = _month_range(first, first)
            stmt = (
                _terminal_sales_stmt(start, end, literal(first, Date), cut)
                .where(TerminalSalesDaily.retailer_id.in_(_modern_ids()))
                .group_by(TerminalSalesDaily.retailer_id)
            )
            frames.append(read_frame(session, stmt, date_columns=("month",)))
    else:
        month = truncate_date(TerminalSalesDaily.sale_date, "month", dialect_of(session))
        for start, end in _date_ranges(months):
            stmt = _terminal_sales_stmt(start, end, month, cut).where(TerminalSalesDaily.retailer_id == retailer_id)
            frames.append(read_frame(session, stmt.group_by(TerminalSalesDaily.retailer_id, month),
                                     date_columns=("month",)))
    frames = [frame for frame in frames if not frame.empty]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def department_sales(*, session: Session, first_month: dt.date, last_month: dt.date,
                     department_id: int | None = None) -> pd.DataFrame:
    """Cartons and key-brand cartons per department and month, over all its retailers.

    One query on the pre-aggregated ``sales_monthly`` (per month, manager and product, so a
    product's key-brand flag is read as it is now).
    """
    stmt = (
        select(
            SalesMonthly.department_id,
            SalesMonthly.month,
            func.sum(SalesMonthly.cartons).label("cartons"),
            func.sum(case((Product.is_key_brand.is_(True), SalesMonthly.cartons), else_=0.0)).label("key_cartons"),
        )
        .join(Product, Product.id == SalesMonthly.product_id)
        .where(SalesMonthly.month.between(first_month, last_month))
        .group_by(SalesMonthly.department_id, SalesMonthly.month)
        .order_by(SalesMonthly.month, SalesMonthly.department_id)
    )
    if department_id is not None:
        stmt = stmt.where(SalesMonthly.department_id == department_id)
    frame = read_frame(session, stmt, date_columns=("month",))
    if frame.empty:
        return pd.DataFrame(columns=["department_id", "month", "cartons", "key_cartons"])
    return frame


def last_inspections(*, session: Session, last_month: dt.date) -> pd.DataFrame:
    """Latest inspection (month and day) of each modern terminal up to ``last_month``."""
    stmt = (
        select(
            TerminalInspection.retailer_id,
            func.max(TerminalInspection.inspected_on).label("last_inspected_on"),
        )
        .where(TerminalInspection.month <= last_month, TerminalInspection.retailer_id.in_(_modern_ids()))
        .group_by(TerminalInspection.retailer_id)
    )
    return read_frame(session, stmt, date_columns=("last_inspected_on",))


def inspected_months(*, session: Session, today: dt.date | None = None) -> list[dt.date]:
    """Months holding at least one inspection (within the plausible days, and made on or before
    ``today`` when given: a pinned "today" sees no later inspection), newest first."""
    first, last = plausible_days(session, today)
    stmt = (select(TerminalInspection.month).distinct().where(TerminalInspection.month.between(first, last))
            .order_by(TerminalInspection.month.desc()))
    if today is not None:
        stmt = stmt.where(TerminalInspection.inspected_on <= today)
    rows = session.execute(stmt).scalars()
    return [as_date(value) for value in rows]


def ranking_inputs(*, session: Session, month: dt.date, data_end: dt.date | None = None,
                   today: dt.date | None = None) -> dict[str, pd.DataFrame]:
    """Everything the ranking of ``month`` and of the month before needs, in one call.

    ``data_end``: last day with data, for a like-for-like year on year in a partial month.
    ``today``: inspections entered after it are not there yet.
    """
    previous = add_months(month, -1)
    return {
        "terminals": modern_terminals(session=session),
        "inspection_points": inspection_points(session=session, first_month=previous, last_month=month, until=today),
        "reconciliation": reconciliations(session=session, first_month=previous, last_month=month),
        "sales": terminal_sales(
            session=session, months=(add_months(previous, -12), add_months(month, -12), previous, month),
            data_end=data_end,
        ),
        "department_sales": department_sales(session=session, first_month=previous, last_month=month),
        "last_inspection": last_inspections(session=session, last_month=month),
    }


def terminal_archive(*, session: Session, scope: Scope, retailer_id: int) -> dict[str, Any] | None:
    """The archive fields (DOMAIN.md §2) of one terminal, or None when unknown.

    Person-level detail: a terminal outside ``scope`` raises ``OutOfScope`` (so do the other
    detail queries below).
    """
    if session.get(Retailer, retailer_id) is not None:  # unknown stays "unknown", not "no access"
        require_retailer(session, scope, retailer_id)
    stmt = (
        select(
            Retailer,
            CustomerManager.name.label("manager"),
            CustomerManager.code.label("manager_code"),
            Department.name.label("department"),
            Department.name_en.label("department_en"),
        )
        .join(CustomerManager, CustomerManager.id == Retailer.manager_id)
        .join(Department, Department.id == CustomerManager.department_id)
        .where(Retailer.id == retailer_id)
    )
    row = session.execute(stmt).first()
    if row is None:
        return None
    archive = row[0].model_dump()
    archive.update(manager=row.manager, manager_code=row.manager_code, department=row.department,
                   department_en=row.department_en)
    return archive


def terminal_photos(*, session: Session, scope: Scope, retailer_id: int) -> pd.DataFrame:
    """Archive photos of one terminal, oldest first: taken_on, kind, path, caption."""
    require_retailer(session, scope, retailer_id)
    stmt = (
        select(TerminalPhoto.taken_on, TerminalPhoto.kind, TerminalPhoto.path, TerminalPhoto.caption)
        .where(TerminalPhoto.retailer_id == retailer_id)
        .order_by(TerminalPhoto.taken_on, TerminalPhoto.kind)
    )
    return read_frame(session, stmt, date_columns=("taken_on",))


def recent_visits(*, session: Session, scope: Scope, retailer_id: int, until: dt.date,
                  limit: int = 10) -> pd.DataFrame:
    """The latest visits to one terminal up to ``until``: who, when, sign-in and sign-out."""
    require_retailer(session, scope, retailer_id)
    stmt = (
        select(
            Visit.visit_date,
            CustomerManager.name.label("manager"),
            Visit.sign_in_at,
            Visit.sign_out_at,
            Visit.planned,
        )
        .join(CustomerManager, CustomerManager.id == Visit.manager_id)
        .where(Visit.retailer_id == retailer_id, Visit.visit_date <= until)
        .order_by(Visit.sign_in_at.desc())
        .limit(limit)
    )
    frame = read_frame(session, stmt, date_columns=("visit_date",))
    for name in ("sign_in_at", "sign_out_at"):
        frame[name] = pd.to_datetime(frame[name])
    return frame


def terminal_history(*, session: Session, retailer_id: int, department_id: int, last_month: dt.date,
                     months: int = 12, data_end: dt.date | None = None) -> dict[str, pd.DataFrame]:
    """One terminal's monthly inputs for the ``months`` months to ``last_month`` (trend view)."""
    first_month = add_months(last_month, -(months - 1))
    series = tuple(add_months(first_month, i) for i in range(months))
    return {
        "inspection_points": inspection_points(
            session=session, first_month=first_month, last_month=last_month, retailer_id=retailer_id
        ),
        "reconciliation": reconciliations(
            session=session, first_month=first_month, last_month=last_month, retailer_id=retailer_id
        ),
        "sales": terminal_sales(
            session=session, months=(*(add_months(m, -12) for m in series), *series), retailer_id=retailer_id,
            data_end=data_end,
        ),
        "department_sales": department_sales(
            session=session, first_month=first_month, last_month=last_month, department_id=department_id
        ),
    }


def pos_pending(*, session: Session, month: dt.date, today: dt.date | None) -> bool:
    """Whether ``month``'s POS reconciliation is not due yet on ``today`` (None: never pending)."""
    if today is None:
        return False
    from data_access.queries.feeds import last_reconciled_month

    return scoring.pos_pending(month, today=today, last_reconciled=last_reconciled_month(session=session, today=today))


def scored_ranking(*, session: Session, month: dt.date, month_end: dt.date,
                   weights: tuple[float, float, float], today: dt.date | None = None) -> dict[str, Any]:
    """The month's ranking and uninspected list, scored with the county rubric and ``weights``.

    One cacheable call (weights are widget values passed in): a rerun with the same choices
    costs a cache hit instead of re-scoring. ``weights`` = (display, POS, brand cultivation).
    ``today`` decides whether the month's POS reconciliation is still pending (``pos_pending``).
    """
    rubric = scoring.rubric_from_config(get_setting(session, "display_rubric"))
    inputs = ranking_inputs(session=session, month=month, data_end=month_end, today=today)
    chosen = scoring.Weights(*weights)
    pending = pos_pending(session=session, month=month, today=today)
    return {
        "ranking": scoring.terminal_ranking(
            inputs, month=month, previous_month=add_months(month, -1), rubric=rubric, weights=chosen,
            pos_pending=pending,
        ),
        "uninspected": scoring.uninspected(inputs, month=month, month_end=month_end),
        "pos_pending": pending,
    }


def scored_trend(*, session: Session, scope: Scope, retailer_id: int, department_id: int, last_month: dt.date,
                 weights: tuple[float, float, float], data_end: dt.date | None = None,
                 months: int = 12, today: dt.date | None = None) -> dict[str, pd.DataFrame]:
    """One terminal's monthly scores for the trend view, and its raw monthly inputs.

    ``today``: months whose POS reconciliation is not due yet show POS "pending"."""
    require_retailer(session, scope, retailer_id)
    rubric = scoring.rubric_from_config(get_setting(session, "display_rubric"))
    history = terminal_history(session=session, retailer_id=retailer_id, department_id=department_id,
                               last_month=last_month, months=months, data_end=data_end)
    month_list = [add_months(last_month, -i) for i in range(months - 1, -1, -1)]
    trend = scoring.monthly_trend(
        history, retailer_id=retailer_id, department_id=department_id, months=month_list, rubric=rubric,
        weights=scoring.Weights(*weights),
        pending_months=frozenset(m for m in month_list[-2:] if pos_pending(session=session, month=m, today=today)),
    )
    return {"trend": trend, "reconciliation": history["reconciliation"]}
