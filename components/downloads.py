"""Download buttons whose file is built when the user clicks, not on every run of the page.

``st.download_button(data=callable)`` (Streamlit ≥ 1.5x, checked on 1.67) registers the
callable for this session and runs it, on a server thread, only when the button is clicked.
A workbook costs tens of milliseconds of xlsxwriter on every rerun otherwise (issue 14).

The callable runs outside the script: no Streamlit command, no ``t()`` (which would read the
process's last language there) and no query may happen inside it. Callers therefore pass
frames and titles already translated and computed; only the bytes are deferred.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import pandas as pd
import streamlit as st

from components import export


def _no_rerun(button: dict[str, object]) -> dict[str, object]:
    # A click must not rerun the script: a rerun replaces every deferred file id of the session,
    # so a second download button clicked next would send an id the server has just dropped.
    return {"on_click": "ignore", **button}


def excel_download(label: str, sheets: Mapping[str, pd.DataFrame], *, file_name: str, title: str | None = None,
                   **button: object) -> None:
    """An Excel download of ``sheets`` (see ``components.export.to_excel_bytes``), built on click."""
    st.download_button(label, functools.partial(export.to_excel_bytes, dict(sheets), title=title),
                       file_name=file_name, mime=export.XLSX_MIME, **_no_rerun(button))


def csv_download(label: str, frame: pd.DataFrame, *, file_name: str, **button: object) -> None:
    """A CSV download of ``frame`` (UTF-8 with BOM, ``components.export.to_csv_bytes``), built on click."""
    st.download_button(label, functools.partial(export.to_csv_bytes, frame), file_name=file_name,
                       mime=export.CSV_MIME, **_no_rerun(button))
