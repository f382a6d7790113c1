"""Signed-in people for tests that call data_access writes directly."""

from __future__ import annotations

from data_access.access.permissions import Actor, Role


def person(name: str, role: Role = Role.ADMIN, *, user_id: int | None = None, department_id: int | None = None,
           manager_id: int | None = None) -> Actor:
    """An actor named ``name`` (login = name); an administrator unless ``role`` says otherwise."""
    return Actor(user_id=user_id, login=name, display_name=name, role=role, department_id=department_id,
                 manager_id=manager_id)


ADMIN = person("测试员")
