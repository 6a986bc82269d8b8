"""Photos as evidence: what an upload is, made safe to keep and show, and what it says of where and when.

- The type comes from the bytes (cases.files.sniff), and the decoder must agree: a JPEG header on a PDF fails.
- A decompression bomb (a small file that decodes to billions of pixels) is refused from its header, before a
  single pixel is decoded; Pillow's own limit stays as a second guard.
- What is kept is re-encoded from the decoded pixels: anything riding in metadata, trailing bytes or
  polyglot tricks is dropped, and so is the photographer's EXIF. HEIC (iPhones) becomes JPEG, which every
  browser shows; the picture is turned upright first, since the orientation tag goes with the EXIF.
- Before stripping, the EXIF capture time and GPS position are read: they are the photo's own claim of where
  and when it was taken, shown on the case file beside the report's, with a warning when they disagree by more
  than CASES_PHOTO_DISTANCE_M metres or CASES_PHOTO_HOURS hours.
"""

import io
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext_noop
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from urbangrid.cases.errors import InvalidInput
from urbangrid.cases.files import EXTENSIONS, max_bytes, sniff
from urbangrid.cases.intake import metres
from urbangrid.cases.models import Attachment

try:  # HEIC support is a binary wheel; without it HEIC uploads are refused like any undecodable file
    import pillow_heif

    pillow_heif.register_heif_opener()
except ImportError:  # pragma: no cover
    pillow_heif = None

MAX_PIXELS = 50_000_000  # a 50-megapixel phone camera; more is a bomb or not a phone photo
MAX_SIDE = 2560  # what is kept: enough to read a licence plate, a tenth of a raw 48 MP file
THUMBNAIL_SIDE = 320
DISTANCE_M = 200.0
HOURS = 24.0
DECODERS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "image/heic": "HEIF"}
KEPT_AS = {"image/jpeg": "image/jpeg", "image/png": "image/png", "image/webp": "image/webp", "image/heic": "image/jpeg"}
SAVE = {"image/jpeg": ("JPEG", {"quality": 85}), "image/png": ("PNG", {"optimize": True}),
        "image/webp": ("WEBP", {"quality": 85})}
NOT_AN_IMAGE = gettext_noop("The file is not a JPEG, PNG, HEIC or WebP image.")


@dataclass
class Photo:
    """An upload made safe: the re-encoded picture, its thumbnail and what its EXIF said."""

    content: bytes
    content_type: str
    extension: str
    width: int
    height: int
    thumbnail: bytes
    taken_at: datetime | None = None
    lon: float | None = None
    lat: float | None = None


def prepare(upload) -> Photo:
    """Check, decode, read the EXIF of and re-encode an uploaded file, or raise InvalidInput on "file"."""
    if upload.size > max_bytes():
        raise InvalidInput(gettext_noop("A photo may have at most {limit} MB."), "file", limit=max_bytes() // 2**20)
    data = upload.read()
    upload.seek(0)
    content_type = sniff(data[:16])
    if content_type is None:
        raise InvalidInput(NOT_AN_IMAGE, "file")
    image = _decoded(data, content_type)
    taken_at, lon, lat = _exif(image)
    kept = KEPT_AS[content_type]
    picture = _upright(image, kept)
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
    return Photo(
        content=_encoded(picture, kept), content_type=kept, extension=EXTENSIONS[kept],
        width=picture.width, height=picture.height, thumbnail=_thumbnail(picture),
        taken_at=taken_at, lon=lon, lat=lat,
    )


def _decoded(data: bytes, content_type: str) -> Image.Image:
    limit = getattr(settings, "CASES_PHOTO_MAX_PIXELS", MAX_PIXELS)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[DECODERS[content_type]])
            # The header gives the size; refuse before load() allocates and decodes anything.
            if image.width * image.height > limit:
                raise InvalidInput(
                    gettext_noop("The picture is too large ({pixels} megapixels; at most {limit})."), "file",
                    pixels=image.width * image.height // 1_000_000, limit=limit // 1_000_000,
                )
            if content_type == "image/jpeg" and max(image.size) > 2 * MAX_SIDE:
                # JPEG decodes at 1/2, 1/4 or 1/8 scale for a fraction of the time and memory; a 48 MP photo
                # is then read as 12 MP, still more than what is kept.
                longest = max(image.size)
                image.draft("RGB", (image.width * MAX_SIDE // longest, image.height * MAX_SIDE // longest))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidInput(gettext_noop("The picture is too large to be a photo."), "file") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise InvalidInput(NOT_AN_IMAGE, "file") from None
    return image


def _upright(image: Image.Image, content_type: str) -> Image.Image:
    picture = ImageOps.exif_transpose(image)
    if content_type == "image/jpeg" and picture.mode != "RGB":
        picture = picture.convert("RGB")
    elif picture.mode not in ("RGB", "RGBA", "L", "LA"):
        picture = picture.convert("RGBA" if "A" in picture.getbands() else "RGB")
    return picture


def _encoded(picture: Image.Image, content_type: str) -> bytes:
    out = io.BytesIO()
    name, options = SAVE[content_type]
    picture.save(out, name, **options)  # no exif=…, no icc_profile=…: nothing of the original's metadata
    return out.getvalue()


def _thumbnail(picture: Image.Image) -> bytes:
    small = picture.copy()
    small.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    if small.mode != "RGB":
        small = small.convert("RGB")
    out = io.BytesIO()
    small.save(out, "JPEG", quality=75)
    return out.getvalue()


def _exif(image: Image.Image) -> tuple[datetime | None, float | None, float | None]:
    try:
        exif = image.getexif()
        details, gps = exif.get_ifd(ExifTags.IFD.Exif), exif.get_ifd(ExifTags.IFD.GPSInfo)
    except Exception:  # a damaged EXIF block is no reason to refuse the photo; it just says nothing
        return None, None, None
    taken = details.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    offset = details.get(ExifTags.Base.OffsetTimeOriginal)
    return _when(taken, offset), *_where(gps)


def _when(taken, offset) -> datetime | None:
    try:
        at = datetime.strptime(str(taken).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    if offset:
        try:
            return datetime.fromisoformat(f"{at:%Y-%m-%dT%H:%M:%S}{str(offset).strip()}")
        except ValueError:
            pass
    # Cameras write local time without a zone; a photo of a case in this city was taken on this city's clock.
    return timezone.make_aware(at, timezone.get_default_timezone())


def _where(gps) -> tuple[float | None, float | None]:
    try:
        lat = _degrees(gps[ExifTags.GPS.GPSLatitude], gps.get(ExifTags.GPS.GPSLatitudeRef, "N"), "S")
        lon = _degrees(gps[ExifTags.GPS.GPSLongitude], gps.get(ExifTags.GPS.GPSLongitudeRef, "E"), "W")
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None, None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None, None
    return lon, lat


def _degrees(value, ref, negative: str) -> float:
    d, m, s = (float(part) for part in value)
    sign = -1 if str(ref).strip("\x00 ").upper() == negative else 1
    return sign * (d + m / 60 + s / 3600)


def evidence(photo, case) -> dict:
    """What one stored photo claims (time, position) against its case, with the disagreements named."""
    found = {"taken_at": photo.taken_at, "lon": photo.photo_lon, "lat": photo.photo_lat, "distance_m": None,
             "hours_apart": None, "warnings": []}
    if photo.photo_lon is not None and photo.photo_lat is not None:
        found["distance_m"] = round(metres(photo.photo_lon, photo.photo_lat, case.lon, case.lat))
        if found["distance_m"] > getattr(settings, "CASES_PHOTO_DISTANCE_M", DISTANCE_M):
            found["warnings"].append(gettext_noop("taken {distance} m from the reported point"))
    if photo.taken_at is not None:
        hours = abs(photo.taken_at - photo.uploaded_at) / timedelta(hours=1)
        found["hours_apart"] = round(hours, 1)
        if hours > getattr(settings, "CASES_PHOTO_HOURS", HOURS):
            found["warnings"].append(gettext_noop("taken {hours} hours before or after it was uploaded"))
    return found


def attachment(case, actor, upload, kind: str, at: datetime) -> Attachment:
    """An unsaved Attachment of `upload`, made safe by prepare(); cases.actions saves it."""
    photo = prepare(upload)
    found = Attachment(
        case=case, kind=kind, content_type=photo.content_type, size=len(photo.content), uploaded_by=actor,
        uploaded_at=at, width=photo.width, height=photo.height, taken_at=photo.taken_at, photo_lon=photo.lon,
        photo_lat=photo.lat,
    )
    # The files are written before the row commits, so no row ever points at nothing; a transaction that does
    # not commit deletes them again (cases.actions.add_attachment).
    found.file.save(f"photo{photo.extension}", ContentFile(photo.content), save=False)
    found.thumbnail.save("thumb.jpg", ContentFile(photo.thumbnail), save=False)
    return found
