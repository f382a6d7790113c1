"""用户管理 Users: accounts (create, edit role and scope, deactivate, reset password) and
wall-display links. Every change goes through ``data_access.access`` with the signed-in
administrator, which checks the permission and writes the audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from components.auth import current_actor
from components.i18n import get_language, t, tm
from components.layout import page_header
from data_access.access.permissions import Action, PermissionDenied, Role, can
from data_access.access.users import UserError, create_user, list_users, reset_password, set_active, update_user
from data_access.access.wall_links import create_wall_link, list_wall_links, revoke_wall_link
from data_access.cache import cached
from data_access.db import database_url, session_scope
from data_access.queries import reference

NEW_LINK_KEY = "users_new_wall_link"
FLASH_KEY = "users_flash"
CHINA = dt.timezone(dt.timedelta(hours=8))

page_header(t("users.title"))
actor = current_actor()
if not can(actor, Action.MANAGE_USERS):
    st.error(t("users.no_permission"))
    st.stop()
if flash := st.session_state.pop(FLASH_KEY, None):
    st.success(flash)


def _write(change: Callable[[Any], Any], done: str | None) -> None:
    """Run one administrative write; a refusal becomes a message, never a traceback."""
    try:
        with session_scope(database_url()) as session:
            change(session)
    except UserError as error:
        st.error(t(f"auth.err.{error.code}", **error.values))
        return False
    except PermissionDenied:
        st.error(t("users.no_permission"))
        return False
    if done:
        st.session_state[FLASH_KEY] = done  # shown after the rerun that redraws the lists
    st.rerun()


def _local(value: dt.datetime | None) -> str:
    if value is None:
        return t("users.none")
    aware = value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value
    return aware.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


departments = cached(reference.departments, domains=("master",))
managers = cached(reference.managers, domains=("master",))
english = get_language() == "en"
dept_names = {int(r.id): (r.name_en or r.name) if english else r.name for r in departments.itertuples()}
manager_names = {int(r.id): f"{r.name}（{r.code}）" for r in managers.itertuples()}
roles = [role.value for role in Role]

with session_scope(database_url()) as session:
    users = list_users(session, actor)

# --- the list ---------------------------------------------------------------------------------
st.subheader(t("users.list"))
now = dt.datetime.now(dt.UTC)


def _status(user: dict[str, Any]) -> str:
    if not user["active"]:
        return t("users.inactive")
    locked = user["locked_until"]
    if locked is not None and (locked.replace(tzinfo=dt.UTC) if locked.tzinfo is None else locked) > now:
        return t("users.locked", time=_local(locked))
    return t("users.active")


table = pd.DataFrame([{
    t("users.col.login"): u["login"],
    t("users.col.name"): u["display_name"],
    t("users.col.role"): t(f"role.{u['role']}"),
    t("users.col.department"): dept_names.get(u["department_id"], t("users.none")),
    t("users.col.manager"): manager_names.get(u["manager_id"], t("users.none")),
    t("users.col.sso"): u["sso_subject"] or t("users.none"),
    t("users.col.status"): _status(u),
    t("users.col.demo"): t("users.yes") if u["is_demo"] else t("users.no"),
} for u in users])
st.dataframe(table, hide_index=True, width="stretch")


def _scope_inputs(prefix: str, current: dict[str, Any] | None = None) -> tuple[str, int | None, int | None]:
    current = current or {}
    role = st.selectbox(t("users.col.role"), roles, key=f"{prefix}_role",
                        index=roles.index(current.get("role", Role.MANAGER.value)),
                        format_func=lambda code: t(f"role.{code}"))
    dept_options = [None, *dept_names]
    department = st.selectbox(t("users.col.department"), dept_options, key=f"{prefix}_dept",
                              index=dept_options.index(current.get("department_id")),
                              format_func=lambda d: t("users.none") if d is None else dept_names[d])
    manager_options = [None, *manager_names]
    manager = st.selectbox(t("users.col.manager"), manager_options, key=f"{prefix}_manager",
                           index=manager_options.index(current.get("manager_id")),
                           format_func=lambda m: t("users.none") if m is None else manager_names[m])
    return role, department, manager


# --- create -----------------------------------------------------------------------------------
st.subheader(t("users.create"))
with st.form("users_create", clear_on_submit=False):
    left, right = st.columns(2)
    with left:
        login = st.text_input(t("users.col.login"), key="users_new_login", max_chars=60)
        name = st.text_input(t("users.col.name"), key="users_new_name", max_chars=60)
        password = st.text_input(t("users.initial_password"), key="users_new_password", type="password",
                                 autocomplete="new-password")
        sso = st.text_input(t("users.col.sso"), key="users_new_sso", max_chars=200)
    with right:
        role, department, manager = _scope_inputs("users_new")
    if st.form_submit_button(t("users.save_new"), type="primary"):
        _write(lambda s: create_user(s, actor, login=login, display_name=name, role=role,
                                     password=password or None, department_id=department, manager_id=manager,
                                     sso_subject=sso), tm("users.created", login=login.strip()))

# --- edit, deactivate, reset ------------------------------------------------------------------
st.subheader(t("users.edit"))
by_id = {int(u["id"]): u for u in users}
chosen = st.selectbox(t("users.pick"), list(by_id), key="users_pick",
                      format_func=lambda i: f"{by_id[i]['login']} · {by_id[i]['display_name']}")
if chosen is not None:
    user = by_id[chosen]
    with st.form(f"users_edit_{chosen}"):
        left, right = st.columns(2)
        with left:
            edit_name = st.text_input(t("users.col.name"), value=user["display_name"], max_chars=60)
            edit_sso = st.text_input(t("users.col.sso"), value=user["sso_subject"] or "", max_chars=200)
        with right:
            edit_role, edit_department, edit_manager = _scope_inputs(f"users_edit_{chosen}", user)
        if st.form_submit_button(t("users.save_edit")):
            _write(lambda s: update_user(s, actor, chosen, display_name=edit_name, role=edit_role,
                                         department_id=edit_department, manager_id=edit_manager,
                                         sso_subject=edit_sso), tm("users.saved", login=user["login"]))
    left, right = st.columns(2)
    with left:
        if user["active"]:
            if st.button(t("users.deactivate"), key=f"users_deactivate_{chosen}"):
                _write(lambda s: set_active(s, actor, chosen, False), tm("users.deactivated", login=user["login"]))
        elif st.button(t("users.reactivate"), key=f"users_reactivate_{chosen}"):
            _write(lambda s: set_active(s, actor, chosen, True), tm("users.reactivated", login=user["login"]))
    with right, st.form(f"users_reset_{chosen}", clear_on_submit=True):
        new_password = st.text_input(t("users.new_password"), type="password", autocomplete="new-password")
        if st.form_submit_button(t("users.reset")):
            _write(lambda s: reset_password(s, actor, chosen, new_password), tm("users.reset_done", login=user["login"]))

# --- wall-display links -----------------------------------------------------------------------
if can(actor, Action.MANAGE_WALL_LINKS):
    st.subheader(t("users.wall_links"))
    st.caption(t("users.wall_hint"))
    new_link = st.session_state.pop(NEW_LINK_KEY, None)
    if new_link:
        st.success(t("users.wall_created"))
        st.code(new_link, language=None)
    with session_scope(database_url()) as session:
        links = list_wall_links(session, actor)
    if links:
        st.dataframe(pd.DataFrame([{
            t("users.wall_col.label"): link["label"],
            t("users.wall_col.created"): _local(link["created_at"]),
            t("users.wall_col.status"): t("users.wall_status.active") if link["revoked_at"] is None
            else t("users.wall_status.revoked", time=_local(link["revoked_at"])),
        } for link in links]), hide_index=True, width="stretch")
    else:
        st.caption(t("users.wall_none"))
    left, right = st.columns(2)
    with left, st.form("users_wall_create", clear_on_submit=True):
        label = st.text_input(t("users.wall_label"), max_chars=100)
        if st.form_submit_button(t("users.wall_create")):

            def _create(session: Any) -> None:
                token, _ = create_wall_link(session, actor, label)
                # Shown once, on the next run, from this server-side state; only its hash is stored.
                parts = urlsplit(str(st.context.url or ""))
                origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
                st.session_state[NEW_LINK_KEY] = f"{origin}/meeting?wall={token}"

            _write(_create, None)  # the new link itself says it was made
    active = {int(link["id"]): link["label"] for link in links if link["revoked_at"] is None}
    with right:
        if active:
            revoke = st.selectbox(t("users.wall_pick"), list(active), key="users_wall_pick",
                                  format_func=lambda i: active[i])
            if st.button(t("users.wall_revoke"), key="users_wall_revoke"):
                _write(lambda s: revoke_wall_link(s, actor, revoke), tm("users.wall_revoked_done", label=active[revoke]))
