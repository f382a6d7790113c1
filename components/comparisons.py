"""What a page says about a comparison: its range, complete or running, covered by the data.

The ranges and the rules come from ``data_access.rules.sales_periods`` (one place); this
module only words them, the same way on every page. See docs/time_conventions.md.
"""

from __future__ import annotations

import datetime as dt

from components.formatting import fmt_date
from components.i18n import t
from data_access.rules import metrics
from data_access.rules.sales_periods import DateRange, comparison_covered


def yoy_note(base: DateRange, data_start: dt.date) -> str:
    """The YoY tooltip: which range last year, or why there is no figure."""
    if not comparison_covered(base, data_start):
        return not_covered_note(base, data_start)
    return t("compare.yoy", start=fmt_date(base.start), end=fmt_date(base.end))


def pop_note(previous: DateRange, *, running: bool, data_start: dt.date) -> str:
    """The PoP tooltip: whole previous period or the same elapsed days, or why there is none."""
    if not comparison_covered(previous, data_start):
        return not_covered_note(previous, data_start)
    key = "compare.pop_running" if running else "compare.pop_complete"
    return t(key, start=fmt_date(previous.start), end=fmt_date(previous.end))


def not_covered_note(base: DateRange, data_start: dt.date) -> str:
    return t("compare.not_covered", start=fmt_date(base.start), end=fmt_date(base.end), first=fmt_date(data_start))


def status_text(pace: metrics.Pace) -> str:
    """超进度 / 持平 / 落后进度 of a :func:`metrics.pace` result ("—" without a completion)."""
    return "—" if pace.status is None else t(f"status.{pace.status}")
