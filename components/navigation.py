"""Which pages each user sees in the navigation: the page's view or write action in the
county's configured permission matrix (``data_access.access.permissions``).

Hiding a page is not the protection (``data_access`` enforces permissions and scope);
it keeps people from pages that would only tell them "no access". A page missing from
``st.navigation`` cannot be opened by URL either: Streamlit falls back to the default page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from components.i18n import t
from data_access.access.permissions import Action, Actor, Matrix, Role, can

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class PageSpec:
    path: str
    key: str  # nav.<key> is the title
    group: str  # nav.group.<group>
    icon: str
    actions: tuple[Action, ...]  # shown to whoever may do any of these (the configured matrix)
    needs_data: bool = True
    title_key: str | None = None  # default nav.<key>


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "overview", "overview", ":material/dashboard:", (Action.VIEW_COUNTY,),
             needs_data=False),
    PageSpec("pages/sales.py", "sales", "sales", ":material/trending_up:", (Action.VIEW_COUNTY,)),
    PageSpec("pages/terminals.py", "terminals", "terminals", ":material/storefront:", (Action.VIEW_RANKINGS,)),
    PageSpec("pages/routes.py", "routes", "routes", ":material/route:", (Action.VIEW_PEOPLE,)),
    PageSpec("pages/teams.py", "teams", "teams", ":material/leaderboard:", (Action.VIEW_RANKINGS,)),
    PageSpec("pages/meeting.py", "meeting", "meeting", ":material/tv:", (Action.VIEW_MEETING,)),
    PageSpec("pages/data_import.py", "import", "data", ":material/upload_file:", (Action.IMPORT_DATA,),
             needs_data=False),
    PageSpec("pages/users.py", "users", "admin", ":material/manage_accounts:", (Action.MANAGE_USERS,),
             needs_data=False),
    PageSpec("pages/audit.py", "audit", "admin", ":material/history:", (Action.VIEW_AUDIT,), needs_data=False,
             title_key="access.nav.audit"),
    # Every signed-in person but a wall display (which has no account of its own).
    PageSpec("pages/account.py", "account", "account", ":material/person:", (), needs_data=False),
)

# The page "/" opens: the first of these the user may see.
_DEFAULT_ORDER = ("overview", "teams", "routes", "meeting", "account")


def allowed(spec: PageSpec, actor: Actor | None, matrix: Matrix | None = None) -> bool:
    """May ``actor`` open the page? ``matrix``: the county's configured one (None: the defaults)."""
    if actor is None:
        return False
    if not spec.actions:
        return actor.role is not Role.WALL
    return any(can(actor, action, matrix=matrix) for action in spec.actions)


def _matrix() -> Matrix:
    from components.access import matrix

    return matrix()


def can_open(path: str) -> bool:
    """Whether the signed-in user's navigation holds ``path`` (a page_link elsewhere would fail)."""
    from components.auth import current_actor

    actor, matrix = current_actor(), _matrix()
    return any(spec.path == path and allowed(spec, actor, matrix) for spec in PAGES)


def pages_for(actor: Actor | None, *, has_data: bool = True, matrix: Matrix | None = None) -> list[PageSpec]:
    """The pages ``actor`` may open, in menu order (pages of data wait until there is data)."""
    return [spec for spec in PAGES
            if allowed(spec, actor, matrix) and (has_data or not spec.needs_data) and (REPO_ROOT / spec.path).exists()]


def _page(spec: PageSpec, *, default: bool) -> st.Page:
    # url_path = the file's name: on a deep link right after a server start Streamlit
    # resolves the URL against pages/ by file name before the router has run.
    url_path = spec.path.removeprefix("pages/").removesuffix(".py")
    title = t(spec.title_key or f"nav.{spec.key}")
    return st.Page(spec.path, title=title, icon=spec.icon, url_path=url_path, default=default)


def navigation_for(actor: Actor | None, *, has_data: bool = True) -> dict[str, list[st.Page]] | list[st.Page]:
    """The ``st.navigation`` argument for ``actor``: menu groups of the pages they may open."""
    specs = pages_for(actor, has_data=has_data, matrix=_matrix())
    keys = [spec.key for spec in specs]
    default_key = next((key for key in _DEFAULT_ORDER if key in keys), keys[0] if keys else None)
    groups: dict[str, list[st.Page]] = {}
    for spec in specs:
        groups.setdefault(t(f"nav.group.{spec.group}"), []).append(_page(spec, default=spec.key == default_key))
    return groups


def hidden_navigation() -> None:
    """Register every page without a menu (the sign-in screen): the URL the user asked for is kept."""
    pages = [_page(spec, default=spec.key == "overview") for spec in PAGES if (REPO_ROOT / spec.path).exists()]
    st.navigation(pages, position="hidden")
