"""`urbangrid open311 create-key NAME | list | revoke NAME`: the client systems that post Open311 reports."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from urbangrid.accounts.models import Organisation
from urbangrid.commandbase import Command as BaseCommand
from urbangrid.open311 import keys
from urbangrid.open311.models import SOURCES, Client


class Command(BaseCommand):
    help = gettext_lazy("Issue, list and revoke the API keys of client systems of the Open311 GeoReport v2 API.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create-key", help=_("create a client system and print its new API key"))
        create.add_argument("name", help=_("the client system, e.g. wechat-miniapp"))
        create.add_argument("--source", choices=SOURCES, default="public", help=_("source of its reports"))
        create.add_argument("--organisation", type=int, help=_("id of the organisation of its reporting post "
                                                              "(default: the supervision centre)"))
        sub.add_parser("list", help=_("list client systems"))
        revoke = sub.add_parser("revoke", help=_("switch a client system's key off"))
        revoke.add_argument("name")

    def handle(self, *args, action, **options):
        getattr(self, "_" + action.replace("-", "_"))(options)

    def _create_key(self, options):
        organisation = None
        if options["organisation"] is not None:
            organisation = Organisation.objects.filter(pk=options["organisation"]).first()
            if organisation is None:
                raise CommandError(_("No organisation has the id {id}.").format(id=options["organisation"]))
        try:
            client, key = keys.create(options["name"], options["source"], organisation)
        except keys.ClientError as error:
            raise CommandError(_(str(error)).format(name=options["name"], sources=", ".join(SOURCES))) from error
        self.stderr.write(_("Open311 client {name} reports as {user}. Its API key (shown only now):").format(
            name=client.name, user=client.user.username))
        self.stdout.write(key)

    def _list(self, options):
        for client in Client.objects.select_related("user"):
            state = _("active") if client.active else _("revoked")
            last = client.last_used_at.isoformat(timespec="seconds") if client.last_used_at else "-"
            self.stdout.write(f"{client.name}  {client.prefix}  {client.source}  {state}  {last}")

    def _revoke(self, options):
        if not Client.objects.filter(name=options["name"], active=True).update(active=False):
            raise CommandError(_("No active Open311 client is called {name}.").format(name=options["name"]))
        self.stdout.write(_("The key of {name} no longer works.").format(name=options["name"]))
