"""`urbangrid components import|export|nearest`: the component inventory from the command line.

The work is done in importing.py, exporting.py and nearest.py; this module parses and prints.
"""

import argparse
import json

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from urbangrid.commandbase import Command as BaseCommand
from urbangrid.components import exporting, formats, importing, nearest
from urbangrid.components.fields import HEADER_STYLES
from urbangrid.components.validation import code_message
from urbangrid.core import codes
from urbangrid.core.coords import CRS_NAMES
from urbangrid.grid import shapezip

SHOWN_ERRORS = 50
# How a person finds an erroneous row in each format.
WHERE = {
    "csv": gettext_noop("line {n}"),
    "geojson": gettext_noop("feature {n}"),
    "shapefile": gettext_noop("record {n}"),
    "xlsx": gettext_noop("row {n}"),
}


class Command(BaseCommand):
    help = "Import, export and query the component inventory (GB/T 47678.5-2026 table 2)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        imp = actions.add_parser(
            "import", help="Import components from a CSV, GeoJSON, Shapefile (.shp or a .zip of its parts) or XLSX."
        )
        imp.add_argument("file")
        imp.add_argument("--format", choices=formats.FORMATS)
        imp.add_argument("--crs", choices=CRS_NAMES, default="wgs84", help="Coordinate system of the file.")
        imp.add_argument("--strict", action=argparse.BooleanOptionalAction, default=True,
                         help="With errors, write nothing (default); --no-strict writes the good rows.")
        imp.add_argument("--create-organisations", action="store_true",
                         help="Create departments for unknown unified social credit codes.")
        imp.add_argument("--dry-run", action="store_true", help="Check and count, write nothing.")
        exp = actions.add_parser(
            "export", help="Export components to a CSV, GeoJSON, Shapefile (.shp, or .zip for one file) or XLSX."
        )
        exp.add_argument("file")
        exp.add_argument("--format", choices=formats.FORMATS)
        exp.add_argument("--headers", choices=HEADER_STYLES, default="zh",
                         help="Column names: Chinese (default), abbreviations or our field names.")
        exp.add_argument("--within", help="Only inside this district, street, community or grid code.")
        exp.add_argument("--class", dest="class_code", help="Only this 5-digit class.")
        exp.add_argument("--encoding", choices=list(shapezip.ENCODINGS), default="utf-8",
                         help="Shapefile attribute encoding, named in the .cpg (default utf-8).")
        exp.add_argument("--prj", choices=list(shapezip.PRJ_EPSG), default="cgcs2000",
                         help="Shapefile coordinate system written to the .prj (default cgcs2000).")
        near = actions.add_parser("nearest", help="The nearest component to a point, as JSON.")
        near.add_argument("lon", type=float)
        near.add_argument("lat", type=float)
        near.add_argument("--within", type=float, default=nearest.DEFAULT_WITHIN_M, help="Metres (default 30).")
        near.add_argument("--class", dest="class_code")
        near.add_argument("--crs", choices=CRS_NAMES, default="wgs84")

    def handle(self, *args, action: str, **options):
        try:
            {"import": self.do_import, "export": self.do_export, "nearest": self.do_nearest}[action](options)
        except formats.FileError as error:
            raise CommandError(str(error)) from error
        except codes.CodeError as error:
            raise CommandError(f"{error.field}: {code_message(error)}") from error

    def do_import(self, o: dict) -> None:
        fmt = formats.detect_format(o["file"], o["format"])
        report = importing.import_file(
            o["file"], fmt, crs=o["crs"], strict=o["strict"], create_organisations=o["create_organisations"],
            dry_run=o["dry_run"], progress=o["verbosity"] >= 1,
        )
        self.print_errors(report, fmt)
        if o["strict"] and report.errors:
            raise CommandError(
                _("Nothing was imported: {rows} of {total} rows have errors.").format(
                    rows=report.skipped, total=report.rows
                )
            )
        self.print_summary(report)

    def print_errors(self, report: importing.ImportReport, fmt: str) -> None:
        where = _(WHERE[fmt])
        for error in report.errors[:SHOWN_ERRORS]:
            self.stderr.write(f"{where.format(n=error.number)}, {error.label}: {error.message}")
        if len(report.errors) > SHOWN_ERRORS:
            self.stderr.write(_("… and {more} more errors.").format(more=len(report.errors) - SHOWN_ERRORS))
        if report.errors_path:
            self.stderr.write(_("All errors are listed in {path}.").format(path=report.errors_path))

    def print_summary(self, report: importing.ImportReport) -> None:
        if report.dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        self.stdout.write(
            _("{rows} rows: {created} created, {updated} updated, {unchanged} unchanged, "
              "{skipped} skipped because of errors.").format(
                rows=report.rows, created=report.created, updated=report.updated, unchanged=report.unchanged,
                skipped=report.skipped,
            )
        )
        if report.organisations_created:
            self.stdout.write(
                _("Organisations created: {codes}.").format(codes=", ".join(report.organisations_created))
            )

    def do_export(self, o: dict) -> None:
        count = exporting.export_file(
            o["file"], o["format"], o["headers"], o["within"], o["class_code"], progress=o["verbosity"] >= 1,
            encoding=o["encoding"], crs=o["prj"],
        )
        self.stdout.write(_("Exported {count} components to {path}.").format(count=count, path=o["file"]))

    def do_nearest(self, o: dict) -> None:
        if not o["within"] > 0:
            raise CommandError(_("--within must be more than 0 metres."))
        class_code = codes.parse_class_code(o["class_code"], "class_code") if o["class_code"] else None
        answer = nearest.answer(o["lon"], o["lat"], o["within"], class_code, o["crs"])
        self.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2))
