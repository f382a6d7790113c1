"""Entry and correction of the manually scored competition groups (2–5), with audit trail.

Every accepted change writes the score, its history row (``department_group_score_audit``,
shown on the competition page) and one ``audit_entry`` row in the same transaction, all
naming the signed-in user, and bumps the ``scores`` data version, so every open page shows
it on its next rerun. Only an actor holding ``SCORE_ENTRY`` may save, and never for their
own department (``PermissionDenied``, nothing written).
Invalid input raises :class:`ScoreEntryError` carrying a translation key and values for
the UI; nothing is written then.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlmodel import Session, select

from data_access.access import audit
from data_access.access.permissions import Action, Actor, require
from data_access.db import bump_data_version
from data_access.models import MANUAL_SCORE_GROUPS, Department, DepartmentGroupScore, DepartmentGroupScoreAudit

MAX_NAME = 40  # the history's name column
MAX_REASON = 200


@dataclass
class ScoreEntryError(ValueError):
    """Rejected entry: ``problems`` holds (translation key, values) pairs, one per problem."""

    problems: list[tuple[str, dict[str, object]]] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(f"{key} {values}" for key, values in self.problems)


def validate_entry(
    scores: Mapping[str, float | None], *, month: dt.date, reason: str
) -> list[tuple[str, dict[str, object]]]:
    """The problems of an entry (empty when valid). ``None`` scores mean "leave as is"."""
    problems: list[tuple[str, dict[str, object]]] = []
    if month.day != 1:
        problems.append(("teams.error.month", {"month": month.isoformat()}))
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
    actor: Actor | None, reason: str = "", now: dt.datetime | None = None,
) -> int:
    """Enter or correct a department's group scores for ``month`` as ``actor``; returns rows changed.

    A correction of an existing score needs a reason. Unchanged values write nothing.
    ``now`` is timezone-aware (default: now); the history shows it in China time.
    Commits on success; raises ``PermissionDenied`` or :class:`ScoreEntryError` (nothing
    written) otherwise.
    """
    require(actor, Action.SCORE_ENTRY, department_id=department_id, session=session)
    problems = validate_entry(scores, month=month, reason=reason)
    department = session.get(Department, department_id)
    if department is None:
        problems.append(("teams.error.department", {"department": department_id}))
    if problems:
        raise ScoreEntryError(problems)
    at = audit.as_utc(now) if now is not None else dt.datetime.now(dt.UTC).replace(microsecond=0)
    now = at.astimezone(audit.CHINA).replace(tzinfo=None)  # the history's naive China-time column
    who = actor.display_name[:MAX_NAME]
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
    before = {group: existing[group].score for group, _ in changes if group in existing}
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
            audit.record(
                session, actor, "score.correct" if any(g in existing for g, _ in changes) else "score.enter",
                f"{department.code} {month:%Y-%m}",
                before=before,
                after={**dict(changes), **({"reason": reason.strip()} if reason.strip() else {})}, at=at,
            )
            bump_data_version(session, "scores")
        session.commit()
    except Exception:
        session.rollback()
        raise
    return len(changes)
