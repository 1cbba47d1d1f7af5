"""The store icons: PNGs of the sizes Alexa asks for, dark and calm."""

from __future__ import annotations

import struct
import zlib

import pytest

from skill.package.icons import LARGE, SMALL, icon_png


def _decode(png: bytes) -> tuple[int, int, bytes]:
    """(width, height, raw RGB rows with their filter bytes) of a PNG written by icon_png."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    offset, chunks = 8, {}
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        kind = png[offset + 4 : offset + 8]
        data = png[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", png[offset + 8 + length : offset + 12 + length])
        assert crc == zlib.crc32(kind + data) & 0xFFFFFFFF, kind
        chunks[kind] = data
        offset += 12 + length
    width, height, depth, colour, _, _, _ = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert (depth, colour) == (8, 2)  # 8-bit RGB, no transparency
    return width, height, zlib.decompress(chunks[b"IDAT"])


@pytest.mark.parametrize("side", [SMALL, LARGE])
def test_icon_is_a_png_of_its_size(side: int) -> None:
    width, height, raw = _decode(icon_png(side))
    assert (width, height) == (side, side)
    assert len(raw) == side * (1 + 3 * side)
    pixels = [
        raw[r * (1 + 3 * side) + 1 + c * 3 : r * (1 + 3 * side) + 4 + c * 3]
        for r in range(0, side, 4)
        for c in range(0, side, 4)
    ]
    brightness = sum(sum(p) for p in pixels) / (3 * 255 * len(pixels))
    assert brightness < 0.35  # mostly night: calm, not a bright tile
    assert len(set(pixels)) > 2  # and something is drawn on it


def test_too_small_an_icon_is_refused() -> None:
    with pytest.raises(ValueError):
        icon_png(8)
