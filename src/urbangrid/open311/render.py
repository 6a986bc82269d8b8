"""Open311 answers in both formats: schemaless XML (required by the standard) and its JSON mapping.

A document is a root element holding a list of items (`services › service`) or one object
(`service_definition`, `discovery`). Lists inside an item (`attributes`, `values`, `notes` …) get the
singular child names of the standard; true/false are written in lower case, times in ISO 8601 with zone.
"""

import json
import re
from datetime import datetime
from xml.etree import ElementTree as ET

from django.http import HttpResponse
from django.utils import timezone

CHILD = {
    "services": "service", "service_requests": "request", "errors": "error", "attributes": "attribute",
    "values": "value", "notes": "note", "endpoints": "endpoint", "formats": "format", "media_urls": "media_url",
}
# Characters XML 1.0 cannot carry even escaped (controls, lone surrogates): shown as U+FFFD, so an echoed
# identifier or a stored text never makes the document ill-formed.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}


def respond(fmt: str, root: str, content, status: int = 200) -> HttpResponse:
    """`content` is a list of items (rendered as root › CHILD[root]) or a dict (rendered as root's fields)."""
    if fmt == "json":
        body = json.dumps(_plain(content), ensure_ascii=False)
    else:
        element = ET.Element(root)
        _fill(element, root, content)
        body = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(element, encoding="unicode")
    return HttpResponse(body.encode(), status=status, content_type=CONTENT_TYPES[fmt])


def errors(fmt: str, status: int, *messages: tuple[int, str]) -> HttpResponse:
    return respond(fmt, "errors", [{"code": code, "description": text} for code, text in messages], status)


def when(value: datetime | None) -> str | None:
    """W3C date-time in the city's zone, e.g. 2026-11-30T09:00:00+08:00."""
    return None if value is None else timezone.localtime(value).isoformat(timespec="seconds")


def _fill(element: ET.Element, name: str, content) -> None:
    if isinstance(content, list):
        for item in content:
            _fill(ET.SubElement(element, CHILD.get(name, "item")), CHILD.get(name, "item"), item)
    elif isinstance(content, dict):
        for key, value in content.items():
            _fill(ET.SubElement(element, key), key, value)
    elif content is not None:
        element.text = NOT_XML.sub("\ufffd", _text(content))


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return when(value)
    return str(value)


def _plain(content):
    if isinstance(content, list):
        return [_plain(item) for item in content]
    if isinstance(content, dict):
        return {key: _plain(value) for key, value in content.items()}
    if isinstance(content, datetime):
        return when(content)
    return content
