"""Bump the dispatch directory's data version on every change it depends on (see directory.py)."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from urbangrid.accounts.models import Organisation
from urbangrid.catalog.loading import catalog_loaded
from urbangrid.catalog.models import CatalogClass
from urbangrid.dispatch.directory import DATA_VERSION
from urbangrid.dispatch.models import ClassDispatchSetting, DispatchRule
from urbangrid.grid.versions import bump


def changed(**kwargs) -> None:
    if kwargs.get("raw"):  # fixtures being loaded: the version table may not be there yet
        return
    bump(DATA_VERSION)


def connect() -> None:
    for model in (Organisation, DispatchRule, ClassDispatchSetting, CatalogClass):
        post_save.connect(changed, sender=model, dispatch_uid=f"dispatch.directory.save.{model.__name__}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"dispatch.directory.delete.{model.__name__}")
    for through in (Organisation.territory.through, Organisation.responsibilities.through):
        m2m_changed.connect(changed, sender=through, dispatch_uid=f"dispatch.directory.m2m.{through.__name__}")
    catalog_loaded.connect(changed, dispatch_uid="dispatch.directory.catalog_loaded")
