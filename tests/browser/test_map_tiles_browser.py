"""A configured tile server in real Chromium: the route map asks it for the tiles of the viewed area.

The test starts its own tile server on 127.0.0.1 (a thread serving one PNG for every
``/{z}/{x}/{y}.png`` and recording the requests) and the app with ``MAP_TILE_URL`` pointing at it
and ``MAP_TILE_CRS=gcj02``: the tiles asked for must cover the (shifted) stops at the map's zoom.
"""

from __future__ import annotations

import json
import math
import re
import struct
import threading
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.browser.conftest import _serve
from tests.browser.helpers import SCREENSHOTS, assert_no_exception, wait_for_app

pytestmark = pytest.mark.browser


def _png(rgb: tuple[int, int, int] = (200, 220, 200), size: int = 256) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@pytest.fixture
def tile_server() -> Iterator[tuple[str, list[tuple[int, int, int]]]]:
    requests: list[tuple[int, int, int]] = []
    tile = _png()

    class Tiles(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            found = re.fullmatch(r"/(\d+)/(\d+)/(\d+)\.png", self.path)
            if not found:
                self.send_error(404)
                return
            requests.append(tuple(int(v) for v in found.groups()))
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Content-Length", str(len(tile)))
            self.end_headers()
            self.wfile.write(tile)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{{z}}/{{x}}/{{y}}.png", requests
    server.shutdown()
    server.server_close()


def _tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2 ** z
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return x, y


def test_route_map_requests_the_tiles_of_its_view(chromium_browser, sample_db_url: str, tile_server,
                                                  app_factory, monkeypatch: pytest.MonkeyPatch) -> None:
    url, requests = tile_server
    env = {"MAP_TILE_URL": url, "MAP_TILE_CRS": "gcj02"}
    # What the page draws (deck JSON, same database and settings): the stops in GCJ-02.
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    at = app_factory(sample_db_url, page="pages/routes.py", params={"lang": "zh"})
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    view = deck["initialViewState"]
    stops = [d["position"] for layer in deck["layers"] if layer["id"] == "stops" for d in layer["data"]]
    assert stops
    with _serve(sample_db_url, extra_env=env) as app_url:
        context = chromium_browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
        page = context.new_page()
        page.goto(f"{app_url}/", wait_until="domcontentloaded")
        wait_for_app(page)
        page.goto(f"{app_url}/routes?lang=zh", wait_until="domcontentloaded")
        wait_for_app(page)
        assert_no_exception(page)
        chart = page.locator("[data-testid='stDeckGlJsonChart']").first
        chart.scroll_into_view_if_needed()
        page.wait_for_timeout(6000)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        chart.screenshot(path=str(SCREENSHOTS / "routes-day-map-tiles-gcj02.png"), timeout=60_000)
        context.close()
    assert requests, "the map asked the configured tile server for nothing"
    zooms = {z for z, _, _ in requests}
    # MapLibre asks 256 px raster tiles one level above its (512 px) view zoom.
    assert zooms <= {math.floor(view["zoom"]) + 1, round(view["zoom"]) + 1}, (zooms, view["zoom"])
    z = max(zooms)
    asked = {(x, y) for zz, x, y in requests if zz == z}
    for lon, lat in stops:
        assert _tile(lon, lat, z) in asked, (lon, lat, z, sorted(asked))
    # ...and nothing far outside the view: every tile within a few tiles of the view's centre
    cx, cy = _tile(view["longitude"], view["latitude"], z)
    assert all(abs(x - cx) <= 4 and abs(y - cy) <= 3 for x, y in asked), (cx, cy, sorted(asked))
