"""GET /api/v1/inbox and POST /api/v1/inbox/read: the signed-in user's notifications."""

from datetime import datetime

from ninja import Field, Query, Router, Schema

from urbangrid.api import auth
from urbangrid.api.params import DbInt
from urbangrid.notifications import inbox

router = Router(tags=["inbox"], auth=auth.USER)


class MessageOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    case_id: int | None
    created_at: datetime
    read_at: datetime | None


class InboxOut(Schema):
    unread: int = Field(description="Unread messages in all.")
    messages: list[MessageOut]
    next_before_id: int | None = Field(None, description="Pass as before_id for the next (older) page.")


class PageIn(Schema):
    before_id: DbInt | None = None
    unread_only: bool = False
    limit: int = Field(inbox.PAGE, ge=1, le=200)


class ReadIn(Schema):
    ids: list[DbInt] | None = Field(None, description="Messages to mark read; all of them when left out.")


class ReadOut(Schema):
    marked: int
    unread: int


@router.get("", response=InboxOut, summary="My notifications, newest first")
def my_inbox(request, params: Query[PageIn]):
    messages = inbox.page(request.user, params.before_id, params.unread_only, params.limit)
    full = len(messages) == params.limit
    return {
        "unread": inbox.unread_count(request.user),
        "messages": messages,
        "next_before_id": messages[-1].id if full else None,
    }


@router.post("/read", response=ReadOut, summary="Mark notifications read")
def mark_read(request, payload: ReadIn):
    marked = inbox.mark_read(request.user, payload.ids)
    return {"marked": marked, "unread": inbox.unread_count(request.user)}
