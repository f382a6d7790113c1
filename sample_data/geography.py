"""Towns of Xinluo district and the placing of retailers, areas and routes on the map.

Coordinates are approximate (WGS-84), each town centre inside the real district boundary
(``components/basemap/districts.geojson``): a dense urban core of sub-districts (街道) around
25.08°N 117.02°E and rural towns (镇) a few to 30 km out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sample_data.common import to_xy


@dataclass(frozen=True)
class Town:
    name: str
    lat: float
    lon: float
    weight: float  # relative number of retailers
    rural: bool
    spread_km: float  # standard deviation of shop positions around the centre


TOWNS: dict[str, Town] = {
    t.name: t
    for t in (
        Town("东城街道", 25.098, 117.040, 230, False, 0.75),
        Town("南城街道", 25.062, 117.022, 230, False, 0.75),
        Town("西城街道", 25.090, 117.003, 230, False, 0.70),
        Town("中城街道", 25.081, 117.020, 240, False, 0.55),
        Town("北城街道", 25.112, 117.024, 200, False, 0.80),
        Town("曹溪街道", 25.068, 117.062, 200, False, 0.95),
        Town("东肖街道", 25.040, 117.082, 170, False, 1.10),
        Town("西陂街道", 25.086, 116.975, 200, False, 0.95),
        Town("龙门街道", 25.116, 116.938, 150, False, 1.20),
        Town("铁山镇", 25.160, 116.958, 90, True, 1.3),
        Town("适中镇", 24.928, 117.140, 140, True, 1.5),
        Town("雁石镇", 25.222, 117.165, 110, True, 1.4),
        Town("苏坂镇", 25.170, 117.118, 80, True, 1.2),
        Town("红坊镇", 25.002, 116.996, 100, True, 1.3),
        Town("江山镇", 25.140, 116.852, 80, True, 1.3),
        Town("万安镇", 25.045, 116.927, 70, True, 1.2),
        Town("小池镇", 25.268, 116.982, 60, True, 1.2),
        Town("大池镇", 25.315, 116.970, 60, True, 1.3),
    )
}


def place_in_town(rng: np.random.Generator, town: Town, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Shop positions in km (local plane): urban Gaussian, rural town centre plus villages."""
    cx, cy = to_xy(town.lon, town.lat)
    if not town.rural:
        r = rng.standard_normal((count, 2)) * town.spread_km
        return cx + r[:, 0], cy + r[:, 1]
    in_centre = rng.random(count) < 0.55
    r = rng.standard_normal((count, 2)) * 0.45
    villages = max(3, count // 12)
    angle = rng.uniform(0, 2 * np.pi, villages)
    dist = rng.uniform(1.5, 3.5 * town.spread_km, villages)
    vx, vy = dist * np.cos(angle), dist * np.sin(angle)
    which = rng.integers(villages, size=count)
    x = np.where(in_centre, cx + r[:, 0], cx + vx[which] + r[:, 0] * 0.5)
    y = np.where(in_centre, cy + r[:, 1], cy + vy[which] + r[:, 1] * 0.5)
    return x, y


def split_balanced(x: np.ndarray, y: np.ndarray, parts: int, weights: np.ndarray | None = None) -> np.ndarray:
    """Recursive coordinate bisection: ``parts`` compact groups of about equal weight.

    Returns a group number (0..parts-1) per point. Each cut runs across the longer side of
    the bounding box, so the groups are compact areas a manager can walk or drive.
    """
    weights = np.ones(len(x)) if weights is None else np.asarray(weights, float)
    groups = np.zeros(len(x), dtype=np.int64)

    def _split(index: np.ndarray, k: int, first: int) -> None:
        if k <= 1 or len(index) == 0:
            groups[index] = first
            return
        k_left = k // 2
        xs, ys = x[index], y[index]
        axis = xs if np.ptp(xs) >= np.ptp(ys) else ys
        order = index[np.argsort(axis, kind="stable")]
        cum = np.cumsum(weights[order])
        cut = int(np.searchsorted(cum, cum[-1] * k_left / k))
        _split(order[:cut], k_left, first)
        _split(order[cut:], k - k_left, first + k_left)

    _split(np.arange(len(x)), parts, 0)
    return groups


def nearest_neighbour_tour(x: np.ndarray, y: np.ndarray, start: tuple[float, float]) -> np.ndarray:
    """Visiting order by always going to the nearest unvisited shop (a plausible route)."""
    n = len(x)
    order = np.empty(n, dtype=np.int64)
    left = np.ones(n, dtype=bool)
    px, py = start
    for i in range(n):
        d = np.abs(x - px) + np.abs(y - py)
        d[~left] = np.inf
        j = int(np.argmin(d))
        order[i] = j
        left[j] = False
        px, py = x[j], y[j]
    return order
