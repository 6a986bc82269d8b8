"""Seed the default calendar 默认 (08:00–12:00, 14:00–18:00) and the limits of the centres' steps.

The limits are minutes of the working clock, within the ranges found in practice (STANDARDS.md §4.2; none
of them comes from a standard's text):
- 受理 15: the default of zhcg2026/smart_cityguard (values found: 10–15 min);
- 核实 30: 宁波's egova configuration `verify_limit` (zhaiweixi/egova);
- 立案 15 and 派遣 15: 运城's 15-minute default (smart_cityguard); Taiyuan allows ≤ 30 for non-urgent
  立案 + 派遣 together (d1net.com/scity/vindustry/figure/312244.html);
- 核查 30: 宁波 (egova); 慈溪 uses 120, Taiyuan 1 h in the city and 2 h outside;
- 结案 15: no value was found; the same post (值班长) and the same kind of desk work as 立案.
Each city edits them in the admin.
"""

from django.db import migrations

HOURS = "08:00-12:00,14:00-18:00"
STEP_MINUTES = [("accept", 15), ("verify", 30), ("open", 15), ("dispatch", 15), ("check", 30), ("close", 15)]


def seed(apps, schema_editor):
    WorkCalendar = apps.get_model("timekeeping", "WorkCalendar")
    StepLimit = apps.get_model("timekeeping", "StepLimit")
    if not WorkCalendar.objects.filter(is_default=True).exists():
        WorkCalendar.objects.get_or_create(name="默认", defaults={"hours": HOURS, "is_default": True})
    for step, minutes in STEP_MINUTES:
        StepLimit.objects.get_or_create(step=step, defaults={"value": minutes, "unit": "work_hours"})


def unseed(apps, schema_editor):
    apps.get_model("timekeeping", "StepLimit").objects.filter(step__in=[step for step, _ in STEP_MINUTES]).delete()
    apps.get_model("timekeeping", "WorkCalendar").objects.filter(name="默认", organisation=None).delete()


class Migration(migrations.Migration):
    dependencies = [("timekeeping", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
