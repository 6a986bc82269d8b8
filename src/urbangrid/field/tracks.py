"""Patrol tracks: positions a collector's phone records on duty, uploaded in batches, read per day."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext_noop

from urbangrid.accounts.models import Appointment, User
from urbangrid.cases.errors import InvalidInput
from urbangrid.core.posts import Post
from urbangrid.field.models import TrackPoint

MAX_BATCH = 500
MAX_AGE = timedelta(days=7)  # a phone offline for longer than a week sends nothing older


def upload(user: User, points: list) -> int:
    """Store a batch of [epoch milliseconds, lon, lat, accuracy]; returns how many were new."""
    if not isinstance(points, list) or len(points) > MAX_BATCH:
        raise InvalidInput(gettext_noop("A batch has at most {limit} positions."), "points", limit=MAX_BATCH)
    now = timezone.now()
    rows = [_point(user, item, now) for item in points]
    rows = [row for row in rows if row is not None]
    before = TrackPoint.objects.filter(user=user).count()
    TrackPoint.objects.bulk_create(rows, ignore_conflicts=True)  # a batch sent again adds nothing
    return TrackPoint.objects.filter(user=user).count() - before


def _point(user: User, item, now: datetime) -> TrackPoint | None:
    try:
        millis, lon, lat, *rest = item
        at = datetime.fromtimestamp(float(millis) / 1000, tz=UTC)
        lon, lat = float(lon), float(lat)
        accuracy = float(rest[0]) if rest and rest[0] is not None else None
    except (TypeError, ValueError, OverflowError, OSError):
        raise InvalidInput(gettext_noop("A position is [time in ms, lon, lat, accuracy]."), "points") from None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90) or at > now + timedelta(minutes=5) or at < now - MAX_AGE:
        return None
    return TrackPoint(user=user, at=at, lon=lon, lat=lat, accuracy_m=accuracy)


def of_day(user_id: int, day) -> list[dict]:
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    points = TrackPoint.objects.filter(user_id=user_id, at__gte=start, at__lt=start + timedelta(days=1))
    return [{"at": timezone.localtime(p.at).strftime("%H:%M:%S"), "lon": p.lon, "lat": p.lat,
             "accuracy_m": p.accuracy_m} for p in points.order_by("at")]


def collectors() -> list[dict]:
    """Everyone holding an active collector post, with their company or centre, by name."""
    held = Appointment.objects.filter(post=Post.COLLECTOR, active=True).select_related("user", "organisation")
    found = {a.user_id: {"id": a.user_id, "name": str(a.user), "organisation": a.organisation.name} for a in held}
    return sorted(found.values(), key=lambda c: c["name"])
