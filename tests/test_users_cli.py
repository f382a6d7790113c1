"""``python -m data_access.users create-admin``: the first administrator of a production database."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from sqlmodel import Session, select

from data_access.db import get_engine
from data_access.models.access import AppUser, AuditEntry
from data_access.users import main


def test_create_admin_reads_the_password_from_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'prod.sqlite'}"
    monkeypatch.setattr(sys, "stdin", io.StringIO("first-admin-pass\n"))
    assert main(["create-admin", "zhang.wei", "--display-name", "张伟", "--password-stdin", "--database-url", url]) == 0
    out = capsys.readouterr()
    assert "zhang.wei" in out.out and "first-admin-pass" not in out.out + out.err
    with Session(get_engine(url)) as session:
        user = session.exec(select(AppUser)).one()
        audit = session.exec(select(AuditEntry)).one()
    assert (user.login, user.display_name, user.role, user.is_demo) == ("zhang.wei", "张伟", "admin", False)
    assert user.password_hash.startswith("$argon2id$")
    assert (audit.action, audit.user_name) == ("user.create", "system")


def test_create_admin_refuses_a_weak_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'prod.sqlite'}"
    monkeypatch.setattr(sys, "stdin", io.StringIO("12345\n"))
    assert main(["create-admin", "zhang.wei", "--password-stdin", "--database-url", url]) == 2
    assert "password too short" in capsys.readouterr().err
    with Session(get_engine(url)) as session:
        assert session.exec(select(AppUser)).first() is None


def test_create_admin_prompts_twice_without_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import getpass

    answers = iter(["prompted-pass-1", "prompted-pass-2"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    with pytest.raises(SystemExit, match="differ"):
        main(["create-admin", "li", "--database-url", f"sqlite:///{tmp_path / 'p.sqlite'}"])
