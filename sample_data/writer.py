"""Bulk loading through the raw DB-API: sqlite3 ``executemany`` or PostgreSQL ``COPY``.

Rows arrive as columns (numpy arrays or lists). Dates may be day numbers (days since
1970-01-01) or ``date`` objects; timestamps strings or ``datetime`` objects. They are
written in the text forms SQLAlchemy itself uses, so the ORM reads them back unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

import numpy as np
from sqlalchemy import Boolean, Connection, Date, DateTime, Index, text
from sqlalchemy.schema import CreateIndex, DropIndex
from sqlmodel import SQLModel

from sample_data.common import date_strings, from_day_index


class BulkWriter:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.dialect = conn.dialect.name
        self.dbapi = conn.connection.driver_connection
        self.counts: Counter[str] = Counter()
        self._dropped: list[Index] = []

    def drop_secondary_indexes(self) -> None:
        """Drop non-unique indexes: building them once after the load is much cheaper."""
        for table in SQLModel.metadata.sorted_tables:
            for index in sorted(table.indexes, key=lambda i: i.name or ""):
                if not index.unique:
                    self.conn.execute(DropIndex(index, if_exists=True))
                    self._dropped.append(index)

    def create_secondary_indexes(self) -> None:
        for index in self._dropped:
            self.conn.execute(CreateIndex(index, if_not_exists=True))
        self._dropped.clear()

    def insert(self, table: str, columns: dict[str, Sequence]) -> int:
        """Insert column-wise data; returns the number of rows."""
        meta = SQLModel.metadata.tables[table]
        names = list(columns)
        values = [_to_python(meta.c[name].type, columns[name]) for name in names]
        n = len(values[0]) if values else 0
        if n == 0:
            return 0
        rows = zip(*values, strict=True)
        if self.dialect == "sqlite":
            sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
            cur = self.dbapi.cursor()
            cur.executemany(sql, rows)
            cur.close()
        else:
            with self.dbapi.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        self.counts[table] += n
        return n

    def reset_sequences(self) -> None:
        """PostgreSQL: move each id sequence past the ids we wrote explicitly."""
        if self.dialect != "postgresql":
            return
        for table in SQLModel.metadata.sorted_tables:
            if "id" in table.c and table.c["id"].primary_key:
                self.conn.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                         f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)")
                )


def _date_list(days: np.ndarray) -> list[str]:
    """ISO strings for day numbers, one shared ``str`` per distinct day (millions of rows, few days)."""
    if len(days) == 0:
        return []
    first = int(days.min())
    lookup = date_strings(np.arange(first, int(days.max()) + 1)).tolist()
    return list(map(lookup.__getitem__, (days - first).tolist()))


def _to_python(coltype: object, values: Sequence) -> list:
    if isinstance(values, np.ndarray) and values.dtype != object:
        if isinstance(coltype, Date) and values.dtype.kind in "iu":
            return _date_list(values)
        if isinstance(coltype, Boolean):
            return values.astype(bool).tolist()
        return values.tolist()
    out = list(values)
    if isinstance(coltype, Date):
        if all(isinstance(v, (int, np.integer)) for v in out):
            return date_strings(np.array(out, dtype=np.int64)).tolist()
        return [None if v is None else from_day_index(v).isoformat() if isinstance(v, (int, np.integer)) else
                v.isoformat() for v in out]
    if isinstance(coltype, DateTime):
        return [v.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(v, dt.datetime) else v for v in out]
    return [v.item() if isinstance(v, np.generic) else v for v in out]
