"""The Users page in AppTest: the administrator manages accounts and wall links; no one else can."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select

from data_access.access.permissions import Actor, Role
from data_access.db import get_engine
from data_access.models.access import AppUser, AuditEntry, UserSession, WallLink

PAGE = "pages/users.py"


def _admin(url: str) -> Actor:
    """The demo administrator as a signed-in actor (a real user row: audit rows name them)."""
    from data_access.access.sessions import actor_of

    with Session(get_engine(url)) as session:
        return actor_of(session.exec(select(AppUser).where(AppUser.login == "admin")).one())


def _user(url: str, login: str) -> AppUser:
    with Session(get_engine(url)) as session:
        return session.exec(select(AppUser).where(AppUser.login == login)).one()


def _submit(at, label: str):
    next(b for b in at.button if b.label == label).click()
    return at.run()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_admin_sees_every_account_with_translated_roles(app_factory, own_county: str, lang: str) -> None:
    at = app_factory(own_county, page=PAGE, params={"lang": lang}, actor=_admin(own_county))
    assert not at.exception
    table = at.dataframe[0].value
    assert sorted(table.iloc[:, 0]) == ["admin", "head", "leader", "manager", "wall"]
    roles = set(table.iloc[:, 2])
    assert roles == ({"营销中心管理员", "县局领导", "服务部主任", "客户经理", "会议大屏"} if lang == "zh" else
                     {"Marketing admin", "County leader", "Department head", "Customer manager", "Wall display"})
    assert "None" not in table.to_string()


def test_admin_creates_a_department_head(app_factory, own_county: str) -> None:
    at = app_factory(own_county, page=PAGE, actor=_admin(own_county))
    at.text_input(key="users_new_login").input("chen.head")
    at.text_input(key="users_new_name").input("陈主任")
    at.text_input(key="users_new_password").input("chen-initial-1")
    at.selectbox(key="users_new_role").select("dept_head")
    at.selectbox(key="users_new_dept").select(2)
    at = _submit(at, "创建用户")
    assert not at.exception and not at.error
    assert "已创建用户 chen.head。" in [s.value for s in at.success]
    created = _user(own_county, "chen.head")
    assert (created.role, created.department_id, created.is_demo) == ("dept_head", 2, False)
    with Session(get_engine(own_county)) as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "user.create",
                                                      AuditEntry.object == "user chen.head")).one()
    assert entry.user_name == "演示管理员" and json.loads(entry.after)["role"] == "dept_head"


def test_a_weak_password_is_refused_with_a_message(app_factory, own_county: str) -> None:
    at = app_factory(own_county, page=PAGE, actor=_admin(own_county))
    at.text_input(key="users_new_login").input("weak")
    at.text_input(key="users_new_name").input("弱密码")
    at.text_input(key="users_new_password").input("12345")
    at.selectbox(key="users_new_role").select("leader")
    at = _submit(at, "创建用户")
    assert [e.value for e in at.error] == ["密码太短：至少需要 10 个字符。"]
    with Session(get_engine(own_county)) as session:
        assert session.exec(select(AppUser).where(AppUser.login == "weak")).first() is None


def test_deactivating_ends_the_user_s_sessions(app_factory, own_county: str) -> None:
    from data_access.access.sessions import resolve_token, start_session

    leader = _user(own_county, "leader")
    with Session(get_engine(own_county)) as session:
        token, _ = start_session(session, leader.id)
        session.commit()
    at = app_factory(own_county, page=PAGE, actor=_admin(own_county))
    at.selectbox(key="users_pick").select(leader.id).run()
    at.button(key=f"users_deactivate_{leader.id}").click().run()
    assert not at.exception
    assert not _user(own_county, "leader").active
    with Session(get_engine(own_county)) as session:
        assert resolve_token(session, token) is None
        assert session.exec(select(UserSession).where(UserSession.user_id == leader.id)).one().revoked_at


def test_wall_link_is_shown_once_and_revoked(app_factory, own_county: str) -> None:
    at = app_factory(own_county, page=PAGE, actor=_admin(own_county))
    next(t for t in at.text_input if t.label == "名称（例如“三楼会议室”）").input("三楼会议室")
    at = _submit(at, "创建链接")
    assert not at.exception
    shown = [c.value for c in at.code]
    assert len(shown) == 1 and "/meeting?wall=" in shown[0]
    token = shown[0].split("wall=")[1]
    with Session(get_engine(own_county)) as session:
        link = session.exec(select(WallLink)).one()
    assert token not in link.token_hash
    at.run()  # the next run no longer shows it
    assert not at.code
    at.button(key="users_wall_revoke").click().run()
    with Session(get_engine(own_county)) as session:
        assert session.exec(select(WallLink)).one().revoked_at is not None


@pytest.mark.parametrize("role", [Role.LEADER, Role.DEPT_HEAD, Role.MANAGER])
def test_other_roles_cannot_open_the_page(app_factory, own_county: str, role: Role) -> None:
    actor = Actor(user_id=None, login="x", display_name="X", role=role, department_id=1, manager_id=1)
    at = app_factory(own_county, page=None, actor=actor)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)


def test_the_page_itself_refuses_a_non_administrator(own_county: str, use_database) -> None:
    """Even run directly (not through the menu), the page shows no account to a leader."""
    from streamlit.testing.v1 import AppTest

    from components.auth import ACTOR_KEY
    from tests.conftest import REPO_ROOT

    use_database(own_county)
    at = AppTest.from_file(str(REPO_ROOT / PAGE), default_timeout=60)
    at.session_state[ACTOR_KEY] = Actor(user_id=None, login="x", display_name="X", role=Role.LEADER)
    at.run()
    assert [e.value for e in at.error] == ["无访问权限 —— 只有营销中心管理员可以管理用户。"]
    assert not at.dataframe
