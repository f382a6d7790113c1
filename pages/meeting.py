"""Meeting mode (会议大屏): full-screen slides that rotate and refresh on their own.

URL: ``/meeting?slides=kpi,daily,leaderboard,terminals,map,anomalies&interval=20&lang=zh``
(plus the shell's ``period`` and ``dept``; ``mt_since`` picks the snapshot to compare with,
``mt_slide`` + ``mt_paused=1`` freeze one slide). The slide area is an
``st.fragment(run_every=...)``: it reruns every few seconds, takes the slide index from the
clock (``data_access.rules.meeting_slides.Rotation``) and reads through the version-keyed cache,
so the live feed's rows appear without reloading the page.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from components import meeting_views as views
from components.access import guard_department, may, meeting_scope, refusal_text, require_page
from components.auth import current_actor
from components.chart_cache import chart_spec, show_chart
from components.escape import plain, url_echo
from components.filters import current_filters, show_url_notices, url_param, write_url
from components.formatting import fmt_cases, fmt_date, fmt_number, fmt_pct, fmt_yuan, period_label, yuan_parts
from components.i18n import get_language, label, t, tm
from components.layout import feed_stamps
from components.navigation import can_open
from components.routing import guarded
from components.shell import current_feed_ends
from data_access import clock
from data_access.access.permissions import Action, PermissionDenied
from data_access.cache import cached, refresh_versions
from data_access.db import session_scope
from data_access.queries import meeting as queries
from data_access.rules import meeting_slides as slides_logic
from data_access.rules import metrics, params
from data_access.rules.calendar import Period, month_period
from data_access.rules.sales_periods import DateRange, comparison_covered, last_year_range

ROTATION_KEY = "mt_rotation"
# Not "visits": the live feed bumps it every few seconds and the county-scale ranking takes
# seconds cold; visit compliance in the monthly ranking may lag live visits by the cache TTL (1 h).
TEAM_DOMAINS = ("sales", "plans", "terminals", "scores", "config", "master")
TERMINAL_DOMAINS = ("terminals", "sales", "master", "config")
LIVE_DOMAINS = ("gps", "visits", "master")
MAP_HEIGHT = 700  # leaves room for the counts line and the "no one in the field yet" line at 1080 px
MAP_WIDTH = 1100  # three fifths of a 1920 px wall, less the margins
ANOMALY_ROWS = 10  # with the header, note and 'more' line, the controls stay on a 1080 px screen
CONFIG_KEY = "mt_config"
SALES_DOMAINS = ("sales", "plans", "master")

st.html(views.projector_css())
filters = current_filters()
require_page(Action.VIEW_MEETING)
people_scope = meeting_scope()  # the wall shows the county; anyone else their own people
guard_department(filters.department_id, people_scope)


# --- URL: slides, interval, snapshot, start slide ---------------------------------------------
def _url_settings() -> tuple[list[str], int]:
    slides, rejected = slides_logic.parse_slides(st.query_params.get("slides"))
    if rejected:
        st.warning(t("meeting.bad_slides", names=url_echo(", ".join(rejected)), valid=",".join(slides_logic.SLIDES)))
    raw_interval = st.query_params.get("interval")
    interval, ok = slides_logic.parse_interval(raw_interval)
    if not ok:
        st.warning(t("meeting.bad_interval", value=url_echo(raw_interval), default=interval))
    return slides, interval


def _rotation(slides: list[str], interval: int) -> slides_logic.Rotation:
    """This session's rotation; a new one when the URL's slides or interval change."""
    config = (tuple(slides), interval)
    if st.session_state.get(CONFIG_KEY) != config or ROTATION_KEY not in st.session_state:
        start = url_param("mt_slide", lambda raw: params.parse_enum(raw, slides, default=slides[0]))
        paused = url_param("mt_paused", lambda raw: params.parse_enum(raw, ("0", "1"), default="0")) == "1"
        st.session_state[ROTATION_KEY] = slides_logic.Rotation(
            count=len(slides), interval=interval, anchor_at=slides_logic.wall_clock(),
            anchor_index=slides.index(start), paused=paused,
        )
        st.session_state[CONFIG_KEY] = config
    return st.session_state[ROTATION_KEY]


def _control(action: str, slides: list[str]) -> None:
    """Button callback: move or pause the rotation; a paused slide is written to the URL."""
    now = slides_logic.wall_clock()
    rotation: slides_logic.Rotation = st.session_state[ROTATION_KEY]
    rotation = {"prev": lambda: rotation.step(now, -1), "next": lambda: rotation.step(now, 1),
                "toggle": lambda: rotation.toggle(now)}[action]()
    st.session_state[ROTATION_KEY] = rotation
    write_url("mt_paused", "1" if rotation.paused else None)
    write_url("mt_slide", slides[rotation.index(now)] if rotation.paused else None)


# --- what every slide needs ----------------------------------------------------------------------
def _month() -> Period:
    """The month shown: the chosen period's last month with data."""
    return month_period(min(filters.period.end, _data_end()))


def _data_end() -> dt.date:
    # Re-read on every (fragment) run: the wall stays open across midnight and the live feed.
    return current_feed_ends().sales or filters.data_end


def _headline() -> dict:
    month = _month()
    return cached(queries.headline_kpis, domains=SALES_DOMAINS, period_start=month.start, period_end=month.end,
                  data_end=_data_end(), department_id=filters.department_id)


def _snapshot() -> dict | None:
    raw = st.query_params.get("mt_since")
    parsed = params.parse_int(raw, default=None, low=1, high=params.MAX_ID)
    snapshot_id = parsed.value
    if not parsed.ok:
        st.html(views.note_html(t("meeting.snapshot.not_found", value=plain(raw)[:40]), views.BAD))
    today = dt.datetime.fromtimestamp(slides_logic.wall_clock()).replace(hour=0, minute=0, second=0, microsecond=0)
    found = cached(queries.previous_snapshot, domains=(queries.MEETING_DOMAIN,), before=today, snapshot_id=snapshot_id)
    if found is None and snapshot_id is not None:
        st.html(views.note_html(t("meeting.snapshot.not_found", value=raw), views.BAD))
        found = cached(queries.previous_snapshot, domains=(queries.MEETING_DOMAIN,), before=today, snapshot_id=None)
    return found


def _since_note(snapshot: dict | None, month: Period) -> str:
    if snapshot is None:
        return t("meeting.snapshot.none")
    note = t("meeting.snapshot.since", title=snapshot["title"] or "—", time=f"{snapshot['taken_at']:%Y-%m-%d %H:%M}")
    if slides_logic.snapshot_period_note(snapshot["payload"], month.token):
        note += " " + t("meeting.snapshot.other_period", period=snapshot["payload"].get("period", "?"))
    return note


# --- slides ----------------------------------------------------------------------------------------
def slide_kpi() -> list[str]:
    month = _month()
    headline = _headline()
    figures = headline["figures"]
    scope = filters.department_name or t("meeting.scope_all")
    st.html(views.note_html(t("meeting.kpi.period", period=period_label(month), scope=scope)))
    if headline["current"]["cartons"] == 0:
        st.info(t("meeting.empty", period=period_label(month)))
        return [t("meeting.data_up_to", date=fmt_date(_data_end()))]
    snapshot = _snapshot()
    changes = slides_logic.kpi_changes(snapshot["payload"] if snapshot else None, figures)

    # The one coverage rule (rules.sales_periods), as on the overview: no YoY against a stub.
    yoy_shown = comparison_covered(headline["last_year_range"], filters.data_start)

    def yoy(key: str) -> tuple[str, str]:
        value = figures[f"{key}_yoy"] if yoy_shown else None
        text = "—" if value is None else f"{value * 100:+.1f}%"
        return t("meeting.kpi.yoy", value=text), views.tone_of(value)

    def since(key: str, fmt) -> tuple[tuple[str, str], ...]:
        change = changes[key]
        if change is None:
            return ()
        return ((t("meeting.kpi.since", value=fmt(change)), views.tone_of(change)),)

    def signed_pp(value: float) -> str:
        return t("meeting.kpi.pp", value=f"{value * 100:+.1f}")

    completion, progress = figures["plan_completion"], figures["time_progress"]
    if completion is None:
        completion_tile = views.Tile(t("metric.plan_completion"), "—", ((t("meeting.kpi.no_plan"), views.NEUTRAL),))
    else:
        pace = metrics.pace(completion, progress)  # status from the rounded figures on the tile
        key = f"meeting.kpi.{pace.status}"
        completion_tile = views.Tile(
            t("metric.plan_completion"), fmt_pct(completion),
            ((t(key, value=f"{abs(pace.gap_pp):.1f}"), views.tone_of(pace.gap_pp)),
             *since("plan_completion", signed_pp)),
            bar=(completion, progress),
        )
    amount_number, amount_unit = yuan_parts(figures["amount"])
    tiles = [
        views.Tile(t("metric.volume") + " · " + t("unit.cases"), fmt_number(figures["volume_cases"], 1),
                   (yoy("volume"), *since("volume_cases", lambda v: f"{v:+,.1f} {t('unit.cases')}"))),
        # Here too the unit goes to the label: "5,124.5 万元" overflowed its tile on a 1600 px screen.
        views.Tile(" · ".join(filter(None, (t("metric.amount"), amount_unit))), amount_number,
                   (yoy("amount"), *since("amount", lambda v: ("+" if v >= 0 else "-") + fmt_yuan(abs(v))))),
        # The unit goes to the label: "28,046 yuan/case" does not fit a third of the wall at full size.
        views.Tile(t("metric.per_case_value") + " · " + t("unit.yuan_per_case"), fmt_number(figures["per_case_value"]),
                   (yoy("per_case_value"), *since("per_case_value", lambda v: f"{v:+,.0f} {t('unit.yuan_per_case')}"))),
        completion_tile,
        views.Tile(t("metric.time_progress"), fmt_pct(progress), ((t("meeting.kpi.progress_note"), views.NEUTRAL),),
                   bar=(progress, progress)),
        views.Tile(t("metric.gross_margin"), fmt_pct(figures["gross_margin"]), since("gross_margin", signed_pp)),
    ]
    st.html(views.kpi_tiles_html(tiles))
    _running_month_note(month)
    st.html(views.note_html(_since_note(snapshot, _month())))
    return [t("meeting.data_up_to", date=fmt_date(_data_end()))]


def _running_month_note(month: Period) -> None:
    """Beside last month's final result (the default on the first days), the running month so far."""
    end = _data_end()
    if end <= month.end:
        return
    running = month_period(end)
    sums = cached(queries.headline_kpis, domains=SALES_DOMAINS, period_start=running.start, period_end=running.end,
                  data_end=end, department_id=filters.department_id)["figures"]
    st.html(views.note_html(t("time.wall_running", period=period_label(running), date=fmt_date(end),
                              volume=fmt_cases(sums["volume_cases"]), completion=fmt_pct(sums["plan_completion"]))))


def slide_daily() -> list[str]:
    month = _month()
    frame = cached(queries.daily_sales_vs_last_year, domains=("sales",), month_start=month.start,
                   data_end=_data_end(), department_id=filters.department_id)
    stamp = [t("meeting.data_up_to", date=fmt_date(_data_end()))]
    if frame.empty or frame["cases"].sum() == 0:
        st.info(t("meeting.empty", period=period_label(month)))
        return stamp
    this_total = float(frame["cumulative_cases"].iloc[-1])
    last_total = float(frame["cumulative_cases_last_year"].iloc[-1])
    base = last_year_range(DateRange(month.start, frame["date"].iloc[-1]), "weekday")
    covered = comparison_covered(base, filters.data_start)  # the one rule, as on the KPI slide
    growth = metrics.growth(this_total, last_total) if covered else None
    st.html(views.note_html(
        t("meeting.daily.total", cases=fmt_cases(this_total), last=fmt_cases(last_total),
          growth="—" if growth is None else f"{growth * 100:+.1f}%"),
        views.tone_of(growth),
    ))
    show_chart(
        chart_spec(views.daily_chart, frame, this_label=t("meeting.daily.this_month"),
                   last_label=t("meeting.daily.last_year"), x_title=t("meeting.daily.x"), y_title=t("meeting.daily.y")),
        width="stretch", theme=None,  # Vega's black type, not the theme's grey: contrast on a projector
    )
    return stamp


def _not_available(what: str) -> list[str]:
    st.info(t("meeting.not_available", what=what))
    return []


def _leaderboard() -> pd.DataFrame:
    return cached(queries.department_leaderboard, domains=TEAM_DOMAINS, month=_month().start, data_end=_data_end(),
                  visits_end=current_feed_ends().visits)


def _change_text(change: object) -> str:
    if change is None or pd.isna(change) or int(change) == 0:
        return "—" if change is None or pd.isna(change) else "＝"
    return f"↑{int(change)}" if int(change) > 0 else f"↓{-int(change)}"


def slide_leaderboard() -> list[str]:
    board = _leaderboard()
    # The KPI's visit compliance runs to the visits feed's own last day: say so where it differs.
    stamp = [t("meeting.data_up_to", date=fmt_date(_data_end())), *feed_stamps(("visits",))]
    if board.empty or board["total"].isna().all():
        st.info(t("meeting.empty", period=period_label(_month())))
        return stamp
    snapshot = _snapshot()
    since = slides_logic.rank_changes(snapshot["payload"] if snapshot else None, board.to_dict("records"))
    english = get_language() == "en"
    table = pd.DataFrame({
        "rank": board["rank"].map(lambda r: "—" if pd.isna(r) else f"{int(r)}"),
        "department": [(row.name_en or row.name) if english else row.name for row in board.itertuples()],
        "score": board["total"].map(lambda v: fmt_number(v, 2)),
        "score_value": board["total"].fillna(0.0),
        "change": board["rank_change"].map(_change_text),
        "since": board["department_id"].map(lambda d: _change_text(since.get(int(d)))),
        "gap": board["gap_to_above"].map(lambda v: "" if pd.isna(v) else fmt_number(v, 2)),
    })
    tones = board["rank_change"].map(lambda c: views.tone_of(None if pd.isna(c) else float(c)))
    columns = [views.Column("rank", t("meeting.board.rank")), views.Column("department", t("meeting.board.department")),
               views.Column("score", t("meeting.board.score")), views.Column("change", t("meeting.board.change")),
               views.Column("since", t("meeting.board.since")), views.Column("gap", t("meeting.board.gap"), True)]
    st.html(views.table_html(table, columns, tones=tones, bar_column="score", bar_px=360, large=len(table) <= 6))
    if board["provisional"].any():
        st.html(views.note_html(t("meeting.board.provisional"), views.BAD))
    st.html(views.note_html(_since_note(snapshot, _month())))
    return stamp


def _terminals() -> dict:
    return cached(queries.terminal_extremes, domains=TERMINAL_DOMAINS, month=_month().start,
                  today=current_feed_ends().today)


def slide_terminals() -> list[str]:
    extremes = _terminals()
    if extremes["month"] is None:
        st.info(t("meeting.terminals.none"))
        return []
    month = month_period(extremes["month"])
    st.html(views.note_html(t("meeting.terminals.month", period=period_label(month))))
    if extremes.get("pos_pending"):
        st.html(views.note_html(t("time.pos_pending_short")))
    columns = [views.Column("group", t("meeting.terminals.group")),
               views.Column("shop_name", t("meeting.terminals.shop")), views.Column("format", t("meeting.terminals.format")),
               views.Column("manager", t("meeting.terminals.manager")),
               views.Column("rank_text", t("meeting.terminals.rank"), True),
               views.Column("change", t("meeting.terminals.change"), True),
               views.Column("since", t("meeting.terminals.since"), True),
               views.Column("score", t("meeting.terminals.score"))]
    # One full-width table, best first then weakest: two tables side by side did not fit half
    # a 1600-1920 px screen in projector type (the score ran into the other table).
    frame = pd.concat(
        [extremes[key].assign(group=t(f"meeting.terminals.{key}"), tone=tone)
         for key, tone in (("top", views.GOOD), ("bottom", views.BAD))],
        ignore_index=True,
    )
    snapshot = _snapshot()
    since = slides_logic.rank_changes(snapshot["payload"] if snapshot else None, frame.to_dict("records"),
                                      section="terminals", key="retailer_id", same=("business_format",))
    frame = frame.assign(
        format=frame["business_format"].map(lambda c: label("format", c)),
        rank_text=frame["rank"].map(lambda r: f"{int(r)}"),
        change=frame["rank_change"].map(_change_text),
        since=frame["retailer_id"].map(lambda r: _change_text(since.get(int(r)))),
        score=frame["composite"].map(lambda v: fmt_number(v, 1)),
        score_value=frame["composite"],
    )
    st.html(views.table_html(frame, columns, tones=frame["tone"], bar_column="score", bar_px=200))
    st.html(views.note_html(_since_note(snapshot, _month())))
    return [t("meeting.data_up_to", date=fmt_date(_data_end()))]


def _visit_day() -> tuple[dt.date | None, dt.datetime | None]:
    """The day the visit slides show (today when live) and the time of its latest fix (None if over)."""
    from data_access.queries import routes

    today = dt.datetime.fromtimestamp(slides_logic.wall_clock()).date()
    day = cached(routes.latest_visit_day, domains=("visits",), today=today)
    if day is None:
        return None, None
    if day < today:
        return day, None
    now = _positions()
    fixes = now["recorded_at"][now["recorded_at"].dt.date == day] if not now.empty else now.get("recorded_at")
    if fixes is None or not len(fixes):  # no one in the field yet today: nothing of today to show
        return cached(routes.latest_visit_day, domains=("visits",), today=today - dt.timedelta(days=1)), None
    return day, fixes.max()


def _positions() -> pd.DataFrame:
    from data_access.queries import routes

    return cached(routes.managers_now, domains=LIVE_DOMAINS, scope=people_scope, department_id=filters.department_id,
                  as_of=_now_bound())


def _now_bound() -> dt.datetime | None:
    """Fixes after "now" do not exist yet; only a pinned clock can have data past it."""
    return dt.datetime.fromtimestamp(slides_logic.wall_clock()).replace(microsecond=0) if clock.is_pinned() else None


def _today() -> dt.date:
    return dt.datetime.fromtimestamp(slides_logic.wall_clock()).date()


def slide_map() -> list[str]:
    from components.basemap import load_basemap
    from components.geo import tile_config
    from components.maps import managers_now_deck, whereabouts
    from data_access.queries import routes

    now = _positions()
    if now.empty:
        st.info(t("meeting.map.none"))
        return []
    latest = now["recorded_at"].max()
    department = "department_en" if get_language() == "en" else "department"
    today = _today()
    on_duty = now[now["recorded_at"].dt.date == today].sort_values([department, "name"], ignore_index=True)
    # "在岗" counts today's fixes only; before the first fix of the day (at night) the wall says so
    # and shows each manager's last position of the previous day, labelled as such (issue 13, finding 9).
    basemap = load_basemap()
    counts = t("meeting.map.counts", total=len(on_duty), at_shop=int(on_duty["at_shop"].sum()))
    if basemap.townships_approximate:  # the sample's township areas are not official boundaries
        counts += " · " + t("routes.legend.townships_approx")
    st.html(views.note_html(counts))
    if on_duty.empty:
        on_duty = now[now["recorded_at"].dt.date == latest.date()].sort_values([department, "name"], ignore_index=True)
        on_duty = on_duty.assign(at_shop=False)
        st.html(views.note_html(t("time.nobody_yet", date=fmt_date(latest.date()))))
    towns = cached(routes.district_towns, domains=("master",))
    map_column, list_column = st.columns([3, 2], gap="medium")
    with map_column:
        deck = managers_now_deck(on_duty, towns=towns, basemap=basemap, config=tile_config(), scale=2.0,
                                 height=MAP_HEIGHT, width=MAP_WIDTH, numbered=True)
        st.pydeck_chart(deck, height=MAP_HEIGHT, key="mt_map")
    # The numbers on the map, with names: readable from the back of the room.
    people = on_duty.assign(
        number=[str(i) for i in range(1, len(on_duty) + 1)],
        where=[whereabouts(at_shop, shop) if fix.date() == today else t("time.last_position", date=fmt_date(fix.date()))
               for shop, at_shop, fix in zip(on_duty["shop_name"], on_duty["at_shop"], on_duty["recorded_at"],
                                             strict=True)],
        time=on_duty["recorded_at"].dt.strftime("%H:%M"),
    )
    columns = [views.Column("number", "#"), views.Column("name", t("meeting.anomalies.manager")),
               views.Column("where", t("meeting.map.where")), views.Column("time", t("meeting.map.time"), True)]
    tones = pd.Series([views.GOOD if at_shop else views.NEUTRAL for at_shop in on_duty["at_shop"]])
    list_column.html(views.table_html(people, columns, tones=tones, compact=True))
    return [t("meeting.positions_up_to", time=f"{latest:%m-%d %H:%M}")]


def slide_anomalies() -> list[str]:
    day, live_until = _visit_day()
    if day is None:
        st.info(t("meeting.anomalies.none"))
        return []
    if day < _today():  # "今日走访异常" counts today only: none before today's first visit
        st.info(t("time.no_visits_today", date=fmt_date(day)))
        return [t("meeting.data_up_to", date=fmt_date(day))]
    found = cached(queries.visit_day_anomalies, domains=(*LIVE_DOMAINS, "config"), scope=people_scope, day=day)
    rows = slides_logic.wall_anomalies(found, live_until=live_until)
    stamp = [t("meeting.positions_up_to", time=f"{live_until:%H:%M}") if live_until is not None
             else t("meeting.data_up_to", date=fmt_date(day))]
    if rows.empty:
        st.success(t("meeting.anomalies.none"))
        return stamp
    st.html(views.note_html(t("meeting.anomalies.count", count=len(rows), date=fmt_date(day)), views.BAD))
    shown = rows.head(ANOMALY_ROWS).assign(
        time=lambda f: pd.to_datetime(f["at"]).dt.strftime("%H:%M").fillna("—"),
        kind=lambda f: f["rule"].map(lambda c: label("routes.rule", c)),
        shop=lambda f: f["shop_name"].fillna("").replace("", "—"),
        detail=lambda f: [_anomaly_detail(r, v) for r, v in zip(f["rule"], f["value"], strict=True)],
    )
    columns = [views.Column("time", t("meeting.anomalies.time")), views.Column("manager", t("meeting.anomalies.manager")),
               views.Column("kind", t("meeting.anomalies.kind")), views.Column("shop", t("meeting.anomalies.shop")),
               views.Column("detail", t("meeting.anomalies.detail"), True)]
    st.html(views.table_html(shown, columns))
    if len(rows) > ANOMALY_ROWS:
        st.html(views.note_html(t("meeting.anomalies.more", count=len(rows) - ANOMALY_ROWS)))
    return stamp


def _anomaly_detail(rule: str, value: float) -> str:
    units = {"far_sign_in": " m", "short_visit": " " + t("routes.unit.min"), "impossible_speed": " km/h"}
    return "" if rule not in units or pd.isna(value) else fmt_number(value, 1 if rule == "short_visit" else 0) + units[rule]


SLIDE_RENDERERS = {
    "kpi": slide_kpi, "daily": slide_daily, "leaderboard": slide_leaderboard,
    "terminals": slide_terminals, "map": slide_map, "anomalies": slide_anomalies,
}


# --- snapshot --------------------------------------------------------------------------------------
def _save_snapshot(title: str) -> None:
    month = _month()
    board = _leaderboard()
    terminals = _terminals()["ranks"].rename(columns={"composite": "score"})  # every ranked terminal
    payload = slides_logic.snapshot_payload(
        period=month.token, data_end=_data_end(), kpis=_headline()["figures"],
        departments=board.rename(columns={"total": "score"}).to_dict("records"),
        terminals=terminals.to_dict("records"),
    )
    try:
        with session_scope() as session:
            queries.save_snapshot(session=session, payload=payload, actor=current_actor(), title=title,
                                  taken_at=dt.datetime.fromtimestamp(slides_logic.wall_clock()))
    except PermissionDenied as error:
        st.error(refusal_text(error), icon=":material/lock:")
        return
    refresh_versions()
    st.toast(tm("meeting.snapshot.saved", title=title))


# --- the page ----------------------------------------------------------------------------------------
slides, interval = _url_settings()
_rotation(slides, interval)
show_url_notices()


@st.fragment(run_every=slides_logic.refresh_seconds(interval))
@guarded("meeting")
def slide_area() -> None:
    now = slides_logic.wall_clock()
    rotation: slides_logic.Rotation = st.session_state[ROTATION_KEY]
    index = rotation.index(now)
    name = slides[index]
    header = st.empty()
    body = st.container()
    with body:
        stamps = SLIDE_RENDERERS[name]()
    left = rotation.seconds_left(now)
    status = t("meeting.paused") if left is None else t("meeting.next_in", seconds=round(left))
    clock = dt.datetime.fromtimestamp(now)
    header.html(views.slide_header_html(
        t(f"meeting.slide.{name}"),
        counter=t("meeting.counter", index=index + 1, count=len(slides)) + " · " + status,
        stamps=[t("meeting.as_of", time=f"{clock:%H:%M:%S}"), *stamps],
    ))


slide_area()

controls = st.columns([1, 1, 1, 1.6, 5, 1.6], vertical_alignment="center")
paused = st.session_state[ROTATION_KEY].paused
controls[0].button(t("meeting.prev"), key="mt_prev", icon=":material/skip_previous:", on_click=_control,
                   args=("prev", slides), width="stretch")
controls[1].button(t("meeting.resume") if paused else t("meeting.pause"), key="mt_toggle",
                   icon=":material/play_arrow:" if paused else ":material/pause:", on_click=_control,
                   args=("toggle", slides), width="stretch")
controls[2].button(t("meeting.next"), key="mt_next", icon=":material/skip_next:", on_click=_control,
                   args=("next", slides), width="stretch")
if may(Action.SAVE_SNAPSHOT):  # the wall display and viewers without the right see no camera
    with controls[3].popover(t("meeting.snapshot.button"), icon=":material/photo_camera:", width="stretch"):
        st.caption(t("meeting.snapshot.help"))
        with st.form("mt_snapshot_form", border=False):
            title = st.text_input(t("meeting.snapshot.title"), value=t("meeting.snapshot.default_title",
                                                                       period=period_label(_month())))
            if st.form_submit_button(t("meeting.snapshot.save"), type="primary"):
                _save_snapshot(title)
if can_open("pages/overview.py"):  # a wall display has the meeting page only
    controls[5].page_link("pages/overview.py", label=t("meeting.exit"), icon=":material/logout:")
