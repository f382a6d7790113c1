"""Staging and upsert: validated rows go to a temporary table, then merge by natural key.

All statements are SQLAlchemy Core and run on the caller's connection, inside the
caller's transaction, identically on SQLite and PostgreSQL. Counting, duplicate detection
and the merge happen in the database, so a million rows never sit in Python at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)

from data_access.aggregates import (
    refresh_after_reassignment,
    refresh_sales_daily,
    refresh_visit_aggregates,
)
from data_access.gps_summary import refresh_gps_day_summary
from data_access.loaders.parsing import Issue
from data_access.loaders.reading import ROW_COLUMN
from data_access.loaders.specs import KindSpec, columns_in_table
from data_access.models import DepartmentGroupScoreAudit, InspectionScore, Order

STAGE_NAME = "import_stage"


def stage_columns(spec: KindSpec) -> list[str]:
    """Columns of the staging table (besides the row number)."""
    names = [c.column for c in spec.columns]
    return list(dict.fromkeys(names + list(spec.derived) + (["entered_at"] if spec.kind == "group_scores" else [])))


def create_stage(conn: Connection, spec: KindSpec) -> Table:
    """A fresh temporary staging table shaped like ``spec``'s rows."""
    columns = [Column(ROW_COLUMN, Integer, nullable=False)]
    for name in stage_columns(spec):
        if name in spec.table.c:
            columns.append(Column(name, spec.table.c[name].type))
        else:
            spec_col = next((c for c in spec.columns if c.column == name), None)
            columns.append(Column(name, Float if spec_col is not None and spec_col.type == "float" else String))
    stage = Table(STAGE_NAME, MetaData(), *columns, prefixes=["TEMPORARY"])
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {STAGE_NAME}")
    stage.create(conn)
    return stage


def index_stage(conn: Connection, spec: KindSpec, stage: Table) -> None:
    Index("ix_import_stage_key", *(stage.c[k] for k in spec.key)).create(conn)


def _column_values(series: pd.Series, sql_type: Any, sqlite: bool) -> list[Any]:
    """Driver-ready values of one column (what SQLAlchemy's bind processing would produce).

    Staging bypasses per-value bind processing, which dominates the time on big files; on
    SQLite dates and times use SQLAlchemy's storage format so they compare equal to stored rows.
    """
    if isinstance(sql_type, DateTime | Date):
        stamps = pd.to_datetime(series)
        if sqlite:
            fmt = "%Y-%m-%d %H:%M:%S.%f" if isinstance(sql_type, DateTime) else "%Y-%m-%d"
            values = stamps.dt.strftime(fmt)
        elif isinstance(sql_type, DateTime):
            values = pd.Series(stamps.dt.to_pydatetime(), index=series.index, dtype=object)
        else:
            values = pd.Series(stamps.dt.date, index=series.index, dtype=object)
        return values.astype(object).where(stamps.notna(), None).tolist()
    if isinstance(sql_type, Float):
        numbers = pd.to_numeric(series, errors="coerce").astype(float)
        return numbers.astype(object).where(numbers.notna(), None).tolist()
    if isinstance(sql_type, Boolean):
        flags = series.astype(object)
        known = flags.notna()
        return flags.map(lambda v: int(bool(v)) if sqlite else bool(v)).where(known, None).tolist()
    if isinstance(sql_type, Integer):
        numbers = pd.to_numeric(series, errors="coerce").astype("Int64")
        return numbers.astype(object).where(numbers.notna(), None).tolist()
    values = series.astype(object)
    return values.where(values.notna(), None).map(lambda v: v if v is None else str(v)).tolist()


def stage_rows(conn: Connection, stage: Table, frame: pd.DataFrame) -> None:
    """Insert a validated chunk into the staging table (one driver-level executemany)."""
    if frame.empty:
        return
    sqlite = conn.dialect.name == "sqlite"
    names = [c.name for c in stage.c]
    columns = [_column_values(frame[name], stage.c[name].type, sqlite) for name in names]
    marker = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {STAGE_NAME} ({', '.join(names)}) VALUES ({', '.join([marker] * len(names))})"
    conn.exec_driver_sql(sql, list(zip(*columns, strict=True)))


def _match(spec: KindSpec, stage: Table, target: Table) -> Any:
    return and_(*(target.c[k] == stage.c[k] for k in spec.key))


def find_duplicates(conn: Connection, spec: KindSpec, stage: Table, headers: dict[str, str]) -> list[Issue]:
    """Rows repeating the natural key of an earlier row of the file; they are removed from the stage."""
    first = (
        select(*(stage.c[k] for k in spec.key), func.min(stage.c[ROW_COLUMN]).label("first_row"))
        .group_by(*(stage.c[k] for k in spec.key))
        .having(func.count() > 1)
        .subquery()
    )
    stmt = (
        select(stage.c[ROW_COLUMN], first.c.first_row)
        .join(first, and_(*(first.c[k] == stage.c[k] for k in spec.key)))
        .where(stage.c[ROW_COLUMN] != first.c.first_row)
        .order_by(stage.c[ROW_COLUMN])
    )
    key_label = " + ".join(headers.values())
    issues = [Issue(int(row), key_label, "duplicate_row", {"first_row": int(first_row), "key": key_label})
              for row, first_row in conn.execute(stmt)]
    if issues:
        earlier = stage.alias("earlier")
        conn.execute(delete(stage).where(exists().where(
            and_(*(earlier.c[k] == stage.c[k] for k in spec.key)), earlier.c[ROW_COLUMN] < stage.c[ROW_COLUMN],
        )))
    return issues


def find_conflicts(conn: Connection, spec: KindSpec, stage: Table, headers: dict[str, str]) -> list[Issue]:
    """Rows whose other unique values (e.g. customer code) belong to a different record."""
    issues: list[Issue] = []
    target = spec.table
    for column in spec.unique_also:
        other = target.c[spec.key[0]]
        in_db = (
            select(stage.c[ROW_COLUMN], stage.c[column], other)
            .join(target, target.c[column] == stage.c[column])
            .where(or_(*(target.c[k] != stage.c[k] for k in spec.key)))
        )
        earlier = stage.alias("earlier")
        in_file = (
            select(stage.c[ROW_COLUMN], stage.c[column], earlier.c[spec.key[0]])
            .join(earlier, and_(earlier.c[column] == stage.c[column], earlier.c[ROW_COLUMN] < stage.c[ROW_COLUMN]))
        )
        rows = {int(r): (value, str(o)) for r, value, o in conn.execute(in_db)}
        rows.update({int(r): (value, str(o)) for r, value, o in conn.execute(in_file) if int(r) not in rows})
        header = headers.get(column, column)
        issues.extend(Issue(r, header, "already_used", {"value": v, "other": o}) for r, (v, o) in sorted(rows.items()))
        if rows:
            conn.execute(delete(stage).where(stage.c[ROW_COLUMN].in_(list(rows))))
    return issues


@dataclass
class MergeCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    reassigned: int = 0


def _changed_condition(spec: KindSpec, stage: Table, compare: list[str]) -> Any:
    target = spec.table
    conditions = [target.c[c].is_distinct_from(stage.c[c]) for c in compare]
    if spec.kind == "inspections":
        score = InspectionScore.__table__
        for part in spec.extra["rubric"]["parts"]:
            conditions.append(~exists().where(
                score.c.inspection_id == target.c.id, score.c.part_code == part["code"],
                score.c.points == stage.c[f"part_{part['code']}"],
            ))
    return or_(*conditions) if conditions else literal(False)


def count_changes(conn: Connection, spec: KindSpec, stage: Table, present: list[str]) -> MergeCounts:
    """How many staged rows are new, changed or identical to what is stored."""
    target = spec.table
    compare = [c for c in present if c in target.c and c not in spec.key and c not in spec.compare_exclude]
    staged = conn.execute(select(func.count()).select_from(stage)).scalar_one()
    joined = select(func.count()).select_from(stage.join(target, _match(spec, stage, target)))
    matched = conn.execute(joined).scalar_one()
    changed = _changed_condition(spec, stage, compare)
    header_given = [c for c in spec.header_columns if c in present]
    if header_given:  # a line is also "updated" when its order header changes (e.g. the channel)
        header = Order.__table__
        joined = joined.join(header, and_(header.c.order_date == stage.c.order_date,
                                          header.c.retailer_id == stage.c.retailer_id), isouter=True)
        changed = or_(changed, *(header.c[c].is_distinct_from(stage.c[c]) for c in header_given))
    updated = conn.execute(joined.where(changed)).scalar_one()
    reassign = [c for c in spec.reassign_columns if c in present]
    reassigned = 0
    if reassign and matched:
        reassigned = conn.execute(joined.where(or_(*(target.c[c].is_distinct_from(stage.c[c]) for c in reassign)))
                                  ).scalar_one()
    return MergeCounts(added=staged - matched, updated=updated, unchanged=matched - updated, reassigned=reassigned)


def apply_merge(conn: Connection, spec: KindSpec, stage: Table, present: list[str], counts: MergeCounts) -> None:
    """Write the staged rows: update changed ones, insert new ones, then the kind's extras."""
    target = spec.table
    insert_columns = [c for c in columns_in_table(spec) if c in stage.c]
    if spec.kind == "group_scores":
        insert_columns.append("entered_at")
        _audit_group_scores(conn, spec, stage)
    update_columns = [c for c in present if c in target.c and c not in spec.key]
    if spec.kind == "group_scores":
        update_columns = list(dict.fromkeys([*update_columns, "entered_by", "entered_at"]))
    compare = [c for c in present if c in target.c and c not in spec.key and c not in spec.compare_exclude]
    if counts.updated and update_columns:
        conn.execute(
            update(target)
            .where(_match(spec, stage, target))
            .where(or_(*(target.c[c].is_distinct_from(stage.c[c]) for c in compare)) if compare else literal(False))
            .values({c: stage.c[c] for c in update_columns})
        )
    if counts.added:
        conn.execute(insert(target).from_select(
            insert_columns,
            select(*(stage.c[c] for c in insert_columns)).where(~exists().where(_match(spec, stage, target)))
            # in key order: the unique index grows at its end instead of splitting pages everywhere
            .order_by(*(stage.c[k] for k in spec.key)),
        ))
    if spec.kind == "orders":
        _merge_order_headers(conn, stage, "channel" in present)
    if spec.kind == "inspections":
        _merge_inspection_parts(conn, spec, stage)
    if spec.kind == "orders" and (counts.added or counts.updated):
        first, last = conn.execute(select(func.min(stage.c.order_date), func.max(stage.c.order_date))).one()
        refresh_sales_daily(conn, start=_as_date(first), end=_as_date(last))
    if spec.kind == "visits" and (counts.added or counts.updated):
        first, last = conn.execute(select(func.min(stage.c.visit_date), func.max(stage.c.visit_date))).one()
        refresh_visit_aggregates(conn, start=_as_date(first), end=_as_date(last))
    if spec.kind == "gps" and (counts.added or counts.updated):
        first, last = conn.execute(select(func.min(stage.c.recorded_at), func.max(stage.c.recorded_at))).one()
        managers = conn.execute(select(stage.c.manager_id).distinct()).scalars().all()
        refresh_gps_day_summary(conn, start=_as_date(first), end=_as_date(last), manager_ids=managers)
    if counts.reassigned:
        refresh_after_reassignment(conn, target.name)


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _merge_order_headers(conn: Connection, stage: Table, channel_given: bool) -> None:
    """Every (retailer, date) with lines gets its order header (retail_order)."""
    header = Order.__table__
    grouped = (
        select(stage.c.order_date, stage.c.retailer_id, func.max(stage.c.channel).label("channel"))
        .group_by(stage.c.order_date, stage.c.retailer_id)
        .subquery()
    )
    same = and_(header.c.order_date == grouped.c.order_date, header.c.retailer_id == grouped.c.retailer_id)
    if channel_given:
        conn.execute(update(header).where(same, header.c.channel != grouped.c.channel)
                     .values(channel=grouped.c.channel))
    conn.execute(insert(header).from_select(
        ["order_date", "retailer_id", "channel", "status"],
        select(grouped.c.order_date, grouped.c.retailer_id, grouped.c.channel, literal("ordered"))
        .where(~exists().where(same)),
    ))


def _merge_inspection_parts(conn: Connection, spec: KindSpec, stage: Table) -> None:
    """Upsert the rubric part points of every staged inspection."""
    target, score = spec.table, InspectionScore.__table__
    for part in spec.extra["rubric"]["parts"]:
        code, points = part["code"], stage.c[f"part_{part['code']}"]
        conn.execute(
            update(score)
            .where(score.c.inspection_id == target.c.id, score.c.part_code == code, _match(spec, stage, target),
                   score.c.points.is_distinct_from(points))
            .values(points=points)
        )
        conn.execute(insert(score).from_select(
            ["inspection_id", "part_code", "points"],
            select(target.c.id, literal(code), points)
            .select_from(stage.join(target, _match(spec, stage, target)))
            .where(~exists().where(score.c.inspection_id == target.c.id, score.c.part_code == code)),
        ))


def _audit_group_scores(conn: Connection, spec: KindSpec, stage: Table) -> None:
    """One audit row per new or changed score, before the scores are overwritten."""
    target, audit = spec.table, DepartmentGroupScoreAudit.__table__
    conn.execute(insert(audit).from_select(
        ["month", "department_id", "group_code", "old_score", "new_score", "entered_by", "entered_at", "reason"],
        select(stage.c.month, stage.c.department_id, stage.c.group_code, target.c.score, stage.c.score,
               stage.c.entered_by, stage.c.entered_at, stage.c.reason)
        .select_from(stage.outerjoin(target, _match(spec, stage, target)))
        .where(or_(target.c.id.is_(None), target.c.score.is_distinct_from(stage.c.score))),
    ))
