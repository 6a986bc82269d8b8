"""The catalogue every installation has after `migrate`: the shipped files, loaded by migration 0002."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.db.models import Count

from urbangrid.catalog.models import KINDS, PARTIES, UNITS, URGENCIES, CatalogClass, FilingCondition, LegacyCode

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_the_national_catalogue_is_there_after_migrations():
    counts = dict(CatalogClass.objects.values_list("kind").annotate(n=Count("id")))
    assert counts == {"component": 153, "matter": 250}
    assert not CatalogClass.objects.filter(is_local_extension=True).exists()
    assert CatalogClass.objects.get(kind="component", code="01001").name == "供水井盖"
    assert CatalogClass.objects.get(kind="matter", code="10002").name == "架空线缆脱落"


def test_every_matter_has_one_to_three_filing_conditions():
    per_matter = CatalogClass.objects.filter(kind="matter").annotate(n=Count("conditions"))
    assert {m.code: m.n for m in per_matter if not 1 <= m.n <= 3} == {}
    assert not FilingCondition.objects.filter(matter__kind="component").exists()


def test_every_condition_has_a_valid_unit_urgency_party_and_a_positive_limit():
    conditions = list(FilingCondition.objects.all())
    assert len(conditions) >= 250
    assert {c.limit_unit for c in conditions} <= set(UNITS)
    assert {c.urgency for c in conditions} <= set(URGENCIES)
    assert {c.responsible_party for c in conditions} <= set(PARTIES)
    assert all(c.limit_value > 0 and c.description and c.closing_condition for c in conditions)


def test_every_class_has_a_valid_first_responsible_party():
    assert set(CatalogClass.objects.values_list("default_party", flat=True)) <= set(PARTIES)
    assert set(CatalogClass.objects.values_list("kind", flat=True)) == set(KINDS)


def test_the_manhole_example_follows_the_published_table():
    rows = FilingCondition.objects.filter(matter__code="01014").order_by("seq")  # 园林井盖, as in 运城's table
    assert [(c.limit_value, c.limit_unit, c.urgency) for c in rows] == [
        (2, "urgent_hours", "urgent"), (4, "work_hours", "normal"), (2, "work_days", "normal")
    ]


def test_components_go_to_the_owner_side_and_events_to_the_territory_first():
    parties = dict(CatalogClass.objects.filter(kind="matter").values_list("code", "default_party"))
    assert parties["01037"] == "maintainer"  # 路灯
    assert parties["01023"] == "territory"  # 不明井盖: nobody to go to but the street
    assert parties["06010"] == "territory"  # 暴露垃圾
    assert parties["07003"] == "competent"  # 违规户外广告: the advertising authority's
    assert parties["08003"] == "competent"  # 无证掘路: a permit matter


def test_legacy_codes_are_shipped_with_notes_where_nothing_fits():
    assert LegacyCode.objects.filter(scheme="CJ/T 214-2007", kind="component").count() == 80
    unmapped = LegacyCode.objects.filter(maps_to__isnull=True)
    assert "群发性事件" in {row.name for row in unmapped}
    assert all(row.note for row in unmapped)


def test_the_shipped_conditions_are_what_the_generator_writes():
    tool = ROOT / "tools" / "make_filing_conditions.py"
    result = subprocess.run([sys.executable, str(tool), "--check"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
