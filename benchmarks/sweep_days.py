"""Run every page with "today" pinned to given days and check what a user would see.

One generated test county serves every day: ``DASHBOARD_TODAY`` cuts every feed at the
pinned day (docs/time_conventions.md), so no data is regenerated per day. For each day and
page the check is: no exception, no error box, the default view is not empty, and the
overview's volume equals the raw order lines of the default period summed independently.

CI runs the days that matter (tests/test_days_that_matter.py). The full sweep over every day
of the county is a command outside CI:

    python -m benchmarks.sweep_days                       # every day of the test county
    python -m benchmarks.sweep_days --first 2026-01-01 --last 2026-03-31
    python -m benchmarks.sweep_days --database-url sqlite:////path/county.sqlite

It prints one line per problem and exits 1 when there is any.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from data_access import clock
from data_access.db import get_engine
from data_access.rules.calendar import default_month, month_end

REPO_ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = str(REPO_ROOT / "dashboard.py")
PAGES = ("pages/overview.py", "pages/sales.py", "pages/terminals.py", "pages/routes.py", "pages/teams.py",
         "pages/meeting.py")
TEST_COUNTY_END = dt.date(2026, 11, 20)  # the test suite's sample county (tests/conftest.py)
EMPTY_MARKERS = ("没有销售数据", "没有走访记录", "还没有任何定位数据", "本月没有数据")


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    """Environment variables set for the block, restored afterwards (a test run goes on after it)."""
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def pinned_today(day: dt.date) -> AbstractContextManager[None]:
    """``DASHBOARD_TODAY`` set to ``day`` for the block (restored afterwards)."""
    return _environment(**{clock.TODAY_ENV: day.isoformat()})


def _server_like_navigation() -> None:
    # Same as tests/conftest.py: run AppTest like a server that has served its first page.
    from streamlit.runtime.pages_manager import PagesManager

    if getattr(PagesManager, "_sweep_patched", False):
        return
    original = PagesManager.__init__

    def init(self: PagesManager, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init  # type: ignore[method-assign]
    PagesManager._sweep_patched = True  # type: ignore[attr-defined]


def _open(url: str, page: str, params: dict[str, str] | None = None) -> AppTest:
    """A fresh session on ``url`` signed in as an administrator, after the shell and ``page`` ran."""
    from components.auth import ACTOR_KEY
    from data_access.access.permissions import Actor, Role
    from data_access.cache import clear_all

    _server_like_navigation()
    os.environ["DATABASE_URL"] = url
    clear_all()
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.session_state[ACTOR_KEY] = Actor(user_id=None, login="sweep", display_name="巡检", role=Role.ADMIN)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if not at.exception:
        at.switch_page(page).run()
    return at


def sales_end(url: str, day: dt.date) -> dt.date | None:
    """The sales feed's last day on ``day``, read independently of the app."""
    with get_engine(url).connect() as conn:
        value = conn.execute(text("SELECT MAX(sale_date) FROM sales_daily WHERE sale_date <= :d"),
                             {"d": day.isoformat()}).scalar()
    return None if value is None else dt.date.fromisoformat(str(value)[:10])


def expected_volume(url: str, day: dt.date) -> tuple[str, float] | None:
    """The default month (token) and its volume in cases up to the sales feed's last day, from the raw lines."""
    end = sales_end(url, day)
    if end is None:
        return None
    with get_engine(url).connect() as conn:
        setting = conn.execute(text("SELECT value_json FROM config_setting WHERE key = 'default_period'")).scalar()
        first = conn.execute(text("SELECT MIN(sale_date) FROM sales_daily")).scalar()
        minimum = 3 if setting is None else int(__import__("json").loads(setting)["running_month_min_working_days"])
        month = default_month(end, min_working_days=minimum)
        if month < dt.date.fromisoformat(str(first)[:10]).replace(day=1):
            month = end.replace(day=1)
        cartons = conn.execute(
            text("SELECT COALESCE(SUM(cartons), 0) FROM order_line WHERE order_date BETWEEN :a AND :b"),
            {"a": month.isoformat(), "b": min(month_end(month), end).isoformat()},
        ).scalar()
    return f"{month:%Y-%m}", float(cartons) / 250


def _volume(at: AppTest) -> float | None:
    for metric in at.metric:
        if metric.label == "销量":
            number = metric.value.split(" ")[0].replace(",", "")
            try:
                return float(number)
            except ValueError:
                return None
    return None


def page_problems(at: AppTest, url: str, day: dt.date, page: str) -> list[str]:
    """Problems a user would notice on ``page`` (already run with today pinned to ``day``)."""
    where = f"{day} {page}"
    if at.exception:
        return [f"{where}: exception {at.exception[0].value}"]
    problems = [f"{where}: error box {e.value}" for e in at.error]
    texts = [i.value for i in at.info] + [w.value for w in at.warning]
    problems += [f"{where}: empty default view ({m})" for m in EMPTY_MARKERS if any(m in x for x in texts)]
    if page == "pages/overview.py":
        expected = expected_volume(url, day)
        period = at.query_params.get("period")
        token = period[0] if isinstance(period, list) else period
        if expected is not None and token != expected[0]:
            problems.append(f"{where}: default period {token}, expected {expected[0]}")
        shown = _volume(at)
        if expected is not None and (shown is None or abs(shown - round(expected[1], 1)) > 0.051):
            problems.append(f"{where}: volume {shown} cases, raw order lines give {expected[1]:.1f}")
    if page in ("pages/terminals.py", "pages/teams.py") and not at.dataframe and not at.table:
        problems.append(f"{where}: no table")
    if page == "pages/routes.py" and not any(box.key == "rt_day" for box in at.selectbox):
        problems.append(f"{where}: the day view opened without a day with visits")
    if page == "pages/meeting.py" and not any("meeting-title" in h.proto.body for h in at.get("html")):
        problems.append(f"{where}: no slide")
    return problems


def check_day(url: str, day: dt.date, pages: Iterable[str] = PAGES) -> list[str]:
    """Every page with today pinned to ``day``, in one session as a user clicking through them."""
    problems: list[str] = []
    with pinned_today(day), _environment(DATABASE_URL=url):
        at = _open(url, pages[0] if isinstance(pages, tuple | list) else next(iter(pages)))
        for index, page in enumerate(pages):
            if index:
                at.query_params.clear()  # each page opens on its defaults, as from the navigation
                at.switch_page(page).run()
            problems += page_problems(at, url, day, page)
            if at.exception:  # a failed run leaves no usable session: start the next page afresh
                at = _open(url, page)
    return problems


def days_that_matter(first: dt.date, last: dt.date) -> list[dt.date]:
    """1st, 2nd and last day of each month, 1 January and the Spring Festival week, in ``first``..``last``."""
    from data_access.rules.calendar import spring_festival

    days: set[dt.date] = set()
    cursor = first.replace(day=1)
    while cursor <= last:
        days |= {cursor, cursor + dt.timedelta(days=1), month_end(cursor)}
        if cursor.month == 1:
            festival = spring_festival(cursor.year)
            days |= {festival + dt.timedelta(days=k) for k in range(-3, 4)}
        cursor = month_end(cursor) + dt.timedelta(days=1)
    return sorted(d for d in days if first <= d <= last)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run every page on every day of a county and report problems.")
    parser.add_argument("--database-url", help="county to sweep (default: generate the test county)")
    parser.add_argument("--first", type=dt.date.fromisoformat, help="first day (default: the county's first)")
    parser.add_argument("--last", type=dt.date.fromisoformat, help="last day (default: the county's last)")
    parser.add_argument("--matter", action="store_true", help="only the days that matter (as in CI)")
    args = parser.parse_args(argv)
    url = args.database_url
    if url is None:
        from sample_data.generate import generate

        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'sweep.sqlite'}"
        generate(get_engine(url), scale="test", end_date=TEST_COUNTY_END)
    with get_engine(url).connect() as conn:
        bounds = conn.execute(text("SELECT MIN(sale_date), MAX(sale_date) FROM sales_daily")).one()
    first = args.first or dt.date.fromisoformat(str(bounds[0])[:10])
    last = args.last or dt.date.fromisoformat(str(bounds[1])[:10])
    days = days_that_matter(first, last) if args.matter else [
        first + dt.timedelta(days=k) for k in range((last - first).days + 1)]
    problems = 0
    for day in days:
        found = check_day(url, day)
        problems += len(found)
        for line in found:
            print(line, flush=True)
        print(f"{day}: {'ok' if not found else f'{len(found)} problem(s)'}", file=sys.stderr, flush=True)
    print(f"{len(days)} days, {problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
