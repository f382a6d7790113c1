"""Department competition (团队比拼): monthly and year-to-date ranking of the service
departments from five indicator groups, the KPI breakdown, personal scores, entry of the
manually scored groups with their audit history, Excel export and a print view.

URL state: ``tm_scope`` (month | ytd), ``tm_view`` (board | people | entry | audit),
``tm_kpi`` (department code of the opened KPI breakdown), ``tm_dept`` (department of the
personal scores), ``print=1`` (print-friendly layout).
"""

from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import urlencode

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from components import team_views as views
from components.access import guard_url_value, may, md_escape, page_scope, refusal_notice, refusal_text, require_page
from components.auth import current_actor
from components.chart_cache import chart_spec, show_chart
from components.downloads import excel_download
from components.escape import md, md_frame
from components.filters import bind_url, current_filters, url_initial, write_url
from components.formatting import fmt_number, fmt_pct, join_list, period_label
from components.i18n import get_language, t, tm
from components.layout import page_header
from data_access.access.permissions import Action, PermissionDenied
from data_access.busy import WriteBusy, write_with_retry
from data_access.cache import cached, refresh_versions
from data_access.db import get_engine
from data_access.loaders import KINDS
from data_access.models import DEPARTMENT_SCORE_GROUPS, MANUAL_SCORE_GROUPS
from data_access.queries import teams
from data_access.rules import metrics, team_scoring
from data_access.rules.calendar import month_end, month_period
from data_access.team_entry import ScoreEntryError, save_group_scores

KPI_DOMAINS = ("sales", "plans", "visits", "terminals", "scores", "config", "master")
SCOPES = ("month", "ytd")
VIEWS = ("board", "people", "entry", "audit")
VIEW_KEYS = {"board": "leaderboard", "people": "people", "entry": "entry", "audit": "audit"}

filters = current_filters()
period = filters.period
require_page(Action.VIEW_RANKINGS)  # the leaderboard is public inside the company; personal scores are scoped
people_scope = page_scope()
print_mode = url_initial("print", default="0", valid=("0", "1")) == "1"
if print_mode:
    st.markdown(views.PRINT_CSS, unsafe_allow_html=True)

# Rankings are monthly: a quarter or year shows its latest month with data.
month = period.start if period.kind == "month" else min(period.end, filters.data_end).replace(day=1)
month_label = period_label(month_period(month))

bind_url("tm_scope", "tm_scope", default="month", valid=SCOPES)
scope = st.session_state["tm_scope"] or "month"
subtitle = (t("teams.subtitle_ytd", year=month.year, period=month_label) if scope == "ytd"
            else t("teams.subtitle_month", period=month_label))
page_header(t("teams.title"), subtitle, feeds_shown=("visits",))
# Visit compliance counts plans up to the visits feed's own last day (issue 13, finding 2).
visits_end = filters.feeds.visits if filters.feeds is not None else None
if period.is_future(filters.data_end) or month < filters.data_start.replace(day=1):
    st.info(t("period.future"))
    st.stop()
if period.kind != "month":
    st.caption(t("teams.month_of_period", period=month_label))

# Inputs, points, ranks and history in one cached call (never mutated below).
data = cached(teams.competition_view, domains=KPI_DOMAINS, month=month, data_end=filters.data_end, scope=scope,
              visits_end=visits_end)
departments: pd.DataFrame = data["departments"]
if departments.empty:
    st.info(t("teams.no_departments"))
    st.stop()
english = get_language() == "en"
names = {int(r.id): (r.name_en or r.name) if english else r.name for r in departments.itertuples()}
codes = {int(r.id): r.code for r in departments.itertuples()}
result = data
board: pd.DataFrame = result["board"]


def _print_url() -> str:
    params = {k: v for k, v in st.query_params.to_dict().items() if k != "print"}
    return "teams?" + urlencode({**params, "print": "1"})


def _people(department_id: int | None) -> list[tuple[int, pd.DataFrame]]:
    """Personal scores ranked within each department (one department, or all in ranking order)."""
    inputs = cached(teams.manager_inputs, domains=("sales", "plans", "visits", "master"), scope=people_scope,
                    month=month, data_end=filters.data_end, department_id=department_id, visits_end=visits_end)
    progress = metrics.time_progress(month, month_end(month), filters.data_end)
    weights = cached(teams.personal_weights, domains=("config",))
    order = [department_id] if department_id is not None else [int(d) for d in board["department_id"]]
    return [
        (dept, team_scoring.personal_scores(inputs[inputs["department_id"] == dept], progress=progress,
                                            weights=weights))
        for dept in order
    ]


def _excel_sheets() -> dict[str, pd.DataFrame]:
    kpi_month = result["kpi"][result["kpi"]["month"] == month]
    department = t("teams.col.department")
    kpi_sheet = pd.concat(
        [views.kpi_breakdown_frame(row, rule=data["rule"], rubric_total=data["rubric_total"])
         .assign(**{department: names[int(row["department_id"])]})
         for _, row in kpi_month.iterrows()],
        ignore_index=True,
    )
    people = [_people_frame(frame).assign(**{department: names[dept]}) for dept, frame in _people(None)
              if len(frame)]
    sheets = {
        t("teams.sheet.departments"): views.leaderboard_frame(board, names, for_export=True),
        t("teams.sheet.kpi"): kpi_sheet,
        t("teams.sheet.people"): pd.concat(people, ignore_index=True) if people else pd.DataFrame(),
    }
    # Missing values as empty cells (components/export sizes columns with len() of each value).
    return {name: frame.astype(object).where(frame.notna(), "") for name, frame in sheets.items()}


def _missing_notice() -> None:
    provisional = board[board["provisional"]]
    if provisional.empty:
        st.success(t("teams.all_entered"))
        return
    lines = [tm("teams.missing_line", department=names[int(r.department_id)],
               groups=join_list(views.group_name(g) for g in r.missing)) for r in provisional.itertuples()]
    head = t("teams.provisional_ytd") if scope == "ytd" else t("teams.provisional", period=month_label)
    st.warning(head + "\n\n" + "\n".join(f"- {line}" for line in lines), icon=":material/hourglass_top:")


def _score_columns() -> dict[str, st.column_config.Column]:
    """Scores with one decimal under short headers (the full group name is the header's tooltip),
    so the ten columns fit 1440 px without scrolling sideways (issue 15)."""
    config = {
        views.group_name(g): st.column_config.NumberColumn(
            t(f"teams.group_short.{g}"), help=views.group_name(g), format="%.1f", width=82)
        for g in DEPARTMENT_SCORE_GROUPS
    }
    config[t("teams.col.total")] = st.column_config.NumberColumn(format="%.1f", width=70)
    config[t("teams.col.gap")] = st.column_config.NumberColumn(
        t("teams.col.gap_short"), help=t("teams.col.gap"), format="%.1f", width=82)
    config[t("teams.col.rank")] = st.column_config.TextColumn(width=80)
    config[t("teams.col.department")] = st.column_config.TextColumn(width=165)
    config[t("teams.col.change")] = st.column_config.TextColumn(width=70)
    return config


def show_leaderboard() -> None:
    if board["total"].isna().all():  # no KPI data and nothing entered: scores can still be entered
        st.info(t("teams.no_month"))
        return
    st.caption(t("teams.weights", weights=views.weights_text(data["weights"])))
    _missing_notice()
    st.subheader(t("teams.leaderboard_title"))
    st.dataframe(views.leaderboard_frame(board, names), hide_index=True, column_config=_score_columns(),
                 row_height=44, placeholder="—")
    buttons = st.columns([3, 2, 5])
    with buttons[0]:
        # The sheets are translated here; the workbook is built when clicked (components.downloads).
        excel_download(t("teams.export_excel"), _excel_sheets(), title=t("teams.report_title", period=subtitle),
                       file_name=f"team_ranking_{month:%Y-%m}_{scope}.xlsx", icon=":material/download:",
                       key="tm_export")
    with buttons[1]:
        st.link_button(t("teams.print_link"), _print_url(), icon=":material/print:")
    st.subheader(t("teams.contrib_title"))
    show_chart(chart_spec(views.contribution_chart, board.dropna(subset=["total"]), names), width="stretch")
    if board["provisional"].any():
        st.caption(t("teams.contrib_note"))
    if len(result["ytd_months"]):
        st.subheader(t("teams.history_title", year=month.year))
        show_chart(chart_spec(views.rank_history_chart, result["history"], names), width="stretch")
    show_kpi_breakdown()


def show_kpi_breakdown() -> None:
    st.subheader(t("teams.kpi_title"))
    ranked_codes = [codes[int(d)] for d in board["department_id"]]
    default = filters.department_code if filters.department_code in ranked_codes else ranked_codes[0]
    bind_url("tm_kpi", "tm_kpi", default=default, valid=ranked_codes)
    by_code = {c: i for i, c in codes.items()}
    code = st.selectbox(t("teams.kpi_pick"), ranked_codes, key="tm_kpi", format_func=lambda c: names[by_code[c]])
    write_url("tm_kpi", code, default=default)
    if scope == "ytd":
        st.caption(t("teams.kpi_ytd_note", period=month_label))
    kpi = result["kpi"]
    row = kpi[(kpi["month"] == month) & (kpi["department_id"] == by_code[code])].iloc[0]
    if pd.isna(row["kpi"]):
        st.info(t("teams.kpi_none"))
        return
    st.markdown(f"**{md(names[by_code[code]])} · {t('teams.kpi_total', value=fmt_number(row['kpi'], 2))}**")
    st.table(md_frame(views.kpi_breakdown_frame(row, rule=data["rule"], rubric_total=data["rubric_total"])))


def _people_frame(people: pd.DataFrame) -> pd.DataFrame:
    frame = views.people_frame(people)
    if people_scope.manager_ids is not None:  # one's own row: a rank "1" among one would mislead
        frame = frame.drop(columns=[t("teams.col.rank"), t("teams.col.gap")], errors="ignore")
    return frame


def show_people() -> None:
    all_codes = [c for i, c in codes.items() if people_scope.allows_department(i)]
    if not all_codes:
        st.info(t("access.no_access"), icon=":material/lock:")
        return
    guard_url_value("tm_dept", all_codes, "dept")
    default = filters.department_code if filters.department_code in all_codes else all_codes[0]
    bind_url("tm_dept", "tm_dept", default=default, valid=all_codes)
    by_code = {c: i for i, c in codes.items()}
    code = st.selectbox(t("teams.people_pick"), all_codes, key="tm_dept", format_func=lambda c: names[by_code[c]])
    write_url("tm_dept", code, default=default)
    weights = cached(teams.personal_weights, domains=("config",))
    st.subheader(tm("teams.people_title", department=names[by_code[code]]))
    st.caption(t("teams.people_rule", task=fmt_pct(weights["task_completion"], 0),
                 visit=fmt_pct(weights["visit_compliance"], 0)))
    people = _people(by_code[code])[0][1]
    if people.empty:
        st.info(t("teams.people_empty"))
        return
    st.dataframe(_people_frame(people), hide_index=True, row_height=40, placeholder="—")


ENTRY_RESULT_KEY = "tm_entry_result"


def _save(entry_month: dt.date, department_id: int) -> None:
    """Form callback: runs before the script, so the save survives the router's rerun."""
    scores = {group: st.session_state.get(f"tm_entry_{group}") for group in MANUAL_SCORE_GROUPS}

    actor = current_actor()

    def write(session: Session) -> int:
        return save_group_scores(
            session, month=entry_month, department_id=department_id, scores=scores,
            actor=actor, reason=st.session_state.get("tm_entry_reason", ""),
        )

    try:
        # A long import's final merge holds SQLite's write lock: wait a little at a time, then
        # say so; the form keeps what was typed either way (data_access/busy.py).
        count = write_with_retry(get_engine(), write)
    except ScoreEntryError as error:
        st.session_state[ENTRY_RESULT_KEY] = ("error", error.problems)
        return
    except PermissionDenied as error:
        st.session_state[ENTRY_RESULT_KEY] = ("refused", refusal_text(error))
        return
    except WriteBusy as busy:
        st.session_state[ENTRY_RESULT_KEY] = ("busy", busy.marker)
        return
    except SQLAlchemyError as error:  # never a raw database error on the page; the server log keeps it
        logging.getLogger(__name__).exception("saving department scores failed")
        st.session_state[ENTRY_RESULT_KEY] = ("failed", type(error).__name__)
        return
    refresh_versions()
    st.session_state[ENTRY_RESULT_KEY] = ("success", count)


def busy_text(marker: object) -> str:
    """Why the save waited in vain: the running import (what, for how long) or another writer."""
    if marker is None:
        return t("teams.entry_busy")
    seconds = int(max(0, (dt.datetime.now() - marker.started_at).total_seconds()))
    duration = t("teams.duration", minutes=seconds // 60, seconds=seconds % 60)
    return t("teams.entry_busy_import", kind=t(f"imports.kind.{marker.kind}") if marker.kind in KINDS else marker.kind,
             file=md_escape(marker.file_name), duration=duration)


def _show_entry_result() -> None:
    kind, payload = st.session_state.pop(ENTRY_RESULT_KEY, (None, None))
    if kind == "refused":
        st.error(payload, icon=":material/lock:")
    elif kind == "error":
        for key, values in payload:
            shown = {**values, "group": views.group_name(str(values["group"]))} if "group" in values else values
            st.error(tm(key, **shown))
    elif kind == "success":
        st.success(t("teams.entry_saved", count=payload) if payload else t("teams.entry_unchanged"))
    elif kind == "busy":
        st.warning(busy_text(payload))
    elif kind == "failed":
        st.error(t("teams.entry_failed"))


def show_entry() -> None:
    st.subheader(t("teams.entry_title", period=month_label))
    if not may(Action.SCORE_ENTRY, department_id=-1):  # the role may enter no department's scores
        refusal_notice(Action.SCORE_ENTRY, department_id=-1)
        _show_entry_result()
        return
    st.caption(t("teams.entry_help"))
    by_code = {c: i for i, c in codes.items()}
    default = filters.department_code if filters.department_code in by_code else next(iter(by_code))
    if "tm_entry_dept" not in st.session_state:
        st.session_state["tm_entry_dept"] = default
    code = st.selectbox(t("teams.entry_department"), list(by_code), key="tm_entry_dept",
                        format_func=lambda c: names[by_code[c]])
    dept_id = by_code[code]
    if refusal_notice(Action.SCORE_ENTRY, department_id=dept_id):  # their own department
        _show_entry_result()
        return
    current = result["table"]
    current = current[(current["month"] == month) & (current["department_id"] == dept_id)].iloc[0]
    with st.form("tm_entry_form"):
        cols = st.columns(len(MANUAL_SCORE_GROUPS))
        for col, group in zip(cols, MANUAL_SCORE_GROUPS, strict=True):
            now = current[group]
            help_text = t("teams.entry_not_entered") if pd.isna(now) else t("teams.entry_current", value=fmt_number(now, 1))
            with col:
                st.number_input(views.group_name(group), value=None, step=1.0, format="%.1f",
                                key=f"tm_entry_{group}", help=help_text)
                st.caption(help_text)
        st.caption(t("teams.entry_as", name=md_escape(current_actor().display_name)))
        st.text_input(t("teams.entry_reason"), key="tm_entry_reason")
        st.form_submit_button(t("teams.entry_submit"), type="primary", key="tm_entry_submit",
                              on_click=_save, args=(month, dept_id))
    _show_entry_result()


def show_audit() -> None:
    st.subheader(t("teams.audit_title", period=month_label))
    audit = cached(teams.score_audit, domains=("scores", "master"), month=month, department_id=filters.department_id)
    if audit.empty:
        st.info(t("teams.audit_empty"))
        return
    st.dataframe(views.audit_frame(audit, english=english), hide_index=True, placeholder="—")


def show_print() -> None:
    st.link_button(t("teams.print_back"), "teams?" + urlencode(
        {k: v for k, v in st.query_params.to_dict().items() if k != "print"}))
    st.caption(t("teams.print_hint") + " · " + t("teams.weights", weights=views.weights_text(data["weights"])))
    _missing_notice()
    st.table(md_frame(views.as_text(views.leaderboard_frame(board, names)).set_index(t("teams.col.rank"))))
    show_chart(chart_spec(views.contribution_chart, board.dropna(subset=["total"]), names), width="stretch")
    for dept_id, people in _people(None):
        if len(people):
            st.markdown(f"#### {tm('teams.people_title', department=names[dept_id])}")
            table = views.as_text(_people_frame(people))
            st.table(md_frame(table.set_index(t("teams.col.rank")) if t("teams.col.rank") in table else table))


if print_mode:
    if board["total"].isna().all():
        st.info(t("teams.no_month"))
    else:
        show_print()
    st.stop()

controls = st.columns([1, 3])
with controls[0]:
    st.segmented_control(t("teams.scope"), SCOPES, key="tm_scope", format_func=lambda s: t(f"teams.scope.{s}"))
write_url("tm_scope", scope, default="month")
bind_url("tm_view", "tm_view", default="board", valid=VIEWS)
with controls[1]:
    view = st.segmented_control(t("teams.view"), VIEWS, key="tm_view",
                                format_func=lambda v: t(f"teams.view.{VIEW_KEYS[v]}")) or "board"
write_url("tm_view", view, default="board")
{"board": show_leaderboard, "people": show_people, "entry": show_entry, "audit": show_audit}[view]()
