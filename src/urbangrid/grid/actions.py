"""Changes to areas other than imports: retiring, and finding what still refers to an area."""

from datetime import date

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from urbangrid.grid.models import Area
from urbangrid.grid.versions import bump


class AreaActionError(Exception):
    """A change that cannot be made; the message is translated and complete."""


def retire(code: str, on: date) -> list[Area]:
    """Retire an area and everything under it from `on`; they are kept, but locate no more."""
    area = Area.objects.filter(code=code.strip()).first()
    if area is None:
        raise AreaActionError(_("There is no area with the code {code}.").format(code=code))
    if on <= area.valid_from:
        message = _("{code} is valid from {valid_from}; it can only be retired after that day.")
        raise AreaActionError(message.format(code=area.code, valid_from=area.valid_from))
    with transaction.atomic():
        # Descendants share the code prefix; those retired earlier keep their earlier date.
        affected = Area.objects.filter(code__startswith=area.code).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        too_young = affected.filter(valid_from__gte=on).values_list("code", flat=True)
        if too_young:
            message = _("These areas only become valid on or after {on}, so they cannot be retired then: {codes}.")
            raise AreaActionError(message.format(on=on, codes=", ".join(too_young[:10])))
        retired = list(affected.order_by("code"))
        affected.update(valid_to=on)
        bump("areas")
    return retired


# Models that store a grid code as text (components, later cases) instead of a foreign key, so that area
# queries stay code-prefix queries. Their apps register them here; this app cannot import them.
_code_holders: list[tuple[type, str]] = []


def register_code_reference(model: type, field: str) -> None:
    """Declare that `model.field` holds area codes, so areas it names are not deleted under it."""
    if (model, field) not in _code_holders:
        _code_holders.append((model, field))


def references(areas: QuerySet) -> list[str]:
    """What refers to these areas by foreign key, many-to-many or stored code, as "<what>: <count>" texts.

    Found through the model's relations and the registered code holders, so an app that adds a reference
    later is covered without this app knowing it. Areas under them (children) count as references too.
    """
    found = []
    for relation in Area._meta.related_objects:
        count = _count(relation, areas)
        if count:
            what = relation.related_model._meta.verbose_name_plural
            found.append(f"{what} ({relation.field.verbose_name}): {count}")
    codes = list(areas.values_list("code", flat=True))
    for model, field in _code_holders:
        count = model._default_manager.filter(**{f"{field}__in": codes}).count() if codes else 0
        if count:
            found.append(f"{model._meta.verbose_name_plural} ({model._meta.get_field(field).verbose_name}): {count}")
    return found


def _count(relation, areas: QuerySet) -> int:
    if relation.many_to_many:
        through = relation.through
        column = relation.field.m2m_reverse_field_name()
        return through.objects.filter(**{f"{column}__in": areas}).count()
    return relation.related_model._default_manager.filter(**{f"{relation.field.name}__in": areas}).count()
