"""Maps a person can read: whole day in view, stop numbers apart, names clear of markers, legend = dots."""

from __future__ import annotations

import json
import re
import urllib.parse

import numpy as np
import pandas as pd
import pytest

from components.basemap import load_basemap
from components.geo import MAP_WIDTH_PX, TileConfig, text_box, to_pixels, view_for, wgs84_to_gcj02
from components.maps import (
    MANAGER_RADIUS_PX,
    STATUS_COLORS,
    STOP_COLOR,
    STOP_RADIUS_PX,
    TOWN_FONT_PX,
    day_legend,
    legend_html,
    manager_day_deck,
    managers_now_deck,
)
from sample_data.geography import TOWNS

OFFLINE = TileConfig()
TOWN_FRAME = pd.DataFrame({"town": list(TOWNS), "lon": [t.lon for t in TOWNS.values()],
                           "lat": [t.lat for t in TOWNS.values()]})


def _layer(deck: dict, layer_id: str) -> dict:
    return next(layer for layer in deck["layers"] if layer["id"] == layer_id)


def _dense_day(n: int = 12) -> dict[str, pd.DataFrame]:
    """n stops 30 m apart in the urban core, plus one shop and a GPS fix 6 km out."""
    at = pd.Timestamp("2026-11-18 09:00")
    lon = 117.020 + np.arange(n) * 0.0003
    lat = np.full(n, 25.080)
    stops = pd.DataFrame({
        "stop_no": range(1, n + 1), "retailer_id": range(n), "shop_name": [f"店{i}" for i in range(n)],
        "sign_in_lon": lon, "sign_in_lat": lat, "shop_lon": lon, "shop_lat": lat,
        "sign_in_at": [at + pd.Timedelta(minutes=20 * i) for i in range(n)],
        "sign_out_at": [at + pd.Timedelta(minutes=20 * i + 10) for i in range(n)],
        "duration_min": 10.0, "sign_in_distance_m": 5.0, "far_sign_in": False, "anomalies": [[] for _ in range(n)],
    })
    shops = pd.DataFrame({"retailer_id": [99], "shop_name": ["远店"], "lon": [117.080], "lat": [25.100],
                          "status": ["overdue"], "days_since_visit": [40]})
    track = pd.DataFrame({"lon": [*lon, 116.960], "lat": [*lat, 25.040],
                          "recorded_at": [at + pd.Timedelta(minutes=i) for i in range(n + 1)]})
    return {"stops": stops, "shops": shops, "track": track}


def _day_deck(config: TileConfig = OFFLINE, **frames: pd.DataFrame) -> dict:
    frames = frames or _dense_day()
    deck = manager_day_deck(track=frames["track"], stops=frames["stops"], shops=frames["shops"], jumps=pd.DataFrame(),
                            towns=TOWN_FRAME, basemap=load_basemap({}), config=config)
    return json.loads(deck.to_json())


def test_day_view_holds_every_fix_stop_and_shop() -> None:
    deck = _day_deck()
    view = deck["initialViewState"]
    day = _dense_day()
    lon = np.concatenate([day["track"]["lon"], day["stops"]["sign_in_lon"], day["shops"]["lon"]])
    lat = np.concatenate([day["track"]["lat"], day["stops"]["sign_in_lat"], day["shops"]["lat"]])
    x, y = to_pixels(lon, lat, view)
    assert np.abs(x).max() <= MAP_WIDTH_PX / 2 and np.abs(y).max() <= 560 / 2
    # ...and uses the space: the far GPS fix (6 km west) is near the left edge, not lost in a small map
    assert np.abs(x).max() > MAP_WIDTH_PX / 2 - 80 or np.abs(y).max() > 560 / 2 - 80


def test_view_for_hand_worked() -> None:
    # 0.1° of longitude at the equator, 900 px wide map, 40 px padding: 820 px for 0.1/360 of a
    # 512 px world → 2^zoom = 820 / (512 × 0.1/360) = 5,765.6 → zoom 12.493.
    view = view_for(pd.Series([0.0, 0.1]), pd.Series([0.0, 0.0]), width=900, height=560, padding=40)
    assert view["zoom"] == pytest.approx(np.log2(820 / (512 * 0.1 / 360)), abs=1e-9)
    assert view["longitude"] == pytest.approx(0.05) and view["latitude"] == pytest.approx(0.0)


def test_stop_numbers_in_the_dense_core_do_not_pile_up() -> None:
    deck = _day_deck()
    view = deck["initialViewState"]
    numbers = _layer(deck, "stop-numbers")["data"]
    assert [n["no"] for n in numbers] == [str(i) for i in range(1, 13)]
    pos = np.array([n["position"] for n in numbers])
    x, y = to_pixels(pos[:, 0], pos[:, 1], view)
    gaps = np.hypot(x[:, None] - x, y[:, None] - y) + np.eye(len(x)) * 1e9
    assert gaps.min() >= 2 * STOP_RADIUS_PX  # 30 m apart would be ~3 px at this zoom: all on one spot
    # each moved badge has a thin line back to its real sign-in spot
    leaders = _layer(deck, "stop-leaders")["data"]
    spots = {tuple(s) for s in zip(_dense_day()["stops"]["sign_in_lon"].round(5),
                                   _dense_day()["stops"]["sign_in_lat"].round(5), strict=True)}
    assert leaders and all(tuple(line["at"]) in spots for line in leaders)


def test_legend_colours_are_the_colours_drawn() -> None:
    deck = _day_deck()
    html = legend_html(day_legend(("visited", "missed_plan", "overdue", "recent")))
    legend = dict(re.findall(r'data-color="rgb\((\d+,\d+,\d+)\)"[^>]*>.*?</span> ([^<]+)</span>', html))
    shops = _layer(deck, "shops")["data"]
    assert ",".join(map(str, shops[0]["color"][:3])) in legend  # the overdue shop's orange
    for status, rgb in STATUS_COLORS.items():
        assert ",".join(map(str, rgb)) in legend, status
    stop_rgb = ",".join(map(str, _layer(deck, "stops")["data"][0]["color"][:3]))
    assert stop_rgb == ",".join(map(str, STOP_COLOR)) and stop_rgb in legend
    track_rgb = ",".join(map(str, _layer(deck, "track")["getColor"][:3]))
    assert track_rgb in legend


def _boxes_hit_circles(deck: dict, font_px: float, radius: float) -> list[str]:
    view = deck["initialViewState"]
    towns = _layer(deck, "towns")["data"]
    markers = np.array([m["position"] for m in _layer(deck, "managers")["data"]])
    mx, my = to_pixels(markers[:, 0], markers[:, 1], view)
    hits = []
    for town in towns:
        (tx,), (ty,) = to_pixels([town["position"][0]], [town["position"][1]], view)
        w, h = text_box(town["name"], font_px)
        nx, ny = np.clip(mx, tx - w / 2, tx + w / 2), np.clip(my, ty - h / 2, ty + h / 2)
        if np.any(np.hypot(mx - nx, my - ny) < radius):
            hits.append(town["name"])
    return hits


def test_wall_markers_do_not_hide_town_names() -> None:
    # Thirteen managers, most of them in the urban core right on the sub-district names.
    centres = [*list(TOWNS.values())[:9], TOWNS["适中镇"], TOWNS["雁石镇"], TOWNS["小池镇"], TOWNS["万安镇"]]
    now = pd.DataFrame({
        "name": [f"经理{i}" for i in range(13)], "department": "城区服务部",
        "lon": [t.lon + 0.001 for t in centres], "lat": [t.lat for t in centres],
        "at_shop": [i % 2 == 0 for i in range(13)], "shop_name": "店",
        "recorded_at": pd.Timestamp("2026-11-18 10:00"),
    })
    deck = json.loads(managers_now_deck(now, towns=TOWN_FRAME, basemap=load_basemap({}), config=OFFLINE, scale=2.0,
                                        height=740, width=1100, numbered=True).to_json())
    assert _boxes_hit_circles(deck, TOWN_FONT_PX * 2, MANAGER_RADIUS_PX * 2) == []
    assert len(_layer(deck, "towns")["data"]) >= 14  # names move aside; only a few give way in the core
    numbers = np.array([m["position"] for m in _layer(deck, "manager-numbers")["data"]])
    x, y = to_pixels(numbers[:, 0], numbers[:, 1], deck["initialViewState"])
    assert (np.hypot(x[:, None] - x, y[:, None] - y) + np.eye(13) * 1e9).min() >= 2 * MANAGER_RADIUS_PX * 2


def test_gcj02_tiles_shift_every_drawn_position() -> None:
    gcj = TileConfig(tile_url="http://127.0.0.1:1/{z}/{x}/{y}.png", crs="gcj02")
    plain, shifted = _day_deck(), _day_deck(gcj)
    stop = _dense_day()["stops"].iloc[0]
    expected = [round(v, 5) for v in wgs84_to_gcj02(stop["sign_in_lon"], stop["sign_in_lat"])]
    assert _layer(shifted, "stop-leaders")["data"][0]["at"] == expected
    assert _layer(plain, "stop-leaders")["data"][0]["at"] == [117.02, 25.08]
    for layer_id in ("district", "townships", "towns"):  # the basemap moves with the data
        a, b = _layer(plain, layer_id)["data"][0], _layer(shifted, layer_id)["data"][0]
        assert a != b, layer_id
    assert "http://127.0.0.1:1/{z}/{x}/{y}.png" in urllib.parse.unquote(shifted["mapStyle"]) and plain["mapStyle"] == "__MAP_STYLE__"


def test_neighbouring_districts_are_named_beside_the_border() -> None:
    from tests.test_basemap import _inside

    basemap = load_basemap({})
    names = {d["name"]: d["position"] for d in _layer(_day_deck(), "neighbour-names")["data"]}
    assert set(names) == {"永定区", "上杭县", "连城县", "漳平市"}
    for area in basemap.neighbours:
        lon, lat = names[area.name]
        assert _inside(lon, lat, area.rings[0]) and not _inside(lon, lat, basemap.district.rings[0]), area.name
        border_km = min(((x - lon) * 101) ** 2 + ((y - lat) * 111) ** 2 for x, y in basemap.district.rings[0]) ** 0.5
        assert border_km < 15, area.name  # close enough to show at the wall's zoom



def test_day_map_draws_town_names_over_shop_dots_and_under_stops() -> None:
    order = [layer["id"] for layer in _day_deck()["layers"]]
    assert order.index("shops") < order.index("towns") < order.index("stops")
