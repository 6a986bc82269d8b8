"""A collector's one-tap safety alert (arts. 18, 35): to the 值班长 on duty and the district's police liaison.

"On duty" is read from the sign-ins: the shift leaders signed in within ON_DUTY_HOURS. When none is, every
shift leader gets it; an alert must never go nowhere. The police liaison of the district the point lies in is
notified in the inbox when the liaison has an account, and named with the phone number in every message, so
the shift leader can call.
"""

import math
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from urbangrid.accounts.models import Appointment, User
from urbangrid.cases.errors import InvalidInput
from urbangrid.core.posts import Post
from urbangrid.field.models import ALERT_KINDS, Alert, PoliceLiaison
from urbangrid.grid.locating import PointError, locate
from urbangrid.notifications.sending import notify

ON_DUTY_HOURS = 12


def raise_alert(user: User, key: str, kind: str, lon, lat) -> Alert:
    """Record the alert and notify; the same key again returns the first alert and notifies nobody twice."""
    if kind not in ALERT_KINDS:
        raise InvalidInput(gettext_noop("{value} is not one of: {choices}."), "kind", value=kind,
                           choices=", ".join(ALERT_KINDS))
    existing = Alert.objects.filter(user=user, key=key).first()
    if existing is not None:
        return existing
    lon, lat = _number(lon), _number(lat)
    if lon is None or lat is None:
        lon = lat = None
    place, district = _place(lon, lat)
    try:
        with transaction.atomic():
            alert = Alert.objects.create(user=user, key=key, kind=kind, lon=lon, lat=lat, place=place)
            liaisons = list(PoliceLiaison.objects.filter(district__code=district).select_related("user"))
            recipients = [*on_duty_shift_leaders(), *(liaison.user for liaison in liaisons)]
            title = _("Safety alert: collector %(name)s is %(kind)s") % {
                "name": user, "kind": str(ALERT_KINDS[kind]).lower()}
            body = _message(alert, liaisons)
            sent = notify(recipients, "field_alert", title, body)
            alert.notified = [n.user_id for n in sent]
            alert.save(update_fields=["notified"])
    except IntegrityError:  # the same key raced in twice
        return Alert.objects.get(user=user, key=key)
    return alert


def on_duty_shift_leaders() -> list[User]:
    held = Appointment.objects.filter(post=Post.SHIFT_LEADER, active=True, organisation__active=True,
                                      user__is_active=True).select_related("user")
    leaders = [a.user for a in held]
    since = timezone.now() - timedelta(hours=ON_DUTY_HOURS)
    recent = [u for u in leaders if u.last_login and u.last_login >= since]
    return recent or leaders


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _place(lon: float | None, lat: float | None) -> tuple[str, str]:
    if lon is None or lat is None:
        return "", ""
    try:
        found = locate(lon, lat)
    except PointError:
        return "", ""
    if found["outside"]:
        return "", ""
    names = " ".join(found[level]["name"] for level in ("district", "street", "community"))
    return f"{names} {found['grid']['code']}", found["district"]["code"]


def _message(alert: Alert, liaisons: list[PoliceLiaison]) -> str:
    lines = [_("Where: %(place)s") % {"place": alert.place or _("position unknown")}]
    if alert.lon is not None:
        lines.append(f"WGS84 {alert.lon:.6f}, {alert.lat:.6f}")
    if alert.user.phone:
        lines.append(_("Collector's phone: %(phone)s") % {"phone": alert.user.phone})
    lines += [_("Police liaison: %(name)s, %(phone)s") % {"name": p.name, "phone": p.phone} for p in liaisons]
    return "\n".join(lines)
