"""Production entry point: ``streamlit run serve.py`` (same options as ``streamlit run dashboard.py``).

Serves ``dashboard.py`` through ``st.App`` (Streamlit 1.67) so the database is prepared and
the pages' libraries are imported when the server starts, before it accepts the first
connection, instead of in the first visitor's session after every restart: schema check,
aggregate backfill and, on the default SQLite file, the sample county (issue 14).
``streamlit run dashboard.py`` still works; its first visitor then pays for this.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st

# What the pages import beyond the shell: imported once here, so no session waits for it.
WARM_MODULES = (
    "pandas", "altair", "pydeck", "xlsxwriter",
    "components.charts", "components.sales_charts", "components.maps", "components.export",
    "components.team_views", "components.terminal_views", "components.meeting_views", "components.shell",
    "data_access.queries.overview", "data_access.queries.sales", "data_access.queries.terminals",
    "data_access.queries.routes", "data_access.queries.teams", "data_access.queries.meeting",
)


def prepare_server() -> None:
    """Database ready (the sample county started on a first start), page libraries imported."""
    from sample_data.startup import ensure_sample_county, needs_sample_county, start_sample_county

    if needs_sample_county():  # first start: generate in the background; visitors see its progress page
        start_sample_county()
    else:
        ensure_sample_county(progress=True)
    for name in WARM_MODULES:
        try:
            importlib.import_module(name)
        except ImportError as error:  # a module renamed elsewhere must not stop the server
            logging.getLogger(__name__).warning("warm-up import %s failed: %s", name, error)


def use_router_from_the_start() -> None:
    """Tell Streamlit now that the app routes with ``st.navigation``, as its first call would.

    Until some session has called ``st.navigation``, Streamlit treats ``pages/`` as a legacy
    pages folder and lists its raw file names ("dashboard", "data import", …) in the sidebar:
    on a first start that list would stay up while the first script imports its libraries.
    ``st.navigation`` itself sets this same flag (streamlit/commands/navigation.py).
    """
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False


@asynccontextmanager
async def _prepare(_app: st.App) -> AsyncIterator[None]:
    use_router_from_the_start()
    await asyncio.to_thread(prepare_server)
    yield


def _routes() -> list:
    # The HttpOnly session cookie is set by this route (components/session_cookie.py).
    from components.session_cookie import routes

    return routes()


app = st.App("dashboard.py", lifespan=_prepare, routes=_routes())
