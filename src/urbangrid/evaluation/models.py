"""Maintained counters (one fact table, one per post), versioned scoring rules and published bulletins.

The counters are a cache of the event log: `urbangrid evaluation recount` rebuilds them and must get the same
numbers (tests/evaluation/test_recount.py). Keys use 0, not NULL, for "no class" and "no department" so that
the upsert's ON CONFLICT target matches (NULLs are never equal in a unique index).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from urbangrid.core import evaluation as core

FACT_KEY = ("day", "grid_code", "class_id", "department_id", "source")
POST_KEY = ("day", "user_id", "post")
MONTH_FACT_KEY = ("month", "district", "class_id", "department_id", "source")
HEADLINE_KEY = ("month", "district", "department_id")
MONTH_POST_KEY = ("month", "user_id", "post")
COMMUNITY_MONTH_KEY = ("month", "community")
HEADLINE_DAY_KEY = ("day", "district", "department_id")
COMMUNITY_DAY_KEY = ("day", "community")
CLASS_DAY_KEY = ("day", "class_id", "source")


def _counters(definitions):
    # One integer column per base count; db_default so the upsert names only the columns it bumps.
    return {d.name: models.PositiveIntegerField(d.term, db_default=0) for d in definitions}


class Tally(models.Model):
    """Base counts of one city day for one grid × class × department × source (core.evaluation.FACT_COUNTS)."""

    day = models.DateField(_("day"))
    grid_code = models.CharField(_("unit grid code"), max_length=15)
    class_id = models.PositiveIntegerField(_("class"), db_default=0)  # catalog.CatalogClass id; 0 before 立案
    department_id = models.PositiveIntegerField(_("department"), db_default=0)  # accounts.Organisation id or 0
    source = models.CharField(_("source"), max_length=12)
    locals().update(_counters(core.FACT_COUNTS))
    locals().update(_counters(core.OVERDUE_FLOWS))  # the 超期未处置 balance (report.overdue_counts)

    class Meta:
        verbose_name = _("daily count")
        verbose_name_plural = _("daily counts")
        constraints = [models.UniqueConstraint(fields=FACT_KEY, name="evaluation_tally_key")]
        indexes = [
            models.Index(fields=["day", "department_id"]),
            # The grid table within one street or community (report.table's `within`): its grids' days.
            models.Index(fields=["grid_code", "day"], name="evaluation_tally_grid_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.grid_code} {self.class_id} {self.department_id} {self.source}"


class PostTally(models.Model):
    """Counts of one city day for one person in one post (core.evaluation.POST_COUNTS)."""

    day = models.DateField(_("day"))
    user_id = models.PositiveIntegerField(_("user"))
    post = models.CharField(_("post"), max_length=30)
    locals().update(_counters(core.POST_COUNTS))

    class Meta:
        verbose_name = _("daily count of a post")
        verbose_name_plural = _("daily counts of posts")
        constraints = [models.UniqueConstraint(fields=POST_KEY, name="evaluation_posttally_key")]

    def __str__(self) -> str:
        return f"{self.day} {self.user_id} {self.post}"


class RuleSet(models.Model):
    """One version of the scoring rules. Once a bulletin uses it, it is frozen: changes make a new version."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    note = models.TextField(_("note"), blank=True)
    active = models.BooleanField(_("in use for new reports"), default=False)
    grades = models.JSONField(_("grade floors"), default=list)  # [["A", 90], ["B", 75], …]
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("scoring rule set")
        verbose_name_plural = _("scoring rule sets")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version} {self.name}"

    @property
    def frozen(self) -> bool:
        return self.pk is not None and self.bulletins.exists()


class RuleTerm(models.Model):
    """One weighted term of a 综合指标值 formula."""

    ruleset = models.ForeignKey(RuleSet, models.CASCADE, related_name="terms", verbose_name=_("rule set"))
    subject = models.CharField(_("evaluated"), max_length=30)  # region, department, or a post
    indicator = models.CharField(_("indicator"), max_length=40)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2)
    method = models.CharField(_("scoring"), max_length=14)
    bands = models.JSONField(_("bands"), default=list, blank=True)  # [[threshold, score], …]

    class Meta:
        verbose_name = _("weighted term")
        verbose_name_plural = _("weighted terms")
        ordering = ["ruleset", "subject", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ruleset", "subject", "indicator"], name="evaluation_term_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.subject}: {self.indicator} × {self.weight} %"


class ImmutableBulletin(Exception):
    """A published or rejected bulletin is a record: it is never changed or deleted (a correction is a new
    version that names the one it replaces)."""


class BulletinQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableBulletin("bulletins change only through evaluation.bulletins")

    def delete(self):
        if self.exclude(status=Bulletin.Status.DRAFT).exists():
            raise ImmutableBulletin("a reviewed bulletin is never deleted")
        return super().delete()


class DecisionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableBulletin("review decisions are never changed")

    def delete(self):
        raise ImmutableBulletin("review decisions are never deleted")


class Bulletin(models.Model):
    """A bulletin of a period: the rule set version it was scored with and the numbers, frozen when made.

    Made as a draft (by evaluation staff or the worker); a leader other than its maker approves it, which
    publishes it, or rejects it with a reason. Reviewed bulletins never change. A correction of a published
    bulletin is a new draft of the same period with the next version number, naming the one it replaces and
    saying why; once approved, the public page shows it in place of the old one (which stays readable).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft, awaiting review")
        PUBLISHED = "published", _("published after review")
        REJECTED = "rejected", _("rejected")

    period_kind = models.CharField(_("period"), max_length=10)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)  # of this period's bulletin
    ruleset = models.ForeignKey(RuleSet, models.PROTECT, related_name="bulletins", verbose_name=_("rule set"))
    content = models.JSONField(_("content"))  # aggregates only: no personal data is published
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("made"), null=True)
    created_by = models.ForeignKey(  # None: made by the worker
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("made by"),
    )
    replaces = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="corrections", verbose_name=_("replaces"),
    )
    correction = models.TextField(_("what the correction changes"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("reviewed by"),
    )
    rejection = models.TextField(_("reason for rejection"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-first_day", "-version", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=["draft", "published", "rejected"]),
                                   name="evaluation_bulletin_status_valid"),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(reviewed_at__isnull=False),
                name="evaluation_bulletin_reviewed_when",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="evaluation_bulletin_published_when",
            ),
            models.CheckConstraint(condition=~models.Q(status="rejected") | ~models.Q(rejection=""),
                                   name="evaluation_bulletin_rejected_why"),
            models.CheckConstraint(condition=models.Q(replaces__isnull=True) | ~models.Q(correction=""),
                                   name="evaluation_bulletin_correction_why"),
        ]

    def __str__(self) -> str:
        return f"{self.period_kind} {self.first_day}–{self.last_day} v{self.version}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored != self.Status.DRAFT:
                raise ImmutableBulletin(f"bulletin {self.pk} is {stored}: it is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status != self.Status.DRAFT:
            raise ImmutableBulletin(f"bulletin {self.pk} is {self.status}: it is never deleted")
        return super().delete(*args, **kwargs)


class BulletinDecision(models.Model):
    """The review log of bulletins: who made, approved or rejected which bulletin, when, and why.

    Appended and never changed (the audit app's own log cannot name evaluation's models: the two are
    independent layers), so it is kept here with the same rule: the ORM refuses updates and deletes.
    """

    class Action(models.TextChoices):
        MADE = "made", _("made the draft")
        APPROVED = "approved", _("approved and published")
        REJECTED = "rejected", _("rejected")

    bulletin = models.ForeignKey(Bulletin, models.PROTECT, related_name="decisions", verbose_name=_("bulletin"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(  # None: the worker
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("by"),
    )
    actor_name = models.CharField(_("by (name at the time)"), max_length=150, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("bulletin review decision")
        verbose_name_plural = _("bulletin review decisions")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or '-'} {self.action} {self.bulletin_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableBulletin("review decisions are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableBulletin("review decisions are never deleted")


class TallyMonth(models.Model):
    """The daily counts of one month summed per district × class × department × source.

    Tally summed, for reports over months and years by district, department, class or source: bumped in the
    event's transaction with the same deltas as the day's row (evaluation.counting), the current month too,
    and rebuilt by a recount (evaluation.rollup). Reports by street and community read TallyCommunityMonth,
    by grid Tally.
    """

    month = models.DateField(_("month"))  # its first day
    district = models.CharField(_("district"), max_length=6)
    class_id = models.PositiveIntegerField(_("class"), db_default=0)
    department_id = models.PositiveIntegerField(_("department"), db_default=0)
    source = models.CharField(_("source"), max_length=12)
    locals().update(_counters(core.FACT_COUNTS))
    locals().update(_counters(core.OVERDUE_FLOWS))  # the 超期未处置 balance (report.overdue_counts)

    class Meta:
        verbose_name = _("monthly count")
        verbose_name_plural = _("monthly counts")
        constraints = [
            models.UniqueConstraint(fields=MONTH_FACT_KEY, name="evaluation_tallymonth_key"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.district} {self.class_id} {self.department_id} {self.source}"


class TallyHeadline(models.Model):
    """The monthly counts summed once more per district × department: the headline tables (by district, by
    department, and the two crossed by month) over months and years read a few thousand rows instead of the
    ≈10,000 a month that TallyMonth keeps. Bumped and rebuilt with TallyMonth."""

    month = models.DateField(_("month"))
    district = models.CharField(_("district"), max_length=6)
    department_id = models.PositiveIntegerField(_("department"), db_default=0)
    locals().update(_counters(core.FACT_COUNTS))
    locals().update(_counters(core.OVERDUE_FLOWS))  # the 超期未处置 balance (report.overdue_counts)

    class Meta:
        verbose_name = _("monthly count by district and department")
        verbose_name_plural = _("monthly counts by district and department")
        constraints = [
            models.UniqueConstraint(fields=HEADLINE_KEY, name="evaluation_headline_key"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.district} {self.department_id}"


class PostTallyMonth(models.Model):
    """The daily counts of one month per person and post (PostTally summed), for the post tables over months
    and years. Bumped with PostTally in the event's transaction, rebuilt with TallyMonth."""

    month = models.DateField(_("month"))
    user_id = models.PositiveIntegerField(_("user"))
    post = models.CharField(_("post"), max_length=30)
    locals().update(_counters(core.POST_COUNTS))

    class Meta:
        verbose_name = _("monthly count of a post")
        verbose_name_plural = _("monthly counts of posts")
        constraints = [models.UniqueConstraint(fields=MONTH_POST_KEY, name="evaluation_postmonth_key")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.user_id} {self.post}"


class TallyCommunityMonth(models.Model):
    """The daily counts of one month summed per community (the grid code's first 12 characters): the street
    and community tables over months and years read ≈ 1,000 rows a month instead of the day rows of every
    grid. Bumped and rebuilt with TallyMonth."""

    month = models.DateField(_("month"))
    community = models.CharField(_("community"), max_length=12)
    locals().update(_counters(core.FACT_COUNTS))
    locals().update(_counters(core.OVERDUE_FLOWS))  # the 超期未处置 balance (report.overdue_counts)

    class Meta:
        verbose_name = _("monthly count by community")
        verbose_name_plural = _("monthly counts by community")
        constraints = [models.UniqueConstraint(fields=COMMUNITY_MONTH_KEY, name="evaluation_communitymonth_key")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.community}"


class TallyHeadlineDay(models.Model):
    """The daily counts summed per day × district × department (a few hundred rows a day): the days a period
    cuts from its months (weeks, days, custom ranges) in the district and department tables and the city's
    totals. Bumped and rebuilt with TallyMonth."""

    day = models.DateField(_("day"))
    district = models.CharField(_("district"), max_length=6)
    department_id = models.PositiveIntegerField(_("department"), db_default=0)
    locals().update(_counters(core.FACT_COUNTS))
    locals().update(_counters(core.OVERDUE_FLOWS))

    class Meta:
        verbose_name = _("daily count by district and department")
        verbose_name_plural = _("daily counts by district and department")
        constraints = [models.UniqueConstraint(fields=HEADLINE_DAY_KEY, name="evaluation_headlineday_key")]

    def __str__(self) -> str:
        return f"{self.day} {self.district} {self.department_id}"


class TallyCommunityDay(models.Model):
    """The daily counts summed per day × community: the days a period cuts from its months in the street and
    community tables. Bumped and rebuilt with TallyMonth."""

    day = models.DateField(_("day"))
    community = models.CharField(_("community"), max_length=12)
    locals().update(_counters(core.FACT_COUNTS))
    locals().update(_counters(core.OVERDUE_FLOWS))

    class Meta:
        verbose_name = _("daily count by community")
        verbose_name_plural = _("daily counts by community")
        constraints = [models.UniqueConstraint(fields=COMMUNITY_DAY_KEY, name="evaluation_communityday_key")]

    def __str__(self) -> str:
        return f"{self.day} {self.community}"


class TallyClassDay(models.Model):
    """The daily counts summed per day × class × source (a few hundred rows a day): the days a period cuts
    from its months in the class and source tables (the report page's class breakdown reads the class table
    for every period). Bumped and rebuilt with TallyMonth."""

    day = models.DateField(_("day"))
    class_id = models.PositiveIntegerField(_("class"), db_default=0)
    source = models.CharField(_("source"), max_length=12)
    locals().update(_counters(core.FACT_COUNTS))
    locals().update(_counters(core.OVERDUE_FLOWS))

    class Meta:
        verbose_name = _("daily count by class and source")
        verbose_name_plural = _("daily counts by class and source")
        constraints = [models.UniqueConstraint(fields=CLASS_DAY_KEY, name="evaluation_classday_key")]

    def __str__(self) -> str:
        return f"{self.day} {self.class_id} {self.source}"
