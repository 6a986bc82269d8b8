"""Data versions: a cheap way for each process to notice that reference data changed in the database."""

from django.db import transaction
from django.db.models import F

from urbangrid.grid.models import DataVersion


def bump(name: str) -> None:
    with transaction.atomic():
        updated = DataVersion.objects.filter(name=name).update(version=F("version") + 1)
        if not updated:
            DataVersion.objects.get_or_create(name=name, defaults={"version": 1})


def current(name: str) -> int:
    return DataVersion.objects.filter(name=name).values_list("version", flat=True).first() or 0
