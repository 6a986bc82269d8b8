"""超期未处置 becomes a maintained balance (overdue_began − overdue_ended per day, summed to a day's end): count
the stays with a department that the event log already holds, as a recount would, into the daily counters
and the monthly sums. Like every migration, run with nothing else writing; it replays the events of the cases
that ever were with a department."""

from collections import Counter, defaultdict

from django.db import migrations, models

# The states of cases.clock.HANDLING_STATES (a migration must not follow the app's code).
WITH_DEPARTMENT = ("dispatched", "referred", "handling", "return_requested", "extension_requested",
                   "park_requested", "parked")
DISPATCHING = ("dispatch", "decide", "refer")
NON_MOVING = ("supervise", "settle_cost", "erase_personal_data")


def count_stays(apps, schema_editor):
    from django.db.models import F
    from django.utils import timezone

    Case = apps.get_model("cases", "Case")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    ids = sorted(set(CaseEvent.objects.filter(target__in=WITH_DEPARTMENT).values_list("case_id", flat=True)))
    daily: dict[tuple, Counter] = defaultdict(Counter)
    day = timezone.localdate
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        cases = {c["id"]: c for c in Case.objects.filter(pk__in=chunk).values("id", "grid_code", "klass_id", "source")}
        events = (CaseEvent.objects.filter(case_id__in=chunk).exclude(action__in=NON_MOVING).order_by("case_id", "seq")
                  .values_list("case_id", "action", "target", "at", "due_after", "data"))
        current = department = stay = None
        for case_id, action, target, at, due, data in events.iterator(chunk_size=5000):
            if case_id != current:
                current, department, stay = case_id, None, None
            case = cases[case_id]
            where = (case["grid_code"], case["klass_id"] or 0)
            data = data or {}
            if action in DISPATCHING:
                department = data.get("department", department)
            elif action == "approve_return":
                department = None
            if stay is not None and target in WITH_DEPARTMENT and stay[::2] == (department or 0, due):
                continue  # the same department under the same deadline: the stay goes on (counting._stays)
            if stay is not None:  # core.evaluation.overdue_days
                gone, since, was_due = stay
                began = day(max(since, was_due))
                daily[(max(day(at), began), *where, gone, case["source"])]["overdue_ended"] += 1
            stay = None
            if target in WITH_DEPARTMENT and due is not None:
                stay = (department or 0, at, due)
                daily[(day(max(at, due)), *where, department or 0, case["source"])]["overdue_began"] += 1
    monthly: dict[tuple, Counter] = defaultdict(Counter)
    headline: dict[tuple, Counter] = defaultdict(Counter)
    for (when, grid_code, class_id, department_id, source), counts in daily.items():
        month = when.replace(day=1)
        monthly[(month, grid_code[:6], class_id, department_id, source)].update(counts)
        headline[(month, grid_code[:6], department_id)].update(counts)
    tables = (
        ("Tally", ("day", "grid_code", "class_id", "department_id", "source"), daily),
        ("TallyMonth", ("month", "district", "class_id", "department_id", "source"), monthly),
        ("TallyHeadline", ("month", "district", "department_id"), headline),
    )
    for name, fields, found in tables:
        model = apps.get_model("evaluation", name)
        for key, counts in found.items():
            where = dict(zip(fields, key, strict=True))
            bumped = {n: F(n) + counts[n] for n in ("overdue_began", "overdue_ended")}
            if not model.objects.filter(**where).update(**bumped):
                model.objects.create(**where, overdue_began=counts["overdue_began"],
                                     overdue_ended=counts["overdue_ended"])


class Migration(migrations.Migration):

    dependencies = [
        ('evaluation', '0006_monthly_sums_maintained'),
        ('cases', '0009_follow_up_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='tally',
            name='overdue_began',
            field=models.PositiveIntegerField(db_default=0, verbose_name='超期开始'),
        ),
        migrations.AddField(
            model_name='tally',
            name='overdue_ended',
            field=models.PositiveIntegerField(db_default=0, verbose_name='超期结束'),
        ),
        migrations.AddField(
            model_name='tallyheadline',
            name='overdue_began',
            field=models.PositiveIntegerField(db_default=0, verbose_name='超期开始'),
        ),
        migrations.AddField(
            model_name='tallyheadline',
            name='overdue_ended',
            field=models.PositiveIntegerField(db_default=0, verbose_name='超期结束'),
        ),
        migrations.AddField(
            model_name='tallymonth',
            name='overdue_began',
            field=models.PositiveIntegerField(db_default=0, verbose_name='超期开始'),
        ),
        migrations.AddField(
            model_name='tallymonth',
            name='overdue_ended',
            field=models.PositiveIntegerField(db_default=0, verbose_name='超期结束'),
        ),
        migrations.RunPython(count_stays, migrations.RunPython.noop),
    ]
