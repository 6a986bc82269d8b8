"""`urbangrid exportcases FILE`: every case (or some) to CSV, XLSX or GeoJSON, streamed, with a progress bar."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from urbangrid.api import exports
from urbangrid.cases.errors import InvalidInput
from urbangrid.cases.models import Case
from urbangrid.commandbase import Command as BaseCommand
from urbangrid.core.codes import CodeError


class Command(BaseCommand):
    help = gettext_lazy("Export cases to CSV, XLSX or GeoJSON (without the reporters' names and phones).")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help=_("the file to write; its suffix gives the format"))
        parser.add_argument("--format", choices=exports.FORMATS, help=_("default: from the file's suffix"))
        parser.add_argument("--area", help=_("district, street, community or grid code (prefix)"))
        parser.add_argument("--class", dest="class_code", help=_("5-digit class code"))
        parser.add_argument("--source", help=_("collector, hotline, public, system or other"))
        parser.add_argument("--state", action="append", default=[], help=_("a state; may be repeated"))

    def handle(self, *args, file: Path, **options):
        fmt = options["format"] or exports.SUFFIXES.get(file.suffix.lower())
        if fmt not in exports.FORMATS:
            raise CommandError(_("Name the format with --format: csv, xlsx or geojson."))
        try:
            cases = exports.filtered(Case.objects.all(), options["area"], options["class_code"], options["source"],
                                     options["state"])
        except InvalidInput as error:
            raise CommandError(f"{error.field}: {error.message}") from error
        except CodeError as error:
            raise CommandError(f"{error.field}: " + _(error.message).format(**error.params)) from error
        count = exports.write_file(cases, file, fmt, progress=options["verbosity"] >= 1)
        self.stdout.write(_("{count} cases written to {file}.").format(count=count, file=file))
