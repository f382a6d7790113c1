"""我的账户 My account: who is signed in, and changing one's own password."""

from __future__ import annotations

import streamlit as st

from components.auth import current_actor
from components.i18n import t
from components.layout import page_header
from data_access.access.passwords import MIN_LENGTH
from data_access.access.users import UserError, change_own_password
from data_access.db import database_url, session_scope

page_header(t("account.title"))
actor = current_actor()
if actor is None:
    st.stop()
st.text(t("auth.signed_in_as", name=actor.display_name, role=t(f"role.{actor.role.value}")))
st.subheader(t("account.change_password"))
if actor.user_id is None:
    st.info(t("account.no_password"))
    st.stop()
st.caption(t("account.rule", n=MIN_LENGTH))
with st.form("account_password", clear_on_submit=True):
    current = st.text_input(t("account.current"), type="password", autocomplete="current-password")
    new = st.text_input(t("account.new"), type="password", autocomplete="new-password")
    repeat = st.text_input(t("account.repeat"), type="password", autocomplete="new-password")
    submitted = st.form_submit_button(t("account.save"), type="primary")
if submitted:
    if new != repeat:
        st.error(t("account.mismatch"))
    else:
        try:
            with session_scope(database_url()) as session:
                change_own_password(session, actor, current, new)
        except UserError as error:
            st.error(t(f"auth.err.{error.code}", **error.values))
        else:
            st.success(t("account.saved"))
