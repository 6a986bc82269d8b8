"""`urbangrid restore DIR`: replace the database and put back the photos of a backup made by `urbangrid backup`."""

import sys
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from urbangrid import commandbase
from urbangrid.ops import backup


class Command(commandbase.Command):
    help = gettext_lazy("Restore a backup: the database is replaced, the photos put back. Stop the server first.")

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help=gettext_lazy("a directory made by urbangrid backup"))
        parser.add_argument("--yes", action="store_true", help=gettext_lazy("do not ask before replacing"))

    def handle(self, *args, directory: Path, yes: bool, **options):
        try:
            manifest = backup.read(directory)
            if not yes:
                self._confirm(manifest)
            backup.restore(directory)
        except (backup.BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        counts = manifest["counts"]
        self.stdout.write(_("Restored the backup of {taken_at}: {cases} cases, {events} events, {files} photos, "
                            "each as recorded. Run urbangrid audit verify with the same audit key.").format(
            taken_at=manifest["taken_at"], cases=counts["cases"], events=counts["events"],
            files=len(manifest["media"])))

    def _confirm(self, manifest: dict) -> None:
        question = _("This replaces the whole database with the backup of {taken_at}. Type yes to go on: ").format(
            taken_at=manifest["taken_at"])
        if not sys.stdin.isatty():
            raise CommandError(_("Not on a terminal: add --yes to replace the database."))
        if input(question).strip().lower() != "yes":
            raise CommandError(_("Nothing restored."))
