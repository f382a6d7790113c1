"""Number and period formatting for the UI (language-aware, NaN-safe)."""

from __future__ import annotations

import calendar
import datetime as dt
import math

from components.i18n import get_language, t
from data_access.rules.calendar import Period


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_number(value: float | None, digits: int = 0) -> str:
    if _missing(value):
        return "—"
    return f"{value:,.{digits}f}"


def fmt_cases(value: float | None, digits: int = 1) -> str:
    return "—" if _missing(value) else f"{value:,.{digits}f} {t('unit.cases')}"


def yuan_parts(value: float | None) -> tuple[str, str]:
    """An amount as (number, unit): 万元/亿元 in Chinese, millions in English.

    For a big figure whose unit goes to its label (meeting tiles); :func:`fmt_yuan` joins them.
    """
    if _missing(value):
        return "—", ""
    if get_language() == "zh":
        if abs(value) >= 1e8:
            return f"{value / 1e8:,.2f}", "亿元"
        if abs(value) >= 1e5:
            return f"{value / 1e4:,.1f}", "万元"
        return f"{value:,.0f}", "元"
    if abs(value) >= 1e6:
        return f"¥{value / 1e6:,.2f}M", ""
    return f"¥{value:,.0f}", ""


def fmt_yuan(value: float | None) -> str:
    """Amounts: 万元 (10k yuan) above 100,000 in Chinese; millions in English."""
    number, unit = yuan_parts(value)
    return f"{number} {unit}" if unit else number


def fmt_per_case(value: float | None) -> str:
    return "—" if _missing(value) else f"{value:,.0f} {t('unit.yuan_per_case')}"


def fmt_pct(value: float | None, digits: int = 1) -> str:
    return "—" if _missing(value) else f"{value * 100:.{digits}f}%"


def fmt_delta_pct(value: float | None, digits: int = 1) -> str | None:
    """Signed percentage for st.metric deltas; None hides the delta."""
    return None if _missing(value) else f"{value * 100:+.{digits}f}%"


def fmt_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if get_language() == "zh" else day.isoformat()


def period_label(period: Period) -> str:
    """Human label of a period in the current language."""
    start = period.start
    if period.kind == "month":
        return t("period.month", year=start.year, month=start.month, month_name=calendar.month_abbr[start.month])
    if period.kind == "quarter":
        return t("period.quarter", year=start.year, quarter=(start.month - 1) // 3 + 1)
    return t("period.year", year=start.year)
