"""Desk-page styling Streamlit's theme options cannot express.

KPI figures: Streamlit cuts a metric's value, delta and label with an ellipsis when the
card is narrower than the text ("2,409.70…", "…落后…"). A figure must be readable whole at
1280–1920 px in both languages, so the type shrinks with the window and a figure that
still does not fit wraps onto a second line instead of being cut.
"""

from __future__ import annotations

import streamlit as st

DESK_CSS = """
<style>
[data-testid="stMetricValue"] { font-size: clamp(1.3rem, 1.75vw, 2.4rem); line-height: 1.2; }
[data-testid="stMetricValue"] .stMarkdownEllipsis,
[data-testid="stMetricDelta"] .stMarkdownEllipsis,
[data-testid="stMetricLabel"] .stMarkdownEllipsis {
  white-space: normal; overflow: visible; text-overflow: clip;
}
[data-testid="stMetricValue"] .stMarkdownEllipsis p,
[data-testid="stMetricDelta"] .stMarkdownEllipsis p,
[data-testid="stMetricLabel"] .stMarkdownEllipsis p {
  white-space: normal; overflow-wrap: anywhere;
}
</style>
"""


def apply_desk_style() -> None:
    """Inject the desk CSS (a hidden element; costs nothing on reruns)."""
    st.html(DESK_CSS)
