"""Shared benchmark plumbing: the county-scale database and the report file.

The county database (3 years, ~9M order lines, ≥5M GPS points) is generated once into
``benchmarks/work/county.sqlite`` (git-ignored) and reused by every benchmark; a file lock
stops two benchmarks from generating it at the same time.

Each benchmark writes its own section of ``docs/benchmarks.md`` between markers, so they
can be re-run independently.
"""

from __future__ import annotations

import fcntl
import os
import platform
import re
import statistics
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlmodel import Session

from data_access import cache
from data_access.db import get_engine

REPO_ROOT = Path(__file__).resolve().parent.parent
WORK = REPO_ROOT / "benchmarks" / "work"
COUNTY_DB = WORK / "county.sqlite"
REPORT = REPO_ROOT / "docs" / "benchmarks.md"
COUNTY_END_DATE = "2026-11-20"  # fixed, so every run measures the same county


def county_database_url() -> str:
    """SQLite URL of the county-scale database, generating it first if needed."""
    WORK.mkdir(parents=True, exist_ok=True)
    with open(WORK / "county.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not COUNTY_DB.exists():
            import datetime as dt

            from sample_data.generate import generate_into_file

            started = time.perf_counter()
            generate_into_file(
                COUNTY_DB, scale="county", progress=True, end_date=dt.date.fromisoformat(COUNTY_END_DATE)
            )
            print(f"county database generated in {time.perf_counter() - started:.0f} s")
        from data_access.db import ensure_database

        # A file made before a table was introduced gets it, and its aggregates, as the app would.
        ensure_database(f"sqlite:///{COUNTY_DB}")
    return f"sqlite:///{COUNTY_DB}"


@contextmanager
def cold_session(url: str) -> Iterator[Session]:
    """A session on a brand-new engine with Streamlit's caches cleared: what a first page load finds.

    The OS page cache is not dropped (see each benchmark's notes).
    """
    get_engine.cache_clear()
    cache.clear_all()
    engine = get_engine(url)
    try:
        with Session(engine) as session:
            yield session
    finally:
        engine.dispose()
        get_engine.cache_clear()


def time_call(fn: Callable[[], object], *, repeat: int = 5) -> dict[str, float]:
    """Median and max wall time of ``fn`` in milliseconds over ``repeat`` runs."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return {"median_ms": statistics.median(samples), "max_ms": max(samples)}


def drop_os_cache_hint() -> str:
    return "cold = new engine/connection and Streamlit caches cleared; the OS page cache is not dropped"


def machine_description() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True,
                                text=True, check=False).stdout.strip()
    except OSError:
        commit = "?"
    load = os.getloadavg()[0]
    return (f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, Python {platform.python_version()}, commit {commit}, "
            f"load average {load:.1f} when measured")


def _replace_block(text: str, name: str, markdown: str, *, at_top: bool = False) -> str:
    begin, end = f"<!-- BEGIN {name} -->", f"<!-- END {name} -->"
    block = f"{begin}\n{markdown.strip()}\n{end}"
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.S)
    if pattern.search(text):
        return pattern.sub(lambda _m: block, text)
    if at_top:  # after the title line
        title, _, rest = text.partition("\n")
        return f"{title}\n\n{block}\n{rest}"
    return text.rstrip() + "\n\n" + block + "\n"


def _runs_index(text: str) -> str:
    """Which run wrote each section: its commit, database build and load average, as the section states them."""
    rows = []
    for name, body in re.findall(r"<!-- BEGIN (\S+) -->(.*?)<!-- END \1 -->", text, re.S):
        if name == "index":
            continue
        commit = re.search(r"commit ([0-9a-f]{7,40})", body)
        lines = re.findall(r"([\d,]{7,}) order lines", body)
        load = re.search(r"load average (?:\(1 / 5 / 15 min\) at the start: )?([\d.]+)", body)
        rows.append(f"| {name} | {commit.group(1) if commit else 'not stated'} | "
                    f"{' / '.join(dict.fromkeys(lines)) if lines else 'not stated'} | "
                    f"{load.group(1) if load else 'not stated'} |")
    return "\n".join([
        "Each section below is written by the script it names, in its own run: sections come from different",
        "commits, database builds and machine loads, listed here as each section states them. A figure in a",
        "section is measured by that section's run unless it is labelled with the commit it was recorded at.",
        "",
        "| section | commit of the run | database build (order lines) | load average (1 min) of the run |",
        "|---|---|---|---|",
        *rows,
    ])


def write_section(name: str, markdown: str) -> None:
    """Replace (or append) the section ``name`` of docs/benchmarks.md, and the index of runs at its top."""
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    text = REPORT.read_text() if REPORT.exists() else "# Benchmarks\n"
    text = text.replace("\nEach section is written by the script it names.\n", "\n", 1)
    text = _replace_block(text, name, markdown)
    REPORT.write_text(_replace_block(text, "index", _runs_index(text), at_top=True))
