"""Small, valid PNG photos for the demo cases (one flat colour per kind), made without an imaging library."""

import struct
import zlib
from functools import cache

COLOURS = {"before": (196, 80, 60), "after": (70, 150, 90), "evidence": (60, 110, 180)}
SIZE = 48


@cache
def tiny_png(kind: str) -> bytes:
    red, green, blue = COLOURS.get(kind, (128, 128, 128))
    row = b"\x00" + bytes((red, green, blue)) * SIZE  # filter byte 0, then RGB pixels
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(row * SIZE)) + _chunk(
        b"IEND", b""
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
