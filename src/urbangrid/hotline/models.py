"""Calls taken at the 12319 hotline console (呼叫记录). Every call is kept and counted, whatever it became.

An enquiry (咨询) is answered on the call and ends there; a complaint (投诉) becomes a case through
cases.actions.report; a follow-up (回访) records the caller's satisfaction with a closed case. The caller's
number is personal data: hotline.retention blanks it after CASES_REPORTER_RETENTION_DAYS, as for cases.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

KIND_LABELS = {
    "enquiry": _("Enquiry"),  # 咨询
    "complaint": _("Complaint"),  # 投诉/举报
    "follow_up": _("Follow-up call"),  # 回访
}
KINDS = list(KIND_LABELS)


class Call(models.Model):
    kind = models.CharField(_("kind of call"), max_length=12)
    phone = models.CharField(_("caller's number"), max_length=30, blank=True)
    said = models.TextField(_("what the caller says"), max_length=2000)
    answer = models.TextField(_("answer given"), max_length=2000, blank=True)
    satisfied = models.BooleanField(_("satisfied"), null=True, blank=True)  # follow-ups only
    case = models.ForeignKey(
        "cases.Case", models.PROTECT, null=True, blank=True, related_name="calls", verbose_name=_("case")
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="hotline_calls", verbose_name=_("operator")
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("hotline call")
        verbose_name_plural = _("hotline calls")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=KINDS), name="call_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(kind="follow_up") | models.Q(satisfied__isnull=True),
                name="call_satisfied_of_follow_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"
