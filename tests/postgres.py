"""The PostgreSQL server the tests run against, from ``TEST_DATABASE_URL`` (CI sets it)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from data_access.db import drop_schema, get_engine

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
NO_SERVER_REASON = "TEST_DATABASE_URL is not set (no PostgreSQL server to test against)"
# ``pytestmark = POSTGRES_ONLY`` for modules that test nothing but PostgreSQL parity.
POSTGRES_ONLY = [pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason=NO_SERVER_REASON)]


def build_twins(directory: Path, build: Callable[[str], None]) -> tuple[str, str]:
    """The same data in a new SQLite file and in the (wiped) PostgreSQL test database.

    ``build(url)`` writes it; returns (SQLite URL, PostgreSQL URL).
    """
    sqlite_url = f"sqlite:///{directory / 'twin.sqlite'}"
    drop_schema(get_engine(PG_URL))
    for url in (sqlite_url, PG_URL):
        build(url)
    return sqlite_url, PG_URL


def on_both(urls: tuple[str, str], fn: Callable[..., Any], **kwargs: Any) -> list[Any]:
    """``fn(session=..., **kwargs)`` on each database of ``urls``, in order."""
    results = []
    for url in urls:
        with Session(get_engine(url)) as session:
            results.append(fn(session=session, **kwargs))
    return results
