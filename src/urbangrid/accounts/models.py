"""Organisations of the city-management loop, the people in them and the posts they hold.

"一级监督、二级指挥、三级管理、四级网络": the city supervision centre watches, the city and district command
centres dispatch, departments, streets and communities handle. A person may hold several posts.
"""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from urbangrid.accounts.labels import ORG_KIND_LABELS, POST_LABELS
from urbangrid.catalog.labels import PARTY_LABELS, choices
from urbangrid.core import codes
from urbangrid.core.posts import Post


def validate_uscc(value: str) -> None:
    try:
        codes.parse_uscc(value)
    except codes.CodeError as error:
        raise ValidationError(_(error.message).format(**error.params), code="uscc") from error


class Organisation(models.Model):
    kind = models.CharField(_("kind"), max_length=30, choices=choices(ORG_KIND_LABELS))
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, null=True, blank=True,
        validators=[validate_uscc],
    )
    party_type = models.CharField(
        _("party type"), max_length=12, choices=choices(PARTY_LABELS), blank=True,
        help_text=_("For departments: competent department, owner unit or maintenance unit."),
    )
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="units", verbose_name=_("parent organisation")
    )
    # The area this unit governs (a district command centre's district, a street office's street).
    area = models.ForeignKey(
        "grid.Area", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("governed area")
    )
    territory = models.ManyToManyField(
        "grid.Area", blank=True, related_name="responsible_organisations", verbose_name=_("territory")
    )
    responsibilities = models.ManyToManyField(
        "catalog.CatalogClass", blank=True, related_name="responsible_organisations",
        verbose_name=_("responsible for classes"),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=list(ORG_KIND_LABELS)), name="organisation_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    display_name = models.CharField(_("name"), max_length=50, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    # Set when someone else chose the password (an account made in the admin, a reset by an administrator):
    # the user must choose their own before doing anything else (accounts/middleware.py).
    must_change_password = models.BooleanField(
        _("must change password"), default=False,
        help_text=_("The user is asked to choose a new password at the next sign-in."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    def posts(self) -> set[Post]:
        return {Post(p) for p in self.appointments.filter(active=True).values_list("post", flat=True)}


class Appointment(models.Model):
    """One post held by one person in one organisation."""

    user = models.ForeignKey(User, models.CASCADE, related_name="appointments", verbose_name=_("user"))
    post = models.CharField(_("post"), max_length=30, choices=choices(POST_LABELS))
    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="appointments", verbose_name=_("organisation")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("post held")
        verbose_name_plural = _("posts held")
        constraints = [
            models.UniqueConstraint(fields=["user", "post", "organisation"], name="appointment_unique"),
            models.CheckConstraint(condition=models.Q(post__in=[str(p) for p in Post]), name="appointment_post_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_post_display()} · {self.organisation}"


class CollectorProfile(models.Model):
    """A collector's 责任网格 and training certificate (regulation art. 16: only the trained may collect)."""

    user = models.OneToOneField(User, models.CASCADE, related_name="collector", verbose_name=_("user"))
    certificate_no = models.CharField(_("training certificate number"), max_length=40, blank=True)
    certified_on = models.DateField(_("certified on"), null=True, blank=True)
    certificate_expires = models.DateField(_("certificate expires"), null=True, blank=True)
    grids = models.ManyToManyField(
        "grid.Area", blank=True, related_name="collectors", verbose_name=_("responsibility grids"),
        limit_choices_to={"level": "grid"},
    )

    class Meta:
        verbose_name = _("collector profile")
        verbose_name_plural = _("collector profiles")

    def __str__(self) -> str:
        return str(self.user)

    def is_certified(self, on=None) -> bool:
        on = on or timezone.localdate()
        return bool(self.certificate_no and self.certificate_expires and self.certificate_expires >= on)


class GridSpell(models.Model):
    """One spell of a collector's responsibility for one unit grid: the days began ≤ day < ended (city dates).

    The history behind 漏报 and 网格立案数, which count for the collectors responsible for the case's grid on
    the day of the event (evaluation.counting). Written only by accounts.gridhistory, from the changes of
    CollectorProfile.grids, in their transaction; appended, and closed (`ended` set) once. A change takes
    effect for evaluation from the next city day, so a day is never split between collectors. `began` None:
    held since before the history was kept; `ended` None: still held. The user is kept as a number beside the
    key (no constraint): the history outlives the profile and the account, as the counts do."""

    user = models.ForeignKey(
        User, models.DO_NOTHING, db_constraint=False, db_index=False, related_name="grid_spells",
        verbose_name=_("collector"),
    )
    grid_code = models.CharField(_("unit grid code"), max_length=15)
    began = models.DateField(_("responsible from"), null=True, blank=True)
    ended = models.DateField(_("responsible until (not included)"), null=True, blank=True)

    class Meta:
        verbose_name = _("responsibility grid spell")
        verbose_name_plural = _("responsibility grid history")
        ordering = ["user", "grid_code", "id"]
        indexes = [
            models.Index(fields=["grid_code", "user"], name="gridspell_grid"),  # who held grid G on day D
            models.Index(fields=["user", "grid_code"], name="gridspell_user"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(began__isnull=True) | models.Q(ended__isnull=True)
                | models.Q(ended__gte=models.F("began")),
                name="gridspell_ends_after_it_begins",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.grid_code} {self.began or '…'}–{self.ended or '…'}"


class Suspension(models.Model):
    """The centre stops a collector, or a whole contracted collection company, from submitting (arts. 15, 34).

    Lifting sets `lifted_at`; rows are never deleted, so who was stopped, when and why stays on record, and
    so do the cases reported before."""

    collector = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="suspensions", verbose_name=_("collector")
    )
    company = models.ForeignKey(
        Organisation, models.PROTECT, null=True, blank=True, related_name="suspensions",
        verbose_name=_("collection company"), limit_choices_to={"kind": "collection_company"},
    )
    reason = models.CharField(_("reason"), max_length=200)
    since = models.DateTimeField(_("suspended from"), default=timezone.now)
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    by = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("suspended by")
    )

    class Meta:
        verbose_name = _("collection suspension")
        verbose_name_plural = _("collection suspensions")
        ordering = ["-since"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(collector__isnull=True) ^ models.Q(company__isnull=True),
                name="suspension_of_one_collector_or_company",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.collector or self.company} · {self.reason}"


class Device(models.Model):
    """A phone signed in to the field app (城管通). Its queue token is stored only as a hash.

    Reported lost or stolen: revoked, which ends its session and makes its offline queue's token worthless,
    so nothing queued on the phone can be sent by whoever holds it (arts. 18, 35)."""

    user = models.ForeignKey(User, models.CASCADE, related_name="devices", verbose_name=_("user"))
    label = models.CharField(_("device"), max_length=120, blank=True)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    session_key = models.CharField(_("session"), max_length=40, blank=True, editable=False)
    created_at = models.DateTimeField(_("signed in"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("revoked by")
    )

    class Meta:
        verbose_name = _("field device")
        verbose_name_plural = _("field devices")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.label or self.pk}"
