"""Page furniture shared by every page: header with the data-freshness stamp, KPI cards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import streamlit as st

from components.escape import md
from components.filters import GLOBAL_FILTERS_KEY, show_url_notices
from components.formatting import fmt_date, period_label
from components.i18n import t
from components.routing import ensure_router
from components.theme import apply_desk_style
from data_access.rules.calendar import month_period

FRESHNESS_KEY = "data_freshness"


def feed_stamps(feeds_shown: Sequence[str]) -> list[str]:
    """"As of" of each feed in ``feeds_shown`` whose last day differs from the sales feed's.

    Daily feeds (visits, gps) name their last day; monthly ones (inspections, pos) their month.
    """
    filters = st.session_state.get(GLOBAL_FILTERS_KEY)
    ends = getattr(filters, "feeds", None)
    if ends is None or ends.sales is None:
        return []
    stamps = []
    for feed in feeds_shown:
        day = ends.day(feed)
        if feed in ("inspections", "pos"):
            if day is not None and day != ends.sales.replace(day=1):
                stamps.append(t(f"time.feed_up_to.{feed}", date=period_label(month_period(day))))
        elif day is not None and day != ends.sales:
            stamps.append(t(f"time.feed_up_to.{feed}", date=fmt_date(day)))
    return stamps


def page_header(title: str, subtitle: str | None = None, *, feeds_shown: Sequence[str] = ()) -> None:
    """Title, optional subtitle, the "data up to" stamp, and any URL notices.

    ``feeds_shown``: the other feeds the page's figures use (visits, gps, inspections, pos);
    where one ends on another day than sales, the stamp says so (docs/time_conventions.md).
    """
    ensure_router()
    apply_desk_style()
    st.title(title)
    freshness: dt.date | None = st.session_state.get(FRESHNESS_KEY)
    parts = [md(subtitle)] if subtitle else []  # names of departments and brands: text, not markdown
    if freshness is not None:
        parts.append(t("app.data_up_to", date=fmt_date(freshness)))
    parts.extend(feed_stamps(feeds_shown))
    if parts:
        st.caption(" · ".join(parts), help=t("time.feeds_help") if feeds_shown else None)
    show_url_notices(st.container())


def kpi_card(
    label: str, value: str, *, delta: str | None = None, delta_color: str = "normal", help: str | None = None,
    trend: list[float] | None = None,
) -> None:
    """One KPI as a bordered ``st.metric``; ``trend`` draws a small line under the figure."""
    st.metric(label, value, delta=delta, delta_color=delta_color, help=help, border=True,
              chart_data=trend, chart_type="line")
