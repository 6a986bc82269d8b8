"""Reserved (session 6): collectors' 上报数, 漏报 and 网格立案数 as maintained counts."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0008_region_months"), ("accounts", "0005_grid_spells")]

    operations = []
