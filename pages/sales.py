"""Sales trends (市场销售分析): every sales metric over time, against plan and last year, by slice.

Reads the sidebar's period and department, the page's own controls (metric, grain, date
range, Spring Festival alignment, view, breakdown, brand drill-down: all in the URL with
an ``s_`` prefix), and renders KPI cards, the year-on-year trend and one analysis view.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from components import sales_charts
from components.access import guard_url_value, page_scope, require_page
from components.chart_cache import chart_spec, show_chart
from components.comparisons import not_covered_note, pop_note, yoy_note
from components.downloads import csv_download, excel_download
from components.filters import bind_url, current_filters, queue_url_notice, write_url
from components.formatting import (
    CASES_COLUMN,
    PCT_COLUMN,
    YUAN_COLUMN,
    fmt_cases,
    fmt_date,
    fmt_number,
    fmt_pct,
    fmt_per_case,
    fmt_yuan,
    percent_values,
)
from components.i18n import get_language, label, t, tm
from components.layout import kpi_card, page_header
from data_access.access.permissions import Action
from data_access.cache import cached
from data_access.queries import reference
from data_access.queries import sales as q
from data_access.rules import metrics, params
from data_access.rules.calendar import add_months, month_end, shift_year, spring_festival
from data_access.rules.sales_measures import (
    METRIC_COLUMNS,
    METRICS,
    POINT_METRICS,
    add_measures,
    breakdown_table,
    bucket_end,
    bucket_starts,
    change,
    forecast_table,
    movers,
    plan_table,
    to_this_year,
    totals_metric,
    with_empty_buckets,
)
from data_access.rules.sales_periods import (
    ALIGNMENTS,
    WEEKDAY_SHIFT_DAYS,
    DateRange,
    comparison_covered,
    default_alignment,
    festival_shift_days,
    is_running,
    last_year_range,
    months_touched,
    previous_range,
)

# Sums are drawn from 0; ratios (per-case value, price, margin, completion) on an axis that spans
# the values, so close figures can be told apart (issue 15).
SUMMED_METRICS = ("volume", "amount", "gross_profit")

GRAINS = ("day", "week", "month", "year")
VIEWS = ("breakdown", "structure", "plan", "movers", "forecast")
DEFAULT_GRAIN = {"month": "day", "quarter": "week", "year": "month"}
TOP_N = 15
SALES = ("sales", "master")

filters = current_filters()
require_page(Action.VIEW_COUNTY)
period = filters.period
departments = cached(reference.departments, domains=("master",))
dept_codes = dict(zip(departments["id"].astype(int), departments["code"], strict=True))
dept_names = {
    row.code: (row.name if get_language() == "zh" else (row.name_en or row.name)) for row in departments.itertuples()
}
brands = cached(q.brand_families, domains=("master",))
# Dates a range may take (URL or picker): the data's years, one before (last year's figures) and
# one after (a range past the data says where the data ends); year 1 or 9999 never gets in.
RANGE_LOW = dt.date(filters.data_start.year - 1, 1, 1)
RANGE_HIGH = dt.date(filters.data_end.year + 1, 12, 31)


def _seed_range() -> None:
    """Date range widget state: from the URL on first load, else the sidebar's period."""
    if st.session_state.get("_s_range_period") == period.token:
        return
    first_load = "_s_range_period" not in st.session_state
    st.session_state["_s_range_period"] = period.token
    start, end = period.start, period.end
    if first_load:
        raw_start, raw_end = st.query_params.get("s_from"), st.query_params.get("s_to")
        parsed = params.parse_date_range(raw_start, raw_end, default=(start, end), low=RANGE_LOW, high=RANGE_HIGH)
        if not parsed.ok:
            queue_url_notice("s_from" if raw_start else "s_to", f"{raw_start or ''}…{raw_end or ''}")
        start, end = parsed.value
    st.session_state["s_range"] = (start, end)


# --- URL-backed view state (seeded before the header so URL notices show at the top) ---
bind_url("s_metric", "s_metric", default="volume", valid=METRICS)
bind_url("s_grain", "s_grain", default=DEFAULT_GRAIN[period.kind], valid=GRAINS)
if "s_align" not in st.session_state:  # an alignment from the link is a choice; else it follows the grain
    st.session_state["_s_align_chosen"] = st.query_params.get("s_align") in ALIGNMENTS
bind_url("s_align", "s_align", default=default_alignment(st.session_state["s_grain"]), valid=ALIGNMENTS)
bind_url("s_view", "s_view", default="breakdown", valid=VIEWS)
# Sales per customer manager are person-level: scoped users break down by everything else.
DIMENSIONS = q.BREAKDOWNS if page_scope().is_everything else tuple(d for d in q.BREAKDOWNS if d != "manager")
guard_url_value("s_dim", DIMENSIONS, "manager")
bind_url("s_dim", "s_dim", default="department", valid=DIMENSIONS)
bind_url("s_brand", "s_brand", default="", valid=brands)
_seed_range()

brand = st.session_state["s_brand"] or None
scope = [dept_names.get(filters.department_code or "", t("sales.scope_all"))]
if brand:
    scope.append(t("sales.brand_scope", brand=brand))
page_header(t("sales.title"), " · ".join(scope))


def _metric_name(metric: str) -> str:
    return t(f"metric.{metric}")


def _fmt_metric(value: float | None, metric: str) -> str:
    if metric == "volume":
        return fmt_cases(value)  # one decimal, as in the table below (it was 3.50 beside 3.5)
    if metric in ("amount", "gross_profit"):
        return fmt_yuan(value)
    if metric == "per_case_value":
        return fmt_per_case(value)
    if metric == "average_carton_price":
        return "—" if value is None else f"{fmt_number(value, 2)} {t('unit.yuan_per_carton')}"
    return fmt_pct(value)


def _fmt_change(value: float | None, metric: str) -> str | None:
    if value is None:
        return None
    if metric in POINT_METRICS:
        return t("sales.kpi.points", value=f"{value * 100:+.1f}")
    return f"{value * 100:+.1f}%"


def _chart_scale(metric: str) -> tuple[float, str, str]:
    """Divisor, axis title suffix and d3 format of ``metric`` on a chart axis."""
    if metric in ("amount", "gross_profit"):
        return 1e4, t("unit.wan_yuan"), ",.1f"
    if metric in ("gross_margin", "plan_completion"):
        return 1.0, "%", ".0%"
    if metric == "volume":
        return 1.0, t("unit.cases"), ",.1f"
    if metric == "per_case_value":
        return 1.0, t("unit.yuan_per_case"), ",.0f"
    return 1.0, t("unit.yuan_per_carton"), ",.1f"


def _clear_brand() -> None:
    st.session_state["s_brand"] = ""


def _clear_department() -> None:
    st.session_state["flt_dept"] = ""


def _on_pick(chart_key: str, target: str) -> None:
    """Drill-down: a clicked department bar sets the sidebar's department, a brand bar the brand."""
    state = st.session_state.get(chart_key) or {}
    points = (state.get("selection") or {}).get(sales_charts.PICK) or []
    if not points:
        return
    value = str(points[0].get("key", ""))
    if target == "department" and value in dept_names:
        st.session_state["flt_dept"] = value
    elif target == "brand" and value in brands:
        st.session_state["s_brand"] = value


def _exports(frame: pd.DataFrame, name: str, key: str) -> None:
    """Excel and CSV (UTF-8 with BOM) downloads of the table in view, headers in the UI language."""
    file_stem = f"{t('sales.export_name')}-{name}-{rng.start:%Y%m%d}-{rng.end:%Y%m%d}"
    left, right, _ = st.columns([1, 1, 4])
    with left:  # both files are built when clicked, not on every rerun (components.downloads)
        excel_download(t("common.export_excel"), {name: frame}, title=subtitle, file_name=f"{file_stem}.xlsx",
                       key=f"{key}_xlsx", icon=":material/table:")
    with right:
        csv_download(t("common.export_csv"), frame, file_name=f"{file_stem}.csv", key=f"{key}_csv",
                     icon=":material/download:")


# --- controls -----------------------------------------------------------------------------
cols = st.columns([2, 3, 3, 3])  # three alignments must fit beside the range
with cols[0]:
    metric = st.selectbox(t("sales.metric_selector"), METRICS, key="s_metric", format_func=_metric_name)
with cols[1]:
    grain = st.segmented_control(t("sales.grain"), GRAINS, key="s_grain", required=True,
                                 format_func=lambda g: t(f"sales.grain.{g}")) or "month"
with cols[2]:
    picked = st.date_input(t("sales.range"), key="s_range", min_value=RANGE_LOW, max_value=RANGE_HIGH,
                           format="YYYY-MM-DD")
if not st.session_state.get("_s_align_chosen"):  # weekday at day grain, calendar otherwise
    st.session_state["s_align"] = default_alignment(grain)


def _align_chosen() -> None:
    st.session_state["_s_align_chosen"] = True


with cols[3]:
    alignment = st.segmented_control(t("sales.alignment"), ALIGNMENTS, key="s_align", required=True,
                                     format_func=lambda a: t(f"sales.alignment_option.{a}"),
                                     help=t("sales.alignment_help"), on_change=_align_chosen) or "calendar"
write_url("s_metric", metric, default="volume")
write_url("s_grain", grain, default=DEFAULT_GRAIN[period.kind])
write_url("s_align", alignment, default=default_alignment(grain))
write_url("s_brand", brand)

if not isinstance(picked, tuple | list) or len(picked) < 2:
    st.info(t("sales.range_incomplete"))
    st.stop()
rng = DateRange(picked[0], picked[1])
write_url("s_from", rng.start.isoformat(), default=period.start.isoformat())
write_url("s_to", rng.end.isoformat(), default=period.end.isoformat())

chips = st.columns([1, 1, 3])
if brand:
    chips[0].button(tm("sales.clear_brand", brand=brand), on_click=_clear_brand, icon=":material/close:")
if filters.department_code:
    chips[1].button(tm("sales.clear_department", name=dept_names[filters.department_code]),
                    on_click=_clear_department, icon=":material/close:")

# --- period status: future, empty, partial ------------------------------------------------
if rng.start > filters.data_end:
    st.info(t("sales.future", date=fmt_date(filters.data_end)))
    st.stop()
compared = DateRange(rng.start, min(rng.end, filters.data_end))
partial = is_running(rng, compared.end)
# The cards compare calendar ranges (as the overview does) unless aligned on the festival;
# weekday alignment pairs the trend's days and weeks with the same weekdays last year.
base = last_year_range(compared, "festival" if alignment == "festival" else "calendar", festival_of=rng)
chart_base = last_year_range(compared, alignment, festival_of=rng)
previous = previous_range(rng, compared.end)
shift = {"festival": festival_shift_days(rng), "weekday": WEEKDAY_SHIFT_DAYS}.get(alignment, 0)
common = {"department_id": filters.department_id, "brand_family": brand}
subtitle = f"{fmt_date(rng.start)} – {fmt_date(rng.end)} · " + " · ".join(scope)

current = cached(q.range_totals, domains=SALES, start=compared.start, end=compared.end, **common)
if current["cartons"] == 0:
    st.info(t("sales.empty"))
    st.stop()
last_year = cached(q.range_totals, domains=SALES, start=base.start, end=base.end, **common)
before = cached(q.range_totals, domains=SALES, start=previous.start, end=previous.end, **common)
if partial:
    st.caption(t("sales.partial", date=fmt_date(compared.end)))
offset = (last_year_range(compared, "calendar").start - chart_base.start).days
alignment_text = t(f"sales.alignment.{alignment}", days=abs(offset),
                   direction=t("sales.direction.earlier" if offset >= 0 else "sales.direction.later"))
st.caption(f"{alignment_text} · " + t("sales.base_range", start=fmt_date(base.start), end=fmt_date(base.end)))


def _planned(day_range: DateRange) -> float | None:
    first, last = months_touched(day_range)
    plans = cached(q.monthly_plans, domains=("plans",), first_month=first, last_month=last, **common)
    return None if plans.empty else float(plans["planned_cases"].sum())


# --- KPI cards ------------------------------------------------------------------------------
plan_now = _planned(rng) if metric == "plan_completion" else None
plan_base = _planned(last_year_range(rng, "calendar")) if metric == "plan_completion" else None
plan_prev = _planned(previous_range(rng, rng.end)) if metric == "plan_completion" else None
value_now = totals_metric(current, metric, plan_now)
value_base = totals_metric(last_year, metric, plan_base)
value_prev = totals_metric(before, metric, plan_prev)
yoy, pop = change(value_now, value_base, metric), change(value_now, value_prev, metric)
yoy_shown = comparison_covered(base, filters.data_start)  # the one rule (rules.sales_periods)
if not yoy_shown:  # last year only partly in the data: not a comparison
    yoy = value_base = None
    st.caption(t("sales.base_incomplete", date=fmt_date(filters.data_start)))
if not comparison_covered(previous, filters.data_start):
    pop = None
    st.caption(t("sales.previous_incomplete", date=fmt_date(filters.data_start)))
kpis = st.columns(4)
with kpis[0]:
    help_text = None
    if metric == "plan_completion":
        progress = metrics.time_progress(*(months_touched(rng)[0], month_end(months_touched(rng)[1])),
                                         filters.data_end)
        help_text = f"{t('metric.time_progress')} {fmt_pct(progress)}" if plan_now else t("sales.no_plan")
    kpi_card(t("sales.kpi.value", metric=_metric_name(metric)), _fmt_metric(value_now, metric),
             delta=_fmt_change(yoy, metric), help=help_text)
with kpis[1]:
    kpi_card(t("sales.kpi.last_year", metric=_metric_name(metric)), _fmt_metric(value_base, metric),
             help=t("sales.base_range", start=fmt_date(base.start), end=fmt_date(base.end)))
with kpis[2]:
    kpi_card(t("sales.kpi.yoy"), _fmt_change(yoy, metric) or "—",
             help=yoy_note(base, filters.data_start) + " " + alignment_text)
with kpis[3]:
    kpi_card(t("sales.kpi.pop"), _fmt_change(pop, metric) or "—",
             help=pop_note(previous, running=partial, data_start=filters.data_start))


# --- trend: this year against last year ------------------------------------------------------
def _trend_values(series: pd.DataFrame, plans: pd.DataFrame | None) -> pd.Series:
    frame = add_measures(series)
    if metric != "plan_completion":
        return frame[METRIC_COLUMNS[metric]]
    key = frame["bucket"] if grain == "month" else [b.replace(month=1) for b in frame["bucket"]]
    planned = pd.Series(dtype="float64") if plans is None or plans.empty else plans.assign(
        bucket=plans["month"] if grain == "month" else [m.replace(month=1) for m in plans["month"]]
    ).groupby("bucket")["planned_cases"].sum()
    return metrics.plan_completion(frame["cases"], pd.Series(key).map(planned).astype("float64"))


def _trend() -> None:
    divisor, unit, y_format = _chart_scale(metric)
    title = t("sales.trend_title", metric=_metric_name(metric),
              alignment=t("sales.alignment_title.weekday") if alignment == "weekday" else alignment_text)
    if metric == "plan_completion" and grain not in ("month", "year"):
        st.info(t("sales.plan_trend_grain"))
        return
    this_year = cached(q.sales_series, domains=SALES, start=compared.start, end=compared.end, grain=grain, **common)
    if metric == "plan_completion" or alignment == "calendar":
        calendar_base = last_year_range(compared, "calendar")  # buckets moved by the calendar year
        raw = cached(q.sales_series, domains=SALES, start=calendar_base.start, end=calendar_base.end, grain=grain,
                     **common)
        year_before = to_this_year(raw, grain)
        if metric == "plan_completion" and alignment != "calendar":
            st.caption(t("sales.plan_calendar_note"))
    else:
        year_before = cached(q.sales_series, domains=SALES, start=chart_base.start, end=chart_base.end, grain=grain,
                             shift_days=shift, **common)
    plans_now = plans_before = None
    if metric == "plan_completion":
        first, last = months_touched(rng)
        plans_now = cached(q.monthly_plans, domains=("plans",), first_month=first, last_month=last, **common)
        first_b, last_b = months_touched(last_year_range(rng, "calendar"))
        plans_before = cached(q.monthly_plans, domains=("plans",), first_month=first_b, last_month=last_b, **common)
        plans_before = plans_before.assign(month=[m.replace(year=m.year + 1) for m in plans_before["month"]])
    # Days without sales count as 0, but only where the data exists (before it, there is no line).
    buckets = bucket_starts(compared.start, compared.end, grain)
    inside = [b for b in buckets if b >= compared.start]  # a first week cut by the range is not a zero week
    this_year = with_empty_buckets(this_year, [b for b in inside if bucket_end(b, grain) >= filters.data_start])
    moved_start = (shift_year(filters.data_start, 1) if metric == "plan_completion" or alignment == "calendar"
                   else filters.data_start + dt.timedelta(days=shift))
    year_before = with_empty_buckets(year_before, [b for b in inside if b >= moved_start])
    year_before = year_before[[b >= moved_start for b in year_before["bucket"]]]  # last year's data cut: no point
    this_label, last_label = t("common.this_year"), t("common.last_year")
    parts = []
    for series, plans, name in ((this_year, plans_now, this_label), (year_before, plans_before, last_label)):
        if series.empty:
            continue
        values = _trend_values(series, plans) / divisor
        labels = [f"{b:{sales_charts.X_FORMATS[grain]}}" for b in series["bucket"]]
        incomplete = [(partial and bucket_end(b, grain) > compared.end) or b < compared.start
                      for b in series["bucket"]]
        parts.append(pd.DataFrame({
            "date": [b.isoformat() for b in series["bucket"]], "value": values.round(4).to_numpy(),
            "series": name, "label": [f"{x} *" if p else x for x, p in zip(labels, incomplete, strict=True)],
        }))
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["date", "value", "series", "label"])
    festival = next((spring_festival(y) for y in range(rng.start.year, rng.end.year + 1)
                     if rng.start <= spring_festival(y) <= rng.end), None)
    chart = chart_spec(  # built and validated once per distinct input (components/chart_cache.py)
        sales_charts.trend_chart, frame, grain=grain, title=title, x_title=t("sales.trend_x"), y_title=f"{_metric_name(metric)}（{unit}）",
        y_format=y_format, this_label=this_label, last_label=last_label, festival=festival,
        festival_label=t("sales.festival_marker"), zero=metric in SUMMED_METRICS,
    )
    show_chart(chart, width="stretch", key="s_trend_chart")
    if grain != "day" and (partial or buckets[0] < compared.start):
        st.caption(t("sales.partial_bucket", date=fmt_date(compared.end)))


_trend()


# --- analysis views --------------------------------------------------------------------------
def _member_label(dimension: str, key: object, name: str, name_en: str) -> str:
    if dimension == "department":
        return name if get_language() == "zh" else (name_en or name)
    if dimension in ("manager", "sku"):
        return name
    if dimension == "price_class":
        return label("price_class", int(key))
    if dimension == "origin":
        return t(f"sales.origin.{bool(key)}")
    if dimension in ("format", "market"):
        return label(dimension, key)
    return str(key)


def _department_completion(table: pd.DataFrame) -> pd.Series:
    first, last = months_touched(rng)
    plans = cached(q.department_plan_progress, domains=("sales", "plans", "master"), start=compared.start,
                   end=compared.end, first_month=first, last_month=last, department_id=filters.department_id)
    planned = plans.set_index("department_id")["planned_cases"]
    return metrics.plan_completion(table["cases"], table["key"].map(planned).astype("float64"))


def _breakdown_view() -> None:
    dimension = st.segmented_control(t("sales.dimension"), DIMENSIONS, key="s_dim", required=True,
                                     format_func=lambda d: t(f"sales.dim.{d}")) or "department"
    write_url("s_dim", dimension, default="department")
    now = cached(q.breakdown, domains=SALES, dimension=dimension, start=compared.start, end=compared.end, **common)
    then = cached(q.breakdown, domains=SALES, dimension=dimension, start=base.start, end=base.end, **common)
    if not yoy_shown:  # the coverage rule reaches the growth columns too: blank, not against a stub
        then = then.iloc[0:0]
    table = breakdown_table(now, then)
    table["label"] = [_member_label(dimension, k, n, e) for k, n, e in
                      zip(table["key"], table["name"], table["name_en"], strict=True)]
    shown_metric = metric
    if metric == "plan_completion":
        if dimension == "department":
            table["plan_completion"] = _department_completion(table)
        else:
            st.caption(t("sales.breakdown_plan_fallback"))
            shown_metric = "volume"
    divisor, unit, value_format = _chart_scale(shown_metric)
    top = table.assign(value=table[METRIC_COLUMNS[shown_metric]] / divisor).dropna(subset=["value"])
    top = top.nlargest(TOP_N, "value")
    if dimension == "department":
        top["key"] = top["key"].astype(int).map(dept_codes)
    top["key"] = top["key"].astype(str)
    top["text"] = [_fmt_metric(v, shown_metric) for v in top[METRIC_COLUMNS[shown_metric]]]
    dimension_name = t(f"sales.dim.{dimension}")
    title = t("sales.breakdown_title", metric=_metric_name(shown_metric), dimension=dimension_name)
    st.subheader(title + (t("sales.breakdown_top", n=TOP_N) if len(table) > TOP_N else ""))
    selectable = dimension in ("department", "brand")
    chart = chart_spec(sales_charts.ranked_bar, top[["key", "label", "value", "text"]],
                       value_title=f"{_metric_name(shown_metric)}（{unit}）",
                       value_format=value_format, selectable=selectable, zero=shown_metric in SUMMED_METRICS)
    if selectable:
        st.caption(t("sales.drill_hint"))
        chart_key = f"s_pick_{dimension}"
        show_chart(chart, width="stretch", key=chart_key, selection_mode=sales_charts.PICK,
                   on_select=lambda: _on_pick(chart_key, dimension))
    else:
        show_chart(chart, width="stretch", key=f"s_bar_{dimension}")
    columns = {
        "label": dimension_name, "amount": t("sales.col.amount"), "cases": t("sales.col.cases"),
        "per_case_value": t("sales.col.per_case_value"), "average_carton_price": t("sales.col.average_carton_price"),
        "gross_profit": t("sales.col.gross_profit"), "gross_margin": t("sales.col.gross_margin"),
        "share": t("sales.col.share"), "volume_yoy": t("sales.col.volume_yoy"), "amount_yoy": t("sales.col.amount_yoy"),
    }
    if "plan_completion" in table:
        columns["plan_completion"] = t("sales.col.completion")
    export = table[list(columns)].round({"amount": 2, "gross_profit": 2, "per_case_value": 0, "cases": 2,
                                         "average_carton_price": 2}).round(4).rename(columns=columns)
    # The grid: the house number style and the columns that fit 1440 px (the carton price and
    # gross profit stay in the download, issue 15).
    percent = [c for c in ("gross_margin", "share", "volume_yoy", "amount_yoy", "plan_completion") if c in columns]
    shown = table[[c for c in columns if c not in ("average_carton_price", "gross_profit")]].copy()
    for column in percent:
        shown[column] = percent_values(shown[column])
    config = {columns[c]: st.column_config.NumberColumn(format=PCT_COLUMN) for c in percent}
    config[columns["label"]] = st.column_config.TextColumn(width=170)
    config[columns["amount"]] = st.column_config.NumberColumn(format=YUAN_COLUMN)
    config[columns["cases"]] = st.column_config.NumberColumn(format=CASES_COLUMN)
    config[columns["per_case_value"]] = st.column_config.NumberColumn(format=YUAN_COLUMN)
    st.dataframe(shown.rename(columns=columns), hide_index=True, column_config=config, key="s_breakdown_table")
    _exports(export, dimension_name, "s_breakdown")


def _share_delta(part: str, now: dict[str, float], then: dict[str, float]) -> tuple[float | None, str | None]:
    value = metrics.share(now[part], now["cartons"])
    before_value = metrics.share(then[part], then["cartons"])
    delta = None if value is None or before_value is None else (value - before_value) * 100
    return value, None if delta is None else t("sales.structure.delta", value=f"{delta:+.1f}")


def _structure_view() -> None:
    now = cached(q.structure_totals, domains=SALES, start=compared.start, end=compared.end, **common)
    then = cached(q.structure_totals, domains=SALES, start=base.start, end=base.end, **common)
    cards = st.columns(3)
    for column, part, key in zip(cards, ("class12_cartons", "key_brand_cartons", "provincial_cartons"),
                                 ("class12", "key_brand", "provincial"), strict=True):
        value, delta = _share_delta(part, now, then)
        delta = delta if yoy_shown else None
        with column:
            kpi_card(t(f"sales.structure.{key}"), fmt_pct(value), delta=delta)
    mix_start = min(compared.start, add_months(compared.end.replace(day=1), -11))  # a year of months at least
    mix = cached(q.class_mix_by_month, domains=SALES, start=max(mix_start, filters.data_start), end=compared.end,
                 **common)
    totals = mix.groupby("month")["cartons"].transform("sum")
    frame = pd.DataFrame({
        "month": [f"{m:%Y-%m}" + (" *" if partial and month_end(m) > compared.end else "") for m in mix["month"]],
        "class_label": [label("price_class", int(c)) for c in mix["price_class"]],
        "order": mix["price_class"].astype(int), "share": metrics.share(mix["cartons"], totals).round(4),
    })
    st.subheader(t("sales.structure.mix_title"))
    show_chart(chart_spec(sales_charts.class_mix_chart, frame, x_title=t("sales.col.month"),
                          y_title=t("metric.share"), color_title=t("sales.structure.price_class")),
               width="stretch", key="s_class_mix")
    export = frame.drop(columns="order").rename(columns={
        "month": t("sales.col.month"), "class_label": t("sales.structure.price_class"), "share": t("metric.share")})
    _exports(export, t("sales.view.structure"), "s_structure")


def _plan_rows(table: pd.DataFrame, name_column: str) -> pd.DataFrame:
    return pd.DataFrame({
        name_column: table["label"], t("sales.col.planned_cases"): table["planned_cases"].round(2),
        t("sales.col.cases"): table["cases"].round(2), t("sales.col.completion"): table["completion"].round(4),
        t("sales.col.time_progress"): table["time_progress"].round(4), t("sales.col.status"): table["status"],
        t("sales.col.shortfall"): table["shortfall_cases"].round(2),
    })


def _bullet_frame(table: pd.DataFrame) -> pd.DataFrame:
    frame = table[["key", "label", "completion", "time_progress", "status", "behind"]].dropna(subset=["completion"])
    return frame.assign(text=[fmt_pct(c) for c in frame["completion"]])


def _status(pace: str | None) -> str:
    return "—" if pace is None else t(f"status.{pace}")


def _plan_view() -> None:
    first, last = months_touched(rng)
    progress = metrics.time_progress(first, month_end(last), filters.data_end)
    plans = cached(q.department_plan_progress, domains=("sales", "plans", "master"), start=compared.start,
                   end=compared.end, first_month=first, last_month=last, department_id=filters.department_id)
    table = plan_table(plans, progress)
    table["key"] = table["code"]
    table["label"] = [dept_names.get(c, c) for c in table["code"]]
    table["status"] = [_status(p) for p in table["pace"]]
    st.subheader(t("sales.plan.department_title"))
    st.caption(t("sales.plan.legend", progress=fmt_pct(progress)) + " " + t("sales.drill_hint"))
    if table["completion"].notna().any():
        show_chart(chart_spec(sales_charts.bullet_chart, _bullet_frame(table),
                              completion_title=t("sales.col.completion"), selectable=True),
                   width="stretch", key="s_plan_pick", selection_mode=sales_charts.PICK,
                   on_select=lambda: _on_pick("s_plan_pick", "department"))
    else:
        st.info(t("sales.no_plan"))
    export = _plan_rows(table, t("sales.col.name"))
    brand_plans = cached(q.brand_plan_progress, domains=("sales", "plans", "master"), start=compared.start,
                         end=compared.end, first_month=first, last_month=last, department_id=filters.department_id)
    st.subheader(t("sales.plan.brand_title"))
    if brand_plans.empty:
        st.info(t("sales.plan.no_brand_plan"))
    else:
        brand_table = plan_table(brand_plans, progress)
        brand_table["key"] = brand_table["label"] = brand_table["brand_family"]
        brand_table["status"] = [_status(p) for p in brand_table["pace"]]
        show_chart(chart_spec(sales_charts.bullet_chart, _bullet_frame(brand_table),
                              completion_title=t("sales.col.completion")),
                   width="stretch", key="s_brand_plan")
        export = pd.concat([export, _plan_rows(brand_table, t("sales.col.name"))], ignore_index=True)
    shown = export.copy()
    config = {}
    for column in ("completion", "time_progress"):
        shown[t(f"sales.col.{column}")] = percent_values(shown[t(f"sales.col.{column}")])
        config[t(f"sales.col.{column}")] = st.column_config.NumberColumn(format=PCT_COLUMN)
    for column in ("planned_cases", "cases", "shortfall"):
        config[t(f"sales.col.{column}")] = st.column_config.NumberColumn(format=CASES_COLUMN)
    st.dataframe(shown, hide_index=True, column_config=config, key="s_plan_table")
    _exports(export, t("sales.view.plan"), "s_plan")


def _movers_view() -> None:
    if not yoy_shown:  # the one coverage rule: against a stub of last year, everyone would be "rising"
        st.info(not_covered_note(base, filters.data_start))
        return
    now = cached(q.breakdown, domains=SALES, dimension="brand", start=compared.start, end=compared.end, **common)
    then = cached(q.breakdown, domains=SALES, dimension="brand", start=base.start, end=base.end, **common)
    brand_moves = movers(now, then, limit=5)
    st.subheader(t("sales.movers.brands"))
    if brand_moves.empty:
        st.info(t("sales.movers.none"))
    else:
        frame = brand_moves.assign(label=brand_moves["key"].astype(str), key=brand_moves["key"].astype(str))
        st.caption(t("sales.drill_hint"))
        show_chart(chart_spec(sales_charts.movers_chart, frame[["key", "label", "change_cases"]],
                              value_title=t("sales.col.change_cases"), selectable=True),
                   width="stretch", key="s_movers_pick", selection_mode=sales_charts.PICK,
                   on_select=lambda: _on_pick("s_movers_pick", "brand"))
    retailers = cached(q.retailer_changes, domains=SALES, start=compared.start, end=compared.end,
                       base_start=base.start, base_end=base.end, department_id=filters.department_id, limit=10)
    retailers = retailers.assign(cases=metrics.cases(retailers["cartons"]),
                                 base_cases=metrics.cases(retailers["base_cartons"]),
                                 change_cases=metrics.cases(retailers["change"]),
                                 growth=metrics.growth(retailers["cartons"], retailers["base_cartons"]))
    names = {"shop_name": t("sales.col.shop"), "customer_code": t("sales.col.customer_code"),
             "manager": t("sales.col.manager"), "cases": t("sales.col.cases"),
             "base_cases": t("sales.col.base_cases"), "change_cases": t("sales.col.change_cases"),
             "growth": t("sales.col.growth")}
    # One table under the other at full width: side by side, the 增减 column was cut (issue 15).
    config = {t("sales.col.growth"): st.column_config.NumberColumn(format=PCT_COLUMN),
              t("sales.col.shop"): st.column_config.TextColumn(pinned=True),
              **{t(f"sales.col.{c}"): st.column_config.NumberColumn(format=CASES_COLUMN)
                 for c in ("cases", "base_cases", "change_cases")}}
    rises = retailers[retailers["change"] > 0].sort_values("change", ascending=False)
    falls = retailers[retailers["change"] < 0].sort_values("change")
    for rows, key in ((rises, "up"), (falls, "down")):
        st.subheader(t(f"sales.movers.retailers_{key}"))
        shown = rows[[c for c in names if c != "customer_code"]].copy()
        shown["growth"] = percent_values(shown["growth"])
        st.dataframe(shown.rename(columns=names), hide_index=True, column_config=config, width="stretch",
                     key=f"s_retailers_{key}")
    if brand:
        st.caption(t("sales.movers.retailer_note"))
    export = pd.concat([rises, falls])[list(names)].rename(columns=names).round(4)
    _exports(export, t("sales.view.movers"), "s_movers")


def _forecast_view() -> None:
    first, last = months_touched(rng)
    first = min(first, add_months(last, -11))  # at least a year of months: accuracy is read as a trend
    table = forecast_table(cached(q.forecast_vs_actual, domains=("sales", "plans", "master"), first_month=first,
                                  last_month=last, end=compared.end, brand_family=brand))
    st.caption(t("sales.forecast.note"))
    if table.empty:
        st.info(t("sales.forecast.none"))
        return
    choices = sorted(table["brand_family"].unique())
    if st.session_state.get("s_fbrand") not in choices:
        st.session_state["s_fbrand"] = brand if brand in choices else choices[0]
    chosen = st.selectbox(t("sales.forecast.brand"), choices, key="s_fbrand")
    table.loc[table["month"] > compared.end, ["actual_cases", "accuracy"]] = float("nan")  # not sold yet
    rows = table[table["brand_family"] == chosen]
    months = [f"{m:%Y-%m}" + (" *" if month_end(m) > compared.end >= m else "") for m in rows["month"]]
    chart_frame = pd.concat([
        pd.DataFrame({"month": months, "brand_family": chosen, "series": t("sales.forecast.series.forecast"),
                      "cases": rows["forecast_cases"].to_numpy()}),
        pd.DataFrame({"month": months, "brand_family": chosen, "series": t("sales.forecast.series.actual"),
                      "cases": rows["actual_cases"].round(2).to_numpy()}),
    ], ignore_index=True)
    st.subheader(t("sales.forecast.title"))
    show_chart(chart_spec(sales_charts.forecast_chart, chart_frame, x_title=t("sales.col.month"),
                          y_title=t("sales.col.cases"), series_title=" "),
               width="stretch", key="s_forecast_chart")
    if rows["month"].map(lambda m: month_end(m) > compared.end >= m).any():
        st.caption(t("sales.partial_bucket", date=fmt_date(compared.end)))
    kpi_card(t("sales.forecast.mean_accuracy"), fmt_pct(rows["accuracy"].mean()))
    export = pd.DataFrame({
        t("sales.col.month"): [f"{m:%Y-%m}" for m in table["month"]], t("sales.col.brand"): table["brand_family"],
        t("sales.col.forecast_cases"): table["forecast_cases"].round(2),
        t("sales.col.actual_cases"): table["actual_cases"].round(2),
        t("sales.col.accuracy"): table["accuracy"].round(4),
    })
    shown = export.assign(**{t("sales.col.accuracy"): percent_values(export[t("sales.col.accuracy")])})
    st.dataframe(shown, hide_index=True, key="s_forecast_table", column_config={
        t("sales.col.accuracy"): st.column_config.NumberColumn(format=PCT_COLUMN),
        t("sales.col.forecast_cases"): st.column_config.NumberColumn(format=CASES_COLUMN),
        t("sales.col.actual_cases"): st.column_config.NumberColumn(format=CASES_COLUMN)})
    _exports(export, t("sales.view.forecast"), "s_forecast")


view = st.segmented_control(t("sales.view"), VIEWS, key="s_view", required=True,
                            format_func=lambda v: t(f"sales.view.{v}")) or "breakdown"
write_url("s_view", view, default="breakdown")
{"breakdown": _breakdown_view, "structure": _structure_view, "plan": _plan_view, "movers": _movers_view,
 "forecast": _forecast_view}[view]()
