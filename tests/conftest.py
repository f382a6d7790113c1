"""Shared fixtures: test databases and an AppTest factory.

- ``tiny_db_url``: the hand-built county of ``tests/factories.py`` (numbers worked on paper).
- ``sample_db_url``: the generator's ``test`` scale (a small but realistic county), built
  once per test session into a temporary SQLite file.
Both are SQLite files; PostgreSQL tests use ``TEST_DATABASE_URL`` (see test_postgres.py).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data_access.db import get_engine

REPO_ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = str(REPO_ROOT / "dashboard.py")
# A fixed "today" for the sample data, so tests see the same county every day.
SAMPLE_END_DATE = dt.date(2026, 11, 20)


@pytest.fixture(scope="session")
def tiny_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    from tests.factories import build_tiny_county

    url = f"sqlite:///{tmp_path_factory.mktemp('tiny') / 'tiny.sqlite'}"
    build_tiny_county(get_engine(url))
    return url


@pytest.fixture(scope="session")
def sample_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    from sample_data.generate import generate

    url = f"sqlite:///{tmp_path_factory.mktemp('sample') / 'sample.sqlite'}"
    generate(get_engine(url), scale="test", end_date=SAMPLE_END_DATE)
    return url


@pytest.fixture(scope="session")
def hostile_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The small county whose names are attacks (tests/hostile_factory.py)."""
    from tests.hostile_factory import build_hostile_county

    url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'hostile.sqlite'}"
    build_hostile_county(get_engine(url))
    return url


@pytest.fixture
def own_county(tmp_path: Path, sample_db_url: str) -> str:
    """A private copy of the sample county with its sign-in state as generated.

    The browser tests sign in against the shared sample county (sessions, extra users, wall
    links), so a copy made later in the run would carry them: these are cleared, leaving the
    five demo accounts unlocked and nothing else.
    """
    import sqlite3

    copy = tmp_path / "county.sqlite"
    # The backup API, not a file copy: the latest commits may still sit in the -wal file.
    with sqlite3.connect(sample_db_url.removeprefix("sqlite:///")) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    with sqlite3.connect(copy) as conn:
        conn.execute("DELETE FROM user_session")
        conn.execute("DELETE FROM wall_link")
        conn.execute("DELETE FROM audit_entry")
        conn.execute("DELETE FROM app_user WHERE NOT is_demo")
        conn.execute("UPDATE app_user SET failed_attempts = 0, locked_until = NULL, active = 1")
    return f"sqlite:///{copy}"


@pytest.fixture
def live_copy(tmp_path: Path, sample_db_url: str) -> tuple[str, dt.date]:
    """A private copy of the sample county for the live feed to write into, and the day to replay.

    The day is the one after the county's last visit; the session's sample county stays untouched.
    """
    import sqlite3

    from sqlalchemy import text

    from data_access.queries.sql import as_date

    copy_path = tmp_path / "live.sqlite"
    with sqlite3.connect(sample_db_url.removeprefix("sqlite:///")) as source, sqlite3.connect(copy_path) as copy:
        source.backup(copy)
    url = f"sqlite:///{copy_path}"
    with get_engine(url).connect() as conn:
        last = as_date(conn.execute(text("SELECT MAX(visit_date) FROM visit")).scalar())
    return url, last + dt.timedelta(days=1)


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing() -> Iterator[None]:
    """argon2id with tiny cost parameters in tests (still argon2id, still salted).

    The production profile (64 MiB, 3 passes) takes a second per hash on a busy 2-core CI
    machine; the hashes record their parameters, so servers started by the browser tests
    verify them as well.
    """
    from argon2 import PasswordHasher

    from data_access.access import passwords

    previous = passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    yield
    passwords.use_hasher(previous)


@pytest.fixture(autouse=True)
def _default_language_outside_a_session(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts in Chinese outside a script run.

    ``components.i18n`` remembers the last language chosen in the process for code that runs
    without a session; an English AppTest would otherwise leak English into the next test.
    """
    from components import i18n

    monkeypatch.setattr(i18n, "_last_language", i18n.DEFAULT_LANGUAGE)


@pytest.fixture(autouse=True)
def _navigation_mode_like_a_running_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run AppTest like a server that has served its first page.

    AppTest resets Streamlit's legacy ``pages/`` flag before every run, so each run after
    the first would run the page without the router (see components/routing.py), which
    reruns and loses the click that started the run. A real server leaves that mode for
    good on its first page; the deep-link path itself is covered by the browser tests.
    """
    from streamlit.runtime.pages_manager import PagesManager

    original_init = PagesManager.__init__

    def init(self: PagesManager, *args: object, **kwargs: object) -> None:
        original_init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture
def use_database(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Point the app (``DATABASE_URL``) at a test database for this test."""

    def _use(url: str) -> None:
        monkeypatch.setenv("DATABASE_URL", url)

    return _use


@pytest.fixture
def app_factory(use_database: Callable[[str], None]) -> Iterator[Callable[..., AppTest]]:
    """Build an AppTest of the whole app on a database, optionally on one page.

    ``app(url, page="pages/sales.py", params={"period": "2026-11"})`` returns the AppTest
    after its first run (the shell runs first, as in the browser). ``actor`` is the signed-in
    user (default: a marketing administrator, who sees everything).
    """
    from components.auth import ACTOR_KEY
    from data_access.access.permissions import Actor, Role
    from data_access.cache import clear_all

    default_actor = Actor(user_id=None, login="test-admin", display_name="测试管理员", role=Role.ADMIN)

    def _make(url: str, page: str | None = None, params: dict[str, str] | None = None, timeout: float = 60,
              actor: Actor | None = default_actor) -> AppTest:
        use_database(url)
        clear_all()
        at = AppTest.from_file(DASHBOARD, default_timeout=timeout)
        if actor is not None:
            at.session_state[ACTOR_KEY] = actor
        for key, value in (params or {}).items():
            at.query_params[key] = value
        at.run()
        if page is not None:
            at.switch_page(page).run()
        return at

    yield _make
    os.environ.pop("DATABASE_URL", None)
