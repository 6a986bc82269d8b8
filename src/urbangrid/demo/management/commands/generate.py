"""`urbangrid generate --scale ci|city`: the benchmark city (urbangrid.demo.generate)."""

import time

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from urbangrid.commandbase import Command as BaseCommand
from urbangrid.demo import generate, history
from urbangrid.demo.areas import DemoError


class Command(BaseCommand):
    help = gettext_lazy(
        "Generate the benchmark city: the demo's Zhengzhou with its unit grids and components, and years of case "
        "history written in bulk. Deterministic (seeded); the database must have no cases yet."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(generate.SIZES), default="ci",
                            help=_("ci: two streets and 100,000 cases; city: 116,000 grids, 2,000,000 components "
                                   "and 10,000,000 cases"))
        parser.add_argument("--cases", type=int, help=_("the number of cases instead of the scale's"))
        parser.add_argument("--open", type=int, help=_("how many of them are open instead of the scale's"))
        parser.add_argument("--seed", type=int, default=2026, help=_("the seed of the history"))

    def handle(self, *args, scale: str, cases: int | None, open: int | None, seed: int, **options):
        size = generate.SIZES[scale]
        progress = options["verbosity"] >= 1
        started = time.monotonic()

        def report(name, result, seconds):
            self.stdout.write(_("{stage}: {created} created, {existing} already there ({seconds:.1f} s)").format(
                stage=name, created=result.created, existing=result.existing, seconds=seconds))

        total = size.cases if cases is None else cases
        spec = history.Spec(total=total, open=min(total, size.open if open is None else open), seed=seed)
        try:
            generate.make_city(size.scope, progress, report if progress else None)
            written = generate.make_history(spec, progress)
        except (DemoError, history.HistoryError) as e:
            raise CommandError(str(e)) from e
        write_s = written.seconds["write"] + written.seconds["index"]
        self.stdout.write(_(
            "History: {cases:,} cases and {events:,} events in {seconds:.1f} s ({rate:,.0f} cases/s with the "
            "indexes rebuilt); {tallies:,} counter rows."
        ).format(cases=written.cases, events=written.events, seconds=write_s, rate=written.cases / max(write_s, 1e-9),
                 tallies=written.tallies))
        self.stdout.write(_("Benchmark city ready in {seconds:.1f} s.").format(seconds=time.monotonic() - started))
