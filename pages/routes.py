"""Route maps (走访路线): a manager's day on the map, monthly visit statistics, everyone now.

Three views (URL ``rt_view``): ``day`` — track, numbered stops, shops by status, playback and
the visit table for one manager-day (``rt_mgr``, ``rt_day``, ``rt_t``, ``rt_stop``, ``rt_prev``);
``month`` — statistics and anomalies per manager for the sidebar period (``rt_am``);
``now`` — each manager's latest position and shop, for the meeting wall.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from components.access import guard_department, guard_url_value, page_scope, require_page
from components.basemap import load_basemap
from components.charts import readable
from components.filters import bind_url, current_filters, url_initial, url_param, write_url
from components.formatting import fmt_date, fmt_number, fmt_pct, join_list, period_label
from components.geo import tile_config
from components.i18n import get_language, label, t, tm
from components.layout import kpi_card, page_header
from components.maps import day_legend, legend_html, manager_day_deck, managers_now_deck, simplified_tracks
from components.routing import guarded
from data_access import clock
from data_access.access.permissions import Action
from data_access.cache import cached
from data_access.queries import routes
from data_access.rules import params
from data_access.rules.calendar import is_working_day
from data_access.rules.visit_rules import (
    ANOMALY_RULES,
    SHOP_STATUSES,
    VisitRules,
    enrich_visits,
    manager_period_stats,
    missed_plans,
    period_anomalies,
    shop_status,
    speed_jumps,
    track_distance_m,
    track_pairs,
    visit_anomaly_codes,
)

VIEWS = ("day", "month", "now")
DAY_DOMAINS = ("visits", "gps", "master", "config")
STILL_KMH = 1.0  # slower than this between shops: standing still, not travelling

filters = current_filters()
period = filters.period
today = filters.feeds.today if filters.feeds is not None else clock.today()
page_header(t("routes.title"), period_label(period), feeds_shown=("visits", "gps"))
require_page(Action.VIEW_PEOPLE)
scope = page_scope()  # every query below returns person-level rows: the user's own people only
guard_department(filters.department_id)
config = tile_config()
towns = cached(routes.district_towns, domains=("master",))
basemap = load_basemap()
managers = cached(routes.route_managers, domains=("master",), scope=scope, department_id=filters.department_id)
# A URL naming a manager outside the user's people stops the page before anything is shown.
guard_url_value("rt_mgr", managers["code"].tolist(), "manager")
guard_url_value("rt_am", managers["code"].tolist(), "manager")
if managers.empty:
    st.info(t("routes.no_managers"))
    st.stop()

bind_url("rt_view", "rt_view", default="day", valid=VIEWS)
view = st.segmented_control(t("routes.view"), VIEWS, key="rt_view", format_func=lambda v: t(f"routes.view.{v}"),
                            required=True) or "day"
write_url("rt_view", view, default="day")


def _department(row: pd.Series) -> str:
    return row["department_en"] or row["department"] if get_language() == "en" else row["department"]


def _legend(deck: object) -> None:
    notes = []
    if any(layer.id == "stop-leaders" for layer in deck.layers):
        notes.append(t("routes.legend.moved"))
    if basemap.townships_approximate:
        notes.append(t("routes.legend.townships_approx"))
    st.html(legend_html(day_legend(SHOP_STATUSES), notes))


def _select_stop() -> None:
    rows = st.session_state["rt_table"].selection.rows
    st.session_state["rt_stop_no"] = rows[0] + 1 if rows else None


def day_view() -> None:
    codes = managers["code"].tolist()
    names = dict(zip(codes, managers["name"], strict=True))
    bind_url("rt_mgr", "rt_mgr", default=codes[0], valid=codes)
    if st.session_state["rt_mgr"] not in codes:
        st.session_state["rt_mgr"] = codes[0]
    left, right, extra = st.columns([2, 2, 1])
    code = left.selectbox(t("routes.manager"), codes, key="rt_mgr", format_func=lambda c: f"{names[c]} · {c}")
    write_url("rt_mgr", code)
    manager_id = int(managers.loc[managers["code"] == code, "id"].iloc[0])
    days = cached(routes.visit_days, domains=("visits",), scope=scope, manager_id=manager_id, start=period.start,
                  end=min(period.end, today))
    if not days:
        # Early in a month (or when the visits feed ends before sales): open on the latest day with visits.
        latest = cached(routes.latest_visit_day, domains=("visits",), today=today)
        if latest is not None and latest < period.start:
            days = cached(routes.visit_days, domains=("visits",), scope=scope, manager_id=manager_id,
                          start=latest.replace(day=1), end=latest)
            if days:
                st.caption(t("time.routes_latest_day", period=period_label(period), date=fmt_date(days[0])))
    if not days:
        st.info(tm("routes.no_visits", name=names[code], period=period_label(period)))
        return
    working = [d for d in days if is_working_day(d)]
    options = [d.isoformat() for d in days]
    default_day = (working or days)[0].isoformat()
    bind_url("rt_day", "rt_day", default=default_day, valid=options)
    if st.session_state["rt_day"] not in options:
        st.session_state["rt_day"] = default_day
    token = right.selectbox(t("routes.day"), options, key="rt_day",
                            format_func=lambda d: fmt_date(dt.date.fromisoformat(d)))
    write_url("rt_day", token, default=default_day)
    day = dt.date.fromisoformat(token)
    if "rt_prev" not in st.session_state:
        st.session_state["rt_prev"] = url_initial("rt_prev", default="0", valid=("0", "1")) == "1"
    show_prev = extra.toggle(t("routes.show_previous"), key="rt_prev", help=t("routes.show_previous_help"))
    write_url("rt_prev", "1" if show_prev else None)

    data = cached(routes.manager_day, domains=DAY_DOMAINS, scope=scope, manager_id=manager_id, day=day)
    rules = VisitRules.from_setting(data["rules"])
    stops = enrich_visits(data["visits"], rules)
    stops["anomalies"] = visit_anomaly_codes(stops)
    track = data["track"]
    jumps = speed_jumps(track_pairs(track), rules) if not track.empty else pd.DataFrame()
    missed = missed_plans(data["plans"], data["visits"])
    shops = data["shops"].assign(status=shop_status(
        data["shops"], day=day, visited_ids=set(stops["retailer_id"]), planned_ids=set(data["plans"]["retailer_id"])))
    shops = shops.merge(
        pd.DataFrame({"retailer_id": shops["retailer_id"],
                      "days_since_visit": (pd.Timestamp(day) - pd.to_datetime(shops["last_visit"])).dt.days}),
        on="retailer_id")

    cards = st.columns(5)
    with cards[0]:
        kpi_card(t("routes.kpi.visits"), fmt_number(len(stops)))
    with cards[1]:
        kpi_card(t("routes.kpi.missed"), f"{len(missed)} / {len(data['plans'])}", help=t("routes.kpi.missed_help"))
    with cards[2]:
        kpi_card(t("routes.kpi.distance"), f"{fmt_number(track_distance_m(track) / 1000, 1)} km")
    with cards[3]:
        kpi_card(t("routes.kpi.avg_duration"), f"{fmt_number(stops['duration_min'].mean(), 1)} {t('routes.unit.min')}")
    with cards[4]:
        count = int(stops["anomalies"].map(len).sum()) + len(jumps) + len(missed)
        kpi_card(t("routes.kpi.anomalies"), fmt_number(count), help=t("routes.kpi.anomalies_help"))

    position = None
    if not track.empty:
        first, last = track["recorded_at"].iloc[0], track["recorded_at"].iloc[-1]
        start_t, end_t = first.floor("min").time(), last.ceil("min").time()
        if "rt_t" not in st.session_state or not start_t <= st.session_state["rt_t"] <= end_t:
            st.session_state["rt_t"] = url_param(
                "rt_t", lambda raw: params.parse_time(raw, default=end_t, low=start_t, high=end_t))
        moment = st.slider(t("routes.playback"), min_value=start_t, max_value=end_t, key="rt_t",
                           step=dt.timedelta(minutes=1), format="HH:mm", help=t("routes.playback_help"))
        write_url("rt_t", moment.strftime("%H:%M"), default=end_t.strftime("%H:%M"))
        at = pd.Timestamp(dt.datetime.combine(day, moment))
        so_far = track[track["recorded_at"] <= at]
        here = (so_far if not so_far.empty else track.iloc[:1]).iloc[-1]
        position = {"lon": here["lon"], "lat": here["lat"], "time": moment.strftime("%H:%M"),
                    "travelled": so_far if moment < end_t else so_far.iloc[:0]}
        inside = stops[(stops["sign_in_at"] <= at) & (stops["sign_out_at"].isna() | (stops["sign_out_at"] >= at))]
        if not inside.empty:
            where = tm("routes.position.at_shop", time=position["time"], no=inside["stop_no"].iloc[-1],
                      shop=inside["shop_name"].iloc[-1])
        elif moment >= end_t:  # after the day's last fix: not "on the way at 0 km/h"
            where = t("routes.position.day_end", time=f"{here['recorded_at']:%H:%M}")
        elif (here["speed_kmh"] or 0) < STILL_KMH:
            where = t("routes.position.still", time=position["time"])
        else:
            where = t("routes.position.moving", time=position["time"], speed=fmt_number(here["speed_kmh"]))
        st.caption(where)

    earlier = None
    if show_prev:
        previous = [d for d in days if d < day][:4]
        if previous:
            raw = cached(routes.gps_track, domains=("gps",), scope=scope, manager_id=manager_id,
                         first_day=min(previous), last_day=max(previous))
            earlier = simplified_tracks(raw[pd.to_datetime(raw["recorded_at"]).dt.date.isin(previous)])

    if "rt_stop_no" not in st.session_state:
        st.session_state["rt_stop_no"] = url_param(
            "rt_stop", lambda raw: params.parse_int(raw, default=None, low=1, high=len(stops) or 1))
    selected = st.session_state["rt_stop_no"]
    if selected is not None and not 1 <= selected <= len(stops):
        selected = st.session_state["rt_stop_no"] = None
    write_url("rt_stop", selected)

    deck = manager_day_deck(track=track, stops=stops, shops=shops, jumps=jumps, towns=towns, basemap=basemap,
                            config=config, selected_stop=selected, position=position, earlier_tracks=earlier)
    st.pydeck_chart(deck, height=560, key=f"rt_map_{code}_{token}")
    _legend(deck)

    st.subheader(t("routes.visit_table"))
    if stops.empty:
        st.info(t("routes.no_visits_day"))
    else:
        table = pd.DataFrame({
            t("routes.col.stop"): stops["stop_no"],
            t("routes.col.shop"): stops["shop_name"],
            t("routes.col.sign_in"): stops["sign_in_at"].dt.strftime("%H:%M"),
            t("routes.col.sign_out"): stops["sign_out_at"].dt.strftime("%H:%M").fillna("—"),
            t("routes.col.duration"): stops["duration_min"].round(1),
            t("routes.col.distance"): stops["sign_in_distance_m"].round(0),
            t("routes.col.anomalies"): stops["anomalies"].map(
                lambda codes: join_list(label("routes.rule", c) for c in codes) or "—"),
        })
        st.dataframe(table, hide_index=True, key="rt_table", on_select=_select_stop, selection_mode="single-row",
                     selection_default={"selection": {"rows": [selected - 1]}} if selected else None)
        st.caption(t("routes.table_hint"))
    if not missed.empty:
        st.warning(tm("routes.missed_list", shops=join_list(missed["shop_name"])))
    if not jumps.empty:
        st.warning(tm("routes.jump_list", items="；".join(
            f"{r.recorded_at:%H:%M:%S} {fmt_number(r.speed_kmh)} km/h" for r in jumps.itertuples())))


def month_view() -> None:
    latest = cached(routes.latest_visit_day, domains=("visits",), today=today)
    if latest is None or period.start > latest:
        st.info(t("routes.no_month_data"))
        return
    as_of = min(period.end, latest)
    data = cached(routes.period_routes, domains=DAY_DOMAINS, scope=scope, start=period.start, end=as_of,
                  department_id=filters.department_id)
    stats = manager_period_stats(data, as_of)
    st.caption(t("routes.month_caption", date=fmt_date(as_of)))
    table = pd.DataFrame({
        t("routes.manager"): stats["name"],
        t("filter.department"): stats.apply(_department, axis=1),
        t("routes.col.days"): stats["days_in_field"],
        t("routes.kpi.visits"): stats["visits"],
        t("routes.col.per_day"): stats["visits_per_day"].round(1),
        t("routes.kpi.avg_duration"): stats["avg_duration_min"].round(1),
        t("routes.col.coverage"): stats["coverage"].map(fmt_pct),
        t("routes.kpi.distance"): stats["distance_km"].round(1),
        t("routes.kpi.anomalies"): stats["anomalies"],
    })
    st.dataframe(table, hide_index=True)
    chart_data = stats.assign(coverage_pct=(stats["coverage"] * 100).round(1))
    # Dots on an axis from just below the lowest coverage to 100 %: bars from 0 made 92 % and
    # 98 % look the same (issue 15); each dot carries its figure.
    low = float(chart_data["coverage_pct"].min()) if chart_data["coverage_pct"].notna().any() else 0.0
    domain = [max(0.0, 5 * (low // 5) - 5), 100]
    base = alt.Chart(chart_data).encode(
        x=alt.X("coverage_pct:Q", title=t("routes.col.coverage") + " %", scale=alt.Scale(domain=domain)),
        y=alt.Y("name:N", title=None, sort="-x"),
        tooltip=[alt.Tooltip("name:N", title=t("routes.manager")),
                 alt.Tooltip("coverage_pct:Q", title=t("routes.col.coverage") + " %")],
    )
    chart = alt.layer(base.mark_circle(color="#34659f", size=220, opacity=1),
                      base.mark_text(align="left", dx=10, fontSize=14).encode(text=alt.Text("coverage_pct:Q", format=".1f")))
    st.subheader(t("routes.coverage_chart"))
    st.altair_chart(readable(chart, height=max(160, 34 * len(stats))), width="stretch")

    st.subheader(t("routes.anomaly_title"))
    anomalies = period_anomalies(data, as_of)
    if anomalies.empty:
        st.success(t("routes.no_anomalies"))
        return
    names = dict(zip(stats["manager_id"], stats["name"], strict=True))
    counts = (anomalies.assign(rule=anomalies["rule"].map(lambda c: label("routes.rule", c)))
              .pivot_table(index="manager_id", columns="rule", values="day", aggfunc="count", fill_value=0))
    counts.index = counts.index.map(names)
    counts.index.name, counts.columns.name = t("routes.manager"), None  # not the code's "manager_id"
    ordered = [label("routes.rule", c) for c in ANOMALY_RULES if label("routes.rule", c) in counts.columns]
    st.dataframe(counts[ordered], width="stretch")
    codes = [str(c) for c in stats["code"]]
    bind_url("rt_am", "rt_am", default="", valid=codes)
    by_code = dict(zip(stats["code"], stats["manager_id"], strict=True))
    chosen = st.selectbox(t("routes.anomaly_manager"), ["", *codes], key="rt_am",
                          format_func=lambda c: names[by_code[c]] if c else t("routes.all_managers"))
    write_url("rt_am", chosen or None)
    rows = anomalies if not chosen else anomalies[anomalies["manager_id"] == by_code[chosen]]
    st.dataframe(pd.DataFrame({
        t("routes.manager"): rows["manager_id"].map(names),
        t("routes.col.day"): rows["day"].map(lambda d: f"{d:%Y-%m-%d}"),
        t("routes.col.rule"): rows["rule"].map(lambda c: label("routes.rule", c)),
        t("routes.col.shop"): rows["shop_name"].fillna(""),
        t("routes.col.time"): pd.to_datetime(rows["at"]).dt.strftime("%H:%M").fillna(""),
        t("routes.col.value"): rows["value"].round(1),
        t("routes.col.threshold"): rows["threshold"],
    }), hide_index=True, width="stretch")


@st.fragment(run_every="60s")
@guarded("routes")
def now_view() -> None:
    moment = clock.now()
    now = cached(routes.managers_now, domains=("gps", "visits", "master"), scope=scope,
                 department_id=filters.department_id, as_of=moment if clock.is_pinned() else None)
    if now.empty:
        st.info(t("routes.no_positions"))
        return
    today_fix = now["recorded_at"].dt.date == moment.date()
    if not today_fix.any():
        # At night, before the first fix of the day: nobody is "on the way" (issue 13, finding 9).
        st.info(t("time.nobody_yet", date=fmt_date(now["recorded_at"].max().date())))
        now = now.assign(at_shop=False)
    st.pydeck_chart(managers_now_deck(now, towns=towns, basemap=basemap, config=config), height=620, key="rt_now_map")
    st.dataframe(pd.DataFrame({
        t("routes.manager"): now["name"],
        t("filter.department"): now.apply(_department, axis=1),
        t("routes.col.fix_at"): now["recorded_at"].dt.strftime("%m-%d %H:%M"),
        t("routes.col.shop"): now["shop_name"].fillna("—"),
        t("routes.col.state"): [
            (t("routes.now.state_at_shop") if at_shop else t("routes.now.state_away")) if fresh
            else t("time.last_position", date=fmt_date(fix.date()))
            for at_shop, fresh, fix in zip(now["at_shop"], today_fix, now["recorded_at"], strict=True)
        ],
    }), hide_index=True, width="stretch")


{"day": day_view, "month": month_view, "now": now_view}[view]()
if not config.offline:
    st.caption(t("routes.tiles_note", crs=config.crs.upper()))
