"""The sign-in gate: every run of every page passes here before anything is shown.

Order on each run: a wall-display link (``?wall=``, meeting page only) → the session this
tab already signed in with (re-checked in the database: revoked, idle or deactivated ends
it) → the session cookie of an earlier tab → single sign-on (``st.user``) → the sign-in form.

An :class:`Actor` already in ``st.session_state`` without a sign-in method (``VIA_KEY``) was
put there by server-side code (AppTest's ``app_factory``): a browser cannot write session
state, and this gate always stores the method with the actor it signs in.
"""

from __future__ import annotations

import streamlit as st

from components.auth import ACTOR_KEY
from components.i18n import t
from components.navigation import hidden_navigation
from components.session_cookie import COOKIE_NAME, handoff_frame, is_settled, issue_handoff
from data_access.access import audit
from data_access.access.permissions import Actor
from data_access.access.sessions import check_session, resolve_token, revoke_session, start_session
from data_access.access.users import authenticate, sso_actor
from data_access.access.wall_links import resolve_wall_link
from data_access.db import database_url, session_scope

VIA_KEY = "auth_via"  # "session" | "sso" | "wall"
SESSION_ID_KEY = "auth_session_id"
WALL_TOKEN_KEY = "auth_wall_token"
HANDOFF_KEY = "auth_cookie_handoff"
NOTICE_KEY = "auth_notice"


def sign_in_gate() -> Actor:
    """The signed-in actor of this run; otherwise the sign-in screen is shown and the run stops."""
    _render_cookie_handoff()
    if st.query_params.get("wall") or st.session_state.get(VIA_KEY) == "wall":
        return _wall_actor()
    actor = _revalidated()
    if actor is None:
        actor = _from_cookie()
    if actor is None and sso_configured():
        actor = _from_sso()
    if actor is None:
        _sign_in_screen()
    return actor


def _forget(notice: str | None = None) -> None:
    for key in (ACTOR_KEY, VIA_KEY, SESSION_ID_KEY, WALL_TOKEN_KEY):
        st.session_state.pop(key, None)
    if notice:
        st.session_state[NOTICE_KEY] = notice


def _signed_in(actor: Actor, via: str, session_id: int | None = None) -> Actor:
    st.session_state[ACTOR_KEY] = actor
    st.session_state[VIA_KEY] = via
    if session_id is not None:
        st.session_state[SESSION_ID_KEY] = session_id
    st.session_state.pop(NOTICE_KEY, None)
    return actor


def _revalidated() -> Actor | None:
    actor = st.session_state.get(ACTOR_KEY)
    if not isinstance(actor, Actor):
        return None
    via = st.session_state.get(VIA_KEY)
    if via is None:
        return actor  # preset by server-side code (tests), see the module docstring
    if via == "session" and st.session_state.get(SESSION_ID_KEY) is not None:
        with session_scope(database_url()) as session:
            signed = check_session(session, int(st.session_state[SESSION_ID_KEY]))
        if signed is not None:
            return _signed_in(signed.actor, "session")
    if via == "sso" and sso_configured():
        return _from_sso()
    _forget("ended")
    return None


def _from_cookie() -> Actor | None:
    token = st.context.cookies.get(COOKIE_NAME)
    if not isinstance(token, str) or not token:
        return None
    with session_scope(database_url()) as session:
        signed = resolve_token(session, token)
    return _signed_in(signed.actor, "session", signed.session_id) if signed is not None else None


def _wall_actor() -> Actor:
    token = st.query_params.get("wall") or st.session_state.get(WALL_TOKEN_KEY)
    token = token if isinstance(token, str) else None
    with session_scope(database_url()) as session:
        actor = resolve_wall_link(session, token)
    if actor is None:
        _forget()
        hidden_navigation()
        st.error(t("auth.wall_revoked"))
        st.stop()
    st.session_state[WALL_TOKEN_KEY] = token
    return _signed_in(actor, "wall")


# --- single sign-on (st.login, OIDC) -------------------------------------------------------

def sso_configured() -> bool:
    """True when ``[auth]`` is set in ``.streamlit/secrets.toml`` (st.login can be offered)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def sso_identity() -> tuple[str | None, str | None] | None:
    """(e-mail, subject) of the identity-provider user, or None when not signed in there."""
    if not st.user.is_logged_in:
        return None
    return st.user.get("email"), st.user.get("sub")


def _from_sso() -> Actor | None:
    identity = sso_identity()
    if identity is None:
        return None
    email, subject = identity
    first = st.session_state.get(VIA_KEY) != "sso"
    with session_scope(database_url()) as session:
        actor = sso_actor(session, email=email, subject=subject)
        if first:
            action = "signin.ok" if actor else "signin.fail"
            audit.record(session, actor, action, f"sso {(email or subject or '')[:60]}",
                         after=None if actor else {"reason": "unknown_identity"})
    if actor is None:
        _forget()
        hidden_navigation()
        st.title(t("auth.no_access"))
        st.write(t("auth.no_access_detail", identity=email or subject or ""))
        st.button(t("auth.sso_sign_out"), on_click=st.logout)
        st.stop()
    return _signed_in(actor, "sso")


# --- the sign-in screen and sign-out -------------------------------------------------------

def _sign_in_screen() -> None:
    hidden_navigation()
    with st.columns([1, 1.3])[0]:  # a form of reading width, not the whole screen
        _sign_in_form()
    st.stop()


def _sign_in_form() -> None:
    st.title(t("auth.title"))
    st.caption(t("auth.intro"))
    if st.session_state.pop(NOTICE_KEY, None):
        st.info(t("auth.session_ended"))
    if sso_configured():
        st.button(t("auth.sso_button"), on_click=st.login, type="primary")
        st.caption(t("auth.sso_or"))
    with st.form("auth_form", clear_on_submit=True, enter_to_submit=True):
        login = st.text_input(t("auth.login"), key="auth_login", max_chars=60, autocomplete="username")
        password = st.text_input(t("auth.password"), key="auth_password", type="password", max_chars=200,
                                 autocomplete="current-password")
        submitted = st.form_submit_button(t("auth.submit"), type="primary")
    if submitted:
        with session_scope(database_url()) as session:
            attempt = authenticate(session, login or "", password or "")
            started = start_session(session, int(attempt.actor.user_id)) if attempt.ok else None
        if attempt.ok and started is not None:
            token, session_id = started
            st.session_state[HANDOFF_KEY] = issue_handoff(token)
            _signed_in(attempt.actor, "session", session_id)
            st.rerun()
        st.error(t("auth.failed"))


def sign_out() -> None:
    """Button callback: end the session in the database, clear the cookie, forget the actor."""
    via = st.session_state.get(VIA_KEY)
    session_id = st.session_state.get(SESSION_ID_KEY)
    actor = st.session_state.get(ACTOR_KEY)
    with session_scope(database_url()) as session:
        if via == "session" and session_id is not None:
            revoke_session(session, int(session_id))
        audit.record(session, actor if isinstance(actor, Actor) else None, "signout", "")
    st.session_state[HANDOFF_KEY] = issue_handoff("")
    _forget()
    if via == "sso":
        st.logout()


def _render_cookie_handoff() -> None:
    """The invisible frame that makes the browser fetch its cookie; kept until redeemed."""
    code = st.session_state.get(HANDOFF_KEY)
    if not code:
        return
    if is_settled(code):
        del st.session_state[HANDOFF_KEY]
        return
    with st.sidebar:
        st.iframe(handoff_frame(code), height=1)
