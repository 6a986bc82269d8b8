# Photos as evidence: thumbnails and what the file says of itself (EXIF time and position) (issue 9).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_page_indexes")]

    operations: list = []
