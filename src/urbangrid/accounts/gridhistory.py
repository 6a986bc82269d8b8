"""The history of collectors' responsibility grids (GridSpell), kept from the changes of CollectorProfile.grids.

Every way the grids change goes through the many-to-many field (the admin, the API, importers, the demo):
its m2m_changed signal comes inside the change's transaction, and so does the spell written here. A change
made today takes effect for evaluation tomorrow (the city's next day): a grid added opens a spell from
tomorrow, one removed closes its open spell at tomorrow, so the day is counted whole for whoever held the
grid when it began, and a count written during the day equals what a recount finds later. A grid added and
removed the same day leaves an empty spell. (Who may verify or check in a grid, and the field app's patrol
view, follow the field itself: today's grids, at once.)

A city's first setup (the demo, the data migration) records the grids as held since before the history
began: `held_since_before()`.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta

from django.db.models.signals import m2m_changed, post_delete
from django.utils import timezone

from urbangrid.accounts.models import CollectorProfile, GridSpell

_SINCE_BEFORE: ContextVar[bool] = ContextVar("grid_history_since_before", default=False)


def now() -> datetime:
    """The clock of the history; tests move it with the case clock."""
    return timezone.now()


def tomorrow() -> date:
    """The first day a change made now counts for: the city's next day."""
    return timezone.localdate(now()) + timedelta(days=1)


@contextmanager
def held_since_before():
    """Grids given inside this block are recorded as held since before the history was kept (began None): a
    city's first setup, whose assignments are as old as anything it counts."""
    token = _SINCE_BEFORE.set(True)
    try:
        yield
    finally:
        _SINCE_BEFORE.reset(token)


def began(user_id: int, codes: list[str]) -> None:
    day = None if _SINCE_BEFORE.get() else tomorrow()
    # A spell still open goes on (its row was dropped without a signal, e.g. with a deleted grid, and given
    # again): two open spells would count the collector twice.
    going_on = set(GridSpell.objects.filter(user_id=user_id, grid_code__in=codes, ended__isnull=True)
                   .values_list("grid_code", flat=True))
    GridSpell.objects.bulk_create(GridSpell(user_id=user_id, grid_code=code, began=day)
                                  for code in sorted(set(codes) - going_on))


def ended(user_id: int, codes: list[str] | None = None) -> None:
    """Close the open spells of these grids (all the user's with None) at tomorrow; a spell that begins
    tomorrow (given today) is left empty."""
    spells = GridSpell.objects.filter(user_id=user_id, ended__isnull=True)
    if codes is not None:
        spells = spells.filter(grid_code__in=codes)
    spells.update(ended=tomorrow())


def grids_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """m2m_changed of CollectorProfile.grids, from either side (profile.grids or area.collectors)."""
    from urbangrid.grid.models import Area

    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if reverse:  # area.collectors.add(profile, …): one grid, several profiles
        code = instance.code
        users = CollectorProfile.objects.filter(pk__in=pk_set).values_list("user_id", flat=True) if pk_set else []
        if action == "pre_clear":
            users = instance.collectors.values_list("user_id", flat=True)
        for user_id in users:
            (began if action == "post_add" else ended)(user_id, [code])
        return
    if action == "pre_clear":
        ended(instance.user_id)
        return
    codes = list(Area.objects.filter(pk__in=pk_set).values_list("code", flat=True))
    if codes:
        (began if action == "post_add" else ended)(instance.user_id, codes)


def profile_deleted(sender, instance, **kwargs) -> None:
    """A deleted profile (or user: the profile goes with it) holds no grid from tomorrow; the history stays."""
    ended(instance.user_id)


def connect() -> None:
    m2m_changed.connect(grids_changed, sender=CollectorProfile.grids.through, dispatch_uid="accounts.gridhistory")
    post_delete.connect(profile_deleted, sender=CollectorProfile, dispatch_uid="accounts.gridhistory.deleted")
