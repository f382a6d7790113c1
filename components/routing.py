"""Every page runs under the router (dashboard.py), even on a deep link, and under an incident guard.

Streamlit 1.67 starts each server process in its legacy multipage mode when a ``pages/``
folder sits beside the main script, and leaves it only once some session has called
``st.navigation``. Until then a deep link such as ``/meeting`` (a wall PC's bookmark after
a restart) runs ``pages/meeting.py`` alone: no sidebar, no filters, no language. AppTest
resets the same flag before every run. Pages call :func:`ensure_router` (through
``current_filters`` and ``page_header``); in legacy mode it switches the process to
``st.navigation`` mode and reruns, so the router runs first, as it does everywhere else.
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

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


# --- unexpected exceptions: logged server-side, a short message for the user ---------------------
LOG = logging.getLogger("dashboard.errors")
if not LOG.handlers:  # Streamlit configures only its own loggers; make ours reach the server log
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    LOG.addHandler(_handler)
    LOG.setLevel(logging.INFO)
_LOGGED_PARAM_LENGTH = 200


def report_unexpected(error: BaseException, *, page: str) -> str:
    """Log ``error`` with its traceback, the page and the URL parameters; show a generic message.

    Returns the incident id, which the user sees and the log line carries.
    """
    incident = uuid.uuid4().hex[:8]
    try:
        parameters = {key: [value[:_LOGGED_PARAM_LENGTH] for value in st.query_params.get_all(key)]
                      for key in st.query_params}
    except Exception:  # never let logging fail the report
        parameters = {}
    LOG.error("unexpected error on page %r (incident %s) with parameters %r", page, incident, parameters,
              exc_info=error, extra={"incident": incident, "page": page, "parameters": parameters})
    from components.i18n import t  # late: i18n is not needed to route

    st.error(t("app.unexpected_error", incident=incident), icon=":material/error:")
    return incident


@contextmanager
def incident_guard(page: str) -> Iterator[None]:
    """Run the block; an unexpected exception is reported (:func:`report_unexpected`), never shown raw.

    ``st.stop`` and ``st.rerun`` are not exceptions of this kind and pass through.
    """
    try:
        yield
    except Exception as error:
        report_unexpected(error, page=page)


def guarded(page: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Decorator form of :func:`incident_guard`, for ``st.fragment`` bodies: a fragment's own
    reruns (``run_every``) do not pass through the page run that dashboard.py guards."""
    def wrap(function: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(function)
        def run(*args: object, **kwargs: object) -> None:
            with incident_guard(page):
                function(*args, **kwargs)

        return run

    return wrap
