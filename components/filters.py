"""Widgets whose values live in the URL query string, and the shared sidebar filters.

Any view can be bookmarked and shared: each URL-backed widget takes its first value from
``st.query_params`` and writes its value back on every run. A value in the URL that is not
valid falls back to the default with a notice, never an exception.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import streamlit as st

from components.escape import md, url_echo
from components.formatting import period_label
from components.i18n import LANGUAGE_NAMES, LANGUAGES, get_language, set_language, t
from components.routing import ensure_router
from data_access.queries.feeds import FeedEnds
from data_access.rules import params
from data_access.rules.calendar import Period, add_months, default_month, parse_period
from data_access.rules.params import Parsed

T = TypeVar("T")

_NOTICES_KEY = "_url_notices"
_NOTICE_SLOT_KEY = "_url_notice_slot"
GLOBAL_FILTERS_KEY = "global_filters"


def url_param(name: str, parse: Callable[[str | None], Parsed[T]]) -> T:
    """The URL's value for ``name`` read by ``parse`` (one of ``data_access.rules.params``).

    A refused value gives the parser's fallback and queues a short notice that echoes the
    value escaped and shortened (:func:`components.escape.url_echo`).
    """
    raw = st.query_params.get(name)
    parsed = parse(raw)
    if not parsed.ok:
        queue_url_notice(name, raw)
    return parsed.value


def queue_url_notice(name: str, raw: object) -> None:
    """Queue "the link's <name> value <raw> is not valid" for :func:`show_url_notices`."""
    notice = t("filter.bad_url_value", name=md(name), value=url_echo(raw))
    notices = st.session_state.setdefault(_NOTICES_KEY, [])
    if notice not in notices:
        notices.append(notice)


def url_initial(name: str, *, default: str, valid: Collection[str]) -> str:
    """The URL's value for ``name`` if it is one of ``valid``, else ``default`` (and a notice is queued)."""
    return url_param(name, lambda raw: params.parse_enum(raw, valid, default=default))


def bind_url(name: str, key: str, *, default: str, valid: Collection[str]) -> None:
    """Seed widget ``key`` from URL parameter ``name`` once per session (call before the widget)."""
    if key not in st.session_state:
        st.session_state[key] = url_initial(name, default=default, valid=valid)


def write_url(name: str, value: Any, *, default: Any = None) -> None:
    """Reflect a widget value in the URL; the default value is left out to keep links short."""
    if value is None or value == default:
        if name in st.query_params:
            del st.query_params[name]
        return
    text = str(value)
    if st.query_params.get(name) != text:
        st.query_params[name] = text


def show_url_notices(slot: Any = None) -> None:
    """Show (once) the notices about URL values that were replaced by defaults.

    ``slot`` (a container near the page's top, kept for :func:`flush_url_notices`) receives
    them; notices queued later in the run go to the same slot.
    """
    st.session_state[_NOTICE_SLOT_KEY] = slot  # None: later notices go where flush is called
    target = slot if slot is not None else st
    for notice in st.session_state.pop(_NOTICES_KEY, []):
        target.warning(notice, icon=":material/warning:")


def flush_url_notices() -> None:
    """After the page ran: show notices queued since the header in the header's slot."""
    if st.session_state.get(_NOTICES_KEY):
        show_url_notices(st.session_state.get(_NOTICE_SLOT_KEY))
    st.session_state.pop(_NOTICE_SLOT_KEY, None)


def _valid_period(token: str) -> bool:
    try:
        parse_period(token)
    except ValueError:
        return False
    return True


def period_options(kind: str, data_start: dt.date, data_end: dt.date) -> list[str]:
    """Period tokens of ``kind`` that hold data, newest first."""
    tokens: list[str] = []
    if kind == "year":
        return [str(year) for year in range(data_end.year, data_start.year - 1, -1)]
    step = 1 if kind == "month" else 3
    first = dt.date(data_start.year, data_start.month - (data_start.month - 1) % step, 1)
    cursor = dt.date(data_end.year, data_end.month - (data_end.month - 1) % step, 1)
    while cursor >= first:
        tokens.append(parse_period_token(kind, cursor))
        cursor = add_months(cursor, -step)
    return tokens


def parse_period_token(kind: str, start: dt.date) -> str:
    if kind == "month":
        return f"{start:%Y-%m}"
    if kind == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return str(start.year)


def default_period_token(kind: str, options: Sequence[str], data_end: dt.date, *, min_working_days: int) -> str:
    """The period a page opens on: the one of ``kind`` containing ``calendar.default_month``.

    On the first days of a month (fewer than ``min_working_days`` working days of sales) that
    is the last complete month (and its quarter or year); otherwise the newest period.
    """
    token = parse_period_token(kind, default_month(data_end, min_working_days=min_working_days))
    return token if token in options else options[0]


def _open_running_period(token: str) -> None:
    st.session_state["flt_period"] = token


def running_period_switch(sidebar: Any, chosen: str, default: str, running: str) -> None:
    """One click from the default (last complete) period to the running one, while it is young."""
    if default == running or chosen != default:
        return
    label = period_label(parse_period(running))
    sidebar.caption(t("time.default_complete", running=label), help=t("time.default_period_help"))
    sidebar.button(t("time.switch_running", running=label), key="flt_running", on_click=_open_running_period,
                   args=(running,), icon=":material/fast_forward:")


@dataclass(frozen=True)
class GlobalFilters:
    """The sidebar's choices, shared by every page."""

    period: Period
    department_id: int | None
    department_code: str | None
    department_name: str | None
    data_start: dt.date
    data_end: dt.date  # the sales feed's last day (never past today)
    feeds: FeedEnds | None = None  # every feed's last day and the clock's today



def language_switch() -> None:
    """Language radio (URL ``lang``); zh-CN by default."""
    bind_url("lang", "flt_lang", default="zh", valid=LANGUAGES)
    set_language(st.session_state["flt_lang"])
    st.sidebar.radio(
        t("filter.language"),
        LANGUAGES,
        key="flt_lang",
        format_func=LANGUAGE_NAMES.get,
        horizontal=True,
        on_change=lambda: set_language(st.session_state["flt_lang"]),
    )
    set_language(st.session_state["flt_lang"])
    write_url("lang", get_language(), default="zh")


def convert_period(token: str, kind: str, data_start: dt.date, data_end: dt.date) -> str:
    """The period of ``kind`` that stands for period ``token`` when the sidebar's grain changes.

    A coarser grain takes the period containing it (2026-11 → 2026-Q4 → 2026); a finer one
    the last of its sub-periods with data (2026 → 2026-Q4 → 2026-11 when data ends in
    November). Anything unusable gives the newest period of ``kind`` with data.
    """
    options = period_options(kind, data_start, data_end)
    try:
        period = parse_period(token)
    except ValueError:
        return options[0]
    last = max(min(period.end, data_end), period.start)
    converted = parse_period_token(kind, last if _finer(kind, period.kind) else period.start)
    return converted if converted in options else options[0]


def _finer(kind: str, than: str) -> bool:
    order = {"year": 0, "quarter": 1, "month": 2}
    return order[kind] > order[than]


def _convert_period(data_start: dt.date, data_end: dt.date) -> None:
    """Grain callback: carry the chosen period over to the new grain (never a "bad link" notice)."""
    kind = st.session_state.get("flt_period_kind") or "month"
    old = st.session_state.get("flt_period") or st.query_params.get("period", "")
    converted = convert_period(str(old), kind, data_start, data_end)
    st.session_state["flt_period"] = converted
    st.query_params["period"] = converted


def sidebar_filters(
    *, departments: Sequence[tuple[int, str, str]], data_start: dt.date, data_end: dt.date,
    feeds: FeedEnds | None = None, running_month_min_days: int = 3,
) -> GlobalFilters:
    """Period and department selectors in the sidebar, kept in the URL (``period``, ``dept``).

    ``departments`` holds (id, code, display name). The default period is the month of the
    last day with data. Changing the grain (月/季/年) converts the chosen period.
    """
    st.session_state.pop(_NOTICE_SLOT_KEY, None)  # a slot belongs to one run (see show_url_notices)
    sidebar = st.sidebar
    kinds = ("month", "quarter", "year")
    url_period = st.query_params.get("period", "")
    url_kind = parse_period(url_period).kind if _valid_period(url_period) else "month"
    if st.session_state.get("flt_period_kind") not in kinds:  # the kind is implied by the URL's period
        st.session_state["flt_period_kind"] = url_kind
    kind = sidebar.segmented_control(
        t("filter.period_kind"),
        kinds,
        key="flt_period_kind",
        format_func=lambda k: t(f"filter.period_kind.{k}"),
        on_change=_convert_period,
        args=(data_start, data_end),
        required=True,
    ) or "month"
    options = period_options(kind, data_start, data_end)
    default = default_period_token(kind, options, data_end, min_working_days=running_month_min_days)
    bind_url("period", "flt_period", default=default, valid=options)
    if st.session_state["flt_period"] not in options:
        st.session_state["flt_period"] = default
    token = sidebar.selectbox(
        t("filter.period"), options, key="flt_period", format_func=lambda v: period_label(parse_period(v))
    )
    write_url("period", token)
    running_period_switch(sidebar, token, default, options[0])

    codes = [code for _, code, _ in departments]
    names = {code: name for _, code, name in departments}
    bind_url("dept", "flt_dept", default="", valid=codes)
    dept_code = sidebar.selectbox(
        t("filter.department"),
        ["", *codes],
        key="flt_dept",
        format_func=lambda c: names.get(c, t("filter.all_departments")),
    )
    write_url("dept", dept_code or None)
    dept_id = next((i for i, code, _ in departments if code == dept_code), None)
    filters = GlobalFilters(
        period=parse_period(token),
        department_id=dept_id,
        department_code=dept_code or None,
        department_name=names.get(dept_code),
        data_start=data_start,
        data_end=data_end,
        feeds=feeds,
    )
    st.session_state[GLOBAL_FILTERS_KEY] = filters
    return filters


def current_filters() -> GlobalFilters:
    """The filters the shell's sidebar resolved on this run."""
    ensure_router()
    return st.session_state[GLOBAL_FILTERS_KEY]
