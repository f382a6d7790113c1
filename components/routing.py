"""Make sure every page runs under the router (dashboard.py), even on a deep link.

Streamlit 1.67 starts each server process in its legacy multipage mode when a ``pages/``
folder sits beside the main script, and leaves it only once some session has called
``st.navigation``. Until then a deep link such as ``/meeting`` (a wall PC's bookmark after
a restart) runs ``pages/meeting.py`` alone: no sidebar, no filters, no language. AppTest
resets the same flag before every run. Pages call :func:`ensure_router` (through
``current_filters`` and ``page_header``); in legacy mode it switches the process to
``st.navigation`` mode and reruns, so the router runs first, as it does everywhere else.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def ensure_router() -> None:
    """Rerun through the router if this page was started without it."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False  # what st.navigation itself sets
        _keep_shell_widget_state()
        st.rerun()


def _keep_shell_widget_state() -> None:
    # The shell's sidebar widgets (``flt_*``) were not drawn in this page-only run, so
    # Streamlit would drop their state at the rerun and the language, period and department
    # would fall back to defaults. Re-assigning them keeps them, as across page switches.
    for key in [k for k in st.session_state if str(k).startswith("flt_")]:
        st.session_state[key] = st.session_state[key]
