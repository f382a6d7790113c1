"""The one place data_access touches Streamlit: caching of read queries.

Query functions stay plain (``fn(*, session, **filters) -> DataFrame``) and testable
without Streamlit. Pages call them through :func:`cached`, which keys the cache on the
database URL, the function, its arguments and the change counters of the data domains the
query reads, so an import or the live feed shows up on the next rerun without a restart.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st
from sqlmodel import Session

from data_access.db import data_versions, database_url, get_engine

T = TypeVar("T")
_REGISTRY: dict[str, Callable[..., Any]] = {}


@st.cache_data(ttl=2, max_entries=16, show_spinner=False)
def _versions(url: str) -> dict[str, int]:
    # Re-read at most every 2 s: one tiny query instead of one per cached call.
    return data_versions(get_engine(url))


@st.cache_data(ttl=3600, max_entries=512, show_spinner=False)
def _call(name: str, url: str, versions: tuple[tuple[str, int], ...], kwargs: tuple[tuple[str, Any], ...]) -> Any:
    with Session(get_engine(url)) as session:
        return _REGISTRY[name](session=session, **dict(kwargs))


def cached(fn: Callable[..., T], *, domains: tuple[str, ...], **kwargs: Any) -> T:
    """Run read query ``fn(session=..., **kwargs)`` through the cache.

    ``domains`` names what the query reads (see ``data_access.db.DATA_DOMAINS``); the result
    is recomputed when any of them changes. Never mutate the returned object.
    """
    name = f"{fn.__module__}.{fn.__qualname__}"
    _REGISTRY.setdefault(name, fn)
    url = database_url()
    all_versions = _versions(url)
    versions = tuple((d, all_versions.get(d, 0)) for d in sorted(domains))
    return _call(name, url, versions, tuple(sorted(kwargs.items())))


def clear_all() -> None:
    """Drop every cached result (benchmarks' "cold" runs, tests)."""
    _call.clear()
    _versions.clear()


def refresh_versions() -> None:
    """Re-read the data versions on the next call (after a write in this process)."""
    _versions.clear()
