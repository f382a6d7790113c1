"""Sign-in in Chromium: the form, a wrong password, lockout, a reload keeping the session,
sign-out, idle expiry (the session's last use moved back in the database), and the wall link.

Each test makes its own account or link in the shared sample database, so locking or
revoking here never touches the demo accounts other browser tests sign in with.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from components.session_cookie import COOKIE_NAME
from data_access.access.permissions import SYSTEM
from data_access.access.users import create_user
from data_access.access.wall_links import create_wall_link, revoke_wall_link
from data_access.db import get_engine
from data_access.models.access import AppUser, UserSession
from tests.browser.helpers import assert_no_exception, screenshot, wait_for_app

pytestmark = pytest.mark.browser

PASSWORD = "browser-pass-2026"
FAILED = "登录失败：登录名或密码不正确，或账户已被暂时锁定。请稍后再试，或联系管理员。"
LABELS = {"zh": ("登录名", "密码", "登录"), "en": ("Login", "Password", "Sign in")}


@pytest.fixture
def account(sample_db_url: str) -> str:
    """A county leader of this test alone."""
    login = f"leader-{uuid.uuid4().hex[:8]}"
    with Session(get_engine(sample_db_url)) as session:
        create_user(session, SYSTEM, login=login, display_name="浏览器测试", role="leader", password=PASSWORD)
        session.commit()
    return login


@pytest.fixture
def anonymous(chromium_browser, app_server: str) -> Iterator[object]:
    """A browser page with no session cookie, 1440 px wide."""
    context = chromium_browser.new_context(sign_in_as=None, viewport={"width": 1440, "height": 900}, locale="zh-CN")
    yield context.new_page()
    context.close()


def _open(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    wait_for_app(page)


def _submit(page, login: str, password: str, lang: str = "zh") -> None:
    login_label, password_label, button = LABELS[lang]
    page.get_by_role("textbox", name=login_label).fill(login)
    page.get_by_role("textbox", name=password_label).fill(password)
    page.get_by_role("button", name=button, exact=True).click()
    wait_for_app(page)


def _main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


def _has_cookie(page) -> bool:
    return any(c["name"] == COOKIE_NAME for c in page.context.cookies())


def _wait_for_cookie(page) -> None:
    for _ in range(40):
        if _has_cookie(page):
            return
        page.wait_for_timeout(250)
    raise AssertionError("the session cookie was never set")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sign_in_page_before_anything_else(anonymous, app_server: str, lang: str) -> None:
    _open(anonymous, f"{app_server}/teams?lang={lang}")
    assert_no_exception(anonymous)
    title = {"zh": "登录", "en": "Sign in"}[lang]
    assert anonymous.get_by_role("heading", name=title).count() == 1
    assert anonymous.locator("[data-testid='stSidebarNav']").count() == 0  # no menu of pages
    assert anonymous.locator("[data-testid='stDataFrame'], [data-testid='stMetric']").count() == 0
    screenshot(anonymous, f"signin-{lang}", full_page=False)


def test_sign_in_reload_and_sign_out(anonymous, app_server: str, account: str) -> None:
    _open(anonymous, f"{app_server}/teams")
    _submit(anonymous, account, "not-the-password")
    assert FAILED in _main_text(anonymous)
    _submit(anonymous, account, PASSWORD)
    assert_no_exception(anonymous)
    assert anonymous.get_by_role("heading", name="服务部团队比拼").count() == 1  # the page asked for
    _wait_for_cookie(anonymous)
    cookie = next(c for c in anonymous.context.cookies() if c["name"] == COOKIE_NAME)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert cookie["value"] not in anonymous.url

    anonymous.reload(wait_until="domcontentloaded")  # a new Streamlit session: the cookie signs it in
    wait_for_app(anonymous)
    assert anonymous.get_by_role("heading", name="服务部团队比拼").count() == 1
    assert "已登录：浏览器测试（县局领导）" in anonymous.locator("[data-testid='stSidebar']").inner_text()

    anonymous.get_by_role("button", name="退出登录").click()
    wait_for_app(anonymous)
    assert anonymous.get_by_role("heading", name="登录").count() == 1
    anonymous.reload(wait_until="domcontentloaded")
    wait_for_app(anonymous)
    assert anonymous.get_by_role("heading", name="登录").count() == 1  # revoked: the reload stays out


def test_lockout_after_five_wrong_passwords(anonymous, app_server: str, account: str) -> None:
    _open(anonymous, app_server)
    for attempt in range(5):
        _submit(anonymous, account, f"wrong-password-{attempt}")
    _submit(anonymous, account, PASSWORD)  # right, but locked for 15 minutes
    assert FAILED in _main_text(anonymous)
    assert anonymous.get_by_role("heading", name="登录").count() == 1
    _submit(anonymous, f"nobody-{account}", PASSWORD)  # an unknown login reads the same
    assert FAILED in _main_text(anonymous)


def test_idle_session_ends(chromium_browser, app_server: str, sample_db_url: str, account: str) -> None:
    context = chromium_browser.new_context(sign_in_as=account, viewport={"width": 1440, "height": 900})
    page = context.new_page()
    try:
        _open(page, f"{app_server}/teams")
        assert page.get_by_role("heading", name="服务部团队比拼").count() == 1
        # The injected clock: the session was last used 8 h 1 min ago.
        with Session(get_engine(sample_db_url)) as session:
            user_id = session.exec(select(AppUser.id).where(AppUser.login == account)).one()
            session.exec(update(UserSession).where(UserSession.user_id == user_id).values(
                last_seen_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=8, minutes=1)))
            session.commit()
        page.get_by_role("link", name="经营总览").click()  # any rerun in the open tab
        wait_for_app(page)
        assert page.get_by_role("heading", name="登录").count() == 1
        assert "您的登录已结束" in _main_text(page)
        page.reload(wait_until="domcontentloaded")  # and the cookie no longer signs in
        wait_for_app(page)
        assert page.get_by_role("heading", name="登录").count() == 1
    finally:
        context.close()


def test_wall_link_opens_only_the_meeting_page_until_revoked(chromium_browser, app_server: str,
                                                             sample_db_url: str) -> None:
    with Session(get_engine(sample_db_url)) as session:
        token, link = create_wall_link(session, SYSTEM, f"测试大屏 {uuid.uuid4().hex[:6]}")
        session.commit()
        link_id = link.id
    context = chromium_browser.new_context(sign_in_as=None, viewport={"width": 1920, "height": 1080})
    wall = context.new_page()
    try:
        _open(wall, f"{app_server}/meeting?wall={token}&interval=600")
        wall.wait_for_selector(".meeting-title", state="attached", timeout=60_000)
        assert_no_exception(wall)
        assert wall.locator("[data-testid='stSidebarNav']").count() == 0
        assert not _has_cookie(wall)  # the link signs in nobody
        _open(wall, f"{app_server}/teams?wall={token}")  # another page by URL: still the meeting only
        wall.wait_for_selector(".meeting-title", state="attached", timeout=60_000)
        assert wall.get_by_role("heading", name="服务部团队比拼").count() == 0
        with Session(get_engine(sample_db_url)) as session:
            revoke_wall_link(session, SYSTEM, link_id)
            session.commit()
        _open(wall, f"{app_server}/meeting?wall={token}&interval=600")
        assert "此大屏链接无效或已被撤销" in _main_text(wall)
        assert wall.locator(".meeting-title").count() == 0
    finally:
        context.close()
