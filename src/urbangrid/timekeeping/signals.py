from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from urbangrid.grid.versions import bump
from urbangrid.timekeeping.calendars import DATA_VERSION
from urbangrid.timekeeping.models import CalendarDay, ImportedYear, StepLimit, WorkCalendar


@receiver([post_save, post_delete], sender=WorkCalendar)
@receiver([post_save, post_delete], sender=CalendarDay)
@receiver([post_save, post_delete], sender=ImportedYear)
@receiver([post_save, post_delete], sender=StepLimit)
def calendar_data_changed(**kwargs) -> None:
    # Bulk writes send no signals; importing.py bumps the version once itself.
    bump(DATA_VERSION)
