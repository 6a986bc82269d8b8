"""Cases over HTTP: report, list, read, act, attach photos, work queues.

Every view parses its input, calls one function of cases.actions or cases.queries and renders the answer;
who may do what is decided there (cases.access and the workflow table), exactly as for the pages. Errors
are JSON {code, message, field}: 401 not logged in, 404 no such case or not yours to see, 403 visible but
not yours to act on, 409 the case changed (reload) or the move is not possible now, 422 invalid input.
"""

from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from urbangrid.api import auth, exports
from urbangrid.api.errors import ApiError
from urbangrid.api.locate import ErrorOut
from urbangrid.api.params import DbInt
from urbangrid.cases import access, actions, clock, queries
from urbangrid.cases.access import access_case
from urbangrid.cases.errors import CaseError, CaseNotFound, InvalidInput, NotAllowed, NotPossible, StaleCase

STATUS = {CaseNotFound: 404, NotAllowed: 403, StaleCase: 409, NotPossible: 409, InvalidInput: 422}
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


router = Router(tags=["cases"], auth=auth.USER)


@contextmanager
def case_errors():
    try:
        yield
    except CaseError as error:
        raise ApiError(STATUS[type(error)], error.code, error.message, error.field) from error


class OrgOut(Schema):
    id: int
    name: str


class CaseOut(Schema):
    id: int
    number: str = Field(description="案卷编号, e.g. 2026-1129-000123")
    state: str
    state_label: str
    version: int = Field(description="Send it back with every action: a newer version means reload first.")
    source: str
    source_label: str
    kind: str
    class_code: str | None
    class_name: str | None
    urgency: str
    description: str
    address: str
    lon: float
    lat: float
    grid_code: str
    department: OrgOut | None
    due_at: datetime | None = Field(description="Handling deadline (处置时限); none before dispatch or when suspended")
    step_due_at: datetime | None = Field(description="Deadline of the current step of the centres.")
    light: str | None = Field(description="green (< 80 % used), yellow (80–100 %), red (overdue)")
    reported_at: datetime
    self_handled: bool
    non_routine: bool
    suspected_duplicate_of: int | None
    duplicate_of: int | None


class EventOut(Schema):
    seq: int
    action: str
    action_label: str
    source: str
    target: str
    target_label: str
    actor: str | None
    post: str
    post_label: str
    organisation: OrgOut | None
    at: datetime
    reason: str
    data: dict
    due_before: datetime | None
    due_after: datetime | None
    attachments: list[int]


class AttachmentOut(Schema):
    id: int
    kind: str
    content_type: str
    size: int
    event: int | None = Field(description="The seq of the event the photo documents, once an action named it.")
    uploaded_at: datetime


class ActionOut(Schema):
    action: str
    label: str
    needs: list[str] = Field(description="The input fields this action requires.")


class CaseDetailOut(CaseOut):
    reporter_name: str
    reporter_phone: str
    component: str | None
    condition: dict | None
    limit: dict | None
    district_centre: OrgOut | None
    decided_department: OrgOut | None
    paused_since: datetime | None
    extensions: list
    returns: int
    not_ours_returns: int
    reworks: int
    cost: dict | None
    milestones: dict[str, datetime | None]
    timeline: list[EventOut]
    attachments: list[AttachmentOut]
    actions: list[ActionOut] = Field(description="What this user may do now.")


class CasePage(Schema):
    items: list[CaseOut]
    next: str | None = Field(description="Pass as `after` for the next page; null on the last page.")


class QueueOut(Schema):
    post: str
    post_label: str
    organisation: OrgOut
    open: int
    due_today: int
    overdue: int


class ReportIn(Schema):
    source: str | None = Field(None, description="collector, hotline, public, system or other")
    kind: str | None = Field(None, description="component or matter; implied by `component`")
    description: str
    lon: float
    lat: float
    crs: str = Field("wgs84", description="wgs84, gcj02 or bd09")
    address: str = ""
    class_code: str | None = Field(None, description="5-digit class of GB/T 47678.5, if the reporter knows it")
    component: str | None = Field(None, description="17-digit component identifier")
    urgency: str | None = None
    reporter_name: str = ""
    reporter_phone: str = ""
    self_handled: bool = Field(False, description="自处置: a collector fixed it on the spot (art. 17)")
    non_routine: bool = False
    idempotency_key: str | None = Field(None, description="Or the Idempotency-Key header: a retry creates no new case.")


class ActionIn(Schema):
    version: DbInt = Field(description="The case version this action was decided on.")
    reason: str | None = None
    note: str | None = None
    class_code: str | None = None
    condition: DbInt | None = Field(None, description="The 立案条件 number within the class.")
    non_routine: bool | None = None
    department_id: DbInt | None = None
    district: str | None = Field(None, description="6-digit district code; defaults to the case's district.")
    duration: Decimal | None = None
    duration_unit: str | None = Field(None, description="urgent_hours, work_hours, work_days or calendar_days")
    decision: str | None = None
    payer: str | None = None
    amount: Decimal | None = None
    duplicate_of: DbInt | None = None
    return_reason: str | None = Field(None, description="not_ours, wrong_information or other")
    attachments: list[DbInt] = Field(default_factory=list, description="Ids of photos uploaded for this action.")


class ListIn(Schema):
    area: str | None = Field(None, description="District, street, community or grid code (prefix).")
    class_code: str | None = None
    source: str | None = None
    state: list[str] = Field(default_factory=list)
    light: str | None = None
    after: DbInt | None = None
    limit: int = queries.PAGE_SIZE


@router.post("/cases", response={200: CaseDetailOut, 201: CaseDetailOut, **ERRORS}, summary="Report a problem")
def report_case(request, payload: ReportIn):
    """201 with the new case; 200 with the earlier one when the idempotency key was seen before."""
    key = request.headers.get("Idempotency-Key") or payload.idempotency_key
    with case_errors():
        case, created = actions.report(request.auth, idempotency_key=key, **payload.dict(exclude={"idempotency_key"}))
        return Status(201 if created else 200, queries.detail(request.auth, case.pk, clock.now()))


@router.get("/cases", response={200: CasePage, **ERRORS}, summary="Cases I may see, newest first")
def list_cases(request, query: Query[ListIn]):
    filters = {"area": query.area, "class_code": query.class_code, "source": query.source,
               "states": query.state, "light": query.light}
    with case_errors():
        items, cursor = queries.case_list(request.auth, clock.now(), filters, query.after, query.limit)
    return {"items": items, "next": cursor}


class ExportIn(Schema):
    format: str = Field("csv", description="csv, xlsx or geojson")
    area: str | None = Field(None, description="District, street, community or grid code (prefix).")
    class_code: str | None = None
    source: str | None = None
    state: list[str] = Field(default_factory=list)


@router.get("/cases/export", response={200: None, **ERRORS}, summary="Export the cases I may see")
def export_cases(request, query: Query[ExportIn]):
    """All matching cases, oldest first, streamed (no reporter's name or phone). CSV is UTF-8 with a BOM."""
    if query.format not in exports.FORMATS:
        choices = ", ".join(exports.FORMATS)
        raise ApiError(422, "invalid_input", _("{value} is not one of: {choices}.").format(
            value=query.format, choices=choices), "format")
    with case_errors():
        cases = exports.filtered(
            access.visible_cases(request.auth), query.area, query.class_code, query.source, query.state
        )
    name = f"cases-{clock.now():%Y%m%d-%H%M}.{query.format}"
    if query.format == "xlsx":
        return FileResponse(exports.xlsx_file(cases), as_attachment=True, filename=name,
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    stream = exports.stream_csv(cases) if query.format == "csv" else exports.stream_geojson(cases)
    content_type = "text/csv; charset=utf-8" if query.format == "csv" else "application/geo+json"
    response = StreamingHttpResponse(stream, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get("/cases/{case_id}", response={200: CaseDetailOut, **ERRORS}, summary="One case with its timeline")
def case_detail(request, case_id: DbInt):
    with case_errors():
        return queries.detail(request.auth, case_id, clock.now())


@router.post(
    "/cases/{case_id}/actions/{action}", response={200: CaseDetailOut, **ERRORS}, summary="Take an action"
)
def take_action(request, case_id: DbInt, action: str, payload: ActionIn):
    """The actions a user may take are listed in the case's `actions`; each names the inputs it needs."""
    given = payload.dict(exclude={"version"}, exclude_none=True)
    with case_errors():
        actions.act(case_id, request.auth, action, payload.version, **given)
        return queries.detail(request.auth, case_id, clock.now())


@router.post("/cases/{case_id}/attachments", response={201: AttachmentOut, **ERRORS}, summary="Upload a photo")
def upload_attachment(request, case_id: DbInt, file: File[UploadedFile], kind: Form[str] = "evidence"):
    """A JPEG, PNG, HEIC or WebP photo (checked by its content, re-encoded, thumbnailed); name its id in the
    `attachments` of the action it documents."""
    with case_errors():
        attachment = actions.add_attachment(case_id, request.auth, file, kind)
    return Status(201, queries.attachment(attachment))


@router.get("/cases/{case_id}/attachments/{attachment_id}", response={200: None, **ERRORS}, summary="A photo")
def download_attachment(request, case_id: DbInt, attachment_id: DbInt):
    with case_errors():
        case = access_case(request.auth, case_id)
    attachment = case.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise ApiError(404, "not_found", _("No such attachment."), "attachment_id")
    return FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)


@router.get("/queues", response={200: list[QueueOut], **ERRORS}, summary="My work queues")
def work_queues(request):
    """For each post held: cases waiting for it, due by the end of today, and overdue."""
    return queries.queues(request.auth, clock.now())
