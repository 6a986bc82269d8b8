"""Reserved (session 6): the history of collectors' responsibility grids."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_collectors_suspension_and_devices")]

    operations = []
