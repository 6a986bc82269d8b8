# Photos as evidence: thumbnails and what the file says of itself (EXIF time and position) (issue 9).
from django.db import migrations, models

import urbangrid.cases.models


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_page_indexes")]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="thumbnail",
            field=models.FileField(
                blank=True, max_length=200, upload_to=urbangrid.cases.models.thumbnail_path, verbose_name="thumbnail"
            ),
        ),
        migrations.AddField(
            model_name="attachment",
            name="width",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="width (pixels)"),
        ),
        migrations.AddField(
            model_name="attachment",
            name="height",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="height (pixels)"),
        ),
        migrations.AddField(
            model_name="attachment",
            name="taken_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="taken (EXIF)"),
        ),
        migrations.AddField(
            model_name="attachment",
            name="photo_lon",
            field=models.FloatField(blank=True, null=True, verbose_name="photo longitude (EXIF)"),
        ),
        migrations.AddField(
            model_name="attachment",
            name="photo_lat",
            field=models.FloatField(blank=True, null=True, verbose_name="photo latitude (EXIF)"),
        ),
    ]
