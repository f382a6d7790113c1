"""Altair charts built and validated once per distinct input, not on every rerun (issue 14).

Building an Altair chart and turning it into Vega-Lite (``to_dict`` validates the whole spec
against the JSON schema) cost about 100 ms of every warm ``/sales`` rerun. ``chart_spec(build,
*args, **kwargs)`` returns the Vega-Lite dict that ``st.altair_chart(build(*args, **kwargs))``
would send, and remembers it under a fingerprint of the builder and *all* its inputs (data
frames by content) plus the UI language, which builders read through ``t()``. A spec is
therefore only ever reused for exactly the same data and labels: another user's or period's
figures differ in the frame and never hit. ``show_chart(spec, ...)`` hands a copy of it to
``st.vega_lite_chart``, which takes the same options as ``st.altair_chart``.

Validation stays on: a chart is validated the first time its inputs are seen.
"""

from __future__ import annotations

import copy
import datetime as dt
import enum
import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from components.i18n import get_language

MAX_SPECS = 256  # a spec is a few kB plus its Arrow-serialised data: bounded memory
_specs: OrderedDict[tuple, dict[str, Any]] = OrderedDict()
_lock = threading.Lock()


def _frame_digest(frame: pd.DataFrame | pd.Series) -> str:
    try:
        values = pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes()
    except TypeError:  # unhashable cells (lists, dicts): fall back to the pickled frame
        values = pickle.dumps(frame)
    return hashlib.blake2b(values, digest_size=16).hexdigest()


def fingerprint(value: Any) -> tuple:
    """A hashable key that equals another only for equal inputs (types included: 1, 1.0 and True differ)."""
    if isinstance(value, pd.DataFrame):
        return ("frame", tuple(map(str, value.columns)), tuple(map(str, value.dtypes)), str(value.index.dtype),
                _frame_digest(value))
    if isinstance(value, pd.Series):
        return ("series", str(value.name), str(value.dtype), _frame_digest(value))
    if isinstance(value, dict):
        return ("dict", tuple((fingerprint(k), fingerprint(v)) for k, v in value.items()))
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        return (type(value).__name__, tuple(fingerprint(v) for v in items))
    if isinstance(value, enum.Enum):
        return ("enum", type(value).__qualname__, value.name)
    if value is None or isinstance(value, str | bytes | bool | int | float | dt.date | dt.datetime | dt.time):
        return (type(value).__name__, value)
    if callable(value):
        return ("callable", getattr(value, "__module__", ""), getattr(value, "__qualname__", repr(value)))
    return ("repr", type(value).__qualname__, repr(value))


def _to_vega_lite(chart: Any) -> dict[str, Any]:
    # Exactly what st.altair_chart sends: Streamlit's own conversion (data as Arrow datasets).
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

    return _convert_altair_to_vega_lite_spec(chart)


def chart_spec(build: Callable[..., Any], /, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """The Vega-Lite spec of ``build(*args, **kwargs)`` (an Altair chart), built once per distinct input."""
    key = (build.__module__, build.__qualname__, get_language(), fingerprint(args), fingerprint(kwargs))
    with _lock:
        spec = _specs.get(key)
        if spec is not None:
            _specs.move_to_end(key)
            return spec
    spec = _to_vega_lite(build(*args, **kwargs))
    with _lock:
        _specs[key] = spec
        while len(_specs) > MAX_SPECS:
            _specs.popitem(last=False)
    return spec


def show_chart(spec: dict[str, Any], **options: Any) -> Any:
    """``st.vega_lite_chart`` of a spec from :func:`chart_spec` (options as for ``st.altair_chart``)."""
    # A copy: Streamlit adjusts the spec it is given; the cached one must stay as built.
    return st.vega_lite_chart(spec=copy.deepcopy(spec), **options)


def clear() -> None:
    with _lock:
        _specs.clear()
