"""Roles, actions and scopes: who may see and change what (DOMAIN.md §12).

The matrix is data (:data:`DEFAULT_PERMISSIONS`) so a county can change it in
configuration; :func:`can` and :func:`require` are the only places that read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    LEADER = "leader"  # 县局领导
    ADMIN = "admin"  # 营销中心管理员
    DEPT_HEAD = "dept_head"  # 服务部主任
    MANAGER = "manager"  # 客户经理
    WALL = "wall"  # 会议大屏


class Action(StrEnum):
    # writes
    IMPORT_DATA = "import_data"
    SCORE_ENTRY = "score_entry"  # department scores and their corrections
    EDIT_WEIGHTS = "edit_weights"  # terminal composite and competition weights
    EDIT_RUBRIC = "edit_rubric"
    EDIT_VISIT_RULES = "edit_visit_rules"
    MANAGE_USERS = "manage_users"
    MANAGE_WALL_LINKS = "manage_wall_links"
    SAVE_SNAPSHOT = "save_snapshot"  # meeting snapshots
    VIEW_AUDIT = "view_audit"


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
    """The actor may not do this; the message is safe to show."""


DEFAULT_PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.LEADER: frozenset({Action.SAVE_SNAPSHOT, Action.VIEW_AUDIT}),
    Role.ADMIN: frozenset(Action),
    Role.DEPT_HEAD: frozenset(),
    Role.MANAGER: frozenset(),
    Role.WALL: frozenset(),
}


def can(actor: Actor | None, action: Action) -> bool:
    return actor is not None and action in DEFAULT_PERMISSIONS.get(actor.role, frozenset())


def require(actor: Actor | None, action: Action) -> None:
    if not can(actor, action):
        raise PermissionDenied(f"{action.value} not permitted for {actor.role.value if actor else 'anonymous'}")


@dataclass(frozen=True)
class Scope:
    """Which person-level rows a user may see. ``None`` means all."""

    department_ids: frozenset[int] | None = None
    manager_ids: frozenset[int] | None = None

    def allows_department(self, department_id: int | None) -> bool:
        return self.department_ids is None or department_id in self.department_ids

    def allows_manager(self, manager_id: int | None, department_id: int | None = None) -> bool:
        if self.manager_ids is not None:
            return manager_id in self.manager_ids
        return self.allows_department(department_id)


EVERYTHING = Scope()
NOTHING = Scope(department_ids=frozenset(), manager_ids=frozenset())


def scope_of(actor: Actor | None) -> Scope:
    if actor is None:
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


SYSTEM = Actor(user_id=None, login="system", display_name="system", role=Role.ADMIN)
"""The actor of command-line tools and the live demo feed (audited as "system")."""
