"""Data import (数据导入): choose a kind, upload, preview, check, import; template and history.

The page only drives ``data_access.loaders.run_import`` (the same code as the CLI). The
chosen kind is in the URL (``imp_kind``). After an import every cached query is dropped,
so every page shows the new data on its next run.
"""

from __future__ import annotations

import io
import json
import logging

import pandas as pd
import streamlit as st

from components.access import md_escape, refusal_text, require_page
from components.auth import current_actor
from components.escape import md
from components.export import CSV_MIME, XLSX_MIME, to_csv_bytes, to_excel_bytes
from components.filters import bind_url, write_url
from components.formatting import fmt_number, join_list
from components.i18n import get_language, t, tm
from components.layout import kpi_card, page_header
from data_access.access.permissions import Action, PermissionDenied
from data_access.busy import is_lock_error
from data_access.cache import cached, clear_all
from data_access.db import DATA_DOMAINS, get_engine
from data_access.loaders import (
    KINDS,
    FileProblem,
    ImportResult,
    Source,
    columns_frame,
    describe,
    issue_text,
    issues_frame,
    layout_text,
    preview,
    run_import,
    template_frame,
    write_rejected,
)
from data_access.loaders.specs import build_specs
from data_access.queries import imports

PREVIEW_ROWS = 10
SHOWN_ISSUES = 500
RESULT_KEY = "imp_last_result"

page_header(t("imports.title"), t("imports.subtitle"))
require_page(Action.IMPORT_DATA)
lang = get_language()

bind_url("imp_kind", "imp_kind", default="orders", valid=KINDS)
kind = st.selectbox(t("imports.kind"), KINDS, key="imp_kind", format_func=lambda k: t(f"imports.kind.{k}"))
write_url("imp_kind", kind, default="orders")
rubric = cached(imports.display_rubric, domains=("config",))
spec = build_specs(rubric)[kind]  # inspections follow the county's configured rubric

left, right = st.columns([3, 1])
with left, st.expander(t("imports.columns_title")):
    st.dataframe(columns_frame(spec, lang), hide_index=True, width="stretch")
    key_headers = " + ".join(
        next((c.zh if lang == "zh" else c.en) for c in spec.columns if c.column == k) for k in spec.key
    )
    st.caption(tm("imports.key_note", columns=key_headers))
with right:
    st.download_button(
        t("imports.template"), to_excel_bytes({t(f"imports.kind.{kind}"): template_frame(spec, lang)}),
        file_name=f"template_{kind}.xlsx", mime=XLSX_MIME, icon=":material/download:", key="imp_template",
    )

def _uploader_texts() -> None:
    """Streamlit 1.67 draws the uploader's button and size limit in English only: hide those
    texts and draw the catalogue's through CSS content (issue 15)."""
    zone = "[data-testid='stFileUploaderDropzone']"
    button = json.dumps(t("imports.uploader_button"), ensure_ascii=False)
    limit = json.dumps(t("imports.uploader_limit"), ensure_ascii=False)
    st.html(
        "<style>"
        f"{zone} button [data-testid='stMarkdownContainer'] p,"
        f"{zone} [data-testid='stFileUploaderDropzoneInstructions'] span {{font-size: 0; visibility: hidden;}}"
        f"{zone} button [data-testid='stMarkdownContainer'] p::after {{content: {button}; font-size: 1rem;"
        " visibility: visible;}"
        f"{zone} [data-testid='stFileUploaderDropzoneInstructions'] span::after {{content: {limit};"
        " font-size: 0.875rem; visibility: visible;}"
        "</style>"
    )


_uploader_texts()
uploaded = st.file_uploader(t("imports.upload"), type=["csv", "txt", "xlsx", "xls"], key="imp_file",
                            help=t("imports.upload_hint"))


def _show_result(result: ImportResult, source: Source) -> None:
    """Counts, the outcome in words, the problem list and the downloads."""
    if result.file_problem is not None:
        st.error(tm("imports.file_problem", problem=issue_text(result.file_problem, lang)))
        return
    st.caption(md(layout_text(result, lang, result.number_format)))
    cards = st.columns(5)
    would = "_dry" if result.dry_run else ""  # a check writes nothing: "可新增 1", not "新增 1"
    for column, (label, value) in zip(cards, [
        ("imports.rows_read", result.rows_read), (f"imports.rows_added{would}", result.rows_added),
        (f"imports.rows_updated{would}", result.rows_updated), ("imports.rows_unchanged", result.rows_unchanged),
        ("imports.rows_rejected", result.rows_rejected),
    ], strict=True):
        with column:
            kpi_card(t(label), fmt_number(value))
    counts = {"added": fmt_number(result.rows_added), "updated": fmt_number(result.rows_updated),
              "unchanged": fmt_number(result.rows_unchanged)}
    problems = {"count": fmt_number(result.issues_total), "rows": fmt_number(result.rows_rejected)}
    if result.committed and result.has_errors:
        st.warning(t("imports.committed_partial", rejected=fmt_number(result.rows_rejected), **counts))
    elif result.committed:
        st.success(t("imports.committed", **counts))
    elif result.dry_run and not result.has_errors:
        st.success(t("imports.ok_dry_run", **counts))
    elif result.dry_run:
        st.warning(t("imports.errors_dry_run", **problems))
    else:
        st.error(t("imports.rejected", **problems))
    if result.warnings:
        with st.expander(t("imports.warnings_title", count=fmt_number(len(result.warnings)))):
            st.dataframe(issues_frame(result.warnings, lang).head(SHOWN_ISSUES), hide_index=True, width="stretch")
    if not result.issues:
        return
    st.subheader(t("imports.issues_title"))
    report = issues_frame(result.issues, lang)
    if len(report) > SHOWN_ISSUES or result.issues_total > len(report):
        st.caption(t("imports.issues_more", shown=fmt_number(min(len(report), SHOWN_ISSUES)),
                     total=fmt_number(result.issues_total)))
    st.dataframe(report.head(SHOWN_ISSUES), hide_index=True, width="stretch")
    buttons = st.columns(2)
    with buttons[0]:
        st.download_button(t("imports.download_report"), to_csv_bytes(report),
                           file_name=f"problems_{source.name}.csv", mime=CSV_MIME, key="imp_report")
    if result.committed and result.rejected_rows:
        rejected = io.BytesIO()
        write_rejected(source, result.issues, result.rejected_rows, rejected, lang=lang, header_row=result.header_row)
        with buttons[1]:
            st.download_button(t("imports.download_rejected"), rejected.getvalue(),
                               file_name=f"rejected_{source.name}.csv", mime=CSV_MIME, key="imp_rejected")


def _upload_section(uploaded: object) -> None:
    """Preview of the uploaded file, the options, the check and import buttons, the outcome."""
    data = uploaded.getvalue()
    source = Source.from_bytes(uploaded.name, data)
    try:
        head, mapping, ignored, layout = preview(source, spec, PREVIEW_ROWS)
    except FileProblem as problem:
        st.error(tm("imports.file_problem", problem=describe(problem.code, lang, **problem.params)))
        return
    st.subheader(t("imports.preview", rows=PREVIEW_ROWS))
    st.dataframe(head.drop(columns=["_row"]), hide_index=True, width="stretch")
    st.caption(md(layout_text(layout, lang)))  # may name the file's own header cells
    st.caption(tm("imports.mapping", columns=join_list(
        f"{header} → {spec.column_spec(field).zh if lang == 'zh' else spec.column_spec(field).en}"
        for field, header in mapping.items()
    )))
    if ignored:
        st.warning(tm("imports.ignored", columns=join_list(ignored)))

    options = st.columns([2, 3], vertical_alignment="bottom")
    with options[0]:
        st.caption(t("imports.user_as", name=md_escape(current_actor().display_name)))
    with options[1]:
        accept_valid = st.checkbox(t("imports.accept_valid"), key="imp_accept")
    actions = st.columns([1, 1, 4])
    check_clicked = actions[0].button(t("imports.validate"), key="imp_check", icon=":material/fact_check:")
    import_clicked = actions[1].button(t("imports.commit"), key="imp_commit", type="primary",
                                       icon=":material/upload:")
    run_id = (source.name, len(data), kind)
    if check_clicked or import_clicked:
        status = st.empty()
        try:
            result = run_import(
                source, kind, engine=get_engine(), dry_run=not import_clicked,
                accept_valid_rows=accept_valid, actor=current_actor(),
                progress=lambda rows: status.caption(t("imports.running", rows=fmt_number(rows))),
            )
        except PermissionDenied as error:
            st.error(refusal_text(error), icon=":material/lock:")
        except Exception as error:  # e.g. the database went away: rolled back, say so
            logging.getLogger(__name__).exception("import of %s failed", source.name)
            if is_lock_error(error):  # another import's merge held the write lock all along
                st.error(t("imports.busy"))
            else:
                st.error(tm("imports.failed", error=type(error).__name__))
        else:
            st.session_state[RESULT_KEY] = (run_id, result)
        status.empty()
        clear_all()  # every page (and the history below) reads the new data on its next run
        if st.session_state.get(RESULT_KEY, (None, None))[1] is not None and \
                st.session_state[RESULT_KEY][1].committed and st.session_state[RESULT_KEY][0] == run_id:
            st.rerun()  # the sidebar's periods and the freshness stamp include the new data
    last = st.session_state.get(RESULT_KEY)
    if last is not None and last[0] == run_id:
        _show_result(last[1], source)


if uploaded is None:
    st.info(t("imports.upload_hint"))
else:
    _upload_section(uploaded)

st.divider()
st.subheader(t("imports.history"))
history = cached(imports.import_history, domains=DATA_DOMAINS, limit=50)
if history.empty:
    st.info(t("imports.history_empty"))
else:
    outcome = pd.Series("imported", index=history.index)
    outcome[history["rows_rejected"] > 0] = "partial"
    nothing = history[["rows_added", "rows_updated", "rows_unchanged"]].sum(axis=1) == 0
    outcome[(history["rows_rejected"] > 0) & nothing] = "rejected"
    outcome[history["dry_run"]] = "dry_run"
    shown = history.assign(
        kind=history["kind"].map(lambda k: t(f"imports.kind.{k}") if k in KINDS else k),
        outcome=outcome.map(lambda o: t(f"imports.outcome.{o}")),
        file_sha256=history["file_sha256"].str[:12],
        imported_at=history["imported_at"].dt.strftime("%Y-%m-%d %H:%M:%S"),
    )
    # The file hash stays in the import log (and the audit); the grid fits 1440 px without it.
    columns = ["imported_at", "imported_by", "kind", "file_name", "outcome", "rows_added", "rows_updated",
               "rows_unchanged", "rows_rejected"]
    widths = {"imported_at": 150, "imported_by": 90, "kind": 100, "file_name": 190, "outcome": 90}
    st.dataframe(
        shown[columns].rename(columns={c: t(f"imports.col.{c}") for c in columns}),
        hide_index=True, width="stretch", placeholder="—",
        column_config={t(f"imports.col.{c}"): st.column_config.Column(width=w) for c, w in widths.items()}
        | {t(f"imports.col.{c}"): st.column_config.NumberColumn(format="%,d", width=72)
           for c in ("rows_added", "rows_updated", "rows_unchanged", "rows_rejected")},
    )
