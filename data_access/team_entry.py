"""Entry and correction of the manually scored competition groups (2–5), with audit trail.

Every accepted change writes the score and one audit row in the same transaction and
bumps the ``scores`` data version, so every open page shows it on its next rerun.
Invalid input raises :class:`ScoreEntryError` carrying a translation key and values for
the UI; nothing is written then.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlmodel import Session, select

from data_access.db import bump_data_version
from data_access.models import MANUAL_SCORE_GROUPS, Department, DepartmentGroupScore, DepartmentGroupScoreAudit

MAX_NAME = 40
MAX_REASON = 200


@dataclass
class ScoreEntryError(ValueError):
    """Rejected entry: ``problems`` holds (translation key, values) pairs, one per problem."""

    problems: list[tuple[str, dict[str, object]]] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(f"{key} {values}" for key, values in self.problems)


def validate_entry(
    scores: Mapping[str, float | None], *, month: dt.date, entered_by: str, reason: str
) -> list[tuple[str, dict[str, object]]]:
    """The problems of an entry (empty when valid). ``None`` scores mean "leave as is"."""
    problems: list[tuple[str, dict[str, object]]] = []
    if month.day != 1:
        problems.append(("teams.error.month", {"month": month.isoformat()}))
    if not entered_by.strip():
        problems.append(("teams.error.entered_by", {}))
    elif len(entered_by.strip()) > MAX_NAME:
        problems.append(("teams.error.too_long", {"max": MAX_NAME}))
    if len(reason) > MAX_REASON:
        problems.append(("teams.error.too_long", {"max": MAX_REASON}))
    for group, value in scores.items():
        if group not in MANUAL_SCORE_GROUPS:
            problems.append(("teams.error.group", {"group": group}))
        elif value is not None and (
            not isinstance(value, int | float) or math.isnan(value) or not 0 <= value <= 100
        ):
            problems.append(("teams.error.range", {"group": group, "value": value}))
    if all(value is None for value in scores.values()):
        problems.append(("teams.error.nothing", {}))
    return problems


def save_group_scores(
    session: Session, *, month: dt.date, department_id: int, scores: Mapping[str, float | None],
    entered_by: str, reason: str = "", now: dt.datetime | None = None,
) -> int:
    """Enter or correct a department's group scores for ``month``; returns rows changed.

    A correction of an existing score needs a reason. Unchanged values write nothing.
    Commits on success; raises :class:`ScoreEntryError` (nothing written) otherwise.
    """
    problems = validate_entry(scores, month=month, entered_by=entered_by, reason=reason)
    if session.get(Department, department_id) is None:
        problems.append(("teams.error.department", {"department": department_id}))
    if problems:
        raise ScoreEntryError(problems)
    now = now or dt.datetime.now().replace(microsecond=0)
    who = entered_by.strip()
    existing = {
        row.group_code: row
        for row in session.exec(
            select(DepartmentGroupScore).where(
                DepartmentGroupScore.month == month, DepartmentGroupScore.department_id == department_id
            )
        )
    }
    changes = [
        (group, float(value)) for group, value in scores.items()
        if value is not None and (group not in existing or existing[group].score != float(value))
    ]
    if any(group in existing for group, _ in changes) and not reason.strip():
        raise ScoreEntryError([("teams.error.reason", {})])
    try:
        for group, value in changes:
            row = existing.get(group)
            old = None if row is None else row.score
            if row is None:
                row = DepartmentGroupScore(month=month, department_id=department_id, group_code=group,
                                           score=value, entered_by=who, entered_at=now)
            else:
                row.score, row.entered_by, row.entered_at = value, who, now
            session.add(row)
            session.add(DepartmentGroupScoreAudit(
                month=month, department_id=department_id, group_code=group, old_score=old, new_score=value,
                entered_by=who, entered_at=now, reason=reason.strip(),
            ))
        if changes:
            bump_data_version(session, "scores")
        session.commit()
    except Exception:
        session.rollback()
        raise
    return len(changes)
