from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from urbangrid.components.models import Component
from urbangrid.components.nearest import DATA_VERSION
from urbangrid.grid.versions import bump


@receiver([post_save, post_delete], sender=Component)
def component_changed(**kwargs) -> None:
    # Bulk imports do not send signals; importing.py bumps the version once itself.
    bump(DATA_VERSION)
