"""The province pulls each member city's published aggregates and keeps the latest per city and month."""

import json
import urllib.request
from datetime import date
from pathlib import Path

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from urbangrid.province.models import CityAggregate, MemberCity
from urbangrid.province.publishing import FORMAT

TIMEOUT_S = 30


class PullError(Exception):
    pass


def fetch(city: MemberCity, month: date) -> dict:
    """The city's aggregates for the month: from its URL with its token, or from its export file."""
    if city.export_path:
        try:
            return json.loads(Path(city.export_path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise PullError(f"{city}: cannot read {city.export_path}: {error}") from error
    if not city.url:
        raise PullError(f"{city}: neither a URL nor an export file")
    request = urllib.request.Request(f"{city.url}?month={month:%Y-%m}",
                                     headers={"Authorization": f"Bearer {city.token}", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            return json.loads(response.read().decode("utf-8"))
    except (OSError, ValueError) as error:
        raise PullError(f"{city}: {city.url}: {error}") from error


def pull(city: MemberCity, month: date) -> CityAggregate:
    data = fetch(city, month)
    if data.get("format") != FORMAT or data.get("city", {}).get("code") != city.code:
        raise PullError(f"{city}: the published file is not this city's aggregates (format {FORMAT})")
    found, _created = CityAggregate.objects.update_or_create(
        city=city, month=date.fromisoformat(data["month"]),
        defaults={"data": data, "published_at": parse_datetime(data["published_at"]), "pulled_at": timezone.now()},
    )
    return found


def pull_all(month: date) -> tuple[list[CityAggregate], list[str]]:
    pulled, problems = [], []
    for city in MemberCity.objects.all():
        try:
            pulled.append(pull(city, month))
        except PullError as error:
            problems.append(str(error))
    return pulled, problems
