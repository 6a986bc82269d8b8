"""Photos for the tests, made with Pillow: with EXIF time and GPS like a phone's, or hostile."""

import io
import struct
import zlib
from datetime import datetime

from PIL import ExifTags, Image

from urbangrid.demo.images import _chunk


def _rational(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
    return float(degrees), float(minutes), seconds


def camera_photo(lon: float, lat: float, taken: datetime, fmt: str = "JPEG", size=(64, 48)) -> bytes:
    """A photo whose EXIF says where and when it was taken, as a phone's camera writes it."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "UrbanGrid test camera"
    exif[ExifTags.Base.DateTime] = taken.strftime("%Y:%m:%d %H:%M:%S")
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken.strftime("%Y:%m:%d %H:%M:%S")
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef], gps[ExifTags.GPS.GPSLatitude] = "N", _rational(lat)
    gps[ExifTags.GPS.GPSLongitudeRef], gps[ExifTags.GPS.GPSLongitude] = "E", _rational(lon)
    out = io.BytesIO()
    Image.new("RGB", size, (90, 140, 200)).save(out, fmt, exif=exif)
    return out.getvalue()


def plain(fmt: str, size=(32, 24)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 200, 30)).save(out, fmt)
    return out.getvalue()


def png_bomb(side: int = 60_000) -> bytes:
    """A valid-looking PNG whose header claims side × side pixels (3.6 gigapixels), in under 100 bytes."""
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + _chunk(
        b"IEND", b""
    )
