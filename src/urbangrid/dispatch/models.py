"""Dispatch rules (派遣规则) as rows an administrator orders and edits, and the classes dispatched automatically.

A rule's conditions are columns; an empty column matches anything. Its target is a department, a district
command centre (二级指挥), or one party of the case (whoever owns the component, say): exactly one of the
three, held by clean() for the admin and by a CHECK constraint for everything else. core.dispatch decides.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from urbangrid.catalog.labels import PARTY_LABELS, URGENCY_LABELS
from urbangrid.catalog.labels import choices as catalog_choices
from urbangrid.core import codes, dispatch
from urbangrid.core.limits import Party, Urgency
from urbangrid.dispatch.labels import ANY, RULE_KIND_LABELS, choices

RULE_KINDS = list(RULE_KIND_LABELS)
PARTIES = [str(party) for party in Party]
URGENCIES = [str(urgency) for urgency in Urgency]
TARGET_FIELDS = ("department", "district_centre", "party")
CENTRE_KINDS = ("supervision_centre", "command_centre", "district_command_centre")


def split_codes(text: str) -> list[str]:
    return [code for code in (part.strip() for part in text.replace("，", ",").split(",")) if code]


def _code_error(error: codes.CodeError, value: str) -> ValidationError:
    message = gettext(error.message).format(**error.params)
    return ValidationError(gettext("{code}: {message}").format(code=value, message=message), code="code")


def validate_class_codes(value: str) -> None:
    for code in split_codes(value):
        try:
            codes.parse_class_code(code)
        except codes.CodeError as error:
            raise _code_error(error, code) from error


def validate_area_prefix(value: str) -> None:
    try:
        codes.parse_area_code(value)
    except codes.CodeError as error:
        raise _code_error(error, value) from error


def _exactly_one_target() -> models.Q:
    department, centre, party = (models.Q(department__isnull=False), models.Q(district_centre__isnull=False),
                                 ~models.Q(party=""))
    return (department & ~centre & ~party) | (~department & centre & ~party) | (~department & ~centre & party)


class DispatchRule(models.Model):
    priority = models.PositiveIntegerField(
        _("priority"), default=100, db_index=True, help_text=_("Lower numbers are tried first; then older rules.")
    )
    active = models.BooleanField(_("active"), default=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=choices(RULE_KIND_LABELS), default=ANY)
    class_codes = models.CharField(
        _("class codes"), max_length=300, blank=True, validators=[validate_class_codes],
        help_text=_("5-digit GB/T 47678.5 class codes separated by commas; empty: every class."),
    )
    area_prefix = models.CharField(
        _("area"), max_length=15, blank=True, validators=[validate_area_prefix],
        help_text=_("A district (6 digits), street (9), community (12) or grid (15) code; empty: everywhere."),
    )
    window_start = models.TimeField(_("from (time of day)"), null=True, blank=True)
    window_end = models.TimeField(
        _("until (time of day)"), null=True, blank=True,
        help_text=_("Local time; a window such as 18:00–08:00 runs past midnight. Empty: at any time."),
    )
    urgency = models.CharField(_("urgency"), max_length=8, blank=True, choices=catalog_choices(URGENCY_LABELS))
    department = models.ForeignKey(
        "accounts.Organisation", models.PROTECT, null=True, blank=True, related_name="dispatch_rules",
        verbose_name=_("department"), limit_choices_to=~models.Q(kind__in=CENTRE_KINDS),
    )
    district_centre = models.ForeignKey(
        "accounts.Organisation", models.PROTECT, null=True, blank=True, related_name="centre_dispatch_rules",
        verbose_name=_("district command centre"), limit_choices_to={"kind": "district_command_centre"},
    )
    party = models.CharField(
        _("the case's party"), max_length=12, blank=True, choices=catalog_choices(PARTY_LABELS),
        help_text=_("Instead of a fixed target: whoever is this party of the case; passed over if it has none."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("dispatch rule")
        verbose_name_plural = _("dispatch rules")
        ordering = ["priority", "id"]
        constraints = [
            models.CheckConstraint(condition=_exactly_one_target(), name="dispatchrule_one_target"),
            models.CheckConstraint(condition=models.Q(kind__in=RULE_KINDS), name="dispatchrule_kind_valid"),
            models.CheckConstraint(condition=models.Q(party__in=["", *PARTIES]), name="dispatchrule_party_valid"),
            models.CheckConstraint(
                condition=models.Q(urgency__in=["", *URGENCIES]), name="dispatchrule_urgency_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(window_start__isnull=True, window_end__isnull=True)
                | models.Q(window_start__isnull=False, window_end__isnull=False),
                name="dispatchrule_window_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.priority} {self.name}"

    def clean(self) -> None:
        self.class_codes = ",".join(code.upper() for code in self.class_code_list())
        self.area_prefix = _normal_area(self.area_prefix)
        errors = {}
        targets = [name for name in TARGET_FIELDS if getattr(self, _attname(name))]
        if len(targets) != 1:
            labels = " / ".join(str(self._meta.get_field(name).verbose_name) for name in TARGET_FIELDS)
            message = gettext("Choose exactly one target: {fields}.").format(fields=labels)
            errors.update(dict.fromkeys(targets or TARGET_FIELDS, message))
        if (self.window_start is None) != (self.window_end is None):
            missing = "window_end" if self.window_end is None else "window_start"
            errors[missing] = gettext("Give both ends of the time window, or neither.")
        elif self.window_start is not None and self.window_start == self.window_end:
            errors["window_end"] = gettext("The time window must not start and end at the same time.")
        if errors:
            raise ValidationError(errors)

    def class_code_list(self) -> list[str]:
        return split_codes(self.class_codes)

    def to_rules(self) -> list[dispatch.Rule]:
        """The rule in core terms: one core rule per listed class, tried in a row, all with this row's id."""
        return [self._core_rule(prefix) for prefix in self.class_code_list() or [""]]

    def to_rule(self) -> dispatch.Rule:
        """The one core rule of a row that lists at most one class; to_rules() serves every row."""
        rules = self.to_rules()
        if len(rules) != 1:
            raise ValueError(f"rule {self.pk} lists {len(rules)} classes: use to_rules()")
        return rules[0]

    def target(self) -> dispatch.Target | None:
        if self.department_id:
            return dispatch.Target(dispatch.TargetKind.DEPARTMENT, str(self.department_id))
        if self.district_centre_id:
            return dispatch.Target(dispatch.TargetKind.DISTRICT_CENTRE, str(self.district_centre_id))
        return None

    def _core_rule(self, class_prefix: str) -> dispatch.Rule:
        window = None if self.window_start is None or self.window_end is None else (self.window_start, self.window_end)
        return dispatch.Rule(
            id=self.pk, target=self.target(), party=Party(self.party) if self.party else None,
            kind=None if self.kind == ANY else dispatch.Kind(self.kind), class_prefix=class_prefix,
            area_prefix=self.area_prefix, urgency=Urgency(self.urgency) if self.urgency else None, window=window,
        )


def _normal_area(value: str) -> str:
    """A legacy 14-digit grid code widened to 15, as case grid codes are; invalid input is left to the validator."""
    try:
        return codes.parse_area_code(value)[1] if value.strip() else ""
    except codes.CodeError:
        return value


def _attname(name: str) -> str:
    return name if name == "party" else f"{name}_id"


class ClassDispatchSetting(models.Model):
    """Whether cases of one class go out without waiting for a 派遣员 (auto-dispatch, switched on per class)."""

    klass = models.OneToOneField(
        "catalog.CatalogClass", models.CASCADE, related_name="dispatch_setting", verbose_name=_("class")
    )
    auto_dispatch = models.BooleanField(
        _("auto-dispatch"), default=False,
        help_text=_("Dispatch cases of this class to the suggested target at once; the dispatcher may still re-route."),
    )

    class Meta:
        verbose_name = _("class dispatch setting")
        verbose_name_plural = _("class dispatch settings")
        ordering = ["klass__kind", "klass__code"]

    def __str__(self) -> str:
        return str(self.klass)
