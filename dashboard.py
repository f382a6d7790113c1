"""精益营销看板 — entry point and router.

Run by Streamlit for every browser session (``__name__ == "__main__"``): the shared shell
(page config, language, sign-in, period, department: all kept in the URL) and
``st.navigation`` over the pages the signed-in role may open. Pages live in ``pages/``.

Imported as a module (``streamlit run dashboard.py`` finds ``app`` below and serves it):
the app as ``st.App`` with the one HTTP route that sets the HttpOnly session cookie
(components/session_cookie.py; why: docs/security.md). ``serve.py`` (the production entry)
mounts the same route and also prepares the database before the first visitor.
"""

from __future__ import annotations

import streamlit as st

if __name__ == "__main__":
    from components.filters import flush_url_notices
    from components.navigation import navigation_for
    from components.routing import incident_guard
    from components.shell import render_shell
    from data_access.access.permissions import Role

    has_data, actor = False, None
    with incident_guard("shell"):
        has_data, actor = render_shell()
    if actor is None:  # the shell failed unexpectedly and said so (an incident id, no traceback)
        st.stop()
    # An empty database (e.g. a new PostgreSQL) offers only the pages that work without data.
    page = st.navigation(navigation_for(actor, has_data=has_data),
                         position="hidden" if actor.role is Role.WALL else "sidebar")
    # An unexpected exception on a page is logged with the page and the URL parameters and the
    # visitor sees a short message with an incident id (components/routing.py), never a traceback.
    with incident_guard(page.url_path or "overview"):
        page.run()
    flush_url_notices()
else:
    from components.session_cookie import routes

    app = st.App(__file__, routes=routes())
