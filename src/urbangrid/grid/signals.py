from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from urbangrid.grid.models import Area
from urbangrid.grid.versions import bump


@receiver([post_save, post_delete], sender=Area)
def area_changed(**kwargs) -> None:
    bump("areas")
