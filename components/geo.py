"""Geography for the maps: WGS-84 → GCJ-02, the offline basemap, tile configuration, simplification.

Pure functions (numbers in, numbers out); no network, no database.

- Phones report WGS-84; Chinese tile providers (AMap/Gaode, Tencent) draw in GCJ-02, offset
  by up to several hundred metres. :func:`wgs84_to_gcj02` is the published algorithm (the
  one of googollee/eviltransform), checked against its reference points in tests/test_geo.py.
- Without a tile server (the default) the map draws the district, its neighbours and township
  areas from bundled files (``components.basemap``) and the town names: nothing is fetched.
- Tile configuration is read in one place, :func:`tile_config`, from the environment:

  ``MAP_TILE_URL``  raster tile template(s), e.g. ``http://tiles.intranet/{z}/{x}/{y}.png`` or
                    AMap ``https://webrd01.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}``;
                    several templates separated by spaces are drawn in order (base, then labels).
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


def gcj02_to_wgs84(lon, lat, *, tolerance_deg: float = 1e-9, max_iterations: int = 30):
    """Inverse of :func:`wgs84_to_gcj02` (AMap data → WGS-84) by fixed-point iteration.

    The forward shift varies slowly (metres per kilometre), so ``w ← w − (gcj02(w) − g)``
    converges to well under a millimetre in a handful of steps.
    """
    scalar = np.ndim(lon) == 0
    g_lon, g_lat = np.asarray(lon, dtype="float64"), np.asarray(lat, dtype="float64")
    w_lon, w_lat = g_lon.copy(), g_lat.copy()
    for _ in range(max_iterations):
        f_lon, f_lat = wgs84_to_gcj02(w_lon, w_lat)
        d_lon, d_lat = np.asarray(f_lon) - g_lon, np.asarray(f_lat) - g_lat
        w_lon, w_lat = w_lon - d_lon, w_lat - d_lat
        if max(np.max(np.abs(d_lon), initial=0.0), np.max(np.abs(d_lat), initial=0.0)) < tolerance_deg:
            break
    if scalar:
        return float(w_lon), float(w_lat)
    return w_lon, w_lat


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
            # Several templates (whitespace-separated) are drawn in order: e.g. Tianditu's base
            # map, then its separate annotation (place-name) layer.
            urls = self.tile_url.split()
            style = {
                "version": 8,
                "sources": {f"tiles{i}": {"type": "raster", "tiles": [url], "tileSize": 256}
                            for i, url in enumerate(urls)},
                "layers": [{"id": f"tiles{i}", "type": "raster", "source": f"tiles{i}"} for i in range(len(urls))],
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


# --- views ---------------------------------------------------------------------------------------
MAP_WIDTH_PX = 900  # the narrowest the page's map gets at 1280-1920 px windows (sidebar open)
WORLD_PX = 512.0  # deck.gl/MapLibre: the world is 512 px wide at zoom 0


def mercator_y(lat: np.ndarray | float) -> np.ndarray:
    """Web Mercator y as a fraction of the world (0 at the equator, grows northwards)."""
    return np.log(np.tan(np.pi / 4 + np.radians(np.asarray(lat, dtype="float64")) / 2)) / (2 * np.pi)


def to_pixels(lon, lat, view: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """Screen offsets (px, x right, y down) of points from the centre of ``view``."""
    scale = WORLD_PX * 2.0 ** float(view["zoom"])
    x = (np.asarray(lon, dtype="float64") - view["longitude"]) / 360.0 * scale
    y = -(mercator_y(lat) - mercator_y(view["latitude"])) * scale
    return x, y


def from_pixels(x, y, view: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of :func:`to_pixels`."""
    scale = WORLD_PX * 2.0 ** float(view["zoom"])
    lon = view["longitude"] + np.asarray(x, dtype="float64") / scale * 360.0
    merc = mercator_y(view["latitude"]) - np.asarray(y, dtype="float64") / scale
    lat = np.degrees(2 * np.arctan(np.exp(merc * 2 * np.pi)) - np.pi / 2)
    return lon, lat


def view_for(lon: pd.Series, lat: pd.Series, *, width: int = MAP_WIDTH_PX, height: int = 560, padding: int = 40,
             min_zoom: float = 8.0, max_zoom: float = 16.0) -> dict[str, float]:
    """Centre and zoom (Web Mercator) that show every point inside a ``width``×``height`` map.

    ``padding`` pixels stay free at each edge so markers at the extremes are drawn whole.
    """
    if len(lon) == 0:
        return {"longitude": 117.0, "latitude": 25.0, "zoom": min_zoom}
    west, east = float(np.min(lon)), float(np.max(lon))
    south_y, north_y = float(np.min(mercator_y(lat))), float(np.max(mercator_y(lat)))
    span_x = max((east - west) / 360.0, 1e-9)
    span_y = max(north_y - south_y, 1e-9)
    fit = min((width - 2 * padding) / (span_x * WORLD_PX), (height - 2 * padding) / (span_y * WORLD_PX))
    mid_y = (south_y + north_y) / 2
    return {
        "longitude": (west + east) / 2,
        "latitude": float(np.degrees(2 * np.arctan(np.exp(mid_y * 2 * np.pi)) - np.pi / 2)),
        "zoom": max(min_zoom, min(max_zoom, math.log2(fit))),
    }


def spread_badges(x: np.ndarray, y: np.ndarray, min_gap: float, *, max_rounds: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """Move round badges (screen px) apart until no two centres are closer than ``min_gap``.

    Each round pushes every overlapping pair apart by half the overlap each; coincident
    points are split along a fixed direction per pair, so the result is deterministic.
    """
    p = np.column_stack([np.asarray(x, dtype="float64"), np.asarray(y, dtype="float64")])
    n = len(p)
    if n < 2:
        return p[:, 0], p[:, 1]
    i_idx, j_idx = np.triu_indices(n, 1)
    fallback = np.column_stack([np.cos(i_idx * 2.399 + j_idx), np.sin(i_idx * 2.399 + j_idx)])
    for _ in range(max_rounds):
        d = p[j_idx] - p[i_idx]
        dist = np.hypot(d[:, 0], d[:, 1])
        overlap = min_gap * 1.02 - dist
        hit = overlap > 0
        if not hit.any():
            break
        unit = np.where((dist > 1e-9)[:, None], d / np.maximum(dist, 1e-9)[:, None], fallback)
        push = unit * (np.where(hit, overlap, 0.0) / 2)[:, None]
        moves = np.zeros_like(p)
        np.add.at(moves, i_idx, -push)
        np.add.at(moves, j_idx, push)
        p += moves
    return p[:, 0], p[:, 1]


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


def text_box(text: str, size_px: float) -> tuple[float, float]:
    """Approximate width and height (px) of one line of text: CJK glyphs are square, others ~0.6."""
    width = sum(1.0 if ord(ch) > 0x2E7F else 0.6 for ch in text) * size_px
    return width, size_px * 1.2


def place_labels(
    x: np.ndarray, y: np.ndarray, boxes: list[tuple[float, float]], obstacles_x: np.ndarray,
    obstacles_y: np.ndarray, radius: float,
) -> list[tuple[float, float] | None]:
    """Offsets (px) that keep each label clear of round markers and of the labels placed before it.

    Labels are tried in the given order (most important first) at their anchor, then above,
    below, left, right and diagonally beside it; a label with no clear place is dropped (None)
    rather than drawn under a marker.
    """
    placed: list[tuple[float, float, float, float]] = []
    out: list[tuple[float, float] | None] = []
    ox, oy = np.asarray(obstacles_x, dtype="float64"), np.asarray(obstacles_y, dtype="float64")
    for ax, ay, (w, h) in zip(np.asarray(x, dtype="float64"), np.asarray(y, dtype="float64"), boxes, strict=True):
        gap_y, gap_x = h / 2 + radius + 4, w / 2 + radius + 4
        chosen = None
        for dx, dy in ((0, 0), (0, -gap_y), (0, gap_y), (gap_x, 0), (-gap_x, 0),
                       (gap_x, -gap_y), (-gap_x, -gap_y), (gap_x, gap_y), (-gap_x, gap_y)):
            left, right, top, bottom = ax + dx - w / 2, ax + dx + w / 2, ay + dy - h / 2, ay + dy + h / 2
            near_x = np.clip(ox, left, right)
            near_y = np.clip(oy, top, bottom)
            if np.any(np.hypot(ox - near_x, oy - near_y) < radius):
                continue
            if any(left < r and right > lft and top < b and bottom > tp for lft, r, tp, b in placed):
                continue
            chosen = (float(dx), float(dy))
            placed.append((left, right, top, bottom))
            break
        out.append(chosen)
    return out
