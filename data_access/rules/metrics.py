"""Sales metric formulas of DOMAIN.md §5, each in exactly one function.

Every function accepts scalars or pandas Series (element-wise) and returns NaN (or None
for scalars) where the formula is undefined (division by zero), never infinity. SQL
aggregates sums; these turn sums into ratios.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import NamedTuple, TypeVar

import numpy as np
import pandas as pd

from data_access.rules.calendar import count_working_days

CARTONS_PER_CASE = 250  # 1 case (箱) = 250 cartons (条) = 50,000 sticks (支)
STICKS_PER_CARTON = 200
PACKS_PER_CARTON = 10

Num = TypeVar("Num", float, pd.Series)


def _ratio(numerator, denominator):
    if isinstance(numerator, pd.Series) or isinstance(denominator, pd.Series):
        num = pd.Series(numerator, dtype="float64") if not isinstance(numerator, pd.Series) else numerator.astype("float64")
        den = denominator.astype("float64") if isinstance(denominator, pd.Series) else float(denominator)
        with np.errstate(divide="ignore", invalid="ignore"):
            result = num / den
        return result.replace([np.inf, -np.inf], np.nan)
    if numerator is None or denominator is None:
        return None
    if denominator == 0 or (isinstance(denominator, float) and math.isnan(denominator)):
        return None
    return numerator / denominator


def cases(cartons: Num) -> Num:
    """Sales volume (销量) in cases = cartons / 250."""
    return cartons / CARTONS_PER_CASE


def per_case_value(amount: Num, cartons: Num) -> Num:
    """Per-case value (单箱值) in yuan = sales amount / cases."""
    return _ratio(amount, cases(cartons))


def average_carton_price(amount: Num, cartons: Num) -> Num:
    """Average price per carton (条均价) = sales amount / cartons."""
    return _ratio(amount, cartons)


def gross_profit(amount: Num, cost: Num) -> Num:
    """Gross profit (毛利) = amount - cost."""
    return amount - cost


def gross_margin(amount: Num, cost: Num) -> Num:
    """Gross margin (毛利率) = gross profit / amount."""
    return _ratio(gross_profit(amount, cost), amount)


def plan_completion(actual_cases: Num, planned_cases: Num) -> Num:
    """Plan completion (完成率) = actual cases / planned cases."""
    return _ratio(actual_cases, planned_cases)


def time_progress(period_start: dt.date, period_end: dt.date, as_of: dt.date) -> float:
    """Time progress (时间进度) = elapsed working days / working days of the period.

    ``as_of`` counts as elapsed (data up to and including that day). Before the period it
    is 0, after it 1.
    """
    total = count_working_days(period_start, period_end)
    if total == 0:
        return 1.0 if as_of >= period_end else 0.0
    elapsed = count_working_days(period_start, min(as_of, period_end))
    return elapsed / total


def is_behind(completion: float | None, progress: float) -> bool:
    """"Half the time, half the task": behind when completion < time progress (as displayed)."""
    return pace(completion, progress).status == "behind"


PACE_STATUSES = ("ahead", "on_pace", "behind")


class Pace(NamedTuple):
    """Completion against time progress, as the page shows them.

    ``completion_pct``/``progress_pct`` are the percentages rounded to the digits shown,
    ``gap_pp`` their difference in percentage points, and ``status`` follows from those
    same rounded figures, so "100.0 %, +0.0 pp" can never read "behind".
    """

    status: str | None  # "ahead" | "on_pace" | "behind"; None without a completion
    completion_pct: float | None
    progress_pct: float
    gap_pp: float | None


def pace(completion: float | None, progress: float, *, digits: int = 1) -> Pace:
    """Status of ``completion`` against ``progress`` decided on the rounded, displayed figures.

    Equal when rounded to ``digits`` decimals of a percent: on pace (持平).
    """
    progress_pct = round(progress * 100, digits)
    if completion is None or (isinstance(completion, float) and math.isnan(completion)):
        return Pace(None, None, progress_pct, None)
    completion_pct = round(completion * 100, digits)
    gap = round(completion_pct - progress_pct, digits) + 0.0  # + 0.0: no "-0.0"
    status = "ahead" if gap > 0 else "behind" if gap < 0 else "on_pace"
    return Pace(status, completion_pct, progress_pct, gap)


def growth(current: Num, base: Num) -> Num:
    """Year on year (同比) or period on period (环比) = current / base - 1."""
    ratio = _ratio(current, base)
    if ratio is None:
        return None
    return ratio - 1


def share(part: Num, total: Num) -> Num:
    """Share of a total (structure: class 1+2 share, provincial share, key-brand share)."""
    return _ratio(part, total)


def online_ordering_rate(online_ordering_retailers: Num, ordering_retailers: Num) -> Num:
    """Online ordering rate (网上订货率) = retailers ordering online / retailers that ordered."""
    return _ratio(online_ordering_retailers, ordering_retailers)


def forecast_accuracy(forecast: Num, actual: Num) -> Num:
    """Forecast accuracy = 1 - |forecast - actual| / actual (can go below 0)."""
    err = _ratio(abs(forecast - actual), actual)
    return None if err is None else 1 - err


def pos_scan_accuracy(
    opening_stock: Num, delivered: Num, closing_stock: Num, scanned_valid: Num
) -> Num:
    """POS scan accuracy (DOMAIN.md §6) = valid scanned cartons / cartons sold, capped at 100%.

    Cartons sold = opening stock + delivered - counted closing stock. Zero (or negative)
    sales with nothing scanned gives None: there is nothing to be accurate about. A missing
    month is handled by the caller (counts as 0 and is flagged).
    """
    sold = opening_stock + delivered - closing_stock
    if isinstance(sold, pd.Series):
        accuracy = _ratio(scanned_valid, sold.where(sold > 0))
        return accuracy.clip(upper=1.0)
    if sold <= 0:
        return None
    return min(scanned_valid / sold, 1.0)
