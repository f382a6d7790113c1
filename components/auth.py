"""The signed-in user of this browser session, as pages and components see it.

The sign-in gate (issue 12) puts an :class:`~data_access.access.permissions.Actor` under
:data:`ACTOR_KEY` once the user has signed in; pages pass it (and its scope) to every
write and every person-level query in ``data_access``.
"""

from __future__ import annotations

import streamlit as st

from data_access.access.permissions import Actor, Scope, scope_of

ACTOR_KEY = "auth_actor"


def current_actor() -> Actor | None:
    value = st.session_state.get(ACTOR_KEY)
    return value if isinstance(value, Actor) else None


def current_scope() -> Scope:
    return scope_of(current_actor())
