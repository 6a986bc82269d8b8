"""The history of collectors' responsibility grids: every change of CollectorProfile.grids writes it, in the
same transaction, effective from the next city day (Mon 2026-11-30 09:00 here: the change counts from Tue)."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.test import Client

from tests.cases.helpers import person
from tests.factories import certified_collector
from urbangrid.accounts.models import GridSpell

pytestmark = pytest.mark.django_db
MON, TUE, WED = dt.date(2026, 11, 30), dt.date(2026, 12, 1), dt.date(2026, 12, 2)
G1, G2, G3, G4 = (f"41010500100100{n}" for n in range(1, 5))


def spells(who) -> list[tuple]:
    return list(GridSpell.objects.filter(user_id=getattr(who, "user_id", who.pk)).order_by("grid_code", "id")
                .values_list("grid_code", "began", "ended"))


@pytest.fixture
def ma(cast):
    return certified_collector(person("ma", "监督员马"), dt.date(2030, 12, 31))


def test_the_cast_holds_its_grids_since_before_the_history(cast):
    assert spells(cast.li) == [(G1, None, None), (G2, None, None), (G3, None, None), (G4, None, None)]


def test_a_change_counts_from_the_next_city_day(cast, ma, now):
    areas = cast.areas
    ma.grids.add(areas["grid1"], areas["grid2"])
    cast.li.collector.grids.remove(areas["grid1"])
    assert spells(ma) == [(G1, TUE, None), (G2, TUE, None)]
    assert spells(cast.li)[0] == (G1, None, TUE)
    now.move(days=1)  # Tuesday: set() is a remove and an add
    ma.grids.set([areas["grid2"], areas["grid3"]])
    assert spells(ma) == [(G1, TUE, WED), (G2, TUE, None), (G3, WED, None)]
    now.move(days=1)
    ma.grids.clear()
    assert spells(ma) == [(G1, TUE, WED), (G2, TUE, dt.date(2026, 12, 3)), (G3, WED, dt.date(2026, 12, 3))]


def test_a_grid_given_and_taken_back_the_same_day_leaves_an_empty_spell(cast, ma):
    ma.grids.add(cast.areas["grid1"])
    ma.grids.remove(cast.areas["grid1"])
    assert spells(ma) == [(G1, TUE, TUE)]  # began ≤ day < ended: no day
    ma.grids.add(cast.areas["grid1"])
    assert spells(ma) == [(G1, TUE, TUE), (G1, TUE, None)]


def test_changes_from_the_grid_side_are_kept_too(cast, ma):
    cast.areas["grid4"].collectors.add(ma)
    cast.areas["grid4"].collectors.remove(cast.li.collector)
    assert spells(ma) == [(G4, TUE, None)]
    assert spells(cast.li)[-1] == (G4, None, TUE)
    cast.areas["grid4"].collectors.clear()
    assert spells(ma) == [(G4, TUE, TUE)]


def test_a_deleted_profile_or_user_holds_nothing_from_tomorrow_and_the_history_stays(cast, ma):
    ma.grids.add(cast.areas["grid1"])
    user = ma.user
    ma.delete()
    assert spells(user) == [(G1, TUE, TUE)]
    li = cast.li.pk
    cast.li.delete()
    assert GridSpell.objects.filter(user_id=li, ended=TUE).count() == 4


def test_the_admin_form_writes_the_history_and_shows_it(cast, ma, settings):
    admin = person("root", "管理员")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    url = f"/admin/accounts/collectorprofile/{ma.pk}/change/"
    form = {"user": ma.user_id, "certificate_no": ma.certificate_no, "certificate_expires": "2030-12-31",
            "grids": f"{cast.areas['grid2'].pk},{cast.areas['grid3'].pk}"}
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert spells(ma) == [(G2, TUE, None), (G3, TUE, None)]
    page = client.get(url).content.decode()
    assert f"{G2} 2026-12-01 – …" in page
    assert client.get("/admin/accounts/gridspell/").status_code == 200
    li_page = client.get(f"/admin/accounts/user/{cast.li.pk}/change/")  # the profile inline shows it too
    assert li_page.status_code == 200 and f"{G1} … – …" in li_page.content.decode()


def test_the_migration_opens_a_spell_for_every_grid_held(cast, ma):
    ma.grids.add(cast.areas["grid1"])
    GridSpell.objects.all().delete()
    migration = importlib.import_module("urbangrid.accounts.migrations.0005_grid_spells")
    migration.open_spells(apps, None)
    assert spells(cast.li) == [(G1, None, None), (G2, None, None), (G3, None, None), (G4, None, None)]
    assert spells(ma) == [(G1, None, None)]


def test_a_grid_given_again_while_its_spell_is_open_goes_on(cast):
    """A through row dropped without a signal (a deleted grid's rows go with it) and the grid given again."""
    li = cast.li.collector
    li.grids.through.objects.filter(collectorprofile=li, area=cast.areas["grid1"]).delete()
    li.grids.add(cast.areas["grid1"])
    assert spells(cast.li)[0] == (G1, None, None) and len(spells(cast.li)) == 4
