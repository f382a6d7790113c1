"""Benchmark: one million order lines (GBK CSV, Chinese headers) into SQLite, with peak memory.

Run: ``python -m benchmarks.bench_import``. Target (issue 8): < 60 s with bounded memory.

A county's master data (4 departments, 12 managers, 2,800 retailers, 100 SKUs) is
synthesised and imported through the loaders themselves; then a 1,000,000-line order file
(2,800 retailers × 18 weekly orders × 20 SKUs, the size of four months of a county) is
imported into it three ways, each in a fresh process so its peak RSS is its own:
dry run, real import, and re-import of the same file (no-op). Cold = new process, new
engine; the OS page cache is not dropped.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.common import REPO_ROOT, WORK, machine_description, write_section

DB = WORK / "import_bench.sqlite"
FILES = WORK / "import_bench"
RETAILERS, MANAGERS, PRODUCTS, WEEKS, LINES_PER_ORDER = 2800, 12, 100, 18, 20
TARGET_S = 60.0


def _write_master() -> dict[str, Path]:
    rng = np.random.default_rng(8)
    FILES.mkdir(parents=True, exist_ok=True)
    paths = {kind: FILES / f"{kind}.csv" for kind in ("departments", "managers", "retailers", "products")}
    pd.DataFrame({"服务部编码": [f"D{i}" for i in range(1, 5)], "服务部名称": [f"第{i}服务部" for i in range(1, 5)]}
                 ).to_csv(paths["departments"], index=False, encoding="gbk")
    pd.DataFrame({"客户经理编码": [f"M{i:02d}" for i in range(MANAGERS)], "姓名": [f"经理{i}" for i in range(MANAGERS)],
                  "服务部编码": [f"D{i % 4 + 1}" for i in range(MANAGERS)]}).to_csv(
        paths["managers"], index=False, encoding="gbk")
    formats = np.array(["食杂店", "便利店", "超市", "烟酒商店", "娱乐服务类", "其他"])
    pd.DataFrame({
        "许可证号": [f"3508021{i:05d}" for i in range(RETAILERS)],
        "客户编码": [f"C{i:05d}" for i in range(RETAILERS)],
        "店名": [f"零售户{i}" for i in range(RETAILERS)],
        "经度": np.round(117.0 + rng.random(RETAILERS) * 0.2, 5),
        "纬度": np.round(25.0 + rng.random(RETAILERS) * 0.2, 5),
        "经营业态": formats[rng.integers(0, 6, RETAILERS)],
        "市场类型": np.where(rng.random(RETAILERS) < 0.7, "城镇", "乡村"),
        "档位": rng.integers(1, 31, RETAILERS), "星级": rng.integers(1, 6, RETAILERS),
        "客户经理编码": [f"M{i % MANAGERS:02d}" for i in range(RETAILERS)],
    }).to_csv(paths["retailers"], index=False, encoding="gbk")
    price = np.round(60 + rng.random(PRODUCTS) * 400, 1)
    pd.DataFrame({
        "卷烟编码": [f"69010{i:05d}" for i in range(PRODUCTS)], "卷烟名称": [f"规格{i}" for i in range(PRODUCTS)],
        "品牌": [f"品牌{i % 25}" for i in range(PRODUCTS)], "价类": rng.integers(1, 6, PRODUCTS),
        "批发价": price, "成本价": np.round(price * 0.8, 1), "建议零售价": np.round(price * 1.15, 1),
    }).to_csv(paths["products"], index=False, encoding="gbk")
    return paths


def _write_orders() -> tuple[Path, int]:
    """1,008,000 lines: every retailer orders weekly, 20 distinct SKUs per order."""
    path = FILES / "orders_1m.csv"
    rng = np.random.default_rng(9)
    first = dt.date(2026, 7, 6)
    lines = 0
    with open(path, "w", encoding="gbk", newline="") as out:
        out.write("订单日期,许可证号,卷烟编码,数量(条)\n")
        for week in range(WEEKS):
            day = (first + dt.timedelta(days=7 * week)).isoformat()
            skus = np.argsort(rng.random((RETAILERS, PRODUCTS)), axis=1)[:, :LINES_PER_ORDER]
            cartons = rng.integers(1, 30, (RETAILERS, LINES_PER_ORDER))
            frame = pd.DataFrame({
                "d": day,
                "r": np.repeat([f"3508021{i:05d}" for i in range(RETAILERS)], LINES_PER_ORDER),
                "p": [f"69010{s:05d}" for s in skus.ravel()],
                "c": cartons.ravel(),
            })
            frame.to_csv(out, index=False, header=False)
            lines += len(frame)
    return path, lines


def _child(kind: str, path: str, mode: str) -> None:
    """Runs in a fresh process: one import, prints seconds and peak RSS as JSON."""
    from data_access.access.permissions import system_actor
    from data_access.db import get_engine
    from data_access.loaders import Source, run_import

    before = resource.getrusage(resource.RUSAGE_SELF)
    baseline, cpu_before = before.ru_maxrss, before.ru_utime + before.ru_stime
    engine = get_engine(f"sqlite:///{DB}")
    started = time.perf_counter()
    result = run_import(Source.from_path(path), kind, engine=engine, dry_run=mode == "dry", actor=system_actor("bench"))
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({
        "seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime - cpu_before, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "baseline_mib": baseline / 1024, "read": result.rows_read, "added": result.rows_added,
        "updated": result.rows_updated, "unchanged": result.rows_unchanged, "errors": result.issues_total,
    }))


def _run(kind: str, path: Path, mode: str = "import") -> dict:
    out = subprocess.run([sys.executable, "-m", "benchmarks.bench_import", "--child", kind, str(path), mode],
                         cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    from data_access.db import create_schema, get_engine

    WORK.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    create_schema(get_engine(f"sqlite:///{DB}"))
    master = _write_master()
    for kind, path in master.items():
        stats = _run(kind, path)
        assert stats["errors"] == 0, (kind, stats)
    orders, lines = _write_orders()
    size_mib = orders.stat().st_size / 2**20
    rows = []
    for label, mode in (("dry run (validate + count)", "dry"), ("import (empty order tables)", "import"),
                        ("re-import same file (no-op)", "import")):
        stats = _run("orders", orders, mode)
        assert stats["errors"] == 0, stats
        rows.append((label, stats))
        print(f"{label}: {stats}")
    table = "\n".join(
        f"| {label} | {s['read']:,} | {s['added']:,} | {s['unchanged']:,} | {s['seconds']:.1f} | "
        f"{s['cpu_seconds']:.1f} | "
        f"{s['peak_mib']:.0f} (base {s['baseline_mib']:.0f}) | {'✅' if s['seconds'] < TARGET_S else '❌'} |"
        for label, s in rows
    )
    write_section("import", f"""## Import: one million order lines into SQLite (issue 8)

Machine: {machine_description()}

Command: `python -m benchmarks.bench_import`

File: {lines:,} order lines, GBK CSV with Chinese headers, {size_mib:.0f} MiB; database: synthesised
county master data (2,800 retailers, 100 SKUs) imported through the same loaders. Each run is a
fresh process (new engine, nothing cached); peak memory is the process's peak RSS
(`resource.getrusage`), with the RSS after imports as the baseline. Chunks of 50,000 rows.
The import includes staging, duplicate check, merge, order headers and the `sales_daily`
refresh, in one transaction. Target: < {TARGET_S:.0f} s. Load average when measured: {os.getloadavg()[0]:.1f}
(the machine is shared; CPU seconds are the process's own user + system time).

| run | rows read | added | unchanged | wall s | CPU s | peak RSS MiB | < 60 s |
|---|---:|---:|---:|---:|---:|---:|:-:|
{table}
""")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(*sys.argv[2:5])
    else:
        os.environ.setdefault("PYTHONHASHSEED", "0")
        main()
