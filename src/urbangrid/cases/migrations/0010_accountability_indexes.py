"""Accountability's idle cases of a past period (evaluation.accountability._idle): the cases finished after the
period's end but reported before a day. Closed ones through case_closed_on_time, which gains reported_at (read
from the index alone); rejected and voided ones through a partial index of only those rows, which no other
case's move touches."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_follow_up_index")]

    operations = [
        migrations.RemoveIndex(model_name="case", name="case_closed_on_time"),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["state", "closed_at", "due_at", "grid_code", "reported_at"],
                               name="case_closed_on_time"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(condition=models.Q(("state__in", ["rejected", "voided"])),
                               fields=["state", "state_since", "reported_at"], name="case_ended_unopened"),
        ),
    ]
