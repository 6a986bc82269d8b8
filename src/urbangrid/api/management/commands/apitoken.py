"""`urbangrid apitoken create|list|revoke`: personal API tokens for /api/v1/."""

from datetime import timedelta

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from urbangrid.accounts.models import User
from urbangrid.api import tokens
from urbangrid.api.models import SCOPES, ApiToken
from urbangrid.commandbase import Command as BaseCommand


class Command(BaseCommand):
    help = gettext_lazy("Create, list and revoke a user's API tokens for /api/v1/.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help=_("print a new token (it is shown only this once)"))
        create.add_argument("username")
        create.add_argument("--name", required=True, help=_("what the token is for"))
        create.add_argument("--scope", choices=SCOPES, default="read", help=_("read (default) or write"))
        create.add_argument("--days", type=int, help=_("expire after this many days (default: never)"))
        create.add_argument("--rate", type=int, help=_("requests per minute (default: the site's limit)"))
        listing = sub.add_parser("list", help=_("list tokens (of one user)"))
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke", help=_("revoke a token by its prefix"))
        revoke.add_argument("prefix")

    def handle(self, *args, action, **options):
        getattr(self, "_" + action)(options)

    def _create(self, options):
        user = self._user(options["username"])
        if options["days"] is not None and options["days"] < 1:
            raise CommandError(_("--days must be at least 1."))
        expires = timezone.now() + timedelta(days=options["days"]) if options["days"] else None
        record, token = tokens.issue(user, options["name"], options["scope"], expires, options["rate"])
        self.stderr.write(_("Token {prefix} for {user} ({scope}). Keep it secret; it is not shown again:").format(
            prefix=record.prefix, user=user.username, scope=record.scope))
        self.stdout.write(token)

    def _list(self, options):
        found = ApiToken.objects.select_related("user").order_by("user__username", "-created_at")
        if options["username"]:
            found = found.filter(user=self._user(options["username"]))
        for t in found:
            state = _("revoked") if t.revoked_at else (_("expired") if t.expires_at and t.expires_at <= timezone.now()
                                                       else _("active"))
            last = t.last_used_at.isoformat(timespec="seconds") if t.last_used_at else "-"
            self.stdout.write(f"{t.prefix}  {t.user.username}  {t.scope}  {state}  {last}  {t.name}")

    def _revoke(self, options):
        if not tokens.revoke(options["prefix"]):
            raise CommandError(_("No active token has the prefix {prefix}.").format(prefix=options["prefix"]))
        self.stdout.write(_("Token {prefix} revoked.").format(prefix=options["prefix"]))

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user is called {username}.").format(username=username))
        return user
