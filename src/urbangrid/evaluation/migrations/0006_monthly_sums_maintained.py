"""The monthly sums are maintained by every event from now on (evaluation.counting), the current month too:
sum the months the worker had not summed yet (at least the current one) from the daily counters first.
Like every migration, run with nothing else writing."""

from django.db import migrations


def sum_missing_months(apps, schema_editor):
    # The same sums as rollup.roll_up, on the historical models: this migration must not follow the app's code.
    from datetime import timedelta

    from django.db.models import Max, Min, Sum
    from django.db.models.functions import Substr

    Tally = apps.get_model("evaluation", "Tally")
    PostTally = apps.get_model("evaluation", "PostTally")
    TallyMonth = apps.get_model("evaluation", "TallyMonth")
    TallyHeadline = apps.get_model("evaluation", "TallyHeadline")
    PostTallyMonth = apps.get_model("evaluation", "PostTallyMonth")
    days = [d for model in (Tally, PostTally) for d in model.objects.aggregate(a=Min("day"), b=Max("day")).values()
            if d is not None]
    if not days:
        return
    done = {*TallyHeadline.objects.values_list("month", flat=True), *PostTallyMonth.objects.values_list("month", flat=True)}
    fact_names = [f.name for f in TallyHeadline._meta.concrete_fields if f.name not in ("id", "month", "district",
                                                                                          "department_id")]
    post_names = [f.name for f in PostTallyMonth._meta.concrete_fields if f.name not in ("id", "month", "user_id",
                                                                                           "post")]
    month, last = min(days).replace(day=1), max(days)
    while month <= last:
        following = (month + timedelta(days=32)).replace(day=1)
        if month not in done:
            days_of = {"day__gte": month, "day__lt": following}
            facts = (Tally.objects.filter(**days_of)
                     .values("class_id", "department_id", "source", d=Substr("grid_code", 1, 6))
                     .annotate(**{f"s_{n}": Sum(n) for n in fact_names}))
            TallyMonth.objects.bulk_create(
                (TallyMonth(month=month, district=row["d"], class_id=row["class_id"],
                            department_id=row["department_id"], source=row["source"],
                            **{n: row[f"s_{n}"] for n in fact_names}) for row in facts.iterator()), 2000)
            headline = (TallyMonth.objects.filter(month=month).values("district", "department_id")
                        .annotate(**{f"s_{n}": Sum(n) for n in fact_names}))
            TallyHeadline.objects.bulk_create(
                (TallyHeadline(month=month, district=row["district"], department_id=row["department_id"],
                               **{n: row[f"s_{n}"] for n in fact_names}) for row in headline.iterator()), 2000)
            posts = (PostTally.objects.filter(**days_of).values("user_id", "post")
                     .annotate(**{f"s_{n}": Sum(n) for n in post_names}))
            PostTallyMonth.objects.bulk_create(
                (PostTallyMonth(month=month, user_id=row["user_id"], post=row["post"],
                                **{n: row[f"s_{n}"] for n in post_names}) for row in posts.iterator()), 2000)
        month = following


class Migration(migrations.Migration):

    dependencies = [
        ("evaluation", "0005_follow_up_counts"),
    ]

    operations = [
        migrations.RunPython(sum_missing_months, migrations.RunPython.noop),
    ]
