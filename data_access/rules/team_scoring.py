"""Department competition scoring and ranking (DOMAIN.md §8). Pure: frames in, frames out.

The rule (written out for people in docs/department_scoring.md):

- KPI group: five sub-indicators, each turned into 0–100 points, combined with the
  configured sub-weights (``department_kpi_rule``). A sub-indicator without data (no plan,
  no sales last year, no visit plan, no inspection) is shown as "no data" and its weight is
  spread over the others; with no sub-indicator at all the KPI group is missing.
- Groups 2–5 are entered by people. A missing group is never zero: the month is
  *provisional* and its total is the weighted mean of the groups that are there.
- Total = Σ weight × group score / Σ weight of the groups present (= Σ w·s when all five
  are present and the weights sum to 1).
- Ranks: highest total first; totals equal to 2 decimals share a rank (1, 1, 3).
- Year to date: each group's mean over the months January..month, then the same total.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from data_access.models import DEPARTMENT_SCORE_GROUPS, MANUAL_SCORE_GROUPS
from data_access.rules import calendar, metrics

KPI_PARTS = ("plan_completion", "per_case_growth", "online_rate", "visit_compliance", "terminal_display")
PERSONAL_PARTS = ("task_completion", "visit_compliance")
RANK_DECIMALS = 2


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _clamp(value: float, low: float = 0.0, high: float = 100.0) -> float:
    return max(low, min(high, value))


# --- sub-indicator points ----------------------------------------------------------------
def completion_points(completion: float | None, progress: float) -> float | None:
    """Plan completion against time progress: 100 × completion / progress, capped at 100.

    On or ahead of "half the time, half the task" earns full points.
    """
    if _missing(completion) or progress <= 0:
        return None
    return _clamp(100.0 * completion / progress)


def growth_points(growth: float | None, *, base: float, per_pp: float) -> float | None:
    """Per-case value growth: ``base`` points at 0 %, ``per_pp`` per percentage point, 0–100."""
    if _missing(growth):
        return None
    return _clamp(base + per_pp * growth * 100.0)


def rate_points(rate: float | None) -> float | None:
    """A 0–1 rate (online ordering, visit compliance) as 0–100 points."""
    if _missing(rate):
        return None
    return _clamp(100.0 * rate)


def display_points(average_display: float | None, rubric_total: float) -> float | None:
    """Average display inspection total as a share of the rubric's full marks, 0–100."""
    if _missing(average_display) or rubric_total <= 0:
        return None
    return _clamp(100.0 * average_display / rubric_total)


def weighted_points(points: Mapping[str, float | None], weights: Mapping[str, float]) -> float | None:
    """Σ w·p / Σ w over the parts that have points; None when none has."""
    present = {k: float(w) for k, w in weights.items() if w > 0 and not _missing(points.get(k))}
    if not present:
        return None
    return sum(points[k] * w for k, w in present.items()) / sum(present.values())


def weighted_columns(frame: pd.DataFrame, weights: Mapping[str, float]) -> pd.Series:
    """Row-wise :func:`weighted_points` over the columns named in ``weights`` (vectorised)."""
    names = [k for k, w in weights.items() if w > 0]
    values = frame[names].to_numpy(dtype="float64")
    w = np.array([float(weights[k]) for k in names])
    present = ~np.isnan(values)
    denominator = (present * w).sum(axis=1)
    numerator = (np.where(present, values, 0.0) * w).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        result = np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1.0), np.nan)
    return pd.Series(result, index=frame.index, dtype="float64")


# --- KPI group ---------------------------------------------------------------------------
def kpi_scores(inputs: pd.DataFrame, *, rule: Mapping, rubric_total: float,
               progress: Mapping[object, float]) -> pd.DataFrame:
    """KPI sub-indicators, their points and the KPI group score per department and month.

    ``inputs`` has department_id, month, cartons, amount, cartons_ly, amount_ly,
    planned_cases, ordering_retailers, online_retailers, planned_visits, done_visits,
    average_display; ``progress`` maps month → time progress of that month.
    """
    frame = inputs.copy()
    frame["cases"] = metrics.cases(frame["cartons"].astype(float))
    frame["time_progress"] = [progress[m] for m in frame["month"]]
    frame["plan_completion"] = metrics.plan_completion(frame["cases"], frame["planned_cases"].astype(float))
    frame["per_case_value"] = metrics.per_case_value(frame["amount"].astype(float), frame["cartons"].astype(float))
    frame["per_case_value_ly"] = metrics.per_case_value(
        frame["amount_ly"].astype(float), frame["cartons_ly"].astype(float)
    )
    frame["per_case_growth"] = metrics.growth(frame["per_case_value"], frame["per_case_value_ly"])
    frame["online_rate"] = metrics.online_ordering_rate(
        frame["online_retailers"].astype(float), frame["ordering_retailers"].astype(float)
    )
    frame["visit_compliance"] = metrics.share(frame["done_visits"].astype(float), frame["planned_visits"].astype(float))
    base, per_pp = float(rule["growth_base_points"]), float(rule["growth_points_per_pp"])
    frame["plan_completion_points"] = [
        completion_points(c, p) for c, p in zip(frame["plan_completion"], frame["time_progress"], strict=True)
    ]
    frame["per_case_growth_points"] = [growth_points(g, base=base, per_pp=per_pp) for g in frame["per_case_growth"]]
    frame["online_rate_points"] = [rate_points(r) for r in frame["online_rate"]]
    frame["visit_compliance_points"] = [rate_points(r) for r in frame["visit_compliance"]]
    frame["terminal_display_points"] = [display_points(a, rubric_total) for a in frame["average_display"]]
    for column in [f"{part}_points" for part in KPI_PARTS]:
        frame[column] = frame[column].astype("float64")
    frame["kpi"] = weighted_columns(frame, {f"{part}_points": w for part, w in rule["parts"].items()})
    return frame


# --- groups, totals, ranks ---------------------------------------------------------------
def group_table(kpi: pd.DataFrame, manual: pd.DataFrame, *, department_ids: Sequence[int],
                months: Sequence[object]) -> pd.DataFrame:
    """One row per department and month with the five group scores (NaN where missing)."""
    grid = pd.MultiIndex.from_product([list(department_ids), list(months)], names=["department_id", "month"])
    table = pd.DataFrame(index=grid).reset_index()
    table = table.merge(kpi[["department_id", "month", "kpi"]], on=["department_id", "month"], how="left")
    if len(manual):
        wide = manual.pivot_table(index=["department_id", "month"], columns="group_code", values="score",
                                  aggfunc="last").reset_index()
        table = table.merge(wide, on=["department_id", "month"], how="left")
    for group in DEPARTMENT_SCORE_GROUPS:
        if group not in table:
            table[group] = np.nan
        table[group] = table[group].astype("float64")
    return table[["department_id", "month", *DEPARTMENT_SCORE_GROUPS]]


def add_totals(table: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """Weighted total, the groups it is missing, and the provisional flag."""
    frame = table.copy()
    groups = list(DEPARTMENT_SCORE_GROUPS)
    frame["total"] = weighted_columns(frame, {g: float(weights.get(g, 0.0)) for g in groups})
    absent = frame[groups].isna().to_numpy()
    earlier = frame["ytd_missing"].tolist() if "ytd_missing" in frame else [()] * len(frame)
    frame["missing"] = [
        tuple(g for j, g in enumerate(groups) if row_absent[j] or g in before)
        for row_absent, before in zip(absent, earlier, strict=True)
    ]
    frame["provisional"] = [bool(m) for m in frame["missing"]]
    for group in groups:
        frame[f"{group}_points"] = frame[group] * float(weights.get(group, 0.0))
    return frame


def rank_totals(totals: pd.Series) -> pd.Series:
    """Competition ranks (1, 1, 3) of totals, highest first; equal to 2 decimals is a tie."""
    return totals.round(RANK_DECIMALS).rank(method="min", ascending=False).astype("Int64")


def gap_to_above(totals: pd.Series, ranks: pd.Series) -> pd.Series:
    """Points to the department ranked just above (the lowest total with a better rank)."""
    values = totals.to_numpy(dtype="float64")
    places = ranks.to_numpy(dtype="float64", na_value=np.nan)
    gaps = np.full(len(values), np.nan)
    for i, (total, rank) in enumerate(zip(values, places, strict=True)):
        better = values[places < rank] if not np.isnan(rank) else values[:0]
        if better.size and not np.isnan(total):
            gaps[i] = better.min() - total
    return pd.Series(gaps, index=totals.index, dtype="float64")


def rank_table(table: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """Totals, ranks and gaps of one month (or one year-to-date) table, best first."""
    frame = add_totals(table, weights)
    frame["rank"] = rank_totals(frame["total"])
    frame["gap_to_above"] = gap_to_above(frame["total"], frame["rank"])
    return frame.sort_values(["rank", "department_id"], na_position="last").reset_index(drop=True)


def scored_months(table: pd.DataFrame, months: Sequence[object]) -> list[object]:
    """The months of ``months`` in which any department has any group score.

    The year to date starts when the competition (or the data) starts, not in an empty
    January.
    """
    groups = list(DEPARTMENT_SCORE_GROUPS)
    has_score = table[table[groups].notna().any(axis=1)]["month"].unique()
    return [m for m in months if m in set(has_score)]


def year_to_date(table: pd.DataFrame, months: Sequence[object]) -> pd.DataFrame:
    """Each group's mean over ``months`` per department, skipping months without a score.

    A group missing in any of the months is listed in ``ytd_missing``: the year to date is
    then provisional, but the months that were scored still count.
    """
    groups = list(DEPARTMENT_SCORE_GROUPS)
    part = table[table["month"].isin(list(months))]
    means = part.groupby("department_id", sort=False)[groups].mean().reset_index()
    gaps = part.groupby("department_id", sort=False)[groups].apply(lambda g: g.isna().any())
    means["ytd_missing"] = [
        tuple(g for g in groups if bool(gaps.loc[dept, g])) for dept in means["department_id"]
    ]
    means["month"] = months[-1] if len(months) else None
    return means


def leaderboard(table: pd.DataFrame, weights: Mapping[str, float], *, month: object,
                previous_month: object | None, ytd_months: Sequence[object], scope: str) -> pd.DataFrame:
    """The ranking of ``month`` (scope "month") or of January..month ("ytd"), with rank change.

    Rank change = previous rank − this rank (positive = moved up); the previous ranking is
    last month's (scope month) or the year to date through last month (scope ytd).
    """
    if scope == "ytd":
        current = rank_table(year_to_date(table, ytd_months), weights)
        previous = rank_table(year_to_date(table, ytd_months[:-1]), weights) if len(ytd_months) > 1 else None
    else:
        current = rank_table(table[table["month"] == month], weights)
        has_previous = previous_month is not None and (table["month"] == previous_month).any()
        previous = rank_table(table[table["month"] == previous_month], weights) if has_previous else None
    if previous is None:
        current["previous_rank"] = pd.Series([pd.NA] * len(current), dtype="Int64")
    else:
        current["previous_rank"] = current["department_id"].map(previous.set_index("department_id")["rank"])
        current["previous_rank"] = current["previous_rank"].astype("Int64")
    current["rank_change"] = (current["previous_rank"] - current["rank"]).astype("Int64")
    return current


def rank_history(table: pd.DataFrame, weights: Mapping[str, float], months: Sequence[object]) -> pd.DataFrame:
    """Monthly rank of each department over ``months``: department_id, month, rank, total."""
    frame = add_totals(table[table["month"].isin(list(months))], weights)
    # The leaderboard's tie rule, called rather than repeated: the history can never disagree.
    frame["rank"] = frame.groupby("month")["total"].transform(lambda totals: rank_totals(totals)).astype("Int64")
    columns = ["department_id", "month", "rank", "total", "provisional"]
    return frame[columns].sort_values(["month", "rank"]).reset_index(drop=True)


# --- personal scores ---------------------------------------------------------------------
def personal_scores(inputs: pd.DataFrame, *, progress: float, weights: Mapping[str, float]) -> pd.DataFrame:
    """Each customer manager's monthly score from task completion and visit compliance, ranked.

    ``inputs`` has manager_id, code, name, planned_cases, cartons, planned_visits, done_visits.
    """
    frame = inputs.copy()
    frame["cases"] = metrics.cases(frame["cartons"].astype(float))
    frame["time_progress"] = progress
    frame["task_completion"] = metrics.plan_completion(frame["cases"], frame["planned_cases"].astype(float))
    frame["visit_compliance"] = metrics.share(frame["done_visits"].astype(float), frame["planned_visits"].astype(float))
    frame["task_completion_points"] = [completion_points(c, progress) for c in frame["task_completion"]]
    frame["visit_compliance_points"] = [rate_points(r) for r in frame["visit_compliance"]]
    for column in ("task_completion_points", "visit_compliance_points"):
        frame[column] = frame[column].astype("float64")
    frame["score"] = weighted_columns(frame, {f"{p}_points": float(weights[p]) for p in PERSONAL_PARTS})
    frame["rank"] = rank_totals(frame["score"])
    frame["gap_to_above"] = gap_to_above(frame["score"], frame["rank"])
    return frame.sort_values(["rank", "code"], na_position="last").reset_index(drop=True)


def missing_manual(table: pd.DataFrame) -> pd.DataFrame:
    """Department and group pairs of manual groups not entered (per month)."""
    rows = [
        {"department_id": row["department_id"], "month": row["month"], "group_code": group}
        for _, row in table.iterrows()
        for group in MANUAL_SCORE_GROUPS
        if _missing(row[group])
    ]
    return pd.DataFrame(rows, columns=["department_id", "month", "group_code"])


# --- the whole page's numbers ------------------------------------------------------------
def competition(data: Mapping[str, object], *, month: object, data_end: object, scope: str) -> dict[str, object]:
    """Turn ``queries.teams.competition_data`` into the page's numbers for ``month``.

    Returns ``kpi`` (sub-indicators and points per department and month), ``table``
    (group scores), ``board`` (the ranking of the month or year to date), ``history``
    (monthly ranks of the year) and ``ytd_months`` (the scored months of the year).
    """
    inputs: pd.DataFrame = data["kpi_inputs"]  # type: ignore[assignment]
    months = sorted(inputs["month"].unique())
    progress = {m: metrics.time_progress(m, calendar.month_end(m), data_end) for m in months}
    kpi = kpi_scores(inputs, rule=data["rule"], rubric_total=data["rubric_total"], progress=progress)
    department_ids = data["departments"]["id"].tolist()  # type: ignore[index]
    table = group_table(kpi, data["manual"], department_ids=department_ids, months=months)
    year_months = [m for m in months if m.year == month.year and m <= month]
    ytd_months = scored_months(table, year_months)
    weights = data["weights"]
    board = leaderboard(table, weights, month=month, previous_month=calendar.add_months(month, -1),
                        ytd_months=ytd_months, scope=scope)
    history = rank_history(table, weights, ytd_months)
    return {"kpi": kpi, "table": table, "board": board, "history": history, "ytd_months": ytd_months}
