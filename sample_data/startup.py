"""First start on the default SQLite file: generate the sample county once.

Called by the app's start-up (``components.shell``), never by the data layer: ``data_access``
knows nothing of the sample county.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from data_access.db import DEFAULT_SQLITE_PATH, database_url, ensure_database, get_engine, has_data, is_default_database

_create_lock = threading.Lock()
_ready: set[str] = set()  # URLs prepared by this process (server start, or the first session)


@dataclass
class SampleBuild:
    """Where the first-start generation is: the stage under way and steps done (shared by sessions)."""

    stage: str = "county"
    done: int = 0
    total: int = 1
    finished: bool = False
    error: str | None = None
    started: float = field(default_factory=time.monotonic)

    @property
    def fraction(self) -> float:
        if self.finished and self.error is None:
            return 1.0
        return max(0.0, min(0.99, self.done / max(self.total, 1)))

    def update(self, stage: str, done: int, total: int) -> None:
        self.stage, self.done, self.total = stage, done, total


_build: SampleBuild | None = None
_build_lock = threading.Lock()


def needs_sample_county(url: str | None = None) -> bool:
    """Whether ``url`` is the default SQLite file and still has no data (first start)."""
    url = url or database_url()
    return url not in _ready and is_default_database(url) and not has_data(get_engine(url))


def start_sample_county(url: str | None = None, *,
                        generate: Callable[[SampleBuild], None] | None = None) -> SampleBuild | None:
    """Generate the sample county in a background thread, once per process; None when not needed.

    Every session asks for the same :class:`SampleBuild` and shows its progress, so a page
    can draw a progress bar instead of blocking with nothing on screen. ``generate``
    replaces the real generation in tests.
    """
    global _build
    url = url or database_url()
    with _build_lock:
        if _build is not None and not (_build.finished and _build.error is None):
            return _build
        if not needs_sample_county(url):
            return None
        build = _build = SampleBuild()

    def run() -> None:
        try:
            if generate is not None:
                generate(build)
            else:
                ensure_sample_county(url, on_stage=build.update)
        except Exception as error:  # shown on the progress page instead of a silent hang
            build.error = f"{type(error).__name__}: {error}"
        finally:
            build.finished = True

    threading.Thread(target=run, name="sample-county", daemon=True).start()
    return build


def ensure_sample_county(url: str | None = None, *, progress: bool = False,
                         on_stage: Callable[[str, int, int], None] | None = None) -> Engine:
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
                generate_into_file(DEFAULT_SQLITE_PATH, scale="demo", progress=progress, on_stage=on_stage)
    engine = ensure_database(url)
    if is_default_database(url):
        _demo_accounts_for_an_older_sample(engine)
    _ready.add(url)
    return engine


def _demo_accounts_for_an_older_sample(engine: Engine) -> None:
    """A sample county generated before sign-in existed gets its demo accounts (README) once."""
    from sqlmodel import Session, select

    from data_access.models.access import AppUser
    from sample_data.demo_accounts import create_demo_accounts

    with Session(engine) as session:
        if session.exec(select(AppUser.id).limit(1)).first() is not None:
            return
    create_demo_accounts(engine)
