"""Terminal rankings page data at county scale: cold and warm.

Run: ``python -m benchmarks.bench_terminals`` (generates the county database on first use).

- cold: a new engine (empty pool and SQLite page cache of this process) and Streamlit
  caches cleared, then everything the page asks for one month: inspected months, modern
  terminals, rubric and weights, the ranking inputs of the month and the month before
  (inspections, reconciliations, terminal sales of four months from ``terminal_sales_daily``,
  department key-brand shares from ``sales_monthly``, last inspections), the scoring and ranking itself, and the detail view of the
  top terminal (archive, photos, 12-month history, recent visits, trend scoring).
- warm: the same through ``data_access.cache.cached`` after a first call (the scoring is
  not cached: it runs on every rerun, so it is inside the warm time too).
"""

from __future__ import annotations

import datetime as dt
import os

from sqlalchemy import func, select
from sqlmodel import Session

from benchmarks.common import (
    COUNTY_END_DATE,
    cold_session,
    county_database_url,
    machine_description,
    time_call,
    write_section,
)
from data_access import cache
from data_access.access.permissions import EVERYTHING
from data_access.db import get_engine
from data_access.models import OrderLine, PosReconciliation, Retailer, TerminalInspection
from data_access.queries import terminals as queries
from data_access.rules import terminal_scoring as scoring
from data_access.rules.calendar import add_months

TARGET_COLD_MS = 500
TARGET_WARM_MS = 50
COLD_RUNS = 7
TERMINAL_DOMAINS = ("terminals", "sales", "master")


def _page_data(call, month: dt.date, data_end: dt.date, *, detail: bool = True) -> int:
    """The page's data for ``month`` via ``call(fn, domains, **kwargs)``; returns the ranked count."""
    call(queries.inspected_months, ("terminals",))
    terminals = call(queries.modern_terminals, ("master",))
    config = call(queries.scoring_config, ("config",))
    weights = scoring.Weights.from_config(config["weights"]).normalised()
    weight_args = (weights.display, weights.pos_accuracy, weights.brand_cultivation)
    month_end = min(add_months(month, 1) - dt.timedelta(days=1), data_end)
    scored = call(queries.scored_ranking, (*TERMINAL_DOMAINS, "config"), month=month, month_end=month_end,
                  weights=weight_args)
    if not detail:
        return len(scored["ranking"])
    top = scored["ranking"].iloc[0]
    retailer_id, department_id = int(top["retailer_id"]), int(top["department_id"])
    call(queries.terminal_archive, ("master",), scope=EVERYTHING, retailer_id=retailer_id)
    call(queries.terminal_photos, ("terminals",), scope=EVERYTHING, retailer_id=retailer_id)
    call(queries.recent_visits, ("visits",), scope=EVERYTHING, retailer_id=retailer_id, until=month_end)
    call(queries.scored_trend, (*TERMINAL_DOMAINS, "config"), scope=EVERYTHING, retailer_id=retailer_id,
         department_id=department_id, last_month=month, weights=weight_args, data_end=month_end)
    assert len(terminals) > 0
    return len(scored["ranking"])


def main() -> None:
    url = county_database_url()
    os.environ["DATABASE_URL"] = url
    data_end = dt.date.fromisoformat(COUNTY_END_DATE)
    with Session(get_engine(url)) as session:
        counts = {model.__tablename__: session.execute(select(func.count()).select_from(model)).scalar()
                  for model in (OrderLine, Retailer, TerminalInspection, PosReconciliation)}
        modern = len(queries.modern_terminals(session=session))

    rows = []
    for month in (add_months(data_end.replace(day=1), -1), data_end.replace(day=1)):
        ranked = 0

        def cold(month: dt.date = month, detail: bool = True) -> None:
            nonlocal ranked
            with cold_session(url) as session:
                ranked = _page_data(lambda fn, _domains, **kw: fn(session=session, **kw), month, data_end,
                                    detail=detail)

        def warm(month: dt.date = month) -> None:
            _page_data(lambda fn, domains, **kw: cache.cached(fn, domains=domains, **kw), month, data_end)

        # A row click: the ranking is already on the page (cached), so only the terminal's
        # detail is timed, cold. The clicked row: the top of the ranking.
        month_end = min(add_months(month, 1) - dt.timedelta(days=1), data_end)
        config = cache.cached(queries.scoring_config, domains=("config",))
        weights = scoring.Weights.from_config(config["weights"]).normalised()
        weight_args = (weights.display, weights.pos_accuracy, weights.brand_cultivation)
        top = cache.cached(queries.scored_ranking, domains=(*TERMINAL_DOMAINS, "config"), month=month,
                           month_end=month_end, weights=weight_args)["ranking"].iloc[0]
        clicked = {"retailer_id": int(top["retailer_id"]), "department_id": int(top["department_id"])}

        def detail_click(month: dt.date = month, month_end: dt.date = month_end, clicked: dict = clicked,
                         weight_args: tuple = weight_args) -> None:
            with cold_session(url) as session:
                queries.terminal_archive(session=session, scope=EVERYTHING, retailer_id=clicked["retailer_id"])
                queries.terminal_photos(session=session, scope=EVERYTHING, retailer_id=clicked["retailer_id"])
                queries.recent_visits(session=session, scope=EVERYTHING, retailer_id=clicked["retailer_id"], until=month_end)
                queries.scored_trend(session=session, scope=EVERYTHING, **clicked, last_month=month, weights=weight_args,
                                     data_end=month_end)

        ranking_t = time_call(lambda month=month: cold(month, detail=False), repeat=COLD_RUNS)
        cold_t = time_call(cold, repeat=COLD_RUNS)
        warm()
        warm_t = time_call(warm, repeat=10)
        click_t = time_call(detail_click, repeat=COLD_RUNS)
        rows.append({"month": f"{month:%Y-%m}", "ranked": ranked, "cold_ms": cold_t["max_ms"],
                     "cold_median_ms": cold_t["median_ms"], "warm_ms": warm_t["max_ms"],
                     "ranking_cold_ms": ranking_t["median_ms"], "ranking_cold_max_ms": ranking_t["max_ms"],
                     "click_cold_max_ms": click_t["max_ms"], "click_cold_ms": click_t["median_ms"]})
        print(rows[-1])

    table = "\n".join(
        f"| {r['month']} | {r['ranked']} | {r['ranking_cold_ms']:.0f} | {r['ranking_cold_max_ms']:.0f} "
        f"| {r['click_cold_ms']:.0f} | {r['click_cold_max_ms']:.0f} | {r['cold_median_ms']:.0f} | {r['cold_ms']:.0f} | {r['warm_ms']:.0f} |"
        for r in rows
    )
    load = " / ".join(f"{v:.1f}" for v in os.getloadavg())
    verdict = all(r["ranking_cold_max_ms"] <= TARGET_COLD_MS and r["click_cold_max_ms"] <= TARGET_COLD_MS
                  for r in rows)
    combined = all(r["cold_ms"] <= TARGET_COLD_MS for r in rows)
    markdown = f"""## Terminal rankings page (terminals)

Machine: {machine_description()}; load average (1 / 5 / 15 min) at the end: {load}
(the machine is shared with other engineers' runs; above 2 the timings are inflated by other work)
Command: `python -m benchmarks.bench_terminals`
County database: {counts['order_line']:,} order lines, {counts['retailer']:,} retailers ({modern} ranked modern
terminals), {counts['terminal_inspection']:,} inspections, {counts['pos_reconciliation']:,} POS reconciliations.

What is timed: all the page's data for one month — ranking inputs of the month and the month before, scoring and
ranking, the uninspected list, and the detail view of the first terminal (archive, photos, 12-month history, visits).
Cold = new engine and Streamlit caches cleared ({COLD_RUNS} runs each; the OS page cache is not dropped, so run it on
its own: once, right after `bench_generate`, which writes gigabytes, the county file had left the page cache and the
first cold run took 747 ms — an earlier run's observation, not this run's). Warm = the same
through `data_access.cache.cached` (max of 10 runs; the scored ranking is cached per month and weights).

The page renders in two steps: opening it (ranking, groups, uninspected list) and clicking a row (the terminal's
detail; the ranking then comes from the cache). Each render's data is timed cold on its own, and, as a stricter
bound, both together on one cold engine.

| month | terminals ranked | page open, cold ms (median) | page open, cold ms (max) | row click, cold ms (median) | row click, cold ms (max) | both at once, cold ms (median) | both at once, cold ms (max) | warm max ms |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
{table}

Target (issue 4: the page's data cold ≤ {TARGET_COLD_MS} ms, for each render a user waits for) →
{"met" if verdict else "NOT met"}. Stricter bound, both renders' data on one cold engine (no user waits for both at once)
≤ {TARGET_COLD_MS} ms → {"met" if combined else "NOT met"}. Warm target {TARGET_WARM_MS} ms.
Observed in an earlier run, not measured by this one: this VM's speed varied by about 30% from minute to minute
(a fixed Python loop: 1.33–1.73 s), which moves the maxima.

History (not measured by this run; figures recorded at commit e124bb9): before `terminal_sales_daily` (key-brand cartons per retailer and day, instead of
summing four months of order lines), department shares from `sales_monthly` (instead of a
query per month on `sales_daily`) and scoring that matches rows by integer codes (instead of
about 45 `merge` calls on a date-object key), the same benchmark measured page open 339–343 ms
median / 537 ms max and both renders at once 441–450 ms median / 517–642 ms max (commit e124bb9).
"""
    write_section("terminals", markdown)
    print(markdown)


if __name__ == "__main__":
    main()
