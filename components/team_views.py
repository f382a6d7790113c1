"""Builders for the department competition page. Pure: frames in, tables and charts out."""

from __future__ import annotations

import math
from collections.abc import Mapping

import altair as alt
import pandas as pd

from components.charts import readable
from components.formatting import fmt_cases, fmt_number, fmt_pct, fmt_per_case, join_list
from components.i18n import get_language, t
from data_access.models import DEPARTMENT_SCORE_GROUPS
from data_access.rules.team_scoring import KPI_PARTS

# Words, not medal emoji or symbols: the data grid draws on a canvas with the UI font, and
# Debian Chromium (like many meeting-room PCs) has no colour emoji font.
TOP_THREE = (1, 2, 3)
GROUP_COLORS = ["#c0392b", "#2980b9", "#27ae60", "#8e44ad", "#f39c12"]
PRINT_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"] { display: none !important; }
.block-container { padding-top: 1rem !important; max-width: 100% !important; }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  .no-print, [data-testid="stLinkButton"], [data-testid="stDownloadButton"] { display: none !important; }
  .stApp { background: white !important; }
  [data-testid="stVegaLiteChart"], [data-testid="stTable"] { break-inside: avoid; }
}
</style>
"""


def _fit_width(chart: alt.Chart) -> alt.Chart:
    """Stretch to the container's width but keep the plot's own height.

    Streamlit's default autosize ("fit", padding included) squeezes legend, axes and plot
    into the given height, which leaves a few pixels of bars at projector type sizes.
    """
    return chart.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def group_name(group: str) -> str:
    return t(f"teams.group.{group}")


def weights_text(weights: Mapping[str, float]) -> str:
    """"月度KPI考核 60% · 建功立业活动 10% · ..." in configured order."""
    return " · ".join(f"{group_name(g)} {fmt_pct(float(weights.get(g, 0.0)), 0)}" for g in DEPARTMENT_SCORE_GROUPS)


def rank_label(rank: object) -> str:
    if _missing(rank):
        return "—"
    rank = int(rank)
    return f"{rank} {t(f'teams.top.{rank}')}" if rank in TOP_THREE else str(rank)


def change_label(change: object) -> str:
    """↑2 moved up two places, ↓1 down one, = unchanged, — no earlier rank."""
    if _missing(change):
        return t("teams.change.new")
    change = int(change)
    return "=" if change == 0 else (f"↑{change}" if change > 0 else f"↓{-change}")


def leaderboard_frame(board: pd.DataFrame, names: Mapping[int, str], *, for_export: bool = False) -> pd.DataFrame:
    """The ranking as a table: rank (medals for the top three), department, five groups,
    total, change, gap to the one above, status. Scores stay numbers (rounded to 2)."""
    rows = []
    for _, row in board.iterrows():
        missing = row["missing"]
        record: dict[str, object] = {
            t("teams.col.rank"): int(row["rank"]) if for_export and not _missing(row["rank"]) else rank_label(row["rank"]),
            t("teams.col.department"): names.get(int(row["department_id"]), str(row["department_id"])),
        }
        for group in DEPARTMENT_SCORE_GROUPS:
            record[group_name(group)] = None if _missing(row[group]) else round(float(row[group]), 2)
        record[t("teams.col.total")] = None if _missing(row["total"]) else round(float(row["total"]), 2)
        record[t("teams.col.change")] = change_label(row["rank_change"])
        record[t("teams.col.gap")] = None if _missing(row["gap_to_above"]) else round(float(row["gap_to_above"]), 2)
        record[t("teams.col.status")] = (
            (t("teams.provisional_mark") + ("：" if get_language() == "zh" else ": ")
             + join_list(group_name(g) for g in missing) if for_export else t("teams.provisional_mark"))
            if missing else t("teams.status.final")
        )
        rows.append(record)
    return pd.DataFrame(rows)


def contribution_chart(board: pd.DataFrame, names: Mapping[int, str]) -> alt.Chart:
    """Stacked horizontal bars: each group's weighted points, departments best first.

    A provisional total is the weighted mean of the groups entered so far, so its weighted
    points add up to less than the total. Each bar segment is drawn as its share of the
    total (weight × score ÷ the entered groups' weights), so every bar ends at the total
    written beside it; the tooltip keeps the plain weight × score.
    """
    order = [names.get(int(d), str(d)) for d in board["department_id"]]
    records = []
    for _, row in board.iterrows():
        present = [g for g in DEPARTMENT_SCORE_GROUPS if not _missing(row[f"{g}_points"])]
        weighted = sum(float(row[f"{g}_points"]) for g in present)
        scale = float(row["total"]) / weighted if weighted > 0 and not _missing(row["total"]) else 1.0
        records += [
            {"department": names.get(int(row["department_id"]), str(row["department_id"])),
             "group": group_name(g), "order": DEPARTMENT_SCORE_GROUPS.index(g),
             "points": round(float(row[f"{g}_points"]), 2), "share": round(float(row[f"{g}_points"]) * scale, 2)}
            for g in present
        ]
    long = pd.DataFrame(records)
    totals = pd.DataFrame({"department": order, "total": [None if _missing(v) else round(float(v), 1)
                                                           for v in board["total"]]})
    y = alt.Y("department:N", sort=order, title=None, axis=alt.Axis(labelFontSize=16, labelLimit=240))
    bars = alt.Chart(long).mark_bar().encode(
        y=y,
        x=alt.X("sum(share):Q", title=t("teams.contrib_x"), scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("group:N", title=t("teams.group_legend"),
                        scale=alt.Scale(domain=[group_name(g) for g in DEPARTMENT_SCORE_GROUPS], range=GROUP_COLORS)),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("department:N", title=t("teams.col.department")),
                 alt.Tooltip("group:N", title=t("teams.group_legend")),
                 alt.Tooltip("points:Q", title=t("teams.contrib_points"), format=".2f"),
                 alt.Tooltip("share:Q", title=t("teams.contrib_x"), format=".2f")],
    )
    labels = alt.Chart(totals).mark_text(align="left", dx=6, fontSize=16, fontWeight="bold").encode(
        y=alt.Y("department:N", sort=order), x=alt.X("total:Q"), text=alt.Text("total:Q", format=".1f"),
    )
    height = max(180, 64 * len(order))
    return _fit_width(readable(alt.layer(bars, labels), height=height))


def rank_history_chart(history: pd.DataFrame, names: Mapping[int, str]) -> alt.Chart:
    """Rank per month as lines; rank 1 on top, whole ranks only."""
    frame = history.dropna(subset=["rank"]).copy()
    frame["department"] = [names.get(int(d), str(d)) for d in frame["department_id"]]
    frame["month_label"] = [f"{m:%Y-%m}" for m in frame["month"]]
    frame["rank"] = frame["rank"].astype(int)
    count = max(int(frame["rank"].max()) if len(frame) else 1, 1)
    chart = alt.Chart(frame).mark_line(point=alt.OverlayMarkDef(size=120), strokeWidth=3).encode(
        x=alt.X("month_label:O", title=t("teams.history_x"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("rank:Q", title=t("teams.history_y"), scale=alt.Scale(domain=[count + 0.5, 0.5], nice=False),
                axis=alt.Axis(values=list(range(1, count + 1)), format="d")),
        color=alt.Color("department:N", title=None, scale=alt.Scale(scheme="tableau10")),
        tooltip=[alt.Tooltip("department:N", title=t("teams.col.department")),
                 alt.Tooltip("month_label:O", title=t("teams.history_x")),
                 alt.Tooltip("rank:Q", title=t("teams.history_y")),
                 alt.Tooltip("total:Q", title=t("teams.col.total"), format=".2f")],
    )
    return _fit_width(readable(chart, height=max(200, 60 * count)))


def kpi_breakdown_frame(row: Mapping[str, object], *, rule: Mapping, rubric_total: float) -> pd.DataFrame:
    """One line per KPI sub-indicator: the figures it came from, its value, rule, points,
    weight and what it adds to the KPI score (weights of parts without data spread out)."""
    weights = rule["parts"]
    present = sum(float(weights[p]) for p in KPI_PARTS if not _missing(row[f"{p}_points"]))
    figures = {
        "plan_completion": t("teams.fig.plan_completion", actual=fmt_cases(row["cases"]),
                             plan=fmt_cases(row["planned_cases"]), progress=fmt_pct(row["time_progress"])),
        "per_case_growth": t("teams.fig.per_case_growth", now=fmt_per_case(row["per_case_value"]),
                             last=fmt_per_case(row["per_case_value_ly"])),
        "online_rate": t("teams.fig.online_rate", online=fmt_number(row["online_retailers"]),
                         ordering=fmt_number(row["ordering_retailers"])),
        "visit_compliance": t("teams.fig.visit_compliance", done=fmt_number(row["done_visits"]),
                              planned=fmt_number(row["planned_visits"])),
        "terminal_display": t("teams.fig.terminal_display", terminals=fmt_number(row["inspected_terminals"]),
                              average=fmt_number(row["average_display"], 1), full=fmt_number(rubric_total)),
    }
    for part in ("plan_completion", "online_rate", "visit_compliance", "terminal_display"):
        if _missing(row[f"{part}_points"]):
            figures[part] = t(f"teams.fig.none.{part}", actual=fmt_cases(row["cases"]))
    rules = {
        "plan_completion": t("teams.rule.plan_completion"),
        "per_case_growth": t("teams.rule.per_case_growth", base=fmt_number(rule["growth_base_points"]),
                             per_pp=fmt_number(rule["growth_points_per_pp"])),
        "online_rate": t("teams.rule.rate"),
        "visit_compliance": t("teams.rule.rate"),
        "terminal_display": t("teams.rule.terminal_display"),
    }
    values = {
        "plan_completion": fmt_pct(row["plan_completion"]),
        "per_case_growth": "—" if _missing(row["per_case_growth"]) else f"{float(row['per_case_growth']) * 100:+.1f}%",
        "online_rate": fmt_pct(row["online_rate"]),
        "visit_compliance": fmt_pct(row["visit_compliance"]),
        "terminal_display": fmt_number(row["average_display"], 1),
    }
    records = []
    for part in KPI_PARTS:
        points = row[f"{part}_points"]
        weight = float(weights[part])
        has = not _missing(points)
        records.append({
            t("teams.kpi_col.part"): t(f"teams.part.{part}"),
            t("teams.kpi_col.figures"): figures[part],
            t("teams.kpi_col.value"): values[part],
            t("teams.kpi_col.rule"): rules[part] if has else t("teams.kpi_missing"),
            t("teams.kpi_col.points"): fmt_number(float(points), 2) if has else "—",
            t("teams.kpi_col.weight"): fmt_pct(weight, 0),
            t("teams.kpi_col.contribution"): fmt_number(float(points) * weight / present, 2) if has and present else "—",
        })
    return pd.DataFrame(records)


def people_frame(people: pd.DataFrame) -> pd.DataFrame:
    """Customer managers ranked, with the figures behind each score."""
    rows = []
    for _, row in people.iterrows():
        visits = "—" if _missing(row["planned_visits"]) else f"{fmt_number(row['done_visits'])} / {fmt_number(row['planned_visits'])}"
        rows.append({
            t("teams.col.rank"): rank_label(row["rank"]),
            t("teams.pcol.name"): f"{row['name']}（{row['code']}）",
            t("teams.pcol.plan"): None if _missing(row["planned_cases"]) else round(float(row["planned_cases"]), 2),
            t("teams.pcol.actual"): round(float(row["cases"]), 2),
            t("teams.pcol.completion"): fmt_pct(row["task_completion"]),
            t("teams.pcol.task_points"): None if _missing(row["task_completion_points"]) else round(float(row["task_completion_points"]), 2),
            t("teams.pcol.visits"): visits,
            t("teams.pcol.visit_rate"): fmt_pct(row["visit_compliance"]),
            t("teams.pcol.visit_points"): None if _missing(row["visit_compliance_points"]) else round(float(row["visit_compliance_points"]), 2),
            t("teams.pcol.score"): None if _missing(row["score"]) else round(float(row["score"]), 2),
            t("teams.col.gap"): None if _missing(row["gap_to_above"]) else round(float(row["gap_to_above"]), 2),
        })
    return pd.DataFrame(rows)


def audit_frame(audit: pd.DataFrame, *, english: bool) -> pd.DataFrame:
    """The audit history as a table, newest first."""
    return pd.DataFrame({
        t("teams.acol.when"): [f"{v:%Y-%m-%d %H:%M}" for v in audit["entered_at"]],
        t("teams.col.department"): audit["department_en"].where(audit["department_en"] != "", audit["department"])
        if english else audit["department"],
        t("teams.acol.group"): [group_name(g) for g in audit["group_code"]],
        t("teams.acol.old"): audit["old_score"],
        t("teams.acol.new"): audit["new_score"],
        t("teams.acol.who"): audit["entered_by"],
        t("teams.acol.reason"): audit["reason"],
    })


def as_text(frame: pd.DataFrame, digits: int = 2) -> pd.DataFrame:
    """Numbers as formatted text (for ``st.table``, which prints floats with 4 decimals)."""
    return frame.map(lambda v: fmt_number(v, digits) if isinstance(v, float) else ("—" if v is None else v))
