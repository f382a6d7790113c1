"""Hostile URL parameters never crash a page (issue 16).

Every page runs in AppTest on the small hostile county (tests/hostile_factory.py) with nasty
values in every one of its parameters. To stay fast, the values rotate over the parameters
(run r gives parameter i the value ``NASTY[(r + i) % len(NASTY)]``): every (parameter,
value) pair is tried once, in ``len(NASTY)`` runs per page; the parameters that pick a view
also run with each valid view so the other parameters reach every view's parser.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from components.auth import ACTOR_KEY
from data_access.access.permissions import Actor, Role
from data_access.cache import clear_all
from tests.conftest import DASHBOARD

# One value per class (empty, huge, negative, not finite, non-ASCII digits, markup and control
# characters, year 1, year 9999); the parsers get arbitrary text in tests/test_params.py.
NASTY = [
    "", "9" * 400, "-99999999999999999999", "1e999", "²", "<img src=http://evil.example/u.png>[x](javascript:1)\x00\u202e",
    "0001-01-01", "9999-12-31",
]
GLOBAL = ("period", "dept", "lang")
PAGES: dict[str, tuple[str, ...]] = {
    "pages/overview.py": (),
    "pages/sales.py": ("s_from", "s_to", "s_metric", "s_grain", "s_align", "s_view", "s_dim", "s_brand"),
    "pages/terminals.py": ("tm_month", "tm_fmt", "tm_mgr", "tm_mkt", "tm_wd", "tm_wp", "tm_wb", "tm_shop"),
    "pages/routes.py": ("rt_view", "rt_mgr", "rt_day", "rt_prev", "rt_t", "rt_stop", "rt_am"),
    "pages/teams.py": ("print", "tm_scope", "tm_kpi", "tm_dept", "tm_view"),
    "pages/meeting.py": ("slides", "interval", "mt_slide", "mt_paused", "mt_since"),
    "pages/data_import.py": ("imp_kind",),
    "pages/audit.py": (),
}
# Parameters that choose what the page renders: each valid value is run with nasty others.
VIEWS: dict[str, dict[str, tuple[str, ...]]] = {
    "pages/sales.py": {"s_view": ("structure", "plan", "movers", "forecast")},
    "pages/routes.py": {"rt_view": ("month", "now")},
    "pages/teams.py": {"tm_view": ("people", "entry", "audit"), "print": ("1",)},
}
# Cases seen crashing pages (issue 16), with valid everything else.
SEEN = [
    ("pages/sales.py", {"s_from": "0001-01-01", "s_to": "9999-12-31"}),
    ("pages/sales.py", {"s_from": "2026-11-01", "s_to": "9999-12-31"}),
    ("pages/routes.py", {"period": "2026-11", "rt_mgr": "M1", "rt_day": "2026-11-18", "rt_stop": "²"}),
    ("pages/routes.py", {"period": "2026-11", "rt_mgr": "M1", "rt_day": "2026-11-18", "rt_stop": "9" * 30}),
    ("pages/meeting.py", {"interval": "inf"}),
    ("pages/meeting.py", {"interval": "1e999"}),
    ("pages/meeting.py", {"mt_since": "²"}),
    ("pages/meeting.py", {"mt_since": "99999999999999999999999"}),
]


def _rotated(page: str, run: int, fixed: dict[str, str]) -> dict[str, str]:
    names = [name for name in (*GLOBAL, *PAGES[page]) if name not in fixed]
    return {**{name: NASTY[(run + i) % len(NASTY)] for i, name in enumerate(names)}, **fixed}


CASES = [pytest.param(page, _rotated(page, run, {}), id=f"{page[6:-3]}-{run}")
         for page in PAGES for run in range(len(NASTY))]
CASES += [pytest.param(page, _rotated(page, run, {name: value}), id=f"{page[6:-3]}-{name}={value}-{run}")
          for page, views in VIEWS.items() for name, values in views.items() for value in values
          for run in range(0, len(NASTY), 4)]
CASES += [pytest.param(page, params, id=f"seen-{page[6:-3]}-{i}") for i, (page, params) in enumerate(SEEN)]


@pytest.mark.parametrize(("page", "params"), CASES)
def test_nasty_url_values_never_raise(use_database: Callable[[str], None], hostile_db_url: str, page: str,
                                      params: dict[str, str]) -> None:
    at = _open(use_database, hostile_db_url, page, params)
    assert not at.exception, [e.value for e in at.exception]
    assert not [e for e in at.error if "事件编号" in e.value], [e.value for e in at.error]


def _open(use_database: Callable[[str], None], url: str, page: str, params: dict[str, str]) -> AppTest:
    """The page opened straight from a link (one run, as a browser's first request)."""
    use_database(url)
    clear_all()
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.session_state[ACTOR_KEY] = Actor(user_id=None, login="test-admin", display_name="管理员", role=Role.ADMIN)
    for key, value in params.items():
        at.query_params[key] = value
    return at.switch_page(page).run()
