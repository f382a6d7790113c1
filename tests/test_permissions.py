"""The permission matrix as data: every role × every action, the configured override, and
the rule that nobody changes what scores their own department (DOMAIN.md §12, issue 12).

Changing one cell of ``DEFAULT_PERMISSIONS`` fails exactly one case of
``test_every_role_and_action``; the expected table below is written out by hand from the
issue's roles table, not derived from the code.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session

from data_access.access.permissions import (
    DEFAULT_PERMISSIONS,
    EVERYTHING,
    NOTHING,
    Action,
    Actor,
    PermissionDenied,
    Role,
    Scope,
    can,
    matrix_from_config,
    matrix_to_config,
    permission_matrix,
    require,
    scope_of,
)
from data_access.config import set_setting
from data_access.db import get_engine
from tests.factories import build_tiny_county

A = Action
# role: leader, admin, dept_head, manager, wall  (Y = may, . = may not)
EXPECTED = {
    A.VIEW_COUNTY:       "YYY..",  # overview, sales: public inside the company (not the managers' screens)
    A.VIEW_RANKINGS:     "YYYY.",  # terminal rankings, the leaderboard
    A.VIEW_PEOPLE:       "YYYY.",  # person-level detail, within the user's scope
    A.VIEW_MEETING:      "YYY.Y",  # a head sees the slides' people of their own department
    A.VIEW_AUDIT:        "YY...",
    A.IMPORT_DATA:       ".Y...",
    A.SCORE_ENTRY:       ".Y...",
    A.EDIT_WEIGHTS:      ".Y...",
    A.EDIT_RUBRIC:       ".Y...",
    A.EDIT_VISIT_RULES:  ".Y...",
    A.MANAGE_USERS:      ".Y...",
    A.MANAGE_WALL_LINKS: ".Y...",
    A.SAVE_SNAPSHOT:     "YY...",
}
ROLES = [Role.LEADER, Role.ADMIN, Role.DEPT_HEAD, Role.MANAGER, Role.WALL]
D_OWN, D_OTHER, M_SELF, M_OTHER = 1, 2, 11, 12


def actor(role: Role) -> Actor:
    return Actor(user_id=None, login=role.value, display_name=role.value, role=role,
                 department_id=D_OWN if role in (Role.DEPT_HEAD, Role.MANAGER) else None,
                 manager_id=M_SELF if role is Role.MANAGER else None)


def test_the_expected_table_names_every_action() -> None:
    assert set(EXPECTED) == set(Action)


@pytest.mark.parametrize(("role", "action"), [(r, a) for r in ROLES for a in Action])
def test_every_role_and_action(role: Role, action: Action) -> None:
    allowed = EXPECTED[action][ROLES.index(role)] == "Y"
    # a per-department write on another department: only the matrix decides
    assert can(actor(role), action, department_id=D_OTHER) is allowed
    if allowed:
        require(actor(role), action, department_id=D_OTHER)
    else:
        with pytest.raises(PermissionDenied):
            require(actor(role), action, department_id=D_OTHER)


@pytest.mark.parametrize("action", list(Action))
def test_nobody_signed_in_may_do_anything(action: Action) -> None:
    assert not can(None, action)
    with pytest.raises(PermissionDenied):
        require(None, action)


# --- the department rule: stronger than the matrix ----------------------------------------------
EVERYONE_MAY_SCORE = {role: frozenset(Action) for role in Role}


@pytest.mark.parametrize("role", [Role.DEPT_HEAD, Role.MANAGER])
@pytest.mark.parametrize("action", [A.SCORE_ENTRY, A.EDIT_WEIGHTS, A.EDIT_RUBRIC, A.EDIT_VISIT_RULES,
                                    A.IMPORT_DATA])
def test_a_department_member_never_scores_their_own_department(role: Role, action: Action) -> None:
    # Even a county that lets heads and managers enter scores cannot let them score their own.
    who = actor(role)
    with pytest.raises(PermissionDenied) as refused:
        require(who, action, department_id=D_OWN, matrix=EVERYONE_MAY_SCORE)
    assert refused.value.reason == "own_department"
    # County-wide changes (weights, rubric, thresholds, imports) score their department too.
    assert not can(who, action, department_id=None, matrix=EVERYONE_MAY_SCORE)
    # Another department is for the matrix to decide.
    assert can(who, action, department_id=D_OTHER, matrix=EVERYONE_MAY_SCORE)


@pytest.mark.parametrize("action", [A.SAVE_SNAPSHOT, A.MANAGE_WALL_LINKS, A.VIEW_AUDIT])
def test_actions_that_score_nobody_follow_the_matrix_for_department_members(action: Action) -> None:
    assert can(actor(Role.DEPT_HEAD), action, matrix=EVERYONE_MAY_SCORE)


def test_administrators_and_leaders_have_no_own_department() -> None:
    admin = Actor(user_id=1, login="a", display_name="a", role=Role.ADMIN, department_id=D_OWN)
    assert can(admin, A.SCORE_ENTRY, department_id=D_OWN)


# --- scopes ---------------------------------------------------------------------------------------
SCOPES = {
    Role.LEADER: EVERYTHING,
    Role.ADMIN: EVERYTHING,
    Role.DEPT_HEAD: Scope(department_ids=frozenset({D_OWN})),
    Role.MANAGER: Scope(department_ids=frozenset({D_OWN}), manager_ids=frozenset({M_SELF})),
    Role.WALL: NOTHING,
}
# (department, manager) → visible to leader, admin, dept head, manager, wall
ROWS = {
    (D_OWN, M_SELF): "YYYY.",
    (D_OWN, M_OTHER): "YYY..",
    (D_OTHER, M_OTHER): "YY...",
}


@pytest.mark.parametrize("role", ROLES)
def test_scope_of_each_role(role: Role) -> None:
    assert scope_of(actor(role)) == SCOPES[role]


@pytest.mark.parametrize(("role", "row"), [(r, row) for r in ROLES for row in ROWS])
def test_scope_allows_rows(role: Role, row: tuple[int, int]) -> None:
    department, manager = row
    assert scope_of(actor(role)).allows_manager(manager, department) is (ROWS[row][ROLES.index(role)] == "Y")


def test_a_head_or_manager_without_a_department_sees_no_people() -> None:
    assert scope_of(Actor(user_id=3, login="h", display_name="h", role=Role.DEPT_HEAD)) == NOTHING
    assert scope_of(Actor(user_id=3, login="m", display_name="m", role=Role.MANAGER, department_id=1)) == NOTHING


# --- the matrix is configuration ----------------------------------------------------------------------
def test_the_default_matrix_round_trips_through_configuration() -> None:
    assert matrix_from_config(matrix_to_config(DEFAULT_PERMISSIONS)) == DEFAULT_PERMISSIONS


@pytest.mark.parametrize("bad", [{"emperor": ["import_data"]}, {"leader": ["fly"]}, {"leader": "import_data"}, []])
def test_a_configured_matrix_with_unknown_names_is_refused(bad: object) -> None:
    with pytest.raises(ValueError):
        matrix_from_config(bad)  # type: ignore[arg-type]


@pytest.fixture
def session(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'perm.sqlite'}"
    build_tiny_county(get_engine(url))
    with Session(get_engine(url)) as db_session:
        yield db_session


def test_a_county_reconfigures_the_matrix(session: Session) -> None:
    head, leader = actor(Role.DEPT_HEAD), actor(Role.LEADER)
    assert permission_matrix(session) == DEFAULT_PERMISSIONS
    with pytest.raises(PermissionDenied):
        require(head, A.SCORE_ENTRY, department_id=D_OTHER, session=session)
    configured = matrix_to_config(DEFAULT_PERMISSIONS)
    configured["dept_head"] = [*configured["dept_head"], "score_entry"]
    configured["leader"] = [a for a in configured["leader"] if a != "save_snapshot"]
    # Only who may manage users may change the matrix; an unknown action is refused.
    with pytest.raises(PermissionDenied):
        set_setting(session, "role_permissions", configured, actor=leader)
    with pytest.raises(ValueError):
        set_setting(session, "role_permissions", {"leader": ["fly"]}, actor=actor(Role.ADMIN))
    set_setting(session, "role_permissions", configured, actor=actor(Role.ADMIN))
    session.commit()
    require(head, A.SCORE_ENTRY, department_id=D_OTHER, session=session)  # now allowed elsewhere
    with pytest.raises(PermissionDenied):  # never for their own department
        require(head, A.SCORE_ENTRY, department_id=D_OWN, session=session)
    with pytest.raises(PermissionDenied):
        require(leader, A.SAVE_SNAPSHOT, session=session)
