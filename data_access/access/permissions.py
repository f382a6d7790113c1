"""Roles, actions and scopes: who may see and change what (DOMAIN.md §12).

The matrix role → actions is data: :data:`DEFAULT_PERMISSIONS` holds the defaults of the
issue's table, and a county overrides it with the ``role_permissions`` configuration
setting (``data_access.config``). :func:`can` and :func:`require` are the only places that
read it.

One rule is not configuration: a department head (or a customer manager) never changes
anything that scores their own department (:func:`scores_own_department`), however the
matrix is set. A change that is county-wide (weights, rubric, thresholds, imports) scores
every department, their own included.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session

    from data_access.models.access import AppUser


class Role(StrEnum):
    LEADER = "leader"  # 县局领导
    ADMIN = "admin"  # 营销中心管理员
    DEPT_HEAD = "dept_head"  # 服务部主任
    MANAGER = "manager"  # 客户经理
    WALL = "wall"  # 会议大屏


class Action(StrEnum):
    # reads (pages)
    VIEW_COUNTY = "view_county"  # overview and sales: county-level figures, public inside the company
    VIEW_RANKINGS = "view_rankings"  # terminal rankings and the department leaderboard
    VIEW_PEOPLE = "view_people"  # routes, retailer detail, personal scores (within the user's Scope)
    VIEW_MEETING = "view_meeting"  # the meeting wall's slides
    VIEW_AUDIT = "view_audit"
    # writes
    IMPORT_DATA = "import_data"
    SCORE_ENTRY = "score_entry"  # department scores and their corrections
    EDIT_WEIGHTS = "edit_weights"  # terminal composite and competition weights, KPI rule
    EDIT_RUBRIC = "edit_rubric"
    EDIT_VISIT_RULES = "edit_visit_rules"  # visit-anomaly and alert thresholds
    MANAGE_USERS = "manage_users"  # users and the permission matrix itself
    MANAGE_WALL_LINKS = "manage_wall_links"
    SAVE_SNAPSHOT = "save_snapshot"  # meeting snapshots


WRITE_ACTIONS = frozenset({
    Action.IMPORT_DATA, Action.SCORE_ENTRY, Action.EDIT_WEIGHTS, Action.EDIT_RUBRIC, Action.EDIT_VISIT_RULES,
    Action.MANAGE_USERS, Action.MANAGE_WALL_LINKS, Action.SAVE_SNAPSHOT,
})
# Actions whose result enters a department's score. ``department_id=None`` means county-wide.
SCORING_ACTIONS = frozenset({
    Action.SCORE_ENTRY, Action.EDIT_WEIGHTS, Action.EDIT_RUBRIC, Action.EDIT_VISIT_RULES, Action.IMPORT_DATA,
})
# Roles that belong to one department and so may never score it.
DEPARTMENT_ROLES = frozenset({Role.DEPT_HEAD, Role.MANAGER})


@dataclass(frozen=True)
class Actor:
    """The signed-in person a call acts for."""

    user_id: int | None
    login: str
    display_name: str
    role: Role
    department_id: int | None = None
    manager_id: int | None = None


class PermissionDenied(PermissionError):
    """The actor may not do this; the message is safe to show (no data in it)."""

    def __init__(self, action: Action, role: Role | None, reason: str = "role") -> None:
        self.action, self.role, self.reason = action, role, reason
        super().__init__(f"{action.value} not permitted for {role.value if role else 'anonymous'} ({reason})")


Matrix = Mapping[Role, frozenset[Action]]

_VIEWS = {Action.VIEW_COUNTY, Action.VIEW_RANKINGS, Action.VIEW_PEOPLE}
DEFAULT_PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.LEADER: frozenset({*_VIEWS, Action.VIEW_MEETING, Action.VIEW_AUDIT, Action.SAVE_SNAPSHOT}),
    Role.ADMIN: frozenset(Action),
    # The meeting's person-level slides show a head their own department only (meeting_scope).
    Role.DEPT_HEAD: frozenset({*_VIEWS, Action.VIEW_MEETING}),
    # Own routes, terminals and personal score, and the county leaderboard (issue 12's table).
    Role.MANAGER: frozenset({Action.VIEW_RANKINGS, Action.VIEW_PEOPLE}),
    Role.WALL: frozenset({Action.VIEW_MEETING}),
}


def matrix_to_config(matrix: Matrix) -> dict[str, list[str]]:
    """The JSON form stored in configuration: role → sorted action names."""
    return {role.value: sorted(action.value for action in actions) for role, actions in matrix.items()}


def matrix_from_config(value: Mapping[str, Iterable[str]]) -> dict[Role, frozenset[Action]]:
    """Parse the configured matrix; unknown roles or actions raise ``ValueError``.

    A role missing from the configuration may do nothing (no silent fallback to defaults).
    """
    if not isinstance(value, Mapping):
        raise ValueError("role_permissions must map role names to lists of actions")
    matrix: dict[Role, frozenset[Action]] = {role: frozenset() for role in Role}
    for role_name, actions in value.items():
        role = Role(role_name)
        if isinstance(actions, str | bytes):
            raise ValueError(f"actions of {role_name} must be a list")
        matrix[role] = frozenset(Action(name) for name in actions)
    return matrix


def permission_matrix(session: Session) -> dict[Role, frozenset[Action]]:
    """The county's configured matrix (``role_permissions``), defaults when none is saved.

    Read from the settings table directly rather than through ``data_access.config``, which
    itself checks permissions when a setting is saved: the dependency runs one way.
    """
    import json

    from data_access.models import ConfigSetting

    row = session.get(ConfigSetting, "role_permissions")
    return dict(DEFAULT_PERMISSIONS) if row is None else matrix_from_config(json.loads(row.value_json))


def scores_own_department(actor: Actor, action: Action, department_id: int | None) -> bool:
    """True when ``action`` on ``department_id`` (None: county-wide) would score the actor's own department."""
    if actor.role not in DEPARTMENT_ROLES or action not in SCORING_ACTIONS:
        return False
    return department_id is None or department_id == actor.department_id


def _refusal(actor: Actor | None, action: Action, department_id: int | None, matrix: Matrix | None) -> str | None:
    if actor is None:
        return "anonymous"
    if action not in (DEFAULT_PERMISSIONS if matrix is None else matrix).get(actor.role, frozenset()):
        return "role"
    if scores_own_department(actor, action, department_id):
        return "own_department"
    return None


def can(actor: Actor | None, action: Action, *, department_id: int | None = None,
        matrix: Matrix | None = None) -> bool:
    """May ``actor`` do ``action`` (on ``department_id``, for per-department writes)?

    ``matrix`` is the configured matrix (:func:`permission_matrix`); None uses the defaults.
    """
    return _refusal(actor, action, department_id, matrix) is None


def require(actor: Actor | None, action: Action, *, department_id: int | None = None,
            session: Session | None = None, matrix: Matrix | None = None) -> None:
    """Raise :class:`PermissionDenied` unless ``actor`` may do ``action``.

    With ``session`` (and no ``matrix``) the county's configured matrix is read from it.
    """
    if matrix is None and session is not None:
        matrix = permission_matrix(session)
    reason = _refusal(actor, action, department_id, matrix)
    if reason is not None:
        raise PermissionDenied(action, actor.role if actor else None, reason)


@dataclass(frozen=True)
class Scope:
    """Which person-level rows a user may see. ``None`` means all."""

    department_ids: frozenset[int] | None = None
    manager_ids: frozenset[int] | None = None

    @property
    def is_everything(self) -> bool:
        return self.department_ids is None and self.manager_ids is None

    def allows_department(self, department_id: int | None) -> bool:
        return self.department_ids is None or department_id in self.department_ids

    def allows_manager(self, manager_id: int | None, department_id: int | None = None) -> bool:
        if self.manager_ids is not None:
            return manager_id in self.manager_ids
        return self.allows_department(department_id)


EVERYTHING = Scope()
NOTHING = Scope(department_ids=frozenset(), manager_ids=frozenset())


def scope_of(actor: Actor | None, *, matrix: Matrix | None = None) -> Scope:
    """The person-level rows ``actor`` may see: all, one department, one manager, or none."""
    if actor is None or not can(actor, Action.VIEW_PEOPLE, matrix=matrix):
        return NOTHING
    if actor.role in (Role.LEADER, Role.ADMIN):
        return EVERYTHING
    if actor.role is Role.DEPT_HEAD and actor.department_id is not None:
        return Scope(department_ids=frozenset({actor.department_id}))
    if actor.role is Role.MANAGER and actor.manager_id is not None:
        return Scope(
            department_ids=frozenset({actor.department_id}) if actor.department_id is not None else frozenset(),
            manager_ids=frozenset({actor.manager_id}),
        )
    return NOTHING


def actor_from_user(user: AppUser) -> Actor:
    """The :class:`Actor` of a user row (role and department come from the table)."""
    return Actor(user_id=user.id, login=user.login, display_name=user.display_name, role=Role(user.role),
                 department_id=user.department_id, manager_id=user.manager_id)


def system_actor(name: str = "") -> Actor:
    """A named command-line or feed actor: an administrator without a user row, audited by name."""
    display = f"system ({name})" if name else "system"
    return Actor(user_id=None, login="system", display_name=display[:60], role=Role.ADMIN)


SYSTEM = system_actor()
"""The actor of command-line tools and the live demo feed (audited as "system")."""

