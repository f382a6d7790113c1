"""精益营销看板 — entry point and router.

Page config, the shared sidebar (language, period, department: all kept in the URL), and
``st.navigation`` over the pages. Pages live in ``pages/``; nothing else happens here.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from components.filters import language_switch, sidebar_filters
from components.i18n import get_language, t
from components.layout import FRESHNESS_KEY
from data_access.cache import cached
from data_access.db import ensure_database
from data_access.queries import reference

st.set_page_config(page_title="精益营销看板", page_icon="📊", layout="wide", initial_sidebar_state="expanded")
language_switch()


@st.cache_resource(show_spinner=False)
def _ready_database() -> bool:
    # First start on the default SQLite file generates the sample county (about a minute).
    ensure_database()
    return True


try:
    with st.spinner(t("app.generating")):
        _ready_database()
    bounds = cached(reference.sales_date_bounds, domains=("sales",))
    departments = cached(reference.departments, domains=("master",))
except Exception as error:
    st.error(t("app.db_error", error=error))
    st.stop()

has_data = bounds is not None
data_start, data_end = bounds if has_data else (dt.date.today(), dt.date.today())
st.session_state[FRESHNESS_KEY] = data_end if has_data else None
sidebar_filters(
    departments=[
        (int(row.id), row.code, row.name if get_language() == "zh" else (row.name_en or row.name))
        for row in departments.itertuples()
    ],
    data_start=data_start,
    data_end=data_end,
)


def _page(path: str, key: str, icon: str, **kwargs: object) -> st.Page:
    return st.Page(path, title=t(f"nav.{key}"), icon=icon, url_path=key, **kwargs)


pages = {
    t("nav.group.overview"): [_page("pages/overview.py", "overview", ":material/dashboard:", default=True)],
    t("nav.group.sales"): [_page("pages/sales.py", "sales", ":material/trending_up:")],
    t("nav.group.terminals"): [_page("pages/terminals.py", "terminals", ":material/storefront:")],
    t("nav.group.routes"): [_page("pages/routes.py", "routes", ":material/route:")],
    t("nav.group.teams"): [_page("pages/teams.py", "teams", ":material/leaderboard:")],
    t("nav.group.meeting"): [_page("pages/meeting.py", "meeting", ":material/tv:")],
    t("nav.group.data"): [_page("pages/data_import.py", "import", ":material/upload_file:")],
}
st.navigation(pages).run()
