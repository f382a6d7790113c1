"""pydeck map builders for the route pages. Pure: frames in, ``pdk.Deck`` out; nothing is queried.

Every builder draws over the offline basemap (district, neighbours, township areas, names: see
``components.basemap``) unless a tile server is configured, converts positions to GCJ-02 when
the tiles need it, and sends the browser only the columns each layer draws (rounded to
about a metre) so one manager-day stays far below 500 KB.
"""

from __future__ import annotations

import html
import math

import numpy as np
import pandas as pd
import pydeck as pdk
from pydeck.types import String

from components.basemap import Area, Basemap
from components.escape import html_text
from components.formatting import fmt_number, join_list
from components.geo import (
    MAP_WIDTH_PX,
    TileConfig,
    from_pixels,
    place_labels,
    simplify_indices,
    spread_badges,
    text_box,
    to_display,
    to_pixels,
    view_for,
)
from components.i18n import get_language, label, t

FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"
STATUS_COLORS: dict[str, list[int]] = {
    "visited": [46, 160, 67],
    "missed_plan": [214, 39, 40],
    "overdue": [255, 127, 14],
    "recent": [120, 144, 156],
}
TRACK_COLOR = [52, 101, 164]
TRAVELLED_COLOR = [142, 68, 173]
STOP_COLOR = [31, 119, 180]
ANOMALY_COLOR = [214, 39, 40]
FAR_SIGN_IN_COLOR = [255, 127, 14]
DAY_PALETTE = [[52, 101, 164], [142, 68, 173], [0, 128, 128], [191, 144, 0], [140, 86, 75], [227, 119, 194]]
TOOLTIP_STYLE = {"fontSize": "15px", "backgroundColor": "rgba(33,37,41,0.92)", "color": "white", "maxWidth": "360px"}


def _xy(lon: float, lat: float) -> list[float]:
    return [round(float(lon), 5), round(float(lat), 5)]


def _deck(layers: list[pdk.Layer], view: dict[str, float], config: TileConfig, *, height: int = 560) -> pdk.Deck:
    deck = pdk.Deck(
        layers=layers,
        initial_view_state=pdk.ViewState(**view, pitch=0, bearing=0),
        map_style=config.map_style,
        map_provider=None,  # no Carto/Mapbox default: nothing fetched unless tiles are configured
        tooltip={"html": "{tooltip}", "style": TOOLTIP_STYLE},
        height=height,
    )
    return deck


NEIGHBOUR_FILL = [226, 229, 232]
DISTRICT_FILL = [250, 250, 247]
TOWNSHIP_FILLS = ([236, 243, 236], [243, 238, 228], [232, 239, 246], [246, 236, 240])
BORDER_COLOR = [70, 80, 92]
TOWN_FONT_PX = 18
MANAGER_RADIUS_PX = 10


def _ring(ring: tuple[tuple[float, float], ...], config: TileConfig) -> list[list[float]]:
    shown = to_display(pd.DataFrame(list(ring), columns=["lon", "lat"]), config)
    return [_xy(x, y) for x, y in shown.to_numpy()]


def basemap_layers(towns: pd.DataFrame, basemap: Basemap, config: TileConfig, *, scale: float = 1.0,
                   view: dict[str, float] | None = None, avoid: tuple[np.ndarray, np.ndarray] | None = None,
                   avoid_radius: float = 0.0) -> list:
    """Neighbouring districts, the district, township areas and names: the offline background.

    Over configured tiles only the outlines and names are drawn (no fills hide the tiles).
    With ``view`` and ``avoid`` (marker positions, displayed lon/lat) town names move beside
    the markers (``avoid_radius`` px) instead of under them, or are left out where no place is free.
    """
    layers: list[pdk.Layer] = []
    offline = config.offline

    def fill(rgb: list[int], alpha: int = 255) -> list[int]:
        return [*rgb, alpha] if offline else [0, 0, 0, 0]

    if basemap.neighbours:
        layers.append(pdk.Layer(
            "PolygonLayer", id="neighbours",
            data=[{"polygon": _ring(ring, config)} for area in basemap.neighbours for ring in area.rings],
            get_polygon="polygon", filled=True, stroked=True, get_fill_color=fill(NEIGHBOUR_FILL),
            get_line_color=[150, 158, 166, 220], line_width_min_pixels=1, pickable=False,
        ))
    if basemap.district is not None:
        layers.append(pdk.Layer(
            "PolygonLayer", id="district", data=[{"polygon": _ring(ring, config)} for ring in basemap.district.rings],
            get_polygon="polygon", filled=True, stroked=False, get_fill_color=fill(DISTRICT_FILL), pickable=False,
        ))
    if basemap.townships:
        layers.append(pdk.Layer(
            "PolygonLayer", id="townships",
            data=[{"polygon": _ring(ring, config), "fill": fill(TOWNSHIP_FILLS[i % len(TOWNSHIP_FILLS)])}
                  for i, area in enumerate(basemap.townships) for ring in area.rings],
            get_polygon="polygon", filled=offline, stroked=True, get_fill_color="fill",
            get_line_color=[160, 168, 176, 200], line_width_min_pixels=1, pickable=False,
        ))
    if basemap.district is not None:
        layers.append(pdk.Layer(
            "PathLayer", id="district-border",
            data=[{"path": [*_ring(ring, config), _ring(ring, config)[0]]} for ring in basemap.district.rings],
            get_path="path", get_color=[*BORDER_COLOR, 230], width_min_pixels=3 * scale, pickable=False,
        ))
    if basemap.neighbours:
        english = get_language() == "en"
        names = to_display(pd.DataFrame([(*_neighbour_label_point(a, basemap), a.name_en if english else a.name)
                                         for a in basemap.neighbours], columns=["lon", "lat", "name"]), config)
        layers.append(pdk.Layer(
            "TextLayer", id="neighbour-names", data=[{"position": _xy(r.lon, r.lat), "name": r.name}
                                                     for r in names.itertuples()],
            get_position="position", get_text="name", get_size=16 * scale, get_color=[120, 128, 136, 230],
            font_family=String(FONT), character_set=String("auto"), font_weight=400, pickable=False,
            get_text_anchor="'middle'", get_alignment_baseline="'center'",
        ))
    if not towns.empty:
        shown = to_display(towns, config)
        size = TOWN_FONT_PX * scale
        data = [{"position": _xy(r.lon, r.lat), "name": r.town} for r in shown.itertuples()]
        if view is not None and avoid is not None:
            data = _clear_of_markers(data, size, view, avoid, avoid_radius)
        layers.append(pdk.Layer(
            "TextLayer", id="towns", data=data, get_position="position", get_text="name",
            get_size=size, get_color=[70, 80, 90, 235], font_family=String(FONT), character_set=String("auto"),
            font_weight=600, pickable=False, get_text_anchor="'middle'", get_alignment_baseline="'center'",
            outline_width=2, outline_color=[255, 255, 255, 220], font_settings={"sdf": True},
        ))
    return layers


def _neighbour_label_point(area: Area, basemap: Basemap) -> tuple[float, float]:
    """A point inside a neighbouring district near the shared border, so it shows beside the district."""
    if basemap.district is None:
        return area.label_point
    cx, cy = basemap.district.label_point
    ring = max(area.rings, key=len)
    bx, by = min(ring, key=lambda p: (p[0] - cx) ** 2 + (p[1] - cy) ** 2)
    lx, ly = area.label_point
    return bx + 0.3 * (lx - bx), by + 0.3 * (ly - by)


def _clear_of_markers(labels: list[dict], size: float, view: dict[str, float],
                      avoid: tuple[np.ndarray, np.ndarray], radius: float) -> list[dict]:
    lon = np.array([d["position"][0] for d in labels])
    lat = np.array([d["position"][1] for d in labels])
    x, y = to_pixels(lon, lat, view)
    mx, my = to_pixels(avoid[0], avoid[1], view)
    offsets = place_labels(x, y, [text_box(d["name"], size) for d in labels], mx, my, radius)
    kept = []
    for d, xi, yi, offset in zip(labels, x, y, offsets, strict=True):
        if offset is not None:
            new_lon, new_lat = from_pixels(xi + offset[0], yi + offset[1], view)
            kept.append({**d, "position": _xy(new_lon, new_lat)})
    return kept


def _stop_tooltip(row: pd.Series) -> str:
    out = "—" if pd.isna(row["sign_out_at"]) else f"{row['sign_out_at']:%H:%M}"
    duration = "—" if pd.isna(row["duration_min"]) else fmt_number(row["duration_min"], 1)
    lines = [
        f"<b>{row['stop_no']}. {html_text(row['shop_name'])}</b>",
        t("routes.tip.times", sign_in=f"{row['sign_in_at']:%H:%M}", sign_out=out),
        t("routes.tip.duration", minutes=duration),
        t("routes.tip.distance", metres=fmt_number(row["sign_in_distance_m"])),
    ]
    if row["anomalies"]:
        lines.append("⚠ " + join_list(label("routes.rule", code) for code in row["anomalies"]))
    return "<br/>".join(lines)


STOP_RADIUS_PX = 13


def day_view_state(*, track: pd.DataFrame, stops: pd.DataFrame, shops: pd.DataFrame, height: int) -> dict[str, float]:
    """The view that shows the whole day: every track fix, every sign-in and every assigned shop."""
    empty = pd.Series(dtype="float64")
    lon = pd.concat([track.get("lon", empty), stops.get("sign_in_lon", empty), shops.get("lon", empty)],
                    ignore_index=True).dropna()
    lat = pd.concat([track.get("lat", empty), stops.get("sign_in_lat", empty), shops.get("lat", empty)],
                    ignore_index=True).dropna()
    return view_for(lon, lat, height=height)


def _stop_badges(stops: pd.DataFrame, view: dict[str, float]) -> list[dict]:
    """Numbered stop markers, moved apart where they would overlap at the opening zoom."""
    x, y = to_pixels(stops["sign_in_lon"].to_numpy(), stops["sign_in_lat"].to_numpy(), view)
    bx, by = spread_badges(x, y, 2 * STOP_RADIUS_PX + 2)
    lon, lat = from_pixels(bx, by, view)
    badges = []
    for i, (_, r) in enumerate(stops.iterrows()):
        badges.append({
            "position": _xy(lon[i], lat[i]), "at": _xy(r["sign_in_lon"], r["sign_in_lat"]),
            "leader": bool(math.hypot(bx[i] - x[i], by[i] - y[i]) > 3),
            "no": str(r["stop_no"]), "color": ANOMALY_COLOR if r["anomalies"] else STOP_COLOR,
            "tooltip": _stop_tooltip(r),
        })
    return badges


def manager_day_deck(
    *,
    track: pd.DataFrame,
    stops: pd.DataFrame,
    shops: pd.DataFrame,
    jumps: pd.DataFrame,
    towns: pd.DataFrame,
    basemap: Basemap,
    config: TileConfig,
    selected_stop: int | None = None,
    position: dict[str, object] | None = None,
    earlier_tracks: pd.DataFrame | None = None,
    height: int = 560,
) -> pdk.Deck:
    """One manager-day: track, numbered stops in sign-in order, assigned shops by status.

    ``stops`` is ``visit_rules.enrich_visits`` output plus an ``anomalies`` list column;
    ``shops`` has retailer_id, shop_name, lon, lat, status, days_since_visit; ``jumps`` the
    impossible-speed pairs (drawn as red segments); ``position`` the playback position
    (``lon``, ``lat``, ``time`` and the travelled part up to it); ``earlier_tracks`` the
    previous days' (already simplified) tracks with a ``day`` column.
    """
    track = to_display(track, config)
    stops = to_display(to_display(stops, config, "sign_in_lon", "sign_in_lat"), config, "shop_lon", "shop_lat")
    shops = to_display(shops, config)
    view = day_view_state(track=track, stops=stops, shops=shops, height=height)
    badges = _stop_badges(stops, view) if not stops.empty else []
    markers = [b["position"] for b in badges]
    if position is not None:  # the playback marker too
        here = to_display(pd.DataFrame([{"lon": position["lon"], "lat": position["lat"]}]), config).iloc[0]
        markers.append([float(here["lon"]), float(here["lat"])])
    layers = basemap_layers(towns, basemap, config, view=view, avoid=(
        np.array([m[0] for m in markers]), np.array([m[1] for m in markers])), avoid_radius=STOP_RADIUS_PX + 2)
    if earlier_tracks is not None and not earlier_tracks.empty:
        earlier_tracks = to_display(earlier_tracks, config)
        paths = [
            {"path": [_xy(x, y) for x, y in group[["lon", "lat"]].to_numpy()], "color": [*DAY_PALETTE[i % 6], 110],
             "tooltip": t("routes.tip.earlier_day", day=f"{day:%m-%d}")}
            for i, (day, group) in enumerate(earlier_tracks.groupby("day"))
        ]
        layers.append(pdk.Layer("PathLayer", id="earlier-tracks", data=paths, get_path="path", get_color="color",
                                width_min_pixels=2, pickable=True))
    shop_data = [
        {"position": _xy(r.lon, r.lat), "color": STATUS_COLORS[r.status],
         "tooltip": f"<b>{html_text(r.shop_name)}</b><br/>{label('routes.status', r.status)}"
                    + ("" if pd.isna(r.days_since_visit) else "<br/>" + t("routes.tip.days_since", days=int(r.days_since_visit)))}
        for r in shops.itertuples()
    ]
    layers.append(pdk.Layer(
        "ScatterplotLayer", id="shops", data=shop_data, get_position="position", get_fill_color="color",
        get_radius=45, radius_min_pixels=5, radius_max_pixels=14, stroked=True, get_line_color=[255, 255, 255],
        line_width_min_pixels=1, pickable=True,
    ))
    # Town names over the small shop dots (a town's name sits where its shops are), under the
    # track and the stop markers, which they were placed beside.
    layers = [layer for layer in layers if layer.id != "towns"] + [layer for layer in layers if layer.id == "towns"]
    if not track.empty:
        layers.append(pdk.Layer(
            "PathLayer", id="track",
            data=[{"path": [_xy(x, y) for x, y in track[["lon", "lat"]].to_numpy()],
                   "tooltip": t("routes.tip.track", points=len(track))}],
            get_path="path", get_color=[*TRACK_COLOR, 150], width_min_pixels=3, joint_rounded=True,
            cap_rounded=True, pickable=True,
        ))
    if position is not None and len(position.get("travelled", [])) > 1:
        travelled = to_display(position["travelled"], config)
        layers.append(pdk.Layer(
            "PathLayer", id="travelled", data=[{"path": [_xy(x, y) for x, y in travelled[["lon", "lat"]].to_numpy()],
                                               "tooltip": t("routes.tip.travelled", time=position["time"])}],
            get_path="path", get_color=[*TRAVELLED_COLOR, 230], width_min_pixels=5, pickable=True,
        ))
    if not jumps.empty:
        jumps = to_display(to_display(jumps, config, "prev_lon", "prev_lat"), config)
        layers.append(pdk.Layer(
            "LineLayer", id="speed-jumps",
            data=[{"from": _xy(r.prev_lon, r.prev_lat), "to": _xy(r.lon, r.lat),
                   "tooltip": f"⚠ {label('routes.rule', 'impossible_speed')}: {fmt_number(r.speed_kmh)} km/h"}
                  for r in jumps.itertuples()],
            get_source_position="from", get_target_position="to", get_color=ANOMALY_COLOR, get_width=4, pickable=True,
        ))
    if not stops.empty:
        far = stops[stops["far_sign_in"]]
        if not far.empty:
            layers.append(pdk.Layer(
                "LineLayer", id="far-sign-ins",
                data=[{"from": _xy(r.sign_in_lon, r.sign_in_lat), "to": _xy(r.shop_lon, r.shop_lat),
                       "tooltip": t("routes.tip.distance", metres=fmt_number(r.sign_in_distance_m))}
                      for r in far.itertuples()],
                get_source_position="from", get_target_position="to", get_color=FAR_SIGN_IN_COLOR, get_width=3,
                pickable=True,
            ))
        far_off = [{"position": d["position"], "at": d["at"]} for d in badges if d["leader"]]
        if far_off:  # a badge moved off its crowded spot: a thin line back to where the sign-in was
            layers.append(pdk.Layer(
                "LineLayer", id="stop-leaders", data=far_off, get_source_position="position",
                get_target_position="at", get_color=[33, 37, 41, 160], get_width=1, pickable=False,
            ))
            layers.append(pdk.Layer(
                "ScatterplotLayer", id="stop-spots", data=[{"position": d["at"]} for d in far_off],
                get_position="position", get_fill_color=[33, 37, 41], get_radius=8, radius_min_pixels=3,
                radius_max_pixels=4, pickable=False,
            ))
        layers.append(pdk.Layer(
            "ScatterplotLayer", id="stops", data=badges, get_position="position", get_fill_color="color",
            get_radius=STOP_RADIUS_PX, radius_units=String("pixels"), stroked=True, get_line_color=[255, 255, 255],
            line_width_min_pixels=2, pickable=True,
        ))
        layers.append(pdk.Layer(
            "TextLayer", id="stop-numbers", data=[{"position": d["position"], "no": d["no"]} for d in badges],
            get_position="position", get_text="no", get_size=15, get_color=[255, 255, 255], font_weight=700,
            font_family=String(FONT), get_text_anchor="'middle'", get_alignment_baseline="'center'", pickable=False,
        ))
    if selected_stop is not None and not stops.empty and selected_stop in set(stops["stop_no"]):
        chosen = stops[stops["stop_no"] == selected_stop].iloc[0]
        layers.append(pdk.Layer(
            "ScatterplotLayer", id="selected-stop", data=[{"position": _xy(chosen["sign_in_lon"], chosen["sign_in_lat"]),
                                                           "tooltip": _stop_tooltip(chosen)}],
            get_position="position", filled=False, stroked=True, get_line_color=[255, 193, 7], get_radius=90,
            radius_min_pixels=26, line_width_min_pixels=5, pickable=True,
        ))
        view = {"longitude": float(chosen["sign_in_lon"]), "latitude": float(chosen["sign_in_lat"]), "zoom": 16.0}
    if position is not None:
        here = to_display(pd.DataFrame([{"lon": position["lon"], "lat": position["lat"]}]), config).iloc[0]
        layers.append(pdk.Layer(
            "ScatterplotLayer", id="position", data=[{"position": _xy(here["lon"], here["lat"]),
                                                      "tooltip": t("routes.tip.position", time=position["time"])}],
            get_position="position", get_fill_color=[255, 193, 7], get_line_color=[33, 37, 41], stroked=True,
            get_radius=40, radius_min_pixels=10, line_width_min_pixels=3, pickable=True,
        ))
    return _deck(layers, view, config, height=height)


def simplified_tracks(tracks: pd.DataFrame, tolerance_m: float = 25.0) -> pd.DataFrame:
    """Several days of fixes reduced per day with Douglas–Peucker (for multi-day views)."""
    if tracks.empty:
        return tracks.assign(day=[])
    tracks = tracks.assign(day=pd.to_datetime(tracks["recorded_at"]).dt.date)
    kept = []
    for _, group in tracks.groupby("day"):
        group = group.sort_values("recorded_at")
        kept.append(group.iloc[simplify_indices(group["lon"].to_numpy(), group["lat"].to_numpy(), tolerance_m)])
    return pd.concat(kept, ignore_index=True)[["day", "recorded_at", "lon", "lat"]]


def whereabouts(at_shop: bool, shop_name: object) -> str:
    """Where a manager is now: visiting a shop, the last shop of the day, or not signed in yet."""
    if at_shop:
        return t("routes.now.at_shop", shop=shop_name)
    if isinstance(shop_name, str):
        return t("routes.now.last_shop", shop=shop_name)
    return t("routes.now.moving")


def managers_now_deck(
    now: pd.DataFrame, *, towns: pd.DataFrame, basemap: Basemap, config: TileConfig,
    scale: float = 1.0, height: int = 620, width: int = MAP_WIDTH_PX, numbered: bool = False,
) -> pdk.Deck:
    """Every manager's latest position, labelled with name and current shop (meeting wall: ``scale`` > 1).

    ``now`` is ``queries.routes.managers_now`` output. ``numbered`` writes each manager's
    position in ``now`` (1, 2, …) inside the dot instead of the name above it: the wall
    lists the names beside the map, because names of the managers working the urban core
    overlap at a zoom that shows the whole district. Numbered dots that would overlap are
    moved apart (a thin line back to the position), and town names move beside the dots.
    """
    shown = to_display(now, config)
    points = shown if not shown.empty else to_display(towns, config)
    view = view_for(points["lon"], points["lat"], width=width, height=height, padding=int(40 * scale), max_zoom=14)
    radius = MANAGER_RADIUS_PX * scale
    x, y = to_pixels(shown["lon"].to_numpy(), shown["lat"].to_numpy(), view)
    bx, by = spread_badges(x, y, 2 * radius + 2) if numbered else (x, y)
    b_lon, b_lat = from_pixels(bx, by, view)
    data = []
    for i, r in enumerate(shown.itertuples()):
        where = whereabouts(r.at_shop, r.shop_name)
        data.append({
            "position": _xy(b_lon[i], b_lat[i]), "at": _xy(r.lon, r.lat), "name": r.name,
            "moved": bool(math.hypot(bx[i] - x[i], by[i] - y[i]) > 3),
            "color": STATUS_COLORS["visited"] if r.at_shop else TRACK_COLOR,
            "tooltip": f"<b>{html_text(r.name)}</b> · {html_text(r.department)}<br/>{html_text(where)}<br/>"
                       + t("routes.now.fix_at", time=f"{r.recorded_at:%m-%d %H:%M}"),
        })
    layers = basemap_layers(towns, basemap, config, scale=scale, view=view, avoid=(b_lon, b_lat),
                            avoid_radius=radius + 2)
    moved = [{"position": d["position"], "at": d["at"]} for d in data if d["moved"]]
    if moved:
        layers.append(pdk.Layer(
            "LineLayer", id="manager-leaders", data=moved, get_source_position="position", get_target_position="at",
            get_color=[33, 37, 41, 180], get_width=2, pickable=False,
        ))
    layers.append(pdk.Layer(
        "ScatterplotLayer", id="managers", data=[{k: d[k] for k in ("position", "name", "color", "tooltip")} for d in data],
        get_position="position", get_fill_color="color", get_radius=radius, radius_units=String("pixels"),
        stroked=True, get_line_color=[255, 255, 255], line_width_min_pixels=2, pickable=True,
    ))
    if numbered:
        layers.append(pdk.Layer(
            "TextLayer", id="manager-numbers",
            data=[{"position": d["position"], "label": str(i)} for i, d in enumerate(data, start=1)],
            get_position="position", get_text="label", get_size=13 * scale, get_color=[255, 255, 255],
            font_family=String(FONT), character_set=String("0123456789"), font_weight=700,
            outline_width=2, outline_color=[33, 37, 41], font_settings={"sdf": True}, pickable=False,
        ))
    else:
        layers.append(pdk.Layer(
            "TextLayer", id="manager-names", data=[{"position": d["position"], "name": d["name"]} for d in data],
            get_position="position", get_text="name", get_size=17 * scale, get_color=[33, 37, 41],
            get_pixel_offset=[0, -22 * scale], font_family=String(FONT), character_set=String("auto"), font_weight=700,
            outline_width=3, outline_color=[255, 255, 255], font_settings={"sdf": True}, pickable=False,
        ))
    return _deck(layers, view, config, height=height)


def _rgb(color: list[int]) -> str:
    return f"rgb({color[0]},{color[1]},{color[2]})"


def day_legend(statuses: tuple[str, ...]) -> list[tuple[str, str, list[int]]]:
    """The day map's legend: ``(shape, text, colour)`` from the very colours the layers draw."""
    items = [("dot", label("routes.status", s), STATUS_COLORS[s]) for s in statuses]
    items += [("badge", t("routes.legend.stop"), STOP_COLOR), ("badge", t("routes.legend.stop_anomaly"), ANOMALY_COLOR),
              ("line", t("routes.legend.track"), TRACK_COLOR), ("line", t("routes.legend.jump"), ANOMALY_COLOR),
              ("line", t("routes.legend.far"), FAR_SIGN_IN_COLOR)]
    return items


def legend_html(items: list[tuple[str, str, list[int]]], notes: list[str] | tuple[str, ...] = ()) -> str:
    """Legend items as HTML: a dot, numbered badge or line in the item's colour, then its text (escaped)."""
    shapes = {
        "dot": '<span style="display:inline-block;width:12px;height:12px;border-radius:50%;background:{c};'
               'border:1px solid #fff;vertical-align:middle"></span>',
        "badge": '<span style="display:inline-block;width:18px;height:18px;border-radius:50%;background:{c};'
                 'color:#fff;font-size:11px;font-weight:700;text-align:center;line-height:18px;vertical-align:middle">1</span>',
        "line": '<span style="display:inline-block;width:22px;height:4px;background:{c};vertical-align:middle"></span>',
    }
    parts = [f'<span class="map-legend-item" data-color="{_rgb(color)}" style="margin-right:18px;white-space:nowrap">'
             f'{shapes[shape].format(c=_rgb(color))} {html.escape(text)}</span>' for shape, text, color in items]
    extra = "".join(f'<div style="color:#555;font-size:0.85rem">{html.escape(n)}</div>' for n in notes)
    return f'<div class="map-legend" style="font-size:0.9rem;line-height:1.9">{"".join(parts)}</div>{extra}'
