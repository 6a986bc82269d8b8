"""`urbangrid province publish [--month YYYY-MM] [--out FILE]` (a city) and `urbangrid province pull` (the province)."""

import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from urbangrid.commandbase import Command as BaseCommand
from urbangrid.province import publishing, pulling


class Command(BaseCommand):
    help = gettext_lazy("Publish this city's aggregates for the province, or pull every member city's.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["publish", "pull"])
        parser.add_argument("--month", help=_("the month, YYYY-MM (this month by default)"))
        parser.add_argument("--out", help=_("publish: write the aggregates to this file instead of the screen"))

    def handle(self, *args, action: str, month: str | None, out: str | None, **options):
        try:
            first = date.fromisoformat(f"{month}-01") if month else timezone.localdate().replace(day=1)
        except ValueError as error:
            raise CommandError(_("Give the month as YYYY-MM, e.g. 2026-11.")) from error
        if action == "publish":
            text = json.dumps(publishing.aggregates(settings.CITY_CODE, settings.CITY_NAME, first),
                              ensure_ascii=False, indent=1)
            if out:
                Path(out).write_text(text + "\n", encoding="utf-8")
            else:
                self.stdout.write(text)
            return
        pulled, problems = pulling.pull_all(first)
        for aggregate in pulled:
            self.stdout.write(_("{city}: aggregates of {month} pulled").format(city=aggregate.city,
                                                                                month=f"{first:%Y-%m}"))
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(_("{count} cities could not be pulled").format(count=len(problems)))
