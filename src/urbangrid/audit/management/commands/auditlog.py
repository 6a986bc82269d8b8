import datetime as dt
import json

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from urbangrid.audit.models import AuditEntry, Kind
from urbangrid.commandbase import Command as BaseCommand


def moment(text: str) -> dt.datetime:
    """2026-11-29, 2026-11-29T08:00 or a span back from now: 30m, 12h, 7d."""
    if text[:-1].isdigit() and text[-1] in "mhd":
        unit = {"m": "minutes", "h": "hours", "d": "days"}[text[-1]]
        return timezone.now() - dt.timedelta(**{unit: int(text[:-1])})
    if when := parse_datetime(text):
        return when if timezone.is_aware(when) else timezone.make_aware(when)
    if day := parse_date(text):
        return timezone.make_aware(dt.datetime.combine(day, dt.time()))
    raise CommandError(_("--since {value}: give a date (2026-11-29), a time (2026-11-29T08:00) or a span (12h, 7d)")
                       .format(value=text))


class Command(BaseCommand):
    help = gettext_lazy("Print the audit log (sign-ins, permission and reference data changes), newest last.")

    def add_arguments(self, parser):
        parser.add_argument("--since", help=gettext_lazy("from this date, time or span back (12h, 7d)"))
        parser.add_argument("--kind", choices=Kind.values, action="append",
                            help=gettext_lazy("only entries of this kind (may be repeated)"))
        parser.add_argument("--user", help=gettext_lazy("only entries by this user name"))
        parser.add_argument("--limit", type=int, default=1000, help=gettext_lazy("at most this many (newest)"))

    def handle(self, since=None, kind=None, user=None, limit=1000, **options):
        entries = AuditEntry.objects.all()
        if since:
            entries = entries.filter(at__gte=moment(since))
        if kind:
            entries = entries.filter(kind__in=kind)
        if user:
            entries = entries.filter(actor=user)
        rows = list(entries.order_by("-at", "-id")[:limit])
        for entry in reversed(rows):
            at = timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S")
            target = f"{entry.object_type}#{entry.object_id} {entry.object_repr}" if entry.object_type else ""
            self.stdout.write("\t".join([at, entry.actor or "-", entry.ip or "-", entry.kind, target,
                                         json.dumps(entry.detail, ensure_ascii=False, sort_keys=True)]))
