"""Reserved (session 6): the monthly sums per unit grid, for the street, community and grid tables."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0007_overdue_balance")]

    operations = []
