"""What an uploaded photo is, judged by its first bytes and never by its name or declared type."""

from django.conf import settings

MAX_BYTES = 10 * 1024 * 1024
SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
# HEIF files start with an ISO-BMFF "ftyp" box; its major brand says what kind (iPhones write "heic").
HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1")
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "image/heic": ".heic"}


def sniff(head: bytes) -> str | None:
    """The image type of a file starting with `head` (at least 12 bytes), or None if it is no image we take."""
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "image/heic"
    return None


def max_bytes() -> int:
    return getattr(settings, "CASES_ATTACHMENT_MAX_BYTES", MAX_BYTES)
