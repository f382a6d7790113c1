"""pydeck map builders for the route pages. Pure: frames in, ``pdk.Deck`` out; nothing is queried.

Every builder draws over the offline basemap (district outline + town names, see
``components.geo``) unless a tile server is configured, converts positions to GCJ-02 when
the tiles need it, and sends the browser only the columns each layer draws (rounded to
about a metre) so one manager-day stays far below 500 KB.
"""

from __future__ import annotations

import pandas as pd
import pydeck as pdk
from pydeck.types import String

from components.formatting import fmt_number
from components.geo import TileConfig, simplify_indices, to_display, view_for
from components.i18n import label, t

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


def basemap_layers(towns: pd.DataFrame, outline: list[list[float]], config: TileConfig, *, scale: float = 1.0) -> list:
    """District outline and town names: the offline background (also drawn over tiles)."""
    layers: list[pdk.Layer] = []
    if outline:
        ring = to_display(pd.DataFrame(outline, columns=["lon", "lat"]), config)
        layers.append(pdk.Layer(
            "PolygonLayer", id="district", data=[{"polygon": [_xy(x, y) for x, y in ring.to_numpy()]}],
            get_polygon="polygon", filled=True, stroked=True, get_fill_color=[236, 239, 241, 255] if config.offline
            else [0, 0, 0, 0], get_line_color=[120, 130, 140, 200], line_width_min_pixels=2, pickable=False,
        ))
    if not towns.empty:
        shown = to_display(towns, config)
        data = [{"position": _xy(r.lon, r.lat), "name": r.town} for r in shown.itertuples()]
        layers.append(pdk.Layer(
            "TextLayer", id="towns", data=data, get_position="position", get_text="name",
            get_size=18 * scale, get_color=[90, 100, 110, 200], font_family=String(FONT), character_set=String("auto"),
            font_weight=600, pickable=False, get_text_anchor="'middle'", get_alignment_baseline="'center'",
        ))
    return layers


def _stop_tooltip(row: pd.Series) -> str:
    out = "—" if pd.isna(row["sign_out_at"]) else f"{row['sign_out_at']:%H:%M}"
    duration = "—" if pd.isna(row["duration_min"]) else fmt_number(row["duration_min"], 1)
    lines = [
        f"<b>{row['stop_no']}. {row['shop_name']}</b>",
        t("routes.tip.times", sign_in=f"{row['sign_in_at']:%H:%M}", sign_out=out),
        t("routes.tip.duration", minutes=duration),
        t("routes.tip.distance", metres=fmt_number(row["sign_in_distance_m"])),
    ]
    if row["anomalies"]:
        lines.append("⚠ " + "、".join(label("routes.rule", code) for code in row["anomalies"]))
    return "<br/>".join(lines)


def manager_day_deck(
    *,
    track: pd.DataFrame,
    stops: pd.DataFrame,
    shops: pd.DataFrame,
    jumps: pd.DataFrame,
    towns: pd.DataFrame,
    outline: list[list[float]],
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
    layers = basemap_layers(towns, outline, config)
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
         "tooltip": f"<b>{r.shop_name}</b><br/>{label('routes.status', r.status)}"
                    + ("" if pd.isna(r.days_since_visit) else "<br/>" + t("routes.tip.days_since", days=int(r.days_since_visit)))}
        for r in shops.itertuples()
    ]
    layers.append(pdk.Layer(
        "ScatterplotLayer", id="shops", data=shop_data, get_position="position", get_fill_color="color",
        get_radius=45, radius_min_pixels=5, radius_max_pixels=14, stroked=True, get_line_color=[255, 255, 255],
        line_width_min_pixels=1, pickable=True,
    ))
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
                get_source_position="from", get_target_position="to", get_color=[255, 127, 14], get_width=3,
                pickable=True,
            ))
        stop_data = [
            {"position": _xy(r["sign_in_lon"], r["sign_in_lat"]), "no": str(r["stop_no"]),
             "color": ANOMALY_COLOR if r["anomalies"] else STOP_COLOR, "tooltip": _stop_tooltip(r)}
            for _, r in stops.iterrows()
        ]
        layers.append(pdk.Layer(
            "ScatterplotLayer", id="stops", data=stop_data, get_position="position", get_fill_color="color",
            get_radius=60, radius_min_pixels=13, radius_max_pixels=22, stroked=True, get_line_color=[255, 255, 255],
            line_width_min_pixels=2, pickable=True,
        ))
        layers.append(pdk.Layer(
            "TextLayer", id="stop-numbers", data=[{"position": d["position"], "no": d["no"]} for d in stop_data],
            get_position="position", get_text="no", get_size=15, get_color=[255, 255, 255], font_weight=700,
            font_family=String(FONT), get_text_anchor="'middle'", get_alignment_baseline="'center'", pickable=False,
        ))
    # Fit the shops and stops (not stray GPS fixes): the manager's own area.
    view_points = pd.concat([shops[["lon", "lat"]], stops.rename(columns={"sign_in_lon": "lon", "sign_in_lat": "lat"})
                             [["lon", "lat"]] if not stops.empty else shops[["lon", "lat"]].iloc[:0]])
    if view_points.empty:
        view_points = track[["lon", "lat"]]
    view = view_for(view_points["lon"], view_points["lat"])
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
    now: pd.DataFrame, *, towns: pd.DataFrame, outline: list[list[float]], config: TileConfig,
    scale: float = 1.0, height: int = 620, numbered: bool = False,
) -> pdk.Deck:
    """Every manager's latest position, labelled with name and current shop (meeting wall: ``scale`` > 1).

    ``now`` is ``queries.routes.managers_now`` output. ``numbered`` writes each manager's
    position in ``now`` (1, 2, …) inside the dot instead of the name above it: the wall
    lists the names beside the map, because names of the managers working the urban core
    overlap at a zoom that shows the whole district.
    """
    shown = to_display(now, config)
    layers = basemap_layers(towns, outline, config, scale=scale)
    data = []
    for r in shown.itertuples():
        where = whereabouts(r.at_shop, r.shop_name)
        data.append({
            "position": _xy(r.lon, r.lat), "name": r.name,
            "color": STATUS_COLORS["visited"] if r.at_shop else TRACK_COLOR,
            "tooltip": f"<b>{r.name}</b> · {r.department}<br/>{where}<br/>"
                       + t("routes.now.fix_at", time=f"{r.recorded_at:%m-%d %H:%M}"),
        })
    layers.append(pdk.Layer(
        "ScatterplotLayer", id="managers", data=data, get_position="position", get_fill_color="color",
        get_radius=80, radius_min_pixels=10 * scale, radius_max_pixels=24 * scale, stroked=True,
        get_line_color=[255, 255, 255], line_width_min_pixels=2, pickable=True,
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
    points = shown if not shown.empty else towns
    view = view_for(points["lon"], points["lat"], max_zoom=14)
    return _deck(layers, view, config, height=height)
