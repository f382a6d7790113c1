"""Placeholder until its issue is built."""

import streamlit as st

from components.i18n import t
from components.layout import page_header

page_header(t("nav.terminals"))
st.info(t("common.placeholder"))
