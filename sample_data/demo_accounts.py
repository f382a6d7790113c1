"""One demo account per role, created with the sample county only (passwords in the README).

A database that later receives real imports while one of these is still active makes the
administrator see a warning on every page (``active_demo_accounts_beside_real_data``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from data_access.access.permissions import SYSTEM, Role
from data_access.access.users import create_user
from data_access.models import CustomerManager, Department

# (login, display name, role, password): printed in the README, so never used beside real data.
DEMO_ACCOUNTS: tuple[tuple[str, str, Role, str], ...] = (
    ("admin", "演示管理员", Role.ADMIN, "demo-admin-2026"),
    ("leader", "演示县局领导", Role.LEADER, "demo-leader-2026"),
    ("head", "演示服务部主任", Role.DEPT_HEAD, "demo-head-2026"),
    ("manager", "演示客户经理", Role.MANAGER, "demo-manager-2026"),
    ("wall", "演示会议大屏", Role.WALL, "demo-wall-2026"),
)


def create_demo_accounts(engine: Engine, *, now: dt.datetime | None = None) -> None:
    """Add the demo accounts: the head runs the first department, the manager is its first manager."""
    with Session(engine) as session:
        department = session.exec(select(Department).order_by(Department.sort_order, Department.id)).first()
        manager = session.exec(select(CustomerManager).where(CustomerManager.department_id == department.id)
                               .order_by(CustomerManager.id)).first() if department else None
        for login, name, role, password in DEMO_ACCOUNTS:
            create_user(session, SYSTEM, login=login, display_name=name, role=role.value, password=password,
                        department_id=department.id if role is Role.DEPT_HEAD and department else None,
                        manager_id=manager.id if role is Role.MANAGER and manager else None, is_demo=True, now=now)
        session.commit()
