"""The shared shell every page runs under: page config, database readiness, sidebar.

``dashboard.py`` calls :func:`render_shell` before ``st.navigation``; ``components.routing``
calls it when Streamlit ran a page without the router (see there).
"""

from __future__ import annotations

import streamlit as st

from components.filters import language_switch, sidebar_filters
from components.i18n import get_language, t
from components.layout import FRESHNESS_KEY
from data_access import clock
from data_access.cache import cached
from data_access.queries import feeds, reference
from sample_data.startup import ensure_sample_county


@st.cache_resource(show_spinner=False)
def _ready_database() -> bool:
    # First start on the default SQLite file generates the sample county (about a minute).
    ensure_sample_county()
    return True


def render_shell() -> bool:
    """Page config, language, database, sidebar filters. Returns whether there is any data."""
    st.set_page_config(page_title="精益营销看板", page_icon="📊", layout="wide", initial_sidebar_state="expanded")
    language_switch()
    try:
        with st.spinner(t("app.generating")):
            _ready_database()
        ends = current_feed_ends()
        first_day = cached(feeds.first_sales_day, domains=("sales",))
        departments = cached(reference.departments, domains=("master",))
    except Exception as error:  # a user-visible reason instead of a traceback
        st.error(t("app.db_error", error=error))
        st.stop()
    has_data = first_day is not None and ends.sales is not None
    data_start, data_end = (first_day, ends.sales) if has_data else (ends.today, ends.today)
    st.session_state[FRESHNESS_KEY] = data_end if has_data else None
    sidebar_filters(
        departments=[
            (int(row.id), row.code, row.name if get_language() == "zh" else (row.name_en or row.name))
            for row in departments.itertuples()
        ],
        data_start=data_start,
        data_end=data_end,
        feeds=ends,
    )
    return has_data


def current_feed_ends() -> feeds.FeedEnds:
    """Each feed's last day up to the clock's today (``DASHBOARD_TODAY`` pins it; see data_access.clock)."""
    pinned_now = clock.now() if clock.is_pinned() else None
    return cached(feeds.feed_ends, domains=FEED_DOMAINS, today=clock.today(), now=pinned_now)


FEED_DOMAINS = ("sales", "visits", "gps", "terminals")
