"""The skill's store icons, drawn here as PNG: a warm crescent moon on a night-blue square.

Alexa asks for a 108 px and a 512 px icon. They are drawn from a few circles at export time, so
the package needs no image files and no imaging library: standard-library zlib writes the PNG.
"""

from __future__ import annotations

import math
import struct
import zlib
from functools import cache
from typing import Final

SMALL: Final = 108
LARGE: Final = 512

_NIGHT: Final = (16, 22, 44)  # the background: deep night blue
_MOON: Final = (226, 170, 104)  # warm, soft amber
_STAR: Final = (190, 160, 120)

# Shapes in units of the icon's side (0..1): the moon is a disc with a second disc cut out of it.
_MOON_DISC: Final = (0.47, 0.53, 0.30)
_MOON_CUT: Final = (0.60, 0.42, 0.25)
_STARS: Final = ((0.76, 0.72, 0.022), (0.70, 0.22, 0.016))


def _coverage(x: float, y: float, disc: tuple[float, float, float], side: int) -> float:
    """How much of the pixel centred at (x, y) the disc covers, anti-aliased over one pixel."""
    cx, cy, r = (value * side for value in disc)
    return min(1.0, max(0.0, r - math.hypot(x - cx, y - cy) + 0.5))


def _pixel(x: float, y: float, side: int) -> tuple[int, int, int]:
    moon = _coverage(x, y, _MOON_DISC, side) * (1 - _coverage(x, y, _MOON_CUT, side))
    star = max(_coverage(x, y, disc, side) for disc in _STARS)
    colour = [float(c) for c in _NIGHT]
    for amount, ink in ((moon, _MOON), (star, _STAR)):
        colour = [c + (i - c) * amount for c, i in zip(colour, ink, strict=True)]
    red, green, blue = (round(c) for c in colour)
    return red, green, blue


@cache  # the same bytes every time: drawing the large one takes about a second
def icon_png(side: int) -> bytes:
    """The icon as an 8-bit RGB PNG of `side` x `side` pixels."""
    if side < 16:
        raise ValueError("an icon needs at least 16 pixels a side")
    background = bytes(_NIGHT)
    boxes = [_box(disc, side) for disc in (_MOON_DISC, *_STARS)]
    rows = bytearray()
    for row in range(side):
        line = bytearray(background * side)
        for top, bottom, left, right in boxes:
            if top <= row <= bottom:  # only pixels near a shape need drawing
                for column in range(left, right + 1):
                    line[column * 3 : column * 3 + 3] = bytes(_pixel(column + 0.5, row + 0.5, side))
        rows.append(0)  # filter type: none
        rows.extend(line)
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", zlib.compress(bytes(rows), 9)),
            _chunk(b"IEND", b""),
        )
    )


def _box(disc: tuple[float, float, float], side: int) -> tuple[int, int, int, int]:
    """Rows and columns (inclusive) a disc can touch, its anti-aliased edge included."""
    cx, cy, r = (value * side for value in disc)
    top, left = (max(0, math.floor(centre - r - 1)) for centre in (cy, cx))
    bottom, right = (min(side - 1, math.ceil(centre + r + 1)) for centre in (cy, cx))
    return top, bottom, left, right


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)
