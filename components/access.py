"""What the signed-in user may see and do, as pages ask it.

Pages hide what a role cannot use and say why; the protection itself is in ``data_access``
(every write calls ``permissions.require``, every person-level query takes a ``Scope``).
"""

from __future__ import annotations

from collections.abc import Collection

import streamlit as st

from components.auth import current_actor
from components.i18n import t
from data_access.access import permissions
from data_access.access.permissions import Action, Matrix, PermissionDenied, Role, Scope
from data_access.cache import cached

_MARKDOWN_SPECIALS = set("\\`*_{}[]()#+-.!|<>~$:")


def md_escape(text: str) -> str:
    """``text`` shown literally inside Streamlit markdown (names are data, not markup)."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIALS else ch for ch in str(text))


def matrix() -> Matrix:
    """The county's configured permission matrix (cached, refreshed when configuration changes)."""
    return cached(permissions.permission_matrix, domains=("config",))


def may(action: Action, *, department_id: int | None = None) -> bool:
    """May the signed-in user do ``action`` (on ``department_id``)?"""
    return permissions.can(current_actor(), action, department_id=department_id, matrix=matrix())


def page_scope() -> Scope:
    """The person-level rows the signed-in user may see."""
    return permissions.scope_of(current_actor(), matrix=matrix())


def no_access(message_key: str = "access.no_access") -> None:
    """Say "no access" and end the page run: nothing below it is computed or shown."""
    st.error(t(message_key), icon=":material/lock:")
    st.stop()


def no_access_to(kind: str) -> None:
    """ "No access" for a URL naming a ``kind`` (department, manager, shop) outside the user's scope."""
    st.error(t("access.no_access_param", name=t(f"access.param.{kind}")), icon=":material/lock:")
    st.stop()


def guard_department(department_id: int | None, scope: Scope | None = None) -> None:
    """Stop the page when the sidebar's department (URL ``dept``) is outside the user's scope."""
    if department_id is not None and not (scope or page_scope()).allows_department(department_id):
        no_access_to("dept")


def meeting_scope() -> Scope:
    """Whose people the meeting slides show: the wall display shows the county's meeting (it can
    open nothing else); anyone else sees the slides within their own scope."""
    actor = current_actor()
    if actor is not None and actor.role is Role.WALL and may(Action.VIEW_MEETING):
        return permissions.EVERYTHING
    return page_scope()


def guard_url_value(name: str, allowed: Collection[str], kind: str) -> None:
    """Stop the page when URL parameter ``name`` names something outside a scoped user's lists.

    For users who see everything an unknown value keeps its usual fallback (a notice and the
    default); a scoped user's lists are already limited, so any other value is an attempt to
    look outside them and gets "no access" and no data.
    """
    raw = st.query_params.get(name)
    if raw and raw not in allowed and not page_scope().is_everything:
        no_access_to(kind)


def require_page(action: Action) -> None:
    """End the page with "no access" unless the signed-in user may ``action``."""
    if not may(action):
        no_access()


def refusal_text(error: PermissionDenied) -> str:
    """The message for a write ``data_access`` refused."""
    if error.reason == "own_department":
        return t("access.refused.own_department")
    return t("access.refused", action=t(f"access.action.{error.action.value}"))


def refusal_notice(action: Action, *, department_id: int | None = None) -> bool:
    """Show why the user may not ``action`` here (True when refused)."""
    actor = current_actor()
    try:
        permissions.require(actor, action, department_id=department_id, matrix=matrix())
    except PermissionDenied as error:
        st.info(refusal_text(error), icon=":material/lock:")
        return True
    return False
