"""`urbangrid evaluation recount|rules`: rebuild the counters from the event log; install the default rules.

    urbangrid evaluation recount     # the maintained counters (daily, monthly), rebuilt from every case event
    urbangrid evaluation rules       # the default scoring rules of STANDARDS.md §5 as a new rule set version
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from urbangrid import commandbase
from urbangrid.evaluation import counting, rules


class Command(commandbase.Command):
    help = gettext_lazy("Rebuild the evaluation counters from the case events, or install the default scoring rules.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("recount", help=_("rebuild the daily counters and their monthly sums from the event log"))
        actions.add_parser("rules", help=_("add the default scoring rules as a new version and use it"))

    def handle(self, *args, action: str, **options):
        if action == "recount":
            progress = True if options["verbosity"] >= 2 else None if options["verbosity"] else False
            facts, posts = counting.recount(progress=progress)
            self.stdout.write(_("Counters rebuilt: {facts} daily rows, {posts} rows of posts.").format(
                facts=facts, posts=posts))
        else:
            ruleset = rules.install_defaults()
            self.stdout.write(_("Scoring rules version {version} added and in use.").format(version=ruleset.version))
