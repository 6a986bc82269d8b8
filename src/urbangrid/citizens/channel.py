"""The citizens' web channel reports as one user of its own, as an Open311 client does (open311/keys.py).

A citizen has no account: the reports of /public/ are entered by the user `public-web`, which holds the
reporting-system post in the supervision centre (it enters reports and reads only its own), never signs in (no
usable password) and is made on first use. So intake
checks, idempotency keys and the events' actor work as for every other reporter; the citizen's own phone is the
reporter_phone of the case, visible only to the centres (cases.queries).
"""

from django.db import transaction

from urbangrid.accounts.models import Appointment, Organisation, User
from urbangrid.core.posts import Post

USERNAME = "public-web"
POST = Post.REPORTING_SYSTEM  # enters "public" reports (intake.SOURCE_POSTS); acts on no case


class NoCentre(Exception):
    """No active supervision centre to take public reports in."""


@transaction.atomic
def reporter() -> User:
    user = User.objects.filter(username=USERNAME).first()
    if user is None:
        user = User(username=USERNAME, display_name="市民网上举报")
        user.set_unusable_password()
        user.save()
    if not Appointment.objects.filter(user=user, active=True, organisation__active=True).exists():
        centre = Organisation.objects.filter(kind="supervision_centre", active=True).order_by("id").first()
        if centre is None:
            raise NoCentre()
        Appointment.objects.update_or_create(user=user, post=POST, organisation=centre, defaults={"active": True})
    return user
