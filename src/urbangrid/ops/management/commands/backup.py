"""`urbangrid backup DIR`: a consistent copy of the database and the case photos, taken while the server runs."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from urbangrid import commandbase
from urbangrid.ops import backup


class Command(commandbase.Command):
    help = gettext_lazy("Back up the database and the case photos into a new directory, while the server runs.")

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help=gettext_lazy("a new (or empty) directory for the backup"))

    def handle(self, *args, directory: Path, **options):
        try:
            manifest = backup.make(directory)
        except (backup.BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        counts = manifest["counts"]
        self.stdout.write(_("Backed up {cases} cases, {events} events and {files} photos into {path}. The keys are "
                            "not in it: keep AUDIT_KEY and SECRET_KEY apart.").format(
            cases=counts["cases"], events=counts["events"], files=len(manifest["media"]), path=directory))
