"""Components name their grid by code, not by foreign key; the grids they name must not be deleted under them."""

import pytest

from tests.components.conftest import rows
from urbangrid.components.importing import import_components
from urbangrid.components.models import Component
from urbangrid.grid.actions import AreaActionError, references
from urbangrid.grid.generating import generate_grids
from urbangrid.grid.models import Area

pytestmark = pytest.mark.django_db


def test_grids_named_by_components_count_as_referenced(city):
    import_components(rows(8))
    grids = Area.objects.filter(level="grid")
    components = str(Component._meta.verbose_name_plural)
    field = Component._meta.get_field("grid_code").verbose_name
    assert [text for text in references(grids) if text.startswith(components)] == [f"{components} ({field}): 8"]
    # Components name grids, not communities: the community is referenced only by its grids.
    assert not any(text.startswith(components) for text in references(Area.objects.filter(level="community")))


def test_regenerating_grids_that_components_name_is_refused_and_changes_nothing(city):
    import_components(rows(4))
    before = sorted(Area.objects.filter(level="grid").values_list("code", flat=True))
    with pytest.raises(AreaActionError, match="referenced"):
        generate_grids(city["community"], replace=True)
    assert sorted(Area.objects.filter(level="grid").values_list("code", flat=True)) == before
