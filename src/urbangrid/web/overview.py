"""Counts shown on the home page: how much of the city is modelled."""

from django.db.models import Count

from urbangrid.accounts.models import Organisation
from urbangrid.catalog.models import CatalogClass
from urbangrid.components.models import Component
from urbangrid.grid.models import Area


def city_overview() -> dict:
    areas = dict(Area.objects.current().values_list("level").annotate(n=Count("id")))
    return {
        "districts": areas.get("district", 0),
        "streets": areas.get("street", 0),
        "communities": areas.get("community", 0),
        "grids": areas.get("grid", 0),
        "organisations": Organisation.objects.count(),
        "classes": CatalogClass.objects.filter(active=True).count(),
        "components": Component.objects.count(),
    }
