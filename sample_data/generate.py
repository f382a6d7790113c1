"""Deterministic sample county: ``python -m sample_data.generate --scale test|demo|county``.

Same seed, end date and scale give the same data, row for row. Every random draw comes
from a ``numpy`` PCG64 stream derived from the seed (see ``common.child_rng``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, event, func, make_url, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel
from tqdm import tqdm

from data_access.aggregates import refresh_derived_sales, refresh_visit_aggregates
from data_access.db import (
    DATA_DOMAINS,
    DEFAULT_SQLITE_PATH,
    bump_data_version,
    create_schema,
    drop_schema,
    has_data,
)
from data_access.gps_summary import refresh_gps_day_summary
from data_access.rules.calendar import add_months
from sample_data import plans as plan_data
from sample_data import terminals
from sample_data.common import child_rng
from sample_data.county import County, build_county, route_slots
from sample_data.demand import product_mix
from sample_data.demo_accounts import create_demo_accounts
from sample_data.field import FieldWork
from sample_data.orders import OrderBook
from sample_data.products import Catalogue, build_catalogue
from sample_data.sales_sums import TABLES, DailySales
from sample_data.scales import SCALES
from sample_data.visits import ANOMALY_RATES
from sample_data.writer import BulkWriter

DEFAULT_SEED = 20261123
# The stages ``generate`` reports, in order (the first-start page names them).
STAGES = ("county", "master", "orders", "field", "plans", "indexes", "done")
StageCallback = Callable[[str, int, int], None]
__all__ = ["ANOMALY_RATES", "DEFAULT_SEED", "SCALES", "STAGES", "GenerationReport", "data_window", "generate", "generate_into_file"]


@dataclass
class GenerationReport:
    scale: str
    seed: int
    start: dt.date
    end: dt.date
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    phases: dict[str, list[float]] = field(default_factory=dict)  # [wall s, CPU s of this process] per phase

    def _tick(self, phase: str, since: tuple[float, float]) -> tuple[float, float]:
        now = (time.perf_counter(), time.process_time())
        spent = self.phases.setdefault(phase, [0.0, 0.0])
        spent[0] += now[0] - since[0]
        spent[1] += now[1] - since[1]
        return now

    def summary(self) -> str:
        lines = [f"scale={self.scale} seed={self.seed} data {self.start}..{self.end}"]
        lines += [f"  {table:<30} {count:>12,}" for table, count in sorted(self.rows.items())]
        lines.append("phases (wall / CPU s): " + ", ".join(f"{k} {w:.1f}/{c:.1f}" for k, (w, c) in self.phases.items()))
        lines.append(f"elapsed {self.seconds:.1f} s")
        return "\n".join(lines)


def data_window(scale: str, end_date: dt.date | None = None, months: int | None = None) -> tuple[dt.date, dt.date]:
    """First and last day of the data: ``months`` calendar months ending with end_date's month."""
    spec = SCALES[scale]
    end = end_date or dt.date.today()
    n_months = months or spec.months or 12 + end.month  # demo: from 1 January of last year
    return add_months(end.replace(day=1), -(n_months - 1)), end


def generate(
    engine: Engine,
    *,
    scale: str = "demo",
    seed: int = DEFAULT_SEED,
    end_date: dt.date | None = None,
    months: int | None = None,
    progress: bool = False,
    on_stage: StageCallback | None = None,
) -> GenerationReport:
    """Create the schema and fill every table with a realistic county up to ``end_date``.

    The database must be empty (the CLI drops the schema first). Everything is written in
    one transaction, so a failure leaves no half-filled tables. ``on_stage(stage, done, total)``
    is called as each stage of :data:`STAGES` begins (``done`` of ``total`` steps finished).
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")
    started, cpu_started = time.perf_counter(), time.process_time()
    report_stage = on_stage or (lambda _stage, _done, _total: None)
    report_stage("county", 0, 1)
    start, end = data_window(scale, end_date, months)
    create_schema(engine)
    if has_data(engine):
        raise RuntimeError("the database already holds retailers; drop the schema before generating")
    county = build_county(SCALES[scale], seed, start, end)
    catalogue = build_catalogue(child_rng(seed, "catalogue"))
    mix = product_mix(county, catalogue, child_rng(seed, "product-mix"), assortment=SCALES[scale].assortment)
    last_plan_month = max(dt.date(end.year, 12, 1), add_months(end.replace(day=1), 1))
    book = OrderBook(county, catalogue, mix, plan_until=last_plan_month)
    fieldwork = FieldWork(county, route_slots(county))
    months_list = book.totals.months
    report = GenerationReport(scale=scale, seed=seed, start=start, end=end)
    bar = tqdm(total=2 * len(months_list) + 4, disable=not progress, unit="step", desc=f"sample county ({scale})")

    def stage(name: str) -> None:
        report_stage(name, bar.n, bar.total)

    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:  # rows are consistent by construction; skip per-row foreign-key lookups
            foreign_keys = conn.exec_driver_sql("PRAGMA foreign_keys").scalar()
            cache_size = conn.exec_driver_sql("PRAGMA cache_size").scalar()
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.exec_driver_sql("PRAGMA cache_size=-262144")  # 256 MB while loading and indexing
            conn.commit()
        try:
            with conn.begin():
                writer = BulkWriter(conn)
                writer.drop_secondary_indexes()
                stage("master")
                _write_master_data(writer, county, catalogue)
                bar.update()
                stage("orders")
                t = report._tick("setup", (started, cpu_started))
                daily = DailySales(county, catalogue)
                for month in months_list:
                    orders, lines = book.month(month)
                    t = report._tick("orders (generate)", t)
                    writer.insert("retail_order", orders)
                    writer.insert("order_line", lines)
                    t = report._tick("orders (insert)", t)
                    daily.add(lines)
                    t = report._tick("sales aggregates", t)
                    bar.update()
                    stage("orders")
                # The daily tables from the lines in memory (sample_data/sales_sums.py), the
                # rest derived from them in SQL exactly as every other writer does.
                for table in TABLES:
                    writer.insert(table, daily.columns(table))
                refresh_derived_sales(conn)
                t = report._tick("sales aggregates", t)
                stage("field")
                for month in months_list:
                    work = fieldwork.month(month)
                    t = report._tick("field work (generate)", t)
                    for table, columns in work.items():
                        writer.insert(table, columns)
                    t = report._tick("field work (insert)", t)
                    bar.update()
                    stage("field")
                stage("plans")
                for table, columns in {**plan_data.plans(county, catalogue, book),
                                       "brand_forecast": plan_data.forecasts(county, catalogue, book),
                                       **plan_data.group_scores(county)}.items():
                    writer.insert(table, columns)
                bar.update()
                for table, columns in {**terminals.inspections(county), "terminal_photo": terminals.photos(county),
                                       "pos_reconciliation": terminals.pos_reconciliation(county, book.totals)}.items():
                    writer.insert(table, columns)
                bar.update()
                t = report._tick("plans, terminals, scores", t)
                stage("indexes")
                writer.create_secondary_indexes()
                t = report._tick("indexes", t)
                refresh_visit_aggregates(conn)  # after the indexes: it looks visits up per plan
                refresh_gps_day_summary(conn)  # after the indexes; route statistics read it
                writer.reset_sequences()
                t = report._tick("visit and GPS aggregates", t)
                report.rows = dict(writer.counts)
                for table in SQLModel.metadata.sorted_tables:  # aggregates and anything else filled on the way
                    if table.name not in report.rows:
                        count = int(conn.execute(select(func.count()).select_from(table)).scalar_one())
                        if count:
                            report.rows[table.name] = count
                bar.update()
        finally:
            if sqlite:  # the connection goes back to the pool as it came
                conn.exec_driver_sql(f"PRAGMA foreign_keys={int(foreign_keys)}")
                conn.exec_driver_sql(f"PRAGMA cache_size={int(cache_size)}")
                conn.commit()
    with Session(engine) as session:
        bump_data_version(session, *DATA_DOMAINS)
        session.commit()
    create_demo_accounts(engine)
    bar.close()
    report_stage("done", bar.total, bar.total)
    report.seconds = time.perf_counter() - started
    return report


def _write_master_data(writer: BulkWriter, county: County, catalogue: Catalogue) -> None:
    d = county.departments
    writer.insert("department", {c: d[c].to_numpy() for c in ("id", "code", "name", "name_en", "sort_order")})
    m = county.managers
    writer.insert("customer_manager", {**{c: m[c].to_numpy() for c in ("id", "code", "name", "department_id", "grade",
                                                                       "area_name")}, "active": [True] * len(m)})
    r = county.retailers
    upgraded = r["upgraded_day"].to_numpy()
    writer.insert("retailer", {
        **{c: r[c].to_numpy() for c in ("id", "licence_no", "customer_code", "shop_name", "owner_name", "address", "town",
                                        "longitude", "latitude", "business_format", "market_type", "tier", "star_rating",
                                        "terminal_level", "online_ordering", "has_pos", "status", "manager_id",
                                        "visit_cycle_days")},
        "licensed_on": r["licensed_day"].to_numpy(),
        "upgraded_on": [None if u < 0 else int(u) for u in upgraded] if (upgraded < 0).any() else upgraded,
    })
    writer.insert("product", {
        "id": list(range(1, len(catalogue) + 1)), "code": catalogue.code, "name": catalogue.name,
        "brand_family": catalogue.family, "price_class": catalogue.price_class, "wholesale_price": catalogue.wholesale,
        "cost_price": catalogue.cost, "retail_price": catalogue.retail, "barcode": catalogue.barcode,
        "is_provincial": catalogue.provincial, "is_key_brand": catalogue.key_brand, "is_new": catalogue.is_new,
    })


def _fast_sqlite_engine(path: Path) -> Engine:
    """An engine for a throw-away build file: no journal, no fsync (the file is renamed when done)."""
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=OFF")
        cur.execute("PRAGMA synchronous=OFF")
        cur.execute("PRAGMA temp_store=MEMORY")
        cur.close()

    return engine


def generate_into_file(
    path: Path,
    *,
    scale: str = "demo",
    progress: bool = False,
    seed: int = DEFAULT_SEED,
    end_date: dt.date | None = None,
    months: int | None = None,
    on_stage: StageCallback | None = None,
) -> GenerationReport:
    """Build a SQLite file beside ``path`` and move it into place when complete.

    Readers never see a half-built database; stale ``-wal``/``-shm`` files of an old
    database at ``path`` are removed first.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")  # matched by .gitignore
    tmp.unlink(missing_ok=True)
    engine = _fast_sqlite_engine(tmp)
    try:
        report = generate(engine, scale=scale, seed=seed, end_date=end_date, months=months, progress=progress,
                          on_stage=on_stage)
    except BaseException:
        engine.dispose()
        tmp.unlink(missing_ok=True)
        raise
    engine.dispose()
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        stale.unlink(missing_ok=True)
    os.replace(tmp, path)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the deterministic sample county.")
    parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--database-url", help=f"target database (default: the SQLite file {DEFAULT_SQLITE_PATH})")
    parser.add_argument("--end-date", type=dt.date.fromisoformat, help="last day of data (default: today)")
    parser.add_argument("--months", type=int, help="calendar months of data up to the end date")
    args = parser.parse_args(argv)
    if args.database_url:
        engine = create_engine(args.database_url)
        drop_schema(engine)  # SQLModel.metadata.drop_all over every model module
        report = generate(engine, scale=args.scale, seed=args.seed, end_date=args.end_date, months=args.months,
                          progress=True)
        engine.dispose()
        target = make_url(args.database_url).render_as_string(hide_password=True)
    else:
        report = generate_into_file(DEFAULT_SQLITE_PATH, scale=args.scale, seed=args.seed, end_date=args.end_date,
                                    months=args.months, progress=True)
        target = f"{DEFAULT_SQLITE_PATH} ({DEFAULT_SQLITE_PATH.stat().st_size / 1e6:.0f} MB)"
    print(report.summary())
    print(f"written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
