"""WGS-84 → GCJ-02 against published reference points; offline basemap helpers; tiles config."""

from __future__ import annotations

import json
import urllib.parse

import numpy as np
import pandas as pd
import pytest

from components.geo import (
    NO_BASEMAP,
    gcj02_to_wgs84,
    simplify_indices,
    tile_config,
    to_display,
    wgs84_to_gcj02,
)
from data_access.rules.visit_rules import haversine_m

# googollee/eviltransform test vectors: (WGS-84 lat, lon) → (GCJ-02 lat, lon).
REFERENCE = [
    ((31.1774276, 121.5272106), (31.17530398364597, 121.531541859215)),  # Shanghai
    ((22.543847, 113.912316), (22.540796131694766, 113.9171764808363)),  # Shenzhen
    ((39.911954, 116.377817), (39.91334545536069, 116.38404722455657)),  # Beijing
]


@pytest.mark.parametrize(("wgs", "gcj"), REFERENCE)
def test_wgs84_to_gcj02_matches_published_points(wgs: tuple[float, float], gcj: tuple[float, float]) -> None:
    lon, lat = wgs84_to_gcj02(wgs[1], wgs[0])
    assert lat == pytest.approx(gcj[0], abs=1e-9)
    assert lon == pytest.approx(gcj[1], abs=1e-9)


def test_gcj02_vectorised_equals_scalar_and_offset_is_hundreds_of_metres() -> None:
    lats = np.array([w[0] for w, _ in REFERENCE])
    lons = np.array([w[1] for w, _ in REFERENCE])
    out_lon, out_lat = wgs84_to_gcj02(lons, lats)
    np.testing.assert_allclose(out_lat, [g[0] for _, g in REFERENCE], atol=1e-9)
    np.testing.assert_allclose(out_lon, [g[1] for _, g in REFERENCE], atol=1e-9)
    offsets = haversine_m(lons, lats, out_lon, out_lat)
    assert ((offsets > 100) & (offsets < 1000)).all()


@pytest.mark.parametrize(("lon", "lat"), [(-104.9903, 39.7392), (153.0251, -27.4698), (2.35, 48.85)])
def test_gcj02_leaves_points_outside_china_unchanged(lon: float, lat: float) -> None:
    assert wgs84_to_gcj02(lon, lat) == (lon, lat)


def test_haversine_hand_worked() -> None:
    # One degree of latitude on the mean-radius sphere: 6,371,008.8 m × π / 180.
    assert haversine_m(117.0, 25.0, 117.0, 26.0) == pytest.approx(111_195.08, abs=0.1)
    assert haversine_m(117.0, 25.0, 117.0, 25.0) == 0.0


def test_tile_config_default_is_offline_and_fetches_nothing() -> None:
    config = tile_config({})
    assert config.offline and config.crs == "wgs84"
    assert config.map_style == NO_BASEMAP


def test_tile_config_raster_server_in_gcj02() -> None:
    url = "http://tiles.intranet/{z}/{x}/{y}.png"
    config = tile_config({"MAP_TILE_URL": url, "MAP_TILE_CRS": "GCJ02"})
    assert not config.offline and config.crs == "gcj02"
    style = json.loads(urllib.parse.unquote(config.map_style.removeprefix("data:application/json,")))
    assert style["sources"]["tiles0"]["tiles"] == [url]
    frame = pd.DataFrame({"lon": [121.5272106], "lat": [31.1774276]})
    shown = to_display(frame, config)
    assert shown.loc[0, "lon"] == pytest.approx(121.531541859215, abs=1e-9)
    assert frame.loc[0, "lon"] == 121.5272106  # input untouched
    assert to_display(frame, tile_config({"MAP_TILE_URL": url})).equals(frame)
    assert tile_config({"MAP_TILE_CRS": "bd09"}).crs == "wgs84"


def test_simplify_keeps_corners_and_drops_straight_points() -> None:
    # An L-shaped track: 50 points east, then 50 points north (about 11 m apart).
    lon = np.concatenate([117.0 + np.arange(50) * 1e-4, np.full(50, 117.0049)])
    lat = np.concatenate([np.full(50, 25.0), 25.0 + np.arange(1, 51) * 1e-4])
    kept = simplify_indices(lon, lat, tolerance_m=5)
    assert list(kept) == [0, 49, 99]


@pytest.mark.parametrize(("wgs", "gcj"), REFERENCE)
def test_gcj02_to_wgs84_inverts_the_published_points(wgs: tuple[float, float], gcj: tuple[float, float]) -> None:
    lon, lat = gcj02_to_wgs84(gcj[1], gcj[0])
    assert haversine_m(lon, lat, wgs[1], wgs[0]) < 0.01  # under a centimetre


def test_gcj02_to_wgs84_vectorised_round_trip_in_xinluo() -> None:
    lon = np.array([116.68, 117.02, 117.34])
    lat = np.array([24.78, 25.08, 25.58])
    back_lon, back_lat = wgs84_to_gcj02(*gcj02_to_wgs84(lon, lat))
    np.testing.assert_allclose(back_lon, lon, atol=1e-8)
    np.testing.assert_allclose(back_lat, lat, atol=1e-8)


def test_tianditu_base_and_labels_in_one_setting() -> None:
    # The README's worked example: Tianditu's vector map and its place-name layer (CGCS2000 ≈ WGS-84).
    base = "https://t0.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk=KEY"
    labels = "https://t0.tianditu.gov.cn/DataServer?T=cva_w&x={x}&y={y}&l={z}&tk=KEY"
    config = tile_config({"MAP_TILE_URL": f"{base} {labels}"})
    assert config.crs == "wgs84" and not config.offline
    style = json.loads(urllib.parse.unquote(config.map_style.removeprefix("data:application/json,")))
    assert [style["sources"][layer["source"]]["tiles"] for layer in style["layers"]] == [[base], [labels]]
