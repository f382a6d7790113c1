"""Meeting mode builders: projector CSS, slide chrome, big KPI tiles, big tables, daily chart.

Pure: data in, HTML strings or Altair charts out; the page puts them on screen. Sized for
a 1920×1080 wall: main figures 96 px, table text 30 px, chart type at twice the normal
size. Every text is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import altair as alt
import pandas as pd

from components.charts import LAST_YEAR_COLOR, THIS_YEAR_COLOR, readable
from components.escape import html_text

GOOD, BAD, NEUTRAL = "good", "bad", "neutral"
KPI_VALUE_PX = 104  # the browser test checks main figures are at least 48 px
CHART_SCALE = 2.0
CHART_HEIGHT = 680

_CSS = """
<style>
/* Meeting mode: no sidebar, header or toolbar; the slide fills a 1920x1080 wall. */
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"], footer { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 0.6rem 1.6rem 0.2rem 1.6rem !important; max-width: 100% !important; }
[data-testid="stAppViewContainer"] { background: #ffffff; }
[data-testid="stMain"] { overflow: hidden; }
.meeting-head { display: flex; align-items: center; justify-content: space-between; gap: 24px;
  background: #0b2545; color: #ffffff; padding: 14px 28px; border-radius: 10px; }
.meeting-title { font-size: 52px; font-weight: 800; line-height: 1.15; letter-spacing: 1px; }
.meeting-sub { font-size: 26px; color: #dbe7f5; line-height: 1.35; text-align: right; white-space: nowrap; }
.meeting-counter { font-size: 30px; font-weight: 700; color: #ffd166; }
.meeting-note { font-size: 24px; color: #333333; margin: 8px 4px; }
.meeting-tiles { display: grid; grid-template-columns: repeat(3, 1fr); gap: 26px; margin-top: 18px; }
.meeting-tile { border: 3px solid #0b2545; border-radius: 14px; padding: 18px 26px; background: #f7f9fc; min-width: 0; }
.meeting-tile-label { font-size: 38px; font-weight: 700; color: #0b2545; }
.meeting-kpi-value { font-size: KPI_PXpx; font-weight: 800; color: #111111; line-height: 1.1;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.meeting-line { font-size: 32px; font-weight: 600; line-height: 1.35; }
.meeting-good { color: #1b7a36; } .meeting-bad { color: #c0392b; } .meeting-neutral { color: #444444; }
.meeting-bar { position: relative; height: 34px; background: #e3e8ef; border-radius: 17px; margin: 10px 0 6px 0; }
.meeting-bar-fill { position: absolute; left: 0; top: 0; bottom: 0; border-radius: 17px; }
.meeting-bar-mark { position: absolute; top: -8px; bottom: -8px; width: 6px; background: #111111; }
.meeting-table { width: 100%; border-collapse: collapse; font-size: 30px; }
.meeting-table th { background: #0b2545; color: #ffffff; text-align: left; padding: 8px 14px; font-size: 26px;
  white-space: nowrap; }
.meeting-table.large { font-size: 44px; } .meeting-table.large td { padding: 14px 18px; }
.meeting-table td { padding: 7px 14px; border-bottom: 2px solid #d5dbe3; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; max-width: 520px; }
.meeting-table td.num, .meeting-table th.num { text-align: right; }
.meeting-table.compact { font-size: 25px; } .meeting-table.compact th { font-size: 22px; padding: 6px 10px; }
.meeting-table.compact td { padding: 6px 10px; max-width: 300px; }
.meeting-section { font-size: 34px; font-weight: 800; color: #0b2545; margin: 10px 0 6px 0; }
.meeting-scorebar { display: inline-block; height: 22px; background: #2e6db4; border-radius: 4px; vertical-align: middle; }
</style>
"""


def projector_css() -> str:
    """The <style> block of meeting mode (hides the app chrome, sets projector type sizes)."""
    return _CSS.replace("KPI_PX", str(KPI_VALUE_PX))


def _e(text: object) -> str:
    return html_text(text)


def slide_header_html(title: str, *, counter: str, stamps: Sequence[str]) -> str:
    """Dark band: slide title left; counter and "as of" stamps right."""
    right = "<br>".join(_e(s) for s in stamps)
    return (
        f'<div class="meeting-head"><div class="meeting-title">{_e(title)}</div>'
        f'<div class="meeting-sub"><span class="meeting-counter">{_e(counter)}</span><br>{right}</div></div>'
    )


@dataclass(frozen=True)
class Tile:
    """One big KPI tile: label, main figure, and lines under it ``(text, tone)``."""

    label: str
    value: str
    lines: tuple[tuple[str, str], ...] = ()
    bar: tuple[float, float] | None = None  # (completion, time progress) as fractions


def _bar_html(completion: float, progress: float) -> str:
    fill = max(0.0, min(1.0, completion)) * 100
    mark = max(0.0, min(1.0, progress)) * 100
    color = "#1b7a36" if completion >= progress else "#c0392b"
    return (
        f'<div class="meeting-bar"><div class="meeting-bar-fill" style="width:{fill:.1f}%;background:{color}"></div>'
        f'<div class="meeting-bar-mark" style="left:calc({mark:.1f}% - 3px)"></div></div>'
    )


def kpi_tiles_html(tiles: Sequence[Tile]) -> str:
    """A grid of big KPI tiles, three to a row."""
    parts = []
    for tile in tiles:
        lines = "".join(f'<div class="meeting-line meeting-{tone}">{_e(text)}</div>' for text, tone in tile.lines)
        bar = _bar_html(*tile.bar) if tile.bar is not None else ""
        parts.append(
            f'<div class="meeting-tile"><div class="meeting-tile-label">{_e(tile.label)}</div>'
            f'<div class="meeting-kpi-value">{_e(tile.value)}</div>{bar}{lines}</div>'
        )
    return f'<div class="meeting-tiles">{"".join(parts)}</div>'


def tone_of(change: float | None, *, higher_is_better: bool = True) -> str:
    """good / bad / neutral for a signed change."""
    if change is None or change == 0:
        return NEUTRAL
    return GOOD if (change > 0) == higher_is_better else BAD


@dataclass(frozen=True)
class Column:
    """A column of a big table: frame column, header, numeric (right-aligned)."""

    name: str
    header: str
    numeric: bool = False


def table_html(frame: pd.DataFrame, columns: Sequence[Column], *, tones: pd.Series | None = None,
               bar_column: str | None = None, bar_max: float = 100.0, bar_px: int = 260, large: bool = False,
               compact: bool = False) -> str:
    """A big-type table of preformatted cells; ``tones`` colours whole rows (good/bad/neutral).

    ``large`` for a few rows filling the slide, ``compact`` for a list beside a map.

    ``bar_column`` draws a score bar (value in ``<bar_column>_value``) before the cell text.
    """
    head = "".join(f'<th class="{"num" if c.numeric else ""}">{_e(c.header)}</th>' for c in columns)
    rows = []
    for i, row in enumerate(frame.itertuples(index=False)):
        record = row._asdict()
        tone = tones.iloc[i] if tones is not None else NEUTRAL
        cells = []
        for column in columns:
            text = _e(record[column.name])
            if column.name == bar_column:
                value = float(record.get(f"{bar_column}_value") or 0.0)
                width = max(0.0, min(1.0, value / bar_max)) * bar_px if bar_max else 0.0
                text = f'<span class="meeting-scorebar" style="width:{width:.0f}px"></span> {text}'
            cells.append(f'<td class="{"num" if column.numeric else ""}">{text}</td>')
        rows.append(f'<tr class="meeting-{tone}">{"".join(cells)}</tr>')
    size = " large" if large else " compact" if compact else ""
    return f'<table class="meeting-table{size}"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def section_html(text: str) -> str:
    return f'<div class="meeting-section">{_e(text)}</div>'


def note_html(text: str, tone: str = NEUTRAL) -> str:
    return f'<div class="meeting-note meeting-{tone}">{_e(text)}</div>'


def daily_chart(
    frame: pd.DataFrame, *, this_label: str, last_label: str, x_title: str, y_title: str,
    height: int = CHART_HEIGHT,
) -> alt.Chart:
    """This month's cases per day (bars) against the same days last year (line with points)."""
    long = pd.concat(
        [
            pd.DataFrame({"day": frame["day"], "cases": frame["cases"].round(1), "series": this_label}),
            pd.DataFrame({"day": frame["day"], "cases": frame["cases_last_year"].round(1), "series": last_label}),
        ],
        ignore_index=True,
    )
    color = alt.Color(
        "series:N", title=None, legend=alt.Legend(labelLimit=0, symbolSize=300),
        scale=alt.Scale(domain=[this_label, last_label], range=[THIS_YEAR_COLOR, LAST_YEAR_COLOR]),
    )
    base = alt.Chart(long).encode(
        x=alt.X("day:O", title=x_title, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("cases:Q", title=y_title, axis=alt.Axis(format=",.0f")),
        color=color,
    )
    bars = base.transform_filter(alt.datum.series == this_label).mark_bar(opacity=0.9)
    line = base.transform_filter(alt.datum.series == last_label).mark_line(
        strokeWidth=5, point=alt.OverlayMarkDef(size=140, filled=True)
    )
    return readable(alt.layer(bars, line), height=height, scale=CHART_SCALE)
