from django.utils.translation import gettext_lazy as _

from urbangrid.core.limits import LimitUnit, Party, Urgency

KIND_LABELS = {"component": _("Component"), "matter": _("Matter")}
UNIT_LABELS = {
    LimitUnit.URGENT_HOURS: _("urgent hours"),
    LimitUnit.WORK_HOURS: _("working hours"),
    LimitUnit.WORK_DAYS: _("working days"),
    LimitUnit.CALENDAR_DAYS: _("calendar days"),
}
URGENCY_LABELS = {Urgency.NORMAL: _("Normal"), Urgency.URGENT: _("Urgent")}
PARTY_LABELS = {
    Party.COMPETENT: _("Competent department"),
    Party.OWNER: _("Owner unit"),
    Party.MAINTAINER: _("Maintenance unit"),
    Party.TERRITORY: _("Territory (street/district)"),
}


def choices(labels: dict) -> list[tuple[str, str]]:
    return [(str(key), label) for key, label in labels.items()]
