"""Bulletins (定期公布, art. 30): frozen aggregates of a period, with the rule set version used, reviewed
before they are published.

The review: a bulletin is made as a draft (by evaluation staff, or by the worker for last week and last
month); a leader (领导) who did not make it approves it, which publishes it, or rejects it with a reason.
Every step is logged in BulletinDecision (who, when, why). Reviewed bulletins never change; a published one
is corrected by a new draft of the same period, version + 1, which names it and says what changes.

Only regions and departments are published (aggregate numbers, no personal data); posts stay internal.
`recompute` scores the bulletin's period again under the bulletin's own rule set version, which is how a
published result can always be checked, even after the rules changed.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from urbangrid.accounts.models import User
from urbangrid.cases import clock
from urbangrid.core import evaluation as core
from urbangrid.evaluation import breakdown, report, rules
from urbangrid.evaluation.models import Bulletin, BulletinDecision, RuleSet

Status = Bulletin.Status


class ReviewRefused(ValueError):
    """A review step that is not allowed: the message says why, in the user's language."""

PUBLISHED_TABLES = ("district", "department")


def content(period: core.Period, ruleset: RuleSet) -> dict:
    tables = {name: [_row(r) for r in report.table(period, name, ruleset)] for name in PUBLISHED_TABLES}
    totals = report.totals_row(report.table(period, "district", ruleset))
    return {"tables": tables, "totals": _row(totals), "classes": breakdown.top_classes(period)}


@transaction.atomic
def draft(period: core.Period, user: User | None = None, ruleset: RuleSet | None = None) -> Bulletin:
    """A new bulletin of the period, awaiting review; `user` None is the worker."""
    return _make(period, user, ruleset or rules.current())


def _make(period: core.Period, user, ruleset: RuleSet, replaces: Bulletin | None = None, why: str = "") -> Bulletin:
    same = Bulletin.objects.filter(period_kind=str(period.kind), first_day=period.first, last_day=period.last)
    version = (same.aggregate(v=Max("version"))["v"] or 0) + 1
    bulletin = Bulletin.objects.create(
        period_kind=str(period.kind), first_day=period.first, last_day=period.last, version=version,
        ruleset=ruleset, content=content(period, ruleset), created_at=clock.now(), created_by=user,
        replaces=replaces, correction=why,
    )
    _log(bulletin, BulletinDecision.Action.MADE, user, why)
    return bulletin


@transaction.atomic
def correct(bulletin: Bulletin, user: User, why: str) -> Bulletin:
    """A draft correcting a published bulletin: its period recounted now, scored by the same rules."""
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if bulletin.status != Status.PUBLISHED:
        raise ReviewRefused(_("Only a published bulletin is corrected; a draft is rejected and made again."))
    if not why.strip():
        raise ReviewRefused(_("Say what the correction changes and why."))
    return _make(period_of(bulletin), user, bulletin.ruleset, replaces=bulletin, why=why.strip())


@transaction.atomic
def approve(bulletin: Bulletin, user: User, note: str = "") -> Bulletin:
    """Publish a draft: from now on it is public and never changes."""
    bulletin = _reviewable(bulletin, user)
    now = clock.now()
    bulletin.status, bulletin.reviewed_at, bulletin.reviewed_by = Status.PUBLISHED, now, user
    bulletin.published_at = now
    bulletin.save(update_fields=["status", "reviewed_at", "reviewed_by", "published_at"])
    _log(bulletin, BulletinDecision.Action.APPROVED, user, note.strip())
    return bulletin


@transaction.atomic
def reject(bulletin: Bulletin, user: User, why: str) -> Bulletin:
    """Refuse a draft, with the reason: it is never published (a new draft may be made)."""
    if not why.strip():
        raise ReviewRefused(_("Give the reason for rejecting the bulletin."))
    bulletin = _reviewable(bulletin, user)
    bulletin.status, bulletin.reviewed_at, bulletin.reviewed_by = Status.REJECTED, clock.now(), user
    bulletin.rejection = why.strip()
    bulletin.save(update_fields=["status", "reviewed_at", "reviewed_by", "rejection"])
    _log(bulletin, BulletinDecision.Action.REJECTED, user, bulletin.rejection)
    return bulletin


def _reviewable(bulletin: Bulletin, user: User) -> Bulletin:
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)  # two leaders at once: one decides
    if bulletin.status != Status.DRAFT:
        raise ReviewRefused(_("This bulletin has already been reviewed."))
    if bulletin.created_by_id == user.pk:
        raise ReviewRefused(_("A bulletin is reviewed by a leader other than the one who made it."))
    return bulletin


def _log(bulletin: Bulletin, action: str, user: User | None, note: str) -> None:
    BulletinDecision.objects.create(bulletin=bulletin, action=action, at=clock.now(), actor=user,
                                    actor_name=(user.display_name or user.username) if user else "", note=note)


def published():
    """The public list: published bulletins, newest period first, each knowing its published correction."""
    return Bulletin.objects.filter(status=Status.PUBLISHED).select_related("ruleset", "replaces")


def corrected_by(bulletin: Bulletin) -> Bulletin | None:
    """The published correction that replaces this bulletin, if any (the newest)."""
    return published().filter(replaces=bulletin).order_by("-version").first()


JOB = "evaluation.bulletins"
SCHEDULED = (core.PeriodKind.WEEK, core.PeriodKind.MONTH)


def scheduled() -> list[Bulletin]:
    """The worker's job: make last week's and last month's bulletin once each, when they are over, as drafts
    for a leader to review."""
    today = timezone.localdate(clock.now())
    made = []
    for kind in SCHEDULED:
        period = core.period(kind, today).previous()
        if not Bulletin.objects.filter(period_kind=kind, first_day=period.first, last_day=period.last).exists():
            made.append(draft(period))
    return made


def period_of(bulletin: Bulletin) -> core.Period:
    return core.Period(core.PeriodKind(bulletin.period_kind), bulletin.first_day, bulletin.last_day)


def recompute(bulletin: Bulletin) -> dict:
    """The bulletin's content as it is computed now under the rule set it was published with."""
    return content(period_of(bulletin), bulletin.ruleset)


def _row(row: report.Row) -> dict:
    return {
        "key": row.key, "label": row.label, "counts": row.counts,
        "rates": {name: _text(value) for name, value in row.rates.items()},
        "score": _text(row.score), "grade": row.grade, "rank": row.rank,
    }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
