"""`urbangrid grids import|generate|export|retire`: the command line of grid/importing.py and friends."""

import argparse
import datetime
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from urbangrid.commandbase import Command as BaseCommand
from urbangrid.core.codes import CodeError
from urbangrid.core.coords import CRS_NAMES
from urbangrid.grid import areafiles, exporting, shapezip
from urbangrid.grid.actions import AreaActionError, retire
from urbangrid.grid.areafiles import FORMATS, AreaFileError, FieldNames
from urbangrid.grid.generating import generate_under
from urbangrid.grid.importing import LEVELS, ImportOptions, ImportReport, describe, import_areas


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(_("{value} is not a date like 2026-01-31").format(value=value)) from e


def _positive(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not number > 0:
        raise argparse.ArgumentTypeError(_("{value} is not a positive number").format(value=value))
    return number


class Command(BaseCommand):
    help = gettext_lazy("Import, generate, export and retire districts, streets, communities and unit grids.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        self._import_arguments(sub.add_parser("import", help=_("check and import an area file")))
        generate = sub.add_parser("generate", help=_("cut communities into unit grids"))
        generate.add_argument("code", help=_("a community, or a street or district whose communities to cut"))
        generate.add_argument("--cell", type=_positive, default=100.0, help=_("grid side in metres (default 100)"))
        generate.add_argument("--min-fraction", type=_positive, default=0.3,
                              help=_("pieces smaller than this share of a cell join a neighbour (default 0.3)"))
        generate.add_argument("--replace", action="store_true", help=_("delete existing grids that nothing refers to"))
        export = sub.add_parser("export", help=_("write areas to a file in WGS84"))
        export.add_argument("file", help=_("a .geojson, .csv (WKT), .shp or .zip (a zipped shapefile)"))
        export.add_argument("--level", choices=LEVELS)
        export.add_argument("--within", help=_("only this area and the areas under it (a code prefix)"))
        export.add_argument("--current", action="store_true", help=_("only areas in use today"))
        export.add_argument("--format", choices=FORMATS, help=_("default: from the file name"))
        export.add_argument("--encoding", choices=list(shapezip.ENCODINGS), default="utf-8",
                            help=_("shapefile attribute encoding, named in the .cpg (default utf-8)"))
        export.add_argument("--prj", choices=list(shapezip.PRJ_EPSG), default="cgcs2000",
                            help=_("shapefile coordinate system written to the .prj (default cgcs2000)"))
        retire_ = sub.add_parser("retire", help=_("retire an area and all areas under it"))
        retire_.add_argument("code")
        retire_.add_argument("--on", type=_date, required=True, help=_("the first day it is no longer valid"))

    def _import_arguments(self, p):
        p.add_argument("file")
        p.add_argument("--format", choices=FORMATS, help=_("default: from the file name"))
        p.add_argument("--crs", choices=CRS_NAMES, default="wgs84", help=_("coordinate system of the file"))
        p.add_argument("--level", choices=LEVELS, help=_("every feature must be of this level"))
        p.add_argument("--code-field", default="code")
        p.add_argument("--name-field", default="name")
        p.add_argument("--level-field", default="level")
        p.add_argument("--parent-field", help=_("a field holding the parent code, compared with the code"))
        p.add_argument("--wkt-field", default="wkt", help=_("the CSV column holding the boundary as WKT"))
        p.add_argument("--strict", action=argparse.BooleanOptionalAction, default=True,
                       help=_("import nothing if any feature has a problem (default); --no-strict imports the rest"))
        p.add_argument("--valid-from", type=_date, help=_("the first day the areas are valid (default: today)"))
        p.add_argument("--dry-run", action="store_true", help=_("check and count, but write nothing"))

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(options)
        except (AreaFileError, AreaActionError) as e:
            raise CommandError(str(e)) from e

    def _import(self, options):
        fields = FieldNames(options["code_field"], options["name_field"], options["level_field"],
                            options["parent_field"], options["wkt_field"])
        report = import_areas(Path(options["file"]), ImportOptions(
            format=options["format"], crs=options["crs"], level=options["level"], fields=fields,
            strict=options["strict"], valid_from=options["valid_from"], dry_run=options["dry_run"],
            progress=options["verbosity"] >= 1,
        ))
        self._print_report(report, options["strict"])

    def _print_report(self, report: ImportReport, strict: bool):
        for problem in report.problems:
            self.stderr.write(describe(problem))
        if strict and report.problems:
            message = _("{count} problems in {features} features; nothing was imported.")
            raise CommandError(message.format(count=len(report.problems), features=report.features))
        if report.skipped:
            numbers = ", ".join(str(n) for n in report.skipped)
            self.stderr.write(_("Skipped features: {numbers}").format(numbers=numbers))
        summary = _("{features} features: {created} created, {updated} updated, {unchanged} unchanged, "
                    "{skipped} skipped.").format(features=report.features, created=report.created,
                                                  updated=report.updated, unchanged=report.unchanged,
                                                  skipped=len(report.skipped))
        if report.dry_run:
            summary += " " + _("Dry run: nothing was written.")
        self.stdout.write(summary)

    def _generate(self, options):
        result = generate_under(options["code"], options["cell"], options["min_fraction"], options["replace"],
                                progress=options["verbosity"] >= 1)
        for code, grids in result.items():
            first, last = (grids[0].code, grids[-1].code) if grids else ("—", "—")
            line = _("{code}: {count} grids, {first} … {last}").format(code=code, count=len(grids), first=first,
                                                                       last=last)
            self.stdout.write(line)

    def _export(self, options):
        path = Path(options["file"])
        fmt = options["format"] or areafiles.detect_format(path)
        try:
            found = exporting.areas(options["level"], options["within"], options["current"])
        except CodeError as e:
            raise CommandError(_("--within: {message}").format(message=_(e.message).format(**e.params))) from e
        rows = exporting.export_rows(found, progress=options["verbosity"] >= 1)
        if fmt == "shapefile":
            count = areafiles.write_shapefile(path, rows, options["encoding"], options["prj"])
        else:
            count = (areafiles.write_csv if fmt == "csv" else areafiles.write_geojson)(path, rows)
        self.stdout.write(_("{count} areas written to {path}.").format(count=count, path=path))

    def _retire(self, options):
        retired = retire(options["code"], options["on"])
        message = _("{count} areas retired from {on}: {codes}")
        codes = ", ".join(a.code for a in retired[:10]) + (" …" if len(retired) > 10 else "")
        self.stdout.write(message.format(count=len(retired), on=options["on"], codes=codes))

