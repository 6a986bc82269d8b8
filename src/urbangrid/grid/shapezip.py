"""Shapefiles as one zip (.shp, .shx, .dbf, .prj, .cpg): unpacking with limits, and the sidecar files we write.

A zip from outside is unpacked only after its directory is checked: at most MAX_MEMBERS files, no path
that leaves the folder, at most MAX_UNPACKED bytes in all and no member compressed more than MAX_RATIO to
one, as a zip bomb would be; the sizes are counted again while unpacking, since a directory can lie.
"""

import contextlib
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import pyproj
from django.utils.translation import gettext as _

MAX_MEMBERS = 64
MAX_UNPACKED = 4 * 1024**3
MAX_RATIO = 200
SIDECARS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
PRJ_EPSG = {"cgcs2000": 4490, "wgs84": 4326}  # the .prj we write: geographic coordinates in either datum
ENCODINGS = {"utf-8": "UTF-8", "gbk": "GBK"}  # attribute encoding → the .cpg text desktop GIS reads


class ZipError(Exception):
    """The zip cannot or must not be unpacked; the message is translated and complete."""


@contextlib.contextmanager
def unpacked(path: Path, limit: int = MAX_UNPACKED) -> Iterator[Path]:
    """The .shp inside the zip at `path`, unpacked to a temporary folder that is removed afterwards."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise ZipError(_("{path} is not a readable zip file: {reason}").format(path=path, reason=error)) from error
    with archive, tempfile.TemporaryDirectory(prefix="urbangrid-shp-") as folder:
        members = _checked(archive, path, limit)
        shps = [m for m in members if m.filename.lower().endswith(".shp")]
        if len(shps) != 1:
            message = _("{path} must hold exactly one .shp file (with its .shx, .dbf, .prj, .cpg); it holds {count}.")
            raise ZipError(message.format(path=path, count=len(shps)))
        for member in members:
            _extract(archive, member, Path(folder), path, limit)
        yield Path(folder) / PurePosixPath(shps[0].filename).name


def _checked(archive: zipfile.ZipFile, path: Path, limit: int) -> list[zipfile.ZipInfo]:
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) > MAX_MEMBERS:
        raise ZipError(_("{path} holds {count} files; a shapefile zip holds a handful.").format(
            path=path, count=len(members)))
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if total > limit or (ratio > MAX_RATIO and member.file_size > 1024**2):
            raise _bomb(path, limit)
    return [m for m in members if PurePosixPath(m.filename).suffix.lower() in SIDECARS]


def _extract(archive: zipfile.ZipFile, member: zipfile.ZipInfo, folder: Path, path: Path, limit: int) -> None:
    # Only the base name is kept: "../../etc/x.shp" lands in the folder like "x.shp".
    target = folder / PurePosixPath(member.filename).name
    written = 0
    with archive.open(member) as source, target.open("wb") as out:
        while chunk := source.read(1024 * 1024):
            written += len(chunk)
            if written > member.file_size or written > limit:
                raise _bomb(path, limit)
            out.write(chunk)


def _bomb(path: Path, limit: int) -> ZipError:
    message = _("{path} would unpack to more than {size} MB or is compressed suspiciously well; not unpacked.")
    return ZipError(message.format(path=path, size=limit // 1024**2))


def write_sidecars(base: Path, encoding: str, crs: str) -> None:
    """The .cpg naming the attribute encoding and the .prj (ESRI WKT) of a shapefile at `base` (no suffix)."""
    base.with_suffix(".cpg").write_text(ENCODINGS[encoding])
    wkt = pyproj.CRS.from_epsg(PRJ_EPSG[crs]).to_wkt(pyproj.enums.WktVersion.WKT1_ESRI)
    base.with_suffix(".prj").write_text(wkt)


def pack(base: Path, target: Path) -> None:
    """Zip the files of the shapefile at `base` into `target` and remove them."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for suffix in SIDECARS:
            part = base.with_suffix(suffix)
            if part.exists():
                archive.write(part, part.name)
                part.unlink()


@contextlib.contextmanager
def written(path: Path) -> Iterator[Path]:
    """Where to write a shapefile for `path`: the path itself, or for a .zip a temporary base zipped at the end."""
    path = Path(path)
    if path.suffix.lower() != ".zip":
        yield path.with_suffix("")
        return
    folder = Path(tempfile.mkdtemp(prefix="urbangrid-shp-"))
    try:
        base = folder / path.stem
        yield base
        pack(base, path)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
