"""The app shell: every page renders, URL filters round-trip, bad URL values fall back."""

from __future__ import annotations

import pytest

from tests.markdown import rendered

PAGES = [
    "pages/overview.py",
    "pages/sales.py",
    "pages/terminals.py",
    "pages/routes.py",
    "pages/teams.py",
    "pages/meeting.py",
    "pages/data_import.py",
]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_exception(app_factory, sample_db_url: str, page: str, lang: str) -> None:
    at = app_factory(sample_db_url, page=page, params={"lang": lang})
    assert not at.exception, [e.value for e in at.exception]
    # The data-freshness stamp is on every page (sidebar-less meeting mode shows its own "as of").
    texts = " ".join(c.value for c in at.caption) + " ".join(m.value for m in at.markdown)
    stamp = "数据截至" if lang == "zh" else "Data up to"
    if page != "pages/meeting.py":
        assert stamp in texts, f"no freshness stamp on {page}"


def test_url_filters_are_read_and_written_back(app_factory, tiny_db_url: str) -> None:
    at = app_factory(tiny_db_url, params={"period": "2026-11", "dept": "D1", "lang": "en"})
    assert not at.exception
    # (AppTest formats option labels outside the app, in Chinese: read the state instead.)
    assert at.session_state["flt_period"] == "2026-11"
    assert at.session_state["flt_dept"] == "D1"
    assert at.title[0].value == "Business overview"
    assert "City" in at.caption[0].value  # the department's English name in the subtitle
    # A second visitor with the same link sees the same view.
    again = app_factory(tiny_db_url, params=dict(at.query_params))
    assert again.caption[0].value == at.caption[0].value


def test_defaults_are_written_to_the_url(app_factory, tiny_db_url: str) -> None:
    # (AppTest 1.67 runs the router only on the first run, so sidebar changes are tested
    # through the URL, which is exactly how a shared link changes them.)
    at = app_factory(tiny_db_url)
    assert not at.exception
    assert at.query_params.get("period") == "2026-11"  # latest month with data
    assert "dept" not in at.query_params and "lang" not in at.query_params  # defaults stay out


def test_bad_url_values_fall_back_with_notice(app_factory, tiny_db_url: str) -> None:
    at = app_factory(tiny_db_url, params={"period": "2026-13", "dept": "NOPE", "lang": "xx"})
    assert not at.exception
    warnings = rendered(" ".join(w.value for w in at.warning))
    assert "2026-13" in warnings and "NOPE" in warnings and "xx" in warnings
    # Defaults: latest month with data, all departments, Chinese.
    assert at.selectbox(key="flt_period").value == "2026-11"
    assert at.selectbox(key="flt_dept").value == ""
    assert at.title[0].value == "经营总览"


def test_period_kind_switch_offers_quarters_and_years(app_factory, tiny_db_url: str) -> None:
    at = app_factory(tiny_db_url, params={"period": "2026"})
    assert not at.exception
    assert at.selectbox(key="flt_period").value == "2026"
    assert at.selectbox(key="flt_period").options == ["2026年", "2025年"]


def test_empty_database_says_so_and_offers_import(app_factory, tmp_path) -> None:
    from data_access.db import create_schema, get_engine

    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    create_schema(get_engine(url))
    at = app_factory(url)
    assert not at.exception
    assert any("还没有数据" in info.value for info in at.info)
