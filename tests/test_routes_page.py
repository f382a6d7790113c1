"""AppTest of the route maps page on the hand-built route county (tests/test_routes_factory.py)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from data_access.db import get_engine
from tests.test_routes_factory import build_route_county

PAGE = "pages/routes.py"


@pytest.fixture(scope="module")
def route_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('routes_page') / 'routes.sqlite'}"
    build_route_county(get_engine(url))
    return url


def _deck(at: AppTest, index: int = 0) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[index].proto.json)


def _layer(deck: dict, layer_id: str) -> dict:
    return next(layer for layer in deck["layers"] if layer["id"] == layer_id)


def test_day_view_map_holds_track_numbered_stops_and_shops(
    app_factory: Callable[..., AppTest], route_db_url: str
) -> None:
    at = app_factory(route_db_url, page=PAGE, params={"period": "2026-11", "rt_mgr": "M1", "lang": "en"})
    assert not at.exception
    deck = _deck(at)
    track = _layer(deck, "track")["data"][0]["path"]
    assert len(track) == 562 and track[0] == [117.02, 25.08]
    stops = _layer(deck, "stops")["data"]
    assert [s["no"] for s in stops] == ["1", "2", "3", "4"]
    assert [s["no"] for s in _layer(deck, "stop-numbers")["data"]] == ["1", "2", "3", "4"]
    assert "Far sign-in" in stops[2]["tooltip"] and "334 m" in stops[2]["tooltip"]
    assert stops[0]["color"] != stops[1]["color"]  # stop 2 (short visit) is drawn as an anomaly
    shops = _layer(deck, "shops")["data"]
    assert len(shops) == 7
    assert sorted(s["color"][0] for s in shops).count(46) == 4  # four visited shops in green
    assert len(_layer(deck, "speed-jumps")["data"]) == 2
    assert {layer["id"] for layer in deck["layers"]} >= {"district", "towns"}
    assert deck.get("mapStyle") in (None, "__MAP_STYLE__")  # offline: no tile or style URL
    # defaults to the latest working day with data, and KPIs match the hand-built day
    assert at.selectbox(key="rt_day").value == "2026-11-18"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Visits"] == "4" and metrics["Missed / planned"] == "1 / 4"
    assert metrics["Anomalies"] == "7"  # short, far, no sign-out, outside hours, 2 jumps, 1 missed plan
    table = at.dataframe[0].value
    assert table["Shop"].tolist() == ["东城食杂店", "万家超市", "北环烟酒店", "西门食杂店"]
    assert table["Anomalies"].tolist()[3] == "No sign-out, Outside working hours"  # "、" only in Chinese
    assert len(json.dumps(deck).encode()) < 500_000


def test_stop_from_url_centres_and_highlights(app_factory: Callable[..., AppTest], route_db_url: str) -> None:
    at = app_factory(route_db_url, page=PAGE, params={"period": "2026-11", "rt_mgr": "M1", "rt_stop": "3"})
    deck = _deck(at)
    ring = _layer(deck, "selected-stop")["data"][0]["position"]
    assert ring == [117.04, 25.083]  # stop 3 signed in 0.003° north of 北环烟酒店
    assert deck["initialViewState"]["longitude"] == pytest.approx(117.04)
    assert deck["initialViewState"]["zoom"] == 16


def test_playback_shows_position_and_travelled_part(app_factory: Callable[..., AppTest], route_db_url: str) -> None:
    at = app_factory(route_db_url, page=PAGE, params={"period": "2026-11", "rt_mgr": "M1", "rt_t": "09:05"})
    deck = _deck(at)
    assert _layer(deck, "position")["data"][0]["position"] == [117.02, 25.08]  # at stop 1 (东城食杂店)
    assert len(_layer(deck, "travelled")["data"][0]["path"]) == 16  # 08:50..09:05
    assert any("09:05" in c.value and "东城食杂店" in c.value for c in at.caption)


def test_playback_between_shops_and_after_the_last_fix(app_factory: Callable[..., AppTest], route_db_url: str) -> None:
    # M1's fixes all report 0 km/h: at 09:20, between stop 1 (out 09:10) and stop 2 (in 09:30),
    # the manager stands still somewhere that is not a shop.
    at = app_factory(route_db_url, page=PAGE, params={"period": "2026-11", "rt_mgr": "M1", "rt_t": "09:20"})
    assert any(c.value == "09:20 停留中，不在门店" for c in at.caption)
    # M2 signed out of R3 at 09:20 and the last fix is 09:25: the day's track has ended.
    at = app_factory(route_db_url, page=PAGE, params={"period": "2026-11", "rt_mgr": "M2"})
    assert any(c.value == "09:25 当日最后一次定位，不在门店" for c in at.caption)


def test_month_view_statistics_and_anomalies(app_factory: Callable[..., AppTest], route_db_url: str) -> None:
    at = app_factory(route_db_url, page=PAGE, params={"period": "2026-11", "rt_view": "month", "lang": "en"})
    assert not at.exception
    stats = at.dataframe[0].value.set_index("Customer manager")
    assert stats.loc["张伟", "Visits"] == 7 and stats.loc["张伟", "Days in the field"] == 4
    assert stats.loc["张伟", "Coverage"] == "71.4%" and stats.loc["李娜", "Coverage"] == "100.0%"
    counts = at.dataframe[1].value
    assert counts.loc["张伟", "Impossible speed"] == 2 and counts.loc["张伟", "Coverage gap"] == 2
    detail = at.dataframe[2].value
    assert len(detail) == 9
    spec = at.get("vega_lite_chart")[0].proto.spec
    assert "coverage_pct" in spec
    # Coverage 71.4 % and 100 %: the axis starts just below the lowest (65), not at 0, so the spread shows.
    import json

    layer = json.loads(spec)["layer"][0]
    assert layer["mark"]["type"] == "circle" and layer["encoding"]["x"]["scale"]["domain"] == [65.0, 100]


def test_now_view_for_the_meeting_wall(app_factory: Callable[..., AppTest], route_db_url: str,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # "Now" is during the county's last field day (a later real clock means no one is out today).
    monkeypatch.setenv("DASHBOARD_TODAY", "2026-11-18T18:15")
    at = app_factory(route_db_url, page=PAGE, params={"period": "2026-11", "rt_view": "now"})
    assert not at.exception
    deck = _deck(at)
    managers = _layer(deck, "managers")["data"]
    assert len(managers) == 2
    assert "正在走访：西门食杂店" in next(m["tooltip"] for m in managers if m["name"] == "张伟")
    assert [n["name"] for n in _layer(deck, "manager-names")["data"]] == ["张伟", "李娜"]


def test_bad_url_values_fall_back_with_a_notice(app_factory: Callable[..., AppTest], route_db_url: str) -> None:
    at = app_factory(route_db_url, page=PAGE, params={"period": "2026-11", "rt_mgr": "NOPE", "rt_day": "2020-01-01"})
    assert not at.exception
    assert at.selectbox(key="rt_mgr").value == "M1"
    assert len(at.warning) >= 2


def test_department_without_visits_shows_a_message(app_factory: Callable[..., AppTest], route_db_url: str) -> None:
    at = app_factory(route_db_url, page=PAGE, params={"period": "2026-10", "rt_mgr": "M1"})
    assert not at.exception
    assert any("没有走访记录" in i.value for i in at.info)


def test_gcj02_tiles_setting_shifts_what_the_page_draws(app_factory: Callable[..., AppTest], route_db_url: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from urllib.parse import unquote

    from components.geo import wgs84_to_gcj02

    monkeypatch.setenv("MAP_TILE_URL", "http://tiles.example.invalid/{z}/{x}/{y}.png")
    monkeypatch.setenv("MAP_TILE_CRS", "gcj02")
    at = app_factory(route_db_url, page=PAGE, params={"period": "2026-11", "rt_mgr": "M1", "lang": "en"})
    deck = _deck(at)
    first_fix = _layer(deck, "track")["data"][0]["path"][0]
    assert first_fix == [round(v, 5) for v in wgs84_to_gcj02(117.02, 25.08)]  # ~500 m from [117.02, 25.08]
    assert "http://tiles.example.invalid/{z}/{x}/{y}.png" in unquote(deck["mapStyle"])
    assert any("GCJ02" in c.value for c in at.caption)  # the page says the tiles' system


def test_legend_under_the_map_matches_the_dots_and_says_townships_are_approximate(
    app_factory: Callable[..., AppTest], route_db_url: str
) -> None:
    import re

    at = app_factory(route_db_url, page=PAGE, params={"period": "2026-11", "rt_mgr": "M1", "lang": "en"})
    deck = _deck(at)
    legend = next(h.proto.body for h in at.get("html") if "map-legend" in h.proto.body)
    colours = set(re.findall(r'data-color="rgb\((\d+),(\d+),(\d+)\)"', legend))
    drawn = {tuple(str(v) for v in s["color"][:3]) for s in _layer(deck, "shops")["data"]}
    drawn |= {tuple(str(v) for v in s["color"][:3]) for s in _layer(deck, "stops")["data"]}
    assert drawn <= colours  # every colour on the map has its legend entry, in that very colour
    assert "Township areas are approximate" in legend
    assert {layer["id"] for layer in deck["layers"]} >= {"neighbours", "district", "townships", "district-border"}
