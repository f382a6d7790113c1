"""Read what AppTest captured of charts and maps: Vega-Lite specs with their data, deck.gl JSON."""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa


def vega_spec(at: Any, index: int = 0) -> dict[str, Any]:
    """The Vega-Lite spec of the ``index``-th Altair/Vega chart on the page."""
    return json.loads(at.get("vega_lite_chart")[index].proto.spec)


def vega_rows(at: Any, index: int = 0) -> list[dict[str, Any]]:
    """All data rows sent with the ``index``-th chart (Streamlit ships them as Arrow datasets)."""
    proto = at.get("vega_lite_chart")[index].proto
    rows: list[dict[str, Any]] = []
    for dataset in proto.datasets:
        rows.extend(pa.ipc.open_stream(dataset.data.data).read_all().to_pylist())
    if proto.data.data:
        rows.extend(pa.ipc.open_stream(proto.data.data).read_all().to_pylist())
    return rows


def deck_json(at: Any, index: int = 0) -> dict[str, Any]:
    """The deck.gl JSON (layers, data, view state) of the ``index``-th pydeck map."""
    return json.loads(at.get("deck_gl_json_chart")[index].proto.json)
