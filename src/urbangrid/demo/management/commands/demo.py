"""`urbangrid demo [--small]`: seed the demo city of Zhengzhou and print its logins.

Every stage looks at what is already there and makes only what is missing, so running the command again
writes nothing and takes seconds; an interrupted run carries on where it stopped.
"""

import time
import unicodedata

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from urbangrid.accounts.labels import POST_LABELS
from urbangrid.accounts.models import Appointment, Organisation, User
from urbangrid.commandbase import Command as BaseCommand
from urbangrid.core.posts import Post
from urbangrid.demo import areas, cases, cast, components, people
from urbangrid.demo.areas import DemoError, Scope, StageResult
from urbangrid.grid import locating
from urbangrid.open311 import keys


class Command(BaseCommand):
    help = gettext_lazy(
        "Load the demo city of Zhengzhou: districts, generated streets, communities and unit grids, "
        "organisations, demo users and a component inventory. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--small", action="store_true",
            help=_("only two streets of 金水区 (for tests and a quick look); a later full run adds the rest"),
        )

    def handle(self, *args, small: bool, **options):
        scope = Scope.small() if small else Scope()
        progress = options["verbosity"] >= 1
        started = time.monotonic()
        stages = [
            (_("Districts"), areas.seed_districts),
            (_("Streets"), areas.seed_streets),
            (_("Communities"), areas.seed_communities),
            (_("Unit grids"), areas.seed_grids),
            (_("Organisations and people"), self._seed_people),
            (_("Components"), components.seed_components),
            (_("Cases"), cases.seed_cases),
        ]
        try:
            for label, stage in stages:
                self._run(label, stage, scope, progress)
        except DemoError as e:
            raise CommandError(str(e)) from e
        locating.reset()  # this process's locator was built while the grids were still being written
        self.stdout.write(_("Demo city ready in {seconds:.1f} s.").format(seconds=time.monotonic() - started))
        self._print_logins()
        self.stdout.write(_("Open311 (/open311/v2/) API key of the demo client: {key}").format(key=keys.demo_key()))

    def _run(self, label: str, stage, scope: Scope, progress: bool) -> None:
        if progress:
            self.stdout.write(f"{label} …")
            self.stdout.flush()
        start = time.monotonic()
        result: StageResult = stage(scope, progress)
        seconds = time.monotonic() - start
        if result.created:
            line = _("{label}: {created} created, {existing} already there ({seconds:.1f} s)")
        else:
            line = _("{label}: all {existing} already there, skipped ({seconds:.1f} s)")
        self.stdout.write(line.format(label=label, created=result.created, existing=result.existing, seconds=seconds))
        for note in result.notes:
            self.stdout.write(f"  {note}")

    def _seed_people(self, scope: Scope, progress: bool) -> StageResult:
        def counts() -> tuple[int, int, int]:
            return Organisation.objects.count(), User.objects.count(), Appointment.objects.count()

        before = counts()
        people.seed_people(people.seed_organisations())
        after = counts()
        created = sum(after) - sum(before)
        note = _("{organisations} organisations, {users} users holding {posts} posts").format(
            organisations=after[0], users=after[1], posts=after[2]
        )
        return StageResult(created=created, existing=sum(after) - created, notes=[note])

    def _print_logins(self) -> None:
        # A context of their own, so that Django's catalogue does not translate half of the headers.
        header = (
            pgettext("demo logins", "username"),
            pgettext("demo logins", "post"),
            pgettext("demo logins", "organisation"),
            pgettext("demo logins", "password"),
        )
        rows = []
        for username, _display_name, post, _org in cast.PEOPLE:
            appointment = (
                Appointment.objects.filter(user__username=username, post=post).select_related("organisation").first()
            )
            organisation = appointment.organisation.name if appointment else ""
            rows.append((username, str(POST_LABELS[Post(post)]), organisation, cast.DEMO_PASSWORD))
        self.stdout.write("")
        self.stdout.write(_("Demo logins (the same password for all):"))
        for line in _table([header, *rows]):
            self.stdout.write(line)


def _width(text: str) -> int:
    # Chinese characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [cell + " " * (width - _width(cell)) for cell, width in zip(row, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines
