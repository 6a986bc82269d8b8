"""Load the shipped GB/T 47678.5-2026 catalogue, its default 立案条件 and the legacy codes.

Every installation gets the catalogue with its database. The loader runs on the historical models of this
point in the migration history and sets only the fields they have, so later model changes do not break it.
"""

from django.db import migrations


def load_shipped_catalogue(apps, schema_editor):
    from urbangrid.catalog import loading  # here, not at the top: only this function needs it

    report = loading.load_catalog(
        loading.CATALOG_FILE, loading.CONDITIONS_FILE, loading.LEGACY_FILE,
        defaults_csv=loading.DEFAULTS_FILE, models=loading.CatalogModels.historical(apps),
    )
    if report.errors:
        raise RuntimeError("The shipped catalogue files are invalid:\n" + "\n".join(map(str, report.errors)))


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0001_initial"),
    ]

    operations = [
        # Reversing keeps the rows: components may refer to the classes, and 0001 drops the tables anyway.
        migrations.RunPython(load_shipped_catalogue, migrations.RunPython.noop),
    ]
