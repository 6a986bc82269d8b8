"""Who holds which post where, and whose collector certificate runs until when, held in memory per process.

Intake asks it for every report (a phone's retried queue can send hundreds a minute); the appointments and
certificates change a few times a day, through the admin. Rebuilt when the data version "people" moves:
signals.py bumps it on every change of an appointment, a collector profile or an organisation.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from urbangrid.accounts.models import Appointment, CollectorProfile, Suspension
from urbangrid.grid.versions import Versioned

DATA_VERSION = "people"


@dataclass(frozen=True)
class Certificate:
    number: str
    expires: date | None

    def valid_on(self, day: date) -> bool:
        # The same test as CollectorProfile.is_certified, on the cached fields.
        return bool(self.number and self.expires and self.expires >= day)


@dataclass(frozen=True)
class Roster:
    posts: dict[int, tuple[tuple[str, int], ...]]  # user id → (post, organisation id) of active appointments
    certificates: dict[int, Certificate]
    suspended_collectors: dict[int, str] = field(default_factory=dict)  # user id → reason
    suspended_companies: dict[int, str] = field(default_factory=dict)  # organisation id → reason

    def suspension(self, user_id: int) -> tuple[str, str] | None:
        """("collector" or "company", reason) when the user may not collect now, else None."""
        if user_id in self.suspended_collectors:
            return "collector", self.suspended_collectors[user_id]
        for post, organisation_id in self.posts.get(user_id, ()):
            if post == "collector" and organisation_id in self.suspended_companies:
                return "company", self.suspended_companies[organisation_id]
        return None


def build() -> Roster:
    posts = defaultdict(list)
    held = Appointment.objects.filter(active=True, organisation__active=True).order_by("id")
    for user_id, post, organisation_id in held.values_list("user_id", "post", "organisation_id"):
        posts[user_id].append((post, organisation_id))
    certificates = {
        user_id: Certificate(number, expires)
        for user_id, number, expires in CollectorProfile.objects.values_list(
            "user_id", "certificate_no", "certificate_expires"
        )
    }
    current = Suspension.objects.filter(lifted_at=None).order_by("since")
    return Roster(
        {user: tuple(found) for user, found in posts.items()}, certificates,
        {u: reason for u, reason in current.exclude(collector=None).values_list("collector_id", "reason")},
        {c: reason for c, reason in current.exclude(company=None).values_list("company_id", "reason")},
    )


_roster = Versioned(DATA_VERSION, build)


def get() -> Roster:
    return _roster.get()
