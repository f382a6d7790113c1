"""Draw the small set of terminal photos shipped in ``sample_data/photos`` (run once).

``python -m sample_data.make_photos`` writes 8 storefront, 8 counter and 8 display
schematics (320×240 JPEG, each under 15 KB). They stand in for the archive photos a
customer manager takes at each upgrade; the generator's TerminalPhoto rows point at them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from sample_data.terminals import PHOTO_DIR, PHOTOS_PER_KIND, photo_file

SIZE = (320, 240)
MAX_BYTES = 15_000
SIGN_WORDS = ["烟酒商行", "便利店", "生活超市", "名烟名酒", "食杂店", "购物中心", "烟草专卖", "便民商店"]
PACK_COLOURS = [(200, 30, 40), (230, 190, 60), (30, 70, 160), (240, 240, 235), (40, 120, 70), (120, 40, 110),
                (20, 20, 20), (210, 120, 40)]
_FONT_PATHS = ["/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"]


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    for path in _FONT_PATHS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default()


def _colour(rng: np.random.Generator, base: tuple[int, int, int], spread: int = 30) -> tuple[int, int, int]:
    return tuple(int(np.clip(c + rng.integers(-spread, spread + 1), 0, 255)) for c in base)


def _packs(draw: ImageDraw.ImageDraw, rng: np.random.Generator, box: tuple[int, int, int, int], rows: int) -> None:
    x0, y0, x1, y1 = box
    h = (y1 - y0) // rows
    for r in range(rows):
        x = x0 + 2
        while x < x1 - 14:
            w = int(rng.integers(12, 20))
            colour = PACK_COLOURS[int(rng.integers(len(PACK_COLOURS)))]
            draw.rectangle([x, y0 + r * h + 4, x + w, y0 + (r + 1) * h - 6], fill=colour, outline=(60, 60, 60))
            draw.rectangle([x + 2, y0 + (r + 1) * h - 5, x + w - 2, y0 + (r + 1) * h - 2], fill=(250, 250, 250))
            x += w + 3


def storefront(rng: np.random.Generator, number: int) -> Image.Image:
    img = Image.new("RGB", SIZE, _colour(rng, (170, 200, 230), 20))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 190, 320, 240], fill=_colour(rng, (120, 120, 120), 15))
    d.rectangle([20, 40, 300, 200], fill=_colour(rng, (225, 215, 195)))
    sign = _colour(rng, (180, 30, 30), 40)
    d.rectangle([20, 40, 300, 85], fill=sign)
    d.text((160, 62), SIGN_WORDS[number % len(SIGN_WORDS)], font=_font(26), fill=(255, 240, 200), anchor="mm")
    d.rectangle([40, 100, 150, 195], fill=(90, 110, 130), outline=(40, 40, 40), width=3)  # door
    d.rectangle([170, 100, 285, 170], fill=(150, 185, 210), outline=(40, 40, 40), width=3)  # window
    _packs(d, rng, (175, 105, 280, 165), 2)
    d.rectangle([250, 10, 300, 38], fill=(20, 90, 160))
    d.text((275, 24), "烟", font=_font(20), fill=(255, 255, 255), anchor="mm")
    return img


def counter(rng: np.random.Generator, number: int) -> Image.Image:
    img = Image.new("RGB", SIZE, _colour(rng, (235, 228, 215), 15))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, 320, 70], fill=_colour(rng, (200, 180, 150), 20))
    _packs(d, rng, (10, 8, 310, 66), 2)  # back shelf
    d.rectangle([15, 110, 305, 225], fill=_colour(rng, (110, 80, 55), 20), outline=(50, 35, 25), width=3)
    d.rectangle([25, 118, 295, 175], fill=(200, 225, 235), outline=(80, 80, 80), width=2)  # glass top
    _packs(d, rng, (28, 120, 292, 174), 2)
    d.rectangle([230, 85, 290, 110], fill=(40, 40, 40))  # POS scanner
    d.text((160, 200), f"柜台 {number:02d}", font=_font(18), fill=(245, 235, 210), anchor="mm")
    return img


def display(rng: np.random.Generator, number: int) -> Image.Image:
    img = Image.new("RGB", SIZE, _colour(rng, (245, 245, 240), 8))
    d = ImageDraw.Draw(img)
    d.rectangle([20, 10, 300, 230], fill=_colour(rng, (90, 60, 40), 25))
    shelves = int(rng.integers(4, 6))
    h = 210 // shelves
    for s in range(shelves):
        top = 15 + s * h
        d.rectangle([26, top, 294, top + h - 6], fill=_colour(rng, (250, 245, 230), 10))
        _packs(d, rng, (28, top, 292, top + h - 6), 1)
        d.line([26, top + h - 5, 294, top + h - 5], fill=(60, 40, 25), width=3)
    d.rectangle([120, 0, 200, 14], fill=(200, 30, 40))
    d.text((160, 7), "明码标价", font=_font(11), fill=(255, 255, 255), anchor="mm")
    return img


def _save(img: Image.Image, path: Path) -> None:
    for quality in (75, 65, 55, 45, 35):
        img.save(path, "JPEG", quality=quality, optimize=True)
        if path.stat().st_size <= MAX_BYTES:
            return
    raise RuntimeError(f"{path} stays above {MAX_BYTES} bytes")


def main() -> None:
    PHOTO_DIR.mkdir(parents=True, exist_ok=True)
    rng = np.random.Generator(np.random.PCG64(20261123))
    for kind, draw in (("storefront", storefront), ("counter", counter), ("display", display)):
        for number in range(1, PHOTOS_PER_KIND + 1):
            path = PHOTO_DIR / photo_file(kind, number)
            _save(draw(rng, number), path)
            print(f"{path.name}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
