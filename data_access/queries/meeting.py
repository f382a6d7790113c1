"""Meeting mode queries: headline KPIs, this month's days against last year, snapshots.

Headline sums come from :func:`data_access.queries.overview.overview_kpis` (one
definition of "this period against last year"); ratios are formed by
``data_access.rules.metrics`` in :func:`headline_figures`. Daily sums are grouped in the
database. Snapshots are rows of ``meeting_snapshot`` with a JSON payload built by
``data_access.rules.meeting_slides.snapshot_payload``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pandas as pd
from sqlalchemy import desc, func, select
from sqlmodel import Session

from data_access.access import audit
from data_access.access.permissions import Action, Actor, Scope, require
from data_access.models import MeetingSnapshot, SalesDaily
from data_access.queries import overview
from data_access.queries.sql import read_frame
from data_access.rules import metrics
from data_access.rules.sales_periods import DateRange, last_year_range

MEETING_DOMAIN = "meeting"  # data-version domain of the snapshots (bumped on save)


def headline_kpis(
    *, session: Session, period_start: dt.date, period_end: dt.date, data_end: dt.date,
    department_id: int | None = None,
) -> dict[str, Any]:
    """The overview's sums for the period (see ``overview.overview_kpis``) plus the figures.

    ``figures`` holds :data:`data_access.rules.meeting_slides.KPI_KEYS` and the year-on-year
    growth of volume, amount and per-case value.
    """
    sums = overview.overview_kpis(
        session=session, period_start=period_start, period_end=period_end, data_end=data_end,
        department_id=department_id,
    )
    return {**sums, "figures": headline_figures(sums, period_start=period_start, period_end=period_end,
                                                data_end=data_end)}


def headline_figures(
    sums: dict[str, Any], *, period_start: dt.date, period_end: dt.date, data_end: dt.date
) -> dict[str, float | None]:
    """Headline KPIs from the period's sums, every ratio by its ``metrics`` formula."""
    current, last_year = sums["current"], sums["last_year"]
    volume = metrics.cases(current["cartons"])
    per_case = metrics.per_case_value(current["amount"], current["cartons"])
    per_case_last = metrics.per_case_value(last_year["amount"], last_year["cartons"])
    return {
        "volume_cases": volume,
        "amount": current["amount"],
        "per_case_value": per_case,
        "plan_completion": metrics.plan_completion(volume, sums["planned_cases"]),
        "time_progress": metrics.time_progress(period_start, period_end, data_end),
        "gross_margin": metrics.gross_margin(current["amount"], current["cost"]),
        "volume_yoy": metrics.growth(current["cartons"], last_year["cartons"]),
        "amount_yoy": metrics.growth(current["amount"], last_year["amount"]),
        "per_case_value_yoy": metrics.growth(per_case, per_case_last),
    }


def _daily_totals(session: Session, start: dt.date, end: dt.date, department_id: int | None) -> pd.DataFrame:
    stmt = (
        select(SalesDaily.sale_date.label("sale_date"), func.sum(SalesDaily.cartons).label("cartons"),
               func.sum(SalesDaily.amount).label("amount"))
        .where(SalesDaily.sale_date.between(start, end))
        .group_by(SalesDaily.sale_date)
        .order_by(SalesDaily.sale_date)
    )
    if department_id is not None:
        stmt = stmt.where(SalesDaily.department_id == department_id)
    return read_frame(session, stmt, date_columns=("sale_date",))


def daily_sales_vs_last_year(
    *, session: Session, month_start: dt.date, data_end: dt.date, department_id: int | None = None,
    alignment: str = "weekday",
) -> pd.DataFrame:
    """Cases per day of this month up to ``data_end`` and on the same days a year earlier.

    ``alignment`` (see ``rules.sales_periods``): ``weekday`` (default, the day 364 days back:
    retailers order on fixed weekdays, so calendar days zig-zag) or ``calendar``.

    One row per calendar day 1..last day with data (days without orders count 0): ``day``
    (day of month), ``date``, ``cases``, ``cases_last_year``, and running totals
    ``cumulative_cases`` / ``cumulative_cases_last_year``.
    """
    next_month = (month_start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    end = min(data_end, next_month - dt.timedelta(days=1))
    if end < month_start:
        return pd.DataFrame(columns=["day", "date", "cases", "cases_last_year",
                                     "cumulative_cases", "cumulative_cases_last_year"])
    days = pd.DataFrame({"date": [month_start + dt.timedelta(days=i) for i in range((end - month_start).days + 1)]})
    days["day"] = [d.day for d in days["date"]]
    this_year = _daily_totals(session, month_start, end, department_id)
    base = last_year_range(DateRange(month_start, end), alignment)
    last_year = _daily_totals(session, base.start, base.end, department_id)
    this_by_day = dict(zip(this_year["sale_date"], this_year["cartons"], strict=True))
    last_by_day = dict(zip(last_year["sale_date"], last_year["cartons"], strict=True))
    days["cases"] = [metrics.cases(float(this_by_day.get(d, 0.0))) for d in days["date"]]
    days["cases_last_year"] = [
        metrics.cases(float(last_by_day.get(last_year_range(DateRange(d, d), alignment).start, 0.0)))
        for d in days["date"]
    ]
    days["cumulative_cases"] = days["cases"].cumsum()
    days["cumulative_cases_last_year"] = days["cases_last_year"].cumsum()
    return days[["day", "date", "cases", "cases_last_year", "cumulative_cases", "cumulative_cases_last_year"]]


# --- snapshots -------------------------------------------------------------------------------
def save_snapshot(
    *, session: Session, payload: dict[str, Any], taken_at: dt.datetime, actor: Actor | None, title: str = "",
    now: dt.datetime | None = None,
) -> int:
    """Store a meeting snapshot as ``actor`` (audited) and bump the ``meeting`` data version.

    ``taken_at`` is the wall's local clock (naive, as the slides compare it); ``now`` the
    aware audit time (default: now). Caller commits. Returns the snapshot's id; raises
    ``PermissionDenied`` (nothing written) unless the actor may save snapshots.
    """
    from data_access.db import bump_data_version

    require(actor, Action.SAVE_SNAPSHOT, session=session)
    row = MeetingSnapshot(
        taken_at=taken_at.replace(microsecond=0), taken_by=actor.display_name[:40], title=title.strip()[:100],
        payload_json=json.dumps(payload, ensure_ascii=False),
    )
    session.add(row)
    session.flush()
    audit.record(session, actor, "snapshot.save", f"#{row.id} {row.title}",
                 after={"title": row.title, "taken_at": row.taken_at, "period": payload.get("period")}, at=now)
    bump_data_version(session, MEETING_DOMAIN)
    return int(row.id)


def snapshot_list(*, session: Session, limit: int = 20) -> pd.DataFrame:
    """The latest snapshots, newest first: id, taken_at, taken_by, title."""
    stmt = (
        select(MeetingSnapshot.id, MeetingSnapshot.taken_at, MeetingSnapshot.taken_by, MeetingSnapshot.title)
        .order_by(desc(MeetingSnapshot.taken_at), desc(MeetingSnapshot.id))
        .limit(limit)
    )
    frame = read_frame(session, stmt)
    frame["taken_at"] = pd.to_datetime(frame["taken_at"])
    return frame


def _snapshot_dict(row: MeetingSnapshot) -> dict[str, Any]:
    return {"id": row.id, "taken_at": row.taken_at, "taken_by": row.taken_by, "title": row.title,
            "payload": json.loads(row.payload_json)}


def previous_snapshot(
    *, session: Session, before: dt.datetime, snapshot_id: int | None = None
) -> dict[str, Any] | None:
    """The snapshot to compare with: ``snapshot_id`` if given, else the latest taken before ``before``.

    The page passes the start of today as ``before``: a snapshot saved during this meeting
    is the baseline of the *next* meeting, not of this one.
    """
    if snapshot_id is not None:
        row = session.get(MeetingSnapshot, snapshot_id)
        return None if row is None else _snapshot_dict(row)
    stmt = (
        select(MeetingSnapshot).where(MeetingSnapshot.taken_at < before)
        .order_by(desc(MeetingSnapshot.taken_at), desc(MeetingSnapshot.id)).limit(1)
    )
    row = session.execute(stmt).scalars().first()
    return None if row is None else _snapshot_dict(row)


# --- the other areas' rankings, composed for the wall --------------------------------------------
def department_leaderboard(*, session: Session, month: dt.date, data_end: dt.date,
                           visits_end: dt.date | None = None) -> pd.DataFrame:
    """The month's department ranking by the competition rule (``team_scoring.competition``).

    Columns: department_id, name, name_en, rank, total, rank_change (vs last month),
    gap_to_above, provisional; best first.
    """
    from data_access.queries import teams
    from data_access.rules import team_scoring

    data = teams.competition_data(session=session, month=month, data_end=data_end, visits_end=visits_end)
    board = team_scoring.competition(data, month=month, data_end=data_end, scope="month")["board"]
    names = data["departments"].rename(columns={"id": "department_id"})[["department_id", "name", "name_en"]]
    board = board.merge(names, on="department_id", how="left")
    columns = ["department_id", "name", "name_en", "rank", "total", "rank_change", "gap_to_above", "provisional"]
    return board.sort_values(["rank", "department_id"], na_position="last")[columns].reset_index(drop=True)


def terminal_extremes(*, session: Session, month: dt.date, limit: int = 5,
                      today: dt.date | None = None) -> dict[str, Any]:
    """Top and bottom modern terminals of the latest inspected month up to ``month``.

    Ranks are within the business format (``terminal_scoring.terminal_ranking``); the wall
    shows the ``limit`` best of the formats' top groups and the ``limit`` weakest of their
    bottom groups, with ``rank_change`` since the month before. Returns ``month`` (None
    without inspections), ``top``, ``bottom`` and ``ranks`` (every ranked terminal: what a
    meeting snapshot keeps, so the next meeting can say who moved).
    """
    from data_access.queries import terminals
    from data_access.rules import terminal_scoring
    from data_access.rules.calendar import add_months

    months = [m for m in terminals.inspected_months(session=session, today=today) if m <= month]
    if not months:
        return {"month": None, "top": pd.DataFrame(), "bottom": pd.DataFrame(), "ranks": pd.DataFrame()}
    shown = months[0]
    config = terminals.scoring_config(session=session)
    pending = terminals.pos_pending(session=session, month=shown, today=today)  # never a 0 % "missing" POS
    ranking = terminal_scoring.terminal_ranking(
        terminals.ranking_inputs(session=session, month=shown, today=today), month=shown, previous_month=add_months(shown, -1),
        rubric=terminal_scoring.rubric_from_config(config["rubric"]),
        weights=terminal_scoring.Weights.from_config(config["weights"]), pos_pending=pending,
    )
    columns = ["retailer_id", "shop_name", "business_format", "manager", "rank", "rank_change", "composite"]
    top = ranking[ranking["group"] == "top"].sort_values(["composite", "shop_name"], ascending=[False, True])
    bottom = ranking[ranking["group"] == "bottom"].sort_values(["composite", "shop_name"])
    return {"month": shown, "pos_pending": pending, "top": top.head(limit)[columns].reset_index(drop=True),
            "bottom": bottom.head(limit)[columns].reset_index(drop=True),
            "ranks": ranking[["retailer_id", "shop_name", "business_format", "rank", "composite"]]}


def visit_day_anomalies(*, session: Session, scope: Scope, day: dt.date) -> pd.DataFrame:
    """Visit anomalies of one day by the route rules (``visit_rules.period_anomalies``), with names.

    Person-level: only the managers of ``scope`` (the meeting wall's scope is the county).

    Columns: manager_id, manager, day, rule, shop_name, at, value, threshold. The speed rule
    reads each manager's track of the day by the (manager, time) index and pairs fixes with
    ``visit_rules.track_pairs``: the district-wide window query of the route page scans every
    fix of the table at county scale (seconds), too slow for a slide that refreshes live.
    """
    from data_access.queries import routes
    from data_access.rules.visit_rules import period_anomalies, track_pairs

    managers = routes.route_managers(session=session, scope=scope)
    tracks = [routes.gps_track(session=session, scope=scope, manager_id=int(m), first_day=day, last_day=day)
              for m in managers["id"]]
    tracks = [track for track in tracks if not track.empty]
    data = {
        "rules": routes.visit_rule_settings(session=session),
        "visits": routes.period_visits(session=session, scope=scope, start=day, end=day),
        "missed": routes.period_missed_plans(session=session, scope=scope, start=day, end=day),
        "jumps": track_pairs(pd.concat(tracks, ignore_index=True)) if tracks else pd.DataFrame(
            columns=["manager_id", "prev_at", "prev_lon", "prev_lat", "prev_accuracy_m", "recorded_at", "lon", "lat",
                     "accuracy_m"]),
        "shops": routes.assigned_shops(session=session, scope=scope, as_of=day),
    }
    anomalies = period_anomalies(data, day)
    names = managers.rename(columns={"id": "manager_id", "name": "manager"})[["manager_id", "manager"]]
    return anomalies.merge(names, on="manager_id", how="left")
