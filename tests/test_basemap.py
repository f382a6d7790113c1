"""The bundled offline basemap: real district boundaries in WGS-84, approximate township areas."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from components.basemap import SAMPLE_TOWNSHIPS_FILE, load_basemap, townships_file
from components.geo import wgs84_to_gcj02
from sample_data.geo_build import clip_half_plane, ring_area, voronoi_cells
from sample_data.geography import TOWNS

KM_PER_DEG_LAT = 111.2


def _km_area(ring: tuple[tuple[float, float], ...]) -> float:
    xy = np.asarray(ring)
    lat0 = np.radians(xy[:, 1].mean())
    return ring_area(np.column_stack([xy[:, 0] * 111.32 * np.cos(lat0), xy[:, 1] * KM_PER_DEG_LAT]))


def _inside(lon: float, lat: float, ring: tuple[tuple[float, float], ...]) -> bool:
    hit = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def test_xinluo_is_the_real_boundary_with_its_neighbours() -> None:
    basemap = load_basemap({})
    assert basemap.district is not None and basemap.district.name == "新罗区"
    ring = basemap.district.rings[0]
    assert 250 <= len(ring) <= 600  # simplified from AMap's 1,041 vertices, still a real outline
    # Xinluo is about 2,685 km²; the neighbours the map shows for context:
    assert _km_area(ring) == pytest.approx(2685, rel=0.03)
    assert {a.name for a in basemap.neighbours} == {"永定区", "上杭县", "连城县", "漳平市"}
    # Longyan's city centre (WGS-84) lies in Xinluo, Yongding's seat in Yongding.
    assert _inside(117.017, 25.075, ring)
    yongding = next(a for a in basemap.neighbours if a.name == "永定区")
    assert _inside(116.732, 24.724, yongding.rings[0]) and not _inside(116.732, 24.724, ring)


def test_boundary_is_wgs84_not_amaps_gcj02() -> None:
    # AMap's (GCJ-02) westernmost vertex of Xinluo is at 116.679901°E; converted to WGS-84 the
    # outline lies about 500 m further west, so the GCJ-02 shift applied to ours gives it back.
    ring = np.asarray(load_basemap({}).district.rings[0])
    west = ring[np.argmin(ring[:, 0])]
    assert west[0] == pytest.approx(116.679901 - 0.0049, abs=0.0015)
    gcj_lon, _ = wgs84_to_gcj02(west[0], west[1])
    assert gcj_lon == pytest.approx(116.679901, abs=0.0008)


def test_sample_townships_tile_the_district_around_their_towns() -> None:
    basemap = load_basemap({})
    assert basemap.townships_approximate
    by_name = {a.name: a for a in basemap.townships}
    assert set(by_name) == set(TOWNS)
    for town in TOWNS.values():
        assert _inside(town.lon, town.lat, by_name[town.name].rings[0]), town.name
        assert _inside(town.lon, town.lat, basemap.district.rings[0]), town.name
    total = sum(_km_area(a.rings[0]) for a in basemap.townships)
    assert total == pytest.approx(_km_area(basemap.district.rings[0]), rel=0.005)  # no gaps, no overlaps


def test_voronoi_hand_worked_square() -> None:
    square = np.array([[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0]])
    left, right = voronoi_cells(np.array([[0.5, 1.0], [1.5, 1.0]]), square)
    assert ring_area(left) == pytest.approx(2.0) and ring_area(right) == pytest.approx(2.0)
    assert left[:, 0].max() == pytest.approx(1.0) and right[:, 0].min() == pytest.approx(1.0)
    # Half-plane x <= 0.5 of the square: a 0.5 × 2 strip.
    assert ring_area(clip_half_plane(square, np.array([1.0, 0.0]), 0.5)) == pytest.approx(1.0)


def test_townships_file_is_a_setting(tmp_path: Path) -> None:
    assert townships_file({}) == SAMPLE_TOWNSHIPS_FILE
    assert townships_file({"MAP_TOWNSHIPS_GEOJSON": "off"}) is None
    assert load_basemap({"MAP_TOWNSHIPS_GEOJSON": "off"}).townships == ()
    own = tmp_path / "towns.geojson"
    own.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"name": "测试镇"},
        "geometry": {"type": "MultiPolygon", "coordinates": [[[[117.0, 25.0], [117.1, 25.0], [117.1, 25.1]]]]}}]}),
        encoding="utf-8")
    basemap = load_basemap({"MAP_TOWNSHIPS_GEOJSON": str(own)})
    assert [a.name for a in basemap.townships] == ["测试镇"] and not basemap.townships_approximate
