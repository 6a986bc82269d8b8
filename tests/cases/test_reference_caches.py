"""Intake keeps reference data in memory (dispatch directory, roster, data-version snapshot); every change an
administrator makes reaches the very next report, and another process's change within a second."""

import datetime as dt

import pytest

from tests.cases.helpers import Api, ok
from urbangrid.accounts.models import Appointment
from urbangrid.catalog.models import CatalogClass
from urbangrid.dispatch.models import DispatchRule
from urbangrid.grid import versions
from urbangrid.grid.models import DataVersion

pytestmark = pytest.mark.django_db


def suggested(cast, **body) -> dict | None:
    return ok(Api(cast.li).report(class_code="06001", **body), 201)["timeline"][0]["data"]["suggestion"]


def test_a_new_rule_an_edited_rule_and_a_deactivated_one_reach_the_next_report(cast):
    before = suggested(cast)
    rule = DispatchRule.objects.create(name="违建归园林", class_codes="06001", department=cast.yuanlin)
    assert suggested(cast)["target"] == {"kind": "department", "id": str(cast.yuanlin.pk)}
    rule.department = cast.shizheng
    rule.save()
    assert suggested(cast)["target"]["id"] == str(cast.shizheng.pk)
    rule.active = False
    rule.save()
    assert suggested(cast) == before


def test_a_department_given_a_duty_or_a_territory_is_a_party_at_once(cast, small_city):
    klass = CatalogClass.objects.get(kind="matter", code="06001")
    klass.default_party = "competent"
    klass.save()
    cast.yuanlin.party_type = "competent"
    cast.yuanlin.save()
    cast.yuanlin.territory.clear()
    cast.yuanlin.responsibilities.add(klass)  # city-wide: serves every grid
    assert suggested(cast)["target"]["id"] == str(cast.yuanlin.pk)
    cast.yuanlin.territory.set([small_city["grid4"]])  # now serves another grid only
    assert suggested(cast)["target"]["id"] != str(cast.yuanlin.pk)
    cast.yuanlin.territory.set([small_city["district"]])
    cast.yuanlin.active = False
    cast.yuanlin.save()
    assert suggested(cast)["target"]["id"] != str(cast.yuanlin.pk)


def test_a_deactivated_class_is_refused_at_the_next_report(cast):
    klass = CatalogClass.objects.get(kind="matter", code="06001")
    suggested(cast)
    klass.active = False
    klass.save()
    refused = Api(cast.li).report(class_code="06001")
    assert (refused.status_code, refused.json()["field"]) == (422, "class_code")


def test_a_collector_whose_post_or_certificate_ends_cannot_report_the_next_minute(cast):
    suggested(cast)
    profile = cast.li.collector
    profile.certificate_expires = dt.date(2020, 1, 1)
    profile.save()
    assert Api(cast.li).report(class_code="06001").status_code == 403
    profile.certificate_expires = dt.date(2030, 1, 1)
    profile.save()
    suggested(cast)
    Appointment.objects.filter(user=cast.li).get().delete()
    assert Api(cast.li).report(class_code="06001").status_code == 403


def test_another_processs_change_is_seen_once_the_snapshot_is_a_second_old(cast, monkeypatch):
    suggested(cast)
    rule = DispatchRule.objects.create(name="违建归园林", class_codes="06001", department=cast.yuanlin)
    suggested(cast)  # the snapshot now holds the rule's version
    # Another process edits the rule: the row changes and the version moves, but this process's bump() never ran.
    DispatchRule.objects.filter(pk=rule.pk).update(department=cast.shizheng)
    DataVersion.objects.filter(name="dispatch").update(version=DataVersion.objects.get(name="dispatch").version + 1)
    assert suggested(cast)["target"]["id"] == str(cast.yuanlin.pk)  # within the second: the cached directory
    monkeypatch.setattr(versions, "SNAPSHOT_SECONDS", 0.0)
    assert suggested(cast)["target"]["id"] == str(cast.shizheng.pk)
