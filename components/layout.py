"""Page furniture shared by every page: header with the data-freshness stamp, KPI cards."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from components.filters import show_url_notices
from components.formatting import fmt_date
from components.i18n import t
from components.routing import ensure_router
from components.theme import apply_desk_style

FRESHNESS_KEY = "data_freshness"


def page_header(title: str, subtitle: str | None = None) -> None:
    """Title, optional subtitle, the "data up to" stamp, and any URL notices."""
    ensure_router()
    apply_desk_style()
    st.title(title)
    freshness: dt.date | None = st.session_state.get(FRESHNESS_KEY)
    parts = [subtitle] if subtitle else []
    if freshness is not None:
        parts.append(t("app.data_up_to", date=fmt_date(freshness)))
    if parts:
        st.caption(" · ".join(parts))
    show_url_notices()


def kpi_card(
    label: str, value: str, *, delta: str | None = None, delta_color: str = "normal", help: str | None = None,
    trend: list[float] | None = None,
) -> None:
    """One KPI as a bordered ``st.metric``; ``trend`` draws a small line under the figure."""
    st.metric(label, value, delta=delta, delta_color=delta_color, help=help, border=True,
              chart_data=trend, chart_type="line")
