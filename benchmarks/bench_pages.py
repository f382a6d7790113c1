"""Whole page runs as a user waits for them (issue 14): AppTest server time next to an empty page.

``python -m benchmarks.bench_pages [--scale county|county4x] [--pairs 3] [--browser]``

Every figure is a whole Streamlit script run through ``AppTest`` (shell, queries, pandas,
Altair and pydeck specs, Streamlit's own work), measured next to an empty Streamlit page in
the same process, and reported as "above the empty page" and as a ratio:

- **cold** (first visitor after a server restart): a fresh process per run. The page's
  process first does what ``streamlit run serve.py`` does before it accepts connections
  (database preparation, imports; timed separately as "server start"), then times the
  page's first run. The empty page's cold run is a separate fresh process, run in turn with
  the page's (A B A B …), and the pair's difference is taken pair by pair.
- **rerun**: the same session runs the page again (nothing changed), median of REPEAT (5 unless --repeat).
- **new session**: a second visitor's first run of the page (warm caches), median of REPEAT (5 unless --repeat).

The OS page cache is not dropped. AppTest signs in as an administrator through the actor
preset (tests/conftest.py ``app_factory``). Load average is recorded beside every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.page_cases import CASES, TODAY  # shared with page_report

REPO_ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = str(REPO_ROOT / "dashboard.py")
EMPTY_PAGE = "import streamlit as st\n\nst.title('empty')\n"


REPEAT = int(os.environ.get("BENCH_PAGES_REPEAT", "5"))  # reruns and new sessions per process


# --- child process: one cold run and the warm runs -------------------------------------------------

def _sign_in(at: object) -> None:
    try:
        from components.auth import ACTOR_KEY
        from data_access.access.permissions import Actor, Role
    except ImportError:  # before sign-in existed
        return
    at.session_state[ACTOR_KEY] = Actor(user_id=None, login="bench-admin", display_name="基准管理员", role=Role.ADMIN)


def _timed(fn) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def _page_app(case: str):
    from streamlit.testing.v1 import AppTest

    page, params, _ = CASES[case]
    at = AppTest.from_file(DASHBOARD, default_timeout=600)
    _sign_in(at)
    for key, value in params.items():
        at.query_params[key] = value
    return at.switch_page(page)  # before the first run: a deep link, as a browser opens it


def _empty_app():
    from streamlit.testing.v1 import AppTest

    return AppTest.from_string(EMPTY_PAGE, default_timeout=60)


def _click_first_row(at) -> None:
    """What a click on the ranking's first row does (pages/terminals.py ``_pick_row``)."""
    code = at.session_state["_tm_table_codes"][0]
    at.selectbox(key="tm_shop").set_value(code)


def _check(at, case: str) -> None:
    if at.exception:
        raise SystemExit(f"{case}: {at.exception[0].value}")
    shown = at.title if case != "meeting" else at.get("html") or at.markdown  # the wall has no st.title
    if case != "empty" and not shown:
        raise SystemExit(f"{case}: nothing of the page rendered (sign-in gate or wrong page?)")


def _one_script_cache_per_process() -> None:
    """A server compiles each script once and keeps the bytecode; AppTest makes a new cache per run."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared


def child(case: str, entry: str) -> dict[str, object]:
    _one_script_cache_per_process()
    load = os.getloadavg()[0]
    result: dict[str, object] = {"case": case, "entry": entry, "load_start": load}
    if case == "empty":
        at = _empty_app()
        result["cold_ms"], result["cold_cpu_ms"] = _timed(at.run)
        _check(at, case)
        result["load_end"] = os.getloadavg()[0]
        return result
    if entry == "serve":  # what `streamlit run serve.py` does before the first connection
        import serve

        result["server_start_ms"], _ = _timed(serve.prepare_server)
    at = _page_app(case)
    if case == "terminals-row":  # the ranking first (untimed), then the click is the timed run
        at.run()
        _check(at, case)
        _click_first_row(at)
    result["cold_ms"], result["cold_cpu_ms"] = _timed(at.run)
    _check(at, case)
    empty = _empty_app()
    empty.run()
    samples: dict[str, list[tuple[float, float]]] = {"rerun": [], "empty_rerun": [], "new": [], "empty_new": []}
    for _ in range(REPEAT):  # interleaved, so drift in machine speed hits both alike
        samples["rerun"].append(_timed(at.run))
        samples["empty_rerun"].append(_timed(empty.run))
        fresh = _page_app(case)
        if case == "terminals-row":
            fresh.run()
            _click_first_row(fresh)
        samples["new"].append(_timed(fresh.run))
        _check(fresh, case)
        samples["empty_new"].append(_timed(_empty_app().run))
    for name, pairs in samples.items():
        result[f"{name}_ms"] = statistics.median(wall for wall, _ in pairs)
        result[f"{name}_cpu_ms"] = statistics.median(cpu for _, cpu in pairs)
    result["load_end"] = os.getloadavg()[0]
    return result


# --- parent: pairs of fresh processes, the report -------------------------------------------------

def run_child(case: str, entry: str, url: str) -> dict[str, object]:
    env = {**os.environ, "DATABASE_URL": url, "DASHBOARD_TODAY": TODAY, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    done = subprocess.run([sys.executable, "-m", "benchmarks.bench_pages", "--child", case, "--entry", entry],
                          cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False, timeout=1800)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode or not lines:
        raise RuntimeError(f"{case} ({entry}) failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return json.loads(lines[-1])


def measure(cases: list[str], entry: str, url: str, pairs: int) -> dict[str, dict[str, object]]:
    """Each case ``pairs`` times as (empty page cold, page) pairs of fresh processes."""
    out: dict[str, dict[str, object]] = {}
    for case in cases:
        runs = []
        for _ in range(pairs):
            empty = run_child("empty", entry, url)
            page = run_child(case, entry, url)
            page["empty_cold_ms"], page["empty_cold_cpu_ms"] = empty["cold_ms"], empty["cold_cpu_ms"]
            page["load_start"] = max(float(empty["load_start"]), float(page["load_start"]))
            runs.append(page)
            print(f"  {case:24} {entry:9} cold {page['cold_ms']:7.0f} ms (empty {empty['cold_ms']:5.0f}) rerun "
                  f"{page['rerun_ms']:6.1f} (empty {page['empty_rerun_ms']:5.1f}) new {page['new_ms']:6.1f} "
                  f"(empty {page['empty_new_ms']:5.1f}) load {page['load_start']:.1f}", flush=True)
        out[case] = summarise(runs)
    return out


def summarise(runs: list[dict[str, object]]) -> dict[str, object]:
    def med(key: str) -> float:
        return statistics.median(float(r[key]) for r in runs)

    def med_diff(a: str, b: str) -> float:
        return statistics.median(float(r[a]) - float(r[b]) for r in runs)

    def med_ratio(a: str, b: str) -> float:
        return statistics.median(float(r[a]) / float(r[b]) for r in runs)

    summary = {
        "runs": len(runs),
        "cold_ms": med("cold_ms"), "empty_cold_ms": med("empty_cold_ms"),
        "cold_above_ms": med_diff("cold_ms", "empty_cold_ms"), "cold_ratio": med_ratio("cold_ms", "empty_cold_ms"),
        "cold_cpu_ms": med("cold_cpu_ms"), "cold_cpu_above_ms": med_diff("cold_cpu_ms", "empty_cold_cpu_ms"),
        "rerun_cpu_above_ms": med_diff("rerun_cpu_ms", "empty_rerun_cpu_ms"),
        "new_cpu_above_ms": med_diff("new_cpu_ms", "empty_new_cpu_ms"),
        "rerun_ms": med("rerun_ms"), "empty_rerun_ms": med("empty_rerun_ms"),
        "rerun_above_ms": med_diff("rerun_ms", "empty_rerun_ms"), "rerun_ratio": med_ratio("rerun_ms", "empty_rerun_ms"),
        "new_ms": med("new_ms"), "empty_new_ms": med("empty_new_ms"),
        "new_above_ms": med_diff("new_ms", "empty_new_ms"), "new_ratio": med_ratio("new_ms", "empty_new_ms"),
        "load_min": min(float(r["load_start"]) for r in runs), "load_max": max(float(r["load_end"]) for r in runs),
    }
    if all("server_start_ms" in r for r in runs):
        summary["server_start_ms"] = med("server_start_ms")
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--entry", choices=("serve", "dashboard"), default="serve",
                        help="serve: database prepared at server start (serve.py); dashboard: in the first session")
    parser.add_argument("--scale", choices=("county", "county4x"), default="county")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=REPEAT, help="reruns and new sessions timed per process")
    parser.add_argument("--cases", nargs="*", default=list(CASES))
    parser.add_argument("--compare-entry", action="store_true", help="also run the cold cases with --entry dashboard")
    parser.add_argument("--browser", action="store_true", help="also the Chromium run (benchmarks/page_browser.py)")
    parser.add_argument("--out", help="write the raw results as JSON here")
    args = parser.parse_args()
    os.environ["BENCH_PAGES_REPEAT"] = str(args.repeat)  # the children read it
    if args.child:
        print(json.dumps(child(args.child, args.entry)))
        return
    from benchmarks import page_report

    page_report.run(args, measure)


if __name__ == "__main__":
    main()
