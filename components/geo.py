"""Geography for the maps: WGS-84 → GCJ-02, the offline basemap, tile configuration, simplification.

Pure functions (numbers in, numbers out); no network, no database.

- Phones report WGS-84; Chinese tile providers (AMap/Gaode, Tencent) draw in GCJ-02, offset
  by up to several hundred metres. :func:`wgs84_to_gcj02` is the published algorithm (the
  one of googollee/eviltransform), checked against its reference points in tests/test_geo.py.
- Without a tile server (the default) the map shows a plain background with the district's
  outline and town names built from the retailers' own positions: nothing is fetched.
- Tile configuration is read in one place, :func:`tile_config`, from the environment:

  ``MAP_TILE_URL``  raster tile template, e.g. ``http://tiles.intranet/{z}/{x}/{y}.png`` or
                    AMap ``https://webrd01.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}``
  ``MAP_TILE_CRS``  ``wgs84`` (default) or ``gcj02``: the coordinate system of those tiles;
                    with ``gcj02`` every drawn position is converted from WGS-84.
  ``MAP_STYLE_URL`` alternatively, a full MapLibre style JSON URL (internal vector tiles).
"""

from __future__ import annotations

import json
import math
import os
import urllib.parse
from dataclasses import dataclass

import numpy as np
import pandas as pd

# Krasovsky 1940 ellipsoid, as used by the GCJ-02 obfuscation.
_A = 6378245.0
_EE = 0.00669342162296594323

# pydeck's sentinel: Streamlit then draws no base map at all and fetches nothing
# (with map_style=None it would substitute a Carto style from the internet).
NO_BASEMAP = "__MAP_STYLE__"
TILE_CRS = ("wgs84", "gcj02")


def out_of_china(lon: np.ndarray | float, lat: np.ndarray | float) -> np.ndarray | bool:
    """The published rough rectangle outside which GCJ-02 applies no offset."""
    lon_a, lat_a = np.asarray(lon, dtype="float64"), np.asarray(lat, dtype="float64")
    outside = (lon_a < 72.004) | (lon_a > 137.8347) | (lat_a < 0.8293) | (lat_a > 55.8271)
    return bool(outside) if outside.ndim == 0 else outside


def _delta_lat(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    return ret


def _delta_lon(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lon, lat):
    """Convert WGS-84 longitude/latitude (scalars or arrays) to GCJ-02; unchanged outside China."""
    scalar = np.ndim(lon) == 0
    lon_a, lat_a = np.asarray(lon, dtype="float64"), np.asarray(lat, dtype="float64")
    x, y = lon_a - 105.0, lat_a - 35.0
    rad_lat = lat_a / 180.0 * np.pi
    magic = 1 - _EE * np.sin(rad_lat) ** 2
    sqrt_magic = np.sqrt(magic)
    d_lat = (_delta_lat(x, y) * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * np.pi)
    d_lon = (_delta_lon(x, y) * 180.0) / (_A / sqrt_magic * np.cos(rad_lat) * np.pi)
    outside = np.asarray(out_of_china(lon_a, lat_a))
    out_lon = np.where(outside, lon_a, lon_a + d_lon)
    out_lat = np.where(outside, lat_a, lat_a + d_lat)
    if scalar:
        return float(out_lon), float(out_lat)
    return out_lon, out_lat


# --- tiles -------------------------------------------------------------------------------
@dataclass(frozen=True)
class TileConfig:
    """Where base-map tiles come from (if anywhere) and in which coordinate system."""

    tile_url: str | None = None
    style_url: str | None = None
    crs: str = "wgs84"

    @property
    def offline(self) -> bool:
        return not (self.tile_url or self.style_url)

    @property
    def map_style(self) -> str:
        """The pydeck ``map_style``: the no-basemap sentinel, a style URL, or a raster style."""
        if self.style_url:
            return self.style_url
        if self.tile_url:
            style = {
                "version": 8,
                "sources": {"tiles": {"type": "raster", "tiles": [self.tile_url], "tileSize": 256}},
                "layers": [{"id": "tiles", "type": "raster", "source": "tiles"}],
            }
            # A data: URL keeps the style inline: no style server needed besides the tiles.
            return "data:application/json," + urllib.parse.quote(json.dumps(style))
        return NO_BASEMAP


def tile_config(environ: dict[str, str] | None = None) -> TileConfig:
    """Read ``MAP_TILE_URL``, ``MAP_STYLE_URL`` and ``MAP_TILE_CRS`` (the one place that does)."""
    env = os.environ if environ is None else environ
    crs = env.get("MAP_TILE_CRS", "wgs84").strip().lower() or "wgs84"
    if crs not in TILE_CRS:
        crs = "wgs84"
    return TileConfig(
        tile_url=env.get("MAP_TILE_URL", "").strip() or None,
        style_url=env.get("MAP_STYLE_URL", "").strip() or None,
        crs=crs,
    )


def to_display(frame: pd.DataFrame, config: TileConfig, lon: str = "lon", lat: str = "lat") -> pd.DataFrame:
    """A copy of ``frame`` with ``lon``/``lat`` in the tiles' system (GCJ-02 when configured)."""
    if config.crs != "gcj02" or frame.empty:
        return frame
    out = frame.copy()
    out[lon], out[lat] = wgs84_to_gcj02(out[lon].to_numpy(), out[lat].to_numpy())
    return out


# --- offline basemap -----------------------------------------------------------------------
def convex_hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Convex hull (Andrew's monotone chain), counter-clockwise, without repeating the first point."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple[float, float]] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def district_outline(towns: pd.DataFrame, pad_deg: float = 0.01) -> list[list[float]]:
    """A simple district outline: hull of the towns' retailer extents, padded by ``pad_deg``.

    ``towns`` has min_lon, max_lon, min_lat, max_lat per town (aggregated in SQL).
    """
    corners = [
        (lon + dx, lat + dy)
        for row in towns.itertuples()
        for lon, dx in ((row.min_lon, -pad_deg), (row.max_lon, pad_deg))
        for lat, dy in ((row.min_lat, -pad_deg), (row.max_lat, pad_deg))
    ]
    return [[round(x, 5), round(y, 5)] for x, y in convex_hull(corners)]


def view_for(lon: pd.Series, lat: pd.Series, *, min_zoom: float = 9.0, max_zoom: float = 16.0) -> dict[str, float]:
    """Centre and zoom that fit the points (Web Mercator, ~900 px wide map)."""
    if len(lon) == 0:
        return {"longitude": 117.0, "latitude": 25.0, "zoom": min_zoom}
    west, east, south, north = float(lon.min()), float(lon.max()), float(lat.min()), float(lat.max())
    # The map is about twice as wide as it is tall (and latitude degrees are taller on screen
    # by 1/cos(lat)): fit the latitude span to the height.
    span = max(east - west, (north - south) * 2.0 / math.cos(math.radians((south + north) / 2)), 1e-4)
    zoom = math.log2(360.0 * 2.5 / span) - 0.5  # ~900 px across at 256 px per tile, with a margin
    return {
        "longitude": (west + east) / 2,
        "latitude": (south + north) / 2,
        "zoom": max(min_zoom, min(max_zoom, zoom)),
    }


# --- simplification -------------------------------------------------------------------------
def simplify_indices(lon: np.ndarray, lat: np.ndarray, tolerance_m: float) -> np.ndarray:
    """Indices kept by Douglas–Peucker with ``tolerance_m`` (local metric projection)."""
    n = len(lon)
    if n <= 2:
        return np.arange(n)
    lat0 = math.radians(float(np.mean(lat)))
    x = np.asarray(lon, dtype="float64") * 111_320.0 * math.cos(lat0)
    y = np.asarray(lat, dtype="float64") * 110_574.0
    keep = np.zeros(n, dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        dx, dy = x[last] - x[first], y[last] - y[first]
        seg = math.hypot(dx, dy)
        xs, ys = x[first + 1:last], y[first + 1:last]
        if seg == 0:
            dist = np.hypot(xs - x[first], ys - y[first])
        else:
            dist = np.abs(dy * (xs - x[first]) - dx * (ys - y[first])) / seg
        worst = int(np.argmax(dist))
        if dist[worst] > tolerance_m:
            index = first + 1 + worst
            keep[index] = True
            stack.extend([(first, index), (index, last)])
    return np.flatnonzero(keep)
