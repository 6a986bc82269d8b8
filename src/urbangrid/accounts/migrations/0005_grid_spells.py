"""The history of collectors' responsibility grids (GridSpell); every grid held now becomes an open spell held
since before the history was kept (began NULL)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def open_spells(apps, schema_editor):
    profile = apps.get_model("accounts", "CollectorProfile")
    spell = apps.get_model("accounts", "GridSpell")
    held = profile.grids.through.objects.values_list("collectorprofile__user_id", "area__code").order_by("pk")
    spell.objects.bulk_create((spell(user_id=user_id, grid_code=code) for user_id, code in held.iterator()),
                              batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_collectors_suspension_and_devices")]

    operations = [
        migrations.CreateModel(
            name="GridSpell",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("grid_code", models.CharField(max_length=15, verbose_name="unit grid code")),
                ("began", models.DateField(blank=True, null=True, verbose_name="responsible from")),
                ("ended", models.DateField(blank=True, null=True, verbose_name="responsible until (not included)")),
                ("user", models.ForeignKey(db_constraint=False, db_index=False,
                                           on_delete=django.db.models.deletion.DO_NOTHING, related_name="grid_spells",
                                           to=settings.AUTH_USER_MODEL, verbose_name="collector")),
            ],
            options={
                "verbose_name": "responsibility grid spell",
                "verbose_name_plural": "responsibility grid history",
                "ordering": ["user", "grid_code", "id"],
                "indexes": [models.Index(fields=["grid_code", "user"], name="gridspell_grid"),
                            models.Index(fields=["user", "grid_code"], name="gridspell_user")],
                "constraints": [models.CheckConstraint(
                    condition=models.Q(("began__isnull", True), ("ended__isnull", True),
                                       ("ended__gte", models.F("began")), _connector="OR"),
                    name="gridspell_ends_after_it_begins")],
            },
        ),
        migrations.RunPython(open_spells, migrations.RunPython.noop),
    ]
