"""One import, end to end: read, validate, stage, merge, refresh, log — in one transaction.

Shared by the CLI (``python -m data_access.load``) and the Import page. Nothing is written
unless the whole file is valid, or the caller explicitly accepts only the valid rows. A
dry run does all the work, reports what would change, and rolls back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access.access import audit
from data_access.access.permissions import Action, Actor, require
from data_access.config import get_setting
from data_access.db import bump_data_version, get_engine
from data_access.loaders import merge
from data_access.loaders.dates import DateWindow
from data_access.loaders.marker import marking_import
from data_access.loaders.numbers import NumberFormat
from data_access.loaders.parsing import ChunkChecker, Issue, SpecHeaders, map_headers
from data_access.loaders.reading import FileProblem, Source, is_blank_header, open_table
from data_access.loaders.specs import SPECS, KindSpec, build_specs
from data_access.models import CustomerManager, Department, ImportLog, Product, Retailer

MAX_ISSUES = 5_000  # kept in detail; the count covers all of them


@dataclass
class ImportResult:
    """What an import did (or, for a dry run or a rejected file, would have done)."""

    kind: str
    file_name: str
    file_sha256: str = ""
    dry_run: bool = False
    committed: bool = False
    file_problem: Issue | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    ignored_headers: list[str] = field(default_factory=list)
    encoding: str | None = None
    format: str | None = None  # csv, xlsx or html
    delimiter: str | None = None
    header_row: int | None = None
    number_format: NumberFormat | None = None
    rows_read: int = 0
    rows_added: int = 0
    rows_updated: int = 0
    rows_unchanged: int = 0
    rejected_rows: set[int] = field(default_factory=set)
    issues: list[Issue] = field(default_factory=list)
    issues_total: int = 0
    warnings: list[Issue] = field(default_factory=list)  # reported; the rows were imported
    log_id: int | None = None

    @property
    def rows_rejected(self) -> int:
        return len(self.rejected_rows)

    @property
    def has_errors(self) -> bool:
        return self.file_problem is not None or self.issues_total > 0

    def add_issues(self, issues: list[Issue]) -> None:
        warnings = [i for i in issues if i.warning]
        if warnings:
            self.warnings.extend(warnings[:max(0, MAX_ISSUES - len(self.warnings))])
            issues = [i for i in issues if not i.warning]
        self.issues_total += len(issues)
        self.rejected_rows.update(i.row for i in issues if i.row is not None)
        room = MAX_ISSUES - len(self.issues)
        if room > 0:
            self.issues.extend(issues[:room])


def spec_for(kind: str, session: Session) -> KindSpec:
    """The kind's spec; inspections follow the county's configured display rubric."""
    if kind not in SPECS:
        raise KeyError(kind)
    if kind == "inspections":
        return build_specs(get_setting(session, "display_rubric"))[kind]
    return SPECS[kind]


def _reference_maps(session: Session, spec: KindSpec) -> dict[str, dict[str, Any]]:
    """Business key -> id for the references this kind uses (small master tables only)."""
    refs = {c.ref for c in spec.columns if c.ref}
    maps: dict[str, dict[str, Any]] = {}
    if "department" in refs:
        maps["department"] = dict(session.execute(select(Department.code, Department.id)).all())
    if "manager" in refs:
        maps["manager"] = dict(session.execute(select(CustomerManager.code, CustomerManager.id)).all())
    if "retailer" in refs:
        maps["retailer"] = dict(session.execute(select(Retailer.licence_no, Retailer.id)).all())
    if "product" in refs:
        rows = session.execute(select(Product.code, Product.id, Product.wholesale_price, Product.cost_price)).all()
        maps["product"] = {code: pid for code, pid, _, _ in rows}
        maps["product_price"] = {pid: (wholesale, cost) for _, pid, wholesale, cost in rows}
    if "brand" in refs:
        maps["brand"] = {b: True for b in session.execute(select(Product.brand_family).distinct()).scalars()}
    return maps


def _take_write_lock(conn: Connection) -> None:
    # SQLite: wait (busy_timeout) for the database-wide write lock now, for the merge only.
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


@dataclass
class _Staged:
    """A validated file in the connection's temporary stage, ready to merge."""

    spec: KindSpec
    stage: Table
    present: list[str]
    headers: dict[str, str]


def run_import(
    source: Source,
    kind: str,
    *,
    engine: Engine | None = None,
    dry_run: bool = False,
    accept_valid_rows: bool = False,
    actor: Actor | None,
    now: dt.datetime | None = None,
    chunk_size: int = 50_000,
    progress: Callable[[int], None] | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """Import ``source`` as ``kind`` for ``actor``; returns counts and problems.

    ``today`` (default: the clock's today) sets the plausible date window (``import_date_window``).

    Raises ``PermissionDenied`` before reading anything unless the actor may import. The
    import log and an audit row are written with the data (or, for a dry run or a rejected
    file, on their own).

    Two phases on one connection. Reading, validating and staging run in a read transaction
    into a temporary table: other writers (a score saved on the teams page, the live feed)
    are not blocked, however long the file. Only the final merge (re-check against the
    current data, count, write, refresh aggregates, log) holds the write lock, in one
    transaction: all or nothing. A marker file tells blocked writers what is running
    (``data_access.loaders.marker``). Unexpected errors propagate after the rollback.
    ``now`` (aware) stamps the audit row (default: now).
    """
    engine = engine or get_engine()
    with Session(engine) as check:
        require(actor, Action.IMPORT_DATA, session=check)
    user = actor.display_name
    result = ImportResult(kind=kind, file_name=source.name, dry_run=dry_run)
    result.file_sha256 = source.sha256()
    with marking_import(engine, kind, source.name) as merging, engine.connect() as conn:
        try:
            conn.begin()
            with Session(bind=conn) as session:
                staged = _stage_and_check(session, conn, source, kind, result, accept_valid_rows=accept_valid_rows,
                                          user=user, chunk_size=chunk_size, progress=progress, today=today)
            conn.commit()  # the read snapshot ends; the temporary stage stays on this connection
            if staged is not None:
                merging()
                conn.begin()
                _take_write_lock(conn)
                with Session(bind=conn) as session:
                    if _merge_staged(session, conn, staged, result, accept_valid_rows=accept_valid_rows):
                        log = _log_row(result, user)
                        session.add(log)
                        _audit(session, actor, result, committed=True, now=now)
                        session.flush()
                        result.log_id = log.id
                        conn.commit()
                        result.committed = True
                if not result.committed:
                    conn.rollback()
        except FileProblem as problem:
            conn.rollback()
            result.file_problem = Issue(None, "", problem.code, dict(problem.params))
        except BaseException:
            conn.rollback()
            raise
        finally:
            _drop_stage(conn)
    if not result.committed:
        result.log_id = _log_separately(engine, result, actor, now)
    return result


def _drop_stage(conn: Connection) -> None:
    try:
        if conn.in_transaction():
            conn.rollback()
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {merge.STAGE_NAME}")
        conn.commit()
    except Exception:
        conn.invalidate()


def _stage_and_check(session: Session, conn: Connection, source: Source, kind: str, result: ImportResult, *,
                     accept_valid_rows: bool, user: str, chunk_size: int,
                     progress: Callable[[int], None] | None, today: dt.date | None) -> _Staged | None:
    """Read, validate and stage the file without the write lock; count what it would change.

    Returns the staged file when it should be merged (no errors, or the valid rows are
    accepted; not a dry run), else None.
    """
    if kind not in SPECS:
        raise FileProblem("unknown_kind", kind=kind)
    spec = spec_for(kind, session)
    opened = open_table(source, chunk_size=chunk_size, matcher=SpecHeaders(spec))
    result.encoding, result.format = opened.encoding, opened.format
    result.delimiter, result.header_row = opened.delimiter, opened.header_row
    mapping = map_headers(spec, opened.headers)
    result.mapping = mapping
    result.ignored_headers = [h for h in opened.headers if not is_blank_header(h) and h not in mapping.values()]
    window = DateWindow.from_config(get_setting(session, "import_date_window"), today)
    tolerance = float(get_setting(session, "import_checks")["amount_tolerance"])
    checker = ChunkChecker(spec, mapping, _reference_maps(session, spec), user=user, window=window,
                           delimiter=opened.delimiter, amount_tolerance=tolerance)
    stage = merge.create_stage(conn, spec)
    for chunk in opened.chunks:
        result.rows_read += len(chunk)
        rows, issues = checker.check(chunk)
        if spec.kind == "group_scores":
            rows["reason"] = rows["reason"].where(rows["reason"].astype(str) != "", f"导入 {source.name}")
        result.add_issues(issues)
        merge.stage_rows(conn, stage, rows)
        result.number_format = checker.numbers
        if progress is not None:
            progress(result.rows_read)
    if result.rows_read == 0:
        raise FileProblem("no_rows")
    merge.index_stage(conn, spec, stage)
    key_headers = {k: mapping.get(_field_of(spec, k), k) for k in spec.key}
    result.add_issues(merge.find_duplicates(conn, spec, stage, key_headers))
    headers = {spec.column_spec(f).column: h for f, h in mapping.items()}
    result.add_issues(merge.find_conflicts(conn, spec, stage, headers))
    if result.has_errors and not accept_valid_rows and not result.dry_run:
        return None
    staged = _Staged(spec, stage, checker.present_columns, headers)
    if result.dry_run:
        # A dry run also counts what the valid rows would do, even when other rows have problems.
        counts = merge.count_changes(conn, spec, stage, staged.present)
        result.rows_added, result.rows_updated, result.rows_unchanged = counts.added, counts.updated, counts.unchanged
        return None
    return staged


def _merge_staged(session: Session, conn: Connection, staged: _Staged, result: ImportResult, *,
                  accept_valid_rows: bool) -> bool:
    """Under the write lock: re-check against the data as it is now, count, write. True to commit."""
    spec, stage = staged.spec, staged.stage
    # Another import may have committed since the file was checked: codes it took are conflicts now.
    late = merge.find_conflicts(conn, spec, stage, staged.headers)
    result.add_issues(late)
    if late and not accept_valid_rows:
        return False
    counts = merge.count_changes(conn, spec, stage, staged.present)
    result.rows_added, result.rows_updated, result.rows_unchanged = counts.added, counts.updated, counts.unchanged
    if counts.added or counts.updated:
        merge.apply_merge(conn, spec, stage, staged.present, counts)
        bump_data_version(session, *spec.domains)
    return True


def _field_of(spec: KindSpec, column: str) -> str:
    return next((c.field for c in spec.columns if c.column == column), column)


def _log_row(result: ImportResult, user: str) -> ImportLog:
    return ImportLog(
        kind=result.kind, file_name=result.file_name[:200], file_sha256=result.file_sha256,
        imported_by=user[:40], imported_at=dt.datetime.now().replace(microsecond=0),
        rows_added=result.rows_added, rows_updated=result.rows_updated, rows_unchanged=result.rows_unchanged,
        rows_rejected=result.rows_rejected if result.file_problem is None else max(result.rows_read, 1),
        dry_run=result.dry_run,
    )


def _audit(session: Session, actor: Actor, result: ImportResult, *, committed: bool,
           now: dt.datetime | None = None) -> None:
    state = "commit" if committed else ("dry_run" if result.dry_run else "rejected")
    audit.record(session, actor, f"import.{state}", f"{result.kind} {result.file_name}"[:200], after={
        "sha256": result.file_sha256, "read": result.rows_read, "added": result.rows_added,
        "updated": result.rows_updated, "unchanged": result.rows_unchanged, "rejected": result.rows_rejected,
        "file_problem": result.file_problem.code if result.file_problem else None,
    }, at=now)


def _log_separately(engine: Engine, result: ImportResult, actor: Actor, now: dt.datetime | None) -> int | None:
    """Dry runs and rejected files are logged (and audited) too, in their own short transaction."""
    with Session(engine) as session:
        log = _log_row(result, actor.display_name)
        if not result.dry_run:  # nothing was written: the counts describe nothing applied
            log.rows_added = log.rows_updated = log.rows_unchanged = 0
        session.add(log)
        _audit(session, actor, result, committed=False, now=now)
        session.commit()
        return log.id
