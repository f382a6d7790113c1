"""Production settings and the incident guard (issue 16, "Server settings for production").

- The production config turns error details off, XSRF on, sets an upload limit and an explicit
  address, and every option is one Streamlit knows (a typo would be ignored by the server).
- A page that raises shows the visitor a short message with an incident id, no traceback and
  no exception text; the server log has the traceback, the page and the URL parameters.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from google.protobuf.json_format import MessageToDict
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

import run_production
from data_access.queries import overview

SECRET = "boom: password=hunter2 at /srv/app/data_access/queries/overview.py"


def test_production_flags() -> None:
    flags = run_production.production_flags()
    assert "--client.showErrorDetails=none" in flags
    assert "--server.enableXsrfProtection=true" in flags
    assert "--server.address=127.0.0.1" in flags
    assert any(flag.startswith("--server.maxUploadSize=") for flag in flags)
    known = st_config._config_options_template
    for flag in flags:
        name, value = flag.removeprefix("--").split("=", 1)
        assert name in known, name
        option = known[name]
        if option.type is bool:
            assert value in ("true", "false"), flag
        elif option.type is int:
            int(value)
    command = run_production.command(["--server.address=10.20.0.5"])
    assert command[-1] == "--server.address=10.20.0.5" and command[4].endswith("serve.py")


def _everything(at: AppTest) -> str:
    def walk(node: object) -> list[str]:
        out = []
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                out += walk(child)
        if getattr(node, "proto", None) is not None:
            out.append(str(MessageToDict(node.proto)))
        return out

    return " ".join(walk(at._tree))


def test_an_unexpected_error_is_logged_and_the_visitor_sees_an_incident_id(
    app_factory: Callable[..., AppTest], tiny_db_url: str, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(**_: object) -> dict:
        raise RuntimeError(SECRET)

    monkeypatch.setattr(overview, "overview_kpis", broken)
    with caplog.at_level(logging.ERROR, logger="dashboard.errors"):
        at = app_factory(tiny_db_url, params={"period": "2026-11", "dept": "D1"})
    assert not at.exception  # nothing reaches Streamlit's own error box
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "事件编号" in errors[0]
    shown = _everything(at)
    assert "hunter2" not in shown and "Traceback" not in shown and "RuntimeError" not in shown
    records = [r for r in caplog.records if r.name == "dashboard.errors"]
    assert len(records) == 1
    record = records[0]
    assert record.incident in errors[0]
    assert record.page == "overview" and record.parameters["period"] == ["2026-11"]
    assert record.parameters["dept"] == ["D1"]
    assert record.exc_info and "hunter2" in str(record.exc_info[1])
    assert "overview" in record.getMessage() and "2026-11" in record.getMessage()
