"""Overview (经营总览): the chosen period's KPI cards and a 13-month volume trend."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.access import require_page
from components.chart_cache import chart_spec, show_chart
from components.charts import year_over_year_line
from components.comparisons import pop_note, status_text, yoy_note
from components.filters import current_filters
from components.formatting import (
    CASES_COLUMN,
    YUAN_COLUMN,
    fmt_cases,
    fmt_date,
    fmt_delta_pct,
    fmt_pct,
    fmt_per_case,
    fmt_yuan,
    period_label,
)
from components.i18n import get_language, t
from components.layout import FRESHNESS_KEY, kpi_card, page_header
from data_access.access.permissions import Action
from data_access.cache import cached
from data_access.queries import overview
from data_access.rules import metrics
from data_access.rules.calendar import add_months, month_end, shift_year
from data_access.rules.sales_periods import comparison_covered

filters = current_filters()
require_page(Action.VIEW_COUNTY)
period = filters.period
scope = filters.department_name or t("overview.scope_all")
page_header(t("overview.title"), f"{period_label(period)} · {scope}")

if st.session_state.get(FRESHNESS_KEY) is None:  # an empty database
    st.info(t("app.no_data") + " " + t("app.no_data_hint"))
    st.stop()
if period.is_future(filters.data_end):
    st.info(t("period.future"))
    st.stop()

kpis = cached(
    overview.overview_kpis,
    domains=("sales", "plans", "master"),
    period_start=period.start,
    period_end=period.end,
    data_end=filters.data_end,
    department_id=filters.department_id,
)
current, last_year, previous = kpis["current"], kpis["last_year"], kpis["previous"]
if current["cartons"] == 0:
    st.info(t("period.empty"))
    st.stop()
if period.is_partial(filters.data_end):
    st.caption(t("period.partial", date=fmt_date(kpis["compared_end"])) + " " + t("overview.partial_note"))

# One rule for both comparisons (rules.sales_periods): shown only when the data covers the base.
yoy_shown = comparison_covered(kpis["last_year_range"], filters.data_start)
pop_shown = comparison_covered(kpis["previous_range"], filters.data_start)


def _yoy(now: float | None, then: float | None) -> float | None:
    return metrics.growth(now, then) if yoy_shown else None


def _pop(now: float | None, then: float | None) -> float | None:
    return metrics.growth(now, then) if pop_shown else None


yoy_help = yoy_note(kpis["last_year_range"], filters.data_start)
pop_help = pop_note(kpis["previous_range"], running=kpis["running"], data_start=filters.data_start)

cases_now = metrics.cases(current["cartons"])
cases_last = metrics.cases(last_year["cartons"])
pcv_now = metrics.per_case_value(current["amount"], current["cartons"])
pcv_last = metrics.per_case_value(last_year["amount"], last_year["cartons"])
margin_now = metrics.gross_margin(current["amount"], current["cost"])
margin_last = metrics.gross_margin(last_year["amount"], last_year["cost"])
completion = metrics.plan_completion(cases_now, kpis["planned_cases"])
progress = metrics.time_progress(period.start, period.end, filters.data_end)

# 13-month trend, this year against the same months a year earlier.
last_month = min(period.end, filters.data_end).replace(day=1)
first_month = add_months(last_month, -12)
this_year = cached(
    overview.monthly_sales, domains=("sales",), start=first_month, end=min(period.end, filters.data_end),
    department_id=filters.department_id,
)
year_before = cached(
    overview.monthly_sales, domains=("sales",), start=shift_year(first_month, -1),
    end=shift_year(min(period.end, filters.data_end), -1),  # like for like when the month is partial
    department_id=filters.department_id,
)
this_label, last_label = t("common.this_year"), t("common.last_year")
trend = pd.concat(
    [
        this_year.assign(series=this_label, month_label=[f"{m:%Y-%m}" for m in this_year["month"]]),
        year_before.assign(
            series=last_label, month_label=[f"{shift_year(m, 1):%Y-%m}" for m in year_before["month"]]
        ),
    ],
    ignore_index=True,
)
trend["cases"] = metrics.cases(trend["cartons"]).round(1)

# Sparklines show complete months only: a month in progress would read as a collapse.
whole_months = this_year[this_year["month"] < filters.data_end.replace(day=1)] if filters.data_end < month_end(
    filters.data_end) else this_year


def _card_help(pop: float | None) -> str:
    """A card's tooltip: what its YoY compares with, and its PoP with the range behind it."""
    return f"{yoy_help} " + t("overview.pop_help", value=fmt_delta_pct(pop) or "—", note=pop_help)


row1 = st.columns(3)
with row1[0]:
    kpi_card(
        t("metric.volume"), fmt_cases(cases_now),
        delta=fmt_delta_pct(_yoy(current["cartons"], last_year["cartons"])),
        help=_card_help(_pop(current["cartons"], previous["cartons"])),
        trend=whole_months["cartons"].div(metrics.CARTONS_PER_CASE).round(1).tolist(),
    )
with row1[1]:
    kpi_card(
        t("metric.amount"), fmt_yuan(current["amount"]),
        delta=fmt_delta_pct(_yoy(current["amount"], last_year["amount"])),
        help=_card_help(_pop(current["amount"], previous["amount"])),
        trend=whole_months["amount"].div(1e4).round(1).tolist(),
    )
with row1[2]:
    kpi_card(
        t("metric.per_case_value"), fmt_per_case(pcv_now), delta=fmt_delta_pct(_yoy(pcv_now, pcv_last)),
        help=_card_help(_pop(pcv_now, metrics.per_case_value(previous["amount"], previous["cartons"]))), trend=metrics.per_case_value(whole_months["amount"], whole_months["cartons"]).round(0).tolist(),
    )

row2 = st.columns(3)
with row2[0]:
    margin_delta = None if margin_now is None or margin_last is None or not yoy_shown else (
        (margin_now - margin_last) * 100)
    kpi_card(
        t("metric.gross_margin"), fmt_pct(margin_now),
        delta=None if margin_delta is None else t("overview.margin_delta", value=f"{margin_delta:+.1f}"),
        help=yoy_help,
    )
with row2[1]:
    if completion is None:
        kpi_card(t("metric.plan_completion"), "—", help=t("overview.no_plan"))
    else:
        # Status and gap from the same rounded figures the cards show: never "+0.0 pp · behind".
        pace = metrics.pace(completion, progress)
        kpi_card(
            t("metric.plan_completion"), fmt_pct(completion),
            delta=t("overview.completion_delta", value=f"{pace.gap_pp:+.1f}") + f" · {status_text(pace)}",
            delta_color="off" if pace.status == "on_pace" else "normal",
            help=t("overview.completion_help", actual=fmt_cases(cases_now), plan=fmt_cases(kpis["planned_cases"]))
            + " " + t("compare.status_rule"),
        )
with row2[2]:
    kpi_card(t("metric.time_progress"), fmt_pct(progress), help=t("overview.time_progress_help"))

st.subheader(t("overview.trend_title"))
show_chart(
    chart_spec(  # built and validated once per distinct input (components/chart_cache.py)
        year_over_year_line, trend, x="month_label", y="cases", series="series", x_title=t("overview.trend_x"),
        y_title=t("overview.trend_y"), this_year_label=this_label, last_year_label=last_label,
    ),
    width="stretch",
)

# Every department's completion against time progress: who is ahead, who is behind.
departments = cached(
    overview.department_summary, domains=("sales", "plans", "master"), start=period.start,
    end=min(period.end, filters.data_end), first_month=period.start, last_month=period.end.replace(day=1),
)
dept_cases = metrics.cases(departments["cartons"])
completion_by_dept = metrics.plan_completion(dept_cases, departments["planned_cases"])
dept_pace = [metrics.pace(c, progress) for c in completion_by_dept]
table = pd.DataFrame({
    t("overview.col.department"): departments["name"] if get_language() == "zh" else departments["name_en"],
    t("overview.col.cases"): dept_cases.round(1),
    t("overview.col.planned"): departments["planned_cases"].round(1),
    t("overview.col.completion"): (completion_by_dept * 100).round(1),
    t("overview.col.gap"): pd.Series([pace.gap_pp for pace in dept_pace], dtype=float).round(1) + 0.0,
    t("overview.col.status"): [status_text(pace) for pace in dept_pace],
    t("overview.col.shortfall"): (departments["planned_cases"] - dept_cases).clip(lower=0).round(1),
    t("overview.col.per_case"): metrics.per_case_value(departments["amount"], departments["cartons"]).round(0),
})
st.subheader(t("overview.departments_title"))
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={
        t("overview.col.completion"): st.column_config.ProgressColumn(
            format="%.1f%%", min_value=0, max_value=max(100.0, float(table[t("overview.col.completion")].max() or 0)),
            width="small",
        ),
        # The header carries the unit (个百分点 / pp), so the cells are bare signed figures.
        t("overview.col.gap"): st.column_config.NumberColumn(format="%+.1f"),
        # One decimal for cases everywhere on the page; thousands separators for yuan.
        t("overview.col.cases"): st.column_config.NumberColumn(format=CASES_COLUMN),
        t("overview.col.planned"): st.column_config.NumberColumn(format=CASES_COLUMN),
        t("overview.col.shortfall"): st.column_config.NumberColumn(format=CASES_COLUMN),
        t("overview.col.per_case"): st.column_config.NumberColumn(format=YUAN_COLUMN),
    },
)
