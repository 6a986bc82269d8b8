"""The street and community tables read monthly sums per community, and the days a period cuts from its months
come from day sums per district × department, per community and per class × source (evaluation.rollup
.FACT_SUMS); the grid table within one street or community reads the daily counters by grid and day. Every
event bumps the new tables from now on (evaluation.counting): sum what the daily counters already hold into
them, in the database (INSERT … SELECT … GROUP BY, one month at a time). Like every migration, run with
nothing else writing."""

from django.db import migrations, models

COMMUNITY = 12  # characters of a grid code that name its community


def sum_regions_and_days(apps, schema_editor):
    # The same sums as rollup.roll_up_regions_and_days, on the historical models (a migration must not follow
    # the app's code).
    from datetime import timedelta

    from django.db.models import Max, Min, Sum
    from django.db.models.functions import Substr

    Tally = apps.get_model("evaluation", "Tally")
    found = Tally.objects.aggregate(first=Min("day"), last=Max("day"))
    if found["first"] is None:
        return
    connection = schema_editor.connection
    names = [f.name for f in apps.get_model("evaluation", "TallyHeadlineDay")._meta.concrete_fields
             if f.name not in ("id", "day", "district", "department_id")]
    sums = {f"sum_{n}": Sum(n) for n in names}

    def insert(model_name, month, rows):
        sql, params = rows.query.sql_with_params()
        q = connection.ops.quote_name
        columns = (*rows.query.values_select, *(a.removeprefix("sum_") for a in rows.query.annotation_select))
        if month is not None:
            columns = ("month", *columns)
            sql, params = f"SELECT %s, grouped.* FROM ({sql}) grouped", [
                connection.ops.adapt_datefield_value(month), *params]
        table = apps.get_model("evaluation", model_name)._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {q(table)} ({', '.join(map(q, columns))}) {sql}", params)

    month = found["first"].replace(day=1)
    while month <= found["last"]:
        following = (month + timedelta(days=32)).replace(day=1)
        days = Tally.objects.filter(day__gte=month, day__lt=following)
        insert("TallyHeadlineDay", None, days.values("day", "department_id", district=Substr("grid_code", 1, 6))
               .annotate(**sums))
        insert("TallyCommunityDay", None, days.values("day", community=Substr("grid_code", 1, COMMUNITY))
               .annotate(**sums))
        insert("TallyClassDay", None, days.values("day", "class_id", "source").annotate(**sums))
        community_days = apps.get_model("evaluation", "TallyCommunityDay").objects.filter(
            day__gte=month, day__lt=following)
        insert("TallyCommunityMonth", month, community_days.values("community").annotate(**sums))
        month = following


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0007_overdue_balance")]

    operations = [
        migrations.CreateModel(
            name='TallyCommunityDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(verbose_name='day')),
                ('community', models.CharField(max_length=12, verbose_name='community')),
                ('reported', models.PositiveIntegerField(db_default=0, verbose_name='上报')),
                ('public_reported', models.PositiveIntegerField(db_default=0, verbose_name='公众举报')),
                ('accepted', models.PositiveIntegerField(db_default=0, verbose_name='受理')),
                ('rejected', models.PositiveIntegerField(db_default=0, verbose_name='不予受理')),
                ('verified', models.PositiveIntegerField(db_default=0, verbose_name='监督举报核实')),
                ('refuted', models.PositiveIntegerField(db_default=0, verbose_name='核实不属实')),
                ('opened', models.PositiveIntegerField(db_default=0, verbose_name='立案')),
                ('voided', models.PositiveIntegerField(db_default=0, verbose_name='作废')),
                ('dispatched', models.PositiveIntegerField(db_default=0, verbose_name='派遣')),
                ('returned', models.PositiveIntegerField(db_default=0, verbose_name='回退')),
                ('misdispatched', models.PositiveIntegerField(db_default=0, verbose_name='错派')),
                ('shirked', models.PositiveIntegerField(db_default=0, verbose_name='推诿')),
                ('handled', models.PositiveIntegerField(db_default=0, verbose_name='处置')),
                ('handled_on_time', models.PositiveIntegerField(db_default=0, verbose_name='按期处置')),
                ('closed', models.PositiveIntegerField(db_default=0, verbose_name='结案')),
                ('closed_on_time', models.PositiveIntegerField(db_default=0, verbose_name='按期结案')),
                ('closed_late', models.PositiveIntegerField(db_default=0, verbose_name='超期结案')),
                ('reworked', models.PositiveIntegerField(db_default=0, verbose_name='返工')),
                ('extended', models.PositiveIntegerField(db_default=0, verbose_name='延期')),
                ('parked', models.PositiveIntegerField(db_default=0, verbose_name='挂账/缓办')),
                ('self_handled', models.PositiveIntegerField(db_default=0, verbose_name='自处置')),
                ('escalated', models.PositiveIntegerField(db_default=0, verbose_name='督办')),
                ('followed_up', models.PositiveIntegerField(db_default=0, verbose_name='回访满意')),
                ('reopened', models.PositiveIntegerField(db_default=0, verbose_name='回访不满意')),
                ('overdue_began', models.PositiveIntegerField(db_default=0, verbose_name='超期开始')),
                ('overdue_ended', models.PositiveIntegerField(db_default=0, verbose_name='超期结束')),
            ],
            options={
                'verbose_name': 'daily count by community',
                'verbose_name_plural': 'daily counts by community',
            },
        ),
        migrations.CreateModel(
            name='TallyCommunityMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(verbose_name='month')),
                ('community', models.CharField(max_length=12, verbose_name='community')),
                ('reported', models.PositiveIntegerField(db_default=0, verbose_name='上报')),
                ('public_reported', models.PositiveIntegerField(db_default=0, verbose_name='公众举报')),
                ('accepted', models.PositiveIntegerField(db_default=0, verbose_name='受理')),
                ('rejected', models.PositiveIntegerField(db_default=0, verbose_name='不予受理')),
                ('verified', models.PositiveIntegerField(db_default=0, verbose_name='监督举报核实')),
                ('refuted', models.PositiveIntegerField(db_default=0, verbose_name='核实不属实')),
                ('opened', models.PositiveIntegerField(db_default=0, verbose_name='立案')),
                ('voided', models.PositiveIntegerField(db_default=0, verbose_name='作废')),
                ('dispatched', models.PositiveIntegerField(db_default=0, verbose_name='派遣')),
                ('returned', models.PositiveIntegerField(db_default=0, verbose_name='回退')),
                ('misdispatched', models.PositiveIntegerField(db_default=0, verbose_name='错派')),
                ('shirked', models.PositiveIntegerField(db_default=0, verbose_name='推诿')),
                ('handled', models.PositiveIntegerField(db_default=0, verbose_name='处置')),
                ('handled_on_time', models.PositiveIntegerField(db_default=0, verbose_name='按期处置')),
                ('closed', models.PositiveIntegerField(db_default=0, verbose_name='结案')),
                ('closed_on_time', models.PositiveIntegerField(db_default=0, verbose_name='按期结案')),
                ('closed_late', models.PositiveIntegerField(db_default=0, verbose_name='超期结案')),
                ('reworked', models.PositiveIntegerField(db_default=0, verbose_name='返工')),
                ('extended', models.PositiveIntegerField(db_default=0, verbose_name='延期')),
                ('parked', models.PositiveIntegerField(db_default=0, verbose_name='挂账/缓办')),
                ('self_handled', models.PositiveIntegerField(db_default=0, verbose_name='自处置')),
                ('escalated', models.PositiveIntegerField(db_default=0, verbose_name='督办')),
                ('followed_up', models.PositiveIntegerField(db_default=0, verbose_name='回访满意')),
                ('reopened', models.PositiveIntegerField(db_default=0, verbose_name='回访不满意')),
                ('overdue_began', models.PositiveIntegerField(db_default=0, verbose_name='超期开始')),
                ('overdue_ended', models.PositiveIntegerField(db_default=0, verbose_name='超期结束')),
            ],
            options={
                'verbose_name': 'monthly count by community',
                'verbose_name_plural': 'monthly counts by community',
            },
        ),
        migrations.CreateModel(
            name='TallyHeadlineDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(verbose_name='day')),
                ('district', models.CharField(max_length=6, verbose_name='district')),
                ('department_id', models.PositiveIntegerField(db_default=0, verbose_name='department')),
                ('reported', models.PositiveIntegerField(db_default=0, verbose_name='上报')),
                ('public_reported', models.PositiveIntegerField(db_default=0, verbose_name='公众举报')),
                ('accepted', models.PositiveIntegerField(db_default=0, verbose_name='受理')),
                ('rejected', models.PositiveIntegerField(db_default=0, verbose_name='不予受理')),
                ('verified', models.PositiveIntegerField(db_default=0, verbose_name='监督举报核实')),
                ('refuted', models.PositiveIntegerField(db_default=0, verbose_name='核实不属实')),
                ('opened', models.PositiveIntegerField(db_default=0, verbose_name='立案')),
                ('voided', models.PositiveIntegerField(db_default=0, verbose_name='作废')),
                ('dispatched', models.PositiveIntegerField(db_default=0, verbose_name='派遣')),
                ('returned', models.PositiveIntegerField(db_default=0, verbose_name='回退')),
                ('misdispatched', models.PositiveIntegerField(db_default=0, verbose_name='错派')),
                ('shirked', models.PositiveIntegerField(db_default=0, verbose_name='推诿')),
                ('handled', models.PositiveIntegerField(db_default=0, verbose_name='处置')),
                ('handled_on_time', models.PositiveIntegerField(db_default=0, verbose_name='按期处置')),
                ('closed', models.PositiveIntegerField(db_default=0, verbose_name='结案')),
                ('closed_on_time', models.PositiveIntegerField(db_default=0, verbose_name='按期结案')),
                ('closed_late', models.PositiveIntegerField(db_default=0, verbose_name='超期结案')),
                ('reworked', models.PositiveIntegerField(db_default=0, verbose_name='返工')),
                ('extended', models.PositiveIntegerField(db_default=0, verbose_name='延期')),
                ('parked', models.PositiveIntegerField(db_default=0, verbose_name='挂账/缓办')),
                ('self_handled', models.PositiveIntegerField(db_default=0, verbose_name='自处置')),
                ('escalated', models.PositiveIntegerField(db_default=0, verbose_name='督办')),
                ('followed_up', models.PositiveIntegerField(db_default=0, verbose_name='回访满意')),
                ('reopened', models.PositiveIntegerField(db_default=0, verbose_name='回访不满意')),
                ('overdue_began', models.PositiveIntegerField(db_default=0, verbose_name='超期开始')),
                ('overdue_ended', models.PositiveIntegerField(db_default=0, verbose_name='超期结束')),
            ],
            options={
                'verbose_name': 'daily count by district and department',
                'verbose_name_plural': 'daily counts by district and department',
            },
        ),
        migrations.AddIndex(
            model_name='tally',
            index=models.Index(fields=['grid_code', 'day'], name='evaluation_tally_grid_day'),
        ),
        migrations.AddConstraint(
            model_name='tallycommunityday',
            constraint=models.UniqueConstraint(fields=('day', 'community'), name='evaluation_communityday_key'),
        ),
        migrations.AddConstraint(
            model_name='tallycommunitymonth',
            constraint=models.UniqueConstraint(fields=('month', 'community'), name='evaluation_communitymonth_key'),
        ),
        migrations.AddConstraint(
            model_name='tallyheadlineday',
            constraint=models.UniqueConstraint(fields=('day', 'district', 'department_id'), name='evaluation_headlineday_key'),
        ),
        migrations.CreateModel(
            name='TallyClassDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(verbose_name='day')),
                ('class_id', models.PositiveIntegerField(db_default=0, verbose_name='class')),
                ('source', models.CharField(max_length=12, verbose_name='source')),
                ('reported', models.PositiveIntegerField(db_default=0, verbose_name='上报')),
                ('public_reported', models.PositiveIntegerField(db_default=0, verbose_name='公众举报')),
                ('accepted', models.PositiveIntegerField(db_default=0, verbose_name='受理')),
                ('rejected', models.PositiveIntegerField(db_default=0, verbose_name='不予受理')),
                ('verified', models.PositiveIntegerField(db_default=0, verbose_name='监督举报核实')),
                ('refuted', models.PositiveIntegerField(db_default=0, verbose_name='核实不属实')),
                ('opened', models.PositiveIntegerField(db_default=0, verbose_name='立案')),
                ('voided', models.PositiveIntegerField(db_default=0, verbose_name='作废')),
                ('dispatched', models.PositiveIntegerField(db_default=0, verbose_name='派遣')),
                ('returned', models.PositiveIntegerField(db_default=0, verbose_name='回退')),
                ('misdispatched', models.PositiveIntegerField(db_default=0, verbose_name='错派')),
                ('shirked', models.PositiveIntegerField(db_default=0, verbose_name='推诿')),
                ('handled', models.PositiveIntegerField(db_default=0, verbose_name='处置')),
                ('handled_on_time', models.PositiveIntegerField(db_default=0, verbose_name='按期处置')),
                ('closed', models.PositiveIntegerField(db_default=0, verbose_name='结案')),
                ('closed_on_time', models.PositiveIntegerField(db_default=0, verbose_name='按期结案')),
                ('closed_late', models.PositiveIntegerField(db_default=0, verbose_name='超期结案')),
                ('reworked', models.PositiveIntegerField(db_default=0, verbose_name='返工')),
                ('extended', models.PositiveIntegerField(db_default=0, verbose_name='延期')),
                ('parked', models.PositiveIntegerField(db_default=0, verbose_name='挂账/缓办')),
                ('self_handled', models.PositiveIntegerField(db_default=0, verbose_name='自处置')),
                ('escalated', models.PositiveIntegerField(db_default=0, verbose_name='督办')),
                ('followed_up', models.PositiveIntegerField(db_default=0, verbose_name='回访满意')),
                ('reopened', models.PositiveIntegerField(db_default=0, verbose_name='回访不满意')),
                ('overdue_began', models.PositiveIntegerField(db_default=0, verbose_name='超期开始')),
                ('overdue_ended', models.PositiveIntegerField(db_default=0, verbose_name='超期结束')),
            ],
            options={
                'verbose_name': 'daily count by class and source',
                'verbose_name_plural': 'daily counts by class and source',
                'constraints': [models.UniqueConstraint(fields=('day', 'class_id', 'source'), name='evaluation_classday_key')],
            },
        ),
        migrations.RunPython(sum_regions_and_days, migrations.RunPython.noop),
    ]
