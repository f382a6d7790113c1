"""Benchmark of the sales trends page's data at county scale (3 years, ~8M order lines).

Run: ``python -m benchmarks.bench_sales``. For a set of filter combinations (period kinds,
partial periods, 3-year ranges, every grain, department and brand filters, both
alignments, every view) it measures all the data one page render needs:

- cold: a new engine (caches cleared), the plain query functions on a fresh session;
- warm: the same calls through ``data_access.cache.cached`` after a first call;
- naive pandas: load the order lines of the range (and its base) and group in pandas;
- DuckDB: the same sums over a DuckDB copy of the order lines (duckdb's sqlite scanner
  needs a download, so the needed columns are copied into ``benchmarks/work/sales_lines.duckdb``
  once; the copy time is reported separately).

Targets: cold ≤ 1.0 s, warm ≤ 50 ms per page render.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import text

from benchmarks.common import WORK, cold_session, county_database_url, machine_description, time_call, write_section
from data_access.aggregates import backfill_missing_aggregates
from data_access.db import create_schema, get_engine
from data_access.queries import sales as q
from data_access.rules.calendar import add_months, month_end
from data_access.rules.sales_periods import (
    DateRange,
    festival_shift_days,
    last_year_range,
    months_touched,
    previous_range,
)

DATA_START, DATA_END = dt.date(2023, 11, 1), dt.date(2026, 11, 20)
COLD_TARGET_MS, WARM_TARGET_MS = 1000.0, 50.0
DUCKDB_FILE = WORK / "sales_lines.duckdb"


@dataclass(frozen=True)
class Combo:
    name: str
    start: dt.date
    end: dt.date
    grain: str
    view: str  # breakdown | structure | plan | movers | forecast | all
    dimension: str = "department"
    department_id: int | None = None
    brand: str | None = None
    alignment: str = "calendar"
    metric: str = "volume"


def page_calls(combo: Combo) -> list[tuple[Callable[..., Any], tuple[str, ...], dict[str, Any]]]:
    """Every (query, domains, arguments) one render of the page makes for ``combo`` (as pages/sales.py)."""
    rng = DateRange(combo.start, combo.end)
    compared = DateRange(rng.start, min(rng.end, DATA_END))
    base = last_year_range(compared, combo.alignment, festival_of=rng)
    previous = previous_range(rng, compared.end)
    common = {"department_id": combo.department_id, "brand_family": combo.brand}
    sales = ("sales", "master")
    calls: list[tuple[Callable[..., Any], tuple[str, ...], dict[str, Any]]] = [
        (q.range_totals, sales, {"start": d.start, "end": d.end, **common}) for d in (compared, base, previous)
    ]
    first, last = months_touched(rng)
    if combo.metric == "plan_completion":
        for d in (rng, last_year_range(rng, "calendar"), previous_range(rng, rng.end)):
            f, la = months_touched(d)
            calls.append((q.monthly_plans, ("plans",), {"first_month": f, "last_month": la, **common}))
    calls.append((q.sales_series, sales, {"start": compared.start, "end": compared.end, "grain": combo.grain,
                                          **common}))
    if combo.alignment == "calendar" or combo.metric == "plan_completion":
        cal = last_year_range(compared, "calendar")
        calls.append((q.sales_series, sales, {"start": cal.start, "end": cal.end, "grain": combo.grain, **common}))
    else:
        calls.append((q.sales_series, sales, {"start": base.start, "end": base.end, "grain": combo.grain,
                                              "shift_days": festival_shift_days(rng), **common}))
    views = ("breakdown", "structure", "plan", "movers", "forecast") if combo.view == "all" else (combo.view,)
    plan_args = {"start": compared.start, "end": compared.end, "first_month": first, "last_month": last,
                 "department_id": combo.department_id}
    for view in views:
        if view == "breakdown":
            for d in (compared, base):
                calls.append((q.breakdown, sales, {"dimension": combo.dimension, "start": d.start, "end": d.end,
                                                   **common}))
            if combo.metric == "plan_completion" and combo.dimension == "department":
                calls.append((q.department_plan_progress, ("sales", "plans", "master"), plan_args))
        elif view == "structure":
            calls += [(q.structure_totals, sales, {"start": d.start, "end": d.end, **common}) for d in (compared, base)]
            mix_start = max(min(compared.start, add_months(compared.end.replace(day=1), -11)), DATA_START)
            calls.append((q.class_mix_by_month, sales, {"start": mix_start, "end": compared.end, **common}))
        elif view == "plan":
            calls.append((q.department_plan_progress, ("sales", "plans", "master"), plan_args))
            calls.append((q.brand_plan_progress, ("sales", "plans", "master"), plan_args))
        elif view == "movers":
            for d in (compared, base):
                calls.append((q.breakdown, sales, {"dimension": "brand", "start": d.start, "end": d.end, **common}))
            calls.append((q.retailer_changes, sales, {"start": compared.start, "end": compared.end,
                                                      "base_start": base.start, "base_end": base.end,
                                                      "department_id": combo.department_id, "limit": 10}))
        elif view == "forecast":
            calls.append((q.forecast_vs_actual, ("sales", "plans", "master"),
                          {"first_month": min(first, add_months(last, -11)), "last_month": last,
                           "end": compared.end, "brand_family": combo.brand}))
    return calls


def combos(top_brand: str) -> list[Combo]:
    three_years = (DATA_START, DATA_END)
    return [
        Combo("month 2026-10, day, all views", dt.date(2026, 10, 1), dt.date(2026, 10, 31), "day", "all"),
        Combo("partial month 2026-11, day, dept, structure", dt.date(2026, 11, 1), dt.date(2026, 11, 30), "day",
              "structure", department_id=1),
        Combo("quarter 2026-Q3, week, brand, festival, movers", dt.date(2026, 7, 1), dt.date(2026, 9, 30), "week",
              "movers", brand=top_brand, alignment="festival"),
        Combo("year 2025, month, plan completion, plan", dt.date(2025, 1, 1), dt.date(2025, 12, 31), "month", "plan",
              metric="plan_completion"),
        Combo("year 2026 (partial), month, dept+brand, format", dt.date(2026, 1, 1), dt.date(2026, 12, 31), "month",
              "breakdown", dimension="format", department_id=2, brand=top_brand),
        Combo("3 years, year grain, forecast", *three_years, "year", "forecast"),
        Combo("3 years, day grain, SKU breakdown", *three_years, "day", "breakdown", dimension="sku"),
        Combo("3 years, week grain, movers", *three_years, "week", "movers"),
        Combo("3 years, month grain, structure", *three_years, "month", "structure"),
        Combo("3 years, month, plan completion, plan", *three_years, "month", "plan", metric="plan_completion"),
        Combo("3 years, week grain, all five views at once", *three_years, "week", "all"),
        Combo("Feb 2026 festival, day, manager", dt.date(2026, 2, 1), dt.date(2026, 2, 28), "day", "breakdown",
              dimension="manager", alignment="festival"),
        Combo("2025-03-15..2026-02-10, week, festival, market", dt.date(2025, 3, 15), dt.date(2026, 2, 10), "week",
              "breakdown", dimension="market", alignment="festival"),
    ]


def run_cold(url: str, combo: Combo) -> float:
    """Milliseconds for all of ``combo``'s queries on a new engine and session."""
    started = time.perf_counter()
    with cold_session(url) as session:
        for fn, _domains, kwargs in page_calls(combo):
            fn(session=session, **kwargs)
    return (time.perf_counter() - started) * 1000


def run_warm(combo: Combo) -> dict[str, float]:
    from data_access.cache import cached

    calls = page_calls(combo)

    def _render() -> None:
        for fn, domains, kwargs in calls:
            cached(fn, domains=domains, **kwargs)

    _render()  # fills the cache
    return time_call(_render, repeat=5)


_NAIVE_SQL = text("""
SELECT ol.order_date, cm.department_id, p.brand_family, ol.cartons, ol.amount, ol.cost
FROM order_line ol JOIN retailer r ON r.id = ol.retailer_id JOIN customer_manager cm ON cm.id = r.manager_id
JOIN product p ON p.id = ol.product_id WHERE ol.order_date BETWEEN :start AND :end""")


def naive_pandas(url: str, combo: Combo) -> float:
    """Load the order lines of the range and its base, then total, trend and department breakdown in pandas."""
    rng = DateRange(combo.start, min(combo.end, DATA_END))
    base = last_year_range(rng, combo.alignment)
    started = time.perf_counter()
    with get_engine(url).connect() as conn:
        for d in (rng, base):
            lines = pd.read_sql(_NAIVE_SQL, conn, params={"start": d.start, "end": d.end})
            lines[["cartons", "amount", "cost"]].sum()
            lines["month"] = pd.to_datetime(lines["order_date"]).dt.to_period("M")
            lines.groupby("month")[["cartons", "amount", "cost"]].sum()
            lines.groupby("department_id")[["cartons", "amount", "cost"]].sum()
    return (time.perf_counter() - started) * 1000


def build_duckdb(url: str) -> float:
    """Copy the order lines' needed columns into DuckDB (once); seconds taken, 0 if it existed."""
    import duckdb

    if DUCKDB_FILE.exists():
        return 0.0
    started = time.perf_counter()
    partial = DUCKDB_FILE.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    con = duckdb.connect(str(partial))
    engine = get_engine(url)
    month = DATA_START
    first = True
    while month <= DATA_END:
        with engine.connect() as conn:
            chunk = pd.read_sql(_NAIVE_SQL, conn, params={"start": month, "end": month_end(month)})
        chunk["order_date"] = pd.to_datetime(chunk["order_date"])
        con.register("chunk", chunk)
        con.execute("CREATE TABLE lines AS SELECT * FROM chunk" if first else "INSERT INTO lines SELECT * FROM chunk")
        con.unregister("chunk")
        first = False
        month = add_months(month, 1)
    con.close()
    partial.rename(DUCKDB_FILE)
    return time.perf_counter() - started


def duckdb_queries(combo: Combo, con: Any) -> None:
    rng = DateRange(combo.start, min(combo.end, DATA_END))
    base = last_year_range(rng, combo.alignment)
    for d in (rng, base):
        params = [d.start, d.end]
        where = "order_date BETWEEN ? AND ?"
        con.execute(f"SELECT SUM(cartons), SUM(amount), SUM(cost) FROM lines WHERE {where}", params).fetchall()
        con.execute(f"SELECT date_trunc('month', order_date) m, SUM(cartons), SUM(amount), SUM(cost) FROM lines "
                    f"WHERE {where} GROUP BY m", params).fetchall()
        con.execute(f"SELECT department_id, SUM(cartons), SUM(amount), SUM(cost) FROM lines WHERE {where} "
                    f"GROUP BY department_id", params).fetchall()


def main() -> None:
    url = county_database_url()
    os.environ["DATABASE_URL"] = url
    create_schema(get_engine(url))  # tables added since the county file was generated
    with get_engine(url).begin() as conn:
        filled = backfill_missing_aggregates(conn)
    if filled:
        print(f"built missing aggregates: {', '.join(filled)}", flush=True)
    with get_engine(url).connect() as conn:
        top_brand = conn.execute(text("SELECT brand_family FROM product GROUP BY brand_family "
                                      "ORDER BY COUNT(*) DESC LIMIT 1")).scalar_one()
        lines = conn.execute(text("SELECT COUNT(*) FROM order_line")).scalar_one()
    import duckdb

    copy_seconds = build_duckdb(url)
    rows = []
    for combo in combos(top_brand):
        cold = [run_cold(url, combo) for _ in range(3)]
        warm = run_warm(combo)
        rows.append({"combo": combo, "queries": len(page_calls(combo)), "cold_ms": sorted(cold)[1],
                     "cold_max_ms": max(cold), "warm_ms": warm["median_ms"], "warm_max_ms": warm["max_ms"]})
        print(f"{combo.name:55s} cold {sorted(cold)[1]:7.0f} ms  warm {warm['median_ms']:6.1f} ms", flush=True)
    comparisons = []
    for combo in (combos(top_brand)[0], combos(top_brand)[3]):
        naive = naive_pandas(url, combo)
        con = duckdb.connect(str(DUCKDB_FILE), read_only=True)
        duck_cold = time_call(lambda c=combo, k=con: duckdb_queries(c, k), repeat=1)["median_ms"]
        duck_warm = time_call(lambda c=combo, k=con: duckdb_queries(c, k), repeat=3)["median_ms"]
        con.close()
        ours = next(r for r in rows if r["combo"] == combo)
        comparisons.append((combo.name, ours["cold_ms"], ours["warm_ms"], naive, duck_cold, duck_warm))
        print(f"{combo.name:55s} naive pandas {naive:7.0f} ms  duckdb {duck_cold:6.0f}/{duck_warm:6.0f} ms",
              flush=True)

    def ok(value: float, target: float) -> str:
        return "✅" if value <= target else "❌"

    table = "\n".join(
        f"| {r['combo'].name} | {r['queries']} | {r['cold_ms']:.0f} (max {r['cold_max_ms']:.0f}) "
        f"{ok(r['cold_ms'], COLD_TARGET_MS)} | {r['warm_ms']:.1f} (max {r['warm_max_ms']:.1f}) "
        f"{ok(r['warm_ms'], WARM_TARGET_MS)} |"
        for r in rows
    )
    comparison = "\n".join(
        f"| {name} | {cold:.0f} | {warm:.1f} | {naive:.0f} | {duck_cold:.0f} / {duck_warm:.0f} |"
        for name, cold, warm, naive, duck_cold, duck_warm in comparisons
    )
    markdown = f"""## Sales trends page (`sales`)

Command: `python -m benchmarks.bench_sales` · machine: {machine_description()} ·
county database: {lines:,} order lines, {DATA_START} to {DATA_END}.

All the data one render of the page needs (header KPIs, trend this year and last, the
view's tables). The page shows one view at a time (segmented control); "all views" adds
every view's queries to one render, a worst case the page never makes. Cold = new engine, fresh
session, plain query functions (median of 3; the OS page cache is warm); warm = the same
calls through `data_access.cache.cached` after a first call (median of 5).
Target: cold ≤ {COLD_TARGET_MS:.0f} ms, warm ≤ {WARM_TARGET_MS:.0f} ms.

| filters | queries | cold ms | warm ms |
|---|---|---|---|
{table}

Comparison (totals, monthly trend and department breakdown of the range and its base):
naive pandas loads the order lines of both ranges into pandas and groups them; DuckDB runs
the same sums on a copy of the order lines (duckdb's sqlite scanner cannot be downloaded
here, so the needed columns were copied into DuckDB once, taking {copy_seconds:.0f} s
(0 = copy reused from an earlier run); DuckDB cold = first query on a new connection).

| filters | ours cold ms | ours warm ms | naive pandas ms | DuckDB cold / warm ms |
|---|---|---|---|---|
{comparison}
"""
    write_section("sales", markdown)
    print(markdown)


if __name__ == "__main__":
    main()
