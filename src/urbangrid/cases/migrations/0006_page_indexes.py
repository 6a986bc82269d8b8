# Indexes for the operators' pages at a million cases (issue 4): see Case.Meta.indexes.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_closed_index")]

    operations = [
        migrations.RemoveIndex(model_name="case", name="cases_case_departm_657f0f_idx"),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["department", "state", "due_at"], name="cases_case_departm_09775e_idx"),
        ),
        migrations.RemoveIndex(model_name="case", name="cases_case_state_133c9c_idx"),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["state", "closed_at", "due_at", "grid_code"], name="case_closed_on_time"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["state", "grid_code", "lon", "lat", "due_at", "step_due_at"], name="case_open_by_grid"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["reported_at", "klass", "grid_code", "source", "lon", "lat"], name="case_reported_where"
            ),
        ),
    ]
