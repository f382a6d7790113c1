"""Modern terminal rankings (现代终端): display, POS accuracy and brand cultivation (DOMAIN.md §6).

URL parameters: ``tm_month`` (YYYY-MM), ``tm_fmt`` (business format), ``tm_mgr`` (manager
id), ``tm_mkt`` (market type), ``tm_wd``/``tm_wp``/``tm_wb`` (weights in percent),
``tm_shop`` (customer code of the terminal in the detail view).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from components import terminal_views as views
from components.access import guard_url_value, may, page_scope, refusal_notice, refusal_text, require_page
from components.auth import current_actor
from components.chart_cache import chart_spec, show_chart
from components.downloads import excel_download
from components.filters import bind_url, current_filters, url_param, write_url
from components.formatting import fmt_date, fmt_number, fmt_pct, period_label
from components.i18n import get_language, label, t, tm
from components.layout import kpi_card, page_header
from data_access.access.permissions import Action, PermissionDenied
from data_access.cache import cached
from data_access.db import session_scope
from data_access.models import BUSINESS_FORMATS, MARKET_TYPES
from data_access.queries import terminals as queries
from data_access.rules import params
from data_access.rules import terminal_scoring as scoring
from data_access.rules.calendar import month_period

filters = current_filters()
TERMINAL_DOMAINS = ("terminals", "sales", "master")
require_page(Action.VIEW_RANKINGS)  # the rankings are public inside the company; the detail is scoped
people_scope = page_scope()

# --- month: follows the sidebar period, can be changed here -------------------------------
months = cached(queries.inspected_months, domains=("terminals",),
                today=filters.feeds.today if filters.feeds is not None else None)
if not months:
    page_header(t("terminals.title"))
    st.info(t("terminals.no_inspections"))
    st.stop()
month_tokens = [f"{m:%Y-%m}" for m in months]
wanted = min(filters.period.end, filters.data_end).replace(day=1)
default_token = next((tok for tok, m in zip(month_tokens, months, strict=True) if m <= wanted), month_tokens[-1])
if "tm_month" not in st.session_state:
    bind_url("tm_month", "tm_month", default=default_token, valid=month_tokens)
elif st.session_state.get("_tm_period_seen") != filters.period.token:
    st.session_state["tm_month"] = default_token  # the sidebar period changed: follow it
st.session_state["_tm_period_seen"] = filters.period.token
if st.session_state["tm_month"] not in month_tokens:
    st.session_state["tm_month"] = default_token
month = dt.date.fromisoformat(st.session_state["tm_month"] + "-01")
period = month_period(month)

terminals = cached(queries.modern_terminals, domains=("master",))
# The rankings are public; the responsible-manager filter and the terminal detail are
# person-level: a scoped user picks among their own people and terminals only, and a URL
# naming anyone else's stops the page before anything is shown.
own_terminals = terminals[[people_scope.allows_manager(int(m), int(d)) for m, d in zip(
    terminals["manager_id"], terminals["department_id"], strict=True)]]
detail_codes = set(own_terminals["customer_code"])
guard_url_value("tm_mgr", set(own_terminals["manager_id"].astype(str)), "manager")
guard_url_value("tm_shop", detail_codes, "shop")
config = cached(queries.scoring_config, domains=("config",))
try:
    rubric = scoring.rubric_from_config(config["rubric"])
except ValueError as error:
    page_header(t("terminals.title"))
    st.error(tm("terminals.bad_rubric", error=error))
    st.stop()
county_weights = scoring.Weights.from_config(config["weights"])

# --- controls -------------------------------------------------------------------------------
scope = terminals if filters.department_id is None else terminals[terminals["department_id"] == filters.department_id]
format_counts = terminals["business_format"].value_counts()
formats = [f for f in sorted(BUSINESS_FORMATS, key=lambda f: -format_counts.get(f, 0)) if format_counts.get(f, 0)]
page_header(t("terminals.title"), f"{period_label(period)} · " + (filters.department_code or t("terminals.scope_all")),
            feeds_shown=("inspections", "pos"))
if not formats:
    st.info(t("terminals.no_terminals"))
    st.stop()

# Month, manager and market on one row; the formats get a row of their own: up to six of
# them, and in English the fourth was cut off beside the other selectors.
controls = st.columns(3)
format_row = st.container()
controls[0].selectbox(
    t("terminals.month"), month_tokens, key="tm_month",
    format_func=lambda tok: period_label(month_period(dt.date.fromisoformat(tok + "-01"))),
)
write_url("tm_month", st.session_state["tm_month"], default=default_token)
bind_url("tm_fmt", "tm_fmt", default=formats[0], valid=formats)
business_format = format_row.segmented_control(
    t("terminals.format"), formats, key="tm_fmt", format_func=lambda f: label("format", f), required=True,
) or formats[0]
write_url("tm_fmt", business_format, default=formats[0])
own = own_terminals if filters.department_id is None else own_terminals[
    own_terminals["department_id"] == filters.department_id]
manager_names = dict(zip(own["manager_id"].astype(str), own["manager"], strict=True))
bind_url("tm_mgr", "tm_mgr", default="", valid=["", *manager_names])
if st.session_state["tm_mgr"] not in manager_names:
    st.session_state["tm_mgr"] = ""
manager = controls[1].selectbox(
    t("terminals.manager"), ["", *sorted(manager_names, key=manager_names.get)], key="tm_mgr",
    format_func=lambda m: manager_names.get(m, t("terminals.all_managers")),
)
write_url("tm_mgr", manager or None)
bind_url("tm_mkt", "tm_mkt", default="", valid=["", *MARKET_TYPES])
market = controls[2].selectbox(
    t("terminals.market"), ["", *MARKET_TYPES], key="tm_mkt",
    format_func=lambda m: label("market", m) if m else t("terminals.all_markets"),
)
write_url("tm_mkt", market or None)

# --- weights: county default, adjustable here ------------------------------------------------
weight_keys = {"tm_wd": "display", "tm_wp": "pos_accuracy", "tm_wb": "brand_cultivation"}
default_percent = {key: round(getattr(county_weights.normalised(), name) * 100) for key, name in weight_keys.items()}
percent_tokens = [str(v) for v in range(101)]


def _reset_weights() -> None:
    for key, value in default_percent.items():
        st.session_state[key] = value


def _save_weights() -> None:
    # A callback: it runs before the script, so the click is never lost to a rerun.
    chosen = scoring.Weights(*(float(st.session_state[key]) for key in weight_keys))
    try:
        with session_scope() as session:
            queries.save_terminal_weights(session=session, weights=chosen.normalised(), actor=current_actor())
    except PermissionDenied as error:
        st.session_state["_tm_weights_refused"] = refusal_text(error)
        return
    st.session_state["_tm_weights_saved"] = True


with st.expander(t("terminals.weights"), icon=":material/balance:", expanded=bool(st.session_state.get("_tm_weights_saved"))):
    weight_columns = st.columns(3)
    for column, (key, message) in zip(
        weight_columns, (("tm_wd", "terminals.weight.display"), ("tm_wp", "terminals.weight.pos"),
                         ("tm_wb", "terminals.weight.brand")), strict=True,
    ):
        if key not in st.session_state:
            st.session_state[key] = url_param(key, lambda raw, key=key: params.parse_int(
                raw, default=default_percent[key], low=0, high=100))
        column.slider(t(message), 0, 100, step=5, key=key, format="%d%%")
        write_url(key, st.session_state[key], default=default_percent[key])
    buttons = st.columns([1, 1, 3])
    buttons[0].button(t("terminals.weights_reset"), on_click=_reset_weights)
    weights = scoring.Weights(*(float(st.session_state[key]) for key in weight_keys))
    if may(Action.EDIT_WEIGHTS):
        buttons[1].button(t("terminals.weights_save"), on_click=_save_weights,
                          disabled=sum(weights.as_config().values()) <= 0)
    else:  # the sliders still try weights out for this view; saving them is an administrator's
        refusal_notice(Action.EDIT_WEIGHTS)
    if st.session_state.pop("_tm_weights_saved", False):
        st.success(t("terminals.weights_saved"))
    if refused := st.session_state.pop("_tm_weights_refused", None):
        st.error(refused, icon=":material/lock:")
try:
    weights = weights.normalised()
except ValueError:
    st.error(t("terminals.weights_zero"))
    st.stop()
adjusted = any(st.session_state[key] != default_percent[key] for key in weight_keys)
lang = get_language()
st.caption(tm(
    "terminals.basis", rubric=rubric.title(get_language()), max_points=f"{rubric.max_points:g}",
    parts=" · ".join(f"{part.name(lang)} {part.points:g}" for part in rubric.parts),
    source=t("terminals.weights_source_page") if adjusted else t("terminals.weights_source_default"),
    w_display=fmt_pct(weights.display, 0), w_pos=fmt_pct(weights.pos_accuracy, 0),
    w_brand=fmt_pct(weights.brand_cultivation, 0),
))
with st.expander(t("terminals.definitions"), icon=":material/info:"):
    st.markdown(t("terminals.definitions_text"))
if period.is_partial(filters.data_end):
    st.caption(":material/hourglass_top: " + t("terminals.partial_month", month=period_label(period)))

# --- ranking ---------------------------------------------------------------------------------
weight_args = (weights.display, weights.pos_accuracy, weights.brand_cultivation)
_today = filters.feeds.today if filters.feeds is not None else None
scored = cached(
    queries.scored_ranking, domains=(*TERMINAL_DOMAINS, "config"), month=month,
    month_end=min(period.end, filters.data_end), weights=weight_args, today=_today,
)
ranking, missing = scored["ranking"], scored["uninspected"]
if scored.get("pos_pending"):
    # Reconciliation arrives after the month ends: POS is pending, never 0 % (issue 13, finding 3).
    reconciled = filters.feeds.pos if filters.feeds is not None else None
    st.info(t("time.pos_pending", month=period_label(period),
              last=period_label(month_period(reconciled)) if reconciled else t("time.pos_never")),
            icon=":material/hourglass_top:")


def _selected(frame: pd.DataFrame, id_column: str = "id") -> pd.DataFrame:
    keep = frame["business_format"] == business_format
    if filters.department_id is not None:
        keep &= frame["department_id"] == filters.department_id
    if manager:
        keep &= frame["manager_id"].astype(str) == manager
    if market:
        keep &= frame["market_type"] == market
    return frame[keep]


shown = _selected(ranking)
missing_shown = _selected(missing)
cards = st.columns(4)
with cards[0]:
    kpi_card(t("terminals.kpi_ranked"), fmt_number(len(shown)))
with cards[1]:
    kpi_card(t("terminals.kpi_avg_composite"), fmt_number(shown["composite"].mean() if len(shown) else None, 1))
with cards[2]:
    kpi_card(t("terminals.kpi_pos_missing"),
             fmt_number(int(shown["pos_status"].isin([scoring.POS_MISSING, scoring.POS_NO_SALES]).sum())))
with cards[3]:
    kpi_card(t("terminals.kpi_uninspected"), fmt_number(len(missing_shown)))

st.subheader(t("terminals.ranking_title", format=label("format", business_format), month=period_label(period)))
codes_in_view = [*shown["customer_code"], *missing_shown["customer_code"]]
bind_url("tm_shop", "tm_shop", default="", valid=detail_codes)


def _pick_row() -> None:
    rows = st.session_state["tm_table"].selection.rows
    if rows:
        code = st.session_state["_tm_table_codes"][rows[0]]
        st.session_state["tm_shop"] = code if code in detail_codes else ""
        st.session_state["_tm_shop_refused"] = code not in detail_codes


if shown.empty:
    st.info(t("terminals.none_ranked") if _selected(terminals).shape[0] else t("terminals.no_terminals"))
else:
    table = views.ranking_table(shown, rubric)
    st.session_state["_tm_table_codes"] = table["code"].tolist()
    st.caption(t("terminals.ranking_help"))
    st.dataframe(
        views.highlight_groups(table, shown["group"].reset_index(drop=True)),
        column_config=views.ranking_column_config(rubric), column_order=views.SHOWN_COLUMNS, hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(table), 600), key="tm_table", on_select=_pick_row,
        selection_mode="single-row",
    )
    excel_download(  # built when clicked, not on every rerun (components.downloads)
        t("common.export_excel"), {t("terminals.export_name"): views.export_frame(table, rubric)},
        title=t("terminals.ranking_title", format=label("format", business_format), month=period_label(period)),
        file_name=f"{t('terminals.export_name')}-{month:%Y-%m}-{business_format}.xlsx",
        on_click="ignore", icon=":material/download:",
    )

left, right = st.columns(2)
with left:
    plotted = shown[shown["sales_growth"].notna()]
    if not plotted.empty:
        show_chart(
            chart_spec(views.display_growth_scatter, plotted, title=t("terminals.scatter_title", count=len(plotted))),
            width="stretch",
        )
        if len(plotted) < len(shown):
            st.caption(t("terminals.scatter_excluded", count=len(shown) - len(plotted)))
with right:
    st.markdown(f"**{t('terminals.uninspected_title', count=len(missing_shown))}**")
    if missing_shown.empty:
        st.caption(t("terminals.all_inspected"))
    else:
        st.dataframe(
            pd.DataFrame({
                "shop": missing_shown["shop_name"],
                "manager": missing_shown["manager"],
                "last": [fmt_date(d) if pd.notna(d) else t("terminals.never_inspected")
                         for d in missing_shown["last_inspected_on"]],
                "days": missing_shown["days_since_inspection"],
            }),
            column_config={
                "shop": st.column_config.TextColumn(t("terminals.col.shop"), width=160),
                "manager": st.column_config.TextColumn(t("terminals.col.manager"), width=80),
                "last": st.column_config.TextColumn(t("terminals.col.last_inspected"), width=120),
                "days": st.column_config.NumberColumn(t("terminals.col.days_since"), format="%d", width=80),
            },
            placeholder="—", hide_index=True, width="stretch", height=min(38 + 35 * len(missing_shown), 380),
        )

# --- terminal detail ---------------------------------------------------------------------------
st.divider()
st.subheader(t("terminals.detail"))
names = dict(zip(terminals["customer_code"], terminals["shop_name"], strict=True))
options = ["", *dict.fromkeys([*(c for c in codes_in_view if c in detail_codes),
                               *([st.session_state["tm_shop"]] if st.session_state["tm_shop"] else [])])]
shop = st.selectbox(
    t("terminals.detail_pick"), options, key="tm_shop",
    format_func=lambda code: f"{names.get(code, code)}（{code}）" if code else "—",
)
write_url("tm_shop", shop or None)
if st.session_state.pop("_tm_shop_refused", False):
    st.info(t("access.no_access_param", name=t("access.param.shop")), icon=":material/lock:")
if not shop or shop not in detail_codes:
    st.caption(t("terminals.detail_none"))
    st.stop()

terminal = terminals[terminals["customer_code"] == shop].iloc[0]
retailer_id = int(terminal["id"])
archive = cached(queries.terminal_archive, domains=("master",), scope=people_scope, retailer_id=retailer_id)
if archive is None:
    st.warning(t("terminals.detail_unknown"))
    st.stop()
detail = cached(
    queries.scored_trend, domains=(*TERMINAL_DOMAINS, "config"), scope=people_scope, retailer_id=retailer_id,
    department_id=int(terminal["department_id"]), last_month=month, weights=weight_args,
    data_end=min(period.end, filters.data_end), today=_today,
)
trend = detail["trend"]

info, photos_column = st.columns([2, 3])
with info:
    st.markdown(f"**{t('terminals.archive')}**")
    st.markdown(views.archive_markdown(views.archive_fields(archive, fmt_date)))
with photos_column:
    st.markdown(f"**{t('terminals.photos')}**")
    views.photo_gallery(cached(queries.terminal_photos, domains=("terminals",), scope=people_scope,
                               retailer_id=retailer_id),
                        fmt_date=fmt_date)

st.markdown(f"**{t('terminals.trend')}**")
charts = st.columns(2)
with charts[0]:
    show_chart(chart_spec(views.score_trend_chart, trend), width="stretch")
with charts[1]:
    show_chart(chart_spec(views.sales_trend_chart, trend), width="stretch")

operating, visits_column = st.columns(2)
with operating:
    st.markdown(f"**{t('terminals.operating', month=period_label(period))}**")
    recon = detail["reconciliation"]
    recon = recon[recon["month"] == month]
    if recon.empty:
        st.info(t("terminals.no_reconciliation"))
    else:
        row = recon.iloc[0]
        sold = pd.Series([row["opening_stock"] + row["delivered"] - row["closing_stock"]])
        ratio = scoring.stock_to_sales_ratio(pd.Series([row["closing_stock"]]), sold).iloc[0]
        turnover = scoring.inventory_turnover(
            pd.Series([row["opening_stock"]]), pd.Series([row["closing_stock"]]), sold
        ).iloc[0]
        top_row, bottom_row = st.columns(2), st.columns(2)
        with top_row[0]:
            kpi_card(t("terminals.stock_ratio"), fmt_number(ratio, 2), help=t("terminals.stock_ratio_help"))
        with top_row[1]:
            kpi_card(t("terminals.turnover"), fmt_number(turnover, 2), help=t("terminals.turnover_help"))
        with bottom_row[0]:
            kpi_card(t("terminals.cartons_sold"), f"{fmt_number(sold.iloc[0])} {t('terminals.unit_cartons')}")
        with bottom_row[1]:
            kpi_card(t("terminals.closing_stock"), f"{fmt_number(row['closing_stock'])} {t('terminals.unit_cartons')}")
        warning = scoring.stock_warning(row["closing_stock"], sold.iloc[0])
        if warning == "high":
            st.warning(t("terminals.stock_high", ratio=fmt_number(ratio, 2), limit=f"{scoring.HIGH_STOCK_RATIO:g}"))
        elif warning == "low":
            st.warning(t("terminals.stock_low", ratio=fmt_number(ratio, 2), limit=f"{scoring.LOW_STOCK_RATIO:g}"))
with visits_column:
    st.markdown(f"**{t('terminals.visits')}**")
    visits = cached(queries.recent_visits, domains=("visits",), scope=people_scope, retailer_id=retailer_id,
                    until=min(period.end, filters.data_end))
    if visits.empty:
        st.info(t("terminals.no_visits"))
    else:
        minutes = (visits["sign_out_at"] - visits["sign_in_at"]).dt.total_seconds() / 60
        st.dataframe(
            pd.DataFrame({
                "date": [fmt_date(d) for d in visits["visit_date"]],
                "manager": visits["manager"],
                "sign_in": visits["sign_in_at"].dt.strftime("%H:%M"),
                "sign_out": visits["sign_out_at"].dt.strftime("%H:%M").fillna("—"),
                "minutes": minutes.round(0),
                "planned": visits["planned"].astype(bool),
            }),
            column_config={
                "date": st.column_config.TextColumn(t("terminals.visit.date")),
                "manager": st.column_config.TextColumn(t("terminals.visit.manager")),
                "sign_in": st.column_config.TextColumn(t("terminals.visit.sign_in")),
                "sign_out": st.column_config.TextColumn(t("terminals.visit.sign_out")),
                "minutes": st.column_config.NumberColumn(t("terminals.visit.minutes"), format="%d"),
                "planned": st.column_config.CheckboxColumn(t("terminals.visit.planned")),
            },
            hide_index=True, width="stretch", placeholder="—",
        )
