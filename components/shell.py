"""The shared shell every page runs under: page config, database readiness, sidebar.

``dashboard.py`` calls :func:`render_shell` before ``st.navigation``; ``components.routing``
calls it when Streamlit ran a page without the router (see there).
"""

from __future__ import annotations

import html
import time

import streamlit as st

from components.filters import language_switch, sidebar_filters
from components.gate import sign_in_gate, sign_out
from components.i18n import get_language, t, tm
from components.layout import FRESHNESS_KEY
from data_access import clock
from data_access.access.permissions import Actor, Role
from data_access.access.users import active_demo_accounts_beside_real_data
from data_access.cache import cached
from data_access.db import database_url, get_engine
from data_access.queries import feeds, reference
from sample_data.startup import SampleBuild, ensure_sample_county, start_sample_county


@st.cache_resource(show_spinner=False)
def _ready_database() -> bool:
    # Schema check and aggregate backfill (the sample county itself is made by first_start_page).
    ensure_sample_county()
    return True


FIRST_START_STAGES = ("county", "master", "orders", "field", "plans", "indexes")  # sample_data.generate.STAGES
POLL_SECONDS = 0.5


def _starting() -> None:  # the only page while the sample county is generated (draws nothing itself)
    pass


def _stage_list_html(current: str) -> str:
    index = FIRST_START_STAGES.index(current) if current in FIRST_START_STAGES else len(FIRST_START_STAGES)
    rows = []
    for i, stage in enumerate(FIRST_START_STAGES):
        mark, colour, weight = ("✓", "#2e7d32", 400) if i < index else ("▶", "#b71c1c", 700) if i == index \
            else ("○", "#6b7280", 400)
        rows.append(f'<li style="list-style:none;color:{colour};font-weight:{weight};margin:4px 0">'
                    f'{mark}&nbsp;{html.escape(t(f"app.stage.{stage}"))}</li>')
    return f'<ul class="first-start-stages" style="padding-left:0;font-size:1.05rem">{"".join(rows)}</ul>'


def first_start_page(build: SampleBuild) -> None:
    """Progress page while the sample county is generated: stage names and a bar, then a rerun.

    ``st.navigation`` with one hidden page replaces the page list Streamlit would otherwise
    show from the ``pages/`` folder (raw English file names) until the router runs.
    """
    st.navigation([st.Page(_starting, title=t("app.first_start.title"), url_path="starting")], position="hidden")
    st.title(t("app.first_start.title"))
    st.write(t("app.first_start.intro"))
    bar = st.progress(0.0)
    stages = st.empty()
    while True:
        finished = build.finished
        bar.progress(build.fraction, text=t("app.first_start.bar", stage=t(f"app.stage.{build.stage}")
                                                  if build.stage in FIRST_START_STAGES else t("app.stage.done"),
                                                  percent=round(build.fraction * 100)))
        stages.html(_stage_list_html(build.stage))
        if finished:
            break
        time.sleep(POLL_SECONDS)
    if build.error is not None:
        st.error(t("app.first_start.failed", error=build.error))
        st.stop()
    st.rerun()


def _demo_warning_due(url: str) -> bool:
    # Two LIMIT 1 probes, administrators only; uncached so deactivating the demo accounts
    # clears the warning at once.
    from sqlmodel import Session

    with Session(get_engine(url)) as session:
        return active_demo_accounts_beside_real_data(session)


def _account_box(actor: Actor) -> None:
    """Who is signed in, and the sign-out button (not on a wall display)."""
    if actor.role is Role.WALL:
        return
    st.sidebar.divider()
    # st.text: the name is shown as typed, never read as markdown.
    st.sidebar.text(t("auth.signed_in_as", name=actor.display_name, role=t(f"role.{actor.role.value}")))
    st.sidebar.button(t("auth.sign_out"), key="auth_sign_out", on_click=sign_out, icon=":material/logout:")


def render_shell() -> tuple[bool, Actor]:
    """Page config, language, database, sign-in, sidebar filters.

    Returns whether there is any data and the signed-in actor (the run stops at the sign-in
    screen when there is none).
    """
    st.set_page_config(page_title="精益营销看板", page_icon="📊", layout="wide", initial_sidebar_state="expanded")
    language_switch()
    build = start_sample_county()
    if build is not None:  # first start: show the generation's progress, then run again
        first_start_page(build)
    try:
        with st.spinner(t("app.generating")):
            _ready_database()
        ends = current_feed_ends()
        first_day = cached(feeds.first_sales_day, domains=("sales",))
        min_days = cached(feeds.running_month_min_working_days, domains=("config",))
        departments = cached(reference.departments, domains=("master",))
    except Exception as error:  # a user-visible reason instead of a traceback
        st.error(tm("app.db_error", error=error))
        st.stop()
    actor = sign_in_gate()
    if actor.role is Role.ADMIN and _demo_warning_due(database_url()):
        st.warning(t("auth.demo_warning"), icon=":material/warning:")
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
        running_month_min_days=min_days,
    )
    _account_box(actor)
    return has_data, actor


def current_feed_ends() -> feeds.FeedEnds:
    """Each feed's last day up to the clock's today (``DASHBOARD_TODAY`` pins it; see data_access.clock)."""
    pinned_now = clock.now() if clock.is_pinned() else None
    return cached(feeds.feed_ends, domains=FEED_DOMAINS, today=clock.today(), now=pinned_now)


FEED_DOMAINS = ("sales", "visits", "gps", "terminals")
