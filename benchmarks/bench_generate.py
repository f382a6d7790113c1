"""First start: how long generating the demo county takes (target under 60 s on the 2-core machine).

Run: ``python -m benchmarks.bench_generate``

The demo covers 1 January of last year to the end date, so its length varies over the
year: 13 months in January, 24 in December. Measured for the benchmarks' fixed end date
(23 months) and for 31 December (24 months, the longest). Each run is a fresh process
(what ``ensure_database`` does on a first start, minus the web server), writing to a
temporary file; wall time, the generator's own phase times, and the process's peak memory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.common import COUNTY_END_DATE, REPO_ROOT, machine_description, write_section

TARGET_SECONDS = 60
END_DATES = (COUNTY_END_DATE, "2026-12-31")

_CHILD = """
import datetime as dt, json, resource, sys, time
from pathlib import Path
started = time.perf_counter()
from sample_data.generate import generate_into_file
report = generate_into_file(Path(sys.argv[1]), scale="demo", end_date=dt.date.fromisoformat(sys.argv[2]))
print(json.dumps({"wall": time.perf_counter() - started, "generate": report.seconds, "phases": report.phases,
                  "order_lines": report.rows.get("order_line", 0), "gps_points": report.rows.get("gps_point", 0),
                  "start": str(report.start), "end": str(report.end),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(end_date: str) -> dict:
    with tempfile.TemporaryDirectory() as work:
        out = subprocess.run([sys.executable, "-c", _CHILD, str(Path(work) / "demo.sqlite"), end_date],
                             cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    rows = []
    for end_date in END_DATES:
        result = run(end_date)
        print(result)
        rows.append(result)
    table = "\n".join(
        f"| {r['end']} | {r['start']} | {r['order_lines']:,} | {r['gps_points']:,} | {r['wall']:.1f} | "
        f"{r['generate']:.1f} | {r['phases']['sales aggregates'][0]:.1f} | {r['peak_mb']:.0f} |"
        for r in rows
    )
    phases = ", ".join(f"{name} {wall:.1f}" for name, (wall, _cpu) in rows[0]["phases"].items())
    load = " / ".join(f"{v:.1f}" for v in os.getloadavg())
    verdict = "met" if all(r["wall"] < TARGET_SECONDS for r in rows) else "NOT met"
    markdown = f"""## Demo county generation (first start)

Machine: {machine_description()}; load average (1 / 5 / 15 min) at the end: {load}
Command: `python -m benchmarks.bench_generate`

What is timed: a fresh Python process generating the demo county (2,800 retailers, 13
managers, from 1 January of last year to the end date) into a new SQLite file, as the
app does on its first start; wall time includes the imports.

| end date | first day | order lines | GPS points | wall s | generation s | of which sales aggregates s | peak MB |
|---|---|---:|---:|---:|---:|---:|---:|
{table}

Phases of the first run (wall s): {phases}.

Target: under {TARGET_SECONDS} s → {verdict}. The window is longest in December (24 months).
"""
    write_section("generate", markdown)
    print(markdown)


if __name__ == "__main__":
    main()
