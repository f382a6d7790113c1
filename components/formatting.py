"""Every figure's format, in one place (language-aware, NaN-safe).

The house style (issue 15): cases one decimal; yuan with thousands separators (万元 with one
decimal on cards); percentages one decimal; percentage-point differences "个百分点" in
Chinese and "pp" in English; never "-0.0" (a value that rounds to zero has no sign).
"""

from __future__ import annotations

import calendar
import datetime as dt
import math

from components.i18n import get_language, t
from data_access.rules.calendar import Period


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _unsigned_zero(value: float, digits: int) -> float:
    # -0.04 at one decimal would print "-0.0": a figure that rounds to zero has no sign.
    return 0.0 if round(value, digits) == 0 else value


def fmt_number(value: float | None, digits: int = 0) -> str:
    if _missing(value):
        return "—"
    return f"{_unsigned_zero(value, digits):,.{digits}f}"


def fmt_signed(value: float | None, digits: int = 1) -> str:
    """A signed difference: "+1.2", "-0.3", and "0.0" (not "+0.0" or "-0.0")."""
    if _missing(value):
        return "—"
    value = _unsigned_zero(value, digits)
    return f"{value:+,.{digits}f}" if value else f"{0:.{digits}f}"


def fmt_pp(value: float | None, digits: int = 1) -> str:
    """A difference of two shares (fractions) in percentage points: "+1.2 个百分点" / "+1.2 pp"."""
    if _missing(value):
        return "—"
    return t("unit.pp", value=fmt_signed(value * 100, digits))


def fmt_cases(value: float | None, digits: int = 1) -> str:
    return "—" if _missing(value) else f"{fmt_number(value, digits)} {t('unit.cases')}"


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
    return "—" if _missing(value) else f"{fmt_number(value * 100, digits)}%"


def fmt_delta_pct(value: float | None, digits: int = 1) -> str | None:
    """Signed percentage for st.metric deltas ("+3.4%", "0.0%"); None hides the delta."""
    return None if _missing(value) else f"{fmt_signed(value * 100, digits)}%"


# Column formats of st.dataframe grids (sprintf as Streamlit 1.67 reads it; "," groups thousands),
# the same decimals as the cards: cases one decimal, yuan whole with separators, percentages one
# decimal (the column holds percent values: see :func:`percent_values`).
CASES_COLUMN = "%,.1f"
YUAN_COLUMN = "%,.0f"
PCT_COLUMN = "%.1f%%"
SIGNED_PCT_COLUMN = "%+.1f%%"
SCORE_COLUMN = "%.1f"


def percent_values(values):
    """Fractions as percent values rounded to one decimal for a PCT_COLUMN ("-0.0" becomes "0.0")."""
    return (values * 100).round(1) + 0.0


def join_list(items) -> str:
    """Items as one list in the UI language: "甲、乙" in Chinese, "a, b" in English."""
    return ("、" if get_language() == "zh" else ", ").join(str(item) for item in items)


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
