"""Cases as Open311 service requests: the public read side, and a client system's report.

Open311's GETs are public (no API key), so what they show is what a city publishes on its open-data
portal (PIPL art. 25: personal information is not made public without separate consent):
- only cases the centre has reviewed and taken on (立案 or 自处置受理, and everything after). A report still
  waiting for 受理/核实 is one person's unchecked text; a rejected or voided one was judged not to be a case.
- never the reporter's name, phone or account, and no staff names in the update history, only organisations;
- in free text (description, the notes' reasons) anything shaped like a phone or ID-card number is masked;
- photos of the kinds taken of the public place (on-site, before and after handling), of published cases only;
  the media URL checks the same rule, so a photo's number does not open another case's photos.
A client system that sends its api_key sees, beyond that, what its post's scope lets it read through
cases.access: for the reporting-system post, its own reports in every state, unmasked (it sent them).
The service_request_id is the case number (案卷编号); a terminal state (结案, 不予受理, 作废) is `closed`,
every other state `open`, and the detailed state is in the extensions.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from urbangrid.cases import access, actions
from urbangrid.cases.errors import CaseError, InvalidInput
from urbangrid.cases.labels import action_label, state_label
from urbangrid.cases.models import Case
from urbangrid.cases.queries import mask_phone
from urbangrid.core import codes
from urbangrid.core.workflow import TERMINAL, State
from urbangrid.open311 import services
from urbangrid.open311.models import Client

CLOSED = [str(state) for state in TERMINAL]
UNREVIEWED = {State.REPORTED, State.SELF_REPORTED, State.ACCEPTED, State.VERIFYING, State.VERIFIED}
PUBLISHED = sorted(str(state) for state in State if state not in UNREVIEWED | {State.REJECTED, State.VOIDED})
PUBLIC_PHOTO_KINDS = ["evidence", "before", "after"]  # a kind added later stays private until listed here
# Mainland mobile and landline numbers, 18-digit resident ID numbers: the personal data people type into text.
PERSONAL_NUMBER = re.compile(r"(?<!\d)(?:\d{17}[\dXx]|1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?![\dXx])")
MAX_DAYS = 90  # the standard's longest date range, and the default window
MAX_PAGE_SIZE = 1000  # "90 days or first 1000 requests, whichever is smallest"


class BadRequest(Exception):
    """An Open311 error: `status` is 400, 403 or 404 as the standard asks; the message is translated."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class Query:
    ids: list[str]
    codes: list[str]
    start: datetime | None
    end: datetime | None
    statuses: list[str]
    bbox: tuple[float, float, float, float] | None
    page: int
    page_size: int


def find(query: Query, now: datetime, extensions: bool, client: Client | None = None) -> list[Case]:
    cases = _public(client)
    if query.ids:  # the standard: a list of ids overrides every other argument
        return list(_with_details(cases.filter(number__in=query.ids), extensions).order_by("-id"))
    end = query.end or now
    start = query.start or end - timedelta(days=MAX_DAYS)
    if end - start > timedelta(days=MAX_DAYS):
        raise BadRequest(400, _("start_date and end_date may be at most {days} days apart.").format(days=MAX_DAYS))
    cases = cases.filter(reported_at__gte=start, reported_at__lte=end)
    if query.codes:
        cases = cases.filter(klass__code__in=query.codes)
    if query.statuses == ["open"]:
        cases = cases.exclude(state__in=CLOSED)
    elif query.statuses == ["closed"]:
        cases = cases.filter(state__in=CLOSED)
    if query.bbox:
        west, south, east, north = query.bbox
        cases = cases.filter(lon__range=(west, east), lat__range=(south, north))
    first = (query.page - 1) * query.page_size
    # Newest first by id, not reported_at: ids follow intake order, and the primary key's index lets the
    # database stop after one page instead of sorting the whole window.
    cases = _with_details(cases, extensions).order_by("-id")
    return list(cases[first : first + query.page_size])


def one(number: str, client: Client | None = None) -> Case | None:
    return _with_details(_public(client).filter(number=number), True).first()


def by_token(token: str, client: Client | None) -> Case | None:
    """The case a client posted with this idempotency key (its own, when the key names the client). Only the
    case number is answered, which the client was given when it posted."""
    clients = [client] if client else list(Client.objects.all())
    keys = [f"{c.user_id}:{token}" for c in clients]
    return Case.objects.filter(idempotency_key__in=keys).order_by("id").first()


def photo_visible(attachment, client: Client | None) -> bool:
    if _own(attachment.case, client):
        return True
    return attachment.kind in PUBLIC_PHOTO_KINDS and _public(client).filter(pk=attachment.case_id).exists()


def report(client: Client, fields: dict, key: str | None) -> tuple[Case, bool]:
    try:
        return actions.report(client.user, idempotency_key=key, source=client.source, **fields)
    except CaseError as error:
        status = 400 if isinstance(error, InvalidInput) else 403
        raise BadRequest(status, _about(error.message, error.field)) from error
    except codes.CodeError as error:  # a malformed class code or component identifier
        raise BadRequest(400, _about(_(error.message).format(**error.params), error.field)) from error


def _about(message: str, field: str | None) -> str:
    return f"{message} ({OUR_FIELDS.get(field, field)})" if field else message


def as_request(case: Case, extensions: bool, media_base: str, client: Client | None = None) -> dict:
    own = _own(case, client)
    shown = [a for a in case.attachments.all() if own or a.kind in PUBLIC_PHOTO_KINDS]
    photos = [media_base + reverse("open311:media", args=[a.pk]) for a in shown]
    text = (lambda value: value) if own else redact
    closed = case.state in CLOSED
    found = {
        "service_request_id": case.number, "status": "closed" if closed else "open",
        "status_notes": text(_status_notes(case)) if extensions else None,
        "service_name": case.klass.name if case.klass else None,
        "service_code": case.klass.code if case.klass else None,
        "description": text(case.description),
        "agency_responsible": case.department.name if case.department else None,
        "service_notice": None,
        "requested_datetime": case.reported_at, "updated_datetime": case.state_since,
        "expected_datetime": None if closed else case.due_at,
        "address": case.address, "address_id": None, "zipcode": None,
        "lat": case.lat, "long": case.lon, "media_url": photos[0] if photos else None,
    }
    if extensions:
        found["extended_attributes"] = {
            "detailed_status": case.state, "detailed_status_label": state_label(case.state),
            "grid_code": case.grid_code, "channel": case.source, "media_urls": photos,
            "duplicate_of": case.duplicate_of.number if case.duplicate_of_id else None,
        }
        found["notes"] = [_note(event, text) for event in case.events.all()]
    return found


def redact(text: str | None) -> str | None:
    """Phone and ID-card numbers in free text masked as the workbench masks a reporter's phone."""
    return PERSONAL_NUMBER.sub(lambda found: mask_phone(found.group()), text) if text else text


def _note(event, text) -> dict:
    return {
        "datetime": event.at, "type": event.action, "summary": action_label(event.action),
        "status": "closed" if event.target in CLOSED else "open", "detailed_status": event.target,
        "description": text(event.reason), "agency": event.organisation.name if event.organisation else None,
    }


def _status_notes(case: Case) -> str | None:
    events = list(case.events.all())
    return (events[-1].reason or None) if events else None


def _public(client: Client | None = None) -> QuerySet:
    """The published cases, and with a client's key also the cases its post may read."""
    cases = Case.objects.filter(state__in=PUBLISHED)
    if client is not None:
        cases = cases | access.visible_cases(client.user)
    return cases.select_related("klass", "department", "duplicate_of").prefetch_related("attachments")


def _own(case: Case, client: Client | None) -> bool:
    return client is not None and case.reporter_id == client.user_id


def _with_details(cases: QuerySet, extensions: bool) -> QuerySet:
    return cases.prefetch_related("events__organisation") if extensions else cases


OUR_FIELDS = {  # our intake's field names → the Open311 parameter a client sent
    "lon": "long", "address": "address_string", "reporter_name": "first_name", "reporter_phone": "phone",
    "class_code": "service_code", "component": "attribute[component]",
}


def service_class(code: str):
    klass = services.service(code)
    if klass is None:
        raise BadRequest(404, _("There is no service with the code {code}.").format(code=code))
    return klass
