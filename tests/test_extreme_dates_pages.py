"""Every page survives dates that are in the database anyway (issue 16).

A year-1 date that once arrived through the import page made every page, the import page
included, show "ValueError: year out of range". Imports refuse such dates now
(tests/test_loaders_dates.py), but rows can still arrive by other ways (SQL, an old
version, a restore): here a copy of the test county gets, in every table with a date, one
row dated 0001-01-01 and one dated 9999-12-31, and every page must still render.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from sqlalchemy import Date, DateTime, MetaData, insert, select, update
from sqlalchemy.exc import IntegrityError

from data_access.db import get_engine
from tests.test_shell import PAGES

EXTREMES = (dt.datetime(1, 1, 1, 0, 0), dt.datetime(9999, 12, 31, 23, 59, 59))
SKIPPED_TABLES = {"config_setting", "data_version"}


def add_extreme_dates(url: str) -> int:
    """Copy one row of every table with a date column, once per extreme date; rows added."""
    engine = get_engine(url)
    meta = MetaData()
    meta.reflect(engine)
    added = 0
    with engine.begin() as conn:
        for table in meta.sorted_tables:
            dated = [c.name for c in table.c if isinstance(c.type, Date | DateTime)]
            if not dated or table.name in SKIPPED_TABLES:
                continue
            rows = conn.execute(select(table).limit(2)).mappings().all()
            for row, moment in zip(rows, EXTREMES, strict=False):
                dates = {name: moment if isinstance(table.c[name].type, DateTime) else moment.date() for name in dated}
                values = {k: v for k, v in row.items() if not table.c[k].primary_key}
                try:
                    with conn.begin_nested():
                        conn.execute(insert(table).values({**values, **dates}))
                except IntegrityError:  # other unique columns (codes): re-date the row itself
                    key = [table.c[k] == row[k] for k in row if table.c[k].primary_key]
                    conn.execute(update(table).where(*key).values(dates))
                added += 1
    return added


@pytest.fixture(scope="module")
def extreme_db_url(sample_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("extreme") / "extreme.sqlite"
    with sqlite3.connect(sample_db_url.removeprefix("sqlite:///")) as source, sqlite3.connect(path) as copy:
        source.backup(copy)
    url = f"sqlite:///{path}"
    assert add_extreme_dates(url) >= 20
    return url


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_year_1_and_year_9999_rows(app_factory, extreme_db_url: str, page: str) -> None:
    at = app_factory(extreme_db_url, page=page)
    assert not at.exception, [e.value for e in at.exception]
    # the sidebar's periods stay in the plausible years
    periods = at.selectbox(key="flt_period").options if page != "pages/meeting.py" else []
    assert not [p for p in periods if p.startswith(("0001", "9999"))]
    # no headline, stamp or selector shows those years as "the latest" (the import history may list them)
    if page != "pages/data_import.py":
        shown = [e.value for kind in ("title", "caption", "markdown", "metric", "selectbox", "subheader")
                 for e in getattr(at, kind) if isinstance(getattr(e, "value", None), str)]
        shown += [str(e.value) for e in at.selectbox]
        assert not [text for text in shown if "9999" in text or "0001-" in text]


def test_the_shell_offers_the_real_months(app_factory, extreme_db_url: str) -> None:
    at = app_factory(extreme_db_url)
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params.get("period") == "2026-11"  # not 9999-12
