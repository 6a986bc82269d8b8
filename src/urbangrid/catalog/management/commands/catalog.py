"""`urbangrid catalog load|show|map-legacy`: load the catalogue files, look a class or an old code up."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from urbangrid.catalog import legacy, loading
from urbangrid.catalog.checking import KINDS
from urbangrid.catalog.models import CatalogClass
from urbangrid.commandbase import Command as BaseCommand

SKIP = "none"


def _file(value: str):
    return None if value.strip().lower() in ("", SKIP) else value


class Command(BaseCommand):
    help = gettext_lazy("Load the component and matter catalogue, show a class, map a legacy class code.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help=_("load catalogue, filing condition and legacy code files"))
        skip = _("default: the shipped file; 'none' skips it")
        load.add_argument("--catalog", type=_file, default=loading.CATALOG_FILE,
                          help=_("classes: kind, code, large_class_code, large_class_name, name") + f" ({skip})")
        load.add_argument("--conditions", type=_file, default=loading.CONDITIONS_FILE,
                          help=_("filing conditions (立案条件) of matter classes") + f" ({skip})")
        load.add_argument("--legacy", type=_file, default=loading.LEGACY_FILE,
                          help=_("CJ/T 214-2007 and GB/T 30428.2-2013 codes") + f" ({skip})")
        load.add_argument("--defaults", type=_file, default=loading.DEFAULTS_FILE,
                          help=_("first responsible party and keywords of classes") + f" ({skip})")
        show = sub.add_parser("show", help=_("print a class, its filing conditions and legacy codes"))
        show.add_argument("code")
        show.add_argument("--kind", choices=KINDS)
        mapping = sub.add_parser("map-legacy", help=_("print the class a CJ/T 214 or GB/T 30428.2 code became"))
        mapping.add_argument("code", help=_("4 digits, or MM-SS"))
        mapping.add_argument("--kind", choices=KINDS)
        mapping.add_argument("--scheme", choices=(legacy.CJT_214, legacy.GBT_30428))

    def handle(self, *args, action, **options):
        getattr(self, "_" + action.replace("-", "_"))(options)

    def _load(self, options):
        report = loading.load_catalog(
            options["catalog"], options["conditions"], options["legacy"],
            progress=options["verbosity"] >= 2, defaults_csv=options["defaults"],
        )
        for error in report.errors:
            self.stderr.write(str(error))
        if report.errors:
            raise CommandError(_("{count} problems; nothing was loaded.").format(count=len(report.errors)))
        self.stdout.write(_("Classes: {created} created, {updated} updated ({local} local extensions in the files).")
                          .format(created=report.classes_created, updated=report.classes_updated,
                                  local=report.local_extensions))
        self.stdout.write(_("Filing conditions: {created} created, {updated} updated, {deleted} deleted.").format(
            created=report.conditions_created, updated=report.conditions_updated, deleted=report.conditions_deleted))
        self.stdout.write(_("Legacy codes: {created} created, {updated} updated.").format(
            created=report.legacy_created, updated=report.legacy_updated))
        if not report.changed:
            self.stdout.write(_("Nothing changed: the database already matches the files."))

    def _show(self, options):
        classes = CatalogClass.objects.filter(code=options["code"].strip())
        if options["kind"]:
            classes = classes.filter(kind=options["kind"])
        if not classes:
            raise CommandError(_("No class has the code {code}.").format(code=options["code"]))
        for klass in classes.prefetch_related("conditions", "legacy_codes"):
            self._print_class(klass)

    def _print_class(self, klass: CatalogClass):
        flags = [klass.get_kind_display(), f"{klass.large_class_code} {klass.large_class_name}"]
        if klass.is_local_extension:
            flags.append(_("local extension"))
        if not klass.active:
            flags.append(_("inactive"))
        self.stdout.write(f"{klass.code} {klass.name} ({', '.join(str(f) for f in flags)})")
        self.stdout.write("  " + _("First responsible party: {party}").format(party=klass.get_default_party_display()))
        if klass.keywords:
            self.stdout.write("  " + _("Keywords: {keywords}").format(keywords=klass.keywords))
        for c in klass.conditions.all():
            urgent = " " + _("[urgent]") if c.urgency == "urgent" else ""
            self.stdout.write(f"  {c.seq}. {c.description} — {c.limit_value.normalize():f} "
                              f"{c.get_limit_unit_display()}{urgent}, {c.get_responsible_party_display()}")
            self.stdout.write("     " + _("Closed when: {closing}").format(closing=c.closing_condition))
            if c.legal_basis:
                self.stdout.write("     " + _("Legal basis: {basis}").format(basis=c.legal_basis))
        for old in klass.legacy_codes.all():
            self.stdout.write("  " + _("Legacy code: {scheme} {code} {name}").format(
                scheme=old.scheme, code=old.code, name=old.name))

    def _map_legacy(self, options):
        rows = list(legacy.legacy_codes(options["code"], options["kind"], options["scheme"]))
        if not rows:
            raise CommandError(_("No legacy code {code} is known.").format(code=options["code"]))
        for row in rows:
            target = f"{row.maps_to.code} {row.maps_to.name}" if row.maps_to else _("no counterpart")
            line = f"{row.scheme} {row.get_kind_display()} {row.code} {row.name} → {target}"
            self.stdout.write(line + (f"  ({row.note})" if row.note else ""))
        try:
            legacy.map_legacy_class(options["code"], options["kind"], options["scheme"])
        except legacy.AmbiguousLegacyCode:
            self.stderr.write(_("The code means different classes; give --kind or --scheme to choose one."))
