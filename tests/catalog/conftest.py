"""Helpers for catalogue tests: small CSV files next to the shipped ones, and a snapshot of the tables."""

import csv

import pytest
from django.utils import translation

from urbangrid.catalog import checking
from urbangrid.catalog.models import CatalogClass, FilingCondition, LegacyCode

# A local extension matter (no 06901 in GB/T 47678.5) with one condition: a valid row to sit beside bad ones.
LOCAL_CLASS = {"kind": "matter", "code": "06901", "large_class_code": "06", "large_class_name": "市容环境类",
               "name": "共享电单车乱停放"}
LOCAL_CONDITION = {"matter_code": "06901", "seq": "1", "description": "电单车堆放阻碍通行", "limit_value": "2",
                   "limit_unit": "work_hours", "closing_condition": "车辆清理、规整摆放", "urgency": "normal",
                   "responsible_party": "territory", "legal_basis": ""}


@pytest.fixture(autouse=True)
def english():
    # Assertions are on the English msgids; the Chinese catalogue must not change what they see.
    with translation.override("en"):
        yield


def write_csv(path, columns, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def files(tmp_path):
    """Write (catalog, conditions, legacy) files from lists of row dicts; None leaves a file out."""

    def make(classes=None, conditions=None, legacy=None):
        paths = []
        for name, columns, rows in [("catalog.csv", checking.CATALOG_COLUMNS, classes),
                                    ("conditions.csv", checking.CONDITION_COLUMNS, conditions),
                                    ("legacy.csv", checking.LEGACY_COLUMNS, legacy)]:
            paths.append(None if rows is None else write_csv(tmp_path / name, columns, rows))
        return paths

    return make


def snapshot():
    """Everything the loader may write, as plain values."""
    return (
        sorted(CatalogClass.objects.values_list("kind", "code", "name", "is_local_extension", "default_party")),
        sorted(FilingCondition.objects.values_list("matter__code", "seq", "description", "limit_value")),
        sorted(LegacyCode.objects.values_list("scheme", "kind", "code", "maps_to__code")),
    )
