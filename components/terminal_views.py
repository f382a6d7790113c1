"""Builders for the terminal rankings page: table frames and column configs, charts, gallery.

Pure except for :func:`photo_gallery`, which lays images out with Streamlit. Nothing here
queries the database; everything is data in, table/chart out.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from components.charts import readable
from components.escape import md
from components.i18n import get_language, label, t, tm
from data_access.models import PHOTO_KINDS
from data_access.rules import metrics
from data_access.rules.terminal_scoring import Rubric

PHOTO_ROOT = Path(__file__).resolve().parent.parent / "sample_data" / "photos"
MAX_PHOTOS_PER_KIND = 4
GROUP_COLORS = {"top": "#27ae60", "middle": "#7f8c8d", "bottom": "#c0392b"}
SCORE_COLORS = {"display": "#2e86de", "pos": "#e67e22", "brand": "#8e44ad", "composite": "#c0392b"}


def rank_change_text(change: float | None, previous_rank: float | None = None) -> str:
    """"↑2", "↓1", "–" (unchanged), "new" when not ranked last month, or "—" when ranked last
    month but the two months' populations are not comparable (docs/time_conventions.md)."""
    if change is None or pd.isna(change):
        ranked_before = previous_rank is not None and not pd.isna(previous_rank)
        return "—" if ranked_before else t("terminals.change.new")
    change = int(change)
    return "–" if change == 0 else (f"↑{change}" if change > 0 else f"↓{-change}")


def group_label(group: str) -> str:
    """"▲ 前列" / "▼ 后列"; the middle of the ranking carries no mark."""
    return t(f"terminals.group.{group}") if group in ("top", "bottom") else ""


def department_name(row: Any) -> str:
    return row["department_en"] or row["department"] if get_language() == "en" else row["department"]


def ranking_table(ranking: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """The rows shown in the ranking table (internal column names; labels come from the config)."""
    table = pd.DataFrame({
        "rank": ranking["rank"].astype(int),
        "change": [rank_change_text(v, p) for v, p in zip(ranking["rank_change"], ranking["previous_rank"],
                                                          strict=True)],
        "group": [group_label(g) for g in ranking["group"]],
        "shop": ranking["shop_name"],
        "manager": ranking["manager"],
        "department": [department_name(row) for _, row in ranking.iterrows()],
        "composite": ranking["composite"].round(1),
        "display": ranking["display_score"].round(1),
        "pos": (ranking["pos_accuracy"] * 100).round(1),
        "pos_flag": [t(f"terminals.pos.{s}") for s in ranking["pos_status"]],
        "brand": ranking["brand_cultivation"].round(1),
        "sales_growth": (ranking["sales_growth"] * 100).round(1),
        **{f"part_{part.code}": ranking[part.code] for part in rubric.parts},
        "display_points": ranking["display_points"],
        "market": [label("market", v) for v in ranking["market_type"]],
        "code": ranking["customer_code"],
    })
    return table.reset_index(drop=True)


# The grid shows the columns a leader reads at 1440 px (about 980 px wide): rank, shop, the four
# scores and the volume growth. The rubric parts, codes, department and market stay in the Excel
# export (issue 15: POS and brand were scrolled out of sight).
SHOWN_COLUMNS = ("rank", "change", "shop", "manager", "composite", "display", "pos", "brand", "sales_growth")


def ranking_column_config(rubric: Rubric) -> dict[str, Any]:
    """Column labels, score bars and formats of the ranking table."""
    lang = get_language()
    bar = st.column_config.ProgressColumn
    config: dict[str, Any] = {
        "rank": st.column_config.NumberColumn(t("terminals.col.rank"), format="%d", width=60, pinned=True),
        "change": st.column_config.TextColumn(t("terminals.col.change"), width=70,
                                              help=t("time.rank_change_help")),
        "group": st.column_config.TextColumn(t("terminals.col.group"), width="small"),
        "shop": st.column_config.TextColumn(t("terminals.col.shop"), width=170, pinned=True),
        "code": st.column_config.TextColumn(t("terminals.col.code"), width="small"),
        "manager": st.column_config.TextColumn(t("terminals.col.manager"), width=80),
        "department": st.column_config.TextColumn(t("terminals.col.department"), width="medium"),
        "market": st.column_config.TextColumn(t("terminals.col.market"), width="small"),
        "composite": bar(t("terminals.col.composite"), format="%.1f", min_value=0, max_value=100, color="red", width=105),
        "display": bar(t("terminals.col.display"), format="%.1f", min_value=0, max_value=100, color="blue", width=105),
        "pos": bar(t("terminals.col.pos"), format="%.1f%%", min_value=0, max_value=100, color="orange", width=120),
        "pos_flag": st.column_config.TextColumn(t("terminals.col.pos_flag"), width="small",
                                                help=t("time.pos_flag_help")),
        "brand": bar(t("terminals.col.brand"), format="%.1f", min_value=0, max_value=100, color="violet", width=130),
        "sales_growth": st.column_config.NumberColumn(t("terminals.col.sales_growth"), format="%+.1f%%", width=90),
    }
    for part in rubric.parts:
        config[f"part_{part.code}"] = st.column_config.NumberColumn(
            f"{part.name(lang)}（{part.points:g}）" if lang == "zh" else f"{part.name(lang)} ({part.points:g})",
            format="%g", width="small",
        )
    total = f"{t('terminals.col.display_points')}（{rubric.max_points:g}）" if lang == "zh" else (
        f"{t('terminals.col.display_points')} ({rubric.max_points:g})"
    )
    config["display_points"] = st.column_config.NumberColumn(total, format="%g", width="small")
    return config


def highlight_groups(table: pd.DataFrame, groups: pd.Series) -> Any:
    """A Styler tinting top rows green and bottom rows red (bars keep their own colours)."""
    tints = {"top": "background-color: rgba(39, 174, 96, 0.12)", "bottom": "background-color: rgba(192, 57, 43, 0.12)"}
    styles = [tints.get(g, "") for g in groups]
    return table.style.apply(lambda _column: styles, axis=0)


def export_frame(table: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """The ranking with translated headers, numbers kept as numbers (Excel export)."""
    config = ranking_column_config(rubric)
    headers = {name: column["label"] for name, column in config.items()}
    # Missing values become empty cells: components/export.py sizes columns with len(str(v)),
    # which fails on the NaN that pandas 3 keeps through astype(str).
    return table.astype(object).where(table.notna(), "").rename(columns=headers)


def display_growth_scatter(ranking: pd.DataFrame, *, title: str) -> alt.Chart:
    """Display score (x) against volume year on year (y), one point per terminal, with a trend line."""
    frame = pd.DataFrame({
        "display": ranking["display_score"].round(1),
        "growth": ranking["sales_growth"],
        "shop": ranking["shop_name"],
        "group": [group_label(g) or "—" for g in ranking["group"]],
        "group_code": ranking["group"],
        "composite": ranking["composite"].round(1),
    })
    groups = [g for g in ("top", "middle", "bottom") if g in set(frame["group_code"])]
    # The colour is the ranking group: a legend says which (issue 15: the dots had no key).
    frame["group_name"] = [t(f"terminals.group.{g}") for g in frame["group_code"]]
    color = alt.Color(
        "group_name:N", title=t("terminals.col.group"),
        scale=alt.Scale(domain=[t(f"terminals.group.{g}") for g in groups], range=[GROUP_COLORS[g] for g in groups]),
    )
    base = alt.Chart(frame)
    points = base.mark_circle(size=160, opacity=0.8).encode(
        x=alt.X("display:Q", title=t("terminals.scatter_x"), scale=alt.Scale(zero=False)),
        y=alt.Y("growth:Q", title=t("terminals.scatter_y"), axis=alt.Axis(format="+.0%")),
        color=color,
        tooltip=[
            alt.Tooltip("shop:N", title=t("terminals.col.shop")),
            alt.Tooltip("display:Q", title=t("terminals.col.display")),
            alt.Tooltip("growth:Q", title=t("terminals.scatter_y"), format="+.1%"),
            alt.Tooltip("composite:Q", title=t("terminals.col.composite")),
        ],
    )
    layers = [points]
    if len(frame) >= 3:
        layers.append(
            base.transform_regression("display", "growth").mark_line(color="#34495e", strokeDash=[6, 4], strokeWidth=2)
            .encode(x="display:Q", y="growth:Q")
        )
    return readable(alt.layer(*layers).properties(title=title), height=380)


def score_trend_chart(trend: pd.DataFrame) -> alt.Chart:
    """The terminal's three scores and composite per month (lines; gaps where not inspected)."""
    names = {
        "display_score": t("terminals.weight.display"),
        "pos_score": t("terminals.weight.pos"),
        "brand_cultivation": t("terminals.weight.brand"),
        "composite": t("terminals.col.composite"),
    }
    long = trend.assign(month_label=[f"{m:%Y-%m}" for m in trend["month"]]).melt(
        id_vars=["month_label"], value_vars=list(names), var_name="score", value_name="value"
    )
    long["score"] = long["score"].map(names)
    colors = [SCORE_COLORS["display"], SCORE_COLORS["pos"], SCORE_COLORS["brand"], SCORE_COLORS["composite"]]
    chart = alt.Chart(long).mark_line(point=True, strokeWidth=3).encode(
        x=alt.X("month_label:O", title=t("terminals.trend_month"), axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("value:Q", title=t("terminals.trend_score"), scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("score:N", title=None, scale=alt.Scale(domain=list(names.values()), range=colors)),
        tooltip=[alt.Tooltip("month_label:O"), alt.Tooltip("score:N"), alt.Tooltip("value:Q", format=".1f")],
    )
    return readable(chart, height=380)


def sales_trend_chart(trend: pd.DataFrame) -> alt.Chart:
    """The terminal's monthly volume in cases (bars)."""
    frame = pd.DataFrame({
        "month_label": [f"{m:%Y-%m}" for m in trend["month"]],
        "cases": metrics.cases(trend["cartons"].fillna(0.0)).round(2),
    })
    chart = alt.Chart(frame).mark_bar(color="#2e86de").encode(
        x=alt.X("month_label:O", title=t("terminals.trend_month"), axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("cases:Q", title=t("terminals.trend_cases")),
        tooltip=[alt.Tooltip("month_label:O"), alt.Tooltip("cases:Q", format=",.2f")],
    )
    return readable(chart, height=380)


def archive_fields(archive: dict[str, Any], fmt_date: Callable[[Any], str]) -> list[tuple[str, str]]:
    """(label, value) pairs of a terminal's archive (DOMAIN.md §2), in reading order."""
    yes_no = {True: t("terminals.yes"), False: t("terminals.no")}
    department = archive["department_en"] or archive["department"] if get_language() == "en" else archive["department"]
    values = [
        ("shop_name", archive["shop_name"]),
        ("licence_no", archive["licence_no"]),
        ("customer_code", archive["customer_code"]),
        ("owner_name", archive["owner_name"] or "—"),
        ("address", archive["address"] or "—"),
        ("position", f"{archive['longitude']:.5f}, {archive['latitude']:.5f}"),
        ("business_format", label("format", archive["business_format"])),
        ("market_type", label("market", archive["market_type"])),
        ("tier", str(archive["tier"])),
        ("star_rating", "★" * int(archive["star_rating"])),
        ("terminal_level", label("level", archive["terminal_level"])),
        ("ordering", t("terminals.ordering.online") if archive["online_ordering"] else t("terminals.ordering.phone")),
        ("has_pos", yes_no[bool(archive["has_pos"])]),
        ("manager", archive["manager"]),
        ("department", department),
        ("status", label("status", archive["status"])),
        ("upgraded_on", fmt_date(archive["upgraded_on"]) if archive["upgraded_on"] else "—"),
        ("licensed_on", fmt_date(archive["licensed_on"]) if archive["licensed_on"] else "—"),
    ]
    return [(t(f"terminals.field.{key}"), value) for key, value in values]


def archive_markdown(fields: list[tuple[str, str]]) -> str:
    """The archive as a two-column markdown table, one field per row.

    One field per row keeps labels on one line in the narrow column beside the photos (two
    fields per row wrapped every label character by character there).
    """
    rows = [f"| **{md(name)}** | {md(value)} |" for name, value in fields]
    return "\n".join([rows[0], "|---|---|", *rows[1:]])


def photo_gallery(photos: pd.DataFrame, *, root: Path = PHOTO_ROOT, fmt_date: Callable[[Any], str]) -> None:
    """One row per photo kind (storefront, counter, display), oldest to newest left to right."""
    if photos.empty:
        st.info(t("terminals.no_photos"))
        return
    for kind in [k for k in PHOTO_KINDS if k in set(photos["kind"])]:
        rows = photos[photos["kind"] == kind]
        st.markdown(f"**{t(f'terminals.photo.{kind}')}**")
        rows = rows.tail(MAX_PHOTOS_PER_KIND)  # the latest shots, oldest of them first
        columns = st.columns(MAX_PHOTOS_PER_KIND)
        for column, row in zip(columns, rows.itertuples(), strict=False):
            path = root / row.path
            with column:
                if path.is_file():
                    st.image(str(path), caption=f"{fmt_date(row.taken_on)} {row.caption}".strip(), width="stretch")
                else:
                    st.caption(tm("terminals.photo_missing", path=row.path))
