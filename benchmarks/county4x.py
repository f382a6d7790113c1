"""A county four times the size, synthesised from the county database (issue 14).

``python -m benchmarks.county4x`` copies ``benchmarks/work/county.sqlite`` and adds three more
copies of its people and shops: every department, customer manager and retailer is cloned
three times (new ids, codes and names with a suffix "·2", "·3", "·4") together with all their
rows: order lines and order headers, visits, visit plans, GPS tracks, inspections, photos, POS
reconciliations, plans, scores and every pre-aggregated table. Products, configuration and the
county-wide brand forecasts are shared (the forecasts are scaled by 4, as the sales are).

Every aggregate is cloned with its raw rows, so aggregates still equal the raw lines; the
result has 20 departments, 52 managers, 11,200 retailers and 4x the order lines. Generating a
true 4x county with ``sample_data.generate`` would take hours on 2 cores; this takes minutes.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
import time
from pathlib import Path

from benchmarks.common import COUNTY_DB, WORK, county_database_url

COUNTY4X_DB = WORK / "county4x.sqlite"
COPIES = 3  # clones added to the original: 4x in all

# Columns that point at a cloned entity, by the table they point at.
ENTITY_COLUMNS = {
    "department": ("department_id",),
    "customer_manager": ("manager_id", "inspector_id"),
    "retailer": ("retailer_id",),
    "terminal_inspection": ("inspection_id",),
}
# Tables that are not cloned (shared by the whole county, or empty in the benchmark database).
SHARED = {"product", "config_setting", "data_version", "brand_forecast", "app_user", "audit_entry", "import_log",
          "meeting_snapshot", "user_session"}
# Text columns that must stay unique (or tell the clones apart on screen): a suffix per copy.
SUFFIXED = {
    "department": ("code", "name", "name_en"),
    "customer_manager": ("code", "name", "area_name"),
    "retailer": ("licence_no", "customer_code", "shop_name"),
}


def _tables(con: sqlite3.Connection) -> list[str]:
    rows = con.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'").fetchall()
    return [name for (name,) in rows]


def _columns(con: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in con.execute(f'PRAGMA table_info("{table}")')]


def _clone_select(table: str, columns: list[str], copy: int, offsets: dict[str, int]) -> str:
    """The SELECT that produces copy ``copy`` of every original row of ``table``."""
    owner_of = {column: entity for entity, names in ENTITY_COLUMNS.items() for column in names}
    parts = []
    for column in columns:
        quoted = f'"{column}"'
        if column == "id":
            parts.append(f"{quoted} + {copy * offsets[table]}")
        elif column in owner_of:
            parts.append(f"{quoted} + {copy * offsets[owner_of[column]]}")
        elif column in SUFFIXED.get(table, ()):
            parts.append(f"CASE WHEN {quoted} IS NULL THEN NULL ELSE {quoted} || '·{copy + 1}' END")
        elif table == "department" and column == "sort_order":
            parts.append(f"{quoted} + {copy * 100}")
        else:
            parts.append(quoted)
    return f'SELECT {", ".join(parts)} FROM "{table}" WHERE id <= {offsets[table] - 1}'


def synthesise(source: Path, target: Path, *, progress: bool = True) -> None:
    """Write the 4x county into ``target`` (through a temporary file, moved into place at the end)."""
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    shutil.copyfile(source, tmp)
    for suffix in ("-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{tmp}{suffix}")
    con = sqlite3.connect(tmp, isolation_level=None)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-1048576")  # 1 GiB
    con.execute("PRAGMA temp_store=MEMORY")
    tables = [t for t in _tables(con) if t not in SHARED and "id" in _columns(con, t)]
    # Offsets: one more than the largest id, so clone k of row i is i + k * offset.
    offsets = {t: int(con.execute(f'SELECT coalesce(max(id), 0) + 1 FROM "{t}"').fetchone()[0]) for t in tables}
    con.execute("BEGIN")
    for table in sorted(tables, key=lambda t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]):
        columns = _columns(con, table)
        started = time.perf_counter()
        for copy in range(1, COPIES + 1):
            names = ", ".join(f'"{c}"' for c in columns)
            con.execute(f'INSERT INTO "{table}" ({names}) {_clone_select(table, columns, copy, offsets)}')
        if progress:
            print(f"  {table}: x{COPIES + 1} in {time.perf_counter() - started:.0f} s", flush=True)
    con.execute("UPDATE brand_forecast SET forecast_cases = forecast_cases * ?", (COPIES + 1,))
    con.execute("UPDATE data_version SET version = version + 1")
    con.execute("COMMIT")  # no ANALYZE: the county has no statistics either, so both get the same plans
    con.close()
    os.replace(tmp, target)


def county4x_database_url() -> str:
    """SQLite URL of the 4x county, synthesising it first if needed (after the county itself)."""
    county_database_url()
    with open(WORK / "county4x.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not COUNTY4X_DB.exists():
            started = time.perf_counter()
            synthesise(COUNTY_DB, COUNTY4X_DB)
            print(f"4x county synthesised in {time.perf_counter() - started:.0f} s")
    return f"sqlite:///{COUNTY4X_DB}"


if __name__ == "__main__":
    print(county4x_database_url())
