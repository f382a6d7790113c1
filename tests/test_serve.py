"""``streamlit run serve.py`` prepares the database when the server starts, not in a visitor's session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import sample_data.startup as startup

REPO_ROOT = Path(__file__).resolve().parent.parent


def test_streamlit_run_finds_the_app_of_serve_py() -> None:
    from streamlit.web.server.app_discovery import discover_asgi_app

    found = discover_asgi_app(REPO_ROOT / "serve.py")
    assert found.is_asgi_app and found.app_name == "app"


def test_server_start_prepares_the_database_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                 tiny_db_url: str) -> None:
    copy = tmp_path / "copy.sqlite"
    shutil.copy(tiny_db_url.removeprefix("sqlite:///"), copy)
    url = f"sqlite:///{copy}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setattr(startup, "_ready", set())
    prepared: list[str] = []
    real = startup.ensure_database
    monkeypatch.setattr(startup, "ensure_database", lambda u: prepared.append(u) or real(u))

    import serve

    serve.prepare_server()
    assert prepared == [url]
    # The first visitor's shell (components.shell._ready_database) finds it done.
    startup.ensure_sample_county()
    assert prepared == [url]
