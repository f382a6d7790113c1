"""Audit trail (审计记录): every write with who, when (China time with zone), what, before, after.

For administrators; county leaders may view it (``Action.VIEW_AUDIT``). Filters: user,
action (or a group such as "score"), China calendar days, object text. Oldest first, by
the aware timestamp. Exports xlsx and csv with formula-like cells neutralised.
"""

from __future__ import annotations

import streamlit as st

from components import audit_views as views
from components.access import require_page
from components.export import CSV_MIME, XLSX_MIME
from components.i18n import t
from components.layout import page_header
from data_access.access.permissions import Action
from data_access.db import session_scope
from data_access.queries import audit as queries

page_header(t("audit.title"), t("audit.subtitle"))
require_page(Action.VIEW_AUDIT)

with session_scope() as session:  # not cached: the trail is read as it is, a few thousand rows at most
    options = queries.audit_filter_options(session=session)
groups = sorted({a.split(".")[0] for a in options["actions"]} | set(options["actions"]))

row = st.columns([2, 2, 1.5, 1.5, 3])
user = row[0].selectbox(t("audit.user"), ["", *options["users"]], key="au_user",
                        format_func=lambda u: u or t("audit.all"))
action = row[1].selectbox(t("audit.action"), ["", *groups], key="au_action",
                          format_func=lambda a: views.action_label(a) if a else t("audit.all"))
first_day = row[2].date_input(t("audit.from"), value=None, key="au_from", format="YYYY-MM-DD")
last_day = row[3].date_input(t("audit.to"), value=None, key="au_to", format="YYYY-MM-DD")
object_text = row[4].text_input(t("audit.object"), key="au_object", max_chars=100).strip()

with session_scope() as session:
    entries = queries.audit_entries(session=session, user_name=user or None, action=action or None,
                                    first_day=first_day, last_day=last_day, object_text=object_text or None)
st.caption(t("audit.count", count=len(entries)) + " · " + t("audit.time_note"))
if entries.empty:
    st.info(t("audit.empty"))
    st.stop()
table = views.audit_table(entries)
st.dataframe(table, hide_index=True, width="stretch", key="au_table")
buttons = st.columns([1, 1, 4])
buttons[0].download_button(t("audit.export_xlsx"), views.audit_xlsx_bytes(table, sheet=t("audit.title")),
                           file_name="audit.xlsx", mime=XLSX_MIME, on_click="ignore", icon=":material/download:")
buttons[1].download_button(t("audit.export_csv"), views.audit_csv_bytes(table), file_name="audit.csv",
                           mime=CSV_MIME, on_click="ignore", icon=":material/download:")
