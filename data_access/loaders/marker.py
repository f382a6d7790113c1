"""The "import in progress" marker, so a writer that meets the SQLite write lock can say why.

An import writes a small JSON file beside the SQLite database while it runs (kind, file,
start, and since when it holds the write lock for its final merge), and removes it when
it ends. Other processes (the server, the CLI) read it; a marker whose process is gone
(``kill -9``) is ignored and removed. Writing it needs no database lock. For other
databases (PostgreSQL has row locks, no database-wide write lock) the marker lives in
this process only.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy.engine import Engine

_LOCAL: dict[str, ImportMarker] = {}


@dataclass(frozen=True)
class ImportMarker:
    """A running import: what, since when, and since when it holds the write lock (or None)."""

    kind: str
    file_name: str
    started_at: dt.datetime
    merging_since: dt.datetime | None = None
    pid: int = 0

    def running_for(self, now: dt.datetime | None = None) -> dt.timedelta:
        return (now or dt.datetime.now()) - self.started_at


def _path(engine: Engine) -> Path | None:
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:":
        return None
    return Path(database).with_name(Path(database).name + ".import-running.json")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    return True


def _write(engine: Engine, marker: ImportMarker | None) -> None:
    path = _path(engine)
    key = str(engine.url)
    if path is None:
        if marker is None:
            _LOCAL.pop(key, None)
        else:
            _LOCAL[key] = marker
        return
    try:
        if marker is None:
            path.unlink(missing_ok=True)
            return
        data = {k: (v.isoformat() if isinstance(v, dt.datetime) else v) for k, v in asdict(marker).items()}
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    except OSError:  # a read-only folder: the marker is a courtesy, never a reason to fail an import
        pass


def current_import(engine: Engine) -> ImportMarker | None:
    """The import running on ``engine``'s database, or None."""
    path = _path(engine)
    if path is None:
        return _LOCAL.get(str(engine.url))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        marker = ImportMarker(
            kind=str(data["kind"]), file_name=str(data["file_name"]),
            started_at=dt.datetime.fromisoformat(data["started_at"]),
            merging_since=dt.datetime.fromisoformat(data["merging_since"]) if data.get("merging_since") else None,
            pid=int(data.get("pid", 0)),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if marker.pid and not _alive(marker.pid):
        return None  # left by a killed import
    return marker


@contextmanager
def marking_import(engine: Engine, kind: str, file_name: str) -> Iterator[callable]:
    """Mark an import as running for its duration; yields ``merging()`` to call on taking the lock."""
    marker = ImportMarker(kind=kind, file_name=file_name[:200], started_at=dt.datetime.now().replace(microsecond=0),
                          pid=os.getpid())
    _write(engine, marker)

    def merging() -> None:
        nonlocal marker
        marker = ImportMarker(**{**asdict(marker), "merging_since": dt.datetime.now().replace(microsecond=0)})
        _write(engine, marker)

    try:
        yield merging
    finally:
        _write(engine, None)
