"""Checking a report before it becomes a case (信息收集): who reports, where, what, and is it already known.

- Collectors report what they see on patrol, but only with a valid training certificate (art. 16); they may
  fix a minor problem on the spot and report it as self-handled (自处置, art. 17).
- Intake operators (受理员) enter hotline, public and other reports on a citizen's behalf; the system
  channel (video, sensors) is theirs or a system administrator's.
- The point must lie in a unit grid; the grid code is what every later step and query keys on.
- Probable duplicates are flagged, never merged here: reports of the same class within a distance and time
  window (and of the same component, when one is named). The intake operator decides (cases.actions).
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop

from urbangrid import db
from urbangrid.accounts import roster
from urbangrid.accounts.models import User
from urbangrid.cases.errors import InvalidInput, NotAllowed
from urbangrid.cases.labels import KIND_LABELS, SOURCE_LABELS
from urbangrid.catalog.models import CatalogClass
from urbangrid.components.models import Component
from urbangrid.core import codes, workflow
from urbangrid.core.limits import Urgency
from urbangrid.core.posts import Post
from urbangrid.dispatch import directory
from urbangrid.grid.locating import PointError, locate

DUPLICATE_DISTANCE_M = 50.0
DUPLICATE_WINDOW_HOURS = 72
SOURCE_POSTS = {
    "collector": (Post.COLLECTOR,),
    "hotline": (Post.INTAKE_OPERATOR,),
    "public": (Post.INTAKE_OPERATOR, Post.REPORTING_SYSTEM),
    "other": (Post.INTAKE_OPERATOR, Post.REPORTING_SYSTEM),
    "system": (Post.INTAKE_OPERATOR, Post.SYSTEM_ADMIN, Post.REPORTING_SYSTEM),
}
EARTH_RADIUS_M = 6_371_008.8
SUSPENDED = gettext_noop(
    "The supervision centre has suspended your reporting ({reason}). What you reported before is kept; ask "
    "the supervision centre when you may report again."
)
SUSPENDED_COMPANY = gettext_noop(
    "The supervision centre has suspended your collection company's work ({reason}). What you reported before "
    "is kept; ask your company or the supervision centre."
)
TERMINAL = sorted(str(state) for state in workflow.TERMINAL)
# Raw SQL: intake is the hot path, and the ORM spent longer composing this query than the database running it.
# The (klass, reported_at) index finds the class's reports of the window; the box cuts them to the neighbourhood.
NEARBY_SQL = (
    "SELECT id, lon, lat FROM cases_case WHERE klass_id = %s AND reported_at >= %s AND lat BETWEEN %s AND %s "
    "AND lon BETWEEN %s AND %s AND duplicate_of_id IS NULL AND NOT self_handled "
    f"AND state NOT IN ({', '.join(['%s'] * len(TERMINAL))})"
)
NEARBY_SQL_OF_COMPONENT = NEARBY_SQL + " AND component_id = %s"
NEARBY_SQL += " ORDER BY reported_at, id"
NEARBY_SQL_OF_COMPONENT += " ORDER BY reported_at, id"


@dataclass
class Intake:
    """A checked report, ready to be written by cases.actions.report."""

    source: str
    kind: str
    description: str
    address: str
    lon: float
    lat: float
    grid_code: str
    klass: CatalogClass | None
    component: Component | None
    urgency: str
    reporter: User
    reporter_name: str
    reporter_phone: str
    self_handled: bool
    non_routine: bool
    post: Post
    organisation_id: int


def check(actor: User, fields: dict) -> Intake:
    source = _choice(fields.get("source") or _default_source(actor), SOURCE_LABELS, "source")
    post, organisation_id = _reporting_post(actor, source)
    component = _component(fields.get("component"))
    kind = "component" if component else _choice(fields.get("kind"), KIND_LABELS, "kind")
    lon, lat, grid_code = _place(fields.get("lon"), fields.get("lat"), fields.get("crs") or "wgs84")
    self_handled = bool(fields.get("self_handled"))
    if self_handled and source != "collector":
        message = gettext_noop("Only a collector on site reports a problem as handled on the spot.")
        raise InvalidInput(message, "self_handled")
    return Intake(
        source=source, kind=kind, description=_text(fields, "description", 2000, required=True),
        address=_text(fields, "address", 200), lon=lon, lat=lat, grid_code=grid_code,
        klass=component.klass if component else _class(kind, fields.get("class_code")), component=component,
        urgency=_choice(fields.get("urgency") or Urgency.NORMAL, {str(u): u for u in Urgency}, "urgency"),
        reporter=actor, reporter_name=_text(fields, "reporter_name", 50),
        reporter_phone=_text(fields, "reporter_phone", 30), self_handled=self_handled,
        non_routine=bool(fields.get("non_routine")), post=post, organisation_id=organisation_id,
    )


def idempotency_key(actor: User, key: str | None) -> str | None:
    """Keys are the client's; scoping them to the user keeps one client's key from finding another's case."""
    key = (key or "").strip()
    if not key:
        return None
    if len(key) > 100:
        message = gettext_noop("An idempotency key has at most {limit} characters.")
        raise InvalidInput(message, "idempotency_key", limit=100)
    return f"{actor.pk}:{key}"


def probable_duplicate(intake: Intake, at: datetime) -> int | None:
    """The id of the earliest open case of the same class close by in space and time, or None."""
    if intake.klass is None or intake.self_handled:
        return None
    distance = getattr(settings, "CASES_DUPLICATE_DISTANCE_M", DUPLICATE_DISTANCE_M)
    window = timedelta(hours=getattr(settings, "CASES_DUPLICATE_WINDOW_HOURS", DUPLICATE_WINDOW_HOURS))
    dlat = math.degrees(distance / EARTH_RADIUS_M)
    dlon = dlat / max(math.cos(math.radians(intake.lat)), 0.01)
    nearby = db.select(
        NEARBY_SQL if intake.component is None else NEARBY_SQL_OF_COMPONENT,
        [intake.klass.pk, db.stamp(at - window), intake.lat - dlat, intake.lat + dlat, intake.lon - dlon,
         intake.lon + dlon, *TERMINAL, *([intake.component.pk] if intake.component is not None else [])],
    )
    for pk, lon, lat in nearby:
        if metres(lon, lat, intake.lon, intake.lat) <= distance:
            return pk
    return None


def metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance; at 50 m the error against the projected distance is far below a GPS fix's."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def _default_source(actor: User) -> str:
    return "collector" if Post.COLLECTOR in _posts_held(actor) else "hotline"


def _posts_held(actor: User) -> dict[Post, int]:
    """Post → organisation id; of two appointments to one post, the earlier one."""
    if not (actor and actor.is_authenticated and actor.is_active):
        return {}
    held: dict[Post, int] = {}
    for post, organisation_id in roster.get().posts.get(actor.pk, ()):
        held.setdefault(Post(post), organisation_id)
    return held


def _reporting_post(actor: User, source: str) -> tuple[Post, int]:
    held = _posts_held(actor)
    for post in SOURCE_POSTS[source]:
        if post not in held:
            continue
        if post == Post.COLLECTOR:
            _may_collect(actor)
        return post, held[post]
    raise NotAllowed(gettext_noop("You hold no post that may enter {source} reports."), source=source)


def _may_collect(actor: User) -> None:
    """Refuse a collector who is suspended (alone or with their company) or not certified, saying which."""
    suspension = roster.get().suspension(actor.pk)
    if suspension is not None:
        whom, reason = suspension
        message = SUSPENDED_COMPANY if whom == "company" else SUSPENDED
        raise NotAllowed(message, reason=reason)
    certificate = roster.get().certificates.get(actor.pk)
    if certificate is None or not (certificate.number and certificate.expires):
        raise NotAllowed(gettext_noop(
            "You have no collector training certificate: only trained collectors may report (regulation "
            "art. 16). Ask the supervision centre to register yours."
        ))
    if not certificate.valid_on(timezone.localdate()):
        raise NotAllowed(gettext_noop(
            "Your collector training certificate expired on {date}: only trained collectors may report "
            "(regulation art. 16). Ask the supervision centre to renew it."
        ), date=certificate.expires.isoformat())


def _place(lon, lat, crs: str) -> tuple[float, float, str]:
    if lon is None or lat is None:
        message = gettext_noop("A report needs the point where the problem is (lon, lat).")
        raise InvalidInput(message, "lat" if lon is not None else "lon")
    try:
        found = locate(float(lon), float(lat), str(crs).strip().lower())
    except PointError as error:
        raise InvalidInput(error.message, error.field) from error
    except (TypeError, ValueError):
        raise InvalidInput(gettext_noop("The point must be two numbers, lon and lat."), "lon") from None
    if found["outside"]:
        raise InvalidInput(found["message"], "lon")
    return found["wgs84"]["lon"], found["wgs84"]["lat"], found["grid"]["code"]


def _component(identifier) -> Component | None:
    if not identifier:
        return None
    code = codes.parse_component_id(identifier, "component").code
    found = Component.objects.select_related("klass").filter(identifier=code).exclude(status="removed").first()
    if found is None:
        raise InvalidInput(gettext_noop("No component has the identifier {code}."), "component", code=code)
    return found


def _class(kind: str, code) -> CatalogClass | None:
    if not code:
        return None
    code = codes.parse_class_code(code, "class_code")
    found = directory.get().classes.get((kind, code))
    if found is None or not found.active:
        message = gettext_noop("No active {kind} class {code} in the catalogue.")
        raise InvalidInput(message, "class_code", kind=kind, code=code)
    return found


def _choice(value, choices: dict, name: str) -> str:
    if value is None or value == "":
        raise InvalidInput(gettext_noop("This field is required."), name)
    if str(value) not in choices:
        listed = ", ".join(str(key) for key in choices)
        raise InvalidInput(gettext_noop("{value} is not one of: {choices}."), name, value=value, choices=listed)
    return str(value)


def _text(fields: dict, name: str, limit: int, required: bool = False) -> str:
    value = str(fields.get(name) or "").strip()
    if required and not value:
        raise InvalidInput(gettext_noop("This field is required."), name)
    if len(value) > limit:
        raise InvalidInput(gettext_noop("At most {limit} characters."), name, limit=limit)
    return value
