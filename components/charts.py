"""Altair chart builders shared by pages. Pure: data in, chart spec out.

Type is sized for a projector: axis labels 14 px, titles 16 px.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"
THIS_YEAR_COLOR = "#c0392b"
LAST_YEAR_COLOR = "#95a5a6"


def readable(chart: alt.Chart, *, height: int = 320, scale: float = 1.0) -> alt.Chart:
    """Apply the dashboard's type sizes and font (``scale`` > 1 for the meeting wall)."""
    return (
        chart.properties(height=height)
        .configure(font=FONT)
        .configure_axis(labelFontSize=14 * scale, titleFontSize=16 * scale, grid=True, gridOpacity=0.4)
        .configure_legend(labelFontSize=14 * scale, titleFontSize=15 * scale, orient="top")
        .configure_title(fontSize=18 * scale, anchor="start")
        .configure_view(strokeWidth=0)
    )


def year_over_year_line(
    frame: pd.DataFrame, *, x: str, y: str, series: str, x_title: str, y_title: str,
    this_year_label: str, last_year_label: str, height: int = 320, y_format: str = ",.0f",
) -> alt.Chart:
    """This year's line against last year's on one axis (``series`` holds the two labels)."""
    color = alt.Color(
        f"{series}:N",
        title=None,
        scale=alt.Scale(domain=[this_year_label, last_year_label], range=[THIS_YEAR_COLOR, LAST_YEAR_COLOR]),
    )
    base = alt.Chart(frame).encode(
        x=alt.X(f"{x}:O", title=x_title, axis=alt.Axis(labelAngle=0)),
        y=alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=y_format)),
        color=color,
        tooltip=[alt.Tooltip(f"{series}:N"), alt.Tooltip(f"{x}:O"), alt.Tooltip(f"{y}:Q", format=y_format)],
    )
    chart = base.mark_line(point=True, strokeWidth=3)
    return readable(chart, height=height)
