"""Clients made before the reporting-system post held a city-wide intake operator's post: narrow them."""

from django.db import migrations


def narrow(apps, schema_editor):
    Client = apps.get_model("open311", "Client")
    Appointment = apps.get_model("accounts", "Appointment")
    users = Client.objects.values_list("user_id", flat=True)
    Appointment.objects.filter(user_id__in=users, post="intake_operator").update(post="reporting_system")


def widen(apps, schema_editor):
    Client = apps.get_model("open311", "Client")
    Appointment = apps.get_model("accounts", "Appointment")
    users = Client.objects.values_list("user_id", flat=True)
    Appointment.objects.filter(user_id__in=users, post="reporting_system").update(post="intake_operator")


class Migration(migrations.Migration):
    dependencies = [
        ("open311", "0001_initial"),
        ("accounts", "0003_reporting_system_post"),
    ]

    operations = [migrations.RunPython(narrow, widen)]
