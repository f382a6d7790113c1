"""A department score saved while a long import runs (issue 16, "writers that meet a long import").

On SQLite the import held the write lock from its first row: a score saved 4 s into a
2.4 M-line import waited 30 s and failed with a raw OperationalError. Now the import reads,
validates and stages without the lock and holds it only for the final merge; a writer that
still meets the lock retries, learns which import is running, and in the end gets a
WriteBusy the page turns into a message. Threads are synchronised with events (no sleeps
or timed asserts): the waits below only bound a hang.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access import busy
from data_access.db import get_engine
from data_access.loaders import Source, run_import
from data_access.loaders import merge as merge_module
from data_access.loaders.marker import current_import
from data_access.team_entry import save_group_scores
from tests.actors import ADMIN
from tests.factories import build_tiny_county
from tests.test_loaders import R1, R2, R3

NOV = dt.date(2026, 11, 1)
TODAY = dt.date(2026, 12, 7)
HANG = 60  # seconds before a broken synchronisation fails the test instead of hanging it


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    eng = get_engine(f"sqlite:///{tmp_path / 'locks.sqlite'}")
    build_tiny_county(eng)
    return eng


def long_orders_file() -> bytes:
    """Every day of 2024-2025 for three retailers and two products: 4,386 lines, read 500 at a time."""
    lines = ["订单日期,许可证号,卷烟编码,数量"]
    day = dt.date(2024, 1, 1)
    while day < dt.date(2026, 1, 1):
        lines += [f"{day},{r},{p},{n}" for r in (R1, R2, R3) for n, p in ((5, "P1"), (7, "P2"))]
        day += dt.timedelta(days=1)
    return ("\n".join(lines) + "\n").encode("utf-8")


def department_id(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT id FROM department WHERE code = 'D1'")).scalar_one()


def save_score(engine: Engine, score: float, **retry: object) -> int:
    dept = department_id(engine)
    return busy.write_with_retry(engine, lambda session: save_group_scores(
        session, month=NOV, department_id=dept, scores={"six_s": score}, actor=ADMIN, reason="复核"),
        **retry)


def stored_score(engine: Engine) -> float | None:
    with engine.connect() as conn:
        return conn.execute(text("SELECT score FROM department_group_score WHERE group_code = 'six_s' "
                                 "AND department_id = (SELECT id FROM department WHERE code = 'D1')")).scalar()


def run_in_thread(target, *args, **kwargs) -> tuple[threading.Thread, dict]:
    outcome: dict = {}

    def body() -> None:
        try:
            outcome["value"] = target(*args, **kwargs)
        except BaseException as error:
            outcome["error"] = error

    thread = threading.Thread(target=body, daemon=True)
    thread.start()
    return thread, outcome


def test_a_score_saved_while_the_import_reads_its_file_is_not_blocked(engine: Engine) -> None:
    # The old importer took the write lock before reading the first row: this save then
    # failed (WriteBusy after its retries here; a raw OperationalError on the old page).
    staging, saved = threading.Event(), threading.Event()
    outcome_save: dict = {}

    def progress(rows: int) -> None:
        if not staging.is_set():
            staging.set()
            assert saved.wait(HANG), "the save never finished while the import was staging"

    importer, outcome = run_in_thread(run_import, Source.from_bytes("orders.csv", long_orders_file()), "orders",
                                      engine=engine, actor=ADMIN, chunk_size=500, progress=progress, today=TODAY)
    assert staging.wait(HANG)
    marker = current_import(engine)
    assert marker is not None and (marker.kind, marker.merging_since) == ("orders", None)
    try:
        outcome_save["count"] = save_score(engine, 88.0, attempts=2, attempt_wait_ms=500, pause_s=0)
    except busy.WriteBusy as error:
        outcome_save["error"] = error
    saved.set()
    importer.join(HANG)
    assert "error" not in outcome_save, "the save met the import's lock while the file was being read"
    assert outcome_save["count"] == 1 and stored_score(engine) == 88.0
    result = outcome["value"]
    assert result.committed and (result.rows_added, result.rows_updated) == (4385, 1)  # 2025-11-03 R1 P2 existed
    assert current_import(engine) is None  # the marker is gone with the import


def test_a_score_saved_during_the_final_merge_waits_says_why_and_lands_after_it(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    merging, writer_waited = threading.Event(), threading.Event()
    real_merge = merge_module.apply_merge

    def slow_merge(*args: object, **kwargs: object) -> None:
        merging.set()
        assert writer_waited.wait(HANG), "the writer never reported waiting"
        real_merge(*args, **kwargs)

    monkeypatch.setattr(merge_module, "apply_merge", slow_merge)
    importer, outcome = run_in_thread(run_import, Source.from_bytes("orders.csv", long_orders_file()), "orders",
                                      engine=engine, actor=ADMIN, chunk_size=500, today=TODAY)
    assert merging.wait(HANG)
    seen = []

    def on_wait(marker, attempt: int) -> None:
        seen.append(marker)
        writer_waited.set()

    count = save_score(engine, 91.0, attempts=50, attempt_wait_ms=200, pause_s=0, on_wait=on_wait)
    importer.join(HANG)
    assert outcome["value"].committed
    assert count == 1 and stored_score(engine) == 91.0  # the entry was kept and landed after the merge
    assert seen[0] is not None and seen[0].kind == "orders" and seen[0].merging_since is not None
    assert seen[0].file_name == "orders.csv"


def test_a_lock_that_stays_ends_in_write_busy_not_a_raw_error_and_writes_nothing(engine: Engine) -> None:
    holder = engine.raw_connection()
    try:
        holder.cursor().execute("BEGIN IMMEDIATE")
        waits = []
        with pytest.raises(busy.WriteBusy) as raised:
            save_score(engine, 77.0, attempts=3, attempt_wait_ms=50, pause_s=0,
                       on_wait=lambda marker, attempt: waits.append(attempt))
        assert raised.value.marker is None and waits == [1, 2]
    finally:
        holder.rollback()
        holder.close()
    assert stored_score(engine) is None
    assert save_score(engine, 77.0) == 1 and stored_score(engine) == 77.0  # and it saves once free


def test_other_database_errors_are_not_retried(engine: Engine) -> None:
    calls = []

    def broken(session: Session) -> None:
        calls.append(1)
        session.execute(text("SELECT no_such_column FROM department"))

    with pytest.raises(Exception, match="no_such_column"):
        busy.write_with_retry(engine, broken, attempts=3, pause_s=0)
    assert calls == [1]


def test_the_teams_page_keeps_the_entry_and_says_an_import_is_running(
    app_factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from data_access.loaders.marker import marking_import
    from tests.team_factory import competition_database

    monkeypatch.setattr(busy, "ATTEMPTS", 2)
    monkeypatch.setattr(busy, "ATTEMPT_WAIT_MS", 50)
    monkeypatch.setattr(busy, "PAUSE_S", 0)
    url = competition_database(tmp_path)
    at = app_factory(url, page="pages/teams.py", params={"period": "2026-11", "tm_view": "entry"})
    at.selectbox(key="tm_entry_dept").select_index(2).run()
    at.number_input(key="tm_entry_innovation").set_value(85.0)
    engine = get_engine(url)
    holder = engine.raw_connection()
    try:
        with marking_import(engine, "orders", "订单_2026*11*.csv"):
            holder.cursor().execute("BEGIN IMMEDIATE")  # the import's final merge
            at.button(key="tm_entry_submit").click().run()
    finally:
        holder.rollback()
        holder.close()
    assert not at.exception and not at.error
    warning = at.warning[0].value
    assert "正在导入订单明细" in warning and "已进行 0 分" in warning and "您填写的内容已保留" in warning
    assert "2026\\*11\\*" in warning  # the file name is text, not markdown
    assert at.number_input(key="tm_entry_innovation").value == 85.0  # what was typed is still there
    at.button(key="tm_entry_submit").click().run()  # the import has finished: saving again works
    assert not at.warning and "已保存 1 项分数" in at.success[0].value
