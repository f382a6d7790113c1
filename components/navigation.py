"""Which pages each role sees in the navigation (issue 12's roles table).

Hiding a page is not the protection (``data_access`` enforces permissions and scope);
it keeps people from pages that would only tell them "no access". A page missing from
``st.navigation`` cannot be opened by URL either: Streamlit falls back to the default page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from components.i18n import t
from data_access.access.permissions import Action, Actor, Role, can

REPO_ROOT = Path(__file__).resolve().parent.parent

_ALL = frozenset(Role)
_COUNTY_VIEWERS = frozenset({Role.LEADER, Role.ADMIN, Role.DEPT_HEAD})


@dataclass(frozen=True)
class PageSpec:
    path: str
    key: str  # nav.<key> is the title
    group: str  # nav.group.<group>
    icon: str
    roles: frozenset[Role]
    needs_data: bool = True
    action: Action | None = None  # or: shown to whoever may do this


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "overview", "overview", ":material/dashboard:", _COUNTY_VIEWERS, needs_data=False),
    PageSpec("pages/sales.py", "sales", "sales", ":material/trending_up:", _COUNTY_VIEWERS),
    PageSpec("pages/terminals.py", "terminals", "terminals", ":material/storefront:", _COUNTY_VIEWERS | {Role.MANAGER}),
    PageSpec("pages/routes.py", "routes", "routes", ":material/route:", _COUNTY_VIEWERS | {Role.MANAGER}),
    PageSpec("pages/teams.py", "teams", "teams", ":material/leaderboard:", _COUNTY_VIEWERS | {Role.MANAGER}),
    PageSpec("pages/meeting.py", "meeting", "meeting", ":material/tv:", _COUNTY_VIEWERS | {Role.WALL}),
    PageSpec("pages/data_import.py", "import", "data", ":material/upload_file:", frozenset(), needs_data=False,
             action=Action.IMPORT_DATA),
    PageSpec("pages/users.py", "users", "admin", ":material/manage_accounts:", frozenset(), needs_data=False,
             action=Action.MANAGE_USERS),
    # Built by the audit work (auth-enforce); listed once the file exists.
    PageSpec("pages/audit.py", "audit", "admin", ":material/fact_check:", frozenset(), needs_data=False,
             action=Action.VIEW_AUDIT),
    PageSpec("pages/account.py", "account", "account", ":material/person:", _ALL - {Role.WALL}, needs_data=False),
)

# The page "/" opens: the first of these the role may see.
_DEFAULT_ORDER = ("overview", "teams", "meeting", "account")


def allowed(spec: PageSpec, actor: Actor | None) -> bool:
    if actor is None:
        return False
    return actor.role in spec.roles or (spec.action is not None and can(actor, spec.action))


def can_open(path: str) -> bool:
    """Whether the signed-in user's navigation holds ``path`` (a page_link elsewhere would fail)."""
    from components.auth import current_actor

    actor = current_actor()
    return any(spec.path == path and allowed(spec, actor) for spec in PAGES)


def pages_for(actor: Actor | None, *, has_data: bool = True) -> list[PageSpec]:
    """The pages ``actor`` may open, in menu order (pages of data wait until there is data)."""
    return [spec for spec in PAGES
            if allowed(spec, actor) and (has_data or not spec.needs_data) and (REPO_ROOT / spec.path).exists()]


def _page(spec: PageSpec, *, default: bool) -> st.Page:
    # url_path = the file's name: on a deep link right after a server start Streamlit
    # resolves the URL against pages/ by file name before the router has run.
    url_path = spec.path.removeprefix("pages/").removesuffix(".py")
    return st.Page(spec.path, title=t(f"nav.{spec.key}"), icon=spec.icon, url_path=url_path, default=default)


def navigation_for(actor: Actor | None, *, has_data: bool = True) -> dict[str, list[st.Page]] | list[st.Page]:
    """The ``st.navigation`` argument for ``actor``: menu groups of the pages they may open."""
    specs = pages_for(actor, has_data=has_data)
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
