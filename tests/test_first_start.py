"""First start: a Chinese progress page with stage names and a bar while the sample county is generated."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

import components.shell as shell
import sample_data.startup as startup
from sample_data.generate import STAGES
from sample_data.startup import SampleBuild


def test_stages_on_the_page_are_the_generators_stages() -> None:
    assert (*shell.FIRST_START_STAGES, "done") == STAGES


def _progress_page(app_factory: Callable[..., AppTest], url: str, monkeypatch: pytest.MonkeyPatch,
                   build: SampleBuild, lang: str) -> AppTest:
    monkeypatch.setattr(shell, "start_sample_county", lambda: build)
    return app_factory(url, params={"lang": lang})


def test_progress_page_names_the_stage_and_fills_the_bar(app_factory: Callable[..., AppTest], tiny_db_url: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # Orders for 10 of 40 steps done, then the generation fails: the page stays on its last state.
    build = SampleBuild(stage="orders", done=10, total=40, finished=True, error="OSError: disk full")
    at = _progress_page(app_factory, tiny_db_url, monkeypatch, build, "zh")
    assert at.title[0].value == "首次启动：正在生成示例县区数据"
    bar = at.get("progress")[0].proto
    assert bar.value == 25 and bar.text == "生成订货与销售记录 · 25%"
    stages = at.get("html")[0].proto.body
    done, current, waiting = stages.index("✓"), stages.index("▶"), stages.index("○")
    assert done < stages.index("写入基础资料") < current < stages.index("生成订货与销售记录") < waiting
    assert "示例数据生成失败：OSError: disk full" in at.error[0].value
    # none of the pages' figures are drawn while generating
    assert not at.metric


def test_progress_page_in_english(app_factory: Callable[..., AppTest], tiny_db_url: str,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    build = SampleBuild(stage="field", done=30, total=40, finished=True, error="RuntimeError: stop")
    at = _progress_page(app_factory, tiny_db_url, monkeypatch, build, "en")
    assert at.title[0].value == "First start: generating the sample county"
    assert at.get("progress")[0].proto.text == "Generating visits and GPS tracks · 75%"


def test_finished_generation_opens_the_overview(app_factory: Callable[..., AppTest], tiny_db_url: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    build = SampleBuild(stage="indexes", done=39, total=40)
    calls = []

    def start() -> SampleBuild | None:
        calls.append(1)
        return build if len(calls) == 1 else None  # the rerun after generation finds the data

    threading.Timer(0.8, lambda: setattr(build, "finished", True)).start()
    monkeypatch.setattr(shell, "start_sample_county", start)
    at = app_factory(tiny_db_url, params={"lang": "zh"})
    assert not at.exception
    assert at.title[0].value == "经营总览" and not at.get("progress")


def test_start_sample_county_runs_once_and_reports_stages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(startup, "_build", None)
    monkeypatch.setattr(startup, "needs_sample_county", lambda url=None: True)
    release = threading.Event()

    def fake(build: SampleBuild) -> None:
        build.update("master", 1, 4)
        release.wait(5)
        build.update("done", 4, 4)

    first = startup.start_sample_county("sqlite:///x", generate=fake)
    second = startup.start_sample_county("sqlite:///x", generate=fake)
    assert first is second and not first.finished  # a second session shows the same build
    release.set()
    for _ in range(50):
        if first.finished:
            break
        threading.Event().wait(0.1)
    assert first.finished and first.error is None and first.fraction == 1.0
    monkeypatch.setattr(startup, "needs_sample_county", lambda url=None: False)
    assert startup.start_sample_county("sqlite:///x", generate=fake) is None
