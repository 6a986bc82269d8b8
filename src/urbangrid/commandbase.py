"""The base of UrbanGrid's management commands."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    """A BaseCommand whose `help` may be a lazy translation.

    argparse formats `help` with a regex and fails on Django's lazy strings, so the text is resolved
    (in the language active when the parser is made) before argparse sees it.
    """

    def create_parser(self, prog_name, subcommand, **kwargs):
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)
