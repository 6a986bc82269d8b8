"""Cases (案卷), their append-only history and their photos.

`Case.state` and the deadline columns are denormalised from the events so that queues and lists are plain
indexed queries; cases.actions moves both in one transaction and is the only writer (ARCHITECTURE.md §9.3).
Choices are validated against the enums and held by CHECK constraints, not `choices=` (§9.9).
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from urbangrid.cases.labels import ACTION_MSGIDS, ATTACHMENT_KIND_LABELS, KIND_LABELS, SOURCE_LABELS
from urbangrid.core.limits import Urgency
from urbangrid.core.workflow import State

STATES = [str(state) for state in State]
SOURCES = list(SOURCE_LABELS)
KINDS = list(KIND_LABELS)
URGENCIES = [str(urgency) for urgency in Urgency]
ACTIONS = [str(action) for action in ACTION_MSGIDS]
ATTACHMENT_KINDS = list(ATTACHMENT_KIND_LABELS)


class Case(models.Model):
    number = models.CharField(_("case number"), max_length=20, unique=True)
    state = models.CharField(_("state"), max_length=24, default=State.REPORTED.value)
    version = models.PositiveIntegerField(_("version"), default=1)  # optimistic concurrency: +1 per event
    # The audit link of the last event (cases/chain.py): deleting the newest events breaks it.
    event_chain = models.CharField(_("audit chain head"), max_length=64, blank=True, editable=False)
    state_since = models.DateTimeField(_("in this state since"))
    source = models.CharField(_("source"), max_length=12)
    kind = models.CharField(_("kind"), max_length=10)
    klass = models.ForeignKey(
        "catalog.CatalogClass", models.PROTECT, null=True, blank=True, related_name="cases", verbose_name=_("class")
    )
    condition = models.ForeignKey(
        "catalog.FilingCondition", models.PROTECT, null=True, blank=True, related_name="cases",
        verbose_name=_("filing condition"),
    )
    urgency = models.CharField(_("urgency"), max_length=8, default=Urgency.NORMAL.value)
    description = models.TextField(_("description"), max_length=2000)
    address = models.CharField(_("address"), max_length=200, blank=True)
    lon = models.FloatField(_("longitude (WGS84)"))
    lat = models.FloatField(_("latitude (WGS84)"))
    # The grid code carries district, street and community as prefixes: area queries are LIKE 'prefix%'.
    grid_code = models.CharField(_("unit grid code"), max_length=15, db_index=True)
    component = models.ForeignKey(
        "components.Component", models.PROTECT, null=True, blank=True, related_name="cases",
        verbose_name=_("component"),
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="reported_cases",
        verbose_name=_("reported by"),
    )
    # Personal data of a citizen reporting by phone; shown only to the supervision and command centres.
    reporter_name = models.CharField(_("reporter's name"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=30, blank=True)
    self_handled = models.BooleanField(_("handled on the spot"), default=False)  # 自处置 (art. 17)
    non_routine = models.BooleanField(_("non-routine problem"), default=False)  # 非常规问题 (art. 24)
    department = models.ForeignKey(
        "accounts.Organisation", models.PROTECT, null=True, blank=True, related_name="cases",
        verbose_name=_("responsible department"),
    )
    district_centre = models.ForeignKey(
        "accounts.Organisation", models.PROTECT, null=True, blank=True, related_name="forwarded_cases",
        verbose_name=_("district command centre"),
    )
    decided_department = models.ForeignKey(  # named by a binding coordination decision (art. 23)
        "accounts.Organisation", models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("department decided by coordination"),
    )
    # The handling limit is copied from the 立案条件 when the case is opened: editing the catalogue later
    # must not move the deadlines of open cases.
    limit_value = models.DecimalField(_("handling limit"), max_digits=6, decimal_places=1, null=True, blank=True)
    limit_unit = models.CharField(_("limit unit"), max_length=14, blank=True)
    due_at = models.DateTimeField(_("handling deadline"), null=True, blank=True)
    step_due_at = models.DateTimeField(_("deadline of the current step"), null=True, blank=True)
    paused_since = models.DateTimeField(_("suspended since"), null=True, blank=True)
    pauses = models.JSONField(_("suspensions"), default=list, blank=True)  # [[start, end], …] ISO, this clock
    extensions = models.JSONField(_("extensions"), default=list, blank=True)  # [[value, unit], …], this clock
    returns = models.PositiveSmallIntegerField(_("returns"), default=0)
    not_ours_returns = models.PositiveSmallIntegerField(_("'not ours' returns"), default=0)
    reworks = models.PositiveSmallIntegerField(_("reworks"), default=0)
    cost_payer = models.CharField(_("cost paid by"), max_length=100, blank=True)
    cost_amount = models.DecimalField(_("cost (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=160, unique=True, null=True, blank=True)
    suspected_duplicate_of = models.ForeignKey(  # flagged at intake; the intake operator decides
        "self", models.PROTECT, null=True, blank=True, related_name="suspected_duplicates",
        verbose_name=_("probable duplicate of"),
    )
    duplicate_of = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="duplicates", verbose_name=_("merged into")
    )
    reported_at = models.DateTimeField(_("reported"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched"), null=True, blank=True)  # the current clock's start
    fed_back_at = models.DateTimeField(_("fed back"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-id"]
        # The operators' pages at a million cases (issue 4; bench/bench_pages.py). The wide ones hold every
        # column their query reads, so that it reads the index alone (SQLite and PostgreSQL index-only scans).
        indexes = [
            models.Index(fields=["state", "due_at"]),
            models.Index(fields=["state", "step_due_at"]),
            models.Index(fields=["department", "state", "due_at"]),  # a department's queue, in deadline order
            models.Index(fields=["klass", "reported_at"]),
            # Cases closed in a period, and on time or not per area (command screen, reports); those closed after a
            # day but reported before another (accountability's idle cases of a past period).
            models.Index(fields=["state", "closed_at", "due_at", "grid_code", "reported_at"],
                         name="case_closed_on_time"),
            # Open cases per grid with their position and deadlines (the map's tallies, an area's counts).
            models.Index(
                fields=["state", "grid_code", "lon", "lat", "due_at", "step_due_at"], name="case_open_by_grid"
            ),
            # Closed callers' cases waiting for their 回访 (queries.awaiting_follow_up: the intake operator's count
            # on every page, the hotline's follow-up queue): 126 → 34 ms at 21,000 waiting among 1,000,000.
            models.Index(
                fields=["state", "source", "closed_at", "reporter_phone", "grid_code"], name="case_follow_up"
            ),
            # Cases reported in a period per class, area and source (command screen, heat map).
            models.Index(
                fields=["reported_at", "klass", "grid_code", "source", "lon", "lat"], name="case_reported_where"
            ),
            # Rejected and voided cases that ended after a day (accountability's idle cases of a past period:
            # not finished at its end). Partial: only those rows, so no other case's move touches it.
            models.Index(
                fields=["state", "state_since", "reported_at"], name="case_ended_unopened",
                condition=models.Q(state__in=[State.REJECTED.value, State.VOIDED.value]),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(state__in=STATES), name="case_state_valid"),
            models.CheckConstraint(condition=models.Q(source__in=SOURCES), name="case_source_valid"),
            models.CheckConstraint(condition=models.Q(kind__in=KINDS), name="case_kind_valid"),
            models.CheckConstraint(condition=models.Q(urgency__in=URGENCIES), name="case_urgency_valid"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="case_version_positive"),
        ]

    def __str__(self) -> str:
        return self.number


class ImmutableEvent(Exception):
    pass


class EventQuerySet(models.QuerySet):
    # History is never edited (Signalen: "do not edit history"); a correction is a new event.
    def update(self, **kwargs):
        raise ImmutableEvent("case events are never updated")

    def delete(self):
        raise ImmutableEvent("case events are never deleted")


class CaseEvent(models.Model):
    """One transition (or a non-moving action such as 督办) of one case, appended and never changed."""

    case = models.ForeignKey(Case, models.PROTECT, related_name="events", verbose_name=_("case"))
    seq = models.PositiveIntegerField(_("number"))  # 1, 2, 3 … per case; equals the case version it produced
    action = models.CharField(_("action"), max_length=24)
    source = models.CharField(_("from state"), max_length=24, blank=True)  # blank for the intake event
    target = models.CharField(_("to state"), max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="case_events",
        verbose_name=_("actor"),
    )
    post = models.CharField(_("post"), max_length=30, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", models.PROTECT, null=True, blank=True, related_name="case_events",
        verbose_name=_("organisation"),
    )
    at = models.DateTimeField(_("at"))
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    due_before = models.DateTimeField(_("deadline before"), null=True, blank=True)
    due_after = models.DateTimeField(_("deadline after"), null=True, blank=True)
    # HMAC of this event's content and the previous event's link (cases/chain.py; `urbangrid audit verify`).
    chain = models.CharField(_("audit link"), max_length=64, blank=True, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["case", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["case", "seq"], name="caseevent_case_seq_unique"),
            models.CheckConstraint(condition=models.Q(action__in=ACTIONS), name="caseevent_action_valid"),
            models.CheckConstraint(condition=models.Q(target__in=STATES), name="caseevent_target_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableEvent("case events are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableEvent("case events are never deleted")


def attachment_path(attachment: "Attachment", filename: str) -> str:
    # A random name: the uploader's file name may carry personal data and must not decide the path.
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"cases/{attachment.case.number[:4]}/{attachment.case.number}/{uuid.uuid4().hex}{suffix}"


def thumbnail_path(attachment: "Attachment", filename: str) -> str:
    return f"cases/{attachment.case.number[:4]}/{attachment.case.number}/thumbs/{uuid.uuid4().hex}.jpg"


class Attachment(models.Model):
    """A photo of a case, re-encoded (cases.photos). Uploaded first, then named by the action it documents.

    `taken_at` and the photo position are what the original's EXIF claimed, kept as evidence after the EXIF
    itself was stripped; empty when the camera wrote none (or the phone app dropped it)."""

    case = models.ForeignKey(Case, models.PROTECT, related_name="attachments", verbose_name=_("case"))
    event = models.ForeignKey(
        CaseEvent, models.PROTECT, null=True, blank=True, related_name="attachments", verbose_name=_("event")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    kind = models.CharField(_("kind"), max_length=10, default="evidence")
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="case_attachments", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"))
    thumbnail = models.FileField(_("thumbnail"), upload_to=thumbnail_path, max_length=200, blank=True)
    width = models.PositiveIntegerField(_("width (pixels)"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height (pixels)"), null=True, blank=True)
    taken_at = models.DateTimeField(_("taken (EXIF)"), null=True, blank=True)
    photo_lon = models.FloatField(_("photo longitude (EXIF)"), null=True, blank=True)
    photo_lat = models.FloatField(_("photo latitude (EXIF)"), null=True, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["case", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=ATTACHMENT_KINDS), name="attachment_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.kind} · {self.id}"


class CaseSequence(models.Model):
    """The last case number given out on one day (city time)."""

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("case number sequence")
        verbose_name_plural = _("case number sequences")

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"


class SweepMark(models.Model):
    """How far the overdue sweep has looked: each sweep handles only deadlines passed since the last one."""

    name = models.CharField(_("sweep"), max_length=40, primary_key=True)
    swept_until = models.DateTimeField(_("swept until"))

    class Meta:
        verbose_name = _("sweep mark")
        verbose_name_plural = _("sweep marks")

    def __str__(self) -> str:
        return f"{self.name} → {self.swept_until:%Y-%m-%d %H:%M}"
