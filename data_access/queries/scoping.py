"""Person-level queries within the user's :class:`~data_access.access.permissions.Scope`.

Lists (all managers, a month's visits, everyone's position) are filtered in SQL; a query
for one named manager, retailer or department outside the scope is refused with
:class:`OutOfScope` before anything is read, so a tampered URL gets no data at all.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from data_access.access.permissions import Action, PermissionDenied, Scope
from data_access.models import CustomerManager, Retailer


class OutOfScope(PermissionDenied):
    """A person-level query named a department, manager or retailer the user may not see."""

    def __init__(self, kind: str) -> None:
        self.kind = kind  # "department", "manager" or "retailer"
        super().__init__(Action.VIEW_PEOPLE, None, f"scope:{kind}")


def managers_in_scope(scope: Scope, department_id: int | None = None) -> Any:
    """``SELECT id FROM customer_manager`` limited to the scope (and ``department_id``)."""
    stmt = select(CustomerManager.id)
    if department_id is not None:
        stmt = stmt.where(CustomerManager.department_id == department_id)
    if scope.manager_ids is not None:
        stmt = stmt.where(CustomerManager.id.in_(sorted(scope.manager_ids)))
    if scope.department_ids is not None:
        stmt = stmt.where(CustomerManager.department_id.in_(sorted(scope.department_ids)))
    return stmt


def restrict(stmt: Any, manager_column: Any, scope: Scope, department_id: int | None = None) -> Any:
    """``stmt`` limited to rows whose ``manager_column`` is a manager of the scope (and department)."""
    if scope.is_everything and department_id is None:
        return stmt
    return stmt.where(manager_column.in_(managers_in_scope(scope, department_id)))


def require_department(scope: Scope, department_id: int | None) -> None:
    """Refuse a department outside the scope (None, "all departments", is filtered instead)."""
    if department_id is not None and not scope.allows_department(department_id):
        raise OutOfScope("department")


def require_manager(session: Session, scope: Scope, manager_id: int) -> None:
    """Refuse a manager outside the scope (one primary-key read)."""
    if scope.is_everything:
        return
    department_id = session.execute(
        select(CustomerManager.department_id).where(CustomerManager.id == manager_id)).scalar()
    if department_id is None or not scope.allows_manager(manager_id, int(department_id)):
        raise OutOfScope("manager")


def require_retailer(session: Session, scope: Scope, retailer_id: int) -> None:
    """Refuse a retailer whose owning manager is outside the scope."""
    if scope.is_everything:
        return
    row = session.execute(
        select(Retailer.manager_id, CustomerManager.department_id)
        .join(CustomerManager, CustomerManager.id == Retailer.manager_id)
        .where(Retailer.id == retailer_id)
    ).first()
    if row is None or not scope.allows_manager(int(row[0]), int(row[1])):
        raise OutOfScope("retailer")
