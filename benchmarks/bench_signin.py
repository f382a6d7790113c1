"""What the sign-in check adds to a page rerun (issue 12: at most 5 ms).

Every rerun of every page re-checks the tab's session in the database (one indexed read of
``user_session`` joined to ``app_user``; ``last_seen_at`` is written at most once a minute).
Measured three ways on a SQLite database holding 10,000 session rows:

1. the re-check itself (``check_session`` in its own transaction), as the gate runs it;
2. the first run of a new tab (cookie → ``resolve_token``);
3. an AppTest rerun of a trivial page with and without ``sign_in_gate()``: the difference of
   the medians is the whole cost as a page sees it (Streamlit's own rerun overhead cancels).

Run: ``python -m benchmarks.bench_signin``
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import tempfile
import time
from pathlib import Path

from sqlmodel import Session

from benchmarks.common import machine_description, write_section
from data_access.access.permissions import SYSTEM
from data_access.access.sessions import check_session, resolve_token, start_session
from data_access.access.users import create_user
from data_access.db import create_schema, get_engine, session_scope

SESSIONS = 10_000


def _prepare(url: str) -> tuple[int, str]:
    engine = get_engine(url)
    create_schema(engine)
    with Session(engine) as session:
        user = create_user(session, SYSTEM, login="bench", display_name="Bench", role="leader",
                           password="bench-password-1")
        session.flush()
        old = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)
        for _ in range(SESSIONS - 1):  # a year of sign-ins by a county's staff
            start_session(session, int(user.id), now=old)
        token, session_id = start_session(session, int(user.id))
        session.commit()
    return session_id, token


def _timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _stats(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def _apptest_reruns(url: str, session_id: int, with_gate: bool, repeat: int) -> list[float]:
    from streamlit.testing.v1 import AppTest

    def page(session_id: int, with_gate: bool) -> None:
        import streamlit as st

        if with_gate:
            from components.auth import ACTOR_KEY
            from components.gate import SESSION_ID_KEY, VIA_KEY, sign_in_gate
            from data_access.access.permissions import Actor, Role

            if ACTOR_KEY not in st.session_state:  # as after a sign-in in this tab
                st.session_state[ACTOR_KEY] = Actor(user_id=1, login="bench", display_name="Bench", role=Role.LEADER)
                st.session_state[VIA_KEY] = "session"
                st.session_state[SESSION_ID_KEY] = session_id
            sign_in_gate()
        st.write("page body")

    at = AppTest.from_function(page, args=(session_id, with_gate), default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    return _timed(at.run, repeat)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'signin.sqlite'}"
        os.environ["DATABASE_URL"] = url
        session_id, token = _prepare(url)

        def recheck() -> None:
            with session_scope(url) as session:
                assert check_session(session, session_id) is not None

        def cookie() -> None:
            with session_scope(url) as session:
                assert resolve_token(session, token) is not None

        _timed(recheck, 50)  # warm the connection pool and SQLite's page cache
        recheck_ms = _stats(_timed(recheck, 1000))
        cookie_ms = _stats(_timed(cookie, 1000))
        without, with_gate = [], []
        for _ in range(3):  # interleaved, so drifting machine load hits both alike
            without += _apptest_reruns(url, session_id, False, 40)
            with_gate += _apptest_reruns(url, session_id, True, 40)
        plain, gated = _stats(without), _stats(with_gate)
        added = gated[0] - plain[0]

    verdict = "✅" if max(recheck_ms[0], added) <= 5 else "❌"
    markdown = f"""
## Sign-in check per page rerun (issue 12)

Command: `python -m benchmarks.bench_signin` · Machine: {machine_description()}

SQLite with {SESSIONS:,} `user_session` rows. Each rerun of every page re-checks the tab's
session (revoked? idle? user deactivated?) with one indexed read; `last_seen_at` is written at
most once a minute. Target: the check adds at most 5 ms to a rerun.

| what | median ms | p95 ms |
|---|---:|---:|
| re-check of this tab's session (`check_session` + its transaction), 1,000 runs | {recheck_ms[0]:.2f} | {recheck_ms[1]:.2f} |
| new tab signed in by its cookie (`resolve_token`), 1,000 runs | {cookie_ms[0]:.2f} | {cookie_ms[1]:.2f} |
| AppTest rerun of a trivial page, no gate, 120 runs | {plain[0]:.2f} | {plain[1]:.2f} |
| the same page with `sign_in_gate()`, 120 runs | {gated[0]:.2f} | {gated[1]:.2f} |
| **added by the gate (difference of medians)** | **{added:.2f}** | |

Within 5 ms: {verdict}. Sign-in itself (argon2id, once per sign-in, not per rerun) is
deliberately slow and not part of this budget.
"""
    write_section("signin", markdown)
    print(markdown)


if __name__ == "__main__":
    main()
