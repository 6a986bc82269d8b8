"""`urbangrid locate LON LAT [--crs gcj02]`: the district, street, community and grid of a point, as JSON."""

import json

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from urbangrid.commandbase import Command as BaseCommand
from urbangrid.core.coords import CRS_NAMES
from urbangrid.grid.locating import PointError, locate

NOT_A_NUMBER = {
    "lon": gettext_lazy("The longitude must be a number in degrees, got {value}."),
    "lat": gettext_lazy("The latitude must be a number in degrees, got {value}."),
}


class Command(BaseCommand):
    help = gettext_lazy("Find the unit grid (and its community, street and district) of a point.")

    def add_arguments(self, parser):
        # Read as text, so that a bad number is our clear message and exit code 1, not argparse's usage dump.
        parser.add_argument("lon", help=_("longitude in degrees"))
        parser.add_argument("lat", help=_("latitude in degrees"))
        parser.add_argument("--crs", default="wgs84", help=_("coordinate system: {choices}").format(
            choices=", ".join(CRS_NAMES)))

    def handle(self, *args, lon, lat, crs, **options):
        try:
            answer = locate(_number("lon", lon), _number("lat", lat), crs.strip().lower())
        except PointError as e:
            raise CommandError(e.message) from e
        self.stdout.write(json.dumps(answer, ensure_ascii=False))


def _number(field: str, value: str) -> float:
    try:
        return float(value)
    except ValueError:
        message = NOT_A_NUMBER[field]
        raise PointError(field, message.format(value=value)) from None
