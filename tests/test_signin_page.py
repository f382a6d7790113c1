"""The sign-in gate in AppTest: nothing without signing in, one message for every failure,
navigation per role, sign-out, and single sign-on with a stubbed identity."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from components.auth import ACTOR_KEY
from data_access.access.permissions import Role
from data_access.db import get_engine
from data_access.models.access import AppUser, AuditEntry, UserSession

FAILED = {"zh": "登录失败：登录名或密码不正确，或账户已被暂时锁定。请稍后再试，或联系管理员。",
          "en": "Sign-in failed: the login or password is wrong, or the account is locked for a while. "
                "Try again later or ask the administrator."}


def _sign_in(at, login: str, password: str):
    at.text_input(key="auth_login").input(login)
    at.text_input(key="auth_password").input(password)
    at.button[-1].click()  # the form's submit button
    return at.run()


def _texts(at) -> str:
    return " ".join(e.value for e in [*at.title, *at.markdown, *at.caption, *at.error, *at.info, *at.warning])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_nothing_but_the_form_without_signing_in(app_factory, own_county: str, lang: str) -> None:
    at = app_factory(own_county, page=None, params={"lang": lang}, actor=None)
    assert not at.exception
    assert at.title[0].value == {"zh": "登录", "en": "Sign in"}[lang]
    assert len(at.text_input) == 2 and not at.dataframe and not at.metric
    assert ACTOR_KEY not in at.session_state
    assert "flt_period" not in at.session_state  # the sidebar filters (and their data) never ran


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_wrong_password_and_unknown_login_show_the_same_message(app_factory, own_county: str, lang: str) -> None:
    at = app_factory(own_county, params={"lang": lang}, actor=None)
    wrong = _sign_in(at, "admin", "not-the-password")
    wrong_text = [e.value for e in wrong.error]
    unknown = _sign_in(at, "no-such-person", "not-the-password")
    assert wrong_text == [FAILED[lang]]
    assert [e.value for e in unknown.error] == wrong_text
    assert ACTOR_KEY not in at.session_state


def test_lockout_message_is_the_one_an_unknown_login_gets(app_factory, own_county: str) -> None:
    at = app_factory(own_county, actor=None)
    for attempt in range(5):
        _sign_in(at, "leader", f"not-the-password-{attempt}")
    locked = _sign_in(at, "leader", "demo-leader-2026")  # the right password, but locked
    assert [e.value for e in locked.error] == [FAILED["zh"]]
    assert ACTOR_KEY not in at.session_state
    with Session(get_engine(own_county)) as session:
        assert session.exec(select(AuditEntry).where(AuditEntry.action == "signin.lockout")).first() is not None


def test_right_password_signs_in_and_shows_the_role_s_pages(app_factory, own_county: str) -> None:
    at = app_factory(own_county, actor=None)
    at = _sign_in(at, "admin", "demo-admin-2026")
    assert not at.exception and not at.error
    actor = at.session_state[ACTOR_KEY]
    assert (actor.login, actor.role) == ("admin", Role.ADMIN)
    assert at.title[0].value == "经营总览"
    sidebar = " ".join(c.value for c in at.sidebar.text)
    assert "已登录：演示管理员（营销中心管理员）" in sidebar
    with Session(get_engine(own_county)) as session:
        rows = session.exec(select(UserSession)).all()
    assert len(rows) == 1 and rows[0].revoked_at is None


def test_sign_out_revokes_the_session_and_shows_the_form(app_factory, own_county: str) -> None:
    at = _sign_in(app_factory(own_county, actor=None), "admin", "demo-admin-2026")
    at.sidebar.button(key="auth_sign_out").click().run()
    assert at.title[0].value == "登录"
    assert ACTOR_KEY not in at.session_state
    with Session(get_engine(own_county)) as session:
        assert session.exec(select(UserSession)).one().revoked_at is not None


def test_deactivation_signs_out_on_the_next_rerun(app_factory, own_county: str) -> None:
    at = _sign_in(app_factory(own_county, actor=None), "leader", "demo-leader-2026")
    assert at.title[0].value == "经营总览"
    with Session(get_engine(own_county)) as session:
        user = session.exec(select(AppUser).where(AppUser.login == "leader")).one()
        user.active = False
        session.add(user)  # directly: the admin page would also revoke the sessions
        session.commit()
    at.run()
    assert at.title[0].value == "登录"
    assert "您的登录已结束" in _texts(at)


# --- single sign-on with a stubbed identity ----------------------------------------------

@pytest.fixture
def stub_sso(monkeypatch: pytest.MonkeyPatch):
    """Pretend ``[auth]`` is configured and the identity provider signed in ``identity``."""
    from components import gate

    def _stub(identity: tuple[str | None, str | None] | None) -> None:
        monkeypatch.setattr(gate, "sso_configured", lambda: True)
        monkeypatch.setattr(gate, "sso_identity", lambda: identity)

    return _stub


def test_known_sso_identity_signs_in_with_the_table_s_role(app_factory, own_county: str, stub_sso) -> None:
    with Session(get_engine(own_county)) as session:
        head = session.exec(select(AppUser).where(AppUser.login == "head")).one()
        head.sso_subject = "head@county.example"
        session.add(head)
        session.commit()
        head_department = head.department_id
    stub_sso(("HEAD@county.example", "sub-123"))
    at = app_factory(own_county, actor=None)
    assert not at.exception
    actor = at.session_state[ACTOR_KEY]
    assert (actor.login, actor.role, actor.department_id) == ("head", Role.DEPT_HEAD, head_department)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_unknown_sso_identity_sees_no_access_and_nothing_else(app_factory, own_county: str, stub_sso,
                                                              lang: str) -> None:
    stub_sso(("stranger@elsewhere.example", "sub-999"))
    at = app_factory(own_county, params={"lang": lang}, actor=None)
    assert not at.exception
    assert at.title[0].value == {"zh": "无访问权限 —— 请联系管理员。", "en": "No access — ask the administrator."}[lang]
    assert not at.text_input and not at.dataframe and not at.metric
    assert ACTOR_KEY not in at.session_state


def test_sso_button_is_offered_when_configured(app_factory, own_county: str, stub_sso) -> None:
    stub_sso(None)
    at = app_factory(own_county, actor=None)
    assert "使用公司账户登录" in [b.label for b in at.button]
    assert len(at.text_input) == 2  # the built-in accounts still work beside it


# --- navigation per role -----------------------------------------------------------------

_VIEWS = {"overview", "sales", "terminals", "routes", "teams", "account"}


@pytest.mark.parametrize(("role", "expected"), [
    (Role.ADMIN, _VIEWS | {"meeting", "import", "users", "audit"}),
    (Role.LEADER, _VIEWS | {"meeting", "audit"}),
    (Role.DEPT_HEAD, _VIEWS | {"meeting"}),
    (Role.MANAGER, {"terminals", "routes", "teams", "account"}),
    (Role.WALL, {"meeting"}),
])
def test_navigation_follows_the_default_matrix(role: Role, expected: set[str]) -> None:
    from components.navigation import pages_for
    from data_access.access.permissions import Actor

    actor = Actor(user_id=1, login="x", display_name="X", role=role, department_id=1, manager_id=1)
    keys = {spec.key for spec in pages_for(actor)}
    assert keys == expected


def test_navigation_follows_a_configured_matrix() -> None:
    from components.navigation import pages_for
    from data_access.access.permissions import DEFAULT_PERMISSIONS, Action, Actor

    matrix = {**DEFAULT_PERMISSIONS, Role.MANAGER: frozenset({Action.VIEW_PEOPLE})}
    manager = Actor(user_id=1, login="m", display_name="M", role=Role.MANAGER, department_id=1, manager_id=1)
    assert [spec.key for spec in pages_for(manager, matrix=matrix)] == ["routes", "account"]


def test_pages_outside_the_role_are_not_registered_at_all(app_factory, own_county: str) -> None:
    from data_access.access.permissions import Actor

    manager = Actor(user_id=None, login="m", display_name="M", role=Role.MANAGER, department_id=1, manager_id=1)
    at = app_factory(own_county, page=None, actor=manager)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/data_import.py")
    at.switch_page("pages/teams.py").run()  # one of their own opens
    assert not at.exception


# --- demo accounts beside real data ------------------------------------------------------

def test_admin_is_warned_on_every_page_once_real_data_is_imported(app_factory, own_county: str) -> None:
    import datetime as dt

    from data_access.access.permissions import Actor
    from data_access.models import ImportLog

    admin = Actor(user_id=None, login="a", display_name="A", role=Role.ADMIN)
    leader = Actor(user_id=None, login="l", display_name="L", role=Role.LEADER)
    warning = "警告：数据库中已导入真实数据，但演示账户仍处于启用状态。请在“用户管理”页面停用所有演示账户。"
    assert warning not in [w.value for w in app_factory(own_county, actor=admin).warning]  # the sample alone
    with Session(get_engine(own_county)) as session:
        session.add(ImportLog(kind="orders", file_name="订单.csv", file_sha256="0" * 64,
                              imported_at=dt.datetime(2026, 11, 21, 9, 0)))
        session.commit()
    for page in ("pages/overview.py", "pages/teams.py", "pages/users.py"):
        assert warning in [w.value for w in app_factory(own_county, page=page, actor=admin).warning], page
    assert warning not in [w.value for w in app_factory(own_county, actor=leader).warning]


# --- wall-display links ------------------------------------------------------------------

def test_wall_link_runs_the_meeting_page_alone_until_revoked(app_factory, own_county: str) -> None:
    from data_access.access.permissions import SYSTEM
    from data_access.access.wall_links import create_wall_link, revoke_wall_link

    with Session(get_engine(own_county)) as session:
        token, link = create_wall_link(session, SYSTEM, "三楼会议室")
        session.commit()
        link_id = link.id
    at = app_factory(own_county, params={"wall": token, "interval": "600"}, actor=None)
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state[ACTOR_KEY].role is Role.WALL
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/teams.py")
    with Session(get_engine(own_county)) as session:
        revoke_wall_link(session, SYSTEM, link_id)
        session.commit()
    at.run()  # the open wall screen's next rerun
    assert [e.value for e in at.error] == ["此大屏链接无效或已被撤销。请向管理员索取新的链接。"]
    assert ACTOR_KEY not in at.session_state
