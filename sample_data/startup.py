"""First start on the default SQLite file: generate the sample county once.

Called by the app's start-up (``components.shell``), never by the data layer: ``data_access``
knows nothing of the sample county.
"""

from __future__ import annotations

import threading

from sqlalchemy.engine import Engine

from data_access.db import DEFAULT_SQLITE_PATH, database_url, ensure_database, get_engine, has_data, is_default_database

_create_lock = threading.Lock()
_ready: set[str] = set()  # URLs prepared by this process (server start, or the first session)


def ensure_sample_county(url: str | None = None, *, progress: bool = False) -> Engine:
    """A ready engine; an empty default SQLite file is filled with the demo county first.

    The demo is generated into a temporary file and moved into place, so a crash or a second
    process never sees a half-built database. Any other database is only prepared.
    """
    url = url or database_url()
    if url in _ready:  # prepared when the server started (serve.py): nothing left for a visitor to wait for
        return get_engine(url)
    if is_default_database(url) and not has_data(get_engine(url)):
        with _create_lock:
            engine = get_engine(url)
            if not has_data(engine):
                from sample_data.generate import generate_into_file  # heavy import, first run only

                get_engine.cache_clear()
                engine.dispose()
                generate_into_file(DEFAULT_SQLITE_PATH, scale="demo", progress=progress)
    engine = ensure_database(url)
    _ready.add(url)
    return engine
