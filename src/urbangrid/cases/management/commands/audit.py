"""`urbangrid audit verify [NUMBER …]`: check the audit chain of case events; exit status 1 on any break.

    urbangrid audit verify                  # every case, with a progress bar
    urbangrid audit verify 20261130000123   # one case
"""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from tqdm import tqdm

from urbangrid import commandbase
from urbangrid.cases import auditing


class Command(commandbase.Command):
    help = gettext_lazy("Check that no case event was edited or deleted (the events' audit chain).")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        verify = actions.add_parser("verify", help=_("walk every case's chain of events and report each break"))
        verify.add_argument("numbers", nargs="*", metavar="NUMBER", help=_("case numbers; default: every case"))

    def handle(self, *args, action: str, numbers: list[str], **options):
        total = auditing.count(numbers)
        if numbers and total < len(set(numbers)):
            raise CommandError(_("No case has some of these numbers: {numbers}").format(numbers=" ".join(numbers)))
        found = 0
        # disable=None: a bar on a terminal only, so logs and tests get the findings without the bar.
        with tqdm(total=total, desc=_("Verifying"), unit=_("cases"), disable=None) as progress:
            for problem in auditing.breaks(numbers, progress):
                found += 1
                self.stdout.write(str(problem))
        if found:
            message = ngettext("{count} break in the audit chain.", "{count} breaks in the audit chain.", found)
            raise CommandError(message.format(count=found))
        self.stdout.write(ngettext("{count} case checked: every event is intact.",
                                   "{count} cases checked: every event is intact.", total).format(count=total))
