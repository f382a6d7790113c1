"""Turning the sales page's summed rows into metrics, comparisons, rankings (pure pandas).

Queries return sums (cartons, amount, cost); every ratio here comes from the one formula
in ``data_access.rules.metrics``. Nothing in this module touches the database or Streamlit.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from data_access.rules import metrics
from data_access.rules.calendar import shift_year

METRICS = ("volume", "amount", "per_case_value", "average_carton_price", "gross_profit", "gross_margin",
           "plan_completion")
# Ratio metrics compare in percentage points, not as growth of a ratio.
POINT_METRICS = ("gross_margin", "plan_completion")
METRIC_COLUMNS = {
    "volume": "cases", "amount": "amount", "per_case_value": "per_case_value",
    "average_carton_price": "average_carton_price", "gross_profit": "gross_profit",
    "gross_margin": "gross_margin", "plan_completion": "plan_completion",
}


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def add_measures(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` (cartons, amount, cost) with every §5 metric that sums can give."""
    out = frame.copy()
    out["cases"] = metrics.cases(out["cartons"].astype("float64"))
    out["gross_profit"] = metrics.gross_profit(out["amount"].astype("float64"), out["cost"].astype("float64"))
    out["gross_margin"] = metrics.gross_margin(out["amount"], out["cost"])
    out["per_case_value"] = metrics.per_case_value(out["amount"], out["cartons"])
    out["average_carton_price"] = metrics.average_carton_price(out["amount"], out["cartons"])
    return out


def totals_metric(totals: dict[str, float], metric: str, planned_cases: float | None = None) -> float | None:
    """The value of ``metric`` for one set of sums (plan completion needs ``planned_cases``)."""
    cartons, amount, cost = totals["cartons"], totals["amount"], totals["cost"]
    if metric == "volume":
        return metrics.cases(cartons)
    if metric == "amount":
        return amount
    if metric == "per_case_value":
        return metrics.per_case_value(amount, cartons)
    if metric == "average_carton_price":
        return metrics.average_carton_price(amount, cartons)
    if metric == "gross_profit":
        return metrics.gross_profit(amount, cost)
    if metric == "gross_margin":
        return metrics.gross_margin(amount, cost)
    if metric == "plan_completion":
        return None if planned_cases is None else metrics.plan_completion(metrics.cases(cartons), planned_cases)
    raise ValueError(f"unknown metric: {metric}")


def change(current: float | None, base: float | None, metric: str) -> float | None:
    """YoY/PoP of ``metric``: growth (§5), or the difference for ratio metrics (as a fraction)."""
    if _missing(current) or _missing(base):
        return None
    if metric in POINT_METRICS:
        return current - base
    return metrics.growth(current, base)


def to_this_year(frame: pd.DataFrame, grain: str) -> pd.DataFrame:
    """Last year's calendar buckets moved onto this year's (a week to the week holding its day + 1 year)."""
    if frame.empty:
        return frame
    moved = frame.copy()
    buckets = [shift_year(b, 1) for b in moved["bucket"]]
    if grain == "week":
        buckets = [b - dt.timedelta(days=b.weekday()) for b in buckets]
    moved["bucket"] = buckets
    return moved.groupby("bucket", as_index=False)[["cartons", "amount", "cost"]].sum()


def bucket_end(bucket: dt.date, grain: str) -> dt.date:
    """Last day of the ``grain`` bucket starting on ``bucket``."""
    from data_access.rules.calendar import add_months

    if grain == "day":
        return bucket
    if grain == "week":
        return bucket + dt.timedelta(days=6)
    if grain == "month":
        return add_months(bucket, 1) - dt.timedelta(days=1)
    return dt.date(bucket.year, 12, 31)


def breakdown_table(current: pd.DataFrame, base: pd.DataFrame) -> pd.DataFrame:
    """Breakdown rows (key, measures) with metrics, share of volume and volume/amount YoY, ranked."""
    table = add_measures(current)
    total_cartons = float(table["cartons"].sum())
    table["share"] = metrics.share(table["cartons"], total_cartons)
    base_sums = base.set_index("key")[["cartons", "amount"]] if not base.empty else pd.DataFrame(
        columns=["cartons", "amount"], dtype="float64")
    table["base_cartons"] = table["key"].map(base_sums["cartons"]).astype("float64")
    table["base_amount"] = table["key"].map(base_sums["amount"]).astype("float64")
    table["volume_yoy"] = metrics.growth(table["cartons"], table["base_cartons"])
    table["amount_yoy"] = metrics.growth(table["amount"], table["base_amount"])
    return table.sort_values("cartons", ascending=False, ignore_index=True)


def plan_table(frame: pd.DataFrame, progress: float) -> pd.DataFrame:
    """Plan rows (planned_cases, cartons) with completion, ``pace`` against ``progress`` and shortfall."""
    table = frame.copy()
    table["cases"] = metrics.cases(table["cartons"].astype("float64"))
    table["planned_cases"] = table["planned_cases"].astype("float64")
    table["completion"] = metrics.plan_completion(table["cases"], table["planned_cases"])
    table["time_progress"] = progress
    # Status from the rounded figures the page shows (metrics.pace): equal reads "on pace".
    table["pace"] = [metrics.pace(c, progress).status for c in table["completion"]]
    table["behind"] = table["pace"] == "behind"
    table["shortfall_cases"] = (table["planned_cases"] - table["cases"]).clip(lower=0.0)
    return table


def movers(current: pd.DataFrame, base: pd.DataFrame, *, limit: int = 5) -> pd.DataFrame:
    """Members with the largest rise and fall in cases: key, cases, base_cases, change_cases, growth."""
    merged = current[["key", "cartons"]].merge(base[["key", "cartons"]], on="key", how="outer",
                                               suffixes=("", "_base")).fillna(0.0)
    merged["cases"] = metrics.cases(merged["cartons"])
    merged["base_cases"] = metrics.cases(merged["cartons_base"])
    merged["change_cases"] = merged["cases"] - merged["base_cases"]
    merged["growth"] = metrics.growth(merged["cases"], merged["base_cases"])
    rises = merged[merged["change_cases"] > 0].nlargest(limit, "change_cases")
    falls = merged[merged["change_cases"] < 0].nsmallest(limit, "change_cases")
    return pd.concat([rises, falls], ignore_index=True)[["key", "cases", "base_cases", "change_cases", "growth"]]


def forecast_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Forecast rows (month, brand_family, forecast_cases, cartons) with actual cases and accuracy."""
    table = frame.copy()
    table["actual_cases"] = metrics.cases(table["cartons"].astype("float64"))
    table["accuracy"] = metrics.forecast_accuracy(table["forecast_cases"].astype("float64"), table["actual_cases"])
    return table


def bucket_starts(start: dt.date, end: dt.date, grain: str) -> list[dt.date]:
    """First days of every ``grain`` bucket touching ``start``..``end`` (weeks start on Monday)."""
    from data_access.rules.calendar import add_months

    if grain == "day":
        first, step = start, None
    elif grain == "week":
        first, step = start - dt.timedelta(days=start.weekday()), None
    elif grain == "month":
        first, step = start.replace(day=1), 1
    else:
        first, step = dt.date(start.year, 1, 1), 12
    days = {"day": 1, "week": 7}.get(grain)
    out, cursor = [], first
    while cursor <= end:
        out.append(cursor)
        cursor = cursor + dt.timedelta(days=days) if step is None else add_months(cursor, step)
    return out


def with_empty_buckets(frame: pd.DataFrame, buckets: list[dt.date]) -> pd.DataFrame:
    """``frame`` (bucket + sums) with a zero row for each bucket without sales: no sales is 0, not a gap."""
    index = sorted(set(buckets) | set(frame["bucket"]))
    filled = frame.set_index("bucket").reindex(index, fill_value=0.0)
    return filled.rename_axis("bucket").reset_index()
