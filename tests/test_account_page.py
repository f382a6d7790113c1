"""我的账户: a signed-in user changes their own password; wrong input is refused with a message."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from data_access.access.passwords import verify_password
from data_access.access.sessions import actor_of
from data_access.db import get_engine
from data_access.models.access import AppUser

PAGE = "pages/account.py"


def _leader(url: str) -> AppUser:
    with Session(get_engine(url)) as session:
        return session.exec(select(AppUser).where(AppUser.login == "leader")).one()


def _change(at: AppTest, current: str, new: str, repeat: str) -> AppTest:
    fields = [field for field in at.text_input if field.key is None or not field.key.startswith("auth_")]
    fields[0].input(current)
    fields[1].input(new)
    fields[2].input(repeat)
    next(b for b in at.button if b.label == "保存新密码").click()  # the form's submit button
    return at.run()


def test_changing_own_password(app_factory: Callable[..., AppTest], own_county: str) -> None:
    leader = _leader(own_county)
    at = app_factory(own_county, page=PAGE, actor=actor_of(leader))
    assert not at.exception, at.exception
    assert any(leader.display_name in text.value and "县局领导" in text.value for text in at.text), \
        [text.value for text in at.text]

    at = _change(at, "demo-leader-2026", "new-pass-2027", "new-pass-2028")
    assert [e.value for e in at.error] == ["两次输入的新密码不一致。"]
    at = _change(at, "not-my-password", "new-pass-2027", "new-pass-2027")
    assert [e.value for e in at.error] == ["当前密码不正确。"]
    at = _change(at, "demo-leader-2026", "short", "short")
    assert [e.value for e in at.error] == ["密码太短：至少需要 10 个字符。"]
    assert verify_password(_leader(own_county).password_hash, "demo-leader-2026")  # nothing changed yet

    at = _change(at, "demo-leader-2026", "new-pass-2027", "new-pass-2027")
    assert not at.error and [s.value for s in at.success] == ["密码已修改。"]
    stored = _leader(own_county).password_hash
    assert verify_password(stored, "new-pass-2027") and not verify_password(stored, "demo-leader-2026")
