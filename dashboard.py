"""精益营销看板 — entry point and router.

The shared shell (page config, language, period, department: all kept in the URL) and
``st.navigation`` over the pages, each run under an incident guard. Pages live in ``pages/``;
nothing else happens here.
"""

from __future__ import annotations

import streamlit as st

from components.access import may
from components.filters import flush_url_notices
from components.i18n import t
from components.routing import incident_guard
from components.shell import render_shell
from data_access.access.permissions import Action

has_data = False
with incident_guard("shell"):
    has_data = render_shell()


def _page(path: str, key: str, icon: str, **kwargs: object) -> st.Page:
    # url_path = the file's name: on a deep link right after a server start Streamlit
    # resolves the URL against pages/ by file name before the router has run.
    return st.Page(path, title=t(f"nav.{key}"), icon=icon, url_path=path.removeprefix("pages/").removesuffix(".py"),
                   **kwargs)


overview = _page("pages/overview.py", "overview", ":material/dashboard:", default=True)
data_import = _page("pages/data_import.py", "import", ":material/upload_file:")
# The audit trail: administrators, and leaders may view it (until navigation per role lands, here).
audit = [st.Page("pages/audit.py", title=t("access.nav.audit"), icon=":material/history:", url_path="audit")] \
    if may(Action.VIEW_AUDIT) else []
if has_data:
    pages = {
        t("nav.group.overview"): [overview],
        t("nav.group.sales"): [_page("pages/sales.py", "sales", ":material/trending_up:")],
        t("nav.group.terminals"): [_page("pages/terminals.py", "terminals", ":material/storefront:")],
        t("nav.group.routes"): [_page("pages/routes.py", "routes", ":material/route:")],
        t("nav.group.teams"): [_page("pages/teams.py", "teams", ":material/leaderboard:")],
        t("nav.group.meeting"): [_page("pages/meeting.py", "meeting", ":material/tv:")],
        t("nav.group.data"): [data_import, *audit],
    }
else:  # an empty database (e.g. a new PostgreSQL): say so, and offer the import
    pages = {t("nav.group.overview"): [overview], t("nav.group.data"): [data_import]}
page = st.navigation(pages)
# An unexpected exception on a page is logged with the page and the URL parameters and the
# visitor sees a short message with an incident id (components/routing.py), never a traceback.
with incident_guard(page.url_path or "overview"):
    page.run()
flush_url_notices()
